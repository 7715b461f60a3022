//! 维权个案 — a case at a women's rights station (维权站), SPEC §2.5, seed 001 §3 and §6(二).
//!
//! A case moves forward through 申请 → 受理 → 调查 → 处理 → 结案 → 回访. Each stage is recorded
//! once, with its date, handler and note, and stays as recorded: a later edit may only append
//! the next stage ([`RightsCase::check_transition`]). The complexity chosen at acceptance sets
//! the reply deadline, counted from the acceptance date.
//!
//! "Replied" means the 处理 stage is recorded: handling is when the station gives the
//! complainant its answer; closing may wait for a department's feedback.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::calendar::{Counted, WorkCalendar, missing_warnings};
use crate::error::{Collector, Problem, ValidationErrors};
use crate::lang::Lang;
use crate::time::add_months;
use crate::value::{
    PersonName, Phone, Text, earliest_date, parse_optional_past_date, parse_past_date,
};
use crate::visit::Satisfaction;
use crate::warning::{Warning, WarningCode};

/// 一般个案: "7个工作日内答复".
pub const ORDINARY_REPLY_WORKING_DAYS: u32 = 7;
/// `case.due_soon` is raised when at most this many working days are left (SPEC §4).
pub const DUE_SOON_WORKING_DAYS: i64 = 2;
/// `case.closed_without_revisit` is raised when a closed case has had no 回访 for more than
/// this many calendar days. The seed gives no period; 30 days matches the follow-up rule of
/// SPEC §3.4.
pub const REVISIT_WITHIN_DAYS: i64 = 30;

choice! {
    /// 来源渠道: how the complaint came in (001 §4(一): "来电有人听、来信有人复、来访有人接").
    Channel {
        /// 来信.
        Letter = "letter", "来信", "Letter";
        /// 来电.
        Phone = "phone", "来电", "Phone call";
        /// 来访.
        Visit = "visit", "来访", "Visit";
        /// 网上: not in the 2010 seed; SPEC §2.5 adds it.
        Online = "online", "网上", "Online";
    }
}

choice! {
    /// 权益类别 (001 §3(一)3).
    RightsArea {
        /// 政治权利.
        Political = "political", "政治权利", "Political rights";
        /// 文化教育权益.
        CultureEducation = "culture_education", "文化教育权益", "Cultural and educational rights";
        /// 劳动和社会保障权益.
        LabourSocialSecurity = "labour_social_security", "劳动和社会保障权益",
            "Labour and social-security rights";
        /// 财产权益.
        Property = "property", "财产权益", "Property rights";
        /// 人身权利.
        Personal = "personal", "人身权利", "Personal rights";
        /// 婚姻家庭权益.
        MarriageFamily = "marriage_family", "婚姻家庭权益", "Marriage and family rights";
    }
}

choice! {
    /// 办理环节, in their only order: "申请→受理→调查→处理→结案→回访".
    Stage {
        /// 申请: the complaint is received and registered.
        Applied = "applied", "申请", "Applied";
        /// 受理: accepted, complexity set.
        Accepted = "accepted", "受理", "Accepted";
        /// 调查.
        Investigated = "investigated", "调查", "Investigated";
        /// 处理: the station's answer; counts as the reply for the deadline.
        Handled = "handled", "处理", "Handled";
        /// 结案: needs a result.
        Closed = "closed", "结案", "Closed";
        /// 回访: needs the complainant's satisfaction.
        Revisited = "revisited", "回访", "Revisited";
    }
}

choice! {
    /// 个案类别, chosen at acceptance: "简单个案即时答复、一般个案7个工作日内答复、复杂个案1个月内答复、
    /// 疑难个案及时转报上级主管部门并跟踪协调解决".
    Complexity {
        /// 简单: reply the same day.
        Simple = "simple", "简单", "Simple";
        /// 一般: reply within 7 working days.
        Ordinary = "ordinary", "一般", "Ordinary";
        /// 复杂: reply within one calendar month.
        Complex = "complex", "复杂", "Complex";
        /// 疑难: refer up at once, then track; no reply deadline of its own.
        Difficult = "difficult", "疑难", "Difficult";
    }
}

choice! {
    /// 须上报的信访 (001 §6(二)(2): "对涉及妇女儿童权益的重大、紧急信访或集体访、异常访，要及时上报
    /// 上级妇联组织、上级维护妇女儿童合法权益协调组织").
    PetitionKind {
        /// 集体访.
        Group = "group", "集体访", "Group petition";
        /// 异常访.
        Abnormal = "abnormal", "异常访", "Abnormal petition";
        /// 重大、紧急信访: same duty in the seed, though SPEC §2.5 names only the other two.
        MajorUrgent = "major_urgent", "重大、紧急信访", "Major or urgent petition";
    }
}

impl Stage {
    /// Position in the workflow, 0 for 申请.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The stage after this one; `None` after 回访.
    pub fn next(self) -> Option<Stage> {
        Self::ALL.get(self.index() + 1).copied()
    }
}

