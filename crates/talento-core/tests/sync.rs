//! Sync end to end: real laptops (encrypted stores driven through `Talento`) against the real server over a real
//! PostgreSQL, through a proxy that duplicates requests, delivers stale copies late and out of order, and loses
//! requests and answers, with a server restart in the middle of a push. Three laptops work offline on the same data, then sync in a seeded random order: they and
//! the server must end with identical rows, no code issued twice, no scan event lost. Also: a revoked laptop wipes
//! its personal data, a protocol mismatch says to update the app, and a server that is down loses nothing.

mod support;

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Context, Result, bail};
use jiff::ToSpan;
use serde_json::{Map, Value, json};
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
    assert_eq!(again.still_parked, 3, "they are parked and tried again at each sync: {again:?}");
    // The profile the orphan edit was for arrives: the edit, parked since, applies at the sync that brings it.
    let created = serde_json::json!({ "changes": [
        { "device_id": device, "seq": 4, "hlc": hlc(0), "table": "talents", "row_id": "never-created", "op": "upsert",
          "fields": { "kind": "general", "code": "SNM9002DAK", "first_name": "Ousmane", "last_name": "Sow", "gender": "M",
                      "birth_date": "1990-05-05", "origin_country": "SN", "origin_city": dakar,
                      "residence_country": "SN", "residence_city": dakar, "created_at": "2026-01-01T00:00:00.000Z",
                      "updated_at": "2026-01-01T00:00:00.000Z" } }
    ]});
    ureq::post(format!("{}/sync/v1/push", rig.url))
        .header(talento_protocol::PROTOCOL_HEADER, talento_protocol::PROTOCOL_VERSION)
        .header("authorization", format!("Bearer {credential}"))
        .send_json(&created)?;
    let arrived = sync(&mut l)?;
    assert_eq!(
        (arrived.pulled, arrived.still_parked),
        (1, 2),
        "the edit applied; the newer version's two wait: {arrived:?}"
    );
    let ousmane = l.talento.get_talent("never-created")?;
    assert_eq!(
        ousmane.bio.as_deref(),
        Some("an edit of a profile this laptop never received"),
        "the parked edit (a later timestamp than the creation) is on the profile"
    );
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

#[test]
fn a_badge_printed_with_a_provisional_code_is_revoked_at_the_final_code_and_reprinted_with_it() -> Result<()> {
    let rig = Rig::start(7)?;
    let dakar = city_code("SN", "Dakar");
    let mut a = laptop("A")?;
    let token = rig.enrollment_token()?;
    a.talento.enroll(&rig.url, &token, "Portable A")?;
    // Registered, cast and badged before this laptop's first sync (no leased block yet): every code is provisional.
    let talent = register(&mut a, TalentKind::General, "Awa", "Diop", &dakar)?;
    assert!(talent.code_provisional, "{}", talent.code);
    let production =
        a.talento.create_production(ProductionInput { name: "Sahel Films".into(), ..Default::default() })?;
    let project = a.talento.create_project(project_input(production.id, "Le Fleuve"))?;
    a.talento.assign_talents(
        &project.id,
        AssignInput { talent_ids: vec![talent.id.clone()], talent_type: "extra".into(), role: None },
    )?;
    let printed = a.talento.prepare_badges(&project.id, None, false)?;
    assert_eq!(printed.len(), 1);
    assert_eq!(printed[0].talent_code, talent.code, "the badge shows the provisional code");
    let old_token = printed[0].token.clone();

    let report = sync(&mut a)?;
    let finalized = report.codes_finalized.iter().find(|c| c.table == "talents").context("talent code finalised")?;
    assert_eq!(finalized.provisional, talent.code);
    assert_eq!(finalized.badges_revoked, 1, "the badge printed with the provisional code is revoked: {report:?}");

    let check = a.talento.verify_badge(&old_token)?;
    assert!(!check.valid, "the badge with the provisional code no longer opens the gate: {check:?}");
    let reprinted = a.talento.prepare_badges(&project.id, None, false)?;
    assert_eq!(reprinted.len(), 1);
    assert_eq!(reprinted[0].talent_code, finalized.code, "the next print carries the final code");
    assert_ne!(reprinted[0].token, old_token, "a new badge is issued");
    assert!(a.talento.verify_badge(&reprinted[0].token)?.valid);
    // The revocation is an ordinary synced change: other laptops learn it at their next sync.
    let revoked = a.talento.synced_rows("badges")?;
    assert!(revoked.iter().any(|b| b["revoke_reason"] == "code_finalized"), "{revoked:?}");
    Ok(())
}

