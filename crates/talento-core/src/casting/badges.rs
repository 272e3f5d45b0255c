//! Badges: the agency's Ed25519 signing keys (created with the agency, rotated by an administrator, public halves
//! synced to every laptop, secret halves never leaving the encrypted store), issuing one current badge per cast
//! talent, verifying a scanned token offline, and the PDF sheets.
//!
//! Issuing is idempotent: printing a project's badges twice prints the same tokens. A badge is re-issued (and the old
//! one revoked) only when it no longer matches its project's dates, when its key was revoked, or on request (lost
//! badge). Revoked badges are the revocation list every laptop checks.

use std::path::Path;

use jiff::civil::Date;
use rusqlite::{Connection, OptionalExtension, Transaction};
use serde_json::{Map, json};
use talento_documents::badge::{BadgeContent, BadgeError, BadgeFormat};
use talento_domain::badge::{self as token, BadgeClaims, BadgeRejection, BadgeToken};
use talento_domain::{Action, Locale};
use uuid::Uuid;

use super::dto::{AssignmentDto, BadgeCheck, BadgeFile, BadgePaper, ProjectDto, SigningKeyDto};
use super::{load_assignment, load_project, log, roster};
use crate::attachments::Attachments;
use crate::crypto::{self, hex, unhex};
use crate::engine::{Talento, now_iso};
use crate::error::{ConflictReason, CoreError, CoreResult};
use crate::i18n;
use crate::rows::{self, Saved};

/// The key new badges are signed with on this laptop.
struct SigningKey {
    key_id: u16,
    seed: zeroize::Zeroizing<[u8; 32]>,
}

/// Creates a new signing key (retiring none). Its id is unique among the agency's keys.
fn create_key(tx: &Transaction<'_>, actor: Option<Uuid>, now: &str) -> CoreResult<u16> {
    loop {
        let seed = zeroize::Zeroizing::new(crypto::random::<32>());
        let public = token::public_key(&seed);
        let key_id = token::key_id(&public);
        let taken = tx.query_row("SELECT 1 FROM signing_keys WHERE key_id = ?1", [key_id], |_| Ok(())).optional()?;
        if taken.is_some() {
            continue;
        }
        let mut fields = Map::new();
        fields.insert("key_id".into(), json!(key_id));
        fields.insert("public_key".into(), json!(hex(&public)));
        fields.insert("secret_seed".into(), json!(hex(seed.as_ref())));
        rows::save(tx, "signing_keys", &Uuid::now_v7().to_string(), &fields, actor, now)?;
        return Ok(key_id);
    }
}

/// Gives a store its first signing key: called when the agency is created and when a store made before badges
/// existed is unlocked. Does nothing when the agency has keys already (a laptop that got them by sync).
pub(crate) fn ensure_signing_key(tx: &Transaction<'_>, actor: Option<Uuid>, now: &str) -> CoreResult<()> {
    let count: u32 = tx.query_row("SELECT count(*) FROM signing_keys", [], |r| r.get(0))?;
    if count == 0 {
        create_key(tx, actor, now)?;
    }
    Ok(())
}

