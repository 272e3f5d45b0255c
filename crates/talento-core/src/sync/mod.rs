//! Syncing this laptop with the agency's central server (protocol in `talento_protocol::sync`): enrollment with a
//! one-time token, then at each [`Talento::sync_now`]: status (what the server already holds of this laptop's log),
//! code leases and provisional codes ([`leases`]), push of the change log above the acknowledged seq in batches of
//! at most 1,000 (gzip), then pull of the other laptops' changes page by page, each page applied in one transaction
//! ([`apply`]). Every step records its progress as it goes, so an interruption (network, server restart, the app
//! closing) loses nothing: the next sync resumes where this one stopped.
//!
//! Out of this slice: users and data keys stay per laptop (a user created on one laptop cannot log in on another
//! yet), each laptop keeps its own `agency` row, and attachments (photos, CVs) do not travel yet.

pub mod apply;
mod client;
pub mod leases;

use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use talento_domain::{Action, FieldError, FieldProblem, HybridClock};
use talento_protocol::sync::MAX_BATCH;
use talento_protocol::{Change, EnrollRequest, Op, PushOutcome, PushRequest};
use uuid::Uuid;

use self::client::Server;
use crate::attachments::Attachments;
use crate::audit::{self, Activity};
use crate::changelog;
use crate::engine::{Talento, Unlocked, now_iso, now_millis};
use crate::error::{CoreError, CoreResult, SyncError};

/// Changes asked for per pull page.
pub const PULL_PAGE: u32 = 500;

/// Where this laptop stands with the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SyncStatus {
    pub enrolled: bool,
    /// An administrator revoked this laptop: its personal data was wiped and it no longer syncs.
    pub revoked: bool,
    pub server_url: Option<String>,
    pub agency_name: Option<String>,
    pub device_id: String,
    pub database_id: String,
    /// When the last sync finished without error.
    pub last_sync_at: Option<String>,
    /// Entries of this laptop's change log the server has not acknowledged yet.
    pub changes_waiting: u32,
    /// Codes issued offline, waiting for a leased number.
    pub provisional_codes: u32,
    pub last_report: Option<SyncReport>,
}

