//! The talent registry's use cases: register (with a duplicate warning), edit, read, search, deactivate, erase,
//! drafts and history. Every write is one transaction that also issues the code, appends to the change log and the
//! activity log, and refreshes the search index. Contact, address and identity fields reach only roles allowed to
//! see personal data, and are never logged.

pub mod dto;
pub mod files;
pub mod index;
mod record;
mod search;

use std::collections::BTreeMap;

use jiff::civil::Date;
use rusqlite::{Connection, OptionalExtension, Transaction};
use serde_json::{Value, json};
use talento_domain::talent::{self, Gender, TalentKind};
use talento_domain::{Action, Locale};
use uuid::Uuid;

use self::dto::{
    DuplicateCandidate, PersonalData, ProductionCredit, SaveOutcome, TalentDto, TalentInput, TalentPage, TalentQuery,
};
use self::index::SearchIndex;
use self::record::{Record, from_sql};
use crate::attachments::Attachments;
use crate::audit::{self, Activity};
use crate::changelog::{self, Op};
use crate::codes;
use crate::dto::ActivityDto;
use crate::engine::{Talento, now_iso, now_millis};
use crate::error::{CoreError, CoreResult};
use crate::rows::to_sql;

/// The version of the consent text the registration wizard shows; stored with each profile.
pub const CONSENT_VERSION: &str = "2026-11-v1";

/// The consent text of [`CONSENT_VERSION`], in the user's language.
pub fn consent_text(locale: Locale) -> &'static str {
    match locale {
        Locale::Fr => {
            "J’accepte que l’agence enregistre mes informations (identité, coordonnées, photos, CV et caractéristiques \
             physiques) pour me proposer des rôles et des missions, qu’elle les partage avec les productions pour \
             lesquelles je suis retenu(e), et qu’elle les conserve tant que je reste inscrit(e). Je peux demander à \
             tout moment à consulter, corriger ou effacer mes données."
        }
        Locale::En => {
            "I agree that the agency records my information (identity, contact details, photos, CV and physical \
             traits) to offer me roles and assignments, shares it with the productions that select me, and keeps \
             it while I remain registered. I may ask at any time to see, correct or erase my data."
        }
    }
}

/// The consent text shown by the wizard, with the version stored when it is accepted.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
pub struct Consent {
    pub version: String,
    pub text: String,
}

impl Talento {
    pub fn consent(&self) -> Consent {
        Consent { version: CONSENT_VERSION.to_owned(), text: consent_text(self.locale()).to_owned() }
    }
}

fn today() -> Date {
    jiff::Zoned::now().date()
}

impl Talento {
    /// Registers a talent. Stops with the possible duplicates unless `confirm_duplicates` is set.
    pub fn register_talent(&mut self, input: TalentInput) -> CoreResult<SaveOutcome> {
        let unlocked = self.require(Action::TalentsEdit)?;
        let record = record::build(unlocked.store.conn(), &input, today(), true)?.map_err(CoreError::Validation)?;
        if !input.confirm_duplicates {
            let candidates = duplicates(unlocked.store.conn(), &record, None)?;
            if !candidates.is_empty() {
                return Ok(SaveOutcome::PossibleDuplicates { candidates });
            }
        }
        let actor = unlocked.user.id;
        let now = now_iso();
        let tx = unlocked.store.transaction()?;
        let (id, rowid) = insert(&tx, record, actor, &now)?;
        tx.commit()?;
        refresh_index(unlocked, &[rowid])?;
        let talent = self.talent_dto(&id)?;
        Ok(SaveOutcome::Saved { talent: Box::new(talent) })
    }

