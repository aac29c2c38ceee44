-- Self-governance and moral governance: the deliberation hall (议事厅) — items, their
-- sessions with attendance and votes, and their history — and the yearly selections
-- (德治评选) — campaigns and nominations.
--
-- `deliberations.status` and `done_at` are what performance records count
-- (`deliberations_done` per town: region_code's first 9 digits).
CREATE TABLE deliberations (
    id TEXT PRIMARY KEY NOT NULL,
    region_code TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    source_incident_id TEXT REFERENCES incidents (id),
    status TEXT NOT NULL,
    decision TEXT,
    outcome TEXT,
    raised_by TEXT NOT NULL REFERENCES users (id),
    version BIGINT NOT NULL,
    body_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    done_at TIMESTAMP
);
CREATE INDEX deliberations_created ON deliberations (created_at, id);
CREATE INDEX deliberations_region ON deliberations (region_code, created_at, id);
CREATE INDEX deliberations_done ON deliberations (status, done_at);
CREATE INDEX deliberations_raised_by ON deliberations (raised_by);

CREATE TABLE deliberation_sessions (
    id TEXT PRIMARY KEY NOT NULL,
    deliberation_id TEXT NOT NULL REFERENCES deliberations (id),
    held_at TIMESTAMP NOT NULL,
    place TEXT NOT NULL,
    attendees BIGINT NOT NULL,
    votes_for BIGINT NOT NULL,
    votes_against BIGINT NOT NULL,
    votes_abstain BIGINT NOT NULL,
    passed BOOLEAN NOT NULL,
    minutes TEXT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES users (id),
    body_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX deliberation_sessions_item ON deliberation_sessions (deliberation_id, held_at, id);

CREATE TABLE deliberation_history (
    id TEXT PRIMARY KEY NOT NULL,
    deliberation_id TEXT NOT NULL REFERENCES deliberations (id),
    at TIMESTAMP NOT NULL,
    actor_id TEXT REFERENCES users (id),
    action TEXT NOT NULL,
    from_state TEXT,
    to_state TEXT,
    note TEXT
);
CREATE INDEX deliberation_history_item ON deliberation_history (deliberation_id, at, id);

CREATE TABLE campaigns (
    id TEXT PRIMARY KEY NOT NULL,
    award TEXT NOT NULL,
    level TEXT NOT NULL,
    region_code TEXT NOT NULL,
    year INTEGER NOT NULL,
    quota INTEGER NOT NULL,
    selected INTEGER NOT NULL,
    nominations_close TIMESTAMP NOT NULL,
    status TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    version BIGINT NOT NULL,
    body_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX campaigns_created ON campaigns (created_at, id);
CREATE INDEX campaigns_region ON campaigns (region_code, year);

CREATE TABLE nominations (
    id TEXT PRIMARY KEY NOT NULL,
    campaign_id TEXT NOT NULL REFERENCES campaigns (id),
    nominee_name TEXT NOT NULL,
    nominee_region_code TEXT NOT NULL,
    story TEXT NOT NULL,
    status TEXT NOT NULL,
    nominated_by TEXT NOT NULL REFERENCES users (id),
    version BIGINT NOT NULL,
    body_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX nominations_campaign ON nominations (campaign_id, created_at, id);
CREATE INDEX nominations_status ON nominations (status, campaign_id);
