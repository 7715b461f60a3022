//! 实时预览: the score of an assessment form while the city assessor is still filling it in.
//!
//! [`TownAssessment::parse`](super::TownAssessment::parse) refuses a form until every required
//! answer is there, but the assessor wants to see each category's score move as they type. The
//! preview reads each item on its own with the same parser and scores with the same tally; an
//! item that cannot be read yet (left empty, or typed wrong) costs nothing and is listed as
//! pending. For a form that parses, the preview's score is exactly [`TownAssessmentInput::score`].

use serde::{Deserialize, Serialize};

use super::assess::{
    ItemField, ItemInput, TownAssessmentInput, TownScore, deduction, parse_answer, parse_count,
    tally,
};
use super::model::{Rubric, Rule};
use super::score::Score;
use crate::error::Collector;

/// 预览: the score so far, and what is still missing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TownPreview {
    /// The score with every pending answer counted as costing nothing.
    pub score: TownScore,
    /// Rubric item ids whose answer is missing or unreadable, in table order, then
    /// `bonus.<id>` for unreadable bonus counts. Empty for a form whose answers all parse.
    pub pending: Vec<String>,
}

impl TownPreview {
    /// Whether item (or `bonus.<id>`) `id` is still to be answered.
    pub fn is_pending(&self, id: &str) -> bool {
        self.pending.iter().any(|p| p == id)
    }

    /// What item `id` costs so far (0 when nothing, or when pending).
    pub fn deduction(&self, id: &str) -> Score {
        self.score
            .categories
            .iter()
            .flat_map(|c| &c.deductions)
            .find(|d| d.item == id)
            .map_or(Score::ZERO, |d| d.points)
    }
}

/// What one item's answer costs, read on its own; `None` while it cannot be read.
fn item_deduction(f: &ItemField, a: &ItemInput) -> Option<Score> {
    // A deduction typed before its reason already counts; the reason is asked for on submit.
    let with_reason;
    let a = if matches!(f.item.rule, Rule::Discretionary { .. }) {
        with_reason = ItemInput {
            reason: "…".into(),
            ..a.clone()
        };
        &with_reason
    } else {
        a
    };
    let answer = parse_answer(&mut Collector::default(), f, a)?;
    deduction(&f.item.rule, &answer)
}

impl TownAssessmentInput {
    /// The score of this form as far as it is filled in, against `rubric` (the town as typed,
    /// the rubric's year). Never fails.
    pub fn preview(&self, rubric: &Rubric) -> TownPreview {
        let mut pending = Vec::new();
        let empty = ItemInput::default();
        let mut bonus_pending = Vec::new();
        let score = tally(
            rubric,
            self.town.trim().to_owned(),
            rubric.year,
            |category, item| {
                let f = ItemField { category, item };
                let a = self.items.get(&item.id).unwrap_or(&empty);
                Ok(item_deduction(&f, a).unwrap_or_else(|| {
                    pending.push(item.id.clone());
                    Score::ZERO
                }))
            },
            |b| {
                let raw = self.bonus.get(&b.id).map_or("", String::as_str);
                Ok(parse_count(raw, false).unwrap_or_else(|_| {
                    bonus_pending.push(format!("bonus.{}", b.id));
                    0
                }))
            },
        )
        .expect("the lenient tally has no failing answer");
        pending.extend(bonus_pending);
        TownPreview { score, pending }
    }
}
