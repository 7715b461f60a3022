//! The 考核细则 bench town (`shared/benches/town`) scored in wasm: `cargo xtask bench wasm`
//! loads this into headless Chromium and times these calls with `performance.now()` over many
//! runs (`tests/e2e/perf/rubric.mjs`). The same work as `cargo bench -p shared --bench rubric`.

use std::cell::RefCell;

use shared::rubric::{Rubric, TownAssessmentInput};
use wasm_bindgen::prelude::*;

#[path = "../../../shared/benches/town/mod.rs"]
mod town;

thread_local! {
    /// The bench town's form, and the same as the JSON body a browser would post.
    static INPUT: RefCell<Option<(TownAssessmentInput, String)>> = const { RefCell::new(None) };
}

/// Loads the rubric and builds the bench town (not timed). Returns its raw total in
/// hundredths, which the timed calls must reproduce.
#[wasm_bindgen]
pub fn setup() -> f64 {
    let rubric = Rubric::builtin();
    let input = town::town(rubric, 7);
    let json = serde_json::to_string(&input).expect("the bench town serialises");
    let total = input
        .score(rubric)
        .expect("the bench town is valid")
        .raw_total;
    INPUT.with(|i| *i.borrow_mut() = Some((input, json)));
    total.hundredths() as f64
}

/// Parses and scores the whole town form once: the raw total in hundredths.
#[wasm_bindgen]
pub fn score_town() -> f64 {
    INPUT.with(|i| {
        let i = i.borrow();
        let (input, _) = i.as_ref().expect("setup() first");
        let score = input.score(Rubric::builtin()).expect("valid");
        score.raw_total.hundredths() as f64
    })
}

/// The same from the JSON body: deserialise, parse, score.
#[wasm_bindgen]
pub fn score_town_json() -> f64 {
    INPUT.with(|i| {
        let i = i.borrow();
        let (_, json) = i.as_ref().expect("setup() first");
        let input: TownAssessmentInput = serde_json::from_str(json).expect("valid JSON");
        let score = input.score(Rubric::builtin()).expect("valid");
        score.raw_total.hundredths() as f64
    })
}
