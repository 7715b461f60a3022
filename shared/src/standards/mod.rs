//! 阵地自评 — standards self-assessment (SPEC §2.6): a 妇女之家 against the 七有 of 003 四（二）,
//! a town rights station against the 五有 and a village station against the 三有 of 001 四（一）.
//!
//! The criteria are data ([`SEVEN`], [`FIVE`], [`THREE`]). The assessor ticks the sub-items that
//! exist, marks the few that may not apply as 不适用, types the yearly counts, and for the 七有
//! enters the annual funds and the number of resident women. A criterion is met when every one
//! of its sub-items is; the score is criteria met out of criteria in the standard.

mod money;
mod table;

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{Collector, Problem, ValidationErrors};
use crate::lang::Lang;
use crate::stats::Ratio;
use crate::value::{PersonName, Text, earliest_date, parse_date, parse_past_date};
use crate::warning::{Warning, WarningCode};

pub use money::Yuan;
pub use table::{Criterion, FIVE, Group, Item, ItemKind, LEDGER_CLASSES, SEVEN, THREE};

/// 每名常住妇女的最低经费: 2 元 (003 四（二）3 “人均不低于2元钱”).
pub const MIN_FUNDS_PER_WOMAN: Yuan = match Yuan::from_fen(200) {
    Some(y) => y,
    None => panic!("2 元 is in range"),
};

/// Largest count typed into any yearly-count box.
pub const MAX_COUNT: u32 = 99_999;

/// Largest number of resident women a single unit can have (a big 街道 has some 10⁵).
pub const MAX_RESIDENT_WOMEN: u32 = 9_999_999;

choice! {
    /// 自评标准: which checklist the unit is assessed against.
    Standard {
        /// 妇女之家“七有” (003 四（二）).
        Seven = "seven", "妇女之家“七有”", "Women's home “seven haves”";
        /// 乡镇（街道）妇女维权站“五有” (001 四（一）).
        Five = "five", "乡镇（街道）妇女维权站“五有”", "Town women's rights station “five haves”";
        /// 村（居）妇女维权站“三有” (001 四（一）).
        Three = "three", "村（居）妇女维权站“三有”", "Village women's rights station “three haves”";
    }
}

impl Standard {
    /// The criteria, in the seed's order.
    pub fn criteria(self) -> &'static [Criterion] {
        match self {
            Standard::Seven => &SEVEN,
            Standard::Five => &FIVE,
            Standard::Three => &THREE,
        }
    }

    /// The sub-item `id` of this standard, with its criterion.
    pub fn item(self, id: &str) -> Option<(&'static Criterion, &'static Item)> {
        self.criteria()
            .iter()
            .find_map(|c| c.items.iter().find(|i| i.id == id).map(|i| (c, i)))
    }

    /// The criterion `id` of this standard.
    pub fn criterion(self, id: &str) -> Option<&'static Criterion> {
        self.criteria().iter().find(|c| c.id == id)
    }
}

/// 阵地自评 as typed: the draft the app keeps and the body it posts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SelfAssessmentInput {
    /// Client-generated; makes submission idempotent.
    pub id: Uuid,
    /// 所属单位: the 妇女之家 or station's org unit.
    pub org_unit: String,
    /// `"seven"`, `"five"` or `"three"`.
    pub standard: String,
    /// 自评日期 `YYYY-MM-DD`. Counts are for the twelve months up to this date.
    pub assessed_on: String,
    /// 自评人.
    pub assessor: String,
    /// Ids of the tick sub-items that exist (order and repeats do not matter).
    pub ticked: Vec<String>,
    /// Ids of sub-items marked 不适用; only those the table allows.
    pub not_applicable: Vec<String>,
    /// Sub-item id → the number typed, e.g. `"work_meetings": "12"`.
    pub counts: BTreeMap<String, String>,
    /// 工作经费（元/年）, 七有 only, e.g. `"1,600.00"`.
    pub annual_funds: String,
    /// 常住妇女人口（人）, 七有 only.
    pub resident_women: String,
    /// 备注.
    pub remarks: String,
}