#[test]
fn codes_two_laptops_issued_before_enrollment_never_end_up_twice() -> Result<()> {
    let rig = Rig::start(11)?;
    let dakar = city_code("SN", "Dakar");
    // Two laptops work on their own before anyone enrolls them: each numbers from 1 in the same scope.
    let mut a = laptop("A")?;
    let mut b = laptop("B")?;
    let awa = register(&mut a, TalentKind::General, "Awa", "Diop", &dakar)?;
    let binta = register(&mut b, TalentKind::General, "Binta", "Ba", &dakar)?;
    assert!(!awa.code_provisional && !binta.code_provisional);
    assert_eq!(awa.code, binta.code, "the same local number on both laptops: {} / {}", awa.code, binta.code);

    for (l, name) in [(&mut a, "Portable A"), (&mut b, "Portable B")] {
        let token = rig.enrollment_token()?;
        l.talento.enroll(&rig.url, &token, name)?;
    }
    // A reaches the server first: its numbers are free, kept for it, and its codes do not change.
    let report = sync(&mut a)?;
    assert!(report.codes_finalized.is_empty(), "the first laptop keeps its codes: {report:?}");
    assert_eq!(a.talento.get_talent(&awa.id)?.code, awa.code);
    // B's numbers are A's already: B's talent gets a new number from the block the server leased it.
    let report = sync(&mut b)?;
    let renumbered = report.codes_finalized.iter().find(|c| c.row_id == binta.id).context("B's code is renumbered")?;
    let now = b.talento.get_talent(&binta.id)?;
    assert!(!now.code_provisional && is_final_general_code(&now.code, &dakar), "{}", now.code);
    assert_eq!(renumbered.code, now.code);
    assert_ne!(now.code, awa.code, "no code held twice");
    // Everyone ends with both talents, each under its own code.
    sync(&mut a)?;
    let codes: BTreeSet<String> = a.talento.synced_rows("talents")?.iter().map(|t| t["code"].to_string()).collect();
    assert_eq!(codes.len(), 2, "two talents, two codes on A: {codes:?}");
    assert_eq!(a.talento.get_talent(&binta.id)?.code, now.code, "A sees B's final code");
    // The next sync renumbers nothing more.
    assert!(sync(&mut b)?.codes_finalized.is_empty());
    Ok(())
}

const OTHER_PASSWORD: &str = "Kora-balafon-Djembe-77";

/// What a refused login says, so a wrong password and an unknown account can be compared.
fn refusal(l: &mut Laptop, identifier: &str, password: &str) -> String {
    let _ = l.talento.logout();
    match l.talento.login(identifier, password) {
        Ok(session) => panic!("{identifier} must not log in on laptop {}: {session:?}", l.name),
        Err(e) => {
            assert!(matches!(e, CoreError::InvalidCredentials), "a refused login says only that: {e:?}");
            e.to_app_error(Locale::En).message
        }
    }
}

fn log_in(l: &mut Laptop, identifier: &str, password: &str) -> Result<talento_core::dto::SessionDto> {
    let _ = l.talento.logout();
    l.talento.login(identifier, password).with_context(|| format!("{identifier} logs in on laptop {}", l.name))
}

