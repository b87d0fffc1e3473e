// The day route as a printable list: plain text and a small HTML page.
import type { ExecutorService } from './service.js';

type Route = ReturnType<ExecutorService['route']>;

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function routeText(name: string, r: Route): string {
  const lines = [`Маршрут на ${r.date}: ${name}`, `Всего: ${r.visits.length + r.unplaced.length}, путь ≈ ${r.distanceKm} км`, ''];
  for (const v of r.visits) lines.push(`${v.order}. № ${v.number} — ${v.address}${v.flat ? `, кв. ${v.flat}` : ''}: ${v.description}`);
  if (r.unplaced.length) {
    lines.push('', 'Без координат:');
    for (const v of r.unplaced) lines.push(`— № ${v.number} — ${v.address}${v.flat ? `, кв. ${v.flat}` : ''}: ${v.description}`);
  }
  if (r.yandexMapsUrl) lines.push('', `Яндекс Карты: ${r.yandexMapsUrl}`);
  return lines.join('\n') + '\n';
}

export function routeHtml(name: string, r: Route): string {
  const li = (v: { number: string; address: string; flat: string | null; description: string }) => `<li><b>№ ${esc(v.number)}</b> — ${esc(v.address)}${v.flat ? `, кв. ${esc(v.flat)}` : ''}<br>${esc(v.description)}</li>`;
  return `<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Маршрут ${esc(r.date)}</title>
<style>body{font:14px sans-serif;margin:2em}li{margin:.5em 0}@media print{a{display:none}}</style></head><body>
<h1>Маршрут на ${esc(r.date)}</h1><p>${esc(name)} · путь ≈ ${r.distanceKm} км</p>
<ol>${r.visits.map(li).join('')}</ol>
${r.unplaced.length ? `<h2>Без координат</h2><ul>${r.unplaced.map(li).join('')}</ul>` : ''}
${r.yandexMapsUrl ? `<p><a href="${esc(r.yandexMapsUrl)}">Открыть в Яндекс Картах</a></p>` : ''}
</body></html>`;
}
