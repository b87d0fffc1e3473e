// Bearer-token authentication for every API route but /api/health.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ApiError, forbidden } from '../../http/errors.js';
import type { AuthService, Role, User } from './service.js';

declare module 'express-serve-static-core' {
  interface Request {
    user?: User;
    token?: string;
  }
}

/**
 * The bearer token from the Authorization header. Never from the query
 * string: a token in a URL ends up in logs, history and Referer headers.
 * Media elements, which cannot send headers, get signed recording links.
 */
export function bearerToken(req: Request): string | null {
  const h = req.header('authorization');
  if (h?.startsWith('Bearer ')) return h.slice(7).trim();
  return null;
}

export function requireAuth(auth: AuthService): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (req.query.access_token !== undefined) return next(new ApiError(401, 'unauthenticated', 'a token in the query string is not accepted: send Authorization: Bearer <token>'));
    const token = bearerToken(req);
    const user = token ? auth.authenticate(token) : null;
    if (!user || !token) return next(new ApiError(401, 'unauthenticated', 'log in first: POST /api/auth/login, then send Authorization: Bearer <token>'));
    req.user = user;
    req.token = token;
    next();
  };
}

export function requireRole(...roles: Role[]): RequestHandler {
  return (req, _res, next) => (req.user && roles.includes(req.user.role) ? next() : next(forbidden()));
}

export function currentUser(req: Request): User {
  if (!req.user) throw new ApiError(401, 'unauthenticated', 'not logged in');
  return req.user;
}
