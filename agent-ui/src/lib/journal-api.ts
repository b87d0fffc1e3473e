// The journal («Журнал») API as the console uses it: the companies to pick,
// a page of the journal, the XLSX / CSV download and the monthly archive.
import { HttpError, request, session, unauthorized } from './api.ts';

export interface JournalColumn { key: string; title: string; width: number }
export interface JournalItem { requestId: number; cells: Record<string, string>; links: Record<string, string> }
export interface JournalPage { tenant: { id: number; name: string }; from: string; to: string; timeZone: string; columns: JournalColumn[]; items: JournalItem[]; next: string | null }
export interface JournalExport { id: number; tenantId: number; tenantName: string; period: string; format: 'xlsx' | 'csv'; sha256: string; size: number; rows: number; createdAt: string; auto: boolean; url: string }
export interface JournalQuery { tenantId: number; from: string; to: string }

const qs = (q: JournalQuery, extra: Record<string, string> = {}) => `?${new URLSearchParams({ tenantId: String(q.tenantId), from: q.from, to: q.to, ...extra }).toString()}`;

/** The file name the server gave (RFC 5987 filename* first), or a fallback. */
function fileName(disposition: string | null, fallback: string): string {
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition ?? '');
  if (star?.[1]) return decodeURIComponent(star[1]);
  const plain = /filename="([^"]+)"/i.exec(disposition ?? '');
  return plain?.[1] ?? fallback;
}

/**
 * Downloads with the bearer token (a plain link cannot send it): the file is
 * fetched, then handed to the browser as a download under the server's name.
 */
async function download(path: string, fallback: string): Promise<string> {
  const headers: Record<string, string> = {};
  if (session.token) headers.authorization = `Bearer ${session.token}`;
  let res: Response;
  try {
    res = await fetch(path, { headers });
  } catch {
    throw new HttpError(0, 'network', 'network error');
  }
  if (!res.ok) {
    const data = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
    if (res.status === 401) unauthorized();
    throw new HttpError(res.status, data?.error?.code ?? 'http', data?.error?.message ?? `HTTP ${res.status}`);
  }
  const name = fileName(res.headers.get('content-disposition'), fallback);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return name;
}

export const journalApi = {
  companies: () => request<{ items: { id: number; name: string }[]; timeZone: string; currentPeriod: string }>('GET', '/api/journal/companies'),
  page: (q: JournalQuery, cursor?: string, signal?: AbortSignal) => request<JournalPage>('GET', `/api/journal${qs(q, cursor ? { cursor, limit: '200' } : { limit: '200' })}`, undefined, { signal }),
  download: (q: JournalQuery, format: 'xlsx' | 'csv') => download(`/api/journal.${format}${qs(q)}`, `journal.${format}`),
  exports: (tenantId: number) => request<{ items: JournalExport[] }>('GET', `/api/journal/exports?tenantId=${tenantId}`),
  downloadExport: (e: JournalExport) => download(e.url, `journal-${e.period}.${e.format}`),
};
