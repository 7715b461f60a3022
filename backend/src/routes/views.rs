//! Views computed by `shared` over stored data (warnings, completeness, ranking, statistics).

use axum::Router;

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
}