impl Complexity {
    /// The reply deadline for a case accepted on `accepted_on`; `None` for 疑难, which is
    /// referred up instead (tracked by `case.difficult_not_referred`).
    pub fn reply_deadline(
        self,
        accepted_on: NaiveDate,
        calendar: &WorkCalendar,
    ) -> Option<Counted<NaiveDate>> {
        match self {
            Complexity::Simple => Some(Counted::exact(accepted_on)),
            Complexity::Ordinary => {
                Some(calendar.add_working_days(accepted_on, ORDINARY_REPLY_WORKING_DAYS))
            }
            // A calendar month, day clamped (31 Jan → 28/29 Feb); not moved off holidays,
            // the seed saying only "1个月内".
            Complexity::Complex => Some(Counted::exact(add_months(accepted_on, 1))),
            Complexity::Difficult => None,
        }
    }
}

/// 申请人 as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ComplainantInput {
    pub name: String,
    pub phone: String,
}

/// One 办理环节 as typed. `complexity` belongs to 受理 only, `result` to 结案 only,
/// `satisfaction` to 回访 only; elsewhere they must stay empty.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StageInput {
    /// A [`Stage`] code.
    pub stage: String,
    pub date: String,
    /// 经办人.
    pub handler: String,
    pub note: String,
    /// A [`Complexity`] code.
    pub complexity: String,
    pub result: String,
    /// A [`Satisfaction`] code.
    pub satisfaction: String,
}

/// 转报上级 as typed (all empty: not referred).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReferralInput {
    pub date: String,
    /// To whom, e.g. 市妇联.
    pub to: String,
}

/// 转送综治工作中心 as typed (all empty: not forwarded).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ForwardInput {
    pub date: String,
    /// 分流交办部门: the department the centre dispatched it to.
    pub department: String,
    /// 部门处理结果反馈.
    pub feedback: String,
    pub feedback_on: String,
}

/// 集体访、异常访 as typed (all empty: an ordinary case).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PetitionInput {
    /// A [`PetitionKind`] code.
    pub kind: String,
    pub reported_on: String,
    pub reported_to: String,
}

/// 维权个案 as typed: the draft the app keeps and the body it posts. Missing fields default to
/// empty; unknown fields are refused.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CaseInput {
    /// Client-generated; makes submission idempotent.
    pub id: Uuid,
    /// 所属单位: the station's org unit.
    pub org_unit: String,
    /// A [`Channel`] code.
    pub channel: String,
    /// A [`RightsArea`] code.
    pub area: String,
    pub complainant: ComplainantInput,
    /// 对方当事人 (may be empty).
    pub respondent: String,
    /// 事实与理由.
    pub facts: String,
    /// 诉求.
    pub request: String,
    /// In workflow order, starting with 申请.
    pub stages: Vec<StageInput>,
    pub referral: ReferralInput,
    pub forward: ForwardInput,
    pub petition: PetitionInput,
}

/// 申请人.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Complainant {
    pub name: PersonName,
    /// Optional: a letter may come without one.
    pub phone: Option<Phone>,
}

/// One recorded 办理环节.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageEntry {
    pub stage: Stage,
    pub date: NaiveDate,
    /// 经办人.
    pub handler: PersonName,
    pub note: Option<Text<1000>>,
    /// Set on 受理, and only there.
    pub complexity: Option<Complexity>,
    /// 办理结果: set on 结案, and only there.
    pub result: Option<Text<1000>>,
    /// Set on 回访, and only there.
    pub satisfaction: Option<Satisfaction>,
}

/// 转报上级: a difficult case referred up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Referral {
    pub date: NaiveDate,
    pub to: Option<Text<60>>,
}

/// 转送综治工作中心: "由维权站转送综治工作中心（室），由综治工作中心（室）协调并分流交办相关部门予以解决。
/// 相关部门要将处理结果反馈至维权站。"
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Forward {
    pub date: NaiveDate,
    pub department: Option<Text<100>>,
    pub feedback: Option<Text<1000>>,
    /// Set exactly when `feedback` is.
    pub feedback_on: Option<NaiveDate>,
}

/// 须上报的信访 and its report up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Petition {
    pub kind: PetitionKind,
    pub reported_on: Option<NaiveDate>,
    pub reported_to: Option<Text<60>>,
}

/// 维权个案: a checked case. Only [`RightsCase::parse`] makes one.
///
/// `stages` is never empty and is a prefix of [`Stage::ALL`], dates non-decreasing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RightsCase {
    pub id: Uuid,
    pub org_unit: Text<60>,
    pub channel: Channel,
    pub area: RightsArea,
    pub complainant: Complainant,
    pub respondent: Option<Text<100>>,
    pub facts: Text<2000>,
    pub request: Text<1000>,
    pub stages: Vec<StageEntry>,
    pub referral: Option<Referral>,
    pub forward: Option<Forward>,
    pub petition: Option<Petition>,
}