    /// Saves changes to a profile. The code never changes, whatever changed.
    pub fn update_talent(&mut self, id: &str, input: TalentInput) -> CoreResult<SaveOutcome> {
        let unlocked = self.require(Action::TalentsEdit)?;
        let (rowid, current) = load(unlocked.store.conn(), id)?.ok_or(CoreError::NotFound)?;
        if current.get("erased_at").is_some_and(|v| !v.is_null()) {
            return Err(CoreError::NotFound);
        }
        let mut input = input;
        input.kind = current.get("kind").and_then(Value::as_str).and_then(TalentKind::parse);
        let mut record =
            record::build(unlocked.store.conn(), &input, today(), false)?.map_err(CoreError::Validation)?;
        if !unlocked.user.role.allows(Action::PersonalDataView) {
            // This role was never shown the contact and ID fields, so what it sends for them means nothing:
            // keep what is stored instead of erasing it.
            for column in talent::PERSONAL_FIELDS {
                record.insert(column, current.get(column).cloned().unwrap_or(Value::Null));
            }
        }
        if !input.confirm_duplicates {
            let candidates = duplicates(unlocked.store.conn(), &record, Some(id))?;
            if !candidates.is_empty() {
                return Ok(SaveOutcome::PossibleDuplicates { candidates });
            }
        }
        let changed: Record = record.into_iter().filter(|(k, v)| current.get(k) != Some(v)).collect();
        if !changed.is_empty() {
            let actor = unlocked.user.id;
            let now = now_iso();
            let tx = unlocked.store.transaction()?;
            let stamp = changelog::tick(&tx, now_millis())?;
            let sets: Vec<String> = changed.keys().enumerate().map(|(i, k)| format!("{k} = ?{}", i + 1)).collect();
            let n = changed.len();
            let sql = format!(
                "UPDATE talents SET {}, updated_at = ?{}, hlc = ?{} WHERE id = ?{}",
                sets.join(", "),
                n + 1,
                n + 2,
                n + 3
            );
            let mut params: Vec<rusqlite::types::Value> = changed.values().map(to_sql).collect();
            params.extend([now.clone().into(), stamp.to_string().into(), id.to_owned().into()]);
            tx.execute(&sql, rusqlite::params_from_iter(params))?;
            let mut fields: serde_json::Map<String, Value> =
                changed.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect();
            // Every laptop shows the same "last changed" time once synced.
            fields.insert("updated_at".into(), json!(now));
            changelog::record(&tx, &stamp, "talents", id, Op::Upsert, &Value::Object(fields))?;
            let names: Vec<&str> = changed.keys().copied().collect();
            let device = stamp.device;
            audit::activity(
                &tx,
                &Activity {
                    at: &now,
                    user: Some(actor),
                    device,
                    action: "talent_updated",
                    entity: "talent",
                    entity_id: Some(id),
                    details: Some(json!({ "fields": names })),
                },
            )?;
            let (_, full) = load(&tx, id)?.ok_or(CoreError::NotFound)?;
            search::reindex(&tx, rowid, &full)?;
            tx.commit()?;
            refresh_index(unlocked, &[rowid])?;
        }
        let talent = self.talent_dto(id)?;
        Ok(SaveOutcome::Saved { talent: Box::new(talent) })
    }

    /// A profile by id or by code.
    pub fn get_talent(&mut self, id_or_code: &str) -> CoreResult<TalentDto> {
        self.require(Action::TalentsView)?;
        self.talent_dto(id_or_code)
    }

    pub fn search_talents(&mut self, query: &TalentQuery) -> CoreResult<TalentPage> {
        let unlocked = self.require(Action::TalentsView)?;
        let conn = unlocked.store.conn();
        let outdated = match &unlocked.search {
            Some(index) => index.outdated(conn)?,
            None => true,
        };
        if outdated {
            unlocked.search = Some(SearchIndex::build(conn)?);
        }
        let index = unlocked.search.as_ref().ok_or(CoreError::Internal("search index".into()))?;
        search::search(conn, index, query, today())
    }

    pub fn set_talent_active(&mut self, id: &str, active: bool) -> CoreResult<TalentDto> {
        let unlocked = self.require(Action::TalentsEdit)?;
        let (rowid, current) = load(unlocked.store.conn(), id)?.ok_or(CoreError::NotFound)?;
        if current.get("erased_at").is_some_and(|v| !v.is_null()) {
            return Err(CoreError::NotFound);
        }
        let actor = unlocked.user.id;
        let now = now_iso();
        let tx = unlocked.store.transaction()?;
        let stamp = changelog::tick(&tx, now_millis())?;
        tx.execute(
            "UPDATE talents SET active = ?1, updated_at = ?2, hlc = ?3 WHERE id = ?4",
            rusqlite::params![active, now, stamp.to_string(), id],
        )?;
        changelog::record(&tx, &stamp, "talents", id, Op::Upsert, &json!({ "active": active, "updated_at": now }))?;
        let action = if active { "talent_reactivated" } else { "talent_deactivated" };
        audit::activity(
            &tx,
            &Activity {
                at: &now,
                user: Some(actor),
                device: stamp.device,
                action,
                entity: "talent",
                entity_id: Some(id),
                details: None,
            },
        )?;
        tx.commit()?;
        refresh_index(unlocked, &[rowid])?;
        self.talent_dto(id)
    }

