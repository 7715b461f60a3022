//! 月报 with 零上报 (000 二.2) and reporting completeness (SPEC §3.6).

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Lang;
use crate::error::{Collector, Problem, ValidationErrors};
use crate::stats::Ratio;
use crate::value::Text;
use crate::warning::{Subject, Warning, WarningCode};

/// 月份: a calendar month, written `YYYY-MM`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct YearMonth {
    year: i32,
    month: u32,
}

impl YearMonth {
    pub fn new(year: i32, month: u32) -> Option<Self> {
        ((2000..=9999).contains(&year) && (1..=12).contains(&month))
            .then_some(YearMonth { year, month })
    }

    pub fn of(date: NaiveDate) -> Self {
        YearMonth {
            year: date.year(),
            month: date.month(),
        }
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u32 {
        self.month
    }

    pub fn next(self) -> Self {
        if self.month == 12 {
            YearMonth {
                year: self.year + 1,
                month: 1,
            }
        } else {
            YearMonth {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    pub fn previous(self) -> Self {
        if self.month == 1 {
            YearMonth {
                year: self.year - 1,
                month: 12,
            }
        } else {
            YearMonth {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    /// Day `day` of this month, clamped to its last day (the 31st of February is the 28th/29th).
    pub fn day_clamped(self, day: u32) -> NaiveDate {
        (1..=day.clamp(1, 31))
            .rev()
            .find_map(|d| NaiveDate::from_ymd_opt(self.year, self.month, d))
            .expect("every month has a first day")
    }
}

impl FromStr for YearMonth {
    type Err = Problem;
    fn from_str(s: &str) -> Result<Self, Problem> {
        let t = s.trim();
        if t.is_empty() {
            return Err(Problem::Required);
        }
        let (y, m) = t.split_once('-').ok_or(Problem::InvalidMonth)?;
        let digits = |s: &str, n: std::ops::RangeInclusive<usize>| {
            n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
        };
        if !digits(y, 4..=4) || !digits(m, 1..=2) {
            return Err(Problem::InvalidMonth);
        }
        let (Ok(y), Ok(m)) = (y.parse::<i32>(), m.parse::<u32>()) else {
            return Err(Problem::InvalidMonth);
        };
        YearMonth::new(y, m).ok_or(Problem::InvalidMonth)
    }
}

impl TryFrom<String> for YearMonth {
    type Error = Problem;
    fn try_from(s: String) -> Result<Self, Problem> {
        s.parse()
    }
}

impl From<YearMonth> for String {
    fn from(m: YearMonth) -> String {
        m.to_string()
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// 上报规则: when a month's report is due.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReportingRules {
    /// Day of the following month the report is due (000: meetings on the 8th; reports with
    /// them).
    pub due_day: u32,
}

impl Default for ReportingRules {
    fn default() -> Self {
        ReportingRules { due_day: 8 }
    }
}

impl ReportingRules {
    pub fn due_date(&self, month: YearMonth) -> NaiveDate {
        month.next().day_clamped(self.due_day)
    }
}

/// 月报 as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MonthlyReportInput {
    pub id: Uuid,
    pub org_unit: String,
    /// `YYYY-MM`.
    pub month: String,
    /// 零上报: "nothing found this month", said explicitly.
    pub zero_report: bool,
    pub households_visited: String,
    pub new_a: String,
    pub new_b: String,
    pub new_c: String,
    /// 上月结转未化解.
    pub carried_over: String,
    /// 本月化解.
    pub resolved: String,
    /// 本月是否召开议事会.
    pub meeting_held: bool,
}

/// 月报, checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MonthlyReport {
    pub id: Uuid,
    pub org_unit: Text<60>,
    pub month: YearMonth,
    pub zero_report: bool,
    /// 走访户数.
    pub households_visited: u32,
    /// New items by category A/B/C.
    pub new_items: [u32; 3],
    pub carried_over: u32,
    pub resolved: u32,
    pub meeting_held: bool,
}

const MAX_COUNT: u32 = 100_000;

fn count(raw: &str) -> Result<u32, Problem> {
    let t = raw.trim();
    if t.is_empty() {
        return Ok(0);
    }
    let range = Problem::OutOfRange {
        min: 0,
        max: MAX_COUNT as i64,
    };
    t.parse::<u32>()
        .ok()
        .filter(|n| *n <= MAX_COUNT)
        .ok_or(range)
}

impl MonthlyReport {
    /// A month can be reported once it has begun; a zero report must have no new items, and
    /// no more items can be resolved than were open.
    pub fn parse(
        input: &MonthlyReportInput,
        today: NaiveDate,
    ) -> Result<MonthlyReport, ValidationErrors> {
        let mut c = Collector::default();
        if input.id.is_nil() {
            // The client makes the id; without one a retry could not be told from a new record.
            c.push("id", ("编号", "Id"), Problem::Required);
        }
        let org_unit = c.take(
            "org_unit",
            ("所属村（社区）", "Village"),
            Text::parse(&input.org_unit),
        );
        let month = c.take(
            "month",
            ("报告月份", "Month"),
            input.month.parse::<YearMonth>().and_then(|m| {
                if m > YearMonth::of(today) {
                    Err(Problem::FutureDate)
                } else {
                    Ok(m)
                }
            }),
        );
        let households = c.take(
            "households_visited",
            ("走访户数", "Households visited"),
            count(&input.households_visited),
        );
        let labels = [
            ("new_a", "新发现A类（婚姻家庭纠纷）", "New A items"),
            ("new_b", "新发现B类（家庭暴力）", "New B items"),
            ("new_c", "新发现C类（未成年人性侵线索）", "New C items"),
        ];
        let raws = [&input.new_a, &input.new_b, &input.new_c];
        let mut new_items = [Some(0); 3];
        for (i, ((key, zh, en), raw)) in labels.into_iter().zip(raws).enumerate() {
            new_items[i] = c.take(key, (zh, en), count(raw));
            if input.zero_report && new_items[i].is_some_and(|n| n > 0) {
                c.push(key, (zh, en), Problem::NonZeroInZeroReport);
            }
        }
        let carried_over = c.take(
            "carried_over",
            ("上月结转未化解", "Carried over"),
            count(&input.carried_over),
        );
        let resolved = c.take(
            "resolved",
            ("本月化解", "Resolved this month"),
            count(&input.resolved),
        );
        if let (Some(r), Some(co), [Some(a), Some(b), Some(cc)]) =
            (resolved, carried_over, new_items)
        {
            let open = co + a + b + cc;
            if r > open {
                c.push(
                    "resolved",
                    ("本月化解", "Resolved this month"),
                    Problem::AboveTotal { max: open as i64 },
                );
            }
        }
        c.finish()?;
        let (
            Some(org_unit),
            Some(month),
            Some(households_visited),
            Some(carried_over),
            Some(resolved),
            [Some(a), Some(b), Some(cc)],
        ) = (
            org_unit,
            month,
            households,
            carried_over,
            resolved,
            new_items,
        )
        else {
            unreachable!("every missing value recorded an error");
        };
        Ok(MonthlyReport {
            id: input.id,
            org_unit,
            month,
            zero_report: input.zero_report,
            households_visited,
            new_items: [a, b, cc],
            carried_over,
            resolved,
            meeting_held: input.meeting_held,
        })
    }
}

impl MonthlyReport {
    /// The form again, for correcting a stored report. Counts are written out, 0 included
    /// (an empty count also reads as 0). Parsing it gives the report back.
    pub fn to_input(&self) -> MonthlyReportInput {
        let [a, b, c] = self.new_items;
        MonthlyReportInput {
            id: self.id,
            org_unit: self.org_unit.as_str().into(),
            month: self.month.to_string(),
            zero_report: self.zero_report,
            households_visited: self.households_visited.to_string(),
            new_a: a.to_string(),
            new_b: b.to_string(),
            new_c: c.to_string(),
            carried_over: self.carried_over.to_string(),
            resolved: self.resolved.to_string(),
            meeting_held: self.meeting_held,
        }
    }
}

/// What storage knows of one received report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportReceipt {
    pub org_unit: String,
    pub month: YearMonth,
    /// The day the server received it (China time).
    pub received_on: NaiveDate,
    pub zero_report: bool,
}

/// 上报完整率 for one town and month (SPEC §3.6).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Completeness {
    pub month: YearMonth,
    pub due: NaiveDate,
    pub expected: u32,
    pub on_time: u32,
    pub late: u32,
    /// Of the reports received, how many were zero reports.
    pub zero_reports: u32,
    /// Not received and past due. A missing report is never a zero report.
    pub missing: u32,
    /// Not received, not yet due.
    pub pending: u32,
    pub late_units: Vec<String>,
    pub missing_units: Vec<String>,
    /// On-time reports / expected.
    pub rate: Ratio,
}

/// 上报情况: how one village's report for a month stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportStatus {
    /// 按时: received by the due date.
    OnTime,
    /// 迟报: received after it.
    Late,
    /// 未报: not received, past due.
    Missing,
    /// 未到期: not received, not yet due.
    Pending,
}

impl ReportStatus {
    /// The word in the completeness grid; a zero report says so (零上报 is a report too).
    pub fn label(self, zero_report: bool, lang: Lang) -> &'static str {
        match (self, zero_report) {
            (ReportStatus::OnTime, false) => lang.pick("按时", "On time"),
            (ReportStatus::OnTime, true) => lang.pick("零上报", "Zero report"),
            (ReportStatus::Late, false) => lang.pick("迟报", "Late"),
            (ReportStatus::Late, true) => lang.pick("迟报·零上报", "Late zero report"),
            (ReportStatus::Missing, _) => lang.pick("未报", "Missing"),
            (ReportStatus::Pending, _) => lang.pick("未到期", "Not yet due"),
        }
    }
}

/// Completeness of `villages`' reports for `month`, as of `today`. A village that sent more
/// than one report for the month counts once, by its earliest.
pub fn completeness(
    villages: &[String],
    month: YearMonth,
    receipts: &[ReportReceipt],
    rules: ReportingRules,
    today: NaiveDate,
) -> Completeness {
    let due = rules.due_date(month);
    let mut out = Completeness {
        month,
        due,
        expected: villages.len() as u32,
        on_time: 0,
        late: 0,
        zero_reports: 0,
        missing: 0,
        pending: 0,
        late_units: Vec::new(),
        missing_units: Vec::new(),
        rate: Ratio::new(0, villages.len() as u64),
    };
    for village in villages {
        let first = receipts
            .iter()
            .filter(|r| r.month == month && &r.org_unit == village)
            .min_by_key(|r| r.received_on);
        match first {
            Some(r) => {
                if r.received_on <= due {
                    out.on_time += 1;
                } else {
                    out.late += 1;
                    out.late_units.push(village.clone());
                }
                out.zero_reports += u32::from(r.zero_report);
            }
            None if today > due => {
                out.missing += 1;
                out.missing_units.push(village.clone());
            }
            None => out.pending += 1,
        }
    }
    out.rate = Ratio::new(u64::from(out.on_time), u64::from(out.expected));
    out
}

/// 月报未报 / 迟报 warnings for one completeness result.
pub fn report_warnings(c: &Completeness) -> Vec<Warning> {
    let period = c.month.to_string();
    let missing = c.missing_units.iter().map(|u| {
        Warning::new(
            WarningCode::MonthlyMissing,
            Subject::Unit { unit: u.clone(), period: period.clone() },
            format!("{u} {period} 月报未报（应于 {} 前上报；没有发现也须零上报）", c.due),
            format!("{u}: no monthly report for {period} (due {}; a zero report is required when nothing was found)", c.due),
        )
    });
    let late = c.late_units.iter().map(|u| {
        Warning::new(
            WarningCode::MonthlyLate,
            Subject::Unit {
                unit: u.clone(),
                period: period.clone(),
            },
            format!("{u} {period} 月报迟报（应于 {} 前上报）", c.due),
            format!("{u}: the {period} report came after {}", c.due),
        )
    });
    missing.chain(late).collect()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::testgen as g;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn report() -> MonthlyReportInput {
        MonthlyReportInput {
            id: Uuid::from_u128(5),
            org_unit: "林梓村".into(),
            month: "2026-10".into(),
            households_visited: "46".into(),
            ..Default::default()
        }
    }

    fn fields(e: &ValidationErrors) -> Vec<&str> {
        e.0.iter().map(|e| e.field.as_str()).collect()
    }

    /// 如没有也要进行零上报: a zero report says explicitly that nothing was found.
    #[test]
    fn a_zero_report_is_valid_only_with_no_new_items() {
        let mut input = report();
        input.zero_report = true;
        assert!(MonthlyReport::parse(&input, d(2026, 11, 3)).is_ok());
        input.new_b = "1".into();
        let e = MonthlyReport::parse(&input, d(2026, 11, 3)).unwrap_err();
        assert_eq!(fields(&e), ["new_b"]);
        assert_eq!(e.0[0].message, "新发现B类（家庭暴力）：零上报时应为0");
    }

    #[test]
    fn no_more_can_be_resolved_than_was_open() {
        let mut input = report();
        input.carried_over = "2".into();
        input.new_a = "1".into();
        input.resolved = "4".into();
        let e = MonthlyReport::parse(&input, d(2026, 11, 3)).unwrap_err();
        assert_eq!(e.0[0].message, "本月化解：不能超过3");
        input.resolved = "3".into();
        assert!(MonthlyReport::parse(&input, d(2026, 11, 3)).is_ok());
    }

    #[test]
    fn months_are_written_year_dash_month_and_not_ahead() {
        let mut input = report();
        for (raw, ok) in [
            ("2026-10", true),
            ("2026-11", true),
            ("2026-12", false),
            ("2026/10", false),
            ("26-10", false),
            ("2026-13", false),
            ("", false),
        ] {
            input.month = raw.into();
            assert_eq!(
                MonthlyReport::parse(&input, d(2026, 11, 3)).is_ok(),
                ok,
                "{raw:?}"
            );
        }
    }

    #[test]
    fn reports_are_due_on_the_eighth_of_the_next_month() {
        let r = ReportingRules::default();
        assert_eq!(
            r.due_date(YearMonth::new(2026, 10).unwrap()),
            d(2026, 11, 8)
        );
        assert_eq!(r.due_date(YearMonth::new(2026, 12).unwrap()), d(2027, 1, 8));
        let end = ReportingRules { due_day: 31 };
        assert_eq!(
            end.due_date(YearMonth::new(2026, 1).unwrap()),
            d(2026, 2, 28)
        );
    }

    fn receipt(unit: &str, day: u32, zero: bool) -> ReportReceipt {
        ReportReceipt {
            org_unit: unit.into(),
            month: YearMonth::new(2026, 10).unwrap(),
            received_on: d(2026, 11, day),
            zero_report: zero,
        }
    }

    /// A missing report is not a zero report.
    #[test]
    fn completeness_counts_on_time_late_zero_and_missing() {
        let villages: Vec<String> = ["甲村", "乙村", "丙村", "丁村"].map(String::from).into();
        let receipts = [
            receipt("甲村", 5, false),
            receipt("乙村", 8, true),
            receipt("丙村", 9, false),
            receipt("丙村", 7, false),
        ];
        let month = YearMonth::new(2026, 10).unwrap();
        let c = completeness(
            &villages,
            month,
            &receipts[..3],
            ReportingRules::default(),
            d(2026, 11, 20),
        );
        assert_eq!(
            (
                c.expected,
                c.on_time,
                c.late,
                c.zero_reports,
                c.missing,
                c.pending
            ),
            (4, 2, 1, 1, 1, 0)
        );
        assert_eq!(c.missing_units, ["丁村"]);
        assert_eq!(c.rate.percent_text(), "50.00%");
        let codes: Vec<&str> = report_warnings(&c)
            .iter()
            .map(|w| w.code.as_str())
            .collect();
        assert_eq!(codes, ["monthly.missing", "monthly.late"]);
        // An earlier report for the same month counts, not the resend.
        let c = completeness(
            &villages,
            month,
            &receipts,
            ReportingRules::default(),
            d(2026, 11, 20),
        );
        assert_eq!((c.on_time, c.late), (3, 0));
        // Before the due date, nothing is missing yet.
        let c = completeness(
            &villages,
            month,
            &[],
            ReportingRules::default(),
            d(2026, 11, 8),
        );
        assert_eq!((c.missing, c.pending), (0, 4));
    }

    /// A count as typed: usually small, at times the largest allowed; 0 at times left blank.
    fn count_of(n: u32, blank_zero: bool) -> String {
        if n == 0 && blank_zero {
            String::new()
        } else {
            n.to_string()
        }
    }

    prop_compose! {
        /// A valid report: a month not after today's, no new items in a zero report, no more
        /// resolved than open.
        fn valid_report()(
            id in g::id(),
            org_unit in g::text(60),
            // 2000-01 (the first month there is) is 322 months before 2026-11.
            (back, pad_month) in (0u32..=322, any::<bool>()),
            (zero_report, meeting_held, blank_zero) in (any::<bool>(), any::<bool>(), any::<bool>()),
            counts in prop::array::uniform5(prop_oneof![
                4 => 0u32..50,
                1 => Just(MAX_COUNT),
                1 => 0u32..=MAX_COUNT,
            ]),
            resolved in any::<u32>(),
        ) -> MonthlyReportInput {
            let mut month = YearMonth::of(today());
            for _ in 0..back {
                month = month.previous();
            }
            let [households, a, b, c, carried] = counts;
            let [a, b, c] = if zero_report { [0; 3] } else { [a, b, c] };
            let open = (carried + a + b + c).min(MAX_COUNT);
            MonthlyReportInput {
                id,
                org_unit,
                month: if pad_month {
                    month.to_string()
                } else {
                    format!("{}-{}", month.year(), month.month())
                },
                zero_report,
                households_visited: count_of(households, blank_zero),
                new_a: count_of(a, blank_zero),
                new_b: count_of(b, blank_zero),
                new_c: count_of(c, blank_zero),
                carried_over: count_of(carried, blank_zero),
                resolved: count_of(resolved % (open + 1), blank_zero),
                meeting_held,
            }
        }
    }

    fn today() -> NaiveDate {
        d(2026, 11, 3)
    }

    /// Nearly every generated report is valid, so the round trip is really checked.
    #[test]
    fn the_valid_report_generator_makes_valid_reports() {
        g::assert_mostly_valid("monthly report", valid_report(), |i| {
            MonthlyReport::parse(i, today()).is_ok()
        });
    }

    proptest! {
        /// A stored report comes back as its form, which parses to the same report.
        #[test]
        fn reports_come_back_as_their_form(input in valid_report()) {
            let r = MonthlyReport::parse(&input, today())
                .map_err(|e| TestCaseError::fail(format!("generated report refused: {e:?}")))?;
            prop_assert_eq!(MonthlyReport::parse(&r.to_input(), today()), Ok(r));
        }
    }
}
