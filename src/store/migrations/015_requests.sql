-- Pult schema, version 15: the life of a request (issue 10).
-- Pipelines (emergency, planned) per company with their stages, transitions
-- and stage rules as data; history, comments, reminders, rule errors;
-- calendar deadline rules per category; a building's default executor;
-- full-text search and an index for every filter of the «Заявки» list.

CREATE TABLE pipelines (
  id        INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  kind      TEXT NOT NULL CHECK (kind IN ('emergency', 'planned')),
  name      TEXT NOT NULL,
  UNIQUE (tenant_id, kind)
);

CREATE TABLE pipeline_stages (
  pipeline_id INTEGER NOT NULL REFERENCES pipelines(id) ON DELETE CASCADE,
  code        TEXT NOT NULL,            -- new, assigned, in_work, done, closed, postponed, impossible, cancelled
  name        TEXT NOT NULL,            -- «Новая», «Передана исполнителю», …
  position    INTEGER NOT NULL,
  closes      INTEGER NOT NULL DEFAULT 0, -- entering it closes the request (status closed)
  rules       TEXT NOT NULL DEFAULT '[]', -- JSON, src/domain/stage-rules.ts
  PRIMARY KEY (pipeline_id, code)
);

CREATE TABLE pipeline_transitions (
  pipeline_id INTEGER NOT NULL REFERENCES pipelines(id) ON DELETE CASCADE,
  from_code   TEXT NOT NULL,
  to_code     TEXT NOT NULL,
  PRIMARY KEY (pipeline_id, from_code, to_code)
);

-- Calendar deadline rule per category (JSON, src/domain/deadline.ts); null = deadline_minutes as is.
ALTER TABLE ticket_categories ADD COLUMN deadline_rule TEXT;
UPDATE ticket_categories SET deadline_rule = '{"minutes":120,"window":{"from":"08:00","to":"23:00"}}' WHERE code = 'chute-blockage';
UPDATE ticket_categories SET deadline_rule = '{"minutes":4320,"seasons":[{"months":[10,11,12,1,2,3,4],"minutes":1440}]}' WHERE code = 'window-glass';

-- Until the executors issue: a building's default executor is a user.
ALTER TABLE buildings ADD COLUMN default_executor_id INTEGER REFERENCES users(id) ON DELETE SET NULL;

ALTER TABLE tickets ADD COLUMN stage_code TEXT NOT NULL DEFAULT 'new';
ALTER TABLE tickets ADD COLUMN assignee_id INTEGER REFERENCES users(id);
ALTER TABLE tickets ADD COLUMN channel TEXT NOT NULL DEFAULT 'call';   -- call, walk-in, letter, email, web, other
ALTER TABLE tickets ADD COLUMN result TEXT;
ALTER TABLE tickets ADD COLUMN reason TEXT;                             -- postponed / impossible / cancelled
ALTER TABLE tickets ADD COLUMN postponed_until TEXT;
ALTER TABLE tickets ADD COLUMN handed_at TEXT;                          -- journal: handed to work
ALTER TABLE tickets ADD COLUMN accepted_at TEXT;
ALTER TABLE tickets ADD COLUMN done_at TEXT;                            -- journal: done
ALTER TABLE tickets ADD COLUMN document_pending INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN remind_every_min INTEGER;               -- from a stage's remind rule
ALTER TABLE tickets ADD COLUMN remind_escalate_min INTEGER;
ALTER TABLE tickets ADD COLUMN remind_since TEXT;
ALTER TABLE tickets ADD COLUMN next_remind_at TEXT;
ALTER TABLE tickets ADD COLUMN updated_at TEXT;
UPDATE tickets SET stage_code = 'closed' WHERE status = 'closed';

CREATE TABLE ticket_history (
  id         INTEGER PRIMARY KEY,
  ticket_id  INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  at         TEXT NOT NULL,
  by_user    INTEGER REFERENCES users(id),
  from_stage TEXT,
  to_stage   TEXT NOT NULL,
  comment    TEXT
);
CREATE INDEX ticket_history_ticket ON ticket_history(ticket_id, id);

