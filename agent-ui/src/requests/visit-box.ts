// A request's booked visit on its page («Визит: 10.03 (вт), 14:00–15:00,
// исполнитель …») with «Перенести» (the free times of the building's
// executors) and «Отменить визит», both freeing the old slot; and the
// «Открыть в биллинге» link of the request's account (built by the server).
import { HttpError, request } from '../lib/api.ts';
import { h, fill } from '../lib/dom.ts';
import { visitLine, visitWhen } from '../lib/visit.ts';
import { rb } from '../i18n/ru-booking.ts';

interface Visit { start: string; end: string; executor: { id: number; name: string } }
interface Slots { durationMin: number; slots: { start: string; end: string }[] }

const why = (err: unknown) => (err instanceof HttpError ? err.message : String(err));

/** The section: hidden when the request has neither a visit nor a billing link. `open`: the request is open (changes allowed). */
export function visitBox(requestId: number, open: boolean, onChanged: (message: string) => void): HTMLElement {
  const body = h('div', { class: 'req-visit-body' });
  const billing = h('p', { class: 'req-billing', hidden: true });
  const box = h('section', { class: 'req-visit', hidden: true, testid: 'request-visit-box' }, body, billing);

  const picker = (v: Visit | null) => {
    const select = h('select', { class: 'input', testid: 'visit-slot', 'aria-label': rb.pickSlot }) as HTMLSelectElement;
    const error = h('p', { class: 'field-error', hidden: true, role: 'alert' });
    const save = h('button', { type: 'button', class: 'btn btn-small btn-primary', testid: 'visit-save', disabled: true }, rb.save);
    request<Slots>('GET', `/api/requests/${requestId}/booking/slots?days=14`)
      .then(({ slots }) => {
        fill(select, slots.length ? slots.map((s) => h('option', { value: s.start }, visitWhen(s))) : [h('option', { value: '' }, rb.noSlots)]);
        save.disabled = slots.length === 0;
      })
      .catch((err: unknown) => { error.textContent = rb.failed(why(err)); error.hidden = false; });
    save.addEventListener('click', () => {
      request<{ visit: Visit }>('PUT', `/api/requests/${requestId}/booking`, { start: select.value })
        .then(({ visit }) => onChanged(visitLine(visit)))
        .catch((err: unknown) => { error.textContent = rb.failed(why(err)); error.hidden = false; });
    });
    return h('div', { class: 'form-row', testid: 'visit-picker' }, h('label', { class: 'label' }, rb.pickSlot), select, save,
      h('button', { type: 'button', class: 'btn btn-small btn-ghost', onclick: () => render(v) }, rb.close), error);
  };

  const render = (v: Visit | null) => {
    box.hidden = v === null && billing.hidden;
    if (!v) return fill(body);
    const error = h('p', { class: 'field-error', hidden: true, role: 'alert' });
    const cancel = () => {
      if (!window.confirm(rb.cancelConfirm)) return;
      request('DELETE', `/api/requests/${requestId}/booking`)
        .then(() => onChanged(rb.visitNone))
        .catch((err: unknown) => { error.textContent = rb.failed(why(err)); error.hidden = false; });
    };
    fill(body,
      h('p', { class: 'req-visit-line' }, h('strong', { testid: 'request-visit' }, visitLine(v)), ' · ', h('span', { class: 'muted' }, rb.visitExecutor(v.executor.name))),
      open ? h('div', { class: 'form-row' },
        h('button', { type: 'button', class: 'btn btn-small', testid: 'visit-reschedule', onclick: () => fill(body, picker(v)) }, rb.reschedule),
        h('button', { type: 'button', class: 'btn btn-small btn-ghost', testid: 'visit-cancel', onclick: cancel }, rb.cancelVisit)) : null,
      error);
  };

  let visit: Visit | null = null;
  request<{ visit: Visit | null }>('GET', `/api/requests/${requestId}/booking`)
    .then((r) => { visit = r.visit; render(visit); })
    .catch(() => undefined); // not staff (an executor): nothing to show
  request<{ url: string | null }>('GET', `/api/requests/${requestId}/billing-link`)
    .then(({ url }) => {
      if (!url) return;
      fill(billing, h('a', { class: 'btn btn-small btn-ghost', href: url, target: '_blank', rel: 'noopener noreferrer', testid: 'request-billing-link' }, rb.openBilling));
      billing.hidden = false;
      box.hidden = false;
      render(visit);
    })
    .catch(() => undefined);
  return box;
}
