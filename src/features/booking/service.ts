// Online booking's use cases (issue 14 item 3, seed 001): the free slots of a
// building for a category that needs a visit, booking one together with the
// request, and the dispatcher's cancel / reschedule that free the slot.
//
// Booking is atomic: the slot is reserved first, in one IMMEDIATE SQLite
// transaction that recomputes who is free and inserts under the UNIQUE index
// on (executor, slot start); only then is the request registered through
// the channel intake (the reservation is discarded if that fails), and the
// request is handed to the executor with the visit time. Fifty parallel
// bookings of a slot one executor can serve give one booking and 49 «время
// уже занято».
import type { Clock } from '../../clock.js';
import { ApiError, notFound } from '../../http/errors.js';
import { addDays, freeExecutors, freeSlots, onGrid, type SlotQuery } from '../../domain/booking-slots.js';
import { localParts } from '../../domain/schedule.js';
import type { InboundRequest, ReceivedRequest } from '../../channels/types.js';
import type { BookingRepository, BookingRow, VisitCategory } from './repository.js';

export interface BookingOptions {
  timeZone: string;
  /** Local booking hours, HH:MM. */
  hours: { from: string; to: string };
  leadMin: number;
  maxDays: number;
}

/** What booking needs of the rest of Pult: the channel intake and the requests' assignment. */
export interface BookingPorts {
  /** The channel intake (src/channels, ChannelIntake.accept): checks the files, registers the request as the channel's system user. */
  receive(msg: InboundRequest): Promise<ReceivedRequest>;
  /** Hands the request to the executor (stage «Передана исполнителю» where the pipeline allows, else the assignee only), with a history line. */
  assign(ticketId: number, executorId: number, by: number, comment: string): void;
  /** Tells the company's dispatchers the request changed (request.changed). */
  announce(ticketId: number): void;
}

export interface BookInput {
  tenantId: number; buildingId: number; categoryId: number; start: string;
  description: string; flat: string | null;
  contact: { name: string | null; phone: string | null; email: string | null };
  attachments?: { filename: string; bytes: Buffer }[];
}

export interface Visit { start: string; end: string; executor: { id: number; name: string } }
const visitOf = (b: BookingRow): Visit => ({ start: b.start, end: b.end, executor: { id: b.executorId, name: b.executorName } });

const DEFAULT_VISIT_MIN = 60;

export class BookingService {
  constructor(
    private readonly repo: BookingRepository,
    private readonly clock: Clock,
    private readonly o: BookingOptions,
    private readonly ports: BookingPorts,
  ) {}

  /** «14:00–15:00, 10.03» in the company's time zone (history lines). */
  label(start: string, end: string): string {
    const t = (iso: string) => new Date(iso).toLocaleTimeString('ru-RU', { timeZone: this.o.timeZone, hour: '2-digit', minute: '2-digit' });
    const d = new Date(start).toLocaleDateString('ru-RU', { timeZone: this.o.timeZone, day: '2-digit', month: '2-digit' });
    return `${t(start)}–${t(end)}, ${d}`;
  }

  /** The building and category of a booking, checked: a building of another company is as unknown as a missing one. */
  private target(tenantId: number, buildingId: number, categoryId: number): { building: { id: number; tenantId: number; address: string }; category: VisitCategory; durationMin: number; zoneIds: number[] } {
    const building = this.repo.building(buildingId);
    if (!building || building.tenantId !== tenantId) throw new ApiError(404, 'not_found', 'building not found', [{ field: 'buildingId', problem: 'нет такого дома у этой компании' }]);
    const category = this.repo.category(categoryId);
    if (!category || !category.active) throw new ApiError(400, 'invalid_input', 'categoryId: no such category', [{ field: 'categoryId', problem: 'нет такой категории' }]);
    if (!category.needsVisit || category.kind === 'emergency') throw new ApiError(400, 'invalid_input', 'categoryId: this category is not booked online', [{ field: 'categoryId', problem: 'по этой категории запись на время не ведётся' }]);
    return { building, category, durationMin: category.visitMinutes ?? DEFAULT_VISIT_MIN, zoneIds: this.repo.zoneIdsOfBuilding(buildingId) };
  }

