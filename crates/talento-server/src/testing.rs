//! Test support shared by this crate's tests, `talento-core`'s sync tests and the end-to-end tests (feature
//! `test-support`, never in a release build): the local PostgreSQL of [`crate::local_postgres`] (one cluster per
//! test binary, a fresh database per test), and the server launched on a listener of its own, stoppable and
//! restartable on the same database.

use anyhow::{Context, Result};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use crate::local_postgres::{Cluster, cluster, fresh_database, try_cluster};
use crate::{AppState, Limits, db};

/// The server running over one database, on 127.0.0.1.
#[derive(Debug)]
pub struct Running {
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    pub port: u16,
    pub pool: deadpool_postgres::Pool,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
}

impl Running {
    /// Migrates the database (migrations are idempotent) and launches the server on `port` (0: any free port; a
    /// stopped server's port to restart it where the laptops expect it).
    pub async fn launch(database_url: &str, port: u16, limits: Limits) -> Result<Running> {
        let pool = db::pool(database_url, limits.pool_size)?;
        db::migrate(&pool).await?;
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
        let port = listener.local_addr()?.port();
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(crate::launch(listener, AppState::new(pool.clone(), limits), async {
            rx.await.ok();
        }));
        Ok(Running { base: format!("http://127.0.0.1:{port}"), port, pool, shutdown: Some(tx), task: Some(task) })
    }

    /// Stops the server gracefully and waits until it has.
    pub async fn stop(mut self) -> Result<()> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            tokio::time::timeout(std::time::Duration::from_secs(10), task).await.context("graceful shutdown")???;
        }
        self.pool.close();
        Ok(())
    }
}
