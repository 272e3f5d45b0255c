//! The core engine end to end on real files: first run, encrypted store, login by e-mail and by code, lockout,
//! password change, roles, idle timeout, bad input and damaged files.

use std::path::Path;
use std::time::Duration;

use talento_core::dto::{FirstRunInput, NewUserInput, SecurityEventKind};
use talento_core::{CoreError, ErrorCode, Options, Talento};
use talento_domain::{Action, FieldProblem, Locale, Role};

const ADMIN_PASSWORD: &str = "Baobab-soleil-Tamtam-42";
const AGENCY: &str = "Agence Kourouma Casting";
const ADMIN_NAME: &str = "Aïssatou Ndiaye";
const ADMIN_EMAIL: &str = "aissatou@kourouma.sn";

fn first_run_input() -> FirstRunInput {
    FirstRunInput {
        agency_name: AGENCY.into(),
        admin_name: ADMIN_NAME.into(),
        admin_email: ADMIN_EMAIL.into(),
        password: ADMIN_PASSWORD.into(),
        password_confirm: ADMIN_PASSWORD.into(),
        locale: Locale::Fr,
    }
}

fn set_up(dir: &Path) -> Talento {
    let mut talento = Talento::open(dir, Options::default()).expect("open an empty data folder");
    talento.first_run(first_run_input()).expect("first run with valid input");
    talento
}

fn field_problems(error: CoreError) -> Vec<(&'static str, FieldProblem)> {
    match error {
        CoreError::Validation(fields) => fields.into_iter().map(|f| (f.field, f.problem)).collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[test]
fn first_run_creates_an_encrypted_store_nobody_can_read_without_a_password() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut talento = set_up(dir.path());
    let session = talento.status().session.expect("the first admin is logged in after the first run");
    assert_eq!((session.role, session.name.as_str()), (Role::Admin, ADMIN_NAME));
    assert!(session.code.starts_with("ADM-") && session.code.len() == 9, "admin code like ADM-7KQ3X: {}", session.code);
    talento.logout().expect("logout");
    drop(talento);

    for file in std::fs::read_dir(dir.path()).expect("list").flatten() {
        let name = file.file_name().to_string_lossy().into_owned();
        if !name.starts_with("talento.db") {
            continue;
        }
        let bytes = std::fs::read(file.path()).expect("read");
        for secret in [ADMIN_NAME, ADMIN_EMAIL, "Ndiaye", "Ville non listée", "SQLite format 3"] {
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "{name} must not contain {secret:?} in clear: the whole database is encrypted"
            );
        }
    }
    let plain = rusqlite::Connection::open(dir.path().join("talento.db")).expect("open without key");
    assert!(
        plain.query_row("SELECT count(*) FROM users", [], |r| r.get::<_, i64>(0)).is_err(),
        "without the data key the database must be unreadable"
    );
    let keys = std::fs::read_to_string(dir.path().join("keys.json")).expect("key file");
    assert!(!keys.contains(ADMIN_EMAIL) && !keys.contains("Ndiaye"), "the key file holds no personal data");
}

#[test]
fn login_by_email_or_code_and_logout_locks_the_store() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut talento = set_up(dir.path());
    let code = talento.status().session.expect("session").code;
    talento.logout().expect("logout");
    assert!(talento.status().session.is_none(), "logout ends the session");
    assert!(matches!(talento.list_users(), Err(CoreError::NotAuthenticated)), "a locked store answers nothing");

    let mut reopened = Talento::open(dir.path(), Options::default()).expect("reopen");
    assert_eq!(reopened.status().agency_name.as_deref(), Some(AGENCY), "the login screen can show the agency");
    let by_email = reopened.login(" AISSATOU@kourouma.sn ", ADMIN_PASSWORD).expect("login by e-mail, any case");
    reopened.logout().expect("logout");
    let by_code = reopened.login(&code.to_lowercase(), ADMIN_PASSWORD).expect("login by code, any case");
    assert_eq!(by_email.user_id, by_code.user_id, "both identifiers reach the same account");
    let users = reopened.list_users().expect("admin lists users");
    assert_eq!(users.len(), 1);
    assert!(users[0].last_login_at.is_some(), "the last login is recorded");
}

