//! 考核细则 as data: the rubric file, its typed form, and the checks a loaded file must pass.

use std::collections::HashSet;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::score::Score;

/// The 2018 Rugao rubric (seed 004), the built-in default.
pub const RUBRIC_2018_JSON: &str = include_str!("../../data/rubric-2018.json");

/// Largest count a rubric may require and a form may enter (trainings, reports, meetings…).
pub const MAX_COUNT: u32 = 999;

/// 考核细则: one year's town assessment rules. Only [`Rubric::from_json`] (or deserialising,
/// which runs the same checks) makes one, so holding one means it is consistent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RubricFile")]
pub struct Rubric {
    pub year: u16,
    /// 标题, e.g. 2018年各镇（区、街道）妇女工作考核细则.
    pub title: String,
    /// 基本分: the sum of the categories' points (100); also what the best town is scaled to
    /// when it exceeds it (注: 按100分折算).
    pub full_marks: Score,
    /// 项目, in the order of the source table.
    pub categories: Vec<Category>,
    /// 加分项目.
    pub bonus: Bonus,
}

/// 考核项目: one row of the table (妇女发展, 妇女维权, …).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    /// Stable id, e.g. `women_development`.
    pub id: String,
    pub name: String,
    pub name_en: String,
    /// 分值.
    pub points: Score,
    /// 目标内容, quoted.
    #[serde(default)]
    pub targets: Vec<String>,
    /// 考核记分办法, one entry per deduction.
    pub items: Vec<Item>,
}

/// One deduction line of 考核记分办法.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// Stable id `<category id>.<item>`, e.g. `women_development.training`; the key of the
    /// item's answer in the form.
    pub id: String,
    /// Short label the form and its error messages show, e.g. 技能培训.
    pub name: String,
    pub name_en: String,
    /// The clause of the source, quoted.
    pub text: String,
    /// English gloss of the clause.
    pub en: String,
    /// How an unclear clause was read, for whoever edits the file.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    pub rule: Rule,
}

/// 记分方式: how an item turns facts into a deduction.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Rule {
    /// 少一次扣k分: `per_missing` for each one short of `required`.
    Shortfall { required: u32, per_missing: Score },
    /// 未…的扣k分: a fixed deduction when the condition holds.
    Flag { deduction: Score },
    /// 有…、有…，少一项扣k分: `per_missing` for each element not present.
    Checklist {
        elements: Vec<Choice>,
        per_missing: Score,
    },
    /// 缺一次扣k分 / 有一例扣k分: `per_occurrence` for each event.
    PerOccurrence { per_occurrence: Score },
    /// Exclusive options, each with its own deduction; one of them deducts nothing.
    Choice { options: Vec<Choice> },
    /// 酌情扣分: the assessor enters 0 (nothing wrong) or a deduction from `min` to `max`, and
    /// says why.
    Discretionary { min: Score, max: Score },
    /// 未完成的按比例扣分: `max` × unfinished share of the tasks.
    Proportional { max: Score },
    /// 根据考评结果予以打分: the assessor awards 0–`max`, and 0 without an application
    /// (未有…申报的不得分). Counted as the deduction `max − awarded`, so the category formula
    /// stays "points minus deductions".
    AssessorScore { max: Score },
}

/// A checklist element or a choice option.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub id: String,
    pub name: String,
    pub name_en: String,
    /// Only for options of a [`Rule::Choice`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deduction: Option<Score>,
}

/// 加分项目.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bonus {
    /// 加分不超过20分.
    pub cap: Score,
    pub items: Vec<BonusItem>,
}

/// One bonus line: `points` for each time it happened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BonusItem {
    /// Stable id, e.g. `city_meeting`; the key of its count in the form.
    pub id: String,
    pub name: String,
    pub name_en: String,
    pub text: String,
    pub en: String,
    pub points: Score,
}

/// Why a rubric file was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RubricError {
    #[error("rubric JSON does not match the format: {0}")]
    Json(String),
    #[error("year {0} is not a plausible assessment year")]
    Year(u16),
    #[error("the rubric has no categories")]
    NoCategories,
    #[error("category {0:?} has no items")]
    EmptyCategory(String),
    #[error("id {0:?} must be lowercase letters, digits and underscores")]
    BadId(String),
    #[error("item id {item:?} must start with its category id {category:?} and a dot")]
    ItemOutsideCategory { category: String, item: String },
    #[error("id {0:?} is used twice")]
    DuplicateId(String),
    #[error("{0:?} has an empty name or text")]
    MissingText(String),
    #[error(
        "category {category:?} has {points} points; a category needs more than 0 and at most 100"
    )]
    CategoryPoints { category: String, points: Score },
    #[error("the categories add up to {sum}, but full marks are {full_marks}")]
    FullMarks { sum: Score, full_marks: Score },
    #[error("{id:?}: {problem}")]
    BadRule { id: String, problem: String },
    #[error("bonus cap {0} must be more than 0 and at most the full marks")]
    BonusCap(Score),
    #[error("the assessment is for {assessment}, the rubric for {rubric}")]
    WrongYear { assessment: u16, rubric: u16 },
    #[error("item {0:?} was answered for a different rubric")]
    NotForThisRubric(String),
}

