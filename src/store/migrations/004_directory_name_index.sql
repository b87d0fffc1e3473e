-- Directory: one name index instead of two. tenant_id as the last column lets
-- a search scoped to some management companies filter inside the index while
-- reading it in name order, so accounts_tenant_name is not needed (and each
-- import no longer pays for a second randomly-ordered index).
DROP INDEX IF EXISTS accounts_tenant_name;
DROP INDEX IF EXISTS accounts_name;
CREATE INDEX accounts_name ON accounts(name_key, account_number, tenant_id);
