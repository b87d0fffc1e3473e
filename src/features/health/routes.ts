import { Router } from 'express';
import type { Db } from '../../store/db.js';
import type { PbxPort } from '../../telephony/ports.js';

export function healthRoutes(db: Db, pbx: PbxPort, pbxSince: () => string | null): Router {
  const r = Router();
  r.get('/api/health', (_req, res) => {
    let dbOk = true;
    try {
      db.prepare('SELECT 1').get();
    } catch {
      dbOk = false;
    }
    res.status(dbOk ? 200 : 503).json({ status: dbOk ? 'ok' : 'degraded', pbx: { connected: pbx.connected, since: pbxSince() }, db: { ok: dbOk } });
  });
  return r;
}
