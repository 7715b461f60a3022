//! A server over a fresh SQLite file with the demo city, driven in-process.
#![allow(dead_code)]

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use std::io::Cursor;

use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use backend::{AppState, Db, LoginLimiter, app, demo};
use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use chrono::{DateTime, Utc};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tempfile::TempDir;
use tower::ServiceExt;

/// 2026-11-29 10:00 in China.
pub const START: &str = "2026-11-29T02:00:00Z";

pub struct TestApp {
    pub dir: TempDir,
    pub router: Router,
    pub state: AppState,
    /// Seconds added to [`START`]; tests move the clock with [`TestApp::advance`].
    offset: Arc<AtomicI64>,
}

pub struct Response {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Value,
}

impl TestApp {
    pub fn spawn() -> Self {
        Self::spawn_with(|_| {})
    }

    /// `tune` may change the state (session policy, limiter) before the router is built.
    pub fn spawn_with(tune: impl FnOnce(&mut AppState)) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("test.sqlite3");
        let db = Db::open(&path).unwrap();
        let conn = rusqlite::Connection::open(&path).unwrap();
        demo::install_city(&conn, START.parse().unwrap()).unwrap();
        drop(conn);
        let offset = Arc::new(AtomicI64::new(0));
        let o = offset.clone();
        let mut state = AppState::new(db);
        state.clock = Arc::new(move || {
            START.parse::<DateTime<Utc>>().unwrap()
                + chrono::Duration::seconds(o.load(Ordering::SeqCst))
        });
        // Tests log in often; the limiter is tested on its own.
        state.limiter = LoginLimiter::new(
            1000,
            Duration::from_millis(1),
            1000,
            Duration::from_millis(1),
        );
        tune(&mut state);
        let router = app(state.clone(), None);
        TestApp {
            dir,
            router,
            state,
            offset,
        }
    }

    /// A test server over the demo city with its sample records.
    pub fn spawn_with_samples() -> Self {
        let app = Self::spawn();
        let conn = rusqlite::Connection::open(app.db_path()).unwrap();
        let tx = conn.unchecked_transaction().unwrap();
        backend::demo_records::install(&tx, START.parse().unwrap()).unwrap();
        tx.commit().unwrap();
        app
    }

    pub fn db_path(&self) -> std::path::PathBuf {
        self.dir.path().join("test.sqlite3")
    }

    pub fn advance(&self, by: Duration) {
        self.offset.fetch_add(by.as_secs() as i64, Ordering::SeqCst);
    }

    pub async fn request(
        &self,
        method: Method,
        uri: &str,
        cookie: Option<&str>,
        body: Option<&Value>,
        extra: &[(&str, &str)],
    ) -> Response {
        let mut req = Request::builder().method(method).uri(uri);
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        if body.is_some() {
            req = req.header(header::CONTENT_TYPE, "application/json");
        }
        for (k, v) in extra {
            req = req.header(*k, *v);
        }
        let req = req
            .body(
                body.map(|b| Body::from(b.to_string()))
                    .unwrap_or_else(Body::empty),
            )
            .unwrap();
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()))
        };
        Response {
            status,
            headers,
            body,
        }
    }

    /// Logs `username` in with the demo password; returns the Cookie header value.
    pub async fn login(&self, username: &str) -> String {
        let res = self
            .request(
                Method::POST,
                "/api/login",
                None,
                Some(&json!({"username": username, "password": demo::PASSWORD})),
                &[],
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "login {username}: {}", res.body);
        let set = res
            .headers
            .get(header::SET_COOKIE)
            .unwrap()
            .to_str()
            .unwrap();
        set.split(';').next().unwrap().to_owned()
    }

    /// GET `uri` as a file.
    pub async fn download(&self, uri: &str, cookie: &str) -> Download {
        let req = Request::get(uri)
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap();
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes().to_vec();
        Download {
            status,
            headers,
            bytes,
        }
    }

    pub async fn get(&self, uri: &str, cookie: &str) -> Response {
        self.request(Method::GET, uri, Some(cookie), None, &[])
            .await
    }

    pub async fn post(&self, uri: &str, cookie: &str, body: &Value) -> Response {
        self.request(Method::POST, uri, Some(cookie), Some(body), &[])
            .await
    }

    pub async fn put(
        &self,
        uri: &str,
        cookie: &str,
        version: Option<&str>,
        body: &Value,
    ) -> Response {
        let extra: Vec<(&str, &str)> = version.map(|v| ("if-match", v)).into_iter().collect();
        self.request(Method::PUT, uri, Some(cookie), Some(body), &extra)
            .await
    }
}

pub fn visit(id: &str, unit: &str) -> Value {
    json!({
        "id": id,
        "org_unit": unit,
        "parties": [{ "name": "王芳", "address": "3组", "age": "36", "family_role": "妻子", "phone": "138 1234 1234" }],
        "category": "B",
        "summary": "丈夫酒后多次动手",
        "visitor": "李娟",
        "visit_date": "2026-11-20",
        "severe_violence": true,
        "escalation": { "may_intensify": true }
    })
}

pub fn case(id: &str, unit: &str) -> Value {
    json!({
        "id": id,
        "org_unit": unit,
        "channel": "visit",
        "area": "marriage_family",
        "complainant": { "name": "陈丽" },
        "facts": "丈夫不给付生活费",
        "request": "按月给付",
        "stages": [
            { "stage": "applied", "date": "2026-11-02", "handler": "林芳" },
            { "stage": "accepted", "date": "2026-11-02", "handler": "林芳", "complexity": "ordinary" }
        ]
    })
}

pub fn uuid(n: u32) -> String {
    format!("00000000-0000-4000-8000-{n:012}")
}

pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A file the server sent.
pub struct Download {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub bytes: Vec<u8>,
}

impl Download {
    pub fn header(&self, name: header::HeaderName) -> &str {
        self.headers.get(name).unwrap().to_str().unwrap()
    }

    /// The CSV as rows of fields, after checking the BOM.
    pub fn csv(&self) -> Vec<Vec<String>> {
        assert_eq!(self.status, StatusCode::OK);
        assert_eq!(self.header(header::CONTENT_TYPE), "text/csv; charset=utf-8");
        assert!(self.bytes.starts_with(b"\xEF\xBB\xBF"), "no BOM");
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(&self.bytes[3..]);
        reader
            .records()
            .map(|r| r.unwrap().iter().map(str::to_owned).collect())
            .collect()
    }

    /// The only worksheet: its name and its cells as text.
    pub fn xlsx(&self) -> (String, Vec<Vec<String>>) {
        assert_eq!(self.status, StatusCode::OK);
        assert_eq!(self.header(header::CONTENT_TYPE), XLSX);
        let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(self.bytes.clone())).unwrap();
        let names = book.sheet_names();
        assert_eq!(names.len(), 1);
        let range = book.worksheet_range(&names[0]).unwrap();
        let rows = range
            .rows()
            .map(|r| {
                r.iter()
                    .map(|c| match c {
                        Data::Empty => String::new(),
                        Data::String(s) => s.clone(),
                        Data::Float(f) => format!("{f}"),
                        Data::Int(n) => n.to_string(),
                        other => format!("{other}"),
                    })
                    .collect()
            })
            .collect();
        (names[0].clone(), rows)
    }
}
