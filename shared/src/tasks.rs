//! 待办: the open warnings on a unit's current records — what the server's warnings view
//! lists and what a village worker's phone shows as her tasks, offline too, computed here once:
//! follow-ups due or overdue and must-report items missing their dates (visit records), case
//! deadlines (rights cases), a self-assessment's or an application's shortfalls, and monthly
//! reports due or missing.

use chrono::NaiveDate;
use std::collections::BTreeMap;
use uuid::Uuid;

use crate::calendar::WorkCalendar;
use crate::case::RightsCase;
use crate::model_home::ModelHomeApplication;
use crate::monthly::{ReportReceipt, ReportingRules, YearMonth, completeness, report_warnings};
use crate::standards::SelfAssessment;
use crate::visit::VisitRecord;
use crate::warning::{Subject, Warning};

/// A record as stored: its unit now, when its current version was stored (RFC 3339), and the
/// record itself.
#[derive(Debug)]
pub struct Held<'a, R> {
    pub unit: &'a str,
    pub id: Uuid,
    pub received_at: &'a str,
    pub record: &'a R,
}

// (Not derived: a derive would ask `R: Copy`; only the reference is copied.)
impl<R> Clone for Held<'_, R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<R> Copy for Held<'_, R> {}

/// The kinds whose records raise tasks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaskKind {
    Visit,
    RightsCase,
    SelfAssessment,
    ModelHome,
}

/// One open warning, with the unit it concerns and the record it is about (`None`: a village's
/// monthly report due or missing).
#[derive(Clone, Debug, PartialEq)]
pub struct Task {
    pub unit: String,
    pub warning: Warning,
    pub record: Option<(TaskKind, Uuid)>,
}

/// The current records of a scope.
#[derive(Debug, Default)]
pub struct Records<'a> {
    pub visits: Vec<Held<'a, VisitRecord>>,
    pub cases: Vec<Held<'a, RightsCase>>,
    pub self_assessments: Vec<Held<'a, SelfAssessment>>,
    pub homes: Vec<Held<'a, ModelHomeApplication>>,
}

/// The latest of `rows` for each key: by `order`, then by when it was stored.
fn latest<'a, R, K: Ord, O: Ord>(
    rows: &[Held<'a, R>],
    key: impl Fn(&Held<'a, R>) -> K,
    order: impl Fn(&Held<'a, R>) -> O,
) -> Vec<Held<'a, R>> {
    let mut best: BTreeMap<K, Held<'a, R>> = BTreeMap::new();
    for row in rows {
        let k = key(row);
        let better = best
            .get(&k)
            .is_none_or(|b| (order(row), row.received_at) > (order(b), b.received_at));
        if better {
            best.insert(k, *row);
        }
    }
    best.into_values().collect()
}

/// The warnings the rules raise on `records` as of `today`: every visit record and case; only
/// a unit's latest self-assessment against each standard, and its latest application.
pub fn record_tasks(records: &Records, calendar: &WorkCalendar, today: NaiveDate) -> Vec<Task> {
    let mut out = Vec::new();
    let mut push = |held: (&str, Uuid), kind: TaskKind, warnings: Vec<Warning>| {
        out.extend(warnings.into_iter().map(|warning| Task {
            unit: held.0.to_owned(),
            warning,
            record: Some((kind, held.1)),
        }));
    };
    for v in &records.visits {
        push(
            (v.unit, v.id),
            TaskKind::Visit,
            v.record.assess(today).warnings,
        );
    }
    for c in &records.cases {
        push(
            (c.unit, c.id),
            TaskKind::RightsCase,
            c.record.warnings(calendar, today),
        );
    }
    let assessments = latest(
        &records.self_assessments,
        |r| (r.unit.to_owned(), r.record.standard.code()),
        |r| r.record.assessed_on,
    );
    for a in assessments {
        push(
            (a.unit, a.id),
            TaskKind::SelfAssessment,
            a.record.evaluate().warnings,
        );
    }
    for h in latest(&records.homes, |r| r.unit.to_owned(), |r| r.record.year) {
        push((h.unit, h.id), TaskKind::ModelHome, h.record.warnings());
    }
    out
}

/// The months whose reports are checked on `today`: the current one and those before it, back
/// to the latest whose due date has passed (so on the 1st–8th the month before last is still
/// shown as missing).
pub fn report_months(today: NaiveDate, rules: ReportingRules) -> Vec<YearMonth> {
    let mut months = vec![YearMonth::of(today)];
    loop {
        let m = months.last().expect("one month").previous();
        months.push(m);
        if rules.due_date(m) < today || months.len() >= 3 {
            return months;
        }
    }
}

/// Monthly reports due or missing for `villages` (each report dated by its first version).
pub fn report_tasks(
    villages: &[String],
    receipts: &[ReportReceipt],
    rules: ReportingRules,
    today: NaiveDate,
    scope: &str,
) -> Vec<Task> {
    let mut out = Vec::new();
    for month in report_months(today, rules) {
        let c = completeness(villages, month, receipts, rules, today);
        for warning in report_warnings(&c) {
            let unit = match &warning.subject {
                Subject::Unit { unit, .. } => unit.clone(),
                _ => scope.to_owned(),
            };
            out.push(Task {
                unit,
                warning,
                record: None,
            });
        }
    }
    out
}

/// Most severe first, then by unit, code and record: the order both lists show.
pub fn sort(tasks: &mut Vec<Task>) {
    crate::order::sort_by(tasks, |a, b| {
        b.warning
            .severity
            .cmp(&a.warning.severity)
            .then_with(|| a.unit.cmp(&b.unit))
            .then_with(|| a.warning.code.as_str().cmp(b.warning.code.as_str()))
            .then_with(|| a.record.map(|r| r.1).cmp(&b.record.map(|r| r.1)))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_village_without_a_report_past_its_due_date_has_it_as_a_task() {
        let villages = vec![
            "rugao/baipu/linzi".to_owned(),
            "rugao/baipu/xinhe".to_owned(),
        ];
        let receipts = [ReportReceipt {
            org_unit: "rugao/baipu/xinhe".into(),
            month: YearMonth::new(2026, 11).unwrap(),
            received_on: d(2026, 12, 3),
            zero_report: true,
        }];
        let on = |today| {
            report_tasks(
                &villages,
                &receipts,
                ReportingRules::default(),
                today,
                "rugao/baipu",
            )
        };
        let missing = |tasks: &[Task], unit: &str| {
            tasks.iter().any(|t| {
                t.warning.code.as_str() == "monthly.missing"
                    && t.warning.subject
                        == Subject::Unit {
                            unit: unit.into(),
                            period: "2026-11".into(),
                        }
            })
        };
        // November's report is due on 8 December: missing from the 9th, for linzi only.
        let tasks = on(d(2026, 12, 9));
        assert!(missing(&tasks, "rugao/baipu/linzi"), "{tasks:?}");
        assert!(!missing(&tasks, "rugao/baipu/xinhe"), "{tasks:?}");
        let tasks = on(d(2026, 12, 8));
        assert!(
            !missing(&tasks, "rugao/baipu/linzi"),
            "still due on the 8th: {tasks:?}"
        );
    }

    #[test]
    fn report_months_reach_back_to_the_last_passed_due_date() {
        let r = ReportingRules::default();
        assert_eq!(report_months(d(2026, 12, 20), r).len(), 2);
        assert_eq!(report_months(d(2026, 12, 5), r).len(), 3);
    }
}
