//! Sync end to end: real laptops (encrypted stores driven through `Talento`) against the real server over a real
//! PostgreSQL, through a proxy that duplicates requests, delivers stale copies late and out of order, and loses
//! requests and answers, with a server restart in the middle of a push. Three laptops work offline on the same data, then sync in a seeded random order: they and
//! the server must end with identical rows, no code issued twice, no scan event lost. Also: a revoked laptop wipes
//! its personal data, a protocol mismatch says to update the app, and a server that is down loses nothing.

mod support;

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Context, Result, bail};
use jiff::ToSpan;
use serde_json::{Map, Value};
use support::Rig;
use talento_core::casting::dto::{AssignInput, ProductionInput, ProjectInput};
use talento_core::dto::FirstRunInput;
use talento_core::error::SyncError;
use talento_core::sync::{SkipReason, SyncReport};
use talento_core::talents::dto::{SaveOutcome, TalentDto, TalentInput, TalentQuery};
use talento_core::{CoreError, Options, Talento};
use talento_domain::Locale;
use talento_domain::casting::{ProductionType, ProjectStatus};
use talento_domain::talent::{Gender, TalentKind};

const PASSWORD: &str = "Baobab-soleil-Tamtam-42";

/// Tables compared across laptops and with the server (`agency` and `users` stay per laptop for now).
const COMPARED: [&str; 8] =
    ["talents", "productions", "projects", "shoot_days", "assignments", "signing_keys", "badges", "scan_events"];

struct Laptop {
    name: &'static str,
    talento: Talento,
    _dir: tempfile::TempDir,
}

fn laptop(name: &'static str) -> Result<Laptop> {
    let dir = tempfile::tempdir()?;
    let mut talento = Talento::open(dir.path(), Options::default())?;
    talento.first_run(FirstRunInput {
        agency_name: "Agence Kourouma".into(),
        admin_name: format!("Admin {name}"),
        admin_email: format!("admin.{}@kourouma.sn", name.to_lowercase()),
        password: PASSWORD.into(),
        password_confirm: PASSWORD.into(),
        locale: Locale::En,
    })?;
    Ok(Laptop { name, talento, _dir: dir })
}

fn city_code(country: &str, name: &str) -> String {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../seeds/cities.csv")).unwrap_or_default();
    text.lines()
        .map(|l| l.split(',').collect::<Vec<_>>())
        .find(|f| f.len() > 2 && f[0] == country && f[2] == name)
        .map(|f| f[1].to_owned())
        .unwrap_or_else(|| panic!("{name} ({country}) is in the seeds"))
}

fn input(kind: TalentKind, first: &str, last: &str, dakar: &str) -> TalentInput {
    TalentInput {
        kind: Some(kind),
        first_name: first.into(),
        last_name: last.into(),
        gender: Some(Gender::F),
        birth_date: "1996-04-12".into(),
        origin_country: "SN".into(),
        origin_city: dakar.into(),
        residence_country: "SN".into(),
        residence_city: dakar.into(),
        consent: true,
        ..TalentInput::default()
    }
}

fn saved(outcome: SaveOutcome) -> Result<TalentDto> {
    match outcome {
        SaveOutcome::Saved { talent } => Ok(*talent),
        SaveOutcome::PossibleDuplicates { candidates } => bail!("unexpected duplicates: {candidates:?}"),
    }
}

fn register(l: &mut Laptop, kind: TalentKind, first: &str, last: &str, dakar: &str) -> Result<TalentDto> {
    saved(l.talento.register_talent(input(kind, first, last, dakar))?)
}

fn sync(l: &mut Laptop) -> Result<SyncReport> {
    l.talento.sync_now().with_context(|| format!("sync of laptop {}", l.name))
}

/// A value as compared: booleans as SQLite stores them, JSON held as text parsed.
fn normal(value: &Value) -> Value {
    match value {
        Value::Bool(b) => Value::from(i64::from(*b)),
        Value::String(s) if s.starts_with('[') || s.starts_with('{') => {
            serde_json::from_str(s).unwrap_or(value.clone())
        }
        other => other.clone(),
    }
}

/// A table's rows by id.
type Rows = BTreeMap<String, Map<String, Value>>;

