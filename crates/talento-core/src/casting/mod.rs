//! Casting: productions (companies), their projects and shoot days, and the talents cast into projects. Every write
//! is one transaction that also appends to the change log (through [`crate::rows::save`]) and the activity log.
//! Project and assignment codes come from the same lease-based allocator as talent codes.

pub mod badges;
pub mod dto;

use jiff::civil::{Date, Time};
use rusqlite::{Connection, OptionalExtension, Row, Transaction};
use serde_json::{Map, Value, json};
use talento_domain::Action;
use talento_domain::casting::{self, ProductionType, ProjectStatus};
use talento_domain::talent;
use talento_domain::text::{fold, tidy};
use talento_domain::validate::{self, FieldError, FieldProblem};
use uuid::Uuid;

use self::dto::{
    AssignInput, AssignOutcome, AssignmentDto, BadgeSummary, ProductionDto, ProductionInput, ProjectDto, ProjectFilter,
    ProjectInput, ShootDayDto, ShootDayInput, TalentProjectDto,
};
use crate::audit::{self, Activity};
use crate::changelog;
use crate::codes;
use crate::engine::{Talento, now_iso};
use crate::error::{ConflictReason, CoreError, CoreResult, check};
use crate::rows::{self, Saved};

const LIST_MAX_ITEMS: usize = 50;
const LIST_ITEM_MAX_LEN: usize = 200;

fn opt_text(raw: &Option<String>) -> Option<String> {
    raw.as_deref().map(tidy).filter(|s| !s.is_empty())
}

fn bounded(field: &'static str, raw: &Option<String>, max: usize, errors: &mut Vec<FieldError>) -> Value {
    // Multi-line text keeps its line breaks; only surrounding space goes.
    let value = raw.as_deref().map(str::trim).filter(|s| !s.is_empty());
    if value.is_some_and(|v| v.chars().count() > max) {
        errors.push(FieldError::new(field, FieldProblem::TooLong { max }));
    }
    json!(value)
}

fn short(field: &'static str, raw: &Option<String>, max: usize, errors: &mut Vec<FieldError>) -> Value {
    let value = opt_text(raw);
    if value.as_ref().is_some_and(|v| v.chars().count() > max) {
        errors.push(FieldError::new(field, FieldProblem::TooLong { max }));
    }
    json!(value)
}

fn text_list(field: &'static str, raw: &[String], errors: &mut Vec<FieldError>) -> Value {
    let mut items: Vec<String> = Vec::new();
    for item in raw.iter().map(|s| tidy(s)).filter(|s| !s.is_empty()) {
        if item.chars().count() > LIST_ITEM_MAX_LEN {
            errors.push(FieldError::new(field, FieldProblem::TooLong { max: LIST_ITEM_MAX_LEN }));
        }
        if !items.iter().any(|i| fold(i) == fold(&item)) {
            items.push(item);
        }
    }
    if items.len() > LIST_MAX_ITEMS {
        errors.push(FieldError::new(field, FieldProblem::TooMany { max: LIST_MAX_ITEMS }));
    }
    json!(items)
}

fn exists(conn: &Connection, sql: &str, param: &str) -> CoreResult<bool> {
    Ok(conn.prepare_cached(sql)?.query_row([param], |_| Ok(())).optional()?.is_some())
}

fn parse_date(field: &'static str, raw: &str, errors: &mut Vec<FieldError>) -> Option<Date> {
    let raw = raw.trim();
    if raw.is_empty() {
        errors.push(FieldError::new(field, FieldProblem::Required));
        return None;
    }
    match parse_day(raw) {
        Some(date) if (2000..=2100).contains(&date.year()) => Some(date),
        Some(_) => {
            errors.push(FieldError::new(field, FieldProblem::OutOfRange { min: 2000, max: 2100 }));
            None
        }
        None => {
            errors.push(FieldError::new(field, FieldProblem::InvalidDate));
            None
        }
    }
}

/// A day as people type it: `2026-12-03` or `03/12/2026`. Forms and presence read dates with this one parser.
pub(crate) fn parse_day(raw: &str) -> Option<Date> {
    let raw = raw.trim();
    if let Ok(d) = raw.parse::<Date>() {
        return Some(d);
    }
    let mut parts = raw.split('/');
    let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 {
        return None;
    }
    Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok()
}

