//! `talento`: the desktop's use cases without the window, for administrators and scripts. Same data folder rules
//! (`--data-dir` or `TALENTO_DATA_DIR`), same engine, same role checks: every command that reads or changes data
//! asks for a login first. Passwords are prompted without echo, or read from `TALENTO_PASSWORD` (the login) and
//! `TALENTO_NEW_PASSWORD` (a password being set) for scripts.

mod bench;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use talento_core::dto::{FirstRunInput, NewUserInput};
use talento_core::{CoreError, Options, Talento};
use talento_domain::{Locale, Role};

#[derive(Debug, Parser)]
#[command(name = "talento", version, about = "Talento, en ligne de commande / from the command line")]
struct Cli {
    /// Data folder (default: the platform's data folder)
    #[arg(long, global = true, env = "TALENTO_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// Language of messages (default: the laptop's choice)
    #[arg(long, global = true, value_enum)]
    lang: Option<Lang>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Lang {
    Fr,
    En,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Set up this laptop: the agency and its first administrator
    Init {
        #[arg(long)]
        agency: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: String,
    },
    /// Manage user accounts
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Write a profile's QR code (its talent code) as PNG or SVG, by the file's extension
    Qr {
        /// Talent code
        code: String,
        #[arg(long)]
        out: PathBuf,
        #[arg(long, env = "TALENTO_LOGIN")]
        login: String,
    },
    /// Measure performance on a synthetic agency in a temporary store, then sync through the server over a local
    /// PostgreSQL (skipped, saying why, when PostgreSQL is not installed)
    Bench {
        /// How many talents to generate
        #[arg(long, default_value_t = 100_000)]
        talents: u32,
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Only the sync section (fails when PostgreSQL is missing)
        #[arg(long, conflicts_with = "no_sync")]
        sync: bool,
        /// Only the local section
        #[arg(long)]
        no_sync: bool,
        /// Sync: profile edits pushed by one laptop and pulled by another
        #[arg(long, default_value_t = 1000)]
        changes: u32,
        /// Sync: laptops syncing at the same moment
        #[arg(long, default_value_t = 50)]
        laptops: u32,
        /// Sync: talents each of those laptops registered offline
        #[arg(long, default_value_t = 100)]
        laptop_changes: u32,
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
    },
    /// The agency's badge signing keys: list, rotate (administrators), revoke a lost laptop's key
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
        #[arg(long, env = "TALENTO_LOGIN", global = true)]
        login: Option<String>,
    },
    /// Check a badge token offline: what it proves, or why it fails
    Verify {
        /// The token read from the badge's QR code
        token: String,
        #[arg(long, env = "TALENTO_LOGIN")]
        login: String,
    },
    /// Print a project's badges to a PDF (all its cast, or the talents named with --talent)
    Badges {
        /// Project code (CCIIISSS) or id
        #[arg(long)]
        project: String,
        #[arg(long)]
        out: PathBuf,
        /// a4: sheets of four 95 × 135 mm badges; card: one 54 × 86 mm card per page
        #[arg(long, value_enum, default_value_t = PaperArg::A4)]
        paper: PaperArg,
        /// Assignment code or id (repeat for several)
        #[arg(long = "assignment")]
        assignments: Vec<String>,
        #[arg(long, env = "TALENTO_LOGIN")]
        login: String,
    },
    /// Scan a badge at a project's gate: the first scan of the day checks in, the second out (exit code 0 when
    /// green, 3 when amber or red)
    Scan {
        /// Project code (CCIIISSS) or id
        #[arg(long)]
        project: String,
        /// The token read from the badge's QR code
        token: String,
        /// Admit a talent who is not on the roster, with this reason
        #[arg(long)]
        admit: Option<String>,
        #[arg(long, env = "TALENTO_LOGIN")]
        login: String,
    },
    /// Export a project's attendance to Excel: a summary sheet and one sheet per day
    Attendance {
        /// Project code (CCIIISSS) or id
        #[arg(long)]
        project: String,
        /// First day, YYYY-MM-DD or DD/MM/YYYY
        #[arg(long)]
        from: String,
        /// Last day, YYYY-MM-DD or DD/MM/YYYY
        #[arg(long)]
        to: String,
        #[arg(long)]
        out: PathBuf,
        #[arg(long, env = "TALENTO_LOGIN")]
        login: String,
    },
    /// Print a shoot day's sign-in sheet to a PDF
    SigninSheet {
        /// Project code (CCIIISSS) or id
        #[arg(long)]
        project: String,
        /// YYYY-MM-DD or DD/MM/YYYY
        #[arg(long)]
        day: String,
        #[arg(long)]
        out: PathBuf,
        #[arg(long, env = "TALENTO_LOGIN")]
        login: String,
    },
    /// List projects with their codes
    Projects {
        #[arg(long)]
        archived: bool,
        #[arg(long, env = "TALENTO_LOGIN")]
        login: String,
    },
    /// Enroll this laptop with the agency's server, using a one-time token an administrator printed there
    Enroll {
        /// The server's address, e.g. https://sync.agence.sn
        #[arg(long)]
        server: String,
        /// The one-time enrollment token
        #[arg(long, env = "TALENTO_ENROLL_TOKEN")]
        token: String,
        /// This laptop's name as the server lists it (default: the host name)
        #[arg(long)]
        device_name: Option<String>,
        #[arg(long, env = "TALENTO_LOGIN")]
        login: String,
    },
    /// Sync with the agency's server now: send this laptop's changes, receive the others', and print the report
    Sync {
        /// Print the report as JSON
        #[arg(long)]
        json: bool,
        #[arg(long, env = "TALENTO_LOGIN")]
        login: String,
    },
    /// Show this laptop's state (logs in for details when --login is given)
    Status {
        /// E-mail or user code
        #[arg(long, env = "TALENTO_LOGIN")]
        login: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Create an account (administrators only)
    Add {
        /// Administrator's e-mail or user code
        #[arg(long, env = "TALENTO_LOGIN")]
        login: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: String,
        #[arg(long, value_enum)]
        role: RoleArg,
    },
    /// List accounts (administrators only)
    List {
        #[arg(long, env = "TALENTO_LOGIN")]
        login: String,
    },
}

#[derive(Debug, Subcommand)]
enum KeysCommand {
    /// List the keys (current, retired, revoked)
    List,
    /// Retire the current key and sign new badges with a new one
    Rotate,
    /// Withdraw a key: every badge it signed stops verifying
    Revoke {
        /// Key id as listed (#090A), or the same number in decimal
        key_id: String,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum PaperArg {
    A4,
    Card,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum RoleArg {
    Admin,
    Recruiter,
    Presence,
    Talent,
}

impl From<RoleArg> for Role {
    fn from(r: RoleArg) -> Role {
        match r {
            RoleArg::Admin => Role::Admin,
            RoleArg::Recruiter => Role::Recruiter,
            RoleArg::Presence => Role::Presence,
            RoleArg::Talent => Role::Talent,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Command::Bench { talents, seed, sync, no_sync, changes, laptops, laptop_changes, json } = cli.command {
        let sections = match (sync, no_sync) {
            (true, _) => bench::Sections::SyncOnly,
            (_, true) => bench::Sections::LocalOnly,
            _ => bench::Sections::Both,
        };
        return bench::run(bench::BenchArgs { sections, talents, seed, changes, laptops, laptop_changes, json });
    }
    let Some(dir) = cli.data_dir.clone().or_else(talento_core::paths::resolve_data_dir) else {
        eprintln!("Aucun dossier de données : utilisez --data-dir. / No data folder: use --data-dir.");
        return ExitCode::from(2);
    };
    let mut talento = match Talento::open(&dir, Options::default()) {
        Ok(t) => t,
        Err(e) => return fail(&e, cli.lang.map_or(Locale::Fr, locale)),
    };
    let lang = cli.lang.map_or(talento.locale(), locale);
    talento.use_locale(lang);
    match run(&mut talento, cli.command, lang) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e, lang),
    }
}

fn locale(lang: Lang) -> Locale {
    match lang {
        Lang::Fr => Locale::Fr,
        Lang::En => Locale::En,
    }
}

fn fail(error: &CoreError, lang: Locale) -> ExitCode {
    let app = error.to_app_error(lang);
    eprintln!("{}", app.message);
    for field in app.fields {
        eprintln!("  - {} : {}", field.field, field.message);
    }
    ExitCode::FAILURE
}

fn say(lang: Locale, fr: &str, en: &str) -> String {
    match lang {
        Locale::Fr => fr.to_owned(),
        Locale::En => en.to_owned(),
    }
}

/// A password from the environment (scripts) or typed without echo.
fn password(var: &str, prompt: &str) -> Result<String, CoreError> {
    if let Ok(value) = std::env::var(var) {
        return Ok(value);
    }
    rpassword::prompt_password(prompt).map_err(|e| CoreError::Internal(format!("password prompt: {e}")))
}

#[allow(clippy::print_stdout)]
fn run(talento: &mut Talento, command: Command, lang: Locale) -> Result<(), CoreError> {
    match command {
        Command::Init { agency, name, email } => {
            let first = password("TALENTO_NEW_PASSWORD", &say(lang, "Mot de passe : ", "Password: "))?;
            let confirm = match std::env::var("TALENTO_NEW_PASSWORD") {
                Ok(p) => p,
                Err(_) => rpassword::prompt_password(say(lang, "Confirmez le mot de passe : ", "Confirm password: "))
                    .map_err(|e| CoreError::Internal(format!("password prompt: {e}")))?,
            };
            let session = talento.first_run(FirstRunInput {
                agency_name: agency,
                admin_name: name,
                admin_email: email,
                password: first,
                password_confirm: confirm,
                locale: lang,
            })?;
            println!(
                "{} {}",
                say(lang, "Agence créée. Code administrateur :", "Agency created. Administrator code:"),
                session.code
            );
            talento.logout()
        }
        Command::User { command: UserCommand::Add { login, name, email, role } } => {
            log_in(talento, &login, lang)?;
            let new_password =
                password("TALENTO_NEW_PASSWORD", &say(lang, "Mot de passe initial : ", "Initial password: "))?;
            let user = talento.create_user(NewUserInput { name, email, role: role.into(), password: new_password })?;
            println!("{} {} ({})", say(lang, "Compte créé :", "Account created:"), user.code, user.email);
            talento.logout()
        }
        Command::User { command: UserCommand::List { login } } => {
            log_in(talento, &login, lang)?;
            for user in talento.list_users()? {
                let state = match (user.active, user.locked) {
                    (false, _) => say(lang, "inactif", "inactive"),
                    (true, true) => say(lang, "verrouillé", "locked"),
                    (true, false) => say(lang, "actif", "active"),
                };
                println!("{}\t{}\t{}\t{}\t{}", user.code, user.role.as_str(), state, user.email, user.name);
            }
            talento.logout()
        }
        Command::Qr { code, out, login } => {
            log_in(talento, &login, lang)?;
            let svg = out.extension().is_some_and(|e| e.eq_ignore_ascii_case("svg"));
            let bytes =
                if svg { talento.talent_qr_svg(&code)?.into_bytes() } else { talento.talent_qr_png(&code, 10)? };
            std::fs::write(&out, bytes).map_err(|e| CoreError::Internal(format!("write {}: {e}", out.display())))?;
            println!("{}", out.display());
            talento.logout()
        }
        Command::Keys { command, login } => {
            // `--login` is global to `keys` so it may follow the subcommand; clap cannot make a global required.
            let Some(login) = login else {
                return Err(CoreError::Validation(vec![talento_domain::FieldError::new(
                    "login",
                    talento_domain::FieldProblem::Required,
                )]));
            };
            log_in(talento, &login, lang)?;
            let keys = match command {
                KeysCommand::List => talento.list_signing_keys()?,
                KeysCommand::Rotate => {
                    let key = talento.rotate_signing_key()?;
                    println!("{} #{:04X}", say(lang, "Nouvelle clé :", "New key:"), key.key_id);
                    talento.list_signing_keys()?
                }
                KeysCommand::Revoke { key_id } => {
                    let typed = key_id.trim();
                    let parsed = match typed.strip_prefix('#') {
                        Some(hex) => u16::from_str_radix(hex, 16).ok(),
                        None => typed.parse::<u16>().ok(),
                    };
                    let Some(key_id) = parsed else {
                        return Err(CoreError::Validation(vec![talento_domain::FieldError::new(
                            "keyId",
                            talento_domain::FieldProblem::UnknownValue,
                        )]));
                    };
                    talento.revoke_signing_key(key_id)?
                }
            };
            for key in keys {
                let state = match (&key.revoked_at, &key.retired_at, key.current) {
                    (Some(_), _, _) => say(lang, "révoquée", "revoked"),
                    (None, Some(_), _) => say(lang, "retirée", "retired"),
                    (None, None, true) => say(lang, "actuelle", "current"),
                    (None, None, false) => say(lang, "active", "active"),
                };
                // Shown as the desktop shows it (Admin › Badges et clés).
                println!("#{:04X}\t{state}\t{}\t{}", key.key_id, key.created_at, key.public_key);
            }
            talento.logout()
        }
        Command::Enroll { server, token, device_name, login } => {
            log_in(talento, &login, lang)?;
            let name =
                device_name.or_else(talento_core::sync::default_device_name).unwrap_or_else(|| "Talento".to_owned());
            let status = talento.enroll(&server, &token, &name)?;
            println!(
                "{} {} ({})",
                say(lang, "Ordinateur enrôlé auprès de", "Laptop enrolled with"),
                status.server_url.unwrap_or_default(),
                status.agency_name.unwrap_or_default()
            );
            talento.logout()
        }
        Command::Sync { json, login } => {
            log_in(talento, &login, lang)?;
            let report = talento.sync_now();
            let status = talento.sync_status();
            talento.logout()?;
            let report = report?;
            if json {
                println!("{}", serde_json::to_string_pretty(&report).unwrap_or_default());
                return Ok(());
            }
            let waiting = status.map(|s| s.changes_waiting).unwrap_or_default();
            for (label, value) in [
                (say(lang, "Envoyées", "Pushed"), report.pushed),
                (say(lang, "Déjà reçues par le serveur", "Already on the server"), report.duplicates),
                (say(lang, "Mises de côté", "Set aside"), report.set_aside.len() as u32),
                (say(lang, "Reçues", "Pulled"), report.pulled),
                (say(lang, "Appliquées", "Applied"), report.applied),
                (say(lang, "Fusions de champs", "Field merges"), report.merge_count),
                (say(lang, "Passages en double signalés", "Duplicate scans flagged"), report.flagged_duplicate_scans),
                (say(lang, "Ignorées", "Skipped"), report.skipped_count),
                (say(lang, "Codes définitifs", "Codes finalised"), report.codes_finalized.len() as u32),
                (say(lang, "Fichiers envoyés", "Files sent"), report.attachments_sent),
                (say(lang, "Fichiers reçus", "Files received"), report.attachments_received),
                (say(lang, "Fichiers en attente", "Files waiting"), report.attachments_waiting),
                (say(lang, "Modifications en attente d’application", "Changes still parked"), report.still_parked),
                (say(lang, "En attente", "Waiting"), waiting),
            ] {
                println!("{label}\t{value}");
            }
            for aside in &report.set_aside {
                println!(
                    "{}\t{} {}\t{}",
                    say(lang, "mise de côté", "set aside"),
                    aside.table,
                    aside.row_id,
                    talento_core::i18n::set_aside_reason(&aside.reason, lang)
                );
            }
            for merge in &report.merges {
                println!(
                    "{}\t{} {}.{}\t{:?}",
                    say(lang, "fusion", "merge"),
                    merge.table,
                    merge.row_id,
                    merge.field,
                    merge.outcome
                );
            }
            for skipped in &report.skipped {
                println!(
                    "{}\t{} {}\t{}",
                    say(lang, "ignorée", "skipped"),
                    skipped.table,
                    skipped.row_id,
                    talento_core::i18n::skip_reason(&skipped.reason, lang)
                );
            }
            for code in &report.codes_finalized {
                println!("{}\t{} → {}", say(lang, "code", "code"), code.provisional, code.code);
                if code.badges_revoked > 0 {
                    println!(
                        "\t{} {}",
                        code.badges_revoked,
                        say(lang, "badge(s) révoqué(s), à réimprimer", "badge(s) revoked, to reprint")
                    );
                }
            }
            for issue in &report.errors {
                println!("{}\t{}", say(lang, "erreur", "error"), talento_core::i18n::sync_issue(issue, lang));
            }
            Ok(())
        }
        Command::Verify { token, login } => {
            log_in(talento, &login, lang)?;
            let check = talento.verify_badge(&token)?;
            talento.logout()?;
            println!("{}", check.message);
            for (label, value) in [
                (say(lang, "Talent", "Talent"), check.talent_code.clone().or(check.talent_id.clone())),
                (say(lang, "Projet", "Project"), check.project_code.clone().or(check.project_id.clone())),
                (say(lang, "Valable du", "Valid from"), check.valid_from.clone()),
                (say(lang, "Jusqu’au", "Until"), check.valid_until.clone()),
                (say(lang, "Clé", "Key"), check.key_id.map(|k| k.to_string())),
                (say(lang, "Code court", "Short code"), check.short_code.clone()),
            ] {
                if let Some(value) = value {
                    println!("  {label}\t{value}");
                }
            }
            if check.valid {
                Ok(())
            } else {
                // A refused badge is an answer, not a failure of the command; scripts read the exit code.
                std::process::exit(3)
            }
        }
        Command::Badges { project, out, paper, assignments, login } => {
            log_in(talento, &login, lang)?;
            let paper = match paper {
                PaperArg::A4 => talento_core::casting::dto::BadgePaper::A4,
                PaperArg::Card => talento_core::casting::dto::BadgePaper::Card,
            };
            let chosen = (!assignments.is_empty()).then_some(assignments.as_slice());
            let mut last = 0;
            let file = talento.write_badges(&project, chosen, paper, &out, &mut |done, total| {
                if done * 10 / total.max(1) != last {
                    last = done * 10 / total.max(1);
                    eprint!("\r{done}/{total}");
                }
                true
            })?;
            eprintln!();
            println!(
                "{} {} ({} {}, {} {})",
                say(lang, "Badges écrits :", "Badges written:"),
                file.path,
                file.badges,
                say(lang, "badges", "badges"),
                file.pages,
                say(lang, "pages", "pages")
            );
            talento.logout()
        }
        Command::Scan { project, token, admit, login } => {
            log_in(talento, &login, lang)?;
            let method = talento_core::presence::dto::ScanMethod::Scanner;
            let outcome = match admit {
                Some(reason) => talento.admit_off_roster(&project, &token, &reason)?,
                None => talento.scan_badge(&project, &token, method)?,
            };
            talento.logout()?;
            println!("{}", outcome.message);
            let counts = format!("{} / {}", outcome.counts.present, outcome.counts.expected);
            for (label, value) in [
                (say(lang, "Talent", "Talent"), outcome.talent_code.clone().or(outcome.talent_id.clone())),
                (say(lang, "Nom", "Name"), outcome.talent_name.clone()),
                (say(lang, "Rôle", "Role"), outcome.role.clone()),
                (say(lang, "Type", "Type"), outcome.talent_type_label.clone()),
                (say(lang, "Heure", "Time"), Some(outcome.time.clone())),
                (say(lang, "Présents / attendus", "Present / expected"), Some(counts)),
                (say(lang, "Passage", "Event"), outcome.event_id.clone()),
            ] {
                if let Some(value) = value {
                    println!("  {label}\t{value}");
                }
            }
            if outcome.status == talento_core::presence::dto::ScanStatus::Green {
                Ok(())
            } else {
                // Amber and red are answers, not failures of the command; scripts read the exit code.
                std::process::exit(3)
            }
        }
        Command::Attendance { project, from, to, out, login } => {
            log_in(talento, &login, lang)?;
            let file = talento.export_attendance_xlsx(&project, &from, &to, &out)?;
            println!(
                "{} {} ({} {}, {} {})",
                say(lang, "Présences écrites :", "Attendance written:"),
                file.path,
                file.days,
                say(lang, "jours", "days"),
                file.rows,
                say(lang, "lignes", "rows")
            );
            talento.logout()
        }
        Command::SigninSheet { project, day, out, login } => {
            log_in(talento, &login, lang)?;
            let pdf = talento.signin_sheet_pdf(&project, &day)?;
            let tmp = out.with_extension("pdf.part");
            std::fs::write(&tmp, pdf)
                .and_then(|()| std::fs::rename(&tmp, &out))
                .map_err(|e| CoreError::Internal(format!("write {}: {e}", out.display())))?;
            println!("{}", out.display());
            talento.logout()
        }
        Command::Projects { archived, login } => {
            log_in(talento, &login, lang)?;
            let filter = talento_core::casting::dto::ProjectFilter { include_archived: archived, ..Default::default() };
            for p in talento.list_projects(&filter)? {
                println!(
                    "{}\t{}\t{}\t{} – {}\t{}",
                    p.code, p.name, p.production_name, p.start_date, p.end_date, p.talent_count
                );
            }
            talento.logout()
        }
        Command::Bench { .. } => unreachable!("handled before the store is opened"),
        Command::Status { login } => {
            let status = talento.status();
            println!("{}\t{}", say(lang, "Dossier", "Folder"), status.data_dir);
            println!("{}\t{}", say(lang, "Version", "Version"), status.version);
            match status.agency_name {
                None => {
                    println!(
                        "{}",
                        say(
                            lang,
                            "Pas encore configuré : lancez `talento init`.",
                            "Not set up yet: run `talento init`."
                        )
                    );
                    return Ok(());
                }
                Some(agency) => println!("{}\t{agency}", say(lang, "Agence", "Agency")),
            }
            if let Some(login) = login {
                log_in(talento, &login, lang)?;
                for count in talento.reference_summary()? {
                    println!("{}\t{}", count.list, count.count);
                }
                if let Ok(users) = talento.list_users() {
                    println!("{}\t{}", say(lang, "Utilisateurs", "Users"), users.len());
                }
                talento.logout()?;
            }
            Ok(())
        }
    }
}

fn log_in(talento: &mut Talento, login: &str, lang: Locale) -> Result<(), CoreError> {
    let secret = password("TALENTO_PASSWORD", &say(lang, "Mot de passe : ", "Password: "))?;
    talento.login(login, &secret).map(|_| ())
}
