// When a reminder call is due, and what the executor hears (pure).
import { describe, expect, it } from 'vitest';
import { leadingNumber, reminderDecision, reminderPrompt } from '../../../src/domain/reminder-calls.js';
import { speakableStreet } from '../../../src/features/executors/reminder-calls/speech.js';

const assignedAt = '2026-12-02T00:00:00.000Z';
const at = (min: number) => new Date(Date.parse(assignedAt) + min * 60_000);
const iso = (min: number) => at(min).toISOString();
const policy = { afterMin: 10, retryMin: 5, maxAttempts: 3 };

describe('reminderDecision', () => {
  it.each([
    ['no call yet, before N minutes', [], 9.9, { action: 'wait', until: at(10) }],
    ['no call yet, at N minutes: the first attempt', [], 10, { action: 'call', attempt: 1 }],
    ['a call in progress holds the next one back', [{ startedAt: iso(10), outcome: null }], 60, { action: 'in-progress' }],
    ['unanswered: the retry waits retryMin after it started', [{ startedAt: iso(10), outcome: 'no-answer' }], 14, { action: 'wait', until: at(15) }],
    ['unanswered: the second attempt at retryMin', [{ startedAt: iso(10), outcome: 'busy' }], 15, { action: 'call', attempt: 2 }],
    ['max attempts made: no more', [{ startedAt: iso(10), outcome: 'no-answer' }, { startedAt: iso(15), outcome: 'other-digit' }, { startedAt: iso(20), outcome: 'hung-up' }], 90, { action: 'exhausted' }],
    ['accepted by a call: no more', [{ startedAt: iso(10), outcome: 'accepted' }], 90, { action: 'exhausted' }],
    ['calls to an earlier assignment do not count', [{ startedAt: iso(-30), outcome: 'no-answer' }, { startedAt: iso(-25), outcome: 'no-answer' }, { startedAt: iso(-20), outcome: null }], 10, { action: 'call', attempt: 1 }],
  ] as const)('%s', (_name, calls, now, expected) => {
    expect(reminderDecision(assignedAt, [...calls], policy, at(now))).toEqual(expected);
  });

  it('fractional minutes (a company that wants 30 seconds)', () => {
    expect(reminderDecision(assignedAt, [], { ...policy, afterMin: 0.5 }, at(0.5))).toEqual({ action: 'call', attempt: 1 });
    expect(reminderDecision(assignedAt, [], { ...policy, afterMin: 0.5 }, at(0.4)).action).toBe('wait');
  });
});

describe('reminderPrompt', () => {
  it('emergency request, the spoken street, house and flat as numbers, press 1', () => {
    expect(reminderPrompt({ requestNumber: '2026-000123', house: '12к1', flat: '45', streetFile: '/var/speech/street-ab' })).toEqual([
      { sound: 'pult/emergency-request' }, { sound: 'pult/address' }, { file: '/var/speech/street-ab' },
      { sound: 'pult/house' }, { number: 12 }, { sound: 'pult/flat' }, { number: 45 }, { sound: 'pult/press-1-to-accept' },
    ]);
  });
  it('without a spoken street the request number stands in; no flat, no flat prompt', () => {
    expect(reminderPrompt({ requestNumber: '2026-000123', house: '7', flat: null, streetFile: null })).toEqual([
      { sound: 'pult/emergency-request' }, { sound: 'pult/request-number' }, { number: 123 },
      { sound: 'pult/house' }, { number: 7 }, { sound: 'pult/press-1-to-accept' },
    ]);
  });
  it('a request with no building: the number and press 1 only', () => {
    expect(reminderPrompt({ requestNumber: 'A-17', house: null, flat: 'подвал', streetFile: null })).toEqual([
      { sound: 'pult/emergency-request' }, { sound: 'pult/request-number' }, { number: 17 }, { sound: 'pult/press-1-to-accept' },
    ]);
  });
  it('leadingNumber', () => {
    expect([leadingNumber('5А'), leadingNumber(' 7/2'), leadingNumber('корп. 3'), leadingNumber(null)]).toEqual([5, 7, null, null]);
  });
});

describe('speakableStreet', () => {
  it.each([
    ['ул. Ленина', 'улица Ленина'],
    ['пр-т  Мира', 'проспект Мира'],
    ['Садовый пер.', 'Садовый переулок'],
    ['б-р «Победы»', 'бульвар Победы'],
    ['Уланская', 'Уланская'],
  ])('%s → %s', (from, to) => expect(speakableStreet(from)).toBe(to));
});
