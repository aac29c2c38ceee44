ALTER TABLE inspections DROP COLUMN far;
ALTER TABLE inspections DROP COLUMN distance_m;
ALTER TABLE inspections DROP COLUMN picked_on_map;
ALTER TABLE inspections DROP COLUMN accuracy_m;
ALTER TABLE visits DROP COLUMN picked_on_map;
ALTER TABLE visits DROP COLUMN accuracy_m;
ALTER TABLE photos DROP COLUMN step_id;
