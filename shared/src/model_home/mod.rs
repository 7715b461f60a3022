//! 示范妇女之家申报表 — the model women's-home application of 003 附件2 (SPEC §2.7).
//!
//! The form as the seed draws it: year, applicant unit, head and title, staff, resident women
//! and annual funds, two free-text boxes, and three stamped opinions — 所在乡镇（街道）党（工）委,
//! 区妇联, 市妇联 — each with a date. The product adds a decision (同意 / 不同意) to each opinion
//! so the approval chain can be tracked.
//!
//! Chain rule: the levels sign in order. An opinion at a level needs an approving opinion at
//! every earlier level; a rejection ends the chain, so nothing may follow it; each date is on
//! or after the previous level's, not before 1 January of the application year, and not in the
//! future.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{Collector, Problem, ValidationErrors};
use crate::lang::Lang;
use crate::standards::{
    Funds, FundsCheck, MAX_RESIDENT_WOMEN, SelfAssessmentResult, Standard, Yuan, parse_count,
};
use crate::value::{PersonName, Text, earliest_date, parse_past_date};
use crate::warning::{Warning, WarningCode};

/// Most staff a 妇女之家 can list in either staff box.
pub const MAX_STAFF: u32 = 9_999;

/// 审批层级, in signing order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// 所在乡镇（街道）党（工）委.
    Town,
    /// 区妇联.
    District,
    /// 市妇联.
    City,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::Town, Level::District, Level::City];

    pub fn code(self) -> &'static str {
        match self {
            Level::Town => "town",
            Level::District => "district",
            Level::City => "city",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Level::Town => lang.pick("所在乡镇（街道）党（工）委", "Town Party committee"),
            Level::District => lang.pick("区妇联", "District federation"),
            Level::City => lang.pick("市妇联", "City federation"),
        }
    }
}

/// 意见: 同意 or 不同意.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// 同意.
    Approve,
    /// 不同意.
    Reject,
}

impl Decision {
    pub const ALL: [Decision; 2] = [Decision::Approve, Decision::Reject];

    pub fn code(self) -> &'static str {
        match self {
            Decision::Approve => "approve",
            Decision::Reject => "reject",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, Problem> {
        match raw.trim() {
            "" => Err(Problem::Required),
            code => Self::ALL
                .into_iter()
                .find(|d| d.code() == code)
                .ok_or(Problem::UnknownChoice),
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Decision::Approve => lang.pick("同意", "Approve"),
            Decision::Reject => lang.pick("不同意", "Reject"),
        }
    }
}

/// One level's opinion as typed; all three fields empty means "not given yet".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OpinionInput {
    /// `"approve"`, `"reject"` or empty.
    pub decision: String,
    /// 意见 text; required when rejecting.
    pub text: String,
    /// `YYYY-MM-DD`.
    pub date: String,
}

impl OpinionInput {
    fn is_blank(&self) -> bool {
        self.decision.trim().is_empty()
            && self.text.trim().is_empty()
            && self.date.trim().is_empty()
    }
}

/// The three opinion boxes as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OpinionsInput {
    pub town: OpinionInput,
    pub district: OpinionInput,
    pub city: OpinionInput,
}

impl OpinionsInput {
    pub fn get(&self, level: Level) -> &OpinionInput {
        match level {
            Level::Town => &self.town,
            Level::District => &self.district,
            Level::City => &self.city,
        }
    }
}

/// 示范妇女之家申报表 as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ModelHomeInput {
    /// Client-generated; makes submission idempotent.
    pub id: Uuid,
    /// 所属单位: the org unit the record belongs to; must be the unit of the self-assessment
    /// the eligibility check is given.
    pub org_unit: String,
    /// （ 年度）, e.g. `"2025"`.
    pub year: String,
    /// 申报单位, as written on the form.
    pub applicant_unit: String,
    /// 负责人姓名.
    pub head_name: String,
    /// 职务.
    pub head_title: String,
    /// 专职人员（人）.
    pub full_time_staff: String,
    /// 兼职人员（人）.
    pub part_time_staff: String,
    /// 常住妇女人口（人）.
    pub resident_women: String,
    /// 工作经费（元/年）, e.g. `"1,600.00"`.
    pub annual_funds: String,
    /// 规范化建设情况.
    pub standardisation: String,
    /// 特色活动和品牌.
    pub featured_activities: String,
    pub opinions: OpinionsInput,
}

