-- An admin can disable a user: they cannot log in and their sessions end.
ALTER TABLE users ADD COLUMN disabled_at TEXT;
