//! `bench-submit`: durable submissions per second, group commit against one transaction per
//! request, in the same run on the same machine (`cargo xtask bench submit`).
//!
//! For each `--max-batch` value (default `1,512`: one transaction per request, then the
//! server's group commit) it installs the demo city in a fresh SQLite file (`backend demo`),
//! starts `backend serve --max-batch N` on loopback, logs in as the demo village worker and
//! posts new visit records, each with its own id, from `--concurrency` connections (one
//! request at a time each, keep-alive). Every answer must be `201`: the server answers only
//! after the record's commit (`synchronous = FULL`), so each one counted is on disk. It stops
//! after `--requests` records or `--seconds`, whichever comes first, and prints throughput,
//! p50/p99 latency and the server's peak memory (VmHWM from /proc/<pid>/status).

use std::fs;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::header::{CONTENT_TYPE, COOKIE, HOST, SET_COOKIE};
use hyper::{Request, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

const USAGE: &str = "usage: bench-submit --backend PATH [--dir DIR] [--requests N] [--seconds S]
                    [--concurrency C] [--warmup N] [--max-batch 1,512]";

/// The demo city's village worker (`backend demo`).
const USER: &str = "linzi";
const PASSWORD: &str = "jiajia-demo-2026";
const UNIT: &str = "rugao/baipu/linzi";

struct Opts {
    backend: PathBuf,
    dir: PathBuf,
    requests: usize,
    seconds: u64,
    concurrency: usize,
    warmup: usize,
    batches: Vec<usize>,
}

fn opts() -> Result<Opts, String> {
    let mut o = Opts {
        backend: PathBuf::new(),
        dir: std::env::temp_dir().join("jiajia-bench-submit"),
        requests: 30_000,
        seconds: 20,
        concurrency: 32,
        warmup: 500,
        batches: vec![1, 512],
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value\n{USAGE}"));
        let number = |v: String| v.parse::<usize>().map_err(|e| format!("{flag} {v}: {e}"));
        match flag.as_str() {
            "--backend" => o.backend = value()?.into(),
            "--dir" => o.dir = value()?.into(),
            "--requests" => o.requests = number(value()?)?,
            "--seconds" => o.seconds = number(value()?)? as u64,
            "--concurrency" => o.concurrency = number(value()?)?.max(1),
            "--warmup" => o.warmup = number(value()?)?,
            "--max-batch" => {
                o.batches = value()?
                    .split(',')
                    .map(|v| v.trim().parse::<usize>().map_err(|e| format!("{v}: {e}")))
                    .collect::<Result<_, _>>()?
            }
            _ => return Err(USAGE.into()),
        }
    }
    if o.backend.as_os_str().is_empty() {
        return Err(USAGE.into());
    }
    Ok(o)
}

/// A running `backend serve`, killed when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(o: &Opts, max_batch: usize) -> Result<Server, String> {
        let dir = o.dir.join(format!("max-batch-{max_batch}"));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let db = dir.join("bench.sqlite3");
        let demo = Command::new(&o.backend)
            .arg("demo")
            .arg("--db")
            .arg(&db)
            .stdout(Stdio::null())
            .status()
            .map_err(|e| format!("cannot run {}: {e}", o.backend.display()))?;
        if !demo.success() {
            return Err(format!("backend demo failed ({demo})"));
        }
        let log = fs::File::create(dir.join("server.log")).map_err(|e| e.to_string())?;
        let mut child = Command::new(&o.backend)
            .args(["serve", "--addr", "127.0.0.1:0", "--max-batch"])
            .arg(max_batch.to_string())
            .arg("--db")
            .arg(&db)
            .arg("--dist")
            .arg(dir.join("no-app"))
            .env("RUST_LOG", "backend=warn,tower_http=warn")
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .map_err(|e| format!("cannot start the server: {e}"))?;
        let stdout = child.stdout.take().expect("piped");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .map_err(|e| e.to_string())?;
        // "家家 listening on http://127.0.0.1:PORT/  (database: …)"
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .and_then(|a| a.parse().ok())
            .ok_or(format!("the server did not start: {line:?}"))?;
        Ok(Server { child, addr })
    }

    /// The server's peak resident memory so far (VmHWM), in KiB.
    fn peak_kib(&self) -> Option<u64> {
        let status = fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
    }
}

