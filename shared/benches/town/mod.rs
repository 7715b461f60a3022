//! The bench town: a fully answered 考核细则 form, scored natively by `benches/rubric.rs` and
//! in wasm by `bench/wasm` (`cargo xtask bench wasm`), so both time the same work.

use shared::rubric::{ItemInput, Rubric, Rule, Score, TownAssessmentInput};

/// A fully answered form for town `n`: every item answered, some of them costing points.
pub fn town(rubric: &Rubric, n: u32) -> TownAssessmentInput {
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
