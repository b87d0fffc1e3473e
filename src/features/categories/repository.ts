// The categories master directory: every row of ticket_categories with its
// parent, kind, deadline rule and required speciality, and how much uses it.
import { stmt, type Db } from '../../store/db.js';
import type { CategoryKind } from '../../domain/category-kind.js';

export interface CategoryRow {
  id: number; code: string; name: string; kind: CategoryKind; parentId: number | null; position: number; active: boolean;
  deadlineMinutes: number | null; deadlineRule: string | null; source: string | null; specialityId: number | null; specialityName: string | null;
  requests: number; children: number;
}

export interface CategoryFields {
  code: string; name: string; kind: CategoryKind; parentId: number | null; position: number; active: boolean;
  deadlineMinutes: number | null; deadlineRule: string | null; source: string | null; specialityId: number | null;
}

const cols: Record<keyof CategoryFields, string> = {
  code: 'code', name: 'name', kind: 'kind', parentId: 'parent_id', position: 'position', active: 'active',
  deadlineMinutes: 'deadline_minutes', deadlineRule: 'deadline_rule', source: 'source', specialityId: 'speciality_id',
};

const select = `SELECT c.id, c.code, c.name, c.kind, c.parent_id AS parentId, c.position, c.active, c.deadline_minutes AS deadlineMinutes, c.deadline_rule AS deadlineRule,
    c.source, c.speciality_id AS specialityId, s.name AS specialityName,
    (SELECT count(*) FROM tickets t WHERE t.category_id = c.id) AS requests,
    (SELECT count(*) FROM ticket_categories k WHERE k.parent_id = c.id) AS children
  FROM ticket_categories c LEFT JOIN specialities s ON s.id = c.speciality_id`;

type Raw = Omit<CategoryRow, 'active'> & { active: number };
const toRow = (r: Raw): CategoryRow => ({ ...r, active: r.active === 1 });

export class CategoryRepository {
  constructor(private readonly db: Db) {}

  all(): CategoryRow[] {
    return (stmt(this.db, `${select} ORDER BY coalesce(c.parent_id, c.id), c.parent_id IS NOT NULL, c.position, c.id`).all() as Raw[]).map(toRow);
  }

  get(id: number): CategoryRow | null {
    const r = stmt(this.db, `${select} WHERE c.id = ?`).get(id) as Raw | undefined;
    return r ? toRow(r) : null;
  }

  codeTaken(code: string, exceptId: number | null): boolean {
    return stmt(this.db, 'SELECT 1 FROM ticket_categories WHERE code = ? AND id IS NOT ?').pluck().get(code, exceptId) !== undefined;
  }

  specialityExists(id: number): boolean {
    return stmt(this.db, 'SELECT 1 FROM specialities WHERE id = ?').pluck().get(id) !== undefined;
  }

  /** Kinds of a category's subcategories (a parent may not narrow below them). */
  childKinds(id: number): CategoryKind[] {
    return stmt(this.db, 'SELECT DISTINCT kind FROM ticket_categories WHERE parent_id = ?').pluck().all(id) as CategoryKind[];
  }

  /** Kinds of the open requests filed under a category (its kind may not exclude them). */
  openRequestKinds(id: number): string[] {
    return stmt(this.db, `SELECT DISTINCT kind FROM tickets WHERE category_id = ? AND status = 'open'`).pluck().all(id) as string[];
  }

  insert(f: CategoryFields): number {
    return Number(stmt(this.db, `INSERT INTO ticket_categories (code, name, kind, parent_id, position, active, deadline_minutes, deadline_rule, source, speciality_id)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(f.code, f.name, f.kind, f.parentId, f.position, f.active ? 1 : 0, f.deadlineMinutes, f.deadlineRule, f.source, f.specialityId).lastInsertRowid);
  }

  update(id: number, patch: Partial<CategoryFields>): void {
    const sets: string[] = [];
    const args: unknown[] = [];
    for (const [k, col] of Object.entries(cols)) {
      if (!(k in patch)) continue;
      const v = (patch as Record<string, unknown>)[k];
      sets.push(`${col} = ?`);
      args.push(typeof v === 'boolean' ? (v ? 1 : 0) : (v ?? null));
    }
    if (sets.length) stmt(this.db, `UPDATE ticket_categories SET ${sets.join(', ')} WHERE id = ?`).run(...args, id);
  }

  delete(id: number): void {
    stmt(this.db, 'DELETE FROM ticket_categories WHERE id = ?').run(id);
  }
}
