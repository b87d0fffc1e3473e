// Company dictionaries over HTTP: kept by admins and supervisors of the
// company; a request's or an account's chosen values set by whoever sees it.
// A dictionary or value of another company is refused (400), never applied.
import { Router } from 'express';
import { z } from 'zod';
import { ApiError, notFound, parse } from '../../http/errors.js';
import { currentUser, requireRole } from '../auth/middleware.js';
import type { User } from '../auth/service.js';
import { inScope, visible } from '../requests/routes.js';
import type { AppliesTo, DictionaryRepository } from './repository.js';

const id = z.coerce.number().int().positive();
const name = z.string().trim().min(1, 'нужно название').max(100);
const value = z.string().trim().min(1, 'пустое значение').max(200);
const appliesTo = z.enum(['requests', 'accounts', 'both']);
const uniqueValues = z.array(value).max(500).refine((xs) => new Set(xs).size === xs.length, 'значения повторяются');

export const createBody = z.object({ tenantId: z.number().int().positive(), name, appliesTo, values: uniqueValues.default([]) }).strict();
export const patchBody = z.object({
  name: name.optional(), appliesTo: appliesTo.optional(), addValues: uniqueValues.optional(),
  values: z.array(z.object({ id: z.number().int().positive(), value: value.optional(), active: z.boolean().optional() }).strict()).max(500).optional(),
}).strict().refine((b) => Object.keys(b).length > 0, { message: 'nothing to change' });
export const chooseBody = z.object({ values: z.array(z.object({ dictionaryId: z.number().int().positive(), valueId: z.number().int().positive().nullable() }).strict()).max(50) }).strict();

export interface DictionaryRouteDeps {
  repo: DictionaryRepository;
  requestState: (id: number) => { id: number; tenantId: number; assigneeId: number | null } | null;
  tenantExists: (id: number) => boolean;
}

const applies = (a: AppliesTo, target: 'requests' | 'accounts') => a === 'both' || a === target;

export const listQuery = z.object({ tenantId: id.optional(), appliesTo: z.enum(['requests', 'accounts']).optional() }).strict();

