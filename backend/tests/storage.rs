//! Storage faults (issue #14 item 8): a full disk and a database that cannot be written are
//! answered as such, with Retry-After, and `/healthz` says so; reads that need no write go on.
//! The full disk is SQLite's `max_page_count` on the writer; the read-only database is
//! `query_only` on it (the tests may run as root, whom file permissions do not stop).

mod common;

use axum::http::{Method, StatusCode, header};
use common::*;
use serde_json::json;

async fn healthz(app: &TestApp) -> (StatusCode, String) {
    let res = app.request(Method::GET, "/healthz", None, None, &[]).await;
    (
        res.status,
        res.body["status"].as_str().unwrap_or("").to_owned(),
    )
}

#[tokio::test]
async fn a_full_disk_is_a_507_with_retry_after_and_reads_go_on() {
    let app = TestApp::spawn();
    let me = app.login("linzi").await;
    assert_eq!(healthz(&app).await, (StatusCode::OK, "ok".into()));
    // No page more than the file has now.
    app.state
        .db
        .write(|conn| {
            let pages: i64 = conn.query_row("PRAGMA page_count", [], |r| r.get(0))?;
            conn.query_row(&format!("PRAGMA max_page_count = {pages}"), [], |_| Ok(()))?;
            Ok(())
        })
        .await
        .unwrap();
    let long = "丈夫酒后多次动手".repeat(240);
    let mut refused = None;
    for n in 1..=30 {
        let mut body = visit(&uuid(n), "rugao/baipu/linzi");
        body["summary"] = json!(long);
        let res = app.post("/api/visits", &me, &body).await;
        if res.status != StatusCode::CREATED {
            refused = Some((body, res));
            break;
        }
    }
    let (body, res) = refused.expect("the disk fills up");
    assert_eq!(res.status, StatusCode::INSUFFICIENT_STORAGE, "{}", res.body);
    assert_eq!(res.body["error"], "storage_full");
    assert_eq!(res.headers.get(header::RETRY_AFTER).unwrap(), "60");
    assert_eq!(
        healthz(&app).await,
        (StatusCode::SERVICE_UNAVAILABLE, "storage_full".into())
    );
    // Reading goes on.
    assert_eq!(app.get("/api/me", &me).await.status, StatusCode::OK);
    assert_eq!(app.get("/api/meetings", &me).await.status, StatusCode::OK);

    // Room again: the outbox's retry of the same record is stored, once.
    app.state
        .db
        .write(|conn| {
            conn.query_row("PRAGMA max_page_count = 1073741823", [], |_| Ok(()))?;
            Ok(())
        })
        .await
        .unwrap();
    let res = app.post("/api/visits", &me, &body).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    assert_eq!(
        app.post("/api/visits", &me, &body).await.status,
        StatusCode::OK
    );
    assert_eq!(healthz(&app).await, (StatusCode::OK, "ok".into()));
}

#[tokio::test]
async fn a_database_that_cannot_be_written_is_a_clear_503_and_healthz_says_so() {
    let app = TestApp::spawn();
    let linzi = app.login("linzi").await;
    let baipu = app.login("baipu").await;
    let id = uuid(1);
    assert_eq!(
        app.post("/api/visits", &linzi, &visit(&id, "rugao/baipu/linzi"))
            .await
            .status,
        StatusCode::CREATED
    );
    app.state
        .db
        .write(|conn| Ok(conn.pragma_update(None, "query_only", true)?))
        .await
        .unwrap();

    // A B item's read is audited: without the audit row, no read (issue #14: a bare 500).
    for uri in ["/api/visits".to_owned(), format!("/api/visits/{id}")] {
        let res = app.get(&uri, &baipu).await;
        assert_eq!(
            res.status,
            StatusCode::SERVICE_UNAVAILABLE,
            "{uri}: {}",
            res.body
        );
        assert_eq!(res.body["error"], "storage_unavailable");
        assert!(res.headers.get(header::RETRY_AFTER).is_some());
    }
    let login = app
        .request(
            Method::POST,
            "/api/login",
            None,
            Some(&json!({"username": "xinhe", "password": backend::demo::PASSWORD})),
            &[],
        )
        .await;
    assert_eq!(
        login.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        login.body
    );
    assert_eq!(
        healthz(&app).await,
        (
            StatusCode::SERVICE_UNAVAILABLE,
            "storage_unavailable".into()
        )
    );
    // What needs no write still works.
    assert_eq!(app.get("/api/me", &baipu).await.status, StatusCode::OK);
}
