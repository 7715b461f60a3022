//! Issue #17: `GET /api/sync`, the change feed an account's app replicates from.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use axum::http::{Method, StatusCode};
use common::*;
use serde_json::{Value, json};
use shared::sync::SyncPage;

const LINZI: &str = "rugao/baipu/linzi";
const XINHE: &str = "rugao/baipu/xinhe";
const GANGKOU: &str = "rugao/changjiang/gangkou";

/// One page, checked to be a 200 with the wire shape of `shared::sync`.
async fn page(app: &TestApp, who: &str, since: Option<&str>, limit: Option<u32>) -> SyncPage {
    let res = app.get(&sync_uri(since, limit), who).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let page: SyncPage = serde_json::from_value(res.body.clone()).expect("a SyncPage");
    let mut seen = BTreeSet::new();
    for (kind, id) in page
        .changes
        .iter()
        .map(|c| (&c.kind, c.id))
        .chain(page.removed.iter().map(|t| (&t.kind, t.id)))
    {
        assert!(
            seen.insert((kind.clone(), id)),
            "{kind} {id} twice in one page"
        );
    }
    page
}

fn sync_uri(since: Option<&str>, limit: Option<u32>) -> String {
    let mut q = vec![];
    if let Some(s) = since {
        q.push(format!("since={s}"));
    }
    if let Some(l) = limit {
        q.push(format!("limit={l}"));
    }
    format!("/api/sync?{}", q.join("&"))
}

/// What an app holds: (kind, id) → (version, unit, the change as sent).
#[derive(Default)]
struct Replica {
    records: BTreeMap<(String, String), (u32, String, Value)>,
    cursor: Option<String>,
    pages: usize,
    /// Every (kind, id, version) ever received, to find repeats.
    received: Vec<(String, String, u32)>,
    tombstones: Vec<(String, String)>,
}

impl Replica {
    fn apply(&mut self, p: &SyncPage) {
        if p.reset {
            self.records.clear();
        }
        for c in &p.changes {
            let key = (c.kind.clone(), c.id.to_string());
            self.received
                .push((key.0.clone(), key.1.clone(), c.version));
            self.records.insert(
                key,
                (c.version, c.unit.clone(), serde_json::to_value(c).unwrap()),
            );
        }
        for t in &p.removed {
            let key = (t.kind.clone(), t.id.to_string());
            self.tombstones.push(key.clone());
            self.records.remove(&key);
        }
        self.cursor = Some(p.next.clone());
        self.pages += 1;
    }

    /// Pages until `more` is unset.
    async fn pull(&mut self, app: &TestApp, who: &str, limit: Option<u32>) -> Vec<SyncPage> {
        let mut pages = vec![];
        loop {
            let p = page(app, who, self.cursor.as_deref(), limit).await;
            self.apply(&p);
            let more = p.more;
            pages.push(p);
            if !more {
                return pages;
            }
        }
    }

    fn ids(&self) -> BTreeSet<String> {
        self.records.keys().map(|(_, id)| id.clone()).collect()
    }
}

/// The current version of every record of `kinds` in `unit` and below, as the list API has it.
async fn heads(app: &TestApp, who: &str, unit: &str) -> BTreeMap<String, (u32, String)> {
    let mut out = BTreeMap::new();
    for kind in ["visits", "rights-cases"] {
        let res = app
            .get(&format!("/api/{kind}?unit={unit}&limit=5000"), who)
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        for s in res.body.as_array().unwrap() {
            out.insert(
                s["record"]["id"].as_str().unwrap().to_owned(),
                (
                    s["version"].as_u64().unwrap() as u32,
                    s["unit"].as_str().unwrap().to_owned(),
                ),
            );
        }
    }
    out
}

/// A visit of category A (not audited on read).
fn visit_a(id: &str, unit: &str) -> Value {
    let mut v = visit(id, unit);
    v["category"] = json!("A");
    v["summary"] = json!("婆媳因赡养费争吵");
    v.as_object_mut().unwrap().remove("severe_violence");
    v.as_object_mut().unwrap().remove("escalation");
    v
}

async fn create(app: &TestApp, who: &str, body: &Value) {
    let kind = if body.get("stages").is_some() {
        "rights-cases"
    } else {
        "visits"
    };
    let res = app.post(&format!("/api/{kind}"), who, body).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
}