#[test]
fn accounts_made_on_the_server_or_a_laptop_log_in_on_every_enrolled_laptop_offline() -> Result<()> {
    use talento_core::dto::NewUserInput;
    use talento_domain::Role;

    let mut rig = Rig::start(23)?;
    let pool = rig.pool();
    let new = talento_protocol::api::NewUser {
        name: "Fatou Diop".into(),
        email: "fatou@kourouma.sn".into(),
        role: "presence".into(),
        password: OTHER_PASSWORD.into(),
    };
    let fatou = rig.runtime.block_on(talento_server::admin::create_user(&pool, rig.agency_id, &new))?;
    let mut a = laptop("A")?;
    let mut b = laptop("B")?;
    for (l, name) in [(&mut a, "Portable A"), (&mut b, "Portable B")] {
        let token = rig.enrollment_token()?;
        l.talento.enroll(&rig.url, &token, name)?;
    }
    let moussa = a.talento.create_user(NewUserInput {
        name: "Moussa Traoré".into(),
        email: "moussa@kourouma.sn".into(),
        role: Role::Recruiter,
        password: OTHER_PASSWORD.into(),
    })?;
    // Both laptops make an Awa offline: two people cannot share an e-mail, so neither laptop takes the other's.
    let awa = |password: &str| NewUserInput {
        name: "Awa Sarr".into(),
        email: "awa@kourouma.sn".into(),
        role: Role::Presence,
        password: password.into(),
    };
    a.talento.create_user(awa(OTHER_PASSWORD))?;
    let awa_b = b.talento.create_user(awa("Tabala-sabar-Xalam-31"))?;
    // A's administrator predates the enrollment: their key wrap is made at their next login on A.
    log_in(&mut a, "admin.a@kourouma.sn", PASSWORD)?;

    sync(&mut a)?;
    let report = sync(&mut b)?;
    assert!(
        report.skipped.iter().any(|s| s.table == "users" && s.reason == SkipReason::AccountConflict),
        "A's Awa is refused on B and reported: {:?}",
        report.skipped
    );
    let port = rig.stop()?;

    // Offline on B: the server's account, by e-mail and by code.
    let session = log_in(&mut b, "fatou@kourouma.sn", OTHER_PASSWORD)?;
    assert_eq!((session.user_id.as_str(), session.role), (fatou.id.to_string().as_str(), Role::Presence));
    assert_eq!(session.code.len(), "PRE-".len() + 6, "server codes have six characters: {}", session.code);
    log_in(&mut b, &session.code.to_lowercase(), OTHER_PASSWORD)?;
    // A's accounts: one made after enrollment, one older whose wrap was made at its login.
    let session = log_in(&mut b, "moussa@kourouma.sn", OTHER_PASSWORD)?;
    assert_eq!(session.user_id, moussa.id, "the account made on A, with its id");
    log_in(&mut b, "admin.a@kourouma.sn", PASSWORD)?;
    // The key file follows the accounts at every unlock, idempotently: a key-file write lost to a crash after the
    // sync committed (here, the synced entries removed by hand) comes back at the next login.
    let keys_path = b._dir.path().join("keys.json");
    let synced_entries = |file: &Value| -> usize {
        file["users"].as_array().map_or(0, |u| u.iter().filter(|e| e["via_agency"] == json!(true)).count())
    };
    let mut file: Value = serde_json::from_slice(&std::fs::read(&keys_path)?)?;
    let before = synced_entries(&file);
    assert!(before >= 3, "B holds entries for the server's and A's accounts: {before}");
    if let Some(users) = file["users"].as_array_mut() {
        users.retain(|e| e["via_agency"] != json!(true));
    }
    std::fs::write(&keys_path, serde_json::to_vec(&file)?)?;
    refusal(&mut b, "fatou@kourouma.sn", OTHER_PASSWORD);
    log_in(&mut b, "admin.b@kourouma.sn", PASSWORD)?;
    let healed: Value = serde_json::from_slice(&std::fs::read(&keys_path)?)?;
    assert_eq!(synced_entries(&healed), before, "the next unlock brought the entries back");
    log_in(&mut b, "admin.b@kourouma.sn", PASSWORD)?;
    let again: Value = serde_json::from_slice(&std::fs::read(&keys_path)?)?;
    assert_eq!(again["users"], healed["users"], "a second unlock changes nothing: the reconcile is idempotent");
    log_in(&mut b, "fatou@kourouma.sn", OTHER_PASSWORD)?;
    // B's own Awa keeps her B password.
    let session = log_in(&mut b, "awa@kourouma.sn", "Tabala-sabar-Xalam-31")?;
    assert_eq!(session.user_id, awa_b.id, "the local account is kept, not replaced by A's");
    // A wrong password is refused exactly like an account that does not exist.
    let wrong = refusal(&mut b, "moussa@kourouma.sn", "Kora-balafon-Djembe-78");
    let unknown = refusal(&mut b, "personne@kourouma.sn", OTHER_PASSWORD);
    assert_eq!(wrong, unknown, "nothing tells a wrong password from an unknown account");
    // Lockout counts for synced accounts too.
    for _ in 0..4 {
        refusal(&mut b, "fatou@kourouma.sn", "Kora-balafon-Djembe-78");
    }
    let _ = b.talento.logout();
    let locked = b.talento.login("fatou@kourouma.sn", "Kora-balafon-Djembe-78").expect_err("the fifth failure locks");
    assert!(matches!(locked, CoreError::AccountLocked { .. }), "{locked:?}");

    // The wraps never reach a screen, a DTO or a debug print.
    log_in(&mut b, "admin.b@kourouma.sn", PASSWORD)?;
    let wraps: Vec<String> = b
        .talento
        .synced_rows("users")?
        .iter()
        .filter_map(|row| row.get("key_wrap").and_then(Value::as_str).map(str::to_owned))
        .collect();
    assert!(wraps.is_empty(), "synced_rows leaves the key wraps out");
    rig.start_again(port)?;
    let records = rig.records("users")?;
    let wrapped: Vec<String> = records
        .values()
        .filter_map(|(fields, _)| fields["key_wrap"].as_str())
        .filter_map(|w| serde_json::from_str::<Value>(w).ok())
        .filter_map(|w| w["wrapped"].as_str().map(str::to_owned))
        .collect();
    assert!(wrapped.len() >= 3, "the server holds the accounts' wraps: {}", wrapped.len());
    let shown = format!(
        "{} {} {:?}",
        serde_json::to_string(&b.talento.list_users()?)?,
        serde_json::to_string(&b.talento.sync_status()?)?,
        b.talento
    );
    for secret in &wrapped {
        assert!(!shown.contains(secret.as_str()), "a key wrap leaked into a DTO or a debug print");
    }
    assert!(!shown.contains("key_wrap") && !shown.contains("keyWrap"), "no DTO carries a key wrap");

    // Deactivated on A while working on B: the sync that brings it ends the session there, and the account no
    // longer opens B.
    log_in(&mut b, "moussa@kourouma.sn", OTHER_PASSWORD)?;
    log_in(&mut a, "admin.a@kourouma.sn", PASSWORD)?;
    a.talento.set_user_active(&moussa.id, false, None)?;
    sync(&mut a)?;
    sync(&mut b)?;
    assert!(b.talento.session_status().is_none(), "the deactivated account's open session ended with the sync");
    assert!(matches!(b.talento.sync_status(), Err(CoreError::NotAuthenticated)), "nothing more is served");
    refusal(&mut b, "moussa@kourouma.sn", OTHER_PASSWORD);
    // A password changed on B opens A after the syncs, and the old one no longer does.
    log_in(&mut b, "fatou@kourouma.sn", OTHER_PASSWORD).expect_err("still locked");
    log_in(&mut b, "admin.b@kourouma.sn", PASSWORD)?;
    b.talento.reset_password(&fatou.id.to_string(), "Sabar-ndeup-Tama-2026")?;
    sync(&mut b)?;
    sync(&mut a)?;
    log_in(&mut a, "fatou@kourouma.sn", "Sabar-ndeup-Tama-2026")?;
    refusal(&mut a, "fatou@kourouma.sn", OTHER_PASSWORD);
    Ok(())
}

