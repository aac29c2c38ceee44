DROP TABLE patrol_members;
DROP TABLE patrols;
DROP TABLE team_members;
DROP TABLE team_cells;
DROP TABLE teams;
