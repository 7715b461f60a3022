//! The real server binary as a child process, and a bare HTTP/1.1 client that reports a
//! connection cut mid-answer as what it is: no answer.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub const BIN: &str = env!("CARGO_BIN_EXE_backend");

/// `backend demo --db FILE`: the demo city with its logins and sample records.
pub fn demo(db: &Path) {
    let out = Command::new(BIN)
        .args(["demo", "--db"])
        .arg(db)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A running `backend serve`.
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
}

impl Server {
    /// Starts `backend serve` on a free port over `db`, its log appended to `log`; returns
    /// once it listens.
    pub fn start(db: &Path, log: &Path) -> Server {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .unwrap();
        let mut child = Command::new(BIN)
            .args([
                "serve",
                "--addr",
                "127.0.0.1:0",
                "--dist",
                "no-app-here",
                "--db",
            ])
            .arg(db)
            .env("RUST_LOG", "backend=warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log))
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(rest) = line.split("listening on http://").nth(1) {
                    let addr = rest.split('/').next().unwrap_or_default().to_owned();
                    let _ = tx.send(addr);
                }
            }
        });
        let addr = rx
            .recv_timeout(Duration::from_secs(20))
            .expect("the server prints its address")
            .parse()
            .unwrap();
        Server { child, addr }
    }

    /// SIGKILL: no shutdown, no flush, no goodbye.
    pub fn kill9(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A whole answer: the status line, the headers and the body all arrived.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The session cookie set by a login, as a `Cookie` header value.
    pub fn cookie(&self) -> Option<String> {
        self.header("set-cookie")
            .map(|c| c.split(';').next().unwrap_or_default().to_owned())
    }
}

/// One request on its own connection. `Err` when no whole answer came (refused, reset, cut
/// short, or nothing within 10 s).
pub async fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    cookie: Option<&str>,
    body: Option<&Value>,
) -> std::io::Result<Answer> {
    let go = async {
        let mut stream = TcpStream::connect(addr).await?;
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
            body.len()
        );
        if !body.is_empty() {
            head.push_str("Content-Type: application/json\r\n");
        }
        if let Some(c) = cookie {
            head.push_str(&format!("Cookie: {c}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).await?;
        stream.write_all(body.as_bytes()).await?;
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).await?;
        parse(&raw)
    };
    tokio::time::timeout(Duration::from_secs(10), go)
        .await
        .unwrap_or_else(|_| Err(std::io::Error::other("timed out")))
}

fn parse(raw: &[u8]) -> std::io::Result<Answer> {
    let cut = || std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "answer cut short");
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(cut)?;
    let head = String::from_utf8_lossy(&raw[..end]);
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(cut)?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let rest = &raw[end + 4..];
    let find = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    let body = if find("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        let mut body = Vec::new();
        let mut at = rest;
        loop {
            let nl = at.windows(2).position(|w| w == b"\r\n").ok_or_else(cut)?;
            let size = usize::from_str_radix(String::from_utf8_lossy(&at[..nl]).trim(), 16)
                .map_err(|_| cut())?;
            at = &at[nl + 2..];
            if size == 0 {
                break;
            }
            if at.len() < size + 2 {
                return Err(cut());
            }
            body.extend_from_slice(&at[..size]);
            at = &at[size + 2..];
        }
        body
    } else {
        let len: usize = find("content-length")
            .and_then(|v| v.parse().ok())
            .unwrap_or(rest.len());
        if rest.len() < len {
            return Err(cut());
        }
        rest[..len].to_vec()
    };
    Ok(Answer {
        status,
        headers,
        body,
    })
}

/// Logs `username` in with the demo password; the `Cookie` header value.
pub async fn login(addr: SocketAddr, username: &str) -> String {
    let body = json!({"username": username, "password": backend::demo::PASSWORD});
    let a = request(addr, "POST", "/api/login", None, Some(&body))
        .await
        .unwrap();
    assert_eq!(a.status, 200, "login {username}: {}", a.json());
    a.cookie().unwrap()
}

/// A fresh scratch folder with a demo database in it: (folder, database, log file).
pub fn scratch() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("jiajia.sqlite3");
    let log = dir.path().join("server.log");
    demo(&db);
    (dir, db, log)
}

/// Today in China, as the server sees it.
pub fn china_today() -> chrono::NaiveDate {
    shared::time::china_today(chrono::Utc::now())
}

/// A small deterministic generator (xorshift), seeded from `JIAJIA_SEED` or the clock; the
/// seed is printed so that a run can be repeated.
pub struct Rng(u64);

