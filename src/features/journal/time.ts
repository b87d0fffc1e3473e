// The journal's clock face: instants shown in the room's time zone as
// dd.mm.yyyy hh:mm, and local days and months turned into UTC bounds.
// Pure functions; the zone's offset is cached per UTC hour (offset changes
// happen on the hour in every zone Pult serves), so formatting 100,000 rows
// costs a few Intl calls, not one per cell.

const offsetFmts = new Map<string, Intl.DateTimeFormat>();
const offsetCache = new Map<string, Map<number, number>>();

/** Minutes the zone is ahead of UTC at this instant. */
export function zoneOffsetMin(ms: number, timeZone: string): number {
  const hour = Math.floor(ms / 3_600_000);
  let perZone = offsetCache.get(timeZone);
  if (!perZone) offsetCache.set(timeZone, (perZone = new Map()));
  const hit = perZone.get(hour);
  if (hit !== undefined) return hit;
  let f = offsetFmts.get(timeZone);
  if (!f) offsetFmts.set(timeZone, (f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })));
  const at = hour * 3_600_000;
  const p = f.formatToParts(new Date(at));
  const g = (t: string) => Number(p.find((x) => x.type === t)?.value ?? 0);
  const off = Math.round((Date.UTC(g('year'), g('month') - 1, g('day'), g('hour'), g('minute'), g('second')) - at) / 60_000);
  if (perZone.size > 100_000) perZone.clear();
  perZone.set(hour, off);
  return off;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** An ISO instant as dd.mm.yyyy hh:mm in the zone; '' for null or garbage. */
export function formatLocal(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return '';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  const d = new Date(ms + zoneOffsetMin(ms, timeZone) * 60_000);
  return `${pad(d.getUTCDate())}.${pad(d.getUTCMonth() + 1)}.${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** The instant of local midnight starting the day y-m-d (month 1-12; overflowing days/months roll over). */
export function localMidnight(y: number, m: number, d: number, timeZone: string): Date {
  const asUtc = Date.UTC(y, m - 1, d);
  // The offset at midnight may differ from a guess's (a DST change that day): settle it twice.
  let guess = asUtc - zoneOffsetMin(asUtc, timeZone) * 60_000;
  guess = asUtc - zoneOffsetMin(guess, timeZone) * 60_000;
  return new Date(guess);
}

const dateRe = /^(\d{4})-(\d{2})-(\d{2})$/;
const periodRe = /^(\d{4})-(\d{2})$/;

/** Local days from..to (YYYY-MM-DD, both inclusive) as a half-open UTC range [from, to). */
export function dayRange(from: string, to: string, timeZone: string): { from: string; to: string } {
  const a = dateRe.exec(from);
  const b = dateRe.exec(to);
  if (!a || !b) throw new Error('dates must be YYYY-MM-DD');
  return {
    from: localMidnight(Number(a[1]), Number(a[2]), Number(a[3]), timeZone).toISOString(),
    to: localMidnight(Number(b[1]), Number(b[2]), Number(b[3]) + 1, timeZone).toISOString(),
  };
}

/** A month (YYYY-MM) of the room as a half-open UTC range, and its first and last local days. */
export function monthRange(period: string, timeZone: string): { from: string; to: string; firstDay: string; lastDay: string } {
  const m = periodRe.exec(period);
  if (!m) throw new Error('period must be YYYY-MM');
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const last = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return {
    from: localMidnight(y, mo, 1, timeZone).toISOString(),
    to: localMidnight(y, mo + 1, 1, timeZone).toISOString(),
    firstDay: `${y}-${pad(mo)}-01`,
    lastDay: `${y}-${pad(mo)}-${pad(last)}`,
  };
}

/** The local date (YYYY-MM-DD) of an instant in the zone. */
export function localDate(at: Date, timeZone: string): string {
  const d = new Date(at.getTime() + zoneOffsetMin(at.getTime(), timeZone) * 60_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** The month (YYYY-MM) an instant falls in, in the zone. */
export const localMonth = (at: Date, timeZone: string): string => localDate(at, timeZone).slice(0, 7);

/** The month before a YYYY-MM. */
export function previousMonth(period: string): string {
  const m = periodRe.exec(period);
  if (!m) throw new Error('period must be YYYY-MM');
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 2, 1));
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}`;
}

/** dd.mm.yyyy of a YYYY-MM-DD. */
export const dottedDate = (date: string): string => `${date.slice(8, 10)}.${date.slice(5, 7)}.${date.slice(0, 4)}`;
