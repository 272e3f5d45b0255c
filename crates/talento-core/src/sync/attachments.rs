//! Attachments (photos, ID scans, CVs, logos) travel beside the change log, by content hash (protocol in
//! `talento_protocol::attachments`). Two queues, filled by triggers (migration V7) in the very transactions that
//! log or write the rows naming a file: `attachment_uploads` (files this laptop's own changes name) and
//! `attachment_downloads` (files pulled rows name that this laptop lacks).
//!
//! Within a [`super::SyncJob`], once the push is over each queued upload goes, one file per step: the store step
//! decrypts it, the exchange asks the server how much it holds and sends the rest in chunks (so an interrupted
//! upload resumes where the server stands, at this sync or the next), and the next store step takes it off the
//! queue. Once the pull is over each queued download comes the same way, in ranges, is checked against its hash and
//! stored encrypted with this laptop's key ([`Attachments::put`], file and metadata row in one transaction; a
//! photo's thumbnail is made again on arrival, since rows name only the photo). The
//! plaintext lives only in the job between two steps. A file the server does not hold (yet) stays queued and is
//! counted as waiting; each file is tried once per sync.

use rusqlite::{Connection, OptionalExtension};
use talento_protocol::{MAX_ATTACHMENT_BYTES, MAX_CHUNK_BYTES};
use zeroize::Zeroizing;

use super::client::Server;
use super::{Exchange, SyncReport};
use crate::attachments::{AttachmentKind, Attachments, sha256_hex};
use crate::engine::{Unlocked, now_iso};
use crate::error::{CoreError, CoreResult, SyncError};

/// Retries of one request whose answer was lost, before the sync stops (and resumes next time).
const RETRIES: u32 = 3;

/// Where a sync stands with the two queues.
#[derive(Debug, Default)]
pub(super) struct Transfers {
    uploads_over: bool,
    downloads_over: bool,
    /// The last hash tried, in queue order: each file is tried once per sync.
    upload_after: String,
    download_after: String,
}

/// A file to send, decrypted for the time of the exchange.
pub(super) struct Upload {
    hash: String,
    bytes: Zeroizing<Vec<u8>>,
}

/// A file to fetch.
pub(super) struct Download {
    hash: String,
    kind: AttachmentKind,
}

pub(super) enum Uploaded {
    /// The server holds the whole file.
    Held(String),
    /// The server refused it (the cause is in the log): it stays queued.
    Refused,
}

pub(super) enum Downloaded {
    Fetched {
        hash: String,
        kind: AttachmentKind,
        bytes: Zeroizing<Vec<u8>>,
        /// For a photo: its 128 px thumbnail, made again here (rows name the photo, not its thumbnail).
        thumb: Option<Zeroizing<Vec<u8>>>,
    },
    /// The server does not hold it (yet), or sent something else: it stays queued.
    Missing,
}

/// Puts the attachment steps in the job's path: uploads right before the pull, downloads right after it.
pub(super) fn next_step(
    unlocked: &Unlocked,
    attachments: &Attachments,
    next: Exchange,
    transfers: &mut Transfers,
    report: &mut SyncReport,
) -> CoreResult<Exchange> {
    let conn = unlocked.store.conn();
    Ok(match next {
        Exchange::Pull if !transfers.uploads_over => {
            match next_upload(conn, attachments, &unlocked.data_key, transfers)? {
                Some(upload) => Exchange::Upload(upload),
                None => Exchange::Pull,
            }
        }
        Exchange::Done if !transfers.downloads_over => match next_download(conn, transfers)? {
            Some(download) => Exchange::Download(download),
            None => {
                report.attachments_waiting = waiting(conn)?;
                Exchange::Done
            }
        },
        other => other,
    })
}

fn next_upload(
    conn: &Connection,
    attachments: &Attachments,
    key: &[u8; crate::crypto::KEY_LEN],
    transfers: &mut Transfers,
) -> CoreResult<Option<Upload>> {
    loop {
        let hash: Option<String> = conn
            .query_row(
                "SELECT hash FROM attachment_uploads WHERE hash > ?1 ORDER BY hash LIMIT 1",
                [&transfers.upload_after],
                |r| r.get(0),
            )
            .optional()?;
        let Some(hash) = hash else {
            transfers.uploads_over = true;
            return Ok(None);
        };
        transfers.upload_after.clone_from(&hash);
        match attachments.get(key, &hash) {
            Ok(bytes) => return Ok(Some(Upload { hash, bytes: Zeroizing::new(bytes) })),
            // Erased since it was queued: nothing left to send.
            Err(CoreError::NotFound) => {
                conn.execute("DELETE FROM attachment_uploads WHERE hash = ?1", [&hash])?;
            }
            Err(e) => tracing::warn!(%hash, error = %e, "attachment cannot be read: it stays queued"),
        }
    }
}

