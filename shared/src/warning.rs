//! 预警提示 (SPEC §4): computed, never typed; the same function runs in the browser and on the
//! server.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::lang::Lang;
use crate::risk::{RiskFacts, RiskLevel};
use crate::visit::Category;

/// 严重程度, ordered from least to most severe.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    /// Its name in the API (`critical`, `high`, `medium`, `low`), also the app's CSS class.
    pub fn code(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Severity::Critical => lang.pick("紧急", "Critical"),
            Severity::High => lang.pick("高", "High"),
            Severity::Medium => lang.pick("中", "Medium"),
            Severity::Low => lang.pick("低", "Low"),
        }
    }
}

/// 预警代码: stable identifiers; reports and dashboards key on them, so never renumber.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum WarningCode {
    /// 红色预警.
    #[serde(rename = "risk.red")]
    RiskRed,
    /// 橙色预警.
    #[serde(rename = "risk.orange")]
    RiskOrange,
    /// C 类线索须第一时间报公安机关并报市妇联.
    #[serde(rename = "report.child_abuse")]
    ReportChildAbuse,
    /// 严重家暴或无/限制民事行为能力人受家暴，须报村（社区）两委和公安机关.
    #[serde(rename = "report.severe_violence")]
    ReportSevereViolence,
    /// 红色预警事项须集中上报镇妇联和村（社区）两委.
    #[serde(rename = "report.red")]
    ReportRed,
    /// 较复杂的 A/B 类纠纷须上报村（社区）两委和镇妇联共同会商.
    #[serde(rename = "report.complex")]
    ReportComplex,
    /// 回访将到期: a follow-up visit is due within a week.
    #[serde(rename = "followup.due")]
    FollowUpDue,
    /// 回访已逾期.
    #[serde(rename = "followup.overdue")]
    FollowUpOverdue,
    /// 个案答复期限将至 (within 2 working days).
    #[serde(rename = "case.due_soon")]
    CaseDueSoon,
    /// 个案答复已逾期.
    #[serde(rename = "case.overdue")]
    CaseOverdue,
    /// 疑难个案未及时提交上级妇联.
    #[serde(rename = "case.difficult_not_referred")]
    CaseDifficultNotReferred,
    /// 结案后未回访.
    #[serde(rename = "case.closed_without_revisit")]
    CaseClosedWithoutRevisit,
    /// 集体访、异常访未及时上报.
    #[serde(rename = "case.petition_not_reported")]
    CasePetitionNotReported,
    /// 月报未报 (a missing report is not a zero report).
    #[serde(rename = "monthly.missing")]
    MonthlyMissing,
    /// 月报迟报.
    #[serde(rename = "monthly.late")]
    MonthlyLate,
    /// 阵地标准未达标.
    #[serde(rename = "standard.not_met")]
    StandardNotMet,
    /// 经费低于每名常住妇女2元.
    #[serde(rename = "funds.below_minimum")]
    FundsBelowMinimum,
    /// 缺少该年度的节假日安排，按周一至周五计算.
    #[serde(rename = "calendar.missing")]
    CalendarMissing,
}

