// SQL of the storage overview: recordings kept per company, and each
// company's recording retention period.
import { stmt, type Db } from '../../store/db.js';

export interface CompanyRecordings {
  tenantId: number | null;
  name: string | null;
  retentionDays: number | null;
  files: number;
  bytes: number;
}

export class StorageRepository {
  constructor(private readonly db: Db) {}

  /** Stored recordings by the company of their call's line (null: a call with no line), within `scope` (null = all). */
  recordingsByCompany(scope: number[] | null): CompanyRecordings[] {
    const rows = stmt(this.db, `SELECT t.id AS tenantId, t.name AS name, t.recording_retention_days AS retentionDays,
        coalesce(u.files, 0) AS files, coalesce(u.bytes, 0) AS bytes
      FROM tenants t LEFT JOIN (
        SELECT l.tenant_id AS tenantId, count(*) AS files, sum(coalesce(r.size_bytes, 0)) AS bytes
        FROM recordings r JOIN calls c ON c.id = r.call_id JOIN lines l ON l.id = c.line_id
        WHERE r.state = 'stored' GROUP BY l.tenant_id
      ) u ON u.tenantId = t.id ORDER BY t.id`).all() as CompanyRecordings[];
    const shown = scope === null ? rows : rows.filter((r) => scope.includes(r.tenantId!));
    if (scope !== null) return shown;
    const orphan = stmt(this.db, `SELECT count(*) AS files, coalesce(sum(coalesce(r.size_bytes, 0)), 0) AS bytes FROM recordings r JOIN calls c ON c.id = r.call_id
      LEFT JOIN lines l ON l.id = c.line_id WHERE r.state = 'stored' AND l.tenant_id IS NULL`).get() as { files: number; bytes: number };
    return orphan.files > 0 ? [...shown, { tenantId: null, name: null, retentionDays: null, ...orphan }] : shown;
  }

  /** Sets a company's retention (null = keep forever); false when there is no such company. */
  setRecordingRetention(tenantId: number, days: number | null): boolean {
    return stmt(this.db, 'UPDATE tenants SET recording_retention_days = ? WHERE id = ?').run(days, tenantId).changes === 1;
  }

  /** The database's pages and its WAL file are measured by the caller; this is page_count × page_size. */
  databaseBytes(): number {
    return (this.db.pragma('page_count', { simple: true }) as number) * (this.db.pragma('page_size', { simple: true }) as number);
  }
}
