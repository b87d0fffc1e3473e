// Executor groups (brigades) and their shared shifts: admin/supervisor of the
// group's company; another company's group is 404.
import { Router, type Request } from 'express';
import { z } from 'zod';
import { ApiError, notFound, parse } from '../../http/errors.js';
import { uniqueViolation } from '../../store/db.js';
import { currentUser, requireRole } from '../auth/middleware.js';
import type { ExecutorRepository } from './repository.js';
import type { ExecutorService } from './service.js';
import { id, ids, inScope, scheduleBody, weekdayMask, weekdaysOf } from './schemas.js';

export const groupBody = z.object({ tenantId: id, name: z.string().trim().min(1).max(100), userIds: ids.default([]) }).strict();

export function groupRoutes(repo: ExecutorRepository, service: ExecutorService, o: { tenantExists(id: number): boolean }): Router {
  const r = Router();
  const staff = requireRole('admin', 'supervisor');
  const groupOf = (req: Request) => {
    const g = repo.shifts.group(parse(id, req.params.id, 'id'));
    if (!g || !inScope(currentUser(req), g.tenantId)) throw notFound('group');
    return g;
  };
  const save = (req: Request, groupId?: number) => {
    const b = parse(groupBody, req.body);
    if (!inScope(currentUser(req), b.tenantId) || !o.tenantExists(b.tenantId)) throw new ApiError(400, 'invalid_input', 'tenantId: not your company', [{ field: 'tenantId', problem: 'no such company' }]);
    if (b.userIds.some((u) => !repo.executor(u)?.tenantIds.includes(b.tenantId))) throw new ApiError(400, 'invalid_input', 'userIds: no such executor in this company', [{ field: 'userIds', problem: 'no such executor in this company' }]);
    try {
      return repo.shifts.saveGroup({ ...b, id: groupId });
    } catch (err) {
      if (uniqueViolation(err)) throw new ApiError(409, 'conflict', 'a group with this name exists in the company');
      throw err;
    }
  };

  r.get('/api/executor-groups', staff, (req, res) => void res.json({ items: repo.shifts.groups(currentUser(req).tenantIds) }));
  r.post('/api/executor-groups', staff, (req, res) => void res.status(201).json({ group: repo.shifts.group(save(req)) }));
  r.put('/api/executor-groups/:id', staff, (req, res) => {
    const g = groupOf(req);
    if ((req.body as { tenantId?: unknown } | undefined)?.tenantId !== g.tenantId) throw new ApiError(400, 'invalid_input', 'tenantId: a group cannot move to another company', [{ field: 'tenantId', problem: 'cannot change' }]);
    res.json({ group: repo.shifts.group(save(req, g.id)) });
  });
  r.delete('/api/executor-groups/:id', staff, (req, res) => {
    repo.shifts.deleteGroup(groupOf(req).id);
    res.status(204).end();
  });
  r.get('/api/executor-groups/:id/schedules', staff, (req, res) => {
    const g = groupOf(req);
    res.json({ schedules: repo.shifts.schedules(g.id, 'group').map(({ weekdays, ...s }) => ({ ...s, weekdays: weekdaysOf(weekdays) })) });
  });
  r.post('/api/executor-groups/:id/schedules', staff, (req, res) => {
    const g = groupOf(req);
    const b = parse(scheduleBody, req.body);
    if (b.zoneId !== null && repo.geo.zone(b.zoneId)?.tenantId !== g.tenantId) throw new ApiError(400, 'invalid_input', 'zoneId: no such zone in the group’s company', [{ field: 'zoneId', problem: 'no such zone' }]);
    res.status(201).json(service.addSchedule(g.id, { ...b, weekdays: weekdayMask(b.weekdays) }, 'group'));
  });
  r.delete('/api/executor-groups/:id/schedules/:sid', staff, (req, res) => {
    if (!repo.shifts.deleteSchedule(groupOf(req).id, parse(id, req.params.sid, 'sid'), 'group')) throw notFound('schedule');
    res.status(204).end();
  });
  return r;
}
