//! Test support: a real PostgreSQL cluster started once per test binary on 127.0.0.1 (a free port, a temp dir,
//! fsync off), a fresh database per test, the server launched on a port-0 listener and a small HTTP client.
//!
//! The cluster is stopped (`pg_ctl stop -m fast`) and its directory removed by a watchdog shell started beside it
//! (`setsid`), which waits for this test process to exit, however it exits: a panic or a killed run never leaves a
//! postgres behind. PostgreSQL refuses to run as root, so as root every PostgreSQL command runs as `postgres`.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

use anyhow::{Context, Result, anyhow, bail};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::{Method, StatusCode};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde_json::{Value, json};
use talento_domain::HlcTimestamp;
use talento_protocol::api::NewUser;
use talento_protocol::{PROTOCOL_HEADER, PROTOCOL_VERSION};
use talento_server::{AppState, Limits, admin, db};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use uuid::Uuid;

/// The password every test account gets: passes the password policy.
pub const PASSWORD: &str = "Baobab-sous-la-pluie-42";

/// One PostgreSQL cluster for the whole test binary.
pub struct Cluster {
    pub port: u16,
}

static CLUSTER: OnceLock<Result<Cluster, String>> = OnceLock::new();
static DATABASES: AtomicU32 = AtomicU32::new(0);

/// The cluster, started on first use. Panics with what to do when PostgreSQL is missing.
pub fn cluster() -> &'static Cluster {
    match CLUSTER.get_or_init(|| start_cluster().map_err(|e| format!("{e:#}"))) {
        Ok(cluster) => cluster,
        Err(e) => panic!("cannot start the test PostgreSQL: {e}"),
    }
}

