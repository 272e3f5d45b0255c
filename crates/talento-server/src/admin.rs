//! What an administrator does on the server itself — create an agency, its accounts, enrollment tokens — shared by
//! the `talento-server` subcommands, `POST /api/v1/users` and the tests.
//!
//! An account made here reaches every laptop: besides the REST login it becomes a `users` change of the agency's
//! server device (see `migrations/server/V2__agency_keys.sql`) carrying the agency key wrapped under the password
//! (`talento_domain::keywrap::AgencyKeyWrap`, the very format laptops write), so the person can log in on any
//! enrolled laptop offline once it has synced.

use deadpool_postgres::{Pool, Transaction};
use serde_json::{Value, json};
use talento_domain::keywrap::{AgencyKeyWrap, KEY_LEN, KdfParams, NONCE_LEN, SALT_LEN, SecretKey};
use talento_domain::{HlcTimestamp, HybridClock, Role, validate};
use talento_protocol::{Change, Op, api};
use uuid::Uuid;

use crate::auth;
use crate::error::{ApiError, ApiResult};

/// Creates an agency; its name is unique (case-insensitive).
pub async fn create_agency(pool: &Pool, name: &str) -> ApiResult<Uuid> {
    let mut errors = Vec::new();
    let name = validate::name("name", name, &mut errors);
    refuse(errors)?;
    let id = Uuid::now_v7();
    let key = random::<KEY_LEN>()?;
    let client = pool.get().await?;
    client
        .execute("INSERT INTO agencies (id, name, data_key) VALUES ($1, $2, $3)", &[&id, &name, &key.as_slice()])
        .await?;
    Ok(id)
}

fn random<const N: usize>() -> ApiResult<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| ApiError::Internal(format!("random source: {e}")))?;
    Ok(bytes)
}

/// The agency key (see `V2__agency_keys.sql`), made now for an agency created before agency keys existed.
pub(crate) async fn agency_key(tx: &Transaction<'_>, agency_id: Uuid) -> ApiResult<SecretKey> {
    let fresh = random::<KEY_LEN>()?;
    tx.execute(
        "UPDATE agencies SET data_key = $2 WHERE id = $1 AND data_key IS NULL",
        &[&agency_id, &fresh.as_slice()],
    )
    .await?;
    let row = tx.query_opt("SELECT data_key FROM agencies WHERE id = $1", &[&agency_id]).await?;
    let bytes: Vec<u8> = row.and_then(|r| r.get(0)).ok_or(ApiError::NotFound)?;
    let key: [u8; KEY_LEN] =
        bytes.try_into().map_err(|_| ApiError::Internal("an agency key is not 32 bytes".into()))?;
    Ok(SecretKey::new(key))
}

/// The agency named `name_or_id` (its id, or its name in any case).
pub async fn find_agency(pool: &Pool, name_or_id: &str) -> ApiResult<Uuid> {
    let client = pool.get().await?;
    let by_id = Uuid::parse_str(name_or_id).ok();
    client
        .query_opt("SELECT id FROM agencies WHERE id = $1 OR lower(name) = lower($2)", &[&by_id, &name_or_id])
        .await?
        .map(|row| row.get(0))
        .ok_or(ApiError::NotFound)
}

