//! 风险预警 (000 附件3 说明) and 分级预警处置 (002): what a visit record's facts mean.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::lang::Lang;
use crate::time::whole_months;
use crate::visit::Category;

/// 风险预警等级: 红 / 橙 / 黄. Ordered from least to most urgent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskLevel {
    /// 黄色预警: general, common items.
    Yellow,
    /// 橙色预警: unresolved 3–6 months, or unstable signs.
    Orange,
    /// 红色预警: unresolved 6 months or more, or at risk of escalating.
    Red,
}

impl RiskLevel {
    /// The wire codes, most urgent first.
    pub const CODES: &'static [&'static str] = &["red", "orange", "yellow"];

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            RiskLevel::Red => lang.pick("红色预警", "Red alert"),
            RiskLevel::Orange => lang.pick("橙色预警", "Orange alert"),
            RiskLevel::Yellow => lang.pick("黄色预警", "Yellow alert"),
        }
    }

    /// One character for badges: 红 / 橙 / 黄.
    pub fn short(self, lang: Lang) -> &'static str {
        match self {
            RiskLevel::Red => lang.pick("红", "Red"),
            RiskLevel::Orange => lang.pick("橙", "Orange"),
            RiskLevel::Yellow => lang.pick("黄", "Yellow"),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            RiskLevel::Red => "red",
            RiskLevel::Orange => "orange",
            RiskLevel::Yellow => "yellow",
        }
    }
}

choice! {
    /// 纠纷处置层级 (002): who handles a dispute. Ordered from the lowest tier.
    DisputeTier {
        /// 一级: neighbour-level dispute, the grid worker mediates on the spot.
        One = "one", "一级：网格员就地调解", "Tier 1: grid worker mediates";
        /// 二级: ordinary family conflict, solved in the village.
        Two = "two", "二级：上报村（社区）化解", "Tier 2: village resolves";
        /// 三级: long-standing or major-hazard conflict, handed to the town "好大姐" studio.
        Three = "three", "三级：上报镇“好大姐”工作室", "Tier 3: town \"Good Sister\" studio";
    }
}

impl DisputeTier {
    /// Empty is `None` (no choice made).
    pub fn parse_optional(raw: &str) -> Result<Option<Self>, crate::error::Problem> {
        if raw.trim().is_empty() {
            Ok(None)
        } else {
            Self::parse(raw).map(Some)
        }
    }
}

/// 激化风险: the visitor's judgement that an item may escalate; any one makes it red.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Escalation {
    /// 易民转刑: a civil dispute likely to turn criminal.
    pub may_turn_criminal: bool,
    /// 可能激化成较大矛盾.
    pub may_intensify: bool,
    /// 局面较难控制.
    pub hard_to_control: bool,
}

impl Escalation {
    pub fn any(self) -> bool {
        self.may_turn_criminal || self.may_intensify || self.hard_to_control
    }
}

/// 报告记录: the dates an item was reported to each body (000 §3.2–3.3). Empty until done.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Reports {
    /// 报公安机关.
    pub police: Option<NaiveDate>,
    /// 报市妇联.
    pub city_federation: Option<NaiveDate>,
    /// 报村（社区）两委.
    pub village_committee: Option<NaiveDate>,
    /// 报镇（区、街道）妇联.
    pub town_federation: Option<NaiveDate>,
}

/// The facts of an item that its level and warnings depend on. A half-filled form yields them
/// too, so the preview works while the user is still typing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RiskFacts {
    pub category: Option<Category>,
    /// 首次上报日期: the months count from here.
    pub first_reported: NaiveDate,
    pub escalation: Escalation,
    /// 不稳定苗头.
    pub unstable_signs: bool,
    /// B: 严重家庭暴力.
    pub severe_violence: bool,
    /// B: 受害人为无/限制民事行为能力人.
    pub victim_lacks_capacity: bool,
    /// 化解日期.
    pub resolved_on: Option<NaiveDate>,
    pub reports: Reports,
    /// The latest 跟踪回访 recorded.
    pub last_follow_up: Option<NaiveDate>,
    /// A tier the user raised the item to (002: the tier may be raised, never lowered).
    pub raised_tier: Option<DisputeTier>,
}

impl RiskFacts {
    /// Whole months the item has been open as of `as_of`; a resolved item stops counting on
    /// the day it was resolved.
    pub fn months_open(&self, as_of: NaiveDate) -> u32 {
        let end = self.resolved_on.map_or(as_of, |r| r.min(as_of));
        whole_months(self.first_reported, end)
    }

    /// 风险预警等级 as of `as_of` (000 附件3 说明).
    pub fn level(&self, as_of: NaiveDate) -> RiskLevel {
        let months = self.months_open(as_of);
        if months >= 6 || self.escalation.any() {
            RiskLevel::Red
        } else if months >= 3 || self.unstable_signs {
            RiskLevel::Orange
        } else {
            RiskLevel::Yellow
        }
    }

