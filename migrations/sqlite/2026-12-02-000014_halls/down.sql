DROP TABLE nominations;
DROP TABLE campaigns;
DROP TABLE deliberation_history;
DROP TABLE deliberation_sessions;
DROP TABLE deliberations;
