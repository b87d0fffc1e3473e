// Requests (заявки), minimal: register one from a call, list the open ones
// at an account or address, close. Numbers run per company and year.
import { stmt } from '../../store/db.js';
import type { Db } from '../../store/db.js';
import type { Clock } from '../../clock.js';

export type { Ticket, TicketCategory } from './types.js';
import type { Ticket, TicketCategory } from './types.js';

export interface NewTicket {
  tenantId: number;
  kind: 'emergency' | 'planned';
  categoryId: number;
  description: string;
  accountId: number | null;
  buildingId: number | null;
  flat: string | null;
  address: string;
  callerName: string | null;
  callerPhone: string | null;
  anonymousCallerId: number | null;
  callIds: string[];
  createdBy: number;
}

interface Row {
  id: number; number: string; tenant_id: number; tenant_name: string; kind: 'emergency' | 'planned'; category_id: number; category_code: string; category_name: string;
  description: string; account_number: string | null; address: string; flat: string | null; caller_name: string | null; caller_phone: string | null;
  anonymous_caller_id: number | null; status: 'open' | 'closed'; created_by: number; created_by_name: string; created_at: string; due_at: string | null; closed_at: string | null;
}

const select = `SELECT t.*, tn.name AS tenant_name, c.code AS category_code, c.name AS category_name, a.account_number, u.full_name AS created_by_name
  FROM tickets t JOIN tenants tn ON tn.id = t.tenant_id JOIN ticket_categories c ON c.id = t.category_id
  LEFT JOIN accounts a ON a.id = t.account_id JOIN users u ON u.id = t.created_by`;

const categoryCols = 'id, code, name, kind, deadline_minutes AS deadlineMinutes, source, parent_id AS parentId, speciality_id AS specialityId';

export const anonymousLabel = (n: number) => `Аноним № ${n}`;

export class TicketService {
  constructor(private readonly db: Db, private readonly clock: Clock) {}

  categories(): TicketCategory[] {
    return stmt(this.db, `SELECT ${categoryCols} FROM ticket_categories WHERE active = 1 ORDER BY coalesce(parent_id, id), parent_id IS NOT NULL, position, id`).all() as TicketCategory[];
  }

  /** Whether a management company exists (a ticket must belong to one). */
  tenantExists(id: number): boolean {
    return stmt(this.db, 'SELECT 1 FROM tenants WHERE id = ?').pluck().get(id) !== undefined;
  }

  category(id: number): TicketCategory | null {
    return (stmt(this.db, `SELECT ${categoryCols} FROM ticket_categories WHERE id = ?`).get(id) as TicketCategory | undefined) ?? null;
  }

