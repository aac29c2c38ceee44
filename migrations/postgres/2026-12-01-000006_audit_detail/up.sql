-- What an audited action read or changed: how many records a bulk read returned, a user's
-- role and region before and after, the username a failed login tried.
ALTER TABLE audit_log ADD COLUMN detail TEXT;
