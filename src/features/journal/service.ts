// The journal of one company: a page for the screen, a whole period for a
// file, and the file's name. Times in the room's zone; periods are local days.
import type { Writable } from 'node:stream';
import type { Clock } from '../../clock.js';
import { cells, journalColumns, type JournalColumn, type JournalContext, type JournalRecord } from './columns.js';
import type { JournalCursor, JournalRepository } from './repository.js';
import { heading } from './strings.js';
import { dayRange, dottedDate } from './time.js';
import { writeJournal, type JournalDoc, type JournalFormat } from './writers.js';

export interface JournalPeriod { tenantId: number; fromDay: string; toDay: string }

export interface JournalPage {
  tenant: { id: number; name: string };
  from: string; to: string; timeZone: string;
  columns: { key: string; title: string; width: number }[];
  items: { requestId: number; cells: Record<string, string>; links: Record<string, string> }[];
  next: string | null;
}

/** A company's own fields for its requests (the company dictionaries of issue 12 item 4): one column each. */
export interface CompanyFields {
  /** The company's fields for requests, in their order. */
  of(tenantId: number): { id: number; name: string }[];
  /** The values chosen on these requests: request id → (field id → value). */
  values(ticketIds: number[]): Map<number, Map<number, string>>;
}

const noFields: CompanyFields = { of: () => [], values: () => new Map() };
/** The legal columns (the company's own fields come after them). */
const baseColumnCount = journalColumns([]).length;

export class JournalService {
  /** Where a company's own fields come from (none by default). */
  fields: CompanyFields = noFields;

  /** Extra columns of a company: one per own field, after the legal ones. */
  extraColumns(tenantId: number): JournalColumn[] {
    return this.fields.of(tenantId).map((f) => ({ key: `field${f.id}`, title: f.name, width: 20, value: (r: JournalRecord) => r.fields?.get(f.id) ?? '' }));
  }

  /** Puts the company's own field values on a page of rows (one query per page), when it has fields. */
  private withFields(hasFields: boolean, rows: JournalRecord[]): JournalRecord[] {
    if (!hasFields || rows.length === 0) return rows;
    const values = this.fields.values(rows.map((r) => r.id));
    for (const r of rows) r.fields = values.get(r.id) ?? new Map();
    return rows;
  }

  constructor(readonly repo: JournalRepository, private readonly clock: Clock, readonly timeZone: string, private readonly baseUrl: string) {}

  columns(tenantId: number): JournalColumn[] {
    return journalColumns(this.extraColumns(tenantId));
  }

  context(baseUrl?: string): JournalContext {
    return { timeZone: this.timeZone, now: this.clock.now(), baseUrl: this.baseUrl || baseUrl || '' };
  }

  now(): Date {
    return this.clock.now();
  }

  /** A page of the journal as the screen shows it: text cells by column key, links where a cell has one. */
  page(p: JournalPeriod, limit: number, cursor?: JournalCursor, baseUrl?: string): JournalPage {
    const cols = this.columns(p.tenantId);
    const range = dayRange(p.fromDay, p.toDay, this.timeZone);
    const ctx = this.context(baseUrl);
    const rows = this.withFields(cols.length > baseColumnCount, this.repo.page({ tenantId: p.tenantId, ...range }, limit + 1, cursor));
    const more = rows.length > limit;
    const shown = more ? rows.slice(0, limit) : rows;
    const last = shown[shown.length - 1];
    return {
      tenant: { id: p.tenantId, name: this.repo.tenantName(p.tenantId) ?? '' },
      from: p.fromDay, to: p.toDay, timeZone: this.timeZone,
      columns: cols.map((c) => ({ key: c.key, title: c.title, width: c.width })),
      items: shown.map((r) => {
        const { text, links } = cells(cols, r, ctx);
        const linkMap: Record<string, string> = {};
        links.forEach((l, i) => {
          if (l) linkMap[cols[i]!.key] = l;
        });
        return { requestId: r.id, cells: Object.fromEntries(cols.map((c, i) => [c.key, text[i]!])), links: linkMap };
      }),
      next: more && last ? `${last.createdAt}|${last.id}` : null,
    };
  }

  /** The whole period as a document for a writer. */
  doc(p: JournalPeriod, baseUrl?: string): JournalDoc {
    const name = this.repo.tenantName(p.tenantId) ?? String(p.tenantId);
    const range = dayRange(p.fromDay, p.toDay, this.timeZone);
    const columns = this.columns(p.tenantId);
    return {
      columns,
      ctx: this.context(baseUrl),
      heading: heading(name, dottedDate(p.fromDay), dottedDate(p.toDay), this.timeZone),
      pages: this.pagesWithFields(columns.length > baseColumnCount, this.repo.pages({ tenantId: p.tenantId, ...range })),
    };
  }

  private *pagesWithFields(hasFields: boolean, pages: Iterable<JournalRecord[]>): Generator<JournalRecord[]> {
    for (const rows of pages) yield this.withFields(hasFields, rows);
  }

  /** Streams the period's journal into `out` (ended when done); resolves with the number of requests. */
  write(format: JournalFormat, out: Writable, p: JournalPeriod, baseUrl?: string): Promise<number> {
    return writeJournal(format, out, this.doc(p, baseUrl));
  }

  /** «Журнал_Северный квартал_01.11.2026-30.11.2026.xlsx» (no characters a file system or a header would choke on). */
  fileName(tenantId: number, fromDay: string, toDay: string, format: JournalFormat): string {
    const name = (this.repo.tenantName(tenantId) ?? String(tenantId)).replace(/[\\/:*?"<>|«»\r\n\t]+/g, '').trim();
    return `Журнал_${name}_${dottedDate(fromDay)}-${dottedDate(toDay)}.${format}`;
  }
}
