//! 年度考核录入: what the city assessor enters for one town, its validation, and its score.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::model::{BonusItem, Category, Choice, Item, MAX_COUNT, Rubric, RubricError, Rule};
use super::score::Score;
use crate::error::{Collector, Problem, ValidationErrors};
use crate::lang::Lang;
use crate::value::Text;

/// 镇（区、街道）名称.
pub type TownName = Text<60>;

/// 扣分理由.
pub type Reason = Text<500>;

/// 镇（区、街道）年度考核 as typed by the city assessor: the draft the app keeps and the body it
/// posts. Missing fields default to empty and unknown fields are refused, as for every form.
/// Numbers are strings (what an `<input>` holds); a JSON integer is accepted as well.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TownAssessmentInput {
    /// Client-generated; makes submission idempotent.
    pub id: Uuid,
    /// 镇（区、街道）.
    pub town: String,
    /// 考核年度; the rubric's year or a later one without its own rubric.
    #[serde(deserialize_with = "lenient::string")]
    pub year: String,
    /// Answers keyed by rubric item id, e.g. `women_development.training`.
    pub items: BTreeMap<String, ItemInput>,
    /// 加分项目: how many times each bonus happened, keyed by bonus id, e.g. `city_meeting`.
    #[serde(deserialize_with = "lenient::string_map")]
    pub bonus: BTreeMap<String, String>,
}

/// The answer to one rubric item as typed. Which fields matter depends on the item's rule;
/// the others are ignored (the form does not show them).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ItemInput {
    /// Shortfall: how many were done (required). Per occurrence: how many times it happened
    /// (empty is none).
    #[serde(
        skip_serializing_if = "String::is_empty",
        deserialize_with = "lenient::string"
    )]
    pub count: String,
    /// Flag: the condition of the clause holds, so the deduction applies.
    #[serde(skip_serializing_if = "is_false")]
    pub holds: bool,
    /// Checklist: ids of the elements the town has. Required: an empty list means none, which
    /// costs every element, so leaving the item out is not taken to mean that.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checked: Option<Vec<String>>,
    /// Choice: id of the option that applies.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub option: String,
    /// Discretionary: points deducted, e.g. `"2.5"`; empty is 0.
    #[serde(
        skip_serializing_if = "String::is_empty",
        deserialize_with = "lenient::string"
    )]
    pub deduction: String,
    /// Discretionary: why; required when something is deducted.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub reason: String,
    /// Proportional: tasks completed (required).
    #[serde(
        skip_serializing_if = "String::is_empty",
        deserialize_with = "lenient::string"
    )]
    pub done: String,
    /// Proportional: tasks assigned (required; 0 means none were assigned, nothing deducted).
    #[serde(
        skip_serializing_if = "String::is_empty",
        deserialize_with = "lenient::string"
    )]
    pub total: String,
    /// Assessor score: the town applied (申报) with innovative work.
    #[serde(skip_serializing_if = "is_false")]
    pub applied: bool,
    /// Assessor score: the points awarded, required when `applied`, ignored otherwise.
    #[serde(
        skip_serializing_if = "String::is_empty",
        deserialize_with = "lenient::string"
    )]
    pub score: String,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// The checked answer to one item, of the item's rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Answer {
    Shortfall {
        done: u32,
    },
    Flag {
        holds: bool,
    },
    /// Element ids present, in the rubric's order.
    Checklist {
        present: Vec<String>,
    },
    PerOccurrence {
        count: u32,
    },
    Choice {
        option: String,
    },
    Discretionary {
        deduction: Score,
        reason: Option<Reason>,
    },
    Proportional {
        done: u32,
        total: u32,
    },
    /// `score` is 0 when the town did not apply.
    AssessorScore {
        applied: bool,
        score: Score,
    },
}

/// 镇（区、街道）年度考核: a checked assessment. Only [`TownAssessment::parse`] makes one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TownAssessment {
    pub id: Uuid,
    pub town: TownName,
    pub year: u16,
    /// The year of the rubric it was filled against when that is an earlier year's (a year
    /// without its own rubric is assessed by the newest before it); absent when the same.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rubric_year: Option<u16>,
    /// One answer for every item of the rubric, keyed by item id.
    pub answers: BTreeMap<String, Answer>,
    /// Count for every bonus item of the rubric, keyed by bonus id.
    pub bonus: BTreeMap<String, u32>,
}

