-- Pult schema, version 45 (issue 14, channels' loose ends): accounts' e-mail
-- addresses from the directory's import (the «email» / «эл. почта» column,
-- several separated by , or ;). The mail channel matches a first mail's
-- sender by them, within the sender's company. Kept apart from
-- account_emails (040), which holds the addresses Pult learned from mail:
-- an import replaces an account's directory addresses, never the learned ones.
CREATE TABLE account_directory_emails (
  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  email      TEXT NOT NULL,              -- lowercase
  PRIMARY KEY (account_id, email)
) WITHOUT ROWID;
CREATE INDEX account_directory_emails_email ON account_directory_emails(email);
