// Recording download (with HTTP Range). Two ways in: a bearer token (API
// clients), or a short-lived signed link (browsers' <audio>, which cannot
// send headers). Never cached by shared or browser caches.
import { Router, type NextFunction, type Response } from 'express';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { ApiError, notFound } from '../../http/errors.js';
import { currentUser } from '../auth/middleware.js';
import type { LineRepository } from '../lines/repository.js';
import type { CallRepository } from './repository.js';
import type { RecordingLinks } from './recording-links.js';
import { canSeeCall } from './routes.js';

function sendRecording(calls: CallRepository, callId: string, res: Response, next: NextFunction): void {
  const rec = calls.recordingForCall(callId);
  if (!rec || rec.state !== 'stored' || !rec.filePath || !existsSync(rec.filePath)) throw notFound('recording');
  res.sendFile(
    path.resolve(rec.filePath),
    { acceptRanges: true, cacheControl: false, headers: { 'content-type': rec.format === 'wav' ? 'audio/wav' : 'audio/mpeg', 'cache-control': 'private, no-store' } },
    (err) => {
      if (err && !res.headersSent) next(err);
    },
  );
}

/** Before authentication: a request carrying a signature is judged by it alone. */
export function signedRecordingRoutes(calls: CallRepository, links: RecordingLinks): Router {
  const r = Router();
  r.get('/api/calls/:id/recording', (req, res, next) => {
    const { exp, sig } = req.query;
    if (exp === undefined && sig === undefined) return next(); // bearer token path, below
    const check = links.check(req.params.id, exp, sig);
    if (check === 'expired') throw new ApiError(401, 'link_expired', 'this recording link has expired; ask for a new one: GET /api/calls/:id/recording-url');
    if (check !== 'ok') throw new ApiError(401, 'bad_signature', 'this recording link is not valid');
    if (!calls.get(req.params.id)) throw notFound('call');
    sendRecording(calls, req.params.id, res, next);
  });
  return r;
}

/** After authentication: download with a bearer token, or get a fresh signed link. */
export function recordingRoutes(calls: CallRepository, lines: LineRepository, links: RecordingLinks): Router {
  const r = Router();
  const visibleCall = (id: string, req: Parameters<typeof currentUser>[0]) => {
    const call = calls.get(id);
    if (!call || !canSeeCall(currentUser(req), call, lines)) throw notFound('call');
    return call;
  };
  r.get('/api/calls/:id/recording', (req, res, next) => {
    sendRecording(calls, visibleCall(req.params.id, req).id, res, next);
  });
  r.get('/api/calls/:id/recording-url', (req, res) => {
    const call = visibleCall(req.params.id, req);
    if (calls.recordingForCall(call.id)?.state !== 'stored') throw notFound('recording');
    res.setHeader('cache-control', 'private, no-store');
    res.json(links.sign(call.id));
  });
  return r;
}
