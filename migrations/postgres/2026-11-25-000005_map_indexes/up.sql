-- Covering indexes for the map's per-cell counts: each count reads only the index entries
-- of the cells on screen, not every row of them (the cost stays flat as history grows).
CREATE INDEX incidents_cell_status_due ON incidents (cell_code, status, due_at);
CREATE INDEX persons_cell_active_due ON persons (cell_code, active, next_visit_due);
CREATE INDEX safety_units_cell_facts ON safety_units (cell_code, last_inspected_at, open_hazards, earliest_open_deadline);
DROP INDEX incidents_status_cell;
DROP INDEX safety_units_cell;
