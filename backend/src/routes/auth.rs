//! `POST /api/login`, `POST /api/logout`, `GET /api/me`.

use std::net::{IpAddr, SocketAddr};

use axum::Json;
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum_extra::extract::CookieJar;
use chrono::SecondsFormat;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::audit;
use crate::auth::{
    CurrentUser, User, check_login, create_session, delete_session, session_user, vault_secret,
};
use crate::error::ApiError;
use crate::json::JsonBody;
use crate::org;

/// The client's address, when the server knows it (not in in-process tests): the TCP peer,
/// or, when the peer is a trusted proxy (`--trusted-proxy`), the address it forwarded.
pub struct ClientAddr(pub Option<IpAddr>);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        Ok(ClientAddr(peer.map(|peer| {
            client_address(peer, &parts.headers, &state.trusted_proxies)
        })))
    }
}

/// The client behind `peer`: `X-Forwarded-For` is read only when `peer` is a trusted proxy,
/// from the right (each proxy appends the address it saw), skipping the trusted hops; the
/// first other address is the client. Anything a client wrote there itself is further left
/// and never reached, unless every hop is trusted.
pub fn client_address(peer: IpAddr, headers: &HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    let peer = peer.to_canonical();
    if !trusted.contains(&peer) {
        return peer;
    }
    let mut client = peer;
    let hops = headers
        .get_all("x-forwarded-for")
        .iter()
        .flat_map(|v| v.to_str().unwrap_or("").split(','))
        .collect::<Vec<_>>();
    for hop in hops.into_iter().rev() {
        match hop.trim().parse::<IpAddr>() {
            Ok(ip) => {
                client = ip.to_canonical();
                if !trusted.contains(&client) {
                    break;
                }
            }
            // Not an address: the hop before it is the last one we can vouch for.
            Err(_) => break,
        }
    }
    client
}

/// Characters of a failed login's name that the audit log keeps.
pub const MAX_LOGGED_NAME: usize = 64;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Login {
    pub username: String,
    pub password: String,
}

async fn me_body(state: &AppState, user: User) -> Result<Value, ApiError> {
    let scope = user.unit.clone();
    let units = state.db.read(move |conn| org::within(conn, &scope)).await?;
    Ok(json!({ "user": user, "units": units }))
}

/// Checks the password (argon2id) and starts a session. Wrong name or password: 401 with one
/// message for both; too many tries for the account or the address: 429 with Retry-After.
pub async fn login(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    jar: CookieJar,
    JsonBody(body): JsonBody<Login>,
) -> Result<(CookieJar, Json<Value>), ApiError> {
    let username = body.username.trim().to_lowercase();
    state.limiter.attempt(&username, addr)?;
    let (name, password) = (username.clone(), body.password);
    let user = state
        .db
        .read(move |conn| check_login(conn, &name, &password))
        .await?;
    let at = state.now().to_rfc3339_opts(SecondsFormat::Millis, true);
    let now = state.now().timestamp();
    let Some(user) = user else {
        state.limiter.failed(&username, addr);
        // What was typed may be a password, or 200 KB: the log keeps only enough to tell
        // names apart.
        let typed: String = username.chars().take(MAX_LOGGED_NAME).collect();
        let detail = format!("username {typed}");
        state
            .db
            .write(move |conn| {
                audit::append(conn, &at, None, "login_failed", None, None, Some(&detail))
            })
            .await?;
        return Err(ApiError::BadLogin);
    };
    let who = user.clone();
    let (token, secret) = state
        .db
        .write(move |conn| {
            let token = create_session(conn, who.id, now)?;
            let secret = vault_secret(conn, who.id)?;
            audit::append(conn, &at, Some(&who), "login", None, None, None)?;
            Ok((token, secret))
        })
        .await?;
    let mut body = me_body(&state, user).await?;
    body["vault_secret"] = Value::String(hex::encode(secret));
    Ok((jar.add(state.sessions.cookie(token)), Json(body)))
}

/// Ends the session; the cookie is cleared either way.
pub async fn logout(
    State(state): State<AppState>,
    jar: CookieJar,
) -> Result<(CookieJar, StatusCode), ApiError> {
    if let Some(token) = jar
        .get(state.sessions.cookie_name())
        .map(|c| c.value().to_owned())
    {
        let at = state.now().to_rfc3339_opts(SecondsFormat::Millis, true);
        state
            .db
            .write(move |conn| {
                // The row names who logged out; a cookie that was no session ends nothing.
                if let Some(user) = session_user(conn, &token)? {
                    delete_session(conn, &token)?;
                    audit::append(conn, &at, Some(&user), "logout", None, None, None)?;
                }
                Ok(())
            })
            .await?;
    }
    Ok((jar.add(state.sessions.removal()), StatusCode::NO_CONTENT))
}

/// The logged-in user and the units they may work in.
pub async fn me(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(me_body(&state, user).await?))
}