/// What one sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SyncReport {
    pub started_at: String,
    pub finished_at: String,
    /// Changes of this laptop the server stored now.
    pub pushed: u32,
    /// Changes sent again that the server already held (a resend after an interruption).
    pub duplicates: u32,
    /// Changes the server kept aside (too large, malformed…): acknowledged, reported, never resent.
    pub set_aside: Vec<SetAsideDto>,
    /// Other laptops' changes received.
    pub pulled: u32,
    /// Received changes that changed at least one local row.
    pub applied: u32,
    /// Fields where a received value met one written on this laptop: which was kept (last writer wins).
    pub merges: Vec<MergeDto>,
    pub merge_count: u32,
    /// Received scan events that duplicate one made on another laptop (kept, flagged for the presence officer).
    pub flagged_duplicate_scans: u32,
    /// Received changes (or parts) this version could not apply: unknown tables or columns, refused rows.
    pub skipped: Vec<SkippedDto>,
    pub skipped_count: u32,
    pub leases: Vec<LeaseDto>,
    pub codes_finalized: Vec<CodeFinalized>,
    pub errors: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SetAsideDto {
    pub seq: u32,
    pub table: String,
    pub row_id: String,
    pub reason: String,
    pub detail: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum MergeOutcome {
    /// The other laptop's value is newer and replaced this laptop's.
    RemoteWon,
    /// This laptop's value is newer and stays (the server keeps it too).
    LocalKept,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct MergeDto {
    pub table: String,
    pub row_id: String,
    pub field: String,
    pub outcome: MergeOutcome,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SkippedDto {
    pub server_seq: u32,
    pub table: String,
    pub row_id: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct LeaseDto {
    pub scope: String,
    pub start: u32,
    pub end_excl: u32,
}

/// A provisional code replaced by its final one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CodeFinalized {
    pub table: String,
    pub row_id: String,
    pub provisional: String,
    pub code: String,
}

/// The `sync_state` row. The credential never leaves this struct but for the HTTP header; `Debug` hides it.
struct State {
    database_id: String,
    server_url: Option<String>,
    credential: Option<zeroize::Zeroizing<String>>,
    agency_name: Option<String>,
    acked_seq: u64,
    pull_cursor: u64,
    last_sync_at: Option<String>,
    last_report: Option<String>,
    revoked: bool,
}

impl std::fmt::Debug for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("State")
            .field("server_url", &self.server_url)
            .field("credential", &self.credential.as_ref().map(|_| "<hidden>"))
            .field("acked_seq", &self.acked_seq)
            .field("pull_cursor", &self.pull_cursor)
            .finish_non_exhaustive()
    }
}

/// Reads the state row, creating it (with a new database id) at first need.
fn state(store: &mut crate::store::Store) -> CoreResult<State> {
    if let Some(state) = read_state(store.conn())? {
        return Ok(state);
    }
    let tx = store.transaction()?;
    tx.execute(
        "INSERT INTO sync_state (id, database_id) VALUES (1, ?1) ON CONFLICT (id) DO NOTHING",
        [Uuid::now_v7().to_string()],
    )?;
    tx.commit()?;
    read_state(store.conn())?.ok_or_else(|| CoreError::Internal("sync state".into()))
}

fn read_state(conn: &Connection) -> CoreResult<Option<State>> {
    Ok(conn
        .query_row(
            "SELECT database_id, server_url, credential, agency_name, acked_seq, pull_cursor, last_sync_at,
                    last_report, revoked_at IS NOT NULL
             FROM sync_state WHERE id = 1",
            [],
            |r| {
                Ok(State {
                    database_id: r.get(0)?,
                    server_url: r.get(1)?,
                    credential: r.get::<_, Option<String>>(2)?.map(zeroize::Zeroizing::new),
                    agency_name: r.get(3)?,
                    acked_seq: r.get::<_, i64>(4)? as u64,
                    pull_cursor: r.get::<_, i64>(5)? as u64,
                    last_sync_at: r.get(6)?,
                    last_report: r.get(7)?,
                    revoked: r.get(8)?,
                })
            },
        )
        .optional()?)
}

fn last_seq(conn: &Connection) -> CoreResult<u64> {
    Ok(conn.query_row("SELECT next_seq - 1 FROM device WHERE id = 1", [], |r| r.get::<_, i64>(0))? as u64)
}

impl Talento {
    /// Enrolls this laptop with the agency's server (administrators): trades the one-time token for a device
    /// credential bound to this laptop's device id and database id, kept encrypted in the store.
    pub fn enroll(&mut self, server_url: &str, token: &str, device_name: &str) -> CoreResult<SyncStatus> {
        let unlocked = self.require(Action::SettingsManage)?;
        let mut errors = Vec::new();
        let url = client::normalize_url(server_url);
        if url.is_none() {
            errors.push(FieldError::new("serverUrl", FieldProblem::InvalidUrl));
        }
        if token.trim().is_empty() {
            errors.push(FieldError::new("token", FieldProblem::Required));
        }
        let device_name = device_name.trim();
        if device_name.is_empty() {
            errors.push(FieldError::new("deviceName", FieldProblem::Required));
        }
        crate::error::check(errors)?;
        let url = url.unwrap_or_default();
        let current = state(&mut unlocked.store)?;
        if current.credential.is_some() && !current.revoked {
            return Err(CoreError::Sync(SyncError::AlreadyEnrolled));
        }
        let device_id = changelog::device_id(unlocked.store.conn())?;
        let database_id = Uuid::parse_str(&current.database_id)
            .map_err(|e| CoreError::StoreCorrupted(format!("database id: {e}")))?;
        let request = EnrollRequest {
            token: token.trim().to_owned(),
            device_id,
            database_id,
            device_name: device_name.to_owned(),
        };
        let response = Server::new(&url, None).enroll(&request)?;
        let now = now_iso();
        let actor = unlocked.user.id;
        let tx = unlocked.store.transaction()?;
        tx.execute(
            "UPDATE sync_state SET server_url = ?1, credential = ?2, agency_id = ?3, agency_name = ?4, enrolled_at = ?5,
                acked_seq = 0, pull_cursor = 0, revoked_at = NULL WHERE id = 1",
            rusqlite::params![
                url,
                response.device_credential.as_str(),
                response.agency_id.to_string(),
                response.agency_name,
                now
            ],
        )?;
        audit::activity(
            &tx,
            &Activity {
                at: &now,
                user: Some(actor),
                device: device_id,
                action: "device_enrolled",
                entity: "sync",
                entity_id: None,
                details: Some(serde_json::json!({ "server": url, "agency": response.agency_name })),
            },
        )?;
        tx.commit()?;
        tracing::info!(server = %url, "laptop enrolled");
        self.sync_status()
    }

    /// Enrolled or not, the server, the last sync, and how many changes wait to be sent.
    /// Not counted as activity: the header asks for it every minute.
    pub fn sync_status(&mut self) -> CoreResult<SyncStatus> {
        let unlocked = self.require_quietly(Action::SyncRun)?;
        let current = state(&mut unlocked.store)?;
        let conn = unlocked.store.conn();
        let waiting = last_seq(conn)?.saturating_sub(current.acked_seq);
        let provisional: u32 = conn.query_row("SELECT count(*) FROM provisional_codes", [], |r| r.get(0))?;
        Ok(SyncStatus {
            enrolled: current.credential.is_some() && !current.revoked,
            revoked: current.revoked,
            server_url: current.server_url,
            agency_name: current.agency_name,
            device_id: changelog::device_id(conn)?.to_string(),
            database_id: current.database_id,
            last_sync_at: current.last_sync_at,
            changes_waiting: u32::try_from(waiting).unwrap_or(u32::MAX),
            provisional_codes: provisional,
            last_report: current.last_report.and_then(|r| serde_json::from_str(&r).ok()),
        })
    }

    /// Every row of a synced table as this laptop holds it, in id order, without the columns that never leave the
    /// laptop (`secret_seed`): what the convergence tests compare across laptops and with the server.
    pub fn synced_rows(&mut self, table: &str) -> CoreResult<Vec<Map<String, Value>>> {
        let unlocked = self.require(Action::SyncRun)?;
        if !apply::SYNCED_TABLES.contains(&table) {
            return Err(CoreError::NotFound);
        }
        let conn = unlocked.store.conn();
        let mut stmt = conn.prepare(&format!("SELECT * FROM {table} ORDER BY id"))?;
        let names: Vec<String> = stmt.column_names().map(str::to_owned).collect();
        let rows = stmt.query_map([], |r| {
            let mut row = Map::new();
            for (i, name) in names.iter().enumerate() {
                if name == "secret_seed" {
                    continue;
                }
                let value = match r.get_ref(i)? {
                    rusqlite::types::ValueRef::Null | rusqlite::types::ValueRef::Blob(_) => Value::Null,
                    rusqlite::types::ValueRef::Integer(n) => Value::from(n),
                    rusqlite::types::ValueRef::Real(f) => Value::from(f),
                    rusqlite::types::ValueRef::Text(t) => Value::from(String::from_utf8_lossy(t).into_owned()),
                };
                row.insert(name.clone(), value);
            }
            Ok(row)
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Syncs now: leases, push, pull. On `device_revoked` the laptop wipes its personal data and reports it; on any
    /// other failure everything stays queued and the error says why (unreachable, protocol mismatch…).
    pub fn sync_now(&mut self) -> CoreResult<SyncReport> {
        let attachments = Attachments::new(&self.files.dir);
        // Not counted as activity: automatic syncs must not keep an unattended laptop unlocked (a person pressing
        // "Synchroniser maintenant" is already counted by the window's own activity signal).
        let unlocked = self.require_quietly(Action::SyncRun)?;
        let current = state(&mut unlocked.store)?;
        if current.revoked {
            return Err(CoreError::Sync(SyncError::DeviceRevoked));
        }
        let (Some(url), Some(credential)) = (current.server_url.clone(), current.credential.clone()) else {
            return Err(CoreError::Sync(SyncError::NotEnrolled));
        };
        let server = Server::new(&url, Some(credential.to_string()));
        let mut report = SyncReport { started_at: now_iso(), ..SyncReport::default() };
        let result = run(unlocked, &server, &attachments, current.pull_cursor, &mut report);
        // Whatever happened, rows may have changed: the search index is rebuilt at the next search (this
        // connection's own commits do not move PRAGMA data_version, so `outdated` alone would not see them).
        unlocked.search = None;
        report.finished_at = now_iso();
        let outcome = match result {
            Ok(()) => Ok(()),
            Err(CoreError::Sync(SyncError::DeviceRevoked)) => {
                wipe_revoked(unlocked, &attachments)?;
                report.errors.push("device revoked: personal data wiped on this laptop".into());
                Err(CoreError::Sync(SyncError::DeviceRevoked))
            }
            Err(e) => {
                report.errors.push(e.to_string());
                Err(e)
            }
        };
        let json = serde_json::to_string(&report).unwrap_or_default();
        let finished = outcome.is_ok().then(|| report.finished_at.clone());
        unlocked.store.conn().execute(
            "UPDATE sync_state SET last_report = ?1, last_sync_at = coalesce(?2, last_sync_at) WHERE id = 1",
            rusqlite::params![json, finished],
        )?;
        outcome.map(|()| report)
    }
}

fn run(
    unlocked: &mut Unlocked,
    server: &Server,
    attachments: &Attachments,
    cursor: u64,
    report: &mut SyncReport,
) -> CoreResult<()> {
    let status = server.status()?;
    unlocked
        .store
        .conn()
        .execute("UPDATE sync_state SET acked_seq = ?1 WHERE id = 1", [status.contiguous_seq as i64])?;

    // Leases first, so provisional codes are final before their rows are pushed.
    let now = now_iso();
    leases::refill(server, &mut unlocked.store, &now, report)?;
    let tx = unlocked.store.transaction()?;
    let finalized = leases::finalize(&tx, &now, report)?;
    for id in &finalized {
        crate::talents::reindex_for_sync(&tx, id)?;
    }
    tx.commit()?;

    push(unlocked, server, status.contiguous_seq, report)?;
    pull(unlocked, server, attachments, cursor, report)
}

fn push(unlocked: &mut Unlocked, server: &Server, mut acked: u64, report: &mut SyncReport) -> CoreResult<()> {
    loop {
        let batch = pending(unlocked.store.conn(), acked, MAX_BATCH)?;
        let Some(last) = batch.last().map(|c| c.seq) else { return Ok(()) };
        let response = server.push(&PushRequest { changes: batch.clone() })?;
        for result in &response.results {
            match &result.outcome {
                PushOutcome::Accepted { .. } => report.pushed += 1,
                PushOutcome::Duplicate => report.duplicates += 1,
                PushOutcome::SetAside { reason, detail } => {
                    let change = batch.get(result.index);
                    report.set_aside.push(SetAsideDto {
                        seq: result.seq.unwrap_or_default() as u32,
                        table: change.map(|c| c.table.clone()).unwrap_or_default(),
                        row_id: change.map(|c| c.row_id.clone()).unwrap_or_default(),
                        reason: reason.as_str().to_owned(),
                        detail: detail.clone(),
                    });
                }
            }
        }
        unlocked
            .store
            .conn()
            .execute("UPDATE sync_state SET acked_seq = ?1 WHERE id = 1", [response.contiguous_seq as i64])?;
        if response.contiguous_seq <= acked {
            // The server took nothing new below the batch's end: stop rather than resend forever.
            return Err(CoreError::Sync(SyncError::Refused {
                code: "no_progress".into(),
                message: format!(
                    "the server acknowledged up to {} after a push ending at {last}",
                    response.contiguous_seq
                ),
            }));
        }
        acked = response.contiguous_seq;
    }
}

/// This laptop's log above `acked`, as the protocol carries it.
fn pending(conn: &Connection, acked: u64, limit: usize) -> CoreResult<Vec<Change>> {
    // Only this laptop's own changes are ever in its log (pulled ones are applied, never appended).
    let entries = changelog::since(conn, acked, u32::try_from(limit).unwrap_or(u32::MAX))?;
    Ok(entries
        .into_iter()
        .map(|c| Change {
            device_id: c.device_id,
            seq: c.seq,
            hlc: c.hlc,
            table: c.table,
            row_id: c.row_id,
            op: Op::parse(&c.op).unwrap_or(Op::Upsert),
            fields: match c.fields {
                Value::Object(map) => map,
                _ => Map::new(),
            },
        })
        .collect())
}

fn pull(
    unlocked: &mut Unlocked,
    server: &Server,
    attachments: &Attachments,
    mut cursor: u64,
    report: &mut SyncReport,
) -> CoreResult<()> {
    loop {
        let page = server.pull(cursor, PULL_PAGE)?;
        let now = now_iso();
        let tx = unlocked.store.transaction()?;
        // A page may hold a row and, later, what refers to it: check references once the page is in.
        tx.execute_batch("PRAGMA defer_foreign_keys = ON")?;
        let mut applier = apply::Applier::new(&tx, attachments, report, &now);
        for change in &page.changes {
            applier.apply(change)?;
        }
        let (talents, newest) = (std::mem::take(&mut applier.talents), applier.newest);
        drop(applier);
        if let Some(remote) = newest {
            observe(&tx, remote)?;
        }
        for id in &talents {
            crate::talents::reindex_for_sync(&tx, id)?;
        }
        tx.execute("UPDATE sync_state SET pull_cursor = ?1 WHERE id = 1", [page.next_after as i64])?;
        tx.commit()?;
        cursor = page.next_after;
        if !page.has_more {
            return Ok(());
        }
    }
}

/// Moves this laptop's hybrid clock past a remote timestamp, so its next change orders after everything it saw.
fn observe(tx: &rusqlite::Transaction<'_>, remote: talento_domain::HlcTimestamp) -> CoreResult<()> {
    let (millis, counter): (i64, i64) =
        tx.query_row("SELECT hlc_millis, hlc_counter FROM device WHERE id = 1", [], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let device = changelog::device_id(tx)?;
    let mut clock = HybridClock::resume(device, millis as u64, counter as u32);
    let stamp = clock.observe(remote, now_millis());
    tx.execute(
        "UPDATE device SET hlc_millis = ?1, hlc_counter = ?2 WHERE id = 1",
        rusqlite::params![stamp.millis as i64, stamp.counter as i64],
    )?;
    Ok(())
}

/// A revoked laptop keeps codes and non-personal rows but no personal data: talents' personal fields, their files,
/// drafts, the search rows and the personal content of its change log go; the credential is forgotten.
fn wipe_revoked(unlocked: &mut Unlocked, attachments: &Attachments) -> CoreResult<()> {
    let now = now_iso();
    let tx = unlocked.store.transaction()?;
    let hashes: Vec<String> = {
        let mut stmt = tx.prepare("SELECT hash FROM attachments")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect::<Result<_, _>>()?
    };
    tx.execute(&format!("UPDATE talents SET {}", apply::ERASE_TALENT_SET), [])?;
    for hash in &hashes {
        attachments.delete(&tx, hash)?;
    }
    tx.execute("INSERT INTO talent_fts (talent_fts) VALUES ('delete-all')", [])?;
    tx.execute("DELETE FROM drafts", [])?;
    tx.execute("UPDATE change_log SET fields = '{}' WHERE table_name = 'talents'", [])?;
    tx.execute("DELETE FROM sync_parked", [])?;
    tx.execute("UPDATE sync_state SET credential = NULL, revoked_at = ?1 WHERE id = 1", [&now])?;
    let device = changelog::device_id(&tx)?;
    audit::activity(
        &tx,
        &Activity {
            at: &now,
            user: Some(unlocked.user.id),
            device,
            action: "device_revoked_wiped",
            entity: "sync",
            entity_id: None,
            details: Some(serde_json::json!({ "files": hashes.len() })),
        },
    )?;
    tx.commit()?;
    tracing::warn!("this laptop was revoked: personal data wiped");
    Ok(())
}
