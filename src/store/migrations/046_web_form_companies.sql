-- Pult schema, version 46 (issue 14, channels' loose ends): which companies
-- take requests through the residents' web form. Only these are listed on
-- /r/ and open their form (and its online booking); any other company's
-- form is a 404. A company without a row has the form on (every management
-- company's residents may write); the admin switches it off (or on again) on
-- /admin/ («Компании»), which writes a row.
CREATE TABLE tenant_web_form (
  tenant_id  INTEGER PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
  enabled    INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  updated_at TEXT NOT NULL
);
