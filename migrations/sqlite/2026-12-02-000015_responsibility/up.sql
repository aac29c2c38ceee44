-- The district's departments (区级部门) and their staff, dispatch to a department, the
-- responsibility tasks decomposed to departments and towns with their progress reports and
-- scores, and the frozen performance records (实绩档案).
CREATE TABLE departments (
    id TEXT PRIMARY KEY NOT NULL,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    body_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

ALTER TABLE users ADD COLUMN department_id TEXT REFERENCES departments (id);
CREATE INDEX users_department ON users (department_id);

-- The department an incident is dispatched to (its assignee is then none).
ALTER TABLE incidents ADD COLUMN department_id TEXT REFERENCES departments (id);
CREATE INDEX incidents_department ON incidents (department_id, id);
-- The steps of one kind in a time window (a department's dispatches in a period).
CREATE INDEX incident_history_action_at ON incident_history (action, at);

CREATE TABLE tasks (
    id TEXT PRIMARY KEY NOT NULL,
    code TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    year INTEGER NOT NULL,
    indicator TEXT NOT NULL,
    -- A local date 'YYYY-MM-DD'.
    due_date TEXT NOT NULL,
    weight DOUBLE PRECISION NOT NULL,
    body_hash TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX tasks_year ON tasks (year, code);

-- A responsible unit of a task: a department (`unit` is its id) or a town (`unit` is its
-- 9-digit region code).
CREATE TABLE task_units (
    task_id TEXT NOT NULL REFERENCES tasks (id),
    unit TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('department', 'region')),
    duty TEXT NOT NULL CHECK (duty IN ('territorial', 'functional')),
    target DOUBLE PRECISION NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (task_id, unit)
);
CREATE INDEX task_units_unit ON task_units (unit, task_id);

-- Progress reports: cumulative values, never edited.
CREATE TABLE task_progress (
    id TEXT PRIMARY KEY NOT NULL,
    task_id TEXT NOT NULL REFERENCES tasks (id),
    unit TEXT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    note TEXT NOT NULL,
    reported_at TIMESTAMP NOT NULL,
    reporter_id TEXT NOT NULL REFERENCES users (id),
    body_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX task_progress_unit ON task_progress (task_id, unit, reported_at);

-- A unit's score of a task for a period ('YYYY' or 'YYYY-MM').
CREATE TABLE task_scores (
    task_id TEXT NOT NULL REFERENCES tasks (id),
    period TEXT NOT NULL,
    unit TEXT NOT NULL,
    score DOUBLE PRECISION NOT NULL,
    note TEXT NOT NULL,
    scored_by TEXT NOT NULL REFERENCES users (id),
    scored_at TIMESTAMP NOT NULL,
    PRIMARY KEY (task_id, period, unit)
);
CREATE INDEX task_scores_period ON task_scores (period, unit);

-- Frozen performance records: the document as served, byte for byte, and its SHA-256.
CREATE TABLE performance_snapshots (
    id TEXT PRIMARY KEY NOT NULL,
    period TEXT NOT NULL,
    taken_at TIMESTAMP NOT NULL,
    taken_by TEXT NOT NULL REFERENCES users (id),
    document TEXT NOT NULL,
    sha256 TEXT NOT NULL
);
CREATE INDEX performance_snapshots_taken ON performance_snapshots (taken_at, id);

-- A snapshot is never edited or deleted.
CREATE TRIGGER performance_snapshots_no_update BEFORE UPDATE ON performance_snapshots
BEGIN SELECT RAISE(ABORT, 'performance snapshots are never changed'); END;
CREATE TRIGGER performance_snapshots_no_delete BEFORE DELETE ON performance_snapshots
BEGIN SELECT RAISE(ABORT, 'performance snapshots are never changed'); END;

-- Staff of a department are users of role `department`. SQLite cannot alter a CHECK
-- constraint; widening one changes no stored row, so the table's definition is edited in
-- place (the procedure SQLite documents for constraints that do not affect stored data).
PRAGMA writable_schema = ON;
UPDATE sqlite_master
SET sql = replace(sql, '''worker'', ''volunteer''))', '''worker'', ''volunteer'', ''department''))')
WHERE type = 'table' AND name = 'users';
PRAGMA writable_schema = OFF;
-- Every connection, this one too, reads the schema again.
PRAGMA schema_version = 1000000;
