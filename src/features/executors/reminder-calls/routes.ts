// Reminder calls API: a company's setting (staff of that company) and the
// log of a request's calls (staff who see the request). Another company's
// ids answer 404.
import { Router } from 'express';
import { z } from 'zod';
import { notFound, parse } from '../../../http/errors.js';
import { currentUser, requireRole } from '../../auth/middleware.js';
import { id, inScope } from '../schemas.js';
import type { ReminderCallRepository } from './repository.js';
import type { ReminderPolicyOptions } from './scheduler.js';

export const settingsBody = z.object({
  enabled: z.boolean(),
  /** null: the configured default. */
  afterMinutes: z.number().min(0.05, 'at least 0.05 minutes').max(1440, 'at most 1440 minutes (a day)').nullable(),
}).strict();

export function reminderCallRoutes(repo: ReminderCallRepository, policy: ReminderPolicyOptions, o: { tenantExists(id: number): boolean }): Router {
  const r = Router();
  const view = (tenantId: number) => {
    const s = repo.settings(tenantId);
    return { tenantId, enabled: s.enabled, afterMinutes: s.afterMin ?? policy.defaultAfterMin, customAfterMinutes: s.afterMin, defaultAfterMinutes: policy.defaultAfterMin, retryMinutes: policy.retryMin, maxAttempts: policy.maxAttempts };
  };
  const tenantOf = (req: import('express').Request) => {
    const tenantId = parse(id, req.params.tenantId, 'tenantId');
    if (!inScope(currentUser(req), tenantId) || !o.tenantExists(tenantId)) throw notFound('company');
    return tenantId;
  };

  r.get('/api/reminder-calls/settings/:tenantId', requireRole('admin', 'supervisor'), (req, res) => void res.json(view(tenantOf(req))));
  r.put('/api/reminder-calls/settings/:tenantId', requireRole('admin', 'supervisor'), (req, res) => {
    const tenantId = tenantOf(req);
    const b = parse(settingsBody, req.body);
    repo.saveSettings({ tenantId, enabled: b.enabled, afterMin: b.afterMinutes });
    res.json(view(tenantId));
  });
  r.get('/api/requests/:id/reminder-calls', requireRole('admin', 'supervisor', 'operator'), (req, res) => {
    const requestId = parse(id, req.params.id, 'id');
    const tenantId = repo.requestTenant(requestId);
    if (tenantId === null || !inScope(currentUser(req), tenantId)) throw notFound('request');
    res.json({ items: repo.forRequest(requestId) });
  });
  return r;
}
