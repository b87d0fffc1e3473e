// GET /metrics for Prometheus. Off unless configured: with PULT_METRICS_TOKEN
// a scrape must send `Authorization: Bearer <token>` (401 otherwise); with
// PULT_METRICS_ALLOW_PRIVATE=on and no token, only loopback and private
// addresses may scrape (403 otherwise); with neither, /metrics does not exist (404).
// Webhook answers are counted here too, by watching /hooks responses.
import { Router, type Request } from 'express';
import { timingSafeEqual, createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { ApiError } from '../../http/errors.js';
import type { PultMetrics } from './metrics.js';

export interface MetricsAccess {
  token: string | null;
  allowPrivate: boolean;
}

const vendors = new Set(['itoolabs', 'mango', 'zadarma']);

export function metricsRoutes(metrics: PultMetrics, access: MetricsAccess): Router {
  const r = Router();
  r.use('/hooks', (req, res, next) => {
    const vendor = /^\/([a-z]+)/.exec(req.path)?.[1] ?? '';
    res.on('finish', () => metrics.webhook(vendors.has(vendor) ? vendor : 'unknown', res.statusCode));
    next();
  });
  r.get('/metrics', async (req, res, next) => {
    try {
      if (access.token !== null) {
        if (!bearerMatches(req, access.token)) {
          res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
          throw new ApiError(401, 'unauthorized', 'metrics need Authorization: Bearer <PULT_METRICS_TOKEN>');
        }
      } else if (access.allowPrivate) {
        if (!isPrivateAddress(req.socket.remoteAddress ?? '')) throw new ApiError(403, 'forbidden', 'metrics are served to loopback and private addresses only');
      } else {
        throw new ApiError(404, 'not_found', 'metrics are off: set PULT_METRICS_TOKEN or PULT_METRICS_ALLOW_PRIVATE=on');
      }
      const body = await metrics.registry.metrics();
      res.setHeader('Content-Type', metrics.registry.contentType);
      res.setHeader('Cache-Control', 'no-store');
      res.send(body);
    } catch (err) {
      next(err);
    }
  });
  return r;
}

function bearerMatches(req: Request, token: string): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  if (!m) return false;
  // Compare digests: equal length, constant time.
  const a = createHash('sha256').update(m[1]!).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b);
}

/** Loopback, RFC 1918, link-local, unique-local IPv6 (IPv4-mapped forms too). */
export function isPrivateAddress(addr: string): boolean {
  const a = addr.startsWith('::ffff:') && isIP(addr.slice(7)) === 4 ? addr.slice(7) : addr;
  if (isIP(a) === 4) {
    const [p, q] = a.split('.').map(Number) as [number, number];
    return p === 127 || p === 10 || (p === 172 && q >= 16 && q <= 31) || (p === 192 && q === 168) || (p === 169 && q === 254);
  }
  if (isIP(a) === 6) {
    const l = a.toLowerCase();
    return l === '::1' || l.startsWith('fc') || l.startsWith('fd') || l.startsWith('fe80:');
  }
  return false;
}
