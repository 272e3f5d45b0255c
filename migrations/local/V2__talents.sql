-- Talent registry: general and cinema profiles, their attachments, code allocation, full-text index, drafts.
-- Multi-valued fields (languages, skills, types, ethnicities, gallery, productions, social links) are JSON columns:
-- each is one field for sync's field-by-field merge. Filters run on an in-memory index the core builds from this
-- table (talents/index.rs), so nothing derived is stored or synced.

CREATE TABLE talents (
    id                      TEXT PRIMARY KEY,
    kind                    TEXT NOT NULL CHECK (kind IN ('general', 'cinema')),
    code                    TEXT NOT NULL UNIQUE,
    code_provisional        INTEGER NOT NULL DEFAULT 0 CHECK (code_provisional IN (0, 1)),
    first_name              TEXT NOT NULL,
    last_name               TEXT NOT NULL,
    gender                  TEXT NOT NULL CHECK (gender IN ('M', 'F', 'N')),
    birth_date              TEXT NOT NULL,
    nationality             TEXT REFERENCES ref_countries (iso2),
    origin_country          TEXT NOT NULL REFERENCES ref_countries (iso2),
    origin_city             TEXT NOT NULL,
    residence_country       TEXT NOT NULL REFERENCES ref_countries (iso2),
    residence_city          TEXT NOT NULL,
    residence_city_other    TEXT,
    email                   TEXT,
    phone                   TEXT,
    whatsapp                TEXT,
    address                 TEXT,
    passport_number         TEXT,
    residence_card_number   TEXT,
    id_document_type        TEXT,
    id_document_number      TEXT,
    bio                     TEXT,
    years_experience        INTEGER,
    availability            TEXT,
    work_mode               TEXT,
    rate_min                INTEGER,
    rate_max                INTEGER,
    currency                TEXT,
    education               TEXT,
    portfolio_url           TEXT,
    website                 TEXT,
    socials                 TEXT NOT NULL DEFAULT '{}',
    languages               TEXT NOT NULL DEFAULT '[]',
    skills                  TEXT NOT NULL DEFAULT '[]',
    talent_types            TEXT NOT NULL DEFAULT '[]',
    ethnicities             TEXT NOT NULL DEFAULT '[]',
    productions             TEXT NOT NULL DEFAULT '[]',
    gallery                 TEXT NOT NULL DEFAULT '[]',
    eye_color               TEXT,
    hair_color              TEXT,
    hair_type               TEXT,
    skin_tone               TEXT,
    build                   TEXT,
    height_cm               INTEGER,
    weight_kg               INTEGER,
    photo                   TEXT,
    id_photo                TEXT,
    cv                      TEXT,
    cv_kind                 TEXT,
    consent_version         TEXT,
    consent_at              TEXT,
    active                  INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    erased_at               TEXT,
    created_at              TEXT NOT NULL,
    created_by              TEXT,
    updated_at              TEXT NOT NULL,
    hlc                     TEXT NOT NULL,
    -- Folded (lower-case, accent-free) "first last" for duplicate checks and sorting.
    name_key                TEXT NOT NULL
);
CREATE INDEX talents_kind ON talents (kind, active);
CREATE INDEX talents_name ON talents (name_key);
CREATE INDEX talents_origin ON talents (origin_country, origin_city);
CREATE INDEX talents_residence ON talents (residence_country, residence_city);
CREATE INDEX talents_birth ON talents (birth_date);
CREATE INDEX talents_email ON talents (email) WHERE email IS NOT NULL;
CREATE INDEX talents_phone ON talents (phone) WHERE phone IS NOT NULL;
CREATE INDEX talents_updated ON talents (updated_at);

-- Full-text search over names, code, bio, skills and places; accents and case folded by the tokenizer.
CREATE VIRTUAL TABLE talent_fts USING fts5 (
    code, names, bio, skills, places,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3',
    -- Only which profiles contain a token, no positions (no phrase queries needed), and no second copy of the
    -- text: the profiles are in `talents`. A fraction of the size.
    detail = none,
    content = '',
    contentless_delete = 1
);

-- Encrypted files (photos, CVs, ID scans) by content hash; the bytes live in attachments/ beside the database.
CREATE TABLE attachments (
    hash        TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    mime        TEXT NOT NULL,
    size        INTEGER NOT NULL,
    -- For a photo: the hash of its 128 px thumbnail.
    thumb       TEXT,
    created_at  TEXT NOT NULL
);

-- Number blocks leased per code scope (general:SN, cinema:SN:DKR, …), and the local source that grants them until
-- a server does (sync issue). A laptop only ever issues numbers from a block it holds.
CREATE TABLE code_blocks (
    scope       TEXT NOT NULL,
    start       INTEGER NOT NULL,
    end_excl    INTEGER NOT NULL,
    next        INTEGER NOT NULL,
    source      TEXT NOT NULL,
    leased_at   TEXT NOT NULL,
    PRIMARY KEY (scope, start)
);
CREATE TABLE code_sources (
    scope       TEXT PRIMARY KEY,
    next_start  INTEGER NOT NULL
);

-- A registration in progress, per user and kind: survives a restart, encrypted with everything else.
CREATE TABLE drafts (
    user_id     TEXT NOT NULL,
    kind        TEXT NOT NULL,
    body        TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (user_id, kind)
);
