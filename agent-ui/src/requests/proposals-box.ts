// The executor's change proposals on a request's page («заказано 3 счётчика,
// нужно 2»): each pending one with «Подтвердить» / «Отклонить» and an
// optional comment; the decision goes to the request's history.
import { HttpError, request } from '../lib/api.ts';
import { h, fill } from '../lib/dom.ts';
import { formatWhen } from '../lib/format.ts';
import { pr } from '../i18n/ru-proposals.ts';

export interface Proposal {
  id: number; at: string; by: { id: number; name: string }; text: string; items: { name: string; ordered: number | null; needed: number | null }[];
  status: 'pending' | 'confirmed' | 'rejected'; decidedBy: { id: number; name: string } | null; decidedAt: string | null; decisionComment: string | null;
}

const load = (id: number) => request<{ proposals: Proposal[] }>('GET', `/api/requests/${id}/proposals`);
const decide = (id: number, pid: number, decision: 'confirm' | 'reject', comment: string) =>
  request<{ proposal: Proposal }>('POST', `/api/requests/${id}/proposals/${pid}/decision`, comment ? { decision, comment } : { decision });

/** The section (hidden while the request has no proposals); `onDecided` reloads the page. */
export function proposalsBox(requestId: number, onDecided: (message: string) => void): HTMLElement {
  const list = h('ul', { class: 'rows', testid: 'request-proposals' });
  const box = h('section', { hidden: true, testid: 'request-proposals-box' }, h('h3', { class: 'section-title' }, pr.title), list);
  const row = (p: Proposal) => {
    const comment = h('input', { class: 'input', placeholder: pr.comment, 'aria-label': pr.comment, testid: 'proposal-comment', maxlength: 2000 });
    const error = h('p', { class: 'field-error', hidden: true, role: 'alert' });
    const send = (decision: 'confirm' | 'reject') => {
      decide(requestId, p.id, decision, comment.value.trim())
        .then(() => onDecided(pr.done(decision === 'confirm')))
        .catch((err: unknown) => {
          if (err instanceof HttpError && err.status === 401) return;
          error.textContent = err instanceof HttpError && err.status === 409 ? pr.already : pr.failed;
          error.hidden = false;
        });
    };
    const items = p.items.map((i) => h('span', { class: 'row-sub' }, `${i.name}: ${pr.ordered} ${i.ordered ?? '—'}, ${pr.needed} ${i.needed ?? '—'}`));
    return h('li', { class: 'row', testid: 'request-proposal', 'data-status': p.status },
      h('span', { class: 'row-main' }, p.text, items,
        p.status === 'pending'
          ? h('span', { class: 'form-row' }, comment,
            h('button', { type: 'button', class: 'btn btn-small btn-primary', testid: 'proposal-confirm', onclick: () => send('confirm') }, pr.confirm),
            h('button', { type: 'button', class: 'btn btn-small', testid: 'proposal-reject', onclick: () => send('reject') }, pr.reject))
          : h('span', { class: 'row-sub', testid: 'proposal-status' }, pr.decided(pr.status[p.status] ?? p.status, p.decidedBy?.name ?? ''), p.decisionComment ? ` — ${p.decisionComment}` : ''),
        error),
      h('span', { class: 'row-side' }, formatWhen(p.at), h('span', { class: 'row-sub' }, p.by.name)));
  };
  load(requestId)
    .then(({ proposals }) => {
      box.hidden = proposals.length === 0;
      fill(list, proposals.map(row));
    })
    .catch(() => undefined); // not staff (an executor) or gone: the section stays hidden
  return box;
}
