//! Syncing this laptop with the agency's central server (protocol in `talento_protocol::sync`): enrollment with a
//! one-time token, then at each sync: status (what the server already holds of this laptop's log), code leases and
//! provisional codes ([`leases`]), push of the change log above the acknowledged seq in batches of at most 1,000
//! (gzip), then pull of the other laptops' changes page by page, each page applied in one transaction ([`apply`]).
//! Every step records its progress as it goes, so an interruption (network, server restart, the app closing) loses
//! nothing: the next sync resumes where this one stopped.
//!
//! The store and the network take turns: a [`SyncJob`] holds what to ask the server next, [`SyncJob::exchange`]
//! asks it (no store), and [`Talento::sync_step`] writes the answer and prepares the next request (one transaction
//! per write). The desktop locks its shared engine for the store steps only, so scans and searches go on while the
//! server answers; [`Talento::sync_now`] runs the same steps in a row. Enrollment is split the same way
//! ([`Talento::enroll_request`], [`Enrollment::send`], [`Talento::enroll_finish`]).
//!
//! Attachments (photos, CVs, ID scans, logos) travel beside the log, by content hash ([`attachments`]): after the
//! push each file this laptop's rows name goes up (resuming where the server stands), after the pull each file the
//! pulled rows name comes down, checked against its hash and encrypted with this laptop's key.
//!
//! Accounts reach every enrolled laptop ([`accounts`]): enrollment hands over the agency key, each account's synced
//! `key_wrap` holds it under the person's password, and after each pulled page of accounts the key file gets an
//! entry for every active account (and loses those of deactivated ones), so any staff member logs in on any
//! enrolled laptop offline.
//!
//! The agency row is shared too: at enrollment (or the next sync of a laptop enrolled before) it takes the server's
//! agency id, so its name and the logo printed on badges merge like any row. Out of this slice: the agency key is
//! never rotated.

pub(crate) mod accounts;
pub(crate) mod apply;
mod attachments;
mod client;
pub(crate) mod leases;
mod report;

use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use talento_domain::{Action, FieldError, FieldProblem};
use talento_protocol::sync::MAX_BATCH;
use talento_protocol::{
    Change, EnrollRequest, EnrollResponse, LeaseRequest, LeaseResponse, Op, PullResponse, PushOutcome, PushResponse,
    StatusResponse,
};
use uuid::Uuid;

use self::client::Server;
pub use self::report::{
    CodeFinalized, LeaseDto, MergeDto, MergeOutcome, ReportIssue, SetAsideDto, SkipReason, SkippedDto, SyncReport,
};
use crate::attachments::Attachments;
use crate::audit::{self, Activity};
use crate::changelog;
use crate::engine::{Talento, Unlocked, now_iso};
use crate::error::{CoreError, CoreResult, SyncError};

/// Changes asked for per pull page: the most the protocol allows, so a first sync commits as few transactions as it
/// can (each page is one).
const PULL_PAGE: u32 = talento_protocol::sync::MAX_PULL_LIMIT;

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

/// The computer's name, offered as the device name when enrolling (`None` when the system does not say).
pub fn default_device_name() -> Option<String> {
    let name = std::env::var("COMPUTERNAME")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .or_else(|_| std::env::var("HOSTNAME"))
        .ok()?;
    let name = name.trim();
    (!name.is_empty() && name != "localhost").then(|| name.to_owned())
}

/// An enrollment ready to be sent: the server to ask and what to tell it. Made by [`Talento::enroll_request`].
pub struct Enrollment {
    url: String,
    request: EnrollRequest,
}

/// The server's answer to an [`Enrollment`], for [`Talento::enroll_finish`] to keep.
pub struct Enrolled {
    url: String,
    response: EnrollResponse,
}

// By hand: the token and the credential never reach a log.
impl std::fmt::Debug for Enrollment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Enrollment").field("url", &self.url).field("token", &"<hidden>").finish_non_exhaustive()
    }
}

impl std::fmt::Debug for Enrolled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Enrolled").field("url", &self.url).field("credential", &"<hidden>").finish_non_exhaustive()
    }
}

