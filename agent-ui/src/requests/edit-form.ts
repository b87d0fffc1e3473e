// Editing a request: the fields PATCH /api/requests/:id accepts, sent only
// when changed; the server's field problems are shown next to the fields.
import { HttpError, type FieldProblem } from '../lib/api.ts';
import { h } from '../lib/dom.ts';
import { requestsApi, type EditBody, type RequestDetail } from '../lib/requests-api.ts';
import type { TicketCategory } from '../lib/types.ts';
import { t } from '../i18n/index.ts';
import { showFieldProblems } from './field-problems.ts';
import { categoryLabel, fitsKind } from '../lib/categories.ts';

const p = t.requests.page;

export function editForm(req: RequestDetail, o: { categories: () => TicketCategory[]; onSaved(r: RequestDetail): void; onCancel(): void }): HTMLElement {
  const errors = new Map<string, HTMLElement>();
  const row = (label: string, id: string, input: HTMLElement, field: string, cls = '') => {
    const e = h('p', { class: 'field-error', testid: `edit-error-${field}`, hidden: true });
    errors.set(field, e);
    return h('div', { class: `field ${cls}` }, h('label', { class: 'label', for: id }, label), input, e);
  };
  const description = h('textarea', { id: 'ed-description', class: 'input textarea', rows: 3, testid: 'edit-description', value: req.description });
  const address = h('input', { id: 'ed-address', class: 'input', testid: 'edit-address', value: req.address, autocomplete: 'off' });
  const flat = h('input', { id: 'ed-flat', class: 'input input-short', testid: 'edit-flat', value: req.flat ?? '', autocomplete: 'off' });
  const callerName = h('input', { id: 'ed-caller-name', class: 'input', testid: 'edit-caller-name', value: req.callerName ?? '', autocomplete: 'off' });
  const callerPhone = h('input', { id: 'ed-caller-phone', class: 'input', testid: 'edit-caller-phone', value: req.callerPhone ?? '', autocomplete: 'off', inputmode: 'tel' });
  const kind = h('select', { id: 'ed-kind', class: 'input', testid: 'edit-kind' }, (['emergency', 'planned'] as const).map((k) => h('option', { value: k }, t.ticket.kinds[k])));
  kind.value = req.kind;
  const category = h('select', { id: 'ed-category', class: 'input', testid: 'edit-category' });
  const fillCats = () => {
    const keep = category.value || String(req.category.id);
    category.replaceChildren(...o.categories().filter((c) => fitsKind(c, kind.value)).map((c) => h('option', { value: String(c.id) }, categoryLabel(c))));
    category.value = keep;
    if (!category.value && category.options.length) category.selectedIndex = 0;
  };
  fillCats();
  kind.addEventListener('change', fillCats);
  const summary = h('p', { class: 'form-summary', role: 'alert', testid: 'edit-summary', hidden: true });
  const save = h('button', { type: 'submit', class: 'btn btn-primary btn-small', testid: 'edit-save' }, p.save);
  const form = h(
    'form',
    { class: 'req-edit', testid: 'request-edit', novalidate: true },
    row(t.ticket.description, 'ed-description', description, 'description'),
    h('div', { class: 'form-row' }, row(t.ticket.address, 'ed-address', address, 'address', 'grow'), row(t.ticket.flat, 'ed-flat', flat, 'flat', 'field-flat')),
    h('div', { class: 'form-row' }, row(t.ticket.callerName, 'ed-caller-name', callerName, 'callerName', 'grow'), row(t.ticket.callerPhone, 'ed-caller-phone', callerPhone, 'callerPhone', 'grow')),
    h('div', { class: 'form-row' }, row(t.ticket.kind, 'ed-kind', kind, 'kind'), row(t.ticket.category, 'ed-category', category, 'categoryId', 'grow')),
    summary,
    h('div', { class: 'form-actions' }, save, h('button', { type: 'button', class: 'btn btn-ghost btn-small', onclick: () => o.onCancel() }, p.cancel)),
  );
  const show = (problems: FieldProblem[]) =>
    showFieldProblems(errors, summary, p.fixErrors, problems, (x) => p.fieldProblems[x.field] ?? t.ticket.fieldProblems[x.field] ?? x.problem);
  form.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      o.onCancel();
    } else if (e.key === 'Enter' && e.ctrlKey) {
      e.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const b: EditBody = {};
    const v = (el: HTMLInputElement | HTMLTextAreaElement) => el.value.trim();
    if (v(description) !== req.description) b.description = v(description);
    if (v(address) !== req.address) b.address = v(address);
    if (v(flat) !== (req.flat ?? '')) b.flat = v(flat) || null;
    if (v(callerName) !== (req.callerName ?? '')) b.callerName = v(callerName) || null;
    if (v(callerPhone) !== (req.callerPhone ?? '')) b.callerPhone = v(callerPhone) || null;
    if (kind.value !== req.kind) b.kind = kind.value as EditBody['kind'];
    if (Number(category.value) !== req.category.id) b.categoryId = Number(category.value);
    // The same limits as the API (client-side first, then the server's word).
    const local: FieldProblem[] = [];
    if (b.description !== undefined && b.description.length < 3) local.push({ field: 'description', problem: '' });
    if (b.address !== undefined && b.address.length < 3) local.push({ field: 'address', problem: '' });
    if (local.length) return show(local);
    if (Object.keys(b).length === 0) return o.onCancel();
    save.disabled = true;
    requestsApi
      .edit(req.id, b)
      .then(({ request }) => o.onSaved(request))
      .catch((x: unknown) => {
        if (x instanceof HttpError && x.status === 400) return show(x.details.length ? x.details : [{ field: 'form', problem: x.message }]);
        if (!(x instanceof HttpError && x.status === 401)) show([{ field: 'form', problem: t.common.serverError }]);
      })
      .finally(() => (save.disabled = false));
  });
  queueMicrotask(() => description.focus());
  return form;
}
