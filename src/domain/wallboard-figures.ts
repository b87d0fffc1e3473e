// The supervisor wallboard's figures, computed from stored call records
// only (so a restart changes nothing). Pure: no I/O, no clock of its own.
//
// Every call is counted on the local day it ARRIVED (PULT_TIMEZONE), even if
// it was answered or ended after midnight. Each call is classified once
// against its own line's service-level threshold; figures per line, per
// management company or per 15-minute bucket are sums of those classes, so
// they always add up.

import { pct, round1 } from './share.js';

export type FactOutcome = 'answered' | 'overflowed-answered' | 'abandoned' | 'unanswered';

/** What the figures need of a call record. */
export interface CallFact {
  id: string;
  lineId: number | null;
  state: 'waiting' | 'overflow' | 'connected' | 'ended';
  arrivedAt: string;
  overflowAt: string | null;
  answeredAt: string | null;
  endedAt: string | null;
  outcome: FactOutcome | null;
  answeredVia: 'console' | 'mobile' | null;
  waitSec: number | null;
  talkSec: number | null;
}

export interface FigureOptions {
  /** A caller who hangs up sooner than this (seconds of waiting) is a short abandon, left out of the service level. */
  shortAbandonSec: number;
  /**
   * Start of the day counted. A call that arrived earlier and is still open
   * counts only in the live figures (waiting, longest wait), never in the
   * day's totals: those belong to the day it arrived.
   */
  dayStart?: Date;
}

export const DEFAULT_SL_THRESHOLD_SEC = 20;
export const DEFAULT_SHORT_ABANDON_SEC = 5;

/** The figures of a set of calls (a line, a company, a bucket). */
export interface Figures {
  offered: number;
  /** Answered by an operator at the console. */
  answered: number;
  /** Answered on an overflow mobile. */
  answeredOnMobile: number;
  /** Caller hung up after waiting at least the short-abandon limit. */
  abandoned: number;
  /** Caller hung up within the short-abandon limit. */
  shortAbandoned: number;
  /** Nobody answered: the caller heard the goodbye. */
  unanswered: number;
  /** Went to the overflow mobiles (whatever happened next). */
  overflowed: number;
  /** Callback tasks not done yet (pending or assigned), whatever day they were created. */
  callbacksPending: number;
  /** 0..100, one decimal; null when nothing counts yet. */
  serviceLevel: number | null;
  asaSec: number | null;
  avgTalkSec: number | null;
  /** Live, from open calls: waiting for an operator or ringing mobiles. */
  waiting: number;
  longestWaitSec: number;
}

/** Running sums that merge (line → company) without losing exactness. */
export interface Tally {
  offered: number;
  answered: number;
  answeredOnMobile: number;
  abandoned: number;
  shortAbandoned: number;
  unanswered: number;
  overflowed: number;
  callbacksPending: number;
  slMet: number;
  slBase: number;
  answerWaitSum: number;
  answerCount: number;
  talkSum: number;
  talkCount: number;
  waiting: number;
  longestWaitSec: number;
}

export const emptyTally = (): Tally => ({
  offered: 0, answered: 0, answeredOnMobile: 0, abandoned: 0, shortAbandoned: 0, unanswered: 0, overflowed: 0, callbacksPending: 0,
  slMet: 0, slBase: 0, answerWaitSum: 0, answerCount: 0, talkSum: 0, talkCount: 0, waiting: 0, longestWaitSec: 0,
});

export function mergeTally(into: Tally, t: Tally): Tally {
  for (const k of Object.keys(into) as (keyof Tally)[]) {
    into[k] = k === 'longestWaitSec' ? Math.max(into[k], t[k]) : into[k] + t[k];
  }
  return into;
}

const secs = (a: string, b: string | Date) => (new Date(b).getTime() - new Date(a).getTime()) / 1000;

/** How long the caller waited before being answered or leaving (open calls: until now). */
export function waitOf(c: CallFact, now: Date): number {
  if (c.answeredAt) return Math.max(0, secs(c.arrivedAt, c.answeredAt));
  if (c.state === 'ended') return Math.max(0, c.waitSec ?? secs(c.arrivedAt, c.endedAt ?? now));
  return Math.max(0, secs(c.arrivedAt, now));
}

