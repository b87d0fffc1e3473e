// Executors' shifts: is someone on shift at an instant (in the company's time
// zone, DST included, exceptions such as vacation or sick leave), and which
// shifts of one person overlap. Pure.

export interface Shift {
  id?: number;
  /** Bit 0 = Monday … bit 6 = Sunday. */
  weekdays: number;
  /** Local HH:MM; `to` ≤ `from` means the shift ends the next day. */
  from: string;
  to: string;
  zoneId: number | null;
  validFrom?: string | null;
  validTo?: string | null;
}
export interface ShiftException { from: string; to: string; kind: 'vacation' | 'sick' | 'other' }

export const minutesOf = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
};

const fmtCache = new Map<string, Intl.DateTimeFormat>();
const dayNames: Record<string, number> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };

/** The local date (YYYY-MM-DD), weekday (0 = Monday) and minute of the day at `at` in `timeZone`. */
export function localParts(at: Date, timeZone: string): { date: string; weekday: number; minutes: number } {
  let f = fmtCache.get(timeZone);
  if (!f) fmtCache.set(timeZone, (f = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })));
  const p: Record<string, string> = {};
  for (const x of f.formatToParts(at)) p[x.type] = x.value;
  return { date: `${p.year}-${p.month}-${p.day}`, weekday: dayNames[p.weekday!]!, minutes: Number(p.hour) * 60 + Number(p.minute) };
}

export function previousDate(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

const valid = (s: Shift, date: string) => (!s.validFrom || date >= s.validFrom) && (!s.validTo || date <= s.validTo);
const excepted = (ex: ShiftException[], date: string) => ex.some((e) => date >= e.from && date <= e.to);
const hasDay = (mask: number, weekday: number) => (mask & (1 << weekday)) !== 0;

/**
 * Whether one of `shifts` covers `at` (in `zoneId` when given: a shift with
 * no zone covers every zone). An exception covering the day a shift starts
 * cancels that shift.
 */
export function onShift(shifts: Shift[], exceptions: ShiftException[], at: Date, timeZone: string, zoneIds?: number[]): boolean {
  return onShiftAt(shifts, exceptions, localParts(at, timeZone), zoneIds);
}

/** onShift at a local date, weekday and minute already known (saves the time-zone conversion in tight loops). */
export function onShiftAt(shifts: Shift[], exceptions: ShiftException[], now: { date: string; weekday: number; minutes: number }, zoneIds?: number[]): boolean {
  const yesterday = previousDate(now.date);
  const yWeekday = (now.weekday + 6) % 7;
  for (const s of shifts) {
    if (zoneIds && s.zoneId !== null && !zoneIds.includes(s.zoneId)) continue;
    const from = minutesOf(s.from);
    const to = minutesOf(s.to);
    if (from < to) {
      if (hasDay(s.weekdays, now.weekday) && now.minutes >= from && now.minutes < to && valid(s, now.date) && !excepted(exceptions, now.date)) return true;
    } else {
      if (hasDay(s.weekdays, now.weekday) && now.minutes >= from && valid(s, now.date) && !excepted(exceptions, now.date)) return true;
      if (hasDay(s.weekdays, yWeekday) && now.minutes < to && valid(s, yesterday) && !excepted(exceptions, yesterday)) return true;
    }
  }
  return false;
}

const WEEK = 7 * 1440;
/** A shift as [start, end) intervals on the week's minute line (Monday 00:00 = 0), wrapping Sunday night into Monday. */
function weekIntervals(s: Shift): [number, number][] {
  const from = minutesOf(s.from);
  const to = minutesOf(s.to);
  const len = to > from ? to - from : to + 1440 - from;
  const out: [number, number][] = [];
  for (let d = 0; d < 7; d++) {
    if (!hasDay(s.weekdays, d)) continue;
    const a = d * 1440 + from;
    const b = a + len;
    if (b <= WEEK) out.push([a, b]);
    else out.push([a, WEEK], [0, b - WEEK]);
  }
  return out;
}

const rangesMeet = (a: Shift, b: Shift) => (!a.validTo || !b.validFrom || b.validFrom <= a.validTo) && (!b.validTo || !a.validFrom || a.validFrom <= b.validTo);
const zonesMeet = (a: Shift, b: Shift) => a.zoneId === null || b.zoneId === null || a.zoneId === b.zoneId;
const dayName = ['пн', 'вт', 'ср', 'чт', 'пт', 'сб', 'вс'];

export interface OverlapWarning { a: number; b: number; weekday: string; from: string; to: string }

/** Pairs of shifts (indexes into `shifts`) that cover the same minute on some day, the same zone and dates. */
export function overlaps(shifts: Shift[]): OverlapWarning[] {
  const out: OverlapWarning[] = [];
  const iv = shifts.map(weekIntervals);
  for (let i = 0; i < shifts.length; i++) {
    for (let j = i + 1; j < shifts.length; j++) {
      if (!zonesMeet(shifts[i]!, shifts[j]!) || !rangesMeet(shifts[i]!, shifts[j]!)) continue;
      const hit = iv[i]!.flatMap((x) => iv[j]!.filter((y) => x[0] < y[1] && y[0] < x[1]).map((y) => [Math.max(x[0], y[0]), Math.min(x[1], y[1])] as const))[0];
      if (!hit) continue;
      const hhmm = (m: number) => `${String(Math.floor((m % 1440) / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
      out.push({ a: i, b: j, weekday: dayName[Math.floor(hit[0] / 1440)]!, from: hhmm(hit[0]), to: hhmm(hit[1]) });
    }
  }
  return out;
}
