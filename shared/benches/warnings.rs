//! Warnings over a city's worth of visit records: the work behind a town or city dashboard.

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
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

fn bench(c: &mut Criterion) {
    let as_of = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
    let all = records(1_000_000);
    let mut group = c.benchmark_group("warnings");
    group.sample_size(10);
    group.bench_function("visit_warnings_1m_records", |b| {
        b.iter(|| {
            let n: usize = all
                .iter()
                .map(|(id, f)| visit_warnings(*id, f, as_of).len())
                .sum();
            black_box(n)
        })
    });
    group.bench_function("risk_level_1m_records", |b| {
        b.iter(|| {
            all.iter()
                .filter(|(_, f)| f.level(as_of) == shared::RiskLevel::Red)
                .count()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