impl Enrollment {
    /// Trades the one-time token for the device credential (network only: no store, no lock).
    pub fn send(self) -> CoreResult<Enrolled> {
        let response = Server::new(&self.url, None).enroll(&self.request)?;
        Ok(Enrolled { url: self.url, response })
    }
}

impl Talento {
    /// Enrolls this laptop with the agency's server (administrators): trades the one-time token for a device
    /// credential bound to this laptop's device id and database id, kept encrypted in the store.
    pub fn enroll(&mut self, server_url: &str, token: &str, device_name: &str) -> CoreResult<SyncStatus> {
        let enrolled = self.enroll_request(server_url, token, device_name)?.send()?;
        self.enroll_finish(enrolled)
    }

    /// The first step of [`Talento::enroll`]: checks the form and that this laptop is not enrolled already.
    pub fn enroll_request(&mut self, server_url: &str, token: &str, device_name: &str) -> CoreResult<Enrollment> {
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
        Ok(Enrollment { url, request })
    }

    /// The last step of [`Talento::enroll`]: keeps the credential (one transaction) and says where the laptop stands.
    pub fn enroll_finish(&mut self, enrolled: Enrolled) -> CoreResult<SyncStatus> {
        let key_path = self.files.key_file();
        let unlocked = self.require(Action::SettingsManage)?;
        let Enrolled { url, response } = enrolled;
        let device_id = changelog::device_id(unlocked.store.conn())?;
        let now = now_iso();
        let actor = unlocked.user.id;
        let agency_key = accounts::decode_agency_key(&response.agency_key);
        let tx = unlocked.store.transaction()?;
        tx.execute(
            "UPDATE sync_state SET agency_key = ?1 WHERE id = 1",
            [agency_key.as_ref().map(|k| crate::crypto::hex(k.as_slice()))],
        )?;
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
        adopt_agency(&tx, &response.agency_id.to_string())?;
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
        let fresh = accounts::reconcile(unlocked.store.conn(), &key_path, &unlocked.data_key)?;
        self.set_key_file(fresh);
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
    /// laptop (`secret_seed`) and the accounts' key wraps: what the convergence tests compare across laptops and with the server.
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
                if name == "secret_seed" || name == "key_wrap" {
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

    /// Syncs now: leases, push, pull, every step in a row on this engine. On `device_revoked` the laptop wipes its
    /// personal data and reports it; on any other failure everything stays queued and the error says why
    /// (unreachable, protocol mismatch…).
    pub fn sync_now(&mut self) -> CoreResult<SyncReport> {
        let mut job = self.sync_begin()?;
        while job.exchange() {
            self.sync_step(&mut job);
        }
        self.sync_finish(job)
    }

    /// Starts a sync: checks this laptop is enrolled and not revoked, and makes the job whose first request is the
    /// server's status.
    pub fn sync_begin(&mut self) -> CoreResult<SyncJob> {
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
        // Laptops enrolled before the agency row was shared adopt the server's agency id at their next sync.
        let agency_id: Option<String> =
            unlocked.store.conn().query_row("SELECT agency_id FROM sync_state WHERE id = 1", [], |r| r.get(0))?;
        if let Some(agency_id) = agency_id {
            let tx = unlocked.store.transaction()?;
            adopt_agency(&tx, &agency_id)?;
            tx.commit()?;
        }
        Ok(SyncJob {
            server: Server::new(&url, Some(credential.to_string())),
            report: SyncReport { started_at: now_iso(), ..SyncReport::default() },
            acked: current.acked_seq,
            cursor: current.pull_cursor,
            next: Exchange::Status,
            answer: None,
            failure: None,
            transfers: attachments::Transfers::default(),
        })
    }

    /// Writes the server's last answer and prepares the next request. A failure stops the job (kept for
    /// [`Talento::sync_finish`] to report); what was written before it stays.
    pub fn sync_step(&mut self, job: &mut SyncJob) {
        if let Err(e) = self.apply_answer(job) {
            job.fail(e);
        }
    }

    /// Ends a sync: on `device_revoked` wipes this laptop's personal data, then keeps the report (shown by the Sync
    /// screen until the next sync) and returns it, or the error that stopped the sync.
    pub fn sync_finish(&mut self, job: SyncJob) -> CoreResult<SyncReport> {
        let attachments = Attachments::new(&self.files.dir);
        let unlocked = self.require_quietly(Action::SyncRun)?;
        let SyncJob { mut report, failure, .. } = job;
        report.finished_at = now_iso();
        let outcome = match failure {
            None => Ok(()),
            Some(CoreError::Sync(SyncError::DeviceRevoked)) => {
                wipe_revoked(unlocked, &attachments)?;
                report.errors.push(ReportIssue::DeviceRevoked);
                Err(CoreError::Sync(SyncError::DeviceRevoked))
            }
            Some(e) => {
                tracing::warn!(error = %e, "sync stopped");
                report.errors.push(issue(&e));
                Err(e)
            }
        };
        let json = serde_json::to_string(&report).unwrap_or_default();
        let finished = outcome.is_ok().then(|| report.finished_at.clone());
        unlocked.store.conn().execute(
            "UPDATE sync_state SET last_report = ?1, last_sync_at = coalesce(?2, last_sync_at) WHERE id = 1",
            rusqlite::params![json, finished],
        )?;
        self.follow_own_account()?;
        outcome.map(|()| report)
    }

    /// A sync may bring this session's own account as changed on another laptop: a new role or name takes effect
    /// now, and a deactivated account ends the session (the next call asks for a login, which it refuses).
    fn follow_own_account(&mut self) -> CoreResult<()> {
        let Some(session) = self.unlocked.as_mut() else { return Ok(()) };
        let row: Option<(String, String, bool)> = session
            .store
            .conn()
            .query_row("SELECT role, name, active FROM users WHERE id = ?1", [session.user.id.to_string()], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?;
        match row {
            Some((role, name, true)) => {
                if let Some(role) = talento_domain::Role::parse(&role) {
                    session.user.role = role;
                }
                session.user.name = name;
                Ok(())
            }
            _ => {
                tracing::warn!("this session's account was deactivated on another laptop: session ended");
                self.close_session(Some(crate::dto::SecurityEventKind::UserDeactivated))
            }
        }
    }

    fn apply_answer(&mut self, job: &mut SyncJob) -> CoreResult<()> {
        let attachments = Attachments::new(&self.files.dir);
        let key_path = self.files.key_file();
        let unlocked = self.require_quietly(Action::SyncRun)?;
        let Some(answer) = job.answer.take() else { return Ok(()) };
        match answer {
            Answer::Status(status) => {
                set_acked(unlocked.store.conn(), status.contiguous_seq)?;
                job.acked = status.contiguous_seq;
                // Leases first, so provisional codes are final before their rows are pushed.
                let wanted = leases::wanted(unlocked.store.conn())?;
                if wanted.is_empty() {
                    finalize_codes(unlocked, &mut job.report)?;
                    job.next = next_push(unlocked.store.conn(), job)?;
                } else {
                    job.next = Exchange::Leases(wanted);
                }
            }
            Answer::Leased(granted) => {
                let tx = unlocked.store.transaction()?;
                leases::record(&tx, &granted, &now_iso(), &mut job.report)?;
                tx.commit()?;
                finalize_codes(unlocked, &mut job.report)?;
                job.next = next_push(unlocked.store.conn(), job)?;
            }
            Answer::Pushed { batch, response } => {
                count_push(&batch, &response, &mut job.report);
                set_acked(unlocked.store.conn(), response.contiguous_seq)?;
                if response.contiguous_seq <= job.acked {
                    // The server took nothing new below the batch's end: stop rather than resend forever.
                    let sent = batch.last().map_or(0, |c| c.seq);
                    return Err(CoreError::Sync(SyncError::NoProgress { acked: response.contiguous_seq, sent }));
                }
                job.acked = response.contiguous_seq;
                job.next = next_push(unlocked.store.conn(), job)?;
            }
            Answer::Uploaded(uploaded) => {
                attachments::uploaded(unlocked.store.conn(), uploaded, &mut job.report)?;
                job.next = Exchange::Pull;
            }
            Answer::Downloaded(downloaded) => {
                attachments::downloaded(unlocked, &attachments, downloaded, &mut job.report)?;
                job.next = Exchange::Done;
            }
            Answer::Pulled(page) => {
                // With the last page, once everything this sync brings is in (a row an edit waited for…).
                let retry_parked = !page.has_more;
                apply_page(unlocked, &attachments, &page, retry_parked, &mut job.report)?;
                // Only a page that brings accounts can change the key file (and a retried parked one, last page).
                if retry_parked || page.changes.iter().any(|c| c.change.table == "users") {
                    accounts::reconcile(unlocked.store.conn(), &key_path, &unlocked.data_key)?;
                }
                job.cursor = page.next_after;
                job.next = if page.has_more { Exchange::Pull } else { Exchange::Done };
            }
        }
        // Files go once this laptop's rows are pushed, and come once the other laptops' rows are pulled.
        let next = std::mem::replace(&mut job.next, Exchange::Done);
        job.next = attachments::next_step(unlocked, &attachments, next, &mut job.transfers, &mut job.report)?;
        Ok(())
    }
}

/// One sync under way: what to ask the server next, its last answer, the report so far. Asked by
/// [`SyncJob::exchange`] (network only), written by [`Talento::sync_step`] (store only).
pub struct SyncJob {
    server: Server,
    report: SyncReport,
    acked: u64,
    cursor: u64,
    next: Exchange,
    answer: Option<Answer>,
    failure: Option<CoreError>,
    transfers: attachments::Transfers,
}

/// The next request of a job.
enum Exchange {
    Status,
    Leases(Vec<LeaseRequest>),
    Push(Vec<Change>),
    Upload(attachments::Upload),
    Pull,
    Download(attachments::Download),
    Done,
}

/// What the server answered, for the next store step.
enum Answer {
    Status(StatusResponse),
    Leased(Vec<LeaseResponse>),
    Pushed { batch: Vec<Change>, response: PushResponse },
    Pulled(PullResponse),
    Uploaded(attachments::Uploaded),
    Downloaded(attachments::Downloaded),
}

// By hand: the batches and pages carry personal data, and logs must not.
impl std::fmt::Debug for SyncJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncJob")
            .field("server", &self.server)
            .field("acked", &self.acked)
            .field("cursor", &self.cursor)
            .field("failure", &self.failure)
            .finish_non_exhaustive()
    }
}

impl SyncJob {
    /// Sends the next request and keeps the answer for [`Talento::sync_step`]; touches no store, so a shared engine
    /// stays free meanwhile. `false` once the job is done or stopped: time for [`Talento::sync_finish`].
    pub fn exchange(&mut self) -> bool {
        if self.failure.is_some() {
            return false;
        }
        let answer = match std::mem::replace(&mut self.next, Exchange::Done) {
            Exchange::Done => return false,
            Exchange::Status => self.server.status().map(Answer::Status),
            Exchange::Leases(wanted) => self.lease(&wanted).map(Answer::Leased),
            Exchange::Push(batch) => self.server.push(&batch).map(|response| Answer::Pushed { batch, response }),
            Exchange::Pull => self.server.pull(self.cursor, PULL_PAGE).map(Answer::Pulled),
            Exchange::Upload(upload) => upload.send(&self.server).map(Answer::Uploaded),
            Exchange::Download(download) => download.fetch(&self.server).map(Answer::Downloaded),
        };
        match answer {
            Ok(answer) => self.answer = Some(answer),
            Err(e) => self.fail(e),
        }
        self.failure.is_none()
    }

