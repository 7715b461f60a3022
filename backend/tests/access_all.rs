//! Every endpoint as every demo user, against records of every kind in every unit: a user gets
//! only what lies within their unit (`404` for the rest, `403` where they see but may not
//! write), nothing of another unit shows up in any answer, a refused write stores nothing, and
//! without a session everything is `401`.

mod common;
mod every_kind;

use std::collections::{BTreeSet, HashMap};

use axum::http::{Method, StatusCode};
use backend::demo;
use common::*;
use every_kind::*;
use serde_json::json;

/// One stored record and what marks it in an answer.
struct Stored {
    kind: Kind,
    unit: &'static str,
    id: String,
    marker: String,
    form: serde_json::Value,
    version: i64,
}

const EXPORTS: [&str; 6] = [
    "key-persons",
    "visits",
    "monthly-reports",
    "warnings",
    "rights-cases-due",
    "statistics",
];

fn all_units() -> Vec<&'static str> {
    demo::UNITS.iter().map(|(id, _, _)| *id).collect()
}

/// Records of every kind in every demo unit of its level, written by the admin.
async fn store_everywhere(app: &TestApp) -> Vec<Stored> {
    let admin = app.login("admin").await;
    let mut out = Vec::new();
    for kind in KINDS {
        let units: &[&'static str] = if kind.level == "village" {
            &VILLAGES
        } else {
            &TOWNS
        };
        for unit in units {
            let n = 9000 + out.len() as u32;
            let id = uuid(n);
            let marker = format!("MARK-{n:05}-X");
            let form = marked(kind, &id, unit, &marker);
            let res = app
                .post(&format!("/api/{}", kind.path), &admin, &form)
                .await;
            assert_eq!(res.status, StatusCode::CREATED, "{unit}: {}", res.body);
            out.push(Stored {
                kind,
                unit,
                id,
                marker,
                form,
                version: 1,
            });
        }
    }
    out
}

/// What of `records` an answer to `user` must not contain: the ids and markers of records
/// outside the user's units.
fn assert_no_leak(answer: &str, scope: &str, records: &[Stored], what: &str) {
    for r in records.iter().filter(|r| !covers(scope, r.unit)) {
        assert!(
            !answer.contains(&r.id) && !answer.contains(&r.marker),
            "{what} shows {} {} of {}",
            r.kind.path,
            r.id,
            r.unit
        );
    }
}

