//! The HTTP side of sync: one blocking `ureq` agent speaking `/sync/v1` (protocol header on every request, device
//! credential as a bearer token, gzip both ways for large bodies, attachments as raw bytes in chunks and ranges) and
//! the one place where the server's answers become [`SyncError`]s. No answer at all (network down, refused
//! connection, timeout, 5xx) is [`SyncError::Unreachable`]: the caller keeps everything queued.

use std::io::Write as _;
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;
use talento_protocol::{
    Change, EnrollRequest, EnrollResponse, ErrorBody, ErrorCode, LeaseRequest, LeaseResponse, PROTOCOL_HEADER,
    PROTOCOL_VERSION, PullResponse, PushResponse, StatusResponse, UploadStatus,
};

use crate::error::{CoreError, CoreResult, SyncError};

/// Request bodies larger than this go gzip-compressed (the server decompresses them before its size limit).
const GZIP_ABOVE: usize = 8 * 1024;
/// Largest response read: a pull page of 1,000 changes of up to 64 KB each, with room to spare.
const MAX_RESPONSE: u64 = 128 * 1024 * 1024;

/// The agency's server as this laptop sees it.
pub(crate) struct Server {
    agent: ureq::Agent,
    base: String,
    credential: Option<zeroize::Zeroizing<String>>,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server").field("base", &self.base).field("credential", &"<hidden>").finish()
    }
}

/// `https://host:port/prefix` without a trailing slash, or `None` when it is not an http(s) URL.
pub(crate) fn normalize_url(url: &str) -> Option<String> {
    let url = url.trim().trim_end_matches('/');
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"))?;
    (!rest.is_empty() && !rest.contains(char::is_whitespace)).then(|| url.to_owned())
}

impl Server {
    pub(crate) fn new(base: &str, credential: Option<String>) -> Server {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(Duration::from_secs(10)))
            .timeout_global(Some(Duration::from_secs(120)))
            .build()
            .into();
        Server { agent, base: base.to_owned(), credential: credential.map(zeroize::Zeroizing::new) }
    }

    pub(crate) fn enroll(&self, request: &EnrollRequest) -> CoreResult<EnrollResponse> {
        self.post("/sync/v1/enroll", request)
    }

    pub(crate) fn status(&self) -> CoreResult<StatusResponse> {
        self.get("/sync/v1/status")
    }

    /// Pushes a batch of this laptop's log (serialized as a [`talento_protocol::PushRequest`], without a copy).
    pub(crate) fn push(&self, changes: &[Change]) -> CoreResult<PushResponse> {
        #[derive(Serialize)]
        struct Push<'a> {
            changes: &'a [Change],
        }
        self.post("/sync/v1/push", &Push { changes })
    }

    pub(crate) fn pull(&self, after: u64, limit: u32) -> CoreResult<PullResponse> {
        self.get(&format!("/sync/v1/pull?after={after}&limit={limit}"))
    }

    pub(crate) fn lease(&self, request: &LeaseRequest) -> CoreResult<LeaseResponse> {
        self.post("/sync/v1/leases", request)
    }

    /// How much of an attachment's upload the server holds.
    pub(crate) fn upload_status(&self, hash: &str) -> CoreResult<UploadStatus> {
        self.get(&format!("{}/upload", talento_protocol::attachments::attachment_path(hash)))
    }

    /// Sends one chunk of an attachment, starting at `offset` of its `total` bytes.
    pub(crate) fn upload_chunk(&self, hash: &str, offset: u64, total: u64, chunk: &[u8]) -> CoreResult<UploadStatus> {
        let path = talento_protocol::attachments::attachment_path(hash);
        let request = self
            .authorized(self.agent.put(format!("{}{path}?offset={offset}&total={total}", self.base)))
            .content_type("application/octet-stream");
        read(request.send(chunk))
    }

    /// Up to `length` bytes of an attachment from `start`, with the file's total size; `None` when the server does
    /// not hold the whole file (yet).
    pub(crate) fn download_range(&self, hash: &str, start: u64, length: u64) -> CoreResult<Option<(Vec<u8>, u64)>> {
        let path = talento_protocol::attachments::attachment_path(hash);
        let last = start + length.max(1) - 1;
        let request = self
            .authorized(self.agent.get(format!("{}{path}", self.base)))
            .header("range", format!("bytes={start}-{last}"));
        let mut response = request.call().map_err(|e| CoreError::Sync(SyncError::Unreachable(e.to_string())))?;
        let status = response.status().as_u16();
        if status != 200 && status != 206 {
            return match read::<serde_json::Value>(Ok(response)) {
                Err(CoreError::Sync(SyncError::Refused { code, .. })) if code == ErrorCode::NotFound.as_str() => {
                    Ok(None)
                }
                Err(e) => Err(e),
                Ok(_) => Err(CoreError::Sync(SyncError::Refused {
                    code: "bad_answer".into(),
                    message: format!("HTTP {status} for a file"),
                })),
            };
        }
        // `bytes first-last/total` on a part; a server ignoring the range sends the whole file.
        let total = response
            .headers()
            .get("content-range")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit_once('/'))
            .and_then(|(_, total)| total.trim().parse::<u64>().ok());
        let body = response.body_mut().with_config().limit(length.max(1) + 1024).read_to_vec();
        let body = body.map_err(|e| CoreError::Sync(SyncError::Unreachable(format!("reading a file: {e}"))))?;
        let total = match (status, total) {
            (206, Some(total)) => total,
            (200, _) if start == 0 => body.len() as u64,
            _ => {
                return Err(CoreError::Sync(SyncError::Refused {
                    code: "bad_answer".into(),
                    message: "a part of a file without its range".into(),
                }));
            }
        };
        Ok(Some((body, total)))
    }

    fn authorized<B>(&self, request: ureq::RequestBuilder<B>) -> ureq::RequestBuilder<B> {
        let request = request.header(PROTOCOL_HEADER, PROTOCOL_VERSION);
        match &self.credential {
            Some(credential) => request.header("authorization", format!("Bearer {}", credential.as_str())),
            None => request,
        }
    }

    fn get<T: DeserializeOwned>(&self, path: &str) -> CoreResult<T> {
        let mut request = self.agent.get(format!("{}{path}", self.base)).header(PROTOCOL_HEADER, PROTOCOL_VERSION);
        if let Some(credential) = &self.credential {
            request = request.header("authorization", format!("Bearer {}", credential.as_str()));
        }
        read(request.call())
    }

    fn post<B: Serialize, T: DeserializeOwned>(&self, path: &str, body: &B) -> CoreResult<T> {
        let json = serde_json::to_vec(body).map_err(|e| CoreError::Internal(format!("sync body: {e}")))?;
        let mut request = self
            .agent
            .post(format!("{}{path}", self.base))
            .header(PROTOCOL_HEADER, PROTOCOL_VERSION)
            .content_type("application/json");
        if let Some(credential) = &self.credential {
            request = request.header("authorization", format!("Bearer {}", credential.as_str()));
        }
        if json.len() > GZIP_ABOVE {
            let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            encoder.write_all(&json)?;
            let gzipped = encoder.finish()?;
            read(request.header("content-encoding", "gzip").send(&gzipped[..]))
        } else {
            read(request.send(&json[..]))
        }
    }
}