fn current_key(conn: &Connection) -> CoreResult<SigningKey> {
    let row: Option<(u16, String)> = conn
        .query_row(
            "SELECT key_id, secret_seed FROM signing_keys
             WHERE secret_seed IS NOT NULL AND retired_at IS NULL AND revoked_at IS NULL
             ORDER BY created_at DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (key_id, seed) = row.ok_or(CoreError::Conflict(ConflictReason::NoSigningKey))?;
    let seed = unhex::<32>(&seed).ok_or_else(|| CoreError::StoreCorrupted("signing key".into()))?;
    Ok(SigningKey { key_id, seed: zeroize::Zeroizing::new(seed) })
}

/// A badge row as issuing needs it.
struct IssuedBadge {
    id: String,
    token: String,
    key_id: u16,
    valid_from: String,
    valid_until: String,
}

fn current_badge(conn: &Connection, assignment_id: &str) -> CoreResult<Option<IssuedBadge>> {
    Ok(conn
        .prepare_cached(
            "SELECT id, token, key_id, valid_from, valid_until FROM badges
             WHERE assignment_id = ?1 AND revoked_at IS NULL ORDER BY serial DESC LIMIT 1",
        )?
        .query_row([assignment_id], |r| {
            Ok(IssuedBadge {
                id: r.get(0)?,
                token: r.get(1)?,
                key_id: r.get(2)?,
                valid_from: r.get(3)?,
                valid_until: r.get(4)?,
            })
        })
        .optional()?)
}

fn revoke(tx: &Transaction<'_>, badge_id: &str, reason: &str, actor: Option<Uuid>, now: &str) -> CoreResult<()> {
    let mut fields = Map::new();
    fields.insert("revoked_at".into(), json!(now));
    fields.insert("revoke_reason".into(), json!(reason));
    rows::save(tx, "badges", badge_id, &fields, actor, now)?;
    Ok(())
}

/// Revokes every current badge of a talent whose code was just finalised (sync): the printed badge carries the
/// provisional code, so each is re-issued, with the final code, at the project's next badge print. Returns how many.
pub(crate) fn revoke_for_final_code(tx: &Transaction<'_>, talent_id: &str, now: &str) -> CoreResult<u32> {
    let badges: Vec<String> = {
        let mut stmt = tx.prepare_cached("SELECT id FROM badges WHERE talent_id = ?1 AND revoked_at IS NULL")?;
        let rows = stmt.query_map([talent_id], |r| r.get(0))?;
        rows.collect::<Result<_, _>>()?
    };
    for id in &badges {
        revoke(tx, id, "code_finalized", None, now)?;
    }
    Ok(badges.len() as u32)
}

/// Revokes an assignment's current badge (talent taken off the project).
pub(crate) fn revoke_for_assignment(
    tx: &Transaction<'_>,
    assignment_id: &str,
    reason: &str,
    actor: Uuid,
    now: &str,
) -> CoreResult<()> {
    if let Some(badge) = current_badge(tx, assignment_id)? {
        revoke(tx, &badge.id, reason, Some(actor), now)?;
    }
    Ok(())
}

fn parse_uuid(text: &str) -> CoreResult<Uuid> {
    Uuid::parse_str(text).map_err(|e| CoreError::StoreCorrupted(format!("id {text}: {e}")))
}

fn parse_day(text: &str) -> CoreResult<Date> {
    text.parse().map_err(|e| CoreError::StoreCorrupted(format!("date {text}: {e}")))
}

/// Makes sure an assignment has a badge that matches its project now, issuing (and revoking the stale one) when
/// needed. `force` re-issues even a matching badge (lost or damaged badge).
fn ensure_badge(
    tx: &Transaction<'_>,
    assignment: &AssignmentDto,
    project: &ProjectDto,
    key: &SigningKey,
    force: bool,
    actor: Uuid,
    now: &str,
) -> CoreResult<String> {
    if let Some(badge) = current_badge(tx, &assignment.id)? {
        let key_revoked: bool = tx
            .query_row("SELECT revoked_at IS NOT NULL FROM signing_keys WHERE key_id = ?1", [badge.key_id], |r| {
                r.get(0)
            })
            .optional()?
            .unwrap_or(true);
        let dates_match = badge.valid_from == project.start_date && badge.valid_until == project.end_date;
        if dates_match && !key_revoked && !force {
            return Ok(badge.token);
        }
        let reason = if force {
            "reissued"
        } else if key_revoked {
            "key_revoked"
        } else {
            "dates_changed"
        };
        revoke(tx, &badge.id, reason, Some(actor), now)?;
    }
    let serial: u32 =
        tx.query_row("SELECT count(*) FROM badges WHERE assignment_id = ?1", [&assignment.id], |r| r.get(0))?;
    let claims = BadgeClaims {
        key_id: key.key_id,
        talent_id: parse_uuid(&assignment.talent_id)?,
        project_id: parse_uuid(&project.id)?,
        serial: u16::try_from(serial).unwrap_or(u16::MAX),
        valid_from: parse_day(&project.start_date)?,
        valid_until: parse_day(&project.end_date)?,
    };
    let text = token::sign(&claims, &key.seed).map_err(|_| CoreError::Internal("badge dates".into()))?;
    let parsed = BadgeToken::parse(&text).map_err(|_| CoreError::Internal("badge token".into()))?;
    let mut fields = Map::new();
    fields.insert("fingerprint".into(), json!(parsed.fingerprint()));
    fields.insert("short_code".into(), json!(parsed.short_code()));
    fields.insert("token".into(), json!(text));
    fields.insert("assignment_id".into(), json!(assignment.id));
    fields.insert("talent_id".into(), json!(assignment.talent_id));
    fields.insert("project_id".into(), json!(project.id));
    fields.insert("key_id".into(), json!(key.key_id));
    fields.insert("serial".into(), json!(serial));
    fields.insert("valid_from".into(), json!(project.start_date));
    fields.insert("valid_until".into(), json!(project.end_date));
    rows::save(tx, "badges", &Uuid::now_v7().to_string(), &fields, Some(actor), now)?;
    Ok(text)
}

/// `21/11/2026`, as people write dates in both languages here.
pub(crate) fn day_text(iso: &str) -> String {
    match iso.parse::<Date>() {
        Ok(d) => format!("{:02}/{:02}/{}", d.day(), d.month(), d.year()),
        Err(_) => iso.to_owned(),
    }
}

/// A cinema talent type's label in the user's language (the key itself when the list does not know it).
pub(crate) fn talent_type_label(conn: &Connection, key: &str, locale: Locale) -> CoreResult<String> {
    let sql = match locale {
        Locale::Fr => "SELECT name_fr FROM ref_cinema_talent_types WHERE key = ?1",
        Locale::En => "SELECT name_en FROM ref_cinema_talent_types WHERE key = ?1",
    };
    Ok(conn.prepare_cached(sql)?.query_row([key], |r| r.get(0)).optional()?.unwrap_or_else(|| key.to_owned()))
}

/// A talent as the gate shows them.
#[derive(Debug, Clone)]
pub(crate) struct TalentSummary {
    pub code: String,
    pub first_name: String,
    pub last_name: String,
    /// Attachment hashes of the profile photo and its thumbnail.
    pub photo: Option<String>,
    pub photo_thumb: Option<String>,
}

/// A talent's place on a project's roster.
#[derive(Debug, Clone)]
pub(crate) struct ActiveAssignment {
    pub id: String,
    pub code: String,
    pub role: Option<String>,
    pub talent_type: String,
}

impl TalentSummary {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }
}

