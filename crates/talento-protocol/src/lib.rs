//! The wire between a Talento laptop and the agency's central server, shared by both sides so they cannot drift:
//! the sync protocol (enrollment, push, status, pull, code leases, attachments by content hash), the REST API v1
//! bodies, the typed error body, and the field-by-field merge rule both sides apply to the same changes. serde only:
//! no I/O, no HTTP client.
//!
//! Every sync request carries [`PROTOCOL_HEADER`]`: `[`PROTOCOL_VERSION`]; a server speaking another version answers
//! `426 Upgrade Required` with [`ErrorCode::ProtocolMismatch`] and a message telling the user to update the app.

pub mod api;
pub mod attachments;
pub mod merge;
pub mod sync;

use serde::{Deserialize, Serialize};

pub use attachments::{MAX_ATTACHMENT_BYTES, MAX_CHUNK_BYTES, UploadQuery, UploadStatus, is_content_hash};
pub use merge::{MergeEffect, RecordState, TablePolicy, merge};
pub use sync::{
    Change, DeviceProgress, EnrollRequest, EnrollResponse, LeaseRequest, LeaseResponse, Op, PullQuery, PullResponse,
    PulledChange, PushOutcome, PushRequest, PushResponse, PushResult, SetAsideReason, StatusResponse,
};

/// The sync protocol version this build speaks. Raise it on any incompatible change to the `sync` types or rules.
pub const PROTOCOL_VERSION: u32 = 1;

/// The request (and response) header that carries [`PROTOCOL_VERSION`].
pub const PROTOCOL_HEADER: &str = "talento-protocol";

/// Every error the server answers with, as JSON: a code the client branches on and a message for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub code: ErrorCode,
    pub message: String,
}

/// The closed set of error codes. Clients must treat an unknown code as [`ErrorCode::Unknown`] (a newer server).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The client speaks another protocol version (HTTP 426): update the app (or the server).
    ProtocolMismatch,
    /// No credential, or one the server does not know or that expired (HTTP 401).
    Unauthorized,
    /// This laptop was revoked by an administrator (HTTP 403): it must wipe its personal data.
    DeviceRevoked,
    /// The user's role does not allow this (HTTP 403).
    Forbidden,
    NotFound,
    /// Something with the same unique key exists already (HTTP 409).
    Conflict,
    /// The request is malformed or a value is out of bounds (HTTP 400/422).
    InvalidRequest,
    PayloadTooLarge,
    /// The enrollment token is unknown, used already or expired (HTTP 401).
    EnrollmentTokenInvalid,
    /// Too many failed logins: retry later (HTTP 429).
    AccountLocked,
    /// A code scope has no number left to lease (HTTP 409).
    ScopeExhausted,
    /// The database is unreachable or overloaded (HTTP 503): retry later.
    Unavailable,
    Internal,
    #[serde(other)]
    Unknown,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::ProtocolMismatch => "protocol_mismatch",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::DeviceRevoked => "device_revoked",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::NotFound => "not_found",
            ErrorCode::Conflict => "conflict",
            ErrorCode::InvalidRequest => "invalid_request",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::EnrollmentTokenInvalid => "enrollment_token_invalid",
            ErrorCode::AccountLocked => "account_locked",
            ErrorCode::ScopeExhausted => "scope_exhausted",
            ErrorCode::Unavailable => "unavailable",
            ErrorCode::Internal => "internal",
            ErrorCode::Unknown => "unknown",
        }
    }
}

/// The message a protocol mismatch shows the user: which side is older decides what to update.
pub fn protocol_mismatch_message(client: Option<u32>) -> String {
    match client {
        Some(v) if v > PROTOCOL_VERSION => format!(
            "This app speaks sync protocol {v} but the server only speaks {PROTOCOL_VERSION}: \
             the agency's server must be updated before this laptop can sync."
        ),
        Some(v) => format!(
            "This app speaks sync protocol {v} but the server speaks {PROTOCOL_VERSION}: \
             update the app to sync again. Nothing is lost meanwhile; changes wait on this laptop."
        ),
        None => format!(
            "The request did not say which sync protocol it speaks (header {PROTOCOL_HEADER}); the server speaks \
             {PROTOCOL_VERSION}: update the app to sync again."
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_codes_serialize_as_their_snake_case_names() {
        for code in [ErrorCode::ProtocolMismatch, ErrorCode::DeviceRevoked, ErrorCode::EnrollmentTokenInvalid] {
            let json = serde_json::to_value(code).ok();
            assert_eq!(json, Some(serde_json::Value::from(code.as_str())), "as_str must match the wire name");
        }
    }

    #[test]
    fn an_unknown_code_from_a_newer_server_still_parses() {
        let body: Result<ErrorBody, _> = serde_json::from_str(r#"{"code":"brand_new","message":"x"}"#);
        assert_eq!(body.map(|b| b.code).ok(), Some(ErrorCode::Unknown), "an old client must not choke on new codes");
    }

    #[test]
    fn mismatch_message_says_what_to_update() {
        assert!(protocol_mismatch_message(Some(0)).contains("update the app"), "an old app is told to update");
        assert!(
            protocol_mismatch_message(Some(PROTOCOL_VERSION + 1)).contains("server must be updated"),
            "a newer app is told the server is behind"
        );
    }
}
