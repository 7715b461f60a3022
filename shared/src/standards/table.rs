//! The criteria of the three standards as data: one static table per standard, each criterion
//! with the seed's wording and the sub-items an assessor ticks or counts. The evaluator knows
//! nothing about any particular criterion except the one computed funds check.

use crate::lang::Lang;

/// How a sub-item is answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemKind {
    /// A box the assessor ticks when the thing exists.
    Tick,
    /// A box that may instead be marked 不适用 (not applicable), e.g. a 女村民代表名册 in an
    /// urban community, which has no village representatives.
    TickOrNotApplicable,
    /// A number the assessor types, e.g. meetings held in the year; met when `>= min`.
    AtLeast {
        min: u32,
        unit_zh: &'static str,
        unit_en: &'static str,
    },
    /// 经费 ≥ 2 元 × 常住妇女人数, computed from the two numbers the form asks for.
    Funds,
}

/// A heading that groups sub-items inside a criterion: the five 台账 classes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Group {
    pub id: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
}

/// 子项: one thing the assessor ticks, counts or enters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Item {
    /// Unique within its standard; the key in `ticked`, `not_applicable` and `counts`.
    pub id: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    pub kind: ItemKind,
    pub group: Option<Group>,
}

impl Item {
    pub fn label(&self, lang: Lang) -> &'static str {
        lang.pick(self.zh, self.en)
    }

    /// The name shown in a failure: prefixed with the 台账 class when there is one.
    pub fn full_label(&self, lang: Lang) -> String {
        match (self.group, lang) {
            (Some(g), Lang::Zh) => format!("{}：{}", g.zh, self.zh),
            (Some(g), Lang::En) => format!("{}: {}", g.en, self.en),
            (None, _) => self.label(lang).to_owned(),
        }
    }
}

/// 标准项: one of the 七有 / 五有 / 三有; met when every sub-item is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Criterion {
    /// Unique within its standard, e.g. `funds`.
    pub id: &'static str,
    /// The name in the seed, e.g. 有经费保障.
    pub zh: &'static str,
    pub en: &'static str,
    /// Where the seed says it, e.g. `003 四（二）3`.
    pub source: &'static str,
    /// The seed's own words (abridged with … where long).
    pub wording: &'static str,
    pub items: &'static [Item],
}

impl Criterion {
    pub fn label(&self, lang: Lang) -> &'static str {
        lang.pick(self.zh, self.en)
    }
}

const fn tick(id: &'static str, zh: &'static str, en: &'static str) -> Item {
    Item {
        id,
        zh,
        en,
        kind: ItemKind::Tick,
        group: None,
    }
}

const fn times(id: &'static str, zh: &'static str, en: &'static str, min: u32) -> Item {
    Item {
        id,
        zh,
        en,
        kind: ItemKind::AtLeast {
            min,
            unit_zh: "次",
            unit_en: "times",
        },
        group: None,
    }
}

const fn ledger(
    group: Group,
    id: &'static str,
    zh: &'static str,
    en: &'static str,
    may_not_apply: bool,
) -> Item {
    let kind = if may_not_apply {
        ItemKind::TickOrNotApplicable
    } else {
        ItemKind::Tick
    };
    Item {
        id,
        zh,
        en,
        kind,
        group: Some(group),
    }
}

const RULES: Group = Group {
    id: "rules",
    zh: "制度类",
    en: "Rules",
};
const ROSTERS: Group = Group {
    id: "rosters",
    zh: "名册类",
    en: "Rosters",
};
const RECORDS: Group = Group {
    id: "records",
    zh: "记录类",
    en: "Records",
};
const GENERAL: Group = Group {
    id: "general",
    zh: "综合类",
    en: "General",
};
const OTHER: Group = Group {
    id: "other",
    zh: "其他类",
    en: "Other",
};

/// The five 台账 classes of 003 四（二）7, in the seed's order.
pub const LEDGER_CLASSES: [Group; 5] = [RULES, ROSTERS, RECORDS, GENERAL, OTHER];

