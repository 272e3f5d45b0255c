//! The generic change log that sync ships: every write to a synced table calls [`record`] in the same transaction,
//! which takes the next per-device sequence number and a hybrid-logical-clock timestamp, stamps the row and appends
//! `(device, seq, hlc, table, row id, op, fields)`. Nothing else is needed per table.

use rusqlite::Transaction;
use serde_json::Value;
use talento_domain::{HlcTimestamp, HybridClock};
use uuid::Uuid;

use crate::error::{CoreError, CoreResult};

/// What happened to the row: the protocol's own type, so what is logged is what is pushed.
pub use talento_protocol::Op;

/// This laptop's identity in the change log.
pub fn device_id(tx: &rusqlite::Connection) -> CoreResult<Uuid> {
    // Asked once per logged action (casting a thousand talents asks a thousand times): a cached statement.
    let id: String = tx.prepare_cached("SELECT device_id FROM device WHERE id = 1")?.query_row([], |r| r.get(0))?;
    Uuid::parse_str(&id).map_err(|e| CoreError::StoreCorrupted(format!("device id: {e}")))
}

/// Creates the device row of a new store.
pub fn init_device(tx: &Transaction<'_>, device: Uuid, now: &str) -> CoreResult<()> {
    tx.execute(
        "INSERT INTO device (id, device_id, created_at) VALUES (1, ?1, ?2)",
        rusqlite::params![device.to_string(), now],
    )?;
    Ok(())
}

/// Issues the next timestamp of this device's clock, persisting the clock in the same transaction.
pub fn tick(tx: &Transaction<'_>, wall_millis: u64) -> CoreResult<HlcTimestamp> {
    advance(tx, |clock| clock.tick(wall_millis))
}

/// Moves this device's clock past a remote timestamp, so its next change orders after everything it saw.
pub(crate) fn observe(tx: &Transaction<'_>, remote: HlcTimestamp, wall_millis: u64) -> CoreResult<HlcTimestamp> {
    advance(tx, |clock| clock.observe(remote, wall_millis))
}

/// Resumes the persisted clock, moves it, and persists it again.
fn advance(tx: &Transaction<'_>, step: impl FnOnce(&mut HybridClock) -> HlcTimestamp) -> CoreResult<HlcTimestamp> {
    let (device, millis, counter): (String, i64, i64) =
        tx.query_row("SELECT device_id, hlc_millis, hlc_counter FROM device WHERE id = 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
    let device = Uuid::parse_str(&device).map_err(|e| CoreError::StoreCorrupted(format!("device id: {e}")))?;
    let mut clock = HybridClock::resume(device, millis as u64, counter as u32);
    let stamp = step(&mut clock);
    tx.execute(
        "UPDATE device SET hlc_millis = ?1, hlc_counter = ?2 WHERE id = 1",
        rusqlite::params![stamp.millis as i64, stamp.counter as i64],
    )?;
    Ok(stamp)
}

/// Appends one change. `fields` holds the changed fields (all of them for a new row); personal data is included
/// because the change log lives inside the encrypted database.
pub fn record(
    tx: &Transaction<'_>,
    stamp: &HlcTimestamp,
    table: &str,
    row_id: &str,
    op: Op,
    fields: &Value,
) -> CoreResult<u64> {
    let seq: i64 = tx.query_row("SELECT next_seq FROM device WHERE id = 1", [], |r| r.get(0))?;
    tx.execute("UPDATE device SET next_seq = next_seq + 1 WHERE id = 1", [])?;
    tx.execute(
        "INSERT INTO change_log (device_id, seq, hlc, table_name, row_id, op, fields) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        rusqlite::params![stamp.device.to_string(), seq, stamp.to_string(), table, row_id, op.as_str(), fields.to_string()],
    )?;
    Ok(seq as u64)
}

/// One entry of the log, as sync will read it.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub device_id: Uuid,
    pub seq: u64,
    pub hlc: String,
    pub table: String,
    pub row_id: String,
    pub op: String,
    pub fields: Value,
}

/// The log in sequence order from `after` (exclusive), at most `limit` entries.
pub fn since(conn: &rusqlite::Connection, after: u64, limit: u32) -> CoreResult<Vec<Change>> {
    let mut stmt = conn.prepare(
        "SELECT device_id, seq, hlc, table_name, row_id, op, fields FROM change_log
         WHERE seq > ?1 ORDER BY device_id, seq LIMIT ?2",
    )?;
    let rows = stmt.query_map(rusqlite::params![after as i64, limit], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, String>(6)?,
        ))
    })?;
    rows.map(|row| {
        let (device, seq, hlc, table, row_id, op, fields) = row?;
        Ok(Change {
            device_id: Uuid::parse_str(&device).map_err(|e| CoreError::StoreCorrupted(e.to_string()))?,
            seq: seq as u64,
            hlc,
            table,
            row_id,
            op,
            fields: serde_json::from_str(&fields).map_err(|e| CoreError::StoreCorrupted(e.to_string()))?,
        })
    })
    .collect()
}
