// Who gets which caller now: the queue policy as a pure function (state in,
// decisions out), so the router only gathers the state and carries out the
// decisions, and the rules are tested as a table.
//
// Rules:
// - Callers are served by line priority (higher first: emergency before
//   planned), then by arrival (oldest first).
// - A caller already ringing an operator is not offered to a second one;
//   ringing mobiles (overflow) do not count: overflow adds destinations, it
//   never takes the caller out of the queue.
// - Each caller goes to the longest-idle free operator who works for the
//   line's management company and is not cooling down for that caller.
// - One operator gets at most one caller per round.
import { pickLongestIdle } from './operator-state.js';

export interface QueuedCall {
  callId: string;
  /** The line's priority: higher is served first. */
  priority: number;
  /** ISO time the caller arrived. */
  arrivedAt: string;
  /** The line's management company (null: any operator may take it). */
  tenantId: number | null;
  /** An operator's phone is ringing with this call now. */
  operatorRinging: boolean;
  /** Operators not to offer this call to now (they just let it ring out or failed). */
  excluded: ReadonlySet<number>;
}

export interface FreeOperator {
  userId: number;
  /** ISO time the operator became idle (longest idle first). */
  idleSince: string;
  tenantIds: readonly number[];
}

export interface OfferDecision {
  callId: string;
  userId: number;
}

/**
 * Queue order: higher priority first, then oldest first. Callers of the same
 * millisecond (a burst admitted in one step) keep the order they are given in:
 * the dispatcher gives them in the order they were stored, which is the order
 * the PBX sent them.
 */
export function compareQueued(a: QueuedCall, b: QueuedCall): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  if (a.arrivedAt !== b.arrivedAt) return a.arrivedAt < b.arrivedAt ? -1 : 1;
  return 0;
}

/** The offers to make now: which caller rings which free operator (`calls` in arrival order breaks ties). */
export function assignOperators(calls: readonly QueuedCall[], free: readonly FreeOperator[]): OfferDecision[] {
  const decisions: OfferDecision[] = [];
  const taken = new Set<number>();
  for (const call of [...calls].sort(compareQueued)) {
    if (call.operatorRinging) continue;
    if (taken.size === free.length) break;
    const serving = free.filter((o) => !taken.has(o.userId) && (call.tenantId === null || o.tenantIds.includes(call.tenantId)));
    const pick = pickLongestIdle(serving, call.excluded);
    if (!pick) continue;
    taken.add(pick.userId);
    decisions.push({ callId: call.callId, userId: pick.userId });
  }
  return decisions;
}

/** A caller in the queue as the dispatcher sees it (waiting, or overflowed: mobiles ringing). */
export interface WaitingCall {
  callId: string;
  state: 'waiting' | 'overflow';
  priority: number;
  arrivedAt: string;
  tenantId: number | null;
  operatorRinging: boolean;
  /** Operators who let this call ring out or failed, and until when (ms) it is not offered to them again. */
  cooldownUntil: ReadonlyMap<number, number>;
}

export interface DispatchPlan {
  /** Which caller rings which operator now. */
  offers: OfferDecision[];
  /** Waiting callers whose company has no operator logged in: ring the mobiles now. */
  overflowNoOperators: string[];
  /** When (ms) a cooldown ends and the queue should be looked at again; null = no need. */
  retryAtMs: number | null;
}

/**
 * One dispatch round, "who gets which caller now": callers of a company with
 * nobody logged in go to overflow (a waiting one starts it; overflowed ones
 * just wait for the mobiles); the rest are matched by assignOperators, with
 * operators still cooling down for a caller left out; the earliest cooldown
 * end says when to look again.
 */
export function planDispatch(calls: readonly WaitingCall[], loggedIn: ReadonlyMap<number | null, number>, free: readonly FreeOperator[], nowMs: number): DispatchPlan {
  const overflowNoOperators: string[] = [];
  const queued: QueuedCall[] = [];
  let retryAtMs = Infinity;
  for (const call of calls) {
    if ((loggedIn.get(call.tenantId) ?? 0) === 0) {
      if (call.state === 'waiting') overflowNoOperators.push(call.callId);
      continue;
    }
    const excluded = new Set<number>();
    for (const [userId, until] of call.cooldownUntil) {
      if (until <= nowMs) continue;
      excluded.add(userId);
      retryAtMs = Math.min(retryAtMs, until);
    }
    queued.push({ callId: call.callId, priority: call.priority, arrivedAt: call.arrivedAt, tenantId: call.tenantId, operatorRinging: call.operatorRinging, excluded });
  }
  const offers = queued.some((c) => !c.operatorRinging) ? assignOperators(queued, free) : [];
  return { offers, overflowNoOperators, retryAtMs: retryAtMs === Infinity ? null : retryAtMs };
}
