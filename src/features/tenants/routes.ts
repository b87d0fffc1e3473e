// Companies API (admin only): list, create, rename; every change audited.
import { Router } from 'express';
import { z } from 'zod';
import { ApiError, notFound, parse } from '../../http/errors.js';
import { uniqueViolation } from '../../store/db.js';
import { currentUser, requireRole } from '../auth/middleware.js';
import type { AuditLog } from '../audit/repository.js';
import type { TenantRepository } from './repository.js';

export const body = z.object({ name: z.string().trim().min(1, 'enter the company name').max(120) }).strict();
const taken = () => new ApiError(409, 'conflict', 'a company with this name already exists', [{ field: 'name', problem: 'taken' }]);

export function tenantRoutes(tenants: TenantRepository, audit: AuditLog): Router {
  const r = Router();
  const admin = requireRole('admin');

  r.get('/api/tenants', admin, (_req, res) => void res.json({ items: tenants.list() }));

  r.post('/api/tenants', admin, (req, res) => {
    const b = parse(body, req.body);
    try {
      const t = audit.change(() => {
        const created = tenants.create(b.name);
        audit.record({ userId: currentUser(req).id, action: 'create', entity: 'tenant', entityId: created.id, tenantId: created.id, before: null, after: created });
        return created;
      });
      res.status(201).json({ tenant: t });
    } catch (err) {
      if (uniqueViolation(err)) throw taken();
      throw err;
    }
  });

  r.patch('/api/tenants/:id', admin, (req, res) => {
    const id = parse(z.coerce.number().int().positive(), req.params.id, 'id');
    const b = parse(body, req.body);
    try {
      const t = audit.change(() => {
        const before = tenants.get(id);
        if (!before) throw notFound('company');
        const after = tenants.rename(id, b.name)!;
        audit.record({ userId: currentUser(req).id, action: 'update', entity: 'tenant', entityId: id, tenantId: id, before, after });
        return after;
      });
      res.json({ tenant: t });
    } catch (err) {
      if (uniqueViolation(err)) throw taken();
      throw err;
    }
  });

  return r;
}
