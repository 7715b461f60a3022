//! `cargo xtask run` and `cargo xtask test`: the two commands a fresh machine needs; and
//! `cargo xtask bench`, the figures of BENCHMARKS.md.
//!
//! Each step installs what is missing (the wasm target, the wasm-bindgen CLI at the exact
//! version in Cargo.lock, Chromium and its driver, the npm packages of tests/e2e: playwright-core
//! and binaryen's wasm-opt) and then does its work. Nothing is downloaded at build time beyond
//! those registries.

use std::env;
use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

type Result<T = ()> = std::result::Result<T, String>;

const USAGE: &str = "usage: cargo xtask <command>
  run [--addr A] [--db FILE]   build the app and start the server (default 127.0.0.1:8080, jiajia.sqlite3)
  dist [--debug] [--out DIR]   build the app into dist/ (release: size profile, then wasm-opt -O2)
  test                         run every test: Rust, wasm in headless Chromium, end-to-end
  size                         build the release app and check its size budget (fails: 2.5x over, see BENCHMARKS.md)
  bench [NAME…] [-- ARGS]      the figures of BENCHMARKS.md; NAME is one or more of
                               rubric warnings wasm keystroke submit (default: all); ARGS go
                               to bench-submit (e.g. --concurrency 64 --dir FOLDER)";

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
        Some("dist") => dist_command(&args[1..]),
        Some("test") => test(),
        Some("size") => size(),
        Some("bench") => bench(&args[1..]),
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

fn target_dir() -> PathBuf {
    env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
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

/// The npm packages of tests/e2e (package-lock.json): playwright-core for the browser tests
/// and benchmarks, binaryen for wasm-opt.
fn ensure_node_packages() -> Result {
    let dir = root().join("tests/e2e");
    let modules = dir.join("node_modules");
    if modules.join("playwright-core").is_dir() && wasm_opt().is_file() {
        return Ok(());
    }
    if !have("npm") {
        return Err(
            "wasm-opt (release builds) and the end-to-end tests need Node.js and npm \
                    (apt-get install nodejs npm)"
                .into(),
        );
    }
    exec(
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(dir),
    )
}

/// binaryen's wasm-opt, installed by npm into tests/e2e (Debian's is too old for our rustc).
fn wasm_opt() -> PathBuf {
    root().join("tests/e2e/node_modules/.bin/wasm-opt")
}

/// Cargo profile of the shipped wasm (the root Cargo.toml: opt-level "z", LTO, panic = abort).
const WASM_PROFILE: &str = "wasm-release";

/// Builds `package` (its `what`: `["--bin", name]` or `["--lib"]`) for the browser and runs
/// wasm-bindgen on it into `out` (emptied first) as `name.js` + `name_bg.wasm`; a release
/// build is then optimised with `wasm-opt -O2`.
fn build_wasm(
    package: &str,
    what: &[&str],
    file: &str,
    name: &str,
    out: &Path,
    release: bool,
) -> Result {
    ensure_wasm_target()?;
    ensure_wasm_bindgen()?;
    if release {
        ensure_node_packages()?;
    }
    let mut build = cargo();
    build
        .args(["build", "-p", package])
        .args(what)
        .args(["--target", "wasm32-unknown-unknown"]);
    if release {
        build.args(["--profile", WASM_PROFILE]);
    }
    exec(&mut build)?;
    let profile = if release { WASM_PROFILE } else { "debug" };
    let wasm = target_dir()
        .join("wasm32-unknown-unknown")
        .join(profile)
        .join(file);
    if out.exists() {
        // Only ever empty a folder of ours, or one this step made (`--out` is the user's).
        let ours = out == root().join("dist")
            || (out.starts_with(target_dir()) && out != target_dir().as_path());
        let made = out.join(format!("{name}_bg.wasm")).is_file();
        let empty = fs::read_dir(out).is_ok_and(|mut d| d.next().is_none());
        if !ours && !made && !empty {
            return Err(format!(
                "{} is not a build of the app: not emptying it",
                out.display()
            ));
        }
        fs::remove_dir_all(out).map_err(|e| format!("cannot clear {}: {e}", out.display()))?;
    }
    exec(
        Command::new("wasm-bindgen")
            .args([
                "--target",
                "web",
                "--no-typescript",
                "--out-name",
                name,
                "--out-dir",
            ])
            .arg(out)
            .arg(&wasm),
    )?;
    if release {
        let bg = out.join(format!("{name}_bg.wasm"));
        // Features come from the module's target_features section (what rustc enabled).
        // -O2, not -Oz: what travels is the brotli-compressed file, and -O2's output compresses
        // better (480,186 B against 489,036 B for the same app; BENCHMARKS.md).
        exec(
            Command::new(wasm_opt())
                .arg("-O2")
                .arg(&bg)
                .arg("-o")
                .arg(&bg),
        )?;
    }
    Ok(())
}

/// `cargo xtask dist [--debug] [--out DIR]`.
fn dist_command(args: &[String]) -> Result {
    let mut out = root().join("dist");
    let mut release = true;
    let mut args = args.iter();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--debug" => release = false,
            "--out" => out = args.next().ok_or("--out needs a folder")?.into(),
            _ => return Err(USAGE.to_owned()),
        }
    }
    dist(release, &out)
}

