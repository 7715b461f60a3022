use chrono::NaiveDate;
use proptest::prelude::*;
use uuid::Uuid;

use super::*;
use crate::error::Problem;
use crate::testgen as g;
use crate::warning::Severity;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn today() -> NaiveDate {
    d(2026, 11, 29)
}

/// The 七有 example of the README: every criterion met.
pub(crate) const SEVEN_JSON: &str = r#"{
  "id": "6f1c2a9e-3b4d-4e5f-8a7b-1c2d3e4f5a6b",
  "org_unit": "白蒲镇林梓村",
  "standard": "seven",
  "assessed_on": "2025-11-20",
  "assessor": "李娟",
  "ticked": [
    "venue",
    "organisation", "part_time_leaders", "volunteer_teams",
    "plaque", "emblem_on_wall", "rules_on_wall", "equipment_in_use",
    "brand",
    "rules", "local_rules",
    "roster_women", "roster_representatives", "roster_village_representatives",
    "roster_party_members", "roster_volunteers", "roster_needy", "roster_left_behind",
    "diary", "meeting_minutes", "study_records", "activity_records", "opinion_ledger",
    "relief_records", "petition_records",
    "annual_plan", "annual_summary", "upper_documents", "local_materials",
    "honours"
  ],
  "not_applicable": ["roster_talent", "roster_groups", "other_materials"],
  "counts": {
    "work_meetings": "12",
    "representative_meetings": "2",
    "reports_to_party": "2",
    "reports_to_federation": "2",
    "representative_contacts": "10",
    "legal_education": "1",
    "volunteer_meetings": "4"
  },
  "annual_funds": "1,600.00",
  "resident_women": "800",
  "remarks": ""
}"#;

/// The 五有 example of the README: the station lacks two of the six working rules.
pub(crate) const FIVE_JSON: &str = r#"{
  "id": "0b7e4c1d-2a3f-4b5c-9d6e-7f8a9b0c1d2e",
  "org_unit": "白蒲镇",
  "standard": "five",
  "assessed_on": "2025-11-20",
  "assessor": "周敏",
  "ticked": [
    "leading_body", "duties_assigned",
    "fixed_office", "plaque",
    "person_in_charge", "calls_answered", "letters_answered", "visits_received",
    "team_formed", "team_mediates",
    "daily_management", "joint_meetings", "petition_reception", "information_feedback"
  ],
  "remarks": "学习培训、考核奖励制度正在制定"
}"#;

fn seven() -> SelfAssessmentInput {
    serde_json::from_str(SEVEN_JSON).unwrap()
}

fn input_for(standard: Standard) -> SelfAssessmentInput {
    let mut input = SelfAssessmentInput {
        id: Uuid::from_u128(9),
        org_unit: "白蒲镇林梓村".into(),
        standard: standard.code().into(),
        assessed_on: "2026-11-20".into(),
        assessor: "李娟".into(),
        ..Default::default()
    };
    for item in standard.criteria().iter().flat_map(|c| c.items) {
        match item.kind {
            ItemKind::Tick | ItemKind::TickOrNotApplicable => input.ticked.push(item.id.into()),
            ItemKind::AtLeast { min, .. } => {
                input.counts.insert(item.id.into(), min.to_string());
            }
            ItemKind::Funds => {
                input.annual_funds = "1,600.00".into();
                input.resident_women = "800".into();
            }
        }
    }
    input
}

fn result(input: &SelfAssessmentInput) -> SelfAssessmentResult {
    SelfAssessment::parse(input, today())
        .unwrap_or_else(|e| panic!("{e:?}"))
        .evaluate()
}

fn untick(input: &mut SelfAssessmentInput, id: &str) {
    let before = input.ticked.len();
    input.ticked.retain(|t| t != id);
    assert_eq!(input.ticked.len() + 1, before, "{id} was ticked once");
}

/// (criterion id, failing sub-item ids) of every unmet criterion.
fn unmet(r: &SelfAssessmentResult) -> Vec<(String, Vec<String>)> {
    r.criteria
        .iter()
        .filter(|c| !c.met)
        .map(|c| {
            let items = c.failures.iter().map(|f| f.item.clone()).collect();
            (c.id.clone(), items)
        })
        .collect()
}

fn fields(e: &ValidationErrors) -> Vec<&str> {
    e.0.iter().map(|e| e.field.as_str()).collect()
}