/// Validates the production form into its columns.
fn production_fields(conn: &Connection, input: &ProductionInput, today: Date) -> CoreResult<Map<String, Value>> {
    let mut errors = Vec::new();
    let mut row = Map::new();
    let name = validate::name("name", &input.name, &mut errors);
    row.insert("name_key".into(), json!(fold(&name)));
    row.insert("initials".into(), json!(casting::production_initials(&name)));
    row.insert("name".into(), json!(name));
    let logo = opt_text(&input.logo);
    if let Some(hash) = &logo
        && !exists(conn, "SELECT 1 FROM attachments WHERE hash = ?1 AND kind = 'logo'", hash)?
    {
        errors.push(FieldError::new("logo", FieldProblem::MissingFile));
    }
    row.insert("logo".into(), json!(logo));
    row.insert("description".into(), bounded("description", &input.description, 4000, &mut errors));
    row.insert("specialization".into(), short("specialization", &input.specialization, 200, &mut errors));
    row.insert("address".into(), bounded("address", &input.address, 300, &mut errors));
    row.insert("city".into(), short("city", &input.city, 120, &mut errors));
    let country = opt_text(&input.country).map(|c| c.to_uppercase());
    if let Some(c) = &country
        && !exists(conn, "SELECT 1 FROM ref_countries WHERE iso2 = ?1", c)?
    {
        errors.push(FieldError::new("country", FieldProblem::UnknownValue));
    }
    row.insert("country".into(), json!(country));
    row.insert("postal_code".into(), short("postalCode", &input.postal_code, 20, &mut errors));
    let phone = opt_text(&input.phone).and_then(|p| match talent::phone_e164(&p, country.as_deref().unwrap_or("SN")) {
        Some(e164) => Some(e164),
        None => {
            errors.push(FieldError::new("phone", FieldProblem::InvalidPhone));
            None
        }
    });
    row.insert("phone".into(), json!(phone));
    let email = opt_text(&input.email).map(|e| validate::email("email", &e, &mut errors));
    row.insert("email".into(), json!(email));
    let website = opt_text(&input.website);
    if website.as_deref().is_some_and(|w| !talent::is_web_url(w)) {
        errors.push(FieldError::new("website", FieldProblem::InvalidUrl));
    }
    row.insert("website".into(), json!(website));
    let mut socials = std::collections::BTreeMap::new();
    for (network, raw) in &input.socials {
        let value = tidy(raw);
        if value.is_empty() {
            continue;
        }
        let handle_ok = value.len() <= 64
            && value.trim_start_matches('@').chars().all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c));
        if !talent::SOCIAL_NETWORKS.contains(&network.as_str()) {
            errors.push(FieldError::new("socials", FieldProblem::UnknownValue));
        } else if !talent::is_web_url(&value) && !handle_ok {
            errors.push(FieldError::new("socials", FieldProblem::InvalidUrl));
        }
        socials.insert(network.clone(), value);
    }
    row.insert("socials".into(), json!(socials));
    let year_now = i64::from(today.year());
    if let Some(year) = input.founded_year
        && !(1850..=year_now).contains(&i64::from(year))
    {
        errors.push(FieldError::new("foundedYear", FieldProblem::OutOfRange { min: 1850, max: year_now }));
    }
    row.insert("founded_year".into(), json!(input.founded_year));
    row.insert("ceo".into(), short("ceo", &input.ceo, 120, &mut errors));
    if let Some(n) = input.employee_count
        && n > 1_000_000
    {
        errors.push(FieldError::new("employeeCount", FieldProblem::OutOfRange { min: 0, max: 1_000_000 }));
    }
    row.insert("employee_count".into(), json!(input.employee_count));
    for (field, column, raw) in [
        ("notableProductions", "notable_productions", &input.notable_productions),
        ("services", "services", &input.services),
        ("equipment", "equipment", &input.equipment),
        ("studios", "studios", &input.studios),
        ("certifications", "certifications", &input.certifications),
        ("memberships", "memberships", &input.memberships),
        ("awards", "awards", &input.awards),
    ] {
        row.insert(column.into(), text_list(field, raw, &mut errors));
    }
    row.insert("verified".into(), json!(input.verified));
    check(errors)?;
    Ok(row)
}

/// Validates the project form into its columns (code and archive flag excluded).
fn project_fields(conn: &Connection, input: &ProjectInput) -> CoreResult<Map<String, Value>> {
    let mut errors = Vec::new();
    let mut row = Map::new();
    let name = validate::name("name", &input.name, &mut errors);
    row.insert("name_key".into(), json!(fold(&name)));
    row.insert("name".into(), json!(name));
    match input.production_type {
        Some(t) => {
            row.insert("production_type".into(), json!(t.as_str()));
        }
        None => errors.push(FieldError::new("productionType", FieldProblem::Required)),
    }
    let production = input.production_id.trim();
    if production.is_empty() {
        errors.push(FieldError::new("productionId", FieldProblem::Required));
    } else if !exists(conn, "SELECT 1 FROM productions WHERE id = ?1 AND active = 1", production)? {
        errors.push(FieldError::new("productionId", FieldProblem::UnknownValue));
    }
    row.insert("production_id".into(), json!(production));
    let country = input.origin_country.trim().to_uppercase();
    if country.is_empty() {
        errors.push(FieldError::new("originCountry", FieldProblem::Required));
    } else if !exists(conn, "SELECT 1 FROM ref_countries WHERE iso2 = ?1", &country)? {
        errors.push(FieldError::new("originCountry", FieldProblem::UnknownValue));
    }
    row.insert("origin_country".into(), json!(country));
    row.insert("locations".into(), text_list("locations", &input.locations, &mut errors));
    let start = parse_date("startDate", &input.start_date, &mut errors);
    let end = parse_date("endDate", &input.end_date, &mut errors);
    if let (Some(s), Some(e)) = (start, end)
        && e < s
    {
        errors.push(FieldError::new("endDate", FieldProblem::RangeInverted));
    }
    row.insert("start_date".into(), json!(start.map(|d| d.to_string())));
    row.insert("end_date".into(), json!(end.map(|d| d.to_string())));
    row.insert("status".into(), json!(input.status.unwrap_or(ProjectStatus::Preparation).as_str()));
    row.insert("description".into(), bounded("description", &input.description, 4000, &mut errors));
    check(errors)?;
    Ok(row)
}

