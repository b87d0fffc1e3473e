import { describe, expect, it } from 'vitest';
import { localParts, onShift, overlaps, type Shift } from '../../../src/domain/schedule.js';

const weekdays = 0b0011111; // Mon–Fri
const day: Shift = { weekdays, from: '08:00', to: '17:00', zoneId: null };
const night: Shift = { weekdays: 0b1000000, from: '22:00', to: '06:00', zoneId: null }; // Sunday night into Monday

describe('on shift at a time', () => {
  // 2026-12-07 is a Monday. Vologda is UTC+3 all year.
  it.each([
    ['2026-12-07T05:30:00Z', 'Europe/Moscow', day, true], // 08:30 Mon
    ['2026-12-07T04:59:00Z', 'Europe/Moscow', day, false], // 07:59
    ['2026-12-07T14:00:00Z', 'Europe/Moscow', day, false], // 17:00: the end is exclusive
    ['2026-12-12T06:00:00Z', 'Europe/Moscow', day, false], // Saturday
    ['2026-12-06T20:00:00Z', 'Europe/Moscow', night, true], // Sunday 23:00
    ['2026-12-07T02:00:00Z', 'Europe/Moscow', night, true], // Monday 05:00, started Sunday
    ['2026-12-08T02:00:00Z', 'Europe/Moscow', night, false], // Tuesday 05:00: Monday has no night shift
  ])('%s in %s', (at, tz, shift, expected) => {
    expect(onShift([shift], [], new Date(at), tz)).toBe(expected);
  });

  it('follows DST: the same UTC instant is on shift in summer time, not in winter time', () => {
    // Berlin: 06:30 UTC is 08:30 CEST on Monday 2026-03-30, but 07:30 CET on Monday 2026-03-23.
    expect(onShift([day], [], new Date('2026-03-30T06:30:00Z'), 'Europe/Berlin')).toBe(true);
    expect(onShift([day], [], new Date('2026-03-23T06:30:00Z'), 'Europe/Berlin')).toBe(false);
    expect(localParts(new Date('2026-03-29T01:30:00Z'), 'Europe/Berlin')).toEqual({ date: '2026-03-29', weekday: 6, minutes: 3 * 60 + 30 });
  });

  it('vacation and sick leave take the day off; validity dates bound the shift', () => {
    const at = new Date('2026-12-07T06:00:00Z');
    expect(onShift([day], [{ from: '2026-12-07', to: '2026-12-20', kind: 'vacation' }], at, 'Europe/Moscow')).toBe(false);
    expect(onShift([day], [{ from: '2026-12-01', to: '2026-12-06', kind: 'sick' }], at, 'Europe/Moscow')).toBe(true);
    expect(onShift([{ ...day, validFrom: '2026-12-08' }], [], at, 'Europe/Moscow')).toBe(false);
    // A night shift that began before the leave started still counts on the morning after.
    expect(onShift([night], [{ from: '2026-12-07', to: '2026-12-07', kind: 'other' }], new Date('2026-12-07T02:00:00Z'), 'Europe/Moscow')).toBe(true);
  });

  it('a shift bound to a zone counts only in that zone', () => {
    const at = new Date('2026-12-07T06:00:00Z');
    expect(onShift([{ ...day, zoneId: 5 }], [], at, 'Europe/Moscow', [5, 6])).toBe(true);
    expect(onShift([{ ...day, zoneId: 5 }], [], at, 'Europe/Moscow', [6])).toBe(false);
  });
});

describe('overlapping shifts', () => {
  it.each([
    ['same days, crossing hours', [day, { ...day, from: '16:00', to: '20:00' }], [{ a: 0, b: 1, weekday: 'пн', from: '16:00', to: '17:00' }]],
    ['back to back', [day, { ...day, from: '17:00', to: '20:00' }], []],
    ['different days', [day, { ...day, weekdays: 0b1100000 }], []],
    ['different zones', [{ ...day, zoneId: 1 }, { ...day, zoneId: 2 }], []],
    ['a zoneless shift meets every zone', [{ ...day, zoneId: null }, { ...day, zoneId: 2, from: '09:00', to: '10:00' }], [{ a: 0, b: 1, weekday: 'пн', from: '09:00', to: '10:00' }]],
    ['disjoint validity', [{ ...day, validTo: '2026-06-30' }, { ...day, validFrom: '2026-07-01' }], []],
    ['Sunday night runs into Monday morning', [night, { ...day, from: '05:00', to: '12:00' }], [{ a: 0, b: 1, weekday: 'пн', from: '05:00', to: '06:00' }]],
  ])('%s', (_name, shifts, expected) => {
    expect(overlaps(shifts as Shift[])).toEqual(expected);
  });
});
