import { Router } from 'express';
import { z } from 'zod';
import { ApiError, parse } from '../../http/errors.js';
import type { AuthService } from './service.js';
import { currentUser } from './middleware.js';

const loginBody = z.object({ login: z.string().min(1).max(100), password: z.string().min(1).max(200) });

export function publicAuthRoutes(auth: AuthService): Router {
  const r = Router();
  r.post('/api/auth/login', async (req, res) => {
    const { login, password } = parse(loginBody, req.body);
    const s = await auth.login(login, password);
    if (!s) throw new ApiError(401, 'bad_credentials', 'wrong login or password');
    res.json({ token: s.token, expiresAt: s.expiresAt, user: s.user });
  });
  return r;
}

export function authRoutes(auth: AuthService): Router {
  const r = Router();
  r.get('/api/me', (req, res) => {
    res.json({ user: currentUser(req) });
  });
  r.post('/api/auth/logout', (req, res) => {
    if (req.token) auth.logout(req.token);
    res.status(204).end();
  });
  return r;
}
