//! `backend serve`: the 家家 server.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use backend::{AppState, Store, app};
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
    },
    /// Check one JSON document (any form, or a year's town assessments) and print its field
    /// errors or everything the rules compute, as JSON. Exit 0 valid, 1 field errors,
    /// 2 unreadable. See examples/ for one document per kind.
    Check {
        /// The document; `-` or nothing reads standard input.
        file: Option<PathBuf>,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "backend=info,tower_http=warn".into()),
        )
        .init();
    let cli = Cli::parse();
    match cli.command {
        Command::Check { file } => check(file),
        Command::Serve { addr, db, dist } => match serve(addr, db, dist).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
    }
}

fn check(file: Option<PathBuf>) -> ExitCode {
    use std::io::Read;
    let document = match file.as_deref() {
        Some(path) if path != std::path::Path::new("-") => {
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

async fn serve(addr: SocketAddr, db: PathBuf, dist: PathBuf) -> Result<(), String> {
    let store =
        Store::open(&db).map_err(|e| format!("cannot open database {}: {e}", db.display()))?;
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
    // Tests and scripts read this line to find the port.
    println!(
        "家家 listening on http://{local}/  (database: {})",
        db.display()
    );
    axum::serve(listener, app(AppState::new(store), Some(dist)))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| e.to_string())
}
