//! 考核细则: scoring one town's annual assessment, and ranking a year's towns.

use criterion::{Criterion, criterion_group, criterion_main};
use shared::rubric::{ItemInput, Rubric, Rule, Score, TownAssessmentInput, TownScore, normalise};
use std::hint::black_box;

/// A fully answered form for town `n`: every item answered, some of them costing points.
fn town(rubric: &Rubric, n: u32) -> TownAssessmentInput {
    let mut input = TownAssessmentInput {
        id: uuid::Uuid::from_u128(u128::from(n) + 1),
        town: format!("镇{n:02}"),
        year: rubric.year.to_string(),
        ..Default::default()
    };
    for (i, (_, item)) in rubric.items().enumerate() {
        let k = n + i as u32;
        let answer = match &item.rule {
            Rule::Shortfall { required, .. } => ItemInput {
                count: (required.saturating_sub(k % 3)).to_string(),
                ..Default::default()
            },
            Rule::PerOccurrence { .. } => ItemInput {
                count: (k % 3).to_string(),
                ..Default::default()
            },
            Rule::Flag { .. } => ItemInput {
                holds: k.is_multiple_of(4),
                ..Default::default()
            },
            Rule::Checklist { elements, .. } => ItemInput {
                checked: Some(
                    elements
                        .iter()
                        .skip((k % 2) as usize)
                        .map(|e| e.id.clone())
                        .collect(),
                ),
                ..Default::default()
            },
            Rule::Choice { options } => ItemInput {
                option: options[k as usize % options.len()].id.clone(),
                ..Default::default()
            },
            Rule::Discretionary { max, .. } => ItemInput {
                deduction: max.to_string(),
                reason: "检查发现台账不全，活动记录缺失".into(),
                ..Default::default()
            },
            Rule::Proportional { .. } => ItemInput {
                done: (k % 4).min(3).to_string(),
                total: "3".into(),
                ..Default::default()
            },
            Rule::AssessorScore { max } => ItemInput {
                applied: true,
                score: Score::from_hundredths(max.hundredths() - i64::from(k % 300)).to_string(),
                ..Default::default()
            },
        };
        input.items.insert(item.id.clone(), answer);
    }
    for (i, b) in rubric.bonus.items.iter().enumerate() {
        input
            .bonus
            .insert(b.id.clone(), ((n as usize + i) % 4).to_string());
    }
    input
}

fn bench(c: &mut Criterion) {
    let rubric = Rubric::builtin();
    let input = town(rubric, 7);
    input.score(rubric).expect("the bench town is valid");
    let json = serde_json::to_string(&input).unwrap();

    c.bench_function("rubric: parse + score one town", |b| {
        b.iter(|| black_box(&input).score(rubric).unwrap())
    });
    c.bench_function("rubric: JSON body → parse + score one town", |b| {
        b.iter(|| {
            let input: TownAssessmentInput = serde_json::from_str(black_box(&json)).unwrap();
            input.score(rubric).unwrap()
        })
    });

    let towns: Vec<TownScore> = (0..30)
        .map(|n| town(rubric, n).score(rubric).unwrap())
        .collect();
    c.bench_function("rubric: normalise + rank 30 towns", |b| {
        b.iter(|| normalise(black_box(&towns)).unwrap())
    });

    let file = shared::rubric::RUBRIC_2018_JSON;
    c.bench_function("rubric: load + check the 2018 rubric JSON", |b| {
        b.iter(|| Rubric::from_json(black_box(file)).unwrap())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
