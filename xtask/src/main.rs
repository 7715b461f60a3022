//! `cargo xtask run` and `cargo xtask test`: the two commands a fresh machine needs.
//!
//! Each step installs what is missing (the wasm target, the wasm-bindgen CLI at the exact
//! version in Cargo.lock, Chromium and its driver, the end-to-end test's npm packages) and then
//! does its work. Nothing is downloaded at build time beyond those registries.

use std::env;
use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

type Result<T = ()> = std::result::Result<T, String>;

const USAGE: &str = "usage: cargo xtask <command>
  run [--addr A] [--db FILE]   build the app and start the server (default 127.0.0.1:8080, jiajia.sqlite3)
  dist [--debug]               build the app into dist/
  test                         run every test: Rust, wasm in headless Chromium, end-to-end";

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
        Some("dist") => dist(!args.iter().any(|a| a == "--debug")),
        Some("test") => test(),
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .into()
}

fn cargo() -> Command {
    let mut c = Command::new(env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    c.current_dir(root());
    c
}

/// Runs `cmd`, failing with its command line if it does not succeed.
fn exec(cmd: &mut Command) -> Result {
    let shown = format!(
        "{} {}",
        cmd.get_program().to_string_lossy(),
        cmd.get_args()
            .map(OsStr::to_string_lossy)
            .collect::<Vec<_>>()
            .join(" ")
    );
    eprintln!("xtask: $ {shown}");
    let status = cmd
        .status()
        .map_err(|e| format!("cannot start `{shown}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{shown}` failed ({status})"))
    }
}