/// A time of day as people type it: `07:30`, `7:30`, `7h30`, `7h`.
pub(crate) fn parse_call_time(raw: &str) -> Option<Time> {
    let lower = raw.trim().to_lowercase();
    let (h, m) = match lower.split_once([':', 'h']) {
        Some((h, m)) => (h, if m.is_empty() { "0" } else { m }),
        None => (lower.as_str(), "0"),
    };
    let valid = |s: &str, len: usize| !s.is_empty() && s.len() <= len && s.bytes().all(|b| b.is_ascii_digit());
    if !valid(h, 2) || !valid(m, 2) {
        return None;
    }
    Time::new(h.parse().ok()?, m.parse().ok()?, 0, 0).ok()
}

/// Appends one line to the activity log, by this laptop's device, in the caller's transaction.
pub(crate) fn log(
    tx: &Transaction<'_>,
    actor: Uuid,
    action: &str,
    entity: &str,
    id: &str,
    details: Option<Value>,
) -> CoreResult<()> {
    let now = now_iso();
    audit::activity(
        tx,
        &Activity {
            at: &now,
            user: Some(actor),
            device: changelog::device_id(tx)?,
            action,
            entity,
            entity_id: Some(id),
            details,
        },
    )
}

fn json_list(text: Option<String>) -> Vec<String> {
    text.and_then(|t| serde_json::from_str(&t).ok()).unwrap_or_default()
}

const PRODUCTION_COLUMNS: &str = "p.id, p.name, p.initials, p.logo, p.description, p.specialization, p.address, p.city,
    p.country, p.postal_code, p.phone, p.email, p.website, p.socials, p.founded_year, p.ceo, p.employee_count,
    p.notable_productions, p.services, p.equipment, p.studios, p.certifications, p.memberships, p.awards, p.verified,
    p.active, p.created_at, p.updated_at,
    (SELECT count(*) FROM projects j WHERE j.production_id = p.id AND j.archived = 0)";

fn production_row(r: &Row<'_>) -> rusqlite::Result<ProductionDto> {
    Ok(ProductionDto {
        id: r.get(0)?,
        name: r.get(1)?,
        initials: r.get(2)?,
        logo: r.get(3)?,
        description: r.get(4)?,
        specialization: r.get(5)?,
        address: r.get(6)?,
        city: r.get(7)?,
        country: r.get(8)?,
        postal_code: r.get(9)?,
        phone: r.get(10)?,
        email: r.get(11)?,
        website: r.get(12)?,
        socials: r.get::<_, String>(13).ok().and_then(|t| serde_json::from_str(&t).ok()).unwrap_or_default(),
        founded_year: r.get(14)?,
        ceo: r.get(15)?,
        employee_count: r.get(16)?,
        notable_productions: json_list(r.get(17)?),
        services: json_list(r.get(18)?),
        equipment: json_list(r.get(19)?),
        studios: json_list(r.get(20)?),
        certifications: json_list(r.get(21)?),
        memberships: json_list(r.get(22)?),
        awards: json_list(r.get(23)?),
        verified: r.get(24)?,
        active: r.get(25)?,
        created_at: r.get(26)?,
        updated_at: r.get(27)?,
        project_count: r.get(28)?,
    })
}

const PROJECT_COLUMNS: &str = "j.id, j.code, j.code_provisional, j.name, j.production_type, j.production_id, p.name,
    p.logo, j.origin_country, j.locations, j.start_date, j.end_date, j.status, j.description, j.archived,
    (SELECT count(*) FROM assignments a WHERE a.project_id = j.id AND a.active = 1),
    (SELECT count(*) FROM shoot_days d WHERE d.project_id = j.id), j.created_at, j.updated_at";

