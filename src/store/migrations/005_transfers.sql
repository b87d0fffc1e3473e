-- Pult schema, version 5: blind transfers carried out by Pult. The operator
-- who answered stays `answered_by`; the leg now talking to the caller is
-- `answered_channel_id` (NULL while the transfer target rings).
ALTER TABLE calls ADD COLUMN transferred_at TEXT;
ALTER TABLE calls ADD COLUMN transferred_by INTEGER REFERENCES users(id);
ALTER TABLE calls ADD COLUMN transfer_target TEXT;
