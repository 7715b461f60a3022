//! Who may read and write what: every role against its own unit, a unit below, a sibling and
//! the unit above; plus logins, sessions and the audit log.

mod common;

use std::time::Duration;

use axum::http::{Method, StatusCode, header};
use backend::{LoginLimiter, SessionPolicy, demo};
use common::*;
use serde_json::{Value, json};

/// A record in `unit` of the kind that lives there: visits in villages, cases at town stations.
fn record_for(unit: &str, n: u32) -> (&'static str, Value) {
    if unit.matches('/').count() == 2 {
        ("visits", visit(&uuid(n), unit))
    } else {
        ("rights-cases", case(&uuid(n), unit))
    }
}

/// (user, unit, relation, may read and write).
const MATRIX: &[(&str, &str, &str, bool)] = &[
    ("linzi", "rugao/baipu/linzi", "own", true),
    ("linzi", "rugao/baipu/xinhe", "sibling", false),
    ("linzi", "rugao/baipu", "parent", false),
    ("linzi", "rugao/changjiang/gangkou", "cousin", false),
    ("baipu", "rugao/baipu", "own", true),
    ("baipu", "rugao/baipu/linzi", "child", true),
    ("baipu", "rugao/changjiang", "sibling", false),
    (
        "baipu",
        "rugao/changjiang/gangkou",
        "sibling's child",
        false,
    ),
    ("changjiang", "rugao/changjiang/gangkou", "child", true),
    ("changjiang", "rugao/baipu/xinhe", "sibling's child", false),
    ("city", "rugao/baipu", "child", true),
    ("city", "rugao/changjiang/gangkou", "grandchild", true),
    ("admin", "rugao/rucheng/dongfang", "grandchild", true),
];

#[tokio::test]
async fn each_role_reads_and_writes_its_own_units_and_below_only() {
    let app = TestApp::spawn();
    let admin = app.login("admin").await;
    // One stored record in every unit of the matrix, written by the admin.
    let mut n = 0;
    let mut stored = Vec::new();
    for (_, unit, _, _) in MATRIX {
        n += 1;
        let (path, body) = record_for(unit, n);
        let res = app.post(&format!("/api/{path}"), &admin, &body).await;
        assert_eq!(res.status, StatusCode::CREATED, "{unit}: {}", res.body);
        stored.push((path, uuid(n)));
    }
    for (i, (user, unit, relation, allowed)) in MATRIX.iter().enumerate() {
        let me = app.login(user).await;
        let (path, id) = &stored[i];
        let read = app.get(&format!("/api/{path}/{id}"), &me).await.status;
        let listed = app.get(&format!("/api/{path}?limit=5000"), &me).await.body;
        let in_list = listed
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["record"]["id"] == json!(id));
        let (_, body) = record_for(unit, 1000 + i as u32);
        let write = app.post(&format!("/api/{path}"), &me, &body).await.status;
        let mut edited = record_for(unit, (i + 1) as u32).1;
        let text = if *path == "visits" {
            "summary"
        } else {
            "facts"
        };
        edited[text] = json!("补充情况");
        let edit = app
            .put(&format!("/api/{path}/{id}"), &me, Some("1"), &edited)
            .await
            .status;
        let versions = app
            .get(&format!("/api/{path}/{id}/versions"), &me)
            .await
            .status;
        let what = format!("{user} → {unit} ({relation})");
        if *allowed {
            assert_eq!(read, StatusCode::OK, "read {what}");
            assert!(in_list, "list {what}");
            assert_eq!(write, StatusCode::CREATED, "write {what}");
            assert_eq!(edit, StatusCode::OK, "edit {what}");
            assert_eq!(versions, StatusCode::OK, "versions {what}");
        } else {
            assert_eq!(read, StatusCode::NOT_FOUND, "read {what}");
            assert!(!in_list, "list {what}");
            assert_eq!(write, StatusCode::NOT_FOUND, "write {what}");
            assert_eq!(edit, StatusCode::NOT_FOUND, "edit {what}");
            assert_eq!(versions, StatusCode::NOT_FOUND, "versions {what}");
        }
    }
}

