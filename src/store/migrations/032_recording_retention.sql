-- Recording retention per management company (issue 13, item 6): a company's
-- call recordings older than this many days are deleted from disk by the
-- nightly retention job; NULL keeps them forever (the default).
ALTER TABLE tenants ADD COLUMN recording_retention_days INTEGER CHECK (recording_retention_days IS NULL OR recording_retention_days BETWEEN 1 AND 36500);
-- A recording whose file retention deleted: state 'failed', file_path NULL, and when.
ALTER TABLE recordings ADD COLUMN purged_at TEXT;
