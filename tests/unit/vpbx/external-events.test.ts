import { describe, expect, it } from 'vitest';
import { dedupeEvents, eventKey, type ExternalCallEvent } from '../../../src/telephony/vpbx/external-events.js';
import { agent, callerNumber, safeEqual, zonedLocalToIso } from '../../../src/telephony/vpbx/shared.js';

const base = { source: 'mango:k', externalId: 'E1' };

describe('eventKey', () => {
  it('is the same for the same event whatever its time', () => {
    const a: ExternalCallEvent = { ...base, kind: 'call.answered', at: '2026-03-10T06:15:09.000Z', agent: { extension: '101' } };
    const b: ExternalCallEvent = { ...a, at: '2026-03-10T06:15:10.000Z' };
    expect(eventKey(a)).toBe(eventKey(b));
    expect(eventKey(a)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('differs by source, call, kind, agent and recording', () => {
    const e: ExternalCallEvent = { ...base, kind: 'call.ringing', at: 'x', agent: { extension: '101' } };
    const keys = new Set([
      eventKey(e),
      eventKey({ ...e, source: 'mango:other' }),
      eventKey({ ...e, externalId: 'E2' }),
      eventKey({ ...e, agent: { extension: '102' } }),
      eventKey({ ...base, kind: 'call.answered', at: 'x', agent: { extension: '101' } }),
      eventKey({ ...base, kind: 'call.recording', at: 'x', recording: { vendorRecordingId: 'R1' } }),
      eventKey({ ...base, kind: 'call.recording', at: 'x', recording: { vendorRecordingId: 'R2' } }),
    ]);
    expect(keys.size).toBe(7);
  });

  it('dedupeEvents keeps the first of each key', () => {
    const first: ExternalCallEvent = { ...base, kind: 'call.incoming', caller: '79161234567', did: null, at: 'a' };
    const again: ExternalCallEvent = { ...first, at: 'b' };
    expect(dedupeEvents([first, again])).toEqual([first]);
  });
});

describe('shared helpers', () => {
  it('safeEqual: equal → true; different or different length or missing → false, never throws', () => {
    expect(safeEqual('secret-1', 'secret-1')).toBe(true);
    expect(safeEqual('secret-2', 'secret-1')).toBe(false);
    expect(safeEqual('short', 'a-much-longer-secret')).toBe(false);
    expect(safeEqual('', 'x')).toBe(false);
    expect(safeEqual(undefined, 'x')).toBe(false);
    expect(safeEqual(['secret-1'], 'secret-1')).toBe(false);
    expect(safeEqual('anything', '')).toBe(false); // an unconfigured secret never matches
    expect(safeEqual('ключ', 'ключ')).toBe(true);
    expect(safeEqual('ключ', 'kluc')).toBe(false); // same characters count, different byte length
  });

  it('zonedLocalToIso converts wall-clock time in a zone to UTC', () => {
    expect(zonedLocalToIso('2026-03-10 09:15:00', 'Europe/Moscow')).toBe('2026-03-10T06:15:00.000Z');
    expect(zonedLocalToIso('2026-03-10 09:15:00', 'Asia/Yekaterinburg')).toBe('2026-03-10T04:15:00.000Z');
    expect(zonedLocalToIso('2026-07-01 12:00:00', 'Europe/Berlin')).toBe('2026-07-01T10:00:00.000Z'); // summer time
    expect(() => zonedLocalToIso('10.03.2026 09:15', 'Europe/Moscow')).toThrow();
  });

  it('callerNumber normalises and nulls withheld numbers; agent drops SIP URIs and empty parts', () => {
    expect(callerNumber('+7 (916) 123-45-67')).toBe('79161234567');
    expect(callerNumber('anonymous')).toBeNull();
    expect(callerNumber('')).toBeNull();
    expect(agent({ pbxLogin: 'ivanov', extension: '', number: 'sip:op@x.ru' })).toEqual({ pbxLogin: 'ivanov' });
    expect(agent({ extension: '101', number: '89161234567' })).toEqual({ extension: '101', number: '79161234567' });
  });
});
