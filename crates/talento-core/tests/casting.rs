//! Productions, projects, shoot days, casting and badges on a real encrypted store: codes, validation, rosters,
//! signing keys, offline verification of every rejection, and a printed badge PDF whose QR codes, read back by a
//! QR decoder from the rendered pages, verify.

use std::path::Path;
use std::process::Command;

use base64::Engine;
use jiff::civil::Date;
use talento_core::casting::dto::{
    AssignInput, BadgePaper, ProductionInput, ProjectFilter, ProjectInput, ShootDayInput,
};
use talento_core::dto::NewUserInput;
use talento_core::{CoreError, Talento};
use talento_domain::badge::BadgeRejection;
use talento_domain::casting::{ProductionType, ProjectStatus};
use talento_domain::{FieldProblem, Role};

mod fixtures;
use fixtures::{set_up, talent};

fn production(t: &mut Talento, name: &str) -> String {
    t.create_production(ProductionInput { name: name.into(), country: Some("SN".into()), ..Default::default() })
        .expect("production")
        .id
}

fn project_input(production_id: &str, start: &str, end: &str) -> ProjectInput {
    ProjectInput {
        name: "Le Chant du Fleuve".into(),
        production_type: Some(ProductionType::Film),
        production_id: production_id.into(),
        origin_country: "SN".into(),
        locations: vec!["Saint-Louis".into(), "Podor".into()],
        start_date: start.into(),
        end_date: end.into(),
        status: Some(ProjectStatus::Shooting),
        description: None,
    }
}

fn problems(error: CoreError) -> Vec<(&'static str, FieldProblem)> {
    match error {
        CoreError::Validation(fields) => fields.into_iter().map(|f| (f.field, f.problem)).collect(),
        other => panic!("expected validation errors, got {other:?}"),
    }
}

/// A project running today, so its badges are valid now.
fn running_project(t: &mut Talento, production_id: &str) -> String {
    let today = jiff::Zoned::now().date();
    let start = today.saturating_sub(jiff::Span::new().days(3)).to_string();
    let end = today.saturating_add(jiff::Span::new().days(20)).to_string();
    t.create_project(project_input(production_id, &start, &end)).expect("project").id
}

#[test]
fn productions_validate_and_keep_their_initials() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut t = set_up(dir.path());
    let bad = t
        .create_production(ProductionInput {
            name: " ".into(),
            country: Some("ZZ".into()),
            email: Some("not-an-email".into()),
            website: Some("ftp://x".into()),
            founded_year: Some(1700),
            ..Default::default()
        })
        .expect_err("nothing valid");
    let fields: Vec<&str> = problems(bad).into_iter().map(|(f, _)| f).collect();
    for field in ["name", "country", "email", "website", "foundedYear"] {
        assert!(fields.contains(&field), "{field} must be reported next to its field, got {fields:?}");
    }
    assert!(t.list_productions(true).expect("list").is_empty(), "a refused form writes nothing");

    let created = t
        .create_production(ProductionInput {
            name: "Les Films du Sahel".into(),
            country: Some("sn".into()),
            phone: Some("77 123 45 67".into()),
            services: vec!["Casting".into(), "casting".into(), "Location de matériel".into()],
            ..Default::default()
        })
        .expect("valid production");
    assert_eq!(created.initials, "FSI");
    assert_eq!(created.country.as_deref(), Some("SN"));
    assert_eq!(created.phone.as_deref(), Some("+221771234567"), "phones are stored in E.164");
    assert_eq!(created.services, vec!["Casting", "Location de matériel"], "a repeated item is kept once");

    let renamed = t
        .update_production(&created.id, ProductionInput { name: "Sahel Pictures".into(), ..Default::default() })
        .expect("rename");
    assert_eq!(renamed.initials, "FSI", "project codes already carry the initials, so they never change");
    t.set_production_active(&created.id, false).expect("deactivate");
    assert!(t.list_productions(false).expect("list").is_empty(), "inactive productions leave the default list");
    assert_eq!(t.list_productions(true).expect("list").len(), 1);
}

