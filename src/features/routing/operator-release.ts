// An operator's phone is free again: back to idle, or to wrap-up first
// after a call they talked on (PULT_WRAPUP_SEC); the wrap-up's end is a
// timer queued on the router's serial queue.
import type { RoutingContext } from './context.js';

export class OperatorRelease {
  private wrapupTimers = new Map<number, NodeJS.Timeout>();

  constructor(private readonly ctx: RoutingContext) {}

  /** Back to idle, or wrap-up first after a call they talked on. */
  release(userId: number, callId: string, afterTalk: boolean): void {
    const { ctx } = this;
    const op = ctx.operators.get(userId);
    if (!op || op.activityCallId !== callId) return;
    if (afterTalk && ctx.opts.wrapupSec > 0) {
      const until = new Date(ctx.clock.now().getTime() + ctx.opts.wrapupSec * 1000).toISOString();
      ctx.operators.setActivity(userId, 'wrapup', callId, until);
      this.armWrapup(userId, callId, ctx.opts.wrapupSec * 1000);
    } else {
      ctx.operators.setActivity(userId, 'idle', null);
    }
  }

  armWrapup(userId: number, callId: string, delayMs: number): void {
    const prev = this.wrapupTimers.get(userId);
    if (prev) clearTimeout(prev);
    this.wrapupTimers.set(
      userId,
      setTimeout(() => {
        this.wrapupTimers.delete(userId);
        void this.ctx.enqueue('wrapup-end', () => {
          const op = this.ctx.operators.get(userId);
          if (op?.activity === 'wrapup' && op.activityCallId === callId) this.ctx.operators.setActivity(userId, 'idle', null);
        });
      }, Math.max(0, delayMs)),
    );
  }

  stop(): void {
    for (const t of this.wrapupTimers.values()) clearTimeout(t);
  }
}
