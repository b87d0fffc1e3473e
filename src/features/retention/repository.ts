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

  /** Companies that keep recordings only for a while. */
  recordingRetention(): { tenantId: number; days: number }[] {
    return stmt(this.db, 'SELECT id AS tenantId, recording_retention_days AS days FROM tenants WHERE recording_retention_days IS NOT NULL ORDER BY id').all() as { tenantId: number; days: number }[];
  }

  /** Stored recordings of this company's calls that arrived before `before` (one batch). */
  expiredRecordings(tenantId: number, before: string, limit = BATCH): { id: number; filePath: string | null }[] {
    return stmt(this.db, `SELECT r.id, r.file_path AS filePath FROM calls c JOIN lines l ON l.id = c.line_id JOIN recordings r ON r.call_id = c.id
      WHERE l.tenant_id = ? AND c.arrived_at < ? AND r.state = 'stored' LIMIT ?`).all(tenantId, before, limit) as { id: number; filePath: string | null }[];
  }

  /** The recording's file is gone by retention: no longer served, and why. */
  markRecordingPurged(id: number, at: string, reason: string): void {
    stmt(this.db, "UPDATE recordings SET state = 'failed', file_path = NULL, error = ?, purged_at = ? WHERE id = ?").run(reason, at, id);
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
