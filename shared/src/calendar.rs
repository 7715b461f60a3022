//! 工作日历 — working days (SPEC §3.5).
//!
//! A working day is Monday–Friday, minus the statutory holidays, plus the make-up working days
//! (调休) of the State Council's yearly notice. The holidays are data, one [`YearTable`] per year:
//! the years known when this was built are embedded, and a new year's table is loaded (or a
//! wrong one corrected) without a code change. A date in a year without a table counts as
//! Monday–Friday, and every answer says which years that happened for ([`Counted`]), so the
//! caller can raise a `calendar.missing` warning instead of silently trusting a guess.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::error::{Collector, FieldError, Problem, ValidationErrors};
use crate::warning::{Subject, Warning, WarningCode};

mod edit;
mod notice;

pub use edit::Listed;
pub use notice::{NoticeError, parse_notice};

/// The built-in tables, one JSON file per year in `shared/data/calendar/`.
const BUILTIN: [&str; 2] = [
    include_str!("../data/calendar/2025.json"),
    include_str!("../data/calendar/2026.json"),
];

/// 放假: one holiday, a single day or a run of days. In JSON either a bare date
/// (`"2026-01-01"`) or `{ "name": "春节", "from": "2026-02-15", "to": "2026-02-23" }`
/// (`to` may be left out for a single day).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "HolidayRepr")]
pub struct Holiday {
    /// 节日名称, e.g. 春节; may be empty.
    pub name: String,
    pub from: NaiveDate,
    /// Last day off, inclusive.
    pub to: NaiveDate,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum HolidayRepr {
    Day(NaiveDate),
    Span(HolidaySpan),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HolidaySpan {
    #[serde(default)]
    name: String,
    from: NaiveDate,
    #[serde(default)]
    to: Option<NaiveDate>,
}

impl From<HolidayRepr> for Holiday {
    fn from(r: HolidayRepr) -> Self {
        match r {
            HolidayRepr::Day(d) => Holiday {
                name: String::new(),
                from: d,
                to: d,
            },
            HolidayRepr::Span(s) => Holiday {
                name: s.name,
                from: s.from,
                to: s.to.unwrap_or(s.from),
            },
        }
    }
}

/// 调休上班日: a Saturday or Sunday worked in exchange for a holiday. In JSON either a bare date
/// or `{ "name": "春节", "date": "2026-02-14" }`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "MakeUpRepr")]
pub struct MakeUpDay {
    /// The holiday it pays for; may be empty.
    pub name: String,
    pub date: NaiveDate,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum MakeUpRepr {
    Day(NaiveDate),
    Named(MakeUpNamed),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MakeUpNamed {
    #[serde(default)]
    name: String,
    date: NaiveDate,
}

impl From<MakeUpRepr> for MakeUpDay {
    fn from(r: MakeUpRepr) -> Self {
        match r {
            MakeUpRepr::Day(date) => MakeUpDay {
                name: String::new(),
                date,
            },
            MakeUpRepr::Named(n) => MakeUpDay {
                name: n.name,
                date: n.date,
            },
        }
    }
}

/// 年度放假安排: one year's notice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearTable {
    pub year: i32,
    /// Where the dates come from, e.g. the notice's title.
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub holidays: Vec<Holiday>,
    #[serde(default)]
    pub make_up_workdays: Vec<MakeUpDay>,
}

/// Years a table may describe; anything else is a typing mistake.
const YEARS: (i32, i32) = (2000, 2100);

impl YearTable {
    /// Reads and checks one year's table.
    pub fn from_json(json: &str) -> Result<YearTable, ValidationErrors> {
        let table: YearTable = serde_json::from_str(json).map_err(|e| {
            ValidationErrors(vec![FieldError::new(
                "",
                ("节假日安排", "Holiday table"),
                Problem::Malformed {
                    detail: e.to_string(),
                },
            )])
        })?;
        table.validate()?;
        Ok(table)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a table always serialises")
    }

    /// The dates a table may list: its year, plus December before and January after, because a
    /// notice sometimes starts its 元旦 break in the old year (2024's began on 2023-12-30).
    pub fn window(year: i32) -> (NaiveDate, NaiveDate) {
        let first = NaiveDate::from_ymd_opt(year - 1, 12, 1).expect("valid date");
        let last = NaiveDate::from_ymd_opt(year + 1, 1, 31).expect("valid date");
        (first, last)
    }

    /// Checks the table: a plausible year, dates inside its window, ranges not reversed,
    /// make-up days on a weekend and not also a holiday.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut c = Collector::default();
        if !(YEARS.0..=YEARS.1).contains(&self.year) {
            c.push(
                "year",
                ("年份", "Year"),
                Problem::OutOfRange {
                    min: YEARS.0 as i64,
                    max: YEARS.1 as i64,
                },
            );
            return c.finish();
        }
        let (first, last) = Self::window(self.year);
        let outside = || Problem::OutsideYear { year: self.year };
        let mut off = BTreeSet::new();
        for (i, h) in self.holidays.iter().enumerate() {
            let label = (format!("放假安排{}", i + 1), format!("Holiday {}", i + 1));
            let (zh, en) = (label.0.as_str(), label.1.as_str());
            if !(first..=last).contains(&h.from) {
                c.push(format!("holidays[{i}].from"), (zh, en), outside());
            } else if !(first..=last).contains(&h.to) {
                c.push(format!("holidays[{i}].to"), (zh, en), outside());
            } else if h.to < h.from {
                c.push(
                    format!("holidays[{i}].to"),
                    (zh, en),
                    Problem::TooEarly {
                        earliest: h.from.to_string(),
                    },
                );
            } else {
                off.extend(h.from.iter_days().take_while(|d| *d <= h.to));
            }
        }
        for (i, m) in self.make_up_workdays.iter().enumerate() {
            let label = (
                format!("调休上班日{}", i + 1),
                format!("Make-up working day {}", i + 1),
            );
            let label = (label.0.as_str(), label.1.as_str());
            let field = format!("make_up_workdays[{i}]");
            if !(first..=last).contains(&m.date) {
                c.push(field, label, outside());
            } else if !is_weekend(m.date) {
                c.push(field, label, Problem::NotWeekend);
            } else if off.contains(&m.date) {
                c.push(field, label, Problem::HolidayAndWorkday);
            }
        }
        c.finish()
    }
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// 日期类型: what one day is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// 工作日: Monday–Friday, not a holiday.
    Workday,
    /// 周末: Saturday or Sunday, not a make-up day.
    Weekend,
    /// 法定节假日 (including the weekend days inside the break).
    Holiday,
    /// 调休上班: a weekend day worked.
    MakeUpWorkday,
}

impl DayKind {
    pub fn is_working(self) -> bool {
        matches!(self, DayKind::Workday | DayKind::MakeUpWorkday)
    }
}

/// A result together with the years it had to guess (counted Monday–Friday because no table
/// was loaded). `missing_years` is ascending and without repeats; empty means exact.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Counted<T> {
    pub value: T,
    pub missing_years: Vec<i32>,
}

impl<T> Counted<T> {
    /// A value that needed no calendar.
    pub fn exact(value: T) -> Self {
        Counted {
            value,
            missing_years: Vec::new(),
        }
    }

