// The new-ticket form, prefilled from the call and the picked account; used
// by the console and (compact) by the mobile page. Required fields are
// checked here; the server's field problems are shown next to the fields.
import { api, HttpError, type FieldProblem } from '../lib/api.ts';
import { h, fill } from '../lib/dom.ts';
import { formatPhone, fullAddress } from '../lib/format.ts';
import type { AccountItem, NewTicketBody, Ticket, TicketCategory } from '../lib/types.ts';
import { t } from '../i18n/index.ts';
import { categoryLabel, fitsKind } from '../lib/categories.ts';

export interface TicketContext {
  callId: string | null;
  caller: string;
  callerName: string | null;
  anonymous: boolean;
  tenant: { id: number; name: string } | null;
  account: AccountItem | null;
}

type Kind = 'emergency' | 'planned';
let seq = 0;

const hasCyrillic = (s: string) => /[а-яё]/i.test(s);

export class TicketForm {
  readonly el: HTMLElement;
  private readonly form: HTMLFormElement;
  private readonly prefix = `tf${++seq}`;
  private ctx: TicketContext | null = null;
  private kind: Kind = 'emergency';
  private saving = false;
  private readonly kindInputs: Record<Kind, HTMLInputElement>;
  private readonly category: HTMLSelectElement;
  private readonly addressBox: HTMLElement;
  private readonly address: HTMLInputElement;
  private readonly flat: HTMLInputElement;
  private readonly callerName: HTMLInputElement;
  private readonly callerPhone: HTMLInputElement;
  private readonly anonymous: HTMLInputElement;
  private readonly description: HTMLTextAreaElement;
  private readonly saveBtn: HTMLButtonElement;
  private readonly summary: HTMLElement;
  private readonly result: HTMLElement;
  private readonly errors = new Map<string, HTMLElement>();

