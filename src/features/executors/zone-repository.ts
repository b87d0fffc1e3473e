// Zones and buildings' coordinates: polygons per company, the buildings
// inside them materialised (bounding box, then ray casting) whenever a zone
// or a building's coordinates change.
import { stmt, type Db } from '../../store/db.js';
import { bbox, closeRing, inBBox, pointInPolygon, type LonLat } from '../../domain/geo.js';
import { ids, ph } from './sql.js';

export interface ZoneView { id: number; tenantId: number; city: string; name: string; polygon: LonLat[]; responsibleId: number | null; executorIds: number[]; buildingCount: number }

export class ZoneRepository {
  constructor(private readonly db: Db) {}

  buildingTenant(buildingId: number): number | null {
    return (stmt(this.db, 'SELECT tenant_id FROM buildings WHERE id = ?').pluck().get(buildingId) as number | undefined) ?? null;
  }

  /** The companies a user works for (null: all), for the zones page. */
  tenants(tenantIds: number[] | null): { id: number; name: string }[] {
    if (tenantIds === null) return stmt(this.db, 'SELECT id, name FROM tenants ORDER BY id').all() as { id: number; name: string }[];
    if (!tenantIds.length) return [];
    return stmt(this.db, `SELECT id, name FROM tenants WHERE id IN (${ph(tenantIds)}) ORDER BY id`).all(...tenantIds) as { id: number; name: string }[];
  }

  // ── zones ──────────────────────────────────────────────────────────────
  zone(id: number): ZoneView | null {
    const z = stmt(this.db, 'SELECT id, tenant_id AS tenantId, city, name, polygon, responsible_id AS responsibleId FROM zones WHERE id = ?').get(id) as
      { id: number; tenantId: number; city: string; name: string; polygon: string; responsibleId: number | null } | undefined;
    if (!z) return null;
    return {
      ...z, polygon: JSON.parse(z.polygon) as LonLat[],
      executorIds: ids(this.db, 'SELECT user_id FROM executor_zones WHERE zone_id = ? ORDER BY user_id', id),
      buildingCount: stmt(this.db, 'SELECT count(*) FROM zone_buildings WHERE zone_id = ?').pluck().get(id) as number,
    };
  }

  zones(tenantIds: number[] | null): ZoneView[] {
    const rows = tenantIds === null ? ids(this.db, 'SELECT id FROM zones ORDER BY id') : tenantIds.length === 0 ? [] : (stmt(this.db, `SELECT id FROM zones WHERE tenant_id IN (${ph(tenantIds)}) ORDER BY id`).pluck().all(...tenantIds) as number[]);
    return rows.map((id) => this.zone(id)!);
  }

  /** Creates or replaces a zone and materialises the buildings inside it, in one transaction. */
  saveZone(z: { id?: number; tenantId: number; city: string; name: string; polygon: LonLat[]; responsibleId: number | null }): number {
    const ring = closeRing(z.polygon);
    const b = bbox(ring);
    return this.db.transaction(() => {
      let id = z.id;
      if (id === undefined) {
        id = Number(stmt(this.db, 'INSERT INTO zones (tenant_id, city, name, polygon, responsible_id, min_lon, min_lat, max_lon, max_lat) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
          .run(z.tenantId, z.city, z.name, JSON.stringify(ring), z.responsibleId, b.minLon, b.minLat, b.maxLon, b.maxLat).lastInsertRowid);
      } else {
        stmt(this.db, 'UPDATE zones SET city = ?, name = ?, polygon = ?, responsible_id = ?, min_lon = ?, min_lat = ?, max_lon = ?, max_lat = ? WHERE id = ?')
          .run(z.city, z.name, JSON.stringify(ring), z.responsibleId, b.minLon, b.minLat, b.maxLon, b.maxLat, id);
        stmt(this.db, 'DELETE FROM zone_buildings WHERE zone_id = ?').run(id);
      }
      const inside = stmt(this.db, 'SELECT id, lon, lat FROM buildings WHERE tenant_id = ? AND lon BETWEEN ? AND ? AND lat BETWEEN ? AND ?')
        .all(z.tenantId, b.minLon, b.maxLon, b.minLat, b.maxLat) as { id: number; lon: number; lat: number }[];
      const ins = stmt(this.db, 'INSERT INTO zone_buildings (zone_id, building_id) VALUES (?, ?)');
      for (const p of inside) if (pointInPolygon(p.lon, p.lat, ring)) ins.run(id, p.id);
      return id;
    })();
  }

  deleteZone(id: number): void {
    stmt(this.db, 'DELETE FROM zones WHERE id = ?').run(id);
  }

  setZoneExecutors(zoneId: number, userIds: number[]): void {
    this.db.transaction(() => {
      stmt(this.db, 'DELETE FROM executor_zones WHERE zone_id = ?').run(zoneId);
      for (const u of userIds) stmt(this.db, 'INSERT OR IGNORE INTO executor_zones (zone_id, user_id) VALUES (?, ?)').run(zoneId, u);
    })();
  }

  /** Sets a building's coordinates and re-materialises which of its company's zones hold it. */
  setCoordinates(buildingId: number, lat: number | null, lon: number | null): void {
    this.db.transaction(() => {
      stmt(this.db, 'UPDATE buildings SET lat = ?, lon = ? WHERE id = ?').run(lat, lon, buildingId);
      stmt(this.db, 'DELETE FROM zone_buildings WHERE building_id = ?').run(buildingId);
      if (lat === null || lon === null) return;
      const zones = stmt(this.db, 'SELECT z.id, z.polygon, z.min_lon AS minLon, z.min_lat AS minLat, z.max_lon AS maxLon, z.max_lat AS maxLat FROM zones z JOIN buildings b ON b.tenant_id = z.tenant_id WHERE b.id = ? AND z.min_lon <= ? AND z.max_lon >= ?')
        .all(buildingId, lon, lon) as { id: number; polygon: string; minLon: number; minLat: number; maxLon: number; maxLat: number }[];
      for (const z of zones) {
        if (inBBox(z, lon, lat) && pointInPolygon(lon, lat, JSON.parse(z.polygon) as LonLat[])) stmt(this.db, 'INSERT INTO zone_buildings (zone_id, building_id) VALUES (?, ?)').run(z.id, buildingId);
      }
    })();
  }

  setCoordinatesIfChanged(buildingId: number, lat: number, lon: number): void {
    const cur = stmt(this.db, 'SELECT lat, lon FROM buildings WHERE id = ?').get(buildingId) as { lat: number | null; lon: number | null } | undefined;
    if (cur && (cur.lat !== lat || cur.lon !== lon)) this.setCoordinates(buildingId, lat, lon);
  }

  /** The company's buildings as points (for the zones page and routes). */
  buildingPoints(tenantId: number, limit: number): { id: number; address: string; lat: number; lon: number }[] {
    return stmt(this.db, 'SELECT id, address, lat, lon FROM buildings WHERE tenant_id = ? AND lat IS NOT NULL AND lon IS NOT NULL ORDER BY id LIMIT ?').all(tenantId, limit) as { id: number; address: string; lat: number; lon: number }[];
  }

  zoneIdsOfBuilding(buildingId: number): number[] {
    return ids(this.db, 'SELECT zone_id FROM zone_buildings WHERE building_id = ? ORDER BY zone_id', buildingId);
  }

  responsibleOf(zoneIds: number[]): number[] {
    if (!zoneIds.length) return [];
    return stmt(this.db, `SELECT DISTINCT responsible_id FROM zones WHERE id IN (${ph(zoneIds)}) AND responsible_id IS NOT NULL`).pluck().all(...zoneIds) as number[];
  }

}