  private query(t: ReturnType<BookingService['target']>, from: string, days: number, leadMin: number): SlotQuery {
    return {
      buildingId: t.building.id, zoneIds: t.zoneIds, specialityId: t.category.specialityId, from, days, durationMin: t.durationMin,
      hours: this.o.hours, now: this.clock.now(), leadMin, timeZone: this.o.timeZone,
    };
  }

  private today(): string {
    return localParts(this.clock.now(), this.o.timeZone).date;
  }

  /** The slots of a period; only times (never who). */
  slots(tenantId: number, buildingId: number, categoryId: number, from: string | undefined, days: number, leadMin = this.o.leadMin): { durationMin: number; slots: { start: string; end: string }[] } {
    const t = this.target(tenantId, buildingId, categoryId);
    const today = this.today();
    const first = from && from > today ? from : today;
    const last = addDays(today, this.o.maxDays);
    if (first >= last) return { durationMin: t.durationMin, slots: [] };
    const span = Math.min(days, Math.round((Date.parse(last) - Date.parse(first)) / 86_400_000));
    const q = this.query(t, first, span, leadMin);
    const execs = this.repo.slotExecutors(t.building.id, tenantId, { from: first, to: addDays(first, span) }, new Date(Date.parse(first) - 86_400_000).toISOString(), new Date(Date.parse(addDays(first, span + 1))).toISOString());
    return { durationMin: t.durationMin, slots: freeSlots(execs, q).map((s) => ({ start: s.start, end: s.end })) };
  }

  /** Checks a chosen start against the grid, the lead time and the horizon. */
  private checkStart(t: ReturnType<BookingService['target']>, startIso: string, leadMin: number): Date {
    const start = new Date(startIso);
    const bad = (problem: string) => new ApiError(400, 'invalid_input', `start: ${problem}`, [{ field: 'start', problem }]);
    if (Number.isNaN(start.getTime())) throw bad('не дата');
    if (!onGrid(start, { durationMin: t.durationMin, hours: this.o.hours, timeZone: this.o.timeZone })) throw bad('такого времени нет в расписании записи');
    if (start.getTime() < this.clock.now().getTime() + leadMin * 60_000) throw bad('это время уже прошло или слишком близко');
    if (localParts(start, this.o.timeZone).date >= addDays(this.today(), this.o.maxDays)) throw bad(`запись не дальше чем на ${this.o.maxDays} дн. вперёд`);
    return start;
  }

  /**
   * Reserves the slot for one free executor, in one IMMEDIATE transaction
   * (re-checked, UNIQUE-guarded); `keep` is preferred when free. Null: taken.
   */
  private reserve(t: ReturnType<BookingService['target']>, start: Date, ticketId: number | null, keep: number | null): { id: number; executorId: number } | null {
    const end = new Date(start.getTime() + t.durationMin * 60_000);
    const date = localParts(start, this.o.timeZone).date;
    const execs = this.repo.slotExecutors(t.building.id, t.building.tenantId, { from: date, to: date }, start.toISOString(), end.toISOString());
    const free = freeExecutors(execs, { buildingId: t.building.id, zoneIds: t.zoneIds, specialityId: t.category.specialityId, durationMin: t.durationMin, timeZone: this.o.timeZone }, start);
    const dayFrom = new Date(start.getTime() - 12 * 3600_000).toISOString();
    const dayTo = new Date(start.getTime() + 12 * 3600_000).toISOString();
    const load = this.repo.bookedCount(free, dayFrom, dayTo);
    const order = [...free].sort((a, b) => (a === keep ? -1 : b === keep ? 1 : 0) || (load.get(a) ?? 0) - (load.get(b) ?? 0) || a - b);
    const at = this.clock.now().toISOString();
    for (const executorId of order) {
      const id = this.repo.insert({ tenantId: t.building.tenantId, ticketId, executorId, buildingId: t.building.id, categoryId: t.category.id, start: start.toISOString(), end: end.toISOString(), at });
      if (id !== null) return { id, executorId };
    }
    return null;
  }

  private taken(): ApiError {
    return new ApiError(409, 'slot_taken', 'время уже занято', [{ field: 'start', problem: 'время уже занято: выберите другое' }]);
  }

