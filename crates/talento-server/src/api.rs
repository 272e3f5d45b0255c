//! REST API v1 (`/api/v1`, bodies in `talento_protocol::api`): login with e-mail and password, accounts, the
//! talents as the laptops synced them (read from the materialised `records`), reference lists and statistics.
//! Every endpoint but login checks the caller's role with `talento_domain::Role::allows`.

use std::time::Duration;

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Extension, Path, Query, State};
use axum::http::StatusCode;
use serde_json::Value;
use talento_domain::Action;
use talento_protocol::api::{
    City, CityFilter, Country, DEFAULT_PER_PAGE, LoginRequest, LoginResponse, MAX_PER_PAGE, NewUser, Page, PageQuery,
    Stats, Talent, TalentFilter,
};
use uuid::Uuid;

use crate::AppState;
use crate::admin;
use crate::auth::{self, SessionToken, User};
use crate::error::{ApiError, ApiResult};

/// Failed logins before an account locks; each further failure doubles the wait, up to an hour.
const LOGIN_ATTEMPTS: i32 = 5;
const FIRST_LOCK_SECS: i64 = 30;
const MAX_LOCK_SECS: i64 = 3600;

/// An argon2id hash of a random secret nobody knows: unknown e-mails cost the same time as wrong passwords.
fn decoy_hash() -> String {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| auth::new_secret().and_then(|s| auth::hash_password(&s)).unwrap_or_default()).clone()
}

/// `POST /api/v1/auth/login`.
pub async fn login(
    State(state): State<AppState>,
    body: Result<Json<LoginRequest>, JsonRejection>,
) -> ApiResult<Json<LoginResponse>> {
    let Json(request) = body?;
    let email = request.email.trim().to_lowercase();
    let client = state.pool.get().await?;
    let row = client
        .query_opt(
            "SELECT id, password_hash, failed_logins,
                    ceil(extract(epoch FROM locked_until - now()))::bigint
             FROM users WHERE lower(email) = $1 AND active",
            &[&email],
        )
        .await?;
    let stored: Option<String> = row.as_ref().map(|r| r.get(1));
    if let Some(locked_for) = row.as_ref().and_then(|r| r.get::<_, Option<i64>>(3)).filter(|s| *s > 0) {
        return Err(ApiError::AccountLocked { retry_after_secs: locked_for as u64 });
    }
    let password = request.password;
    let matches =
        tokio::task::spawn_blocking(move || auth::verify_password(&password, &stored.unwrap_or_else(decoy_hash)))
            .await
            .map_err(|e| ApiError::Internal(format!("hashing task: {e}")))?;
    let Some(row) = row else { return Err(ApiError::Unauthorized) };
    let user_id: Uuid = row.get(0);
    if !matches {
        let failures: i32 = row.get::<_, i32>(2) + 1;
        let lock_secs = (failures >= LOGIN_ATTEMPTS).then(|| {
            let doublings = (failures - LOGIN_ATTEMPTS).min(10) as u32;
            (FIRST_LOCK_SECS << doublings).min(MAX_LOCK_SECS)
        });
        client
            .execute(
                "UPDATE users SET failed_logins = $2,
                   locked_until = CASE WHEN $3::bigint IS NULL THEN NULL ELSE now() + make_interval(secs => $3) END
                 WHERE id = $1",
                &[&user_id, &failures, &lock_secs],
            )
            .await?;
        tracing::info!(user = %user_id, failures, "failed login");
        return Err(ApiError::Unauthorized);
    }
    let token = auth::new_secret()?;
    let hours = i32::try_from(state.limits.session_hours).unwrap_or(i32::MAX);
    let expires_at: String = client
        .query_one(
            "WITH s AS (INSERT INTO user_sessions (token_hash, user_id, expires_at)
                        VALUES ($1, $2, now() + make_interval(hours => $3)) RETURNING expires_at),
                  u AS (UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = now() WHERE id = $2)
             SELECT to_json(expires_at) #>> '{}' FROM s",
            &[&auth::secret_hash(&token), &user_id, &hours],
        )
        .await?
        .get(0);
    let user = client
        .query_one(
            "SELECT id, agency_id, name, email, role, active, to_json(created_at) #>> '{}' FROM users WHERE id = $1",
            &[&user_id],
        )
        .await?;
    Ok(Json(LoginResponse { token, expires_at, user: admin::user_from_row(&user) }))
}

