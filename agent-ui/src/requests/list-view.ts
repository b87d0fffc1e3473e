// «Заявки»: the journal of requests with search and filters on the left, the
// chosen request's page on the right. Keyboard-first: F3 opens it with the
// search field focused, ↑/↓ move through the list (also from a search field),
// Enter opens the request; pages of 50 come by keyset paging.
import { HttpError } from '../lib/api.ts';
import { h, fill } from '../lib/dom.ts';
import { formatPhone, formatWhen, fullAddress } from '../lib/format.ts';
import { channelCodes, requestsApi, type ListQuery, type RequestItem } from '../lib/requests-api.ts';
import type { TicketCategory, User } from '../lib/types.ts';
import { t } from '../i18n/index.ts';
import { RequestPage } from './request-page.ts';
import { openNewRequest } from './new-request.ts';
import { dueChip } from './chips.ts';
import { categoryLabel, fitsKind } from '../lib/categories.ts';

const r = t.requests;

export class RequestsView {
  readonly el: HTMLElement;
  readonly page: RequestPage;
  private items: RequestItem[] = [];
  private next: string | null = null;
  private sel = -1;
  private loaded = false;
  private abort: AbortController | null = null;
  private debounce: number | null = null;
  private readonly companies = new Map<number, string>();
  private readonly executors = new Map<number, string>();
  private readonly list = h('ol', { class: 'req-list', testid: 'requests-list', role: 'listbox', 'aria-label': r.title, tabindex: 0 });
  private readonly status = h('p', { class: 'req-status muted small', testid: 'requests-status', 'aria-live': 'polite' });
  private readonly moreBtn = h('button', { type: 'button', class: 'btn btn-small', testid: 'requests-more', hidden: true }, r.more);
  private readonly q: Record<'address' | 'number' | 'phone' | 'text', HTMLInputElement>;
  private readonly f: { status: HTMLSelectElement; kind: HTMLSelectElement; category: HTMLSelectElement; executor: HTMLSelectElement; channel: HTMLSelectElement; company: HTMLSelectElement; from: HTMLInputElement; to: HTMLInputElement };

