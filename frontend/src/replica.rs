//! 本机副本: the records of the account's scope and the reference data the app needs offline,
//! replicated from the server's change feed (`GET /api/sync`, `shared::sync`) into the
//! account's vault. The records page reads it, online and offline, after an offline reload too.
//!
//! Kept as sixteen buckets per kind (`rec:<kind>:<first hex digit of the id>`), each a JSON
//! map id → record, sealed like every vault item: a first sync of 5,000 records is some 128
//! sealed writes, not 5,000, and a later change rewrites its bucket only. A page is applied
//! whole (records, removals, reference data), then its cursor (`sync:cursor`) is kept: the
//! vault stores items in id order, `rec:` before `sync:`, so a cursor is never stored ahead of
//! the records it stands for (a page applied twice changes nothing). Village and town accounts
//! get their scope; a city account's feed carries no records, so it keeps what it opens
//! ([`keep`]).

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;

use shared::sync::{Reference, SyncPage, SyncRecord};

use crate::api::{LoadError, get_json, url_with};
use crate::device::vault;
use crate::forms::FormKind;

/// A replica older than this is pulled again (also at every login and when the network
/// comes back).
pub const PULL_EVERY_MS: f64 = 5.0 * 60_000.0;
/// Changes asked for in one page.
const PAGE: &str = "1000";
const CURSOR: &str = "sync:cursor";
const REFERENCE: &str = "sync:reference";
const PULLED_AT: &str = "sync:at";

type Bucket = BTreeMap<String, SyncRecord>;

thread_local! {
    /// Buckets as read, by item id, with the vault stamp they were read at.
    static PARSED: RefCell<BTreeMap<String, (u64, Rc<Bucket>)>> = const { RefCell::new(BTreeMap::new()) };
    static PULLING: Cell<bool> = const { Cell::new(false) };
    /// When this page last pulled (ms since the epoch), whatever the result.
    static TRIED_AT: Cell<f64> = const { Cell::new(f64::NEG_INFINITY) };
}

fn prefix(kind: &str) -> String {
    format!("rec:{kind}:")
}

fn bucket_id(kind: &str, id: &str) -> String {
    let first = id.chars().next().unwrap_or('0').to_ascii_lowercase();
    format!("{}{first}", prefix(kind))
}

fn read_bucket(item: &str, stamp: u64) -> Rc<Bucket> {
    if let Some(b) = PARSED.with(|p| {
        p.borrow()
            .get(item)
            .filter(|(s, _)| *s == stamp)
            .map(|(_, b)| b.clone())
    }) {
        return b;
    }
    let bucket: Rc<Bucket> = Rc::new(
        vault::get(item)
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default(),
    );
    PARSED.with(|p| {
        p.borrow_mut()
            .insert(item.to_owned(), (stamp, bucket.clone()))
    });
    bucket
}

/// Every replicated record of `kind`, newest period first.
pub fn records(kind: FormKind) -> Vec<SyncRecord> {
    let mut all: Vec<SyncRecord> = vault::stamps(&prefix(kind.path()))
        .into_iter()
        .flat_map(|(item, stamp)| {
            read_bucket(&item, stamp)
                .values()
                .cloned()
                .collect::<Vec<_>>()
        })
        .collect();
    all.sort_unstable_by(|a, b| b.period.cmp(&a.period).then_with(|| a.id.cmp(&b.id)));
    all
}

/// The replicated record `id` of `kind`.
pub fn record(kind: FormKind, id: &str) -> Option<SyncRecord> {
    let item = bucket_id(kind.path(), id);
    let stamp = vault::stamps(&item)
        .into_iter()
        .find(|(i, _)| *i == item)?
        .1;
    read_bucket(&item, stamp).get(id).cloned()
}

/// Whether anything was ever pulled into this vault.
pub fn has_pulled() -> bool {
    vault::get(CURSOR).is_some()
}

