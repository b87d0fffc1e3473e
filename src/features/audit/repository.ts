// The audit log: who changed what, when, the record before and after.
// `record()` runs inside the caller's transaction, so an entry exists if and
// only if the change was committed. Secrets never reach the log: any key that
// names a password, hash, secret, token or key is dropped before writing.
import { stmt, type Db } from '../../store/db.js';
import type { Clock } from '../../clock.js';

export type AuditEntity = 'tenant' | 'line' | 'overflow-group' | 'user' | 'vpbx-account' | 'trunk' | 'tenant-mail' | 'tenant-web-form';

export interface AuditChange {
  userId: number | null;
  action: string;
  entity: AuditEntity;
  entityId: number | null;
  tenantId: number | null;
  before: unknown;
  after: unknown;
}

export interface AuditEntry extends AuditChange {
  id: number;
  at: string;
  userLogin: string | null;
}

export interface AuditFilter {
  entity?: AuditEntity;
  entityId?: number;
  tenantId?: number;
  from?: string;
  to?: string;
  /** null: every company (admin); else only entries of these companies. */
  tenantIds: number[] | null;
  limit: number;
  offset: number;
}

const secretKey = /pass(word)?|hash|secret|token|api_?key|^key$|Key$/i;

/** A copy of a value with every secret-looking key removed, at any depth. */
export function withoutSecrets(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutSecrets);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([k]) => !secretKey.test(k)).map(([k, x]) => [k, withoutSecrets(x)]));
  }
  return v;
}

interface Row { id: number; at: string; user_id: number | null; login: string | null; action: string; entity: AuditEntity; entity_id: number | null; tenant_id: number | null; before: string | null; after: string | null }

export class AuditLog {
  constructor(private readonly db: Db, private readonly clock: Clock) {}

  /** Runs a change and its audit entry as one transaction (nests inside repositories' own transactions). */
  change<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /** Writes one entry; call inside the change's transaction. */
  record(c: AuditChange): void {
    const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(withoutSecrets(v)));
    stmt(this.db, 'INSERT INTO audit_log (at, user_id, action, entity, entity_id, tenant_id, before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(this.clock.now().toISOString(), c.userId, c.action, c.entity, c.entityId, c.tenantId, json(c.before), json(c.after));
  }

  list(f: AuditFilter): { items: AuditEntry[]; total: number } {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (f.entity) { where.push('a.entity = ?'); args.push(f.entity); }
    if (f.entityId !== undefined) { where.push('a.entity_id = ?'); args.push(f.entityId); }
    if (f.tenantId !== undefined) { where.push('a.tenant_id = ?'); args.push(f.tenantId); }
    if (f.from) { where.push('a.at >= ?'); args.push(f.from); }
    if (f.to) { where.push('a.at < ?'); args.push(f.to); }
    if (f.tenantIds !== null) {
      if (f.tenantIds.length === 0) return { items: [], total: 0 };
      where.push(`a.tenant_id IN (${f.tenantIds.map(() => '?').join(', ')})`);
      args.push(...f.tenantIds);
    }
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const rows = stmt(this.db, `SELECT a.*, u.login FROM audit_log a LEFT JOIN users u ON u.id = a.user_id ${w} ORDER BY a.id DESC LIMIT ? OFFSET ?`).all(...args, f.limit, f.offset) as Row[];
    const total = stmt(this.db, `SELECT count(*) FROM audit_log a ${w}`).pluck().get(...args) as number;
    return {
      items: rows.map((r) => ({
        id: r.id, at: r.at, userId: r.user_id, userLogin: r.login, action: r.action, entity: r.entity, entityId: r.entity_id, tenantId: r.tenant_id,
        before: r.before === null ? null : JSON.parse(r.before) as unknown, after: r.after === null ? null : JSON.parse(r.after) as unknown,
      })),
      total,
    };
  }
}
