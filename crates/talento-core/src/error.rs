//! The core's errors, and their one shape at the edge: `{code, message, fields, retryAfterSecs}` with a closed
//! [`ErrorCode`] the UI branches on and a message already translated into the user's language.

use serde::Serialize;
use talento_domain::{Action, FieldError, Locale};

use crate::i18n;
use crate::seeds::SeedError;

/// Everything a use case can refuse or fail with.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    #[error("validation failed on {} field(s)", .0.len())]
    Validation(Vec<FieldError>),
    #[error("unknown identifier or wrong password")]
    InvalidCredentials,
    #[error("account locked for {retry_after_secs} s")]
    AccountLocked { retry_after_secs: u64 },
    #[error("session expired")]
    SessionExpired,
    #[error("not logged in")]
    NotAuthenticated,
    #[error("role may not {0:?}")]
    Forbidden(Action),
    #[error("this laptop has no agency yet")]
    NotInitialized,
    #[error("this laptop already has an agency")]
    AlreadyInitialized,
    #[error("not found")]
    NotFound,
    #[error("conflict: {0:?}")]
    Conflict(ConflictReason),
    #[error("the local database cannot be read: {0}")]
    StoreCorrupted(String),
    #[error("the key file cannot be read: {0}")]
    KeyFileCorrupted(String),
    #[error(transparent)]
    Seed(#[from] SeedError),
    /// The person stopped a long task (badges, export…); nothing was written.
    #[error("cancelled")]
    Cancelled,
    /// Syncing with the agency's server could not be done (see [`SyncError`]).
    #[error("sync: {0}")]
    Sync(SyncError),
    #[error("internal error: {0}")]
    Internal(String),
}

/// Why a change was refused although every field was valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConflictReason {
    /// The last active administrator cannot be deactivated: nobody could manage the agency any more.
    LastAdmin,
    /// An administrator cannot deactivate their own account while using it.
    OwnAccount,
    /// An archived project takes no new cast, shoot days or badges: unarchive it first.
    ProjectArchived,
    /// This laptop holds no secret signing key (it received only the public ones): badges are printed elsewhere
    /// or after a key rotation here.
    NoSigningKey,
    /// Badges were asked for a project with nobody on its roster.
    NobodyToBadge,
    /// Only a check-in or a check-out can be corrected, not a correction.
    NotCorrectable,
    /// Offline with no leased number left, this laptop issued every provisional code it can: sync first.
    ProvisionalCodesExhausted,
}

/// Why a sync call failed. None of these loses data: changes stay queued on the laptop.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SyncError {
    #[error("this laptop is not enrolled with a server")]
    NotEnrolled,
    #[error("this laptop is enrolled already")]
    AlreadyEnrolled,
    /// No answer: no network, server down, timeout. Everything stays queued.
    #[error("server unreachable: {0}")]
    Unreachable(String),
    /// The server speaks another protocol version: the app (or the server) must be updated.
    #[error("protocol mismatch: {0}")]
    ProtocolMismatch(String),
    /// An administrator revoked this laptop: its personal data was wiped and it syncs no more.
    #[error("device revoked")]
    DeviceRevoked,
    /// The enrollment token is unknown, used or expired.
    #[error("enrollment token invalid")]
    TokenInvalid,
    /// The server does not know (or no longer accepts) this laptop's credential.
    #[error("device credential refused")]
    Unauthorized,
    /// The server has no number left to lease in a code scope.
    #[error("code scope exhausted")]
    ScopeExhausted,
    /// The server acknowledged nothing new after a push: stopped rather than resend forever.
    #[error("the server acknowledged up to {acked} after a push ending at {sent}")]
    NoProgress { acked: u64, sent: u64 },
    /// The server refused the request for another reason (its error code and message).
    #[error("server refused: {code}: {message}")]
    Refused { code: String, message: String },
}

pub type CoreResult<T> = Result<T, CoreError>;

impl From<rusqlite::Error> for CoreError {
    fn from(e: rusqlite::Error) -> Self {
        if let rusqlite::Error::SqliteFailure(f, _) = &e
            && matches!(f.code, rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt)
        {
            return CoreError::StoreCorrupted(e.to_string());
        }
        CoreError::Internal(format!("database: {e}"))
    }
}

impl From<std::io::Error> for CoreError {
    fn from(e: std::io::Error) -> Self {
        CoreError::Internal(format!("file: {e}"))
    }
}

