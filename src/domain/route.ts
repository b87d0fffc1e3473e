// An executor's day route: visits ordered to keep travel short — nearest
// neighbour from the first visit (or a given start), then 2-opt until no
// reversal shortens the open path. Haversine distances; no map service.
import { haversineKm } from './geo.js';

export interface Stop { id: number; lat: number; lon: number }

export function pathKm(stops: Stop[]): number {
  let d = 0;
  for (let i = 1; i < stops.length; i++) d += haversineKm(stops[i - 1]!, stops[i]!);
  return d;
}

export function orderRoute<T extends Stop>(stops: T[], start?: { lat: number; lon: number }): T[] {
  if (stops.length <= 2 && !start) return [...stops];
  const left = [...stops];
  const out: T[] = [];
  let here: { lat: number; lon: number } = start ?? left[0]!;
  while (left.length) {
    let best = 0;
    for (let i = 1; i < left.length; i++) if (haversineKm(here, left[i]!) < haversineKm(here, left[best]!)) best = i;
    here = out[out.push(left.splice(best, 1)[0]!) - 1]!;
  }
  // 2-opt on the open path (the start, when given, stays fixed before it).
  const dist = (a: { lat: number; lon: number } | undefined, b: { lat: number; lon: number } | undefined) => (a && b ? haversineKm(a, b) : 0);
  let improved = true;
  for (let guard = 0; improved && guard < 100; guard++) {
    improved = false;
    for (let i = 0; i < out.length - 1; i++) {
      for (let k = i + 1; k < out.length; k++) {
        const before = i === 0 ? start : out[i - 1];
        const after = out[k + 1];
        const delta = dist(before, out[k]) + dist(out[i], after) - dist(before, out[i]) - dist(out[k], after);
        if (delta < -1e-9) {
          out.splice(i, k - i + 1, ...out.slice(i, k + 1).reverse());
          improved = true;
        }
      }
    }
  }
  return out;
}

/** Yandex Maps (and Navigator on a phone) route through the points in order. */
export function yandexRouteUrl(stops: { lat: number; lon: number }[]): string {
  return `https://yandex.ru/maps/?rtext=${stops.map((s) => `${s.lat.toFixed(6)},${s.lon.toFixed(6)}`).join('~')}&rtt=auto`;
}