/// Edits visit `n` as `who`: a new summary, and `unit` if given. Returns the new version.
async fn edit_visit(app: &TestApp, who: &str, n: u32, unit: Option<&str>, note: &str) -> u64 {
    let id = uuid(n);
    let now = app.get(&format!("/api/visits/{id}"), who).await;
    assert_eq!(now.status, StatusCode::OK, "{}", now.body);
    let mut body = visit_a(&id, now.body["unit"].as_str().unwrap());
    body["category"] = now.body["record"]["category"].clone();
    if body["category"] == "B" {
        body = visit(&id, now.body["unit"].as_str().unwrap());
    }
    body["summary"] = json!(format!("补充：{note}"));
    if let Some(u) = unit {
        body["org_unit"] = json!(u);
    }
    let version = now.body["version"].to_string();
    let res = app
        .put(&format!("/api/visits/{id}"), who, Some(&version), &body)
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    res.body["version"].as_u64().unwrap()
}

#[tokio::test]
async fn a_village_gets_its_own_records_and_a_town_its_villages() {
    let app = TestApp::spawn();
    let (linzi, xinhe, gangkou, baipu, city) = (
        app.login("linzi").await,
        app.login("xinhe").await,
        app.login("gangkou").await,
        app.login("baipu").await,
        app.login("city").await,
    );
    create(&app, &linzi, &visit(&uuid(1), LINZI)).await;
    create(&app, &linzi, &visit_a(&uuid(2), LINZI)).await;
    create(&app, &xinhe, &visit_a(&uuid(3), XINHE)).await;
    create(&app, &gangkou, &visit_a(&uuid(4), GANGKOU)).await;
    create(&app, &baipu, &case(&uuid(5), "rugao/baipu")).await;

    let mut village = Replica::default();
    village.pull(&app, &linzi, None).await;
    assert_eq!(village.ids(), BTreeSet::from([uuid(1), uuid(2)]));

    let mut town = Replica::default();
    town.pull(&app, &baipu, None).await;
    assert_eq!(
        town.ids(),
        BTreeSet::from([uuid(1), uuid(2), uuid(3), uuid(5)])
    );
    let kinds: BTreeSet<&str> = town.records.keys().map(|(k, _)| k.as_str()).collect();
    assert_eq!(kinds, BTreeSet::from(["rights-cases", "visits"]));

    // Each change is the record as reading it one by one gives it.
    for ((kind, id), (_, _, change)) in &town.records {
        let one = app.get(&format!("/api/{kind}/{id}"), &baipu).await.body;
        for field in [
            "record",
            "assessment",
            "version",
            "unit",
            "received_at",
            "author",
        ] {
            assert_eq!(change[field], one[field], "{kind} {id}: {field}");
        }
        // Its facets are what the list filters on: filtered by them, the list holds it.
        let facet = |k: &str| change[k].as_str().unwrap_or("").to_owned();
        let period = facet("period");
        let list = app
            .get(
                &format!(
                    "/api/{kind}?from={period}&to={period}&status={}&category={}",
                    facet("status"),
                    facet("category")
                ),
                &baipu,
            )
            .await;
        assert!(
            list.body
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["record"]["id"] == json!(id)),
            "{kind} {id}: not listed under its own facets {}",
            list.body
        );
    }

    // City accounts replicate no records, only the reference data.
    let p = page(&app, &city, None, None).await;
    assert!(p.changes.is_empty() && p.removed.is_empty() && !p.more);
    let units = p.reference.expect("the reference data").units;
    assert_eq!(units.len(), backend::demo::UNITS.len());

    // A village's reference names its own unit only; a town's, itself and its villages.
    let p = page(&app, &linzi, None, None).await;
    let units: Vec<String> = p
        .reference
        .unwrap()
        .units
        .into_iter()
        .map(|u| u.id)
        .collect();
    assert_eq!(units, [LINZI]);
    let p = page(&app, &baipu, None, None).await;
    let units: Vec<String> = p
        .reference
        .unwrap()
        .units
        .into_iter()
        .map(|u| u.id)
        .collect();
    assert_eq!(units.len(), 4);
    assert_eq!(units[0], "rugao/baipu");
}

