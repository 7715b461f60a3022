//! The dashboard's tables as files: each export holds exactly the rows of the view it comes
//! from, for the demo city's sample records, in CSV and XLSX alike.

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::Value;

/// The file's rows, the same from the XLSX and the CSV (numbers written as numbers in the
/// XLSX come back as their text). The XLSX is checked to be a single named sheet.
async fn both(app: &TestApp, uri: &str, cookie: &str, sheet: &str) -> Vec<Vec<String>> {
    let (name, xlsx) = app
        .download(
            &format!("/api/export/{uri}").replacen("{ext}", "xlsx", 1),
            cookie,
        )
        .await
        .xlsx();
    assert_eq!(name, sheet);
    let csv = app
        .download(
            &format!("/api/export/{uri}").replacen("{ext}", "csv", 1),
            cookie,
        )
        .await
        .csv();
    // The CSV flattens a grouped heading into "group-name"; the XLSX has two heading rows.
    let xlsx_body: Vec<_> = xlsx.iter().skip(xlsx.len() - (csv.len() - 1)).collect();
    let csv_body: Vec<_> = csv.iter().skip(1).collect();
    assert_eq!(xlsx_body, csv_body, "{uri}: the XLSX and the CSV differ");
    csv
}

fn s(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

#[tokio::test]
async fn warnings_export_lists_what_the_view_lists() {
    let app = TestApp::spawn_with_samples();
    for user in ["city", "baipu", "linzi"] {
        let me = app.login(user).await;
        let view = app.get("/api/views/warnings", &me).await.body;
        let warnings = view["warnings"].as_array().unwrap();
        let rows = both(&app, "warnings.{ext}", &me, "预警").await;
        assert_eq!(
            rows[0],
            [
                "序号",
                "严重程度",
                "单位",
                "预警类型",
                "预警内容",
                "记录编号"
            ]
        );
        assert_eq!(rows.len() - 1, warnings.len(), "{user}");
        assert!(!warnings.is_empty(), "{user}: the demo has warnings");
        for (i, (row, w)) in rows[1..].iter().zip(warnings).enumerate() {
            assert_eq!(row[0], (i + 1).to_string());
            // The kind in words, never its code (`risk.red`).
            let code: shared::WarningCode = serde_json::from_value(w["code"].clone()).unwrap();
            assert_eq!(row[3], code.label(shared::Lang::Zh));
            assert!(!row[3].contains('.') && !row[3].is_ascii(), "{row:?}");
            assert_eq!(row[4], s(&w["message"]));
            assert_eq!(row[5], s(&w["record"]["id"]));
            assert!(row[2].ends_with(&s(&w["unit_name"])), "{row:?}");
        }
    }
    // The severity filter and English, as on the page.
    let city = app.login("city").await;
    let view = app
        .get("/api/views/warnings?severity=high", &city)
        .await
        .body;
    let rows = both(
        &app,
        "warnings.{ext}?severity=high&lang=en",
        &city,
        "Warnings",
    )
    .await;
    assert_eq!(rows[0][1], "Severity");
    assert_eq!(rows.len() - 1, view["warnings"].as_array().unwrap().len());
    for (row, w) in rows[1..].iter().zip(view["warnings"].as_array().unwrap()) {
        assert_eq!(row[4], s(&w["message_en"]));
        let code: shared::WarningCode = serde_json::from_value(w["code"].clone()).unwrap();
        assert_eq!(row[3], code.label(shared::Lang::En));
        assert!(["Critical", "High"].contains(&row[1].as_str()), "{row:?}");
    }
}

#[tokio::test]
async fn rights_cases_due_export_holds_the_overdue_and_due_soon_cases() {
    let app = TestApp::spawn_with_samples();
    let me = app.login("baipu").await;
    let view = app.get("/api/views/warnings", &me).await.body;
    let due: Vec<&Value> = view["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| matches!(w["code"].as_str(), Some("case.overdue" | "case.due_soon")))
        .collect();
    assert!(!due.is_empty(), "the demo has a case past its deadline");
    let rows = both(&app, "rights-cases-due.{ext}", &me, "维权个案期限").await;
    assert_eq!(rows[0], ["序号", "状态", "单位", "说明", "个案编号"]);
    assert_eq!(rows.len() - 1, due.len());
    for (row, w) in rows[1..].iter().zip(&due) {
        let state = if w["code"] == "case.overdue" {
            "已逾期"
        } else {
            "将到期"
        };
        assert_eq!(row[1], state);
        assert_eq!(row[3], s(&w["message"]));
        assert_eq!(row[4], s(&w["record"]["id"]));
    }
    // A village with no cases gets the headings only.
    let linzi = app.login("linzi").await;
    assert_eq!(
        both(&app, "rights-cases-due.{ext}", &linzi, "维权个案期限")
            .await
            .len(),
        1
    );
}

#[tokio::test]
async fn completeness_export_is_the_grid_of_villages_by_month() {
    let app = TestApp::spawn_with_samples();
    let city = app.login("city").await;
    let months = [
        "2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11",
    ];
    let rows = both(&app, "completeness.{ext}", &city, "月报完整率").await;
    let mut head = vec!["镇（街道）".to_owned(), "村（社区）".to_owned()];
    head.extend(months.iter().map(|m| format!("上报情况-{m}")));
    assert_eq!(rows[0], head, "the last six months by default");
    let mut expected = Vec::new();
    let views: Vec<Value> = {
        let mut v = Vec::new();
        for m in months {
            v.push(
                app.get(&format!("/api/views/completeness?month={m}"), &city)
                    .await
                    .body,
            );
        }
        v
    };
    let word = |status: &str, zero: bool| match (status, zero) {
        ("on_time", false) => "按时",
        ("on_time", true) => "零上报",
        ("late", false) => "迟报",
        ("late", true) => "迟报·零上报",
        ("missing", _) => "未报",
        ("pending", _) => "未到期",
        other => panic!("{other:?}"),
    };
    let latest = views.last().unwrap();
    for town in latest["towns"].as_array().unwrap() {
        for village in town["villages"].as_array().unwrap() {
            let mut row = vec![s(&town["town_name"]), s(&village["name"])];
            for view in &views {
                let t = view["towns"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|t| t["town"] == town["town"])
                    .unwrap();
                let v = t["villages"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|v| v["unit"] == village["unit"])
                    .unwrap();
                row.push(word(v["status"].as_str().unwrap(), v["zero_report"] == true).into());
            }
            expected.push(row);
        }
        let mut rate = vec![s(&town["town_name"]), "按时上报率".to_owned()];
        for view in &views {
            let t = view["towns"]
                .as_array()
                .unwrap()
                .iter()
                .find(|t| t["town"] == town["town"])
                .unwrap();
            rate.push(if t["pending"] == t["expected"] {
                "未到期".to_owned()
            } else {
                format!("{}/{} {}", t["on_time"], t["expected"], s(&t["rate_text"]))
            });
        }
        expected.push(rate);
    }
    assert_eq!(rows[1..], expected[..]);
    // The demo has reports of every kind in these months.
    let cells: Vec<&str> = rows[1..]
        .iter()
        .flat_map(|r| r[2..].iter().map(String::as_str))
        .collect();
    for word in ["按时", "零上报", "未报", "未到期"] {
        assert!(cells.contains(&word), "no {word} in {cells:?}");
    }

    // One town, a chosen range.
    let rows = both(
        &app,
        "completeness.{ext}?town=rugao/baipu&from=2026-09&to=2026-10",
        &city,
        "月报完整率",
    )
    .await;
    assert_eq!(rows[0].len(), 4);
    assert!(rows[1..].iter().all(|r| r[0] == "白蒲镇"), "{rows:?}");
}

#[tokio::test]
async fn statistics_export_has_each_unit_then_the_total() {
    let app = TestApp::spawn_with_samples();
    let city = app.login("city").await;
    let q = "unit=rugao&from=2026-01-01&to=2026-11-29";
    let view = app
        .get(&format!("/api/views/statistics?{q}"), &city)
        .await
        .body;
    let rows = both(&app, &format!("statistics.{{ext}}?{q}"), &city, "统计").await;
    assert_eq!(
        rows[0],
        [
            "单位",
            "排查重点人员",
            "重点家庭",
            "排查矛盾纠纷",
            "其中A类",
            "B类",
            "C类",
            "化解矛盾纠纷",
            "接待来电来访",
            "调处化解率"
        ]
    );
    let parts = view["parts"].as_array().unwrap();
    assert_eq!(rows.len() - 1, parts.len() + 1, "each town and the city");
    for (row, unit) in rows[1..].iter().zip(parts.iter().chain([&view])) {
        let d = &unit["disputes_by_category"];
        let expected: Vec<String> = [
            &unit["unit_name"],
            &unit["key_people"],
            &unit["key_households"],
            &unit["disputes_found"],
            &d[0],
            &d[1],
            &d[2],
            &unit["disputes_resolved"],
            &unit["calls_and_visits"],
            &unit["resolution_rate_text"],
        ]
        .into_iter()
        .map(s)
        .collect();
        assert_eq!(row, &expected);
    }
    assert_eq!(rows.last().unwrap()[0], "如皋市");
    assert_ne!(
        rows.last().unwrap()[3],
        "0",
        "the demo has disputes this year"
    );
}

#[tokio::test]
async fn dashboard_exports_refuse_bad_queries_by_name_and_stay_in_scope() {
    let app = TestApp::spawn_with_samples();
    let city = app.login("city").await;
    for (uri, field) in [
        ("/api/export/warnings.xlsx?lang=fr", "lang"),
        ("/api/export/warnings.csv?severity=urgent", "severity"),
        ("/api/export/rights-cases-due.csv?colour=red", "colour"),
        (
            "/api/export/completeness.xlsx?from=2026-10&to=2026-09",
            "to",
        ),
        (
            "/api/export/completeness.xlsx?from=2020-01&to=2026-10",
            "from",
        ),
        ("/api/export/completeness.csv?to=2027-01", "to"),
        ("/api/export/completeness.csv?from=2026-13", "from"),
        ("/api/export/statistics.csv?from=2026-02-30", "from"),
    ] {
        let res = app.get(uri, &city).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{uri}");
        assert_eq!(res.body["fields"][0]["field"], field, "{uri}: {}", res.body);
        assert!(
            !res.body["fields"][0]["message"]
                .as_str()
                .unwrap()
                .is_empty(),
            "{uri}"
        );
    }
    for uri in [
        "/api/export/nothing.xlsx",
        "/api/export/warnings.pdf",
        "/api/export/warnings",
    ] {
        assert_eq!(
            app.get(uri, &city).await.status,
            StatusCode::NOT_FOUND,
            "{uri}"
        );
    }
    // A village sees its own unit only.
    let linzi = app.login("linzi").await;
    for uri in [
        "/api/export/warnings.csv?unit=rugao/baipu",
        "/api/export/statistics.csv?unit=rugao",
        "/api/export/rights-cases-due.xlsx?unit=rugao/xinhe",
        "/api/export/completeness.csv?town=rugao/xinhe",
    ] {
        assert_eq!(
            app.get(uri, &linzi).await.status,
            StatusCode::NOT_FOUND,
            "{uri}"
        );
    }
    // Signed out: 401.
    assert_eq!(
        app.get("/api/export/warnings.csv", "").await.status,
        StatusCode::UNAUTHORIZED
    );
}
