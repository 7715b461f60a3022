//! Sample records for the demo city (filled in by `demo::install`).

use chrono::{DateTime, Utc};
use rusqlite::Connection;

/// Adds a few months of sample records of every kind.
pub fn install(_conn: &Connection, _now: DateTime<Utc>) -> Result<(), String> {
    Ok(())
}
