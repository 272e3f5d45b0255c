//! Presence on real encrypted stores: badges printed to PDF, rendered, decoded by a QR reader and scanned in; check-in,
//! check-out, already complete and double reads; refusals; admissions off the roster; corrections; lateness and hours;
//! duplicates from two laptops; roles; the Excel export read back cell by cell; the printable sign-in sheet.

use std::path::Path;
use std::process::Command;

use base64::Engine;
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use talento_core::casting::dto::{AssignInput, BadgePaper, ProductionInput, ProjectInput, ShootDayInput};
use talento_core::dto::NewUserInput;
use talento_core::presence::dto::{
    AttendanceLine, AttendanceStatus, BulkCheckInput, BulkSkip, ScanAction, ScanEventKind, ScanKind, ScanMethod,
    ScanStatus,
};
use talento_core::talents::dto::TalentInput;
use talento_core::{CoreError, Options, Talento};
use talento_domain::badge::BadgeRejection;
use talento_domain::casting::{ProductionType, ProjectStatus};
use talento_domain::{FieldProblem, Locale, Role};

mod fixtures;
use fixtures::{EMAIL, PASSWORD, set_up, talent};

const STAFF_PASSWORD: &str = "Gorée-Lagune-Mangrove-77";

fn today() -> Date {
    jiff::Zoned::now().date()
}

fn days(n: i64) -> jiff::Span {
    jiff::Span::new().days(n)
}

/// A local time on a day, as the gate laptop's clock reads it.
fn local(day: Date, hour: i8, minute: i8, second: i8) -> Timestamp {
    day.at(hour, minute, second, 0).to_zoned(TimeZone::system()).expect("local time").timestamp()
}

fn plus_secs(at: Timestamp, secs: i64) -> Timestamp {
    at.checked_add(jiff::SignedDuration::from_secs(secs)).expect("in range")
}

/// A running project (three days ago to twenty days ahead), so its badges are valid now.
fn project(t: &mut Talento, name: &str) -> String {
    let production = t
        .create_production(ProductionInput {
            name: "Les Films du Sahel".into(),
            country: Some("SN".into()),
            ..Default::default()
        })
        .expect("production")
        .id;
    t.create_project(ProjectInput {
        name: name.into(),
        production_type: Some(ProductionType::Film),
        production_id: production,
        origin_country: "SN".into(),
        locations: vec!["Saint-Louis".into()],
        start_date: today().saturating_sub(days(3)).to_string(),
        end_date: today().saturating_add(days(20)).to_string(),
        status: Some(ProjectStatus::Shooting),
        description: None,
    })
    .expect("project")
    .id
}

/// A project, its cast (with a role), and each talent's badge token, in the order of `names`.
struct Set {
    project: String,
    talents: Vec<String>,
    tokens: Vec<String>,
    assignments: Vec<String>,
}

fn cast(t: &mut Talento, names: &[(&str, &str)]) -> Set {
    let talents: Vec<String> = names.iter().map(|(f, l)| talent(t, f, l, true)).collect();
    let project = project(t, "Le Chant du Fleuve");
    let outcome = t
        .assign_talents(
            &project,
            AssignInput { talent_ids: talents.clone(), talent_type: "extra".into(), role: Some("Pêcheur".into()) },
        )
        .expect("assign");
    let badges = t.prepare_badges(&project, None, false).expect("badges");
    let mut tokens = Vec::new();
    let mut assignments = Vec::new();
    for id in &talents {
        let a = outcome.assigned.iter().find(|a| &a.talent_id == id).expect("assigned");
        assignments.push(a.id.clone());
        tokens.push(badges.iter().find(|b| b.talent_code == a.talent_code).expect("a badge each").token.clone());
    }
    Set { project, talents, tokens, assignments }
}

fn line<'a>(lines: &'a [AttendanceLine], talent: &str) -> &'a AttendanceLine {
    lines.iter().find(|l| l.talent_id == talent).expect("the talent has a line")
}

fn problems(error: CoreError) -> Vec<(&'static str, FieldProblem)> {
    match error {
        CoreError::Validation(fields) => fields.into_iter().map(|f| (f.field, f.problem)).collect(),
        other => panic!("expected validation errors, got {other:?}"),
    }
}

