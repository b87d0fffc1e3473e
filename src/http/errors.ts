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
    const known = bodyParserError(err) ?? constraintError(err);
    if (known) {
      logger.warn('request refused', { method: req.method, path: req.path, status: known.status, code: known.code });
      res.status(known.status).json({ error: { code: known.code, message: known.message } });
      return;
    }
    logger.error('request failed', { method: req.method, path: req.path, err, stack: (err as Error).stack });
    res.status(500).json({ error: { code: 'internal', message: 'internal error' } });
  };
}

/** The body parsers' own errors (express.json / urlencoded): a client's mistake, never a 500. */
function bodyParserError(err: unknown): ApiError | null {
  if (typeof err !== 'object' || err === null || typeof (err as { type?: unknown }).type !== 'string') return null;
  const e = err as { type: string; status?: number; limit?: number };
  switch (e.type) {
    case 'entity.too.large':
      return new ApiError(413, 'too_large', `request body is larger than ${e.limit ?? 'the limit'} bytes`);
    case 'parameters.too.many':
      return new ApiError(413, 'too_many_fields', 'the form has too many fields');
    case 'entity.parse.failed':
      return new ApiError(400, 'invalid_body', 'request body cannot be parsed');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new ApiError(415, 'unsupported_encoding', 'unsupported body encoding or charset');
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
    case 'stream.not.readable':
      return new ApiError(400, 'bad_request', 'the request body could not be read');
    default:
      return typeof e.status === 'number' && e.status >= 400 && e.status < 500 ? new ApiError(e.status, 'bad_request', 'bad request') : null;
  }
}

/** SQLite constraint failures that reached the edge: the input referred to something missing or taken. */
function constraintError(err: unknown): ApiError | null {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_CONSTRAINT')) return null;
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return new ApiError(409, 'conflict', 'such a record already exists');
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return new ApiError(400, 'invalid_reference', 'the request refers to a record that does not exist');
  return new ApiError(400, 'invalid_input', 'the request breaks a data rule (a required or checked value)');
}
