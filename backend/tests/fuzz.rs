//! Bad input over every endpoint, as property tests against the in-process app on a real
//! SQLite file: malformed JSON, wrong types, missing and extra fields, huge bodies, invalid
//! UTF-8, very long strings, dates out of range, SQL and script text, odd paths, queries and
//! methods.
//!
//! Whatever comes in, every answer is either a success or a 4xx JSON error (`error`,
//! `message`, `message_en`, `fields`; a 422 names at least one field, and a type error or an
//! unknown field names exactly the one sent) — never a 5xx, never a panic; a refused write
//! stores nothing (row counts unchanged); text that was stored comes back byte for byte.
//!
//! `JIAJIA_FUZZ_CASES=n` sets the cases per property (default 96); `PROPTEST_RNG_SEED`
//! replays a run.

mod common;
mod every_kind;

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use common::*;
use every_kind::*;
use http_body_util::BodyExt;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{Value, json};
use tower::ServiceExt;

const SCRIPT: &str = "<script>alert(1)</script>'; DROP TABLE records;--";

/// SQL, script and template text, and other strings that have broken servers.
const NASTY: &[&str] = &[
    SCRIPT,
    "'; DROP TABLE records;--",
    "\" OR 1=1 --",
    "Robert'); DROP TABLE heads;--",
    "1' UNION SELECT body FROM records --",
    "%' OR unit LIKE '%",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "javascript:alert(1)",
    "{{7*7}}${7*7}",
    "${jndi:ldap://x/a}",
    "=HYPERLINK(\"http://x\")",
    "../../../../etc/passwd",
    "\u{0}\u{1}\u{7f}",
    "\u{202e}abc\u{200b}",
    "\u{feff}王芳",
    "𝕏😀👩‍👩‍👧",
    "\\u0000\\\"",
    "NULL",
    "null",
    "undefined",
    "\r\n\r\nHTTP/1.1 200 OK",
];

/// Dates out of range or out of shape.
const DATES: &[&str] = &[
    "0000-01-01",
    "0001-01-01",
    "1000-01-01",
    "1899-12-31",
    "1900-02-29",
    "2026-02-29",
    "2026-02-30",
    "2026-13-01",
    "2026-00-10",
    "2026-11-00",
    "2026-11-31",
    "2026-1-1",
    "26-11-01",
    "2026/11/01",
    "2026-11-01T00:00:00Z",
    "+2026-11-01",
    "-2026-11-01",
    "+10000-01-01",
    "262143-12-31",
    "262144-01-01",
    "-262144-01-01",
    "9999-12-31",
    "2026-11-30",
    "2099-01-01",
    "２０２６-１１-０１",
    "2026-11",
    "2026",
    "0",
];

/// Numbers as people should not type them.
const NUMBERS: &[&str] = &[
    "-1",
    "1e309",
    "99999999999999999999999",
    "18446744073709551616",
    "-9223372036854775809",
    "0x10",
    "NaN",
    "Infinity",
    "1.5",
    "1,000",
    "１２",
    "",
    " ",
];

/// Byte sequences that are not UTF-8: a stray byte, a bad continuation, a surrogate, an
/// overlong slash, a five-byte form, a lone continuation byte.
const NOT_UTF8: &[&[u8]] = &[
    b"\xff",
    b"\xc3\x28",
    b"\xed\xa0\x80",
    b"\xc0\xaf",
    b"\xf8\x88\x80\x80\x80",
    b"\x80",
];

fn cases() -> u32 {
    std::env::var("JIAJIA_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(96)
}

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        // Shrinking re-runs requests against a server whose data moved on; a few steps are
        // enough to make a failure readable.
        max_shrink_iters: 200,
        ..Config::default()
    })
}

// ---------------------------------------------------------------------------------------------
// The server, and what every answer must be.

struct Fuzz {
    rt: tokio::runtime::Runtime,
    app: TestApp,
    sessions: HashMap<&'static str, String>,
    next: AtomicU32,
}

struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    bytes: Bytes,
    json: Value,
}

impl Fuzz {
    fn new() -> Self {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let app = TestApp::spawn();
        let mut sessions = HashMap::new();
        for user in ["linzi", "baipu", "city", "admin"] {
            sessions.insert(user, rt.block_on(app.login(user)));
        }
        Fuzz {
            rt,
            app,
            sessions,
            next: AtomicU32::new(1),
        }
    }

    fn fresh_id(&self) -> String {
        uuid(self.next.fetch_add(1, Ordering::SeqCst))
    }

    fn counts(&self) -> (i64, i64, i64) {
        counts(&self.app.db_path())
    }

    fn sessions_in_db(&self) -> i64 {
        rusqlite::Connection::open(self.app.db_path())
            .unwrap()
            .query_row("SELECT count(*) FROM sessions", [], |r| r.get(0))
            .unwrap()
    }

