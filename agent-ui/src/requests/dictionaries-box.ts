// A request's values from its company's own dictionaries («Районная служба»,
// «Специалист»…): one select per dictionary for requests, saved together.
import { HttpError } from '../lib/api.ts';
import { h, fill } from '../lib/dom.ts';
import { requestsApi, type ChosenValue, type Dictionary } from '../lib/requests-api.ts';
import { t } from '../i18n/index.ts';
import { c } from '../i18n/ru-categories.ts';
import './dictionaries.css';

export function dictionariesBox(o: { requestId: number; tenantId: number; chosen: ChosenValue[]; onSaved(message: string): void }): HTMLElement {
  const body = h('div', { class: 'req-dicts', testid: 'request-dictionaries' });
  const status = h('p', { class: 'small', role: 'status', hidden: true, testid: 'request-dict-status' });
  const error = h('p', { class: 'field-error', role: 'alert', hidden: true, testid: 'request-dict-error' });
  const say = (el: HTMLElement, text: string) => {
    el.textContent = text;
    el.hidden = !text;
  };
  const render = (dicts: Dictionary[], chosen: ChosenValue[]) => {
    if (!dicts.length) return fill(body, h('p', { class: 'muted small' }, c.noDictionaries));
    const selects = dicts.map((dict) => {
      const current = chosen.find((x) => x.dictionaryId === dict.id)?.valueId;
      const sel = h('select', { id: `rq-dict-${dict.id}`, class: 'input', testid: 'request-dict-select', 'data-dictionary': dict.name },
        h('option', { value: '' }, c.noValue),
        dict.values.filter((v) => v.active || v.id === current).map((v) => h('option', { value: String(v.id) }, v.value)));
      sel.value = current ? String(current) : '';
      return { dict, sel };
    });
    const save = h('button', { type: 'submit', class: 'btn btn-small', testid: 'request-dict-save' }, c.saveValues);
    const form = h('form', { class: 'req-dict-form', novalidate: true },
      selects.map(({ dict, sel }) => h('div', { class: 'field' }, h('label', { class: 'label', for: sel.id }, dict.name), sel)),
      save);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      say(error, '');
      requestsApi.chooseValues(o.requestId, selects.map(({ dict, sel }) => ({ dictionaryId: dict.id, valueId: sel.value ? Number(sel.value) : null })))
        .then(() => {
          say(status, c.valuesSaved);
          o.onSaved(c.valuesSaved);
        })
        .catch((err: unknown) => {
          if (err instanceof HttpError && err.status === 401) return;
          say(error, err instanceof HttpError && err.details.length ? err.details.map((x) => x.problem).join('; ') : t.common.serverError);
        });
    });
    fill(body, form);
  };
  requestsApi.dictionaries(o.tenantId).then((r) => render(r.items, o.chosen)).catch(() => say(error, t.common.serverError));
  return h('section', { class: 'req-dicts-box' }, h('h3', { class: 'section-title' }, c.dictionaries), body, status, error);
}
