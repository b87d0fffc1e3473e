// Issue 12, item 3: the reports' pure figures, as tables.
import { describe, expect, it } from 'vitest';
import {
  addDays, asa, callFigures, durationStats, executorRating, lastWeek, localDate, localHour, median, monthPeriod, pct, percentile, periodBounds, periodDays,
  requestFigures, serviceLevel, share, yesterday,
} from '../../src/domain/report-figures.js';

describe('median and p90', () => {
  it.each([
    [[], null, null],
    [[7], 7, 7],
    [[3, 1], 2, 3],
    [[300, 600, 1200, 2400, 3600], 1200, 3600],
    [[1500, 3000, 3600, 10800], 3300, 10800],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5.5, 9],
    [[10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 11], 6, 10],
    [Array.from({ length: 100 }, (_, i) => i + 1), 50.5, 90],
  ] as [number[], number | null, number | null][])('%j → median %s, p90 %s', (values, m, p) => {
    expect(median(values)).toBe(m);
    expect(percentile(values, 90)).toBe(p);
  });

  it('leaves its input unsorted', () => {
    const v = [3, 1, 2];
    median(v);
    percentile(v, 90);
    expect(v).toEqual([3, 1, 2]);
  });

  it.each([
    [[], { count: 0, medianSec: null, p90Sec: null }],
    [[1.4, 2.6], { count: 2, medianSec: 2, p90Sec: 3 }],
    [[0.4], { count: 1, medianSec: 0, p90Sec: 0 }],
  ] as [number[], object][])('durationStats(%j) rounds to whole seconds', (v, out) => {
    expect(durationStats(v)).toEqual(out);
  });
});

describe('shares, service level, ASA', () => {
  it.each([
    [0, 0, null],
    [1, 3, 33.3],
    [2, 3, 66.7],
    [4, 8, 50],
    [2, 7, 28.6],
    [7, 7, 100],
  ])('%i of %i → %s %%', (met, of, p) => {
    expect(pct(met, of)).toBe(p);
    expect(share(met, of)).toEqual({ met, of, pct: p });
    expect(serviceLevel(met, of)).toBe(p);
  });

  it.each([
    [0, 0, null],
    [705, 5, 141],
    [400, 3, 133.3],
    [45, 1, 45],
  ])('asa(%s s over %i) = %s', (sum, n, out) => {
    expect(asa(sum, n)).toBe(out);
  });

  it('call figures: answered on mobile count in the ASA; abandon rate of offered', () => {
    expect(callFigures({ offered: 8, answered: 4, answeredOnMobile: 1, abandoned: 1, shortAbandoned: 1, unanswered: 1, waiting: 0, slMet: 2, slBase: 7, answerWaitSum: 705, within5Met: 4, within5Of: 8, callbacksMet: 1, callbacksOf: 3 }))
      .toEqual({
        offered: 8, answered: 4, answeredOnMobile: 1, abandoned: 1, shortAbandoned: 1, unanswered: 1, waiting: 0, serviceLevel: 28.6, asaSec: 141, abandonRate: 12.5,
        answeredWithin5Min: { met: 4, of: 8, pct: 50 }, callbacksWithin10Min: { met: 1, of: 3, pct: 33.3 },
      });
  });

  it('request figures', () => {
    expect(requestFigures({ received: 3, done: 2, late: 1, open: 0, cancelled: 1, onTimeMet: 1, onTimeOf: 2, handoverSecs: [600, 1200], completeSecs: [3000, 1500] }))
      .toEqual({ received: 3, done: 2, late: 1, open: 0, cancelled: 1, onTime: { met: 1, of: 2, pct: 50 }, handover: { count: 2, medianSec: 900, p90Sec: 1200 }, complete: { count: 2, medianSec: 2250, p90Sec: 3000 } });
  });
});

