// A request's conversation with the resident on its page («Переписка»):
// what came in by the channels (web form, e-mail, messenger), what went out,
// the resident's ratings; a dispatcher's message shows on the status page.
import { HttpError, request } from '../lib/api.ts';
import { h, fill } from '../lib/dom.ts';
import { formatWhen } from '../lib/format.ts';
import { ch } from '../i18n/ru-channels.ts';

export interface RequestMessage { id: number; direction: 'in' | 'out'; channel: string; body: string; author: string | null; createdAt: string }
export interface RequestRating { score: number; comment: string | null; questionsLeft: boolean; reopened: boolean; createdAt: string }

const load = (id: number) => request<{ items: RequestMessage[]; ratings: RequestRating[] }>('GET', `/api/requests/${id}/messages`);
const send = (id: number, text: string) => request<{ message: RequestMessage }>('POST', `/api/requests/${id}/messages`, { text });

/** The section; hidden while the request has no conversation (a phone request). `onSent` refreshes the list. */
export function messagesBox(requestId: number, onSent: () => void): HTMLElement {
  const list = h('ul', { class: 'rows req-messages', testid: 'request-messages' });
  const ratings = h('div', { class: 'req-ratings' });
  const text = h('textarea', { id: 'rq-message', class: 'input textarea', rows: 2, maxlength: 4000, testid: 'request-message-text' });
  const error = h('p', { class: 'field-error', hidden: true, role: 'alert' });
  const form = h('form', { class: 'req-comment-form', novalidate: true }, h('label', { class: 'label', for: 'rq-message' }, ch.write), text, error,
    h('button', { type: 'submit', class: 'btn btn-small', testid: 'request-message-send' }, ch.send));
  const box = h('section', { hidden: true, testid: 'request-messages-box' }, h('h3', { class: 'section-title' }, ch.title), ratings, list, form);
  const refresh = () => load(requestId).then(({ items, ratings: rs }) => {
    box.hidden = items.length === 0;
    fill(ratings, rs.map((r) => h('p', { class: `req-rating${r.reopened ? ' req-rating-low' : ''}`, testid: 'request-rating' },
      h('strong', null, ch.rating(r.score)), r.questionsLeft ? `, ${ch.questionsLeft}` : '', r.comment ? ` — «${r.comment}»` : '', r.reopened ? ` (${ch.reopened})` : '', ' · ', formatWhen(r.createdAt))));
    fill(list, items.map((m) => h('li', { class: `row req-message req-message-${m.direction}`, testid: 'request-message', 'data-direction': m.direction },
      h('span', { class: 'row-main' }, h('span', { class: 'chip chip-small' }, `${m.direction === 'in' ? ch.incoming : ch.outgoing} · ${ch.channels[m.channel] ?? m.channel}`), ' ', m.body),
      h('span', { class: 'row-side' }, formatWhen(m.createdAt), m.author ? h('span', { class: 'row-sub' }, m.author) : null))));
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const v = text.value.trim();
    if (!v) {
      error.textContent = ch.empty_text;
      error.hidden = false;
      return;
    }
    send(requestId, v)
      .then(() => { text.value = ''; error.hidden = true; onSent(); return refresh(); })
      .catch((err: unknown) => {
        if (err instanceof HttpError && err.status === 401) return;
        error.textContent = ch.failed;
        error.hidden = false;
      });
  });
  refresh().catch(() => undefined); // gone or not visible: the section stays hidden
  return box;
}

/** «Ссылка для жителя»: a new private status link for the resident (a phone request), shown to copy and dictate or send. */
export function statusLinkButton(requestId: number, say: (message: string) => void): HTMLElement {
  return h('button', {
    type: 'button', class: 'btn btn-ghost btn-small', testid: 'request-status-link', title: ch.statusLinkHint,
    onclick: () => {
      request<{ statusUrl: string }>('POST', `/api/requests/${requestId}/status-link`)
        .then(({ statusUrl }) => {
          const url = statusUrl.startsWith('/') ? `${location.origin}${statusUrl}` : statusUrl;
          say(ch.statusLinkMade(url));
          void navigator.clipboard?.writeText(url).catch(() => undefined);
        })
        .catch((err: unknown) => {
          if (!(err instanceof HttpError && err.status === 401)) say(ch.failed);
        });
    },
  }, ch.statusLink);
}
