// The PBX's fallback call log line (dialplan/extensions.conf [pult-fallback-log]).
import { describe, expect, it } from 'vitest';
import { fallbackAnsweredAt, fallbackOutcome, parseFallbackLine } from '../../src/features/fallback-import/record.js';

const answered = 'v1|1796178845.0|1796178845.0|74950000001|79168459261|1796178845.933|1796178848.754|ANSWER|2|79990000001|fallback/20261202-023405-1796178845.0';
const cancelled = 'v1|1796178848.2|1796178848.2|74950000001|79168459262|1796178848.759|1796178849.766|CANCEL|||fallback/20261202-023408-1796178848.2';

describe('fallback call log line', () => {
  it('reads a call the mobile answered: outcome, times, number', () => {
    const r = parseFallbackLine(answered)!;
    expect(r).toMatchObject({ uniqueId: '1796178845.0', did: '74950000001', callerNumber: '79168459261', dialStatus: 'ANSWER', answeredSec: 2, answeredNumber: '79990000001', recordingName: 'fallback/20261202-023405-1796178845.0' });
    expect(r.startedAt.toISOString()).toBe('2026-12-02T02:34:05.933Z');
    expect(fallbackOutcome(r)).toBe('overflowed-answered');
    expect(fallbackAnsweredAt(r)!.toISOString()).toBe('2026-12-02T02:34:06.754Z');
  });

  it('a caller who hung up while the mobile rang abandoned; nobody answering is unanswered', () => {
    const r = parseFallbackLine(cancelled)!;
    expect(fallbackOutcome(r)).toBe('abandoned');
    expect(fallbackAnsweredAt(r)).toBeNull();
    expect(fallbackOutcome(parseFallbackLine(cancelled.replace('CANCEL', 'NOANSWER'))!)).toBe('unanswered');
    expect(fallbackOutcome(parseFallbackLine(cancelled.replace('CANCEL', 'BUSY'))!)).toBe('unanswered');
  });

  it('refuses lines that are not a whole v1 record', () => {
    expect(parseFallbackLine('')).toBeNull();
    expect(parseFallbackLine(answered.replace('v1|', 'v2|'))).toBeNull();
    expect(parseFallbackLine(answered.slice(0, 60))).toBeNull(); // cut by a crash
    expect(parseFallbackLine(answered + '|extra')).toBeNull();
    expect(parseFallbackLine(answered.replace('fallback/', '../../etc/'))).toBeNull(); // recording outside the fallback folder
    expect(parseFallbackLine(answered.replace('1796178848.754', '1796178800.000'))).toBeNull(); // ends before it starts
  });
});
