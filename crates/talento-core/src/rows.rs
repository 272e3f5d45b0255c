//! Writing one row of a synced table the same way everywhere: insert it or update only the fields that changed,
//! stamp it with the hybrid logical clock, and append exactly those fields to the change log, all in the caller's
//! transaction. Every synced table has `id`, `created_at`, `created_by`, `updated_at` and `hlc` columns.
//! Column names always come from the code, never from input.

use rusqlite::{OptionalExtension, Transaction};
use serde_json::{Map, Value};
use talento_domain::HlcTimestamp;
use uuid::Uuid;

use crate::changelog::{self, Op};
use crate::engine::now_millis;
use crate::error::CoreResult;

/// Columns that stay on this laptop: written to the row, never to the change log.
const LOCAL_ONLY: [&str; 1] = ["secret_seed"];

/// A JSON value as SQLite stores it: arrays and objects as JSON text, booleans as 0/1.
pub(crate) fn to_sql(value: &Value) -> rusqlite::types::Value {
    use rusqlite::types::Value as Sql;
    match value {
        Value::Null => Sql::Null,
        Value::Bool(b) => Sql::Integer(i64::from(*b)),
        Value::Number(n) => n.as_i64().map(Sql::Integer).unwrap_or_else(|| Sql::Real(n.as_f64().unwrap_or_default())),
        Value::String(s) => Sql::Text(s.clone()),
        other => Sql::Text(other.to_string()),
    }
}

/// The stored values of the named columns of a row, or `None` when it does not exist.
fn current(
    tx: &Transaction<'_>,
    table: &str,
    id: &str,
    columns: &[&str],
) -> CoreResult<Option<Vec<rusqlite::types::Value>>> {
    let sql = format!("SELECT {} FROM {table} WHERE id = ?1", columns.join(", "));
    let mut stmt = tx.prepare_cached(&sql)?;
    Ok(stmt
        .query_row([id], |r| (0..columns.len()).map(|i| r.get::<_, rusqlite::types::Value>(i)).collect())
        .optional()?)
}

/// What [`save`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Saved {
    Inserted(HlcTimestamp),
    Updated(HlcTimestamp),
    Unchanged,
}

/// Inserts a new row `id` of `table` with `fields` and logs it, without first looking for it: for a row that cannot
/// exist yet (a fresh UUIDv7, an immutable event).
pub(crate) fn insert(
    tx: &Transaction<'_>,
    table: &str,
    id: &str,
    fields: &Map<String, Value>,
    actor: Option<Uuid>,
    now: &str,
) -> CoreResult<HlcTimestamp> {
    let stamp = changelog::tick(tx, now_millis())?;
    let mut all = fields.clone();
    all.insert("created_at".into(), Value::from(now));
    all.insert("created_by".into(), actor.map(|a| Value::from(a.to_string())).unwrap_or(Value::Null));
    all.insert("updated_at".into(), Value::from(now));
    let names: Vec<&str> = all.keys().map(String::as_str).collect();
    let placeholders: Vec<String> = (1..=names.len() + 2).map(|i| format!("?{i}")).collect();
    let sql = format!("INSERT INTO {table} (id, hlc, {}) VALUES ({})", names.join(", "), placeholders.join(", "));
    let mut params: Vec<rusqlite::types::Value> = vec![id.to_owned().into(), stamp.to_string().into()];
    params.extend(all.values().map(to_sql));
    tx.prepare_cached(&sql)?.execute(rusqlite::params_from_iter(params))?;
    changelog::record(tx, &stamp, table, id, Op::Upsert, &logged(all))?;
    Ok(stamp)
}

/// The fields of a change as the change log keeps them: without the columns that stay on this laptop.
fn logged(map: Map<String, Value>) -> Value {
    Value::Object(map.into_iter().filter(|(k, _)| !LOCAL_ONLY.contains(&k.as_str())).collect())
}

/// Inserts the row `id` of `table` with `fields`, or updates the fields that differ from what is stored.
pub(crate) fn save(
    tx: &Transaction<'_>,
    table: &str,
    id: &str,
    fields: &Map<String, Value>,
    actor: Option<Uuid>,
    now: &str,
) -> CoreResult<Saved> {
    let columns: Vec<&str> = fields.keys().map(String::as_str).collect();
    let stored = if columns.is_empty() {
        tx.query_row(&format!("SELECT 1 FROM {table} WHERE id = ?1"), [id], |_| Ok(())).optional()?.map(|_| vec![])
    } else {
        current(tx, table, id, &columns)?
    };
    match stored {
        None => Ok(Saved::Inserted(insert(tx, table, id, fields, actor, now)?)),
        Some(values) => {
            let changed: Map<String, Value> = fields
                .iter()
                .zip(values)
                .filter(|((_, new), old)| to_sql(new) != *old)
                .map(|((k, v), _)| (k.clone(), v.clone()))
                .collect();
            if changed.is_empty() {
                return Ok(Saved::Unchanged);
            }
            let stamp = changelog::tick(tx, now_millis())?;
            let sets: Vec<String> = changed.keys().enumerate().map(|(i, k)| format!("{k} = ?{}", i + 4)).collect();
            let sql = format!("UPDATE {table} SET updated_at = ?2, hlc = ?3, {} WHERE id = ?1", sets.join(", "));
            let mut params: Vec<rusqlite::types::Value> =
                vec![id.to_owned().into(), now.to_owned().into(), stamp.to_string().into()];
            params.extend(changed.values().map(to_sql));
            tx.execute(&sql, rusqlite::params_from_iter(params))?;
            let mut log = changed;
            log.insert("updated_at".into(), Value::from(now));
            changelog::record(tx, &stamp, table, id, Op::Upsert, &logged(log))?;
            Ok(Saved::Updated(stamp))
        }
    }
}
