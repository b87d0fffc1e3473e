// Typed API errors: an HTTP status, a stable code, a message in plain words
// and, for bad input, what exactly is wrong.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { z } from 'zod';
import type { Logger } from '../log.js';

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details?: unknown) {
    super(message);
  }
}

export const notFound = (what: string) => new ApiError(404, 'not_found', `${what} not found`);
export const forbidden = () => new ApiError(403, 'forbidden', 'not allowed for your role');

/** Parses input with a schema or throws a 400 that lists every problem. */
export function parse<T extends z.ZodType>(schema: T, input: unknown, where = 'body'): z.infer<T> {
  const r = schema.safeParse(input);
  if (!r.success) {
    const problems = r.error.issues.map((i) => ({ field: i.path.join('.') || where, problem: i.message }));
    throw new ApiError(400, 'invalid_input', `invalid ${where}: ${problems.map((p) => `${p.field}: ${p.problem}`).join('; ')}`, problems);
  }
  return r.data;
}

export const unknownRoute: RequestHandler = (req, _res, next) => next(new ApiError(404, 'not_found', `no route ${req.method} ${req.path}`));

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    if (err instanceof ApiError) {
      res.status(err.status).json({ error: { code: err.code, message: err.message, details: err.details } });
      return;
    }
    if (err instanceof SyntaxError && 'body' in err) {
      res.status(400).json({ error: { code: 'invalid_json', message: 'request body is not valid JSON' } });
      return;
    }
    logger.error('request failed', { method: req.method, path: req.path, err, stack: (err as Error).stack });
    res.status(500).json({ error: { code: 'internal', message: 'internal error' } });
  };
}
