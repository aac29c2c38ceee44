-- The working calendar's exceptions set by an admin: public holidays (no working time) and
-- make-up working days (调休), as local dates 'YYYY-MM-DD'.
CREATE TABLE calendar_days (
    day TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday'))
);
