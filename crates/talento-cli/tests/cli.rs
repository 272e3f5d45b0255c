//! The `talento` binary as an administrator's script would use it.

use std::process::{Command, Output};

fn talento(dir: &std::path::Path, args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_talento"));
    command.args(args).env("TALENTO_DATA_DIR", dir).env_remove("TALENTO_PASSWORD").env_remove("TALENTO_NEW_PASSWORD");
    for (k, v) in envs {
        command.env(k, v);
    }
    command.output().expect("run talento")
}

fn text(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

#[test]
fn init_then_add_a_user_with_a_login_and_role_checks() {
    let dir = tempfile::tempdir().expect("tempdir");
    let status = talento(dir.path(), &["status", "--lang", "en"], &[]);
    assert!(status.status.success() && text(&status).contains("Not set up yet"), "{}", text(&status));

    let init = talento(
        dir.path(),
        &["init", "--agency", "Agence Sahel", "--name", "Fatou Sow", "--email", "fatou@sahel.ml"],
        &[("TALENTO_NEW_PASSWORD", "Fleuve-Niger-Bamako-2026")],
    );
    assert!(init.status.success(), "init must succeed: {}", text(&init));
    assert!(text(&init).contains("ADM-"), "init prints the administrator's code: {}", text(&init));

    let weak = talento(
        dir.path(),
        &["user", "add", "--login", "fatou@sahel.ml", "--name", "Ali", "--email", "ali@sahel.ml", "--role", "presence"],
        &[("TALENTO_PASSWORD", "Fleuve-Niger-Bamako-2026"), ("TALENTO_NEW_PASSWORD", "123456789012")],
    );
    assert!(!weak.status.success(), "a weak initial password is refused");
    assert!(
        text(&weak).contains("password") && text(&weak).contains("Mot de passe"),
        "French, field named: {}",
        text(&weak)
    );

    let add = talento(
        dir.path(),
        &[
            "user",
            "add",
            "--login",
            "fatou@sahel.ml",
            "--name",
            "Ali Keïta",
            "--email",
            "ali@sahel.ml",
            "--role",
            "presence",
        ],
        &[("TALENTO_PASSWORD", "Fleuve-Niger-Bamako-2026"), ("TALENTO_NEW_PASSWORD", "Portail-Tournage-Matin-5")],
    );
    assert!(add.status.success(), "{}", text(&add));
    assert!(text(&add).contains("PRE-"), "{}", text(&add));

    let refused = talento(
        dir.path(),
        &["user", "list", "--login", "ali@sahel.ml", "--lang", "en"],
        &[("TALENTO_PASSWORD", "Portail-Tournage-Matin-5")],
    );
    assert!(!refused.status.success(), "a presence officer may not list users");
    assert!(text(&refused).contains("role does not allow"), "{}", text(&refused));

    let wrong =
        talento(dir.path(), &["status", "--login", "fatou@sahel.ml"], &[("TALENTO_PASSWORD", "nope-nope-nope")]);
    assert!(!wrong.status.success() && text(&wrong).contains("incorrect"), "{}", text(&wrong));

    let status = talento(
        dir.path(),
        &["status", "--login", "fatou@sahel.ml"],
        &[("TALENTO_PASSWORD", "Fleuve-Niger-Bamako-2026")],
    );
    assert!(status.status.success(), "{}", text(&status));
    assert!(text(&status).contains("cities\t2030") && text(&status).contains("Agence Sahel"), "{}", text(&status));
}

#[test]
fn bench_runs_on_a_small_synthetic_agency_and_reports_json() {
    let dir = tempfile::tempdir().expect("tempdir");
    // No PostgreSQL here (a folder without its binaries): the sync section is skipped, saying why, and that is
    // no failure of the benchmark.
    let no_postgres = dir.path().join("no-postgres");
    let no_postgres = no_postgres.to_str().expect("UTF-8 path");
    let output = talento(dir.path(), &["bench", "--talents", "300", "--json"], &[("TALENTO_PG_BINDIR", no_postgres)]);
    // Timings in a debug build say nothing; what matters here is that every measure is produced.
    let report: serde_json::Value =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("JSON: {e}\n{}", text(&output)));
    assert_eq!(report["talents"], 300);
    assert!(
        report["sync"].is_null() && report["sync_skipped"].as_str().is_some_and(|r| r.contains("TALENTO_PG_BINDIR")),
        "without PostgreSQL the sync section says it was skipped and why: {}",
        report["sync_skipped"]
    );
    let names: Vec<&str> =
        report["measures"].as_array().expect("measures").iter().filter_map(|m| m["name"].as_str()).collect();
    for expected in [
        "registration",
        "photo",
        "search, text alone",
        "search, filters alone",
        "search, text and filters",
        "badges, one A4 sheet",
        "badges, 75 with photos",
        "presence scan",
    ] {
        assert!(names.iter().any(|n| n.starts_with(expected)), "{expected} is measured: {names:?}");
    }
    assert!(report["store_bytes"].as_u64().is_some_and(|b| b > 0));
}