/// Renders a PDF's pages to grey images with poppler's pdftoppm at `dpi`.
fn render_pages(pdf: &Path, out_dir: &Path, dpi: u32) -> Vec<image::GrayImage> {
    let prefix = out_dir.join("page");
    let status = Command::new("pdftoppm")
        .args(["-r", &dpi.to_string(), "-gray", "-png"])
        .arg(pdf)
        .arg(&prefix)
        .status()
        .expect("pdftoppm runs (poppler-utils; scripts/install-deps.sh installs it)");
    assert!(status.success(), "pdftoppm renders the badge PDF");
    let mut pages: Vec<_> = std::fs::read_dir(out_dir)
        .expect("dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
        .collect();
    pages.sort();
    pages.iter().map(|p| image::open(p).expect("png").into_luma8()).collect()
}

fn decode_qr_codes(pages: &[image::GrayImage]) -> Vec<String> {
    let mut tokens = Vec::new();
    for page in pages {
        let (w, h) = page.dimensions();
        let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(w as usize, h as usize, |x, y| {
            page.get_pixel(x as u32, y as u32).0[0]
        });
        for grid in prepared.detect_grids() {
            if let Ok((_, content)) = grid.decode() {
                tokens.push(content);
            }
        }
    }
    tokens
}

#[test]
fn printed_badges_scan_in_then_out_then_complete_with_double_reads_ignored() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut t = set_up(dir.path());
    let set = cast(&mut t, &[("Aïssatou", "Ndiaye"), ("Joël", "N'Guessan"), ("Ngozi", "Ọkafọ")]);
    let pdf = dir.path().join("badges.pdf");
    t.write_badges(&set.project, None, BadgePaper::A4, &pdf, &mut |_, _| true).expect("badge PDF");
    // As a camera would, look again closer when a code did not read the first time (the decoder misses the odd
    // code at one resolution).
    let mut scanned = std::collections::BTreeSet::new();
    for dpi in [200, 300] {
        let pages_dir = tempfile::tempdir().expect("tempdir");
        scanned.extend(decode_qr_codes(&render_pages(&pdf, pages_dir.path(), dpi)));
        if scanned.len() == set.tokens.len() {
            break;
        }
    }
    let scanned: Vec<String> = scanned.into_iter().collect();
    let mut printed = set.tokens.clone();
    printed.sort();
    assert_eq!(scanned, printed, "every printed badge decodes from the page to its token");

    let day = today();
    let t0 = local(day, 7, 10, 0);
    let first = t.scan_badge_at(&set.project, &set.tokens[0], ScanMethod::Camera, t0).expect("scan");
    assert_eq!((first.status, first.action), (ScanStatus::Green, ScanAction::CheckedIn), "{}", first.message);
    assert_eq!(first.talent_name.as_deref(), Some("Aïssatou Ndiaye"), "the officer compares the face with the name");
    assert!(first.photo.is_some() && first.photo_thumb.is_some(), "and the photo");
    assert_eq!(first.role.as_deref(), Some("Pêcheur"));
    assert_eq!(first.talent_type_label.as_deref(), Some("Figurant(e)"), "the talent type in the officer's language");
    assert!(first.message.starts_with("Entrée"), "said in French: {}", first.message);
    assert_eq!(first.time, "07:10");
    assert_eq!((first.counts.present, first.counts.expected), (1, 3), "one of three on set");
    let event = first.event_id.clone().expect("a check-in is recorded");

    let again = t.scan_badge_at(&set.project, &set.tokens[0], ScanMethod::Scanner, plus_secs(t0, 4)).expect("scan");
    assert_eq!(
        (again.status, again.action),
        (ScanStatus::Amber, ScanAction::DoubleRead),
        "the same badge 4 s later is a double read, amber as nothing is recorded"
    );
    assert!(again.event_id.is_none(), "a double read records nothing");
    let other = t.scan_badge_at(&set.project, &set.tokens[1], ScanMethod::Scanner, plus_secs(t0, 5)).expect("scan");
    assert_eq!(other.action, ScanAction::CheckedIn, "another talent right after is not a double read");

    let ngozi_in = t.scan_badge_at(&set.project, &set.tokens[2], ScanMethod::Camera, plus_secs(t0, 20)).expect("scan");
    let ngozi_out = t.scan_badge_at(&set.project, &set.tokens[2], ScanMethod::Camera, plus_secs(t0, 31)).expect("scan");
    assert_eq!(
        (ngozi_in.action, ngozi_out.action),
        (ScanAction::CheckedIn, ScanAction::CheckedOut),
        "11 s after the last accepted scan the badge counts again"
    );

    let out_at = plus_secs(t0, 9 * 3600 + 30 * 60);
    let out = t.scan_badge_at(&set.project, &set.tokens[0], ScanMethod::Camera, out_at).expect("scan");
    assert_eq!((out.status, out.action), (ScanStatus::Green, ScanAction::CheckedOut), "second scan checks out");
    assert_eq!((out.counts.present, out.counts.left), (1, 2));
    let bounce = t.scan_badge_at(&set.project, &set.tokens[0], ScanMethod::Camera, plus_secs(out_at, 9)).expect("scan");
    assert_eq!(bounce.action, ScanAction::DoubleRead, "9 s after the check-out is still a double read");
    let third = t.scan_badge_at(&set.project, &set.tokens[0], ScanMethod::Camera, plus_secs(out_at, 11)).expect("scan");
    assert_eq!(
        (third.status, third.action),
        (ScanStatus::Amber, ScanAction::AlreadyComplete),
        "after 10 s a third scan counts, and says the day is complete (amber: nothing recorded, the officer looks)"
    );
    assert!(third.event_id.is_none(), "already complete records nothing");

    let attendance = t.day_attendance(&set.project, &day.to_string()).expect("attendance");
    let aissatou = line(&attendance.lines, &set.talents[0]);
    assert_eq!(aissatou.status, AttendanceStatus::Left);
    assert_eq!(aissatou.hours, Some(9.5), "07:10 to 16:40");
    assert_eq!(aissatou.double_reads, 2, "both ignored double reads are counted");
    assert_eq!(aissatou.events.len(), 2, "only the in and the out were recorded");
    assert!(!aissatou.duplicate && !aissatou.late, "no shoot day planned: no lateness");
    assert_eq!(line(&attendance.lines, &set.talents[2]).double_reads, 0, "11 s apart is no double read");
    assert_eq!((attendance.counts.present, attendance.counts.left, attendance.counts.missing), (1, 2, 0));

    let changes = t.changes_since(0, 100_000).expect("changes");
    let logged = changes.iter().find(|c| c.table == "scan_events" && c.row_id == event).expect("synced table");
    assert_eq!(logged.fields["kind"], "in", "scan events travel to the server like any synced row");
    assert_eq!(logged.fields["method"], "camera");
    assert!(logged.fields["badge_fingerprint"].is_string(), "the badge that was scanned is named");
}

