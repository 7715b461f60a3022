use axum::Json;
use serde_json::{Value, json};

/// `GET /healthz`: the server is up and answering.
pub async fn check() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}
