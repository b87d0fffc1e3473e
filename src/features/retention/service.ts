// Retention: what Pult keeps only for a while. Expired login sessions go at
// once; raw webhooks (audit) and applied-event keys (idempotency) after a
// configured number of days; call recordings after their company's
// recording_retention_days (unset = forever). Run daily by jobs.ts; tests call runOnce.
import { rmSync } from 'node:fs';
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
  /** Recording files deleted under their company's retention period. */
  recordings: number;
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
      recordings: this.purgeRecordings(now),
      ...(this.opts.idempotencyDays !== undefined ? { idempotencyKeys: this.repo.pruneIdempotencyKeys(ago(this.opts.idempotencyDays)) } : {}),
    };
    this.logger.info('retention done', { ...report });
    return report;
  }

  /** Deletes the files of recordings past their company's retention, then marks them. */
  private purgeRecordings(now: Date): number {
    let n = 0;
    for (const { tenantId, days } of this.repo.recordingRetention()) {
      const before = new Date(now.getTime() - days * DAY_MS).toISOString();
      const reason = `запись удалена: срок хранения записей компании ${days} дн.`;
      for (;;) {
        const batch = this.repo.expiredRecordings(tenantId, before);
        let done = 0;
        for (const r of batch) {
          try {
            if (r.filePath) rmSync(r.filePath, { force: true });
          } catch (err) {
            // Left as stored: the next night tries again.
            this.logger.warn('recording file could not be deleted', { recordingId: r.id, err });
            continue;
          }
          this.repo.markRecordingPurged(r.id, now.toISOString(), reason);
          done++;
        }
        n += done;
        if (done === 0) break;
      }
    }
    return n;
  }
}
