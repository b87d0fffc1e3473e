// The channels' storage: their system users, threads, the conversation,
// status tokens (hashed) and the residents' ratings. All SQL of the core.
import { stmt, type Db } from '../store/db.js';
import type { RequestMessage } from './types.js';

interface MessageRow { id: number; ticket_id: number; direction: 'in' | 'out'; channel: RequestMessage['channel']; body: string; author: string | null; created_at: string }
const toMessage = (r: MessageRow): RequestMessage => ({ id: r.id, ticketId: r.ticket_id, direction: r.direction, channel: r.channel, body: r.body, author: r.author, createdAt: r.created_at });

export interface RatingRow { id: number; ticketId: number; tenantId: number; closingId: number; closedAt: string; executorId: number | null; score: number; comment: string | null; questionsLeft: boolean; reopened: boolean; channel: string; createdAt: string }

export class ChannelRepository {
  constructor(readonly db: Db) {}

  // ── system users ───────────────────────────────────────────────────────
  /**
   * The user a channel registers its requests as: made on first use,
   * disabled and with no usable password hash ('!' never verifies), so it
   * can never log in; no companies, so nobody can hand it a request.
   */
  channelUser(channel: string, fullName: string, at: string): number {
    return this.db.transaction(() => {
      const existing = stmt(this.db, 'SELECT user_id FROM channel_users WHERE channel = ?').pluck().get(channel) as number | undefined;
      if (existing !== undefined) return existing;
      const id = Number(stmt(this.db, `INSERT INTO users (login, password_hash, role, full_name, created_at, disabled_at) VALUES (?, '!', 'operator', ?, ?, ?)`)
        .run(`~channel:${channel}`, fullName, at, at).lastInsertRowid);
      stmt(this.db, 'INSERT INTO channel_users (channel, user_id) VALUES (?, ?)').run(channel, id);
      return id;
    })();
  }

  // ── what a request needs checked ───────────────────────────────────────
  building(id: number): { id: number; tenantId: number; address: string } | null {
    return (stmt(this.db, 'SELECT id, tenant_id AS tenantId, address FROM buildings WHERE id = ?').get(id) as { id: number; tenantId: number; address: string } | undefined) ?? null;
  }

  account(id: number): { id: number; tenantId: number; buildingId: number; address: string; flat: string | null } | null {
    return (stmt(this.db, `SELECT a.id, a.tenant_id AS tenantId, a.building_id AS buildingId, b.address, a.flat FROM accounts a JOIN buildings b ON b.id = a.building_id WHERE a.id = ?`)
      .get(id) as { id: number; tenantId: number; buildingId: number; address: string; flat: string | null } | undefined) ?? null;
  }

  /** The first active category with this code, or of this kind (the fallback for a request with none). */
  fallbackCategory(kind: 'emergency' | 'planned'): number | null {
    return (stmt(this.db, `SELECT id FROM ticket_categories WHERE active = 1 AND (kind = ? OR kind = 'both')
      ORDER BY code = ? DESC, parent_id IS NOT NULL, position, id LIMIT 1`).pluck().get(kind, `other-${kind}`) as number | undefined) ?? null;
  }

  categoryActive(id: number): boolean {
    return stmt(this.db, 'SELECT 1 FROM ticket_categories WHERE id = ? AND active = 1').pluck().get(id) !== undefined;
  }

  setChannel(ticketId: number, channel: string): void {
    stmt(this.db, 'UPDATE tickets SET channel = ? WHERE id = ?').run(channel, ticketId);
  }

  ticketTenant(ticketId: number): number | null {
    return (stmt(this.db, 'SELECT tenant_id FROM tickets WHERE id = ?').pluck().get(ticketId) as number | undefined) ?? null;
  }

  // ── threads ────────────────────────────────────────────────────────────
  /** Links a thread to a request; a thread already linked keeps its request (false). */
  linkThread(channel: string, key: string, ticketId: number, at: string): boolean {
    return stmt(this.db, 'INSERT INTO request_threads (channel, thread_key, ticket_id, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING').run(channel, key, ticketId, at).changes === 1;
  }

  byThread(channel: string, key: string): { ticketId: number; tenantId: number } | null {
    return (stmt(this.db, `SELECT r.ticket_id AS ticketId, t.tenant_id AS tenantId FROM request_threads r JOIN tickets t ON t.id = r.ticket_id WHERE r.channel = ? AND r.thread_key = ?`)
      .get(channel, key) as { ticketId: number; tenantId: number } | undefined) ?? null;
  }

