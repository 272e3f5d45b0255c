//! The key file beside the database (`keys.json`): the random data key that encrypts the database, wrapped once per
//! user under a key derived from that user's password, so any enrolled user can unlock the laptop offline and a
//! stolen laptop yields nothing without a password. On an enrolled laptop the data key is also wrapped under the
//! agency key (`agency_wrap`), and an account made elsewhere gets an entry holding its synced `key_wrap` (the agency
//! key under that person's password): its password opens the agency key, which opens the data key
//! ([`crate::sync::accounts`] keeps those entries in step with the `users` table). It also keeps what must be known *before* the database is open:
//! the agency name for the login screen, failed-login counters for the lockout, and security events that happened
//! while it was locked (recorded under a keyed hash of the identifier, never the identifier itself). Written
//! atomically (temp file, fsync, rename) so a crash leaves the old or the new file, never half of one.

use std::fs;
use std::io::Write;
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use uuid::Uuid;

use talento_domain::keywrap::AgencyKeyWrap;

use crate::crypto::{self, KEY_LEN, KdfParams, NONCE_LEN, SALT_LEN, SecretKey};
use crate::error::{CoreError, CoreResult};

pub const FORMAT: u32 = 1;
/// Consecutive failures before an account locks.
pub const MAX_FAILURES: u32 = 5;
/// First lock length; each further lock doubles it, up to [`MAX_LOCK_SECS`].
pub const BASE_LOCK_SECS: i64 = 30;
pub const MAX_LOCK_SECS: i64 = 3600;

const WRAP_AAD: &str = "talento/data-key/v1/";
/// The data key under the agency key, bound to this laptop's device id.
const AGENCY_WRAP_AAD: &str = "talento/data-key-by-agency/v1/";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KeyFile {
    pub format: u32,
    pub agency_name: String,
    pub device_id: Uuid,
    lookup_salt: String,
    pub users: Vec<WrappedKey>,
    #[serde(default)]
    pub pending_security: Vec<PendingSecurityEvent>,
    /// This laptop's data key wrapped under the agency key, once enrolled (files written before have none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency_wrap: Option<AgencyWrap>,
}

/// The data key sealed under the agency key (XChaCha20-Poly1305, the device id as associated data).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgencyWrap {
    nonce: String,
    wrapped: String,
}

impl std::fmt::Debug for AgencyWrap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AgencyWrap(<hidden>)")
    }
}

impl AgencyWrap {
    pub fn seal(agency_key: &[u8; KEY_LEN], data_key: &[u8; KEY_LEN], device_id: Uuid) -> AgencyWrap {
        let (nonce, wrapped) = crypto::seal(agency_key, data_key, agency_aad(device_id).as_bytes());
        AgencyWrap { nonce: B64.encode(nonce), wrapped: B64.encode(wrapped) }
    }

    /// The data key; `None` when `agency_key` is not the key it was sealed under.
    pub fn open(&self, agency_key: &[u8; KEY_LEN], device_id: Uuid) -> CoreResult<Option<SecretKey>> {
        let damaged = |what: &str| CoreError::KeyFileCorrupted(format!("agency wrap: {what}"));
        let nonce: [u8; NONCE_LEN] =
            B64.decode(&self.nonce).ok().and_then(|n| n.try_into().ok()).ok_or_else(|| damaged("nonce"))?;
        let wrapped = B64.decode(&self.wrapped).map_err(|_| damaged("wrapped key"))?;
        let Some(plain) = crypto::open(agency_key, &nonce, &wrapped, agency_aad(device_id).as_bytes()) else {
            return Ok(None);
        };
        let key: [u8; KEY_LEN] = plain.as_slice().try_into().map_err(|_| damaged("key length"))?;
        Ok(Some(zeroize::Zeroizing::new(key)))
    }
}

fn agency_aad(device_id: Uuid) -> String {
    format!("{AGENCY_WRAP_AAD}{device_id}")
}

/// Names one `key_wrap` value without holding it: an entry made from (or matching) that wrap records it, so a newer
/// wrap synced from elsewhere (a password changed on another laptop) is noticed.
pub fn wrap_id(key_wrap: &str) -> String {
    use sha2::Digest;
    crypto::hex(&Sha256::digest(key_wrap.as_bytes())[..16])
}

/// The data key wrapped for one user, with that user's lockout state. `Debug` leaves out the wrap itself.
#[derive(Clone, Serialize, Deserialize)]
pub struct WrappedKey {
    pub user_id: Uuid,
    /// Keyed hashes of the user's login identifiers (e-mail and code).
    pub lookups: Vec<String>,
    pub kdf: KdfParams,
    salt: String,
    nonce: String,
    wrapped: String,
    #[serde(default)]
    pub failed_attempts: u32,
    /// Unix seconds until which logins are refused.
    #[serde(default)]
    pub locked_until: Option<i64>,
    /// How many times the account has locked since its last successful login (the lock doubles each time).
    #[serde(default)]
    pub lockouts: u32,
    /// The entry holds the account's synced `key_wrap`: the password opens the agency key, which opens
    /// [`KeyFile::agency_wrap`]; otherwise it wraps the data key directly.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub via_agency: bool,
    /// [`wrap_id`] of the account's `key_wrap` this entry matches (the same password), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wrap_id: Option<String>,
}

