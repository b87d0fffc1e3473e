-- Pult schema, version 6: calls that a cloud PBX routes (Megafon/Dom.ru,
-- Mango Office, Zadarma) and Pult observes through webhooks.

-- A cloud PBX account of one management company. A webhook's credentials
-- (checked against these secrets) decide which company it belongs to.
CREATE TABLE vpbx_accounts (
  id        INTEGER PRIMARY KEY,
  vendor    TEXT NOT NULL CHECK (vendor IN ('itoolabs', 'mango', 'zadarma')),
  name      TEXT NOT NULL,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id),
  account   TEXT NOT NULL,             -- the vendor's account id: api key / PBX domain
  secrets   TEXT NOT NULL,             -- JSON: crm_token | api_salt | secret (set by an admin, never in code)
  line_id   INTEGER REFERENCES lines(id), -- the line these calls count on
  time_zone TEXT NOT NULL DEFAULT 'Europe/Moscow',
  UNIQUE (vendor, account)
);

-- The PBX's own names for people (login, extension, mobile) → Pult users.
CREATE TABLE vpbx_agents (
  account_id INTEGER NOT NULL REFERENCES vpbx_accounts(id) ON DELETE CASCADE,
  agent      TEXT NOT NULL,            -- a PBX login, an extension or a number
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  PRIMARY KEY (account_id, agent)
);

-- Every webhook as it arrived, for audit (also the refused ones).
CREATE TABLE webhook_log (
  id          INTEGER PRIMARY KEY,
  vendor      TEXT NOT NULL,
  account_id  INTEGER,
  received_at TEXT NOT NULL,
  status      INTEGER NOT NULL,
  body        TEXT NOT NULL,
  error       TEXT
);
CREATE INDEX webhook_log_received ON webhook_log(received_at);

-- Events already applied: the same webhook delivered twice has one effect.
CREATE TABLE external_events (
  event_key   TEXT PRIMARY KEY,
  call_id     TEXT,
  kind        TEXT NOT NULL,
  received_at TEXT NOT NULL
);