/// 妇女之家“七有” (003 四（二）; the frequencies of 有长效机制 come from 附件1 规章制度).
pub static SEVEN: [Criterion; 7] = [
    Criterion {
        id: "venue",
        zh: "有活动场所",
        en: "Has an activity venue",
        source: "003 四（二）1",
        wording: "有活动场所。可根据实际情况和需要与党组织活动场所、党群活动服务中心等各级党群活动阵地资源共享。",
        items: &[tick(
            "venue",
            "有开展活动的场所（可与党群活动阵地共享）",
            "Has a place for activities (may be shared with the Party-and-people centre)",
        )],
    },
    Criterion {
        id: "backbone",
        zh: "有骨干力量",
        en: "Has a core team",
        source: "003 四（二）2",
        wording: "成立组织机构，由妇联组织负责人具体负责“妇女之家”的日常管理……把一些热爱妇女工作、有一定文化、组织协调能力强的妇女吸纳为“妇女之家”兼职负责人。结合实际建立有特色的普法维权、科技培训、扶贫济困、文体宣传等各类巾帼志愿者队伍",
        items: &[
            tick(
                "organisation",
                "成立组织机构，由妇联组织负责人具体负责日常管理，分工明确、职责到位",
                "An organisation is set up; the federation head runs the home day to day, with clear duties",
            ),
            tick(
                "part_time_leaders",
                "吸纳妇女担任“妇女之家”兼职负责人",
                "Women are recruited as part-time leaders of the home",
            ),
            tick(
                "volunteer_teams",
                "建立巾帼志愿者队伍（普法维权、科技培训、扶贫济困、文体宣传等）",
                "Women volunteer teams exist (legal aid, skills training, poverty relief, culture…)",
            ),
        ],
    },
    Criterion {
        id: "funds",
        zh: "有经费保障",
        en: "Has guaranteed funds",
        source: "003 四（二）3",
        wording: "区级要按照女性常住人口人均不低于2元钱的标准划拨“妇女之家”工作经费并形成长效机制",
        items: &[Item {
            id: "funds",
            zh: "工作经费不低于常住妇女人均2元",
            en: "Annual funds at least 2 yuan per resident woman",
            kind: ItemKind::Funds,
            group: None,
        }],
    },
    Criterion {
        id: "facilities",
        zh: "有服务设施",
        en: "Has service facilities",
        source: "003 四（二）4",
        wording: "在室内活动场所悬挂“妇女之家”牌子。妇联徽、工作制度等内容要上墙展示，做到张贴规范。（2）室内应有开展工作和服务的必要设施，做到管理有序，且经常性使用。",
        items: &[
            tick(
                "plaque",
                "室内活动场所悬挂“妇女之家”牌子",
                "The “妇女之家” plaque hangs in the room",
            ),
            tick(
                "emblem_on_wall",
                "妇联徽上墙展示",
                "The federation emblem is on the wall",
            ),
            tick(
                "rules_on_wall",
                "工作制度上墙展示",
                "The working rules are on the wall",
            ),
            tick(
                "equipment_in_use",
                "有开展工作和服务的必要设施，管理有序、经常性使用",
                "The necessary equipment exists, is kept in order and used regularly",
            ),
        ],
    },
    Criterion {
        id: "mechanism",
        zh: "有长效机制",
        en: "Has lasting working mechanisms",
        source: "003 四（二）5；附件1 一、二、四、五",
        wording: "原则上每月召开一次工作例会，每半年召开一次妇女代表议事会议……每年至少向同级党组织和上级妇联组织主动汇报两次……每位妇女代表通过日常工作接触、走访谈心等方式联系10名以上妇女群众……巾帼志愿者队伍原则上每季度召开一次会议……每年开展不少于一次普法活动",
        items: &[
            times(
                "work_meetings",
                "全年召开妇联工作例会（每月一次）",
                "Federation work meetings held in the year (monthly)",
                12,
            ),
            times(
                "representative_meetings",
                "全年召开妇女代表议事会议（每半年一次）",
                "Women's representative meetings held in the year (every half year)",
                2,
            ),
            times(
                "reports_to_party",
                "全年向同级党组织主动汇报工作",
                "Reports to the Party organisation at the same level in the year",
                2,
            ),
            times(
                "reports_to_federation",
                "全年向上级妇联组织主动汇报工作",
                "Reports to the federation one level up in the year",
                2,
            ),
            Item {
                id: "representative_contacts",
                zh: "每位妇女代表联系妇女群众（按联系最少的一位代表填写）",
                en: "Women each representative keeps in contact with (enter the fewest of any representative)",
                kind: ItemKind::AtLeast {
                    min: 10,
                    unit_zh: "名",
                    unit_en: "women",
                },
                group: None,
            },
            times(
                "legal_education",
                "全年开展普法活动",
                "Legal-education activities held in the year",
                1,
            ),
            times(
                "volunteer_meetings",
                "全年召开巾帼志愿者队伍会议（每季度一次）",
                "Volunteer-team meetings held in the year (quarterly)",
                4,
            ),
        ],
    },
    Criterion {
        id: "brand",
        zh: "有特色活动",
        en: "Has a featured activity",
        source: "003 四（二）6",
        wording: "着力打造“一区一品”、“一镇一品”、“一家一品”的“妇女之家”特色品牌",
        items: &[tick(
            "brand",
            "打造“一家一品”特色品牌活动",
            "Runs a featured brand activity (“one home, one brand”)",
        )],
    },
    Criterion {
        id: "ledgers",
        zh: "有台账资料",
        en: "Keeps ledgers and records",
        source: "003 四（二）7",
        wording: "（1）制度类……（2）名册类……（3）记录类……（4）综合类……（5）其他类：妇女组织、家庭、个人获得的荣誉和典型资料及其他资料。",
        items: &[
            ledger(
                RULES,
                "rules",
                "“妇女之家”规章制度",
                "The home's rules (附件1)",
                false,
            ),
            ledger(
                RULES,
                "local_rules",
                "结合当地实际和妇女群众需要建立的其它制度",
                "Other rules made for local needs",
                true,
            ),
            ledger(
                ROSTERS,
                "roster_women",
                "妇女群众名册",
                "Roster of women",
                false,
            ),
            ledger(
                ROSTERS,
                "roster_representatives",
                "妇女代表名册",
                "Roster of women's representatives",
                false,
            ),
            ledger(
                ROSTERS,
                "roster_village_representatives",
                "女村民代表名册",
                "Roster of women village representatives",
                true,
            ),
            ledger(
                ROSTERS,
                "roster_party_members",
                "女党员名册",
                "Roster of women Party members",
                false,
            ),
            ledger(
                ROSTERS,
                "roster_volunteers",
                "巾帼志愿者名册",
                "Roster of women volunteers",
                false,
            ),
            ledger(
                ROSTERS,
                "roster_needy",
                "困难妇女儿童名册",
                "Roster of women and children in hardship",
                true,
            ),
            ledger(
                ROSTERS,
                "roster_left_behind",
                "留守儿童和妇女名册",
                "Roster of left-behind children and women",
                true,
            ),
            ledger(
                ROSTERS,
                "roster_talent",
                "各类妇女人才名册",
                "Rosters of women with special skills",
                true,
            ),
            ledger(
                ROSTERS,
                "roster_groups",
                "各类妇女组织和妇女文体活动队伍名册",
                "Rosters of women's organisations and culture/sports groups",
                true,
            ),
            ledger(
                RECORDS,
                "diary",
                "妇情日记",
                "Diary of women's affairs",
                false,
            ),
            ledger(
                RECORDS,
                "meeting_minutes",
                "会议记录",
                "Meeting minutes",
                false,
            ),
            ledger(
                RECORDS,
                "study_records",
                "各类学习记录",
                "Study records",
                false,
            ),
            ledger(
                RECORDS,
                "activity_records",
                "各类活动记录",
                "Activity records",
                false,
            ),
            ledger(
                RECORDS,
                "opinion_ledger",
                "妇情民意台账",
                "Ledger of women's opinions",
                false,
            ),
            ledger(
                RECORDS,
                "relief_records",
                "扶贫助困情况记录",
                "Records of poverty relief",
                true,
            ),
            ledger(
                RECORDS,
                "petition_records",
                "妇女来信来访来电记录",
                "Register of letters, visits and calls",
                false,
            ),
            ledger(
                GENERAL,
                "annual_plan",
                "年度工作计划",
                "Annual work plan",
                false,
            ),
            ledger(
                GENERAL,
                "annual_summary",
                "年度工作总结",
                "Annual work summary",
                false,
            ),
            ledger(
                GENERAL,
                "upper_documents",
                "上级有关文件及材料",
                "Documents from higher levels",
                false,
            ),
            ledger(
                GENERAL,
                "local_materials",
                "本地妇女工作相关资料和图片",
                "Local materials and photos of women's work",
                false,
            ),
            ledger(
                OTHER,
                "honours",
                "妇女组织、家庭、个人获得的荣誉和典型资料",
                "Honours and model cases of organisations, families and women",
                true,
            ),
            ledger(
                OTHER,
                "other_materials",
                "其他资料",
                "Other materials",
                true,
            ),
        ],
    },
];