fn project_row(r: &Row<'_>) -> rusqlite::Result<ProjectDto> {
    let bad = |i: usize, s: &str| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, format!("unknown value {s}").into())
    };
    let kind: String = r.get(4)?;
    let status: String = r.get(12)?;
    Ok(ProjectDto {
        id: r.get(0)?,
        code: r.get(1)?,
        code_provisional: r.get(2)?,
        name: r.get(3)?,
        production_type: ProductionType::parse(&kind).ok_or_else(|| bad(4, &kind))?,
        production_id: r.get(5)?,
        production_name: r.get(6)?,
        production_logo: r.get(7)?,
        origin_country: r.get(8)?,
        locations: json_list(r.get(9)?),
        start_date: r.get(10)?,
        end_date: r.get(11)?,
        status: ProjectStatus::parse(&status).ok_or_else(|| bad(12, &status))?,
        description: r.get(13)?,
        archived: r.get(14)?,
        talent_count: r.get(15)?,
        shoot_day_count: r.get(16)?,
        created_at: r.get(17)?,
        updated_at: r.get(18)?,
    })
}

/// A project by id or code.
pub(crate) fn load_project(conn: &Connection, id_or_code: &str) -> CoreResult<ProjectDto> {
    let sql = format!(
        "SELECT {PROJECT_COLUMNS} FROM projects j JOIN productions p ON p.id = j.production_id
         WHERE j.id = ?1 OR j.code = ?1"
    );
    conn.prepare_cached(&sql)?.query_row([id_or_code.trim()], project_row).optional()?.ok_or(CoreError::NotFound)
}

fn load_production(conn: &Connection, id: &str) -> CoreResult<ProductionDto> {
    let sql = format!("SELECT {PRODUCTION_COLUMNS} FROM productions p WHERE p.id = ?1");
    conn.query_row(&sql, [id], production_row).optional()?.ok_or(CoreError::NotFound)
}

const ASSIGNMENT_COLUMNS: &str = "a.id, a.code, a.code_provisional, a.project_id, a.talent_id, t.code, t.first_name,
    t.last_name, t.photo, (SELECT thumb FROM attachments WHERE hash = t.photo), a.talent_type, a.role, a.active,
    a.created_at, b.id, b.short_code, b.valid_from, b.valid_until, b.created_at";

const ASSIGNMENT_FROM: &str = "assignments a JOIN talents t ON t.id = a.talent_id
    LEFT JOIN badges b ON b.assignment_id = a.id AND b.revoked_at IS NULL";

fn assignment_row(r: &Row<'_>) -> rusqlite::Result<AssignmentDto> {
    let badge_id: Option<String> = r.get(14)?;
    Ok(AssignmentDto {
        id: r.get(0)?,
        code: r.get(1)?,
        code_provisional: r.get(2)?,
        project_id: r.get(3)?,
        talent_id: r.get(4)?,
        talent_code: r.get(5)?,
        first_name: r.get(6)?,
        last_name: r.get(7)?,
        photo: r.get(8)?,
        photo_thumb: r.get(9)?,
        talent_type: r.get(10)?,
        role: r.get(11)?,
        active: r.get(12)?,
        created_at: r.get(13)?,
        badge: match badge_id {
            Some(id) => Some(BadgeSummary {
                id,
                short_code: r.get(15)?,
                valid_from: r.get(16)?,
                valid_until: r.get(17)?,
                issued_at: r.get(18)?,
            }),
            None => None,
        },
    })
}

fn load_assignment(conn: &Connection, id: &str) -> CoreResult<AssignmentDto> {
    let sql = format!("SELECT {ASSIGNMENT_COLUMNS} FROM {ASSIGNMENT_FROM} WHERE a.id = ?1 OR a.code = ?1");
    conn.query_row(&sql, [id], assignment_row).optional()?.ok_or(CoreError::NotFound)
}

fn today() -> Date {
    jiff::Zoned::now().date()
}

/// A project that may be changed (or scanned for): it must exist and not be archived.
pub(crate) fn edit_project_guard(conn: &Connection, id_or_code: &str) -> CoreResult<ProjectDto> {
    let project = load_project(conn, id_or_code)?;
    if project.archived {
        return Err(CoreError::Conflict(ConflictReason::ProjectArchived));
    }
    Ok(project)
}

fn validate_talent_type(conn: &Connection, raw: &str, errors: &mut Vec<FieldError>) -> CoreResult<String> {
    let key = raw.trim().to_owned();
    if key.is_empty() {
        errors.push(FieldError::new("talentType", FieldProblem::Required));
    } else if !exists(conn, "SELECT 1 FROM ref_cinema_talent_types WHERE key = ?1", &key)? {
        errors.push(FieldError::new("talentType", FieldProblem::UnknownValue));
    }
    Ok(key)
}

impl Talento {
    // ----- Productions -------------------------------------------------------------------------------------------

    pub fn create_production(&mut self, input: ProductionInput) -> CoreResult<ProductionDto> {
        let unlocked = self.require(Action::CinemaManage)?;
        let fields = production_fields(unlocked.store.conn(), &input, today())?;
        let actor = unlocked.user.id;
        let id = Uuid::now_v7().to_string();
        let tx = unlocked.store.transaction()?;
        rows::save(&tx, "productions", &id, &fields, Some(actor), &now_iso())?;
        log(&tx, actor, "production_created", "production", &id, None)?;
        tx.commit()?;
        load_production(unlocked.store.conn(), &id)
    }

