// The directory page (/directory/, admins): upload a billing export (CSV),
// watch its progress (the upload streams into the importer; the bar follows
// GET /api/directory/import/status), read the row report; and the storage
// overview (GET /api/admin/storage): database, recordings per company, backups.
import '../styles/base.css';
import './directory.css';
import { onUnauthorized, request, session, HttpError, unauthorized } from '../lib/api.ts';
import { h, fill } from '../lib/dom.ts';
import { loginView } from '../ui/login.ts';
import { d } from '../i18n/ru-directory.ts';

interface ImportError { line: number; field: string; problem: string; value: string }
interface ImportReport { total: number; inserted: number; updated: number; unchanged: number; rejected: number; errors: ImportError[]; errorsTruncated: boolean; durationMs: number }
interface ImportStatus { id: string; state: 'running' | 'done' | 'failed'; phase: 'rows' | 'indexes'; rows: number; bytes: number; totalBytes: number | null; report: ImportReport | null; error: string | null }
interface Storage {
  database: { bytes: number; walBytes: number };
  recordings: { tenantId: number | null; name: string | null; retentionDays: number | null; files: number; bytes: number }[];
  backups: { schedule: string; keep: number; items: { file: string; bytes: number; createdAt: string }[] };
  disk: { freeBytes: number; totalBytes: number } | null;
}

const root = document.getElementById('app')!;
document.title = d.title;

function showLogin(): void {
  fill(root, loginView({ subtitle: d.subtitle, onLoggedIn: () => void start() }));
}
onUnauthorized(showLogin);

function reportView(rep: ImportReport): HTMLElement {
  const figure = (label: string, n: number, id: string) => h('div', { testid: `import-${id}` }, h('b', null, n.toLocaleString('ru-RU')), label);
  const s = d.summary;
  return h('div', { testid: 'import-report' },
    h('div', { class: 'dir-summary' }, figure(s.total, rep.total, 'total'), figure(s.inserted, rep.inserted, 'inserted'), figure(s.updated, rep.updated, 'updated'), figure(s.unchanged, rep.unchanged, 'unchanged'), figure(s.rejected, rep.rejected, 'rejected')),
    h('h3', null, d.errorsHeading),
    rep.errors.length === 0 ? h('p', { class: 'muted' }, d.noErrors) : h('table', { class: 'dir-table', testid: 'import-errors' },
      h('thead', null, h('tr', null, h('th', null, d.columns.line), h('th', null, d.columns.field), h('th', null, d.columns.problem), h('th', null, d.columns.value))),
      h('tbody', null, ...rep.errors.map((e) => h('tr', null, h('td', { class: 'num' }, e.line), h('td', null, e.field), h('td', null, e.problem), h('td', null, e.value))))),
    rep.errorsTruncated ? h('p', { class: 'muted' }, d.errorsTruncated(rep.errors.length)) : null);
}

