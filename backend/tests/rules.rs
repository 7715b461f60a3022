//! Issue #18: the yearly rule tables (calendar, rubric, themes) published without a release —
//! checked by `shared`, versioned, audited, and used by the server at once.
//!
//! The 2027 calendar is `tests/fixtures/calendar-2027.json`, made-up dates in the notice's
//! shape (not the real 2027 holidays).

mod common;

use std::time::Duration;

use axum::http::{Method, StatusCode};
use common::*;
use serde_json::{Value, json};

const FIXTURE_2027: &str = include_str!("fixtures/calendar-2027.json");

fn calendar_2027() -> Value {
    serde_json::from_str(FIXTURE_2027).unwrap()
}

async fn put(app: &TestApp, uri: &str, cookie: &str, body: &Value) -> Response {
    app.request(Method::PUT, uri, Some(cookie), Some(body), &[])
        .await
}

fn fields(res: &Response) -> Vec<(String, String)> {
    res.body["fields"]
        .as_array()
        .unwrap_or_else(|| panic!("no field errors: {}", res.body))
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap().to_owned(),
                f["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn codes(warnings: &Value) -> Vec<&str> {
    warnings
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["code"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn a_calendar_with_a_day_both_off_and_worked_is_refused_field_by_field() {
    let app = TestApp::spawn();
    let admin = app.login("admin").await;
    let mut bad = calendar_2027();
    // Saturday 2027-01-02 is inside the 元旦 break.
    bad["make_up_workdays"][0] = json!({ "name": "元旦", "date": "2027-01-02" });
    bad["holidays"][1]["to"] = json!("2027-02-01");
    let res = put(&app, "/api/calendars/2027?reason=通知", &admin, &bad).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert_eq!(
        fields(&res),
        [
            ("holidays[1].to".to_owned(), "too_early".to_owned()),
            (
                "make_up_workdays[0]".to_owned(),
                "holiday_and_workday".to_owned()
            ),
        ]
    );
    let message = res.body["fields"][1]["message"].as_str().unwrap();
    assert!(message.contains("同一天不能既放假又上班"), "{message}");
    // The address's year is the table's.
    let res = put(
        &app,
        "/api/calendars/2028?reason=x",
        &admin,
        &calendar_2027(),
    )
    .await;
    assert_eq!(fields(&res), [("year".to_owned(), "wrong_year".to_owned())]);
    // Without a reason nothing is published.
    let res = put(&app, "/api/calendars/2027", &admin, &calendar_2027()).await;
    assert_eq!(fields(&res), [("reason".to_owned(), "required".to_owned())]);
    // Nothing was published by any of it.
    let res = app.get("/api/calendars/2027", &admin).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_published_2027_calendar_sets_the_deadline_of_a_case_accepted_in_late_2026() {
    let app = TestApp::spawn();
    // 2026-12-30, so that a case accepted on the 28th is no future date.
    app.advance(Duration::from_secs(31 * 24 * 3600));
    let station = app.login("baipu").await;
    let id = uuid(2027);
    let mut case = case(&id, "rugao/baipu");
    case["stages"] = json!([
        { "stage": "applied", "date": "2026-12-28", "handler": "林芳" },
        { "stage": "accepted", "date": "2026-12-28", "handler": "林芳", "complexity": "ordinary" }
    ]);
    let res = app.post("/api/rights-cases", &station, &case).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    // Without a 2027 table, New Year's Day counts as a working day, and says so.
    let before = &res.body["assessment"];
    assert_eq!(before["reply_deadline"], "2027-01-06");
    assert_eq!(before["calendar_missing_years"], json!([2027]));
    assert!(codes(&before["warnings"]).contains(&"calendar.missing"));

    // The preview names the case, its deadline now and after.
    let admin = app.login("admin").await;
    let preview = app
        .post("/api/calendars/2027/preview", &admin, &calendar_2027())
        .await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert_eq!(preview.body["changed"], true);
    let moved = preview.body["cases"].as_array().unwrap();
    let ours = moved.iter().find(|c| c["id"] == id.as_str()).unwrap();
    assert_eq!(ours["old"]["value"], "2027-01-06");
    assert_eq!(ours["old"]["missing_years"], json!([2027]));
    assert_eq!(ours["new"]["value"], "2027-01-07");
    assert_eq!(ours["new"]["missing_years"], json!([]));
    // A preview publishes nothing.
    let again = app.get(&format!("/api/rights-cases/{id}"), &station).await;
    assert_eq!(again.body["assessment"]["reply_deadline"], "2027-01-06");

    let res = put(
        &app,
        "/api/calendars/2027?reason=国务院办公厅通知（测试）",
        &admin,
        &calendar_2027(),
    )
    .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    assert_eq!(res.body["version"], 1);
    assert_eq!(res.body["published_by"], "admin");

    // Read at once by the case, its list and the warnings view.
    let after = app.get(&format!("/api/rights-cases/{id}"), &station).await;
    let a = &after.body["assessment"];
    assert_eq!(a["reply_deadline"], "2027-01-07");
    assert_eq!(a["calendar_missing_years"], json!([]));
    assert!(!codes(&a["warnings"]).contains(&"calendar.missing"));
    let warnings = app.get("/api/views/warnings", &station).await;
    assert_eq!(warnings.status, StatusCode::OK, "{}", warnings.body);
    assert!(!warnings.body.to_string().contains("calendar.missing"));
    // Every logged-in user reads the tables, the new year among them, for the app to sync.
    let village = app.login("linzi").await;
    let list = app.get("/api/calendars", &village).await;
    assert_eq!(list.status, StatusCode::OK);
    let years: Vec<(u64, u64)> = list
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["year"].as_u64().unwrap(), p["version"].as_u64().unwrap()))
        .collect();
    assert_eq!(years, [(2025, 0), (2026, 0), (2027, 1)]);
}

#[tokio::test]
async fn republishing_makes_version_2_and_version_1_stays_readable() {
    let app = TestApp::spawn();
    let city = app.login("city").await;
    let v1 = calendar_2027();
    let res = put(&app, "/api/calendars/2027?reason=初版", &city, &v1).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    // The same table again is no new version.
    let res = put(&app, "/api/calendars/2027?reason=重复", &city, &v1).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(
        (res.body["version"].as_i64(), &res.body["changed"]),
        (Some(1), &json!(false))
    );

    let mut v2 = v1.clone();
    v2["holidays"][0]["to"] = json!("2027-01-01");
    let res = put(&app, "/api/calendars/2027?reason=更正元旦", &city, &v2).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    assert_eq!(res.body["version"], 2);

    let current = app.get("/api/calendars/2027", &city).await;
    assert_eq!(current.body["version"], 2);
    assert_eq!(current.body["table"]["holidays"][0]["to"], "2027-01-01");
    let old = app.get("/api/calendars/2027/versions/1", &city).await;
    assert_eq!(old.status, StatusCode::OK);
    assert_eq!(old.body["table"]["holidays"][0]["to"], "2027-01-03");
    assert_eq!(old.body["reason"], "初版");
    assert_eq!(old.body["published_by"], "city");
    let all = app.get("/api/calendars/2027/versions", &city).await;
    let reasons: Vec<&str> = all
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["reason"].as_str().unwrap())
        .collect();
    assert_eq!(reasons, ["初版", "更正元旦"]);
    assert_eq!(
        app.get("/api/calendars/2027/versions/3", &city)
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // Both publications are in the audit log: who, when, why.
    let admin = app.login("admin").await;
    let audit = app.get("/api/audit", &admin).await.body;
    let published: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "publish")
        .map(|e| e["detail"].as_str().unwrap())
        .collect();
    assert_eq!(published, ["version 1: 初版", "version 2: 更正元旦"]);
}

#[tokio::test]
async fn only_city_and_admin_accounts_publish() {
    let app = TestApp::spawn();
    for user in ["linzi", "baipu"] {
        let me = app.login(user).await;
        let res = put(&app, "/api/calendars/2027?reason=x", &me, &calendar_2027()).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{user}: {}", res.body);
        let res = app
            .post("/api/calendars/2027/preview", &me, &calendar_2027())
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{user}");
        let res = put(
            &app,
            "/api/themes/2027?reason=x",
            &me,
            &json!({"months": {}}),
        )
        .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{user}");
        // Reading stays open to every logged-in user.
        assert_eq!(
            app.get("/api/calendars/2026", &me).await.status,
            StatusCode::OK
        );
    }
    let res = app
        .request(Method::GET, "/api/calendars", None, None, &[])
        .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_years_rubric_and_themes_are_checked_published_and_used() {
    let app = TestApp::spawn_with_samples();
    let city = app.login("city").await;
    // The demo's assessments are this year's, filled against the 2018 rubric in force.
    let ranking = app.get("/api/views/ranking", &city).await.body;
    assert_eq!(ranking["year"], 2026);
    assert_eq!(ranking["rubric_year"], 2018);
    assert_eq!(ranking["rows"].as_array().unwrap().len(), 3);
    let in_force = app.get("/api/rubrics/2026", &city).await.body;
    assert_eq!(
        (&in_force["table_year"], &in_force["builtin"]),
        (&json!(2018), &json!(true))
    );

    let mut rubric: Value = serde_json::from_str(shared::rubric::RUBRIC_2018_JSON).unwrap();
    rubric["year"] = json!(2026);
    rubric["title"] = json!("2026年各镇（区、街道）妇女工作考核细则");
    let mut broken = rubric.clone();
    broken["categories"][0]["points"] = json!("12");
    let res = put(&app, "/api/rubrics/2026?reason=x", &city, &broken).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        fields(&res),
        [("full_marks".to_owned(), "bad_rule".to_owned())]
    );

    let res = put(&app, "/api/rubrics/2026?reason=2026年细则", &city, &rubric).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let ranking = app.get("/api/views/ranking", &city).await.body;
    assert_eq!(ranking["rubric_year"], 2026);
    // Assessments filled against 2018's keep their scores until they are filled again.
    assert_eq!(ranking["rows"].as_array().unwrap().len(), 3);
    let in_force = app.get("/api/rubrics/2027", &city).await.body;
    assert_eq!(
        (&in_force["table_year"], &in_force["version"]),
        (&json!(2026), &json!(1))
    );

    let res = put(
        &app,
        "/api/themes/2027?reason=x",
        &city,
        &json!({ "months": { "13": ["x"], "2": [" "] } }),
    )
    .await;
    assert_eq!(
        fields(&res),
        [
            ("months.2[0]".to_owned(), "required".to_owned()),
            ("months.13".to_owned(), "out_of_range".to_owned()),
        ]
    );
    let themes = json!({ "source": "测试", "months": { "1": ["新春走访"] } });
    let preview = app.post("/api/themes/2027/preview", &city, &themes).await;
    assert_eq!(
        preview.body["months"],
        json!((1..=12).collect::<Vec<u32>>())
    );
    let res = put(&app, "/api/themes/2027?reason=x", &city, &themes).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    assert_eq!(res.body["table"]["year"], 2027);
    let later = app.get("/api/themes/2028", &city).await.body;
    assert_eq!(later["table"]["months"]["1"], json!(["新春走访"]));
}

/// `backend rules load FILE` against the file a running server uses: the server reads the new
/// version on its next request.
#[tokio::test]
async fn the_cli_loads_the_same_files_with_the_same_checks() {
    let app = TestApp::spawn();
    let city = app.login("city").await;
    // Read once, so that the server has the tables cached before the CLI writes.
    assert_eq!(
        app.get("/api/calendars/2027", &city).await.status,
        StatusCode::NOT_FOUND
    );
    let db = app.db_path();
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_backend"))
            .args(["rules", "load", "--db", db.to_str().unwrap()])
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/calendar-2027.json"
    );

    let mut bad = calendar_2027();
    bad["make_up_workdays"][0] = json!("2027-01-02");
    let bad_file = app.dir.path().join("bad-2027.json");
    std::fs::write(&bad_file, bad.to_string()).unwrap();
    let (code, out) = run(&[bad_file.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert!(
        out.contains("make_up_workdays[0]") && out.contains("holiday_and_workday"),
        "{out}"
    );

    let (code, out) = run(&["--reason", "国务院办公厅通知（测试）", fixture]);
    assert_eq!(
        (code, out.trim()),
        (Some(0), "calendar 2027: published version 1")
    );
    let (code, out) = run(&["--reason", "again", fixture]);
    assert_eq!(
        (code, out.trim()),
        (Some(0), "calendar 2027: unchanged, still version 1")
    );

    let read = app.get("/api/calendars/2027", &city).await.body;
    assert_eq!(read["version"], 1);
    assert_eq!(read["published_by"], Value::Null);
    assert_eq!(read["reason"], "国务院办公厅通知（测试）");

    // A theme file names no year: the command must be told.
    let themes = app.dir.path().join("themes.json");
    std::fs::write(&themes, r#"{"months": {"1": ["新春走访"]}}"#).unwrap();
    let (code, out) = run(&[themes.to_str().unwrap()]);
    assert_eq!(code, Some(1), "{out}");
    let (code, out) = run(&["--year", "2027", themes.to_str().unwrap()]);
    assert_eq!(
        (code, out.trim()),
        (Some(0), "themes 2027: published version 1")
    );
}

/// A rubric republished with other items: the preview names the assessments it no longer fits,
/// and the ranking names them instead of failing.
#[tokio::test]
async fn a_rubric_that_no_longer_fits_is_shown_before_and_after_publishing() {
    let app = TestApp::spawn_with_samples();
    let city = app.login("city").await;
    let json = shared::rubric::RUBRIC_2018_JSON.replacen(
        "\"id\": \"rights.mediator\"",
        "\"id\": \"rights.mediators\"",
        1,
    );
    let renamed: Value = serde_json::from_str(&json).unwrap();
    let preview = app.post("/api/rubrics/2018/preview", &city, &renamed).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    let hit = preview.body["assessments"].as_array().unwrap();
    // The demo's three assessments of this year were filled against the 2018 rubric.
    assert_eq!(hit.len(), 3, "{}", preview.body);
    assert!(
        hit.iter()
            .all(|a| a["new_raw_total"].is_null() && a["error"].is_string())
    );
    assert!(hit.iter().all(|a| a["year"] == 2026));

    let res = put(&app, "/api/rubrics/2018?reason=改名", &city, &renamed).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let ranking = app.get("/api/views/ranking", &city).await;
    assert_eq!(ranking.status, StatusCode::OK, "{}", ranking.body);
    assert_eq!(ranking.body["rows"], json!([]));
    assert_eq!(ranking.body["unscored"].as_array().unwrap().len(), 3);
}