    pub fn update_production(&mut self, id: &str, input: ProductionInput) -> CoreResult<ProductionDto> {
        let unlocked = self.require(Action::CinemaManage)?;
        let current = load_production(unlocked.store.conn(), id)?;
        let mut fields = production_fields(unlocked.store.conn(), &input, today())?;
        // The initials are in the codes of every project already made: they never change with the name.
        fields.insert("initials".into(), json!(current.initials));
        let actor = unlocked.user.id;
        let tx = unlocked.store.transaction()?;
        if let Saved::Updated(_) = rows::save(&tx, "productions", id, &fields, Some(actor), &now_iso())? {
            log(&tx, actor, "production_updated", "production", id, None)?;
        }
        tx.commit()?;
        load_production(unlocked.store.conn(), id)
    }

    /// Deactivated productions stay on their projects but are not offered for new ones.
    pub fn set_production_active(&mut self, id: &str, active: bool) -> CoreResult<ProductionDto> {
        let unlocked = self.require(Action::CinemaManage)?;
        load_production(unlocked.store.conn(), id)?;
        let actor = unlocked.user.id;
        let tx = unlocked.store.transaction()?;
        let mut fields = Map::new();
        fields.insert("active".into(), json!(active));
        if let Saved::Updated(_) = rows::save(&tx, "productions", id, &fields, Some(actor), &now_iso())? {
            let action = if active { "production_reactivated" } else { "production_deactivated" };
            log(&tx, actor, action, "production", id, None)?;
        }
        tx.commit()?;
        load_production(unlocked.store.conn(), id)
    }

    pub fn get_production(&mut self, id: &str) -> CoreResult<ProductionDto> {
        let unlocked = self.require(Action::TalentsView)?;
        load_production(unlocked.store.conn(), id)
    }