    /// Sends one request as it comes (any bytes, any headers).
    fn send(
        &self,
        method: Method,
        uri: &str,
        user: Option<&str>,
        headers: &[(&str, &str)],
        body: Body,
    ) -> Answer {
        let mut req = Request::builder().method(method).uri(uri);
        if let Some(u) = user {
            req = req.header(header::COOKIE, &self.sessions[u]);
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let req = req.body(body).unwrap();
        self.rt.block_on(async {
            let res = self.app.router.clone().oneshot(req).await.unwrap();
            let status = res.status();
            let headers = res.headers().clone();
            let bytes = res.into_body().collect().await.unwrap().to_bytes();
            let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
            Answer {
                status,
                headers,
                bytes,
                json,
            }
        })
    }

    fn send_json(
        &self,
        method: Method,
        uri: &str,
        user: &str,
        extra: &[(&str, &str)],
        body: Vec<u8>,
    ) -> Answer {
        let mut headers = vec![("content-type", "application/json")];
        headers.extend_from_slice(extra);
        self.send(method, uri, Some(user), &headers, Body::from(body))
    }
}

/// What every answer must be, whatever was asked: no 5xx; an error is JSON of the one shape,
/// and a 422 names its fields.
fn well_formed(a: &Answer, what: &str) -> Result<(), TestCaseError> {
    let s = a.status.as_u16();
    prop_assert!(s < 500, "{what}: {s} {}", String::from_utf8_lossy(&a.bytes));
    if s >= 400 {
        let ct = a
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        prop_assert!(
            ct.starts_with("application/json"),
            "{what}: {s} answered with {ct:?}: {:?}",
            String::from_utf8_lossy(&a.bytes)
        );
        let j = &a.json;
        prop_assert!(
            j["error"].is_string()
                && j["message"].is_string()
                && j["message_en"].is_string()
                && j["fields"].is_array(),
            "{what}: {s} {j}"
        );
        if s == 422 {
            let fields = j["fields"].as_array().unwrap();
            prop_assert!(!fields.is_empty(), "{what}: a 422 names its fields: {j}");
            for f in fields {
                prop_assert!(
                    f["field"].is_string()
                        && f["code"].is_string()
                        && !f["message"].as_str().unwrap_or("").is_empty()
                        && !f["message_en"].as_str().unwrap_or("").is_empty(),
                    "{what}: {f}"
                );
            }
        }
    }
    Ok(())
}

fn named(a: &Answer) -> Vec<String> {
    a.json["fields"]
        .as_array()
        .map(|f| {
            f.iter()
                .filter_map(|f| f["field"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// Paths into a form, and changes to it.

#[derive(Clone, Debug, PartialEq)]
enum Seg {
    Key(String),
    Index(usize),
}

/// `parties[0].name`, as the server names fields.
fn dotted(path: &[Seg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Seg::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

fn at<'a>(v: &'a mut Value, path: &[Seg]) -> &'a mut Value {
    path.iter().fold(v, |v, seg| match seg {
        Seg::Key(k) => &mut v[k.as_str()],
        Seg::Index(i) => &mut v[*i],
    })
}

fn get<'a>(v: &'a Value, path: &[Seg]) -> Option<&'a Value> {
    path.iter().try_fold(v, |v, seg| match seg {
        Seg::Key(k) => v.get(k.as_str()),
        Seg::Index(i) => v.get(*i),
    })
}

/// Every path below the root, and every object's path (the root's included).
fn paths_of(v: &Value) -> (Vec<Vec<Seg>>, Vec<Vec<Seg>>) {
    fn walk(v: &Value, here: &mut Vec<Seg>, all: &mut Vec<Vec<Seg>>, objects: &mut Vec<Vec<Seg>>) {
        match v {
            Value::Object(m) => {
                objects.push(here.clone());
                for (k, c) in m {
                    here.push(Seg::Key(k.clone()));
                    all.push(here.clone());
                    walk(c, here, all, objects);
                    here.pop();
                }
            }
            Value::Array(a) => {
                for (i, c) in a.iter().enumerate() {
                    here.push(Seg::Index(i));
                    all.push(here.clone());
                    walk(c, here, all, objects);
                    here.pop();
                }
            }
            _ => {}
        }
    }
    let (mut all, mut objects) = (Vec::new(), Vec::new());
    walk(v, &mut Vec::new(), &mut all, &mut objects);
    (all, objects)
}

#[derive(Clone, Debug)]
enum Change {
    /// A value of another JSON type (or `null`) in place of the field's.
    Retype(prop::sample::Index, Value),
    /// The field left out.
    Remove(prop::sample::Index),
    /// An unknown field next to the others.
    Extra(prop::sample::Index, String, Value),
    /// Other text in the field: long, a bad date or number, SQL or script, any Unicode.
    Text(prop::sample::Index, String),
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(NASTY).prop_map(str::to_owned),
        prop::sample::select(DATES).prop_map(str::to_owned),
        prop::sample::select(NUMBERS).prop_map(str::to_owned),
        (
            prop::sample::select(&["x", "王", "😀", " ", "\u{0}", "'"][..]),
            prop::sample::select(&[33usize, 101, 201, 501, 2_001, 20_001, 90_001][..]),
        )
            .prop_map(|(c, n)| c.repeat(n)),
        any::<String>(),
        "\\PC{0,40}",
    ]
}

fn other_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        Just(json!([])),
        Just(json!({})),
        Just(json!([1, "a", null])),
        Just(json!({"a": {"b": [null]}})),
        text().prop_map(Value::from),
    ]
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        (any::<prop::sample::Index>(), other_value()).prop_map(|(i, v)| Change::Retype(i, v)),
        any::<prop::sample::Index>().prop_map(Change::Remove),
        (
            any::<prop::sample::Index>(),
            prop_oneof![
                Just("level".to_owned()),
                Just("assessment".to_owned()),
                Just("version".to_owned()),
                Just("author".to_owned()),
                "[a-z_]{1,12}",
                text(),
            ],
            other_value()
        )
            .prop_map(|(i, k, v)| Change::Extra(i, k, v)),
        (any::<prop::sample::Index>(), text()).prop_map(|(i, t)| Change::Text(i, t)),
    ]
}

/// What a change is expected to do, beyond being answered well.
#[derive(Debug)]
enum Expect {
    /// A type error or unknown field: 422 naming exactly this field.
    Names(String),
    /// Text that, if stored, must come back byte for byte at this path.
    Verbatim(Vec<Seg>, String),
    Anything,
}

