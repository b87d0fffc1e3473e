-- Pult schema, version 17: callbacks as a workflow (issue 15, item 4) and
-- outbound calls placed by Pult (item 5).
--
-- callback_tasks is rebuilt: SQLite cannot widen a CHECK in place, and a
-- task may now be asked for by the caller ('caller-requested', press 1).
--   due_at          the caller's place: the first call's arrival + the line's
--                   callback_due_min; repeated abandons keep it
--   attempts        numbers dialled for it (an operator who did not answer
--                   does not count against the caller)
--   next_attempt_at no automatic attempt before this (retry spacing)
--   callable        0 = withheld number: shown, never dialled
--   done_reason     connected (a callback got through), called-in (the
--                   caller called again and was answered), manual
CREATE TABLE callback_tasks_v17 (
  id              INTEGER PRIMARY KEY,
  call_id         TEXT NOT NULL UNIQUE REFERENCES calls(id),
  caller_number   TEXT NOT NULL,
  line_id         INTEGER REFERENCES lines(id),
  reason          TEXT NOT NULL CHECK (reason IN ('abandoned', 'unanswered', 'caller-requested')),
  created_at      TEXT NOT NULL,
  status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'assigned', 'done')),
  assigned_to     INTEGER REFERENCES users(id),
  done_at         TEXT,
  due_at          TEXT,
  attempts        INTEGER NOT NULL DEFAULT 0,
  last_attempt_at TEXT,
  next_attempt_at TEXT,
  callable        INTEGER NOT NULL DEFAULT 1,
  done_reason     TEXT CHECK (done_reason IN ('connected', 'called-in', 'manual'))
);
INSERT INTO callback_tasks_v17 (id, call_id, caller_number, line_id, reason, created_at, status, assigned_to, done_at, due_at, done_reason, callable)
  SELECT id, call_id, caller_number, line_id, reason, created_at, status, assigned_to, done_at,
         strftime('%Y-%m-%dT%H:%M:%fZ', created_at, '+10 minutes'),
         CASE WHEN status = 'done' THEN 'manual' END,
         CASE WHEN caller_number GLOB '*[0-9][0-9][0-9]*' AND caller_number NOT GLOB '*[^0-9+]*' THEN 1 ELSE 0 END
  FROM callback_tasks;
DROP TABLE callback_tasks;
ALTER TABLE callback_tasks_v17 RENAME TO callback_tasks;
CREATE INDEX callback_tasks_open ON callback_tasks(line_id, created_at, id) WHERE status <> 'done';
CREATE INDEX callback_tasks_status ON callback_tasks(status, id);
-- One open task per number and line: a repeated abandon finds it here.
CREATE INDEX callback_tasks_open_number ON callback_tasks(caller_number) WHERE status <> 'done';

-- Lines: when a callback is due and how Pult retries it.
ALTER TABLE lines ADD COLUMN callback_due_min INTEGER NOT NULL DEFAULT 10 CHECK (callback_due_min >= 1);
ALTER TABLE lines ADD COLUMN callback_attempts INTEGER NOT NULL DEFAULT 3 CHECK (callback_attempts >= 0);
ALTER TABLE lines ADD COLUMN callback_retry_sec INTEGER NOT NULL DEFAULT 120 CHECK (callback_retry_sec >= 0);

-- Calls: 'outbound' = placed by Pult (a callback or click-to-call): the
-- operator was rung first, then the number; caller_number is the number
-- dialled, caller_channel_id the trunk leg. Never queued, never a task.
ALTER TABLE calls ADD COLUMN direction TEXT NOT NULL DEFAULT 'inbound' CHECK (direction IN ('inbound', 'outbound'));
ALTER TABLE calls ADD COLUMN callback_task_id INTEGER REFERENCES callback_tasks(id);
CREATE INDEX calls_callback_task ON calls(callback_task_id) WHERE callback_task_id IS NOT NULL;
