DROP TABLE performance_snapshots;
DROP TABLE task_scores;
DROP TABLE task_progress;
DROP TABLE task_units;
DROP TABLE tasks;
DROP INDEX incident_history_action_at;
DROP INDEX incidents_department;
ALTER TABLE incidents DROP COLUMN department_id;
DROP INDEX users_department;
ALTER TABLE users DROP COLUMN department_id;
DROP TABLE departments;
DROP FUNCTION performance_snapshots_frozen();
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('admin', 'supervisor', 'worker', 'volunteer'));
