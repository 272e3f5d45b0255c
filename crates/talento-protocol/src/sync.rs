//! Sync protocol v1 under `/sync/v1`, authenticated by the device credential (`Authorization: Bearer …`) except
//! enrollment. The flow a laptop follows:
//!
//! 1. `POST /sync/v1/enroll` once, with the one-time token an administrator printed: [`EnrollRequest`] →
//!    [`EnrollResponse`] holding the device credential to keep (encrypted) for every later call.
//! 2. `GET /sync/v1/status` → [`StatusResponse`]: the highest *contiguous* seq the server holds for this device;
//!    every change of the local log above it is pushed again (holes are refilled, never skipped).
//! 3. `POST /sync/v1/push` with at most [`MAX_BATCH`] changes: [`PushRequest`] → [`PushResponse`], one result per
//!    change (accepted, duplicate, or set aside with a reason). Idempotent: pushing the same batch twice is harmless.
//! 4. `GET /sync/v1/pull?after=<cursor>&limit=` → [`PullResponse`]: other devices' changes in server order; keep
//!    `next_after` as the cursor and call again while `has_more`. Push before pull.
//! 5. `POST /sync/v1/leases` → a block of code numbers for a scope, never granted to anyone else.
//!
//! Rules for the laptop: a change is acknowledged once its seq is at or below `contiguous_seq` (push response or
//! status); set-aside changes count as acknowledged and are reported to the user, never resent. Pulled changes are
//! merged into local rows with [`crate::merge()`] (keeping each field's timestamp), move the local hybrid clock past
//! their `hlc` (`HybridClock::observe`), and are not appended to the local change log (they are another device's).
//! Errors come as [`crate::ErrorBody`]: `device_revoked` means wipe personal data; `protocol_mismatch` (426) means
//! show the message and stop syncing until the app is updated; `unavailable` and timeouts mean retry later.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use uuid::Uuid;

/// Most changes in one push.
pub const MAX_BATCH: usize = 1000;
/// Largest accepted change: its `fields` serialized as JSON. Photos and documents travel separately, by hash.
pub const MAX_CHANGE_BYTES: usize = 64 * 1024;
/// Pull page size when none is asked, and the most that may be asked.
pub const DEFAULT_PULL_LIMIT: u32 = 500;
pub const MAX_PULL_LIMIT: u32 = 1000;
/// Most numbers one lease may ask for.
pub const MAX_LEASE: u32 = 1000;

/// What happened to the row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Upsert,
    Delete,
}

impl Op {
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Upsert => "upsert",
            Op::Delete => "delete",
        }
    }

    pub fn parse(s: &str) -> Option<Op> {
        match s {
            "upsert" => Some(Op::Upsert),
            "delete" => Some(Op::Delete),
            _ => None,
        }
    }
}

/// One entry of a device's change log, as the laptop records it (`talento-core`'s `changelog`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub device_id: Uuid,
    /// Per-device sequence, from 1, without holes in the device's own log.
    pub seq: u64,
    /// `talento_domain::HlcTimestamp`'s text form: fixed widths, so text order is time order.
    pub hlc: String,
    pub table: String,
    pub row_id: String,
    pub op: Op,
    /// The changed fields (all of them for a new row). Always a JSON object.
    pub fields: Map<String, Value>,
}

/// `POST /sync/v1/enroll`: trade a one-time enrollment token for this device's credential.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrollRequest {
    pub token: String,
    pub device_id: Uuid,
    /// The local store's identity: the credential is bound to it.
    pub database_id: Uuid,
    pub device_name: String,
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrollResponse {
    /// The secret to send as `Authorization: Bearer <device_credential>`. The server keeps only its hash.
    pub device_credential: String,
    pub agency_id: Uuid,
    pub agency_name: String,
    pub protocol_version: u32,
    /// The agency key (32 bytes, base64url without padding): the laptop keeps it inside its encrypted store and wraps
    /// its data key under it, so a user's synced `key_wrap` (the agency key under their password) unlocks any
    /// enrolled laptop. Empty from a server that predates it.
    #[serde(default)]
    pub agency_key: String,
}

// By hand: the credential and the agency key never reach a log.
impl std::fmt::Debug for EnrollResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EnrollResponse")
            .field("device_credential", &"<hidden>")
            .field("agency_id", &self.agency_id)
            .field("agency_name", &self.agency_name)
            .field("protocol_version", &self.protocol_version)
            .field("agency_key", &"<hidden>")
            .finish()
    }
}

