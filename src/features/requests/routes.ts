// Requests API («Заявки»): the list with every filter and search, a request's
// page, edit, stage transitions, comments, «Дополнить» during a call,
// registration without a call, the supervisors' monitor, and the company
// data behind them (pipelines, deadline rules, buildings' default executors).
import { Router } from 'express';
import { z } from 'zod';
import { ApiError, notFound, parse } from '../../http/errors.js';
import { normalizePhone } from '../../domain/phone.js';
import { deadlineRule } from '../../domain/deadline.js';
import { stageRules } from '../../domain/stage-rules.js';
import { currentUser, requireRole } from '../auth/middleware.js';
import type { User } from '../auth/service.js';
import type { CallRepository } from '../calls/repository.js';
import { visibleLineIds } from '../calls/routes.js';
import type { LineRepository } from '../lines/repository.js';
import { checkCategoryKind, createBody, registerTicket, type TicketDeps } from '../tickets/routes.js';
import type { RequestRepository } from './repository.js';
import type { RequestService } from './service.js';
import { ftsQuery } from './search.js';
import { channels } from './types.js';
import type { AttachmentView } from '../attachments/index.js';
import type { ChosenValue } from '../dictionaries/index.js';

export const kind = z.enum(['emergency', 'planned']);
const id = z.coerce.number().int().positive();
const isoDate = z.string().trim().refine((s) => !Number.isNaN(Date.parse(s)), 'not a date').transform((s) => new Date(s).toISOString());

export const listQuery = z.object({
  number: z.string().trim().min(1).max(30).optional(),
  phone: z.string().trim().min(3).max(40).optional(),
  text: z.string().trim().min(2).max(200).optional(),
  address: z.string().trim().min(1).max(200).optional(),
  tenantId: id.optional(),
  stage: z.string().trim().regex(/^[a-z_]+(,[a-z_]+)*$/, 'comma-separated stage codes').optional(),
  status: z.enum(['open', 'closed']).optional(),
  kind: kind.optional(),
  categoryId: id.optional(),
  assigneeId: z.union([z.literal('none'), id]).optional(),
  channel: z.enum(channels).optional(),
  buildingId: id.optional(),
  late: z.enum(['1', 'true']).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  cursor: z.string().regex(/^[0-9T:.\-Z]+\|\d+$/, 'the `next` value of the previous page').optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
}).strict();

export const monitorQuery = z.object({
  tenantId: id.optional(), kind: kind.optional(), categoryId: id.optional(), assigneeId: id.optional(), buildingId: id.optional(), from: isoDate.optional(), to: isoDate.optional(),
}).strict();

export const transitionBody = z.object({
  to: z.string().trim().min(1).max(40),
  comment: z.string().trim().max(2000).optional(),
  result: z.string().trim().max(4000).optional(),
  reason: z.string().trim().max(2000).optional(),
  until: isoDate.optional(),
  assigneeId: z.number().int().positive().optional(),
}).strict();

export const editBody = z.object({
  description: z.string().trim().min(3, 'опишите проблему (не короче 3 символов)').max(4000).optional(),
  address: z.string().trim().min(3).max(500).optional(),
  flat: z.string().trim().max(20).nullable().optional(),
  callerName: z.string().trim().max(200).nullable().optional(),
  callerPhone: z.string().trim().max(40).nullable().optional(),
  categoryId: z.number().int().positive().optional(),
  kind: kind.optional(),
  assigneeId: z.number().int().positive().nullable().optional(),
}).strict().refine((b) => Object.keys(b).length > 0, { message: 'nothing to change' });

export const textBody = z.object({ text: z.string().trim().min(1, 'пустой текст').max(4000) }).strict();
export const appendBody = z.object({ text: z.string().trim().min(1, 'пустой текст').max(4000), callId: z.string().uuid().optional() }).strict();

export const pipelineBody = z.object({
  stages: z.array(z.object({ code: z.string().regex(/^[a-z_]{2,30}$/), name: z.string().trim().min(1).max(100), position: z.number().int().min(0).max(100), closes: z.boolean(), rules: stageRules }).strict()).min(2).max(20),
  transitions: z.array(z.tuple([z.string(), z.string()])).max(200),
}).strict();

export interface RequestRouteDeps extends TicketDeps {
  requests: RequestService; repo: RequestRepository; calls: CallRepository; lines: LineRepository;
  /** A request's attachments with signed links (the attachments feature). */
  attachments?: (requestId: number) => AttachmentView[];
  /** Requests' chosen company-dictionary values (the dictionaries feature), by request id. */
  dictionaryValues?: (requestIds: number[]) => Map<number, ChosenValue[]>;
}

export const inScope = (user: User, tenantId: number) => !user.tenantIds || user.tenantIds.includes(tenantId);
/** An executor sees only the requests assigned to them (issue 11). */
export const visible = (user: User, s: { tenantId: number; assigneeId: number | null }) => inScope(user, s.tenantId) && (user.role !== 'executor' || s.assigneeId === user.id);