#[test]
fn projects_get_codes_per_country_and_initials_and_archive() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut t = set_up(dir.path());
    let sahel = production(&mut t, "Les Films du Sahel");
    let first = t.create_project(project_input(&sahel, "2026-12-01", "2026-12-20")).expect("project");
    let second = t.create_project(project_input(&sahel, "2027-01-05", "2027-02-01")).expect("project");
    assert_eq!(first.code, "SNFSI001", "country, production initials, first number");
    assert_eq!(second.code, "SNFSI002", "numbers count per country and initials");
    assert_eq!(first.locations, vec!["Saint-Louis", "Podor"]);

    let inverted = t.create_project(project_input(&sahel, "2026-12-20", "2026-12-01")).expect_err("inverted");
    assert_eq!(problems(inverted), vec![("endDate", FieldProblem::RangeInverted)]);
    let mut no_type = project_input(&sahel, "2026-12-01", "2026-12-02");
    no_type.production_type = None;
    no_type.production_id = "nope".into();
    let fields: Vec<&str> =
        problems(t.create_project(no_type).expect_err("invalid")).into_iter().map(|p| p.0).collect();
    assert_eq!(fields, vec!["productionType", "productionId"]);

    let mut edited = project_input(&sahel, "2026-12-02", "2026-12-21");
    edited.origin_country = "CI".into();
    let edited = t.update_project(&first.id, edited).expect("edit");
    assert_eq!(edited.code, "SNFSI001", "a project's code never changes");
    assert_eq!(edited.start_date, "2026-12-02");

    t.set_project_archived(&first.id, true).expect("archive");
    let listed = t.list_projects(&ProjectFilter::default()).expect("list");
    assert_eq!(listed.iter().map(|p| p.code.as_str()).collect::<Vec<_>>(), vec!["SNFSI002"]);
    let all = t.list_projects(&ProjectFilter { include_archived: true, ..Default::default() }).expect("list");
    assert_eq!(all.len(), 2);
    let found = t.list_projects(&ProjectFilter {
        include_archived: true,
        text: Some("chant fsi001".into()),
        ..Default::default()
    });
    assert_eq!(found.expect("search").len(), 1, "name and code words, accents and case ignored");
    let archived_edit = t.update_project(&first.id, project_input(&sahel, "2026-12-01", "2026-12-20"));
    assert!(matches!(archived_edit, Err(CoreError::Conflict(_))), "an archived project is read-only");
}

#[test]
fn shoot_days_have_a_call_time_and_one_row_per_day() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut t = set_up(dir.path());
    let sahel = production(&mut t, "Les Films du Sahel");
    let project = t.create_project(project_input(&sahel, "2026-12-01", "2026-12-20")).expect("project");
    let day = |d: &str, call: &str| ShootDayInput { day: d.into(), call_time: call.into(), ..Default::default() };
    t.set_shoot_day(&project.code, day("2026-12-03", "7:30")).expect("day");
    t.set_shoot_day(&project.code, day("2026-12-02", "6h")).expect("French '6h' reads as 06:00");
    let changed = t.set_shoot_day(&project.code, day("2026-12-03", "08:15")).expect("same day again");
    assert_eq!(changed.call_time, "08:15", "saving the same day changes it rather than adding a second one");
    let days = t.list_shoot_days(&project.id).expect("days");
    assert_eq!(
        days.iter().map(|d| (d.day.as_str(), d.call_time.as_str())).collect::<Vec<_>>(),
        vec![("2026-12-02", "06:00"), ("2026-12-03", "08:15")]
    );
    assert_eq!(
        problems(t.set_shoot_day(&project.id, day("2026-12-04", "25:00")).expect_err("bad time")),
        vec![("callTime", FieldProblem::InvalidTime)]
    );
    t.remove_shoot_day(&project.id, "2026-12-02").expect("remove");
    assert_eq!(t.list_shoot_days(&project.id).expect("days").len(), 1);
    assert!(matches!(t.remove_shoot_day(&project.id, "2026-12-02"), Err(CoreError::NotFound)));
}