/** Adds one call to a tally, against its line's threshold. */
export function addCall(t: Tally, c: CallFact, thresholdSec: number, now: Date, o: FigureOptions): void {
  const wait = waitOf(c, now);
  if (o.dayStart && new Date(c.arrivedAt).getTime() < o.dayStart.getTime()) {
    if (c.state !== 'ended' && !c.answeredAt) {
      t.waiting++;
      t.longestWaitSec = Math.max(t.longestWaitSec, Math.floor(wait));
    }
    return;
  }
  t.offered++;
  if (c.overflowAt) t.overflowed++;
  if (c.answeredAt) {
    // Answered (still talking or finished): counts in the service level at once.
    if (c.answeredVia === 'mobile') t.answeredOnMobile++;
    else t.answered++;
    t.slBase++;
    if (wait <= thresholdSec) t.slMet++;
    t.answerWaitSum += wait;
    t.answerCount++;
    if (c.state === 'ended' && c.talkSec !== null) {
      t.talkSum += c.talkSec;
      t.talkCount++;
    }
    return;
  }
  if (c.state !== 'ended') {
    t.waiting++;
    t.longestWaitSec = Math.max(t.longestWaitSec, Math.floor(wait));
    return;
  }
  if (c.outcome === 'abandoned') {
    if (wait < o.shortAbandonSec) t.shortAbandoned++;
    else {
      t.abandoned++;
      t.slBase++;
    }
  } else if (c.outcome === 'unanswered') {
    t.unanswered++;
    t.slBase++;
  }
}

export function toFigures(t: Tally): Figures {
  return {
    offered: t.offered,
    answered: t.answered,
    answeredOnMobile: t.answeredOnMobile,
    abandoned: t.abandoned,
    shortAbandoned: t.shortAbandoned,
    unanswered: t.unanswered,
    overflowed: t.overflowed,
    callbacksPending: t.callbacksPending,
    serviceLevel: pct(t.slMet, t.slBase),
    asaSec: t.answerCount > 0 ? round1(t.answerWaitSum / t.answerCount) : null,
    avgTalkSec: t.talkCount > 0 ? round1(t.talkSum / t.talkCount) : null,
    waiting: t.waiting,
    longestWaitSec: t.longestWaitSec,
  };
}

/** The figures of a set of calls; `thresholdOf` gives each line's service-level threshold. */
export function computeFigures(calls: CallFact[], thresholdOf: (lineId: number | null) => number, now: Date, o: FigureOptions, callbacksPending = 0): Figures {
  const t = emptyTally();
  for (const c of calls) addCall(t, c, thresholdOf(c.lineId), now, o);
  t.callbacksPending = callbacksPending;
  return toFigures(t);
}

// ---- the local day -------------------------------------------------------

