-- Pult schema, version 36: SIP trunks configured in Pult (issue 13, item 2).
-- Each trunk is pushed to Asterisk over ARI dynamic configuration as
-- res_pjsip objects named trunk-<id> (endpoint, aor, and: identify for an
-- IP-identified trunk; auth + registration for a registering one).
-- The password is kept because Asterisk needs it; it is never returned by
-- the API nor written to the audit log.
CREATE TABLE sip_trunks (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL UNIQUE,
  mode          TEXT NOT NULL CHECK (mode IN ('ip', 'register')),
  host          TEXT NOT NULL,
  port          INTEGER NOT NULL DEFAULT 5060,
  transport     TEXT NOT NULL DEFAULT 'udp' CHECK (transport IN ('udp', 'tcp', 'tls')),
  codecs        TEXT NOT NULL DEFAULT 'alaw,ulaw',   -- comma list, in order of preference
  username      TEXT,                                -- register mode: the login
  password      TEXT,                                -- register mode
  auth_username TEXT,                                -- when the digest user differs from the login
  realm         TEXT,
  caller_id     TEXT,                                -- default number shown on outbound calls
  did_source    TEXT NOT NULL DEFAULT 'ruri' CHECK (did_source IN ('ruri', 'to', 'diversion')),
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
);

-- A line's outbound calls leave through its trunk (null: the PBX's default
-- trunk from pjsip.conf) and show this caller id (null: the trunk's).
ALTER TABLE lines ADD COLUMN trunk_id INTEGER REFERENCES sip_trunks(id);
ALTER TABLE lines ADD COLUMN outbound_caller_id TEXT;
