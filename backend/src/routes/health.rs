use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::AppState;

/// `GET /healthz`: the server is up and answering, and can write its database. When it cannot
/// (read-only file, disk full, I/O errors), 503 saying which (`storage_full`,
/// `storage_unavailable`; the cause is in the log): logins, records and the reads that are
/// audited all need writes.
pub async fn check(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    match state.db.health().fault() {
        None => (StatusCode::OK, Json(json!({ "status": "ok" }))),
        Some(fault) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "status": fault })),
        ),
    }
}