/** Minutes the zone is ahead of UTC at this instant. */
function zoneOffsetMin(at: Date, timeZone: string): number {
  const p = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const g = (t: string) => Number(p.find((x) => x.type === t)?.value ?? 0);
  const asUtc = Date.UTC(g('year'), g('month') - 1, g('day'), g('hour'), g('minute'), g('second'));
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

/** The instant of the last local midnight in the zone, at or before `now`. */
export function localDayStart(now: Date, timeZone: string): Date {
  const p = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
  const g = (t: string) => Number(p.find((x) => x.type === t)?.value ?? 0);
  const midnightAsUtc = Date.UTC(g('year'), g('month') - 1, g('day'));
  // The offset at midnight may differ from now's (a DST change during the day): settle it.
  let guess = midnightAsUtc - zoneOffsetMin(now, timeZone) * 60_000;
  guess = midnightAsUtc - zoneOffsetMin(new Date(guess), timeZone) * 60_000;
  return new Date(guess);
}

// ---- the day chart -------------------------------------------------------

export interface ChartPoint {
  /** Start of the 15-minute bucket (ISO, UTC). */
  from: string;
  /** Most calls waiting at the same time within the bucket. */
  waitingMax: number;
  /** Service level of the calls that arrived in the bucket; null when none counts. */
  serviceLevel: number | null;
}

/** 15-minute buckets from the day's start up to now. */
export function dayChart(calls: CallFact[], thresholdOf: (lineId: number | null) => number, dayStart: Date, now: Date, o: FigureOptions, bucketMin = 15): ChartPoint[] {
  const step = bucketMin * 60_000;
  const start = dayStart.getTime();
  const n = Math.max(1, Math.ceil((now.getTime() - start + 1) / step));
  const tallies = Array.from({ length: n }, emptyTally);
  const bucketOf = (ms: number) => Math.min(n - 1, Math.max(0, Math.floor((ms - start) / step)));
  // Waiting intervals: from arrival to answer / hang-up (open calls: now).
  const edges: [number, number][] = [];
  for (const c of calls) {
    const arrived = new Date(c.arrivedAt).getTime();
    if (arrived >= start) addCall(tallies[bucketOf(arrived)]!, c, thresholdOf(c.lineId), now, o);
    const stop = c.answeredAt ? new Date(c.answeredAt).getTime() : c.state === 'ended' ? arrived + waitOf(c, now) * 1000 : now.getTime();
    if (stop < start) continue;
    edges.push([Math.max(arrived, start), 1], [stop, -1]);
  }
  // Ends before starts at the same instant: a call answered as another arrives is not two waiting.
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const maxes = new Array<number>(n).fill(0);
  let cur = 0;
  let bucket = 0;
  for (const [at, d] of edges) {
    const b = bucketOf(at);
    // The level carried into each bucket entered meanwhile counts for it.
    while (bucket < b) maxes[++bucket] = Math.max(maxes[bucket] ?? 0, cur);
    cur += d;
    maxes[b] = Math.max(maxes[b] ?? 0, cur);
  }
  while (bucket < n - 1) maxes[++bucket] = Math.max(maxes[bucket] ?? 0, cur);
  return tallies.map((t, i) => ({ from: new Date(start + i * step).toISOString(), waitingMax: maxes[i] ?? 0, serviceLevel: toFigures(t).serviceLevel }));
}

/** The definitions stated with every snapshot and on the wallboard (shown to supervisors: Russian). */
export function figureDefinitions(o: FigureOptions): Record<string, string> {
  return {
    day: 'Сутки — с местной полуночи (часовой пояс центра); звонок считается в день, когда он ПОСТУПИЛ, даже если ответ или завершение были после полуночи.',
    serviceLevel:
      `Уровень обслуживания = звонки, отвеченные за порог линии (T с, по умолчанию 20) ÷ (отвеченные на пульте и на мобильных + брошенные после ${o.shortAbandonSec} с + неотвеченные). ` +
      `Короткие сбросы (абонент положил трубку раньше ${o.shortAbandonSec} с) не учитываются; звонки, которые ещё ждут, — тоже. Нет звонков в знаменателе — «—».`,
    offered: 'Поступило — все звонки на линию за сутки.',
    answered: 'Отвечено — ответил диспетчер на пульте; «на мобильном» — ответил дежурный на мобильном после переадресации.',
    abandoned: `Брошено — абонент положил трубку, прождав ${o.shortAbandonSec} с и больше; короткие сбросы — раньше.`,
    unanswered: 'Не отвечено — никто не ответил, абоненту проиграно сообщение.',
    overflowed: 'Переадресовано — звонок ушёл на мобильные (как бы он ни закончился).',
    callbacksPending: 'Перезвонить — задачи на обратный звонок, ещё не выполненные (ожидают или назначены), за любой день.',
    asa: 'Среднее время ответа — ожидание до ответа, в среднем по отвеченным (пульт и мобильные).',
    avgTalk: 'Средний разговор — по завершённым отвеченным звонкам.',
    waiting: 'Ждут — звонки, ещё не отвеченные сейчас; самое долгое ожидание — у самого давнего из них.',
  };
}
