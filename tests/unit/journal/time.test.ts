// The journal's clock face: room time as dd.mm.yyyy hh:mm, local months and
// days as UTC bounds, across a DST change.
import { describe, expect, it } from 'vitest';
import { dayRange, formatLocal, localMonth, monthRange, previousMonth } from '../../../src/features/journal/time.js';
import { csvField, guardFormula } from '../../../src/features/journal/writers.js';
import { deadlineState } from '../../../src/features/journal/columns.js';

describe('room time', () => {
  it('formats an instant in the zone', () => {
    expect(formatLocal('2026-11-30T20:59:00Z', 'Europe/Moscow')).toBe('30.11.2026 23:59');
    expect(formatLocal('2026-11-30T21:00:00Z', 'Europe/Moscow')).toBe('01.12.2026 00:00');
    expect(formatLocal('2026-07-01T10:05:00Z', 'Asia/Vladivostok')).toBe('01.07.2026 20:05');
    // Berlin: +1 in winter, +2 in summer (the switch on 29.03.2026 at 01:00 UTC).
    expect(formatLocal('2026-03-29T00:59:00Z', 'Europe/Berlin')).toBe('29.03.2026 01:59');
    expect(formatLocal('2026-03-29T01:00:00Z', 'Europe/Berlin')).toBe('29.03.2026 03:00');
    expect(formatLocal('2026-01-15T12:00:00Z', 'Asia/Kolkata')).toBe('15.01.2026 17:30');
    expect(formatLocal(null, 'Europe/Moscow')).toBe('');
    expect(formatLocal('not a date', 'Europe/Moscow')).toBe('');
  });

  it('turns a local month and local days into UTC bounds', () => {
    expect(monthRange('2026-11', 'Europe/Moscow')).toEqual({ from: '2026-10-31T21:00:00.000Z', to: '2026-11-30T21:00:00.000Z', firstDay: '2026-11-01', lastDay: '2026-11-30' });
    expect(monthRange('2026-12', 'Europe/Moscow').to).toBe('2026-12-31T21:00:00.000Z');
    expect(monthRange('2024-02', 'UTC').lastDay).toBe('2024-02-29');
    // March in Berlin starts at +1 and ends at +2.
    expect(monthRange('2026-03', 'Europe/Berlin')).toMatchObject({ from: '2026-02-28T23:00:00.000Z', to: '2026-03-31T22:00:00.000Z' });
    expect(dayRange('2026-11-03', '2026-11-03', 'Europe/Moscow')).toEqual({ from: '2026-11-02T21:00:00.000Z', to: '2026-11-03T21:00:00.000Z' });
  });

  it('names the month of an instant in room time and the month before', () => {
    expect(localMonth(new Date('2026-11-30T21:30:00Z'), 'Europe/Moscow')).toBe('2026-12');
    expect(localMonth(new Date('2026-11-30T21:30:00Z'), 'UTC')).toBe('2026-11');
    expect(previousMonth('2026-01')).toBe('2025-12');
    expect(previousMonth('2026-12')).toBe('2026-11');
  });
});

describe('cells', () => {
  it('defuses what a spreadsheet would run as a formula and quotes CSV fields', () => {
    for (const s of ['=1+1', '+7 916', '-2', '@SUM(A1)', '\tx', '\rx']) expect(guardFormula(s)).toBe(`'${s}`);
    expect(guardFormula('Иванова')).toBe('Иванова');
    expect(guardFormula('')).toBe('');
    expect(csvField('ул. Мира; д. 3 "А"')).toBe('"ул. Мира; д. 3 ""А"""');
    expect(csvField('две\nстроки')).toBe('"две\nстроки"');
    expect(csvField('=A1;B1')).toBe(`"'=A1;B1"`);
    expect(csvField('просто')).toBe('просто');
  });

  it('judges the deadline by completion, or by now while open', () => {
    const now = new Date('2026-11-10T12:00:00Z');
    expect(deadlineState({ dueAt: null, doneAt: null, closedAt: null }, now)).toBe('none');
    expect(deadlineState({ dueAt: '2026-11-10T10:00:00Z', doneAt: '2026-11-10T10:00:00Z', closedAt: null }, now)).toBe('met');
    expect(deadlineState({ dueAt: '2026-11-10T10:00:00Z', doneAt: '2026-11-10T10:00:01Z', closedAt: null }, now)).toBe('late');
    expect(deadlineState({ dueAt: '2026-11-10T10:00:00Z', doneAt: null, closedAt: '2026-11-10T09:00:00Z' }, now)).toBe('met');
    expect(deadlineState({ dueAt: '2026-11-10T13:00:00Z', doneAt: null, closedAt: null }, now)).toBe('running');
    expect(deadlineState({ dueAt: '2026-11-10T11:00:00Z', doneAt: null, closedAt: null }, now)).toBe('late');
  });
});
