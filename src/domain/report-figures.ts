// Report figures (issue 12, item 3): medians and p90s, shares, service
// level, ASA, an executor's rating, and the periods reports are made for.
// Pure: the repository's SQL sums and duration lists in, figures out.
//
// Definitions (stated on the reports page and in the README):
// - median: the middle value (the mean of the two middle ones for an even
//   count); p90: the nearest-rank 90th percentile (the smallest value with
//   at least 90% of the values at or below it). Durations in whole seconds.
// - a share is met / of with the counts behind it; pct has one decimal and
//   is null when nothing is counted.
import { zonedInstant } from './deadline.js';
import { localParts } from './schedule.js';
import { pct, round1, share, type Share } from './share.js';

export { pct, share, type Share };


export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Nearest-rank percentile, p in (0, 100]. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * s.length));
  return s[Math.min(rank, s.length) - 1]!;
}

export interface DurationStats {
  count: number;
  medianSec: number | null;
  p90Sec: number | null;
}

/** Median and p90 of durations in seconds, rounded to whole seconds. */
export function durationStats(secs: readonly number[]): DurationStats {
  const m = median(secs);
  const p = percentile(secs, 90);
  return { count: secs.length, medianSec: m === null ? null : Math.round(m), p90Sec: p === null ? null : Math.round(p) };
}

/** Service level in %: answered within the line's threshold ÷ (answered + abandoned after the short limit + unanswered). */
export const serviceLevel = (met: number, base: number): number | null => pct(met, base);

/** Average speed of answer, seconds with one decimal: total wait of answered calls ÷ answered calls. */
export const asa = (waitSum: number, answered: number): number | null => (answered === 0 ? null : round1(waitSum / answered));

// ── requests ─────────────────────────────────────────────────────────────

/** What the repository sums per group of requests received in a period. */
export interface RequestTotals {
  received: number;
  done: number;
  late: number;
  open: number;
  cancelled: number;
  /** Done by their deadline, of those with a deadline already decided (done, or past due). */
  onTimeMet: number;
  onTimeOf: number;
  /** Seconds from registration to handing to an executor / to done. */
  handoverSecs: number[];
  completeSecs: number[];
}

export interface RequestFigures {
  received: number;
  done: number;
  late: number;
  open: number;
  cancelled: number;
  onTime: Share;
  handover: DurationStats;
  complete: DurationStats;
}

export function requestFigures(t: RequestTotals): RequestFigures {
  return {
    received: t.received, done: t.done, late: t.late, open: t.open, cancelled: t.cancelled,
    onTime: share(t.onTimeMet, t.onTimeOf), handover: durationStats(t.handoverSecs), complete: durationStats(t.completeSecs),
  };
}

// ── calls ────────────────────────────────────────────────────────────────

/** What the repository sums per group of inbound calls (and callback tasks) of a period. */
export interface CallTotals {
  offered: number;
  answered: number;
  answeredOnMobile: number;
  abandoned: number;
  shortAbandoned: number;
  unanswered: number;
  /** Still waiting when the report was made. */
  waiting: number;
  slMet: number;
  slBase: number;
  /** Seconds waited by the answered calls, summed. */
  answerWaitSum: number;
  within5Met: number;
  within5Of: number;
  callbacksMet: number;
  callbacksOf: number;
}

export interface CallFigures {
  offered: number;
  answered: number;
  answeredOnMobile: number;
  abandoned: number;
  shortAbandoned: number;
  unanswered: number;
  waiting: number;
  serviceLevel: number | null;
  asaSec: number | null;
  /** Abandoned (after the short limit) ÷ offered, %. */
  abandonRate: number | null;
  answeredWithin5Min: Share;
  callbacksWithin10Min: Share;
}

export function callFigures(t: CallTotals): CallFigures {
  const answeredAll = t.answered + t.answeredOnMobile;
  return {
    offered: t.offered, answered: t.answered, answeredOnMobile: t.answeredOnMobile, abandoned: t.abandoned,
    shortAbandoned: t.shortAbandoned, unanswered: t.unanswered, waiting: t.waiting,
    serviceLevel: serviceLevel(t.slMet, t.slBase),
    asaSec: asa(t.answerWaitSum, answeredAll),
    abandonRate: pct(t.abandoned, t.offered),
    answeredWithin5Min: share(t.within5Met, t.within5Of),
    callbacksWithin10Min: share(t.callbacksMet, t.callbacksOf),
  };
}

