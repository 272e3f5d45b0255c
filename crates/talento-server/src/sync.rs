//! The sync endpoints (`/sync/v1`, protocol in `talento_protocol::sync`). Pushes of one agency run one at a time
//! (a transaction-scoped advisory lock), so the server sequence is assigned in commit order and a pull cursor can
//! never skip a change that commits late. Each push stores its changes idempotently, merges them into the
//! materialised `records` with `talento_protocol::merge`, sets aside what cannot be applied, and advances the
//! device's contiguous seq — all in one transaction, so a crash or restart mid-push leaves nothing half done.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use deadpool_postgres::Transaction;
use serde::Deserialize;
use serde_json::Value;
use talento_domain::talent::ScopeKind;
use talento_domain::{Action, HlcTimestamp};
use talento_protocol::sync::{DEFAULT_PULL_LIMIT, MAX_BATCH, MAX_CHANGE_BYTES, MAX_LEASE, MAX_PULL_LIMIT};
use talento_protocol::{
    Change, DeviceProgress, EnrollRequest, EnrollResponse, LeaseRequest, LeaseResponse, Op, PROTOCOL_HEADER,
    PROTOCOL_VERSION, PullQuery, PullResponse, PulledChange, PushOutcome, PushResponse, PushResult, RecordState,
    SetAsideReason, StatusResponse, merge,
};
use tokio_postgres::IsolationLevel;
use uuid::Uuid;

use crate::AppState;
use crate::auth::{self, Device, User};
use crate::error::{ApiError, ApiResult};

/// Refuses any sync request that does not speak this server's protocol version, before anything else runs, and
/// stamps every sync response with the server's version.
pub async fn require_protocol(request: Request, next: Next) -> Result<Response, ApiError> {
    let sent = request.headers().get(PROTOCOL_HEADER).map(|v| v.to_str().ok().and_then(|s| s.trim().parse().ok()));
    match sent {
        Some(Some(PROTOCOL_VERSION)) => {
            let mut response = next.run(request).await;
            response.headers_mut().insert(PROTOCOL_HEADER, HeaderValue::from(PROTOCOL_VERSION));
            Ok(response)
        }
        Some(client) => Err(ApiError::ProtocolMismatch { client }),
        None => Err(ApiError::ProtocolMismatch { client: None }),
    }
}

/// `POST /sync/v1/enroll`: consumes the one-time token and returns the device credential.
pub async fn enroll(
    State(state): State<AppState>,
    body: Result<Json<EnrollRequest>, JsonRejection>,
) -> ApiResult<Json<EnrollResponse>> {
    let Json(request) = body?;
    let device_name = request.device_name.trim();
    if device_name.is_empty() || device_name.chars().count() > 120 {
        return Err(ApiError::Invalid("device_name must have 1 to 120 characters".into()));
    }
    let credential = auth::new_secret()?;
    let mut client = state.pool.get().await?;
    let tx = client.transaction().await?;
    let agency_id: Uuid = tx
        .query_opt(
            "UPDATE enrollment_tokens SET used_at = now(), used_by = $2
             WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() RETURNING agency_id",
            &[&auth::secret_hash(request.token.trim()), &request.device_id],
        )
        .await?
        .map(|row| row.get(0))
        .ok_or(ApiError::EnrollmentToken)?;
    // A device id enrolls once; the token is then not consumed (the transaction rolls back).
    tx.execute(
        "INSERT INTO devices (id, agency_id, database_id, name, credential_hash) VALUES ($1, $2, $3, $4, $5)",
        &[&request.device_id, &agency_id, &request.database_id, &device_name, &auth::secret_hash(&credential)],
    )
    .await
    .map_err(|e| match e.code() {
        Some(&tokio_postgres::error::SqlState::UNIQUE_VIOLATION) => {
            ApiError::Conflict("This device is enrolled already.".into())
        }
        _ => ApiError::Db(e),
    })?;
    let agency_name: String = tx.query_one("SELECT name FROM agencies WHERE id = $1", &[&agency_id]).await?.get(0);
    let agency_key = URL_SAFE_NO_PAD.encode(*crate::admin::agency_key(&tx, agency_id).await?);
    tx.commit().await?;
    tracing::info!(device = %request.device_id, agency = %agency_id, "device enrolled");
    Ok(Json(EnrollResponse {
        device_credential: credential,
        agency_id,
        agency_name,
        protocol_version: PROTOCOL_VERSION,
        agency_key,
    }))
}

