//! The server end to end over real HTTP and a real PostgreSQL (started by `support`): enrollment, idempotent push,
//! contiguous status, pull paging, set-aside changes, code leases under concurrency, revocation, protocol
//! mismatch, a restart mid-way, the field-by-field merge into `records`, and every REST endpoint with its role
//! checks, pagination and OpenAPI document.

mod support;

use std::collections::BTreeSet;
use std::io::Write as _;

use anyhow::{Context, Result};
use hyper::{Method, StatusCode};
use serde_json::{Value, json};
use support::{Laptop, TestServer};
use talento_protocol::PROTOCOL_HEADER;
use talento_server::admin;
use uuid::Uuid;

fn statuses(reply: &support::Reply) -> Vec<String> {
    reply.body["results"]
        .as_array()
        .map(|r| r.iter().map(|x| x["status"].as_str().unwrap_or("?").to_owned()).collect())
        .unwrap_or_default()
}

fn talent_fields(code: &str, first: &str, last: &str) -> Value {
    json!({ "kind": "general", "code": code, "first_name": first, "last_name": last, "gender": "F",
            "origin_country": "SN", "residence_country": "SN", "residence_city": "DAK",
            "email": format!("{}@example.sn", first.to_lowercase()), "phone": "+221770000000" })
}

#[tokio::test]
async fn health_checks_the_database() -> Result<()> {
    let server = TestServer::start().await?;
    let reply = server.call(Method::GET, "/health", None, None).await?;
    assert_eq!(reply.status, StatusCode::OK, "a server whose database answers is healthy: {reply:?}");
    assert_eq!(reply.body["database"], "ok");
    let unknown = server.call(Method::GET, "/nowhere", None, None).await?;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.code(), "not_found", "even unknown routes answer {{code, message}}");
    server.stop().await
}

#[tokio::test]
async fn enrollment_tokens_are_single_use_expiring_and_checked() -> Result<()> {
    let server = TestServer::start().await?;
    let agency = server.agency("Agence Enrôlement").await?;
    let body = |token: &str, device: Uuid| json!({ "token": token, "device_id": device, "database_id": Uuid::now_v7(), "device_name": "Portable 1" });

    let wrong = server.sync(Method::POST, "/sync/v1/enroll", None, Some(body("not-a-token", Uuid::now_v7()))).await?;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED, "an unknown token enrolls nothing: {wrong:?}");
    assert_eq!(wrong.code(), "enrollment_token_invalid");

    let expired = admin::create_enrollment_token(&server.pool, agency.id, 0).await?;
    let reply = server.sync(Method::POST, "/sync/v1/enroll", None, Some(body(&expired, Uuid::now_v7()))).await?;
    assert_eq!(reply.code(), "enrollment_token_invalid", "a token past its validity is refused: {reply:?}");

    let token = admin::create_enrollment_token(&server.pool, agency.id, 24).await?;
    let device = Uuid::now_v7();
    let first = server.sync(Method::POST, "/sync/v1/enroll", None, Some(body(&token, device))).await?;
    assert_eq!(first.status, StatusCode::OK, "a fresh token enrolls: {first:?}");
    assert_eq!(first.body["agency_id"], json!(agency.id));
    assert_eq!(first.body["agency_name"], "Agence Enrôlement");
    let credential = first.body["device_credential"].as_str().context("credential")?.to_owned();

    let again = server.sync(Method::POST, "/sync/v1/enroll", None, Some(body(&token, Uuid::now_v7()))).await?;
    assert_eq!(again.code(), "enrollment_token_invalid", "a used token cannot enroll a second laptop: {again:?}");

    let other = admin::create_enrollment_token(&server.pool, agency.id, 24).await?;
    let twice = server.sync(Method::POST, "/sync/v1/enroll", None, Some(body(&other, device))).await?;
    assert_eq!(twice.status, StatusCode::CONFLICT, "a device enrolls once: {twice:?}");
    let unused = server.sync(Method::POST, "/sync/v1/enroll", None, Some(body(&other, Uuid::now_v7()))).await?;
    assert_eq!(unused.status, StatusCode::OK, "the refused attempt did not consume the token: {unused:?}");

    let client = server.pool.get().await?;
    let stored: i64 = client
        .query_one("SELECT count(*) FROM devices WHERE credential_hash = convert_to($1, 'UTF8')", &[&credential])
        .await?
        .get(0);
    assert_eq!(stored, 0, "the credential itself is never stored, only its hash");

    let laptop = Laptop { id: device, credential };
    let status = laptop.status(&server).await?;
    assert_eq!(status.status, StatusCode::OK, "the credential authenticates sync calls: {status:?}");
    let bad = Laptop { id: device, credential: "forged".into() };
    assert_eq!(bad.status(&server).await?.code(), "unauthorized");
    server.stop().await
}

#[tokio::test]
async fn push_is_idempotent_and_status_reports_the_contiguous_seq() -> Result<()> {
    let server = TestServer::start().await?;
    let agency = server.agency("Agence Idempotence").await?;
    let laptop = server.enroll(&agency, "Portable A").await?;
    let change = |seq: u64| laptop.change(seq, 1_000 + seq, "talents", &format!("t{seq}"), "upsert", json!({"n": seq}));

    let batch: Vec<Value> = (1..=3).map(change).collect();
    let first = laptop.push(&server, batch.clone()).await?;
    assert_eq!(statuses(&first), ["accepted"; 3], "a new batch is accepted: {first:?}");
    assert_eq!(first.body["contiguous_seq"], 3);
    let again = laptop.push(&server, batch.clone()).await?;
    assert_eq!(statuses(&again), ["duplicate"; 3], "the same batch twice changes nothing: {again:?}");
    let mut reordered = batch.clone();
    reordered.reverse();
    let reordered = laptop.push(&server, reordered).await?;
    assert_eq!(statuses(&reordered), ["duplicate"; 3], "nor does it reordered");

    // 4 is lost on the way; 5 and 6 arrive: the server holds up to 3 contiguously.
    let holed = laptop.push(&server, vec![change(6), change(5)]).await?;
    assert_eq!(statuses(&holed), ["accepted"; 2]);
    assert_eq!(holed.body["contiguous_seq"], 3, "a hole stops the contiguous seq: {holed:?}");
    let status = laptop.status(&server).await?;
    assert_eq!(status.body["contiguous_seq"], 3, "status tells the laptop to resend from 4: {status:?}");

    let refilled = laptop.push(&server, vec![change(4), change(5), change(6)]).await?;
    assert_eq!(statuses(&refilled), ["accepted", "duplicate", "duplicate"]);
    assert_eq!(refilled.body["contiguous_seq"], 6, "refilling the hole joins the run: {refilled:?}");
    let status = laptop.status(&server).await?;
    assert_eq!(status.body["contiguous_seq"], 6);
    assert_eq!(status.body["devices"][0]["device_id"], json!(laptop.id));

    let client = server.pool.get().await?;
    let held: i64 = client.query_one("SELECT count(*) FROM changes WHERE device_id = $1", &[&laptop.id]).await?.get(0);
    assert_eq!(held, 6, "each (device, seq) is stored once");
    server.stop().await
}

