//! `backend`: the 家家 server and its administration commands.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use backend::auth::{Role, add_user};
use backend::org::{self, Level};
use backend::{AppState, Db, app};
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "backend", version, about = "家家 server")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API and the built app.
    Serve {
        /// Address to listen on; port 0 picks a free one.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// SQLite database file, created if missing.
        #[arg(long, default_value = "jiajia.sqlite3")]
        db: PathBuf,
        /// Folder with the built app (`cargo xtask dist` makes it).
        #[arg(long, default_value = "dist")]
        dist: PathBuf,
        /// The server is reached over HTTPS (behind a TLS proxy): session cookies get `Secure`
        /// and the `__Host-` prefix.
        #[arg(long)]
        secure_cookies: bool,
        /// A reverse proxy in front of the server (repeatable): for requests from it, the
        /// client's address (for the login limit) is taken from `X-Forwarded-For`. Requests
        /// from anywhere else are never believed.
        #[arg(long = "trusted-proxy", value_name = "ADDR")]
        trusted_proxies: Vec<std::net::IpAddr>,
        /// Seconds a client has to send a request's line and headers.
        #[arg(long, default_value_t = 10)]
        header_timeout: u64,
        /// Seconds a client has to send a request's body, after its headers (then 408).
        #[arg(long, default_value_t = 20)]
        body_timeout: u64,
        /// Seconds a connection may stay open with nothing sent either way and no request
        /// being handled.
        #[arg(long, default_value_t = 20)]
        idle_timeout: u64,
        /// Connections served at once; more are answered 503 and closed. Keep it well under
        /// the open-file limit (`ulimit -n`).
        #[arg(long, default_value_t = 512)]
        max_connections: usize,
        /// Most write requests one commit takes (group commit); 1 is one transaction per
        /// request, the baseline of `cargo xtask bench submit`.
        #[arg(long, default_value_t = backend::db::MAX_BATCH, hide = true)]
        max_batch: usize,
    },
    /// Check one JSON document (any form, or a year's town assessments) and print its field
    /// errors or everything the rules compute, as JSON. Exit 0 valid, 1 field errors,
    /// 2 unreadable. See examples/ for one document per kind.
    Check {
        /// The document; `-` or nothing reads standard input.
        file: Option<PathBuf>,
    },
    /// Org units (city → town → village).
    Unit {
        #[command(subcommand)]
        command: UnitCommand,
    },
    /// Staff accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Fill the database with a demo city (3 towns, 9 villages, a user per role, sample
    /// records) and print the logins. Run again, it only prints the logins.
    Demo {
        #[arg(long, default_value = "jiajia.sqlite3")]
        db: PathBuf,
    },
    /// The yearly rule tables: working-day calendar, town rubric, monthly themes.
    Rules {
        #[command(subcommand)]
        command: RulesCommand,
    },
    /// Copy the live database to FILE with SQLite's online backup (safe while serving).
    Backup {
        #[arg(long, default_value = "jiajia.sqlite3")]
        db: PathBuf,
        file: PathBuf,
    },
}

#[derive(Subcommand)]
enum UnitCommand {
    /// Add a unit; its id is its path, e.g. rugao/baipu/linzi under rugao/baipu.
    Add {
        #[arg(long, default_value = "jiajia.sqlite3")]
        db: PathBuf,
        #[arg(long)]
        id: String,
        #[arg(long)]
        name: String,
        /// city, town or village.
        #[arg(long)]
        level: String,
    },
}

