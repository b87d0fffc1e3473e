// The slots a resident may book (issue 14 item 3): executors serving the
// building, with the speciality, on shift for the whole slot, not booked.
import { describe, expect, it } from 'vitest';
import { dayStarts, freeExecutors, freeSlots, localInstant, onGrid, type SlotExecutor, type SlotQuery } from '../../../src/domain/booking-slots.js';

const TZ = 'Europe/Moscow'; // UTC+3, no DST
const WEEKDAYS = 0b0011111; // Monday–Friday
const plumber = 1;
const electrician = 2;

const exec = (userId: number, o: Partial<SlotExecutor> = {}): SlotExecutor => ({
  userId, specialityIds: [plumber], buildingIds: [10], zoneIds: [], shifts: [{ weekdays: WEEKDAYS, from: '09:00', to: '18:00', zoneId: null }], exceptions: [], busy: [], ...o,
});
// 2026-03-09 is a Monday; "now" is the Sunday before, so the lead time never cuts Monday.
const q = (o: Partial<SlotQuery> = {}): SlotQuery => ({
  buildingId: 10, zoneIds: [], specialityId: plumber, from: '2026-03-09', days: 1, durationMin: 60, hours: { from: '08:00', to: '20:00' },
  now: new Date('2026-03-08T09:00:00Z'), leadMin: 120, timeZone: TZ, ...o,
});
const times = (slots: { start: string }[]) => slots.map((s) => s.start);

