import { describe, expect, it } from 'vitest';
import { orderRoute, pathKm, yandexRouteUrl, type Stop } from '../../../src/domain/route.js';

// Points along a line of latitude (1 unit ≈ 0.01° of longitude), given shuffled.
const at = (id: number, x: number): Stop => ({ id, lat: 59.22, lon: 39.88 + x * 0.01 });

describe('route ordering', () => {
  it('orders points on a line from the first one', () => {
    const stops = [at(1, 0), at(4, 3), at(2, 1), at(5, 4), at(3, 2)];
    expect(orderRoute(stops).map((s) => s.id)).toEqual([1, 2, 3, 4, 5]);
  });
  it('from a start point, the nearest first', () => {
    const stops = [at(1, 0), at(2, 1), at(3, 2)];
    expect(orderRoute(stops, { lat: 59.22, lon: 39.88 + 0.025 }).map((s) => s.id)).toEqual([3, 2, 1]);
  });
  it('2-opt removes the back-tracking nearest neighbour leaves', () => {
    // Nearest neighbour from 1 (x=0) goes 1→2 (x=1)→4 (x=2.1), then back across to 3 (x=−1.5) and 5 (x=−3): 7.2 units.
    const stops: Stop[] = [at(1, 0), at(2, 1), at(3, -1.5), at(4, 2.1), at(5, -3)];
    const byIds = (ids: number[]) => ids.map((id) => stops.find((s) => s.id === id)!);
    const best = orderRoute(stops);
    expect(pathKm(best)).toBeLessThan(pathKm(byIds([1, 2, 4, 3, 5])) - 1);
    // The optimum of an open path on a line is its span, end to end: 4→2→1→3→5 or reversed.
    expect(pathKm(best)).toBeCloseTo(pathKm(byIds([4, 2, 1, 3, 5])), 6);
    expect(best.map((s) => s.id).sort()).toEqual([1, 2, 3, 4, 5]);
  });
  it('a Yandex Maps link through the points in order', () => {
    expect(yandexRouteUrl([{ lat: 59.2, lon: 39.9 }, { lat: 59.21, lon: 39.91 }])).toBe('https://yandex.ru/maps/?rtext=59.200000,39.900000~59.210000,39.910000&rtt=auto');
  });
});
