-- Offline sync: a change log whose sequence follows commit order, and the field
-- operations already applied (so a replayed push changes nothing).
CREATE TABLE sync_state (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    seq BIGINT NOT NULL
);
INSERT INTO sync_state (id, seq) VALUES (1, 0);

CREATE TABLE change_log (
    id TEXT PRIMARY KEY NOT NULL,
    seq BIGINT NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    cell_code TEXT NOT NULL,
    at TIMESTAMP NOT NULL
);
CREATE INDEX change_log_seq ON change_log (seq, id);
CREATE INDEX change_log_entity ON change_log (entity_type, entity_id);

CREATE TABLE sync_ops (
    op_id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    op_type TEXT NOT NULL,
    body_hash TEXT NOT NULL,
    conflict BOOLEAN NOT NULL,
    applied_at TIMESTAMP NOT NULL
);

CREATE INDEX incidents_status_cell ON incidents (status, cell_code);
CREATE INDEX persons_cell_due ON persons (cell_code, next_visit_due);
