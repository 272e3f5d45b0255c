//! Keys wrapped under passwords, in the one format the laptops and the server share: argon2id derives a
//! key-encryption key from a password, XChaCha20-Poly1305 seals a 256-bit key under it with associated data naming
//! what it is for. The laptop wraps its data key this way per user (`keys.json`); a user's [`AgencyKeyWrap`] (the
//! `users.key_wrap` column, synced) wraps the agency key, so the server and every laptop can make one and any
//! enrolled laptop can open it with the user's password. Pure functions: callers pass the salt and nonce (fresh random
//! bytes), as everything else in this crate takes its randomness from outside.

use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use zeroize::Zeroizing;

pub const KEY_LEN: usize = 32;
pub const NONCE_LEN: usize = 24;
pub const SALT_LEN: usize = 16;

/// A 256-bit secret key, wiped on drop.
pub type SecretKey = Zeroizing<[u8; KEY_LEN]>;

/// What `key_wrap`'s associated data starts with: a wrap made for one user never opens as another's.
const AGENCY_KEY_AAD: &str = "talento/agency-key/v1/";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyWrapError {
    /// The argon2 parameters are out of range (a damaged or hostile record).
    #[error("argon2: {0}")]
    Kdf(String),
    /// A part of the wrap cannot be read.
    #[error("damaged key wrap: {0}")]
    Damaged(&'static str),
}

/// argon2id cost parameters, stored with each wrapped key so they can be raised later without breaking old entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    /// Memory in KiB.
    pub m: u32,
    /// Iterations.
    pub t: u32,
    /// Parallelism.
    pub p: u32,
}

impl KdfParams {
    /// OWASP's argon2id recommendation (19 MiB, 2 iterations, 1 lane): about 50 ms on a modest laptop.
    pub const OWASP: KdfParams = KdfParams { m: 19 * 1024, t: 2, p: 1 };
}

/// Derives a key-encryption key from a password and salt.
pub fn derive_key(password: &str, salt: &[u8], params: KdfParams) -> Result<SecretKey, KeyWrapError> {
    let argon_params =
        Params::new(params.m, params.t, params.p, Some(KEY_LEN)).map_err(|e| KeyWrapError::Kdf(e.to_string()))?;
    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, argon_params)
        .hash_password_into(password.as_bytes(), salt, key.as_mut())
        .map_err(|e| KeyWrapError::Kdf(e.to_string()))?;
    Ok(key)
}

/// Encrypts and authenticates `plaintext` (and `aad`, authenticated but not encrypted) under `key` with `nonce`,
/// which must never be used twice with the same key (pass fresh random bytes).
pub fn seal(key: &[u8; KEY_LEN], nonce: &[u8; NONCE_LEN], plaintext: &[u8], aad: &[u8]) -> Vec<u8> {
    // Encryption fails only for plaintexts over 256 GiB, which never happens here.
    #[allow(clippy::expect_used)]
    XChaCha20Poly1305::new(key.into())
        .encrypt(&XNonce::from(*nonce), Payload { msg: plaintext, aad })
        .expect("XChaCha20-Poly1305 encryption of a small buffer cannot fail")
}

/// Decrypts what [`seal`] produced. `None` when the key, nonce, aad or ciphertext is wrong.
pub fn open(key: &[u8; KEY_LEN], nonce: &[u8; NONCE_LEN], ciphertext: &[u8], aad: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    XChaCha20Poly1305::new(key.into())
        .decrypt(&XNonce::from(*nonce), Payload { msg: ciphertext, aad })
        .ok()
        .map(Zeroizing::new)
}

/// The agency key wrapped under one user's password (the synced `users.key_wrap` column, as JSON). As sensitive as a
/// password hash: `Debug` shows only the cost parameters, and it never goes into a log or a DTO.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgencyKeyWrap {
    pub kdf: KdfParams,
    pub salt: String,
    pub nonce: String,
    pub wrapped: String,
}

impl std::fmt::Debug for AgencyKeyWrap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AgencyKeyWrap").field("kdf", &self.kdf).finish_non_exhaustive()
    }
}

impl AgencyKeyWrap {
    /// Wraps the agency key for `user_id` under `password`, with a fresh `salt` and `nonce`.
    pub fn seal(
        user_id: Uuid,
        password: &str,
        agency_key: &[u8; KEY_LEN],
        kdf: KdfParams,
        salt: [u8; SALT_LEN],
        nonce: [u8; NONCE_LEN],
    ) -> Result<AgencyKeyWrap, KeyWrapError> {
        let kek = derive_key(password, &salt, kdf)?;
        let wrapped = seal(&kek, &nonce, agency_key, aad(user_id).as_bytes());
        Ok(AgencyKeyWrap { kdf, salt: B64.encode(salt), nonce: B64.encode(nonce), wrapped: B64.encode(wrapped) })
    }

    /// The agency key, or `Ok(None)` for a wrong password (or a wrap made for another user).
    pub fn open(&self, user_id: Uuid, password: &str) -> Result<Option<SecretKey>, KeyWrapError> {
        let salt = B64.decode(&self.salt).map_err(|_| KeyWrapError::Damaged("salt"))?;
        let nonce: [u8; NONCE_LEN] =
            B64.decode(&self.nonce).ok().and_then(|n| n.try_into().ok()).ok_or(KeyWrapError::Damaged("nonce"))?;
        let wrapped = B64.decode(&self.wrapped).map_err(|_| KeyWrapError::Damaged("wrapped key"))?;
        let kek = derive_key(password, &salt, self.kdf)?;
        let Some(plain) = open(&kek, &nonce, &wrapped, aad(user_id).as_bytes()) else {
            return Ok(None);
        };
        let key: [u8; KEY_LEN] = plain.as_slice().try_into().map_err(|_| KeyWrapError::Damaged("key length"))?;
        Ok(Some(Zeroizing::new(key)))
    }

    /// The column's text.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn from_json(text: &str) -> Result<AgencyKeyWrap, KeyWrapError> {
        serde_json::from_str(text).map_err(|_| KeyWrapError::Damaged("not a key wrap"))
    }
}

fn aad(user_id: Uuid) -> String {
    format!("{AGENCY_KEY_AAD}{user_id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const FAST: KdfParams = KdfParams { m: 64, t: 1, p: 1 };

    #[test]
    fn an_agency_key_wrap_opens_only_for_its_user_and_password() {
        let user = Uuid::from_bytes([1; 16]);
        let wrap =
            AgencyKeyWrap::seal(user, "Baobab-soleil-Tamtam-42", &[9; 32], FAST, [2; 16], [3; 24]).expect("seal");
        let back = AgencyKeyWrap::from_json(&wrap.to_json()).expect("the column's text reads back");
        assert_eq!(back.open(user, "Baobab-soleil-Tamtam-42").expect("ok").map(|k| *k), Some([9; 32]));
        assert!(back.open(user, "baobab-soleil-tamtam-42").expect("ok").is_none(), "a wrong password opens nothing");
        assert!(
            back.open(Uuid::from_bytes([4; 16]), "Baobab-soleil-Tamtam-42").expect("ok").is_none(),
            "a wrap copied onto another user's row must not open for them"
        );
        let shown = format!("{wrap:?}");
        assert!(!shown.contains(&wrap.wrapped) && !shown.contains(&wrap.salt), "Debug hides the wrap: {shown}");
    }
}
