//! The demo city's sample records: each user sees the records of their own units, and every
//! sample is valid by the same rules the API applies.

mod common;

use std::collections::BTreeMap;

use axum::http::StatusCode;
use backend::demo::USERS;
use backend::demo_records::{Sample, record_id, samples};
use backend::org::covers;
use chrono::{DateTime, Days, NaiveDate, Utc};
use common::*;
use rusqlite::Connection;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use shared::ValidationErrors;

fn now() -> DateTime<Utc> {
    START.parse().unwrap()
}

fn unit_of(sample: &Sample) -> &str {
    sample.form["org_unit"]
        .as_str()
        .or(sample.form["town"].as_str())
        .unwrap()
}

/// API path segment of each stored kind.
const PATHS: &[(&str, &str)] = &[
    ("visit", "visits"),
    ("key_person", "key-persons"),
    ("meeting", "meetings"),
    ("monthly_report", "monthly-reports"),
    ("rights_case", "rights-cases"),
    ("self_assessment", "self-assessments"),
    ("model_home", "model-homes"),
    ("town_assessment", "town-assessments"),
];

#[tokio::test]
async fn each_user_sees_the_demo_records_of_their_own_units() {
    let app = TestApp::spawn_with_samples();
    let all = samples(now());
    // A few counts spelled out: a village its own, a town its villages, the city everything.
    let spelled: &[(&str, &str, usize)] = &[
        ("linzi", "visits", 4),
        ("linzi", "key-persons", 3),
        ("linzi", "meetings", 3),
        ("linzi", "monthly-reports", 4),
        ("linzi", "model-homes", 1),
        ("linzi", "rights-cases", 0),
        ("xinhe", "visits", 3),
        ("gangkou", "visits", 3),
        ("baipu", "visits", 8),
        ("baipu", "monthly-reports", 11),
        ("baipu", "rights-cases", 2),
        ("baipu", "self-assessments", 3),
        ("baipu", "town-assessments", 1),
        ("changjiang", "visits", 5),
        ("city", "visits", 13),
        ("city", "key-persons", 8),
        ("city", "meetings", 9),
        ("city", "monthly-reports", 35),
        ("city", "rights-cases", 4),
        ("city", "self-assessments", 4),
        ("city", "town-assessments", 3),
    ];
    for (username, _, _, scope) in USERS {
        let me = app.login(username).await;
        for (kind, path) in PATHS {
            let res = app.get(&format!("/api/{path}?limit=5000"), &me).await;
            assert_eq!(
                res.status,
                StatusCode::OK,
                "{username} {path}: {}",
                res.body
            );
            let rows = res.body.as_array().unwrap();
            for row in rows {
                let unit = row["unit"].as_str().unwrap();
                assert!(covers(scope, unit), "{username} sees {unit} in {path}");
            }
            let expected = all
                .iter()
                .filter(|s| s.kind == *kind && covers(scope, unit_of(s)))
                .count();
            assert_eq!(rows.len(), expected, "{username} {path}");
            if let Some((_, _, n)) = spelled.iter().find(|(u, p, _)| u == username && p == path) {
                assert_eq!(rows.len(), *n, "{username} {path}");
            }
        }
    }
    // Authors are the users who would write them.
    let me = app.login("city").await;
    let cases = app.get("/api/town-assessments", &me).await.body;
    assert!(
        cases
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["author"] == "city" && r["version"] == 1)
    );
}