#[test]
fn wrong_passwords_are_logged_and_repeated_failures_lock_with_a_growing_delay() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut talento = set_up(dir.path());
    talento.logout().expect("logout");

    assert!(matches!(talento.login(ADMIN_EMAIL, "not-the-password-1"), Err(CoreError::InvalidCredentials)));
    assert!(
        matches!(talento.login("nobody@kourouma.sn", ADMIN_PASSWORD), Err(CoreError::InvalidCredentials)),
        "an unknown identifier gets the same answer as a wrong password"
    );
    talento.login(ADMIN_EMAIL, ADMIN_PASSWORD).expect("the right password still works");
    let kinds: Vec<_> =
        talento.list_security_log(50).expect("security log").into_iter().map(|e| (e.kind, e.detail)).collect();
    assert!(
        kinds.contains(&(SecurityEventKind::LoginFailed, Some("wrong password".into())))
            && kinds.contains(&(SecurityEventKind::LoginFailed, Some("unknown identifier".into()))),
        "failures while locked reach the security log at the next unlock: {kinds:?}"
    );
    talento.logout().expect("logout");

    for attempt in 1..5 {
        let error = talento.login(ADMIN_EMAIL, "not-the-password-2").expect_err("wrong password");
        assert!(matches!(error, CoreError::InvalidCredentials), "attempt {attempt}: {error:?}");
    }
    let error = talento.login(ADMIN_EMAIL, "not-the-password-2").expect_err("fifth failure");
    assert!(matches!(error, CoreError::AccountLocked { retry_after_secs: 30 }), "the fifth failure locks: {error:?}");
    let error = talento.login(ADMIN_EMAIL, ADMIN_PASSWORD).expect_err("locked");
    assert!(
        matches!(error, CoreError::AccountLocked { retry_after_secs: 1..=30 }),
        "even the right password waits out the lock: {error:?}"
    );
    let message = error.to_app_error(Locale::Fr);
    assert_eq!(message.code, ErrorCode::AccountLocked);
    assert!(message.message.contains("verrouillé") && message.retry_after_secs.is_some(), "{message:?}");
}

#[test]
fn changing_the_password_rewraps_the_key() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut talento = set_up(dir.path());
    let problems = field_problems(
        talento.change_password("wrong-current-pass", "Manguier-Fleuve-Niger-77").expect_err("wrong current"),
    );
    assert_eq!(problems, vec![("current", FieldProblem::WrongPassword)]);
    let problems = field_problems(talento.change_password(ADMIN_PASSWORD, "short").expect_err("weak"));
    assert_eq!(problems, vec![("newPassword", FieldProblem::PasswordTooShort { min: 12 })]);
    talento.change_password(ADMIN_PASSWORD, "Manguier-Fleuve-Niger-77").expect("change password");
    talento.logout().expect("logout");
    assert!(
        matches!(talento.login(ADMIN_EMAIL, ADMIN_PASSWORD), Err(CoreError::InvalidCredentials)),
        "old password is dead"
    );
    talento.login(ADMIN_EMAIL, "Manguier-Fleuve-Niger-77").expect("new password unlocks the same data");
    assert_eq!(talento.list_users().expect("users").len(), 1, "same data after re-wrapping");
}

#[test]
fn roles_are_enforced_by_the_core() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut talento = set_up(dir.path());
    let recruiter = talento
        .create_user(NewUserInput {
            name: "Joël N'Guessan".into(),
            email: "joel@kourouma.sn".into(),
            role: Role::Recruiter,
            password: "Lagune-Ebrie-Pirogue-9".into(),
        })
        .expect("admin creates a recruiter");
    assert!(recruiter.code.starts_with("REC-"));
    talento.logout().expect("logout");
    let session = talento.login(&recruiter.code, "Lagune-Ebrie-Pirogue-9").expect("recruiter logs in by code");
    assert!(!session.permissions.contains(&Action::UsersManage), "the UI is told what the role may do");
    assert!(
        matches!(talento.list_users(), Err(CoreError::Forbidden(Action::UsersView))),
        "recruiters cannot see users"
    );
    assert!(matches!(talento.list_security_log(10), Err(CoreError::Forbidden(Action::LogsView))));
    let created = talento.create_user(NewUserInput {
        name: "Intrus".into(),
        email: "intrus@kourouma.sn".into(),
        role: Role::Admin,
        password: "Lagune-Ebrie-Pirogue-9".into(),
    });
    assert!(matches!(created, Err(CoreError::Forbidden(Action::UsersManage))), "recruiters cannot create admins");
    let counts = talento.reference_summary().expect("everyone sees reference data");
    let cities = counts.iter().find(|c| c.list == "cities").expect("cities listed");
    assert_eq!(cities.count, 2030, "1,836 cities plus one unlisted city per country");
}

