// Issue 15, item 5: a call the operator dials from their own phone (the
// console's dial pad) enters Pult as ['dial', endpoint, number, line]; Pult
// checks it, dials the number over the trunk with the line's caller ID,
// bridges, records and logs it as outbound; the number rules themselves.
import { describe, expect, it } from 'vitest';
import { routingHarness } from '../support/routing-harness.js';
import { attachCallbacks } from '../../src/features/callbacks/index.js';
import { checkDialNumber } from '../../src/domain/dialling.js';
import { silentLogger } from '../../src/log.js';
import { systemClock } from '../../src/clock.js';
import type { OriginateRequest, PbxChannel } from '../../src/telephony/ports.js';

function harness() {
  const h = routingHarness({ overflowGroupId: null }, 'sequential');
  attachCallbacks({ db: h.db, pbx: h.pbx, router: h.router, calls: h.calls, lines: h.lines, operators: h.operators, recordings: h.recordings, events: h.events, clock: systemClock, logger: silentLogger },
    { trunkEndpoint: 'carrier', auto: false, urgentSec: 120, tickMs: 3_600_000 });
  /** The operator's phone dials: its channel enters the app from the dialplan. */
  const dialFromPhone = async (id: string, endpoint: string, number: string, line = '') => {
    const ch: PbxChannel = { id, name: `PJSIP/${endpoint}-0001`, state: 'Ring', callerNumber: endpoint, callerName: '', creationTime: new Date().toISOString(), dialplanApp: 'Stasis', dialplanAppData: '' };
    h.pbx.channels.set(id, ch);
    h.pbx.emit({ type: 'channelEntered', channel: ch, args: ['dial', endpoint, number, line] });
    await h.settle();
  };
  const originates = () => h.pbx.ops('originate').map((c) => c.args[0] as OriginateRequest);
  const outbound = () => h.db.prepare("SELECT * FROM calls WHERE direction = 'outbound'").all() as { id: string; caller_number: string; did: string; state: string; outcome: string | null; answered_by: number | null; line_id: number }[];
  return { ...h, dialFromPhone, originates, outbound };
}

describe('calls dialled from the operator’s phone', () => {
  it('rings back, dials the number over the trunk from the line’s number; answered: bridged with the phone’s leg, recorded, outbound, card popped', async () => {
    const h = harness();
    const a = h.addOperator('a', '1001');
    await h.dialFromPhone('sp1', '1001', '+7 (916) 123-45-67');
    const [numberLeg] = h.originates();
    expect(numberLeg).toMatchObject({ endpoint: 'PJSIP/79161234567@carrier', callerId: '74950000001', appArgs: ['outbound', expect.any(String), 'number'] });
    expect(h.pbx.ops('ring').map((c) => c.args[0])).toContain('sp1');
    const [call] = h.outbound();
    expect(call).toMatchObject({ caller_number: '79161234567', did: '74950000001', state: 'waiting', line_id: h.line.id });
    expect(h.seen.filter((e) => e.type === 'call.offered').at(-1)!.payload).toMatchObject({ callId: call!.id, userId: a });
    expect(h.operators.get(a)!.activity).toBe('oncall');

    h.pbx.answerLeg(numberLeg!.channelId);
    await h.settle();
    expect(h.outbound()[0]).toMatchObject({ state: 'connected', answered_by: a });
    expect(h.pbx.ops('answer').map((c) => c.args[0])).toContain('sp1');
    expect(h.pbx.ops('addToBridge').at(-1)!.args[1]).toEqual(['sp1', numberLeg!.channelId]);
    expect(h.pbx.ops('recordBridge')).toHaveLength(1);

    // The operator hangs up on their phone: the call ends, the number's leg goes too.
    h.pbx.destroy('sp1');
    await h.settle();
    expect(h.outbound()[0]).toMatchObject({ state: 'ended', outcome: 'answered' });
    expect(h.pbx.ops('hangup').map((c) => c.args[0])).toContain(numberLeg!.channelId);
    expect(h.operators.get(a)!.activity).not.toBe('oncall');
  });

  it('the number does not answer: the phone’s leg is hung up, the call logged as unanswered, the operator free again', async () => {
    const h = harness();
    const a = h.addOperator('a', '1001');
    await h.dialFromPhone('sp1', '1001', '79161234567');
    h.pbx.destroy(h.originates()[0]!.channelId, 17);
    await h.settle();
    expect(h.outbound()[0]).toMatchObject({ state: 'ended', outcome: 'unanswered' });
    expect(h.pbx.ops('hangup').map((c) => c.args[0])).toContain('sp1');
    expect(h.operators.get(a)!.activity).toBe('idle');
  });

  it('refused, nothing dialled: an unknown endpoint, a bad or premium number, another company’s line, an operator on a call', async () => {
    const h = harness();
    const a = h.addOperator('a', '1001');
    const otherTenant = Number(h.db.prepare("INSERT INTO tenants (name) VALUES ('Чужая УК')").run().lastInsertRowid);
    const foreign = h.lines.create({ name: 'Чужая', tenantId: otherTenant, dids: ['74950000009'], ringTimeoutSec: 15, overflowAfterSec: 30, overflowGroupId: null, maxWaitSec: 300, slThresholdSec: 20, waitTreatment: 'ringback', workingHours: null, isDefault: false });
    await h.dialFromPhone('x1', '1999', '79161234567');
    await h.dialFromPhone('x2', '1001', '123');
    await h.dialFromPhone('x3', '1001', '88091234567');
    await h.dialFromPhone('x4', '1001', '79161234567', String(foreign.id));
    expect(h.originates()).toHaveLength(0);
    expect(h.outbound()).toHaveLength(0);
    expect(h.pbx.ops('hangup').map((c) => c.args[0])).toEqual(['x1', 'x2', 'x3', 'x4']);
    // On a call already: refused as busy.
    h.operators.setActivity(a, 'oncall', 'some-call');
    await h.dialFromPhone('x5', '1001', '79161234567');
    expect(h.pbx.ops('hangup').at(-1)!.args).toEqual(['x5', 'busy']);
    expect(h.originates()).toHaveLength(0);
  });
});

describe('checkDialNumber', () => {
  it.each([
    ['+7 (916) 123-45-67', '79161234567'],
    ['8 916 123 45 67', '79161234567'],
    ['9161234567', '79161234567'],
    ['12345', '12345'],
  ])('%s → %s', (raw, number) => {
    expect(checkDialNumber(raw)).toEqual({ ok: true, number });
  });
  it.each([
    ['', 'enter a phone number'],
    ['ivanov', 'only digits'],
    ['1234', 'too short'],
    ['+1234567890123456', 'too long'],
    ['8-809-555-00-11', 'premium-rate'],
  ])('%s is refused (%s)', (raw, words) => {
    const r = checkDialNumber(raw);
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.problem).toContain(words);
  });
});