type Sender = hyper::client::conn::http1::SendRequest<Full<Bytes>>;

async fn connect(addr: SocketAddr) -> Result<Sender, String> {
    let stream = TcpStream::connect(addr).await.map_err(|e| e.to_string())?;
    stream.set_nodelay(true).map_err(|e| e.to_string())?;
    let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| e.to_string())?;
    tokio::spawn(conn);
    Ok(sender)
}

async fn post(
    sender: &mut Sender,
    addr: SocketAddr,
    path: &str,
    cookie: Option<&str>,
    body: String,
) -> Result<(StatusCode, hyper::HeaderMap, Bytes), String> {
    let mut req = Request::post(path)
        .header(HOST, addr.to_string())
        .header(CONTENT_TYPE, "application/json");
    if let Some(c) = cookie {
        req = req.header(COOKIE, c);
    }
    let req = req
        .body(Full::new(Bytes::from(body)))
        .map_err(|e| e.to_string())?;
    sender.ready().await.map_err(|e| e.to_string())?;
    let res = sender.send_request(req).await.map_err(|e| e.to_string())?;
    let (parts, body) = res.into_parts();
    let bytes = body.collect().await.map_err(|e| e.to_string())?.to_bytes();
    Ok((parts.status, parts.headers, bytes))
}

/// Logs in as the demo village worker; the session cookie as `name=value`.
async fn log_in(addr: SocketAddr) -> Result<String, String> {
    let mut s = connect(addr).await?;
    let body = serde_json::json!({ "username": USER, "password": PASSWORD }).to_string();
    let (status, headers, text) = post(&mut s, addr, "/api/login", None, body).await?;
    if !status.is_success() {
        return Err(format!(
            "login: {status} {}",
            String::from_utf8_lossy(&text)
        ));
    }
    headers
        .get(SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(str::to_owned)
        .ok_or("login set no cookie".into())
}

/// A new visit record: a marriage dispute in 林梓村, id `n` of this run.
fn visit(run: u64, n: usize, date: &str) -> String {
    let id = uuid::Uuid::from_u128((u128::from(run) << 64) | n as u128);
    serde_json::json!({
        "id": id,
        "org_unit": UNIT,
        "parties": [{ "name": "王芳", "phone": "138 1234 1234", "age": "36", "family_role": "妻子" }],
        "category": "A",
        "summary": format!("婚姻家庭矛盾，第{n}次登记"),
        "handling": "老舅妈调解员上门调解",
        "visitor": "李娟",
        "visit_date": date,
    })
    .to_string()
}

struct Outcome {
    /// Latency of every `201`, in microseconds.
    latencies: Vec<u64>,
    elapsed: Duration,
    failures: usize,
    first_failure: Option<String>,
}

/// `concurrency` connections post new records until `requests` are sent or `limit` passes.
async fn load(
    addr: SocketAddr,
    cookie: Arc<str>,
    run: u64,
    requests: usize,
    concurrency: usize,
    limit: Duration,
) -> Result<Outcome, String> {
    let date = (chrono::Utc::now().date_naive() - chrono::Days::new(30)).to_string();
    let next = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let deadline = start + limit;
    let mut workers = Vec::with_capacity(concurrency);
    for _ in 0..concurrency {
        let mut sender = connect(addr).await?;
        let (next, cookie, date) = (next.clone(), cookie.clone(), date.clone());
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let (mut failures, mut first_failure) = (0, None);
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= requests || Instant::now() >= deadline {
                    break;
                }
                let body = visit(run, n, &date);
                let sent = Instant::now();
                match post(&mut sender, addr, "/api/visits", Some(&cookie), body).await {
                    Ok((StatusCode::CREATED, _, _)) => {
                        latencies.push(sent.elapsed().as_micros() as u64)
                    }
                    Ok((status, _, text)) => {
                        failures += 1;
                        first_failure.get_or_insert_with(|| {
                            format!("{status} {}", String::from_utf8_lossy(&text))
                        });
                    }
                    Err(e) => {
                        failures += 1;
                        first_failure.get_or_insert(e);
                        match connect(addr).await {
                            Ok(s) => sender = s,
                            Err(_) => break,
                        }
                    }
                }
            }
            (latencies, failures, first_failure)
        }));
    }
    let mut out = Outcome {
        latencies: Vec::with_capacity(requests),
        elapsed: Duration::ZERO,
        failures: 0,
        first_failure: None,
    };
    for w in workers {
        let (latencies, failures, first) = w.await.map_err(|e| e.to_string())?;
        out.latencies.extend(latencies);
        out.failures += failures;
        if out.first_failure.is_none() {
            out.first_failure = first;
        }
    }
    out.elapsed = start.elapsed();
    Ok(out)
}

