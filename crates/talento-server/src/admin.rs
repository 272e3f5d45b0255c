//! What an administrator does on the server itself — create an agency, its accounts, enrollment tokens — shared by
//! the `talento-server` subcommands, `POST /api/v1/users` and the tests.

use deadpool_postgres::Pool;
use talento_domain::{Role, validate};
use talento_protocol::api;
use uuid::Uuid;

use crate::auth;
use crate::error::{ApiError, ApiResult};

/// Creates an agency; its name is unique (case-insensitive).
pub async fn create_agency(pool: &Pool, name: &str) -> ApiResult<Uuid> {
    let mut errors = Vec::new();
    let name = validate::name("name", name, &mut errors);
    refuse(errors)?;
    let id = Uuid::now_v7();
    let client = pool.get().await?;
    client.execute("INSERT INTO agencies (id, name) VALUES ($1, $2)", &[&id, &name]).await?;
    Ok(id)
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

/// Creates a server account after validating it like the desktop does (name, e-mail, role, password policy).
pub async fn create_user(pool: &Pool, agency_id: Uuid, new: &api::NewUser) -> ApiResult<api::User> {
    let mut errors = Vec::new();
    let name = validate::name("name", &new.name, &mut errors);
    let email = validate::email("email", &new.email, &mut errors);
    if Role::parse(&new.role).is_none() {
        errors.push(validate::FieldError::new("role", validate::FieldProblem::UnknownRole));
    }
    validate::password("password", &new.password, &[&name, &email], &mut errors);
    refuse(errors)?;
    let password = new.password.clone();
    let hash = tokio::task::spawn_blocking(move || auth::hash_password(&password))
        .await
        .map_err(|e| ApiError::Internal(format!("hashing task: {e}")))??;
    let client = pool.get().await?;
    let row = client
        .query_one(
            "INSERT INTO users (id, agency_id, name, email, role, password_hash) VALUES ($1, $2, $3, $4, $5, $6)
             RETURNING id, agency_id, name, email, role, active, to_json(created_at) #>> '{}'",
            &[&Uuid::now_v7(), &agency_id, &name, &email, &new.role, &hash],
        )
        .await
        .map_err(|e| match e.code() {
            Some(&tokio_postgres::error::SqlState::UNIQUE_VIOLATION) => {
                ApiError::Conflict(format!("An account with the e-mail {email} exists already."))
            }
            _ => ApiError::Db(e),
        })?;
    Ok(user_from_row(&row))
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
