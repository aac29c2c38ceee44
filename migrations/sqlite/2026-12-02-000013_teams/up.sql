-- Co-governance (群防群治): volunteer teams of a town or community with a zone of cells,
-- their members and leader, and the patrols they record.
--
-- Points are never stored: they are counted from the records each time (a member's
-- accepted reports and the patrols it took part in), so they cannot drift.
CREATE TABLE teams (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    leader_id TEXT REFERENCES users (id),
    active BOOLEAN NOT NULL,
    version BIGINT NOT NULL,
    body_hash TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX teams_created ON teams (created_at, id);
CREATE INDEX teams_region ON teams (region_code);

-- The zone: cells by code (a re-imported cell keeps its code, so the zone follows it).
CREATE TABLE team_cells (
    team_id TEXT NOT NULL REFERENCES teams (id),
    cell_code TEXT NOT NULL,
    PRIMARY KEY (team_id, cell_code)
);
CREATE INDEX team_cells_cell ON team_cells (cell_code);

-- The current members. `team_active` mirrors the team's `active`, so that one index holds
-- the rule "a volunteer is in at most one active team" against any interleaving of writes.
CREATE TABLE team_members (
    team_id TEXT NOT NULL REFERENCES teams (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    joined_at TIMESTAMP NOT NULL,
    team_active BOOLEAN NOT NULL,
    PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_members_user ON team_members (user_id);
CREATE UNIQUE INDEX team_members_one_active ON team_members (user_id) WHERE team_active;

-- A patrol is never edited: `duration_s` is its length, kept with it for the sums.
CREATE TABLE patrols (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT NOT NULL REFERENCES teams (id),
    started_at TIMESTAMP NOT NULL,
    ended_at TIMESTAMP NOT NULL,
    duration_s INTEGER NOT NULL,
    route TEXT,
    note TEXT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES users (id),
    body_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX patrols_created ON patrols (created_at, id);
CREATE INDEX patrols_team ON patrols (team_id, started_at);
CREATE INDEX patrols_started ON patrols (started_at);

CREATE TABLE patrol_members (
    patrol_id TEXT NOT NULL REFERENCES patrols (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    PRIMARY KEY (patrol_id, user_id)
);
CREATE INDEX patrol_members_user ON patrol_members (user_id);
