// Issue 15, item 4: callbacks as a workflow (due time, Pult dials them
// itself, retries, one task per number, called-in closes, withheld numbers,
// inbound first) and item 5's shared "outbound call" action; fake PBX.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { routingHarness } from '../support/routing-harness.js';
import { attachCallbacks } from '../../src/features/callbacks/index.js';
import { CallbackScheduler } from '../../src/features/callbacks/scheduler.js';
import { silentLogger } from '../../src/log.js';
import { systemClock } from '../../src/clock.js';
import type { NewLine } from '../../src/features/lines/repository.js';
import type { OriginateRequest } from '../../src/telephony/ports.js';

const T0 = new Date('2026-11-23T09:00:00Z');
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  vi.setSystemTime(T0);
});
afterEach(() => {
  vi.useRealTimers();
});

function harness(line: Partial<NewLine> = {}, o: { auto?: boolean; urgentSec?: number; autoPause?: number } = {}) {
  const h = routingHarness({ overflowGroupId: null, ...line }, 'sequential', { autoPauseAfterMissed: o.autoPause ?? 0 });
  const cb = attachCallbacks({ db: h.db, pbx: h.pbx, router: h.router, calls: h.calls, lines: h.lines, operators: h.operators, recordings: h.recordings, events: h.events, clock: systemClock, logger: silentLogger },
    { trunkEndpoint: 'carrier', auto: o.auto ?? true, urgentSec: o.urgentSec ?? 120, tickMs: 3_600_000 });
  const originates = () => h.pbx.ops('originate').map((c) => c.args[0] as OriginateRequest);
  const outboundLegs = () => originates().filter((r) => r.appArgs[0] === 'outbound');
  /** A caller rings and hangs up before anyone answers. */
  const abandon = async (channelId: string, caller = '79161234567') => {
    h.pbx.inbound(channelId, '74950000001', caller);
    await h.settle();
    h.pbx.destroy(channelId);
    await h.settle();
  };
  const tasks = () => h.db.prepare('SELECT * FROM callback_tasks ORDER BY id').all() as { id: number; caller_number: string; due_at: string; attempts: number; next_attempt_at: string | null; callable: number; status: string; done_reason: string | null; call_id: string }[];
  return { ...h, cb, originates, outboundLegs, abandon, tasks };
}