/// 乡镇（街道）妇女维权站“五有” (001 四（一）).
pub static FIVE: [Criterion; 5] = [
    Criterion {
        id: "leadership",
        zh: "有领导机构",
        en: "Has a leading body",
        source: "001 四（一）(1)",
        wording: "有领导机构。组建领导机构，明确责任和分工。",
        items: &[
            tick("leading_body", "组建领导机构", "A leading body is set up"),
            tick(
                "duties_assigned",
                "明确责任和分工",
                "Responsibilities and division of work are clear",
            ),
        ],
    },
    Criterion {
        id: "office",
        zh: "有办公场所",
        en: "Has an office",
        source: "001 四（一）(2)",
        wording: "有办公场所。有固定的办公地点，有妇女维权站标牌。",
        items: &[
            tick("fixed_office", "有固定的办公地点", "Has a fixed office"),
            tick(
                "plaque",
                "有妇女维权站标牌",
                "Has the rights-station plaque",
            ),
        ],
    },
    Criterion {
        id: "staff",
        zh: "有专人负责",
        en: "Has a dedicated person in charge",
        source: "001 四（一）(3)",
        wording: "有专人负责。维权站要有人负责，确保基层妇女有问题、有困难能够得到及时反映，做到“来电有人听、来信有人复、来访有人接”。",
        items: &[
            tick(
                "person_in_charge",
                "维权站有专人负责",
                "A named person is in charge of the station",
            ),
            tick("calls_answered", "来电有人听", "Calls are answered"),
            tick("letters_answered", "来信有人复", "Letters are replied to"),
            tick("visits_received", "来访有人接", "Visitors are received"),
        ],
    },
    Criterion {
        id: "team",
        zh: "有维权队伍",
        en: "Has a rights-protection team",
        source: "001 四（一）(4)",
        wording: "有维权队伍。组建一支具有法律、心理学、社会学等专业知识，热心妇女维权和调解工作的人士组成的妇女维权队伍，积极开展妇女矛盾调处化解工作。",
        items: &[
            tick(
                "team_formed",
                "组建具有法律、心理学、社会学等专业知识的妇女维权队伍",
                "A team with legal, psychological or social-work knowledge is formed",
            ),
            tick(
                "team_mediates",
                "积极开展妇女矛盾调处化解工作",
                "The team actively mediates and resolves disputes",
            ),
        ],
    },
    Criterion {
        id: "rules",
        zh: "有工作制度",
        en: "Has working rules",
        source: "001 四（一）(5)",
        wording: "有工作制度。建立健全日常管理、工作联席、信访接待、信息反馈、学习培训、考核奖励等工作制度，规范工作程序，提高工作成效。",
        items: &[
            tick(
                "daily_management",
                "日常管理制度",
                "Day-to-day management rules",
            ),
            tick("joint_meetings", "工作联席制度", "Joint-meeting rules"),
            tick(
                "petition_reception",
                "信访接待制度",
                "Petition reception rules",
            ),
            tick(
                "information_feedback",
                "信息反馈制度",
                "Information feedback rules",
            ),
            tick("study_training", "学习培训制度", "Study and training rules"),
            tick(
                "assessment_rewards",
                "考核奖励制度",
                "Assessment and reward rules",
            ),
        ],
    },
];