/// 经费: the two numbers the funds criterion is computed from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Funds {
    /// 工作经费（元/年）.
    pub annual: Yuan,
    /// 常住妇女人口, at least 1.
    pub resident_women: u32,
}

impl Funds {
    /// The check of 003 四（二）3, in whole fen: met exactly when `annual ≥ 2 元 × women`.
    pub fn check(self) -> FundsCheck {
        // `Yuan::MAX` is far above 2 元 × MAX_RESIDENT_WOMEN, so this never saturates for
        // parsed values; a hand-built one that would overflow counts as unmet.
        let required = MIN_FUNDS_PER_WOMAN
            .times(self.resident_women)
            .unwrap_or(Yuan::MAX);
        FundsCheck {
            annual: self.annual,
            resident_women: self.resident_women,
            required,
            per_woman: self.annual.per(self.resident_women).unwrap_or(self.annual),
            ok: self.annual >= required && self.resident_women > 0,
        }
    }
}

/// 经费测算: the funds rule worked out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FundsCheck {
    pub annual: Yuan,
    pub resident_women: u32,
    /// 2 元 × resident women.
    pub required: Yuan,
    /// Funds per resident woman, rounded down to the fen (so 2.00 shown means ≥ 2 元 really).
    pub per_woman: Yuan,
    /// `annual ≥ required`.
    pub ok: bool,
}

impl FundsCheck {
    /// "经费 1,500.00 元 < 2 元 × 800 人 = 1,600.00 元" (or ≥ when met).
    pub fn explain(&self, lang: Lang) -> String {
        let cmp = if self.ok { "≥" } else { "<" };
        match lang {
            Lang::Zh => format!(
                "经费 {} 元 {cmp} 2 元 × {} 人 = {} 元",
                self.annual, self.resident_women, self.required
            ),
            Lang::En => format!(
                "funds {} yuan {cmp} 2 yuan × {} women = {} yuan",
                self.annual, self.resident_women, self.required
            ),
        }
    }
}

/// 阵地自评: a checked self-assessment. Only [`SelfAssessment::parse`] makes one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SelfAssessment {
    pub id: Uuid,
    pub org_unit: Text<60>,
    pub standard: Standard,
    pub assessed_on: NaiveDate,
    pub assessor: PersonName,
    /// Tick sub-items present, all of this standard.
    pub ticked: BTreeSet<String>,
    /// Sub-items marked 不适用, none of them also ticked.
    pub not_applicable: BTreeSet<String>,
    /// Every count sub-item of this standard, with its number.
    pub counts: BTreeMap<String, u32>,
    /// Present exactly for the 七有.
    pub funds: Option<Funds>,
    pub remarks: Option<Text<1000>>,
}

/// 未达标原因: why one sub-item fails.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Shortfall {
    /// Not ticked (and not marked 不适用).
    Missing,
    /// The count typed is below the minimum.
    TooFew { counted: u32, required: u32 },
    /// A count or the funds figures are not filled in yet (only in a preview).
    NotEntered,
    /// Funds below 2 元 per resident woman.
    FundsBelowMinimum(FundsCheck),
}

/// 未达标子项: one failing sub-item and the reason, in both languages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemFailure {
    pub item: String,
    pub shortfall: Shortfall,
    pub message: String,
    pub message_en: String,
}

/// One criterion's outcome.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CriterionResult {
    pub id: String,
    pub met: bool,
    /// Empty exactly when met.
    pub failures: Vec<ItemFailure>,
}

