//! Backups with SQLite's online backup: taken while the server keeps writing, restored into a
//! fresh server, and through the real binary.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::*;
use http_body_util::BodyExt;
use rusqlite::Connection;
use serde_json::{Value, json};
use tower::ServiceExt;

const LINZI: &str = "rugao/baipu/linzi";

fn a_visit(n: u32) -> Value {
    let mut v = visit(&uuid(n), LINZI);
    v["summary"] = json!(format!("第{n}次走访：夫妻因家务分工争吵"));
    v
}

fn integrity(path: &Path) -> String {
    Connection::open(path)
        .unwrap()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

/// (seq, at, username, action, kind, record, detail) of every audit row.
type AuditRow = (
    i64,
    String,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn audit_rows(path: &Path) -> Vec<AuditRow> {
    let conn = Connection::open(path).unwrap();
    let mut stmt = conn
        .prepare("SELECT seq, at, username, action, kind, record, detail FROM audit ORDER BY seq")
        .unwrap();
    stmt.query_map([], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
            r.get(6)?,
        ))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

fn record_count(path: &Path) -> i64 {
    Connection::open(path)
        .unwrap()
        .query_row("SELECT count(*) FROM records", [], |r| r.get(0))
        .unwrap()
}

async fn call(router: &Router, req: Request<Body>) -> (StatusCode, Value, Option<String>) {
    let res = router.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let cookie = res
        .headers()
        .get(header::SET_COOKIE)
        .map(|c| c.to_str().unwrap().split(';').next().unwrap().to_owned());
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        cookie,
    )
}

/// Every submission acknowledged before the backup began is in it, whatever was written while
/// it ran; the copy is a sound database that a fresh server serves as it was.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_taken_while_writing_holds_everything_acknowledged_before_it() {
    let app = Arc::new(TestApp::spawn());
    let me = app.login("linzi").await;
    let mut before: BTreeSet<String> = BTreeSet::new();
    for n in 0..40 {
        let res = app.post("/api/visits", &me, &a_visit(n)).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
        before.insert(uuid(n));
    }

    // Writers keep submitting new records until told to stop, noting each acknowledged id.
    let stop = Arc::new(AtomicBool::new(false));
    let acked = Arc::new(Mutex::new(Vec::<String>::new()));
    let mut writers = Vec::new();
    for w in 0..4u32 {
        let (app, me, stop, acked) = (app.clone(), me.clone(), stop.clone(), acked.clone());
        writers.push(tokio::spawn(async move {
            let mut n = 1_000 + w * 100_000;
            while !stop.load(Ordering::SeqCst) {
                let res = app.post("/api/visits", &me, &a_visit(n)).await;
                assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
                acked.lock().unwrap().push(uuid(n));
                n += 1;
            }
        }));
    }
    // Let the writers get going, then note what is acknowledged and back up.
    while acked.lock().unwrap().len() < 40 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let src = app.db_path();
    let audit_before = audit_rows(&src);
    before.extend(acked.lock().unwrap().iter().cloned());
    let dest = app.dir.path().join("backup.sqlite3");
    let (from, to) = (src.clone(), dest.clone());
    tokio::task::spawn_blocking(move || backend::db::backup(&from, &to))
        .await
        .unwrap()
        .unwrap();
    stop.store(true, Ordering::SeqCst);
    for w in writers {
        w.await.unwrap();
    }
    let total = acked.lock().unwrap().len() + 40;
    assert!(total > before.len(), "the writers kept writing");

    assert_eq!(integrity(&dest), "ok");
    // The audit log as it was when the backup began is all there, row for row.
    let audit_after = audit_rows(&dest);
    assert!(audit_after.len() >= audit_before.len());
    assert_eq!(audit_after[..audit_before.len()], audit_before[..]);

    // Restore: a fresh server over the copy.
    let db = backend::Db::open(&dest).unwrap();
    let restored = backend::app(
        backend::AppState {
            db,
            ..app.state.clone()
        },
        None,
    );
    let (status, _, cookie) = call(
        &restored,
        Request::post("/api/login")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(
                json!({"username": "linzi", "password": backend::demo::PASSWORD}).to_string(),
            ))
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let cookie = cookie.unwrap();
    let (status, listed, _) = call(
        &restored,
        Request::get("/api/visits?limit=5000")
            .header(header::COOKIE, &cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{listed}");
    let restored_ids: BTreeSet<String> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["record"]["id"].as_str().unwrap().to_owned())
        .collect();
    let lost: Vec<&String> = before.difference(&restored_ids).collect();
    assert!(
        lost.is_empty(),
        "acknowledged but not in the backup: {lost:?}"
    );
    // Records are served as they were stored.
    let id = uuid(7);
    let (status, one, _) = call(
        &restored,
        Request::get(format!("/api/visits/{id}"))
            .header(header::COOKIE, &cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let original = app.get(&format!("/api/visits/{id}"), &me).await.body;
    assert_eq!(one["record"], original["record"]);
    assert_eq!(one["received_at"], original["received_at"]);
    // The restored server takes new records.
    let (status, _, _) = call(
        &restored,
        Request::post("/api/visits")
            .header(header::COOKIE, &cookie)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(a_visit(999_999).to_string()))
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
}

/// `backend demo --db X`, then `backend backup --db X Y`: Y holds the same records.
#[test]
fn the_backup_command_copies_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let (x, y) = (dir.path().join("x.sqlite3"), dir.path().join("y.sqlite3"));
    let bin = env!("CARGO_BIN_EXE_backend");
    let out = Command::new(bin)
        .args(["demo", "--db"])
        .arg(&x)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = Command::new(bin)
        .args(["backup", "--db"])
        .arg(&x)
        .arg(&y)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let records = record_count(&x);
    assert!(records > 0, "the demo has records");
    assert_eq!(record_count(&y), records);
    assert_eq!(integrity(&y), "ok");
    assert_eq!(audit_rows(&y), audit_rows(&x));
}

/// A database bigger than one backup step (SQLite copies a few hundred pages at a time) is
/// still backed up while writes go on: a write between steps must not make the copy start over
/// for ever.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_large_database_is_backed_up_while_writes_go_on() {
    let app = Arc::new(TestApp::spawn());
    let me = app.login("linzi").await;
    let mut tasks = Vec::new();
    for n in 0..1_500 {
        let (app, me) = (app.clone(), me.clone());
        tasks.push(tokio::spawn(async move {
            let mut v = a_visit(n);
            v["summary"] = json!(format!(
                "{n}：{}",
                "丈夫酒后多次动手，妻子多次求助。".repeat(100)
            ));
            app.post("/api/visits", &me, &v).await.status
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), StatusCode::CREATED);
    }
    let src = app.db_path();
    let pages: i64 = Connection::open(&src)
        .unwrap()
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .unwrap();
    assert!(pages > 2_000, "{pages} pages: many backup steps");

    let stop = Arc::new(AtomicBool::new(false));
    let mut writers = Vec::new();
    for w in 0..4u32 {
        let (app, me, stop) = (app.clone(), me.clone(), stop.clone());
        writers.push(tokio::spawn(async move {
            let mut n = 10_000 + w * 100_000;
            while !stop.load(Ordering::SeqCst) {
                let res = app.post("/api/visits", &me, &a_visit(n)).await;
                assert_eq!(res.status, StatusCode::CREATED);
                n += 1;
            }
        }));
    }
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let dest = app.dir.path().join("backup.sqlite3");
    let (from, to) = (src.clone(), dest.clone());
    let done = tokio::time::timeout(
        std::time::Duration::from_secs(20),
        tokio::task::spawn_blocking(move || backend::db::backup(&from, &to)),
    )
    .await;
    stop.store(true, Ordering::SeqCst);
    for w in writers {
        w.await.unwrap();
    }
    done.expect("the backup finishes while writes go on")
        .unwrap()
        .unwrap();
    assert_eq!(integrity(&dest), "ok");
    assert!(record_count(&dest) >= 1_500);
}
