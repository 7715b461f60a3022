//! Replays of every form kind: each submission sent 10 times in a row, the same one from
//! several clients at once, and edits replayed and raced — one record (one version) each.

mod common;
mod every_kind;

use std::collections::HashMap;
use std::sync::Arc;

use axum::http::StatusCode;
use common::*;
use every_kind::*;
use serde_json::Value;

/// Audit rows of `action` about record `id`.
fn audited(app: &TestApp, action: &str, id: &str) -> i64 {
    let conn = rusqlite::Connection::open(app.db_path()).unwrap();
    conn.query_row(
        "SELECT count(*) FROM audit WHERE action = ?1 AND record = ?2",
        [action, id],
        |r| r.get(0),
    )
    .unwrap()
}

/// One session of each demo user, by username.
async fn sessions(app: &TestApp) -> HashMap<&'static str, String> {
    let mut out = HashMap::new();
    for (user, _, _) in USERS {
        out.insert(user, app.login(user).await);
    }
    out
}

/// Two clients for each demo user who may write records of `kind` in `unit`.
fn writers(sessions: &HashMap<&str, String>, kind: Kind, unit: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (user, role, scope) in USERS {
        let may = covers(scope, unit) && (!kind.city_writes || matches!(role, "city" | "admin"));
        if may {
            out.push(sessions[user].clone());
            out.push(sessions[user].clone());
        }
    }
    out
}

/// Runs `f` for each session at once; returns the statuses and bodies.
async fn at_once<F, Fut>(sessions: &[String], f: F) -> Vec<(StatusCode, Value)>
where
    F: Fn(usize, String) -> Fut,
    Fut: std::future::Future<Output = common::Response> + Send + 'static,
{
    let tasks: Vec<_> = sessions
        .iter()
        .enumerate()
        .map(|(i, s)| tokio::spawn(f(i, s.clone())))
        .collect();
    let mut out = Vec::new();
    for t in tasks {
        let r = t.await.unwrap();
        out.push((r.status, r.body));
    }
    out
}

fn count(answers: &[(StatusCode, Value)], status: StatusCode) -> usize {
    answers.iter().filter(|(s, _)| *s == status).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_kind_sent_ten_times_or_by_many_clients_at_once_is_stored_once() {
    let app = Arc::new(TestApp::spawn());
    let logged_in = sessions(&app).await;
    let mut n = 0;
    for kind in KINDS {
        let what = format!("{} ({})", kind.path, kind.level);
        let (unit, writer) = home(kind);
        let me = logged_in[writer].clone();

        // 1. The same submission ten times in a row: stored once, then answered from storage.
        n += 1;
        let id = uuid(n);
        let body = form(kind, &id, unit);
        let uri = format!("/api/{}", kind.path);
        let first = app.post(&uri, &me, &body).await;
        assert_eq!(first.status, StatusCode::CREATED, "{what}: {}", first.body);
        for _ in 1..10 {
            let again = app.post(&uri, &me, &body).await;
            assert_eq!(again.status, StatusCode::OK, "{what}: {}", again.body);
            assert_eq!(
                again.body, first.body,
                "{what}: a replay answers the stored record"
            );
        }
        assert_eq!(
            versions_in_db(&app.db_path(), kind.stored, &id),
            1,
            "{what}"
        );
        assert_eq!(audited(&app, "create", &id), 1, "{what}");

        // 2. One new submission from every client who may write it, all at once.
        n += 1;
        let id = uuid(n);
        let body = form(kind, &id, unit);
        let sessions = writers(&logged_in, kind, unit);
        assert!(sessions.len() >= 4, "{what}: several clients");
        let answers = at_once(&sessions, |_, s| {
            let (app, body, uri) = (app.clone(), body.clone(), uri.clone());
            async move { app.post(&uri, &s, &body).await }
        })
        .await;
        assert_eq!(
            count(&answers, StatusCode::CREATED),
            1,
            "{what}: {answers:?}"
        );
        assert_eq!(
            count(&answers, StatusCode::OK),
            sessions.len() - 1,
            "{what}: {answers:?}"
        );
        let records: Vec<&Value> = answers.iter().map(|(_, b)| &b["record"]).collect();
        assert!(records.iter().all(|r| *r == records[0]), "{what}");
        assert_eq!(
            versions_in_db(&app.db_path(), kind.stored, &id),
            1,
            "{what}"
        );
        assert_eq!(audited(&app, "create", &id), 1, "{what}");

        // 3. One edit sent ten times in a row: one new version.
        let one = format!("/api/{}/{id}", kind.path);
        let edit = edited(kind, &body, 1);
        for i in 0..10 {
            let res = app.put(&one, &me, Some("1"), &edit).await;
            assert_eq!(res.status, StatusCode::OK, "{what} edit #{i}: {}", res.body);
            assert_eq!(res.body["version"], 2, "{what} edit #{i}");
        }
        assert_eq!(
            versions_in_db(&app.db_path(), kind.stored, &id),
            2,
            "{what}"
        );

        // 4. Another edit from every client at once: still one new version.
        let edit = edited(kind, &edit, 2);
        let answers = at_once(&sessions, |_, s| {
            let (app, edit, one) = (app.clone(), edit.clone(), one.clone());
            async move { app.put(&one, &s, Some("2"), &edit).await }
        })
        .await;
        assert_eq!(
            count(&answers, StatusCode::OK),
            sessions.len(),
            "{what}: {answers:?}"
        );
        assert!(answers.iter().all(|(_, b)| b["version"] == 3), "{what}");
        assert_eq!(
            versions_in_db(&app.db_path(), kind.stored, &id),
            3,
            "{what}"
        );

        // 5. Different edits, all based on version 3, at once: one wins, the others are told
        //    the record changed meanwhile; none is lost silently.
        let answers = at_once(&sessions, |i, s| {
            let (app, edit, one) = (app.clone(), edited(kind, &edit, 10 + i as u32), one.clone());
            async move { app.put(&one, &s, Some("3"), &edit).await }
        })
        .await;
        assert_eq!(count(&answers, StatusCode::OK), 1, "{what}: {answers:?}");
        let stale = answers
            .iter()
            .filter(|(s, b)| *s == StatusCode::CONFLICT && b["error"] == "stale_version")
            .count();
        assert_eq!(stale, sessions.len() - 1, "{what}: {answers:?}");
        assert_eq!(
            versions_in_db(&app.db_path(), kind.stored, &id),
            4,
            "{what}"
        );

        // 6. The original submission, retried late, is still a replay.
        let late = app.post(&uri, &me, &body).await;
        assert_eq!(late.status, StatusCode::OK, "{what}: {}", late.body);
        assert_eq!(
            versions_in_db(&app.db_path(), kind.stored, &id),
            4,
            "{what}"
        );
        assert_eq!(audited(&app, "create", &id), 1, "{what}");
        assert_eq!(audited(&app, "edit", &id), 3, "{what}");

        // 7. The same id with other content is a conflict and changes nothing.
        let other = edited(kind, &body, 99);
        let res = app.post(&uri, &me, &other).await;
        assert_eq!(
            (res.status, res.body["error"].as_str()),
            (StatusCode::CONFLICT, Some("conflict")),
            "{what}"
        );
        assert_eq!(
            versions_in_db(&app.db_path(), kind.stored, &id),
            4,
            "{what}"
        );
    }
}