CREATE TABLE ticket_comments (
  id        INTEGER PRIMARY KEY,
  ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  at        TEXT NOT NULL,
  by_user   INTEGER NOT NULL REFERENCES users(id),
  kind      TEXT NOT NULL CHECK (kind IN ('comment', 'append', 'edit')),
  text      TEXT NOT NULL,
  call_id   TEXT REFERENCES calls(id)
);
CREATE INDEX ticket_comments_ticket ON ticket_comments(ticket_id, id);

CREATE TABLE ticket_rule_errors (
  id        INTEGER PRIMARY KEY,
  ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  at        TEXT NOT NULL,
  stage     TEXT NOT NULL,
  rule      TEXT NOT NULL,
  error     TEXT NOT NULL
);
CREATE INDEX ticket_rule_errors_ticket ON ticket_rule_errors(ticket_id);

-- One row per reminder slot: never sent twice.
CREATE TABLE request_reminders (
  ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  slot      INTEGER NOT NULL,
  at        TEXT NOT NULL,
  target    TEXT NOT NULL,             -- user:<id> or supervisors:<tenantId>
  PRIMARY KEY (ticket_id, slot)
);

-- Indexes for the list's filters (newest first) and the monitor's counts (open only).
CREATE INDEX tickets_created ON tickets(created_at, id);
CREATE INDEX tickets_number ON tickets(number);
CREATE INDEX tickets_phone ON tickets(caller_phone, created_at);
CREATE INDEX tickets_tenant_stage ON tickets(tenant_id, stage_code, created_at);
CREATE INDEX tickets_tenant_kind ON tickets(tenant_id, kind, created_at);
CREATE INDEX tickets_tenant_category ON tickets(tenant_id, category_id, created_at);
CREATE INDEX tickets_assignee ON tickets(assignee_id, status, created_at);
CREATE INDEX tickets_tenant_channel ON tickets(tenant_id, channel, created_at);
CREATE INDEX tickets_open_due ON tickets(tenant_id, due_at) WHERE status = 'open';
CREATE INDEX tickets_open_monitor ON tickets(tenant_id, kind, category_id, assignee_id, building_id, due_at, created_at) WHERE status = 'open';
CREATE INDEX tickets_open_stage ON tickets(tenant_id, stage_code) WHERE status = 'open';
CREATE INDEX tickets_remind ON tickets(next_remind_at) WHERE status = 'open' AND next_remind_at IS NOT NULL;

-- Full text: description, address and scope tags («tn<tenant> s<status>», so
-- a search within a company or among open requests intersects posting lists
-- instead of walking every match). unicode61 folds case; ё is folded to е
-- here and in the query.
CREATE VIRTUAL TABLE tickets_fts USING fts5(description, address, tags, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2');
INSERT INTO tickets_fts (rowid, description, address, tags)
  SELECT id, replace(replace(description, 'ё', 'е'), 'Ё', 'Е'), replace(replace(address || ' ' || coalesce(flat, ''), 'ё', 'е'), 'Ё', 'Е'), 'tn' || tenant_id || ' s' || status FROM tickets;
CREATE TRIGGER tickets_fts_ai AFTER INSERT ON tickets BEGIN
  INSERT INTO tickets_fts (rowid, description, address, tags)
  VALUES (new.id, replace(replace(new.description, 'ё', 'е'), 'Ё', 'Е'), replace(replace(new.address || ' ' || coalesce(new.flat, ''), 'ё', 'е'), 'Ё', 'Е'), 'tn' || new.tenant_id || ' s' || new.status);
END;
CREATE TRIGGER tickets_fts_au AFTER UPDATE OF description, address, flat, status, tenant_id ON tickets BEGIN
  DELETE FROM tickets_fts WHERE rowid = old.id;
  INSERT INTO tickets_fts (rowid, description, address, tags)
  VALUES (new.id, replace(replace(new.description, 'ё', 'е'), 'Ё', 'Е'), replace(replace(new.address || ' ' || coalesce(new.flat, ''), 'ё', 'е'), 'Ё', 'Е'), 'tn' || new.tenant_id || ' s' || new.status);
END;
CREATE TRIGGER tickets_fts_ad AFTER DELETE ON tickets BEGIN
  DELETE FROM tickets_fts WHERE rowid = old.id;
END;
