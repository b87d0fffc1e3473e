-- Issue 9 (item 13): indexes for the retention jobs and for reading only what
-- is needed (open callback tasks, a page of callback tasks).

-- Retention: expired sessions and old idempotency keys are deleted by range.
CREATE INDEX IF NOT EXISTS sessions_expires ON sessions(expires_at);
CREATE INDEX IF NOT EXISTS external_events_received ON external_events(received_at);

-- The wallboard reads only the open tasks (pending or assigned), oldest first, per line.
CREATE INDEX IF NOT EXISTS callback_tasks_open ON callback_tasks(line_id, created_at, id) WHERE status <> 'done';
-- GET /api/callbacks pages newest first by id, optionally by status.
CREATE INDEX IF NOT EXISTS callback_tasks_status ON callback_tasks(status, id);
