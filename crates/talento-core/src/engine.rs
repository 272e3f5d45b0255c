//! [`Talento`]: one laptop's engine, the API the desktop shell, the CLI and the tests all drive. It owns the key
//! file, the encrypted store while a user is logged in, and the session. Every use case goes through
//! [`Talento::require`], which ends an idle session and asks the role × action table before anything is read or
//! written; writes happen in one transaction that also appends to the change log and the activity log.

use std::path::Path;
use std::time::{Duration, Instant};

use rusqlite::OptionalExtension;
use serde_json::json;
use talento_domain::{Action, FieldError, FieldProblem, Locale, Role, validate};
use uuid::Uuid;

use crate::audit::{self, Activity, SecurityEvent};
use crate::changelog::{self, Op};
use crate::crypto::{self, KdfParams, SecretKey};
use crate::dto::{
    ActivityDto, AppStatus, FirstRunInput, NewUserInput, ReferenceCount, SecurityEventDto, SecurityEventKind,
    SessionDto, UserDto,
};
use crate::error::{ConflictReason, CoreError, CoreResult, check};
use crate::keyfile::{KeyFile, PendingSecurityEvent, WrappedKey};
use crate::paths::DataFiles;
use crate::prefs::Prefs;
use crate::seeds::{SPECS, Seeds};
use crate::store::Store;
use crate::sync::accounts;

/// Tunables; the defaults are the product's.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// A session with no activity for this long ends.
    pub idle_timeout: Duration,
    /// Cost of the password key derivation for new wrapped keys.
    pub kdf: KdfParams,
}

impl Default for Options {
    fn default() -> Self {
        Self { idle_timeout: Duration::from_secs(15 * 60), kdf: KdfParams::OWASP }
    }
}

/// The logged-in user.
#[derive(Debug, Clone)]
pub(crate) struct SessionUser {
    pub(crate) id: Uuid,
    pub(crate) code: String,
    pub(crate) name: String,
    pub(crate) email: String,
    pub(crate) role: Role,
}

/// What exists only while someone is logged in: the open store and the data key that opened it.
pub(crate) struct Unlocked {
    pub(crate) store: Store,
    pub(crate) data_key: SecretKey,
    pub(crate) user: SessionUser,
    last_activity: Instant,
    /// Built at the first search, dropped with the session.
    pub(crate) search: Option<crate::talents::index::SearchIndex>,
}

impl std::fmt::Debug for Unlocked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Unlocked").field("user", &self.user.id).finish_non_exhaustive()
    }
}

/// One laptop's Talento.
#[derive(Debug)]
pub struct Talento {
    pub(crate) files: DataFiles,
    pub(crate) options: Options,
    prefs: Prefs,
    key_file: Option<KeyFile>,
    pub(crate) unlocked: Option<Unlocked>,
}

pub(crate) fn now_iso() -> String {
    format!("{:.3}", jiff::Timestamp::now())
}

fn now_secs() -> i64 {
    jiff::Timestamp::now().as_second()
}

pub(crate) fn now_millis() -> u64 {
    jiff::Timestamp::now().as_millisecond().max(0) as u64
}

/// A user's login code, e.g. `ADM-7KQ3X` ([`Role::login_code`], five characters on a laptop). Random rather than
/// counted, so laptops that create users offline do not collide; the database's unique index catches the rare clash.
fn new_user_code(role: Role) -> String {
    role.login_code(&crypto::random::<5>())
}

impl Talento {
    /// Opens a laptop's data folder (creating it if needed). Fails with a clear error when the key file or the
    /// shipped reference data is damaged; a laptop never set up opens fine and reports `initialized: false`.
    pub fn open(dir: &Path, options: Options) -> CoreResult<Talento> {
        std::fs::create_dir_all(dir)?;
        Seeds::embedded()?;
        let files = DataFiles::new(dir);
        let key_file = KeyFile::load(&files.key_file())?;
        if key_file.is_some() && !files.database().exists() {
            return Err(CoreError::StoreCorrupted("the database file is missing".into()));
        }
        let prefs = Prefs::load(&files.prefs());
        Ok(Talento { files, options, prefs, key_file, unlocked: None })
    }

    /// Keeps the key file as last written to disk.
    pub(crate) fn set_key_file(&mut self, file: KeyFile) {
        self.key_file = Some(file);
    }

    pub fn data_dir(&self) -> &Path {
        &self.files.dir
    }

    pub fn locale(&self) -> Locale {
        self.prefs.locale
    }

    pub fn is_initialized(&self) -> bool {
        self.key_file.is_some()
    }

