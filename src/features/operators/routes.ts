// Operators: provisioning (admin), their own presence, the room's list.
import { Router, type Request } from 'express';
import { z } from 'zod';
import { ApiError, forbidden, notFound, parse } from '../../http/errors.js';
import type { Logger } from '../../log.js';
import type { PbxPort } from '../../telephony/ports.js';
import type { AuthService } from '../auth/service.js';
import { hashPasswordAsync } from '../auth/passwords.js';
import { currentUser, requireRole } from '../auth/middleware.js';
import type { OperatorService } from './service.js';
import type { AuditLog } from '../audit/repository.js';
import { isForeignKeyViolation, uniqueViolation } from '../../store/db.js';

export const createBody = z.object({
  login: z.string().min(2).max(64).regex(/^[A-Za-z0-9._-]+$/, 'latin letters, digits, . _ -'),
  password: z.string().min(6).max(200),
  fullName: z.string().min(1).max(200),
  extension: z.string().regex(/^\d{3,6}$/, 'extension must be 3 to 6 digits'),
  deviceKind: z.enum(['webrtc', 'sip']).default('webrtc'),
  staticContact: z.string().regex(/^sips?:[^\s]+$/, 'a SIP URI like sip:1001@192.0.2.10:5060').nullable().optional(),
  tenantIds: z.array(z.number().int().positive()).default([]),
});

export const stateBody = z.discriminatedUnion('state', [
  z.object({ state: z.literal('available') }),
  z.object({ state: z.literal('offline') }),
  z.object({ state: z.literal('paused'), reason: z.string().min(1, 'say why you pause').max(100) }),
]);

export function operatorRoutes(auth: AuthService, operators: OperatorService, pbx: PbxPort, logger: Logger, sip: { wsUrl: string | ((req: Request) => string); domain: string }, audit?: AuditLog): Router {
  const r = Router();

  r.get('/api/operators', requireRole('admin', 'supervisor'), (req, res) => {
    // A supervisor sees the operators who share one of their companies.
    const scope = currentUser(req).tenantIds;
    res.json({ items: operators.list().filter((o) => scope === null || o.tenantIds.some((t) => scope.includes(t))) });
  });

  r.post('/api/operators', requireRole('admin'), async (req, res) => {
    const b = parse(createBody, req.body);
    if (auth.findByLogin(b.login)) throw new ApiError(409, 'conflict', `login ${b.login} is taken`, [{ field: 'login', problem: 'taken' }]);
    if (operators.list().some((o) => o.extension === b.extension)) throw new ApiError(409, 'conflict', `extension ${b.extension} is taken`, [{ field: 'extension', problem: 'taken' }]);
    const passwordHash = await hashPasswordAsync(b.password);
    // The checks above are only a fast path: parallel requests pass them together,
    // so the constraints decide, inside one transaction (no user without an operator row).
    let op;
    try {
      const create = () => operators.createWithUser(
        () => auth.createUser({ login: b.login, password: b.password, passwordHash, role: 'operator', fullName: b.fullName, tenantIds: b.tenantIds }),
        { extension: b.extension, deviceKind: b.deviceKind, staticContact: b.staticContact ?? null },
      );
      op = audit ? audit.change(() => {
        const created = create();
        audit.record({ userId: currentUser(req).id, action: 'create', entity: 'user', entityId: created.userId, tenantId: b.tenantIds[0] ?? null, before: null, after: { userId: created.userId, login: b.login, fullName: b.fullName, role: 'operator', extension: created.extension, deviceKind: created.deviceKind, staticContact: created.staticContact, tenantIds: b.tenantIds } });
        return created;
      }) : create();
    } catch (err) {
      const column = uniqueViolation(err);
      if (column === 'users.login') throw new ApiError(409, 'conflict', `login ${b.login} is taken`, [{ field: 'login', problem: 'taken' }]);
      if (column === 'operators.extension') throw new ApiError(409, 'conflict', `extension ${b.extension} is taken`, [{ field: 'extension', problem: 'taken' }]);
      if (column) throw new ApiError(409, 'conflict', `${column} is taken`);
      if (isForeignKeyViolation(err)) throw new ApiError(400, 'invalid_input', 'invalid body: tenantIds: no such company', [{ field: 'tenantIds', problem: 'no such company' }]);
      throw err;
    }
    // After the commit: Asterisk learns of the operator at once; if it is not connected, the next resync pushes it.
    let provisioned = false;
    if (pbx.connected) {
      const spec = operators.endpointSpecs().find((s) => s.id === op.extension);
      if (spec) {
        try {
          await pbx.upsertEndpoint(spec);
          provisioned = true;
        } catch (err) {
          logger.warn('could not push the new operator endpoint now; it will be pushed on the next resync', { extension: op.extension, err });
        }
      }
    }
    res.status(201).json({ operator: op, provisioned });
  });

  r.get('/api/operators/me', (req, res) => {
    const user = currentUser(req);
    const op = operators.get(user.id);
    if (!op) throw notFound('operator profile');
    const creds = operators.sipCredentials(user.id);
    res.json({ operator: op, sip: creds ? { ...creds, wsUrl: typeof sip.wsUrl === 'function' ? sip.wsUrl(req) : sip.wsUrl, domain: sip.domain } : null });
  });

  r.post('/api/operators/me/state', (req, res) => {
    const user = currentUser(req);
    if (!operators.get(user.id)) throw forbidden();
    const b = parse(stateBody, req.body);
    res.json({ operator: operators.setPresence(user.id, b.state, b.state === 'paused' ? b.reason : null) });
  });

  r.post('/api/operators/:userId/state', requireRole('admin', 'supervisor'), (req, res) => {
    const userId = parse(z.coerce.number().int().positive(), req.params.userId, 'userId');
    const target = operators.get(userId);
    if (!target) throw notFound('operator');
    // A supervisor acts only on operators sharing one of their companies.
    const scope = currentUser(req).tenantIds;
    if (scope !== null && !target.tenantIds.some((t) => scope.includes(t))) throw forbidden();
    const b = parse(stateBody, req.body);
    res.json({ operator: operators.setPresence(userId, b.state, b.state === 'paused' ? b.reason : null) });
  });

  return r;
}
