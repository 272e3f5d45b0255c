//! Encrypted files: photos, CVs and ID scans. Each is stored once, named by the SHA-256 of its content, sealed with
//! XChaCha20-Poly1305 under the store's data key (the hash is the associated data, so a file cannot be swapped for
//! another). Names come from content hashes only — never from what the user called the file.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use rusqlite::{OptionalExtension, Transaction};
use sha2::{Digest, Sha256};

use crate::crypto::{self, KEY_LEN, NONCE_LEN};
use crate::error::{CoreError, CoreResult};

/// What an attachment is, which decides where it may be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttachmentKind {
    /// A processed profile photo (512 px JPEG; its 128 px thumbnail is stored as `PhotoThumb`).
    Photo,
    PhotoThumb,
    Cv,
    IdPhoto,
    /// A production's or the agency's logo (fitted into a 512 px JPEG).
    Logo,
}

impl AttachmentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AttachmentKind::Photo => "photo",
            AttachmentKind::PhotoThumb => "photo_thumb",
            AttachmentKind::Cv => "cv",
            AttachmentKind::IdPhoto => "id_photo",
            AttachmentKind::Logo => "logo",
        }
    }

    pub fn parse(kind: &str) -> Option<AttachmentKind> {
        [Self::Photo, Self::PhotoThumb, Self::Cv, Self::IdPhoto, Self::Logo].into_iter().find(|k| k.as_str() == kind)
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    crypto::hex(&Sha256::digest(bytes))
}

/// The folder of one store's attachments.
#[derive(Debug, Clone)]
pub struct Attachments {
    dir: PathBuf,
}

impl Attachments {
    pub fn new(data_dir: &Path) -> Self {
        Self { dir: data_dir.join("attachments") }
    }

    fn path(&self, hash: &str) -> CoreResult<PathBuf> {
        if !talento_protocol::is_content_hash(hash) {
            return Err(CoreError::NotFound);
        }
        Ok(self.dir.join(hash))
    }

    /// Encrypts and stores `bytes` (once per content) and records it in the transaction. Returns the hash.
    pub fn put(
        &self,
        tx: &Transaction<'_>,
        key: &[u8; KEY_LEN],
        kind: AttachmentKind,
        mime: &str,
        bytes: &[u8],
        now: &str,
    ) -> CoreResult<String> {
        let hash = sha256_hex(bytes);
        let path = self.path(&hash)?;
        if !path.exists() {
            fs::create_dir_all(&self.dir)?;
            let (nonce, sealed) = crypto::seal(key, bytes, hash.as_bytes());
            let tmp = path.with_extension("tmp");
            let mut file = fs::File::create(&tmp)?;
            file.write_all(&nonce)?;
            file.write_all(&sealed)?;
            file.sync_all()?;
            fs::rename(&tmp, &path)?;
        }
        tx.execute(
            "INSERT INTO attachments (hash, kind, mime, size, created_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (hash) DO NOTHING",
            rusqlite::params![hash, kind.as_str(), mime, bytes.len() as i64, now],
        )?;
        Ok(hash)
    }

    /// Decrypts an attachment, checking it is the content its name promises.
    pub fn get(&self, key: &[u8; KEY_LEN], hash: &str) -> CoreResult<Vec<u8>> {
        let sealed = fs::read(self.path(hash)?).map_err(|_| CoreError::NotFound)?;
        if sealed.len() < NONCE_LEN {
            return Err(CoreError::StoreCorrupted(format!("attachment {hash} is truncated")));
        }
        let (nonce, body) = sealed.split_at(NONCE_LEN);
        let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| CoreError::NotFound)?;
        let plain = crypto::open(key, &nonce, body, hash.as_bytes())
            .ok_or_else(|| CoreError::StoreCorrupted(format!("attachment {hash} cannot be decrypted")))?;
        if sha256_hex(&plain) != hash {
            return Err(CoreError::StoreCorrupted(format!("attachment {hash} does not match its hash")));
        }
        Ok(plain.to_vec())
    }

    /// The recorded kind and MIME type of an attachment.
    pub fn meta(conn: &rusqlite::Connection, hash: &str) -> CoreResult<Option<(String, String)>> {
        Ok(conn
            .query_row("SELECT kind, mime FROM attachments WHERE hash = ?1", [hash], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    }

    /// Removes an attachment's file and record (erasure).
    pub fn delete(&self, tx: &Transaction<'_>, hash: &str) -> CoreResult<()> {
        tx.execute("DELETE FROM attachments WHERE hash = ?1", [hash])?;
        match fs::remove_file(self.path(hash)?) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e.into()),
            _ => Ok(()),
        }
    }
}