describe('callback tasks (issue 15, item 4)', () => {
  it('a task is due the line\'s callback_due_min after the call arrived; repeated abandons from one number are one task keeping the first place', async () => {
    const h = harness({ callbackDueMin: 7 });
    await h.abandon('c1');
    vi.setSystemTime(new Date(T0.getTime() + 60_000));
    await h.abandon('c2');
    await h.abandon('c3', '79160000000');
    const t = h.tasks();
    expect(t.map((x) => x.caller_number)).toEqual(['79161234567', '79160000000']);
    expect(t[0]!.due_at).toBe(new Date(T0.getTime() + 7 * 60_000).toISOString());
    expect(t[1]!.due_at).toBe(new Date(T0.getTime() + 60_000 + 7 * 60_000).toISOString());
    // The API's view: countdown fields.
    const page = h.calls.callbackPage({ lineIds: null, limit: 10 });
    expect(page[1]).toMatchObject({ dueAt: t[0]!.due_at, attempts: 0, callable: 1 });
  });

  it('a withheld number\'s task is not callable and Pult never dials it', async () => {
    const h = harness();
    await h.abandon('c1', 'anonymous');
    await h.abandon('c2', 'anonymous');
    expect(h.tasks().map((t) => t.callable)).toEqual([0, 0]); // two callers, not one
    h.addOperator('a', '1001');
    await h.settle();
    expect(h.outboundLegs()).toHaveLength(0);
  });

  it('Pult dials the task itself: operator first (card, phone), then the number over the trunk; bridged, recorded, logged as outbound, task done', async () => {
    const h = harness();
    await h.abandon('c1');
    const a = h.addOperator('a', '1001', false);
    h.operators.setPresence(a, 'available');
    await h.settle();
    const [opLeg] = h.outboundLegs();
    expect(opLeg).toMatchObject({ endpoint: 'PJSIP/1001', callerId: '79161234567' });
    const callId = opLeg!.appArgs[1]!;
    expect(h.seen.filter((e) => e.type === 'call.offered').at(-1)!.payload).toMatchObject({ callId, userId: a });
    expect(h.operators.get(a)!.activity).toBe('ringing');

    h.pbx.answerLeg(opLeg!.channelId);
    await h.settle();
    const numberLeg = h.outboundLegs()[1]!;
    expect(numberLeg).toMatchObject({ endpoint: 'PJSIP/79161234567@carrier', callerId: '74950000001', appArgs: ['outbound', callId, 'number'] });
    expect(h.tasks()[0]!.attempts).toBe(1);

    h.pbx.answerLeg(numberLeg.channelId);
    await h.settle();
    expect(h.pbx.ops('addToBridge').at(-1)!.args).toEqual([`${callId}-b`, [opLeg!.channelId, numberLeg.channelId]]);
    expect(h.pbx.ops('recordBridge').at(-1)!.args).toEqual([`${callId}-b`, `pult-${callId}`, 'wav']);
    expect(h.calls.get(callId)).toMatchObject({ direction: 'outbound', state: 'connected', answeredBy: a, callbackTaskId: h.tasks()[0]!.id, callerNumber: '79161234567' });
    expect(h.tasks()[0]).toMatchObject({ status: 'done', done_reason: 'connected' });

    h.pbx.destroy(numberLeg.channelId);
    await h.settle();
    expect(h.calls.get(callId)).toMatchObject({ state: 'ended', outcome: 'answered' });
    expect(h.operators.get(a)!.activity).toBe('wrapup');
    // An outbound call never makes a task of its own nor enters the queue.
    expect(h.tasks()).toHaveLength(1);
  });

  it('busy or no answer from the number → retried after callback_retry_sec, at most callback_attempts times', async () => {
    const h = harness({ callbackAttempts: 2, callbackRetrySec: 120 });
    await h.abandon('c1');
    h.addOperator('a', '1001');
    await h.settle();
    const attempt = async (cause: number) => {
      const legs = h.outboundLegs();
      h.pbx.answerLeg(legs.at(-1)!.channelId);
      await h.settle();
      h.pbx.destroy(h.outboundLegs().at(-1)!.channelId, cause);
      await h.settle();
    };
    await attempt(17); // busy
    const t1 = h.tasks()[0]!;
    expect(t1).toMatchObject({ attempts: 1, status: 'pending', next_attempt_at: new Date(T0.getTime() + 120_000).toISOString() });
    const firstCall = h.outboundLegs()[0]!.appArgs[1]!;
    expect(h.calls.get(firstCall)).toMatchObject({ direction: 'outbound', outcome: 'unanswered' });
    expect(h.calls.get(firstCall)!.endReason).toContain('busy');
    // Not before the retry time, although the operator is free.
    await h.router.run('tick', async () => h.cb.scheduler.tick());
    expect(h.outboundLegs()).toHaveLength(2);
    vi.setSystemTime(new Date(T0.getTime() + 121_000));
    await h.router.run('tick', async () => h.cb.scheduler.tick());
    expect(h.outboundLegs()).toHaveLength(3);
    await attempt(19); // no answer
    expect(h.tasks()[0]).toMatchObject({ attempts: 2, status: 'pending' });
    vi.setSystemTime(new Date(T0.getTime() + 600_000));
    await h.router.run('tick', async () => h.cb.scheduler.tick());
    expect(h.outboundLegs()).toHaveLength(4); // attempts used up: left to people
  });

  it('the operator not answering is not an attempt against the caller; their missed-offer count applies', async () => {
    const h = harness({}, { autoPause: 1 });
    await h.abandon('c1');
    const a = h.addOperator('a', '1001');
    await h.settle();
    const [opLeg] = h.outboundLegs();
    h.pbx.destroy(opLeg!.channelId, 19);
    await h.settle();
    expect(h.tasks()[0]).toMatchObject({ attempts: 0, status: 'pending' });
    expect(h.operators.get(a)).toMatchObject({ presence: 'paused', pauseReason: 'Не отвечает' });
    expect(h.calls.get(opLeg!.appArgs[1]!)).toMatchObject({ outcome: 'unanswered' });
    expect(h.pbx.ops('originate').filter((c) => (c.args[0] as OriginateRequest).endpoint.includes('@carrier'))).toHaveLength(0);
  });

  it('a caller who calls in and is answered closes their own open task (called-in)', async () => {
    const h = harness({}, { auto: false });
    await h.abandon('c1');
    h.addOperator('a', '1001');
    h.pbx.inbound('c2', '74950000001', '79161234567');
    await h.settle();
    expect(h.tasks()[0]!.status).toBe('pending');
    h.pbx.answerLeg(h.originates().at(-1)!.channelId);
    await h.settle();
    expect(h.tasks()[0]).toMatchObject({ status: 'done', done_reason: 'called-in' });
  });

  it('inbound first: a task takes a free operator while that operator\'s companies have callers waiting only near its due time', async () => {
    for (const urgentSec of [0, 3600]) {
      const h = harness({}, { auto: false });
      await h.abandon('c1', '79160000000');
      const a = h.addOperator('a', '1001');
      h.pbx.inbound('c2', '74950000001');
      await h.settle();
      // The operator lets the waiting caller ring out: free again, but the caller still waits (cooldown).
      h.pbx.destroy(h.originates().at(-1)!.channelId, 19);
      await h.settle();
      expect(h.operators.get(a)!.state).toBe('available');
      expect(h.calls.byCallerChannel('c2')!.state).toBe('waiting');
      const s = new CallbackScheduler({ router: h.router, callbacks: h.cb.callbacks, outbound: h.cb.outbound, calls: h.calls, lines: h.lines, operators: h.operators, events: h.events, clock: systemClock, logger: silentLogger }, { urgentSec });
      await h.router.run('tick', async () => s.tick());
      // Due in 10 min: not urgent with a 0 s margin (inbound waits first), urgent with a 1 h margin.
      expect(h.outboundLegs()).toHaveLength(urgentSec === 0 ? 0 : 1);
    }
  });
});