/// `POST /sync/v1/push`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushRequest {
    pub changes: Vec<Change>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushResponse {
    /// One result per change, in the request's order.
    pub results: Vec<PushResult>,
    /// The highest seq of the calling device the server now holds with no hole below it: everything up to it is
    /// acknowledged (accepted, duplicate or set aside) and never needs to be sent again.
    pub contiguous_seq: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushResult {
    /// Position of the change in the request.
    pub index: usize,
    /// The change's seq, when it could be read at all.
    pub seq: Option<u64>,
    #[serde(flatten)]
    pub outcome: PushOutcome,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum PushOutcome {
    /// Stored now, under the server's own sequence.
    Accepted { server_seq: u64 },
    /// The server already held this `(device_id, seq)`: nothing changed.
    Duplicate,
    /// Kept aside for an administrator and reported; the rest of the batch went through. Counts as received.
    SetAside { reason: SetAsideReason, detail: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SetAsideReason {
    /// `fields` is larger than [`MAX_CHANGE_BYTES`].
    TooLarge,
    /// Not a change at all (missing or mistyped members, unknown op, fields not an object).
    Malformed,
    /// A device may only push its own log.
    WrongDevice,
    /// The hybrid-logical-clock timestamp is not in the expected form.
    BadTimestamp,
    /// The table name or row id is not acceptable.
    BadTarget,
}

impl SetAsideReason {
    pub fn as_str(self) -> &'static str {
        match self {
            SetAsideReason::TooLarge => "too_large",
            SetAsideReason::Malformed => "malformed",
            SetAsideReason::WrongDevice => "wrong_device",
            SetAsideReason::BadTimestamp => "bad_timestamp",
            SetAsideReason::BadTarget => "bad_target",
        }
    }
}

/// `GET /sync/v1/status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusResponse {
    pub protocol_version: u32,
    pub device_id: Uuid,
    /// The calling device's highest contiguous seq on the server (0 when nothing was received).
    pub contiguous_seq: u64,
    /// Every device of the agency, the caller included.
    pub devices: Vec<DeviceProgress>,
    /// The newest server sequence: a laptop whose pull cursor equals it is up to date.
    pub latest_server_seq: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceProgress {
    pub device_id: Uuid,
    pub name: String,
    pub contiguous_seq: u64,
    pub revoked: bool,
}

/// `GET /sync/v1/pull?after=&limit=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullQuery {
    /// The cursor: the last `server_seq` received (0 at first).
    #[serde(default)]
    pub after: u64,
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PullResponse {
    /// Other devices' changes with `server_seq > after`, in server order. The caller's own never come back.
    pub changes: Vec<PulledChange>,
    /// The cursor for the next call: the last `server_seq` this page covered (`after` when the page is empty).
    pub next_after: u64,
    pub has_more: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PulledChange {
    pub server_seq: u64,
    #[serde(flatten)]
    pub change: Change,
}

/// `POST /sync/v1/leases`: a block of numbers for one code scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaseRequest {
    /// `general:<origin ISO-2>`, `cinema:<ISO-2>:<city code>`, `project:<ISO-2><production initials>` or
    /// `assignment:<project id>` (`talento_domain::talent::ScopeKind` reads them).
    pub scope: String,
    /// How many numbers, 1 to [`MAX_LEASE`].
    pub count: u32,
    /// The highest number this laptop already issued in the scope without the server (a laptop that worked before
    /// it was enrolled): the server never grants numbers at or below it.
    #[serde(default)]
    pub used_up_to: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaseResponse {
    pub scope: String,
    pub start: u64,
    /// Exclusive: the block is `start..end_excl`. May be shorter than asked when the scope is nearly exhausted.
    pub end_excl: u64,
    /// Another laptop already holds some of the numbers this one issued on its own before it was enrolled
    /// (`used_up_to`): those codes may exist twice, so the laptop gives its rows new numbers. When `false` the
    /// server keeps those numbers for this laptop, and later laptops asking are told they are taken.
    #[serde(default)]
    pub local_numbers_taken: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_results_read_back_in_their_flat_form() {
        let result = PushResult {
            index: 2,
            seq: Some(7),
            outcome: PushOutcome::SetAside { reason: SetAsideReason::TooLarge, detail: "70000 bytes".into() },
        };
        let json = serde_json::to_value(&result).ok();
        let expected = serde_json::json!({
            "index": 2, "seq": 7, "status": "set_aside", "reason": "too_large", "detail": "70000 bytes"
        });
        assert_eq!(json, Some(expected), "the wire form is flat so any client can read it");
        let back: Option<PushResult> = json.and_then(|j| serde_json::from_value(j).ok());
        assert_eq!(back, Some(result), "and reads back unchanged");
    }
}