#[test]
fn the_readme_examples_parse() {
    let r = result(&seven());
    assert_eq!((r.met, r.total, r.percent_hundredths), (7, 7, 10_000));
    assert!(r.all_met() && r.warnings.is_empty());
    assert_eq!(r.funds.unwrap().per_woman.to_string(), "2.00");

    let five: SelfAssessmentInput = serde_json::from_str(FIVE_JSON).unwrap();
    let r = result(&five);
    assert_eq!(
        (r.met, r.total, r.percent_text().as_str()),
        (4, 5, "80.00%")
    );
    assert_eq!(
        unmet(&r),
        [(
            "rules".to_owned(),
            vec!["study_training".to_owned(), "assessment_rewards".to_owned()]
        )]
    );
    assert_eq!(
        r.warnings[0].message,
        "乡镇（街道）妇女维权站“五有”未达标：有工作制度（缺少 学习培训制度；缺少 考核奖励制度）"
    );
    assert_eq!(
        r.warnings[0].message_en,
        "Town women's rights station “five haves” not met: Has working rules \
         (missing: Study and training rules; missing: Assessment and reward rules)"
    );
}

#[test]
fn a_full_checklist_meets_every_standard() {
    for &standard in Standard::ALL {
        let r = result(&input_for(standard));
        assert_eq!(r.met, r.total, "{standard:?}");
        assert_eq!(r.total as usize, standard.criteria().len());
        assert_eq!(r.percent_text(), "100.00%");
    }
    assert_eq!(SEVEN.len(), 7);
    assert_eq!(FIVE.len(), 5);
    assert_eq!(THREE.len(), 3);
}

#[test]
fn ids_are_unique_within_a_standard_and_free_of_dots() {
    for standard in Standard::ALL {
        let mut criteria: Vec<&str> = standard.criteria().iter().map(|c| c.id).collect();
        let mut items: Vec<&str> = standard
            .criteria()
            .iter()
            .flat_map(|c| c.items.iter().map(|i| i.id))
            .collect();
        for ids in [&mut criteria, &mut items] {
            let n = ids.len();
            ids.sort_unstable();
            ids.dedup();
            assert_eq!(ids.len(), n, "{standard:?}");
            // Field paths are `counts.<id>`, so an id must not contain a dot.
            assert!(ids.iter().all(|id| !id.contains('.') && !id.is_empty()));
        }
    }
}