/// The closed list of error kinds the UI may branch on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    Validation,
    InvalidCredentials,
    AccountLocked,
    SessionExpired,
    NotAuthenticated,
    Forbidden,
    NotInitialized,
    AlreadyInitialized,
    NotFound,
    Conflict,
    StoreCorrupted,
    KeyFileCorrupted,
    SeedCorrupted,
    Cancelled,
    /// Sync: no answer from the server (network, server down). Changes stay queued; the UI shows "offline".
    ServerUnreachable,
    /// Sync: an administrator revoked this laptop; its personal data was wiped.
    DeviceRevoked,
    /// Sync: the server speaks another protocol version; the app must be updated.
    ProtocolMismatch,
    /// Enrollment: the one-time token is unknown, used or expired (shown next to the token field).
    TokenInvalid,
    Internal,
}

/// A field-level problem, translated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct FieldErrorDto {
    pub field: String,
    pub message: String,
}

/// The error as it crosses IPC or is printed by the CLI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AppError {
    pub code: ErrorCode,
    pub message: String,
    pub fields: Vec<FieldErrorDto>,
    pub retry_after_secs: Option<u32>,
}

impl CoreError {
    pub fn code(&self) -> ErrorCode {
        match self {
            CoreError::Validation(_) => ErrorCode::Validation,
            CoreError::InvalidCredentials => ErrorCode::InvalidCredentials,
            CoreError::AccountLocked { .. } => ErrorCode::AccountLocked,
            CoreError::SessionExpired => ErrorCode::SessionExpired,
            CoreError::NotAuthenticated => ErrorCode::NotAuthenticated,
            CoreError::Forbidden(_) => ErrorCode::Forbidden,
            CoreError::NotInitialized => ErrorCode::NotInitialized,
            CoreError::AlreadyInitialized => ErrorCode::AlreadyInitialized,
            CoreError::NotFound => ErrorCode::NotFound,
            CoreError::Conflict(_) => ErrorCode::Conflict,
            CoreError::StoreCorrupted(_) => ErrorCode::StoreCorrupted,
            CoreError::KeyFileCorrupted(_) => ErrorCode::KeyFileCorrupted,
            CoreError::Seed(_) => ErrorCode::SeedCorrupted,
            CoreError::Cancelled => ErrorCode::Cancelled,
            CoreError::Sync(SyncError::Unreachable(_)) => ErrorCode::ServerUnreachable,
            CoreError::Sync(SyncError::DeviceRevoked) => ErrorCode::DeviceRevoked,
            CoreError::Sync(SyncError::ProtocolMismatch(_)) => ErrorCode::ProtocolMismatch,
            CoreError::Sync(SyncError::TokenInvalid) => ErrorCode::TokenInvalid,
            // Not enrolled, enrolled already, refused: the Sync screen shows the message.
            CoreError::Sync(
                SyncError::NotEnrolled
                | SyncError::AlreadyEnrolled
                | SyncError::Unauthorized
                | SyncError::ScopeExhausted
                | SyncError::NoProgress { .. }
                | SyncError::Refused { .. },
            ) => ErrorCode::Conflict,
            CoreError::Internal(_) => ErrorCode::Internal,
        }
    }

    /// Translates the error for a person. Internal causes are logged here, once, and never shown.
    pub fn to_app_error(&self, locale: Locale) -> AppError {
        if let CoreError::Internal(cause) = self {
            tracing::error!(%cause, "internal error");
        }
        let fields = match self {
            CoreError::Validation(errors) => errors
                .iter()
                .map(|e| FieldErrorDto { field: e.field.to_owned(), message: i18n::field_problem(locale, &e.problem) })
                .collect(),
            _ => Vec::new(),
        };
        let retry_after_secs = match self {
            CoreError::AccountLocked { retry_after_secs } => Some(u32::try_from(*retry_after_secs).unwrap_or(u32::MAX)),
            _ => None,
        };
        AppError { code: self.code(), message: i18n::error_message(locale, self), fields, retry_after_secs }
    }
}

/// Collects field errors and turns them into one `Validation` error, or nothing.
pub(crate) fn check(errors: Vec<FieldError>) -> CoreResult<()> {
    if errors.is_empty() { Ok(()) } else { Err(CoreError::Validation(errors)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sync_failures_the_sync_screen_branches_on_have_their_own_codes() {
        let cases = [
            (SyncError::Unreachable("timeout".into()), ErrorCode::ServerUnreachable),
            (SyncError::DeviceRevoked, ErrorCode::DeviceRevoked),
            (SyncError::ProtocolMismatch("v2".into()), ErrorCode::ProtocolMismatch),
            (SyncError::TokenInvalid, ErrorCode::TokenInvalid),
            (SyncError::NotEnrolled, ErrorCode::Conflict),
        ];
        for (error, code) in cases {
            let shown = format!("{error:?}");
            assert_eq!(
                CoreError::Sync(error).code(),
                code,
                "{shown}: the UI shows offline/revoked/update states by code"
            );
        }
    }
}
