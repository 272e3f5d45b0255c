//! REST API v1 bodies under `/api/v1`, for people and tools rather than laptops: a user logs in with e-mail and
//! password and sends the returned token as `Authorization: Bearer …`. Lists are paginated with
//! `?page=` (from 1) and `?per_page=` (at most [`MAX_PER_PAGE`]) and come back as [`Page`].

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use uuid::Uuid;

pub const DEFAULT_PER_PAGE: u32 = 50;
pub const MAX_PER_PAGE: u32 = 200;

/// `POST /api/v1/auth/login`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginResponse {
    pub token: String,
    /// RFC 3339.
    pub expires_at: String,
    pub user: User,
}

/// A server account (`GET /api/v1/users`, `GET /api/v1/users/{id}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: Uuid,
    pub agency_id: Uuid,
    pub name: String,
    pub email: String,
    /// `admin`, `recruiter`, `presence` or `talent`.
    pub role: String,
    pub active: bool,
    pub created_at: String,
}

/// An enrolled laptop, as administrators see it (`GET /api/v1/devices`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Device {
    pub id: Uuid,
    /// The name given at enrollment ("Portable plateau 2").
    pub name: String,
    pub enrolled_at: String,
    /// Its last sync call, if any.
    pub last_seen_at: Option<String>,
    /// Set once revoked: its next contact wipes its personal data.
    pub revoked_at: Option<String>,
    /// How many of its changes the server holds with no gap (its log's contiguous seq).
    pub changes_received: u64,
}

/// `POST /api/v1/users`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewUser {
    pub name: String,
    pub email: String,
    pub role: String,
    pub password: String,
}

/// Pagination parameters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageQuery {
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// One page of a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub page: u32,
    pub per_page: u32,
    /// How many items the whole list has.
    pub total: u64,
}

/// `GET /api/v1/talents` filters (with [`PageQuery`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TalentFilter {
    /// Matches the code, first or last name (case-insensitive, anywhere in the text).
    pub q: Option<String>,
    /// `general` or `cinema`.
    pub kind: Option<String>,
    /// Residence country, ISO-2.
    pub country: Option<String>,
    /// Residence city code (3 letters).
    pub city: Option<String>,
    /// `M`, `F` or `N`.
    pub gender: Option<String>,
}

/// A talent profile as the laptops synced it: its id and its fields (the personal ones,
/// `talento_domain::talent::PERSONAL_FIELDS`, only for roles allowed to see personal data).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Talent {
    pub id: String,
    #[serde(flatten)]
    pub fields: Map<String, Value>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Country {
    pub iso2: String,
    pub name_fr: String,
    pub name_en: String,
    pub nationality_fr: String,
    pub nationality_en: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct City {
    pub country_iso2: String,
    pub code: String,
    pub name_fr: String,
    pub name_en: String,
}

/// `GET /api/v1/cities?country=` (with [`PageQuery`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CityFilter {
    pub country: Option<String>,
}

/// `GET /api/v1/stats`: the agency at a glance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    pub talents: u64,
    pub talents_general: u64,
    pub talents_cinema: u64,
    pub talents_erased: u64,
    pub scan_events: u64,
    pub users: u64,
    pub devices: u64,
    pub devices_revoked: u64,
    pub changes: u64,
    pub set_aside: u64,
}
