//! 审计日志: who did what, when. Append-only (triggers refuse UPDATE and DELETE); admins read it.

use rusqlite::{Connection, params};
use serde::Serialize;

use crate::auth::User;
use crate::error::ApiError;

#[derive(Debug, Serialize)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: String,
    pub user_id: Option<i64>,
    pub username: Option<String>,
    pub action: String,
    pub kind: Option<String>,
    pub record: Option<String>,
    pub detail: Option<String>,
}

/// One line of the log, in the caller's transaction.
pub fn append(
    conn: &Connection,
    at: &str,
    user: Option<&User>,
    action: &str,
    kind: Option<&str>,
    record: Option<&str>,
    detail: Option<&str>,
) -> Result<(), ApiError> {
    conn.prepare_cached(
        "INSERT INTO audit (at, user_id, username, action, kind, record, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        at,
        user.map(|u| u.id),
        user.map(|u| u.username.as_str()),
        action,
        kind,
        record,
        detail
    ])?;
    Ok(())
}

/// Entries after `after` (a `seq`), oldest first, at most `limit`.
pub fn list(conn: &Connection, after: i64, limit: u32) -> Result<Vec<AuditEntry>, ApiError> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, user_id, username, action, kind, record, detail FROM audit
         WHERE seq > ?1 ORDER BY seq LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![after, limit], |r| {
        Ok(AuditEntry {
            seq: r.get(0)?,
            at: r.get(1)?,
            user_id: r.get(2)?,
            username: r.get(3)?,
            action: r.get(4)?,
            kind: r.get(5)?,
            record: r.get(6)?,
            detail: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
