-- Pult schema, version 42 (issue 14): the Telegram channel.
--
-- Per company bot: the next update id to ask Telegram for. It is written
-- after an update is handled, so an update handled when Pult stops is asked
-- for again (handling is idempotent: a request's thread key carries the
-- update id).
CREATE TABLE telegram_offsets (
  tenant_id      INTEGER PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
  next_update_id INTEGER NOT NULL
);

-- A resident's chat with a company's bot: where the conversation stands
-- (src/channels/telegram/dialog.ts ChatState as JSON) and the open request
-- its messages join.
CREATE TABLE telegram_chats (
  tenant_id  INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  chat_id    INTEGER NOT NULL,
  state      TEXT NOT NULL,
  ticket_id  INTEGER REFERENCES tickets(id) ON DELETE SET NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, chat_id)
);
CREATE INDEX telegram_chats_ticket ON telegram_chats(ticket_id) WHERE ticket_id IS NOT NULL;
