// The call log, transfers and callback tasks. Recordings: recording-routes.ts.
import { Router } from 'express';
import { z } from 'zod';
import { ApiError, notFound, parse } from '../../http/errors.js';
import { normalizePhone } from '../../domain/phone.js';
import type { OperatorService } from '../operators/service.js';
import type { User } from '../auth/service.js';
import { currentUser } from '../auth/middleware.js';
import type { LineRepository } from '../lines/repository.js';
import type { CallRecord, CallRepository } from './repository.js';
import type { RecordingLinks } from './recording-links.js';

export const listQuery = z.object({
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

export interface TransferPort {
  transfer(callId: string, byUserId: number, target: { userId: number; extension: string } | { number: string }): Promise<string | null>;
}

export const callbacksQuery = z.object({
  status: z.enum(['pending', 'assigned', 'done']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** Cursor: only tasks with a smaller id (the previous page's `next`). */
  before: z.coerce.number().int().positive().optional(),
});

export const transferBody = z.object({ target: z.string().trim().regex(/^\+?[\d\s()-]{3,20}$/, 'an operator extension or a phone number') });

/** Whether a user may see a call (and hear its recording). */
export function canSeeCall(user: User, call: CallRecord, lines: LineRepository): boolean {
  const ids = visibleLineIds(user, lines);
  return ids === null || (call.lineId !== null && ids.includes(call.lineId));
}

export function callRoutes(calls: CallRepository, lines: LineRepository, links: RecordingLinks, transfers?: TransferPort, operators?: OperatorService): Router {
  const r = Router();
  const lineNames = () => new Map(lines.list().map((l) => [l.id, l.name]));
  const canSee = (user: User, call: CallRecord) => canSeeCall(user, call, lines);

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
      transferredAt: c.transferredAt,
      transferTarget: c.transferTarget,
      waitSec: c.waitSec,
      talkSec: c.talkSec,
      // 'outbound': placed by Pult (callback, click-to-call); `from` is then the number dialled.
      direction: c.direction,
      callbackTaskId: c.callbackTaskId,
      // The entry menu the caller went through: its line and the key pressed (null: none, stayed on that line).
      entryMenu: c.entryLineId !== null ? { lineId: c.entryLineId, lineName: names.get(c.entryLineId) ?? null, digit: c.entryDigit } : null,
      // A short-lived signed link an <audio> element can play without headers.
      recordingUrl: rec?.state === 'stored' ? links.sign(c.id).url : null,
      recording: rec ? { state: rec.state, durationSec: rec.durationSec, sizeBytes: rec.sizeBytes, error: rec.error } : null,
      // The caller's post-call rating from the cloud PBX's survey (cmd=rating), or null.
      rating: calls.ratingOf(c.callerChannelId),
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

  // Blind transfer of the caller to another operator (by extension) or a number.
  r.post('/api/calls/:id/transfer', async (req, res) => {
    const user = currentUser(req);
    const call = calls.get(req.params.id);
    if (!call || !canSee(user, call)) throw notFound('call');
    const { target } = parse(transferBody, req.body);
    const digits = target.replace(/\D/g, '');
    const op = operators?.list().find((o) => o.extension === digits);
    let dest: { userId: number; extension: string } | { number: string };
    if (op) {
      if (op.userId === user.id) throw new ApiError(400, 'invalid_input', 'cannot transfer to yourself', [{ field: 'target', problem: 'your own extension' }]);
      // Only to an operator of the call's company who also shares one of the user's companies.
      const callTenant = call.lineId !== null ? (lines.get(call.lineId)?.tenantId ?? null) : null;
      const servesCall = callTenant === null || op.tenantIds.includes(callTenant);
      const sharesUser = user.tenantIds === null || op.tenantIds.some((t) => user.tenantIds!.includes(t));
      if (!servesCall || !sharesUser) {
        throw new ApiError(400, 'invalid_input', `extension ${digits} is not an operator of the call's company`, [{ field: 'target', problem: "not an operator of the call's company" }]);
      }
      dest = { userId: op.userId, extension: op.extension };
    } else {
      const n = normalizePhone(target);
      if (!n || n.length < 5) throw new ApiError(400, 'invalid_input', `no operator with extension ${digits} and not a phone number`, [{ field: 'target', problem: 'unknown extension' }]);
      dest = { number: n };
    }
    if (!transfers) throw new ApiError(503, 'unavailable', 'transfers are not available');
    const problem = await transfers.transfer(call.id, user.id, dest);
    if (problem) throw new ApiError(409, 'conflict', problem);
    res.status(202).json({ transferring: true, target: 'userId' in dest ? dest.extension : dest.number });
  });

  // Newest first, a page at a time: pass the response's `next` as `before` for the following page.
  r.get('/api/callbacks', (req, res) => {
    const q = parse(callbacksQuery, req.query, 'query');
    const now = Date.now();
    const items = calls.callbackPage({ status: q.status, lineIds: visibleLineIds(currentUser(req), lines), limit: q.limit, before: q.before })
      // The countdown: due_at, and overdue once it passed with the task still open.
      .map((t) => ({ ...t, callable: t.callable === 1, overdue: t.status !== 'done' && t.dueAt !== null && Date.parse(t.dueAt) < now }));
    res.json({ items, next: items.length === q.limit ? items[items.length - 1]!.id : null });
  });

  return r;
}