/// `POST /api/v1/auth/logout`: ends this login.
pub async fn logout(
    State(state): State<AppState>,
    _user: User,
    Extension(SessionToken(hash)): Extension<SessionToken>,
) -> ApiResult<StatusCode> {
    let client = state.pool.get().await?;
    client.execute("DELETE FROM user_sessions WHERE token_hash = $1", &[&hash]).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The page bounds asked for, checked: `(page, per_page, offset)`.
fn paging(query: PageQuery) -> ApiResult<(u32, u32, i64)> {
    let page = query.page.unwrap_or(1);
    let per_page = query.per_page.unwrap_or(DEFAULT_PER_PAGE);
    if page == 0 || per_page == 0 || per_page > MAX_PER_PAGE {
        return Err(ApiError::Invalid(format!("page starts at 1; per_page is 1 to {MAX_PER_PAGE}")));
    }
    Ok((page, per_page, i64::from(page - 1) * i64::from(per_page)))
}

/// `GET /api/v1/users`.
pub async fn list_users(
    State(state): State<AppState>,
    user: User,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> ApiResult<Json<Page<talento_protocol::api::User>>> {
    user.require(Action::UsersView)?;
    let (page, per_page, offset) = paging(query?.0)?;
    let client = state.pool.get().await?;
    let total: i64 =
        client.query_one("SELECT count(*) FROM users WHERE agency_id = $1", &[&user.agency_id]).await?.get(0);
    let rows = client
        .query(
            "SELECT id, agency_id, name, email, role, active, to_json(created_at) #>> '{}' FROM users
             WHERE agency_id = $1 ORDER BY created_at, id LIMIT $2 OFFSET $3",
            &[&user.agency_id, &i64::from(per_page), &offset],
        )
        .await?;
    let items = rows.iter().map(admin::user_from_row).collect();
    Ok(Json(Page { items, page, per_page, total: total as u64 }))
}

/// `GET /api/v1/devices`: the agency's laptops, for administrators (who revoke a lost one with
/// `POST /sync/v1/devices/{id}/revoke`).
pub async fn list_devices(
    State(state): State<AppState>,
    user: User,
) -> ApiResult<Json<Vec<talento_protocol::api::Device>>> {
    user.require(Action::UsersManage)?;
    Ok(Json(admin::list_devices(&state.pool, user.agency_id).await?))
}

/// `POST /api/v1/users`.
pub async fn create_user(
    State(state): State<AppState>,
    user: User,
    body: Result<Json<NewUser>, JsonRejection>,
) -> ApiResult<(StatusCode, Json<talento_protocol::api::User>)> {
    user.require(Action::UsersManage)?;
    let Json(new) = body?;
    let created = admin::create_user(&state.pool, user.agency_id, &new).await?;
    tracing::info!(user = %created.id, by = %user.id, "user created");
    Ok((StatusCode::CREATED, Json(created)))
}

/// `GET /api/v1/users/{id}`: any account of the agency for those who may see users; one's own for everyone.
pub async fn get_user(
    State(state): State<AppState>,
    user: User,
    Path(id): Path<String>,
) -> ApiResult<Json<talento_protocol::api::User>> {
    let id = Uuid::parse_str(&id).map_err(|_| ApiError::NotFound)?;
    if id != user.id {
        user.require(Action::UsersView)?;
    }
    let client = state.pool.get().await?;
    let row = client
        .query_opt(
            "SELECT id, agency_id, name, email, role, active, to_json(created_at) #>> '{}' FROM users
             WHERE id = $1 AND agency_id = $2",
            &[&id, &user.agency_id],
        )
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(Json(admin::user_from_row(&row)))
}

/// A talent as the caller may see it.
fn talent(user: &User, id: String, fields: Value) -> Talent {
    let mut fields = match fields {
        Value::Object(map) => map,
        _ => serde_json::Map::new(),
    };
    if !user.role.allows(Action::PersonalDataView) {
        for name in talento_domain::talent::PERSONAL_FIELDS {
            fields.remove(name);
        }
    }
    fields.remove("id");
    Talent { id, fields }
}

/// `GET /api/v1/talents?q=&kind=&country=&city=&gender=&page=&per_page=`: active profiles, not erased ones.
pub async fn list_talents(
    State(state): State<AppState>,
    user: User,
    filter: Result<Query<TalentFilter>, QueryRejection>,
    page: Result<Query<PageQuery>, QueryRejection>,
) -> ApiResult<Json<Page<Talent>>> {
    user.require(Action::TalentsView)?;
    let Query(filter) = filter?;
    let (page, per_page, offset) = paging(page?.0)?;
    let pattern = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()).map(|q| {
        let escaped = q.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        format!("%{escaped}%")
    });
    let upper = |v: &Option<String>| v.as_deref().map(|s| s.trim().to_uppercase()).filter(|s| !s.is_empty());
    let kind = filter.kind.as_deref().map(|s| s.trim().to_lowercase()).filter(|s| !s.is_empty());
    let (country, city, gender) = (upper(&filter.country), upper(&filter.city), upper(&filter.gender));
    let filters = "FROM records WHERE agency_id = $1 AND table_name = 'talents' AND NOT deleted
         AND ($2::text IS NULL OR fields ->> 'code' ILIKE $2 OR fields ->> 'first_name' ILIKE $2
              OR fields ->> 'last_name' ILIKE $2
              OR concat_ws(' ', fields ->> 'first_name', fields ->> 'last_name') ILIKE $2)
         AND ($3::text IS NULL OR fields ->> 'kind' = $3)
         AND ($4::text IS NULL OR fields ->> 'residence_country' = $4)
         AND ($5::text IS NULL OR fields ->> 'residence_city' = $5)
         AND ($6::text IS NULL OR fields ->> 'gender' = $6)";
    let client = state.pool.get().await?;
    let params: [&(dyn tokio_postgres::types::ToSql + Sync); 6] =
        [&user.agency_id, &pattern, &kind, &country, &city, &gender];
    let total: i64 = client.query_one(&format!("SELECT count(*) {filters}"), &params).await?.get(0);
    let rows = client
        .query(
            &format!("SELECT row_id, fields {filters} ORDER BY fields ->> 'code', row_id LIMIT $7 OFFSET $8"),
            &[&user.agency_id, &pattern, &kind, &country, &city, &gender, &i64::from(per_page), &offset],
        )
        .await?;
    let items = rows.into_iter().map(|r| talent(&user, r.get(0), r.get(1))).collect();
    Ok(Json(Page { items, page, per_page, total: total as u64 }))
}

/// `GET /api/v1/talents/{code}`.
pub async fn get_talent(
    State(state): State<AppState>,
    user: User,
    Path(code): Path<String>,
) -> ApiResult<Json<Talent>> {
    user.require(Action::TalentsView)?;
    let client = state.pool.get().await?;
    let row = client
        .query_opt(
            "SELECT row_id, fields FROM records
             WHERE agency_id = $1 AND table_name = 'talents' AND fields ->> 'code' = $2 AND NOT deleted",
            &[&user.agency_id, &code.trim().to_uppercase()],
        )
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(Json(talent(&user, row.get(0), row.get(1))))
}

/// `GET /api/v1/countries`.
pub async fn countries(
    State(state): State<AppState>,
    user: User,
    page: Result<Query<PageQuery>, QueryRejection>,
) -> ApiResult<Json<Page<Country>>> {
    user.require(Action::ReferenceView)?;
    let (page, per_page, offset) = paging(page?.0)?;
    let client = state.pool.get().await?;
    let total: i64 = client.query_one("SELECT count(*) FROM ref_countries", &[]).await?.get(0);
    let rows = client
        .query(
            "SELECT iso2, name_fr, name_en, nationality_fr, nationality_en FROM ref_countries
             ORDER BY position LIMIT $1 OFFSET $2",
            &[&i64::from(per_page), &offset],
        )
        .await?;
    let items = rows
        .iter()
        .map(|r| Country {
            iso2: r.get(0),
            name_fr: r.get(1),
            name_en: r.get(2),
            nationality_fr: r.get(3),
            nationality_en: r.get(4),
        })
        .collect();
    Ok(Json(Page { items, page, per_page, total: total as u64 }))
}

/// `GET /api/v1/cities?country=`.
pub async fn cities(
    State(state): State<AppState>,
    user: User,
    filter: Result<Query<CityFilter>, QueryRejection>,
    page: Result<Query<PageQuery>, QueryRejection>,
) -> ApiResult<Json<Page<City>>> {
    user.require(Action::ReferenceView)?;
    let country = filter?.0.country.map(|c| c.trim().to_uppercase()).filter(|c| !c.is_empty());
    let (page, per_page, offset) = paging(page?.0)?;
    let client = state.pool.get().await?;
    let total: i64 = client
        .query_one("SELECT count(*) FROM ref_cities WHERE $1::text IS NULL OR country_iso2 = $1", &[&country])
        .await?
        .get(0);
    let rows = client
        .query(
            "SELECT country_iso2, code, name_fr, name_en FROM ref_cities
             WHERE $1::text IS NULL OR country_iso2 = $1 ORDER BY position LIMIT $2 OFFSET $3",
            &[&country, &i64::from(per_page), &offset],
        )
        .await?;
    let items =
        rows.iter().map(|r| City { country_iso2: r.get(0), code: r.get(1), name_fr: r.get(2), name_en: r.get(3) });
    Ok(Json(Page { items: items.collect(), page, per_page, total: total as u64 }))
}

/// `GET /api/v1/stats`.
pub async fn stats(State(state): State<AppState>, user: User) -> ApiResult<Json<Stats>> {
    user.require(Action::TalentsView)?;
    let client = state.pool.get().await?;
    let row = client
        .query_one(
            "SELECT
               (SELECT count(*) FROM records WHERE agency_id = $1 AND table_name = 'talents' AND NOT deleted),
               (SELECT count(*) FROM records WHERE agency_id = $1 AND table_name = 'talents' AND NOT deleted
                  AND fields ->> 'kind' = 'general'),
               (SELECT count(*) FROM records WHERE agency_id = $1 AND table_name = 'talents' AND NOT deleted
                  AND fields ->> 'kind' = 'cinema'),
               (SELECT count(*) FROM records WHERE agency_id = $1 AND table_name = 'talents' AND deleted),
               (SELECT count(*) FROM records WHERE agency_id = $1 AND table_name = 'scan_events'),
               (SELECT count(*) FROM users WHERE agency_id = $1),
               (SELECT count(*) FROM devices WHERE agency_id = $1 AND NOT on_server),
               (SELECT count(*) FROM devices WHERE agency_id = $1 AND NOT on_server AND revoked_at IS NOT NULL),
               (SELECT count(*) FROM changes WHERE agency_id = $1),
               (SELECT count(*) FROM set_aside WHERE agency_id = $1)",
            &[&user.agency_id],
        )
        .await?;
    let n = |i: usize| row.get::<_, i64>(i) as u64;
    Ok(Json(Stats {
        talents: n(0),
        talents_general: n(1),
        talents_cinema: n(2),
        talents_erased: n(3),
        scan_events: n(4),
        users: n(5),
        devices: n(6),
        devices_revoked: n(7),
        changes: n(8),
        set_aside: n(9),
    }))
}

/// `GET /health`: the process is up and its database answers.
pub async fn health(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let check = async {
        let client = state.pool.get().await.map_err(|e| e.to_string())?;
        client.query_one("SELECT 1", &[]).await.map_err(|e| e.to_string())
    };
    match tokio::time::timeout(Duration::from_secs(5), check).await {
        Ok(Ok(_)) => (StatusCode::OK, Json(serde_json::json!({ "status": "ok", "database": "ok" }))),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "health check: database unavailable");
            (StatusCode::SERVICE_UNAVAILABLE, Json(serde_json::json!({ "status": "unavailable", "database": "down" })))
        }
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(serde_json::json!({ "status": "unavailable", "database": "timeout" })),
        ),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use talento_domain::Role;

    use super::*;

    #[test]
    fn personal_fields_are_shown_only_to_roles_allowed_to_see_them() {
        let fields = json!({"code": "SNF0001DAK", "first_name": "Awa", "email": "awa@x.sn", "passport_number": "A1",
                            "id_photo": "hash", "id": "t1"});
        let as_role =
            |role| talent(&User { id: Uuid::nil(), agency_id: Uuid::nil(), role }, "t1".into(), fields.clone());
        let recruiter = as_role(Role::Recruiter);
        assert_eq!(recruiter.fields.get("email"), Some(&json!("awa@x.sn")), "recruiters may contact talents");
        // No role sees profiles without personal data today; the rule must still hold if one is added.
        let presence = as_role(Role::Presence);
        for name in talento_domain::talent::PERSONAL_FIELDS {
            assert!(!presence.fields.contains_key(name), "{name} must be hidden from a role without PersonalDataView");
        }
        assert_eq!(presence.fields.get("first_name"), Some(&json!("Awa")), "the rest of the profile stays");
        assert!(!presence.fields.contains_key("id"), "the id is given once, outside the fields");
    }
}
