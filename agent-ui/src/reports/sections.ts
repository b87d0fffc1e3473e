// The figures' sections of the reports page: requests, calls, executors and
// complaints. Each draws its table and chart from one API answer; the page
// computes no figure itself.
import { h, fill } from '../lib/dom.ts';
import { request } from '../lib/api.ts';
import { r } from '../i18n/ru-reports.ts';
import type { CallFigures, ExecutorFigures, RequestFigures } from '../../../src/domain/report-figures.ts';
import { colors, drawChart } from './charts.ts';
import { dateText, dur, num, pct, shareText } from './format.ts';

export interface Filter { from: string; to: string; tenantId: number | null }
interface Report<F> { total: F; rows: { key: string | number | null; label: string | null; figures: F }[] }

export const query = (f: Filter, extra: Record<string, string> = {}): string =>
  new URLSearchParams({ from: f.from, to: f.to, ...(f.tenantId !== null ? { tenantId: String(f.tenantId) } : {}), ...extra }).toString();

type Cell = string | number;
function dataTable(testid: string, headers: string[], rows: Cell[][], total?: Cell[]): HTMLElement {
  if (!rows.length) return h('p', { class: 'muted', testid }, r.none);
  return h('div', { class: 'table-wrap' }, h('table', { class: 'report-table', testid },
    h('thead', null, h('tr', null, headers.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', null, rows.map((row) => h('tr', null, row.map((c, i) => (i === 0 ? h('th', { scope: 'row' }, String(c)) : h('td', null, typeof c === 'number' ? num(c) : c)))))),
    total ? h('tfoot', null, h('tr', null, total.map((c, i) => (i === 0 ? h('th', { scope: 'row' }, String(c)) : h('td', null, typeof c === 'number' ? num(c) : c))))) : null));
}

function bySelect(testid: string, options: Record<string, string>, value: string, onChange: () => void): HTMLSelectElement {
  const s = h('select', { class: 'input input-inline', testid }, Object.entries(options).map(([k, v]) => h('option', { value: k, selected: k === value }, v)));
  s.addEventListener('change', onChange);
  return s;
}

const chartBox = (testid: string, tall = false) => {
  const canvas = h('canvas', { testid, role: 'img' });
  return { canvas, box: h('div', { class: tall ? 'chart-box chart-tall' : 'chart-box' }, canvas) };
};

export interface Section { el: HTMLElement; load(f: Filter): Promise<void> }

function section(title: string, testid: string, tools: HTMLElement | null, ...body: HTMLElement[]): HTMLElement {
  return h('section', { class: 'report-section', testid }, h('header', { class: 'report-section-head' }, h('h2', null, title), tools), ...body);
}

export function requestsSection(): Section {
  const { canvas, box } = chartBox('chart-requests');
  const table = h('div');
  let last: Filter | null = null;
  const by = bySelect('requests-by', r.requestBy, 'category', () => void (last && load(last)));
  const label = (k: string | number | null, l: string | null) =>
    by.value === 'executor' ? (l ?? r.noExecutor) : by.value === 'building' ? (l ?? r.noBuilding) : by.value === 'channel' ? (r.channels[String(k)] ?? String(k)) : by.value === 'day' ? dateText(String(k)) : (l ?? String(k));
  const cells = (f: RequestFigures): Cell[] => [f.received, f.done, f.late, f.open, shareText(f.onTime), `${dur(f.handover.medianSec)} / ${dur(f.handover.p90Sec)}`, `${dur(f.complete.medianSec)} / ${dur(f.complete.p90Sec)}`];
  const load = async (f: Filter) => {
    last = f;
    const rep = await request<Report<RequestFigures>>('GET', `/api/reports/requests?${query(f, { by: by.value })}`);
    const labels = rep.rows.map((x) => label(x.key, x.label));
    box.hidden = rep.rows.length === 0;
    drawChart(canvas, labels, [
      { label: r.series.received, data: rep.rows.map((x) => x.figures.received), color: colors.blue },
      { label: r.series.done, data: rep.rows.map((x) => x.figures.done), color: colors.green },
      { label: r.series.late, data: rep.rows.map((x) => x.figures.late), color: colors.red },
    ], { horizontal: by.value !== 'day' });
    const c = r.col;
    fill(table, dataTable('requests-table', [c.group, c.received, c.done, c.late, c.open, c.onTime, c.handover, c.complete], rep.rows.map((x, i) => [labels[i]!, ...cells(x.figures)]), [r.total, ...cells(rep.total)]));
  };
  return { el: section(r.requests, 'section-requests', by, box, table), load };
}

export function callsSection(): Section {
  const { canvas, box } = chartBox('chart-calls');
  const table = h('div');
  let last: Filter | null = null;
  const by = bySelect('calls-by', r.callBy, 'hour', () => void (last && load(last)));
  const label = (k: string | number | null, l: string | null) => (by.value === 'hour' ? `${String(k).padStart(2, '0')}:00` : by.value === 'day' ? dateText(String(k)) : (l ?? String(k)));
  const cells = (f: CallFigures): Cell[] => [f.offered, f.answered, f.answeredOnMobile, f.abandoned, f.unanswered, pct(f.serviceLevel), f.asaSec === null ? '—' : `${num(f.asaSec)} с`, shareText(f.answeredWithin5Min), shareText(f.callbacksWithin10Min)];
  const load = async (f: Filter) => {
    last = f;
    const rep = await request<Report<CallFigures>>('GET', `/api/reports/calls?${query(f, { by: by.value })}`);
    const labels = rep.rows.map((x) => label(x.key, x.label));
    box.hidden = rep.rows.length === 0;
    drawChart(canvas, labels, [
      { label: r.series.offered, data: rep.rows.map((x) => x.figures.offered), color: colors.grey },
      { label: r.series.answered, data: rep.rows.map((x) => x.figures.answered + x.figures.answeredOnMobile), color: colors.blue },
      { label: r.series.abandoned, data: rep.rows.map((x) => x.figures.abandoned), color: colors.red },
      { label: r.series.sl, data: rep.rows.map((x) => x.figures.serviceLevel), color: colors.amber, percent: true },
    ]);
    const c = r.col;
    fill(table, dataTable('calls-table', [c.group, c.offered, c.answered, c.mobile, c.abandoned, c.unanswered, c.sl, c.asa, c.within5, c.callbacks10], rep.rows.map((x, i) => [labels[i]!, ...cells(x.figures)]), [r.total, ...cells(rep.total)]));
  };
  return { el: section(r.calls, 'section-calls', by, box, h('p', { class: 'muted small' }, r.slNote), table), load };
}

export function executorsSection(): Section {
  const { canvas, box } = chartBox('chart-executors');
  const table = h('div');
  const load = async (f: Filter) => {
    const rep = await request<{ items: (ExecutorFigures & { userId: number; name: string })[] }>('GET', `/api/reports/executors?${query(f)}`);
    box.hidden = rep.items.length === 0;
    drawChart(canvas, rep.items.map((x) => x.name), [
      { label: r.series.executorDone, data: rep.items.map((x) => x.done), color: colors.green },
      { label: r.series.openNow, data: rep.items.map((x) => x.openNow), color: colors.amber },
    ], { horizontal: true });
    const c = r.col;
    fill(table, dataTable('executors-table', [c.executor, c.assigned, c.done, c.onTime, c.reopened, c.openNow, c.complete, c.residentScore, c.rating],
      rep.items.map((x) => [x.name, x.assigned, x.done, shareText(x.onTime), x.reopened, x.openNow, `${dur(x.complete.medianSec)} / ${dur(x.complete.p90Sec)}`, x.residentScore.average === null ? '—' : `${num(x.residentScore.average)} (${x.residentScore.count})`, x.rating === null ? '—' : num(x.rating)])));
  };
  return { el: section(r.executors, 'section-executors', null, box, h('p', { class: 'muted small' }, r.ratingNote), table), load };
}

export function complaintsSection(): Section {
  const { canvas, box } = chartBox('chart-complaints');
  const table = h('div');
  const load = async (f: Filter) => {
    const rep = await request<{ categories: { name: string; count: number }[]; buildings: { address: string; count: number }[] }>('GET', `/api/reports/complaints?${query(f, { limit: '10' })}`);
    box.hidden = rep.categories.length === 0;
    drawChart(canvas, rep.categories.map((x) => x.name), [{ label: r.col.count, data: rep.categories.map((x) => x.count), color: colors.blue }], { horizontal: true });
    fill(table, dataTable('complaints-buildings', [r.col.address, r.col.count], rep.buildings.map((x) => [x.address, x.count])));
  };
  return { el: section(r.complaints, 'section-complaints', null, box, table), load };
}