/// 意见: one level's signed opinion.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Opinion {
    pub decision: Decision,
    /// Always present on a rejection.
    pub text: Option<Text<1000>>,
    pub date: NaiveDate,
}

/// The opinions given so far; a `Some` is always preceded by approving `Some`s.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Opinions {
    pub town: Option<Opinion>,
    pub district: Option<Opinion>,
    pub city: Option<Opinion>,
}

impl Opinions {
    pub fn get(&self, level: Level) -> Option<&Opinion> {
        match level {
            Level::Town => self.town.as_ref(),
            Level::District => self.district.as_ref(),
            Level::City => self.city.as_ref(),
        }
    }
}

/// 审批状态.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "state", content = "level", rename_all = "snake_case")]
pub enum Status {
    /// Waiting for the opinion of `level`.
    Pending(Level),
    /// All three levels approved.
    Approved,
    /// `level` rejected; the chain ends there.
    Rejected(Level),
}

impl Status {
    pub fn label(self, lang: Lang) -> String {
        match (self, lang) {
            (Status::Pending(l), Lang::Zh) => format!("待{}审核", l.label(lang)),
            (Status::Pending(l), Lang::En) => format!("Awaiting {}", l.label(lang)),
            (Status::Approved, _) => lang.pick("已通过", "Approved").to_owned(),
            (Status::Rejected(l), Lang::Zh) => format!("{}不同意", l.label(lang)),
            (Status::Rejected(l), Lang::En) => format!("Rejected by {}", l.label(lang)),
        }
    }
}

/// 示范妇女之家申报表: a checked application. Only [`ModelHomeApplication::parse`] makes one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelHomeApplication {
    pub id: Uuid,
    pub org_unit: Text<60>,
    pub year: i32,
    pub applicant_unit: Text<60>,
    pub head_name: PersonName,
    pub head_title: Text<30>,
    pub full_time_staff: u32,
    pub part_time_staff: u32,
    /// At least 1.
    pub resident_women: u32,
    pub annual_funds: Yuan,
    pub standardisation: Text<2000>,
    pub featured_activities: Text<2000>,
    pub opinions: Opinions,
}

/// Why an application is not eligible.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Ineligible {
    /// Funds below 2 元 per resident woman.
    FundsBelowMinimum(FundsCheck),
    /// No 七有 self-assessment was given.
    NoSelfAssessment,
    /// The self-assessment given is against another standard.
    WrongStandard { standard: Standard },
    /// The self-assessment given is about another unit.
    OtherUnit { org_unit: String },
    /// The latest 七有 self-assessment did not meet all seven.
    SevenNotMet {
        assessed_on: NaiveDate,
        met: u32,
        total: u32,
        /// Ids of the criteria not met.
        unmet: Vec<String>,
    },
}

impl Ineligible {
    pub fn message(&self, lang: Lang) -> String {
        let seven = Standard::Seven;
        match (self, lang) {
            (Ineligible::FundsBelowMinimum(c), Lang::Zh) => {
                format!("经费低于每名常住妇女2元：{}", c.explain(lang))
            }
            (Ineligible::FundsBelowMinimum(c), Lang::En) => {
                format!("Funds below 2 yuan per resident woman: {}", c.explain(lang))
            }
            (Ineligible::NoSelfAssessment, _) => lang
                .pick(
                    "没有“七有”自评记录",
                    "No “seven haves” self-assessment on record",
                )
                .to_owned(),
            (Ineligible::WrongStandard { standard }, Lang::Zh) => {
                format!("所给自评是{}，不是“七有”", standard.label(lang))
            }
            (Ineligible::WrongStandard { standard }, Lang::En) => format!(
                "The self-assessment given is {}, not “seven haves”",
                standard.label(lang)
            ),
            (Ineligible::OtherUnit { org_unit }, Lang::Zh) => {
                format!("所给自评属于其他单位（{org_unit}）")
            }
            (Ineligible::OtherUnit { org_unit }, Lang::En) => {
                format!("The self-assessment given is about another unit ({org_unit})")
            }
            (
                Ineligible::SevenNotMet {
                    assessed_on,
                    met,
                    total,
                    unmet,
                },
                _,
            ) => {
                let names: Vec<&str> = unmet
                    .iter()
                    .filter_map(|id| seven.criterion(id))
                    .map(|c| c.label(lang))
                    .collect();
                match lang {
                    Lang::Zh => format!(
                        "最近一次“七有”自评（{assessed_on}）达标 {met}/{total}，未达标：{}",
                        names.join("、")
                    ),
                    Lang::En => format!(
                        "The latest “seven haves” self-assessment ({assessed_on}) met {met}/{total}; not met: {}",
                        names.join(", ")
                    ),
                }
            }
        }
    }
}