    pub fn status(&mut self) -> AppStatus {
        AppStatus {
            initialized: self.is_initialized(),
            agency_name: self.key_file.as_ref().map(|k| k.agency_name.clone()),
            locale: self.prefs.locale,
            session: self.session_status(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
            data_dir: self.files.dir.display().to_string(),
        }
    }

    /// Uses a language for this process only (the CLI's `--lang`), leaving the laptop's choice as it is.
    pub fn use_locale(&mut self, locale: Locale) {
        self.prefs.locale = locale;
    }

    pub fn set_locale(&mut self, locale: Locale) -> CoreResult<()> {
        self.prefs.locale = locale;
        self.prefs.save(&self.files.prefs())
    }

    /// First run: creates the agency, the encrypted store and its first administrator, and logs them in.
    /// The key file is written last: until it exists nothing is set up, so a failure leaves a laptop that simply
    /// asks again.
    pub fn first_run(&mut self, input: FirstRunInput) -> CoreResult<SessionDto> {
        if self.key_file.is_some() {
            return Err(CoreError::AlreadyInitialized);
        }
        let mut errors = Vec::new();
        let agency_name = validate::name("agencyName", &input.agency_name, &mut errors);
        let admin_name = validate::name("adminName", &input.admin_name, &mut errors);
        let email = validate::email("adminEmail", &input.admin_email, &mut errors);
        validate::password("password", &input.password, &[&admin_name, &email, &agency_name], &mut errors);
        if input.password != input.password_confirm {
            errors.push(FieldError::new("passwordConfirm", FieldProblem::PasswordMismatch));
        }
        check(errors)?;

        for file in self.files.database_files() {
            // Left by an interrupted first run: unreadable without a key that was never saved.
            let _ = std::fs::remove_file(file);
        }
        let data_key = crypto::random_key();
        let device = Uuid::now_v7();
        let user = SessionUser {
            id: Uuid::now_v7(),
            code: new_user_code(Role::Admin),
            name: admin_name,
            email,
            role: Role::Admin,
        };
        let result = (|| {
            let mut store = Store::open(&self.files.database(), &data_key)?;
            let seeds = Seeds::embedded()?;
            let now = now_iso();
            let tx = store.transaction()?;
            seeds.load(&tx, &now)?;
            changelog::init_device(&tx, device, &now)?;
            let stamp = changelog::tick(&tx, now_millis())?;
            let agency_id = Uuid::now_v7().to_string();
            tx.execute(
                "INSERT INTO agency (id, name, created_at, updated_at, hlc) VALUES (?1, ?2, ?3, ?3, ?4)",
                rusqlite::params![agency_id, agency_name, now, stamp.to_string()],
            )?;
            changelog::record(&tx, &stamp, "agency", &agency_id, Op::Upsert, &json!({ "name": agency_name }))?;
            insert_user(&tx, &user, &now, None)?;
            crate::casting::badges::ensure_signing_key(&tx, Some(user.id), &now)?;
            audit::activity(
                &tx,
                &Activity {
                    at: &now,
                    user: Some(user.id),
                    device,
                    action: "agency_created",
                    entity: "agency",
                    entity_id: Some(&agency_id),
                    details: None,
                },
            )?;
            audit::activity(
                &tx,
                &Activity {
                    at: &now,
                    user: Some(user.id),
                    device,
                    action: "user_created",
                    entity: "user",
                    entity_id: Some(&user.id.to_string()),
                    details: Some(json!({ "role": "admin" })),
                },
            )?;
            for kind in [SecurityEventKind::UserCreated, SecurityEventKind::LoginSucceeded] {
                audit::security(
                    &tx,
                    &SecurityEvent {
                        at: &now,
                        kind,
                        user_id: Some(user.id),
                        lookup: None,
                        device_id: device,
                        detail: None,
                    },
                )?;
            }
            tx.execute(
                "UPDATE users SET last_login_at = ?1 WHERE id = ?2",
                rusqlite::params![now, user.id.to_string()],
            )?;
            tx.commit()?;
            seeds.verify(store.conn())?;

            let mut key_file = KeyFile::new(agency_name.clone(), device);
            let lookups = vec![key_file.lookup(&user.email), key_file.lookup(&user.code)];
            key_file.put(WrappedKey::wrap(user.id, lookups, &input.password, &data_key, self.options.kdf)?);
            key_file.save(&self.files.key_file())?;
            Ok((store, key_file))
        })();
        let (store, key_file) = match result {
            Ok(ok) => ok,
            Err(e) => {
                for file in self.files.database_files() {
                    let _ = std::fs::remove_file(file);
                }
                return Err(e);
            }
        };
        self.key_file = Some(key_file);
        self.prefs.locale = input.locale;
        self.prefs.save(&self.files.prefs())?;
        tracing::info!(user = %user.id, "agency created");
        self.unlocked = Some(Unlocked { store, data_key, user, last_activity: Instant::now(), search: None });
        self.session_dto()
    }

    /// Logs in by e-mail or user code. Wrong credentials, unknown identifiers and locked accounts are recorded in the
    /// security log (the key file holds them until the database is next unlocked).
    pub fn login(&mut self, identifier: &str, password: &str) -> CoreResult<SessionDto> {
        let mut errors = Vec::new();
        if identifier.trim().is_empty() {
            errors.push(FieldError::new("identifier", FieldProblem::Required));
        }
        if password.is_empty() {
            errors.push(FieldError::new("password", FieldProblem::Required));
        }
        check(errors)?;
        self.close_session(None)?;
        let key_path = self.files.key_file();
        let kdf = self.options.kdf;
        let lookup = self.key_file.as_ref().ok_or(CoreError::NotInitialized)?.lookup(identifier);
        let now = now_secs();
        let pending = |kind: &str, user_id: Option<Uuid>, detail: &str| PendingSecurityEvent {
            at: now_iso(),
            kind: kind.to_owned(),
            user_id,
            lookup: Some(lookup.clone()),
            detail: Some(detail.to_owned()),
        };

        // Decided under the key file's lock, on its current content: another process may have counted failures.
        let (attempt, fresh) = KeyFile::update(&key_path, |key_file| {
            let (agency_wrap, device) = (key_file.agency_wrap.clone(), key_file.device_id);
            let Some(entry) = key_file.entry_for_lookup(&lookup) else {
                // Same work as a real attempt, so timing does not tell which identifiers exist.
                let _ = crypto::derive_key(password, &[0u8; crypto::SALT_LEN], kdf);
                key_file.pending_security.push(pending("login_failed", None, "unknown identifier"));
                return Ok(Err(CoreError::InvalidCredentials));
            };
            let user_id = entry.user_id;
            if let Some(retry_after_secs) = entry.locked_for(now) {
                key_file.pending_security.push(pending("login_failed", Some(user_id), "account locked"));
                return Ok(Err(CoreError::AccountLocked { retry_after_secs }));
            }
            let Some(data_key) = entry.unwrap_key(password, agency_wrap.as_ref().map(|w| (w, device)))? else {
                let locked = entry.register_failure(now);
                key_file.pending_security.push(pending("login_failed", Some(user_id), "wrong password"));
                if let Some(secs) = locked {
                    key_file.pending_security.push(pending("account_locked", Some(user_id), &format!("{secs} s")));
                }
                return Ok(Err(match locked {
                    Some(retry_after_secs) => CoreError::AccountLocked { retry_after_secs },
                    None => CoreError::InvalidCredentials,
                }));
            };
            Ok(Ok((user_id, data_key)))
        })?;
        let pending_events = fresh.pending_security.clone();
        self.key_file = Some(fresh);
        let (user_id, data_key) = attempt?;

        let mut store = Store::open(&self.files.database(), &data_key)?;
        let seeds = Seeds::embedded()?;
        let user = read_user(store.conn(), user_id)?.filter(|(_, active)| *active).map(|(u, _)| u);
        let Some(user) = user else {
            // A key entry without an active user: the account was deactivated on this laptop's data.
            let (_, fresh) = swap_entry(&key_path, user_id, None)?;
            self.key_file = Some(fresh);
            return Err(CoreError::InvalidCredentials);
        };
        let now_text = now_iso();
        let device = changelog::device_id(store.conn())?;
        let tx = store.transaction()?;
        seeds.load(&tx, &now_text)?;
        // Stores made before badges existed get their agency key at the first unlock.
        crate::casting::badges::ensure_signing_key(&tx, Some(user.id), &now_text)?;
        for event in &pending_events {
            let user_id = event.user_id.filter(|id| read_user(&tx, *id).ok().flatten().is_some());
            tx.execute(
                "INSERT INTO security_log (at, kind, user_id, lookup, device_id, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                rusqlite::params![event.at, event.kind, user_id.map(|u| u.to_string()), event.lookup, device.to_string(), event.detail],
            )?;
        }
        audit::security(
            &tx,
            &SecurityEvent {
                at: &now_text,
                kind: SecurityEventKind::LoginSucceeded,
                user_id: Some(user.id),
                lookup: None,
                device_id: device,
                detail: None,
            },
        )?;
        tx.execute(
            "UPDATE users SET last_login_at = ?1 WHERE id = ?2",
            rusqlite::params![now_text, user.id.to_string()],
        )?;
        // An account older than this laptop's enrollment (or with a weaker wrap) gets its key wrap now, while the
        // password is at hand, so it can log in on the agency's other laptops after the next sync.
        let mut made_wrap = None;
        if let Some(agency_key) = accounts::agency_key(&tx)? {
            let current: Option<String> =
                tx.query_row("SELECT key_wrap FROM users WHERE id = ?1", [user.id.to_string()], |r| r.get(0))?;
            if accounts::key_wrap_is_stale(current.as_deref(), user.id, password, kdf) {
                let key_wrap = accounts::new_key_wrap(user.id, password, &agency_key, kdf)?;
                record_key_wrap(&tx, user.id, &key_wrap, &now_text)?;
                made_wrap = Some(crate::keyfile::wrap_id(&key_wrap));
            }
        }
        tx.commit()?;
        seeds.verify(store.conn())?;

        // Only the events just written move out of the key file; any recorded meanwhile stay for next time.
        let (_, fresh) = KeyFile::update(&key_path, |key_file| {
            if let Some(entry) = key_file.entry_for_user(user_id) {
                entry.register_success();
                if made_wrap.is_some() && !entry.via_agency {
                    entry.wrap_id = made_wrap;
                }
            }
            key_file.pending_security.retain(|e| !pending_events.contains(e));
            Ok(())
        })?;
        // Accounts synced, deactivated or re-passworded elsewhere since the last time (and a write a crash lost).
        let fresh = accounts::reconcile(store.conn(), &key_path, &data_key).unwrap_or_else(|e| {
            tracing::warn!(error = %e, "key file not brought in line with the accounts");
            fresh
        });
        self.key_file = Some(fresh);
        self.unlocked = Some(Unlocked { store, data_key, user, last_activity: Instant::now(), search: None });
        self.session_dto()
    }

    /// Ends the session and locks the store: the data key is wiped from memory.
    pub fn logout(&mut self) -> CoreResult<()> {
        self.close_session(Some(SecurityEventKind::Logout))
    }

    /// The current session, without counting as activity; `None` when nobody is logged in or the session just
    /// expired (which ends it).
    pub fn session_status(&mut self) -> Option<SessionDto> {
        match end_if_idle(&mut self.unlocked, self.options.idle_timeout) {
            Ok(()) => self.session_dto().ok(),
            Err(_) => None,
        }
    }

    /// Counts as activity (the UI calls it on keyboard and pointer input).
    pub fn touch_session(&mut self) -> CoreResult<()> {
        self.require(Action::OwnAccount).map(|_| ())
    }

    pub fn change_password(&mut self, current: &str, new_password: &str) -> CoreResult<()> {
        let kdf = self.options.kdf;
        let key_path = self.files.key_file();
        let unlocked = require(&mut self.unlocked, self.options.idle_timeout, Action::OwnAccount)?;
        // Read afresh: a sync may have replaced this account's entry (its password changed on another laptop).
        let mut key_file = KeyFile::load(&key_path)?.ok_or(CoreError::NotInitialized)?;
        let user = unlocked.user.clone();
        let mut errors = Vec::new();
        validate::password("newPassword", new_password, &[&user.name, &user.email], &mut errors);
        let agency = key_file.agency_wrap.clone().map(|w| (w, key_file.device_id));
        let entry = key_file.entry_for_user(user.id).ok_or(CoreError::NotAuthenticated)?;
        if entry.unwrap_key(current, agency.as_ref().map(|(w, d)| (w, *d)))?.is_none() {
            errors.insert(0, FieldError::new("current", FieldProblem::WrongPassword));
        }
        check(errors)?;
        let lookups = entry.lookups.clone();
        let (replacement, key_wrap) =
            wrap_password(unlocked.store.conn(), user.id, lookups, new_password, &unlocked.data_key, kdf)?;
        let now = now_iso();
        let device = changelog::device_id(unlocked.store.conn())?;
        let tx = unlocked.store.transaction()?;
        if let Some(key_wrap) = &key_wrap {
            record_key_wrap(&tx, user.id, key_wrap, &now)?;
        }
        audit::security(
            &tx,
            &SecurityEvent {
                at: &now,
                kind: SecurityEventKind::PasswordChanged,
                user_id: Some(user.id),
                lookup: None,
                device_id: device,
                detail: None,
            },
        )?;
        audit::activity(
            &tx,
            &Activity {
                at: &now,
                user: Some(user.id),
                device,
                action: "password_changed",
                entity: "user",
                entity_id: Some(&user.id.to_string()),
                details: None,
            },
        )?;
        let (previous, fresh) = swap_entry(&key_path, user.id, Some(replacement))?;
        self.key_file = Some(fresh);
        if let Err(e) = tx.commit() {
            self.key_file = Some(swap_entry(&key_path, user.id, previous)?.1);
            return Err(e.into());
        }
        Ok(())
    }

    pub fn list_users(&mut self) -> CoreResult<Vec<UserDto>> {
        let unlocked = self.require(Action::UsersView)?;
        let mut stmt = unlocked.store.conn().prepare(
            "SELECT id, code, name, email, role, active, created_at, last_login_at FROM users ORDER BY name COLLATE NOCASE",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, bool>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, Option<String>>(7)?,
            ))
        })?;
        let rows = rows.collect::<Result<Vec<_>, _>>()?;
        drop(stmt);
        let now = now_secs();
        // Read afresh: another process on this laptop may have locked or unlocked someone.
        let mut key_file = KeyFile::load(&self.files.key_file())?.ok_or(CoreError::NotInitialized)?;
        rows.into_iter()
            .map(|(id, code, name, email, role, active, created_at, last_login_at)| {
                let uuid = Uuid::parse_str(&id).map_err(|e| CoreError::StoreCorrupted(e.to_string()))?;
                let locked = key_file.entry_for_user(uuid).is_some_and(|e| e.locked_for(now).is_some());
                let role = Role::parse(&role).ok_or_else(|| CoreError::StoreCorrupted(format!("role {role}")))?;
                Ok(UserDto { id, code, name, email, role, active, locked, created_at, last_login_at })
            })
            .collect()
    }

    /// An administrator creates an account with an initial password; the user can log in on this laptop at once.
    pub fn create_user(&mut self, input: NewUserInput) -> CoreResult<UserDto> {
        let kdf = self.options.kdf;
        let key_path = self.files.key_file();
        let unlocked = require(&mut self.unlocked, self.options.idle_timeout, Action::UsersManage)?;
        let key_file = self.key_file.as_mut().ok_or(CoreError::NotInitialized)?;
        let mut errors = Vec::new();
        let name = validate::name("name", &input.name, &mut errors);
        let email = validate::email("email", &input.email, &mut errors);
        validate::password("password", &input.password, &[&name, &email], &mut errors);
        if errors.iter().all(|e| e.field != "email") && email_taken(unlocked.store.conn(), &email)? {
            errors.push(FieldError::new("email", FieldProblem::EmailTaken));
        }
        check(errors)?;

        let actor = unlocked.user.id;
        let mut user =
            SessionUser { id: Uuid::now_v7(), code: new_user_code(input.role), name, email, role: input.role };
        while code_taken(unlocked.store.conn(), &user.code)? {
            user.code = new_user_code(input.role);
        }
        let lookups = vec![key_file.lookup(&user.email), key_file.lookup(&user.code)];
        let (entry, key_wrap) =
            wrap_password(unlocked.store.conn(), user.id, lookups, &input.password, &unlocked.data_key, kdf)?;
        let now = now_iso();
        let device = changelog::device_id(unlocked.store.conn())?;
        let tx = unlocked.store.transaction()?;
        insert_user(&tx, &user, &now, key_wrap.as_deref())?;
        audit::security(
            &tx,
            &SecurityEvent {
                at: &now,
                kind: SecurityEventKind::UserCreated,
                user_id: Some(user.id),
                lookup: None,
                device_id: device,
                detail: Some(user.role.as_str()),
            },
        )?;
        audit::activity(
            &tx,
            &Activity {
                at: &now,
                user: Some(actor),
                device,
                action: "user_created",
                entity: "user",
                entity_id: Some(&user.id.to_string()),
                details: Some(json!({ "role": user.role.as_str() })),
            },
        )?;
        let (previous, fresh) = swap_entry(&key_path, user.id, Some(entry))?;
        self.key_file = Some(fresh);
        if let Err(e) = tx.commit() {
            self.key_file = Some(swap_entry(&key_path, user.id, previous)?.1);
            return Err(e.into());
        }
        Ok(UserDto {
            id: user.id.to_string(),
            code: user.code,
            name: user.name,
            email: user.email,
            role: user.role,
            active: true,
            locked: false,
            created_at: now,
            last_login_at: None,
        })
    }

    /// Deactivates (removing the user's wrapped key, so their password no longer unlocks this laptop) or
    /// reactivates (with a new initial password) an account.
    pub fn set_user_active(&mut self, user_id: &str, active: bool, new_password: Option<&str>) -> CoreResult<UserDto> {
        let kdf = self.options.kdf;
        let key_path = self.files.key_file();
        let unlocked = require(&mut self.unlocked, self.options.idle_timeout, Action::UsersManage)?;
        let key_file = self.key_file.as_mut().ok_or(CoreError::NotInitialized)?;
        let id = Uuid::parse_str(user_id).map_err(|_| CoreError::NotFound)?;
        let (user, was_active) = read_user(unlocked.store.conn(), id)?.ok_or(CoreError::NotFound)?;
        let actor = unlocked.user.id;
        if !active && id == actor {
            return Err(CoreError::Conflict(ConflictReason::OwnAccount));
        }
        if !active && user.role == Role::Admin && was_active && active_admins(unlocked.store.conn())? <= 1 {
            return Err(CoreError::Conflict(ConflictReason::LastAdmin));
        }
        let entry = if active {
            let password = new_password.unwrap_or_default();
            let mut errors = Vec::new();
            validate::password("password", password, &[&user.name, &user.email], &mut errors);
            check(errors)?;
            let lookups = vec![key_file.lookup(&user.email), key_file.lookup(&user.code)];
            Some(wrap_password(unlocked.store.conn(), id, lookups, password, &unlocked.data_key, kdf)?)
        } else {
            None
        };
        let (entry, key_wrap) = entry.map_or((None, None), |(e, k)| (Some(e), k));
        let now = now_iso();
        let device = changelog::device_id(unlocked.store.conn())?;
        let tx = unlocked.store.transaction()?;
        let stamp = changelog::tick(&tx, now_millis())?;
        tx.execute(
            "UPDATE users SET active = ?1, updated_at = ?2, hlc = ?3 WHERE id = ?4",
            rusqlite::params![active, now, stamp.to_string(), user_id],
        )?;
        changelog::record(&tx, &stamp, "users", user_id, Op::Upsert, &json!({ "active": active }))?;
        if let Some(key_wrap) = &key_wrap {
            record_key_wrap(&tx, id, key_wrap, &now)?;
        }
        let (kind, action) = if active {
            (SecurityEventKind::UserReactivated, "user_reactivated")
        } else {
            (SecurityEventKind::UserDeactivated, "user_deactivated")
        };
        audit::security(
            &tx,
            &SecurityEvent { at: &now, kind, user_id: Some(id), lookup: None, device_id: device, detail: None },
        )?;
        audit::activity(
            &tx,
            &Activity {
                at: &now,
                user: Some(actor),
                device,
                action,
                entity: "user",
                entity_id: Some(user_id),
                details: None,
            },
        )?;
        let (previous, fresh) = swap_entry(&key_path, id, entry)?;
        self.key_file = Some(fresh);
        if let Err(e) = tx.commit() {
            self.key_file = Some(swap_entry(&key_path, id, previous)?.1);
            return Err(e.into());
        }
        self.user_dto(id)
    }

    /// An administrator sets a new password for someone who forgot theirs (this also lifts any lockout).
    pub fn reset_password(&mut self, user_id: &str, new_password: &str) -> CoreResult<UserDto> {
        let kdf = self.options.kdf;
        let key_path = self.files.key_file();
        let unlocked = require(&mut self.unlocked, self.options.idle_timeout, Action::UsersManage)?;
        let key_file = self.key_file.as_mut().ok_or(CoreError::NotInitialized)?;
        let id = Uuid::parse_str(user_id).map_err(|_| CoreError::NotFound)?;
        let (user, active) = read_user(unlocked.store.conn(), id)?.ok_or(CoreError::NotFound)?;
        if !active {
            return Err(CoreError::NotFound);
        }
        let mut errors = Vec::new();
        validate::password("password", new_password, &[&user.name, &user.email], &mut errors);
        check(errors)?;
        let lookups = vec![key_file.lookup(&user.email), key_file.lookup(&user.code)];
        let (entry, key_wrap) =
            wrap_password(unlocked.store.conn(), id, lookups, new_password, &unlocked.data_key, kdf)?;
        let actor = unlocked.user.id;
        let now = now_iso();
        let device = changelog::device_id(unlocked.store.conn())?;
        let tx = unlocked.store.transaction()?;
        if let Some(key_wrap) = &key_wrap {
            record_key_wrap(&tx, id, key_wrap, &now)?;
        }
        audit::security(
            &tx,
            &SecurityEvent {
                at: &now,
                kind: SecurityEventKind::PasswordReset,
                user_id: Some(id),
                lookup: None,
                device_id: device,
                detail: None,
            },
        )?;
        audit::activity(
            &tx,
            &Activity {
                at: &now,
                user: Some(actor),
                device,
                action: "password_reset",
                entity: "user",
                entity_id: Some(user_id),
                details: None,
            },
        )?;
        let (previous, fresh) = swap_entry(&key_path, id, Some(entry))?;
        self.key_file = Some(fresh);
        if let Err(e) = tx.commit() {
            self.key_file = Some(swap_entry(&key_path, id, previous)?.1);
            return Err(e.into());
        }
        self.user_dto(id)
    }

    /// Lifts a lockout before it ends by itself.
    pub fn unlock_user(&mut self, user_id: &str) -> CoreResult<UserDto> {
        let key_path = self.files.key_file();
        let unlocked = require(&mut self.unlocked, self.options.idle_timeout, Action::UsersManage)?;
        let id = Uuid::parse_str(user_id).map_err(|_| CoreError::NotFound)?;
        read_user(unlocked.store.conn(), id)?.ok_or(CoreError::NotFound)?;
        let actor = unlocked.user.id;
        let now = now_iso();
        let device = changelog::device_id(unlocked.store.conn())?;
        let tx = unlocked.store.transaction()?;
        audit::security(
            &tx,
            &SecurityEvent {
                at: &now,
                kind: SecurityEventKind::AccountUnlocked,
                user_id: Some(id),
                lookup: None,
                device_id: device,
                detail: None,
            },
        )?;
        audit::activity(
            &tx,
            &Activity {
                at: &now,
                user: Some(actor),
                device,
                action: "account_unlocked",
                entity: "user",
                entity_id: Some(user_id),
                details: None,
            },
        )?;
        tx.commit()?;
        let (_, fresh) = KeyFile::update(&key_path, |key_file| {
            if let Some(entry) = key_file.entry_for_user(id) {
                entry.unlock();
            }
            Ok(())
        })?;
        self.key_file = Some(fresh);
        self.user_dto(id)
    }

    pub fn list_security_log(&mut self, limit: u32) -> CoreResult<Vec<SecurityEventDto>> {
        let unlocked = self.require(Action::LogsView)?;
        audit::list_security(unlocked.store.conn(), limit.clamp(1, 10_000))
    }

    pub fn list_activity_log(&mut self, limit: u32) -> CoreResult<Vec<ActivityDto>> {
        let unlocked = self.require(Action::LogsView)?;
        audit::list_activity(unlocked.store.conn(), limit.clamp(1, 10_000), None)
    }

    /// How many entries each reference list holds.
    pub fn reference_summary(&mut self) -> CoreResult<Vec<ReferenceCount>> {
        let unlocked = self.require(Action::ReferenceView)?;
        SPECS
            .iter()
            .map(|spec| {
                let table = spec.table();
                let count: u32 =
                    unlocked.store.conn().query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?;
                Ok(ReferenceCount { list: table.trim_start_matches("ref_").to_owned(), count })
            })
            .collect()
    }

    /// The change log entries after `after`, for sync and for tests (requires an unlocked store).
    pub fn changes_since(&mut self, after: u64, limit: u32) -> CoreResult<Vec<changelog::Change>> {
        let unlocked = self.require(Action::SyncRun)?;
        changelog::since(unlocked.store.conn(), after, limit)
    }

    /// Checks the session and the role, and counts as activity. Every use case starts here.
    pub(crate) fn require(&mut self, action: Action) -> CoreResult<&mut Unlocked> {
        require(&mut self.unlocked, self.options.idle_timeout, action)
    }

    /// Checks the session and that the role may do any one of `actions` (photos: the registry or the gate).
    pub(crate) fn require_any(&mut self, actions: &[Action]) -> CoreResult<&mut Unlocked> {
        let denied = actions.first().copied().unwrap_or(Action::UsersManage);
        check_session(&mut self.unlocked, self.options.idle_timeout, Touch::Activity, denied, |role| {
            actions.iter().any(|a| role.allows(*a))
        })
    }

    /// Like [`Talento::require`] but not counted as activity: for work the app does on its own (the sync status in
    /// the header, automatic sync), so an unattended laptop still locks after its idle time.
    pub(crate) fn require_quietly(&mut self, action: Action) -> CoreResult<&mut Unlocked> {
        check_session(&mut self.unlocked, self.options.idle_timeout, Touch::Quiet, action, |role| role.allows(action))
    }

    pub(crate) fn close_session(&mut self, reason: Option<SecurityEventKind>) -> CoreResult<()> {
        let Some(mut session) = self.unlocked.take() else {
            return Ok(());
        };
        match reason {
            Some(kind) => record_session_end(&mut session, kind),
            None => Ok(()),
        }
    }

    fn session_dto(&self) -> CoreResult<SessionDto> {
        let unlocked = self.unlocked.as_ref().ok_or(CoreError::NotAuthenticated)?;
        let user = &unlocked.user;
        Ok(SessionDto {
            user_id: user.id.to_string(),
            name: user.name.clone(),
            email: user.email.clone(),
            code: user.code.clone(),
            role: user.role,
            permissions: user.role.permissions(),
            idle_timeout_secs: u32::try_from(self.options.idle_timeout.as_secs()).unwrap_or(u32::MAX),
        })
    }

    fn user_dto(&mut self, id: Uuid) -> CoreResult<UserDto> {
        let wanted = id.to_string();
        self.list_users()?.into_iter().find(|u| u.id == wanted).ok_or(CoreError::NotFound)
    }
}

