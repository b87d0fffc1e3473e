import { Router } from 'express';
import { z } from 'zod';
import { ApiError, parse } from '../../http/errors.js';
import type { Logger } from '../../log.js';
import type { AuthService } from './service.js';
import type { LoginThrottle } from './login-throttle.js';
import { currentUser } from './middleware.js';

export const loginBody = z.object({ login: z.string().min(1).max(100), password: z.string().min(1).max(200) });
export const newPassword = z.string().min(8, 'at least 8 characters').max(200);
export const passwordBody = z.object({ currentPassword: z.string().min(1).max(200), newPassword });

export function publicAuthRoutes(auth: AuthService, throttle: LoginThrottle, logger: Logger): Router {
  const r = Router();
  r.post('/api/auth/login', async (req, res) => {
    const { login, password } = parse(loginBody, req.body);
    const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const wait = await throttle.retryAfterSec(address, login);
    if (wait > 0) {
      logger.warn('login refused: too many failed attempts', { login, address, retryAfterSec: wait });
      res.setHeader('retry-after', String(wait));
      throw new ApiError(429, 'too_many_attempts', `too many failed logins; try again in ${wait} s`, { retryAfterSec: wait });
    }
    const s = await auth.login(login, password);
    if (!s) {
      await throttle.failed(address, login);
      logger.warn('login failed', { login, address });
      throw new ApiError(401, 'bad_credentials', 'wrong login or password');
    }
    await throttle.succeeded(login);
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
  // A user changes their own password; their other sessions end.
  r.post('/api/me/password', async (req, res) => {
    const user = currentUser(req);
    const b = parse(passwordBody, req.body);
    if (!(await auth.changePassword(user.id, req.token ?? '', b.currentPassword, b.newPassword))) {
      throw new ApiError(400, 'invalid_input', 'the current password is wrong', [{ field: 'currentPassword', problem: 'wrong password' }]);
    }
    res.status(204).end();
  });
  return r;
}
