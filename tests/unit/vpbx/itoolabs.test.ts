import { describe, expect, it } from 'vitest';
import { ApiError, parse } from '../../../src/http/errors.js';
import { dedupeEvents, eventKey, type ExternalCallEvent } from '../../../src/telephony/vpbx/external-events.js';
import { itoolabsMakeCall } from '../../../src/telephony/vpbx/itoolabs/commands.js';
import { itoolabsContactReply } from '../../../src/telephony/vpbx/itoolabs/replies.js';
import { itoolabsWebhookSchema } from '../../../src/telephony/vpbx/itoolabs/schema.js';
import { itoolabsTimeToIso, translateItoolabs } from '../../../src/telephony/vpbx/itoolabs/translate.js';
import { verifyItoolabsToken } from '../../../src/telephony/vpbx/itoolabs/verify.js';
import { at, brief, loadFixture, SECRETS, type Delivery } from './support.js';

const { account, crmToken } = SECRETS.itoolabs;

/** What the route will do: verify, parse, translate. */
function receive(d: Delivery): ExternalCallEvent[] {
  if (!verifyItoolabsToken(d.form, crmToken)) throw new Error('bad token');
  return translateItoolabs(itoolabsWebhookSchema.parse(d.form), { account, receivedAt: d.receivedAt });
}
const run = (name: string) => dedupeEvents(loadFixture('itoolabs', name).deliveries.flatMap(receive));

describe('itoolabs (Megafon / Dom.ru / Gravitel) webhooks', () => {
  it('a full inbound call: incoming → ringing ×2 → answered → ended → recording', () => {
    const events = run('full-call');
    expect(events.every((e) => e.source === `itoolabs:${account}` && e.externalId === 'B10D0EB124F4E64AF4EA-1511')).toBe(true);
    expect(events.map(brief)).toEqual([
      { kind: 'call.incoming', caller: '79161234567', did: '74951234567', at: at(1) },
      { kind: 'call.ringing', at: at(1), agent: { pbxLogin: 'ivanov', extension: '101' } },
      { kind: 'call.ringing', at: at(1), agent: { pbxLogin: 'petrov', extension: '102' } },
      { kind: 'call.answered', at: at(6), agent: { pbxLogin: 'ivanov', extension: '101' } },
      { kind: 'call.ended', at: at(90), result: 'answered', durationSec: 90 },
      { kind: 'call.recording', at: at(90), recording: { url: 'https://vats000000.megapbx.ru/rec/B10D0EB124F4E64AF4EA-1511.mp3' } },
    ]);
  });

  it('a missed call ends as missed without duration or recording', () => {
    expect(run('missed-call').map(brief)).toEqual([
      { kind: 'call.incoming', caller: '79161234567', did: '74951234567', at: at(0) },
      { kind: 'call.ringing', at: at(0), agent: { pbxLogin: 'ivanov', extension: '101' } },
      { kind: 'call.ended', at: at(25), result: 'missed', durationSec: null },
    ]);
  });

  it('a transfer gives call.transferred to the new employee, then their answer', () => {
    expect(run('transfer').map((e) => [e.kind, 'agent' in e ? e.agent : 'to' in e ? e.to : undefined])).toEqual([
      ['call.incoming', undefined],
      ['call.ringing', { pbxLogin: 'ivanov', extension: '101' }],
      ['call.answered', { pbxLogin: 'ivanov', extension: '101' }],
      ['call.transferred', { pbxLogin: 'petrov', extension: '102' }],
      ['call.answered', { pbxLogin: 'petrov', extension: '102' }],
      ['call.ended', undefined],
      ['call.recording', undefined],
    ]);
  });

  it('outbound calls are outside the contract: nothing', () => {
    expect(run('outbound-call')).toEqual([]);
  });

  it('the same webhook delivered twice gives the same eventKey (receivedAt differs)', () => {
    const d = loadFixture('itoolabs', 'full-call').deliveries[1]!;
    const first = receive(d);
    const again = receive({ ...d, receivedAt: at(300) });
    expect(again.map(eventKey)).toEqual(first.map(eventKey));
    expect(again[0]!.at).not.toBe(first[0]!.at);
  });

  it('a wrong, shorter, longer or missing crm_token does not verify (and never throws)', () => {
    const form = loadFixture('itoolabs', 'full-call').deliveries[1]!.form;
    expect(verifyItoolabsToken(form, crmToken)).toBe(true);
    expect(verifyItoolabsToken({ ...form, crm_token: 'test-itoolabs-crm-token-0002' }, crmToken)).toBe(false);
    expect(verifyItoolabsToken({ ...form, crm_token: 'x' }, crmToken)).toBe(false);
    expect(verifyItoolabsToken({ ...form, crm_token: crmToken + '-and-more' }, crmToken)).toBe(false);
    const noToken: Record<string, string> = { ...form };
    delete noToken.crm_token;
    expect(verifyItoolabsToken(noToken, crmToken)).toBe(false);
    expect(verifyItoolabsToken(null, crmToken)).toBe(false);
    expect(verifyItoolabsToken(form, '')).toBe(false);
  });

  it('a malformed payload is a 400 listing the fields', () => {
    const history = loadFixture('itoolabs', 'full-call').deliveries[6]!.form;
    const bad: Record<string, string> = { ...history, start: '2026-03-10 06:15', duration: 'ninety' };
    delete bad.callid;
    try {
      parse(itoolabsWebhookSchema, bad);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ApiError);
      const fields = ((err as ApiError).details as { field: string }[]).map((p) => p.field).sort();
      expect(fields).toEqual(['callid', 'duration', 'start']);
    }
    expect(itoolabsWebhookSchema.safeParse({ ...history, cmd: 'unknown' }).success).toBe(false);
  });

  it('accepts unknown extra fields', () => {
    const form = { ...loadFixture('itoolabs', 'full-call').deliveries[1]!.form, new_field: 'x' };
    expect(itoolabsWebhookSchema.safeParse(form).success).toBe(true);
  });

  it('parses its compact UTC time', () => {
    expect(itoolabsTimeToIso('20170703T121110Z')).toBe('2017-07-03T12:11:10.000Z');
  });

  it('contact reply and click-to-call request', () => {
    expect(itoolabsContactReply({ contactName: 'ТСЖ «Рассвет», кв. 12', responsibleLogin: 'ivanov' }))
      .toEqual({ contact_name: 'ТСЖ «Рассвет», кв. 12', responsible: 'ivanov' });
    expect(itoolabsContactReply({ contactName: null })).toEqual({});
    const req = itoolabsMakeCall({ baseUrl: 'https://vats000000.megapbx.ru/', apiKey: 'k-1', phone: '8 (916) 765-43-21', user: 'ivanov' });
    expect(req).toEqual({
      method: 'POST',
      url: 'https://vats000000.megapbx.ru/crmapi/v1/makecall',
      headers: { 'Content-Type': 'application/json', 'X-API-KEY': 'k-1' },
      body: '{"phone":"79167654321","user":"ivanov"}',
    });
    expect(() => itoolabsMakeCall({ baseUrl: 'https://x', apiKey: 'k', phone: 'нет', user: 'u' })).toThrow();
  });
});
