// The wallboard's HTTP side: the snapshot, callback follow-up (assign to an
// operator, mark done) and supervision of a live call. Supervisors act only
// within their management companies; admins everywhere.
import { Router } from 'express';
import { z } from 'zod';
import { ApiError, forbidden, notFound, parse } from '../../http/errors.js';
import type { User } from '../auth/service.js';
import { currentUser, requireRole } from '../auth/middleware.js';
import type { CallRepository } from '../calls/repository.js';
import type { LineRepository } from '../lines/repository.js';
import type { OperatorService } from '../operators/service.js';
import type { Scope, WallboardService } from './service.js';
import { SuperviseError, type Supervision } from './supervise.js';
import { deskEndpoint } from '../../telephony/ari/endpoints.js';

const idParam = z.coerce.number().int().positive();
export const superviseBody = z.object({
  callId: z.string().min(1).max(100),
  mode: z.enum(['listen', 'whisper', 'barge']),
  /** The phone to ring: a provisioned extension ("1201" or "PJSIP/1201"); default: the supervisor's own operators row. */
  supervisorEndpoint: z.string().regex(/^(PJSIP\/)?\d{3,6}$/, 'a provisioned extension, e.g. PJSIP/1201').optional(),
});

export const scopeOf = (u: User): Scope => u.tenantIds;

export const assignBody = z.object({ userId: z.number().int().positive() });

export function wallboardRoutes(d: {
  service: WallboardService;
  supervision: Supervision;
  calls: CallRepository;
  lines: LineRepository;
  operators: OperatorService;
  /** Something changed outside the call events (a callback task): push a fresh snapshot. */
  changed: () => void;
}): Router {
  const r = Router();
  const sees = (u: User, lineId: number | null) => {
    if (u.tenantIds === null) return true;
    const tenantId = lineId !== null ? (d.lines.get(lineId)?.tenantId ?? null) : null;
    return tenantId !== null && u.tenantIds.includes(tenantId);
  };

  r.get('/api/wallboard', requireRole('admin', 'supervisor'), (req, res) => {
    res.json(d.service.snapshot(scopeOf(currentUser(req))));
  });

  r.post('/api/callbacks/:id/assign', requireRole('admin', 'supervisor'), (req, res) => {
    const user = currentUser(req);
    const id = parse(idParam, req.params.id, 'id');
    const b = parse(assignBody, req.body);
    const task = d.service.callback(id);
    if (!task || !sees(user, task.lineId)) throw notFound('callback task');
    const op = d.operators.get(b.userId);
    if (!op) throw new ApiError(400, 'invalid_input', 'userId is not an operator', [{ field: 'userId', problem: 'not an operator' }]);
    const lineTenant = task.lineId !== null ? (d.lines.get(task.lineId)?.tenantId ?? null) : null;
    if (lineTenant !== null && !op.tenantIds.includes(lineTenant)) {
      throw new ApiError(400, 'invalid_input', 'this operator does not serve the line\'s company', [{ field: 'userId', problem: 'does not serve this company' }]);
    }
    if (!d.service.assignCallback(id, b.userId)) throw new ApiError(409, 'conflict', 'the callback is already done');
    d.changed();
    res.json({ id, status: 'assigned', assignedTo: b.userId });
  });

  r.post('/api/callbacks/:id/done', (req, res) => {
    const user = currentUser(req);
    const id = parse(idParam, req.params.id, 'id');
    const task = d.service.callback(id);
    if (!task || !sees(user, task.lineId)) throw notFound('callback task');
    if (user.role !== 'admin' && user.role !== 'supervisor' && user.role !== 'operator') throw forbidden();
    if (!d.service.completeCallback(id)) throw new ApiError(409, 'conflict', 'the callback is already done');
    d.changed();
    res.json({ id, status: 'done' });
  });

  r.post('/api/supervise', requireRole('admin', 'supervisor'), async (req, res) => {
    const user = currentUser(req);
    const b = parse(superviseBody, req.body);
    const call = d.calls.get(b.callId);
    if (!call || !sees(user, call.lineId)) throw notFound('call');
    let endpoint: string;
    if (b.supervisorEndpoint) {
      const ext = b.supervisorEndpoint.replace(/^PJSIP\//, '');
      // Only a phone Pult provisioned: never an arbitrary number through the trunk.
      const phone = d.operators.list().find((o) => o.extension === ext);
      if (!phone) {
        throw new ApiError(400, 'invalid_input', `extension ${ext} is not provisioned`, [{ field: 'supervisorEndpoint', problem: 'not a provisioned extension' }]);
      }
      // The call's audio goes only to a phone of the call's own company (or the supervisor's own phone).
      const callTenant = call.lineId !== null ? (d.lines.get(call.lineId)?.tenantId ?? null) : null;
      if (phone.userId !== user.id && callTenant !== null && !phone.tenantIds.includes(callTenant)) {
        throw new ApiError(400, 'invalid_input', `extension ${ext} does not belong to the call's company`, [{ field: 'supervisorEndpoint', problem: "not a phone of the call's company" }]);
      }
      endpoint = deskEndpoint(ext);
    } else {
      const own = d.operators.get(user.id);
      if (!own) throw new ApiError(409, 'no_phone', 'you have no phone: pass supervisorEndpoint (a provisioned extension)');
      endpoint = deskEndpoint(own.extension);
    }
    try {
      const s = await d.supervision.start({ callId: call.id, mode: b.mode, supervisorId: user.id, endpoint });
      res.status(201).json({ sessionId: s.sessionId, callId: call.id, mode: b.mode, endpoint });
    } catch (err) {
      if (err instanceof SuperviseError) throw new ApiError(err.status, err.code, err.message);
      throw err;
    }
  });

  r.get('/api/supervise', requireRole('admin', 'supervisor'), (req, res) => {
    const user = currentUser(req);
    res.json({ items: d.supervision.list().filter((s) => user.role === 'admin' || s.supervisorId === user.id) });
  });

  r.delete('/api/supervise/:sessionId', requireRole('admin', 'supervisor'), (req, res) => {
    const user = currentUser(req);
    const s = d.supervision.list().find((x) => x.id === req.params.sessionId);
    if (!s || (user.role !== 'admin' && s.supervisorId !== user.id)) throw notFound('supervision session');
    d.supervision.stop(s.id);
    res.status(204).end();
  });

  return r;
}
