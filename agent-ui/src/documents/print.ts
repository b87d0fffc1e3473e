// «Печать» on a request's page: the «Заявка» PDF (GET /api/requests/:id/document.pdf,
// with the bearer token) opened in a new tab. The tab is opened within the
// click (no popup blocker) and pointed at the PDF once it has arrived.
import { session, unauthorized } from '../lib/api.ts';
import { h } from '../lib/dom.ts';
import { d } from '../i18n/ru-documents.ts';

/** Fetches a PDF with the session's token; a Blob, or the error's words. */
export async function fetchPdf(path: string, init: RequestInit = {}): Promise<Blob> {
  const headers = new Headers(init.headers);
  if (session.token) headers.set('authorization', `Bearer ${session.token}`);
  const res = await fetch(path, { ...init, headers });
  if (res.status === 401) {
    unauthorized();
    throw new Error(d.printFailed);
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string; details?: { field: string; problem: string }[] } } | null;
    throw Object.assign(new Error(res.status === 404 ? d.printNotFound : d.printFailed), { status: res.status, details: body?.error?.details ?? [] });
  }
  return res.blob();
}

/** Opens a PDF in a tab opened now (within the user's click). */
export function openPdfTab(load: () => Promise<Blob>, onError: (err: unknown) => void): void {
  const tab = window.open('about:blank', '_blank');
  load()
    .then((blob) => {
      const url = URL.createObjectURL(blob);
      if (tab) tab.location.href = url;
      else window.location.assign(url);
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    })
    .catch((err: unknown) => {
      tab?.close();
      onError(err);
    });
}

export function printButton(requestId: number, onError: (message: string) => void): HTMLButtonElement {
  return h('button', {
    type: 'button', class: 'btn btn-ghost btn-small', testid: 'request-print', title: d.printTitle,
    onclick: () => openPdfTab(() => fetchPdf(`/api/requests/${requestId}/document.pdf`), (err) => onError(err instanceof Error ? err.message : d.printFailed)),
  }, d.print);
}
