// Reminder calls' storage: per-company settings, the requests waiting for
// their executor's acceptance, the call log, and the request's history rows
// that make each call visible on the request.
import { stmt, type Db } from '../../../store/db.js';
import type { PastCall } from '../../../domain/reminder-calls.js';

export type ReminderOutcome = 'accepted' | 'no-answer' | 'busy' | 'failed' | 'no-digit' | 'other-digit' | 'hung-up' | 'interrupted' | 'stale';

export interface ReminderSettings { tenantId: number; enabled: boolean; afterMin: number | null }

export interface WaitingRequest {
  id: number; tenantId: number; number: string; stage: string; assigneeId: number; assignedAt: string;
  mobile: string | null; executorName: string; street: string | null; house: string | null; flat: string | null;
}

export interface ReminderCallRow {
  id: number; requestId: number; tenantId: number; executorId: number; executorName: string; number: string; callerId: string; attempt: number;
  startedAt: string; answeredAt: string | null; endedAt: string | null; digit: string | null; outcome: ReminderOutcome | null;
}

const callCols = `c.id, c.ticket_id AS requestId, c.tenant_id AS tenantId, c.executor_id AS executorId, u.full_name AS executorName, c.number, c.caller_id AS callerId,
  c.attempt, c.started_at AS startedAt, c.answered_at AS answeredAt, c.ended_at AS endedAt, c.digit, c.outcome`;

export class ReminderCallRepository {
  constructor(private readonly db: Db) {}

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  settings(tenantId: number): ReminderSettings {
    const r = stmt(this.db, 'SELECT enabled, after_min AS afterMin FROM reminder_call_settings WHERE tenant_id = ?').get(tenantId) as { enabled: number; afterMin: number | null } | undefined;
    return { tenantId, enabled: r ? r.enabled === 1 : true, afterMin: r?.afterMin ?? null };
  }

  saveSettings(s: ReminderSettings): void {
    stmt(this.db, `INSERT INTO reminder_call_settings (tenant_id, enabled, after_min) VALUES (?, ?, ?)
      ON CONFLICT (tenant_id) DO UPDATE SET enabled = excluded.enabled, after_min = excluded.after_min`).run(s.tenantId, s.enabled ? 1 : 0, s.afterMin);
  }

  /** The shortest delay a company set (null: none set one). */
  shortestAfterMin(): number | null {
    return stmt(this.db, 'SELECT min(after_min) FROM reminder_call_settings WHERE enabled = 1').pluck().get() as number | null;
  }

  /** Open emergency requests held by an executor who has not accepted them, assigned at or before `cutoff`. */
  waiting(cutoff: string, limit = 500): WaitingRequest[] {
    return stmt(this.db, `SELECT t.id, t.tenant_id AS tenantId, t.number, t.stage_code AS stage, t.assignee_id AS assigneeId, t.assigned_at AS assignedAt,
        u.mobile_number AS mobile, u.full_name AS executorName, b.street, b.house, t.flat
      FROM tickets t INDEXED BY tickets_unaccepted
      JOIN users u ON u.id = t.assignee_id
      LEFT JOIN buildings b ON b.id = t.building_id
      WHERE t.status = 'open' AND t.kind = 'emergency' AND t.assignee_id IS NOT NULL AND t.stage_code IN ('new', 'assigned')
        AND t.assigned_at <= ? AND u.role = 'executor' AND u.disabled_at IS NULL
      ORDER BY t.assigned_at LIMIT ?`).all(cutoff, limit) as WaitingRequest[];
  }

  /** Is the request still waiting for this executor's acceptance? */
  stillWaiting(requestId: number, executorId: number): boolean {
    return stmt(this.db, `SELECT 1 FROM tickets WHERE id = ? AND status = 'open' AND assignee_id = ? AND stage_code IN ('new', 'assigned')`).get(requestId, executorId) !== undefined;
  }

  pastCalls(requestId: number, executorId: number): PastCall[] {
    return stmt(this.db, 'SELECT started_at AS startedAt, outcome FROM reminder_calls WHERE ticket_id = ? AND executor_id = ? ORDER BY id').all(requestId, executorId) as PastCall[];
  }

  start(c: { requestId: number; tenantId: number; executorId: number; number: string; callerId: string; attempt: number; at: string }): number {
    return Number(stmt(this.db, 'INSERT INTO reminder_calls (ticket_id, tenant_id, executor_id, number, caller_id, attempt, started_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(c.requestId, c.tenantId, c.executorId, c.number, c.callerId, c.attempt, c.at).lastInsertRowid);
  }

  call(id: number): ReminderCallRow | null {
    return (stmt(this.db, `SELECT ${callCols} FROM reminder_calls c JOIN users u ON u.id = c.executor_id WHERE c.id = ?`).get(id) as ReminderCallRow | undefined) ?? null;
  }

  answered(id: number, at: string): boolean {
    return stmt(this.db, 'UPDATE reminder_calls SET answered_at = coalesce(answered_at, ?) WHERE id = ? AND outcome IS NULL').run(at, id).changes === 1;
  }

  setDigit(id: number, digit: string): void {
    stmt(this.db, 'UPDATE reminder_calls SET digit = ? WHERE id = ? AND outcome IS NULL').run(digit, id);
  }

  /**
   * Ends a call with its outcome; with `history`, a row in the request's
   * history at its current stage says so. False when it had ended already.
   */
  finish(id: number, outcome: ReminderOutcome, at: string, history: string | null): boolean {
    return this.transaction(() => {
      if (stmt(this.db, 'UPDATE reminder_calls SET outcome = ?, ended_at = ? WHERE id = ? AND outcome IS NULL').run(outcome, at, id).changes !== 1) return false;
      if (history !== null) {
        stmt(this.db, `INSERT INTO ticket_history (ticket_id, at, by_user, from_stage, to_stage, comment)
          SELECT t.id, ?, NULL, t.stage_code, t.stage_code, ? FROM reminder_calls c JOIN tickets t ON t.id = c.ticket_id WHERE c.id = ?`).run(at, history, id);
      }
      return true;
    });
  }

  /** Calls still marked in progress (after a restart: their channels are gone or about to be). */
  open(): ReminderCallRow[] {
    return stmt(this.db, `SELECT ${callCols} FROM reminder_calls c INDEXED BY reminder_calls_open JOIN users u ON u.id = c.executor_id WHERE c.outcome IS NULL ORDER BY c.id`).all() as ReminderCallRow[];
  }

  forRequest(requestId: number): ReminderCallRow[] {
    return stmt(this.db, `SELECT ${callCols} FROM reminder_calls c JOIN users u ON u.id = c.executor_id WHERE c.ticket_id = ? ORDER BY c.id`).all(requestId) as ReminderCallRow[];
  }

  requestTenant(requestId: number): number | null {
    return (stmt(this.db, 'SELECT tenant_id FROM tickets WHERE id = ?').pluck().get(requestId) as number | undefined) ?? null;
  }
}