impl std::fmt::Debug for WrappedKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WrappedKey")
            .field("user_id", &self.user_id)
            .field("via_agency", &self.via_agency)
            .field("failed_attempts", &self.failed_attempts)
            .field("locked_until", &self.locked_until)
            .finish_non_exhaustive()
    }
}

/// A security event that happened while the database was locked; moved into the security log at the next unlock.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct PendingSecurityEvent {
    pub at: String,
    pub kind: String,
    pub user_id: Option<Uuid>,
    pub lookup: Option<String>,
    pub detail: Option<String>,
}

/// The normal form of what a person types to log in: an e-mail (has an `@`) or a user code.
pub fn identifier_key(identifier: &str) -> String {
    let trimmed = identifier.trim();
    if trimmed.contains('@') {
        format!("email:{}", trimmed.to_lowercase())
    } else {
        format!("code:{}", trimmed.to_uppercase())
    }
}

impl KeyFile {
    pub fn new(agency_name: String, device_id: Uuid) -> Self {
        Self {
            format: FORMAT,
            agency_name,
            device_id,
            lookup_salt: B64.encode(crypto::random::<32>()),
            users: Vec::new(),
            pending_security: Vec::new(),
            agency_wrap: None,
        }
    }

    /// Reads the key file; `None` when this laptop has never been set up.
    pub fn load(path: &Path) -> CoreResult<Option<KeyFile>> {
        let bytes = match fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(CoreError::KeyFileCorrupted(format!("read: {e}"))),
        };
        let file: KeyFile =
            serde_json::from_slice(&bytes).map_err(|e| CoreError::KeyFileCorrupted(format!("parse: {e}")))?;
        if file.format != FORMAT {
            return Err(CoreError::KeyFileCorrupted(format!("unknown format {}", file.format)));
        }
        if file.users.is_empty() {
            return Err(CoreError::KeyFileCorrupted("no user can unlock this store".into()));
        }
        B64.decode(&file.lookup_salt).map_err(|e| CoreError::KeyFileCorrupted(format!("salt: {e}")))?;
        Ok(Some(file))
    }

    /// Writes the whole file atomically.
    /// Changes the key file on disk under an exclusive lock — reload, change, save — so two processes on the same
    /// laptop (the app and the CLI, or two threads) never lose each other's changes. Returns the closure's result
    /// and the file as saved.
    pub fn update<T>(path: &Path, change: impl FnOnce(&mut KeyFile) -> CoreResult<T>) -> CoreResult<(T, KeyFile)> {
        let lock = fs::OpenOptions::new().create(true).truncate(false).write(true).open(path.with_extension("lock"))?;
        lock.lock()?;
        let mut file = KeyFile::load(path)?.ok_or(CoreError::NotInitialized)?;
        let before = serde_json::to_vec(&file).ok();
        let result = change(&mut file)?;
        // Written (and synced to disk) only when something changed: reconciling after a sync usually changes nothing.
        if before.is_none() || before != serde_json::to_vec(&file).ok() {
            file.save(path)?;
        }
        drop(lock);
        Ok((result, file))
    }

    pub fn save(&self, path: &Path) -> CoreResult<()> {
        let bytes = serde_json::to_vec_pretty(self).map_err(|e| CoreError::Internal(format!("key file: {e}")))?;
        // A temp name of its own per writer: two writers never rename each other's half-written file.
        let tmp = path.with_extension(format!("{}.{}.tmp", std::process::id(), crypto::hex(&crypto::random::<4>())));
        {
            let mut file = fs::File::create(&tmp)?;
            file.write_all(&bytes)?;
            file.sync_all()?;
        }
        fs::rename(&tmp, path)?;
        if let Some(dir) = path.parent()
            && let Ok(dir) = fs::File::open(dir)
        {
            // Makes the rename itself durable; not every platform can sync a directory, which is fine.
            let _ = dir.sync_all();
        }
        Ok(())
    }

    /// The keyed hash under which an identifier is looked up (and logged while locked).
    pub fn lookup(&self, identifier: &str) -> String {
        let salt = B64.decode(&self.lookup_salt).unwrap_or_default();
        #[allow(clippy::expect_used)]
        let mut mac = Hmac::<Sha256>::new_from_slice(&salt).expect("HMAC takes a key of any length");
        mac.update(identifier_key(identifier).as_bytes());
        crypto::hex(&mac.finalize().into_bytes())
    }

    pub fn entry_for_lookup(&mut self, lookup: &str) -> Option<&mut WrappedKey> {
        self.users.iter_mut().find(|u| u.lookups.iter().any(|l| l == lookup))
    }

    pub fn entry_for_user(&mut self, user_id: Uuid) -> Option<&mut WrappedKey> {
        self.users.iter_mut().find(|u| u.user_id == user_id)
    }

    /// Adds or replaces the wrapped key of a user.
    pub fn put(&mut self, entry: WrappedKey) {
        self.users.retain(|u| u.user_id != entry.user_id);
        self.users.push(entry);
    }

    pub fn remove(&mut self, user_id: Uuid) {
        self.users.retain(|u| u.user_id != user_id);
    }
}

