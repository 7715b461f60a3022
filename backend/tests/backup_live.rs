//! `backend backup` against a running `backend serve` under write load (two processes on one
//! file), restored into a fresh server: every record acknowledged before the backup began and
//! the audit log up to then are there, every row byte for byte, and the copy is one consistent
//! moment (no record without its head or its audit row).

mod process;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use process::*;
use rusqlite::{Connection, OpenFlags};

type Row = (String, String, i64, String, Option<i64>, String, String);
type AuditRow = (
    i64,
    String,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn read_only(db: &Path) -> Connection {
    Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap()
}

fn records(conn: &Connection) -> Vec<Row> {
    let mut stmt = conn
        .prepare(
            "SELECT kind, id, version, unit, author, body, received_at FROM records
             ORDER BY kind, id, version",
        )
        .unwrap();
    stmt.query_map([], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
            r.get(6)?,
        ))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

fn audit(conn: &Connection) -> Vec<AuditRow> {
    let mut stmt = conn
        .prepare("SELECT seq, at, username, action, kind, record, detail FROM audit ORDER BY seq")
        .unwrap();
    stmt.query_map([], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
            r.get(6)?,
        ))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

fn ids(conn: &Connection, sql: &str) -> BTreeSet<String> {
    let mut stmt = conn.prepare(sql).unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_of_the_serving_binary_under_load_restores_everything_acknowledged() {
    let (dir, db, log) = scratch();
    let server = Server::start(&db, &log);
    let load = Load::start(server.addr, 6).await;
    while load.acked().len() < 150 {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // What was acknowledged, and the audit log, when the backup begins.
    let before = load.acked();
    let audit_before = audit(&read_only(&db));
    let copy = dir.path().join("backup.sqlite3");
    let (from, to) = (db.clone(), copy.clone());
    let out = tokio::task::spawn_blocking(move || {
        Command::new(BIN)
            .args(["backup", "--db"])
            .arg(&from)
            .arg(&to)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let during = load.acked().len() - before.len();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let (acked, _) = load.stop().await;
    assert!(acked.len() > before.len(), "writes went on meanwhile");

    let backup = read_only(&copy);
    let integrity: String = backup
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    // Every row of the copy is the live file's row, byte for byte.
    let live_rows = records(&read_only(&db));
    let copied = records(&backup);
    let live: BTreeSet<&Row> = live_rows.iter().collect();
    for row in &copied {
        assert!(
            live.contains(row),
            "copied row differs: {:?}",
            (&row.0, &row.1, row.2)
        );
    }
    // Everything acknowledged before the backup began is there.
    let stored = ids(&backup, "SELECT id FROM records WHERE id LIKE 'c0ffee%'");
    let lost: Vec<&String> = before.keys().filter(|id| !stored.contains(*id)).collect();
    assert!(
        lost.is_empty(),
        "acknowledged before the backup, not in it: {lost:?}"
    );
    // One moment: each record with its head and its audit row, no more, no less.
    assert_eq!(
        stored,
        ids(&backup, "SELECT id FROM heads WHERE id LIKE 'c0ffee%'")
    );
    assert_eq!(
        stored,
        ids(
            &backup,
            "SELECT record FROM audit WHERE action = 'create' AND record LIKE 'c0ffee%'"
        )
    );
    // The audit log as it was when the backup began, row for row.
    let audit_copy = audit(&backup);
    assert!(audit_copy.len() >= audit_before.len());
    assert_eq!(audit_copy[..audit_before.len()], audit_before[..]);
    drop(backup);
    drop(server);

    // Restored: a fresh server over the copy serves every record and the log.
    let restored = Server::start(&copy, &log);
    let me = login(restored.addr, "city").await;
    for (id, summary) in &before {
        let a = request(
            restored.addr,
            "GET",
            &format!("/api/visits/{id}"),
            Some(&me),
            None,
        )
        .await
        .unwrap();
        assert_eq!(a.status, 200, "{id}");
        assert_eq!(
            a.json()["record"]["summary"].as_str(),
            Some(summary.as_str())
        );
    }
    let admin = login(restored.addr, "admin").await;
    let a = request(
        restored.addr,
        "GET",
        "/api/audit?limit=10000",
        Some(&admin),
        None,
    )
    .await
    .unwrap();
    assert_eq!(a.status, 200);
    let served: Vec<i64> = a
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["seq"].as_i64().unwrap())
        .collect();
    for row in &audit_before {
        assert!(served.contains(&row.0), "audit row {} is served", row.0);
    }
    eprintln!(
        "backup: {} records acknowledged before the backup, {} during it, {} in all; \
         {} rows copied, {} audit rows before it — all in the restored copy, integrity_check ok",
        before.len(),
        during,
        acked.len(),
        copied.len(),
        audit_before.len(),
    );
}
