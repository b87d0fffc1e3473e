import { describe, expect, it } from 'vitest';
import { ApiError, parse } from '../../../src/http/errors.js';
import { dedupeEvents, eventKey, type ExternalCallEvent } from '../../../src/telephony/vpbx/external-events.js';
import { phpUrlencode, zadarmaCallback, zadarmaParamString } from '../../../src/telephony/vpbx/zadarma/commands.js';
import { zadarmaStartReply } from '../../../src/telephony/vpbx/zadarma/replies.js';
import { zadarmaWebhookSchema } from '../../../src/telephony/vpbx/zadarma/schema.js';
import { translateZadarma, zadarmaResult } from '../../../src/telephony/vpbx/zadarma/translate.js';
import { verifyZadarmaSignature, zadarmaEcho, zadarmaSignedString } from '../../../src/telephony/vpbx/zadarma/verify.js';
import { at, brief, loadFixture, readFixtureText, SECRETS, type Delivery } from './support.js';

const { key, secret } = SECRETS.zadarma;

function receive(d: Delivery, timeZone?: string): ExternalCallEvent[] {
  if (!verifyZadarmaSignature(d.form, d.headers?.Signature, secret)) throw new Error('bad signature');
  return translateZadarma(zadarmaWebhookSchema.parse(d.form), { account: key, receivedAt: d.receivedAt, timeZone });
}
const run = (name: string) => dedupeEvents(loadFixture('zadarma', name).deliveries.flatMap((d) => receive(d)));