#[test]
fn refused_badges_say_why_and_record_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut t = set_up(dir.path());
    let set = cast(&mut t, &[("Aïssatou", "Ndiaye"), ("Joël", "N'Guessan")]);
    let at = local(today(), 8, 0, 0);

    let mut bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(&set.tokens[0]).expect("b64");
    bytes[5] ^= 0x20;
    let tampered = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&bytes);
    let refused = t.scan_badge_at(&set.project, &tampered, ScanMethod::Scanner, at).expect("scan");
    assert_eq!((refused.status, refused.rejection), (ScanStatus::Red, Some(BadgeRejection::BadSignature)));
    assert!(refused.message.contains("falsifié"), "the reason is said: {}", refused.message);

    let garbage = t.scan_badge_at(&set.project, "SNF0001DKR", ScanMethod::Scanner, at).expect("scan");
    assert_eq!(garbage.rejection, Some(BadgeRejection::Malformed));

    let later = local(today().saturating_add(days(60)), 8, 0, 0);
    let expired = t.scan_badge_at(&set.project, &set.tokens[0], ScanMethod::Scanner, later).expect("scan");
    assert_eq!(expired.rejection, Some(BadgeRejection::Expired), "a badge scanned after its last day");

    let second = project(&mut t, "La Pirogue d'Or");
    let other = t
        .assign_talents(
            &second,
            AssignInput { talent_ids: vec![set.talents[0].clone()], talent_type: "extra".into(), role: None },
        )
        .expect("assign");
    let other_badge = t.prepare_badges(&second, None, false).expect("badges")[0].token.clone();
    assert!(t.verify_badge(&other_badge).expect("verify").valid);
    let wrong = t.scan_badge_at(&set.project, &other_badge, ScanMethod::Scanner, at).expect("scan");
    assert_eq!(wrong.status, ScanStatus::Red, "a valid badge of another project does not open this set");
    assert_eq!(wrong.other_project.as_deref(), Some(t.get_project(&second).expect("project").code.as_str()));
    assert!(wrong.message.contains("autre projet"), "{}", wrong.message);
    assert_eq!(wrong.talent_name.as_deref(), Some("Aïssatou Ndiaye"), "the officer still sees who it is");
    assert!(!other.assigned.is_empty());

    t.unassign_talent(&set.assignments[1]).expect("unassign");
    let revoked = t.scan_badge_at(&set.project, &set.tokens[1], ScanMethod::Scanner, at).expect("scan");
    assert_eq!(revoked.rejection, Some(BadgeRejection::Revoked), "taken off the project: badge revoked");

    let attendance = t.day_attendance(&set.project, &today().to_string()).expect("attendance");
    assert!(attendance.lines.iter().all(|l| l.events.is_empty()), "no refusal recorded an event");
    assert_eq!(attendance.counts.present, 0);
}

