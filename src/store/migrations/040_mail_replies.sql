-- Pult schema, version 40: the e-mail channel, reply templates and replies
-- with approval (issue 14, items 4, 6, 7).

-- A company's mail settings: its inbound address (mail to it becomes a
-- request) and whether replies to residents need a supervisor's approval.
CREATE TABLE tenant_mail (
  tenant_id              INTEGER PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
  inbound_email          TEXT UNIQUE,          -- lowercase: zayavki@sever.example.ru
  replies_need_approval  INTEGER NOT NULL DEFAULT 0,
  updated_at             TEXT NOT NULL
);

-- The e-mail side of a request that came by mail: whom to answer, the
-- subject to answer under, the resident's first Message-ID (the thread).
CREATE TABLE mail_threads (
  ticket_id       INTEGER PRIMARY KEY REFERENCES tickets(id) ON DELETE CASCADE,
  tenant_id       INTEGER NOT NULL REFERENCES tenants(id),
  email           TEXT NOT NULL,
  name            TEXT,
  subject         TEXT NOT NULL,
  root_message_id TEXT
);

-- Every Message-ID seen or sent on a request's thread: a reply whose
-- In-Reply-To / References names one of them joins that request.
CREATE TABLE mail_message_ids (
  message_id TEXT PRIMARY KEY,
  ticket_id  INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  direction  TEXT NOT NULL CHECK (direction IN ('in', 'out')),
  at         TEXT NOT NULL
);
CREATE INDEX mail_message_ids_ticket ON mail_message_ids(ticket_id);

-- Accounts' e-mail addresses, learned when a mail's sender was matched to an
-- account by a phone number in its text (the directory has no e-mails).
CREATE TABLE account_emails (
  tenant_id  INTEGER NOT NULL REFERENCES tenants(id),
  email      TEXT NOT NULL,                  -- lowercase
  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  learned_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, email)
) WITHOUT ROWID;

-- «Оцените работу»: one ask per closing of a request that came by mail.
CREATE TABLE mail_feedback_asks (
  ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  closed_at TEXT NOT NULL,
  asked_at  TEXT NOT NULL,
  PRIMARY KEY (ticket_id, closed_at)
) WITHOUT ROWID;
CREATE INDEX tickets_closed_channel ON tickets(channel, closed_at) WHERE status = 'closed';

-- Reply templates per company, found by the first letters of the topic.
CREATE TABLE reply_templates (
  id             INTEGER PRIMARY KEY,
  tenant_id      INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  topic          TEXT NOT NULL,
  topic_key      TEXT NOT NULL,              -- lowercase, ё → е, single spaces
  body           TEXT NOT NULL,              -- with placeholders: {номер}, {адрес}…
  needs_approval INTEGER NOT NULL DEFAULT 0,
  updated_at     TEXT NOT NULL,
  updated_by     INTEGER REFERENCES users(id) ON DELETE SET NULL,
  UNIQUE (tenant_id, topic_key)
);

-- Replies to residents: sent at once, or pending a supervisor's approval.
CREATE TABLE request_replies (
  id               INTEGER PRIMARY KEY,
  ticket_id        INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  tenant_id        INTEGER NOT NULL REFERENCES tenants(id),
  template_id      INTEGER REFERENCES reply_templates(id) ON DELETE SET NULL,
  channel          TEXT NOT NULL,
  body             TEXT NOT NULL,
  status           TEXT NOT NULL CHECK (status IN ('pending', 'rejected', 'sending', 'sent', 'failed')),
  author_id        INTEGER NOT NULL REFERENCES users(id),
  created_at       TEXT NOT NULL,
  decided_by       INTEGER REFERENCES users(id),
  decided_at       TEXT,
  decision_comment TEXT,
  sent_at          TEXT,
  error            TEXT
);
CREATE INDEX request_replies_ticket ON request_replies(ticket_id, id);
CREATE INDEX request_replies_pending ON request_replies(tenant_id, created_at) WHERE status = 'pending';
