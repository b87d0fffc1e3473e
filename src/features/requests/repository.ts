// Requests' storage: pipelines, stage state, history, comments, reminders,
// rule errors, the filtered list and the monitor's counts. All SQL of the
// requests feature lives here.
import { stmt, type Db } from '../../store/db.js';
import { defaultPipeline, type PipelineDef, type RequestKind } from '../../domain/request-pipeline.js';
import { readRules } from '../../domain/stage-rules.js';
import type { ListFilter, MonitorFilter } from './types.js';

export interface RequestState {
  id: number; tenantId: number; kind: RequestKind; stage: string; status: 'open' | 'closed'; assigneeId: number | null; buildingId: number | null;
  createdBy: number; categoryId: number; dueAt: string | null; result: string | null; reason: string | null; postponedUntil: string | null;
  remindEveryMin: number | null; remindEscalateMin: number | null; remindSince: string | null; nextRemindAt: string | null; number: string;
}

const stateCols = `id, tenant_id AS tenantId, kind, stage_code AS stage, status, assignee_id AS assigneeId, building_id AS buildingId, created_by AS createdBy,
  category_id AS categoryId, due_at AS dueAt, result, reason, postponed_until AS postponedUntil, remind_every_min AS remindEveryMin,
  remind_escalate_min AS remindEscalateMin, remind_since AS remindSince, next_remind_at AS nextRemindAt, number`;

const ph = (xs: unknown[]) => xs.map(() => '?').join(',');

export class RequestRepository {
  constructor(private readonly db: Db) {}

  // ── pipelines ──────────────────────────────────────────────────────────
  /** A company's pipeline of a kind; the seeds' default is stored on first use. */
  pipeline(tenantId: number, kind: RequestKind): PipelineDef & { id: number } {
    let id = stmt(this.db, 'SELECT id FROM pipelines WHERE tenant_id = ? AND kind = ?').pluck().get(tenantId, kind) as number | undefined;
    if (id === undefined) id = this.savePipeline(tenantId, kind, defaultPipeline(kind));
    const stages = (stmt(this.db, 'SELECT code, name, position, closes, rules FROM pipeline_stages WHERE pipeline_id = ? ORDER BY position').all(id) as { code: string; name: string; position: number; closes: number; rules: string }[])
      .map((s) => ({ code: s.code, name: s.name, position: s.position, closes: s.closes === 1, rules: readRules(s.rules) }));
    const transitions = (stmt(this.db, 'SELECT from_code AS f, to_code AS t FROM pipeline_transitions WHERE pipeline_id = ? ORDER BY rowid').all(id) as { f: string; t: string }[]).map((r) => [r.f, r.t] as [string, string]);
    return { id, stages, transitions };
  }

  /** Replaces a company's pipeline of a kind (stages, transitions, rules) in one transaction. */
  savePipeline(tenantId: number, kind: RequestKind, p: PipelineDef): number {
    return this.db.transaction(() => {
      stmt(this.db, `INSERT INTO pipelines (tenant_id, kind, name) VALUES (?, ?, ?) ON CONFLICT (tenant_id, kind) DO NOTHING`).run(tenantId, kind, kind === 'emergency' ? 'Аварийные' : 'Плановые');
      const id = stmt(this.db, 'SELECT id FROM pipelines WHERE tenant_id = ? AND kind = ?').pluck().get(tenantId, kind) as number;
      stmt(this.db, 'DELETE FROM pipeline_stages WHERE pipeline_id = ?').run(id);
      stmt(this.db, 'DELETE FROM pipeline_transitions WHERE pipeline_id = ?').run(id);
      const st = stmt(this.db, 'INSERT INTO pipeline_stages (pipeline_id, code, name, position, closes, rules) VALUES (?, ?, ?, ?, ?, ?)');
      for (const s of p.stages) st.run(id, s.code, s.name, s.position, s.closes ? 1 : 0, JSON.stringify(s.rules));
      const tr = stmt(this.db, 'INSERT OR IGNORE INTO pipeline_transitions (pipeline_id, from_code, to_code) VALUES (?, ?, ?)');
      for (const [f, t] of p.transitions) tr.run(id, f, t);
      return id;
    })();
  }

