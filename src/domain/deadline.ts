// Deadlines from a category's calendar rule, in the company's time zone.
//   {minutes}                              plain elapsed time
//   {minutes, window: {from, to}}          only time inside a daily window counts
//                                          (refuse chute: 08:00–23:00, decree 416)
//   {minutes, seasons: [{months, minutes}]} a season overrides the minutes
//                                          (glass: 1 day in winter, 3 in summer, Госстрой 170)
// Local wall-clock times are turned into instants through Intl, so a DST
// change moves the window's edges with the clock.
import { z } from 'zod';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'HH:MM');

export const deadlineRule = z
  .object({
    minutes: z.number().int().min(1).max(525600),
    window: z.object({ from: hhmm, to: hhmm }).strict().refine((w) => w.from < w.to, 'from must be before to').optional(),
    seasons: z.array(z.object({ months: z.array(z.number().int().min(1).max(12)).min(1), minutes: z.number().int().min(1).max(525600) }).strict()).max(12).optional(),
  })
  .strict();
export type DeadlineRule = z.infer<typeof deadlineRule>;

/** The rule of a category: its stored JSON rule, else its plain deadline in minutes, else none. */
export function ruleOf(json: string | null, minutes: number | null): DeadlineRule | null {
  if (json) {
    try {
      const r = deadlineRule.safeParse(JSON.parse(json));
      if (r.success) return r.data;
    } catch {
      /* fall back to minutes */
    }
  }
  return minutes !== null ? { minutes } : null;
}

interface Local { y: number; m: number; d: number; h: number; mi: number }

const fmts = new Map<string, Intl.DateTimeFormat>();
function local(at: Date, tz: string): Local {
  let f = fmts.get(tz);
  if (!f) fmts.set(tz, (f = new Intl.DateTimeFormat('en-GB', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })));
  const p = Object.fromEntries(f.formatToParts(at).map((x) => [x.type, x.value]));
  return { y: +p.year!, m: +p.month!, d: +p.day!, h: +p.hour!, mi: +p.minute! };
}

/** The instant a local wall-clock time happens in `tz` (a skipped time maps past the gap). */
export function zonedInstant(y: number, m: number, d: number, h: number, mi: number, tz: string): Date {
  const wall = Date.UTC(y, m - 1, d, h, mi);
  let t = wall;
  for (let i = 0; i < 3; i++) {
    const l = local(new Date(t), tz);
    const shown = Date.UTC(l.y, l.m - 1, l.d, l.h, l.mi);
    const diff = wall - shown;
    if (diff === 0) break;
    t += diff;
  }
  return new Date(t);
}

const toMin = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3));

/** The due instant of a request received at `start` under `rule`, in time zone `tz`. */
export function dueAt(start: Date, rule: DeadlineRule, tz: string): Date {
  const month = local(start, tz).m;
  const minutes = rule.seasons?.find((s) => s.months.includes(month))?.minutes ?? rule.minutes;
  if (!rule.window) return new Date(start.getTime() + minutes * 60_000);
  const [from, to] = [toMin(rule.window.from), toMin(rule.window.to)];
  let left = minutes * 60_000;
  const l = local(start, tz);
  for (let day = 0; day < 3660; day++) {
    const base = new Date(Date.UTC(l.y, l.m - 1, l.d + day));
    const [y, m, d] = [base.getUTCFullYear(), base.getUTCMonth() + 1, base.getUTCDate()];
    const open = zonedInstant(y, m, d, Math.floor(from / 60), from % 60, tz);
    const close = zonedInstant(y, m, d, Math.floor(to / 60), to % 60, tz);
    const s = Math.max(open.getTime(), start.getTime());
    if (close.getTime() <= s) continue;
    const span = close.getTime() - s;
    if (span >= left) return new Date(s + left);
    left -= span;
  }
  throw new Error('deadline beyond ten years');
}

export interface Countdown { dueAt: string | null; minutesLeft: number | null; late: boolean; dueSoon: boolean }

/** Countdown for a list row: minutes left (negative when late), late and due-soon flags. */
export function countdown(due: string | null, closed: boolean, now: Date, soonMinutes = 60): Countdown {
  if (!due || closed) return { dueAt: due, minutesLeft: null, late: false, dueSoon: false };
  const left = Math.floor((new Date(due).getTime() - now.getTime()) / 60_000);
  return { dueAt: due, minutesLeft: left, late: left < 0, dueSoon: left >= 0 && left <= soonMinutes };
}
