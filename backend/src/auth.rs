//! Staff accounts, passwords (argon2id), sessions and the login rate limit.
//!
//! A session is a random token in an HttpOnly, SameSite=Strict cookie; only its SHA-256 is
//! stored, so a copy of the database lets no one log in. Sessions end after an idle period and
//! after an absolute lifetime, whichever comes first.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use argon2::Argon2;
use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use governor::middleware::StateInformationMiddleware;
use governor::{DefaultKeyedRateLimiter, Quota, clock::Clock};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::error::ApiError;
use crate::org::covers;

/// 角色.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 村妇联、网格员、议事会记录员.
    Village,
    /// 镇妇联.
    Town,
    /// 市妇联.
    City,
    /// 系统管理员.
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Village, Role::Town, Role::City, Role::Admin];

    pub fn code(self) -> &'static str {
        match self {
            Role::Village => "village",
            Role::Town => "town",
            Role::City => "city",
            Role::Admin => "admin",
        }
    }

    pub fn parse(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// A logged-in staff member.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// The user's org unit; they see it and everything below it.
    pub unit: String,
}

impl User {
    pub fn sees(&self, unit: &str) -> bool {
        covers(&self.unit, unit)
    }
}

pub fn hash_password(password: &str) -> Result<String, ApiError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(ApiError::internal)
}

pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A password hash that matches nothing, checked when the username is unknown so that a wrong
/// name takes as long as a wrong password.
fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy password never used").expect("argon2 hashes"))
}

/// Why a user cannot be added.
#[derive(Debug, thiserror::Error)]
pub enum AddUserError {
    #[error("用户名应为3–32位小写字母、数字、点或下划线")]
    BadUsername,
    #[error("密码至少10位")]
    WeakPassword,
    #[error("单位 {0} 不存在")]
    NoUnit(String),
    #[error("用户名 {0} 已存在")]
    Taken(String),
    #[error("{0}")]
    Other(String),
}

pub fn add_user(
    conn: &Connection,
    username: &str,
    display_name: &str,
    role: Role,
    unit: &str,
    password: &str,
    now: &str,
) -> Result<i64, AddUserError> {
    let ok = (3..=32).contains(&username.len())
        && username
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'_');
    if !ok {
        return Err(AddUserError::BadUsername);
    }
    if password.chars().count() < 10 {
        return Err(AddUserError::WeakPassword);
    }
    let exists: Option<String> = conn
        .query_row("SELECT id FROM org_units WHERE id = ?1", [unit], |r| {
            r.get(0)
        })
        .optional()
        .map_err(|e| AddUserError::Other(e.to_string()))?;
    if exists.is_none() {
        return Err(AddUserError::NoUnit(unit.to_owned()));
    }
    let hash = hash_password(password).map_err(|e| AddUserError::Other(e.to_string()))?;
    conn.execute(
        "INSERT INTO users (username, display_name, role, unit, password_hash, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![username, display_name, role.code(), unit, hash, now],
    )
    .map_err(|e| match e {
        rusqlite::Error::SqliteFailure(f, _)
            if f.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            AddUserError::Taken(username.to_owned())
        }
        e => AddUserError::Other(e.to_string()),
    })?;
    Ok(conn.last_insert_rowid())
}

/// How long sessions live, and how the cookie is sent.
#[derive(Clone, Debug)]
pub struct SessionPolicy {
    /// Ends after this long without a request.
    pub idle: Duration,
    /// Ends this long after login, however busy.
    pub absolute: Duration,
    /// Served over HTTPS: the cookie gets `Secure` and the `__Host-` prefix.
    pub secure: bool,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        SessionPolicy {
            idle: Duration::from_secs(12 * 3600),
            absolute: Duration::from_secs(7 * 24 * 3600),
            secure: false,
        }
    }
}

impl SessionPolicy {
    pub fn cookie_name(&self) -> &'static str {
        if self.secure {
            "__Host-jiajia"
        } else {
            "jiajia"
        }
    }

    pub fn cookie(&self, value: String) -> Cookie<'static> {
        let mut c = Cookie::new(self.cookie_name(), value);
        c.set_http_only(true);
        c.set_same_site(SameSite::Strict);
        c.set_path("/");
        c.set_secure(self.secure);
        c.set_max_age(Some(cookie_duration(self.absolute)));
        c
    }

    pub fn removal(&self) -> Cookie<'static> {
        let mut c = self.cookie(String::new());
        c.set_max_age(Some(cookie_duration(Duration::ZERO)));
        c
    }
}