/// Ends the session if it has been idle too long (recording why), or fails when nobody is logged in.
fn end_if_idle(unlocked: &mut Option<Unlocked>, idle_timeout: Duration) -> CoreResult<()> {
    let expired = match unlocked {
        None => return Err(CoreError::NotAuthenticated),
        Some(session) => session.last_activity.elapsed() > idle_timeout,
    };
    if expired {
        if let Some(mut session) = unlocked.take() {
            record_session_end(&mut session, SecurityEventKind::SessionExpired)?;
        }
        return Err(CoreError::SessionExpired);
    }
    Ok(())
}

fn record_session_end(session: &mut Unlocked, kind: SecurityEventKind) -> CoreResult<()> {
    let now = now_iso();
    let user_id = session.user.id;
    let device = changelog::device_id(session.store.conn())?;
    let tx = session.store.transaction()?;
    audit::security(
        &tx,
        &SecurityEvent { at: &now, kind, user_id: Some(user_id), lookup: None, device_id: device, detail: None },
    )?;
    tx.commit()?;
    Ok(())
}

/// The session check as a free function, so use cases can hold the unlocked store and the key file at once.
fn require(unlocked: &mut Option<Unlocked>, idle_timeout: Duration, action: Action) -> CoreResult<&mut Unlocked> {
    check_session(unlocked, idle_timeout, Touch::Activity, action, |role| role.allows(action))
}