/// The `q` quantile (nearest rank) of sorted `v`, in milliseconds.
fn quantile_ms(v: &[u64], q: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    let rank = ((q * v.len() as f64).ceil() as usize).clamp(1, v.len());
    v[rank - 1] as f64 / 1000.0
}

struct Row {
    max_batch: usize,
    stored: usize,
    seconds: f64,
    per_second: f64,
    p50: f64,
    p99: f64,
    max: f64,
    peak_mib: Option<f64>,
}

fn measure(o: &Opts, max_batch: usize, run: u64) -> Result<Row, String> {
    let server = Server::start(o, max_batch)?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let outcome = rt.block_on(async {
        let cookie: Arc<str> = log_in(server.addr).await?.into();
        // Warm-up (not counted): connections, caches, the database file's first pages.
        let warm = load(
            server.addr,
            cookie.clone(),
            run,
            o.warmup,
            o.concurrency,
            Duration::from_secs(o.seconds),
        )
        .await?;
        if warm.failures > 0 {
            return Err(format!(
                "warm-up: {} failed, first: {}",
                warm.failures,
                warm.first_failure.unwrap_or_default()
            ));
        }
        load(
            server.addr,
            cookie,
            run + 1,
            o.requests,
            o.concurrency,
            Duration::from_secs(o.seconds),
        )
        .await
    })?;
    let peak = server.peak_kib();
    drop(server);
    if outcome.failures > 0 {
        return Err(format!(
            "max-batch {max_batch}: {} requests failed, first: {}",
            outcome.failures,
            outcome.first_failure.unwrap_or_default()
        ));
    }
    let mut l = outcome.latencies;
    l.sort_unstable();
    let seconds = outcome.elapsed.as_secs_f64();
    Ok(Row {
        max_batch,
        stored: l.len(),
        seconds,
        per_second: l.len() as f64 / seconds,
        p50: quantile_ms(&l, 0.50),
        p99: quantile_ms(&l, 0.99),
        max: quantile_ms(&l, 1.0),
        peak_mib: peak.map(|k| k as f64 / 1024.0),
    })
}

fn main() -> ExitCode {
    let o = match opts() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let run = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |d| d.as_secs() << 8);
    println!(
        "{} connections, up to {} records or {} s per mode, after {} warm-up records",
        o.concurrency, o.requests, o.seconds, o.warmup
    );
    println!(
        "| writer | stored | seconds | per second | p50 ms | p99 ms | max ms | server peak RSS |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    let mut rows = Vec::new();
    for (i, &max_batch) in o.batches.iter().enumerate() {
        match measure(&o, max_batch, run + 2 * i as u64) {
            Ok(r) => {
                let writer = if r.max_batch == 1 {
                    "one transaction per request".to_owned()
                } else {
                    format!("group commit (≤ {} per commit)", r.max_batch)
                };
                let peak = r.peak_mib.map_or("?".into(), |m| format!("{m:.1} MiB"));
                println!(
                    "| {writer} | {} | {:.1} | {:.0} | {:.2} | {:.2} | {:.2} | {peak} |",
                    r.stored, r.seconds, r.per_second, r.p50, r.p99, r.max
                );
                rows.push(r);
            }
            Err(e) => {
                eprintln!("bench-submit: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    if let (Some(base), Some(best)) = (
        rows.iter().find(|r| r.max_batch == 1),
        rows.iter().rfind(|r| r.max_batch > 1),
    ) {
        println!(
            "group commit / one transaction per request: {:.1}×",
            best.per_second / base.per_second
        );
    }
    ExitCode::SUCCESS
}
