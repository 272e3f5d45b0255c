//! The attachment endpoints (`/sync/v1/attachments/{sha256}`, protocol in `talento_protocol::attachments`): files
//! uploaded in chunks that resume where the server stands, checked against their SHA-256 name once whole, and
//! downloaded whole or by `Range`. Scoped to the calling device's agency: another agency's file is "not found". The
//! name is checked to be 64 lowercase hex digits before anything else and is only ever a query parameter.

use axum::Json;
use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use talento_protocol::{MAX_ATTACHMENT_BYTES, MAX_CHUNK_BYTES, UploadQuery, UploadStatus, is_content_hash};

use crate::AppState;
use crate::auth::Device;
use crate::error::{ApiError, ApiResult};

/// The hash from the path, refused unless it is one.
fn checked(hash: &str) -> ApiResult<&str> {
    if is_content_hash(hash) {
        Ok(hash)
    } else {
        Err(ApiError::Invalid("An attachment is named by its SHA-256: 64 lowercase hex digits.".into()))
    }
}

/// `GET /sync/v1/attachments/{sha256}/upload`: how much of the file the server holds.
pub async fn upload_status(
    State(state): State<AppState>,
    device: Device,
    Path(hash): Path<String>,
) -> ApiResult<Json<UploadStatus>> {
    let hash = checked(&hash)?;
    let client = state.pool.get().await?;
    let row = client
        .query_opt(
            "SELECT octet_length(data)::bigint, size, complete FROM attachments WHERE agency_id = $1 AND hash = $2",
            &[&device.agency_id, &hash],
        )
        .await?;
    let (received, total, complete) =
        row.map_or((0, 0, false), |r| (r.get::<_, i64>(0) as u64, r.get::<_, i64>(1) as u64, r.get(2)));
    Ok(Json(UploadStatus { hash: hash.to_owned(), received, total, complete }))
}

/// `PUT /sync/v1/attachments/{sha256}?offset=&total=`: appends one chunk where the server stands; with the last
/// byte, checks the whole file against its name and keeps it, or drops it.
pub async fn upload(
    State(state): State<AppState>,
    device: Device,
    Path(hash): Path<String>,
    query: Result<Query<UploadQuery>, QueryRejection>,
    body: Body,
) -> ApiResult<Json<UploadStatus>> {
    let hash = checked(&hash)?;
    let Query(UploadQuery { offset, total }) = query?;
    if total == 0 || total > MAX_ATTACHMENT_BYTES {
        return Err(ApiError::PayloadTooLarge(format!(
            "An attachment has 1 to {MAX_ATTACHMENT_BYTES} bytes; this one declares {total}."
        )));
    }
    let chunk = axum::body::to_bytes(body, MAX_CHUNK_BYTES).await.map_err(|_| {
        ApiError::PayloadTooLarge(format!("At most {MAX_CHUNK_BYTES} bytes per chunk: split the upload."))
    })?;
    let end = offset.saturating_add(chunk.len() as u64);
    if chunk.is_empty() || end > total {
        return Err(ApiError::Invalid(format!(
            "A chunk of {} bytes at {offset} does not fit in {total}.",
            chunk.len()
        )));
    }
    let mut client = state.pool.get().await?;
    let tx = client.transaction().await?;
    tx.execute(
        "INSERT INTO attachments (agency_id, hash, size, uploaded_by) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        &[&device.agency_id, &hash, &(total as i64), &device.id],
    )
    .await?;
    // Locked: two laptops uploading the same file take turns.
    let row = tx
        .query_one(
            "SELECT octet_length(data)::bigint, size, complete FROM attachments
             WHERE agency_id = $1 AND hash = $2 FOR UPDATE",
            &[&device.agency_id, &hash],
        )
        .await?;
    let (received, size, complete) = (row.get::<_, i64>(0) as u64, row.get::<_, i64>(1) as u64, row.get(2));
    if complete {
        // Held already (another laptop sent it, or the answer to our last chunk was lost): nothing to add.
        tx.commit().await?;
        return Ok(Json(UploadStatus { hash: hash.to_owned(), received, total: size, complete }));
    }
    if size != total {
        if received > 0 {
            return Err(ApiError::Conflict(format!("This upload was started with {size} bytes, not {total}.")));
        }
        tx.execute(
            "UPDATE attachments SET size = $3 WHERE agency_id = $1 AND hash = $2",
            &[&device.agency_id, &hash, &(total as i64)],
        )
        .await?;
    }
    if offset != received {
        return Err(ApiError::Conflict(format!("The server holds {received} bytes of this file: send from there.")));
    }
    tx.execute(
        "UPDATE attachments SET data = data || $3 WHERE agency_id = $1 AND hash = $2",
        &[&device.agency_id, &hash, &chunk.as_ref()],
    )
    .await?;
    let mut complete = false;
    if end == total {
        let matches: bool = tx
            .query_one(
                "SELECT encode(sha256(data), 'hex') = hash FROM attachments WHERE agency_id = $1 AND hash = $2",
                &[&device.agency_id, &hash],
            )
            .await?
            .get(0);
        if !matches {
            tx.execute("DELETE FROM attachments WHERE agency_id = $1 AND hash = $2", &[&device.agency_id, &hash])
                .await?;
            tx.commit().await?;
            tracing::warn!(device = %device.id, %hash, "uploaded attachment does not match its hash: dropped");
            return Err(ApiError::Invalid(
                "The file's content does not match its SHA-256 name: it was dropped; send it again from the start."
                    .into(),
            ));
        }
        tx.execute(
            "UPDATE attachments SET complete = true, completed_at = now() WHERE agency_id = $1 AND hash = $2",
            &[&device.agency_id, &hash],
        )
        .await?;
        complete = true;
    }
    tx.commit().await?;
    Ok(Json(UploadStatus { hash: hash.to_owned(), received: end, total, complete }))
}

