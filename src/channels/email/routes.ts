// A company's mail settings (admins; audited): the inbound address residents
// write to and whether replies need a supervisor's approval.
import { Router } from 'express';
import { z } from 'zod';
import type { Clock } from '../../clock.js';
import { ApiError, notFound, parse } from '../../http/errors.js';
import { uniqueViolation } from '../../store/db.js';
import { currentUser, requireRole } from '../../features/auth/middleware.js';
import type { AuditLog } from '../../features/audit/repository.js';
import type { MailRepository } from './repository.js';

export const mailSettingsBody = z.object({
  inboundEmail: z.string().trim().toLowerCase().max(320).pipe(z.email('неверный адрес эл. почты')).nullable(),
  repliesNeedApproval: z.boolean(),
}).strict();

export function mailSettingsRoutes(d: { repo: MailRepository; audit: AuditLog; clock: Clock; tenantExists(id: number): boolean; domains: string[]; listening: boolean }): Router {
  const r = Router();
  const tenantId = (raw: unknown, scope: number[] | null) => {
    const id = parse(z.coerce.number().int().positive(), raw, 'id');
    if (!d.tenantExists(id) || (scope && !scope.includes(id))) throw notFound('company');
    return id;
  };

  r.get('/api/tenants/:id/mail', requireRole('admin', 'supervisor'), (req, res) => {
    const id = tenantId(req.params.id, currentUser(req).tenantIds);
    res.json({ mail: { ...d.repo.settings(id), listening: d.listening } });
  });

  r.put('/api/tenants/:id/mail', requireRole('admin'), (req, res) => {
    const id = tenantId(req.params.id, currentUser(req).tenantIds);
    const b = parse(mailSettingsBody, req.body);
    const domain = b.inboundEmail?.slice(b.inboundEmail.lastIndexOf('@') + 1);
    if (domain && d.domains.length > 0 && !d.domains.includes(domain)) {
      const problem = `домен ${domain} не принимается (PULT_MAIL_DOMAINS: ${d.domains.join(', ')})`;
      throw new ApiError(400, 'invalid_input', `inboundEmail: ${problem}`, [{ field: 'inboundEmail', problem }]);
    }
    try {
      const after = d.audit.change(() => {
        const before = d.repo.settings(id);
        const next = { tenantId: id, inboundEmail: b.inboundEmail, repliesNeedApproval: b.repliesNeedApproval };
        d.repo.saveSettings(next, d.clock.now().toISOString());
        d.audit.record({ userId: currentUser(req).id, action: 'update', entity: 'tenant-mail', entityId: id, tenantId: id, before, after: next });
        return next;
      });
      res.json({ mail: { ...after, listening: d.listening } });
    } catch (err) {
      if (uniqueViolation(err)) throw new ApiError(409, 'conflict', 'another company already uses this address', [{ field: 'inboundEmail', problem: 'taken' }]);
      throw err;
    }
  });

  return r;
}