  /** Stages outside `codes` where open requests of this company and kind sit. */
  openStagesOutside(tenantId: number, kind: RequestKind, codes: string[]): string[] {
    return stmt(this.db, `SELECT DISTINCT stage_code FROM tickets WHERE tenant_id = ? AND kind = ? AND status = 'open' AND stage_code NOT IN (${ph(codes)})`).pluck().all(tenantId, kind, ...codes) as string[];
  }

  // ── one request ────────────────────────────────────────────────────────
  state(id: number): RequestState | null {
    return (stmt(this.db, `SELECT ${stateCols} FROM tickets WHERE id = ?`).get(id) as RequestState | undefined) ?? null;
  }

  /** Moves a request to a stage and writes its history row, in one transaction. */
  moveStage(id: number, m: { from: string | null; to: string; closes: boolean; at: string; by: number | null; comment: string | null; result?: string | null; reason?: string | null; until?: string | null; assigneeId?: number | null; kind?: RequestKind }): void {
    this.db.transaction(() => {
      stmt(this.db, `UPDATE tickets SET stage_code = ?, status = ?, updated_at = ?,
          kind = coalesce(?, kind),
          result = coalesce(?, result), reason = coalesce(?, reason), postponed_until = ?,
          assignee_id = coalesce(?, assignee_id),
          handed_at = CASE WHEN ? = 'assigned' THEN coalesce(handed_at, ?) ELSE handed_at END,
          accepted_at = CASE WHEN ? = 'in_work' THEN coalesce(accepted_at, ?) ELSE accepted_at END,
          done_at = CASE WHEN ? = 'done' THEN ? ELSE done_at END,
          closed_at = CASE WHEN ? = 1 THEN ? ELSE NULL END, closed_by = CASE WHEN ? = 1 THEN ? ELSE NULL END,
          next_remind_at = CASE WHEN ? = 1 THEN NULL ELSE next_remind_at END
        WHERE id = ?`)
        .run(m.to, m.closes ? 'closed' : 'open', m.at, m.kind ?? null, m.result ?? null, m.reason ?? null, m.until ?? null, m.assigneeId ?? null,
          m.to, m.at, m.to, m.at, m.to, m.at, m.closes ? 1 : 0, m.at, m.closes ? 1 : 0, m.by, m.closes ? 1 : 0, id);
      stmt(this.db, 'INSERT INTO ticket_history (ticket_id, at, by_user, from_stage, to_stage, comment) VALUES (?, ?, ?, ?, ?, ?)').run(id, m.at, m.by, m.from, m.to, m.comment);
    })();
  }

  history(id: number): { at: string; by: { id: number; name: string } | null; from: string | null; to: string; comment: string | null }[] {
    const rows = stmt(this.db, `SELECT h.at, h.by_user AS byId, u.full_name AS byName, h.from_stage AS "from", h.to_stage AS "to", h.comment
      FROM ticket_history h LEFT JOIN users u ON u.id = h.by_user WHERE h.ticket_id = ? ORDER BY h.id`).all(id) as { at: string; byId: number | null; byName: string | null; from: string | null; to: string; comment: string | null }[];
    return rows.map((r) => ({ at: r.at, by: r.byId !== null ? { id: r.byId, name: r.byName ?? '' } : null, from: r.from, to: r.to, comment: r.comment }));
  }

  addComment(id: number, c: { at: string; by: number; kind: 'comment' | 'append' | 'edit'; text: string; callId: string | null }): void {
    this.db.transaction(() => {
      stmt(this.db, 'INSERT INTO ticket_comments (ticket_id, at, by_user, kind, text, call_id) VALUES (?, ?, ?, ?, ?, ?)').run(id, c.at, c.by, c.kind, c.text, c.callId);
      if (c.callId) stmt(this.db, 'INSERT OR IGNORE INTO ticket_calls (ticket_id, call_id) VALUES (?, ?)').run(id, c.callId);
      stmt(this.db, 'UPDATE tickets SET updated_at = ? WHERE id = ?').run(c.at, id);
    })();
  }

  comments(id: number): { id: number; at: string; by: { id: number; name: string }; kind: string; text: string; callId: string | null }[] {
    const rows = stmt(this.db, `SELECT c.id, c.at, c.by_user AS byId, u.full_name AS byName, c.kind, c.text, c.call_id AS callId
      FROM ticket_comments c JOIN users u ON u.id = c.by_user WHERE c.ticket_id = ? ORDER BY c.id`).all(id) as { id: number; at: string; byId: number; byName: string; kind: string; text: string; callId: string | null }[];
    return rows.map((r) => ({ id: r.id, at: r.at, by: { id: r.byId, name: r.byName }, kind: r.kind, text: r.text, callId: r.callId }));
  }

