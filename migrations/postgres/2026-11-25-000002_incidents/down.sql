DROP TABLE photos;
DROP TABLE mediations;
DROP TABLE incident_history;
DROP TABLE incidents;
DROP TABLE categories;
