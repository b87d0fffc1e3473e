import { Router } from 'express';
import type { Db } from '../../store/db.js';

export function healthRoutes(db: Db, pbx: { readonly connected: boolean }, pbxSince: () => string | null, extra: () => Record<string, unknown> = () => ({})): Router {
  const r = Router();
  r.get('/api/health', (_req, res) => {
    let dbOk = true;
    try {
      db.prepare('SELECT 1').get();
    } catch {
      dbOk = false;
    }
    res.status(dbOk ? 200 : 503).json({ status: dbOk ? 'ok' : 'degraded', pbx: { connected: pbx.connected, since: pbxSince() }, db: { ok: dbOk }, ...extra() });
  });
  return r;
}