  /** Edits the fields a dispatcher may change; only the given ones. */
  edit(id: number, p: { description?: string; address?: string; flat?: string | null; callerName?: string | null; callerPhone?: string | null; categoryId?: number; dueAt?: string | null; assigneeId?: number | null }, at: string): void {
    const cols: Record<string, string> = { description: 'description', address: 'address', flat: 'flat', callerName: 'caller_name', callerPhone: 'caller_phone', categoryId: 'category_id', dueAt: 'due_at', assigneeId: 'assignee_id' };
    const sets: string[] = [];
    const args: unknown[] = [];
    for (const [k, col] of Object.entries(cols)) {
      if (k in p) {
        sets.push(`${col} = ?`);
        args.push((p as Record<string, unknown>)[k] ?? null);
      }
    }
    if (sets.length === 0) return;
    stmt(this.db, `UPDATE tickets SET ${sets.join(', ')}, updated_at = ? WHERE id = ?`).run(...args, at, id);
  }

  createdAt(id: number): string {
    return stmt(this.db, 'SELECT created_at FROM tickets WHERE id = ?').pluck().get(id) as string;
  }

  /** A dispatcher's (re)assignment, as a history row at the current stage. */
  recordAssignment(id: number, a: { at: string; by: number; stage: string; assigneeId: number | null }): void {
    const name = a.assigneeId === null ? null : (stmt(this.db, 'SELECT full_name FROM users WHERE id = ?').pluck().get(a.assigneeId) as string | undefined) ?? '';
    stmt(this.db, 'INSERT INTO ticket_history (ticket_id, at, by_user, from_stage, to_stage, comment) VALUES (?, ?, ?, ?, ?, ?)').run(id, a.at, a.by, a.stage, a.stage, name === null ? 'исполнитель снят' : `назначен: ${name}`);
  }

  setAssignee(id: number, userId: number): void {
    stmt(this.db, 'UPDATE tickets SET assignee_id = ? WHERE id = ?').run(userId, id);
  }

  setChannel(id: number, channel: string): void {
    stmt(this.db, 'UPDATE tickets SET channel = ? WHERE id = ?').run(channel, id);
  }

  markDocumentPending(id: number): void {
    stmt(this.db, 'UPDATE tickets SET document_pending = 1 WHERE id = ?').run(id);
  }

  buildingDefaultExecutor(buildingId: number): number | null {
    return (stmt(this.db, 'SELECT default_executor_id FROM buildings WHERE id = ?').pluck().get(buildingId) as number | null | undefined) ?? null;
  }

  setBuildingDefaultExecutor(buildingId: number, userId: number | null): boolean {
    return stmt(this.db, 'UPDATE buildings SET default_executor_id = ? WHERE id = ?').run(userId, buildingId).changes === 1;
  }

  buildingTenant(buildingId: number): number | null {
    return (stmt(this.db, 'SELECT tenant_id FROM buildings WHERE id = ?').pluck().get(buildingId) as number | undefined) ?? null;
  }

  /** Who can hold a request of this company: its active users (not admins, not overflow staff), by name. */
  executors(tenantId: number): { id: number; name: string }[] {
    return stmt(this.db, `SELECT u.id, u.full_name AS name FROM users u JOIN user_tenants ut ON ut.user_id = u.id AND ut.tenant_id = ?
      WHERE u.disabled_at IS NULL AND u.role IN ('operator', 'supervisor') ORDER BY u.full_name, u.id`).all(tenantId) as { id: number; name: string }[];
  }

  /** Whether a user works for a company (admins work for all). */
  userInTenant(userId: number, tenantId: number): boolean {
    return stmt(this.db, `SELECT 1 FROM users u WHERE u.id = ? AND (u.role = 'admin' OR EXISTS (SELECT 1 FROM user_tenants ut WHERE ut.user_id = u.id AND ut.tenant_id = ?))`).pluck().get(userId, tenantId) !== undefined;
  }

