import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/log.js';

describe('logger (pino behind the Logger interface)', () => {
  const capture = (level: 'debug' | 'info' | 'warn' | 'error' = 'info') => {
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger(level, { svc: 'pult' }, (l) => lines.push(JSON.parse(l) as Record<string, unknown>));
    return { logger, lines };
  };

  it('writes one JSON object per line with time, level label, message, base and fields', () => {
    const { logger, lines } = capture();
    logger.info('call offered', { callId: 'c1' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'info', msg: 'call offered', svc: 'pult', callId: 'c1' });
    expect(typeof lines[0]!.t).toBe('string');
    expect(Number.isNaN(Date.parse(lines[0]!.t as string))).toBe(false);
  });

  it('serializes an Error passed as err with its type, message and stack', () => {
    const { logger, lines } = capture();
    const boom = new TypeError('boom');
    logger.error('routing step failed', { err: boom });
    const err = lines[0]!.err as Record<string, unknown>;
    expect(err.type).toBe('TypeError');
    expect(err.message).toBe('boom');
    expect(String(err.stack)).toContain('log.test.ts');
  });

  it('keeps the stack of an Error in another field too', () => {
    const { logger, lines } = capture();
    logger.warn('PBX command failed', { cause: new Error('nope') });
    expect((lines[0]!.cause as Record<string, unknown>).stack).toEqual(expect.stringContaining('Error: nope'));
  });

  it('filters below the configured level', () => {
    const { logger, lines } = capture('warn');
    logger.debug('x');
    logger.info('y');
    logger.warn('z');
    expect(lines.map((l) => l.msg)).toEqual(['z']);
  });

  it('child loggers add their fields to every line', () => {
    const { logger, lines } = capture();
    logger.child({ part: 'routing' }).child({ callId: 'c9' }).info('hello');
    expect(lines[0]).toMatchObject({ svc: 'pult', part: 'routing', callId: 'c9', msg: 'hello' });
  });
});
