//! 同步: the wire shape of the change feed an account's app replicates from,
//! `GET /api/sync?since=CURSOR&limit=N` (issue #17).
//!
//! The app keeps a replica of the records in its account's scope and the reference data it
//! needs offline. It asks with no `since` the first time, then with the `next` of the last page
//! it stored, and calls again at once while `more` is set. Each page is applied as a whole:
//! upsert `changes`, drop `removed`, replace the reference data when `reference` is present,
//! then remember `next`. With `reset` set it first drops every record it holds: the page is the
//! first of a full sync.
//!
//! Scope: a village or town account gets the records of its unit and every unit below it. A
//! city or admin account gets the reference data only, never records: the whole city is too
//! much to carry on a phone, so those accounts keep what they open.
//!
//! Pure data: the server builds these, the app reads them; no rule lives here.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

/// Changes a page holds when the request names no `limit`.
pub const DEFAULT_LIMIT: u32 = 500;
/// The most changes (records plus tombstones) one page may be asked for.
pub const MAX_LIMIT: u32 = 2_000;

/// 同步页: one answer of the feed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SyncPage {
    /// Records new, changed or moved into the scope since the cursor, each at its current
    /// version and at most once in a page, oldest change first. A record that changes again
    /// while the app pages comes again, later, at its newer version.
    pub changes: Vec<SyncRecord>,
    /// Records that left the scope since the cursor (moved to a unit outside it): drop them.
    /// Nothing is ever deleted on the server, so this is the only way a record goes.
    pub removed: Vec<Tombstone>,
    /// The reference data, whole: on the first page of a sync (no `since`, or `reset`) and on a
    /// page whose cursor was issued before it last changed; `None` means keep what you have.
    pub reference: Option<Reference>,
    /// The cursor to send as `since` next time. Opaque: store it as it is, never build one.
    pub next: String,
    /// More changes are waiting: call again at once with `next`.
    pub more: bool,
    /// The cursor no longer fits: the account's unit (or role) changed since it was issued, or
    /// the server's database is not the one that issued it (restored from a backup). Drop every
    /// replicated record and take this page as the first of a full sync.
    pub reset: bool,
}

/// 记录: one record at its current version, as `GET /api/<kind>/<id>` answers it, with its
/// kind and id beside.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SyncRecord {
    /// The kind as the API's path names it: `visits`, `key-persons`, `meetings`,
    /// `monthly-reports`, `rights-cases`, `self-assessments`, `model-homes`,
    /// `town-assessments`. A kind the app does not know is to be skipped, not refused.
    pub kind: String,
    pub id: Uuid,
    /// The current version, 1 for the first; what an edit sends as `If-Match`.
    pub version: u32,
    /// The org unit the record belongs to now.
    pub unit: String,
    /// When the server stored this version (RFC 3339, UTC).
    pub received_at: String,
    /// Username of whoever wrote this version.
    pub author: Option<String>,
    /// The checked record, exactly as `GET /api/<kind>/<id>` gives it in `record`.
    pub record: Value,
    /// What the rules computed from the record (risk level and warnings, case deadlines,
    /// scores, …) as of the server's today when the page was made; `null` for kinds that
    /// compute nothing. It moves with the date: the app recomputes it with `shared` when it
    /// shows the record.
    pub assessment: Value,
    /// What the list filters on, as the server's list computes it (`GET /api/<kind>?from=&to=
    /// &status=&category=`): the record's own date (`YYYY-MM-DD`: a visit's date, a meeting's,
    /// the first of a report's month …), its state (`open`, `resolved`, a case's stage …) and
    /// its category code. The app filters its replica on these, never computing them again.
    pub period: String,
    pub status: Option<String>,
    pub category: Option<String>,
    /// When its first version was stored (RFC 3339): a monthly report counts as received then.
    pub first_received_at: String,
}

/// 移出: a record that left the scope.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tombstone {
    /// As in [`SyncRecord::kind`].
    pub kind: String,
    pub id: Uuid,
}

/// 参考数据: what the app needs offline besides records. Always whole: a page carries all of
/// it or none of it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reference {
    /// The account's unit and every unit below it, parents first (as `GET /api/me`'s `units`).
    pub units: Vec<Unit>,
    /// 工作日历: every year's calendar in force, by year.
    pub calendars: Vec<RuleTable>,
    /// 考核细则: every year's rubric in force, by year.
    pub rubrics: Vec<RuleTable>,
    /// 月月谈主题: every published year's themes, by year. A year without its own takes the
    /// newest before it, else the themes built into `shared`.
    pub themes: Vec<RuleTable>,
    // Council members are not here: the server keeps none apart from the meetings that name
    // them (the app keeps its rosters itself).
}

/// 组织单位.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    /// Its path, e.g. `rugao/baipu/linzi`.
    pub id: String,
    pub name: String,
    /// 层级: `city`, `town` or `village`.
    pub level: String,
    pub parent: Option<String>,
}

/// One year's rule table in force (as `GET /api/calendars` and the like list them).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RuleTable {
    pub year: u16,
    /// The published version, 1, 2, …; 0 for the table built into `shared`, never published.
    pub version: u32,
    /// The table in the shape of its file (`shared/data/…`), read with `shared`'s own parser
    /// (`YearTable::from_json`, `Rubric::parse_json`, `ThemeTable::parse_json`).
    pub table: Value,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_reads_back_as_written() {
        let page = SyncPage {
            changes: vec![SyncRecord {
                kind: "visits".into(),
                id: Uuid::nil(),
                version: 2,
                unit: "rugao/baipu/linzi".into(),
                received_at: "2026-11-29T02:00:00.000Z".into(),
                author: Some("linzi".into()),
                record: serde_json::json!({"id": Uuid::nil()}),
                assessment: Value::Null,
                period: "2026-11-28".into(),
                status: Some("open".into()),
                category: Some("A".into()),
                first_received_at: "2026-11-28T02:00:00.000Z".into(),
            }],
            removed: vec![Tombstone {
                kind: "visits".into(),
                id: Uuid::max(),
            }],
            reference: None,
            next: "v1.1.2.3".into(),
            more: false,
            reset: false,
        };
        let json = serde_json::to_string(&page).unwrap();
        assert_eq!(serde_json::from_str::<SyncPage>(&json).unwrap(), page);
        // `reference: null` is sent, not left out: the app can tell "none" from "forgot".
        assert!(json.contains(r#""reference":null"#), "{json}");
    }
}
