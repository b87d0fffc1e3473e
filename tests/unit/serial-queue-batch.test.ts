// Issue 15 (screen pop at 20 simultaneous calls): callers arriving back to
// back are admitted in one routing step. The serial queue joins items of one
// kind only while nothing else was queued after them, so no step ever sees
// events out of the order the PBX sent them.
import { describe, expect, it } from 'vitest';
import { SerialQueue } from '../../src/features/routing/serial-queue.js';
import { silentLogger } from '../../src/log.js';

function recorder() {
  const q = new SerialQueue(silentLogger);
  const log: string[] = [];
  const arrive = (item: string) => q.enqueueBatch('arrivals', item, (items) => void log.push(`arrivals ${items.join(',')}`));
  const other = (what: string) => q.enqueue(what, () => void log.push(what));
  return { q, log, arrive, other };
}

describe('SerialQueue.enqueueBatch', () => {
  it('items queued back to back run as one step, in the order they came', async () => {
    const { q, log, arrive } = recorder();
    const done = [arrive('c1'), arrive('c2'), arrive('c3')];
    await q.idle();
    expect(log).toEqual(['arrivals c1,c2,c3']);
    expect(new Set(done).size).toBe(1); // one step: every item settles with it
  });

  it('a step queued between two items keeps its place: the batch splits around it', async () => {
    const { q, log, arrive, other } = recorder();
    void arrive('c1');
    void other('c1 hung up');
    void arrive('c2');
    void arrive('c3');
    await q.idle();
    expect(log).toEqual(['arrivals c1', 'c1 hung up', 'arrivals c2,c3']);
  });

  it('an item coming while its batch runs makes a new step after it, and another kind never joins', async () => {
    const q = new SerialQueue(silentLogger);
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    void q.enqueueBatch('arrivals', 'c1', async (items) => {
      log.push(`start ${items.join(',')}`);
      await gate;
      log.push('end');
    });
    await new Promise((r) => setTimeout(r, 0)); // the first batch has started
    void q.enqueueBatch('arrivals', 'c2', (items) => void log.push(`arrivals ${items.join(',')}`));
    void q.enqueueBatch('menu-keys', 'k1', (items) => void log.push(`keys ${items.join(',')}`));
    void q.enqueueBatch('arrivals', 'c3', (items) => void log.push(`arrivals ${items.join(',')}`));
    release();
    await q.idle();
    expect(log).toEqual(['start c1', 'end', 'arrivals c2', 'keys k1', 'arrivals c3']);
  });

  it('a batch that meets a busy database is tried again with the same items', async () => {
    const q = new SerialQueue(silentLogger);
    const seen: string[][] = [];
    let tries = 0;
    void q.enqueueBatch('arrivals', 'c1', (items) => {
      seen.push([...items]);
      if (++tries === 1) throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    });
    void q.enqueueBatch('arrivals', 'c2', () => undefined);
    await q.idle();
    expect(seen).toEqual([['c1', 'c2'], ['c1', 'c2']]);
  });
});
