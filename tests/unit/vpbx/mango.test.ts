import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { dedupeEvents, eventKey, type ExternalCallEvent } from '../../../src/telephony/vpbx/external-events.js';
import { mangoCallback } from '../../../src/telephony/vpbx/mango/commands.js';
import { mangoFormSchema, parseMangoJson, type MangoCallEvent, type MangoEndpoint } from '../../../src/telephony/vpbx/mango/schema.js';
import { MangoSequencer, sortMangoBatch } from '../../../src/telephony/vpbx/mango/sequencer.js';
import { translateMango } from '../../../src/telephony/vpbx/mango/translate.js';
import { mangoSign, verifyMangoSign } from '../../../src/telephony/vpbx/mango/verify.js';
import { at, brief, loadFixture, SECRETS, type Delivery } from './support.js';

const creds = SECRETS.mango;

function receive(d: Delivery): ExternalCallEvent[] {
  const form = mangoFormSchema.parse(d.form);
  if (!verifyMangoSign(form, creds)) throw new Error('bad sign');
  const msg = parseMangoJson(d.endpoint as MangoEndpoint, form.json);
  return translateMango(msg, { account: form.vpbx_api_key, receivedAt: d.receivedAt });
}
const run = (name: string) => dedupeEvents(loadFixture('mango', name).deliveries.flatMap(receive));

