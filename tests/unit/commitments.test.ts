// Decree 416 figures for the wallboard (issue 15, item 4): today's share of
// calls answered within 5 minutes and of callbacks made by their due time;
// open tasks overdue or near due alarm.
import { describe, expect, it } from 'vitest';
import { commitments, taskAlarm } from '../../src/domain/commitments.js';

const now = new Date('2026-11-23T12:00:00Z');
const at = (min: number) => new Date(now.getTime() + min * 60_000).toISOString();

describe('commitments', () => {
  it('answered within 5 minutes: of the calls already decided (answered, ended, or waiting past 5 min)', () => {
    const r = commitments([
      { arrivedAt: at(-60), answeredAt: at(-59), state: 'ended' }, // 1 min: met
      { arrivedAt: at(-60), answeredAt: at(-54), state: 'ended' }, // 6 min: missed
      { arrivedAt: at(-30), answeredAt: null, state: 'ended' }, // abandoned: missed
      { arrivedAt: at(-6), answeredAt: null, state: 'waiting' }, // waiting 6 min: missed already
      { arrivedAt: at(-1), answeredAt: null, state: 'waiting' }, // not decided yet
    ], [], [], now);
    expect(r.answeredWithin5Min).toEqual({ met: 1, of: 4, pct: 25 });
  });

  it('callbacks in time: connected or called in by the due time; done late, done by hand or overdue open ones count against', () => {
    const task = (dueMin: number, doneMin: number | null, doneReason: string | null) => ({ createdAt: at(-30), dueAt: at(dueMin), doneAt: doneMin === null ? null : at(doneMin), doneReason, status: doneMin === null ? 'pending' : 'done' });
    const r = commitments([], [
      task(-20, -25, 'connected'), // in time
      task(-20, -21, 'called-in'), // in time
      task(-20, -10, 'connected'), // late
      task(-20, -25, 'manual'), // by hand: not a callback made
      task(-5, null, null), // overdue, open
      task(+5, null, null), // still has time: not counted
    ], [], now);
    expect(r.callbacksInTime).toEqual({ met: 2, of: 5, pct: 40 });
    expect(commitments([], [], [], now).callbacksInTime.pct).toBeNull();
  });

  it('alarms: overdue past the due time, near within 2 minutes of it', () => {
    expect(taskAlarm(at(-0.1), now)).toBe('overdue');
    expect(taskAlarm(at(1.5), now)).toBe('near');
    expect(taskAlarm(at(3), now)).toBeNull();
    const open = [at(-1), at(1), at(10)].map((dueAt) => ({ createdAt: at(-10), dueAt, doneAt: null, doneReason: null, status: 'pending' }));
    expect(commitments([], [], open, now)).toMatchObject({ callbacksOverdue: 1, callbacksNearDue: 1 });
  });
});