  /** Registers a ticket; the number and the links to its calls are written in one transaction. */
  create(t: NewTicket): Ticket {
    const now = this.clock.now();
    const cat = this.category(t.categoryId);
    if (!cat) throw new Error(`unknown category ${t.categoryId}`);
    const dueAt = cat.deadlineMinutes !== null ? new Date(now.getTime() + cat.deadlineMinutes * 60_000).toISOString() : null;
    const id = this.db.transaction(() => {
      const year = now.getUTCFullYear();
      const last = stmt(this.db, `SELECT number FROM tickets WHERE tenant_id = ? AND number LIKE ? ORDER BY number DESC LIMIT 1`).pluck().get(t.tenantId, `${year}-%`) as string | undefined;
      const seq = last ? Number(last.split('-')[1]) + 1 : 1;
      const number = `${year}-${String(seq).padStart(6, '0')}`;
      const info = stmt(this.db, 
          `INSERT INTO tickets (number, tenant_id, kind, category_id, description, account_id, building_id, flat, address, caller_name, caller_phone, anonymous_caller_id, created_by, created_at, due_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(number, t.tenantId, t.kind, t.categoryId, t.description, t.accountId, t.buildingId, t.flat, t.address, t.callerName, t.callerPhone, t.anonymousCallerId, t.createdBy, now.toISOString(), dueAt);
      const ticketId = Number(info.lastInsertRowid);
      const link = stmt(this.db, 'INSERT OR IGNORE INTO ticket_calls (ticket_id, call_id) VALUES (?, ?)');
      for (const c of t.callIds) link.run(ticketId, c);
      return ticketId;
    })();
    return this.get(id)!;
  }

  get(id: number): Ticket | null {
    const row = stmt(this.db, `${select} WHERE t.id = ?`).get(id) as Row | undefined;
    return row ? this.toTicket(row) : null;
  }

  list(q: { tenantIds: number[] | null; accountId?: number; buildingId?: number; status?: 'open' | 'closed'; limit: number }): Ticket[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (q.tenantIds) {
      where.push(q.tenantIds.length ? `t.tenant_id IN (${q.tenantIds.map(() => '?').join(',')})` : '0');
      args.push(...q.tenantIds);
    }
    if (q.accountId !== undefined) {
      where.push('t.account_id = ?');
      args.push(q.accountId);
    }
    if (q.buildingId !== undefined) {
      where.push('t.building_id = ?');
      args.push(q.buildingId);
    }
    if (q.status) {
      where.push('t.status = ?');
      args.push(q.status);
    }
    const rows = stmt(this.db, `${select} ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY t.created_at DESC, t.id DESC LIMIT ?`).all(...args, q.limit) as Row[];
    return rows.map((r) => this.toTicket(r));
  }

  /** Open tickets at these accounts or buildings (what the card shows). */
  openAt(accountIds: number[], buildingIds: number[], tenantIds: number[] | null, limit = 20): Ticket[] {
    if (accountIds.length === 0 && buildingIds.length === 0) return [];
    const ph = (xs: number[]) => xs.map(() => '?').join(',');
    const conds = [accountIds.length ? `t.account_id IN (${ph(accountIds)})` : null, buildingIds.length ? `t.building_id IN (${ph(buildingIds)})` : null].filter(Boolean).join(' OR ');
    const scope = tenantIds ? (tenantIds.length ? ` AND t.tenant_id IN (${ph(tenantIds)})` : ' AND 0') : '';
    const rows = stmt(this.db, `${select} WHERE t.status = 'open' AND (${conds})${scope} ORDER BY t.created_at DESC LIMIT ?`).all(...accountIds, ...buildingIds, ...(tenantIds ?? []), limit) as Row[];
    return rows.map((r) => this.toTicket(r));
  }

  close(id: number, by: number): Ticket | null {
    stmt(this.db, `UPDATE tickets SET status = 'closed', closed_at = ?, closed_by = ? WHERE id = ? AND status = 'open'`).run(this.clock.now().toISOString(), by, id);
    return this.get(id);
  }

  /** A new anonymous caller number for a call (idempotent per call). */
  anonymousFor(callId: string | null): { id: number; label: string } {
    if (callId) {
      const existing = stmt(this.db, 'SELECT id FROM anonymous_callers WHERE call_id = ?').pluck().get(callId) as number | undefined;
      if (existing) return { id: existing, label: anonymousLabel(existing) };
    }
    const id = Number(stmt(this.db, 'INSERT INTO anonymous_callers (call_id, created_at) VALUES (?, ?)').run(callId, this.clock.now().toISOString()).lastInsertRowid);
    return { id, label: anonymousLabel(id) };
  }

  private toTicket(r: Row): Ticket {
    const callIds = stmt(this.db, 'SELECT call_id FROM ticket_calls WHERE ticket_id = ? ORDER BY call_id').pluck().all(r.id) as string[];
    return {
      id: r.id,
      number: r.number,
      tenantId: r.tenant_id,
      tenantName: r.tenant_name,
      kind: r.kind,
      category: { id: r.category_id, code: r.category_code, name: r.category_name },
      description: r.description,
      accountNumber: r.account_number,
      address: r.address,
      flat: r.flat,
      callerName: r.caller_name,
      callerPhone: r.caller_phone,
      anonymousCaller: r.anonymous_caller_id !== null ? anonymousLabel(r.anonymous_caller_id) : null,
      status: r.status,
      createdBy: { id: r.created_by, name: r.created_by_name },
      createdAt: r.created_at,
      dueAt: r.due_at,
      closedAt: r.closed_at,
      callIds,
    };
  }
}
