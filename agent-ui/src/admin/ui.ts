// Small building blocks of the admin page: a labelled field, a table, the
// status line that shows the server's answer (its 400 details field by field).
import { HttpError, request } from '../lib/api.ts';
import { h, fill } from '../lib/dom.ts';
import { a } from '../i18n/ru-admin.ts';

export interface Company { id: number; name: string }

export function field(name: string, control: HTMLElement, hint?: string): HTMLElement {
  return h('label', { class: 'field admin-field' }, h('span', { class: 'label' }, a.fields[name] ?? name), control, hint ? h('span', { class: 'muted small' }, hint) : null);
}

export const input = (testid: string, value: string | number = '', type = 'text') => h('input', { class: 'input', testid, value: String(value), type });

export function select(testid: string, options: [string, string][], value = ''): HTMLSelectElement {
  return h('select', { class: 'input', testid }, ...options.map(([v, label]) => h('option', { value: v, selected: v === value }, label)));
}

export function table(testid: string, head: string[], rows: (string | Node)[][], empty: string): HTMLElement {
  if (!rows.length) return h('p', { class: 'muted', testid }, empty);
  return h('table', { class: 'admin-table', testid }, h('thead', null, h('tr', null, ...head.map((c) => h('th', null, c)))), h('tbody', null, ...rows.map((r) => h('tr', null, ...r.map((c) => h('td', null, c))))));
}

/** The page's status line: a saved note, or what the server refused and why. */
export class Status {
  readonly el = h('div', { class: 'admin-status', role: 'status', testid: 'admin-status' });

  ok(text: string): void {
    this.el.className = 'admin-status admin-ok';
    fill(this.el, text);
  }

  error(err: unknown): void {
    this.el.className = 'admin-status form-summary';
    if (!(err instanceof HttpError)) return void fill(this.el, String(err));
    if (err.details.length) {
      fill(this.el, a.problems, h('ul', null, ...err.details.map((d) => h('li', null, `${a.fields[d.field.split('.')[0]!] ?? d.field}${d.field.includes('.') ? ` (${d.field})` : ''}: ${d.problem}`))));
    } else fill(this.el, a.failed(err.status, err.message));
  }

  clear(): void {
    this.el.className = 'admin-status';
    fill(this.el);
  }

  /** Runs a change; shows "saved" or the refusal; true when it went through. */
  async run(fn: () => Promise<unknown>, done = a.saved): Promise<boolean> {
    try {
      await fn();
      this.ok(done);
      return true;
    } catch (err) {
      this.error(err);
      return false;
    }
  }
}

export const companies = () => request<{ items: Company[] }>('GET', '/api/tenants').then((r) => r.items);
export const companyName = (list: Company[], id: number | null) => list.find((c) => c.id === id)?.name ?? a.none;

/** Checkboxes of the companies; returns the element and a reader of the ticked ids. */
export function companyChecks(testid: string, list: Company[], ticked: number[]): { el: HTMLElement; value(): number[] } {
  const boxes = list.map((c) => ({ id: c.id, box: h('input', { type: 'checkbox', value: c.id, checked: ticked.includes(c.id), testid: `${testid}-${c.id}` }) }));
  return {
    el: h('div', { class: 'admin-checks', testid }, ...boxes.map(({ box }, i) => h('label', { class: 'checkbox-field' }, box, ' ', list[i]!.name))),
    value: () => boxes.filter((b) => b.box.checked).map((b) => b.id),
  };
}

export const num = (el: HTMLInputElement) => (el.value.trim() === '' ? undefined : Number(el.value));
