// Storage of the billing link and push: the company's settings, the account
// a link opens, and the outbox of closed requests (filled by a trigger in the
// closing transaction, migration 041). All SQL of the billing feature.
import { stmt, type Db } from '../../store/db.js';

export interface BillingSettings { urlTemplate: string | null; pushUrl: string | null }
export interface OutboxRow { id: number; tenantId: number; ticketId: number; url: string; body: string; state: 'pending' | 'delivered' | 'failed'; attempts: number; nextAt: string; lastStatus: number | null; lastError: string | null; createdAt: string; deliveredAt: string | null }

const outboxCols = `id, tenant_id AS tenantId, ticket_id AS ticketId, url, body, state, attempts, next_at AS nextAt, last_status AS lastStatus, last_error AS lastError, created_at AS createdAt, delivered_at AS deliveredAt`;
const ph = (xs: unknown[]) => xs.map(() => '?').join(',');

export class BillingRepository {
  constructor(private readonly db: Db) {}

  settings(tenantId: number): BillingSettings | null {
    return (stmt(this.db, 'SELECT billing_url_template AS urlTemplate, billing_push_url AS pushUrl FROM tenants WHERE id = ?').get(tenantId) as BillingSettings | undefined) ?? null;
  }

  save(tenantId: number, s: BillingSettings): void {
    stmt(this.db, 'UPDATE tenants SET billing_url_template = ?, billing_push_url = ? WHERE id = ?').run(s.urlTemplate, s.pushUrl, tenantId);
  }

  account(accountId: number): { tenantId: number; number: string } | null {
    return (stmt(this.db, 'SELECT tenant_id AS tenantId, account_number AS number FROM accounts WHERE id = ?').get(accountId) as { tenantId: number; number: string } | undefined) ?? null;
  }

  accountByNumber(accountNumber: string): { tenantId: number; number: string } | null {
    return (stmt(this.db, 'SELECT tenant_id AS tenantId, account_number AS number FROM accounts WHERE account_number = ?').get(accountNumber) as { tenantId: number; number: string } | undefined) ?? null;
  }

  /** A request's company and account (number), for its link. */
  requestAccount(ticketId: number): { tenantId: number; accountNumber: string | null } | null {
    return (stmt(this.db, 'SELECT t.tenant_id AS tenantId, a.account_number AS accountNumber FROM tickets t LEFT JOIN accounts a ON a.id = t.account_id WHERE t.id = ?').get(ticketId) as { tenantId: number; accountNumber: string | null } | undefined) ?? null;
  }

  due(nowIso: string, limit: number): OutboxRow[] {
    return stmt(this.db, `SELECT ${outboxCols} FROM billing_outbox WHERE state = 'pending' AND next_at <= ? ORDER BY next_at, id LIMIT ?`).all(nowIso, limit) as OutboxRow[];
  }

  delivered(id: number, status: number, at: string): void {
    stmt(this.db, `UPDATE billing_outbox SET state = 'delivered', attempts = attempts + 1, last_status = ?, last_error = NULL, delivered_at = ? WHERE id = ?`).run(status, at, id);
  }

  /** A failed attempt: retried at `nextAt`, or marked failed for good (`final`). */
  attemptFailed(id: number, r: { status: number | null; error: string; nextAt: string; final: boolean }): void {
    stmt(this.db, `UPDATE billing_outbox SET attempts = attempts + 1, last_status = ?, last_error = ?, next_at = ?, state = CASE WHEN ? = 1 THEN 'failed' ELSE 'pending' END WHERE id = ?`)
      .run(r.status, r.error.slice(0, 500), r.nextAt, r.final ? 1 : 0, id);
  }

  get(id: number): OutboxRow | null {
    return (stmt(this.db, `SELECT ${outboxCols} FROM billing_outbox WHERE id = ?`).get(id) as OutboxRow | undefined) ?? null;
  }

  /** Pushes of the companies (null: all) in a state, newest first. */
  list(tenantIds: number[] | null, state: OutboxRow['state'], limit: number): (OutboxRow & { number: string })[] {
    const scope = tenantIds === null ? '' : tenantIds.length ? `AND o.tenant_id IN (${ph(tenantIds)})` : 'AND 0';
    return stmt(this.db, `SELECT o.id, o.tenant_id AS tenantId, o.ticket_id AS ticketId, t.number, o.url, o.body, o.state, o.attempts, o.next_at AS nextAt, o.last_status AS lastStatus, o.last_error AS lastError, o.created_at AS createdAt, o.delivered_at AS deliveredAt
      FROM billing_outbox o JOIN tickets t ON t.id = o.ticket_id WHERE o.state = ? ${scope} ORDER BY o.id DESC LIMIT ?`).all(state, ...(tenantIds ?? []), limit) as (OutboxRow & { number: string })[];
  }

  /** Puts a failed push back in the queue, due now, with a fresh count of attempts. */
  retry(id: number, nowIso: string): boolean {
    return stmt(this.db, `UPDATE billing_outbox SET state = 'pending', attempts = 0, next_at = ? WHERE id = ? AND state = 'failed'`).run(nowIso, id).changes === 1;
  }
}
