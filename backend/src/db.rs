//! SQLite: one writer thread that commits waiting requests together (group commit), and a few
//! read connections. WAL lets readers and backups run while the writer writes; every commit is
//! durable (`synchronous = FULL`) and a request is answered only after its commit.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use tokio::sync::oneshot;

use crate::error::ApiError;

/// Schema steps, applied in order; `PRAGMA user_version` remembers how many ran.
const MIGRATIONS: &[&str] = &[
    // 1: the walking skeleton's visit table (kept readable, emptied into `records` by step 2).
    "CREATE TABLE visits (
        id TEXT PRIMARY KEY NOT NULL, org_unit TEXT NOT NULL, category TEXT NOT NULL,
        visit_date TEXT NOT NULL, level TEXT NOT NULL, body TEXT NOT NULL, received_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX visits_by_unit ON visits (org_unit, visit_date);",
    // 2: org units, users, sessions, versioned records of every kind, the audit log.
    "CREATE TABLE org_units (
        id     TEXT PRIMARY KEY NOT NULL,         -- a path: rugao, rugao/baipu, rugao/baipu/linzi
        name   TEXT NOT NULL,
        level  TEXT NOT NULL CHECK (level IN ('city', 'town', 'village')),
        parent TEXT REFERENCES org_units (id)
    ) STRICT;
    CREATE TABLE users (
        id            INTEGER PRIMARY KEY,
        username      TEXT NOT NULL UNIQUE,
        display_name  TEXT NOT NULL,
        role          TEXT NOT NULL CHECK (role IN ('village', 'town', 'city', 'admin')),
        unit          TEXT NOT NULL REFERENCES org_units (id),
        password_hash TEXT NOT NULL,
        created_at    TEXT NOT NULL
    ) STRICT;
    CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY NOT NULL,     -- SHA-256 of the cookie value
        user_id    INTEGER NOT NULL REFERENCES users (id),
        created_at INTEGER NOT NULL,              -- unix seconds
        last_seen  INTEGER NOT NULL
    ) STRICT;
    -- Every version of every record; never updated, never deleted.
    CREATE TABLE records (
        kind        TEXT NOT NULL,
        id          TEXT NOT NULL,
        version     INTEGER NOT NULL,
        unit        TEXT NOT NULL,
        author      INTEGER REFERENCES users (id),
        body        TEXT NOT NULL,                -- the parsed record as JSON
        received_at TEXT NOT NULL,
        PRIMARY KEY (kind, id, version)
    ) STRICT;
    -- The current version of each record, with what lists filter on.
    CREATE TABLE heads (
        kind     TEXT NOT NULL,
        id       TEXT NOT NULL,
        version  INTEGER NOT NULL,
        unit     TEXT NOT NULL,
        period   TEXT NOT NULL,                   -- the record's own date, YYYY-MM-DD
        status   TEXT,
        category TEXT,
        PRIMARY KEY (kind, id),
        FOREIGN KEY (kind, id, version) REFERENCES records (kind, id, version)
    ) STRICT;
    CREATE INDEX heads_by_unit ON heads (kind, unit, period);
    CREATE TABLE audit (
        seq      INTEGER PRIMARY KEY AUTOINCREMENT,
        at       TEXT NOT NULL,
        user_id  INTEGER,
        username TEXT,
        action   TEXT NOT NULL,
        kind     TEXT,
        record   TEXT,
        detail   TEXT
    ) STRICT;
    CREATE TRIGGER records_immutable BEFORE UPDATE ON records
        BEGIN SELECT RAISE(ABORT, 'records are append-only'); END;
    CREATE TRIGGER records_undeletable BEFORE DELETE ON records
        BEGIN SELECT RAISE(ABORT, 'records are append-only'); END;
    CREATE TRIGGER audit_immutable BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TRIGGER audit_undeletable BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    -- The skeleton's visits become version 1 of visit records, with no known author.
    INSERT INTO records (kind, id, version, unit, author, body, received_at)
        SELECT 'visit', id, 1, org_unit, NULL, body, received_at FROM visits;
    INSERT INTO heads (kind, id, version, unit, period, status, category)
        SELECT 'visit', id, 1, org_unit, visit_date, NULL, category FROM visits;",
    // 3: each user's device-vault secret (given at login; see `auth::vault_secret`).
    "CREATE TABLE vault_secrets (
        user_id INTEGER PRIMARY KEY NOT NULL REFERENCES users(id),
        secret BLOB NOT NULL
    ) STRICT;",
    // 4: published rule tables (calendar, rubric, themes), every version kept (`rules.rs`).
    "CREATE TABLE rule_tables (
        kind         TEXT NOT NULL CHECK (kind IN ('calendar', 'rubric', 'themes')),
        year         INTEGER NOT NULL,
        version      INTEGER NOT NULL,
        body         TEXT NOT NULL,               -- the checked table, in its file's shape
        author       INTEGER REFERENCES users (id), -- NULL: loaded with `backend rules load`
        published_at TEXT NOT NULL,
        reason       TEXT NOT NULL,
        PRIMARY KEY (kind, year, version)
    ) STRICT;
    CREATE TRIGGER rule_tables_immutable BEFORE UPDATE ON rule_tables
        BEGIN SELECT RAISE(ABORT, 'rule tables are append-only'); END;
    CREATE TRIGGER rule_tables_undeletable BEFORE DELETE ON rule_tables
        BEGIN SELECT RAISE(ABORT, 'rule tables are append-only'); END;",
];

