-- Productions (companies), their projects and shoot days, the talents cast into projects (assignments), the
-- agency's badge signing keys and the badges issued. Append-only: never edit this file once shipped.

-- Printed on badges beside the agency's name: an attachment hash (a JPEG fitted into 512 px).
ALTER TABLE agency ADD COLUMN logo TEXT;

CREATE TABLE productions (
    id                   TEXT PRIMARY KEY,
    name                 TEXT NOT NULL,
    name_key             TEXT NOT NULL,
    initials             TEXT NOT NULL,
    logo                 TEXT,
    description          TEXT,
    specialization       TEXT,
    address              TEXT,
    city                 TEXT,
    country              TEXT REFERENCES ref_countries (iso2),
    postal_code          TEXT,
    phone                TEXT,
    email                TEXT,
    website              TEXT,
    socials              TEXT NOT NULL DEFAULT '{}',
    founded_year         INTEGER,
    ceo                  TEXT,
    employee_count       INTEGER,
    notable_productions  TEXT NOT NULL DEFAULT '[]',
    services             TEXT NOT NULL DEFAULT '[]',
    equipment            TEXT NOT NULL DEFAULT '[]',
    studios              TEXT NOT NULL DEFAULT '[]',
    certifications       TEXT NOT NULL DEFAULT '[]',
    memberships          TEXT NOT NULL DEFAULT '[]',
    awards               TEXT NOT NULL DEFAULT '[]',
    verified             INTEGER NOT NULL DEFAULT 0 CHECK (verified IN (0, 1)),
    active               INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at           TEXT NOT NULL,
    created_by           TEXT,
    updated_at           TEXT NOT NULL,
    hlc                  TEXT NOT NULL
);
CREATE INDEX productions_name ON productions (name_key);

CREATE TABLE projects (
    id                TEXT PRIMARY KEY,
    code              TEXT NOT NULL UNIQUE,
    code_provisional  INTEGER NOT NULL DEFAULT 0 CHECK (code_provisional IN (0, 1)),
    name              TEXT NOT NULL,
    name_key          TEXT NOT NULL,
    production_type   TEXT NOT NULL
                      CHECK (production_type IN ('film', 'series', 'ad', 'clip', 'documentary', 'theatre', 'other')),
    production_id     TEXT NOT NULL REFERENCES productions (id),
    origin_country    TEXT NOT NULL REFERENCES ref_countries (iso2),
    locations         TEXT NOT NULL DEFAULT '[]',
    start_date        TEXT NOT NULL,
    end_date          TEXT NOT NULL,
    status            TEXT NOT NULL
                      CHECK (status IN ('preparation', 'shooting', 'post_production', 'finished', 'cancelled')),
    description       TEXT,
    archived          INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    created_at        TEXT NOT NULL,
    created_by        TEXT,
    updated_at        TEXT NOT NULL,
    hlc               TEXT NOT NULL
);
CREATE INDEX projects_production ON projects (production_id);
CREATE INDEX projects_dates ON projects (archived, start_date);

-- One row per project and day; the id is '<project id>:<YYYY-MM-DD>' so the same day planned on two offline laptops
-- is one row after sync rather than a clash.
CREATE TABLE shoot_days (
    id          TEXT PRIMARY KEY,
    project_id  TEXT NOT NULL REFERENCES projects (id),
    day         TEXT NOT NULL,
    call_time   TEXT NOT NULL,
    location    TEXT,
    notes       TEXT,
    created_at  TEXT NOT NULL,
    created_by  TEXT,
    updated_at  TEXT NOT NULL,
    hlc         TEXT NOT NULL,
    UNIQUE (project_id, day)
);

-- A talent cast into a project. The id is '<project id>:<talent id>' for the same reason as shoot days; removing a
-- talent keeps the row (inactive) so their history and the code stay.
CREATE TABLE assignments (
    id                TEXT PRIMARY KEY,
    code              TEXT NOT NULL UNIQUE,
    code_provisional  INTEGER NOT NULL DEFAULT 0 CHECK (code_provisional IN (0, 1)),
    project_id        TEXT NOT NULL REFERENCES projects (id),
    talent_id         TEXT NOT NULL REFERENCES talents (id),
    talent_type       TEXT NOT NULL,
    role              TEXT,
    active            INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    removed_at        TEXT,
    created_at        TEXT NOT NULL,
    created_by        TEXT,
    updated_at        TEXT NOT NULL,
    hlc               TEXT NOT NULL
);
CREATE INDEX assignments_project ON assignments (project_id, active);
CREATE INDEX assignments_talent ON assignments (talent_id);

-- The agency's Ed25519 keys. Public keys travel to every laptop (verification works offline for any badge); the
-- secret seed stays inside this encrypted store and is never written to the change log or exported.
CREATE TABLE signing_keys (
    id           TEXT PRIMARY KEY,
    key_id       INTEGER NOT NULL UNIQUE,
    public_key   TEXT NOT NULL UNIQUE,
    secret_seed  BLOB,
    retired_at   TEXT,
    revoked_at   TEXT,
    created_at   TEXT NOT NULL,
    created_by   TEXT,
    updated_at   TEXT NOT NULL,
    hlc          TEXT NOT NULL
);

-- Every badge issued. A revoked row is the revocation list: its fingerprint names the token.
CREATE TABLE badges (
    id             TEXT PRIMARY KEY,
    fingerprint    TEXT NOT NULL UNIQUE,
    short_code     TEXT NOT NULL,
    token          TEXT NOT NULL,
    assignment_id  TEXT NOT NULL REFERENCES assignments (id),
    talent_id      TEXT NOT NULL,
    project_id     TEXT NOT NULL,
    key_id         INTEGER NOT NULL,
    serial         INTEGER NOT NULL,
    valid_from     TEXT NOT NULL,
    valid_until    TEXT NOT NULL,
    revoked_at     TEXT,
    revoke_reason  TEXT,
    created_at     TEXT NOT NULL,
    created_by     TEXT,
    updated_at     TEXT NOT NULL,
    hlc            TEXT NOT NULL
);
CREATE INDEX badges_assignment ON badges (assignment_id, revoked_at);
CREATE INDEX badges_short_code ON badges (short_code);
