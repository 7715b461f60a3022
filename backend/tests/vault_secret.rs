//! The device-vault secret a login gives the app: the same for an account at every login (so a
//! vault made at one login re-wraps at the next after a password change), different per
//! account, and given only for a correct password.

mod common;

use axum::http::{Method, StatusCode};
use common::TestApp;
use serde_json::json;

async fn secret_of(app: &TestApp, username: &str, password: &str) -> (StatusCode, Option<String>) {
    let res = app
        .request(
            Method::POST,
            "/api/login",
            None,
            Some(&json!({"username": username, "password": password})),
            &[],
        )
        .await;
    let secret = res.body["vault_secret"].as_str().map(str::to_owned);
    (res.status, secret)
}

#[tokio::test]
async fn every_login_of_an_account_gives_its_one_vault_secret_and_only_to_it() {
    let app = TestApp::spawn();
    let pw = backend::demo::PASSWORD;
    let (status, first) = secret_of(&app, "linzi", pw).await;
    assert_eq!(status, StatusCode::OK);
    let first = first.expect("the login answer carries the vault secret");
    assert_eq!(first.len(), 64, "32 bytes in hex: {first}");
    assert!(first.chars().all(|c| c.is_ascii_hexdigit()));
    let (_, again) = secret_of(&app, "linzi", pw).await;
    assert_eq!(
        again.as_deref(),
        Some(first.as_str()),
        "the same at every login"
    );
    let (_, other) = secret_of(&app, "xinhe", pw).await;
    assert_ne!(
        other.as_deref(),
        Some(first.as_str()),
        "each account its own"
    );
    // A wrong password gets no secret.
    let (status, none) = secret_of(&app, "linzi", "wrong").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(none, None);
    // `/api/me` (a session cookie alone) does not give it.
    let cookie = app.login("linzi").await;
    let me = app.get("/api/me", &cookie).await;
    assert_eq!(me.status, StatusCode::OK);
    assert!(me.body.get("vault_secret").is_none());
}
