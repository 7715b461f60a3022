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
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use shared::calendar::{WorkCalendar, YearTable};
use shared::rubric::Rubric;
use shared::sync::{Reference, SyncPage, SyncRecord};
use shared::themes::ThemeTable;

use crate::api::{LoadError, get_json, url_with};
use crate::device::vault;
use crate::forms::FormKind;
use yew::prelude::*;

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
    static FAILED: RefCell<Option<LoadError>> = const { RefCell::new(None) };
}

fn prefix(kind: &str) -> String {
    format!("rec:{kind}:")
}

/// A record's bucket: its kind's records by the id's first two hex digits, 256 a kind, so a
/// change rewrites and re-reads about 1/256 of them. (With 16, by the first digit, an
/// incremental sync of 10 records rewrote most of a 5,000-record replica: BENCHMARKS.md.)
fn bucket_id(kind: &str, id: &str) -> String {
    let key: String = id.chars().take(2).map(|c| c.to_ascii_lowercase()).collect();
    format!("{}{key}", prefix(kind))
}

/// The bucket layout this version writes; a replica in another is re-bucketed on the device.
const LAYOUT: &str = "2";
const LAYOUT_ITEM: &str = "sync:layout";

/// Moves a replica kept by an older version (16 buckets a kind) into today's buckets, with
/// nothing fetched: the records, the reference and the cursor all stay.
fn upgrade_layout() {
    if vault::get(LAYOUT_ITEM).as_deref() == Some(LAYOUT) {
        return;
    }
    let mut batch = Batch {
        reset: true,
        ..Batch::default()
    };
    for (item, _) in vault::stamps("rec:") {
        for r in stored_bucket(&item).into_values() {
            batch.change(r);
        }
    }
    batch.store();
    vault::put(LAYOUT_ITEM, Some(LAYOUT.into()));
}

/// A record's assessment as of today, where it moves with the date and the app can compute
/// it: a visit record's risk level and warnings, with `shared`, as the server does on a read.
fn assessed_today(mut r: SyncRecord) -> SyncRecord {
    if r.kind == FormKind::Visit.path()
        && let Ok(visit) = shared::json::read_value::<shared::VisitRecord>(&r.record)
        && let Ok(a) = serde_json::to_value(visit.assess(crate::today()))
    {
        r.assessment = a;
    }
    r
}

fn stamp_of(item: &str) -> Option<u64> {
    vault::stamps(item)
        .into_iter()
        .find(|(i, _)| i == item)
        .map(|(_, stamp)| stamp)
}

/// The bucket as the vault holds it, read from its text (empty when there is none).
fn stored_bucket(item: &str) -> Bucket {
    vault::get(item)
        .and_then(|t| shared::json::read(&t).ok())
        .unwrap_or_default()
}

/// The bucket as last read, if that was at `stamp`.
fn cached(item: &str, stamp: u64) -> Option<Rc<Bucket>> {
    PARSED.with(|p| {
        p.borrow()
            .get(item)
            .filter(|(s, _)| *s == stamp)
            .map(|(_, b)| b.clone())
    })
}

/// The bucket as last read, if the vault still holds that version of it.
fn parsed_now(item: &str) -> Option<Rc<Bucket>> {
    cached(item, stamp_of(item)?)
}

fn read_bucket(item: &str, stamp: u64) -> Rc<Bucket> {
    if let Some(b) = cached(item, stamp) {
        return b;
    }
    let bucket: Rc<Bucket> = Rc::new(
        stored_bucket(item)
            .into_iter()
            .map(|(id, r)| (id, assessed_today(r)))
            .collect(),
    );
    PARSED.with(|p| {
        p.borrow_mut()
            .insert(item.to_owned(), (stamp, bucket.clone()))
    });
    bucket
}

fn buckets(kind: FormKind) -> Vec<Rc<Bucket>> {
    vault::stamps(&prefix(kind.path()))
        .into_iter()
        .map(|(item, stamp)| read_bucket(&item, stamp))
        .collect()
}

