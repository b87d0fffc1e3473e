// Attachments' HTTP: upload to a request (multipart, field `files`), and the
// download of a file or its thumbnail, either with a bearer token or with a
// short-lived signed link (<img> and new tabs cannot send headers).
import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { existsSync } from 'node:fs';
import multer from 'multer';
import { z } from 'zod';
import { ApiError, notFound, parse } from '../../http/errors.js';
import { currentUser } from '../auth/middleware.js';
import type { User } from '../auth/service.js';
import type { AttachmentLinks, Variant } from './links.js';
import type { AttachmentRow } from './repository.js';
import type { AttachmentService } from './service.js';

const id = z.coerce.number().int().positive();
export const MAX_FILES = 10;
const inScope = (user: User, tenantId: number) => !user.tenantIds || user.tenantIds.includes(tenantId);

/** `filename` for Content-Disposition: an ASCII fallback plus the UTF-8 name (RFC 6266 / 5987). */
function disposition(name: string): string {
  const ascii = name.replace(/[^A-Za-z0-9._ -]/g, '_');
  return `inline; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

function send(svc: AttachmentService, a: AttachmentRow, variant: Variant, res: Response, next: NextFunction): void {
  const key = variant === 'thumb' ? a.thumbKey : a.storageKey;
  if (!key) throw notFound('thumbnail');
  const file = svc.store.pathOf(key);
  if (!existsSync(file)) throw notFound('attachment file');
  const thumb = variant === 'thumb';
  res.sendFile(file, {
    cacheControl: false, lastModified: false, dotfiles: 'allow',
    headers: {
      'content-type': thumb ? 'image/webp' : a.mime,
      'content-disposition': disposition(thumb ? `${a.name}.webp` : a.name),
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, no-store',
    },
  }, (err) => {
    if (err && !res.headersSent) next(err);
  });
}

/** Multer's own refusals as JSON 4xx: over the size or count limit → 413, a malformed form → 400. */
export function uploadParser(maxBytes: number): RequestHandler {
  const parser = multer({ storage: multer.memoryStorage(), defParamCharset: 'utf8', limits: { fileSize: maxBytes, files: MAX_FILES, fields: 20, parts: MAX_FILES + 20 } }).array('files', MAX_FILES);
  const mb = Math.round((maxBytes / 1024 / 1024) * 10) / 10;
  return (req, res, next) => parser(req, res, (err?: unknown) => {
    if (!err) return next();
    if (err instanceof multer.MulterError) {
      switch (err.code) {
        case 'LIMIT_FILE_SIZE': return next(new ApiError(413, 'file_too_large', `a file is larger than ${mb} MB`, [{ field: err.field ?? 'files', problem: `larger than ${mb} MB`, limitMb: mb }]));
        case 'LIMIT_FILE_COUNT': return next(new ApiError(413, 'too_many_files', `at most ${MAX_FILES} files at once`, [{ field: 'files', problem: `more than ${MAX_FILES} files`, maxFiles: MAX_FILES }]));
        case 'LIMIT_UNEXPECTED_FILE': return next(new ApiError(400, 'invalid_input', `files go in the field \`files\` (at most ${MAX_FILES})`, [{ field: err.field ?? 'files', problem: 'unexpected field' }]));
        default: return next(new ApiError(413, 'too_large', `the form breaks a limit: ${err.message}`));
      }
    }
    next(new ApiError(400, 'bad_multipart', `the form cannot be read: ${err instanceof Error ? err.message : 'malformed'}`));
  });
}

/** Before authentication: a request carrying a signature is judged by it alone. */
export function signedAttachmentRoutes(svc: AttachmentService, links: AttachmentLinks): Router {
  const r = Router();
  const serve = (variant: Variant) => (req: Request, res: Response, next: NextFunction) => {
    const { exp, sig } = req.query;
    if (exp === undefined && sig === undefined) return next(); // bearer token path, after authentication
    const attId = parse(id, req.params.id, 'id');
    const check = links.check(attId, variant, exp, sig);
    if (check === 'expired') throw new ApiError(401, 'link_expired', 'this attachment link has expired; reload the request page for a new one');
    if (check !== 'ok') throw new ApiError(401, 'bad_signature', 'this attachment link is not valid');
    const a = svc.repo.get(attId);
    if (!a) throw notFound('attachment');
    send(svc, a, variant, res, next);
  };
  r.get('/api/attachments/:id', serve('file'));
  r.get('/api/attachments/:id/thumb', serve('thumb'));
  return r;
}

/** After authentication: upload, list, and download with a bearer token; 404 outside the user's companies. */
export function attachmentRoutes(svc: AttachmentService, maxBytes: number): Router {
  const r = Router();
  const visibleRequest: RequestHandler = (req, _res, next) => {
    const reqId = parse(id, req.params.id, 'id');
    const tenantId = svc.repo.requestTenant(reqId);
    if (tenantId === null || !inScope(currentUser(req), tenantId)) throw notFound('request');
    next();
  };
  r.post('/api/requests/:id/attachments', visibleRequest, uploadParser(maxBytes), async (req, res) => {
    const files = (req.files ?? []) as Express.Multer.File[];
    const added = await svc.add(Number(req.params.id), currentUser(req).id, files);
    res.status(201).json({ added, attachments: svc.list(Number(req.params.id)) });
  });
  r.get('/api/requests/:id/attachments', visibleRequest, (req, res) => {
    res.setHeader('cache-control', 'private, no-store');
    res.json({ attachments: svc.list(Number(req.params.id)) });
  });
  const serve = (variant: Variant) => (req: Request, res: Response, next: NextFunction) => {
    const a = svc.repo.get(parse(id, req.params.id, 'id'));
    if (!a || !inScope(currentUser(req), a.tenantId)) throw notFound('attachment');
    send(svc, a, variant, res, next);
  };
  r.get('/api/attachments/:id', serve('file'));
  r.get('/api/attachments/:id/thumb', serve('thumb'));
  return r;
}