  constructor(private readonly o: { user: User; categories: () => TicketCategory[]; onClose(): void; callId(): string | null }) {
    for (const id of o.user.tenantIds ?? []) this.companies.set(id, t.requests.create.companyN(id));
    const input = (key: keyof typeof r.search, ph: string, testid: string, extra: Record<string, string> = {}) =>
      h('input', { id: `rq-${key}`, class: 'input', type: 'search', autocomplete: 'off', spellcheck: 'false', placeholder: ph, testid, ...extra });
    this.q = {
      address: input('address', r.search.addressPlaceholder, 'requests-search-address'),
      number: input('number', r.search.numberPlaceholder, 'requests-search-number', { inputmode: 'numeric' }),
      phone: input('phone', '+7…', 'requests-search-phone', { inputmode: 'tel' }),
      text: input('text', r.search.textPlaceholder, 'requests-search-text'),
    };
    const sel = (id: string, testid: string, opts: [string, string][]) => h('select', { id, class: 'input input-compact', testid }, opts.map(([v, l]) => h('option', { value: v }, l)));
    this.f = {
      status: sel('rq-status', 'requests-filter-status', [['', r.any], ['open', r.statusOpen], ['closed', r.statusClosed], ['late', r.lateOnly]]),
      kind: sel('rq-kind', 'requests-filter-kind', [['', r.any], ['emergency', t.ticket.kinds.emergency], ['planned', t.ticket.kinds.planned]]),
      category: sel('rq-category', 'requests-filter-category', [['', r.any]]),
      executor: sel('rq-executor', 'requests-filter-executor', [['', r.any], ['none', r.unassigned]]),
      channel: sel('rq-channel', 'requests-filter-channel', [['', r.any], ...channelCodes.map((c): [string, string] => [c, r.channels[c] ?? c])]),
      company: sel('rq-company', 'requests-filter-company', [['', r.anyCompany]]),
      from: h('input', { type: 'date', id: 'rq-from', class: 'input input-compact', testid: 'requests-filter-from' }),
      to: h('input', { type: 'date', id: 'rq-to', class: 'input input-compact', testid: 'requests-filter-to' }),
    };
    this.page = new RequestPage({ categories: o.categories, onChanged: () => this.reload() });

    const label = (forId: string, text: string, el: HTMLElement) => h('label', { class: 'req-filter', for: forId }, h('span', { class: 'label' }, text), el);
    const searchRow = h(
      'div',
      { class: 'req-search' },
      label('rq-address', r.search.address, this.q.address),
      label('rq-number', r.search.number, this.q.number),
      label('rq-phone', r.search.phone, this.q.phone),
      label('rq-text', r.search.text, this.q.text),
    );
    const resetBtn = h('button', { type: 'button', class: 'btn btn-ghost btn-small', testid: 'requests-reset', onclick: () => this.reset() }, r.reset);
    const filterRow = h(
      'div',
      { class: 'req-filters', role: 'group', 'aria-label': r.filters },
      label('rq-status', r.status, this.f.status),
      label('rq-kind', r.kind, this.f.kind),
      label('rq-category', r.category, this.f.category),
      label('rq-executor', r.executor, this.f.executor),
      label('rq-channel', r.channel, this.f.channel),
      label('rq-company', r.company, this.f.company),
      label('rq-from', r.from, this.f.from),
      label('rq-to', r.to, this.f.to),
      resetBtn,
    );
    for (const el of Object.values(this.q)) el.addEventListener('input', () => this.reloadSoon());
    for (const el of Object.values(this.f)) el.addEventListener('change', () => this.reload());
    this.moreBtn.addEventListener('click', () => void this.load(true));
    this.list.addEventListener('scroll', () => {
      if (this.next && this.list.scrollTop + this.list.clientHeight > this.list.scrollHeight - 200) void this.load(true);
    });

    const head = h(
      'header',
      { class: 'req-head' },
      h('h2', { class: 'panel-title' }, r.title),
      h('span', { class: 'muted small req-keys' }, r.keysHint),
      h('div', { class: 'spacer' }),
      h('button', { type: 'button', class: 'btn btn-primary btn-small', testid: 'requests-new', onclick: () => this.createNew() }, r.newRequest),
      h('button', { type: 'button', class: 'btn btn-small', testid: 'requests-close', title: r.backTitle, onclick: () => o.onClose() }, r.back, h('kbd', { class: 'btn-kbd' }, 'F3')),
    );
    this.el = h(
      'section',
      { class: 'requests-view', testid: 'requests-view', hidden: true, 'aria-label': r.title },
      head,
      searchRow,
      filterRow,
      h('div', { class: 'req-body' }, h('div', { class: 'req-list-col' }, this.status, this.list, this.moreBtn), h('div', { class: 'req-page-col' }, this.page.el)),
    );
    this.el.addEventListener('keydown', this.onKey);
  }

  get visible(): boolean {
    return !this.el.hidden;
  }

  /** Opens the journal (and a request's page when given). */
  show(openId?: number): void {
    this.el.hidden = false;
    this.fillCategories();
    if (!this.loaded) void this.load(false);
    if (openId) void this.page.load(openId);
    else {
      if (this.page.id !== null) void this.page.load(this.page.id, true); // it may have changed meanwhile
      this.q.address.focus();
    }
  }

  hide(): void {
    this.el.hidden = true;
  }

  /** A request changed somewhere (socket): refresh what is on screen. */
  onChanged(requestId: number): void {
    if (!this.loaded) return;
    if (this.page.id === requestId) void this.page.load(requestId, true);
    if (this.visible) this.reloadSoon(600);
  }