    pub fn is_exact(&self) -> bool {
        self.missing_years.is_empty()
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Counted<U> {
        Counted {
            value: f(self.value),
            missing_years: self.missing_years,
        }
    }

    /// One `calendar.missing` warning per guessed year.
    pub fn warnings(&self) -> Vec<Warning> {
        missing_warnings(&self.missing_years)
    }
}

/// `calendar.missing` warnings for `years`, one each.
pub fn missing_warnings(years: &[i32]) -> Vec<Warning> {
    years
        .iter()
        .map(|&year| {
            Warning::new(
                WarningCode::CalendarMissing,
                Subject::Calendar { year },
                format!("尚未录入{year}年节假日安排，暂按周一至周五计算工作日，期限可能不准"),
                format!(
                    "No holiday table for {year}: working days are counted as Monday to Friday, \
                     so deadlines may be off"
                ),
            )
        })
        .collect()
}

/// One loaded table with its days indexed.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Indexed {
    table: YearTable,
    days: BTreeMap<NaiveDate, DayKind>,
}

impl Indexed {
    fn new(table: YearTable) -> Self {
        let mut days = BTreeMap::new();
        for h in &table.holidays {
            for d in h.from.iter_days().take_while(|d| *d <= h.to) {
                days.insert(d, DayKind::Holiday);
            }
        }
        for m in &table.make_up_workdays {
            days.insert(m.date, DayKind::MakeUpWorkday);
        }
        Indexed { table, days }
    }
}

/// 工作日历: the loaded year tables. Serialises as the list of tables.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<YearTable>", into = "Vec<YearTable>")]
pub struct WorkCalendar {
    years: BTreeMap<i32, Indexed>,
}

impl TryFrom<Vec<YearTable>> for WorkCalendar {
    type Error = ValidationErrors;
    fn try_from(tables: Vec<YearTable>) -> Result<Self, ValidationErrors> {
        Self::from_tables(tables)
    }
}

impl From<WorkCalendar> for Vec<YearTable> {
    fn from(c: WorkCalendar) -> Self {
        c.years.into_values().map(|i| i.table).collect()
    }
}

impl WorkCalendar {
    /// No tables at all: Monday–Friday everywhere, every year reported missing.
    pub fn new() -> Self {
        Self::default()
    }

