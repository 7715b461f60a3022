//! 家家 server: stores submitted forms exactly once in SQLite, after re-validating and
//! re-assessing them with `shared` — the client's own numbers are never trusted.

pub mod db;
pub mod error;
pub mod json;
pub mod routes;

use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use chrono::{DateTime, NaiveDate, Utc};

pub use db::Store;
pub use error::ApiError;

/// Where "now" comes from; tests pin it.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// Shared by every handler.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub clock: Clock,
}

impl AppState {
    pub fn new(store: Store) -> Self {
        AppState {
            store,
            clock: Arc::new(Utc::now),
        }
    }

    /// Today in China, the date every rule is evaluated on.
    pub fn today(&self) -> NaiveDate {
        shared::time::china_today((self.clock)())
    }
}

/// The whole HTTP application: the API, and the built app from `dist` for everything else.
pub fn app(state: AppState, dist: Option<PathBuf>) -> Router {
    routes::router(dist).with_state(state)
}
