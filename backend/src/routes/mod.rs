//! HTTP routes. Forms are one generic resource (`forms::store`) mounted once per kind; the
//! rest is one resource per file.

mod audit;
pub mod auth;
mod export;
mod health;
mod rule_tables;
mod sync;
mod views;

use std::path::PathBuf;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, header};
use axum::http::{StatusCode, Uri};
use axum::middleware;
use axum::response::Response;
use axum::routing::{any, get, post};
use tower_http::services::ServeDir;
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

/// The built app (`cargo xtask dist`): each file as its `.br` or `.gz` copy when the browser
/// accepts it (with `Vary: Accept-Encoding`), content-hashed names cached for a year, the
/// rest revalidated. Any other path without a file extension is an address of the
/// single-page app (/visits/new, …) and gets index.html, so reloading a deep link works; a
/// missing file (/favicon.ico, an old build's `app-….js`) is a plain 404, never the page.
fn app_files(dir: PathBuf) -> Router {
    let files = ServeDir::new(dir)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(true);
    Router::new()
        .fallback_service(files)
        .layer(middleware::map_response(cache_control))
        .layer(middleware::map_request(app_address))
}

/// An app address (no `.` in its last segment) is answered with index.html.
async fn app_address(mut request: Request) -> Request {
    let path = request.uri().path();
    let last = path.rsplit('/').next().unwrap_or("");
    if path != "/" && !last.contains('.') {
        *request.uri_mut() = Uri::from_static("/index.html");
    }
    request
}

/// `immutable` for a year for content-hashed names (`app-0123456789abcdef.js`: a new build has
/// new names); `no-cache` (use, but ask the server first) for index.html, sw.js, the rest and
/// every error.
async fn cache_control(uri: Uri, mut response: Response) -> Response {
    let found = response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED;
    let value = if found && is_hashed(uri.path()) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    response
}

/// `NAME-HASH.EXT` with 16 hex digits of hash, as `cargo xtask dist` names the app's files.
pub fn is_hashed(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or("");
    let Some((stem, _ext)) = file.split_once('.') else {
        return false;
    };
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
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
        .merge(sync::routes())
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
        Some(dir) => router.fallback_service(app_files(dir)),
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