/// What a write job does once its batch has committed (`Ok`) or failed to (why).
type Finish = Box<dyn FnOnce(Result<(), &rusqlite::Error>) + Send>;

/// A write job: runs inside the batch transaction (or gets why none could be begun) and says
/// whether it succeeded.
type Job = Box<dyn FnOnce(Result<&Connection, &rusqlite::Error>) -> (bool, Finish) + Send>;

/// Most requests one commit takes; more wait for the next.
pub const MAX_BATCH: usize = 512;

#[derive(Clone)]
pub struct Db {
    jobs: mpsc::Sender<Job>,
    readers: Arc<[Mutex<Connection>]>,
    next_reader: Arc<AtomicUsize>,
    path: Arc<PathBuf>,
    health: Health,
}

/// Whether the database can be written: why not, as last seen (a write that failed for the
/// storage's sake, or a file opened read-only); cleared by the next write that commits.
#[derive(Clone, Default)]
pub struct Health {
    /// The error code (`storage_full`, `storage_unavailable`) and the cause, for the log.
    fault: Arc<Mutex<Option<(&'static str, String)>>>,
    /// Opened read-only: no commit can clear it.
    read_only: Arc<std::sync::atomic::AtomicBool>,
}

impl Health {
    /// Why writes fail, if they do: `storage_full` or `storage_unavailable` (the cause is in
    /// the log, not for anyone who asks).
    pub fn fault(&self) -> Option<&'static str> {
        self.fault
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .map(|f| f.0)
    }

    fn failed(&self, code: &'static str, why: &str) {
        let mut fault = self.fault.lock().unwrap_or_else(|p| p.into_inner());
        if fault.as_ref().is_none_or(|f| f.1 != why) {
            // Once per change, not once per request.
            tracing::error!(reason = why, "the database cannot be written");
            *fault = Some((code, why.to_owned()));
        }
    }

    fn committed(&self) {
        if self.read_only.load(Ordering::Relaxed) {
            return;
        }
        let mut fault = self.fault.lock().unwrap_or_else(|p| p.into_inner());
        if fault.take().is_some() {
            tracing::info!("the database can be written again");
        }
    }

    /// Notes `error` if it is the storage's fault.
    fn note(&self, error: &ApiError) {
        match error {
            ApiError::StorageFull(why) => self.failed("storage_full", why),
            ApiError::StorageUnavailable(why) => self.failed("storage_unavailable", why),
            _ => {}
        }
    }
}

fn open(path: &Path, flags: OpenFlags) -> Result<Connection, rusqlite::Error> {
    let conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(Duration::from_secs(10))?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(conn)
}

impl Db {
    /// Opens (creating if needed) the database, brings its schema up to date and starts the
    /// writer thread.
    pub fn open(path: &Path) -> Result<Db, rusqlite::Error> {
        Db::open_with(path, MAX_BATCH)
    }

