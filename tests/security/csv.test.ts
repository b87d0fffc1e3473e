// Issue 9, item 12: a CSV import whose first line never ends (or a record
// that never ends) is refused at once with a short error — the reader stops
// at its cap instead of rescanning a growing header, and the error does not
// echo the whole header back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer } from '../support/test-server.js';
import { login } from '../../scripts/lib/pult-process.js';
import { CsvError, csvLimits, readCsv } from '../../src/features/directory/csv.js';
import type { Server } from '../support/security-probes.js';

let s: Server;
let admin = '';

beforeAll(async () => {
  s = await testServer({ PULT_DEMO_DATA: 'on', PULT_DEMO_ACCOUNTS: '0' });
  admin = await login(s.url, 'admin', 'demo');
});

afterAll(async () => {
  await s?.stop();
});

const importCsv = (body: string) =>
  fetch(`${s.url}/api/directory/import`, { method: 'POST', headers: { 'content-type': 'text/csv; charset=utf-8', authorization: `Bearer ${admin}` }, body });

/** `n` chunks of `size` bytes of `byte`, counting how many the reader pulled. */
function counted(n: number, size: number, first = '', byte = 'a'): { source: Iterable<Uint8Array>; pulled: () => number } {
  let pulled = 0;
  const chunk = Buffer.alloc(size, byte);
  return {
    source: (function* () {
      for (let i = 0; i < n; i++) {
        pulled++;
        yield i === 0 && first ? Buffer.concat([Buffer.from(first), chunk]) : chunk;
      }
    })(),
    pulled: () => pulled,
  };
}

async function drain(source: Iterable<Uint8Array>, o: Parameters<typeof readCsv>[1] = {}): Promise<unknown> {
  try {
    let n = 0;
    for await (const r of readCsv(source, o)) n += r.fields.length;
    return n;
  } catch (err) {
    return err;
  }
}

describe('the CSV reader stops at its caps', () => {
  it('a 20 MB first line without a line break: refused after the header cap, not after 20 MB', async () => {
    const src = counted(320, 64 * 1024); // 20 MB in 64 KiB chunks
    const err = await drain(src.source);
    expect(err).toBeInstanceOf(CsvError);
    expect((err as CsvError).line).toBe(1);
    // The cap is 64 KiB: the reader pulls at most a couple of chunks past it.
    expect(src.pulled()).toBeLessThanOrEqual(Math.ceil(csvLimits.maxHeaderChars / (64 * 1024)) + 2);
  });

  it('the same with a forced delimiter (no detection pass)', async () => {
    const src = counted(320, 64 * 1024);
    const err = await drain(src.source, { delimiter: ';' });
    expect(err).toBeInstanceOf(CsvError);
    expect(src.pulled()).toBeLessThanOrEqual(3);
  });

  it('a data record that never ends is refused at the record cap', async () => {
    const src = counted(320, 64 * 1024, 'ЛС;ФИО;Адрес\n1;"');
    const err = await drain(src.source);
    expect(err).toBeInstanceOf(CsvError);
    expect((err as CsvError).line).toBe(2);
    expect(src.pulled()).toBeLessThanOrEqual(Math.ceil(csvLimits.maxRecordChars / (64 * 1024)) + 2);
  });

  it('ordinary files still read (a header, quoted line breaks, CRLF)', async () => {
    const rows: string[][] = [];
    for await (const r of readCsv([Buffer.from('a;b\r\n1;"x\r\ny"\r\n2;z')])) rows.push(r.fields);
    expect(rows).toEqual([['a', 'b'], ['1', 'x\r\ny'], ['2', 'z']]);
  });
});

describe('POST /api/directory/import with hostile files', () => {
  it('a 20 MB single-line file is a clear 400, fast', async () => {
    const r = await importCsv('a'.repeat(20 * 1024 * 1024));
    expect(r.status).toBe(400);
    const text = await r.text();
    expect(text.length).toBeLessThan(1000);
    expect(JSON.parse(text).error.code).toBe('bad_csv');
  }, 20_000);

  it('a header of 2,500 columns (under the cap) is not echoed back in full', async () => {
    const header = Array.from({ length: 2500 }, (_, i) => `column_${i}_${'x'.repeat(10)}`).join(';');
    const r = await importCsv(`${header}\n1;2\n`);
    expect(r.status).toBe(400);
    const text = await r.text();
    expect(JSON.parse(text).error.code).toBe('bad_header');
    expect(text.length).toBeLessThan(8000);
    expect(text).not.toContain('column_2499_');
  });
});