fn next_download(conn: &Connection, transfers: &mut Transfers) -> CoreResult<Option<Download>> {
    loop {
        let row: Option<(String, String)> = conn
            .query_row(
                "SELECT hash, kind FROM attachment_downloads WHERE hash > ?1 ORDER BY hash LIMIT 1",
                [&transfers.download_after],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((hash, kind)) = row else {
            transfers.downloads_over = true;
            return Ok(None);
        };
        transfers.download_after.clone_from(&hash);
        let held = conn.query_row("SELECT 1 FROM attachments WHERE hash = ?1", [&hash], |_| Ok(())).optional()?;
        match (held, AttachmentKind::parse(&kind)) {
            (None, Some(kind)) if talento_protocol::is_content_hash(&hash) => return Ok(Some(Download { hash, kind })),
            // Held meanwhile (staged here too), or not a file name at all: nothing to fetch.
            _ => {
                conn.execute("DELETE FROM attachment_downloads WHERE hash = ?1", [&hash])?;
            }
        }
    }
}

fn waiting(conn: &Connection) -> CoreResult<u32> {
    Ok(conn.query_row(
        "SELECT (SELECT count(*) FROM attachment_uploads) + (SELECT count(*) FROM attachment_downloads)",
        [],
        |r| r.get(0),
    )?)
}

fn lost(e: &CoreError) -> bool {
    matches!(e, CoreError::Sync(SyncError::Unreachable(_)))
}

impl Upload {
    /// Sends what the server lacks of the file, from where it stands (network only).
    pub(super) fn send(&self, server: &Server) -> CoreResult<Uploaded> {
        let total = self.bytes.len() as u64;
        if total == 0 || total > MAX_ATTACHMENT_BYTES {
            tracing::warn!(hash = %self.hash, total, "attachment out of the protocol's size limits: not sent");
            return Ok(Uploaded::Refused);
        }
        let mut status = server.upload_status(&self.hash)?;
        let mut retries = 0;
        loop {
            if status.complete {
                return Ok(Uploaded::Held(self.hash.clone()));
            }
            let offset = if status.total == total { status.received.min(total) } else { 0 };
            let end = (offset + MAX_CHUNK_BYTES as u64).min(total);
            match server.upload_chunk(&self.hash, offset, total, &self.bytes[offset as usize..end as usize]) {
                Ok(next) => {
                    status = next;
                    retries = 0;
                }
                // The answer was lost, or the server stands elsewhere (another laptop sends the same file): ask
                // where it stands and go on from there.
                Err(e) if retries < RETRIES && (lost(&e) || is_conflict(&e)) => {
                    retries += 1;
                    status = server.upload_status(&self.hash)?;
                }
                Err(CoreError::Sync(SyncError::Refused { code, message })) => {
                    tracing::warn!(hash = %self.hash, %code, %message, "attachment upload refused");
                    return Ok(Uploaded::Refused);
                }
                Err(e) => return Err(e),
            }
        }
    }
}

fn is_conflict(e: &CoreError) -> bool {
    matches!(e, CoreError::Sync(SyncError::Refused { code, .. }) if code == "conflict")
}

impl Download {
    /// Fetches the file range by range (a lost range is asked again from where it stopped) and checks it against
    /// its hash (network only).
    pub(super) fn fetch(&self, server: &Server) -> CoreResult<Downloaded> {
        let mut bytes = Zeroizing::new(Vec::new());
        let mut retries = 0;
        loop {
            let start = bytes.len() as u64;
            match server.download_range(&self.hash, start, MAX_CHUNK_BYTES as u64) {
                Ok(None) => return Ok(Downloaded::Missing),
                Ok(Some((part, total))) => {
                    if total > MAX_ATTACHMENT_BYTES || part.is_empty() || start + part.len() as u64 > total {
                        tracing::warn!(hash = %self.hash, total, "attachment download out of bounds: left queued");
                        return Ok(Downloaded::Missing);
                    }
                    bytes.extend_from_slice(&part);
                    retries = 0;
                    if bytes.len() as u64 == total {
                        break;
                    }
                }
                Err(e) if retries < RETRIES && lost(&e) => retries += 1,
                Err(e) => return Err(e),
            }
        }
        if sha256_hex(&bytes) != self.hash {
            tracing::warn!(hash = %self.hash, "downloaded attachment does not match its hash: not kept");
            return Ok(Downloaded::Missing);
        }
        // Made here rather than in the store step: decoding and resizing must not hold the engine.
        let thumb = matches!(self.kind, AttachmentKind::Photo | AttachmentKind::IdPhoto)
            .then(|| talento_documents::photo::process_photo(&bytes, None).ok())
            .flatten()
            .map(|processed| Zeroizing::new(processed.thumbnail.bytes));
        Ok(Downloaded::Fetched { hash: self.hash.clone(), kind: self.kind, bytes, thumb })
    }
}

/// Takes a file the server now holds off the upload queue.
pub(super) fn uploaded(conn: &Connection, uploaded: Uploaded, report: &mut SyncReport) -> CoreResult<()> {
    if let Uploaded::Held(hash) = uploaded {
        conn.execute("DELETE FROM attachment_uploads WHERE hash = ?1", [&hash])?;
        report.attachments_sent += 1;
    }
    Ok(())
}

/// Stores a fetched file encrypted, with its metadata row, and takes it off the download queue: one transaction.
pub(super) fn downloaded(
    unlocked: &mut Unlocked,
    attachments: &Attachments,
    downloaded: Downloaded,
    report: &mut SyncReport,
) -> CoreResult<()> {
    let Downloaded::Fetched { hash, kind, bytes, thumb } = downloaded else { return Ok(()) };
    let mime = match kind {
        AttachmentKind::Cv => talento_documents::cv::detect_cv(&bytes).map_or("application/octet-stream", |k| k.mime()),
        _ => "image/jpeg",
    };
    let key = unlocked.data_key.clone();
    let now = now_iso();
    let tx = unlocked.store.transaction()?;
    let stored = attachments.put(&tx, &key, kind, mime, &bytes, &now)?;
    if stored != hash {
        return Err(CoreError::Internal(format!("attachment {hash} stored as {stored}")));
    }
    if let Some(thumb) = thumb {
        let thumb = attachments.put(&tx, &key, AttachmentKind::PhotoThumb, "image/jpeg", &thumb, &now)?;
        tx.execute("UPDATE attachments SET thumb = ?1 WHERE hash = ?2", [&thumb, &hash])?;
    }
    tx.execute("DELETE FROM attachment_downloads WHERE hash = ?1", [&hash])?;
    tx.commit()?;
    report.attachments_received += 1;
    Ok(())
}
