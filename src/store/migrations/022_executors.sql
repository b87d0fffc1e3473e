-- pult:foreign-keys-off
-- Pult schema, version 22: executors (issue 11). The users table is rebuilt
-- to admit the role 'executor' (SQLite cannot alter a CHECK); the migration
-- runner turns foreign keys off for this file and checks them before commit.
-- Then: executor profiles and specialities, buildings' coordinates, zones
-- (polygons) with their materialised buildings, who serves what, schedules
-- and their exceptions.

CREATE TABLE users_new (
  id            INTEGER PRIMARY KEY,
  login         TEXT NOT NULL UNIQUE COLLATE NOCASE,
  password_hash TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('admin', 'supervisor', 'operator', 'overflow', 'executor')),
  full_name     TEXT NOT NULL,
  mobile_number TEXT,               -- overflow staff and executors: their mobile
  created_at    TEXT NOT NULL,
  disabled_at   TEXT
);
INSERT INTO users_new (id, login, password_hash, role, full_name, mobile_number, created_at, disabled_at)
  SELECT id, login, password_hash, role, full_name, mobile_number, created_at, disabled_at FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;

-- The dictionary of trades: сантехник, электрик, лифтёр…
CREATE TABLE specialities (
  id   INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL
);
INSERT INTO specialities (code, name) VALUES
  ('plumber', 'сантехник'), ('electrician', 'электрик'), ('lift', 'лифтёр'), ('carpenter', 'плотник'),
  ('roofer', 'кровельщик'), ('janitor', 'дворник'), ('gas', 'газовщик'), ('general', 'разнорабочий');

-- Which trade a category of requests needs (null: any executor serving the building).
ALTER TABLE ticket_categories ADD COLUMN speciality_id INTEGER REFERENCES specialities(id) ON DELETE SET NULL;
UPDATE ticket_categories SET speciality_id = (SELECT id FROM specialities WHERE code = 'plumber') WHERE code IN ('water-leak', 'heating-leak', 'sewer-blockage', 'drainage');
UPDATE ticket_categories SET speciality_id = (SELECT id FROM specialities WHERE code = 'electrician') WHERE code IN ('power-outage');
UPDATE ticket_categories SET speciality_id = (SELECT id FROM specialities WHERE code = 'roofer') WHERE code IN ('roof-leak');
UPDATE ticket_categories SET speciality_id = (SELECT id FROM specialities WHERE code = 'janitor') WHERE code IN ('chute-blockage');
UPDATE ticket_categories SET speciality_id = (SELECT id FROM specialities WHERE code = 'carpenter') WHERE code IN ('window-glass', 'entrance-door');
UPDATE ticket_categories SET speciality_id = (SELECT id FROM specialities WHERE code = 'general') WHERE code IN ('plaster');

CREATE TABLE executor_profiles (
  user_id          INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  last_assigned_at TEXT                  -- tie-break of the automatic choice: longest since wins
);

CREATE TABLE executor_specialities (
  user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  speciality_id INTEGER NOT NULL REFERENCES specialities(id) ON DELETE CASCADE,
  PRIMARY KEY (user_id, speciality_id)
);

-- Coordinates (WGS84); null = unknown (such a building is in no zone).
ALTER TABLE buildings ADD COLUMN lat REAL;
ALTER TABLE buildings ADD COLUMN lon REAL;
CREATE INDEX buildings_geo ON buildings(tenant_id, lon, lat);

-- Buildings an executor serves by name.
CREATE TABLE executor_buildings (
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  building_id INTEGER NOT NULL REFERENCES buildings(id) ON DELETE CASCADE,
  PRIMARY KEY (building_id, user_id)
) WITHOUT ROWID;
CREATE INDEX executor_buildings_user ON executor_buildings(user_id);

-- Zones: polygons ([lon, lat] pairs, JSON) per company; they may overlap.
CREATE TABLE zones (
  id             INTEGER PRIMARY KEY,
  tenant_id      INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  city           TEXT NOT NULL DEFAULT '',
  name           TEXT NOT NULL,
  polygon        TEXT NOT NULL,
  responsible_id INTEGER REFERENCES users(id) ON DELETE SET NULL,  -- the dispatcher alarmed when nobody can be assigned
  min_lon REAL NOT NULL, min_lat REAL NOT NULL, max_lon REAL NOT NULL, max_lat REAL NOT NULL
);
CREATE INDEX zones_tenant ON zones(tenant_id, min_lon, max_lon);

-- Materialised when a zone or a building's coordinates change.
CREATE TABLE zone_buildings (
  zone_id     INTEGER NOT NULL REFERENCES zones(id) ON DELETE CASCADE,
  building_id INTEGER NOT NULL REFERENCES buildings(id) ON DELETE CASCADE,
  PRIMARY KEY (building_id, zone_id)
) WITHOUT ROWID;
CREATE INDEX zone_buildings_zone ON zone_buildings(zone_id);

CREATE TABLE executor_zones (
  zone_id INTEGER NOT NULL REFERENCES zones(id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  PRIMARY KEY (zone_id, user_id)
) WITHOUT ROWID;
CREATE INDEX executor_zones_user ON executor_zones(user_id);

-- Groups of executors (a brigade) sharing shifts.
CREATE TABLE executor_groups (
  id        INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  name      TEXT NOT NULL,
  UNIQUE (tenant_id, name)
);
CREATE TABLE executor_group_members (
  group_id INTEGER NOT NULL REFERENCES executor_groups(id) ON DELETE CASCADE,
  user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  PRIMARY KEY (group_id, user_id)
) WITHOUT ROWID;
CREATE INDEX executor_group_members_user ON executor_group_members(user_id);

-- Shifts of an executor or of a group: weekday mask (bit 0 = Monday … bit 6
-- = Sunday), local times in the company's time zone (to <= from: the shift
-- ends the next day), an optional zone (null: everywhere the executor
-- serves) and validity dates.
CREATE TABLE schedules (
  id         INTEGER PRIMARY KEY,
  user_id    INTEGER REFERENCES users(id) ON DELETE CASCADE,
  group_id   INTEGER REFERENCES executor_groups(id) ON DELETE CASCADE,
  zone_id    INTEGER REFERENCES zones(id) ON DELETE CASCADE,
  weekdays   INTEGER NOT NULL CHECK (weekdays BETWEEN 1 AND 127),
  from_time  TEXT NOT NULL,             -- HH:MM
  to_time    TEXT NOT NULL,             -- HH:MM
  valid_from TEXT,                      -- YYYY-MM-DD, inclusive
  valid_to   TEXT,                      -- YYYY-MM-DD, inclusive
  CHECK ((user_id IS NULL) <> (group_id IS NULL))
);
CREATE INDEX schedules_user ON schedules(user_id);
CREATE INDEX schedules_group ON schedules(group_id);

CREATE TABLE schedule_exceptions (
  id        INTEGER PRIMARY KEY,
  user_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind      TEXT NOT NULL CHECK (kind IN ('vacation', 'sick', 'other')),
  from_date TEXT NOT NULL,              -- YYYY-MM-DD, inclusive
  to_date   TEXT NOT NULL,              -- YYYY-MM-DD, inclusive
  note      TEXT
);
CREATE INDEX schedule_exceptions_user ON schedule_exceptions(user_id, from_date);

CREATE INDEX tickets_assignee_open ON tickets(assignee_id) WHERE status = 'open';