export function dictionaryRoutes(d: DictionaryRouteDeps): Router {
  const r = Router();
  const { repo } = d;
  const keeper = requireRole('admin', 'supervisor');
  const scopedDictionary = (user: User, raw: unknown) => {
    const dict = repo.get(parse(id, raw, 'id'));
    if (!dict || !inScope(user, dict.tenantId)) throw notFound('dictionary');
    return dict;
  };

  /** Checks every choice against the owner's company and the target, then stores them. */
  const choose = (target: 'requests' | 'accounts', ownerTenant: number, ownerId: number, body: unknown) => {
    const b = parse(chooseBody, body);
    const problems: { field: string; problem: string }[] = [];
    b.values.forEach((c, i) => {
      const dict = repo.get(c.dictionaryId);
      if (!dict || dict.tenantId !== ownerTenant) return void problems.push({ field: `values.${i}.dictionaryId`, problem: 'нет такого справочника у этой компании' });
      if (!applies(dict.appliesTo, target)) return void problems.push({ field: `values.${i}.dictionaryId`, problem: `справочник «${dict.name}» не для ${target === 'requests' ? 'заявок' : 'лицевых счетов'}` });
      if (c.valueId !== null && !dict.values.some((v) => v.id === c.valueId && v.active)) problems.push({ field: `values.${i}.valueId`, problem: `нет такого значения в справочнике «${dict.name}»` });
    });
    if (new Set(b.values.map((c) => c.dictionaryId)).size !== b.values.length) problems.push({ field: 'values', problem: 'справочник указан дважды' });
    if (problems.length) throw new ApiError(400, 'invalid_input', problems.map((p) => `${p.field}: ${p.problem}`).join('; '), problems);
    repo.choose(target === 'requests' ? 'ticket' : 'account', ownerId, b.values);
  };

  r.get('/api/dictionaries', (req, res) => {
    const user = currentUser(req);
    const q = parse(listQuery, req.query, 'query');
    if (q.tenantId && (!inScope(user, q.tenantId) || !d.tenantExists(q.tenantId))) throw notFound('company');
    const items = repo.list(q.tenantId ? [q.tenantId] : user.tenantIds);
    res.json({ items: q.appliesTo ? items.filter((x) => applies(x.appliesTo, q.appliesTo!)) : items });
  });

  r.post('/api/dictionaries', keeper, (req, res) => {
    const user = currentUser(req);
    const b = parse(createBody, req.body);
    if (!inScope(user, b.tenantId) || !d.tenantExists(b.tenantId)) throw new ApiError(400, 'invalid_input', 'tenantId: no such company', [{ field: 'tenantId', problem: 'нет такой компании' }]);
    if (repo.nameTaken(b.tenantId, b.name, null)) throw new ApiError(409, 'conflict', `the company already has a dictionary named ${b.name}`, [{ field: 'name', problem: 'справочник с таким названием уже есть' }]);
    res.status(201).json({ dictionary: repo.get(repo.create(b.tenantId, b.name, b.appliesTo, b.values)) });
  });

  r.patch('/api/dictionaries/:id', keeper, (req, res) => {
    const dict = scopedDictionary(currentUser(req), req.params.id);
    const b = parse(patchBody, req.body);
    if (b.name !== undefined && repo.nameTaken(dict.tenantId, b.name, dict.id)) throw new ApiError(409, 'conflict', `the company already has a dictionary named ${b.name}`, [{ field: 'name', problem: 'справочник с таким названием уже есть' }]);
    const unknown = (b.values ?? []).filter((v) => !dict.values.some((x) => x.id === v.id));
    if (unknown.length) throw new ApiError(400, 'invalid_input', 'values: not values of this dictionary', unknown.map((v) => ({ field: 'values', problem: `значение ${v.id} не из этого справочника` })));
    const renamed = new Map(dict.values.map((v) => [v.id, v.value]));
    for (const v of b.values ?? []) if (v.value !== undefined) renamed.set(v.id, v.value);
    const all = [...renamed.values(), ...(b.addValues ?? []).filter((v) => !dict.values.some((x) => x.value === v))];
    if (new Set(all).size !== all.length) throw new ApiError(400, 'invalid_input', 'values: repeated', [{ field: 'values', problem: 'значения повторяются' }]);
    repo.update(dict.id, b);
    res.json({ dictionary: repo.get(dict.id) });
  });

  r.delete('/api/dictionaries/:id', keeper, (req, res) => {
    const dict = scopedDictionary(currentUser(req), req.params.id);
    const uses = repo.uses(dict.id);
    if (uses > 0) throw new ApiError(409, 'dictionary_in_use', `${uses} requests or accounts hold its values: deactivate values instead`, [{ field: 'id', problem: `значения выбраны в заявках или счетах (${uses})` }]);
    repo.delete(dict.id);
    res.status(204).end();
  });

  const request = (user: User, raw: unknown) => {
    const s = d.requestState(parse(id, raw, 'id'));
    if (!s || !visible(user, s)) throw notFound('request');
    return s;
  };
  r.get('/api/requests/:id/dictionary-values', (req, res) => {
    const s = request(currentUser(req), req.params.id);
    res.json({ dictionaryValues: repo.chosenFor('ticket', [s.id]).get(s.id) });
  });
  r.put('/api/requests/:id/dictionary-values', (req, res) => {
    const s = request(currentUser(req), req.params.id);
    choose('requests', s.tenantId, s.id, req.body);
    res.json({ dictionaryValues: repo.chosenFor('ticket', [s.id]).get(s.id) });
  });

  const account = (user: User, raw: unknown) => {
    const acc = repo.accountByNumber(parse(z.string().trim().min(1).max(50), raw, 'accountNumber'));
    if (!acc || !inScope(user, acc.tenantId)) throw notFound('account');
    return acc;
  };
  r.get('/api/accounts/:accountNumber/dictionary-values', (req, res) => {
    const acc = account(currentUser(req), req.params.accountNumber);
    res.json({ dictionaryValues: repo.chosenFor('account', [acc.id]).get(acc.id) });
  });
  r.put('/api/accounts/:accountNumber/dictionary-values', (req, res) => {
    const acc = account(currentUser(req), req.params.accountNumber);
    choose('accounts', acc.tenantId, acc.id, req.body);
    res.json({ dictionaryValues: repo.chosenFor('account', [acc.id]).get(acc.id) });
  });

  return r;
}
