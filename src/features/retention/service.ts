// Retention: what Pult keeps only for a while. Expired login sessions go at
// once; raw webhooks (audit) and applied-event keys (idempotency) after a
// configured number of days. Run daily by jobs.ts; tests call runOnce.
import type { Db } from '../../store/db.js';
import type { Logger } from '../../log.js';
import { RetentionRepository } from './repository.js';

export interface RetentionOptions {
  webhookLogDays: number;
  externalEventsDays: number;
  /** Executors' idempotency keys (retried actions) older than this are deleted; unset = kept. */
  idempotencyDays?: number;
}

export interface RetentionReport {
  sessions: number;
  webhookLog: number;
  externalEvents: number;
  idempotencyKeys?: number;
}

const DAY_MS = 24 * 3600_000;

export class RetentionService {
  private readonly repo: RetentionRepository;

  constructor(db: Db, private readonly logger: Logger, private readonly opts: RetentionOptions) {
    this.repo = new RetentionRepository(db);
  }

  runOnce(now: Date): RetentionReport {
    const ago = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();
    const report: RetentionReport = {
      sessions: this.repo.pruneExpiredSessions(now.toISOString()),
      webhookLog: this.repo.pruneWebhookLog(ago(this.opts.webhookLogDays)),
      externalEvents: this.repo.pruneExternalEvents(ago(this.opts.externalEventsDays)),
      ...(this.opts.idempotencyDays !== undefined ? { idempotencyKeys: this.repo.pruneIdempotencyKeys(ago(this.opts.idempotencyDays)) } : {}),
    };
    this.logger.info('retention done', { ...report });
    return report;
  }
}