#[tokio::test]
async fn pull_pages_by_server_sequence_and_skips_the_callers_own_changes() -> Result<()> {
    let server = TestServer::start().await?;
    let agency = server.agency("Agence Pull").await?;
    let a = server.enroll(&agency, "A").await?;
    let b = server.enroll(&agency, "B").await?;
    let c = server.enroll(&agency, "C").await?;
    let outsider_agency = server.agency("Agence Voisine").await?;
    let outsider = server.enroll(&outsider_agency, "X").await?;

    let mut seq = 0;
    for round in 0..5u64 {
        for laptop in [&a, &b] {
            let changes: Vec<Value> = (0..3)
                .map(|i| {
                    let s = round * 3 + i + 1;
                    laptop.change(s, 10 * s, "talents", &format!("{}-{s}", laptop.id), "upsert", json!({"n": s}))
                })
                .collect();
            laptop.push(&server, changes).await?;
        }
        seq += 3;
    }
    outsider.push(&server, vec![outsider.change(1, 1, "talents", "x", "upsert", json!({}))]).await?;

    let (seen_by_c, cursor) = c.pull_all(&server, 0, 7).await?;
    let accounts = |changes: &[Value]| changes.iter().filter(|c| c["table"] == "users").count();
    assert_eq!(accounts(&seen_by_c), 1, "the agency's administrator, made on the server, reaches every laptop");
    assert_eq!(seen_by_c.len(), 2 * seq as usize + 1, "a third laptop gets everything of its agency, in pages of 7");
    let server_seqs: Vec<u64> = seen_by_c.iter().filter_map(|c| c["server_seq"].as_u64()).collect();
    assert!(server_seqs.windows(2).all(|w| w[0] < w[1]), "pages come in server order without repeats");
    assert!(seen_by_c.iter().all(|ch| ch["device_id"] != json!(outsider.id)), "another agency's changes never leak");

    let (seen_by_a, _) = a.pull_all(&server, 0, 4).await?;
    let seen_by_a: Vec<Value> = seen_by_a.into_iter().filter(|c| c["table"] != "users").collect();
    assert_eq!(seen_by_a.len(), seq as usize, "A gets B's changes only (and the server's account)");
    assert!(seen_by_a.iter().all(|ch| ch["device_id"] == json!(b.id)), "its own changes never come back");
    let first = &seen_by_a[0];
    assert_eq!(first["table"], "talents");
    assert_eq!(first["op"], "upsert");
    assert!(first["hlc"].as_str().is_some_and(|h| h.len() > 30), "changes keep their timestamp: {first}");

    let (nothing, same) = c.pull_all(&server, cursor, 100).await?;
    assert!(nothing.is_empty() && same == cursor, "an up-to-date cursor gets nothing new");
    b.push(&server, vec![b.change(16, 999, "talents", "late", "upsert", json!({"late": true}))]).await?;
    let (late, _) = c.pull_all(&server, cursor, 100).await?;
    assert_eq!(late.len(), 1, "a change pushed later arrives after the cursor: {late:?}");

    let bad = server.sync(Method::GET, "/sync/v1/pull?after=0&limit=5000", Some(&c.credential), None).await?;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "pages are bounded: {bad:?}");
    server.stop().await
}

#[tokio::test]
async fn oversized_or_invalid_changes_are_set_aside_without_blocking_the_rest() -> Result<()> {
    let server = TestServer::start().await?;
    let agency = server.agency("Agence Mise de côté").await?;
    let laptop = server.enroll(&agency, "A").await?;
    let huge = "x".repeat(talento_protocol::sync::MAX_CHANGE_BYTES + 1);
    let mut bad_hlc = laptop.change(4, 4, "talents", "t4", "upsert", json!({}));
    bad_hlc["hlc"] = json!("yesterday");
    let mut wrong_device = laptop.change(5, 5, "talents", "t5", "upsert", json!({}));
    wrong_device["device_id"] = json!(Uuid::now_v7());
    let batch = vec![
        laptop.change(1, 1, "talents", "t1", "upsert", json!({"first_name": "Awa"})),
        laptop.change(2, 2, "talents", "t2", "upsert", json!({"bio": huge})),
        json!({ "seq": 3, "op": "frobnicate" }),
        bad_hlc,
        wrong_device,
        laptop.change(6, 6, "Talents; DROP TABLE", "t6", "upsert", json!({})),
        laptop.change(7, 7, "talents", "t7", "upsert", json!({"first_name": "Moussa"})),
        json!("not even an object"),
    ];
    // Sent gzip-compressed, as a laptop on a slow link does.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(json!({ "changes": batch }).to_string().as_bytes())?;
    let auth = format!("Bearer {}", laptop.credential);
    let reply = server
        .raw(
            Method::POST,
            "/sync/v1/push",
            &[
                ("content-type", "application/json"),
                ("content-encoding", "gzip"),
                (PROTOCOL_HEADER, "1"),
                ("authorization", &auth),
            ],
            gz.finish()?,
        )
        .await?;
    assert_eq!(reply.status, StatusCode::OK, "a batch with bad changes still goes through: {reply:?}");
    assert_eq!(
        statuses(&reply),
        ["accepted", "set_aside", "set_aside", "set_aside", "set_aside", "set_aside", "accepted", "set_aside"]
    );
    let reasons: Vec<&str> = reply.body["results"]
        .as_array()
        .map(|r| r.iter().filter_map(|x| x["reason"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(reasons, ["too_large", "malformed", "bad_timestamp", "wrong_device", "bad_target", "malformed"]);
    assert_eq!(reply.body["results"][7]["seq"], Value::Null, "a change without a seq cannot be identified");
    assert_eq!(reply.body["contiguous_seq"], 7, "set-aside changes count as received, so the queue moves on");

    let client = server.pool.get().await?;
    let kept: Vec<(i64, String)> = client
        .query("SELECT seq, reason FROM set_aside ORDER BY seq", &[])
        .await?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert_eq!(kept.len(), 5, "identified set-aside changes are kept for an administrator: {kept:?}");
    let stats = server.call(Method::GET, "/api/v1/stats", Some(&agency.admin_token), None).await?;
    assert_eq!(stats.body["set_aside"], 5);
    assert_eq!(stats.body["talents"], 2, "the good changes were applied");
    server.stop().await
}

#[tokio::test]
async fn leases_never_overlap_even_under_twenty_concurrent_requests() -> Result<()> {
    let server = TestServer::start().await?;
    let agency = server.agency("Agence Codes").await?;
    let laptops = [server.enroll(&agency, "A").await?, server.enroll(&agency, "B").await?];
    let server = std::sync::Arc::new(server);
    let mut tasks = Vec::new();
    for i in 0..20usize {
        let (server, laptop) = (server.clone(), laptops[i % 2].clone());
        tasks.push(tokio::spawn(async move {
            server
                .sync(
                    Method::POST,
                    "/sync/v1/leases",
                    Some(&laptop.credential),
                    Some(json!({ "scope": "cinema:SN:DKR", "count": 1 + i % 7 })),
                )
                .await
        }));
    }
    let mut blocks = Vec::new();
    for task in tasks {
        let reply = task.await??;
        assert_eq!(reply.status, StatusCode::OK, "every lease request is served: {reply:?}");
        blocks.push((reply.body["start"].as_u64().context("start")?, reply.body["end_excl"].as_u64().context("end")?));
    }
    blocks.sort();
    let total: u64 = blocks.iter().map(|(s, e)| e - s).sum();
    assert_eq!(blocks[0].0, 1, "numbering starts at 1");
    assert!(blocks.windows(2).all(|w| w[0].1 == w[1].0), "blocks tile the range, never overlapping: {blocks:?}");
    assert_eq!(blocks.last().map(|b| b.1), Some(1 + total), "no number is lost either");

    let laptop = &laptops[0];
    let other_scope = server
        .sync(
            Method::POST,
            "/sync/v1/leases",
            Some(&laptop.credential),
            Some(json!({"scope": "general:SN", "count": 100})),
        )
        .await?;
    assert_eq!((other_scope.body["start"].clone(), other_scope.body["end_excl"].clone()), (json!(1), json!(101)));
    let above = server
        .sync(
            Method::POST,
            "/sync/v1/leases",
            Some(&laptop.credential),
            Some(json!({"scope": "general:CI", "count": 10, "used_up_to": 250})),
        )
        .await?;
    assert_eq!(above.body["start"], 251, "numbers a laptop issued before enrolling are never granted: {above:?}");
    assert_eq!(above.body["local_numbers_taken"], false, "nobody else holds 1..=250: kept for this laptop");
    let b = &laptops[1];
    let clash = server
        .sync(
            Method::POST,
            "/sync/v1/leases",
            Some(&b.credential),
            Some(json!({"scope": "general:CI", "count": 10, "used_up_to": 3})),
        )
        .await?;
    assert_eq!(clash.body["local_numbers_taken"], true, "B's own 1..=3 are A's already: B renumbers: {clash:?}");
    assert_eq!(clash.body["start"], 261, "and is granted numbers above everything granted");
    let again = server
        .sync(
            Method::POST,
            "/sync/v1/leases",
            Some(&laptop.credential),
            Some(json!({"scope": "general:CI", "count": 10, "used_up_to": 250})),
        )
        .await?;
    assert_eq!(again.body["local_numbers_taken"], false, "A's own numbers stay A's at its next lease: {again:?}");
    let nearly = server
        .sync(
            Method::POST,
            "/sync/v1/leases",
            Some(&laptop.credential),
            Some(json!({"scope": "assignment:p1", "count": 1000, "used_up_to": 995})),
        )
        .await?;
    assert_eq!((nearly.body["start"].clone(), nearly.body["end_excl"].clone()), (json!(996), json!(1000)));
    let exhausted = server
        .sync(
            Method::POST,
            "/sync/v1/leases",
            Some(&laptop.credential),
            Some(json!({"scope": "assignment:p1", "count": 1})),
        )
        .await?;
    assert_eq!((exhausted.status, exhausted.code()), (StatusCode::CONFLICT, "scope_exhausted"));
    for bad in [json!({"scope": "general:sn", "count": 1}), json!({"scope": "general:SN", "count": 0})] {
        let reply = server.sync(Method::POST, "/sync/v1/leases", Some(&laptop.credential), Some(bad)).await?;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "bad scopes and counts are refused: {reply:?}");
    }
    std::sync::Arc::try_unwrap(server).map_err(|_| anyhow::anyhow!("the server is still shared"))?.stop().await
}

#[tokio::test]
async fn a_revoked_device_is_told_to_wipe_its_data() -> Result<()> {
    let server = TestServer::start().await?;
    let agency = server.agency("Agence Révocation").await?;
    let laptop = server.enroll(&agency, "Volé").await?;
    let recruiter = server.user(agency.id, "recruiter", "rec@revocation.sn").await?;
    let recruiter_token = server.login(&recruiter.email).await?;
    let path = format!("/sync/v1/devices/{}/revoke", laptop.id);

    let refused = server.sync(Method::POST, &path, Some(&recruiter_token), None).await?;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "only administrators revoke: {refused:?}");
    let other = server.agency("Agence Autre").await?;
    let foreign = server.sync(Method::POST, &path, Some(&other.admin_token), None).await?;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND, "another agency's admin cannot see this laptop");

    // Administrators see the agency's laptops (not the server's own change-writing device), others do not.
    let listed = server.call(Method::GET, "/api/v1/devices", Some(&agency.admin_token), None).await?;
    assert_eq!(listed.status, StatusCode::OK, "{listed:?}");
    let devices = listed.body.as_array().context("a list")?;
    assert_eq!(devices.len(), 1, "one laptop, the server's own device not listed: {devices:?}");
    assert_eq!((devices[0]["name"].as_str(), devices[0]["revoked_at"].is_null()), (Some("Volé"), true));
    let hidden = server.call(Method::GET, "/api/v1/devices", Some(&recruiter_token), None).await?;
    assert_eq!(hidden.status, StatusCode::FORBIDDEN, "only administrators list laptops");
    let elsewhere = server.call(Method::GET, "/api/v1/devices", Some(&other.admin_token), None).await?;
    assert_eq!(elsewhere.body, json!([]), "another agency lists none of these");
    let server_device: Uuid = server
        .pool
        .get()
        .await?
        .query_one("SELECT id FROM devices WHERE agency_id = $1 AND on_server", &[&agency.id])
        .await?
        .get(0);
    let own = server
        .sync(Method::POST, &format!("/sync/v1/devices/{server_device}/revoke"), Some(&agency.admin_token), None)
        .await?;
    assert_eq!(own.status, StatusCode::NOT_FOUND, "the server's own device is not a laptop to revoke");

    let revoked = server.sync(Method::POST, &path, Some(&agency.admin_token), None).await?;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT, "{revoked:?}");
    let listed = server.call(Method::GET, "/api/v1/devices", Some(&agency.admin_token), None).await?;
    assert!(!listed.body[0]["revoked_at"].is_null(), "the list shows it revoked: {listed:?}");
    for reply in [
        laptop.status(&server).await?,
        laptop.push(&server, vec![laptop.change(1, 1, "talents", "t", "upsert", json!({}))]).await?,
        server.sync(Method::GET, "/sync/v1/pull?after=0", Some(&laptop.credential), None).await?,
    ] {
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "a revoked laptop can no longer sync: {reply:?}");
        assert_eq!(reply.code(), "device_revoked", "it gets the code that makes it wipe personal data");
    }
    let stats = server.call(Method::GET, "/api/v1/stats", Some(&agency.admin_token), None).await?;
    assert_eq!(stats.body["devices_revoked"], 1);
    server.stop().await
}

