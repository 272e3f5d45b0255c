//! Presence at the gate of a set: badges scanned offline (verified with [`crate::casting::badges::check_token`]),
//! recorded as immutable scan events, and the day's attendance derived from those events — never stored. The first
//! accepted scan of a day checks a talent in, the second out, a third is "already complete"; the same badge again
//! within ten seconds of its last accepted scan is a double read, ignored and counted on this laptop. A talent not
//! on the roster is admitted only with a reason; a correction is a new event, never an edit.

mod attendance;
mod derive;
pub mod dto;
mod export;

use std::collections::{HashMap, HashSet};

use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use rusqlite::{Connection, OptionalExtension, Transaction};
use serde_json::{Map, Value, json};
use talento_domain::badge::{BadgeToken, normalize_short_code};
use talento_domain::validate::{FieldError, FieldProblem};
use talento_domain::{Action, Locale};
use uuid::Uuid;

use self::attendance::{event_dto, officer_names};
use self::derive::{Event, EventKind, TalentDay, talent_day};
use self::dto::{
    BulkCheckInput, BulkOutcome, BulkSkip, BulkSkipped, DayCounts, PeriodKind, ScanAction, ScanEventDto, ScanKind,
    ScanMethod, ScanOutcome, ScanStatus,
};
use crate::audit::{self, Activity};
use crate::casting::badges::check_token;
use crate::casting::dto::ProjectDto;
use crate::casting::load_project;
use crate::changelog;
use crate::engine::{Talento, Unlocked, now_iso};
use crate::error::{ConflictReason, CoreError, CoreResult, check};
use crate::i18n;
use crate::rows;

/// A repeat of the same badge within this long of its last accepted scan is a double read.
pub const DOUBLE_READ_SECS: i64 = 10;
const REASON_MAX: usize = 500;
/// Longest period a report or export covers.
const REPORT_MAX_DAYS: i32 = 366;

/// `YYYY-MM-DDTHH:MM:SS.mmmZ`, the one way times are stored (so they also sort as text).
pub fn iso_time(at: Timestamp) -> String {
    format!("{at:.3}")
}

fn hm(at: Timestamp, tz: &TimeZone) -> String {
    let z = at.to_zoned(tz.clone());
    format!("{:02}:{:02}", z.hour(), z.minute())
}

/// A day as people type it: `2026-12-03` or `03/12/2026`.
pub fn parse_day(raw: &str) -> Option<Date> {
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

/// The first and last day of the day, week (Monday to Sunday) or month holding `date`.
pub fn period_range(kind: PeriodKind, date: Date) -> (Date, Date) {
    match kind {
        PeriodKind::Day => (date, date),
        PeriodKind::Week => {
            let monday = date.saturating_sub(jiff::Span::new().days(i64::from(date.weekday().to_monday_zero_offset())));
            (monday, monday.saturating_add(jiff::Span::new().days(6)))
        }
        PeriodKind::Month => (date.first_of_month(), date.last_of_month()),
    }
}

fn parse_time_of_day(raw: &str) -> Option<Time> {
    let (h, m) = raw.trim().split_once([':', 'h', 'H'])?;
    let ok = |s: &str| !s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit());
    if !ok(h) || !ok(m) {
        return None;
    }
    Time::new(h.parse().ok()?, m.parse().ok()?, 0, 0).ok()
}

fn at_local(day: Date, time: Time, tz: &TimeZone) -> Option<Timestamp> {
    day.to_datetime(time).to_zoned(tz.clone()).ok().map(|z| z.timestamp())
}

fn parse_ts(text: &str) -> Option<Timestamp> {
    text.parse().ok()
}

/// The project scanned for: it must exist and not be archived.
fn scan_project(conn: &Connection, project: &str) -> CoreResult<ProjectDto> {
    let project = load_project(conn, project)?;
    if project.archived {
        return Err(CoreError::Conflict(ConflictReason::ProjectArchived));
    }
    Ok(project)
}

const EVENT_COLUMNS: &str =
    "id, kind, at, device_id, talent_id, assignment_id, reason, corrects, corrected_at, method, officer_id, day";