/// The push body as it arrives: each change is read on its own, so one malformed change is set aside instead of
/// failing the whole batch.
#[derive(Debug, Deserialize)]
pub struct RawPush {
    changes: Vec<Value>,
}

/// A change that cannot be applied, and why.
struct Rejected {
    seq: Option<u64>,
    reason: SetAsideReason,
    detail: String,
    raw: String,
}

/// `POST /sync/v1/push`.
pub async fn push(
    State(state): State<AppState>,
    device: Device,
    body: Result<Json<RawPush>, JsonRejection>,
) -> ApiResult<Json<PushResponse>> {
    let Json(raw) = body?;
    if raw.changes.len() > MAX_BATCH {
        return Err(ApiError::PayloadTooLarge(format!(
            "{} changes in one push; at most {MAX_BATCH}: split the batch.",
            raw.changes.len()
        )));
    }
    let mut client = state.pool.get().await?;
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&agency_lock(device.agency_id)]).await?;

    let mut results: Vec<Option<PushOutcome>> = vec![None; raw.changes.len()];
    let mut seqs: Vec<Option<u64>> = vec![None; raw.changes.len()];
    let mut valid: Vec<(usize, Change)> = Vec::new();
    for (index, value) in raw.changes.iter().enumerate() {
        match check(value, device.id) {
            Ok(change) => {
                seqs[index] = Some(change.seq);
                valid.push((index, change));
            }
            Err(rejected) => {
                seqs[index] = rejected.seq;
                if let Some(seq) = rejected.seq {
                    tx.execute(
                        "INSERT INTO set_aside (device_id, seq, agency_id, reason, detail, size_bytes, excerpt)
                         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (device_id, seq) DO NOTHING",
                        &[
                            &device.id,
                            &(seq as i64),
                            &device.agency_id,
                            &rejected.reason.as_str(),
                            &rejected.detail,
                            &(rejected.raw.len().min(i32::MAX as usize) as i32),
                            &excerpt(&rejected.raw),
                        ],
                    )
                    .await?;
                }
                tracing::warn!(device = %device.id, seq = ?rejected.seq, reason = rejected.reason.as_str(),
                    detail = %rejected.detail, "change set aside");
                results[index] = Some(PushOutcome::SetAside { reason: rejected.reason, detail: rejected.detail });
            }
        }
    }

    let accepted = store_changes(&tx, device, &valid).await?;
    let mut to_merge: Vec<(i64, &Change)> = Vec::new();
    for (index, change) in &valid {
        // A seq repeated inside one batch is accepted once; its later copies are duplicates.
        let outcome = match accepted.get(&change.seq) {
            Some(&(first_index, server_seq)) if first_index == *index => {
                to_merge.push((server_seq, change));
                PushOutcome::Accepted { server_seq: server_seq as u64 }
            }
            _ => PushOutcome::Duplicate,
        };
        results[*index] = Some(outcome);
    }
    merge_records(&tx, device.agency_id, &to_merge).await?;
    let contiguous_seq = advance_contiguous(&tx, device.id).await?;
    tx.commit().await?;

    let results = results
        .into_iter()
        .zip(seqs)
        .enumerate()
        .map(|(index, (outcome, seq))| PushResult { index, seq, outcome: outcome.unwrap_or(PushOutcome::Duplicate) })
        .collect();
    Ok(Json(PushResponse { results, contiguous_seq }))
}

/// The advisory-lock key that serialises one agency's pushes.
pub(crate) fn agency_lock(agency_id: Uuid) -> i64 {
    let bytes = agency_id.as_bytes();
    i64::from_be_bytes([bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]])
}

fn excerpt(raw: &str) -> String {
    raw.chars().take(2000).collect()
}

