//! `check`: one JSON document in — any form, or one year's town assessments — and out come
//! either its field errors or everything the rules compute from it. The `backend check`
//! command prints this; the README documents the format with a file per kind in `examples/`.
//!
//! ```json
//! { "kind": "visit", "today": "2026-11-29", "form": { … the form as the app posts it … } }
//! ```
//!
//! `today` (optional) is the as-of date for the rules; `context` (optional) carries what a
//! kind needs besides the form (e.g. the council's members, to suggest the next convener).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::error::{FieldError, ValidationErrors};
use crate::json::{JsonError, from_slice, from_value};
use crate::value::parse_date;

/// What `check` says about a document.
#[derive(Debug, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum CheckOutput {
    /// The form is valid: the record as stored, and what the rules compute.
    Valid {
        kind: String,
        record: Value,
        result: Value,
    },
    /// The form has field errors, each naming its field.
    Invalid {
        kind: String,
        errors: Vec<FieldError>,
    },
    /// The document is not a check document at all.
    Unreadable { message: String },
}

impl CheckOutput {
    /// 0 valid, 1 field errors, 2 unreadable: for the command's exit status.
    pub fn exit_code(&self) -> u8 {
        match self {
            CheckOutput::Valid { .. } => 0,
            CheckOutput::Invalid { .. } => 1,
            CheckOutput::Unreadable { .. } => 2,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Envelope {
    kind: String,
    #[serde(default)]
    today: Option<String>,
    #[serde(default)]
    form: Value,
    #[serde(default)]
    context: Value,
}

/// The kinds `check` reads, in the order the README lists them.
pub const KINDS: &[&str] = &[
    "visit",
    "key_person",
    "meeting",
    "monthly_report",
    "completeness",
    "rights_case",
    "self_assessment",
    "model_home",
    "town_assessments",
];

type Outcome = Result<(Value, Value), ValidationErrors>;

fn to_value<T: Serialize>(v: &T) -> Value {
    serde_json::to_value(v).expect("domain values serialise")
}

fn context_field<T: serde::de::DeserializeOwned + Default>(
    context: &Value,
    name: &str,
) -> Result<T, ValidationErrors> {
    match context.get(name) {
        None | Some(Value::Null) => Ok(T::default()),
        Some(v) => from_value(v.clone()).map_err(|e| prefix(e, &format!("context.{name}"))),
    }
}

/// Puts `prefix` before every field key of `e`, for errors inside a larger document.
fn prefix(e: ValidationErrors, prefix: &str) -> ValidationErrors {
    ValidationErrors(
        e.0.into_iter()
            .map(|mut f| {
                f.field = if f.field.is_empty() || f.field == "." {
                    prefix.to_owned()
                } else {
                    format!("{prefix}.{}", f.field)
                };
                f
            })
            .collect(),
    )
}

/// Checks one document. `today` is used when the document names no date of its own.
pub fn check(document: &[u8], today: NaiveDate) -> CheckOutput {
    let envelope: Envelope = match from_slice(document) {
        Ok(e) => e,
        Err(JsonError::Syntax(e)) => return CheckOutput::Unreadable { message: e },
        Err(JsonError::Shape(e)) => {
            return CheckOutput::Unreadable {
                message: e.0[0].message.clone(),
            };
        }
    };
    let today = match envelope.today.as_deref().map(parse_date) {
        None => today,
        Some(Ok(d)) => d,
        Some(Err(p)) => {
            return CheckOutput::Unreadable {
                message: format!("today: {p}"),
            };
        }
    };
    let kind = envelope.kind.clone();
    let outcome = run(&envelope, today);
    match outcome {
        Some(Ok((record, result))) => CheckOutput::Valid {
            kind,
            record,
            result,
        },
        Some(Err(e)) => CheckOutput::Invalid { kind, errors: e.0 },
        None => CheckOutput::Unreadable {
            message: format!("unknown kind {kind:?}; one of: {}", KINDS.join(", ")),
        },
    }
}

fn run(env: &Envelope, today: NaiveDate) -> Option<Outcome> {
    let form = env.form.clone();
    let ctx = &env.context;
    Some(match env.kind.as_str() {
        "visit" => visit(form, ctx, today),
        "key_person" => key_person(form, today),
        "meeting" => meeting(form, ctx, today),
        "monthly_report" => monthly_report(form, ctx, today),
        "completeness" => completeness(form, ctx, today),
        "rights_case" => rights_case(form, ctx, today),
        "self_assessment" => self_assessment(form, today).map(|(r, result)| (r, to_value(&result))),
        "model_home" => model_home(form, ctx, today),
        "town_assessments" => town_assessments(form),
        _ => return None,
    })
}

fn visit(form: Value, ctx: &Value, today: NaiveDate) -> Outcome {
    use crate::visit::{VisitInput, VisitRecord};
    use crate::warning::{FollowUpRule, visit_warnings_with};
    let input: VisitInput = from_value(form)?;
    let record = VisitRecord::parse(&input, today)?;
    let rule: FollowUpRule = context_field(ctx, "follow_up")?;
    let mut assessment = record.assess(today);
    assessment.warnings = visit_warnings_with(record.id, &record.facts(), today, rule);
    Ok((to_value(&record), to_value(&assessment)))
}

fn key_person(form: Value, today: NaiveDate) -> Outcome {
    use crate::register::{KeyPerson, KeyPersonInput};
    let input: KeyPersonInput = from_value(form)?;
    let p = KeyPerson::parse(&input, today)?;
    let result =
        json!({ "is_woman": p.is_woman(), "is_child": p.is_child(), "care_entries": p.care.len() });
    Ok((to_value(&p), result))
}

fn meeting(form: Value, ctx: &Value, today: NaiveDate) -> Outcome {
    use crate::council::{
        CouncilMember, Meeting, MeetingInput, next_convener, visit_draft_from_item,
    };
    use crate::themes::ThemeTable;
    let input: MeetingInput = from_value(form)?;
    let m = Meeting::parse(&input, today)?;
    let members: Vec<CouncilMember> = context_field(ctx, "members")?;
    let used: Vec<String> = context_field(ctx, "themes_used")?;
    let last = m.convener.as_ref().map(|c| c.as_str().to_owned());
    let themes = ThemeTable::builtin();
    // Ids for the drafts are derived from the meeting's, so checking twice gives the same.
    let drafts: Vec<Value> = m
        .unlinked_items()
        .iter()
        .enumerate()
        .map(|(i, (cat, item))| {
            let id = uuid::Uuid::new_v5(&m.id, format!("item-{i}").as_bytes());
            to_value(&visit_draft_from_item(&m, *cat, item, id))
        })
        .collect();
    let result = json!({
        "month_themes": themes.for_month(m.month()),
        "suggested_theme": themes.suggest(m.month(), &used),
        "next_convener": next_convener(&members, last.as_deref()),
        "visit_drafts": drafts,
    });
    Ok((to_value(&m), result))
}

fn monthly_report(form: Value, ctx: &Value, today: NaiveDate) -> Outcome {
    use crate::monthly::{MonthlyReport, MonthlyReportInput, ReportingRules};
    let input: MonthlyReportInput = from_value(form)?;
    let r = MonthlyReport::parse(&input, today)?;
    let rules: ReportingRules = context_field(ctx, "rules")?;
    let due = rules.due_date(r.month);
    let new_total: u32 = r.new_items.iter().sum();
    let result = json!({
        "due": due,
        "on_time_if_sent_today": today <= due,
        "new_items_total": new_total,
        "open_at_month_end": r.carried_over + new_total - r.resolved,
    });
    Ok((to_value(&r), result))
}

/// `form`: `{ "month": "2026-10", "villages": [...], "receipts": [ReportReceipt…] }`.
fn completeness(form: Value, ctx: &Value, today: NaiveDate) -> Outcome {
    use crate::monthly::{ReportReceipt, ReportingRules, YearMonth, completeness, report_warnings};
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Form {
        month: YearMonth,
        villages: Vec<String>,
        #[serde(default)]
        receipts: Vec<ReportReceipt>,
    }
    let f: Form = from_value(form)?;
    let rules: ReportingRules = context_field(ctx, "rules")?;
    let c = completeness(&f.villages, f.month, &f.receipts, rules, today);
    let warnings = report_warnings(&c);
    let result = json!({ "completeness": c, "rate": c.rate.percent_text(), "warnings": warnings });
    Ok((json!({ "month": f.month, "villages": f.villages }), result))
}

/// `context.calendar` (optional): year tables replacing the built-in ones.
fn calendar(ctx: &Value) -> Result<crate::calendar::WorkCalendar, ValidationErrors> {
    use crate::calendar::{WorkCalendar, YearTable};
    let tables: Vec<YearTable> = context_field(ctx, "calendar")?;
    tables
        .into_iter()
        .try_fold(WorkCalendar::builtin(), |cal, t| cal.with_year(t))
}

fn rights_case(form: Value, ctx: &Value, today: NaiveDate) -> Outcome {
    use crate::case::{CaseInput, RightsCase};
    let input: CaseInput = from_value(form)?;
    let case = RightsCase::parse(&input, today)?;
    let cal = calendar(ctx)?;
    let deadline = case.reply_deadline(&cal);
    let result = json!({
        "current_stage": case.current_stage(),
        "next_stage": case.next_stage(),
        "reply_deadline": deadline.as_ref().map(|d| d.value),
        "calendar_missing_years": deadline.as_ref().map(|d| d.missing_years.clone()).unwrap_or_default(),
        "replied_late": case.replied_late(&cal),
        "warnings": case.warnings(&cal, today),
    });
    Ok((to_value(&case), result))
}

fn self_assessment(
    form: Value,
    today: NaiveDate,
) -> Result<(Value, crate::standards::SelfAssessmentResult), ValidationErrors> {
    use crate::standards::{SelfAssessment, SelfAssessmentInput};
    let input: SelfAssessmentInput = from_value(form)?;
    let a = SelfAssessment::parse(&input, today)?;
    Ok((to_value(&a), a.evaluate()))
}

/// `context.latest_seven` (optional): the unit's latest 七有 self-assessment form.
fn model_home(form: Value, ctx: &Value, today: NaiveDate) -> Outcome {
    use crate::model_home::{ModelHomeApplication, ModelHomeInput, eligibility};
    let input: ModelHomeInput = from_value(form)?;
    let app = ModelHomeApplication::parse(&input, today)?;
    let latest = match ctx.get("latest_seven") {
        None | Some(Value::Null) => None,
        Some(v) => Some(
            self_assessment(v.clone(), today)
                .map_err(|e| prefix(e, "context.latest_seven"))?
                .1,
        ),
    };
    let result = json!({
        "funds": app.funds_check(),
        "funds_per_woman": app.funds_per_woman().to_string(),
        "status": app.status(),
        "eligibility": eligibility(&app, latest.as_ref()),
        "warnings": app.warnings(),
    });
    Ok((to_value(&app), result))
}

/// `form`: `{ "rubric": {…optional, a year's rubric…}, "towns": [TownAssessmentInput…] }`.
/// Field errors of town `i` are keyed `towns[i].…`.
fn town_assessments(form: Value) -> Outcome {
    use crate::error::{FieldError, Problem};
    use crate::rubric::{Rubric, TownAssessment, TownAssessmentInput, normalise};
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Form {
        #[serde(default)]
        rubric: Option<Value>,
        towns: Vec<Value>,
    }
    let f: Form = from_value(form)?;
    let whole = |field: &str, label: (&str, &str), detail: String| {
        ValidationErrors(vec![FieldError::new(
            field,
            label,
            Problem::Malformed { detail },
        )])
    };
    let custom;
    let rubric = match f.rubric {
        None => Rubric::builtin(),
        Some(v) => {
            custom = Rubric::from_json(&v.to_string())
                .map_err(|e| whole("rubric", ("考核细则", "Rubric"), e.to_string()))?;
            &custom
        }
    };
    let mut errors = Vec::new();
    let mut assessments = Vec::new();
    let mut scores = Vec::new();
    for (i, town) in f.towns.into_iter().enumerate() {
        let key = format!("towns[{i}]");
        let parsed = from_value::<TownAssessmentInput>(town)
            .and_then(|input| TownAssessment::parse(&input, rubric));
        match parsed.and_then(|a| {
            let score = a
                .score(rubric)
                .map_err(|e| whole(&key, ("考核", "Assessment"), e.to_string()))?;
            Ok((a, score))
        }) {
            Ok((a, score)) => {
                assessments.push(a);
                scores.push(score);
            }
            Err(e) => errors.extend(prefix(e, &key).0),
        }
    }
    if !errors.is_empty() {
        return Err(ValidationErrors(errors));
    }
    let ranking =
        normalise(&scores).map_err(|e| whole("towns", ("各镇", "Towns"), e.to_string()))?;
    let result = json!({ "scores": scores, "ranking": ranking });
    Ok((to_value(&assessments), result))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 29).unwrap()
    }

    #[test]
    fn an_unknown_kind_is_unreadable_and_lists_the_kinds() {
        let out = check(br#"{"kind":"pizza"}"#, today());
        assert_eq!(out.exit_code(), 2);
        let CheckOutput::Unreadable { message } = out else {
            panic!()
        };
        assert!(message.contains("visit, key_person"), "{message}");
    }

    #[test]
    fn field_errors_name_fields_of_the_form() {
        let out = check(br#"{"kind":"visit","form":{"category":"D"}}"#, today());
        assert_eq!(out.exit_code(), 1);
        let CheckOutput::Invalid { errors, .. } = out else {
            panic!()
        };
        assert!(errors.iter().any(|e| e.field == "category"));
    }

    #[test]
    fn the_documents_today_is_the_as_of_date() {
        let doc = r#"{"kind":"visit","today":"2026-06-01","form":{
            "id":"6f1c3c5e-2d1b-4b7e-9a51-0c2f1e7d9a10",
            "org_unit":"林梓村","parties":[{"name":"王芳"}],"category":"A",
            "summary":"争吵","visitor":"李娟","visit_date":"2025-11-30"}}"#;
        let CheckOutput::Valid { result, .. } = check(doc.as_bytes(), today()) else {
            panic!()
        };
        assert_eq!(result["level"], "red");
        assert_eq!(result["months_open"], 6);
    }
}
