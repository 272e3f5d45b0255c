//! talento-desktop: the Tauri shell. It resolves the data folder, opens the core engine, registers the IPC commands
//! (thin adapters in [`commands`]) and generates the UI's typed bindings from them.

mod commands;
mod photo;
mod state;

use tauri::Manager;
use tauri_specta::{Builder, collect_commands};

pub use state::AppState;

/// The typed command list; also the source of `ui/src/lib/bindings.ts`.
pub fn specta_builder() -> Builder<tauri::Wry> {
    Builder::<tauri::Wry>::new()
        .commands(collect_commands![
            commands::app_status,
            commands::set_locale,
            commands::first_run,
            commands::login,
            commands::logout,
            commands::session_status,
            commands::touch_session,
            commands::change_password,
            commands::list_users,
            commands::create_user,
            commands::set_user_active,
            commands::reset_password,
            commands::unlock_user,
            commands::list_security_log,
            commands::list_activity_log,
            commands::reference_summary,
            commands::reference_lists,
            commands::consent_text,
            commands::register_talent,
            commands::update_talent,
            commands::get_talent,
            commands::search_talents,
            commands::set_talent_active,
            commands::erase_talent,
            commands::talent_history,
            commands::save_draft,
            commands::load_draft,
            commands::discard_draft,
            commands::stage_photo,
            commands::stage_cv,
            commands::read_cv,
            commands::export_cv,
            commands::talent_qr_svg,
            commands::list_productions,
            commands::get_production,
            commands::create_production,
            commands::update_production,
            commands::set_production_active,
            commands::stage_logo,
            commands::set_agency_logo,
            commands::list_projects,
            commands::get_project,
            commands::create_project,
            commands::update_project,
            commands::set_project_archived,
            commands::list_shoot_days,
            commands::set_shoot_day,
            commands::remove_shoot_day,
            commands::assign_talents,
            commands::update_assignment,
            commands::unassign_talent,
            commands::project_roster,
            commands::talent_projects,
            commands::list_signing_keys,
            commands::rotate_signing_key,
            commands::revoke_signing_key,
            commands::agency_logo,
            commands::generate_badges,
            commands::cancel_badges,
            commands::open_export,
            commands::save_export_as,
            commands::scan_badge,
            commands::admit_off_roster,
            commands::manual_check,
            commands::bulk_check,
            commands::correct_scan,
            commands::day_attendance,
            commands::talent_attendance,
            commands::export_attendance,
            commands::signin_sheet,
            commands::sync_status,
            commands::enroll_device,
            commands::sync_now,
            commands::computer_name,
        ])
        .events(tauri_specta::collect_events![commands::BadgeProgress])
}

/// Writes the TypeScript bindings for the commands and their types.
pub fn export_bindings(path: &std::path::Path) -> Result<(), String> {
    let ts = specta_typescript::Typescript::default()
        .bigint(specta_typescript::BigIntExportBehavior::Number)
        .header("// Generated from the Rust commands by `make bindings`. Do not edit: a test fails when it drifts.\n/* eslint-disable */\n// @ts-nocheck");
    specta_builder().export(ts, path).map_err(|e| e.to_string())
}

/// The presence screen reads badges with the laptop's camera. WebKitGTK asks the app before it opens a camera and
/// wry answers "no" unless told otherwise: allow camera and microphone requests (the page only asks for video) and
/// refuse every other kind of permission.
#[cfg(target_os = "linux")]
fn allow_camera(app: &tauri::App) {
    use webkit2gtk::glib::prelude::Cast;
    use webkit2gtk::{PermissionRequestExt, UserMediaPermissionRequest, WebViewExt};
    let Some(window) = app.get_webview_window("main") else {
        return;
    };
    let result = window.with_webview(|webview| {
        webview.inner().connect_permission_request(|_, request| {
            if request.downcast_ref::<UserMediaPermissionRequest>().is_some() {
                request.allow();
            } else {
                request.deny();
            }
            true
        });
    });
    if let Err(e) = result {
        tracing::warn!(error = %e, "camera permission handler not installed");
    }
}

#[cfg(not(target_os = "linux"))]
fn allow_camera(_app: &tauri::App) {}

pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,talento=debug".into()),
        )
        .init();
    let builder = specta_builder();
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .register_uri_scheme_protocol("photo", photo::serve)
        .invoke_handler(builder.invoke_handler())
        .setup(move |app| {
            builder.mount_events(app);
            let dir = match talento_core::paths::resolve_data_dir() {
                Some(dir) => dir,
                None => app.path().app_data_dir()?,
            };
            tracing::info!(dir = %dir.display(), "data folder");
            app.manage(AppState::open(&dir));
            allow_camera(app);
            Ok(())
        })
        .run(tauri::generate_context!());
    if let Err(e) = result {
        tracing::error!(error = %e, "the desktop app stopped with an error");
        std::process::exit(1);
    }
}

#[cfg(test)]
mod tests {
    /// The committed bindings must be what the Rust types generate; `UPDATE_BINDINGS=1` rewrites them.
    #[test]
    fn bindings_match_the_rust_types() {
        let committed = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/src/lib/bindings.ts");
        let dir = tempfile_dir();
        let fresh = dir.join("bindings.ts");
        super::export_bindings(&fresh).expect("export bindings");
        let fresh_text = std::fs::read_to_string(&fresh).expect("read fresh bindings");
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(&committed, &fresh_text).expect("write bindings");
            return;
        }
        let committed_text = std::fs::read_to_string(&committed).unwrap_or_default();
        assert!(
            committed_text == fresh_text,
            "ui/src/lib/bindings.ts is out of date with the Rust commands: run `make bindings` and commit it"
        );
    }

    fn tempfile_dir() -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("talento-bindings-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        dir
    }
}