/// 扣分: one deduction made.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deduction {
    /// Rubric item id.
    pub item: String,
    pub points: Score,
}

/// 单项得分: one category's result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryScore {
    pub id: String,
    pub name: String,
    /// 分值.
    pub points: Score,
    /// Only the items that cost points, in rubric order.
    pub deductions: Vec<Deduction>,
    /// Sum of `deductions`; may exceed `points`.
    pub deducted: Score,
    /// `points − deducted`, never below 0.
    pub score: Score,
}

/// 考核得分: one town's result for one year, before normalisation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TownScore {
    pub town: String,
    pub year: u16,
    /// 基本分 of the rubric (100): normalisation scales the best town to it.
    pub full_marks: Score,
    pub categories: Vec<CategoryScore>,
    /// Sum of the category scores.
    pub base: Score,
    /// 加分 before the cap.
    pub bonus_raw: Score,
    /// 加分 after the cap (加分不超过20分).
    pub bonus: Score,
    /// `base + bonus`.
    pub raw_total: Score,
}

impl TownAssessmentInput {
    /// Checks and scores in one go.
    pub fn score(&self, rubric: &Rubric) -> Result<TownScore, ValidationErrors> {
        let a = TownAssessment::parse(self, rubric)?;
        Ok(a.score(rubric)
            .expect("an assessment scores against the rubric it was parsed with"))
    }
}

/// The fields `items.<id>.<field>` of one item, named in messages by category, item and field.
pub(super) struct ItemField<'a> {
    pub(super) category: &'a Category,
    pub(super) item: &'a Item,
}

impl ItemField<'_> {
    fn push(&self, c: &mut Collector, field: &str, label: (&str, &str), problem: Problem) {
        let zh = format!("{}·{}·{}", self.category.name, self.item.name, label.0);
        let en = format!(
            "{} / {} / {}",
            self.category.name_en, self.item.name_en, label.1
        );
        c.push(
            format!("items.{}.{field}", self.item.id),
            (&zh, &en),
            problem,
        );
    }

    /// [`Collector::take`] that builds key and label only for an error: most fields are fine.
    fn take<T>(
        &self,
        c: &mut Collector,
        field: &str,
        label: (&str, &str),
        result: Result<T, Problem>,
    ) -> Option<T> {
        result.map_err(|p| self.push(c, field, label, p)).ok()
    }
}

/// A whole count 0–[`MAX_COUNT`]; empty is `Required` or 0.
pub(super) fn parse_count(raw: &str, required: bool) -> Result<u32, Problem> {
    let t = raw.trim();
    if t.is_empty() {
        return if required {
            Err(Problem::Required)
        } else {
            Ok(0)
        };
    }
    t.parse::<u32>()
        .ok()
        .filter(|n| *n <= MAX_COUNT)
        .ok_or(Problem::OutOfRange {
            min: 0,
            max: MAX_COUNT as i64,
        })
}

/// Points entered by the assessor, `min`–`max` with at most two decimals.
fn parse_points(raw: &str, min: Score, max: Score) -> Result<Score, Problem> {
    Score::parse(raw)
        .ok()
        .filter(|s| (min..=max).contains(s))
        .ok_or_else(|| out_of_range(min, max))
}

fn out_of_range(min: Score, max: Score) -> Problem {
    Problem::ScoreOutOfRange {
        min: min.to_string(),
        max: max.to_string(),
    }
}

