-- Pult schema, version 8: the webhook log keeps no body for refused
-- deliveries (401/403/404: anyone on the network can send those), records the
-- size and the account as the sender named it, and is pruned by age.

CREATE TABLE webhook_log_new (
  id            INTEGER PRIMARY KEY,
  vendor        TEXT NOT NULL,
  account_id    INTEGER,               -- our account, when the URL named one that exists
  account_given TEXT,                  -- the account id as the URL gave it (truncated)
  received_at   TEXT NOT NULL,
  status        INTEGER NOT NULL,
  body          TEXT,                  -- secrets redacted; NULL for 401/403/404
  size          INTEGER,               -- request body bytes as received
  error         TEXT
);
INSERT INTO webhook_log_new (id, vendor, account_id, account_given, received_at, status, body, size, error)
  SELECT id, vendor, account_id, CAST(account_id AS TEXT), received_at, status,
         CASE WHEN status IN (401, 403, 404) THEN NULL ELSE body END, length(body), error
  FROM webhook_log;
DROP TABLE webhook_log;
ALTER TABLE webhook_log_new RENAME TO webhook_log;
CREATE INDEX webhook_log_received ON webhook_log(received_at);

-- Bodies logged before this version carried the itoolabs crm_token and the signatures in clear.
UPDATE webhook_log SET body = json_set(body, '$.crm_token', '[redacted]') WHERE json_valid(body) AND json_type(body, '$.crm_token') IS NOT NULL;
UPDATE webhook_log SET body = json_set(body, '$.sign', '[redacted]') WHERE json_valid(body) AND json_type(body, '$.sign') IS NOT NULL;
UPDATE webhook_log SET body = NULL WHERE body IS NOT NULL AND NOT json_valid(body) AND body LIKE '%crm_token%';

-- Retention of the idempotency keys goes by age too.
CREATE INDEX external_events_received ON external_events(received_at);
