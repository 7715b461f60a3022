//! `GET /api/audit?after=&limit=`: the audit log, for admins only.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Query, State};
use shared::Problem;

use crate::AppState;
use crate::audit::{self, AuditEntry};
use crate::auth::{CurrentUser, Role};
use crate::error::ApiError;
use crate::routes::views::Params;

/// Most entries one answer holds; page on with `after`.
const MAX_LIMIT: u32 = 10_000;

pub async fn list(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Vec<AuditEntry>>, ApiError> {
    if user.role != Role::Admin {
        return Err(ApiError::Forbidden);
    }
    // A bad parameter is named, not taken for its default.
    let mut p = Params::new(q, &["after", "limit"]);
    let after = p
        .parse("after", ("起始序号", "After"), |raw| {
            raw.parse::<i64>()
                .ok()
                .filter(|n| *n >= 0)
                .ok_or(Problem::OutOfRange {
                    min: 0,
                    max: i64::MAX,
                })
        })
        .unwrap_or(0);
    let limit = p
        .parse("limit", ("条数", "Limit"), |raw| {
            raw.parse::<u32>()
                .ok()
                .filter(|n| (1..=MAX_LIMIT).contains(n))
                .ok_or(Problem::OutOfRange {
                    min: 1,
                    max: MAX_LIMIT.into(),
                })
        })
        .unwrap_or(1000);
    p.finish()?;
    Ok(Json(
        state
            .db
            .read(move |conn| audit::list(conn, after, limit))
            .await?,
    ))
}