/// Copies a laptop's data folder while it is logged out: a second laptop of the same agency, holding the same keys,
/// that will not see what the first one does next.
fn clone_laptop(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("dir").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            std::fs::create_dir_all(&target).expect("dir");
            clone_laptop(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

#[test]
fn a_talent_not_on_the_roster_here_is_amber_until_admitted_with_a_reason() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut office = set_up(dir.path());
    let set = cast(&mut office, &[("Aïssatou", "Ndiaye")]);
    office.logout().expect("logout");
    let gate_dir = tempfile::tempdir().expect("tempdir");
    clone_laptop(dir.path(), gate_dir.path());
    let mut gate = Talento::open(gate_dir.path(), Options::default()).expect("open");
    gate.login(EMAIL, PASSWORD).expect("login");

    // Registered and cast at the office after the gate laptop left: unknown at the gate.
    office.login(EMAIL, PASSWORD).expect("login");
    let newcomer = talent(&mut office, "Ngozi", "Ọkafọ", false);
    office
        .assign_talents(
            &set.project,
            AssignInput { talent_ids: vec![newcomer.clone()], talent_type: "extra".into(), role: None },
        )
        .expect("assign");
    let badges = office.prepare_badges(&set.project, None, false).expect("badges");
    let token = badges.iter().find(|b| b.full_name == "Ngozi Ọkafọ").expect("badge").token.clone();

    let at = local(today(), 7, 45, 0);
    let amber = gate.scan_badge_at(&set.project, &token, ScanMethod::Scanner, at).expect("scan");
    assert_eq!((amber.status, amber.action), (ScanStatus::Amber, ScanAction::NeedsAdmission), "{}", amber.message);
    assert_eq!(amber.talent_id.as_deref(), Some(newcomer.as_str()), "the token carries who it is");
    assert!(amber.talent_name.is_none(), "not synced here, so unnamed");
    assert!(amber.event_id.is_none(), "nothing recorded until the officer decides");
    assert!(amber.message.contains("distribution"), "{}", amber.message);

    let no_reason = gate.admit_off_roster_at(&set.project, &token, "  ", at).expect_err("a reason is required");
    assert_eq!(problems(no_reason), vec![("reason", FieldProblem::Required)]);
    let attendance = gate.day_attendance(&set.project, &today().to_string()).expect("attendance");
    assert_eq!(attendance.lines.len(), 1, "a refused admission writes nothing");

    let admitted = gate
        .admit_off_roster_at(&set.project, &token, "Remplaçante envoyée par la production", plus_secs(at, 30))
        .expect("admit");
    assert_eq!((admitted.status, admitted.action), (ScanStatus::Green, ScanAction::CheckedIn));
    assert!(admitted.off_roster);
    assert_eq!((admitted.counts.off_roster, admitted.counts.expected), (1, 1));
    let attendance = gate.day_attendance(&set.project, &today().to_string()).expect("attendance");
    let newcomer_line = line(&attendance.lines, &newcomer);
    assert!(!newcomer_line.on_roster && newcomer_line.status == AttendanceStatus::Present);
    assert_eq!(newcomer_line.admission_reason.as_deref(), Some("Remplaçante envoyée par la production"));
    assert_eq!(newcomer_line.events[0].reason.as_deref(), Some("Remplaçante envoyée par la production"));

    let leaving = gate.scan_badge_at(&set.project, &token, ScanMethod::Scanner, plus_secs(at, 3600)).expect("scan");
    assert_eq!(leaving.action, ScanAction::CheckedOut, "once admitted, the next scan checks them out");
}

#[test]
fn corrections_undo_or_move_a_scan_and_the_day_is_derived_again() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut t = set_up(dir.path());
    let set = cast(&mut t, &[("Aïssatou", "Ndiaye"), ("Joël", "N'Guessan"), ("Ngozi", "Ọkafọ")]);
    let yesterday = today().saturating_sub(days(1));
    t.set_shoot_day(
        &set.project,
        ShootDayInput { day: yesterday.to_string(), call_time: "07:30".into(), ..Default::default() },
    )
    .expect("shoot day");
    let scan = |t: &mut Talento, i: usize, h: i8, m: i8| {
        t.scan_badge_at(&set.project, &set.tokens[i], ScanMethod::Scanner, local(yesterday, h, m, 0)).expect("scan")
    };
    scan(&mut t, 0, 7, 25);
    scan(&mut t, 0, 18, 0);
    let late_in = scan(&mut t, 1, 7, 52);
    let early_out = scan(&mut t, 1, 12, 0);

    let day = t.day_attendance(&set.project, &yesterday.to_string()).expect("attendance");
    assert_eq!(day.call_time.as_deref(), Some("07:30"));
    assert!(day.over, "yesterday is over");
    let (a, j, n) =
        (line(&day.lines, &set.talents[0]), line(&day.lines, &set.talents[1]), line(&day.lines, &set.talents[2]));
    assert!(!a.late && a.hours == Some(10.0 + 35.0 / 60.0), "in before the call, 07:25 to 18:00: {a:?}");
    assert_eq!((j.late, j.late_minutes), (true, Some(22)), "in at 07:52 for a 07:30 call");
    assert_eq!(n.status, AttendanceStatus::Absent, "never scanned and the day is over");

    // The officer scanned Joël's check-out by mistake: void it.
    let void = t
        .correct_scan(early_out.event_id.as_deref().expect("recorded"), None, "Sortie scannée par erreur")
        .expect("correct");
    assert_eq!(void.kind, ScanEventKind::Correction);
    // He really arrived at 07:28 (the queue at the gate).
    t.correct_scan(late_in.event_id.as_deref().expect("recorded"), Some("07:28"), "File d’attente au portail")
        .expect("correct");
    let day = t.day_attendance(&set.project, &yesterday.to_string()).expect("attendance");
    let j = line(&day.lines, &set.talents[1]);
    assert_eq!(j.status, AttendanceStatus::Present, "the voided check-out no longer counts");
    assert!(!j.late, "moved to 07:28, before the call");
    assert_eq!(j.first_in_time.as_deref(), Some("07:28"));
    assert_eq!(j.events.len(), 4, "corrections are new events: nothing was edited or deleted");
    assert!(j.events.iter().any(|e| e.voided), "the voided check-out is still shown, marked void");

    // Undo a check-in entirely: back to not arrived (absent, the day being over), and the next scan checks in again.
    let wrong_in = scan(&mut t, 2, 9, 0);
    t.correct_scan(wrong_in.event_id.as_deref().expect("recorded"), None, "Mauvais badge").expect("correct");
    let day = t.day_attendance(&set.project, &yesterday.to_string()).expect("attendance");
    assert_eq!(line(&day.lines, &set.talents[2]).status, AttendanceStatus::Absent, "an undone check-in is no arrival");
    let rescanned = scan(&mut t, 2, 9, 30);
    assert_eq!(rescanned.action, ScanAction::CheckedIn, "after an undo the next scan is a check-in again");
    let c = rescanned.counts;
    assert_eq!(
        (c.present, c.left, c.missing, c.expected),
        (2, 1, 0, 3),
        "the gate's counts apply corrections too: Joël's voided check-out leaves him present"
    );
    let day = t.day_attendance(&set.project, &yesterday.to_string()).expect("attendance");
    let n = line(&day.lines, &set.talents[2]);
    assert_eq!((n.status, n.late_minutes), (AttendanceStatus::Present, Some(120)), "in at 09:30 for a 07:30 call");
    assert!(!n.duplicate, "a voided check-in and a new one are not a duplicate");

    let bad = t.correct_scan(&void.id, None, "x").expect_err("a correction is not corrected");
    assert!(matches!(bad, CoreError::Conflict(_)), "{bad:?}");
    let no_reason = t.correct_scan(late_in.event_id.as_deref().expect("id"), Some("25:00"), "").expect_err("invalid");
    assert_eq!(problems(no_reason), vec![("reason", FieldProblem::Required), ("newTime", FieldProblem::InvalidTime)]);
    assert!(matches!(t.correct_scan("nope", None, "x"), Err(CoreError::NotFound)));
}