    /// Erases a talent's personal data and files for good. An anonymous tombstone (id, code, kind, dates) stays so
    /// that sync carries the erasure to every laptop and the code is never issued again.
    pub fn erase_talent(&mut self, id: &str) -> CoreResult<()> {
        let attachments = Attachments::new(&self.files.dir);
        let unlocked = self.require(Action::TalentsEdit)?;
        let (rowid, _) = load(unlocked.store.conn(), id)?.ok_or(CoreError::NotFound)?;
        let actor = unlocked.user.id;
        let now = now_iso();
        let tx = unlocked.store.transaction()?;
        let stamp = changelog::tick(&tx, now_millis())?;
        erase_row(&tx, &attachments, id, &now, &stamp.to_string())?;
        changelog::record(&tx, &stamp, "talents", id, Op::Delete, &json!({ "erased_at": now }))?;
        audit::activity(
            &tx,
            &Activity {
                at: &now,
                user: Some(actor),
                device: stamp.device,
                action: "talent_erased",
                entity: "talent",
                entity_id: Some(id),
                details: None,
            },
        )?;
        search::unindex(&tx, rowid)?;
        tx.commit()?;
        refresh_index(unlocked, &[rowid])?;
        Ok(())
    }

    /// What happened to a profile, newest first.
    pub fn talent_history(&mut self, id: &str) -> CoreResult<Vec<ActivityDto>> {
        let unlocked = self.require(Action::TalentsView)?;
        audit::list_activity(unlocked.store.conn(), 200, Some(("talent", id)))
    }

    /// Keeps the wizard's state (any JSON the UI sends) for this user, so a restart loses nothing.
    pub fn save_draft(&mut self, kind: TalentKind, body: &str) -> CoreResult<()> {
        let unlocked = self.require(Action::TalentsEdit)?;
        if body.len() > 256 * 1024 || serde_json::from_str::<Value>(body).is_err() {
            return Err(CoreError::Validation(vec![talento_domain::FieldError::new(
                "draft",
                talento_domain::FieldProblem::TooLong { max: 256 * 1024 },
            )]));
        }
        let user = unlocked.user.id.to_string();
        unlocked.store.conn().execute(
            "INSERT INTO drafts (user_id, kind, body, updated_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (user_id, kind) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
            rusqlite::params![user, kind.as_str(), body, now_iso()],
        )?;
        Ok(())
    }

    pub fn load_draft(&mut self, kind: TalentKind) -> CoreResult<Option<String>> {
        let unlocked = self.require(Action::TalentsEdit)?;
        let user = unlocked.user.id.to_string();
        Ok(unlocked
            .store
            .conn()
            .query_row(
                "SELECT body FROM drafts WHERE user_id = ?1 AND kind = ?2",
                [user.as_str(), kind.as_str()],
                |r| r.get(0),
            )
            .optional()?)
    }

    pub fn discard_draft(&mut self, kind: TalentKind) -> CoreResult<()> {
        let unlocked = self.require(Action::TalentsEdit)?;
        let user = unlocked.user.id.to_string();
        unlocked
            .store
            .conn()
            .execute("DELETE FROM drafts WHERE user_id = ?1 AND kind = ?2", [user.as_str(), kind.as_str()])?;
        Ok(())
    }

    /// The profile DTO, with personal data only for roles that may see it. Callers have checked the session.
    fn talent_dto(&mut self, id_or_code: &str) -> CoreResult<TalentDto> {
        let unlocked = self.unlocked.as_ref().ok_or(CoreError::NotAuthenticated)?;
        let personal = unlocked.user.role.allows(Action::PersonalDataView);
        let (_, record) = load(unlocked.store.conn(), id_or_code)?.ok_or(CoreError::NotFound)?;
        Ok(to_dto(&record, personal, today()))
    }
}