/// One row per sub-item of the 七有: the seed's words, what the assessor leaves out, and the
/// criterion that must then fail (and nothing else).
#[test]
fn seven_haves_table() {
    type Edit = fn(&mut SelfAssessmentInput);
    let cases: &[(&str, Edit, &str, &[&str])] = &[
        (
            "有活动场所。可根据实际情况和需要与党组织活动场所、党群活动服务中心等各级党群活动阵地资源共享。",
            |i| untick(i, "venue"),
            "venue",
            &["venue"],
        ),
        (
            "成立组织机构，由妇联组织负责人具体负责“妇女之家”的日常管理，做到分工明确，职责到位。",
            |i| untick(i, "organisation"),
            "backbone",
            &["organisation"],
        ),
        (
            "把一些热爱妇女工作、有一定文化、组织协调能力强的妇女吸纳为“妇女之家”兼职负责人。",
            |i| untick(i, "part_time_leaders"),
            "backbone",
            &["part_time_leaders"],
        ),
        (
            "结合实际建立有特色的普法维权、科技培训、扶贫济困、文体宣传等各类巾帼志愿者队伍",
            |i| untick(i, "volunteer_teams"),
            "backbone",
            &["volunteer_teams"],
        ),
        (
            "区级要按照女性常住人口人均不低于2元钱的标准划拨“妇女之家”工作经费",
            |i| i.annual_funds = "1,599.99".into(),
            "funds",
            &["funds"],
        ),
        (
            "在室内活动场所悬挂“妇女之家”牌子。",
            |i| untick(i, "plaque"),
            "facilities",
            &["plaque"],
        ),
        (
            "妇联徽、工作制度等内容要上墙展示，做到张贴规范。",
            |i| untick(i, "emblem_on_wall"),
            "facilities",
            &["emblem_on_wall"],
        ),
        (
            "妇联徽、工作制度等内容要上墙展示，做到张贴规范。",
            |i| untick(i, "rules_on_wall"),
            "facilities",
            &["rules_on_wall"],
        ),
        (
            "室内应有开展工作和服务的必要设施，做到管理有序，且经常性使用。",
            |i| untick(i, "equipment_in_use"),
            "facilities",
            &["equipment_in_use"],
        ),
        (
            "原则上每月召开一次工作例会",
            |i| {
                i.counts.insert("work_meetings".into(), "11".into());
            },
            "mechanism",
            &["work_meetings"],
        ),
        (
            "每半年召开一次妇女代表议事会议",
            |i| {
                i.counts
                    .insert("representative_meetings".into(), "1".into());
            },
            "mechanism",
            &["representative_meetings"],
        ),
        (
            "每年至少向同级党组织和上级妇联组织主动汇报两次“妇女之家”工作和活动情况",
            |i| {
                i.counts.insert("reports_to_party".into(), "1".into());
            },
            "mechanism",
            &["reports_to_party"],
        ),
        (
            "每年至少向同级党组织和上级妇联组织主动汇报两次“妇女之家”工作和活动情况",
            |i| {
                i.counts.insert("reports_to_federation".into(), "1".into());
            },
            "mechanism",
            &["reports_to_federation"],
        ),
        (
            "每位妇女代表通过日常工作接触、走访谈心等方式联系10名以上妇女群众",
            |i| {
                i.counts
                    .insert("representative_contacts".into(), "9".into());
            },
            "mechanism",
            &["representative_contacts"],
        ),
        (
            "每年开展不少于一次普法活动",
            |i| {
                i.counts.insert("legal_education".into(), "0".into());
            },
            "mechanism",
            &["legal_education"],
        ),
        (
            "巾帼志愿者队伍原则上每季度召开一次会议",
            |i| {
                i.counts.insert("volunteer_meetings".into(), "3".into());
            },
            "mechanism",
            &["volunteer_meetings"],
        ),
        (
            "着力打造“一区一品”、“一镇一品”、“一家一品”的“妇女之家”特色品牌",
            |i| untick(i, "brand"),
            "brand",
            &["brand"],
        ),
        (
            "（1）制度类：“妇女之家”规章制度（详见附件1）",
            |i| untick(i, "rules"),
            "ledgers",
            &["rules"],
        ),
        (
            "及结合当地实际和妇女群众需要建立的其它制度",
            |i| untick(i, "local_rules"),
            "ledgers",
            &["local_rules"],
        ),
        (
            "（2）名册类：妇女群众名册、妇女代表名册、女村民代表名册、女党员名册……",
            |i| {
                untick(i, "roster_women");
                untick(i, "roster_party_members");
            },
            "ledgers",
            &["roster_women", "roster_party_members"],
        ),
        (
            "（3）记录类：妇情日记、会议记录、各类学习记录、各类活动记录、妇情民意台账、扶贫助困情况记录、妇女来信来访来电记录等。",
            |i| untick(i, "petition_records"),
            "ledgers",
            &["petition_records"],
        ),
        (
            "（4）综合类：年度工作计划、年度工作总结、上级有关文件及材料、本地妇女工作相关资料和图片等。",
            |i| untick(i, "annual_summary"),
            "ledgers",
            &["annual_summary"],
        ),
        (
            "（5）其他类：妇女组织、家庭、个人获得的荣誉和典型资料及其他资料。",
            |i| untick(i, "honours"),
            "ledgers",
            &["honours"],
        ),
    ];
    for (wording, edit, criterion, items) in cases {
        let mut input = input_for(Standard::Seven);
        edit(&mut input);
        let r = result(&input);
        let want = vec![(
            criterion.to_string(),
            items.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        )];
        assert_eq!(unmet(&r), want, "{wording}");
        assert_eq!((r.met, r.total), (6, 7), "{wording}");
        assert_eq!(r.percent_text(), "85.71%");
        let not_met: Vec<_> = r
            .warnings
            .iter()
            .filter(|w| w.code == WarningCode::StandardNotMet)
            .collect();
        assert_eq!(not_met.len(), 1, "{wording}");
        let c = Standard::Seven.criterion(criterion).unwrap();
        assert!(
            not_met[0]
                .message
                .starts_with(&format!("妇女之家“七有”未达标：{}（", c.zh))
        );
        assert!(not_met[0].message_en.contains(c.en));
    }
}

/// 附件1: each frequency of 有长效机制 is met at its minimum and missed one below it.
#[test]
fn lasting_mechanism_frequency_boundaries() {
    let cases = [
        ("work_meetings", 12, "原则上每月召开一次工作例会"),
        (
            "representative_meetings",
            2,
            "每半年召开一次妇女代表议事会议",
        ),
        ("reports_to_party", 2, "每年至少向同级党组织……主动汇报两次"),
        (
            "reports_to_federation",
            2,
            "每年至少向……上级妇联组织主动汇报两次",
        ),
        ("representative_contacts", 10, "联系10名以上妇女群众"),
        ("legal_education", 1, "每年开展不少于一次普法活动"),
        ("volunteer_meetings", 4, "原则上每季度召开一次会议"),
    ];
    for (id, min, wording) in cases {
        let (_, item) = Standard::Seven.item(id).unwrap();
        assert!(
            matches!(item.kind, ItemKind::AtLeast { min: m, .. } if m == min),
            "{wording}"
        );
        for (n, met) in [(min - 1, false), (min, true), (min + 1, true)] {
            let mut input = input_for(Standard::Seven);
            input.counts.insert(id.into(), n.to_string());
            let r = result(&input);
            assert_eq!(r.criterion("mechanism").unwrap().met, met, "{wording}: {n}");
            if !met {
                let f = &r.criterion("mechanism").unwrap().failures[0];
                assert_eq!(
                    f.shortfall,
                    Shortfall::TooFew {
                        counted: n,
                        required: min
                    }
                );
            }
        }
    }
    let mut input = input_for(Standard::Seven);
    input.counts.insert("work_meetings".into(), "11".into());
    let f = &result(&input).criteria[4].failures[0];
    assert_eq!(f.message, "全年召开妇联工作例会（每月一次）：11 次 < 12 次");
    assert_eq!(
        f.message_en,
        "Federation work meetings held in the year (monthly): 11 times < 12 times"
    );
}

