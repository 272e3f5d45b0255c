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

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use rusqlite::{Connection, OptionalExtension, Transaction};
use serde_json::{Map, Value, json};
use talento_domain::badge::{BadgeToken, normalize_short_code};
use talento_domain::validate::{FieldError, FieldProblem};
use talento_domain::{Action, Locale};
use uuid::Uuid;

use self::attendance::{event_dto, officer_names};
use self::derive::{Event, TalentDay, talent_day};
use self::dto::{
    BulkCheckInput, BulkOutcome, BulkSkip, BulkSkipped, DayCounts, ScanAction, ScanEventDto, ScanEventKind, ScanKind,
    ScanMethod, ScanOutcome, ScanStatus,
};
use crate::casting::badges::{
    ActiveAssignment, TalentSummary, active_assignment, check_token_details, talent_summary, talent_type_label,
};
use crate::casting::dto::ProjectDto;
use crate::casting::{edit_project_guard, log, parse_call_time, parse_day};
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

fn at_local(day: Date, time: jiff::civil::Time, tz: &TimeZone) -> Option<Timestamp> {
    day.to_datetime(time).to_zoned(tz.clone()).ok().map(|z| z.timestamp())
}

fn parse_ts(text: &str) -> Option<Timestamp> {
    text.parse().ok()
}

const EVENT_COLUMNS: &str =
    "id, kind, at, device_id, talent_id, assignment_id, reason, corrects, corrected_at, method, officer_id, day";

