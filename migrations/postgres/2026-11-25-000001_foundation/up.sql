-- Foundation: regions, users, auth, cells, assignments, audit. Times are naive UTC.
CREATE TABLE regions (
    code TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('district', 'town', 'community')),
    parent_code TEXT REFERENCES regions (code),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX regions_parent ON regions (parent_code);

CREATE TABLE users (
    id TEXT PRIMARY KEY NOT NULL,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'supervisor', 'worker', 'volunteer')),
    region_code TEXT NOT NULL,
    display_name TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX users_region ON users (region_code);
CREATE INDEX users_created ON users (created_at, id);

CREATE TABLE refresh_tokens (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    chain_id TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    spent_at TIMESTAMP,
    revoked_at TIMESTAMP
);
CREATE INDEX refresh_tokens_chain ON refresh_tokens (chain_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

CREATE TABLE login_attempts (
    id TEXT PRIMARY KEY NOT NULL,
    username TEXT NOT NULL,
    ip TEXT NOT NULL,
    at TIMESTAMP NOT NULL,
    success BOOLEAN NOT NULL
);
CREATE INDEX login_attempts_username ON login_attempts (username, at);
CREATE INDEX login_attempts_ip ON login_attempts (ip, at);

CREATE TABLE cells (
    id TEXT PRIMARY KEY NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    community_code TEXT NOT NULL REFERENCES regions (code),
    geometry TEXT NOT NULL,
    min_lon DOUBLE PRECISION NOT NULL,
    min_lat DOUBLE PRECISION NOT NULL,
    max_lon DOUBLE PRECISION NOT NULL,
    max_lat DOUBLE PRECISION NOT NULL,
    valid_from TIMESTAMP NOT NULL,
    valid_to TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX cells_live_code ON cells (code) WHERE valid_to IS NULL;
CREATE INDEX cells_code ON cells (code, valid_from);
CREATE INDEX cells_community ON cells (community_code);
CREATE INDEX cells_bbox ON cells (min_lon, max_lon, min_lat, max_lat);

CREATE TABLE cell_workers (
    cell_code TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    assigned_at TIMESTAMP NOT NULL,
    PRIMARY KEY (cell_code, user_id)
);
CREATE INDEX cell_workers_user ON cell_workers (user_id);

-- One row: bumped by every change of the live grid, so every server process sharing the
-- database notices and rebuilds its in-memory index.
CREATE TABLE grid_state (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO grid_state (id, version) VALUES (1, 1);

CREATE TABLE audit_log (
    seq BIGSERIAL PRIMARY KEY,
    at TIMESTAMP NOT NULL,
    actor_id TEXT,
    action TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    outcome TEXT NOT NULL,
    ip TEXT
);
CREATE INDEX audit_actor ON audit_log (actor_id, seq);
CREATE INDEX audit_entity ON audit_log (entity_type, entity_id, seq);
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'audit_log is append-only'; END; $$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
