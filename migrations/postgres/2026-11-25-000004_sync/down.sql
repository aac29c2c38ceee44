DROP INDEX persons_cell_due;
DROP INDEX incidents_status_cell;
DROP TABLE sync_ops;
DROP TABLE change_log;
DROP TABLE sync_state;
