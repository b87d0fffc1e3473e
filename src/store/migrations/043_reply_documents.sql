-- Pult schema, version 43: documents to residents (issue 14, item 7 —
-- documents). A reply template may be a document template («Акт выполненных
-- работ»); a reply may carry a document: its PDF, rendered from the edited
-- text when the reply is written, is stored as the request's attachment and
-- goes out with the reply — directly or after a supervisor's approval.

ALTER TABLE reply_templates ADD COLUMN kind TEXT NOT NULL DEFAULT 'reply' CHECK (kind IN ('reply', 'document'));

-- The document a reply carries: its title and the PDF (an attachment of the request).
ALTER TABLE request_replies ADD COLUMN document_title TEXT;
ALTER TABLE request_replies ADD COLUMN attachment_id INTEGER REFERENCES ticket_attachments(id);
CREATE INDEX request_replies_documents ON request_replies(ticket_id) WHERE attachment_id IS NOT NULL;

-- The billing push (issue 14, item 9) now carries the documents the resident was sent:
-- title, file name, sha256 and the attachment id (GET /api/attachments/:id with a billing user's token).
DROP TRIGGER billing_outbox_on_close;
CREATE TRIGGER billing_outbox_on_close AFTER UPDATE OF status ON tickets
  WHEN new.status = 'closed' AND old.status <> 'closed'
   AND (SELECT billing_push_url FROM tenants WHERE id = new.tenant_id) IS NOT NULL BEGIN
  INSERT INTO billing_outbox (tenant_id, ticket_id, url, body, next_at, created_at)
  SELECT new.tenant_id, new.id, tn.billing_push_url,
    json_object(
      'event', 'request.closed',
      'requestId', new.id,
      'number', new.number,
      'tenantId', new.tenant_id,
      'kind', new.kind,
      'category', (SELECT code FROM ticket_categories WHERE id = new.category_id),
      'account', (SELECT account_number FROM accounts WHERE id = new.account_id),
      'address', new.address,
      'flat', new.flat,
      'description', new.description,
      'stage', new.stage_code,
      'result', new.result,
      'reason', new.reason,
      'executor', (SELECT full_name FROM users WHERE id = new.assignee_id),
      'createdAt', new.created_at,
      'doneAt', new.done_at,
      'closedAt', new.closed_at,
      'documents', json((SELECT json_group_array(json_object('title', r.document_title, 'name', f.name, 'sha256', f.sha256, 'attachmentId', f.id, 'sentAt', r.sent_at))
        FROM request_replies r JOIN ticket_attachments f ON f.id = r.attachment_id
        WHERE r.ticket_id = new.id AND r.status = 'sent' ORDER BY r.sent_at, r.id))),
    coalesce(new.closed_at, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')), coalesce(new.closed_at, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
  FROM tenants tn WHERE tn.id = new.tenant_id;
END;
