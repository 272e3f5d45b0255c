//! Code numbers once the laptop is enrolled: they come only from blocks the server leased to it (`code_blocks` rows
//! with `source = 'server'`), which no other laptop can hold. With no leased number left and no network, a
//! **provisional** number is issued instead: `PROVISIONAL_FROM (100,000,000) + slot × 100,000 + n`, where the slot
//! (0–39,999) comes from the random part of this laptop's device id. `talento_domain::talent` keeps every scope's
//! lease capacity below `PROVISIONAL_FROM`, so it can never equal a leased number, and it is unique to this laptop unless two laptops draw
//! the same slot (1 in 40,000 per pair; the code's unique index would then refuse the second row at sync and the
//! change is reported, not applied). A number, not a letter marker, because every code format is built by
//! its own use case from a `u32`. The V5 trigger marks the row and its logged change `code_provisional = 1`; the
//! next sync replaces the code with a leased number and logs that as an ordinary upsert, so every laptop gets the
//! final code.
//!
//! Numbers a laptop issued on its own before it was enrolled ([`crate::codes`], source `local`) are declared with its
//! first lease of the scope (`used_up_to`). The server keeps them for that laptop when no other device holds any of
//! them; otherwise it says so (`local_numbers_taken`) and the laptop renumbers those rows the same way as provisional
//! ones, in the same sync — so two laptops that both worked before enrollment never end up with one code twice.

use rusqlite::{Connection, OptionalExtension, Transaction};
use serde_json::{Map, Value, json};
use talento_domain::talent::{PROVISIONAL_FROM, ScopeKind};
use talento_protocol::{LeaseRequest, LeaseResponse};
use uuid::Uuid;

use super::{CodeFinalized, ReportIssue, SyncReport};
use crate::changelog;
use crate::codes::{self, Source};
use crate::error::{ConflictReason, CoreError, CoreResult};
use crate::rows;

/// Below this many numbers left in a scope, a sync leases more.
const REFILL_BELOW: i64 = 50;
/// Numbers asked for at each refill.
const LEASE_SIZE: u32 = 100;

const PROVISIONAL_SLOTS: u64 = 40_000;
const PROVISIONAL_PER_SLOT: u64 = 100_000;

/// Whether numbers must come from the server's leases: the laptop is enrolled and not revoked.
pub(crate) fn from_server(conn: &Connection) -> CoreResult<bool> {
    Ok(conn
        .query_row("SELECT credential IS NOT NULL AND revoked_at IS NULL FROM sync_state WHERE id = 1", [], |r| {
            r.get::<_, bool>(0)
        })
        .optional()?
        .unwrap_or(false))
}

/// The next leased number of `scope`, or a provisional one when no leased number is left.
pub(crate) fn next_number(tx: &Transaction<'_>, scope: &str, now: &str) -> CoreResult<u32> {
    if let Some(number) = codes::take(tx, scope, Source::Server)? {
        return Ok(u32::try_from(number).unwrap_or(u32::MAX));
    }
    provisional_number(tx, scope, now)
}

/// A provisional number of `scope` (this laptop's slot), recorded in `provisional_codes` for the next finalisation.
fn provisional_number(tx: &Transaction<'_>, scope: &str, now: &str) -> CoreResult<u32> {
    let device = changelog::device_id(tx)?;
    let base = provisional_base(device);
    let last: Option<i64> = tx.query_row(
        "SELECT max(number) FROM provisional_codes WHERE number >= ?1 AND number < ?2",
        rusqlite::params![base as i64, (base + PROVISIONAL_PER_SLOT) as i64],
        |r| r.get(0),
    )?;
    let number = last.map_or(base as i64, |n| n + 1);
    if number as u64 >= base + PROVISIONAL_PER_SLOT {
        return Err(CoreError::Conflict(ConflictReason::ProvisionalCodesExhausted));
    }
    tx.execute(
        "INSERT INTO provisional_codes (number, scope, issued_at) VALUES (?1, ?2, ?3)",
        rusqlite::params![number, scope, now],
    )?;
    Ok(u32::try_from(number).unwrap_or(u32::MAX))
}

fn provisional_base(device: Uuid) -> u64 {
    let b = device.as_bytes();
    let slot = u64::from(u32::from_be_bytes([b[12], b[13], b[14], b[15]])) % PROVISIONAL_SLOTS;
    PROVISIONAL_FROM + slot * PROVISIONAL_PER_SLOT
}

