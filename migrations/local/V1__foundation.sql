-- Talento local store, first schema: this laptop, its agency, its users, the generic change log that sync ships,
-- the security and activity logs, and the reference lists loaded from seeds/.
-- Append-only: never edit this file once shipped; add V2__… instead.

-- This laptop. One row. Its change-log sequence and hybrid-logical-clock state advance in the same transaction as
-- every change.
CREATE TABLE device (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    device_id    TEXT    NOT NULL,
    next_seq     INTEGER NOT NULL DEFAULT 1,
    hlc_millis   INTEGER NOT NULL DEFAULT 0,
    hlc_counter  INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT    NOT NULL
);

CREATE TABLE agency (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    hlc         TEXT NOT NULL
);

CREATE TABLE users (
    id             TEXT PRIMARY KEY,
    code           TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    email          TEXT NOT NULL UNIQUE,
    role           TEXT NOT NULL CHECK (role IN ('admin', 'recruiter', 'presence', 'talent')),
    active         INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    last_login_at  TEXT,
    hlc            TEXT NOT NULL
);

-- Local settings (idle timeout, …); not synced.
CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);

-- Every change to a synced table, appended in the same transaction as the change: (device, per-device sequence),
-- hybrid-logical-clock time, which row, and the changed fields as JSON. Sync pushes it as it is.
-- An ordinary rowid table: entries carry ~1 KB of JSON, which WITHOUT ROWID would push into overflow pages.
CREATE TABLE change_log (
    id          INTEGER PRIMARY KEY,
    device_id   TEXT    NOT NULL,
    seq         INTEGER NOT NULL,
    hlc         TEXT    NOT NULL,
    table_name  TEXT    NOT NULL,
    row_id      TEXT    NOT NULL,
    op          TEXT    NOT NULL CHECK (op IN ('upsert', 'delete')),
    fields      TEXT    NOT NULL
);
CREATE UNIQUE INDEX change_log_device_seq ON change_log (device_id, seq);
CREATE INDEX change_log_row ON change_log (table_name, row_id);

CREATE TABLE security_log (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    kind       TEXT NOT NULL,
    user_id    TEXT REFERENCES users (id),
    lookup     TEXT,
    device_id  TEXT NOT NULL,
    detail     TEXT
);
CREATE INDEX security_log_at ON security_log (at);

CREATE TABLE activity_log (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    user_id    TEXT REFERENCES users (id),
    device_id  TEXT NOT NULL,
    action     TEXT NOT NULL,
    entity     TEXT NOT NULL,
    entity_id  TEXT,
    details    TEXT
);
CREATE INDEX activity_log_at ON activity_log (at);
CREATE INDEX activity_log_entity ON activity_log (entity, entity_id);

-- Reference data, loaded from seeds/ (see seeds/README.md); `position` keeps the seed's order.
CREATE TABLE seed_manifest (
    name       TEXT PRIMARY KEY,
    row_count  INTEGER NOT NULL,
    checksum   TEXT NOT NULL,
    loaded_at  TEXT NOT NULL
);

CREATE TABLE ref_countries (
    iso2            TEXT PRIMARY KEY CHECK (length(iso2) = 2),
    name_fr         TEXT NOT NULL,
    name_en         TEXT NOT NULL,
    nationality_fr  TEXT NOT NULL,
    nationality_en  TEXT NOT NULL,
    position        INTEGER NOT NULL
);

CREATE TABLE ref_cities (
    country_iso2  TEXT NOT NULL REFERENCES ref_countries (iso2),
    code          TEXT NOT NULL CHECK (length(code) = 3 AND code = upper(code)),
    name_fr       TEXT NOT NULL,
    name_en       TEXT NOT NULL,
    position      INTEGER NOT NULL,
    PRIMARY KEY (country_iso2, code)
);

CREATE TABLE ref_currencies (
    country_iso2  TEXT PRIMARY KEY REFERENCES ref_countries (iso2),
    currency      TEXT NOT NULL CHECK (length(currency) = 3),
    symbol        TEXT NOT NULL,
    name_fr       TEXT NOT NULL,
    name_en       TEXT NOT NULL,
    position      INTEGER NOT NULL
);

CREATE TABLE ref_talent_categories (
    tag       TEXT NOT NULL CHECK (tag IN ('general', 'cinema')),
    key       TEXT NOT NULL,
    name_fr   TEXT NOT NULL,
    name_en   TEXT NOT NULL,
    emoji     TEXT NOT NULL,
    position  INTEGER NOT NULL,
    PRIMARY KEY (tag, key)
);

CREATE TABLE ref_talents (
    tag           TEXT NOT NULL,
    category_key  TEXT NOT NULL,
    key           TEXT NOT NULL,
    name_fr       TEXT NOT NULL,
    name_en       TEXT NOT NULL,
    position      INTEGER NOT NULL,
    PRIMARY KEY (tag, key),
    FOREIGN KEY (tag, category_key) REFERENCES ref_talent_categories (tag, key)
);

CREATE TABLE ref_cinema_talent_types (
    key       TEXT PRIMARY KEY,
    name_fr   TEXT NOT NULL,
    name_en   TEXT NOT NULL,
    position  INTEGER NOT NULL
);

CREATE TABLE ref_languages (
    key       TEXT PRIMARY KEY,
    name_fr   TEXT NOT NULL,
    name_en   TEXT NOT NULL,
    flag      TEXT NOT NULL,
    position  INTEGER NOT NULL
);

CREATE TABLE ref_physical_traits (
    trait     TEXT NOT NULL CHECK (trait IN ('eye_color', 'hair_color', 'hair_type', 'skin_tone', 'build')),
    key       TEXT NOT NULL,
    name_fr   TEXT NOT NULL,
    name_en   TEXT NOT NULL,
    position  INTEGER NOT NULL,
    PRIMARY KEY (trait, key)
);

CREATE TABLE ref_availability (
    key       TEXT PRIMARY KEY,
    name_fr   TEXT NOT NULL,
    name_en   TEXT NOT NULL,
    label_fr  TEXT NOT NULL,
    label_en  TEXT NOT NULL,
    position  INTEGER NOT NULL
);

CREATE TABLE ref_work_modes (
    key       TEXT PRIMARY KEY,
    name_fr   TEXT NOT NULL,
    name_en   TEXT NOT NULL,
    position  INTEGER NOT NULL
);