#[test]
fn an_idle_session_expires_and_is_logged() {
    let dir = tempfile::tempdir().expect("tempdir");
    let options = Options { idle_timeout: Duration::from_millis(300), ..Options::default() };
    Talento::open(dir.path(), options).expect("open").first_run(first_run_input()).expect("first run");
    let mut talento = Talento::open(dir.path(), options).expect("reopen");
    talento.login(ADMIN_EMAIL, ADMIN_PASSWORD).expect("login");
    talento.touch_session().expect("activity keeps the session");
    std::thread::sleep(Duration::from_millis(400));
    assert!(matches!(talento.list_users(), Err(CoreError::SessionExpired)), "idle too long: the session ends");
    assert!(talento.status().session.is_none(), "and stays ended");
    talento.login(ADMIN_EMAIL, ADMIN_PASSWORD).expect("login again");
    let kinds: Vec<_> = talento.list_security_log(20).expect("log").into_iter().map(|e| e.kind).collect();
    assert!(kinds.contains(&SecurityEventKind::SessionExpired), "the expiry is in the security log: {kinds:?}");
}

#[test]
fn background_sync_status_checks_do_not_keep_an_idle_session_open() {
    let dir = tempfile::tempdir().expect("tempdir");
    let options = Options { idle_timeout: Duration::from_millis(600), ..Options::default() };
    Talento::open(dir.path(), options).expect("open").first_run(first_run_input()).expect("first run");
    let mut talento = Talento::open(dir.path(), options).expect("reopen");
    talento.login(ADMIN_EMAIL, ADMIN_PASSWORD).expect("login");
    for _ in 0..2 {
        std::thread::sleep(Duration::from_millis(200));
        // The header asks for the sync status every minute; that is the app talking, not the person.
        talento.sync_status().expect("status of a laptop not enrolled yet");
    }
    // 700 ms after login but only 300 ms after the last poll: counted as activity, the polls would keep it open.
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        matches!(talento.list_users(), Err(CoreError::SessionExpired)),
        "an unattended laptop locks even while the header keeps polling"
    );
}

#[test]
fn bad_first_run_input_is_refused_field_by_field_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut talento = Talento::open(dir.path(), Options::default()).expect("open");
    let input = FirstRunInput {
        agency_name: "  ".into(),
        admin_name: "Awa".into(),
        admin_email: "awa@agence".into(),
        password: "password1234".into(),
        password_confirm: "password12345".into(),
        locale: Locale::En,
    };
    let error = talento.first_run(input).expect_err("invalid input");
    let app_error = error.to_app_error(Locale::En);
    assert_eq!(app_error.code, ErrorCode::Validation);
    let fields: Vec<&str> = app_error.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["agencyName", "adminEmail", "password", "passwordConfirm"], "each bad field is named");
    assert!(app_error.fields.iter().all(|f| !f.message.is_empty()), "each with a translated message");
    assert!(!talento.is_initialized(), "nothing is set up");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).expect("list").flatten().map(|e| e.file_name()).collect();
    assert!(leftovers.is_empty(), "no half-written store or key file: {leftovers:?}");
    assert!(matches!(talento.login(ADMIN_EMAIL, ADMIN_PASSWORD), Err(CoreError::NotInitialized)));
}

#[test]
fn duplicate_emails_and_weak_passwords_are_refused_when_creating_users() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut talento = set_up(dir.path());
    let error = talento
        .create_user(NewUserInput {
            name: "Autre Aïssatou".into(),
            email: "AISSATOU@kourouma.sn".into(),
            role: Role::Presence,
            password: "azertyuiop123".into(),
        })
        .expect_err("duplicate e-mail and weak password");
    assert_eq!(
        field_problems(error),
        vec![("password", FieldProblem::PasswordTooWeak), ("email", FieldProblem::EmailTaken)]
    );
    assert_eq!(talento.list_users().expect("users").len(), 1, "nothing was created");
    assert!(talento.status().initialized && talento.first_run(first_run_input()).is_err(), "no second first run");
}

#[test]
fn deactivation_removes_access_and_the_last_admin_stays() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut talento = set_up(dir.path());
    let me = talento.status().session.expect("session").user_id;
    assert!(matches!(talento.set_user_active(&me, false, None), Err(CoreError::Conflict(_))), "not yourself");
    let officer = talento
        .create_user(NewUserInput {
            name: "Moussa Traoré".into(),
            email: "moussa@kourouma.sn".into(),
            role: Role::Presence,
            password: "Portail-Tournage-Matin-5".into(),
        })
        .expect("create officer");
    let off = talento.set_user_active(&officer.id, false, None).expect("deactivate");
    assert!(!off.active);
    let error = talento.set_user_active(&officer.id, true, Some("court")).expect_err("weak password refused");
    assert!(matches!(error, CoreError::Validation(_)));
    talento.logout().expect("logout");
    assert!(
        matches!(talento.login("moussa@kourouma.sn", "Portail-Tournage-Matin-5"), Err(CoreError::InvalidCredentials)),
        "a deactivated user's password no longer unlocks the laptop"
    );
    talento.login(ADMIN_EMAIL, ADMIN_PASSWORD).expect("admin");
    talento
        .set_user_active(&officer.id, true, Some("Nouveau-Portail-Soir-88"))
        .expect("reactivate with a new password");
    talento.logout().expect("logout");
    let session = talento.login("moussa@kourouma.sn", "Nouveau-Portail-Soir-88").expect("back in");
    assert_eq!(session.role, Role::Presence);
    assert!(session.permissions.contains(&Action::PresenceScan));
}

