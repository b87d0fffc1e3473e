import { describe, expect, it } from 'vitest';
import { chooseExecutor, type AssignTarget, type Candidate } from '../../../src/domain/assignment.js';

const PLUMBER = 1;
const ELECTRICIAN = 2;
const allWeek = { weekdays: 127, from: '00:00', to: '00:00', zoneId: null };
const dayShift = { weekdays: 127, from: '08:00', to: '17:00', zoneId: null };
const c = (userId: number, o: Partial<Candidate> = {}): Candidate => ({
  userId, specialityIds: [PLUMBER], buildingIds: [10], zoneIds: [], shifts: [allWeek], exceptions: [], openLoad: 0, lastAssignedAt: null, ...o,
});
const target: AssignTarget = { buildingId: 10, zoneIds: [7], specialityId: PLUMBER, at: new Date('2026-12-07T06:00:00Z'), timeZone: 'Europe/Moscow' }; // Mon 09:00

describe('the assignment choice', () => {
  it.each<[string, Candidate[], Partial<AssignTarget>, number | null]>([
    ['the only plumber of the building', [c(1)], {}, 1],
    ['serves through a zone holding the building', [c(1, { buildingIds: [], zoneIds: [7] })], {}, 1],
    ['a zone not holding the building does not count', [c(1, { buildingIds: [], zoneIds: [8] })], {}, null],
    ['another building', [c(1, { buildingIds: [11] })], {}, null],
    ['wrong speciality', [c(1, { specialityIds: [ELECTRICIAN] })], {}, null],
    ['no speciality needed: any executor of the building', [c(1, { specialityIds: [ELECTRICIAN] })], { specialityId: null }, 1],
    ['off shift at 18:00', [c(1, { shifts: [dayShift] })], { at: new Date('2026-12-07T15:00:00Z') }, null],
    ['on shift at the booked time', [c(1, { shifts: [dayShift] })], { at: new Date('2026-12-08T07:00:00Z') }, 1],
    ['on vacation', [c(1, { exceptions: [{ from: '2026-12-01', to: '2026-12-31', kind: 'vacation' }] })], {}, null],
    ['the least loaded wins', [c(1, { openLoad: 3 }), c(2, { openLoad: 1 }), c(3, { openLoad: 2 })], {}, 2],
    ['tie: the longest since the last assignment', [c(1, { lastAssignedAt: '2026-12-07T05:00:00Z' }), c(2, { lastAssignedAt: '2026-12-06T05:00:00Z' })], {}, 2],
    ['tie: never assigned before beats assigned', [c(1, { lastAssignedAt: '2026-12-07T05:00:00Z' }), c(2)], {}, 2],
    ['tie: the lowest id', [c(5), c(3), c(4)], {}, 3],
    ['the least loaded off shift loses to a busier one on shift', [c(1, { openLoad: 0, shifts: [{ ...dayShift, from: '12:00' }] }), c(2, { openLoad: 4 })], {}, 2],
    ['a shift bound to another zone does not count', [c(1, { shifts: [{ ...allWeek, zoneId: 9 }] })], {}, null],
    ['nobody at all', [], {}, null],
  ])('%s', (_name, cands, t, expected) => {
    expect(chooseExecutor(cands, { ...target, ...t }).userId).toBe(expected);
  });

  it('says why nobody was chosen', () => {
    expect(chooseExecutor([c(1, { specialityIds: [ELECTRICIAN] })], target)).toEqual({ userId: null, reason: 'нет исполнителей нужной специальности для этого дома' });
  });
});
