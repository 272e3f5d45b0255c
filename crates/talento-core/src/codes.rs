//! Human code numbers, never issued twice. Numbers are handed out only from blocks this laptop holds for a scope
//! (`general:SN`, `cinema:SN:DKR`, …); when it holds none, it leases the next block from its source. Once the laptop
//! is enrolled the source is the agency's server ([`crate::sync::leases`]: blocks leased at each sync, a
//! provisional number when offline with none left); before, it is local (this store), so one laptop alone can never
//! collide with itself — and because every allocation runs inside the caller's `IMMEDIATE` transaction, concurrent
//! saves on the same store queue instead of racing.

use rusqlite::{OptionalExtension, Transaction};

use crate::error::CoreResult;

/// Numbers per leased block (DHIS2-style reserved values: enough for a day on set without asking again).
pub const BLOCK_SIZE: i64 = 100;

/// Takes the next number of `scope`.
pub fn next_number(tx: &Transaction<'_>, scope: &str, now: &str) -> CoreResult<u32> {
    if crate::sync::leases::from_server(tx)? {
        return crate::sync::leases::next_number(tx, scope, now);
    }
    let held: Option<(i64, i64)> = tx
        .query_row(
            "SELECT start, next FROM code_blocks WHERE scope = ?1 AND source = 'local' AND next < end_excl
             ORDER BY start LIMIT 1",
            [scope],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (start, number) = match held {
        Some(block) => block,
        None => {
            let start = lease_local_block(tx, scope, now)?;
            (start, start)
        }
    };
    tx.execute(
        "UPDATE code_blocks SET next = next + 1 WHERE scope = ?1 AND start = ?2 AND source = 'local'",
        rusqlite::params![scope, start],
    )?;
    Ok(u32::try_from(number).unwrap_or(u32::MAX))
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
