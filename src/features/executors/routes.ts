// Executors API (admin/supervisor, scoped to their companies): executors,
// specialities, zones, buildings' coordinates, schedules and exceptions,
// reassignment, and the day route (also for the executor themself).
import { Router, type Request } from 'express';
import { z } from 'zod';
import { ApiError, notFound, parse } from '../../http/errors.js';
import { uniqueViolation } from '../../store/db.js';
import { polygonProblems, type LonLat } from '../../domain/geo.js';
import { currentUser, requireRole } from '../auth/middleware.js';
import { newPassword } from '../auth/routes.js';
import type { User } from '../auth/service.js';
import type { ExecutorRepository, ExecutorView, ZoneView } from './repository.js';
import type { ExecutorService } from './service.js';
import { routeHtml, routeText } from './route-print.js';

const id = z.coerce.number().int().positive();
const ids = z.array(z.number().int().positive()).max(10_000);
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');
const ymd = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD').refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'not a date');
const mobile = z.string().trim().regex(/^\+?[0-9 ()-]{5,20}$/, 'a phone number').nullable();

const executorBody = z.object({
  login: z.string().trim().min(2).max(64).regex(/^[\w.@-]+$/, 'letters, digits, . _ @ -'),
  password: newPassword,
  fullName: z.string().trim().min(1).max(200),
  mobileNumber: mobile.default(null),
  tenantIds: ids.min(1),
  specialityIds: ids.default([]),
  buildingIds: ids.default([]),
  zoneIds: ids.default([]),
}).strict();
const executorPatch = executorBody.omit({ login: true, password: true }).partial().strict();

const point = z.tuple([z.number().finite().min(-180).max(180), z.number().finite().min(-90).max(90)]);
const zoneBody = z.object({
  tenantId: id,
  city: z.string().trim().max(100).default(''),
  name: z.string().trim().min(1).max(100),
  polygon: z.array(point).min(3, 'a polygon needs at least 3 points').max(2000),
  responsibleId: z.number().int().positive().nullable().default(null),
}).strict().superRefine((z_, ctx) => {
  for (const p of polygonProblems(z_.polygon as LonLat[])) ctx.addIssue({ code: 'custom', path: ['polygon'], message: p });
});

const scheduleBody = z.object({
  weekdays: z.array(z.number().int().min(1).max(7)).min(1).max(7), // 1 = Monday … 7 = Sunday
  from: hhmm,
  to: hhmm,
  zoneId: z.number().int().positive().nullable().default(null),
  validFrom: ymd.nullable().default(null),
  validTo: ymd.nullable().default(null),
}).strict().refine((s) => !s.validFrom || !s.validTo || s.validFrom <= s.validTo, { message: 'validFrom after validTo', path: ['validTo'] });
const exceptionBody = z.object({ kind: z.enum(['vacation', 'sick', 'other']), from: ymd, to: ymd, note: z.string().trim().max(500).nullable().default(null) })
  .strict().refine((e) => e.from <= e.to, { message: 'from after to', path: ['to'] });

const inScope = (user: User, tenantId: number) => !user.tenantIds || user.tenantIds.includes(tenantId);
const allInScope = (user: User, tenantIds: number[]) => tenantIds.every((t) => inScope(user, t));

