// What the public web form may read: the names of the companies that take
// requests by the form, the categories a resident picks from, and buildings
// by street and house (id and address only: never accounts, names or
// phones); and which companies take them (tenant_web_form, set by admins).
// All SQL of the web adapter.
import { stmt, type Db } from '../../store/db.js';
import { parseAddressQuery } from '../../features/directory/keys.js';
import type { PublicBuilding, PublicCategory, PublicCompany } from './schema.js';

export const SEARCH_LIMIT = 20;

export class WebFormRepository {
  constructor(private readonly db: Db) {}

  /** The companies whose form is on (the only ones the public sees). */
  companies(): PublicCompany[] {
    return stmt(this.db, 'SELECT t.id, t.name FROM tenants t LEFT JOIN tenant_web_form f ON f.tenant_id = t.id WHERE coalesce(f.enabled, 1) = 1 ORDER BY t.name, t.id').all() as PublicCompany[];
  }

  /** The company, when its form is on; null otherwise (no such company or form off: the public cannot tell). */
  company(id: number): PublicCompany | null {
    return (stmt(this.db, 'SELECT t.id, t.name FROM tenants t LEFT JOIN tenant_web_form f ON f.tenant_id = t.id WHERE t.id = ? AND coalesce(f.enabled, 1) = 1').get(id) as PublicCompany | undefined) ?? null;
  }

  /** A company's form is on unless an admin switched it off (a company that does not exist: off). */
  formEnabled(tenantId: number): boolean {
    return this.company(tenantId) !== null;
  }

  /** Every company with its form's state (the admin's list). */
  formSettings(): { tenantId: number; enabled: boolean }[] {
    return (stmt(this.db, 'SELECT t.id AS tenantId, coalesce(f.enabled, 1) AS enabled FROM tenants t LEFT JOIN tenant_web_form f ON f.tenant_id = t.id ORDER BY t.id').all() as { tenantId: number; enabled: number }[])
      .map((r) => ({ tenantId: r.tenantId, enabled: r.enabled === 1 }));
  }

  setFormEnabled(tenantId: number, enabled: boolean, at: string): void {
    stmt(this.db, `INSERT INTO tenant_web_form (tenant_id, enabled, updated_at) VALUES (?, ?, ?)
      ON CONFLICT (tenant_id) DO UPDATE SET enabled = excluded.enabled, updated_at = excluded.updated_at`).run(tenantId, enabled ? 1 : 0, at);
  }

  /** Active categories (parents before their subcategories); emergency-only ones flagged. */
  categories(): PublicCategory[] {
    return (stmt(this.db, `SELECT id, name, kind = 'emergency' AS emergency, parent_id AS parentId FROM ticket_categories WHERE active = 1
      ORDER BY coalesce(parent_id, id), parent_id IS NOT NULL, position, id`).all() as { id: number; name: string; emergency: number; parentId: number | null }[])
      .map((c) => ({ ...c, emergency: c.emergency === 1 }));
  }

  /** A company's buildings whose street starts with the query's street (and house with its house). */
  searchBuildings(tenantId: number, q: string): PublicBuilding[] {
    const a = parseAddressQuery(q);
    if (!a || !a.street) return [];
    const end = `${a.street}\uffff`;
    if (a.house) {
      return stmt(this.db, `SELECT id, address FROM buildings WHERE tenant_id = ? AND street_key >= ? AND street_key < ? AND house_key >= ? AND house_key < ?
        ORDER BY street_key, house_num, house_key, id LIMIT ?`).all(tenantId, a.street, end, a.house, `${a.house}\uffff`, SEARCH_LIMIT) as PublicBuilding[];
    }
    return stmt(this.db, `SELECT id, address FROM buildings WHERE tenant_id = ? AND street_key >= ? AND street_key < ?
      ORDER BY street_key, house_num, house_key, id LIMIT ?`).all(tenantId, a.street, end, SEARCH_LIMIT) as PublicBuilding[];
  }

  buildingTenant(id: number): number | null {
    return (stmt(this.db, 'SELECT tenant_id FROM buildings WHERE id = ?').pluck().get(id) as number | undefined) ?? null;
  }
}
