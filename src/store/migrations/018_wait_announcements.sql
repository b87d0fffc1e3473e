-- Pult schema, version 18: waiting callers are told what happens (issue 15,
-- item 2). Every announce_every_sec a waiting caller hears their place in the
-- queue and "press 1 to be called back"; 0 = no announcements and no press 1.
-- On a ringback line the first announcement answers the call (music between
-- announcements from then on).
ALTER TABLE lines ADD COLUMN announce_every_sec INTEGER NOT NULL DEFAULT 30 CHECK (announce_every_sec >= 0);
-- Today's callback tasks (the wallboard's "callbacks in time" share).
CREATE INDEX callback_tasks_created ON callback_tasks(created_at);
