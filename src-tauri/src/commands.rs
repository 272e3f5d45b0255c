//! The IPC commands: each takes the state and its arguments, calls one `talento-core` function and maps the error.
//! No SQL and no rule here — roles, validation and logging of security events all happen in the core.
//! Commands are `async` so password hashing runs off the UI thread. Arguments are never logged (`skip_all`).

use talento_core::AppError;
use talento_core::dto::{
    ActivityDto, AppStatus, FirstRunInput, NewUserInput, ReferenceCount, SecurityEventDto,
    SessionDto, UserDto,
};
use talento_domain::Locale;
use tauri::State;
use tracing::instrument;

use crate::state::AppState;

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn app_status(state: State<'_, AppState>) -> Result<AppStatus, AppError> {
    state.with(|t| Ok(t.status()))
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn set_locale(state: State<'_, AppState>, locale: Locale) -> Result<(), AppError> {
    state.with(|t| t.set_locale(locale))
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn first_run(
    state: State<'_, AppState>,
    input: FirstRunInput,
) -> Result<SessionDto, AppError> {
    state.with(|t| t.first_run(input))
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn login(
    state: State<'_, AppState>,
    identifier: String,
    password: String,
) -> Result<SessionDto, AppError> {
    state.with(|t| t.login(&identifier, &password))
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn logout(state: State<'_, AppState>) -> Result<(), AppError> {
    state.with(|t| t.logout())
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn session_status(state: State<'_, AppState>) -> Result<Option<SessionDto>, AppError> {
    state.with(|t| Ok(t.session_status()))
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn touch_session(state: State<'_, AppState>) -> Result<(), AppError> {
    state.with(|t| t.touch_session())
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn change_password(
    state: State<'_, AppState>,
    current: String,
    new_password: String,
) -> Result<(), AppError> {
    state.with(|t| t.change_password(&current, &new_password))
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn list_users(state: State<'_, AppState>) -> Result<Vec<UserDto>, AppError> {
    state.with(|t| t.list_users())
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn create_user(
    state: State<'_, AppState>,
    input: NewUserInput,
) -> Result<UserDto, AppError> {
    state.with(|t| t.create_user(input))
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn set_user_active(
    state: State<'_, AppState>,
    user_id: String,
    active: bool,
    new_password: Option<String>,
) -> Result<UserDto, AppError> {
    state.with(|t| t.set_user_active(&user_id, active, new_password.as_deref()))
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn reset_password(
    state: State<'_, AppState>,
    user_id: String,
    new_password: String,
) -> Result<UserDto, AppError> {
    state.with(|t| t.reset_password(&user_id, &new_password))
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn unlock_user(state: State<'_, AppState>, user_id: String) -> Result<UserDto, AppError> {
    state.with(|t| t.unlock_user(&user_id))
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn list_security_log(
    state: State<'_, AppState>,
    limit: u32,
) -> Result<Vec<SecurityEventDto>, AppError> {
    state.with(|t| t.list_security_log(limit))
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn list_activity_log(
    state: State<'_, AppState>,
    limit: u32,
) -> Result<Vec<ActivityDto>, AppError> {
    state.with(|t| t.list_activity_log(limit))
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn reference_summary(
    state: State<'_, AppState>,
) -> Result<Vec<ReferenceCount>, AppError> {
    state.with(|t| t.reference_summary())
}
