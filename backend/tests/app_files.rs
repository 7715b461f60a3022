//! The built app's files as a phone gets them: brotli or gzip copies by Accept-Encoding (with
//! `Vary`), hashed names cached for a year, index.html and sw.js revalidated, app addresses
//! answered with index.html and missing files with a 404 (never the page).

use std::path::Path;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use backend::{AppState, Db, app};
use http_body_util::BodyExt;
use tower::ServiceExt;

const WASM: &str = "/app_bg-0123456789abcdef.wasm";

/// A dist/ as `cargo xtask dist` writes it: each file with its `.br` and `.gz` copy (the
/// copies' bytes are stand-ins, told apart from the original by their text).
fn dist(dir: &Path) {
    for (name, text) in [
        ("index.html", "<!doctype html><title>家家</title>"),
        (&WASM[1..], "\0asm wasm"),
        ("sw.js", "// worker"),
        ("favicon.svg", "<svg/>"),
    ] {
        std::fs::write(dir.join(name), text).unwrap();
        std::fs::write(dir.join(format!("{name}.br")), format!("br:{text}")).unwrap();
        std::fs::write(dir.join(format!("{name}.gz")), format!("gz:{text}")).unwrap();
    }
}

struct Got {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Got {
    fn header(&self, name: header::HeaderName) -> &str {
        self.headers.get(&name).map_or("", |v| v.to_str().unwrap())
    }
}

async fn get(dir: &Path, uri: &str, accept: Option<&str>) -> Got {
    let db = Db::open(&dir.join("test.sqlite3")).unwrap();
    let router = app(AppState::new(db), Some(dir.join("dist")));
    let mut request = Request::get(uri);
    if let Some(accept) = accept {
        request = request.header(header::ACCEPT_ENCODING, accept);
    }
    let response = router
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let (parts, body) = response.into_parts();
    let bytes = body.collect().await.unwrap().to_bytes();
    Got {
        status: parts.status,
        headers: parts.headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("dist")).unwrap();
    dist(&dir.path().join("dist"));
    dir
}

#[tokio::test]
async fn the_wasm_goes_brotli_compressed_to_a_browser_that_accepts_it_and_is_kept_a_year() {
    let dir = setup();
    let got = get(dir.path(), WASM, Some("gzip, deflate, br, zstd")).await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.header(header::CONTENT_ENCODING), "br");
    assert_eq!(got.body, "br:\0asm wasm");
    assert_eq!(got.header(header::CONTENT_TYPE), "application/wasm");
    assert_eq!(got.header(header::VARY), "accept-encoding");
    assert_eq!(
        got.header(header::CACHE_CONTROL),
        "public, max-age=31536000, immutable"
    );

    let gzip = get(dir.path(), WASM, Some("gzip")).await;
    assert_eq!(gzip.header(header::CONTENT_ENCODING), "gzip");
    assert_eq!(gzip.body, "gz:\0asm wasm");

    let plain = get(dir.path(), WASM, None).await;
    assert_eq!(plain.header(header::CONTENT_ENCODING), "");
    assert_eq!(plain.body, "\0asm wasm");
    assert_eq!(plain.header(header::VARY), "accept-encoding");
}

#[tokio::test]
async fn the_page_and_the_worker_are_revalidated_so_a_new_release_is_seen() {
    let dir = setup();
    for uri in ["/", "/index.html", "/sw.js", "/favicon.svg"] {
        let got = get(dir.path(), uri, Some("br")).await;
        assert_eq!(got.status, StatusCode::OK, "{uri}");
        assert_eq!(got.header(header::CACHE_CONTROL), "no-cache", "{uri}");
        assert_eq!(got.header(header::CONTENT_ENCODING), "br", "{uri}");
    }
}

#[tokio::test]
async fn an_app_address_gets_the_page_and_a_missing_file_a_plain_404() {
    let dir = setup();
    for uri in ["/visits/new", "/records", "/dashboard"] {
        let got = get(dir.path(), uri, None).await;
        assert_eq!(got.status, StatusCode::OK, "{uri}");
        assert!(
            got.body.contains("<title>家家</title>"),
            "{uri}: {}",
            got.body
        );
        assert_eq!(got.header(header::CACHE_CONTROL), "no-cache", "{uri}");
    }
    // The browser's icon request, and an old build's file that a stale page asks for: never
    // the page with a 200 (a worker would cache it as JS), and never cached for a year.
    for uri in ["/favicon.ico", "/app_bg-fedcba9876543210.wasm"] {
        let got = get(dir.path(), uri, Some("br")).await;
        assert_eq!(got.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(!got.body.contains("家家"), "{uri}");
        assert_eq!(got.header(header::CACHE_CONTROL), "no-cache", "{uri}");
    }
}