#[tokio::test]
async fn a_record_moved_out_is_a_tombstone_and_one_moved_in_a_change() {
    let app = TestApp::spawn();
    let (linzi, xinhe, baipu, city) = (
        app.login("linzi").await,
        app.login("xinhe").await,
        app.login("baipu").await,
        app.login("city").await,
    );
    create(&app, &linzi, &visit_a(&uuid(1), LINZI)).await;
    create(&app, &linzi, &visit_a(&uuid(2), LINZI)).await;
    let (mut at_linzi, mut at_xinhe, mut at_town) =
        (Replica::default(), Replica::default(), Replica::default());
    at_linzi.pull(&app, &linzi, None).await;
    at_xinhe.pull(&app, &xinhe, None).await;
    at_town.pull(&app, &baipu, None).await;
    assert_eq!(at_linzi.ids().len(), 2);
    assert!(at_xinhe.ids().is_empty());

    // The town moves visit 1 from 林梓村 to 新河村.
    assert_eq!(edit_visit(&app, &baipu, 1, Some(XINHE), "迁居").await, 2);
    let p = &at_linzi.pull(&app, &linzi, None).await[0];
    assert!(p.changes.is_empty(), "{:?}", p.changes);
    assert_eq!(p.removed.len(), 1);
    assert_eq!(
        (p.removed[0].kind.as_str(), p.removed[0].id.to_string()),
        ("visits", uuid(1))
    );
    let p = &at_xinhe.pull(&app, &xinhe, None).await[0];
    assert!(p.removed.is_empty());
    assert_eq!(p.changes.len(), 1);
    assert_eq!(
        (p.changes[0].id.to_string(), p.changes[0].version),
        (uuid(1), 2)
    );
    assert_eq!(p.changes[0].unit, XINHE);
    // Within the town it only changed.
    let p = &at_town.pull(&app, &baipu, None).await[0];
    assert!(p.removed.is_empty());
    assert_eq!(p.changes.len(), 1);
    assert_eq!(p.changes[0].unit, XINHE);

    // The city moves it on to another town: gone for 新河村 and for 白蒲镇, nothing for 林梓村,
    // which no longer has it.
    edit_visit(&app, &city, 1, Some(GANGKOU), "外迁").await;
    for (replica, who, left) in [
        (&mut at_xinhe, &xinhe, BTreeSet::new()),
        (&mut at_town, &baipu, BTreeSet::from([uuid(2)])),
    ] {
        let p = &replica.pull(&app, who, None).await[0];
        assert!(p.changes.is_empty());
        assert_eq!(p.removed.len(), 1);
        assert_eq!(replica.ids(), left);
    }
    let p = &at_linzi.pull(&app, &linzi, None).await[0];
    assert!(p.changes.is_empty() && p.removed.is_empty(), "{p:?}");

    // Back into 林梓村: a change at its newest version.
    edit_visit(&app, &city, 1, Some(LINZI), "迁回").await;
    let p = &at_linzi.pull(&app, &linzi, None).await[0];
    assert!(p.removed.is_empty());
    assert_eq!(p.changes.len(), 1);
    assert_eq!(p.changes[0].version, 4);
    assert_eq!(at_linzi.ids(), BTreeSet::from([uuid(1), uuid(2)]));
    assert!(at_xinhe.ids().is_empty());
}

#[tokio::test]
async fn a_record_changed_since_the_cursor_comes_once_at_its_newest_version() {
    let app = TestApp::spawn();
    let linzi = app.login("linzi").await;
    create(&app, &linzi, &visit_a(&uuid(1), LINZI)).await;
    create(&app, &linzi, &visit_a(&uuid(2), LINZI)).await;
    let mut replica = Replica::default();
    let first = replica.pull(&app, &linzi, None).await;
    let stored_first = first[0]
        .changes
        .iter()
        .find(|c| c.id.to_string() == uuid(1))
        .map(|c| c.received_at.clone())
        .unwrap();
    app.advance(std::time::Duration::from_secs(3600));
    for note in ["一", "二", "三"] {
        edit_visit(&app, &linzi, 1, None, note).await;
    }
    let pages = replica.pull(&app, &linzi, None).await;
    assert_eq!(pages.len(), 1);
    let p = &pages[0];
    assert_eq!(p.changes.len(), 1, "{:?}", p.changes);
    assert_eq!(
        (p.changes[0].id.to_string(), p.changes[0].version),
        (uuid(1), 4)
    );
    assert_eq!(p.changes[0].record["summary"], "补充：三");
    // A monthly report counts as received when its first version was: the feed says when.
    assert_eq!(p.changes[0].first_received_at, stored_first);
    assert_ne!(p.changes[0].received_at, stored_first);
    // Nothing new: an empty page, and the same cursor answers the same.
    let p = page(&app, &linzi, replica.cursor.as_deref(), None).await;
    assert!(p.changes.is_empty() && p.removed.is_empty() && !p.more);
    assert!(p.reference.is_none());
}

