-- Pult schema, version 3: requests (заявки), minimal — enough for the card
-- to show open requests and for an operator to register one from a call.
-- Pipelines, executors and journals come later and extend these tables.

-- Categories with their regulation deadlines (defaults; a region may set stricter ones).
CREATE TABLE ticket_categories (
  id               INTEGER PRIMARY KEY,
  code             TEXT NOT NULL UNIQUE,
  name             TEXT NOT NULL,
  kind             TEXT NOT NULL CHECK (kind IN ('emergency', 'planned')),
  deadline_minutes INTEGER,             -- null = no fixed deadline
  source           TEXT,                -- the regulation the default comes from
  active           INTEGER NOT NULL DEFAULT 1
);

-- A caller with no number, or who refused to give their data: «Аноним № N».
CREATE TABLE anonymous_callers (
  id         INTEGER PRIMARY KEY,       -- N in «Аноним № N»
  call_id    TEXT UNIQUE REFERENCES calls(id),
  created_at TEXT NOT NULL
);

CREATE TABLE tickets (
  id                  INTEGER PRIMARY KEY,
  number              TEXT NOT NULL,            -- per company and year: 2026-000123
  tenant_id           INTEGER NOT NULL REFERENCES tenants(id),
  kind                TEXT NOT NULL CHECK (kind IN ('emergency', 'planned')),
  category_id         INTEGER NOT NULL REFERENCES ticket_categories(id),
  description         TEXT NOT NULL,
  account_id          INTEGER REFERENCES accounts(id),
  building_id         INTEGER REFERENCES buildings(id),
  flat                TEXT,
  address             TEXT NOT NULL,            -- as registered (the journal's "exact address")
  caller_name         TEXT,
  caller_phone        TEXT,
  anonymous_caller_id INTEGER REFERENCES anonymous_callers(id),
  status              TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  created_by          INTEGER NOT NULL REFERENCES users(id),
  created_at          TEXT NOT NULL,
  due_at              TEXT,                     -- from the category's deadline
  closed_at           TEXT,
  closed_by           INTEGER REFERENCES users(id),
  UNIQUE (tenant_id, number)
);
CREATE INDEX tickets_account ON tickets(account_id, status);
CREATE INDEX tickets_building ON tickets(building_id, status);
CREATE INDEX tickets_tenant_created ON tickets(tenant_id, created_at);

CREATE TABLE ticket_calls (
  ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  call_id   TEXT NOT NULL REFERENCES calls(id),
  PRIMARY KEY (ticket_id, call_id)
);
CREATE INDEX ticket_calls_call ON ticket_calls(call_id);

CREATE INDEX calls_caller ON calls(caller_number, arrived_at);

-- Regulation defaults (domain notes: decrees 416, 354, 170).
INSERT INTO ticket_categories (code, name, kind, deadline_minutes, source) VALUES
  ('water-leak',      'Авария на внутридомовых сетях водоснабжения (локализация)', 'emergency', 30, 'ПП РФ № 416 п.13'),
  ('heating-leak',    'Авария на внутридомовых сетях отопления (локализация)',     'emergency', 30, 'ПП РФ № 416 п.13'),
  ('power-outage',    'Авария на внутридомовых электросетях (локализация)',        'emergency', 30, 'ПП РФ № 416 п.13'),
  ('sewer-blockage',  'Засор канализации',                                          'emergency', 120, 'ПП РФ № 416'),
  ('chute-blockage',  'Засор мусоропровода (08:00–23:00)',                           'emergency', 120, 'ПП РФ № 416'),
  ('roof-leak',       'Протечка кровли (в одном месте)',                             'planned', 1440, 'Госстрой № 170, прил. 2'),
  ('drainage',        'Неисправность водостока',                                     'planned', 7200, 'Госстрой № 170, прил. 2'),
  ('window-glass',    'Разбитое стекло в подъезде',                                  'planned', 1440, 'Госстрой № 170 (зимой 1 сут., летом 3 сут.)'),
  ('entrance-door',   'Неисправность входной двери',                                 'planned', 1440, 'Госстрой № 170'),
  ('plaster',         'Угроза обрушения штукатурки',                                 'emergency', 7200, 'Госстрой № 170 (немедленные меры, устранение 5 сут.)'),
  ('other-emergency', 'Прочая аварийная заявка',                                     'emergency', NULL, NULL),
  ('other-planned',   'Прочая плановая заявка',                                      'planned', NULL, NULL);
