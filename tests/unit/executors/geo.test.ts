import { describe, expect, it } from 'vitest';
import { bbox, closeRing, haversineKm, inBBox, pointInPolygon, polygonProblems, type LonLat } from '../../../src/domain/geo.js';

// An L-shaped zone: the notch (upper right) is outside though inside the bounding box.
const L: LonLat[] = [[0, 0], [2, 0], [2, 1], [1, 1], [1, 2], [0, 2]];

describe('zone containment', () => {
  it.each([
    [0.5, 0.5, true], [1.5, 0.5, true], [0.5, 1.5, true],
    [1.5, 1.5, false], // the notch: inside the box, outside the polygon
    [3, 0.5, false], [-0.1, 1, false], [0.5, 2.5, false],
  ])('(%d, %d) inside: %s', (lon, lat, inside) => {
    expect(pointInPolygon(lon, lat, L)).toBe(inside);
    expect(pointInPolygon(lon, lat, closeRing(L))).toBe(inside);
  });
  it('bounding box prefilter', () => {
    const b = bbox(L);
    expect(b).toEqual({ minLon: 0, minLat: 0, maxLon: 2, maxLat: 2 });
    expect(inBBox(b, 1.5, 1.5)).toBe(true);
    expect(inBBox(b, 2.5, 1)).toBe(false);
  });
  it('polygon validation: too few points, NaN, ranges', () => {
    expect(polygonProblems(L)).toEqual([]);
    expect(polygonProblems([[0, 0], [1, 1], [0, 0]])).toEqual(['a polygon needs at least 3 distinct points']);
    expect(polygonProblems([[0, 0], [1, NaN], [2, 2], [3, 0]])[0]).toMatch(/not a number/);
    expect(polygonProblems([[0, 0], [181, 1], [2, 2]])[0]).toMatch(/out of range/);
    expect(closeRing(L).at(-1)).toEqual([0, 0]);
  });
  it('haversine: Vologda–Cherepovets ≈ 115 km', () => {
    expect(haversineKm({ lat: 59.2205, lon: 39.8915 }, { lat: 59.1226, lon: 37.9034 })).toBeGreaterThan(110);
    expect(haversineKm({ lat: 59.2205, lon: 39.8915 }, { lat: 59.1226, lon: 37.9034 })).toBeLessThan(120);
  });
});
