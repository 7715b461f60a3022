//! The [`FormKind`] of each form of SPEC §2.

use chrono::NaiveDate;
use serde_json::{Value, json};
use shared::case::{CaseInput, RightsCase};
use shared::council::{Meeting, MeetingInput};
use shared::model_home::{ModelHomeApplication, ModelHomeInput};
use shared::monthly::{MonthlyReport, MonthlyReportInput};
use shared::register::{KeyPerson, KeyPersonInput};
use shared::rubric::{TownAssessment, TownAssessmentInput};
use shared::standards::{SelfAssessment, SelfAssessmentInput, Standard};
use shared::visit::Category;
use shared::{ValidationErrors, VisitInput, VisitRecord};
use uuid::Uuid;

use super::{FormKind, ViewCtx};
use crate::auth::Role;
use crate::org::Level;
use crate::rules::Rules;

fn jan_first(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN)
}

/// 排查登记表.
pub struct Visit;

impl FormKind for Visit {
    const KIND: &'static str = "visit";
    const PATH: &'static str = "visits";
    type Input = VisitInput;
    type Record = VisitRecord;
    const STATUSES: &'static [&'static str] = &["open", "resolved"];
    const CATEGORIES: &'static [&'static str] = Category::CODES;
    const LEVELS: &'static [&'static str] = shared::RiskLevel::CODES;

    fn id(input: &VisitInput) -> Uuid {
        input.id
    }
    fn parse(
        input: &VisitInput,
        today: NaiveDate,
        _: &Rules,
    ) -> Result<VisitRecord, ValidationErrors> {
        VisitRecord::parse(input, today)
    }
    fn unit(r: &VisitRecord) -> &str {
        r.org_unit.as_str()
    }
    fn levels(_: &VisitRecord) -> &'static [Level] {
        &[Level::Village]
    }
    fn period(r: &VisitRecord, _: NaiveDate) -> NaiveDate {
        r.visit_date
    }
    fn status(r: &VisitRecord) -> Option<String> {
        Some(
            if r.resolved_on.is_some() {
                "resolved"
            } else {
                "open"
            }
            .into(),
        )
    }
    fn category(r: &VisitRecord) -> Option<String> {
        Some(r.category.code().into())
    }
    fn view(r: &VisitRecord, ctx: &ViewCtx<'_>) -> Value {
        serde_json::to_value(r.assess(ctx.today)).unwrap_or(Value::Null)
    }
    /// B and C items concern violence and abuse of minors: every read is logged.
    fn sensitive(r: &VisitRecord) -> bool {
        matches!(
            r.category,
            Category::DomesticViolence | Category::ChildSexualAbuse
        )
    }
}

/// 重点关注妇女儿童.
pub struct KeyPersonKind;

impl FormKind for KeyPersonKind {
    const KIND: &'static str = "key_person";
    const PATH: &'static str = "key-persons";
    type Input = KeyPersonInput;
    type Record = KeyPerson;
    const CATEGORIES: &'static [&'static str] = &["woman", "child", "both"];

    fn id(input: &KeyPersonInput) -> Uuid {
        input.id
    }
    fn parse(
        input: &KeyPersonInput,
        today: NaiveDate,
        _: &Rules,
    ) -> Result<KeyPerson, ValidationErrors> {
        KeyPerson::parse(input, today)
    }
    fn unit(r: &KeyPerson) -> &str {
        r.org_unit.as_str()
    }
    fn levels(_: &KeyPerson) -> &'static [Level] {
        &[Level::Village]
    }
    fn period(_: &KeyPerson, received: NaiveDate) -> NaiveDate {
        received
    }
    fn category(r: &KeyPerson) -> Option<String> {
        Some(
            match (r.is_woman(), r.is_child()) {
                (true, true) => "both",
                (true, false) => "woman",
                _ => "child",
            }
            .into(),
        )
    }
}

/// 议事会会议记录.
pub struct MeetingKind;

impl FormKind for MeetingKind {
    const KIND: &'static str = "meeting";
    const PATH: &'static str = "meetings";
    type Input = MeetingInput;
    type Record = Meeting;