/// Applies `change` to a form of `kind`.
fn apply(kind: Kind, form: &mut Value, change: &Change) -> Expect {
    let (all, objects) = paths_of(form);
    match change {
        Change::Retype(i, v) => {
            let path = i.get(&all).clone();
            let slot = at(form, &path);
            let same_type = std::mem::discriminant(slot) == std::mem::discriminant(v);
            // serde reads a struct from an array of its fields in order, too.
            let positional = slot.is_object() && v.is_array();
            // The 考核 form takes whole numbers for its figures as typed or as numbers.
            let lenient =
                kind.stored == "town_assessment" && slot.is_string() && (v.is_i64() || v.is_u64());
            *slot = v.clone();
            // `null` is an empty field; a string may be a wrong one rather than a wrong type.
            if v.is_null() || v.is_string() || same_type || positional || lenient {
                Expect::Anything
            } else {
                Expect::Names(dotted(&path))
            }
        }
        Change::Remove(i) => {
            let path = i.get(&all).clone();
            let (last, parent) = path.split_last().unwrap();
            match (at(form, parent), last) {
                (Value::Object(m), Seg::Key(k)) => {
                    m.remove(k);
                }
                (Value::Array(a), Seg::Index(i)) => {
                    a.remove(*i);
                }
                _ => unreachable!(),
            }
            Expect::Anything
        }
        Change::Extra(i, key, v) => {
            let path = i.get(&objects).clone();
            let obj = at(form, &path).as_object_mut().unwrap();
            if obj.contains_key(key) {
                return Expect::Anything;
            }
            obj.insert(key.clone(), v.clone());
            let mut full = path.clone();
            full.push(Seg::Key(key.clone()));
            // The 考核 items are a map keyed by item id: an unknown one is a field error there,
            // named by the rules rather than by the JSON reader.
            if path.first() == Some(&Seg::Key("items".into())) || key.contains(['.', '[']) {
                Expect::Anything
            } else {
                Expect::Names(dotted(&full))
            }
        }
        Change::Text(i, t) => {
            let path = i.get(&all).clone();
            *at(form, &path) = Value::String(t.clone());
            Expect::Verbatim(path, t.clone())
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Bodies.

/// Changed forms of every kind, posted as new records and sent as edits of a stored one.
#[test]
fn changed_forms_are_stored_whole_or_refused_naming_the_field() {
    let f = Fuzz::new();
    // A stored record of each kind, to edit; its current version.
    let bases: Vec<(String, Mutex<i64>)> = KINDS
        .iter()
        .map(|kind| {
            let (unit, user) = home(*kind);
            let id = f.fresh_id();
            let a = f.send_json(
                Method::POST,
                &format!("/api/{}", kind.path),
                user,
                &[],
                form(*kind, &id, unit).to_string().into_bytes(),
            );
            assert_eq!(a.status, StatusCode::CREATED, "{}", a.json);
            (id, Mutex::new(1))
        })
        .collect();
    let tally = Mutex::new(HashMap::<String, u32>::new());
    let strategy = (
        0..KINDS.len(),
        prop::collection::vec(change(), 1..4),
        any::<bool>(),
        prop_oneof![
            Just(None),
            Just(Some("0".to_owned())),
            Just(Some("\"999\"".to_owned())),
            "\\PC{0,12}".prop_map(Some)
        ],
    );
    runner(cases() * 4)
        .run(&strategy, |(k, changes, as_edit, if_match)| {
            let kind = KINDS[k];
            let (unit, user) = home(kind);
            let (base_id, version) = &bases[k];
            let id = if as_edit {
                base_id.clone()
            } else {
                f.fresh_id()
            };
            let mut body = form(kind, &id, unit);
            let mut expect = Expect::Anything;
            for c in &changes {
                expect = apply(kind, &mut body, c);
            }
            if changes.len() > 1 {
                // Only the last change's own effect is predictable.
                if let Expect::Names(_) = expect {
                    expect = Expect::Anything;
                }
            }
            let before = f.counts();
            let mut current = version.lock().unwrap();
            let (method, uri, match_header) = if as_edit {
                let m = if_match.clone().unwrap_or_else(|| current.to_string());
                (
                    Method::PUT,
                    format!("/api/{}/{base_id}", kind.path),
                    Some(m),
                )
            } else {
                (Method::POST, format!("/api/{}", kind.path), None)
            };
            let extra: Vec<(&str, &str)> = match_header
                .as_deref()
                .map(|m| ("if-match", m))
                .into_iter()
                .collect();
            let a = f.send_json(
                method.clone(),
                &uri,
                user,
                &extra,
                body.to_string().into_bytes(),
            );
            let what = format!("{method} {uri} {changes:?} → {expect:?}");
            well_formed(&a, &what)?;
            let after = f.counts();
            let s = a.status;
            *tally
                .lock()
                .unwrap()
                .entry(format!("{method} {}", s.as_u16()))
                .or_default() += 1;
            if as_edit {
                prop_assert!(
                    [200, 400, 404, 409, 413, 422, 428].contains(&s.as_u16()),
                    "{what}: {s} {}",
                    a.json
                );
                if s == StatusCode::OK {
                    let v = a.json["version"].as_i64().unwrap();
                    prop_assert!(v == *current || v == *current + 1, "{what}: version {v}");
                    prop_assert_eq!(after.0 - before.0, v - *current, "{}", what);
                    prop_assert_eq!(after.1, before.1, "{}", what);
                    *current = v;
                } else {
                    prop_assert_eq!(after, before, "{}: refused, yet something was stored", what);
                }
            } else {
                prop_assert!(
                    [201, 400, 404, 413, 422].contains(&s.as_u16()),
                    "{what}: {s} {}",
                    a.json
                );
                if s == StatusCode::CREATED {
                    prop_assert_eq!(
                        after,
                        (before.0 + 1, before.1 + 1, before.2 + 1),
                        "{}",
                        what
                    );
                } else {
                    prop_assert_eq!(after, before, "{}: refused, yet something was stored", what);
                }
            }
            match &expect {
                // (An unreadable If-Match is answered before the body is read, and a body too
                // big is not read at all.)
                Expect::Names(field)
                    if s != StatusCode::PRECONDITION_REQUIRED
                        && s != StatusCode::PAYLOAD_TOO_LARGE =>
                {
                    prop_assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{}: {}", what, a.json);
                    prop_assert_eq!(named(&a), vec![field.clone()], "{}", what);
                }
                Expect::Verbatim(path, t) if s.is_success() => {
                    // Stored: the text is in the record exactly as sent, in the answer and
                    // when read back.
                    if let Some(Value::String(stored)) = get(&a.json["record"], path)
                        && stored.trim() == t.trim()
                        && !t.trim().is_empty()
                    {
                        let rid = a.json["record"]["id"].as_str().unwrap().to_owned();
                        let back = f.send(
                            Method::GET,
                            &format!("/api/{}/{rid}", kind.path),
                            Some(user),
                            &[],
                            Body::empty(),
                        );
                        prop_assert_eq!(back.status, StatusCode::OK);
                        prop_assert_eq!(
                            get(&back.json["record"], path),
                            Some(&Value::String(stored.clone()))
                        );
                        // Stored as sent, but for the white space around it (forms trim).
                        if NASTY.contains(&t.as_str()) {
                            prop_assert_eq!(
                                stored.as_str(),
                                t.trim(),
                                "{}: stored text changed",
                                what
                            );
                        }
                    }
                }
                _ => {}
            }
            Ok(())
        })
        .unwrap();
    eprintln!("answers: {:?}", tally.lock().unwrap());
}

/// Bodies that are not JSON, not UTF-8, not whole, too deep or too big, or not said to be JSON.
#[test]
fn broken_bodies_are_refused_with_a_json_error_and_store_nothing() {
    let f = Fuzz::new();
    let bases: Vec<String> = KINDS
        .iter()
        .map(|kind| {
            let (unit, user) = home(*kind);
            let id = f.fresh_id();
            let a = f.send_json(
                Method::POST,
                &format!("/api/{}", kind.path),
                user,
                &[],
                form(*kind, &id, unit).to_string().into_bytes(),
            );
            assert_eq!(a.status, StatusCode::CREATED, "{}", a.json);
            id
        })
        .collect();
    #[derive(Debug, Clone)]
    enum Break {
        /// The JSON cut short.
        Truncate(prop::sample::Index),
        /// Bytes that are not UTF-8 inside a string.
        NotUtf8(prop::sample::Index, &'static [u8]),
        /// Any bytes.
        Bytes(Vec<u8>),
        /// A byte changed.
        Flip(prop::sample::Index, u8),
        /// Deeply nested arrays in a field.
        Deep(usize),
        /// The same field twice.
        Twice(prop::sample::Index),
    }
    let strategy = (
        0..KINDS.len(),
        any::<bool>(),
        prop_oneof![
            any::<prop::sample::Index>().prop_map(Break::Truncate),
            (any::<prop::sample::Index>(), prop::sample::select(NOT_UTF8))
                .prop_map(|(i, b)| Break::NotUtf8(i, b)),
            prop::collection::vec(any::<u8>(), 0..200).prop_map(Break::Bytes),
            (any::<prop::sample::Index>(), any::<u8>()).prop_map(|(i, b)| Break::Flip(i, b)),
            prop::sample::select(&[129usize, 1_000, 100_000][..]).prop_map(Break::Deep),
            any::<prop::sample::Index>().prop_map(Break::Twice),
        ],
    );
    let tally = Mutex::new(HashMap::<String, u32>::new());
    runner(cases() * 2)
        .run(&strategy, |(k, as_edit, brk)| {
            let kind = KINDS[k];
            let (unit, user) = home(kind);
            let id = if as_edit {
                bases[k].clone()
            } else {
                f.fresh_id()
            };
            let good = form(kind, &id, unit).to_string().into_bytes();
            let body: Vec<u8> = match &brk {
                Break::Truncate(i) => good[..i.index(good.len())].to_vec(),
                Break::NotUtf8(i, bad) => {
                    // Inside the n-th string value: right after an opening quote.
                    let quotes: Vec<usize> = good
                        .iter()
                        .enumerate()
                        .filter(|(j, b)| **b == b'"' && *j > 0 && good[*j - 1] == b':')
                        .map(|(j, _)| j + 1)
                        .collect();
                    let p = *i.get(&quotes);
                    [&good[..p], bad, &good[p..]].concat()
                }
                Break::Bytes(b) => b.clone(),
                Break::Flip(i, b) => {
                    let mut g = good.clone();
                    let p = i.index(g.len());
                    g[p] = *b;
                    g
                }
                Break::Deep(n) => {
                    // In place of the first field that holds a list or an object.
                    let mut v = form(kind, &id, unit);
                    let key = v
                        .as_object()
                        .unwrap()
                        .iter()
                        .find(|(_, x)| x.is_array() || x.is_object())
                        .map(|(k, _)| k.clone())
                        .unwrap_or_else(|| "id".into());
                    v[key.as_str()] = json!("@@DEEP@@");
                    let s = v.to_string();
                    s.replace(
                        "\"@@DEEP@@\"",
                        &format!("{}{}", "[".repeat(*n), "]".repeat(*n)),
                    )
                    .into_bytes()
                }
                Break::Twice(i) => {
                    let v = form(kind, &id, unit);
                    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
                    let key = *i.get(&keys);
                    let s = v.to_string();
                    format!("{{\"{key}\":{},{}", json!("again"), &s[1..]).into_bytes()
                }
            };
            if body == good {
                return Ok(()); // the break changed nothing
            }
            let before = f.counts();
            let (method, uri) = if as_edit {
                (Method::PUT, format!("/api/{}/{id}", kind.path))
            } else {
                (Method::POST, format!("/api/{}", kind.path))
            };
            let a = f.send_json(method.clone(), &uri, user, &[("if-match", "1")], body);
            let what = format!("{method} {uri} {brk:?}");
            well_formed(&a, &what)?;
            *tally
                .lock()
                .unwrap()
                .entry(format!("{} {}", method, a.status.as_u16()))
                .or_default() += 1;
            let s = a.status.as_u16();
            match brk {
                Break::NotUtf8(..) => {
                    prop_assert_eq!(s, 400, "{}: {}", what, a.json);
                    prop_assert_eq!(&a.json["error"], "bad_json");
                }
                Break::Deep(_) => prop_assert!(s == 400 || s == 422, "{what}: {s}"),
                Break::Twice(_) => prop_assert!(s == 400 || s == 422, "{what}: {s}"),
                _ => {}
            }
            if !a.status.is_success() {
                prop_assert_eq!(
                    f.counts(),
                    before,
                    "{}: refused, yet something was stored",
                    what
                );
            } else {
                // A flipped byte can still make a valid form (a digit in a date, say).
                prop_assert!(matches!(brk, Break::Flip(..)), "{what}: {s}");
            }
            Ok(())
        })
        .unwrap();
    eprintln!("answers: {:?}", tally.lock().unwrap());

    // Too big, with and without a length; said to be something else than JSON.
    let before = f.counts();
    for kind in KINDS {
        let (unit, user) = home(kind);
        let uri = format!("/api/{}", kind.path);
        for size in [backend::routes::BODY_LIMIT + 1, 4 * 1024 * 1024] {
            let mut v = form(kind, &f.fresh_id(), unit);
            v["x"] = json!("王".repeat(size / 3 + 1));
            let bytes = v.to_string().into_bytes();
            let a = f.send_json(Method::POST, &uri, user, &[], bytes.clone());
            well_formed(&a, &uri).unwrap();
            assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE, "{uri} {size}");
            assert_eq!(a.json["error"], "too_large");
            // Streamed in pieces, with no Content-Length.
            let chunks: Vec<Result<Bytes, std::io::Error>> = bytes
                .chunks(64 * 1024)
                .map(|c| Ok(Bytes::copy_from_slice(c)))
                .collect();
            let body = Body::from_stream(futures_util::stream::iter(chunks));
            let a = f.send(
                Method::POST,
                &uri,
                Some(user),
                &[("content-type", "application/json")],
                body,
            );
            well_formed(&a, &uri).unwrap();
            assert_eq!(
                a.status,
                StatusCode::PAYLOAD_TOO_LARGE,
                "{uri} streamed {size}"
            );
        }
        let good = form(kind, &f.fresh_id(), unit).to_string();
        for ct in [
            None,
            Some("text/plain"),
            Some("application/x-www-form-urlencoded"),
            Some("multipart/form-data; boundary=x"),
            Some("application/jsonp"),
            Some("json"),
        ] {
            let headers: Vec<(&str, &str)> = ct.map(|c| ("content-type", c)).into_iter().collect();
            let a = f.send(
                Method::POST,
                &uri,
                Some(user),
                &headers,
                Body::from(good.clone()),
            );
            well_formed(&a, &uri).unwrap();
            assert_eq!(
                a.status,
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "{uri} as {ct:?}"
            );
        }
    }
    assert_eq!(f.counts(), before);
}

// ---------------------------------------------------------------------------------------------
// Queries, paths and methods.

/// Every GET endpoint that reads a query, its parameters, and who may ask it.
fn query_endpoints() -> Vec<(String, &'static [&'static str])> {
    const LIST: &[&str] = &["unit", "from", "to", "status", "category", "level", "limit"];
    let mut out: Vec<(String, &'static [&'static str])> = paths()
        .into_iter()
        .map(|p| (format!("/api/{p}"), LIST))
        .collect();
    out.push(("/api/views/warnings".into(), &["unit", "severity"]));
    out.push(("/api/views/completeness".into(), &["town", "month"]));
    out.push(("/api/views/ranking".into(), &["year"]));
    out.push(("/api/views/statistics".into(), &["unit", "from", "to"]));
    for e in ["key-persons", "visits", "monthly-reports"] {
        for ext in ["csv", "xlsx"] {
            out.push((format!("/api/export/{e}.{ext}"), LIST));
        }
    }
    for ext in ["csv", "xlsx"] {
        out.push((format!("/api/export/assessments.{ext}"), &["year"]));
        out.push((
            format!("/api/export/warnings.{ext}"),
            &["unit", "severity", "lang"],
        ));
        out.push((
            format!("/api/export/rights-cases-due.{ext}"),
            &["unit", "lang"],
        ));
        out.push((
            format!("/api/export/completeness.{ext}"),
            &["town", "from", "to", "lang"],
        ));
        out.push((
            format!("/api/export/statistics.{ext}"),
            &["unit", "from", "to", "lang"],
        ));
    }
    out.push(("/api/audit".into(), &["after", "limit"]));
    out
}

const UNITS_ISH: &[&str] = &[
    "rugao",
    "rugao/baipu",
    "rugao/changjiang",
    "rugao/baipu/linzi",
    "rugao/baipu/xinhe",
    "rugao/%",
    "rugao/baipu/_inzi",
    "rugao/baipu/../changjiang",
    "rugao/",
    "/",
    "rugao\\",
    "RUGAO",
    "rugao/baipu/linzi/x",
];

const OTHER_VALUES: &[&str] = &[
    "2026-10",
    "0000-01",
    "9999-12",
    "2026-13",
    "+10000-01",
    "-0001-12",
    "2018",
    "1999",
    "65536",
    "-1",
    "2018.0",
    "critical",
    "high",
    "medium",
    "low",
    "extreme",
    "red",
    "orange",
    "yellow",
    "green",
    "open",
    "resolved",
    "A",
    "B",
    "C",
    "woman",
    "0",
    "5000",
    "5001",
    "4294967296",
    "9223372036854775807",
    "-9223372036854775808",
];

/// Raw bits of a query string that no encoder would make.
const RAW: &[&str] = &[
    "%ff", "%zz", "%", "%00", "&&", "=", "==", "+", "%c3%28", "a[]=1", "a[b]=2",
];

fn query_value() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(UNITS_ISH).prop_map(str::to_owned),
        prop::sample::select(OTHER_VALUES).prop_map(str::to_owned),
        prop::sample::select(DATES).prop_map(str::to_owned),
        prop::sample::select(NUMBERS).prop_map(str::to_owned),
        prop::sample::select(NASTY).prop_map(str::to_owned),
        (prop::sample::select(&["x", "王", "%"][..]), 1usize..3000).prop_map(|(c, n)| c.repeat(n)),
        any::<String>(),
    ]
}