/// Registers many profiles in one transaction, with the same validation and code issuing as
/// [`Talento::register_talent`] but no duplicate check (benchmarks and imports).
pub fn bulk_insert(talento: &mut Talento, inputs: &[TalentInput]) -> CoreResult<()> {
    let unlocked = talento.require(Action::TalentsEdit)?;
    let actor = unlocked.user.id;
    let now = now_iso();
    let day = today();
    let tx = unlocked.store.transaction()?;
    let mut rowids = Vec::with_capacity(inputs.len());
    for input in inputs {
        let record = record::build(&tx, input, day, true)?.map_err(CoreError::Validation)?;
        rowids.push(insert(&tx, record, actor, &now)?.1);
    }
    tx.commit()?;
    refresh_index(unlocked, &rowids)
}

/// Keeps the session's search index (if built) in step with rows this process just committed.
pub(crate) fn refresh_index(unlocked: &mut crate::engine::Unlocked, rowids: &[i64]) -> CoreResult<()> {
    if let Some(index) = unlocked.search.as_mut() {
        index.refresh(unlocked.store.conn(), rowids)?;
    }
    Ok(())
}

/// Inserts a validated record as a new profile with a freshly issued code; returns its id.
pub(crate) fn insert(tx: &Transaction<'_>, mut record: Record, actor: Uuid, now: &str) -> CoreResult<(String, i64)> {
    let kind = record.get("kind").and_then(Value::as_str).and_then(TalentKind::parse).unwrap_or(TalentKind::General);
    let gender = record.get("gender").and_then(Value::as_str).and_then(Gender::parse).unwrap_or(Gender::N);
    let text = |k: &str| record.get(k).and_then(Value::as_str).unwrap_or_default().to_owned();
    let (origin, res_country, res_city) = (text("origin_country"), text("residence_country"), text("residence_city"));
    let scope = talent::code_scope(kind, &origin, &res_country, &res_city);
    let code = loop {
        let number = codes::next_number(tx, &scope, now)?;
        let code = talent::talent_code(kind, gender, &origin, &res_country, &res_city, number);
        // A number can only be taken twice if codes arrived from elsewhere (an import); skip it then.
        if tx.query_row("SELECT 1 FROM talents WHERE code = ?1", [&code], |_| Ok(())).optional()?.is_none() {
            break code;
        }
    };
    let id = Uuid::now_v7().to_string();
    let stamp = changelog::tick(tx, now_millis())?;
    record.insert("id", json!(id));
    record.insert("code", json!(code));
    record.insert("consent_version", json!(CONSENT_VERSION));
    record.insert("consent_at", json!(now));
    record.insert("created_at", json!(now));
    record.insert("created_by", json!(actor.to_string()));
    record.insert("updated_at", json!(now));
    record.insert("hlc", json!(stamp.to_string()));
    let columns: Vec<&str> = record.keys().copied().collect();
    let placeholders: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
    tx.execute(
        &format!("INSERT INTO talents ({}) VALUES ({})", columns.join(", "), placeholders.join(", ")),
        rusqlite::params_from_iter(record.values().map(to_sql)),
    )?;
    let rowid = tx.last_insert_rowid();
    let fields: serde_json::Map<String, Value> = record
        .iter()
        // A new row's unset fields are simply absent: only what was given travels.
        .filter(|(k, v)| !matches!(**k, "id" | "hlc" | "name_key") && !v.is_null())
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect();
    changelog::record(tx, &stamp, "talents", &id, Op::Upsert, &Value::Object(fields))?;
    audit::activity(
        tx,
        &Activity {
            at: now,
            user: Some(actor),
            device: stamp.device,
            action: "talent_created",
            entity: "talent",
            entity_id: Some(&id),
            details: Some(json!({ "kind": kind.as_str() })),
        },
    )?;
    search::reindex(tx, rowid, &record)?;
    Ok((id, rowid))
}

