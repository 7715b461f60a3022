//! 考核细则: scoring one town's annual assessment, and ranking a year's towns.

use criterion::{Criterion, criterion_group, criterion_main};
use shared::rubric::{Rubric, TownAssessmentInput, TownScore, normalise};
use std::hint::black_box;

mod town;
use town::town;

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