fn bin_dir() -> Result<PathBuf> {
    let has_initdb = |dir: &Path| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file();
    if let Ok(dir) = std::env::var("TALENTO_PG_BINDIR") {
        let dir = PathBuf::from(dir);
        if !has_initdb(&dir) {
            bail!("TALENTO_PG_BINDIR={} holds no initdb and pg_ctl", dir.display());
        }
        return Ok(dir);
    }
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output() {
        let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if has_initdb(&dir) {
            return Ok(dir);
        }
    }
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path().join("bin"))))
        .filter(|(_, dir)| has_initdb(dir))
        .collect();
    found.sort();
    found.pop().map(|(_, dir)| dir).ok_or_else(|| {
        anyhow!(
            "PostgreSQL server binaries (initdb, pg_ctl) not found in `pg_config --bindir` nor \
             /usr/lib/postgresql/*/bin. Run scripts/install-deps.sh test (it installs the `postgresql` package), \
             or set TALENTO_PG_BINDIR."
        )
    })
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// Runs a shell command line, as `postgres` when this process is root.
fn run_pg(line: &str) -> Result<()> {
    let output = if is_root() {
        Command::new("su").args(["postgres", "-s", "/bin/sh", "-c", line]).stdin(Stdio::null()).output()?
    } else {
        Command::new("sh").args(["-c", line]).stdin(Stdio::null()).output()?
    };
    if !output.status.success() {
        bail!(
            "`{line}` failed: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(())
}

fn start_cluster() -> Result<Cluster> {
    let bin = bin_dir()?;
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.subsec_nanos();
    let dir = std::env::temp_dir().join(format!("talento-pg-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    if is_root() {
        let status = Command::new("chown").args(["postgres:", &dir.display().to_string()]).status()?;
        if !status.success() {
            bail!("cannot give {} to the postgres user", dir.display());
        }
    }
    let data = dir.join("data");
    let (bin, d, data) = (bin.display(), dir.display(), data.display());
    run_pg(&format!("'{bin}/initdb' -D '{data}' -U postgres -A trust -E UTF8 --no-sync > '{d}/initdb.log' 2>&1"))
        .with_context(|| format!("initdb (log in {d}/initdb.log)"))?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    run_pg(&format!(
        "'{bin}/pg_ctl' -D '{data}' -l '{d}/server.log' -w -o \"-p {port} -c listen_addresses=127.0.0.1 \
         -c unix_socket_directories='{d}' -c fsync=off -c synchronous_commit=off -c full_page_writes=off\" start \
         > '{d}/pg_ctl.log' 2>&1"
    ))
    .with_context(|| format!("pg_ctl start (log in {d}/server.log)"))?;
    // The watchdog: once this test process is gone, stop the cluster and remove its directory.
    let stop = format!("'{bin}/pg_ctl' -D '{data}' -m fast -w stop");
    let stop = if is_root() { format!("su postgres -s /bin/sh -c \"{stop}\"") } else { stop };
    let watchdog = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 0.2; done; {stop} >/dev/null 2>&1; rm -rf '{d}'",
        pid = std::process::id()
    );
    Command::new("setsid")
        .args(["sh", "-c", &watchdog])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .context("cannot start the watchdog that stops PostgreSQL")?;
    Ok(Cluster { port })
}

/// A new empty database on the cluster; returns its URL.
pub async fn fresh_database() -> Result<String> {
    let port = cluster().port;
    let name = format!("talento_{}_{}", std::process::id(), DATABASES.fetch_add(1, Ordering::SeqCst));
    let (client, connection) = tokio_postgres::connect(
        &format!("host=127.0.0.1 port={port} user=postgres dbname=postgres"),
        tokio_postgres::NoTls,
    )
    .await?;
    let connection = tokio::spawn(connection);
    client.batch_execute(&format!("CREATE DATABASE {name} TEMPLATE template0")).await?;
    drop(client);
    connection.await??;
    Ok(format!("postgres://postgres@127.0.0.1:{port}/{name}"))
}

/// A running server over one database.
pub struct TestServer {
    pub base: String,
    pub database_url: String,
    pub pool: deadpool_postgres::Pool,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
    http: Client<HttpConnector, Full<Bytes>>,
}

/// A response: status, headers and the body (JSON when it is JSON, else a string; `null` when empty).
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: hyper::HeaderMap,
    pub body: Value,
}

impl Reply {
    /// The error code of a `{code, message}` body.
    pub fn code(&self) -> &str {
        self.body.get("code").and_then(Value::as_str).unwrap_or("")
    }
}

impl TestServer {
    /// A fresh database, migrated, and a server on it.
    pub async fn start() -> Result<TestServer> {
        TestServer::on(&fresh_database().await?).await
    }

    /// A server on an existing database (migrated again: migrations are idempotent).
    pub async fn on(database_url: &str) -> Result<TestServer> {
        TestServer::with_limits(database_url, Limits { pool_size: 8, ..Limits::default() }).await
    }

    pub async fn with_limits(database_url: &str, limits: Limits) -> Result<TestServer> {
        let pool = db::pool(database_url, limits.pool_size)?;
        db::migrate(&pool).await?;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let base = format!("http://{}", listener.local_addr()?);
        let (tx, rx) = oneshot::channel::<()>();
        let state = AppState::new(pool.clone(), limits);
        let task = tokio::spawn(talento_server::launch(listener, state, async {
            rx.await.ok();
        }));
        Ok(TestServer {
            base,
            database_url: database_url.to_owned(),
            pool,
            shutdown: Some(tx),
            task: Some(task),
            http: Client::builder(TokioExecutor::new()).build_http(),
        })
    }

    /// Stops the server gracefully and waits until it has.
    pub async fn stop(mut self) -> Result<()> {
        drop(self.http);
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            tokio::time::timeout(std::time::Duration::from_secs(10), task).await.context("graceful shutdown")???;
        }
        self.pool.close();
        Ok(())
    }

    /// Sends a request with raw bytes.
    pub async fn raw(&self, method: Method, path: &str, headers: &[(&str, &str)], body: Vec<u8>) -> Result<Reply> {
        let mut request = hyper::Request::builder().method(method).uri(format!("{}{path}", self.base));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = self.http.request(request.body(Full::new(Bytes::from(body)))?).await?;
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await?.to_bytes();
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()))
        };
        Ok(Reply { status, headers, body })
    }

    /// Sends a JSON request with an optional bearer token.
    pub async fn call(&self, method: Method, path: &str, bearer: Option<&str>, body: Option<Value>) -> Result<Reply> {
        let auth = bearer.map(|t| format!("Bearer {t}"));
        let mut headers = vec![("content-type", "application/json")];
        if let Some(auth) = &auth {
            headers.push(("authorization", auth.as_str()));
        }
        let bytes = body.map(|b| b.to_string().into_bytes()).unwrap_or_default();
        self.raw(method, path, &headers, bytes).await
    }

    /// A sync request: the protocol header, and the device credential when given.
    pub async fn sync(
        &self,
        method: Method,
        path: &str,
        credential: Option<&str>,
        body: Option<Value>,
    ) -> Result<Reply> {
        let auth = credential.map(|t| format!("Bearer {t}"));
        let version = PROTOCOL_VERSION.to_string();
        let mut headers = vec![("content-type", "application/json"), (PROTOCOL_HEADER, version.as_str())];
        if let Some(auth) = &auth {
            headers.push(("authorization", auth.as_str()));
        }
        let bytes = body.map(|b| b.to_string().into_bytes()).unwrap_or_default();
        self.raw(method, path, &headers, bytes).await
    }

    /// A new agency with an administrator logged in.
    pub async fn agency(&self, name: &str) -> Result<Agency> {
        let id = admin::create_agency(&self.pool, name).await?;
        let slug: String = name.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_lowercase();
        let admin_email = format!("admin@{slug}.sn");
        self.user(id, "admin", &admin_email).await?;
        let admin_token = self.login(&admin_email).await?;
        Ok(Agency { id, admin_token, slug })
    }

    /// A new account of the agency.
    pub async fn user(&self, agency_id: Uuid, role: &str, email: &str) -> Result<talento_protocol::api::User> {
        let new = NewUser {
            name: format!("Compte {role}"),
            email: email.into(),
            role: role.into(),
            password: PASSWORD.into(),
        };
        Ok(admin::create_user(&self.pool, agency_id, &new).await?)
    }

    /// Logs in and returns the token.
    pub async fn login(&self, email: &str) -> Result<String> {
        let reply = self
            .call(Method::POST, "/api/v1/auth/login", None, Some(json!({ "email": email, "password": PASSWORD })))
            .await?;
        if reply.status != StatusCode::OK {
            bail!("login of {email} failed: {reply:?}");
        }
        reply.body["token"].as_str().map(str::to_owned).ok_or_else(|| anyhow!("no token in {reply:?}"))
    }

    /// Enrolls a new laptop in the agency; returns it with its credential.
    pub async fn enroll(&self, agency: &Agency, name: &str) -> Result<Laptop> {
        let token = admin::create_enrollment_token(&self.pool, agency.id, 1).await?;
        let device_id = Uuid::now_v7();
        let reply = self
            .sync(
                Method::POST,
                "/sync/v1/enroll",
                None,
                Some(json!({ "token": token, "device_id": device_id, "database_id": Uuid::now_v7(), "device_name": name })),
            )
            .await?;
        if reply.status != StatusCode::OK {
            bail!("enrollment failed: {reply:?}");
        }
        let credential = reply.body["device_credential"].as_str().ok_or_else(|| anyhow!("no credential"))?;
        Ok(Laptop { id: device_id, credential: credential.to_owned() })
    }
}

