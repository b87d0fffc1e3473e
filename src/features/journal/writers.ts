// The journal written to a stream, page by page: XLSX (./xlsx.ts), CSV for Excel
// (UTF-8 BOM so Cyrillic opens right, ';' between fields as a Russian
// Excel expects, RFC 4180 quoting, formula injection guarded). Between
// pages the writer waits for the stream to drain, so a slow client never
// makes the server buffer the whole journal.
import type { Writable } from 'node:stream';
import { cells, type JournalColumn, type JournalContext, type JournalRecord } from './columns.js';
import { writeXlsx } from './xlsx.js';
import { drained } from './zip.js';

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

export function writeJournal(format: JournalFormat, out: Writable, doc: JournalDoc): Promise<number> {
  return format === 'xlsx' ? writeXlsx(out, doc) : writeCsv(out, doc);
}
