//! The JSON body extractor: `shared::json` reads the body, so a wrong type or an unknown field
//! comes back as a field error like any other.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;
use shared::json::{JsonError, from_slice};

use crate::error::ApiError;

pub struct JsonBody<T>(pub T);

impl<S, T> FromRequest<S> for JsonBody<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        // Only JSON: a cross-site HTML form cannot send it, which keeps cookie-borne writes
        // from other sites out.
        let json = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.split(';')
                    .next()
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"))
            });
        if !json {
            return Err(ApiError::NotJson);
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            // The body's deadline (`server::Limits::body_read`) passed: a slow client.
            let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(&e);
            while let Some(c) = cause {
                if c.is::<tower_http::timeout::TimeoutError>() {
                    return ApiError::BodyTimeout;
                }
                cause = c.source();
            }
            ApiError::TooLarge
        })?;
        match from_slice(&bytes) {
            Ok(v) => Ok(JsonBody(v)),
            Err(JsonError::Syntax(e)) => Err(ApiError::BadJson(e)),
            Err(JsonError::Shape(e)) => Err(ApiError::Invalid(e)),
        }
    }
}
