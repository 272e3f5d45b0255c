//! Accounts on every enrolled laptop. At enrollment the server hands over the agency key; this laptop keeps it in
//! its encrypted store (`sync_state.agency_key`) and wraps its data key under it in `keys.json`
//! ([`KeyFile::agency_wrap`]). Each account carries a synced `key_wrap`: the agency key under the person's password
//! ([`AgencyKeyWrap`], the format the server writes too), made wherever the password is set (account created,
//! password changed or reset, account reactivated) or, for accounts older than enrollment, at their next login here.
//!
//! [`reconcile`] turns the `users` table into key-file entries: an active account with a `key_wrap` this laptop has
//! no matching entry for gets one holding that wrap (its password opens the agency key, which opens the data key);
//! a deactivated account loses its entries. It runs after each pulled page that brings accounts, and at every
//! unlock; it is idempotent (and writes the file only when it changes), so a crash between a commit and the key-file
//! write heals at the next unlock.

use rusqlite::{Connection, OptionalExtension};
use talento_domain::keywrap::AgencyKeyWrap;
use uuid::Uuid;

use crate::crypto::{self, KEY_LEN, KdfParams, NONCE_LEN, SALT_LEN, SecretKey};
use crate::error::{CoreError, CoreResult};
use crate::keyfile::{AgencyWrap, KeyFile, WrappedKey, wrap_id};

/// The agency key of an enrollment answer (base64url); `None` from a server that sends none, or a damaged one.
pub(crate) fn decode_agency_key(text: &str) -> Option<SecretKey> {
    use base64::Engine;
    if text.is_empty() {
        return None;
    }
    let key = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(text).ok().and_then(|b| b.try_into().ok());
    if key.is_none() {
        tracing::warn!("the server's agency key is not 32 bytes: accounts stay on this laptop");
    }
    key.map(zeroize::Zeroizing::new)
}

/// The agency key this laptop received at enrollment, if any.
pub(crate) fn agency_key(conn: &Connection) -> CoreResult<Option<SecretKey>> {
    let text: Option<String> =
        conn.query_row("SELECT agency_key FROM sync_state WHERE id = 1", [], |r| r.get(0)).optional()?.flatten();
    text.map(|t| {
        crypto::unhex::<KEY_LEN>(&t)
            .map(zeroize::Zeroizing::new)
            .ok_or_else(|| CoreError::StoreCorrupted("agency key".into()))
    })
    .transpose()
}

/// A new `key_wrap` for an account: the agency key under its password.
pub(crate) fn new_key_wrap(
    user_id: Uuid,
    password: &str,
    agency_key: &[u8; KEY_LEN],
    kdf: KdfParams,
) -> CoreResult<String> {
    let wrap = AgencyKeyWrap::seal(
        user_id,
        password,
        agency_key,
        kdf,
        crypto::random::<SALT_LEN>(),
        crypto::random::<NONCE_LEN>(),
    )
    .map_err(|e| CoreError::Internal(format!("key wrap: {e}")))?;
    Ok(wrap.to_json())
}

/// Whether an account's `key_wrap` should be made again at login with `password`: missing or unreadable, or made with
/// a weaker key derivation than this laptop's and for this same password (a wrap of a newer password set on another
/// laptop is never replaced by an older one).
pub(crate) fn key_wrap_is_stale(key_wrap: Option<&str>, user_id: Uuid, password: &str, kdf: KdfParams) -> bool {
    match key_wrap.map(AgencyKeyWrap::from_json) {
        Some(Ok(wrap)) if wrap.kdf.m < kdf.m || wrap.kdf.t < kdf.t => {
            matches!(wrap.open(user_id, password), Ok(Some(_)))
        }
        Some(Ok(_)) => false,
        _ => true,
    }
}

/// One account as the key file needs it.
struct Account {
    id: Uuid,
    code: String,
    email: String,
    active: bool,
    key_wrap: Option<String>,
}

