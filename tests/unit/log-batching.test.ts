// The server log (stdout, written synchronously on Linux) goes out once per
// turn of the event loop, not once per line: a burst of calls does not wait on it.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/log.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the stdout log', () => {
  it('lines logged in one turn are written together right after it, in order', async () => {
    const writes: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    const log = createLogger('info', { svc: 'test' });
    log.info('call arrived', { callId: 'a' });
    log.debug('not at this level');
    log.info('offering call to operator', { callId: 'a' });
    log.warn('could not ring', { callId: 'a' });
    expect(writes).toEqual([]);
    await new Promise((r) => setImmediate(r));
    expect(writes).toHaveLength(1);
    const lines = writes[0]!.trimEnd().split('\n').map((l) => JSON.parse(l) as { msg: string; svc: string });
    expect(lines.map((l) => l.msg)).toEqual(['call arrived', 'offering call to operator', 'could not ring']);
    expect(lines.every((l) => l.svc === 'test')).toBe(true);
  });
});
