// HTTP of the executor's phone page (/api/x/…, the executor only) and the
// dispatchers' side of change proposals (/api/requests/:id/proposals…).
// Every executor action carries an Idempotency-Key (header, or the body's
// `idempotencyKey`): a retry returns the first answer and changes nothing.
import { createHash } from 'node:crypto';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { ApiError, parse } from '../../http/errors.js';
import { currentUser, requireRole } from '../auth/middleware.js';
import type { AttachmentService } from '../attachments/index.js';
import { uploadParser } from '../attachments/routes.js';
import type { Answer, Idempotency } from './idempotency.js';
import type { ExecutorAppService } from './service.js';

const id = z.coerce.number().int().positive();
const isoDate = z.string().trim().refine((s) => !Number.isNaN(Date.parse(s)), 'not a date').transform((s) => new Date(s).toISOString());
const key = z.string().trim().min(8).max(100).optional();

export const actionBody = z.object({
  action: z.enum(['accept', 'impossible', 'postpone', 'done']),
  reason: z.string().trim().max(2000).optional(),
  until: isoDate.optional(),
  result: z.string().trim().max(4000).optional(),
  comment: z.string().trim().max(2000).optional(),
  idempotencyKey: key,
}).strict();

const count = z.number().int().min(0).max(100_000).nullable().default(null);
export const proposalBody = z.object({
  text: z.string().trim().min(3, 'опишите изменение (не короче 3 символов)').max(2000),
  items: z.array(z.object({ name: z.string().trim().min(1).max(200), ordered: count, needed: count }).strict()).max(20).default([]),
  idempotencyKey: key,
}).strict();

export const decisionBody = z.object({ decision: z.enum(['confirm', 'reject']), comment: z.string().trim().max(2000).optional() }).strict();

/** The key from the header or the body; required for every executor action. */
function keyOf(req: Request, bodyKey?: string): string {
  const k = req.header('idempotency-key')?.trim() || bodyKey;
  if (!k) throw new ApiError(400, 'invalid_input', 'send an Idempotency-Key header (the same one on every retry of this action)', [{ field: 'idempotencyKey', problem: 'required' }]);
  return k;
}

function send(res: Response, a: Answer & { replayed: boolean }): void {
  if (a.replayed) res.setHeader('idempotent-replayed', 'true');
  res.status(a.status).json(a.body);
}

export function executorAppRoutes(o: { service: ExecutorAppService; idempotency: Idempotency; attachments: AttachmentService; maxBytes: number }): Router {
  const r = Router();
  const { service, idempotency } = o;
  const executor = requireRole('executor');
  const staff = requireRole('admin', 'supervisor', 'operator');

  r.get('/api/x/requests', executor, (req, res) => {
    res.setHeader('cache-control', 'private, no-store');
    res.json(service.list(currentUser(req)));
  });

  r.get('/api/x/requests/:id', executor, (req, res) => {
    res.setHeader('cache-control', 'private, no-store');
    res.json({ request: service.card(currentUser(req), parse(id, req.params.id, 'id')) });
  });

  r.post('/api/x/requests/:id/actions', executor, async (req, res) => {
    const user = currentUser(req);
    const reqId = parse(id, req.params.id, 'id');
    const { idempotencyKey, ...b } = parse(actionBody, req.body);
    service.mine(user, reqId);
    const a = await idempotency.run(user.id, keyOf(req, idempotencyKey), { route: 'action', reqId, b }, reqId, () => ({ status: 200, body: { request: service.act(user, reqId, b) } }));
    send(res, a);
  });

  r.post('/api/x/requests/:id/proposals', executor, async (req, res) => {
    const user = currentUser(req);
    const reqId = parse(id, req.params.id, 'id');
    const { idempotencyKey, ...b } = parse(proposalBody, req.body);
    service.mine(user, reqId);
    const a = await idempotency.run(user.id, keyOf(req, idempotencyKey), { route: 'proposal', reqId, b }, reqId, () => ({ status: 201, body: { proposal: service.propose(user, reqId, b) } }));
    send(res, a);
  });

  /** Photos of the work (camera): checked before the body is read, so nobody uploads to another's request. */
  const ownRequest: RequestHandler = (req, _res, next) => {
    service.mine(currentUser(req), parse(id, req.params.id, 'id'));
    next();
  };
  r.post('/api/x/requests/:id/photos', executor, ownRequest, uploadParser(o.maxBytes), async (req, res) => {
    const user = currentUser(req);
    const reqId = Number(req.params.id);
    const files = (req.files ?? []) as Express.Multer.File[];
    const what = { route: 'photos', reqId, files: files.map((f) => [f.originalname, f.size, createHash('sha256').update(f.buffer).digest('hex')]) };
    const a = await idempotency.run(user.id, keyOf(req), what, reqId, async () => {
      const added = await o.attachments.add(reqId, user.id, files);
      return { status: 201, body: { added, photos: o.attachments.list(reqId) } };
    });
    send(res, a);
  });

  // ── the dispatchers' side of proposals ─────────────────────────────────
  r.get('/api/requests/:id/proposals', staff, (req, res) => {
    res.json({ proposals: service.proposalsFor(currentUser(req), parse(id, req.params.id, 'id')) });
  });

  r.post('/api/requests/:id/proposals/:pid/decision', staff, (req, res) => {
    const b = parse(decisionBody, req.body);
    const p = service.decide(currentUser(req), parse(id, req.params.id, 'id'), parse(id, req.params.pid, 'pid'), b.decision, b.comment || null);
    res.json({ proposal: p });
  });

  return r;
}