/// A laptop's rows of a table, keyed by id, normalised, without the row-level `hlc` summary (not a synced field).
fn rows(l: &mut Laptop, table: &str) -> Result<Rows> {
    let mut out = BTreeMap::new();
    for row in l.talento.synced_rows(table)? {
        let id = row.get("id").and_then(Value::as_str).unwrap_or_default().to_owned();
        let row: Map<String, Value> =
            row.iter().filter(|(k, _)| *k != "hlc").map(|(k, v)| (k.clone(), normal(v))).collect();
        out.insert(id, row);
    }
    Ok(out)
}

fn project_input(production: String, name: &str) -> ProjectInput {
    let today = jiff::Zoned::now().date();
    ProjectInput {
        name: name.into(),
        production_type: Some(ProductionType::Film),
        production_id: production,
        origin_country: "SN".into(),
        locations: vec!["Dakar".into()],
        start_date: today.saturating_sub(3.days()).to_string(),
        end_date: today.saturating_add(20.days()).to_string(),
        status: Some(ProjectStatus::Shooting),
        description: None,
    }
}

fn is_final_general_code(code: &str, dakar: &str) -> bool {
    code.len() == 10
        && code.starts_with("SNF")
        && code.ends_with(dakar)
        && code[3..7].bytes().all(|b| b.is_ascii_digit())
}