export const executorsQuery = z.object({ tenantId: id }).strict();
export const newRequestBody = createBody.and(z.object({ channel: z.enum(channels) }));
export const deadlineRuleBody = z.object({ rule: deadlineRule.nullable() }).strict();
export const defaultExecutorBody = z.object({ userId: z.number().int().positive().nullable() }).strict();

export function requestRoutes(d: RequestRouteDeps): Router {
  const r = Router();
  const { requests, repo, tickets, calls } = d;

  /** The request as its page shows it: 404 outside the user's companies. */
  const detail = (user: User, reqId: number) => {
    const t = tickets.get(reqId);
    if (!t || !visible(user, { tenantId: t.tenantId, assigneeId: repo.state(reqId)?.assigneeId ?? null })) throw notFound('request');
    const x = repo.extras(reqId);
    const lineIds = visibleLineIds(user, d.lines);
    const linked = t.callIds
      .map((c) => calls.get(c))
      .filter((c) => c !== null)
      .map((c) => {
        const rec = calls.recordingForCall(c.id);
        const visible = lineIds === null || (c.lineId !== null && lineIds.includes(c.lineId));
        return { id: c.id, callerNumber: c.callerNumber, arrivedAt: c.arrivedAt, answeredAt: c.answeredAt, endedAt: c.endedAt, outcome: c.outcome, recordingUrl: visible && rec?.state === 'stored' ? `/api/calls/${c.id}/recording` : null };
      });
    const now = requests.now();
    const due = t.dueAt ? Math.floor((new Date(t.dueAt).getTime() - now.getTime()) / 60_000) : null;
    return {
      ...t,
      stage: { code: x.stage, name: requests.stageName(t.tenantId, t.kind, x.stage) },
      channel: x.channel,
      assignee: x.assigneeId !== null ? { id: x.assigneeId, name: x.assigneeName ?? '' } : null,
      result: x.result, reason: x.reason, postponedUntil: x.postponedUntil,
      handedAt: x.handedAt, acceptedAt: x.acceptedAt, doneAt: x.doneAt, documentPending: x.documentPending === 1, updatedAt: x.updatedAt,
      minutesLeft: t.status === 'open' ? due : null, late: t.status === 'open' && due !== null && due < 0,
      allowedNext: requests.allowedNext(reqId),
      history: repo.history(reqId).map((h) => ({ ...h, fromName: h.from ? requests.stageName(t.tenantId, t.kind, h.from) : null, toName: requests.stageName(t.tenantId, t.kind, h.to) })),
      comments: repo.comments(reqId),
      calls: linked,
      ruleErrors: repo.ruleErrors(reqId),
      reminders: repo.reminders(reqId),
      attachments: d.attachments?.(reqId) ?? [],
      dictionaryValues: d.dictionaryValues?.([reqId]).get(reqId) ?? [],
    };
  };
  const scoped = (user: User, raw: unknown) => {
    const reqId = parse(id, raw, 'id');
    const s = repo.state(reqId);
    if (!s || !visible(user, s)) throw notFound('request');
    return s;
  };

  r.get('/api/requests', (req, res) => {
    const user = currentUser(req);
    const q = parse(listQuery, req.query, 'query');
    if (q.tenantId && !inScope(user, q.tenantId)) return void res.json({ items: [], next: null });
    const [createdAt, before] = q.cursor ? q.cursor.split('|') : [];
    const text = q.text ? ftsQuery(q.text, 'text') : null;
    const address = q.address ? ftsQuery(q.address, 'address') : null;
    if ((q.text && !text) || (q.address && !address)) return void res.json({ items: [], next: null });
    const page = requests.list({
      tenantIds: q.tenantId ? [q.tenantId] : user.tenantIds,
      number: q.number, phone: q.phone ? (normalizePhone(q.phone) ?? q.phone) : undefined, text: text ?? undefined, address: address ?? undefined,
      stage: q.stage?.split(','), status: q.status, kind: q.kind, categoryId: q.categoryId,
      assigneeId: user.role === 'executor' ? user.id : q.assigneeId === 'none' ? null : q.assigneeId, channel: q.channel, buildingId: q.buildingId, late: q.late !== undefined,
      from: q.from, to: q.to, before: createdAt ? { createdAt, id: Number(before) } : undefined, limit: q.limit,
    });
    const chosen = d.dictionaryValues?.(page.items.map((x) => x.id));
    res.json({ ...page, items: page.items.map((x) => ({ ...x, dictionaryValues: chosen?.get(x.id) ?? [] })) });
  });

  r.get('/api/requests/monitor', requireRole('admin', 'supervisor'), (req, res) => {
    const user = currentUser(req);
    const q = parse(monitorQuery, req.query, 'query');
    if (q.tenantId && !inScope(user, q.tenantId)) throw notFound('company');
    res.json(requests.monitor({ ...q, tenantIds: q.tenantId ? [q.tenantId] : user.tenantIds }));
  });

  // Whom a request of this company can be handed to (the page's executor pick).
  r.get('/api/requests/executors', (req, res) => {
    const user = currentUser(req);
    const tenantId = parse(executorsQuery, req.query, 'query').tenantId;
    if (!inScope(user, tenantId) || !tickets.tenantExists(tenantId)) throw notFound('company');
    res.json({ items: repo.executors(tenantId) });
  });

  r.post('/api/requests', async (req, res) => {
    const user = currentUser(req);
    const b = parse(newRequestBody, req.body);
    const t = registerTicket(d, user, b);
    await requests.settled(t.id);
    res.status(201).json({ request: detail(user, t.id) });
  });

  r.get('/api/requests/:id', (req, res) => {
    const user = currentUser(req);
    res.json({ request: detail(user, parse(id, req.params.id, 'id')) });
  });

  r.patch('/api/requests/:id', (req, res) => {
    const user = currentUser(req);
    const s = scoped(user, req.params.id);
    const b = parse(editBody, req.body);
    if (b.categoryId !== undefined || b.kind !== undefined) {
      const cat = tickets.category(b.categoryId ?? s.categoryId);
      if (!cat) throw new ApiError(400, 'invalid_input', 'unknown categoryId', [{ field: 'categoryId', problem: 'no such category' }]);
      checkCategoryKind(cat, b.kind ?? s.kind);
    }
    if (b.assigneeId != null && !repo.userInTenant(b.assigneeId, s.tenantId)) throw new ApiError(400, 'invalid_input', 'assignee does not work for this company', [{ field: 'assigneeId', problem: 'no such user in this company' }]);
    requests.edit(s.id, { ...b, ...(b.callerPhone ? { callerPhone: normalizePhone(b.callerPhone) ?? b.callerPhone } : {}) }, user.id);
    res.json({ request: detail(user, s.id) });
  });

  r.post('/api/requests/:id/transition', async (req, res) => {
    const user = currentUser(req);
    const s = scoped(user, req.params.id);
    const b = parse(transitionBody, req.body);
    if (user.role === 'executor' && b.assigneeId !== undefined && b.assigneeId !== user.id) throw new ApiError(403, 'forbidden', 'an executor cannot hand a request to someone else');
    requests.transition(s.id, b.to, b, user.id);
    // The answer carries what the stage's rules made (the «Заявка» among the attachments).
    await requests.settled(s.id);
    res.json({ request: detail(user, s.id) });
  });

  r.post('/api/requests/:id/comments', (req, res) => {
    const user = currentUser(req);
    const s = scoped(user, req.params.id);
    const b = parse(textBody, req.body);
    requests.comment(s.id, 'comment', b.text, user.id);
    res.status(201).json({ request: detail(user, s.id) });
  });

  /** «Дополнить»: what the caller says during a call, added to an open request (and the call linked). */
  r.post('/api/requests/:id/append', (req, res) => {
    const user = currentUser(req);
    const s = scoped(user, req.params.id);
    const b = parse(appendBody, req.body);
    if (b.callId) {
      const call = calls.get(b.callId);
      const lineIds = visibleLineIds(user, d.lines);
      if (!call || (lineIds !== null && (call.lineId === null || !lineIds.includes(call.lineId)))) throw new ApiError(400, 'invalid_input', 'call not found', [{ field: 'callId', problem: 'no such call' }]);
    }
    requests.comment(s.id, 'append', b.text, user.id, b.callId ?? null);
    res.status(201).json({ request: detail(user, s.id) });
  });

  r.get('/api/pipelines/:tenantId/:kind', (req, res) => {
    const user = currentUser(req);
    const tenantId = parse(id, req.params.tenantId, 'tenantId');
    if (!inScope(user, tenantId) || !tickets.tenantExists(tenantId)) throw notFound('company');
    res.json({ pipeline: requests.pipeline(tenantId, parse(kind, req.params.kind, 'kind')) });
  });

  r.put('/api/pipelines/:tenantId/:kind', requireRole('admin'), (req, res) => {
    const tenantId = parse(id, req.params.tenantId, 'tenantId');
    if (!tickets.tenantExists(tenantId)) throw notFound('company');
    res.json({ pipeline: requests.savePipeline(tenantId, parse(kind, req.params.kind, 'kind'), parse(pipelineBody, req.body)) });
  });

  r.put('/api/ticket-categories/:id/deadline-rule', requireRole('admin'), (req, res) => {
    const catId = parse(id, req.params.id, 'id');
    const b = parse(deadlineRuleBody, req.body);
    if (!repo.setCategoryDeadlineRule(catId, b.rule ? JSON.stringify(b.rule) : null)) throw notFound('category');
    res.json({ categoryId: catId, rule: b.rule });
  });

  r.put('/api/buildings/:id/default-executor', requireRole('admin', 'supervisor'), (req, res) => {
    const user = currentUser(req);
    const buildingId = parse(id, req.params.id, 'id');
    const b = parse(defaultExecutorBody, req.body);
    const tenantId = repo.buildingTenant(buildingId);
    if (tenantId === null || !inScope(user, tenantId)) throw notFound('building');
    if (b.userId !== null && !repo.userInTenant(b.userId, tenantId)) throw new ApiError(400, 'invalid_input', 'the user does not work for this company', [{ field: 'userId', problem: 'no such user in this company' }]);
    repo.setBuildingDefaultExecutor(buildingId, b.userId);
    res.json({ buildingId, defaultExecutorId: b.userId });
  });

  return r;
}
