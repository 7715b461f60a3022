//! 排查登记表 — the visit record of 000 附件3 (SPEC §2.1).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{Collector, Problem, ValidationErrors};
use crate::lang::Lang;
use crate::risk::{DisputeTier, Escalation, Reports, RiskFacts, RiskLevel};
use crate::value::{
    Age, PersonName, Phone, Text, earliest_date, parse_optional_past_date, parse_past_date,
};
use crate::warning::{Warning, visit_warnings};

choice! {
    /// 矛盾纠纷、隐患线索类别.
    Category {
        /// A 婚姻家庭纠纷.
        MarriageDispute = "A", "A 婚姻家庭纠纷", "A Marriage/family dispute";
        /// B 家庭暴力现象.
        DomesticViolence = "B", "B 家庭暴力现象", "B Domestic violence";
        /// C 未成年人性侵案件线索.
        ChildSexualAbuse = "C", "C 未成年人性侵案件线索", "C Clue of sexual abuse of a minor";
    }
}

choice! {
    /// 回访满意度.
    Satisfaction {
        /// 满意.
        Satisfied = "satisfied", "满意", "Satisfied";
        /// 基本满意.
        BasicallySatisfied = "basically_satisfied", "基本满意", "Basically satisfied";
        /// 不满意.
        Dissatisfied = "dissatisfied", "不满意", "Dissatisfied";
    }
}

/// 当事人 as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PartyInput {
    pub name: String,
    pub address: String,
    pub age: String,
    pub family_role: String,
    pub phone: String,
}

/// 跟踪回访 as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FollowUpInput {
    pub date: String,
    pub by: String,
    pub outcome: String,
    pub satisfaction: String,
}

/// 报告日期 as typed (`YYYY-MM-DD` or empty).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReportsInput {
    pub police: String,
    pub city_federation: String,
    pub village_committee: String,
    pub town_federation: String,
}

/// 提级处置 as typed: empty tier means "as suggested".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TierRaiseInput {
    /// "two" or "three".
    pub tier: String,
    /// Who raised it.
    pub by: String,
}

/// 提级处置: the user raised the item above the suggested tier, and who did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierRaise {
    pub tier: DisputeTier,
    pub by: PersonName,
}

/// 排查登记表 as typed: the draft the app keeps and the body it posts. Missing fields default to
/// empty, so an incomplete post gets "required" messages rather than a parse failure; unknown
/// fields are refused so a typo in a client cannot silently drop data.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct VisitInput {
    /// Client-generated; makes submission idempotent.
    pub id: Uuid,
    /// 所属村（社区）.
    pub org_unit: String,
    pub parties: Vec<PartyInput>,
    /// "A", "B" or "C".
    pub category: String,
    pub summary: String,
    pub handling: String,
    pub follow_ups: Vec<FollowUpInput>,
    pub remarks: String,
    pub visitor: String,
    pub visit_date: String,
    pub escalation: Escalation,
    pub unstable_signs: bool,
    pub severe_violence: bool,
    pub victim_lacks_capacity: bool,
    /// Empty while unresolved.
    pub resolved_on: String,
    pub reports: ReportsInput,
    pub tier_raise: TierRaiseInput,
}

/// 当事人.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Party {
    pub name: PersonName,
    pub address: Option<Text<100>>,
    pub age: Option<Age>,
    /// 家庭角色, e.g. 妻子, 母亲.
    pub family_role: Option<Text<20>>,
    pub phone: Option<Phone>,
}

/// 跟踪回访: one follow-up visit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FollowUp {
    pub date: NaiveDate,
    pub by: PersonName,
    pub outcome: Option<Text<1000>>,
    pub satisfaction: Satisfaction,
}

/// 排查登记表: a checked visit record. Only [`VisitRecord::parse`] makes one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VisitRecord {
    pub id: Uuid,
    pub org_unit: Text<60>,
    /// At least one.
    pub parties: Vec<Party>,
    pub category: Category,
    /// 矛盾纠纷、隐患线索情况概述.
    pub summary: Text<2000>,
    /// 办理情况.
    pub handling: Option<Text<2000>>,
    pub follow_ups: Vec<FollowUp>,
    /// 备注.
    pub remarks: Option<Text<1000>>,
    /// 排查、走访人.
    pub visitor: PersonName,
    /// 走访日期; also the date the item was first reported.
    pub visit_date: NaiveDate,
    pub escalation: Escalation,
    pub unstable_signs: bool,
    /// Only ever true on a B item.
    pub severe_violence: bool,
    /// Only ever true on a B item.
    pub victim_lacks_capacity: bool,
    pub resolved_on: Option<NaiveDate>,
    pub reports: Reports,
    pub tier_raise: Option<TierRaise>,
}

