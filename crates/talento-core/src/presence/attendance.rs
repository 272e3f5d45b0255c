//! The read side of presence: a project's day, reports over a period and a talent's history, all derived from the
//! scan events each time they are asked for (see [`super::derive`]); nothing here writes.

use std::collections::{BTreeSet, HashMap, HashSet};

use jiff::civil::Date;
use jiff::tz::TimeZone;
use rusqlite::{Connection, OptionalExtension};
use talento_domain::validate::{FieldError, FieldProblem};
use talento_domain::{Action, Locale};

use super::derive::TalentDay;
use super::dto::{AttendanceLine, AttendanceRow, AttendanceStatus, DayAttendance, ScanEventDto, ScanMethod};
use super::{Arrival, REPORT_MAX_DAYS, StoredEvent, at_local, by_talent, day_events, hm, iso_time, tally, today_local};
use crate::casting::badges::{talent_summary, talent_type_label};
use crate::casting::dto::ProjectDto;
use crate::casting::{load_project, parse_call_time, parse_day, roster};
use crate::engine::Talento;
use crate::error::{CoreError, CoreResult, check};

/// What deriving days looks up once per call, however many days and talents it covers.
pub(super) struct Lookups {
    locale: Locale,
    /// Officers' names by user id.
    officers: HashMap<String, String>,
    /// Talent types' labels by key, filled as they are met.
    labels: HashMap<String, String>,
}

impl Lookups {
    pub(super) fn load(conn: &Connection, locale: Locale) -> CoreResult<Lookups> {
        Ok(Lookups { locale, officers: officer_names(conn)?, labels: HashMap::new() })
    }

    fn label(&mut self, conn: &Connection, key: &str) -> CoreResult<String> {
        if let Some(label) = self.labels.get(key) {
            return Ok(label.clone());
        }
        let label = talent_type_label(conn, key, self.locale)?;
        self.labels.insert(key.to_owned(), label.clone());
        Ok(label)
    }
}

impl Talento {
    /// A project's day: every roster talent with their status, times, lateness and hours, and admissions off the
    /// roster, derived from the events.
    pub fn day_attendance(&mut self, project: &str, day: &str) -> CoreResult<DayAttendance> {
        let locale = self.locale();
        let unlocked = self.require(Action::PresenceView)?;
        let conn = unlocked.store.conn();
        let project = load_project(conn, project)?;
        let day = parse_day(day)
            .ok_or_else(|| CoreError::Validation(vec![FieldError::new("day", FieldProblem::InvalidDate)]))?;
        derive_day(conn, &project, day, None, &mut Lookups::load(conn, locale)?)
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
        let known: Option<String> = conn
            .query_row("SELECT id FROM talents WHERE id = ?1 OR code = ?1", [talent.trim()], |r| r.get(0))
            .optional()?;
        // A talent scanned here but not synced to this laptop yet has a history too.
        let talent_id: String = match known {
            Some(id) => id,
            None => conn
                .query_row("SELECT talent_id FROM scan_events WHERE talent_id = ?1 LIMIT 1", [talent.trim()], |r| {
                    r.get(0)
                })
                .optional()?
                .ok_or(CoreError::NotFound)?,
        };
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
        let mut lookups = Lookups::load(conn, locale)?;
        let mut out = Vec::new();
        for (project_id, day) in days.iter().rev() {
            let project = match projects.entry(project_id.clone()) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(v) => v.insert(load_project(conn, project_id).ok()),
            };
            let (Some(project), Some(day)) = (project.as_ref(), parse_day(day)) else { continue };
            out.extend(rows_of(&derive_day(conn, project, day, Some(&talent_id), &mut lookups)?));
        }
        Ok(out)
    }
}

pub(super) fn validate_range(from: &str, to: &str) -> CoreResult<(Date, Date)> {
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
pub(super) fn report_days(
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
    let mut lookups = Lookups::load(conn, locale)?;
    days.iter().filter_map(|d| parse_day(d)).map(|d| derive_day(conn, project, d, None, &mut lookups)).collect()
}

pub(super) fn rows_of(day: &DayAttendance) -> Vec<AttendanceRow> {
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

pub(super) fn officer_names(conn: &Connection) -> CoreResult<HashMap<String, String>> {
    let mut stmt = conn.prepare_cached("SELECT id, name FROM users")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(super) fn event_dto(e: &StoredEvent, state: &TalentDay, names: &HashMap<String, String>) -> ScanEventDto {
    let effective = state.effective_of(&e.event.id);
    ScanEventDto {
        id: e.event.id.clone(),
        kind: e.event.kind,
        // The table's CHECK allows only the four methods.
        method: ScanMethod::parse(&e.method).unwrap_or(ScanMethod::Manual),
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

/// The whole derived day of a project; with `talent`, only that talent's line (and counts covering only them).
pub(super) fn derive_day(
    conn: &Connection,
    project: &ProjectDto,
    day: Date,
    talent: Option<&str>,
    lookups: &mut Lookups,
) -> CoreResult<DayAttendance> {
    let tz = TimeZone::system();
    let shoot: Option<(String, Option<String>)> = conn
        .prepare_cached("SELECT call_time, location FROM shoot_days WHERE project_id = ?1 AND day = ?2")?
        .query_row([&project.id, &day.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let call = shoot.as_ref().and_then(|(t, _)| parse_call_time(t)).and_then(|t| at_local(day, t, &tz));
    let over = day < today_local(&tz);
    let mut events = day_events(conn, &project.id, day, talent)?;
    events.sort_by(|a, b| a.event.at.cmp(&b.event.at).then_with(|| a.event.id.cmp(&b.event.id)));
    let states = by_talent(&events);
    let double_reads: HashMap<String, u32> = conn
        .prepare_cached(
            "SELECT talent_id, count FROM scan_double_reads
             WHERE project_id = ?1 AND day = ?2 AND (?3 IS NULL OR talent_id = ?3)",
        )?
        .query_map(rusqlite::params![project.id, day.to_string(), talent], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let empty = TalentDay::default();
    let officers = &lookups.officers;
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
                .map(|e| event_dto(e, state, officers))
                .collect(),
        }
    };
    let mut lines = Vec::new();
    let mut seen = HashSet::new();
    for a in roster(conn, &project.id, true)? {
        if talent.is_some_and(|t| t != a.talent_id) {
            continue;
        }
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
        l.on_roster = a.active;
        l.talent_type = Some(a.talent_type);
        lines.push(l);
    }
    let mut others: Vec<&str> = states.keys().copied().filter(|t| !seen.contains(*t)).collect();
    others.sort_unstable();
    let mut off = Vec::new();
    for talent_id in others {
        let mut l = line(talent_id);
        if let Some(who) = talent_summary(conn, talent_id)? {
            (l.talent_code, l.first_name, l.last_name, l.photo, l.photo_thumb) =
                (Some(who.code), Some(who.first_name), Some(who.last_name), who.photo, who.photo_thumb);
        }
        off.push(l);
    }
    off.sort_by(|a, b| a.last_name.cmp(&b.last_name).then_with(|| a.talent_id.cmp(&b.talent_id)));
    lines.extend(off);
    for l in &mut lines {
        if let Some(key) = &l.talent_type {
            l.talent_type_label = Some(lookups.label(conn, key)?);
        }
    }
    let expected = lines.iter().filter(|l| l.on_roster).count();
    let counts = tally(
        u32::try_from(expected).unwrap_or(u32::MAX),
        lines.iter().map(|l| Arrival {
            checked_in: l.first_in.is_some(),
            checked_out: l.last_out.is_some(),
            on_roster: l.on_roster,
        }),
    );
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