/// The rubric file as written, before it is checked.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RubricFile {
    year: u16,
    title: String,
    full_marks: Score,
    categories: Vec<Category>,
    bonus: Bonus,
}

impl TryFrom<RubricFile> for Rubric {
    type Error = RubricError;
    fn try_from(f: RubricFile) -> Result<Self, RubricError> {
        let r = Rubric {
            year: f.year,
            title: f.title,
            full_marks: f.full_marks,
            categories: f.categories,
            bonus: f.bonus,
        };
        r.validate()?;
        Ok(r)
    }
}

impl RubricError {
    /// Where in the rubric file the problem is: `year`, `full_marks`, `bonus.cap`, or the id of
    /// the category or item at fault (`rights.council_inactive.rule`).
    pub fn field(&self) -> String {
        match self {
            RubricError::Json(_) => String::new(),
            RubricError::Year(_) | RubricError::WrongYear { .. } => "year".into(),
            RubricError::NoCategories => "categories".into(),
            RubricError::EmptyCategory(id) => format!("{id}.items"),
            RubricError::BadId(id)
            | RubricError::DuplicateId(id)
            | RubricError::NotForThisRubric(id) => id.clone(),
            RubricError::MissingText(id) => id.clone(),
            RubricError::ItemOutsideCategory { item, .. } => item.clone(),
            RubricError::CategoryPoints { category, .. } => format!("{category}.points"),
            RubricError::FullMarks { .. } => "full_marks".into(),
            RubricError::BadRule { id, .. } => format!("{id}.rule"),
            RubricError::BonusCap(_) => "bonus.cap".into(),
        }
    }

    /// The error as the field error a form or the server shows.
    pub fn to_field_error(&self) -> crate::FieldError {
        let field = self.field();
        let problem = match self {
            RubricError::Json(detail) => crate::Problem::Malformed {
                detail: detail.clone(),
            },
            other => crate::Problem::BadRule {
                detail: other.to_string(),
            },
        };
        let label = if field.is_empty() {
            "考核细则".to_owned()
        } else {
            format!("考核细则 {field}")
        };
        let label_en = if field.is_empty() {
            "Rubric".to_owned()
        } else {
            format!("Rubric {field}")
        };
        crate::FieldError::new(field, (&label, &label_en), problem)
    }
}

impl Rubric {
    /// [`Rubric::from_json`] with the refusal as field errors.
    pub fn parse_json(json: &str) -> Result<Rubric, crate::ValidationErrors> {
        Rubric::from_json(json).map_err(|e| crate::ValidationErrors(vec![e.to_field_error()]))
    }

    /// Reads and checks a rubric file, e.g. a later year's rules.
    pub fn from_json(json: &str) -> Result<Rubric, RubricError> {
        let file: RubricFile =
            serde_json::from_str(json).map_err(|e| RubricError::Json(e.to_string()))?;
        Rubric::try_from(file)
    }

    /// The 2018 rubric of seed 004, built once from its tables in `builtin_2018.rs`
    /// (the same as [`RUBRIC_2018_JSON`], tested; no JSON to read in the app).
    pub fn builtin() -> &'static Rubric {
        static BUILTIN: OnceLock<Rubric> = OnceLock::new();
        BUILTIN.get_or_init(super::builtin::rubric_2018)
    }

    /// Every item with its category, in table order.
    pub fn items(&self) -> impl Iterator<Item = (&Category, &Item)> {
        self.categories
            .iter()
            .flat_map(|c| c.items.iter().map(move |i| (c, i)))
    }

    pub fn item(&self, id: &str) -> Option<(&Category, &Item)> {
        self.items().find(|(_, i)| i.id == id)
    }

    pub fn bonus_item(&self, id: &str) -> Option<&BonusItem> {
        self.bonus.items.iter().find(|b| b.id == id)
    }

    fn validate(&self) -> Result<(), RubricError> {
        if !(2000..=2100).contains(&self.year) {
            return Err(RubricError::Year(self.year));
        }
        if self.title.trim().is_empty() {
            return Err(RubricError::MissingText("title".into()));
        }
        if self.categories.is_empty() {
            return Err(RubricError::NoCategories);
        }
        let mut ids = HashSet::new();
        let mut unique = |id: &str, dotted: bool| {
            check_id(id, dotted)?;
            if ids.insert(id.to_owned()) {
                Ok(())
            } else {
                Err(RubricError::DuplicateId(id.to_owned()))
            }
        };
        let hundred = Score::points(100);
        for c in &self.categories {
            unique(&c.id, false)?;
            check_text(&c.id, [&c.name, &c.name_en])?;
            if c.points <= Score::ZERO || c.points > hundred {
                return Err(RubricError::CategoryPoints {
                    category: c.id.clone(),
                    points: c.points,
                });
            }
            if c.items.is_empty() {
                return Err(RubricError::EmptyCategory(c.id.clone()));
            }
            for item in &c.items {
                unique(&item.id, true)?;
                let in_category = item
                    .id
                    .strip_prefix(&c.id)
                    .and_then(|rest| rest.strip_prefix('.'))
                    .is_some_and(|rest| !rest.contains('.'));
                if !in_category {
                    return Err(RubricError::ItemOutsideCategory {
                        category: c.id.clone(),
                        item: item.id.clone(),
                    });
                }
                check_text(&item.id, [&item.name, &item.name_en, &item.text, &item.en])?;
                item.rule
                    .check(c.points)
                    .map_err(|problem| RubricError::BadRule {
                        id: item.id.clone(),
                        problem,
                    })?;
            }
        }
        let sum: Score = self.categories.iter().map(|c| c.points).sum();
        if sum != self.full_marks {
            return Err(RubricError::FullMarks {
                sum,
                full_marks: self.full_marks,
            });
        }
        if self.bonus.cap <= Score::ZERO || self.bonus.cap > self.full_marks {
            return Err(RubricError::BonusCap(self.bonus.cap));
        }
        let mut bonus_ids = HashSet::new();
        for b in &self.bonus.items {
            check_id(&b.id, false)?;
            if !bonus_ids.insert(b.id.as_str()) {
                return Err(RubricError::DuplicateId(format!("bonus.{}", b.id)));
            }
            check_text(&b.id, [&b.name, &b.name_en, &b.text, &b.en])?;
            if b.points <= Score::ZERO || b.points > self.bonus.cap {
                return Err(RubricError::BadRule {
                    id: format!("bonus.{}", b.id),
                    problem: format!(
                        "{} points must be more than 0 and at most the cap",
                        b.points
                    ),
                });
            }
        }
        Ok(())
    }
}

