//! `talento bench`'s sync section: the synthetic agency going through a central server (the CLI starts one over a
//! local PostgreSQL and hands its URL and a way to mint enrollment tokens). Measures the product's sync targets on
//! this machine:
//!
//! - a new laptop's first full sync of the registry — pull, apply, build the search index — (≤ 30 s for 100,000
//!   talents), after laptop A, which holds them from before it was enrolled, pushed them all;
//! - 1,000 profile edits pushed by A and pulled by B (≤ 2 s, push and pull together);
//! - a fleet of laptops (50 in the real benchmark) that each registered 100 talents offline, syncing at the same
//!   moment from as many threads: every sync must succeed with nothing refused or set aside; p95 reported.
//!
//! The fleet belongs to an agency of its own, so its small stores do not first pull the whole registry.

use std::path::Path;
use std::sync::Barrier;
use std::time::Instant;

use serde::Serialize;
use talento_domain::Locale;

use super::{Measure, Pools, Rng, Stats, elapsed_ms, measure};
use crate::crypto::KdfParams;
use crate::dto::FirstRunInput;
use crate::engine::{Options, Talento};
use crate::error::CoreResult;
use crate::sync::SyncReport;
use crate::talents::{self, dto::TalentInput, dto::TalentQuery};

/// The agency of laptops A and B.
pub const AGENCY: &str = "Agence Bench";
/// The fleet's agency.
pub const FLEET_AGENCY: &str = "Agence Bench Flotte";

const PASSWORD: &str = "Sahel-Baobab-Tamtam-2026";

/// A fleet laptop's password-derivation cost: the fleet measures the server under concurrent syncs, not argon2id,
/// and fifty stores at the real cost would only slow the setup down. Laptops A and B keep the real cost.
const FLEET_KDF: KdfParams = KdfParams { m: 256, t: 1, p: 1 };

