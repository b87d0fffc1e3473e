// Kept reports: one JSON snapshot per company, kind and period (migration 031).
import type { Db } from '../../store/db.js';
import { stmt } from '../../store/db.js';
import type { Period } from '../../domain/report-figures.js';

export type SnapshotKind = 'daily' | 'weekly';

export interface SnapshotItem {
  id: number;
  tenantId: number;
  kind: SnapshotKind;
  periodStart: string;
  periodEnd: string;
  createdAt: string;
}

const cols = 'id, tenant_id AS tenantId, kind, period_start AS periodStart, period_end AS periodEnd, created_at AS createdAt';

export class SnapshotRepository {
  constructor(private readonly db: Db) {}

  has(tenantId: number, kind: SnapshotKind, periodStart: string): boolean {
    return stmt(this.db, 'SELECT 1 FROM report_snapshots WHERE tenant_id = ? AND kind = ? AND period_start = ?').pluck().get(tenantId, kind, periodStart) !== undefined;
  }

  /** Stores a snapshot unless this period's is kept already; true when stored. */
  insert(s: { tenantId: number; kind: SnapshotKind; period: Period; figures: unknown; createdAt: string }): boolean {
    return stmt(this.db, 'INSERT OR IGNORE INTO report_snapshots (tenant_id, kind, period_start, period_end, figures, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(s.tenantId, s.kind, s.period.from, s.period.to, JSON.stringify(s.figures), s.createdAt).changes === 1;
  }

  /** Newest periods first, within the companies given. */
  list(tenantIds: number[], kind: SnapshotKind | null, limit: number): SnapshotItem[] {
    if (tenantIds.length === 0) return [];
    return stmt(this.db, `SELECT ${cols} FROM report_snapshots WHERE tenant_id IN (${tenantIds.map(() => '?').join(', ')}) AND (? IS NULL OR kind = ?)
      ORDER BY period_start DESC, kind, tenant_id LIMIT ?`).all(...tenantIds, kind, kind, limit) as SnapshotItem[];
  }

  get(id: number): (SnapshotItem & { figures: unknown }) | null {
    const r = stmt(this.db, `SELECT ${cols}, figures FROM report_snapshots WHERE id = ?`).get(id) as (SnapshotItem & { figures: string }) | undefined;
    return r ? { ...r, figures: JSON.parse(r.figures) as unknown } : null;
  }
}
