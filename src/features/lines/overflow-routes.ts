// Overflow groups API (admin only): the mobiles a line's callers are put
// through to when no operator answers in time — rung one after another
// ('sequential') or all at once ('simultaneous'), each for timeoutSec;
// a member may name the person (overflow staff) the mobile belongs to.
// Every change is audited and used by the next call at once.
import { Router } from 'express';
import { z } from 'zod';
import { ApiError, notFound, parse } from '../../http/errors.js';
import { currentUser, requireRole } from '../auth/middleware.js';
import type { AuditLog } from '../audit/repository.js';
import type { LineRepository, OverflowGroup } from './repository.js';

export const groupBody = z.object({
  name: z.string().trim().min(1, 'enter the group name').max(80),
  mode: z.enum(['sequential', 'simultaneous']),
  timeoutSec: z.number().int().min(5).max(300),
  members: z.array(z.object({
    number: z.string().regex(/^\+?\d{5,20}$/, 'a phone number, digits only'),
    userId: z.number().int().positive().nullable().default(null),
  }).strict()).min(1, 'add at least one mobile').max(20),
}).strict();

export function overflowGroupRoutes(lines: LineRepository, o: { audit: AuditLog; userExists(id: number): boolean }): Router {
  const r = Router();
  const admin = requireRole('admin');
  const groupId = (raw: unknown) => parse(z.coerce.number().int().positive(), raw, 'id');
  const input = (raw: unknown): Omit<OverflowGroup, 'id'> => {
    const b = parse(groupBody, raw);
    const bad = b.members.map((m, i) => ({ m, i })).filter(({ m }) => m.userId !== null && !o.userExists(m.userId));
    if (bad.length) throw new ApiError(400, 'invalid_input', 'members: no such person', bad.map(({ i }) => ({ field: `members.${i}.userId`, problem: 'no such user' })));
    return { ...b, members: b.members.map((m, i) => ({ position: i + 1, number: m.number, userId: m.userId })) };
  };

  r.get('/api/overflow-groups', admin, (_req, res) => void res.json({ items: lines.listOverflowGroups().map((g) => ({ ...g, lineIds: lines.linesOfGroup(g.id) })) }));

  r.post('/api/overflow-groups', admin, (req, res) => {
    const g = input(req.body);
    const group = o.audit.change(() => {
      const created = lines.createOverflowGroup(g);
      o.audit.record({ userId: currentUser(req).id, action: 'create', entity: 'overflow-group', entityId: created.id, tenantId: null, before: null, after: created });
      return created;
    });
    res.status(201).json({ group });
  });

  r.put('/api/overflow-groups/:id', admin, (req, res) => {
    const id = groupId(req.params.id);
    const g = input(req.body);
    const group = o.audit.change(() => {
      const before = lines.overflowGroup(id);
      if (!before) throw notFound('overflow group');
      const after = lines.updateOverflowGroup(id, g)!;
      o.audit.record({ userId: currentUser(req).id, action: 'update', entity: 'overflow-group', entityId: id, tenantId: null, before, after });
      return after;
    });
    res.json({ group });
  });

  r.delete('/api/overflow-groups/:id', admin, (req, res) => {
    const id = groupId(req.params.id);
    o.audit.change(() => {
      const before = lines.overflowGroup(id);
      if (!before) throw notFound('overflow group');
      const used = lines.linesOfGroup(id);
      if (used.length) throw new ApiError(409, 'conflict', `the group is used by lines ${used.join(', ')}: pick another group for them first`);
      lines.deleteOverflowGroup(id);
      o.audit.record({ userId: currentUser(req).id, action: 'delete', entity: 'overflow-group', entityId: id, tenantId: null, before, after: null });
    });
    res.status(204).end();
  });

  return r;
}