#[tokio::test]
async fn the_demo_shows_every_level_and_the_warnings_that_need_action() {
    let app = TestApp::spawn_with_samples();
    let me = app.login("city").await;
    let visits = app.get("/api/visits", &me).await.body;
    let levels: Vec<(&str, &str, bool)> = visits
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["record"]["category"].as_str().unwrap(),
                r["assessment"]["level"].as_str().unwrap(),
                r["record"]["resolved_on"].is_string(),
            )
        })
        .collect();
    for category in ["A", "B", "C"] {
        assert!(levels.iter().any(|l| l.0 == category), "{category}");
    }
    for level in ["red", "orange", "yellow"] {
        assert!(levels.iter().any(|l| l.1 == level && !l.2), "open {level}");
    }
    assert!(levels.iter().any(|l| l.2), "something resolved");
    let codes: Vec<&str> = visits
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["assessment"]["warnings"].as_array().unwrap())
        .map(|w| w["code"].as_str().unwrap())
        .collect();
    for code in [
        "report.child_abuse",
        "report.severe_violence",
        "followup.overdue",
    ] {
        assert!(codes.contains(&code), "{code} in {codes:?}");
    }
    let cases = app.get("/api/rights-cases", &me).await.body;
    let codes: Vec<&str> = cases
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["assessment"]["warnings"].as_array().unwrap())
        .map(|w| w["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"case.overdue"), "{codes:?}");
    // The year's scores: at least one town above 100 raw, so normalisation shows.
    let towns = app.get("/api/town-assessments", &me).await.body;
    let raws: Vec<f64> = towns
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["assessment"]["raw_total"]
                .as_str()
                .unwrap()
                .parse()
                .unwrap()
        })
        .collect();
    assert_eq!(raws.len(), 3);
    assert!(raws.iter().any(|r| *r > 100.0), "{raws:?}");
    // Monthly reports: zero reports, and 顾庄村 missing a month the others sent.
    let reports = app.get("/api/monthly-reports", &me).await.body;
    let reports = reports.as_array().unwrap();
    assert!(reports.iter().any(|r| r["record"]["zero_report"] == true));
    let mut per_unit: BTreeMap<&str, usize> = BTreeMap::new();
    for r in reports {
        *per_unit.entry(r["unit"].as_str().unwrap()).or_default() += 1;
    }
    assert_eq!(
        per_unit["rugao/baipu/guzhuang"] + 1,
        per_unit["rugao/baipu/linzi"]
    );
}

/// Parses `form` as `I` and then `R` with `parse`, as the server does; returns the record as
/// stored, after checking that `stored` reads back as an `R`.
fn parse_as<I: DeserializeOwned, R: Serialize + DeserializeOwned>(
    form: &Value,
    stored: Option<&Value>,
    parse: impl Fn(&I) -> Result<R, ValidationErrors>,
) -> Result<Value, String> {
    if let Some(stored) = stored {
        serde_json::from_value::<R>(stored.clone()).map_err(|e| format!("stored: {e}"))?;
    }
    let input: I = shared::json::from_value(form.clone()).map_err(|e| format!("{e:?}"))?;
    let record = parse(&input).map_err(|e| format!("{e:?}"))?;
    Ok(serde_json::to_value(record).unwrap())
}

/// The sample's form parsed with `shared` as of `today`, as the record it stores.
fn reparse(sample: &Sample, stored: Option<&Value>, today: NaiveDate) -> Result<Value, String> {
    use shared::case::RightsCase;
    use shared::council::Meeting;
    use shared::model_home::ModelHomeApplication;
    use shared::monthly::MonthlyReport;
    use shared::register::KeyPerson;
    use shared::rubric::{Rubric, TownAssessment};
    use shared::standards::SelfAssessment;
    use shared::visit::VisitRecord;
    let f = &sample.form;
    match sample.kind {
        "visit" => parse_as(f, stored, |i| VisitRecord::parse(i, today)),
        "key_person" => parse_as(f, stored, |i| KeyPerson::parse(i, today)),
        "meeting" => parse_as(f, stored, |i| Meeting::parse(i, today)),
        "monthly_report" => parse_as(f, stored, |i| MonthlyReport::parse(i, today)),
        "rights_case" => parse_as(f, stored, |i| RightsCase::parse(i, today)),
        "self_assessment" => parse_as(f, stored, |i| SelfAssessment::parse(i, today)),
        "model_home" => parse_as(f, stored, |i| ModelHomeApplication::parse(i, today)),
        "town_assessment" => parse_as(f, stored, |i| TownAssessment::parse(i, Rubric::builtin())),
        other => Err(format!("unknown kind {other}")),
    }
}