/// What the rules say about a record: computed, never typed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitAssessment {
    pub level: RiskLevel,
    pub months_open: u32,
    pub suggested_tier: DisputeTier,
    /// The tier it is handled at: the suggestion, or a raised tier above it.
    pub tier: DisputeTier,
    pub warnings: Vec<Warning>,
}

/// Applies the rules to `facts` as of `as_of`.
pub fn assess(id: Uuid, facts: &RiskFacts, as_of: NaiveDate) -> VisitAssessment {
    VisitAssessment {
        level: facts.level(as_of),
        months_open: facts.months_open(as_of),
        suggested_tier: facts.suggested_tier(as_of),
        tier: facts.tier(as_of),
        warnings: visit_warnings(id, facts, as_of),
    }
}

fn party_label(i: usize, zh: &str, en: &str) -> (String, String) {
    (
        format!("当事人{}{zh}", i + 1),
        format!("Party {} {en}", i + 1),
    )
}

fn follow_up_label(i: usize, zh: &str, en: &str) -> (String, String) {
    (
        format!("回访{}{zh}", i + 1),
        format!("Follow-up {} {en}", i + 1),
    )
}

fn pair(l: &(String, String)) -> (&str, &str) {
    (&l.0, &l.1)
}

impl VisitInput {
    /// A new, empty draft dated `today`, with one blank party row.
    pub fn blank(id: Uuid, today: NaiveDate) -> Self {
        VisitInput {
            id,
            parties: vec![PartyInput::default()],
            visit_date: today.to_string(),
            ..Default::default()
        }
    }

    /// The facts the preview needs, read leniently from a form that may still be half filled:
    /// a field that does not parse yet counts as empty, an unparsable visit date as `today`.
    pub fn preview_facts(&self, today: NaiveDate) -> RiskFacts {
        let date = |s: &str| crate::value::parse_date(s).ok();
        let category = Category::parse(&self.category).ok();
        let is_b = category == Some(Category::DomesticViolence);
        RiskFacts {
            category,
            first_reported: date(&self.visit_date).unwrap_or(today),
            escalation: self.escalation,
            unstable_signs: self.unstable_signs,
            severe_violence: is_b && self.severe_violence,
            victim_lacks_capacity: is_b && self.victim_lacks_capacity,
            resolved_on: date(&self.resolved_on),
            last_follow_up: self.follow_ups.iter().filter_map(|f| date(&f.date)).max(),
            raised_tier: DisputeTier::parse_optional(&self.tier_raise.tier)
                .ok()
                .flatten(),
            reports: Reports {
                police: date(&self.reports.police),
                city_federation: date(&self.reports.city_federation),
                village_committee: date(&self.reports.village_committee),
                town_federation: date(&self.reports.town_federation),
            },
        }
    }

    /// The preview shown while typing: level, tier and warnings as of `today`.
    pub fn preview(&self, today: NaiveDate) -> VisitAssessment {
        assess(self.id, &self.preview_facts(today), today)
    }
}

