// Outbound calls placed by Pult over Asterisk (click-to-call: the operator's
// phone rings first, then the number) and callback tasks' details. Cloud-PBX
// rooms use POST /api/click-to-call (their vendor's own click-to-call).
import { Router } from 'express';
import { z } from 'zod';
import { ApiError, notFound, parse } from '../../http/errors.js';
import { normalizePhone } from '../../domain/phone.js';
import { currentUser } from '../auth/middleware.js';
import type { User } from '../auth/service.js';
import type { CallRouter } from '../routing/router.js';
import type { PbxPort } from '../../telephony/ports.js';
import type { CallbackRepository } from './repository.js';
import type { OutboundCalls } from './outbound-call.js';
import type { LineRepository } from '../lines/repository.js';
import type { OperatorService } from '../operators/service.js';
import { planDial } from './dial-in.js';

/** A company's cloud PBX, when it has one: its click-to-call places the operator's calls. */
export interface CloudDial {
  serves(tenantId: number): boolean;
  /** Places the call; `problem` when the company's account does not know this user (an admin maps PBX logins). */
  call(userId: number, tenantId: number, number: string, callbackId?: number): Promise<{ vendor: string } | { problem: string }>;
}

export const dialBody = z.object({
  number: z.string().max(40),
  lineId: z.number().int().positive().nullable().optional(),
}).strict();

export const outboundBody = z.object({
  number: z.string().trim().regex(/^\+?[\d\s()-]{3,25}$/, 'a phone number (digits, spaces, +, (), -)'),
  callbackId: z.number().int().positive().optional(),
}).strict();
const idParam = z.coerce.number().int().positive();

export function callbackRoutes(d: { callbacks: CallbackRepository; outbound: OutboundCalls; router: CallRouter; pbx: PbxPort; lines: LineRepository; operators: OperatorService; cloud: CloudDial | null }): Router {
  const r = Router();

  // The console's dial pad and «Перезвонить»: checks the number and the line
  // (the operator's own companies; its number is the caller ID). A company
  // served by a cloud PBX: its click-to-call rings the operator, then the
  // number. Otherwise the answer tells the softphone to dial (INVITE into
  // the dialplan's [operators] context, handed to Pult: dial-in.ts).
  r.post('/api/calls/dial', async (req, res) => {
    const user = currentUser(req);
    const b = parse(dialBody, req.body);
    const plan = planDial(d.operators.get(user.id), d.lines, b.number, b.lineId ?? null);
    if (!plan.ok) {
      if (plan.status === 404) throw notFound(plan.problem.replace(/ not found$/, ''));
      throw new ApiError(plan.status, plan.status === 400 ? 'invalid_input' : 'conflict', plan.field ? `${plan.field}: ${plan.problem}` : plan.problem, plan.field ? [{ field: plan.field, problem: plan.problem }] : undefined);
    }
    const line = { id: plan.line.id, name: plan.line.name, callerId: plan.line.dids[0] ?? null };
    if (plan.line.tenantId !== null && d.cloud?.serves(plan.line.tenantId)) {
      const placed = await viaCloud(user.id, plan.line.tenantId, plan.number);
      return void res.status(202).json({ via: 'cloud-pbx', vendor: placed.vendor, number: plan.number, line });
    }
    if (!d.pbx.connected) throw new ApiError(503, 'unavailable', 'the telephone system is not connected');
    res.json({ via: 'softphone', number: plan.number, line });
  });
  /** The task if `user` may see it (admins: any; others: their companies' lines); another company's task is as unknown as a missing one. */
  const visibleTask = (user: User, id: number) => {
    const task = d.callbacks.get(id);
    if (!task) return null;
    if (user.tenantIds === null) return task;
    const tenantId = d.callbacks.tenantOf(id);
    return tenantId !== null && user.tenantIds.includes(tenantId) ? task : null;
  };

  const viaCloud = async (userId: number, tenantId: number, number: string, callbackId?: number) => {
    let placed;
    try {
      placed = await d.cloud!.call(userId, tenantId, number, callbackId);
    } catch (err) {
      throw new ApiError(502, 'pbx_error', `the cloud PBX did not place the call: ${(err as Error).message}`);
    }
    if ('problem' in placed) throw new ApiError(409, 'conflict', placed.problem);
    return placed;
  };

  const place = async (user: User, number: string, taskId: number | null, lineId: number | null) => {
    if (!d.pbx.connected) throw new ApiError(503, 'unavailable', 'the telephone system is not connected');
    const r2 = await d.router.run('outbound-call', () => Promise.resolve(d.outbound.start({ userId: user.id, number, taskId, lineId })));
    if ('problem' in r2) throw new ApiError(409, 'conflict', r2.problem);
    return r2.callId;
  };

  // Click-to-call over Asterisk: your phone rings with the number's card; answer, and Pult dials the number.
  r.post('/api/calls/outbound', async (req, res) => {
    const user = currentUser(req);
    const b = parse(outboundBody, req.body);
    const number = normalizePhone(b.number) ?? '';
    if (!/^\d{3,20}$/.test(number)) throw new ApiError(400, 'invalid_input', 'number: not a phone number', [{ field: 'number', problem: 'not a phone number' }]);
    const task = b.callbackId !== undefined ? visibleTask(user, b.callbackId) : null;
    if (b.callbackId !== undefined && !task) throw notFound(`callback ${b.callbackId}`);
    if (task?.status === 'done') throw new ApiError(409, 'conflict', 'the callback is already done');
    const callId = await place(user, number, task?.id ?? null, task?.lineId ?? null);
    res.status(202).json({ callId, number, callbackId: task?.id ?? null });
  });

  // «Перезвонить» on a task: dials the task's own number.
  r.post('/api/callbacks/:id/call', async (req, res) => {
    const user = currentUser(req);
    const task = visibleTask(user, parse(idParam, req.params.id, 'id'));
    if (!task) throw notFound('callback task');
    if (task.status === 'done') throw new ApiError(409, 'conflict', 'the callback is already done');
    if (!task.callable) throw new ApiError(409, 'conflict', 'the number was withheld: it cannot be called back');
    // A company served by a cloud PBX: its click-to-call (the task is assigned to the caller-back).
    const tenantId = d.callbacks.tenantOf(task.id);
    if (tenantId !== null && d.cloud?.serves(tenantId)) {
      const placed = await viaCloud(user.id, tenantId, task.callerNumber, task.id);
      return void res.status(202).json({ via: 'cloud-pbx', vendor: placed.vendor, number: task.callerNumber, callbackId: task.id });
    }
    const callId = await place(user, task.callerNumber, task.id, task.lineId);
    res.status(202).json({ callId, number: task.callerNumber, callbackId: task.id });
  });

  // One task with its countdown and earlier attempts.
  r.get('/api/callbacks/:id', (req, res) => {
    const user = currentUser(req);
    const task = visibleTask(user, parse(idParam, req.params.id, 'id'));
    if (!task) throw notFound('callback task');
    res.json({ ...task, overdue: task.status !== 'done' && Date.parse(task.dueAt) < Date.now(), attemptCalls: d.callbacks.attemptsOf(task.id) });
  });
  return r;
}
