import { describe, expect, it, vi } from 'vitest';
import { routingHarness, useRoutingClock } from '../support/routing-harness.js';
import { wav } from '../support/fake-pbx.js';

useRoutingClock();

/** One operator rings for a caller; past the line's 10 s overflow the mobile rings too. */
async function operatorAndMobileRinging() {
  const h = routingHarness({ overflowAfterSec: 10 });
  const a = h.addOperator('a', '1001');
  await h.settle();
  h.pbx.inbound('c1', '74950000001');
  await h.settle();
  const opLeg = h.pbx.lastOriginate()!;
  await vi.advanceTimersByTimeAsync(10_000);
  await h.settle();
  const mobileLeg = h.pbx.lastOriginate()!;
  return { h, a, opLeg, mobileLeg };
}

describe('call routing', () => {
  it('offers a call to the longest-idle operator, connects and records it on answer', async () => {
    const h = routingHarness();
    const a = h.addOperator('a', '1001');
    vi.advanceTimersByTime(1000);
    h.addOperator('b', '1002');
    await h.settle();

    h.pbx.inbound('c1', '74950000001');
    await h.settle();
    const o = h.pbx.lastOriginate()!;
    expect(o.endpoint).toBe('PJSIP/1001'); // a has been idle longer
    expect(o.timeoutSec).toBe(15);
    expect(h.pbx.ops('ring').map((c) => c.args[0])).toEqual(['c1']);
    expect(h.operators.get(a)!.state).toBe('ringing');

    h.pbx.answerLeg(o.channelId);
    await h.settle();
    const call = h.calls.byCallerChannel('c1')!;
    expect(call.state).toBe('connected');
    expect(call.answeredBy).toBe(a);
    expect(call.answeredVia).toBe('console');
    expect(h.pbx.ops('addToBridge')[0]!.args[1]).toEqual(['c1', o.channelId]);
    expect(h.pbx.ops('recordBridge')[0]!.args[1]).toBe(`pult-${call.id}`);
    expect(h.operators.get(a)!.state).toBe('oncall');

    vi.advanceTimersByTime(42_000);
    h.pbx.recordings.set(`pult-${call.id}`, wav(42));
    h.pbx.destroy('c1');
    await h.settle();
    const ended = h.calls.get(call.id)!;
    expect(ended.outcome).toBe('answered');
    expect(ended.talkSec).toBe(42);
    expect(h.pbx.ops('hangup').map((c) => c.args[0])).toContain(o.channelId);
    expect(h.pbx.ops('destroyBridge')).toHaveLength(1);
    expect(h.operators.get(a)!.state).toBe('wrapup');
    expect(h.calls.callbacks()).toHaveLength(0);

    h.pbx.emit({ type: 'recordingFinished', name: `pult-${call.id}`, durationSec: 42 });
    await h.settle();
    await vi.advanceTimersByTimeAsync(0);
    const rec = h.calls.recordingForCall(call.id)!;
    expect(rec.state).toBe('stored');
    expect(rec.durationSec).toBe(42);

    await vi.advanceTimersByTimeAsync(5000);
    await h.settle();
    expect(h.operators.get(a)!.state).toBe('available');
  });

  it('rings the next operator after a ring timeout, and the same one again when alone', async () => {
    const h = routingHarness();
    h.addOperator('a', '1001');
    vi.advanceTimersByTime(1000);
    h.addOperator('b', '1002');
    await h.settle();
    h.pbx.inbound('c1', '74950000001');
    await h.settle();
    const first = h.pbx.lastOriginate()!;
    expect(first.endpoint).toBe('PJSIP/1001');
    h.pbx.destroy(first.channelId, 19); // no answer
    await h.settle();
    const second = h.pbx.lastOriginate()!;
    expect(second.endpoint).toBe('PJSIP/1002');
    expect(h.calls.offerByChannel(first.channelId)!.result).toBe('noanswer');
    h.pbx.destroy(second.channelId, 19);
    await h.settle();
    // Both on cooldown for 1 s, then a retries (longest idle again).
    expect(h.pbx.ops('originate')).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1100);
    await h.settle();
    expect(h.pbx.ops('originate')).toHaveLength(3);
    expect(h.pbx.lastOriginate()!.endpoint).toBe('PJSIP/1001');
  });

  it('overflows at once to the mobile group when no operator is logged in; mobile answer = overflowed-answered', async () => {
    const h = routingHarness();
    h.pbx.inbound('c1', '74950000001', '79161112233');
    await h.settle();
    const call = h.calls.byCallerChannel('c1')!;
    expect(call.state).toBe('overflow');
    expect(call.overflowReason).toBe('no-operators');
    const o = h.pbx.lastOriginate()!;
    expect(o.endpoint).toBe('PJSIP/79990000001@carrier');
    expect(o.callerId).toBe('79161112233');
    h.pbx.answerLeg(o.channelId);
    await h.settle();
    vi.advanceTimersByTime(10_000);
    h.pbx.destroy(o.channelId); // the mobile hangs up
    await h.settle();
    const ended = h.calls.get(call.id)!;
    expect(ended.outcome).toBe('overflowed-answered');
    expect(ended.answeredVia).toBe('mobile');
    expect(ended.answeredBy).toBe(h.mobileUser.id);
    expect(h.pbx.ops('hangup').map((c) => c.args[0])).toContain('c1');
  });

  it('after the line timeout the mobiles ring too, while the operator keeps ringing; the operator answering first wins', async () => {
    // Issue 15: overflow adds destinations; it never takes the caller out of the queue.
    const { h, a, opLeg, mobileLeg } = await operatorAndMobileRinging();
    const call = h.calls.byCallerChannel('c1')!;
    expect(call.state).toBe('overflow');
    expect(call.overflowReason).toBe('timeout');
    expect(mobileLeg.endpoint).toBe('PJSIP/79990000001@carrier');
    expect(h.pbx.ops('hangup').map((c) => c.args[0])).not.toContain(opLeg.channelId);
    expect(h.calls.openOffers(call.id).map((o) => o.channelId)).toEqual([opLeg.channelId, mobileLeg.channelId]);
    expect(h.operators.get(a)!.state).toBe('ringing');
    h.pbx.answerLeg(opLeg.channelId);
    await h.settle();
    expect(h.calls.get(call.id)).toMatchObject({ state: 'connected', answeredBy: a, answeredVia: 'console' });
    expect(h.calls.offerByChannel(mobileLeg.channelId)!.result).toBe('cancelled');
    expect(h.pbx.ops('hangup').map((c) => c.args[0])).toContain(mobileLeg.channelId);
  });

  it('a mobile answering first wins over a ringing operator, whose leg is cancelled and who is free again', async () => {
    const { h, a, opLeg, mobileLeg } = await operatorAndMobileRinging();
    // Both legs ring at the same time now.
    expect(h.operators.get(a)!.state).toBe('ringing');
    expect(h.calls.offerByChannel(opLeg.channelId)!.endedAt).toBeNull();
    h.pbx.answerLeg(mobileLeg.channelId);
    await h.settle();
    const call = h.calls.byCallerChannel('c1')!;
    expect(call).toMatchObject({ state: 'connected', answeredVia: 'mobile', answeredNumber: '79990000001' });
    expect(h.calls.offerByChannel(opLeg.channelId)!.result).toBe('cancelled');
    expect(h.pbx.ops('hangup').map((c) => c.args[0])).toContain(opLeg.channelId);
    expect(h.operators.get(a)!.state).toBe('available');
  });

  it('mobiles that do not answer are rung again after the retry pause; only the maximum wait ends the call, politely, with a callback task', async () => {
    const h = routingHarness({ maxWaitSec: 60, mobileRetrySec: 10 });
    h.pbx.inbound('c1', '74950000001');
    await h.settle();
    const m1 = h.pbx.lastOriginate()!;
    expect(m1.endpoint).toBe('PJSIP/79990000001@carrier');
    h.pbx.destroy(m1.channelId, 19);
    await h.settle();
    const m2 = h.pbx.lastOriginate()!;
    expect(m2.endpoint).toBe('PJSIP/79990000002@carrier');
    h.pbx.destroy(m2.channelId, 17); // busy
    await h.settle();
    const call = h.calls.byCallerChannel('c1')!;
    // Everybody missed it once: the caller still waits (no goodbye yet).
    expect(call.state).toBe('overflow');
    expect(h.pbx.ops('play')).toHaveLength(0);
    expect(h.pbx.ops('originate')).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(10_000);
    await h.settle();
    const again = h.pbx.lastOriginate()!;
    expect(h.pbx.ops('originate')).toHaveLength(3);
    expect(again.endpoint).toBe('PJSIP/79990000001@carrier');
    expect(again.channelId).not.toBe(m1.channelId);
    // The maximum wait (60 s from arrival) is the end: goodbye, callback task, ringing leg hung up.
    await vi.advanceTimersByTimeAsync(50_000);
    await h.settle();
    const ended = h.calls.get(call.id)!;
    expect(ended).toMatchObject({ outcome: 'unanswered', endReason: 'nobody answered within the maximum wait', waitSec: 60 });
    expect(h.pbx.ops('hangup').map((c) => c.args[0])).toContain(again.channelId);
    expect(h.pbx.ops('answer').map((c) => c.args[0])).toContain('c1');
    expect(h.pbx.ops('play')).toHaveLength(1);
    const tasks = h.calls.callbacks('pending');
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ callId: call.id, reason: 'unanswered', callerNumber: '79161234567' });
    // The caller's channel going away afterwards changes nothing.
    h.pbx.destroy('c1');
    await h.settle();
    expect(h.calls.callbacks()).toHaveLength(1);
  });

  it('the waiting caller reaches an operator who frees up while the only mobile is busy, not the goodbye', async () => {
    // The report: once the one mobile was busy, each waiting call was ended as unanswered.
    const h = routingHarness({ overflowAfterSec: 5, mobileRetrySec: 10 });
    const a = h.addOperator('a', '1001');
    await h.settle();
    h.pbx.inbound('c1', '74950000001');
    await h.settle();
    const legA = h.pbx.lastOriginate()!;
    h.pbx.answerLeg(legA.channelId);
    await h.settle();
    h.pbx.inbound('c2', '74950000001');
    await h.settle();
    const c2 = h.calls.byCallerChannel('c2')!;
    await vi.advanceTimersByTimeAsync(5000);
    await h.settle();
    for (const expected of ['PJSIP/79990000001@carrier', 'PJSIP/79990000002@carrier']) {
      const leg = h.pbx.lastOriginate()!;
      expect(leg.endpoint).toBe(expected);
      h.pbx.destroy(leg.channelId, 17); // busy
      await h.settle();
    }
    expect(h.calls.get(c2.id)!.state).toBe('overflow');
    // The operator finishes the first call (5 s wrap-up) and gets the waiting caller.
    h.pbx.destroy('c1');
    await h.settle();
    await vi.advanceTimersByTimeAsync(5000);
    await h.settle();
    const offer = h.pbx.ops('originate').map((c) => c.args[0] as { endpoint: string; channelId: string }).find((r) => r.endpoint === 'PJSIP/1001' && r.channelId.startsWith(c2.id))!;
    expect(offer).toBeDefined();
    h.pbx.answerLeg(offer.channelId);
    await h.settle();
    expect(h.calls.get(c2.id)).toMatchObject({ state: 'connected', answeredBy: a, answeredVia: 'console' });
    expect(h.pbx.ops('play')).toHaveLength(0);
    expect(h.calls.callbacks()).toHaveLength(0);
  });

  it('simultaneous mobiles: each one that misses is rung again after the pause, until one answers', async () => {
    const h = routingHarness({ mobileRetrySec: 15 }, 'simultaneous');
    h.pbx.inbound('c1', '74950000001');
    await h.settle();
    const [l1, l2] = h.pbx.ops('originate').map((c) => (c.args[0] as { channelId: string }).channelId);
    h.pbx.destroy(l1!, 21); // declined
    await h.settle();
    expect(h.pbx.ops('originate')).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(15_000);
    await h.settle();
    const retry = h.pbx.lastOriginate()!;
    expect(h.pbx.ops('originate')).toHaveLength(3);
    expect(retry.endpoint).toBe('PJSIP/79990000001@carrier');
    h.pbx.answerLeg(retry.channelId);
    await h.settle();
    expect(h.calls.byCallerChannel('c1')).toMatchObject({ state: 'connected', answeredNumber: '79990000001' });
    expect(h.calls.offerByChannel(l2!)!.result).toBe('cancelled');
  });

  it('a mobile talking on another call is not rung; the next member is', async () => {
    const h = routingHarness({ mobileRetrySec: 10 });
    h.pbx.inbound('c1', '74950000001');
    await h.settle();
    h.pbx.answerLeg(h.pbx.lastOriginate()!.channelId); // mobile 1 takes the first caller
    await h.settle();
    h.pbx.inbound('c2', '74950000001');
    await h.settle();
    expect(h.pbx.ops('originate').map((c) => (c.args[0] as { endpoint: string }).endpoint)).toEqual(['PJSIP/79990000001@carrier', 'PJSIP/79990000002@carrier']);
  });

  it('dials all mobiles at once (simultaneous); the first to answer wins, the others are cancelled', async () => {
    const h = routingHarness({}, 'simultaneous');
    h.pbx.inbound('c1', '74950000001');
    await h.settle();
    const legs = h.pbx.ops('originate').map((c) => (c.args[0] as { channelId: string }).channelId);
    expect(legs).toHaveLength(2);
    h.pbx.answerLeg(legs[1]!);
    await h.settle();
    expect(h.calls.byCallerChannel('c1')!.answeredNumber).toBe('79990000002');
    expect(h.pbx.ops('hangup').map((c) => c.args[0])).toContain(legs[0]);
    // A late answer on the cancelled leg is hung up and changes nothing.
    h.pbx.channels.set(legs[0]!, { id: legs[0]!, name: '', state: 'Up', callerNumber: '', callerName: '', creationTime: '', dialplanApp: '', dialplanAppData: '' });
    h.pbx.answerLeg(legs[0]!);
    await h.settle();
    expect(h.calls.byCallerChannel('c1')!.answeredNumber).toBe('79990000002');
  });

  it('a caller who hangs up while waiting is abandoned, gets a callback task, and frees the ringing operator', async () => {
    const h = routingHarness();
    const a = h.addOperator('a', '1001');
    await h.settle();
    h.pbx.inbound('c1', '74950000001');
    await h.settle();
    const leg = h.pbx.lastOriginate()!;
    vi.advanceTimersByTime(7000);
    h.pbx.destroy('c1');
    await h.settle();
    const call = h.calls.byCallerChannel('c1')!;
    expect(call.outcome).toBe('abandoned');
    expect(call.waitSec).toBe(7);
    expect(h.pbx.ops('hangup').map((c) => c.args[0])).toContain(leg.channelId);
    expect(h.operators.get(a)!.state).toBe('available');
    expect(h.calls.callbacks('pending')[0]).toMatchObject({ reason: 'abandoned' });
    // Its leg's destruction after that is harmless.
    h.pbx.destroy(leg.channelId);
    await h.settle();
    expect(h.calls.callbacks()).toHaveLength(1);
  });

  it('outside working hours the call overflows at once', async () => {
    const h = routingHarness({ workingHours: { mon: ['08:00', '09:00'] } });
    h.addOperator('a', '1001');
    await h.settle();
    h.pbx.inbound('c1', '74950000001'); // Monday 12:00 Moscow
    await h.settle();
    expect(h.calls.byCallerChannel('c1')!.overflowReason).toBe('after-hours');
  });

  it('on a holiday a line open around the clock gives the out-of-hours treatment (mobiles at once); with the holiday moved to tomorrow it does not', async () => {
    const h = routingHarness({ workingHours: null, holidays: [{ date: '2026-11-23', hours: null, note: 'праздник' }] });
    h.addOperator('a', '1001');
    await h.settle();
    h.pbx.inbound('c1', '74950000001'); // Monday 23 November 12:00 Moscow: the holiday
    await h.settle();
    expect(h.calls.byCallerChannel('c1')!.overflowReason).toBe('after-hours');
    const mobiles = () => h.pbx.ops('originate').filter((c) => (c.args[0] as { endpoint: string }).endpoint.endsWith('@carrier')).length;
    expect(mobiles()).toBe(1); // the duty mobile is rung at once
    h.lines.setHolidays(h.line.id, [{ date: '2026-11-24', hours: null, note: '' }]);
    h.pbx.inbound('c2', '74950000001');
    await h.settle();
    expect(h.calls.byCallerChannel('c2')!.overflowReason).toBeNull();
    expect(mobiles()).toBe(1); // no mobile for the second caller: the line is open
  });

  it('a call to an unknown DID goes to the default line and still reaches an operator', async () => {
    const h = routingHarness();
    h.addOperator('a', '1001');
    await h.settle();
    h.pbx.inbound('c1', '70000000000');
    await h.settle();
    const call = h.calls.byCallerChannel('c1')!;
    expect(call.lineId).toBe(h.line.id);
    expect(h.pbx.lastOriginate()!.endpoint).toBe('PJSIP/1001');
  });

  it('an originate that fails is logged as failed, retried after the cooldown, and the call still overflows', async () => {
    const h = routingHarness({ overflowAfterSec: 5 });
    h.addOperator('a', '1001');
    await h.settle();
    h.pbx.failOriginate = (r) => r.endpoint === 'PJSIP/1001';
    h.pbx.inbound('c1', '74950000001');
    await h.settle();
    const call = h.calls.byCallerChannel('c1')!;
    expect(h.calls.offers(call.id)[0]!.result).toBe('failed');
    expect(h.operators.list()[0]!.state).toBe('available');
    await vi.advanceTimersByTimeAsync(5000);
    await h.settle();
    expect(h.calls.get(call.id)!.state).toBe('overflow');
    const endpoints = h.pbx.ops('originate').map((c) => (c.args[0] as { endpoint: string }).endpoint);
    expect(endpoints).toContain('PJSIP/79990000001@carrier');
    // The operator is still tried as well (overflow does not take the caller out of the queue).
    expect(endpoints.filter((e) => e === 'PJSIP/1001').length).toBeGreaterThan(1);
  });

  it("never offers a call to an operator of another management company", async () => {
    const h = routingHarness();
    const other = Number(h.db.prepare("INSERT INTO tenants (name) VALUES ('Другая УК')").run().lastInsertRowid);
    const u = h.auth.createUser({ login: 'x', password: 'secret1', role: 'operator', fullName: 'x', tenantIds: [other] });
    h.operators.create(u.id, { extension: '1999', deviceKind: 'sip' });
    h.operators.setPresence(u.id, 'available');
    await h.settle();
    h.pbx.inbound('c1', '74950000001');
    await h.settle();
    expect(h.pbx.ops('originate').map((c) => (c.args[0] as { endpoint: string }).endpoint)).toEqual(['PJSIP/79990000001@carrier']);
    expect(h.calls.byCallerChannel('c1')!.overflowReason).toBe('no-operators');
  });

  it('blind transfer: the operator leaves at once, the target joins the same bridge, the call ends once', async () => {
    const h = routingHarness();
    const a = h.addOperator('a', '1001');
    vi.advanceTimersByTime(1000);
    const b = h.addOperator('b', '1002');
    await h.settle();
    h.pbx.inbound('c1', '74950000001');
    await h.settle();
    const legA = h.pbx.lastOriginate()!;
    h.pbx.answerLeg(legA.channelId);
    await h.settle();
    const call = h.calls.byCallerChannel('c1')!;
    expect(await h.router.run('t', () => h.router.transfer(call.id, b, { userId: b, extension: '1002' }))).toBe('the call is not connected to you');
    expect(await h.router.run('t', () => h.router.transfer(call.id, a, { userId: b, extension: '1002' }))).toBeNull();
    await h.settle();
    const legB = h.pbx.lastOriginate()!;
    expect(legB).toMatchObject({ endpoint: 'PJSIP/1002', appArgs: ['transfer', call.id] });
    expect(h.pbx.ops('hangup').map((c) => c.args[0])).toContain(legA.channelId);
    expect(h.operators.get(a)!.state).toBe('wrapup');
    expect(h.operators.get(b)!.state).toBe('ringing');
    h.pbx.destroy(legA.channelId); // the operator's leg going away does not end the call
    await h.settle();
    expect(h.calls.get(call.id)!.state).toBe('connected');
    h.pbx.answerLeg(legB.channelId);
    await h.settle();
    expect(h.pbx.ops('addToBridge').at(-1)!.args).toEqual([`${call.id}-b`, [legB.channelId]]);
    expect(h.operators.get(b)!.state).toBe('oncall');
    expect(h.calls.get(call.id)).toMatchObject({ answeredChannelId: legB.channelId, transferTarget: '1002', answeredBy: a });
    h.pbx.destroy('c1');
    await h.settle();
    expect(h.calls.get(call.id)!.outcome).toBe('answered');
    expect(h.operators.get(b)!.state).toBe('wrapup');
    expect(h.calls.callbacks()).toHaveLength(0);
  });

  it('a transfer nobody picks up ends the call with a callback task', async () => {
    const h = routingHarness();
    const a = h.addOperator('a', '1001');
    await h.settle();
    h.pbx.inbound('c1', '74950000001');
    await h.settle();
    h.pbx.answerLeg(h.pbx.lastOriginate()!.channelId);
    await h.settle();
    const call = h.calls.byCallerChannel('c1')!;
    expect(await h.router.run('t', () => h.router.transfer(call.id, a, { number: '79035550000' }))).toBeNull();
    await h.settle();
    const leg = h.pbx.lastOriginate()!;
    expect(leg.endpoint).toBe('PJSIP/79035550000@carrier');
    h.pbx.destroy(leg.channelId, 19);
    await h.settle();
    expect(h.calls.get(call.id)).toMatchObject({ state: 'ended', outcome: 'answered', endReason: 'transfer target did not answer' });
    expect(h.calls.callbacks()[0]).toMatchObject({ callId: call.id, reason: 'unanswered' });
    expect(h.pbx.ops('hangup').map((c) => c.args[0])).toContain('c1');
  });

  it('a channel entering the app with unknown arguments is hung up, nothing recorded', async () => {
    const h = routingHarness();
    h.pbx.emit({ type: 'channelEntered', channel: { id: 'x', name: 'x', state: 'Up', callerNumber: '', callerName: '', creationTime: '', dialplanApp: '', dialplanAppData: '' }, args: ['bogus'] });
    await h.settle();
    expect(h.pbx.ops('hangup').map((c) => c.args[0])).toEqual(['x']);
    expect(h.calls.open()).toHaveLength(0);
  });

  it('the same StasisStart delivered twice makes one call', async () => {
    const h = routingHarness();
    h.pbx.inbound('c1', '74950000001');
    h.pbx.inbound('c1', '74950000001');
    await h.settle();
    expect(h.db.prepare('SELECT count(*) FROM calls').pluck().get()).toBe(1);
  });
});

