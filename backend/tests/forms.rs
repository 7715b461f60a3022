//! Submitting, reading, listing and editing forms, against a real SQLite file.

mod common;

use std::sync::Arc;

use axum::http::StatusCode;
use common::*;
use serde_json::json;

const ID: &str = "6f1c3c5e-2d1b-4b7e-9a51-0c2f1e7d9a10";
const LINZI: &str = "rugao/baipu/linzi";

#[tokio::test]
async fn a_valid_record_is_stored_with_the_level_the_server_computes() {
    let app = TestApp::spawn();
    let me = app.login("linzi").await;
    let res = app.post("/api/visits", &me, &visit(ID, LINZI)).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let body = res.body;
    assert_eq!(body["record"]["id"], ID);
    assert_eq!(body["record"]["parties"][0]["phone"], "13812341234");
    assert_eq!(body["assessment"]["level"], "red");
    assert_eq!(body["assessment"]["tier"], "three");
    assert_eq!(
        (body["version"].as_i64(), body["author"].as_str()),
        (Some(1), Some("linzi"))
    );
    let codes: Vec<&str> = body["assessment"]["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["report.severe_violence", "risk.red", "report.red"]);

    let listed = app.get("/api/visits", &me).await.body;
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["record"], body["record"]);
    let one = app.get(&format!("/api/visits/{ID}"), &me).await;
    assert_eq!(one.status, StatusCode::OK);
    // The answer to the POST (built from what was written, not read back) is what is stored.
    assert_eq!(one.body, body);
    assert_eq!(listed[0], body);
}

