-- The audit log as a hash chain: each entry keeps the SHA-256 of the entry before it and of
-- its own content with that (`gridwork audit verify` walks it). Entries written before this
-- migration have neither and come before the chain.
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;
