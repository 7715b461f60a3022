//! Issue #14, the input gaps an outside test found: arrays taken for objects, answers far
//! bigger than the request, control characters in names, and units whose ids share a prefix.

mod common;

use axum::http::StatusCode;
use backend::auth::{Role, add_user};
use backend::org::{self, Level};
use common::*;
use serde_json::{Value, json};

#[tokio::test]
async fn an_array_where_the_form_expects_an_object_is_a_422_naming_the_field() {
    let app = TestApp::spawn();
    let me = app.login("linzi").await;
    let mut body = visit(&uuid(1), "rugao/baipu/linzi");
    body["resolved_on"] = json!("2026-11-27");
    body["reports"] = json!(["2026-11-28", "2026-11-29", "2026-11-30"]);
    let res = app.post("/api/visits", &me, &body).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert_eq!(res.body["fields"][0]["field"], "reports");

    // A whole form as an array of its fields, in order.
    let whole = json!([uuid(2), "rugao/baipu/linzi"]);
    let res = app.post("/api/visits", &me, &whole).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert_eq!(res.body["fields"].as_array().unwrap().len(), 1);

    let list = app.get("/api/visits", &me).await.body;
    assert_eq!(list.as_array().map(Vec::len), Some(0), "nothing stored");
}

#[tokio::test]
async fn at_most_a_hundred_field_errors_come_back_then_how_many_more() {
    let app = TestApp::spawn();
    let me = app.login("linzi").await;
    let body: Value = serde_json::from_str(&format!(
        r#"{{"id":"{}","org_unit":"rugao/baipu/linzi","attendees":[{}]}}"#,
        uuid(3),
        vec![r#""""#; 60_000].join(",")
    ))
    .unwrap();
    let sent = body.to_string().len();
    let res = app.post("/api/meetings", &me, &body).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = res.body["fields"].as_array().unwrap();
    assert_eq!(fields.len(), 100);
    let more = res.body["message_en"].as_str().unwrap();
    assert!(more.ends_with(" more"), "{more}");
    assert!(res.body["message"].as_str().unwrap().contains("另有"));
    // Issue #14: 7.6 MB came back for this 200 KB request.
    assert!(
        res.body.to_string().len() < sent,
        "{} B answer",
        res.body.to_string().len()
    );
}

#[tokio::test]
async fn names_with_control_or_direction_characters_are_refused_and_zero_width_ones_dropped() {
    let app = TestApp::spawn();
    let me = app.login("linzi").await;
    for (name, code) in [
        ("王\u{0}芳", "U+0000"),
        ("\u{1b}[2J王芳", "U+001B"),
        ("王芳\u{202E}gpj.exe", "U+202E"),
    ] {
        let mut body = visit(&uuid(4), "rugao/baipu/linzi");
        body["parties"][0]["name"] = json!(name);
        let res = app.post("/api/visits", &me, &body).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{name:?}");
        let field = &res.body["fields"][0];
        assert_eq!(field["field"], "parties[0].name");
        assert_eq!(field["code"], "control_character");
        assert!(field["message"].as_str().unwrap().contains(code), "{field}");
    }
    let mut body = visit(&uuid(4), "rugao/baipu/linzi");
    body["parties"][0]["name"] = json!("王\u{200B}芳");
    let res = app.post("/api/visits", &me, &body).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    assert_eq!(res.body["record"]["parties"][0]["name"], "王芳");
}

/// Two towns whose ids share a prefix: `rugao/baipu` must not cover `rugao/baipu-x` (only two
/// unit tests in `org.rs` guarded this before).
#[tokio::test]
async fn units_whose_ids_share_a_prefix_do_not_see_each_other() {
    let app = TestApp::spawn();
    {
        let conn = rusqlite::Connection::open(app.db_path()).unwrap();
        org::add(&conn, "rugao/baipu-x", "白蒲西镇", Level::Town).unwrap();
        org::add(&conn, "rugao/baipu-x/linzi", "白蒲西林梓村", Level::Village).unwrap();
        for (user, role, unit) in [
            ("baipux", Role::Town, "rugao/baipu-x"),
            ("linzix", Role::Village, "rugao/baipu-x/linzi"),
        ] {
            add_user(
                &conn,
                user,
                user,
                role,
                unit,
                backend::demo::PASSWORD,
                START,
            )
            .unwrap();
        }
    }
    let baipu = app.login("baipu").await;
    let baipux = app.login("baipux").await;
    let linzi = app.login("linzi").await;
    let linzix = app.login("linzix").await;
    let ours = uuid(10);
    let theirs = uuid(11);
    assert_eq!(
        app.post("/api/visits", &linzi, &visit(&ours, "rugao/baipu/linzi"))
            .await
            .status,
        StatusCode::CREATED
    );
    assert_eq!(
        app.post(
            "/api/visits",
            &linzix,
            &visit(&theirs, "rugao/baipu-x/linzi")
        )
        .await
        .status,
        StatusCode::CREATED
    );
    for (who, own, other, other_unit) in [
        (&baipu, &ours, &theirs, "rugao/baipu-x"),
        (&baipux, &theirs, &ours, "rugao/baipu"),
    ] {
        let list = app.get("/api/visits", who).await;
        assert_eq!(list.status, StatusCode::OK);
        let listed = list.body.to_string();
        assert!(listed.contains(own.as_str()) && !listed.contains(other.as_str()));
        for uri in [
            format!("/api/visits/{other}"),
            format!("/api/visits/{other}/versions"),
            format!("/api/visits?unit={other_unit}"),
            format!("/api/views/warnings?unit={other_unit}"),
            format!("/api/export/visits.csv?unit={other_unit}"),
        ] {
            assert_eq!(
                app.get(&uri, who).await.status,
                StatusCode::NOT_FOUND,
                "{uri}"
            );
        }
        let csv = app.download("/api/export/visits.csv", who).await;
        assert!(!String::from_utf8_lossy(&csv.bytes).contains(other.as_str()));
        let unit = if other_unit == "rugao/baipu" {
            "rugao/baipu/linzi"
        } else {
            "rugao/baipu-x/linzi"
        };
        let res = app
            .put(
                &format!("/api/visits/{other}"),
                who,
                Some("1"),
                &visit(other, unit),
            )
            .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
    }
    // The village of one town is not a village of the other.
    assert_eq!(
        app.post(
            "/api/visits",
            &linzi,
            &visit(&uuid(12), "rugao/baipu-x/linzi")
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
}