/// 003 四（二）3 “区级要按照女性常住人口人均不低于2元钱的标准划拨“妇女之家”工作经费”:
/// exactly 2 元 a woman meets it, one fen less does not.
#[test]
fn funds_boundary() {
    let cases = [
        ("1,600.00", "800", true, "2.00"),
        ("1600", "800", true, "2.00"),
        ("1,599.99", "800", false, "1.99"),
        ("1600.01", "800", true, "2.00"),
        ("2", "1", true, "2.00"),
        ("1.99", "1", false, "1.99"),
        ("0", "1", false, "0.00"),
        ("3", "2", false, "1.50"),
        ("19,999,998.00", "9999999", true, "2.00"),
        ("19,999,997.99", "9999999", false, "1.99"),
        ("100000", "7", true, "14,285.71"),
    ];
    for (funds, women, ok, per_woman) in cases {
        let mut input = input_for(Standard::Seven);
        input.annual_funds = funds.into();
        input.resident_women = women.into();
        let r = result(&input);
        let check = r.funds.unwrap();
        assert_eq!(check.ok, ok, "{funds} / {women}");
        assert_eq!(check.per_woman.to_string(), per_woman, "{funds} / {women}");
        assert_eq!(r.criterion("funds").unwrap().met, ok);
        let funds_warning = r
            .warnings
            .iter()
            .any(|w| w.code == WarningCode::FundsBelowMinimum);
        assert_eq!(funds_warning, !ok, "{funds} / {women}");
    }
}

#[test]
fn funds_shortfall_is_explained_in_both_languages() {
    let mut input = input_for(Standard::Seven);
    input.annual_funds = "1500".into();
    let r = result(&input);
    let f = &r.criterion("funds").unwrap().failures[0];
    assert_eq!(f.message, "经费 1,500.00 元 < 2 元 × 800 人 = 1,600.00 元");
    assert_eq!(
        f.message_en,
        "funds 1,500.00 yuan < 2 yuan × 800 women = 1,600.00 yuan"
    );
    let codes: Vec<_> = r.warnings.iter().map(|w| w.code.as_str()).collect();
    assert_eq!(codes, ["standard.not_met", "funds.below_minimum"]);
    assert_eq!(
        r.warnings[0].message,
        "妇女之家“七有”未达标：有经费保障（经费 1,500.00 元 < 2 元 × 800 人 = 1,600.00 元）"
    );
    assert_eq!(
        r.warnings[1].message,
        "经费低于每名常住妇女2元：经费 1,500.00 元 < 2 元 × 800 人 = 1,600.00 元"
    );
    assert_eq!(
        r.warnings[1].message_en,
        "Funds below 2 yuan per resident woman: funds 1,500.00 yuan < 2 yuan × 800 women = 1,600.00 yuan"
    );
    assert!(r.warnings.iter().all(|w| w.severity == Severity::Medium));
    assert!(r.warnings.iter().all(|w| w.subject
        == crate::warning::Subject::Record {
            id: Uuid::from_u128(9)
        }));
}

/// A 妇女之家 with no resident women cannot be assessed against a per-woman rule (and 0 women
/// would make 0 元 "enough"): 0 is refused when the form is parsed.
#[test]
fn zero_resident_women_is_refused() {
    let mut input = input_for(Standard::Seven);
    input.resident_women = "0".into();
    let e = SelfAssessment::parse(&input, today()).unwrap_err();
    assert_eq!(fields(&e), ["resident_women"]);
    assert_eq!(
        e.0[0].problem,
        Problem::OutOfRange {
            min: 1,
            max: 9_999_999
        }
    );
    assert_eq!(e.0[0].message, "常住妇女人口：应为1到9999999之间的整数");
    // The preview treats it as not entered yet.
    let r = input.preview(today()).unwrap();
    assert_eq!(
        r.criterion("funds").unwrap().failures[0].shortfall,
        Shortfall::NotEntered
    );
    // A hand-built record cannot sneak through either.
    let check = Funds {
        annual: Yuan::ZERO,
        resident_women: 0,
    }
    .check();
    assert!(!check.ok);
}