#[test]
fn two_laptops_checking_in_the_same_talent_keep_both_events_flagged() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut t = set_up(dir.path());
    let set = cast(&mut t, &[("Aïssatou", "Ndiaye")]);
    let at = local(today(), 7, 0, 0);
    let here = t.scan_badge_at(&set.project, &set.tokens[0], ScanMethod::Scanner, at).expect("scan");
    let id = here.event_id.expect("recorded");
    // The other gate's laptop scanned her too, offline, two minutes later; sync brings its event here.
    let mut theirs = t
        .changes_since(0, 100_000)
        .expect("changes")
        .into_iter()
        .find(|c| c.table == "scan_events" && c.row_id == id)
        .expect("logged");
    theirs.row_id = uuid::Uuid::now_v7().to_string();
    theirs.device_id = uuid::Uuid::now_v7();
    theirs.fields["device_id"] = theirs.device_id.to_string().into();
    theirs.fields["at"] = talento_core::presence::iso_time(plus_secs(at, 120)).into();
    assert_eq!(t.receive_scan_events(std::slice::from_ref(&theirs)).expect("receive"), 1);
    assert_eq!(t.receive_scan_events(&[theirs]).expect("again"), 0, "receiving the same event twice adds nothing");

    let day = t.day_attendance(&set.project, &today().to_string()).expect("attendance");
    let a = line(&day.lines, &set.talents[0]);
    assert!(a.duplicate, "two check-ins on one day are flagged");
    assert_eq!(a.events.len(), 2, "and both are kept");
    assert_eq!(a.first_in_time.as_deref(), Some("07:00"), "the earliest check-in is the arrival");
    assert_eq!(day.counts.present, 1, "she is one person on set");
}