impl TownAssessment {
    /// Checks every field of `input` against `rubric` and returns all field errors at once.
    /// Field keys: `town`, `year`, `items.<item id>.<field>`, `items.<unknown id>`,
    /// `bonus.<bonus id>`.
    pub fn parse(
        input: &TownAssessmentInput,
        rubric: &Rubric,
    ) -> Result<TownAssessment, ValidationErrors> {
        let mut c = Collector::default();
        if input.id.is_nil() {
            // The client makes the id; without one a retry could not be told from a new record.
            c.push("id", ("编号", "Id"), Problem::Required);
        }

        let town = c.take(
            "town",
            ("镇（区、街道）", "Town"),
            TownName::parse(&input.town),
        );
        let year_range = Problem::WrongYear {
            year: rubric.year.into(),
        };
        let year = c.take(
            "year",
            ("考核年度", "Year"),
            match input.year.trim() {
                "" => Err(Problem::Required),
                y => y
                    .parse::<u16>()
                    .ok()
                    .filter(|y| (rubric.year..=2100).contains(y))
                    .ok_or(year_range),
            },
        );

        let empty = ItemInput::default();
        let mut answers = BTreeMap::new();
        for (category, item) in rubric.items() {
            let f = ItemField { category, item };
            let a = input.items.get(&item.id).unwrap_or(&empty);
            if let Some(answer) = parse_answer(&mut c, &f, a) {
                answers.insert(item.id.clone(), answer);
            }
        }
        for id in input.items.keys() {
            // `answers` holds every known item that parsed; only the rest need the search.
            if !answers.contains_key(id) && rubric.item(id).is_none() {
                c.push(
                    format!("items.{id}"),
                    (&format!("考核项目 {id}"), &format!("Assessment item {id}")),
                    Problem::UnknownChoice,
                );
            }
        }

        let mut bonus = BTreeMap::new();
        for b in &rubric.bonus.items {
            let raw = input.bonus.get(&b.id).map_or("", String::as_str);
            match parse_count(raw, false) {
                Ok(n) => {
                    bonus.insert(b.id.clone(), n);
                }
                Err(p) => c.push(
                    format!("bonus.{}", b.id),
                    (
                        &format!("加分·{}", b.name),
                        &format!("Bonus / {}", b.name_en),
                    ),
                    p,
                ),
            }
        }
        for id in input.bonus.keys() {
            if rubric.bonus_item(id).is_none() {
                c.push(
                    format!("bonus.{id}"),
                    (&format!("加分项目 {id}"), &format!("Bonus item {id}")),
                    Problem::UnknownChoice,
                );
            }
        }

        c.finish()?;
        let (Some(town), Some(year)) = (town, year) else {
            unreachable!("every missing value recorded an error");
        };
        Ok(TownAssessment {
            id: input.id,
            town,
            year,
            rubric_year: (year != rubric.year).then_some(rubric.year),
            answers,
            bonus,
        })
    }

    /// The form again, for changing a stored assessment. Parsing it against the rubric it was
    /// filled against (the one of [`TownAssessment::rubric_year`]) gives the assessment back.
    /// A zero discretionary deduction, and the score of a town that did not apply, are left
    /// empty as on a new form.
    pub fn to_input(&self) -> TownAssessmentInput {
        let items = self
            .answers
            .iter()
            .map(|(id, answer)| {
                let a = match answer {
                    Answer::Shortfall { done } => ItemInput {
                        count: done.to_string(),
                        ..Default::default()
                    },
                    Answer::Flag { holds } => ItemInput {
                        holds: *holds,
                        ..Default::default()
                    },
                    Answer::Checklist { present } => ItemInput {
                        checked: Some(present.clone()),
                        ..Default::default()
                    },
                    Answer::PerOccurrence { count } => ItemInput {
                        count: count.to_string(),
                        ..Default::default()
                    },
                    Answer::Choice { option } => ItemInput {
                        option: option.clone(),
                        ..Default::default()
                    },
                    Answer::Discretionary { deduction, reason } => ItemInput {
                        deduction: if deduction.is_zero() {
                            String::new()
                        } else {
                            deduction.to_string()
                        },
                        reason: reason
                            .as_ref()
                            .map(|r| r.as_str().into())
                            .unwrap_or_default(),
                        ..Default::default()
                    },
                    Answer::Proportional { done, total } => ItemInput {
                        done: done.to_string(),
                        total: total.to_string(),
                        ..Default::default()
                    },
                    Answer::AssessorScore { applied, score } => ItemInput {
                        applied: *applied,
                        score: if *applied {
                            score.to_string()
                        } else {
                            String::new()
                        },
                        ..Default::default()
                    },
                };
                (id.clone(), a)
            })
            .collect();
        TownAssessmentInput {
            id: self.id,
            town: self.town.as_str().into(),
            year: self.year.to_string(),
            items,
            bonus: self
                .bonus
                .iter()
                .map(|(id, n)| (id.clone(), n.to_string()))
                .collect(),
        }
    }

