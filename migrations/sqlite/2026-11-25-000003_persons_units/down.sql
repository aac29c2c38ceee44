DROP TABLE hazards;
DROP TABLE inspections;
DROP TABLE safety_units;
DROP TABLE visits;
DROP TABLE persons;
DROP TABLE visit_intervals;