describe('executor rating = on-time share × (1 − reopened ÷ done)', () => {
  it.each([
    [{ done: 0, doneWithDeadline: 0, doneOnTime: 0, reopened: 0 }, null],
    [{ done: 2, doneWithDeadline: 0, doneOnTime: 0, reopened: 0 }, null],
    [{ done: 1, doneWithDeadline: 1, doneOnTime: 1, reopened: 0 }, 100],
    [{ done: 3, doneWithDeadline: 2, doneOnTime: 1, reopened: 1 }, 33.3],
    [{ done: 4, doneWithDeadline: 4, doneOnTime: 3, reopened: 0 }, 75],
    [{ done: 2, doneWithDeadline: 2, doneOnTime: 2, reopened: 5 }, 0],
    // × the residents' average mark ÷ 5 when there are marks (issue 14).
    [{ done: 1, doneWithDeadline: 1, doneOnTime: 1, reopened: 0, residentRatings: 2, residentScoreSum: 7 }, 70],
    [{ done: 4, doneWithDeadline: 4, doneOnTime: 3, reopened: 0, residentRatings: 1, residentScoreSum: 5 }, 75],
    [{ done: 1, doneWithDeadline: 1, doneOnTime: 1, reopened: 0, residentRatings: 0, residentScoreSum: 0 }, 100],
  ])('%j → %s', (t, r) => {
    expect(executorRating(t)).toBe(r);
  });
});

describe('periods in the room\'s time zone', () => {
  const tz = 'Europe/Moscow';
  it.each([
    [{ from: '2026-11-01', to: '2026-11-30' }, '2026-10-31T21:00:00.000Z', '2026-11-30T21:00:00.000Z', 30],
    [{ from: '2026-11-10', to: '2026-11-10' }, '2026-11-09T21:00:00.000Z', '2026-11-10T21:00:00.000Z', 1],
    [{ from: '2025-12-01', to: '2026-11-30' }, '2025-11-30T21:00:00.000Z', '2026-11-30T21:00:00.000Z', 365],
  ])('%j → [%s, %s), %i days', (p, start, end, days) => {
    expect(periodBounds(p, tz)).toEqual({ start, end });
    expect(periodDays(p)).toBe(days);
  });

  it('a day with a DST change is 25 hours long where the clocks go back', () => {
    const b = periodBounds({ from: '2026-10-25', to: '2026-10-25' }, 'Europe/Berlin');
    expect(b).toEqual({ start: '2026-10-24T22:00:00.000Z', end: '2026-10-25T23:00:00.000Z' });
  });

  it.each([
    ['2026-11', '2026-11-01', '2026-11-30'],
    ['2028-02', '2028-02-01', '2028-02-29'],
    ['2026-12', '2026-12-01', '2026-12-31'],
  ])('month %s → %s .. %s', (m, from, to) => {
    expect(monthPeriod(m)).toEqual({ from, to });
  });

  it.each([
    // 00:10 local on Wednesday 11 November.
    ['2026-11-10T21:10:00.000Z', { from: '2026-11-10', to: '2026-11-10' }, { from: '2026-11-02', to: '2026-11-08' }],
    // 00:20 local on Monday 16 November.
    ['2026-11-15T21:20:00.000Z', { from: '2026-11-15', to: '2026-11-15' }, { from: '2026-11-09', to: '2026-11-15' }],
    // 23:00 UTC on 31 December is already 1 January in Moscow.
    ['2026-12-31T23:00:00.000Z', { from: '2026-12-31', to: '2026-12-31' }, { from: '2026-12-21', to: '2026-12-27' }],
  ])('at %s: yesterday %j, last week %j', (now, y, w) => {
    expect(yesterday(new Date(now), tz)).toEqual(y);
    expect(lastWeek(new Date(now), tz)).toEqual(w);
  });

  it('local date and hour of an instant', () => {
    expect([localDate('2026-10-31T20:59:59.000Z', tz), localHour('2026-10-31T20:59:59.000Z', tz)]).toEqual(['2026-10-31', 23]);
    expect([localDate('2026-10-31T21:00:00.000Z', tz), localHour('2026-10-31T21:00:00.000Z', tz)]).toEqual(['2026-11-01', 0]);
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
  });
});
