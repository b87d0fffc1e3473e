// The supervisors' requests monitor (/wall/?view=monitor): open requests by
// period, kind, category, executor and company; due soon, late, not assigned;
// per executor in work and late; and the reminders escalated to supervisors.
// Live: `requests.monitor` (scoped by the server to the supervisor's
// companies) triggers a re-read of GET /api/requests/monitor with the filters;
// a re-read every 30 s catches deadlines passing with no change.
import type { Socket } from 'socket.io-client';
import { h, fill } from '../lib/dom.ts';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../src/realtime/contract.ts';
import type { MonitorSnapshot, ReminderEvent } from '../../../src/features/requests/types.ts';
import { w } from '../i18n/ru-wallboard.ts';

type Call = <T>(method: string, path: string) => Promise<T>;
const m = w.mon;
const num = (x: number) => x.toLocaleString('ru-RU');

export class RequestMonitor {
  readonly el: HTMLElement;
  private readonly figures = h('div', { class: 'mon-figures', testid: 'monitor-figures' });
  private readonly remindersBox = h('ol', { class: 'rows mon-reminders', testid: 'monitor-reminders' });
  private readonly statusLine = h('p', { class: 'muted small', role: 'status', testid: 'monitor-status' });
  private readonly reminders: ReminderEvent[] = [];
  private readonly f: Record<'period' | 'kind' | 'category' | 'executor' | 'company', HTMLSelectElement>;
  private pending: number | null = null;
  private seq = 0;

  constructor(private readonly call: Call, head: HTMLElement) {
    const sel = (id: string, opts: [string, string][]) => h('select', { id: `mon-${id}`, class: 'input input-compact', testid: `monitor-${id}` }, opts.map(([v, l]) => h('option', { value: v }, l)));
    this.f = {
      period: sel('period', Object.entries(m.periods)),
      kind: sel('kind', Object.entries(m.kinds)),
      category: sel('category', [['', m.any]]),
      executor: sel('executor', [['', m.any]]),
      company: sel('company', [['', m.any]]),
    };
    for (const el of Object.values(this.f)) el.addEventListener('change', () => void this.refresh());
    const label = (key: keyof typeof this.f, text: string) => h('label', { class: 'mon-filter', for: `mon-${key}` }, h('span', { class: 'small muted' }, text), this.f[key]);
    this.el = h(
      'main',
      { class: 'wall wall-desk wall-monitor', testid: 'wall-monitor' },
      head,
      h('div', { class: 'mon-filters', role: 'group' }, label('period', m.period), label('kind', m.kind), label('category', m.category), label('executor', m.executor), label('company', m.company), this.statusLine),
      this.figures,
      h('section', { class: 'panel desk-panel' }, h('h2', { class: 'panel-title' }, m.reminders), this.remindersBox),
    );
    this.renderReminders();
  }

  attach(socket: Socket<ServerToClientEvents, ClientToServerEvents>): void {
    socket.on('requests.monitor', () => this.refreshSoon());
    socket.on('connect', () => this.refreshSoon());
    socket.on('request.reminder', (e) => {
      this.reminders.unshift(e);
      this.reminders.length = Math.min(this.reminders.length, 30);
      this.renderReminders();
      this.refreshSoon();
    });
    void this.loadCategories();
    void this.refresh();
    // «due soon» and «late» also change with time alone (the server pushes on changes only)
    window.setInterval(() => this.refreshSoon(), 30_000);
  }

  private async loadCategories(): Promise<void> {
    const r = await this.call<{ items: { id: number; name: string; kind: string }[] }>('GET', '/api/ticket-categories').catch(() => ({ items: [] }));
    this.f.category.append(...r.items.map((c) => h('option', { value: String(c.id) }, c.name)));
  }

  private refreshSoon(): void {
    if (this.pending !== null) return;
    this.pending = window.setTimeout(() => {
      this.pending = null;
      void this.refresh();
    }, 300);
  }

  private query(): string {
    const p = new URLSearchParams();
    const period = this.f.period.value;
    if (period !== 'all') {
      const d = new Date();
      d.setHours(0, 0, 0, 0);
      if (period === 'week') d.setDate(d.getDate() - 6);
      if (period === 'month') d.setDate(d.getDate() - 29);
      p.set('from', d.toISOString());
    }
    const map: [string, HTMLSelectElement][] = [['kind', this.f.kind], ['categoryId', this.f.category], ['assigneeId', this.f.executor], ['tenantId', this.f.company]];
    for (const [k, el] of map) if (el.value) p.set(k, el.value);
    const s = p.toString();
    return s ? `?${s}` : '';
  }