function importSection(onDone: () => void): HTMLElement {
  const file = h('input', { type: 'file', accept: '.csv,text/csv,text/plain', class: 'input', testid: 'import-file' });
  const encoding = h('select', { class: 'input', testid: 'import-encoding' }, ...Object.entries(d.encodings).map(([v, label]) => h('option', { value: v }, label)));
  const tenant = h('input', { class: 'input', maxlength: 200, testid: 'import-tenant' });
  const bar = h('progress', { class: 'dir-progress', max: 100, value: 0, hidden: true, testid: 'import-progress' });
  const status = h('p', { role: 'status', testid: 'import-status' });
  const result = h('div');
  const button = h('button', { class: 'btn btn-primary', type: 'button', testid: 'import-start' }, d.start);
  const show = (st: ImportStatus, size: number) => {
    const pct = st.totalBytes || size ? Math.min(100, Math.round((st.bytes / (st.totalBytes || size)) * 100)) : 0;
    bar.value = st.phase === 'indexes' ? 100 : pct;
    status.textContent = st.phase === 'indexes' ? d.indexing(st.rows) : d.uploading(pct, st.rows);
  };
  button.onclick = async () => {
    const f = file.files?.[0];
    if (!f) return void (status.textContent = d.noFile);
    button.disabled = true;
    bar.hidden = false;
    bar.value = 0;
    fill(result);
    status.textContent = d.uploading(0, 0);
    let polling = true;
    const poll = async () => {
      while (polling) {
        const st = (await request<{ import: ImportStatus | null }>('GET', '/api/directory/import/status').catch(() => ({ import: null }))).import;
        if (polling && st?.state === 'running') show(st, f.size);
        await new Promise((r) => setTimeout(r, 300));
      }
    };
    void poll();
    try {
      const q = new URLSearchParams({ encoding: encoding.value });
      if (tenant.value.trim()) q.set('tenant', tenant.value.trim());
      const res = await fetch(`/api/directory/import?${q}`, { method: 'POST', headers: { 'content-type': 'text/csv', authorization: `Bearer ${session.token ?? ''}` }, body: f });
      const data: unknown = await res.json().catch(() => null);
      if (res.status === 401) return unauthorized();
      if (!res.ok) throw new HttpError(res.status, 'import', res.status === 409 ? d.busy : ((data as { error?: { message?: string } } | null)?.error?.message ?? `HTTP ${res.status}`));
      const rep = data as ImportReport;
      bar.value = 100;
      status.textContent = d.done(rep.durationMs / 1000);
      fill(result, reportView(rep));
      onDone();
    } catch (err) {
      bar.hidden = true;
      status.textContent = d.failed(err instanceof Error ? err.message : String(err));
    } finally {
      polling = false;
      button.disabled = false;
    }
  };
  return h('section', { class: 'dir-section', testid: 'import-section' },
    h('h2', null, d.importHeading), h('p', { class: 'muted' }, d.importHint),
    h('div', { class: 'dir-form' }, h('label', null, d.file, file), h('label', null, d.encoding, encoding), h('label', null, d.tenant, tenant), h('div', null, button)),
    bar, status, result);
}

async function storageSection(el: HTMLElement): Promise<void> {
  const s = await request<Storage>('GET', '/api/admin/storage');
  fill(el, h('h2', null, d.storageHeading),
    h('p', { testid: 'storage-db' }, d.database(s.database.bytes, s.database.walBytes)),
    s.disk ? h('p', null, d.disk(s.disk.freeBytes, s.disk.totalBytes)) : null,
    h('h3', null, d.recordings),
    h('table', { class: 'dir-table', testid: 'storage-recordings' },
      h('thead', null, h('tr', null, h('th', null, d.company), h('th', null, d.files), h('th', null, d.size), h('th', null, d.retention))),
      h('tbody', null, ...s.recordings.map((c) => h('tr', null, h('td', null, c.name ?? d.noCompany), h('td', { class: 'num' }, c.files), h('td', { class: 'num' }, d.mb(c.bytes)), h('td', null, c.retentionDays === null ? d.forever : d.days(c.retentionDays)))))),
    h('h3', null, d.backups(s.backups.schedule, s.backups.keep)),
    s.backups.items.length === 0 ? h('p', { class: 'muted' }, d.noBackups) : h('ul', { testid: 'storage-backups' }, ...s.backups.items.map((b) => h('li', null, `${b.file} · ${d.mb(b.bytes)} · ${new Date(b.createdAt).toLocaleString('ru-RU')}`))));
}

async function start(): Promise<void> {
  if (!session.token) return showLogin();
  const me = await request<{ user: { role: string } }>('GET', '/api/me');
  if (me.user.role !== 'admin') return void fill(root, h('main', { class: 'dir-page' }, h('h1', null, d.heading), h('p', { testid: 'admin-only' }, d.adminOnly)));
  const storage = h('section', { class: 'dir-section', testid: 'storage-section' });
  const refresh = () => void storageSection(storage).catch((err: unknown) => (storage.textContent = err instanceof Error ? err.message : String(err)));
  fill(root, h('main', { class: 'dir-page' }, h('h1', null, d.heading), importSection(refresh), storage));
  refresh();
}

void start();