  addRuleError(id: number, e: { at: string; stage: string; rule: string; error: string }): void {
    stmt(this.db, 'INSERT INTO ticket_rule_errors (ticket_id, at, stage, rule, error) VALUES (?, ?, ?, ?, ?)').run(id, e.at, e.stage, e.rule, e.error);
  }

  ruleErrors(id: number): { at: string; stage: string; rule: string; error: string }[] {
    return stmt(this.db, 'SELECT at, stage, rule, error FROM ticket_rule_errors WHERE ticket_id = ? ORDER BY id').all(id) as { at: string; stage: string; rule: string; error: string }[];
  }

  extras(id: number): { channel: string; assigneeId: number | null; assigneeName: string | null; stage: string; result: string | null; reason: string | null; postponedUntil: string | null; handedAt: string | null; acceptedAt: string | null; doneAt: string | null; documentPending: number; updatedAt: string | null } {
    return stmt(this.db, `SELECT t.channel, t.assignee_id AS assigneeId, u.full_name AS assigneeName, t.stage_code AS stage, t.result, t.reason, t.postponed_until AS postponedUntil,
        t.handed_at AS handedAt, t.accepted_at AS acceptedAt, t.done_at AS doneAt, t.document_pending AS documentPending, t.updated_at AS updatedAt
      FROM tickets t LEFT JOIN users u ON u.id = t.assignee_id WHERE t.id = ?`).get(id) as ReturnType<RequestRepository['extras']>;
  }

  // ── reminders ──────────────────────────────────────────────────────────
  startReminders(id: number, everyMin: number, escalateMin: number, since: string, next: string): void {
    stmt(this.db, 'UPDATE tickets SET remind_every_min = ?, remind_escalate_min = ?, remind_since = ?, next_remind_at = ? WHERE id = ?').run(everyMin, escalateMin, since, next, id);
  }

  /** Open requests whose next reminder is due; holderActive: whether whoever holds it (assignee, else registrar) can still log in. */
  dueForReminder(now: string, limit: number): (RequestState & { holderActive: number })[] {
    return stmt(this.db, `SELECT ${stateCols}, (SELECT u.disabled_at IS NULL FROM users u WHERE u.id = coalesce(tickets.assignee_id, tickets.created_by)) AS holderActive
      FROM tickets WHERE status = 'open' AND next_remind_at IS NOT NULL AND next_remind_at <= ? ORDER BY next_remind_at LIMIT ?`).all(now, limit) as (RequestState & { holderActive: number })[];
  }

  /** Stores a reminder slot; false when that slot was already sent. */
  recordReminder(id: number, slot: number, at: string, target: string, next: string): boolean {
    return this.db.transaction(() => {
      const fresh = stmt(this.db, 'INSERT OR IGNORE INTO request_reminders (ticket_id, slot, at, target) VALUES (?, ?, ?, ?)').run(id, slot, at, target).changes === 1;
      stmt(this.db, 'UPDATE tickets SET next_remind_at = ? WHERE id = ?').run(next, id);
      return fresh;
    })();
  }

  reminders(id: number): { slot: number; at: string; target: string }[] {
    return stmt(this.db, 'SELECT slot, at, target FROM request_reminders WHERE ticket_id = ? ORDER BY slot').all(id) as { slot: number; at: string; target: string }[];
  }