/// 自评结果: computed, never typed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelfAssessmentResult {
    pub id: Uuid,
    pub org_unit: String,
    pub standard: Standard,
    pub assessed_on: NaiveDate,
    /// One per criterion, in the standard's order.
    pub criteria: Vec<CriterionResult>,
    /// Criteria met, `k` of `k/n`.
    pub met: u32,
    /// Criteria in the standard, `n` of `k/n` (7, 5 or 3).
    pub total: u32,
    /// `k/n` as a percentage in hundredths of a percent, rounded half up (6/7 → 8571, shown
    /// 85.71%). Integer arithmetic, so browser and server agree to the digit; `met`/`total`
    /// stays the exact value.
    pub percent_hundredths: u32,
    /// The 七有 funds rule worked out; `None` for 五有/三有 (and a preview without figures).
    pub funds: Option<FundsCheck>,
    /// `standard.not_met` per failed criterion, and `funds.below_minimum`.
    pub warnings: Vec<Warning>,
}

impl SelfAssessmentResult {
    /// Every criterion met.
    pub fn all_met(&self) -> bool {
        self.met == self.total
    }

    /// `met/total` exactly.
    pub fn ratio(&self) -> Ratio {
        Ratio::new(u64::from(self.met), u64::from(self.total))
    }

    /// "85.71%".
    pub fn percent_text(&self) -> String {
        format!(
            "{}.{:02}%",
            self.percent_hundredths / 100,
            self.percent_hundredths % 100
        )
    }

    pub fn criterion(&self, id: &str) -> Option<&CriterionResult> {
        self.criteria.iter().find(|c| c.id == id)
    }
}

/// `met/total` in hundredths of a percent, rounded half up as every ratio in the product is
/// ([`Ratio`]); 0 when `total` is 0.
pub fn percent_hundredths(met: u32, total: u32) -> u32 {
    Ratio::new(u64::from(met.min(total)), u64::from(total))
        .percent_hundredths()
        .map_or(0, |h| h as u32)
}

/// Parses a whole number typed into a form, `min..=max`.
pub(crate) fn parse_count(raw: &str, min: u32, max: u32) -> Result<u32, Problem> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(Problem::Required);
    }
    let range = Problem::OutOfRange {
        min: i64::from(min),
        max: i64::from(max),
    };
    if !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(range);
    }
    // Leading zeros are harmless; a huge number is simply out of range.
    let t = t.trim_start_matches('0');
    let n: u64 = if t.is_empty() {
        0
    } else {
        t.parse().map_err(|_| range.clone())?
    };
    u32::try_from(n)
        .ok()
        .filter(|n| (min..=max).contains(n))
        .ok_or(range)
}

/// What the evaluator reads: the answers of either a parsed record or a half-filled form.
struct Answers<'a> {
    ticked: &'a BTreeSet<String>,
    not_applicable: &'a BTreeSet<String>,
    counts: &'a BTreeMap<String, u32>,
    funds: Option<Funds>,
}

fn failure(item: &Item, shortfall: Shortfall) -> ItemFailure {
    let (zh, en) = (item.full_label(Lang::Zh), item.full_label(Lang::En));
    let (message, message_en) = match &shortfall {
        Shortfall::Missing => (format!("缺少 {zh}"), format!("missing: {en}")),
        Shortfall::NotEntered => (format!("{zh}：未填写"), format!("{en}: not entered")),
        Shortfall::TooFew { counted, required } => {
            let (uz, ue) = match item.kind {
                ItemKind::AtLeast {
                    unit_zh, unit_en, ..
                } => (unit_zh, unit_en),
                _ => ("", ""),
            };
            (
                format!("{zh}：{counted} {uz} < {required} {uz}"),
                format!("{en}: {counted} {ue} < {required} {ue}"),
            )
        }
        Shortfall::FundsBelowMinimum(check) => (check.explain(Lang::Zh), check.explain(Lang::En)),
    };
    ItemFailure {
        item: item.id.to_owned(),
        shortfall,
        message,
        message_en,
    }
}

