//! What the core hands to the desktop UI and the CLI: plain serialisable records, camelCase on the wire, with
//! TypeScript types generated from them (`ui/src/lib/bindings.ts`).

use serde::{Deserialize, Serialize};
use talento_domain::{Action, Locale, Role};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SessionDto {
    pub user_id: String,
    pub name: String,
    pub email: String,
    pub code: String,
    pub role: Role,
    pub permissions: Vec<Action>,
    pub idle_timeout_secs: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AppStatus {
    pub initialized: bool,
    pub agency_name: Option<String>,
    pub locale: Locale,
    pub session: Option<SessionDto>,
    pub version: String,
    pub data_dir: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct FirstRunInput {
    pub agency_name: String,
    pub admin_name: String,
    pub admin_email: String,
    pub password: String,
    pub password_confirm: String,
    pub locale: Locale,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct NewUserInput {
    pub name: String,
    pub email: String,
    pub role: Role,
    pub password: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct UserDto {
    pub id: String,
    pub code: String,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub active: bool,
    /// Temporarily locked after repeated failed logins.
    pub locked: bool,
    pub created_at: String,
    pub last_login_at: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum SecurityEventKind {
    LoginSucceeded,
    LoginFailed,
    AccountLocked,
    AccountUnlocked,
    Logout,
    SessionExpired,
    PasswordChanged,
    PasswordReset,
    UserCreated,
    UserDeactivated,
    UserReactivated,
}

impl SecurityEventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SecurityEventKind::LoginSucceeded => "login_succeeded",
            SecurityEventKind::LoginFailed => "login_failed",
            SecurityEventKind::AccountLocked => "account_locked",
            SecurityEventKind::AccountUnlocked => "account_unlocked",
            SecurityEventKind::Logout => "logout",
            SecurityEventKind::SessionExpired => "session_expired",
            SecurityEventKind::PasswordChanged => "password_changed",
            SecurityEventKind::PasswordReset => "password_reset",
            SecurityEventKind::UserCreated => "user_created",
            SecurityEventKind::UserDeactivated => "user_deactivated",
            SecurityEventKind::UserReactivated => "user_reactivated",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        serde_json::from_value(serde_json::Value::String(s.to_owned())).ok()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SecurityEventDto {
    pub id: i64,
    pub at: String,
    pub kind: SecurityEventKind,
    pub user_name: Option<String>,
    pub device_id: String,
    pub detail: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ActivityDto {
    pub id: i64,
    pub at: String,
    pub user_name: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<String>,
    pub device_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ReferenceCount {
    pub list: String,
    pub count: u32,
}
