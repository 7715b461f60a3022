//! `GET /api/audit?after=&limit=`: the audit log, for admins only.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Query, State};

use crate::AppState;
use crate::audit::{self, AuditEntry};
use crate::auth::{CurrentUser, Role};
use crate::error::ApiError;

pub async fn list(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Vec<AuditEntry>>, ApiError> {
    if user.role != Role::Admin {
        return Err(ApiError::Forbidden);
    }
    let after = q.get("after").and_then(|s| s.parse().ok()).unwrap_or(0);
    let limit = q
        .get("limit")
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000u32)
        .min(10_000);
    Ok(Json(
        state
            .db
            .read(move |conn| audit::list(conn, after, limit))
            .await?,
    ))
}
