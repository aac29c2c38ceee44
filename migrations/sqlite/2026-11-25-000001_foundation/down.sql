DROP TABLE audit_log;
DROP TABLE grid_state;
DROP TABLE cell_workers;
DROP TABLE cells;
DROP TABLE login_attempts;
DROP TABLE refresh_tokens;
DROP TABLE users;
DROP TABLE regions;
