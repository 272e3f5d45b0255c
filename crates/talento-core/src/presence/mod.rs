//! Presence at the gate of a set: badges scanned offline (verified with [`crate::casting::badges::check_token`]),
//! recorded as immutable scan events, and the day's attendance derived from those events — never stored. The first
//! accepted scan of a day checks a talent in, the second out, a third is "already complete"; the same badge again
//! within ten seconds of its last accepted scan is a double read, ignored and counted on this laptop. A talent not
//! on the roster is admitted only with a reason; a correction is a new event, never an edit.

mod derive;
pub mod dto;
mod export;

use std::collections::{BTreeSet, HashMap, HashSet};

use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use rusqlite::{Connection, OptionalExtension, Transaction};
use serde_json::{Map, Value, json};
use talento_domain::badge::{BadgeToken, normalize_short_code};
use talento_domain::validate::{FieldError, FieldProblem};
use talento_domain::{Action, Locale};
use uuid::Uuid;

use self::derive::{Event, EventKind, TalentDay, talent_day};
use self::dto::{
    AttendanceLine, AttendanceRow, AttendanceStatus, BulkCheckInput, BulkOutcome, BulkSkip, BulkSkipped, DayAttendance,
    DayCounts, PeriodKind, ScanAction, ScanEventDto, ScanKind, ScanMethod, ScanOutcome, ScanStatus,
};
use crate::audit::{self, Activity};
use crate::casting::badges::check_token;
use crate::casting::dto::ProjectDto;
use crate::casting::{load_project, roster};
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
fn event_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Option<(Event, String, Option<String>, String)>> {
    let kind: String = r.get(1)?;
    let at: String = r.get(2)?;
    let corrected_at: Option<String> = r.get(8)?;
    let (Some(kind), Some(at)) = (EventKind::parse(&kind), parse_ts(&at)) else {
        return Ok(None);
    };
    Ok(Some((
        Event {
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
        r.get(9)?,
        r.get(10)?,
        r.get(11)?,
    )))
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
        if let Some((event, method, officer, day)) = row? {
            out.push(StoredEvent { event, method, officer, day });
        }
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
    let talent: Option<(String, String, String, Option<String>, Option<String>)> = conn
        .prepare_cached(
            "SELECT t.code, t.first_name, t.last_name, t.photo, (SELECT thumb FROM attachments WHERE hash = t.photo)
             FROM talents t WHERE t.id = ?1 AND t.erased_at IS NULL",
        )?
        .query_row([talent_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
        .optional()?;
    if let Some((code, first, last, photo, thumb)) = talent {
        (s.talent_code, s.first_name, s.last_name, s.photo, s.photo_thumb) =
            (Some(code), Some(first), Some(last), photo, thumb);
    }
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

/// Present, left, expected… for a project's day: a light query for after each scan.
fn day_counts(conn: &Connection, project_id: &str, day: Date) -> CoreResult<DayCounts> {
    let roster: HashSet<String> = conn
        .prepare_cached("SELECT talent_id FROM assignments WHERE project_id = ?1 AND active = 1")?
        .query_map([project_id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let events = day_events(conn, project_id, day, None)?;
    let days = by_talent(&events);
    let mut counts = DayCounts { expected: u32::try_from(roster.len()).unwrap_or(u32::MAX), ..DayCounts::default() };
    let mut arrived_on_roster = 0;
    for (talent, state) in &days {
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
    counts.missing = counts.expected.saturating_sub(arrived_on_roster);
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
    let tx = unlocked.store.transaction()?;
    match action {
        ScanAction::DoubleRead => {
            tx.prepare_cached(
                "INSERT INTO scan_double_reads (project_id, day, talent_id, count, last_at) VALUES (?1, ?2, ?3, 1, ?4)
                 ON CONFLICT (project_id, day, talent_id) DO UPDATE SET count = count + 1, last_at = excluded.last_at",
            )?
            .execute(rusqlite::params![project.id, day.to_string(), p.talent_id, iso_time(p.at)])?;
        }
        ScanAction::CheckedIn | ScanAction::CheckedOut => {
            let kind = if action == ScanAction::CheckedIn { EventKind::In } else { EventKind::Out };
            let reason = if who.on_roster() { None } else { p.admission.or(state.admission_reason.as_deref()) };
            let admission = kind == EventKind::In && !who.on_roster();
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
                    reason: if admission { reason } else { None },
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
            out.event_id = Some(id);
        }
        _ => {}
    }
    tx.commit()?;
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

    /// A project's day: every roster talent with their status, times, lateness and hours, and admissions off the
    /// roster, derived from the events.
    pub fn day_attendance(&mut self, project: &str, day: &str) -> CoreResult<DayAttendance> {
        let locale = self.locale();
        let unlocked = self.require(Action::PresenceView)?;
        let conn = unlocked.store.conn();
        let project = load_project(conn, project)?;
        let day = parse_day(day)
            .ok_or_else(|| CoreError::Validation(vec![FieldError::new("day", FieldProblem::InvalidDate)]))?;
        derive_day(conn, &project, day, locale)
    }

    /// Rows per talent per day for a project, from `from` to `to` (inclusive; days planned or with scans).
    pub fn attendance_report(&mut self, project: &str, from: &str, to: &str) -> CoreResult<Vec<AttendanceRow>> {
        let locale = self.locale();
        let unlocked = self.require(Action::PresenceView)?;
        let conn = unlocked.store.conn();
        let project = load_project(conn, project)?;
        let (from, to) = validate_range(from, to)?;
        Ok(report_days(conn, &project, from, to, locale)?.into_iter().flat_map(|d| rows_of(&d)).collect())
    }

    /// A talent's attendance across projects and days, newest first: days with scans, and past shoot days of the
    /// projects they are cast in (absent when not scanned).
    pub fn talent_attendance(&mut self, talent: &str) -> CoreResult<Vec<AttendanceRow>> {
        let locale = self.locale();
        let tz = TimeZone::system();
        let unlocked = self.require(Action::PresenceView)?;
        let conn = unlocked.store.conn();
        let talent_id: String = conn
            .query_row("SELECT id FROM talents WHERE id = ?1 OR code = ?1", [talent.trim()], |r| r.get(0))
            .optional()?
            .or(conn
                .query_row("SELECT talent_id FROM scan_events WHERE talent_id = ?1 LIMIT 1", [talent.trim()], |r| {
                    r.get(0)
                })
                .optional()?)
            .ok_or(CoreError::NotFound)?;
        let today = today_local(&tz).to_string();
        let mut days: BTreeSet<(String, String)> = conn
            .prepare("SELECT DISTINCT project_id, day FROM scan_events WHERE talent_id = ?1")?
            .query_map([&talent_id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        let planned: Vec<(String, String)> = conn
            .prepare(
                "SELECT d.project_id, d.day FROM shoot_days d JOIN assignments a ON a.project_id = d.project_id
                 WHERE a.talent_id = ?1 AND a.active = 1 AND d.day <= ?2",
            )?
            .query_map([&talent_id, &today], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        days.extend(planned);
        let mut projects: HashMap<String, Option<ProjectDto>> = HashMap::new();
        let mut out = Vec::new();
        for (project_id, day) in days.iter().rev() {
            let project = match projects.entry(project_id.clone()) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(v) => v.insert(load_project(conn, project_id).ok()),
            };
            let (Some(project), Some(day)) = (project.as_ref(), parse_day(day)) else { continue };
            let derived = derive_day(conn, project, day, locale)?;
            out.extend(rows_of(&derived).into_iter().filter(|r| r.talent_id == talent_id));
        }
        Ok(out)
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

fn validate_range(from: &str, to: &str) -> CoreResult<(Date, Date)> {
    let mut errors = Vec::new();
    let from = parse_day(from);
    let to = parse_day(to);
    if from.is_none() {
        errors.push(FieldError::new("from", FieldProblem::InvalidDate));
    }
    if to.is_none() {
        errors.push(FieldError::new("to", FieldProblem::InvalidDate));
    }
    if let (Some(f), Some(t)) = (from, to) {
        if t < f {
            errors.push(FieldError::new("to", FieldProblem::RangeInverted));
        } else if (t - f).get_days() >= REPORT_MAX_DAYS {
            errors.push(FieldError::new("to", FieldProblem::OutOfRange { min: 1, max: i64::from(REPORT_MAX_DAYS) }));
        }
    }
    check(errors)?;
    match (from, to) {
        (Some(f), Some(t)) => Ok((f, t)),
        _ => Err(CoreError::Internal("validated range without dates".into())),
    }
}

/// Each day of the range that is planned (a shoot day) or has scans, derived.
fn report_days(
    conn: &Connection,
    project: &ProjectDto,
    from: Date,
    to: Date,
    locale: Locale,
) -> CoreResult<Vec<DayAttendance>> {
    let (f, t) = (from.to_string(), to.to_string());
    let mut days: BTreeSet<String> = conn
        .prepare("SELECT DISTINCT day FROM scan_events WHERE project_id = ?1 AND day BETWEEN ?2 AND ?3")?
        .query_map([&project.id, &f, &t], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let planned: Vec<String> = conn
        .prepare("SELECT day FROM shoot_days WHERE project_id = ?1 AND day BETWEEN ?2 AND ?3")?
        .query_map([&project.id, &f, &t], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    days.extend(planned);
    days.iter().filter_map(|d| parse_day(d)).map(|d| derive_day(conn, project, d, locale)).collect()
}

fn rows_of(day: &DayAttendance) -> Vec<AttendanceRow> {
    day.lines
        .iter()
        .map(|l| AttendanceRow {
            project_id: day.project_id.clone(),
            project_code: day.project_code.clone(),
            project_name: day.project_name.clone(),
            day: day.day.clone(),
            call_time: day.call_time.clone(),
            talent_id: l.talent_id.clone(),
            talent_code: l.talent_code.clone(),
            full_name: match (&l.first_name, &l.last_name) {
                (Some(f), Some(n)) => Some(format!("{f} {n}")),
                _ => None,
            },
            role: l.role.clone(),
            talent_type_label: l.talent_type_label.clone(),
            on_roster: l.on_roster,
            status: l.status,
            first_in_time: l.first_in_time.clone(),
            last_out_time: l.last_out_time.clone(),
            late: l.late,
            hours: l.hours,
            duplicate: l.duplicate,
            double_reads: l.double_reads,
            admission_reason: l.admission_reason.clone(),
        })
        .collect()
}

fn officer_names(conn: &Connection) -> CoreResult<HashMap<String, String>> {
    let mut stmt = conn.prepare_cached("SELECT id, name FROM users")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn event_dto(e: &StoredEvent, state: &TalentDay, names: &HashMap<String, String>) -> ScanEventDto {
    let effective = state.effective_of(&e.event.id);
    ScanEventDto {
        id: e.event.id.clone(),
        kind: e.event.kind.as_str().to_owned(),
        method: e.method.clone(),
        at: iso_time(e.event.at),
        day: e.day.clone(),
        device_id: e.event.device_id.clone(),
        officer_id: e.officer.clone(),
        officer_name: e.officer.as_ref().and_then(|o| names.get(o).cloned()),
        talent_id: e.event.talent_id.clone(),
        assignment_id: e.event.assignment_id.clone(),
        reason: e.event.reason.clone(),
        corrects: e.event.corrects.clone(),
        corrected_at: e.event.corrected_at.map(iso_time),
        voided: effective == Some(None),
        effective_at: effective.flatten().map(iso_time),
    }
}

/// The whole derived day of a project.
fn derive_day(conn: &Connection, project: &ProjectDto, day: Date, locale: Locale) -> CoreResult<DayAttendance> {
    let tz = TimeZone::system();
    let shoot: Option<(String, Option<String>)> = conn
        .prepare_cached("SELECT call_time, location FROM shoot_days WHERE project_id = ?1 AND day = ?2")?
        .query_row([&project.id, &day.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let call = shoot.as_ref().and_then(|(t, _)| parse_time_of_day(t)).and_then(|t| at_local(day, t, &tz));
    let over = day < today_local(&tz);
    let mut events = day_events(conn, &project.id, day, None)?;
    events.sort_by(|a, b| a.event.at.cmp(&b.event.at).then_with(|| a.event.id.cmp(&b.event.id)));
    let states = by_talent(&events);
    let names = officer_names(conn)?;
    let double_reads: HashMap<String, u32> = conn
        .prepare_cached("SELECT talent_id, count FROM scan_double_reads WHERE project_id = ?1 AND day = ?2")?
        .query_map([&project.id, &day.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let empty = TalentDay::default();
    let line = |talent_id: &str| -> AttendanceLine {
        let state = states.get(talent_id).unwrap_or(&empty);
        let first_in = state.first_in();
        let last_out = state.last_out();
        let late_minutes = match (call, first_in) {
            (Some(call), Some(first)) if first > call => Some(((first.as_second() - call.as_second()) / 60) as u32),
            _ => None,
        };
        AttendanceLine {
            talent_id: talent_id.to_owned(),
            talent_code: None,
            first_name: None,
            last_name: None,
            photo: None,
            photo_thumb: None,
            assignment_id: None,
            assignment_code: None,
            role: None,
            talent_type: None,
            talent_type_label: None,
            on_roster: false,
            status: match (first_in.is_some(), last_out.is_some()) {
                (false, _) if over => AttendanceStatus::Absent,
                (false, _) => AttendanceStatus::Expected,
                (true, false) => AttendanceStatus::Present,
                (true, true) => AttendanceStatus::Left,
            },
            first_in: first_in.map(iso_time),
            first_in_time: first_in.map(|t| hm(t, &tz)),
            last_out: last_out.map(iso_time),
            last_out_time: last_out.map(|t| hm(t, &tz)),
            late: late_minutes.is_some(),
            late_minutes,
            hours: state.hours(),
            double_reads: double_reads.get(talent_id).copied().unwrap_or(0),
            duplicate: state.duplicate(),
            admission_reason: state.admission_reason.clone(),
            events: events
                .iter()
                .filter(|e| e.event.talent_id == talent_id)
                .map(|e| event_dto(e, state, &names))
                .collect(),
        }
    };
    let mut lines = Vec::new();
    let mut seen = HashSet::new();
    let mut counts = DayCounts::default();
    for a in roster(conn, &project.id, true)? {
        let scanned = states.contains_key(a.talent_id.as_str());
        if !a.active && !scanned {
            continue;
        }
        seen.insert(a.talent_id.clone());
        let mut l = line(&a.talent_id);
        l.talent_code = Some(a.talent_code);
        l.first_name = Some(a.first_name);
        l.last_name = Some(a.last_name);
        l.photo = a.photo;
        l.photo_thumb = a.photo_thumb;
        l.assignment_id = Some(a.id);
        l.assignment_code = Some(a.code);
        l.role = a.role;
        l.talent_type_label = Some(type_label(conn, &a.talent_type, locale)?);
        l.talent_type = Some(a.talent_type);
        l.on_roster = a.active;
        if a.active {
            counts.expected += 1;
            if l.first_in.is_none() {
                counts.missing += 1;
            }
        }
        lines.push(l);
    }
    let mut others: Vec<&str> = states.keys().copied().filter(|t| !seen.contains(*t)).collect();
    others.sort_unstable();
    let mut off = Vec::new();
    for talent_id in others {
        let who = subject(conn, &project.id, talent_id, locale)?;
        let mut l = line(talent_id);
        (l.talent_code, l.first_name, l.last_name, l.photo, l.photo_thumb) =
            (who.talent_code, who.first_name, who.last_name, who.photo, who.photo_thumb);
        off.push(l);
    }
    off.sort_by(|a, b| a.last_name.cmp(&b.last_name).then_with(|| a.talent_id.cmp(&b.talent_id)));
    lines.extend(off);
    for l in &lines {
        match l.status {
            AttendanceStatus::Present => counts.present += 1,
            AttendanceStatus::Left => counts.left += 1,
            _ => {}
        }
        if !l.on_roster && l.first_in.is_some() {
            counts.off_roster += 1;
        }
    }
    Ok(DayAttendance {
        project_id: project.id.clone(),
        project_code: project.code.clone(),
        project_name: project.name.clone(),
        day: day.to_string(),
        call_time: shoot.as_ref().map(|(t, _)| t.clone()),
        location: shoot.and_then(|(_, l)| l),
        over,
        counts,
        lines,
    })
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
