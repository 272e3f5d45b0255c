-- Attachments (photos, CVs, ID scans, logos) as the laptops upload them, by content hash, one copy per agency
-- (protocol in talento_protocol::attachments). An upload arrives in chunks appended to `data`; `complete` once the
-- whole file arrived and its SHA-256 matched `hash` (a mismatch deletes the row). Plain bytes: the server holds the
-- agency's data in clear anyway (TLS in transit); each laptop encrypts what it downloads with its own key.
-- V3: V2 is taken by another change of the same release.
-- Append-only: never edit this file once shipped.

CREATE TABLE attachments (
    agency_id     uuid NOT NULL REFERENCES agencies (id),
    hash          text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
    -- The declared total size; `octet_length(data)` is what arrived so far.
    size          bigint NOT NULL CHECK (size > 0 AND size <= 10485760),
    data          bytea NOT NULL DEFAULT '',
    complete      boolean NOT NULL DEFAULT false,
    uploaded_by   uuid REFERENCES devices (id),
    started_at    timestamptz NOT NULL DEFAULT now(),
    completed_at  timestamptz,
    PRIMARY KEY (agency_id, hash)
);
