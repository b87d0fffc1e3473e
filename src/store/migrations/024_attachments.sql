-- Pult schema, version 24: files attached to a request (photos, scans, PDFs).
-- The file itself lives under PULT_ATTACHMENTS_DIR by a random storage key;
-- the client's file name is kept only for display (sanitised), never as a path.

CREATE TABLE ticket_attachments (
  id          INTEGER PRIMARY KEY,
  ticket_id   INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  storage_key TEXT NOT NULL UNIQUE,     -- random hex + extension of the detected type
  thumb_key   TEXT,                     -- images: a ≤ 320 px WebP thumbnail; PDFs: null
  name        TEXT NOT NULL,            -- sanitised original name, for display only
  mime        TEXT NOT NULL,            -- detected by content, not the client's claim
  size        INTEGER NOT NULL,
  sha256      TEXT NOT NULL,
  by_user     INTEGER NOT NULL REFERENCES users(id),
  at          TEXT NOT NULL
);
CREATE INDEX ticket_attachments_ticket ON ticket_attachments(ticket_id, id);
