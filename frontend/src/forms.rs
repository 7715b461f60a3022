//! The kinds of form the app keeps drafts of and sends: one name for storage keys, one path for
//! the API and the app's own routes, a label in both languages.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use shared::Lang;

/// 表单种类.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FormKind {
    /// 排查登记表.
    #[default]
    Visit,
    /// 重点关注妇女儿童.
    KeyPerson,
    /// 议事会会议记录.
    Meeting,
    /// 月报.
    MonthlyReport,
    /// 维权个案.
    RightsCase,
    /// 阵地自评.
    SelfAssessment,
    /// 示范妇女之家申报.
    ModelHome,
    /// 镇年度考核.
    TownAssessment,
}

impl FormKind {
    pub const ALL: [FormKind; 8] = [
        FormKind::Visit,
        FormKind::KeyPerson,
        FormKind::Meeting,
        FormKind::MonthlyReport,
        FormKind::RightsCase,
        FormKind::SelfAssessment,
        FormKind::ModelHome,
        FormKind::TownAssessment,
    ];

    /// Name in storage keys (the server's kind name).
    pub fn name(self) -> &'static str {
        match self {
            FormKind::Visit => "visit",
            FormKind::KeyPerson => "key_person",
            FormKind::Meeting => "meeting",
            FormKind::MonthlyReport => "monthly_report",
            FormKind::RightsCase => "rights_case",
            FormKind::SelfAssessment => "self_assessment",
            FormKind::ModelHome => "model_home",
            FormKind::TownAssessment => "town_assessment",
        }
    }

    /// Path segment, the same in the API (`/api/visits`) and the app (`/visits/new`).
    pub fn path(self) -> &'static str {
        match self {
            FormKind::Visit => "visits",
            FormKind::KeyPerson => "key-persons",
            FormKind::Meeting => "meetings",
            FormKind::MonthlyReport => "monthly-reports",
            FormKind::RightsCase => "rights-cases",
            FormKind::SelfAssessment => "self-assessments",
            FormKind::ModelHome => "model-homes",
            FormKind::TownAssessment => "town-assessments",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            FormKind::Visit => lang.pick("排查登记", "Household visit"),
            FormKind::KeyPerson => lang.pick("重点关注妇女儿童", "Key women & children"),
            FormKind::Meeting => lang.pick("议事会记录", "Council meeting"),
            FormKind::MonthlyReport => lang.pick("月报", "Monthly report"),
            FormKind::RightsCase => lang.pick("维权个案", "Rights case"),
            FormKind::SelfAssessment => lang.pick("阵地自评", "Self-assessment"),
            FormKind::ModelHome => lang.pick("示范妇女之家申报", "Model home application"),
            FormKind::TownAssessment => lang.pick("镇年度考核", "Town assessment"),
        }
    }
}

fn text<'a>(v: &'a Value, pointer: &str) -> Option<&'a str> {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// A short line naming a stored or queued form, for lists: who or what it is about.
pub fn describe(kind: FormKind, body: &Value) -> String {
    let first = |pointers: &[&str]| {
        pointers
            .iter()
            .find_map(|p| text(body, p))
            .unwrap_or("")
            .to_owned()
    };
    let short = |s: String| s.chars().take(24).collect::<String>();
    let parts: Vec<String> = match kind {
        FormKind::Visit => vec![
            first(&["/category"]),
            first(&["/parties/0/name"]),
            short(first(&["/summary"])),
        ],
        FormKind::KeyPerson => vec![first(&["/name"]), short(first(&["/address"]))],
        FormKind::Meeting => vec![
            first(&["/date"]),
            short(first(&["/theme", "/must_discuss"])),
        ],
        FormKind::MonthlyReport => vec![first(&["/month"]), first(&["/org_unit"])],
        FormKind::RightsCase => vec![first(&["/complainant/name"]), short(first(&["/facts"]))],
        FormKind::SelfAssessment => vec![
            first(&["/standard"]),
            first(&["/org_unit"]),
            first(&["/assessed_on"]),
        ],
        FormKind::ModelHome => vec![first(&["/year"]), first(&["/applicant_unit"])],
        FormKind::TownAssessment => vec![first(&["/year"]), first(&["/town"])],
    };
    parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The record's own date, for the outbox list.
pub fn date_of(kind: FormKind, body: &Value) -> String {
    let pointer = match kind {
        FormKind::Visit => "/visit_date",
        FormKind::Meeting => "/date",
        FormKind::MonthlyReport => "/month",
        FormKind::RightsCase => "/stages/0/date",
        FormKind::SelfAssessment => "/assessed_on",
        FormKind::ModelHome | FormKind::TownAssessment => "/year",
        FormKind::KeyPerson => "/care/0/date",
    };
    text(body, pointer).unwrap_or("").to_owned()
}

/// A receipt's line: enough to recognise a sent record, nothing more — names masked, no
/// summary, facts or address — and the record's date.
pub fn receipt_line(kind: FormKind, body: &Value) -> String {
    use crate::components::mask_name;
    let name = |p: &str| text(body, p).map(mask_name).unwrap_or_default();
    let parts = match kind {
        FormKind::Visit => vec![
            text(body, "/category").unwrap_or("").to_owned(),
            name("/parties/0/name"),
        ],
        FormKind::KeyPerson => vec![name("/name")],
        FormKind::RightsCase => vec![name("/complainant/name")],
        _ => vec![describe(kind, body)],
    };
    parts
        .into_iter()
        .chain([date_of(kind, body)])
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" · ")
}

