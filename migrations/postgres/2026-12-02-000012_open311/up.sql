-- Open311 GeoReport v2: the categories an admin opened to other systems, the API keys it
-- issued (only a SHA-256 of each key is kept), where an incident came from, and the
-- contact an Open311 submitter may leave, encrypted like persons' fields.
--
-- Each key owns a user row of its own (role volunteer, inactive, a password hash no
-- password matches), created with the key: the reporter of the incidents posted with it.
ALTER TABLE categories ADD COLUMN public BOOLEAN NOT NULL DEFAULT FALSE;

ALTER TABLE incidents ADD COLUMN source TEXT NOT NULL DEFAULT 'app';

CREATE TABLE api_keys (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    user_id TEXT NOT NULL REFERENCES users (id),
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE INDEX api_keys_created ON api_keys (created_at, id);

CREATE TABLE open311_contacts (
    incident_id TEXT PRIMARY KEY NOT NULL REFERENCES incidents (id),
    email_enc TEXT,
    first_name_enc TEXT,
    last_name_enc TEXT,
    phone_enc TEXT,
    created_at TIMESTAMP NOT NULL
);
