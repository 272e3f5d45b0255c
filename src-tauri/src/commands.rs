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

/// Runs long work (PDF layout, the server's answers) on a blocking thread, so no async worker waits on it; a task
/// that dies is an internal error in the person's language.
async fn on_blocking_thread<T: Send + 'static>(
    locale: Locale,
    what: &'static str,
    work: impl FnOnce() -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|e| talento_core::CoreError::Internal(format!("{what}: {e}")).to_app_error(locale))?
}

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

// ---- Productions, projects, casting and badges ----

use talento_core::casting::dto::{
    AssignInput, AssignOutcome, AssignmentDto, BadgeFile, BadgePaper, ProductionDto, ProductionInput, ProjectDto,
    ProjectFilter, ProjectInput, ShootDayDto, ShootDayInput, SigningKeyDto, TalentProjectDto,
};
use tauri_specta::Event;

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn list_productions(
    state: State<'_, AppState>,
    include_inactive: bool,
) -> Result<Vec<ProductionDto>, AppError> {
    state.with(|t| t.list_productions(include_inactive))
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn get_production(state: State<'_, AppState>, id: String) -> Result<ProductionDto, AppError> {
    state.with(|t| t.get_production(&id))
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn create_production(state: State<'_, AppState>, input: ProductionInput) -> Result<ProductionDto, AppError> {
    state.with(|t| t.create_production(input))
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn update_production(
    state: State<'_, AppState>,
    id: String,
    input: ProductionInput,
) -> Result<ProductionDto, AppError> {
    state.with(|t| t.update_production(&id, input))
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn set_production_active(
    state: State<'_, AppState>,
    id: String,
    active: bool,
) -> Result<ProductionDto, AppError> {
    state.with(|t| t.set_production_active(&id, active))
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn stage_logo(state: State<'_, AppState>, data_base64: String) -> Result<StagedFile, AppError> {
    state.with(|t| t.stage_logo(&data_base64))
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn set_agency_logo(state: State<'_, AppState>, data_base64: Option<String>) -> Result<(), AppError> {
    state.with(|t| t.set_agency_logo(data_base64.as_deref()))
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn list_projects(state: State<'_, AppState>, filter: ProjectFilter) -> Result<Vec<ProjectDto>, AppError> {
    state.with(|t| t.list_projects(&filter))
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn get_project(state: State<'_, AppState>, id_or_code: String) -> Result<ProjectDto, AppError> {
    state.with(|t| t.get_project(&id_or_code))
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn create_project(state: State<'_, AppState>, input: ProjectInput) -> Result<ProjectDto, AppError> {
    state.with(|t| t.create_project(input))
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn update_project(
    state: State<'_, AppState>,
    id: String,
    input: ProjectInput,
) -> Result<ProjectDto, AppError> {
    state.with(|t| t.update_project(&id, input))
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn set_project_archived(
    state: State<'_, AppState>,
    id: String,
    archived: bool,
) -> Result<ProjectDto, AppError> {
    state.with(|t| t.set_project_archived(&id, archived))
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn list_shoot_days(state: State<'_, AppState>, project: String) -> Result<Vec<ShootDayDto>, AppError> {
    state.with(|t| t.list_shoot_days(&project))
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn set_shoot_day(
    state: State<'_, AppState>,
    project: String,
    input: ShootDayInput,
) -> Result<ShootDayDto, AppError> {
    state.with(|t| t.set_shoot_day(&project, input))
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn remove_shoot_day(state: State<'_, AppState>, project: String, day: String) -> Result<(), AppError> {
    state.with(|t| t.remove_shoot_day(&project, &day))
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn assign_talents(
    state: State<'_, AppState>,
    project: String,
    input: AssignInput,
) -> Result<AssignOutcome, AppError> {
    state.with(|t| t.assign_talents(&project, input))
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn update_assignment(
    state: State<'_, AppState>,
    id: String,
    talent_type: String,
    role: Option<String>,
) -> Result<AssignmentDto, AppError> {
    state.with(|t| t.update_assignment(&id, &talent_type, role))
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn unassign_talent(state: State<'_, AppState>, id: String) -> Result<AssignmentDto, AppError> {
    state.with(|t| t.unassign_talent(&id))
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn project_roster(
    state: State<'_, AppState>,
    project: String,
    include_removed: bool,
) -> Result<Vec<AssignmentDto>, AppError> {
    state.with(|t| t.project_roster(&project, include_removed))
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn talent_projects(state: State<'_, AppState>, talent: String) -> Result<Vec<TalentProjectDto>, AppError> {
    state.with(|t| t.talent_projects(&talent))
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn list_signing_keys(state: State<'_, AppState>) -> Result<Vec<SigningKeyDto>, AppError> {
    state.with(|t| t.list_signing_keys())
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn rotate_signing_key(state: State<'_, AppState>) -> Result<SigningKeyDto, AppError> {
    state.with(|t| t.rotate_signing_key())
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn revoke_signing_key(state: State<'_, AppState>, key_id: u16) -> Result<Vec<SigningKeyDto>, AppError> {
    state.with(|t| t.revoke_signing_key(key_id))
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn agency_logo(state: State<'_, AppState>) -> Result<Option<String>, AppError> {
    state.with(|t| t.agency_logo())
}

/// Progress of a badge PDF being laid out.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, specta::Type, tauri_specta::Event)]
pub struct BadgeProgress {
    pub done: u32,
    pub total: u32,
}

/// Issues the badges (under the engine's lock: quick), then lays out the PDF outside it so the rest of the app stays
/// usable, reporting progress; `cancel_badges` stops it. The PDF lands in the data folder's `exports/`.
#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn generate_badges(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    project: String,
    assignment_ids: Option<Vec<String>>,
    paper: BadgePaper,
    reissue: bool,
) -> Result<BadgeFile, AppError> {
    use tauri::Manager;
    state.badge_cancel.store(false, std::sync::atomic::Ordering::SeqCst);
    let locale = state.locale();
    let (badges, out) = state.with(|t| {
        let badges = t.prepare_badges(&project, assignment_ids.as_deref(), reissue)?;
        Ok((badges, t.badge_output_path(&project, paper)?))
    })?;
    let handle = app.clone();
    on_blocking_thread(locale, "badge layout", move || {
        let cancel = &handle.state::<AppState>().badge_cancel;
        talento_core::casting::badges::render_to_file(&badges, paper, &out, &mut |done, total| {
            let _ = BadgeProgress { done: done as u32, total: total as u32 }.emit(&handle);
            !cancel.load(std::sync::atomic::Ordering::SeqCst)
        })
        .map_err(|e| e.to_app_error(locale))
    })
    .await
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all)]
pub async fn cancel_badges(state: State<'_, AppState>) -> Result<(), AppError> {
    state.badge_cancel.store(true, std::sync::atomic::Ordering::SeqCst);
    Ok(())
}

/// Opens a file this app wrote to `exports/` in the system's viewer (to print a badge PDF).
#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn open_export(app: tauri::AppHandle, state: State<'_, AppState>, path: String) -> Result<(), AppError> {
    use tauri_plugin_opener::OpenerExt;
    let file = state.with(|t| t.export_path(&path))?;
    app.opener()
        .open_path(file.display().to_string(), None::<&str>)
        .map_err(|e| talento_core::CoreError::Internal(format!("open: {e}")).to_app_error(state.locale()))
}

/// `destination` comes from the system save dialog the user just answered.
#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn save_export_as(state: State<'_, AppState>, path: String, destination: String) -> Result<(), AppError> {
    state.with(|t| t.save_export_as(&path, std::path::Path::new(&destination)))
}

// ---- Presence: scans at the gate, the day's attendance ----

use talento_core::presence::dto::{
    AttendanceFile, AttendanceRow, BulkCheckInput, BulkOutcome, DayAttendance, ScanEventDto, ScanMethod, ScanOutcome,
};

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn scan_badge(
    state: State<'_, AppState>,
    project: String,
    token: String,
    method: ScanMethod,
) -> Result<ScanOutcome, AppError> {
    state.with(|t| t.scan_badge(&project, &token, method))
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn admit_off_roster(
    state: State<'_, AppState>,
    project: String,
    badge: String,
    reason: String,
) -> Result<ScanOutcome, AppError> {
    state.with(|t| t.admit_off_roster(&project, &badge, &reason))
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn manual_check(
    state: State<'_, AppState>,
    project: String,
    talent: String,
) -> Result<ScanOutcome, AppError> {
    state.with(|t| t.manual_check(&project, &talent))
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn bulk_check(
    state: State<'_, AppState>,
    project: String,
    input: BulkCheckInput,
) -> Result<BulkOutcome, AppError> {
    state.with(|t| t.bulk_check(&project, input))
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn correct_scan(
    state: State<'_, AppState>,
    event_id: String,
    new_time: Option<String>,
    reason: String,
) -> Result<ScanEventDto, AppError> {
    state.with(|t| t.correct_scan(&event_id, new_time.as_deref(), &reason))
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn day_attendance(
    state: State<'_, AppState>,
    project: String,
    day: String,
) -> Result<DayAttendance, AppError> {
    state.with(|t| t.day_attendance(&project, &day))
}

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn talent_attendance(state: State<'_, AppState>, talent: String) -> Result<Vec<AttendanceRow>, AppError> {
    state.with(|t| t.talent_attendance(&talent))
}

/// The project's attendance from `from` to `to` as an Excel workbook in `exports/`.
#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn export_attendance(
    state: State<'_, AppState>,
    project: String,
    from: String,
    to: String,
) -> Result<AttendanceFile, AppError> {
    state.with(|t| t.export_attendance(&project, &from, &to))
}

/// The day's printable sign-in sheet as a PDF in `exports/`; returns its path.
#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn signin_sheet(state: State<'_, AppState>, project: String, day: String) -> Result<String, AppError> {
    state.with(|t| Ok(t.write_signin_sheet(&project, &day)?.display().to_string()))
}

// ---- Sync with the agency's server ----

use talento_core::sync::{SyncReport, SyncStatus};

#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn sync_status(state: State<'_, AppState>) -> Result<SyncStatus, AppError> {
    state.with(|t| t.sync_status())
}

/// The server is asked outside the engine's lock (on a blocking thread): the app stays usable meanwhile.
#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn enroll_device(
    state: State<'_, AppState>,
    server_url: String,
    token: String,
    device_name: String,
) -> Result<SyncStatus, AppError> {
    let locale = state.locale();
    let enrollment = state.with(|t| t.enroll_request(&server_url, &token, &device_name))?;
    let enrolled =
        on_blocking_thread(locale, "enroll task", move || enrollment.send().map_err(|e| e.to_app_error(locale)))
            .await?;
    state.with(|t| t.enroll_finish(enrolled))
}

/// Runs on a blocking thread, taking the engine's lock for each store step only: while the server answers (up to
/// two minutes a request), scans and searches go on.
#[tauri::command]
#[specta::specta]
#[instrument(skip_all, err(Debug))]
pub async fn sync_now(app: tauri::AppHandle) -> Result<SyncReport, AppError> {
    use tauri::Manager;
    let locale = app.state::<AppState>().locale();
    let handle = app.clone();
    on_blocking_thread(locale, "sync task", move || {
        let state = handle.state::<AppState>();
        let _one_at_a_time = state.sync_running.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut job = state.with(|t| t.sync_begin())?;
        while job.exchange() {
            state.with(|t| {
                t.sync_step(&mut job);
                Ok(())
            })?;
        }
        state.with(|t| t.sync_finish(job))
    })
    .await
}

/// The computer's name, offered as the device name when enrolling (`None` when the system does not say).
#[tauri::command]
#[specta::specta]
#[instrument(skip_all)]
pub async fn computer_name() -> Option<String> {
    talento_core::sync::default_device_name()
}
