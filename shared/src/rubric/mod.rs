//! 考核细则 — the town annual assessment of seed 004 (SPEC §6).
//!
//! The rules are data ([`Rubric`], built in from `data/rubric-2018.json`); a federation loads
//! another year's file with [`Rubric::from_json`]. The city assessor's form
//! ([`TownAssessmentInput`]) is checked by [`TownAssessment::parse`] and scored by
//! [`TownAssessment::score`]; while it is half filled, [`TownAssessmentInput::preview`] scores
//! what is there; a year's towns are scaled and ranked by [`normalise`]. All points
//! are [`Score`]s, whole hundredths, so wasm and the server agree to the cent.
//!
//! How unclear clauses of the 2018 table were read (each also noted in the file's `note`):
//! - A required number missing from 考核记分办法 is taken from 目标内容: trainings 2, rights
//!   activities 4, media campaigns 4, published reports 12 a year.
//! - "至少…1个/1次以上，没有/未开展的扣1分" is a shortfall of 1; "未…/无…的扣N分" is a flag.
//! - "少一项酌情扣1分" and "没有酌情扣1分" state the amount, so it is applied as stated.
//! - "酌情扣分" without an amount: 妇女议事会不发挥作用 0–1 (not more than having no council at
//!   all), 儿童活动无主体参与/图片/记录 0–3 (one point for each of the three shortcomings).
//! - A discretionary deduction is 0 (nothing wrong) or within its range: "扣2-3分" allows 0, 2–3.
//! - "未完成的按比例扣分" (其他 3): the item has no points of its own, so the share is taken of
//!   the category's 10 points, rounded half-up to 0.01; no tasks assigned costs nothing.
//! - 创新工作 is scored as the deduction `10 − assessor's score` (10 without an application), so
//!   every category is "points minus deductions, floored at 0".
//! - "每月…不少于1条，全年不少于12条": only the yearly 12 is scored.
//! - One clause naming two shortcomings with one amount ("春蕾班管理不规范，全年未开展活动扣1分",
//!   "无规范管理、无活动的扣1分") is one deduction, not one per shortcoming.
//! - "未按要求开展例会的扣2分" is a fixed 2, not per missed quarter.

mod assess;
mod builtin;
mod model;
mod normalise;
mod preview;
mod score;

pub use assess::{
    Answer, CategoryScore, Deduction, ItemInput, Reason, TownAssessment, TownAssessmentInput,
    TownName, TownScore, deduction,
};
pub use model::{
    Bonus, BonusItem, Category, Choice, Item, MAX_COUNT, RUBRIC_2018_JSON, Rubric, RubricError,
    Rule,
};
pub use normalise::{NormaliseError, RankedTown, normalise};
pub use preview::TownPreview;
pub use score::{ParseScoreError, Score};

/// The year whose rubric an assessment of `year` is filled against, among the years that have
/// one: its own, else the newest before it, else the oldest there is (which refuses the year).
/// The server and the app both choose so.
pub fn year_in_force(years: impl IntoIterator<Item = u16>, year: u16) -> Option<u16> {
    let years: Vec<u16> = years.into_iter().collect();
    let before = years.iter().copied().filter(|y| *y <= year).max();
    before.or_else(|| years.iter().copied().min())
}

#[cfg(test)]
mod tests;