impl WarningCode {
    pub fn as_str(self) -> &'static str {
        match self {
            WarningCode::RiskRed => "risk.red",
            WarningCode::RiskOrange => "risk.orange",
            WarningCode::ReportChildAbuse => "report.child_abuse",
            WarningCode::ReportSevereViolence => "report.severe_violence",
            WarningCode::ReportRed => "report.red",
            WarningCode::ReportComplex => "report.complex",
            WarningCode::FollowUpDue => "followup.due",
            WarningCode::FollowUpOverdue => "followup.overdue",
            WarningCode::CaseDueSoon => "case.due_soon",
            WarningCode::CaseOverdue => "case.overdue",
            WarningCode::CaseDifficultNotReferred => "case.difficult_not_referred",
            WarningCode::CaseClosedWithoutRevisit => "case.closed_without_revisit",
            WarningCode::CasePetitionNotReported => "case.petition_not_reported",
            WarningCode::MonthlyMissing => "monthly.missing",
            WarningCode::MonthlyLate => "monthly.late",
            WarningCode::StandardNotMet => "standard.not_met",
            WarningCode::FundsBelowMinimum => "funds.below_minimum",
            WarningCode::CalendarMissing => "calendar.missing",
        }
    }

    /// What kind of warning it is, in words (an export's 预警类型 column).
    pub fn label(self, lang: Lang) -> &'static str {
        use WarningCode::*;
        match self {
            RiskRed => lang.pick("红色预警", "Red alert"),
            RiskOrange => lang.pick("橙色预警", "Orange alert"),
            ReportChildAbuse => lang.pick("C类线索须报告", "Child abuse clue to report"),
            ReportSevereViolence => lang.pick("严重家暴须报告", "Severe violence to report"),
            ReportRed => lang.pick("红色预警须上报", "Red alert to report"),
            ReportComplex => lang.pick("较复杂纠纷须会商", "Complex dispute to report"),
            FollowUpDue => lang.pick("回访将到期", "Follow-up due"),
            FollowUpOverdue => lang.pick("回访已逾期", "Follow-up overdue"),
            CaseDueSoon => lang.pick("个案答复将到期", "Case reply due soon"),
            CaseOverdue => lang.pick("个案答复已逾期", "Case reply overdue"),
            CaseDifficultNotReferred => lang.pick("疑难个案未转报", "Difficult case not referred"),
            CaseClosedWithoutRevisit => lang.pick("结案后未回访", "Closed, not revisited"),
            CasePetitionNotReported => lang.pick("信访未上报", "Petition not reported"),
            MonthlyMissing => lang.pick("月报未报", "Monthly report missing"),
            MonthlyLate => lang.pick("月报迟报", "Monthly report late"),
            StandardNotMet => lang.pick("阵地未达标", "Standard not met"),
            FundsBelowMinimum => lang.pick("经费不足", "Funds below minimum"),
            CalendarMissing => lang.pick("缺少节假日安排", "Holiday calendar missing"),
        }
    }

    pub fn severity(self) -> Severity {
        use WarningCode::*;
        match self {
            ReportChildAbuse | ReportSevereViolence => Severity::Critical,
            RiskRed
            | ReportRed
            | CaseOverdue
            | CaseDifficultNotReferred
            | CasePetitionNotReported
            | MonthlyMissing => Severity::High,
            RiskOrange | ReportComplex | FollowUpOverdue | CaseDueSoon | FundsBelowMinimum
            | StandardNotMet => Severity::Medium,
            FollowUpDue | CaseClosedWithoutRevisit | MonthlyLate | CalendarMissing => Severity::Low,
        }
    }
}

/// What a warning is about.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Subject {
    /// One stored form (visit record, case, self-assessment…).
    Record { id: Uuid },
    /// An org unit for a period, e.g. a village's missing monthly report for `2026-10`.
    Unit { unit: String, period: String },
    /// A calendar year with no holiday table.
    Calendar { year: i32 },
}

/// 预警: one thing someone must act on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    pub code: WarningCode,
    pub severity: Severity,
    pub subject: Subject,
    pub message: String,
    pub message_en: String,
}

impl Warning {
    /// A warning whose severity is its code's.
    pub fn new(code: WarningCode, subject: Subject, zh: String, en: String) -> Self {
        Warning {
            code,
            severity: code.severity(),
            subject,
            message: zh,
            message_en: en,
        }
    }

    /// A warning about one stored record.
    pub fn about(code: WarningCode, id: Uuid, zh: String, en: String) -> Self {
        Self::new(code, Subject::Record { id }, zh, en)
    }

    pub fn message(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.message,
            Lang::En => &self.message_en,
        }
    }
}

// Message text. A city's dashboard builds millions of these, so they are put together from
// their pieces into strings allocated once, rather than through `format!` and `join`: the same
// text, in less than half the time (BENCHMARKS.md). Only the warnings raised are built.