#[test]
fn lost_badges_are_checked_by_hand_and_groups_in_bulk() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut t = set_up(dir.path());
    let set = cast(&mut t, &[("Aïssatou", "Ndiaye"), ("Joël", "N'Guessan"), ("Ngozi", "Ọkafọ")]);
    let short = t.verify_badge(&set.tokens[0]).expect("verify").short_code.expect("short code");
    let at = local(today(), 8, 0, 0);
    let typed = short.to_lowercase().replace('-', " ");
    let by_code = t.manual_check_at(&set.project, &typed, at).expect("manual");
    assert_eq!(by_code.action, ScanAction::CheckedIn, "the short code typed loosely finds the talent");
    assert_eq!(by_code.talent_id.as_deref(), Some(set.talents[0].as_str()));
    assert!(matches!(t.manual_check_at(&set.project, "ZZZZ-ZZZZ", at), Err(CoreError::NotFound)));

    let bulk = t
        .bulk_check(
            &set.project,
            BulkCheckInput {
                day: format!("{:02}/{:02}/{}", today().day(), today().month(), today().year()),
                assignment_ids: set.assignments.clone(),
                kind: ScanKind::In,
                time: Some("08:05".into()),
            },
        )
        .expect("bulk");
    assert_eq!(bulk.recorded.len(), 2, "the two not yet in are checked in");
    assert_eq!(bulk.skipped.len(), 1);
    assert_eq!(bulk.skipped[0].reason, BulkSkip::AlreadyIn);
    assert_eq!(bulk.counts.present, 3);
    let unknown = t.bulk_check(
        &set.project,
        BulkCheckInput {
            day: today().to_string(),
            assignment_ids: vec!["nope".into()],
            kind: ScanKind::Out,
            time: None,
        },
    );
    assert!(matches!(unknown, Err(CoreError::NotFound)), "an unknown assignment refuses the group");
    let out = t
        .bulk_check(
            &set.project,
            BulkCheckInput {
                day: today().to_string(),
                assignment_ids: set.assignments.clone(),
                kind: ScanKind::Out,
                time: Some("17:00".into()),
            },
        )
        .expect("bulk out");
    assert_eq!((out.recorded.len(), out.counts.left, out.counts.present), (3, 3, 0));
}

#[test]
fn presence_officers_scan_but_do_not_edit_and_recruiters_read_but_do_not_scan() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut t = set_up(dir.path());
    let set = cast(&mut t, &[("Aïssatou", "Ndiaye")]);
    for (email, role) in [("moussa@kourouma.sn", Role::Presence), ("fatou@kourouma.sn", Role::Recruiter)] {
        t.create_user(NewUserInput {
            name: "Staff Member".into(),
            email: email.into(),
            role,
            password: STAFF_PASSWORD.into(),
        })
        .expect("user");
    }
    t.logout().expect("logout");
    t.login("moussa@kourouma.sn", STAFF_PASSWORD).expect("presence login");
    let scan = t.scan_badge(&set.project, &set.tokens[0], ScanMethod::Scanner).expect("presence officers scan");
    assert_eq!(scan.action, ScanAction::CheckedIn);
    assert!(t.day_attendance(&set.project, &today().to_string()).is_ok(), "and see the day");
    assert!(matches!(t.register_talent(TalentInput::default()), Err(CoreError::Forbidden(_))), "but edit no talent");
    t.logout().expect("logout");
    t.login("fatou@kourouma.sn", STAFF_PASSWORD).expect("recruiter login");
    let day = t.day_attendance(&set.project, &today().to_string()).expect("recruiters read attendance");
    assert_eq!(day.counts.present, 1);
    assert!(matches!(t.scan_badge(&set.project, &set.tokens[0], ScanMethod::Scanner), Err(CoreError::Forbidden(_))));
    let event = day.lines[0].events[0].id.clone();
    assert!(matches!(t.correct_scan(&event, None, "x"), Err(CoreError::Forbidden(_))), "nor correct scans");
}

