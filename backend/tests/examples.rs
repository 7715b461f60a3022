//! `backend check` on every example in `examples/`: each is valid, and what it computes is
//! what the README says it is.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn examples() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("examples/ exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

fn check(path: &Path) -> (i32, Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_backend"))
        .arg("check")
        .arg(path)
        .output()
        .unwrap();
    let value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{}: output is not JSON ({e})", path.display()));
    (out.status.code().unwrap(), value)
}

/// (example file, JSON pointer into the output, expected value).
const EXPECTED: &[(&str, &str, &str)] = &[
    // 31 May + 6 months is 30 November: on 29 November the item is 5 months open.
    ("visit.json", "/result/level", "\"orange\""),
    ("visit.json", "/result/months_open", "5"),
    // Police and village told: no must-report warning left; the town federation is not.
    ("visit.json", "/result/warnings/0/code", "\"risk.orange\""),
    (
        "visit.json",
        "/result/warnings/1/code",
        "\"report.complex\"",
    ),
    // Last follow-up 20 September: overdue on 29 November.
    (
        "visit.json",
        "/result/warnings/2/code",
        "\"followup.overdue\"",
    ),
    ("visit.json", "/record/parties/0/phone", "\"13812341234\""),
    ("key_person.json", "/result/is_child", "true"),
    ("meeting.json", "/result/next_convener", "\"陈红\""),
    ("meeting.json", "/result/visit_drafts/0/category", "\"B\""),
    ("monthly_report.json", "/result/due", "\"2026-11-08\""),
    ("completeness.json", "/result/rate", "\"50.00%\""),
    (
        "completeness.json",
        "/result/completeness/missing_units/0",
        "\"顾庄村\"",
    ),
];

#[test]
fn every_example_is_valid() {
    let files = examples();
    assert!(files.len() >= 5, "examples/ holds one file per kind");
    for path in &files {
        let (code, out) = check(path);
        assert_eq!(code, 0, "{}: {out:#}", path.display());
        assert_eq!(out["status"], "valid", "{}", path.display());
    }
    for kind in shared::check::KINDS {
        let named = files
            .iter()
            .any(|f| f.file_name().unwrap().to_string_lossy().starts_with(kind));
        assert!(named, "no example for kind {kind}");
    }
}

#[test]
fn examples_compute_what_the_readme_says() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    for (file, pointer, expected) in EXPECTED {
        let (_, out) = check(&dir.join(file));
        let expected: Value = serde_json::from_str(expected).unwrap();
        assert_eq!(out.pointer(pointer), Some(&expected), "{file} {pointer}");
    }
}

#[test]
fn a_broken_document_exits_2_and_field_errors_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"kind\":").unwrap();
    assert_eq!(check(&bad).0, 2);
    std::fs::write(
        &bad,
        r#"{"kind":"monthly_report","form":{"month":"2026-13"}}"#,
    )
    .unwrap();
    let (code, out) = check(&bad);
    assert_eq!(code, 1);
    let fields: Vec<&str> = out["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["id", "org_unit", "month"]);
}