/// 001 四（一）: 乡镇（街道）妇女维权站要达到“五有”的标准.
#[test]
fn five_haves_table() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "（1）有领导机构。组建领导机构",
            "leading_body",
            "leadership",
        ),
        ("明确责任和分工", "duties_assigned", "leadership"),
        (
            "（2）有办公场所。有固定的办公地点",
            "fixed_office",
            "office",
        ),
        ("有妇女维权站标牌", "plaque", "office"),
        (
            "（3）有专人负责。维权站要有人负责",
            "person_in_charge",
            "staff",
        ),
        ("来电有人听", "calls_answered", "staff"),
        ("来信有人复", "letters_answered", "staff"),
        ("来访有人接", "visits_received", "staff"),
        (
            "（4）有维权队伍。组建一支具有法律、心理学、社会学等专业知识……的妇女维权队伍",
            "team_formed",
            "team",
        ),
        ("积极开展妇女矛盾调处化解工作", "team_mediates", "team"),
        (
            "（5）有工作制度。建立健全日常管理",
            "daily_management",
            "rules",
        ),
        ("工作联席", "joint_meetings", "rules"),
        ("信访接待", "petition_reception", "rules"),
        ("信息反馈", "information_feedback", "rules"),
        ("学习培训", "study_training", "rules"),
        ("考核奖励等工作制度", "assessment_rewards", "rules"),
    ];
    assert_eq!(
        cases.len(),
        FIVE.iter().map(|c| c.items.len()).sum::<usize>(),
        "every sub-item has a row"
    );
    assert_eq!(FIVE[4].items.len(), 6, "six working rules");
    for (wording, item, criterion) in cases {
        let mut input = input_for(Standard::Five);
        untick(&mut input, item);
        let r = result(&input);
        assert_eq!(
            unmet(&r),
            [(criterion.to_string(), vec![item.to_string()])],
            "{wording}"
        );
        assert_eq!((r.met, r.total, r.percent_hundredths), (4, 5, 8000));
    }
}

/// 001 四（一）: 村（居）妇女维权站要达到“三有”的标准，即：有机构、有队伍、有制度。维权站要将
/// 工作职责、工作内容、队伍名单等内容规范上墙。
#[test]
fn three_haves_table() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "各村（居）党支部要明确一名负责人主管妇女维权工作",
            "party_head",
            "body",
        ),
        ("村妇代会负责村妇女维权站的日常工作", "daily_work", "body"),
        ("将工作职责……规范上墙", "duties_on_wall", "body"),
        ("有队伍", "team_formed", "team"),
        ("将……队伍名单等内容规范上墙", "team_list_on_wall", "team"),
        ("有制度", "rules_established", "rules"),
        ("将……工作内容……规范上墙", "content_on_wall", "rules"),
    ];
    assert_eq!(
        cases.len(),
        THREE.iter().map(|c| c.items.len()).sum::<usize>()
    );
    for (wording, item, criterion) in cases {
        let mut input = input_for(Standard::Three);
        untick(&mut input, item);
        let r = result(&input);
        assert_eq!(
            unmet(&r),
            [(criterion.to_string(), vec![item.to_string()])],
            "{wording}"
        );
        assert_eq!(
            (r.met, r.total, r.percent_text().as_str()),
            (2, 3, "66.67%")
        );
    }
    let r = result(&SelfAssessmentInput {
        ticked: vec!["team_formed".into()],
        ..input_for(Standard::Three)
    });
    assert_eq!((r.met, r.percent_text().as_str()), (0, "0.00%"));
    assert_eq!(r.warnings.len(), 3);
}