/// Excel's serial number of a day (days since 1899-12-30).
fn serial(day: Date) -> f64 {
    (day - jiff::civil::date(1899, 12, 30)).get_days() as f64
}

#[test]
fn the_attendance_workbook_holds_a_summary_and_a_sheet_per_day_cell_by_cell() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let dir = tempfile::tempdir().expect("tempdir");
    let mut t = set_up(dir.path());
    let set = cast(&mut t, &[("Aïssatou", "Ndiaye"), ("Joël", "N'Guessan"), ("Ngozi", "Ọkafọ")]);
    let yesterday = today().saturating_sub(days(1));
    t.set_shoot_day(
        &set.project,
        ShootDayInput { day: yesterday.to_string(), call_time: "07:30".into(), ..Default::default() },
    )
    .expect("shoot day");
    for (i, (h, m)) in [(0, (7, 25)), (0, (18, 0)), (1, (7, 52)), (1, (12, 0))] {
        t.scan_badge_at(&set.project, &set.tokens[i], ScanMethod::Scanner, local(yesterday, h, m, 0)).expect("scan");
    }
    t.scan_badge_at(&set.project, &set.tokens[0], ScanMethod::Scanner, local(today(), 8, 0, 0)).expect("scan");

    let out = dir.path().join("presence.xlsx");
    let bad = t.export_attendance_xlsx(&set.project, "hier", &today().to_string(), &out).expect_err("bad date");
    assert_eq!(problems(bad), vec![("from", FieldProblem::InvalidDate)]);
    assert!(!out.exists(), "a refused export writes nothing");
    let from = format!("{:02}/{:02}/{}", yesterday.day(), yesterday.month(), yesterday.year());
    let file = t.export_attendance_xlsx(&set.project, &from, &today().to_string(), &out).expect("export");
    assert_eq!((file.days, file.rows), (2, 6), "two days of three talents");
    assert!(!dir.path().join("presence.xlsx.part").exists(), "written atomically: no temporary file left");

    let mut book: Xlsx<_> = open_workbook(&out).expect("a valid workbook");
    let sheet_name = |d: Date| format!("{:02}-{:02}-{}", d.day(), d.month(), d.year());
    assert_eq!(book.sheet_names(), vec!["Résumé".to_owned(), sheet_name(yesterday), sheet_name(today())]);
    let text = |s: &str| Data::String(s.to_owned());

    let summary = book.worksheet_range("Résumé").expect("summary");
    let row = |r: u32| (0..5).map(|c| summary.get_value((r, c)).cloned().unwrap_or(Data::Empty)).collect::<Vec<_>>();
    assert_eq!(
        row(0),
        vec![text("Code"), text("Nom"), text("Jours présents"), text("Heures totales"), text("Retards")],
        "French headers"
    );
    // By last name: N'Guessan, Ndiaye, Ọkafọ.
    assert_eq!(row(1)[1..], [text("Joël N'Guessan"), Data::Float(1.0), Data::Float(4.13), Data::Float(1.0)]);
    assert_eq!(
        row(2)[1..],
        [text("Aïssatou Ndiaye"), Data::Float(2.0), Data::Float(10.58), Data::Float(0.0)],
        "two days present; 10 h 35 min yesterday, nothing closed today"
    );
    assert_eq!(row(3)[1..], [text("Ngozi Ọkafọ"), Data::Float(0.0), Data::Float(0.0), Data::Float(0.0)]);

    let day = book.worksheet_range(&sheet_name(yesterday)).expect("day sheet");
    let cell = |r: u32, c: u32| day.get_value((r, c)).cloned().unwrap_or(Data::Empty);
    let headers: Vec<Data> = (0..14).map(|c| cell(0, c)).collect();
    assert_eq!(
        headers[..8],
        [
            text("Date"),
            text("Code"),
            text("Nom"),
            text("Rôle"),
            text("Type"),
            text("Statut"),
            text("Arrivée"),
            text("Départ")
        ]
    );
    let roster = t.project_roster(&set.project, false).expect("roster");
    let joel = roster.iter().find(|a| a.talent_id == set.talents[1]).expect("Joël");
    let as_serial = |d: Data| match d {
        Data::DateTime(dt) => dt.as_f64(),
        other => panic!("a real Excel date or time, not {other:?}"),
    };
    assert!((as_serial(cell(1, 0)) - serial(yesterday)).abs() < 1e-9, "the date is a date, shown dd/mm/yyyy");
    assert_eq!(cell(1, 1), text(&joel.talent_code));
    assert_eq!(cell(1, 2), text("Joël N'Guessan"));
    assert_eq!(cell(1, 3), text("Pêcheur"));
    assert_eq!(cell(1, 4), text("Figurant(e)"));
    assert_eq!(cell(1, 5), text("Parti·e"));
    assert!((as_serial(cell(1, 6)) - (7.0 / 24.0 + 52.0 / 1440.0)).abs() < 1e-6, "arrival 07:52 as a time");
    assert!((as_serial(cell(1, 7)) - 0.5).abs() < 1e-6, "departure 12:00");
    assert_eq!((cell(1, 8), cell(1, 9)), (text("Oui"), Data::Float(22.0)), "late by 22 minutes");
    assert_eq!(cell(1, 10), Data::Float(4.133333333333334), "hours as a number (shown with 2 decimals)");
    assert_eq!(cell(3, 2), text("Ngozi Ọkafọ"));
    assert_eq!(cell(3, 5), text("Absent·e"), "not scanned on a day that is over");
    assert_eq!(cell(3, 6), Data::Empty, "no arrival time");

    let report = t.attendance_report(&set.project, &yesterday.to_string(), &today().to_string()).expect("report");
    assert_eq!(report.len(), 6, "a row per talent per day planned or scanned");
    let history = t.talent_attendance(&set.talents[0]).expect("history");
    let days: Vec<(&str, AttendanceStatus)> = history.iter().map(|r| (r.day.as_str(), r.status)).collect();
    assert_eq!(
        days,
        vec![
            (today().to_string().as_str(), AttendanceStatus::Present),
            (yesterday.to_string().as_str(), AttendanceStatus::Left)
        ]
    );
    let ngozi = t.talent_attendance(&set.talents[2]).expect("history");
    assert_eq!(ngozi.len(), 1, "a planned shoot day that is over counts in her history, today has none planned");
    assert_eq!(ngozi[0].status, AttendanceStatus::Absent);

    t.set_locale(Locale::En).expect("locale");
    let english = dir.path().join("presence-en.xlsx");
    t.export_attendance_xlsx(&set.project, &yesterday.to_string(), &yesterday.to_string(), &english).expect("export");
    let mut book: Xlsx<_> = open_workbook(&english).expect("workbook");
    assert_eq!(book.sheet_names()[0], "Summary", "English headers with the English locale");
    let day = book.worksheet_range(&sheet_name(yesterday)).expect("day");
    assert_eq!(day.get_value((0, 6)), Some(&text("In")));
    assert_eq!(day.get_value((1, 5)), Some(&text("Left")));
}

