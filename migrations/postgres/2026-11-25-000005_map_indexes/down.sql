CREATE INDEX safety_units_cell ON safety_units (cell_code);
CREATE INDEX incidents_status_cell ON incidents (status, cell_code);
DROP INDEX safety_units_cell_facts;
DROP INDEX persons_cell_active_due;
DROP INDEX incidents_cell_status_due;