#[tokio::test]
async fn another_protocol_version_gets_426_and_an_update_message() -> Result<()> {
    let server = TestServer::start().await?;
    let agency = server.agency("Agence Version").await?;
    let laptop = server.enroll(&agency, "A").await?;
    let auth = format!("Bearer {}", laptop.credential);
    for (version, says) in
        [(Some("0"), "update the app"), (Some("99"), "server must be updated"), (None, "update the app")]
    {
        let mut headers = vec![("authorization", auth.as_str())];
        if let Some(v) = version {
            headers.push((PROTOCOL_HEADER, v));
        }
        let reply = server.raw(Method::GET, "/sync/v1/status", &headers, Vec::new()).await?;
        assert_eq!(reply.status, StatusCode::UPGRADE_REQUIRED, "version {version:?} must be refused: {reply:?}");
        assert_eq!(reply.code(), "protocol_mismatch");
        let message = reply.body["message"].as_str().unwrap_or_default();
        assert!(message.contains(says), "the message says what to update: {message}");
        assert_eq!(reply.headers.get(PROTOCOL_HEADER).and_then(|v| v.to_str().ok()), Some("1"), "and the version");
    }
    let ok = laptop.status(&server).await?;
    assert_eq!(ok.headers.get(PROTOCOL_HEADER).and_then(|v| v.to_str().ok()), Some("1"));
    server.stop().await
}

#[tokio::test]
async fn a_server_restart_mid_sync_keeps_everything() -> Result<()> {
    let server = TestServer::start().await?;
    let agency = server.agency("Agence Redémarrage").await?;
    let a = server.enroll(&agency, "A").await?;
    let b = server.enroll(&agency, "B").await?;
    let changes: Vec<Value> =
        (1..=10).map(|s| a.change(s, s, "talents", &format!("t{s}"), "upsert", json!({"n": s}))).collect();
    a.push(&server, changes[..6].to_vec()).await?;
    let lease = server
        .sync(Method::POST, "/sync/v1/leases", Some(&a.credential), Some(json!({"scope": "general:SN", "count": 50})))
        .await?;
    assert_eq!(lease.body["end_excl"], 51);
    let (half, cursor) = b.pull_all(&server, 0, 4).await?;
    assert_eq!(half.len(), 6 + 1, "A's six changes and the administrator made on the server");

    let url = server.database_url.clone();
    let admin_token = agency.admin_token.clone();
    server.stop().await?;
    let server = TestServer::on(&url).await?;

    let status = a.status(&server).await?;
    assert_eq!(status.body["contiguous_seq"], 6, "the restarted server remembers what it held: {status:?}");
    let resent = a.push(&server, changes.clone()).await?;
    assert_eq!(statuses(&resent)[..6], ["duplicate"; 6], "what was stored before the restart is not stored twice");
    assert_eq!(resent.body["contiguous_seq"], 10);
    let (rest, _) = b.pull_all(&server, cursor, 4).await?;
    assert_eq!(rest.len(), 4, "the pull cursor stays valid across a restart");
    let lease = server
        .sync(Method::POST, "/sync/v1/leases", Some(&a.credential), Some(json!({"scope": "general:SN", "count": 50})))
        .await?;
    assert_eq!(lease.body["start"], 51, "leases continue where they were");
    let users = server.call(Method::GET, "/api/v1/users", Some(&admin_token), None).await?;
    assert_eq!(users.status, StatusCode::OK, "logins survive a restart");
    server.stop().await
}