describe('outbound calls after an ARI reconnect', () => {
  it('an outbound call whose operator leg is gone is ended and the operator released; a live one is kept', async () => {
    const h = harness({}, { auto: false });
    const a = h.addOperator('a', '1001');
    const b = h.addOperator('b', '1002');
    await h.settle();
    const first = await h.router.run('out', async () => h.cb.outbound.start({ userId: a, number: '79161112233', taskId: null, lineId: null }));
    const second = await h.router.run('out', async () => h.cb.outbound.start({ userId: b, number: '79161112244', taskId: null, lineId: null }));
    if ('problem' in first || 'problem' in second) throw new Error('not started');
    expect(h.operators.get(a)!.activity).toBe('ringing');
    // Asterisk restarted meanwhile: the first operator leg is gone without an event.
    h.pbx.channels.delete(`${first.callId}-o1`);
    await h.router.run('resync', () => h.cb.outbound.resync());
    await h.settle();
    expect(h.calls.get(first.callId)).toMatchObject({ state: 'ended', direction: 'outbound' });
    expect(h.operators.get(a)!.activity).toBe('idle');
    expect(h.calls.get(second.callId)!.state).toBe('waiting');
    expect(h.operators.get(b)!.activity).toBe('ringing');
  });

  it('a click-to-call is refused while the operator is on a call, and for a task already being dialled', async () => {
    const h = harness({}, { auto: false });
    const a = h.addOperator('a', '1001');
    const b = h.addOperator('b', '1002');
    await h.abandon('c1');
    const task = h.tasks()[0]!.id;
    const ok = await h.router.run('out', async () => h.cb.outbound.start({ userId: a, number: '79161234567', taskId: task, lineId: null }));
    expect(ok).toHaveProperty('callId');
    expect(await h.router.run('out', async () => h.cb.outbound.start({ userId: a, number: '79160000000', taskId: null, lineId: null }))).toEqual({ problem: 'you are on a call' });
    expect(await h.router.run('out', async () => h.cb.outbound.start({ userId: b, number: '79161234567', taskId: task, lineId: null }))).toEqual({ problem: 'this callback is being dialled already' });
  });
});

describe('a task closed while its callback rings the operator', () => {
  it('the caller called in meanwhile: the operator answering does not dial the number', async () => {
    const h = harness();
    await h.abandon('c1');
    const a = h.addOperator('a', '1001');
    await h.settle();
    const [opLeg] = h.outboundLegs();
    const task = h.tasks()[0]!;
    h.cb.callbacks.done(task.id, 'called-in', new Date().toISOString());
    h.pbx.answerLeg(opLeg!.channelId);
    await h.settle();
    expect(h.outboundLegs()).toHaveLength(1); // no leg to the number
    expect(h.calls.get(opLeg!.appArgs[1]!)).toMatchObject({ state: 'ended', outcome: 'unanswered' });
    expect(h.pbx.ops('hangup').map((c) => c.args[0])).toContain(opLeg!.channelId);
    expect(h.tasks()[0]).toMatchObject({ attempts: 0, done_reason: 'called-in' });
    expect(h.operators.get(a)!.activity).toBe('idle');
  });
});
