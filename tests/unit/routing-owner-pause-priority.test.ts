// Issue 15 ("Never let a caller go"): every call has an owner, operators who
// let offers ring out are paused, line priority; against the fake PBX.
import { describe, expect, it, vi } from 'vitest';
import { routingHarness, useRoutingClock } from '../support/routing-harness.js';
import { loadConfig } from '../../src/config/index.js';

useRoutingClock();

describe('every call has an owner (issue 15, item 8)', () => {
  it('an ARI resync leaves a cloud-PBX call alone: not ended, no callback task', async () => {
    const h = routingHarness();
    const call = h.webhookCall('itl-1');
    expect(call).toMatchObject({ controller: 'vpbx', state: 'waiting' });
    // Asterisk restarted: it lists no channels at all (the call was never on it).
    let report: Awaited<ReturnType<typeof h.resync.run>> | undefined;
    await h.router.enqueue('resync', async () => {
      report = await h.resync.run();
    });
    await h.settle();
    expect(report).toMatchObject({ endedWhileAway: 0, readopted: 0 });
    expect(h.calls.get(call.id)).toMatchObject({ state: 'waiting', outcome: null });
    expect(h.calls.callbacks()).toHaveLength(0);
    expect(h.pbx.ops('hangup')).toHaveLength(0);
  });

  it('an operator freeing up gets no ARI offer for a waiting cloud-PBX call', async () => {
    const h = routingHarness();
    const a = h.addOperator('a', '1001', false);
    const call = h.webhookCall('itl-2');
    h.operators.setPresence(a, 'available');
    await h.settle();
    expect(h.pbx.ops('originate')).toHaveLength(0);
    expect(h.calls.offers(call.id)).toHaveLength(0);
    expect(h.operators.get(a)!.state).toBe('available');
    // An ARI call arriving next is still offered to that operator.
    h.pbx.inbound('c1', '74950000001');
    await h.settle();
    expect(h.pbx.ops('originate').map((c) => (c.args[0] as { endpoint: string }).endpoint)).toEqual(['PJSIP/1001']);
    expect(h.calls.byCallerChannel('c1')!.controller).toBe('ari');
  });

  it('the ARI router refuses to transfer a cloud-PBX call', async () => {
    const h = routingHarness();
    const a = h.addOperator('a', '1001');
    const call = h.webhookCall('itl-3');
    // The cloud PBX connected it to the operator (as its webhooks would say).
    h.calls.connect(call.id, { bridgeId: '', answeredAt: new Date().toISOString(), answeredBy: a, answeredVia: 'console', answeredChannelId: `${call.callerChannelId}:a`, answeredNumber: '1001' });
    expect(await h.router.run('t', () => h.router.transfer(call.id, a, { number: '79035550000' }))).toBe('the call is not connected to you');
    expect(h.pbx.commands).toHaveLength(0);
  });
});