/// A profile's row by id or code: (rowid, column → value).
fn load(conn: &Connection, id_or_code: &str) -> CoreResult<Option<(i64, Record)>> {
    let mut stmt = conn.prepare_cached("SELECT rowid, * FROM talents WHERE id = ?1 OR code = ?1")?;
    let names: Vec<String> = stmt.column_names().map(str::to_owned).collect();
    let row = stmt
        .query_row([id_or_code], |r| {
            let rowid: i64 = r.get(0)?;
            let mut record = Record::new();
            for (i, name) in names.iter().enumerate().skip(1) {
                if let Some(column) = COLUMNS.iter().find(|c| **c == name) {
                    record.insert(column, from_sql(column, r.get_ref(i)?));
                }
            }
            Ok((rowid, record))
        })
        .optional()?;
    Ok(row)
}

/// Every column of `talents`, as static names for [`Record`] keys.
const COLUMNS: [&str; 59] = [
    "id",
    "kind",
    "code",
    "code_provisional",
    "first_name",
    "last_name",
    "gender",
    "birth_date",
    "nationality",
    "origin_country",
    "origin_city",
    "residence_country",
    "residence_city",
    "residence_city_other",
    "email",
    "phone",
    "whatsapp",
    "address",
    "passport_number",
    "residence_card_number",
    "id_document_type",
    "id_document_number",
    "bio",
    "years_experience",
    "availability",
    "work_mode",
    "rate_min",
    "rate_max",
    "currency",
    "education",
    "portfolio_url",
    "website",
    "socials",
    "languages",
    "skills",
    "talent_types",
    "ethnicities",
    "productions",
    "gallery",
    "eye_color",
    "hair_color",
    "hair_type",
    "skin_tone",
    "build",
    "height_cm",
    "weight_kg",
    "photo",
    "id_photo",
    "cv",
    "cv_kind",
    "consent_version",
    "consent_at",
    "active",
    "erased_at",
    "created_at",
    "created_by",
    "updated_at",
    "hlc",
    "name_key",
];

fn duplicates(conn: &Connection, record: &Record, except: Option<&str>) -> CoreResult<Vec<DuplicateCandidate>> {
    let text = |k: &str| record.get(k).and_then(Value::as_str).map(str::to_owned);
    let mut found: BTreeMap<String, DuplicateCandidate> = BTreeMap::new();
    let checks = [
        ("name_and_birth_date", "name_key = ?1 AND birth_date = ?2", vec![text("name_key"), text("birth_date")]),
        ("phone", "(phone = ?1 OR whatsapp = ?1)", vec![text("phone")]),
        ("email", "email = ?1", vec![text("email")]),
    ];
    for (reason, condition, params) in checks {
        if params.iter().any(Option::is_none) {
            continue;
        }
        let sql = format!(
            "SELECT id, code, first_name, last_name, birth_date FROM talents
             WHERE erased_at IS NULL AND {condition} AND id != ?{} LIMIT 10",
            params.len() + 1
        );
        let mut stmt = conn.prepare(&sql)?;
        let mut values: Vec<String> = params.into_iter().flatten().collect();
        values.push(except.unwrap_or_default().to_owned());
        let rows = stmt.query_map(rusqlite::params_from_iter(values), |r| {
            Ok(DuplicateCandidate {
                id: r.get(0)?,
                code: r.get(1)?,
                first_name: r.get(2)?,
                last_name: r.get(3)?,
                birth_date: r.get(4)?,
                reasons: Vec::new(),
            })
        })?;
        for candidate in rows {
            let candidate = candidate?;
            found.entry(candidate.id.clone()).or_insert(candidate).reasons.push(reason.to_owned());
        }
    }
    Ok(found.into_values().collect())
}