/// Whether a call keeps the session alive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Touch {
    Activity,
    Quiet,
}

/// Ends an idle session, then asks `allowed` of the role (refusing with `denied`).
fn check_session(
    unlocked: &mut Option<Unlocked>,
    idle_timeout: Duration,
    touch: Touch,
    denied: Action,
    allowed: impl Fn(Role) -> bool,
) -> CoreResult<&mut Unlocked> {
    end_if_idle(unlocked, idle_timeout)?;
    let session = unlocked.as_mut().ok_or(CoreError::NotAuthenticated)?;
    if !allowed(session.user.role) {
        return Err(CoreError::Forbidden(denied));
    }
    if touch == Touch::Activity {
        session.last_activity = Instant::now();
    }
    Ok(session)
}

/// Inserts an account and logs every column other laptops need to make it (its `key_wrap` once enrolled).
fn insert_user(
    tx: &rusqlite::Transaction<'_>,
    user: &SessionUser,
    now: &str,
    key_wrap: Option<&str>,
) -> CoreResult<()> {
    let stamp = changelog::tick(tx, now_millis())?;
    tx.execute(
        "INSERT INTO users (id, code, name, email, role, active, created_at, updated_at, hlc, key_wrap)
         VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, ?6, ?7, ?8)",
        rusqlite::params![
            user.id.to_string(),
            user.code,
            user.name,
            user.email,
            user.role.as_str(),
            now,
            stamp.to_string(),
            key_wrap
        ],
    )?;
    let mut fields = json!({
        "code": user.code, "name": user.name, "email": user.email, "role": user.role.as_str(), "active": true,
        "created_at": now, "updated_at": now,
    });
    if let Some(key_wrap) = key_wrap {
        fields["key_wrap"] = json!(key_wrap);
    }
    changelog::record(tx, &stamp, "users", &user.id.to_string(), Op::Upsert, &fields)?;
    Ok(())
}