fn cookie_duration(d: Duration) -> cookie::time::Duration {
    cookie::time::Duration::seconds(d.as_secs() as i64)
}

/// A `User` from the first five columns: id, username, display_name, role, unit.
fn user_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<User> {
    Ok(User {
        id: r.get(0)?,
        username: r.get(1)?,
        display_name: r.get(2)?,
        role: Role::parse(&r.get::<_, String>(3)?).unwrap_or(Role::Village),
        unit: r.get(4)?,
    })
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A new session for `user_id`; returns the cookie value.
pub fn create_session(conn: &Connection, user_id: i64, now: i64) -> Result<String, ApiError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(ApiError::internal)?;
    let token = hex::encode(bytes);
    conn.execute(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen) VALUES (?1, ?2, ?3, ?3)",
        params![token_hash(&token), user_id, now],
    )?;
    Ok(token)
}

/// The user's device-vault secret, made on first use: 32 random bytes the app wraps its vault
/// key under besides the password, so that after a password change the next online login
/// (which proves the new password) can re-wrap the vault. Only a logged-in user gets it.
pub fn vault_secret(conn: &Connection, user_id: i64) -> Result<Vec<u8>, ApiError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(ApiError::internal)?;
    conn.execute(
        "INSERT OR IGNORE INTO vault_secrets (user_id, secret) VALUES (?1, ?2)",
        params![user_id, &bytes[..]],
    )?;
    Ok(conn.query_row(
        "SELECT secret FROM vault_secrets WHERE user_id = ?1",
        [user_id],
        |r| r.get(0),
    )?)
}

/// The user a session token belongs to, alive or not.
pub fn session_user(conn: &Connection, token: &str) -> Result<Option<User>, ApiError> {
    Ok(conn
        .query_row(
            "SELECT u.id, u.username, u.display_name, u.role, u.unit
             FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?1",
            [token_hash(token)],
            user_from_row,
        )
        .optional()?)
}

pub fn delete_session(conn: &Connection, token: &str) -> Result<(), ApiError> {
    conn.execute(
        "DELETE FROM sessions WHERE token_hash = ?1",
        [token_hash(token)],
    )?;
    Ok(())
}

/// The session's user if it is alive at `now`, and whether `last_seen` is worth refreshing.
pub fn find_session(
    conn: &Connection,
    token: &str,
    now: i64,
    policy: &SessionPolicy,
) -> Result<Option<(User, bool)>, ApiError> {
    // Cached: every request runs it.
    let row = conn
        .prepare_cached(
            "SELECT u.id, u.username, u.display_name, u.role, u.unit, s.created_at, s.last_seen
             FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?1",
        )?
        .query_row([token_hash(token)], |r| {
            Ok((user_from_row(r)?, r.get::<_, i64>(5)?, r.get::<_, i64>(6)?))
        })
        .optional()?;
    Ok(row.and_then(|(user, created, last_seen)| {
        let alive = now - created < policy.absolute.as_secs() as i64
            && now - last_seen < policy.idle.as_secs() as i64;
        // Refreshing at most once a minute keeps reads from turning into writes.
        alive.then_some((user, now - last_seen >= 60))
    }))
}

pub fn touch_session(conn: &Connection, token: &str, now: i64) -> Result<(), ApiError> {
    conn.execute(
        "UPDATE sessions SET last_seen = ?2 WHERE token_hash = ?1",
        params![token_hash(token), now],
    )?;
    Ok(())
}

/// Checks a username and password; `None` when either is wrong.
pub fn check_login(
    conn: &Connection,
    username: &str,
    password: &str,
) -> Result<Option<User>, ApiError> {
    let row = conn
        .query_row(
            "SELECT id, username, display_name, role, unit, password_hash FROM users WHERE username = ?1",
            [username],
            |r| {
                Ok((
                    user_from_row(r)?,
                    r.get::<_, String>(5)?,
                ))
            },
        )
        .optional()?;
    Ok(match row {
        Some((user, hash)) => verify_password(&hash, password).then_some(user),
        None => {
            verify_password(decoy_hash(), password);
            None
        }
    })
}

/// Failed logins allowed per account and per address: a burst, then one more every few
/// minutes. Only failures count, so staff behind one proxy or one office address can log in
/// as often as they need; a guessed-at account or address waits. A blocked account opens
/// again by itself; nobody is locked out for good.
#[derive(Clone)]
pub struct LoginLimiter {
    accounts: Arc<FailureLimit<String>>,
    addresses: Arc<FailureLimit<IpAddr>>,
}