  private fillCategories(): void {
    if (this.f.category.options.length > 1) return;
    const kind = this.f.kind.value;
    for (const c of this.o.categories()) if (!kind || fitsKind(c, kind)) this.f.category.append(h('option', { value: String(c.id) }, categoryLabel(c)));
    for (const id of this.companies.keys()) void this.loadExecutors(id);
    this.renderCompanies();
  }

  private async loadExecutors(tenantId: number): Promise<void> {
    try {
      const { items } = await requestsApi.executors(tenantId);
      for (const e of items) this.executors.set(e.id, e.name);
      this.renderExecutors();
    } catch {
      // the filter still offers «не назначен» and the executors seen in the list
    }
  }

  private renderExecutors(): void {
    const keep = this.f.executor.value;
    const list = [...this.executors].sort((a, b) => a[1].localeCompare(b[1], 'ru'));
    fill(this.f.executor, h('option', { value: '' }, r.any), h('option', { value: 'none' }, r.unassigned), list.map(([id, name]) => h('option', { value: String(id) }, name)));
    this.f.executor.value = keep;
  }

  private renderCompanies(): void {
    const keep = this.f.company.value;
    fill(this.f.company, h('option', { value: '' }, r.anyCompany), [...this.companies].map(([id, name]) => h('option', { value: String(id) }, name)));
    this.f.company.value = keep;
  }

  private query(): ListQuery {
    const v = (el: HTMLInputElement | HTMLSelectElement) => el.value.trim() || undefined;
    const num = (el: HTMLSelectElement) => (el.value ? Number(el.value) : undefined);
    const day = (s: string, end: boolean) => (s ? new Date(`${s}T${end ? '23:59:59.999' : '00:00:00'}`).toISOString() : undefined);
    const status = this.f.status.value;
    const text = v(this.q.text);
    return {
      address: v(this.q.address),
      number: v(this.q.number),
      phone: (this.q.phone.value.replace(/\D/g, '').length >= 3 ? v(this.q.phone) : undefined),
      text: text && text.length >= 2 ? text : undefined,
      status: status === 'open' || status === 'closed' ? status : undefined,
      late: status === 'late',
      kind: (v(this.f.kind) as ListQuery['kind']),
      categoryId: num(this.f.category),
      assigneeId: this.f.executor.value === 'none' ? 'none' : num(this.f.executor),
      channel: v(this.f.channel) as ListQuery['channel'],
      tenantId: num(this.f.company),
      from: day(this.f.from.value, false),
      to: day(this.f.to.value, true),
      limit: 50,
    };
  }

  private reset(): void {
    for (const el of Object.values(this.q)) el.value = '';
    for (const el of [this.f.status, this.f.kind, this.f.category, this.f.executor, this.f.channel, this.f.company, this.f.from, this.f.to]) el.value = '';
    this.reload();
    this.q.address.focus();
  }

  private reloadSoon(ms = 250): void {
    if (this.debounce !== null) window.clearTimeout(this.debounce);
    this.debounce = window.setTimeout(() => this.reload(), ms);
  }

  private reload(): void {
    if (this.debounce !== null) window.clearTimeout(this.debounce);
    this.debounce = null;
    void this.load(false);
  }

  private async load(more: boolean): Promise<void> {
    if (more && !this.next) return;
    this.abort?.abort();
    const ac = (this.abort = new AbortController());
    const q = this.query();
    if (more && this.next) q.cursor = this.next;
    if (!more) this.status.textContent = r.loading;
    try {
      const res = await requestsApi.list(q, ac.signal);
      if (ac.signal.aborted) return;
      this.loaded = true;
      const keepId = this.items[this.sel]?.id;
      this.items = more ? [...this.items, ...res.items] : res.items;
      this.next = res.next;
      for (const it of res.items) {
        if (!this.companies.has(it.tenantId) || this.companies.get(it.tenantId) !== it.tenantName) {
          this.companies.set(it.tenantId, it.tenantName);
          this.renderCompanies();
        }
        if (it.assigneeId !== null && !this.executors.has(it.assigneeId)) {
          this.executors.set(it.assigneeId, it.assigneeName ?? String(it.assigneeId));
          this.renderExecutors();
        }
      }
      const idx = keepId !== undefined ? this.items.findIndex((x) => x.id === keepId) : -1;
      this.sel = idx >= 0 ? idx : this.items.length ? 0 : -1;
      this.render(more ? res.items.length : null);
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') return;
      if (err instanceof HttpError && err.status === 401) return;
      this.status.textContent = err instanceof HttpError && err.status === 400 ? err.message : t.common.serverError;
    }
  }

