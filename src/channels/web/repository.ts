// What the public web form may read: companies' names, the categories a
// resident picks from, and buildings by street and house (id and address
// only: never accounts, names or phones). All SQL of the web adapter.
import { stmt, type Db } from '../../store/db.js';
import { parseAddressQuery } from '../../features/directory/keys.js';
import type { PublicBuilding, PublicCategory, PublicCompany } from './schema.js';

export const SEARCH_LIMIT = 20;

export class WebFormRepository {
  constructor(private readonly db: Db) {}

  companies(): PublicCompany[] {
    return stmt(this.db, 'SELECT id, name FROM tenants ORDER BY name, id').all() as PublicCompany[];
  }

  company(id: number): PublicCompany | null {
    return (stmt(this.db, 'SELECT id, name FROM tenants WHERE id = ?').get(id) as PublicCompany | undefined) ?? null;
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