/// Pages of 7 while records are created, edited and moved between the pages: the replica ends
/// equal to the heads in scope, and no version comes twice.
#[tokio::test]
async fn paging_through_writes_skips_nothing_and_repeats_nothing() {
    let app = TestApp::spawn();
    let (linzi, xinhe, gangkou, baipu, city) = (
        app.login("linzi").await,
        app.login("xinhe").await,
        app.login("gangkou").await,
        app.login("baipu").await,
        app.login("city").await,
    );
    for n in 1..=20 {
        let (who, unit) = if n % 2 == 0 {
            (&linzi, LINZI)
        } else {
            (&xinhe, XINHE)
        };
        create(&app, who, &visit_a(&uuid(n), unit)).await;
    }
    for n in 21..=25 {
        create(&app, &gangkou, &visit_a(&uuid(n), GANGKOU)).await;
    }
    create(&app, &baipu, &case(&uuid(26), "rugao/baipu")).await;

    let mut replica = Replica::default();
    let mut next_id = 100;
    let mut round = 0;
    loop {
        let p = page(&app, &baipu, replica.cursor.as_deref(), Some(7)).await;
        assert!(p.changes.len() + p.removed.len() <= 7);
        replica.apply(&p);
        if !p.more && round >= 6 {
            break;
        }
        // Writes between pages: a new record, an edit of one already sent and of one perhaps
        // not yet, a move out of the town and one into it.
        match round {
            0 => {
                create(&app, &linzi, &visit_a(&uuid(next_id), LINZI)).await;
                next_id += 1;
                edit_visit(&app, &linzi, 2, None, "已发").await;
                edit_visit(&app, &xinhe, 19, None, "未发").await;
            }
            1 => {
                edit_visit(&app, &city, 4, Some(GANGKOU), "外迁").await;
                edit_visit(&app, &city, 21, Some(XINHE), "迁入").await;
            }
            2 => {
                // Moved out and straight back: a change, not a tombstone.
                edit_visit(&app, &city, 6, Some(GANGKOU), "外迁").await;
                edit_visit(&app, &city, 6, Some(LINZI), "迁回").await;
                create(&app, &xinhe, &visit_a(&uuid(next_id), XINHE)).await;
                next_id += 1;
            }
            3 => {
                // Moved in, then out again before the app saw it.
                edit_visit(&app, &city, 22, Some(LINZI), "迁入").await;
                edit_visit(&app, &city, 22, Some(GANGKOU), "迁出").await;
                edit_visit(&app, &baipu, 21, None, "再改").await;
            }
            4 => {
                for _ in 0..3 {
                    create(&app, &linzi, &visit_a(&uuid(next_id), LINZI)).await;
                    next_id += 1;
                }
            }
            _ => {}
        }
        round += 1;
        assert!(round < 50, "the feed does not end");
    }
    let want = heads(&app, &baipu, "rugao/baipu").await;
    let got: BTreeMap<String, (u32, String)> = replica
        .records
        .iter()
        .map(|((_, id), (v, unit, _))| (id.clone(), (*v, unit.clone())))
        .collect();
    assert_eq!(got, want);
    assert!(!got.contains_key(&uuid(4)) && got.contains_key(&uuid(21)));
    assert!(!got.contains_key(&uuid(22)) && got.contains_key(&uuid(6)));
    let mut versions = replica.received.clone();
    versions.sort();
    let before = versions.len();
    versions.dedup();
    assert_eq!(versions.len(), before, "a version came twice");
    assert!(replica.pages > 5, "{} pages", replica.pages);
    // The only tombstone is the record moved out after it was sent.
    assert_eq!(replica.tombstones, [("visits".to_owned(), uuid(4))]);
}

