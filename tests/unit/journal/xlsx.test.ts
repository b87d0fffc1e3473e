// The journal's own XLSX writer (a streamed ZIP of XML parts, no per-cell
// objects): the ZIP reads back entry by entry with matching CRCs; the sheet
// reads back in exceljs cell by cell (escaping, dropped control characters,
// links, frozen titles, widths); the same journal at the same moment is the
// same bytes; a stalled reader stops the writer pulling more pages; a reader
// that goes away ends the export early without an error.
import { Writable } from 'node:stream';
import zlib from 'node:zlib';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { journalColumns, type JournalRecord } from '../../../src/features/journal/columns.js';
import type { JournalDoc } from '../../../src/features/journal/writers.js';
import { columnLetters, writeXlsx, XLSX_HEADER_ROW } from '../../../src/features/journal/xlsx.js';
import { ZipWriter } from '../../../src/features/journal/zip.js';

/** Collects what is written. */
class Sink extends Writable {
  chunks: Buffer[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.chunks.push(chunk);
    cb();
  }
  get bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

/** The entries of a ZIP, read from its central directory (as unzip does), each inflated and CRC-checked. */
function unzip(zip: Buffer): Map<string, Buffer> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  expect(end).toBeGreaterThan(0);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  expect(at + zip.readUInt32LE(end + 12)).toBe(end);
  const out = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const [method, crc, csize, size, nameLen, extraLen, commentLen, local] = [zip.readUInt16LE(at + 10), zip.readUInt32LE(at + 16), zip.readUInt32LE(at + 20), zip.readUInt32LE(at + 24), zip.readUInt16LE(at + 28), zip.readUInt16LE(at + 30), zip.readUInt16LE(at + 32), zip.readUInt32LE(at + 42)];
    const name = zip.subarray(at + 46, at + 46 + nameLen).toString('utf8');
    expect(zip.readUInt32LE(local)).toBe(0x04034b50);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    expect(method).toBe(8);
    const data = zlib.inflateRawSync(zip.subarray(start, start + csize));
    expect(data.length, name).toBe(size);
    expect(zlib.crc32(data) >>> 0, name).toBe(crc);
    // The data descriptor after the data repeats CRC and sizes.
    expect([zip.readUInt32LE(start + csize), zip.readUInt32LE(start + csize + 4), zip.readUInt32LE(start + csize + 8), zip.readUInt32LE(start + csize + 12)]).toEqual([0x08074b50, crc, csize, size]);
    out.set(name, data);
    at += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

const now = new Date('2026-12-01T09:00:00Z');
const ctx = { timeZone: 'Europe/Moscow', now, baseUrl: 'https://pult.example.ru' };

/** A made-up request; `seed` varies the text so it does not compress to nothing. */
function record(id: number, over: Partial<JournalRecord> = {}): JournalRecord {
  const noise = ((id * 2654435761) >>> 0).toString(36);
  return {
    id, number: `2026-${String(id).padStart(6, '0')}`, createdAt: '2026-11-02T07:30:00Z', channel: 'call', registeredBy: `Диспетчер ${noise}`,
    callerName: `Житель ${noise}`, callerPhone: `7916${String(id).padStart(7, '0')}`, anonymousId: null, address: `ул. Ленина, д. ${id % 200}`, flat: String(id % 150),
    accountNumber: null, categoryName: 'Засор канализации', subcategoryName: null, kind: 'emergency', description: `Течёт ${noise} ${noise.split('').reverse().join('')}`,
    handedAt: null, assigneeName: null, acceptedAt: null, doneAt: null, result: null, reason: null, closedAt: null, stageName: 'Новая', stageCode: 'new',
    dueAt: null, recordedCallId: id % 3 === 0 ? `call-${id}` : null, ...over,
  };
}

function doc(pages: Iterable<JournalRecord[]>): JournalDoc {
  return { columns: journalColumns(), ctx, heading: 'Журнал заявок: УК «Тест», 01.11.2026 — 30.11.2026', pages };
}

async function read(bytes: Buffer): Promise<ExcelJS.Worksheet> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb.worksheets[0]!;
}

describe('the ZIP writer', () => {
  it('writes entries of one and of many chunks that read back with their CRCs', async () => {
    const sink = new Sink();
    const zip = new ZipWriter(sink, now);
    await zip.add('a.txt', 'привет, мир');
    await zip.begin('dir/b.xml');
    const parts: string[] = [];
    for (let i = 0; i < 300; i++) {
      const part = `<row r="${i}">${'x'.repeat(i)}${(i * 7919).toString(36)}</row>`.repeat(50);
      parts.push(part);
      await zip.write(part);
    }
    await zip.end();
    await zip.add('empty', '');
    await zip.finish();
    const entries = unzip(sink.bytes);
    expect([...entries.keys()]).toEqual(['a.txt', 'dir/b.xml', 'empty']);
    expect(entries.get('a.txt')!.toString('utf8')).toBe('привет, мир');
    expect(entries.get('dir/b.xml')!.toString('utf8')).toBe(parts.join(''));
    expect(entries.get('empty')!.length).toBe(0);
  });

  it('names columns past Z as a spreadsheet does', () => {
    expect([0, 25, 26, 27, 51, 52, 701, 702].map(columnLetters)).toEqual(['A', 'Z', 'AA', 'AB', 'AZ', 'BA', 'ZZ', 'AAA']);
  });
});

