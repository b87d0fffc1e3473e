// Storage of online bookings: what a slot computation needs (the category,
// the building, the executors who could make the visit and their booked
// visits) and the bookings themselves. All SQL of the booking feature.
import { stmt, uniqueViolation, type Db } from '../../store/db.js';
import type { ShiftException } from '../../domain/schedule.js';
import type { SlotExecutor } from '../../domain/booking-slots.js';
import type { ScheduleRepository } from '../executors/repository.js';

export interface VisitCategory { id: number; name: string; kind: 'emergency' | 'planned' | 'both'; active: boolean; needsVisit: boolean; visitMinutes: number | null; specialityId: number | null }
export interface BookingRow {
  id: number; tenantId: number; ticketId: number | null; executorId: number; executorName: string; buildingId: number; categoryId: number;
  start: string; end: string; status: 'active' | 'cancelled'; createdAt: string; cancelledAt: string | null;
}

const ph = (xs: unknown[]) => xs.map(() => '?').join(',');
const bookingCols = `b.id, b.tenant_id AS tenantId, b.ticket_id AS ticketId, b.executor_id AS executorId, u.full_name AS executorName, b.building_id AS buildingId,
  b.category_id AS categoryId, b.start_at AS start, b.end_at AS "end", b.status, b.created_at AS createdAt, b.cancelled_at AS cancelledAt`;

export class BookingRepository {
  constructor(private readonly db: Db, private readonly shifts: ScheduleRepository) {}

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  category(id: number): VisitCategory | null {
    const r = stmt(this.db, `SELECT id, name, kind, active, needs_visit AS needsVisit, visit_minutes AS visitMinutes, speciality_id AS specialityId FROM ticket_categories WHERE id = ?`).get(id) as
      (Omit<VisitCategory, 'active' | 'needsVisit'> & { active: number; needsVisit: number }) | undefined;
    return r ? { ...r, active: r.active === 1, needsVisit: r.needsVisit === 1 } : null;
  }

  /** Planned categories that need a visit (what the booking step offers). */
  visitCategories(): { id: number; name: string; visitMinutes: number | null }[] {
    return stmt(this.db, `SELECT id, name, visit_minutes AS visitMinutes FROM ticket_categories WHERE needs_visit = 1 AND active = 1 AND kind IN ('planned', 'both') ORDER BY position, id`).all() as { id: number; name: string; visitMinutes: number | null }[];
  }

  setVisit(categoryId: number, needsVisit: boolean, visitMinutes: number | null): boolean {
    return stmt(this.db, 'UPDATE ticket_categories SET needs_visit = ?, visit_minutes = ? WHERE id = ?').run(needsVisit ? 1 : 0, visitMinutes, categoryId).changes === 1;
  }

  building(id: number): { id: number; tenantId: number; address: string } | null {
    return (stmt(this.db, 'SELECT id, tenant_id AS tenantId, address FROM buildings WHERE id = ?').get(id) as { id: number; tenantId: number; address: string } | undefined) ?? null;
  }

  zoneIdsOfBuilding(buildingId: number): number[] {
    return stmt(this.db, 'SELECT zone_id FROM zone_buildings WHERE building_id = ? ORDER BY zone_id').pluck().all(buildingId) as number[];
  }

  /**
   * Enabled executors of the building's company who serve it (listed, or
   * through a zone holding it), with their specialities, shifts, exceptions
   * touching the dates and active bookings overlapping [fromIso, toIso).
   */
  slotExecutors(buildingId: number, tenantId: number, dates: { from: string; to: string }, fromIso: string, toIso: string): SlotExecutor[] {
    const listed = new Set(stmt(this.db, 'SELECT user_id FROM executor_buildings WHERE building_id = ?').pluck().all(buildingId) as number[]);
    const viaZone = new Map<number, number[]>();
    for (const r of stmt(this.db, 'SELECT ez.user_id AS u, ez.zone_id AS z FROM zone_buildings zb JOIN executor_zones ez ON ez.zone_id = zb.zone_id WHERE zb.building_id = ?').all(buildingId) as { u: number; z: number }[]) {
      viaZone.set(r.u, [...(viaZone.get(r.u) ?? []), r.z]);
    }
    const all = [...new Set([...listed, ...viaZone.keys()])];
    if (!all.length) return [];
    const who = stmt(this.db, `SELECT u.id FROM users u JOIN user_tenants ut ON ut.user_id = u.id AND ut.tenant_id = ? WHERE u.id IN (${ph(all)}) AND u.role = 'executor' AND u.disabled_at IS NULL ORDER BY u.id`).pluck().all(tenantId, ...all) as number[];
    if (!who.length) return [];
    const group = <T extends { u: number }>(rows: T[]) => {
      const m = new Map<number, T[]>();
      for (const r of rows) m.set(r.u, [...(m.get(r.u) ?? []), r]);
      return m;
    };
    const specs = group(stmt(this.db, `SELECT user_id AS u, speciality_id AS s FROM executor_specialities WHERE user_id IN (${ph(who)})`).all(...who) as { u: number; s: number }[]);
    const exceptions = group(stmt(this.db, `SELECT user_id AS u, kind, from_date AS "from", to_date AS "to" FROM schedule_exceptions WHERE user_id IN (${ph(who)}) AND to_date >= date(?, '-1 day') AND from_date <= ?`).all(...who, dates.from, dates.to) as (ShiftException & { u: number })[]);
    const busy = group(stmt(this.db, `SELECT executor_id AS u, start_at AS start, end_at AS "end" FROM bookings WHERE executor_id IN (${ph(who)}) AND status = 'active' AND end_at > ? AND start_at < ?`).all(...who, fromIso, toIso) as { u: number; start: string; end: string }[]);
    return who.map((id) => ({
      userId: id,
      specialityIds: (specs.get(id) ?? []).map((r) => r.s),
      buildingIds: listed.has(id) ? [buildingId] : [],
      zoneIds: viaZone.get(id) ?? [],
      shifts: this.shifts.effectiveSchedules(id),
      exceptions: (exceptions.get(id) ?? []).map(({ u: _u, ...x }) => x),
      busy: (busy.get(id) ?? []).map(({ u: _u, ...x }) => x),
    }));
  }