#[test]
fn every_user_write_goes_to_the_change_log_in_order() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut talento = set_up(dir.path());
    let user = talento
        .create_user(NewUserInput {
            name: "Ngozi Ọkafọ".into(),
            email: "ngozi@kourouma.sn".into(),
            role: Role::Recruiter,
            password: "Harmattan-Kola-Lagos-31".into(),
        })
        .expect("create");
    talento.set_user_active(&user.id, false, None).expect("deactivate");
    let changes = talento.changes_since(0, 100).expect("change log");
    let summary: Vec<(u64, &str, &str)> = changes.iter().map(|c| (c.seq, c.table.as_str(), c.op.as_str())).collect();
    assert_eq!(
        summary,
        vec![
            (1, "agency", "upsert"),
            (2, "users", "upsert"),
            (3, "signing_keys", "upsert"),
            (4, "users", "upsert"),
            (5, "users", "upsert")
        ],
        "agency, first admin, the agency's badge key, new user, deactivation: contiguous sequence numbers"
    );
    assert_eq!(changes[3].fields["name"], "Ngozi Ọkafọ");
    assert_eq!(changes[4].fields, serde_json::json!({ "active": false }), "only the changed field is shipped");
    assert!(changes.windows(2).all(|w| w[0].hlc < w[1].hlc), "clock order follows sequence order");
    assert!(changes.iter().all(|c| c.device_id == changes[0].device_id), "all from this laptop");
}

#[test]
fn a_damaged_key_file_or_database_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    drop(set_up(dir.path()));
    let keys = dir.path().join("keys.json");
    let original = std::fs::read(&keys).expect("read");
    std::fs::write(&keys, &original[..original.len() / 2]).expect("truncate");
    let error = Talento::open(dir.path(), Options::default()).expect_err("truncated key file");
    assert_eq!(error.code(), ErrorCode::KeyFileCorrupted);
    assert!(error.to_app_error(Locale::Fr).message.contains("fichier de clés"), "translated, says what is wrong");
    std::fs::write(&keys, &original).expect("restore");

    let db = dir.path().join("talento.db");
    let mut bytes = std::fs::read(&db).expect("read db");
    for b in bytes.iter_mut().take(4096) {
        *b ^= 0xA5;
    }
    std::fs::write(&db, bytes).expect("damage db");
    let _ = std::fs::remove_file(dir.path().join("talento.db-wal"));
    let mut talento = Talento::open(dir.path(), Options::default()).expect("opening only reads the key file");
    let error = talento.login(ADMIN_EMAIL, ADMIN_PASSWORD).expect_err("damaged database");
    assert_eq!(error.code(), ErrorCode::StoreCorrupted, "{error:?}");
}

#[test]
fn an_admin_resets_a_forgotten_password_and_lifts_the_lock() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut talento = set_up(dir.path());
    let user = talento
        .create_user(NewUserInput {
            name: "Kofi Mensah".into(),
            email: "kofi@kourouma.sn".into(),
            role: Role::Recruiter,
            password: "Volta-Akosombo-Barrage-7".into(),
        })
        .expect("create");
    talento.logout().expect("logout");
    for _ in 0..5 {
        let _ = talento.login("kofi@kourouma.sn", "forgot-it-forgot-it");
    }
    assert!(matches!(
        talento.login("kofi@kourouma.sn", "Volta-Akosombo-Barrage-7"),
        Err(CoreError::AccountLocked { .. })
    ));
    talento.login(ADMIN_EMAIL, ADMIN_PASSWORD).expect("admin");
    assert!(
        talento.list_users().expect("users").iter().any(|u| u.id == user.id && u.locked),
        "the admin sees the lock"
    );
    talento.reset_password(&user.id, "Nouveau-Depart-Accra-2027").expect("reset");
    talento.logout().expect("logout");
    talento.login("kofi@kourouma.sn", "Nouveau-Depart-Accra-2027").expect("the new password works at once");
}
