// User accounts for admins: list, disable / enable, reset a password.
import { Router } from 'express';
import { z } from 'zod';
import { ApiError, notFound, parse } from '../../http/errors.js';
import type { AuthService } from './service.js';
import { currentUser, requireRole } from './middleware.js';
import { newPassword } from './routes.js';

const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

export function userAdminRoutes(auth: AuthService): Router {
  const r = Router();
  const userId = (raw: unknown) => parse(z.coerce.number().int().positive(), raw, 'id');

  r.get('/api/users', requireRole('admin'), (req, res) => {
    const q = parse(listQuery, req.query, 'query');
    res.json({ ...auth.listUsers(q), limit: q.limit, offset: q.offset });
  });

  r.post('/api/users/:id/disable', requireRole('admin'), (req, res) => {
    const id = userId(req.params.id);
    if (id === currentUser(req).id) throw new ApiError(409, 'conflict', 'you cannot disable your own account');
    if (!auth.disable(id)) throw notFound('user');
    res.status(204).end();
  });

  r.post('/api/users/:id/enable', requireRole('admin'), (req, res) => {
    if (!auth.enable(userId(req.params.id))) throw notFound('user');
    res.status(204).end();
  });

  r.post('/api/users/:id/reset-password', requireRole('admin'), async (req, res) => {
    const id = userId(req.params.id);
    const b = parse(z.object({ newPassword }), req.body);
    if (!(await auth.resetPassword(id, b.newPassword))) throw notFound('user');
    res.status(204).end();
  });

  return r;
}
