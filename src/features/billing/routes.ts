// The billing link and push over HTTP. Admins: a company's settings (link
// template, push URL; the derived signing key to give the receiver), the
// failed pushes and their retry. Staff of the company: the billing link of an
// account or of a request (built server-side, the account URL-encoded).
import { Router } from 'express';
import { z } from 'zod';
import { ApiError, notFound, parse } from '../../http/errors.js';
import { billingTemplateProblems } from '../../domain/billing.js';
import { hostAllowed } from '../../net/safe-fetch.js';
import { currentUser, requireRole } from '../auth/middleware.js';
import type { User } from '../auth/service.js';
import type { BillingRepository } from './repository.js';
import type { BillingService } from './service.js';

const id = z.coerce.number().int().positive();
export const settingsBody = z.object({
  urlTemplate: z.string().trim().max(1000).nullable(),
  pushUrl: z.string().trim().max(1000).nullable(),
}).strict();
export const linkQuery = z.object({ accountId: id.optional(), accountNumber: z.string().trim().min(1).max(50).optional() }).strict().refine((x) => (x.accountId === undefined) !== (x.accountNumber === undefined), 'accountId or accountNumber (one of them)');
export const failedQuery = z.object({ tenantId: id.optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }).strict();

const inScope = (user: User, tenantId: number) => !user.tenantIds || user.tenantIds.includes(tenantId);

export function billingRoutes(service: BillingService, repo: BillingRepository, o: { pushHosts: readonly string[]; allowHttp: boolean }): Router {
  const r = Router();
  const admin = requireRole('admin');
  const staff = requireRole('admin', 'supervisor', 'operator');

  const view = (tenantId: number) => {
    const s = repo.settings(tenantId)!;
    return { tenantId, urlTemplate: s.urlTemplate, pushUrl: s.pushUrl, signingKey: s.pushUrl ? service.signingKey(tenantId) : null, pushEnabled: s.pushUrl !== null && service.signingKey(tenantId) !== null };
  };

  r.get('/api/tenants/:id/billing', admin, (req, res) => {
    const tenantId = parse(id, req.params.id, 'id');
    if (!repo.settings(tenantId)) throw notFound('company');
    res.json(view(tenantId));
  });

  r.put('/api/tenants/:id/billing', admin, (req, res) => {
    const tenantId = parse(id, req.params.id, 'id');
    if (!repo.settings(tenantId)) throw notFound('company');
    const b = parse(settingsBody, req.body);
    const problems: { field: string; problem: string }[] = [];
    const urlTemplate = b.urlTemplate || null;
    const pushUrl = b.pushUrl || null;
    if (urlTemplate) problems.push(...billingTemplateProblems(urlTemplate).map((p) => ({ field: 'urlTemplate', problem: p })));
    if (pushUrl) {
      let u: URL | null = null;
      try {
        u = new URL(pushUrl);
      } catch {
        problems.push({ field: 'pushUrl', problem: 'это не адрес (URL)' });
      }
      if (u && u.protocol !== 'https:' && !(o.allowHttp && u.protocol === 'http:')) problems.push({ field: 'pushUrl', problem: 'только https://' });
      if (u && (u.username || u.password)) problems.push({ field: 'pushUrl', problem: 'логин и пароль в адресе недопустимы' });
      if (u && !hostAllowed(u.hostname, o.pushHosts)) problems.push({ field: 'pushUrl', problem: `узел ${u.hostname} не в списке разрешённых (PULT_BILLING_PUSH_HOSTS)` });
    }
    if (problems.length) throw new ApiError(400, 'invalid_input', problems.map((p) => `${p.field}: ${p.problem}`).join('; '), problems);
    repo.save(tenantId, { urlTemplate, pushUrl });
    res.json(view(tenantId));
  });

  r.get('/api/billing/link', staff, (req, res) => {
    const user = currentUser(req);
    const q = parse(linkQuery, req.query, 'query');
    const acc = q.accountId !== undefined ? repo.account(q.accountId) : repo.accountByNumber(q.accountNumber!);
    if (!acc || !inScope(user, acc.tenantId)) throw notFound('account');
    res.json({ url: service.link(acc.tenantId, acc.number) });
  });

  r.get('/api/requests/:id/billing-link', staff, (req, res) => {
    const user = currentUser(req);
    const t = repo.requestAccount(parse(id, req.params.id, 'id'));
    if (!t || !inScope(user, t.tenantId)) throw notFound('request');
    res.json({ url: t.accountNumber ? service.link(t.tenantId, t.accountNumber) : null });
  });

  r.get('/api/billing-push/failed', admin, (req, res) => {
    const q = parse(failedQuery, req.query, 'query');
    const items = repo.list(q.tenantId ? [q.tenantId] : currentUser(req).tenantIds, 'failed', q.limit);
    res.json({ items: items.map(({ body: _b, ...x }) => x) });
  });

  r.post('/api/billing-push/:id/retry', admin, (req, res) => {
    const pushId = parse(id, req.params.id, 'id');
    const row = repo.get(pushId);
    if (!row || !inScope(currentUser(req), row.tenantId)) throw notFound('push');
    if (!service.retry(pushId)) throw new ApiError(409, 'conflict', `the push is ${row.state}, not failed`);
    res.json({ id: pushId, state: 'pending' });
  });
  return r;
}