/// Reads and checks one change of a push.
fn check(value: &Value, device_id: Uuid) -> Result<Change, Rejected> {
    let seq = value.get("seq").and_then(Value::as_u64);
    // Serialized only for what is set aside, to keep an excerpt for the administrator.
    let reject = |reason, detail: String| Rejected { seq, reason, detail, raw: value.to_string() };
    let change = Change::deserialize(value).map_err(|e| reject(SetAsideReason::Malformed, e.to_string()))?;
    if change.seq == 0 || change.seq > i64::MAX as u64 {
        return Err(reject(SetAsideReason::Malformed, format!("seq {} is out of range", change.seq)));
    }
    if change.device_id != device_id {
        return Err(reject(
            SetAsideReason::WrongDevice,
            format!("change of device {} pushed by {device_id}", change.device_id),
        ));
    }
    if change.hlc.parse::<HlcTimestamp>().is_err() {
        return Err(reject(SetAsideReason::BadTimestamp, format!("{:?} is not a timestamp", excerpt(&change.hlc))));
    }
    let table_ok = !change.table.is_empty()
        && change.table.len() <= 63
        && change.table.starts_with(|c: char| c.is_ascii_lowercase())
        && change.table.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if !table_ok || change.row_id.trim().is_empty() || change.row_id.len() > 200 {
        return Err(reject(SetAsideReason::BadTarget, "table name or row id not acceptable".into()));
    }
    let size = serde_json::to_string(&change.fields).map_or(usize::MAX, |s| s.len());
    if size > MAX_CHANGE_BYTES {
        return Err(reject(SetAsideReason::TooLarge, format!("{size} bytes of fields, at most {MAX_CHANGE_BYTES}")));
    }
    Ok(change)
}

/// Inserts the changes, skipping `(device, seq)` pairs already held. Returns, per newly stored seq, the index of the
/// change that was stored and its server sequence.
async fn store_changes(
    tx: &Transaction<'_>,
    device: Device,
    changes: &[(usize, Change)],
) -> ApiResult<BTreeMap<u64, (usize, i64)>> {
    if changes.is_empty() {
        return Ok(BTreeMap::new());
    }
    let seqs: Vec<i64> = changes.iter().map(|(_, c)| c.seq as i64).collect();
    let hlcs: Vec<&str> = changes.iter().map(|(_, c)| c.hlc.as_str()).collect();
    let tables: Vec<&str> = changes.iter().map(|(_, c)| c.table.as_str()).collect();
    let rows: Vec<&str> = changes.iter().map(|(_, c)| c.row_id.as_str()).collect();
    let ops: Vec<&str> = changes.iter().map(|(_, c)| c.op.as_str()).collect();
    let fields: Vec<Value> = changes.iter().map(|(_, c)| Value::Object(c.fields.clone())).collect();
    let ordinals: Vec<i32> = (0..changes.len() as i32).collect();
    // WITH ORDINALITY + ORDER BY: server sequences follow the order the device logged its changes.
    let stored = tx
        .query(
            "INSERT INTO changes (agency_id, device_id, seq, hlc, table_name, row_id, op, fields)
             SELECT $1, $2, seq, hlc, table_name, row_id, op, fields
             FROM unnest($3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::jsonb[], $9::int[])
                  AS c (seq, hlc, table_name, row_id, op, fields, ordinal)
             ORDER BY seq, ordinal
             ON CONFLICT (device_id, seq) DO NOTHING
             RETURNING seq, server_seq",
            &[&device.agency_id, &device.id, &seqs, &hlcs, &tables, &rows, &ops, &fields, &ordinals],
        )
        .await?;
    // A batch may repeat a seq: the first change carrying it is the one stored.
    let mut index_of: BTreeMap<u64, usize> = BTreeMap::new();
    for (index, change) in changes {
        index_of.entry(change.seq).or_insert(*index);
    }
    let mut accepted = BTreeMap::new();
    for row in stored {
        let seq = row.get::<_, i64>(0) as u64;
        let index = index_of.get(&seq).copied().unwrap_or(0);
        accepted.insert(seq, (index, row.get::<_, i64>(1)));
    }
    Ok(accepted)
}

