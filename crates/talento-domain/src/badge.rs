//! Badge tokens: what a badge's QR code holds, after pretix's `pretix_sig1`. A token proves, offline, that the agency
//! issued a badge for one talent on one project for a range of days: any laptop checks it with the agency's public
//! keys (a list, so keys can rotate) and a synced revocation list, even for a talent it has never seen.
//!
//! Layout (105 bytes, 140 base64url characters without padding):
//! `version (1) | key id (2) | talent id (16) | project id (16) | serial (2) | valid from (2) | valid until (2) |
//! signature (64)`. Days count from 2020-01-01. The serial counts re-issues for the same talent and project: Ed25519
//! is deterministic, so without it a re-issued badge would be byte-for-byte the lost one it replaces. The signature covers every byte before it. The short code printed under the QR is
//! derived from the signature, so it names exactly one badge and can be typed when a badge is lost or torn.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use jiff::civil::Date;
use serde::Serialize;
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// The only token version this build reads and writes.
pub const TOKEN_VERSION: u8 = 1;
const SIGNED_LEN: usize = 1 + 2 + 16 + 16 + 2 + 2 + 2;
const TOKEN_LEN: usize = SIGNED_LEN + 64;
/// Longest text accepted before decoding: a scanner that glued two badges together is refused cheaply.
const MAX_TEXT_LEN: usize = 256;

/// Day zero of the token's calendar.
fn epoch() -> Date {
    Date::constant(2020, 1, 1)
}

/// The claims of a badge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadgeClaims {
    pub key_id: u16,
    pub talent_id: Uuid,
    pub project_id: Uuid,
    pub serial: u16,
    pub valid_from: Date,
    pub valid_until: Date,
}

/// A decoded token: its claims and the bytes needed to check it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadgeToken {
    pub claims: BadgeClaims,
    signed: [u8; SIGNED_LEN],
    signature: [u8; 64],
}

/// Why a token does not prove a valid badge. The order is the order checks run in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, specta::Type, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum BadgeRejection {
    /// Not a Talento badge: wrong length, not base64, unknown version, impossible dates.
    #[error("malformed")]
    Malformed,
    /// Signed by a key this laptop does not know (another agency, or a key not synced yet).
    #[error("unknown key")]
    UnknownKey,
    /// The signature does not match: the token was altered or forged.
    #[error("bad signature")]
    BadSignature,
    /// The key that signed it was withdrawn (compromised laptop).
    #[error("key revoked")]
    KeyRevoked,
    /// This badge was withdrawn (lost, re-issued, talent removed from the project).
    #[error("revoked")]
    Revoked,
    /// Its last valid day has passed.
    #[error("expired")]
    Expired,
    /// Its first valid day has not come yet.
    #[error("not yet valid")]
    NotYetValid,
}

fn day_number(date: Date) -> Option<u16> {
    let days = (date - epoch()).get_days();
    u16::try_from(days).ok()
}

fn from_day_number(n: u16) -> Option<Date> {
    epoch().checked_add(jiff::Span::new().days(i64::from(n))).ok()
}

/// The key id of a public key: the first two bytes of its SHA-256, enough to pick from a handful of agency keys.
pub fn key_id(public_key: &[u8; 32]) -> u16 {
    let digest = Sha256::digest(public_key);
    u16::from_be_bytes([digest[0], digest[1]])
}

/// Makes a new signing key from 32 random bytes the caller drew from the system's random source.
pub fn signing_key_from_seed(seed: &[u8; 32]) -> SigningKey {
    SigningKey::from_bytes(seed)
}

/// The public half of a signing key.
pub fn public_key(seed: &[u8; 32]) -> [u8; 32] {
    SigningKey::from_bytes(seed).verifying_key().to_bytes()
}

/// Signs claims with a key held as its 32-byte seed. Fails only when a date is outside the token's calendar
/// (before 2020 or after 2199).
pub fn sign(claims: &BadgeClaims, seed: &[u8; 32]) -> Result<String, BadgeRejection> {
    let key = SigningKey::from_bytes(seed);
    let mut signed = [0u8; SIGNED_LEN];
    signed[0] = TOKEN_VERSION;
    signed[1..3].copy_from_slice(&claims.key_id.to_be_bytes());
    signed[3..19].copy_from_slice(claims.talent_id.as_bytes());
    signed[19..35].copy_from_slice(claims.project_id.as_bytes());
    let from = day_number(claims.valid_from).ok_or(BadgeRejection::Malformed)?;
    let until = day_number(claims.valid_until).ok_or(BadgeRejection::Malformed)?;
    if until < from {
        return Err(BadgeRejection::Malformed);
    }
    signed[35..37].copy_from_slice(&claims.serial.to_be_bytes());
    signed[37..39].copy_from_slice(&from.to_be_bytes());
    signed[39..41].copy_from_slice(&until.to_be_bytes());
    let signature = key.sign(&signed).to_bytes();
    let mut bytes = Vec::with_capacity(TOKEN_LEN);
    bytes.extend_from_slice(&signed);
    bytes.extend_from_slice(&signature);
    Ok(B64.encode(bytes))
}

