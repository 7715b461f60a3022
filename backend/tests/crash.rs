//! kill -9 under load: the real server binary, several clients posting visit records with
//! unique ids, and SIGKILL again and again. After every kill, every id a client was answered
//! 2xx for is in the database exactly once; clients retry whatever was not answered (as the
//! app's outbox does) and in the end every id is stored once, nothing lost, nothing doubled;
//! the file passes `PRAGMA integrity_check`.
//!
//! `JIAJIA_CRASH_CYCLES=n` sets the number of kills (default 4, for CI); `JIAJIA_SEED`
//! repeats a run's timing.

mod process;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use process::*;
use rusqlite::Connection;
use serde_json::Value;

const CLIENTS: usize = 8;

fn cycles() -> usize {
    std::env::var("JIAJIA_CRASH_CYCLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(4)
}

/// What is in the file: per test id, rows in `records`, rows in `heads`, `create` audit rows,
/// and the stored summary.
type Stored = HashMap<String, (i64, i64, i64, String)>;

fn stored(db: &Path) -> Stored {
    let conn = Connection::open(db).unwrap();
    let mut out: Stored = HashMap::new();
    let mut stmt = conn
        .prepare(
            "SELECT id, count(*), max(body) FROM records
             WHERE kind = 'visit' AND id LIKE 'c0ffee%' GROUP BY id",
        )
        .unwrap();
    for row in stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
            ))
        })
        .unwrap()
    {
        let (id, n, body) = row.unwrap();
        let body: Value = serde_json::from_str(&body).unwrap();
        let summary = body["summary"].as_str().unwrap_or_default().to_owned();
        out.insert(id, (n, 0, 0, summary));
    }
    let mut count = |sql: &str, slot: fn(&mut (i64, i64, i64, String)) -> &mut i64| {
        let mut stmt = conn.prepare(sql).unwrap();
        let rows: Vec<(String, i64)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        for (id, n) in rows {
            *slot(out.entry(id).or_insert((0, 0, 0, String::new()))) += n;
        }
    };
    count(
        "SELECT id, count(*) FROM heads WHERE kind = 'visit' AND id LIKE 'c0ffee%' GROUP BY id",
        |s| &mut s.1,
    );
    count(
        "SELECT record, count(*) FROM audit WHERE action = 'create' AND record LIKE 'c0ffee%'
         GROUP BY record",
        |s| &mut s.2,
    );
    out
}

fn integrity(db: &Path) -> String {
    Connection::open(db)
        .unwrap()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

/// Every acknowledged id is stored exactly once, as sent; nothing is stored twice.
fn check(db: &Path, acked: &BTreeMap<String, String>, when: &str) -> Stored {
    let now = stored(db);
    for (id, summary) in acked {
        let row = now.get(id);
        assert_eq!(
            row.map(|r| (r.0, r.1, r.2)),
            Some((1, 1, 1)),
            "{when}: acknowledged {id} must be stored exactly once (records, heads, audit)"
        );
        assert_eq!(&row.unwrap().3, summary, "{when}: {id} stored as sent");
    }
    for (id, (records, heads, audit, _)) in &now {
        assert!(
            *records == 1 && *heads == 1 && *audit == 1,
            "{when}: {id} stored {records}×, {heads} heads, {audit} audit rows"
        );
    }
    now
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_records_survive_kill_9_and_retries_store_each_once() {
    let started = Instant::now();
    let cycles = cycles();
    let mut rng = Rng::new();
    let (dir, db, log) = scratch();
    let mut server = Server::start(&db, &log);
    let load = Load::start(server.addr, CLIENTS).await;

    // Records stored whose answer was lost with the server.
    let mut unanswered_but_stored = BTreeSet::new();
    for cycle in 0..cycles {
        // Let the load run a while, then kill the server in the middle of it.
        tokio::time::sleep(Duration::from_millis(80 + rng.below(320))).await;
        server.kill9();
        load.set_server(None);
        // Answers already on their way are read by now; none can come from a dead server.
        tokio::time::sleep(Duration::from_millis(20)).await;
        let acked = load.acked();
        let now = check(&db, &acked, &format!("after kill {}", cycle + 1));
        unanswered_but_stored.extend(now.into_keys().filter(|id| !acked.contains_key(id)));
        if cycle % 10 == 9 {
            assert_eq!(integrity(&db), "ok", "after kill {}", cycle + 1);
        }
        server = Server::start(&db, &log);
        load.set_server(Some(server.addr));
    }

    // The clients finish the record each has in hand, then the last server goes the same way.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let (acked, tally) = load.stop().await;
    server.kill9();
    let now = check(&db, &acked, "at the end");
    assert_eq!(
        now.len(),
        acked.len(),
        "every record stored was acknowledged in the end"
    );
    assert_eq!(integrity(&db), "ok");
    // A fresh server serves them as sent.
    let server = Server::start(&db, &log);
    let me = login(server.addr, "linzi").await;
    let first = load_id(0, 0);
    let a = request(
        server.addr,
        "GET",
        &format!("/api/visits/{first}"),
        Some(&me),
        None,
    )
    .await
    .unwrap();
    assert_eq!(a.status, 200);
    assert_eq!(
        a.json()["record"]["summary"].as_str(),
        Some(acked[&first].as_str())
    );
    let errors = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(
        !errors.contains("panicked"),
        "the server panicked:\n{errors}"
    );

    let count = |c: &std::sync::atomic::AtomicU64| c.load(Ordering::Relaxed);
    eprintln!(
        "crash: {cycles} kills in {:.1} s; {} requests sent, {} records acknowledged \
         ({} stored at once, {} answered 200 on a retry after the first answer was lost), \
         {} requests unanswered, {} answered 5xx; {} records were committed when their \
         answer died with the server; every one stored exactly once; integrity_check ok",
        started.elapsed().as_secs_f64(),
        count(&tally.sent),
        acked.len(),
        count(&tally.created),
        count(&tally.replayed),
        count(&tally.unanswered),
        count(&tally.server_errors),
        unanswered_but_stored.len(),
    );
    assert_eq!(
        count(&tally.created) + count(&tally.replayed),
        acked.len() as u64
    );
    // Each record committed without its answer got a 200 on the retry; nothing else did.
    assert_eq!(count(&tally.replayed), unanswered_but_stored.len() as u64);
    assert!(
        count(&tally.unanswered) > 0,
        "the kills hit requests in flight"
    );
    drop(dir);
}
