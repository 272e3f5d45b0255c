//! The encrypted local database: one SQLCipher file opened with the raw 256-bit data key (no second password
//! derivation — the key is already random), WAL, `synchronous=NORMAL`, foreign keys on, a busy timeout, and the
//! embedded migrations from `migrations/local` run at every open. One [`Store`] owns the connection; reads take
//! `&Connection`, writes a `Transaction` that the use case commits once.

use std::path::Path;

use rusqlite::{Connection, OpenFlags, Transaction};

use crate::crypto::KEY_LEN;
use crate::error::{CoreError, CoreResult};

mod embedded {
    refinery::embed_migrations!("../../migrations/local");
}

#[derive(Debug)]
pub struct Store {
    conn: Connection,
}

impl Store {
    /// Opens (creating if needed) the database at `path` with `key`, and brings its schema up to date.
    /// A wrong key or a damaged file is [`CoreError::StoreCorrupted`]: SQLCipher only notices at the first read.
    pub fn open(path: &Path, key: &[u8; KEY_LEN]) -> CoreResult<Store> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(path, flags)?;
        let hex = zeroize::Zeroizing::new(crate::crypto::hex(key));
        conn.execute_batch(&format!("PRAGMA key = \"x'{}'\";", hex.as_str()))?;
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0))
            .map_err(|e| CoreError::StoreCorrupted(format!("cannot read with this key: {e}")))?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = NORMAL;
             PRAGMA foreign_keys = ON;
             PRAGMA busy_timeout = 5000;
             PRAGMA journal_size_limit = 67108864;
             PRAGMA temp_store = MEMORY;
             PRAGMA cache_size = -16384;",
        )?;
        // Sync applies and registrations rotate through more than rusqlite's default 16 statements; every page the
        // cache (16 MiB above, 2 MiB by default) keeps is a page SQLCipher does not decrypt again.
        conn.set_prepared_statement_cache_capacity(64);
        embedded::migrations::runner()
            .run(&mut conn)
            .map_err(|e| CoreError::StoreCorrupted(format!("migrations: {e}")))?;
        Ok(Store { conn })
    }

    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Starts the one transaction a use case writes in. `IMMEDIATE`, so two writers queue instead of failing late.
    pub fn transaction(&mut self) -> CoreResult<Transaction<'_>> {
        Ok(self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?)
    }
}