    fn id(input: &MeetingInput) -> Uuid {
        input.id
    }
    fn parse(
        input: &MeetingInput,
        today: NaiveDate,
        _: &Rules,
    ) -> Result<Meeting, ValidationErrors> {
        Meeting::parse(input, today)
    }
    fn unit(r: &Meeting) -> &str {
        r.org_unit.as_str()
    }
    fn levels(_: &Meeting) -> &'static [Level] {
        &[Level::Village]
    }
    fn period(r: &Meeting, _: NaiveDate) -> NaiveDate {
        r.date
    }
    fn view(r: &Meeting, _: &ViewCtx<'_>) -> Value {
        let unlinked: Vec<Value> = r
            .unlinked_items()
            .iter()
            .map(|(cat, item)| json!({ "category": cat.code(), "party": item.party, "summary": item.summary }))
            .collect();
        json!({ "unlinked_items": unlinked })
    }
}

/// 月报.
pub struct MonthlyKind;

impl FormKind for MonthlyKind {
    const KIND: &'static str = "monthly_report";
    const PATH: &'static str = "monthly-reports";
    type Input = MonthlyReportInput;
    type Record = MonthlyReport;
    const STATUSES: &'static [&'static str] = &["zero", "report"];

    fn id(input: &MonthlyReportInput) -> Uuid {
        input.id
    }
    fn parse(
        input: &MonthlyReportInput,
        today: NaiveDate,
        _: &Rules,
    ) -> Result<MonthlyReport, ValidationErrors> {
        MonthlyReport::parse(input, today)
    }
    fn unit(r: &MonthlyReport) -> &str {
        r.org_unit.as_str()
    }
    fn levels(_: &MonthlyReport) -> &'static [Level] {
        &[Level::Village]
    }
    fn period(r: &MonthlyReport, _: NaiveDate) -> NaiveDate {
        r.month.day_clamped(1)
    }
    fn status(r: &MonthlyReport) -> Option<String> {
        Some(if r.zero_report { "zero" } else { "report" }.into())
    }
}

/// 维权个案.
pub struct CaseKind;

impl FormKind for CaseKind {
    const KIND: &'static str = "rights_case";
    const USES_RULES: bool = true;
    const PATH: &'static str = "rights-cases";
    type Input = CaseInput;
    type Record = RightsCase;
    const STATUSES: &'static [&'static str] = shared::case::Stage::CODES;
    const CATEGORIES: &'static [&'static str] = shared::case::RightsArea::CODES;

    fn id(input: &CaseInput) -> Uuid {
        input.id
    }
    fn parse(
        input: &CaseInput,
        today: NaiveDate,
        _: &Rules,
    ) -> Result<RightsCase, ValidationErrors> {
        RightsCase::parse(input, today)
    }
    fn unit(r: &RightsCase) -> &str {
        r.org_unit.as_str()
    }
    fn levels(_: &RightsCase) -> &'static [Level] {
        &[Level::Town, Level::Village]
    }
    fn period(r: &RightsCase, _: NaiveDate) -> NaiveDate {
        r.applied_on()
    }
    fn status(r: &RightsCase) -> Option<String> {
        Some(r.current_stage().code().into())
    }
    fn category(r: &RightsCase) -> Option<String> {
        Some(r.area.code().into())
    }
    /// Stages only move forward; what is recorded stays (`shared::case`).
    fn check_edit(old: &RightsCase, new: &RightsCase) -> Result<(), ValidationErrors> {
        RightsCase::check_transition(old, new)
    }
    fn view(r: &RightsCase, ctx: &ViewCtx<'_>) -> Value {
        let deadline = r.reply_deadline(&ctx.rules.calendar);
        json!({
            "current_stage": r.current_stage(),
            "next_stage": r.next_stage(),
            "reply_deadline": deadline.as_ref().map(|d| d.value),
            "calendar_missing_years": deadline.map(|d| d.missing_years).unwrap_or_default(),
            "warnings": r.warnings(&ctx.rules.calendar, ctx.today),
        })
    }
}

/// 阵地自评 (七有 / 五有 / 三有).
pub struct SelfAssessmentKind;