    /// The tables shipped with the app (2025 and 2026).
    pub fn builtin() -> Self {
        let tables = BUILTIN.iter().map(|json| {
            YearTable::from_json(json).expect("built-in calendar tables are checked by tests")
        });
        Self::from_tables(tables).expect("built-in calendar tables are checked by tests")
    }

    /// A calendar of `tables`; a later table for the same year replaces an earlier one.
    pub fn from_tables(
        tables: impl IntoIterator<Item = YearTable>,
    ) -> Result<Self, ValidationErrors> {
        tables.into_iter().try_fold(Self::new(), Self::with_year)
    }

    /// Adds `table`, replacing any table already loaded for its year.
    pub fn with_year(mut self, table: YearTable) -> Result<Self, ValidationErrors> {
        table.validate()?;
        self.years.insert(table.year, Indexed::new(table));
        Ok(self)
    }

    /// Drops the table of `year`, if any.
    pub fn without_year(mut self, year: i32) -> Self {
        self.years.remove(&year);
        self
    }

    pub fn table(&self, year: i32) -> Option<&YearTable> {
        self.years.get(&year).map(|i| &i.table)
    }

    /// Years with a table, ascending.
    pub fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.years.keys().copied()
    }

    /// The kind of `date` and, if its year has no table, that year.
    fn lookup(&self, date: NaiveDate) -> (DayKind, Option<i32>) {
        let year = date.year();
        // A table may list a few days of the neighbouring years (see `YearTable::window`);
        // the date's own year speaks first.
        let listed = [year, year - 1, year + 1]
            .iter()
            .filter_map(|y| self.years.get(y))
            .find_map(|t| t.days.get(&date).copied());
        let kind = listed.unwrap_or(if is_weekend(date) {
            DayKind::Weekend
        } else {
            DayKind::Workday
        });
        let missing = (!self.years.contains_key(&year)).then_some(year);
        (kind, missing)
    }

    pub fn day_kind(&self, date: NaiveDate) -> Counted<DayKind> {
        let (kind, missing) = self.lookup(date);
        Counted {
            value: kind,
            missing_years: missing.into_iter().collect(),
        }
    }

    pub fn is_working_day(&self, date: NaiveDate) -> Counted<bool> {
        self.day_kind(date).map(DayKind::is_working)
    }

    /// The `n`th working day after `start`, which itself does not count: "within 7 working
    /// days" of a Monday with no holiday is the Wednesday of the next week. `n = 0` is `start`.
    /// Only the days after `start` are looked up, so only their years can be missing.
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> Counted<NaiveDate> {
        let mut missing = BTreeSet::new();
        let mut date = start;
        let mut left = n;
        while left > 0 {
            // Saturates at the end of representable time rather than panicking.
            let Some(next) = date.succ_opt() else { break };
            date = next;
            let (kind, miss) = self.lookup(date);
            missing.extend(miss);
            if kind.is_working() {
                left -= 1;
            }
        }
        Counted {
            value: date,
            missing_years: missing.into_iter().collect(),
        }
    }

