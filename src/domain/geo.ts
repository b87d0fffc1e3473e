// Plane geometry for zones and routes: polygons as [lon, lat] rings, their
// bounding boxes, point-in-polygon by ray casting, great-circle distance.
// Pure; zones are a few kilometres wide, so lon/lat as a plane is fine for
// containment.

export type LonLat = [number, number];
export interface BBox { minLon: number; minLat: number; maxLon: number; maxLat: number }

export function bbox(ring: LonLat[]): BBox {
  let minLon = Infinity, minLat = Infinity, maxLon = -Infinity, maxLat = -Infinity;
  for (const [lon, lat] of ring) {
    if (lon < minLon) minLon = lon;
    if (lon > maxLon) maxLon = lon;
    if (lat < minLat) minLat = lat;
    if (lat > maxLat) maxLat = lat;
  }
  return { minLon, minLat, maxLon, maxLat };
}

export const inBBox = (b: BBox, lon: number, lat: number): boolean => lon >= b.minLon && lon <= b.maxLon && lat >= b.minLat && lat <= b.maxLat;

/** Ray casting (even-odd); the ring may be closed or not. Points on an edge may fall either way. */
export function pointInPolygon(lon: number, lat: number, ring: LonLat[]): boolean {
  let inside = false;
  const n = ring.length;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** The ring closed (first point repeated at the end), as stored. */
export function closeRing(ring: LonLat[]): LonLat[] {
  const first = ring[0]!;
  const last = ring[ring.length - 1]!;
  return first[0] === last[0] && first[1] === last[1] ? ring : [...ring, [first[0], first[1]]];
}

/** What is wrong with a polygon: fewer than 3 distinct points, NaN, out-of-range coordinates. */
export function polygonProblems(ring: LonLat[]): string[] {
  const problems: string[] = [];
  ring.forEach(([lon, lat], i) => {
    if (!Number.isFinite(lon) || !Number.isFinite(lat)) problems.push(`point ${i}: not a number`);
    else if (lon < -180 || lon > 180 || lat < -90 || lat > 90) problems.push(`point ${i}: [lon, lat] out of range (lon −180…180, lat −90…90)`);
  });
  const distinct = new Set(ring.map(([a, b]) => `${a},${b}`));
  if (distinct.size < 3) problems.push('a polygon needs at least 3 distinct points');
  return problems;
}

const R = 6371.0088;
const rad = (d: number) => (d * Math.PI) / 180;

/** Great-circle distance in kilometres. */
export function haversineKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const dLat = rad(b.lat - a.lat);
  const dLon = rad(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}