/// Newest period first; the id breaks ties.
fn newest_first(a: &SyncRecord, b: &SyncRecord) -> std::cmp::Ordering {
    b.period.cmp(&a.period).then_with(|| a.id.cmp(&b.id))
}

/// Every replicated record of `kind`, newest period first.
pub fn records(kind: FormKind) -> Vec<SyncRecord> {
    let mut all: Vec<SyncRecord> = buckets(kind)
        .iter()
        .flat_map(|b| b.values().cloned())
        .collect();
    shared::order::sort_by(&mut all, newest_first);
    all
}

/// What the records list filters on; blank fields do not filter. The same filters as the
/// server's list (`GET /api/<kind>?unit=&from=&to=&status=&category=&level=`), on the facets
/// the server computed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Query {
    /// This unit and the units below it.
    pub unit: String,
    pub from: String,
    pub to: String,
    pub status: String,
    pub category: String,
    /// A visit record's risk level today.
    pub level: String,
}

impl Query {
    pub fn matches(&self, r: &SyncRecord) -> bool {
        let is = |want: &str, have: Option<&str>| want.is_empty() || have == Some(want);
        (self.unit.is_empty()
            || r.unit
                .strip_prefix(self.unit.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/')))
            && (self.from.is_empty() || r.period.as_str() >= self.from.as_str())
            && (self.to.is_empty() || r.period.as_str() <= self.to.as_str())
            && is(&self.status, r.status.as_deref())
            && is(&self.category, r.category.as_deref())
            && is(
                &self.level,
                r.assessment.get("level").and_then(|l| l.as_str()),
            )
    }
}

/// The replicated records of `kind` that `query` matches, newest period first, at most
/// `limit`, with how many matched in all.
pub fn list(kind: FormKind, query: &Query, limit: usize) -> (Vec<SyncRecord>, usize) {
    // Filtered and sorted by reference, and only the `limit` shown cloned: a filter change
    // on 5,000 records copied every one of them before (BENCHMARKS.md).
    let buckets = buckets(kind);
    let mut matched: Vec<&SyncRecord> = buckets
        .iter()
        .flat_map(|b| b.values())
        .filter(|r| query.matches(r))
        .collect();
    let all = matched.len();
    if limit < all {
        matched.select_nth_unstable_by(limit, |a, b| newest_first(a, b));
        matched.truncate(limit);
    }
    shared::order::sort_by(&mut matched, |a, b| newest_first(a, b));
    (matched.into_iter().cloned().collect(), all)
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

/// Whether `role`'s feed carries records (village and town accounts replicate their units; a
/// city account keeps what it opens).
pub fn replicates(role: &str) -> bool {
    matches!(role, "village" | "town")
}

/// Why the last pull of this page failed, if it did.
pub fn last_failure() -> Option<LoadError> {
    FAILED.with(|f| f.borrow().clone())
}

/// Whether a pull is on its way.
pub fn pulling() -> bool {
    PULLING.with(Cell::get)
}

/// A counter that moves whenever the vault changes (a pull applied, another tab's write, a
/// lock): a page reading the replica renders again.
#[hook]
pub fn use_changes() -> u32 {
    let changes = use_state(|| 0u32);
    {
        let changes = changes.clone();
        use_effect_with((), move |_| {
            let counter = Rc::new(Cell::new(0u32));
            let listener = vault::listen(move || {
                counter.set(counter.get().wrapping_add(1));
                changes.set(counter.get());
            });
            move || drop(listener)
        });
    }
    *changes
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
    vault::get(REFERENCE).and_then(|t| shared::json::read(&t).ok())
}

/// The working-day calendar in force on this device: the built-in tables, each year the server
/// has published (as of the last sync) in its place — what case deadlines are counted with,
/// offline too.
pub fn calendar() -> WorkCalendar {
    let mut calendar = WorkCalendar::builtin();
    for t in reference().map(|r| r.calendars).unwrap_or_default() {
        if let Ok(table) = YearTable::from_json(&t.table.to_string())
            && let Ok(next) = calendar.clone().with_year(table)
        {
            calendar = next;
        }
    }
    calendar
}

/// The monthly council themes in force in `year` (as the server chooses them), from the last
/// sync's published tables, else the built-in ones.
pub fn themes(year: u16) -> ThemeTable {
    let published = reference().map(|r| r.themes).unwrap_or_default();
    shared::themes::year_in_force(published.iter().map(|t| t.year), year)
        .and_then(|y| published.iter().find(|t| t.year == y))
        .and_then(|t| ThemeTable::from_json(&t.table.to_string()).ok())
        .unwrap_or_else(ThemeTable::builtin)
}

thread_local! {
    /// Rubrics read from the reference data, by year and version, kept for the page's life (a
    /// handful at most: one per published year).
    static RUBRICS: RefCell<Vec<(u16, u32, &'static Rubric)>> = const { RefCell::new(Vec::new()) };
}

/// The rubric a town assessment of `year` is filled against on this device: the year's
/// published one (as of the last sync), else the newest before it, else the built-in one — as
/// the server chooses (`shared::rubric::year_in_force`).
pub fn rubric_in_force(year: u16) -> &'static Rubric {
    let builtin = Rubric::builtin();
    let published = reference().map(|r| r.rubrics).unwrap_or_default();
    let years = published.iter().map(|t| t.year).chain([builtin.year]);
    let Some(chosen) = shared::rubric::year_in_force(years, year) else {
        return builtin;
    };
    let Some(table) = published.iter().find(|t| t.year == chosen) else {
        return builtin;
    };
    let kept = RUBRICS.with(|r| {
        r.borrow()
            .iter()
            .find(|(y, v, _)| *y == table.year && *v == table.version)
            .map(|(_, _, rubric)| *rubric)
    });
    kept.or_else(|| {
        let rubric: &'static Rubric =
            Box::leak(Box::new(Rubric::from_json(&table.table.to_string()).ok()?));
        RUBRICS.with(|r| r.borrow_mut().push((table.year, table.version, rubric)));
        Some(rubric)
    })
    .unwrap_or(builtin)
}

/// Keeps a record read from the server (what a city account opens) in the replica.
pub fn keep(record: SyncRecord) {
    upgrade_layout();
    let mut batch = Batch::default();
    batch.change(record);
    batch.store();
}

/// Pages of the feed applied in memory: each bucket is read from the vault once and written
/// once, with the cursor, when the pull ends. Written page by page, a first sync of 5,000
/// records parsed and sealed every bucket again for each page (BENCHMARKS.md); the vault never
/// holds a cursor ahead of the records it has.
#[derive(Default)]
struct Batch {
    buckets: BTreeMap<String, Bucket>,
    /// The feed started over: the replica's other buckets go.
    reset: bool,
    reference: Option<Reference>,
    cursor: Option<String>,
    applied: usize,
    /// Records this batch brought: only these are assessed again when it is stored.
    changed: BTreeSet<String>,
}

impl Batch {
    fn bucket(&mut self, kind: &str, id: &str) -> &mut Bucket {
        let item = bucket_id(kind, id);
        let reset = self.reset;
        self.buckets.entry(item).or_insert_with_key(|item| {
            if reset {
                return Bucket::new();
            }
            // As the list last read it, when it is still what the vault holds: a copy costs
            // less than parsing the bucket's text again.
            match parsed_now(item) {
                Some(parsed) => (*parsed).clone(),
                None => stored_bucket(item),
            }
        })
    }

    fn change(&mut self, r: SyncRecord) {
        let id = r.id.to_string();
        self.bucket(&r.kind, &id).insert(id.clone(), r);
        self.changed.insert(id);
        self.applied += 1;
    }

    fn add(&mut self, page: SyncPage) {
        if page.reset {
            self.buckets.clear();
            self.reset = true;
        }
        for r in page.changes {
            self.change(r);
        }
        for t in page.removed {
            let id = t.id.to_string();
            self.bucket(&t.kind, &id).remove(&id);
            self.applied += 1;
        }
        if page.reference.is_some() {
            self.reference = page.reference;
        }
        self.cursor = Some(page.next);
    }

    /// Writes the buckets, then the reference and the cursor; the buckets stay parsed for the
    /// pages that list them next.
    fn store(self) {
        if self.reset {
            for (item, _) in vault::stamps("rec:") {
                if !self.buckets.contains_key(&item) {
                    vault::put(&item, None);
                }
            }
        }
        for (item, b) in self.buckets {
            if b.is_empty() {
                vault::put(&item, None);
                continue;
            }
            let before = parsed_now(&item);
            vault::put(&item, Some(serde_json::to_string(&b).unwrap_or_default()));
            if let Some(stamp) = stamp_of(&item) {
                let parsed: Bucket = b
                    .into_iter()
                    .map(|(id, r)| {
                        let kept = before
                            .as_ref()
                            .filter(|_| !self.changed.contains(&id))
                            .and_then(|b| b.get(&id).cloned());
                        (id, kept.unwrap_or_else(|| assessed_today(r)))
                    })
                    .collect();
                PARSED.with(|p| p.borrow_mut().insert(item, (stamp, Rc::new(parsed))));
            }
        }
        if let Some(reference) = self.reference {
            vault::put(
                REFERENCE,
                Some(serde_json::to_string(&reference).unwrap_or_default()),
            );
        }
        if let Some(cursor) = self.cursor {
            vault::put(CURSOR, Some(cursor));
        }
    }
}

/// Applies one page of the feed.
pub fn apply(page: SyncPage) {
    upgrade_layout();
    let mut batch = Batch::default();
    batch.add(page);
    batch.store();
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
    upgrade_layout();
    PULLING.with(|p| p.set(true));
    TRIED_AT.with(|t| t.set(now));
    vault::notify();
    let account = vault::account();
    let fetch = |since: String| {
        let url = url_with("/api/sync", &[("since", &since), ("limit", PAGE)]);
        Box::pin(async move { get_json::<SyncPage>(&url).await })
    };
    let mut batch = Batch::default();
    // A first sync stores its first page on its own, so the records list shows something
    // after one page instead of after all of them (seconds on a phone); the rest is one batch.
    let mut first_sync = !has_pulled();
    let mut applied = 0;
    let mut next = fetch(vault::get(CURSOR).unwrap_or_default());
    let result = loop {
        let page = match next.as_mut().await {
            Ok(page) => page,
            Err(e) => break Pulled::Failed(e),
        };
        // Locked, or another account signed in, while the page was on its way.
        if vault::account() != account {
            batch = Batch::default();
            break Pulled::Skipped;
        }
        let more = page.more;
        if more {
            // The next page travels while this one is applied: on a phone both take seconds.
            next = fetch(page.next.clone());
            start(next.as_mut()).await;
        }
        batch.add(page);
        if !more {
            vault::put(PULLED_AT, Some(js_sys::Date::now().to_string()));
            break Pulled::Done(applied + batch.applied);
        }
        if first_sync {
            first_sync = false;
            applied += batch.applied;
            std::mem::take(&mut batch).store();
            vault::notify();
        }
    };
    // What came before a failure is kept, with the cursor that says so.
    batch.store();
    PULLING.with(|p| p.set(false));
    FAILED.with(|f| {
        *f.borrow_mut() = match &result {
            Pulled::Failed(e) => Some(e.clone()),
            _ => None,
        }
    });
    vault::notify();
    result
}

/// Polls `request` once, so that its fetch goes out now and runs while the caller works; its
/// answer is read by awaiting it later.
async fn start<F: std::future::Future>(request: std::pin::Pin<&mut F>) {
    let mut request = Some(request);
    std::future::poll_fn(|cx| {
        if let Some(r) = request.take() {
            // Ready or not, the answer stays in the future for the await that follows.
            let _ = r.poll(cx);
        }
        std::task::Poll::Ready(())
    })
    .await;
}

/// Makes the next [`pull`] (the app's next tick) go at once, however recent the last one.
pub fn pull_soon() {
    TRIED_AT.with(|t| t.set(f64::NEG_INFINITY));
}

/// Drops what was read from buckets (on a lock: nothing of an account stays in memory).
pub fn forget_cached() {
    PARSED.with(|p| p.borrow_mut().clear());
}
