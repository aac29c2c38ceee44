PRAGMA writable_schema = ON;
UPDATE sqlite_master
SET sql = replace(sql, '''worker'', ''volunteer'', ''department''))', '''worker'', ''volunteer''))')
WHERE type = 'table' AND name = 'users';
PRAGMA writable_schema = OFF;
PRAGMA schema_version = 1000001;
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
