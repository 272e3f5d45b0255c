//! Human code numbers, never issued twice. Numbers are handed out only from blocks this laptop holds for a scope
//! (`general:SN`, `cinema:SN:DKR`, …); when it holds none, it leases the next block from its source. Once the laptop
//! is enrolled the source is the agency's server ([`crate::sync::leases`]: blocks leased at each sync, a
//! provisional number when offline with none left); before, it is local (this store), so one laptop alone can never
//! collide with itself (and at its first sync, numbers another laptop holds too are renumbered: see
//! [`crate::sync::leases`]) — and because every allocation runs inside the caller's `IMMEDIATE` transaction, concurrent
//! saves on the same store queue instead of racing.

use rusqlite::{OptionalExtension, Transaction};

use crate::error::CoreResult;

/// Numbers per leased block (DHIS2-style reserved values: enough for a day on set without asking again).
pub const BLOCK_SIZE: i64 = 100;

/// Where a block of numbers came from: this store (before enrollment) or the agency's server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    Local,
    Server,
}

impl Source {
    fn as_str(self) -> &'static str {
        match self {
            Source::Local => "local",
            Source::Server => "server",
        }
    }
}

/// Takes the next number of `scope`.
pub fn next_number(tx: &Transaction<'_>, scope: &str, now: &str) -> CoreResult<u32> {
    if crate::sync::leases::from_server(tx)? {
        return crate::sync::leases::next_number(tx, scope, now);
    }
    let number = match take(tx, scope, Source::Local)? {
        Some(number) => number,
        None => {
            let start = lease_local_block(tx, scope, now)?;
            take(tx, scope, Source::Local)?.unwrap_or(start)
        }
    };
    Ok(u32::try_from(number).unwrap_or(u32::MAX))
}

/// Takes the next free number of the blocks `source` granted for `scope`, or `None` when they are used up.
pub(crate) fn take(tx: &Transaction<'_>, scope: &str, source: Source) -> CoreResult<Option<i64>> {
    let held: Option<(i64, i64)> = tx
        .query_row(
            "SELECT start, next FROM code_blocks WHERE scope = ?1 AND source = ?2 AND next < end_excl
             ORDER BY start LIMIT 1",
            [scope, source.as_str()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((start, number)) = held else { return Ok(None) };
    tx.execute(
        "UPDATE code_blocks SET next = next + 1 WHERE scope = ?1 AND start = ?2 AND source = ?3",
        rusqlite::params![scope, start, source.as_str()],
    )?;
    Ok(Some(number))
}

/// Leases the next block from the local source and returns its first number.
fn lease_local_block(tx: &Transaction<'_>, scope: &str, now: &str) -> CoreResult<i64> {
    let start: i64 = tx
        .query_row("SELECT next_start FROM code_sources WHERE scope = ?1", [scope], |r| r.get(0))
        .optional()?
        .unwrap_or(1);
    tx.execute(
        "INSERT INTO code_sources (scope, next_start) VALUES (?1, ?2)
         ON CONFLICT (scope) DO UPDATE SET next_start = excluded.next_start",
        rusqlite::params![scope, start + BLOCK_SIZE],
    )?;
    tx.execute(
        "INSERT INTO code_blocks (scope, start, end_excl, next, source, leased_at) VALUES (?1, ?2, ?3, ?2, 'local', ?4)",
        rusqlite::params![scope, start, start + BLOCK_SIZE, now],
    )?;
    Ok(start)
}
