DROP TRIGGER audit_log_no_truncate ON audit_log;
ALTER TABLE audit_log DROP COLUMN hash;
ALTER TABLE audit_log DROP COLUMN prev_hash;