#[tokio::test]
async fn records_merge_field_by_field_with_tombstones_and_a_union_of_scans() -> Result<()> {
    let server = TestServer::start().await?;
    let agency = server.agency("Agence Fusion").await?;
    let a = server.enroll(&agency, "A").await?;
    let b = server.enroll(&agency, "B").await?;
    let token = &agency.admin_token;

    // A registers Awa at t=100; B (offline) edits her bio at t=300 and her first name at t=200; A edits the first
    // name again at t=250. B's push arrives first.
    b.push(
        &server,
        vec![
            b.change(1, 300, "talents", "awa", "upsert", json!({"bio": "Danseuse"})),
            b.change(2, 200, "talents", "awa", "upsert", json!({"first_name": "Awa B."})),
        ],
    )
    .await?;
    a.push(
        &server,
        vec![
            a.change(1, 100, "talents", "awa", "upsert", talent_fields("SNF0001DAK", "Awa", "Diop")),
            a.change(2, 250, "talents", "awa", "upsert", json!({"first_name": "Aïssatou"})),
            a.change(3, 110, "talents", "moussa", "upsert", talent_fields("SNM0002DAK", "Moussa", "Traoré")),
        ],
    )
    .await?;
    let awa = server.call(Method::GET, "/api/v1/talents/SNF0001DAK", Some(token), None).await?;
    assert_eq!(awa.status, StatusCode::OK, "{awa:?}");
    assert_eq!(awa.body["first_name"], "Aïssatou", "the latest edit of a field wins, whatever the arrival order");
    assert_eq!(awa.body["bio"], "Danseuse", "an edit of another field by another laptop survives");
    assert_eq!(awa.body["last_name"], "Diop");
    assert_eq!(awa.body["id"], "awa");

    // B erases Moussa; then A, which had not heard of it, edits him with a later clock.
    b.push(&server, vec![b.change(3, 400, "talents", "moussa", "delete", json!({"erased_at": "2026-11-30"}))]).await?;
    a.push(&server, vec![a.change(4, 500, "talents", "moussa", "upsert", json!({"first_name": "Moussa"}))]).await?;
    let gone = server.call(Method::GET, "/api/v1/talents/SNM0002DAK", Some(token), None).await?;
    assert_eq!(gone.status, StatusCode::NOT_FOUND, "an erased talent stays erased: {gone:?}");
    let client = server.pool.get().await?;
    let row = client
        .query_one("SELECT fields, deleted FROM records WHERE table_name = 'talents' AND row_id = 'moussa'", &[])
        .await?;
    assert!(row.get::<_, bool>(1), "the row is a tombstone");
    assert_eq!(row.get::<_, Value>(0), json!({"erased_at": "2026-11-30"}), "no personal data survives the erasure");

    // Two laptops scan the same badge: both events are kept; a delete of an event is ignored.
    a.push(&server, vec![a.change(5, 600, "scan_events", "scan-a", "upsert", json!({"talent": "awa", "kind": "in"}))])
        .await?;
    b.push(
        &server,
        vec![
            b.change(4, 601, "scan_events", "scan-b", "upsert", json!({"talent": "awa", "kind": "in"})),
            b.change(5, 700, "scan_events", "scan-a", "delete", json!({})),
        ],
    )
    .await?;
    // Opaque key entries are stored like any row.
    a.push(&server, vec![a.change(6, 800, "key_entries", "user-1", "upsert", json!({"wrapped": "b64…"}))]).await?;
    let scans: i64 = client
        .query_one("SELECT count(*) FROM records WHERE table_name = 'scan_events' AND NOT deleted", &[])
        .await?
        .get(0);
    assert_eq!(scans, 2, "presence is a union: no scan is merged away");
    let key: Value = client
        .query_one("SELECT fields FROM records WHERE table_name = 'key_entries' AND row_id = 'user-1'", &[])
        .await?
        .get(0);
    assert_eq!(key, json!({"wrapped": "b64…"}));
    let stats = server.call(Method::GET, "/api/v1/stats", Some(token), None).await?;
    assert_eq!((stats.body["talents"].clone(), stats.body["talents_erased"].clone()), (json!(1), json!(1)));
    assert_eq!(stats.body["scan_events"], 2);
    server.stop().await
}

#[tokio::test]
async fn login_logout_and_lockout() -> Result<()> {
    let server = TestServer::start().await?;
    let agency = server.agency("Agence Connexion").await?;
    let user = server.user(agency.id, "recruiter", "awa@connexion.sn").await?;

    let login = |password: &str| {
        server.call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"email": "AWA@connexion.sn", "password": password})),
        )
    };
    let ok = login(support::PASSWORD).await?;
    assert_eq!(ok.status, StatusCode::OK, "e-mails match in any case: {ok:?}");
    assert_eq!(ok.body["user"]["id"], json!(user.id));
    assert_eq!(ok.body["user"]["role"], "recruiter");
    let token = ok.body["token"].as_str().context("token")?.to_owned();
    let me = server.call(Method::GET, &format!("/api/v1/users/{}", user.id), Some(&token), None).await?;
    assert_eq!(me.status, StatusCode::OK, "one's own account is visible to any role: {me:?}");
    assert!(me.body.get("password_hash").is_none(), "the hash never leaves the server");

    let logout = server.call(Method::POST, "/api/v1/auth/logout", Some(&token), None).await?;
    assert_eq!(logout.status, StatusCode::NO_CONTENT);
    let after = server.call(Method::GET, &format!("/api/v1/users/{}", user.id), Some(&token), None).await?;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED, "a logged-out token is dead");

    let unknown = server
        .call(Method::POST, "/api/v1/auth/login", None, Some(json!({"email": "nobody@x.sn", "password": "x"})))
        .await?;
    assert_eq!(unknown.code(), "unauthorized", "unknown e-mails look like wrong passwords");
    for attempt in 1..=5 {
        let wrong = login("wrong password").await?;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED, "attempt {attempt} is refused: {wrong:?}");
    }
    let locked = login(support::PASSWORD).await?;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS, "five failures lock the account: {locked:?}");
    assert_eq!(locked.code(), "account_locked");
    assert!(locked.headers.contains_key("retry-after"), "the client is told when to retry");
    server.stop().await
}

