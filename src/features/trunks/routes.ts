// Trunks API (admin only): list with registration states, create, change,
// delete. Changes are validated, audited (without the password) and pushed
// to the PBX at once; `provisioned` says whether the PBX has it already.
import { Router } from 'express';
import { z } from 'zod';
import { ApiError, notFound, parse } from '../../http/errors.js';
import { uniqueViolation } from '../../store/db.js';
import { currentUser, requireRole } from '../auth/middleware.js';
import type { Trunk, TrunkInput } from './repository.js';
import { newTrunkBody, trunkPatchBody, trunkProblems } from './schema.js';
import type { TrunkService } from './service.js';

const trunkId = z.coerce.number().int().positive();
const nameTaken = () => new ApiError(409, 'conflict', 'a trunk with this name already exists', [{ field: 'name', problem: 'taken' }]);

function checked(t: TrunkInput): TrunkInput {
  const problems = trunkProblems(t);
  if (problems.length) throw new ApiError(400, 'invalid_input', problems.map((p) => `${p.field}: ${p.problem}`).join('; '), problems);
  // An ip trunk keeps no login.
  return t.mode === 'ip' ? { ...t, username: null, password: null, authUsername: null, realm: null } : t;
}

export function trunkRoutes(trunks: TrunkService): Router {
  const r = Router();
  const admin = requireRole('admin');
  const present = (t: Trunk) => ({ ...t, state: trunks.stateOf(t) });
  const idOf = (raw: unknown) => parse(trunkId, raw, 'id');

  r.get('/api/trunks', admin, (_req, res) => void res.json({ items: trunks.list().map(present) }));

  r.get('/api/trunks/:id', admin, (req, res) => {
    const t = trunks.get(idOf(req.params.id));
    if (!t) throw notFound('trunk');
    res.json({ trunk: present(t) });
  });

  r.post('/api/trunks', admin, async (req, res) => {
    const input = checked(parse(newTrunkBody, req.body));
    let t: Trunk;
    try {
      t = trunks.create(input, currentUser(req).id);
    } catch (err) {
      if (uniqueViolation(err)) throw nameTaken();
      throw err;
    }
    const provisioned = await trunks.push(t.id, { restartRegistration: true });
    res.status(201).json({ trunk: present(t), provisioned });
  });

  r.patch('/api/trunks/:id', admin, async (req, res) => {
    const id = idOf(req.params.id);
    const b = parse(trunkPatchBody, req.body);
    const before = trunks.input(id);
    if (!before) throw notFound('trunk');
    const input = checked({ ...before, ...b, password: b.password !== undefined ? b.password : before.password });
    let t: Trunk | null;
    try {
      t = trunks.update(id, input, currentUser(req).id);
    } catch (err) {
      if (uniqueViolation(err)) throw nameTaken();
      throw err;
    }
    if (!t) throw notFound('trunk');
    const provisioned = await trunks.push(id, { restartRegistration: true });
    res.json({ trunk: present(t), provisioned });
  });

  r.delete('/api/trunks/:id', admin, async (req, res) => {
    const id = idOf(req.params.id);
    const { deleted, inUse } = trunks.delete(id, currentUser(req).id);
    if (inUse.length) throw new ApiError(409, 'conflict', `lines ${inUse.join(', ')} send their calls through this trunk: choose another trunk for them first`, inUse.map((l) => ({ field: 'lineId', problem: `line ${l} uses this trunk` })));
    if (!deleted) throw notFound('trunk');
    await trunks.remove(id);
    res.status(204).end();
  });

  return r;
}
