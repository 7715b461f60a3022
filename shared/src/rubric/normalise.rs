//! 折算与排名: scaling one year's towns to 100 and ranking them.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::assess::TownScore;
use super::score::Score;

/// 排名: one town's place in its year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RankedTown {
    pub town: String,
    /// 原始得分 (categories + capped bonus).
    pub raw: Score,
    /// 折算后得分 (基本分).
    pub normalised: Score,
    /// 1 for the best; towns with equal normalised scores share a rank and the next rank is
    /// skipped (1, 2, 2, 4).
    pub rank: u32,
}

/// Why towns cannot be ranked together.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NormaliseError {
    #[error("{town} is scored for {year}, the others for {expected}; rank one year at a time")]
    MixedYears {
        town: String,
        year: u16,
        expected: u16,
    },
    #[error("{town} is scored against full marks of {full_marks}, the others {expected}")]
    MixedRubrics {
        town: String,
        full_marks: Score,
        expected: Score,
    },
    #[error("{0} appears twice")]
    DuplicateTown(String),
}

/// 注：得分最高的镇如得分超过100分，按100分折算，其他各镇按同比例折算.
///
/// When the best raw score exceeds full marks (100), every town gets
/// `raw × 100 / best`, rounded half-up to 0.01, so the best town gets exactly 100.00; otherwise
/// the raw scores stand. Ranked on the normalised score (what is published), best first;
/// equal scores share a rank and are listed by town name.
pub fn normalise(towns: &[TownScore]) -> Result<Vec<RankedTown>, NormaliseError> {
    let Some(first) = towns.first() else {
        return Ok(Vec::new());
    };
    let mut seen = HashSet::new();
    for t in towns {
        if t.year != first.year {
            return Err(NormaliseError::MixedYears {
                town: t.town.clone(),
                year: t.year,
                expected: first.year,
            });
        }
        if t.full_marks != first.full_marks {
            return Err(NormaliseError::MixedRubrics {
                town: t.town.clone(),
                full_marks: t.full_marks,
                expected: first.full_marks,
            });
        }
        if !seen.insert(t.town.as_str()) {
            return Err(NormaliseError::DuplicateTown(t.town.clone()));
        }
    }
    let full = first.full_marks;
    let best = towns
        .iter()
        .map(|t| t.raw_total)
        .max()
        .unwrap_or(Score::ZERO);
    let scale = |raw: Score| {
        if best > full {
            raw.scale(full.hundredths(), best.hundredths())
        } else {
            raw
        }
    };
    let mut ranked: Vec<RankedTown> = towns
        .iter()
        .map(|t| RankedTown {
            town: t.town.clone(),
            raw: t.raw_total,
            normalised: scale(t.raw_total),
            rank: 0,
        })
        .collect();
    crate::order::sort_by(&mut ranked, |a, b| {
        b.normalised
            .cmp(&a.normalised)
            .then_with(|| a.town.cmp(&b.town))
    });
    let mut previous: Option<(Score, u32)> = None;
    for (i, r) in ranked.iter_mut().enumerate() {
        r.rank = match previous {
            Some((score, rank)) if score == r.normalised => rank,
            _ => i as u32 + 1,
        };
        previous = Some((r.normalised, r.rank));
    }
    Ok(ranked)
}