/// 申报资格.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Eligibility {
    /// Funds at least 2 元 per resident woman, from the application's own figures.
    pub funds_ok: bool,
    /// The unit's latest 七有 self-assessment met all seven.
    pub seven_ok: bool,
    /// `funds_ok && seven_ok`.
    pub eligible: bool,
    /// Empty exactly when eligible.
    pub reasons: Vec<Ineligible>,
}

/// Whether `application` may be put forward: its own funds figures meet 2 元 per resident woman
/// and `latest_seven`, the unit's most recent 七有 self-assessment (the caller picks it), met all
/// seven (003 四, the second “（二）创建“示范妇女之家””, 2: “在达到“妇女之家”规范化建设“七有”标准的基础上”).
pub fn eligibility(
    application: &ModelHomeApplication,
    latest_seven: Option<&SelfAssessmentResult>,
) -> Eligibility {
    let mut reasons = Vec::new();
    let funds = application.funds_check();
    if !funds.ok {
        reasons.push(Ineligible::FundsBelowMinimum(funds));
    }
    let seven_ok = match latest_seven {
        None => {
            reasons.push(Ineligible::NoSelfAssessment);
            false
        }
        Some(r) if r.standard != Standard::Seven => {
            reasons.push(Ineligible::WrongStandard {
                standard: r.standard,
            });
            false
        }
        Some(r) if r.org_unit != application.org_unit.as_str() => {
            reasons.push(Ineligible::OtherUnit {
                org_unit: r.org_unit.clone(),
            });
            false
        }
        Some(r) if !r.all_met() => {
            reasons.push(Ineligible::SevenNotMet {
                assessed_on: r.assessed_on,
                met: r.met,
                total: r.total,
                unmet: r
                    .criteria
                    .iter()
                    .filter(|c| !c.met)
                    .map(|c| c.id.clone())
                    .collect(),
            });
            false
        }
        Some(_) => true,
    };
    Eligibility {
        funds_ok: funds.ok,
        seven_ok,
        eligible: funds.ok && seven_ok,
        reasons,
    }
}

impl ModelHomeInput {
    /// A new, empty application for `year`.
    pub fn blank(id: Uuid, year: i32) -> Self {
        ModelHomeInput {
            id,
            year: year.to_string(),
            ..Default::default()
        }
    }
}

fn level_label(level: Level, zh: &str, en: &str) -> (String, String) {
    (
        format!("{}{zh}", level.label(Lang::Zh)),
        format!("{} {en}", level.label(Lang::En)),
    )
}

fn pair(l: &(String, String)) -> (&str, &str) {
    (&l.0, &l.1)
}