    /// [`Db::open`] with at most `max_batch` requests per commit. 1 is one transaction per
    /// request: the baseline the group commit is measured against (BENCHMARKS.md).
    pub fn open_with(path: &Path, max_batch: usize) -> Result<Db, rusqlite::Error> {
        let max_batch = max_batch.max(1);
        let mut writer = open(path, OpenFlags::default())?;
        let mode: String = writer.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            tracing::warn!(%mode, "SQLite refused WAL mode");
        }
        // A write is acknowledged only once it is on disk.
        writer.pragma_update(None, "synchronous", "FULL")?;
        migrate(&mut writer)?;
        let health = Health::default();
        // SQLite opens a file it may not write read-only without a word; every write would
        // then fail while reads and `/healthz` looked fine.
        if writer.is_readonly(rusqlite::MAIN_DB)? {
            health.read_only.store(true, Ordering::Relaxed);
            health.failed(
                "storage_unavailable",
                &format!(
                    "{} is read-only (file or folder permissions, or a read-only mount)",
                    path.display()
                ),
            );
        }
        let readers: Vec<Mutex<Connection>> = (0..4)
            .map(|_| open(path, OpenFlags::SQLITE_OPEN_READ_ONLY).map(Mutex::new))
            .collect::<Result<_, _>>()?;
        let (jobs, inbox) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || write_loop(writer, inbox, max_batch))
            .expect("the writer thread starts");
        Ok(Db {
            jobs,
            readers: readers.into(),
            next_reader: Arc::new(AtomicUsize::new(0)),
            path: Arc::new(path.to_owned()),
            health,
        })
    }

    /// Whether writes can be made (`/healthz`).
    pub fn health(&self) -> &Health {
        &self.health
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` in the writer's current batch. Its changes commit with the batch; if `f` fails
    /// they are rolled back alone. Resolves only after the commit.
    pub async fn write<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, ApiError> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let health = self.health.clone();
        let job: Job = Box::new(move |conn| {
            let result = match conn {
                // A panicking job must not take the writer thread down with it.
                Ok(conn) => std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(conn)))
                    .unwrap_or_else(|_| Err(ApiError::internal("a write panicked"))),
                Err(e) => Err(ApiError::storage(e, "cannot begin a write transaction")),
            };
            let ok = result.is_ok();
            let finish = Box::new(move |committed: Result<(), &rusqlite::Error>| {
                let result = match (result, committed) {
                    (Ok(_), Err(e)) => Err(ApiError::storage(e, "the commit failed")),
                    (Ok(v), Ok(())) => {
                        health.committed();
                        Ok(v)
                    }
                    (Err(e), _) => Err(e),
                };
                if let Err(e) = &result {
                    health.note(e);
                }
                let _ = reply.send(result);
            });
            (ok, finish as Finish)
        });
        self.jobs
            .send(job)
            .map_err(|_| ApiError::internal("the writer has stopped"))?;
        answer
            .await
            .map_err(|_| ApiError::internal("the writer dropped a request"))?
    }

    /// Runs `f` on a read connection, off the async workers.
    pub async fn read<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, ApiError> + Send + 'static,
    {
        let readers = self.readers.clone();
        let i = self.next_reader.fetch_add(1, Ordering::Relaxed) % readers.len();
        tokio::task::spawn_blocking(move || {
            // A panic mid-read leaves nothing half-done in a read-only connection.
            let conn = readers[i].lock().unwrap_or_else(|p| p.into_inner());
            f(&conn)
        })
        .await?
    }
}

fn write_loop(mut conn: Connection, inbox: mpsc::Receiver<Job>, max_batch: usize) {
    while let Ok(first) = inbox.recv() {
        let mut batch = vec![first];
        while batch.len() < max_batch {
            match inbox.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let mut finishes = Vec::with_capacity(batch.len());
        let committed = match conn.transaction_with_behavior(TransactionBehavior::Immediate) {
            Ok(tx) => {
                for job in batch {
                    // Each job in its own savepoint, so one failure undoes only its own work.
                    // Without its savepoint a failing job could not be undone alone: it does not
                    // run, and its request gets an error.
                    if let Err(e) = tx.execute_batch("SAVEPOINT job") {
                        finishes.push(job(Err(&e)).1);
                        continue;
                    }
                    let (job_ok, finish) = job(Ok(&tx));
                    if !job_ok {
                        let _ = tx.execute_batch("ROLLBACK TO job");
                    }
                    let _ = tx.execute_batch("RELEASE job");
                    finishes.push(finish);
                }
                tx.commit().inspect_err(|e| {
                    tracing::error!(error = %e, "group commit failed");
                })
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot begin a write transaction");
                batch
                    .into_iter()
                    .for_each(|job| finishes.push(job(Err(&e)).1));
                Err(e)
            }
        };
        for finish in finishes {
            finish(committed.as_ref().map(|_| ()));
        }
    }
}

fn migrate(conn: &mut Connection) -> Result<(), rusqlite::Error> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let done: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    for (version, step) in (1i64..).zip(MIGRATIONS).skip(done.max(0) as usize) {
        tx.execute_batch(step)?;
        tx.pragma_update(None, "user_version", version)?;
    }
    tx.commit()
}

/// Copies the live database to `dest` with SQLite's online backup, while it is in use.
pub fn backup(src: &Path, dest: &Path) -> Result<(), rusqlite::Error> {
    let from = open(src, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let mut to = Connection::open(dest)?;
    let backup = rusqlite::backup::Backup::new(&from, &mut to)?;
    // All pages in one step, under one read transaction: in WAL mode writers go on meanwhile,
    // and no write can make the copy start over (as it would between smaller steps).
    loop {
        match backup.step(-1)? {
            rusqlite::backup::StepResult::Done => return Ok(()),
            _ => std::thread::sleep(Duration::from_millis(5)),
        }
    }
}
