//! 妇女议事会 — council members and the monthly "1+3+N" meeting record (000 §2.1–2.2, 三(四)).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{Collector, Problem, ValidationErrors};
use crate::lang::Lang;
use crate::value::{PersonName, Phone, Text, earliest_date, parse_past_date};
use crate::visit::{Category, VisitInput};

/// 议事会成员类别 (000 二.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberType {
    /// 村（社区）妇联兼职副主席.
    PartTimeVicePresident,
    /// 执委.
    ExecutiveMember,
    /// 优秀女性网格员.
    GridWorker,
    /// "姐妹微家"负责人.
    SisterHomeHead,
    /// "家长学吧"女性负责人.
    ParentSchoolHead,
    /// "老舅妈"调解员.
    LaoJiumaMediator,
    /// 驻村女片警.
    VillagePolicewoman,
    /// 女法官.
    Judge,
    /// 女律师.
    Lawyer,
    /// 巾帼志愿者.
    Volunteer,
    /// 女性社会组织负责人.
    SocialOrganisationHead,
    /// 创业女能人.
    Entrepreneur,
    /// 女党员.
    PartyMember,
    /// 其他.
    Other,
}

impl MemberType {
    pub const ALL: [MemberType; 14] = [
        MemberType::PartTimeVicePresident,
        MemberType::ExecutiveMember,
        MemberType::GridWorker,
        MemberType::SisterHomeHead,
        MemberType::ParentSchoolHead,
        MemberType::LaoJiumaMediator,
        MemberType::VillagePolicewoman,
        MemberType::Judge,
        MemberType::Lawyer,
        MemberType::Volunteer,
        MemberType::SocialOrganisationHead,
        MemberType::Entrepreneur,
        MemberType::PartyMember,
        MemberType::Other,
    ];

    pub fn label(self, lang: Lang) -> &'static str {
        use MemberType::*;
        match self {
            PartTimeVicePresident => {
                lang.pick("村（社区）妇联兼职副主席", "Part-time vice president")
            }
            ExecutiveMember => lang.pick("执委", "Executive member"),
            GridWorker => lang.pick("女性网格员", "Grid worker"),
            SisterHomeHead => lang.pick("“姐妹微家”负责人", "Sisters' micro-home head"),
            ParentSchoolHead => lang.pick("“家长学吧”负责人", "Parents' school head"),
            LaoJiumaMediator => lang.pick("“老舅妈”调解员", "\"Lao Jiuma\" mediator"),
            VillagePolicewoman => lang.pick("驻村女片警", "Village policewoman"),
            Judge => lang.pick("女法官", "Judge"),
            Lawyer => lang.pick("女律师", "Lawyer"),
            Volunteer => lang.pick("巾帼志愿者", "Volunteer"),
            SocialOrganisationHead => lang.pick("女性社会组织负责人", "Social organisation head"),
            Entrepreneur => lang.pick("创业女能人", "Entrepreneur"),
            PartyMember => lang.pick("女党员", "Party member"),
            Other => lang.pick("其他", "Other"),
        }
    }
}

/// 议事小组 (000 二.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CouncilGroup {
    /// 信息排查.
    Screening,
    /// 矛盾调解.
    Mediation,
    /// 法律咨询.
    LegalAdvice,
    /// 家庭教育.
    FamilyEducation,
}

/// 议事会成员.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CouncilMember {
    pub name: PersonName,
    pub phone: Option<Phone>,
    pub member_type: MemberType,
    pub groups: Vec<CouncilGroup>,
    /// 议事小组召集人: takes turns convening meetings.
    pub convener: bool,
}

/// The next convener in rotation (000 三(四) 召集人轮值): the group convener after the one who
/// convened last, in register order; the first when nobody has convened yet, or the last one is
/// no longer a convener.
pub fn next_convener<'a>(
    members: &'a [CouncilMember],
    last: Option<&str>,
) -> Option<&'a PersonName> {
    let conveners: Vec<&CouncilMember> = members.iter().filter(|m| m.convener).collect();
    let after = last
        .and_then(|name| conveners.iter().position(|m| m.name.as_str() == name))
        .map_or(0, |i| i + 1);
    conveners
        .get(after % conveners.len().max(1))
        .map(|m| &m.name)
}