impl VisitRecord {
    /// The form again, for changing a stored record (续办: a resolution date, a follow-up).
    /// Parsing it gives the record back, on the day it was parsed and on any later day (a
    /// raised tier is checked against the suggestion of the visit's day).
    pub fn to_input(&self) -> VisitInput {
        let text = |t: &Option<Text<2000>>| t.as_ref().map(|t| t.as_str().to_owned());
        let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        VisitInput {
            id: self.id,
            org_unit: self.org_unit.as_str().into(),
            parties: self
                .parties
                .iter()
                .map(|p| PartyInput {
                    name: p.name.as_str().into(),
                    address: p
                        .address
                        .as_ref()
                        .map(|t| t.as_str().into())
                        .unwrap_or_default(),
                    age: p.age.map(|a| a.years().to_string()).unwrap_or_default(),
                    family_role: p
                        .family_role
                        .as_ref()
                        .map(|t| t.as_str().into())
                        .unwrap_or_default(),
                    phone: p
                        .phone
                        .as_ref()
                        .map(|t| t.as_str().into())
                        .unwrap_or_default(),
                })
                .collect(),
            category: self.category.code().into(),
            summary: self.summary.as_str().into(),
            handling: text(&self.handling).unwrap_or_default(),
            follow_ups: self
                .follow_ups
                .iter()
                .map(|f| FollowUpInput {
                    date: f.date.to_string(),
                    by: f.by.as_str().into(),
                    outcome: f
                        .outcome
                        .as_ref()
                        .map(|t| t.as_str().into())
                        .unwrap_or_default(),
                    satisfaction: f.satisfaction.code().into(),
                })
                .collect(),
            remarks: self
                .remarks
                .as_ref()
                .map(|t| t.as_str().into())
                .unwrap_or_default(),
            visitor: self.visitor.as_str().into(),
            visit_date: self.visit_date.to_string(),
            escalation: self.escalation,
            unstable_signs: self.unstable_signs,
            severe_violence: self.severe_violence,
            victim_lacks_capacity: self.victim_lacks_capacity,
            resolved_on: date(self.resolved_on),
            reports: ReportsInput {
                police: date(self.reports.police),
                city_federation: date(self.reports.city_federation),
                village_committee: date(self.reports.village_committee),
                town_federation: date(self.reports.town_federation),
            },
            tier_raise: self
                .tier_raise
                .as_ref()
                .map(|r| TierRaiseInput {
                    tier: r.tier.code().into(),
                    by: r.by.as_str().into(),
                })
                .unwrap_or_default(),
        }
    }