/// `prefix`, then the names of the bodies not yet told (`told[i].0` false), joined the way
/// `lang` lists them: "公安机关、市妇联", "the police, the city federation".
fn not_yet_told(prefix: &str, told: &[(bool, &str, &str)], lang: Lang) -> String {
    let sep = lang.pick("、", ", ");
    let names = told.iter().filter(|t| !t.0).map(|t| lang.pick(t.1, t.2));
    let mut s = String::with_capacity(
        prefix.len()
            + told
                .iter()
                .map(|t| lang.pick(t.1, t.2).len() + sep.len())
                .sum::<usize>(),
    );
    s.push_str(prefix);
    for (i, name) in names.enumerate() {
        if i > 0 {
            s.push_str(sep);
        }
        s.push_str(name);
    }
    s
}

/// Appends `n` in decimal, as `{n}` would.
fn push_int(s: &mut String, n: i64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    let mut rest = n.unsigned_abs();
    loop {
        i -= 1;
        digits[i] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    if n < 0 {
        s.push('-');
    }
    s.extend(digits[i..].iter().map(|&b| char::from(b)));
}

/// Appends `d` as `{d}` would: `2026-11-02`.
fn push_date(s: &mut String, d: NaiveDate) {
    use chrono::Datelike;
    let (y, m, day) = (d.year(), d.month(), d.day());
    if !(0..=9999).contains(&y) {
        use std::fmt::Write;
        let _ = write!(s, "{d}");
        return;
    }
    let two = |s: &mut String, n: u32| {
        s.push(char::from(b'0' + (n / 10) as u8));
        s.push(char::from(b'0' + (n % 10) as u8));
    };
    two(s, y as u32 / 100);
    two(s, y as u32 % 100);
    s.push('-');
    two(s, m);
    s.push('-');
    two(s, day);
}

/// `before`, the number, `after`: "连续6个月未化解".
fn with_int(before: &str, n: i64, after: &str) -> String {
    let mut s = String::with_capacity(before.len() + 20 + after.len());
    s.push_str(before);
    push_int(&mut s, n);
    s.push_str(after);
    s
}

/// 回访规则 (000 三(五), SPEC §3.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FollowUpRule {
    /// A handed-over item is visited again at least this often until resolved.
    pub interval_days: u32,
    /// `followup.due` shows this many days before a visit is owed.
    pub notice_days: u32,
}

impl Default for FollowUpRule {
    fn default() -> Self {
        FollowUpRule {
            interval_days: 30,
            notice_days: 7,
        }
    }
}

/// Warnings of one visit record as of `as_of`, most severe first. A resolved item raises none.
pub fn visit_warnings(record: Uuid, facts: &RiskFacts, as_of: NaiveDate) -> Vec<Warning> {
    visit_warnings_with(record, facts, as_of, FollowUpRule::default())
}

