//! 家家 server: stores submitted forms exactly once in SQLite, after re-validating and
//! re-assessing them with `shared` — the client's own numbers are never trusted.

pub mod audit;
pub mod auth;
pub mod db;
pub mod demo;
pub mod demo_records;
pub mod error;
pub mod forms;
pub mod json;
pub mod openapi;
pub mod org;
pub mod routes;
pub mod rules;
pub mod server;

use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use chrono::{DateTime, NaiveDate, Utc};

pub use auth::{LoginLimiter, SessionPolicy};
pub use db::Db;
pub use error::ApiError;

/// Where "now" comes from; tests pin it.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// Shared by every handler.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub clock: Clock,
    /// The published rule tables (calendar, rubric, themes) as last read.
    pub rules: rules::Cache,
    pub sessions: SessionPolicy,
    pub limiter: LoginLimiter,
    /// Proxies whose `X-Forwarded-For` names the client (`--trusted-proxy`).
    pub trusted_proxies: Arc<[std::net::IpAddr]>,
}

impl AppState {
    pub fn new(db: Db) -> Self {
        AppState {
            db,
            clock: Arc::new(Utc::now),
            rules: rules::Cache::default(),
            sessions: SessionPolicy::default(),
            limiter: LoginLimiter::default(),
            trusted_proxies: Arc::new([]),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    /// The rule tables in force: the built-in ones, each year replaced by its latest
    /// published version.
    pub async fn rules(&self) -> Result<Arc<rules::Rules>, ApiError> {
        let cache = self.rules.clone();
        let path = self.db.path().to_owned();
        self.db
            .read(move |conn| rules::cached(conn, &path, &cache))
            .await
    }

    /// Today in China, the date every rule is evaluated on.
    pub fn today(&self) -> NaiveDate {
        shared::time::china_today(self.now())
    }
}

/// The whole HTTP application: the API, and the built app from `dist` for everything else.
pub fn app(state: AppState, dist: Option<PathBuf>) -> Router {
    let secure = state.sessions.secure;
    let router = routes::router(dist).with_state(state);
    if secure {
        // Only behind HTTPS: over plain HTTP the header would be meaningless (and ignored).
        router.layer(tower_http::set_header::SetResponseHeaderLayer::overriding(
            axum::http::header::STRICT_TRANSPORT_SECURITY,
            axum::http::HeaderValue::from_static(routes::HSTS),
        ))
    } else {
        router
    }
}