/// `YYYY-MM-DD` (NaiveDate's `Display`; chrono's `format` costs the app ~5 KB).
fn ymd(d: NaiveDate) -> String {
    d.to_string()
}

fn opt_text<const N: usize>(t: &Option<Text<N>>) -> String {
    t.as_ref()
        .map(|t| t.as_str().to_owned())
        .unwrap_or_default()
}

/// A stage field's label, e.g. ("受理日期", "Accepted stage date"); by position when the
/// stage code itself is unreadable.
fn stage_label(i: usize, stage: Option<Stage>, zh: &str, en: &str) -> (String, String) {
    match stage {
        Some(s) => (
            format!("{}{zh}", s.label(Lang::Zh)),
            format!("{} stage {en}", s.label(Lang::En))
                .trim_end()
                .to_owned(),
        ),
        None => (
            format!("环节{}{zh}", i + 1),
            format!("Stage {} {en}", i + 1).trim_end().to_owned(),
        ),
    }
}

fn pair(l: &(String, String)) -> (&str, &str) {
    (&l.0, &l.1)
}

fn out_of_order(expected: Option<Stage>) -> Problem {
    match expected {
        Some(s) => Problem::StageOutOfOrder {
            expected: s.label(Lang::Zh).to_owned(),
            expected_en: s.label(Lang::En).to_owned(),
        },
        None => Problem::AfterLastStage,
    }
}

fn locked() -> Problem {
    Problem::Locked
}

fn not_for_stage(owner: Stage) -> Problem {
    Problem::NotForThisStage {
        stage: owner.label(Lang::Zh).to_owned(),
        stage_en: owner.label(Lang::En).to_owned(),
    }
}

impl CaseInput {
    /// A new draft received `today`: one 申请 row dated today.
    pub fn blank(id: Uuid, today: NaiveDate) -> Self {
        CaseInput {
            id,
            stages: vec![StageInput {
                stage: Stage::Applied.code().into(),
                date: ymd(today),
                ..Default::default()
            }],
            ..Default::default()
        }
    }
}

impl RightsCase {
    /// Checks every field of `input`, `today` being the date in China (no date may lie after
    /// it). Returns all field errors at once.
    pub fn parse(input: &CaseInput, today: NaiveDate) -> Result<RightsCase, ValidationErrors> {
        let mut c = Collector::default();
        if input.id.is_nil() {
            // The client makes the id; without one a retry could not be told from a new record.
            c.push("id", ("编号", "Id"), Problem::Required);
        }

        let org_unit = c.take(
            "org_unit",
            ("所属单位", "Unit"),
            Text::parse(&input.org_unit),
        );
        let channel = c.take(
            "channel",
            ("来源渠道", "Channel"),
            Channel::parse(&input.channel),
        );
        let area = c.take(
            "area",
            ("权益类别", "Rights area"),
            RightsArea::parse(&input.area),
        );
        let name = c.take(
            "complainant.name",
            ("申请人姓名", "Complainant name"),
            PersonName::parse(&input.complainant.name),
        );
        let phone = c.take(
            "complainant.phone",
            ("申请人联系电话", "Complainant phone"),
            Phone::parse_optional(&input.complainant.phone),
        );
        let respondent = c.take(
            "respondent",
            ("对方当事人", "Respondent"),
            Text::parse_optional(&input.respondent),
        );
        let facts = c.take("facts", ("事实与理由", "Facts"), Text::parse(&input.facts));
        let request = c.take("request", ("诉求", "Request"), Text::parse(&input.request));

        let stages = parse_stages(&mut c, &input.stages, today);
        // Reports, referrals and forwards come after the complaint.
        let applied_on = stages.first().map_or_else(earliest_date, |s| s.date);

        let r = &input.referral;
        let referral = if r.date.trim().is_empty() && r.to.trim().is_empty() {
            None
        } else {
            let date = c.take(
                "referral.date",
                ("转报上级日期", "Date referred up"),
                parse_past_date(&r.date, applied_on, today),
            );
            let to = c.take(
                "referral.to",
                ("转报单位", "Referred to"),
                Text::parse_optional(&r.to),
            );
            date.zip(to).map(|(date, to)| Referral { date, to })
        };

        let fw = &input.forward;
        let forward = if [&fw.date, &fw.department, &fw.feedback, &fw.feedback_on]
            .iter()
            .all(|s| s.trim().is_empty())
        {
            None
        } else {
            let date = c.take(
                "forward.date",
                (
                    "转送综治工作中心日期",
                    "Date forwarded to the governance centre",
                ),
                parse_past_date(&fw.date, applied_on, today),
            );
            let department = c.take(
                "forward.department",
                ("分流交办部门", "Department assigned"),
                Text::parse_optional(&fw.department),
            );
            let feedback = c.take(
                "forward.feedback",
                ("部门反馈", "Department feedback"),
                Text::parse_optional(&fw.feedback),
            );
            let feedback_on = c.take(
                "forward.feedback_on",
                ("反馈日期", "Feedback date"),
                parse_optional_past_date(&fw.feedback_on, date.unwrap_or(applied_on), today),
            );
            // Feedback and its date go together.
            if matches!(feedback, Some(Some(_))) && fw.feedback_on.trim().is_empty() {
                c.push(
                    "forward.feedback_on",
                    ("反馈日期", "Feedback date"),
                    Problem::Required,
                );
            }
            if matches!(feedback_on, Some(Some(_))) && fw.feedback.trim().is_empty() {
                c.push(
                    "forward.feedback",
                    ("部门反馈", "Department feedback"),
                    Problem::Required,
                );
            }
            match (date, department, feedback, feedback_on) {
                (Some(date), Some(department), Some(feedback), Some(feedback_on)) => {
                    Some(Forward {
                        date,
                        department,
                        feedback,
                        feedback_on,
                    })
                }
                _ => None,
            }
        };

        let p = &input.petition;
        let petition = if [&p.kind, &p.reported_on, &p.reported_to]
            .iter()
            .all(|s| s.trim().is_empty())
        {
            None
        } else {
            let kind = c.take(
                "petition.kind",
                ("信访类型", "Petition type"),
                PetitionKind::parse(&p.kind),
            );
            let reported_on = c.take(
                "petition.reported_on",
                ("上报日期", "Date reported up"),
                parse_optional_past_date(&p.reported_on, applied_on, today),
            );
            let reported_to = c.take(
                "petition.reported_to",
                ("上报单位", "Reported to"),
                Text::parse_optional(&p.reported_to),
            );
            match (kind, reported_on, reported_to) {
                (Some(kind), Some(reported_on), Some(reported_to)) => Some(Petition {
                    kind,
                    reported_on,
                    reported_to,
                }),
                _ => None,
            }
        };

        c.finish()?;
        let (
            Some(org_unit),
            Some(channel),
            Some(area),
            Some(name),
            Some(phone),
            Some(respondent),
            Some(facts),
            Some(request),
        ) = (
            org_unit, channel, area, name, phone, respondent, facts, request,
        )
        else {
            unreachable!("every missing value recorded an error");
        };
        Ok(RightsCase {
            id: input.id,
            org_unit,
            channel,
            area,
            complainant: Complainant { name, phone },
            respondent,
            facts,
            request,
            stages,
            referral,
            forward,
            petition,
        })
    }