describe('Zadarma webhooks', () => {
  it('a full inbound call: incoming → ringing → answered → ended → recording', () => {
    const events = run('full-call');
    expect(events.every((e) => e.source === `zadarma:${key}` && e.externalId === 'in_0123456789abcdef0123456789abcdef01234567')).toBe(true);
    expect(events.map(brief)).toEqual([
      { kind: 'call.incoming', caller: '79161234567', did: '74951234567', at: at(0) }, // 09:15 Moscow
      { kind: 'call.ringing', at: at(1), agent: { extension: '101' } },
      { kind: 'call.answered', at: at(6), agent: { extension: '101' } },
      { kind: 'call.ended', at: at(96), result: 'answered', durationSec: 90 },
      { kind: 'call.recording', at: at(140), recording: { vendorRecordingId: '1773123300.123456' } },
    ]);
  });

  it('a missed call from a withheld number: caller null, ended missed', () => {
    expect(run('missed-call').map(brief)).toEqual([
      { kind: 'call.incoming', caller: null, did: '74951234567', at: at(0) },
      { kind: 'call.ringing', at: at(1), agent: { extension: '101' } },
      { kind: 'call.ended', at: at(25), result: 'missed', durationSec: null },
    ]);
  });

  it('a transfer shows as a second ringing/answered on the same call (Zadarma has no transfer event)', () => {
    expect(run('transfer').map((e) => [e.kind, 'agent' in e ? e.agent.extension : undefined])).toEqual([
      ['call.incoming', undefined],
      ['call.ringing', '101'],
      ['call.answered', '101'],
      ['call.ringing', '102'],
      ['call.answered', '102'],
      ['call.ended', undefined],
    ]);
  });

  it('outbound calls are outside the contract: nothing', () => {
    expect(run('outbound-call')).toEqual([]);
  });

  it('call_start is read in the account time zone (default Europe/Moscow)', () => {
    const start = loadFixture('zadarma', 'full-call').deliveries[0]!;
    expect(receive(start)[0]!.at).toBe('2026-03-10T06:15:00.000Z');
    expect(receive(start, 'Asia/Yekaterinburg')[0]!.at).toBe('2026-03-10T04:15:00.000Z');
  });

  it('duplicate delivery gives the same eventKeys', () => {
    const deliveries = loadFixture('zadarma', 'full-call').deliveries;
    const again = deliveries.map((d) => ({ ...d, receivedAt: at(3600) }));
    expect(again.flatMap((d) => receive(d)).map(eventKey)).toEqual(deliveries.flatMap((d) => receive(d)).map(eventKey));
  });

  it('signature: known answer, per-event signed strings, bad or odd-length signatures fail without throwing', () => {
    const [start, internal, answer, end, record] = loadFixture('zadarma', 'full-call').deliveries as [Delivery, Delivery, Delivery, Delivery, Delivery];
    // Computed with openssl, independently of the code (fixtures/vpbx/README.md).
    expect(start.headers!.Signature).toBe('MDRhMDIzNDkwYjcwYjk4YWU5NDYxOWJiNzQyZjNhODUxOTliN2IwZA==');
    expect(zadarmaSignedString(start.form)).toBe('79161234567749512345672026-03-10 09:15:00');
    expect(zadarmaSignedString(internal.form)).toBe('79161234567749512345672026-03-10 09:15:00');
    expect(zadarmaSignedString(answer.form)).toBe('791612345671012026-03-10 09:15:00');
    expect(zadarmaSignedString(end.form)).toBe('79161234567749512345672026-03-10 09:15:00');
    expect(zadarmaSignedString(record.form)).toBe('in_0123456789abcdef0123456789abcdef012345671773123300.123456');
    const out = loadFixture('zadarma', 'outbound-call').deliveries[0]!;
    expect(zadarmaSignedString(out.form)).toBe('101791676543212026-03-10 09:15:00');

    expect(verifyZadarmaSignature(start.form, start.headers!.Signature, 'another-secret')).toBe(false);
    expect(verifyZadarmaSignature({ ...start.form, caller_id: '79160000000' }, start.headers!.Signature, secret)).toBe(false);
    expect(verifyZadarmaSignature(start.form, 'c2hvcnQ=', secret)).toBe(false);
    expect(verifyZadarmaSignature(start.form, undefined, secret)).toBe(false);
    expect(verifyZadarmaSignature({ ...start.form, event: 'NOTIFY_IVR' }, start.headers!.Signature, secret)).toBe(false);
    expect(verifyZadarmaSignature(start.form, start.headers!.Signature, '')).toBe(false);
  });

  it('a malformed payload is a 400 listing the fields', () => {
    const end = loadFixture('zadarma', 'full-call').deliveries[3]!.form;
    try {
      parse(zadarmaWebhookSchema, { ...end, call_start: '10.03.2026 09:15', duration: '' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ApiError);
      expect(((err as ApiError).details as { field: string }[]).map((p) => p.field).sort()).toEqual(['call_start', 'duration']);
    }
  });

  it('zd_echo: echoes Zadarma\'s token, nothing else', () => {
    const line = readFixtureText('zadarma', 'zd-echo.txt').trim().split(' ')[1]!;
    const query = Object.fromEntries(new URL(line, 'http://pult.local').searchParams);
    expect(zadarmaEcho(query)).toBe('f6a1c2d3e4b5');
    expect(zadarmaEcho({})).toBeNull();
    expect(zadarmaEcho({ zd_echo: '<script>alert(1)</script>' })).toBeNull();
    expect(zadarmaEcho({ zd_echo: ['a', 'b'] })).toBeNull();
  });

  it('maps dispositions', () => {
    expect(['answered', 'busy', 'cancel', 'no answer', 'failed', 'no money', 'line limit'].map(zadarmaResult))
      .toEqual(['answered', 'busy', 'missed', 'missed', 'failed', 'failed', 'failed']);
  });

  it('NOTIFY_START reply', () => {
    expect(zadarmaStartReply({ callerName: 'Иванов И. И.' })).toEqual({ caller_name: 'Иванов И. И.' });
    expect(zadarmaStartReply({ callerName: 'А', redirect: '101', returnTimeout: 20 })).toEqual({ caller_name: 'А', redirect: '101', return_timeout: 20 });
    expect(zadarmaStartReply({})).toEqual({});
  });

  it('click-to-call: /v1/request/callback/ signed like Zadarma\'s client', () => {
    const req = zadarmaCallback({ key, secret, from: '101', to: '+7 916 765-43-21' });
    expect(req.method).toBe('GET');
    expect(req.url).toBe('https://api.zadarma.com/v1/request/callback/?format=json&from=101&to=79167654321');
    // Computed with openssl/md5sum, independently of the code.
    expect(req.headers.Authorization).toBe(`${key}:MGRhODFhYzJlZTQzNTY2MThiYjgzNTFmNTAxYWFhZTkzOWYyYWY5YQ==`);
    expect(phpUrlencode("a b*~!'()")).toBe('a+b%2A%7E%21%27%28%29');
    expect(zadarmaParamString({ z: '1', a: 'x y' })).toBe('a=x+y&z=1');
  });
});
