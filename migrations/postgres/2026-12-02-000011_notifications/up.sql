-- Notifications: what tells a user of work that came to it. `event_key` names the event
-- that made one (an incident's history entry; a person's or unit's due day), so one
-- event never makes two notifications for one user, however many processes see it.
CREATE TABLE notifications (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    at TIMESTAMP NOT NULL,
    kind TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    title TEXT NOT NULL,
    read BOOLEAN NOT NULL DEFAULT FALSE,
    event_key TEXT NOT NULL,
    UNIQUE (user_id, event_key)
);
CREATE INDEX notifications_by_user ON notifications (user_id, id);