/// [`visit_warnings`] with a federation's own follow-up interval.
pub fn visit_warnings_with(
    record: Uuid,
    facts: &RiskFacts,
    as_of: NaiveDate,
    rule: FollowUpRule,
) -> Vec<Warning> {
    if facts.resolved_on.is_some() {
        return Vec::new();
    }
    // Pushed most severe first (critical, high, medium, low); the sort below only keeps that
    // promise should a rule ever be added out of order.
    let mut out = Vec::new();
    let r = facts.reports;
    let level = facts.level(as_of);

    if facts.category == Some(Category::ChildSexualAbuse)
        && (r.police.is_none() || r.city_federation.is_none())
    {
        let told = [
            (r.police.is_some(), "公安机关", "the police"),
            (r.city_federation.is_some(), "市妇联", "the city federation"),
        ];
        out.push(Warning::about(
            WarningCode::ReportChildAbuse,
            record,
            not_yet_told(
                "未成年人性侵案件线索须第一时间报案：尚未报告",
                &told,
                Lang::Zh,
            ),
            not_yet_told(
                "Child sexual-abuse clue must be reported at once: not yet reported to ",
                &told,
                Lang::En,
            ),
        ));
    }
    if facts.is_reportable_violence() && (r.village_committee.is_none() || r.police.is_none()) {
        let told = [
            (
                r.village_committee.is_some(),
                "村（社区）两委",
                "the village committee",
            ),
            (r.police.is_some(), "公安机关", "the police"),
        ];
        out.push(Warning::about(
            WarningCode::ReportSevereViolence,
            record,
            not_yet_told("严重家庭暴力须及时报告：尚未报告", &told, Lang::Zh),
            not_yet_told(
                "Severe domestic violence must be reported: not yet reported to ",
                &told,
                Lang::En,
            ),
        ));
    }
    let joint = [
        (
            r.town_federation.is_some(),
            "镇（区、街道）妇联",
            "the town federation",
        ),
        (
            r.village_committee.is_some(),
            "村（社区）两委",
            "the village committee",
        ),
    ];
    let joint_missing = joint.iter().any(|p| !p.0);
    match level {
        RiskLevel::Red => {
            let (zh, en) = if facts.escalation.any() {
                (
                    "红色预警：有激化、民转刑或局面难控风险".to_owned(),
                    "Red alert: at risk of escalating".to_owned(),
                )
            } else {
                let months = i64::from(facts.months_open(as_of));
                (
                    with_int("红色预警：连续", months, "个月未化解"),
                    with_int("Red alert: unresolved for ", months, " months"),
                )
            };
            out.push(Warning::about(WarningCode::RiskRed, record, zh, en));
            if joint_missing {
                out.push(Warning::about(
                    WarningCode::ReportRed,
                    record,
                    not_yet_told("红色预警事项须集中上报：尚未报告", &joint, Lang::Zh),
                    not_yet_told(
                        "Red item must be reported: not yet reported to ",
                        &joint,
                        Lang::En,
                    ),
                ));
            }
        }
        RiskLevel::Orange => {
            let months = facts.months_open(as_of);
            let (zh, en) = if months >= 3 {
                let months = i64::from(months);
                (
                    with_int("橙色预警：连续", months, "个月未化解"),
                    with_int("Orange alert: unresolved for ", months, " months"),
                )
            } else {
                (
                    "橙色预警：存在不稳定苗头".to_owned(),
                    "Orange alert: unstable signs".to_owned(),
                )
            };
            out.push(Warning::about(WarningCode::RiskOrange, record, zh, en));
            let is_dispute = matches!(
                facts.category,
                Some(Category::MarriageDispute | Category::DomesticViolence)
            );
            if is_dispute && joint_missing {
                out.push(Warning::about(
                    WarningCode::ReportComplex,
                    record,
                    not_yet_told("较复杂的矛盾纠纷须上报共同会商：尚未报告", &joint, Lang::Zh),
                    not_yet_told(
                        "Complex dispute needs joint handling: not yet reported to ",
                        &joint,
                        Lang::En,
                    ),
                ));
            }
        }
        RiskLevel::Yellow => {}
    }
    if let Some(handed) = facts.handed_over() {
        // Visits before the hand-over do not count towards it.
        let last = facts
            .last_follow_up
            .filter(|d| *d >= handed)
            .unwrap_or(handed);
        let interval = i64::from(rule.interval_days);
        let due = last + chrono::Days::new(u64::from(rule.interval_days));
        if as_of > due {
            let days = (as_of - last).num_days();
            let mut zh = String::with_capacity(96);
            zh.push_str("回访已逾期：自 ");
            push_date(&mut zh, last);
            zh.push_str(" 起已 ");
            push_int(&mut zh, days);
            zh.push_str(" 天未回访（应每 ");
            push_int(&mut zh, interval);
            zh.push_str(" 天回访一次）");
            let mut en = String::with_capacity(80);
            en.push_str("Follow-up overdue: no visit for ");
            push_int(&mut en, days);
            en.push_str(" days since ");
            push_date(&mut en, last);
            en.push_str(" (due every ");
            push_int(&mut en, interval);
            en.push_str(" days)");
            out.push(Warning::about(WarningCode::FollowUpOverdue, record, zh, en));
        } else if (due - as_of).num_days() <= i64::from(rule.notice_days) {
            let mut zh = String::with_capacity(32);
            zh.push_str("请于 ");
            push_date(&mut zh, due);
            zh.push_str(" 前回访");
            let mut en = String::with_capacity(40);
            en.push_str("Follow-up visit due by ");
            push_date(&mut en, due);
            out.push(Warning::about(WarningCode::FollowUpDue, record, zh, en));
        }
    }
    most_severe_first(&mut out);
    out
}