/// Writers commit (creates, edits, moves in and out) concurrently with the pages being read:
/// once they stop and the app pages to the end, it holds exactly the heads in scope.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn paging_while_writers_commit_concurrently_ends_with_the_heads_in_scope() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
    let app = Arc::new(TestApp::spawn());
    let (linzi, xinhe, baipu, city) = (
        app.login("linzi").await,
        app.login("xinhe").await,
        app.login("baipu").await,
        app.login("city").await,
    );
    for n in 1..=30 {
        create(&app, &linzi, &visit_a(&uuid(n), LINZI)).await;
    }
    let stop = Arc::new(AtomicBool::new(false));
    let written = Arc::new(AtomicU32::new(0));
    let mut writers = Vec::new();
    for w in 0..3u32 {
        let (app, stop, written) = (app.clone(), stop.clone(), written.clone());
        let (linzi, xinhe, city) = (linzi.clone(), xinhe.clone(), city.clone());
        writers.push(tokio::spawn(async move {
            let mut n = 1_000 + w * 10_000;
            let mut i = 0u32;
            while !stop.load(Ordering::SeqCst) {
                match (w, i % 3) {
                    // New records in the town.
                    (0, _) => create(&app, &xinhe, &visit_a(&uuid(n), XINHE)).await,
                    // Edits of records the app may or may not have (not those moved).
                    (1, _) => {
                        edit_visit(&app, &linzi, 6 + i % 25, None, &i.to_string()).await;
                    }
                    // Moves out of the town and back in.
                    (_, k) => {
                        let to = if k == 0 { GANGKOU } else { LINZI };
                        edit_visit(&app, &city, 1 + (i / 3) % 5, Some(to), "迁").await;
                    }
                }
                n += 1;
                i += 1;
                written.fetch_add(1, Ordering::SeqCst);
            }
        }));
    }
    let mut replica = Replica::default();
    while written.load(Ordering::SeqCst) < 150 {
        let p = page(&app, &baipu, replica.cursor.as_deref(), Some(4)).await;
        replica.apply(&p);
    }
    stop.store(true, Ordering::SeqCst);
    for w in writers {
        w.await.unwrap();
    }
    replica.pull(&app, &baipu, Some(4)).await;
    let want = heads(&app, &baipu, "rugao/baipu").await;
    let got: BTreeMap<String, (u32, String)> = replica
        .records
        .iter()
        .map(|((_, id), (v, unit, _))| (id.clone(), (*v, unit.clone())))
        .collect();
    assert_eq!(got, want);
    let mut versions = replica.received.clone();
    versions.sort();
    let before = versions.len();
    versions.dedup();
    assert_eq!(versions.len(), before, "a version came twice");
}

#[tokio::test]
async fn a_cursor_of_another_unit_starts_over() {
    let app = TestApp::spawn();
    let (linzi, xinhe) = (app.login("linzi").await, app.login("xinhe").await);
    create(&app, &linzi, &visit_a(&uuid(1), LINZI)).await;
    create(&app, &xinhe, &visit_a(&uuid(2), XINHE)).await;
    let mut replica = Replica::default();
    replica.pull(&app, &linzi, None).await;
    assert_eq!(replica.ids(), BTreeSet::from([uuid(1)]));
    let cursor = replica.cursor.clone();

    // The account moves to 新河村.
    let conn = rusqlite::Connection::open(app.db_path()).unwrap();
    conn.execute(
        "UPDATE users SET unit = ?1 WHERE username = 'linzi'",
        [XINHE],
    )
    .unwrap();
    drop(conn);
    let p = page(&app, &linzi, cursor.as_deref(), None).await;
    assert!(p.reset);
    replica.apply(&p);
    assert_eq!(replica.ids(), BTreeSet::from([uuid(2)]));
    let units: Vec<String> = p
        .reference
        .unwrap()
        .units
        .into_iter()
        .map(|u| u.id)
        .collect();
    assert_eq!(units, [XINHE]);
    // The new cursor is the new unit's.
    let p = page(&app, &linzi, replica.cursor.as_deref(), None).await;
    assert!(!p.reset && p.changes.is_empty() && p.reference.is_none());

    // Another account's cursor is no cursor of this one either.
    let p = page(&app, &xinhe, cursor.as_deref(), None).await;
    assert!(p.reset);
}

