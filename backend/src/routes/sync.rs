//! 同步: `GET /api/sync?since=CURSOR&limit=N`, the change feed an account's app replicates
//! from (issue #17). The wire types are `shared::sync`'s.
//!
//! Each page is read in one read transaction (one snapshot). It lists the heads (current
//! versions) whose `records` row came after the cursor, in `rowid` order: a head in the scope
//! is a change, one that is not but was when the cursor was issued is a tombstone. The next
//! cursor is the `rowid` of the last row listed, or the snapshot's last row when the page holds
//! everything. A record edited while the app pages gets a new row past any cursor and comes
//! again later at its new version; one listed is never listed again at the same version.
//!
//! Why `records.rowid` is a sound cursor: `records` is append-only (its triggers refuse UPDATE
//! and DELETE, `db.rs` migration 2) and has no INTEGER PRIMARY KEY, so SQLite gives each new
//! row max(rowid) + 1 as seen by the transaction that inserts it. Write transactions are
//! serialised — the server's own writes all go through the one writer thread's group commit
//! (`Db::write`), and the CLI's writes to the same file wait for SQLite's write lock — and each
//! one sees every earlier commit, so every row committed after a snapshot has a larger rowid
//! than every row in it. Rows inserted by a job that is rolled back to its savepoint give
//! their rowids back before any commit, unseen by readers. Two things would break it, and the
//! cursor carries a check of its row (a hash of the kind, id and version at that rowid) to
//! notice both and answer `reset`: a database restored from an older backup (the rowids are
//! reused by other records), and a `VACUUM`, which may renumber the rowids of a table like
//! this one (nothing in the server runs one).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use chrono::{NaiveDate, SecondsFormat};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::Value;
use sha2::{Digest, Sha256};
use shared::Problem;
use shared::sync::{
    DEFAULT_LIMIT, MAX_LIMIT, Reference, RuleTable, SyncPage, SyncRecord, Tombstone, Unit,
};
use tower_http::compression::CompressionLayer;
use uuid::Uuid;

use crate::AppState;
use crate::audit;
use crate::auth::{CurrentUser, Role, User};
use crate::error::ApiError;
use crate::forms::kinds::*;
use crate::forms::{FormKind, ViewCtx};
use crate::org::{self, OrgUnit, below_pattern, sql_within};
use crate::routes::views::Params;
use crate::rules::{self, Rules, TableKind};

pub fn routes() -> Router<AppState> {
    // A page of the feed is the JSON of up to a thousand records, alike from one to the next:
    // gzip makes it about a tenth, and on a phone's 1.6 Mbit/s the transfer is most of a first
    // sync (BENCHMARKS.md, "Offline replica at scale"). tower-http's layer answers by
    // Accept-Encoding, with Vary, in gzip: the one codec its features compile in.
    Router::new()
        .route("/sync", get(feed))
        .layer(CompressionLayer::new())
}

/// Where an app stands in the feed. Written as `1.ROWID.CHECK.SCOPE.REFERENCE` (decimal, then
/// hex); the app stores it as it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Cursor {
    /// Every head whose `records` row is at or before this rowid has been given.
    rowid: i64,
    /// [`row_check`] of the row at `rowid` (0 with rowid 0).
    check: u32,
    /// [`scope_key`] of the account it was issued to.
    scope: u64,
    /// [`Snapshot::reference_key`] of the reference data the app holds.
    reference: u64,
}

impl Cursor {
    fn encode(&self) -> String {
        format!(
            "1.{}.{:08x}.{:016x}.{:016x}",
            self.rowid, self.check, self.scope, self.reference
        )
    }

    fn decode(raw: &str) -> Option<Cursor> {
        let mut parts = raw.split('.');
        let hex32 = |s: &str| (s.len() == 8).then(|| u32::from_str_radix(s, 16).ok())?;
        let hex64 = |s: &str| (s.len() == 16).then(|| u64::from_str_radix(s, 16).ok())?;
        if parts.next()? != "1" {
            return None;
        }
        let rowid = parts.next()?;
        // Digits only: no sign, no spaces, nothing `parse` would also take.
        if rowid.is_empty() || !rowid.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let cursor = Cursor {
            rowid: rowid.parse().ok()?,
            check: hex32(parts.next()?)?,
            scope: hex64(parts.next()?)?,
            reference: hex64(parts.next()?)?,
        };
        parts.next().is_none().then_some(cursor)
    }
}

fn sha(parts: &[&str]) -> [u8; 32] {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0]);
    }
    h.finalize().into()
}

fn first_u64(hash: [u8; 32]) -> u64 {
    u64::from_be_bytes(hash[..8].try_into().expect("8 bytes"))
}