fn output(cmd: &mut Command) -> Option<String> {
    let out = cmd.output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

fn have(program: &str) -> bool {
    output(Command::new("sh").args(["-c", &format!("command -v {program}")])).is_some()
}

fn ensure_wasm_target() -> Result {
    let installed = output(Command::new("rustup").args(["target", "list", "--installed"]))
        .ok_or("rustup is needed to add the wasm32 target")?;
    if !installed.lines().any(|l| l == "wasm32-unknown-unknown") {
        exec(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    Ok(())
}

/// The wasm-bindgen version pinned in Cargo.lock; the CLI must match it exactly.
fn locked_wasm_bindgen() -> Result<String> {
    let id = output(cargo().args(["pkgid", "--offline", "-p", "wasm-bindgen"]))
        .or_else(|| output(cargo().args(["pkgid", "-p", "wasm-bindgen"])))
        .ok_or("cannot read the wasm-bindgen version from Cargo.lock")?;
    id.rsplit(['@', '#'])
        .next()
        .map(str::to_owned)
        .ok_or(format!("odd package id {id}"))
}

fn ensure_wasm_bindgen() -> Result {
    let want = locked_wasm_bindgen()?;
    let have = output(Command::new("wasm-bindgen").arg("--version"));
    if have.as_deref().and_then(|v| v.split_whitespace().nth(1)) == Some(want.as_str()) {
        return Ok(());
    }
    eprintln!("xtask: installing wasm-bindgen-cli {want} (a few minutes, once)");
    let install = |locked: bool| {
        let mut c = cargo();
        c.args(["install", "wasm-bindgen-cli", "--version", &want, "--force"]);
        if locked {
            c.arg("--locked");
        }
        exec(&mut c)
    };
    // --locked fails when a locked dependency is missing from the registry mirror.
    install(true).or_else(|_| install(false))
}

fn ensure_chromium() -> Result {
    if have("chromium") && have("chromedriver") {
        return Ok(());
    }
    let root_user = output(Command::new("id").arg("-u")).as_deref() == Some("0");
    if !root_user {
        return Err(
            "browser tests need Chromium: sudo apt-get install chromium chromium-driver".into(),
        );
    }
    exec(Command::new("apt-get").arg("update"))?;
    exec(
        Command::new("apt-get")
            .args([
                "install",
                "-y",
                "--no-install-recommends",
                "chromium",
                "chromium-driver",
            ])
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}

fn ensure_e2e_packages() -> Result {
    let dir = root().join("tests/e2e");
    if dir.join("node_modules/playwright-core").is_dir() {
        return Ok(());
    }
    if !have("npm") {
        return Err("end-to-end tests need Node.js and npm (apt-get install nodejs npm)".into());
    }
    exec(
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(dir),
    )
}

/// Builds the app into `dist/`: wasm, its JS glue, index.html and static files.
fn dist(release: bool) -> Result {
    ensure_wasm_target()?;
    ensure_wasm_bindgen()?;
    let mut build = cargo();
    build.args([
        "build",
        "-p",
        "frontend",
        "--bin",
        "frontend",
        "--target",
        "wasm32-unknown-unknown",
    ]);
    if release {
        build.arg("--release");
    }
    exec(&mut build)?;
    let profile = if release { "release" } else { "debug" };
    let target_dir = env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"));
    let wasm = target_dir
        .join("wasm32-unknown-unknown")
        .join(profile)
        .join("frontend.wasm");
    let out = root().join("dist");
    if out.exists() {
        fs::remove_dir_all(&out).map_err(|e| format!("cannot clear {}: {e}", out.display()))?;
    }
    exec(
        Command::new("wasm-bindgen")
            .args([
                "--target",
                "web",
                "--no-typescript",
                "--out-name",
                "app",
                "--out-dir",
            ])
            .arg(&out)
            .arg(&wasm),
    )?;
    let copy = |from: &Path, to: &Path| {
        fs::copy(from, to).map_err(|e| format!("cannot copy {}: {e}", from.display()))
    };
    copy(&root().join("index.html"), &out.join("index.html"))?;
    let statics = root().join("frontend/static");
    for entry in fs::read_dir(&statics).map_err(|e| e.to_string())? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_file() {
            copy(&path, &out.join(path.file_name().expect("a file")))?;
        }
    }
    // One stylesheet for the browser, kept as one file per part of the app in the source.
    let mut parts: Vec<PathBuf> = fs::read_dir(statics.join("css"))
        .map_err(|e| format!("cannot read frontend/static/css: {e}"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "css"))
        .collect();
    parts.sort();
    let mut css = String::new();
    for part in parts {
        css += &fs::read_to_string(&part)
            .map_err(|e| format!("cannot read {}: {e}", part.display()))?;
        css.push('\n');
    }
    fs::write(out.join("style.css"), css).map_err(|e| format!("cannot write style.css: {e}"))?;
    eprintln!("xtask: app built in {}", out.display());
    Ok(())
}

fn run(args: &[String]) -> Result {
    dist(true)?;
    exec(cargo().args(["build", "--release", "-p", "backend"]))?;
    let target_dir = env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"));
    let backend = target_dir.join("release/backend");
    let db = args
        .iter()
        .position(|a| a == "--db")
        .and_then(|i| args.get(i + 1).cloned())
        .unwrap_or_else(|| "jiajia.sqlite3".into());
    // The demo city is installed once; later runs only print its logins.
    exec(
        Command::new(&backend)
            .args(["demo", "--db", &db])
            .current_dir(root()),
    )?;
    let mut serve = Command::new(&backend);
    serve.current_dir(root()).args(["serve", "--dist", "dist"]);
    if !args.iter().any(|a| a == "--db") {
        serve.args(["--db", &db]);
    }
    serve.args(args);
    exec(&mut serve)
}

fn test() -> Result {
    ensure_wasm_target()?;
    ensure_wasm_bindgen()?;
    ensure_chromium()?;
    ensure_e2e_packages()?;

    // 1. Rust: domain rules, the server against real SQLite files, these tasks.
    exec(cargo().args(["test", "--workspace", "--exclude", "frontend"]))?;

    // 2. The app's own tests, compiled to wasm and run in headless Chromium.
    exec(
        cargo()
            .args([
                "test",
                "-p",
                "frontend",
                "--target",
                "wasm32-unknown-unknown",
            ])
            .env(
                "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
                "wasm-bindgen-test-runner",
            )
            .env("CHROMEDRIVER", "chromedriver")
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120"),
    )?;

    // 3. End to end: the built app and the real server binary, driven in Chromium.
    dist(false)?;
    exec(cargo().args(["build", "-p", "backend"]))?;
    let e2e = root().join("tests/e2e");
    let mut files: Vec<PathBuf> = fs::read_dir(&e2e)
        .map_err(|e| format!("cannot read {}: {e}", e2e.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".test.mjs"))
        .collect();
    files.sort();
    exec(
        Command::new("node")
            .arg("--test")
            .args(&files)
            .current_dir(root()),
    )?;
    eprintln!("xtask: every test passed");
    Ok(())
}