#[test]
fn three_offline_laptops_converge_through_a_faulty_network_and_a_server_restart() -> Result<()> {
    let started = std::time::Instant::now();
    let seed: u64 = std::env::var("TALENTO_SYNC_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(20_261_130);
    let mut rig = Rig::start(seed)?;
    let dakar = city_code("SN", "Dakar");
    let mut laptops = vec![laptop("A")?, laptop("B")?, laptop("C")?];
    for l in &mut laptops {
        let token = rig.enrollment_token()?;
        let status = l.talento.enroll(&rig.url, &token, &format!("Portable {}", l.name))?;
        assert!(status.enrolled && status.server_url.as_deref() == Some(rig.url.as_str()), "{status:?}");
    }

    // Each laptop's first registration in a scope has no leased block yet: a provisional code, final at the sync
    // that also fills the pool.
    let mut first = Vec::new();
    for (l, (given, family)) in laptops.iter_mut().zip([("Awa", "Diop"), ("Binta", "Ba"), ("Coumba", "Cissé")]) {
        let talent = register(l, TalentKind::General, given, family, &dakar)?;
        assert!(talent.code_provisional, "no leased number yet: the code is provisional ({})", talent.code);
        let report = sync(l)?;
        assert_eq!(report.codes_finalized.len(), 1, "the provisional code is finalised at the next sync: {report:?}");
        let now = l.talento.get_talent(&talent.id)?;
        assert!(!now.code_provisional && is_final_general_code(&now.code, &dakar), "final code: {}", now.code);
        first.push(now);
    }
    for i in [0, 1] {
        sync(&mut laptops[i])?;
    }
    for l in &mut laptops {
        let status = l.talento.sync_status()?;
        assert_eq!(status.changes_waiting, 0, "{}: everything acknowledged", l.name);
    }

    // A casts the three first talents in a project (its code, then the assignments', leased the same way).
    let a = &mut laptops[0];
    let production = a.talento.create_production(ProductionInput {
        name: "Les Films du Sahel".into(),
        country: Some("SN".into()),
        ..Default::default()
    })?;
    let project = a.talento.create_project(project_input(production.id, "Le Chant du Fleuve"))?;
    assert!(project.code_provisional, "no project numbers leased yet: {}", project.code);
    let ids: Vec<String> = first.iter().map(|t| t.id.clone()).collect();
    let cast = a
        .talento
        .assign_talents(&project.id, AssignInput { talent_ids: ids, talent_type: "extra".into(), role: None })?;
    assert!(cast.assigned.iter().all(|c| c.code_provisional), "assignment numbers are provisional too");
    let report = sync(a)?;
    assert_eq!(report.codes_finalized.len(), 4, "the project's code and its three assignments': {report:?}");
    let project_code = report.codes_finalized.iter().find(|c| c.table == "projects").map(|c| c.code.clone());
    let project_code = project_code.context("the project's code is finalised")?;
    assert_eq!(project_code.len(), 8, "CCIIISSS: {project_code}");
    let assignments = a.talento.synced_rows("assignments")?;
    for row in &assignments {
        let code = row["code"].as_str().unwrap_or_default();
        assert!(
            code.len() == 11 && code.starts_with(&project_code) && row["code_provisional"] == 0,
            "an assignment's final code follows its project's: {code}"
        );
    }
    for l in laptops.iter_mut().skip(1) {
        sync(l)?;
    }

    // ---- Offline. ----
    let mut registered: Vec<(usize, String)> = Vec::new();
    for (i, l) in laptops.iter_mut().enumerate() {
        for n in 0..4 {
            let t = register(
                l,
                TalentKind::General,
                &format!("Talent{}{n}", l.name),
                &format!("Famille{}", l.name),
                &dakar,
            )?;
            assert!(!t.code_provisional, "codes come from the leased pool: {}", t.code);
            registered.push((i, t.id));
        }
    }
    // A new scope while offline: provisional, finalised later.
    let cinema = register(&mut laptops[2], TalentKind::Cinema, "Dieynaba", "Sarr", &dakar)?;
    assert!(cinema.code_provisional, "a first cinema code in Dakar with no block is provisional: {}", cinema.code);

    // The same profile edited on three laptops: different fields merge, the same field keeps the later edit.
    let awa = first[0].id.clone();
    let base = input(TalentKind::General, "Awa", "Diop", &dakar);
    let edit = |l: &mut Laptop, change: &dyn Fn(&mut TalentInput)| -> Result<()> {
        let mut i = base.clone();
        change(&mut i);
        saved(l.talento.update_talent(&awa, i)?)?;
        Ok(())
    };
    edit(&mut laptops[0], &|i| i.bio = Some("Chanteuse (A)".into()))?;
    edit(&mut laptops[1], &|i| i.education = Some("Conservatoire de Dakar".into()))?;
    std::thread::sleep(std::time::Duration::from_millis(5));
    edit(&mut laptops[2], &|i| i.bio = Some("Chanteuse et danseuse (C)".into()))?;

    // B erases Coumba while C, offline, still edits her.
    let coumba = first[2].id.clone();
    laptops[1].talento.erase_talent(&coumba)?;
    let mut coumba_edit = input(TalentKind::General, "Coumba", "Cissé", &dakar);
    coumba_edit.bio = Some("Édité hors ligne".into());
    saved(laptops[2].talento.update_talent(&coumba, coumba_edit)?)?;

    // Scans at the gate: A and C both check Awa in (a cross-device duplicate, kept and flagged), B checks Binta in.
    let mut events = Vec::new();
    for (i, talent) in [(0, &first[0].code), (2, &first[0].code), (1, &first[1].code)] {
        let outcome = laptops[i].talento.manual_check(&project.id, talent)?;
        events.push(outcome.event_id.clone().context("a scan is recorded")?);
    }

    // B's search index is built now, before C's talents arrive: sync must make it current.
    let query = TalentQuery { text: Some("FamilleC".into()), ..TalentQuery::default() };
    assert_eq!(laptops[1].talento.search_talents(&query)?.total, 0, "C's offline talents are not on B yet");

    // ---- Back online, through a faulty network, in a seeded random order, with a restart mid-push. ----
    rig.set_faults(35);
    let mut rng = seed;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let mut reports: Vec<SyncReport> = Vec::new();
    let mut failures = 0;
    // The first push of the chaos reaches the server, which then restarts before the laptop hears back.
    rig.restart_at_next_push();
    for round in 0..6 {
        let mut order = vec![0usize, 1, 2];
        for i in (1..order.len()).rev() {
            order.swap(i, (next() % (i as u64 + 1)) as usize);
        }
        for i in order {
            match laptops[i].talento.sync_now() {
                Ok(report) => reports.push(report),
                Err(CoreError::Sync(SyncError::Unreachable(_))) => failures += 1,
                Err(e) => return Err(e).context(format!("sync of {} in round {round}", laptops[i].name)),
            }
            rig.restart_if_asked()?;
        }
    }
    let faults = rig.fault_counts();
    assert!(
        faults[1] > 0 && faults[2] + faults[3] > 0 && faults[4] == 1 && faults[5] > 0,
        "the network duplicated, lost, restarted and reordered: {faults:?}"
    );
    rig.set_faults(0);
    for _ in 0..2 {
        for l in &mut laptops {
            reports.push(sync(l)?);
        }
    }

    // Every laptop holds the same rows, and they are the server's.
    let mut tables: Vec<BTreeMap<&str, Rows>> = Vec::new();
    for l in &mut laptops {
        let mut mine = BTreeMap::new();
        for table in COMPARED {
            mine.insert(table, rows(l, table)?);
        }
        tables.push(mine);
        assert_eq!(l.talento.sync_status()?.changes_waiting, 0, "{}: nothing left to send", l.name);
    }
    for table in COMPARED {
        for (i, other) in tables.iter().enumerate().skip(1) {
            let (a, b) = (&tables[0][table], &other[table]);
            assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>(), "{table}: same rows on A and {i}");
            for (id, row) in a {
                assert_eq!(Some(row), b.get(id), "{table} {id}: identical on A and laptop {i}, field by field");
            }
        }
        let records = rig.records(table)?;
        let local = &tables[0][table];
        for (id, (fields, deleted)) in &records {
            let row = local.get(id).with_context(|| format!("{table} {id} from the server is on the laptops"))?;
            if *deleted {
                assert_eq!(
                    row.get("erased_at").map(normal),
                    fields.get("erased_at").map(normal),
                    "{table} {id}: erased"
                );
                continue;
            }
            for (field, value) in fields.as_object().into_iter().flatten() {
                assert_eq!(row.get(field), Some(&normal(value)), "{table} {id}.{field}: the server's value");
            }
        }
        assert_eq!(records.len(), local.len(), "{table}: the server holds every row the laptops hold");
    }

    // The merge outcomes.
    let talents = &tables[0]["talents"];
    let awa_row = &talents[&awa];
    assert_eq!(awa_row["bio"], "Chanteuse et danseuse (C)", "the later edit of the same field wins");
    assert_eq!(awa_row["education"], "Conservatoire de Dakar", "an edit of another field survives beside it");
    let coumba_row = &talents[&coumba];
    assert!(coumba_row["erased_at"].is_string() && coumba_row["first_name"] == "", "an erasure wins: {coumba_row:?}");
    assert!(coumba_row["bio"].is_null(), "the offline edit of an erased profile does not bring it back");

    // No code twice, none provisional; no scan lost, the duplicate flagged.
    let codes: Vec<&str> = talents.values().filter_map(|r| r["code"].as_str()).collect();
    let distinct: BTreeSet<&str> = codes.iter().copied().collect();
    assert_eq!(codes.len(), 3 + 12 + 1, "every talent reached every laptop");
    assert_eq!(distinct.len(), codes.len(), "no code was issued twice: {codes:?}");
    assert!(talents.values().all(|r| r["code_provisional"] == 0), "every provisional code was finalised");
    let scans = &tables[0]["scan_events"];
    for event in &events {
        assert!(scans.contains_key(event), "scan event {event} reached every laptop");
    }
    assert!(reports.iter().any(|r| r.flagged_duplicate_scans > 0), "the double check-in of Awa is flagged");
    assert!(
        reports.iter().all(|r| r.skipped.is_empty()),
        "nothing was skipped: {:?}",
        reports.iter().flat_map(|r| &r.skipped).collect::<Vec<_>>()
    );
    for (device, stored, highest, contiguous) in rig.device_logs()? {
        assert!(
            stored == highest && highest == contiguous,
            "device {device}: each change stored once, no hole, all acknowledged ({stored} stored, up to {highest}, \
             contiguous {contiguous}) despite duplicated and lost requests"
        );
    }

    // Pulled profiles are searchable at once.
    let page =
        laptops[1].talento.search_talents(&TalentQuery { text: Some("FamilleC".into()), ..TalentQuery::default() })?;
    assert_eq!(page.total, 4, "B finds the talents C registered offline: {page:?}");
    let _ = registered;
    eprintln!(
        "three laptops converged in {:?} ({failures} syncs failed on the way, faults {faults:?})",
        started.elapsed()
    );
    Ok(())
}

