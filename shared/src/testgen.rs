//! Generators of valid form values for the property tests, and the count that shows a
//! generator really makes valid forms (a property checked only on the valid cases checks
//! nothing when almost none are).

use chrono::NaiveDate;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use uuid::Uuid;

/// Surrounds `s` with what people type around a value and parsing drops: nothing most of the
/// time, else spaces or a tab.
pub fn padded(s: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
    (s, 0usize..6).prop_map(|(s, pad)| match pad {
        0 => format!(" {s}"),
        1 => format!("{s}  "),
        2 => format!("\t{s} "),
        _ => s,
    })
}

/// A non-nil id, as the client makes.
pub fn id() -> impl Strategy<Value = Uuid> {
    any::<u128>().prop_map(|n| Uuid::from_u128(n | 1))
}

/// A valid 姓名: 1–4 Chinese characters or a latin name, at times with a zero-width character
/// inside (dropped by parsing) and spaces around.
pub fn name() -> impl Strategy<Value = String> {
    padded(prop_oneof![
        4 => "[\u{4e00}-\u{9fa5}]{1,4}",
        1 => "[A-Z][a-z]{1,8}( [A-Z][a-z]{1,8})?",
        1 => "[\u{4e00}-\u{9fa5}]\u{200B}[\u{4e00}-\u{9fa5}]{1,2}",
    ])
}

/// A valid text of at most `max` characters: one line below 500, else possibly several lines.
pub fn text(max: usize) -> impl Strategy<Value = String> {
    let long = (max / 2).clamp(1, 120);
    let body = if max >= crate::value::MULTI_LINE_FROM {
        format!("[\u{4e00}-\u{9fa5}a-z0-9，。][\u{4e00}-\u{9fa5}a-z0-9，。 \n\t]{{0,{long}}}")
    } else {
        let rest = (max - 1).min(long);
        format!("[\u{4e00}-\u{9fa5}a-z0-9，。][\u{4e00}-\u{9fa5}a-z0-9，。 ]{{0,{rest}}}")
    };
    let short = max.min(10);
    padded(prop_oneof![
        3 => proptest::string::string_regex(&body).expect("valid regex"),
        // A text of exactly `max` characters.
        1 => Just("字".repeat(max)),
        1 => proptest::string::string_regex(&format!("[\u{4e00}-\u{9fa5}]{{1,{short}}}")).expect("valid regex"),
    ])
}

/// An optional field: empty (or only spaces, which is empty too) or `value`.
pub fn opt(value: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
    prop_oneof![
        2 => Just(String::new()),
        1 => Just("  ".to_owned()),
        4 => value,
    ]
}

/// A valid 联系电话: mobile or landline, written as people write them.
pub fn phone() -> impl Strategy<Value = String> {
    padded(prop_oneof![
        "1[3-9][0-9]{9}",
        "1[3-9][0-9] [0-9]{4} [0-9]{4}",
        "1[3-9][0-9]-[0-9]{4}-[0-9]{4}",
        "0[1-9][0-9]{1,2}-[1-9][0-9]{6,7}",
        "0[1-9][0-9]{2} [1-9][0-9]{6,7}",
        "0[1-9][0-9]{2}[1-9][0-9]{7}",
    ])
}

/// A whole number in `range`, written as typed (at times with spaces around).
pub fn number(range: std::ops::RangeInclusive<u32>) -> impl Strategy<Value = String> {
    padded(range.prop_map(|n| n.to_string()))
}

/// The date `seed` picks in `from..=to`, written `YYYY-MM-DD`.
pub fn date_in(from: NaiveDate, to: NaiveDate, seed: u32) -> NaiveDate {
    let days = (to - from).num_days().max(0);
    from + chrono::Duration::days(i64::from(seed) % (days + 1))
}

pub fn ymd(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Runs `strategy` 1,000 times from a fixed seed and returns how many values `valid` accepts;
/// asserts it is at least 90%, and prints the count (`cargo test -- --nocapture`).
pub fn assert_mostly_valid<S: Strategy>(
    what: &str,
    strategy: S,
    valid: impl Fn(&S::Value) -> bool,
) {
    const N: usize = 1000;
    let mut runner = TestRunner::deterministic();
    let ok = (0..N)
        .filter(|_| {
            let value = strategy
                .new_tree(&mut runner)
                .expect("the generator makes a value")
                .current();
            valid(&value)
        })
        .count();
    println!("{what}: {ok}/{N} generated forms parse");
    assert!(
        ok * 10 >= N * 9,
        "{what}: only {ok}/{N} generated forms parse"
    );
}