  constructor(private readonly o: { categories: () => TicketCategory[]; compact?: boolean; onSaved?(t: Ticket): void; onOpenTicket?(id: number): void; channel?(): string | undefined }) {
    const id = (n: string) => `${this.prefix}-${n}`;
    const touch = (el: HTMLInputElement | HTMLTextAreaElement) => el.addEventListener('input', () => (el.dataset.touched = '1'));

    this.kindInputs = {
      emergency: h('input', { type: 'radio', name: id('kind'), value: 'emergency', id: id('kind-e'), testid: 'ticket-kind-emergency', checked: true }),
      planned: h('input', { type: 'radio', name: id('kind'), value: 'planned', id: id('kind-p'), testid: 'ticket-kind-planned' }),
    };
    for (const k of ['emergency', 'planned'] as const) {
      this.kindInputs[k].addEventListener('change', () => {
        if (this.kindInputs[k].checked) this.setKind(k);
      });
    }
    this.category = h('select', { id: id('category'), class: 'input', testid: 'ticket-category', required: true });
    this.category.addEventListener('change', () => this.clearError('categoryId'));
    this.address = h('input', { id: id('address'), class: 'input', testid: 'ticket-address', autocomplete: 'off', placeholder: t.ticket.addressPlaceholder });
    this.flat = h('input', { id: id('flat'), class: 'input input-short', testid: 'ticket-flat', autocomplete: 'off', inputmode: 'text' });
    this.callerName = h('input', { id: id('caller-name'), class: 'input', testid: 'ticket-caller-name', autocomplete: 'off', placeholder: t.ticket.callerNamePlaceholder });
    this.callerPhone = h('input', { id: id('caller-phone'), class: 'input', testid: 'ticket-caller-phone', autocomplete: 'off', inputmode: 'tel', type: 'tel' });
    this.anonymous = h('input', { id: id('anonymous'), type: 'checkbox', testid: 'ticket-anonymous' });
    this.description = h('textarea', { id: id('description'), class: 'input textarea', testid: 'ticket-description', rows: o.compact ? 3 : 3, placeholder: t.ticket.descriptionPlaceholder, required: true });
    for (const el of [this.address, this.flat, this.callerName, this.callerPhone, this.description]) touch(el);
    this.address.addEventListener('input', () => this.clearError('address'));
    this.description.addEventListener('input', () => this.clearError('description'));
    this.anonymous.addEventListener('change', () => {
      this.callerName.disabled = this.anonymous.checked;
      this.callerPhone.disabled = this.anonymous.checked;
    });
    this.addressBox = h('div', { class: 'address-box' });
    this.saveBtn = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'ticket-save' }, t.ticket.save);
    this.summary = h('div', { class: 'form-summary', role: 'alert', testid: 'ticket-error', hidden: true });
    this.result = h('div', { class: 'form-result', 'aria-live': 'polite' });

    const err = (field: string) => {
      const e = h('p', { class: 'field-error', id: id(`err-${field}`), testid: `ticket-error-${field}`, hidden: true });
      this.errors.set(field, e);
      return e;
    };
    const field = (label: string, forId: string, input: HTMLElement, errField: string | null, extra = '') =>
      h('div', { class: `field ${extra}` }, h('label', { class: 'label', for: forId }, label), input, errField ? err(errField) : null);

    this.description.setAttribute('aria-describedby', id('err-description'));
    this.category.setAttribute('aria-describedby', id('err-categoryId'));
    this.address.setAttribute('aria-describedby', id('err-address'));

    this.form = h(
      'form',
      { class: `ticket-form${o.compact ? ' compact' : ''}`, testid: 'ticket-form', novalidate: true, 'aria-labelledby': id('title') },
      h('h3', { class: 'section-title', id: id('title') }, t.ticket.title),
      h(
        'div',
        { class: 'form-row' },
        h(
          'fieldset',
          { class: 'field kind-field', testid: 'ticket-kind' },
          h('legend', { class: 'label' }, t.ticket.kind),
          h('div', { class: 'segmented' },
            h('label', { class: 'seg seg-emergency', for: id('kind-e') }, this.kindInputs.emergency, h('span', null, t.ticket.kinds.emergency)),
            h('label', { class: 'seg seg-planned', for: id('kind-p') }, this.kindInputs.planned, h('span', null, t.ticket.kinds.planned)),
          ),
        ),
        field(t.ticket.category, id('category'), this.category, 'categoryId', 'grow'),
      ),
      field(t.ticket.description, id('description'), this.description, 'description'),
      this.addressBox,
      h(
        'div',
        { class: 'form-row' },
        field(t.ticket.callerName, id('caller-name'), this.callerName, 'callerName', 'grow'),
        field(t.ticket.callerPhone, id('caller-phone'), this.callerPhone, 'callerPhone', 'grow'),
      ),
      h('div', { class: 'field checkbox-field' }, this.anonymous, h('label', { for: id('anonymous') }, t.ticket.anonymous)),
      err('callId'),
      this.summary,
      h('div', { class: 'form-actions' }, this.saveBtn, o.compact ? null : h('span', { class: 'kbd-hint' }, h('kbd', null, 'Ctrl'), '+', h('kbd', null, 'Enter'))),
    );
    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.submit();
    });
    this.form.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        void this.submit();
      }
    });
    this.el = h('div', { class: 'ticket-area' }, this.result, this.form);
    this.renderCategories();
    this.renderAddress();
  }

  private setKind(k: Kind): void {
    this.kind = k;
    this.kindInputs[k].checked = true;
    this.renderCategories();
  }

  renderCategories(): void {
    const keep = this.category.value;
    const cats = this.o.categories().filter((c) => fitsKind(c, this.kind));
    fill(
      this.category,
      h('option', { value: '' }, t.ticket.categoryChoose),
      cats.map((c) => h('option', { value: String(c.id) }, categoryLabel(c))),
    );
    if (cats.some((c) => String(c.id) === keep)) this.category.value = keep;
    else this.category.value = this.defaultCategory();
  }

  /** «Прочая …» of the kind, so a ticket can be saved at once; the operator refines it. */
  private defaultCategory(): string {
    const other = this.o.categories().find((c) => c.kind === this.kind && c.code.startsWith('other'));
    return other ? String(other.id) : '';
  }

  private renderAddress(): void {
    const id = (n: string) => `${this.prefix}-${n}`;
    const acc = this.ctx?.account ?? null;
    this.errors.delete('address');
    this.errors.delete('accountNumber');
    this.errors.delete('flat');
    const mk = (field: string) => {
      const e = h('p', { class: 'field-error', id: id(`err-${field}`), testid: `ticket-error-${field}`, hidden: true });
      this.errors.set(field, e);
      return e;
    };
    if (acc) {
      fill(
        this.addressBox,
        h(
          'div',
          { class: 'field' },
          h('span', { class: 'label' }, t.ticket.address),
          h('p', { class: 'address-fixed', testid: 'ticket-address-fixed' }, fullAddress(acc.address, this.flat.value || acc.flat), ' ', h('span', { class: 'muted small' }, t.ticket.addressFromAccount(acc.accountNumber))),
          mk('accountNumber'),
          mk('address'),
        ),
        h('div', { class: 'field field-flat' }, h('label', { class: 'label', for: id('flat') }, t.ticket.flat), this.flat, mk('flat')),
      );
    } else {
      fill(
        this.addressBox,
        h(
          'div',
          { class: 'form-row' },
          h('div', { class: 'field grow' }, h('label', { class: 'label', for: id('address') }, t.ticket.address), this.address, mk('address'), mk('accountNumber'), mk('tenantId')),
          h('div', { class: 'field field-flat' }, h('label', { class: 'label', for: id('flat') }, t.ticket.flat), this.flat, mk('flat')),
        ),
      );
    }
    this.addressBox.classList.toggle('form-row', !!acc);
  }

  /** New call or another account picked: prefill what the operator has not typed. */
  setContext(ctx: TicketContext): void {
    const sameCall = this.ctx?.callId === ctx.callId && this.ctx !== null;
    this.ctx = ctx;
    if (!sameCall) this.reset();
    const untouched = (el: HTMLInputElement) => el.dataset.touched !== '1';
    if (untouched(this.flat)) this.flat.value = ctx.account?.flat ?? '';
    if (untouched(this.callerName)) this.callerName.value = ctx.callerName ?? ctx.account?.holderName ?? '';
    if (untouched(this.callerPhone)) this.callerPhone.value = ctx.anonymous ? '' : formatPhone(ctx.caller);
    if (!sameCall) {
      this.anonymous.checked = ctx.anonymous;
      this.callerName.disabled = ctx.anonymous;
      this.callerPhone.disabled = ctx.anonymous;
    }
    this.renderAddress();
  }

  /** Empties the form for another ticket on the same call. */
  reset(): void {
    for (const el of [this.address, this.flat, this.callerName, this.callerPhone, this.description]) {
      el.value = '';
      delete el.dataset.touched;
    }
    this.setKind('emergency');
    this.category.value = this.defaultCategory();
    this.clearErrors();
    fill(this.result);
  }

  focusFirst(): void {
    this.description.focus();
  }

  private clearError(field: string): void {
    const e = this.errors.get(field);
    if (e) {
      e.hidden = true;
      e.textContent = '';
    }
    this.inputFor(field)?.removeAttribute('aria-invalid');
  }

  private clearErrors(): void {
    for (const f of this.errors.keys()) this.clearError(f);
    this.summary.hidden = true;
    this.summary.textContent = '';
  }

  private inputFor(field: string): HTMLElement | null {
    const m: Record<string, HTMLElement> = {
      categoryId: this.category,
      description: this.description,
      address: this.address,
      flat: this.flat,
      callerName: this.callerName,
      callerPhone: this.callerPhone,
      kind: this.kindInputs.emergency,
    };
    return m[field] ?? null;
  }

  private showErrors(problems: FieldProblem[], summary: string): void {
    this.clearErrors();
    let focus: HTMLElement | null = null;
    const unplaced: string[] = [];
    for (const p of problems) {
      const field = p.field.split('.')[0] ?? p.field;
      const text = hasCyrillic(p.problem) ? p.problem : (t.ticket.fieldProblems[field] ?? t.ticket.fieldFallback);
      const e = this.errors.get(field);
      if (e) {
        e.textContent = text;
        e.hidden = false;
      } else {
        unplaced.push(text);
      }
      const input = this.inputFor(field);
      if (input) {
        input.setAttribute('aria-invalid', 'true');
        focus ??= input;
      }
    }
    this.summary.textContent = [summary, ...unplaced].join(' ');
    this.summary.hidden = false;
    (focus ?? this.description).focus();
  }

  private body(): { body: NewTicketBody | null; problems: FieldProblem[] } {
    const problems: FieldProblem[] = [];
    const ctx = this.ctx;
    const categoryId = Number(this.category.value);
    if (!categoryId) problems.push({ field: 'categoryId', problem: t.ticket.required.categoryId });
    const description = this.description.value.trim();
    if (description.length < 3) problems.push({ field: 'description', problem: t.ticket.required.description });
    const b: NewTicketBody = { kind: this.kind, categoryId, description };
    if (ctx?.account) {
      b.accountNumber = ctx.account.accountNumber;
    } else {
      const address = this.address.value.trim();
      if (address.length < 3) problems.push({ field: 'address', problem: t.ticket.required.address });
      else if (!ctx?.tenant) problems.push({ field: 'tenantId', problem: t.ticket.required.tenantId });
      b.address = address;
      if (ctx?.tenant) b.tenantId = ctx.tenant.id;
    }
    const flat = this.flat.value.trim();
    if (flat) b.flat = flat;
    if (this.anonymous.checked) {
      b.anonymous = true;
    } else {
      const name = this.callerName.value.trim();
      const phone = this.callerPhone.value.trim();
      if (name) b.callerName = name;
      if (phone) b.callerPhone = phone;
    }
    if (ctx?.callId) b.callId = ctx.callId;
    const channel = this.o.channel?.();
    if (channel) b.channel = channel;
    return { body: problems.length ? null : b, problems };
  }

  async submit(): Promise<void> {
    if (this.saving) return;
    const { body, problems } = this.body();
    if (!body) {
      this.showErrors(problems, t.ticket.fixErrors);
      return;
    }
    this.saving = true;
    this.saveBtn.disabled = true;
    this.saveBtn.textContent = t.ticket.saving;
    try {
      const { ticket } = await api.createTicket(body);
      this.clearErrors();
      this.showSaved(ticket);
      this.o.onSaved?.(ticket);
    } catch (err) {
      if (err instanceof HttpError && err.status === 400) {
        this.showErrors(err.details.length ? err.details : [{ field: 'form', problem: err.message }], t.ticket.fixErrors);
      } else if (err instanceof HttpError && err.status === 401) {
        // the page goes back to the login form
      } else {
        this.clearErrors();
        this.summary.textContent = t.ticket.failed;
        this.summary.hidden = false;
      }
    } finally {
      this.saving = false;
      this.saveBtn.disabled = false;
      this.saveBtn.textContent = t.ticket.save;
    }
  }

  private showSaved(ticket: Ticket): void {
    const open = h('button', { type: 'button', class: 'link', onclick: () => this.o.onOpenTicket?.(ticket.id) }, t.ticket.saved(ticket.number));
    fill(
      this.result,
      h(
        'div',
        { class: 'saved', testid: 'ticket-saved', 'data-ticket-id': ticket.id, 'data-ticket-number': ticket.number },
        h('span', { class: 'saved-icon', 'aria-hidden': 'true' }, '✓'),
        open,
        ticket.callIds.length ? h('span', { class: 'muted small' }, ` — ${t.ticket.linkedToCall}`) : null,
      ),
    );
    for (const el of [this.description, this.address]) {
      el.value = '';
      delete el.dataset.touched;
    }
    this.category.value = this.defaultCategory();
  }
}