#[test]
fn a_revoked_laptop_wipes_personal_data_and_keeps_codes() -> Result<()> {
    let rig = Rig::start(7)?;
    let dakar = city_code("SN", "Dakar");
    let mut l = laptop("R")?;
    let token = rig.enrollment_token()?;
    let status = l.talento.enroll(&rig.url, &token, "Portable perdu")?;
    let talent = register(&mut l, TalentKind::General, "Ndeye", "Fall", &dakar)?;
    sync(&mut l)?;
    let code = l.talento.get_talent(&talent.id)?.code;

    rig.revoke(&status.device_id)?;
    let error = l.talento.sync_now().expect_err("a revoked laptop cannot sync");
    assert!(matches!(error, CoreError::Sync(SyncError::DeviceRevoked)), "{error:?}");
    let wiped = l.talento.get_talent(&talent.id)?;
    assert_eq!((wiped.first_name.as_str(), wiped.last_name.as_str()), ("", ""), "personal data is wiped");
    assert_eq!(wiped.code, code, "codes stay");
    let status = l.talento.sync_status()?;
    assert!(status.revoked && !status.enrolled, "the laptop knows it is revoked: {status:?}");
    let message = error.to_app_error(Locale::En).message;
    assert!(message.contains("revoked"), "the person is told why: {message}");
    Ok(())
}

