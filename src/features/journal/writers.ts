// The journal written to a stream, page by page: XLSX through exceljs's
// streaming WorkbookWriter (rows committed as they go), CSV for Excel
// (UTF-8 BOM so Cyrillic opens right, ';' between fields as a Russian
// Excel expects, RFC 4180 quoting, formula injection guarded). Between
// pages the writer waits for the stream to drain, so a slow client never
// makes the server buffer the whole journal.
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { cells, type JournalColumn, type JournalContext, type JournalRecord } from './columns.js';
import { sheetName } from './strings.js';

export interface JournalDoc {
  columns: JournalColumn[];
  ctx: JournalContext;
  /** The sheet's first line: company, period, time zone. */
  heading: string;
  pages: Iterable<JournalRecord[]>;
}

export type JournalFormat = 'xlsx' | 'csv';

/** Resolves on the first of these events, leaving no listener behind. */
function either(out: Writable, events: string[]): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      for (const e of events) out.off(e, done);
      resolve();
    };
    for (const e of events) out.on(e, done);
  });
}

/** Waits until the stream takes more (or is gone: then false, stop writing). */
async function drained(out: Writable): Promise<boolean> {
  if (out.destroyed) return false;
  if (out.writableNeedDrain) await either(out, ['drain', 'close', 'error']);
  else await new Promise<void>((resolve) => setImmediate(resolve));
  return !out.destroyed;
}

/** A cell a spreadsheet would run as a formula (= + - @, tab, CR first) gets a leading apostrophe. */
export function guardFormula(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

/** One CSV field: guarded, quoted when it holds the separator, a quote or a line break. */
export function csvField(s: string): string {
  const g = guardFormula(s);
  return /[;"\r\n]/.test(g) ? `"${g.replace(/"/g, '""')}"` : g;
}

export const CSV_BOM = '\uFEFF';

/** Writes the CSV; resolves with the number of requests written. Ends `out` when `end` (default). */
export async function writeCsv(out: Writable, doc: JournalDoc, end = true): Promise<number> {
  let n = 0;
  out.write(CSV_BOM + doc.columns.map((c) => csvField(c.title)).join(';') + '\r\n');
  for (const page of doc.pages) {
    let chunk = '';
    for (const r of page) {
      const { text, links } = cells(doc.columns, r, doc.ctx);
      chunk += text.map((t, i) => csvField(links[i] ?? t)).join(';') + '\r\n';
    }
    n += page.length;
    out.write(chunk);
    if (!(await drained(out))) return n;
  }
  if (end) {
    out.end();
    if (!out.writableFinished) await either(out, ['finish', 'close', 'error']);
  }
  return n;
}

/**
 * exceljs's sheet stream pushes into its zip entry ignoring backpressure, and
 * the deflate there takes one chunk per event-loop turn: left alone, the
 * whole uncompressed sheet piles up in memory. Wait until the entry has taken
 * what was written (its buffer under 256 KB). Reaches into exceljs's internals
 * (the sheet's StreamBuf and its pipe); when they are not there it only yields.
 */
async function zipCaughtUp(ws: ExcelJS.Worksheet): Promise<void> {
  type Entry = Writable & { _writableState?: { length?: number } };
  const entry = (ws as unknown as { stream?: { pipes?: Entry[] } }).stream?.pipes?.[0];
  while (entry && !entry.destroyed && (entry._writableState?.length ?? 0) > 1 << 18) await either(entry, ['drain', 'close', 'error']);
}

const cellStyle: Partial<ExcelJS.Style> = { alignment: { vertical: 'top' } };
const linkStyle: Partial<ExcelJS.Style> = { alignment: { vertical: 'top' }, font: { color: { argb: 'FF0F5F8C' }, underline: true } };

/** Row of the sheet where the column titles are (the heading is above them). */
export const XLSX_HEADER_ROW = 2;

/** Writes the XLSX (ends `out`); resolves with the number of requests written. */
export async function writeXlsx(out: Writable, doc: JournalDoc): Promise<number> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = 'Пульт';
  wb.title = doc.heading;
  const ws = wb.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: XLSX_HEADER_ROW }] });
  ws.columns = doc.columns.map((c) => ({ key: c.key, width: c.width }));
  const head = ws.getRow(1);
  head.getCell(1).value = doc.heading;
  head.font = { bold: true, size: 12 };
  head.commit();
  const titles = ws.getRow(XLSX_HEADER_ROW);
  titles.values = doc.columns.map((c) => c.title);
  titles.font = { bold: true };
  titles.alignment = { vertical: 'top', wrapText: true };
  titles.commit();
  let n = 0;
  let rowNo = XLSX_HEADER_ROW;
  for (const page of doc.pages) {
    for (const r of page) {
      const { text, links } = cells(doc.columns, r, doc.ctx);
      const row = ws.getRow(++rowNo);
      for (let i = 0; i < text.length; i++) {
        const link = links[i];
        const cell = row.getCell(i + 1);
        // One shared style object: exceljs computes a style once per object, not once per cell.
        cell.style = link ? linkStyle : cellStyle;
        cell.value = link ? { text: text[i]!, hyperlink: link } : text[i]!;
      }
      row.commit();
    }
    n += page.length;
    await zipCaughtUp(ws);
    if (!(await drained(out))) return n;
  }
  ws.commit();
  await wb.commit();
  if (!out.writableFinished && !out.destroyed) await either(out, ['finish', 'close', 'error']);
  return n;
}

export function writeJournal(format: JournalFormat, out: Writable, doc: JournalDoc): Promise<number> {
  return format === 'xlsx' ? writeXlsx(out, doc) : writeCsv(out, doc);
}
