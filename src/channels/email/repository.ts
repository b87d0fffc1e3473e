// The e-mail channel's tables: companies' inbound addresses, the mail side of
// requests (whom to answer, under which subject), Message-IDs per request,
// accounts' learned addresses (and the directory's, read only), and the
// «оцените работу» asks.
import { stmt, type Db } from '../../store/db.js';

export interface MailSettings { tenantId: number; inboundEmail: string | null; repliesNeedApproval: boolean }
export interface MailThread { ticketId: number; tenantId: number; email: string; name: string | null; subject: string; rootMessageId: string | null }

export class MailRepository {
  constructor(private readonly db: Db) {}

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  settings(tenantId: number): MailSettings {
    const r = stmt(this.db, 'SELECT inbound_email AS inboundEmail, replies_need_approval AS approval FROM tenant_mail WHERE tenant_id = ?').get(tenantId) as { inboundEmail: string | null; approval: number } | undefined;
    return { tenantId, inboundEmail: r?.inboundEmail ?? null, repliesNeedApproval: r?.approval === 1 };
  }

  saveSettings(s: MailSettings, at: string): void {
    stmt(this.db, `INSERT INTO tenant_mail (tenant_id, inbound_email, replies_need_approval, updated_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (tenant_id) DO UPDATE SET inbound_email = excluded.inbound_email, replies_need_approval = excluded.replies_need_approval, updated_at = excluded.updated_at`)
      .run(s.tenantId, s.inboundEmail, s.repliesNeedApproval ? 1 : 0, at);
  }

  /** The company whose inbound address this is (lowercase), or null. */
  tenantByAddress(email: string): number | null {
    return (stmt(this.db, 'SELECT tenant_id FROM tenant_mail WHERE inbound_email = ?').pluck().get(email.toLowerCase()) as number | undefined) ?? null;
  }

  thread(ticketId: number): MailThread | null {
    return (stmt(this.db, 'SELECT ticket_id AS ticketId, tenant_id AS tenantId, email, name, subject, root_message_id AS rootMessageId FROM mail_threads WHERE ticket_id = ?').get(ticketId) as MailThread | undefined) ?? null;
  }

  saveThread(t: MailThread): void {
    stmt(this.db, 'INSERT OR IGNORE INTO mail_threads (ticket_id, tenant_id, email, name, subject, root_message_id) VALUES (?, ?, ?, ?, ?, ?)').run(t.ticketId, t.tenantId, t.email, t.name, t.subject, t.rootMessageId);
  }

  rememberMessageId(messageId: string, ticketId: number, direction: 'in' | 'out', at: string): void {
    stmt(this.db, 'INSERT OR IGNORE INTO mail_message_ids (message_id, ticket_id, direction, at) VALUES (?, ?, ?, ?)').run(messageId, ticketId, direction, at);
  }

  /** The first of these Message-IDs known on a request of this company. */
  ticketByMessageIds(ids: string[], tenantId: number): number | null {
    for (const id of ids) {
      const t = stmt(this.db, 'SELECT m.ticket_id FROM mail_message_ids m JOIN tickets t ON t.id = m.ticket_id WHERE m.message_id = ? AND t.tenant_id = ?').pluck().get(id, tenantId) as number | undefined;
      if (t !== undefined) return t;
    }
    return null;
  }

  /** The Message-IDs of a request, newest first (for In-Reply-To / References). */
  messageIds(ticketId: number, limit = 10): { messageId: string; direction: 'in' | 'out' }[] {
    return stmt(this.db, 'SELECT message_id AS messageId, direction FROM mail_message_ids WHERE ticket_id = ? ORDER BY at DESC, rowid DESC LIMIT ?').all(ticketId, limit) as { messageId: string; direction: 'in' | 'out' }[];
  }

  ticketByNumber(tenantId: number, number: string): number | null {
    return (stmt(this.db, 'SELECT id FROM tickets WHERE tenant_id = ? AND number = ?').pluck().get(tenantId, number) as number | undefined) ?? null;
  }

  accountByEmail(tenantId: number, email: string): number | null {
    return (stmt(this.db, 'SELECT account_id FROM account_emails WHERE tenant_id = ? AND email = ?').pluck().get(tenantId, email.toLowerCase()) as number | undefined) ?? null;
  }

  /** The company's accounts with this address in the directory (its import), active ones first. */
  accountsByDirectoryEmail(tenantId: number, email: string): { id: number; active: boolean }[] {
    return (stmt(this.db, `SELECT a.id, a.status = 'active' AS active FROM account_directory_emails e JOIN accounts a ON a.id = e.account_id
      WHERE e.email = ? AND a.tenant_id = ? ORDER BY a.status = 'active' DESC, a.id LIMIT 5`).all(email.toLowerCase(), tenantId) as { id: number; active: number }[])
      .map((r) => ({ id: r.id, active: r.active === 1 }));
  }

  accountNumber(accountId: number, tenantId: number): string | null {
    return (stmt(this.db, 'SELECT account_number FROM accounts WHERE id = ? AND tenant_id = ?').pluck().get(accountId, tenantId) as string | undefined) ?? null;
  }

  learnEmail(tenantId: number, email: string, accountId: number, at: string): void {
    stmt(this.db, `INSERT INTO account_emails (tenant_id, email, account_id, learned_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (tenant_id, email) DO UPDATE SET account_id = excluded.account_id, learned_at = excluded.learned_at`).run(tenantId, email.toLowerCase(), accountId, at);
  }

  /** Requests that came by mail, closed since `since` and not yet asked for a rating for that closing. */
  closedToAsk(since: string, limit: number): { ticketId: number; closedAt: string }[] {
    return stmt(this.db, `SELECT t.id AS ticketId, t.closed_at AS closedAt FROM tickets t JOIN mail_threads m ON m.ticket_id = t.id
      WHERE t.status = 'closed' AND t.channel = 'email' AND t.closed_at >= ?
        AND NOT EXISTS (SELECT 1 FROM mail_feedback_asks a WHERE a.ticket_id = t.id AND a.closed_at = t.closed_at)
      ORDER BY t.closed_at LIMIT ?`).all(since, limit) as { ticketId: number; closedAt: string }[];
  }

  recordAsk(ticketId: number, closedAt: string, at: string): boolean {
    return stmt(this.db, 'INSERT OR IGNORE INTO mail_feedback_asks (ticket_id, closed_at, asked_at) VALUES (?, ?, ?)').run(ticketId, closedAt, at).changes > 0;
  }

  forgetAsk(ticketId: number, closedAt: string): void {
    stmt(this.db, 'DELETE FROM mail_feedback_asks WHERE ticket_id = ? AND closed_at = ?').run(ticketId, closedAt);
  }

  /** True when the request is closed and the resident was asked to rate this closing. */
  askedForThisClosing(ticketId: number): boolean {
    return stmt(this.db, `SELECT 1 FROM tickets t JOIN mail_feedback_asks a ON a.ticket_id = t.id AND a.closed_at = t.closed_at WHERE t.id = ? AND t.status = 'closed'`).get(ticketId) !== undefined;
  }
}