#[test]
fn a_protocol_mismatch_says_to_update_the_app_and_loses_nothing() -> Result<()> {
    let rig = Rig::start(11)?;
    let dakar = city_code("SN", "Dakar");
    let mut l = laptop("P")?;
    l.talento.enroll(&rig.url, &rig.enrollment_token()?, "Portable")?;
    register(&mut l, TalentKind::General, "Mame", "Sy", &dakar)?;
    let waiting = l.talento.sync_status()?.changes_waiting;
    rig.override_protocol(Some("0"));
    let error = l.talento.sync_now().expect_err("an older protocol is refused");
    assert!(matches!(error, CoreError::Sync(SyncError::ProtocolMismatch(_))), "{error:?}");
    for (locale, words) in [(Locale::En, "update the app"), (Locale::Fr, "mettez l’application à jour")] {
        let message = error.to_app_error(locale).message;
        assert!(message.contains(words), "{locale:?}: {message}");
    }
    assert_eq!(l.talento.sync_status()?.changes_waiting, waiting, "nothing was lost or acknowledged");
    rig.override_protocol(None);
    sync(&mut l)?;
    assert_eq!(l.talento.sync_status()?.changes_waiting, 0, "the same app syncs once the versions agree");
    Ok(())
}

#[test]
fn a_server_that_is_down_keeps_everything_queued_until_it_is_back() -> Result<()> {
    let mut rig = Rig::start(13)?;
    let dakar = city_code("SN", "Dakar");
    let mut l = laptop("D")?;
    // Straight to the server (no proxy), so that stopping it really refuses connections.
    l.talento.enroll(&rig.direct_url(), &rig.enrollment_token()?, "Portable")?;
    sync(&mut l)?;
    register(&mut l, TalentKind::General, "Astou", "Ndiaye", &dakar)?;
    let waiting = l.talento.sync_status()?.changes_waiting;
    assert!(waiting > 0, "the registration waits to be sent");

    let port = rig.stop()?;
    let error = l.talento.sync_now().expect_err("nobody answers");
    assert!(matches!(error, CoreError::Sync(SyncError::Unreachable(_))), "{error:?}");
    assert!(error.to_app_error(Locale::En).message.contains("Server unreachable"), "a clear message");
    let status = l.talento.sync_status()?;
    assert_eq!(status.changes_waiting, waiting, "nothing is lost: everything stays queued");
    assert!(status.last_report.is_some_and(|r| !r.errors.is_empty()), "the failed attempt is reported");

    rig.start_again(port)?;
    let report = sync(&mut l)?;
    assert!(report.pushed as u64 >= waiting as u64, "the queue goes once the server is back: {report:?}");
    assert_eq!(l.talento.sync_status()?.changes_waiting, 0);
    Ok(())
}

