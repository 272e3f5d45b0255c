//! Test support for sync: the real server over a fresh database of the shared test PostgreSQL
//! ([`talento_server::testing`]: started once per test binary, stopped by a watchdog when this process exits), on a
//! port-0 listener, restartable on the same database, and a small HTTP proxy between the laptops and the
//! server that misbehaves on purpose (duplicated requests, answers lost after the server acted, requests lost
//! before it did) from a seeded random sequence.
//!
//! The laptops' sync client is blocking, so tests keep the async side (PostgreSQL setup, server, proxy) on a
//! runtime of their own ([`Rig`]) and drive the laptops from the test thread.

#![allow(dead_code)]

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use anyhow::{Result, anyhow};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use talento_server::testing::{Running, fresh_database};
use talento_server::{Limits, admin};
use tokio::runtime::Runtime;
use uuid::Uuid;

/// The server on the shared test PostgreSQL ([`talento_server::testing`]).
type Server = Running;

async fn launch(database_url: &str, port: u16) -> Result<Server> {
    Running::launch(database_url, port, Limits { pool_size: 8, ..Limits::default() }).await
}

/// What the proxy does to one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    Pass,
    /// Sent to the server twice; the second answer goes back.
    Duplicate,
    /// The server acts, the answer is lost (the laptop sees a failure).
    LoseAnswer,
    /// Lost before reaching the server.
    LoseRequest,
    /// The server gets the push and acts, then restarts before the laptop hears back.
    RestartAfter,
    /// Passed now, and delivered once more later, after newer requests (a stale retry arriving out of order).
    ReplayLater,
}

/// A request kept to be delivered again later.
#[derive(Clone)]
struct Held {
    method: axum::http::Method,
    uri: axum::http::Uri,
    headers: axum::http::HeaderMap,
    body: Bytes,
}

/// The misbehaving proxy's shared state.
#[derive(Clone)]
struct ProxyState {
    upstream: Arc<Mutex<String>>,
    faults: Arc<Mutex<Faults>>,
    http: Client<HttpConnector, Full<Bytes>>,
    restarts: Arc<Mutex<Option<tokio::sync::mpsc::UnboundedSender<()>>>>,
    counts: Arc<[AtomicU64; 6]>,
    held: Arc<Mutex<Vec<Held>>>,
}

/// A seeded schedule of faults.
pub struct Faults {
    pub seed: u64,
    /// Percent of requests that misbehave; 0 turns the proxy into a plain pipe.
    pub percent: u64,
    /// The next push is answered only after the server restarted.
    pub restart_next_push: bool,
    /// Every request carries this protocol version instead (to provoke a mismatch).
    pub protocol_override: Option<String>,
}