impl Default for LoginLimiter {
    fn default() -> Self {
        Self::new(5, Duration::from_secs(60), 20, Duration::from_secs(15))
    }
}

impl LoginLimiter {
    /// `account_burst` failures per account, then one per `account_every`; likewise per
    /// address.
    pub fn new(
        account_burst: u32,
        account_every: Duration,
        address_burst: u32,
        address_every: Duration,
    ) -> Self {
        LoginLimiter {
            accounts: Arc::new(FailureLimit::new(account_burst, account_every)),
            addresses: Arc::new(FailureLimit::new(address_burst, address_every)),
        }
    }

    /// Refuses, with the seconds to wait, when the account or the address has used up its
    /// failures. Counts nothing.
    pub fn attempt(&self, username: &str, address: Option<IpAddr>) -> Result<(), ApiError> {
        let wait = |retry_after| ApiError::TooManyAttempts { retry_after };
        if let Some(ip) = address {
            self.addresses.check(&ip).map_err(wait)?;
        }
        self.accounts.check(&account_key(username)).map_err(wait)
    }

    /// Counts one failed login against the account and the address.
    pub fn failed(&self, username: &str, address: Option<IpAddr>) {
        if let Some(ip) = address {
            self.addresses.fail(ip);
        }
        self.accounts.fail(account_key(username));
    }
}

/// The limiter's key for a typed name: no username is longer than 32 characters, and a
/// 200 KB name must not be kept whole.
fn account_key(username: &str) -> String {
    username.chars().take(64).collect::<String>().to_lowercase()
}

/// Failures per key: governor's GCRA counts them; a key whose burst is used up is blocked
/// until its next cell is due (governor cannot tell that without taking a cell).
struct FailureLimit<K: Hash + Eq + Clone> {
    cells: DefaultKeyedRateLimiter<K, StateInformationMiddleware>,
    every: Duration,
    blocked: Mutex<HashMap<K, Instant>>,
}

impl<K: Hash + Eq + Clone> FailureLimit<K> {
    fn new(burst: u32, every: Duration) -> Self {
        let quota = Quota::with_period(every)
            .expect("a non-zero period")
            .allow_burst(NonZeroU32::new(burst).expect("a non-zero burst"));
        FailureLimit {
            cells: DefaultKeyedRateLimiter::keyed(quota).with_middleware(),
            every,
            blocked: Mutex::new(HashMap::new()),
        }
    }

    fn check(&self, key: &K) -> Result<(), u64> {
        let mut blocked = self.blocked.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        match blocked.get(key) {
            Some(until) if *until > now => Err((*until - now).as_secs_f64().ceil().max(1.0) as u64),
            Some(_) => {
                blocked.remove(key);
                Ok(())
            }
            None => Ok(()),
        }
    }

    fn fail(&self, key: K) {
        let now = Instant::now();
        let until = match self.cells.check_key(&key) {
            Ok(left) if left.remaining_burst_capacity() > 0 => return,
            Ok(_) => now + self.every,
            Err(not_until) => {
                now + not_until.wait_time_from(governor::clock::DefaultClock::default().now())
            }
        };
        let mut blocked = self.blocked.lock().unwrap_or_else(|p| p.into_inner());
        // Bounded by the keys blocked at once; expired ones go when it grows.
        if blocked.len() >= 10_000 {
            blocked.retain(|_, u| *u > now);
        }
        blocked.insert(key, until);
    }
}

/// The logged-in user of a request; 401 when there is none or the session has ended.
pub struct CurrentUser(pub User);

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let jar = CookieJar::from_headers(&parts.headers);
        let token = jar
            .get(state.sessions.cookie_name())
            .map(|c| c.value().to_owned())
            .ok_or(ApiError::Unauthorized)?;
        let now = state.now().timestamp();
        let policy = state.sessions.clone();
        let t = token.clone();
        let found = state
            .db
            .read(move |conn| find_session(conn, &t, now, &policy))
            .await?;
        let (user, stale) = found.ok_or(ApiError::Unauthorized)?;
        if stale {
            // Not awaited: the request need not wait for the idle clock to be reset.
            let db = state.db.clone();
            tokio::spawn(
                async move { db.write(move |conn| touch_session(conn, &token, now)).await },
            );
        }
        Ok(CurrentUser(user))
    }
}