#[tokio::test]
async fn users_are_listed_and_created_by_administrators_only() -> Result<()> {
    let server = TestServer::start().await?;
    let agency = server.agency("Agence Comptes").await?;
    let admin_token = &agency.admin_token;
    let presence = server.user(agency.id, "presence", "gate@comptes.sn").await?;
    let presence_token = server.login(&presence.email).await?;

    let new =
        json!({"name": "Fatou Sow", "email": "fatou@comptes.sn", "role": "recruiter", "password": support::PASSWORD});
    let created = server.call(Method::POST, "/api/v1/users", Some(admin_token), Some(new.clone())).await?;
    assert_eq!(created.status, StatusCode::CREATED, "{created:?}");
    assert_eq!(created.body["email"], "fatou@comptes.sn");
    let duplicate = server.call(Method::POST, "/api/v1/users", Some(admin_token), Some(new)).await?;
    assert_eq!(duplicate.status, StatusCode::CONFLICT, "an e-mail is taken once: {duplicate:?}");
    let weak = json!({"name": "Ibou", "email": "ibou@comptes.sn", "role": "recruiter", "password": "password"});
    let weak = server.call(Method::POST, "/api/v1/users", Some(admin_token), Some(weak)).await?;
    assert_eq!((weak.status, weak.code()), (StatusCode::UNPROCESSABLE_ENTITY, "invalid_request"), "{weak:?}");
    let bad_role = json!({"name": "Ibou", "email": "ibou@comptes.sn", "role": "boss", "password": support::PASSWORD});
    let bad_role = server.call(Method::POST, "/api/v1/users", Some(admin_token), Some(bad_role)).await?;
    assert_eq!(bad_role.status, StatusCode::UNPROCESSABLE_ENTITY);
    let refused = server
        .call(
            Method::POST,
            "/api/v1/users",
            Some(&presence_token),
            Some(json!({"name": "X", "email": "x@y.sn", "role": "admin", "password": support::PASSWORD})),
        )
        .await?;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "a presence officer creates no account");

    for i in 0..4 {
        server.user(agency.id, "talent", &format!("talent{i}@comptes.sn")).await?;
    }
    let page1 = server.call(Method::GET, "/api/v1/users?page=1&per_page=3", Some(admin_token), None).await?;
    let page3 = server.call(Method::GET, "/api/v1/users?page=3&per_page=3", Some(admin_token), None).await?;
    assert_eq!(page1.body["total"], 7, "admin + presence + created + 4 talents: {page1:?}");
    assert_eq!(page1.body["items"].as_array().map(Vec::len), Some(3));
    assert_eq!(page3.body["items"].as_array().map(Vec::len), Some(1), "the last page holds the rest");
    let bad_page = server.call(Method::GET, "/api/v1/users?per_page=1000", Some(admin_token), None).await?;
    assert_eq!(bad_page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let listed = server.call(Method::GET, "/api/v1/users", Some(&presence_token), None).await?;
    assert_eq!(listed.status, StatusCode::FORBIDDEN, "only those who manage users list them");
    let someone = created.body["id"].as_str().context("id")?;
    let other = server.call(Method::GET, &format!("/api/v1/users/{someone}"), Some(&presence_token), None).await?;
    assert_eq!(other.status, StatusCode::FORBIDDEN, "nor see another's account");
    let seen = server.call(Method::GET, &format!("/api/v1/users/{someone}"), Some(admin_token), None).await?;
    assert_eq!(seen.body["name"], "Fatou Sow");
    let outsider = server.agency("Agence Étrangère").await?;
    let foreign =
        server.call(Method::GET, &format!("/api/v1/users/{someone}"), Some(&outsider.admin_token), None).await?;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND, "agencies do not see each other's accounts");
    server.stop().await
}

#[tokio::test]
async fn talents_are_filtered_paginated_and_role_checked() -> Result<()> {
    let server = TestServer::start().await?;
    let agency = server.agency("Agence Talents").await?;
    let laptop = server.enroll(&agency, "A").await?;
    let mut changes = Vec::new();
    for i in 1..=12u64 {
        let mut fields = talent_fields(&format!("SNF{i:04}DAK"), &format!("Awa{i}"), "Diop");
        if i % 3 == 0 {
            fields["kind"] = json!("cinema");
            fields["residence_city"] = json!("THS");
            fields["gender"] = json!("M");
        }
        changes.push(laptop.change(i, i, "talents", &format!("t{i}"), "upsert", fields));
    }
    laptop.push(&server, changes).await?;
    let recruiter = server.user(agency.id, "recruiter", "rec@talents.sn").await?;
    let recruiter_token = server.login(&recruiter.email).await?;
    let presence = server.user(agency.id, "presence", "gate@talents.sn").await?;
    let presence_token = server.login(&presence.email).await?;

    let get = |query: &str, token: &str| {
        let (path, token) = (format!("/api/v1/talents{query}"), token.to_owned());
        let server = &server;
        async move { server.call(Method::GET, &path, Some(&token), None).await }
    };
    let all = get("?per_page=5", &recruiter_token).await?;
    assert_eq!(all.body["total"], 12, "{all:?}");
    assert_eq!(all.body["items"].as_array().map(Vec::len), Some(5));
    assert_eq!(all.body["items"][0]["code"], "SNF0001DAK", "sorted by code");
    assert_eq!(all.body["items"][0]["email"], "awa1@example.sn", "recruiters see contact details");
    let last = get("?per_page=5&page=3", &recruiter_token).await?;
    assert_eq!(last.body["items"].as_array().map(Vec::len), Some(2));
    assert_eq!(get("?kind=cinema", &recruiter_token).await?.body["total"], 4);
    assert_eq!(get("?city=ths&gender=M", &recruiter_token).await?.body["total"], 4, "filters ignore case");
    assert_eq!(get("?country=SN&kind=general", &recruiter_token).await?.body["total"], 8);
    assert_eq!(get("?country=CI", &recruiter_token).await?.body["total"], 0);
    assert_eq!(get("?q=awa1", &recruiter_token).await?.body["total"], 4, "Awa1, Awa10, Awa11, Awa12");
    assert_eq!(get("?q=SNF0007", &recruiter_token).await?.body["total"], 1, "codes are searchable");
    assert_eq!(get("?q=awa7%20diop", &recruiter_token).await?.body["total"], 1, "full names are searchable");
    assert_eq!(get("?q=%25", &recruiter_token).await?.body["total"], 0, "a % is a character, not a wildcard");

    let refused = get("", &presence_token).await?;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "presence officers do not browse profiles: {refused:?}");
    let one = server.call(Method::GET, "/api/v1/talents/snf0002dak", Some(&presence_token), None).await?;
    assert_eq!(one.status, StatusCode::FORBIDDEN);
    let one = server.call(Method::GET, "/api/v1/talents/snf0002dak", Some(&recruiter_token), None).await?;
    assert_eq!(one.body["first_name"], "Awa2", "codes match in any case: {one:?}");
    let stats = server.call(Method::GET, "/api/v1/stats", Some(&presence_token), None).await?;
    assert_eq!(stats.status, StatusCode::FORBIDDEN);
    let stats = server.call(Method::GET, "/api/v1/stats", Some(&recruiter_token), None).await?;
    assert_eq!((stats.body["talents_general"].clone(), stats.body["talents_cinema"].clone()), (json!(8), json!(4)));
    assert_eq!((stats.body["devices"].clone(), stats.body["users"].clone()), (json!(1), json!(3)));
    server.stop().await
}

#[tokio::test]
async fn reference_lists_are_loaded_once_and_served_to_every_role() -> Result<()> {
    let server = TestServer::start().await?;
    let agency = server.agency("Agence Référence").await?;
    let talent = server.user(agency.id, "talent", "star@reference.sn").await?;
    let token = server.login(&talent.email).await?;
    // Migrating again (a second instance starting) loads nothing twice.
    talento_server::db::migrate(&server.pool).await?;

    let countries = server.call(Method::GET, "/api/v1/countries?per_page=200", Some(&token), None).await?;
    assert_eq!(countries.status, StatusCode::OK, "every role reads reference data: {countries:?}");
    assert_eq!(countries.body["total"], 194);
    assert_eq!(countries.body["items"][0]["iso2"], "AF", "in the seed's order");
    let page = server.call(Method::GET, "/api/v1/countries?page=4&per_page=50", Some(&token), None).await?;
    assert_eq!(page.body["items"].as_array().map(Vec::len), Some(44));
    let all_cities = server.call(Method::GET, "/api/v1/cities?per_page=1", Some(&token), None).await?;
    assert_eq!(all_cities.body["total"], 2030);
    let senegal = server.call(Method::GET, "/api/v1/cities?country=sn&per_page=200", Some(&token), None).await?;
    let codes: BTreeSet<&str> = senegal.body["items"]
        .as_array()
        .map(|items| items.iter().filter_map(|c| c["code"].as_str()).collect())
        .unwrap_or_default();
    assert!(codes.contains("DAK") && codes.contains("VNL"), "Dakar and the unlisted-city row: {codes:?}");
    assert!(senegal.body["items"].as_array().is_some_and(|i| i.iter().all(|c| c["country_iso2"] == "SN")));
    server.stop().await
}

