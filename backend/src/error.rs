//! One error type for every handler; each becomes a JSON body whose status tells the client
//! whether retrying can help (4xx: not as it is; 5xx: yes).

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use shared::{FieldError, ValidationErrors};

/// Field errors listed in one answer; the message counts the rest. (60,000 empty attendees
/// once made a 7.6 MB answer to a 200 KB request.)
pub const MAX_FIELD_ERRORS: usize = 100;

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
    /// The body did not arrive in time (a slow or stalled client).
    #[error("请求内容接收超时")]
    BodyTimeout,
    #[error("请求内容须为 JSON（Content-Type: application/json）")]
    NotJson,
    /// The id is taken by a record with a different body.
    #[error("编号 {0} 已存在且内容不同")]
    Conflict(uuid::Uuid),
    /// An edit was based on a version that is no longer the latest.
    #[error("记录已被他人修改（当前为第 {current} 版），请刷新后再改")]
    StaleVersion { current: i64 },
    /// An edit did not say which version it changes.
    #[error("修改须注明所基于的版本（If-Match）")]
    VersionRequired,
    /// Also the answer for records outside the user's units: their existence is not revealed.
    #[error("未找到")]
    NotFound,
    #[error("请先登录")]
    Unauthorized,
    /// One answer for a wrong name and a wrong password.
    #[error("用户名或密码不正确")]
    BadLogin,
    /// The user may see the thing but not do this to it (e.g. a town writing its own score).
    #[error("无权进行此操作")]
    Forbidden,
    /// The address exists but not with this method (e.g. `DELETE`: nothing is ever deleted).
    #[error("不支持此请求方法")]
    MethodNotAllowed,
    #[error("尝试次数过多，请 {retry_after} 秒后再试")]
    TooManyAttempts { retry_after: u64 },
    /// The server's disk is full: nothing was stored; reads go on. 507 with Retry-After.
    #[error("服务器磁盘已满，本次未保存，请稍后再试")]
    StorageFull(String),
    /// The database cannot be written (read-only, I/O error, locked): 503 with Retry-After.
    #[error("服务器数据库暂时无法写入，本次未保存，请稍后再试")]
    StorageUnavailable(String),
    /// Keeps its cause for the log; the user only learns that it was not their fault.
    #[error("服务器内部错误")]
    Internal(String),
}

impl ApiError {
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        ApiError::Internal(cause.to_string())
    }

    /// One field error, for checks the server makes beyond the form's own (e.g. the unit).
    pub fn field(field: &str, label: (&str, &str), problem: shared::Problem) -> Self {
        ApiError::Invalid(ValidationErrors(vec![FieldError::new(
            field, label, problem,
        )]))
    }
}

/// Seconds a client is asked to wait after a storage fault.
pub const STORAGE_RETRY_AFTER: u64 = 60;

impl ApiError {
    /// A failed SQLite call: the storage's fault (disk full, read-only, I/O) as such, anything
    /// else internal. `context` says what was being done, for the log.
    pub fn storage(e: &rusqlite::Error, context: &str) -> Self {
        use rusqlite::ErrorCode::*;
        let why = format!("{context}: {e}");
        match e.sqlite_error_code() {
            Some(DiskFull) => ApiError::StorageFull(why),
            Some(
                ReadOnly | CannotOpen | PermissionDenied | SystemIoFailure | DatabaseBusy
                | DatabaseLocked | DatabaseCorrupt | NotADatabase,
            ) => ApiError::StorageUnavailable(why),
            _ => ApiError::Internal(why),
        }
    }
}

impl From<rusqlite::Error> for ApiError {
    fn from(e: rusqlite::Error) -> Self {
        ApiError::storage(&e, "database")
    }
}

impl From<serde_json::Error> for ApiError {
    fn from(e: serde_json::Error) -> Self {
        ApiError::internal(e)
    }
}