#[test]
fn casting_several_talents_at_once_gives_assignment_codes_and_history() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut t = set_up(dir.path());
    let ids: Vec<String> = [("Aïssatou", "Ndiaye"), ("Joël", "N'Guessan"), ("Ngozi", "Ọkafọ")]
        .iter()
        .map(|(f, l)| talent(&mut t, f, l, false))
        .collect();
    let sahel = production(&mut t, "Les Films du Sahel");
    let project = t.create_project(project_input(&sahel, "2026-12-01", "2026-12-20")).expect("project");
    let outcome = t
        .assign_talents(
            &project.id,
            AssignInput { talent_ids: ids.clone(), talent_type: "extra".into(), role: Some("Villageois".into()) },
        )
        .expect("assign");
    let mut codes: Vec<String> = outcome.assigned.iter().map(|a| a.code.clone()).collect();
    codes.sort();
    assert_eq!(codes, vec!["SNFSI001001", "SNFSI001002", "SNFSI001003"], "CCIIISSSNNN, numbered within the project");
    let again = t
        .assign_talents(
            &project.id,
            AssignInput { talent_ids: vec![ids[0].clone()], talent_type: "extra".into(), role: None },
        )
        .expect("assign again");
    assert!(again.assigned.is_empty() && again.already_assigned.len() == 1, "already cast: reported, not duplicated");

    let bad = t
        .assign_talents(&project.id, AssignInput { talent_ids: ids.clone(), talent_type: "wizard".into(), role: None });
    assert_eq!(problems(bad.expect_err("unknown type")), vec![("talentType", FieldProblem::UnknownValue)]);

    let roster = t.project_roster(&project.code, false).expect("roster");
    assert_eq!(
        roster.iter().map(|a| a.last_name.as_str()).collect::<Vec<_>>(),
        vec!["N'Guessan", "Ndiaye", "Ọkafọ"],
        "the roster reads by last name"
    );
    let removed = t.unassign_talent(&outcome.assigned[0].id).expect("unassign");
    assert!(!removed.active);
    assert_eq!(t.project_roster(&project.id, false).expect("roster").len(), 2);
    assert_eq!(t.project_roster(&project.id, true).expect("roster").len(), 3, "removed talents stay in the history");
    let back = t
        .assign_talents(
            &project.id,
            AssignInput { talent_ids: vec![removed.talent_id.clone()], talent_type: "lead_actor".into(), role: None },
        )
        .expect("cast again");
    assert_eq!(back.assigned[0].code, removed.code, "cast again, the talent keeps their assignment code");
    assert_eq!(back.assigned[0].talent_type, "lead_actor");

    let history = t.talent_projects(&removed.talent_id).expect("history");
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].project_code, "SNFSI001");
    assert_eq!(history[0].production_name, "Les Films du Sahel");
}

