-- pult:foreign-keys-off
-- Pult schema, version 30 (issue 12, items 2 and 4): the printable request
-- («Заявка») per company, categories as a master directory, and the
-- dictionaries a company adds for its requests and contacts.
--
-- ticket_categories is rebuilt (SQLite cannot widen a CHECK in place): a
-- category may now fit both kinds ('both') and have a parent (subcategory).
-- The runner turns foreign keys off for this file and checks them before commit.

CREATE TABLE ticket_categories_v30 (
  id               INTEGER PRIMARY KEY,
  code             TEXT NOT NULL UNIQUE,
  name             TEXT NOT NULL,
  kind             TEXT NOT NULL CHECK (kind IN ('emergency', 'planned', 'both')),
  deadline_minutes INTEGER,             -- null = no fixed deadline
  source           TEXT,                -- the regulation the default comes from
  active           INTEGER NOT NULL DEFAULT 1,
  deadline_rule    TEXT,                -- JSON, src/domain/deadline.ts; null = deadline_minutes as is
  speciality_id    INTEGER REFERENCES specialities(id) ON DELETE SET NULL,
  parent_id        INTEGER REFERENCES ticket_categories(id), -- a subcategory's parent (one level of nesting)
  position         INTEGER NOT NULL DEFAULT 0
);
INSERT INTO ticket_categories_v30 (id, code, name, kind, deadline_minutes, source, active, deadline_rule, speciality_id, parent_id, position)
  SELECT id, code, name, kind, deadline_minutes, source, active, deadline_rule, speciality_id, NULL, id FROM ticket_categories;
DROP TABLE ticket_categories;
ALTER TABLE ticket_categories_v30 RENAME TO ticket_categories;
CREATE INDEX ticket_categories_parent ON ticket_categories(parent_id);

-- The «Заявка» template of a company (JSON, src/features/request-documents/template.ts);
-- no row = the built-in default.
CREATE TABLE document_templates (
  tenant_id  INTEGER PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
  body       TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by INTEGER REFERENCES users(id) ON DELETE SET NULL
);

-- A generated «Заявка» is an attachment of its request (file on disk,
-- SHA-256 in ticket_attachments); this row says which stage entry made it.
CREATE TABLE request_documents (
  id            INTEGER PRIMARY KEY,
  ticket_id     INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  attachment_id INTEGER NOT NULL UNIQUE REFERENCES ticket_attachments(id) ON DELETE CASCADE,
  stage         TEXT NOT NULL,
  at            TEXT NOT NULL
);
CREATE INDEX request_documents_ticket ON request_documents(ticket_id, id);
-- Documents are immutable: neither the row nor its file's record may change.
CREATE TRIGGER request_documents_immutable BEFORE UPDATE ON request_documents BEGIN
  SELECT RAISE(ABORT, 'request documents are immutable');
END;
CREATE TRIGGER request_document_files_immutable BEFORE UPDATE ON ticket_attachments
  WHEN EXISTS (SELECT 1 FROM request_documents d WHERE d.attachment_id = old.id) BEGIN
  SELECT RAISE(ABORT, 'request documents are immutable');
END;

-- The default pipelines hand the document out when a request is handed to
-- work (stage 'assigned'), not when it is done; stored pipelines follow.
UPDATE pipeline_stages SET rules = json_insert(rules, '$[#]', json('{"type":"document"}'))
  WHERE code = 'assigned' AND NOT EXISTS (SELECT 1 FROM json_each(pipeline_stages.rules) WHERE json_extract(value, '$.type') = 'document');
UPDATE pipeline_stages SET rules = '[{"type":"require","fields":["result"]}]'
  WHERE code = 'done' AND rules = '[{"type":"require","fields":["result"]},{"type":"document"}]';

-- A company's own dictionaries («Районная служба», «Специалист», «Категория клиента»).
CREATE TABLE company_dictionaries (
  id         INTEGER PRIMARY KEY,
  tenant_id  INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  name       TEXT NOT NULL,
  applies_to TEXT NOT NULL CHECK (applies_to IN ('requests', 'accounts', 'both')),
  position   INTEGER NOT NULL DEFAULT 0,
  UNIQUE (tenant_id, name)
);

CREATE TABLE dictionary_values (
  id            INTEGER PRIMARY KEY,
  dictionary_id INTEGER NOT NULL REFERENCES company_dictionaries(id) ON DELETE CASCADE,
  value         TEXT NOT NULL,
  active        INTEGER NOT NULL DEFAULT 1,
  position      INTEGER NOT NULL DEFAULT 0,
  UNIQUE (dictionary_id, value)
);

-- One chosen value per dictionary on a request / an account.
CREATE TABLE ticket_dictionary_values (
  ticket_id     INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  dictionary_id INTEGER NOT NULL REFERENCES company_dictionaries(id) ON DELETE CASCADE,
  value_id      INTEGER NOT NULL REFERENCES dictionary_values(id) ON DELETE CASCADE,
  PRIMARY KEY (ticket_id, dictionary_id)
) WITHOUT ROWID;

CREATE TABLE account_dictionary_values (
  account_id    INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  dictionary_id INTEGER NOT NULL REFERENCES company_dictionaries(id) ON DELETE CASCADE,
  value_id      INTEGER NOT NULL REFERENCES dictionary_values(id) ON DELETE CASCADE,
  PRIMARY KEY (account_id, dictionary_id)
) WITHOUT ROWID;