    /// Checks every field of `input` against the rules of SPEC §2.1, `today` being the date in
    /// China (no date may lie after it). Returns all field errors at once.
    pub fn parse(input: &VisitInput, today: NaiveDate) -> Result<VisitRecord, ValidationErrors> {
        let mut c = Collector::default();
        if input.id.is_nil() {
            // The client makes the id; without one a retry could not be told from a new record.
            c.push("id", ("编号", "Id"), Problem::Required);
        }

        let org_unit = c.take(
            "org_unit",
            ("所属村（社区）", "Village"),
            Text::parse(&input.org_unit),
        );
        let category = c.take(
            "category",
            ("类别", "Category"),
            Category::parse(&input.category),
        );
        let summary = c.take(
            "summary",
            ("情况概述", "Summary"),
            Text::parse(&input.summary),
        );
        let handling = c.take(
            "handling",
            ("办理情况", "Handling"),
            Text::parse_optional(&input.handling),
        );
        let remarks = c.take(
            "remarks",
            ("备注", "Remarks"),
            Text::parse_optional(&input.remarks),
        );
        let visitor = c.take(
            "visitor",
            ("排查走访人", "Visitor"),
            PersonName::parse(&input.visitor),
        );
        let visit_date = c.take(
            "visit_date",
            ("走访日期", "Visit date"),
            parse_past_date(&input.visit_date, earliest_date(), today),
        );
        // Later dates about the item cannot precede its discovery.
        let after_visit = visit_date.unwrap_or_else(earliest_date);

        if input.parties.is_empty() {
            c.push("parties", ("当事人", "Parties"), Problem::NoParty);
        }
        let mut parties = Vec::with_capacity(input.parties.len());
        for (i, p) in input.parties.iter().enumerate() {
            let f = |name: &str| format!("parties[{i}].{name}");
            let name = c.take(
                f("name"),
                pair(&party_label(i, "姓名", "name")),
                PersonName::parse(&p.name),
            );
            let address = c.take(
                f("address"),
                pair(&party_label(i, "家庭住址", "address")),
                Text::parse_optional(&p.address),
            );
            let age = c.take(
                f("age"),
                pair(&party_label(i, "年龄", "age")),
                Age::parse_optional(&p.age),
            );
            let family_role = c.take(
                f("family_role"),
                pair(&party_label(i, "家庭角色", "family role")),
                Text::parse_optional(&p.family_role),
            );
            let phone = c.take(
                f("phone"),
                pair(&party_label(i, "联系电话", "phone")),
                Phone::parse_optional(&p.phone),
            );
            if let (Some(name), Some(address), Some(age), Some(family_role), Some(phone)) =
                (name, address, age, family_role, phone)
            {
                parties.push(Party {
                    name,
                    address,
                    age,
                    family_role,
                    phone,
                });
            }
        }

        let mut follow_ups = Vec::with_capacity(input.follow_ups.len());
        for (i, v) in input.follow_ups.iter().enumerate() {
            let f = |name: &str| format!("follow_ups[{i}].{name}");
            let date = c.take(
                f("date"),
                pair(&follow_up_label(i, "日期", "date")),
                parse_past_date(&v.date, after_visit, today),
            );
            let by = c.take(
                f("by"),
                pair(&follow_up_label(i, "回访人", "visitor")),
                PersonName::parse(&v.by),
            );
            let outcome = c.take(
                f("outcome"),
                pair(&follow_up_label(i, "情况", "outcome")),
                Text::parse_optional(&v.outcome),
            );
            let satisfaction = c.take(
                f("satisfaction"),
                pair(&follow_up_label(i, "满意度", "satisfaction")),
                Satisfaction::parse(&v.satisfaction),
            );
            if let (Some(date), Some(by), Some(outcome), Some(satisfaction)) =
                (date, by, outcome, satisfaction)
            {
                follow_ups.push(FollowUp {
                    date,
                    by,
                    outcome,
                    satisfaction,
                });
            }
        }

        let mut optional_date = |field: &str, label: (&str, &str), raw: &str| {
            c.take(
                field,
                label,
                parse_optional_past_date(raw, after_visit, today),
            )
            .flatten()
        };
        let resolved_on = optional_date(
            "resolved_on",
            ("化解日期", "Date resolved"),
            &input.resolved_on,
        );
        let r = &input.reports;
        let reports = Reports {
            police: optional_date(
                "reports.police",
                ("报公安机关日期", "Date reported to police"),
                &r.police,
            ),
            city_federation: optional_date(
                "reports.city_federation",
                ("报市妇联日期", "Date reported to city federation"),
                &r.city_federation,
            ),
            village_committee: optional_date(
                "reports.village_committee",
                ("报村（社区）两委日期", "Date reported to village committee"),
                &r.village_committee,
            ),
            town_federation: optional_date(
                "reports.town_federation",
                ("报镇妇联日期", "Date reported to town federation"),
                &r.town_federation,
            ),
        };

        let raised = c
            .take(
                "tier_raise.tier",
                ("提级处置", "Raised tier"),
                DisputeTier::parse_optional(&input.tier_raise.tier),
            )
            .flatten();
        let tier_raise = raised.and_then(|tier| {
            // A raise must be above what the rules suggested on the visit's day; lowering is
            // not allowed. (Not today's: a raise the rules later catch up with stays valid, so
            // a stored record opens again for 续办; the tier handled is the higher of the two.)
            let suggested = input
                .preview_facts(today)
                .suggested_tier(visit_date.unwrap_or(today));
            if tier <= suggested {
                c.push(
                    "tier_raise.tier",
                    ("提级处置", "Raised tier"),
                    Problem::NotAboveSuggested {
                        suggested: suggested.label(Lang::Zh).to_owned(),
                        suggested_en: suggested.label(Lang::En).to_owned(),
                    },
                );
            }
            let by = c.take(
                "tier_raise.by",
                ("提级人", "Raised by"),
                PersonName::parse(&input.tier_raise.by),
            )?;
            Some(TierRaise { tier, by })
        });

        c.finish()?;
        let (
            Some(org_unit),
            Some(category),
            Some(summary),
            Some(handling),
            Some(remarks),
            Some(visitor),
            Some(visit_date),
        ) = (
            org_unit, category, summary, handling, remarks, visitor, visit_date,
        )
        else {
            unreachable!("every missing value recorded an error");
        };
        let is_b = category == Category::DomesticViolence;
        Ok(VisitRecord {
            id: input.id,
            org_unit,
            parties,
            category,
            summary,
            handling,
            follow_ups,
            remarks,
            visitor,
            visit_date,
            escalation: input.escalation,
            unstable_signs: input.unstable_signs,
            // The two B conditions mean nothing for A or C; the form hides them there.
            severe_violence: is_b && input.severe_violence,
            victim_lacks_capacity: is_b && input.victim_lacks_capacity,
            resolved_on,
            reports,
            tier_raise,
        })
    }

    pub fn facts(&self) -> RiskFacts {
        RiskFacts {
            category: Some(self.category),
            first_reported: self.visit_date,
            escalation: self.escalation,
            unstable_signs: self.unstable_signs,
            severe_violence: self.severe_violence,
            victim_lacks_capacity: self.victim_lacks_capacity,
            resolved_on: self.resolved_on,
            reports: self.reports,
            last_follow_up: self.follow_ups.iter().map(|f| f.date).max(),
            raised_tier: self.tier_raise.as_ref().map(|t| t.tier),
        }
    }

    pub fn assess(&self, as_of: NaiveDate) -> VisitAssessment {
        assess(self.id, &self.facts(), as_of)
    }
}

#[cfg(test)]
mod tests;