/// 村（居）妇女维权站“三有” (001 四（一）). The seed adds that duties, work content and the team
/// list go on the wall; each of those is placed under the criterion it displays.
pub static THREE: [Criterion; 3] = [
    Criterion {
        id: "body",
        zh: "有机构",
        en: "Has a body",
        source: "001 二、四（一）",
        wording: "各村（居）党支部要明确一名负责人主管妇女维权工作，村妇代会负责村妇女维权站的日常工作……维权站要将工作职责……规范上墙。",
        items: &[
            tick(
                "party_head",
                "村（居）党支部明确一名负责人主管妇女维权工作",
                "The village Party branch names a leader in charge of women's rights work",
            ),
            tick(
                "daily_work",
                "村妇代会负责维权站日常工作",
                "The village women's congress runs the station day to day",
            ),
            tick(
                "duties_on_wall",
                "工作职责规范上墙",
                "The station's duties are on the wall",
            ),
        ],
    },
    Criterion {
        id: "team",
        zh: "有队伍",
        en: "Has a team",
        source: "001 四（一）",
        wording: "有队伍……维权站要将……队伍名单等内容规范上墙。",
        items: &[
            tick("team_formed", "有妇女维权队伍", "Has a women's rights team"),
            tick(
                "team_list_on_wall",
                "队伍名单规范上墙",
                "The team list is on the wall",
            ),
        ],
    },
    Criterion {
        id: "rules",
        zh: "有制度",
        en: "Has rules",
        source: "001 四（一）",
        wording: "有制度。维权站要将工作职责、工作内容、队伍名单等内容规范上墙。",
        items: &[
            tick(
                "rules_established",
                "建立维权站工作制度",
                "The station has working rules",
            ),
            tick(
                "content_on_wall",
                "工作内容规范上墙",
                "The work content is on the wall",
            ),
        ],
    },
];