    /// Productions by name; inactive ones only when asked.
    pub fn list_productions(&mut self, include_inactive: bool) -> CoreResult<Vec<ProductionDto>> {
        let unlocked = self.require(Action::TalentsView)?;
        let sql = format!(
            "SELECT {PRODUCTION_COLUMNS} FROM productions p WHERE ?1 OR p.active = 1 ORDER BY p.name_key, p.id"
        );
        let conn = unlocked.store.conn();
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map([include_inactive], production_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    // ----- Projects ----------------------------------------------------------------------------------------------

    pub fn create_project(&mut self, input: ProjectInput) -> CoreResult<ProjectDto> {
        let unlocked = self.require(Action::CinemaManage)?;
        let fields = project_fields(unlocked.store.conn(), &input)?;
        let production = load_production(unlocked.store.conn(), input.production_id.trim())?;
        let actor = unlocked.user.id;
        let now = now_iso();
        let id = Uuid::now_v7().to_string();
        let country = fields["origin_country"].as_str().unwrap_or_default().to_owned();
        let tx = unlocked.store.transaction()?;
        let scope = casting::project_scope(&country, &production.initials);
        let code = loop {
            let code = casting::project_code(&country, &production.initials, codes::next_number(&tx, &scope, &now)?);
            if tx.query_row("SELECT 1 FROM projects WHERE code = ?1", [&code], |_| Ok(())).optional()?.is_none() {
                break code;
            }
        };
        let mut fields = fields;
        fields.insert("code".into(), json!(code));
        rows::save(&tx, "projects", &id, &fields, Some(actor), &now)?;
        log(&tx, actor, "project_created", "project", &id, Some(json!({ "code": code })))?;
        tx.commit()?;
        load_project(unlocked.store.conn(), &id)
    }

    /// Saves changes to a project. Its code never changes, even when its country or production does.
    pub fn update_project(&mut self, id: &str, input: ProjectInput) -> CoreResult<ProjectDto> {
        let unlocked = self.require(Action::CinemaManage)?;
        let current = edit_project_guard(unlocked.store.conn(), id)?;
        let fields = project_fields(unlocked.store.conn(), &input)?;
        let actor = unlocked.user.id;
        let now = now_iso();
        let tx = unlocked.store.transaction()?;
        if let Saved::Updated(_) = rows::save(&tx, "projects", &current.id, &fields, Some(actor), &now)? {
            log(&tx, actor, "project_updated", "project", &current.id, None)?;
        }
        tx.commit()?;
        load_project(unlocked.store.conn(), &current.id)
    }

    /// Archived projects leave the lists and take no new cast or badges; their history stays.
    pub fn set_project_archived(&mut self, id: &str, archived: bool) -> CoreResult<ProjectDto> {
        let unlocked = self.require(Action::CinemaManage)?;
        let current = load_project(unlocked.store.conn(), id)?;
        let actor = unlocked.user.id;
        let tx = unlocked.store.transaction()?;
        let mut fields = Map::new();
        fields.insert("archived".into(), json!(archived));
        if let Saved::Updated(_) = rows::save(&tx, "projects", &current.id, &fields, Some(actor), &now_iso())? {
            let action = if archived { "project_archived" } else { "project_unarchived" };
            log(&tx, actor, action, "project", &current.id, None)?;
        }
        tx.commit()?;
        load_project(unlocked.store.conn(), &current.id)
    }

    pub fn get_project(&mut self, id_or_code: &str) -> CoreResult<ProjectDto> {
        let unlocked = self.require(Action::PresenceView)?;
        load_project(unlocked.store.conn(), id_or_code)
    }

    /// Projects, soonest first (running and coming ones before finished ones).
    pub fn list_projects(&mut self, filter: &ProjectFilter) -> CoreResult<Vec<ProjectDto>> {
        let unlocked = self.require(Action::PresenceView)?;
        let sql = format!(
            "SELECT {PROJECT_COLUMNS} FROM projects j JOIN productions p ON p.id = j.production_id
             WHERE (?1 OR j.archived = 0) AND (?2 IS NULL OR j.production_id = ?2)
             ORDER BY j.status IN ('finished', 'cancelled'), j.start_date DESC, j.code"
        );
        let conn = unlocked.store.conn();
        let mut stmt = conn.prepare(&sql)?;
        let words: Vec<String> =
            filter.text.as_deref().map(fold).unwrap_or_default().split_whitespace().map(str::to_owned).collect();
        let rows = stmt.query_map(rusqlite::params![filter.include_archived, filter.production_id], project_row)?;
        let mut out = Vec::new();
        for project in rows {
            let project = project?;
            let haystack = fold(&format!("{} {} {}", project.name, project.code, project.production_name));
            if words.iter().all(|w| haystack.contains(w.as_str())) {
                out.push(project);
            }
        }
        Ok(out)
    }

    // ----- Shoot days --------------------------------------------------------------------------------------------

    /// Adds a shoot day or changes its call time, location or notes.
    pub fn set_shoot_day(&mut self, project: &str, input: ShootDayInput) -> CoreResult<ShootDayDto> {
        let unlocked = self.require(Action::CinemaManage)?;
        let project = edit_project_guard(unlocked.store.conn(), project)?;
        let mut errors = Vec::new();
        let day = parse_date("day", &input.day, &mut errors);
        let call = input.call_time.trim();
        let call_time = if call.is_empty() {
            errors.push(FieldError::new("callTime", FieldProblem::Required));
            None
        } else {
            match parse_call_time(call) {
                Some(t) => Some(format!("{:02}:{:02}", t.hour(), t.minute())),
                None => {
                    errors.push(FieldError::new("callTime", FieldProblem::InvalidTime));
                    None
                }
            }
        };
        let location = short("location", &input.location, 200, &mut errors);
        let notes = bounded("notes", &input.notes, 1000, &mut errors);
        check(errors)?;
        let (Some(day), Some(call_time)) = (day, call_time) else {
            return Err(CoreError::Internal("validated shoot day without a value".into()));
        };
        let id = format!("{}:{day}", project.id);
        let mut fields = Map::new();
        fields.insert("project_id".into(), json!(project.id));
        fields.insert("day".into(), json!(day.to_string()));
        fields.insert("call_time".into(), json!(call_time));
        fields.insert("location".into(), location);
        fields.insert("notes".into(), notes);
        let actor = unlocked.user.id;
        let tx = unlocked.store.transaction()?;
        if rows::save(&tx, "shoot_days", &id, &fields, Some(actor), &now_iso())? != Saved::Unchanged {
            log(&tx, actor, "shoot_day_saved", "project", &project.id, Some(json!({ "day": day.to_string() })))?;
        }
        tx.commit()?;
        let days = shoot_days(unlocked.store.conn(), &project.id)?;
        days.into_iter().find(|d| d.id == id).ok_or(CoreError::NotFound)
    }

    pub fn remove_shoot_day(&mut self, project: &str, day: &str) -> CoreResult<()> {
        let unlocked = self.require(Action::CinemaManage)?;
        let project = edit_project_guard(unlocked.store.conn(), project)?;
        let id = format!("{}:{}", project.id, day.trim());
        let actor = unlocked.user.id;
        let tx = unlocked.store.transaction()?;
        if tx.execute("DELETE FROM shoot_days WHERE id = ?1", [&id])? == 0 {
            return Err(CoreError::NotFound);
        }
        let stamp = changelog::tick(&tx, crate::engine::now_millis())?;
        changelog::record(&tx, &stamp, "shoot_days", &id, changelog::Op::Delete, &json!({}))?;
        log(&tx, actor, "shoot_day_removed", "project", &project.id, Some(json!({ "day": day.trim() })))?;
        tx.commit()?;
        Ok(())
    }

    pub fn list_shoot_days(&mut self, project: &str) -> CoreResult<Vec<ShootDayDto>> {
        let unlocked = self.require(Action::PresenceView)?;
        let project = load_project(unlocked.store.conn(), project)?;
        shoot_days(unlocked.store.conn(), &project.id)
    }

    // ----- Assignments -------------------------------------------------------------------------------------------

    /// Casts talents into a project (one or many from the search results). Talents already on the roster are left
    /// as they are and reported; a talent removed earlier comes back with their old assignment code.
    pub fn assign_talents(&mut self, project: &str, input: AssignInput) -> CoreResult<AssignOutcome> {
        let unlocked = self.require(Action::CinemaManage)?;
        let conn = unlocked.store.conn();
        let project = edit_project_guard(conn, project)?;
        let mut errors = Vec::new();
        let talent_type = validate_talent_type(conn, &input.talent_type, &mut errors)?;
        let role = short("role", &input.role, 200, &mut errors);
        if input.talent_ids.is_empty() {
            errors.push(FieldError::new("talentIds", FieldProblem::Required));
        }
        if input.talent_ids.len() > 1000 {
            errors.push(FieldError::new("talentIds", FieldProblem::TooMany { max: 1000 }));
        }
        check(errors)?;
        let mut talent_ids: Vec<String> = Vec::new();
        for raw in &input.talent_ids {
            let id: Option<String> = conn
                .query_row(
                    "SELECT id FROM talents WHERE (id = ?1 OR code = ?1) AND erased_at IS NULL AND active = 1",
                    [raw.trim()],
                    |r| r.get(0),
                )
                .optional()?;
            let id = id.ok_or(CoreError::NotFound)?;
            if !talent_ids.contains(&id) {
                talent_ids.push(id);
            }
        }
        let actor = unlocked.user.id;
        let now = now_iso();
        let tx = unlocked.store.transaction()?;
        let mut assigned = Vec::new();
        let mut already = Vec::new();
        let scope = casting::assignment_scope(&project.id);
        for talent_id in &talent_ids {
            let id = format!("{}:{talent_id}", project.id);
            let existing: Option<bool> =
                tx.query_row("SELECT active FROM assignments WHERE id = ?1", [&id], |r| r.get(0)).optional()?;
            let mut fields = Map::new();
            match existing {
                Some(true) => {
                    already.push(id);
                    continue;
                }
                Some(false) => {
                    fields.insert("active".into(), json!(true));
                    fields.insert("removed_at".into(), Value::Null);
                }
                None => {
                    let code = loop {
                        let code = casting::assignment_code(&project.code, codes::next_number(&tx, &scope, &now)?);
                        if tx
                            .query_row("SELECT 1 FROM assignments WHERE code = ?1", [&code], |_| Ok(()))
                            .optional()?
                            .is_none()
                        {
                            break code;
                        }
                    };
                    fields.insert("code".into(), json!(code));
                    fields.insert("project_id".into(), json!(project.id));
                    fields.insert("talent_id".into(), json!(talent_id));
                    fields.insert("active".into(), json!(true));
                }
            }
            fields.insert("talent_type".into(), json!(talent_type));
            fields.insert("role".into(), role.clone());
            rows::save(&tx, "assignments", &id, &fields, Some(actor), &now)?;
            log(&tx, actor, "talent_assigned", "talent", talent_id, Some(json!({ "project": project.code })))?;
            assigned.push(id);
        }
        tx.commit()?;
        let conn = unlocked.store.conn();
        Ok(AssignOutcome {
            assigned: assigned.iter().map(|id| load_assignment(conn, id)).collect::<CoreResult<_>>()?,
            already_assigned: already.iter().map(|id| load_assignment(conn, id)).collect::<CoreResult<_>>()?,
        })
    }

    /// Changes a cast talent's type or role. Their badge shows the new ones the next time it is printed.
    pub fn update_assignment(
        &mut self,
        assignment: &str,
        talent_type: &str,
        role: Option<String>,
    ) -> CoreResult<AssignmentDto> {
        let unlocked = self.require(Action::CinemaManage)?;
        let current = load_assignment(unlocked.store.conn(), assignment)?;
        edit_project_guard(unlocked.store.conn(), &current.project_id)?;
        let mut errors = Vec::new();
        let talent_type = validate_talent_type(unlocked.store.conn(), talent_type, &mut errors)?;
        let role = short("role", &role, 200, &mut errors);
        check(errors)?;
        let mut fields = Map::new();
        fields.insert("talent_type".into(), json!(talent_type));
        fields.insert("role".into(), role);
        let actor = unlocked.user.id;
        let tx = unlocked.store.transaction()?;
        if let Saved::Updated(_) = rows::save(&tx, "assignments", &current.id, &fields, Some(actor), &now_iso())? {
            log(&tx, actor, "assignment_updated", "talent", &current.talent_id, None)?;
        }
        tx.commit()?;
        load_assignment(unlocked.store.conn(), &current.id)
    }

    /// Takes a talent off a project's roster. Their badge for it is revoked at once, so it no longer opens the gate.
    pub fn unassign_talent(&mut self, assignment: &str) -> CoreResult<AssignmentDto> {
        let unlocked = self.require(Action::CinemaManage)?;
        let current = load_assignment(unlocked.store.conn(), assignment)?;
        edit_project_guard(unlocked.store.conn(), &current.project_id)?;
        let actor = unlocked.user.id;
        let now = now_iso();
        let tx = unlocked.store.transaction()?;
        let mut fields = Map::new();
        fields.insert("active".into(), json!(false));
        fields.insert("removed_at".into(), json!(now));
        rows::save(&tx, "assignments", &current.id, &fields, Some(actor), &now)?;
        badges::revoke_for_assignment(&tx, &current.id, "unassigned", actor, &now)?;
        log(&tx, actor, "talent_unassigned", "talent", &current.talent_id, None)?;
        tx.commit()?;
        load_assignment(unlocked.store.conn(), &current.id)
    }

    /// A project's roster by last name; removed talents only when asked.
    pub fn project_roster(&mut self, project: &str, include_removed: bool) -> CoreResult<Vec<AssignmentDto>> {
        let unlocked = self.require(Action::PresenceView)?;
        let conn = unlocked.store.conn();
        let project = load_project(conn, project)?;
        roster(conn, &project.id, include_removed)
    }

    /// Every project a talent was cast into, newest first.
    pub fn talent_projects(&mut self, talent: &str) -> CoreResult<Vec<TalentProjectDto>> {
        let unlocked = self.require(Action::TalentsView)?;
        let conn = unlocked.store.conn();
        let talent_id: String = conn
            .query_row("SELECT id FROM talents WHERE id = ?1 OR code = ?1", [talent], |r| r.get(0))
            .optional()?
            .ok_or(CoreError::NotFound)?;
        let mut stmt = conn.prepare(
            "SELECT a.id, a.code, j.id, j.code, j.name, p.name, j.production_type, j.start_date, j.end_date, j.status,
                    a.talent_type, a.role, a.active
             FROM assignments a JOIN projects j ON j.id = a.project_id JOIN productions p ON p.id = j.production_id
             WHERE a.talent_id = ?1 ORDER BY j.start_date DESC, j.code",
        )?;
        let rows = stmt.query_map([talent_id], |r| {
            let kind: String = r.get(6)?;
            let status: String = r.get(9)?;
            Ok(TalentProjectDto {
                assignment_id: r.get(0)?,
                assignment_code: r.get(1)?,
                project_id: r.get(2)?,
                project_code: r.get(3)?,
                project_name: r.get(4)?,
                production_name: r.get(5)?,
                production_type: ProductionType::parse(&kind).unwrap_or(ProductionType::Other),
                start_date: r.get(7)?,
                end_date: r.get(8)?,
                status: ProjectStatus::parse(&status).unwrap_or(ProjectStatus::Preparation),
                talent_type: r.get(10)?,
                role: r.get(11)?,
                active: r.get(12)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

pub(crate) fn shoot_days(conn: &Connection, project_id: &str) -> CoreResult<Vec<ShootDayDto>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, project_id, day, call_time, location, notes FROM shoot_days WHERE project_id = ?1 ORDER BY day",
    )?;
    let rows = stmt.query_map([project_id], |r| {
        Ok(ShootDayDto {
            id: r.get(0)?,
            project_id: r.get(1)?,
            day: r.get(2)?,
            call_time: r.get(3)?,
            location: r.get(4)?,
            notes: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(crate) fn roster(conn: &Connection, project_id: &str, include_removed: bool) -> CoreResult<Vec<AssignmentDto>> {
    let sql = format!(
        "SELECT {ASSIGNMENT_COLUMNS} FROM {ASSIGNMENT_FROM} WHERE a.project_id = ?1 AND (?2 OR a.active = 1)
         ORDER BY a.active DESC, t.name_key, a.code"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(rusqlite::params![project_id, include_removed], assignment_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn call_times_read_as_people_type_them() {
        for (typed, expected) in
            [("07:30", "07:30"), ("7:30", "07:30"), ("7h30", "07:30"), ("6h", "06:00"), ("18H05", "18:05")]
        {
            let t = parse_call_time(typed).unwrap_or_else(|| panic!("{typed} is a time"));
            assert_eq!(format!("{:02}:{:02}", t.hour(), t.minute()), expected);
        }
        for typed in ["", "25:00", "7:60", "seven", "7:3:0", "-1:00"] {
            assert!(parse_call_time(typed).is_none(), "{typed:?} is not a time");
        }
    }

    #[test]
    fn days_read_in_both_ways_people_write_them() {
        assert_eq!(parse_day("2026-12-03"), Some(jiff::civil::date(2026, 12, 3)));
        assert_eq!(parse_day(" 03/12/2026 "), Some(jiff::civil::date(2026, 12, 3)));
        assert_eq!(parse_day("3/1/2027"), Some(jiff::civil::date(2027, 1, 3)));
        for bad in ["", "31/02/2026", "12/2026", "03/12/26", "demain"] {
            assert_eq!(parse_day(bad), None, "{bad:?} is not a day");
        }
    }
}
