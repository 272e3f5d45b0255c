//! What one sync did, as the Sync screen and `talento sync` show it. Every entry is typed (a reason or an issue
//! with its parameters), never the server's or SQLite's own text: the screen translates the entries (its
//! `syncScreen` catalogue), the CLI through [`crate::i18n`], and the raw causes go to the log only.

use serde::{Deserialize, Serialize};

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
    /// Attachments (photos, CVs…) of this laptop's rows the server now holds.
    pub attachments_sent: u32,
    /// Attachments of other laptops' rows received, checked against their hash and stored encrypted.
    pub attachments_received: u32,
    /// Attachments still queued after this sync (to send, or that no laptop has provided yet): tried again next time.
    pub attachments_waiting: u32,
    /// Changes received by earlier syncs and still not applicable here (tried again at each sync: a newer version's
    /// tables once this laptop is updated, an account conflict once resolved).
    pub still_parked: u32,
    pub errors: Vec<ReportIssue>,
}

/// A change of this laptop the server kept aside. `reason` is the protocol's code (`too_large`, `malformed`,
/// `wrong_device`, `bad_timestamp`, `bad_target`); the server's detail is logged, not shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SetAsideDto {
    pub seq: u32,
    pub table: String,
    pub row_id: String,
    pub reason: String,
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
    pub reason: SkipReason,
}

/// Why a received change, or part of it, was not applied here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum SkipReason {
    /// A table this version does not have (a newer app version wrote it).
    UnknownTable,
    /// Columns this version does not have; the rest of the change was applied.
    UnknownColumns { columns: Vec<String> },
    /// The change's clock timestamp cannot be read.
    BadTimestamp,
    /// The row could not be written here (a missing profile it edits, a code taken…); the cause is in the log.
    NotApplied,
    /// An account whose e-mail or login code belongs to another account on this laptop: not applied, so nobody
    /// logs in as someone else (an administrator changes one of the two).
    AccountConflict,
}

impl SkipReason {
    /// The reason's name, as the parked change keeps it.
    pub fn kind(&self) -> &'static str {
        match self {
            SkipReason::UnknownTable => "unknownTable",
            SkipReason::UnknownColumns { .. } => "unknownColumns",
            SkipReason::BadTimestamp => "badTimestamp",
            SkipReason::NotApplied => "notApplied",
            SkipReason::AccountConflict => "accountConflict",
        }
    }
}

/// Something the person should know about a sync: why it stopped, or a part of it that did not happen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ReportIssue {
    /// No answer from the server: everything stays queued.
    Unreachable,
    /// The server speaks another protocol version: update the app (or the server).
    ProtocolMismatch,
    /// The server no longer knows this laptop's credential.
    Unauthorized,
    /// An administrator revoked this laptop: its personal data was wiped here.
    DeviceRevoked,
    /// The server acknowledged nothing new after a push: the sync stopped rather than resend forever.
    NoProgress,
    /// The server refused a request (its error code; the message is in the log).
    Refused { code: String },
    /// The sync stopped on this laptop (the cause is in the log).
    Failed,
    /// The server has no number left to lease in this scope.
    ScopeExhausted { scope: String },
    /// The server refused to lease numbers in this scope.
    LeaseRefused { scope: String },
    /// No leased number was left to finalise a provisional code: it stays provisional until a later sync.
    CodeStaysProvisional { code: String },
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
    /// Badges printed with the provisional code, revoked now: the project's next badge print re-issues them.
    pub badges_revoked: u32,
}
