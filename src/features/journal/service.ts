// The journal of one company: a page for the screen, a whole period for a
// file, and the file's name. Times in the room's zone; periods are local days.
import type { Writable } from 'node:stream';
import type { Clock } from '../../clock.js';
import { cells, journalColumns, type JournalColumn, type JournalContext } from './columns.js';
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

export class JournalService {
  /** Extra columns of a company (its own fields); none until the dictionaries feature provides them. */
  extraColumns: (tenantId: number) => JournalColumn[] = () => [];

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
    const rows = this.repo.page({ tenantId: p.tenantId, ...range }, limit + 1, cursor);
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
    return {
      columns: this.columns(p.tenantId),
      ctx: this.context(baseUrl),
      heading: heading(name, dottedDate(p.fromDay), dottedDate(p.toDay), this.timeZone),
      pages: this.repo.pages({ tenantId: p.tenantId, ...range }),
    };
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