#[tokio::test]
async fn every_protected_endpoint_refuses_missing_or_invalid_tokens() -> Result<()> {
    let server = TestServer::start().await?;
    let user_routes = [
        (Method::POST, "/api/v1/auth/logout"),
        (Method::GET, "/api/v1/users"),
        (Method::POST, "/api/v1/users"),
        (Method::GET, "/api/v1/users/0190f3a2-7c1e-7000-8000-000000000001"),
        (Method::GET, "/api/v1/talents"),
        (Method::GET, "/api/v1/talents/SNF0001DAK"),
        (Method::GET, "/api/v1/countries"),
        (Method::GET, "/api/v1/cities"),
        (Method::GET, "/api/v1/stats"),
        (Method::POST, "/sync/v1/devices/0190f3a2-7c1e-7000-8000-000000000001/revoke"),
    ];
    let device_routes = [
        (Method::POST, "/sync/v1/push"),
        (Method::GET, "/sync/v1/status"),
        (Method::GET, "/sync/v1/pull"),
        (Method::POST, "/sync/v1/leases"),
    ];
    for (method, path) in user_routes.iter().chain(device_routes.iter()) {
        for token in [None, Some("invalid-token")] {
            let reply = server.sync(method.clone(), path, token, Some(json!({}))).await?;
            assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{method} {path} with {token:?}: {reply:?}");
            assert_eq!(reply.code(), "unauthorized");
        }
    }
    // A device credential is not a login token, nor the reverse.
    let agency = server.agency("Agence Jetons").await?;
    let laptop = server.enroll(&agency, "A").await?;
    let as_user = server.call(Method::GET, "/api/v1/stats", Some(&laptop.credential), None).await?;
    assert_eq!(as_user.status, StatusCode::UNAUTHORIZED);
    let as_device = server.sync(Method::GET, "/sync/v1/status", Some(&agency.admin_token), None).await?;
    assert_eq!(as_device.status, StatusCode::UNAUTHORIZED);
    server.stop().await
}

#[tokio::test]
async fn the_openapi_document_lists_every_route_and_each_one_answers() -> Result<()> {
    let server = TestServer::start().await?;
    let agency = server.agency("Agence OpenAPI").await?;
    let reply = server.call(Method::GET, "/api/v1/openapi.json", None, None).await?;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["openapi"], "3.1.0");
    let paths = reply.body["paths"].as_object().context("paths")?;
    let documented: BTreeSet<(String, String)> = paths
        .iter()
        .flat_map(|(path, item)| {
            item.as_object().into_iter().flat_map(move |ops| ops.keys().map(move |m| (m.clone(), path.clone())))
        })
        .collect();
    let expected: BTreeSet<(String, String)> = [
        ("get", "/health"),
        ("post", "/sync/v1/enroll"),
        ("post", "/sync/v1/push"),
        ("get", "/sync/v1/status"),
        ("get", "/sync/v1/pull"),
        ("post", "/sync/v1/leases"),
        ("get", "/sync/v1/attachments/{hash}"),
        ("put", "/sync/v1/attachments/{hash}"),
        ("get", "/sync/v1/attachments/{hash}/upload"),
        ("post", "/sync/v1/devices/{id}/revoke"),
        ("post", "/api/v1/auth/login"),
        ("post", "/api/v1/auth/logout"),
        ("get", "/api/v1/users"),
        ("post", "/api/v1/users"),
        ("get", "/api/v1/users/{id}"),
        ("get", "/api/v1/devices"),
        ("get", "/api/v1/talents"),
        ("get", "/api/v1/talents/{code}"),
        ("get", "/api/v1/countries"),
        ("get", "/api/v1/cities"),
        ("get", "/api/v1/stats"),
        ("get", "/api/v1/openapi.json"),
    ]
    .iter()
    .map(|(m, p)| ((*m).to_owned(), (*p).to_owned()))
    .collect();
    assert_eq!(documented, expected, "the document lists exactly the routes of issue 6");
    // Every documented route is really routed: the router's own 404/405 have no JSON body.
    for (method, path) in &documented {
        let concrete = path.replace("{id}", &Uuid::now_v7().to_string()).replace("{code}", "SNF0001DAK");
        let method = Method::from_bytes(method.to_uppercase().as_bytes())?;
        let reply = server.sync(method.clone(), &concrete, Some(&agency.admin_token), Some(json!({}))).await?;
        assert_ne!(reply.status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path} must be routed");
        assert!(
            reply.status != StatusCode::NOT_FOUND || reply.code() == "not_found",
            "{method} {path} must be routed: {reply:?}"
        );
    }
    // Responses are gzip-compressed for clients that accept it.
    let gz = server.raw(Method::GET, "/api/v1/openapi.json", &[("accept-encoding", "gzip")], Vec::new()).await?;
    assert_eq!(gz.headers.get("content-encoding").and_then(|v| v.to_str().ok()), Some("gzip"));
    server.stop().await
}

