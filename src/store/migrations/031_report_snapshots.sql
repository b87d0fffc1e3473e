-- Pult schema, version 31: reports made on schedule and kept (issue 12, item 3).
-- One row per company, kind and period: the daily report (00:10, yesterday)
-- and the weekly one (Monday 00:20, last Monday..Sunday). Periods are local
-- dates (PULT_TIMEZONE), both ends inclusive; figures is the report as JSON
-- (src/features/reports/snapshots.ts). UNIQUE makes a second run of the job
-- for the same period a no-op.
CREATE TABLE report_snapshots (
  id           INTEGER PRIMARY KEY,
  tenant_id    INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  kind         TEXT NOT NULL CHECK (kind IN ('daily', 'weekly')),
  period_start TEXT NOT NULL,
  period_end   TEXT NOT NULL,
  figures      TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  UNIQUE (tenant_id, kind, period_start)
);
CREATE INDEX report_snapshots_list ON report_snapshots(tenant_id, kind, period_start DESC);

-- The reports count requests by company and time, calls and callback tasks
-- by time. These indexes hold every column the counts read, so a year of a
-- busy room is counted from the index alone (reading the table rows of a
-- company's requests scattered among everyone's was 40 times slower).
CREATE INDEX tickets_report ON tickets(tenant_id, created_at, category_id, assignee_id, building_id, channel, stage_code, status, due_at, handed_at, done_at);
CREATE INDEX calls_report ON calls(arrived_at, line_id, direction, state, outcome, answered_via, answered_at, ended_at, wait_sec);
CREATE INDEX callback_tasks_report ON callback_tasks(created_at, line_id, status, done_reason, done_at, due_at);