/// `bytes=N-` or `bytes=N-M` (one range; what the laptop sends), as `(first, last)` within `size`.
fn range(headers: &HeaderMap, size: u64) -> ApiResult<Option<(u64, u64)>> {
    let Some(value) = headers.get(header::RANGE) else { return Ok(None) };
    let bad = || ApiError::Invalid(format!("Range must be bytes=N- or bytes=N-M within the {size} bytes."));
    let spec = value.to_str().ok().and_then(|v| v.trim().strip_prefix("bytes=")).ok_or_else(bad)?;
    let (first, last) = spec.split_once('-').ok_or_else(bad)?;
    let first: u64 = first.trim().parse().map_err(|_| bad())?;
    let last: u64 = match last.trim() {
        "" => size.saturating_sub(1),
        last => last.parse::<u64>().map_err(|_| bad())?.min(size.saturating_sub(1)),
    };
    if first >= size || last < first {
        return Err(bad());
    }
    Ok(Some((first, last)))
}

/// `GET` (and `HEAD`) `/sync/v1/attachments/{sha256}`: the whole file, or the part a `Range` asks for.
pub async fn download(
    State(state): State<AppState>,
    device: Device,
    method: Method,
    Path(hash): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let hash = checked(&hash)?;
    let client = state.pool.get().await?;
    let size: i64 = client
        .query_opt(
            "SELECT size FROM attachments WHERE agency_id = $1 AND hash = $2 AND complete",
            &[&device.agency_id, &hash],
        )
        .await?
        .ok_or(ApiError::NotFound)?
        .get(0);
    let size = size as u64;
    let part = range(&headers, size)?;
    let (first, last) = part.unwrap_or((0, size - 1));
    let length = last - first + 1;
    let data: Vec<u8> = if method == Method::HEAD {
        Vec::new()
    } else {
        client
            .query_one(
                "SELECT substring(data FROM $3::bigint::int + 1 FOR $4::bigint::int) FROM attachments
                 WHERE agency_id = $1 AND hash = $2",
                &[&device.agency_id, &hash, &(first as i64), &(length as i64)],
            )
            .await?
            .get(0)
    };
    let mut response = (
        if part.is_some() { StatusCode::PARTIAL_CONTENT } else { StatusCode::OK },
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_owned()),
            (header::ACCEPT_RANGES, "bytes".to_owned()),
            (header::CONTENT_LENGTH, length.to_string()),
        ],
        data,
    )
        .into_response();
    if part.is_some()
        && let Ok(value) = format!("bytes {first}-{last}/{size}").parse()
    {
        response.headers_mut().insert(header::CONTENT_RANGE, value);
    }
    Ok(response)
}