fn to_dto(r: &Record, personal: bool, today: Date) -> TalentDto {
    let s = |k: &str| r.get(k).and_then(Value::as_str).map(str::to_owned);
    let text = |k: &str| s(k).unwrap_or_default();
    let n = |k: &str| r.get(k).and_then(Value::as_u64).and_then(|v| u16::try_from(v).ok());
    let n32 = |k: &str| r.get(k).and_then(Value::as_u64).and_then(|v| u32::try_from(v).ok());
    let list = |k: &str| -> Vec<String> {
        r.get(k)
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect())
            .unwrap_or_default()
    };
    let kind = s("kind").as_deref().and_then(TalentKind::parse).unwrap_or(TalentKind::General);
    let birth = text("birth_date");
    let age = birth.parse::<Date>().ok().map(|b| talent::age_on(b, today));
    let socials: BTreeMap<String, String> =
        r.get("socials").and_then(|v| serde_json::from_value(v.clone()).ok()).unwrap_or_default();
    let productions: Vec<ProductionCredit> =
        r.get("productions").and_then(|v| serde_json::from_value(v.clone()).ok()).unwrap_or_default();
    let (completeness, missing) = completeness(r, kind);
    TalentDto {
        id: text("id"),
        kind,
        code: text("code"),
        code_provisional: r.get("code_provisional").and_then(Value::as_i64) == Some(1),
        first_name: text("first_name"),
        last_name: text("last_name"),
        gender: s("gender").as_deref().and_then(Gender::parse).unwrap_or(Gender::N),
        birth_date: birth,
        age,
        nationality: s("nationality"),
        origin_country: text("origin_country"),
        origin_city: text("origin_city"),
        residence_country: text("residence_country"),
        residence_city: text("residence_city"),
        residence_city_other: s("residence_city_other"),
        personal: personal.then(|| PersonalData {
            email: s("email"),
            phone: s("phone"),
            whatsapp: s("whatsapp"),
            address: s("address"),
            passport_number: s("passport_number"),
            residence_card_number: s("residence_card_number"),
            id_document_type: s("id_document_type"),
            id_document_number: s("id_document_number"),
            id_photo: s("id_photo"),
        }),
        bio: s("bio"),
        years_experience: n("years_experience"),
        availability: s("availability"),
        work_mode: s("work_mode"),
        rate_min: n32("rate_min"),
        rate_max: n32("rate_max"),
        currency: s("currency"),
        education: s("education"),
        portfolio_url: s("portfolio_url"),
        website: s("website"),
        socials,
        languages: list("languages"),
        skills: list("skills"),
        talent_types: list("talent_types"),
        ethnicities: list("ethnicities"),
        productions,
        eye_color: s("eye_color"),
        hair_color: s("hair_color"),
        hair_type: s("hair_type"),
        skin_tone: s("skin_tone"),
        build: s("build"),
        height_cm: n("height_cm"),
        weight_kg: n("weight_kg"),
        photo: s("photo"),
        cv: s("cv"),
        cv_kind: s("cv_kind"),
        gallery: list("gallery"),
        consent_version: s("consent_version"),
        consent_at: s("consent_at"),
        active: r.get("active").and_then(Value::as_i64) == Some(1),
        erased: s("erased_at").is_some(),
        created_at: text("created_at"),
        updated_at: text("updated_at"),
        completeness,
        missing,
    }
}

/// How complete a profile is for casting: the share of the fields that matter for its kind, and which are missing.
fn completeness(r: &Record, kind: TalentKind) -> (u8, Vec<String>) {
    let filled = |k: &str| match r.get(k) {
        None | Some(Value::Null) => false,
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Object(o)) => !o.is_empty(),
        Some(_) => true,
    };
    let common = [
        ("photo", "photo"),
        ("phone", "phone"),
        ("email", "email"),
        ("nationality", "nationality"),
        ("bio", "bio"),
        ("languages", "languages"),
        ("skills", "skills"),
        ("availability", "availability"),
        ("years_experience", "yearsExperience"),
    ];
    let specific: &[(&str, &str)] = match kind {
        TalentKind::General => &[("cv", "cv"), ("work_mode", "workMode"), ("rate_min", "rateMin")],
        TalentKind::Cinema => &[
            ("talent_types", "talentTypes"),
            ("height_cm", "heightCm"),
            ("eye_color", "eyeColor"),
            ("hair_color", "hairColor"),
            ("skin_tone", "skinTone"),
            ("build", "build"),
            ("gallery", "gallery"),
            ("id_photo", "idPhoto"),
        ],
    };
    let fields: Vec<&(&str, &str)> = common.iter().chain(specific).collect();
    let missing: Vec<String> = fields.iter().filter(|(c, _)| !filled(c)).map(|(_, f)| (*f).to_owned()).collect();
    let score = (fields.len() - missing.len()) * 100 / fields.len();
    (u8::try_from(score).unwrap_or(100), missing)
}

