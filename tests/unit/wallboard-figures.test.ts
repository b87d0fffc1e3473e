// The wallboard's figure definitions on constructed call histories.
import { describe, expect, it } from 'vitest';
import { computeFigures, dayChart, figureDefinitions, localDayStart, type CallFact } from '../../src/domain/wallboard-figures.js';

const o = { shortAbandonSec: 5 };
const T = 20;
const threshold = () => T;
let n = 0;

/** A call on line 1 that arrived at `at` (ISO) and then: answered after `answerSec`, or ended as `outcome` after `endSec`. */
function call(at: string, p: { answerSec?: number; endSec?: number; outcome?: CallFact['outcome']; via?: 'console' | 'mobile'; overflowSec?: number; lineId?: number }): CallFact {
  const t0 = new Date(at).getTime();
  const iso = (s: number) => new Date(t0 + s * 1000).toISOString();
  const answeredAt = p.answerSec !== undefined ? iso(p.answerSec) : null;
  const endedAt = p.endSec !== undefined ? iso(p.endSec) : null;
  const state: CallFact['state'] = endedAt ? 'ended' : answeredAt ? 'connected' : p.overflowSec !== undefined ? 'overflow' : 'waiting';
  return {
    id: `c${++n}`,
    lineId: p.lineId ?? 1,
    state,
    arrivedAt: at,
    overflowAt: p.overflowSec !== undefined ? iso(p.overflowSec) : null,
    answeredAt,
    endedAt,
    outcome: endedAt ? (p.outcome ?? (answeredAt ? (p.via === 'mobile' ? 'overflowed-answered' : 'answered') : 'abandoned')) : null,
    answeredVia: answeredAt ? (p.via ?? 'console') : null,
    waitSec: endedAt ? (p.answerSec ?? p.endSec!) : null,
    talkSec: endedAt && p.answerSec !== undefined ? p.endSec! - p.answerSec : null,
  };
}

const now = new Date('2026-11-23T09:00:00Z'); // 12:00 in Moscow