impl ModelHomeApplication {
    /// Checks every field of `input`, `today` being the date in China. Returns all field errors
    /// at once.
    pub fn parse(
        input: &ModelHomeInput,
        today: NaiveDate,
    ) -> Result<ModelHomeApplication, ValidationErrors> {
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
        let first_year = earliest_date().year();
        let year = c
            .take(
                "year",
                ("申报年度", "Year"),
                parse_count(
                    &input.year,
                    first_year as u32,
                    today.year().max(first_year) as u32,
                ),
            )
            .map(|y| y as i32);
        let applicant_unit = c.take(
            "applicant_unit",
            ("申报单位", "Applicant unit"),
            Text::parse(&input.applicant_unit),
        );
        let head_name = c.take(
            "head_name",
            ("负责人姓名", "Head's name"),
            PersonName::parse(&input.head_name),
        );
        let head_title = c.take(
            "head_title",
            ("职务", "Head's title"),
            Text::parse(&input.head_title),
        );
        let full_time_staff = c.take(
            "full_time_staff",
            ("专职人员", "Full-time staff"),
            parse_count(&input.full_time_staff, 0, MAX_STAFF),
        );
        let part_time_staff = c.take(
            "part_time_staff",
            ("兼职人员", "Part-time staff"),
            parse_count(&input.part_time_staff, 0, MAX_STAFF),
        );
        let resident_women = c.take(
            "resident_women",
            ("常住妇女人口", "Resident women"),
            parse_count(&input.resident_women, 1, MAX_RESIDENT_WOMEN),
        );
        let annual_funds = c.take(
            "annual_funds",
            ("工作经费（元/年）", "Annual funds (yuan)"),
            Yuan::parse(&input.annual_funds),
        );
        let standardisation = c.take(
            "standardisation",
            ("规范化建设情况", "Standardisation"),
            Text::parse(&input.standardisation),
        );
        let featured_activities = c.take(
            "featured_activities",
            ("特色活动和品牌", "Featured activities and brand"),
            Text::parse(&input.featured_activities),
        );

        let opinions = parse_opinions(&mut c, &input.opinions, year, today);

        c.finish()?;
        let (
            Some(org_unit),
            Some(year),
            Some(applicant_unit),
            Some(head_name),
            Some(head_title),
            Some(full_time_staff),
            Some(part_time_staff),
            Some(resident_women),
            Some(annual_funds),
            Some(standardisation),
            Some(featured_activities),
        ) = (
            org_unit,
            year,
            applicant_unit,
            head_name,
            head_title,
            full_time_staff,
            part_time_staff,
            resident_women,
            annual_funds,
            standardisation,
            featured_activities,
        )
        else {
            unreachable!("every missing value recorded an error");
        };
        Ok(ModelHomeApplication {
            id: input.id,
            org_unit,
            year,
            applicant_unit,
            head_name,
            head_title,
            full_time_staff,
            part_time_staff,
            resident_women,
            annual_funds,
            standardisation,
            featured_activities,
            opinions,
        })
    }

    /// The form again, for changing a stored application (续办: the next level's opinion).
    /// Parsing it gives the application back.
    pub fn to_input(&self) -> ModelHomeInput {
        let opinion = |o: Option<&Opinion>| {
            o.map(|o| OpinionInput {
                decision: o.decision.code().into(),
                text: o
                    .text
                    .as_ref()
                    .map(|t| t.as_str().into())
                    .unwrap_or_default(),
                date: o.date.to_string(),
            })
            .unwrap_or_default()
        };
        ModelHomeInput {
            id: self.id,
            org_unit: self.org_unit.as_str().into(),
            year: self.year.to_string(),
            applicant_unit: self.applicant_unit.as_str().into(),
            head_name: self.head_name.as_str().into(),
            head_title: self.head_title.as_str().into(),
            full_time_staff: self.full_time_staff.to_string(),
            part_time_staff: self.part_time_staff.to_string(),
            resident_women: self.resident_women.to_string(),
            annual_funds: self.annual_funds.to_string(),
            standardisation: self.standardisation.as_str().into(),
            featured_activities: self.featured_activities.as_str().into(),
            opinions: OpinionsInput {
                town: opinion(self.opinions.town.as_ref()),
                district: opinion(self.opinions.district.as_ref()),
                city: opinion(self.opinions.city.as_ref()),
            },
        }
    }

    /// The funds rule on the application's own figures (funds per woman rounded down to the fen).
    pub fn funds_check(&self) -> FundsCheck {
        Funds {
            annual: self.annual_funds,
            resident_women: self.resident_women,
        }
        .check()
    }

    /// 经费 per resident woman, rounded down to the fen.
    pub fn funds_per_woman(&self) -> Yuan {
        self.funds_check().per_woman
    }