    /// Suggested 处置层级 (002): yellow → 一级, orange → 二级, red or a child-abuse clue → 三级.
    pub fn suggested_tier(&self, as_of: NaiveDate) -> DisputeTier {
        if self.category == Some(Category::ChildSexualAbuse) {
            return DisputeTier::Three;
        }
        match self.level(as_of) {
            RiskLevel::Yellow => DisputeTier::One,
            RiskLevel::Orange => DisputeTier::Two,
            RiskLevel::Red => DisputeTier::Three,
        }
    }

    /// The tier the item is handled at: the suggestion, or the raised tier if higher.
    pub fn tier(&self, as_of: NaiveDate) -> DisputeTier {
        let suggested = self.suggested_tier(as_of);
        self.raised_tier.map_or(suggested, |r| r.max(suggested))
    }

    /// 交办日期: the day the item was handed to the village committee or a department (the
    /// police), from which follow-up visits are owed (000 三(五)).
    pub fn handed_over(&self) -> Option<NaiveDate> {
        [self.reports.village_committee, self.reports.police]
            .into_iter()
            .flatten()
            .min()
    }

    /// B 类须报告情形: severe violence, or a victim without full civil capacity.
    pub fn is_reportable_violence(&self) -> bool {
        self.category == Some(Category::DomesticViolence)
            && (self.severe_violence || self.victim_lacks_capacity)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn facts(first: NaiveDate) -> RiskFacts {
        RiskFacts {
            category: Some(Category::MarriageDispute),
            first_reported: first,
            escalation: Escalation::default(),
            unstable_signs: false,
            severe_violence: false,
            victim_lacks_capacity: false,
            resolved_on: None,
            reports: Reports::default(),
            last_follow_up: None,
            raised_tier: None,
        }
    }

    /// 000 附件3: 连续上报6个月以上未化解 → 红; 3个月以上6个月以下 → 橙; 一般性 → 黄.
    #[test]
    fn level_by_months_open() {
        let first = d(2025, 5, 31);
        let cases = [
            (d(2025, 5, 31), RiskLevel::Yellow),
            (d(2025, 8, 30), RiskLevel::Yellow),
            (d(2025, 8, 31), RiskLevel::Orange),
            (d(2025, 11, 29), RiskLevel::Orange),
            // 31 May + 6 months is 30 November.
            (d(2025, 11, 30), RiskLevel::Red),
            (d(2026, 5, 1), RiskLevel::Red),
        ];
        for (as_of, want) in cases {
            assert_eq!(facts(first).level(as_of), want, "as of {as_of}");
        }
    }

    /// 易发生民转刑、激化成较大或可能发生局面较难控制 → 红, whatever the months.
    #[test]
    fn any_escalation_flag_is_red_at_once() {
        let first = d(2026, 11, 1);
        for flag in 0..3 {
            let mut f = facts(first);
            match flag {
                0 => f.escalation.may_turn_criminal = true,
                1 => f.escalation.may_intensify = true,
                _ => f.escalation.hard_to_control = true,
            }
            assert_eq!(f.level(first), RiskLevel::Red);
        }
    }

    /// 存在不稳定苗头 → 橙 from day one.
    #[test]
    fn unstable_signs_are_orange_at_once() {
        let mut f = facts(d(2026, 11, 1));
        f.unstable_signs = true;
        assert_eq!(f.level(d(2026, 11, 1)), RiskLevel::Orange);
        // …and red once six months have passed.
        assert_eq!(f.level(d(2027, 5, 1)), RiskLevel::Red);
    }

    #[test]
    fn a_resolved_item_keeps_the_level_it_had_when_resolved() {
        let mut f = facts(d(2025, 1, 10));
        f.resolved_on = Some(d(2025, 4, 10));
        assert_eq!(f.level(d(2026, 11, 29)), RiskLevel::Orange);
        f.resolved_on = Some(d(2025, 2, 1));
        assert_eq!(f.level(d(2026, 11, 29)), RiskLevel::Yellow);
    }

    #[test]
    fn tier_follows_level_and_child_clues_go_to_the_town() {
        let first = d(2026, 11, 1);
        let mut f = facts(first);
        assert_eq!(f.suggested_tier(first), DisputeTier::One);
        f.unstable_signs = true;
        assert_eq!(f.suggested_tier(first), DisputeTier::Two);
        f.escalation.may_intensify = true;
        assert_eq!(f.suggested_tier(first), DisputeTier::Three);
        let mut c = facts(first);
        c.category = Some(Category::ChildSexualAbuse);
        assert_eq!(c.suggested_tier(first), DisputeTier::Three);
    }

    /// 002: 村（社区）难以处理及存在重大隐患的矛盾 go up a tier on the worker's judgement.
    #[test]
    fn a_raised_tier_holds_until_the_suggestion_passes_it() {
        let first = d(2026, 11, 1);
        let mut f = facts(first);
        f.raised_tier = Some(DisputeTier::Two);
        assert_eq!(f.tier(first), DisputeTier::Two);
        // Six months on the item is red: the suggestion (三级) now exceeds the raise.
        assert_eq!(f.tier(d(2027, 5, 1)), DisputeTier::Three);
    }
}
