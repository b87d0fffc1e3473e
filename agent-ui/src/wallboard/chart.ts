// The day chart as inline SVG: per 15 minutes, the most calls waiting at
// once (bars, left scale) and the service level of the calls that arrived
// (line, right scale 0–100 %, the 80 % target dashed). The axis is the whole
// day, 00:00–24:00, filled up to now.
import type { WallboardChartPoint } from '../../../src/features/wallboard/contract.ts';
import { w } from '../i18n/ru-wallboard.ts';

const NS = 'http://www.w3.org/2000/svg';

function el(tag: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

export function chartSvg(points: WallboardChartPoint[], dayStart: string, timeZone: string, tv: boolean): SVGElement {
  // The view box matches the box it is drawn in (TV: ~1400×190), so text is not stretched.
  const W = tv ? 1400 : 1560;
  const H = tv ? 190 : 170;
  const pad = { l: 34, r: 40, t: 10, b: 22 };
  const slots = 96;
  const iw = W - pad.l - pad.r;
  const ih = H - pad.t - pad.b;
  const maxWaiting = Math.max(2, ...points.map((p) => p.waitingMax));
  const step = iw / slots;
  const x = (i: number) => pad.l + i * step;
  const yW = (v: number) => pad.t + ih - (v / maxWaiting) * ih;
  const yS = (v: number) => pad.t + ih - (v / 100) * ih;
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-label': w.chart });

  // Grid: every 3 hours, the 80 % target.
  const start = new Date(dayStart);
  for (let hr = 0; hr <= 24; hr += 3) {
    const gx = x(hr * 4);
    svg.append(el('line', { x1: gx, x2: gx, y1: pad.t, y2: pad.t + ih, class: 'chart-grid' }));
    const label = new Date(start.getTime() + hr * 3600_000).toLocaleTimeString('ru-RU', { hour: '2-digit', minute: '2-digit', timeZone });
    svg.append(el('text', { x: gx, y: H - 6, class: 'chart-axis', 'text-anchor': 'middle' }, hr === 24 ? '24:00' : label));
  }
  svg.append(el('line', { x1: pad.l, x2: pad.l + iw, y1: yS(80), y2: yS(80), class: 'chart-target' }));
  svg.append(el('text', { x: W - pad.r + 4, y: yS(80) + 4, class: 'chart-axis chart-sl-axis' }, '80 %'));
  svg.append(el('text', { x: W - pad.r + 4, y: yS(100) + 8, class: 'chart-axis chart-sl-axis' }, '100'));
  svg.append(el('text', { x: W - pad.r + 4, y: yS(0), class: 'chart-axis chart-sl-axis' }, '0'));
  svg.append(el('text', { x: pad.l - 6, y: yW(maxWaiting) + 8, class: 'chart-axis', 'text-anchor': 'end' }, String(maxWaiting)));
  svg.append(el('text', { x: pad.l - 6, y: yW(0), class: 'chart-axis', 'text-anchor': 'end' }, '0'));

  // Bars: calls waiting at once.
  points.slice(0, slots).forEach((p, i) => {
    if (p.waitingMax <= 0) return;
    const y = yW(p.waitingMax);
    svg.append(el('rect', { x: x(i) + 1, y, width: Math.max(1, step - 2), height: pad.t + ih - y, class: 'chart-bar' }));
  });

  // Line: service level (gaps where nothing counted).
  let d = '';
  let pen = false;
  points.slice(0, slots).forEach((p, i) => {
    if (p.serviceLevel === null) {
      pen = false;
      return;
    }
    d += `${pen ? 'L' : 'M'}${(x(i) + step / 2).toFixed(1)},${yS(p.serviceLevel).toFixed(1)}`;
    pen = true;
  });
  if (d) svg.append(el('path', { d, class: 'chart-sl' }));
  points.slice(0, slots).forEach((p, i) => {
    if (p.serviceLevel === null) return;
    const cls = p.serviceLevel >= 80 ? 'is-ok' : p.serviceLevel >= 60 ? 'is-warn' : 'is-bad';
    svg.append(el('circle', { cx: x(i) + step / 2, cy: yS(p.serviceLevel), r: tv ? 3.5 : 3, class: `chart-dot ${cls}` }));
  });

  // Now.
  const nowIdx = points.length - 1 + 0.5;
  svg.append(el('line', { x1: x(nowIdx), x2: x(nowIdx), y1: pad.t, y2: pad.t + ih, class: 'chart-now' }));

  // Legend.
  const lg = el('g', { class: 'chart-legend' });
  lg.append(el('rect', { x: pad.l + 6, y: pad.t + 2, width: 12, height: 10, class: 'chart-bar' }));
  lg.append(el('text', { x: pad.l + 22, y: pad.t + 11, class: 'chart-axis' }, w.chartWaiting));
  lg.append(el('line', { x1: pad.l + 80, x2: pad.l + 100, y1: pad.t + 7, y2: pad.t + 7, class: 'chart-sl' }));
  lg.append(el('text', { x: pad.l + 104, y: pad.t + 11, class: 'chart-axis' }, w.chartSl));
  svg.append(lg);
  return svg;
}