    /// Checks that `new` (an edit of the stored `old`) only moves forward: every recorded stage
    /// keeps everything it was stored with (stage, date, handler, note, complexity, result and
    /// satisfaction: the README promises stored stages cannot change), none is removed, and recorded referral, forward and report dates stay. Both cases have
    /// already been parsed.
    pub fn check_transition(old: &RightsCase, new: &RightsCase) -> Result<(), ValidationErrors> {
        let mut c = Collector::default();
        if old.id != new.id {
            c.push("id", ("个案编号", "Case id"), locked());
            return c.finish();
        }
        for (i, o) in old.stages.iter().enumerate() {
            let s = Some(o.stage);
            let Some(n) = new.stages.get(i) else {
                c.push(
                    format!("stages[{i}]"),
                    pair(&stage_label(i, s, "环节", "")),
                    locked(),
                );
                continue;
            };
            let f = |name: &str| format!("stages[{i}].{name}");
            if n.stage != o.stage {
                c.push(f("stage"), pair(&stage_label(i, s, "环节", "")), locked());
            }
            if n.date != o.date {
                c.push(
                    f("date"),
                    pair(&stage_label(i, s, "日期", "date")),
                    locked(),
                );
            }
            if n.handler != o.handler {
                c.push(
                    f("handler"),
                    pair(&stage_label(i, s, "经办人", "handler")),
                    locked(),
                );
            }
            if n.note != o.note {
                c.push(
                    f("note"),
                    pair(&stage_label(i, s, "备注", "note")),
                    locked(),
                );
            }
            if n.complexity != o.complexity {
                c.push(
                    f("complexity"),
                    pair(&stage_label(i, s, "个案类别", "complexity")),
                    locked(),
                );
            }
            if n.result != o.result {
                c.push(
                    f("result"),
                    pair(&stage_label(i, s, "结果", "result")),
                    locked(),
                );
            }
            if n.satisfaction != o.satisfaction {
                c.push(
                    f("satisfaction"),
                    pair(&stage_label(i, s, "满意度", "satisfaction")),
                    locked(),
                );
            }
        }
        let kept = |old: Option<NaiveDate>, new: Option<NaiveDate>| old.is_none() || old == new;
        if !kept(
            old.referral.as_ref().map(|r| r.date),
            new.referral.as_ref().map(|r| r.date),
        ) {
            c.push(
                "referral.date",
                ("转报上级日期", "Date referred up"),
                locked(),
            );
        }
        if !kept(
            old.forward.as_ref().map(|f| f.date),
            new.forward.as_ref().map(|f| f.date),
        ) {
            c.push(
                "forward.date",
                (
                    "转送综治工作中心日期",
                    "Date forwarded to the governance centre",
                ),
                locked(),
            );
        }
        if !kept(
            old.petition.as_ref().and_then(|p| p.reported_on),
            new.petition.as_ref().and_then(|p| p.reported_on),
        ) {
            c.push(
                "petition.reported_on",
                ("上报日期", "Date reported up"),
                locked(),
            );
        }
        c.finish()
    }