  /** A request's threads (newest first): where a reply goes. */
  threadsOf(ticketId: number): { channel: string; key: string }[] {
    return stmt(this.db, 'SELECT channel, thread_key AS key FROM request_threads WHERE ticket_id = ? ORDER BY created_at DESC, rowid DESC').all(ticketId) as { channel: string; key: string }[];
  }

  // ── messages ───────────────────────────────────────────────────────────
  addMessage(m: { ticketId: number; direction: 'in' | 'out'; channel: string; body: string; author: string | null; at: string }): RequestMessage {
    return this.db.transaction(() => {
      const id = Number(stmt(this.db, 'INSERT INTO request_messages (ticket_id, direction, channel, body, author, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(m.ticketId, m.direction, m.channel, m.body, m.author, m.at).lastInsertRowid);
      stmt(this.db, 'UPDATE tickets SET updated_at = ? WHERE id = ?').run(m.at, m.ticketId);
      return toMessage(stmt(this.db, 'SELECT * FROM request_messages WHERE id = ?').get(id) as MessageRow);
    })();
  }

  messages(ticketId: number): RequestMessage[] {
    return (stmt(this.db, 'SELECT * FROM request_messages WHERE ticket_id = ? ORDER BY id').all(ticketId) as MessageRow[]).map(toMessage);
  }

  // ── status tokens ──────────────────────────────────────────────────────
  /** Adds a status link (its token's hash) to a request; with `revokeOthers`, the request's earlier links stop working. */
  addStatusToken(ticketId: number, hash: string, at: string, revokeOthers: boolean): void {
    this.db.transaction(() => {
      if (revokeOthers) stmt(this.db, 'DELETE FROM request_status_links WHERE ticket_id = ?').run(ticketId);
      stmt(this.db, 'INSERT INTO request_status_links (token_hash, ticket_id, created_at) VALUES (?, ?, ?)').run(hash, ticketId, at);
    })();
  }

  ticketByTokenHash(hash: string): number | null {
    return (stmt(this.db, 'SELECT ticket_id FROM request_status_links WHERE token_hash = ?').pluck().get(hash) as number | undefined) ?? null;
  }

  // ── ratings ────────────────────────────────────────────────────────────
  /** What a rating needs of the request: its status, the closing it rates and who held it. */
  closing(ticketId: number): { tenantId: number; status: 'open' | 'closed'; closedAt: string | null; assigneeId: number | null; closingId: number | null } | null {
    return (stmt(this.db, `SELECT t.tenant_id AS tenantId, t.status, t.closed_at AS closedAt, t.assignee_id AS assigneeId,
        (SELECT max(h.id) FROM ticket_history h WHERE h.ticket_id = t.id AND h.to_stage = t.stage_code AND h.from_stage IS NOT h.to_stage) AS closingId
      FROM tickets t WHERE t.id = ?`).get(ticketId) as
      { tenantId: number; status: 'open' | 'closed'; closedAt: string | null; assigneeId: number | null; closingId: number | null } | undefined) ?? null;
  }

  /** Stores a rating; false when this closing is already rated. */
  addRating(r: Omit<RatingRow, 'id'>): boolean {
    return stmt(this.db, `INSERT INTO request_ratings (ticket_id, tenant_id, closing_id, closed_at, executor_id, score, comment, questions_left, reopened, channel, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (ticket_id, closing_id) DO NOTHING`)
      .run(r.ticketId, r.tenantId, r.closingId, r.closedAt, r.executorId, r.score, r.comment, r.questionsLeft ? 1 : 0, r.reopened ? 1 : 0, r.channel, r.createdAt).changes === 1;
  }

  ratings(ticketId: number): RatingRow[] {
    return (stmt(this.db, `SELECT id, ticket_id AS ticketId, tenant_id AS tenantId, closing_id AS closingId, closed_at AS closedAt, executor_id AS executorId, score, comment,
        questions_left AS questionsLeft, reopened, channel, created_at AS createdAt FROM request_ratings WHERE ticket_id = ? ORDER BY id`).all(ticketId) as (Omit<RatingRow, 'questionsLeft' | 'reopened'> & { questionsLeft: number; reopened: number })[])
      .map((r) => ({ ...r, questionsLeft: r.questionsLeft === 1, reopened: r.reopened === 1 }));
  }

  rated(ticketId: number, closingId: number): boolean {
    return stmt(this.db, 'SELECT 1 FROM request_ratings WHERE ticket_id = ? AND closing_id = ?').pluck().get(ticketId, closingId) !== undefined;
  }
}
