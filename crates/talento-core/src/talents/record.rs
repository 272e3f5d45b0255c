//! From a [`TalentInput`] to the row that is stored: every field validated against its rule and the reference
//! lists, normalised (tidied names, E.164 phones, upper-case ID numbers), cinema-only fields dropped for general
//! talents, and the whole thing as a column → value map that the writer, the change log and the diff share.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use rusqlite::{Connection, OptionalExtension};
use serde_json::{Value, json};
use talento_domain::talent::{self, SOCIAL_NETWORKS, TalentKind};
use talento_domain::text::{fold, tidy};
use talento_domain::validate::{self, FieldError, FieldProblem};

use super::dto::TalentInput;
use crate::error::CoreResult;

/// Column name → stored value (JSON null, number, string, or a JSON array/object stored as text).
pub type Record = BTreeMap<&'static str, Value>;

pub const ID_DOCUMENT_TYPES: [&str; 5] = ["passport", "national_id", "residence_card", "driving_licence", "other"];
pub const MAX_GALLERY: usize = 10;

fn exists(conn: &Connection, sql: &str, params: &[&str]) -> CoreResult<bool> {
    Ok(conn.prepare_cached(sql)?.query_row(rusqlite::params_from_iter(params), |_| Ok(())).optional()?.is_some())
}

fn opt_text(raw: &Option<String>) -> Option<String> {
    raw.as_deref().map(tidy).filter(|s| !s.is_empty())
}