/// When the replica was last brought up to date (ms since the epoch).
pub fn pulled_at() -> Option<f64> {
    vault::get(PULLED_AT).and_then(|t| t.parse().ok())
}

/// The reference data of the last sync.
pub fn reference() -> Option<Reference> {
    vault::get(REFERENCE).and_then(|t| serde_json::from_str(&t).ok())
}

/// Keeps a record read from the server (what a city account opens) in the replica.
pub fn keep(record: SyncRecord) {
    write(Vec::from([record]), Vec::new(), false);
}

fn write(changes: Vec<SyncRecord>, removed: Vec<(String, String)>, reset: bool) {
    if reset {
        for (item, _) in vault::stamps("rec:") {
            vault::put(&item, None);
        }
    }
    let mut touched: BTreeMap<String, Bucket> = BTreeMap::new();
    let mut bucket = |kind: &str, id: &str| -> String {
        let item = bucket_id(kind, id);
        touched.entry(item.clone()).or_insert_with(|| {
            vault::get(&item)
                .and_then(|t| serde_json::from_str(&t).ok())
                .unwrap_or_default()
        });
        item
    };
    let mut ops = Vec::new();
    for r in changes {
        let item = bucket(&r.kind, &r.id.to_string());
        ops.push((item, r.id.to_string(), Some(r)));
    }
    for (kind, id) in removed {
        let item = bucket(&kind, &id);
        ops.push((item, id, None));
    }
    for (item, id, r) in ops {
        let b = touched.get_mut(&item).expect("loaded above");
        match r {
            Some(r) => b.insert(id, r),
            None => b.remove(&id),
        };
    }
    for (item, b) in touched {
        let text = (!b.is_empty()).then(|| serde_json::to_string(&b).unwrap_or_default());
        vault::put(&item, text);
    }
}

/// Applies one page of the feed.
pub fn apply(page: SyncPage) {
    let removed = page
        .removed
        .into_iter()
        .map(|t| (t.kind, t.id.to_string()))
        .collect();
    write(page.changes, removed, page.reset);
    if let Some(reference) = page.reference {
        vault::put(
            REFERENCE,
            Some(serde_json::to_string(&reference).unwrap_or_default()),
        );
    }
    vault::put(CURSOR, Some(page.next));
}

/// What a pull came to.
#[derive(Clone, Debug, PartialEq)]
pub enum Pulled {
    /// Up to date, with this many changes and removals applied.
    Done(usize),
    /// Another pull is running, or the last one is recent.
    Skipped,
    Failed(LoadError),
}

/// Brings the replica up to date, page after page, unless one is running or (without
/// `force`) the last try is recent. Nothing happens while no vault is open.
pub async fn pull(force: bool) -> Pulled {
    let now = js_sys::Date::now();
    if !vault::is_open()
        || PULLING.with(Cell::get)
        || (!force && now - TRIED_AT.with(Cell::get) < PULL_EVERY_MS)
    {
        return Pulled::Skipped;
    }
    PULLING.with(|p| p.set(true));
    TRIED_AT.with(|t| t.set(now));
    let account = vault::account();
    let mut applied = 0;
    let result = loop {
        let since = vault::get(CURSOR).unwrap_or_default();
        let url = url_with("/api/sync", &[("since", &since), ("limit", PAGE)]);
        let page = match get_json::<SyncPage>(&url).await {
            Ok(page) => page,
            Err(e) => break Pulled::Failed(e),
        };
        // Locked, or another account signed in, while the page was on its way.
        if vault::account() != account {
            break Pulled::Skipped;
        }
        let more = page.more;
        applied += page.changes.len() + page.removed.len();
        apply(page);
        if !more {
            vault::put(PULLED_AT, Some(js_sys::Date::now().to_string()));
            break Pulled::Done(applied);
        }
    };
    PULLING.with(|p| p.set(false));
    vault::notify();
    result
}

/// Drops what was read from buckets (on a lock: nothing of an account stays in memory).
pub fn forget_cached() {
    PARSED.with(|p| p.borrow_mut().clear());
}
