// The journal's storage: requests of one company and period as journal rows
// (one query: tickets with their people, account, category, stage name,
// first hand-over / acceptance and last completion from the history, and
// whether a linked call has a stored recording), read in keyset pages so a
// long export never holds the connection between pages; and the registry of
// the monthly exports. All SQL of the journal lives here.
import { stmt, type Db } from '../../store/db.js';
import type { JournalRecord } from './columns.js';

export interface JournalFilter { tenantId: number; from: string; to: string }
export interface JournalCursor { createdAt: string; id: number }

export interface JournalExport {
  id: number; tenantId: number; tenantName: string; period: string; format: 'xlsx' | 'csv'; path: string; sha256: string; size: number; rows: number; createdAt: string; createdBy: number | null;
}

// Handed to work: the first entry to 'assigned' (the tickets column keeps the
// assignment time when the stage was skipped); accepted: the first 'in_work';
// done: the last 'done' (a reopened request is done again later); closed: the
// closing stage's time on the request.
const journalSql = `SELECT t.id, t.number, t.created_at AS createdAt, t.channel, cu.full_name AS registeredBy,
    t.caller_name AS callerName, t.caller_phone AS callerPhone, t.anonymous_caller_id AS anonymousId,
    t.address, t.flat, a.account_number AS accountNumber, coalesce(pc.name, c.name) AS categoryName, CASE WHEN pc.id IS NULL THEN NULL ELSE c.name END AS subcategoryName, t.kind, t.description,
    coalesce((SELECT min(h.at) FROM ticket_history h WHERE h.ticket_id = t.id AND h.to_stage = 'assigned'), t.handed_at) AS handedAt,
    au.full_name AS assigneeName,
    coalesce((SELECT min(h.at) FROM ticket_history h WHERE h.ticket_id = t.id AND h.to_stage = 'in_work'), t.accepted_at) AS acceptedAt,
    coalesce((SELECT max(h.at) FROM ticket_history h WHERE h.ticket_id = t.id AND h.to_stage = 'done'), t.done_at) AS doneAt,
    t.result, t.reason, t.closed_at AS closedAt, ps.name AS stageName, t.stage_code AS stageCode, t.due_at AS dueAt,
    (SELECT tc.call_id FROM ticket_calls tc JOIN recordings r ON r.call_id = tc.call_id AND r.state = 'stored' WHERE tc.ticket_id = t.id ORDER BY r.started_at LIMIT 1) AS recordedCallId
  FROM (SELECT id FROM tickets WHERE tenant_id = ? AND created_at >= ? AND created_at < ? AND (created_at, id) > (?, ?) ORDER BY created_at, id LIMIT ?) pg
  JOIN tickets t ON t.id = pg.id
  JOIN users cu ON cu.id = t.created_by
  JOIN ticket_categories c ON c.id = t.category_id
  LEFT JOIN ticket_categories pc ON pc.id = c.parent_id
  LEFT JOIN accounts a ON a.id = t.account_id
  LEFT JOIN users au ON au.id = t.assignee_id
  LEFT JOIN pipelines p ON p.tenant_id = t.tenant_id AND p.kind = t.kind
  LEFT JOIN pipeline_stages ps ON ps.pipeline_id = p.id AND ps.code = t.stage_code
  ORDER BY t.created_at, t.id`;

/** The plan of a page (the bench prints it: a SEARCH on the tenant/created index, no SCAN; the only sort is of the page's own rows). */
export const journalPlanSql = `EXPLAIN QUERY PLAN ${journalSql}`;

const exportCols = `e.id, e.tenant_id AS tenantId, tn.name AS tenantName, e.period, e.format, e.path, e.sha256, e.size, e.rows, e.created_at AS createdAt, e.created_by AS createdBy`;

export class JournalRepository {
  constructor(private readonly db: Db) {}

  /** A page of the journal in registration order, after `cursor` (the page's ids first, by a row-value range on tickets_tenant_created, then the joins and history look-ups for those rows only: a page costs its own rows, not the ones before or after it). */
  page(f: JournalFilter, limit: number, cursor?: JournalCursor): JournalRecord[] {
    const c = cursor ?? { createdAt: '', id: 0 };
    return stmt(this.db, journalSql).all(f.tenantId, f.from, f.to, c.createdAt, c.id, limit) as JournalRecord[];
  }

  /** The whole period, page by page (each page one statement run: the connection is free between them). */
  *pages(f: JournalFilter, size = 500): Generator<JournalRecord[]> {
    let cursor: JournalCursor | undefined;
    for (;;) {
      const rows = this.page(f, size, cursor);
      if (rows.length > 0) yield rows;
      if (rows.length < size) return;
      const last = rows[rows.length - 1]!;
      cursor = { createdAt: last.createdAt, id: last.id };
    }
  }

  tenantName(id: number): string | null {
    return (stmt(this.db, 'SELECT name FROM tenants WHERE id = ?').pluck().get(id) as string | undefined) ?? null;
  }

  tenants(): { id: number; name: string }[] {
    return stmt(this.db, 'SELECT id, name FROM tenants ORDER BY id').all() as { id: number; name: string }[];
  }

  // ── the monthly archive ───────────────────────────────────────────────
  findExport(tenantId: number, period: string, format: string): JournalExport | null {
    return (stmt(this.db, `SELECT ${exportCols} FROM journal_exports e JOIN tenants tn ON tn.id = e.tenant_id WHERE e.tenant_id = ? AND e.period = ? AND e.format = ?`).get(tenantId, period, format) as JournalExport | undefined) ?? null;
  }

  getExport(id: number): JournalExport | null {
    return (stmt(this.db, `SELECT ${exportCols} FROM journal_exports e JOIN tenants tn ON tn.id = e.tenant_id WHERE e.id = ?`).get(id) as JournalExport | undefined) ?? null;
  }

  /** Registers a stored export; null when that company, month and format already has one (it is never replaced). */
  addExport(e: Omit<JournalExport, 'id' | 'tenantName'>): number | null {
    const info = stmt(this.db, `INSERT INTO journal_exports (tenant_id, period, format, path, sha256, size, rows, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (tenant_id, period, format) DO NOTHING`).run(e.tenantId, e.period, e.format, e.path, e.sha256, e.size, e.rows, e.createdAt, e.createdBy);
    return info.changes === 1 ? Number(info.lastInsertRowid) : null;
  }

  /** Exports of these companies (null = all), newest month first. */
  listExports(tenantIds: number[] | null, tenantId?: number, limit = 240): JournalExport[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (tenantIds) {
      where.push(tenantIds.length ? `e.tenant_id IN (${tenantIds.map(() => '?').join(',')})` : '0');
      args.push(...tenantIds);
    }
    if (tenantId !== undefined) {
      where.push('e.tenant_id = ?');
      args.push(tenantId);
    }
    return stmt(this.db, `SELECT ${exportCols} FROM journal_exports e JOIN tenants tn ON tn.id = e.tenant_id ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
      ORDER BY e.period DESC, tn.name, e.format LIMIT ?`).all(...args, limit) as JournalExport[];
  }
}
