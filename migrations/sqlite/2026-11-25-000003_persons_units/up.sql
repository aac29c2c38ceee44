-- Special populations (sensitive: names, identity numbers and addresses are encrypted by
-- the server; only the masked identity number is stored in the clear) with visits, and
-- safety units with inspections and hazards.
CREATE TABLE visit_intervals (
    category TEXT NOT NULL,
    risk_level TEXT NOT NULL,
    days INTEGER NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (category, risk_level)
);

CREATE TABLE persons (
    id TEXT PRIMARY KEY NOT NULL,
    category TEXT NOT NULL,
    name_enc TEXT NOT NULL,
    id_number_enc TEXT NOT NULL,
    id_number_masked TEXT NOT NULL,
    address_enc TEXT NOT NULL,
    lon DOUBLE PRECISION NOT NULL,
    lat DOUBLE PRECISION NOT NULL,
    cell_code TEXT NOT NULL,
    risk_level TEXT NOT NULL,
    responsible_worker_id TEXT NOT NULL REFERENCES users (id),
    active BOOLEAN NOT NULL,
    last_visit_at TIMESTAMP,
    last_outcome TEXT,
    last_met_at TIMESTAMP,
    next_visit_due TIMESTAMP,
    version BIGINT NOT NULL,
    body_hash TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX persons_created ON persons (created_at, id);
CREATE INDEX persons_cell ON persons (cell_code);
CREATE INDEX persons_worker ON persons (responsible_worker_id);
CREATE INDEX persons_due ON persons (next_visit_due, id);
CREATE INDEX persons_updated ON persons (updated_at);

CREATE TABLE visits (
    id TEXT PRIMARY KEY NOT NULL,
    person_id TEXT NOT NULL REFERENCES persons (id),
    visitor_id TEXT NOT NULL REFERENCES users (id),
    visited_at TIMESTAMP NOT NULL,
    lon DOUBLE PRECISION NOT NULL,
    lat DOUBLE PRECISION NOT NULL,
    outcome TEXT NOT NULL,
    note TEXT NOT NULL,
    risk_level TEXT,
    distance_m DOUBLE PRECISION NOT NULL,
    far BOOLEAN NOT NULL,
    -- For the `met` visit that closed a due period: that period's due date, and whether the
    -- visit came in time (assessment figures).
    due_at TIMESTAMP,
    on_time BOOLEAN,
    body_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX visits_person ON visits (person_id, visited_at);
CREATE INDEX visits_visitor ON visits (visitor_id, visited_at);
CREATE INDEX visits_due ON visits (due_at);

CREATE TABLE safety_units (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    address TEXT NOT NULL,
    lon DOUBLE PRECISION NOT NULL,
    lat DOUBLE PRECISION NOT NULL,
    cell_code TEXT NOT NULL,
    certification TEXT NOT NULL,
    certified_at TIMESTAMP,
    certified_by TEXT REFERENCES users (id),
    last_inspected_at TIMESTAMP,
    open_hazards INTEGER NOT NULL,
    earliest_open_deadline TIMESTAMP,
    version BIGINT NOT NULL,
    body_hash TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX safety_units_created ON safety_units (created_at, id);
CREATE INDEX safety_units_cell ON safety_units (cell_code);
CREATE INDEX safety_units_updated ON safety_units (updated_at);

CREATE TABLE inspections (
    id TEXT PRIMARY KEY NOT NULL,
    unit_id TEXT NOT NULL REFERENCES safety_units (id),
    inspector_id TEXT NOT NULL REFERENCES users (id),
    inspected_at TIMESTAMP NOT NULL,
    lon DOUBLE PRECISION NOT NULL,
    lat DOUBLE PRECISION NOT NULL,
    result TEXT NOT NULL,
    note TEXT NOT NULL,
    body_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX inspections_unit ON inspections (unit_id, inspected_at);
CREATE INDEX inspections_inspector ON inspections (inspector_id, inspected_at);

CREATE TABLE hazards (
    id TEXT PRIMARY KEY NOT NULL,
    unit_id TEXT NOT NULL REFERENCES safety_units (id),
    inspection_id TEXT NOT NULL REFERENCES inspections (id),
    description TEXT NOT NULL,
    deadline TIMESTAMP NOT NULL,
    closed_at TIMESTAMP,
    closed_by TEXT REFERENCES inspections (id)
);
CREATE INDEX hazards_unit ON hazards (unit_id, closed_at);

INSERT INTO visit_intervals (category, risk_level, days, updated_at) VALUES
    ('community_correction', 'high', 7, CURRENT_TIMESTAMP),
    ('community_correction', 'medium', 14, CURRENT_TIMESTAMP),
    ('community_correction', 'low', 30, CURRENT_TIMESTAMP),
    ('released_prisoner', 'high', 7, CURRENT_TIMESTAMP),
    ('released_prisoner', 'medium', 14, CURRENT_TIMESTAMP),
    ('released_prisoner', 'low', 30, CURRENT_TIMESTAMP),
    ('drug_user', 'high', 7, CURRENT_TIMESTAMP),
    ('drug_user', 'medium', 14, CURRENT_TIMESTAMP),
    ('drug_user', 'low', 30, CURRENT_TIMESTAMP),
    ('severe_mental_disorder', 'high', 7, CURRENT_TIMESTAMP),
    ('severe_mental_disorder', 'medium', 14, CURRENT_TIMESTAMP),
    ('severe_mental_disorder', 'low', 30, CURRENT_TIMESTAMP),
    ('key_youth', 'high', 7, CURRENT_TIMESTAMP),
    ('key_youth', 'medium', 14, CURRENT_TIMESTAMP),
    ('key_youth', 'low', 30, CURRENT_TIMESTAMP),
    ('aids_risk', 'high', 7, CURRENT_TIMESTAMP),
    ('aids_risk', 'medium', 14, CURRENT_TIMESTAMP),
    ('aids_risk', 'low', 30, CURRENT_TIMESTAMP),
    ('cult', 'high', 7, CURRENT_TIMESTAMP),
    ('cult', 'medium', 14, CURRENT_TIMESTAMP),
    ('cult', 'low', 30, CURRENT_TIMESTAMP);