    /// The recorded entry of `stage`, if reached.
    pub fn stage(&self, stage: Stage) -> Option<&StageEntry> {
        self.stages.get(stage.index())
    }

    /// The last stage recorded.
    pub fn current_stage(&self) -> Stage {
        self.stages.last().map_or(Stage::Applied, |s| s.stage)
    }

    /// The stage to record next; `None` once revisited.
    pub fn next_stage(&self) -> Option<Stage> {
        self.current_stage().next()
    }

    /// 申请日期.
    pub fn applied_on(&self) -> NaiveDate {
        self.stages.first().map_or_else(earliest_date, |s| s.date)
    }

    /// 受理日期: the deadline counts from here.
    pub fn accepted_on(&self) -> Option<NaiveDate> {
        self.stage(Stage::Accepted).map(|s| s.date)
    }

    pub fn complexity(&self) -> Option<Complexity> {
        self.stage(Stage::Accepted).and_then(|s| s.complexity)
    }

    /// 答复日期: the 处理 stage.
    pub fn replied_on(&self) -> Option<NaiveDate> {
        self.stage(Stage::Handled).map(|s| s.date)
    }

    pub fn closed_on(&self) -> Option<NaiveDate> {
        self.stage(Stage::Closed).map(|s| s.date)
    }

    pub fn result(&self) -> Option<&Text<1000>> {
        self.stage(Stage::Closed).and_then(|s| s.result.as_ref())
    }

    pub fn satisfaction(&self) -> Option<Satisfaction> {
        self.stage(Stage::Revisited).and_then(|s| s.satisfaction)
    }

    /// 答复期限: `None` before acceptance and for 疑难 cases.
    pub fn reply_deadline(&self, calendar: &WorkCalendar) -> Option<Counted<NaiveDate>> {
        let accepted_on = self.accepted_on()?;
        self.complexity()?.reply_deadline(accepted_on, calendar)
    }

    /// Whether the reply came after the deadline; `None` while unreplied or without deadline.
    pub fn replied_late(&self, calendar: &WorkCalendar) -> Option<bool> {
        let replied = self.replied_on()?;
        Some(replied > self.reply_deadline(calendar)?.value)
    }

    /// The warnings of this case as of `today`; see [`case_warnings`].
    pub fn warnings(&self, calendar: &WorkCalendar, today: NaiveDate) -> Vec<Warning> {
        case_warnings(self, calendar, today)
    }

    /// What putting `new` in place of `old` does to the reply deadline of this case while it
    /// is open (accepted, not yet replied to): `None` when nothing changes — neither the date
    /// nor the years it had to guess.
    pub fn deadline_change(
        &self,
        old: &WorkCalendar,
        new: &WorkCalendar,
    ) -> Option<DeadlineChange> {
        if self.replied_on().is_some() {
            return None;
        }
        let (old, new) = (self.reply_deadline(old)?, self.reply_deadline(new)?);
        (old != new).then_some(DeadlineChange { old, new })
    }

    /// The form again, for editing a stored case.
    pub fn to_input(&self) -> CaseInput {
        let stages = self
            .stages
            .iter()
            .map(|s| StageInput {
                stage: s.stage.code().into(),
                date: ymd(s.date),
                handler: s.handler.as_str().into(),
                note: opt_text(&s.note),
                complexity: s.complexity.map(|c| c.code().into()).unwrap_or_default(),
                result: opt_text(&s.result),
                satisfaction: s.satisfaction.map(|x| x.code().into()).unwrap_or_default(),
            })
            .collect();
        CaseInput {
            id: self.id,
            org_unit: self.org_unit.as_str().into(),
            channel: self.channel.code().into(),
            area: self.area.code().into(),
            complainant: ComplainantInput {
                name: self.complainant.name.as_str().into(),
                phone: self
                    .complainant
                    .phone
                    .as_ref()
                    .map(|p| p.as_str().into())
                    .unwrap_or_default(),
            },
            respondent: opt_text(&self.respondent),
            facts: self.facts.as_str().into(),
            request: self.request.as_str().into(),
            stages,
            referral: self
                .referral
                .as_ref()
                .map(|r| ReferralInput {
                    date: ymd(r.date),
                    to: opt_text(&r.to),
                })
                .unwrap_or_default(),
            forward: self
                .forward
                .as_ref()
                .map(|f| ForwardInput {
                    date: ymd(f.date),
                    department: opt_text(&f.department),
                    feedback: opt_text(&f.feedback),
                    feedback_on: f.feedback_on.map(ymd).unwrap_or_default(),
                })
                .unwrap_or_default(),
            petition: self
                .petition
                .as_ref()
                .map(|p| PetitionInput {
                    kind: p.kind.code().into(),
                    reported_on: p.reported_on.map(ymd).unwrap_or_default(),
                    reported_to: opt_text(&p.reported_to),
                })
                .unwrap_or_default(),
        }
    }
}

