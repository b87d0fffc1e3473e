// Working hours of a line, in the dispatch centre's local time.
// { "mon": ["08:00", "20:00"], …, "sun": null }  — a missing or null day is closed.
import { z } from 'zod';

export const dayKeys = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const hhmm = z.string().regex(/^([01]\d|2[0-4]):[0-5]\d$/, 'time must be HH:MM');
export const workingHoursSchema = z.partialRecord(z.enum(dayKeys), z.tuple([hhmm, hhmm]).nullable());
export type WorkingHours = z.infer<typeof workingHoursSchema>;

const weekdayIndex: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** Local weekday (0 = Sunday) and minutes since local midnight in the zone. */
export function localTime(at: Date, timeZone: string): { day: number; minutes: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return { day: weekdayIndex[get('weekday')] ?? 0, minutes: Number(get('hour')) * 60 + Number(get('minute')) };
}

/** null hours = around the clock. */
export function isOpen(hours: WorkingHours | null, at: Date, timeZone: string): boolean {
  if (!hours) return true;
  const { day, minutes } = localTime(at, timeZone);
  const span = hours[dayKeys[day]!];
  if (!span) return false;
  const toMin = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3));
  return minutes >= toMin(span[0]) && minutes < toMin(span[1]);
}
