// Attachments' storage rows. All SQL of the attachments feature lives here.
import { stmt, type Db } from '../../store/db.js';

export interface AttachmentRow {
  id: number; ticketId: number; tenantId: number; storageKey: string; thumbKey: string | null;
  name: string; mime: string; size: number; sha256: string; byId: number; byName: string; at: string;
}
export type NewAttachment = Omit<AttachmentRow, 'id' | 'tenantId' | 'byName'>;

const cols = `a.id, a.ticket_id AS ticketId, t.tenant_id AS tenantId, a.storage_key AS storageKey, a.thumb_key AS thumbKey, a.name, a.mime, a.size,
  a.sha256, a.by_user AS byId, COALESCE(u.full_name, '') AS byName, a.at`;
const from = 'FROM ticket_attachments a JOIN tickets t ON t.id = a.ticket_id LEFT JOIN users u ON u.id = a.by_user';

export class AttachmentRepository {
  constructor(private readonly db: Db) {}

  /** The company a request belongs to, or null when there is no such request. */
  requestTenant(ticketId: number): number | null {
    return (stmt(this.db, 'SELECT tenant_id FROM tickets WHERE id = ?').pluck().get(ticketId) as number | undefined) ?? null;
  }

  get(id: number): AttachmentRow | null {
    return (stmt(this.db, `SELECT ${cols} ${from} WHERE a.id = ?`).get(id) as AttachmentRow | undefined) ?? null;
  }

  forRequest(ticketId: number): AttachmentRow[] {
    return stmt(this.db, `SELECT ${cols} ${from} WHERE a.ticket_id = ? ORDER BY a.id`).all(ticketId) as AttachmentRow[];
  }

  /** Records every file in one transaction; `also` runs inside it (the request's comment). */
  insertAll(rows: NewAttachment[], also?: () => void): number[] {
    return this.db.transaction(() => {
      const ins = stmt(this.db, `INSERT INTO ticket_attachments (ticket_id, storage_key, thumb_key, name, mime, size, sha256, by_user, at)
        VALUES (@ticketId, @storageKey, @thumbKey, @name, @mime, @size, @sha256, @byId, @at)`);
      const ids = rows.map((r) => Number(ins.run(r).lastInsertRowid));
      also?.();
      return ids;
    })();
  }
}