/// What a case's deadline and warnings depend on: taken from a checked case
/// ([`RightsCase::facts`]), or read leniently from a form still being typed
/// ([`CaseInput::preview_facts`]), so that the app's live preview and the server compute them
/// with the same code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseFacts {
    pub id: Uuid,
    /// The stages reached, in workflow order from 申请 (a prefix of [`Stage::ALL`]), each with
    /// its date once one is known.
    pub stages: Vec<(Stage, Option<NaiveDate>)>,
    /// 个案类别, chosen at 受理.
    pub complexity: Option<Complexity>,
    /// A 转报上级 date is recorded.
    pub referred: bool,
    /// A petition that must be reported up, and the date it was.
    pub petition: Option<(PetitionKind, Option<NaiveDate>)>,
}

impl CaseFacts {
    /// Whether `stage` is recorded.
    pub fn reached(&self, stage: Stage) -> bool {
        self.stages.len() > stage.index()
    }

    /// The date of `stage`, if reached and dated.
    pub fn date_of(&self, stage: Stage) -> Option<NaiveDate> {
        self.stages.get(stage.index()).and_then(|(_, d)| *d)
    }

    /// The last stage recorded; `None` before 申请.
    pub fn current_stage(&self) -> Option<Stage> {
        self.stages.last().map(|(s, _)| *s)
    }

    /// The only stage that may be recorded next; `None` once revisited.
    pub fn next_stage(&self) -> Option<Stage> {
        match self.current_stage() {
            None => Some(Stage::Applied),
            Some(s) => s.next(),
        }
    }

    /// 答复期限: from the 受理 date and the complexity; `None` until both are known, and for
    /// 疑难 cases.
    pub fn reply_deadline(&self, calendar: &WorkCalendar) -> Option<Counted<NaiveDate>> {
        let accepted_on = self.date_of(Stage::Accepted)?;
        self.complexity?.reply_deadline(accepted_on, calendar)
    }

    /// Everything the rules say about the case as of `today`.
    pub fn assess(&self, calendar: &WorkCalendar, today: NaiveDate) -> CaseAssessment {
        let reply_deadline = self.reply_deadline(calendar);
        let replied_on = self.date_of(Stage::Handled);
        CaseAssessment {
            current_stage: self.current_stage(),
            next_stage: self.next_stage(),
            complexity: self.complexity,
            accepted_on: self.date_of(Stage::Accepted),
            replied_late: replied_on
                .zip(reply_deadline.as_ref())
                .map(|(r, due)| r > due.value),
            reply_deadline,
            warnings: self.warnings(calendar, today),
        }
    }
}

/// What the rules say about a case: computed, never typed. The app shows it while the form is
/// typed ([`CaseInput::preview`]); for a valid form it equals [`RightsCase::assess`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseAssessment {
    /// The last stage recorded; `None` before 申请.
    pub current_stage: Option<Stage>,
    /// The only stage that may be added next; `None` once revisited.
    pub next_stage: Option<Stage>,
    pub complexity: Option<Complexity>,
    pub accepted_on: Option<NaiveDate>,
    /// 答复期限, with the years counted without a holiday table.
    pub reply_deadline: Option<Counted<NaiveDate>>,
    /// Whether 处理 came after the deadline; `None` while unreplied or without deadline.
    pub replied_late: Option<bool>,
    pub warnings: Vec<Warning>,
}

/// The dates the preview believes: a checked form's dates always lie in this window (not
/// before 2000, not after today), and a far-off one typed halfway (year 0002 or 20260 while
/// the year is typed) is not worth counting working days to.
fn preview_date(raw: &str) -> Option<NaiveDate> {
    let date = crate::value::parse_date(raw).ok()?;
    let last = NaiveDate::from_ymd_opt(2100, 12, 31).expect("valid date");
    (earliest_date()..=last).contains(&date).then_some(date)
}

impl CaseInput {
    /// The facts the preview needs, read leniently from a form that may still be half filled:
    /// the stage rows are read while they follow the workflow from 申请, a date or choice that
    /// does not read yet counts as not given. For a valid form this equals
    /// [`RightsCase::facts`] of the parsed case.
    pub fn preview_facts(&self) -> CaseFacts {
        let mut stages: Vec<(Stage, Option<NaiveDate>)> = Vec::new();
        let mut complexity = None;
        for row in &self.stages {
            let expected = match stages.last() {
                None => Some(Stage::Applied),
                Some((s, _)) => s.next(),
            };
            match Stage::parse(&row.stage) {
                Ok(s) if Some(s) == expected => {
                    if s == Stage::Accepted {
                        complexity = Complexity::parse(&row.complexity).ok();
                    }
                    stages.push((s, preview_date(&row.date)));
                }
                _ => break,
            }
        }
        CaseFacts {
            id: self.id,
            stages,
            complexity,
            referred: preview_date(&self.referral.date).is_some(),
            petition: PetitionKind::parse(&self.petition.kind)
                .ok()
                .map(|k| (k, preview_date(&self.petition.reported_on))),
        }
    }

