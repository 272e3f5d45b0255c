//! Attachments (photos, CVs, ID scans, logos) travel beside the change log, by content hash: a change carries only
//! the SHA-256 (64 lowercase hex digits) of the file it refers to, and the file goes through these endpoints, under
//! `/sync/v1` with the device credential like the rest of sync. A file is shared by every laptop of the agency that
//! uploaded or refers to it; another agency's devices never see it.
//!
//! Upload, resumable: `GET /sync/v1/attachments/{sha256}/upload` → [`UploadStatus`] (how many bytes the server
//! holds of it), then `PUT /sync/v1/attachments/{sha256}?offset=N&total=T` with the next bytes (raw body, at most
//! [`MAX_CHUNK_BYTES`]) until `received == total`. A chunk must start exactly where the server stands (else `409
//! conflict`: ask the status again). When the last byte arrives the server checks the SHA-256 of the whole file
//! against its name: it then holds it (`complete`), or drops the partial file and answers `422 invalid_request`.
//!
//! Download, resumable: `GET /sync/v1/attachments/{sha256}` (`HEAD` for the size only), with `Range: bytes=N-M`
//! for a part (`206` with `Content-Range: bytes N-M/total`). `404 not_found` until a laptop completed its upload.
//! The laptop checks the SHA-256 before keeping what it received.

use serde::{Deserialize, Serialize};

/// Largest attachment: a CV or a photo as picked (the desktop's own limits are the same 10 MiB).
pub const MAX_ATTACHMENT_BYTES: u64 = 10 * 1024 * 1024;
/// Most bytes in one upload request, and what a laptop asks for per download range.
pub const MAX_CHUNK_BYTES: usize = 1024 * 1024;

/// Whether `name` is a content hash as attachments are named: exactly 64 lowercase hex digits (so it is also safe
/// in a path or a URL).
pub fn is_content_hash(name: &str) -> bool {
    name.len() == 64 && name.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The path of an attachment, for download (`HEAD`/`GET`) and for upload chunks (`PUT`).
pub fn attachment_path(hash: &str) -> String {
    format!("/sync/v1/attachments/{hash}")
}

/// Where an upload stands on the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadStatus {
    pub hash: String,
    /// Bytes the server holds, from the start of the file: the next chunk starts here.
    pub received: u64,
    /// The declared total size (0 when nothing was received yet).
    pub total: u64,
    /// The whole file is held and matched its hash: nothing more to send.
    pub complete: bool,
}

/// `PUT /sync/v1/attachments/{sha256}?offset=&total=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadQuery {
    /// Where this chunk starts in the file: must equal the server's `received`.
    pub offset: u64,
    /// The whole file's size, at most [`MAX_ATTACHMENT_BYTES`]; the same for every chunk of an upload.
    pub total: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_64_lowercase_hex_digits_name_an_attachment() {
        let good = "0123456789abcdef".repeat(4);
        assert!(is_content_hash(&good));
        for bad in [
            "".to_owned(),
            good.to_uppercase(),
            good[..63].to_owned(),
            format!("{good}0"),
            format!("../{}", &good[3..]),
            format!("{}/..", &good[..61]),
            format!("{}%2e%2e", &good[..58]),
        ] {
            assert!(!is_content_hash(&bad), "{bad:?} must never be taken for a hash (or a path)");
        }
    }
}