fn expect(sees: bool) -> StatusCode {
    if sees {
        StatusCode::OK
    } else {
        StatusCode::NOT_FOUND
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_endpoint_as_every_role_from_every_unit() {
    let t0 = std::time::Instant::now();
    let app = TestApp::spawn();
    let mut records = store_everywhere(&app).await;
    let units = all_units();
    let mut checked = 0usize;

    // Reads: records, lists, views, exports, the audit log.
    for (user, role, scope) in USERS {
        let me = app.login(user).await;
        let mut ok = |res: &common::Response, want: StatusCode, what: String| {
            checked += 1;
            assert_eq!(res.status, want, "{what}: {}", res.body);
            if want == StatusCode::OK {
                assert_no_leak(&res.body.to_string(), scope, &records, &what);
            } else {
                assert!(res.body["error"].is_string(), "{what}: a JSON error");
            }
        };
        for r in &records {
            let sees = covers(scope, r.unit);
            let uri = format!("/api/{}/{}", r.kind.path, r.id);
            let res = app.get(&uri, &me).await;
            ok(&res, expect(sees), format!("{user} GET {uri}"));
            let uri = format!("{uri}/versions");
            let res = app.get(&uri, &me).await;
            ok(&res, expect(sees), format!("{user} GET {uri}"));
        }
        for path in paths() {
            let uri = format!("/api/{path}?limit=5000");
            let res = app.get(&uri, &me).await;
            ok(&res, StatusCode::OK, format!("{user} GET {uri}"));
            let listed: BTreeSet<&str> = res
                .body
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["record"]["id"].as_str().unwrap())
                .collect();
            let expected: BTreeSet<&str> = records
                .iter()
                .filter(|r| r.kind.path == path && covers(scope, r.unit))
                .map(|r| r.id.as_str())
                .collect();
            assert_eq!(listed, expected, "{user} GET {uri}");
            for unit in &units {
                let uri = format!("/api/{path}?unit={unit}&limit=5000");
                let res = app.get(&uri, &me).await;
                ok(
                    &res,
                    expect(covers(scope, unit)),
                    format!("{user} GET {uri}"),
                );
            }
        }
        for unit in &units {
            let sees = covers(scope, unit);
            for view in ["warnings", "statistics"] {
                let uri = format!("/api/views/{view}?unit={unit}");
                let res = app.get(&uri, &me).await;
                ok(&res, expect(sees), format!("{user} GET {uri}"));
            }
            if TOWNS.contains(unit) || *unit == "rugao/rucheng" {
                for uri in [
                    format!("/api/views/completeness?town={unit}"),
                    format!("/api/export/completeness.csv?town={unit}"),
                    format!("/api/export/completeness.xlsx?town={unit}"),
                ] {
                    let res = app.get(&uri, &me).await;
                    ok(&res, expect(sees), format!("{user} GET {uri}"));
                }
            }
            for export in EXPORTS {
                for ext in ["csv", "xlsx"] {
                    let uri = format!("/api/export/{export}.{ext}?unit={unit}");
                    let res = app.get(&uri, &me).await;
                    ok(&res, expect(sees), format!("{user} GET {uri}"));
                }
            }
        }
        for uri in [
            "/api/views/warnings",
            "/api/views/statistics",
            "/api/views/completeness",
            "/api/export/key-persons.csv",
            "/api/export/visits.csv",
            "/api/export/monthly-reports.csv",
            "/api/export/warnings.xlsx",
            "/api/export/rights-cases-due.csv",
            "/api/export/completeness.xlsx",
            "/api/export/statistics.csv",
            "/api/me",
        ] {
            let res = app.get(uri, &me).await;
            ok(&res, StatusCode::OK, format!("{user} GET {uri}"));
        }
        // The ranking and the assessment results: towns see their own row, villages nothing.
        for uri in [
            "/api/views/ranking?year=2018",
            "/api/export/assessments.csv?year=2018",
            "/api/export/assessments.xlsx?year=2018",
        ] {
            let res = app.get(uri, &me).await;
            ok(&res, expect(role != "village"), format!("{user} GET {uri}"));
        }
        let res = app.get("/api/views/ranking?year=2018", &me).await;
        if role != "village" {
            let rows: Vec<&str> = res.body["rows"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["town"].as_str().unwrap())
                .collect();
            let expected: Vec<&str> = TOWNS.iter().copied().filter(|t| covers(scope, t)).collect();
            let mut sorted = rows.clone();
            sorted.sort();
            assert_eq!(sorted, expected, "{user} ranking rows");
        }
        let res = app.get("/api/audit", &me).await;
        let want = if role == "admin" {
            StatusCode::OK
        } else {
            StatusCode::FORBIDDEN
        };
        ok(&res, want, format!("{user} GET /api/audit"));
    }

    eprintln!("reads done at {:?}", t0.elapsed());
    // Writes: a new record in each record's unit, an edit of each record, and records of
    // other units taken over by id.
    let mut n = 20_000;
    for (user, role, scope) in USERS {
        let me = app.login(user).await;
        for r in records.iter_mut() {
            let sees = covers(scope, r.unit);
            let may_write = !r.kind.city_writes || matches!(role, "city" | "admin");
            let (want_new, want_edit) = match (sees, may_write) {
                (false, _) => (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND),
                (true, false) => (StatusCode::FORBIDDEN, StatusCode::FORBIDDEN),
                (true, true) => (StatusCode::CREATED, StatusCode::OK),
            };
            let before = counts(&app.db_path());
            n += 1;
            let uri = format!("/api/{}", r.kind.path);
            let res = app.post(&uri, &me, &form(r.kind, &uuid(n), r.unit)).await;
            let what = format!("{user} POST {uri} in {}", r.unit);
            assert_eq!(res.status, want_new, "{what}: {}", res.body);
            checked += 1;
            let grown = if want_new == StatusCode::CREATED {
                1
            } else {
                0
            };
            assert_eq!(
                counts(&app.db_path()),
                (before.0 + grown, before.1 + grown, before.2 + grown),
                "{what}"
            );

            let before = counts(&app.db_path());
            let uri = format!("/api/{}/{}", r.kind.path, r.id);
            let edit = edited(r.kind, &r.form, n);
            let version = r.version.to_string();
            let res = app.put(&uri, &me, Some(&version), &edit).await;
            let what = format!("{user} PUT {uri} in {}", r.unit);
            assert_eq!(res.status, want_edit, "{what}: {}", res.body);
            checked += 1;
            if want_edit == StatusCode::OK {
                r.version += 1;
                r.form = edit;
                assert_eq!(
                    counts(&app.db_path()),
                    (before.0 + 1, before.1, before.2 + 1),
                    "{what}"
                );
            } else {
                assert_eq!(counts(&app.db_path()), before, "{what}");
            }

            // Someone else's record, claimed by its id for a unit of one's own: the id is not
            // even confirmed to exist (404, not a 409 conflict), and nothing changes.
            let own_unit = match r.kind.level {
                "village" => VILLAGES.iter().find(|v| covers(scope, v)),
                _ => TOWNS.iter().find(|t| covers(scope, t)),
            };
            if let (false, true, Some(own)) = (sees, may_write, own_unit) {
                let before = counts(&app.db_path());
                let claim = form(r.kind, &r.id, own);
                let res = app
                    .post(&format!("/api/{}", r.kind.path), &me, &claim)
                    .await;
                assert_eq!(
                    res.status,
                    StatusCode::NOT_FOUND,
                    "{user} claims {uri}: {}",
                    res.body
                );
                let res = app.put(&uri, &me, Some(&version), &claim).await;
                assert_eq!(
                    res.status,
                    StatusCode::NOT_FOUND,
                    "{user} moves {uri}: {}",
                    res.body
                );
                assert_eq!(counts(&app.db_path()), before, "{user} claims {uri}");
                checked += 2;
            }
        }
    }
    eprintln!("{checked} answers checked in {:?}", t0.elapsed());
}

/// A record moved to another unit by someone who sees both is out of the first unit's sight,
/// old versions included.
#[tokio::test]
async fn a_record_moved_away_is_no_longer_seen_by_its_old_unit() {
    let app = TestApp::spawn();
    let linzi = app.login("linzi").await;
    let xinhe = app.login("xinhe").await;
    let baipu = app.login("baipu").await;
    let id = uuid(1);
    let body = marked(VISIT, &id, "rugao/baipu/linzi", "林梓村的事");
    assert_eq!(
        app.post("/api/visits", &linzi, &body).await.status,
        StatusCode::CREATED
    );
    let mut moved = body.clone();
    moved["org_unit"] = json!("rugao/baipu/xinhe");
    let uri = format!("/api/visits/{id}");
    let res = app.put(&uri, &baipu, Some("1"), &moved).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(app.get(&uri, &linzi).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.get(&format!("{uri}/versions"), &linzi).await.status,
        StatusCode::NOT_FOUND
    );
    let listed = app.get("/api/visits", &linzi).await.body.to_string();
    assert!(!listed.contains(&id));
    // The new unit reads the record and its history, linzi's version included (issue #14:
    // the history was a 404 for the unit that now holds the record).
    assert_eq!(app.get(&uri, &xinhe).await.status, StatusCode::OK);
    let history = app.get(&format!("{uri}/versions"), &xinhe).await;
    assert_eq!(history.status, StatusCode::OK, "{}", history.body);
    let units: Vec<&str> = history
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["record"]["org_unit"].as_str().unwrap())
        .collect();
    assert_eq!(units, ["rugao/baipu/linzi", "rugao/baipu/xinhe"]);
    // linzi can no longer edit it back, nor change it by replaying the first submission.
    assert_eq!(
        app.put(&uri, &linzi, Some("2"), &body).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.post("/api/visits", &linzi, &body).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(versions_in_db(&app.db_path(), "visit", &id), 2);
}

/// Without a session (or with a made-up one) every endpoint answers 401 and stores nothing.
#[tokio::test]
async fn every_endpoint_without_a_session_is_401() {
    let app = TestApp::spawn();
    let admin = app.login("admin").await;
    let mut ids = HashMap::new();
    for (i, kind) in KINDS.iter().enumerate() {
        let (unit, _) = home(*kind);
        let id = uuid(i as u32 + 1);
        let res = app
            .post(
                &format!("/api/{}", kind.path),
                &admin,
                &form(*kind, &id, unit),
            )
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
        ids.insert(kind.path, (id, unit, *kind));
    }
    let before = counts(&app.db_path());
    let mut calls: Vec<(Method, String, Option<serde_json::Value>)> = Vec::new();
    for (path, (id, unit, kind)) in &ids {
        let body = form(*kind, &uuid(777), unit);
        calls.push((Method::GET, format!("/api/{path}"), None));
        calls.push((Method::POST, format!("/api/{path}"), Some(body)));
        calls.push((Method::GET, format!("/api/{path}/{id}"), None));
        calls.push((
            Method::PUT,
            format!("/api/{path}/{id}"),
            Some(edited(*kind, &form(*kind, id, unit), 1)),
        ));
        calls.push((Method::GET, format!("/api/{path}/{id}/versions"), None));
    }
    for uri in [
        "/api/views/warnings",
        "/api/views/completeness",
        "/api/views/ranking",
        "/api/views/statistics",
        "/api/export/key-persons.csv",
        "/api/export/key-persons.xlsx",
        "/api/export/visits.csv",
        "/api/export/visits.xlsx",
        "/api/export/monthly-reports.csv",
        "/api/export/monthly-reports.xlsx",
        "/api/export/assessments.csv",
        "/api/export/assessments.xlsx",
        "/api/export/warnings.csv",
        "/api/export/rights-cases-due.xlsx",
        "/api/export/completeness.csv",
        "/api/export/statistics.xlsx",
        "/api/audit",
        "/api/me",
    ] {
        calls.push((Method::GET, uri.to_owned(), None));
    }
    let mut checked = 0;
    for cookie in [None, Some("jiajia=00ff"), Some("jiajia="), Some("other=1")] {
        for (method, uri, body) in &calls {
            let extra: &[(&str, &str)] = if *method == Method::PUT {
                &[("if-match", "1")]
            } else {
                &[]
            };
            let res = app
                .request(method.clone(), uri, cookie, body.as_ref(), extra)
                .await;
            assert_eq!(
                res.status,
                StatusCode::UNAUTHORIZED,
                "{method} {uri} with {cookie:?}: {}",
                res.body
            );
            assert_eq!(res.body["error"], "unauthorized", "{method} {uri}");
            checked += 1;
        }
    }
    assert_eq!(counts(&app.db_path()), before);
    assert!(checked >= 4 * 54, "{checked}");
}
