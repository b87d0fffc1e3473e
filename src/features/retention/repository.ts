// SQL of the retention jobs: deletes by indexed range, in batches, so a
// large backlog never holds the write lock for long.
import { stmt, type Db } from '../../store/db.js';

const BATCH = 5000;

export class RetentionRepository {
  constructor(private readonly db: Db) {}

  /** Login sessions that expired at or before `now`. */
  pruneExpiredSessions(now: string): number {
    return this.batched('DELETE FROM sessions WHERE rowid IN (SELECT rowid FROM sessions WHERE expires_at <= ? LIMIT ?)', now);
  }

  /** Raw webhooks received before `before`. */
  pruneWebhookLog(before: string): number {
    return this.batched('DELETE FROM webhook_log WHERE id IN (SELECT id FROM webhook_log WHERE received_at < ? LIMIT ?)', before);
  }

  /** Idempotency keys of webhook events received before `before`. */
  pruneExternalEvents(before: string): number {
    return this.batched('DELETE FROM external_events WHERE rowid IN (SELECT rowid FROM external_events WHERE received_at < ? LIMIT ?)', before);
  }

  /** Executors' idempotency keys stored before `before`. */
  pruneIdempotencyKeys(before: string): number {
    return this.batched('DELETE FROM idempotency_keys WHERE rowid IN (SELECT rowid FROM idempotency_keys WHERE created_at < ? LIMIT ?)', before);
  }

  private batched(sql: string, bound: string): number {
    let total = 0;
    for (;;) {
      const n = stmt(this.db, sql).run(bound, BATCH).changes;
      total += n;
      if (n < BATCH) return total;
    }
  }
}
