//! What the presence use cases take and give: a scan's outcome (everything the gate screen shows at a glance), the
//! day's attendance derived from the scan events, reports and a talent's history.

use serde::{Deserialize, Serialize};
use talento_domain::badge::BadgeRejection;

/// How a scan reached the laptop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ScanMethod {
    /// The laptop's camera and the bundled QR decoder.
    Camera,
    /// A USB or Bluetooth scanner typing the token and Enter.
    Scanner,
    /// Found by name, talent code or badge short code (lost badge).
    Manual,
    /// A group checked in or out at once.
    Bulk,
}

impl ScanMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            ScanMethod::Camera => "camera",
            ScanMethod::Scanner => "scanner",
            ScanMethod::Manual => "manual",
            ScanMethod::Bulk => "bulk",
        }
    }

    pub fn parse(text: &str) -> Option<ScanMethod> {
        [ScanMethod::Camera, ScanMethod::Scanner, ScanMethod::Manual, ScanMethod::Bulk]
            .into_iter()
            .find(|m| m.as_str() == text)
    }
}

/// Arriving or leaving, for a bulk check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ScanKind {
    In,
    Out,
}

impl ScanKind {
    /// The event a check of this kind records.
    pub fn event_kind(self) -> ScanEventKind {
        match self {
            ScanKind::In => ScanEventKind::In,
            ScanKind::Out => ScanEventKind::Out,
        }
    }
}

/// The colour the gate screen shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ScanStatus {
    /// Let in (or out): a passage was recorded.
    Green,
    /// Look at the screen: nothing was recorded (already in and out today, or the same badge read twice in a row),
    /// or a valid badge of someone not on this project's roster here, for the officer to decide (admit with a reason).
    Amber,
    /// Refused: the badge does not prove anything, or is for another project.
    Red,
}

/// What a scan did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ScanAction {
    CheckedIn,
    CheckedOut,
    /// Third scan of the day: already in and out; nothing recorded.
    AlreadyComplete,
    /// The same badge again within seconds of its last accepted scan: ignored, counted.
    DoubleRead,
    Refused,
    /// Not on the roster: nothing recorded until the officer admits with a reason.
    NeedsAdmission,
}

/// Present, expected and the others on one project's day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct DayCounts {
    /// On set now: checked in, not out.
    pub present: u32,
    /// Checked in, then out.
    pub left: u32,
    /// The roster (active assignments).
    pub expected: u32,
    /// Roster talents not checked in (absent once the day is over).
    pub missing: u32,
    /// Admitted although not on the roster.
    pub off_roster: u32,
}

/// Everything the gate screen shows after a scan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ScanOutcome {
    pub status: ScanStatus,
    pub action: ScanAction,
    /// In the user's language.
    pub message: String,
    /// Why a badge was refused (None when it was for another project, see `otherProject`).
    pub rejection: Option<BadgeRejection>,
    /// The badge is valid but for another project: its code, or its id when that project is unknown here.
    pub other_project: Option<String>,
    /// The talent is not on this project's roster here (admitted, or waiting for admission).
    pub off_roster: bool,
    pub talent_id: Option<String>,
    /// Known on this laptop (a talent registered elsewhere and not synced yet is still admitted, just unnamed).
    pub talent_code: Option<String>,
    pub talent_name: Option<String>,
    /// Attachment hashes of the profile photo and its thumbnail.
    pub photo: Option<String>,
    pub photo_thumb: Option<String>,
    pub assignment_id: Option<String>,
    pub assignment_code: Option<String>,
    pub role: Option<String>,
    /// Key of the cinema talent types list, and its label in the user's language.
    pub talent_type: Option<String>,
    pub talent_type_label: Option<String>,
    pub short_code: Option<String>,
    /// UTC, ISO 8601.
    pub at: String,
    /// Local `HH:MM`.
    pub time: String,
    /// `YYYY-MM-DD`, the local shoot day.
    pub day: String,
    /// The event recorded, if any.
    pub event_id: Option<String>,
    pub counts: DayCounts,
}

/// A talent's state on a day, derived from the events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum AttendanceStatus {
    /// Not checked in yet, the day is not over.
    Expected,
    /// Checked in, not out.
    Present,
    /// Checked in and out.
    Left,
    /// No check-in and the day is over.
    Absent,
}

/// What a stored event is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ScanEventKind {
    In,
    Out,
    /// Moves or voids an earlier in/out event.
    Correction,
}