/// Most severe first, equal ones in the order raised. One function for every list of
/// warnings: each `sort_by_key` costs the app ~3 KB of code.
pub fn most_severe_first(warnings: &mut Vec<Warning>) {
    crate::order::sort_by_key(warnings, |w| std::cmp::Reverse(w.severity));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::risk::{Escalation, Reports};

    /// The app styles and filters by the same name the API sends.
    #[test]
    fn a_severity_code_is_its_name_in_the_api() {
        for s in [
            Severity::Critical,
            Severity::High,
            Severity::Medium,
            Severity::Low,
        ] {
            assert_eq!(serde_json::to_value(s).unwrap(), s.code());
        }
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn facts(category: Category) -> RiskFacts {
        RiskFacts {
            category: Some(category),
            first_reported: d(2026, 11, 1),
            escalation: Escalation::default(),
            unstable_signs: false,
            severe_violence: false,
            victim_lacks_capacity: false,
            resolved_on: None,
            reports: Reports::default(),
            last_follow_up: None,
            raised_tier: None,
        }
    }

    fn codes(f: &RiskFacts, as_of: NaiveDate) -> Vec<&'static str> {
        visit_warnings(Uuid::nil(), f, as_of)
            .iter()
            .map(|w| w.code.as_str())
            .collect()
    }

    /// 000 §3.3: 发现未成年人性侵案件线索要第一时间向公安机关报案，同时报市妇联.
    #[test]
    fn child_abuse_clue_is_critical_until_police_and_city_both_told() {
        let today = d(2026, 11, 2);
        let mut f = facts(Category::ChildSexualAbuse);
        let w = visit_warnings(Uuid::nil(), &f, today);
        assert_eq!(w[0].code, WarningCode::ReportChildAbuse);
        assert_eq!(w[0].severity, Severity::Critical);
        assert!(
            w[0].message.contains("公安机关、市妇联"),
            "{}",
            w[0].message
        );
        f.reports.police = Some(today);
        let w = visit_warnings(Uuid::nil(), &f, today);
        assert!(w[0].message.ends_with("尚未报告市妇联"), "{}", w[0].message);
        f.reports.city_federation = Some(today);
        assert_eq!(codes(&f, today), Vec::<&str>::new());
    }

    /// 000 §3.3: 严重家庭暴力，以及无/限制民事行为能力人遭受家庭暴力，要及时向村（社区）两委和公安机关报告.
    #[test]
    fn severe_violence_is_critical_until_village_and_police_both_told() {
        let today = d(2026, 11, 2);
        for (severe, incapable) in [(true, false), (false, true), (true, true)] {
            let mut f = facts(Category::DomesticViolence);
            f.severe_violence = severe;
            f.victim_lacks_capacity = incapable;
            assert_eq!(codes(&f, today), ["report.severe_violence"]);
            f.reports.police = Some(today);
            f.reports.village_committee = Some(today);
            assert!(codes(&f, today).is_empty());
        }
        // Ordinary violence without either condition has no must-report duty.
        assert!(codes(&facts(Category::DomesticViolence), today).is_empty());
        // The conditions are about B: on an A item they mean nothing.
        let mut a = facts(Category::MarriageDispute);
        a.severe_violence = true;
        assert!(codes(&a, today).is_empty());
    }

    /// 000 §2.2: 对一些重大问题隐患要集中上报给镇（区、街道）妇联和村（社区）两委.
    #[test]
    fn red_items_must_reach_town_and_village() {
        let mut f = facts(Category::MarriageDispute);
        f.escalation.may_turn_criminal = true;
        let today = d(2026, 11, 2);
        assert_eq!(codes(&f, today), ["risk.red", "report.red"]);
        f.reports.town_federation = Some(today);
        f.reports.village_committee = Some(today);
        assert_eq!(codes(&f, today), ["risk.red"]);
    }

    /// 000 三(二): 比较复杂的矛盾纠纷要及时上报村（社区）两委、镇妇联.
    #[test]
    fn orange_disputes_need_joint_handling() {
        let mut f = facts(Category::MarriageDispute);
        f.unstable_signs = true;
        let today = d(2026, 11, 2);
        assert_eq!(codes(&f, today), ["risk.orange", "report.complex"]);
        f.reports.village_committee = Some(today);
        let w = visit_warnings(Uuid::nil(), &f, today);
        assert!(
            w[1].message.ends_with("尚未报告镇（区、街道）妇联"),
            "{}",
            w[1].message
        );
    }

    #[test]
    fn months_open_turn_yellow_into_orange_then_red() {
        let f = facts(Category::MarriageDispute);
        assert!(codes(&f, d(2027, 1, 31)).is_empty());
        assert_eq!(codes(&f, d(2027, 2, 1)), ["risk.orange", "report.complex"]);
        let w = visit_warnings(Uuid::nil(), &f, d(2027, 5, 1));
        assert_eq!(w[0].message, "红色预警：连续6个月未化解");
    }

    /// 000 三(五): 交由村（社区）两委或相关部门办理后…以定期回访的方式.
    #[test]
    fn handed_over_items_are_visited_every_30_days_until_resolved() {
        let mut f = facts(Category::MarriageDispute);
        assert!(
            codes(&f, d(2027, 1, 1)).is_empty(),
            "not handed over: no duty"
        );
        f.reports.village_committee = Some(d(2026, 11, 2));
        assert!(codes(&f, d(2026, 11, 24)).is_empty());
        assert_eq!(codes(&f, d(2026, 11, 25)), ["followup.due"]);
        assert_eq!(codes(&f, d(2026, 12, 2)), ["followup.due"]);
        let w = visit_warnings(Uuid::nil(), &f, d(2026, 12, 3));
        assert_eq!(w[0].code, WarningCode::FollowUpOverdue);
        assert_eq!(
            w[0].message,
            "回访已逾期：自 2026-11-02 起已 31 天未回访（应每 30 天回访一次）"
        );
        // A visit resets the clock; one before the hand-over does not.
        f.last_follow_up = Some(d(2026, 11, 30));
        assert!(codes(&f, d(2026, 12, 3)).is_empty());
        f.last_follow_up = Some(d(2026, 11, 1));
        assert!(codes(&f, d(2026, 12, 3)).contains(&"followup.overdue"));
        // A report to the police is a hand-over to a department too.
        let mut p = facts(Category::MarriageDispute);
        p.reports.police = Some(d(2026, 11, 2));
        assert!(codes(&p, d(2026, 12, 3)).contains(&"followup.overdue"));
        let rule = FollowUpRule {
            interval_days: 60,
            notice_days: 7,
        };
        assert!(visit_warnings_with(Uuid::nil(), &p, d(2026, 12, 3), rule).is_empty());
    }

    #[test]
    fn resolved_items_raise_nothing() {
        let mut f = facts(Category::ChildSexualAbuse);
        f.escalation.hard_to_control = true;
        f.resolved_on = Some(d(2026, 11, 2));
        assert!(codes(&f, d(2026, 11, 3)).is_empty());
    }

    #[test]
    fn critical_warnings_come_first() {
        let mut f = facts(Category::ChildSexualAbuse);
        f.escalation.may_intensify = true;
        let w = visit_warnings(Uuid::nil(), &f, d(2026, 11, 2));
        let sev: Vec<Severity> = w.iter().map(|w| w.severity).collect();
        let mut sorted = sev.clone();
        sorted.sort_by(|a, b| b.cmp(a));
        assert_eq!(sev, sorted);
        assert_eq!(sev[0], Severity::Critical);
    }
}