pub struct Agency {
    pub id: Uuid,
    pub admin_token: String,
    pub slug: String,
}

/// An enrolled laptop.
#[derive(Debug, Clone)]
pub struct Laptop {
    pub id: Uuid,
    pub credential: String,
}

impl Laptop {
    /// A change of this laptop's log at `millis` on its clock.
    pub fn change(&self, seq: u64, millis: u64, table: &str, row_id: &str, op: &str, fields: Value) -> Value {
        let hlc = HlcTimestamp { millis, counter: 0, device: self.id };
        json!({ "device_id": self.id, "seq": seq, "hlc": hlc.to_string(), "table": table, "row_id": row_id,
                "op": op, "fields": fields })
    }

    pub async fn push(&self, server: &TestServer, changes: Vec<Value>) -> Result<Reply> {
        server.sync(Method::POST, "/sync/v1/push", Some(&self.credential), Some(json!({ "changes": changes }))).await
    }

    pub async fn status(&self, server: &TestServer) -> Result<Reply> {
        server.sync(Method::GET, "/sync/v1/status", Some(&self.credential), None).await
    }

    /// Pulls every page after `after`; returns the changes and the final cursor.
    pub async fn pull_all(&self, server: &TestServer, after: u64, limit: u32) -> Result<(Vec<Value>, u64)> {
        let (mut changes, mut cursor) = (Vec::new(), after);
        loop {
            let reply = server
                .sync(Method::GET, &format!("/sync/v1/pull?after={cursor}&limit={limit}"), Some(&self.credential), None)
                .await?;
            if reply.status != StatusCode::OK {
                bail!("pull failed: {reply:?}");
            }
            changes.extend(reply.body["changes"].as_array().cloned().unwrap_or_default());
            cursor = reply.body["next_after"].as_u64().ok_or_else(|| anyhow!("no cursor in {reply:?}"))?;
            if reply.body["has_more"] != Value::Bool(true) {
                return Ok((changes, cursor));
            }
        }
    }
}
