ALTER TABLE change_log DROP COLUMN party;
ALTER TABLE users DROP COLUMN scope_epoch;
