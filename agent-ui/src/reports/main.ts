// The reports page (/reports/), for supervisors and admins: a period and a
// company (or all of one's companies), then requests, calls, executors and
// complaints as charts and tables, the decree 416 compliance of a month with
// its PDF / XLSX, and the daily / weekly reports kept by the server.
// Everything comes from GET /api/reports/*; the page computes no figure.
import '../styles/base.css';
import './reports.css';
import { api, HttpError, onUnauthorized, request, session } from '../lib/api.ts';
import { h, fill } from '../lib/dom.ts';
import { loginView } from '../ui/login.ts';
import { r } from '../i18n/ru-reports.ts';
import { isoDate } from './format.ts';
import { callsSection, complaintsSection, executorsSection, requestsSection, type Filter } from './sections.ts';
import { complianceSection, snapshotsSection } from './documents.ts';

const root = document.getElementById('app')!;
document.title = r.title;

function showLogin(notice?: string): void {
  fill(root, loginView({ subtitle: r.subtitle, notice, onLoggedIn: () => void start() }));
}
onUnauthorized(() => showLogin());

/** Quick periods in the browser's calendar (the room's days are the server's: dates are sent as they are). */
function quick(kind: 'thisMonth' | 'lastMonth' | 'lastWeek' | 'yesterday'): { from: string; to: string } {
  const now = new Date();
  const y = now.getFullYear(), m = now.getMonth(), d = now.getDate();
  switch (kind) {
    case 'thisMonth': return { from: isoDate(new Date(y, m, 1)), to: isoDate(now) };
    case 'lastMonth': return { from: isoDate(new Date(y, m - 1, 1)), to: isoDate(new Date(y, m, 0)) };
    case 'yesterday': return { from: isoDate(new Date(y, m, d - 1)), to: isoDate(new Date(y, m, d - 1)) };
    case 'lastWeek': {
      const monday = d - ((now.getDay() + 6) % 7);
      return { from: isoDate(new Date(y, m, monday - 7)), to: isoDate(new Date(y, m, monday - 1)) };
    }
  }
}

async function start(): Promise<void> {
  if (!session.token) return showLogin();
  let companies: { items: { id: number; name: string }[]; timeZone: string };
  try {
    companies = await request('GET', '/api/reports/companies');
  } catch (err) {
    if (err instanceof HttpError && err.status === 403) {
      session.clear();
      return showLogin(r.forbidden);
    }
    throw err;
  }
  const initial = quick('thisMonth');
  const company = h('select', { class: 'input input-inline', testid: 'reports-company' },
    h('option', { value: '' }, r.allCompanies), companies.items.map((c) => h('option', { value: c.id }, c.name)));
  const from = h('input', { class: 'input input-inline', type: 'date', value: initial.from, testid: 'reports-from', required: true });
  const to = h('input', { class: 'input input-inline', type: 'date', value: initial.to, testid: 'reports-to', required: true });
  const status = h('p', { class: 'report-status', role: 'status', testid: 'reports-status' });
  const sections = [requestsSection(), callsSection(), executorsSection(), complaintsSection()];
  const compliance = complianceSection(companies.items, initial.from.slice(0, 7));
  const snapshots = snapshotsSection(companies.items);

  const filter = (): Filter => ({ from: from.value, to: to.value, tenantId: company.value ? Number(company.value) : null });
  const show = async () => {
    const f = filter();
    status.textContent = r.loading;
    status.classList.remove('is-error');
    try {
      await Promise.all([...sections.map((s) => s.load(f)), snapshots.load(f.tenantId)]);
      status.textContent = r.timeZone(companies.timeZone);
    } catch (err) {
      status.textContent = err instanceof HttpError ? err.message : String(err);
      status.classList.add('is-error');
    }
  };
  const setPeriod = (k: Parameters<typeof quick>[0]) => () => {
    const p = quick(k);
    from.value = p.from;
    to.value = p.to;
    void show();
  };
  const logout = () => void api.logout().finally(() => { session.clear(); showLogin(); });

  fill(root, h('main', { class: 'reports-page' },
    h('header', { class: 'reports-head' }, h('h1', null, r.heading), h('button', { class: 'btn', type: 'button', onclick: logout }, r.logout)),
    h('form', { class: 'reports-filter', testid: 'reports-filter', onsubmit: (e: SubmitEvent) => { e.preventDefault(); void show(); } },
      h('label', null, r.company, ' ', company), h('label', null, r.from, ' ', from), h('label', null, r.to, ' ', to),
      h('button', { class: 'btn btn-primary', type: 'submit', testid: 'reports-show' }, r.show),
      h('span', { class: 'quick' },
        h('button', { class: 'btn btn-small', type: 'button', onclick: setPeriod('yesterday') }, r.yesterday),
        h('button', { class: 'btn btn-small', type: 'button', onclick: setPeriod('lastWeek') }, r.lastWeek),
        h('button', { class: 'btn btn-small', type: 'button', onclick: setPeriod('thisMonth') }, r.thisMonth),
        h('button', { class: 'btn btn-small', type: 'button', onclick: setPeriod('lastMonth') }, r.lastMonth))),
    status,
    h('div', { class: 'reports-grid' }, sections.map((s) => s.el)),
    compliance.el,
    snapshots.el));
  company.addEventListener('change', () => void show());
  await Promise.all([show(), compliance.load().catch(() => undefined)]);
}

void start();
