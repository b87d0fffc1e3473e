// Management companies (tenants): the companies whose residents call in.
import { stmt, type Db } from '../../store/db.js';

export interface Tenant { id: number; name: string }

export class TenantRepository {
  constructor(private readonly db: Db) {}

  list(): Tenant[] {
    return stmt(this.db, 'SELECT id, name FROM tenants ORDER BY id').all() as Tenant[];
  }

  get(id: number): Tenant | null {
    return (stmt(this.db, 'SELECT id, name FROM tenants WHERE id = ?').get(id) as Tenant | undefined) ?? null;
  }

  create(name: string): Tenant {
    const id = Number(stmt(this.db, 'INSERT INTO tenants (name) VALUES (?)').run(name).lastInsertRowid);
    return { id, name };
  }

  rename(id: number, name: string): Tenant | null {
    return stmt(this.db, 'UPDATE tenants SET name = ? WHERE id = ?').run(name, id).changes > 0 ? { id, name } : null;
  }
}