impl Faults {
    fn next(&mut self) -> u64 {
        // xorshift64*: small, seeded, good enough to pick faults.
        self.seed ^= self.seed >> 12;
        self.seed ^= self.seed << 25;
        self.seed ^= self.seed >> 27;
        self.seed.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn pick(&mut self, path: &str) -> Fault {
        if self.restart_next_push && path.starts_with("/sync/v1/push") {
            self.restart_next_push = false;
            return Fault::RestartAfter;
        }
        if self.next() % 100 >= self.percent {
            return Fault::Pass;
        }
        match self.next() % 4 {
            0 => Fault::Duplicate,
            1 => Fault::LoseAnswer,
            2 => Fault::LoseRequest,
            _ => Fault::ReplayLater,
        }
    }
}

/// Headers about one connection, not the message: never copied across the proxy.
const HOP_BY_HOP: [&str; 5] = ["host", "connection", "keep-alive", "transfer-encoding", "content-length"];

async fn forward(state: &ProxyState, parts: &Held, body: &Bytes) -> Result<Response> {
    let upstream = state.upstream.lock().map_err(|_| anyhow!("poisoned"))?.clone();
    let uri = format!("{upstream}{}", parts.uri.path_and_query().map_or("/", |p| p.as_str()));
    let mut request = hyper::Request::builder().method(parts.method.clone()).uri(uri);
    let protocol = state.faults.lock().map_err(|_| anyhow!("poisoned"))?.protocol_override.clone();
    for (name, value) in &parts.headers {
        if HOP_BY_HOP.contains(&name.as_str()) {
            continue;
        }
        if name == talento_protocol::PROTOCOL_HEADER
            && let Some(version) = &protocol
        {
            request = request.header(name, version.as_str());
            continue;
        }
        request = request.header(name, value);
    }
    let response = state.http.request(request.body(Full::new(body.clone()))?).await?;
    let (mut parts, body) = response.into_parts();
    let bytes = body.collect().await?.to_bytes();
    for name in HOP_BY_HOP {
        parts.headers.remove(name);
    }
    Ok(Response::from_parts(parts, Body::from(bytes)))
}

async fn misbehave(State(state): State<ProxyState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let Ok(body) = body.collect().await.map(|b| b.to_bytes()) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let parts = Held { method: parts.method, uri: parts.uri, headers: parts.headers, body: body.clone() };
    // Requests held back earlier arrive now, late and out of order.
    let late: Vec<Held> = state.held.lock().map(|mut h| std::mem::take(&mut *h)).unwrap_or_default();
    for held in late {
        let _ = forward(&state, &held, &held.body).await;
    }
    let fault = match state.faults.lock() {
        Ok(mut faults) => faults.pick(parts.uri.path()),
        Err(_) => Fault::Pass,
    };
    let index = match fault {
        Fault::Pass => 0,
        Fault::Duplicate => 1,
        Fault::LoseAnswer => 2,
        Fault::LoseRequest => 3,
        Fault::RestartAfter => 4,
        Fault::ReplayLater => 5,
    };
    state.counts[index].fetch_add(1, Ordering::SeqCst);
    let lost = || (StatusCode::BAD_GATEWAY, "lost on the way").into_response();
    match fault {
        Fault::LoseRequest => lost(),
        Fault::Pass => forward(&state, &parts, &body).await.unwrap_or_else(|_| lost()),
        Fault::ReplayLater => {
            if let Ok(mut held) = state.held.lock() {
                held.push(parts.clone());
            }
            forward(&state, &parts, &body).await.unwrap_or_else(|_| lost())
        }
        Fault::Duplicate => {
            let _ = forward(&state, &parts, &body).await;
            forward(&state, &parts, &body).await.unwrap_or_else(|_| lost())
        }
        Fault::LoseAnswer => {
            let _ = forward(&state, &parts, &body).await;
            lost()
        }
        Fault::RestartAfter => {
            let _ = forward(&state, &parts, &body).await;
            if let Ok(guard) = state.restarts.lock()
                && let Some(tx) = guard.as_ref()
            {
                let _ = tx.send(());
            }
            lost()
        }
    }
}

/// PostgreSQL, the server, the proxy in front of it, and the runtime they run on.
pub struct Rig {
    pub runtime: Runtime,
    database_url: String,
    server: Option<Server>,
    pub agency_id: Uuid,
    proxy: ProxyState,
    /// What laptops enroll with: the proxy's address.
    pub url: String,
    restarts: tokio::sync::mpsc::UnboundedReceiver<()>,
}

impl Rig {
    pub fn start(seed: u64) -> Result<Rig> {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
        let (database_url, server, agency_id) = runtime.block_on(async {
            let url = fresh_database().await?;
            let server = launch(&url, 0).await?;
            let agency = admin::create_agency(&server.pool, "Agence Kourouma").await?;
            anyhow::Ok((url, server, agency))
        })?;
        let (tx, restarts) = tokio::sync::mpsc::unbounded_channel();
        let proxy = ProxyState {
            upstream: Arc::new(Mutex::new(server.base.clone())),
            faults: Arc::new(Mutex::new(Faults {
                seed: seed.max(1),
                percent: 0,
                restart_next_push: false,
                protocol_override: None,
            })),
            http: Client::builder(TokioExecutor::new()).build_http(),
            restarts: Arc::new(Mutex::new(Some(tx))),
            counts: Arc::new(Default::default()),
            held: Arc::new(Mutex::new(Vec::new())),
        };
        let url = runtime.block_on(async {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
            let url = format!("http://{}", listener.local_addr()?);
            let app = axum::Router::new().fallback(misbehave).with_state(proxy.clone());
            tokio::spawn(async move { axum::serve(listener, app).await });
            anyhow::Ok(url)
        })?;
        Ok(Rig { runtime, database_url, server: Some(server), agency_id, proxy, url, restarts })
    }

