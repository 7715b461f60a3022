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

/// Picks from lists by a seed: cheaper than a regex strategy per character, which made the
/// generators of 20-field forms slow.
struct Pick(u64);

impl Pick {
    fn below(&mut self, n: usize) -> usize {
        // A 64-bit LCG (Knuth's MMIX constants): enough spread for test data.
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % n
    }

    fn from(&mut self, chars: &[char]) -> char {
        chars[self.below(chars.len())]
    }
}

const HAN: &[char] = &[
    '王', '李', '张', '刘', '陈', '杨', '黄', '周', '吴', '徐', '芳', '娟', '丽', '敏', '静', '秀',
    '英', '华', '燕', '霞', '村', '镇', '组', '号', '家', '庭', '纠', '纷', '调', '解', '妇', '女',
    '儿', '童', '关', '爱', '走', '访', '议', '事', '𠀋', '㐀',
];
const LATIN: &[char] = &[
    'a', 'b', 'e', 'k', 'n', 'o', 's', 'x', 'z', '0', '3', '7', '9',
];
const PUNCT: &[char] = &['，', '。', '、', '（', '）', '-', '“', '”'];

/// A valid 姓名: 1–4 Chinese characters or a latin name, at times with a zero-width character
/// inside (dropped by parsing) and spaces around.
pub fn name() -> impl Strategy<Value = String> {
    padded(
        (any::<u64>(), 0u8..6, 1usize..=4).prop_map(|(seed, style, n)| {
            let mut p = Pick(seed);
            let han = |p: &mut Pick, n: usize| (0..n).map(|_| p.from(HAN)).collect::<String>();
            match style {
                0 => {
                    let word = |p: &mut Pick| {
                        let first = p.from(&['L', 'W', 'Z', 'C', 'M']);
                        let rest: String = (0..=p.below(7)).map(|_| p.from(LATIN)).collect();
                        format!("{first}{rest}")
                    };
                    format!("{} {}", word(&mut p), word(&mut p))
                }
                1 => format!("{}\u{200B}{}", han(&mut p, 1), han(&mut p, n.min(3))),
                _ => han(&mut p, n),
            }
        }),
    )
}

/// A valid text of at most `max` characters: one line below 500, else possibly several lines.
pub fn text(max: usize) -> impl Strategy<Value = String> {
    let multi_line = max >= crate::value::MULTI_LINE_FROM;
    let longest = (max / 2).clamp(1, 120);
    padded(
        (any::<u64>(), 0u8..5, 0..longest).prop_map(move |(seed, style, n)| {
            let mut p = Pick(seed);
            if style == 0 {
                // Exactly `max` characters.
                return "字".repeat(max);
            }
            let mut out = String::from(p.from(HAN));
            for _ in 1..n.min(max) {
                let c = match p.below(10) {
                    0..=4 => p.from(HAN),
                    5 | 6 => p.from(LATIN),
                    7 => p.from(PUNCT),
                    8 => ' ',
                    _ if multi_line => p.from(&['\n', '\t', ' ']),
                    _ => p.from(HAN),
                };
                out.push(c);
            }
            out
        }),
    )
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
    padded((any::<u64>(), 0u8..6).prop_map(|(seed, style)| {
        let mut p = Pick(seed);
        let mut digits = |n: usize, first: &[char]| {
            let mut s = String::from(p.from(first));
            for _ in 1..n {
                s.push(p.from(&['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']));
            }
            s
        };
        let all = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
        let nonzero = &all[1..];
        match style {
            0..=2 => {
                let m = format!("1{}{}", digits(1, &all[3..]), digits(9, &all));
                let sep = [" ", "-", ""][usize::from(style)];
                format!("{}{sep}{}{sep}{}", &m[..3], &m[3..7], &m[7..])
            }
            3 => {
                let area = format!("0{}", digits(2 + usize::from(seed % 2 == 0), nonzero));
                let number = digits(7 + usize::from(seed % 3 == 0), nonzero);
                format!("{area}-{number}")
            }
            4 => format!("0{} {}", digits(3, nonzero), digits(7, nonzero)),
            _ => format!("0{}{}", digits(3, nonzero), digits(8, nonzero)),
        }
    }))
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
