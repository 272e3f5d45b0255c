-- Presence: the immutable log of badge scans at the gate of a set. Check-in / check-out state is derived from these
-- events, never stored. Append-only: never edit this file once shipped.

-- One row per accepted scan, admission or correction. Rows are never updated or deleted (sync merges the table as a
-- union: two offline laptops scanning the same talent keep both events, and the derivation flags the duplicate).
-- No foreign keys on the project or talent: a badge proves them offline, even for a talent registered on another
-- laptop and not synced here yet.
CREATE TABLE scan_events (
    -- UUIDv7: the event's nonce.
    id                 TEXT PRIMARY KEY,
    device_id          TEXT NOT NULL,
    -- The presence officer (user id).
    officer_id         TEXT,
    -- When it happened, UTC, `YYYY-MM-DDTHH:MM:SS.mmmZ`.
    at                 TEXT NOT NULL,
    -- The shoot day it belongs to, `YYYY-MM-DD`, local date.
    day                TEXT NOT NULL,
    project_id         TEXT NOT NULL,
    talent_id          TEXT NOT NULL,
    -- NULL for a talent admitted although not on the roster.
    assignment_id      TEXT,
    kind               TEXT NOT NULL CHECK (kind IN ('in', 'out', 'correction')),
    method             TEXT NOT NULL CHECK (method IN ('camera', 'scanner', 'manual', 'bulk')),
    badge_fingerprint  TEXT,
    -- Required for an admission off the roster and for a correction.
    reason             TEXT,
    -- For a correction: the event it corrects, and its new time (NULL = the event is void).
    corrects           TEXT,
    corrected_at       TEXT,
    created_at         TEXT NOT NULL,
    created_by         TEXT,
    updated_at         TEXT NOT NULL,
    hlc                TEXT NOT NULL,
    CHECK ((kind = 'correction') = (corrects IS NOT NULL))
);
CREATE INDEX scan_events_day ON scan_events (project_id, day, talent_id);
CREATE INDEX scan_events_talent ON scan_events (talent_id, day);

-- Double reads (the same badge again within seconds of its last accepted scan) are ignored but counted, here on
-- this laptop only: they are a measure of the scanner, not attendance, and are not synced.
CREATE TABLE scan_double_reads (
    project_id  TEXT NOT NULL,
    day         TEXT NOT NULL,
    talent_id   TEXT NOT NULL,
    count       INTEGER NOT NULL DEFAULT 0,
    last_at     TEXT NOT NULL,
    PRIMARY KEY (project_id, day, talent_id)
) WITHOUT ROWID;
