// The queue policy as a table: who gets which caller now.
import { describe, expect, it } from 'vitest';
import { assignOperators, planDispatch, type FreeOperator, type QueuedCall, type WaitingCall } from '../../src/domain/queue-policy.js';

const call = (callId: string, o: Partial<QueuedCall> = {}): QueuedCall => ({
  callId, priority: 0, arrivedAt: '2026-11-23T09:00:00.000Z', tenantId: 1, operatorRinging: false, excluded: new Set(), ...o,
});
const op = (userId: number, idleSince: string, tenantIds: number[] = [1]): FreeOperator => ({ userId, idleSince, tenantIds });
const t = (sec: number) => new Date(Date.UTC(2026, 10, 23, 9, 0, sec)).toISOString();

describe('queue policy: assignOperators', () => {
  const cases: { name: string; calls: QueuedCall[]; free: FreeOperator[]; expected: [string, number][] }[] = [
    { name: 'nobody waiting', calls: [], free: [op(1, t(0))], expected: [] },
    { name: 'nobody free', calls: [call('a')], free: [], expected: [] },
    { name: 'the oldest caller gets the longest-idle operator', calls: [call('new', { arrivedAt: t(20) }), call('old', { arrivedAt: t(10) })], free: [op(1, t(5)), op(2, t(1))], expected: [['old', 2], ['new', 1]] },
    { name: 'one operator, two callers: the oldest', calls: [call('new', { arrivedAt: t(20) }), call('old', { arrivedAt: t(10) })], free: [op(1, t(0))], expected: [['old', 1]] },
    { name: 'the highest-priority line first, even if its caller came later', calls: [call('planned', { arrivedAt: t(1), priority: 0 }), call('emergency', { arrivedAt: t(30), priority: 10 })], free: [op(1, t(0))], expected: [['emergency', 1]] },
    { name: 'negative priority waits behind the default', calls: [call('low', { arrivedAt: t(1), priority: -1 }), call('normal', { arrivedAt: t(9) })], free: [op(1, t(0))], expected: [['normal', 1]] },
    { name: 'a caller already ringing an operator is skipped', calls: [call('ringing', { arrivedAt: t(1), operatorRinging: true }), call('next', { arrivedAt: t(2) })], free: [op(1, t(0))], expected: [['next', 1]] },
    { name: 'an operator cooling down for a caller is not offered it, but takes the next', calls: [call('a', { arrivedAt: t(1), excluded: new Set([1]) }), call('b', { arrivedAt: t(2) })], free: [op(1, t(0)), op(2, t(3))], expected: [['a', 2], ['b', 1]] },
    { name: 'only operators of the line\'s company', calls: [call('a', { tenantId: 2 })], free: [op(1, t(0), [1]), op(2, t(5), [1, 2])], expected: [['a', 2]] },
    { name: 'nobody of that company: the caller waits, the next one is served', calls: [call('a', { tenantId: 3, arrivedAt: t(1) }), call('b', { arrivedAt: t(2) })], free: [op(1, t(0))], expected: [['b', 1]] },
    { name: 'a line with no company goes to anyone', calls: [call('a', { tenantId: null })], free: [op(7, t(0), [])], expected: [['a', 7]] },
    { name: 'idle ties broken by user id', calls: [call('a')], free: [op(9, t(0)), op(4, t(0))], expected: [['a', 4]] },
    // Issue 15: a burst admitted in one step can share a millisecond; the order given is the order the PBX sent them.
    { name: 'callers of the same millisecond: the one given first, whatever their ids', calls: [call('zz-first'), call('aa-second'), call('mm-third')], free: [op(1, t(5)), op(2, t(1))], expected: [['zz-first', 2], ['aa-second', 1]] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(assignOperators(c.calls, c.free).map((d) => [d.callId, d.userId])).toEqual(c.expected);
    });
  }
});

describe('queue policy: planDispatch (one dispatch round)', () => {
  const now = Date.UTC(2026, 10, 23, 9, 1, 0);
  const waiting = (callId: string, o: Partial<WaitingCall> = {}): WaitingCall => ({
    callId, state: 'waiting', priority: 0, arrivedAt: t(0), tenantId: 1, operatorRinging: false, cooldownUntil: new Map(), ...o,
  });
  const logged = (entries: [number | null, number][]) => new Map(entries);
  const cases: { name: string; calls: WaitingCall[]; loggedIn: Map<number | null, number>; free: FreeOperator[]; offers: [string, number][]; overflow: string[]; retryAt: number | null }[] = [
    { name: 'a waiting caller goes to the free operator', calls: [waiting('a')], loggedIn: logged([[1, 1]]), free: [op(1, t(0))], offers: [['a', 1]], overflow: [], retryAt: null },
    {
      name: 'nobody of the company logged in: a waiting caller overflows now, an overflowed one just waits',
      calls: [waiting('w', { tenantId: 2 }), waiting('o', { tenantId: 2, state: 'overflow' }), waiting('x')], loggedIn: logged([[1, 1], [2, 0]]), free: [op(1, t(0), [1, 2])],
      offers: [['x', 1]], overflow: ['w'], retryAt: null,
    },
    { name: 'an unknown company counts as nobody logged in', calls: [waiting('a', { tenantId: 9 })], loggedIn: logged([[1, 3]]), free: [op(1, t(0))], offers: [], overflow: ['a'], retryAt: null },
    {
      name: 'an operator cooling down is left out; the queue is looked at again when the cooldown ends',
      calls: [waiting('a', { cooldownUntil: new Map([[1, now + 1500]]) })], loggedIn: logged([[1, 1]]), free: [op(1, t(0))], offers: [], overflow: [], retryAt: now + 1500,
    },
    {
      name: 'an ended cooldown no longer excludes, and sets no retry',
      calls: [waiting('a', { cooldownUntil: new Map([[1, now - 1]]) })], loggedIn: logged([[1, 1]]), free: [op(1, t(0))], offers: [['a', 1]], overflow: [], retryAt: null,
    },
    {
      name: 'the earliest of several cooldowns decides the retry, even for a caller ringing someone else',
      calls: [waiting('a', { operatorRinging: true, cooldownUntil: new Map([[1, now + 900]]) }), waiting('b', { cooldownUntil: new Map([[2, now + 3000]]) })], loggedIn: logged([[1, 2]]), free: [op(2, t(0))],
      offers: [], overflow: [], retryAt: now + 900,
    },
    {
      name: 'an emergency caller who came later is served before a planned one; overflowed callers stay in the queue',
      calls: [waiting('planned', { arrivedAt: t(1) }), waiting('emergency', { arrivedAt: t(40), priority: 10, state: 'overflow' })], loggedIn: logged([[1, 1]]), free: [op(1, t(0))],
      offers: [['emergency', 1]], overflow: [], retryAt: null,
    },
    { name: 'every caller already ringing an operator: no offers', calls: [waiting('a', { operatorRinging: true })], loggedIn: logged([[1, 1]]), free: [op(1, t(0))], offers: [], overflow: [], retryAt: null },
    { name: 'a line with no company: anyone logged in at all', calls: [waiting('a', { tenantId: null })], loggedIn: logged([[null, 1]]), free: [op(5, t(0), [])], offers: [['a', 5]], overflow: [], retryAt: null },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const plan = planDispatch(c.calls, c.loggedIn, c.free, now);
      expect(plan.offers.map((d) => [d.callId, d.userId])).toEqual(c.offers);
      expect(plan.overflowNoOperators).toEqual(c.overflow);
      expect(plan.retryAtMs).toEqual(c.retryAt);
    });
  }
});
