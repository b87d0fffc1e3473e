-- Pult schema, version 46 (issue 14, channels' loose ends): which companies
-- take requests through the residents' web form. Only these are listed on
-- /r/ and open their form (and its online booking); any other company's
-- form is a 404. A company without a row has the form off; the admin turns
-- it on on /admin/ («Компании»), the demo data turns it on for its companies.
CREATE TABLE tenant_web_form (
  tenant_id  INTEGER PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
  enabled    INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  updated_at TEXT NOT NULL
);

-- Companies that already took requests by the form keep it.
INSERT INTO tenant_web_form (tenant_id, enabled, updated_at)
  SELECT DISTINCT tenant_id, 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM tickets WHERE channel = 'web';
