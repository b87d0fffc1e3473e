// GET /api/audit: the audit log, newest first, paged. Admins see everything;
// supervisors only the entries of their companies.
import { Router } from 'express';
import { z } from 'zod';
import { parse } from '../../http/errors.js';
import { currentUser, requireRole } from '../auth/middleware.js';
import type { AuditLog } from './repository.js';

const isoDate = z.iso.datetime({ offset: true }).or(z.iso.date());
export const query = z.object({
  entity: z.enum(['tenant', 'line', 'overflow-group', 'user', 'vpbx-account', 'trunk', 'tenant-mail', 'tenant-web-form']).optional(),
  entityId: z.coerce.number().int().positive().optional(),
  tenantId: z.coerce.number().int().positive().optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
}).strict();

export function auditRoutes(audit: AuditLog): Router {
  const r = Router();
  r.get('/api/audit', requireRole('admin', 'supervisor'), (req, res) => {
    const q = parse(query, req.query, 'query');
    const norm = (d: string | undefined) => (d === undefined ? undefined : new Date(d).toISOString());
    const page = audit.list({ ...q, from: norm(q.from), to: norm(q.to), tenantIds: currentUser(req).tenantIds });
    res.json({ ...page, limit: q.limit, offset: q.offset });
  });
  return r;
}
