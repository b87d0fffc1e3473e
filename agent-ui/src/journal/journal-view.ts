// «Журнал»: the legal journal of requests of one company over a period —
// the table of every column (scrolls both ways, its header stays on top),
// the same period as XLSX or CSV, and the monthly archive with SHA-256.
import { HttpError } from '../lib/api.ts';
import { h, fill } from '../lib/dom.ts';
import { journalApi, type JournalColumn, type JournalExport, type JournalItem, type JournalQuery } from '../lib/journal-api.ts';
import { jr } from '../i18n/ru-journal.ts';

const pad = (n: number) => String(n).padStart(2, '0');
const lastDay = (period: string) => {
  const [y, m] = period.split('-').map(Number);
  return `${period}-${pad(new Date(Date.UTC(y!, m!, 0)).getUTCDate())}`;
};
const when = (iso: string) => {
  const d = new Date(iso);
  return `${pad(d.getDate())}.${pad(d.getMonth() + 1)}.${d.getFullYear()} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
};

export class JournalView {
  readonly el: HTMLElement;
  private columns: JournalColumn[] = [];
  private items: JournalItem[] = [];
  private next: string | null = null;
  private shownQuery: JournalQuery | null = null;
  private started = false;
  private abort: AbortController | null = null;
  private readonly company = h('select', { id: 'jr-company', class: 'input input-compact', testid: 'journal-company' });
  private readonly from = h('input', { id: 'jr-from', type: 'date', class: 'input input-compact', required: true, testid: 'journal-from' });
  private readonly to = h('input', { id: 'jr-to', type: 'date', class: 'input input-compact', required: true, testid: 'journal-to' });
  private readonly status = h('p', { class: 'jr-status muted small', testid: 'journal-status', 'aria-live': 'polite' });
  private readonly note = h('p', { class: 'jr-note small', testid: 'journal-note', role: 'status' });
  private readonly table = h('table', { class: 'jr-table', testid: 'journal-table' });
  private readonly moreBtn = h('button', { type: 'button', class: 'btn btn-small', testid: 'journal-more', hidden: true }, jr.more);
  private readonly archive = h('div', { class: 'jr-archive-list', testid: 'journal-archive' });
  private readonly zone = h('p', { class: 'muted small' });

  constructor(private readonly o: { onClose(): void; onOpenRequest(id: number): void }) {
    const label = (forId: string, text: string, el: HTMLElement) => h('label', { class: 'req-filter', for: forId }, h('span', { class: 'label' }, text), el);
    const form = h(
      'form',
      { class: 'jr-filters', novalidate: true, role: 'search', 'aria-label': jr.title },
      label('jr-company', jr.company, this.company),
      label('jr-from', jr.from, this.from),
      label('jr-to', jr.to, this.to),
      h('button', { type: 'submit', class: 'btn btn-primary btn-small', testid: 'journal-show' }, jr.show),
      h('div', { class: 'spacer' }),
      h('button', { type: 'button', class: 'btn btn-small', testid: 'journal-xlsx', onclick: () => void this.download('xlsx') }, jr.xlsx),
      h('button', { type: 'button', class: 'btn btn-small', testid: 'journal-csv', onclick: () => void this.download('csv') }, jr.csv),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.load(false);
    });
    this.company.addEventListener('change', () => {
      void this.load(false);
      void this.loadArchive();
    });
    this.moreBtn.addEventListener('click', () => void this.load(true));
    this.el = h(
      'section',
      { class: 'journal-view', testid: 'journal-view', hidden: true, 'aria-label': jr.title },
      h('header', { class: 'req-head' }, h('h2', { class: 'panel-title' }, jr.title), h('div', { class: 'spacer' }),
        h('button', { type: 'button', class: 'btn btn-small', testid: 'journal-close', onclick: () => o.onClose() }, jr.back)),
      form,
      h('div', { class: 'jr-meta' }, this.status, this.zone, this.note),
      h('div', { class: 'jr-table-wrap', testid: 'journal-table-wrap', tabindex: 0 }, this.table),
      h('div', { class: 'jr-more' }, this.moreBtn),
      h('section', { class: 'jr-archive', 'aria-label': jr.archiveTitle }, h('h3', { class: 'section-title' }, jr.archiveTitle), h('p', { class: 'muted small' }, jr.archiveHint), this.archive),
    );
  }

  get visible(): boolean {
    return !this.el.hidden;
  }

  show(): void {
    this.el.hidden = false;
    if (!this.started) {
      this.started = true;
      void this.init();
    }
  }

  hide(): void {
    this.el.hidden = true;
  }

  private async init(): Promise<void> {
    this.status.textContent = jr.loading;
    try {
      const c = await journalApi.companies();
      fill(this.company, c.items.map((t) => h('option', { value: String(t.id) }, t.name)));
      this.from.value = `${c.currentPeriod}-01`;
      this.to.value = lastDay(c.currentPeriod);
      this.zone.textContent = jr.timeZone(c.timeZone);
    } catch (err) {
      if (!(err instanceof HttpError && err.status === 401)) this.status.textContent = jr.failed;
      return;
    }
    await Promise.all([this.load(false), this.loadArchive()]);
  }

  private query(): JournalQuery | null {
    const tenantId = Number(this.company.value);
    if (!tenantId || !this.from.value || !this.to.value) return null;
    if (this.from.value > this.to.value) {
      this.status.textContent = jr.badPeriod;
      return null;
    }
    return { tenantId, from: this.from.value, to: this.to.value };
  }

  private async load(more: boolean): Promise<void> {
    const q = more ? this.shownQuery : this.query();
    if (!q) return;
    this.abort?.abort();
    const abort = (this.abort = new AbortController());
    this.status.textContent = jr.loading;
    try {
      const page = await journalApi.page(q, more ? (this.next ?? undefined) : undefined, abort.signal);
      this.shownQuery = q;
      this.columns = page.columns;
      this.items = more ? [...this.items, ...page.items] : page.items;
      this.next = page.next;
      this.render(more ? page.items : null);
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') return;
      if (!(err instanceof HttpError && err.status === 401)) this.status.textContent = err instanceof HttpError && err.status === 400 ? `${jr.failed}: ${err.message}` : jr.failed;
    }
  }

  /** Draws the table (or only appends `added` rows to it). */
  private render(added: JournalItem[] | null): void {
    if (!added) {
      const head = h('tr', null, this.columns.map((c) => {
        const th = h('th', { scope: 'col', 'data-key': c.key }, c.title);
        th.style.minWidth = `${Math.min(c.width, 40)}ch`;
        return th;
      }));
      fill(this.table, h('thead', null, head), h('tbody', null, this.items.map((i) => this.row(i))));
    } else {
      this.table.tBodies[0]?.append(...added.map((i) => this.row(i)));
    }
    this.status.textContent = this.items.length ? jr.shown(this.items.length, this.next !== null) : jr.empty;
    this.moreBtn.hidden = this.next === null;
  }

  private row(i: JournalItem): HTMLTableRowElement {
    return h('tr', { testid: 'journal-row', 'data-request-id': String(i.requestId) }, this.columns.map((c) => {
      const text = i.cells[c.key] ?? '';
      const link = i.links[c.key];
      if (c.key === 'number') return h('td', { 'data-key': c.key }, h('button', { type: 'button', class: 'link-btn', title: jr.openRequest, onclick: () => this.o.onOpenRequest(i.requestId) }, text));
      if (link) {
        const a = h('a', { href: link, testid: `journal-link-${c.key}` }, text);
        a.addEventListener('click', (e) => {
          e.preventDefault();
          this.o.onOpenRequest(i.requestId);
        });
        return h('td', { 'data-key': c.key }, a);
      }
      return h('td', { 'data-key': c.key, class: c.width >= 30 ? 'wide' : null }, text);
    }));
  }

  private async download(format: 'xlsx' | 'csv'): Promise<void> {
    const q = this.query();
    if (!q) return;
    this.note.textContent = jr.downloading;
    try {
      this.note.textContent = jr.downloaded(await journalApi.download(q, format));
    } catch (err) {
      if (!(err instanceof HttpError && err.status === 401)) this.note.textContent = err instanceof HttpError && err.status === 400 ? `${jr.downloadFailed}: ${err.message}` : jr.downloadFailed;
    }
  }

  private async loadArchive(): Promise<void> {
    const tenantId = Number(this.company.value);
    if (!tenantId) return;
    try {
      const { items } = await journalApi.exports(tenantId);
      this.renderArchive(items);
    } catch (err) {
      if (!(err instanceof HttpError && err.status === 401)) fill(this.archive, h('p', { class: 'field-error' }, jr.archiveFailed));
    }
  }

  private renderArchive(items: JournalExport[]): void {
    if (!items.length) return fill(this.archive, h('p', { class: 'muted', testid: 'journal-archive-empty' }, jr.archiveEmpty));
    const head = h('tr', null, [jr.period, jr.format, jr.rows, jr.size, jr.created, jr.sha, ''].map((t) => h('th', { scope: 'col' }, t)));
    fill(this.archive, h('table', { class: 'jr-archive-table' }, h('thead', null, head), h('tbody', null, items.map((e) => {
      const err = h('span', { class: 'field-error small', role: 'alert' });
      const btn = h('button', { type: 'button', class: 'btn btn-small', testid: 'journal-export-download', onclick: () => {
        err.textContent = '';
        journalApi.downloadExport(e).then((name) => (this.note.textContent = jr.downloaded(name)), (x: unknown) => {
          err.textContent = x instanceof HttpError && x.status === 409 ? jr.tampered : jr.downloadFailed;
        });
      } }, jr.download);
      return h('tr', { testid: 'journal-export', 'data-export-id': String(e.id) },
        h('td', null, jr.monthName(e.period)), h('td', null, e.format.toUpperCase()), h('td', null, String(e.rows)), h('td', null, jr.kb(e.size)),
        h('td', null, when(e.createdAt)), h('td', null, h('code', { class: 'jr-sha', testid: 'journal-export-sha' }, e.sha256)), h('td', null, btn, err));
    }))));
  }
}
