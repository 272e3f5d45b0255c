//! The IPC commands: each takes the state and its arguments, calls one `talento-core` function and maps the error.
//! No SQL and no rule here — roles, validation and logging of security events all happen in the core.
//! Commands are `async` so password hashing runs off the UI thread. Arguments are never logged (`skip_all`).

use talento_core::AppError;
use talento_core::dto::{
    ActivityDto, AppStatus, FirstRunInput, NewUserInput, ReferenceCount, SecurityEventDto, SessionDto, UserDto,
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
pub async fn first_run(state: State<'_, AppState>, input: FirstRunInput) -> Result<SessionDto, AppError> {
    state.with(|t| t.first_run(input))
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn login(state: State<'_, AppState>, identifier: String, password: String) -> Result<SessionDto, AppError> {
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
pub async fn create_user(state: State<'_, AppState>, input: NewUserInput) -> Result<UserDto, AppError> {
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
pub async fn list_security_log(state: State<'_, AppState>, limit: u32) -> Result<Vec<SecurityEventDto>, AppError> {
    state.with(|t| t.list_security_log(limit))
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn list_activity_log(state: State<'_, AppState>, limit: u32) -> Result<Vec<ActivityDto>, AppError> {
    state.with(|t| t.list_activity_log(limit))
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn reference_summary(state: State<'_, AppState>) -> Result<Vec<ReferenceCount>, AppError> {
    state.with(|t| t.reference_summary())
}

// ---- Reference data and the talent registry ----

use talento_core::reference::ReferenceLists;
use talento_core::talents::Consent;
use talento_core::talents::dto::{SaveOutcome, TalentDto, TalentInput, TalentPage, TalentQuery};
use talento_core::talents::files::{CropInput, FileData, PhotoUse, StagedFile};
use talento_domain::talent::TalentKind;

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn reference_lists(state: State<'_, AppState>) -> Result<ReferenceLists, AppError> {
    state.with(|t| t.reference_lists())
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn consent_text(state: State<'_, AppState>) -> Result<Consent, AppError> {
    state.with(|t| Ok(t.consent()))
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn register_talent(state: State<'_, AppState>, input: TalentInput) -> Result<SaveOutcome, AppError> {
    state.with(|t| t.register_talent(input))
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn update_talent(
    state: State<'_, AppState>,
    id: String,
    input: TalentInput,
) -> Result<SaveOutcome, AppError> {
    state.with(|t| t.update_talent(&id, input))
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn get_talent(state: State<'_, AppState>, id_or_code: String) -> Result<TalentDto, AppError> {
    state.with(|t| t.get_talent(&id_or_code))
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn search_talents(state: State<'_, AppState>, query: TalentQuery) -> Result<TalentPage, AppError> {
    state.with(|t| t.search_talents(&query))
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn set_talent_active(state: State<'_, AppState>, id: String, active: bool) -> Result<TalentDto, AppError> {
    state.with(|t| t.set_talent_active(&id, active))
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn erase_talent(state: State<'_, AppState>, id: String) -> Result<(), AppError> {
    state.with(|t| t.erase_talent(&id))
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn talent_history(state: State<'_, AppState>, id: String) -> Result<Vec<ActivityDto>, AppError> {
    state.with(|t| t.talent_history(&id))
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn save_draft(state: State<'_, AppState>, kind: TalentKind, body: String) -> Result<(), AppError> {
    state.with(|t| t.save_draft(kind, &body))
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn load_draft(state: State<'_, AppState>, kind: TalentKind) -> Result<Option<String>, AppError> {
    state.with(|t| t.load_draft(kind))
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn discard_draft(state: State<'_, AppState>, kind: TalentKind) -> Result<(), AppError> {
    state.with(|t| t.discard_draft(kind))
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn stage_photo(
    state: State<'_, AppState>,
    data_base64: String,
    crop: Option<CropInput>,
    usage: PhotoUse,
) -> Result<StagedFile, AppError> {
    state.with(|t| t.stage_photo(&data_base64, crop, usage))
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn stage_cv(state: State<'_, AppState>, data_base64: String) -> Result<StagedFile, AppError> {
    state.with(|t| t.stage_cv(&data_base64))
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn read_cv(state: State<'_, AppState>, hash: String) -> Result<FileData, AppError> {
    state.with(|t| t.read_cv(&hash))
}

/// `destination` comes from the system save dialog the user just answered.
#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn export_cv(state: State<'_, AppState>, hash: String, destination: String) -> Result<(), AppError> {
    state.with(|t| t.export_cv(&hash, std::path::Path::new(&destination)))
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn talent_qr_svg(state: State<'_, AppState>, id_or_code: String) -> Result<String, AppError> {
    state.with(|t| t.talent_qr_svg(&id_or_code))
}
