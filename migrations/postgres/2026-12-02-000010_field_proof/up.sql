-- The proof of field work: a photo may belong to one step of its incident (a resolve and
-- the place after the fix); visits and inspections keep how the worker's position was
-- taken (the GPS fix's accuracy, or a tap on the map); inspections, like visits, keep how
-- far from the unit's registered place they were made (unknown for those recorded before).
ALTER TABLE photos ADD COLUMN step_id TEXT;
ALTER TABLE visits ADD COLUMN accuracy_m DOUBLE PRECISION;
ALTER TABLE visits ADD COLUMN picked_on_map BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE inspections ADD COLUMN accuracy_m DOUBLE PRECISION;
ALTER TABLE inspections ADD COLUMN picked_on_map BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE inspections ADD COLUMN distance_m DOUBLE PRECISION;
ALTER TABLE inspections ADD COLUMN far BOOLEAN NOT NULL DEFAULT FALSE;
