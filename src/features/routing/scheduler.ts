// The scheduler: owns the queue's timers and decides when to look at the
// queue. A queued call gets its maximum-wait timer and its overflow timer
// (or overflows at once: out of hours, nobody logged in); every change that
// can free an operator or add a caller runs dispatch(), which gathers the
// state and lets the pure policy (domain/queue-policy.ts: planDispatch)
// say which caller rings which operator. Operators who just let a caller
// ring out cool down for that caller; the queue is looked at again when
// the first cooldown ends.
import { isOpen } from '../../domain/working-hours.js';
import { planDispatch, type WaitingCall } from '../../domain/queue-policy.js';
import type { CallRecord } from '../calls/repository.js';
import type { Line } from '../lines/repository.js';
import type { RoutingContext } from './context.js';
import { offerToOperators } from './offer.js';
import { sayGoodbye } from './goodbye.js';

/** Per call: operators not to offer it to again until a given time (ms). */
export class OfferCooldown {
  private byCall = new Map<string, Map<number, number>>();

  coolDown(callId: string, userId: number, untilMs: number): void {
    const cool = this.byCall.get(callId) ?? new Map<number, number>();
    cool.set(userId, untilMs);
    this.byCall.set(callId, cool);
  }

  of(callId: string): ReadonlyMap<number, number> {
    return this.byCall.get(callId) ?? new Map<number, number>();
  }

  forget(callId: string): void {
    this.byCall.delete(callId);
  }
}

export class Scheduler {
  private dispatchTimer: NodeJS.Timeout | null = null;
  /** Inside holdingDispatch: rounds asked for are held back, and one runs at the end. */
  private held = 0;
  private roundAsked = false;

  constructor(private readonly ctx: RoutingContext) {}

  stop(): void {
    if (this.dispatchTimer) clearTimeout(this.dispatchTimer);
  }

  /**
   * Arms the max-wait (and overflow) timers from the call's arrival and
   * decides the first step; also re-adopts a queued call after a restart.
   */
  async routeWaiting(call: CallRecord, line: Line | null): Promise<void> {
    this.enterQueue(call, line);
    await this.dispatch();
  }

  /** The first step of routeWaiting without the dispatch round: callers arriving together share one round. */
  enterQueue(call: CallRecord, line: Line | null): void {
    const { ctx } = this;
    const at = ctx.clock.now();
    const elapsed = (at.getTime() - new Date(call.arrivedAt).getTime()) / 1000;
    ctx.timers.arm(call.id, Math.max(0, (line?.maxWaitSec ?? 300) - elapsed), 'max-wait', () => this.onMaxWait(call.id));
    if (call.state === 'overflow') ctx.overflow.resume(call);
    else if (line && !isOpen(line.workingHours, at, ctx.opts.timeZone, line.holidays)) ctx.startOverflow(call.id, 'after-hours');
    else if (ctx.operators.loggedInCount(line?.tenantId ?? null) === 0) ctx.startOverflow(call.id, 'no-operators');
    else ctx.timers.arm(call.id, Math.max(0, (line?.overflowAfterSec ?? 20) - elapsed), 'overflow-timer', () => ctx.startOverflow(call.id, 'timeout'));
  }

  /**
   * Puts queued calls (waiting or overflowed: mobiles ringing does not take
   * a caller out of the queue) through to free operators, as the queue
   * policy decides: highest-priority line first, oldest caller first,
   * longest-idle operator first.
   */
  async dispatch(): Promise<void> {
    if (this.held > 0) {
      this.roundAsked = true;
      return;
    }
    this.roundAsked = false;
    const { ctx } = this;
    const queued = ctx.calls.open('ari').filter((c) => c.state === 'waiting' || c.state === 'overflow');
    if (queued.length === 0) return;
    const nowMs = ctx.clock.now().getTime();
    const ringing = ctx.calls.callsWithOperatorRinging();
    const loggedIn = new Map<number | null, number>();
    const waiting: WaitingCall[] = queued.map((call) => {
      const line = call.lineId ? ctx.lines.get(call.lineId) : null;
      const tenantId = line?.tenantId ?? null;
      if (!loggedIn.has(tenantId)) loggedIn.set(tenantId, ctx.operators.loggedInCount(tenantId));
      return {
        callId: call.id, state: call.state as 'waiting' | 'overflow', priority: line?.priority ?? 0, arrivedAt: call.arrivedAt, tenantId,
        operatorRinging: ringing.has(call.id), cooldownUntil: ctx.cooldown.of(call.id),
      };
    });
    const free = waiting.some((c) => !c.operatorRinging) ? ctx.operators.takingCalls() : [];
    const plan = planDispatch(waiting, loggedIn, free, nowMs);
    for (const callId of plan.overflowNoOperators) ctx.startOverflow(callId, 'no-operators');
    const byId = new Map(queued.map((c) => [c.id, c]));
    const opById = new Map(free.map((o) => [o.userId, o]));
    offerToOperators(this.ctx, plan.offers.map((d) => ({ call: byId.get(d.callId)!, op: opById.get(d.userId)! })));
    if (plan.retryAtMs !== null) this.scheduleDispatch(plan.retryAtMs - nowMs);
  }

  /**
   * Runs `fn` (several events handled in one step: a burst of hang-ups) with
   * the dispatch rounds it asks for held back, then one round if any was
   * asked for: the policy sees the state after all of them, as the last of
   * those rounds would have, without a round per event.
   */
  async holdingDispatch(fn: () => Promise<void>): Promise<void> {
    this.held++;
    try {
      await fn();
    } finally {
      this.held--;
    }
    if (this.held === 0 && this.roundAsked) await this.dispatch();
  }

  private scheduleDispatch(delayMs: number): void {
    if (this.dispatchTimer) clearTimeout(this.dispatchTimer);
    this.dispatchTimer = setTimeout(() => {
      this.dispatchTimer = null;
      void this.ctx.enqueue('dispatch-retry', () => this.dispatch());
    }, Math.max(50, delayMs));
  }

  /** The line's maximum wait: the only moment the router gives up on a caller. */
  private async onMaxWait(callId: string): Promise<void> {
    const call = this.ctx.calls.get(callId);
    if (!call || (call.state !== 'waiting' && call.state !== 'overflow')) return;
    return sayGoodbye(this.ctx, callId, 'nobody answered within the maximum wait');
  }
}