impl FormKind for SelfAssessmentKind {
    const KIND: &'static str = "self_assessment";
    const PATH: &'static str = "self-assessments";
    type Input = SelfAssessmentInput;
    type Record = SelfAssessment;
    const CATEGORIES: &'static [&'static str] = Standard::CODES;

    fn id(input: &SelfAssessmentInput) -> Uuid {
        input.id
    }
    fn parse(
        input: &SelfAssessmentInput,
        today: NaiveDate,
        _: &Rules,
    ) -> Result<SelfAssessment, ValidationErrors> {
        SelfAssessment::parse(input, today)
    }
    fn unit(r: &SelfAssessment) -> &str {
        r.org_unit.as_str()
    }
    /// 妇女之家 and village stations are in villages; 五有 is the town station's standard.
    fn levels(r: &SelfAssessment) -> &'static [Level] {
        match r.standard {
            Standard::Five => &[Level::Town],
            Standard::Seven | Standard::Three => &[Level::Village],
        }
    }
    fn period(r: &SelfAssessment, _: NaiveDate) -> NaiveDate {
        r.assessed_on
    }
    fn category(r: &SelfAssessment) -> Option<String> {
        Some(r.standard.code().into())
    }
    fn view(r: &SelfAssessment, _: &ViewCtx<'_>) -> Value {
        serde_json::to_value(r.evaluate()).unwrap_or(Value::Null)
    }
}

/// 示范妇女之家申报.
pub struct ModelHomeKind;

impl FormKind for ModelHomeKind {
    const KIND: &'static str = "model_home";
    const PATH: &'static str = "model-homes";
    type Input = ModelHomeInput;
    type Record = ModelHomeApplication;
    /// The `state` of `shared::model_home::Status`.
    const STATUSES: &'static [&'static str] = &["pending", "approved", "rejected"];

    fn id(input: &ModelHomeInput) -> Uuid {
        input.id
    }
    fn parse(
        input: &ModelHomeInput,
        today: NaiveDate,
        _: &Rules,
    ) -> Result<ModelHomeApplication, ValidationErrors> {
        ModelHomeApplication::parse(input, today)
    }
    fn unit(r: &ModelHomeApplication) -> &str {
        r.org_unit.as_str()
    }
    fn levels(_: &ModelHomeApplication) -> &'static [Level] {
        &[Level::Village]
    }
    fn period(r: &ModelHomeApplication, _: NaiveDate) -> NaiveDate {
        jan_first(r.year)
    }
    /// Opinions already given stay as signed (`shared::model_home`).
    fn check_edit(
        old: &ModelHomeApplication,
        new: &ModelHomeApplication,
    ) -> Result<(), ValidationErrors> {
        ModelHomeApplication::check_change(old, new)
    }
    fn status(r: &ModelHomeApplication) -> Option<String> {
        serde_json::to_value(r.status())
            .ok()?
            .get("state")?
            .as_str()
            .map(str::to_owned)
    }
    fn view(r: &ModelHomeApplication, _: &ViewCtx<'_>) -> Value {
        json!({
            "funds": r.funds_check(),
            "funds_per_woman": r.funds_per_woman().to_string(),
            "status": r.status(),
            "warnings": r.warnings(),
        })
    }
}

/// 镇（区、街道）年度考核: written by the city, read by the town it is about.
pub struct TownAssessmentKind;

impl FormKind for TownAssessmentKind {
    const KIND: &'static str = "town_assessment";
    const USES_RULES: bool = true;
    const PATH: &'static str = "town-assessments";
    type Input = TownAssessmentInput;
    type Record = TownAssessment;

    fn id(input: &TownAssessmentInput) -> Uuid {
        input.id
    }
    fn parse(
        input: &TownAssessmentInput,
        _: NaiveDate,
        rules: &Rules,
    ) -> Result<TownAssessment, ValidationErrors> {
        // A year without its own rubric is assessed by the newest before it.
        let year = input.year.trim().parse::<u16>().unwrap_or(0);
        TownAssessment::parse(input, rules.rubric_in_force(year))
    }
    fn unit(r: &TownAssessment) -> &str {
        r.town.as_str()
    }
    fn unit_field() -> &'static str {
        "town"
    }
    fn levels(_: &TownAssessment) -> &'static [Level] {
        &[Level::Town]
    }
    fn period(r: &TownAssessment, _: NaiveDate) -> NaiveDate {
        jan_first(i32::from(r.year))
    }
    fn may_write(role: Role) -> bool {
        matches!(role, Role::City | Role::Admin)
    }
    fn view(r: &TownAssessment, ctx: &ViewCtx<'_>) -> Value {
        ctx.rules
            .rubric_of(r.rubric_year())
            .and_then(|rubric| r.score(rubric).ok())
            .and_then(|s| serde_json::to_value(s).ok())
            .unwrap_or(Value::Null)
    }
}