impl BadgeToken {
    /// Reads a token as scanned or typed (surrounding whitespace ignored). Checks only its shape.
    pub fn parse(text: &str) -> Result<BadgeToken, BadgeRejection> {
        let text = text.trim();
        if text.is_empty() || text.len() > MAX_TEXT_LEN {
            return Err(BadgeRejection::Malformed);
        }
        let bytes = B64.decode(text).map_err(|_| BadgeRejection::Malformed)?;
        if bytes.len() != TOKEN_LEN || bytes[0] != TOKEN_VERSION {
            return Err(BadgeRejection::Malformed);
        }
        let mut signed = [0u8; SIGNED_LEN];
        signed.copy_from_slice(&bytes[..SIGNED_LEN]);
        let mut signature = [0u8; 64];
        signature.copy_from_slice(&bytes[SIGNED_LEN..]);
        let uuid = |range: std::ops::Range<usize>| {
            let mut b = [0u8; 16];
            b.copy_from_slice(&signed[range]);
            Uuid::from_bytes(b)
        };
        let day = |i: usize| from_day_number(u16::from_be_bytes([signed[i], signed[i + 1]]));
        let (Some(valid_from), Some(valid_until)) = (day(37), day(39)) else {
            return Err(BadgeRejection::Malformed);
        };
        if valid_until < valid_from {
            return Err(BadgeRejection::Malformed);
        }
        let claims = BadgeClaims {
            key_id: u16::from_be_bytes([signed[1], signed[2]]),
            talent_id: uuid(3..19),
            project_id: uuid(19..35),
            serial: u16::from_be_bytes([signed[35], signed[36]]),
            valid_from,
            valid_until,
        };
        Ok(BadgeToken { claims, signed, signature })
    }

    /// Checks the signature against the public key the caller found for `claims.key_id`.
    pub fn verify_signature(&self, public_key: &[u8; 32]) -> Result<(), BadgeRejection> {
        let key = VerifyingKey::from_bytes(public_key).map_err(|_| BadgeRejection::UnknownKey)?;
        let signature = Signature::from_bytes(&self.signature);
        key.verify(&self.signed, &signature).map_err(|_| BadgeRejection::BadSignature)
    }

    /// Checks the validity days against today.
    pub fn check_dates(&self, today: Date) -> Result<(), BadgeRejection> {
        if today < self.claims.valid_from {
            return Err(BadgeRejection::NotYetValid);
        }
        if today > self.claims.valid_until {
            return Err(BadgeRejection::Expired);
        }
        Ok(())
    }

    /// The badge's fingerprint (hex SHA-256 of the signature): how revocations name a badge.
    pub fn fingerprint(&self) -> String {
        fingerprint_of(&self.signature)
    }

    /// The short code printed under the QR.
    pub fn short_code(&self) -> String {
        short_code_of(&self.signature)
    }
}

fn fingerprint_of(signature: &[u8; 64]) -> String {
    Sha256::digest(signature).iter().map(|b| format!("{b:02x}")).collect()
}

/// Crockford's base32 alphabet: no I, L, O or U, so a typed code is hard to get wrong.
const SHORT_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Eight characters (40 bits) from the signature's digest, shown as `XXXX-XXXX`.
fn short_code_of(signature: &[u8; 64]) -> String {
    let digest = Sha256::digest(signature);
    let mut bits: u64 = 0;
    for b in &digest[..5] {
        bits = (bits << 8) | u64::from(*b);
    }
    let mut out = String::with_capacity(9);
    for i in (0..8).rev() {
        out.push(SHORT_ALPHABET[((bits >> (i * 5)) & 31) as usize] as char);
        if i == 4 {
            out.push('-');
        }
    }
    out
}

