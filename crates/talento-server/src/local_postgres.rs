//! A throwaway PostgreSQL cluster on 127.0.0.1 (feature `local-postgres`), for tests (through
//! [`crate::testing`]) and for `talento bench`'s sync section: started once per process (a free port, a temp dir,
//! fsync off — fast, and nothing in it is worth keeping), with a fresh database per caller.
//!
//! The cluster is stopped (`pg_ctl stop -m fast`) and its directory removed by a watchdog shell started beside it
//! (`setsid`), which waits for this process to exit, however it exits: a panic or a killed run never leaves a
//! postgres behind. PostgreSQL refuses to run as root, so as root every PostgreSQL command runs as `postgres`.
//! `TALENTO_PG_BINDIR` names the PostgreSQL binaries when `pg_config` and `/usr/lib/postgresql` do not.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

use anyhow::{Context, Result, anyhow, bail};

/// One PostgreSQL cluster for the whole process.
#[derive(Debug)]
pub struct Cluster {
    pub port: u16,
}

static CLUSTER: OnceLock<Result<Cluster, String>> = OnceLock::new();
static DATABASES: AtomicU32 = AtomicU32::new(0);

/// The cluster, started on first use; when it cannot start (PostgreSQL missing…), what went wrong and what to do,
/// the same answer at every call.
pub fn try_cluster() -> Result<&'static Cluster, &'static str> {
    CLUSTER.get_or_init(|| start_cluster().map_err(|e| format!("{e:#}"))).as_ref().map_err(String::as_str)
}

/// The cluster, started on first use. Panics with what to do when PostgreSQL is missing (for tests).
pub fn cluster() -> &'static Cluster {
    match try_cluster() {
        Ok(cluster) => cluster,
        Err(e) => panic!("cannot start the local PostgreSQL: {e}"),
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
    // The watchdog: once this process is gone, stop the cluster and remove its directory.
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
    let port = try_cluster().map_err(|e| anyhow!("cannot start the local PostgreSQL: {e}"))?.port;
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