#[test]
fn badges_verify_offline_and_every_rejection_has_its_reason() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut t = set_up(dir.path());
    let ids: Vec<String> =
        [("Aïssatou", "Ndiaye"), ("Joël", "N'Guessan")].iter().map(|(f, l)| talent(&mut t, f, l, true)).collect();
    let sahel = production(&mut t, "Les Films du Sahel");
    let project = running_project(&mut t, &sahel);
    let cast = t
        .assign_talents(&project, AssignInput { talent_ids: ids, talent_type: "extra".into(), role: None })
        .expect("assign")
        .assigned;
    let badges = t.prepare_badges(&project, None, false).expect("badges");
    assert_eq!(badges.len(), 2);
    assert!(badges.iter().all(|b| b.photo_jpeg.is_some()), "profile photos go on the badges");
    let badge_of = |badges: &[talento_documents::badge::BadgeContent], i: usize| {
        badges.iter().find(|b| b.talent_code == cast[i].talent_code).expect("a badge per cast talent").clone()
    };
    let token = badge_of(&badges, 0).token;
    assert!((120..=150).contains(&token.len()), "about 120-140 base64 characters, got {}", token.len());
    let check = t.verify_badge(&token).expect("verify");
    assert!(check.valid, "a fresh badge verifies: {}", check.message);
    assert_eq!(check.on_roster, Some(true));
    assert_eq!(check.short_code.as_deref(), Some(badge_of(&badges, 0).short_code.as_str()));
    assert!(check.talent_name.is_some() && check.project_code.is_some());

    let again = t.prepare_badges(&project, None, false).expect("print again");
    assert_eq!(badge_of(&again, 0).token, token, "printing twice prints the same badge, not a new one");

    // One changed byte.
    let mut bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(&token).expect("b64");
    bytes[5] ^= 0x20; // inside the talent id
    let tampered = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&bytes);
    assert_eq!(t.verify_badge(&tampered).expect("verify").rejection, Some(BadgeRejection::BadSignature));
    // Garbage.
    assert_eq!(t.verify_badge("SNF0001DKR").expect("verify").rejection, Some(BadgeRejection::Malformed));
    // Outside the validity days.
    let later = jiff::Zoned::now().date().saturating_add(jiff::Span::new().days(60));
    assert_eq!(t.verify_badge_on(&token, later).expect("verify").rejection, Some(BadgeRejection::Expired));
    // Signed by a key this agency does not have.
    let parsed = talento_domain::badge::BadgeToken::parse(&token).expect("parses");
    let foreign_seed = [42u8; 32];
    let mut claims = parsed.claims;
    claims.key_id = talento_domain::badge::key_id(&talento_domain::badge::public_key(&foreign_seed));
    let foreign = talento_domain::badge::sign(&claims, &foreign_seed).expect("sign");
    let rejected = t.verify_badge(&foreign).expect("verify");
    assert_eq!(rejected.rejection, Some(BadgeRejection::UnknownKey));
    assert!(rejected.message.contains("clé inconnue"), "the reason is said in French: {}", rejected.message);

    // Lost badge: re-issued, the old one revoked.
    let reissued = t.prepare_badges(&project, Some(&[cast[0].id.clone()]), true).expect("reissue");
    assert_ne!(reissued[0].token, token);
    assert_eq!(t.verify_badge(&token).expect("verify").rejection, Some(BadgeRejection::Revoked));
    assert!(t.verify_badge(&reissued[0].token).expect("verify").valid);

    // Taken off the project: revoked at once.
    let second = badge_of(&badges, 1).token;
    t.unassign_talent(&cast[1].id).expect("unassign");
    assert_eq!(t.verify_badge(&second).expect("verify").rejection, Some(BadgeRejection::Revoked));

    // Key rotation keeps old badges valid; revoking a key stops them.
    let old_key = t.list_signing_keys().expect("keys").into_iter().find(|k| k.current).expect("a current key");
    let new_key = t.rotate_signing_key().expect("rotate");
    assert_ne!(old_key.key_id, new_key.key_id);
    assert!(t.verify_badge(&reissued[0].token).expect("verify").valid, "retired keys still verify");
    t.revoke_signing_key(old_key.key_id).expect("revoke key");
    assert_eq!(t.verify_badge(&reissued[0].token).expect("verify").rejection, Some(BadgeRejection::KeyRevoked));
    let fresh = t.prepare_badges(&project, None, false).expect("print after key revocation");
    let fresh_check = t.verify_badge(&fresh[0].token).expect("verify");
    assert!(fresh_check.valid && fresh_check.key_id == Some(new_key.key_id), "badges of a revoked key are re-issued");

    // Project dates change: the badge no longer matches and is re-issued.
    let mut moved = project_input(&sahel, "2026-01-01", "2026-01-31");
    moved.name = "Le Chant du Fleuve".into();
    t.update_project(&project, moved).expect("move dates");
    let moved_badges = t.prepare_badges(&project, None, false).expect("print");
    assert_ne!(moved_badges[0].token, fresh[0].token);
    assert_eq!(t.verify_badge(&fresh[0].token).expect("verify").rejection, Some(BadgeRejection::Revoked));
    assert_eq!(
        t.verify_badge_on(&moved_badges[0].token, Date::constant(2025, 12, 31)).expect("verify").rejection,
        Some(BadgeRejection::NotYetValid)
    );
}

#[test]
fn the_secret_key_never_reaches_the_change_log() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut t = set_up(dir.path());
    t.rotate_signing_key().expect("rotate");
    let changes = t.changes_since(0, 10_000).expect("changes");
    let keys: Vec<_> = changes.iter().filter(|c| c.table == "signing_keys").collect();
    assert!(keys.len() >= 3, "created, retired, created: every key change is synced");
    for change in keys {
        assert!(change.fields.get("secret_seed").is_none(), "the secret half stays on this laptop: {change:?}");
    }
    let sahel = production(&mut t, "Les Films du Sahel");
    let project = t.create_project(project_input(&sahel, "2026-12-01", "2026-12-20")).expect("project");
    let logged = t.changes_since(0, 10_000).expect("changes");
    let entry = logged.iter().find(|c| c.table == "projects" && c.row_id == project.id).expect("logged");
    assert_eq!(entry.fields["code"], "SNFSI001", "new rows travel with all their fields");
}

