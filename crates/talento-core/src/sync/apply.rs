//! Applying changes pulled from other laptops to the local rows, with the very rule the server uses
//! ([`talento_protocol::merge`]), so both converge on the same values.
//!
//! Field clocks: a field's current timestamp is the newer of (a) the change of **this laptop's own log** that last
//! wrote it — derived at apply time by replaying the row's entries of `change_log` through the merge, so local writes
//! need no extra bookkeeping and no use case can forget it — and (b) the `field_clock` row written when a remote
//! value was applied. A local edit not yet acknowledged by the server therefore keeps its newer timestamp and wins,
//! exactly as it will on the server. Applied remote changes are never appended to the change log.
//!
//! Deletes are tombstones (`sync_tombstones`): a deleted row stays deleted whatever upsert arrives later; an erased
//! talent is cleared by the very function `erase_talent` uses ([`crate::talents::erase_row`]). Scan events are a
//! union: inserted when absent, never changed or removed, and a cross-device duplicate (same talent, day, project
//! and kind scanned on another laptop) is flagged in the report, never dropped. Unknown tables and columns (a newer app version) are skipped and
//! reported; a change that cannot be applied at all is reported and logged with its cause.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rusqlite::{OptionalExtension, Transaction};
use serde_json::{Map, Value};
use talento_domain::HlcTimestamp;
use talento_domain::text::fold;
use talento_protocol::{Change, MergeEffect, Op, PulledChange, RecordState, TablePolicy, merge};

use super::{MergeDto, MergeOutcome, SkipReason, SkippedDto, SyncReport};
use crate::attachments::Attachments;
use crate::error::CoreResult;
use crate::rows::to_sql;

/// The tables sync writes to. Anything else that arrives is from a newer app version: skipped and reported.
pub(crate) const SYNCED_TABLES: [&str; 10] = [
    "agency",
    "users",
    "talents",
    "productions",
    "projects",
    "shoot_days",
    "assignments",
    "signing_keys",
    "badges",
    "scan_events",
];

/// Columns never taken from another laptop.
const NEVER_APPLIED: [&str; 3] = ["id", "hlc", "secret_seed"];

/// Report lists stop growing here; the counts go on.
const REPORT_LIMIT: usize = 200;

/// Applies one pulled page inside the caller's transaction.
pub(crate) struct Applier<'a> {
    tx: &'a Transaction<'a>,
    attachments: &'a Attachments,
    report: &'a mut SyncReport,
    now: &'a str,
    columns: HashMap<String, Vec<String>>,
    /// Talents whose search row must be rebuilt (or removed) after the page.
    pub(crate) talents: BTreeSet<String>,
    /// The newest remote timestamp seen, for the clock.
    pub(crate) newest: Option<HlcTimestamp>,
    /// Trying parked changes again: one that still cannot apply is counted as still parked, not reported anew.
    retrying: bool,
}

impl<'a> Applier<'a> {
    pub(crate) fn new(
        tx: &'a Transaction<'a>,
        attachments: &'a Attachments,
        report: &'a mut SyncReport,
        now: &'a str,
    ) -> Self {
        Applier {
            tx,
            attachments,
            report,
            now,
            columns: HashMap::new(),
            talents: BTreeSet::new(),
            newest: None,
            retrying: false,
        }
    }