/// Creates a server account after validating it like the desktop does (name, e-mail, role, password policy), and
/// sends it to every laptop of the agency as a `users` change with its key wrap, in the same transaction. An e-mail
/// that an account made on a laptop already uses stays a REST login only: that account travels by itself, and a
/// second one with the same e-mail would only be refused by every laptop.
pub async fn create_user(pool: &Pool, agency_id: Uuid, new: &api::NewUser) -> ApiResult<api::User> {
    let mut errors = Vec::new();
    let name = validate::name("name", &new.name, &mut errors);
    let email = validate::email("email", &new.email, &mut errors);
    let role = Role::parse(&new.role);
    if role.is_none() {
        errors.push(validate::FieldError::new("role", validate::FieldProblem::UnknownRole));
    }
    validate::password("password", &new.password, &[&name, &email], &mut errors);
    refuse(errors)?;
    let role = role.unwrap_or(Role::Talent);
    let id = Uuid::now_v7();
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    let agency_key = agency_key(&tx, agency_id).await?;
    let password = new.password.clone();
    let (salt, nonce) = (random::<SALT_LEN>()?, random::<NONCE_LEN>()?);
    let (hash, key_wrap) = tokio::task::spawn_blocking(move || {
        let hash = auth::hash_password(&password)?;
        let wrap = AgencyKeyWrap::seal(id, &password, &agency_key, KdfParams::OWASP, salt, nonce)
            .map_err(|e| ApiError::Internal(format!("key wrap: {e}")))?;
        ApiResult::Ok((hash, wrap))
    })
    .await
    .map_err(|e| ApiError::Internal(format!("hashing task: {e}")))??;
    let row = tx
        .query_one(
            "INSERT INTO users (id, agency_id, name, email, role, password_hash) VALUES ($1, $2, $3, $4, $5, $6)
             RETURNING id, agency_id, name, email, role, active, to_json(created_at) #>> '{}',
                       to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')",
            &[&id, &agency_id, &name, &email, &new.role, &hash],
        )
        .await
        .map_err(|e| match e.code() {
            Some(&tokio_postgres::error::SqlState::UNIQUE_VIOLATION) => {
                ApiError::Conflict(format!("An account with the e-mail {email} exists already."))
            }
            _ => ApiError::Db(e),
        })?;
    let created_at: String = row.get(7);
    lock_agency(&tx, agency_id).await?;
    let taken = tx
        .query_opt(
            "SELECT 1 FROM records WHERE agency_id = $1 AND table_name = 'users' AND NOT deleted
               AND lower(fields ->> 'email') = lower($2)",
            &[&agency_id, &email],
        )
        .await?
        .is_some();
    if taken {
        tracing::info!(user = %id, "an account made on a laptop has this e-mail: the server account stays a REST login");
    } else {
        let code = server_user_code(&tx, agency_id, role).await?;
        let fields = json!({
            "code": code, "name": name, "email": email, "role": role.as_str(), "active": true,
            "created_at": created_at, "updated_at": created_at, "key_wrap": key_wrap.to_json(),
        });
        record_server_change(&tx, agency_id, "users", &id.to_string(), fields).await?;
    }
    tx.commit().await?;
    Ok(user_from_row(&row))
}

/// Serialises the agency's writes to the change log with the pushes (the same advisory lock), so server sequences
/// are handed out in commit order and a pull cursor never skips a change that commits late.
async fn lock_agency(tx: &Transaction<'_>, agency_id: Uuid) -> ApiResult<()> {
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&crate::sync::agency_lock(agency_id)]).await?;
    Ok(())
}

/// A login code for an account made on the server: the laptops' form ([`Role::login_code`]) with six characters
/// instead of five, so it can never be one a laptop made; unique among the agency's synced accounts (checked under
/// the agency lock).
async fn server_user_code(tx: &Transaction<'_>, agency_id: Uuid, role: Role) -> ApiResult<String> {
    loop {
        let code = role.login_code(&random::<6>()?);
        let taken = tx
            .query_opt(
                "SELECT 1 FROM records WHERE agency_id = $1 AND table_name = 'users' AND fields ->> 'code' = $2",
                &[&agency_id, &code],
            )
            .await?
            .is_some();
        if !taken {
            return Ok(code);
        }
    }
}

/// The agency's server device (made at first need): the author of the changes the server itself makes.
async fn server_device(tx: &Transaction<'_>, agency_id: Uuid) -> ApiResult<Uuid> {
    let id = Uuid::now_v7();
    // Nobody ever holds this device's credential: its hash is of a random value thrown away at once.
    let credential_hash = auth::secret_hash(&auth::new_secret()?);
    tx.execute(
        "INSERT INTO devices (id, agency_id, database_id, name, credential_hash, on_server)
         VALUES ($1, $2, $1, 'server', $3, true) ON CONFLICT (agency_id) WHERE on_server DO NOTHING",
        &[&id, &agency_id, &credential_hash],
    )
    .await?;
    Ok(tx.query_one("SELECT id FROM devices WHERE agency_id = $1 AND on_server", &[&agency_id]).await?.get(0))
}