/// Brings the key file in line with the `users` table (see the module's doc), and its agency wrap in line with the
/// agency key (made at enrollment; made again if a crash lost it). Returns the file as saved.
pub(crate) fn reconcile(
    conn: &Connection,
    key_path: &std::path::Path,
    data_key: &[u8; KEY_LEN],
) -> CoreResult<KeyFile> {
    let agency_key = agency_key(conn)?;
    let accounts: Vec<Account> = {
        let mut stmt = conn.prepare("SELECT id, code, email, active, key_wrap FROM users")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?;
        rows.filter_map(|row| match row {
            Ok((id, code, email, active, key_wrap)) => {
                Uuid::parse_str(&id).ok().map(|id| Ok(Account { id, code, email, active, key_wrap }))
            }
            Err(e) => Some(Err(e)),
        })
        .collect::<Result<_, _>>()?
    };
    let (_, fresh) = KeyFile::update(key_path, |file| {
        let device = file.device_id;
        match &agency_key {
            Some(key) => {
                let opens = match &file.agency_wrap {
                    Some(wrap) => wrap.open(key, device)?.is_some_and(|k| *k == *data_key),
                    None => false,
                };
                if !opens {
                    file.agency_wrap = Some(AgencyWrap::seal(key, data_key, device));
                }
            }
            // Not enrolled (or revoked): the agency key is gone, and so is what it opened.
            None => {
                file.agency_wrap = None;
                if file.users.iter().any(|u| !u.via_agency) {
                    file.users.retain(|u| !u.via_agency);
                }
            }
        }
        for account in &accounts {
            if !account.active {
                // Never the last entry: a file nobody can open is refused as damaged; login still turns a
                // deactivated account away once the store is open.
                if file.users.len() > 1 && file.users.iter().any(|u| u.user_id == account.id) {
                    file.remove(account.id);
                }
                continue;
            }
            let lookups = vec![file.lookup(&account.email), file.lookup(&account.code)];
            if let Some(entry) = file.entry_for_user(account.id) {
                entry.lookups.clone_from(&lookups);
            }
            let (Some(text), Some(_)) = (&account.key_wrap, &file.agency_wrap) else { continue };
            let id = wrap_id(text);
            let current = file.users.iter().find(|u| u.user_id == account.id).cloned();
            if current.as_ref().is_some_and(|e| e.wrap_id.as_deref() == Some(id.as_str())) {
                continue;
            }
            match AgencyKeyWrap::from_json(text) {
                Ok(wrap) => file.put(
                    WrappedKey::from_agency_key_wrap(account.id, lookups, &wrap, id).with_lockout_of(current.as_ref()),
                ),
                Err(e) => tracing::warn!(user = %account.id, error = %e, "an account's key wrap cannot be read"),
            }
        }
        Ok(())
    })?;
    Ok(fresh)
}

#[cfg(test)]
mod tests {
    use super::*;

    const WEAK: KdfParams = KdfParams { m: 64, t: 1, p: 1 };
    const STRONG: KdfParams = KdfParams { m: 128, t: 2, p: 1 };

    #[test]
    fn a_key_wrap_is_made_again_only_when_missing_damaged_or_weaker_for_the_same_password() {
        let user = Uuid::from_bytes([5; 16]);
        let weak = new_key_wrap(user, "Baobab-soleil-Tamtam-42", &[1; 32], WEAK).expect("wrap");
        let strong = new_key_wrap(user, "Baobab-soleil-Tamtam-42", &[1; 32], STRONG).expect("wrap");
        assert!(key_wrap_is_stale(None, user, "Baobab-soleil-Tamtam-42", STRONG), "an account without a wrap gets one");
        assert!(key_wrap_is_stale(Some("{"), user, "Baobab-soleil-Tamtam-42", STRONG), "a damaged wrap is replaced");
        assert!(!key_wrap_is_stale(Some(&strong), user, "Baobab-soleil-Tamtam-42", STRONG), "a current wrap stays");
        assert!(key_wrap_is_stale(Some(&weak), user, "Baobab-soleil-Tamtam-42", STRONG), "a weaker one is raised");
        assert!(
            !key_wrap_is_stale(Some(&weak), user, "Ancien-mot-de-passe-2025", STRONG),
            "a newer password's wrap is never replaced by a login with an older password"
        );
    }

    #[test]
    fn the_servers_agency_key_is_read_only_when_it_is_32_bytes() {
        use base64::Engine;
        let encode = |b: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b);
        assert_eq!(decode_agency_key(&encode(&[7; 32])).map(|k| *k), Some([7; 32]));
        assert!(decode_agency_key("").is_none(), "a server that predates agency keys sends none");
        assert!(decode_agency_key(&encode(&[7; 16])).is_none(), "a short key is refused");
    }
}
