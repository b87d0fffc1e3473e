-- Pult schema, version 39 (issue 14): every channel into one queue.
--
-- A request received by a channel (web form, e-mail, messenger…) is
-- registered by that channel's system user: a users row made on first use
-- (disabled, no usable password: it can never log in) whose full name is
-- what the journal's «Зарегистрировал» shows: «Веб-форма», «Эл. почта»…
-- (made lazily, not here, so an empty database stays empty for the demo seed).
CREATE TABLE channel_users (
  channel TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL UNIQUE REFERENCES users(id)
);

-- A conversation thread of a channel (an e-mail's root Message-ID, a chat
-- id): later messages on it join the request.
CREATE TABLE request_threads (
  channel    TEXT NOT NULL,
  thread_key TEXT NOT NULL,
  ticket_id  INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  PRIMARY KEY (channel, thread_key)
);
CREATE INDEX request_threads_ticket ON request_threads(ticket_id);

-- The conversation with the resident: what came in and what went out.
CREATE TABLE request_messages (
  id         INTEGER PRIMARY KEY,
  ticket_id  INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  direction  TEXT NOT NULL CHECK (direction IN ('in', 'out')),
  channel    TEXT NOT NULL,            -- web, email, telegram… or console (a dispatcher's note to the resident)
  body       TEXT NOT NULL,
  author     TEXT,                     -- the resident's name or the dispatcher's
  created_at TEXT NOT NULL
);
CREATE INDEX request_messages_ticket ON request_messages(ticket_id, id);

-- The private status link /s/<token>: only the SHA-256 of the token is stored.
CREATE TABLE request_status_tokens (
  ticket_id  INTEGER PRIMARY KEY REFERENCES tickets(id) ON DELETE CASCADE,
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL
);

-- The resident's rating of the work, one per closing (closing_id: the
-- history row that closed the request); executor_id: who held it (reports).
CREATE TABLE request_ratings (
  id             INTEGER PRIMARY KEY,
  ticket_id      INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  tenant_id      INTEGER NOT NULL REFERENCES tenants(id),
  closing_id     INTEGER NOT NULL REFERENCES ticket_history(id) ON DELETE CASCADE,
  closed_at      TEXT NOT NULL,
  executor_id    INTEGER REFERENCES users(id) ON DELETE SET NULL,
  score          INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
  comment        TEXT,
  questions_left INTEGER NOT NULL DEFAULT 0,
  reopened       INTEGER NOT NULL DEFAULT 0,
  channel        TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  UNIQUE (ticket_id, closing_id)
);
CREATE INDEX request_ratings_executor ON request_ratings(executor_id, created_at);
CREATE INDEX request_ratings_tenant ON request_ratings(tenant_id, created_at);