  /** Active bookings per executor on a UTC range (the tie-break: the least booked gets the visit). */
  bookedCount(executorIds: number[], fromIso: string, toIso: string): Map<number, number> {
    if (!executorIds.length) return new Map();
    const rows = stmt(this.db, `SELECT executor_id AS u, count(*) AS n FROM bookings WHERE executor_id IN (${ph(executorIds)}) AND status = 'active' AND start_at >= ? AND start_at < ? GROUP BY executor_id`).all(...executorIds, fromIso, toIso) as { u: number; n: number }[];
    return new Map(rows.map((r) => [r.u, r.n]));
  }

  /** Inserts an active booking; null when the executor's slot is already taken (the UNIQUE index). */
  insert(b: { tenantId: number; ticketId: number | null; executorId: number; buildingId: number; categoryId: number; start: string; end: string; at: string }): number | null {
    try {
      return Number(stmt(this.db, `INSERT INTO bookings (tenant_id, ticket_id, executor_id, building_id, category_id, start_at, end_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(b.tenantId, b.ticketId, b.executorId, b.buildingId, b.categoryId, b.start, b.end, b.at).lastInsertRowid);
    } catch (err) {
      if (uniqueViolation(err)) return null;
      throw err;
    }
  }

  attachTicket(bookingId: number, ticketId: number): void {
    stmt(this.db, 'UPDATE bookings SET ticket_id = ? WHERE id = ?').run(ticketId, bookingId);
  }

  /** At start: reservations whose request was never registered (the process stopped in between) free their slots. */
  discardOrphans(): number {
    return stmt(this.db, 'DELETE FROM bookings WHERE ticket_id IS NULL').run().changes;
  }

  /** Removes a booking whose request could not be registered (never visible to anyone). */
  discard(bookingId: number): void {
    stmt(this.db, 'DELETE FROM bookings WHERE id = ? AND ticket_id IS NULL').run(bookingId);
  }

  /** Frees the slot: the row stays, cancelled. */
  cancel(bookingId: number, by: number | null, at: string): boolean {
    return stmt(this.db, `UPDATE bookings SET status = 'cancelled', cancelled_at = ?, cancelled_by = ? WHERE id = ? AND status = 'active'`).run(at, by, bookingId).changes === 1;
  }

  /** The request's active booking, or null. */
  activeOfTicket(ticketId: number): BookingRow | null {
    return (stmt(this.db, `SELECT ${bookingCols} FROM bookings b JOIN users u ON u.id = b.executor_id WHERE b.ticket_id = ? AND b.status = 'active'`).get(ticketId) as BookingRow | undefined) ?? null;
  }

  /** Active visits of many requests at once (cards and lists). */
  activeOfTickets(ticketIds: number[]): Map<number, BookingRow> {
    if (!ticketIds.length) return new Map();
    const rows = stmt(this.db, `SELECT ${bookingCols} FROM bookings b JOIN users u ON u.id = b.executor_id WHERE b.ticket_id IN (${ph(ticketIds)}) AND b.status = 'active'`).all(...ticketIds) as BookingRow[];
    return new Map(rows.map((r) => [r.ticketId!, r]));
  }

  ticket(id: number): { id: number; tenantId: number; buildingId: number | null; categoryId: number; status: 'open' | 'closed'; stage: string; assigneeId: number | null; createdBy: number } | null {
    return (stmt(this.db, 'SELECT id, tenant_id AS tenantId, building_id AS buildingId, category_id AS categoryId, status, stage_code AS stage, assignee_id AS assigneeId, created_by AS createdBy FROM tickets WHERE id = ?').get(id) as never) ?? null;
  }

  history(ticketId: number, e: { at: string; by: number | null; stage: string; comment: string }): void {
    stmt(this.db, 'INSERT INTO ticket_history (ticket_id, at, by_user, from_stage, to_stage, comment) VALUES (?, ?, ?, ?, ?, ?)').run(ticketId, e.at, e.by, e.stage, e.stage, e.comment);
  }
}