/// Validates everything and returns the row, or every field error at once.
pub fn build(
    conn: &Connection,
    input: &TalentInput,
    today: Date,
    creating: bool,
) -> CoreResult<Result<Record, Vec<FieldError>>> {
    let mut errors = Vec::new();
    let mut row = Record::new();
    let kind = match input.kind {
        Some(kind) => kind,
        None => {
            errors.push(FieldError::new("kind", FieldProblem::Required));
            TalentKind::General
        }
    };
    row.insert("kind", json!(kind.as_str()));
    let first = validate::name("firstName", &input.first_name, &mut errors);
    let last = validate::name("lastName", &input.last_name, &mut errors);
    // Last name first: lists sort the way casting sheets do.
    row.insert("name_key", json!(fold(&format!("{last} {first}"))));
    row.insert("first_name", json!(first));
    row.insert("last_name", json!(last));
    match input.gender {
        Some(g) => row.insert("gender", json!(g.as_str())),
        None => {
            errors.push(FieldError::new("gender", FieldProblem::Required));
            None
        }
    };

    let birth = input.birth_date.trim();
    if birth.is_empty() {
        errors.push(FieldError::new("birthDate", FieldProblem::Required));
    } else {
        match birth.parse::<Date>() {
            Err(_) => errors.push(FieldError::new("birthDate", FieldProblem::InvalidDate)),
            Ok(date) if date > today => errors.push(FieldError::new("birthDate", FieldProblem::DateInFuture)),
            Ok(date) if talent::age_on(date, today) > 120 => {
                errors.push(FieldError::new("birthDate", FieldProblem::OutOfRange { min: 0, max: 120 }))
            }
            Ok(date) => {
                row.insert("birth_date", json!(date.to_string()));
            }
        }
    }

    let country_exists = |iso: &str| exists(conn, "SELECT 1 FROM ref_countries WHERE iso2 = ?1", &[iso]);
    let nationality = opt_text(&input.nationality).map(|s| s.to_uppercase());
    if let Some(n) = &nationality
        && !country_exists(n)?
    {
        errors.push(FieldError::new("nationality", FieldProblem::UnknownValue));
    }
    row.insert("nationality", json!(nationality));

    for (field_country, field_city, column_country, column_city, country_raw, city_raw) in [
        ("originCountry", "originCity", "origin_country", "origin_city", &input.origin_country, &input.origin_city),
        (
            "residenceCountry",
            "residenceCity",
            "residence_country",
            "residence_city",
            &input.residence_country,
            &input.residence_city,
        ),
    ] {
        let country = country_raw.trim().to_uppercase();
        let city = city_raw.trim().to_uppercase();
        if country.is_empty() {
            errors.push(FieldError::new(field_country, FieldProblem::Required));
        } else if !country_exists(&country)? {
            errors.push(FieldError::new(field_country, FieldProblem::UnknownValue));
        } else if city.is_empty() {
            errors.push(FieldError::new(field_city, FieldProblem::Required));
        } else if !exists(conn, "SELECT 1 FROM ref_cities WHERE country_iso2 = ?1 AND code = ?2", &[&country, &city])? {
            errors.push(FieldError::new(field_city, FieldProblem::UnknownValue));
        }
        row.insert(column_country, json!(country));
        row.insert(column_city, json!(city));
    }
    let residence_country = row["residence_country"].as_str().unwrap_or_default().to_owned();
    let other = opt_text(&input.residence_city_other);
    if row["residence_city"] == "VNL" {
        match &other {
            None => errors.push(FieldError::new("residenceCityOther", FieldProblem::Required)),
            Some(o) if o.chars().count() > 120 => {
                errors.push(FieldError::new("residenceCityOther", FieldProblem::TooLong { max: 120 }))
            }
            Some(_) => {}
        }
        row.insert("residence_city_other", json!(other));
    } else {
        row.insert("residence_city_other", Value::Null);
    }

    let email = opt_text(&input.email).map(|e| validate::email("email", &e, &mut errors));
    row.insert("email", json!(email));
    for (field, column, raw) in [("phone", "phone", &input.phone), ("whatsapp", "whatsapp", &input.whatsapp)] {
        let value = opt_text(raw).and_then(|p| match talent::phone_e164(&p, &residence_country) {
            Some(e164) => Some(e164),
            None => {
                errors.push(FieldError::new(field, FieldProblem::InvalidPhone));
                None
            }
        });
        row.insert(column, json!(value));
    }
    bounded_text(&mut row, &mut errors, "address", "address", &input.address, 300);
    for (field, column, raw) in [
        ("passportNumber", "passport_number", &input.passport_number),
        ("residenceCardNumber", "residence_card_number", &input.residence_card_number),
        ("idDocumentNumber", "id_document_number", &input.id_document_number),
    ] {
        let value = opt_text(raw).map(|s| s.to_uppercase().replace(' ', ""));
        if value.as_ref().is_some_and(|v| v.chars().count() > 40) {
            errors.push(FieldError::new(field, FieldProblem::TooLong { max: 40 }));
        }
        row.insert(column, json!(value));
    }
    let id_type = opt_text(&input.id_document_type);
    if id_type.as_deref().is_some_and(|t| !ID_DOCUMENT_TYPES.contains(&t)) {
        errors.push(FieldError::new("idDocumentType", FieldProblem::UnknownValue));
    }
    row.insert("id_document_type", json!(id_type));

    bounded_text(&mut row, &mut errors, "bio", "bio", &input.bio, 4000);
    bounded_text(&mut row, &mut errors, "education", "education", &input.education, 2000);
    if let Some(years) = input.years_experience
        && years > 80
    {
        errors.push(FieldError::new("yearsExperience", FieldProblem::OutOfRange { min: 0, max: 80 }));
    }
    row.insert("years_experience", json!(input.years_experience));
    for (field, column, table) in
        [("availability", "availability", "ref_availability"), ("workMode", "work_mode", "ref_work_modes")]
    {
        let raw = if column == "availability" { &input.availability } else { &input.work_mode };
        let value = opt_text(raw);
        if let Some(v) = &value
            && !exists(conn, &format!("SELECT 1 FROM {table} WHERE key = ?1"), &[v])?
        {
            errors.push(FieldError::new(field, FieldProblem::UnknownValue));
        }
        row.insert(column, json!(value));
    }
    if let (Some(min), Some(max)) = (input.rate_min, input.rate_max)
        && min > max
    {
        errors.push(FieldError::new("rateMax", FieldProblem::RangeInverted));
    }
    row.insert("rate_min", json!(input.rate_min));
    row.insert("rate_max", json!(input.rate_max));
    let currency: Option<String> = conn
        .query_row("SELECT currency FROM ref_currencies WHERE country_iso2 = ?1", [&residence_country], |r| r.get(0))
        .optional()?;
    // Countries without a listed currency quote rates in US dollars, the usual fallback in the trade.
    let has_rate = input.rate_min.is_some() || input.rate_max.is_some();
    row.insert("currency", json!(has_rate.then(|| currency.unwrap_or_else(|| "USD".to_owned()))));

    for (field, column, raw) in
        [("portfolioUrl", "portfolio_url", &input.portfolio_url), ("website", "website", &input.website)]
    {
        let value = opt_text(raw);
        if value.as_deref().is_some_and(|v| !talent::is_web_url(v)) {
            errors.push(FieldError::new(field, FieldProblem::InvalidUrl));
        }
        row.insert(column, json!(value));
    }
    let mut socials = BTreeMap::new();
    for (network, raw) in &input.socials {
        let value = tidy(raw);
        if value.is_empty() {
            continue;
        }
        let handle_ok = value.len() <= 64
            && value.trim_start_matches('@').chars().all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c));
        if !SOCIAL_NETWORKS.contains(&network.as_str()) {
            errors.push(FieldError::new("socials", FieldProblem::UnknownValue));
        } else if !talent::is_web_url(&value) && !handle_ok {
            errors.push(FieldError::new("socials", FieldProblem::InvalidUrl));
        }
        socials.insert(network.clone(), value);
    }
    row.insert("socials", json!(socials));

    let languages = keys_in(
        conn,
        &input.languages,
        "SELECT 1 FROM ref_languages WHERE key = ?1",
        &[],
        "languages",
        20,
        &mut errors,
    )?;
    row.insert("languages", json!(languages));
    let tag = kind.as_str();
    let skills = keys_in(
        conn,
        &input.skills,
        "SELECT 1 FROM ref_talents WHERE key = ?1 AND tag = ?2",
        &[tag],
        "skills",
        30,
        &mut errors,
    )?;
    row.insert("skills", json!(skills));

    let cinema = kind == TalentKind::Cinema;
    let types = if cinema {
        keys_in(
            conn,
            &input.talent_types,
            "SELECT 1 FROM ref_cinema_talent_types WHERE key = ?1",
            &[],
            "talentTypes",
            13,
            &mut errors,
        )?
    } else {
        Vec::new()
    };
    row.insert("talent_types", json!(types));
    let mut ethnicities = Vec::new();
    if cinema {
        for e in input.ethnicities.iter().map(|e| tidy(e)).filter(|e| !e.is_empty()) {
            if e.chars().count() > 60 {
                errors.push(FieldError::new("ethnicities", FieldProblem::TooLong { max: 60 }));
            } else if !ethnicities.contains(&e) {
                ethnicities.push(e);
            }
        }
        if ethnicities.len() > 10 {
            errors.push(FieldError::new("ethnicities", FieldProblem::TooMany { max: 10 }));
        }
    }
    row.insert("ethnicities", json!(ethnicities));
    let mut productions = Vec::new();
    if cinema {
        let max_year = i64::from(today.year()) + 2;
        for p in &input.productions {
            let title = tidy(&p.title);
            if title.is_empty() {
                errors.push(FieldError::new("productions", FieldProblem::Required));
                continue;
            }
            if title.chars().count() > 200 {
                errors.push(FieldError::new("productions", FieldProblem::TooLong { max: 200 }));
            }
            if let Some(year) = p.year
                && !(1900..=max_year).contains(&i64::from(year))
            {
                errors.push(FieldError::new("productions", FieldProblem::OutOfRange { min: 1900, max: max_year }));
            }
            productions.push(json!({ "title": title, "year": p.year, "role": opt_text(&p.role) }));
        }
        if productions.len() > 50 {
            errors.push(FieldError::new("productions", FieldProblem::TooMany { max: 50 }));
        }
    }
    row.insert("productions", json!(productions));

    for (field, column, raw) in [
        ("eyeColor", "eye_color", &input.eye_color),
        ("hairColor", "hair_color", &input.hair_color),
        ("hairType", "hair_type", &input.hair_type),
        ("skinTone", "skin_tone", &input.skin_tone),
        ("build", "build", &input.build),
    ] {
        let value = if cinema { opt_text(raw) } else { None };
        if let Some(v) = &value
            && !exists(conn, "SELECT 1 FROM ref_physical_traits WHERE trait = ?1 AND key = ?2", &[column, v])?
        {
            errors.push(FieldError::new(field, FieldProblem::UnknownValue));
        }
        row.insert(column, json!(value));
    }
    for (field, column, value, min, max) in
        [("heightCm", "height_cm", input.height_cm, 40, 250), ("weightKg", "weight_kg", input.weight_kg, 5, 300)]
    {
        let value = if cinema { value } else { None };
        if let Some(v) = value
            && !(min..=max).contains(&i64::from(v))
        {
            errors.push(FieldError::new(field, FieldProblem::OutOfRange { min, max }));
        }
        row.insert(column, json!(value));
    }

    attachment(conn, &mut row, &mut errors, "photo", "photo", input.photo.as_deref(), "photo")?;
    attachment(conn, &mut row, &mut errors, "cv", "cv", input.cv.as_deref(), "cv")?;
    let id_photo = if cinema { input.id_photo.as_deref() } else { None };
    attachment(conn, &mut row, &mut errors, "idPhoto", "id_photo", id_photo, "id_photo")?;
    let mut gallery: Vec<String> = Vec::new();
    if cinema {
        for hash in &input.gallery {
            if !exists(conn, "SELECT 1 FROM attachments WHERE hash = ?1 AND kind = 'photo'", &[hash])? {
                errors.push(FieldError::new("gallery", FieldProblem::MissingFile));
            } else if !gallery.contains(hash) {
                gallery.push(hash.clone());
            }
        }
        if gallery.len() > MAX_GALLERY {
            errors.push(FieldError::new("gallery", FieldProblem::TooMany { max: MAX_GALLERY }));
        }
    }
    row.insert("gallery", json!(gallery));
    if creating && !input.consent {
        errors.push(FieldError::new("consent", FieldProblem::ConsentRequired));
    }
    Ok(if errors.is_empty() { Ok(row) } else { Err(errors) })
}