describe('the journal XLSX', () => {
  it('reads back cell by cell: heading, titles, text with XML characters, no control characters, links, frozen titles, widths', async () => {
    const sink = new Sink();
    const rows = [
      record(1, { description: 'Кран <течёт> & "капает" \'сильно\'', callerName: 'Тест\u0001ов\u001f', result: 'строка 1\nстрока 2' }),
      record(3),
      record(4, { description: '=HYPERLINK("http://evil")' }),
    ];
    expect(await writeXlsx(sink, doc([rows]))).toBe(3);
    const ws = await read(sink.bytes);
    const cols = journalColumns();
    expect(ws.name).toBe('Журнал заявок');
    expect(ws.getCell(1, 1).value).toBe('Журнал заявок: УК «Тест», 01.11.2026 — 30.11.2026');
    expect(ws.getCell(1, 1).font).toMatchObject({ bold: true, size: 12 });
    expect((ws.getRow(XLSX_HEADER_ROW).values as unknown[]).slice(1)).toEqual(cols.map((c) => c.title));
    expect(ws.getCell(XLSX_HEADER_ROW, 1).alignment).toMatchObject({ vertical: 'top', wrapText: true });
    expect(ws.rowCount).toBe(5);
    const col = (key: string) => cols.findIndex((c) => c.key === key) + 1;
    expect(ws.getCell(3, col('description')).value).toBe('Кран <течёт> & "капает" \'сильно\'');
    expect(ws.getCell(3, col('caller')).value).toBe('Тестов');
    expect(ws.getCell(3, col('result')).value).toBe('строка 1\nстрока 2');
    expect(ws.getCell(3, col('recording')).value).toBeNull(); // an empty text cell, as exceljs wrote it
    // Text stays text: a formula-looking description is not a formula.
    expect(ws.getCell(5, col('description')).value).toBe('=HYPERLINK("http://evil")');
    expect(ws.getCell(4, col('recording')).value).toEqual({ text: 'Прослушать (карточка заявки)', hyperlink: 'https://pult.example.ru/?request=3' });
    expect(ws.getCell(4, col('recording')).font).toMatchObject({ underline: true, color: { argb: 'FF0F5F8C' } });
    expect(ws.getCell(4, 1).alignment).toMatchObject({ vertical: 'top' });
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: XLSX_HEADER_ROW, topLeftCell: 'A3' });
    expect(ws.columns.map((c) => c.width)).toEqual(cols.map((c) => c.width));
  });

  it('gives the same bytes for the same journal at the same moment', async () => {
    const pages = () => [[1, 2, 3].map((i) => record(i)), [4, 5].map((i) => record(i))];
    const [a, b] = [new Sink(), new Sink()];
    await writeXlsx(a, doc(pages()));
    await writeXlsx(b, doc(pages()));
    expect(a.bytes.equals(b.bytes)).toBe(true);
    expect(unzip(a.bytes).has('xl/worksheets/sheet1.xml')).toBe(true);
  });

  it('stops pulling pages while the reader takes nothing, and finishes once it reads again', async () => {
    const pagesTotal = 400;
    let pulled = 0;
    function* pages() {
      for (let p = 0; p < pagesTotal; p++) {
        pulled++;
        yield Array.from({ length: 100 }, (_, i) => record(p * 100 + i + 1));
      }
    }
    // A reader that accepts the first write and then nothing until released.
    const held: (() => void)[] = [];
    let releasing = false;
    let received = 0;
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _enc, cb) {
        received += chunk.length;
        if (releasing) cb();
        else held.push(cb);
      },
    });
    const done = writeXlsx(slow, doc(pages()));
    // Wait until the writer is stuck (the page count stops moving over several rounds of I/O).
    let last = -1;
    let still = 0;
    while (still < 20) {
      await new Promise((r) => setTimeout(r, 5));
      still = pulled === last ? still + 1 : 0;
      last = pulled;
    }
    expect(pulled).toBeLessThan(pagesTotal / 10);
    releasing = true;
    for (const cb of held.splice(0)) cb();
    expect(await done).toBe(pagesTotal * 100);
    expect(pulled).toBe(pagesTotal);
    expect(received).toBeGreaterThan(0);
  });

  it('ends early, without an error, when the reader goes away', async () => {
    let pulled = 0;
    function* pages() {
      for (let p = 0; p < 1000; p++) {
        pulled++;
        yield Array.from({ length: 100 }, (_, i) => record(p * 100 + i + 1));
      }
    }
    let bytes = 0;
    const leaving: Writable = new Writable({
      write(chunk: Buffer, _enc, cb) {
        bytes += chunk.length;
        cb();
        if (bytes > 200_000) leaving.destroy();
      },
    });
    const written = await writeXlsx(leaving, doc(pages()));
    expect(written).toBeLessThan(100_000);
    expect(pulled).toBeLessThan(1000);
  });
});
