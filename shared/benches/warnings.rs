//! Warnings over a city's worth of visit records, and its villages' monthly-report
//! completeness: the work behind a town or city dashboard (`GET /api/views/warnings`).

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use shared::monthly::{ReportReceipt, ReportingRules, YearMonth, completeness, report_warnings};
use shared::risk::{Escalation, Reports, RiskFacts};
use shared::visit::Category;
use shared::warning::visit_warnings;
use std::hint::black_box;
use uuid::Uuid;

/// `n` open and resolved items spread over two years, with every flag combination.
fn records(n: usize) -> Vec<(Uuid, RiskFacts)> {
    let start = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    (0..n)
        .map(|i| {
            let first = start + chrono::Days::new((i % 700) as u64);
            let bits = i as u32;
            let category = [
                Category::MarriageDispute,
                Category::DomesticViolence,
                Category::ChildSexualAbuse,
            ][i % 3];
            let facts = RiskFacts {
                category: Some(category),
                first_reported: first,
                escalation: Escalation {
                    may_turn_criminal: bits.is_multiple_of(17),
                    may_intensify: bits.is_multiple_of(13),
                    hard_to_control: false,
                },
                unstable_signs: bits.is_multiple_of(7),
                severe_violence: bits.is_multiple_of(5),
                victim_lacks_capacity: false,
                resolved_on: (bits.is_multiple_of(4)).then(|| first + chrono::Days::new(20)),
                reports: Reports {
                    police: (bits.is_multiple_of(3)).then_some(first),
                    village_committee: (bits.is_multiple_of(2)).then_some(first),
                    ..Reports::default()
                },
                last_follow_up: None,
                raised_tier: None,
            };
            (Uuid::from_u128(i as u128), facts)
        })
        .collect()
}

/// A city of 20 towns × 15 villages = 300 villages.
fn villages() -> Vec<String> {
    (0..20)
        .flat_map(|t| (0..15).map(move |v| format!("city/town{t:02}/village{v:02}")))
        .collect()
}

/// The villages' reports for `months`: most on time, every 7th late (some of those zero
/// reports), every 11th missing.
fn receipts(
    villages: &[String],
    months: &[YearMonth],
    rules: ReportingRules,
) -> Vec<ReportReceipt> {
    let mut out = Vec::new();
    for &month in months {
        let due = rules.due_date(month);
        for (i, v) in villages.iter().enumerate() {
            if i % 11 == 3 {
                continue;
            }
            let received_on = if i % 7 == 2 {
                due + chrono::Days::new(3)
            } else {
                due - chrono::Days::new((i % 5) as u64)
            };
            out.push(ReportReceipt {
                org_unit: v.clone(),
                month,
                received_on,
                zero_report: i % 4 == 0,
            });
        }
    }
    out
}

/// Completeness and its warnings for every month, as the warnings view computes them.
fn city_reports(
    villages: &[String],
    months: &[YearMonth],
    received: &[ReportReceipt],
    rules: ReportingRules,
    as_of: NaiveDate,
) -> usize {
    months
        .iter()
        .map(|&m| report_warnings(&completeness(villages, m, received, rules, as_of)).len())
        .sum()
}

fn visit_warning_count(all: &[(Uuid, RiskFacts)], as_of: NaiveDate) -> usize {
    all.iter()
        .map(|(id, f)| visit_warnings(*id, f, as_of).len())
        .sum()
}

fn bench(c: &mut Criterion) {
    let as_of = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
    let all = records(1_000_000);
    let rules = ReportingRules::default();
    let villages = villages();
    // The view covers up to 3 months: this one and those whose reports are not yet past due.
    let months = [
        YearMonth::new(2026, 9).unwrap(),
        YearMonth::new(2026, 10).unwrap(),
        YearMonth::new(2026, 11).unwrap(),
    ];
    let received = receipts(&villages, &months, rules);

    let mut group = c.benchmark_group("warnings");
    group.sample_size(10);
    group.bench_function("visit_warnings_1m_records", |b| {
        b.iter(|| black_box(visit_warning_count(&all, as_of)))
    });
    group.bench_function("risk_level_1m_records", |b| {
        b.iter(|| {
            all.iter()
                .filter(|(_, f)| f.level(as_of) == shared::RiskLevel::Red)
                .count()
        })
    });
    group.bench_function("completeness_300_villages_3_months", |b| {
        b.iter(|| black_box(city_reports(&villages, &months, &received, rules, as_of)))
    });
    group.bench_function("city_1m_records_300_villages", |b| {
        b.iter(|| {
            black_box(
                visit_warning_count(&all, as_of)
                    + city_reports(&villages, &months, &received, rules, as_of),
            )
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