#[tokio::test]
async fn a_full_batch_goes_through_and_oversized_requests_are_refused() -> Result<()> {
    let server = TestServer::start().await?;
    let agency = server.agency("Agence Lots").await?;
    let laptop = server.enroll(&agency, "A").await?;
    let batch: Vec<Value> = (1..=talento_protocol::sync::MAX_BATCH as u64)
        .map(|s| {
            laptop.change(
                s,
                s,
                "talents",
                &format!("t{s}"),
                "upsert",
                talent_fields(&format!("SNF{s:04}DAK"), "Awa", "Diop"),
            )
        })
        .collect();
    let started = std::time::Instant::now();
    let reply = laptop.push(&server, batch).await?;
    let took = started.elapsed();
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.status);
    assert_eq!(reply.body["contiguous_seq"], 1000, "a full batch is accepted in one push");
    assert!(took < std::time::Duration::from_secs(10), "1,000 changes must not take {took:?} (target: 2 s in release)");
    eprintln!("push of 1,000 changes: {took:?}");

    let too_many: Vec<Value> =
        (1001..=2001).map(|s| laptop.change(s, s, "talents", "t", "upsert", json!({}))).collect();
    let refused = laptop.push(&server, too_many).await?;
    assert_eq!((refused.status, refused.code()), (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"), "{refused:?}");
    let status = laptop.status(&server).await?;
    assert_eq!(status.body["contiguous_seq"], 1000, "a refused batch stores nothing");
    let url = server.database_url.clone();
    server.stop().await?;

    let small =
        TestServer::with_limits(&url, talento_server::Limits { max_body_bytes: 4096, ..Default::default() }).await?;
    let big = laptop
        .push(&small, vec![laptop.change(1001, 1001, "talents", "t", "upsert", json!({"bio": "x".repeat(5000)}))])
        .await?;
    assert_eq!((big.status, big.code()), (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"), "{big:?}");
    small.stop().await
}

/// A small deterministic random source, so a failing interleaving can be replayed from its seed.
struct Dice(u64);

impl Dice {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

#[tokio::test]
async fn random_push_orders_with_holes_duplicates_and_a_restart_converge_to_the_merge_rule() -> Result<()> {
    use std::collections::BTreeMap;
    use talento_protocol::{Change, RecordState, merge};

    let mut server = TestServer::start().await?;
    let agency = server.agency("Agence Hasard").await?;
    let mut laptops = Vec::new();
    for name in ["A", "B", "C"] {
        laptops.push(server.enroll(&agency, name).await?);
    }
    let seed = 0x5eed_u64 + u64::from(std::process::id() % 1000);
    let mut dice = Dice(seed);
    // Each laptop's log: edits of 4 shared profiles (some erasures), and scans.
    let mut logs: Vec<Vec<Value>> = Vec::new();
    for (n, laptop) in laptops.iter().enumerate() {
        let log = (1..=40u64)
            .map(|seq| {
                let millis = seq * 10 + n as u64 * 3 + dice.below(3);
                match dice.below(10) {
                    0 => laptop.change(
                        seq,
                        millis,
                        "talents",
                        &format!("p{}", dice.below(4)),
                        "delete",
                        json!({"erased_at": millis}),
                    ),
                    1 | 2 => laptop.change(
                        seq,
                        millis,
                        "scan_events",
                        &format!("scan-{n}-{seq}"),
                        "upsert",
                        json!({"talent": "p0"}),
                    ),
                    _ => {
                        let field = ["first_name", "bio", "city"][dice.below(3) as usize];
                        laptop.change(
                            seq,
                            millis,
                            "talents",
                            &format!("p{}", dice.below(4)),
                            "upsert",
                            json!({ field: dice.below(5) }),
                        )
                    }
                }
            })
            .collect();
        logs.push(log);
    }

    let mut acknowledged = [0u64; 3];
    let mut pushes = 0;
    let mut restarted = false;
    while acknowledged.iter().zip(&logs).any(|(a, log)| (*a as usize) < log.len()) {
        let n = dice.below(3) as usize;
        let from = acknowledged[n] as usize;
        if from == logs[n].len() {
            continue;
        }
        let take = 1 + dice.below(12) as usize;
        let mut batch: Vec<Value> = logs[n][from..(from + take).min(logs[n].len())]
            .iter()
            .filter(|_| dice.below(5) != 0) // dropped on the way
            .cloned()
            .collect();
        if from > 0 && dice.below(3) == 0 {
            batch.push(logs[n][dice.below(from as u64) as usize].clone()); // an old change again
        }
        for i in (1..batch.len()).rev() {
            batch.swap(i, dice.below(i as u64 + 1) as usize);
        }
        let reply = laptops[n].push(&server, batch).await?;
        assert_eq!(reply.status, StatusCode::OK, "seed {seed}: {reply:?}");
        acknowledged[n] = reply.body["contiguous_seq"].as_u64().context("contiguous")?;
        pushes += 1;
        if pushes == 15 && !restarted {
            let url = server.database_url.clone();
            server.stop().await?;
            server = TestServer::on(&url).await?;
            restarted = true;
        }
    }

    // What the merge rule says the agency's rows are.
    let mut expected: BTreeMap<(String, String), RecordState> = BTreeMap::new();
    for change in logs.iter().flatten() {
        let change: Change = serde_json::from_value(change.clone())?;
        merge(expected.entry((change.table.clone(), change.row_id.clone())).or_default(), &change);
    }
    let client = server.pool.get().await?;
    let mut stored: BTreeMap<(String, String), RecordState> = BTreeMap::new();
    // The administrator made on the server is a record too, outside the laptops' logs.
    let sql = "SELECT table_name, row_id, fields, field_hlc, deleted FROM records WHERE table_name <> 'users'";
    for row in client.query(sql, &[]).await? {
        let state = RecordState {
            fields: serde_json::from_value(row.get(2))?,
            field_hlc: serde_json::from_value(row.get(3))?,
            deleted: row.get(4),
        };
        stored.insert((row.get(0), row.get(1)), state);
    }
    stored.retain(|_, s| *s != RecordState::default());
    expected.retain(|_, s| *s != RecordState::default());
    assert_eq!(stored, expected, "seed {seed}: the server's rows are exactly what the merge rule gives");

    // Each laptop, merging its own log with everything it pulls, ends on the same rows.
    for (n, laptop) in laptops.iter().enumerate() {
        let (pulled, _) = laptop.pull_all(&server, 0, 25).await?;
        let pulled: Vec<Value> = pulled.into_iter().filter(|c| c["table"] != "users").collect();
        assert_eq!(pulled.len(), logs.iter().enumerate().filter(|(m, _)| *m != n).map(|(_, l)| l.len()).sum::<usize>());
        let mut local: BTreeMap<(String, String), RecordState> = BTreeMap::new();
        for change in logs[n].iter().chain(pulled.iter()) {
            let change: Change = serde_json::from_value(change.clone())?;
            merge(local.entry((change.table.clone(), change.row_id.clone())).or_default(), &change);
        }
        local.retain(|_, s| *s != RecordState::default());
        assert_eq!(local, expected, "seed {seed}: laptop {n} converges with the server");
    }
    server.stop().await
}

#[tokio::test]
async fn fifty_laptops_pushing_at_once_all_succeed() -> Result<()> {
    let server = std::sync::Arc::new(TestServer::start().await?);
    let agency = server.agency("Agence Cinquante").await?;
    let mut tasks = Vec::new();
    for n in 0..50 {
        let laptop = server.enroll(&agency, &format!("Portable {n}")).await?;
        let server = server.clone();
        tasks.push(tokio::spawn(async move {
            let changes: Vec<Value> = (1..=100u64)
                .map(|s| laptop.change(s, s, "talents", &format!("{n}-{s}"), "upsert", json!({"n": s})))
                .collect();
            let started = std::time::Instant::now();
            let reply = laptop.push(&server, changes).await?;
            anyhow::Ok((reply, started.elapsed()))
        }));
    }
    let mut times = Vec::new();
    for task in tasks {
        let (reply, took) = task.await??;
        assert_eq!(reply.status, StatusCode::OK, "no laptop is refused under load: {reply:?}");
        assert_eq!(reply.body["contiguous_seq"], 100);
        times.push(took);
    }
    times.sort();
    eprintln!("50 laptops x 100 changes at once: p50 {:?}, p95 {:?}", times[25], times[47]);
    let client = server.pool.get().await?;
    // Beside the administrator made on the server.
    let held: i64 = client.query_one("SELECT count(*) FROM changes WHERE table_name <> 'users'", &[]).await?.get(0);
    assert_eq!(held, 5000);
    drop(client);
    std::sync::Arc::try_unwrap(server).map_err(|_| anyhow::anyhow!("the server is still shared"))?.stop().await
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// An attachment request of `laptop`: raw bytes in, the reply out (its body as text: test files are ASCII).
async fn file_request(
    server: &TestServer,
    laptop: &Laptop,
    method: Method,
    path: &str,
    extra: Option<(&str, &str)>,
    body: Vec<u8>,
) -> Result<support::Reply> {
    let auth = format!("Bearer {}", laptop.credential);
    let version = talento_protocol::PROTOCOL_VERSION.to_string();
    let mut headers = vec![
        (PROTOCOL_HEADER, version.as_str()),
        ("authorization", auth.as_str()),
        ("content-type", "application/octet-stream"),
    ];
    headers.extend(extra);
    server.raw(method, path, &headers, body).await
}

async fn put_chunk(
    server: &TestServer,
    laptop: &Laptop,
    hash: &str,
    offset: usize,
    total: usize,
    chunk: &[u8],
) -> Result<support::Reply> {
    let path = format!("/sync/v1/attachments/{hash}?offset={offset}&total={total}");
    file_request(server, laptop, Method::PUT, &path, None, chunk.to_vec()).await
}

#[tokio::test]
async fn attachments_upload_in_resumable_chunks_checked_by_hash_and_stay_within_their_agency() -> Result<()> {
    use talento_protocol::{MAX_ATTACHMENT_BYTES, MAX_CHUNK_BYTES};
    let server = TestServer::start().await?;
    let agency = server.agency("Agence Fichiers").await?;
    let (a, b) = (server.enroll(&agency, "A").await?, server.enroll(&agency, "B").await?);
    let stranger = server.enroll(&server.agency("Agence Voisine").await?, "X").await?;
    let file: Vec<u8> = (0..MAX_CHUNK_BYTES + 300_000).map(|i| b'a' + (i % 26) as u8).collect();
    let hash = sha256_hex(&file);
    let path = format!("/sync/v1/attachments/{hash}");
    let upload = format!("{path}/upload");

    let status = file_request(&server, &a, Method::GET, &upload, None, Vec::new()).await?;
    assert_eq!((status.body["received"].as_u64(), status.body["complete"].as_bool()), (Some(0), Some(false)));
    let first = put_chunk(&server, &a, &hash, 0, file.len(), &file[..MAX_CHUNK_BYTES]).await?;
    assert_eq!(first.status, StatusCode::OK, "a first chunk is kept: {first:?}");
    assert_eq!(first.body["received"].as_u64(), Some(MAX_CHUNK_BYTES as u64));
    let early = file_request(&server, &b, Method::GET, &path, None, Vec::new()).await?;
    assert_eq!(early.code(), "not_found", "half a file is never served: {:?}", early.status);

    // The connection dropped: any laptop of the agency asks where the upload stands and goes on from there.
    let status = file_request(&server, &b, Method::GET, &upload, None, Vec::new()).await?;
    assert_eq!(status.body["received"].as_u64(), Some(MAX_CHUNK_BYTES as u64), "the server kept the first chunk");
    let restart = put_chunk(&server, &b, &hash, 0, file.len(), &file[..MAX_CHUNK_BYTES]).await?;
    assert_eq!(restart.status, StatusCode::CONFLICT, "a chunk must start where the server stands: {restart:?}");
    let oversized = vec![b'a'; MAX_CHUNK_BYTES + 1];
    let too_big = put_chunk(&server, &b, &hash, MAX_CHUNK_BYTES, file.len() * 2, &oversized).await?;
    assert_eq!(too_big.status, StatusCode::PAYLOAD_TOO_LARGE, "at most 1 MiB per chunk: {too_big:?}");
    let huge = put_chunk(&server, &b, &sha256_hex(b"huge"), 0, MAX_ATTACHMENT_BYTES as usize + 1, b"huge").await?;
    assert_eq!(huge.status, StatusCode::PAYLOAD_TOO_LARGE, "no file above the attachment limit: {huge:?}");
    let rest = put_chunk(&server, &b, &hash, MAX_CHUNK_BYTES, file.len(), &file[MAX_CHUNK_BYTES..]).await?;
    assert_eq!(rest.body["complete"].as_bool(), Some(true), "the whole file matched its hash: {rest:?}");
    let again = put_chunk(&server, &a, &hash, 0, file.len(), &file[..10]).await?;
    assert_eq!(again.body["complete"].as_bool(), Some(true), "a resend of a held file is harmless: {again:?}");

    let head = file_request(&server, &a, Method::HEAD, &path, None, Vec::new()).await?;
    let length = head.headers.get("content-length").and_then(|v| v.to_str().ok()).map(str::to_owned);
    assert_eq!((head.status, length), (StatusCode::OK, Some(file.len().to_string())), "HEAD tells the size only");
    let whole = file_request(&server, &a, Method::GET, &path, None, Vec::new()).await?;
    assert_eq!(whole.status, StatusCode::OK);
    assert!(whole.body.as_str() == std::str::from_utf8(&file).ok(), "the file comes back byte for byte");
    let tail = file_request(&server, &a, Method::GET, &path, Some(("range", "bytes=1048576-")), Vec::new()).await?;
    assert_eq!(tail.status, StatusCode::PARTIAL_CONTENT, "a download resumes with Range: {:?}", tail.headers);
    let range = tail.headers.get("content-range").and_then(|v| v.to_str().ok());
    assert_eq!(range, Some(format!("bytes {MAX_CHUNK_BYTES}-{}/{}", file.len() - 1, file.len()).as_str()));
    assert!(tail.body.as_str() == std::str::from_utf8(&file[MAX_CHUNK_BYTES..]).ok(), "the rest of the file");

    let foreign = file_request(&server, &stranger, Method::GET, &path, None, Vec::new()).await?;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND, "another agency's device never gets the file");
    let foreign = file_request(&server, &stranger, Method::GET, &upload, None, Vec::new()).await?;
    assert_eq!(foreign.body["received"].as_u64(), Some(0), "nor learns that it exists");

    // A file whose bytes are not what its name says is dropped, whole.
    let claimed = sha256_hex(b"the real CV");
    let corrupt = put_chunk(&server, &a, &claimed, 0, 11, b"a forged CV").await?;
    assert_eq!(corrupt.status, StatusCode::UNPROCESSABLE_ENTITY, "content and hash disagree: {corrupt:?}");
    assert_eq!(corrupt.code(), "invalid_request");
    let kept: i64 = server
        .pool
        .get()
        .await?
        .query_one("SELECT count(*) FROM attachments WHERE hash = $1", &[&claimed])
        .await?
        .get(0);
    assert_eq!(kept, 0, "nothing of a refused upload is stored");
    let missing = format!("/sync/v1/attachments/{claimed}");
    let missing = file_request(&server, &a, Method::GET, &missing, None, Vec::new()).await?;
    assert_eq!(missing.status, StatusCode::NOT_FOUND, "a refused upload is not served");

    // Names that are not hashes never reach the database, let alone a path.
    for bad in ["..%2F..%2Fetc%2Fpasswd", "..", &hash.to_uppercase(), &hash[..63], &format!("{hash}0")] {
        for method in [Method::GET, Method::PUT] {
            let reply = file_request(
                &server,
                &a,
                method.clone(),
                &format!("/sync/v1/attachments/{bad}?offset=0&total=4"),
                None,
                b"evil".to_vec(),
            )
            .await?;
            assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{method} {bad:?} is not a hash: {reply:?}");
        }
    }
    server.stop().await
}

#[tokio::test]
async fn an_account_made_on_the_server_reaches_every_laptop_with_its_key_wrap() -> Result<()> {
    use base64::Engine as _;
    use talento_domain::keywrap::AgencyKeyWrap;

    let server = TestServer::start().await?;
    let agency = server.agency("Agence Partout").await?;
    let token = admin::create_enrollment_token(&server.pool, agency.id, 1).await?;
    let device = Uuid::now_v7();
    let body = json!({ "token": token, "device_id": device, "database_id": Uuid::now_v7(), "device_name": "A" });
    let enrolled = server.sync(Method::POST, "/sync/v1/enroll", None, Some(body)).await?;
    let agency_key = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(enrolled.body["agency_key"].as_str().context("enrollment hands over the agency key")?)?;
    assert_eq!(agency_key.len(), 32, "the agency key is 256 bits");
    let laptop =
        Laptop { id: device, credential: enrolled.body["device_credential"].as_str().context("credential")?.into() };
    // Two accounts at once: each gets its own seq of the server device.
    let (rec, gate) = tokio::join!(
        server.user(agency.id, "recruiter", "rec@partout.sn"),
        server.user(agency.id, "presence", "gate@partout.sn")
    );
    let (rec, gate) = (rec?, gate?);

    let (pulled, _) = laptop.pull_all(&server, 0, 100).await?;
    let accounts: Vec<&Value> = pulled.iter().filter(|c| c["table"] == "users").collect();
    assert_eq!(accounts.len(), 3, "the administrator and both accounts travel: {accounts:?}");
    let author = &accounts[0]["device_id"];
    assert!(
        accounts.iter().all(|c| &c["device_id"] == author) && *author != json!(device),
        "the server device made them"
    );
    let mut seqs: Vec<u64> = accounts.iter().filter_map(|c| c["seq"].as_u64()).collect();
    seqs.sort_unstable();
    assert_eq!(seqs, [1, 2, 3], "the server device's log has no hole and no repeat, even under concurrency");
    for (user, prefix) in [(&rec, "REC-"), (&gate, "PRE-")] {
        let change = accounts.iter().find(|c| c["row_id"] == json!(user.id.to_string())).context("its change")?;
        let fields = &change["fields"];
        let code = fields["code"].as_str().unwrap_or_default();
        assert!(code.starts_with(prefix) && code.len() == prefix.len() + 6, "a laptop-compatible code: {code}");
        assert_eq!(
            (&fields["email"], &fields["role"], &fields["active"]),
            (&json!(user.email), &json!(user.role), &json!(true))
        );
        assert!(
            fields["created_at"].as_str().is_some_and(|t| t.ends_with('Z')),
            "dates as laptops write them: {fields}"
        );
        let wrap = AgencyKeyWrap::from_json(fields["key_wrap"].as_str().context("a key wrap")?)?;
        let opened = wrap.open(user.id, support::PASSWORD)?.context("the password opens the wrap")?;
        assert_eq!(opened.as_slice(), agency_key.as_slice(), "and it holds the agency key");
        assert!(wrap.open(user.id, "Autre-mot-de-passe-2026")?.is_none(), "no other password does");
    }
    let status = laptop.status(&server).await?;
    assert_eq!(
        status.body["devices"].as_array().map(Vec::len),
        Some(1),
        "the server device is not a laptop: {status:?}"
    );
    assert!(
        !format!("{:?}", serde_json::from_value::<talento_protocol::EnrollResponse>(enrolled.body)?)
            .contains(&base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&agency_key)),
        "Debug hides the agency key"
    );
    server.login("rec@partout.sn").await?;
    server.stop().await
}