/// Base64, as the UI hands files over.
fn b64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// A textured JPEG picture, as base64.
fn jpeg(width: u32, height: u32) -> Result<String> {
    let img = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
    let mut bytes = Vec::new();
    image::DynamicImage::ImageRgb8(img).write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Jpeg)?;
    Ok(b64(&bytes))
}

/// A PDF CV of about `size` bytes.
fn pdf_cv(size: usize) -> Vec<u8> {
    let mut bytes = b"%PDF-1.4\n".to_vec();
    let mut line = 0u64;
    while bytes.len() < size {
        bytes.extend_from_slice(format!("% CV line {line}\n").as_bytes());
        line += 1;
    }
    bytes.extend_from_slice(b"%%EOF\n");
    bytes
}

#[test]
fn photos_and_cvs_travel_by_hash_resume_after_interruptions_and_arrive_byte_identical() -> Result<()> {
    use base64::Engine as _;
    use talento_core::talents::files::PhotoUse;
    use talento_protocol::{MAX_CHUNK_BYTES, PROTOCOL_HEADER, PROTOCOL_VERSION};

    let rig = Rig::start(29)?;
    let dakar = city_code("SN", "Dakar");
    let (mut a, mut b) = (laptop("A")?, laptop("B")?);
    a.talento.enroll(&rig.url, &rig.enrollment_token()?, "Portable A")?;
    b.talento.enroll(&rig.url, &rig.enrollment_token()?, "Portable B")?;
    let photo = a.talento.stage_photo(&jpeg(640, 480)?, None, PhotoUse::Profile)?;
    // Three upload chunks.
    let cv_bytes = pdf_cv(2 * MAX_CHUNK_BYTES + 200_000);
    let cv = a.talento.stage_cv(&b64(&cv_bytes))?;
    let mut form = input(TalentKind::General, "Awa", "Diop", &dakar);
    form.photo = Some(photo.hash.clone());
    form.cv = Some(cv.hash.clone());
    let talent = saved(a.talento.register_talent(form)?)?;

    // An earlier attempt got the CV's first chunk to the server, then the connection dropped.
    let (_, credential) = raw_device(&rig)?;
    let path = format!("/sync/v1/attachments/{}?offset=0&total={}", cv.hash, cv_bytes.len());
    ureq::put(format!("{}{path}", rig.direct_url()))
        .header(PROTOCOL_HEADER, PROTOCOL_VERSION)
        .header("authorization", format!("Bearer {credential}"))
        .content_type("application/octet-stream")
        .send(&cv_bytes[..MAX_CHUNK_BYTES])?;

    // Then a network that loses, repeats and reorders requests: each failed sync resumes where the server stands.
    rig.set_faults(30);
    let mut done = false;
    for _ in 0..30 {
        match a.talento.sync_now() {
            Ok(report) if report.attachments_waiting == 0 => {
                done = true;
                break;
            }
            Ok(_) | Err(CoreError::Sync(SyncError::Unreachable(_))) => {}
            Err(e) => return Err(e).context("sync of A through the faulty network"),
        }
    }
    rig.set_faults(0);
    assert!(done, "A's photo and CV reach the server despite the faults");
    let held: i64 = rig.runtime.block_on(async {
        let client = rig.pool().get().await?;
        let row = client
            .query_one(
                "SELECT count(*) FROM attachments WHERE hash IN ($1, $2) AND complete AND octet_length(data) = size",
                &[&photo.hash, &cv.hash],
            )
            .await?;
        anyhow::Ok(row.get(0))
    })?;
    assert_eq!(held, 2, "the server holds both files whole");

    let report = sync(&mut b)?;
    assert_eq!(report.attachments_received, 2, "B fetched the photo and the CV: {report:?}");
    assert_eq!(report.attachments_waiting, 0, "nothing is left to fetch");
    let on_b = b.talento.get_talent(&talent.id)?;
    assert_eq!((on_b.photo.as_deref(), on_b.cv.as_deref()), (Some(photo.hash.as_str()), Some(cv.hash.as_str())));
    assert!(
        b.talento.read_photo(&photo.hash, false)? == a.talento.read_photo(&photo.hash, false)?,
        "B shows the very photo A took"
    );
    let thumbnail = b.talento.read_photo(&photo.hash, true)?;
    assert!(
        !thumbnail.is_empty() && thumbnail.len() < b.talento.read_photo(&photo.hash, false)?.len(),
        "lists show a small thumbnail, made again on arrival"
    );
    let cv_on_b = b.talento.read_cv(&cv.hash)?;
    assert_eq!(cv_on_b.mime, "application/pdf", "the CV's type is recognised again on arrival");
    assert!(
        base64::engine::general_purpose::STANDARD.decode(cv_on_b.data_base64)? == cv_bytes,
        "B's CV is byte for byte A's"
    );
    let again = sync(&mut b)?;
    assert_eq!((again.attachments_received, again.attachments_sent), (0, 0), "a file travels once: {again:?}");
    Ok(())
}

