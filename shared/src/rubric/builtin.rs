//! The built-in 2018 rubric (seed 004) as Rust statics, so the app neither carries the JSON
//! file nor the code that reads and checks it (issue 15). `builtin_2018.rs` holds the tables,
//! written from `data/rubric-2018.json` by the test below; the test fails when they differ from
//! the file (`JIAJIA_WRITE_RUBRIC=1 cargo test -p shared builtin` writes them anew).

use super::{Bonus, BonusItem, Category, Choice, Item, Rubric, Rule, Score};

/// A category of the table.
struct C {
    id: &'static str,
    name: &'static str,
    name_en: &'static str,
    points: i64,
    targets: &'static [&'static str],
    items: &'static [I],
}

/// An item: id, name, name_en, text, en, note, rule.
struct I(
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    R,
);

/// A [`Rule`], points in hundredths.
enum R {
    Shortfall(u32, i64),
    Flag(i64),
    Checklist(&'static [O], i64),
    PerOccurrence(i64),
    Choice(&'static [O]),
    Discretionary(i64, i64),
    Proportional(i64),
    AssessorScore(i64),
}

/// A [`Choice`]: id, name, name_en, deduction.
struct O(&'static str, &'static str, &'static str, Option<i64>);

/// A bonus line: id, name, name_en, text, en, points.
struct B(
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    i64,
);

include!("builtin_2018.rs");

fn choices(os: &[O]) -> Vec<Choice> {
    os.iter()
        .map(|O(id, name, name_en, deduction)| Choice {
            id: (*id).into(),
            name: (*name).into(),
            name_en: (*name_en).into(),
            deduction: deduction.map(Score::from_hundredths),
        })
        .collect()
}

fn rule(r: &R) -> Rule {
    let h = Score::from_hundredths;
    match *r {
        R::Shortfall(required, per_missing) => Rule::Shortfall {
            required,
            per_missing: h(per_missing),
        },
        R::Flag(d) => Rule::Flag { deduction: h(d) },
        R::Checklist(elements, per_missing) => Rule::Checklist {
            elements: choices(elements),
            per_missing: h(per_missing),
        },
        R::PerOccurrence(p) => Rule::PerOccurrence {
            per_occurrence: h(p),
        },
        R::Choice(options) => Rule::Choice {
            options: choices(options),
        },
        R::Discretionary(min, max) => Rule::Discretionary {
            min: h(min),
            max: h(max),
        },
        R::Proportional(max) => Rule::Proportional { max: h(max) },
        R::AssessorScore(max) => Rule::AssessorScore { max: h(max) },
    }
}

/// The 2018 rubric; equal to `Rubric::from_json(RUBRIC_2018_JSON)` (tested).
pub(super) fn rubric_2018() -> Rubric {
    let s = |t: &str| t.to_owned();
    Rubric {
        year: YEAR,
        title: s(TITLE),
        full_marks: Score::from_hundredths(FULL_MARKS),
        categories: CATEGORIES
            .iter()
            .map(|c| Category {
                id: s(c.id),
                name: s(c.name),
                name_en: s(c.name_en),
                points: Score::from_hundredths(c.points),
                targets: c.targets.iter().map(|t| s(t)).collect(),
                items: c
                    .items
                    .iter()
                    .map(|I(id, name, name_en, text, en, note, r)| Item {
                        id: s(id),
                        name: s(name),
                        name_en: s(name_en),
                        text: s(text),
                        en: s(en),
                        note: s(note),
                        rule: rule(r),
                    })
                    .collect(),
            })
            .collect(),
        bonus: Bonus {
            cap: Score::from_hundredths(BONUS_CAP),
            items: BONUS
                .iter()
                .map(|B(id, name, name_en, text, en, points)| BonusItem {
                    id: s(id),
                    name: s(name),
                    name_en: s(name_en),
                    text: s(text),
                    en: s(en),
                    points: Score::from_hundredths(*points),
                })
                .collect(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::super::RUBRIC_2018_JSON;
    use super::*;

    /// The tables as Rust source, from the checked rubric.
    fn tables(r: &Rubric) -> String {
        let q = |t: &str| format!("{t:?}");
        let h = |s: Score| s.hundredths().to_string();
        let opts = |os: &[Choice]| {
            let list: Vec<String> = os
                .iter()
                .map(|o| {
                    let d = o
                        .deduction
                        .map_or("None".to_owned(), |d| format!("Some({})", h(d)));
                    format!("O({}, {}, {}, {d})", q(&o.id), q(&o.name), q(&o.name_en))
                })
                .collect();
            format!("&[{}]", list.join(", "))
        };
        let rule = |r: &Rule| match r {
            Rule::Shortfall {
                required,
                per_missing,
            } => format!("R::Shortfall({required}, {})", h(*per_missing)),
            Rule::Flag { deduction } => format!("R::Flag({})", h(*deduction)),
            Rule::Checklist {
                elements,
                per_missing,
            } => format!("R::Checklist({}, {})", opts(elements), h(*per_missing)),
            Rule::PerOccurrence { per_occurrence } => {
                format!("R::PerOccurrence({})", h(*per_occurrence))
            }
            Rule::Choice { options } => format!("R::Choice({})", opts(options)),
            Rule::Discretionary { min, max } => {
                format!("R::Discretionary({}, {})", h(*min), h(*max))
            }
            Rule::Proportional { max } => format!("R::Proportional({})", h(*max)),
            Rule::AssessorScore { max } => format!("R::AssessorScore({})", h(*max)),
        };
        let mut out = String::from(
            "// Generated from data/rubric-2018.json by the test in builtin.rs; do not edit.\n\n",
        );
        out += &format!("const YEAR: u16 = {};\n", r.year);
        out += &format!("const TITLE: &str = {};\n", q(&r.title));
        out += &format!("const FULL_MARKS: i64 = {};\n", h(r.full_marks));
        out += &format!("const BONUS_CAP: i64 = {};\n\n", h(r.bonus.cap));
        out += &format!("static CATEGORIES: [C; {}] = [\n", r.categories.len());
        for c in &r.categories {
            out += &format!(
                "    C {{\n        id: {},\n        name: {},\n        name_en: {},\n        points: {},\n",
                q(&c.id),
                q(&c.name),
                q(&c.name_en),
                h(c.points)
            );
            let targets: Vec<String> = c.targets.iter().map(|t| q(t)).collect();
            out += &format!(
                "        targets: &[{}],\n        items: &[\n",
                targets.join(", ")
            );
            for i in &c.items {
                out += &format!(
                    "            I({}, {}, {}, {}, {}, {}, {}),\n",
                    q(&i.id),
                    q(&i.name),
                    q(&i.name_en),
                    q(&i.text),
                    q(&i.en),
                    q(&i.note),
                    rule(&i.rule)
                );
            }
            out += "        ],\n    },\n";
        }
        out += "];\n\n";
        out += &format!("static BONUS: [B; {}] = [\n", r.bonus.items.len());
        for b in &r.bonus.items {
            out += &format!(
                "    B({}, {}, {}, {}, {}, {}),\n",
                q(&b.id),
                q(&b.name),
                q(&b.name_en),
                q(&b.text),
                q(&b.en),
                h(b.points)
            );
        }
        out += "];\n";
        out
    }

    #[test]
    fn builtin_is_the_file() {
        let file = Rubric::from_json(RUBRIC_2018_JSON).expect("the 2018 file is valid");
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/rubric/builtin_2018.rs");
        let want = tables(&file);
        if std::env::var_os("JIAJIA_WRITE_RUBRIC").is_some() {
            std::fs::write(path, &want).unwrap();
        }
        let have = std::fs::read_to_string(path).unwrap();
        assert!(
            have == want,
            "src/rubric/builtin_2018.rs differs from data/rubric-2018.json: \
             JIAJIA_WRITE_RUBRIC=1 cargo test -p shared builtin"
        );
        assert_eq!(rubric_2018(), file);
    }
}