/// Merges newly stored changes into the materialised rows, one read and one write per batch.
pub(crate) async fn merge_records(tx: &Transaction<'_>, agency_id: Uuid, changes: &[(i64, &Change)]) -> ApiResult<()> {
    if changes.is_empty() {
        return Ok(());
    }
    let mut rows: BTreeMap<(String, String), (RecordState, bool, i64)> = BTreeMap::new();
    for (_, change) in changes {
        rows.entry((change.table.clone(), change.row_id.clone())).or_insert((RecordState::default(), false, 0));
    }
    let (tables, ids): (Vec<&str>, Vec<&str>) = rows.keys().map(|(t, r)| (t.as_str(), r.as_str())).unzip();
    let current = tx
        .query(
            "SELECT r.table_name, r.row_id, r.fields, r.field_hlc, r.deleted FROM records r
             JOIN unnest($2::text[], $3::text[]) AS k (table_name, row_id)
               ON r.table_name = k.table_name AND r.row_id = k.row_id
             WHERE r.agency_id = $1 FOR UPDATE OF r",
            &[&agency_id, &tables, &ids],
        )
        .await?;
    for row in current {
        let key = (row.get::<_, String>(0), row.get::<_, String>(1));
        let fields = match row.get::<_, Value>(2) {
            Value::Object(map) => map,
            _ => serde_json::Map::new(),
        };
        let field_hlc = serde_json::from_value(row.get::<_, Value>(3)).unwrap_or_default();
        rows.insert(key, (RecordState { fields, field_hlc, deleted: row.get(4) }, false, 0));
    }
    for (server_seq, change) in changes {
        if let Some((state, changed, last)) = rows.get_mut(&(change.table.clone(), change.row_id.clone())) {
            if merge(state, change) == talento_protocol::MergeEffect::Changed {
                *changed = true;
            }
            *last = (*last).max(*server_seq);
        }
    }
    let changed: Vec<_> = rows.into_iter().filter(|(_, (_, changed, _))| *changed).collect();
    if changed.is_empty() {
        return Ok(());
    }
    let tables: Vec<&str> = changed.iter().map(|((t, _), _)| t.as_str()).collect();
    let ids: Vec<&str> = changed.iter().map(|((_, r), _)| r.as_str()).collect();
    let fields: Vec<Value> = changed.iter().map(|(_, (s, _, _))| Value::Object(s.fields.clone())).collect();
    let hlcs: Vec<Value> =
        changed.iter().map(|(_, (s, _, _))| serde_json::to_value(&s.field_hlc).unwrap_or_default()).collect();
    let deleted: Vec<bool> = changed.iter().map(|(_, (s, _, _))| s.deleted).collect();
    let last: Vec<i64> = changed.iter().map(|(_, (_, _, l))| *l).collect();
    tx.execute(
        "INSERT INTO records (agency_id, table_name, row_id, fields, field_hlc, deleted, last_server_seq)
         SELECT $1, * FROM unnest($2::text[], $3::text[], $4::jsonb[], $5::jsonb[], $6::bool[], $7::bigint[])
         ON CONFLICT (agency_id, table_name, row_id) DO UPDATE SET fields = excluded.fields,
           field_hlc = excluded.field_hlc, deleted = excluded.deleted, last_server_seq = excluded.last_server_seq,
           updated_at = now()",
        &[&agency_id, &tables, &ids, &fields, &hlcs, &deleted, &last],
    )
    .await?;
    Ok(())
}

/// Moves the device's contiguous seq past every seq now held (stored or set aside) with no hole below it.
async fn advance_contiguous(tx: &Transaction<'_>, device_id: Uuid) -> ApiResult<u64> {
    let row = tx
        .query_one(
            "WITH d AS (SELECT contiguous_seq AS c FROM devices WHERE id = $1),
             held AS (
               SELECT seq FROM changes, d WHERE device_id = $1 AND seq > d.c
               UNION SELECT seq FROM set_aside, d WHERE device_id = $1 AND seq > d.c),
             numbered AS (SELECT seq, seq - row_number() OVER (ORDER BY seq) AS run FROM held)
             UPDATE devices SET contiguous_seq =
               coalesce((SELECT max(seq) FROM numbered, d WHERE run = d.c), devices.contiguous_seq)
             WHERE id = $1 RETURNING contiguous_seq",
            &[&device_id],
        )
        .await?;
    Ok(row.get::<_, i64>(0) as u64)
}