#[test]
fn ledger_items_that_may_not_apply() {
    let mut input = input_for(Standard::Seven);
    untick(&mut input, "roster_village_representatives");
    assert_eq!(
        unmet(&result(&input)),
        [(
            "ledgers".to_owned(),
            vec!["roster_village_representatives".to_owned()]
        )]
    );
    let f = &result(&input).criteria[6].failures[0];
    assert_eq!(f.message, "缺少 名册类：女村民代表名册");
    assert_eq!(
        f.message_en,
        "missing: Rosters: Roster of women village representatives"
    );
    // An urban community has no village representatives: 不适用 meets it.
    input
        .not_applicable
        .push("roster_village_representatives".into());
    assert!(result(&input).all_met());
    // The core rosters cannot be waved away.
    input.not_applicable.push("roster_women".into());
    let e = SelfAssessment::parse(&input, today()).unwrap_err();
    assert_eq!(fields(&e), ["not_applicable[1]"]);
    assert_eq!(e.0[0].message, "第2个不适用项：请从列表中选择");
    // Ticked and 不适用 at once: ticked wins.
    let mut input = input_for(Standard::Seven);
    input.not_applicable.push("honours".into());
    let rec = SelfAssessment::parse(&input, today()).unwrap();
    assert!(rec.ticked.contains("honours") && rec.not_applicable.is_empty());
    // Every class of the seed is there, in order.
    let classes: Vec<&str> = SEVEN[6]
        .items
        .iter()
        .filter_map(|i| i.group.map(|g| g.zh))
        .fold(Vec::new(), |mut v, g| {
            if v.last() != Some(&g) {
                v.push(g);
            }
            v
        });
    assert_eq!(classes, ["制度类", "名册类", "记录类", "综合类", "其他类"]);
    assert_eq!(
        LEDGER_CLASSES.map(|g| g.zh),
        ["制度类", "名册类", "记录类", "综合类", "其他类"]
    );
}

#[test]
fn an_empty_form_names_the_required_fields() {
    let e = SelfAssessment::parse(&SelfAssessmentInput::default(), today()).unwrap_err();
    assert_eq!(
        fields(&e),
        ["id", "org_unit", "standard", "assessed_on", "assessor"]
    );
    assert_eq!(e.get("standard").unwrap().message, "自评标准：必填");
    assert_eq!(
        e.get("standard").unwrap().message_en,
        "Standard is required"
    );

    let e = SelfAssessment::parse(
        &SelfAssessmentInput::blank(Uuid::from_u128(7), Standard::Seven, today()),
        today(),
    )
    .unwrap_err();
    assert_eq!(
        fields(&e),
        [
            "org_unit",
            "assessor",
            "counts.work_meetings",
            "counts.representative_meetings",
            "counts.reports_to_party",
            "counts.reports_to_federation",
            "counts.representative_contacts",
            "counts.legal_education",
            "counts.volunteer_meetings",
            "annual_funds",
            "resident_women",
        ]
    );
    assert_eq!(
        e.get("counts.work_meetings").unwrap().message,
        "全年召开妇联工作例会（每月一次）：必填"
    );
    assert_eq!(
        e.get("annual_funds").unwrap().message,
        "工作经费（元/年）：必填"
    );
}

#[test]
fn bad_answers_are_named_by_field() {
    let mut input = input_for(Standard::Seven);
    input.standard = " seven ".into();
    input.ticked.push("leading_body".into()); // a 五有 item
    input.ticked.push("work_meetings".into()); // a count, not a box
    input.counts.insert("meetings".into(), "3".into());
    input.counts.insert("legal_education".into(), "1.5".into());
    input
        .counts
        .insert("volunteer_meetings".into(), "-4".into());
    input.annual_funds = "1.600,00".into();
    input.assessed_on = "2026-11-30".into();
    let e = SelfAssessment::parse(&input, today()).unwrap_err();
    let n = input.ticked.len();
    assert_eq!(
        fields(&e),
        [
            "assessed_on".to_owned(),
            format!("ticked[{}]", n - 2),
            format!("ticked[{}]", n - 1),
            "counts.meetings".to_owned(),
            "counts.legal_education".to_owned(),
            "counts.volunteer_meetings".to_owned(),
            "annual_funds".to_owned(),
        ]
    );
    assert_eq!(e.get("assessed_on").unwrap().problem, Problem::FutureDate);
    assert_eq!(
        e.get("counts.legal_education").unwrap().message,
        "全年开展普法活动：应为0到99999之间的整数"
    );
    assert!(matches!(
        e.get("annual_funds").unwrap().problem,
        Problem::InvalidAmount
    ));

    let mut input = input_for(Standard::Five);
    input.standard = "six".into();
    let e = SelfAssessment::parse(&input, today()).unwrap_err();
    assert_eq!(fields(&e), ["standard"]);
    assert_eq!(e.0[0].problem, Problem::UnknownChoice);
}

#[test]
fn funds_belong_to_the_seven_haves_only() {
    let mut input = input_for(Standard::Five);
    input.annual_funds = "1600".into();
    input.resident_women = "800".into();
    let e = SelfAssessment::parse(&input, today()).unwrap_err();
    assert_eq!(fields(&e), ["annual_funds", "resident_women"]);
    // The preview simply ignores them.
    let r = input.preview(today()).unwrap();
    assert_eq!((r.met, r.funds), (5, None));
}

