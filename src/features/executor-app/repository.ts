// Storage of the executor's phone page: their open requests as cards,
// change proposals, history notes, and idempotency keys of their actions.
// All SQL of the executor-app feature lives here.
import { stmt, type Db } from '../../store/db.js';
import { anonymousLabel } from '../tickets/service.js';

export interface CardRow {
  id: number; number: string; tenantId: number; tenantName: string; kind: 'emergency' | 'planned'; stage: string;
  categoryName: string; description: string; address: string; flat: string | null; callerName: string | null; callerPhone: string | null;
  anonymousCaller: string | null; createdAt: string; dueAt: string | null; postponedUntil: string | null; result: string | null; reason: string | null;
  acceptedAt: string | null; doneAt: string | null; lat: number | null; lon: number | null;
  /** The booked visit (online booking): start and end, ISO UTC; null when none. */
  visitStart: string | null; visitEnd: string | null;
}

export interface ProposalItem { name: string; ordered: number | null; needed: number | null }
export interface ProposalRow {
  id: number; requestId: number; at: string; by: { id: number; name: string }; text: string; items: ProposalItem[];
  status: 'pending' | 'confirmed' | 'rejected'; decidedBy: { id: number; name: string } | null; decidedAt: string | null; decisionComment: string | null;
}

export interface IdempotencyRow { fingerprint: string; requestId: number | null; status: number | null; response: string | null }

const cardCols = `t.id, t.number, t.tenant_id AS tenantId, tn.name AS tenantName, t.kind, t.stage_code AS stage, c.name AS categoryName, t.description,
  t.address, t.flat, t.caller_name AS callerName, t.caller_phone AS callerPhone, t.anonymous_caller_id AS anonymousId, t.created_at AS createdAt,
  t.due_at AS dueAt, t.postponed_until AS postponedUntil, t.result, t.reason, t.accepted_at AS acceptedAt, t.done_at AS doneAt, b.lat, b.lon,
  v.start_at AS visitStart, v.end_at AS visitEnd`;
const cardFrom = `FROM tickets t JOIN tenants tn ON tn.id = t.tenant_id JOIN ticket_categories c ON c.id = t.category_id LEFT JOIN buildings b ON b.id = t.building_id
  LEFT JOIN bookings v ON v.ticket_id = t.id AND v.status = 'active'`;
type RawCard = Omit<CardRow, 'anonymousCaller'> & { anonymousId: number | null };
const toCard = ({ anonymousId, ...r }: RawCard): CardRow => ({ ...r, anonymousCaller: anonymousId !== null ? anonymousLabel(anonymousId) : null });

type RawProposal = { id: number; requestId: number; at: string; byId: number; byName: string; text: string; items: string; status: ProposalRow['status']; decidedById: number | null; decidedByName: string | null; decidedAt: string | null; decisionComment: string | null };
const proposalSelect = `SELECT p.id, p.ticket_id AS requestId, p.at, p.by_user AS byId, u.full_name AS byName, p.text, p.items, p.status,
  p.decided_by AS decidedById, d.full_name AS decidedByName, p.decided_at AS decidedAt, p.decision_comment AS decisionComment
  FROM request_proposals p JOIN users u ON u.id = p.by_user LEFT JOIN users d ON d.id = p.decided_by`;
const toProposal = (r: RawProposal): ProposalRow => ({
  id: r.id, requestId: r.requestId, at: r.at, by: { id: r.byId, name: r.byName }, text: r.text, items: JSON.parse(r.items) as ProposalItem[], status: r.status,
  decidedBy: r.decidedById !== null ? { id: r.decidedById, name: r.decidedByName ?? '' } : null, decidedAt: r.decidedAt, decisionComment: r.decisionComment,
});

export class ExecutorAppRepository {
  constructor(private readonly db: Db) {}

  /**
   * The open requests assigned to a user: emergencies first, then the nearest
   * deadline; those already reported (done, impossible) after the rest.
   */
  myOpen(userId: number, limit = 200): CardRow[] {
    return (stmt(this.db, `SELECT ${cardCols} ${cardFrom} WHERE t.assignee_id = ? AND t.status = 'open'
      ORDER BY CASE WHEN t.stage_code IN ('done', 'impossible') THEN 1 ELSE 0 END, CASE t.kind WHEN 'emergency' THEN 0 ELSE 1 END,
        t.due_at IS NULL, t.due_at, t.id LIMIT ?`).all(userId, limit) as RawCard[]).map(toCard);
  }

