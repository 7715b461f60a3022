//! Views computed by `shared` over stored records: warnings, reporting completeness, the town
//! ranking and the §7 statistics, against a real SQLite file.
//!
//! The demo city comes with sample records, so each test adds a town of its own (units and
//! users written straight into the file) and looks only at it, or at rows it can tell apart.

mod common;

use std::time::Duration;

use axum::http::StatusCode;
use backend::auth::Role;
use backend::org::Level;
use common::*;
use serde_json::{Value, json};

const TOWN: &str = "rugao/ceshi";
const DONG: &str = "rugao/ceshi/dong";
const XI: &str = "rugao/ceshi/xi";
const NAN: &str = "rugao/ceshi/nan";

/// Adds units (parents first) and users to the app's database file.
fn add(app: &TestApp, units: &[(&str, &str, Level)], users: &[(&str, Role, &str)]) {
    let conn = rusqlite::Connection::open(app.db_path()).unwrap();
    conn.busy_timeout(Duration::from_secs(10)).unwrap();
    for (id, name, level) in units {
        backend::org::add(&conn, id, name, *level).unwrap();
    }
    for (username, role, unit) in users {
        backend::auth::add_user(
            &conn,
            username,
            username,
            *role,
            unit,
            backend::demo::PASSWORD,
            START,
        )
        .unwrap();
    }
}

/// 测试镇 with three villages.
fn test_town(app: &TestApp) {
    add(
        app,
        &[
            (TOWN, "测试镇", Level::Town),
            (DONG, "东村", Level::Village),
            (XI, "西村", Level::Village),
            (NAN, "南村", Level::Village),
        ],
        &[("dongcun", Role::Village, DONG)],
    );
}

fn monthly(id: &str, unit: &str, month: &str, zero: bool) -> Value {
    let mut r = json!({
        "id": id, "org_unit": unit, "month": month, "zero_report": zero,
        "households_visited": "40", "meeting_held": true
    });
    if !zero {
        r["new_a"] = json!("2");
        r["resolved"] = json!("1");
    }
    r
}

fn key_person(id: &str, unit: &str, address: &str) -> Value {
    json!({
        "id": id, "org_unit": unit, "name": "赵兰", "address": address,
        "woman": { "poor": true }
    })
}

async fn created(app: &TestApp, cookie: &str, uri: &str, body: &Value) {
    let res = app.post(uri, cookie, body).await;
    assert_eq!(res.status, StatusCode::CREATED, "{uri}: {}", res.body);
}

fn codes_for<'a>(warnings: &'a Value, unit: &str) -> Vec<&'a str> {
    warnings
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["unit"] == unit)
        .map(|w| w["code"].as_str().unwrap())
        .collect()
}

