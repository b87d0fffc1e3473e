-- Pult schema, version 33: the audit log of administration (issue 13).
-- Who changed what and when, the record before and after (JSON, secrets
-- left out). Written in the same transaction as the change it describes.
CREATE TABLE audit_log (
  id        INTEGER PRIMARY KEY,
  at        TEXT NOT NULL,
  user_id   INTEGER REFERENCES users(id) ON DELETE SET NULL,
  action    TEXT NOT NULL,            -- create | update | disable | enable | reset-password | delete
  entity    TEXT NOT NULL,            -- tenant | line | overflow-group | user
  entity_id INTEGER,
  tenant_id INTEGER,                  -- the company the change concerns (null: none or all)
  before    TEXT,                     -- JSON
  after     TEXT                      -- JSON
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);
CREATE INDEX audit_log_tenant ON audit_log(tenant_id, at);