#[test]
fn bench_sync_section_runs_against_a_local_server_without_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let args = ["bench", "--sync", "--talents", "200", "--changes", "50", "--laptops", "3", "--laptop-changes", "10"];
    let output = talento(dir.path(), &[&args[..], &["--json"]].concat(), &[]);
    let report: serde_json::Value =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("JSON: {e}\n{}", text(&output)));
    assert!(report.get("measures").is_none(), "--sync runs the sync section alone: {report}");
    let sync = &report["sync"];
    assert_eq!(sync["errors"], serde_json::json!([]), "every sync succeeds, nothing refused: {}", text(&output));
    assert_eq!(
        (sync["talents"].as_u64(), sync["changes"].as_u64(), sync["laptops"].as_u64()),
        (Some(200), Some(50), Some(3))
    );
    let measures = sync["measures"].as_array().expect("measures");
    let names: Vec<&str> = measures.iter().filter_map(|m| m["name"].as_str()).collect();
    for expected in [
        "sync, A's first push of 200",
        "sync, new laptop's first sync of 200 (pull + apply)",
        "sync, new laptop's first search",
        "sync, new laptop's first sync of 200, usable",
        "sync, 50 changes: A pushes",
        "sync, 50 changes: B pulls",
        "sync, 50 changes: push + pull",
        "sync, 3 laptops × 10 changes at once",
    ] {
        assert!(names.iter().any(|n| n.starts_with(expected)), "{expected} is measured: {names:?}");
    }
    let fleet = measures.last().expect("the fleet is measured last");
    assert_eq!(fleet["stats"]["samples"], 3, "one sync per fleet laptop: {fleet}");
    // Timings in a debug build say nothing, but the targets are there to be checked in release.
    let targets = measures.iter().filter(|m| m["target_ms"].is_number()).count();
    assert_eq!(targets, 2, "first sync ≤ 30 s and 1,000 changes ≤ 2 s carry targets: {names:?}");
}