fn encode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// The keys of a query string as the server reads them (`+` is a space, `%xx` decoded, bad
/// UTF-8 replaced).
fn decoded_keys(query: &str) -> Vec<String> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let k = p.split('=').next().unwrap_or("").replace('+', " ");
            percent_encoding::percent_decode_str(&k)
                .decode_utf8_lossy()
                .into_owned()
        })
        .collect()
}

#[test]
fn odd_queries_are_answered_or_refused_naming_the_parameter() {
    let f = Fuzz::new();
    // Something to find: a record of each kind.
    for kind in KINDS {
        let (unit, user) = home(kind);
        let a = f.send_json(
            Method::POST,
            &format!("/api/{}", kind.path),
            user,
            &[],
            marked(kind, &f.fresh_id(), unit, SCRIPT)
                .to_string()
                .into_bytes(),
        );
        assert_eq!(a.status, StatusCode::CREATED, "{}", a.json);
    }
    let endpoints = query_endpoints();
    let strategy = (
        any::<prop::sample::Index>(),
        prop::sample::select(&["linzi", "baipu", "city", "admin"][..]),
        prop::collection::vec(
            prop_oneof![
                // A parameter the endpoint knows, with any value.
                4 => (any::<prop::sample::Index>(), query_value())
                    .prop_map(|(i, v)| (Some(i), String::new(), v)),
                // One it does not know.
                1 => ("[a-z_]{1,10}|\\PC{1,10}", query_value()).prop_map(|(k, v)| (None, k, v)),
            ],
            0..4,
        ),
        prop::option::of(prop::sample::select(RAW)),
    );
    let tally = Mutex::new(HashMap::<u16, u32>::new());
    let before = f.counts();
    runner(cases() * 4)
        .run(&strategy, |(e, user, params, raw)| {
            let (path, known) = e.get(&endpoints);
            let mut parts: Vec<String> = params
                .iter()
                .map(|(i, k, v)| {
                    let key = match i {
                        Some(i) => (*i.get(known)).to_owned(),
                        None => k.clone(),
                    };
                    format!("{}={}", encode(&key), encode(v))
                })
                .collect();
            if let Some(r) = raw {
                parts.push(r.to_owned());
            }
            let query = parts.join("&");
            let uri = if query.is_empty() {
                path.clone()
            } else {
                format!("{path}?{query}")
            };
            let a = f.send(Method::GET, &uri, Some(user), &[], Body::empty());
            let what = format!("{user} GET {uri}");
            well_formed(&a, &what)?;
            let s = a.status.as_u16();
            *tally.lock().unwrap().entry(s).or_default() += 1;
            let forbidden = path == "/api/audit" && user != "admin";
            let allowed: &[u16] = if forbidden { &[403] } else { &[200, 404, 422] };
            prop_assert!(allowed.contains(&s), "{what}: {s} {}", a.json);
            if s == 422 {
                let keys = decoded_keys(&query);
                for field in named(&a) {
                    prop_assert!(
                        keys.contains(&field),
                        "{what}: names {field:?}, sent {keys:?}"
                    );
                }
            }
            Ok(())
        })
        .unwrap();
    assert_eq!(f.counts(), before, "reading stored something");
    eprintln!("answers: {:?}", tally.lock().unwrap());
}

