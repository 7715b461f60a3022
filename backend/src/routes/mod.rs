//! HTTP routes. Forms are one generic resource (`forms::store`) mounted once per kind; the
//! rest is one resource per file.

mod audit;
pub mod auth;
mod export;
mod health;
mod rule_tables;
mod views;

use std::path::PathBuf;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, header};
use axum::routing::{any, get, post};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::AppState;
use crate::error::ApiError;
use crate::forms::kinds::*;
use crate::forms::{FormKind, store};

/// Largest request body accepted; the biggest form is a few tens of kilobytes.
pub const BODY_LIMIT: usize = 256 * 1024;

/// The app loads only its own files: wasm needs `wasm-unsafe-eval`, nothing needs inline code.
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/// `Strict-Transport-Security` with `--secure-cookies`: browsers keep to HTTPS for a year.
pub const HSTS: &str = "max-age=31536000";

/// Every `/api/` answer holds personal data or depends on who asks: no cache (browser, proxy)
/// may keep it. The app's own files stay cacheable.
async fn no_store_for_api(
    uri: axum::http::Uri,
    mut response: axum::response::Response,
) -> axum::response::Response {
    if uri.path().starts_with("/api/") {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

fn form<K: FormKind>(router: Router<AppState>) -> Router<AppState> {
    router
        .route(
            &format!("/{}", K::PATH),
            get(store::list::<K>).post(store::submit::<K>),
        )
        .route(
            &format!("/{}/{{id}}", K::PATH),
            get(store::read::<K>).put(store::edit::<K>),
        )
        .route(
            &format!("/{}/{{id}}/versions", K::PATH),
            get(store::versions::<K>),
        )
}

pub fn router(dist: Option<PathBuf>) -> Router<AppState> {
    let mut api = Router::new()
        .route("/login", post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/me", get(auth::me))
        .route("/audit", get(audit::list));
    api = form::<Visit>(api);
    api = form::<KeyPersonKind>(api);
    api = form::<MeetingKind>(api);
    api = form::<MonthlyKind>(api);
    api = form::<CaseKind>(api);
    api = form::<SelfAssessmentKind>(api);
    api = form::<ModelHomeKind>(api);
    api = form::<TownAssessmentKind>(api);
    let api = api
        .merge(views::routes())
        .merge(rule_tables::routes())
        .merge(export::routes())
        .merge(crate::openapi::routes())
        .fallback(any(|| async { ApiError::NotFound }))
        // Last, so that it covers every route above: a JSON 405 (axum's own has no body).
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed });
    let header = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    };
    let router = Router::new()
        .route("/healthz", get(health::check))
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        // `/api/` itself is no route of the nested API; without this it would get the app's
        // page (or an empty 404) instead of a JSON one.
        .route("/api/", any(|| async { ApiError::NotFound }))
        .nest("/api", api);
    let router = match dist {
        // Any other path is the single-page app; unknown paths get index.html so that reloading
        // a deep link works.
        Some(dir) => {
            let index = ServeFile::new(dir.join("index.html"));
            router.fallback_service(ServeDir::new(dir).fallback(index))
        }
        None => router,
    };
    // Layers last, so the app's own files get the security headers too.
    router
        .layer(axum::middleware::map_response(no_store_for_api))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(header(header::CONTENT_SECURITY_POLICY, CSP))
        .layer(header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header(header::REFERRER_POLICY, "no-referrer"))
        .layer(TraceLayer::new_for_http())
}
