// The decree 416 compliance block (a company's month: three shares with
// their counts, PDF and XLSX downloads) and the list of kept daily / weekly
// snapshots of the reports page.
import { h, fill } from '../lib/dom.ts';
import { HttpError, request, session, unauthorized } from '../lib/api.ts';
import { r } from '../i18n/ru-reports.ts';
import type { CallFigures, RequestFigures, Share } from '../../../src/domain/report-figures.ts';
import { dateText, pct, shareText } from './format.ts';

interface Company { id: number; name: string }
interface Compliance { answeredWithin5Min: Share; callbacksWithin10Min: Share; requestsInTime: Share }

/** Fetches a file with the bearer token and hands it to the browser as a download. */
async function download(path: string, name: string): Promise<void> {
  const res = await fetch(path, { headers: { authorization: `Bearer ${session.token ?? ''}` } });
  if (res.status === 401) return unauthorized();
  if (!res.ok) throw new HttpError(res.status, 'http', r.downloadFailed);
  const url = URL.createObjectURL(await res.blob());
  const a = h('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function complianceSection(companies: Company[], month: string): { el: HTMLElement; load(): Promise<void> } {
  const company = h('select', { class: 'input input-inline', testid: 'compliance-company' }, companies.map((c) => h('option', { value: c.id }, c.name)));
  const monthInput = h('input', { class: 'input input-inline', type: 'month', value: month, testid: 'compliance-month', required: true });
  const figures = h('div', { class: 'compliance-figures', testid: 'compliance-figures' });
  const status = h('p', { class: 'muted', role: 'status', testid: 'compliance-status' });
  const q = () => `tenantId=${company.value}&month=${monthInput.value}`;
  const file = (ext: string) => `compliance-416-${company.value}-${monthInput.value}.${ext}`;
  const tile = (label: string, s: Share, testid: string) =>
    h('div', { class: `compliance-tile ${s.pct === null ? '' : s.pct >= 90 ? 'is-ok' : s.pct >= 70 ? 'is-warn' : 'is-bad'}`, testid },
      h('div', { class: 'compliance-pct' }, pct(s.pct)), h('div', null, label), h('div', { class: 'muted small' }, r.ofCounts(s.met, s.of)));
  const load = async () => {
    if (!/^\d{4}-\d{2}$/.test(monthInput.value)) return;
    status.textContent = '';
    const c = await request<Compliance>('GET', `/api/reports/compliance?${q()}`);
    fill(figures, tile(r.answered5, c.answeredWithin5Min, 'compliance-answered'), tile(r.callbacks10, c.callbacksWithin10Min, 'compliance-callbacks'), tile(r.requestsInTime, c.requestsInTime, 'compliance-requests'));
  };
  const get = (ext: 'pdf' | 'xlsx') => () => void download(`/api/reports/compliance.${ext}?${q()}`, file(ext)).catch((e: unknown) => { status.textContent = e instanceof Error ? e.message : r.downloadFailed; });
  company.addEventListener('change', () => void load());
  monthInput.addEventListener('change', () => void load());
  const el = h('section', { class: 'report-section', testid: 'section-compliance' },
    h('header', { class: 'report-section-head' }, h('h2', null, r.compliance),
      h('label', null, r.complianceCompany, ' ', company), h('label', null, r.month, ' ', monthInput),
      h('button', { class: 'btn', type: 'button', testid: 'compliance-pdf', onclick: get('pdf') }, r.pdf),
      h('button', { class: 'btn', type: 'button', testid: 'compliance-xlsx', onclick: get('xlsx') }, r.xlsx)),
    figures, status);
  return { el, load };
}

interface SnapshotItem { id: number; tenantId: number; kind: string; periodStart: string; periodEnd: string; createdAt: string }
interface SnapshotFigures { requests: RequestFigures; calls: CallFigures }

export function snapshotsSection(companies: Company[]): { el: HTMLElement; load(tenantId: number | null): Promise<void> } {
  const list = h('div');
  const detail = h('p', { class: 'snapshot-detail', role: 'status', testid: 'snapshot-detail' });
  const name = (id: number) => companies.find((c) => c.id === id)?.name ?? String(id);
  const open = async (s: SnapshotItem) => {
    const one = await request<{ figures: SnapshotFigures }>('GET', `/api/reports/snapshots/${s.id}`);
    const f = one.figures;
    detail.textContent = `${r.kinds[s.kind] ?? s.kind}, ${name(s.tenantId)}, ${period(s)}: ${r.snapshotSummary(f.requests.received, f.requests.done, f.calls.offered, pct(f.calls.serviceLevel))}; ${r.answered5.toLowerCase()}: ${shareText(f.calls.answeredWithin5Min)}`;
  };
  const period = (s: SnapshotItem) => (s.periodStart === s.periodEnd ? dateText(s.periodStart) : `${dateText(s.periodStart)} — ${dateText(s.periodEnd)}`);
  const load = async (tenantId: number | null) => {
    const rep = await request<{ items: SnapshotItem[] }>('GET', `/api/reports/snapshots?limit=60${tenantId !== null ? `&tenantId=${tenantId}` : ''}`);
    detail.textContent = '';
    if (!rep.items.length) return fill(list, h('p', { class: 'muted', testid: 'snapshots-list' }, r.noSnapshots));
    fill(list, h('div', { class: 'table-wrap' }, h('table', { class: 'report-table report-list', testid: 'snapshots-list' },
      h('thead', null, h('tr', null, [r.col.kind, r.company, r.col.period, ''].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', null, rep.items.map((s) => h('tr', null, h('td', null, r.kinds[s.kind] ?? s.kind), h('td', null, name(s.tenantId)), h('td', null, period(s)),
        h('td', null, h('button', { class: 'btn btn-small', type: 'button', onclick: () => void open(s) }, r.open))))))));
  };
  return { el: h('section', { class: 'report-section', testid: 'section-snapshots' }, h('header', { class: 'report-section-head' }, h('h2', null, r.snapshots)), list, detail), load };
}