/// Sets an account's `key_wrap` and logs it, so the new password opens the agency's other laptops after a sync.
fn record_key_wrap(tx: &rusqlite::Transaction<'_>, user_id: Uuid, key_wrap: &str, now: &str) -> CoreResult<()> {
    let stamp = changelog::tick(tx, now_millis())?;
    let id = user_id.to_string();
    tx.execute(
        "UPDATE users SET key_wrap = ?1, updated_at = ?2, hlc = ?3 WHERE id = ?4",
        rusqlite::params![key_wrap, now, stamp.to_string(), id],
    )?;
    changelog::record(tx, &stamp, "users", &id, Op::Upsert, &json!({ "key_wrap": key_wrap, "updated_at": now }))?;
    Ok(())
}

/// What a password being set needs: the key-file entry that opens this laptop's data key with it, and — when this
/// laptop is enrolled (knows the agency key) — the synced `key_wrap` that opens the agency key with it, the entry
/// remembering which wrap it matches.
fn wrap_password(
    conn: &rusqlite::Connection,
    user_id: Uuid,
    lookups: Vec<String>,
    password: &str,
    data_key: &[u8; crypto::KEY_LEN],
    kdf: KdfParams,
) -> CoreResult<(WrappedKey, Option<String>)> {
    let mut entry = WrappedKey::wrap(user_id, lookups, password, data_key, kdf)?;
    let key_wrap =
        accounts::agency_key(conn)?.map(|key| accounts::new_key_wrap(user_id, password, &key, kdf)).transpose()?;
    entry.wrap_id = key_wrap.as_deref().map(crate::keyfile::wrap_id);
    Ok((entry, key_wrap))
}

