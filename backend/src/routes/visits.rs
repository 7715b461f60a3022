//! 排查登记表: `POST /api/visits`, `GET /api/visits`, `GET /api/visits/{id}`.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use shared::{VisitInput, VisitRecord};
use uuid::Uuid;

use crate::AppState;
use crate::db::{Saved, StoredVisit};
use crate::error::ApiError;
use crate::json::JsonBody;

/// Validates and stores a visit record. 201 the first time, 200 when the same record is sent
/// again (a client retrying after a lost answer), 409 when the id holds a different record.
pub async fn submit(
    State(state): State<AppState>,
    JsonBody(input): JsonBody<VisitInput>,
) -> Result<(StatusCode, Json<StoredVisit>), ApiError> {
    let today = state.today();
    let record = VisitRecord::parse(&input, today)?;
    match state
        .store
        .save_visit(record, (state.clock)(), today)
        .await?
    {
        Saved::Created(v) => Ok((StatusCode::CREATED, Json(v))),
        Saved::Replayed(v) => Ok((StatusCode::OK, Json(v))),
    }
}

pub async fn list(State(state): State<AppState>) -> Result<Json<Vec<StoredVisit>>, ApiError> {
    Ok(Json(state.store.visits(state.today()).await?))
}

pub async fn read(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<StoredVisit>, ApiError> {
    // A malformed id cannot name a stored record: same answer as an unknown one.
    let id = Uuid::parse_str(&id).map_err(|_| ApiError::NotFound)?;
    Ok(Json(state.store.visit(id, state.today()).await?))
}
