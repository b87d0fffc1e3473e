// Executors' storage: profiles, specialities, the buildings and zones they
// serve, zones with their materialised buildings, shifts and exceptions, and
// the index-driven candidates of an assignment. All SQL of the feature.
import { stmt, type Db } from '../../store/db.js';
import { bbox, closeRing, inBBox, pointInPolygon, type LonLat } from '../../domain/geo.js';
import type { Candidate } from '../../domain/assignment.js';
import type { Shift, ShiftException } from '../../domain/schedule.js';

export interface ExecutorView {
  id: number; login: string; fullName: string; mobileNumber: string | null; tenantIds: number[]; disabled: boolean;
  specialityIds: number[]; buildingIds: number[]; zoneIds: number[];
}
export interface ZoneView { id: number; tenantId: number; city: string; name: string; polygon: LonLat[]; responsibleId: number | null; executorIds: number[]; buildingCount: number }
export interface ScheduleRow extends Shift { id: number; userId: number }
export interface ExceptionRow extends ShiftException { id: number; userId: number; note: string | null }

const ph = (xs: unknown[]) => xs.map(() => '?').join(',');
const ids = (db: Db, sql: string, ...args: unknown[]) => stmt(db, sql).pluck().all(...args) as number[];

export class ExecutorRepository {
  constructor(private readonly db: Db) {}

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

  buildingTenant(buildingId: number): number | null {
    return (stmt(this.db, 'SELECT tenant_id FROM buildings WHERE id = ?').pluck().get(buildingId) as number | undefined) ?? null;
  }

  /** The companies a user works for (null: all), for the zones page. */
  tenants(tenantIds: number[] | null): { id: number; name: string }[] {
    if (tenantIds === null) return stmt(this.db, 'SELECT id, name FROM tenants ORDER BY id').all() as { id: number; name: string }[];
    if (!tenantIds.length) return [];
    return stmt(this.db, `SELECT id, name FROM tenants WHERE id IN (${ph(tenantIds)}) ORDER BY id`).all(...tenantIds) as { id: number; name: string }[];
  }

  // ── zones ──────────────────────────────────────────────────────────────
  zone(id: number): ZoneView | null {
    const z = stmt(this.db, 'SELECT id, tenant_id AS tenantId, city, name, polygon, responsible_id AS responsibleId FROM zones WHERE id = ?').get(id) as
      { id: number; tenantId: number; city: string; name: string; polygon: string; responsibleId: number | null } | undefined;
    if (!z) return null;
    return {
      ...z, polygon: JSON.parse(z.polygon) as LonLat[],
      executorIds: ids(this.db, 'SELECT user_id FROM executor_zones WHERE zone_id = ? ORDER BY user_id', id),
      buildingCount: stmt(this.db, 'SELECT count(*) FROM zone_buildings WHERE zone_id = ?').pluck().get(id) as number,
    };
  }

  zones(tenantIds: number[] | null): ZoneView[] {
    const rows = tenantIds === null ? ids(this.db, 'SELECT id FROM zones ORDER BY id') : tenantIds.length === 0 ? [] : (stmt(this.db, `SELECT id FROM zones WHERE tenant_id IN (${ph(tenantIds)}) ORDER BY id`).pluck().all(...tenantIds) as number[]);
    return rows.map((id) => this.zone(id)!);
  }

