//! Who is calling. Laptops send their device credential, people their login token, both as
//! `Authorization: Bearer …`. Secrets are random 256-bit values the server only ever stores hashed (SHA-256 is
//! enough for values that random); passwords are argon2id. A revoked laptop is told so with its own error code.

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash};
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use talento_domain::{Action, Role};
use uuid::Uuid;

use crate::AppState;
use crate::error::{ApiError, ApiResult};

/// A new random secret (device credential, login token, enrollment token), URL-safe.
pub fn new_secret() -> ApiResult<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| ApiError::Internal(format!("random source: {e}")))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// What the database keeps of a secret.
pub fn secret_hash(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}

/// An argon2id PHC string for `password` (OWASP parameters, random salt). CPU-heavy: call from a blocking task.
pub fn hash_password(password: &str) -> ApiResult<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| ApiError::Internal(format!("argon2: {e}")))
}

/// Whether `password` matches the stored PHC string. CPU-heavy: call from a blocking task.
pub fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|hash| Argon2::default().verify_password(password.as_bytes(), &hash).is_ok())
}

fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then_some(token.trim()).filter(|t| !t.is_empty())
}

/// An enrolled, not revoked laptop.
#[derive(Debug, Clone, Copy)]
pub struct Device {
    pub id: Uuid,
    pub agency_id: Uuid,
}

impl FromRequestParts<AppState> for Device {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let credential = bearer(parts).ok_or(ApiError::Unauthorized)?;
        let client = state.pool.get().await?;
        let row = client
            .query_opt(
                // `last_seen_at` moves at most once a minute: a sync's dozens of requests do not each write it.
                "WITH device AS (SELECT id, agency_id, revoked_at, last_seen_at FROM devices WHERE credential_hash = $1 AND NOT on_server),
                      seen AS (UPDATE devices SET last_seen_at = now()
                               WHERE id = (SELECT id FROM device)
                                 AND (last_seen_at IS NULL OR last_seen_at < now() - interval '1 minute'))
                 SELECT id, agency_id, revoked_at IS NOT NULL FROM device",
                &[&secret_hash(credential)],
            )
            .await?
            .ok_or(ApiError::Unauthorized)?;
        if row.get::<_, bool>(2) {
            return Err(ApiError::DeviceRevoked);
        }
        Ok(Device { id: row.get(0), agency_id: row.get(1) })
    }
}

/// A person logged in to the REST API.
#[derive(Debug, Clone, Copy)]
pub struct User {
    pub id: Uuid,
    pub agency_id: Uuid,
    pub role: Role,
}

impl User {
    /// Refuses with 403 unless the role allows `action`.
    pub fn require(&self, action: Action) -> ApiResult<()> {
        if self.role.allows(action) { Ok(()) } else { Err(ApiError::Forbidden) }
    }
}

/// The login token of the request, for logout.
#[derive(Debug, Clone)]
pub struct SessionToken(pub Vec<u8>);

impl FromRequestParts<AppState> for User {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = bearer(parts).ok_or(ApiError::Unauthorized)?;
        let hash = secret_hash(token);
        let client = state.pool.get().await?;
        let row = client
            .query_opt(
                "SELECT u.id, u.agency_id, u.role FROM user_sessions s JOIN users u ON u.id = s.user_id
                 WHERE s.token_hash = $1 AND s.expires_at > now() AND u.active",
                &[&hash],
            )
            .await?
            .ok_or(ApiError::Unauthorized)?;
        let role = Role::parse(row.get(2)).ok_or_else(|| ApiError::Internal("unknown role in users".into()))?;
        parts.extensions.insert(SessionToken(hash));
        Ok(User { id: row.get(0), agency_id: row.get(1), role })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_against_their_own_hash() {
        let stored = hash_password("correct horse battery staple");
        assert!(stored.as_ref().is_ok_and(|s| s.starts_with("$argon2id$")), "argon2id PHC string: {stored:?}");
        let stored = stored.unwrap_or_default();
        assert!(verify_password("correct horse battery staple", &stored));
        assert!(!verify_password("correct horse battery stapler", &stored), "a near miss must fail");
        assert!(!verify_password("anything", "not a hash"), "a damaged hash refuses, never panics");
    }

    #[test]
    fn secrets_are_random_and_hashed() {
        let (a, b) = (new_secret().unwrap_or_default(), new_secret().unwrap_or_default());
        assert_eq!(a.len(), 43, "32 bytes, base64url without padding");
        assert_ne!(a, b);
        assert_eq!(secret_hash(&a).len(), 32);
    }
}