#[test]
fn percentages_are_exact_hundredths_rounded_half_up() {
    let cases = [
        (0, 7, 0),
        (1, 7, 1429),
        (2, 7, 2857),
        (3, 7, 4286),
        (4, 7, 5714),
        (5, 7, 7143),
        (6, 7, 8571),
        (7, 7, 10_000),
        (1, 3, 3333),
        (2, 3, 6667),
        (3, 5, 6000),
        (1, 8, 1250),
        (1, 32, 313),
        (0, 0, 0),
    ];
    for (met, total, want) in cases {
        assert_eq!(percent_hundredths(met, total), want, "{met}/{total}");
    }
}

#[test]
fn the_preview_follows_a_half_filled_form() {
    let mut input = SelfAssessmentInput::blank(Uuid::nil(), Standard::Seven, today());
    input.ticked.push("venue".into());
    input.counts.insert("work_meetings".into(), "abc".into());
    let r = input.preview(today()).unwrap();
    assert_eq!((r.met, r.total), (1, 7));
    let f = &r.criterion("mechanism").unwrap().failures[0];
    assert_eq!(f.shortfall, Shortfall::NotEntered);
    assert_eq!(f.message, "全年召开妇联工作例会（每月一次）：未填写");
    assert_eq!(SelfAssessmentInput::default().preview(today()), None);
}