/// `GET /sync/v1/status`.
pub async fn status(State(state): State<AppState>, device: Device) -> ApiResult<Json<StatusResponse>> {
    let client = state.pool.get().await?;
    let rows = client
        .query(
            "SELECT id, name, contiguous_seq, revoked_at IS NOT NULL FROM devices WHERE agency_id = $1 AND NOT on_server
             ORDER BY enrolled_at, id",
            &[&device.agency_id],
        )
        .await?;
    let devices: Vec<DeviceProgress> = rows
        .iter()
        .map(|r| DeviceProgress {
            device_id: r.get(0),
            name: r.get(1),
            contiguous_seq: r.get::<_, i64>(2) as u64,
            revoked: r.get(3),
        })
        .collect();
    let latest: i64 = client
        .query_one("SELECT coalesce(max(server_seq), 0) FROM changes WHERE agency_id = $1", &[&device.agency_id])
        .await?
        .get(0);
    let contiguous_seq = devices.iter().find(|d| d.device_id == device.id).map_or(0, |d| d.contiguous_seq);
    Ok(Json(StatusResponse {
        protocol_version: PROTOCOL_VERSION,
        device_id: device.id,
        contiguous_seq,
        devices,
        latest_server_seq: latest as u64,
    }))
}

/// `GET /sync/v1/pull?after=&limit=`.
pub async fn pull(
    State(state): State<AppState>,
    device: Device,
    query: Result<Query<PullQuery>, QueryRejection>,
) -> ApiResult<Json<PullResponse>> {
    let Query(query) = query?;
    let limit = query.limit.unwrap_or(DEFAULT_PULL_LIMIT);
    if limit == 0 || limit > MAX_PULL_LIMIT {
        return Err(ApiError::Invalid(format!("limit must be 1 to {MAX_PULL_LIMIT}")));
    }
    let after = i64::try_from(query.after).map_err(|_| ApiError::Invalid("after is out of range".into()))?;
    let mut client = state.pool.get().await?;
    // One snapshot for the page and the newest sequence, so the cursor never jumps over a change.
    let tx = client.build_transaction().isolation_level(IsolationLevel::RepeatableRead).read_only(true).start().await?;
    let rows = tx
        .query(
            "SELECT server_seq, device_id, seq, hlc, table_name, row_id, op, fields FROM changes
             WHERE agency_id = $1 AND server_seq > $2 AND device_id <> $3 ORDER BY server_seq LIMIT $4",
            &[&device.agency_id, &after, &device.id, &(i64::from(limit) + 1)],
        )
        .await?;
    let has_more = rows.len() > limit as usize;
    let mut changes = Vec::with_capacity(rows.len().min(limit as usize));
    for row in rows.iter().take(limit as usize) {
        let op: &str = row.get(6);
        let fields = match row.get::<_, Value>(7) {
            Value::Object(map) => map,
            _ => serde_json::Map::new(),
        };
        changes.push(PulledChange {
            server_seq: row.get::<_, i64>(0) as u64,
            change: Change {
                device_id: row.get(1),
                seq: row.get::<_, i64>(2) as u64,
                hlc: row.get(3),
                table: row.get(4),
                row_id: row.get(5),
                op: Op::parse(op).unwrap_or(Op::Upsert),
                fields,
            },
        });
    }
    let next_after = if has_more {
        changes.last().map_or(query.after, |c| c.server_seq)
    } else {
        // Past the end: skip over the caller's own changes too, so the next pull starts after them.
        let latest: i64 = tx
            .query_one("SELECT coalesce(max(server_seq), 0) FROM changes WHERE agency_id = $1", &[&device.agency_id])
            .await?
            .get(0);
        (latest as u64).max(query.after)
    };
    tx.commit().await?;
    Ok(Json(PullResponse { changes, next_after, has_more }))
}