#[test]
fn a_file_no_laptop_can_provide_stays_queued_and_is_reported() -> Result<()> {
    use talento_core::talents::files::PhotoUse;

    let rig = Rig::start(31)?;
    let dakar = city_code("SN", "Dakar");
    let (mut a, mut b) = (laptop("A")?, laptop("B")?);
    a.talento.enroll(&rig.url, &rig.enrollment_token()?, "Portable A")?;
    b.talento.enroll(&rig.url, &rig.enrollment_token()?, "Portable B")?;
    let photo = a.talento.stage_photo(&jpeg(320, 320)?, None, PhotoUse::Profile)?;
    let mut form = input(TalentKind::General, "Fatou", "Sarr", &dakar);
    form.photo = Some(photo.hash.clone());
    let talent = saved(a.talento.register_talent(form)?)?;
    assert_eq!(sync(&mut a)?.attachments_sent, 1, "the photo went up");
    // Lost on the server (restored from an old backup, say): A no longer offers it, it was confirmed.
    rig.runtime.block_on(async {
        rig.pool().get().await?.execute("DELETE FROM attachments WHERE hash = $1", &[&photo.hash]).await?;
        anyhow::Ok(())
    })?;

    for attempt in 0..2 {
        let report = sync(&mut b)?;
        assert_eq!(report.attachments_received, 0, "attempt {attempt}: nothing to fetch");
        assert_eq!(report.attachments_waiting, 1, "attempt {attempt}: the missing photo is reported: {report:?}");
        assert!(report.errors.is_empty(), "a missing file does not fail the sync: {report:?}");
    }
    assert_eq!(b.talento.get_talent(&talent.id)?.photo.as_deref(), Some(photo.hash.as_str()), "the row came");
    let missing = b.talento.read_photo(&photo.hash, false).expect_err("the file did not");
    assert!(matches!(missing, CoreError::NotFound), "{missing:?}");

    // Once the talent is erased, nobody waits for the photo any more (it would be personal data kept by mistake).
    a.talento.erase_talent(&talent.id)?;
    sync(&mut a)?;
    let report = sync(&mut b)?;
    assert_eq!(report.attachments_waiting, 0, "an erased talent's file is not fetched: {report:?}");
    Ok(())
}

