// Shifts of executors and groups, groups (brigades) and exceptions
// (vacation, sick leave).
import { stmt, type Db } from '../../store/db.js';
import type { Shift, ShiftException } from '../../domain/schedule.js';
import { ids, ph } from './sql.js';

export interface ScheduleRow extends Shift { id: number; userId: number | null; groupId: number | null }
export interface ExceptionRow extends ShiftException { id: number; userId: number; note: string | null }

export class ScheduleRepository {
  constructor(private readonly db: Db) {}

  // ── schedules ──────────────────────────────────────────────────────────
  /** An executor's own shifts, or (`group`) a group's. */
  schedules(ownerId: number, owner: 'user' | 'group' = 'user'): ScheduleRow[] {
    return stmt(this.db, `SELECT id, user_id AS userId, group_id AS groupId, zone_id AS zoneId, weekdays, from_time AS "from", to_time AS "to", valid_from AS validFrom, valid_to AS validTo FROM schedules WHERE ${owner}_id = ? ORDER BY id`).all(ownerId) as ScheduleRow[];
  }

  /** An executor's shifts including those of their groups. */
  effectiveSchedules(userId: number): ScheduleRow[] {
    // Two indexed lookups (an OR would scan every shift).
    const cols = 's.id, s.user_id AS userId, s.group_id AS groupId, s.zone_id AS zoneId, s.weekdays, s.from_time AS "from", s.to_time AS "to", s.valid_from AS validFrom, s.valid_to AS validTo';
    return stmt(this.db, `SELECT ${cols} FROM schedules s WHERE s.user_id = ?
      UNION ALL SELECT ${cols} FROM executor_group_members m JOIN schedules s ON s.group_id = m.group_id WHERE m.user_id = ? ORDER BY 1`).all(userId, userId) as ScheduleRow[];
  }

  addSchedule(ownerId: number, s: Shift, owner: 'user' | 'group' = 'user'): number {
    return Number(stmt(this.db, `INSERT INTO schedules (${owner}_id, zone_id, weekdays, from_time, to_time, valid_from, valid_to) VALUES (?, ?, ?, ?, ?, ?, ?)`)
      .run(ownerId, s.zoneId, s.weekdays, s.from, s.to, s.validFrom ?? null, s.validTo ?? null).lastInsertRowid);
  }

  deleteSchedule(ownerId: number, id: number, owner: 'user' | 'group' = 'user'): boolean {
    return stmt(this.db, `DELETE FROM schedules WHERE id = ? AND ${owner}_id = ?`).run(id, ownerId).changes === 1;
  }

  // ── groups ─────────────────────────────────────────────────────────────
  group(id: number): { id: number; tenantId: number; name: string; userIds: number[] } | null {
    const g = stmt(this.db, 'SELECT id, tenant_id AS tenantId, name FROM executor_groups WHERE id = ?').get(id) as { id: number; tenantId: number; name: string } | undefined;
    return g ? { ...g, userIds: ids(this.db, 'SELECT user_id FROM executor_group_members WHERE group_id = ? ORDER BY user_id', id) } : null;
  }

  groups(tenantIds: number[] | null): { id: number; tenantId: number; name: string; userIds: number[] }[] {
    const rows = tenantIds === null ? ids(this.db, 'SELECT id FROM executor_groups ORDER BY id') : tenantIds.length === 0 ? [] : (stmt(this.db, `SELECT id FROM executor_groups WHERE tenant_id IN (${ph(tenantIds)}) ORDER BY id`).pluck().all(...tenantIds) as number[]);
    return rows.map((id) => this.group(id)!);
  }

  saveGroup(g: { id?: number; tenantId: number; name: string; userIds: number[] }): number {
    return this.db.transaction(() => {
      const id = g.id ?? Number(stmt(this.db, 'INSERT INTO executor_groups (tenant_id, name) VALUES (?, ?)').run(g.tenantId, g.name).lastInsertRowid);
      if (g.id !== undefined) stmt(this.db, 'UPDATE executor_groups SET name = ? WHERE id = ?').run(g.name, id);
      stmt(this.db, 'DELETE FROM executor_group_members WHERE group_id = ?').run(id);
      for (const u of g.userIds) stmt(this.db, 'INSERT OR IGNORE INTO executor_group_members (group_id, user_id) VALUES (?, ?)').run(id, u);
      return id;
    })();
  }

  deleteGroup(id: number): void {
    stmt(this.db, 'DELETE FROM executor_groups WHERE id = ?').run(id);
  }

  exceptions(userId: number): ExceptionRow[] {
    return stmt(this.db, 'SELECT id, user_id AS userId, kind, from_date AS "from", to_date AS "to", note FROM schedule_exceptions WHERE user_id = ? ORDER BY from_date, id').all(userId) as ExceptionRow[];
  }

  addException(userId: number, e: ShiftException & { note: string | null }): number {
    return Number(stmt(this.db, 'INSERT INTO schedule_exceptions (user_id, kind, from_date, to_date, note) VALUES (?, ?, ?, ?, ?)').run(userId, e.kind, e.from, e.to, e.note).lastInsertRowid);
  }

  deleteException(userId: number, id: number): boolean {
    return stmt(this.db, 'DELETE FROM schedule_exceptions WHERE id = ? AND user_id = ?').run(id, userId).changes === 1;
  }

}