    /// The preview shown while typing: stages, reply deadline and warnings as of `today`.
    pub fn preview(&self, calendar: &WorkCalendar, today: NaiveDate) -> CaseAssessment {
        self.preview_facts().assess(calendar, today)
    }
}

impl RightsCase {
    /// What the deadline and the warnings depend on.
    pub fn facts(&self) -> CaseFacts {
        CaseFacts {
            id: self.id,
            stages: self
                .stages
                .iter()
                .map(|s| (s.stage, Some(s.date)))
                .collect(),
            complexity: self.complexity(),
            referred: self.referral.is_some(),
            petition: self.petition.as_ref().map(|p| (p.kind, p.reported_on)),
        }
    }

    /// Everything the rules say about the case as of `today`.
    pub fn assess(&self, calendar: &WorkCalendar, today: NaiveDate) -> CaseAssessment {
        self.facts().assess(calendar, today)
    }
}

/// Parses the stage rows: known codes, in workflow order from 申请 with none skipped or
/// repeated, dates not in the future and not before the previous stage, and each stage's own
/// field filled (and only there).
fn parse_stages(c: &mut Collector, rows: &[StageInput], today: NaiveDate) -> Vec<StageEntry> {
    if rows.is_empty() {
        c.push("stages", ("办理环节", "Stages"), Problem::Required);
        return Vec::new();
    }
    let mut out = Vec::with_capacity(rows.len());
    // The previous row's stage: `None` when it could not be read, so order is not judged.
    let mut prev: Option<Option<Stage>> = Some(None);
    let mut prev_date = earliest_date();
    for (i, row) in rows.iter().enumerate() {
        let f = |name: &str| format!("stages[{i}].{name}");
        let stage = Stage::parse(&row.stage).ok();
        let label = |zh: &str, en: &str| stage_label(i, stage, zh, en);

        let expected = prev.map(|p| match p {
            None => Some(Stage::Applied),
            Some(p) => p.next(),
        });
        match (Stage::parse(&row.stage), expected) {
            (Err(p), _) => c.push(f("stage"), pair(&label("环节", "")), p),
            (Ok(s), Some(e)) if Some(s) != e => {
                c.push(f("stage"), pair(&label("环节", "")), out_of_order(e))
            }
            _ => {}
        }
        prev = stage.map(Some);

        let date = c.take(
            f("date"),
            pair(&label("日期", "date")),
            parse_past_date(&row.date, prev_date, today),
        );
        if let Some(d) = date {
            prev_date = d;
        }
        let handler = c.take(
            f("handler"),
            pair(&label("经办人", "handler")),
            PersonName::parse(&row.handler),
        );
        let note = c.take(
            f("note"),
            pair(&label("备注", "note")),
            Text::parse_optional(&row.note),
        );

        // Each stage's own field: required there, refused elsewhere.
        let complexity = owns(
            c,
            stage,
            Stage::Accepted,
            &row.complexity,
            f("complexity"),
            pair(&label("个案类别", "complexity")),
        )
        .map(|(field, l)| c.take(field, pair(&l), Complexity::parse(&row.complexity)));
        let result = owns(
            c,
            stage,
            Stage::Closed,
            &row.result,
            f("result"),
            pair(&label("结果", "result")),
        )
        .map(|(field, l)| c.take(field, pair(&l), Text::parse(&row.result)));
        let satisfaction = owns(
            c,
            stage,
            Stage::Revisited,
            &row.satisfaction,
            f("satisfaction"),
            pair(&label("满意度", "satisfaction")),
        )
        .map(|(field, l)| c.take(field, pair(&l), Satisfaction::parse(&row.satisfaction)));

        // `Some(None)`: the stage's own field failed, its error already recorded.
        let failed = complexity == Some(None) || result == Some(None) || satisfaction == Some(None);
        if let (Some(stage), Some(date), Some(handler), Some(note), false) =
            (stage, date, handler, note, failed)
        {
            out.push(StageEntry {
                stage,
                date,
                handler,
                note,
                complexity: complexity.flatten(),
                result: result.flatten(),
                satisfaction: satisfaction.flatten(),
            });
        }
    }
    out
}

/// Whether the row's `stage` owns this stage-specific field. If so, returns the field key and
/// label to parse it under; if the row is another stage, a filled value is refused.
fn owns(
    c: &mut Collector,
    stage: Option<Stage>,
    owner: Stage,
    raw: &str,
    field: String,
    label: (&str, &str),
) -> Option<(String, (String, String))> {
    match stage {
        Some(s) if s == owner => Some((field, (label.0.to_owned(), label.1.to_owned()))),
        Some(_) if !raw.trim().is_empty() => {
            c.push(field, label, not_for_stage(owner));
            None
        }
        _ => None,
    }
}