/// The default collective meeting day: the 8th of the month (000 二.2 原则上每个月8号集中议事一次).
pub fn default_meeting_date(year: i32, month: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, 8)
}

/// One "3" item as typed: a clue found in the meeting.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MustTalkItemInput {
    /// 当事人.
    pub party: String,
    pub summary: String,
    /// The visit record this item became, once there is one.
    pub visit_id: Option<Uuid>,
}

/// One of the three must-talk subjects as typed: "none found", or items.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MustTalkInput {
    pub none_found: bool,
    pub items: Vec<MustTalkItemInput>,
}

/// "N" 多议项 as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TopicInput {
    pub topic: String,
    pub discussion: String,
    pub votes_for: String,
    pub votes_against: String,
    pub abstentions: String,
}

/// 议事会会议记录 as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MeetingInput {
    pub id: Uuid,
    pub org_unit: String,
    pub date: String,
    pub convener: String,
    pub theme: String,
    pub attendees: Vec<String>,
    pub recorder: String,
    /// "1" 必议项: the key women/children rights issue of the month.
    pub must_discuss: String,
    /// "3" 必谈项: 婚姻家事纠纷.
    pub disputes: MustTalkInput,
    /// "3" 必谈项: 家庭暴力现象.
    pub violence: MustTalkInput,
    /// "3" 必谈项: 未成年人性侵案件线索.
    pub child_abuse: MustTalkInput,
    pub topics: Vec<TopicInput>,
}

/// A clue raised in a meeting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MustTalkItem {
    pub party: PersonName,
    pub summary: Text<2000>,
    pub visit_id: Option<Uuid>,
}

/// One must-talk subject: explicitly nothing, or the items found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "found", content = "items", rename_all = "snake_case")]
pub enum MustTalk {
    /// 未发现.
    NoneFound,
    Items(Vec<MustTalkItem>),
}

/// A "N" topic with its vote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Topic {
    pub topic: Text<200>,
    pub discussion: Option<Text<2000>>,
    pub votes_for: u32,
    pub votes_against: u32,
    pub abstentions: u32,
}

/// 议事会会议记录, checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meeting {
    pub id: Uuid,
    pub org_unit: Text<60>,
    pub date: NaiveDate,
    pub convener: Option<PersonName>,
    pub theme: Option<Text<200>>,
    pub attendees: Vec<PersonName>,
    /// 记录人: 000 requires a named recorder for every collective meeting.
    pub recorder: PersonName,
    pub must_discuss: Text<2000>,
    pub disputes: MustTalk,
    pub violence: MustTalk,
    pub child_abuse: MustTalk,
    pub topics: Vec<Topic>,
}

fn count(raw: &str) -> Result<u32, Problem> {
    let t = raw.trim();
    if t.is_empty() {
        return Ok(0);
    }
    t.parse::<u32>()
        .ok()
        .filter(|n| *n <= 10_000)
        .ok_or(Problem::OutOfRange {
            min: 0,
            max: 10_000,
        })
}

fn must_talk(
    c: &mut Collector,
    key: &str,
    label: (&str, &str),
    input: &MustTalkInput,
) -> Option<MustTalk> {
    match (input.none_found, input.items.is_empty()) {
        (true, true) => return Some(MustTalk::NoneFound),
        (true, false) => c.push(key, label, Problem::NoneButItems),
        (false, true) => c.push(key, label, Problem::NeitherNoneNorItems),
        (false, false) => {}
    }
    let mut items = Vec::new();
    for (i, item) in input.items.iter().enumerate() {
        let l = (
            format!("{}{}当事人", label.0, i + 1),
            format!("{} {} party", label.1, i + 1),
        );
        let party = c.take(
            format!("{key}.items[{i}].party"),
            (&l.0, &l.1),
            PersonName::parse(&item.party),
        );
        let l = (
            format!("{}{}概述", label.0, i + 1),
            format!("{} {} summary", label.1, i + 1),
        );
        let summary = c.take(
            format!("{key}.items[{i}].summary"),
            (&l.0, &l.1),
            Text::parse(&item.summary),
        );
        if let (Some(party), Some(summary)) = (party, summary) {
            items.push(MustTalkItem {
                party,
                summary,
                visit_id: item.visit_id,
            });
        }
    }
    Some(MustTalk::Items(items))
}