/// Normalises a short code as people type it: case, spaces and dashes ignored, O→0, I/L→1.
pub fn normalize_short_code(typed: &str) -> Option<String> {
    let mut chars: Vec<char> = Vec::with_capacity(8);
    for c in typed.chars() {
        let c = match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            ' ' | '-' => continue,
            c => c,
        };
        if !SHORT_ALPHABET.contains(&(c as u8)) || !c.is_ascii() {
            return None;
        }
        chars.push(c);
    }
    if chars.len() != 8 {
        return None;
    }
    let mut out: String = chars[..4].iter().collect();
    out.push('-');
    out.extend(&chars[4..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: [u8; 32] = [7; 32];

    fn claims() -> BadgeClaims {
        BadgeClaims {
            key_id: key_id(&public_key(&SEED)),
            talent_id: Uuid::from_u128(0x0192_0000_0000_7000_8000_0000_0000_0001),
            project_id: Uuid::from_u128(0x0192_0000_0000_7000_8000_0000_0000_0002),
            serial: 0,
            valid_from: Date::constant(2026, 12, 1),
            valid_until: Date::constant(2026, 12, 20),
        }
    }

    #[test]
    fn a_signed_token_reads_back_and_verifies() {
        let token = sign(&claims(), &SEED).expect("dates are inside the calendar");
        assert_eq!(token.len(), 140, "105 bytes in base64url without padding");
        let parsed = BadgeToken::parse(&format!("  {token}\n")).expect("a scanner's trailing newline is ignored");
        assert_eq!(parsed.claims, claims());
        parsed.verify_signature(&public_key(&SEED)).expect("signed with this key");
        parsed.check_dates(Date::constant(2026, 12, 10)).expect("inside its days");
    }

    #[test]
    fn every_changed_byte_is_caught() {
        let token = sign(&claims(), &SEED).expect("valid");
        let bytes = B64.decode(&token).expect("base64");
        for i in 0..bytes.len() {
            let mut altered = bytes.clone();
            altered[i] ^= 0x01;
            let result = BadgeToken::parse(&B64.encode(&altered)).and_then(|t| t.verify_signature(&public_key(&SEED)));
            assert!(result.is_err(), "flipping a bit of byte {i} must not leave a valid badge");
        }
    }

    #[test]
    fn a_reissued_badge_differs_from_the_one_it_replaces() {
        let first = BadgeToken::parse(&sign(&claims(), &SEED).expect("valid")).expect("parses");
        let second =
            BadgeToken::parse(&sign(&BadgeClaims { serial: 1, ..claims() }, &SEED).expect("valid")).expect("parses");
        assert_ne!(
            first.fingerprint(),
            second.fingerprint(),
            "revoking the lost badge must not revoke its replacement"
        );
        assert_ne!(first.short_code(), second.short_code());
    }

    #[test]
    fn another_key_does_not_verify() {
        let token = BadgeToken::parse(&sign(&claims(), &SEED).expect("valid")).expect("parses");
        assert_eq!(token.verify_signature(&public_key(&[9; 32])), Err(BadgeRejection::BadSignature));
    }

    #[test]
    fn dates_outside_the_range_are_refused() {
        let token = BadgeToken::parse(&sign(&claims(), &SEED).expect("valid")).expect("parses");
        assert_eq!(token.check_dates(Date::constant(2026, 12, 21)), Err(BadgeRejection::Expired));
        assert_eq!(token.check_dates(Date::constant(2026, 11, 30)), Err(BadgeRejection::NotYetValid));
        assert_eq!(token.check_dates(Date::constant(2026, 12, 20)), Ok(()), "the last day is still valid");
    }

    #[test]
    fn garbage_is_malformed_not_a_panic() {
        for text in ["", "hello", "SNF0001DKR", &"A".repeat(140), &"é".repeat(300), "!!!!"] {
            assert_eq!(BadgeToken::parse(text), Err(BadgeRejection::Malformed), "{text:?} is not a badge");
        }
        let mut c = claims();
        c.valid_until = Date::constant(2026, 11, 1);
        assert_eq!(sign(&c, &SEED), Err(BadgeRejection::Malformed), "an inverted range is never signed");
    }

    #[test]
    fn short_codes_are_stable_and_forgiving() {
        let token = BadgeToken::parse(&sign(&claims(), &SEED).expect("valid")).expect("parses");
        let code = token.short_code();
        assert_eq!(code.len(), 9);
        assert_eq!(&code[4..5], "-");
        let typed = code.to_lowercase().replace('-', " ").replace('0', "o");
        assert_eq!(normalize_short_code(&typed).as_deref(), Some(code.as_str()), "typed loosely, read exactly");
        assert_eq!(normalize_short_code("ABC"), None);
        assert_eq!(normalize_short_code("ABCD-EFGU"), None, "U is not in the alphabet");
    }
}