fn read_user(conn: &rusqlite::Connection, id: Uuid) -> CoreResult<Option<(SessionUser, bool)>> {
    let row = conn
        .query_row("SELECT code, name, email, role, active FROM users WHERE id = ?1", [id.to_string()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, bool>(4)?,
            ))
        })
        .optional()?;
    row.map(|(code, name, email, role, active)| {
        let role = Role::parse(&role).ok_or_else(|| CoreError::StoreCorrupted(format!("role {role}")))?;
        Ok((SessionUser { id, code, name, email, role }, active))
    })
    .transpose()
}

fn email_taken(conn: &rusqlite::Connection, email: &str) -> CoreResult<bool> {
    Ok(conn.query_row("SELECT 1 FROM users WHERE email = ?1", [email], |_| Ok(())).optional()?.is_some())
}

fn code_taken(conn: &rusqlite::Connection, code: &str) -> CoreResult<bool> {
    Ok(conn.query_row("SELECT 1 FROM users WHERE code = ?1", [code], |_| Ok(())).optional()?.is_some())
}

fn active_admins(conn: &rusqlite::Connection) -> CoreResult<u32> {
    Ok(conn.query_row("SELECT count(*) FROM users WHERE role = 'admin' AND active = 1", [], |r| r.get(0))?)
}

/// Puts (or with `None` removes) one user's wrapped key in the key file on disk, under its lock. Returns the entry
/// that was there before, so a failed database commit can put it back.
fn swap_entry(path: &Path, user_id: Uuid, entry: Option<WrappedKey>) -> CoreResult<(Option<WrappedKey>, KeyFile)> {
    KeyFile::update(path, |key_file| {
        let previous = key_file.users.iter().find(|u| u.user_id == user_id).cloned();
        match entry {
            Some(entry) => key_file.put(entry),
            None => key_file.remove(user_id),
        }
        Ok(previous)
    })
}