/// Each parameter with a value that cannot be right is refused, naming it.
#[test]
fn a_bad_parameter_is_named() {
    let f = Fuzz::new();
    let mut checked = 0;
    for (path, known) in query_endpoints() {
        for key in known.iter().copied() {
            let bad: &[&str] = match key {
                "from" | "to" => &["yesterday", "2026-02-30", "2026-13-01", "+10000-01-01"],
                "limit" => &["0", "-1", "lots", "10001", "4294967296"],
                "after" => &["-1", "first", "1.5", "9223372036854775808"],
                "year" => &["1999", "10000", "twenty", "2018.0"],
                "month" => &["2026-13", "10/2026", "9999-12"],
                "severity" => &["extreme", "1"],
                // Units: outside one's own, or unknown, is 404 (nothing is revealed).
                _ => continue,
            };
            for value in bad {
                let uri = format!("{path}?{key}={}", encode(value));
                let a = f.send(Method::GET, &uri, Some("admin"), &[], Body::empty());
                well_formed(&a, &uri).unwrap();
                assert_eq!(
                    a.status,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "{uri}: {}",
                    a.json
                );
                assert_eq!(named(&a), vec![key.to_owned()], "{uri}");
                checked += 1;
            }
        }
        let uri = format!("{path}?colour=red");
        let a = f.send(Method::GET, &uri, Some("admin"), &[], Body::empty());
        assert_eq!(
            a.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{uri}: {}",
            a.json
        );
        assert_eq!(named(&a), vec!["colour".to_owned()], "{uri}");
        checked += 1;
    }
    eprintln!("{checked} bad parameters named");
}