    /// Whether this laptop's own changes are all sent (rows and files) and the job now receives the other laptops'
    /// (or is done): where `talento bench` splits a sync's push from its pull.
    pub fn is_receiving(&self) -> bool {
        matches!(self.next, Exchange::Pull | Exchange::Download(_) | Exchange::Done)
    }

    /// Leases every block asked for; a scope the server refuses (exhausted, or not a scope it knows) is reported
    /// and skipped.
    fn lease(&mut self, wanted: &[LeaseRequest]) -> CoreResult<Vec<LeaseResponse>> {
        let mut granted = Vec::new();
        for request in wanted {
            let scope = request.scope.clone();
            match self.server.lease(request) {
                Ok(lease) => granted.push(lease),
                Err(CoreError::Sync(SyncError::ScopeExhausted)) => {
                    self.report.errors.push(ReportIssue::ScopeExhausted { scope });
                }
                Err(CoreError::Sync(SyncError::Refused { code, message })) => {
                    tracing::warn!(%scope, %code, %message, "lease refused");
                    self.report.errors.push(ReportIssue::LeaseRefused { scope });
                }
                Err(e) => return Err(e),
            }
        }
        Ok(granted)
    }

    fn fail(&mut self, e: CoreError) {
        self.next = Exchange::Done;
        self.answer = None;
        self.failure = Some(e);
    }
}

/// Gives this laptop's agency row the id of the agency on the server, so every laptop's edits of it (the name, the
/// logo printed on badges) meet on one row and merge like any other. What this laptop set before enrolling is logged
/// under that id — only the values it has: a laptop without a logo never erases another's. Nothing when already done.
fn adopt_agency(tx: &rusqlite::Transaction<'_>, agency_id: &str) -> CoreResult<()> {
    type Agency = (String, String, Option<String>, String, String);
    let Some((id, name, logo, created_at, updated_at)): Option<Agency> = tx
        .query_row("SELECT id, name, logo, created_at, updated_at FROM agency LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .optional()?
    else {
        return Ok(());
    };
    if id == agency_id {
        return Ok(());
    }
    let stamp = changelog::tick(tx, crate::engine::now_millis())?;
    tx.execute(
        "UPDATE agency SET id = ?1, hlc = ?2 WHERE id = ?3",
        rusqlite::params![agency_id, stamp.to_string(), id],
    )?;
    let mut fields = Map::new();
    fields.insert("name".into(), Value::String(name));
    fields.insert("created_at".into(), Value::String(created_at));
    fields.insert("updated_at".into(), Value::String(updated_at));
    if let Some(logo) = logo {
        fields.insert("logo".into(), Value::String(logo));
    }
    changelog::record(tx, &stamp, "agency", agency_id, Op::Upsert, &Value::Object(fields))?;
    Ok(())
}

/// The report's words for what stopped a sync.
fn issue(e: &CoreError) -> ReportIssue {
    match e {
        CoreError::Sync(SyncError::Unreachable(_)) => ReportIssue::Unreachable,
        CoreError::Sync(SyncError::ProtocolMismatch(_)) => ReportIssue::ProtocolMismatch,
        CoreError::Sync(SyncError::Unauthorized) => ReportIssue::Unauthorized,
        CoreError::Sync(SyncError::DeviceRevoked) => ReportIssue::DeviceRevoked,
        CoreError::Sync(SyncError::NoProgress { .. }) => ReportIssue::NoProgress,
        CoreError::Sync(SyncError::Refused { code, .. }) => ReportIssue::Refused { code: code.clone() },
        _ => ReportIssue::Failed,
    }
}

fn set_acked(conn: &Connection, acked: u64) -> CoreResult<()> {
    conn.execute("UPDATE sync_state SET acked_seq = ?1 WHERE id = 1", [acked as i64])?;
    Ok(())
}

/// Gives every provisional code that can be a leased number (one transaction), then refreshes the session's index.
fn finalize_codes(unlocked: &mut Unlocked, report: &mut SyncReport) -> CoreResult<()> {
    let tx = unlocked.store.transaction()?;
    let finalized = leases::finalize(&tx, &now_iso(), report)?;
    let mut rowids = Vec::new();
    for id in &finalized {
        rowids.extend(crate::talents::reindex_for_sync(&tx, id)?);
    }
    tx.commit()?;
    crate::talents::refresh_index(unlocked, &rowids)
}

/// The next batch of this laptop's log above the acknowledged seq, or the pull once nothing is left to send.
fn next_push(conn: &Connection, job: &SyncJob) -> CoreResult<Exchange> {
    // Only this laptop's own changes are ever in its log (pulled ones are applied, never appended).
    let entries = changelog::since(conn, job.acked, u32::try_from(MAX_BATCH).unwrap_or(u32::MAX))?;
    let batch: Vec<Change> = entries
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
        .collect();
    Ok(if batch.is_empty() { Exchange::Pull } else { Exchange::Push(batch) })
}

fn count_push(batch: &[Change], response: &PushResponse, report: &mut SyncReport) {
    for result in &response.results {
        match &result.outcome {
            PushOutcome::Accepted { .. } => report.pushed += 1,
            PushOutcome::Duplicate => report.duplicates += 1,
            PushOutcome::SetAside { reason, detail } => {
                let change = batch.get(result.index);
                tracing::warn!(seq = result.seq, reason = reason.as_str(), detail, "change set aside by the server");
                report.set_aside.push(SetAsideDto {
                    seq: result.seq.unwrap_or_default() as u32,
                    table: change.map(|c| c.table.clone()).unwrap_or_default(),
                    row_id: change.map(|c| c.row_id.clone()).unwrap_or_default(),
                    reason: reason.as_str().to_owned(),
                });
            }
        }
    }
}

/// Applies one pulled page and moves the cursor past it, in one transaction; then refreshes the session's index
/// for the talents it changed.
fn apply_page(
    unlocked: &mut Unlocked,
    attachments: &Attachments,
    page: &PullResponse,
    retry_parked: bool,
    report: &mut SyncReport,
) -> CoreResult<()> {
    let now = now_iso();
    let tx = unlocked.store.transaction()?;
    // A page may hold a row and, later, what refers to it: check references once the page is in.
    tx.execute_batch("PRAGMA defer_foreign_keys = ON")?;
    let started_at = report.started_at.clone();
    let mut applier = apply::Applier::new(&tx, attachments, report, &now);
    for change in &page.changes {
        applier.apply(change)?;
    }
    if retry_parked {
        applier.retry_parked(&started_at)?;
    }
    let (talents, newest) = (std::mem::take(&mut applier.talents), applier.newest);
    drop(applier);
    if let Some(remote) = newest {
        changelog::observe(&tx, remote, crate::engine::now_millis())?;
    }
    let mut rowids = Vec::new();
    for id in &talents {
        rowids.extend(crate::talents::reindex_for_sync(&tx, id)?);
    }
    tx.execute("UPDATE sync_state SET pull_cursor = ?1 WHERE id = 1", [page.next_after as i64])?;
    tx.commit()?;
    crate::talents::refresh_index(unlocked, &rowids)
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
    tx.execute(&format!("UPDATE talents SET {}", crate::talents::ERASED_PERSONAL_DATA), [])?;
    for hash in &hashes {
        attachments.delete(&tx, hash)?;
    }
    tx.execute("INSERT INTO talent_fts (talent_fts) VALUES ('delete-all')", [])?;
    tx.execute("DELETE FROM drafts", [])?;
    tx.execute("UPDATE change_log SET fields = '{}' WHERE table_name = 'talents'", [])?;
    tx.execute("DELETE FROM sync_parked", [])?;
    // The files are gone, and a revoked laptop no longer syncs: nothing left to send or fetch.
    tx.execute_batch("DELETE FROM attachment_uploads; DELETE FROM attachment_downloads;")?;
    tx.execute("UPDATE sync_state SET credential = NULL, agency_key = NULL, revoked_at = ?1 WHERE id = 1", [&now])?;
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
    // Every name went: the session's index is rebuilt at the next search.
    unlocked.search = None;
    tracing::warn!("this laptop was revoked: personal data wiped");
    Ok(())
}
