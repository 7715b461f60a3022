//! SPEC §2: "Dates never in the future unless the field is a deadline." For every dated field of
//! every form, any day after today is refused, naming the field — checked on the examples.

use chrono::{Days, NaiveDate};
use proptest::prelude::*;
use serde_json::Value;
use shared::check::{CheckOutput, check};

const EXAMPLES: &[(&str, &str)] = &[
    ("visit", include_str!("../../examples/visit.json")),
    ("key_person", include_str!("../../examples/key_person.json")),
    ("meeting", include_str!("../../examples/meeting.json")),
    (
        "rights_case",
        include_str!("../../examples/rights_case.json"),
    ),
    (
        "self_assessment",
        include_str!("../../examples/self_assessment_seven.json"),
    ),
    ("model_home", include_str!("../../examples/model_home.json")),
];

/// (example, JSON pointer of a date inside `form`, the field key the error must name).
const DATE_FIELDS: &[(&str, &str, &str)] = &[
    ("visit", "/visit_date", "visit_date"),
    ("visit", "/resolved_on", "resolved_on"),
    ("visit", "/reports/police", "reports.police"),
    ("visit", "/follow_ups/0/date", "follow_ups[0].date"),
    ("key_person", "/care/0/date", "care[0].date"),
    ("meeting", "/date", "date"),
    ("rights_case", "/stages/5/date", "stages[5].date"),
    ("self_assessment", "/assessed_on", "assessed_on"),
    (
        "model_home",
        "/opinions/district/date",
        "opinions.district.date",
    ),
];

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 29).unwrap()
}

fn document(kind: &str) -> Value {
    let raw = EXAMPLES.iter().find(|(k, _)| *k == kind).unwrap().1;
    serde_json::from_str(raw).unwrap()
}

fn errors_of(doc: &Value) -> Vec<(String, String)> {
    match check(doc.to_string().as_bytes(), today()) {
        CheckOutput::Invalid { errors, .. } => errors
            .into_iter()
            .map(|e| {
                (
                    e.field,
                    serde_json::to_value(&e.problem).unwrap()["code"]
                        .as_str()
                        .unwrap()
                        .to_owned(),
                )
            })
            .collect(),
        other => panic!("expected field errors, got {other:?}"),
    }
}

/// Sets the value at `pointer`, adding the last key to its object when the example leaves it out.
fn set(form: &mut Value, pointer: &str, value: Value) {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    let parent = form
        .pointer_mut(parent)
        .unwrap_or_else(|| panic!("no {parent} in the example"));
    match parent {
        Value::Object(map) => {
            map.insert(key.to_owned(), value);
        }
        Value::Array(items) => items[key.parse::<usize>().unwrap()] = value,
        other => panic!("cannot set {pointer} in {other}"),
    }
}

#[test]
fn every_example_is_valid_as_of_its_day() {
    for (kind, _) in EXAMPLES {
        let mut doc = document(kind);
        doc["today"] = Value::String(today().to_string());
        let out = check(doc.to_string().as_bytes(), today());
        assert_eq!(out.exit_code(), 0, "{kind}: {out:?}");
    }
}

proptest! {
    #[test]
    fn a_day_after_today_is_refused_by_name(i in 0..DATE_FIELDS.len(), ahead in 1u64..4000) {
        let (kind, pointer, field) = DATE_FIELDS[i];
        let mut doc = document(kind);
        doc["today"] = Value::String(today().to_string());
        let future = (today() + Days::new(ahead)).to_string();
        set(&mut doc["form"], pointer, Value::String(future));
        let errors = errors_of(&doc);
        prop_assert!(
            errors.contains(&(field.to_owned(), "future_date".to_owned())),
            "{kind} {field}: {errors:?}"
        );
    }

    #[test]
    fn a_month_after_this_one_cannot_be_reported(ahead in 1u32..120) {
        let raw = include_str!("../../examples/monthly_report.json");
        let mut doc: Value = serde_json::from_str(raw).unwrap();
        doc["today"] = Value::String(today().to_string());
        let m = 11 + ahead; // months since January 2026, counting from November
        let month = format!("{}-{:02}", 2026 + (m - 1) / 12, (m - 1) % 12 + 1);
        doc["form"]["month"] = Value::String(month);
        prop_assert!(errors_of(&doc).contains(&("month".to_owned(), "future_date".to_owned())));
    }
}
