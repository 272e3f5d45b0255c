//! The security log (logins, lockouts, password and account changes) and the activity log (who changed what, when,
//! on which laptop). Both live in the encrypted database and are written in the transaction of the change they
//! describe. Neither holds passwords or personal data: users are referenced by id.

use rusqlite::{Connection, Transaction};
use serde_json::Value;
use uuid::Uuid;

use crate::dto::{ActivityDto, SecurityEventDto, SecurityEventKind};
use crate::error::CoreResult;

pub struct SecurityEvent<'a> {
    pub at: &'a str,
    pub kind: SecurityEventKind,
    pub user_id: Option<Uuid>,
    pub lookup: Option<&'a str>,
    pub device_id: Uuid,
    pub detail: Option<&'a str>,
}

impl std::fmt::Debug for SecurityEvent<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecurityEvent").field("kind", &self.kind).field("user_id", &self.user_id).finish()
    }
}

pub fn security(tx: &Transaction<'_>, event: &SecurityEvent<'_>) -> CoreResult<()> {
    tx.execute(
        "INSERT INTO security_log (at, kind, user_id, lookup, device_id, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        rusqlite::params![
            event.at,
            event.kind.as_str(),
            event.user_id.map(|u| u.to_string()),
            event.lookup,
            event.device_id.to_string(),
            event.detail
        ],
    )?;
    Ok(())
}

/// A significant change: who (`user`), what (`action` on `entity`/`entity_id`), when, on which laptop.
/// `details` must not contain personal data.
#[derive(Debug)]
pub struct Activity<'a> {
    pub at: &'a str,
    pub user: Option<Uuid>,
    pub device: Uuid,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<&'a str>,
    pub details: Option<Value>,
}

pub fn activity(tx: &Transaction<'_>, entry: &Activity<'_>) -> CoreResult<()> {
    tx.execute(
        "INSERT INTO activity_log (at, user_id, device_id, action, entity, entity_id, details)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        rusqlite::params![
            entry.at,
            entry.user.map(|u| u.to_string()),
            entry.device.to_string(),
            entry.action,
            entry.entity,
            entry.entity_id,
            entry.details.as_ref().map(Value::to_string)
        ],
    )?;
    Ok(())
}

pub fn list_security(conn: &Connection, limit: u32) -> CoreResult<Vec<SecurityEventDto>> {
    let mut stmt = conn.prepare(
        "SELECT s.id, s.at, s.kind, u.name, s.device_id, s.detail FROM security_log s
         LEFT JOIN users u ON u.id = s.user_id ORDER BY s.at DESC, s.id DESC LIMIT ?1",
    )?;
    let rows = stmt.query_map([limit], |r| {
        Ok((r.get::<_, i64>(0)?, r.get(1)?, r.get::<_, String>(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
    })?;
    let mut events = Vec::new();
    for row in rows {
        let (id, at, kind, user_name, device_id, detail) = row?;
        // A kind written by a newer version is skipped rather than shown wrongly.
        if let Some(kind) = SecurityEventKind::parse(&kind) {
            events.push(SecurityEventDto { id, at, kind, user_name, device_id, detail });
        }
    }
    Ok(events)
}

/// The activity log, newest first; only one entity's entries when `entity` is given (e.g. `("talent", id)`).
pub fn list_activity(conn: &Connection, limit: u32, entity: Option<(&str, &str)>) -> CoreResult<Vec<ActivityDto>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.id, a.at, u.name, a.action, a.entity, a.entity_id, a.device_id FROM activity_log a
         LEFT JOIN users u ON u.id = a.user_id
         WHERE ?2 IS NULL OR (a.entity = ?2 AND a.entity_id = ?3)
         ORDER BY a.at DESC, a.id DESC LIMIT ?1",
    )?;
    let (kind, id) = entity.map_or((None, None), |(k, i)| (Some(k), Some(i)));
    let rows = stmt.query_map(rusqlite::params![limit, kind, id], |r| {
        Ok(ActivityDto {
            id: r.get(0)?,
            at: r.get(1)?,
            user_name: r.get(2)?,
            action: r.get(3)?,
            entity: r.get(4)?,
            entity_id: r.get(5)?,
            device_id: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