fn item_failure(item: &Item, a: &Answers) -> Option<ItemFailure> {
    let ticked = a.ticked.contains(item.id);
    let shortfall = match item.kind {
        ItemKind::Tick if ticked => return None,
        ItemKind::TickOrNotApplicable if ticked || a.not_applicable.contains(item.id) => {
            return None;
        }
        ItemKind::Tick | ItemKind::TickOrNotApplicable => Shortfall::Missing,
        ItemKind::AtLeast { min, .. } => match a.counts.get(item.id) {
            Some(&n) if n >= min => return None,
            Some(&n) => Shortfall::TooFew {
                counted: n,
                required: min,
            },
            None => Shortfall::NotEntered,
        },
        ItemKind::Funds => match a.funds.map(Funds::check) {
            Some(check) if check.ok => return None,
            Some(check) => Shortfall::FundsBelowMinimum(check),
            None => Shortfall::NotEntered,
        },
    };
    Some(failure(item, shortfall))
}

fn evaluate(
    id: Uuid,
    org_unit: String,
    standard: Standard,
    assessed_on: NaiveDate,
    a: &Answers,
) -> SelfAssessmentResult {
    let criteria: Vec<CriterionResult> = standard
        .criteria()
        .iter()
        .map(|c| {
            let failures: Vec<ItemFailure> =
                c.items.iter().filter_map(|i| item_failure(i, a)).collect();
            CriterionResult {
                id: c.id.to_owned(),
                met: failures.is_empty(),
                failures,
            }
        })
        .collect();
    let total = criteria.len() as u32;
    let met = criteria.iter().filter(|c| c.met).count() as u32;
    let funds = match standard {
        Standard::Seven => a.funds.map(Funds::check),
        Standard::Five | Standard::Three => None,
    };

    let mut warnings = Vec::new();
    for (c, r) in standard.criteria().iter().zip(&criteria) {
        if r.met {
            continue;
        }
        let why_zh: Vec<&str> = r.failures.iter().map(|f| f.message.as_str()).collect();
        let why_en: Vec<&str> = r.failures.iter().map(|f| f.message_en.as_str()).collect();
        warnings.push(Warning::about(
            WarningCode::StandardNotMet,
            id,
            format!(
                "{}未达标：{}（{}）",
                standard.label(Lang::Zh),
                c.zh,
                why_zh.join("；")
            ),
            format!(
                "{} not met: {} ({})",
                standard.label(Lang::En),
                c.en,
                why_en.join("; ")
            ),
        ));
        // The funds warning sits right after the criterion it explains.
        if let Some(check) =
            funds.filter(|f| !f.ok && c.items.iter().any(|i| i.kind == ItemKind::Funds))
        {
            warnings.push(Warning::about(
                WarningCode::FundsBelowMinimum,
                id,
                format!("经费低于每名常住妇女2元：{}", check.explain(Lang::Zh)),
                format!(
                    "Funds below 2 yuan per resident woman: {}",
                    check.explain(Lang::En)
                ),
            ));
        }
    }

    SelfAssessmentResult {
        id,
        org_unit,
        standard,
        assessed_on,
        criteria,
        met,
        total,
        percent_hundredths: percent_hundredths(met, total),
        funds,
        warnings,
    }
}

fn indexed_label(i: usize, zh: &str, en: &str) -> (String, String) {
    (format!("第{}个{zh}", i + 1), format!("{en} {}", i + 1))
}

fn pair(l: &(String, String)) -> (&str, &str) {
    (&l.0, &l.1)
}

/// The funds fields belong to the 七有 only; a stale value left from switching standard is
/// refused rather than silently dropped (the form hides these fields for 五有/三有).
fn only_for_seven() -> Problem {
    Problem::NotForStandard
}

impl SelfAssessmentInput {
    /// A new, empty draft dated `today`.
    pub fn blank(id: Uuid, standard: Standard, today: NaiveDate) -> Self {
        SelfAssessmentInput {
            id,
            standard: standard.code().to_owned(),
            assessed_on: today.to_string(),
            ..Default::default()
        }
    }

