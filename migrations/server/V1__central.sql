-- Talento central server, first schema: agencies and their server accounts, enrolled laptops, the sync change log
-- with its set-aside changes, the rows materialised from it, code leases and the reference lists (loaded from
-- seeds/ by `talento-server migrate`, not here).
-- Append-only: never edit this file once shipped; add V2__… instead.

CREATE TABLE agencies (
    id          uuid PRIMARY KEY,
    name        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX agencies_name ON agencies (lower(name));

-- Accounts that log in to the REST API. E-mails are unique server-wide: login takes only e-mail and password.
CREATE TABLE users (
    id              uuid PRIMARY KEY,
    agency_id       uuid NOT NULL REFERENCES agencies (id),
    name            text NOT NULL,
    email           text NOT NULL,
    role            text NOT NULL CHECK (role IN ('admin', 'recruiter', 'presence', 'talent')),
    -- argon2id, PHC string.
    password_hash   text NOT NULL,
    active          boolean NOT NULL DEFAULT true,
    failed_logins   integer NOT NULL DEFAULT 0,
    locked_until    timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    last_login_at   timestamptz
);
CREATE UNIQUE INDEX users_email ON users (lower(email));
CREATE INDEX users_agency ON users (agency_id, created_at);

-- Login sessions of the REST API. Only the SHA-256 of the bearer token is stored.
CREATE TABLE user_sessions (
    token_hash  bytea PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL
);

-- One-time enrollment tokens an administrator hands to a laptop (text or QR). Only their hash is stored.
CREATE TABLE enrollment_tokens (
    token_hash  bytea PRIMARY KEY,
    agency_id   uuid NOT NULL REFERENCES agencies (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    used_by     uuid
);

-- Enrolled laptops. `contiguous_seq`: the highest seq of the device's log held with no hole below it.
CREATE TABLE devices (
    id               uuid PRIMARY KEY,
    agency_id        uuid NOT NULL REFERENCES agencies (id),
    database_id      uuid NOT NULL,
    name             text NOT NULL,
    credential_hash  bytea NOT NULL UNIQUE,
    contiguous_seq   bigint NOT NULL DEFAULT 0,
    enrolled_at      timestamptz NOT NULL DEFAULT now(),
    last_seen_at     timestamptz,
    revoked_at       timestamptz
);
CREATE INDEX devices_agency ON devices (agency_id);

-- Every accepted change, once per (device, seq), numbered by the server's own sequence that pull pages by.
CREATE TABLE changes (
    server_seq   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agency_id    uuid NOT NULL REFERENCES agencies (id),
    device_id    uuid NOT NULL REFERENCES devices (id),
    seq          bigint NOT NULL CHECK (seq > 0),
    hlc          text NOT NULL,
    table_name   text NOT NULL,
    row_id       text NOT NULL,
    op           text NOT NULL CHECK (op IN ('upsert', 'delete')),
    fields       jsonb NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (device_id, seq)
);
CREATE INDEX changes_pull ON changes (agency_id, server_seq);

-- Changes that could not be applied (too large, malformed, …): kept for an administrator, counted as received so
-- they never block the device's queue. `excerpt` holds the start of what arrived.
CREATE TABLE set_aside (
    device_id    uuid NOT NULL REFERENCES devices (id),
    seq          bigint NOT NULL,
    agency_id    uuid NOT NULL REFERENCES agencies (id),
    reason       text NOT NULL,
    detail       text NOT NULL,
    size_bytes   integer NOT NULL,
    excerpt      text NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (device_id, seq)
);

-- The rows the change log adds up to, merged field by field (talento_protocol::merge): `field_hlc` holds, per
-- field, the timestamp of the value kept; `deleted` is a tombstone.
CREATE TABLE records (
    agency_id        uuid NOT NULL REFERENCES agencies (id),
    table_name       text NOT NULL,
    row_id           text NOT NULL,
    fields           jsonb NOT NULL DEFAULT '{}',
    field_hlc        jsonb NOT NULL DEFAULT '{}',
    deleted          boolean NOT NULL DEFAULT false,
    last_server_seq  bigint NOT NULL DEFAULT 0,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (agency_id, table_name, row_id)
);
CREATE INDEX records_talent_code ON records (agency_id, (fields ->> 'code')) WHERE table_name = 'talents';

-- Code numbering per scope (general:SN, cinema:SN:DKR, assignment:<project>): the next number to grant, and every
-- block granted.
CREATE TABLE code_scopes (
    agency_id   uuid NOT NULL REFERENCES agencies (id),
    scope       text NOT NULL,
    next_start  bigint NOT NULL,
    PRIMARY KEY (agency_id, scope)
);
CREATE TABLE code_leases (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agency_id   uuid NOT NULL REFERENCES agencies (id),
    scope       text NOT NULL,
    start       bigint NOT NULL,
    end_excl    bigint NOT NULL CHECK (end_excl > start),
    device_id   uuid NOT NULL REFERENCES devices (id),
    granted_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX code_leases_scope ON code_leases (agency_id, scope, start);

-- Reference lists from seeds/, with the checksum of what was last loaded.
CREATE TABLE seed_manifest (
    name       text PRIMARY KEY,
    row_count  integer NOT NULL,
    checksum   text NOT NULL,
    loaded_at  timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE ref_countries (
    iso2            text PRIMARY KEY CHECK (length(iso2) = 2),
    name_fr         text NOT NULL,
    name_en         text NOT NULL,
    nationality_fr  text NOT NULL,
    nationality_en  text NOT NULL,
    position        integer NOT NULL
);
CREATE TABLE ref_cities (
    country_iso2  text NOT NULL REFERENCES ref_countries (iso2),
    code          text NOT NULL CHECK (length(code) = 3),
    name_fr       text NOT NULL,
    name_en       text NOT NULL,
    position      integer NOT NULL,
    PRIMARY KEY (country_iso2, code)
);
