DROP TABLE open311_contacts;
DROP TABLE api_keys;
ALTER TABLE incidents DROP COLUMN source;
ALTER TABLE categories DROP COLUMN public;