/// `POST /sync/v1/leases`: grants the next block of a scope. The scope's row is locked for the grant, so concurrent
/// requests queue and no number is ever granted twice.
pub async fn lease(
    State(state): State<AppState>,
    device: Device,
    body: Result<Json<LeaseRequest>, JsonRejection>,
) -> ApiResult<Json<LeaseResponse>> {
    let Json(request) = body?;
    let capacity = ScopeKind::parse(&request.scope)
        .map(ScopeKind::capacity)
        .ok_or_else(|| ApiError::Invalid(format!("{:?} is not a code scope", excerpt(&request.scope))))?;
    if request.count == 0 || request.count > MAX_LEASE {
        return Err(ApiError::Invalid(format!("count must be 1 to {MAX_LEASE}")));
    }
    let mut client = state.pool.get().await?;
    let tx = client.transaction().await?;
    let next: i64 = tx
        .query_one(
            "INSERT INTO code_scopes (agency_id, scope, next_start) VALUES ($1, $2, 1)
             ON CONFLICT (agency_id, scope) DO UPDATE SET next_start = code_scopes.next_start
             RETURNING next_start",
            &[&device.agency_id, &request.scope],
        )
        .await?
        .get(0);
    let floor = request.used_up_to.map_or(0, |u| u.min(capacity) as i64);
    // Numbers 1..=floor were issued by this laptop on its own before enrollment. Taken when another device was
    // granted any of them (its codes may be the same); otherwise kept for this laptop as a lease of its own, so a
    // laptop asking later learns they are taken. The code_scopes row locked above serialises both.
    let mut local_numbers_taken = false;
    if floor > 0 {
        let row = tx
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM code_leases WHERE agency_id = $1 AND scope = $2 AND device_id <> $3 AND start <= $4),
                        EXISTS (SELECT 1 FROM code_leases WHERE agency_id = $1 AND scope = $2 AND device_id = $3 AND start <= $4)",
                &[&device.agency_id, &request.scope, &device.id, &floor],
            )
            .await?;
        local_numbers_taken = row.get(0);
        let kept_already: bool = row.get(1);
        if !local_numbers_taken && !kept_already {
            tx.execute(
                "INSERT INTO code_leases (agency_id, scope, start, end_excl, device_id) VALUES ($1, $2, 1, $3, $4)",
                &[&device.agency_id, &request.scope, &(floor + 1), &device.id],
            )
            .await?;
        }
    }
    let start = next.max(floor + 1);
    let end_excl = (start + i64::from(request.count)).min(capacity as i64 + 1);
    if end_excl <= start {
        return Err(ApiError::ScopeExhausted(request.scope));
    }
    tx.execute(
        "UPDATE code_scopes SET next_start = $3 WHERE agency_id = $1 AND scope = $2",
        &[&device.agency_id, &request.scope, &end_excl],
    )
    .await?;
    tx.execute(
        "INSERT INTO code_leases (agency_id, scope, start, end_excl, device_id) VALUES ($1, $2, $3, $4, $5)",
        &[&device.agency_id, &request.scope, &start, &end_excl, &device.id],
    )
    .await?;
    tx.commit().await?;
    Ok(Json(LeaseResponse {
        scope: request.scope,
        start: start as u64,
        end_excl: end_excl as u64,
        local_numbers_taken,
    }))
}

/// `POST /sync/v1/devices/{id}/revoke` (an administrator): the laptop's next sync call answers `device_revoked`.
pub async fn revoke(State(state): State<AppState>, user: User, Path(id): Path<String>) -> ApiResult<StatusCode> {
    user.require(Action::UsersManage)?;
    let id = Uuid::parse_str(&id).map_err(|_| ApiError::NotFound)?;
    crate::admin::revoke_device(&state.pool, user.agency_id, id).await?;
    tracing::info!(device = %id, by = %user.id, "device revoked");
    Ok(StatusCode::NO_CONTENT)
}