/// A talent as this laptop knows them (None when erased, or not synced here yet).
pub(crate) fn talent_summary(conn: &Connection, talent_id: &str) -> CoreResult<Option<TalentSummary>> {
    Ok(conn
        .prepare_cached(
            "SELECT code, first_name, last_name, photo, (SELECT thumb FROM attachments WHERE hash = t.photo)
             FROM talents t WHERE id = ?1 AND erased_at IS NULL",
        )?
        .query_row([talent_id], |r| {
            Ok(TalentSummary {
                code: r.get(0)?,
                first_name: r.get(1)?,
                last_name: r.get(2)?,
                photo: r.get(3)?,
                photo_thumb: r.get(4)?,
            })
        })
        .optional()?)
}

/// A talent's assignment on a project, while they are on its roster.
pub(crate) fn active_assignment(
    conn: &Connection,
    project_id: &str,
    talent_id: &str,
) -> CoreResult<Option<ActiveAssignment>> {
    Ok(conn
        .prepare_cached("SELECT id, code, role, talent_type FROM assignments WHERE id = ?1 AND active = 1")?
        .query_row([format!("{project_id}:{talent_id}")], |r| {
            Ok(ActiveAssignment { id: r.get(0)?, code: r.get(1)?, role: r.get(2)?, talent_type: r.get(3)? })
        })
        .optional()?)
}

/// [`check_token`]'s answer with what it found on the way, so the gate does not look it up again.
#[derive(Debug, Clone)]
pub(crate) struct CheckedToken {
    pub check: BadgeCheck,
    /// The token's fingerprint, when it parsed.
    pub fingerprint: Option<String>,
    pub talent: Option<TalentSummary>,
    /// Set only while the talent is on the roster of the token's project.
    pub assignment: Option<ActiveAssignment>,
}

/// Checks a token against this laptop's keys, revocations and clock. Never fails on bad input: the answer says why.
pub(crate) fn check_token(conn: &Connection, text: &str, today: Date, locale: Locale) -> CoreResult<BadgeCheck> {
    Ok(check_token_details(conn, text, today, locale)?.check)
}

