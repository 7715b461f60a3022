//! The visit-record API against a real SQLite file.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use backend::{AppState, Store, app};
use chrono::{DateTime, Utc};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tempfile::TempDir;
use tower::ServiceExt;

/// A server over a fresh database file whose clock reads 2026-11-29 10:00 in China.
struct TestApp {
    dir: TempDir,
    router: Router,
}

fn now() -> DateTime<Utc> {
    "2026-11-29T02:00:00Z".parse().unwrap()
}

impl TestApp {
    fn spawn() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let router = Self::router_on(&dir);
        TestApp { dir, router }
    }

    fn router_on(dir: &TempDir) -> Router {
        let store = Store::open(&dir.path().join("test.sqlite3")).unwrap();
        let state = AppState {
            store,
            clock: Arc::new(now),
        };
        app(state, None)
    }

    /// The same file opened again, as after a restart.
    fn restart(self) -> Self {
        let TestApp { dir, router } = self;
        drop(router);
        let router = Self::router_on(&dir);
        TestApp { dir, router }
    }

    async fn send(&self, method: Method, uri: &str, body: Option<String>) -> (StatusCode, Value) {
        let req = Request::builder()
            .method(method)
            .uri(uri)
            .header("content-type", "application/json")
            .body(body.map(Body::from).unwrap_or_else(Body::empty))
            .unwrap();
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        let value = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| panic!("{status}: not JSON: {}", String::from_utf8_lossy(&bytes)));
        (status, value)
    }

    async fn post(&self, body: &Value) -> (StatusCode, Value) {
        self.send(Method::POST, "/api/visits", Some(body.to_string()))
            .await
    }

    async fn list(&self) -> Vec<Value> {
        let (status, v) = self.send(Method::GET, "/api/visits", None).await;
        assert_eq!(status, StatusCode::OK);
        v.as_array().unwrap().clone()
    }
}

const ID: &str = "6f1c3c5e-2d1b-4b7e-9a51-0c2f1e7d9a10";

fn visit() -> Value {
    json!({
        "id": ID,
        "org_unit": "林梓村",
        "parties": [{ "name": "王芳", "address": "林梓村3组", "age": "36",
                      "family_role": "妻子", "phone": "138 1234 1234" }],
        "category": "B",
        "summary": "丈夫酒后多次动手",
        "visitor": "李娟",
        "visit_date": "2026-11-20",
        "severe_violence": true,
        "escalation": { "may_intensify": true }
    })
}

#[tokio::test]
async fn health_check_answers() {
    let app = TestApp::spawn();
    let (status, body) = app.send(Method::GET, "/healthz", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status"], "ok");
}

#[tokio::test]
async fn a_valid_record_is_stored_with_the_level_the_server_computes() {
    let app = TestApp::spawn();
    let (status, body) = app.post(&visit()).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["record"]["id"], ID);
    // Normalised by the server, not taken as typed.
    assert_eq!(body["record"]["parties"][0]["phone"], "13812341234");
    assert_eq!(body["assessment"]["level"], "red");
    assert_eq!(body["assessment"]["suggested_tier"], "three");
    let codes: Vec<&str> = body["assessment"]["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["report.severe_violence", "risk.red", "report.red"]);

    let listed = app.list().await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["record"], body["record"]);
    let (status, one) = app
        .send(Method::GET, &format!("/api/visits/{ID}"), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(one["record"], body["record"]);
}

#[tokio::test]
async fn a_client_cannot_send_its_own_level() {
    let app = TestApp::spawn();
    let mut body = visit();
    body["level"] = json!("yellow");
    let (status, err) = app.post(&body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err["fields"][0]["field"], "level");
    assert!(app.list().await.is_empty());
}

#[tokio::test]
async fn invalid_input_gets_the_same_field_errors_as_the_app_and_stores_nothing() {
    let app = TestApp::spawn();
    let mut body = visit();
    body["summary"] = json!("  ");
    body["visit_date"] = json!("2026-11-30");
    body["parties"][0]["phone"] = json!("12345");
    let (status, err) = app.post(&body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err["error"], "invalid");

    let input: shared::VisitInput = serde_json::from_value(body).unwrap();
    let today = shared::time::china_today(now());
    let expected = shared::VisitRecord::parse(&input, today).unwrap_err();
    assert_eq!(err["fields"], serde_json::to_value(&expected.0).unwrap());
    let fields: Vec<&str> = err["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["summary", "visit_date", "parties[0].phone"]);
    assert_eq!(err["fields"][1]["message"], "走访日期：日期不能晚于今天");
    assert!(app.list().await.is_empty());
}

#[tokio::test]
async fn malformed_bodies_are_refused_with_json() {
    let app = TestApp::spawn();
    let (status, err) = app
        .send(Method::POST, "/api/visits", Some("{\"id\":".into()))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(err["error"], "bad_json");
    let (status, err) = app
        .send(
            Method::POST,
            "/api/visits",
            Some(r#"{"parties":[{"age":36}]}"#.into()),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err["fields"][0]["field"], "parties[0].age");
    let huge = format!(
        r#"{{"summary":"{}"}}"#,
        "x".repeat(backend::routes::BODY_LIMIT)
    );
    let (status, err) = app.send(Method::POST, "/api/visits", Some(huge)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(err["error"], "too_large");
    assert!(app.list().await.is_empty());
}

#[tokio::test]
async fn sending_the_same_record_again_is_answered_from_storage() {
    let app = TestApp::spawn();
    let (first_status, first) = app.post(&visit()).await;
    assert_eq!(first_status, StatusCode::CREATED);
    // Same content, typed differently: still the same record.
    let mut again = visit();
    again["parties"][0]["phone"] = json!("13812341234");
    let (status, replay) = app.post(&again).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(replay, first);
    assert_eq!(app.list().await.len(), 1);
}

#[tokio::test]
async fn the_same_id_with_other_content_is_a_conflict_and_changes_nothing() {
    let app = TestApp::spawn();
    let (_, first) = app.post(&visit()).await;
    let mut other = visit();
    other["summary"] = json!("另一件事");
    let (status, err) = app.post(&other).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(err["error"], "conflict");
    let listed = app.list().await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["record"], first["record"]);
}

#[tokio::test]
async fn concurrent_copies_of_one_record_are_stored_once() {
    let app = Arc::new(TestApp::spawn());
    let mut tasks = Vec::new();
    for _ in 0..16 {
        let app = app.clone();
        tasks.push(tokio::spawn(async move { app.post(&visit()).await.0 }));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::CREATED)
            .count(),
        1
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == StatusCode::OK).count(),
        15
    );
    assert_eq!(app.list().await.len(), 1);
}

#[tokio::test]
async fn records_survive_a_restart_and_the_file_is_in_wal_mode() {
    let app = TestApp::spawn();
    app.post(&visit()).await;
    let app = app.restart();
    assert_eq!(app.list().await.len(), 1);
    let conn = rusqlite::Connection::open(app.dir.path().join("test.sqlite3")).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[tokio::test]
async fn unknown_records_and_routes_are_json_404s() {
    let app = TestApp::spawn();
    let (status, err) = app
        .send(Method::GET, &format!("/api/visits/{ID}"), None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(err["error"], "not_found");
    let (status, _) = app.send(Method::GET, "/api/visits/not-a-uuid", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app.send(Method::GET, "/api/nothing-here", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