    /// The year of the rubric it is scored by.
    pub fn rubric_year(&self) -> u16 {
        self.rubric_year.unwrap_or(self.year)
    }

    /// Scores against `rubric`, which must be the one the assessment was parsed with.
    pub fn score(&self, rubric: &Rubric) -> Result<TownScore, RubricError> {
        if self.rubric_year() != rubric.year {
            return Err(RubricError::WrongYear {
                assessment: self.year,
                rubric: rubric.year,
            });
        }
        tally(
            rubric,
            self.town.to_string(),
            self.year,
            |_, item| {
                self.answers
                    .get(&item.id)
                    .and_then(|a| deduction(&item.rule, a))
                    .ok_or_else(|| RubricError::NotForThisRubric(item.id.clone()))
            },
            |b| {
                self.bonus
                    .get(&b.id)
                    .copied()
                    .ok_or_else(|| RubricError::NotForThisRubric(format!("bonus.{}", b.id)))
            },
        )
    }
}

/// Adds up one town's result from what each item costs and how often each bonus happened: the
/// one place the score is computed, for a checked assessment and for the live preview alike.
pub(super) fn tally(
    rubric: &Rubric,
    town: String,
    year: u16,
    mut item_deduction: impl FnMut(&Category, &Item) -> Result<Score, RubricError>,
    mut bonus_count: impl FnMut(&BonusItem) -> Result<u32, RubricError>,
) -> Result<TownScore, RubricError> {
    let mut categories = Vec::with_capacity(rubric.categories.len());
    for category in &rubric.categories {
        let mut deductions = Vec::new();
        for item in &category.items {
            let points = item_deduction(category, item)?;
            if !points.is_zero() {
                deductions.push(Deduction {
                    item: item.id.clone(),
                    points,
                });
            }
        }
        let deducted: Score = deductions.iter().map(|d| d.points).sum();
        categories.push(CategoryScore {
            id: category.id.clone(),
            name: category.name.clone(),
            points: category.points,
            deductions,
            deducted,
            score: (category.points - deducted).floor_zero(),
        });
    }
    let mut bonus_raw = Score::ZERO;
    for b in &rubric.bonus.items {
        bonus_raw += b.points.times(bonus_count(b)?);
    }
    let bonus = bonus_raw.min(rubric.bonus.cap);
    let base: Score = categories.iter().map(|c| c.score).sum();
    Ok(TownScore {
        town,
        year,
        full_marks: rubric.full_marks,
        categories,
        base,
        bonus_raw,
        bonus,
        raw_total: base + bonus,
    })
}