    /// Working days `d` with `a < d <= b`; negative (the same count, negated) when `b < a`.
    /// So `working_days_between(a, add_working_days(a, n)) == n`.
    pub fn working_days_between(&self, a: NaiveDate, b: NaiveDate) -> Counted<i64> {
        let (lo, hi, sign) = if a <= b { (a, b, 1) } else { (b, a, -1) };
        let mut missing = BTreeSet::new();
        let mut count = 0i64;
        for date in lo.iter_days().skip(1).take_while(|d| *d <= hi) {
            let (kind, miss) = self.lookup(date);
            missing.extend(miss);
            if kind.is_working() {
                count += 1;
            }
        }
        Counted {
            value: sign * count,
            missing_years: missing.into_iter().collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn days_off(t: &YearTable) -> i64 {
        t.holidays
            .iter()
            .map(|h| (h.to - h.from).num_days() + 1)
            .sum()
    }

    #[test]
    fn builtin_tables_load_and_match_the_notices() {
        let cal = WorkCalendar::builtin();
        assert_eq!(cal.years().collect::<Vec<_>>(), [2025, 2026]);
        // SPEC §3.5: 2025 — Jan 1; Jan 28–Feb 4; Apr 4–6; May 1–5; May 31–Jun 2; Oct 1–8.
        let t25 = cal.table(2025).unwrap();
        assert_eq!(days_off(t25), 1 + 8 + 3 + 5 + 3 + 8);
        assert_eq!(t25.make_up_workdays.len(), 5);
        // 2026 — Jan 1–3; Feb 15–23; Apr 4–6; May 1–5; Jun 19–21; Sep 25–27; Oct 1–7.
        let t26 = cal.table(2026).unwrap();
        assert_eq!(days_off(t26), 3 + 9 + 3 + 5 + 3 + 3 + 7);
        assert_eq!(t26.make_up_workdays.len(), 6);
        for json in BUILTIN {
            YearTable::from_json(json).unwrap();
        }
    }

    #[test]
    fn day_kinds_table() {
        let cal = WorkCalendar::builtin();
        let cases = [
            (d(2026, 10, 1), DayKind::Holiday),
            (d(2026, 10, 7), DayKind::Holiday),
            (d(2026, 10, 8), DayKind::Workday),
            (d(2026, 10, 10), DayKind::MakeUpWorkday),
            (d(2026, 10, 11), DayKind::Weekend),
            (d(2026, 2, 14), DayKind::MakeUpWorkday),
            (d(2026, 2, 15), DayKind::Holiday),
            (d(2026, 2, 23), DayKind::Holiday),
            (d(2026, 2, 24), DayKind::Workday),
            (d(2026, 2, 28), DayKind::MakeUpWorkday),
            (d(2026, 1, 4), DayKind::MakeUpWorkday),
            (d(2025, 1, 26), DayKind::MakeUpWorkday),
            (d(2025, 10, 8), DayKind::Holiday),
            (d(2025, 10, 11), DayKind::MakeUpWorkday),
            (d(2025, 6, 2), DayKind::Holiday),
        ];
        for (date, want) in cases {
            let got = cal.day_kind(date);
            assert_eq!(got.value, want, "{date}");
            assert!(got.is_exact());
        }
    }

    #[test]
    fn add_working_days_table() {
        let cal = WorkCalendar::builtin();
        let cases = [
            // (start, n, due) — the start date itself is never counted.
            (d(2026, 11, 2), 0, d(2026, 11, 2)),
            (d(2026, 11, 2), 1, d(2026, 11, 3)),
            (d(2026, 11, 2), 7, d(2026, 11, 11)),
            (d(2026, 11, 6), 1, d(2026, 11, 9)),
            // National Day 2026: Oct 1–7 off, Oct 8 (Thu) back, Oct 10 (Sat) worked.
            (d(2026, 9, 30), 1, d(2026, 10, 8)),
            (d(2026, 9, 30), 2, d(2026, 10, 9)),
            (d(2026, 9, 30), 3, d(2026, 10, 10)),
            (d(2026, 9, 30), 4, d(2026, 10, 12)),
            // 中秋 2026: Fri Sep 25 off; Sun Sep 20 worked.
            (d(2026, 9, 18), 1, d(2026, 9, 20)),
            (d(2026, 9, 24), 1, d(2026, 9, 28)),
            // Spring Festival 2026: Sat Feb 14 worked, Feb 15–23 off, Sat Feb 28 worked.
            (d(2026, 2, 13), 1, d(2026, 2, 14)),
            (d(2026, 2, 13), 2, d(2026, 2, 24)),
            (d(2026, 2, 12), 7, d(2026, 2, 28)),
            (d(2026, 2, 27), 1, d(2026, 2, 28)),
            (d(2026, 2, 27), 2, d(2026, 3, 2)),
            // 2025: Sun Jan 26 worked, Jan 28–Feb 4 off; Oct 1–8 off, Sat Oct 11 worked.
            (d(2025, 1, 24), 1, d(2025, 1, 26)),
            (d(2025, 1, 24), 3, d(2025, 2, 5)),
            (d(2025, 9, 30), 1, d(2025, 10, 9)),
            (d(2025, 9, 30), 3, d(2025, 10, 11)),
            // 2024-12-31 itself is not looked at, so 2024's missing table does not matter.
            (d(2024, 12, 31), 1, d(2025, 1, 2)),
        ];
        for (start, n, want) in cases {
            let got = cal.add_working_days(start, n);
            assert_eq!(got.value, want, "{start} + {n}");
            assert!(got.is_exact(), "{start} + {n}: {:?}", got.missing_years);
            assert_eq!(
                cal.working_days_between(start, want).value,
                n as i64,
                "{start}..{want}"
            );
        }
    }

    #[test]
    fn a_year_without_table_counts_monday_to_friday_and_says_so() {
        let cal = WorkCalendar::builtin();
        // 2027 has no table: New Year's Day (a Friday) counts as a working day, flagged.
        let got = cal.add_working_days(d(2026, 12, 31), 1);
        assert_eq!(got.value, d(2027, 1, 1));
        assert_eq!(got.missing_years, [2027]);
        let got = cal.add_working_days(d(2026, 12, 28), 7);
        assert_eq!(got.value, d(2027, 1, 6));
        assert_eq!(got.missing_years, [2027]);
        let got = cal.add_working_days(d(2024, 12, 27), 1);
        assert_eq!(got.value, d(2024, 12, 30));
        assert_eq!(got.missing_years, [2024]);
        // Across two missing years, each once, in order.
        let got = WorkCalendar::new().add_working_days(d(2026, 12, 30), 5);
        assert_eq!(got.value, d(2027, 1, 6));
        assert_eq!(got.missing_years, [2026, 2027]);
        let got = cal.is_working_day(d(2027, 1, 1));
        assert!(got.value);
        assert_eq!(got.missing_years, [2027]);

        let w = got.warnings();
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].code, WarningCode::CalendarMissing);
        assert_eq!(w[0].subject, Subject::Calendar { year: 2027 });
        assert!(w[0].message.contains("2027年"), "{}", w[0].message);
    }