impl WrappedKey {
    /// Wraps the data key for a user under a key derived from their password.
    pub fn wrap(
        user_id: Uuid,
        lookups: Vec<String>,
        password: &str,
        data_key: &[u8; KEY_LEN],
        kdf: KdfParams,
    ) -> CoreResult<WrappedKey> {
        let salt = crypto::random::<SALT_LEN>();
        let kek = crypto::derive_key(password, &salt, kdf)?;
        let (nonce, wrapped) = crypto::seal(&kek, data_key, aad(user_id).as_bytes());
        Ok(WrappedKey {
            user_id,
            lookups,
            kdf,
            salt: B64.encode(salt),
            nonce: B64.encode(nonce),
            wrapped: B64.encode(wrapped),
            failed_attempts: 0,
            locked_until: None,
            lockouts: 0,
            via_agency: false,
            wrap_id: None,
        })
    }

    /// An entry for an account whose password is known here only through its synced `key_wrap`.
    pub fn from_agency_key_wrap(
        user_id: Uuid,
        lookups: Vec<String>,
        key_wrap: &AgencyKeyWrap,
        wrap_id: String,
    ) -> Self {
        WrappedKey {
            user_id,
            lookups,
            kdf: key_wrap.kdf,
            salt: key_wrap.salt.clone(),
            nonce: key_wrap.nonce.clone(),
            wrapped: key_wrap.wrapped.clone(),
            failed_attempts: 0,
            locked_until: None,
            lockouts: 0,
            via_agency: true,
            wrap_id: Some(wrap_id),
        }
    }

    /// Keeps the lockout state of the entry it replaces.
    pub fn with_lockout_of(mut self, previous: Option<&WrappedKey>) -> Self {
        if let Some(previous) = previous {
            self.failed_attempts = previous.failed_attempts;
            self.locked_until = previous.locked_until;
            self.lockouts = previous.lockouts;
        }
        self
    }

    /// Unwraps the data key with a password: `Ok(None)` for a wrong password, an error for a damaged entry. An
    /// agency entry needs the key file's agency wrap and device id (`agency`).
    pub fn unwrap_key(&self, password: &str, agency: Option<(&AgencyWrap, Uuid)>) -> CoreResult<Option<SecretKey>> {
        let damaged = |what: &str| CoreError::KeyFileCorrupted(format!("entry {}: {what}", self.user_id));
        if self.via_agency {
            let key_wrap = AgencyKeyWrap {
                kdf: self.kdf,
                salt: self.salt.clone(),
                nonce: self.nonce.clone(),
                wrapped: self.wrapped.clone(),
            };
            let Some(agency_key) = key_wrap.open(self.user_id, password).map_err(|e| damaged(&e.to_string()))? else {
                return Ok(None);
            };
            let (wrap, device) = agency.ok_or_else(|| damaged("no agency wrap on this laptop"))?;
            return wrap.open(&agency_key, device)?.map(Some).ok_or_else(|| damaged("agency key does not open it"));
        }
        let salt = B64.decode(&self.salt).map_err(|_| damaged("salt"))?;
        let nonce: [u8; NONCE_LEN] =
            B64.decode(&self.nonce).ok().and_then(|n| n.try_into().ok()).ok_or_else(|| damaged("nonce"))?;
        let wrapped = B64.decode(&self.wrapped).map_err(|_| damaged("wrapped key"))?;
        let kek = crypto::derive_key(password, &salt, self.kdf)?;
        let Some(plain) = crypto::open(&kek, &nonce, &wrapped, aad(self.user_id).as_bytes()) else {
            return Ok(None);
        };
        let key: [u8; KEY_LEN] = plain.as_slice().try_into().map_err(|_| damaged("key length"))?;
        Ok(Some(zeroize::Zeroizing::new(key)))
    }

    /// Seconds left on a lock, if the account is locked at `now` (unix seconds).
    pub fn locked_for(&self, now: i64) -> Option<u64> {
        self.locked_until.filter(|until| *until > now).map(|until| (until - now) as u64)
    }

