// Callback tasks as a workflow: one open task per number and line (the
// caller's first call keeps their place: due_at), attempts Pult made, and
// how the task ended. Every change is guarded by the state it moves from.
import { stmt, type Db } from '../../store/db.js';
import { isWithheld } from '../../domain/phone.js';

export type CallbackReason = 'abandoned' | 'unanswered' | 'caller-requested';
export type DoneReason = 'connected' | 'called-in' | 'manual';

export interface CallbackTask {
  id: number;
  callId: string;
  callerNumber: string;
  lineId: number | null;
  reason: CallbackReason;
  createdAt: string;
  status: 'pending' | 'assigned' | 'done';
  assignedTo: number | null;
  doneAt: string | null;
  dueAt: string;
  attempts: number;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  callable: boolean;
  doneReason: DoneReason | null;
}

const colsOf = (t = '') => `${t}id, ${t}call_id AS callId, ${t}caller_number AS callerNumber, ${t}line_id AS lineId, ${t}reason, ${t}created_at AS createdAt,
  ${t}status, ${t}assigned_to AS assignedTo, ${t}done_at AS doneAt, ${t}due_at AS dueAt, ${t}attempts, ${t}last_attempt_at AS lastAttemptAt,
  ${t}next_attempt_at AS nextAttemptAt, ${t}callable, ${t}done_reason AS doneReason`;
const cols = colsOf();

type Row = Omit<CallbackTask, 'callable'> & { callable: number };
const toTask = (r: Row): CallbackTask => ({ ...r, callable: r.callable === 1 });

/** A number Pult can dial back: not withheld, digits only (an optional +). */
export function isCallable(number: string): boolean {
  return !isWithheld(number) && /^\+?\d{3,20}$/.test(number.trim());
}

/**
 * Opens the task for a call nobody took, or finds the number's open task on
 * the same line (repeated abandons are one task; its due time stays the
 * first call's). Runs inside the caller's transaction (calls.end).
 */
export function openCallbackTask(db: Db, t: { callId: string; callerNumber: string; lineId: number | null; reason: CallbackReason; at: string; arrivedAt: string }): { id: number; merged: boolean } {
  const open = stmt(db, `SELECT id FROM callback_tasks WHERE caller_number = ? AND line_id IS ? AND status <> 'done' ORDER BY id LIMIT 1`).pluck().get(t.callerNumber, t.lineId) as number | undefined;
  if (open !== undefined && isCallable(t.callerNumber)) return { id: open, merged: true };
  const dueMin = t.lineId === null ? 10 : ((stmt(db, 'SELECT callback_due_min FROM lines WHERE id = ?').pluck().get(t.lineId) as number | undefined) ?? 10);
  const dueAt = new Date(new Date(t.arrivedAt).getTime() + dueMin * 60_000).toISOString();
  const info = stmt(db, 'INSERT OR IGNORE INTO callback_tasks (call_id, caller_number, line_id, reason, created_at, due_at, callable) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(t.callId, t.callerNumber, t.lineId, t.reason, t.at, dueAt, isCallable(t.callerNumber) ? 1 : 0);
  return { id: Number(info.lastInsertRowid), merged: false };
}

export class CallbackRepository {
  constructor(private readonly db: Db) {}

  get(id: number): CallbackTask | null {
    const r = stmt(this.db, `SELECT ${cols} FROM callback_tasks WHERE id = ?`).get(id) as Row | undefined;
    return r ? toTask(r) : null;
  }

  /** The company of the task's line (null: no line). */
  tenantOf(id: number): number | null {
    return (stmt(this.db, 'SELECT l.tenant_id FROM callback_tasks cb JOIN lines l ON l.id = cb.line_id WHERE cb.id = ?').pluck().get(id) as number | null | undefined) ?? null;
  }

  /** Open callable tasks Pult may dial now (attempts left, spacing over), earliest due first. */
  dueForAttempt(now: string): CallbackTask[] {
    return (stmt(this.db,
      `SELECT ${colsOf('cb.')} FROM callback_tasks cb LEFT JOIN lines l ON l.id = cb.line_id
       WHERE cb.status <> 'done' AND cb.callable = 1 AND cb.attempts < coalesce(l.callback_attempts, 3)
         AND (cb.next_attempt_at IS NULL OR cb.next_attempt_at <= ?)
       ORDER BY cb.due_at, cb.id`).all(now) as Row[]).map(toTask);
  }

  /** When the next spaced-out attempt becomes possible (null: none waiting for its time). */
  nextAttemptAt(now: string): string | null {
    return (stmt(this.db, `SELECT min(next_attempt_at) FROM callback_tasks WHERE status <> 'done' AND callable = 1 AND next_attempt_at > ?`).pluck().get(now) as string | null) ?? null;
  }

  /** Pult dialled the number for the task: one attempt, the next not before `retrySec`. */
  attemptDialled(id: number, at: string, retrySec: number): void {
    const next = new Date(new Date(at).getTime() + retrySec * 1000).toISOString();
    stmt(this.db, `UPDATE callback_tasks SET attempts = attempts + 1, last_attempt_at = ?, next_attempt_at = ? WHERE id = ? AND status <> 'done'`).run(at, next, id);
  }

  /** Done once; false when it was done already. */
  done(id: number, reason: DoneReason, at: string): boolean {
    return stmt(this.db, `UPDATE callback_tasks SET status = 'done', done_reason = ?, done_at = ? WHERE id = ? AND status <> 'done'`).run(reason, at, id).changes === 1;
  }

  /** The number called in and was answered: their open tasks on the company's lines are done ('called-in'). */
  closeCalledIn(callerNumber: string, tenantId: number | null, at: string): number[] {
    const ids = stmt(this.db,
      `SELECT cb.id FROM callback_tasks cb LEFT JOIN lines l ON l.id = cb.line_id
       WHERE cb.caller_number = ? AND cb.status <> 'done' AND (l.tenant_id IS ? OR ? IS NULL)`).pluck().all(callerNumber, tenantId, tenantId) as number[];
    return ids.filter((id) => this.done(id, 'called-in', at));
  }

  /** Outbound calls placed for the task, oldest first (the card's "earlier attempts"). */
  attemptsOf(id: number): { callId: string; at: string; outcome: string | null; endReason: string | null }[] {
    return stmt(this.db, `SELECT id AS callId, arrived_at AS at, outcome, end_reason AS endReason FROM calls WHERE callback_task_id = ? ORDER BY arrived_at`).all(id) as never[];
  }
}
