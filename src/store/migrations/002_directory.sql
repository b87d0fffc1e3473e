-- Pult schema, version 2: the directory of management companies' buildings,
-- billing accounts (лицевые счета) and their phones.
--
-- Search is prefix search over B-tree indexes on normalised keys
-- (lowercase, ё → е, no punctuation): `key >= :p AND key < :p || U+FFFF`,
-- read in index order and stopped at the LIMIT, so a query touches only the
-- rows it returns. See src/features/directory/keys.ts for how keys are built.

CREATE TABLE buildings (
  id          INTEGER PRIMARY KEY,
  tenant_id   INTEGER NOT NULL REFERENCES tenants(id),
  fias_id     TEXT,                     -- ФИАС / ГАР house GUID when the billing export has it
  city        TEXT NOT NULL DEFAULT '',
  street      TEXT NOT NULL,            -- as written in the source, e.g. «ул. Ленина»
  house       TEXT NOT NULL,            -- «5», «12А», «7/2»
  block       TEXT,                     -- корпус / строение
  address     TEXT NOT NULL,            -- shown to operators: «ул. Ленина, д. 5, корп. 2»
  street_key  TEXT NOT NULL,            -- «ленина» (type words such as «ул.» removed)
  house_key   TEXT NOT NULL,            -- «5к2»: house and block, lowercase, no spaces
  house_num   INTEGER NOT NULL,         -- leading digits of the house, for natural order
  addr_key    TEXT NOT NULL             -- identity of the building within its tenant: city|street|house
);
CREATE UNIQUE INDEX buildings_identity ON buildings(tenant_id, addr_key);
CREATE INDEX buildings_street ON buildings(street_key, house_num, house_key);
CREATE INDEX buildings_fias ON buildings(fias_id) WHERE fias_id IS NOT NULL;

CREATE TABLE accounts (
  id             INTEGER PRIMARY KEY,
  account_number TEXT NOT NULL UNIQUE,
  holder_name    TEXT NOT NULL,
  building_id    INTEGER NOT NULL REFERENCES buildings(id),
  tenant_id      INTEGER NOT NULL REFERENCES tenants(id), -- = the building's tenant (denormalised for scoped search)
  flat           TEXT,
  status         TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'closed')),
  updated_at     TEXT NOT NULL,
  name_key       TEXT NOT NULL,         -- «иванова анна петровна»: lowercase, ё → е
  flat_key       TEXT NOT NULL DEFAULT '', -- «12а»
  flat_num       INTEGER NOT NULL DEFAULT 0, -- leading digits of the flat, for natural order
  import_hash    TEXT                   -- hash of the last imported source row: re-import of the same row is a no-op
);
CREATE INDEX accounts_tenant_number ON accounts(tenant_id, account_number);
CREATE INDEX accounts_name ON accounts(name_key, account_number);
CREATE INDEX accounts_tenant_name ON accounts(tenant_id, name_key, account_number);
CREATE INDEX accounts_building ON accounts(building_id, flat_num, flat_key, account_number);

CREATE TABLE account_phones (
  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  phone      TEXT NOT NULL,             -- digits, Russian numbers as 7XXXXXXXXXX
  phone_rev  TEXT NOT NULL,             -- the digits reversed: search by the last digits
  PRIMARY KEY (account_id, phone)
) WITHOUT ROWID;
CREATE INDEX account_phones_phone ON account_phones(phone);
CREATE INDEX account_phones_rev ON account_phones(phone_rev);