describe('wallboard figures', () => {
  it('service level = answered within T / (answered + abandoned after the short limit + unanswered); short abandons left out', () => {
    const calls = [
      call('2026-11-23T08:00:00Z', { answerSec: 10, endSec: 70 }), // within 20 s
      call('2026-11-23T08:01:00Z', { answerSec: 30, endSec: 90 }), // answered late
      call('2026-11-23T08:02:00Z', { endSec: 8, outcome: 'abandoned' }), // abandoned after 8 s: counts
      call('2026-11-23T08:03:00Z', { endSec: 3, outcome: 'abandoned' }), // short abandon: left out
      call('2026-11-23T08:04:00Z', { endSec: 300, outcome: 'unanswered' }),
    ];
    const f = computeFigures(calls, threshold, now, o, 2);
    expect(f).toMatchObject({ offered: 5, answered: 2, answeredOnMobile: 0, abandoned: 1, shortAbandoned: 1, unanswered: 1, overflowed: 0, callbacksPending: 2 });
    expect(f.serviceLevel).toBe(25); // 1 of 4
    expect(f.asaSec).toBe(20); // (10 + 30) / 2
    expect(f.avgTalkSec).toBe(60);
  });

  it('a short abandon alone gives no service level (null, not 0 or 100)', () => {
    const f = computeFigures([call('2026-11-23T08:03:00Z', { endSec: 4.9, outcome: 'abandoned' })], threshold, now, o);
    expect(f).toMatchObject({ offered: 1, abandoned: 0, shortAbandoned: 1, serviceLevel: null, asaSec: null });
    // Exactly at the limit it is a real abandon.
    const g = computeFigures([call('2026-11-23T08:03:00Z', { endSec: 5, outcome: 'abandoned' })], threshold, now, o);
    expect(g).toMatchObject({ abandoned: 1, shortAbandoned: 0, serviceLevel: 0 });
  });

  it('overflow then answered on a mobile: overflowed and answered on mobile, not at the console; late against T', () => {
    const f = computeFigures([call('2026-11-23T08:00:00Z', { overflowSec: 20, answerSec: 26, endSec: 60, via: 'mobile' })], threshold, now, o);
    expect(f).toMatchObject({ offered: 1, answered: 0, answeredOnMobile: 1, overflowed: 1, serviceLevel: 0, asaSec: 26, avgTalkSec: 34 });
    // Overflowed and nobody answered: overflowed and unanswered.
    const g = computeFigures([call('2026-11-23T08:00:00Z', { overflowSec: 20, endSec: 80, outcome: 'unanswered' })], threshold, now, o);
    expect(g).toMatchObject({ overflowed: 1, unanswered: 1, answeredOnMobile: 0, serviceLevel: 0 });
  });

  it('the threshold is the line\'s own: the same wait meets 30 s but not 20 s', () => {
    const calls = [call('2026-11-23T08:00:00Z', { answerSec: 25, endSec: 60, lineId: 1 }), call('2026-11-23T08:00:00Z', { answerSec: 25, endSec: 60, lineId: 2 })];
    const f = computeFigures(calls, (lineId) => (lineId === 2 ? 30 : 20), now, o);
    expect(f.serviceLevel).toBe(50);
  });

  it('a call up but not ended counts as answered already; waiting calls are live figures only', () => {
    const calls = [
      call('2026-11-23T08:59:00Z', { answerSec: 5 }), // talking now
      call('2026-11-23T08:59:18Z', {}), // waiting 42 s
      call('2026-11-23T08:59:50Z', { overflowSec: 5 }), // ringing the mobiles, 10 s
    ];
    const f = computeFigures(calls, threshold, now, o);
    expect(f).toMatchObject({ offered: 3, answered: 1, waiting: 2, longestWaitSec: 42, overflowed: 1, serviceLevel: 100, avgTalkSec: null });
  });

  it('a call that arrived before midnight and ended after counts on the day it ARRIVED', () => {
    // 23:59:50 Moscow on the 22nd, answered 00:00:05, ended 00:01:00 on the 23rd.
    const late = call('2026-11-22T20:59:50Z', { answerSec: 15, endSec: 70 });
    const onThe22nd = new Date('2026-11-22T20:59:59Z');
    const onThe23rd = new Date('2026-11-23T09:00:00Z');
    const day22 = localDayStart(onThe22nd, 'Europe/Moscow');
    const day23 = localDayStart(onThe23rd, 'Europe/Moscow');
    expect(day22.toISOString()).toBe('2026-11-21T21:00:00.000Z');
    expect(day23.toISOString()).toBe('2026-11-22T21:00:00.000Z');
    expect(computeFigures([late], threshold, new Date('2026-11-22T21:01:00Z'), { ...o, dayStart: day22 })).toMatchObject({ offered: 1, answered: 1, serviceLevel: 100 });
    expect(computeFigures([late], threshold, onThe23rd, { ...o, dayStart: day23 })).toMatchObject({ offered: 0, answered: 0, serviceLevel: null });
    // Still waiting across midnight: in the live figures of the new day, not in its totals.
    const stillWaiting = call('2026-11-22T20:59:30Z', {});
    expect(computeFigures([stillWaiting], threshold, new Date('2026-11-22T21:00:30Z'), { ...o, dayStart: day23 })).toMatchObject({ offered: 0, waiting: 1, longestWaitSec: 60 });
    expect(figureDefinitions(o).day).toMatch(/ПОСТУПИЛ/);
  });

  it('local midnight follows the zone, across a daylight-saving change', () => {
    expect(localDayStart(new Date('2026-03-10T21:30:00Z'), 'Europe/Moscow').toISOString()).toBe('2026-03-10T21:00:00.000Z');
    // Berlin switches to summer time at 02:00 on 29 March 2026: midnight was still UTC+1.
    expect(localDayStart(new Date('2026-03-29T12:00:00Z'), 'Europe/Berlin').toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(localDayStart(new Date('2026-10-25T12:00:00Z'), 'Europe/Berlin').toISOString()).toBe('2026-10-24T22:00:00.000Z');
  });

  it('the day chart: 15-minute buckets of the most calls waiting at once and the service level of calls arriving', () => {
    const dayStart = new Date('2026-11-22T21:00:00Z');
    const at = (min: number, sec = 0) => new Date(dayStart.getTime() + (min * 60 + sec) * 1000).toISOString();
    const calls = [
      call(at(1), { answerSec: 10, endSec: 60 }), // bucket 0, met
      call(at(2), { answerSec: 40, endSec: 60 }), // bucket 0, overlaps the next one
      call(at(2, 5), { endSec: 20, outcome: 'abandoned' }), // bucket 0: two waiting at once at 00:02:05
      call(at(14, 50), { answerSec: 30, endSec: 60 }), // arrives in bucket 0, waits across into bucket 1
    ];
    const chart = dayChart(calls, threshold, dayStart, new Date(at(40)), o);
    expect(chart).toHaveLength(3);
    expect(chart[0]).toEqual({ from: '2026-11-22T21:00:00.000Z', waitingMax: 2, serviceLevel: 25 });
    expect(chart[1]).toEqual({ from: '2026-11-22T21:15:00.000Z', waitingMax: 1, serviceLevel: null });
    expect(chart[2]).toEqual({ from: '2026-11-22T21:30:00.000Z', waitingMax: 0, serviceLevel: null });
  });
});