/// Record ids in the path that are no ids, ids in other spellings, and methods no route has:
/// JSON answers, nothing stored.
#[test]
fn odd_paths_and_methods_get_json_answers() {
    let f = Fuzz::new();
    let stored: Vec<String> = KINDS
        .iter()
        .map(|kind| {
            let (unit, user) = home(*kind);
            let id = f.fresh_id();
            let a = f.send_json(
                Method::POST,
                &format!("/api/{}", kind.path),
                user,
                &[],
                form(*kind, &id, unit).to_string().into_bytes(),
            );
            assert_eq!(a.status, StatusCode::CREATED, "{}", a.json);
            id
        })
        .collect();
    let segment = prop_oneof![
        prop::sample::select(
            &[
                "%ff",
                "%c3%28",
                "%00",
                "..",
                "%2e%2e",
                "%2F",
                "a%2Fb",
                "'%20OR%20'1'%3D'1",
                "00000000-0000-0000-0000-000000000000",
                "ffffffff-ffff-ffff-ffff-ffffffffffff",
                "%7B00000000-0000-4000-8000-000000000001%7D",
                "urn:uuid:00000000-0000-4000-8000-000000000001",
                "00000000000040008000000000000001",
                "00000000-0000-4000-8000-00000000000G",
                "%E7%8E%8B",
            ][..]
        )
        .prop_map(str::to_owned),
        any::<prop::sample::Index>().prop_map(|i| i.get(&stored).to_uppercase()),
        (1usize..20_000).prop_map(|n| "a".repeat(n)),
        any::<String>().prop_map(|s| encode(&s)),
    ];
    let method = prop::sample::select(
        &[
            "GET", "PUT", "POST", "DELETE", "PATCH", "OPTIONS", "TRACE", "HEAD", "CONNECT", "FOO",
        ][..],
    );
    let strategy = (0..KINDS.len(), segment, method, 0..4usize);
    let tally = Mutex::new(HashMap::<u16, u32>::new());
    runner(cases() * 2)
        .run(&strategy, |(k, seg, method, shape)| {
            let kind = KINDS[k];
            let (unit, user) = home(kind);
            let uri = match shape {
                0 => format!("/api/{}/{seg}", kind.path),
                1 => format!("/api/{}/{seg}/versions", kind.path),
                2 => format!("/api/{}", kind.path),
                _ => format!("/api/{seg}"),
            };
            let method = Method::from_bytes(method.as_bytes()).unwrap();
            let body = form(kind, &f.fresh_id(), unit).to_string().into_bytes();
            let before = f.counts();
            let a = f.send_json(method.clone(), &uri, user, &[("if-match", "1")], body);
            let what = format!("{method} {uri}");
            if method == Method::HEAD {
                // No body to a HEAD; the status is the GET's.
                prop_assert!(a.status.as_u16() < 500, "{what}: {}", a.status);
            } else {
                well_formed(&a, &what)?;
            }
            *tally.lock().unwrap().entry(a.status.as_u16()).or_default() += 1;
            let grown = f.counts().0 - before.0;
            let wrote = (method == Method::POST && shape == 2 && a.status == StatusCode::CREATED)
                || (method == Method::PUT && shape == 0 && a.status == StatusCode::OK);
            prop_assert_eq!(grown, i64::from(wrote), "{}: {}", what, a.status);
            Ok(())
        })
        .unwrap();
    eprintln!("answers: {:?}", tally.lock().unwrap());
}