  /** Renders the list; after "more", only the new rows are appended. */
  private render(appended: number | null): void {
    const rows = this.items.map((it, i) => [it, i] as const);
    const fresh = appended === null ? rows : rows.slice(rows.length - appended);
    if (appended === null) fill(this.list);
    this.list.append(...fresh.map(([it, i]) => this.row(it, i)));
    this.markSelected();
    this.status.textContent = this.items.length ? r.found(this.items.length, this.next !== null) : r.empty;
    this.moreBtn.hidden = this.next === null;
  }

  private row(it: RequestItem, i: number): HTMLElement {
    return h(
      'li',
      { class: `req-row${it.status === 'closed' ? ' closed' : ''}${it.late ? ' late' : ''}`, role: 'option', testid: 'request-row', 'data-id': it.id, 'data-number': it.number, id: `rq-row-${it.id}`, onclick: () => { this.sel = i; this.markSelected(); void this.open(); } },
      h('span', { class: `dot dot-${it.kind}`, 'aria-hidden': 'true' }),
      h(
        'span',
        { class: 'req-row-main' },
        h('span', { class: 'req-row-top' }, h('b', null, `№ ${it.number}`), h('span', { class: 'req-stage' }, it.stageName), dueChip(it)),
        h('span', { class: 'req-row-addr' }, fullAddress(it.address, it.flat)),
        h('span', { class: 'req-row-desc' }, it.description),
        h('span', { class: 'req-row-meta' }, [it.categoryName, it.tenantName, it.assigneeName ?? r.unassigned, it.callerPhone ? formatPhone(it.callerPhone) : null, r.channels[it.channel] ?? it.channel].filter(Boolean).join(' · ')),
      ),
      h('span', { class: 'req-row-when' }, formatWhen(it.createdAt)),
    );
  }

  private markSelected(): void {
    const rows = this.list.children;
    for (let i = 0; i < rows.length; i++) rows[i]!.setAttribute('aria-selected', String(i === this.sel));
    const cur = rows[this.sel] as HTMLElement | undefined;
    if (cur) {
      this.list.setAttribute('aria-activedescendant', cur.id);
      cur.scrollIntoView({ block: 'nearest' });
    }
  }

  private async open(): Promise<void> {
    const it = this.items[this.sel];
    if (!it) return;
    await this.page.load(it.id);
    this.page.focus();
  }

  private createNew(): void {
    openNewRequest({
      categories: this.o.categories,
      companies: [...this.companies].map(([id, name]) => ({ id, name })),
      onSaved: (id) => {
        this.reload();
        void this.page.load(id).then(() => this.page.focus());
      },
    });
  }

  private readonly onKey = (e: KeyboardEvent) => {
    const inFilters = e.target instanceof HTMLInputElement && Object.values(this.q).includes(e.target);
    const inList = e.target === this.list;
    if (!inFilters && !inList) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (!this.items.length) return;
      this.sel = Math.max(0, Math.min(this.items.length - 1, this.sel + (e.key === 'ArrowDown' ? 1 : -1)));
      this.markSelected();
      if (this.sel >= this.items.length - 3 && this.next) void this.load(true);
      if (inFilters) this.list.focus();
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (inFilters) void this.load(false).then(() => this.open());
      else void this.open();
    }
  };
}
