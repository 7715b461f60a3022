//! 统计 (SPEC §7, 002) and the exact ratios the dashboards show.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::case::{Channel, RightsCase};
use crate::register::KeyPerson;
use crate::visit::{Category, VisitRecord};

/// An exact share, e.g. 调处化解率 = resolved / found, shown as a percentage to 0.01 without
/// floating point so the browser and the server print the same figure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Ratio {
    pub numerator: u64,
    pub denominator: u64,
}

impl Ratio {
    pub fn new(numerator: u64, denominator: u64) -> Self {
        Ratio {
            numerator,
            denominator,
        }
    }

    /// Hundredths of a percent, rounded half up; `None` when there is nothing to divide by.
    pub fn percent_hundredths(self) -> Option<u64> {
        if self.denominator == 0 {
            return None;
        }
        let scaled = u128::from(self.numerator) * 10_000;
        let den = u128::from(self.denominator);
        Some(((scaled * 2 + den) / (den * 2)) as u64)
    }

    /// "87.50%", or "—" when the denominator is 0.
    pub fn percent_text(self) -> String {
        match self.percent_hundredths() {
            Some(h) => format!("{}.{:02}%", h / 100, h % 100),
            None => "—".to_owned(),
        }
    }
}

/// 统计期间: both ends included.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    pub fn contains(self, d: NaiveDate) -> bool {
        self.from <= d && d <= self.to
    }
}

/// 镇街统计 (002: "共排查了87名重点人群、22户重点家庭，以及6起婚姻家庭矛盾纠纷，并接待了3件来电来访，
/// 调处化解率达到了100%").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TownStatistics {
    pub period: Period,
    /// 排查重点人群: register rows added in the period.
    pub key_people: u32,
    /// 重点家庭: distinct addresses among them.
    pub key_households: u32,
    /// 矛盾纠纷: visit records first reported in the period…
    pub disputes_found: u32,
    /// …by category A/B/C.
    pub disputes_by_category: [u32; 3],
    /// …of which resolved by the end of the period.
    pub disputes_resolved: u32,
    /// 来电来访: rights cases that came in by phone or in person in the period.
    pub calls_and_visits: u32,
    /// 调处化解率 = resolved / found.
    pub resolution_rate: Ratio,
}