    /// Counts a failed attempt; returns the lock length when this failure locks the account.
    pub fn register_failure(&mut self, now: i64) -> Option<u64> {
        self.failed_attempts += 1;
        if self.failed_attempts < MAX_FAILURES {
            return None;
        }
        let secs = BASE_LOCK_SECS.saturating_mul(1i64 << self.lockouts.min(16)).min(MAX_LOCK_SECS);
        self.lockouts += 1;
        self.failed_attempts = 0;
        self.locked_until = Some(now + secs);
        Some(secs as u64)
    }

    pub fn register_success(&mut self) {
        self.failed_attempts = 0;
        self.lockouts = 0;
        self.locked_until = None;
    }

    /// Lifts a lock (an administrator's decision).
    pub fn unlock(&mut self) {
        self.register_success();
    }
}

fn aad(user_id: Uuid) -> String {
    format!("{WRAP_AAD}{user_id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const FAST: KdfParams = KdfParams { m: 64, t: 1, p: 1 };

    #[test]
    fn lock_grows_with_each_series_of_failures_and_resets_on_success() {
        let mut entry = WrappedKey::wrap(Uuid::nil(), vec![], "Baobab-soleil-Tamtam-42", &[7; 32], FAST).expect("wrap");
        let now = 1_000_000;
        for attempt in 1..MAX_FAILURES {
            assert_eq!(entry.register_failure(now), None, "attempt {attempt} must not lock yet");
        }
        assert_eq!(entry.register_failure(now), Some(30), "the fifth failure locks for 30 s");
        assert_eq!(entry.locked_for(now + 10), Some(20), "the lock counts down");
        assert_eq!(entry.locked_for(now + 30), None, "and ends");
        for _ in 1..MAX_FAILURES {
            entry.register_failure(now + 40);
        }
        assert_eq!(entry.register_failure(now + 40), Some(60), "the next series locks twice as long");
        for _ in 0..20 {
            for _ in 0..MAX_FAILURES {
                entry.register_failure(now);
            }
        }
        assert_eq!(entry.locked_for(now), Some(MAX_LOCK_SECS as u64), "locks are capped at an hour");
        entry.register_success();
        assert_eq!((entry.failed_attempts, entry.lockouts, entry.locked_until), (0, 0, None));
    }

    #[test]
    fn wrapped_key_opens_only_with_its_password() {
        let entry = WrappedKey::wrap(Uuid::nil(), vec![], "Baobab-soleil-Tamtam-42", &[7; 32], FAST).expect("wrap");
        assert_eq!(entry.unwrap_key("Baobab-soleil-Tamtam-42", None).expect("ok").map(|k| *k), Some([7; 32]));
        assert!(
            entry.unwrap_key("baobab-soleil-tamtam-42", None).expect("ok").is_none(),
            "passwords are case-sensitive"
        );
    }

    #[test]
    fn identifiers_are_normalised_before_lookup() {
        let file = KeyFile::new("Agence".into(), Uuid::nil());
        assert_eq!(file.lookup(" Awa@Agence.SN "), file.lookup("awa@agence.sn"), "e-mails ignore case and spaces");
        assert_eq!(file.lookup("adm-7kq3x"), file.lookup("ADM-7KQ3X"), "codes ignore case");
        assert_ne!(file.lookup("awa@agence.sn"), file.lookup("ADM-7KQ3X"));
        let other = KeyFile::new("Agence".into(), Uuid::nil());
        assert_ne!(file.lookup("awa@agence.sn"), other.lookup("awa@agence.sn"), "lookups are salted per laptop");
    }

    #[test]
    fn a_damaged_file_is_reported_not_guessed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("keys.json");
        fs::write(&path, b"{ not json").expect("write");
        assert!(matches!(KeyFile::load(&path), Err(CoreError::KeyFileCorrupted(_))));
        assert!(matches!(KeyFile::load(&dir.path().join("absent.json")), Ok(None)), "no file: not set up yet");
    }

    #[test]
    fn an_update_that_changes_nothing_does_not_rewrite_the_file() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("keys.json");
        let mut file = KeyFile::new("Agence".into(), Uuid::nil());
        file.put(WrappedKey::wrap(Uuid::nil(), vec![], "Baobab-soleil-Tamtam-42", &[7; 32], FAST).expect("wrap"));
        file.save(&path).expect("save");
        let inode = || fs::metadata(&path).expect("metadata").ino();
        let before = inode();
        KeyFile::update(&path, |_| Ok(())).expect("update");
        assert_eq!(inode(), before, "nothing changed: the file is left as it is");
        KeyFile::update(&path, |f| {
            f.agency_name = "Agence Kourouma".into();
            Ok(())
        })
        .expect("update");
        assert_ne!(inode(), before, "a change is written (a new file renamed over the old one)");
    }
}
