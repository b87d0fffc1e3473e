// The call log, recordings download (with HTTP Range) and callback tasks.
import { Router } from 'express';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { notFound, parse } from '../../http/errors.js';
import type { User } from '../auth/service.js';
import { currentUser } from '../auth/middleware.js';
import type { LineRepository } from '../lines/repository.js';
import type { CallRecord, CallRepository } from './repository.js';

const listQuery = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  mine: z.enum(['true', 'false']).optional(),
});

/** Lines a user may see: all for admins, else the lines of their management companies. */
export function visibleLineIds(user: User, lines: LineRepository): number[] | null {
  if (user.tenantIds === null) return null;
  const tenants = new Set(user.tenantIds);
  return lines.list().filter((l) => l.tenantId !== null && tenants.has(l.tenantId)).map((l) => l.id);
}

export function callRoutes(calls: CallRepository, lines: LineRepository): Router {
  const r = Router();
  const lineNames = () => new Map(lines.list().map((l) => [l.id, l.name]));
  const canSee = (user: User, call: CallRecord) => {
    const ids = visibleLineIds(user, lines);
    return ids === null || (call.lineId !== null && ids.includes(call.lineId));
  };

  const present = (c: CallRecord, names: Map<number, string>) => {
    const rec = calls.recordingForCall(c.id);
    return {
      id: c.id,
      from: c.callerNumber,
      callerName: c.callerName,
      to: c.did,
      line: c.lineId !== null ? { id: c.lineId, name: names.get(c.lineId) ?? null } : null,
      state: c.state,
      outcome: c.outcome,
      endReason: c.endReason,
      arrivedAt: c.arrivedAt,
      overflowAt: c.overflowAt,
      overflowReason: c.overflowReason,
      answeredAt: c.answeredAt,
      endedAt: c.endedAt,
      answeredBy: c.answeredBy,
      answeredVia: c.answeredVia,
      answeredNumber: c.answeredNumber,
      waitSec: c.waitSec,
      talkSec: c.talkSec,
      recordingUrl: rec?.state === 'stored' ? `/api/calls/${c.id}/recording` : null,
      recording: rec ? { state: rec.state, durationSec: rec.durationSec, sizeBytes: rec.sizeBytes, error: rec.error } : null,
    };
  };

  r.get('/api/calls', (req, res) => {
    const q = parse(listQuery, req.query, 'query');
    const user = currentUser(req);
    const names = lineNames();
    const items = calls
      .list({ from: q.from, to: q.to, limit: q.limit, lineIds: visibleLineIds(user, lines), involving: q.mine === 'true' ? user.id : undefined })
      .map((c) => present(c, names));
    res.json({ items });
  });

  r.get('/api/calls/:id', (req, res) => {
    const call = calls.get(req.params.id);
    if (!call || !canSee(currentUser(req), call)) throw notFound('call');
    res.json({ ...present(call, lineNames()), offers: calls.offers(call.id) });
  });

  r.get('/api/calls/:id/recording', (req, res, next) => {
    const call = calls.get(req.params.id);
    if (!call || !canSee(currentUser(req), call)) throw notFound('call');
    const rec = calls.recordingForCall(call.id);
    if (!rec || rec.state !== 'stored' || !rec.filePath || !existsSync(rec.filePath)) throw notFound('recording');
    res.sendFile(path.resolve(rec.filePath), { acceptRanges: true, headers: { 'content-type': 'audio/wav' } }, (err) => {
      if (err && !res.headersSent) next(err);
    });
  });

  r.get('/api/callbacks', (req, res) => {
    const q = parse(z.object({ status: z.enum(['pending', 'assigned', 'done']).optional() }), req.query, 'query');
    const ids = visibleLineIds(currentUser(req), lines);
    const items = calls.callbacks(q.status).filter((t) => ids === null || (t.lineId !== null && ids.includes(t.lineId)));
    res.json({ items });
  });

  return r;
}