/// What the account replicates: records of its unit and below (village, town), or none (city,
/// admin). A cursor issued for another scope starts the sync over.
fn scope_key(user: &User) -> u64 {
    let what = if replicates_records(user) {
        "records"
    } else {
        "reference"
    };
    first_u64(sha(&["scope", what, &user.unit]))
}

/// Village and town accounts carry their records on the device; city and admin accounts see
/// the whole city, too much for a phone, and keep only what they open.
fn replicates_records(user: &User) -> bool {
    matches!(user.role, Role::Village | Role::Town)
}

/// Identifies the row a cursor stands on, so that a cursor from another database (a restored
/// backup) is noticed.
fn row_check(kind: &str, id: &str, version: i64) -> u32 {
    let h = sha(&["row", kind, id, &version.to_string()]);
    u32::from_be_bytes(h[..4].try_into().expect("4 bytes"))
}

/// One head listed by a page, as read.
struct Row {
    rowid: i64,
    kind: String,
    id: String,
    version: i64,
    unit: String,
    /// `None` for a tombstone (its body is not read).
    body: Option<String>,
    received_at: String,
    author: Option<String>,
    period: String,
    status: Option<String>,
    category: Option<String>,
    first_received_at: Option<String>,
}

/// What one read transaction saw.
struct Snapshot {
    /// The last `records` rowid, and its [`row_check`] (0 for none).
    last: i64,
    last_check: u32,
    /// Whether the cursor's row is still what it was (always true without a cursor).
    cursor_fits: bool,
    units: Vec<OrgUnit>,
    /// `max(rowid)` of `rule_tables`.
    rules_generation: i64,
    /// The page's heads, oldest change first, one more than the limit when there are more.
    rows: Vec<Row>,
    /// The published rule tables, read only when the reference goes out.
    published: Option<Vec<rules::Published>>,
}

impl Snapshot {
    /// Changes when the units or the rule tables change, or the server (its built-in tables).
    fn reference_key(&self) -> u64 {
        let generation = self.rules_generation.to_string();
        let mut parts = vec!["reference", env!("CARGO_PKG_VERSION"), generation.as_str()];
        for u in &self.units {
            parts.extend([
                u.id.as_str(),
                u.name.as_str(),
                u.level.code(),
                u.parent.as_deref().unwrap_or(""),
            ]);
        }
        first_u64(sha(&parts))
    }
}

/// Reads a page after `cursor` (of the account's scope; `None`: from the beginning) of the
/// records within `scope` (when `records`: the account replicates them), and the reference data
/// when the app has none or an older one.
fn read_page(
    conn: &Connection,
    scope: &str,
    cursor: Option<Cursor>,
    records: bool,
    limit: u32,
) -> Result<Snapshot, ApiError> {
    // One snapshot for everything below.
    let tx = conn.unchecked_transaction()?;
    let last: i64 = tx.query_row("SELECT coalesce(max(rowid), 0) FROM records", [], |r| {
        r.get(0)
    })?;
    let check_at = |rowid: i64| -> Result<Option<u32>, ApiError> {
        if rowid == 0 {
            return Ok(Some(0));
        }
        Ok(tx
            .prepare_cached("SELECT kind, id, version FROM records WHERE rowid = ?1")?
            .query_row([rowid], |r| {
                Ok(row_check(
                    &r.get::<_, String>(0)?,
                    &r.get::<_, String>(1)?,
                    r.get(2)?,
                ))
            })
            .optional()?)
    };
    let last_check = check_at(last)?.unwrap_or(0);
    let cursor_fits = match cursor {
        None => true,
        Some(c) => check_at(c.rowid)? == Some(c.check),
    };
    let units = org::within(&tx, scope)?;
    let rules_generation: i64 =
        tx.query_row("SELECT coalesce(max(rowid), 0) FROM rule_tables", [], |r| {
            r.get(0)
        })?;
    let from = cursor.filter(|_| cursor_fits).map_or(0, |c| c.rowid);
    let rows = if records {
        heads_after(&tx, scope, from, last, limit)?
    } else {
        Vec::new()
    };
    let mut snapshot = Snapshot {
        last,
        last_check,
        cursor_fits,
        units,
        rules_generation,
        rows,
        published: None,
    };
    let wants_reference =
        !cursor_fits || cursor.is_none_or(|c| c.reference != snapshot.reference_key());
    if wants_reference {
        snapshot.published = Some(rules::latest(&tx)?);
    }
    Ok(snapshot)
}