  /** Creates or replaces a zone and materialises the buildings inside it, in one transaction. */
  saveZone(z: { id?: number; tenantId: number; city: string; name: string; polygon: LonLat[]; responsibleId: number | null }): number {
    const ring = closeRing(z.polygon);
    const b = bbox(ring);
    return this.db.transaction(() => {
      let id = z.id;
      if (id === undefined) {
        id = Number(stmt(this.db, 'INSERT INTO zones (tenant_id, city, name, polygon, responsible_id, min_lon, min_lat, max_lon, max_lat) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
          .run(z.tenantId, z.city, z.name, JSON.stringify(ring), z.responsibleId, b.minLon, b.minLat, b.maxLon, b.maxLat).lastInsertRowid);
      } else {
        stmt(this.db, 'UPDATE zones SET city = ?, name = ?, polygon = ?, responsible_id = ?, min_lon = ?, min_lat = ?, max_lon = ?, max_lat = ? WHERE id = ?')
          .run(z.city, z.name, JSON.stringify(ring), z.responsibleId, b.minLon, b.minLat, b.maxLon, b.maxLat, id);
        stmt(this.db, 'DELETE FROM zone_buildings WHERE zone_id = ?').run(id);
      }
      const inside = stmt(this.db, 'SELECT id, lon, lat FROM buildings WHERE tenant_id = ? AND lon BETWEEN ? AND ? AND lat BETWEEN ? AND ?')
        .all(z.tenantId, b.minLon, b.maxLon, b.minLat, b.maxLat) as { id: number; lon: number; lat: number }[];
      const ins = stmt(this.db, 'INSERT INTO zone_buildings (zone_id, building_id) VALUES (?, ?)');
      for (const p of inside) if (pointInPolygon(p.lon, p.lat, ring)) ins.run(id, p.id);
      return id;
    })();
  }

  deleteZone(id: number): void {
    stmt(this.db, 'DELETE FROM zones WHERE id = ?').run(id);
  }

  setZoneExecutors(zoneId: number, userIds: number[]): void {
    this.db.transaction(() => {
      stmt(this.db, 'DELETE FROM executor_zones WHERE zone_id = ?').run(zoneId);
      for (const u of userIds) stmt(this.db, 'INSERT OR IGNORE INTO executor_zones (zone_id, user_id) VALUES (?, ?)').run(zoneId, u);
    })();
  }

  /** Sets a building's coordinates and re-materialises which of its company's zones hold it. */
  setCoordinates(buildingId: number, lat: number | null, lon: number | null): void {
    this.db.transaction(() => {
      stmt(this.db, 'UPDATE buildings SET lat = ?, lon = ? WHERE id = ?').run(lat, lon, buildingId);
      stmt(this.db, 'DELETE FROM zone_buildings WHERE building_id = ?').run(buildingId);
      if (lat === null || lon === null) return;
      const zones = stmt(this.db, 'SELECT z.id, z.polygon, z.min_lon AS minLon, z.min_lat AS minLat, z.max_lon AS maxLon, z.max_lat AS maxLat FROM zones z JOIN buildings b ON b.tenant_id = z.tenant_id WHERE b.id = ? AND z.min_lon <= ? AND z.max_lon >= ?')
        .all(buildingId, lon, lon) as { id: number; polygon: string; minLon: number; minLat: number; maxLon: number; maxLat: number }[];
      for (const z of zones) {
        if (inBBox(z, lon, lat) && pointInPolygon(lon, lat, JSON.parse(z.polygon) as LonLat[])) stmt(this.db, 'INSERT INTO zone_buildings (zone_id, building_id) VALUES (?, ?)').run(z.id, buildingId);
      }
    })();
  }

  setCoordinatesIfChanged(buildingId: number, lat: number, lon: number): void {
    const cur = stmt(this.db, 'SELECT lat, lon FROM buildings WHERE id = ?').get(buildingId) as { lat: number | null; lon: number | null } | undefined;
    if (cur && (cur.lat !== lat || cur.lon !== lon)) this.setCoordinates(buildingId, lat, lon);
  }

  /** The company's buildings as points (for the zones page and routes). */
  buildingPoints(tenantId: number, limit: number): { id: number; address: string; lat: number; lon: number }[] {
    return stmt(this.db, 'SELECT id, address, lat, lon FROM buildings WHERE tenant_id = ? AND lat IS NOT NULL AND lon IS NOT NULL ORDER BY id LIMIT ?').all(tenantId, limit) as { id: number; address: string; lat: number; lon: number }[];
  }

  zoneIdsOfBuilding(buildingId: number): number[] {
    return ids(this.db, 'SELECT zone_id FROM zone_buildings WHERE building_id = ? ORDER BY zone_id', buildingId);
  }

  responsibleOf(zoneIds: number[]): number[] {
    if (!zoneIds.length) return [];
    return stmt(this.db, `SELECT DISTINCT responsible_id FROM zones WHERE id IN (${ph(zoneIds)}) AND responsible_id IS NOT NULL`).pluck().all(...zoneIds) as number[];
  }

  // ── schedules ──────────────────────────────────────────────────────────
  schedules(userId: number): ScheduleRow[] {
    return stmt(this.db, 'SELECT id, user_id AS userId, zone_id AS zoneId, weekdays, from_time AS "from", to_time AS "to", valid_from AS validFrom, valid_to AS validTo FROM schedules WHERE user_id = ? ORDER BY id').all(userId) as ScheduleRow[];
  }

  addSchedule(userId: number, s: Shift): number {
    return Number(stmt(this.db, 'INSERT INTO schedules (user_id, zone_id, weekdays, from_time, to_time, valid_from, valid_to) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(userId, s.zoneId, s.weekdays, s.from, s.to, s.validFrom ?? null, s.validTo ?? null).lastInsertRowid);
  }

  deleteSchedule(userId: number, id: number): boolean {
    return stmt(this.db, 'DELETE FROM schedules WHERE id = ? AND user_id = ?').run(id, userId).changes === 1;
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
    return people.map((p) => ({
      userId: p.id,
      specialityIds: ids(this.db, 'SELECT speciality_id FROM executor_specialities WHERE user_id = ?', p.id),
      buildingIds: listed.has(p.id) ? [buildingId] : [],
      zoneIds: viaZone.get(p.id) ?? [],
      shifts: stmt(this.db, 'SELECT zone_id AS zoneId, weekdays, from_time AS "from", to_time AS "to", valid_from AS validFrom, valid_to AS validTo FROM schedules WHERE user_id = ?').all(p.id) as Shift[],
      // Exceptions that could touch the day (an overnight shift starts the day before).
      exceptions: stmt(this.db, 'SELECT kind, from_date AS "from", to_date AS "to" FROM schedule_exceptions WHERE user_id = ? AND to_date >= date(?, \'-1 day\') AND from_date <= ?').all(p.id, day, day) as ShiftException[],
      openLoad: stmt(this.db, `SELECT count(*) FROM tickets WHERE assignee_id = ? AND status = 'open'`).pluck().get(p.id) as number,
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