fn field_names(res: &common::Response) -> Vec<&str> {
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    res.body["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn warnings_include_a_stored_visits_must_report_and_missing_monthly_reports() {
    let app = TestApp::spawn();
    test_town(&app);
    let city = app.login("city").await;
    let b = uuid(1);
    created(&app, &city, "/api/visits", &visit(&b, DONG)).await;
    // 西村 sent October's report, but after the 8th of November: late, not missing.
    created(
        &app,
        &city,
        "/api/monthly-reports",
        &monthly(&uuid(2), XI, "2026-10", true),
    )
    .await;

    let res = app.get("/api/views/warnings?unit=rugao/ceshi", &city).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let view = res.body;
    assert_eq!(
        (view["as_of"].as_str(), view["unit"].as_str()),
        (Some("2026-11-29"), Some(TOWN))
    );
    let warnings = &view["warnings"];
    let must_report = warnings
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["code"] == "report.severe_violence")
        .expect("a must-report warning");
    assert_eq!(must_report["severity"], "critical");
    assert_eq!(
        must_report["record"],
        json!({ "kind": "visit", "path": "visits", "id": b })
    );
    assert_eq!(
        (
            must_report["unit"].as_str(),
            must_report["unit_name"].as_str()
        ),
        (Some(DONG), Some("东村"))
    );
    assert_eq!(must_report["subject"], json!({ "kind": "record", "id": b }));
    // Most severe first.
    let rank = |s: &str| {
        ["critical", "high", "medium", "low"]
            .iter()
            .position(|x| *x == s)
            .unwrap()
    };
    let order: Vec<usize> = warnings
        .as_array()
        .unwrap()
        .iter()
        .map(|w| rank(w["severity"].as_str().unwrap()))
        .collect();
    assert!(order.windows(2).all(|w| w[0] <= w[1]), "{order:?}");
    assert_eq!(warnings[0]["severity"], "critical");

    assert_eq!(
        codes_for(warnings, DONG),
        [
            "report.severe_violence",
            "monthly.missing",
            "report.red",
            "risk.red"
        ]
    );
    assert_eq!(codes_for(warnings, XI), ["monthly.late"]);
    assert_eq!(codes_for(warnings, NAN), ["monthly.missing"]);
    let missing = warnings
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["code"] == "monthly.missing" && w["unit"] == NAN)
        .unwrap();
    assert_eq!(missing["record"], Value::Null);
    assert_eq!(missing["severity"], "high");
    assert_eq!(
        missing["subject"],
        json!({ "kind": "unit", "unit": NAN, "period": "2026-10" })
    );
    assert_eq!(
        view["counts"],
        json!({ "critical": 1, "high": 4, "medium": 0, "low": 1 })
    );

    // A minimum severity.
    let high = app
        .get("/api/views/warnings?unit=rugao/ceshi&severity=high", &city)
        .await
        .body;
    let severities: Vec<&str> = high["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["severity"].as_str().unwrap())
        .collect();
    assert_eq!(severities, ["critical", "high", "high", "high", "high"]);
    assert_eq!(high["counts"], view["counts"]);

    // Bad parameters are named; other units are not there.
    let bad = app
        .get("/api/views/warnings?severity=urgent&colour=red", &city)
        .await;
    assert_eq!(field_names(&bad), ["colour", "severity"]);
    let baipu = app.login("baipu").await;
    for uri in [
        "/api/views/warnings?unit=rugao/ceshi",
        "/api/views/warnings?unit=rugao/baipu/nowhere",
    ] {
        assert_eq!(
            app.get(uri, &baipu).await.status,
            StatusCode::NOT_FOUND,
            "{uri}"
        );
    }
    let me = app
        .request(
            axum::http::Method::GET,
            "/api/views/warnings",
            None,
            None,
            &[],
        )
        .await;
    assert_eq!(me.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_village_sees_only_its_own_warnings() {
    let app = TestApp::spawn();
    test_town(&app);
    let city = app.login("city").await;
    created(&app, &city, "/api/visits", &visit(&uuid(1), DONG)).await;
    created(&app, &city, "/api/visits", &visit(&uuid(2), XI)).await;

    let village = app.login("dongcun").await;
    let res = app.get("/api/views/warnings", &village).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let warnings = res.body["warnings"].as_array().unwrap().clone();
    assert!(!warnings.is_empty());
    assert!(warnings.iter().all(|w| w["unit"] == DONG), "{warnings:?}");
    let records: Vec<&str> = warnings
        .iter()
        .filter_map(|w| w["record"]["id"].as_str())
        .collect();
    assert!(records.iter().all(|id| *id == uuid(1)));
    assert!(warnings.iter().any(|w| w["code"] == "monthly.missing"));
    assert_eq!(
        app.get("/api/views/warnings?unit=rugao/ceshi", &village)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // The town sees both villages.
    let town = app.login("city").await;
    let all = app
        .get("/api/views/warnings?unit=rugao/ceshi", &town)
        .await
        .body;
    let ids: Vec<&str> = all["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["code"] == "report.severe_violence")
        .map(|w| w["record"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [uuid(1), uuid(2)]);
}

#[tokio::test]
async fn completeness_counts_a_towns_reports_for_a_month() {
    let app = TestApp::spawn();
    test_town(&app);
    add(&app, &[("rugao/ceshi/bei", "北村", Level::Village)], &[]);
    let city = app.login("city").await;
    // Sent in November for November: on time.
    created(
        &app,
        &city,
        "/api/monthly-reports",
        &monthly(&uuid(1), DONG, "2026-11", true),
    )
    .await;
    created(
        &app,
        &city,
        "/api/monthly-reports",
        &monthly(&uuid(2), XI, "2026-11", false),
    )
    .await;
    // Before the due date nothing is missing yet.
    let now = app
        .get(
            "/api/views/completeness?town=rugao/ceshi&month=2026-11",
            &city,
        )
        .await;
    assert_eq!(now.status, StatusCode::OK, "{}", now.body);
    let t = &now.body["towns"][0];
    assert_eq!(
        (
            t["on_time"].as_u64(),
            t["pending"].as_u64(),
            t["missing"].as_u64()
        ),
        (Some(2), Some(2), Some(0))
    );

    // 10 December: 南村's report comes late, 北村's never.
    app.advance(Duration::from_secs(11 * 24 * 3600));
    let city = app.login("city").await;
    created(
        &app,
        &city,
        "/api/monthly-reports",
        &monthly(&uuid(3), NAN, "2026-11", false),
    )
    .await;
    // A second report for the month does not count twice.
    created(
        &app,
        &city,
        "/api/monthly-reports",
        &monthly(&uuid(4), DONG, "2026-11", true),
    )
    .await;

    let res = app
        .get(
            "/api/views/completeness?town=rugao/ceshi&month=2026-11",
            &city,
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let view = res.body;
    assert_eq!(
        (view["month"].as_str(), view["due"].as_str()),
        (Some("2026-11"), Some("2026-12-08"))
    );
    assert_eq!(view["towns"].as_array().unwrap().len(), 1);
    let t = &view["towns"][0];
    assert_eq!(
        (t["town"].as_str(), t["town_name"].as_str()),
        (Some(TOWN), Some("测试镇"))
    );
    let figures: Vec<u64> = [
        "expected",
        "on_time",
        "late",
        "zero_reports",
        "missing",
        "pending",
    ]
    .iter()
    .map(|k| t[k].as_u64().unwrap())
    .collect();
    assert_eq!(figures, [4, 2, 1, 1, 1, 0]);
    assert_eq!(t["late_units"], json!([NAN]));
    assert_eq!(t["missing_units"], json!(["rugao/ceshi/bei"]));
    assert_eq!(t["rate"], json!({ "numerator": 2, "denominator": 4 }));
    assert_eq!(t["rate_text"], "50.00%");
    let statuses: Vec<(&str, &str)> = t["villages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["name"].as_str().unwrap(), v["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        statuses,
        [
            ("北村", "missing"),
            ("东村", "on_time"),
            ("南村", "late"),
            ("西村", "on_time")
        ]
    );
    assert_eq!(t["villages"][1]["received_on"], "2026-11-29");
    assert_eq!(t["villages"][1]["zero_report"], true);

    // By default: every town in scope, last month.
    let all = app.get("/api/views/completeness", &city).await.body;
    assert_eq!(all["month"], "2026-11");
    let towns: Vec<&str> = all["towns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["town"].as_str().unwrap())
        .collect();
    assert!(
        towns.contains(&TOWN) && towns.contains(&"rugao/baipu"),
        "{towns:?}"
    );
    assert!(towns.iter().all(|t| t.matches('/').count() == 1));
    let baipu = app.login("baipu").await;
    let own = app.get("/api/views/completeness", &baipu).await.body;
    assert_eq!(own["towns"].as_array().unwrap().len(), 1);
    assert_eq!(own["towns"][0]["town"], "rugao/baipu");

    assert_eq!(
        field_names(
            &app.get("/api/views/completeness?month=2026-13", &city)
                .await
        ),
        ["month"]
    );
    assert_eq!(
        field_names(
            &app.get("/api/views/completeness?month=2027-01", &city)
                .await
        ),
        ["month"]
    );
    assert_eq!(
        field_names(
            &app.get("/api/views/completeness?town=rugao/ceshi/dong", &city)
                .await
        ),
        ["town"]
    );
    assert_eq!(
        app.get("/api/views/completeness?town=rugao/ceshi", &baipu)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

/// A town assessment for 2018 as the city enters it: `full` is every item fulfilled (base
/// 100) with bonus beyond the cap (raw 120); otherwise the 长江镇 example of `examples/` (raw
/// 102).
fn assessment(id: &str, town: &str, full: bool) -> Value {
    let mut items = json!({
        "women_development.training": { "count": "2" },
        "women_development.pairing": { "checked": ["pairing", "spring_jobs", "role_models"] },
        "rights.activities": { "count": "4" },
        "rights.safe_family": { "checked": ["plan", "assessment", "commendation", "activities", "summary", "reporting"] },
        "rights.mediator": { "count": "1" },
        "committee.single_mothers_care": { "count": "1" },
        "children_family.brand": { "option": "active" },
        "publicity.media_campaigns": { "count": "4" },
        "information.published": { "count": "12" },
        "innovation.work": { "applied": true, "score": "10" },
        "other.publicity_tasks": { "done": "3", "total": "3" }
    });
    let bonus = if full {
        json!({ "city_meeting": "2", "nantong_meeting": "3", "chunlei_class": "2", "investment": "3" })
    } else {
        items["information.published"] = json!({ "count": "10" });
        items["women_development.civilised_post"] = json!({ "holds": true });
        json!({ "chunlei_class": "1", "investment": "1" })
    };
    json!({ "id": id, "town": town, "year": "2018", "items": items, "bonus": bonus })
}

#[tokio::test]
async fn the_ranking_scales_the_best_to_100_and_ties_share_a_rank() {
    let app = TestApp::spawn();
    add(
        &app,
        &[
            ("rugao/jia", "甲镇", Level::Town),
            ("rugao/yi", "乙镇", Level::Town),
            ("rugao/bing", "丙镇", Level::Town),
        ],
        &[("bingzhen", Role::Town, "rugao/bing")],
    );
    let city = app.login("city").await;
    for (n, town, full) in [
        (1, "rugao/jia", true),
        (2, "rugao/yi", true),
        (3, "rugao/bing", false),
    ] {
        created(
            &app,
            &city,
            "/api/town-assessments",
            &assessment(&uuid(n), town, full),
        )
        .await;
    }
    let res = app.get("/api/views/ranking?year=2018", &city).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let view = res.body;
    assert_eq!(
        (view["year"].as_u64(), view["full_marks"].as_str()),
        (Some(2018), Some("100.00"))
    );
    let rows = view["rows"].as_array().unwrap();
    assert_eq!(view["towns_ranked"].as_u64(), Some(rows.len() as u64));
    let row = |town: &str| rows.iter().find(|r| r["town"] == town).unwrap().clone();
    for town in ["rugao/jia", "rugao/yi"] {
        let r = row(town);
        assert_eq!(
            (
                r["raw"].as_str(),
                r["normalised"].as_str(),
                r["rank"].as_u64()
            ),
            (Some("120.00"), Some("100.00"), Some(1)),
            "{town}"
        );
        assert_eq!(
            (
                r["score"]["base"].as_str(),
                r["score"]["bonus_raw"].as_str(),
                r["score"]["bonus"].as_str()
            ),
            (Some("100.00"), Some("25.00"), Some("20.00"))
        );
    }
    assert_eq!(row("rugao/jia")["town_name"], "甲镇");
    let bing = row("rugao/bing");
    // 102 × 100 / 120.
    assert_eq!(
        (bing["raw"].as_str(), bing["normalised"].as_str()),
        (Some("102.00"), Some("85.00"))
    );
    let above = rows
        .iter()
        .filter(|r| r["normalised"].as_str().unwrap().parse::<f64>().unwrap() > 85.0)
        .count() as u64;
    assert_eq!(bing["rank"].as_u64(), Some(above + 1));
    assert_eq!(bing["assessment_id"], uuid(3));
    assert_eq!(bing["score"]["categories"].as_array().unwrap().len(), 10);
    let ranks: Vec<u64> = rows.iter().map(|r| r["rank"].as_u64().unwrap()).collect();
    assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "{ranks:?}");
    // Without a year: the current year (issue #18), not the latest year assessed.
    let this_year = app.get("/api/views/ranking", &city).await.body;
    assert_eq!(this_year["year"], 2026);
    assert_eq!(this_year["rubric_year"], 2018);
    assert_ne!(this_year["rows"], view["rows"]);

    // A town sees its own row, ranked among all.
    let town = app.login("bingzhen").await;
    let own = app.get("/api/views/ranking?year=2018", &town).await;
    assert_eq!(own.status, StatusCode::OK, "{}", own.body);
    assert_eq!(own.body["rows"].as_array().unwrap().len(), 1);
    assert_eq!(own.body["rows"][0], bing);
    assert_eq!(own.body["towns_ranked"], view["towns_ranked"]);
    // A year with nothing assessed.
    let empty = app.get("/api/views/ranking?year=2019", &city).await.body;
    assert_eq!(
        (
            empty["rows"].as_array().unwrap().len(),
            empty["towns_ranked"].as_u64()
        ),
        (0, Some(0))
    );

    let village = app.login("linzi").await;
    assert_eq!(
        app.get("/api/views/ranking?year=2018", &village)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        field_names(&app.get("/api/views/ranking?year=last", &city).await),
        ["year"]
    );
}

#[tokio::test]
async fn statistics_count_a_towns_people_disputes_and_calls() {
    let app = TestApp::spawn();
    test_town(&app);
    let city = app.login("city").await;
    let dispute = |n: u32, unit: &str, category: &str, on: &str, resolved: &str| {
        let mut v = visit(&uuid(n), unit);
        v["category"] = json!(category);
        v["visit_date"] = json!(on);
        v["resolved_on"] = json!(resolved);
        v
    };
    for v in [
        dispute(1, DONG, "A", "2026-03-01", "2026-04-01"),
        dispute(2, DONG, "A", "2026-05-01", "2026-06-01"),
        dispute(3, XI, "B", "2026-11-20", ""),
        // Found before the period.
        dispute(4, XI, "A", "2025-12-01", ""),
    ] {
        created(&app, &city, "/api/visits", &v).await;
    }
    for (n, unit, address) in [
        (11, DONG, "3组12号"),
        (12, DONG, "3组 12号"),
        (13, XI, "5组8号"),
    ] {
        created(
            &app,
            &city,
            "/api/key-persons",
            &key_person(&uuid(n), unit, address),
        )
        .await;
    }
    // Came in person (来访) on 2 November.
    created(&app, &city, "/api/rights-cases", &case(&uuid(21), TOWN)).await;
    let mut letter = case(&uuid(22), TOWN);
    letter["channel"] = json!("letter");
    created(&app, &city, "/api/rights-cases", &letter).await;

    let res = app
        .get(
            "/api/views/statistics?unit=rugao/ceshi&from=2026-01-01&to=2026-11-29",
            &city,
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let s = res.body;
    assert_eq!(
        (s["unit"].as_str(), s["unit_name"].as_str()),
        (Some(TOWN), Some("测试镇"))
    );
    assert_eq!(
        s["period"],
        json!({ "from": "2026-01-01", "to": "2026-11-29" })
    );
    let figures: Vec<u64> = [
        "key_people",
        "key_households",
        "disputes_found",
        "disputes_resolved",
        "calls_and_visits",
    ]
    .iter()
    .map(|k| s[k].as_u64().unwrap())
    .collect();
    assert_eq!(figures, [3, 2, 3, 2, 1]);
    assert_eq!(s["disputes_by_category"], json!([2, 1, 0]));
    assert_eq!(
        s["resolution_rate"],
        json!({ "numerator": 2, "denominator": 3 })
    );
    assert_eq!(s["resolution_rate_text"], "66.67%");
    let parts: Vec<(&str, u64, u64)> = s["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["unit_name"].as_str().unwrap(),
                p["disputes_found"].as_u64().unwrap(),
                p["key_people"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(parts, [("东村", 2, 2), ("南村", 0, 0), ("西村", 1, 1)]);
    assert_eq!(s["parts"][1]["resolution_rate_text"], "—");

    // Defaults: 1 January to today.
    let default = app
        .get("/api/views/statistics?unit=rugao/ceshi", &city)
        .await
        .body;
    assert_eq!(default, s);
    // The first half of the year: the May item was resolved in June.
    let half = app
        .get(
            "/api/views/statistics?unit=rugao/ceshi&from=2026-01-01&to=2026-05-31",
            &city,
        )
        .await
        .body;
    assert_eq!(
        (
            half["disputes_found"].as_u64(),
            half["disputes_resolved"].as_u64(),
            half["key_people"].as_u64()
        ),
        (Some(2), Some(1), Some(0))
    );

    assert_eq!(
        field_names(
            &app.get("/api/views/statistics?from=2026-11-01&to=2026-10-01", &city)
                .await
        ),
        ["to"]
    );
    assert_eq!(
        field_names(&app.get("/api/views/statistics?from=soon", &city).await),
        ["from"]
    );
    let village = app.login("dongcun").await;
    let own = app.get("/api/views/statistics", &village).await.body;
    assert_eq!(
        (own["unit"].as_str(), own["disputes_found"].as_u64()),
        (Some(DONG), Some(2))
    );
    assert_eq!(
        app.get("/api/views/statistics?unit=rugao/ceshi", &village)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}