describe('Mango Office VPBX webhooks', () => {
  it('a full inbound call through the IVR: incoming → ringing → answered → recording → ended', () => {
    const events = run('full-call');
    expect(events.every((e) => e.source === `mango:${creds.apiKey}` && e.externalId === 'MToxMDA1NzU5Mzo0MDA6MTAwMQ==')).toBe(true);
    expect(events.map(brief)).toEqual([
      { kind: 'call.incoming', caller: '79161234567', did: '74951234567', at: at(0) },
      { kind: 'call.ringing', at: at(4), agent: { extension: '101' } },
      { kind: 'call.answered', at: at(9), agent: { extension: '101' } },
      { kind: 'call.recording', at: at(99), recording: { vendorRecordingId: 'REC-E-101' } },
      { kind: 'call.ended', at: at(99), result: 'answered', durationSec: 90 },
    ]);
  });

  it('a missed call (numbers sent as strings, as in Mango\'s examples) ends as missed', () => {
    expect(run('missed-call').map(brief)).toEqual([
      { kind: 'call.incoming', caller: '79161234567', did: '74951234567', at: at(0) },
      { kind: 'call.ringing', at: at(0), agent: { extension: '101' } },
      { kind: 'call.ended', at: at(30), result: 'missed', durationSec: null },
    ]);
  });

  it('a transfer: the new leg marked `transfer` gives call.transferred, ringing and answered for 102', () => {
    expect(run('transfer').map(brief)).toEqual([
      { kind: 'call.incoming', caller: '79161234567', did: '74951234567', at: at(0) },
      { kind: 'call.ringing', at: at(0), agent: { extension: '101' } },
      { kind: 'call.answered', at: at(5), agent: { extension: '101' } },
      { kind: 'call.transferred', at: at(40), to: { extension: '102' } },
      { kind: 'call.ringing', at: at(40), agent: { extension: '102' } },
      { kind: 'call.answered', at: at(44), agent: { extension: '102' } },
      { kind: 'call.ended', at: at(150), result: 'answered', durationSec: 145 },
    ]);
  });

  it('outbound calls are outside the contract: nothing', () => {
    expect(run('outbound-call')).toEqual([]);
  });

  it('duplicate delivery gives the same eventKeys', () => {
    const deliveries = loadFixture('mango', 'full-call').deliveries;
    const once = deliveries.flatMap(receive);
    const twice = [...deliveries, ...deliveries].flatMap(receive);
    expect(new Set(twice.map(eventKey))).toEqual(new Set(once.map(eventKey)));
    expect(dedupeEvents(twice)).toEqual(dedupeEvents(once));
  });

  it('sign: known answer, and it holds only over the exact json text, key and salt', () => {
    const form = loadFixture('mango', 'missed-call').deliveries[0]!.form;
    // Computed with sha256sum, independently of the code (fixtures/vpbx/README.md).
    expect(form.sign).toBe('f3ec715ea72cc0c6103f7481652d6541513148f22693ba1c46a734d41ee5fe6c');
    expect(mangoSign(creds.apiKey, form.json!, creds.apiSalt)).toBe(form.sign);
    expect(verifyMangoSign(form, creds)).toBe(true);
    expect(verifyMangoSign({ ...form, sign: form.sign!.toUpperCase() }, creds)).toBe(true);
    const reformatted = JSON.stringify(JSON.parse(form.json!), null, 1); // same data, other text
    expect(verifyMangoSign({ ...form, json: reformatted }, creds)).toBe(false);
    expect(verifyMangoSign(form, { ...creds, apiSalt: 'other-salt' })).toBe(false);
    expect(verifyMangoSign({ ...form, vpbx_api_key: 'someone-else' }, creds)).toBe(false);
    expect(verifyMangoSign({ ...form, sign: 'abc' }, creds)).toBe(false); // length mismatch: false, no throw
    expect(verifyMangoSign({ ...form, sign: undefined }, creds)).toBe(false);
    expect(verifyMangoSign(null, creds)).toBe(false);
  });

  it('a malformed event is a ZodError naming the fields; broken JSON names `json`', () => {
    const bad = JSON.stringify({ entry_id: 'E', call_id: 'C', timestamp: 'soon', seq: 1, call_state: 'Ringing', location: 'abonent', from: {}, to: {} });
    const err = (() => { try { parseMangoJson('call', bad); } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(z.ZodError);
    expect((err as z.ZodError).issues.map((i) => i.path.join('.')).sort()).toEqual(['call_state', 'timestamp']);
    const broken = (() => { try { parseMangoJson('summary', '{"entry_id":'); } catch (e) { return e; } })();
    expect((broken as z.ZodError).issues[0]!.path).toEqual(['json']);
    expect(mangoFormSchema.safeParse({ vpbx_api_key: 'k', json: '{}' }).success).toBe(false); // no sign
  });

  it('out-of-order delivery is released in seq order per leg', () => {
    const calls = loadFixture('mango', 'full-call').deliveries
      .filter((d) => d.endpoint === 'call')
      .map((d) => parseMangoJson('call', d.form.json!).data as MangoCallEvent);
    // Arrival order: employee leg 3, 2, 1 and IVR leg 2, 1, interleaved.
    const byLegSeq = (leg: string, seq: number) => calls.find((c) => c.call_id === leg && c.seq === seq)!;
    const arrival = [byLegSeq('E-101', 3), byLegSeq('E-ivr', 2), byLegSeq('E-101', 2), byLegSeq('E-ivr', 1), byLegSeq('E-101', 1)];
    const seq = new MangoSequencer<MangoCallEvent>({ holdMs: 2000 });
    const released: MangoCallEvent[] = [];
    arrival.forEach((c, i) => released.push(...seq.push({ entryId: c.entry_id, callId: c.call_id, seq: c.seq, item: c }, 1000 + i)));
    expect(released.map((c) => `${c.call_id}#${c.seq}`)).toEqual(['E-ivr#1', 'E-ivr#2', 'E-101#1', 'E-101#2', 'E-101#3']);
    expect(seq.nextDueAt()).toBeNull();
    // A redelivery of something already released is dropped.
    expect(seq.push({ entryId: 'MToxMDA1NzU5Mzo0MDA6MTAwMQ==', callId: 'E-101', seq: 2, item: byLegSeq('E-101', 2) }, 2000)).toEqual([]);
    // The batch variant sorts the same way.
    expect(sortMangoBatch(arrival).map((c) => `${c.call_id}#${c.seq}`)).toEqual(['E-ivr#1', 'E-ivr#2', 'E-101#1', 'E-101#2', 'E-101#3']);
  });

  it('a gap is waited for holdMs, then skipped; the late event still comes out once', () => {
    const seq = new MangoSequencer<string>({ holdMs: 2000, idleMs: 60_000 });
    const ev = (n: number) => ({ entryId: 'E', callId: 'C', seq: n, item: `#${n}` });
    expect(seq.push(ev(1), 0)).toEqual(['#1']);
    expect(seq.push(ev(3), 100)).toEqual([]);
    expect(seq.push(ev(4), 200)).toEqual([]);
    expect(seq.nextDueAt()).toBe(2100);
    expect(seq.flushDue(2099)).toEqual([]);
    expect(seq.flushDue(2100)).toEqual(['#3', '#4']);
    expect(seq.push(ev(2), 2500)).toEqual(['#2']); // late, released at once
    expect(seq.push(ev(2), 2600)).toEqual([]); // and only once
    expect(seq.push(ev(5), 2700)).toEqual(['#5']);
    expect(seq.size).toBe(1);
    seq.flushDue(2700 + 60_000);
    expect(seq.size).toBe(0); // idle legs are forgotten
  });

  it('click-to-call: commands/callback with a signed form', () => {
    const req = mangoCallback({ ...creds, commandId: 'cmd-1', fromExtension: '101', toNumber: '8 916 765-43-21' });
    expect(req.method).toBe('POST');
    expect(req.url).toBe('https://app.mango-office.ru/vpbx/commands/callback');
    expect(req.headers['Content-Type']).toBe('application/x-www-form-urlencoded');
    const form = Object.fromEntries(new URLSearchParams(req.body));
    expect(JSON.parse(form.json!)).toEqual({ command_id: 'cmd-1', from: { extension: '101' }, to_number: '79167654321' });
    expect(form.vpbx_api_key).toBe(creds.apiKey);
    expect(verifyMangoSign(form, creds)).toBe(true);
  });
});
