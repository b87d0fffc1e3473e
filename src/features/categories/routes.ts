// The categories master directory over HTTP (admins write; admins and
// supervisors read): the tree with subcategories, kind, deadline rule and the
// speciality a category needs. Categories are global, like ticket_categories
// always were: every company's requests use the same directory.
import { Router } from 'express';
import { z } from 'zod';
import { ApiError, notFound, parse } from '../../http/errors.js';
import { deadlineRule, ruleOf } from '../../domain/deadline.js';
import { withinParent, type CategoryKind } from '../../domain/category-kind.js';
import { requireRole } from '../auth/middleware.js';
import type { CategoryFields, CategoryRepository, CategoryRow } from './repository.js';

const id = z.coerce.number().int().positive();
const kind = z.enum(['emergency', 'planned', 'both']);
const fields = {
  code: z.string().trim().regex(/^[a-z0-9][a-z0-9-]{1,40}$/, 'латинские строчные буквы, цифры и дефис (2–41 символ)'),
  name: z.string().trim().min(2, 'название не короче 2 символов').max(200),
  kind,
  parentId: z.number().int().positive().nullable(),
  position: z.number().int().min(0).max(10000),
  active: z.boolean(),
  deadlineMinutes: z.number().int().min(1).max(525600).nullable(),
  deadlineRule: deadlineRule.nullable(),
  source: z.string().trim().max(200).nullable(),
  specialityId: z.number().int().positive().nullable(),
};
export const createBody = z.object(fields).partial().required({ code: true, name: true, kind: true }).strict();
export const patchBody = z.object(fields).partial().strict().refine((b) => Object.keys(b).length > 0, { message: 'nothing to change' });

export interface CategoryView extends Omit<CategoryRow, 'deadlineRule'> { deadlineRule: z.infer<typeof deadlineRule> | null }
const view = (r: CategoryRow): CategoryView => ({ ...r, deadlineRule: r.deadlineRule ? ruleOf(r.deadlineRule, null) : null });

const bad = (field: string, problem: string) => new ApiError(400, 'invalid_input', `${field}: ${problem}`, [{ field, problem }]);
const kindWords: Record<CategoryKind, string> = { emergency: 'аварийная', planned: 'плановая', both: 'любая' };

export function categoryRoutes(repo: CategoryRepository): Router {
  const r = Router();

  /** Checks a category's new state against its parent, children, requests and specialities. */
  const check = (selfId: number | null, next: Pick<CategoryFields, 'code' | 'kind' | 'parentId' | 'specialityId'>) => {
    if (repo.codeTaken(next.code, selfId)) throw new ApiError(409, 'conflict', `a category with code ${next.code} exists`, [{ field: 'code', problem: 'код уже занят' }]);
    if (next.specialityId !== null && !repo.specialityExists(next.specialityId)) throw bad('specialityId', 'no such speciality');
    if (next.parentId !== null) {
      if (next.parentId === selfId) throw bad('parentId', 'a category cannot be its own parent');
      const parent = repo.get(next.parentId);
      if (!parent) throw bad('parentId', 'no such category');
      if (parent.parentId !== null) throw bad('parentId', 'подкатегория не может быть родителем (один уровень вложенности)');
      if (selfId !== null && repo.childKinds(selfId).length) throw bad('parentId', 'у категории есть подкатегории: она не может стать подкатегорией');
      if (!withinParent(next.kind, parent.kind)) throw bad('kind', `родитель «${parent.name}» — ${kindWords[parent.kind]}: подкатегория не может быть «${kindWords[next.kind]}»`);
    }
    if (selfId !== null) {
      const outside = repo.childKinds(selfId).filter((k) => !withinParent(k, next.kind));
      if (outside.length) throw bad('kind', `есть подкатегории вида «${outside.map((k) => kindWords[k]).join(', ')}»: сначала измените их`);
      const stranded = repo.openRequestKinds(selfId).filter((k) => next.kind !== 'both' && k !== next.kind);
      if (stranded.length) throw new ApiError(409, 'category_in_use', `open requests of kind ${stranded.join(', ')} use this category`, [{ field: 'kind', problem: 'открытые заявки другого вида используют эту категорию' }]);
    }
  };

  r.get('/api/categories', requireRole('admin', 'supervisor'), (_req, res) => {
    res.json({ items: repo.all().map(view) });
  });

  r.post('/api/categories', requireRole('admin'), (req, res) => {
    const b = parse(createBody, req.body);
    const f: CategoryFields = {
      code: b.code, name: b.name, kind: b.kind, parentId: b.parentId ?? null, position: b.position ?? 0, active: b.active ?? true,
      deadlineMinutes: b.deadlineMinutes ?? b.deadlineRule?.minutes ?? null, deadlineRule: b.deadlineRule ? JSON.stringify(b.deadlineRule) : null, source: b.source ?? null, specialityId: b.specialityId ?? null,
    };
    check(null, f);
    res.status(201).json({ category: view(repo.get(repo.insert(f))!) });
  });

  r.patch('/api/categories/:id', requireRole('admin'), (req, res) => {
    const catId = parse(id, req.params.id, 'id');
    const cur = repo.get(catId);
    if (!cur) throw notFound('category');
    const b = parse(patchBody, req.body);
    check(catId, { code: b.code ?? cur.code, kind: b.kind ?? cur.kind, parentId: b.parentId !== undefined ? b.parentId : cur.parentId, specialityId: b.specialityId !== undefined ? b.specialityId : cur.specialityId });
    const { deadlineRule: rule, ...rest } = b;
    repo.update(catId, { ...rest, ...(rule !== undefined ? { deadlineRule: rule ? JSON.stringify(rule) : null } : {}) });
    res.json({ category: view(repo.get(catId)!) });
  });

  r.delete('/api/categories/:id', requireRole('admin'), (req, res) => {
    const catId = parse(id, req.params.id, 'id');
    const cur = repo.get(catId);
    if (!cur) throw notFound('category');
    if (cur.requests > 0) throw new ApiError(409, 'category_in_use', `${cur.requests} requests use this category: deactivate it instead`, [{ field: 'id', problem: `категория используется в заявках (${cur.requests}): её можно только отключить` }]);
    if (cur.children > 0) throw new ApiError(409, 'category_in_use', 'the category has subcategories: delete or move them first', [{ field: 'id', problem: `у категории есть подкатегории (${cur.children})` }]);
    repo.delete(catId);
    res.status(204).end();
  });

  return r;
}
