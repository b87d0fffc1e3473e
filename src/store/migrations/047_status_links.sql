-- Pult schema, version 47: a request may have several private status links.
-- A reply with {ссылка} (e-mail, Telegram) adds a link and the resident's
-- earlier links keep working; staff issuing a new link on purpose
-- (POST /api/requests/:id/status-link, a leaked link) revokes the older ones.
CREATE TABLE request_status_links (
  token_hash TEXT PRIMARY KEY,            -- SHA-256 of the token; the token itself is never stored
  ticket_id  INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL
);
CREATE INDEX request_status_links_ticket ON request_status_links(ticket_id);
INSERT INTO request_status_links (token_hash, ticket_id, created_at) SELECT token_hash, ticket_id, created_at FROM request_status_tokens;
DROP TABLE request_status_tokens;