    #[test]
    fn working_days_between_is_signed() {
        let cal = WorkCalendar::builtin();
        let (a, b) = (d(2026, 9, 30), d(2026, 10, 10));
        assert_eq!(cal.working_days_between(a, b).value, 3);
        assert_eq!(cal.working_days_between(b, a).value, -3);
        assert_eq!(cal.working_days_between(a, a).value, 0);
        // A holiday end date adds nothing.
        assert_eq!(cal.working_days_between(a, d(2026, 10, 7)).value, 0);
    }

    #[test]
    fn a_new_year_is_loaded_from_json_and_replaces_the_guess() {
        // Bare dates and ranges both work; `to` may be left out.
        let json = r#"{
            "year": 2027,
            "holidays": ["2027-01-01", { "name": "春节", "from": "2027-02-06", "to": "2027-02-12" }],
            "make_up_workdays": ["2027-02-20", { "name": "春节", "date": "2027-02-21" }]
        }"#;
        let table = YearTable::from_json(json).unwrap();
        assert_eq!(table.holidays[0].to, d(2027, 1, 1));
        let cal = WorkCalendar::builtin().with_year(table.clone()).unwrap();
        let got = cal.add_working_days(d(2026, 12, 31), 1);
        assert_eq!(got.value, d(2027, 1, 4));
        assert!(got.is_exact());
        assert!(cal.is_working_day(d(2027, 2, 21)).value);