#[test]
fn roles_are_enforced_in_the_core() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut t = set_up(dir.path());
    let sahel = production(&mut t, "Les Films du Sahel");
    let project = running_project(&mut t, &sahel);
    let talent_id = talent(&mut t, "Aïssatou", "Ndiaye", true);
    let photo = t.get_talent(&talent_id).expect("talent").photo.expect("a photo");
    let presence_password = "Gorée-Lagune-Mangrove-77";
    for (email, role) in [("moussa@kourouma.sn", Role::Presence), ("fatou@kourouma.sn", Role::Recruiter)] {
        t.create_user(NewUserInput {
            name: "Staff Member".into(),
            email: email.into(),
            role,
            password: presence_password.into(),
        })
        .expect("user");
    }
    t.logout().expect("logout");
    t.login("moussa@kourouma.sn", presence_password).expect("presence login");
    assert!(matches!(
        t.create_production(ProductionInput { name: "X".into(), ..Default::default() }),
        Err(CoreError::Forbidden(_))
    ));
    assert!(matches!(t.prepare_badges(&project, None, false), Err(CoreError::Forbidden(_))));
    assert!(t.list_projects(&ProjectFilter::default()).is_ok(), "presence officers pick a project at the gate");
    assert!(t.verify_badge("nonsense").is_ok(), "and check badges");
    assert!(t.read_photo(&photo, true).is_ok(), "and compare the face at the gate with the photo");
    assert!(matches!(t.get_talent(&talent_id), Err(CoreError::Forbidden(_))), "but do not browse the registry");
    t.logout().expect("logout");
    t.login("fatou@kourouma.sn", presence_password).expect("recruiter login");
    assert!(matches!(t.rotate_signing_key(), Err(CoreError::Forbidden(_))), "only administrators rotate keys");
    assert!(matches!(t.prepare_badges(&project, None, false), Err(CoreError::Conflict(_))), "nobody cast yet");
}

/// Renders a PDF's pages to grey images with poppler's pdftoppm.
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

#[test]
fn printed_badges_scan_back_to_tokens_that_verify() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut t = set_up(dir.path());
    let ids: Vec<String> = [("Aïssatou", "Ndiaye"), ("Joël", "N'Guessan"), ("Ngozi", "Ọkafọ")]
        .iter()
        .enumerate()
        .map(|(i, (f, l))| talent(&mut t, f, l, i != 1))
        .collect();
    let sahel = production(&mut t, "Les Films du Sahel");
    let project = running_project(&mut t, &sahel);
    t.assign_talents(
        &project,
        AssignInput { talent_ids: ids, talent_type: "extra".into(), role: Some("Pêcheur".into()) },
    )
    .expect("assign");
    let out = dir.path().join("badges.pdf");
    let mut calls = 0;
    let file = t
        .write_badges(&project, None, BadgePaper::A4, &out, &mut |_, _| {
            calls += 1;
            true
        })
        .expect("badge PDF");
    assert_eq!(file.badges, 3);
    assert!(calls >= 3, "progress is reported per badge");
    // rqrr's grid finder misses the odd code at one resolution that it reads at another (a phone or USB scanner
    // does not): the page is read at 300 and 200 dpi, as a person would hold a badge closer, and the codes pooled.
    let mut tokens: Vec<String> = Vec::new();
    for dpi in [300, 200] {
        let pages_dir = tempfile::tempdir().expect("tempdir");
        let pages = render_pages(&out, pages_dir.path(), dpi);
        assert_eq!(pages.len(), 1, "three badges fit on one A4 sheet of four");
        for page in &pages {
            let (w, h) = page.dimensions();
            let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(w as usize, h as usize, |x, y| {
                page.get_pixel(x as u32, y as u32).0[0]
            });
            for grid in prepared.detect_grids() {
                if let Ok((_, content)) = grid.decode()
                    && !tokens.contains(&content)
                {
                    tokens.push(content);
                }
            }
        }
        if tokens.len() == 3 {
            break;
        }
    }
    assert_eq!(tokens.len(), 3, "every badge's QR code decodes from the printed page");
    for token in tokens {
        let check = t.verify_badge(&token).expect("verify");
        assert!(check.valid, "a scanned badge verifies: {}", check.message);
        assert_eq!(check.on_roster, Some(true));
    }
    let cancelled = t.write_badges(&project, None, BadgePaper::Card, &dir.path().join("c.pdf"), &mut |_, _| false);
    assert!(matches!(cancelled, Err(CoreError::Cancelled)), "cancelling stops the work");
    assert!(!dir.path().join("c.pdf").exists(), "and leaves no file");
}