impl TownStatistics {
    /// The figures' keys and labels (zh, en), in the order of the dashboard's table and its
    /// export.
    pub const FIGURES: [(&'static str, &'static str, &'static str); 9] = [
        ("key_people", "排查重点人员", "Key people"),
        ("key_households", "重点家庭", "Key households"),
        ("disputes_found", "排查矛盾纠纷", "Disputes found"),
        ("disputes_a", "其中A类", "of which A"),
        ("disputes_b", "B类", "B"),
        ("disputes_c", "C类", "C"),
        ("disputes_resolved", "化解矛盾纠纷", "Disputes resolved"),
        ("calls_and_visits", "接待来电来访", "Calls and visits"),
        ("resolution_rate", "调处化解率", "Resolution rate"),
    ];

    /// The counts of [`Self::FIGURES`] but the last, which is [`Self::resolution_rate`].
    pub fn counts(&self) -> [u32; 8] {
        let [a, b, c] = self.disputes_by_category;
        [
            self.key_people,
            self.key_households,
            self.disputes_found,
            a,
            b,
            c,
            self.disputes_resolved,
            self.calls_and_visits,
        ]
    }
}

/// Statistics of one town's records for `period`. `people` pairs each register row with the
/// day it was added (the register form itself has no date).
pub fn town_statistics(
    period: Period,
    visits: &[VisitRecord],
    people: &[(KeyPerson, NaiveDate)],
    cases: &[RightsCase],
) -> TownStatistics {
    let new_people: Vec<&KeyPerson> = people
        .iter()
        .filter(|(_, added)| period.contains(*added))
        .map(|(p, _)| p)
        .collect();
    // Households are told apart by address, written the way people write it.
    let households: BTreeSet<String> = new_people
        .iter()
        .map(|p| {
            p.address
                .as_str()
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect()
        })
        .collect();
    let found: Vec<&VisitRecord> = visits
        .iter()
        .filter(|v| period.contains(v.visit_date))
        .collect();
    let resolved = found
        .iter()
        .filter(|v| v.resolved_on.is_some_and(|r| r <= period.to))
        .count();
    let mut by_category = [0u32; 3];
    for v in &found {
        let i = Category::ALL
            .iter()
            .position(|c| *c == v.category)
            .expect("a known category");
        by_category[i] += 1;
    }
    let calls_and_visits = cases
        .iter()
        .filter(|c| matches!(c.channel, Channel::Phone | Channel::Visit))
        .filter(|c| period.contains(c.applied_on()))
        .count();
    TownStatistics {
        period,
        key_people: new_people.len() as u32,
        key_households: households.len() as u32,
        disputes_found: found.len() as u32,
        disputes_by_category: by_category,
        disputes_resolved: resolved as u32,
        calls_and_visits: calls_and_visits as u32,
        resolution_rate: Ratio::new(resolved as u64, found.len() as u64),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn percentages_are_exact_to_the_hundredth() {
        assert_eq!(Ratio::new(6, 6).percent_text(), "100.00%");
        assert_eq!(Ratio::new(2, 3).percent_text(), "66.67%");
        assert_eq!(Ratio::new(1, 8).percent_text(), "12.50%");
        assert_eq!(Ratio::new(1, 80_000).percent_text(), "0.00%");
        assert_eq!(Ratio::new(1, 20_000).percent_text(), "0.01%");
        assert_eq!(Ratio::new(0, 0).percent_text(), "—");
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn visit(n: u128, category: &str, on: &str, resolved: &str) -> VisitRecord {
        let input = crate::visit::VisitInput {
            id: uuid::Uuid::from_u128(n),
            org_unit: "杨村镇".into(),
            parties: vec![crate::visit::PartyInput {
                name: "某".into(),
                ..Default::default()
            }],
            category: category.into(),
            summary: "纠纷".into(),
            visitor: "徐慧".into(),
            visit_date: on.into(),
            resolved_on: resolved.into(),
            ..Default::default()
        };
        VisitRecord::parse(&input, d(2026, 11, 29)).unwrap()
    }

    fn person(n: u128, address: &str) -> KeyPerson {
        let input = crate::register::KeyPersonInput {
            id: uuid::Uuid::from_u128(n),
            org_unit: "杨村镇".into(),
            name: "某".into(),
            address: address.into(),
            woman: crate::register::WomanFlagsInput {
                poor: true,
                ..Default::default()
            },
            ..Default::default()
        };
        KeyPerson::parse(&input, d(2026, 11, 29)).unwrap()
    }

    fn case(n: u128, channel: &str, applied: &str) -> RightsCase {
        let mut input = crate::case::CaseInput::blank(uuid::Uuid::from_u128(n), d(2026, 1, 1));
        input.org_unit = "杨村镇".into();
        input.channel = channel.into();
        input.area = "marriage_family".into();
        input.complainant.name = "某".into();
        input.facts = "事实".into();
        input.request = "诉求".into();
        input.stages[0].date = applied.into();
        input.stages[0].handler = "徐慧".into();
        RightsCase::parse(&input, d(2026, 11, 29)).unwrap()
    }

    /// 002: 排查了…重点人群、…户重点家庭，以及…起婚姻家庭矛盾纠纷，并接待了…件来电来访，调处化解率达到了100%.
    #[test]
    fn town_figures_as_the_report_counts_them() {
        let period = Period {
            from: d(2026, 1, 1),
            to: d(2026, 6, 30),
        };
        let visits = [
            visit(1, "A", "2026-02-01", "2026-02-20"),
            visit(2, "A", "2026-03-01", "2026-06-30"),
            visit(3, "B", "2026-04-01", "2026-07-01"), // resolved after the period
            visit(4, "A", "2025-12-31", "2026-01-05"), // found before it
        ];
        let people = [
            (person(1, "3组12号"), d(2026, 1, 2)),
            (person(2, "3组 12号"), d(2026, 1, 3)), // the same household
            (person(3, "5组8号"), d(2026, 5, 1)),
            (person(4, "6组1号"), d(2026, 7, 1)), // added after the period
        ];
        let cases = [
            case(1, "phone", "2026-03-01"),
            case(2, "visit", "2026-04-01"),
            case(3, "letter", "2026-04-01"),
            case(4, "visit", "2026-08-01"),
        ];
        let s = town_statistics(period, &visits, &people, &cases);
        assert_eq!((s.key_people, s.key_households), (3, 2));
        assert_eq!((s.disputes_found, s.disputes_resolved), (3, 2));
        assert_eq!(s.disputes_by_category, [2, 1, 0]);
        assert_eq!(s.calls_and_visits, 2);
        assert_eq!(s.resolution_rate.percent_text(), "66.67%");
    }

    proptest! {
        #[test]
        fn a_share_of_a_whole_stays_within_0_and_100(d in 1u64..1_000_000, n in 0u64..1_000_000) {
            let n = n % (d + 1);
            let p = Ratio::new(n, d).percent_hundredths().unwrap();
            prop_assert!(p <= 10_000);
        }
    }
}