    /// The result shown while ticking, read leniently: unknown ids and unparsable numbers count
    /// as not entered, an unparsable date as `today`. `None` until a standard is chosen.
    pub fn preview(&self, today: NaiveDate) -> Option<SelfAssessmentResult> {
        let standard = Standard::parse(&self.standard).ok()?;
        // Inserted one by one: collecting into a set or map sorts, which costs the app ~4 KB of
        // code per type.
        let trimmed = |ids: &[String]| {
            let mut set = BTreeSet::new();
            for s in ids {
                set.insert(s.trim().to_owned());
            }
            set
        };
        let (ticked, not_applicable) = (trimmed(&self.ticked), trimmed(&self.not_applicable));
        let mut counts = BTreeMap::new();
        for (k, v) in &self.counts {
            if let Ok(n) = parse_count(v, 0, MAX_COUNT) {
                counts.insert(k.trim().to_owned(), n);
            }
        }
        let funds = match (
            Yuan::parse(&self.annual_funds),
            parse_count(&self.resident_women, 1, MAX_RESIDENT_WOMEN),
        ) {
            (Ok(annual), Ok(resident_women)) => Some(Funds {
                annual,
                resident_women,
            }),
            _ => None,
        };
        let answers = Answers {
            ticked: &ticked,
            not_applicable: &not_applicable,
            counts: &counts,
            funds: funds.filter(|_| standard == Standard::Seven),
        };
        let assessed_on = parse_date(&self.assessed_on).unwrap_or(today);
        Some(evaluate(
            self.id,
            self.org_unit.trim().to_owned(),
            standard,
            assessed_on,
            &answers,
        ))
    }
}

impl SelfAssessment {
    /// Checks every field of `input`, `today` being the date in China. Every sub-item id must
    /// belong to the chosen standard, every count of the standard must be filled in, and for the
    /// 七有 the funds and resident women are required. Returns all field errors at once.
    pub fn parse(
        input: &SelfAssessmentInput,
        today: NaiveDate,
    ) -> Result<SelfAssessment, ValidationErrors> {
        let mut c = Collector::default();
        if input.id.is_nil() {
            // The client makes the id; without one a retry could not be told from a new record.
            c.push("id", ("编号", "Id"), Problem::Required);
        }
        let org_unit = c.take(
            "org_unit",
            ("所属单位", "Org unit"),
            Text::parse(&input.org_unit),
        );
        let standard = c.take(
            "standard",
            ("自评标准", "Standard"),
            Standard::parse(&input.standard),
        );
        let assessed_on = c.take(
            "assessed_on",
            ("自评日期", "Assessment date"),
            parse_past_date(&input.assessed_on, earliest_date(), today),
        );
        let assessor = c.take(
            "assessor",
            ("自评人", "Assessor"),
            PersonName::parse(&input.assessor),
        );

        let mut ticked = BTreeSet::new();
        let mut not_applicable = BTreeSet::new();
        let mut counts = BTreeMap::new();
        let mut funds = None;
        if let Some(standard) = standard {
            for (i, raw) in input.ticked.iter().enumerate() {
                let id = raw.trim();
                let ok = matches!(
                    standard.item(id),
                    Some((_, item)) if matches!(item.kind, ItemKind::Tick | ItemKind::TickOrNotApplicable)
                );
                if ok {
                    ticked.insert(id.to_owned());
                } else {
                    let l = indexed_label(i, "勾选项", "Ticked item");
                    c.push(format!("ticked[{i}]"), pair(&l), Problem::UnknownChoice);
                }
            }
            for (i, raw) in input.not_applicable.iter().enumerate() {
                let id = raw.trim();
                let ok = matches!(
                    standard.item(id),
                    Some((_, item)) if item.kind == ItemKind::TickOrNotApplicable
                );
                if !ok {
                    let l = indexed_label(i, "不适用项", "Not-applicable item");
                    c.push(
                        format!("not_applicable[{i}]"),
                        pair(&l),
                        Problem::UnknownChoice,
                    );
                } else if !ticked.contains(id) {
                    // Ticked wins: the thing exists, whatever else was clicked.
                    not_applicable.insert(id.to_owned());
                }
            }
            for key in input.counts.keys() {
                let ok = matches!(
                    standard.item(key.trim()),
                    Some((_, item)) if matches!(item.kind, ItemKind::AtLeast { .. })
                );
                if !ok {
                    c.push(
                        format!("counts.{key}"),
                        ("次数项", "Count item"),
                        Problem::UnknownChoice,
                    );
                }
            }
            for item in standard.criteria().iter().flat_map(|c| c.items) {
                if let ItemKind::AtLeast { .. } = item.kind {
                    let raw = input
                        .counts
                        .iter()
                        .find(|(k, _)| k.trim() == item.id)
                        .map_or("", |(_, v)| v.as_str());
                    if let Some(n) = c.take(
                        format!("counts.{}", item.id),
                        (item.zh, item.en),
                        parse_count(raw, 0, MAX_COUNT),
                    ) {
                        counts.insert(item.id.to_owned(), n);
                    }
                }
            }
            if standard == Standard::Seven {
                let annual = c.take(
                    "annual_funds",
                    ("工作经费（元/年）", "Annual funds (yuan)"),
                    Yuan::parse(&input.annual_funds),
                );
                let resident_women = c.take(
                    "resident_women",
                    ("常住妇女人口", "Resident women"),
                    parse_count(&input.resident_women, 1, MAX_RESIDENT_WOMEN),
                );
                if let (Some(annual), Some(resident_women)) = (annual, resident_women) {
                    funds = Some(Funds {
                        annual,
                        resident_women,
                    });
                }
            } else {
                if !input.annual_funds.trim().is_empty() {
                    c.push(
                        "annual_funds",
                        ("工作经费（元/年）", "Annual funds (yuan)"),
                        only_for_seven(),
                    );
                }
                if !input.resident_women.trim().is_empty() {
                    c.push(
                        "resident_women",
                        ("常住妇女人口", "Resident women"),
                        only_for_seven(),
                    );
                }
            }
        }
        let remarks = c.take(
            "remarks",
            ("备注", "Remarks"),
            Text::parse_optional(&input.remarks),
        );

        c.finish()?;
        let (Some(org_unit), Some(standard), Some(assessed_on), Some(assessor), Some(remarks)) =
            (org_unit, standard, assessed_on, assessor, remarks)
        else {
            unreachable!("every missing value recorded an error");
        };
        Ok(SelfAssessment {
            id: input.id,
            org_unit,
            standard,
            assessed_on,
            assessor,
            ticked,
            not_applicable,
            counts,
            funds,
            remarks,
        })
    }