fn town_assessment(id: &str, town: &str) -> Value {
    let doc: Value =
        serde_json::from_str(include_str!("../../examples/town_assessments.json")).unwrap();
    let mut form = doc["form"]["towns"][0].clone();
    form["id"] = json!(id);
    form["town"] = json!(town);
    form
}

/// SPEC §1: town assessments are filled in by city staff about towns; towns see their own.
#[tokio::test]
async fn the_city_scores_towns_and_a_town_reads_only_its_own() {
    let app = TestApp::spawn();
    let city = app.login("city").await;
    let baipu = app.login("baipu").await;
    let changjiang = app.login("changjiang").await;
    let linzi = app.login("linzi").await;
    let id = uuid(1);
    let res = app
        .post(
            "/api/town-assessments",
            &city,
            &town_assessment(&id, "rugao/baipu"),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    assert_eq!(res.body["assessment"]["raw_total"], "86.17");
    let uri = format!("/api/town-assessments/{id}");
    assert_eq!(app.get(&uri, &baipu).await.status, StatusCode::OK);
    assert_eq!(
        app.get(&uri, &changjiang).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.get(&uri, &linzi).await.status, StatusCode::NOT_FOUND);
    // A town may see its score but not write it.
    let own = app
        .post(
            "/api/town-assessments",
            &baipu,
            &town_assessment(&uuid(2), "rugao/baipu"),
        )
        .await;
    assert_eq!(own.status, StatusCode::FORBIDDEN);
    let edit = app
        .put(
            &uri,
            &baipu,
            Some("1"),
            &town_assessment(&id, "rugao/baipu"),
        )
        .await;
    assert_eq!(edit.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn nothing_is_served_without_a_session() {
    let app = TestApp::spawn();
    for (method, uri) in [
        (Method::GET, "/api/visits"),
        (Method::POST, "/api/visits"),
        (Method::GET, "/api/me"),
        (Method::GET, "/api/audit"),
        (Method::GET, "/api/rights-cases"),
    ] {
        let body = (method == Method::POST).then(|| visit(&uuid(1), "rugao/baipu/linzi"));
        let res = app
            .request(method.clone(), uri, None, body.as_ref(), &[])
            .await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{method} {uri}");
        assert_eq!(res.body["error"], "unauthorized");
    }
    let forged = app.get("/api/visits", "jiajia=00ff").await;
    assert_eq!(forged.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_wrong_name_or_password_gets_one_answer() {
    let app = TestApp::spawn();
    for (username, password) in [("linzi", "wrong password!"), ("nobody", demo::PASSWORD)] {
        let res = app
            .request(
                Method::POST,
                "/api/login",
                None,
                Some(&json!({"username": username, "password": password})),
                &[],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
        assert_eq!(res.body["error"], "bad_login");
        assert_eq!(res.body["message"], "用户名或密码不正确");
        assert!(res.headers.get(header::SET_COOKIE).is_none());
    }
}

#[tokio::test]
async fn the_session_cookie_is_http_only_and_same_site_strict() {
    let app = TestApp::spawn();
    let res = app
        .request(
            Method::POST,
            "/api/login",
            None,
            Some(&json!({"username": "linzi", "password": demo::PASSWORD})),
            &[],
        )
        .await;
    let cookie = res
        .headers
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap();
    assert!(cookie.starts_with("jiajia="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Strict")
            && cookie.contains("Path=/"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"), "{cookie}");

    let https = TestApp::spawn_with(|s| s.sessions.secure = true);
    let res = https
        .request(
            Method::POST,
            "/api/login",
            None,
            Some(&json!({"username": "linzi", "password": demo::PASSWORD})),
            &[],
        )
        .await;
    let cookie = res
        .headers
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap();
    assert!(
        cookie.starts_with("__Host-jiajia=") && cookie.contains("Secure"),
        "{cookie}"
    );
}

#[tokio::test]
async fn sessions_end_when_idle_and_after_their_lifetime_and_on_logout() {
    let policy = SessionPolicy {
        idle: Duration::from_secs(3600),
        absolute: Duration::from_secs(4 * 3600),
        secure: false,
    };
    let app = TestApp::spawn_with(|s| s.sessions = policy.clone());
    let me = app.login("linzi").await;
    // Busy every 50 minutes: the idle clock keeps being reset…
    for _ in 0..4 {
        app.advance(Duration::from_secs(50 * 60));
        assert_eq!(app.get("/api/me", &me).await.status, StatusCode::OK);
        // (the refresh is written in the background)
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // …but not past the absolute lifetime.
    app.advance(Duration::from_secs(50 * 60));
    assert_eq!(
        app.get("/api/me", &me).await.status,
        StatusCode::UNAUTHORIZED
    );

    let me = app.login("linzi").await;
    app.advance(Duration::from_secs(61 * 60));
    assert_eq!(
        app.get("/api/me", &me).await.status,
        StatusCode::UNAUTHORIZED,
        "idle for over an hour"
    );

    let me = app.login("linzi").await;
    let res = app
        .request(Method::POST, "/api/logout", Some(&me), None, &[])
        .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get("/api/me", &me).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn login_attempts_are_limited_per_account_and_per_address_for_a_while_only() {
    let app = TestApp::spawn_with(|s| {
        s.limiter = LoginLimiter::new(3, Duration::from_secs(2), 1000, Duration::from_millis(1))
    });
    let attempt = |password: &'static str| {
        let app = &app;
        async move {
            app.request(
                Method::POST,
                "/api/login",
                None,
                Some(&json!({"username": "linzi", "password": password})),
                &[],
            )
            .await
        }
    };
    for _ in 0..3 {
        assert_eq!(
            attempt("wrong password!").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    // Even the right password waits now: the account is being guessed at.
    let blocked = attempt(demo::PASSWORD).await;
    assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(blocked.headers.get(header::RETRY_AFTER).is_some());
    // Other accounts are not affected.
    assert!(!app.login("xinhe").await.is_empty());
    // Nobody is locked out for good.
    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert_eq!(attempt(demo::PASSWORD).await.status, StatusCode::OK);

    let per_address = LoginLimiter::new(1000, Duration::from_millis(1), 2, Duration::from_secs(60));
    let ip = Some("10.0.0.7".parse().unwrap());
    assert!(per_address.attempt("a", ip).is_ok());
    per_address.failed("a", ip);
    assert!(per_address.attempt("b", ip).is_ok());
    per_address.failed("b", ip);
    assert!(
        per_address.attempt("c", ip).is_err(),
        "a third account from one address after two failures"
    );
    assert!(
        per_address
            .attempt("c", Some("10.0.0.8".parse().unwrap()))
            .is_ok()
    );
}

/// A login as from `peer` (what the server loop tells handlers), with extra headers.
async fn login_from(
    app: &TestApp,
    peer: &str,
    username: &str,
    password: &str,
    headers: &[(&str, &str)],
) -> StatusCode {
    use axum::body::Body;
    use axum::extract::ConnectInfo;
    use tower::ServiceExt;
    let mut req =
        axum::http::Request::post("/api/login").header(header::CONTENT_TYPE, "application/json");
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let mut req = req
        .body(Body::from(
            json!({"username": username, "password": password}).to_string(),
        ))
        .unwrap();
    let peer: std::net::SocketAddr = peer.parse().unwrap();
    req.extensions_mut().insert(ConnectInfo(peer));
    app.router.clone().oneshot(req).await.unwrap().status()
}

/// Issue #14: the 6th correct login of an account within minutes got 429, and behind a proxy
/// every user shared the proxy's bucket.
#[tokio::test]
async fn only_failed_logins_count_and_a_trusted_proxy_names_the_client() {
    let app = TestApp::spawn_with(|s| {
        s.limiter = LoginLimiter::new(3, Duration::from_secs(60), 3, Duration::from_secs(60));
        s.trusted_proxies = ["10.0.0.1".parse().unwrap()].into();
    });
    // Correct logins, as often as needed, from one address: never limited.
    for _ in 0..8 {
        assert_eq!(
            login_from(&app, "10.0.0.9:5000", "linzi", demo::PASSWORD, &[]).await,
            StatusCode::OK
        );
    }
    // Behind the proxy: one user guessing (three failures) blocks their own address only.
    let via_proxy = |client: &'static str| [("x-forwarded-for", client)];
    for name in ["xinhe", "baipu", "city"] {
        assert_eq!(
            login_from(
                &app,
                "10.0.0.1:4000",
                name,
                "wrong password!",
                &via_proxy("203.0.113.5")
            )
            .await,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        login_from(
            &app,
            "10.0.0.1:4000",
            "admin",
            demo::PASSWORD,
            &via_proxy("203.0.113.5")
        )
        .await,
        StatusCode::TOO_MANY_REQUESTS,
        "the guessing address waits"
    );
    assert_eq!(
        login_from(
            &app,
            "10.0.0.1:4000",
            "admin",
            demo::PASSWORD,
            &via_proxy("203.0.113.6")
        )
        .await,
        StatusCode::OK,
        "another client behind the same proxy does not"
    );
    // A client that writes its own X-Forwarded-For is not believed: the proxy appends the
    // address it saw, and that is the one counted.
    assert_eq!(
        login_from(
            &app,
            "10.0.0.1:4000",
            "admin",
            demo::PASSWORD,
            &via_proxy("198.51.100.1, 203.0.113.5")
        )
        .await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Nor is anyone but the trusted proxy: this peer's failures are its own.
    for name in ["xinhe", "baipu", "city"] {
        login_from(
            &app,
            "10.0.0.2:4000",
            name,
            "wrong password!",
            &via_proxy("203.0.113.7"),
        )
        .await;
    }
    assert_eq!(
        login_from(
            &app,
            "10.0.0.2:4000",
            "admin",
            demo::PASSWORD,
            &via_proxy("203.0.113.8")
        )
        .await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        login_from(
            &app,
            "10.0.0.1:4000",
            "admin",
            demo::PASSWORD,
            &via_proxy("203.0.113.7")
        )
        .await,
        StatusCode::OK
    );
}

#[test]
fn the_client_address_is_read_from_the_right_past_trusted_proxies() {
    use backend::routes::auth::client_address;
    let ip = |s: &str| s.parse::<std::net::IpAddr>().unwrap();
    let trusted = [ip("10.0.0.1"), ip("10.0.0.2")];
    let with = |xff: &str| {
        let mut h = axum::http::HeaderMap::new();
        h.insert("x-forwarded-for", xff.parse().unwrap());
        h
    };
    let none = axum::http::HeaderMap::new();
    assert_eq!(
        client_address(ip("10.0.0.9"), &with("1.2.3.4"), &trusted),
        ip("10.0.0.9")
    );
    assert_eq!(
        client_address(ip("10.0.0.1"), &none, &trusted),
        ip("10.0.0.1")
    );
    assert_eq!(
        client_address(ip("10.0.0.1"), &with("1.2.3.4"), &trusted),
        ip("1.2.3.4")
    );
    assert_eq!(
        client_address(
            ip("10.0.0.1"),
            &with("6.6.6.6, 1.2.3.4, 10.0.0.2"),
            &trusted
        ),
        ip("1.2.3.4")
    );
    assert_eq!(
        client_address(ip("10.0.0.1"), &with("1.2.3.4, junk"), &trusted),
        ip("10.0.0.1")
    );
    assert_eq!(
        client_address(ip("::ffff:10.0.0.1"), &with("1.2.3.4"), &trusted),
        ip("1.2.3.4")
    );
}

#[tokio::test]
async fn writes_and_sensitive_reads_are_audited_for_admins_only() {
    let app = TestApp::spawn();
    let linzi = app.login("linzi").await;
    let id = uuid(1);
    app.post("/api/visits", &linzi, &visit(&id, "rugao/baipu/linzi"))
        .await; // a B item
    let baipu = app.login("baipu").await;
    app.get(&format!("/api/visits/{id}"), &baipu).await;
    app.get("/api/visits", &baipu).await;
    let city = app.login("city").await;
    assert_eq!(
        app.get("/api/audit", &city).await.status,
        StatusCode::FORBIDDEN
    );
    let admin = app.login("admin").await;
    let log = app.get("/api/audit", &admin).await;
    assert_eq!(log.status, StatusCode::OK);
    let rows: Vec<(String, String)> = log
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["username"].as_str().unwrap_or("").to_owned(),
                e["action"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let has = |u: &str, a: &str| rows.contains(&(u.to_owned(), a.to_owned()));
    assert!(has("linzi", "login") && has("linzi", "create"), "{rows:?}");
    assert_eq!(
        rows.iter()
            .filter(|r| *r == &("baipu".to_owned(), "read".to_owned()))
            .count(),
        2,
        "{rows:?}"
    );
    // Logouts name who logged out; a failed login keeps at most 64 characters of what was
    // typed as the name (issue #14: a password typed there, or 200 KB, was stored whole).
    let typed = format!("{}{}", "a".repeat(64), "my secret password!".repeat(10_000));
    assert_eq!(
        app.request(
            Method::POST,
            "/api/login",
            None,
            Some(&json!({"username": typed, "password": "x"})),
            &[],
        )
        .await
        .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.request(Method::POST, "/api/logout", Some(&linzi), None, &[])
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    let log = app.get("/api/audit", &admin).await.body;
    let log = log.as_array().unwrap();
    let logout = log.iter().find(|e| e["action"] == "logout").unwrap();
    assert_eq!(logout["username"], "linzi");
    let failed = log.iter().rfind(|e| e["action"] == "login_failed").unwrap();
    assert_eq!(failed["detail"], format!("username {}", "a".repeat(64)));
    assert!(!log.iter().any(|e| e.to_string().contains("secret")));

    // The log cannot be changed, not even by SQL against the file.
    let conn = rusqlite::Connection::open(app.db_path()).unwrap();
    assert!(conn.execute("DELETE FROM audit", []).is_err());
    assert!(conn.execute("UPDATE records SET body = '{}'", []).is_err());
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let app = TestApp::spawn();
    for res in [
        app.request(Method::GET, "/healthz", None, None, &[]).await,
        app.request(Method::GET, "/api/visits", None, None, &[])
            .await,
    ] {
        assert_eq!(
            res.headers.get(header::CONTENT_SECURITY_POLICY).unwrap(),
            backend::routes::CSP
        );
        assert_eq!(
            res.headers.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(),
            "nosniff"
        );
        assert_eq!(
            res.headers.get(header::REFERRER_POLICY).unwrap(),
            "no-referrer"
        );
    }
}

/// Issue #14: JSON answers carried no `Cache-Control`, and there was no HSTS.
#[tokio::test]
async fn api_answers_are_never_stored_and_https_is_pinned_with_secure_cookies() {
    let app = TestApp::spawn();
    let linzi = app.login("linzi").await;
    let admin = app.login("admin").await;
    let id = uuid(1);
    app.post("/api/visits", &linzi, &visit(&id, "rugao/baipu/linzi"))
        .await;
    for (uri, who) in [
        ("/api/me".to_owned(), &linzi),
        ("/api/visits".to_owned(), &linzi),
        (format!("/api/visits/{id}"), &linzi),
        (format!("/api/visits/{id}/versions"), &linzi),
        ("/api/audit".to_owned(), &admin),
        ("/api/nothing-here".to_owned(), &linzi),
    ] {
        let res = app.get(&uri, who).await;
        assert_eq!(
            res.headers
                .get(header::CACHE_CONTROL)
                .map(|v| v.to_str().unwrap()),
            Some("no-store"),
            "{uri}"
        );
        assert!(res.headers.get(header::STRICT_TRANSPORT_SECURITY).is_none());
    }
    let login = app
        .request(
            Method::POST,
            "/api/login",
            None,
            Some(&json!({"username": "linzi", "password": "wrong password!"})),
            &[],
        )
        .await;
    assert_eq!(
        login.headers.get(header::CACHE_CONTROL).unwrap(),
        "no-store"
    );

    let secure = TestApp::spawn_with(|s| s.sessions.secure = true);
    for uri in ["/healthz", "/api/me"] {
        let res = secure.request(Method::GET, uri, None, None, &[]).await;
        assert_eq!(
            res.headers.get(header::STRICT_TRANSPORT_SECURITY).unwrap(),
            "max-age=31536000",
            "{uri}"
        );
    }
}