/// 期限变化: an open case's reply deadline under the calendar in force and under a new one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlineChange {
    pub old: Counted<NaiveDate>,
    pub new: Counted<NaiveDate>,
}

/// Warnings of one case as of `today`, most severe first (SPEC §4):
///
/// - `case.due_soon` / `case.overdue`: not yet replied (no 处理 stage) and the reply deadline
///   is at most [`DUE_SOON_WORKING_DAYS`] working days away / has passed;
/// - `case.difficult_not_referred`: 疑难 with no referral date, until closed;
/// - `case.closed_without_revisit`: closed more than [`REVISIT_WITHIN_DAYS`] days ago, no 回访;
/// - `case.petition_not_reported`: a group, abnormal or major/urgent petition with no report
///   date, whatever the stage (the report up is owed even when the case is settled);
/// - `calendar.missing`: the open deadline was counted through a year without a table.
pub fn case_warnings(case: &RightsCase, calendar: &WorkCalendar, today: NaiveDate) -> Vec<Warning> {
    case.facts().warnings(calendar, today)
}

impl CaseFacts {
    /// Warnings as of `today`; see [`case_warnings`].
    pub fn warnings(&self, calendar: &WorkCalendar, today: NaiveDate) -> Vec<Warning> {
        let mut out = Vec::new();
        let mut missing = Vec::new();
        let id = self.id;
        let closed = self.reached(Stage::Closed);

        if let (false, Some(due), Some(kind)) = (
            self.reached(Stage::Handled),
            self.reply_deadline(calendar),
            self.complexity,
        ) {
            missing.extend(due.missing_years);
            let due = due.value;
            let (kind_zh, kind_en) = (
                kind.label(Lang::Zh),
                kind.label(Lang::En).to_ascii_lowercase(),
            );
            if today > due {
                let days = (today - due).num_days();
                out.push(Warning::about(
                    WarningCode::CaseOverdue,
                    id,
                    format!("{kind_zh}个案答复期限{}已过{days}天，尚未处理", ymd(due)),
                    format!(
                        "Reply to this {kind_en} case was due on {}, {days} day(s) ago, and it is \
                         not yet handled",
                        ymd(due)
                    ),
                ));
            } else {
                let left = calendar.working_days_between(today, due);
                missing.extend(left.missing_years);
                let left = left.value;
                if left <= DUE_SOON_WORKING_DAYS {
                    let (zh, en) = if due == today {
                        (
                            format!("{kind_zh}个案今天（{}）须答复，尚未处理", ymd(due)),
                            format!(
                                "Reply to this {kind_en} case is due today ({}) and it is not yet \
                                 handled",
                                ymd(due)
                            ),
                        )
                    } else {
                        (
                            format!(
                                "{kind_zh}个案答复期限为{}，还剩{left}个工作日，尚未处理",
                                ymd(due)
                            ),
                            format!(
                                "Reply to this {kind_en} case is due on {}, {left} working day(s) \
                                 left, and it is not yet handled",
                                ymd(due)
                            ),
                        )
                    };
                    out.push(Warning::about(WarningCode::CaseDueSoon, id, zh, en));
                }
            }
        }

        if self.complexity == Some(Complexity::Difficult) && !self.referred && !closed {
            out.push(Warning::about(
                WarningCode::CaseDifficultNotReferred,
                id,
                "疑难个案须及时转报上级主管部门并跟踪协调解决，尚未记录转报日期".into(),
                "Difficult case must be referred up at once and tracked: no referral date recorded"
                    .into(),
            ));
        }

        if let Some(closed_on) = self.date_of(Stage::Closed)
            && !self.reached(Stage::Revisited)
        {
            let days = (today - closed_on).num_days();
            if days > REVISIT_WITHIN_DAYS {
                out.push(Warning::about(
                    WarningCode::CaseClosedWithoutRevisit,
                    id,
                    format!("已结案{days}天，尚未回访"),
                    format!("Closed {days} days ago and not yet revisited"),
                ));
            }
        }

        if let Some((kind, None)) = self.petition {
            out.push(Warning::about(
                WarningCode::CasePetitionNotReported,
                id,
                format!(
                    "{}须及时上报上级妇联组织、上级维护妇女儿童合法权益协调组织，尚未记录上报日期",
                    kind.label(Lang::Zh)
                ),
                format!(
                    "{} must be reported at once to the higher federation and the higher \
                     women's and children's rights body: no report date recorded",
                    kind.label(Lang::En)
                ),
            ));
        }

        crate::order::sort_by(&mut missing, Ord::cmp);
        missing.dedup();
        out.extend(missing_warnings(&missing));
        crate::warning::most_severe_first(&mut out);
        out
    }
}

#[cfg(test)]
mod tests;
