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
    let output = talento(dir.path(), &["bench", "--talents", "300", "--json"], &[]);
    // Timings in a debug build say nothing; what matters here is that every measure is produced.
    let report: serde_json::Value =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("JSON: {e}\n{}", text(&output)));
    assert_eq!(report["talents"], 300);
    let names: Vec<&str> =
        report["measures"].as_array().expect("measures").iter().filter_map(|m| m["name"].as_str()).collect();
    for expected in ["registration", "photo", "search, text alone", "search, filters alone", "search, text and filters"]
    {
        assert!(names.iter().any(|n| n.starts_with(expected)), "{expected} is measured: {names:?}");
    }
    assert!(report["store_bytes"].as_u64().is_some_and(|b| b > 0));
}