#[tokio::test]
async fn every_stored_demo_record_reparses_with_shared() {
    let app = TestApp::spawn_with_samples();
    let today = shared::time::china_today(now());
    let by_id: BTreeMap<String, Sample> = samples(now())
        .into_iter()
        .map(|s| (record_id(s.kind, &s.name).to_string(), s))
        .collect();
    let conn = Connection::open(app.db_path()).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT r.kind, r.id, r.version, r.body, r.received_at, u.username
             FROM records r JOIN users u ON u.id = r.author ORDER BY r.kind, r.id",
        )
        .unwrap();
    let rows: Vec<(String, String, i64, String, String, String)> = stmt
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(rows.len(), by_id.len());
    for (kind, id, version, body, received_at, author) in rows {
        let sample = &by_id[&id];
        let what = format!("{kind} {}", sample.name);
        assert_eq!((kind.as_str(), version), (sample.kind, 1), "{what}");
        assert_eq!(author, sample.author, "{what}");
        let at: DateTime<Utc> = received_at.parse().unwrap();
        assert!(at <= now(), "{what} received in the future");
        assert_eq!(shared::time::china_today(at), sample.received, "{what}");
        let stored: Value = serde_json::from_str(&body).unwrap();
        let parsed =
            reparse(sample, Some(&stored), today).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(parsed, stored, "{what}");
    }
    // Each record's index row agrees with its body (the kind's own rules set it).
    let heads: i64 = conn
        .query_row(
            "SELECT count(*) FROM heads h JOIN records r USING (kind, id, version)
             WHERE h.unit = r.unit AND h.version = 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(heads as usize, by_id.len());
    // And every creation is in the audit log.
    let audited: i64 = conn
        .query_row(
            "SELECT count(*) FROM audit WHERE action = 'create' AND detail = 'demo'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audited as usize, by_id.len());
}

/// The demo can be installed on any day: every sample is valid as of the day it is received,
/// which is never after today, for every day of a leap year and the days around it.
#[test]
fn the_samples_are_valid_whatever_the_day() {
    let first = NaiveDate::from_ymd_opt(2027, 12, 20).unwrap();
    for n in 0..380 {
        let today = first + Days::new(n);
        let now = today
            .and_hms_opt(1, 0, 0)
            .unwrap()
            .and_utc()
            .checked_sub_signed(chrono::Duration::hours(8))
            .unwrap();
        let all = samples(now);
        let mut ids = std::collections::BTreeSet::new();
        for s in &all {
            assert!(s.received <= today, "{today}: {} received later", s.name);
            assert!(ids.insert(record_id(s.kind, &s.name)), "{} twice", s.name);
            reparse(s, None, s.received).unwrap_or_else(|e| panic!("{today}: {} {e}", s.name));
        }
    }
}

/// The same `now` gives the same demo, ids and all.
#[test]
fn the_demo_is_reproducible() {
    let dump = || {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("demo.sqlite3");
        drop(backend::Db::open(&path).unwrap());
        let conn = Connection::open(&path).unwrap();
        backend::demo::install(&conn, now()).unwrap();
        let mut stmt = conn
            .prepare(
                "SELECT kind, id, version, unit, body, received_at FROM records ORDER BY kind, id",
            )
            .unwrap();
        let rows: Vec<[String; 6]> = stmt
            .query_map([], |r| {
                Ok([
                    r.get(0)?,
                    r.get(1)?,
                    r.get::<_, i64>(2)?.to_string(),
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ])
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        rows
    };
    let first = dump();
    assert!(!first.is_empty());
    assert_eq!(first, dump());
}