/// Reads the fields of `a` that `f`'s rule uses.
pub(super) fn parse_answer(c: &mut Collector, f: &ItemField, a: &ItemInput) -> Option<Answer> {
    const DONE: (&str, &str) = ("已完成任务数", "tasks completed");
    const REASON: (&str, &str) = ("扣分理由", "reason for the deduction");
    match &f.item.rule {
        Rule::Shortfall { .. } => f
            .take(
                c,
                "count",
                ("完成数", "number done"),
                parse_count(&a.count, true),
            )
            .map(|done| Answer::Shortfall { done }),
        Rule::Flag { .. } => Some(Answer::Flag { holds: a.holds }),
        Rule::Checklist { elements, .. } => {
            let checked = match &a.checked {
                None => Err(Problem::Required),
                Some(ids) if ids.iter().any(|id| !elements.iter().any(|e| e.id == *id)) => {
                    Err(Problem::UnknownChoice)
                }
                Some(ids) => Ok(elements
                    .iter()
                    .filter(|e| ids.contains(&e.id))
                    .map(|e| e.id.clone())
                    .collect()),
            };
            f.take(c, "checked", ("已具备项", "elements present"), checked)
                .map(|present| Answer::Checklist { present })
        }
        Rule::PerOccurrence { .. } => f
            .take(
                c,
                "count",
                ("次数", "occurrences"),
                parse_count(&a.count, false),
            )
            .map(|count| Answer::PerOccurrence { count }),
        Rule::Choice { options } => {
            let option = match a.option.trim() {
                "" => Err(Problem::Required),
                id => options
                    .iter()
                    .find(|o| o.id == id)
                    .map(|o| o.id.clone())
                    .ok_or(Problem::UnknownChoice),
            };
            f.take(c, "option", ("情形", "option"), option)
                .map(|option| Answer::Choice { option })
        }
        Rule::Discretionary { min, max } => {
            // 0 always means "nothing wrong", even when the clause's range starts above it.
            let range = || {
                if min.is_zero() {
                    out_of_range(*min, *max)
                } else {
                    Problem::ZeroOrScoreInRange {
                        min: min.to_string(),
                        max: max.to_string(),
                    }
                }
            };
            let deduction = match a.deduction.trim() {
                "" => Ok(Score::ZERO),
                raw => parse_points(raw, Score::ZERO, *max)
                    .map_err(|_| range())
                    .and_then(|d| {
                        if d.is_zero() || d >= *min {
                            Ok(d)
                        } else {
                            Err(range())
                        }
                    }),
            };
            let deduction = f.take(c, "deduction", ("扣分", "deduction"), deduction);
            let reason = f.take(c, "reason", REASON, Reason::parse_optional(&a.reason));
            let (deduction, reason) = (deduction?, reason?);
            if !deduction.is_zero() && reason.is_none() {
                f.push(c, "reason", REASON, Problem::Required);
                return None;
            }
            Some(Answer::Discretionary { deduction, reason })
        }
        Rule::Proportional { .. } => {
            let done = f.take(c, "done", DONE, parse_count(&a.done, true));
            let total = f.take(
                c,
                "total",
                ("任务总数", "tasks assigned"),
                parse_count(&a.total, true),
            );
            let (done, total) = (done?, total?);
            if done > total {
                let problem = Problem::OutOfRange {
                    min: 0,
                    max: total.into(),
                };
                f.push(c, "done", DONE, problem);
                return None;
            }
            Some(Answer::Proportional { done, total })
        }
        Rule::AssessorScore { max } => {
            if !a.applied {
                return Some(Answer::AssessorScore {
                    applied: false,
                    score: Score::ZERO,
                });
            }
            let score = if a.score.trim().is_empty() {
                Err(Problem::Required)
            } else {
                parse_points(&a.score, Score::ZERO, *max)
            };
            f.take(c, "score", ("评分", "score"), score)
                .map(|score| Answer::AssessorScore {
                    applied: true,
                    score,
                })
        }
    }
}

impl Answer {
    /// The answer in words for `item` (its facts, then what they cost), as a record's detail
    /// shows it: `完成 3 次（要求 2 次）；不扣分`. An answer that does not fit the item's rule
    /// (given for another rubric) shows its facts only.
    pub fn describe(&self, item: &Item, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        let name = |c: &Choice| lang.pick(&c.name, &c.name_en).to_owned();
        let facts = match (self, &item.rule) {
            (Answer::Shortfall { done }, Rule::Shortfall { required, .. }) if zh => {
                format!("完成 {done} 次（要求 {required} 次）")
            }
            (Answer::Shortfall { done }, Rule::Shortfall { required, .. }) => {
                format!("{done} done ({required} required)")
            }
            (Answer::Shortfall { done }, _) => done.to_string(),
            // A flag is the clause's shortcoming: what it costs says it all.
            (Answer::Flag { .. }, Rule::Flag { .. }) => String::new(),
            (Answer::Flag { holds }, _) => lang.pick(yes_no(*holds).0, yes_no(*holds).1).to_owned(),
            (Answer::Checklist { present }, rule) => {
                let elements = match rule {
                    Rule::Checklist { elements, .. } => elements.as_slice(),
                    _ => &[],
                };
                let names: Vec<String> = present
                    .iter()
                    .map(|id| {
                        elements
                            .iter()
                            .find(|e| e.id == *id)
                            .map_or(id.clone(), name)
                    })
                    .collect();
                match (names.is_empty(), zh) {
                    (true, _) => lang.pick("一项也没有", "none").to_owned(),
                    (false, true) => format!("已有：{}", names.join("、")),
                    (false, false) => format!("present: {}", names.join(", ")),
                }
            }
            (Answer::PerOccurrence { count }, _) => {
                format!("{count}{}", lang.pick(" 次", " times"))
            }
            (Answer::Choice { option }, Rule::Choice { options }) => options
                .iter()
                .find(|o| o.id == *option)
                .map_or(option.clone(), name),
            (Answer::Choice { option }, _) => option.clone(),
            (Answer::Discretionary { reason, .. }, _) => reason
                .as_ref()
                .map_or(String::new(), |r| r.as_str().to_owned()),
            (Answer::Proportional { done, total }, _) if zh => {
                format!("完成 {done} / {total} 项")
            }
            (Answer::Proportional { done, total }, _) => format!("{done} of {total} done"),
            (Answer::AssessorScore { applied: false, .. }, _) => {
                lang.pick("未申报", "not applied").to_owned()
            }
            (Answer::AssessorScore { score, .. }, _) if zh => format!("已申报，评分 {score}"),
            (Answer::AssessorScore { score, .. }, _) => format!("applied, scored {score}"),
        };
        let cost = match deduction(&item.rule, self) {
            Some(d) if d.is_zero() => lang.pick("不扣分", "nothing off").to_owned(),
            Some(d) if zh => format!("扣 {d} 分"),
            Some(d) => format!("{d} off"),
            None => return facts,
        };
        if facts.is_empty() {
            cost
        } else {
            format!("{facts}{}{cost}", lang.pick("；", "; "))
        }
    }
}

