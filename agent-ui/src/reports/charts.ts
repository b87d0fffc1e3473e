// Charts of the reports page with chart.js, only the pieces used (bars,
// a line for the service level, category and linear axes, legend and
// tooltips), so the bundle stays small. No animation: a chart is drawn at
// once (and a screenshot shows it). chart.js sets canvas sizes through the
// CSSOM, which the page's CSP (no inline styles) allows.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip, type ChartDataset } from 'chart.js';

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Legend, Tooltip);

export const colors = { blue: '#0f5f8c', green: '#1d7a46', red: '#b3261e', amber: '#d08a00', grey: '#8a96a3' };

export interface Series {
  label: string;
  data: (number | null)[];
  color: string;
  /** Drawn as a line against the 0–100 % axis on the right. */
  percent?: boolean;
}

const short = (label: string, max = 34) => (label.length > max ? `${label.slice(0, max - 1)}…` : label);

/** Draws (or redraws) a bar chart with optional percentage lines into `canvas`. */
export function drawChart(canvas: HTMLCanvasElement, labels: string[], series: Series[], o: { horizontal?: boolean; stacked?: boolean } = {}): Chart {
  Chart.getChart(canvas)?.destroy();
  const hasPercent = series.some((s) => s.percent);
  const datasets = series.map((s): ChartDataset<'bar' | 'line', (number | null)[]> => (s.percent
    ? { type: 'line', label: s.label, data: s.data, borderColor: s.color, backgroundColor: s.color, yAxisID: 'pct', spanGaps: true, pointRadius: 3, order: 0 }
    : { type: 'bar', label: s.label, data: s.data, backgroundColor: s.color, borderColor: s.color, yAxisID: 'y', order: 1 }));
  const value = o.horizontal ? 'x' : 'y';
  return new Chart(canvas, {
    type: 'bar',
    data: { labels, datasets },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      indexAxis: o.horizontal ? 'y' : 'x',
      plugins: { legend: { position: 'bottom' } },
      scales: {
        [value]: { beginAtZero: true, stacked: o.stacked ?? false, ticks: { precision: 0 } },
        // Long names (categories, addresses) are shortened on the axis; the tooltip and the table hold them whole.
        [o.horizontal ? 'y' : 'x']: { stacked: o.stacked ?? false, ticks: { callback(v: string | number) { return short(this.getLabelForValue(Number(v))); } } },
        ...(hasPercent ? { pct: { position: 'right', min: 0, max: 100, grid: { drawOnChartArea: false }, ticks: { callback: (v: string | number) => `${v} %` } } } : {}),
      },
    },
  });
}