#[tokio::test]
async fn a_client_cannot_send_its_own_level() {
    let app = TestApp::spawn();
    let me = app.login("linzi").await;
    let mut body = visit(ID, LINZI);
    body["level"] = json!("yellow");
    let res = app.post("/api/visits", &me, &body).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.body["fields"][0]["field"], "level");
    assert!(
        app.get("/api/visits", &me)
            .await
            .body
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn invalid_input_gets_the_same_field_errors_as_the_app_and_stores_nothing() {
    let app = TestApp::spawn();
    let me = app.login("linzi").await;
    let mut body = visit(ID, LINZI);
    body["summary"] = json!("  ");
    body["visit_date"] = json!("2026-11-30");
    body["parties"][0]["phone"] = json!("12345");
    let res = app.post("/api/visits", &me, &body).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let input: shared::VisitInput = serde_json::from_value(body).unwrap();
    let today = shared::time::china_today(START.parse().unwrap());
    let expected = shared::VisitRecord::parse(&input, today).unwrap_err();
    assert_eq!(
        res.body["fields"],
        serde_json::to_value(&expected.0).unwrap()
    );
    assert_eq!(
        res.body["fields"][1]["message"],
        "走访日期：日期不能晚于今天"
    );
    assert!(
        app.get("/api/visits", &me)
            .await
            .body
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn malformed_bodies_are_refused_with_json() {
    let app = TestApp::spawn();
    let me = app.login("linzi").await;
    let raw = |body: &'static str, ct: &'static str| {
        let app = &app;
        let me = me.clone();
        async move {
            let req = axum::http::Request::post("/api/visits")
                .header("cookie", me)
                .header("content-type", ct)
                .body(axum::body::Body::from(body))
                .unwrap();
            let res = tower::ServiceExt::oneshot(app.router.clone(), req)
                .await
                .unwrap();
            let status = res.status();
            let bytes = http_body_util::BodyExt::collect(res.into_body())
                .await
                .unwrap()
                .to_bytes();
            (
                status,
                serde_json::from_slice::<serde_json::Value>(&bytes).unwrap(),
            )
        }
    };
    let (status, err) = raw("{\"id\":", "application/json").await;
    assert_eq!(
        (status, err["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("bad_json"))
    );
    let (status, err) = raw(r#"{"parties":[{"age":36}]}"#, "application/json").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err["fields"][0]["field"], "parties[0].age");
    // A cross-site form post cannot carry JSON: anything else is refused.
    let (status, err) = raw("summary=x", "application/x-www-form-urlencoded").await;
    assert_eq!(
        (status, err["error"].as_str()),
        (StatusCode::UNSUPPORTED_MEDIA_TYPE, Some("not_json"))
    );
    let huge = format!(
        r#"{{"summary":"{}"}}"#,
        "x".repeat(backend::routes::BODY_LIMIT)
    );
    let res = app
        .post("/api/visits", &me, &serde_json::from_str(&huge).unwrap())
        .await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        app.get("/api/visits", &me)
            .await
            .body
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn sending_the_same_record_again_is_answered_from_storage() {
    let app = TestApp::spawn();
    let me = app.login("linzi").await;
    let first = app.post("/api/visits", &me, &visit(ID, LINZI)).await;
    assert_eq!(first.status, StatusCode::CREATED);
    let mut again = visit(ID, LINZI);
    again["parties"][0]["phone"] = json!("13812341234");
    let replay = app.post("/api/visits", &me, &again).await;
    assert_eq!(replay.status, StatusCode::OK);
    assert_eq!(replay.body, first.body);
    assert_eq!(
        app.get("/api/visits", &me)
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn the_same_id_with_other_content_is_a_conflict_and_changes_nothing() {
    let app = TestApp::spawn();
    let me = app.login("linzi").await;
    let first = app.post("/api/visits", &me, &visit(ID, LINZI)).await;
    let mut other = visit(ID, LINZI);
    other["summary"] = json!("另一件事");
    let res = app.post("/api/visits", &me, &other).await;
    assert_eq!(
        (res.status, res.body["error"].as_str()),
        (StatusCode::CONFLICT, Some("conflict"))
    );
    let listed = app.get("/api/visits", &me).await.body;
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["record"], first.body["record"]);
}

#[tokio::test]
async fn concurrent_copies_of_one_record_are_stored_once() {
    let app = Arc::new(TestApp::spawn());
    let me = app.login("linzi").await;
    let mut tasks = Vec::new();
    for _ in 0..16 {
        let (app, me) = (app.clone(), me.clone());
        tasks.push(tokio::spawn(async move {
            app.post("/api/visits", &me, &visit(ID, LINZI)).await.status
        }));
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
    assert_eq!(
        app.get("/api/visits", &me)
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

/// Many different records at once go through the group commit: every one is stored.
#[tokio::test]
async fn concurrent_submissions_are_all_committed() {
    let app = Arc::new(TestApp::spawn());
    let me = app.login("linzi").await;
    let mut tasks = Vec::new();
    for n in 0..200 {
        let (app, me) = (app.clone(), me.clone());
        tasks.push(tokio::spawn(async move {
            let mut v = visit(&uuid(n), LINZI);
            v["category"] = json!("A");
            app.post("/api/visits", &me, &v).await.status
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), StatusCode::CREATED);
    }
    let listed = app.get("/api/visits?limit=5000", &me).await.body;
    assert_eq!(listed.as_array().unwrap().len(), 200);
}

#[tokio::test]
async fn records_survive_a_restart_and_the_file_is_in_wal_mode() {
    let app = TestApp::spawn();
    let me = app.login("linzi").await;
    app.post("/api/visits", &me, &visit(ID, LINZI)).await;
    let db = backend::Db::open(&app.db_path()).unwrap();
    let again = backend::app(
        backend::AppState {
            db,
            ..app.state.clone()
        },
        None,
    );
    let req = axum::http::Request::get("/api/visits")
        .header("cookie", &me)
        .body(axum::body::Body::empty())
        .unwrap();
    let res = tower::ServiceExt::oneshot(again, req).await.unwrap();
    let bytes = http_body_util::BodyExt::collect(res.into_body())
        .await
        .unwrap()
        .to_bytes();
    let listed: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    let conn = rusqlite::Connection::open(app.db_path()).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[tokio::test]
async fn unknown_records_and_routes_are_json_404s() {
    let app = TestApp::spawn();
    let me = app.login("linzi").await;
    let res = app.get(&format!("/api/visits/{ID}"), &me).await;
    assert_eq!(
        (res.status, res.body["error"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
    assert_eq!(
        app.get("/api/visits/not-a-uuid", &me).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/api/nothing-here", &me).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_record_must_name_a_unit_of_the_right_level() {
    let app = TestApp::spawn();
    let me = app.login("baipu").await;
    // A visit record belongs to a village, not to the town.
    let res = app
        .post("/api/visits", &me, &visit(ID, "rugao/baipu"))
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.body["fields"][0]["field"], "org_unit");
    assert_eq!(
        res.body["fields"][0]["message"],
        "所属单位：应为村（社区）级单位"
    );
    let res = app
        .post("/api/visits", &me, &visit(ID, "rugao/baipu/nowhere"))
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn lists_filter_by_unit_period_status_category_and_level() {
    let app = TestApp::spawn();
    let town = app.login("baipu").await;
    let mut a = visit(&uuid(1), LINZI);
    a["category"] = json!("A");
    a["escalation"] = json!({});
    a["severe_violence"] = json!(false);
    a["visit_date"] = json!("2026-06-01");
    app.post("/api/visits", &town, &a).await;
    let mut b = visit(&uuid(2), "rugao/baipu/xinhe");
    b["resolved_on"] = json!("2026-11-25");
    app.post("/api/visits", &town, &b).await;
    app.post("/api/visits", &town, &visit(&uuid(3), LINZI))
        .await;
    let ids = |res: common::Response| -> Vec<String> {
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        res.body
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["record"]["id"].as_str().unwrap()[24..].to_owned())
            .collect()
    };
    assert_eq!(ids(app.get("/api/visits", &town).await).len(), 3);
    assert_eq!(
        ids(app.get("/api/visits?unit=rugao/baipu/xinhe", &town).await),
        ["000000000002"]
    );
    assert_eq!(
        ids(app
            .get("/api/visits?from=2026-11-01&to=2026-11-30", &town)
            .await)
        .len(),
        2
    );
    assert_eq!(
        ids(app.get("/api/visits?status=resolved", &town).await),
        ["000000000002"]
    );
    assert_eq!(
        ids(app.get("/api/visits?category=A", &town).await),
        ["000000000001"]
    );
    // Open since June with no escalation: orange by now.
    assert_eq!(
        ids(app.get("/api/visits?level=orange", &town).await),
        ["000000000001"]
    );
    let bad = app
        .get("/api/visits?from=yesterday&colour=red", &town)
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = bad.body["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["from", "colour"]);
    // A value the kind does not have is refused by name, not answered with an empty list;
    // so is a filter the kind has no use for.
    for (uri, field) in [
        ("/api/visits?status=closed", "status"),
        ("/api/visits?category=D", "category"),
        ("/api/visits?level=purple", "level"),
        ("/api/monthly-reports?status=resolved", "status"),
        ("/api/key-persons?category=man", "category"),
        ("/api/rights-cases?status=done", "status"),
        ("/api/rights-cases?category=A", "category"),
        ("/api/self-assessments?category=eight", "category"),
        ("/api/model-homes?status=open", "status"),
        ("/api/meetings?status=open", "status"),
        ("/api/meetings?level=red", "level"),
        ("/api/town-assessments?category=A", "category"),
        ("/api/export/visits.csv?level=purple", "level"),
    ] {
        let res = app.get(uri, &town).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{uri}");
        assert_eq!(res.body["fields"][0]["field"], field, "{uri}");
        assert_eq!(res.body["fields"][0]["code"], "unknown_choice", "{uri}");
    }
    for uri in [
        "/api/monthly-reports?status=zero",
        "/api/key-persons?category=both",
        "/api/rights-cases?status=accepted",
        "/api/self-assessments?category=seven",
        "/api/model-homes?status=approved",
    ] {
        assert_eq!(app.get(uri, &town).await.status, StatusCode::OK, "{uri}");
    }
    assert_eq!(
        app.get("/api/visits?unit=rugao/changjiang", &town)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn edits_are_new_versions_and_nothing_is_overwritten() {
    let app = TestApp::spawn();
    let me = app.login("linzi").await;
    let first = app.post("/api/visits", &me, &visit(ID, LINZI)).await.body;
    let mut edited = visit(ID, LINZI);
    edited["resolved_on"] = json!("2026-11-28");
    let uri = format!("/api/visits/{ID}");
    assert_eq!(
        app.put(&uri, &me, None, &edited).await.status,
        StatusCode::PRECONDITION_REQUIRED
    );
    let res = app.put(&uri, &me, Some("\"1\""), &edited).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.body["version"], 2);
    assert_eq!(res.body["assessment"]["warnings"], json!([]));
    // The same edit again (a retry) is answered from storage.
    assert_eq!(
        app.put(&uri, &me, Some("1"), &edited).await.body["version"],
        2
    );
    // Another edit based on version 1 would lose version 2's change.
    let mut other = edited.clone();
    other["handling"] = json!("已调解");
    let stale = app.put(&uri, &me, Some("1"), &other).await;
    assert_eq!(
        (stale.status, stale.body["error"].as_str()),
        (StatusCode::CONFLICT, Some("stale_version"))
    );
    // The id in the body must be the one in the address.
    let mut moved = edited.clone();
    moved["id"] = json!(uuid(9));
    assert_eq!(
        app.put(&uri, &me, Some("2"), &moved).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let versions = app.get(&format!("{uri}/versions"), &me).await.body;
    assert_eq!(versions.as_array().unwrap().len(), 2);
    assert_eq!(versions[0]["record"], first["record"]);
    assert_eq!(versions[1]["record"]["resolved_on"], "2026-11-28");
    // The original submission, retried late, is still a replay and not a conflict.
    assert_eq!(
        app.post("/api/visits", &me, &visit(ID, LINZI)).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn case_stages_only_move_forward() {
    let app = TestApp::spawn();
    let me = app.login("baipu").await;
    let id = uuid(7);
    let uri = format!("/api/rights-cases/{id}");
    let res = app
        .post("/api/rights-cases", &me, &case(&id, "rugao/baipu"))
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    assert_eq!(res.body["assessment"]["reply_deadline"], "2026-11-11");
    let mut next = case(&id, "rugao/baipu");
    next["stages"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "stage": "investigated", "date": "2026-11-05", "handler": "林芳" }));
    let res = app.put(&uri, &me, Some("1"), &next).await;
    assert_eq!(
        (res.status, res.body["version"].as_i64()),
        (StatusCode::OK, Some(2))
    );
    assert_eq!(res.body["assessment"]["current_stage"], "investigated");
    // Dropping a recorded stage is refused, naming it.
    let back = case(&id, "rugao/baipu");
    let res = app.put(&uri, &me, Some("2"), &back).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert_eq!(res.body["fields"][0]["code"], "locked");
    // A stored stage's handler or note cannot be rewritten either (issue #14: it was).
    let mut rewritten = next.clone();
    rewritten["stages"][0]["handler"] = json!("王敏");
    rewritten["stages"][1]["note"] = json!("补记");
    let res = app.put(&uri, &me, Some("2"), &rewritten).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    let fields: Vec<&str> = res.body["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["stages[0].handler", "stages[1].note"]);
    // Skipping a stage is refused by the form's own rules.
    let mut skip = next.clone();
    skip["stages"].as_array_mut().unwrap().push(
        json!({ "stage": "closed", "date": "2026-11-06", "handler": "林芳", "result": "调解成功" }),
    );
    assert_eq!(
        app.put(&uri, &me, Some("2"), &skip).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

#[tokio::test]
async fn model_home_opinions_already_given_stay_as_signed() {
    let app = TestApp::spawn();
    let me = app.login("linzi").await;
    let path = format!("{}/../examples/model_home.json", env!("CARGO_MANIFEST_DIR"));
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut form = doc["form"].clone();
    let id = uuid(31);
    form["id"] = json!(id);
    form["org_unit"] = json!(LINZI);
    let uri = format!("/api/model-homes/{id}");
    let res = app.post("/api/model-homes", &me, &form).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    // The district's approval turned into a rejection: refused, naming the district.
    let mut changed = form.clone();
    changed["opinions"]["district"] =
        json!({ "decision": "reject", "text": "材料不全", "date": "2025-12-16" });
    let res = app.put(&uri, &me, Some("1"), &changed).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert_eq!(res.body["fields"][0]["field"], "opinions.district.decision");
    assert_eq!(res.body["fields"][0]["code"], "locked");
    // Withdrawn altogether: refused too.
    let mut withdrawn = form.clone();
    withdrawn["opinions"]["district"] = json!({ "decision": "", "text": "", "date": "" });
    let res = app.put(&uri, &me, Some("1"), &withdrawn).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    // The city's opinion added, and the content corrected: both stored as new versions.
    let mut signed = form.clone();
    signed["opinions"]["city"] =
        json!({ "decision": "approve", "text": "同意", "date": "2026-01-08" });
    let res = app.put(&uri, &me, Some("1"), &signed).await;
    assert_eq!(
        (res.status, res.body["version"].as_i64()),
        (StatusCode::OK, Some(2)),
        "{}",
        res.body
    );
    signed["featured_activities"] = json!("“林梓姐妹说”家风宣讲品牌，全年开展14场。");
    let res = app.put(&uri, &me, Some("2"), &signed).await;
    assert_eq!(
        (res.status, res.body["version"].as_i64()),
        (StatusCode::OK, Some(3)),
        "{}",
        res.body
    );
}
