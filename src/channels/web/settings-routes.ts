// Which companies take requests through the residents' web form (admins;
// audited). A company whose form is off is not listed on /r/ and its form,
// building search, requests and online booking answer 404.
import { Router } from 'express';
import { z } from 'zod';
import type { Clock } from '../../clock.js';
import { notFound, parse } from '../../http/errors.js';
import { currentUser, requireRole } from '../../features/auth/middleware.js';
import type { AuditLog } from '../../features/audit/repository.js';
import type { WebFormRepository } from './repository.js';

export const webFormSettingsBody = z.object({ enabled: z.boolean({ error: 'enabled: true or false' }) }).strict();

export function webFormSettingsRoutes(d: { repo: WebFormRepository; audit: AuditLog; clock: Clock; tenantExists(id: number): boolean; formOn: boolean }): Router {
  const r = Router();
  const admin = requireRole('admin');

  r.get('/api/web-form/settings', admin, (_req, res) => {
    res.json({ items: d.repo.formSettings(), formOn: d.formOn });
  });

  r.put('/api/tenants/:id/web-form', admin, (req, res) => {
    const id = parse(z.coerce.number().int().positive(), req.params.id, 'id');
    if (!d.tenantExists(id)) throw notFound('company');
    const b = parse(webFormSettingsBody, req.body);
    const after = d.audit.change(() => {
      const before = { tenantId: id, enabled: d.repo.formEnabled(id) };
      const next = { tenantId: id, enabled: b.enabled };
      d.repo.setFormEnabled(id, b.enabled, d.clock.now().toISOString());
      d.audit.record({ userId: currentUser(req).id, action: 'update', entity: 'tenant-web-form', entityId: id, tenantId: id, before, after: next });
      return next;
    });
    res.json({ webForm: after });
  });

  return r;
}
