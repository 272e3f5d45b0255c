-- Accounts on every laptop (issue 6): the agency key, and the server's own place in the change log.
-- Append-only: never edit this file once shipped.

-- The agency key (32 random bytes): every enrolled laptop keeps it inside its encrypted store and wraps its own data
-- key under it, and each user's synced `key_wrap` holds it under their password, so any staff member logs in on any
-- enrolled laptop offline. Holding it here exposes nothing new: this server already holds the agency's data in
-- clear. Made with the agency; agencies created before this migration get theirs at first need (talento-server's
-- admin::agency_key).
ALTER TABLE agencies ADD COLUMN data_key bytea CHECK (data_key IS NULL OR length(data_key) = 32);

-- Changes made on the server itself (an account created with `create-admin` or POST /api/v1/users) go into
-- `changes` like a laptop's, under one device row per agency marked `on_server`: nobody holds its credential (a
-- random hash), status does not list it, and its `contiguous_seq` is the last seq it issued.
ALTER TABLE devices ADD COLUMN on_server boolean NOT NULL DEFAULT false;
CREATE UNIQUE INDEX devices_on_server ON devices (agency_id) WHERE on_server;