/// What the properties above found, each asked once: these answered plain text, an empty body,
/// or took a bad value for its default, before they were fixed.
#[test]
fn found_by_fuzzing() {
    let f = Fuzz::new();
    // An id that is not UTF-8 once decoded: was axum's plain-text 400.
    for uri in [
        "/api/visits/%ff",
        "/api/visits/%c3%28/versions",
        "/api/town-assessments/%80",
    ] {
        let a = f.send(Method::GET, uri, Some("linzi"), &[], Body::empty());
        well_formed(&a, uri).unwrap();
        assert_eq!(
            (a.status, a.json["error"].as_str()),
            (StatusCode::NOT_FOUND, Some("not_found"))
        );
    }
    let a = f.send_json(
        Method::PUT,
        "/api/visits/%ff",
        "linzi",
        &[("if-match", "1")],
        b"{}".to_vec(),
    );
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    // `/api/` itself: was an empty 404 (and the app's page when serving it).
    for method in [Method::GET, Method::POST] {
        let a = f.send(method.clone(), "/api/", Some("linzi"), &[], Body::empty());
        well_formed(&a, "/api/").unwrap();
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{method} /api/");
    }
    // A method no route has: was a 405 with an empty body.
    for (method, uri) in [
        (Method::DELETE, "/api/visits"),
        (
            Method::DELETE,
            "/api/visits/00000000-0000-4000-8000-000000000001",
        ),
        (
            Method::PATCH,
            "/api/rights-cases/00000000-0000-4000-8000-000000000001",
        ),
        (Method::POST, "/api/views/warnings"),
        (Method::PUT, "/api/audit"),
        (Method::GET, "/api/login"),
        (Method::POST, "/healthz"),
    ] {
        let a = f.send(method.clone(), uri, Some("linzi"), &[], Body::empty());
        let what = format!("{method} {uri}");
        well_formed(&a, &what).unwrap();
        assert_eq!(a.status, StatusCode::METHOD_NOT_ALLOWED, "{what}");
        assert_eq!(a.json["error"], "method_not_allowed", "{what}");
        assert!(a.headers.contains_key(header::ALLOW), "{what}");
    }
    // The audit log's paging parameters: a bad one was taken for its default.
    for q in [
        "after=first",
        "after=-1",
        "limit=0",
        "limit=lots",
        "limit=10001",
    ] {
        let uri = format!("/api/audit?{q}");
        let a = f.send(Method::GET, &uri, Some("admin"), &[], Body::empty());
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{uri}");
        assert_eq!(
            named(&a),
            vec![q.split('=').next().unwrap().to_owned()],
            "{uri}"
        );
    }
    // A query date with a five-digit year: was taken, and then compared as text with the
    // stored YYYY-MM-DD dates ("+10000-01-01" < "2026-…"), so `to` hid every record.
    for uri in [
        "/api/visits?to=%2B10000-01-01",
        "/api/visits?from=-0001-01-01",
        "/api/views/statistics?from=%2B2026-01-01",
        "/api/export/visits.csv?to=20260-01-01",
    ] {
        let a = f.send(Method::GET, uri, Some("linzi"), &[], Body::empty());
        assert_eq!(
            a.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{uri}: {}",
            a.json
        );
    }
    // Statistics from a day after today, with no `to`: the error named `to`, which was not
    // sent, rather than `from`.
    let a = f.send(
        Method::GET,
        "/api/views/statistics?from=9999-12-31",
        Some("linzi"),
        &[],
        Body::empty(),
    );
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(named(&a), vec!["from".to_owned()]);
    let a = f.send(
        Method::GET,
        "/api/views/statistics?from=2026-06-01&to=2026-05-01",
        Some("linzi"),
        &[],
        Body::empty(),
    );
    assert_eq!(named(&a), vec!["to".to_owned()]);
}

// ---------------------------------------------------------------------------------------------
// Logins.