    /// The form again, for changing a stored self-assessment. Parsing it gives the record
    /// back (sub-items in id order, funds written as `1,600.00`).
    pub fn to_input(&self) -> SelfAssessmentInput {
        SelfAssessmentInput {
            id: self.id,
            org_unit: self.org_unit.as_str().into(),
            standard: self.standard.code().into(),
            assessed_on: self.assessed_on.to_string(),
            assessor: self.assessor.as_str().into(),
            ticked: self.ticked.iter().cloned().collect(),
            not_applicable: self.not_applicable.iter().cloned().collect(),
            counts: self
                .counts
                .iter()
                .map(|(k, n)| (k.clone(), n.to_string()))
                .collect(),
            annual_funds: self.funds.map(|f| f.annual.to_string()).unwrap_or_default(),
            resident_women: self
                .funds
                .map(|f| f.resident_women.to_string())
                .unwrap_or_default(),
            remarks: self
                .remarks
                .as_ref()
                .map(|t| t.as_str().into())
                .unwrap_or_default(),
        }
    }

    /// Scores the record against its standard.
    pub fn evaluate(&self) -> SelfAssessmentResult {
        let answers = Answers {
            ticked: &self.ticked,
            not_applicable: &self.not_applicable,
            counts: &self.counts,
            funds: self.funds,
        };
        evaluate(
            self.id,
            self.org_unit.as_str().to_owned(),
            self.standard,
            self.assessed_on,
            &answers,
        )
    }
}

#[cfg(test)]
pub(crate) mod tests;
