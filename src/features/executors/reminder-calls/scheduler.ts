// Finds the emergency requests whose executor has not accepted them in time
// and places the reminder calls that are due (node-cron, src/jobs/cron.ts).
// Everything it needs is in the database (assigned_at, the call log), so a
// restarted Pult carries on where the last one stopped.
import type { Clock } from '../../../clock.js';
import type { Logger } from '../../../log.js';
import { reminderDecision } from '../../../domain/reminder-calls.js';
import { scheduleJob, type CronJob } from '../../../jobs/cron.js';
import type { CallRouter } from '../../routing/router.js';
import type { ReminderCallRepository, ReminderSettings } from './repository.js';
import type { ReminderCalls } from './calls.js';
import type { StreetSpeech } from './speech.js';

export interface ReminderPolicyOptions {
  /** Minutes after the assignment, unless the company set its own. */
  defaultAfterMin: number;
  retryMin: number;
  maxAttempts: number;
}

export class ReminderCallScheduler {
  private running = false;
  private job: CronJob | null = null;

  constructor(
    private readonly d: {
      repo: ReminderCallRepository; calls: ReminderCalls; router: CallRouter; speech: StreetSpeech | null; clock: Clock; logger: Logger;
      /** Calls are placed only while the PBX is reachable. */
      ready(): boolean;
    },
    private readonly opts: ReminderPolicyOptions,
  ) {}

  start(schedule: string, timeZone: string): void {
    this.job = scheduleJob('reminder-calls', schedule, timeZone, this.d.logger, 'reminder calls failed', () => void this.tick().catch((err: unknown) => this.d.logger.error('reminder calls failed', { err })));
  }

  async stop(): Promise<void> {
    await this.job?.stop();
  }

  /** Places every reminder call due now; returns how many. */
  async tick(): Promise<number> {
    if (this.running || !this.d.ready()) return 0;
    this.running = true;
    try {
      const now = this.d.clock.now();
      const settings = new Map<number, ReminderSettings>();
      const settingsOf = (t: number) => settings.get(t) ?? settings.set(t, this.d.repo.settings(t)).get(t)!;
      // The shortest delay any company may use bounds the scan; each request is then judged by its own company's.
      const cutoff = new Date(now.getTime() - Math.min(this.opts.defaultAfterMin, this.d.repo.shortestAfterMin() ?? Infinity) * 60_000).toISOString();
      let placed = 0;
      for (const w of this.d.repo.waiting(cutoff)) {
        const s = settingsOf(w.tenantId);
        if (!s.enabled) continue;
        const policy = { afterMin: s.afterMin ?? this.opts.defaultAfterMin, retryMin: this.opts.retryMin, maxAttempts: this.opts.maxAttempts };
        if (reminderDecision(w.assignedAt, this.d.repo.pastCalls(w.id, w.assigneeId), policy, now).action !== 'call') continue;
        const street = this.d.speech ? await this.d.speech.say(w.street) : null;
        // Judged again in the router's queue: the world may have moved while the street was spoken.
        const done = await this.d.router.run('reminder-call', async () => {
          if (!this.d.repo.stillWaiting(w.id, w.assigneeId)) return false;
          const again = reminderDecision(w.assignedAt, this.d.repo.pastCalls(w.id, w.assigneeId), policy, this.d.clock.now());
          if (again.action !== 'call') return false;
          this.d.calls.place(w, again.attempt, street);
          return true;
        });
        if (done) placed++;
      }
      return placed;
    } finally {
      this.running = false;
    }
  }
}