#[test]
fn the_agency_logo_set_on_one_laptop_is_printed_by_every_laptop() -> Result<()> {
    let rig = Rig::start(23)?;
    let mut a = laptop("A")?;
    let mut b = laptop("B")?;
    // A chose the logo before it was enrolled; B never set one.
    a.talento.set_agency_logo(Some(&jpeg(320, 200)?))?;
    let logo = a.talento.agency_logo()?.context("A has a logo")?;
    for (l, name) in [(&mut a, "Portable A"), (&mut b, "Portable B")] {
        let token = rig.enrollment_token()?;
        l.talento.enroll(&rig.url, &token, name)?;
    }
    sync(&mut a)?;
    sync(&mut b)?;
    sync(&mut a)?; // B's adoption of the agency (its name, no logo) comes back to A
    assert_eq!(b.talento.agency_logo()?.as_deref(), Some(logo.as_str()), "B prints A's logo");
    assert_eq!(a.talento.agency_logo()?.as_deref(), Some(logo.as_str()), "a laptop without a logo erased nothing");
    assert_eq!(
        b.talento.read_photo(&logo, false)?,
        a.talento.read_photo(&logo, false)?,
        "the logo file itself travelled"
    );
    assert_eq!(rows(&mut a, "agency")?, rows(&mut b, "agency")?, "one agency row, the same on both laptops");
    assert_eq!(rows(&mut a, "agency")?.len(), 1);
    // A new logo set on B reaches A.
    b.talento.set_agency_logo(Some(&jpeg(200, 200)?))?;
    let second = b.talento.agency_logo()?.context("B's new logo")?;
    sync(&mut b)?;
    sync(&mut a)?;
    assert_eq!(a.talento.agency_logo()?.as_deref(), Some(second.as_str()));
    Ok(())
}