#[tokio::test]
async fn the_reference_comes_first_and_again_only_once_a_table_is_published() {
    let app = TestApp::spawn();
    let (linzi, city) = (app.login("linzi").await, app.login("city").await);
    for n in 1..=3 {
        create(&app, &linzi, &visit_a(&uuid(n), LINZI)).await;
    }
    let mut replica = Replica::default();
    let pages = replica.pull(&app, &linzi, Some(1)).await;
    assert_eq!(pages.len(), 3);
    let reference = pages[0].reference.clone().expect("on the first page");
    assert!(pages[1..].iter().all(|p| p.reference.is_none()));
    // The built-in tables, as version 0.
    assert!(
        reference
            .rubrics
            .iter()
            .any(|t| t.year == 2018 && t.version == 0)
    );
    assert!(
        reference
            .calendars
            .iter()
            .any(|t| t.year == 2026 && t.version == 0)
    );
    assert!(reference.themes.is_empty());

    let p = page(&app, &linzi, replica.cursor.as_deref(), None).await;
    assert!(p.reference.is_none());

    let themes = json!({ "source": "测试", "months": { "1": ["新春走访"] } });
    let res = app
        .request(
            Method::PUT,
            "/api/themes/2027?reason=2027年主题",
            Some(&city),
            Some(&themes),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let p = page(&app, &linzi, replica.cursor.as_deref(), None).await;
    replica.apply(&p);
    let reference = p.reference.expect("again after the publication");
    let t = reference.themes.iter().find(|t| t.year == 2027).unwrap();
    assert_eq!(t.version, 1);
    assert_eq!(t.table["months"]["1"][0], "新春走访");
    // And then not again.
    let p = page(&app, &linzi, replica.cursor.as_deref(), None).await;
    assert!(p.reference.is_none());
}

#[tokio::test]
async fn each_page_with_b_or_c_visits_is_audited_naming_them() {
    let app = TestApp::spawn();
    let (linzi, admin) = (app.login("linzi").await, app.login("admin").await);
    // B, A, B, A, B: pages of two hold B visits 1 · 3 · 5.
    for n in 1..=5 {
        let body = if n % 2 == 1 {
            visit(&uuid(n), LINZI)
        } else {
            visit_a(&uuid(n), LINZI)
        };
        create(&app, &linzi, &body).await;
    }
    let mut replica = Replica::default();
    let pages = replica.pull(&app, &linzi, Some(2)).await;
    assert_eq!(pages.len(), 3);
    let log = app.get("/api/audit?limit=10000", &admin).await.body;
    let syncs: Vec<(&str, &str, &str)> = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "sync")
        .map(|e| {
            (
                e["username"].as_str().unwrap(),
                e["kind"].as_str().unwrap(),
                e["detail"].as_str().unwrap(),
            )
        })
        .collect();
    let mut want: Vec<(&str, &str, String)> = vec![];
    for p in &pages {
        let ids: Vec<String> = p
            .changes
            .iter()
            .filter(|c| c.record["category"] == "B")
            .map(|c| c.id.to_string())
            .collect();
        assert!(!ids.is_empty());
        want.push(("linzi", "visit", ids.join(",")));
    }
    let got: Vec<(&str, &str, String)> = syncs
        .into_iter()
        .map(|(u, k, d)| (u, k, d.to_owned()))
        .collect();
    assert_eq!(got, want);

    // A page of A visits only is not audited.
    edit_visit(&app, &linzi, 2, None, "回访").await;
    replica.pull(&app, &linzi, None).await;
    let log = app.get("/api/audit?limit=10000", &admin).await.body;
    let count = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "sync")
        .count();
    assert_eq!(count, 3);
}

#[tokio::test]
async fn a_bad_cursor_or_limit_is_named() {
    let app = TestApp::spawn();
    let linzi = app.login("linzi").await;
    let good = page(&app, &linzi, None, None).await.next;
    let fields = |res: &Response| -> Vec<String> {
        res.body["fields"]
            .as_array()
            .unwrap_or_else(|| panic!("{}", res.body))
            .iter()
            .map(|f| f["field"].as_str().unwrap().to_owned())
            .collect()
    };
    for bad in [
        "abc",
        "1.2.3",
        &format!("{good}0"),
        &good.replacen('1', "2", 1),
    ] {
        let res = app.get(&sync_uri(Some(bad), None), &linzi).await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{bad}: {}",
            res.body
        );
        assert_eq!(fields(&res), ["since"], "{bad}");
    }
    for bad in [0, 2001] {
        let res = app.get(&sync_uri(Some(&good), Some(bad)), &linzi).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
        assert_eq!(fields(&res), ["limit"]);
    }
    let res = app.get("/api/sync?limit=x&since=y&what=1", &linzi).await;
    let mut named = fields(&res);
    named.sort();
    assert_eq!(named, ["limit", "since", "what"]);
    let res = app.request(Method::GET, "/api/sync", None, None, &[]).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
}