/// Scopes this laptop has issued numbers in, with how many leased numbers it has left in each and the highest
/// number it issued from its own (pre-enrollment) source.
fn scopes(conn: &Connection) -> CoreResult<Vec<(String, i64, Option<i64>)>> {
    let mut stmt = conn.prepare(
        "SELECT s.scope,
                coalesce((SELECT sum(end_excl - next) FROM code_blocks b WHERE b.scope = s.scope AND b.source = 'server'), 0),
                (SELECT max(end_excl) - 1 FROM code_blocks b WHERE b.scope = s.scope AND b.source = 'local')
         FROM (SELECT scope FROM code_blocks UNION SELECT scope FROM provisional_codes) s ORDER BY s.scope",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The leases to ask for: one block for every scope running low.
pub(crate) fn wanted(conn: &Connection) -> CoreResult<Vec<LeaseRequest>> {
    Ok(scopes(conn)?
        .into_iter()
        .filter(|(_, left, _)| *left < REFILL_BELOW)
        .map(|(scope, _, used)| LeaseRequest { scope, count: LEASE_SIZE, used_up_to: used.map(|u| u.max(0) as u64) })
        .collect())
}

/// Records the blocks the server granted. Where the server says numbers this laptop issued before enrollment are
/// held elsewhere too, the rows carrying them get provisional codes, finalised from the new block right after.
pub(crate) fn record(
    tx: &Transaction<'_>,
    granted: &[LeaseResponse],
    now: &str,
    report: &mut SyncReport,
) -> CoreResult<()> {
    for lease in granted {
        tx.execute(
            "INSERT INTO code_blocks (scope, start, end_excl, next, source, leased_at) VALUES (?1, ?2, ?3, ?2, 'server', ?4)
             ON CONFLICT (scope, start) DO NOTHING",
            rusqlite::params![lease.scope, lease.start as i64, lease.end_excl as i64, now],
        )?;
        if lease.local_numbers_taken {
            recode_local_numbers(tx, &lease.scope, now)?;
        }
        report.leases.push(super::LeaseDto {
            scope: lease.scope.clone(),
            start: lease.start as u32,
            end_excl: lease.end_excl as u32,
        });
    }
    Ok(())
}

/// Gives a provisional code to every row of `scope` whose number came from this laptop's own (pre-enrollment)
/// blocks, then forgets those blocks: another laptop was granted some of the same numbers, so the codes may exist
/// twice. The V5 trigger links each new provisional number to its row; [`finalize`] then gives it a leased number
/// (and revokes badges printed with the old code). Assignments are not concerned: their scope is one project, which
/// only the laptop that created it numbered before it synced.
fn recode_local_numbers(tx: &Transaction<'_>, scope: &str, now: &str) -> CoreResult<()> {
    let parts: Vec<&str> = scope.split(':').collect();
    // (table, rows of the scope, where the number sits in a code: bytes before it and after it)
    let (table, rows, before, after): (&str, Vec<(String, String)>, usize, usize) = match parts.as_slice() {
        ["general", country] => {
            ("talents", codes_where(tx, "talents", "kind = 'general' AND origin_country = ?1", &[country])?, 3, 3)
        }
        ["cinema", country, city] => (
            "talents",
            codes_where(
                tx,
                "talents",
                "kind = 'cinema' AND residence_country = ?1 AND residence_city = ?2",
                &[country, city],
            )?,
            5,
            1,
        ),
        ["project", prefix] => {
            let pattern = format!("{prefix}%");
            ("projects", codes_where(tx, "projects", "code LIKE ?1", &[pattern.as_str()])?, prefix.len(), 0)
        }
        _ => return Ok(()),
    };
    let blocks: Vec<(i64, i64)> = {
        let mut stmt = tx.prepare("SELECT start, end_excl FROM code_blocks WHERE scope = ?1 AND source = 'local'")?;
        let found = stmt.query_map([scope], |r| Ok((r.get(0)?, r.get(1)?)))?;
        found.collect::<Result<_, _>>()?
    };
    for (id, code) in rows {
        let Some(digits) = code.get(before..code.len().saturating_sub(after)) else { continue };
        let Ok(number) = digits.parse::<i64>() else { continue };
        if !blocks.iter().any(|(start, end)| (*start..*end).contains(&number)) {
            continue;
        }
        let provisional = provisional_number(tx, scope, now)?;
        let recoded = format!("{}{provisional}{}", &code[..before], &code[code.len() - after..]);
        let mut fields = Map::new();
        fields.insert("code".into(), json!(recoded));
        rows::save(tx, table, &id, &fields, None, now)?;
        forget_unsent_code(tx, table, &id, &code, &recoded)?;
        if table == "projects" {
            let assignments: Vec<(String, String)> = {
                let mut stmt = tx.prepare("SELECT id, code FROM assignments WHERE project_id = ?1")?;
                let found = stmt.query_map([&id], |r| Ok((r.get(0)?, r.get(1)?)))?;
                found.collect::<Result<_, _>>()?
            };
            rename_assignments(tx, &id, &code, &recoded, now)?;
            for (assignment, old) in assignments {
                if let Some(rest) = old.strip_prefix(code.as_str()) {
                    forget_unsent_code(tx, "assignments", &assignment, &old, &format!("{recoded}{rest}"))?;
                }
            }
        }
    }
    tx.execute("DELETE FROM code_blocks WHERE scope = ?1 AND source = 'local'", [scope])?;
    Ok(())
}

/// Writes the new code into this row's changes the server has not acknowledged yet (the ones made before
/// enrollment): the old code, which another laptop's row may carry too, never travels, so no laptop receiving the row
/// meets two rows with one code. Acknowledged changes are never touched.
fn forget_unsent_code(tx: &Transaction<'_>, table: &str, id: &str, old: &str, new: &str) -> CoreResult<()> {
    tx.execute(
        "UPDATE change_log SET fields = json_set(fields, '$.code', ?1)
          WHERE table_name = ?2 AND row_id = ?3 AND json_extract(fields, '$.code') = ?4
            AND seq > (SELECT acked_seq FROM sync_state WHERE id = 1)",
        rusqlite::params![new, table, id, old],
    )?;
    Ok(())
}

/// `(id, code)` of the rows of `table` matching `filter`, whose code is not provisional already.
fn codes_where(tx: &Transaction<'_>, table: &str, filter: &str, params: &[&str]) -> CoreResult<Vec<(String, String)>> {
    let mut stmt = tx.prepare(&format!("SELECT id, code FROM {table} WHERE code_provisional = 0 AND {filter}"))?;
    let found = stmt.query_map(rusqlite::params_from_iter(params), |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(found.collect::<Result<_, _>>()?)
}

/// Replaces every provisional code that found its row with a leased number, logging each as an upsert. Returns
/// the ids of talents whose code changed (their search rows need rebuilding).
pub(crate) fn finalize(tx: &Transaction<'_>, now: &str, report: &mut SyncReport) -> CoreResult<Vec<String>> {
    let pending: Vec<(i64, String, Option<String>, Option<String>)> = {
        let mut stmt = tx.prepare("SELECT number, scope, table_name, row_id FROM provisional_codes ORDER BY number")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
        rows.collect::<Result<_, _>>()?
    };
    let mut talents = Vec::new();
    for (number, scope, table, row_id) in pending {
        let (Some(table), Some(row_id)) = (table, row_id) else {
            // Issued but no row logged it (the code was skipped as taken): nothing to finalise.
            tx.execute("DELETE FROM provisional_codes WHERE number = ?1", [number])?;
            continue;
        };
        if !matches!(table.as_str(), "talents" | "projects" | "assignments") {
            continue;
        }
        let code: Option<String> =
            tx.query_row(&format!("SELECT code FROM {table} WHERE id = ?1"), [&row_id], |r| r.get(0)).optional()?;
        let Some(code) = code else {
            tx.execute("DELETE FROM provisional_codes WHERE number = ?1", [number])?;
            continue;
        };
        let Some(leased) = codes::take(tx, &scope, Source::Server)? else {
            report.errors.push(ReportIssue::CodeStaysProvisional { code });
            continue;
        };
        let width = ScopeKind::parse(&scope).map_or(3, ScopeKind::digits);
        let provisional = number.to_string();
        let Some(at) = code.find(&provisional) else { continue };
        let finished = format!("{}{leased:0width$}{}", &code[..at], &code[at + provisional.len()..]);
        let mut fields = Map::new();
        fields.insert("code".into(), json!(finished));
        fields.insert("code_provisional".into(), Value::Bool(false));
        rows::save(tx, &table, &row_id, &fields, None, now)?;
        tx.execute("DELETE FROM provisional_codes WHERE number = ?1", [number])?;
        if table == "projects" {
            // Assignment codes start with their project's code: they follow it.
            rename_assignments(tx, &row_id, &code, &finished, now)?;
        }
        let mut badges_revoked = 0;
        if table == "talents" {
            badges_revoked = crate::casting::badges::revoke_for_final_code(tx, &row_id, now)?;
            talents.push(row_id.clone());
        }
        report.codes_finalized.push(CodeFinalized { table, row_id, provisional: code, code: finished, badges_revoked });
    }
    Ok(talents)
}

/// Gives a project's assignments the project's final code as their prefix, logging each as an upsert.
fn rename_assignments(tx: &Transaction<'_>, project_id: &str, old: &str, new: &str, now: &str) -> CoreResult<()> {
    let assignments: Vec<(String, String)> = {
        let mut stmt = tx.prepare("SELECT id, code FROM assignments WHERE project_id = ?1")?;
        let rows = stmt.query_map([project_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<Result<_, _>>()?
    };
    for (id, code) in assignments {
        let Some(rest) = code.strip_prefix(old) else { continue };
        let mut fields = Map::new();
        fields.insert("code".into(), json!(format!("{new}{rest}")));
        rows::save(tx, "assignments", &id, &fields, None, now)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provisional_numbers_sit_above_every_cap_and_fit_a_u32() {
        for bytes in [[0u8; 16], [0xff; 16], [7; 16]] {
            let base = provisional_base(Uuid::from_bytes(bytes));
            assert!(base >= PROVISIONAL_FROM, "a provisional number must never equal a leased one");
            assert!(base + PROVISIONAL_PER_SLOT <= u64::from(u32::MAX), "callers take the number as a u32");
        }
    }
}