/// A stored row, parsed; a row that does not parse (written by a newer version) is skipped rather than misread.
fn event_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Option<StoredEvent>> {
    let kind: String = r.get(1)?;
    let at: String = r.get(2)?;
    let corrected_at: Option<String> = r.get(8)?;
    let (Some(kind), Some(at)) = (EventKind::parse(&kind), parse_ts(&at)) else {
        return Ok(None);
    };
    Ok(Some(StoredEvent {
        event: Event {
            id: r.get(0)?,
            kind,
            at,
            device_id: r.get(3)?,
            talent_id: r.get(4)?,
            assignment_id: r.get(5)?,
            reason: r.get(6)?,
            corrects: r.get(7)?,
            corrected_at: corrected_at.as_deref().and_then(parse_ts),
        },
        method: r.get(9)?,
        officer: r.get(10)?,
        day: r.get(11)?,
    }))
}

/// The events of one project's day (of one talent when given), in storage order.
fn day_events(conn: &Connection, project_id: &str, day: Date, talent: Option<&str>) -> CoreResult<Vec<StoredEvent>> {
    let sql = format!(
        "SELECT {EVENT_COLUMNS} FROM scan_events WHERE project_id = ?1 AND day = ?2 AND (?3 IS NULL OR talent_id = ?3)"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(rusqlite::params![project_id, day.to_string(), talent], event_row)?;
    let mut out = Vec::new();
    for row in rows {
        out.extend(row?);
    }
    Ok(out)
}

struct StoredEvent {
    event: Event,
    method: String,
    officer: Option<String>,
    day: String,
}

/// Who a scan is about, as this laptop knows them.
#[derive(Debug, Default)]
struct Subject {
    talent_id: String,
    talent_code: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    photo: Option<String>,
    photo_thumb: Option<String>,
    /// Set only while they are on the roster (an active assignment).
    assignment_id: Option<String>,
    assignment_code: Option<String>,
    role: Option<String>,
    talent_type: Option<String>,
    talent_type_label: Option<String>,
}

impl Subject {
    fn on_roster(&self) -> bool {
        self.assignment_id.is_some()
    }

    fn name(&self) -> Option<String> {
        match (&self.first_name, &self.last_name) {
            (Some(f), Some(l)) => Some(format!("{f} {l}")),
            _ => None,
        }
    }
}

fn type_label(conn: &Connection, key: &str, locale: Locale) -> CoreResult<String> {
    let sql = match locale {
        Locale::Fr => "SELECT name_fr FROM ref_cinema_talent_types WHERE key = ?1",
        Locale::En => "SELECT name_en FROM ref_cinema_talent_types WHERE key = ?1",
    };
    Ok(conn.prepare_cached(sql)?.query_row([key], |r| r.get(0)).optional()?.unwrap_or_else(|| key.to_owned()))
}

fn subject(conn: &Connection, project_id: &str, talent_id: &str, locale: Locale) -> CoreResult<Subject> {
    let mut s = Subject { talent_id: talent_id.to_owned(), ..Subject::default() };
    conn.prepare_cached(
        "SELECT t.code, t.first_name, t.last_name, t.photo, (SELECT thumb FROM attachments WHERE hash = t.photo)
         FROM talents t WHERE t.id = ?1 AND t.erased_at IS NULL",
    )?
    .query_row([talent_id], |r| {
        s.talent_code = Some(r.get(0)?);
        s.first_name = Some(r.get(1)?);
        s.last_name = Some(r.get(2)?);
        s.photo = r.get(3)?;
        s.photo_thumb = r.get(4)?;
        Ok(())
    })
    .optional()?;
    let assignment: Option<(String, String, Option<String>, String)> = conn
        .prepare_cached("SELECT id, code, role, talent_type FROM assignments WHERE id = ?1 AND active = 1")?
        .query_row([format!("{project_id}:{talent_id}")], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .optional()?;
    if let Some((id, code, role, kind)) = assignment {
        s.talent_type_label = Some(type_label(conn, &kind, locale)?);
        (s.assignment_id, s.assignment_code, s.role, s.talent_type) = (Some(id), Some(code), role, Some(kind));
    }
    Ok(s)
}

/// A new scan event, written through [`rows::save`] so it reaches the change log.
struct NewEvent<'a> {
    kind: EventKind,
    method: ScanMethod,
    at: Timestamp,
    day: Date,
    project_id: &'a str,
    talent_id: &'a str,
    assignment_id: Option<&'a str>,
    fingerprint: Option<&'a str>,
    reason: Option<&'a str>,
    corrects: Option<&'a str>,
    corrected_at: Option<Timestamp>,
}

fn record(tx: &Transaction<'_>, event: &NewEvent<'_>, officer: Uuid) -> CoreResult<String> {
    let id = Uuid::now_v7().to_string();
    let mut fields = Map::new();
    fields.insert("device_id".into(), json!(changelog::device_id(tx)?.to_string()));
    fields.insert("officer_id".into(), json!(officer.to_string()));
    fields.insert("at".into(), json!(iso_time(event.at)));
    fields.insert("day".into(), json!(event.day.to_string()));
    fields.insert("project_id".into(), json!(event.project_id));
    fields.insert("talent_id".into(), json!(event.talent_id));
    fields.insert("assignment_id".into(), json!(event.assignment_id));
    fields.insert("kind".into(), json!(event.kind.as_str()));
    fields.insert("method".into(), json!(event.method.as_str()));
    fields.insert("badge_fingerprint".into(), json!(event.fingerprint));
    fields.insert("reason".into(), json!(event.reason));
    fields.insert("corrects".into(), json!(event.corrects));
    fields.insert("corrected_at".into(), json!(event.corrected_at.map(iso_time)));
    rows::save(tx, "scan_events", &id, &fields, Some(officer), &now_iso())?;
    Ok(id)
}

fn log(tx: &Transaction<'_>, actor: Uuid, action: &str, talent_id: &str, details: Value) -> CoreResult<()> {
    audit::activity(
        tx,
        &Activity {
            at: &now_iso(),
            user: Some(actor),
            device: changelog::device_id(tx)?,
            action,
            entity: "talent",
            entity_id: Some(talent_id),
            details: Some(details),
        },
    )
}

/// The day's events grouped by talent, and each talent's derived day.
fn by_talent(events: &[StoredEvent]) -> HashMap<&str, TalentDay> {
    let mut grouped: HashMap<&str, Vec<&Event>> = HashMap::new();
    for e in events {
        grouped.entry(e.event.talent_id.as_str()).or_default().push(&e.event);
    }
    grouped.into_iter().map(|(talent, events)| (talent, talent_day(&events))).collect()
}

/// Present, left, expected… for a project's day, after each scan. Summed by SQL per talent; only a day with a
/// correction goes through the full derivation (corrections can void or move any event).
fn day_counts(conn: &Connection, project_id: &str, day: Date) -> CoreResult<DayCounts> {
    let expected: u32 = conn
        .prepare_cached("SELECT count(*) FROM assignments WHERE project_id = ?1 AND active = 1")?
        .query_row([project_id], |r| r.get(0))?;
    let mut counts = DayCounts { expected, ..DayCounts::default() };
    let mut stmt = conn.prepare_cached(
        "SELECT max(kind = 'in'), max(kind = 'out'), max(kind = 'correction'),
                EXISTS (SELECT 1 FROM assignments a WHERE a.id = ?1 || ':' || e.talent_id AND a.active = 1)
         FROM scan_events e WHERE e.project_id = ?1 AND e.day = ?2 GROUP BY e.talent_id",
    )?;
    let talents = stmt.query_map(rusqlite::params![project_id, day.to_string()], |r| {
        Ok((r.get::<_, bool>(0)?, r.get::<_, bool>(1)?, r.get::<_, bool>(2)?, r.get::<_, bool>(3)?))
    })?;
    let mut arrived_on_roster = 0;
    for talent in talents {
        let (has_in, has_out, corrected, on_roster) = talent?;
        if corrected {
            return derived_counts(conn, project_id, day, expected);
        }
        if !has_in {
            continue;
        }
        if has_out {
            counts.left += 1;
        } else {
            counts.present += 1;
        }
        if on_roster {
            arrived_on_roster += 1;
        } else {
            counts.off_roster += 1;
        }
    }
    counts.missing = expected.saturating_sub(arrived_on_roster);
    Ok(counts)
}

/// [`day_counts`] through the derivation, corrections applied.
fn derived_counts(conn: &Connection, project_id: &str, day: Date, expected: u32) -> CoreResult<DayCounts> {
    let roster: HashSet<String> = conn
        .prepare_cached("SELECT talent_id FROM assignments WHERE project_id = ?1 AND active = 1")?
        .query_map([project_id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let events = day_events(conn, project_id, day, None)?;
    let mut counts = DayCounts { expected, ..DayCounts::default() };
    let mut arrived_on_roster = 0;
    for (talent, state) in &by_talent(&events) {
        if state.ins.is_empty() {
            continue;
        }
        if state.outs.is_empty() {
            counts.present += 1;
        } else {
            counts.left += 1;
        }
        if roster.contains(*talent) {
            arrived_on_roster += 1;
        } else {
            counts.off_roster += 1;
        }
    }
    counts.missing = expected.saturating_sub(arrived_on_roster);
    Ok(counts)
}

fn today_local(tz: &TimeZone) -> Date {
    Timestamp::now().to_zoned(tz.clone()).date()
}

fn validate_reason(raw: &str, errors: &mut Vec<FieldError>) -> String {
    let reason = raw.trim().to_owned();
    if reason.is_empty() {
        errors.push(FieldError::new("reason", FieldProblem::Required));
    } else if reason.chars().count() > REASON_MAX {
        errors.push(FieldError::new("reason", FieldProblem::TooLong { max: REASON_MAX }));
    }
    reason
}

/// What a scan is, before the talent's day decides what it does.
struct Pass<'a> {
    talent_id: &'a str,
    method: ScanMethod,
    at: Timestamp,
    fingerprint: Option<&'a str>,
    /// The officer's reason to admit someone not on the roster.
    admission: Option<&'a str>,
    short_code: Option<String>,
}

fn blank_outcome(at: Timestamp, day: Date, tz: &TimeZone) -> ScanOutcome {
    ScanOutcome {
        status: ScanStatus::Red,
        action: ScanAction::Refused,
        message: String::new(),
        rejection: None,
        other_project: None,
        off_roster: false,
        talent_id: None,
        talent_code: None,
        talent_name: None,
        photo: None,
        photo_thumb: None,
        assignment_id: None,
        assignment_code: None,
        role: None,
        talent_type: None,
        talent_type_label: None,
        short_code: None,
        at: iso_time(at),
        time: hm(at, tz),
        day: day.to_string(),
        event_id: None,
        counts: DayCounts::default(),
    }
}

/// Decides and records one scan of a talent whose identity is established (badge verified, or found by hand).
fn pass(unlocked: &mut Unlocked, project: &ProjectDto, p: Pass<'_>, locale: Locale) -> CoreResult<ScanOutcome> {
    let tz = TimeZone::system();
    let day = p.at.to_zoned(tz.clone()).date();
    let officer = unlocked.user.id;
    let conn = unlocked.store.conn();
    let who = subject(conn, &project.id, p.talent_id, locale)?;
    let events = day_events(conn, &project.id, day, Some(p.talent_id))?;
    let state = talent_day(&events.iter().map(|e| &e.event).collect::<Vec<_>>());
    let mut out = blank_outcome(p.at, day, &tz);
    let name = who.name();
    out.talent_id = Some(who.talent_id.clone());
    out.talent_code.clone_from(&who.talent_code);
    out.talent_name.clone_from(&name);
    out.photo.clone_from(&who.photo);
    out.photo_thumb.clone_from(&who.photo_thumb);
    out.assignment_id.clone_from(&who.assignment_id);
    out.assignment_code.clone_from(&who.assignment_code);
    out.role.clone_from(&who.role);
    out.talent_type.clone_from(&who.talent_type);
    out.talent_type_label.clone_from(&who.talent_type_label);
    out.short_code = p.short_code;
    out.off_roster = !who.on_roster();
    let admitted_today = !state.ins.is_empty();
    if !who.on_roster() && !admitted_today && p.admission.is_none() {
        out.status = ScanStatus::Amber;
        out.action = ScanAction::NeedsAdmission;
        out.message = i18n::scan_message(locale, ScanAction::NeedsAdmission, name.as_deref(), &out.time, true);
        out.counts = day_counts(conn, &project.id, day)?;
        return Ok(out);
    }
    out.status = ScanStatus::Green;
    let since_last = state.last_scan.map(|last| p.at.duration_since(last));
    let double_read = since_last.is_some_and(|d| d >= SignedDuration::ZERO && d.as_secs() < DOUBLE_READ_SECS);
    let action = if double_read {
        ScanAction::DoubleRead
    } else if state.ins.is_empty() {
        ScanAction::CheckedIn
    } else if state.outs.is_empty() {
        ScanAction::CheckedOut
    } else {
        ScanAction::AlreadyComplete
    };
    out.action = action;
    out.message = i18n::scan_message(locale, action, name.as_deref(), &out.time, !who.on_roster());
    // Already complete writes nothing, so takes no write lock.
    match action {
        ScanAction::DoubleRead => {
            let tx = unlocked.store.transaction()?;
            tx.prepare_cached(
                "INSERT INTO scan_double_reads (project_id, day, talent_id, count, last_at) VALUES (?1, ?2, ?3, 1, ?4)
                 ON CONFLICT (project_id, day, talent_id) DO UPDATE SET count = count + 1, last_at = excluded.last_at",
            )?
            .execute(rusqlite::params![project.id, day.to_string(), p.talent_id, iso_time(p.at)])?;
            tx.commit()?;
        }
        ScanAction::CheckedIn | ScanAction::CheckedOut => {
            let kind = if action == ScanAction::CheckedIn { EventKind::In } else { EventKind::Out };
            // Only the check-in of someone off the roster carries the officer's reason.
            let admission = kind == EventKind::In && !who.on_roster();
            let tx = unlocked.store.transaction()?;
            let id = record(
                &tx,
                &NewEvent {
                    kind,
                    method: p.method,
                    at: p.at,
                    day,
                    project_id: &project.id,
                    talent_id: p.talent_id,
                    assignment_id: who.assignment_id.as_deref(),
                    fingerprint: p.fingerprint,
                    reason: if admission { p.admission } else { None },
                    corrects: None,
                    corrected_at: None,
                },
                officer,
            )?;
            if admission {
                log(
                    &tx,
                    officer,
                    "admitted_off_roster",
                    p.talent_id,
                    json!({ "project": project.code, "day": day.to_string(), "event": id }),
                )?;
            }
            tx.commit()?;
            out.event_id = Some(id);
        }
        _ => {}
    }
    out.counts = day_counts(unlocked.store.conn(), &project.id, day)?;
    Ok(out)
}

/// Finds who an officer typed: a badge's short code, an assignment code, a talent code or id.
fn find_talent(conn: &Connection, project_id: &str, typed: &str) -> CoreResult<String> {
    let typed = typed.trim();
    if let Some(code) = normalize_short_code(typed) {
        let found: Option<String> = conn
            .prepare_cached(
                "SELECT talent_id FROM badges WHERE short_code = ?1 AND project_id = ?2 ORDER BY serial DESC LIMIT 1",
            )?
            .query_row([&code, project_id], |r| r.get(0))
            .optional()?;
        if let Some(id) = found {
            return Ok(id);
        }
    }
    let found: Option<String> = conn
        .prepare_cached("SELECT talent_id FROM assignments WHERE project_id = ?1 AND (code = ?2 OR talent_id = ?2)")?
        .query_row([project_id, typed], |r| r.get(0))
        .optional()?;
    if let Some(id) = found {
        return Ok(id);
    }
    conn.prepare_cached("SELECT id FROM talents WHERE (code = ?1 OR id = ?1) AND erased_at IS NULL")?
        .query_row([typed.to_uppercase()], |r| r.get(0))
        .optional()?
        .or(conn
            .prepare_cached("SELECT id FROM talents WHERE id = ?1 AND erased_at IS NULL")?
            .query_row([typed], |r| r.get(0))
            .optional()?)
        .ok_or(CoreError::NotFound)
}

impl Talento {
    /// Scans a badge token at the gate of `project` (code or id), now.
    pub fn scan_badge(&mut self, project: &str, token_text: &str, method: ScanMethod) -> CoreResult<ScanOutcome> {
        self.scan_badge_at(project, token_text, method, Timestamp::now())
    }

    /// [`Talento::scan_badge`] at a given time (tests, the benchmark).
    pub fn scan_badge_at(
        &mut self,
        project: &str,
        token_text: &str,
        method: ScanMethod,
        at: Timestamp,
    ) -> CoreResult<ScanOutcome> {
        self.scan_token(project, token_text, method, at, None)
    }

    /// Records the check-in of a valid badge whose talent is not on the roster here, with the officer's reason.
    /// `badge` is the token, or what [`Talento::manual_check`] takes (short code, talent or assignment code).
    pub fn admit_off_roster(&mut self, project: &str, badge: &str, reason: &str) -> CoreResult<ScanOutcome> {
        self.admit_off_roster_at(project, badge, reason, Timestamp::now())
    }

    pub fn admit_off_roster_at(
        &mut self,
        project: &str,
        badge: &str,
        reason: &str,
        at: Timestamp,
    ) -> CoreResult<ScanOutcome> {
        let mut errors = Vec::new();
        let reason = validate_reason(reason, &mut errors);
        check(errors)?;
        if BadgeToken::parse(badge).is_ok() {
            self.scan_token(project, badge, ScanMethod::Scanner, at, Some(&reason))
        } else {
            self.manual_at(project, badge, at, Some(&reason))
        }
    }

    /// Checks a talent in or out by hand (lost badge): by the badge's short code, assignment code, talent code or id.
    pub fn manual_check(&mut self, project: &str, talent_or_short_code: &str) -> CoreResult<ScanOutcome> {
        self.manual_at(project, talent_or_short_code, Timestamp::now(), None)
    }

    pub fn manual_check_at(
        &mut self,
        project: &str,
        talent_or_short_code: &str,
        at: Timestamp,
    ) -> CoreResult<ScanOutcome> {
        self.manual_at(project, talent_or_short_code, at, None)
    }

    fn manual_at(
        &mut self,
        project: &str,
        typed: &str,
        at: Timestamp,
        admission: Option<&str>,
    ) -> CoreResult<ScanOutcome> {
        let locale = self.locale();
        let unlocked = self.require(Action::PresenceScan)?;
        let conn = unlocked.store.conn();
        let project = scan_project(conn, project)?;
        let talent_id = find_talent(conn, &project.id, typed)?;
        let p = Pass {
            talent_id: &talent_id,
            method: ScanMethod::Manual,
            at,
            fingerprint: None,
            admission,
            short_code: None,
        };
        pass(unlocked, &project, p, locale)
    }

    fn scan_token(
        &mut self,
        project: &str,
        token_text: &str,
        method: ScanMethod,
        at: Timestamp,
        admission: Option<&str>,
    ) -> CoreResult<ScanOutcome> {
        let locale = self.locale();
        let unlocked = self.require(Action::PresenceScan)?;
        let conn = unlocked.store.conn();
        let project = scan_project(conn, project)?;
        let tz = TimeZone::system();
        let day = at.to_zoned(tz.clone()).date();
        let badge = check_token(conn, token_text, day, locale)?;
        let refuse = |mut out: ScanOutcome, message: String| -> CoreResult<ScanOutcome> {
            out.message = message;
            out.talent_id.clone_from(&badge.talent_id);
            out.talent_code.clone_from(&badge.talent_code);
            out.talent_name.clone_from(&badge.talent_name);
            out.photo.clone_from(&badge.talent_photo);
            out.short_code.clone_from(&badge.short_code);
            out.counts = day_counts(conn, &project.id, day)?;
            Ok(out)
        };
        if let Some(rejection) = badge.rejection {
            let mut out = blank_outcome(at, day, &tz);
            out.rejection = Some(rejection);
            return refuse(out, badge.message.clone());
        }
        let (Some(talent_id), Some(project_id)) = (badge.talent_id.clone(), badge.project_id.as_deref()) else {
            return Err(CoreError::Internal("a valid badge without its claims".into()));
        };
        if project_id != project.id {
            let mut out = blank_outcome(at, day, &tz);
            let other = badge.project_code.clone().unwrap_or_else(|| project_id.to_owned());
            out.other_project = Some(other.clone());
            return refuse(out, i18n::scan_other_project(locale, &other));
        }
        let fingerprint = BadgeToken::parse(token_text).map(|t| t.fingerprint()).ok();
        let p = Pass {
            talent_id: &talent_id,
            method,
            at,
            fingerprint: fingerprint.as_deref(),
            admission,
            short_code: badge.short_code.clone(),
        };
        pass(unlocked, &project, p, locale)
    }

    /// Checks a group in or out at once (from the day's roster). Talents already in (or not in, or already out)
    /// are left out and reported; an unknown assignment refuses the whole group and nothing is written.
    pub fn bulk_check(&mut self, project: &str, input: BulkCheckInput) -> CoreResult<BulkOutcome> {
        let tz = TimeZone::system();
        let unlocked = self.require(Action::PresenceScan)?;
        let conn = unlocked.store.conn();
        let project = scan_project(conn, project)?;
        let mut errors = Vec::new();
        let day = parse_day(&input.day);
        if day.is_none() {
            errors.push(FieldError::new("day", FieldProblem::InvalidDate));
        }
        let time = match input.time.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            Some(raw) => match parse_time_of_day(raw) {
                Some(t) => Some(t),
                None => {
                    errors.push(FieldError::new("time", FieldProblem::InvalidTime));
                    None
                }
            },
            None => None,
        };
        if input.assignment_ids.is_empty() {
            errors.push(FieldError::new("assignmentIds", FieldProblem::Required));
        }
        if input.assignment_ids.len() > 2000 {
            errors.push(FieldError::new("assignmentIds", FieldProblem::TooMany { max: 2000 }));
        }
        let at = match (day, time) {
            (Some(day), Some(time)) => at_local(day, time, &tz),
            (Some(day), None) if day == today_local(&tz) => Some(Timestamp::now()),
            (Some(_), None) => {
                errors.push(FieldError::new("time", FieldProblem::Required));
                None
            }
            _ => None,
        };
        check(errors)?;
        let (Some(day), Some(at)) = (day, at) else {
            return Err(CoreError::Internal("validated bulk check without a time".into()));
        };
        let mut chosen: Vec<(String, String)> = Vec::new();
        for raw in &input.assignment_ids {
            let found: Option<(String, String)> = conn
                .prepare_cached(
                    "SELECT id, talent_id FROM assignments WHERE (id = ?1 OR code = ?1) AND project_id = ?2 AND active = 1",
                )?
                .query_row([raw.trim(), &project.id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            let found = found.ok_or(CoreError::NotFound)?;
            if !chosen.contains(&found) {
                chosen.push(found);
            }
        }
        let events = day_events(conn, &project.id, day, None)?;
        let states = by_talent(&events);
        let officer = unlocked.user.id;
        let tx = unlocked.store.transaction()?;
        let mut recorded = Vec::new();
        let mut skipped = Vec::new();
        for (assignment_id, talent_id) in &chosen {
            let state = states.get(talent_id.as_str());
            let (has_in, has_out) = state.map_or((false, false), |s| (!s.ins.is_empty(), !s.outs.is_empty()));
            let skip = match input.kind {
                ScanKind::In if has_in => Some(BulkSkip::AlreadyIn),
                ScanKind::Out if !has_in => Some(BulkSkip::NotIn),
                ScanKind::Out if has_out => Some(BulkSkip::AlreadyOut),
                _ => None,
            };
            if let Some(reason) = skip {
                skipped.push(BulkSkipped { assignment_id: assignment_id.clone(), reason });
                continue;
            }
            let kind = if input.kind == ScanKind::In { EventKind::In } else { EventKind::Out };
            recorded.push(record(
                &tx,
                &NewEvent {
                    kind,
                    method: ScanMethod::Bulk,
                    at,
                    day,
                    project_id: &project.id,
                    talent_id,
                    assignment_id: Some(assignment_id),
                    fingerprint: None,
                    reason: None,
                    corrects: None,
                    corrected_at: None,
                },
                officer,
            )?);
        }
        if !recorded.is_empty() {
            audit::activity(
                &tx,
                &Activity {
                    at: &now_iso(),
                    user: Some(officer),
                    device: changelog::device_id(&tx)?,
                    action: "presence_bulk_check",
                    entity: "project",
                    entity_id: Some(&project.id),
                    details: Some(
                        json!({ "day": day.to_string(), "kind": kind_text(input.kind), "count": recorded.len() }),
                    ),
                },
            )?;
        }
        tx.commit()?;
        let counts = day_counts(unlocked.store.conn(), &project.id, day)?;
        Ok(BulkOutcome { recorded, skipped, counts })
    }

    /// Corrects a check-in or check-out: `new_time` (`HH:MM` on the event's day, or a full timestamp) moves it,
    /// `None` voids it. A correction is a new event with the officer and the reason; nothing is ever edited.
    pub fn correct_scan(&mut self, event_id: &str, new_time: Option<&str>, reason: &str) -> CoreResult<ScanEventDto> {
        let tz = TimeZone::system();
        let unlocked = self.require(Action::PresenceScan)?;
        let conn = unlocked.store.conn();
        let target: Option<(String, String, String, String, Option<String>, String)> = conn
            .query_row(
                "SELECT kind, project_id, talent_id, day, assignment_id, at FROM scan_events WHERE id = ?1",
                [event_id.trim()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
            )
            .optional()?;
        let (kind, project_id, talent_id, day_text, assignment_id, _) = target.ok_or(CoreError::NotFound)?;
        if kind == EventKind::Correction.as_str() {
            return Err(CoreError::Conflict(ConflictReason::NotCorrectable));
        }
        let day = day_text.parse::<Date>().map_err(|e| CoreError::StoreCorrupted(format!("scan day: {e}")))?;
        let mut errors = Vec::new();
        let reason = validate_reason(reason, &mut errors);
        let corrected_at = match new_time.map(str::trim).filter(|t| !t.is_empty()) {
            None => None,
            Some(raw) => {
                let parsed = parse_ts(raw).or_else(|| parse_time_of_day(raw).and_then(|t| at_local(day, t, &tz)));
                if parsed.is_none() {
                    errors.push(FieldError::new("newTime", FieldProblem::InvalidTime));
                }
                parsed
            }
        };
        check(errors)?;
        let officer = unlocked.user.id;
        let tx = unlocked.store.transaction()?;
        let id = record(
            &tx,
            &NewEvent {
                kind: EventKind::Correction,
                method: ScanMethod::Manual,
                at: Timestamp::now(),
                day,
                project_id: &project_id,
                talent_id: &talent_id,
                assignment_id: assignment_id.as_deref(),
                fingerprint: None,
                reason: Some(&reason),
                corrects: Some(event_id.trim()),
                corrected_at,
            },
            officer,
        )?;
        log(
            &tx,
            officer,
            "scan_corrected",
            &talent_id,
            json!({ "event": event_id.trim(), "correction": id, "voided": corrected_at.is_none() }),
        )?;
        tx.commit()?;
        let conn = unlocked.store.conn();
        let events = day_events(conn, &project_id, day, Some(&talent_id))?;
        let names = officer_names(conn)?;
        let state = talent_day(&events.iter().map(|e| &e.event).collect::<Vec<_>>());
        events.iter().find(|e| e.event.id == id).map(|e| event_dto(e, &state, &names)).ok_or(CoreError::NotFound)
    }

    /// Takes into this store scan events another laptop recorded (sync): a union, so an event already here is left
    /// as it is. Nothing goes to this laptop's change log — the events are the other device's.
    pub fn receive_scan_events(&mut self, events: &[changelog::Change]) -> CoreResult<u32> {
        const COLUMNS: [&str; 17] = [
            "device_id",
            "officer_id",
            "at",
            "day",
            "project_id",
            "talent_id",
            "assignment_id",
            "kind",
            "method",
            "badge_fingerprint",
            "reason",
            "corrects",
            "corrected_at",
            "created_at",
            "created_by",
            "updated_at",
            "hlc",
        ];
        let unlocked = self.require(Action::SyncRun)?;
        let tx = unlocked.store.transaction()?;
        let mut added = 0;
        for change in events.iter().filter(|c| c.table == "scan_events" && c.op == "upsert") {
            let mut values: Vec<rusqlite::types::Value> = vec![change.row_id.clone().into()];
            for column in COLUMNS {
                let value = match column {
                    "hlc" => Value::from(change.hlc.clone()),
                    _ => change.fields.get(column).cloned().unwrap_or(Value::Null),
                };
                values.push(rows::to_sql(&value));
            }
            let placeholders: Vec<String> = (1..=COLUMNS.len() + 1).map(|i| format!("?{i}")).collect();
            let sql = format!(
                "INSERT INTO scan_events (id, {}) VALUES ({}) ON CONFLICT (id) DO NOTHING",
                COLUMNS.join(", "),
                placeholders.join(", ")
            );
            // A received event that does not fit the table refuses the batch, which then writes nothing.
            added += tx.execute(&sql, rusqlite::params_from_iter(values)).map_err(|cause| {
                tracing::warn!(%cause, row = %change.row_id, "received scan event refused");
                CoreError::Validation(vec![FieldError::new("events", FieldProblem::UnknownValue)])
            })?;
        }
        tx.commit()?;
        Ok(u32::try_from(added).unwrap_or(u32::MAX))
    }
}

fn kind_text(kind: ScanKind) -> &'static str {
    match kind {
        ScanKind::In => "in",
        ScanKind::Out => "out",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_read_in_both_ways_people_write_them() {
        assert_eq!(parse_day("2026-12-03"), Some(jiff::civil::date(2026, 12, 3)));
        assert_eq!(parse_day(" 03/12/2026 "), Some(jiff::civil::date(2026, 12, 3)));
        assert_eq!(parse_day("3/1/2027"), Some(jiff::civil::date(2027, 1, 3)));
        for bad in ["", "31/02/2026", "12/2026", "03/12/26", "demain"] {
            assert_eq!(parse_day(bad), None, "{bad:?} is not a day");
        }
    }

    #[test]
    fn periods_cover_a_day_a_week_from_monday_and_a_month() {
        let thursday = jiff::civil::date(2026, 12, 3);
        assert_eq!(period_range(PeriodKind::Day, thursday), (thursday, thursday));
        assert_eq!(
            period_range(PeriodKind::Week, thursday),
            (jiff::civil::date(2026, 11, 30), jiff::civil::date(2026, 12, 6)),
            "weeks run Monday to Sunday"
        );
        assert_eq!(
            period_range(PeriodKind::Month, thursday),
            (jiff::civil::date(2026, 12, 1), jiff::civil::date(2026, 12, 31))
        );
    }
}