export function executorRoutes(repo: ExecutorRepository, service: ExecutorService, o: { tileUrl: string | null; tenantExists(id: number): boolean; userInTenant(userId: number, tenantId: number): boolean; requestTenant(id: number): number | null }): Router {
  const r = Router();
  const staff = requireRole('admin', 'supervisor');

  /** An executor the user may manage (shares a company), or 404. */
  const executorOf = (req: Request): ExecutorView => {
    const user = currentUser(req);
    const e = repo.executor(parse(id, req.params.id, 'id'));
    if (!e || !(user.tenantIds === null || e.tenantIds.some((t) => inScope(user, t)))) throw notFound('executor');
    return e;
  };
  const zoneOf = (req: Request): ZoneView => {
    const z_ = repo.geo.zone(parse(id, req.params.id, 'id'));
    if (!z_ || !inScope(currentUser(req), z_.tenantId)) throw notFound('zone');
    return z_;
  };
  /** Buildings, zones and specialities named in a body must exist and belong to the executor's companies. */
  const checkRefs = (tenantIds: number[], b: { specialityIds?: number[]; buildingIds?: number[]; zoneIds?: number[] }) => {
    const problems: { field: string; problem: string }[] = [];
    if (b.specialityIds && !repo.specialitiesExist(b.specialityIds)) problems.push({ field: 'specialityIds', problem: 'unknown speciality' });
    if (b.buildingIds && repo.buildingsIn(b.buildingIds, tenantIds).length !== new Set(b.buildingIds).size) problems.push({ field: 'buildingIds', problem: 'no such building in the executor’s companies' });
    if (b.zoneIds && b.zoneIds.some((z_) => { const x = repo.geo.zone(z_); return !x || !tenantIds.includes(x.tenantId); })) problems.push({ field: 'zoneIds', problem: 'no such zone in the executor’s companies' });
    if (problems.length) throw new ApiError(400, 'invalid_input', problems.map((p) => `${p.field}: ${p.problem}`).join('; '), problems);
  };
  const badTenants = (user: User, tenantIds: number[]) => {
    if (!allInScope(user, tenantIds) || !tenantIds.every((t) => o.tenantExists(t))) throw new ApiError(400, 'invalid_input', 'tenantIds: not your company', [{ field: 'tenantIds', problem: 'no such company' }]);
  };

  // ── specialities ───────────────────────────────────────────────────────
  r.get('/api/specialities', requireRole('admin', 'supervisor', 'operator'), (_req, res) => void res.json({ items: repo.specialities() }));
  r.post('/api/specialities', requireRole('admin'), (req, res) => {
    const b = parse(z.object({ code: z.string().regex(/^[a-z][a-z0-9-]{1,30}$/), name: z.string().trim().min(1).max(60) }).strict(), req.body);
    try {
      res.status(201).json({ id: repo.addSpeciality(b.code, b.name), ...b });
    } catch (err) {
      if (uniqueViolation(err)) throw new ApiError(409, 'conflict', 'a speciality with this code exists');
      throw err;
    }
  });
  r.put('/api/ticket-categories/:id/speciality', requireRole('admin'), (req, res) => {
    const catId = parse(id, req.params.id, 'id');
    const b = parse(z.object({ specialityId: z.number().int().positive().nullable() }).strict(), req.body);
    if (b.specialityId !== null && !repo.specialitiesExist([b.specialityId])) throw new ApiError(400, 'invalid_input', 'unknown specialityId', [{ field: 'specialityId', problem: 'no such speciality' }]);
    if (!repo.setCategorySpeciality(catId, b.specialityId)) throw notFound('category');
    res.json({ categoryId: catId, specialityId: b.specialityId });
  });

  // ── executors ──────────────────────────────────────────────────────────
  r.get('/api/executors', staff, (req, res) => void res.json({ items: repo.list(currentUser(req).tenantIds) }));
  r.post('/api/executors', staff, (req, res) => {
    const user = currentUser(req);
    const b = parse(executorBody, req.body);
    badTenants(user, b.tenantIds);
    checkRefs(b.tenantIds, b);
    try {
      res.status(201).json({ executor: repo.executor(service.create(b)) });
    } catch (err) {
      if (uniqueViolation(err)) throw new ApiError(409, 'conflict', 'this login is taken', [{ field: 'login', problem: 'taken' }]);
      throw err;
    }
  });
  r.get('/api/executors/me/route', requireRole('executor'), (req, res) => sendRoute(req, res, currentUser(req).id));
  r.get('/api/executors/:id', staff, (req, res) => void res.json({ executor: executorOf(req) }));
  r.patch('/api/executors/:id', staff, (req, res) => {
    const e = executorOf(req);
    const b = parse(executorPatch, req.body);
    const tenantIds = b.tenantIds ?? e.tenantIds;
    if (b.tenantIds) badTenants(currentUser(req), b.tenantIds);
    checkRefs(tenantIds, b);
    repo.updateUser(e.id, b);
    repo.saveProfile(e.id, b);
    res.json({ executor: repo.executor(e.id) });
  });

  // ── schedules and exceptions ───────────────────────────────────────────
  r.get('/api/executors/:id/schedules', staff, (req, res) => {
    const e = executorOf(req);
    res.json({ schedules: repo.shifts.schedules(e.id).map(({ weekdays, ...s }) => ({ ...s, weekdays: [1, 2, 3, 4, 5, 6, 7].filter((d) => weekdays & (1 << (d - 1))) })), exceptions: repo.shifts.exceptions(e.id) });
  });
  r.post('/api/executors/:id/schedules', staff, (req, res) => {
    const e = executorOf(req);
    const b = parse(scheduleBody, req.body);
    if (b.zoneId !== null) {
      const z_ = repo.geo.zone(b.zoneId);
      if (!z_ || !e.tenantIds.includes(z_.tenantId)) throw new ApiError(400, 'invalid_input', 'zoneId: no such zone in the executor’s companies', [{ field: 'zoneId', problem: 'no such zone' }]);
    }
    const mask = b.weekdays.reduce((m, d) => m | (1 << (d - 1)), 0);
    const saved = service.addSchedule(e.id, { ...b, weekdays: mask });
    res.status(201).json(saved);
  });
  r.delete('/api/executors/:id/schedules/:sid', staff, (req, res) => {
    if (!repo.shifts.deleteSchedule(executorOf(req).id, parse(id, req.params.sid, 'sid'))) throw notFound('schedule');
    res.status(204).end();
  });
  r.post('/api/executors/:id/exceptions', staff, (req, res) => {
    const e = executorOf(req);
    res.status(201).json({ id: repo.shifts.addException(e.id, parse(exceptionBody, req.body)) });
  });
  r.delete('/api/executors/:id/exceptions/:xid', staff, (req, res) => {
    if (!repo.shifts.deleteException(executorOf(req).id, parse(id, req.params.xid, 'xid'))) throw notFound('exception');
    res.status(204).end();
  });

  // ── the day route ──────────────────────────────────────────────────────
  const routeQuery = z.object({ date: ymd, format: z.enum(['json', 'text', 'html']).default('json') }).strict();
  const sendRoute = (req: Request, res: import('express').Response, userId: number) => {
    const q = parse(routeQuery, req.query, 'query');
    const route = service.route(userId, q.date);
    const name = repo.userName(userId);
    if (q.format === 'text') return void res.type('text/plain; charset=utf-8').send(routeText(name, route));
    if (q.format === 'html') return void res.type('text/html; charset=utf-8').send(routeHtml(name, route));
    res.json({ executor: { id: userId, name }, ...route });
  };
  r.get('/api/executors/:id/route', staff, (req, res) => sendRoute(req, res, executorOf(req).id));

  // ── zones ──────────────────────────────────────────────────────────────
  r.get('/api/zones/companies', staff, (req, res) => void res.json({ items: repo.geo.tenants(currentUser(req).tenantIds), tileUrl: o.tileUrl }));
  r.get('/api/zones', staff, (req, res) => {
    const user = currentUser(req);
    const q = parse(z.object({ tenantId: id.optional() }).strict(), req.query, 'query');
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
    const b = parse(z.object({ userIds: ids }).strict(), req.body);
    if (b.userIds.some((u) => { const e = repo.executor(u); return !e || !e.tenantIds.includes(z_.tenantId); })) throw new ApiError(400, 'invalid_input', 'userIds: no such executor in this company', [{ field: 'userIds', problem: 'no such executor in this company' }]);
    repo.geo.setZoneExecutors(z_.id, b.userIds);
    res.json({ zone: repo.geo.zone(z_.id) });
  });

  // ── buildings as points ────────────────────────────────────────────────
  r.get('/api/buildings/points', staff, (req, res) => {
    const q = parse(z.object({ tenantId: id, limit: z.coerce.number().int().min(1).max(50_000).default(5000) }).strict(), req.query, 'query');
    if (!inScope(currentUser(req), q.tenantId)) throw notFound('company');
    res.json({ items: repo.geo.buildingPoints(q.tenantId, q.limit) });
  });
  r.put('/api/buildings/:id/coordinates', staff, (req, res) => {
    const buildingId = parse(id, req.params.id, 'id');
    const b = parse(z.object({ lat: z.number().finite().min(-90).max(90).nullable(), lon: z.number().finite().min(-180).max(180).nullable() }).strict().refine((x) => (x.lat === null) === (x.lon === null), 'both lat and lon, or neither'), req.body);
    const tenantId = repo.geo.buildingTenant(buildingId);
    if (tenantId === null || !inScope(currentUser(req), tenantId)) throw notFound('building');
    repo.geo.setCoordinates(buildingId, b.lat, b.lon);
    res.json({ buildingId, lat: b.lat, lon: b.lon, zoneIds: repo.geo.zoneIdsOfBuilding(buildingId) });
  });

  // ── reassignment ───────────────────────────────────────────────────────
  r.post('/api/requests/:id/assign', requireRole('admin', 'supervisor', 'operator'), (req, res) => {
    const user = currentUser(req);
    const reqId = parse(id, req.params.id, 'id');
    const tenantId = o.requestTenant(reqId);
    if (tenantId === null || !inScope(user, tenantId)) throw notFound('request');
    const b = parse(z.object({ userId: z.number().int().positive().nullable() }).strict(), req.body);
    if (b.userId !== null && !o.userInTenant(b.userId, tenantId)) throw new ApiError(400, 'invalid_input', 'userId: no such user in this company', [{ field: 'userId', problem: 'no such user in this company' }]);
    service.reassign(reqId, b.userId, user.id);
    res.json({ requestId: reqId, assigneeId: b.userId });
  });

  return r;
}

/**
 * What an executor may reach: their own requests (list, page, stage moves,
 * comments), their route, their account. Everything else answers 403.
 */
const executorAllowed: [string, RegExp][] = [
  ['GET', /^\/api\/me$/], ['POST', /^\/api\/me\/password$/], ['POST', /^\/api\/auth\/logout$/],
  ['GET', /^\/api\/requests$/], ['GET', /^\/api\/requests\/\d+$/], ['POST', /^\/api\/requests\/\d+\/(transition|comments)$/],
  ['GET', /^\/api\/executors\/me\/route$/], ['GET', /^\/api\/ticket-categories$/],
];
export function executorGate(): Router {
  const r = Router();
  r.use('/api', (req, _res, next) => {
    if (req.user?.role !== 'executor') return next();
    const path = req.baseUrl + req.path;
    if (executorAllowed.some(([m, re]) => m === req.method && re.test(path))) return next();
    next(new ApiError(403, 'forbidden', 'not allowed for your role'));
  });
  return r;
}