#[derive(Debug, Clone, Copy)]
pub struct SyncBenchOptions {
    /// Talents laptop A pushes and laptop B pulls at its first sync.
    pub talents: u32,
    /// Profile edits pushed by A then pulled by B (at most `talents`).
    pub changes: u32,
    /// Laptops syncing at the same moment.
    pub laptops: u32,
    /// Talents each of them registered offline before.
    pub changes_per_laptop: u32,
    pub seed: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct SyncBenchReport {
    pub talents: u32,
    pub changes: u32,
    pub laptops: u32,
    pub changes_per_laptop: u32,
    /// Filling laptop A's store, before any sync (not a target).
    pub populate_secs: f64,
    /// The fleet's syncs, from the first start to the last finish.
    pub fleet_total_secs: f64,
    pub measures: Vec<Measure>,
    /// What went wrong: a failed sync, a change refused or set aside, a laptop missing rows. Must stay empty.
    pub errors: Vec<String>,
}

impl SyncBenchReport {
    pub fn ok(&self) -> bool {
        self.errors.is_empty() && self.measures.iter().all(|m| m.ok)
    }
}

/// Runs the sync section against the server at `server_url`, with folders for its laptops under `dir`.
/// `enrollment_token` gives a one-time token for a laptop of the named agency (creating the agency when needed).
pub fn run(
    dir: &Path,
    server_url: &str,
    options: SyncBenchOptions,
    mut enrollment_token: impl FnMut(&str) -> CoreResult<String>,
    mut progress: impl FnMut(&str),
) -> CoreResult<SyncBenchReport> {
    let mut errors = Vec::new();
    let mut measures = Vec::new();
    let n = options.talents;
    let changes = options.changes.min(n) as usize;

    // Laptop A: a registry kept before the agency had a server, then enrolled, then its first push.
    let mut a = laptop(&dir.join("laptop-a"), Options::default(), AGENCY, "A")?;
    let pools = Pools::load(&mut a)?;
    let mut rng = Rng(options.seed.max(1));
    let started = Instant::now();
    let mut edited: Vec<TalentInput> = Vec::with_capacity(changes);
    let mut done = 0;
    while done < n {
        let batch = 2000.min(n - done);
        let inputs: Vec<TalentInput> = (0..batch).map(|_| pools.talent(&mut rng)).collect();
        edited.extend(inputs.iter().take(changes - edited.len()).cloned());
        talents::bulk_insert(&mut a, &inputs)?;
        done += batch;
        progress(&format!("laptop A: {done}/{n} talents"));
    }
    let populate_secs = started.elapsed().as_secs_f64();
    a.enroll(server_url, &enrollment_token(AGENCY)?, "Portable A")?;
    let start = Instant::now();
    let report = a.sync_now()?;
    measures.push(measure(&format!("sync, A's first push of {n} talents"), one(start), None));
    issues("A's first push", &report, &mut errors);
    progress("laptop A pushed");

    // Laptop B: new, enrolled, then its first sync and the search index it needs to be usable.
    let mut b = laptop(&dir.join("laptop-b"), Options::default(), AGENCY, "B")?;
    b.enroll(server_url, &enrollment_token(AGENCY)?, "Portable B")?;
    let start = Instant::now();
    let report = b.sync_now()?;
    let pulled = one(start);
    let start = Instant::now();
    let on_b = b.search_talents(&TalentQuery::default())?.total;
    let indexed = one(start);
    issues("B's first sync", &report, &mut errors);
    if on_b < n {
        errors.push(format!("B holds {on_b} talents after its first sync, A pushed {n}"));
    }
    measures.push(measure(&format!("sync, new laptop's first sync of {n} (pull + apply)"), pulled.clone(), None));
    measures.push(measure("sync, new laptop's first search (builds the index)", indexed.clone(), None));
    measures.push(measure(
        &format!("sync, new laptop's first sync of {n}, usable (total)"),
        sum(&pulled, &indexed),
        Some(30_000.0),
    ));
    progress("laptop B synced");

    // 1,000 edits on A (a new bio), pushed, then pulled by B (whose index is kept current).
    let ids = super::keys(&mut a, &format!("SELECT id FROM talents ORDER BY rowid LIMIT {changes}"))?;
    for (id, mut input) in ids.iter().zip(edited) {
        input.bio = Some(format!("{} Disponible dès lundi.", input.bio.unwrap_or_default()));
        a.update_talent(id, input)?;
    }
    let start = Instant::now();
    let report = a.sync_now()?;
    let pushed = one(start);
    issues("A's push of the edits", &report, &mut errors);
    let start = Instant::now();
    let report = b.sync_now()?;
    let pulled = one(start);
    issues("B's pull of the edits", &report, &mut errors);
    if (report.pulled as usize) < changes {
        errors.push(format!("B pulled {} changes, A pushed {changes} edits", report.pulled));
    }
    measures.push(measure(&format!("sync, {changes} changes: A pushes"), pushed.clone(), None));
    measures.push(measure(&format!("sync, {changes} changes: B pulls"), pulled.clone(), None));
    measures.push(measure(&format!("sync, {changes} changes: push + pull"), sum(&pushed, &pulled), Some(2_000.0)));
    a.logout()?;
    b.logout()?;
    drop((a, b));
    progress(&format!("{changes} changes measured"));

    let (fleet, fleet_total_secs) =
        fleet(dir, server_url, options, &pools, &mut enrollment_token, &mut errors, &mut progress)?;
    measures.extend(fleet);
    Ok(SyncBenchReport {
        talents: n,
        changes: changes as u32,
        laptops: options.laptops,
        changes_per_laptop: options.changes_per_laptop,
        populate_secs,
        fleet_total_secs,
        measures,
        errors,
    })
}

/// The fleet: every laptop set up and holding its offline registrations, then all syncing at once (a barrier).
/// Gives each laptop's push time (its own changes sent, codes final) and whole sync time (with pulling the others'
/// changes, which on one machine share its CPU: on real laptops each pulls on its own), and the time from the first
/// start to the last finish.
fn fleet(
    dir: &Path,
    server_url: &str,
    options: SyncBenchOptions,
    pools: &Pools,
    enrollment_token: &mut impl FnMut(&str) -> CoreResult<String>,
    errors: &mut Vec<String>,
    progress: &mut impl FnMut(&str),
) -> CoreResult<(Vec<Measure>, f64)> {
    let tokens: Vec<String> =
        (0..options.laptops).map(|_| enrollment_token(FLEET_AGENCY)).collect::<CoreResult<_>>()?;
    let barrier = Barrier::new(tokens.len());
    let outcomes: Vec<Result<Timed, String>> = std::thread::scope(|s| {
        let handles: Vec<_> = tokens
            .iter()
            .enumerate()
            .map(|(i, token)| {
                let barrier = &barrier;
                let folder = dir.join(format!("fleet-{i:02}"));
                s.spawn(move || {
                    let name = format!("F{i:02}");
                    let ready = fleet_laptop(&folder, server_url, token, &name, pools, options, i as u64);
                    // Everybody waits, even a laptop whose setup failed, or the others would wait forever.
                    barrier.wait();
                    let mut t = ready.map_err(|e| format!("laptop {name}, setup: {e}"))?;
                    timed_sync(&mut t).map_err(|e| format!("laptop {name}, sync: {e}"))
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or_else(|_| Err("a fleet laptop panicked".into()))).collect()
    });
    let (mut pushes, mut syncs) = (Vec::new(), Vec::new());
    let (mut first, mut last) = (None::<Instant>, None::<Instant>);
    for (i, outcome) in outcomes.into_iter().enumerate() {
        match outcome {
            Ok(Timed { start, pushed, end, report }) => {
                pushes.push((pushed - start).as_secs_f64() * 1000.0);
                syncs.push((end - start).as_secs_f64() * 1000.0);
                first = Some(first.map_or(start, |f| f.min(start)));
                last = Some(last.map_or(end, |l| l.max(end)));
                issues(&format!("laptop F{i:02}"), &report, errors);
                if (report.pushed as usize) < options.changes_per_laptop as usize {
                    errors.push(format!("laptop F{i:02} pushed {} changes", report.pushed));
                }
            }
            Err(e) => errors.push(e),
        }
    }
    let total = match (first, last) {
        (Some(first), Some(last)) => (last - first).as_secs_f64(),
        _ => 0.0,
    };
    progress("fleet measured");
    let fleet = format!("sync, {} laptops × {} changes at once", options.laptops, options.changes_per_laptop);
    let mut push = measure(&format!("{fleet}, each laptop's push"), Stats::of(pushes), None);
    let mut sync = measure(&format!("{fleet}, each laptop's whole sync"), Stats::of(syncs), None);
    push.ok = errors.is_empty();
    sync.ok = errors.is_empty();
    Ok((vec![push, sync], total))
}

/// A fleet laptop's measured sync.
struct Timed {
    start: Instant,
    /// When its own changes were all pushed (codes leased and final), before it pulls the others'.
    pushed: Instant,
    end: Instant,
    report: SyncReport,
}

/// [`Talento::sync_now`], step by step, noting when the push ends.
fn timed_sync(t: &mut Talento) -> CoreResult<Timed> {
    let start = Instant::now();
    let mut pushed = None;
    let mut job = t.sync_begin()?;
    while job.exchange() {
        t.sync_step(&mut job);
        if pushed.is_none() && job.is_receiving() {
            pushed = Some(Instant::now());
        }
    }
    let report = t.sync_finish(job)?;
    let end = Instant::now();
    Ok(Timed { start, pushed: pushed.unwrap_or(end), end, report })
}

/// A fleet laptop, enrolled and synced once (nothing to pull yet), holding `changes_per_laptop` talents registered
/// since (provisional codes, final at the measured sync).
fn fleet_laptop(
    folder: &Path,
    server_url: &str,
    token: &str,
    name: &str,
    pools: &Pools,
    options: SyncBenchOptions,
    i: u64,
) -> CoreResult<Talento> {
    let mut t = laptop(folder, Options { kdf: FLEET_KDF, ..Options::default() }, FLEET_AGENCY, name)?;
    t.enroll(server_url, token, &format!("Portable {name}"))?;
    t.sync_now()?;
    let mut rng = Rng(options.seed.wrapping_add(1 + i).max(1));
    let inputs: Vec<TalentInput> = (0..options.changes_per_laptop).map(|_| pools.talent(&mut rng)).collect();
    talents::bulk_insert(&mut t, &inputs)?;
    Ok(t)
}

/// A new laptop of `agency` in `folder`, its administrator logged in.
fn laptop(folder: &Path, options: Options, agency: &str, name: &str) -> CoreResult<Talento> {
    let mut t = Talento::open(folder, options)?;
    t.first_run(FirstRunInput {
        agency_name: agency.into(),
        admin_name: format!("Admin {name}"),
        admin_email: format!("admin.{}@talento.local", name.to_lowercase()),
        password: PASSWORD.into(),
        password_confirm: PASSWORD.into(),
        locale: Locale::Fr,
    })?;
    Ok(t)
}

/// What a sync report says went wrong.
fn issues(who: &str, report: &SyncReport, errors: &mut Vec<String>) {
    for issue in &report.errors {
        errors.push(format!("{who}: {}", crate::i18n::sync_issue(issue, Locale::En)));
    }
    if !report.set_aside.is_empty() {
        errors.push(format!("{who}: {} changes set aside by the server", report.set_aside.len()));
    }
    if report.skipped_count > 0 {
        errors.push(format!("{who}: {} received changes skipped", report.skipped_count));
    }
}

fn one(start: Instant) -> Stats {
    Stats::of(vec![elapsed_ms(start)])
}

fn sum(a: &Stats, b: &Stats) -> Stats {
    Stats::of(vec![a.mean_ms + b.mean_ms])
}