impl Meeting {
    pub fn parse(input: &MeetingInput, today: NaiveDate) -> Result<Meeting, ValidationErrors> {
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
        let date = c.take(
            "date",
            ("会议日期", "Meeting date"),
            parse_past_date(&input.date, earliest_date(), today),
        );
        let convener = c.take(
            "convener",
            ("召集人", "Convener"),
            PersonName::parse_optional(&input.convener),
        );
        let theme = c.take(
            "theme",
            ("议事主题", "Theme"),
            Text::parse_optional(&input.theme),
        );
        let recorder = c.take(
            "recorder",
            ("记录人", "Recorder"),
            PersonName::parse(&input.recorder),
        );
        let must_discuss = c.take(
            "must_discuss",
            ("“1”必议项", "\"1\" must-discuss issue"),
            Text::parse(&input.must_discuss),
        );
        let mut attendees = Vec::new();
        for (i, a) in input.attendees.iter().enumerate() {
            let l = (format!("参会人员{}", i + 1), format!("Attendee {}", i + 1));
            if let Some(a) = c.take(
                format!("attendees[{i}]"),
                (&l.0, &l.1),
                PersonName::parse(a),
            ) {
                attendees.push(a);
            }
        }
        let disputes = must_talk(
            &mut c,
            "disputes",
            ("婚姻家事纠纷", "Marriage/family disputes"),
            &input.disputes,
        );
        let violence = must_talk(
            &mut c,
            "violence",
            ("家庭暴力现象", "Domestic violence"),
            &input.violence,
        );
        let child_abuse = must_talk(
            &mut c,
            "child_abuse",
            ("未成年人性侵案件线索", "Child sexual-abuse clues"),
            &input.child_abuse,
        );
        let mut topics = Vec::new();
        for (i, t) in input.topics.iter().enumerate() {
            let key = |f: &str| format!("topics[{i}].{f}");
            let l = |zh: &str, en: &str| {
                (
                    format!("议题{}{zh}", i + 1),
                    format!("Topic {} {en}", i + 1),
                )
            };
            let (lt, ld, lf, la, lb) = (
                l("名称", "title"),
                l("讨论情况", "discussion"),
                l("赞成票", "votes for"),
                l("反对票", "votes against"),
                l("弃权票", "abstentions"),
            );
            let topic = c.take(key("topic"), (&lt.0, &lt.1), Text::parse(&t.topic));
            let discussion = c.take(
                key("discussion"),
                (&ld.0, &ld.1),
                Text::parse_optional(&t.discussion),
            );
            let votes_for = c.take(key("votes_for"), (&lf.0, &lf.1), count(&t.votes_for));
            let votes_against = c.take(
                key("votes_against"),
                (&la.0, &la.1),
                count(&t.votes_against),
            );
            let abstentions = c.take(key("abstentions"), (&lb.0, &lb.1), count(&t.abstentions));
            if let (Some(f), Some(a), Some(b)) = (votes_for, votes_against, abstentions) {
                // Every vote is cast by someone present.
                let present = input.attendees.len() as i64;
                if i64::from(f) + i64::from(a) + i64::from(b) > present {
                    let lv = l("表决票数", "votes");
                    c.push(
                        key("votes"),
                        (&lv.0, &lv.1),
                        Problem::AboveTotal { max: present },
                    );
                }
            }
            if let (
                Some(topic),
                Some(discussion),
                Some(votes_for),
                Some(votes_against),
                Some(abstentions),
            ) = (topic, discussion, votes_for, votes_against, abstentions)
            {
                topics.push(Topic {
                    topic,
                    discussion,
                    votes_for,
                    votes_against,
                    abstentions,
                });
            }
        }
        c.finish()?;
        let (
            Some(org_unit),
            Some(date),
            Some(convener),
            Some(theme),
            Some(recorder),
            Some(must_discuss),
        ) = (org_unit, date, convener, theme, recorder, must_discuss)
        else {
            unreachable!("every missing value recorded an error");
        };
        let (Some(disputes), Some(violence), Some(child_abuse)) = (disputes, violence, child_abuse)
        else {
            unreachable!("every missing value recorded an error");
        };
        Ok(Meeting {
            id: input.id,
            org_unit,
            date,
            convener,
            theme,
            attendees,
            recorder,
            must_discuss,
            disputes,
            violence,
            child_abuse,
            topics,
        })
    }

