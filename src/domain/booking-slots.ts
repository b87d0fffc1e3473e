// Online booking of a visit (issue 14 item 3, seed 001): the time slots a
// resident may choose for a planned request that needs a visit. A slot is
// offered when at least one executor who serves the building (listed, or
// through a zone holding it) and has the category's speciality is on shift
// for the whole slot and has no booked visit overlapping it. Slots lie on a
// grid of the visit's length inside the company's booking hours, start no
// sooner than `leadMin` from now, and are computed in the company's time
// zone. Pure: executors, shifts and bookings come in; slots go out.
import { localParts, onShift, onShiftAt, minutesOf, type Shift, type ShiftException } from './schedule.js';

export interface SlotExecutor {
  userId: number;
  specialityIds: number[];
  buildingIds: number[];
  zoneIds: number[];
  shifts: Shift[];
  exceptions: ShiftException[];
  /** Booked visits, ISO UTC [start, end). */
  busy: { start: string; end: string }[];
}

export interface SlotQuery {
  buildingId: number;
  /** The zones holding the building. */
  zoneIds: number[];
  specialityId: number | null;
  /** First local date (YYYY-MM-DD) and how many days. */
  from: string;
  days: number;
  durationMin: number;
  /** Local booking hours, HH:MM; visits start and end inside them. */
  hours: { from: string; to: string };
  now: Date;
  leadMin: number;
  timeZone: string;
}

export interface Slot { start: string; end: string; executorIds: number[] }

/** Shift coverage is checked at this step inside a slot (shifts start and end on the minute). */
const PROBE_MIN = 5;

/** The UTC instant of a local date and minute of the day in `timeZone` (DST-safe to the hour). */
export function localInstant(date: string, minutes: number, timeZone: string): Date {
  const want = new Date(`${date}T00:00:00Z`).getTime() + minutes * 60_000;
  let t = want;
  for (let i = 0; i < 3; i++) {
    const p = localParts(new Date(t), timeZone);
    const seen = new Date(`${p.date}T00:00:00Z`).getTime() + p.minutes * 60_000;
    if (seen === want) break;
    t -= seen - want;
  }
  return new Date(t);
}

export function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

const servesBuilding = (e: SlotExecutor, q: Pick<SlotQuery, 'buildingId' | 'zoneIds'>) => e.buildingIds.includes(q.buildingId) || e.zoneIds.some((z) => q.zoneIds.includes(z));
const skilled = (e: SlotExecutor, specialityId: number | null) => specialityId === null || e.specialityIds.includes(specialityId);

/** Whether the executor is on shift for the whole of [start, end). */
function coversWhole(e: SlotExecutor, start: Date, end: Date, q: Pick<SlotQuery, 'zoneIds' | 'timeZone'>): boolean {
  for (let t = start.getTime(); t < end.getTime(); t += PROBE_MIN * 60_000) {
    if (!onShift(e.shifts, e.exceptions, new Date(t), q.timeZone, q.zoneIds)) return false;
  }
  return onShift(e.shifts, e.exceptions, new Date(end.getTime() - 60_000), q.timeZone, q.zoneIds);
}

const overlapsBusy = (e: SlotExecutor, start: Date, end: Date) => e.busy.some((b) => new Date(b.start) < end && start < new Date(b.end));

/** The executors free for a visit [start, start + durationMin), by id. */
export function freeExecutors(executors: SlotExecutor[], q: Pick<SlotQuery, 'buildingId' | 'zoneIds' | 'specialityId' | 'durationMin' | 'timeZone'>, start: Date): number[] {
  const end = new Date(start.getTime() + q.durationMin * 60_000);
  return executors
    .filter((e) => servesBuilding(e, q) && skilled(e, q.specialityId) && coversWhole(e, start, end, q) && !overlapsBusy(e, start, end))
    .map((e) => e.userId)
    .sort((a, b) => a - b);
}

/** The grid starts of one local day: every `durationMin` from the opening hour while the visit ends by closing. */
export function dayStarts(date: string, q: Pick<SlotQuery, 'durationMin' | 'hours' | 'timeZone'>): Date[] {
  const open = minutesOf(q.hours.from);
  const close = minutesOf(q.hours.to);
  // Two conversions a day: without a clock change inside the hours, the grid is plain arithmetic.
  const first = localInstant(date, open, q.timeZone).getTime();
  const steady = localInstant(date, close, q.timeZone).getTime() - first === (close - open) * 60_000;
  const out: Date[] = [];
  for (let m = open; m + q.durationMin <= close; m += q.durationMin) out.push(steady ? new Date(first + (m - open) * 60_000) : localInstant(date, m, q.timeZone));
  return out;
}

/**
 * Every slot of the period with at least one free executor, in time order.
 * On a day whose booking hours see no clock change, local minutes are known
 * from the grid itself, so shifts are checked without a time-zone conversion
 * per probe (the same answer as freeExecutors, which a DST day falls back to).
 */
export function freeSlots(executors: SlotExecutor[], q: SlotQuery): Slot[] {
  const earliest = q.now.getTime() + q.leadMin * 60_000;
  const serving = executors.filter((e) => servesBuilding(e, q) && skilled(e, q.specialityId));
  const busy = serving.map((e) => e.busy.map((b) => [Date.parse(b.start), Date.parse(b.end)] as const));
  const open = minutesOf(q.hours.from);
  const close = minutesOf(q.hours.to);
  const out: Slot[] = [];
  for (let d = 0; d < q.days; d++) {
    const date = addDays(q.from, d);
    const starts = dayStarts(date, q);
    if (!starts.length) continue;
    const steady = localInstant(date, close, q.timeZone).getTime() - starts[0]!.getTime() === (close - open) * 60_000;
    const weekday = localParts(starts[0]!, q.timeZone).weekday;
    starts.forEach((start, k) => {
      if (start.getTime() < earliest) return;
      const s = start.getTime();
      const e = s + q.durationMin * 60_000;
      let ids: number[];
      if (!steady) ids = freeExecutors(serving, q, start);
      else {
        const m0 = open + k * q.durationMin;
        const probes: number[] = [];
        for (let m = m0; m < m0 + q.durationMin; m += PROBE_MIN) probes.push(m);
        probes.push(m0 + q.durationMin - 1);
        ids = serving
          .filter((x, i) => !busy[i]!.some(([bs, be]) => bs < e && s < be) && probes.every((m) => onShiftAt(x.shifts, x.exceptions, { date, weekday, minutes: m }, q.zoneIds)))
          .map((x) => x.userId)
          .sort((a, b) => a - b);
      }
      if (ids.length) out.push({ start: start.toISOString(), end: new Date(e).toISOString(), executorIds: ids });
    });
  }
  return out;
}

/** Whether `start` is a grid start of its local day (a booking must name an offered time). */
export function onGrid(start: Date, q: Pick<SlotQuery, 'durationMin' | 'hours' | 'timeZone'>): boolean {
  const date = localParts(start, q.timeZone).date;
  return dayStarts(date, q).some((s) => s.getTime() === start.getTime());
}