#[test]
fn records_round_trip_through_json() {
    let rec = SelfAssessment::parse(&seven(), today()).unwrap();
    let json = serde_json::to_string(&rec).unwrap();
    let back: SelfAssessment = serde_json::from_str(&json).unwrap();
    assert_eq!(back, rec);
    let r = rec.evaluate();
    let back: SelfAssessmentResult =
        serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
    assert_eq!(back, r);
    // Unknown fields are refused, so a typo cannot drop an answer.
    assert!(serde_json::from_str::<SelfAssessmentInput>(r#"{"tickd":[]}"#).is_err());
}

fn any_input() -> impl Strategy<Value = SelfAssessmentInput> {
    (
        prop::sample::select(Standard::ALL.to_vec()),
        prop::collection::vec(any::<bool>(), 64),
        prop::collection::vec(any::<bool>(), 64),
        prop::collection::vec(0u32..20, 7),
        0i64..400_000,
        1u32..2_000,
    )
        .prop_map(|(standard, tick, na, counts, fen, women)| {
            let mut input = SelfAssessmentInput {
                id: Uuid::from_u128(1),
                org_unit: "林梓村".into(),
                standard: standard.code().into(),
                assessed_on: "2026-01-15".into(),
                assessor: "李娟".into(),
                ..Default::default()
            };
            let items = standard.criteria().iter().flat_map(|c| c.items);
            let mut next_count = counts.into_iter().cycle();
            for (i, item) in items.enumerate() {
                match item.kind {
                    ItemKind::Tick if tick[i] => input.ticked.push(item.id.into()),
                    ItemKind::TickOrNotApplicable if tick[i] => input.ticked.push(item.id.into()),
                    ItemKind::TickOrNotApplicable if na[i] => {
                        input.not_applicable.push(item.id.into())
                    }
                    ItemKind::AtLeast { .. } => {
                        let n = next_count.next().unwrap();
                        input.counts.insert(item.id.into(), n.to_string());
                    }
                    ItemKind::Funds => {
                        input.annual_funds = Yuan::from_fen(fen).unwrap().to_string();
                        input.resident_women = women.to_string();
                    }
                    _ => {}
                }
            }
            input
        })
}

prop_compose! {
    /// A valid self-assessment with everything varied: the answers of [`any_input`], who and
    /// when, remarks, and answers typed the untidy ways the form allows (an id twice, with
    /// spaces, a ticked item also marked 不适用).
    fn valid_assessment()(
        input in any_input(),
        id in g::id(),
        (org_unit, assessor, remarks) in (g::text(60), g::name(), g::opt(g::text(1000))),
        day in any::<u32>(),
        (repeat, pad, both) in (any::<prop::sample::Index>(), any::<bool>(), any::<bool>()),
    ) -> SelfAssessmentInput {
        let mut input = input;
        input.id = id;
        input.org_unit = org_unit;
        input.assessor = assessor;
        input.remarks = remarks;
        input.assessed_on = g::ymd(g::date_in(earliest_date(), today(), day));
        if !input.ticked.is_empty() {
            let again = repeat.get(&input.ticked).clone();
            let standard = Standard::parse(&input.standard).unwrap();
            let may_not_apply = matches!(
                standard.item(&again),
                Some((_, item)) if item.kind == ItemKind::TickOrNotApplicable
            );
            if both && may_not_apply {
                input.not_applicable.push(again.clone());
            }
            input.ticked.push(if pad { format!(" {again} ") } else { again });
        }
        input
    }
}

/// Nearly every generated self-assessment is valid, so the round trip is really checked.
#[test]
fn the_valid_assessment_generator_makes_valid_assessments() {
    g::assert_mostly_valid("self-assessment", valid_assessment(), |i| {
        SelfAssessment::parse(i, today()).is_ok()
    });
}

fn tick_ids(standard: Standard) -> Vec<&'static str> {
    standard
        .criteria()
        .iter()
        .flat_map(|c| c.items)
        .filter(|i| matches!(i.kind, ItemKind::Tick | ItemKind::TickOrNotApplicable))
        .map(|i| i.id)
        .collect()
}

proptest! {
    #[test]
    fn scores_stay_in_range(input in any_input()) {
        let r = result(&input);
        prop_assert!(r.met <= r.total);
        prop_assert_eq!(r.total as usize, r.criteria.len());
        prop_assert!(r.percent_hundredths <= 10_000);
        prop_assert_eq!(r.percent_hundredths == 10_000, r.all_met());
        prop_assert_eq!(r.percent_hundredths == 0, r.met == 0);
        for c in &r.criteria {
            prop_assert_eq!(c.met, c.failures.is_empty());
        }
        let not_met = r.warnings.iter().filter(|w| w.code == WarningCode::StandardNotMet).count();
        prop_assert_eq!(not_met as u32, r.total - r.met);
    }

    /// Ticking one more box never lowers the number of criteria met.
    #[test]
    fn ticking_more_never_lowers_the_score(input in any_input(), pick in any::<prop::sample::Index>()) {
        let standard = Standard::parse(&input.standard).unwrap();
        let before = result(&input);
        let mut more = input.clone();
        more.ticked.push(pick.get(&tick_ids(standard)).to_string());
        let after = result(&more);
        prop_assert!(after.met >= before.met);
        for (b, a) in before.criteria.iter().zip(&after.criteria) {
            prop_assert!(a.met || !b.met);
            prop_assert!(a.failures.len() <= b.failures.len());
        }
    }

    /// More meetings or more funds never lower the score either.
    #[test]
    fn higher_numbers_never_lower_the_score(input in any_input(), extra in 0u32..30, fen in 0i64..100_000) {
        let before = result(&input);
        let mut more = input.clone();
        for v in more.counts.values_mut() {
            *v = (v.parse::<u32>().unwrap() + extra).to_string();
        }
        if let Ok(y) = Yuan::parse(&more.annual_funds) {
            more.annual_funds = Yuan::from_fen(y.fen() + fen).unwrap().to_string();
        }
        prop_assert!(result(&more).met >= before.met);
    }

    /// What the app shows while ticking is what the server computes from the stored record.
    #[test]
    fn preview_equals_the_evaluation_of_the_parsed_record(input in any_input()) {
        let stored = SelfAssessment::parse(&input, today()).unwrap().evaluate();
        prop_assert_eq!(input.preview(today()), Some(stored));
    }

    /// Parsing arbitrary text never panics, and every error names its field.
    #[test]
    fn every_error_names_its_field(
        input in any_input(),
        id in ".{0,20}",
        count in ".{0,8}",
        funds in ".{0,12}",
        women in ".{0,8}",
    ) {
        let mut input = input;
        input.ticked.push(id.clone());
        input.not_applicable.push(id);
        if let Some(v) = input.counts.values_mut().next() {
            *v = count;
        }
        input.annual_funds = funds;
        input.resident_women = women;
        let _ = input.preview(today());
        if let Err(e) = SelfAssessment::parse(&input, today()) {
            for fe in &e.0 {
                prop_assert!(!fe.field.is_empty());
                prop_assert!(fe.message.contains('：'));
            }
        }
    }

    /// A stored self-assessment comes back as its form, which parses to the same record.
    #[test]
    fn assessments_come_back_as_their_form(input in valid_assessment()) {
        let r = SelfAssessment::parse(&input, today())
            .map_err(|e| TestCaseError::fail(format!("generated form refused: {e:?}")))?;
        prop_assert_eq!(SelfAssessment::parse(&r.to_input(), today()), Ok(r));
    }

    #[test]
    fn money_displays_and_parses_back(fen in 0i64..=Yuan::MAX.fen()) {
        let y = Yuan::from_fen(fen).unwrap();
        prop_assert_eq!(Yuan::parse(&y.to_string()), Ok(y));
        prop_assert_eq!(Yuan::parse(&y.to_string().replace(',', "")), Ok(y));
    }
}