    /// The form again, for changing a stored record (续办: a "3" item linked to its visit
    /// record). Parsing it gives the record back.
    pub fn to_input(&self) -> MeetingInput {
        let opt = |t: Option<&str>| t.map(str::to_owned).unwrap_or_default();
        let must_talk = |m: &MustTalk| match m {
            MustTalk::NoneFound => MustTalkInput {
                none_found: true,
                items: Vec::new(),
            },
            MustTalk::Items(items) => MustTalkInput {
                none_found: false,
                items: items
                    .iter()
                    .map(|i| MustTalkItemInput {
                        party: i.party.as_str().into(),
                        summary: i.summary.as_str().into(),
                        visit_id: i.visit_id,
                    })
                    .collect(),
            },
        };
        MeetingInput {
            id: self.id,
            org_unit: self.org_unit.as_str().into(),
            date: self.date.to_string(),
            convener: opt(self.convener.as_ref().map(PersonName::as_str)),
            theme: opt(self.theme.as_ref().map(Text::as_str)),
            attendees: self.attendees.iter().map(|a| a.as_str().into()).collect(),
            recorder: self.recorder.as_str().into(),
            must_discuss: self.must_discuss.as_str().into(),
            disputes: must_talk(&self.disputes),
            violence: must_talk(&self.violence),
            child_abuse: must_talk(&self.child_abuse),
            topics: self
                .topics
                .iter()
                .map(|t| TopicInput {
                    topic: t.topic.as_str().into(),
                    discussion: opt(t.discussion.as_ref().map(Text::as_str)),
                    votes_for: t.votes_for.to_string(),
                    votes_against: t.votes_against.to_string(),
                    abstentions: t.abstentions.to_string(),
                })
                .collect(),
        }
    }

    /// The month (1–12) the meeting belongs to, for its theme.
    pub fn month(&self) -> u32 {
        self.date.month()
    }

    /// The "3" items that have no visit record yet, with the category each becomes.
    pub fn unlinked_items(&self) -> Vec<(Category, &MustTalkItem)> {
        let subjects = [
            (Category::MarriageDispute, &self.disputes),
            (Category::DomesticViolence, &self.violence),
            (Category::ChildSexualAbuse, &self.child_abuse),
        ];
        subjects
            .into_iter()
            .flat_map(|(cat, mt)| match mt {
                MustTalk::NoneFound => Vec::new(),
                MustTalk::Items(items) => items
                    .iter()
                    .filter(|i| i.visit_id.is_none())
                    .map(|i| (cat, i))
                    .collect(),
            })
            .collect()
    }
}