  // ── list and monitor ───────────────────────────────────────────────────
  /**
   * Ids of a page of the list, newest first; keyset on (created_at, id).
   * A text or address search is driven by the FTS index in id order (ids
   * grow with registration), so a common word never sorts its every match.
   * Without a selective key, a query over several companies walks the
   * created_at index newest first instead of sorting every match.
   */
  listIds(f: ListFilter, nowIso: string): number[] {
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (sql: string, ...a: unknown[]) => {
      where.push(sql);
      args.push(...a);
    };
    const fts: string[] = [];
    if (f.text) fts.push(`description : (${f.text})`);
    if (f.address) fts.push(`address : (${f.address})`);
    if (fts.length) {
      // Scope and status as FTS tags too: posting lists intersect before any row is read.
      if (f.tenantIds?.length) fts.push(`tags : (${f.tenantIds.map((t) => `tn${t}`).join(' OR ')})`);
      if (f.status === 'open' || f.late) fts.push('tags : sopen');
      else if (f.status === 'closed') fts.push('tags : sclosed');
      add('tickets_fts MATCH ?', fts.join(' AND '));
    }
    if (f.tenantIds) add(f.tenantIds.length ? `t.tenant_id IN (${ph(f.tenantIds)})` : '0', ...f.tenantIds);
    if (f.number) add(`t.number >= ? AND t.number < ?`, f.number, f.number + '\uffff');
    if (f.phone) add('t.caller_phone = ?', f.phone);
    if (f.stage?.length) add(`t.stage_code IN (${ph(f.stage)})`, ...f.stage);
    if (f.status) add('t.status = ?', f.status);
    if (f.kind) add('t.kind = ?', f.kind);
    if (f.categoryId) add('t.category_id = ?', f.categoryId);
    if (f.assigneeId !== undefined) add(f.assigneeId === null ? 't.assignee_id IS NULL' : 't.assignee_id = ?', ...(f.assigneeId === null ? [] : [f.assigneeId]));
    if (f.channel) add('t.channel = ?', f.channel);
    if (f.buildingId) add('t.building_id = ?', f.buildingId);
    if (f.accountId) add('t.account_id = ?', f.accountId);
    if (f.late) add(`t.status = 'open' AND t.due_at < ?`, nowIso);
    if (f.from) add('t.created_at >= ?', f.from);
    if (f.to) add('t.created_at < ?', f.to);
    const cond = () => (where.length ? 'WHERE ' + where.join(' AND ') : '');
    if (fts.length) {
      if (f.before) add('f.rowid < ?', f.before.id);
      return stmt(this.db, `SELECT t.id FROM tickets_fts f CROSS JOIN tickets t ON t.id = f.rowid ${cond()} ORDER BY f.rowid DESC LIMIT ?`).pluck().all(...args, f.limit) as number[];
    }
    if (f.before) add('(t.created_at < ? OR (t.created_at = ? AND t.id < ?))', f.before.createdAt, f.before.createdAt, f.before.id);
    const selective = f.number || f.phone || f.assigneeId || f.buildingId || f.accountId || f.from || f.to || f.status === 'open' || f.late;
    const walk = !selective && (f.tenantIds === null || f.tenantIds.length > 1) ? 'INDEXED BY tickets_created' : '';
    return stmt(this.db, `SELECT t.id FROM tickets t ${walk} ${cond()} ORDER BY t.created_at DESC, t.id DESC LIMIT ?`).pluck().all(...args, f.limit) as number[];
  }

  /** List rows for ids (one query), in the given order. */
  rows(ids: number[]): ListRow[] {
    if (ids.length === 0) return [];
    const rows = stmt(this.db, `SELECT t.id, t.number, t.tenant_id AS tenantId, tn.name AS tenantName, t.kind, t.stage_code AS stage, t.status, t.category_id AS categoryId, c.name AS categoryName,
        t.description, t.address, t.flat, t.caller_phone AS callerPhone, t.channel, t.assignee_id AS assigneeId, u.full_name AS assigneeName, t.created_at AS createdAt, t.due_at AS dueAt, t.closed_at AS closedAt
      FROM tickets t JOIN tenants tn ON tn.id = t.tenant_id JOIN ticket_categories c ON c.id = t.category_id LEFT JOIN users u ON u.id = t.assignee_id
      WHERE t.id IN (${ph(ids)})`).all(...ids) as ListRow[];
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((i) => byId.get(i)!).filter(Boolean);
  }

