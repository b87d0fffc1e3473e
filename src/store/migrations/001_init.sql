-- Pult schema, version 1: people, lines, calls, recordings, callback tasks.
-- Times are stored as ISO-8601 UTC text (sortable, readable in sqlite3).

CREATE TABLE tenants (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE
);

CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  login         TEXT NOT NULL UNIQUE COLLATE NOCASE,
  password_hash TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('admin', 'supervisor', 'operator', 'overflow')),
  full_name     TEXT NOT NULL,
  mobile_number TEXT,               -- overflow staff: the number their calls come to
  created_at    TEXT NOT NULL
);

-- Which management companies a user works for (admins see all).
CREATE TABLE user_tenants (
  user_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  PRIMARY KEY (user_id, tenant_id)
);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,      -- sha256 of the bearer token; the token itself is never stored
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);

-- An operator's softphone or desk phone and their presence in the room.
CREATE TABLE operators (
  user_id        INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  extension      TEXT NOT NULL UNIQUE,   -- the PJSIP endpoint id, e.g. 1001
  sip_password   TEXT NOT NULL,
  device_kind    TEXT NOT NULL CHECK (device_kind IN ('webrtc', 'sip')),
  static_contact TEXT,                   -- desk phone at a fixed address (no registration)
  presence       TEXT NOT NULL DEFAULT 'offline' CHECK (presence IN ('offline', 'available', 'paused')),
  pause_reason   TEXT,
  activity       TEXT NOT NULL DEFAULT 'idle' CHECK (activity IN ('idle', 'ringing', 'oncall', 'wrapup')),
  activity_call_id TEXT,
  state_since    TEXT NOT NULL,          -- when the effective state last changed
  idle_since     TEXT NOT NULL,          -- for longest-idle routing
  wrapup_until   TEXT
);

CREATE TABLE overflow_groups (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL,
  mode        TEXT NOT NULL CHECK (mode IN ('sequential', 'simultaneous')),
  timeout_sec INTEGER NOT NULL CHECK (timeout_sec > 0)
);

CREATE TABLE overflow_members (
  group_id  INTEGER NOT NULL REFERENCES overflow_groups(id) ON DELETE CASCADE,
  position  INTEGER NOT NULL,
  number    TEXT NOT NULL,
  user_id   INTEGER REFERENCES users(id) ON DELETE SET NULL,
  PRIMARY KEY (group_id, position)
);

CREATE TABLE lines (
  id                 INTEGER PRIMARY KEY,
  name               TEXT NOT NULL,
  tenant_id          INTEGER REFERENCES tenants(id),
  ring_timeout_sec   INTEGER NOT NULL,
  overflow_after_sec INTEGER NOT NULL,
  overflow_group_id  INTEGER REFERENCES overflow_groups(id),
  max_wait_sec       INTEGER NOT NULL DEFAULT 300,
  sl_threshold_sec   INTEGER NOT NULL DEFAULT 20,
  wait_treatment     TEXT NOT NULL DEFAULT 'ringback' CHECK (wait_treatment IN ('ringback', 'moh')),
  working_hours      TEXT,               -- JSON, null = around the clock
  is_default         INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE line_dids (
  did     TEXT PRIMARY KEY,
  line_id INTEGER NOT NULL REFERENCES lines(id) ON DELETE CASCADE
);

CREATE TABLE calls (
  id                 TEXT PRIMARY KEY,
  line_id            INTEGER REFERENCES lines(id),
  did                TEXT NOT NULL,
  caller_number      TEXT NOT NULL,
  caller_name        TEXT,
  caller_channel_id  TEXT NOT NULL UNIQUE,
  bridge_id          TEXT,
  state              TEXT NOT NULL CHECK (state IN ('waiting', 'overflow', 'connected', 'ended')),
  arrived_at         TEXT NOT NULL,
  overflow_at        TEXT,
  overflow_reason    TEXT,
  answered_at        TEXT,
  ended_at           TEXT,
  outcome            TEXT CHECK (outcome IN ('answered', 'overflowed-answered', 'abandoned', 'unanswered')),
  end_reason         TEXT,
  answered_by        INTEGER REFERENCES users(id),
  answered_via       TEXT CHECK (answered_via IN ('console', 'mobile')),
  answered_channel_id TEXT,
  answered_number    TEXT,
  wait_sec           REAL,
  talk_sec           REAL
);
CREATE INDEX calls_arrived ON calls(arrived_at);
CREATE INDEX calls_open ON calls(state) WHERE state <> 'ended';

-- Every attempt to put a call through: to an operator's phone or a mobile.
CREATE TABLE call_offers (
  id          INTEGER PRIMARY KEY,
  call_id     TEXT NOT NULL REFERENCES calls(id),
  channel_id  TEXT NOT NULL UNIQUE,
  target_kind TEXT NOT NULL CHECK (target_kind IN ('operator', 'mobile')),
  user_id     INTEGER REFERENCES users(id),
  target      TEXT NOT NULL,              -- endpoint or number dialled
  offered_at  TEXT NOT NULL,
  ended_at    TEXT,
  result      TEXT                        -- answered | noanswer | busy | failed | cancelled | lost
);
CREATE INDEX call_offers_call ON call_offers(call_id);

CREATE TABLE recordings (
  id           INTEGER PRIMARY KEY,
  call_id      TEXT NOT NULL UNIQUE REFERENCES calls(id),
  pbx_name     TEXT NOT NULL,             -- the name Asterisk stored it under
  format       TEXT NOT NULL,
  state        TEXT NOT NULL CHECK (state IN ('recording', 'stored', 'failed')),
  file_path    TEXT,
  size_bytes   INTEGER,
  duration_sec REAL,
  error        TEXT,
  started_at   TEXT NOT NULL,
  stored_at    TEXT
);

CREATE TABLE callback_tasks (
  id            INTEGER PRIMARY KEY,
  call_id       TEXT NOT NULL UNIQUE REFERENCES calls(id),
  caller_number TEXT NOT NULL,
  line_id       INTEGER REFERENCES lines(id),
  reason        TEXT NOT NULL CHECK (reason IN ('abandoned', 'unanswered')),
  created_at    TEXT NOT NULL,
  status        TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'assigned', 'done')),
  assigned_to   INTEGER REFERENCES users(id),
  done_at       TEXT
);
