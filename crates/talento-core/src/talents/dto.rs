//! What the registry's use cases take and give: the input of the registration wizard, the full profile, list rows
//! and the search query.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use talento_domain::talent::{Gender, TalentKind};

/// A film, series or play a cinema talent worked on (entered by hand).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ProductionCredit {
    pub title: String,
    pub year: Option<u16>,
    pub role: Option<String>,
}

/// Everything the registration and edit forms send. Empty strings count as "not given".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", default)]
pub struct TalentInput {
    pub kind: Option<TalentKind>,
    pub first_name: String,
    pub last_name: String,
    pub gender: Option<Gender>,
    /// `YYYY-MM-DD`.
    pub birth_date: String,
    pub nationality: Option<String>,
    pub origin_country: String,
    pub origin_city: String,
    pub residence_country: String,
    pub residence_city: String,
    pub residence_city_other: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub whatsapp: Option<String>,
    pub address: Option<String>,
    pub passport_number: Option<String>,
    pub residence_card_number: Option<String>,
    pub id_document_type: Option<String>,
    pub id_document_number: Option<String>,
    pub bio: Option<String>,
    pub years_experience: Option<u16>,
    pub availability: Option<String>,
    pub work_mode: Option<String>,
    pub rate_min: Option<u32>,
    pub rate_max: Option<u32>,
    pub education: Option<String>,
    pub portfolio_url: Option<String>,
    pub website: Option<String>,
    pub socials: BTreeMap<String, String>,
    pub languages: Vec<String>,
    /// Talent keys (general) or cinema skill keys (cinema) from the reference lists.
    pub skills: Vec<String>,
    pub talent_types: Vec<String>,
    pub ethnicities: Vec<String>,
    pub productions: Vec<ProductionCredit>,
    pub eye_color: Option<String>,
    pub hair_color: Option<String>,
    pub hair_type: Option<String>,
    pub skin_tone: Option<String>,
    pub build: Option<String>,
    pub height_cm: Option<u16>,
    pub weight_kg: Option<u16>,
    /// Hashes of files staged earlier (`stage_photo`, `stage_cv`).
    pub photo: Option<String>,
    pub id_photo: Option<String>,
    pub cv: Option<String>,
    pub gallery: Vec<String>,
    /// The talent agreed to the consent text shown (required to register).
    pub consent: bool,
    /// Save even though possible duplicates were shown.
    pub confirm_duplicates: bool,
}

/// Contact, address and identity data: only for roles allowed to see personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PersonalData {
    pub email: Option<String>,
    pub phone: Option<String>,
    pub whatsapp: Option<String>,
    pub address: Option<String>,
    pub passport_number: Option<String>,
    pub residence_card_number: Option<String>,
    pub id_document_type: Option<String>,
    pub id_document_number: Option<String>,
    pub id_photo: Option<String>,
}

/// A whole profile, as the profile page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct TalentDto {
    pub id: String,
    pub kind: TalentKind,
    pub code: String,
    pub code_provisional: bool,
    pub first_name: String,
    pub last_name: String,
    pub gender: Gender,
    pub birth_date: String,
    pub age: Option<i16>,
    pub nationality: Option<String>,
    pub origin_country: String,
    pub origin_city: String,
    pub residence_country: String,
    pub residence_city: String,
    pub residence_city_other: Option<String>,
    pub personal: Option<PersonalData>,
    pub bio: Option<String>,
    pub years_experience: Option<u16>,
    pub availability: Option<String>,
    pub work_mode: Option<String>,
    pub rate_min: Option<u32>,
    pub rate_max: Option<u32>,
    pub currency: Option<String>,
    pub education: Option<String>,
    pub portfolio_url: Option<String>,
    pub website: Option<String>,
    pub socials: BTreeMap<String, String>,
    pub languages: Vec<String>,
    pub skills: Vec<String>,
    pub talent_types: Vec<String>,
    pub ethnicities: Vec<String>,
    pub productions: Vec<ProductionCredit>,
    pub eye_color: Option<String>,
    pub hair_color: Option<String>,
    pub hair_type: Option<String>,
    pub skin_tone: Option<String>,
    pub build: Option<String>,
    pub height_cm: Option<u16>,
    pub weight_kg: Option<u16>,
    pub photo: Option<String>,
    pub cv: Option<String>,
    pub cv_kind: Option<String>,
    pub gallery: Vec<String>,
    pub consent_version: Option<String>,
    pub consent_at: Option<String>,
    pub active: bool,
    pub erased: bool,
    pub created_at: String,
    pub updated_at: String,
    /// 0–100.
    pub completeness: u8,
    /// Field names (camelCase) that would raise the completeness.
    pub missing: Vec<String>,
}

/// One row of the talent list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct TalentListItem {
    pub id: String,
    pub kind: TalentKind,
    pub code: String,
    pub code_provisional: bool,
    pub first_name: String,
    pub last_name: String,
    pub gender: Gender,
    pub age: Option<i16>,
    pub residence_country: String,
    pub residence_city: String,
    pub residence_city_other: Option<String>,
    pub photo: Option<String>,
    pub has_cv: bool,
    pub active: bool,
    pub skills: Vec<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum TalentSort {
    /// Best text match first when there is text, else by name.
    #[default]
    Relevance,
    Name,
    Code,
    Newest,
}

/// The list's filters. Every field is optional; they combine with AND.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", default)]
pub struct TalentQuery {
    pub text: Option<String>,
    pub kind: Option<TalentKind>,
    /// `tag:category_key`, e.g. `general:music`.
    pub category: Option<String>,
    /// `tag:key`, e.g. `general:singing` or `cinema:stage_combat`.
    pub skill: Option<String>,
    pub talent_type: Option<String>,
    pub origin_country: Option<String>,
    pub origin_city: Option<String>,
    pub residence_country: Option<String>,
    pub residence_city: Option<String>,
    pub gender: Option<Gender>,
    pub age_min: Option<u16>,
    pub age_max: Option<u16>,
    pub languages: Vec<String>,
    pub availability: Option<String>,
    pub eye_color: Option<String>,
    pub hair_color: Option<String>,
    pub hair_type: Option<String>,
    pub skin_tone: Option<String>,
    pub build: Option<String>,
    pub has_photo: Option<bool>,
    pub has_cv: Option<bool>,
    pub include_inactive: bool,
    pub sort: TalentSort,
    pub offset: u32,
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct TalentPage {
    pub total: u32,
    pub items: Vec<TalentListItem>,
}

/// A profile that looks like the one being saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct DuplicateCandidate {
    pub id: String,
    pub code: String,
    pub first_name: String,
    pub last_name: String,
    pub birth_date: String,
    /// `name_and_birth_date`, `phone` or `email`.
    pub reasons: Vec<String>,
}

/// Saving either succeeds or stops to show possible duplicates (save again with `confirmDuplicates`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum SaveOutcome {
    Saved { talent: Box<TalentDto> },
    PossibleDuplicates { candidates: Vec<DuplicateCandidate> },
}
