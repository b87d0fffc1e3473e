// Executors' storage: profiles, specialities, the buildings and zones they
// serve, and the index-driven candidates of an assignment; zones
// (zone-repository.ts) and shifts (schedule-repository.ts) beside it.
import { stmt, type Db } from '../../store/db.js';
import type { Candidate } from '../../domain/assignment.js';
import type { ShiftException } from '../../domain/schedule.js';
import { ZoneRepository } from './zone-repository.js';
import { ScheduleRepository } from './schedule-repository.js';

export { ZoneRepository, ScheduleRepository };
export type { ZoneView } from './zone-repository.js';
export type { ScheduleRow, ExceptionRow } from './schedule-repository.js';

export interface ExecutorView {
  id: number; login: string; fullName: string; mobileNumber: string | null; tenantIds: number[]; disabled: boolean;
  specialityIds: number[]; buildingIds: number[]; zoneIds: number[];
}

import { ids, ph } from './sql.js';

export class ExecutorRepository {
  /** Zones, buildings' coordinates and what zones hold. */
  readonly geo: ZoneRepository;
  /** Shifts (of executors and groups), groups, exceptions. */
  readonly shifts: ScheduleRepository;

  constructor(private readonly db: Db) {
    this.geo = new ZoneRepository(db);
    this.shifts = new ScheduleRepository(db);
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  // ── executors ──────────────────────────────────────────────────────────
  /** Profile, specialities and served buildings/zones (replacing the given lists). */
  saveProfile(userId: number, p: { specialityIds?: number[]; buildingIds?: number[]; zoneIds?: number[] }): void {
    this.db.transaction(() => {
      stmt(this.db, 'INSERT OR IGNORE INTO executor_profiles (user_id) VALUES (?)').run(userId);
      const replace = (table: string, col: string, values: number[] | undefined) => {
        if (!values) return;
        stmt(this.db, `DELETE FROM ${table} WHERE user_id = ?`).run(userId);
        const ins = stmt(this.db, `INSERT OR IGNORE INTO ${table} (user_id, ${col}) VALUES (?, ?)`);
        for (const v of values) ins.run(userId, v);
      };
      replace('executor_specialities', 'speciality_id', p.specialityIds);
      replace('executor_buildings', 'building_id', p.buildingIds);
      replace('executor_zones', 'zone_id', p.zoneIds);
    })();
  }

  updateUser(userId: number, p: { fullName?: string; mobileNumber?: string | null; tenantIds?: number[] }): void {
    this.db.transaction(() => {
      if (p.fullName !== undefined) stmt(this.db, 'UPDATE users SET full_name = ? WHERE id = ?').run(p.fullName, userId);
      if (p.mobileNumber !== undefined) stmt(this.db, 'UPDATE users SET mobile_number = ? WHERE id = ?').run(p.mobileNumber, userId);
      if (p.tenantIds) {
        stmt(this.db, 'DELETE FROM user_tenants WHERE user_id = ?').run(userId);
        for (const t of p.tenantIds) stmt(this.db, 'INSERT INTO user_tenants (user_id, tenant_id) VALUES (?, ?)').run(userId, t);
      }
    })();
  }

  executor(userId: number): ExecutorView | null {
    const u = stmt(this.db, `SELECT id, login, full_name AS fullName, mobile_number AS mobileNumber, disabled_at AS disabledAt FROM users WHERE id = ? AND role = 'executor'`).get(userId) as
      { id: number; login: string; fullName: string; mobileNumber: string | null; disabledAt: string | null } | undefined;
    if (!u) return null;
    return {
      id: u.id, login: u.login, fullName: u.fullName, mobileNumber: u.mobileNumber, disabled: u.disabledAt !== null,
      tenantIds: ids(this.db, 'SELECT tenant_id FROM user_tenants WHERE user_id = ? ORDER BY tenant_id', userId),
      specialityIds: ids(this.db, 'SELECT speciality_id FROM executor_specialities WHERE user_id = ? ORDER BY speciality_id', userId),
      buildingIds: ids(this.db, 'SELECT building_id FROM executor_buildings WHERE user_id = ? ORDER BY building_id', userId),
      zoneIds: ids(this.db, 'SELECT zone_id FROM executor_zones WHERE user_id = ? ORDER BY zone_id', userId),
    };
  }

  /** Executors of any of the companies (null: all). */
  list(tenantIds: number[] | null): ExecutorView[] {
    const rows = tenantIds === null
      ? ids(this.db, `SELECT id FROM users WHERE role = 'executor' ORDER BY id`)
      : tenantIds.length === 0 ? [] : (stmt(this.db, `SELECT DISTINCT u.id FROM users u JOIN user_tenants ut ON ut.user_id = u.id WHERE u.role = 'executor' AND ut.tenant_id IN (${ph(tenantIds)}) ORDER BY u.id`).pluck().all(...tenantIds) as number[]);
    return rows.map((id) => this.executor(id)!);
  }

  specialities(): { id: number; code: string; name: string }[] {
    return stmt(this.db, 'SELECT id, code, name FROM specialities ORDER BY id').all() as { id: number; code: string; name: string }[];
  }

  addSpeciality(code: string, name: string): number {
    return Number(stmt(this.db, 'INSERT INTO specialities (code, name) VALUES (?, ?)').run(code, name).lastInsertRowid);
  }

  specialitiesExist(xs: number[]): boolean {
    return xs.length === 0 || (stmt(this.db, `SELECT count(*) FROM specialities WHERE id IN (${ph(xs)})`).pluck().get(...xs) as number) === new Set(xs).size;
  }

  setCategorySpeciality(categoryId: number, specialityId: number | null): boolean {
    return stmt(this.db, 'UPDATE ticket_categories SET speciality_id = ? WHERE id = ?').run(specialityId, categoryId).changes === 1;
  }

  /** Of these buildings, those of one of the companies. */
  buildingsIn(buildingIds: number[], tenantIds: number[]): number[] {
    if (!buildingIds.length || !tenantIds.length) return [];
    return stmt(this.db, `SELECT id FROM buildings WHERE id IN (${ph(buildingIds)}) AND tenant_id IN (${ph(tenantIds)})`).pluck().all(...buildingIds, ...tenantIds) as number[];
  }

  // ── assignment ─────────────────────────────────────────────────────────
  /** What the choice needs of a request. */
  request(id: number): { id: number; tenantId: number; number: string; buildingId: number | null; specialityId: number | null; stage: string; assigneeId: number | null; postponedUntil: string | null } | null {
    return (stmt(this.db, `SELECT t.id, t.tenant_id AS tenantId, t.number, t.building_id AS buildingId, c.speciality_id AS specialityId, t.stage_code AS stage, t.assignee_id AS assigneeId, t.postponed_until AS postponedUntil
      FROM tickets t JOIN ticket_categories c ON c.id = t.category_id WHERE t.id = ?`).get(id) as never) ?? null;
  }

  /**
   * Executors serving a building, by index: executor_buildings, and
   * zone_buildings → executor_zones. Enabled executors of the building's
   * company only; each with what the choice needs.
   */
  candidates(buildingId: number, tenantId: number, zoneIds: number[], day: string): Candidate[] {
    const listed = new Set(ids(this.db, 'SELECT user_id FROM executor_buildings WHERE building_id = ?', buildingId));
    const viaZone = new Map<number, number[]>();
    for (const r of stmt(this.db, 'SELECT ez.user_id AS u, ez.zone_id AS z FROM zone_buildings zb JOIN executor_zones ez ON ez.zone_id = zb.zone_id WHERE zb.building_id = ?').all(buildingId) as { u: number; z: number }[]) {
      viaZone.set(r.u, [...(viaZone.get(r.u) ?? []), r.z]);
    }
    const all = [...new Set([...listed, ...viaZone.keys()])];
    if (!all.length) return [];
    const people = stmt(this.db, `SELECT u.id, p.last_assigned_at AS last FROM users u JOIN user_tenants ut ON ut.user_id = u.id AND ut.tenant_id = ? LEFT JOIN executor_profiles p ON p.user_id = u.id
      WHERE u.id IN (${ph(all)}) AND u.role = 'executor' AND u.disabled_at IS NULL`).all(tenantId, ...all) as { id: number; last: string | null }[];
    void zoneIds;
    // What the choice needs of each, in one query per kind (not per executor).
    const who = people.map((p) => p.id);
    if (!who.length) return []; // all of them disabled or of another company (and `IN ()` has no plan with INDEXED BY)
    const group = <T extends { u: number }>(rows: T[]) => {
      const m = new Map<number, T[]>();
      for (const r of rows) m.set(r.u, [...(m.get(r.u) ?? []), r]);
      return m;
    };
    const specs = group(stmt(this.db, `SELECT user_id AS u, speciality_id AS s FROM executor_specialities WHERE user_id IN (${ph(who)})`).all(...who) as { u: number; s: number }[]);
    // Exceptions that could touch the day (an overnight shift starts the day before).
    const exceptions = group(stmt(this.db, `SELECT user_id AS u, kind, from_date AS "from", to_date AS "to" FROM schedule_exceptions WHERE user_id IN (${ph(who)}) AND to_date >= date(?, '-1 day') AND from_date <= ?`).all(...who, day, day) as (ShiftException & { u: number })[]);
    const load = new Map((stmt(this.db, `SELECT assignee_id AS u, count(*) AS n FROM tickets INDEXED BY tickets_assignee_open WHERE assignee_id IN (${ph(who)}) AND status = 'open' GROUP BY assignee_id`).all(...who) as { u: number; n: number }[]).map((r) => [r.u, r.n]));
    return people.map((p) => ({
      userId: p.id,
      specialityIds: (specs.get(p.id) ?? []).map((r) => r.s),
      buildingIds: listed.has(p.id) ? [buildingId] : [],
      zoneIds: viaZone.get(p.id) ?? [],
      shifts: this.shifts.effectiveSchedules(p.id),
      exceptions: (exceptions.get(p.id) ?? []).map(({ u: _u, ...x }) => x),
      openLoad: load.get(p.id) ?? 0,
      lastAssignedAt: p.last,
    }));
  }

  /** Sets the assignee, writes the history row and the executor's last assignment, in one transaction. */
  assign(requestId: number, userId: number | null, o: { at: string; by: number | null; stage: string; comment: string }): void {
    this.db.transaction(() => {
      stmt(this.db, 'UPDATE tickets SET assignee_id = ?, updated_at = ? WHERE id = ?').run(userId, o.at, requestId);
      stmt(this.db, 'INSERT INTO ticket_history (ticket_id, at, by_user, from_stage, to_stage, comment) VALUES (?, ?, ?, ?, ?, ?)').run(requestId, o.at, o.by, o.stage, o.stage, o.comment);
      if (userId !== null) stmt(this.db, 'INSERT INTO executor_profiles (user_id, last_assigned_at) VALUES (?, ?) ON CONFLICT (user_id) DO UPDATE SET last_assigned_at = excluded.last_assigned_at').run(userId, o.at);
    })();
  }

  userName(id: number): string {
    return (stmt(this.db, 'SELECT full_name FROM users WHERE id = ?').pluck().get(id) as string | undefined) ?? '';
  }

  /** An executor's visits on a day: open requests assigned to them, registered before the day ends, not postponed to another day. */
  visits(userId: number, dayStart: string, dayEnd: string): { id: number; number: string; address: string; flat: string | null; description: string; stage: string; dueAt: string | null; buildingId: number | null; lat: number | null; lon: number | null }[] {
    return stmt(this.db, `SELECT t.id, t.number, t.address, t.flat, t.description, t.stage_code AS stage, t.due_at AS dueAt, t.building_id AS buildingId, b.lat, b.lon
      FROM tickets t LEFT JOIN buildings b ON b.id = t.building_id
      WHERE t.assignee_id = ? AND t.status = 'open'
        AND t.created_at < ? AND (t.postponed_until IS NULL OR (t.postponed_until >= ? AND t.postponed_until < ?))
      ORDER BY t.id`).all(userId, dayEnd, dayStart, dayEnd) as never;
  }
}
