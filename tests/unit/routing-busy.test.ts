// Issue 9, item 13: a routing step that finds the database busy is tried
// again (short backoff) instead of being logged and dropped with the caller.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { routingHarness } from '../support/routing-harness.js';

const busy = () => new Database.SqliteError('database is locked', 'SQLITE_BUSY');

describe('SQLITE_BUSY inside a routing step', () => {
  it('an arriving call whose first write meets a busy database is still stored and offered', async () => {
    const h = routingHarness();
    const a = h.addOperator('a', '1001');
    await h.settle();
    const create = h.calls.create.bind(h.calls);
    let failures = 0;
    h.calls.create = (c) => {
      if (failures++ === 0) throw busy();
      return create(c);
    };

    h.pbx.inbound('c1', '74950000001');
    await h.settle();
    expect(failures).toBeGreaterThanOrEqual(2);
    expect(h.calls.byCallerChannel('c1')).not.toBeNull();
    expect(h.pbx.lastOriginate()?.endpoint).toBe('PJSIP/1001');
    expect(h.operators.get(a)!.state).toBe('ringing');
  });

  it('an API command (run) is retried too and hands back its result', async () => {
    const h = routingHarness();
    let tries = 0;
    const r = await h.router.run('probe', () => {
      if (++tries < 3) throw busy();
      return Promise.resolve('done');
    });
    expect(r).toBe('done');
    expect(tries).toBe(3);
  });

  it('gives up after a few tries, and never retries other errors', async () => {
    const h = routingHarness();
    let busyTries = 0;
    await expect(h.router.run('always busy', () => { busyTries++; throw busy(); })).rejects.toThrow('database is locked');
    expect(busyTries).toBe(4);
    let otherTries = 0;
    await expect(h.router.run('other', () => { otherTries++; throw new Error('boom'); })).rejects.toThrow('boom');
    expect(otherTries).toBe(1);
  });
});
