//! The API description at `/api/openapi.json`.

mod common;

use axum::http::StatusCode;
use common::*;

#[tokio::test]
async fn the_api_description_is_served_without_login_and_covers_the_form_routes() {
    let app = TestApp::spawn();
    let res = app
        .request(
            axum::http::Method::GET,
            "/api/openapi.json",
            None,
            None,
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.headers.get("content-type").unwrap(), "application/json");
    let doc = res.body;
    let version = doc["openapi"].as_str().expect("an openapi version");
    assert!(version.starts_with("3."), "{version}");
    let visits = &doc["paths"]["/api/visits"];
    assert!(visits["post"].is_object() && visits["get"].is_object());
    // Every kind has its five routes, with the routes' own path segment.
    for path in [
        "visits",
        "key-persons",
        "meetings",
        "monthly-reports",
        "rights-cases",
        "self-assessments",
        "model-homes",
        "town-assessments",
    ] {
        let base = format!("/api/{path}");
        let item = format!("{base}/{{id}}");
        let versions = format!("{item}/versions");
        let paths = &doc["paths"];
        for (p, method) in [
            (&base, "get"),
            (&base, "post"),
            (&item, "get"),
            (&item, "put"),
            (&versions, "get"),
        ] {
            assert!(paths[p][method].is_object(), "{method} {p}");
        }
        // The request example is the kind's example form, moved to a demo unit.
        let body = &paths[&base]["post"]["requestBody"]["content"]["application/json"];
        let example = &body["example"];
        assert!(example["id"].is_string(), "{path}: {example}");
    }
    // The rule tables (issue #18).
    for kind in ["calendars", "rubrics", "themes"] {
        let item = format!("/api/{kind}/{{year}}");
        for (p, method) in [
            (format!("/api/{kind}"), "get"),
            (item.clone(), "get"),
            (item.clone(), "put"),
            (format!("{item}/preview"), "post"),
            (format!("{item}/versions"), "get"),
            (format!("{item}/versions/{{version}}"), "get"),
        ] {
            assert!(doc["paths"][&p][method].is_object(), "{method} {p}");
        }
    }
    for p in [
        "/api/login",
        "/api/logout",
        "/api/me",
        "/api/audit",
        "/api/sync",
        "/healthz",
    ] {
        assert!(doc["paths"][p].is_object(), "{p}");
    }
    // The change feed's page (issue #17), as `shared::sync::SyncPage` has it.
    let page = &doc["components"]["schemas"]["SyncPage"]["properties"];
    for field in ["changes", "removed", "reference", "next", "more", "reset"] {
        assert!(page[field].is_object(), "SyncPage.{field}");
    }
    // The error body every failure answers with.
    let error = &doc["components"]["schemas"]["Error"]["properties"];
    for field in ["error", "message", "message_en", "fields"] {
        assert!(error[field].is_object(), "Error.{field}");
    }
    let field_error = &doc["components"]["schemas"]["FieldError"]["properties"];
    for field in ["field", "code", "message", "message_en"] {
        assert!(field_error[field].is_object(), "FieldError.{field}");
    }
}

/// The example request bodies in the description are accepted by the server as they stand.
#[tokio::test]
async fn the_described_examples_are_accepted() {
    let app = TestApp::spawn();
    let city = app.login("city").await;
    let linzi = app.login("linzi").await;
    let baipu = app.login("baipu").await;
    for kind in backend::openapi::kinds() {
        let who = match kind.path {
            "town-assessments" => &city,
            "rights-cases" => &baipu,
            _ => &linzi,
        };
        let res = app
            .post(&format!("/api/{}", kind.path), who, &kind.example())
            .await;
        assert_eq!(
            res.status,
            StatusCode::CREATED,
            "{}: {}",
            kind.path,
            res.body
        );
    }
}
