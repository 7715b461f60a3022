//! SQLite storage. One connection behind a mutex: SQLite has one writer anyway, and WAL lets the
//! file be read (e.g. by a backup) while we write.

use std::path::Path;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use serde::Serialize;
use shared::{VisitAssessment, VisitRecord};
use uuid::Uuid;

use crate::error::ApiError;

/// Schema steps, applied in order; `PRAGMA user_version` remembers how many ran.
const MIGRATIONS: &[&str] = &["CREATE TABLE visits (
        id          TEXT PRIMARY KEY NOT NULL,
        org_unit    TEXT NOT NULL,
        category    TEXT NOT NULL,
        visit_date  TEXT NOT NULL,
        level       TEXT NOT NULL,   -- risk level when received; the live one is recomputed
        body        TEXT NOT NULL,   -- the parsed record as JSON
        received_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX visits_by_unit ON visits (org_unit, visit_date);"];

#[derive(Clone)]
pub struct Store {
    conn: Arc<Mutex<Connection>>,
}

/// A stored visit record with what the rules say about it today.
#[derive(Debug, Serialize)]
pub struct StoredVisit {
    pub record: VisitRecord,
    pub assessment: VisitAssessment,
    pub received_at: String,
}

/// How a submission ended.
pub enum Saved {
    /// First time this id was seen.
    Created(StoredVisit),
    /// The same record was sent again; nothing changed.
    Replayed(StoredVisit),
}

impl Store {
    /// Opens (creating if needed) the database file and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store, rusqlite::Error> {
        let mut conn = Connection::open(path)?;
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            tracing::warn!(%mode, "SQLite refused WAL mode");
        }
        // A write is acknowledged only once it is on disk.
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        migrate(&mut conn)?;
        Ok(Store {
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    /// Runs `f` on the connection in a blocking thread, off the async workers.
    async fn with<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, ApiError> + Send + 'static,
    {
        let conn = self.conn.clone();
        tokio::task::spawn_blocking(move || {
            // A panic while holding the lock cannot leave a half-done transaction behind
            // (SQLite rolls it back), so a poisoned lock is still safe to use.
            let mut guard = conn.lock().unwrap_or_else(|p| p.into_inner());
            f(&mut guard)
        })
        .await?
    }

    /// Stores `record` unless its id is taken. The same id with the same content is a replay;
    /// with other content it is a conflict and nothing changes.
    pub async fn save_visit(
        &self,
        record: VisitRecord,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<Saved, ApiError> {
        self.with(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let id = record.id.to_string();
            let existing: Option<(String, String)> = tx
                .query_row(
                    "SELECT body, received_at FROM visits WHERE id = ?1",
                    [&id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            if let Some((body, received_at)) = existing {
                let stored: VisitRecord = serde_json::from_str(&body)?;
                return if stored == record {
                    Ok(Saved::Replayed(stored_visit(stored, received_at, today)))
                } else {
                    Err(ApiError::Conflict(record.id))
                };
            }
            let received_at = now.to_rfc3339_opts(SecondsFormat::Millis, true);
            let level = record.assess(today).level;
            tx.execute(
                "INSERT INTO visits (id, org_unit, category, visit_date, level, body, received_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    id,
                    record.org_unit.as_str(),
                    record.category.code(),
                    record.visit_date.to_string(),
                    level.as_str(),
                    serde_json::to_string(&record)?,
                    received_at,
                ],
            )?;
            tx.commit()?;
            Ok(Saved::Created(stored_visit(record, received_at, today)))
        })
        .await
    }

    pub async fn visit(&self, id: Uuid, today: NaiveDate) -> Result<StoredVisit, ApiError> {
        self.with(move |conn| {
            let row: Option<(String, String)> = conn
                .query_row(
                    "SELECT body, received_at FROM visits WHERE id = ?1",
                    [id.to_string()],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let (body, received_at) = row.ok_or(ApiError::NotFound)?;
            Ok(stored_visit(
                serde_json::from_str(&body)?,
                received_at,
                today,
            ))
        })
        .await
    }

    /// Every visit record, newest first.
    pub async fn visits(&self, today: NaiveDate) -> Result<Vec<StoredVisit>, ApiError> {
        self.with(move |conn| {
            let mut stmt =
                conn.prepare("SELECT body, received_at FROM visits ORDER BY received_at DESC, id")?;
            let rows =
                stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
            let mut out = Vec::new();
            for row in rows {
                let (body, received_at) = row?;
                out.push(stored_visit(
                    serde_json::from_str(&body)?,
                    received_at,
                    today,
                ));
            }
            Ok(out)
        })
        .await
    }
}

fn stored_visit(record: VisitRecord, received_at: String, today: NaiveDate) -> StoredVisit {
    let assessment = record.assess(today);
    StoredVisit {
        record,
        assessment,
        received_at,
    }
}

fn migrate(conn: &mut Connection) -> Result<(), rusqlite::Error> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let done: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    for (version, step) in (1i64..).zip(MIGRATIONS).skip(done.max(0) as usize) {
        tx.execute_batch(step)?;
        tx.pragma_update(None, "user_version", version)?;
    }
    tx.commit()
}