#[test]
fn the_sign_in_sheet_lists_the_day_with_times_and_pages() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut t = set_up(dir.path());
    let names: Vec<(String, String)> = (0..22).map(|i| (format!("Talent{i:02}"), "Diallo".to_owned())).collect();
    let mut all: Vec<(&str, &str)> = vec![("Ngozi", "Ọkafọ"), ("Joël", "N'Guessan")];
    all.extend(names.iter().map(|(f, l)| (f.as_str(), l.as_str())));
    let set = cast(&mut t, &all);
    t.set_shoot_day(
        &set.project,
        ShootDayInput { day: today().to_string(), call_time: "6h45".into(), ..Default::default() },
    )
    .expect("shoot day");
    t.scan_badge_at(&set.project, &set.tokens[0], ScanMethod::Scanner, local(today(), 6, 40, 0)).expect("scan");
    let pdf = t.signin_sheet_pdf(&set.project, &today().to_string()).expect("sheet");
    let path = dir.path().join("emargement.pdf");
    std::fs::write(&path, pdf).expect("write");
    let info = Command::new("pdfinfo").arg(&path).output().expect("pdfinfo (poppler-utils)");
    let info = String::from_utf8(info.stdout).expect("utf-8");
    let pages = info.lines().find(|l| l.starts_with("Pages:")).expect("page count");
    assert_eq!(pages.split_whitespace().last(), Some("2"), "24 talents take two pages: {info}");
    let text = Command::new("pdftotext").arg(&path).arg("-").output().expect("pdftotext");
    let text = String::from_utf8(text.stdout).expect("utf-8");
    for expected in [
        "Agence Kourouma",
        "Feuille d’émargement",
        "Ngozi Ọkafọ",
        "Joël N'Guessan",
        "Talent21 Diallo",
        "06:45",
        "06:40",
        "Pêcheur",
        "Page 2 sur 2",
    ] {
        assert!(text.contains(expected), "{expected:?} belongs on the sheet:\n{text}");
    }
    let bad = t.signin_sheet_pdf(&set.project, "31/02/2026").expect_err("no such day");
    assert_eq!(problems(bad), vec![("day", FieldProblem::InvalidDate)]);
}