    /// Tries again, once per sync, the changes parked before `since` (by earlier syncs): tables or columns of a
    /// newer version, known after an update; an account conflict since resolved; an edit whose row has arrived
    /// since. Each applies or is parked again.
    pub(crate) fn retry_parked(&mut self, since: &str) -> CoreResult<()> {
        let parked: Vec<(i64, String)> = {
            let mut stmt = self
                .tx
                .prepare("SELECT server_seq, change FROM sync_parked WHERE parked_at < ?1 ORDER BY server_seq")?;
            let rows = stmt.query_map([since], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<Result<_, _>>()?
        };
        if parked.is_empty() {
            return Ok(());
        }
        self.tx.execute("DELETE FROM sync_parked WHERE parked_at < ?1", [since])?;
        self.retrying = true;
        let pulled_before = self.report.pulled;
        for (server_seq, json) in parked {
            match serde_json::from_str::<PulledChange>(&json) {
                Ok(change) => self.apply(&change)?,
                Err(e) => tracing::warn!(server_seq, error = %e, "a parked change no longer reads: dropped"),
            }
        }
        // Received in an earlier sync: not counted as received again.
        self.report.pulled = pulled_before;
        self.retrying = false;
        Ok(())
    }

    pub(crate) fn apply(&mut self, pulled: &PulledChange) -> CoreResult<()> {
        self.report.pulled += 1;
        let change = &pulled.change;
        let Ok(stamp) = change.hlc.parse::<HlcTimestamp>() else {
            return self.not_applied(pulled, SkipReason::BadTimestamp, "bad timestamp");
        };
        self.newest = Some(self.newest.map_or(stamp, |n| n.max(stamp)));
        if change.table == "agency" && !self.is_our_agency(&change.row_id)? {
            // Another laptop's agency row from before it enrolled (each laptop makes one at first run): enrolled
            // laptops share the server's agency id (`adopt_agency`), and only that row is merged.
            return Ok(());
        }
        if !SYNCED_TABLES.contains(&change.table.as_str()) {
            return self.not_applied(pulled, SkipReason::UnknownTable, "unknown table");
        }
        let columns = self.columns(&change.table)?;
        let unknown: Vec<String> = change.fields.keys().filter(|k| !columns.contains(k)).cloned().collect();
        if !unknown.is_empty() {
            self.skip(pulled, SkipReason::UnknownColumns { columns: unknown })?;
        }
        if change.table == "users"
            && let Some(other) = self.account_taken(change)?
        {
            tracing::warn!(user = %change.row_id, local = %other, "pulled account not applied: its e-mail or code is another account's here");
            return self.skip(pulled, SkipReason::AccountConflict);
        }
        self.tx.execute_batch("SAVEPOINT apply_change")?;
        let result = match TablePolicy::of(&change.table) {
            TablePolicy::Union => self.apply_event(change, &columns),
            TablePolicy::LastWriterWins => self.apply_lww(change, &columns),
        };
        match result {
            Ok(changed) => {
                self.tx.execute_batch("RELEASE apply_change")?;
                if changed {
                    self.report.applied += 1;
                }
                Ok(())
            }
            Err(e) => {
                self.tx.execute_batch("ROLLBACK TO apply_change; RELEASE apply_change")?;
                self.not_applied(pulled, SkipReason::NotApplied, &e.to_string())
            }
        }
    }

    fn is_our_agency(&self, row_id: &str) -> CoreResult<bool> {
        Ok(self
            .tx
            .prepare_cached("SELECT 1 FROM agency WHERE id = ?1")?
            .query_row([row_id], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// Another local account already logging in with the e-mail or code this account change carries (two people
    /// would share an identifier): its id.
    fn account_taken(&self, change: &Change) -> CoreResult<Option<String>> {
        let text = |k: &str| change.fields.get(k).and_then(Value::as_str).map(str::to_owned);
        let (email, code) = (text("email"), text("code"));
        if email.is_none() && code.is_none() {
            return Ok(None);
        }
        Ok(self
            .tx
            .query_row(
                "SELECT id FROM users WHERE id <> ?1 AND (lower(email) = lower(?2) OR upper(code) = upper(?3)) LIMIT 1",
                rusqlite::params![change.row_id, email, code],
                |r| r.get(0),
            )
            .optional()?)
    }

    fn columns(&mut self, table: &str) -> CoreResult<Vec<String>> {
        if let Some(columns) = self.columns.get(table) {
            return Ok(columns.clone());
        }
        let mut stmt = self.tx.prepare(&format!("PRAGMA table_info({table})"))?;
        let columns: Vec<String> = stmt.query_map([], |r| r.get(1))?.collect::<Result<_, _>>()?;
        self.columns.insert(table.to_owned(), columns.clone());
        Ok(columns)
    }

    /// Reports a change (or part of one) not applied, and parks it to be tried again at the next sync — unless its
    /// timestamp is malformed, which no update mends.
    fn skip(&mut self, pulled: &PulledChange, reason: SkipReason) -> CoreResult<()> {
        if reason != SkipReason::BadTimestamp {
            self.tx
                .prepare_cached(
                    "INSERT INTO sync_parked (server_seq, change, reason, parked_at) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (server_seq) DO UPDATE SET reason = excluded.reason",
                )?
                .execute(rusqlite::params![
                    pulled.server_seq as i64,
                    serde_json::to_string(pulled).unwrap_or_default(),
                    reason.kind(),
                    self.now
                ])?;
        }
        if self.retrying {
            self.report.still_parked += 1;
            return Ok(());
        }
        self.report.skipped_count += 1;
        if self.report.skipped.len() < REPORT_LIMIT {
            self.report.skipped.push(SkippedDto {
                server_seq: pulled.server_seq as u32,
                table: pulled.change.table.clone(),
                row_id: pulled.change.row_id.clone(),
                reason,
            });
        }
        Ok(())
    }

    /// A change that could not be applied at all: logged with its cause, reported, and parked (the pull cursor moves
    /// past it; [`Applier::retry_parked`] tries it again at the next sync).
    fn not_applied(&mut self, pulled: &PulledChange, reason: SkipReason, cause: &str) -> CoreResult<()> {
        tracing::warn!(server_seq = pulled.server_seq, table = %pulled.change.table, cause, "pulled change not applied");
        self.skip(pulled, reason)
    }

    /// Union: insert the event if this laptop does not have it; flag a cross-device duplicate.
    fn apply_event(&mut self, change: &Change, columns: &[String]) -> CoreResult<bool> {
        if change.op == Op::Delete {
            return Ok(false);
        }
        let table = &change.table;
        let exists = self
            .tx
            .query_row(&format!("SELECT 1 FROM {table} WHERE id = ?1"), [&change.row_id], |_| Ok(()))
            .optional()?;
        if exists.is_some() {
            return Ok(false);
        }
        let fields = known(&change.fields, columns);
        insert(self.tx, table, &change.row_id, &change.hlc, &fields)?;
        let duplicate: Option<String> = self
            .tx
            .query_row(
                "SELECT b.id FROM scan_events a JOIN scan_events b
                   ON b.project_id = a.project_id AND b.day = a.day AND b.talent_id = a.talent_id AND b.kind = a.kind
                  AND b.device_id <> a.device_id AND b.kind IN ('in', 'out')
                 WHERE a.id = ?1 LIMIT 1",
                [&change.row_id],
                |r| r.get(0),
            )
            .optional()?;
        if duplicate.is_some() {
            self.report.flagged_duplicate_scans += 1;
        }
        Ok(true)
    }

    /// The row's state as this laptop knows it: its own log replayed, then the clocks of applied remote values.
    fn local_state(&self, table: &str, row_id: &str) -> CoreResult<(RecordState, BTreeMap<String, String>)> {
        let mut state = RecordState::default();
        let mut stmt = self.tx.prepare_cached(
            "SELECT device_id, seq, hlc, op, fields FROM change_log WHERE table_name = ?1 AND row_id = ?2 ORDER BY seq",
        )?;
        let entries = stmt.query_map([table, row_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?;
        for entry in entries {
            let (device, seq, hlc, op, fields) = entry?;
            let fields = match serde_json::from_str(&fields) {
                Ok(Value::Object(map)) => map,
                _ => Map::new(),
            };
            let change = Change {
                device_id: device.parse().unwrap_or_default(),
                seq: seq as u64,
                hlc,
                table: table.to_owned(),
                row_id: row_id.to_owned(),
                op: Op::parse(&op).unwrap_or(Op::Upsert),
                fields,
            };
            merge(&mut state, &change);
        }
        let local_clocks = state.field_hlc.clone();
        let tombstone: Option<String> = self
            .tx
            .prepare_cached("SELECT hlc FROM sync_tombstones WHERE table_name = ?1 AND row_id = ?2")?
            .query_row([table, row_id], |r| r.get(0))
            .optional()?;
        if tombstone.is_some() && !state.deleted {
            state.deleted = true;
            state.fields.clear();
            state.field_hlc.clear();
        }
        for (field, hlc) in remote_clocks(self.tx, table, row_id)? {
            if state.field_hlc.get(&field).is_none_or(|h| *h < hlc) {
                state.field_hlc.insert(field.clone(), hlc);
                state.fields.insert(field, Value::Null);
            }
        }
        Ok((state, local_clocks))
    }

    /// Field-by-field last writer wins, deletes are tombstones.
    fn apply_lww(&mut self, change: &Change, columns: &[String]) -> CoreResult<bool> {
        let (table, row_id) = (change.table.as_str(), change.row_id.as_str());
        let (mut state, local_clocks) = self.local_state(table, row_id)?;
        // A change seen before (same timestamp on a field) is not applied again.
        let mut incoming = change.clone();
        incoming.fields.retain(|k, _| state.field_hlc.get(k) != Some(&change.hlc));
        let before = state.clone();
        // A delete of a live row always changes it (it becomes a tombstone).
        if merge(&mut state, &incoming) == MergeEffect::Unchanged {
            self.record_merges(change, &before, &state, &local_clocks);
            return Ok(false);
        }
        self.record_merges(change, &before, &state, &local_clocks);
        if change.op == Op::Delete && !before.deleted {
            self.apply_delete(change)?;
            return Ok(true);
        }
        let won: Map<String, Value> = incoming
            .fields
            .iter()
            .filter(|(k, _)| state.field_hlc.get(*k) == Some(&change.hlc) && !NEVER_APPLIED.contains(&k.as_str()))
            .filter(|(k, _)| columns.contains(k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if won.is_empty() {
            return Ok(false);
        }
        // Statements are cached by their text: a first sync applies thousands of changes of the same shape.
        let exists = self
            .tx
            .prepare_cached(&format!("SELECT 1 FROM {table} WHERE id = ?1"))?
            .query_row([row_id], |_| Ok(()))
            .optional()?;
        let inserted = exists.is_none();
        if !inserted {
            let sets: Vec<String> = won.keys().enumerate().map(|(i, k)| format!("{k} = ?{}", i + 3)).collect();
            let sql = format!("UPDATE {table} SET hlc = max(hlc, ?2), {} WHERE id = ?1", sets.join(", "));
            let mut params: Vec<rusqlite::types::Value> = vec![row_id.to_owned().into(), change.hlc.clone().into()];
            params.extend(won.values().map(to_sql));
            self.tx.prepare_cached(&sql)?.execute(rusqlite::params_from_iter(params))?;
        } else {
            let mut fields = won.clone();
            if table == "talents" {
                let text = |k: &str| fields.get(k).and_then(Value::as_str).unwrap_or_default().to_owned();
                let key = fold(&format!("{} {}", text("last_name"), text("first_name")));
                fields.insert("name_key".into(), Value::String(key));
            }
            if table == "users" {
                // Accounts logged before their change carried these dates.
                for column in ["created_at", "updated_at"] {
                    fields.entry(column).or_insert_with(|| Value::String(self.now.to_owned()));
                }
            }
            insert(self.tx, table, row_id, &change.hlc, &fields)?;
        }
        if table == "talents" {
            // An inserted row got its name key with its other columns.
            if !inserted && (won.contains_key("first_name") || won.contains_key("last_name")) {
                self.tx.execute(
                    "UPDATE talents SET name_key = ?2 WHERE id = ?1",
                    rusqlite::params![row_id, talent_name_key(self.tx, row_id)?],
                )?;
            }
            self.talents.insert(row_id.to_owned());
        }
        let mut clocks = remote_clocks(self.tx, table, row_id)?;
        for field in won.keys() {
            clocks.insert(field.clone(), change.hlc.clone());
        }
        self.tx
            .prepare_cached(
                "INSERT INTO field_clock (table_name, row_id, clocks) VALUES (?1, ?2, ?3)
                 ON CONFLICT (table_name, row_id) DO UPDATE SET clocks = excluded.clocks",
            )?
            .execute(rusqlite::params![table, row_id, serde_json::to_string(&clocks).unwrap_or_default()])?;
        Ok(true)
    }

    /// Fields where a remote value met a value this laptop wrote itself: which one was kept.
    fn record_merges(
        &mut self,
        change: &Change,
        before: &RecordState,
        after: &RecordState,
        local_clocks: &BTreeMap<String, String>,
    ) {
        if change.op == Op::Delete {
            return;
        }
        for field in change.fields.keys() {
            let Some(local) = local_clocks.get(field) else { continue };
            if before.field_hlc.get(field) != Some(local) || *local == change.hlc {
                continue;
            }
            let outcome = if after.field_hlc.get(field) == Some(&change.hlc) {
                MergeOutcome::RemoteWon
            } else {
                MergeOutcome::LocalKept
            };
            self.report.merge_count += 1;
            if self.report.merges.len() < REPORT_LIMIT {
                self.report.merges.push(MergeDto {
                    table: change.table.clone(),
                    row_id: change.row_id.clone(),
                    field: field.clone(),
                    outcome,
                });
            }
        }
    }

    fn apply_delete(&mut self, change: &Change) -> CoreResult<()> {
        let (table, row_id) = (change.table.as_str(), change.row_id.as_str());
        self.tx.execute(
            "INSERT INTO sync_tombstones (table_name, row_id, hlc) VALUES (?1, ?2, ?3)
             ON CONFLICT (table_name, row_id) DO UPDATE SET hlc = max(hlc, excluded.hlc)",
            [table, row_id, change.hlc.as_str()],
        )?;
        self.tx.execute("DELETE FROM field_clock WHERE table_name = ?1 AND row_id = ?2", [table, row_id])?;
        if table != "talents" {
            self.tx.execute(&format!("DELETE FROM {table} WHERE id = ?1"), [row_id])?;
            return Ok(());
        }
        let erased_at = change.fields.get("erased_at").and_then(Value::as_str).unwrap_or(self.now);
        crate::talents::erase_row(self.tx, self.attachments, row_id, erased_at, &change.hlc)?;
        self.talents.insert(row_id.to_owned());
        Ok(())
    }
}

/// The clocks of the values this laptop took from other laptops for one row.
fn remote_clocks(tx: &Transaction<'_>, table: &str, row_id: &str) -> CoreResult<BTreeMap<String, String>> {
    let clocks: Option<String> = tx
        .prepare_cached("SELECT clocks FROM field_clock WHERE table_name = ?1 AND row_id = ?2")?
        .query_row([table, row_id], |r| r.get(0))
        .optional()?;
    Ok(clocks.and_then(|c| serde_json::from_str(&c).ok()).unwrap_or_default())
}

/// The fields a table has columns for.
fn known(fields: &Map<String, Value>, columns: &[String]) -> Map<String, Value> {
    fields
        .iter()
        .filter(|(k, _)| columns.contains(k) && !NEVER_APPLIED.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

fn insert(tx: &Transaction<'_>, table: &str, id: &str, hlc: &str, fields: &Map<String, Value>) -> CoreResult<()> {
    let names: Vec<&str> = fields.keys().map(String::as_str).collect();
    let placeholders: Vec<String> = (3..names.len() + 3).map(|i| format!("?{i}")).collect();
    let sql = if names.is_empty() {
        format!("INSERT INTO {table} (id, hlc) VALUES (?1, ?2)")
    } else {
        format!("INSERT INTO {table} (id, hlc, {}) VALUES (?1, ?2, {})", names.join(", "), placeholders.join(", "))
    };
    let mut params: Vec<rusqlite::types::Value> = vec![id.to_owned().into(), hlc.to_owned().into()];
    params.extend(fields.values().map(to_sql));
    tx.prepare_cached(&sql)?.execute(rusqlite::params_from_iter(params))?;
    Ok(())
}

fn talent_name_key(tx: &Transaction<'_>, id: &str) -> CoreResult<String> {
    let (first, last): (String, String) =
        tx.query_row("SELECT first_name, last_name FROM talents WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(fold(&format!("{last} {first}")))
}
