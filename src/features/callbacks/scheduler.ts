// Pult dials open callback tasks itself. It wakes when an operator becomes
// available, when a call ends (a new task, a freed line) and on a timer
// (retry spacing), always in the router's serial queue, after the router's
// own dispatch of inbound callers.
//
// The rule (inbound first): a task takes a free operator of its line's
// company only when no inbound caller of any of that operator's companies is
// waiting, unless the task is within `urgentSec` of its due time (or past
// it). Earliest-due task first, longest-idle operator first. An operator who
// let a callback ring out is not offered the same task again for a minute.
import type { Clock } from '../../clock.js';
import type { Logger } from '../../log.js';
import type { CallEvents } from '../../telephony/events.js';
import type { CallRepository } from '../calls/repository.js';
import type { LineRepository } from '../lines/repository.js';
import type { OperatorService } from '../operators/service.js';
import type { CallRouter } from '../routing/router.js';
import type { CallbackRepository } from './repository.js';
import type { OutboundCalls } from './outbound-call.js';

export interface SchedulerOptions {
  /** See the rule above, seconds. */
  urgentSec: number;
  /** How often to look for tasks whose retry time came (ms). */
  tickMs?: number;
  /** An operator who did not answer a callback is not offered that task again for this long (ms). */
  operatorCooldownMs?: number;
}

export class CallbackScheduler {
  private timer: NodeJS.Timeout | null = null;
  private cooldown = new Map<number, Map<number, number>>();

  constructor(
    private readonly d: {
      router: CallRouter; callbacks: CallbackRepository; outbound: OutboundCalls; calls: CallRepository; lines: LineRepository;
      operators: OperatorService; events: CallEvents; clock: Clock; logger: Logger;
    },
    private readonly opts: SchedulerOptions,
  ) {}

  start(): void {
    this.d.operators.on('changed', (op) => {
      if (op.state === 'available') this.wake('operator-available');
    });
    this.d.events.on('call.ended', () => this.wake('call-ended'));
    this.d.outbound.onFinished((r) => {
      if (r.result === 'operator-missed' && r.taskId !== null) {
        const m = this.cooldown.get(r.taskId) ?? new Map<number, number>();
        m.set(r.userId, this.d.clock.now().getTime() + (this.opts.operatorCooldownMs ?? 60_000));
        this.cooldown.set(r.taskId, m);
      }
    });
    this.timer = setInterval(() => this.wake('timer'), this.opts.tickMs ?? 5000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private wake(why: string): void {
    void this.d.router.enqueue(`callbacks:${why}`, () => this.tick());
  }

  /** One round: start what can start now. Public for tests (call it inside router.run). */
  tick(): void {
    const now = this.d.clock.now();
    const tasks = this.d.callbacks.dueForAttempt(now.toISOString());
    if (tasks.length === 0) return;
    let free = this.d.operators.takingCalls().sort((a, b) => a.idleSince.localeCompare(b.idleSince));
    if (free.length === 0) return;
    const waitingTenants = new Set<number | null>();
    for (const c of this.d.calls.open('ari')) {
      if (c.state === 'waiting' || c.state === 'overflow') waitingTenants.add(c.lineId ? (this.d.lines.get(c.lineId)?.tenantId ?? null) : null);
    }
    const dialling = new Set(this.d.calls.openOutbound().map((c) => c.callbackTaskId));
    for (const task of tasks) {
      if (free.length === 0) return;
      if (dialling.has(task.id)) continue;
      const tenantId = this.d.callbacks.tenantOf(task.id);
      const urgent = Date.parse(task.dueAt) - now.getTime() <= this.opts.urgentSec * 1000;
      const cool = this.cooldown.get(task.id);
      const op = free.find((o) =>
        (tenantId === null || o.tenantIds.includes(tenantId))
        && !((cool?.get(o.userId) ?? 0) > now.getTime())
        && (urgent || (!waitingTenants.has(null) && !o.tenantIds.some((t) => waitingTenants.has(t)))));
      if (!op) continue;
      const r = this.d.outbound.start({ userId: op.userId, number: task.callerNumber, taskId: task.id, lineId: task.lineId });
      if ('problem' in r) {
        this.d.logger.warn('callback not started', { taskId: task.id, problem: r.problem });
        continue;
      }
      this.d.logger.info('automatic callback', { taskId: task.id, callId: r.callId, operator: op.login, urgent });
      free = free.filter((o) => o.userId !== op.userId);
    }
  }
}