impl Rule {
    /// Ranges a rule of a category worth `points` must keep; `Err` says what is wrong.
    fn check(&self, points: Score) -> Result<(), String> {
        let amount = |what: &str, s: Score| {
            if s > Score::ZERO && s <= points {
                Ok(())
            } else {
                Err(format!(
                    "{what} {s} must be more than 0 and at most the category's {points}"
                ))
            }
        };
        let no_deduction = |c: &Choice| {
            if c.deduction.is_some() {
                Err(format!("element {:?} cannot carry a deduction", c.id))
            } else {
                Ok(())
            }
        };
        match self {
            Rule::Shortfall {
                required,
                per_missing,
            } => {
                if !(1..=MAX_COUNT).contains(required) {
                    return Err(format!("required {required} must be 1 to {MAX_COUNT}"));
                }
                amount("per_missing", *per_missing)
            }
            Rule::Flag { deduction } => amount("deduction", *deduction),
            Rule::Checklist {
                elements,
                per_missing,
            } => {
                if elements.is_empty() {
                    return Err("a checklist needs elements".into());
                }
                check_choices(elements)?;
                elements.iter().try_for_each(no_deduction)?;
                amount("per_missing", *per_missing)
            }
            Rule::PerOccurrence { per_occurrence } => amount("per_occurrence", *per_occurrence),
            Rule::Choice { options } => {
                if options.len() < 2 {
                    return Err("a choice needs at least two options".into());
                }
                check_choices(options)?;
                let mut free = false;
                for o in options {
                    match o.deduction {
                        None => return Err(format!("option {:?} needs a deduction", o.id)),
                        Some(d) if d.is_zero() => free = true,
                        Some(d) => amount("option deduction", d)?,
                    }
                }
                if !free {
                    return Err("one option must deduct nothing".into());
                }
                Ok(())
            }
            Rule::Discretionary { min, max } => {
                if *min < Score::ZERO || min > max {
                    return Err(format!("range {min}–{max} is not 0 ≤ min ≤ max"));
                }
                amount("max", *max)
            }
            Rule::Proportional { max } => amount("max", *max),
            Rule::AssessorScore { max } => amount("max", *max),
        }
    }
}

fn check_choices(choices: &[Choice]) -> Result<(), String> {
    let mut seen = HashSet::new();
    for c in choices {
        check_id(&c.id, false).map_err(|e| e.to_string())?;
        if !seen.insert(c.id.as_str()) {
            return Err(format!("{:?} is used twice", c.id));
        }
        check_text(&c.id, [&c.name, &c.name_en]).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Ids are the keys of form fields and stored answers, so they stay plain ASCII.
fn check_id(id: &str, dotted: bool) -> Result<(), RubricError> {
    let ok_part = |p: &str| {
        !p.is_empty()
            && p.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    };
    let ok = if dotted {
        id.split('.').all(ok_part)
    } else {
        ok_part(id)
    };
    if ok {
        Ok(())
    } else {
        Err(RubricError::BadId(id.to_owned()))
    }
}

fn check_text<const N: usize>(id: &str, texts: [&String; N]) -> Result<(), RubricError> {
    if texts.iter().any(|t| t.trim().is_empty()) {
        Err(RubricError::MissingText(id.to_owned()))
    } else {
        Ok(())
    }
}