        // Replacing a year drops its old days.
        let mut edited = table;
        edited.holidays.truncate(1);
        let cal = cal.with_year(edited).unwrap();
        assert!(cal.is_working_day(d(2027, 2, 8)).value);

        // The calendar round-trips as its list of tables.
        let json = serde_json::to_string(&cal).unwrap();
        let back: WorkCalendar = serde_json::from_str(&json).unwrap();
        assert_eq!(back, cal);
        assert_eq!(
            WorkCalendar::builtin().without_year(2026).years().count(),
            1
        );
    }

    #[test]
    fn a_notice_may_start_in_the_old_year() {
        // 2024's notice: 元旦 2023-12-30 至 2024-01-01.
        let table = YearTable {
            year: 2024,
            source: String::new(),
            holidays: vec![Holiday {
                name: "元旦".into(),
                from: d(2023, 12, 30),
                to: d(2024, 1, 1),
            }],
            make_up_workdays: vec![],
        };
        let cal = WorkCalendar::new().with_year(table).unwrap();
        assert_eq!(cal.day_kind(d(2023, 12, 30)).value, DayKind::Holiday);
        assert_eq!(cal.day_kind(d(2023, 12, 30)).missing_years, [2023]);
    }

    #[test]
    fn bad_tables_are_refused_field_by_field() {
        let json = r#"{
            "year": 2027,
            "holidays": [
                { "from": "2027-05-05", "to": "2027-05-01" },
                { "from": "2028-03-01" },
                { "from": "2027-10-01", "to": "2027-10-07" }
            ],
            "make_up_workdays": ["2027-02-17", "2027-10-02", "2026-11-28"]
        }"#;
        let e = YearTable::from_json(json).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "holidays[0].to",
                "holidays[1].from",
                "make_up_workdays[0]",
                "make_up_workdays[1]",
                "make_up_workdays[2]",
            ]
        );
        assert!(
            e.0[0].message.starts_with("放假安排1："),
            "{}",
            e.0[0].message
        );

        let e = YearTable::from_json(r#"{"year": 1899}"#).unwrap_err();
        assert_eq!(e.0[0].field, "year");
        let e = YearTable::from_json(r#"{"year": 2027, "holiday": []}"#).unwrap_err();
        assert!(matches!(e.0[0].problem, Problem::Malformed { .. }));
        let e = YearTable::from_json(r#"{"year": 2027, "holidays": ["2027/01/01"]}"#);
        assert!(e.is_err());
        let e: Result<WorkCalendar, _> = serde_json::from_str(r#"[{"year": 3000}]"#);
        assert!(e.is_err());
    }

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        // 2024-07-01 .. 2027-06-30: covers both tables and the missing years around them.
        (0i64..(365 * 3)).prop_map(|k| d(2024, 7, 1) + chrono::Duration::days(k))
    }

    proptest! {
        #[test]
        fn adding_working_days_lands_on_a_later_working_day(start in any_date(), n in 1u32..60) {
            let cal = WorkCalendar::builtin();
            let due = cal.add_working_days(start, n);
            prop_assert!(due.value > start);
            prop_assert!(cal.is_working_day(due.value).value);
            prop_assert_eq!(cal.working_days_between(start, due.value).value, n as i64);
        }

        #[test]
        fn adding_working_days_is_monotone(start in any_date(), n in 0u32..60) {
            let cal = WorkCalendar::builtin();
            let a = cal.add_working_days(start, n);
            let b = cal.add_working_days(start, n + 1);
            prop_assert!(a.value < b.value);
            // Looking further never forgets a year it had to guess.
            prop_assert!(a.missing_years.iter().all(|y| b.missing_years.contains(y)));
        }

        #[test]
        fn between_is_antisymmetric(a in any_date(), b in any_date()) {
            let cal = WorkCalendar::builtin();
            prop_assert_eq!(
                cal.working_days_between(a, b).value,
                -cal.working_days_between(b, a).value
            );
        }
    }
}