/// What a receipt keeps of a sent form's body: nothing of the kinds about people (visit
/// records, key persons, rights cases, model-home applications with their staff's names);
/// of a meeting its date, village and theme (the next month's theme suggestion reads them);
/// the unit-level forms, which name nobody, whole.
pub fn receipt_body(kind: FormKind, body: &Value) -> Value {
    match kind {
        FormKind::Visit | FormKind::KeyPerson | FormKind::RightsCase | FormKind::ModelHome => {
            Value::Null
        }
        FormKind::Meeting => {
            // Inserted one by one: collecting into a map sorts, with its own sorting code.
            let mut kept = serde_json::Map::new();
            for k in ["id", "org_unit", "date", "theme"] {
                if let Some(v) = body.get(k) {
                    kept.insert(k.to_owned(), v.clone());
                }
            }
            Value::Object(kept)
        }
        FormKind::MonthlyReport | FormKind::SelfAssessment | FormKind::TownAssessment => {
            body.clone()
        }
    }
}

/// 续办: the form of a stored record of `kind` (the `record` of `GET /api/<kind>/<id>`), as
/// its draft holds it, with the record's id: the stored record read by `shared` and turned back
/// into its form (`to_input`, the same for every kind). `None` when the record does not read.
pub fn stored_form(kind: FormKind, record: &Value) -> Option<(uuid::Uuid, Value)> {
    fn via<R: serde::de::DeserializeOwned, I: Serialize>(
        record: &Value,
        to_input: fn(&R) -> I,
    ) -> Option<Value> {
        let r: R = crate::from_value(record).ok()?;
        crate::to_value(&to_input(&r)).ok()
    }
    let input = match kind {
        FormKind::Visit => via(record, shared::VisitRecord::to_input),
        FormKind::KeyPerson => via(record, shared::register::KeyPerson::to_input),
        FormKind::Meeting => via(record, shared::council::Meeting::to_input),
        FormKind::MonthlyReport => via(record, shared::monthly::MonthlyReport::to_input),
        FormKind::RightsCase => via(record, shared::case::RightsCase::to_input),
        FormKind::SelfAssessment => via(record, shared::standards::SelfAssessment::to_input),
        FormKind::ModelHome => via(record, shared::model_home::ModelHomeApplication::to_input),
        FormKind::TownAssessment => via(record, shared::rubric::TownAssessment::to_input),
    }?;
    let id = input.get("id")?.as_str()?.parse().ok()?;
    Some((id, input))
}

/// What a 续办 of `kind` is for, on the banner of the form holding the change.
pub fn change_hint(kind: FormKind, lang: Lang) -> &'static str {
    match kind {
        FormKind::Visit => lang.pick(
            "填写化解日期、跟踪回访等后提交，保存为新版本。",
            "add the date resolved, follow-ups and so on, then submit; it is stored as a new version.",
        ),
        FormKind::RightsCase => lang.pick(
            "补录后续环节后提交；已提交的环节不能修改。",
            "add the next stages and submit; stored stages cannot change.",
        ),
        FormKind::ModelHome => lang.pick(
            "补充审核意见或更正内容后提交，保存为新版本；已签署的意见不能修改。",
            "add the next opinion or correct the application, then submit; opinions given cannot change.",
        ),
        _ => lang.pick(
            "修改后提交，保存为此记录的新版本。",
            "change what is needed and submit; it is stored as the record's next version.",
        ),
    }
}
