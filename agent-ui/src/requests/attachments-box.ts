// A request's attachments: thumbnails (a click opens the full photo or PDF in
// a new tab through a short-lived signed link) and the upload control with
// its progress. Errors are shown in Russian, naming the refused files.
import { HttpError } from '../lib/api.ts';
import { h, fill } from '../lib/dom.ts';
import { formatWhen } from '../lib/format.ts';
import { requestsApi, uploadAttachments, type Attachment } from '../lib/requests-api.ts';
import { t } from '../i18n/index.ts';

const p = t.requests.page;
/** Signed links live PULT_RECORDING_URL_TTL_SEC (5 min by default): older ones are renewed before opening. */
const FRESH_MS = 60_000;

function sizeText(n: number): string {
  if (n < 1024) return `${n} ${p.sizeUnits.b}`;
  if (n < 1024 * 1024) return `${Math.round(n / 1024)} ${p.sizeUnits.kb}`;
  return `${(n / 1024 / 1024).toFixed(1)} ${p.sizeUnits.mb}`;
}

/** The server's refusal in the dispatcher's words. */
export function uploadError(err: unknown): string {
  if (!(err instanceof HttpError)) return t.common.serverError;
  const d = err.details as unknown as { file?: string; limitMb?: number; maxFiles?: number }[];
  switch (err.code) {
    case 'network': return t.common.network;
    case 'unsupported_type': return p.attachBadType(d.map((x) => `«${x.file ?? ''}»`).join(', '));
    case 'file_too_large': return p.attachTooLarge(d[0]?.limitMb ?? null);
    case 'too_many_files': return p.attachTooMany(d[0]?.maxFiles ?? null);
    case 'no_files': return p.attachNoFiles;
    default: return err.status === 404 ? p.attachNotFound : t.common.serverError;
  }
}

export function attachmentsBox(o: { requestId: number; items: Attachment[]; onUploaded(message: string): void }): HTMLElement {
  let loadedAt = Date.now();
  let items = o.items;
  const list = h('ul', { class: 'req-attachments', testid: 'request-attachments' });
  const empty = h('p', { class: 'muted small', testid: 'request-no-attachments' }, p.noAttachments);

  /** A link older than FRESH_MS is renewed first; the tab is opened within the click so no popup blocker stops it. */
  const open = (e: MouseEvent, a: Attachment) => {
    if (Date.now() - loadedAt < FRESH_MS) return;
    e.preventDefault();
    const tab = window.open('about:blank', '_blank');
    if (tab) tab.opener = null;
    requestsApi.attachments(o.requestId).then((r) => {
      items = r.attachments;
      loadedAt = Date.now();
      render();
      const fresh = items.find((x) => x.id === a.id);
      if (tab && fresh) tab.location.href = fresh.url;
    }).catch(() => tab?.close());
  };

  const render = () => {
    empty.hidden = items.length > 0;
    list.hidden = items.length === 0;
    fill(list,
    items.map((a) => {
      const link = h(
        'a',
        { href: a.url, target: '_blank', rel: 'noopener', title: p.attachOpen(a.name), 'aria-label': p.attachOpen(a.name), testid: 'request-attachment-link' },
        a.thumbUrl ? h('img', { src: a.thumbUrl, alt: a.name, loading: 'lazy', testid: 'request-attachment-thumb' }) : h('span', { class: 'req-file-tile' }, a.mime === 'application/pdf' ? 'PDF' : a.mime),
      );
      link.addEventListener('click', (e) => open(e, a));
      return h(
        'li',
        { class: 'req-attachment', testid: 'request-attachment', 'data-id': a.id },
        link,
        h('span', { class: 'row-sub' }, a.name),
        h('span', { class: 'row-sub muted' }, `${formatWhen(a.at)} · ${p.attachBy(a.by.name, sizeText(a.size))}`),
      );
    }));
  };
  render();

  const input = h('input', { type: 'file', id: `rq-files-${o.requestId}`, multiple: true, accept: 'image/*,application/pdf', class: 'input', testid: 'request-attach-input' });
  const progress = h('progress', { max: 100, value: 0, hidden: true, testid: 'request-attach-progress' });
  const status = h('p', { class: 'small', role: 'status', testid: 'request-attach-status', hidden: true });
  const error = h('p', { class: 'field-error', role: 'alert', hidden: true, testid: 'request-attach-error' });
  const say = (el: HTMLElement, text: string) => {
    el.textContent = text;
    el.hidden = !text;
  };
  input.addEventListener('change', () => {
    const files = Array.from(input.files ?? []);
    if (files.length === 0) return;
    input.disabled = true;
    progress.hidden = false;
    progress.value = 0;
    say(error, '');
    say(status, p.attachUploading(0));
    uploadAttachments(o.requestId, files, (f) => {
      progress.value = Math.round(f * 100);
      say(status, p.attachUploading(Math.round(f * 100)));
    })
      .then((r) => {
        items = r.attachments;
        loadedAt = Date.now();
        render();
        say(status, p.attachUploaded(r.added.length));
        o.onUploaded(p.attachUploaded(r.added.length));
      })
      .catch((err: unknown) => {
        say(status, '');
        if (err instanceof HttpError && err.status === 401) return;
        say(error, uploadError(err));
      })
      .finally(() => {
        input.disabled = false;
        input.value = '';
        progress.hidden = true;
      });
  });

  return h(
    'section',
    { class: 'req-attachments-box' },
    h('h3', { class: 'section-title' }, p.attachments),
    list,
    empty,
    h('div', { class: 'req-upload' }, h('label', { class: 'label', for: input.id }, p.attachUpload), input, progress, status),
    h('p', { class: 'muted small' }, p.attachHint),
    error,
  );
}