fn yes_no(b: bool) -> (&'static str, &'static str) {
    if b { ("是", "yes") } else { ("否", "no") }
}

/// What `answer` costs under `rule`; `None` when the answer does not fit the rule (it was
/// given for another rubric).
pub fn deduction(rule: &Rule, answer: &Answer) -> Option<Score> {
    match (rule, answer) {
        (
            Rule::Shortfall {
                required,
                per_missing,
            },
            Answer::Shortfall { done },
        ) => Some(per_missing.times(required.saturating_sub(*done))),
        (Rule::Flag { deduction }, Answer::Flag { holds }) => {
            Some(if *holds { *deduction } else { Score::ZERO })
        }
        (
            Rule::Checklist {
                elements,
                per_missing,
            },
            Answer::Checklist { present },
        ) => {
            let known = present
                .iter()
                .filter(|id| elements.iter().any(|e| e.id == **id))
                .count();
            (known == present.len()).then(|| per_missing.times((elements.len() - known) as u32))
        }
        (Rule::PerOccurrence { per_occurrence }, Answer::PerOccurrence { count }) => {
            Some(per_occurrence.times(*count))
        }
        (Rule::Choice { options }, Answer::Choice { option }) => options
            .iter()
            .find(|o| o.id == *option)
            .and_then(|o| o.deduction),
        (Rule::Discretionary { min, max }, Answer::Discretionary { deduction, .. }) => {
            (deduction.is_zero() || (min..=max).contains(&deduction)).then_some(*deduction)
        }
        (Rule::Proportional { max }, Answer::Proportional { done, total }) => match total {
            0 => Some(Score::ZERO),
            t if done <= t => Some(max.scale(i64::from(t - done), i64::from(*t))),
            _ => None,
        },
        (Rule::AssessorScore { max }, Answer::AssessorScore { applied, score }) => {
            if !applied {
                Some(*max)
            } else if (Score::ZERO..=*max).contains(score) {
                Some(*max - *score)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// Number fields read a string, or a JSON integer written by hand.
mod lenient {
    use std::collections::BTreeMap;
    use std::fmt;

    use serde::Deserialize;
    use serde::de::{self, Deserializer, Visitor};

    struct StringOrInteger;

    impl Visitor<'_> for StringOrInteger {
        type Value = String;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a string or an integer (decimals as a string, e.g. \"2.5\")")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
            Ok(v.to_owned())
        }
        fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
            Ok(v)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
            Ok(v.to_string())
        }
    }

    pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        d.deserialize_any(StringOrInteger)
    }

    pub fn string_map<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<BTreeMap<String, String>, D::Error> {
        #[derive(Deserialize)]
        struct Lenient(#[serde(deserialize_with = "string")] String);
        let m = BTreeMap::<String, Lenient>::deserialize(d)?;
        // Inserted one by one: collecting into a map sorts, which costs the app ~4 KB of code.
        let mut out = BTreeMap::new();
        for (k, Lenient(v)) in m {
            out.insert(k, v);
        }
        Ok(out)
    }
}
