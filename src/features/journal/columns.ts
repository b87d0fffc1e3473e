// The journal's columns: one definition per column (title, width, value)
// drives the screen, the XLSX and the CSV alike. Pure.
//
// Extra columns: a company's own fields (issue 12 item 4, company
// dictionaries) join by passing more `JournalColumn`s to `journalColumns()`;
// every output picks them up without further change.
import { formatLocal } from './time.js';
import { anonymous, channelNames, deadlineWords, kindNames, recordingText, titles } from './strings.js';

/** One request as the journal's query returns it (times ISO UTC). */
export interface JournalRecord {
  id: number; number: string; createdAt: string; channel: string; registeredBy: string;
  callerName: string | null; callerPhone: string | null; anonymousId: number | null;
  address: string; flat: string | null; accountNumber: string | null;
  categoryName: string; subcategoryName: string | null; kind: string; description: string;
  handedAt: string | null; assigneeName: string | null; acceptedAt: string | null; doneAt: string | null;
  result: string | null; reason: string | null; closedAt: string | null; stageName: string | null; stageCode: string;
  dueAt: string | null; recordedCallId: string | null;
  /** The company's own fields (dictionary id → chosen value), filled after the query when the company has any. */
  fields?: Map<number, string>;
}

export interface JournalContext {
  timeZone: string;
  /** When the journal is made: an open request past its deadline is late by then. */
  now: Date;
  /** Origin put before the request page's path in recording links ('' = a path only). */
  baseUrl: string;
}

export interface JournalColumn {
  key: string;
  title: string;
  /** Width in characters (XLSX) — the screen uses it as a hint too. */
  width: number;
  value(r: JournalRecord, c: JournalContext): string;
  /** A link the cell points to (XLSX hyperlink, a link on screen, the URL in CSV). */
  link?(r: JournalRecord, c: JournalContext): string | null;
}

/** Whether the deadline was met: by when the work was done (or the request closed), or by now if still open. */
export function deadlineState(r: Pick<JournalRecord, 'dueAt' | 'doneAt' | 'closedAt'>, now: Date): keyof typeof deadlineWords {
  if (!r.dueAt) return 'none';
  const due = Date.parse(r.dueAt);
  const finished = r.doneAt ?? r.closedAt;
  if (finished) return Date.parse(finished) <= due ? 'met' : 'late';
  return now.getTime() > due ? 'late' : 'running';
}

/**
 * The request's page in the console (`/?request=<id>`): the recording plays
 * there with a fresh short-lived link, after login and the company check.
 * A signed link would expire inside a stored file; an /api path cannot be
 * opened by a click (it needs the bearer header).
 */
export const requestPageUrl = (id: number, c: JournalContext) => `${c.baseUrl}/?request=${id}`;

const when = (iso: string | null, c: JournalContext) => formatLocal(iso, c.timeZone);

const base: JournalColumn[] = [
  { key: 'number', title: titles.number, width: 14, value: (r) => r.number },
  { key: 'received', title: titles.received, width: 17, value: (r, c) => when(r.createdAt, c) },
  { key: 'channel', title: titles.channel, width: 12, value: (r) => channelNames[r.channel] ?? r.channel },
  { key: 'registeredBy', title: titles.registeredBy, width: 26, value: (r) => r.registeredBy },
  { key: 'caller', title: titles.caller, width: 24, value: (r) => (r.anonymousId !== null ? anonymous(r.anonymousId) : (r.callerName ?? '')) },
  { key: 'phone', title: titles.phone, width: 14, value: (r) => r.callerPhone ?? '' },
  { key: 'address', title: titles.address, width: 34, value: (r) => r.address },
  { key: 'flat', title: titles.flat, width: 6, value: (r) => r.flat ?? '' },
  { key: 'account', title: titles.account, width: 14, value: (r) => r.accountNumber ?? '' },
  { key: 'category', title: titles.category, width: 30, value: (r) => r.categoryName },
  // Filled once categories have subcategories (the categories directory, issue 12 item 2).
  { key: 'subcategory', title: titles.subcategory, width: 20, value: (r) => r.subcategoryName ?? '' },
  { key: 'kind', title: titles.kind, width: 11, value: (r) => kindNames[r.kind] ?? r.kind },
  { key: 'description', title: titles.description, width: 44, value: (r) => r.description },
  { key: 'handedAt', title: titles.handedAt, width: 17, value: (r, c) => when(r.handedAt, c) },
  { key: 'handedTo', title: titles.handedTo, width: 26, value: (r) => r.assigneeName ?? '' },
  { key: 'acceptedAt', title: titles.acceptedAt, width: 17, value: (r, c) => when(r.acceptedAt, c) },
  { key: 'doneAt', title: titles.doneAt, width: 17, value: (r, c) => when(r.doneAt, c) },
  { key: 'result', title: titles.result, width: 36, value: (r) => r.result ?? (r.reason ? `${r.stageName ?? r.stageCode}: ${r.reason}` : '') },
  { key: 'closedAt', title: titles.closedAt, width: 17, value: (r, c) => when(r.closedAt, c) },
  { key: 'stage', title: titles.stage, width: 20, value: (r) => r.stageName ?? r.stageCode },
  { key: 'dueAt', title: titles.dueAt, width: 17, value: (r, c) => when(r.dueAt, c) },
  { key: 'deadline', title: titles.deadline, width: 14, value: (r, c) => deadlineWords[deadlineState(r, c.now)] },
  {
    key: 'recording', title: titles.recording, width: 28,
    value: (r) => (r.recordedCallId ? recordingText : ''),
    link: (r, c) => (r.recordedCallId ? requestPageUrl(r.id, c) : null),
  },
];

/** The journal's columns: the legal ones, then any extra ones (a company's own fields). */
export function journalColumns(extra: JournalColumn[] = []): JournalColumn[] {
  return [...base, ...extra];
}

/** One row's cells as text (and the cell's link, where it has one). */
export function cells(cols: JournalColumn[], r: JournalRecord, c: JournalContext): { text: string[]; links: (string | null)[] } {
  return { text: cols.map((col) => col.value(r, c)), links: cols.map((col) => col.link?.(r, c) ?? null) };
}