describe('an operator who lets offers ring out (issue 15, item 6)', () => {
  it('is paused with the reason «Не отвечает» after 2 in a row, and offered nothing more', async () => {
    const h = routingHarness({ overflowAfterSec: 120 }, 'sequential', { autoPauseAfterMissed: 2 });
    const a = h.addOperator('a', '1001');
    await h.settle();
    const states: { state: string; reason: string | null }[] = [];
    h.operators.on('changed', (op) => {
      if (op.userId === a) states.push({ state: op.state, reason: op.pauseReason });
    });
    h.pbx.inbound('c1', '74950000001');
    await h.settle();
    h.pbx.destroy(h.pbx.lastOriginate()!.channelId, 19);
    await h.settle();
    expect(h.operators.get(a)!.state).toBe('available'); // one miss is not enough
    await vi.advanceTimersByTimeAsync(1100);
    await h.settle();
    expect(h.pbx.ops('originate')).toHaveLength(2);
    h.pbx.destroy(h.pbx.lastOriginate()!.channelId, 19);
    await h.settle();
    expect(h.operators.get(a)).toMatchObject({ state: 'paused', presence: 'paused', pauseReason: 'Не отвечает' });
    // What the wallboard is told: straight from ringing to paused with the reason.
    expect(states.at(-1)).toEqual({ state: 'paused', reason: 'Не отвечает' });
    await vi.advanceTimersByTimeAsync(5000);
    await h.settle();
    expect(h.pbx.ops('originate')).toHaveLength(2);
    expect(h.calls.byCallerChannel('c1')!.state).toBe('waiting');
  });

  it('answering resets the count; a decline is not a ring-out', async () => {
    const h = routingHarness({ overflowAfterSec: 120 }, 'sequential', { autoPauseAfterMissed: 2 });
    const a = h.addOperator('a', '1001');
    await h.settle();
    h.pbx.inbound('c1', '74950000001');
    await h.settle();
    h.pbx.destroy(h.pbx.lastOriginate()!.channelId, 19); // miss 1
    await h.settle();
    await vi.advanceTimersByTimeAsync(1100);
    await h.settle();
    h.pbx.answerLeg(h.pbx.lastOriginate()!.channelId); // answered: count back to 0
    await h.settle();
    h.pbx.destroy('c1');
    await h.settle();
    await vi.advanceTimersByTimeAsync(5000); // wrap-up
    await h.settle();
    h.pbx.inbound('c2', '74950000001');
    await h.settle();
    h.pbx.destroy(h.pbx.lastOriginate()!.channelId, 19); // miss 1 again
    await h.settle();
    await vi.advanceTimersByTimeAsync(1100);
    await h.settle();
    h.pbx.destroy(h.pbx.lastOriginate()!.channelId, 21); // declined
    await h.settle();
    expect(h.operators.get(a)!.state).toBe('available');
    await vi.advanceTimersByTimeAsync(1100);
    await h.settle();
    h.pbx.destroy(h.pbx.lastOriginate()!.channelId, 19); // miss 2 in a row (the decline did not break the run)
    await h.settle();
    expect(h.operators.get(a)).toMatchObject({ state: 'paused', pauseReason: 'Не отвечает' });
  });

  it('is on by default at 2 (PULT_AUTO_PAUSE_AFTER_MISSED); 0 turns it off', async () => {
    expect(loadConfig({ PULT_ARI_PASSWORD: 'test-password', PULT_STATE_DIR: '/nonexistent' }).PULT_AUTO_PAUSE_AFTER_MISSED).toBe(2);
    expect(loadConfig({ PULT_ARI_PASSWORD: 'test-password', PULT_STATE_DIR: '/nonexistent', PULT_AUTO_PAUSE_AFTER_MISSED: '0' }).PULT_AUTO_PAUSE_AFTER_MISSED).toBe(0);
    const h = routingHarness({ overflowAfterSec: 120 }, 'sequential', { autoPauseAfterMissed: 0 });
    const a = h.addOperator('a', '1001');
    await h.settle();
    h.pbx.inbound('c1', '74950000001');
    await h.settle();
    for (let i = 0; i < 3; i++) {
      h.pbx.destroy(h.pbx.lastOriginate()!.channelId, 19);
      await h.settle();
      await vi.advanceTimersByTimeAsync(1100);
      await h.settle();
    }
    expect(h.operators.get(a)!.state).toBe('ringing');
    expect(h.pbx.ops('originate')).toHaveLength(4);
  });
});

describe('line priority (issue 15, item 3)', () => {
  it('an operator freeing up gets the caller of the higher-priority line, though the other waited longer', async () => {
    const h = routingHarness({ overflowAfterSec: 120, priority: 0 });
    const emergency = h.lines.create({ name: 'Аварийная 2', tenantId: h.tenant, dids: ['74950000009'], ringTimeoutSec: 15, overflowAfterSec: 120, overflowGroupId: null, maxWaitSec: 300, priority: 10, slThresholdSec: 20, waitTreatment: 'ringback', workingHours: null, isDefault: false });
    expect(emergency.priority).toBe(10);
    const a = h.addOperator('a', '1001');
    await h.settle();
    h.pbx.inbound('c0', '74950000001');
    await h.settle();
    h.pbx.answerLeg(h.pbx.lastOriginate()!.channelId);
    await h.settle();
    h.pbx.inbound('planned', '74950000001');
    await h.settle();
    vi.advanceTimersByTime(5000);
    h.pbx.inbound('urgent', '74950000009');
    await h.settle();
    expect(h.pbx.ops('originate')).toHaveLength(1);
    h.pbx.destroy('c0');
    await h.settle();
    await vi.advanceTimersByTimeAsync(5000); // wrap-up
    await h.settle();
    const urgent = h.calls.byCallerChannel('urgent')!;
    expect(h.pbx.ops('originate')).toHaveLength(2);
    expect(h.pbx.lastOriginate()!.appArgs).toEqual(['offer', urgent.id]);
    expect(h.operators.get(a)).toMatchObject({ state: 'ringing', activityCallId: urgent.id });
  });
});