fn bounded_text(
    row: &mut Record,
    errors: &mut Vec<FieldError>,
    field: &'static str,
    column: &'static str,
    raw: &Option<String>,
    max: usize,
) {
    // Multi-line text keeps its line breaks; only surrounding space is trimmed.
    let value = raw.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    if value.as_ref().is_some_and(|v| v.chars().count() > max) {
        errors.push(FieldError::new(field, FieldProblem::TooLong { max }));
    }
    row.insert(column, json!(value));
}

fn keys_in(
    conn: &Connection,
    raw: &[String],
    sql: &str,
    extra: &[&str],
    field: &'static str,
    max: usize,
    errors: &mut Vec<FieldError>,
) -> CoreResult<Vec<String>> {
    let mut seen = BTreeSet::new();
    let mut keys = Vec::new();
    for key in raw.iter().map(|k| k.trim()).filter(|k| !k.is_empty()) {
        if !seen.insert(key.to_owned()) {
            continue;
        }
        let mut params = vec![key];
        params.extend_from_slice(extra);
        if !exists(conn, sql, &params)? {
            errors.push(FieldError::new(field, FieldProblem::UnknownValue));
            return Ok(keys);
        }
        keys.push(key.to_owned());
    }
    if keys.len() > max {
        errors.push(FieldError::new(field, FieldProblem::TooMany { max }));
    }
    Ok(keys)
}

