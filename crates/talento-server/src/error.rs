//! Every way a request can fail, and how each is told to the client: one JSON body `{code, message}` (the code from
//! `talento_protocol::ErrorCode`), the right HTTP status, the cause logged, internals never shown. A unique
//! violation in PostgreSQL is a 409: two requests raced for the same key.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use talento_protocol::{ErrorBody, ErrorCode, PROTOCOL_HEADER, PROTOCOL_VERSION, protocol_mismatch_message};
use tokio_postgres::error::SqlState;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("protocol mismatch (client sent {client:?})")]
    ProtocolMismatch { client: Option<u32> },
    #[error("missing, unknown or expired credential")]
    Unauthorized,
    #[error("this device was revoked")]
    DeviceRevoked,
    #[error("the role may not do this")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("the request took too long")]
    TimedOut,
    #[error("enrollment token unknown, used or expired")]
    EnrollmentToken,
    #[error("account locked for {retry_after_secs} s")]
    AccountLocked { retry_after_secs: u64 },
    #[error("no number left in scope {0}")]
    ScopeExhausted(String),
    #[error("database: {0}")]
    Db(#[from] tokio_postgres::Error),
    #[error("database pool: {0}")]
    Pool(#[from] deadpool_postgres::PoolError),
    #[error("internal: {0}")]
    Internal(String),
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    fn status_code_message(&self) -> (StatusCode, ErrorCode, String) {
        match self {
            ApiError::ProtocolMismatch { client } => {
                (StatusCode::UPGRADE_REQUIRED, ErrorCode::ProtocolMismatch, protocol_mismatch_message(*client))
            }
            ApiError::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                ErrorCode::Unauthorized,
                "Missing, unknown or expired credential: log in (or enroll this laptop) again.".into(),
            ),
            ApiError::DeviceRevoked => (
                StatusCode::FORBIDDEN,
                ErrorCode::DeviceRevoked,
                "An administrator revoked this laptop: its personal data must be wiped.".into(),
            ),
            ApiError::Forbidden => {
                (StatusCode::FORBIDDEN, ErrorCode::Forbidden, "Your role does not allow this.".into())
            }
            ApiError::NotFound => (StatusCode::NOT_FOUND, ErrorCode::NotFound, "Not found.".into()),
            ApiError::Conflict(m) => (StatusCode::CONFLICT, ErrorCode::Conflict, m.clone()),
            ApiError::Invalid(m) => (StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::InvalidRequest, m.clone()),
            ApiError::PayloadTooLarge(m) => (StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::PayloadTooLarge, m.clone()),
            ApiError::TimedOut => (
                StatusCode::REQUEST_TIMEOUT,
                ErrorCode::Unavailable,
                "The request took too long: try again, with a smaller batch if it was a push.".into(),
            ),
            ApiError::EnrollmentToken => (
                StatusCode::UNAUTHORIZED,
                ErrorCode::EnrollmentTokenInvalid,
                "This enrollment token is unknown, was used already or has expired: ask an administrator for a new one."
                    .into(),
            ),
            ApiError::AccountLocked { retry_after_secs } => (
                StatusCode::TOO_MANY_REQUESTS,
                ErrorCode::AccountLocked,
                format!("Too many failed logins: try again in {retry_after_secs} s."),
            ),
            ApiError::ScopeExhausted(scope) => (
                StatusCode::CONFLICT,
                ErrorCode::ScopeExhausted,
                format!("Every number of {scope} has been granted."),
            ),
            ApiError::Db(e) if e.code() == Some(&SqlState::UNIQUE_VIOLATION) => {
                (StatusCode::CONFLICT, ErrorCode::Conflict, "This already exists.".into())
            }
            ApiError::Pool(_) => (
                StatusCode::SERVICE_UNAVAILABLE,
                ErrorCode::Unavailable,
                "The server's database is unavailable: try again shortly.".into(),
            ),
            ApiError::Db(_) | ApiError::Internal(_) => {
                (StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal, "Internal error; it has been logged.".into())
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, message) = self.status_code_message();
        if status.is_server_error() {
            tracing::error!(error = %self, code = code.as_str(), "request failed");
        } else {
            tracing::debug!(error = %self, code = code.as_str(), "request refused");
        }
        let mut response = (status, axum::Json(ErrorBody { code, message })).into_response();
        if let ApiError::AccountLocked { retry_after_secs } = self {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
        }
        if code == ErrorCode::ProtocolMismatch {
            response.headers_mut().insert(PROTOCOL_HEADER, HeaderValue::from(PROTOCOL_VERSION));
        }
        response
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::PayloadTooLarge("The request body is too large.".into())
        } else {
            ApiError::Invalid(rejection.body_text())
        }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        ApiError::Invalid(rejection.body_text())
    }
}

/// Gives the plain responses of the tower-http layers (body limit, timeout) the `{code, message}` shape.
pub async fn json_errors(response: Response) -> Response {
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    match response.status() {
        StatusCode::PAYLOAD_TOO_LARGE if !is_json => {
            ApiError::PayloadTooLarge("The request body is too large.".into()).into_response()
        }
        StatusCode::REQUEST_TIMEOUT if !is_json => ApiError::TimedOut.into_response(),
        _ => response,
    }
}
