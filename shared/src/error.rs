//! Field-level validation errors, shared by the app (shown under the field) and the server
//! (returned as 422 JSON), so both say exactly the same thing.

use serde::{Deserialize, Serialize};

use crate::lang::Lang;

/// 字段错误原因: why one field was rejected.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Problem {
    #[error("必填")]
    Required,
    #[error("不能超过{max}个字")]
    TooLong { max: usize },
    #[error("请填写手机号（1开头11位）或带区号的座机号")]
    InvalidPhone,
    #[error("日期格式应为 年-月-日")]
    InvalidDate,
    #[error("日期不能晚于今天")]
    FutureDate,
    #[error("日期不能早于{earliest}")]
    TooEarly { earliest: String },
    #[error("应为{min}到{max}之间的整数")]
    OutOfRange { min: i64, max: i64 },
    #[error("请从列表中选择")]
    UnknownChoice,
    #[error("至少填写一位当事人")]
    NoParty,
    #[error("月份格式应为 年-月，如 2026-10")]
    InvalidMonth,
    #[error("请至少勾选一项")]
    NothingTicked,
    #[error("不能超过{max}")]
    AboveTotal { max: i64 },
    #[error("零上报时应为0")]
    NonZeroInZeroReport,
    #[error("请勾选“未发现”或填写至少一项")]
    NeitherNoneNorItems,
    #[error("已勾选“未发现”，不能再填写事项")]
    NoneButItems,
    #[error("此处应为“{expected}”：须按申请→受理→调查→处理→结案→回访的顺序逐一填写")]
    StageOutOfOrder {
        expected: String,
        expected_en: String,
    },
    #[error("回访是最后一个环节")]
    AfterLastStage,
    #[error("已记录，不能删除或修改")]
    Locked,
    #[error("仅在“{stage}”环节填写")]
    NotForThisStage { stage: String, stage_en: String },
    #[error("不在{year}年放假安排的范围内")]
    OutsideYear { year: i32 },
    #[error("调休上班日应为周六或周日")]
    NotWeekend,
    #[error("同一天不能既放假又上班")]
    HolidayAndWorkday,
    #[error("请填写金额，如 1,234.50（最多两位小数）")]
    InvalidAmount,
    #[error("金额不能超过{max}元")]
    AmountTooLarge { max: String },
    #[error("所选标准不填此项")]
    NotForStandard,
    #[error("{level}已不同意，不能再填写意见")]
    AfterRejection { level: String, level_en: String },
    #[error("应为{min}到{max}之间的分数（最多两位小数）")]
    ScoreOutOfRange { min: String, max: String },
    #[error("应为0，或{min}到{max}之间的分数（最多两位小数）")]
    ZeroOrScoreInRange { min: String, max: String },
    #[error("本细则自{year}年度起适用")]
    WrongYear { year: i64 },
    #[error("应高于建议层级（{suggested}），只能提级不能降级")]
    NotAboveSuggested {
        suggested: String,
        suggested_en: String,
    },
    #[error("应为{expected}级单位")]
    WrongUnitLevel {
        expected: String,
        expected_en: String,
    },
    #[error("与地址中的编号不一致")]
    IdMismatch,
    /// A control or text-direction character (named as `U+XXXX`).
    #[error("不能包含控制字符或文字方向控制符（{character}）")]
    ControlCharacter { character: String },
    /// A rule table (考核细则, 主题表) breaks one of its own rules; `detail` says which.
    #[error("不符合细则规则（{detail}）")]
    BadRule { detail: String },
    /// The value has the wrong JSON type or shape (only a broken client sends this).
    #[error("格式不正确（{detail}）")]
    Malformed { detail: String },
}

