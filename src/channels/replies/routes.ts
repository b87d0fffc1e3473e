// Reply templates (supervisors and admins of the company edit them; the
// company's staff search them by the first letters of the topic) and replies
// to residents: draft, send or send for approval, the supervisors' pending
// list, approve / reject.
import { Router, type Request } from 'express';
import { z } from 'zod';
import type { Clock } from '../../clock.js';
import { ApiError, notFound, parse } from '../../http/errors.js';
import { uniqueViolation } from '../../store/db.js';
import { currentUser, requireRole } from '../../features/auth/middleware.js';
import type { User } from '../../features/auth/service.js';
import { PLACEHOLDERS, topicKey, unknownPlaceholders } from '../../domain/reply-template.js';
import type { ReplyRepository } from './repository.js';
import type { ReplyService } from './service.js';
import { templateKinds, type TemplateKind } from './types.js';
import { LINK } from './values.js';
import { linkInDocument } from './document.js';

const id = z.coerce.number().int().positive();
export const templateBody = z.object({
  tenantId: z.number().int().positive(),
  /** 'document': the topic is the document's title, the text becomes a PDF («Акт выполненных работ»). */
  kind: z.enum(templateKinds).default('reply'),
  topic: z.string().trim().min(2, 'тема не короче 2 символов').max(200),
  body: z.string().trim().min(1, 'пустой текст').max(8000),
  needsApproval: z.boolean().default(false),
}).strict();
export const searchQuery = z.object({ tenantId: id, q: z.string().trim().max(200).optional(), kind: z.enum(templateKinds).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }).strict();
export const replyBody = z.object({
  body: z.string().trim().min(1, 'пустой ответ').max(8000),
  templateId: z.number().int().positive().nullable().optional(),
  forApproval: z.boolean().optional(),
  /** The reply is a document: `body` is its text, rendered to a PDF titled `title` and sent as a file. */
  document: z.object({ title: z.string().trim().min(2, 'название документа не короче 2 символов').max(200) }).strict().nullable().optional(),
}).strict();
export const approveBody = z.object({ comment: z.string().trim().max(2000).optional() }).strict();
export const rejectBody = z.object({ comment: z.string().trim().min(1, 'напишите, что исправить').max(2000) }).strict();
export const draftQuery = z.object({ templateId: id }).strict();
export const pendingQuery = z.object({ tenantId: id.optional() }).strict();

const inScope = (u: User, tenantId: number) => !u.tenantIds || u.tenantIds.includes(tenantId);
const taken = () => new ApiError(409, 'conflict', 'the company already has a template with this topic', [{ field: 'topic', problem: 'taken' }]);

/** 400 listing the placeholders a template text may not use. */
function checkPlaceholders(body: string, kind: TemplateKind): void {
  if (kind === 'document' && body.includes(LINK)) throw linkInDocument();
  const unknown = unknownPlaceholders(body);
  if (unknown.length === 0) return;
  const problem = `неизвестные подстановки: ${unknown.map((p) => `{${p}}`).join(', ')}; можно: ${Object.keys(PLACEHOLDERS).map((p) => `{${p}}`).join(', ')}`;
  throw new ApiError(400, 'invalid_input', `body: ${problem}`, [{ field: 'body', problem, unknown }]);
}

export function replyRoutes(d: { repo: ReplyRepository; replies: ReplyService; clock: Clock; tenantExists(id: number): boolean }): Router {
  const r = Router();
  const editors = requireRole('admin', 'supervisor');
  const staff = requireRole('admin', 'supervisor', 'operator');
  const now = () => d.clock.now().toISOString();

  /** A template the user may edit: 404 outside their companies. */
  const ownTemplate = (req: Request) => {
    const t = d.repo.template(parse(id, req.params.id, 'id'));
    if (!t || !inScope(currentUser(req), t.tenantId)) throw notFound('template');
    return t;
  };
  const checkTenant = (user: User, tenantId: number) => {
    if (!inScope(user, tenantId) || !d.tenantExists(tenantId)) throw new ApiError(400, 'invalid_input', 'tenantId: no such company among yours', [{ field: 'tenantId', problem: 'no such company' }]);
  };

  r.get('/api/reply-templates/placeholders', staff, (_req, res) => void res.json({ placeholders: Object.keys(PLACEHOLDERS) }));

  r.get('/api/reply-templates', staff, (req, res) => {
    const q = parse(searchQuery, req.query, 'query');
    if (!inScope(currentUser(req), q.tenantId)) return void res.json({ items: [] });
    res.json({ items: d.repo.templates(q.tenantId, topicKey(q.q ?? ''), q.limit, q.kind) });
  });

  r.get('/api/reply-templates/:id', staff, (req, res) => void res.json({ template: ownTemplate(req) }));

  r.post('/api/reply-templates', editors, (req, res) => {
    const user = currentUser(req);
    const b = parse(templateBody, req.body);
    checkTenant(user, b.tenantId);
    checkPlaceholders(b.body, b.kind);
    try {
      res.status(201).json({ template: d.repo.createTemplate({ ...b, topicKey: topicKey(b.topic) }, user.id, now()) });
    } catch (err) {
      if (uniqueViolation(err)) throw taken();
      throw err;
    }
  });

  r.put('/api/reply-templates/:id', editors, (req, res) => {
    const t = ownTemplate(req);
    const b = parse(templateBody, req.body);
    if (b.tenantId !== t.tenantId) throw new ApiError(400, 'invalid_input', 'tenantId: a template stays with its company', [{ field: 'tenantId', problem: 'cannot change' }]);
    checkPlaceholders(b.body, b.kind);
    try {
      res.json({ template: d.repo.updateTemplate(t.id, { ...b, topicKey: topicKey(b.topic) }, currentUser(req).id, now()) });
    } catch (err) {
      if (uniqueViolation(err)) throw taken();
      throw err;
    }
  });

  r.delete('/api/reply-templates/:id', editors, (req, res) => {
    d.repo.deleteTemplate(ownTemplate(req).id);
    res.status(204).end();
  });

  r.get('/api/requests/:id/reply-draft', staff, (req, res) => {
    const templateId = parse(draftQuery, req.query, 'query').templateId;
    res.json(d.replies.draft(currentUser(req), parse(id, req.params.id, 'id'), templateId));
  });

  r.get('/api/requests/:id/replies', staff, (req, res) => void res.json(d.replies.list(currentUser(req), parse(id, req.params.id, 'id'))));

  r.post('/api/requests/:id/replies', staff, async (req, res) => {
    const reqId = parse(id, req.params.id, 'id');
    const b = parse(replyBody, req.body);
    const reply = await d.replies.create(currentUser(req), reqId, b);
    res.status(reply.status === 'pending' ? 202 : 201).json({ reply });
  });

  r.get('/api/replies/pending', editors, (req, res) => {
    const q = parse(pendingQuery, req.query, 'query');
    res.json({ items: d.replies.pending(currentUser(req), q.tenantId) });
  });

  r.post('/api/replies/:id/approve', editors, async (req, res) => {
    const b = parse(approveBody, req.body ?? {});
    res.json({ reply: await d.replies.approve(currentUser(req), parse(id, req.params.id, 'id'), b.comment ?? null) });
  });

  r.post('/api/replies/:id/reject', editors, (req, res) => {
    const b = parse(rejectBody, req.body);
    res.json({ reply: d.replies.reject(currentUser(req), parse(id, req.params.id, 'id'), b.comment) });
  });

  r.post('/api/replies/:id/retry', staff, async (req, res) => {
    res.json({ reply: await d.replies.retry(currentUser(req), parse(id, req.params.id, 'id')) });
  });

  return r;
}
