-- The scope epoch: raised whenever what a user may see changes (role, region, activation,
-- cell assignments); a sync cursor of an older epoch makes the phone start again from nothing.
ALTER TABLE users ADD COLUMN scope_epoch BIGINT NOT NULL DEFAULT 0;
-- A change that took a record away from someone (an incident's previous assignee, a
-- person's previous responsible worker) names them, so their next pull forgets it; nobody
-- else is told of a record it never could see.
ALTER TABLE change_log ADD COLUMN party TEXT;
