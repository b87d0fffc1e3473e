// Lines API (admin, supervisor; scoped to their companies): the lines they
// see, a new line, and a line's entry menu («аварийная — 1, плановая — 2»).
// Another company's line is not found; a menu that sends callers to a line
// that does not exist or belongs to another company is refused with what
// is wrong.
import { Router, type Request } from 'express';
import { z } from 'zod';
import { ApiError, notFound, parse } from '../../http/errors.js';
import { uniqueViolation } from '../../store/db.js';
import { currentUser, requireRole } from '../auth/middleware.js';
import type { User } from '../auth/service.js';
import { DEFAULT_ENTRY_PROMPT, entryMenuProblems, type EntryMenu } from '../../domain/entry-menu.js';
import type { Line, LineRepository } from './repository.js';
import type { AuditLog } from '../audit/repository.js';
import { holidaysSchema, workingHoursSchema } from '../../domain/working-hours.js';
import { lineOutboundFields } from '../trunks/schema.js';

const lineId = z.coerce.number().int().positive();
/** A sound name as Asterisk's `sound:` media takes it (relative, no dots): e.g. pult/entry-menu, digits/1. */
const soundName = z.string().regex(/^[a-z0-9][a-z0-9_-]*(\/[a-z0-9][a-z0-9_-]*)*$/i, 'a sound name such as pult/entry-menu').max(100);

export const entryMenuBody = z.object({
  prompt: z.array(soundName).min(1).max(10).default(DEFAULT_ENTRY_PROMPT),
  timeoutSec: z.number().int().min(1).max(30).default(5),
  options: z.array(z.object({ digit: z.string().max(1, 'one key, 0-9'), lineId: z.number().int().positive() }).strict()).max(10),
}).strict();

export const newLineBody = z.object({
  name: z.string().trim().min(1).max(80),
  tenantId: z.number().int().positive(),
  dids: z.array(z.string().regex(/^\+?\d{3,20}$/, 'digits only')).max(20).default([]),
  priority: z.number().int().min(-100).max(100).default(0),
  ringTimeoutSec: z.number().int().min(5).max(120).default(15),
  overflowAfterSec: z.number().int().min(0).max(3600).default(20),
  maxWaitSec: z.number().int().min(10).max(3600).default(300),
  slThresholdSec: z.number().int().min(1).max(600).default(20),
  waitTreatment: z.enum(['ringback', 'moh']).default('ringback'),
  announceEverySec: z.number().int().min(0).max(600).default(30),
  trunkId: lineOutboundFields.trunkId.default(null),
  outboundCallerId: lineOutboundFields.outboundCallerId.default(null),
}).strict();

/** A line's settings to change: any subset; `dids` replaces the whole list. */
export const linePatchBody = z.object({
  name: z.string().trim().min(1).max(80),
  tenantId: z.number().int().positive(),
  dids: z.array(z.string().regex(/^\+?\d{3,20}$/, 'digits only')).max(20).refine((d) => new Set(d).size === d.length, 'a number is listed twice'),
  priority: z.number().int().min(-100).max(100),
  ringTimeoutSec: z.number().int().min(5).max(120),
  overflowAfterSec: z.number().int().min(0).max(3600),
  overflowGroupId: z.number().int().positive().nullable(),
  maxWaitSec: z.number().int().min(10).max(3600),
  slThresholdSec: z.number().int().min(1).max(600),
  waitTreatment: z.enum(['ringback', 'moh']),
  announceEverySec: z.number().int().min(0).max(600),
  workingHours: workingHoursSchema.nullable(),
  ...lineOutboundFields,
}).partial().strict().refine((b) => Object.keys(b).length > 0, 'nothing to change');

/** The whole list of a line's holidays (replaces the previous one). */
export const holidaysBody = z.object({ holidays: holidaysSchema }).strict();

