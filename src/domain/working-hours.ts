// Working hours of a line, in the dispatch centre's local time.
// { "mon": ["08:00", "20:00"], …, "sun": null }  — a missing or null day is closed.
// Holidays override the week for their date: closed all day (the line gives
// its out-of-hours treatment, as at night), or shortened hours (the
// pre-holiday day, e.g. 08:00–16:00) — on a line open around the clock too.
import { z } from 'zod';

export const dayKeys = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const hhmm = z.string().regex(/^([01]\d|2[0-4]):[0-5]\d$/, 'time must be HH:MM');
export const workingHoursSchema = z.partialRecord(z.enum(dayKeys), z.tuple([hhmm, hhmm]).nullable());
export type WorkingHours = z.infer<typeof workingHoursSchema>;

const isoDay = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'дата в виде ГГГГ-ММ-ДД').refine((d) => { const t = Date.parse(`${d}T00:00:00Z`); return !Number.isNaN(t) && new Date(t).toISOString().startsWith(d); }, 'такой даты нет в календаре');
export const holidaySchema = z.object({
  date: isoDay,
  /** null: closed all day; a span: the day's shortened hours. */
  hours: z.tuple([hhmm, hhmm]).refine(([from, to]) => from < to, 'конец дня должен быть позже начала').nullable().default(null),
  note: z.string().trim().max(100).default(''),
}).strict();
export type Holiday = z.infer<typeof holidaySchema>;
export const holidaysSchema = z.array(holidaySchema).max(400).refine((hs) => new Set(hs.map((h) => h.date)).size === hs.length, 'дата указана дважды');

const weekdayIndex: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** Local weekday (0 = Sunday) and minutes since local midnight in the zone. */
export function localTime(at: Date, timeZone: string): { day: number; minutes: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return { day: weekdayIndex[get('weekday')] ?? 0, minutes: Number(get('hour')) * 60 + Number(get('minute')) };
}

/** The local calendar date in the zone, YYYY-MM-DD. */
export function localDate(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** null hours = around the clock; a holiday on the local date decides that day instead of the week. */
export function isOpen(hours: WorkingHours | null, at: Date, timeZone: string, holidays: readonly Holiday[] = []): boolean {
  const holiday = holidays.length ? holidays.find((h) => h.date === localDate(at, timeZone)) : undefined;
  if (!hours && !holiday) return true;
  const { day, minutes } = localTime(at, timeZone);
  const span = holiday ? holiday.hours : hours![dayKeys[day]!];
  if (!span) return false;
  const toMin = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3));
  return minutes >= toMin(span[0]) && minutes < toMin(span[1]);
}
