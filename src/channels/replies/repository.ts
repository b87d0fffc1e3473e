// Reply templates per company and the replies to residents (pending a
// supervisor's approval, rejected, sent or failed).
import { stmt, type Db } from '../../store/db.js';
import type { Reply, ReplyStatus, ReplyTemplate, TemplateKind } from './types.js';

export type { Reply, ReplyStatus, ReplyTemplate };

/** A reply as stored: its document without the signed link (the service adds it). */
export type StoredReply = Omit<Reply, 'document'> & { document: Omit<NonNullable<Reply['document']>, 'url'> | null };

const templateCols = 'id, tenant_id AS tenantId, kind, topic, body, needs_approval AS needsApproval, updated_at AS updatedAt';
type TemplateRow = Omit<ReplyTemplate, 'needsApproval'> & { needsApproval: number };
const toTemplate = (r: TemplateRow): ReplyTemplate => ({ ...r, needsApproval: r.needsApproval === 1 });

interface ReplyRow {
  id: number; ticket_id: number; number: string; tenant_id: number; template_id: number | null; channel: string; body: string; status: ReplyStatus;
  author_id: number; author_name: string; created_at: string; decided_by: number | null; decider_name: string | null; decided_at: string | null;
  decision_comment: string | null; sent_at: string | null; error: string | null;
  document_title: string | null; attachment_id: number | null; attachment_name: string | null;
}
const replySelect = `SELECT r.*, t.number, a.full_name AS author_name, d.full_name AS decider_name, f.name AS attachment_name
  FROM request_replies r JOIN tickets t ON t.id = r.ticket_id JOIN users a ON a.id = r.author_id LEFT JOIN users d ON d.id = r.decided_by
  LEFT JOIN ticket_attachments f ON f.id = r.attachment_id`;
const toReply = (r: ReplyRow): StoredReply => ({
  id: r.id, requestId: r.ticket_id, number: r.number, tenantId: r.tenant_id, templateId: r.template_id, channel: r.channel, body: r.body, status: r.status,
  author: { id: r.author_id, name: r.author_name }, createdAt: r.created_at,
  decidedBy: r.decided_by !== null ? { id: r.decided_by, name: r.decider_name ?? '' } : null, decidedAt: r.decided_at, decisionComment: r.decision_comment,
  sentAt: r.sent_at, error: r.error,
  document: r.attachment_id !== null ? { title: r.document_title ?? '', attachmentId: r.attachment_id, name: r.attachment_name ?? '' } : null,
});

export class ReplyRepository {
  constructor(private readonly db: Db) {}

  /** Templates of a company whose topic starts with `prefix` (a topic key), in topic order; of one kind when given. */
  templates(tenantId: number, prefix: string, limit: number, kind?: TemplateKind): ReplyTemplate[] {
    return (stmt(this.db, `SELECT ${templateCols} FROM reply_templates WHERE tenant_id = ? AND topic_key >= ? AND topic_key < ? AND (? IS NULL OR kind = ?) ORDER BY topic_key LIMIT ?`)
      .all(tenantId, prefix, `${prefix}\uffff`, kind ?? null, kind ?? null, limit) as TemplateRow[]).map(toTemplate);
  }

  template(id: number): ReplyTemplate | null {
    const r = stmt(this.db, `SELECT ${templateCols} FROM reply_templates WHERE id = ?`).get(id) as TemplateRow | undefined;
    return r ? toTemplate(r) : null;
  }