/// A visit record draft prefilled from a "3" item found in a meeting: the item becomes a
/// record (000 二.2: 排查发现的问题和线索要每月填表上报).
pub fn visit_draft_from_item(
    meeting: &Meeting,
    category: Category,
    item: &MustTalkItem,
    id: Uuid,
) -> VisitInput {
    let mut draft = VisitInput::blank(id, meeting.date);
    draft.org_unit = meeting.org_unit.to_string();
    draft.category = category.code().to_owned();
    draft.parties[0].name = item.party.to_string();
    draft.summary = item.summary.to_string();
    draft.visitor = meeting.recorder.to_string();
    draft
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::testgen as g;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 29).unwrap()
    }

    fn none() -> MustTalkInput {
        MustTalkInput {
            none_found: true,
            items: vec![],
        }
    }

    fn meeting() -> MeetingInput {
        MeetingInput {
            id: Uuid::from_u128(3),
            org_unit: "林梓村".into(),
            date: "2026-11-08".into(),
            convener: "周丽".into(),
            theme: "普及消防知识，提高全民消防安全意识".into(),
            attendees: vec!["周丽".into(), "李娟".into(), "王芳".into()],
            recorder: "李娟".into(),
            must_discuss: "留守儿童冬季安全".into(),
            disputes: none(),
            violence: none(),
            child_abuse: none(),
            topics: vec![],
        }
    }

    fn fields(e: &ValidationErrors) -> Vec<&str> {
        e.0.iter().map(|e| e.field.as_str()).collect()
    }

    #[test]
    fn a_meeting_with_nothing_found_is_valid() {
        let m = Meeting::parse(&meeting(), today()).unwrap();
        assert_eq!(m.disputes, MustTalk::NoneFound);
        assert!(m.unlinked_items().is_empty());
    }

    /// "3"是必谈项：每一项都要谈 — silence is not "none found".
    #[test]
    fn each_must_talk_subject_needs_none_found_or_items() {
        let mut input = meeting();
        input.violence = MustTalkInput::default();
        input.child_abuse = MustTalkInput {
            none_found: true,
            items: vec![MustTalkItemInput {
                party: "某".into(),
                summary: "x".into(),
                visit_id: None,
            }],
        };
        let e = Meeting::parse(&input, today()).unwrap_err();
        assert_eq!(fields(&e), ["violence", "child_abuse"]);
        assert_eq!(e.0[0].message, "家庭暴力现象：请勾选“未发现”或填写至少一项");
    }

    /// 集中议事要指定专人负责记录.
    #[test]
    fn the_one_and_the_recorder_are_required() {
        let mut input = meeting();
        input.recorder.clear();
        input.must_discuss = " ".into();
        let e = Meeting::parse(&input, today()).unwrap_err();
        assert_eq!(fields(&e), ["recorder", "must_discuss"]);
    }

    #[test]
    fn votes_never_exceed_the_attendees() {
        let mut input = meeting();
        input.topics.push(TopicInput {
            topic: "修订村规民约".into(),
            votes_for: "2".into(),
            votes_against: "1".into(),
            abstentions: "1".into(),
            ..Default::default()
        });
        let e = Meeting::parse(&input, today()).unwrap_err();
        assert_eq!(fields(&e), ["topics[0].votes"]);
        assert_eq!(e.0[0].message, "议题1表决票数：不能超过3");
        input.topics[0].abstentions = "0".into();
        assert!(Meeting::parse(&input, today()).is_ok());
    }

    #[test]
    fn a_found_item_opens_a_prefilled_visit_record() {
        let mut input = meeting();
        input.violence = MustTalkInput {
            none_found: false,
            items: vec![MustTalkItemInput {
                party: "王芳".into(),
                summary: "丈夫酒后动手".into(),
                visit_id: None,
            }],
        };
        let m = Meeting::parse(&input, today()).unwrap();
        let items = m.unlinked_items();
        assert_eq!(items.len(), 1);
        let (cat, item) = items[0];
        let draft = visit_draft_from_item(&m, cat, item, Uuid::from_u128(9));
        assert_eq!(draft.category, "B");
        assert_eq!(draft.parties[0].name, "王芳");
        assert_eq!(draft.visit_date, "2026-11-08");
        assert_eq!(draft.visitor, "李娟");
    }

    fn member(name: &str, convener: bool) -> CouncilMember {
        CouncilMember {
            name: PersonName::parse(name).unwrap(),
            phone: None,
            member_type: MemberType::ExecutiveMember,
            groups: vec![CouncilGroup::Mediation],
            convener,
        }
    }

    /// 实行召集人轮值制度.
    #[test]
    fn conveners_take_turns() {
        let members = [
            member("甲", true),
            member("乙", false),
            member("丙", true),
            member("丁", true),
        ];
        let next = |last| next_convener(&members, last).map(|n| n.as_str());
        assert_eq!(next(None), Some("甲"));
        assert_eq!(next(Some("甲")), Some("丙"));
        assert_eq!(next(Some("丙")), Some("丁"));
        assert_eq!(next(Some("丁")), Some("甲"));
        // Someone who is not a convener (any more) restarts the rotation.
        assert_eq!(next(Some("乙")), Some("甲"));
        assert_eq!(next_convener(&[member("乙", false)], None), None);
    }

    #[test]
    fn meetings_default_to_the_eighth() {
        assert_eq!(
            default_meeting_date(2026, 12),
            NaiveDate::from_ymd_opt(2026, 12, 8)
        );
    }

    /// One must-talk subject: "none found", or one to three items, linked or not.
    fn valid_must_talk() -> impl Strategy<Value = MustTalkInput> {
        let item = (g::name(), g::text(2000), prop::option::of(g::id())).prop_map(
            |(party, summary, visit_id)| MustTalkItemInput {
                party,
                summary,
                visit_id,
            },
        );
        prop::option::of(prop::collection::vec(item, 1..=3)).prop_map(|items| match items {
            None => none(),
            Some(items) => MustTalkInput {
                none_found: false,
                items,
            },
        })
    }

    /// A topic whose votes are split later among those present, from the three seeds.
    fn valid_topic() -> impl Strategy<Value = (TopicInput, [u32; 3], bool)> {
        (
            g::text(200),
            g::opt(g::text(2000)),
            prop::array::uniform3(any::<u32>()),
            any::<bool>(),
        )
            .prop_map(|(topic, discussion, seeds, blank_zero)| {
                let t = TopicInput {
                    topic,
                    discussion,
                    ..Default::default()
                };
                (t, seeds, blank_zero)
            })
    }

    prop_compose! {
        /// A valid record: no more votes on a topic than people present.
        fn valid_meeting()(
            id in g::id(),
            (org_unit, date, convener, theme, recorder, must_discuss) in (
                g::text(60),
                any::<u32>(),
                g::opt(g::name()),
                g::opt(g::text(200)),
                g::name(),
                g::text(2000),
            ),
            attendees in prop::collection::vec(g::name(), 0..=6),
            talks in prop::array::uniform3(valid_must_talk()),
            topics in prop::collection::vec(valid_topic(), 0..=3),
        ) -> MeetingInput {
            let present = attendees.len() as u32;
            let [disputes, violence, child_abuse] = talks;
            let topics = topics
                .into_iter()
                .map(|(t, [a, b, c], blank_zero)| {
                    let votes_for = a % (present + 1);
                    let votes_against = b % (present - votes_for + 1);
                    let abstentions = c % (present - votes_for - votes_against + 1);
                    // A blank count is 0.
                    let write = |n: u32| if n == 0 && blank_zero { String::new() } else { n.to_string() };
                    TopicInput {
                        votes_for: write(votes_for),
                        votes_against: write(votes_against),
                        abstentions: write(abstentions),
                        ..t
                    }
                })
                .collect();
            MeetingInput {
                id,
                org_unit,
                date: g::ymd(g::date_in(earliest_date(), today(), date)),
                convener,
                theme,
                attendees,
                recorder,
                must_discuss,
                disputes,
                violence,
                child_abuse,
                topics,
            }
        }
    }

    /// Nearly every generated record is valid, so the round trip is really checked.
    #[test]
    fn the_valid_meeting_generator_makes_valid_meetings() {
        g::assert_mostly_valid("meeting", valid_meeting(), |i| {
            Meeting::parse(i, today()).is_ok()
        });
    }

    proptest! {
        /// A stored meeting comes back as its form, which parses to the same meeting (续办
        /// links its "3" items to visit records).
        #[test]
        fn meetings_come_back_as_their_form(input in valid_meeting()) {
            let m = Meeting::parse(&input, today())
                .map_err(|e| TestCaseError::fail(format!("generated meeting refused: {e:?}")))?;
            prop_assert_eq!(Meeting::parse(&m.to_input(), today()), Ok(m));
        }
    }
}