impl ScanEventKind {
    /// As stored in `scan_events.kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            ScanEventKind::In => "in",
            ScanEventKind::Out => "out",
            ScanEventKind::Correction => "correction",
        }
    }

    pub fn parse(text: &str) -> Option<ScanEventKind> {
        [ScanEventKind::In, ScanEventKind::Out, ScanEventKind::Correction].into_iter().find(|k| k.as_str() == text)
    }
}

/// One scan event as stored (never edited).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ScanEventDto {
    pub id: String,
    pub kind: ScanEventKind,
    pub method: ScanMethod,
    pub at: String,
    pub day: String,
    pub device_id: String,
    pub officer_id: Option<String>,
    pub officer_name: Option<String>,
    pub talent_id: String,
    pub assignment_id: Option<String>,
    pub reason: Option<String>,
    /// For a correction: the event it corrects and its new time (None = void).
    pub corrects: Option<String>,
    pub corrected_at: Option<String>,
    /// For an in/out event: voided by a correction.
    pub voided: bool,
    /// For an in/out event: the time after corrections.
    pub effective_at: Option<String>,
}

/// One talent's line in a day's attendance.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AttendanceLine {
    pub talent_id: String,
    pub talent_code: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub photo: Option<String>,
    pub photo_thumb: Option<String>,
    pub assignment_id: Option<String>,
    pub assignment_code: Option<String>,
    pub role: Option<String>,
    pub talent_type: Option<String>,
    pub talent_type_label: Option<String>,
    pub on_roster: bool,
    pub status: AttendanceStatus,
    /// UTC ISO, and local `HH:MM`.
    pub first_in: Option<String>,
    pub first_in_time: Option<String>,
    pub last_out: Option<String>,
    pub last_out_time: Option<String>,
    /// First in after the shoot day's call time (days without a shoot day have no lateness).
    pub late: bool,
    pub late_minutes: Option<u32>,
    /// From the first in to the last out, in hours.
    pub hours: Option<f64>,
    pub double_reads: u32,
    /// More than one check-in (or check-out) for the day, e.g. from two offline laptops: all are kept.
    pub duplicate: bool,
    /// Why a talent not on the roster was admitted.
    pub admission_reason: Option<String>,
    /// The day's events for this talent, in order (corrections included).
    pub events: Vec<ScanEventDto>,
}

/// A project's day, derived from the scan events.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct DayAttendance {
    pub project_id: String,
    pub project_code: String,
    pub project_name: String,
    pub day: String,
    /// The shoot day's call time `HH:MM`, when the day is planned.
    pub call_time: Option<String>,
    pub location: Option<String>,
    /// The day is over (absent means absent).
    pub over: bool,
    pub counts: DayCounts,
    /// The roster by last name, then admissions off the roster.
    pub lines: Vec<AttendanceLine>,
}

/// One talent on one day of one project, for reports and a talent's history.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AttendanceRow {
    pub project_id: String,
    pub project_code: String,
    pub project_name: String,
    pub day: String,
    pub call_time: Option<String>,
    pub talent_id: String,
    pub talent_code: Option<String>,
    pub full_name: Option<String>,
    pub role: Option<String>,
    pub talent_type_label: Option<String>,
    pub on_roster: bool,
    pub status: AttendanceStatus,
    pub first_in_time: Option<String>,
    pub last_out_time: Option<String>,
    pub late: bool,
    pub hours: Option<f64>,
    pub duplicate: bool,
    pub double_reads: u32,
    pub admission_reason: Option<String>,
}

/// A group checked in or out at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct BulkCheckInput {
    /// `YYYY-MM-DD` or `DD/MM/YYYY`.
    pub day: String,
    /// Assignment ids or codes.
    pub assignment_ids: Vec<String>,
    pub kind: ScanKind,
    /// Local `HH:MM` on that day (entering a paper sheet afterwards); None = now, which must then be that day.
    pub time: Option<String>,
}

/// Why one talent of a bulk check was left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum BulkSkip {
    AlreadyIn,
    NotIn,
    AlreadyOut,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct BulkSkipped {
    pub assignment_id: String,
    pub reason: BulkSkip,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct BulkOutcome {
    /// Event ids recorded, one per talent checked.
    pub recorded: Vec<String>,
    pub skipped: Vec<BulkSkipped>,
    pub counts: DayCounts,
}

/// An attendance workbook written to disk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AttendanceFile {
    pub path: String,
    /// Day sheets (the summary sheet comes on top).
    pub days: u32,
    pub rows: u32,
}
