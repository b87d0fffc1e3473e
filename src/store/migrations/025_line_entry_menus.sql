-- Pult schema, version 25: the optional per-line entry menu (issue 15,
-- item 3). A call to a line with a menu is answered, hears the prompt and
-- presses one key, which moves it to another line of the same company
-- («аварийная — 1, плановая — 2»); no key or a wrong one twice: it stays on
-- the menu's own line. From then on it is a call of the chosen line.
CREATE TABLE line_entry_menus (
  line_id INTEGER PRIMARY KEY REFERENCES lines(id) ON DELETE CASCADE,
  -- Sound names played in turn, JSON array (e.g. ["pult/entry-menu"]).
  prompt TEXT NOT NULL,
  -- How long to wait for a key after the prompt, seconds.
  timeout_sec INTEGER NOT NULL DEFAULT 5 CHECK (timeout_sec BETWEEN 1 AND 30)
);
CREATE TABLE line_entry_menu_options (
  line_id INTEGER NOT NULL REFERENCES line_entry_menus(line_id) ON DELETE CASCADE,
  digit TEXT NOT NULL CHECK (length(digit) = 1 AND digit GLOB '[0-9]'),
  target_line_id INTEGER NOT NULL REFERENCES lines(id) ON DELETE CASCADE,
  PRIMARY KEY (line_id, digit)
);
-- The call log: the line whose menu the caller went through and the key
-- they pressed (NULL: none, the call stayed on the menu's line).
ALTER TABLE calls ADD COLUMN entry_line_id INTEGER REFERENCES lines(id);
ALTER TABLE calls ADD COLUMN entry_digit TEXT;
