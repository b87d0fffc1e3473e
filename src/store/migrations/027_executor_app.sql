-- Pult schema, version 27: the executor's phone page (/x/).
-- Idempotency keys: a retried action (flaky network) returns the first
-- response and is never applied twice. Change proposals: the executor
-- proposes a change to what was ordered; a dispatcher confirms or rejects.

CREATE TABLE idempotency_keys (
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  key         TEXT NOT NULL,               -- the client's Idempotency-Key (8–100 characters)
  request_id  INTEGER REFERENCES tickets(id) ON DELETE CASCADE,
  fingerprint TEXT NOT NULL,               -- sha256 of what was asked: the same key for another action is refused
  status      INTEGER,                     -- the HTTP status answered; null while the action runs
  response    TEXT,                        -- the JSON body answered
  created_at  TEXT NOT NULL,
  PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);

CREATE TABLE request_proposals (
  id               INTEGER PRIMARY KEY,
  ticket_id        INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  by_user          INTEGER NOT NULL REFERENCES users(id),
  at               TEXT NOT NULL,
  text             TEXT NOT NULL,          -- «заказано 3 счётчика, нужно 2»
  items            TEXT NOT NULL DEFAULT '[]', -- JSON [{name, ordered, needed}]
  status           TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'confirmed', 'rejected')),
  decided_by       INTEGER REFERENCES users(id),
  decided_at       TEXT,
  decision_comment TEXT
);
CREATE INDEX request_proposals_ticket ON request_proposals(ticket_id, id);