/// Builds the app into `out` (`dist/` for `run` and the end-to-end tests): wasm, its JS glue,
/// index.html and static files. Release is the shipped build: the `wasm-release` profile and
/// wasm-opt -O2; debug builds fast and keeps panics readable.
fn dist(release: bool, out: &Path) -> Result {
    build_wasm(
        "frontend",
        &["--bin", "frontend"],
        "frontend.wasm",
        "app",
        out,
        release,
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
    dist(true, &root().join("dist"))?;
    exec(cargo().args(["build", "--release", "-p", "backend"]))?;
    let backend = target_dir().join("release/backend");
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

/// Where `test` and `bench` put the release app, apart from the end-to-end tests' `dist/`.
fn release_dist() -> PathBuf {
    target_dir().join("dist-release")
}

fn test() -> Result {
    ensure_wasm_target()?;
    ensure_wasm_bindgen()?;
    ensure_chromium()?;
    ensure_node_packages()?;

    // 1. Rust: domain rules, the server against real SQLite files, these tasks. (The bench
    //    crates have no tests; leaving them out keeps their features out of this build.)
    exec(cargo().args([
        "test",
        "--workspace",
        "--exclude",
        "frontend",
        "--exclude",
        "bench-submit",
        "--exclude",
        "bench-wasm",
    ]))?;

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

    // 3. End to end: the built app and the real server binary, driven in Chromium; and the
    //    release app's size against its ceiling (the 200 KB goal is `cargo xtask size`: the app
    //    is over it today, see BENCHMARKS.md).
    dist(false, &root().join("dist"))?;
    dist(true, &release_dist())?;
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
            .arg("tests/e2e/size.check.mjs")
            .env("JIAJIA_RELEASE_DIST", release_dist())
            .current_dir(root()),
    )?;
    eprintln!("xtask: every test passed");
    Ok(())
}

/// `cargo xtask size`: the release app (size profile, wasm-opt) against its 200 KB budget.
fn size() -> Result {
    ensure_wasm_target()?;
    ensure_wasm_bindgen()?;
    ensure_node_packages()?;
    dist(true, &release_dist())?;
    exec(
        Command::new("node")
            .args(["--test", "tests/e2e/size.check.mjs"])
            .env("JIAJIA_RELEASE_DIST", release_dist())
            .env("JIAJIA_SIZE_GOAL", "1")
            .current_dir(root()),
    )
}

/// `cargo xtask bench [NAME…] [-- ARGS]`: every figure of BENCHMARKS.md, each bounded in time.
/// Timings are printed, never asserted.
fn bench(args: &[String]) -> Result {
    const ALL: [&str; 5] = ["rubric", "warnings", "wasm", "keystroke", "submit"];
    let split = args.iter().position(|a| a == "--").unwrap_or(args.len());
    let (names, extra) = (&args[..split], args.get(split + 1..).unwrap_or(&[]));
    if let Some(bad) = names.iter().find(|n| !ALL.contains(&n.as_str())) {
        return Err(format!("no bench {bad}\n{USAGE}"));
    }
    let wanted = |name: &str| names.is_empty() || names.iter().any(|n| n == name);
    let e2e = root().join("tests/e2e");

    // Natively, with criterion: the town rubric; warnings and completeness for a city.
    if wanted("rubric") {
        exec(
            cargo()
                .args(["bench", "-p", "shared", "--bench", "rubric", "--"])
                .args(["--warm-up-time", "1", "--measurement-time", "4"]),
        )?;
    }
    if wanted("warnings") {
        exec(
            cargo()
                .args(["bench", "-p", "shared", "--bench", "warnings", "--"])
                .args(["--warm-up-time", "1", "--measurement-time", "8"]),
        )?;
    }
    // The same rubric work in wasm, in headless Chromium.
    if wanted("wasm") {
        ensure_chromium()?;
        let out = target_dir().join("bench-wasm");
        build_wasm(
            "bench-wasm",
            &["--lib"],
            "bench_wasm.wasm",
            "bench_wasm",
            &out,
            true,
        )?;
        exec(
            Command::new("node")
                .arg(e2e.join("perf/rubric.mjs"))
                .arg(&out)
                .current_dir(root()),
        )?;
    }
    // Keystroke → painted preview in the release app, and submissions under load.
    let release_backend = target_dir().join("release/backend");
    if wanted("keystroke") {
        ensure_chromium()?;
        dist(true, &release_dist())?;
        exec(cargo().args(["build", "--release", "-p", "backend"]))?;
        exec(
            Command::new("node")
                .arg(e2e.join("perf/keystroke.mjs"))
                .env("JIAJIA_BACKEND", &release_backend)
                .env("JIAJIA_DIST", release_dist())
                .current_dir(root()),
        )?;
    }
    if wanted("submit") {
        exec(cargo().args(["build", "--release", "-p", "backend", "-p", "bench-submit"]))?;
        exec(
            Command::new(target_dir().join("release/bench-submit"))
                .arg("--backend")
                .arg(&release_backend)
                .arg("--dir")
                .arg(target_dir().join("bench-submit"))
                .args(extra)
                .current_dir(root()),
        )?;
    }
    Ok(())
}