impl Rng {
    pub fn new() -> Rng {
        let seed = std::env::var("JIAJIA_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_nanos() as u64
                    | 1
            });
        eprintln!("JIAJIA_SEED={seed}");
        Rng(seed)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// (user, village) of the load's clients.
pub const WRITERS: [(&str, &str); 4] = [
    ("linzi", "rugao/baipu/linzi"),
    ("xinhe", "rugao/baipu/xinhe"),
    ("gangkou", "rugao/changjiang/gangkou"),
    ("baipu", "rugao/baipu/guzhuang"),
];

/// Client `c`'s `n`-th record id. The first group marks the test's records (`c0ffee…`), apart
/// from the demo's.
pub fn load_id(c: usize, n: u64) -> String {
    format!("c0ffee{c:02x}-0000-4000-8000-{n:012}")
}

pub fn load_visit(id: &str, unit: &str, n: u64, date: &str) -> Value {
    json!({
        "id": id,
        "org_unit": unit,
        "parties": [{ "name": "王芳", "phone": "138 1234 1234", "age": "36", "family_role": "妻子" }],
        "category": "A",
        "summary": format!("第{n}次走访：夫妻因赡养老人争吵"),
        "visitor": "李娟",
        "visit_date": date
    })
}

#[derive(Default, Debug)]
pub struct Tally {
    /// Requests sent, whatever became of them.
    pub sent: AtomicU64,
    /// 201: stored now.
    pub created: AtomicU64,
    /// 200: a retry of a record stored before, whose first answer was lost with the server.
    pub replayed: AtomicU64,
    /// No whole answer: refused, reset or cut short (the server was down or dying).
    pub unanswered: AtomicU64,
    /// 5xx: retried like no answer.
    pub server_errors: AtomicU64,
}

/// Clients posting visit records with unique ids to whichever server `addr` names (none while
/// it is down), each retrying its record until it is acknowledged, as the app's outbox does.
pub struct Load {
    pub addr: Arc<RwLock<Option<SocketAddr>>>,
    stop: Arc<AtomicBool>,
    pub tally: Arc<Tally>,
    /// Acknowledged ids, with the summary sent.
    acked: Arc<Mutex<BTreeMap<String, String>>>,
    clients: Vec<tokio::task::JoinHandle<()>>,
}

impl Load {
    /// `clients` clients, logged in as the [`WRITERS`] in turn, on the server at `addr`.
    pub async fn start(addr: SocketAddr, clients: usize) -> Load {
        let date = (china_today() - chrono::Duration::days(3)).to_string();
        let mut cookies = std::collections::HashMap::new();
        for (user, _) in WRITERS {
            cookies.insert(user, login(addr, user).await);
        }
        let addr = Arc::new(RwLock::new(Some(addr)));
        let stop = Arc::new(AtomicBool::new(false));
        let tally = Arc::new(Tally::default());
        let acked = Arc::new(Mutex::new(BTreeMap::new()));
        let clients = (0..clients)
            .map(|c| {
                let (user, unit) = WRITERS[c % WRITERS.len()];
                let cookie = cookies[user].clone();
                let (addr, stop, tally, acked, date) = (
                    addr.clone(),
                    stop.clone(),
                    tally.clone(),
                    acked.clone(),
                    date.clone(),
                );
                tokio::spawn(async move {
                    let mut n = 0u64;
                    while !stop.load(Ordering::SeqCst) {
                        let id = load_id(c, n);
                        let body = load_visit(&id, unit, n, &date);
                        post_until_acknowledged(&addr, &cookie, &id, &body, &tally).await;
                        let summary = body["summary"].as_str().unwrap().to_owned();
                        acked.lock().unwrap().insert(id, summary);
                        n += 1;
                    }
                })
            })
            .collect();
        Load {
            addr,
            stop,
            tally,
            acked,
            clients,
        }
    }

    pub fn set_server(&self, addr: Option<SocketAddr>) {
        *self.addr.write().unwrap() = addr;
    }

    pub fn acked(&self) -> BTreeMap<String, String> {
        self.acked.lock().unwrap().clone()
    }

    /// Lets every client finish the record in hand (the server must be up), then stops them.
    pub async fn stop(self) -> (BTreeMap<String, String>, Arc<Tally>) {
        self.stop.store(true, Ordering::SeqCst);
        for c in self.clients {
            c.await.unwrap();
        }
        let acked = self.acked.lock().unwrap().clone();
        (acked, self.tally)
    }
}

async fn post_until_acknowledged(
    addr: &RwLock<Option<SocketAddr>>,
    cookie: &str,
    id: &str,
    body: &Value,
    tally: &Tally,
) {
    loop {
        let to = *addr.read().unwrap();
        let Some(to) = to else {
            tokio::time::sleep(Duration::from_millis(2)).await;
            continue;
        };
        tally.sent.fetch_add(1, Ordering::Relaxed);
        match request(to, "POST", "/api/visits", Some(cookie), Some(body)).await {
            Ok(a) if a.status == 201 || a.status == 200 => {
                let counter = if a.status == 201 {
                    &tally.created
                } else {
                    &tally.replayed
                };
                counter.fetch_add(1, Ordering::Relaxed);
                assert_eq!(a.json()["record"]["id"], id);
                return;
            }
            Ok(a) if a.status >= 500 => {
                tally.server_errors.fetch_add(1, Ordering::Relaxed);
            }
            // A 4xx would say the record is wrong: the same body cannot be.
            Ok(a) => panic!("{id}: {} {}", a.status, a.json()),
            Err(_) => {
                tally.unanswered.fetch_add(1, Ordering::Relaxed);
            }
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}
