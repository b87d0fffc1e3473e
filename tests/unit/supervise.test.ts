// Supervision against the fake PBX: listen and whisper through a snoop
// channel bridged with the supervisor's phone, barge into the call's bridge.
import { describe, expect, it } from 'vitest';
import { routingHarness } from '../support/routing-harness.js';
import { Supervision } from '../../src/features/wallboard/supervise.js';
import { silentLogger } from '../../src/log.js';
import type { PbxChannel } from '../../src/telephony/ports.js';

async function connectedCall() {
  const h = routingHarness();
  const sup = new Supervision(h.pbx, h.calls, silentLogger);
  sup.attach(h.router, h.events);
  h.addOperator('a', '1001');
  await h.settle();
  h.pbx.inbound('c1', '74950000001');
  await h.settle();
  const leg = h.pbx.lastOriginate()!;
  h.pbx.answerLeg(leg.channelId);
  await h.settle();
  const call = h.calls.byCallerChannel('c1')!;
  expect(call.state).toBe('connected');
  return { h, sup, call, opLeg: leg.channelId };
}

const enter = (h: ReturnType<typeof routingHarness>, id: string, args: string[]) => {
  const ch: PbxChannel = { id, name: id, state: 'Up', callerNumber: '', callerName: '', creationTime: '', dialplanApp: 'Stasis', dialplanAppData: '' };
  h.pbx.emit({ type: 'channelEntered', channel: ch, args });
};

describe('supervision', () => {
  it('refuses a call Pult only observes (cloud PBX): 409, nothing sent to Asterisk', async () => {
    const h = routingHarness();
    const sup = new Supervision(h.pbx, h.calls, silentLogger);
    sup.attach(h.router, h.events);
    const call = h.webhookCall('itl-sv');
    h.calls.connect(call.id, { bridgeId: '', answeredAt: new Date().toISOString(), answeredBy: null, answeredVia: 'console', answeredChannelId: `${call.callerChannelId}:a`, answeredNumber: '101' });
    await expect(sup.start({ callId: call.id, mode: 'listen', supervisorId: 99, endpoint: 'PJSIP/1201' })).rejects.toMatchObject({ status: 409, code: 'not_controlled' });
    expect(h.pbx.commands).toHaveLength(0);
  });

  it('listen: snoops both directions of the operator leg, rings the supervisor, bridges the two', async () => {
    const { h, sup, call, opLeg } = await connectedCall();
    const { sessionId } = await sup.start({ callId: call.id, mode: 'listen', supervisorId: 99, endpoint: 'PJSIP/1201' });
    const snoop = h.pbx.ops('snoop')[0]!;
    expect(snoop.args[0]).toBe(opLeg);
    expect(snoop.args[1]).toMatchObject({ spy: 'both', whisper: 'none', appArgs: ['supervise', sessionId] });
    const o = h.pbx.lastOriginate()!;
    expect(o).toMatchObject({ endpoint: 'PJSIP/1201', appArgs: ['supervise-leg', sessionId] });
    enter(h, `${sessionId}-snoop`, ['supervise', sessionId]);
    h.pbx.answerLeg(o.channelId);
    await h.settle();
    expect(h.pbx.ops('createBridge').map((c) => c.args[0])).toContain(`${sessionId}-b`);
    expect(h.pbx.ops('addToBridge').at(-1)!.args).toEqual([`${sessionId}-b`, [`${sessionId}-snoop`, o.channelId]]);
    // The supervisor hangs up: the snoop goes and the session bridge is destroyed.
    h.pbx.destroy(o.channelId);
    await h.settle();
    expect(h.pbx.ops('hangup').map((c) => c.args[0])).toContain(`${sessionId}-snoop`);
    expect(h.pbx.ops('destroyBridge').map((c) => c.args[0])).toContain(`${sessionId}-b`);
    expect(sup.list()).toEqual([]);
    expect(h.calls.get(call.id)!.state).toBe('connected'); // the call itself goes on
  });

  it('whisper: audio into the operator leg only (whisper=out)', async () => {
    const { h, sup, call } = await connectedCall();
    await sup.start({ callId: call.id, mode: 'whisper', supervisorId: 99, endpoint: 'PJSIP/1201' });
    expect(h.pbx.ops('snoop')[0]!.args[1]).toMatchObject({ spy: 'both', whisper: 'out' });
  });

  it('barge: the supervisor joins the call bridge; the call ending hangs them up', async () => {
    const { h, sup, call } = await connectedCall();
    const { sessionId } = await sup.start({ callId: call.id, mode: 'barge', supervisorId: 99, endpoint: 'PJSIP/1201' });
    expect(h.pbx.ops('snoop')).toEqual([]);
    h.pbx.answerLeg(`${sessionId}-leg`);
    await h.settle();
    expect(h.pbx.ops('addToBridge').at(-1)!.args).toEqual([call.bridgeId, [`${sessionId}-leg`]]);
    h.pbx.destroy('c1');
    await h.settle();
    expect(h.pbx.ops('hangup').map((c) => c.args[0])).toContain(`${sessionId}-leg`);
  });

  it('refuses a call that is not answered; a leftover leg of an unknown session is hung up', async () => {
    const h = routingHarness();
    const sup = new Supervision(h.pbx, h.calls, silentLogger);
    sup.attach(h.router, h.events);
    h.pbx.inbound('c1', '74950000001');
    await h.settle();
    const call = h.calls.byCallerChannel('c1')!;
    await expect(sup.start({ callId: call.id, mode: 'listen', supervisorId: 1, endpoint: 'PJSIP/1201' })).rejects.toMatchObject({ status: 409 });
    enter(h, 'sv-old-leg', ['supervise-leg', 'sv-old']);
    await h.settle();
    expect(h.pbx.ops('hangup').map((c) => c.args[0])).toContain('sv-old-leg');
  });
});
