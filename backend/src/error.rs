//! One error type for every handler; each becomes a JSON body with a status that tells the
//! client whether retrying can help (4xx: no, 5xx: yes).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use shared::{FieldError, ValidationErrors};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The body is not JSON at all.
    #[error("请求内容不是有效的 JSON：{0}")]
    BadJson(String),
    /// Fields are missing, mistyped or break the form's rules.
    #[error("{0}")]
    Invalid(#[from] ValidationErrors),
    #[error("请求内容过大")]
    TooLarge,
    /// The id is taken by a record with a different body.
    #[error("编号 {0} 已存在且内容不同")]
    Conflict(uuid::Uuid),
    #[error("未找到")]
    NotFound,
    #[error("服务器内部错误")]
    /// Keeps its cause for the log; the user only learns that it was not their fault.
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl From<rusqlite::Error> for ApiError {
    fn from(e: rusqlite::Error) -> Self {
        ApiError::Internal(Box::new(e))
    }
}

impl From<serde_json::Error> for ApiError {
    fn from(e: serde_json::Error) -> Self {
        ApiError::Internal(Box::new(e))
    }
}

impl From<tokio::task::JoinError> for ApiError {
    fn from(e: tokio::task::JoinError) -> Self {
        ApiError::Internal(Box::new(e))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, message_en, fields): (_, _, String, &[FieldError]) = match &self {
            ApiError::BadJson(detail) => (
                StatusCode::BAD_REQUEST,
                "bad_json",
                format!("The body is not valid JSON: {detail}"),
                &[],
            ),
            ApiError::Invalid(e) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                format!("{} fields are invalid", e.0.len()),
                &e.0,
            ),
            ApiError::TooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                "The body is too large".into(),
                &[],
            ),
            ApiError::Conflict(id) => (
                StatusCode::CONFLICT,
                "conflict",
                format!("Id {id} is already stored with a different body"),
                &[],
            ),
            ApiError::NotFound => (StatusCode::NOT_FOUND, "not_found", "Not found".into(), &[]),
            ApiError::Internal(e) => {
                tracing::error!(error = %e, "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "Internal server error".into(),
                    &[],
                )
            }
        };
        let body = json!({
            "error": code,
            "message": self.to_string(),
            "message_en": message_en,
            "fields": fields,
        });
        (status, Json(body)).into_response()
    }
}