/// Appends one change of the server device to the agency's log and merges it into `records`, inside the caller's
/// transaction (which must hold the agency lock). Its seq is the device's next (the row lock numbers concurrent
/// writers one after the other); its timestamp comes from the device's clock resumed from its last change.
pub(crate) async fn record_server_change(
    tx: &Transaction<'_>,
    agency_id: Uuid,
    table: &str,
    row_id: &str,
    fields: Value,
) -> ApiResult<u64> {
    let device = server_device(tx, agency_id).await?;
    let seq: i64 = tx
        .query_one(
            "UPDATE devices SET contiguous_seq = contiguous_seq + 1 WHERE id = $1 RETURNING contiguous_seq",
            &[&device],
        )
        .await?
        .get(0);
    let last: Option<String> = tx
        .query_opt("SELECT hlc FROM changes WHERE device_id = $1 ORDER BY seq DESC LIMIT 1", &[&device])
        .await?
        .map(|r| r.get(0));
    let (millis, counter) = last.and_then(|h| h.parse::<HlcTimestamp>().ok()).map_or((0, 0), |t| (t.millis, t.counter));
    let wall =
        u64::try_from(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis()))
            .unwrap_or(u64::MAX);
    let hlc = HybridClock::resume(device, millis, counter).tick(wall).to_string();
    let Value::Object(fields) = fields else {
        return Err(ApiError::Internal("a change's fields are an object".into()));
    };
    let server_seq: i64 = tx
        .query_one(
            "INSERT INTO changes (agency_id, device_id, seq, hlc, table_name, row_id, op, fields)
             VALUES ($1, $2, $3, $4, $5, $6, 'upsert', $7) RETURNING server_seq",
            &[&agency_id, &device, &seq, &hlc, &table, &row_id, &Value::Object(fields.clone())],
        )
        .await?
        .get(0);
    let change = Change {
        device_id: device,
        seq: seq as u64,
        hlc,
        table: table.to_owned(),
        row_id: row_id.to_owned(),
        op: Op::Upsert,
        fields,
    };
    crate::sync::merge_records(tx, agency_id, &[(server_seq, &change)]).await?;
    Ok(server_seq as u64)
}

pub(crate) fn user_from_row(row: &tokio_postgres::Row) -> api::User {
    api::User {
        id: row.get(0),
        agency_id: row.get(1),
        name: row.get(2),
        email: row.get(3),
        role: row.get(4),
        active: row.get(5),
        created_at: row.get(6),
    }
}

/// The agency's enrolled laptops, newest first (the server's own change-writing device is not one).
pub async fn list_devices(pool: &Pool, agency_id: Uuid) -> ApiResult<Vec<api::Device>> {
    let client = pool.get().await?;
    let rows = client
        .query(
            "SELECT id, name, to_json(enrolled_at) #>> '{}', to_json(last_seen_at) #>> '{}',
                    to_json(revoked_at) #>> '{}', contiguous_seq
               FROM devices WHERE agency_id = $1 AND NOT on_server ORDER BY enrolled_at DESC, id",
            &[&agency_id],
        )
        .await?;
    Ok(rows
        .iter()
        .map(|row| api::Device {
            id: row.get(0),
            name: row.get(1),
            enrolled_at: row.get(2),
            last_seen_at: row.get(3),
            revoked_at: row.get(4),
            changes_received: row.get::<_, i64>(5).max(0) as u64,
        })
        .collect())
}

/// Revokes a laptop of the agency (lost or stolen): its next contact is answered `device_revoked` and it wipes its
/// personal data. Idempotent; [`ApiError::NotFound`] for an id that is not one of the agency's laptops.
pub async fn revoke_device(pool: &Pool, agency_id: Uuid, id: Uuid) -> ApiResult<()> {
    let client = pool.get().await?;
    let updated = client
        .execute(
            "UPDATE devices SET revoked_at = coalesce(revoked_at, now())
              WHERE id = $1 AND agency_id = $2 AND NOT on_server",
            &[&id, &agency_id],
        )
        .await?;
    if updated == 0 {
        return Err(ApiError::NotFound);
    }
    Ok(())
}

/// A one-time enrollment token for a laptop of the agency, valid for `valid_hours`. Only its hash is stored: the
/// returned text is shown once.
pub async fn create_enrollment_token(pool: &Pool, agency_id: Uuid, valid_hours: u32) -> ApiResult<String> {
    let token = auth::new_secret()?;
    let client = pool.get().await?;
    client
        .execute(
            "INSERT INTO enrollment_tokens (token_hash, agency_id, expires_at)
             VALUES ($1, $2, now() + make_interval(hours => $3))",
            &[&auth::secret_hash(&token), &agency_id, &(valid_hours as i32)],
        )
        .await?;
    Ok(token)
}

fn refuse(errors: Vec<validate::FieldError>) -> ApiResult<()> {
    if errors.is_empty() {
        return Ok(());
    }
    let problems: Vec<String> = errors.iter().map(|e| format!("{}: {:?}", e.field, e.problem)).collect();
    Err(ApiError::Invalid(problems.join("; ")))
}
