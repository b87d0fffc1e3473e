-- Pult schema, version 38: holidays on lines (issue 13, item 1).
-- A date on which the line does not follow its weekly hours: closed all day
-- (opens and closes NULL: callers get the out-of-hours treatment), or open
-- for the shortened hours of a pre-holiday day. Dates are local to the
-- dispatch centre (PULT_TIMEZONE).
CREATE TABLE line_holidays (
  line_id INTEGER NOT NULL REFERENCES lines(id) ON DELETE CASCADE,
  day     TEXT NOT NULL,              -- YYYY-MM-DD
  opens   TEXT,                       -- HH:MM, or NULL: closed all day
  closes  TEXT,                       -- HH:MM
  note    TEXT NOT NULL DEFAULT '',   -- «Новый год», «предпраздничный день»
  PRIMARY KEY (line_id, day),
  CHECK ((opens IS NULL) = (closes IS NULL))
);
