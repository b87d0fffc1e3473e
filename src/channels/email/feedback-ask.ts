// «Оцените работу» by mail: requests that came by mail and were closed get
// one mail per closing asking for a digit 1–5; the answer comes back through
// the inbound side (EmailInbound) to FeedbackService.rate. The ask is
// recorded before sending and forgotten if sending fails, so the next scan
// tries again and nobody is asked twice for one closing.
import type { Clock } from '../../clock.js';
import type { Logger } from '../../log.js';
import { scheduleJob, type CronJob } from '../../jobs/cron.js';
import type { MailRepository } from './repository.js';
import type { EmailSender } from './sender.js';
import { mailText } from './strings.js';

/** Closings older than this are not asked about (e.g. after the channel was off for a long time). */
const LOOK_BACK_MS = 7 * 24 * 3600_000;

export class FeedbackAsks {
  private running = false;

  constructor(private readonly d: { repo: MailRepository; sender: EmailSender; number(ticketId: number): string | null; clock: Clock; logger: Logger }) {}

  /** Sends every ask due now; returns how many went out. */
  async askDue(now = this.d.clock.now()): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    let sent = 0;
    try {
      for (const c of this.d.repo.closedToAsk(new Date(now.getTime() - LOOK_BACK_MS).toISOString(), 50)) {
        if (!this.d.repo.recordAsk(c.ticketId, c.closedAt, now.toISOString())) continue;
        const number = this.d.number(c.ticketId);
        try {
          await this.d.sender.send({ ticketId: c.ticketId, threadKey: null, contact: {} }, mailText.rateAsk({ number: number ?? '', statusUrl: null }), undefined, { automatic: true });
          sent++;
        } catch (err) {
          this.d.repo.forgetAsk(c.ticketId, c.closedAt);
          this.d.logger.warn('rating ask not sent', { ticketId: c.ticketId, err: (err as Error).message });
        }
      }
    } finally {
      this.running = false;
    }
    return sent;
  }

  start(schedule: string, timeZone: string): CronJob | null {
    if (schedule === 'off') return null;
    return scheduleJob('mail-feedback-asks', schedule, timeZone, this.d.logger, 'rating asks failed', () => {
      this.askDue().catch((err: unknown) => this.d.logger.error('rating asks failed', { err: (err as Error).message }));
    });
  }
}