    /// Where the application stands in the chain.
    pub fn status(&self) -> Status {
        for level in Level::ALL {
            match self.opinions.get(level) {
                None => return Status::Pending(level),
                Some(o) if o.decision == Decision::Reject => return Status::Rejected(level),
                Some(_) => {}
            }
        }
        Status::Approved
    }

    /// `funds.below_minimum` when the application's funds are under 2 元 per resident woman.
    pub fn warnings(&self) -> Vec<Warning> {
        let check = self.funds_check();
        if check.ok {
            return Vec::new();
        }
        vec![Warning::about(
            WarningCode::FundsBelowMinimum,
            self.id,
            format!("经费低于每名常住妇女2元：{}", check.explain(Lang::Zh)),
            format!(
                "Funds below 2 yuan per resident woman: {}",
                check.explain(Lang::En)
            ),
        )]
    }
}

/// The opinion chain; see the module doc for the rule.
fn parse_opinions(
    c: &mut Collector,
    input: &OpinionsInput,
    year: Option<i32>,
    today: NaiveDate,
) -> Opinions {
    let mut out = Opinions::default();
    // Opinions on a year's application are signed in that year or later.
    let mut earliest = year
        .and_then(|y| NaiveDate::from_ymd_opt(y, 1, 1))
        .unwrap_or_else(earliest_date);
    // Index of the last level given, to check the earlier ones are all there.
    let last_given = Level::ALL.iter().rposition(|&l| !input.get(l).is_blank());
    let mut rejected_at: Option<Level> = None;
    for (i, level) in Level::ALL.into_iter().enumerate() {
        let o = input.get(level);
        let f = |name: &str| format!("opinions.{}.{name}", level.code());
        if o.is_blank() {
            if last_given.is_some_and(|last| i < last) && rejected_at.is_none() {
                // A later level signed, so this one must have signed first.
                let l = level_label(level, "意见", "opinion");
                c.push(f("decision"), pair(&l), Problem::Required);
            }
            continue;
        }
        if let Some(by) = rejected_at {
            let l = level_label(level, "意见", "opinion");
            c.push(
                f("decision"),
                pair(&l),
                Problem::AfterRejection {
                    level: by.label(Lang::Zh).to_owned(),
                    level_en: by.label(Lang::En).to_owned(),
                },
            );
            continue;
        }
        let decision = c.take(
            f("decision"),
            pair(&level_label(level, "意见", "opinion")),
            Decision::parse(&o.decision),
        );
        let text_result = match (decision, Text::parse_optional(&o.text)) {
            (Some(Decision::Reject), Ok(None)) => Err(Problem::Required),
            (_, r) => r,
        };
        let text = c.take(
            f("text"),
            pair(&level_label(level, "意见内容", "opinion text")),
            text_result,
        );
        let date = c.take(
            f("date"),
            pair(&level_label(level, "意见日期", "opinion date")),
            parse_past_date(&o.date, earliest, today),
        );
        if let Some(d) = date {
            earliest = d;
        }
        if decision == Some(Decision::Reject) {
            rejected_at = Some(level);
        }
        if let (Some(decision), Some(text), Some(date)) = (decision, text, date) {
            let opinion = Some(Opinion {
                decision,
                text,
                date,
            });
            match level {
                Level::Town => out.town = opinion,
                Level::District => out.district = opinion,
                Level::City => out.city = opinion,
            }
        }
    }
    out
}

impl ModelHomeApplication {
    /// Checks that `new` (an edit of the stored `old`) keeps every opinion already given as it
    /// was signed: a level's opinion is added by that level, never changed or withdrawn in a
    /// later version. The application's own content may still be corrected. Both have already
    /// been parsed.
    pub fn check_change(old: &Self, new: &Self) -> Result<(), ValidationErrors> {
        let mut c = Collector::default();
        if old.id != new.id {
            c.push("id", ("编号", "Id"), Problem::Locked);
        }
        for level in Level::ALL {
            if let Some(given) = old.opinions.get(level)
                && new.opinions.get(level) != Some(given)
            {
                let l = level_label(level, "意见", "opinion");
                c.push(
                    format!("opinions.{}.decision", level.code()),
                    pair(&l),
                    Problem::Locked,
                );
            }
        }
        c.finish()
    }
}

#[cfg(test)]
mod tests;