  createTemplate(t: { tenantId: number; kind: TemplateKind; topic: string; topicKey: string; body: string; needsApproval: boolean }, by: number, at: string): ReplyTemplate {
    const id = Number(stmt(this.db, 'INSERT INTO reply_templates (tenant_id, kind, topic, topic_key, body, needs_approval, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(t.tenantId, t.kind, t.topic, t.topicKey, t.body, t.needsApproval ? 1 : 0, at, by).lastInsertRowid);
    return this.template(id)!;
  }

  updateTemplate(id: number, t: { kind: TemplateKind; topic: string; topicKey: string; body: string; needsApproval: boolean }, by: number, at: string): ReplyTemplate | null {
    const n = stmt(this.db, 'UPDATE reply_templates SET kind = ?, topic = ?, topic_key = ?, body = ?, needs_approval = ?, updated_at = ?, updated_by = ? WHERE id = ?')
      .run(t.kind, t.topic, t.topicKey, t.body, t.needsApproval ? 1 : 0, at, by, id).changes;
    return n ? this.template(id) : null;
  }

  deleteTemplate(id: number): boolean {
    return stmt(this.db, 'DELETE FROM reply_templates WHERE id = ?').run(id).changes > 0;
  }

  addReply(r: { requestId: number; tenantId: number; templateId: number | null; channel: string; body: string; status: ReplyStatus; authorId: number; at: string; document?: { title: string; attachmentId: number } | null }): StoredReply {
    const id = Number(stmt(this.db, 'INSERT INTO request_replies (ticket_id, tenant_id, template_id, channel, body, status, author_id, created_at, document_title, attachment_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(r.requestId, r.tenantId, r.templateId, r.channel, r.body, r.status, r.authorId, r.at, r.document?.title ?? null, r.document?.attachmentId ?? null).lastInsertRowid);
    return this.reply(id)!;
  }

  reply(id: number): StoredReply | null {
    const r = stmt(this.db, `${replySelect} WHERE r.id = ?`).get(id) as ReplyRow | undefined;
    return r ? toReply(r) : null;
  }

  replies(requestId: number): StoredReply[] {
    return (stmt(this.db, `${replySelect} WHERE r.ticket_id = ? ORDER BY r.id`).all(requestId) as ReplyRow[]).map(toReply);
  }

  /** Pending replies of these companies (null: all), oldest first. */
  pending(tenantIds: number[] | null, limit: number): StoredReply[] {
    if (tenantIds !== null && tenantIds.length === 0) return [];
    const scope = tenantIds === null ? '' : ` AND r.tenant_id IN (${tenantIds.map(() => '?').join(', ')})`;
    return (stmt(this.db, `${replySelect} WHERE r.status = 'pending'${scope} ORDER BY r.created_at, r.id LIMIT ?`).all(...(tenantIds ?? []), limit) as ReplyRow[]).map(toReply);
  }

  /** Decides a pending reply; false when it is no longer pending (someone else decided). */
  decide(id: number, to: 'sending' | 'rejected', by: number, comment: string | null, at: string): boolean {
    return stmt(this.db, "UPDATE request_replies SET status = ?, decided_by = ?, decided_at = ?, decision_comment = ? WHERE id = ? AND status = 'pending'").run(to, by, at, comment, id).changes > 0;
  }

  /** The outcome of sending: the text as it went (placeholders filled at the last moment). */
  finish(id: number, r: { status: 'sent' | 'failed'; body?: string; at: string; error?: string | null }): void {
    stmt(this.db, 'UPDATE request_replies SET status = ?, body = coalesce(?, body), sent_at = CASE WHEN ? = \'sent\' THEN ? ELSE sent_at END, error = ? WHERE id = ?')
      .run(r.status, r.body ?? null, r.status, r.at, r.error ?? null, id);
  }

  /** The documents that went out to the resident (sent replies carrying one), oldest first: the status page and the billing push. */
  sentDocuments(requestId: number): { replyId: number; title: string; attachmentId: number; name: string; sha256: string; sentAt: string }[] {
    return stmt(this.db, `SELECT r.id AS replyId, r.document_title AS title, r.attachment_id AS attachmentId, f.name, f.sha256, r.sent_at AS sentAt
      FROM request_replies r JOIN ticket_attachments f ON f.id = r.attachment_id
      WHERE r.ticket_id = ? AND r.status = 'sent' AND r.attachment_id IS NOT NULL ORDER BY r.sent_at, r.id`).all(requestId) as { replyId: number; title: string; attachmentId: number; name: string; sha256: string; sentAt: string }[];
  }

  /** A failed reply back to sending (a retry); false when it is not failed. */
  retry(id: number): boolean {
    return stmt(this.db, "UPDATE request_replies SET status = 'sending', error = NULL WHERE id = ? AND status = 'failed'").run(id).changes > 0;
  }
}