  /** Monitor counts over open requests (index-only on tickets_open_monitor). */
  monitor(f: MonitorFilter, nowIso: string, soonIso: string): MonitorCounts {
    const where: string[] = [`t.status = 'open'`];
    const args: unknown[] = [];
    if (f.tenantIds) {
      where.push(f.tenantIds.length ? `t.tenant_id IN (${ph(f.tenantIds)})` : '0');
      args.push(...f.tenantIds);
    }
    const add = (sql: string, v: unknown) => {
      if (v === undefined) return;
      where.push(sql);
      args.push(v);
    };
    add('t.kind = ?', f.kind);
    add('t.category_id = ?', f.categoryId);
    add('t.assignee_id = ?', f.assigneeId);
    add('t.building_id = ?', f.buildingId);
    add('t.created_at >= ?', f.from);
    add('t.created_at < ?', f.to);
    const w = where.join(' AND ');
    const totals = stmt(this.db, `SELECT count(*) AS open, coalesce(sum(t.due_at < ?), 0) AS late, coalesce(sum(t.due_at >= ? AND t.due_at < ?), 0) AS dueSoon, coalesce(sum(t.assignee_id IS NULL), 0) AS unassigned
      FROM tickets t INDEXED BY tickets_open_monitor WHERE ${w}`).get(nowIso, nowIso, soonIso, ...args) as { open: number; late: number; dueSoon: number; unassigned: number };
    const byKind = stmt(this.db, `SELECT t.kind, count(*) AS open, coalesce(sum(t.due_at < ?), 0) AS late FROM tickets t INDEXED BY tickets_open_monitor WHERE ${w} GROUP BY t.kind`).all(nowIso, ...args) as { kind: string; open: number; late: number }[];
    const byCategory = stmt(this.db, `SELECT t.category_id AS categoryId, count(*) AS open, coalesce(sum(t.due_at < ?), 0) AS late FROM tickets t INDEXED BY tickets_open_monitor WHERE ${w} GROUP BY t.category_id`).all(nowIso, ...args) as { categoryId: number; open: number; late: number }[];
    const byExecutor = stmt(this.db, `SELECT t.assignee_id AS userId, count(*) AS open, coalesce(sum(t.due_at < ?), 0) AS late FROM tickets t INDEXED BY tickets_open_monitor WHERE ${w} AND t.assignee_id IS NOT NULL GROUP BY t.assignee_id`).all(nowIso, ...args) as { userId: number; open: number; late: number }[];
    const names = this.namesOf('users', 'full_name', byExecutor.map((e) => e.userId));
    const categories = this.namesOf('ticket_categories', 'name', byCategory.map((c) => c.categoryId));
    return {
      ...totals,
      byKind,
      byCategory: byCategory.map((c) => ({ ...c, name: categories.get(c.categoryId) ?? '' })),
      byExecutor: byExecutor.map((e) => ({ ...e, name: names.get(e.userId) ?? '' })),
    };
  }

  /** id → name for a few rows of a table, in one query. */
  private namesOf(table: 'users' | 'ticket_categories', column: 'full_name' | 'name', ids: number[]): Map<number, string> {
    if (!ids.length) return new Map();
    const rows = stmt(this.db, `SELECT id, ${column} AS name FROM ${table} WHERE id IN (${ph(ids)})`).all(...ids) as { id: number; name: string }[];
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /** Stage counts for the monitor (per-stage «в работе», «отложена»…). */
  stageCounts(f: MonitorFilter): { stage: string; count: number }[] {
    const scope = f.tenantIds ? (f.tenantIds.length ? `AND tenant_id IN (${ph(f.tenantIds)})` : 'AND 0') : '';
    return stmt(this.db, `SELECT stage_code AS stage, count(*) AS count FROM tickets INDEXED BY tickets_open_stage WHERE status = 'open' ${scope} GROUP BY stage_code`).all(...(f.tenantIds ?? [])) as { stage: string; count: number }[];
  }

  categoryDeadline(categoryId: number): { rule: string | null; minutes: number | null } | null {
    return (stmt(this.db, 'SELECT deadline_rule AS rule, deadline_minutes AS minutes FROM ticket_categories WHERE id = ?').get(categoryId) as { rule: string | null; minutes: number | null } | undefined) ?? null;
  }

  setCategoryDeadlineRule(categoryId: number, rule: string | null): boolean {
    return stmt(this.db, 'UPDATE ticket_categories SET deadline_rule = ? WHERE id = ?').run(rule, categoryId).changes === 1;
  }

  setDue(id: number, dueAt: string | null): void {
    stmt(this.db, 'UPDATE tickets SET due_at = ? WHERE id = ?').run(dueAt, id);
  }
}

export interface ListRow {
  id: number; number: string; tenantId: number; tenantName: string; kind: RequestKind; stage: string; status: 'open' | 'closed'; categoryId: number; categoryName: string;
  description: string; address: string; flat: string | null; callerPhone: string | null; channel: string; assigneeId: number | null; assigneeName: string | null;
  createdAt: string; dueAt: string | null; closedAt: string | null;
}

export interface MonitorCounts {
  open: number; late: number; dueSoon: number; unassigned: number;
  byKind: { kind: string; open: number; late: number }[];
  byCategory: { categoryId: number; name: string; open: number; late: number }[];
  byExecutor: { userId: number; name: string; open: number; late: number }[];
}
