// «Дополнить»: during a call, add what the caller says to one of the card's
// open requests instead of registering a duplicate; the call is linked.
import { HttpError } from '../lib/api.ts';
import { h, fill } from '../lib/dom.ts';
import { requestsApi, type RequestDetail } from '../lib/requests-api.ts';
import { t } from '../i18n/index.ts';

const a = t.requests.append;

export function openAppend(target: { id: number; number: string; description: string }, callId: string | null, onDone: (r: RequestDetail) => void): void {
  const d = h('dialog', { class: 'dialog', testid: 'append-dialog', 'aria-label': a.title(target.number) });
  const text = h('textarea', { id: 'ap-text', class: 'input textarea', rows: 4, testid: 'append-text', placeholder: a.placeholder });
  const error = h('p', { class: 'field-error', role: 'alert', testid: 'append-error', hidden: true });
  const save = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'append-save' }, a.save);
  const form = h(
    'form',
    { class: 'append-form', novalidate: true },
    h('div', { class: 'panel-head' }, h('h2', { class: 'panel-title' }, a.title(target.number)), h('button', { type: 'button', class: 'btn btn-ghost btn-small', onclick: () => d.close() }, t.common.close)),
    h('p', { class: 'muted small append-was' }, target.description),
    h('label', { class: 'label', for: 'ap-text' }, a.label),
    text,
    error,
    h('div', { class: 'form-actions' }, save, h('span', { class: 'kbd-hint' }, h('kbd', null, 'Ctrl'), '+', h('kbd', null, 'Enter'))),
  );
  const fail = (msg: string) => {
    error.textContent = msg;
    error.hidden = false;
    text.focus();
  };
  form.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && e.ctrlKey) {
      e.preventDefault();
      e.stopPropagation();
      form.requestSubmit();
    }
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const v = text.value.trim();
    if (!v) return fail(a.empty);
    save.disabled = true;
    requestsApi
      .append(target.id, v, callId ?? undefined)
      .then(({ request }) => {
        d.close();
        onDone(request);
      })
      .catch((x: unknown) => {
        if (x instanceof HttpError && x.status === 401) return;
        if (x instanceof HttpError && x.status === 409) return fail(a.closed);
        fail(x instanceof HttpError && x.status === 400 ? (x.details[0]?.problem ?? x.message) : t.common.serverError);
      })
      .finally(() => (save.disabled = false));
  });
  fill(d, form);
  document.body.append(d);
  d.addEventListener('close', () => d.remove());
  d.showModal();
  text.focus();
}