impl Problem {
    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => self.to_string(),
            Lang::En => match self {
                Problem::Required => "is required".into(),
                Problem::TooLong { max } => format!("must be at most {max} characters"),
                Problem::InvalidPhone => {
                    "must be a mobile number (11 digits starting with 1) or a landline with area code"
                        .into()
                }
                Problem::InvalidDate => "must be a date written year-month-day".into(),
                Problem::FutureDate => "cannot be in the future".into(),
                Problem::TooEarly { earliest } => format!("cannot be before {earliest}"),
                Problem::OutOfRange { min, max } => {
                    format!("must be a whole number from {min} to {max}")
                }
                Problem::UnknownChoice => "must be one of the listed choices".into(),
                Problem::NoParty => "needs at least one party".into(),
                Problem::InvalidMonth => "must be a month written year-month, e.g. 2026-10".into(),
                Problem::NothingTicked => "needs at least one box ticked".into(),
                Problem::AboveTotal { max } => format!("cannot exceed {max}"),
                Problem::NonZeroInZeroReport => "must be 0 in a zero report".into(),
                Problem::NeitherNoneNorItems => {
                    "needs either \"none found\" or at least one item".into()
                }
                Problem::NoneButItems => "is marked \"none found\" but lists items".into(),
                Problem::StageOutOfOrder { expected_en, .. } => format!(
                    "should be \"{expected_en}\": stages go applied → accepted → investigated → handled → closed → revisited, none skipped or repeated"
                ),
                Problem::AfterLastStage => "comes after the last stage (revisited)".into(),
                Problem::Locked => "is already recorded and cannot be removed or changed".into(),
                Problem::NotForThisStage { stage_en, .. } => {
                    format!("belongs to the \"{stage_en}\" stage only")
                }
                Problem::OutsideYear { year } => format!("is outside the {year} holiday table"),
                Problem::NotWeekend => "a make-up working day must be a Saturday or Sunday".into(),
                Problem::HolidayAndWorkday => "cannot be both a holiday and a working day".into(),
                Problem::InvalidAmount => {
                    "must be an amount such as 1,234.50 (at most two decimals)".into()
                }
                Problem::AmountTooLarge { max } => format!("cannot exceed {max} yuan"),
                Problem::NotForStandard => "does not apply to the chosen standard".into(),
                Problem::AfterRejection { level_en, .. } => {
                    format!("cannot be given: already rejected by the {level_en}")
                }
                Problem::ScoreOutOfRange { min, max } => {
                    format!("must be a score from {min} to {max} with at most two decimals")
                }
                Problem::ZeroOrScoreInRange { min, max } => {
                    format!("must be 0, or a score from {min} to {max} with at most two decimals")
                }
                Problem::WrongYear { year } => format!("must be {year} or later: the rubric applies from that year"),
                Problem::NotAboveSuggested { suggested_en, .. } => {
                    format!("must be above the suggested tier ({suggested_en}); a tier can only be raised")
                }
                Problem::WrongUnitLevel { expected_en, .. } => format!("must be a {expected_en} unit"),
                Problem::IdMismatch => "does not match the id in the address".into(),
                Problem::ControlCharacter { character } => {
                    format!("must not contain control or text-direction characters ({character})")
                }
                Problem::BadRule { detail } => format!("breaks a rule of the table ({detail})"),
                Problem::Malformed { detail } => format!("is malformed ({detail})"),
            },
        }
    }
}

/// 字段错误: one rejected field, with messages that name it in both languages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// Stable path of the field in the input, e.g. `parties[0].phone`.
    pub field: String,
    #[serde(flatten)]
    pub problem: Problem,
    /// 中文提示, naming the field.
    pub message: String,
    pub message_en: String,
}

impl FieldError {
    /// `label` is the field's (Chinese, English) name as the user sees it on the form.
    pub fn new(field: impl Into<String>, label: (&str, &str), problem: Problem) -> Self {
        let message = format!("{}：{}", label.0, problem.message(Lang::Zh));
        let message_en = format!("{} {}", label.1, problem.message(Lang::En));
        FieldError {
            field: field.into(),
            problem,
            message,
            message_en,
        }
    }

    pub fn message(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.message,
            Lang::En => &self.message_en,
        }
    }
}

/// 校验错误: every bad field of one form, never empty.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{} 个字段有误", .0.len())]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    /// The error for `field`, if it has one.
    pub fn get(&self, field: &str) -> Option<&FieldError> {
        self.0.iter().find(|e| e.field == field)
    }
}

/// Collects field errors while a form is parsed, so the user sees all of them at once.
#[derive(Default)]
pub(crate) struct Collector(Vec<FieldError>);

impl Collector {
    /// Keeps `Ok` values, records `Err` against `field` and returns `None`.
    pub fn take<T>(
        &mut self,
        field: impl Into<String>,
        label: (&str, &str),
        result: Result<T, Problem>,
    ) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(p) => {
                self.0.push(FieldError::new(field, label, p));
                None
            }
        }
    }

    pub fn push(&mut self, field: impl Into<String>, label: (&str, &str), problem: Problem) {
        self.0.push(FieldError::new(field, label, problem));
    }

    pub fn finish(self) -> Result<(), ValidationErrors> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ValidationErrors(self.0))
        }
    }
}
