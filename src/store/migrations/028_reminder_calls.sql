-- Pult schema, version 28: reminder calls (issue 11, item 6). An emergency
-- request assigned and not accepted within N minutes makes Pult ring the
-- executor's mobile; «1» accepts it.
--
-- tickets.assigned_at: when the current executor got the request. Kept by
-- triggers from the statement that sets assignee_id (its updated_at, which
-- every assignment path sets from the injected clock; else created_at), so
-- no assignment path has to remember it.
ALTER TABLE tickets ADD COLUMN assigned_at TEXT;
UPDATE tickets SET assigned_at = coalesce(updated_at, created_at) WHERE assignee_id IS NOT NULL;

CREATE TRIGGER tickets_assigned_at_au AFTER UPDATE OF assignee_id ON tickets
WHEN NEW.assignee_id IS NOT OLD.assignee_id
BEGIN
  UPDATE tickets SET assigned_at = CASE WHEN NEW.assignee_id IS NULL THEN NULL ELSE coalesce(NEW.updated_at, NEW.created_at) END WHERE id = NEW.id;
END;

CREATE TRIGGER tickets_assigned_at_ai AFTER INSERT ON tickets
WHEN NEW.assignee_id IS NOT NULL
BEGIN
  UPDATE tickets SET assigned_at = coalesce(NEW.updated_at, NEW.created_at) WHERE id = NEW.id;
END;

-- The scheduler's scan: open emergency requests held by an executor who has
-- not accepted them yet.
CREATE INDEX tickets_unaccepted ON tickets(assigned_at)
  WHERE status = 'open' AND kind = 'emergency' AND assignee_id IS NOT NULL AND stage_code IN ('new', 'assigned');

-- Per company: are reminder calls made, and after how many minutes (null:
-- the configured default, PULT_REMINDER_CALL_AFTER_MIN).
CREATE TABLE reminder_call_settings (
  tenant_id INTEGER PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
  enabled   INTEGER NOT NULL DEFAULT 1,
  after_min REAL
);

-- Every reminder call: who was rung at which number, when, whether they
-- answered, the key they pressed and how it ended (outcome null: in progress).
CREATE TABLE reminder_calls (
  id          INTEGER PRIMARY KEY,
  ticket_id   INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  tenant_id   INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  executor_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  number      TEXT NOT NULL,
  caller_id   TEXT NOT NULL,
  attempt     INTEGER NOT NULL,
  started_at  TEXT NOT NULL,
  answered_at TEXT,
  ended_at    TEXT,
  digit       TEXT,
  outcome     TEXT CHECK (outcome IN ('accepted', 'no-answer', 'busy', 'failed', 'no-digit', 'other-digit', 'hung-up', 'interrupted', 'stale'))
);
CREATE INDEX reminder_calls_ticket ON reminder_calls(ticket_id, executor_id, id);
CREATE INDEX reminder_calls_open ON reminder_calls(id) WHERE outcome IS NULL;