/// A project with two cast talents, made through the core as the desktop would; returns its code.
fn project_with_cast(dir: &std::path::Path, email: &str, password: &str) -> String {
    use talento_core::casting::dto::{AssignInput, ProductionInput, ProjectInput};
    use talento_core::talents::dto::{SaveOutcome, TalentInput};
    use talento_domain::talent::{Gender, TalentKind};
    let mut t = talento_core::Talento::open(dir, talento_core::Options::default()).expect("open");
    t.login(email, password).expect("login");
    let mut ids = Vec::new();
    for (first, last) in [("Aïssatou", "Ndiaye"), ("Ngozi", "Ọkafọ")] {
        let input = TalentInput {
            kind: Some(TalentKind::General),
            first_name: first.into(),
            last_name: last.into(),
            gender: Some(Gender::F),
            birth_date: "1995-05-05".into(),
            origin_country: "ML".into(),
            origin_city: "VNL".into(),
            residence_country: "ML".into(),
            residence_city: "VNL".into(),
            residence_city_other: Some("Ségou".into()),
            consent: true,
            confirm_duplicates: true,
            ..TalentInput::default()
        };
        match t.register_talent(input).expect("register") {
            SaveOutcome::Saved { talent } => ids.push(talent.id),
            SaveOutcome::PossibleDuplicates { .. } => panic!("confirmed"),
        }
    }
    let production =
        t.create_production(ProductionInput { name: "Bamako Films".into(), ..Default::default() }).expect("production");
    let today = jiff::Zoned::now().date();
    let project = t
        .create_project(ProjectInput {
            name: "Le Fleuve".into(),
            production_type: Some(talento_domain::casting::ProductionType::Series),
            production_id: production.id,
            origin_country: "ML".into(),
            start_date: today.to_string(),
            end_date: today.saturating_add(jiff::Span::new().days(10)).to_string(),
            ..Default::default()
        })
        .expect("project");
    t.assign_talents(&project.id, AssignInput { talent_ids: ids, talent_type: "extra".into(), role: None })
        .expect("assign");
    t.logout().expect("logout");
    project.code
}

#[test]
fn badges_keys_and_verify_headless() {
    let dir = tempfile::tempdir().expect("tempdir");
    let admin = [("TALENTO_PASSWORD", "Fleuve-Niger-Bamako-2026")];
    let init = talento(
        dir.path(),
        &["init", "--agency", "Agence Sahel", "--name", "Fatou Sow", "--email", "fatou@sahel.ml"],
        &[("TALENTO_NEW_PASSWORD", "Fleuve-Niger-Bamako-2026")],
    );
    assert!(init.status.success(), "{}", text(&init));
    let code = project_with_cast(dir.path(), "fatou@sahel.ml", "Fleuve-Niger-Bamako-2026");

    let listed = talento(dir.path(), &["projects", "--login", "fatou@sahel.ml"], &admin);
    assert!(listed.status.success() && text(&listed).contains(&code), "{}", text(&listed));

    let out = dir.path().join("badges.pdf");
    let badges = talento(
        dir.path(),
        &["badges", "--project", &code, "--out", out.to_str().expect("utf-8 path"), "--login", "fatou@sahel.ml"],
        &admin,
    );
    assert!(badges.status.success(), "{}", text(&badges));
    assert!(text(&badges).contains("2 badges"), "the command says how many: {}", text(&badges));
    let pdf = std::fs::read(&out).expect("the PDF is written");
    assert!(pdf.starts_with(b"%PDF-"), "a PDF file");

    // The token the badge carries, as the core issued it (printing again reuses it).
    let mut t = talento_core::Talento::open(dir.path(), talento_core::Options::default()).expect("open");
    t.login("fatou@sahel.ml", "Fleuve-Niger-Bamako-2026").expect("login");
    let token = t.prepare_badges(&code, None, false).expect("badges")[0].token.clone();
    t.logout().expect("logout");

    let ok = talento(dir.path(), &["verify", &token, "--login", "fatou@sahel.ml", "--lang", "en"], &admin);
    assert!(ok.status.success(), "a valid badge exits 0: {}", text(&ok));
    assert!(text(&ok).contains("Valid badge") && text(&ok).contains(&code), "{}", text(&ok));
    let mut forged = token.clone();
    forged.replace_range(10..11, if &token[10..11] == "A" { "B" } else { "A" });
    let bad = talento(dir.path(), &["verify", &forged, "--login", "fatou@sahel.ml", "--lang", "en"], &admin);
    assert_eq!(bad.status.code(), Some(3), "a refused badge exits 3: {}", text(&bad));
    assert!(text(&bad).contains("signature") || text(&bad).contains("not a Talento badge"), "{}", text(&bad));

    let keys = talento(dir.path(), &["keys", "list", "--login", "fatou@sahel.ml", "--lang", "en"], &admin);
    assert!(keys.status.success() && text(&keys).contains("current"), "{}", text(&keys));
    let rotated = talento(dir.path(), &["keys", "rotate", "--login", "fatou@sahel.ml", "--lang", "en"], &admin);
    assert!(rotated.status.success() && text(&rotated).contains("retired"), "{}", text(&rotated));
    let still = talento(dir.path(), &["verify", &token, "--login", "fatou@sahel.ml"], &admin);
    assert!(still.status.success(), "badges of a retired key still verify: {}", text(&still));

    let retired = text(&rotated)
        .lines()
        .find(|l| l.contains("retired"))
        .and_then(|l| l.split('\t').next())
        .map(str::to_owned)
        .expect("the retired key is listed with its id");
    assert!(retired.starts_with('#'), "key ids are shown as the desktop shows them: {retired}");
    let revoked =
        talento(dir.path(), &["keys", "revoke", &retired, "--login", "fatou@sahel.ml", "--lang", "en"], &admin);
    assert!(revoked.status.success() && text(&revoked).contains("revoked"), "{}", text(&revoked));
    let refused = talento(dir.path(), &["verify", &token, "--login", "fatou@sahel.ml", "--lang", "en"], &admin);
    assert_eq!(refused.status.code(), Some(3), "a badge of a revoked key is refused: {}", text(&refused));
    assert!(text(&refused).contains("revoked key"), "{}", text(&refused));
}