#[derive(Subcommand)]
enum RulesCommand {
    /// Check a table file (the shape of shared/data/calendar/2026.json, rubric-2018.json or
    /// themes-2020.json; the kind is told by its shape) and publish it as the next version of
    /// its year, as `PUT /api/{calendars,rubrics,themes}/{year}` does. Field errors are printed
    /// as JSON with exit 1. A table equal to the latest version publishes nothing.
    Load {
        #[arg(long, default_value = "jiajia.sqlite3")]
        db: PathBuf,
        /// Why it changes (the notice's title, a correction), kept with the version.
        #[arg(long, default_value = "loaded from the command line")]
        reason: String,
        /// The year, for a theme table whose file names none.
        #[arg(long)]
        year: Option<u16>,
        /// Check only; publish nothing.
        #[arg(long)]
        check: bool,
        file: PathBuf,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a staff account. The password is read from JIAJIA_PASSWORD, or asked for.
    Add {
        #[arg(long, default_value = "jiajia.sqlite3")]
        db: PathBuf,
        #[arg(long)]
        username: String,
        /// The name shown in the app.
        #[arg(long)]
        name: String,
        /// village, town, city or admin.
        #[arg(long)]
        role: String,
        /// The user's org unit id.
        #[arg(long)]
        unit: String,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "backend=info,tower_http=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let result = match Cli::parse().command {
        Command::Check { file } => return check(file),
        Command::Serve {
            addr,
            db,
            dist,
            secure_cookies,
            trusted_proxies,
            header_timeout,
            body_timeout,
            idle_timeout,
            max_connections,
            max_batch,
        } => {
            let limits = backend::server::Limits {
                header_read: Duration::from_secs(header_timeout.max(1)),
                body_read: Duration::from_secs(body_timeout.max(1)),
                idle: Duration::from_secs(idle_timeout.max(1)),
                max_connections: max_connections.max(1),
            };
            let options = ServeOptions {
                secure: secure_cookies,
                trusted_proxies,
                limits,
                max_batch,
            };
            serve(addr, db, dist, options).await
        }
        Command::Unit {
            command:
                UnitCommand::Add {
                    db,
                    id,
                    name,
                    level,
                },
        } => add_unit(&db, &id, &name, &level),
        Command::User {
            command:
                UserCommand::Add {
                    db,
                    username,
                    name,
                    role,
                    unit,
                },
        } => add_staff(&db, &username, &name, &role, &unit),
        Command::Demo { db } => demo(&db),
        Command::Rules {
            command:
                RulesCommand::Load {
                    db,
                    reason,
                    year,
                    check,
                    file,
                },
        } => return load_rules(&db, &reason, year, check, &file),
        Command::Backup { db, file } => backend::db::backup(&db, &file)
            .map(|()| println!("backed up {} to {}", db.display(), file.display()))
            .map_err(|e| format!("backup failed: {e}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn check(file: Option<PathBuf>) -> ExitCode {
    use std::io::Read;
    let document = match file.as_deref() {
        Some(path) if path != Path::new("-") => {
            std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
        }
        _ => {
            let mut buf = Vec::new();
            std::io::stdin()
                .read_to_end(&mut buf)
                .map(|_| buf)
                .map_err(|e| e.to_string())
        }
    };
    let document = match document {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let today = shared::time::china_today(chrono::Utc::now());
    let output = shared::check::check(&document, today);
    println!(
        "{}",
        serde_json::to_string_pretty(&output).expect("JSON output")
    );
    ExitCode::from(output.exit_code())
}

/// Opens the database (migrating it) for a command-line change.
fn open(db: &Path) -> Result<rusqlite::Connection, String> {
    // Opening through `Db` runs the migrations; the change itself uses a plain connection.
    drop(Db::open(db).map_err(|e| format!("cannot open {}: {e}", db.display()))?);
    let conn = rusqlite::Connection::open(db).map_err(|e| e.to_string())?;
    conn.busy_timeout(std::time::Duration::from_secs(10))
        .map_err(|e| e.to_string())?;
    Ok(conn)
}

fn add_unit(db: &Path, id: &str, name: &str, level: &str) -> Result<(), String> {
    let level = Level::parse(level).ok_or("level must be city, town or village")?;
    org::add(&open(db)?, id, name, level).map_err(|e| e.to_string())?;
    println!("added {id} ({name})");
    Ok(())
}

fn add_staff(db: &Path, username: &str, name: &str, role: &str, unit: &str) -> Result<(), String> {
    let role = Role::parse(role).ok_or("role must be village, town, city or admin")?;
    let password = match std::env::var("JIAJIA_PASSWORD") {
        Ok(p) => p,
        Err(_) => rpassword::prompt_password("password: ").map_err(|e| e.to_string())?,
    };
    let now = chrono::Utc::now().to_rfc3339();
    add_user(&open(db)?, username, name, role, unit, &password, &now).map_err(|e| e.to_string())?;
    println!("added {username} ({role:?} at {unit})");
    Ok(())
}

fn load_rules(db: &Path, reason: &str, year: Option<u16>, check: bool, file: &Path) -> ExitCode {
    use backend::rules::{Table, publish};
    let fail = |e: String| {
        eprintln!("error: {e}");
        ExitCode::FAILURE
    };
    let json = match std::fs::read_to_string(file) {
        Ok(j) => j,
        Err(e) => return fail(format!("cannot read {}: {e}", file.display())),
    };
    let kind = Table::detect(&json);
    let table = match Table::parse(kind, &json, year) {
        Ok(t) => t,
        Err(e) => {
            println!("{}", serde_json::to_string_pretty(&e).expect("JSON output"));
            return fail(format!(
                "{} refused: {} field error(s)",
                kind.code(),
                e.0.len()
            ));
        }
    };
    let year = table.year().unwrap_or_default();
    if reason.trim().is_empty() {
        return fail("--reason must say why the table changes".into());
    }
    if check {
        println!("{} {year}: valid", kind.code());
        return ExitCode::SUCCESS;
    }
    let published = open(db).and_then(|conn| {
        let tx = conn.unchecked_transaction().map_err(|e| e.to_string())?;
        let at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        let outcome =
            publish(&tx, &table, None, reason.trim(), &at).map_err(|e| format!("{e:?}"))?;
        tx.commit().map_err(|e| e.to_string())?;
        Ok(outcome)
    });
    match published {
        Ok(o) if o.changed => {
            println!(
                "{} {year}: published version {}",
                kind.code(),
                o.published.version
            );
            ExitCode::SUCCESS
        }
        Ok(o) => {
            println!(
                "{} {year}: unchanged, still version {}",
                kind.code(),
                o.published.version
            );
            ExitCode::SUCCESS
        }
        Err(e) => fail(e),
    }
}

fn demo(db: &Path) -> Result<(), String> {
    let conn = open(db)?;
    let logins = backend::demo::install(&conn, chrono::Utc::now()).map_err(|e| e.to_string())?;
    println!(
        "demo logins (password for all: {}):",
        backend::demo::PASSWORD
    );
    for (username, role, unit) in logins {
        println!("  {username:<16} {role:<8} {unit}");
    }
    Ok(())
}

struct ServeOptions {
    secure: bool,
    trusted_proxies: Vec<std::net::IpAddr>,
    limits: backend::server::Limits,
    max_batch: usize,
}

async fn serve(
    addr: SocketAddr,
    db: PathBuf,
    dist: PathBuf,
    options: ServeOptions,
) -> Result<(), String> {
    let store = Db::open_with(&db, options.max_batch)
        .map_err(|e| format!("cannot open database {}: {e}", db.display()))?;
    if !dist.join("index.html").is_file() {
        tracing::warn!(
            "no built app in {}: only the API is served (run `cargo xtask run` to build it)",
            dist.display()
        );
    }
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let local = listener.local_addr().map_err(|e| e.to_string())?;
    let mut state = AppState::new(store);
    state.sessions.secure = options.secure;
    state.trusted_proxies = options.trusted_proxies.into();
    // Tests and scripts read this line to find the port.
    println!(
        "家家 listening on http://{local}/  (database: {})",
        db.display()
    );
    backend::server::serve(listener, app(state, Some(dist)), options.limits, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
    .map_err(|e| e.to_string())
}
