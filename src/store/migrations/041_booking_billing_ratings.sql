-- Pult schema, version 41 (issue 14, items 3, 8 and 9): online booking of a
-- visit, the billing link and push, and the cloud PBX's post-call rating.

-- ── online booking (seed 001) ──────────────────────────────────────────────
-- A planned category may need a visit to the flat; the resident then books a
-- time slot of `visit_minutes` among the free times of the executors serving
-- the building (src/domain/booking-slots.ts).
ALTER TABLE ticket_categories ADD COLUMN needs_visit INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ticket_categories ADD COLUMN visit_minutes INTEGER;

-- The 001 case: water meters installed or verified at an agreed time.
INSERT INTO ticket_categories (code, name, kind, deadline_minutes, source, speciality_id, position, needs_visit, visit_minutes)
  SELECT 'meter-install', 'Установка и поверка счётчиков воды', 'planned', NULL, NULL, (SELECT id FROM specialities WHERE code = 'plumber'), 100, 1, 60
  WHERE NOT EXISTS (SELECT 1 FROM ticket_categories WHERE code = 'meter-install');

-- A booked visit: one executor, one slot. The partial UNIQUE index is the
-- last word on a race: two bookings of one executor's slot cannot both be
-- active. A cancelled booking frees its slot (the row stays for history).
CREATE TABLE bookings (
  id           INTEGER PRIMARY KEY,
  tenant_id    INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  ticket_id    INTEGER REFERENCES tickets(id) ON DELETE CASCADE, -- null only while the request is being registered
  executor_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  building_id  INTEGER NOT NULL REFERENCES buildings(id) ON DELETE CASCADE,
  category_id  INTEGER NOT NULL REFERENCES ticket_categories(id),
  start_at     TEXT NOT NULL,               -- ISO UTC
  end_at       TEXT NOT NULL,               -- ISO UTC
  status       TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'cancelled')),
  created_at   TEXT NOT NULL,
  cancelled_at TEXT,
  cancelled_by INTEGER REFERENCES users(id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX bookings_executor_slot ON bookings(executor_id, start_at) WHERE status = 'active';
CREATE INDEX bookings_executor_time ON bookings(executor_id, end_at) WHERE status = 'active';
CREATE INDEX bookings_ticket ON bookings(ticket_id);
CREATE UNIQUE INDEX bookings_ticket_active ON bookings(ticket_id) WHERE status = 'active' AND ticket_id IS NOT NULL;

-- A request cancelled (or closed without the visit having started) frees its slot.
CREATE TRIGGER bookings_free_on_close AFTER UPDATE OF status ON tickets
  WHEN new.status = 'closed' AND old.status <> 'closed' BEGIN
  UPDATE bookings SET status = 'cancelled', cancelled_at = new.closed_at, cancelled_by = new.closed_by
    WHERE ticket_id = new.id AND status = 'active' AND start_at > new.closed_at;
END;

-- ── billing (seed 002) ─────────────────────────────────────────────────────
-- Per company: the URL template opening an account in the billing system
-- ({account} filled in by the server) and the URL closed requests are pushed to.
ALTER TABLE tenants ADD COLUMN billing_url_template TEXT;
ALTER TABLE tenants ADD COLUMN billing_push_url TEXT;

-- Closed requests waiting to reach billing. Written by the trigger below in
-- the very transaction that closes the request, so a push is never lost; a
-- job delivers it with retries and exponential backoff.
CREATE TABLE billing_outbox (
  id           INTEGER PRIMARY KEY,
  tenant_id    INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  ticket_id    INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  url          TEXT NOT NULL,               -- the company's push URL when the request closed
  body         TEXT NOT NULL,               -- the JSON sent, fixed at closing time (what is signed)
  state        TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
  attempts     INTEGER NOT NULL DEFAULT 0,
  next_at      TEXT NOT NULL,               -- ISO UTC of the next attempt
  last_status  INTEGER,                     -- the receiver's last HTTP status (null: no answer)
  last_error   TEXT,
  created_at   TEXT NOT NULL,
  delivered_at TEXT
);
CREATE INDEX billing_outbox_due ON billing_outbox(next_at) WHERE state = 'pending';
CREATE INDEX billing_outbox_failed ON billing_outbox(tenant_id, id) WHERE state = 'failed';

CREATE TRIGGER billing_outbox_on_close AFTER UPDATE OF status ON tickets
  WHEN new.status = 'closed' AND old.status <> 'closed'
   AND (SELECT billing_push_url FROM tenants WHERE id = new.tenant_id) IS NOT NULL BEGIN
  INSERT INTO billing_outbox (tenant_id, ticket_id, url, body, next_at, created_at)
  SELECT new.tenant_id, new.id, tn.billing_push_url,
    json_object(
      'event', 'request.closed',
      'requestId', new.id,
      'number', new.number,
      'tenantId', new.tenant_id,
      'kind', new.kind,
      'category', (SELECT code FROM ticket_categories WHERE id = new.category_id),
      'account', (SELECT account_number FROM accounts WHERE id = new.account_id),
      'address', new.address,
      'flat', new.flat,
      'description', new.description,
      'stage', new.stage_code,
      'result', new.result,
      'reason', new.reason,
      'executor', (SELECT full_name FROM users WHERE id = new.assignee_id),
      'createdAt', new.created_at,
      'doneAt', new.done_at,
      'closedAt', new.closed_at),
    coalesce(new.closed_at, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')), coalesce(new.closed_at, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
  FROM tenants tn WHERE tn.id = new.tenant_id;
END;

-- ── the cloud PBX's post-call rating (item 8) ──────────────────────────────
-- Keyed by the call's channel key `ext:<vendor>:<account>:<call id>` (the one
-- calls.caller_channel_id carries), so a rating that arrives before the call's
-- other events still lands on it, and a company's PBX account can only ever
-- rate its own calls (the key holds the verified account).
CREATE TABLE call_ratings (
  channel_key TEXT PRIMARY KEY,
  vpbx_account_id INTEGER NOT NULL REFERENCES vpbx_accounts(id) ON DELETE CASCADE,
  tenant_id   INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  score       INTEGER NOT NULL CHECK (score BETWEEN 1 AND 10),
  agent       TEXT,                         -- the PBX's login / extension of the rated employee
  received_at TEXT NOT NULL
);
CREATE INDEX call_ratings_tenant ON call_ratings(tenant_id, received_at);