/// A device that speaks the protocol by hand, to send what this app version would never write.
fn raw_device(rig: &Rig) -> Result<(uuid::Uuid, String)> {
    let device = uuid::Uuid::now_v7();
    let body = serde_json::json!({
        "token": rig.enrollment_token()?, "device_id": device, "database_id": uuid::Uuid::now_v7(),
        "device_name": "Version future"
    });
    let reply: Value = ureq::post(format!("{}/sync/v1/enroll", rig.url))
        .header(talento_protocol::PROTOCOL_HEADER, talento_protocol::PROTOCOL_VERSION)
        .send_json(&body)?
        .body_mut()
        .read_json()?;
    let credential = reply["device_credential"].as_str().context("a credential")?.to_owned();
    Ok((device, credential))
}

#[test]
fn changes_from_a_newer_app_version_are_skipped_and_reported_never_a_crash() -> Result<()> {
    let rig = Rig::start(17)?;
    let dakar = city_code("SN", "Dakar");
    let mut l = laptop("N")?;
    l.talento.enroll(&rig.url, &rig.enrollment_token()?, "Portable")?;
    let (device, credential) = raw_device(&rig)?;
    let hlc = |n: u64| format!("{:018}-{:010}-{device}", 1_900_000_000_000u64 + n, 0);
    let talent = uuid::Uuid::now_v7().to_string();
    let changes = serde_json::json!({ "changes": [
        { "device_id": device, "seq": 1, "hlc": hlc(1), "table": "casting_calls", "row_id": "c1", "op": "upsert",
          "fields": { "title": "Figurants, Saint-Louis" } },
        { "device_id": device, "seq": 2, "hlc": hlc(2), "table": "talents", "row_id": talent, "op": "upsert",
          "fields": { "kind": "general", "code": "SNF9001DAK", "first_name": "Aïda", "last_name": "Faye", "gender": "F",
                      "birth_date": "1999-01-01", "origin_country": "SN", "origin_city": dakar,
                      "residence_country": "SN", "residence_city": dakar, "created_at": "2026-01-01T00:00:00.000Z",
                      "updated_at": "2026-01-01T00:00:00.000Z", "favourite_colour": "ocre" } },
        { "device_id": device, "seq": 3, "hlc": hlc(3), "table": "talents", "row_id": "never-created", "op": "upsert",
          "fields": { "bio": "an edit of a profile this laptop never received" } }
    ]});
    let pushed: Value = ureq::post(format!("{}/sync/v1/push", rig.url))
        .header(talento_protocol::PROTOCOL_HEADER, talento_protocol::PROTOCOL_VERSION)
        .header("authorization", format!("Bearer {credential}"))
        .send_json(&changes)?
        .body_mut()
        .read_json()?;
    assert_eq!(pushed["contiguous_seq"], 3, "the server takes all three: {pushed}");

    let report = sync(&mut l)?;
    let reasons: Vec<&SkipReason> = report.skipped.iter().map(|s| &s.reason).collect();
    assert_eq!(report.pulled, 3, "{report:?}");
    assert_eq!(report.skipped.len(), 3, "each problem is reported: {reasons:?}");
    assert!(reasons.contains(&&SkipReason::UnknownTable), "a table this version lacks: {reasons:?}");
    assert!(
        reasons.iter().any(
            |r| matches!(r, SkipReason::UnknownColumns { columns } if columns.contains(&"favourite_colour".to_owned()))
        ),
        "a column this version lacks: {reasons:?}"
    );
    let aida = l.talento.get_talent(&talent)?;
    assert_eq!((aida.first_name.as_str(), aida.code.as_str()), ("Aïda", "SNF9001DAK"), "the rest of the row applies");
    let page = l.talento.search_talents(&TalentQuery { text: Some("Aïda".into()), ..TalentQuery::default() })?;
    assert_eq!(page.total, 1, "and is searchable");
    let again = sync(&mut l)?;
    assert_eq!((again.pulled, again.skipped.len()), (0, 0), "the cursor moved past them: nothing comes back");
    // The clock moved past the remote timestamps: a local edit now orders after them.
    let mut edit = input(TalentKind::General, "Aïda", "Faye", &dakar);
    edit.bio = Some("Comédienne".into());
    saved(l.talento.update_talent(&talent, edit)?)?;
    let report = sync(&mut l)?;
    assert_eq!(report.pushed, 1, "{report:?}");
    let records = rig.records("talents")?;
    assert_eq!(records[&talent].0["bio"], "Comédienne", "the later local edit wins on the server too");
    Ok(())
}