/// A stored row, parsed; a row that does not parse (written by a newer version) is skipped rather than misread.
fn event_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Option<StoredEvent>> {
    let kind: String = r.get(1)?;
    let at: String = r.get(2)?;
    let corrected_at: Option<String> = r.get(8)?;
    let (Some(kind), Some(at)) = (ScanEventKind::parse(&kind), parse_ts(&at)) else {
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

/// A new scan event, written through [`rows::insert`] so it reaches the change log.
struct NewEvent<'a> {
    kind: ScanEventKind,
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

/// Appends one immutable event as this laptop (`device`) and `officer`.
fn record(tx: &Transaction<'_>, event: &NewEvent<'_>, device: Uuid, officer: Uuid) -> CoreResult<String> {
    let id = Uuid::now_v7().to_string();
    let mut fields = Map::new();
    fields.insert("device_id".into(), json!(device.to_string()));
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
    rows::insert(tx, "scan_events", &id, &fields, Some(officer), &now_iso())?;
    Ok(id)
}

/// The day's events grouped by talent, and each talent's derived day.
fn by_talent(events: &[StoredEvent]) -> HashMap<&str, TalentDay> {
    let mut grouped: HashMap<&str, Vec<&Event>> = HashMap::new();
    for e in events {
        grouped.entry(e.event.talent_id.as_str()).or_default().push(&e.event);
    }
    grouped.into_iter().map(|(talent, events)| (talent, talent_day(&events))).collect()
}

/// One talent's day as the counts see it.
struct Arrival {
    checked_in: bool,
    checked_out: bool,
    on_roster: bool,
}

/// The one rule behind a day's counts, for the gate after each scan and for the day sheet: a talent checked in is
/// present until checked out, then has left; one on the roster is no longer missing; one off it is counted apart.
fn tally(expected: u32, talents: impl IntoIterator<Item = Arrival>) -> DayCounts {
    let mut counts = DayCounts { expected, ..DayCounts::default() };
    let mut arrived_on_roster = 0;
    for talent in talents {
        if !talent.checked_in {
            continue;
        }
        if talent.checked_out {
            counts.left += 1;
        } else {
            counts.present += 1;
        }
        if talent.on_roster {
            arrived_on_roster += 1;
        } else {
            counts.off_roster += 1;
        }
    }
    counts.missing = expected.saturating_sub(arrived_on_roster);
    counts
}

/// Present, left, expected… for a project's day, after each scan. Each talent's in and out come straight from SQL;
/// only a day with a correction derives them from the events (a correction can void or move any event).
fn day_counts(conn: &Connection, project: &ProjectDto, day: Date) -> CoreResult<DayCounts> {
    let mut stmt = conn.prepare_cached(
        "SELECT max(kind = 'in'), max(kind = 'out'), max(kind = 'correction'),
                EXISTS (SELECT 1 FROM assignments a WHERE a.id = ?1 || ':' || e.talent_id AND a.active = 1)
         FROM scan_events e WHERE e.project_id = ?1 AND e.day = ?2 GROUP BY e.talent_id",
    )?;
    let rows = stmt.query_map(rusqlite::params![project.id, day.to_string()], |r| {
        Ok((r.get::<_, bool>(0)?, r.get::<_, bool>(1)?, r.get::<_, bool>(2)?, r.get::<_, bool>(3)?))
    })?;
    let mut talents = Vec::new();
    for row in rows {
        let (checked_in, checked_out, corrected, on_roster) = row?;
        if corrected {
            return derived_counts(conn, project, day);
        }
        talents.push(Arrival { checked_in, checked_out, on_roster });
    }
    Ok(tally(project.talent_count, talents))
}

/// [`day_counts`] with each talent's day derived from the events, corrections applied.
fn derived_counts(conn: &Connection, project: &ProjectDto, day: Date) -> CoreResult<DayCounts> {
    let roster: HashSet<String> = conn
        .prepare_cached("SELECT talent_id FROM assignments WHERE project_id = ?1 AND active = 1")?
        .query_map([&project.id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let events = day_events(conn, &project.id, day, None)?;
    let talents = by_talent(&events).into_iter().map(|(talent, state)| Arrival {
        checked_in: !state.ins.is_empty(),
        checked_out: !state.outs.is_empty(),
        on_roster: roster.contains(talent),
    });
    Ok(tally(project.talent_count, talents))
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
    /// As this laptop knows them (None: not synced here yet, still admitted, just unnamed).
    talent: Option<TalentSummary>,
    /// Set only while they are on the scanned project's roster.
    assignment: Option<ActiveAssignment>,
    method: ScanMethod,
    at: Timestamp,
    fingerprint: Option<String>,
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
    let events = day_events(conn, &project.id, day, Some(p.talent_id))?;
    let state = talent_day(&events.iter().map(|e| &e.event).collect::<Vec<_>>());
    let mut out = blank_outcome(p.at, day, &tz);
    let name = p.talent.as_ref().map(TalentSummary::full_name);
    let on_roster = p.assignment.is_some();
    out.talent_id = Some(p.talent_id.to_owned());
    out.talent_name.clone_from(&name);
    if let Some(t) = p.talent {
        (out.talent_code, out.photo, out.photo_thumb) = (Some(t.code), t.photo, t.photo_thumb);
    }
    if let Some(a) = &p.assignment {
        out.talent_type_label = Some(talent_type_label(conn, &a.talent_type, locale)?);
        (out.assignment_id, out.assignment_code, out.role, out.talent_type) =
            (Some(a.id.clone()), Some(a.code.clone()), a.role.clone(), Some(a.talent_type.clone()));
    }
    out.short_code = p.short_code;
    out.off_roster = !on_roster;
    let admitted_today = !state.ins.is_empty();
    if !on_roster && !admitted_today && p.admission.is_none() {
        out.status = ScanStatus::Amber;
        out.action = ScanAction::NeedsAdmission;
        out.message = i18n::scan_message(locale, ScanAction::NeedsAdmission, name.as_deref(), &out.time, true);
        out.counts = day_counts(conn, project, day)?;
        return Ok(out);
    }
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
    // Green only when the gate recorded a passage; a scan that records nothing makes the officer look twice.
    out.status = match action {
        ScanAction::CheckedIn | ScanAction::CheckedOut => ScanStatus::Green,
        _ => ScanStatus::Amber,
    };
    out.action = action;
    out.message = i18n::scan_message(locale, action, name.as_deref(), &out.time, !on_roster);
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
            let kind = if action == ScanAction::CheckedIn { ScanEventKind::In } else { ScanEventKind::Out };
            // Only the check-in of someone off the roster carries the officer's reason.
            let admission = kind == ScanEventKind::In && !on_roster;
            let tx = unlocked.store.transaction()?;
            let device = changelog::device_id(&tx)?;
            let id = record(
                &tx,
                &NewEvent {
                    kind,
                    method: p.method,
                    at: p.at,
                    day,
                    project_id: &project.id,
                    talent_id: p.talent_id,
                    assignment_id: p.assignment.as_ref().map(|a| a.id.as_str()),
                    fingerprint: p.fingerprint.as_deref(),
                    reason: if admission { p.admission } else { None },
                    corrects: None,
                    corrected_at: None,
                },
                device,
                officer,
            )?;
            if admission {
                let details = json!({ "project": project.code, "day": day.to_string(), "event": id });
                log(&tx, officer, "admitted_off_roster", "talent", p.talent_id, Some(details))?;
            }
            tx.commit()?;
            out.event_id = Some(id);
        }
        _ => {}
    }
    out.counts = day_counts(unlocked.store.conn(), project, day)?;
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
    let found: Option<String> = conn
        .prepare_cached("SELECT id FROM talents WHERE (code = ?1 OR id = ?1) AND erased_at IS NULL")?
        .query_row([typed.to_uppercase()], |r| r.get(0))
        .optional()?;
    if let Some(id) = found {
        return Ok(id);
    }
    conn.prepare_cached("SELECT id FROM talents WHERE id = ?1 AND erased_at IS NULL")?
        .query_row([typed], |r| r.get(0))
        .optional()?
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
        let project = edit_project_guard(conn, project)?;
        let talent_id = find_talent(conn, &project.id, typed)?;
        let p = Pass {
            talent_id: &talent_id,
            talent: talent_summary(conn, &talent_id)?,
            assignment: active_assignment(conn, &project.id, &talent_id)?,
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
        let project = edit_project_guard(conn, project)?;
        let tz = TimeZone::system();
        let day = at.to_zoned(tz.clone()).date();
        let found = check_token_details(conn, token_text, day, locale)?;
        let badge = &found.check;
        let refuse = |mut out: ScanOutcome, message: String| -> CoreResult<ScanOutcome> {
            out.message = message;
            out.talent_id.clone_from(&badge.talent_id);
            out.talent_code.clone_from(&badge.talent_code);
            out.talent_name.clone_from(&badge.talent_name);
            out.photo.clone_from(&badge.talent_photo);
            out.short_code.clone_from(&badge.short_code);
            out.counts = day_counts(conn, &project, day)?;
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
        let short_code = badge.short_code.clone();
        let p = Pass {
            talent_id: &talent_id,
            talent: found.talent,
            assignment: found.assignment,
            method,
            at,
            fingerprint: found.fingerprint,
            admission,
            short_code,
        };
        pass(unlocked, &project, p, locale)
    }

    /// Checks a group in or out at once (from the day's roster). Talents already in (or not in, or already out)
    /// are left out and reported; an unknown assignment refuses the whole group and nothing is written.
    pub fn bulk_check(&mut self, project: &str, input: BulkCheckInput) -> CoreResult<BulkOutcome> {
        let tz = TimeZone::system();
        let unlocked = self.require(Action::PresenceScan)?;
        let conn = unlocked.store.conn();
        let project = edit_project_guard(conn, project)?;
        let mut errors = Vec::new();
        let day = parse_day(&input.day);
        if day.is_none() {
            errors.push(FieldError::new("day", FieldProblem::InvalidDate));
        }
        let time = match input.time.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            Some(raw) => match parse_call_time(raw) {
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
        // (assignment id, talent id) in the order given, each once whether named by id or by code.
        let mut chosen: Vec<(String, String)> = Vec::new();
        let mut seen = HashSet::new();
        let mut find = conn.prepare_cached(
            "SELECT id, talent_id FROM assignments WHERE (id = ?1 OR code = ?1) AND project_id = ?2 AND active = 1",
        )?;
        for raw in &input.assignment_ids {
            let found: Option<(String, String)> =
                find.query_row([raw.trim(), &project.id], |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
            let found = found.ok_or(CoreError::NotFound)?;
            if seen.insert(found.0.clone()) {
                chosen.push(found);
            }
        }
        drop(find);
        let events = day_events(conn, &project.id, day, None)?;
        let states = by_talent(&events);
        let officer = unlocked.user.id;
        let tx = unlocked.store.transaction()?;
        let device = changelog::device_id(&tx)?;
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
            recorded.push(record(
                &tx,
                &NewEvent {
                    kind: input.kind.event_kind(),
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
                device,
                officer,
            )?);
        }
        if !recorded.is_empty() {
            let kind = input.kind.event_kind().as_str();
            let details = json!({ "day": day.to_string(), "kind": kind, "count": recorded.len() });
            log(&tx, officer, "presence_bulk_check", "project", &project.id, Some(details))?;
        }
        tx.commit()?;
        let counts = day_counts(unlocked.store.conn(), &project, day)?;
        Ok(BulkOutcome { recorded, skipped, counts })
    }

    /// Corrects a check-in or check-out: `new_time` (`HH:MM` on the event's day, or a full timestamp) moves it,
    /// `None` voids it. A correction is a new event with the officer and the reason; nothing is ever edited.
    pub fn correct_scan(&mut self, event_id: &str, new_time: Option<&str>, reason: &str) -> CoreResult<ScanEventDto> {
        let tz = TimeZone::system();
        let unlocked = self.require(Action::PresenceScan)?;
        let conn = unlocked.store.conn();
        let target: Option<(String, String, String, String, Option<String>)> = conn
            .query_row(
                "SELECT kind, project_id, talent_id, day, assignment_id FROM scan_events WHERE id = ?1",
                [event_id.trim()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()?;
        let (kind, project_id, talent_id, day_text, assignment_id) = target.ok_or(CoreError::NotFound)?;
        if kind == ScanEventKind::Correction.as_str() {
            return Err(CoreError::Conflict(ConflictReason::NotCorrectable));
        }
        let day = day_text.parse::<Date>().map_err(|e| CoreError::StoreCorrupted(format!("scan day: {e}")))?;
        let mut errors = Vec::new();
        let reason = validate_reason(reason, &mut errors);
        let corrected_at = match new_time.map(str::trim).filter(|t| !t.is_empty()) {
            None => None,
            Some(raw) => {
                let parsed = parse_ts(raw).or_else(|| parse_call_time(raw).and_then(|t| at_local(day, t, &tz)));
                if parsed.is_none() {
                    errors.push(FieldError::new("newTime", FieldProblem::InvalidTime));
                }
                parsed
            }
        };
        check(errors)?;
        let officer = unlocked.user.id;
        let tx = unlocked.store.transaction()?;
        let device = changelog::device_id(&tx)?;
        let id = record(
            &tx,
            &NewEvent {
                kind: ScanEventKind::Correction,
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
            device,
            officer,
        )?;
        let details = json!({ "event": event_id.trim(), "correction": id, "voided": corrected_at.is_none() });
        log(&tx, officer, "scan_corrected", "talent", &talent_id, Some(details))?;
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
