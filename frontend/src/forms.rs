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
        let r: R = shared::json::read_value(record).ok()?;
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
        // The city's: its 续办 is in the staff build only (app_build.rs), which keeps the
        // rubric's readers out of the village build.
        FormKind::TownAssessment if cfg!(feature = "staff") => {
            via(record, shared::rubric::TownAssessment::to_input)
        }
        FormKind::TownAssessment => None,
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

/// Field names of the stored forms, in about the order the forms ask for them: the full record
/// lists its fields in this order, unknown ones last.
pub const FIELDS: &[(&str, &str, &str)] = &[
    ("org_unit", "所属单位", "Unit"),
    ("year", "年度", "Year"),
    ("month", "月份", "Month"),
    ("date", "日期", "Date"),
    ("visit_date", "走访日期", "Visit date"),
    ("assessed_on", "自评日期", "Assessed on"),
    ("applicant_unit", "申报单位", "Applicant"),
    ("town", "镇（街道）", "Town"),
    ("name", "姓名", "Name"),
    ("phone", "联系电话", "Phone"),
    ("address", "家庭住址", "Address"),
    ("age", "年龄", "Age"),
    ("family_role", "家庭角色", "Family role"),
    ("parties", "当事人", "Parties"),
    ("complainant", "申请人", "Complainant"),
    ("respondent", "被申请人", "Respondent"),
    ("category", "类别", "Category"),
    ("area", "权益类别", "Area"),
    ("channel", "来源渠道", "Channel"),
    ("standard", "标准", "Standard"),
    ("severe_violence", "严重家庭暴力", "Severe violence"),
    (
        "victim_lacks_capacity",
        "受害人为无/限制民事行为能力人",
        "Victim lacks capacity",
    ),
    ("escalation", "风险研判", "Risk signs"),
    ("may_turn_criminal", "易发生民转刑", "May turn criminal"),
    ("may_intensify", "可能激化成较大矛盾", "May intensify"),
    ("hard_to_control", "局面较难控制", "Hard to control"),
    ("unstable_signs", "存在不稳定苗头", "Unstable signs"),
    ("tier_raise", "提级处置", "Tier raised"),
    ("tier", "处置层级", "Tier"),
    ("by", "经办人", "By"),
    ("summary", "情况概述", "Summary"),
    ("facts", "事实", "Facts"),
    ("request", "诉求", "Request"),
    ("handling", "办理情况", "Handling"),
    ("reports", "上报情况", "Reported to"),
    ("police", "公安机关", "Police"),
    ("city_federation", "市妇联", "City federation"),
    ("village_committee", "村（社区）两委", "Village committee"),
    ("town_federation", "镇（区、街道）妇联", "Town federation"),
    ("woman", "妇女", "Woman"),
    ("poor", "贫困", "Poor"),
    ("severe_disability", "重度残疾", "Severe disability"),
    ("single_parent", "单亲", "Single parent"),
    ("child", "儿童", "Child"),
    ("left_behind", "留守", "Left behind"),
    ("orphan", "孤儿", "Orphan"),
    ("in_hardship", "困境", "In hardship"),
    ("other", "其他", "Other"),
    ("care", "关爱帮扶", "Care"),
    ("content", "内容", "Content"),
    ("theme", "主题", "Theme"),
    ("must_discuss", "必议事项", "Must discuss"),
    ("convener", "召集人", "Convener"),
    ("recorder", "记录人", "Recorder"),
    ("attendees", "参会人员", "Attendees"),
    ("topics", "议题", "Topics"),
    ("topic", "题目", "Topic"),
    ("discussion", "讨论情况", "Discussion"),
    ("votes_for", "赞成", "For"),
    ("votes_against", "反对", "Against"),
    ("abstentions", "弃权", "Abstentions"),
    ("disputes", "矛盾纠纷", "Disputes"),
    ("violence", "家庭暴力", "Domestic violence"),
    ("child_abuse", "未成年人性侵线索", "Child abuse clues"),
    ("items", "发现情况", "Found"),
    ("party", "当事人", "Party"),
    ("visit_id", "关联走访记录编号", "Visit record id"),
    ("zero_report", "零上报", "Zero report"),
    ("households_visited", "走访户数", "Households visited"),
    ("new_items", "新增（A/B/C）", "New (A/B/C)"),
    ("resolved", "化解", "Resolved"),
    ("carried_over", "上月结转", "Carried over"),
    ("meeting_held", "召开议事会", "Meeting held"),
    ("stages", "办理环节", "Stages"),
    ("stage", "环节", "Stage"),
    ("handler", "经办人", "Handler"),
    ("note", "说明", "Note"),
    ("result", "结果", "Result"),
    ("complexity", "复杂程度", "Complexity"),
    ("satisfaction", "满意度", "Satisfaction"),
    ("petition", "信访", "Petition"),
    ("kind", "信访类型", "Petition kind"),
    ("reported_on", "上报日期", "Reported on"),
    ("reported_to", "上报单位", "Reported to"),
    ("referral", "转交", "Referral"),
    ("forward", "转送综治工作中心", "Forwarded"),
    ("to", "转报单位", "Referred to"),
    ("department", "交办部门", "Department"),
    ("feedback", "处理结果反馈", "Feedback"),
    ("feedback_on", "反馈日期", "Feedback on"),
    ("follow_ups", "跟踪回访", "Follow-ups"),
    ("outcome", "情况", "Outcome"),
    ("ticked", "已具备", "Ticked"),
    ("counts", "数量", "Counts"),
    ("funds", "经费", "Funds"),
    ("annual", "年度经费", "Annual funds"),
    ("not_applicable", "不适用", "Not applicable"),
    ("assessor", "自评人", "Assessor"),
    ("head_name", "负责人", "Head"),
    ("head_title", "职务", "Title"),
    ("annual_funds", "年度经费", "Annual funds"),
    ("resident_women", "常住妇女人数", "Resident women"),
    ("full_time_staff", "专职人员", "Full-time staff"),
    ("part_time_staff", "兼职人员", "Part-time staff"),
    ("featured_activities", "特色活动", "Featured activities"),
    ("standardisation", "规范化建设情况", "Standardisation"),
    ("opinions", "审核意见", "Opinions"),
    ("district", "区", "District"),
    ("city", "市", "City"),
    ("decision", "意见", "Decision"),
    ("text", "内容", "Text"),
    ("rubric_year", "考核细则年度", "Rubric year"),
    ("answers", "考核项", "Answers"),
    ("bonus", "加分", "Bonus"),
    ("remarks", "备注", "Remarks"),
    ("visitor", "排查、走访人", "Visitor"),
    ("resolved_on", "化解日期", "Resolved on"),
    ("id", "编号", "Id"),
];

/// A stored form's field in words (`parties` → 当事人); an unknown one as it is.
pub fn field_label(key: &str, lang: Lang) -> String {
    FIELDS
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, zh, en)| lang.pick(zh, en).to_owned())
        .unwrap_or_else(|| key.to_owned())
}

/// A field as field errors and merges name it (`parties[0].phone`), in words: 当事人 第1项 › 联系电话.
pub fn field_path_label(path: &str, lang: Lang) -> String {
    path.split('.')
        .map(|part| match part.split_once('[') {
            Some((name, rest)) => {
                let n = rest
                    .trim_end_matches(']')
                    .parse::<usize>()
                    .map_or(0, |i| i + 1);
                match lang {
                    Lang::Zh => format!("{} 第{n}项", field_label(name, lang)),
                    Lang::En => format!("{} #{n}", field_label(name, lang)),
                }
            }
            None => field_label(part, lang),
        })
        .collect::<Vec<_>>()
        .join(" › ")
}
