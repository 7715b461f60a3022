//! HTTP routes, one resource per file.

mod health;
mod visits;

use std::path::PathBuf;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{any, get};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::trace::TraceLayer;

use crate::AppState;
use crate::error::ApiError;

/// Largest request body accepted; a visit record is a few kilobytes.
pub const BODY_LIMIT: usize = 256 * 1024;

pub fn router(dist: Option<PathBuf>) -> Router<AppState> {
    let api = Router::new()
        .route("/visits", get(visits::list).post(visits::submit))
        .route("/visits/{id}", get(visits::read))
        .fallback(any(|| async { ApiError::NotFound }));
    let router = Router::new()
        .route("/healthz", get(health::check))
        .nest("/api", api)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(TraceLayer::new_for_http());
    match dist {
        // Any other path is the single-page app; unknown paths get index.html so that reloading
        // a deep link works.
        Some(dir) => {
            let index = ServeFile::new(dir.join("index.html"));
            router.fallback_service(ServeDir::new(dir).fallback(index))
        }
        None => router,
    }
}