#[test]
fn scan_attendance_and_sign_in_sheet_headless() {
    let dir = tempfile::tempdir().expect("tempdir");
    let admin = [("TALENTO_PASSWORD", "Fleuve-Niger-Bamako-2026")];
    let init = talento(
        dir.path(),
        &["init", "--agency", "Agence Sahel", "--name", "Fatou Sow", "--email", "fatou@sahel.ml"],
        &[("TALENTO_NEW_PASSWORD", "Fleuve-Niger-Bamako-2026")],
    );
    assert!(init.status.success(), "{}", text(&init));
    let code = project_with_cast(dir.path(), "fatou@sahel.ml", "Fleuve-Niger-Bamako-2026");
    let mut t = talento_core::Talento::open(dir.path(), talento_core::Options::default()).expect("open");
    t.login("fatou@sahel.ml", "Fleuve-Niger-Bamako-2026").expect("login");
    let token = t.prepare_badges(&code, None, false).expect("badges")[0].token.clone();
    t.logout().expect("logout");

    let login = ["--login", "fatou@sahel.ml", "--lang", "en"];
    let scan = |token: &str| talento(dir.path(), &[&["scan", "--project", &code, token][..], &login].concat(), &admin);
    let first = scan(&token);
    assert!(first.status.success(), "a check-in is green and exits 0: {}", text(&first));
    assert!(text(&first).contains("Checked in") && text(&first).contains("1 / 2"), "{}", text(&first));
    let last = if token.ends_with('x') { "y" } else { "x" };
    let forged = format!("{}{last}", &token[..token.len() - 1]);
    let refused = scan(&forged);
    assert_eq!(refused.status.code(), Some(3), "a refused badge exits 3: {}", text(&refused));

    let today = jiff::Zoned::now().date();
    let out = dir.path().join("presence.xlsx");
    let from = format!("{:02}/{:02}/{}", today.day(), today.month(), today.year());
    let args = ["attendance", "--project", &code, "--from", &from, "--to", &from, "--out", out.to_str().expect("path")];
    let export = talento(dir.path(), &[&args[..], &login].concat(), &admin);
    assert!(export.status.success() && out.exists(), "DD/MM/YYYY dates are understood: {}", text(&export));
    assert!(text(&export).contains("1 days, 2 rows"), "{}", text(&export));

    let pdf = dir.path().join("sheet.pdf");
    let day = today.to_string();
    let args = ["signin-sheet", "--project", &code, "--day", &day, "--out", pdf.to_str().expect("path")];
    let sheet = talento(dir.path(), &[&args[..], &login].concat(), &admin);
    assert!(sheet.status.success(), "{}", text(&sheet));
    assert!(std::fs::read(&pdf).expect("written").starts_with(b"%PDF-"));
}