  card(id: number): CardRow | null {
    const r = stmt(this.db, `SELECT ${cardCols} ${cardFrom} WHERE t.id = ?`).get(id) as RawCard | undefined;
    return r ? toCard(r) : null;
  }

  /** The request's company and holder, or null when there is no such request. */
  owner(id: number): { tenantId: number; assigneeId: number | null; stage: string } | null {
    return (stmt(this.db, 'SELECT tenant_id AS tenantId, assignee_id AS assigneeId, stage_code AS stage FROM tickets WHERE id = ?').get(id) as { tenantId: number; assigneeId: number | null; stage: string } | undefined) ?? null;
  }

  /** The calls a request was registered or added from, oldest first. */
  callIds(id: number): { callId: string; arrivedAt: string }[] {
    return stmt(this.db, 'SELECT tc.call_id AS callId, c.arrived_at AS arrivedAt FROM ticket_calls tc JOIN calls c ON c.id = tc.call_id WHERE tc.ticket_id = ? ORDER BY c.arrived_at').all(id) as { callId: string; arrivedAt: string }[];
  }

  // ── proposals ──────────────────────────────────────────────────────────
  /** Stores a pending proposal and notes it in the request's history, in one transaction. */
  addProposal(p: { requestId: number; by: number; at: string; text: string; items: ProposalItem[]; stage: string; note: string }): number {
    return this.db.transaction(() => {
      const id = Number(stmt(this.db, 'INSERT INTO request_proposals (ticket_id, by_user, at, text, items) VALUES (?, ?, ?, ?, ?)').run(p.requestId, p.by, p.at, p.text, JSON.stringify(p.items)).lastInsertRowid);
      this.note(p.requestId, p.at, p.by, p.stage, p.note);
      return id;
    })();
  }

  proposal(id: number): ProposalRow | null {
    const r = stmt(this.db, `${proposalSelect} WHERE p.id = ?`).get(id) as RawProposal | undefined;
    return r ? toProposal(r) : null;
  }

  proposals(requestId: number): ProposalRow[] {
    return (stmt(this.db, `${proposalSelect} WHERE p.ticket_id = ? ORDER BY p.id`).all(requestId) as RawProposal[]).map(toProposal);
  }

  /** Records a decision on a pending proposal and notes it in history; false when it was no longer pending. */
  decide(d: { id: number; requestId: number; status: 'confirmed' | 'rejected'; by: number; at: string; comment: string | null; stage: string; note: string }): boolean {
    return this.db.transaction(() => {
      const n = stmt(this.db, `UPDATE request_proposals SET status = ?, decided_by = ?, decided_at = ?, decision_comment = ? WHERE id = ? AND status = 'pending'`).run(d.status, d.by, d.at, d.comment, d.id).changes;
      if (n === 0) return false;
      this.note(d.requestId, d.at, d.by, d.stage, d.note);
      return true;
    })();
  }

  /** A history row that stays at the current stage (like a reassignment's). */
  private note(requestId: number, at: string, by: number, stage: string, comment: string): void {
    stmt(this.db, 'INSERT INTO ticket_history (ticket_id, at, by_user, from_stage, to_stage, comment) VALUES (?, ?, ?, ?, ?, ?)').run(requestId, at, by, stage, stage, comment);
    stmt(this.db, 'UPDATE tickets SET updated_at = ? WHERE id = ?').run(at, requestId);
  }

  // ── idempotency keys ───────────────────────────────────────────────────
  /** Claims a key for a user; false when the user already used it. */
  reserveKey(userId: number, key: string, fingerprint: string, requestId: number | null, at: string): boolean {
    return stmt(this.db, 'INSERT OR IGNORE INTO idempotency_keys (user_id, key, request_id, fingerprint, created_at) VALUES (?, ?, ?, ?, ?)').run(userId, key, requestId, fingerprint, at).changes === 1;
  }

  key(userId: number, key: string): IdempotencyRow | null {
    return (stmt(this.db, 'SELECT fingerprint, request_id AS requestId, status, response FROM idempotency_keys WHERE user_id = ? AND key = ?').get(userId, key) as IdempotencyRow | undefined) ?? null;
  }

  completeKey(userId: number, key: string, status: number, response: string): void {
    stmt(this.db, 'UPDATE idempotency_keys SET status = ?, response = ? WHERE user_id = ? AND key = ?').run(status, response, userId, key);
  }

  /** Forgets a key whose action failed on the server's side, so a retry may run it. */
  releaseKey(userId: number, key: string): void {
    stmt(this.db, 'DELETE FROM idempotency_keys WHERE user_id = ? AND key = ? AND status IS NULL').run(userId, key);
  }
}
