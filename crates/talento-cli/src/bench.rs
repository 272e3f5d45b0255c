//! `talento bench`: the core's benchmark ([`talento_core::bench`]) in a temporary folder, then its sync section
//! against the real server, run in-process over a throwaway local PostgreSQL ([`talento_server::local_postgres`]).
//! Without PostgreSQL server binaries the sync section is skipped and the report says why, unless it was asked for
//! alone (`--sync`). Prints a table or JSON; exits non-zero when a target is missed or a sync went wrong.

use std::process::ExitCode;

use anyhow::{Context, Result};
use talento_core::CoreError;
use talento_core::bench::sync::{SyncBenchOptions, SyncBenchReport};
use talento_core::bench::{BenchOptions, BenchReport, Measure};
use talento_server::{AppState, Limits, admin, db};

/// Which sections run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sections {
    /// The local benchmark, then the sync section when PostgreSQL is installed.
    Both,
    LocalOnly,
    SyncOnly,
}

#[derive(Debug, Clone, Copy)]
pub struct BenchArgs {
    pub sections: Sections,
    pub talents: u32,
    pub seed: u64,
    pub changes: u32,
    pub laptops: u32,
    pub laptop_changes: u32,
    pub json: bool,
}

enum SyncOutcome {
    Done(SyncBenchReport),
    /// Why the section could not run.
    Skipped(String),
}

#[allow(clippy::print_stdout)]
pub fn run(args: BenchArgs) -> ExitCode {
    let local = if args.sections == Sections::SyncOnly {
        None
    } else {
        match local(args) {
            Ok(report) => Some(report),
            Err(e) => {
                eprintln!("bench: {e:#}");
                return ExitCode::FAILURE;
            }
        }
    };
    let sync = if args.sections == Sections::LocalOnly {
        None
    } else {
        match sync(args) {
            Ok(outcome) => Some(outcome),
            Err(e) => {
                eprintln!("bench, sync section: {e:#}");
                return ExitCode::FAILURE;
            }
        }
    };
    if args.json {
        print_json(local.as_ref(), sync.as_ref());
    } else {
        if let Some(report) = &local {
            print_local(report);
        }
        match &sync {
            Some(SyncOutcome::Done(report)) => print_sync(report),
            Some(SyncOutcome::Skipped(reason)) => println!("\nsync section skipped: {reason}"),
            None => {}
        }
    }
    let local_ok = local.is_none_or(|r| r.measures.iter().all(|m| m.ok));
    let sync_ok = match &sync {
        Some(SyncOutcome::Done(report)) => report.ok(),
        // Asked for alone, a sync section that cannot run is a failure; otherwise it is only reported.
        Some(SyncOutcome::Skipped(_)) => args.sections != Sections::SyncOnly,
        None => true,
    };
    if local_ok && sync_ok { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

fn local(args: BenchArgs) -> Result<BenchReport> {
    let dir = tempfile::tempdir().context("no temporary folder")?;
    let options = BenchOptions { talents: args.talents, seed: args.seed };
    Ok(talento_core::bench::run(dir.path(), options, |line| eprintln!("… {line}"))?)
}

/// Starts PostgreSQL and the server, then runs the core's sync section against it.
fn sync(args: BenchArgs) -> Result<SyncOutcome> {
    eprintln!("… starting a local PostgreSQL and the server");
    if let Err(reason) = talento_server::local_postgres::try_cluster() {
        return Ok(SyncOutcome::Skipped(reason.to_owned()));
    }
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    // The server as deployed: default limits (16 database connections), over its own fresh database.
    let (state, base) = runtime.block_on(async {
        let url = talento_server::local_postgres::fresh_database().await?;
        let limits = Limits::default();
        let pool = db::pool(&url, limits.pool_size)?;
        db::migrate(&pool).await?;
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
        let base = format!("http://127.0.0.1:{}", listener.local_addr()?.port());
        let state = AppState::new(pool, limits);
        tokio::spawn(talento_server::launch(listener, state.clone(), std::future::pending()));
        anyhow::Ok((state, base))
    })?;
    let token = |agency: &str| {
        runtime
            .block_on(async {
                let id = match admin::find_agency(&state.pool, agency).await {
                    Ok(id) => id,
                    Err(_) => admin::create_agency(&state.pool, agency).await?,
                };
                admin::create_enrollment_token(&state.pool, id, 1).await
            })
            .map_err(|e| CoreError::Internal(format!("enrollment token: {e}")))
    };
    let dir = tempfile::tempdir().context("no temporary folder")?;
    let options = SyncBenchOptions {
        talents: args.talents,
        changes: args.changes,
        laptops: args.laptops,
        changes_per_laptop: args.laptop_changes,
        seed: args.seed,
    };
    let report = talento_core::bench::sync::run(dir.path(), &base, options, token, |line| eprintln!("… {line}"))?;
    // The laptops are closed; the server stops with its runtime, PostgreSQL with this process (its watchdog).
    runtime.shutdown_background();
    Ok(SyncOutcome::Done(report))
}

/// The local report's fields, and `sync` (the section's report, or null) with `sync_skipped` (why, or null).
#[allow(clippy::print_stdout)]
fn print_json(local: Option<&BenchReport>, sync: Option<&SyncOutcome>) {
    let mut out = local.and_then(|r| serde_json::to_value(r).ok()).unwrap_or_else(|| serde_json::json!({}));
    let (report, skipped) = match sync {
        Some(SyncOutcome::Done(report)) => (serde_json::to_value(report).ok(), None),
        Some(SyncOutcome::Skipped(reason)) => (None, Some(reason.clone())),
        None => (None, None),
    };
    if let Some(fields) = out.as_object_mut() {
        fields.insert("sync".into(), report.unwrap_or_default());
        fields.insert("sync_skipped".into(), skipped.into());
    }
    println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
}

#[allow(clippy::print_stdout)]
fn print_local(report: &BenchReport) {
    println!("talents in store     {}", report.talents);
    println!("populate             {:.1} s", report.populate_secs);
    println!("registrations/s      {:.0}", report.registrations_per_sec);
    println!("store size           {:.1} MB", report.store_bytes as f64 / 1_048_576.0);
    for (table, bytes) in &report.tables {
        println!("  {table:<32} {:>8.1} MB", *bytes as f64 / 1_048_576.0);
    }
    println!();
    print_measures(&report.measures);
}

#[allow(clippy::print_stdout)]
fn print_sync(report: &SyncBenchReport) {
    println!();
    println!("sync: server in-process over a local PostgreSQL");
    println!("laptop A populate    {:.1} s ({} talents, before enrolling)", report.populate_secs, report.talents);
    let slowest = report.measures.last().map_or(0.0, |fleet| fleet.stats.max_ms);
    println!(
        "fleet                {} laptops × {} changes at once: all synced in {:.2} s, the slowest in {slowest:.0} ms",
        report.laptops, report.changes_per_laptop, report.fleet_total_secs
    );
    println!();
    print_measures(&report.measures);
    println!("sync errors          {}", report.errors.len());
    for error in &report.errors {
        println!("  {error}");
    }
}

#[allow(clippy::print_stdout)]
fn print_measures(measures: &[Measure]) {
    println!("{:<66} {:>9} {:>9} {:>9}", "operation", "p50 ms", "p95 ms", "target");
    for m in measures {
        let target = m.target_ms.map(|t| format!("{t:.0}")).unwrap_or_default();
        let verdict = if m.ok { "ok" } else { "MISSED" };
        println!("{:<66} {:>9.2} {:>9.2} {:>9}  {verdict}", m.name, m.stats.p50_ms, m.stats.p95_ms, target);
    }
}