impl From<tokio::task::JoinError> for ApiError {
    fn from(e: tokio::task::JoinError) -> Self {
        ApiError::internal(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let empty: &[FieldError] = &[];
        let (status, code, message_en, fields): (_, _, String, &[FieldError]) = match &self {
            ApiError::BadJson(detail) => (
                StatusCode::BAD_REQUEST,
                "bad_json",
                format!("The body is not valid JSON: {detail}"),
                empty,
            ),
            ApiError::Invalid(e) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                match e.0.len().checked_sub(MAX_FIELD_ERRORS) {
                    Some(more) if more > 0 => format!(
                        "{} fields are invalid; the first {MAX_FIELD_ERRORS} are listed, and {more} more",
                        e.0.len()
                    ),
                    _ => format!("{} fields are invalid", e.0.len()),
                },
                &e.0[..e.0.len().min(MAX_FIELD_ERRORS)],
            ),
            ApiError::TooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                "The body is too large".into(),
                empty,
            ),
            ApiError::BodyTimeout => (
                StatusCode::REQUEST_TIMEOUT,
                "body_timeout",
                "The body did not arrive in time".into(),
                empty,
            ),
            ApiError::NotJson => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "not_json",
                "The body must be JSON (Content-Type: application/json)".into(),
                empty,
            ),
            ApiError::Conflict(id) => (
                StatusCode::CONFLICT,
                "conflict",
                format!("Id {id} is already stored with a different body"),
                empty,
            ),
            ApiError::StaleVersion { current } => (
                StatusCode::CONFLICT,
                "stale_version",
                format!("The record was changed meanwhile (now version {current})"),
                empty,
            ),
            ApiError::VersionRequired => (
                StatusCode::PRECONDITION_REQUIRED,
                "version_required",
                "An edit must name the version it changes (If-Match)".into(),
                empty,
            ),
            ApiError::NotFound => (
                StatusCode::NOT_FOUND,
                "not_found",
                "Not found".into(),
                empty,
            ),
            ApiError::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "Please log in".into(),
                empty,
            ),
            ApiError::BadLogin => (
                StatusCode::UNAUTHORIZED,
                "bad_login",
                "Wrong username or password".into(),
                empty,
            ),
            ApiError::Forbidden => (
                StatusCode::FORBIDDEN,
                "forbidden",
                "You may not do this".into(),
                empty,
            ),
            ApiError::MethodNotAllowed => (
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "This method is not allowed here".into(),
                empty,
            ),
            ApiError::TooManyAttempts { retry_after } => (
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_attempts",
                format!("Too many attempts; try again in {retry_after} s"),
                empty,
            ),
            ApiError::StorageFull(cause) => {
                tracing::error!(%cause, "disk full");
                (
                    StatusCode::INSUFFICIENT_STORAGE,
                    "storage_full",
                    "The server's disk is full: nothing was saved; try again later".into(),
                    empty,
                )
            }
            ApiError::StorageUnavailable(cause) => {
                tracing::error!(%cause, "database cannot be written");
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "storage_unavailable",
                    "The server's database cannot be written: nothing was saved; try again later"
                        .into(),
                    empty,
                )
            }
            ApiError::Internal(cause) => {
                tracing::error!(%cause, "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "Internal server error".into(),
                    empty,
                )
            }
        };
        let message = match &self {
            ApiError::Invalid(e) if e.0.len() > MAX_FIELD_ERRORS => format!(
                "{} 个字段有误，仅列出前 {MAX_FIELD_ERRORS} 个，另有 {} 个",
                e.0.len(),
                e.0.len() - MAX_FIELD_ERRORS
            ),
            _ => self.to_string(),
        };
        let body = json!({
            "error": code,
            "message": message,
            "message_en": message_en,
            "fields": fields,
        });
        let mut response = (status, Json(body)).into_response();
        let retry_after = match self {
            ApiError::TooManyAttempts { retry_after } => Some(retry_after),
            ApiError::StorageFull(_) | ApiError::StorageUnavailable(_) => Some(STORAGE_RETRY_AFTER),
            _ => None,
        };
        if let Some(retry_after) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
        }
        response
    }
}