// ── executors ────────────────────────────────────────────────────────────

export interface ExecutorTotals {
  /** Requests received in the period and assigned to the executor. */
  assigned: number;
  done: number;
  /** Done requests that had a deadline, and of those done by it. */
  doneWithDeadline: number;
  doneOnTime: number;
  /** Times a request of theirs went back to work: done → in_work, or reopened by the resident's rating. */
  reopened: number;
  /** Residents' ratings (1–5) of their closed requests: how many, and their sum. */
  residentRatings: number;
  residentScoreSum: number;
  /** Open requests assigned to them now (their load). */
  openNow: number;
  completeSecs: number[];
}

export interface ExecutorFigures {
  assigned: number;
  done: number;
  onTime: Share;
  reopened: number;
  openNow: number;
  complete: DurationStats;
  /** The residents' marks: how many and their average (one decimal; null without any). */
  residentScore: { count: number; average: number | null };
  /** 0..100; null when nothing of theirs with a deadline is done yet. */
  rating: number | null;
}

/**
 * The executor's rating:
 * on-time share × (1 − reopened ÷ done) × (residents' average mark ÷ 5), as
 * 0..100 with one decimal; without residents' marks the last factor is 1.
 * Done on time is what the resident waits for; a request reopened after
 * «Выполнена» (or by the resident's low mark) was not really done; the
 * residents' marks say how it was done. Time to complete is shown beside it,
 * not in it: it depends on the mix of categories more than on the person.
 */
export function executorRating(t: Pick<ExecutorTotals, 'done' | 'doneWithDeadline' | 'doneOnTime' | 'reopened'> & Partial<Pick<ExecutorTotals, 'residentRatings' | 'residentScoreSum'>>): number | null {
  if (t.doneWithDeadline === 0 || t.done === 0) return null;
  const onTime = t.doneOnTime / t.doneWithDeadline;
  const reopenRate = Math.min(1, t.reopened / t.done);
  const marks = t.residentRatings ? t.residentScoreSum! / t.residentRatings / 5 : 1;
  return round1(onTime * (1 - reopenRate) * marks * 100);
}

export function executorFigures(t: ExecutorTotals): ExecutorFigures {
  return {
    assigned: t.assigned, done: t.done, onTime: share(t.doneOnTime, t.doneWithDeadline), reopened: t.reopened, openNow: t.openNow,
    complete: durationStats(t.completeSecs), residentScore: { count: t.residentRatings, average: t.residentRatings ? round1(t.residentScoreSum / t.residentRatings) : null }, rating: executorRating(t),
  };
}

// ── periods (local dates in the room's time zone, both ends inclusive) ───

export interface Period {
  from: string;
  to: string;
}

export function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Days from `from` to `to`, both included. */
export function periodDays(p: Period): number {
  return Math.round((Date.parse(`${p.to}T00:00:00Z`) - Date.parse(`${p.from}T00:00:00Z`)) / 86_400_000) + 1;
}

const ymd = (date: string) => date.split('-').map(Number) as [number, number, number];

/** The period as instants: [start, end) in UTC ISO text, comparable with stored times. */
export function periodBounds(p: Period, tz: string): { start: string; end: string } {
  const [y1, m1, d1] = ymd(p.from);
  const [y2, m2, d2] = ymd(addDays(p.to, 1));
  return { start: zonedInstant(y1, m1, d1, 0, 0, tz).toISOString(), end: zonedInstant(y2, m2, d2, 0, 0, tz).toISOString() };
}

/** '2026-11' → 2026-11-01 .. 2026-11-30. */
export function monthPeriod(month: string): Period {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}

/** The local day before `now`'s. */
export function yesterday(now: Date, tz: string): Period {
  const d = addDays(localParts(now, tz).date, -1);
  return { from: d, to: d };
}

/** The last complete local week, Monday to Sunday, before `now`'s week. */
export function lastWeek(now: Date, tz: string): Period {
  const l = localParts(now, tz);
  const thisMonday = addDays(l.date, -l.weekday);
  return { from: addDays(thisMonday, -7), to: addDays(thisMonday, -1) };
}

/** The local date (YYYY-MM-DD) and hour (0..23) of an instant. */
export function localDate(iso: string, tz: string): string {
  return localParts(new Date(iso), tz).date;
}
export function localHour(iso: string, tz: string): number {
  return Math.floor(localParts(new Date(iso), tz).minutes / 60);
}
