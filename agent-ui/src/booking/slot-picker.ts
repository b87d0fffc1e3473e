// The residents' form's booking step (issue 14 item 3, seed 001): for a
// planned category that needs a visit, once the address is chosen, the
// resident picks one of the free times of the executors serving that
// building (days, then times; only times are shown, never names). The form
// then sends itself with the chosen start to the booking endpoint, which
// reserves the slot and registers the request in one go.
import './booking.css';
import { h, fill } from '../lib/dom.ts';
import { visitWhen, type VisitTime } from '../lib/visit.ts';
import { rb } from '../i18n/ru-booking.ts';
import { PublicError } from '../resident/api.ts';

interface Slot { start: string; end: string }
export interface BookingAnswer { number: string; statusUrl: string; visit: VisitTime }
/** The residents' pages' public-API error (status, code, details), so the form handles booking errors like its own. */
export { PublicError as BookingError };

async function call<T>(method: string, path: string, body?: FormData): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { method, body, credentials: 'omit', cache: 'no-store', headers: { accept: 'application/json' } });
  } catch {
    throw new PublicError(0, 'network', 'network');
  }
  const data = (await res.json().catch(() => ({}))) as { error?: { code?: string; message: string; details?: unknown } } & T;
  if (!res.ok) throw new PublicError(res.status, data.error?.code ?? 'error', data.error?.message ?? res.statusText, Array.isArray(data.error?.details) ? (data.error.details as { field: string; problem: string }[]) : [], Number(res.headers.get('retry-after') ?? 0));
  return data;
}

/** Sends the form (its FormData, photos included) with the chosen visit start. */
export function submitWithVisit(tenantId: number, form: FormData, start: string): Promise<BookingAnswer> {
  form.set('start', start);
  return call<BookingAnswer>('POST', `/api/public/web/${tenantId}/bookings`, form);
}

/** «Мастер придёт 10.03 (вт), 14:00–15:00» on the form's answer, or nothing. */
export function visitNote(a: { visit?: VisitTime }): HTMLElement | null {
  return a.visit ? h('p', { class: 'rs-visit', testid: 'booked-visit' }, rb.bookedVisit(visitWhen(a.visit))) : null;
}

const dayFmt = new Intl.DateTimeFormat('ru-RU', { weekday: 'short', day: '2-digit', month: '2-digit' });
const timeFmt = new Intl.DateTimeFormat('ru-RU', { hour: '2-digit', minute: '2-digit' });
const dayKey = (iso: string) => new Date(iso).toDateString();

export class SlotPicker {
  readonly el: HTMLElement;
  private readonly days = h('div', { class: 'rs-days', role: 'group', 'aria-label': rb.pickerDay, testid: 'slot-days' });
  private readonly times = h('div', { class: 'rs-slots', role: 'group', 'aria-label': rb.pickerTitle, testid: 'slot-times' });
  private readonly note = h('p', { class: 'rs-hint', testid: 'slot-note' });
  private readonly error = h('p', { class: 'field-error', role: 'alert', hidden: true, testid: 'slot-error' });
  private visitCategories = new Set<number>();
  private buildingId: number | null = null;
  private categoryId: number | null = null;
  private slots: Slot[] = [];
  private day: string | null = null;
  private start: string | null = null;
  private seq = 0;

  constructor(private readonly tenantId: number) {
    this.el = h('div', { class: 'rs-field rs-visit-step', 'data-field': 'start', hidden: true, testid: 'slot-picker' },
      h('p', { class: 'label' }, rb.pickerTitle), h('p', { class: 'rs-hint' }, rb.pickerHint), this.days, this.times, this.note, this.error);
    void call<{ items: { id: number }[] }>('GET', '/api/public/booking/categories')
      .then((r) => { this.visitCategories = new Set(r.items.map((c) => c.id)); this.refresh(); })
      .catch(() => undefined); // no booking: the form works as before
  }

  /** The form's address or category changed. */
  set(o: { buildingId?: number | null; categoryId?: number | null }): void {
    if (o.buildingId !== undefined) this.buildingId = o.buildingId;
    if (o.categoryId !== undefined) this.categoryId = o.categoryId;
    this.refresh();
  }

  /** The chosen category needs a visit: the form must send a start. */
  active(): boolean {
    return this.categoryId !== null && this.visitCategories.has(this.categoryId);
  }

  chosen(): string | null {
    return this.start;
  }

  fail(text: string): void {
    this.error.textContent = text;
    this.error.hidden = false;
    this.el.classList.add('rs-invalid');
  }

  /** Loads the free times again (after «время уже занято»). */
  refresh(): void {
    this.el.hidden = !this.active();
    this.start = null;
    this.error.hidden = true;
    this.el.classList.remove('rs-invalid');
    if (!this.active()) return;
    if (this.buildingId === null) {
      fill(this.days);
      fill(this.times);
      this.note.textContent = rb.pickerAddressFirst;
      return;
    }
    const mine = ++this.seq;
    this.note.textContent = rb.pickerLoading;
    void call<{ slots: Slot[] }>('GET', `/api/public/slots?tenantId=${this.tenantId}&buildingId=${this.buildingId}&categoryId=${this.categoryId}&days=14`)
      .then((r) => {
        if (mine !== this.seq) return;
        this.slots = r.slots;
        this.day = r.slots[0] ? dayKey(r.slots[0].start) : null;
        this.render();
      })
      .catch((err: unknown) => { if (mine === this.seq) this.fail(err instanceof PublicError ? rb.failed(err.message) : rb.failed('')); });
  }

  private render(): void {
    this.note.textContent = this.slots.length ? (this.start ? rb.pickerChosen(visitWhen(this.slots.find((s) => s.start === this.start)!)) : '') : rb.noSlots;
    const days = [...new Map(this.slots.map((s) => [dayKey(s.start), s.start])).entries()];
    fill(this.days, days.map(([key, first]) => h('button', {
      type: 'button', class: `btn btn-small rs-day${key === this.day ? ' rs-on' : ''}`, 'aria-pressed': String(key === this.day), testid: 'slot-day',
      onclick: () => { this.day = key; this.render(); },
    }, dayFmt.format(new Date(first)))));
    fill(this.times, this.slots.filter((s) => dayKey(s.start) === this.day).map((s) => h('button', {
      type: 'button', class: `btn btn-small rs-slot${s.start === this.start ? ' rs-on' : ''}`, 'aria-pressed': String(s.start === this.start), testid: 'slot', 'data-start': s.start,
      onclick: () => { this.start = s.start; this.error.hidden = true; this.el.classList.remove('rs-invalid'); this.render(); },
    }, `${timeFmt.format(new Date(s.start))}–${timeFmt.format(new Date(s.end))}`)));
  }
}