/// [`check_token`], keeping the fingerprint, the talent and their assignment it found.
pub(crate) fn check_token_details(
    conn: &Connection,
    text: &str,
    today: Date,
    locale: Locale,
) -> CoreResult<CheckedToken> {
    let (mut fingerprint, mut talent_found, mut assignment) = (None, None, None);
    let mut check = BadgeCheck {
        valid: false,
        rejection: None,
        message: String::new(),
        key_id: None,
        talent_id: None,
        project_id: None,
        valid_from: None,
        valid_until: None,
        short_code: None,
        talent_code: None,
        talent_name: None,
        talent_photo: None,
        project_code: None,
        project_name: None,
        on_roster: None,
    };
    let outcome = (|| -> CoreResult<Result<BadgeToken, BadgeRejection>> {
        let parsed = match BadgeToken::parse(text) {
            Ok(t) => t,
            Err(r) => return Ok(Err(r)),
        };
        let claims = parsed.claims;
        check.key_id = Some(claims.key_id);
        check.talent_id = Some(claims.talent_id.to_string());
        check.project_id = Some(claims.project_id.to_string());
        check.valid_from = Some(claims.valid_from.to_string());
        check.valid_until = Some(claims.valid_until.to_string());
        check.short_code = Some(parsed.short_code());
        fingerprint = Some(parsed.fingerprint());
        let key: Option<(String, bool)> = conn
            .prepare_cached("SELECT public_key, revoked_at IS NOT NULL FROM signing_keys WHERE key_id = ?1")?
            .query_row([claims.key_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let Some((public, key_revoked)) = key else {
            return Ok(Err(BadgeRejection::UnknownKey));
        };
        let public = unhex::<32>(&public).ok_or_else(|| CoreError::StoreCorrupted("public key".into()))?;
        if let Err(r) = parsed.verify_signature(&public) {
            return Ok(Err(r));
        }
        if key_revoked {
            return Ok(Err(BadgeRejection::KeyRevoked));
        }
        let revoked = conn
            .prepare_cached("SELECT 1 FROM badges WHERE fingerprint = ?1 AND revoked_at IS NOT NULL")?
            .query_row([parsed.fingerprint()], |_| Ok(()))
            .optional()?
            .is_some();
        if revoked {
            return Ok(Err(BadgeRejection::Revoked));
        }
        if let Err(r) = parsed.check_dates(today) {
            return Ok(Err(r));
        }
        Ok(Ok(parsed))
    })()?;
    // Who a token claims to be means something only when the agency signed it; a forged or foreign token shows no
    // name or photo, so the officer is never led to compare a face with someone else's picture.
    let signed = matches!(
        outcome,
        Ok(_)
            | Err(BadgeRejection::KeyRevoked
                | BadgeRejection::Revoked
                | BadgeRejection::Expired
                | BadgeRejection::NotYetValid)
    );
    if !signed {
        check.talent_id = None;
        check.project_id = None;
    }
    if let Some(talent_id) = &check.talent_id {
        let talent = talent_summary(conn, talent_id)?;
        if let Some(t) = &talent {
            check.talent_code = Some(t.code.clone());
            check.talent_name = Some(t.full_name());
            check.talent_photo.clone_from(&t.photo);
        }
        talent_found = talent;
    }
    if let (Some(project_id), Some(talent_id)) = (&check.project_id, &check.talent_id) {
        let project: Option<(String, String)> = conn
            .prepare_cached("SELECT code, name FROM projects WHERE id = ?1")?
            .query_row([project_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        if let Some((code, name)) = project {
            check.project_code = Some(code);
            check.project_name = Some(name);
            assignment = active_assignment(conn, project_id, talent_id)?;
            check.on_roster = Some(assignment.is_some());
        }
    }
    match outcome {
        Ok(_) => {
            check.valid = true;
            check.message = i18n::badge_valid(
                locale,
                check.talent_name.as_deref(),
                check.project_name.as_deref(),
                &day_text(check.valid_until.as_deref().unwrap_or_default()),
            );
        }
        Err(rejection) => {
            check.rejection = Some(rejection);
            check.message = i18n::badge_rejection(locale, rejection);
        }
    }
    Ok(CheckedToken { check, fingerprint, talent: talent_found, assignment })
}

fn key_dto(r: &rusqlite::Row<'_>) -> rusqlite::Result<SigningKeyDto> {
    Ok(SigningKeyDto {
        key_id: r.get(0)?,
        public_key: r.get(1)?,
        can_sign: r.get(2)?,
        created_at: r.get(3)?,
        retired_at: r.get(4)?,
        revoked_at: r.get(5)?,
        current: false,
    })
}

fn list_keys(conn: &Connection) -> CoreResult<Vec<SigningKeyDto>> {
    let mut stmt = conn.prepare(
        "SELECT key_id, public_key, secret_seed IS NOT NULL, created_at, retired_at, revoked_at
         FROM signing_keys ORDER BY created_at DESC",
    )?;
    let mut keys: Vec<SigningKeyDto> = stmt.query_map([], key_dto)?.collect::<Result<_, _>>()?;
    let current = current_key(conn).ok().map(|k| k.key_id);
    for key in &mut keys {
        key.current = Some(key.key_id) == current;
    }
    Ok(keys)
}

fn paper_format(paper: BadgePaper) -> BadgeFormat {
    match paper {
        BadgePaper::A4 => BadgeFormat::A4Sheet,
        BadgePaper::Card => BadgeFormat::Card,
    }
}

/// Lays out badges prepared by [`Talento::prepare_badges`]. Needs no session, so the desktop renders outside its
/// lock and the rest of the app stays usable. `progress(done, total)` returning false cancels.
pub fn render_badges(
    badges: &[BadgeContent],
    paper: BadgePaper,
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> CoreResult<Vec<u8>> {
    talento_documents::badge::badges_pdf(badges, paper_format(paper), progress).map_err(|e| match e {
        BadgeError::Cancelled => CoreError::Cancelled,
        other => CoreError::Internal(format!("badge PDF: {other}")),
    })
}

/// Lays out prepared badges and writes the PDF (no session needed: the desktop runs this off its engine lock).
pub fn render_to_file(
    badges: &[BadgeContent],
    paper: BadgePaper,
    out: &Path,
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> CoreResult<BadgeFile> {
    let pdf = render_badges(badges, paper, progress)?;
    write_pdf(out, &pdf, badges.len(), paper)
}

/// Writes a badge PDF whole (see [`crate::exports::write_atomically`]) and says how many sheets to load: four
/// badges per A4 sheet, one per card.
fn write_pdf(path: &Path, pdf: &[u8], badges: usize, paper: BadgePaper) -> CoreResult<BadgeFile> {
    crate::exports::write_atomically(path, pdf)?;
    let pages = match paper {
        BadgePaper::A4 => badges.div_ceil(4),
        BadgePaper::Card => badges,
    };
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    Ok(BadgeFile { path: path.display().to_string(), badges: count(badges), pages: count(pages) })
}

impl Talento {
    /// The agency's signing keys, newest first.
    pub fn list_signing_keys(&mut self) -> CoreResult<Vec<SigningKeyDto>> {
        let unlocked = self.require(Action::BadgesPrint)?;
        list_keys(unlocked.store.conn())
    }

    /// Retires the current key (badges it signed keep verifying) and signs new badges with a fresh one.
    pub fn rotate_signing_key(&mut self) -> CoreResult<SigningKeyDto> {
        let unlocked = self.require(Action::SettingsManage)?;
        let actor = unlocked.user.id;
        let now = now_iso();
        let tx = unlocked.store.transaction()?;
        let retiring: Vec<String> = tx
            .prepare("SELECT id FROM signing_keys WHERE retired_at IS NULL AND revoked_at IS NULL")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        for id in &retiring {
            let mut fields = Map::new();
            fields.insert("retired_at".into(), json!(now));
            rows::save(&tx, "signing_keys", id, &fields, Some(actor), &now)?;
        }
        let key_id = create_key(&tx, Some(actor), &now)?;
        log(&tx, actor, "signing_key_rotated", "signing_key", &key_id.to_string(), None)?;
        tx.commit()?;
        list_keys(unlocked.store.conn())?.into_iter().find(|k| k.key_id == key_id).ok_or(CoreError::NotFound)
    }

    /// Withdraws a key (a laptop holding it was lost): every badge it signed stops verifying. When it was the
    /// current key, a new one takes over.
    pub fn revoke_signing_key(&mut self, key_id: u16) -> CoreResult<Vec<SigningKeyDto>> {
        let unlocked = self.require(Action::SettingsManage)?;
        let actor = unlocked.user.id;
        let now = now_iso();
        let tx = unlocked.store.transaction()?;
        let id: String = tx
            .query_row("SELECT id FROM signing_keys WHERE key_id = ?1 AND revoked_at IS NULL", [key_id], |r| r.get(0))
            .optional()?
            .ok_or(CoreError::NotFound)?;
        let mut fields = Map::new();
        fields.insert("revoked_at".into(), json!(now));
        rows::save(&tx, "signing_keys", &id, &fields, Some(actor), &now)?;
        let usable: u32 = tx.query_row(
            "SELECT count(*) FROM signing_keys WHERE secret_seed IS NOT NULL AND retired_at IS NULL AND revoked_at IS NULL",
            [],
            |r| r.get(0),
        )?;
        if usable == 0 {
            create_key(&tx, Some(actor), &now)?;
        }
        log(&tx, actor, "signing_key_revoked", "signing_key", &key_id.to_string(), None)?;
        tx.commit()?;
        list_keys(unlocked.store.conn())
    }

    /// Issues (or reuses) the badges of a project's cast — all of it, or the named assignments — and gathers what
    /// each badge shows, photos included. Quick (no layout): render with [`render_badges`].
    pub fn prepare_badges(
        &mut self,
        project: &str,
        assignment_ids: Option<&[String]>,
        reissue: bool,
    ) -> CoreResult<Vec<BadgeContent>> {
        let locale = self.locale();
        let attachments = Attachments::new(&self.files.dir);
        let unlocked = self.require(Action::BadgesPrint)?;
        let conn = unlocked.store.conn();
        let project = load_project(conn, project)?;
        if project.archived {
            return Err(CoreError::Conflict(ConflictReason::ProjectArchived));
        }
        let cast: Vec<AssignmentDto> = match assignment_ids {
            None => roster(conn, &project.id, false)?,
            Some(ids) => {
                let mut chosen = Vec::with_capacity(ids.len());
                for id in ids {
                    let a = load_assignment(conn, id)?;
                    if a.project_id != project.id || !a.active {
                        return Err(CoreError::NotFound);
                    }
                    chosen.push(a);
                }
                chosen
            }
        };
        if cast.is_empty() {
            return Err(CoreError::Conflict(ConflictReason::NobodyToBadge));
        }
        let key = current_key(conn)?;
        let actor = unlocked.user.id;
        let now = now_iso();
        let tx = unlocked.store.transaction()?;
        let mut tokens = Vec::with_capacity(cast.len());
        for assignment in &cast {
            tokens.push(ensure_badge(&tx, assignment, &project, &key, reissue, actor, &now)?);
        }
        log(
            &tx,
            actor,
            if reissue { "badges_reissued" } else { "badges_printed" },
            "project",
            &project.id,
            Some(json!({ "count": cast.len() })),
        )?;
        tx.commit()?;

        let conn = unlocked.store.conn();
        let (agency_name, agency_logo): (String, Option<String>) =
            conn.query_row("SELECT name, logo FROM agency LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let read = |hash: &Option<String>| -> CoreResult<Option<Vec<u8>>> {
            match hash {
                Some(h) => match attachments.get(&unlocked.data_key, h) {
                    Ok(bytes) => Ok(Some(bytes)),
                    // A photo whose file is missing prints the initials rather than stopping the whole batch.
                    Err(CoreError::NotFound) => Ok(None),
                    Err(e) => Err(e),
                },
                None => Ok(None),
            }
        };
        let logo = read(&agency_logo)?;
        let dates = format!("{} – {}", day_text(&project.start_date), day_text(&project.end_date));
        let validity = i18n::badge_validity(locale, &day_text(&project.start_date), &day_text(&project.end_date));
        let mut out = Vec::with_capacity(cast.len());
        for (assignment, text) in cast.iter().zip(tokens) {
            let parsed = BadgeToken::parse(&text).map_err(|_| CoreError::Internal("badge token".into()))?;
            out.push(BadgeContent {
                agency_name: agency_name.clone(),
                agency_logo: logo.clone(),
                production_name: project.production_name.clone(),
                project_name: project.name.clone(),
                project_dates: dates.clone(),
                photo_jpeg: read(&assignment.photo)?,
                full_name: format!("{} {}", assignment.first_name, assignment.last_name),
                talent_code: assignment.talent_code.clone(),
                talent_type: talent_type_label(conn, &assignment.talent_type, locale)?,
                role: assignment.role.clone().unwrap_or_default(),
                validity: validity.clone(),
                token: text,
                short_code: parsed.short_code(),
            });
        }
        Ok(out)
    }

    /// Prepares, renders and writes a project's badges in one call (the CLI; the desktop splits the steps).
    pub fn write_badges(
        &mut self,
        project: &str,
        assignment_ids: Option<&[String]>,
        paper: BadgePaper,
        out: &Path,
        progress: &mut dyn FnMut(usize, usize) -> bool,
    ) -> CoreResult<BadgeFile> {
        let badges = self.prepare_badges(project, assignment_ids, false)?;
        render_to_file(&badges, paper, out, progress)
    }

    /// Where a new badge PDF for a project goes: the data folder's `exports/`, named by project and time.
    pub fn badge_output_path(&mut self, project: &str, paper: BadgePaper) -> CoreResult<std::path::PathBuf> {
        let unlocked = self.require(Action::BadgesPrint)?;
        let project = load_project(unlocked.store.conn(), project)?;
        let stamp = jiff::Zoned::now().strftime("%Y%m%d-%H%M%S").to_string();
        let kind = match paper {
            BadgePaper::A4 => "a4",
            BadgePaper::Card => "cartes",
        };
        self.export_file(&["badges", &project.code, kind, &stamp], "pdf")
    }

    /// Revokes a badge (lost, stolen) without issuing another.
    pub fn revoke_badge(&mut self, badge_id: &str) -> CoreResult<()> {
        let unlocked = self.require(Action::BadgesPrint)?;
        let actor = unlocked.user.id;
        let now = now_iso();
        let tx = unlocked.store.transaction()?;
        let project: String = tx
            .query_row("SELECT project_id FROM badges WHERE id = ?1 AND revoked_at IS NULL", [badge_id], |r| r.get(0))
            .optional()?
            .ok_or(CoreError::NotFound)?;
        revoke(&tx, badge_id, "revoked", Some(actor), &now)?;
        log(&tx, actor, "badge_revoked", "project", &project, Some(json!({ "badge": badge_id })))?;
        tx.commit()?;
        Ok(())
    }

    /// What a scanned or typed token proves, checked offline.
    pub fn verify_badge(&mut self, token_text: &str) -> CoreResult<BadgeCheck> {
        let locale = self.locale();
        let unlocked = self.require(Action::PresenceView)?;
        check_token(unlocked.store.conn(), token_text, jiff::Zoned::now().date(), locale)
    }

    /// Same as [`Talento::verify_badge`] on a given day (tests, and checking a badge for a future shoot day).
    pub fn verify_badge_on(&mut self, token_text: &str, day: Date) -> CoreResult<BadgeCheck> {
        let locale = self.locale();
        let unlocked = self.require(Action::PresenceView)?;
        check_token(unlocked.store.conn(), token_text, day, locale)
    }

    /// The agency logo printed on badges (an attachment hash), if any.
    pub fn agency_logo(&mut self) -> CoreResult<Option<String>> {
        let unlocked = self.require(Action::BadgesPrint)?;
        Ok(unlocked.store.conn().query_row("SELECT logo FROM agency LIMIT 1", [], |r| r.get(0))?)
    }

    /// Sets (or with `None` removes) the agency logo printed on badges; `data_base64` is any photo format.
    pub fn set_agency_logo(&mut self, data_base64: Option<&str>) -> CoreResult<()> {
        let attachments = Attachments::new(&self.files.dir);
        let unlocked = self.require(Action::SettingsManage)?;
        let actor = unlocked.user.id;
        let now = now_iso();
        let key = unlocked.data_key.clone();
        let tx = unlocked.store.transaction()?;
        let hash =
            data_base64.map(|data| crate::talents::files::put_logo(&tx, &attachments, &key, data)).transpose()?;
        let id: String = tx.query_row("SELECT id FROM agency LIMIT 1", [], |r| r.get(0))?;
        let mut fields = Map::new();
        fields.insert("logo".into(), json!(hash));
        if let Saved::Updated(_) = rows::save(&tx, "agency", &id, &fields, Some(actor), &now)? {
            log(&tx, actor, "agency_logo_changed", "agency", &id, None)?;
        }
        tx.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_print_the_french_way() {
        assert_eq!(day_text("2026-12-03"), "03/12/2026");
        assert_eq!(day_text("nonsense"), "nonsense");
    }
}