/// Reads a response: the JSON body on success, else the server's `{code, message}` as a [`SyncError`].
fn read<T: DeserializeOwned>(result: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> CoreResult<T> {
    let mut response = result.map_err(|e| CoreError::Sync(SyncError::Unreachable(e.to_string())))?;
    let status = response.status().as_u16();
    let body = response.body_mut().with_config().limit(MAX_RESPONSE).read_to_vec();
    let body = body.map_err(|e| CoreError::Sync(SyncError::Unreachable(format!("reading the answer: {e}"))))?;
    if (200..300).contains(&status) {
        return serde_json::from_slice(&body)
            .map_err(|e| CoreError::Sync(SyncError::Refused { code: "bad_answer".into(), message: e.to_string() }));
    }
    let error: Option<ErrorBody> = serde_json::from_slice(&body).ok();
    let message = error.as_ref().map(|e| e.message.clone()).unwrap_or_else(|| format!("HTTP {status}"));
    let sync_error = match (error.map(|e| e.code), status) {
        (Some(ErrorCode::ProtocolMismatch), _) | (None, 426) => SyncError::ProtocolMismatch(message),
        (Some(ErrorCode::DeviceRevoked), _) => SyncError::DeviceRevoked,
        (Some(ErrorCode::EnrollmentTokenInvalid), _) => SyncError::TokenInvalid,
        (Some(ErrorCode::Unauthorized), _) => SyncError::Unauthorized,
        (Some(ErrorCode::ScopeExhausted), _) => SyncError::ScopeExhausted,
        (Some(ErrorCode::Unavailable), _) | (_, 408 | 502..=504) | (None, 500..=599) => SyncError::Unreachable(message),
        (Some(code), _) => SyncError::Refused { code: code.as_str().to_owned(), message },
        (None, _) => SyncError::Refused { code: format!("http_{status}"), message },
    };
    Err(CoreError::Sync(sync_error))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_shows_the_device_credential() {
        let server = Server::new("https://sync.agence.sn", Some("s3cret-credential".into()));
        let shown = format!("{server:?}");
        assert!(!shown.contains("s3cret"), "logs must not leak the credential: {shown}");
    }

    #[test]
    fn server_urls_are_http_and_lose_their_trailing_slash() {
        assert_eq!(normalize_url(" https://sync.agence.sn/ ").as_deref(), Some("https://sync.agence.sn"));
        assert_eq!(normalize_url("http://127.0.0.1:8080").as_deref(), Some("http://127.0.0.1:8080"));
        for bad in ["", "sync.agence.sn", "ftp://x", "https://", "https://a b"] {
            assert_eq!(normalize_url(bad), None, "{bad:?} is not a server address");
        }
    }
}
