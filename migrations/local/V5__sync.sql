-- Sync with the agency's central server (issue 6): the enrollment, progress, the clocks of values pulled from other
-- laptops, tombstones, pulled changes that could not be applied, and provisional codes. Everything here lives in the
-- SQLCipher file, so the device credential is encrypted at rest with the rest of the store.
-- Append-only: never edit this file once shipped.

-- One row, created at first need. `database_id` names this store (the server binds the credential to it).
CREATE TABLE sync_state (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    database_id   TEXT NOT NULL,
    server_url    TEXT,
    credential    TEXT,
    agency_id     TEXT,
    agency_name   TEXT,
    enrolled_at   TEXT,
    -- Highest seq of this laptop's change log the server holds with no hole below it.
    acked_seq     INTEGER NOT NULL DEFAULT 0,
    -- The pull cursor: the last server sequence received.
    pull_cursor   INTEGER NOT NULL DEFAULT 0,
    last_sync_at  TEXT,
    -- The last sync's report, as JSON.
    last_report   TEXT,
    -- Set when the server answered device_revoked: personal data was wiped, sync stops.
    revoked_at    TEXT
);

-- The hybrid-logical-clock time of each field value that came from another laptop, one JSON object per row
-- (`{"field": "<hlc>", …}`: one row per record rather than one per field keeps a first sync of 100,000 profiles
-- small). Values written here are stamped by this laptop's own change log instead; the merge takes the newer of
-- both (sync/apply.rs).
CREATE TABLE field_clock (
    table_name  TEXT NOT NULL,
    row_id      TEXT NOT NULL,
    clocks      TEXT NOT NULL,
    PRIMARY KEY (table_name, row_id)
) WITHOUT ROWID;

-- Rows deleted (talents erased) by another laptop: later upserts of them are ignored, as on the server.
CREATE TABLE sync_tombstones (
    table_name  TEXT NOT NULL,
    row_id      TEXT NOT NULL,
    hlc         TEXT NOT NULL,
    PRIMARY KEY (table_name, row_id)
) WITHOUT ROWID;

-- Pulled changes this version could not apply (a table or row it does not know, a constraint): kept and reported,
-- never silently dropped.
CREATE TABLE sync_parked (
    server_seq  INTEGER PRIMARY KEY,
    change      TEXT NOT NULL,
    reason      TEXT NOT NULL,
    parked_at   TEXT NOT NULL
);

-- Numbers issued offline with no leased block left (codes.rs): far above any format's cap and unique to this laptop,
-- finalised with a leased number at the next sync. The row they ended up in is found by the trigger below.
CREATE TABLE provisional_codes (
    number      INTEGER PRIMARY KEY,
    scope       TEXT NOT NULL,
    issued_at   TEXT NOT NULL,
    table_name  TEXT,
    row_id      TEXT
);

-- Whatever use case issued a provisional number, the change it logs carries the code: mark the row and the logged
-- change as provisional there, in the same transaction, so other laptops show the code as provisional too.
CREATE TRIGGER change_log_provisional_code AFTER INSERT ON change_log
WHEN NEW.table_name IN ('talents', 'projects', 'assignments')
 AND json_extract(NEW.fields, '$.code') IS NOT NULL
 AND EXISTS (SELECT 1 FROM provisional_codes p
             WHERE p.row_id IS NULL AND instr(json_extract(NEW.fields, '$.code'), CAST(p.number AS TEXT)) > 0)
BEGIN
    UPDATE provisional_codes SET table_name = NEW.table_name, row_id = NEW.row_id
     WHERE row_id IS NULL AND instr(json_extract(NEW.fields, '$.code'), CAST(number AS TEXT)) > 0;
    UPDATE change_log SET fields = json_set(fields, '$.code_provisional', 1) WHERE id = NEW.id;
    UPDATE talents SET code_provisional = 1 WHERE NEW.table_name = 'talents' AND id = NEW.row_id;
    UPDATE projects SET code_provisional = 1 WHERE NEW.table_name = 'projects' AND id = NEW.row_id;
    UPDATE assignments SET code_provisional = 1 WHERE NEW.table_name = 'assignments' AND id = NEW.row_id;
END;
