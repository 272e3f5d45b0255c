-- Attachments travel beside the change log, by content hash (sync/attachments.rs): two queues, filled by triggers
-- in the very transaction that logs or writes the row referring to a file, so no use case can forget them.
-- V7: V6 is taken by another change of the same release.
-- Append-only: never edit this file once shipped.

-- Files this laptop refers to in its own log, to upload; a row leaves once the server holds the whole file.
CREATE TABLE attachment_uploads (
    hash       TEXT PRIMARY KEY,
    queued_at  TEXT NOT NULL
) WITHOUT ROWID;

-- Files rows refer to (pulled from other laptops) that this laptop lacks, to download; `kind` as in `attachments`.
-- A row leaves once the file arrived, matched its hash and was stored encrypted.
CREATE TABLE attachment_downloads (
    hash       TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    queued_at  TEXT NOT NULL
) WITHOUT ROWID;

-- Every change this laptop logs that names files it holds: photo, ID scan, CV, gallery (a JSON array), logo. Each
-- named hash is looked up by primary key (a bulk import logs 100,000 changes: no scan of `attachments` per change).
CREATE TRIGGER change_log_attachment_uploads AFTER INSERT ON change_log
WHEN NEW.table_name IN ('talents', 'productions', 'agency')
BEGIN
    INSERT INTO attachment_uploads (hash, queued_at)
    SELECT f.hash, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
      FROM (SELECT json_extract(NEW.fields, '$.photo') AS hash
            UNION SELECT json_extract(NEW.fields, '$.id_photo')
            UNION SELECT json_extract(NEW.fields, '$.cv')
            UNION SELECT json_extract(NEW.fields, '$.logo')
            UNION SELECT value FROM json_each(CASE WHEN json_valid(json_extract(NEW.fields, '$.gallery'))
                                                   THEN json_extract(NEW.fields, '$.gallery') ELSE '[]' END)) f
     WHERE f.hash IS NOT NULL AND EXISTS (SELECT 1 FROM attachments a WHERE a.hash = f.hash)
    ON CONFLICT (hash) DO NOTHING;
END;

-- Every talent row written with a file this laptop lacks (only pulled rows can: local use cases stage files first).
CREATE TRIGGER talents_attachment_downloads_insert AFTER INSERT ON talents
BEGIN
    INSERT INTO attachment_downloads (hash, kind, queued_at)
    SELECT f.hash, f.kind, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
      FROM (SELECT NEW.photo AS hash, 'photo' AS kind UNION ALL SELECT NEW.id_photo, 'id_photo'
            UNION ALL SELECT NEW.cv, 'cv'
            UNION ALL SELECT value, 'photo' FROM json_each(CASE WHEN json_valid(NEW.gallery) THEN NEW.gallery
                                                                ELSE '[]' END)) f
     WHERE f.hash IS NOT NULL AND NOT EXISTS (SELECT 1 FROM attachments a WHERE a.hash = f.hash)
    ON CONFLICT (hash) DO NOTHING;
END;

CREATE TRIGGER talents_attachment_downloads_update AFTER UPDATE OF photo, id_photo, cv, gallery ON talents
BEGIN
    INSERT INTO attachment_downloads (hash, kind, queued_at)
    SELECT f.hash, f.kind, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
      FROM (SELECT NEW.photo AS hash, 'photo' AS kind UNION ALL SELECT NEW.id_photo, 'id_photo'
            UNION ALL SELECT NEW.cv, 'cv'
            UNION ALL SELECT value, 'photo' FROM json_each(CASE WHEN json_valid(NEW.gallery) THEN NEW.gallery
                                                                ELSE '[]' END)) f
     WHERE f.hash IS NOT NULL AND NOT EXISTS (SELECT 1 FROM attachments a WHERE a.hash = f.hash)
    ON CONFLICT (hash) DO NOTHING;
END;

CREATE TRIGGER productions_attachment_downloads AFTER UPDATE OF logo ON productions
WHEN NEW.logo IS NOT NULL AND NOT EXISTS (SELECT 1 FROM attachments a WHERE a.hash = NEW.logo)
BEGIN
    INSERT INTO attachment_downloads (hash, kind, queued_at)
    VALUES (NEW.logo, 'logo', strftime('%Y-%m-%dT%H:%M:%SZ', 'now')) ON CONFLICT (hash) DO NOTHING;
END;

CREATE TRIGGER productions_attachment_downloads_insert AFTER INSERT ON productions
WHEN NEW.logo IS NOT NULL AND NOT EXISTS (SELECT 1 FROM attachments a WHERE a.hash = NEW.logo)
BEGIN
    INSERT INTO attachment_downloads (hash, kind, queued_at)
    VALUES (NEW.logo, 'logo', strftime('%Y-%m-%dT%H:%M:%SZ', 'now')) ON CONFLICT (hash) DO NOTHING;
END;

-- The agency's logo (printed on badges), set on another laptop.
CREATE TRIGGER agency_attachment_downloads AFTER UPDATE OF logo ON agency
WHEN NEW.logo IS NOT NULL AND NOT EXISTS (SELECT 1 FROM attachments a WHERE a.hash = NEW.logo)
BEGIN
    INSERT INTO attachment_downloads (hash, kind, queued_at)
    VALUES (NEW.logo, 'logo', strftime('%Y-%m-%dT%H:%M:%SZ', 'now')) ON CONFLICT (hash) DO NOTHING;
END;

-- An erased talent's files are wanted here no more (unless another profile uses the same file, as erase_row checks).
CREATE TRIGGER talents_attachment_erased AFTER UPDATE OF erased_at ON talents
WHEN NEW.erased_at IS NOT NULL
BEGIN
    DELETE FROM attachment_downloads
     WHERE (hash IN (OLD.photo, OLD.id_photo, OLD.cv)
            OR hash IN (SELECT value FROM json_each(CASE WHEN json_valid(OLD.gallery) THEN OLD.gallery ELSE '[]' END)))
       AND NOT EXISTS (SELECT 1 FROM talents t
                        WHERE t.photo = attachment_downloads.hash OR t.id_photo = attachment_downloads.hash
                           OR t.cv = attachment_downloads.hash
                           OR t.gallery LIKE '%' || attachment_downloads.hash || '%');
END;
