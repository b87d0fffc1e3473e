// Executors API (admin/supervisor, scoped to their companies): executors,
// specialities, schedules and exceptions, reassignment, and the day route
// (also for the executor themself). Zones: zone-routes.ts; groups: group-routes.ts.
import { Router, type Request } from 'express';
import { z } from 'zod';
import { ApiError, notFound, parse } from '../../http/errors.js';
import { uniqueViolation } from '../../store/db.js';
import { currentUser, requireRole } from '../auth/middleware.js';
import type { User } from '../auth/service.js';
import type { ExecutorRepository, ExecutorView } from './repository.js';
import { exceptionBody, executorBody, executorPatch, id, inScope, scheduleBody, weekdayMask, weekdaysOf, ymd } from './schemas.js';
import type { ExecutorService } from './service.js';
import { routeHtml, routeText } from './route-print.js';

export const specialityBody = z.object({ code: z.string().regex(/^[a-z][a-z0-9-]{1,30}$/), name: z.string().trim().min(1).max(60) }).strict();
export const categorySpecialityBody = z.object({ specialityId: z.number().int().positive().nullable() }).strict();
export const assignBody = z.object({ userId: z.number().int().positive().nullable() }).strict();
export const dayRouteQuery = z.object({ date: ymd, format: z.enum(['json', 'text', 'html']).default('json') }).strict();

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
  /** Buildings, zones and specialities named in a body must exist and belong to the executor's companies. */
  const checkRefs = (tenantIds: number[], b: { specialityIds?: number[]; buildingIds?: number[]; zoneIds?: number[] }) => {
    const problems: { field: string; problem: string }[] = [];
    if (b.specialityIds && !repo.specialitiesExist(b.specialityIds)) problems.push({ field: 'specialityIds', problem: 'unknown speciality' });
    if (b.buildingIds && repo.buildingsIn(b.buildingIds, tenantIds).length !== new Set(b.buildingIds).size) problems.push({ field: 'buildingIds', problem: 'no such building in the executor’s companies' });
    if (b.zoneIds && b.zoneIds.some((z_) => { const x = repo.geo.zone(z_); return !x || !tenantIds.includes(x.tenantId); })) problems.push({ field: 'zoneIds', problem: 'no such zone in the executor’s companies' });
    if (problems.length) throw new ApiError(400, 'invalid_input', problems.map((p) => `${p.field}: ${p.problem}`).join('; '), problems);
  };
  const badTenants = (user: User, tenantIds: number[]) => {
    if (!tenantIds.every((t) => inScope(user, t)) || !tenantIds.every((t) => o.tenantExists(t))) throw new ApiError(400, 'invalid_input', 'tenantIds: not your company', [{ field: 'tenantIds', problem: 'no such company' }]);
  };

  // ── specialities ───────────────────────────────────────────────────────
  r.get('/api/specialities', requireRole('admin', 'supervisor', 'operator'), (_req, res) => void res.json({ items: repo.specialities() }));
  r.post('/api/specialities', requireRole('admin'), (req, res) => {
    const b = parse(specialityBody, req.body);
    try {
      res.status(201).json({ id: repo.addSpeciality(b.code, b.name), ...b });
    } catch (err) {
      if (uniqueViolation(err)) throw new ApiError(409, 'conflict', 'a speciality with this code exists');
      throw err;
    }
  });
  r.put('/api/ticket-categories/:id/speciality', requireRole('admin'), (req, res) => {
    const catId = parse(id, req.params.id, 'id');
    const b = parse(categorySpecialityBody, req.body);
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
    res.json({ schedules: repo.shifts.schedules(e.id).map(({ weekdays, ...s }) => ({ ...s, weekdays: weekdaysOf(weekdays) })), exceptions: repo.shifts.exceptions(e.id) });
  });
  r.post('/api/executors/:id/schedules', staff, (req, res) => {
    const e = executorOf(req);
    const b = parse(scheduleBody, req.body);
    if (b.zoneId !== null) {
      const z_ = repo.geo.zone(b.zoneId);
      if (!z_ || !e.tenantIds.includes(z_.tenantId)) throw new ApiError(400, 'invalid_input', 'zoneId: no such zone in the executor’s companies', [{ field: 'zoneId', problem: 'no such zone' }]);
    }
    const saved = service.addSchedule(e.id, { ...b, weekdays: weekdayMask(b.weekdays) });
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
  const routeQuery = dayRouteQuery;
  const sendRoute = (req: Request, res: import('express').Response, userId: number) => {
    const q = parse(routeQuery, req.query, 'query');
    const route = service.route(userId, q.date);
    const name = repo.userName(userId);
    if (q.format === 'text') return void res.type('text/plain; charset=utf-8').send(routeText(name, route));
    if (q.format === 'html') return void res.type('text/html; charset=utf-8').send(routeHtml(name, route));
    res.json({ executor: { id: userId, name }, ...route });
  };
  r.get('/api/executors/:id/route', staff, (req, res) => sendRoute(req, res, executorOf(req).id));

  // ── reassignment ───────────────────────────────────────────────────────
  r.post('/api/requests/:id/assign', requireRole('admin', 'supervisor', 'operator'), (req, res) => {
    const user = currentUser(req);
    const reqId = parse(id, req.params.id, 'id');
    const tenantId = o.requestTenant(reqId);
    if (tenantId === null || !inScope(user, tenantId)) throw notFound('request');
    const b = parse(assignBody, req.body);
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
  ['GET', /^\/api\/requests\/\d+\/(document\.pdf|documents)$/],
  // The executor's phone page (/x/): its own routes check the role and the assignment.
  ['GET', /^\/api\/x\/requests(\/\d+)?$/], ['POST', /^\/api\/x\/requests\/\d+\/(actions|photos|proposals)$/],
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