#[test]
fn odd_logins_are_refused_and_start_no_session() {
    let f = Fuzz::new();
    let strategy = prop_oneof![
        prop::collection::vec(change(), 1..3).prop_map(Ok),
        prop::collection::vec(any::<u8>(), 0..100).prop_map(Err),
    ];
    let tally = Mutex::new(HashMap::<u16, u32>::new());
    runner(cases())
        .run(&strategy, |changes| {
            let good = json!({"username": "linzi", "password": backend::demo::PASSWORD});
            let body = match &changes {
                Ok(changes) => {
                    let mut v = good.clone();
                    for c in changes {
                        apply(VISIT, &mut v, c);
                    }
                    v.to_string().into_bytes()
                }
                Err(bytes) => bytes.clone(),
            };
            let sessions = f.sessions_in_db();
            let a = f.send(
                Method::POST,
                "/api/login",
                None,
                &[("content-type", "application/json")],
                Body::from(body.clone()),
            );
            let what = format!("login {:?}", String::from_utf8_lossy(&body));
            well_formed(&a, &what)?;
            let s = a.status.as_u16();
            *tally.lock().unwrap().entry(s).or_default() += 1;
            if s == 200 {
                // Only the right password for a real account: the name is trimmed and
                // lower-cased, so "  LINZI " is linzi.
                let v: Value = serde_json::from_slice(&body).unwrap();
                prop_assert_eq!(&v["password"], &good["password"], "{}", what);
                prop_assert_eq!(a.json["user"]["username"].as_str(), Some("linzi"));
                prop_assert_eq!(f.sessions_in_db(), sessions + 1);
            } else {
                prop_assert!([400, 401, 413, 415, 422, 429].contains(&s), "{what}: {s}");
                prop_assert!(a.headers.get(header::SET_COOKIE).is_none(), "{what}");
                prop_assert_eq!(f.sessions_in_db(), sessions, "{}", what);
            }
            Ok(())
        })
        .unwrap();
    eprintln!("answers: {:?}", tally.lock().unwrap());
}

fn holds_string(v: &Value, s: &str) -> bool {
    match v {
        Value::String(x) => x == s,
        Value::Array(a) => a.iter().any(|v| holds_string(v, s)),
        Value::Object(m) => m.values().any(|v| holds_string(v, s)),
        _ => false,
    }
}

/// `<script>…'; DROP TABLE records;--` in every text field of every kind, one at a time: where
/// the field takes free text it is stored and read back byte for byte (in the answer, the
/// record, the list); where it does not (a date, a phone, a choice), the answer names the field.
#[test]
fn script_and_sql_text_in_every_field_is_kept_as_text_or_refused_naming_it() {
    let f = Fuzz::new();
    let (mut kept, mut refused) = (0, 0);
    for kind in KINDS {
        let (unit, user) = home(kind);
        let (all, _) = paths_of(&form(kind, "00000000-0000-4000-8000-000000000000", unit));
        for path in all {
            let mut body = form(kind, &f.fresh_id(), unit);
            if !at(&mut body, &path).is_string() || path == [Seg::Key("id".into())] {
                continue;
            }
            *at(&mut body, &path) = json!(SCRIPT);
            let what = format!("{} {}", kind.path, dotted(&path));
            let before = f.counts();
            let a = f.send_json(
                Method::POST,
                &format!("/api/{}", kind.path),
                user,
                &[],
                body.to_string().into_bytes(),
            );
            well_formed(&a, &what).unwrap();
            if a.status == StatusCode::CREATED {
                let rid = a.json["record"]["id"].as_str().unwrap().to_owned();
                // At the same place, or (a record shaped unlike its form, as the 考核 items)
                // somewhere in it, whole.
                let holds = |record: &Value| match get(record, &path) {
                    Some(v) => v == &json!(SCRIPT),
                    None => holds_string(record, SCRIPT),
                };
                assert!(holds(&a.json["record"]), "{what}: {}", a.json["record"]);
                let back = f.send(
                    Method::GET,
                    &format!("/api/{}/{rid}", kind.path),
                    Some(user),
                    &[],
                    Body::empty(),
                );
                assert!(holds(&back.json["record"]), "{what}");
                let list = f.send(
                    Method::GET,
                    &format!("/api/{}?limit=5000", kind.path),
                    Some(user),
                    &[],
                    Body::empty(),
                );
                let listed = list
                    .json
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|r| r["record"]["id"] == rid.as_str());
                assert!(holds(&listed.unwrap()["record"]), "{what}");
                kept += 1;
            } else {
                // The unit field names a unit outside the user's: 404, nothing revealed.
                let unit_field = path == [Seg::Key(kind.unit_field.into())];
                if unit_field {
                    assert_eq!(a.status, StatusCode::NOT_FOUND, "{what}");
                } else {
                    assert_eq!(
                        a.status,
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "{what}: {}",
                        a.json
                    );
                    // The field, or (text that needs others filled in, like an opinion's
                    // decision and date) the fields beside it.
                    let parent = dotted(&path[..path.len() - 1]);
                    let names = named(&a);
                    assert!(
                        names.contains(&dotted(&path))
                            || (path.len() > 1 && names.iter().all(|n| n.starts_with(&parent))),
                        "{what}: {names:?}"
                    );
                }
                assert_eq!(f.counts(), before, "{what}");
                refused += 1;
            }
        }
    }
    // The tables are all there, of course.
    let conn = rusqlite::Connection::open(f.app.db_path()).unwrap();
    let tables: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('records', 'heads', 'audit')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(tables, 3);
    eprintln!(
        "script text: {kept} text fields stored it byte for byte, {refused} refused it naming the field"
    );
    assert!(kept >= 20 && refused >= 20, "{kept} {refused}");
}

/// Cookies that are no session: any text, long or odd, under the session's name or another.
#[test]
fn odd_cookies_are_no_session() {
    let f = Fuzz::new();
    let strategy = (
        prop_oneof![
            Just("jiajia=".to_owned()),
            Just(String::new()),
            "[a-z_]{1,8}=".prop_map(|s| s)
        ],
        prop_oneof![
            "[ -~]{0,100}",
            "[0-9a-f]{64}",
            (1usize..8_000).prop_map(|n| "a".repeat(n)),
        ],
    );
    runner(cases())
        .run(&strategy, |(name, value)| {
            let cookie = format!("{name}{value}");
            let Ok(header) = axum::http::HeaderValue::from_str(&cookie) else {
                return Ok(());
            };
            let req = Request::get("/api/me")
                .header(header::COOKIE, header)
                .body(Body::empty())
                .unwrap();
            let res = f.rt.block_on(f.app.router.clone().oneshot(req)).unwrap();
            prop_assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{}", cookie);
            Ok(())
        })
        .unwrap();
}
