//! Attendance leaves the laptop: an Excel workbook for a period (a summary sheet, then one sheet per day, headers in
//! the user's language, dates and times as real Excel values) and the printable sign-in sheet of a day.

use std::collections::BTreeMap;
use std::path::Path;

use jiff::civil::Date;
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Workbook, Worksheet, XlsxError};
use talento_documents::signin::{SignInColumns, SignInRow, SignInSheet, signin_pdf};
use talento_domain::validate::{FieldError, FieldProblem};
use talento_domain::{Action, Locale};

use super::attendance::Lookups;
use super::attendance::{derive_day, report_days, validate_range};
use super::dto::{AttendanceFile, AttendanceLine, AttendanceStatus, DayAttendance};
use crate::casting::badges::day_text;
use crate::casting::{load_project, parse_day};
use crate::engine::Talento;
use crate::error::{CoreError, CoreResult};
use crate::i18n::{self, attendance_label as label};

fn xlsx(e: XlsxError) -> CoreError {
    CoreError::Internal(format!("attendance workbook: {e}"))
}

fn excel_date(day: Date) -> Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(day.year() as u16, day.month() as u8, day.day() as u8)
}

/// `HH:MM` as an Excel time of day.
fn excel_time(text: &str) -> Option<ExcelDateTime> {
    let (h, m) = text.split_once(':')?;
    ExcelDateTime::from_hms(h.parse().ok()?, m.parse().ok()?, 0).ok()
}

fn full_name(line: &AttendanceLine) -> String {
    match (&line.first_name, &line.last_name) {
        (Some(f), Some(l)) => format!("{f} {l}"),
        _ => line.talent_id.clone(),
    }
}

struct Formats {
    header: Format,
    date: Format,
    time: Format,
    hours: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            header: Format::new().set_bold().set_background_color("FAE6DC").set_align(FormatAlign::Center),
            date: Format::new().set_num_format("dd/mm/yyyy"),
            time: Format::new().set_num_format("hh:mm"),
            hours: Format::new().set_num_format("0.00"),
        }
    }
}

fn headers(sheet: &mut Worksheet, titles: &[String], formats: &Formats) -> Result<(), XlsxError> {
    for (col, title) in titles.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, title, &formats.header)?;
        sheet.set_column_width(col as u16, (title.chars().count() as f64 + 4.0).max(12.0))?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// The day sheet: one row per talent.
fn day_sheet(book: &mut Workbook, day: &DayAttendance, locale: Locale, formats: &Formats) -> Result<(), XlsxError> {
    let date = parse_day(&day.day).unwrap_or_default();
    let sheet = book.add_worksheet();
    sheet.set_name(format!("{:02}-{:02}-{}", date.day(), date.month(), date.year()))?;
    let titles: Vec<String> = [
        "date",
        "code",
        "name",
        "role",
        "type",
        "status",
        "in",
        "out",
        "late",
        "late_minutes",
        "hours",
        "double_reads",
        "duplicate",
        "note",
    ]
    .iter()
    .map(|k| label(locale, k))
    .collect();
    headers(sheet, &titles, formats)?;
    sheet.set_column_width(2, 28)?;
    sheet.set_column_width(13, 40)?;
    for (i, line) in day.lines.iter().enumerate() {
        let row = (i + 1) as u32;
        sheet.write_datetime_with_format(row, 0, excel_date(date)?, &formats.date)?;
        sheet.write_string(row, 1, line.talent_code.as_deref().unwrap_or_default())?;
        sheet.write_string(row, 2, full_name(line))?;
        sheet.write_string(row, 3, line.role.as_deref().unwrap_or_default())?;
        sheet.write_string(row, 4, line.talent_type_label.as_deref().unwrap_or_default())?;
        sheet.write_string(row, 5, i18n::attendance_status(locale, line.status))?;
        for (col, time) in [(6, &line.first_in_time), (7, &line.last_out_time)] {
            if let Some(t) = time.as_deref().and_then(excel_time) {
                sheet.write_datetime_with_format(row, col, t, &formats.time)?;
            }
        }
        sheet.write_string(row, 8, i18n::yes_no(locale, line.late))?;
        if let Some(minutes) = line.late_minutes {
            sheet.write_number(row, 9, minutes)?;
        }
        if let Some(hours) = line.hours {
            sheet.write_number_with_format(row, 10, hours, &formats.hours)?;
        }
        sheet.write_number(row, 11, line.double_reads)?;
        sheet.write_string(row, 12, i18n::yes_no(locale, line.duplicate))?;
        let note = match (&line.admission_reason, line.on_roster) {
            (Some(reason), _) => i18n::labelled(locale, &label(locale, "off_roster"), reason),
            (None, false) => label(locale, "off_roster"),
            (None, true) => String::new(),
        };
        sheet.write_string(row, 13, note)?;
    }
    Ok(())
}

/// Per talent over the period: days present, total hours, times late.
#[derive(Default)]
struct Tally {
    code: String,
    name: String,
    days: u32,
    hours: f64,
    late: u32,
}