describe('freeSlots', () => {
  it('offers the hours of the shift inside the booking hours, on the visit grid, in the company’s time zone', () => {
    const slots = freeSlots([exec(1)], q());
    // 09:00–18:00 Moscow = 06:00–15:00 UTC: nine one-hour visits.
    expect(times(slots)).toEqual(['06', '07', '08', '09', '10', '11', '12', '13', '14'].map((h) => `2026-03-09T${h}:00:00.000Z`));
    expect(slots[0]!.end).toBe('2026-03-09T07:00:00.000Z');
    expect(slots[0]!.executorIds).toEqual([1]);
  });

  it('drops a slot only partly covered by the shift (a 90-minute visit from 17:30 would end after 18:00)', () => {
    const slots = freeSlots([exec(1)], q({ durationMin: 90 }));
    // Grid from 08:00 every 90 min: 09:30, 11:00, 12:30, 14:00, 15:30 fit (08:00 starts before the shift, 17:00 ends after it).
    expect(times(slots).map((t) => localHour(t))).toEqual(['09:30', '11:00', '12:30', '14:00', '15:30']);
  });

  it('a booked visit takes the slot away; another executor keeps it open', () => {
    const busy = [{ start: '2026-03-09T07:00:00.000Z', end: '2026-03-09T08:00:00.000Z' }];
    expect(times(freeSlots([exec(1, { busy })], q()))).not.toContain('2026-03-09T07:00:00.000Z');
    const both = freeSlots([exec(1, { busy }), exec(2)], q());
    expect(both.find((s) => s.start === '2026-03-09T07:00:00.000Z')?.executorIds).toEqual([2]);
    expect(both.find((s) => s.start === '2026-03-09T06:00:00.000Z')?.executorIds).toEqual([1, 2]);
  });

  it('a booking overlapping only part of a slot (another category’s 30-minute visit) also takes it', () => {
    const busy = [{ start: '2026-03-09T07:30:00.000Z', end: '2026-03-09T08:00:00.000Z' }];
    expect(times(freeSlots([exec(1, { busy })], q()))).not.toContain('2026-03-09T07:00:00.000Z');
  });

  it('only executors serving the building (listed or through a zone) with the speciality count', () => {
    expect(freeSlots([exec(1, { buildingIds: [11] })], q())).toEqual([]);
    expect(freeSlots([exec(1, { specialityIds: [electrician] })], q())).toEqual([]);
    expect(freeSlots([exec(1, { buildingIds: [], zoneIds: [5] })], q({ zoneIds: [5] }))).toHaveLength(9);
    expect(freeSlots([exec(1, { specialityIds: [electrician] })], q({ specialityId: null }))).toHaveLength(9);
  });

  it('no slots on days off, on vacation, or inside the lead time', () => {
    expect(freeSlots([exec(1)], q({ from: '2026-03-14', days: 2 }))).toEqual([]); // Saturday and Sunday
    expect(freeSlots([exec(1, { exceptions: [{ from: '2026-03-09', to: '2026-03-09', kind: 'vacation' }] })], q())).toEqual([]);
    // Now is Monday 10:30 Moscow; with two hours of lead the first visit is at 13:00.
    expect(localHour(freeSlots([exec(1)], q({ now: new Date('2026-03-09T07:30:00Z') }))[0]!.start)).toBe('13:00');
  });

  it('a shift bound to a zone counts only where that zone holds the building', () => {
    const e = exec(1, { buildingIds: [], zoneIds: [5, 6], shifts: [{ weekdays: WEEKDAYS, from: '09:00', to: '18:00', zoneId: 6 }] });
    expect(freeSlots([e], q({ zoneIds: [5] }))).toEqual([]);
    expect(freeSlots([e], q({ zoneIds: [6] }))).toHaveLength(9);
  });

  it('the fast grid check gives the same answer as checking each start on its own (freeExecutors)', () => {
    const team = [
      exec(1, { shifts: [{ weekdays: WEEKDAYS, from: '09:00', to: '13:30', zoneId: null }], busy: [{ start: '2026-03-10T07:00:00.000Z', end: '2026-03-10T07:45:00.000Z' }] }),
      exec(2, { shifts: [{ weekdays: 0b1111111, from: '20:00', to: '10:00', zoneId: null }] }),
      exec(3, { exceptions: [{ from: '2026-03-11', to: '2026-03-11', kind: 'sick' }] }),
    ];
    for (const durationMin of [30, 45, 60, 90]) {
      const query = q({ days: 7, durationMin, hours: { from: '07:00', to: '21:00' } });
      const slow = [0, 1, 2, 3, 4, 5, 6].flatMap((d) => dayStarts(`2026-03-${String(9 + d).padStart(2, '0')}`, query))
        .map((st) => ({ start: st.toISOString(), executorIds: freeExecutors(team, query, st) }))
        .filter((x) => x.executorIds.length);
      expect(freeSlots(team, query).map(({ start, executorIds }) => ({ start, executorIds }))).toEqual(slow);
    }
  });

  it('spans several days', () => {
    expect(freeSlots([exec(1)], q({ days: 7 }))).toHaveLength(5 * 9);
  });
});

describe('freeExecutors and the grid', () => {
  it('re-checks one start: free executors by id', () => {
    const at = new Date('2026-03-09T08:00:00Z');
    expect(freeExecutors([exec(3), exec(1)], q(), at)).toEqual([1, 3]);
    expect(freeExecutors([exec(1, { busy: [{ start: at.toISOString(), end: '2026-03-09T09:00:00.000Z' }] })], q(), at)).toEqual([]);
  });

  it('a start off the grid is not a slot', () => {
    expect(onGrid(new Date('2026-03-09T08:00:00Z'), q())).toBe(true);
    expect(onGrid(new Date('2026-03-09T08:15:00Z'), q())).toBe(false);
  });

  it('localInstant turns a local wall time into UTC', () => {
    expect(localInstant('2026-03-09', 14 * 60, TZ).toISOString()).toBe('2026-03-09T11:00:00.000Z');
    expect(localInstant('2026-03-29', 3 * 60, 'Europe/Berlin').toISOString()).toBe('2026-03-29T01:00:00.000Z'); // after the spring change (UTC+2)
  });
});

function localHour(iso: string): string {
  return new Date(iso).toLocaleTimeString('ru-RU', { timeZone: TZ, hour: '2-digit', minute: '2-digit' });
}
