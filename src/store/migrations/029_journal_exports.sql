-- Pult schema, version 29: the journal's monthly archive (issue 12 item 1).
-- On the 1st of each month the previous month's journal of every company is
-- exported (XLSX and CSV) under <PULT_STATE_DIR>/journal and registered here
-- with its SHA-256 and size. A registered export never changes: one row per
-- company, month and format; a second export of the same month is a no-op,
-- and a download whose file no longer matches its SHA-256 is refused.

CREATE TABLE journal_exports (
  id         INTEGER PRIMARY KEY,
  tenant_id  INTEGER NOT NULL REFERENCES tenants(id),
  period     TEXT NOT NULL CHECK (period GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),  -- YYYY-MM, room time
  format     TEXT NOT NULL CHECK (format IN ('xlsx', 'csv')),
  path       TEXT NOT NULL,             -- relative to the journal directory
  sha256     TEXT NOT NULL,             -- hex
  size       INTEGER NOT NULL,
  rows       INTEGER NOT NULL,          -- requests in the export
  created_at TEXT NOT NULL,
  created_by INTEGER REFERENCES users(id),  -- null: the monthly job
  UNIQUE (tenant_id, period, format)
);
CREATE INDEX journal_exports_tenant ON journal_exports(tenant_id, period);

-- The journal's hand-over, acceptance and completion times: the first or last
-- history entry of a request to a stage, read from this index alone.
CREATE INDEX ticket_history_stage ON ticket_history(ticket_id, to_stage, at);
