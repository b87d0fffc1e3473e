// Zones API (admin/supervisor, own companies): zones drawn as polygons, the
// executors serving them, buildings as points and their coordinates.
import { Router, type Request } from 'express';
import { z } from 'zod';
import { ApiError, notFound, parse } from '../../http/errors.js';
import type { LonLat } from '../../domain/geo.js';
import { currentUser, requireRole } from '../auth/middleware.js';
import type { User } from '../auth/service.js';
import type { ExecutorRepository, ZoneView } from './repository.js';
import { id, ids, inScope, zoneBody } from './schemas.js';

export const zonesQuery = z.object({ tenantId: id.optional() }).strict();
export const zoneExecutorsBody = z.object({ userIds: ids }).strict();
export const pointsQuery = z.object({ tenantId: id, limit: z.coerce.number().int().min(1).max(50_000).default(5000) }).strict();
export const coordinatesBody = z.object({ lat: z.number().finite().min(-90).max(90).nullable(), lon: z.number().finite().min(-180).max(180).nullable() }).strict().refine((x) => (x.lat === null) === (x.lon === null), 'both lat and lon, or neither');

export function zoneRoutes(repo: ExecutorRepository, o: { tileUrl: string | null; tenantExists(id: number): boolean; userInTenant(userId: number, tenantId: number): boolean }): Router {
  const r = Router();
  const staff = requireRole('admin', 'supervisor');
  const zoneOf = (req: Request): ZoneView => {
    const z_ = repo.geo.zone(parse(id, req.params.id, 'id'));
    if (!z_ || !inScope(currentUser(req), z_.tenantId)) throw notFound('zone');
    return z_;
  };

  // ── zones ──────────────────────────────────────────────────────────────
  r.get('/api/zones/companies', staff, (req, res) => void res.json({ items: repo.geo.tenants(currentUser(req).tenantIds), tileUrl: o.tileUrl }));
  r.get('/api/zones', staff, (req, res) => {
    const user = currentUser(req);
    const q = parse(zonesQuery, req.query, 'query');
    if (q.tenantId && !inScope(user, q.tenantId)) return void res.json({ items: [] });
    res.json({ items: repo.geo.zones(q.tenantId ? [q.tenantId] : user.tenantIds) });
  });
  const checkZone = (user: User, b: z.infer<typeof zoneBody>) => {
    if (!inScope(user, b.tenantId) || !o.tenantExists(b.tenantId)) throw new ApiError(400, 'invalid_input', 'tenantId: not your company', [{ field: 'tenantId', problem: 'no such company' }]);
    if (b.responsibleId !== null && !o.userInTenant(b.responsibleId, b.tenantId)) throw new ApiError(400, 'invalid_input', 'responsibleId: no such user in this company', [{ field: 'responsibleId', problem: 'no such user in this company' }]);
  };
  r.post('/api/zones', staff, (req, res) => {
    const b = parse(zoneBody, req.body);
    checkZone(currentUser(req), b);
    res.status(201).json({ zone: repo.geo.zone(repo.geo.saveZone({ ...b, polygon: b.polygon as LonLat[] })) });
  });
  r.get('/api/zones/:id', staff, (req, res) => void res.json({ zone: zoneOf(req) }));
  r.put('/api/zones/:id', staff, (req, res) => {
    const z_ = zoneOf(req);
    const b = parse(zoneBody, req.body);
    if (b.tenantId !== z_.tenantId) throw new ApiError(400, 'invalid_input', 'tenantId: a zone cannot move to another company', [{ field: 'tenantId', problem: 'cannot change' }]);
    checkZone(currentUser(req), b);
    res.json({ zone: repo.geo.zone(repo.geo.saveZone({ ...b, id: z_.id, polygon: b.polygon as LonLat[] })) });
  });
  r.delete('/api/zones/:id', staff, (req, res) => {
    repo.geo.deleteZone(zoneOf(req).id);
    res.status(204).end();
  });
  r.put('/api/zones/:id/executors', staff, (req, res) => {
    const z_ = zoneOf(req);
    const b = parse(zoneExecutorsBody, req.body);
    if (b.userIds.some((u) => { const e = repo.executor(u); return !e || !e.tenantIds.includes(z_.tenantId); })) throw new ApiError(400, 'invalid_input', 'userIds: no such executor in this company', [{ field: 'userIds', problem: 'no such executor in this company' }]);
    repo.geo.setZoneExecutors(z_.id, b.userIds);
    res.json({ zone: repo.geo.zone(z_.id) });
  });

  // ── buildings as points ────────────────────────────────────────────────
  r.get('/api/buildings/points', staff, (req, res) => {
    const q = parse(pointsQuery, req.query, 'query');
    if (!inScope(currentUser(req), q.tenantId)) throw notFound('company');
    res.json({ items: repo.geo.buildingPoints(q.tenantId, q.limit) });
  });
  r.put('/api/buildings/:id/coordinates', staff, (req, res) => {
    const buildingId = parse(id, req.params.id, 'id');
    const b = parse(coordinatesBody, req.body);
    const tenantId = repo.geo.buildingTenant(buildingId);
    if (tenantId === null || !inScope(currentUser(req), tenantId)) throw notFound('building');
    repo.geo.setCoordinates(buildingId, b.lat, b.lon);
    res.json({ buildingId, lat: b.lat, lon: b.lon, zoneIds: repo.geo.zoneIdsOfBuilding(buildingId) });
  });

  return r;
}