  async refresh(): Promise<void> {
    const my = ++this.seq;
    try {
      const snap = await this.call<MonitorSnapshot>('GET', `/api/requests/monitor${this.query()}`);
      if (my !== this.seq) return;
      this.render(snap);
      this.statusLine.textContent = `${m.changed} ${new Date(snap.at).toLocaleTimeString('ru-RU')}`;
    } catch {
      this.statusLine.textContent = m.failed;
    }
  }

  /** Companies come from the wallboard's scope. */
  setCompanies(list: { tenantId: number; name: string }[]): void {
    if (this.f.company.options.length > 1) return;
    this.f.company.append(...list.map((c) => h('option', { value: String(c.tenantId) }, c.name)));
  }

  private render(s: MonitorSnapshot): void {
    if (!this.f.executor.value) {
      fill(this.f.executor, h('option', { value: '' }, m.any), s.byExecutor.map((e) => h('option', { value: String(e.userId) }, e.name)));
    }
    const tile = (label: string, value: number, cls: string, testid: string) =>
      h('div', { class: `tile ${cls}` }, h('div', { class: 'tile-label' }, label), h('div', { class: 'tile-value', testid }, num(value)));
    const table = (title: string, cols: string[], rows: (string | number)[][], testid: string, lateCol = -1) =>
      h(
        'section',
        { class: 'panel desk-panel' },
        h('h2', { class: 'panel-title' }, title),
        rows.length
          ? h(
              'table',
              { class: 'wall-table mon-table', testid },
              h('thead', null, h('tr', null, cols.map((c, i) => h('th', { scope: 'col', class: i === 0 ? 'th-line' : '' }, c)))),
              h('tbody', null, rows.map((r) => h('tr', null, r.map((v, i) => (i === 0 ? h('th', { scope: 'row' }, String(v)) : h('td', { class: i === lateCol && Number(v) > 0 ? 'is-bad-text' : '' }, typeof v === 'number' ? num(v) : v)))))),
            )
          : h('p', { class: 'muted desk-empty' }, m.empty),
      );
    const executors = [...s.byExecutor.map((e) => [e.name, e.open, e.late]), ...(s.unassigned ? [[m.notAssigned, s.unassigned, '—']] : [])];
    fill(
      this.figures,
      h(
        'div',
        { class: 'tiles tiles-primary' },
        tile(m.open, s.open, s.open ? 'is-warn' : 'is-ok', 'monitor-open'),
        tile(m.late, s.late, s.late ? 'is-bad' : 'is-ok', 'monitor-late'),
        tile(m.dueSoon, s.dueSoon, s.dueSoon ? 'is-warn' : 'is-ok', 'monitor-due-soon'),
        tile(m.unassigned, s.unassigned, s.unassigned ? 'is-warn' : 'is-ok', 'monitor-unassigned'),
      ),
      h(
        'div',
        { class: 'mon-cols' },
        table(m.byExecutor, [m.colName, m.colOpen, m.colLate], executors, 'monitor-executors', 2),
        table(m.byCategory, [m.colCategory, m.colOpen, m.colLate], s.byCategory.map((c) => [c.name, c.open, c.late]), 'monitor-categories', 2),
        h(
          'div',
          null,
          table(m.byKind, [m.colKind, m.colOpen, m.colLate], s.byKind.map((k) => [m.kinds[k.kind] ?? k.kind, k.open, k.late]), 'monitor-kinds', 2),
          table(m.byStage, [m.colStage, m.colCount], s.byStage.map((x) => [m.stageNames[x.stage] ?? x.stage, x.count]), 'monitor-stages'),
        ),
      ),
    );
  }

  private renderReminders(): void {
    fill(
      this.remindersBox,
      this.reminders.length
        ? this.reminders.map((r) =>
            h(
              'li',
              { class: `row mon-reminder${r.late ? ' is-late' : ''}`, testid: 'monitor-reminder', 'data-request-id': r.requestId },
              h('span', { class: 'row-main' }, m.reminder(r.number, r.late, r.escalated)),
              h('span', { class: 'row-side' }, new Date(r.at).toLocaleTimeString('ru-RU', { hour: '2-digit', minute: '2-digit' })),
            ),
          )
        : h('li', { class: 'muted desk-empty' }, m.noReminders),
    );
  }
}
