// Storage of the request documents feature: companies' «Заявка» templates,
// the data a document shows, and which attachments are generated documents.
import { stmt, type Db } from '../../store/db.js';

export interface DocumentData {
  id: number; number: string; tenantId: number; tenantName: string; kind: 'emergency' | 'planned'; categoryName: string;
  description: string; address: string; flat: string | null; callerName: string | null; callerPhone: string | null; anonymousCallerId: number | null;
  createdAt: string; dueAt: string | null; handedAt: string | null; stage: string; assigneeId: number | null; assigneeName: string | null; createdByName: string;
}

export interface StoredDocument { id: number; attachmentId: number; stage: string; at: string; name: string; size: number; sha256: string }

export class DocumentRepository {
  constructor(private readonly db: Db) {}

  template(tenantId: number): { body: string; updatedAt: string } | null {
    return (stmt(this.db, 'SELECT body, updated_at AS updatedAt FROM document_templates WHERE tenant_id = ?').get(tenantId) as { body: string; updatedAt: string } | undefined) ?? null;
  }

  saveTemplate(tenantId: number, body: string, at: string, by: number): void {
    stmt(this.db, `INSERT INTO document_templates (tenant_id, body, updated_at, updated_by) VALUES (?, ?, ?, ?)
      ON CONFLICT (tenant_id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at, updated_by = excluded.updated_by`).run(tenantId, body, at, by);
  }

  deleteTemplate(tenantId: number): void {
    stmt(this.db, 'DELETE FROM document_templates WHERE tenant_id = ?').run(tenantId);
  }

  /** A request of a company by its number («2026-000123»). */
  requestByNumber(tenantId: number, number: string): number | null {
    return (stmt(this.db, 'SELECT id FROM tickets WHERE tenant_id = ? AND number = ?').pluck().get(tenantId, number) as number | undefined) ?? null;
  }

  tenantName(tenantId: number): string | null {
    return (stmt(this.db, 'SELECT name FROM tenants WHERE id = ?').pluck().get(tenantId) as string | undefined) ?? null;
  }

  data(ticketId: number): DocumentData | null {
    return (stmt(this.db, `SELECT t.id, t.number, t.tenant_id AS tenantId, tn.name AS tenantName, t.kind, c.name AS categoryName, t.description, t.address, t.flat,
        t.caller_name AS callerName, t.caller_phone AS callerPhone, t.anonymous_caller_id AS anonymousCallerId, t.created_at AS createdAt, t.due_at AS dueAt,
        t.handed_at AS handedAt, t.stage_code AS stage, t.assignee_id AS assigneeId, a.full_name AS assigneeName, cb.full_name AS createdByName
      FROM tickets t JOIN tenants tn ON tn.id = t.tenant_id JOIN ticket_categories c ON c.id = t.category_id
      LEFT JOIN users a ON a.id = t.assignee_id JOIN users cb ON cb.id = t.created_by WHERE t.id = ?`).get(ticketId) as DocumentData | undefined) ?? null;
  }

  /** Marks an attachment as the document a stage entry made, and the request's document as no longer pending. */
  addDocument(ticketId: number, attachmentId: number, stage: string, at: string): number {
    return this.db.transaction(() => {
      const id = Number(stmt(this.db, 'INSERT INTO request_documents (ticket_id, attachment_id, stage, at) VALUES (?, ?, ?, ?)').run(ticketId, attachmentId, stage, at).lastInsertRowid);
      stmt(this.db, 'UPDATE tickets SET document_pending = 0 WHERE id = ?').run(ticketId);
      return id;
    })();
  }

  documents(ticketId: number): StoredDocument[] {
    return stmt(this.db, `SELECT d.id, d.attachment_id AS attachmentId, d.stage, d.at, a.name, a.size, a.sha256
      FROM request_documents d JOIN ticket_attachments a ON a.id = d.attachment_id WHERE d.ticket_id = ? ORDER BY d.id`).all(ticketId) as StoredDocument[];
  }
}
