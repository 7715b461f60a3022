//! One valid form of every kind, taken from `examples/*.json` with the units changed to the
//! demo city's ids: what the replay, fuzz and access tests send.
#![allow(dead_code)]

use serde_json::{Value, json};

/// One kind of form as the API serves it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Kind {
    /// URL segment: `/api/{path}`.
    pub path: &'static str,
    /// Stored name (`records.kind`).
    pub stored: &'static str,
    /// The field naming the record's unit.
    pub unit_field: &'static str,
    /// The level of unit its records belong to here (`village` or `town`).
    pub level: &'static str,
    /// Only city staff and admins may write it.
    pub city_writes: bool,
    /// A free-text field of the form (top level), for markers and edits; `None` if it has none.
    pub text_field: Option<&'static str>,
}

pub const VISIT: Kind = Kind {
    path: "visits",
    stored: "visit",
    unit_field: "org_unit",
    level: "village",
    city_writes: false,
    text_field: Some("summary"),
};

pub const KINDS: [Kind; 9] = [
    VISIT,
    Kind {
        path: "key-persons",
        stored: "key_person",
        unit_field: "org_unit",
        level: "village",
        city_writes: false,
        text_field: Some("address"),
    },
    Kind {
        path: "meetings",
        stored: "meeting",
        unit_field: "org_unit",
        level: "village",
        city_writes: false,
        text_field: Some("must_discuss"),
    },
    Kind {
        path: "monthly-reports",
        stored: "monthly_report",
        unit_field: "org_unit",
        level: "village",
        city_writes: false,
        text_field: None,
    },
    Kind {
        path: "rights-cases",
        stored: "rights_case",
        unit_field: "org_unit",
        level: "town",
        city_writes: false,
        text_field: Some("facts"),
    },
    // 七有 (a village's 妇女之家) and 五有 (a town's station) are one kind with two levels.
    Kind {
        path: "self-assessments",
        stored: "self_assessment",
        unit_field: "org_unit",
        level: "village",
        city_writes: false,
        text_field: Some("remarks"),
    },
    Kind {
        path: "self-assessments",
        stored: "self_assessment",
        unit_field: "org_unit",
        level: "town",
        city_writes: false,
        text_field: Some("remarks"),
    },
    Kind {
        path: "model-homes",
        stored: "model_home",
        unit_field: "org_unit",
        level: "village",
        city_writes: false,
        text_field: Some("featured_activities"),
    },
    Kind {
        path: "town-assessments",
        stored: "town_assessment",
        unit_field: "town",
        level: "town",
        city_writes: true,
        text_field: None,
    },
];

/// The eight routes, one per stored kind.
pub fn paths() -> Vec<&'static str> {
    let mut p: Vec<&str> = KINDS.iter().map(|k| k.path).collect();
    p.dedup();
    p
}

fn example(file: &str) -> Value {
    let path = format!("{}/../examples/{file}", env!("CARGO_MANIFEST_DIR"));
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    doc["form"].clone()
}

/// The example form of `kind` with id `id`, belonging to `unit` (a demo unit of the kind's
/// level).
pub fn form(kind: Kind, id: &str, unit: &str) -> Value {
    let mut f = match (kind.stored, kind.level) {
        ("visit", _) => example("visit.json"),
        ("key_person", _) => example("key_person.json"),
        ("meeting", _) => example("meeting.json"),
        ("monthly_report", _) => example("monthly_report.json"),
        ("rights_case", _) => example("rights_case.json"),
        ("self_assessment", "village") => example("self_assessment_seven.json"),
        ("self_assessment", _) => example("self_assessment_five.json"),
        ("model_home", _) => example("model_home.json"),
        ("town_assessment", _) => example("town_assessments.json")["towns"][0].clone(),
        other => panic!("no example for {other:?}"),
    };
    f["id"] = json!(id);
    f[kind.unit_field] = json!(unit);
    f
}

/// `form` with a marker in its free-text field (when it has one), so that an answer can be
/// searched for it.
pub fn marked(kind: Kind, id: &str, unit: &str, marker: &str) -> Value {
    let mut f = form(kind, id, unit);
    if let Some(t) = kind.text_field {
        f[t] = json!(marker);
    }
    f
}

/// A valid change to a stored form (for edits): its text, or a figure when it has none.
pub fn edited(kind: Kind, form: &Value, n: u32) -> Value {
    let mut f = form.clone();
    match (kind.text_field, kind.stored) {
        (Some(t), _) => f[t] = json!(format!("{}（补充{n}）", f[t].as_str().unwrap_or(""))),
        (None, "monthly_report") => f["households_visited"] = json!((40 + n % 50).to_string()),
        (None, "town_assessment") => {
            f["items"]["rights.council_inactive"]["reason"] = json!(format!("补充说明{n}"))
        }
        (None, other) => panic!("no edit for {other}"),
    }
    f
}

/// Demo units by level.
pub const VILLAGES: [&str; 3] = [
    "rugao/baipu/linzi",
    "rugao/baipu/xinhe",
    "rugao/changjiang/gangkou",
];
pub const TOWNS: [&str; 2] = ["rugao/baipu", "rugao/changjiang"];

/// A demo unit where records of `kind` live, and a user who may write them there.
pub fn home(kind: Kind) -> (&'static str, &'static str) {
    match (kind.level, kind.city_writes) {
        (_, true) => ("rugao/baipu", "city"),
        ("town", _) => ("rugao/baipu", "baipu"),
        _ => ("rugao/baipu/linzi", "linzi"),
    }
}

/// The demo logins: (username, role, unit).
pub const USERS: [(&str, &str, &str); 7] = [
    ("admin", "admin", "rugao"),
    ("city", "city", "rugao"),
    ("baipu", "town", "rugao/baipu"),
    ("changjiang", "town", "rugao/changjiang"),
    ("linzi", "village", "rugao/baipu/linzi"),
    ("xinhe", "village", "rugao/baipu/xinhe"),
    ("gangkou", "village", "rugao/changjiang/gangkou"),
];

/// Whether a user of unit `scope` sees `unit` (the same prefix rule as the server's).
pub fn covers(scope: &str, unit: &str) -> bool {
    unit == scope || unit.starts_with(&format!("{scope}/"))
}

/// Rows of `records` for one (kind, id), read straight from the file.
pub fn versions_in_db(db: &std::path::Path, stored: &str, id: &str) -> i64 {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    conn.query_row(
        "SELECT count(*) FROM records WHERE kind = ?1 AND id = ?2",
        [stored, id],
        |r| r.get(0),
    )
    .unwrap()
}

/// (records, heads, audit creates + edits) in the file.
pub fn counts(db: &std::path::Path) -> (i64, i64, i64) {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let n = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
    (
        n("SELECT count(*) FROM records"),
        n("SELECT count(*) FROM heads"),
        n("SELECT count(*) FROM audit WHERE action IN ('create', 'edit')"),
    )
}