/// The heads whose row comes after `from` (up to `last`) that are in `scope` (changes) or were
/// in it as of `from` (tombstones), in rowid order, at most `limit + 1`.
fn heads_after(
    conn: &Connection,
    scope: &str,
    from: i64,
    last: i64,
    limit: u32,
) -> Result<Vec<Row>, ApiError> {
    // The unit the record had at the cursor: that of its latest row not after it (versions
    // grow with rowids). NULL for a record the app cannot have had.
    let before = "(SELECT p.unit FROM records p WHERE p.kind = r.kind AND p.id = r.id
                   AND p.rowid <= ?1 ORDER BY p.version DESC LIMIT 1)";
    let inside = sql_within("r.unit", 3);
    let sql = format!(
        "SELECT r.rowid, r.kind, r.id, r.version, r.unit,
                CASE WHEN {inside} THEN r.body END, r.received_at, u.username,
                h.period, h.status, h.category,
                (SELECT f.received_at FROM records f
                 WHERE f.kind = r.kind AND f.id = r.id AND f.version = 1)
         FROM records r
         JOIN heads h ON h.kind = r.kind AND h.id = r.id AND h.version = r.version
         LEFT JOIN users u ON u.id = r.author
         WHERE r.rowid > ?1 AND r.rowid <= ?2
           AND ({inside} OR (?1 > 0 AND {}))
         ORDER BY r.rowid
         LIMIT ?5",
        sql_within(before, 3)
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(
        params![
            from,
            last,
            scope,
            below_pattern(scope),
            i64::from(limit) + 1
        ],
        |r| {
            Ok(Row {
                rowid: r.get(0)?,
                kind: r.get(1)?,
                id: r.get(2)?,
                version: r.get(3)?,
                unit: r.get(4)?,
                body: r.get(5)?,
                received_at: r.get(6)?,
                author: r.get(7)?,
                period: r.get(8)?,
                status: r.get(9)?,
                category: r.get(10)?,
                first_received_at: r.get(11)?,
            })
        },
    )?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A stored record as `GET /api/<kind>/<id>` shows it: the record, its view, whether its reads
/// are audited.
struct Decoded {
    record: Value,
    assessment: Value,
    sensitive: bool,
}

/// One form kind as the feed sees it.
pub struct Codec {
    /// `FormKind::KIND`, as stored.
    pub kind: &'static str,
    /// `FormKind::PATH`, as the app names kinds.
    pub path: &'static str,
    decode: fn(&str, NaiveDate, &Arc<Rules>) -> Result<Decoded, ApiError>,
}

fn decode<K: FormKind>(
    body: &str,
    today: NaiveDate,
    rules: &Arc<Rules>,
) -> Result<Decoded, ApiError> {
    let record: K::Record = serde_json::from_str(body)?;
    // As `store::load`: the kinds that use no rule table are viewed with the built-in ones.
    let builtin;
    let rules = if K::USES_RULES {
        rules
    } else {
        builtin = Rules::shared_builtin();
        &builtin
    };
    let ctx = ViewCtx { today, rules };
    Ok(Decoded {
        assessment: K::view(&record, &ctx),
        sensitive: K::sensitive(&record),
        record: serde_json::to_value(&record)?,
    })
}

fn codec<K: FormKind>() -> Codec {
    Codec {
        kind: K::KIND,
        path: K::PATH,
        decode: decode::<K>,
    }
}

/// Every form kind the store keeps (the kinds `routes::router` mounts).
pub fn codecs() -> [Codec; 8] {
    [
        codec::<Visit>(),
        codec::<KeyPersonKind>(),
        codec::<MeetingKind>(),
        codec::<MonthlyKind>(),
        codec::<CaseKind>(),
        codec::<SelfAssessmentKind>(),
        codec::<ModelHomeKind>(),
        codec::<TownAssessmentKind>(),
    ]
}

fn reference(units: &[OrgUnit], published: Vec<rules::Published>) -> Reference {
    let tables = |kind: TableKind| {
        rules::listed(kind, published.clone())
            .into_iter()
            .map(|p| RuleTable {
                year: p.year,
                version: u32::try_from(p.version).unwrap_or(u32::MAX),
                table: p.table,
            })
            .collect()
    };
    Reference {
        units: units
            .iter()
            .map(|u| Unit {
                id: u.id.clone(),
                name: u.name.clone(),
                level: u.level.code().to_owned(),
                parent: u.parent.clone(),
            })
            .collect(),
        calendars: tables(TableKind::Calendar),
        rubrics: tables(TableKind::Rubric),
        themes: tables(TableKind::Themes),
    }
}

/// `GET /api/sync?since=&limit=`.
async fn feed(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<SyncPage>, ApiError> {
    let mut p = Params::new(q, &["since", "limit"]);
    let since = p.parse("since", ("同步游标", "Sync cursor"), |raw| {
        Cursor::decode(raw).ok_or(Problem::Malformed {
            detail: "not a cursor this server gave".into(),
        })
    });
    let limit = p
        .parse("limit", ("条数", "Limit"), |raw| {
            raw.parse::<u32>()
                .ok()
                .filter(|n| (1..=MAX_LIMIT).contains(n))
                .ok_or(Problem::OutOfRange {
                    min: 1,
                    max: MAX_LIMIT.into(),
                })
        })
        .unwrap_or(DEFAULT_LIMIT);
    p.finish()?;

    let scope = scope_key(&user);
    // A cursor of another scope is answered as no cursor, flagged `reset`.
    let cursor = since.filter(|c| c.scope == scope);
    let records = replicates_records(&user);
    let unit = user.unit.clone();
    let snap = state
        .db
        .read(move |conn| read_page(conn, &unit, cursor, records, limit))
        .await?;
    let reset = since.is_some() && (cursor.is_none() || !snap.cursor_fits);
    let reference_key = snap.reference_key();

    let more = snap.rows.len() > limit as usize;
    let rows = &snap.rows[..snap.rows.len().min(limit as usize)];
    // Past every row the snapshot holds when nothing waits: rows of other scopes are not
    // looked at again.
    let (next_rowid, next_check) = match rows.last() {
        Some(r) if more => (r.rowid, row_check(&r.kind, &r.id, r.version)),
        _ => (snap.last, snap.last_check),
    };

    let rules = state.rules().await?;
    let today = state.today();
    let codecs = codecs();
    let mut changes = Vec::new();
    let mut removed = Vec::new();
    let mut sensitive: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    for row in rows {
        let codec = codecs
            .iter()
            .find(|c| c.kind == row.kind)
            .ok_or_else(|| ApiError::internal(format!("a stored kind {:?}", row.kind)))?;
        let id = Uuid::parse_str(&row.id).map_err(ApiError::internal)?;
        let Some(body) = &row.body else {
            removed.push(Tombstone {
                kind: codec.path.to_owned(),
                id,
            });
            continue;
        };
        let d = (codec.decode)(body, today, &rules)?;
        if d.sensitive {
            sensitive
                .entry(codec.kind)
                .or_default()
                .push(row.id.clone());
        }
        changes.push(SyncRecord {
            kind: codec.path.to_owned(),
            id,
            version: u32::try_from(row.version).map_err(ApiError::internal)?,
            unit: row.unit.clone(),
            received_at: row.received_at.clone(),
            author: row.author.clone(),
            record: d.record,
            assessment: d.assessment,
            period: row.period.clone(),
            status: row.status.clone(),
            category: row.category.clone(),
            first_received_at: row
                .first_received_at
                .clone()
                .unwrap_or_else(|| row.received_at.clone()),
        });
    }
    // As a list: one entry per page (per sensitive kind in it) naming the ids, written before
    // anything is answered.
    if !sensitive.is_empty() {
        let at = state.now().to_rfc3339_opts(SecondsFormat::Millis, true);
        let who = user.clone();
        state
            .db
            .write(move |conn| {
                for (kind, ids) in &sensitive {
                    audit::append(
                        conn,
                        &at,
                        Some(&who),
                        "sync",
                        Some(kind),
                        None,
                        Some(&ids.join(",")),
                    )?;
                }
                Ok(())
            })
            .await?;
    }
    let reference = snap.published.map(|p| reference(&snap.units, p));
    let next = Cursor {
        rowid: next_rowid,
        check: next_check,
        scope,
        reference: reference_key,
    };
    Ok(Json(SyncPage {
        changes,
        removed,
        reference,
        next: next.encode(),
        more,
        reset,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_reads_back_and_nothing_else_is_one() {
        let c = Cursor {
            rowid: 1234,
            check: 0xdead_beef,
            scope: 7,
            reference: u64::MAX,
        };
        assert_eq!(Cursor::decode(&c.encode()), Some(c));
        for bad in [
            "",
            "x",
            "1",
            "2.1234.deadbeef.0000000000000007.ffffffffffffffff",
            "1.+1234.deadbeef.0000000000000007.ffffffffffffffff",
            "1.-1.deadbeef.0000000000000007.ffffffffffffffff",
            "1.1234.deadbee.0000000000000007.ffffffffffffffff",
            "1.1234.deadbeef.0000000000000007.ffffffffffffffff.",
            "1.1234.deadbeef.0000000000000007",
            "1.99999999999999999999.deadbeef.0000000000000007.ffffffffffffffff",
        ] {
            assert_eq!(Cursor::decode(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_feed_knows_every_kind_the_api_describes() {
        let known: Vec<(&str, &str)> = codecs().iter().map(|c| (c.kind, c.path)).collect();
        for k in crate::openapi::kinds() {
            assert!(known.contains(&(k.kind, k.path)), "{}", k.kind);
        }
        assert_eq!(known.len(), crate::openapi::kinds().len());
    }
}