/// Rebuilds the search row of a talent that sync changed (or removes it, for an erased profile); returns its rowid
/// for the session's index.
pub(crate) fn reindex_for_sync(tx: &Transaction<'_>, id: &str) -> CoreResult<Option<i64>> {
    match load(tx, id)? {
        Some((rowid, record)) if record.get("erased_at").is_none_or(Value::is_null) => {
            search::reindex(tx, rowid, &record)?;
            Ok(Some(rowid))
        }
        Some((rowid, _)) => {
            search::unindex(tx, rowid)?;
            Ok(Some(rowid))
        }
        None => Ok(None),
    }
}

/// What erasing a profile clears: every personal column (names, birth date, contact, identity, profile, traits,
/// files). The one list for an erasure here, an erasure received from another laptop and a revoked laptop's wipe.
pub(crate) const ERASED_PERSONAL_DATA: &str = "first_name = '', last_name = '', name_key = '', birth_date = '',
    nationality = NULL, residence_city_other = NULL, email = NULL, phone = NULL, whatsapp = NULL, address = NULL,
    passport_number = NULL, residence_card_number = NULL, id_document_type = NULL, id_document_number = NULL,
    bio = NULL, years_experience = NULL, availability = NULL, work_mode = NULL, rate_min = NULL, rate_max = NULL,
    currency = NULL, education = NULL, portfolio_url = NULL, website = NULL, socials = '{}', languages = '[]',
    skills = '[]', talent_types = '[]', ethnicities = '[]', productions = '[]', gallery = '[]', eye_color = NULL,
    hair_color = NULL, hair_type = NULL, skin_tone = NULL, build = NULL, height_cm = NULL, weight_kg = NULL,
    photo = NULL, id_photo = NULL, cv = NULL, cv_kind = NULL";

/// Erases one profile inside the caller's transaction: clears its personal data, leaves an anonymous tombstone
/// (id, code, kind, dates) stamped `erased_at` and `hlc`, drops the drafts that name it and the files no other
/// profile uses. The search row is the caller's (it knows whether an index exists).
pub(crate) fn erase_row(
    tx: &Transaction<'_>,
    attachments: &Attachments,
    id: &str,
    erased_at: &str,
    hlc: &str,
) -> CoreResult<()> {
    let files = talent_files(tx, id)?;
    tx.execute(
        &format!(
            "UPDATE talents SET {ERASED_PERSONAL_DATA}, active = 0, erased_at = ?1, updated_at = ?1, hlc = ?2 WHERE id = ?3"
        ),
        rusqlite::params![erased_at, hlc, id],
    )?;
    tx.execute("DELETE FROM drafts WHERE body LIKE ?1", [format!("%{id}%")])?;
    for hash in &files {
        let still_used = tx
            .query_row(
                "SELECT 1 FROM talents WHERE photo = ?1 OR id_photo = ?1 OR cv = ?1 OR gallery LIKE ?2 LIMIT 1",
                rusqlite::params![hash, format!("%{hash}%")],
                |_| Ok(()),
            )
            .optional()?
            .is_some();
        if !still_used {
            attachments.delete(tx, hash)?;
        }
    }
    Ok(())
}

/// A talent's photo, ID scan, CV and gallery hashes, with their thumbnails.
fn talent_files(tx: &Transaction<'_>, id: &str) -> CoreResult<Vec<String>> {
    type FileColumns = (Option<String>, Option<String>, Option<String>, String);
    let row: Option<FileColumns> = tx
        .query_row("SELECT photo, id_photo, cv, gallery FROM talents WHERE id = ?1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .optional()?;
    let Some((photo, id_photo, cv, gallery)) = row else { return Ok(Vec::new()) };
    let mut files: Vec<String> = [photo, id_photo, cv].into_iter().flatten().collect();
    if let Ok(Value::Array(items)) = serde_json::from_str::<Value>(&gallery) {
        files.extend(items.iter().filter_map(Value::as_str).map(str::to_owned));
    }
    let thumbs: Vec<String> = files
        .iter()
        .filter_map(|h| {
            tx.query_row("SELECT thumb FROM attachments WHERE hash = ?1", [h], |r| r.get::<_, Option<String>>(0))
                .ok()
                .flatten()
        })
        .collect();
    files.extend(thumbs);
    Ok(files)
}