#[allow(clippy::too_many_arguments)]
fn attachment(
    conn: &Connection,
    row: &mut Record,
    errors: &mut Vec<FieldError>,
    field: &'static str,
    column: &'static str,
    hash: Option<&str>,
    kind: &str,
) -> CoreResult<()> {
    let hash = hash.map(str::trim).filter(|h| !h.is_empty());
    if let Some(h) = hash
        && !exists(conn, "SELECT 1 FROM attachments WHERE hash = ?1 AND kind = ?2", &[h, kind])?
    {
        errors.push(FieldError::new(field, FieldProblem::MissingFile));
    }
    row.insert(column, json!(hash));
    if column == "cv" {
        let mime: Option<String> = match hash {
            Some(h) => conn.query_row("SELECT mime FROM attachments WHERE hash = ?1", [h], |r| r.get(0)).optional()?,
            None => None,
        };
        row.insert("cv_kind", json!(mime));
    }
    Ok(())
}

/// Columns holding JSON arrays or objects.
pub const JSON_COLUMNS: [&str; 7] =
    ["socials", "languages", "skills", "talent_types", "ethnicities", "productions", "gallery"];

/// An SQL value read back as the JSON value it was written from.
pub fn from_sql(column: &str, value: rusqlite::types::ValueRef<'_>) -> Value {
    use rusqlite::types::ValueRef;
    match value {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => json!(i),
        ValueRef::Real(f) => json!(f),
        ValueRef::Text(t) => {
            let s = String::from_utf8_lossy(t).into_owned();
            if JSON_COLUMNS.contains(&column) {
                serde_json::from_str(&s).unwrap_or(Value::Null)
            } else {
                Value::String(s)
            }
        }
        ValueRef::Blob(_) => Value::Null,
    }
}