    pub fn pool(&self) -> deadpool_postgres::Pool {
        self.server.as_ref().map(|s| s.pool.clone()).unwrap_or_else(|| panic!("the server is stopped"))
    }

    /// The server's own address (no proxy).
    pub fn direct_url(&self) -> String {
        self.server.as_ref().map(|s| s.base.clone()).unwrap_or_default()
    }

    pub fn enrollment_token(&self) -> Result<String> {
        let pool = self.pool();
        Ok(self.runtime.block_on(admin::create_enrollment_token(&pool, self.agency_id, 1))?)
    }

    pub fn set_faults(&self, percent: u64) {
        if let Ok(mut faults) = self.proxy.faults.lock() {
            faults.percent = percent;
        }
    }

    pub fn restart_at_next_push(&self) {
        if let Ok(mut faults) = self.proxy.faults.lock() {
            faults.restart_next_push = true;
        }
    }

    pub fn override_protocol(&self, version: Option<&str>) {
        if let Ok(mut faults) = self.proxy.faults.lock() {
            faults.protocol_override = version.map(str::to_owned);
        }
    }

    /// How many requests met each fault: pass, duplicate, lost answer, lost request, restart, replayed later.
    pub fn fault_counts(&self) -> [u64; 6] {
        std::array::from_fn(|i| self.proxy.counts[i].load(Ordering::SeqCst))
    }

    /// Whether the proxy asked for a restart (a push was delivered and its answer held back); restarts if so.
    pub fn restart_if_asked(&mut self) -> Result<bool> {
        if self.restarts.try_recv().is_err() {
            return Ok(false);
        }
        self.restart(None)?;
        Ok(true)
    }

    /// Stops the server (graceful) and starts a new one on the same database, on `port` (0: any).
    pub fn restart(&mut self, port: Option<u16>) -> Result<()> {
        self.stop()?;
        self.start_again(port)
    }

    pub fn stop(&mut self) -> Result<Option<u16>> {
        let Some(server) = self.server.take() else { return Ok(None) };
        let port = server.port;
        self.runtime.block_on(server.stop())?;
        Ok(Some(port))
    }

    pub fn start_again(&mut self, port: Option<u16>) -> Result<()> {
        let server = self.runtime.block_on(launch(&self.database_url, port.unwrap_or(0)))?;
        if let Ok(mut upstream) = self.proxy.upstream.lock() {
            *upstream = server.base.clone();
        }
        self.server = Some(server);
        Ok(())
    }

    /// The server's materialised rows of a table: row id → (fields, deleted).
    pub fn records(&self, table: &str) -> Result<std::collections::BTreeMap<String, (serde_json::Value, bool)>> {
        let pool = self.pool();
        let agency = self.agency_id;
        let table = table.to_owned();
        self.runtime.block_on(async move {
            let client = pool.get().await?;
            let rows = client
                .query(
                    "SELECT row_id, fields, deleted FROM records WHERE agency_id = $1 AND table_name = $2",
                    &[&agency, &table],
                )
                .await?;
            Ok(rows.into_iter().map(|r| (r.get::<_, String>(0), (r.get(1), r.get(2)))).collect())
        })
    }

    /// Per device: changes stored, highest seq stored, and the contiguous seq the server acknowledges.
    pub fn device_logs(&self) -> Result<Vec<(Uuid, i64, i64, i64)>> {
        let pool = self.pool();
        let agency = self.agency_id;
        self.runtime.block_on(async move {
            let client = pool.get().await?;
            let rows = client
                .query(
                    "SELECT d.id, count(c.seq), coalesce(max(c.seq), 0), d.contiguous_seq FROM devices d
                     LEFT JOIN changes c ON c.device_id = d.id WHERE d.agency_id = $1
                     GROUP BY d.id, d.contiguous_seq ORDER BY d.id",
                    &[&agency],
                )
                .await?;
            Ok(rows.iter().map(|r| (r.get(0), r.get(1), r.get(2), r.get(3))).collect())
        })
    }

    /// Revokes a device on the server.
    pub fn revoke(&self, device_id: &str) -> Result<()> {
        let pool = self.pool();
        let id = Uuid::parse_str(device_id)?;
        self.runtime.block_on(async move {
            let client = pool.get().await?;
            client.execute("UPDATE devices SET revoked_at = now() WHERE id = $1", &[&id]).await?;
            anyhow::Ok(())
        })
    }
}