describe('resync after a restart or reconnect', () => {
  it('keeps a connected call, re-adopts a waiting one, closes one that ended while away, exactly once', async () => {
    const h = routingHarness({ overflowAfterSec: 60 });
    const a = h.addOperator('a', '1001');
    const b = h.addOperator('b', '1002');
    await h.settle();
    h.pbx.inbound('up', '74950000001');
    await h.settle();
    h.pbx.answerLeg(h.pbx.lastOriginate()!.channelId);
    await h.settle();
    h.pbx.inbound('wait', '74950000001');
    await h.settle();
    const waitLeg = h.pbx.lastOriginate()!;
    h.pbx.inbound('gone', '74950000001');
    await h.settle();

    // "Restart": a new router on the same database; meanwhile the ringing leg
    // timed out and the third caller hung up, with nobody listening.
    h.router.stop();
    const h2 = { ...h };
    h.pbx.channels.delete(waitLeg.channelId);
    h.pbx.channels.delete('gone');
    const { CallRouter } = await import('../../src/features/routing/router.js');
    const { Resync } = await import('../../src/features/routing/resync.js');
    const { systemClock } = await import('../../src/clock.js');
    const { silentLogger } = await import('../../src/log.js');
    const router2 = new CallRouter(h.db, h.pbx, h.calls, h.lines, h.operators, h.recordings, h.events, systemClock, silentLogger, { trunkEndpoint: 'carrier', timeZone: 'Europe/Moscow', wrapupSec: 5 });
    const resync2 = new Resync(h.pbx, router2, h.calls, h.lines, h.operators, h.recordings, systemClock, silentLogger, { app: 'pult', trunkEndpoint: 'carrier', fallbackTimeoutSec: 30 });
    let report: Awaited<ReturnType<typeof resync2.run>> | undefined;
    await router2.enqueue('resync', async () => {
      report = await resync2.run();
    });
    for (let i = 0; i < 5; i++) await router2.idle();
    expect(report).toMatchObject({ keptConnected: 1, readopted: 1, endedWhileAway: 1 });
    expect(h2.calls.byCallerChannel('up')!.state).toBe('connected');
    expect(h2.calls.byCallerChannel('gone')!.outcome).toBe('abandoned');
    expect(h2.calls.byCallerChannel('wait')!.state).toBe('waiting');
    expect(h.pbx.endpoints.size).toBe(2);
    expect(h.pbx.globals.get('PULT_FALLBACK_DIAL')).toBe('PJSIP/79990000001@carrier&PJSIP/79990000002@carrier');
    // The waiting call is offered again (to whichever operator is free).
    const states = [h.operators.get(a)!.state, h.operators.get(b)!.state].sort();
    expect(states).toEqual(['oncall', 'ringing']);

    // A second resync changes nothing and counts nothing twice.
    await router2.enqueue('resync', async () => {
      report = await resync2.run();
    });
    expect(report).toMatchObject({ endedWhileAway: 0 });
    expect(h.calls.callbacks()).toHaveLength(1);
    router2.stop();
  });

  it('an overflowed call whose last mobile leg vanished while away stays in the queue: the mobiles are tried again, no goodbye', async () => {
    const h = routingHarness({ mobileRetrySec: 10 });
    h.pbx.inbound('c1', '74950000001');
    await h.settle();
    h.pbx.destroy(h.pbx.lastOriginate()!.channelId, 19); // mobile 1 missed it; mobile 2 rings
    await h.settle();
    const m2 = h.pbx.lastOriginate()!;
    h.pbx.channels.delete(m2.channelId); // gone while Pult was away
    await h.router.enqueue('resync', async () => {
      await h.resync.run();
    });
    await h.settle();
    const call = h.calls.byCallerChannel('c1')!;
    expect(call.state).toBe('overflow');
    expect(h.calls.offerByChannel(m2.channelId)!.result).toBe('lost');
    expect(h.pbx.ops('play')).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(10_000);
    await h.settle();
    expect(h.pbx.ops('originate')).toHaveLength(3);
    expect(h.pbx.lastOriginate()!.endpoint).toBe('PJSIP/79990000001@carrier');
    expect(h.calls.callbacks()).toHaveLength(0);
  });

  it('adopts a call that entered the app while Pult was down', async () => {
    const h = routingHarness();
    h.pbx.channels.set('late', { id: 'late', name: 'PJSIP/carrier-1', state: 'Ring', callerNumber: '79160000000', callerName: '', creationTime: '2026-11-23T08:59:50.000+0000', dialplanApp: 'Stasis', dialplanAppData: 'pult,inbound,74950000001' });
    let report: Awaited<ReturnType<typeof h.resync.run>> | undefined;
    await h.router.enqueue('resync', async () => {
      report = await h.resync.run();
    });
    expect(report!.adoptedNew).toBe(1);
    const call = h.calls.byCallerChannel('late')!;
    expect(call.arrivedAt).toBe('2026-11-23T08:59:50.000Z');
  });
});