/// A first sync of 5,000 visit records, timed (release: `cargo test --release -p backend --test
/// sync -- --ignored --nocapture`). Prints; asserts no time.
#[tokio::test]
#[ignore]
async fn first_sync_of_5000_records() {
    let app = TestApp::spawn();
    let conn = rusqlite::Connection::open(app.db_path()).unwrap();
    let tx = conn.unchecked_transaction().unwrap();
    let user: i64 = tx
        .query_row("SELECT id FROM users WHERE username = 'linzi'", [], |r| {
            r.get(0)
        })
        .unwrap();
    let today = app.state.today();
    for n in 0..5000 {
        let input: shared::VisitInput = serde_json::from_value(if n % 10 == 0 {
            visit(&uuid(n), LINZI)
        } else {
            visit_a(&uuid(n), LINZI)
        })
        .unwrap();
        let record = shared::VisitRecord::parse(&input, today).unwrap();
        backend::forms::store::insert_first::<backend::forms::kinds::Visit>(
            &tx,
            &uuid(n),
            &record,
            user,
            today,
            "2026-11-29T02:00:00.000Z",
        )
        .unwrap();
    }
    tx.commit().unwrap();
    drop(conn);
    let linzi = app.login("linzi").await;
    for limit in [500, 2000] {
        let started = std::time::Instant::now();
        let mut replica = Replica::default();
        let pages = replica.pull(&app, &linzi, Some(limit)).await;
        let took = started.elapsed();
        assert_eq!(replica.records.len(), 5000);
        let bytes: usize = pages
            .iter()
            .map(|p| serde_json::to_vec(p).unwrap().len())
            .sum();
        println!(
            "first sync of 5000 visits, limit {limit}: {} pages, {:.0} ms, {} KB of JSON",
            pages.len(),
            took.as_secs_f64() * 1000.0,
            bytes / 1024
        );
    }
}

#[tokio::test]
async fn a_page_goes_gzipped_when_the_app_takes_gzip_and_reads_the_same() {
    use axum::body::Body;
    use axum::http::{Request, header};
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    let app = TestApp::spawn();
    let linzi = app.login("linzi").await;
    create(&app, &linzi, &visit_a(&uuid(1), LINZI)).await;
    let get = |encoding: &'static str| {
        let req = Request::get(sync_uri(None, None))
            .header(header::COOKIE, &linzi)
            .header(header::ACCEPT_ENCODING, encoding)
            .body(Body::empty())
            .unwrap();
        app.router.clone().oneshot(req)
    };
    let plain = get("identity").await.unwrap();
    assert_eq!(plain.status(), StatusCode::OK);
    assert!(plain.headers().get(header::CONTENT_ENCODING).is_none());
    let plain = plain.into_body().collect().await.unwrap().to_bytes();

    let packed = get("gzip, deflate, br").await.unwrap();
    assert_eq!(packed.status(), StatusCode::OK);
    assert_eq!(packed.headers()[header::CONTENT_ENCODING], "gzip");
    assert_eq!(packed.headers()[header::VARY], "accept-encoding");
    let packed = packed.into_body().collect().await.unwrap().to_bytes();
    assert!(
        packed.len() < plain.len(),
        "{} ≥ {}",
        packed.len(),
        plain.len()
    );
    let (a, b): (Value, Value) = (
        serde_json::from_slice(&plain).unwrap(),
        serde_json::from_str(&gunzip(&packed)).unwrap(),
    );
    assert_eq!(a, b);

    let bad = Request::get("/api/sync?since=nonsense")
        .header(header::COOKIE, &linzi)
        .header(header::ACCEPT_ENCODING, "gzip")
        .body(Body::empty())
        .unwrap();
    let bad = app.router.clone().oneshot(bad).await.unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // An error is compressed too, and still names the field once unpacked.
    let gzipped = bad.headers().get(header::CONTENT_ENCODING).is_some();
    let bad = bad.into_body().collect().await.unwrap().to_bytes();
    let text = if gzipped {
        gunzip(&bad)
    } else {
        String::from_utf8(bad.to_vec()).unwrap()
    };
    assert!(text.contains("since"), "{text}");
}

/// A gzipped body's text.
fn gunzip(bytes: &[u8]) -> String {
    use std::io::Read;
    let mut text = String::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_string(&mut text)
        .unwrap();
    text
}
