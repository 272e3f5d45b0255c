//! The few cryptographic operations the store needs: random keys, argon2id key derivation from a password, and
//! XChaCha20-Poly1305 sealing (the data key under each user's password key; later, attachments under the data key).
//! Keys live in [`Zeroizing`] buffers so they are wiped from memory when dropped.

use talento_domain::keywrap;
use zeroize::Zeroizing;

use crate::error::{CoreError, CoreResult};

pub use talento_domain::keywrap::{KEY_LEN, KdfParams, NONCE_LEN, SALT_LEN, SecretKey};

/// Fills a buffer from the operating system's random source.
pub fn random<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    // The OS random source failing is not something a user can act on; without it nothing can be encrypted safely.
    #[allow(clippy::expect_used)]
    getrandom::fill(&mut bytes).expect("the operating system's random source is unavailable");
    bytes
}

/// Lower-case hexadecimal, as keys, digests and file names are written.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

/// Exactly `N` bytes from hexadecimal, or `None`.
pub fn unhex<const N: usize>(text: &str) -> Option<[u8; N]> {
    if text.len() != 2 * N {
        return None;
    }
    let mut out = [0u8; N];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

pub fn random_key() -> SecretKey {
    Zeroizing::new(random::<KEY_LEN>())
}

/// Derives a key-encryption key from a password and salt (the shared format: [`talento_domain::keywrap`]).
pub fn derive_key(password: &str, salt: &[u8], params: KdfParams) -> CoreResult<SecretKey> {
    keywrap::derive_key(password, salt, params).map_err(|e| CoreError::KeyFileCorrupted(e.to_string()))
}

/// Encrypts and authenticates `plaintext` (and `aad`, authenticated but not encrypted) under `key` with a fresh
/// random nonce. Returns the nonce and the ciphertext.
pub fn seal(key: &[u8; KEY_LEN], plaintext: &[u8], aad: &[u8]) -> ([u8; NONCE_LEN], Vec<u8>) {
    let nonce = random::<NONCE_LEN>();
    let sealed = keywrap::seal(key, &nonce, plaintext, aad);
    (nonce, sealed)
}

/// Decrypts what [`seal`] produced. `None` when the key, nonce, aad or ciphertext is wrong: the caller decides
/// whether that means a wrong password or a damaged file.
pub fn open(key: &[u8; KEY_LEN], nonce: &[u8; NONCE_LEN], ciphertext: &[u8], aad: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    keywrap::open(key, nonce, ciphertext, aad)
}

#[cfg(test)]
mod tests {
    #[test]
    fn hex_round_trips_and_refuses_garbage() {
        let bytes = [0u8, 1, 0xab, 0xff];
        assert_eq!(hex(&bytes), "0001abff");
        assert_eq!(unhex::<4>(&hex(&bytes)), Some(bytes));
        assert_eq!(unhex::<4>("zz00aaff"), None);
        assert_eq!(unhex::<4>("00"), None, "the length must be exact");
    }

    use super::*;

    const FAST: KdfParams = KdfParams { m: 64, t: 1, p: 1 };

    #[test]
    fn seal_then_open_round_trips_and_any_change_is_refused() {
        let key = random_key();
        let (nonce, mut sealed) = seal(&key, b"data key", b"user-1");
        assert_eq!(open(&key, &nonce, &sealed, b"user-1").as_deref().map(Vec::as_slice), Some(&b"data key"[..]));
        assert!(
            open(&key, &nonce, &sealed, b"user-2").is_none(),
            "a key wrapped for one user must not open for another"
        );
        assert!(open(&random_key(), &nonce, &sealed, b"user-1").is_none(), "a wrong key must not open it");
        sealed[0] ^= 1;
        assert!(open(&key, &nonce, &sealed, b"user-1").is_none(), "a flipped bit must be detected");
    }

    #[test]
    fn derived_keys_depend_on_password_and_salt() {
        let a = derive_key("Baobab-soleil-42", b"0123456789abcdef", FAST).expect("derive");
        let b = derive_key("Baobab-soleil-42", b"0123456789abcdef", FAST).expect("derive");
        let c = derive_key("Baobab-soleil-43", b"0123456789abcdef", FAST).expect("derive");
        let d = derive_key("Baobab-soleil-42", b"fedcba9876543210", FAST).expect("derive");
        assert_eq!(*a, *b, "the same password and salt must give the same key, or nobody could log in twice");
        assert_ne!(*a, *c, "another password must give another key");
        assert_ne!(*a, *d, "another salt must give another key");
    }
}
