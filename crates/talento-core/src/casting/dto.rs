//! What the casting use cases take and give: productions, projects, shoot days, assignments (rosters and a talent's
//! project history), badges and their verification, signing keys.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use talento_domain::badge::BadgeRejection;
use talento_domain::casting::{ProductionType, ProjectStatus};

/// The production (company) form. Empty strings count as "not given".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", default)]
pub struct ProductionInput {
    pub name: String,
    /// A logo staged with `stage_logo` (its hash).
    pub logo: Option<String>,
    pub description: Option<String>,
    pub specialization: Option<String>,
    pub address: Option<String>,
    pub city: Option<String>,
    /// ISO-2.
    pub country: Option<String>,
    pub postal_code: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
    /// Network key (facebook, instagram, …) → profile URL.
    pub socials: BTreeMap<String, String>,
    pub founded_year: Option<u16>,
    pub ceo: Option<String>,
    pub employee_count: Option<u32>,
    pub notable_productions: Vec<String>,
    pub services: Vec<String>,
    pub equipment: Vec<String>,
    pub studios: Vec<String>,
    pub certifications: Vec<String>,
    pub memberships: Vec<String>,
    pub awards: Vec<String>,
    pub verified: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ProductionDto {
    pub id: String,
    pub name: String,
    /// The three letters its projects' codes carry.
    pub initials: String,
    pub logo: Option<String>,
    pub description: Option<String>,
    pub specialization: Option<String>,
    pub address: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub postal_code: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
    pub socials: BTreeMap<String, String>,
    pub founded_year: Option<u16>,
    pub ceo: Option<String>,
    pub employee_count: Option<u32>,
    pub notable_productions: Vec<String>,
    pub services: Vec<String>,
    pub equipment: Vec<String>,
    pub studios: Vec<String>,
    pub certifications: Vec<String>,
    pub memberships: Vec<String>,
    pub awards: Vec<String>,
    pub verified: bool,
    pub active: bool,
    pub project_count: u32,
    pub created_at: String,
    pub updated_at: String,
}

/// The project form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", default)]
pub struct ProjectInput {
    pub name: String,
    pub production_type: Option<ProductionType>,
    pub production_id: String,
    /// ISO-2; the code's first two letters.
    pub origin_country: String,
    /// Shooting locations, free text ("Dakar – Plateau", "Saint-Louis").
    pub locations: Vec<String>,
    /// `YYYY-MM-DD`.
    pub start_date: String,
    /// `YYYY-MM-DD`, on or after the start.
    pub end_date: String,
    /// Defaults to preparation.
    pub status: Option<ProjectStatus>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ProjectDto {
    pub id: String,
    /// `CCIIISSS`.
    pub code: String,
    pub code_provisional: bool,
    pub name: String,
    pub production_type: ProductionType,
    pub production_id: String,
    pub production_name: String,
    pub production_logo: Option<String>,
    pub origin_country: String,
    pub locations: Vec<String>,
    pub start_date: String,
    pub end_date: String,
    pub status: ProjectStatus,
    pub description: Option<String>,
    pub archived: bool,
    /// Talents on the roster now.
    pub talent_count: u32,
    pub shoot_day_count: u32,
    pub created_at: String,
    pub updated_at: String,
}

/// Which projects to list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", default)]
pub struct ProjectFilter {
    pub include_archived: bool,
    pub production_id: Option<String>,
    /// Words of the name or code, accents ignored.
    pub text: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", default)]
pub struct ShootDayInput {
    /// `YYYY-MM-DD`.
    pub day: String,
    /// `HH:MM`, 24-hour.
    pub call_time: String,
    pub location: Option<String>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ShootDayDto {
    pub id: String,
    pub project_id: String,
    pub day: String,
    pub call_time: String,
    pub location: Option<String>,
    pub notes: Option<String>,
}

/// Casting several talents into a project at once, all with the same type and role.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", default)]
pub struct AssignInput {
    pub talent_ids: Vec<String>,
    /// A key of the cinema talent types list (lead_actor, extra, …).
    pub talent_type: String,
    pub role: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AssignOutcome {
    /// Newly cast, or cast again after a removal.
    pub assigned: Vec<AssignmentDto>,
    /// Already on the roster: left as they were.
    pub already_assigned: Vec<AssignmentDto>,
}

/// The current badge of an assignment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct BadgeSummary {
    pub id: String,
    pub short_code: String,
    pub valid_from: String,
    pub valid_until: String,
    pub issued_at: String,
}

/// One line of a project's roster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AssignmentDto {
    pub id: String,
    /// `CCIIISSSNNN`.
    pub code: String,
    pub code_provisional: bool,
    pub project_id: String,
    pub talent_id: String,
    pub talent_code: String,
    pub first_name: String,
    pub last_name: String,
    pub photo: Option<String>,
    pub photo_thumb: Option<String>,
    pub talent_type: String,
    pub role: Option<String>,
    pub active: bool,
    pub badge: Option<BadgeSummary>,
    pub created_at: String,
}

/// One project in a talent's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct TalentProjectDto {
    pub assignment_id: String,
    pub assignment_code: String,
    pub project_id: String,
    pub project_code: String,
    pub project_name: String,
    pub production_name: String,
    pub production_type: ProductionType,
    pub start_date: String,
    pub end_date: String,
    pub status: ProjectStatus,
    pub talent_type: String,
    pub role: Option<String>,
    pub active: bool,
}

/// Paper for badges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum BadgePaper {
    /// A4 sheets of four 95 × 135 mm badges with cut marks.
    A4,
    /// One 54 × 86 mm card per page, for card printers.
    Card,
}

/// A badge PDF written to disk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct BadgeFile {
    pub path: String,
    pub badges: u32,
    pub pages: u32,
}

/// What a scanned or typed token proves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct BadgeCheck {
    pub valid: bool,
    pub rejection: Option<BadgeRejection>,
    /// In the user's language: what it proves or why it fails.
    pub message: String,
    pub key_id: Option<u16>,
    pub talent_id: Option<String>,
    pub project_id: Option<String>,
    pub valid_from: Option<String>,
    pub valid_until: Option<String>,
    pub short_code: Option<String>,
    /// Known on this laptop (a talent registered elsewhere and not synced yet is still valid, just unnamed).
    pub talent_code: Option<String>,
    pub talent_name: Option<String>,
    pub talent_photo: Option<String>,
    pub project_code: Option<String>,
    pub project_name: Option<String>,
    /// Whether the talent is on the project's roster on this laptop (None when the project is unknown here).
    pub on_roster: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SigningKeyDto {
    pub key_id: u16,
    /// Hex.
    pub public_key: String,
    /// Whether this laptop holds the secret half (and so can sign).
    pub can_sign: bool,
    /// The key new badges are signed with.
    pub current: bool,
    pub created_at: String,
    pub retired_at: Option<String>,
    pub revoked_at: Option<String>,
}
