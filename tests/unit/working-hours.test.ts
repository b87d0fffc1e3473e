// Issue 13, item 1: holidays on lines. The pure decision "is the line open
// now?" — the week's hours, overridden on a holiday's local date: closed all
// day (out-of-hours treatment, even on a line open around the clock) or the
// shortened hours of a pre-holiday day. Dates are local to the zone.
import { describe, expect, it } from 'vitest';
import { holidaysSchema, isOpen, localDate, type Holiday, type WorkingHours } from '../../src/domain/working-hours.js';

const tz = 'Europe/Moscow'; // UTC+3, no DST
const weekdays: WorkingHours = { mon: ['08:00', '20:00'], tue: ['08:00', '20:00'], wed: ['08:00', '20:00'], thu: ['08:00', '20:00'], fri: ['08:00', '20:00'], sat: null, sun: null };
const holidays: Holiday[] = [
  { date: '2027-01-01', hours: null, note: 'Новый год' },
  { date: '2026-12-31', hours: ['08:00', '16:00'], note: 'предпраздничный день' },
  { date: '2027-01-09', hours: ['10:00', '14:00'], note: 'рабочая суббота' },
];
const at = (local: string) => new Date(`${local}+03:00`);

describe('isOpen with holidays', () => {
  it.each([
    ['a weekday inside the hours', weekdays, '2026-12-30T12:00', true],
    ['a holiday that falls on a weekday: closed all day', weekdays, '2027-01-01T12:00', false],
    ['a pre-holiday day inside its shortened hours', weekdays, '2026-12-31T15:59', true],
    ['a pre-holiday day after its shortened end (the week would say open)', weekdays, '2026-12-31T16:00', false],
    ['a weekend working day: open in its hours although Saturday is closed', weekdays, '2027-01-09T11:00', true],
    ['the same Saturday outside those hours', weekdays, '2027-01-09T15:00', false],
    ['a line open around the clock is closed on a holiday', null, '2027-01-01T03:00', false],
    ['a line open around the clock, a day without a holiday', null, '2027-01-02T03:00', true],
  ] as const)('%s', (_what, hours, local, open) => {
    expect(isOpen(hours, at(local), tz, holidays)).toBe(open);
  });

  it('the holiday is the local date, not the UTC one: 31 Dec 22:30 UTC is already 1 January in Moscow', () => {
    const instant = new Date('2026-12-31T22:30:00Z');
    const newYear: Holiday[] = [{ date: '2027-01-01', hours: null, note: 'Новый год' }];
    expect(localDate(instant, tz)).toBe('2027-01-01');
    expect(isOpen(null, instant, tz, newYear)).toBe(false);
    expect(isOpen(null, instant, 'UTC', newYear)).toBe(true); // still 31 December there
  });

  it('without holidays the week decides as before', () => {
    expect(isOpen(weekdays, at('2027-01-01T12:00'), tz)).toBe(true);
    expect(isOpen(null, at('2027-01-01T12:00'), tz)).toBe(true);
  });
});

describe('the holidays list', () => {
  it('refuses a date twice, a non-date, and a day that ends before it starts', () => {
    expect(holidaysSchema.safeParse([{ date: '2027-01-01' }, { date: '2027-01-01' }]).success).toBe(false);
    expect(holidaysSchema.safeParse([{ date: '2027-02-30' }]).success).toBe(false);
    expect(holidaysSchema.safeParse([{ date: '2027-01-01', hours: ['16:00', '08:00'] }]).success).toBe(false);
    expect(holidaysSchema.parse([{ date: '2027-01-01' }])).toEqual([{ date: '2027-01-01', hours: null, note: '' }]);
  });
});