export function lineRoutes(lines: LineRepository, o: { tenantExists(id: number): boolean; audit: AuditLog; trunkExists?: (id: number) => boolean }): Router {
  const r = Router();
  const staff = requireRole('admin', 'supervisor');
  const inScope = (user: User, tenantId: number | null) => user.tenantIds === null || (tenantId !== null && user.tenantIds.includes(tenantId));
  const present = (l: Line) => ({ ...l, entryMenu: lines.entryMenu(l.id) });
  const checkTrunk = (id: number | null | undefined) => {
    if (id != null && !(o.trunkExists?.(id) ?? false)) throw new ApiError(400, 'invalid_input', 'trunkId: no such trunk', [{ field: 'trunkId', problem: 'no such trunk' }]);
  };

  /** A line the user may manage (of their companies), or 404. */
  const lineOf = (req: Request): Line => {
    const line = lines.get(parse(lineId, req.params.id, 'id'));
    if (!line || !inScope(currentUser(req), line.tenantId)) throw notFound('line');
    return line;
  };

  r.get('/api/lines', staff, (req, res) => {
    const user = currentUser(req);
    res.json({ items: lines.list().filter((l) => inScope(user, l.tenantId)).map(present) });
  });

  r.post('/api/lines', staff, (req, res) => {
    const b = parse(newLineBody, req.body);
    if (!inScope(currentUser(req), b.tenantId) || !o.tenantExists(b.tenantId)) throw new ApiError(400, 'invalid_input', 'tenantId: not your company', [{ field: 'tenantId', problem: 'no such company' }]);
    checkTrunk(b.trunkId);
    try {
      const line = o.audit.change(() => {
        const created = lines.create({ ...b, overflowGroupId: null, workingHours: null, isDefault: false });
        o.audit.record({ userId: currentUser(req).id, action: 'create', entity: 'line', entityId: created.id, tenantId: created.tenantId, before: null, after: created });
        return created;
      });
      res.status(201).json({ line: present(line) });
    } catch (err) {
      if (uniqueViolation(err)) throw new ApiError(409, 'conflict', 'one of these numbers belongs to another line', [{ field: 'dids', problem: 'taken' }]);
      throw err;
    }
  });

  r.get('/api/lines/:id', staff, (req, res) => void res.json({ line: present(lineOf(req)) }));

  r.patch('/api/lines/:id', staff, (req, res) => {
    const before = lineOf(req);
    const b = parse(linePatchBody, req.body);
    const user = currentUser(req);
    if (b.tenantId !== undefined && (!inScope(user, b.tenantId) || !o.tenantExists(b.tenantId))) throw new ApiError(400, 'invalid_input', 'tenantId: not your company', [{ field: 'tenantId', problem: 'no such company' }]);
    checkTrunk(b.trunkId);
    if (b.overflowGroupId != null && !lines.overflowGroup(b.overflowGroupId)) throw new ApiError(400, 'invalid_input', 'overflowGroupId: no such overflow group', [{ field: 'overflowGroupId', problem: 'no such overflow group' }]);
    const taken = (b.dids ?? []).map((d) => ({ d, owner: lines.didOwner(d, before.id) })).filter((x) => x.owner !== null);
    if (taken.length) throw new ApiError(409, 'conflict', `these numbers belong to another line: ${taken.map((x) => x.d).join(', ')}`, taken.map((x) => ({ field: 'dids', problem: `${x.d} is taken by another line` })));
    try {
      const line = o.audit.change(() => {
        const after = lines.update(before.id, b)!;
        o.audit.record({ userId: user.id, action: 'update', entity: 'line', entityId: before.id, tenantId: after.tenantId, before, after });
        return after;
      });
      res.json({ line: present(line) });
    } catch (err) {
      if (uniqueViolation(err)) throw new ApiError(409, 'conflict', 'one of these numbers belongs to another line', [{ field: 'dids', problem: 'taken' }]);
      throw err;
    }
  });

  r.get('/api/lines/:id/holidays', staff, (req, res) => void res.json({ holidays: lineOf(req).holidays }));

  r.put('/api/lines/:id/holidays', staff, (req, res) => {
    const line = lineOf(req);
    const { holidays } = parse(holidaysBody, req.body);
    const saved = o.audit.change(() => {
      const after = lines.setHolidays(line.id, [...holidays].sort((a, b) => a.date.localeCompare(b.date)));
      o.audit.record({ userId: currentUser(req).id, action: 'update', entity: 'line', entityId: line.id, tenantId: line.tenantId, before: { holidays: line.holidays }, after: { holidays: after } });
      return after;
    });
    res.json({ holidays: saved });
  });

  r.put('/api/lines/:id/entry-menu', staff, (req, res) => {
    const line = lineOf(req);
    const menu: EntryMenu = parse(entryMenuBody, req.body);
    const problems = entryMenuProblems(menu, line, (id) => lines.get(id));
    if (problems.length) throw new ApiError(400, 'invalid_input', problems.map((p) => `${p.field}: ${p.problem}`).join('; '), problems);
    lines.setEntryMenu(line.id, menu);
    res.json({ entryMenu: lines.entryMenu(line.id) });
  });

  r.delete('/api/lines/:id/entry-menu', staff, (req, res) => {
    lines.setEntryMenu(lineOf(req).id, null);
    res.status(204).end();
  });

  return r;
}