fn summary_sheet(
    book: &mut Workbook,
    days: &[DayAttendance],
    locale: Locale,
    formats: &Formats,
) -> Result<(), XlsxError> {
    let sheet = book.add_worksheet();
    sheet.set_name(label(locale, "summary"))?;
    let titles: Vec<String> =
        ["code", "name", "days_present", "total_hours", "late_count"].iter().map(|k| label(locale, k)).collect();
    headers(sheet, &titles, formats)?;
    sheet.set_column_width(1, 28)?;
    let mut tallies: BTreeMap<(String, String), Tally> = BTreeMap::new();
    for day in days {
        for line in &day.lines {
            let key = (line.last_name.clone().unwrap_or_default(), line.talent_id.clone());
            let tally = tallies.entry(key).or_insert_with(|| Tally {
                code: line.talent_code.clone().unwrap_or_default(),
                name: full_name(line),
                ..Tally::default()
            });
            if matches!(line.status, AttendanceStatus::Present | AttendanceStatus::Left) {
                tally.days += 1;
            }
            tally.hours += line.hours.unwrap_or(0.0);
            tally.late += u32::from(line.late);
        }
    }
    for (i, tally) in tallies.values().enumerate() {
        let row = (i + 1) as u32;
        sheet.write_string(row, 0, &tally.code)?;
        sheet.write_string(row, 1, &tally.name)?;
        sheet.write_number(row, 2, tally.days)?;
        sheet.write_number_with_format(row, 3, (tally.hours * 100.0).round() / 100.0, &formats.hours)?;
        sheet.write_number(row, 4, tally.late)?;
    }
    Ok(())
}

impl Talento {
    /// Writes a project's attendance from `from` to `to` (`YYYY-MM-DD` or `DD/MM/YYYY`) to an Excel workbook: a
    /// summary sheet, then one sheet per day planned or scanned. Written beside `out` and renamed into place.
    pub fn export_attendance_xlsx(
        &mut self,
        project: &str,
        from: &str,
        to: &str,
        out: &Path,
    ) -> CoreResult<AttendanceFile> {
        let locale = self.locale();
        let unlocked = self.require(Action::PresenceView)?;
        let conn = unlocked.store.conn();
        let project = load_project(conn, project)?;
        let (from, to) = validate_range(from, to)?;
        let days = report_days(conn, &project, from, to, locale)?;
        let formats = Formats::new();
        let mut book = Workbook::new();
        summary_sheet(&mut book, &days, locale, &formats).map_err(xlsx)?;
        for day in &days {
            day_sheet(&mut book, day, locale, &formats).map_err(xlsx)?;
        }
        let bytes = book.save_to_buffer().map_err(xlsx)?;
        crate::exports::write_atomically(out, &bytes)?;
        Ok(AttendanceFile {
            path: out.display().to_string(),
            days: u32::try_from(days.len()).unwrap_or(u32::MAX),
            rows: u32::try_from(days.iter().map(|d| d.lines.len()).sum::<usize>()).unwrap_or(u32::MAX),
        })
    }

    /// The attendance workbook from `from` to `to`, written to the data folder's `exports/`.
    pub fn export_attendance(&mut self, project: &str, from: &str, to: &str) -> CoreResult<AttendanceFile> {
        let out = self.export_file(&["presence", project, from, to], "xlsx")?;
        self.export_attendance_xlsx(project, from, to, &out)
    }

    /// Writes the day's sign-in sheet PDF to `exports/` and returns its path.
    pub fn write_signin_sheet(&mut self, project: &str, day: &str) -> CoreResult<std::path::PathBuf> {
        let pdf = self.signin_sheet_pdf(project, day)?;
        let out = self.export_file(&["emargement", project, day], "pdf")?;
        crate::exports::write_atomically(&out, &pdf)?;
        Ok(out)
    }

    /// The printable sign-in sheet of a project's day (`YYYY-MM-DD` or `DD/MM/YYYY`): the roster and those admitted
    /// off it, with the times already scanned and a box to sign.
    pub fn signin_sheet_pdf(&mut self, project: &str, day: &str) -> CoreResult<Vec<u8>> {
        let locale = self.locale();
        let unlocked = self.require(Action::PresenceView)?;
        let conn = unlocked.store.conn();
        let project = load_project(conn, project)?;
        let day = parse_day(day)
            .ok_or_else(|| CoreError::Validation(vec![FieldError::new("day", FieldProblem::InvalidDate)]))?;
        let attendance = derive_day(conn, &project, day, None, &mut Lookups::load(conn, locale)?)?;
        let agency_name: String = conn.query_row("SELECT name FROM agency LIMIT 1", [], |r| r.get(0))?;
        let labelled = |key: &str, value: &str| i18n::labelled(locale, &label(locale, key), value);
        let mut details = vec![labelled("day", &day_text(&attendance.day))];
        details.extend(attendance.call_time.as_deref().map(|t| labelled("call_time", t)));
        details.extend(attendance.location.as_deref().map(|l| labelled("location", l)));
        let sheet = SignInSheet {
            agency_name,
            title: label(locale, "sign_in_sheet"),
            production_name: project.production_name.clone(),
            project: format!("{} · {}", project.name, project.code),
            details: details.join(" · "),
            columns: SignInColumns {
                number: label(locale, "number"),
                name: label(locale, "name"),
                code: label(locale, "code"),
                role: label(locale, "role"),
                time_in: label(locale, "in"),
                time_out: label(locale, "out"),
                signature: label(locale, "signature"),
            },
            rows: attendance
                .lines
                .iter()
                .map(|l| SignInRow {
                    name: full_name(l),
                    code: l.talent_code.clone().unwrap_or_default(),
                    role: match (&l.role, l.on_roster) {
                        (_, false) => label(locale, "off_roster"),
                        (Some(role), true) => role.clone(),
                        (None, true) => l.talent_type_label.clone().unwrap_or_default(),
                    },
                    time_in: l.first_in_time.clone().unwrap_or_default(),
                    time_out: l.last_out_time.clone().unwrap_or_default(),
                })
                .collect(),
            page_label: i18n::page_of_pages(locale),
        };
        signin_pdf(&sheet).map_err(|e| CoreError::Internal(e.to_string()))
    }
}