  /** A resident books a visit: the slot, then the request (channel intake), then the hand-over to the executor. */
  async book(input: BookInput): Promise<{ request: ReceivedRequest; visit: { start: string; end: string } }> {
    const t = this.target(input.tenantId, input.buildingId, input.categoryId);
    const start = this.checkStart(t, input.start, this.o.leadMin);
    const held = this.repo.transaction(() => this.reserve(t, start, null, null));
    if (!held) throw this.taken();
    let received: ReceivedRequest;
    try {
      received = await this.ports.receive({
        channel: 'web', tenantId: input.tenantId, categoryId: t.category.id, kind: 'planned', description: input.description,
        buildingId: t.building.id, flat: input.flat, address: t.building.address, contact: input.contact, attachments: input.attachments,
      });
    } catch (err) {
      this.repo.discard(held.id);
      throw err;
    }
    this.repo.attachTicket(held.id, received.ticketId);
    const b = this.repo.activeOfTicket(received.ticketId)!;
    const by = this.repo.ticket(received.ticketId)!.createdBy;
    this.ports.assign(received.ticketId, held.executorId, by, `онлайн-запись: визит ${this.label(b.start, b.end)}`);
    return { request: received, visit: { start: b.start, end: b.end } };
  }

  /** The request's booked visit, or null. */
  visit(ticketId: number): Visit | null {
    const b = this.repo.activeOfTicket(ticketId);
    return b ? visitOf(b) : null;
  }

  visits(ticketIds: number[]): Map<number, Visit> {
    return new Map([...this.repo.activeOfTickets(ticketIds)].map(([id, b]) => [id, visitOf(b)]));
  }

  private openTicket(ticketId: number) {
    const tk = this.repo.ticket(ticketId);
    if (!tk) throw notFound('request');
    if (tk.status !== 'open') throw new ApiError(409, 'request_closed', 'the request is closed');
    return tk;
  }

  /** The slots a request's visit may move to (the dispatcher's reschedule; no lead time). */
  slotsFor(ticketId: number, from: string | undefined, days: number) {
    const tk = this.openTicket(ticketId);
    const b = this.repo.activeOfTicket(ticketId);
    if (tk.buildingId === null) throw new ApiError(409, 'no_building', 'the request has no building: a visit cannot be booked');
    return this.slots(tk.tenantId, tk.buildingId, b?.categoryId ?? tk.categoryId, from, days, 0);
  }

  /** The dispatcher cancels the visit: the slot is free again; written to history. */
  cancel(ticketId: number, by: number): void {
    const tk = this.openTicket(ticketId);
    const b = this.repo.activeOfTicket(ticketId);
    if (!b) throw new ApiError(404, 'not_found', 'no visit booked for this request');
    const at = this.clock.now().toISOString();
    this.repo.transaction(() => {
      this.repo.cancel(b.id, by, at);
      this.repo.history(ticketId, { at, by, stage: tk.stage, comment: `визит отменён: ${this.label(b.start, b.end)}` });
    });
    this.ports.announce(ticketId);
  }

  /**
   * The dispatcher moves the visit (or books one for a request without it):
   * the old slot is freed and the new one reserved in one transaction; the
   * current executor keeps it when free, else another free one takes it.
   */
  reschedule(ticketId: number, startIso: string, by: number): Visit {
    const tk = this.openTicket(ticketId);
    if (tk.buildingId === null) throw new ApiError(409, 'no_building', 'the request has no building: a visit cannot be booked');
    const old = this.repo.activeOfTicket(ticketId);
    const t = this.target(tk.tenantId, tk.buildingId, old?.categoryId ?? tk.categoryId);
    const start = this.checkStart(t, startIso, 0);
    const at = this.clock.now().toISOString();
    const held = this.repo.transaction(() => {
      if (old) this.repo.cancel(old.id, by, at);
      const r = this.reserve(t, start, ticketId, old?.executorId ?? tk.assigneeId);
      if (!r) throw this.taken(); // rolls the cancel back: the old visit stays
      return r;
    });
    const b = this.repo.activeOfTicket(ticketId)!;
    const what = old ? `визит перенесён: ${this.label(old.start, old.end)} → ${this.label(b.start, b.end)}` : `визит назначен: ${this.label(b.start, b.end)}`;
    if (held.executorId !== tk.assigneeId) this.ports.assign(ticketId, held.executorId, by, what);
    else this.repo.history(ticketId, { at, by, stage: tk.stage, comment: what });
    this.ports.announce(ticketId);
    return visitOf(b);
  }
}
