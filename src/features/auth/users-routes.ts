// User accounts for admins (people only: the channels' system accounts are
// neither listed nor changed here): list, create (admins, supervisors, overflow
// staff; operators through /api/operators, executors through
// /api/executors), edit name / mobile / role / companies, disable / enable,
// reset a password. Every change is audited (never the password).
import { Router, type Request } from 'express';
import { z } from 'zod';
import { ApiError, notFound, parse } from '../../http/errors.js';
import { isForeignKeyViolation, uniqueViolation } from '../../store/db.js';
import type { AuditLog } from '../audit/repository.js';
import type { AuthService, UserAccount } from './service.js';
import { currentUser, requireRole } from './middleware.js';
import { newPassword } from './routes.js';

export const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

/** Roles whose account is only a user row; operators and executors carry a profile made by their own API. */
const plainRoles = ['admin', 'supervisor', 'overflow'] as const;
const mobile = z.string().regex(/^\+?\d{5,20}$/, 'a phone number, digits only');
const tenantIds = z.array(z.number().int().positive()).max(50).refine((t) => new Set(t).size === t.length, 'a company is listed twice');

export const createBody = z.object({
  login: z.string().min(2).max(64).regex(/^[A-Za-z0-9._-]+$/, 'latin letters, digits, . _ -'),
  password: newPassword,
  role: z.enum(plainRoles, 'admin, supervisor or overflow (operators: POST /api/operators, executors: POST /api/executors)'),
  fullName: z.string().trim().min(1).max(200),
  mobileNumber: mobile.nullable().default(null),
  tenantIds: tenantIds.default([]),
}).strict();

export const patchBody = z.object({
  fullName: z.string().trim().min(1).max(200),
  mobileNumber: mobile.nullable(),
  role: z.enum(plainRoles, 'admin, supervisor or overflow'),
  tenantIds,
}).partial().strict().refine((b) => Object.keys(b).length > 0, 'nothing to change');

/** What the audit log keeps of an account. */
const snapshot = (u: UserAccount) => ({ id: u.id, login: u.login, role: u.role, fullName: u.fullName, mobileNumber: u.mobileNumber, tenantIds: u.tenantIds, disabledAt: u.disabledAt });

export const resetPasswordBody = z.object({ newPassword }).strict();

export function userAdminRoutes(auth: AuthService, audit: AuditLog): Router {
  const r = Router();
  const admin = requireRole('admin');
  /** The id of a person's account: a channel's system account (not listed) is refused, never changed. */
  const userId = (raw: unknown) => {
    const id = parse(z.coerce.number().int().positive(), raw, 'id');
    if (auth.isSystemAccount(id)) throw new ApiError(409, 'system_account', "this is a channel's system account (it registers the channel's requests), not a person: it cannot be edited, enabled or given a password");
    return id;
  };
  const noCompany = () => new ApiError(400, 'invalid_input', 'invalid body: tenantIds: no such company', [{ field: 'tenantIds', problem: 'no such company' }]);
  const firstTenant = (u: UserAccount) => u.tenantIds?.[0] ?? null;

  r.get('/api/users', admin, (req, res) => {
    const q = parse(listQuery, req.query, 'query');
    res.json({ ...auth.listUsers(q), limit: q.limit, offset: q.offset });
  });

  r.post('/api/users', admin, (req, res) => {
    const b = parse(createBody, req.body);
    if (auth.findByLogin(b.login)) throw new ApiError(409, 'conflict', `login ${b.login} is taken`, [{ field: 'login', problem: 'taken' }]);
    try {
      const user = audit.change(() => {
        const u = auth.account(auth.createUser(b).id)!;
        audit.record({ userId: currentUser(req).id, action: 'create', entity: 'user', entityId: u.id, tenantId: firstTenant(u), before: null, after: snapshot(u) });
        return u;
      });
      res.status(201).json({ user });
    } catch (err) {
      if (uniqueViolation(err)) throw new ApiError(409, 'conflict', `login ${b.login} is taken`, [{ field: 'login', problem: 'taken' }]);
      if (isForeignKeyViolation(err)) throw noCompany();
      throw err;
    }
  });

  r.patch('/api/users/:id', admin, (req, res) => {
    const id = userId(req.params.id);
    const b = parse(patchBody, req.body);
    const current = auth.account(id);
    if (!current) throw notFound('user');
    if (b.role !== undefined && b.role !== current.role && !(plainRoles as readonly string[]).includes(current.role)) {
      throw new ApiError(400, 'invalid_input', `role: a ${current.role} keeps the role (their profile belongs to it); create a new account instead`, [{ field: 'role', problem: 'cannot change' }]);
    }
    if (id === currentUser(req).id && b.role !== undefined && b.role !== 'admin') throw new ApiError(409, 'conflict', 'you cannot take the admin role from yourself');
    try {
      const user = auth.updateUser(id, b, (before, after) => audit.record({ userId: currentUser(req).id, action: 'update', entity: 'user', entityId: id, tenantId: firstTenant(after) ?? firstTenant(before), before: snapshot(before), after: snapshot(after) }));
      res.json({ user });
    } catch (err) {
      if (isForeignKeyViolation(err)) throw noCompany();
      throw err;
    }
  });

  /** Runs an account action with its audit entry (the account before and after) in the action's transaction. */
  const audited = (req: Request, id: number, action: string) => {
    const before = auth.account(id);
    return () => {
      const after = auth.account(id)!;
      audit.record({ userId: currentUser(req).id, action, entity: 'user', entityId: id, tenantId: before ? firstTenant(before) : null, before: before ? snapshot(before) : null, after: snapshot(after) });
    };
  };

  r.post('/api/users/:id/disable', admin, (req, res) => {
    const id = userId(req.params.id);
    if (id === currentUser(req).id) throw new ApiError(409, 'conflict', 'you cannot disable your own account');
    if (!auth.disable(id, audited(req, id, 'disable'))) throw notFound('user');
    res.status(204).end();
  });

  r.post('/api/users/:id/enable', admin, (req, res) => {
    const id = userId(req.params.id);
    if (!auth.enable(id, audited(req, id, 'enable'))) throw notFound('user');
    res.status(204).end();
  });

  r.post('/api/users/:id/reset-password', admin, async (req, res) => {
    const id = userId(req.params.id);
    const b = parse(resetPasswordBody, req.body);
    if (!(await auth.resetPassword(id, b.newPassword, audited(req, id, 'reset-password')))) throw notFound('user');
    res.status(204).end();
  });

  return r;
}
