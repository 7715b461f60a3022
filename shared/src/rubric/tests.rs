use std::collections::{BTreeMap, HashSet};

use proptest::prelude::*;

use super::*;
use crate::error::{Problem, ValidationErrors};
use crate::testgen as g;

fn rubric() -> &'static Rubric {
    Rubric::builtin()
}

fn s(raw: &str) -> Score {
    Score::parse(raw).unwrap()
}

fn fields(e: &ValidationErrors) -> Vec<&str> {
    e.0.iter().map(|e| e.field.as_str()).collect()
}

/// The answer to `rule` that costs nothing.
fn perfect_answer(rule: &Rule) -> ItemInput {
    match rule {
        Rule::Shortfall { required, .. } => count(&required.to_string()),
        Rule::Flag { .. } => ItemInput::default(),
        Rule::Checklist { elements, .. } => {
            checked(&elements.iter().map(|e| e.id.as_str()).collect::<Vec<_>>())
        }
        Rule::PerOccurrence { .. } => ItemInput::default(),
        Rule::Choice { options } => option(
            &options
                .iter()
                .find(|o| o.deduction == Some(Score::ZERO))
                .unwrap()
                .id,
        ),
        Rule::Discretionary { .. } => ItemInput::default(),
        Rule::Proportional { .. } => tasks("1", "1"),
        Rule::AssessorScore { max } => innovation(true, &max.to_string()),
    }
}

/// A town that loses nothing anywhere.
fn perfect() -> TownAssessmentInput {
    TownAssessmentInput {
        id: uuid::Uuid::from_u128(2018),
        town: "白蒲镇".into(),
        year: "2018".into(),
        items: rubric()
            .items()
            .map(|(_, i)| (i.id.clone(), perfect_answer(&i.rule)))
            .collect(),
        ..Default::default()
    }
}

fn count(n: &str) -> ItemInput {
    ItemInput {
        count: n.into(),
        ..Default::default()
    }
}

fn holds(b: bool) -> ItemInput {
    ItemInput {
        holds: b,
        ..Default::default()
    }
}

fn checked(ids: &[&str]) -> ItemInput {
    ItemInput {
        checked: Some(ids.iter().map(|s| s.to_string()).collect()),
        ..Default::default()
    }
}

fn option(id: &str) -> ItemInput {
    ItemInput {
        option: id.into(),
        ..Default::default()
    }
}

fn discretion(points: &str) -> ItemInput {
    ItemInput {
        deduction: points.into(),
        reason: if points.is_empty() {
            String::new()
        } else {
            "检查发现问题".into()
        },
        ..Default::default()
    }
}

fn tasks(done: &str, total: &str) -> ItemInput {
    ItemInput {
        done: done.into(),
        total: total.into(),
        ..Default::default()
    }
}

fn innovation(applied: bool, score: &str) -> ItemInput {
    ItemInput {
        applied,
        score: score.into(),
        ..Default::default()
    }
}

/// What `answer` to `item` costs in an otherwise perfect town.
fn deduction_of(item: &str, answer: ItemInput) -> Score {
    let mut input = perfect();
    input.items.insert(item.into(), answer);
    let score = input.score(rubric()).unwrap();
    score
        .categories
        .iter()
        .flat_map(|c| &c.deductions)
        .find(|d| d.item == item)
        .map_or(Score::ZERO, |d| d.points)
}

/// Item id, the clause quoted, and answers with the deduction the clause says they cost.
type Clause = (&'static str, &'static str, Vec<(ItemInput, &'static str)>);

/// Every clause of 考核记分办法.
fn clause_table() -> Vec<Clause> {
    let flag = |points: &'static str| vec![(holds(true), points), (holds(false), "0")];
    vec![
        // 妇女发展
        (
            "women_development.training",
            "全年培训不少于2次…少一次扣1分",
            vec![
                (count("0"), "2"),
                (count("1"), "1"),
                (count("2"), "0"),
                (count("3"), "0"),
            ],
        ),
        (
            "women_development.pairing",
            "结对创业、春风送岗、培育典型有图片、有名册，少一项扣1分",
            vec![
                (checked(&[]), "3"),
                (checked(&["pairing"]), "2"),
                (checked(&["pairing", "role_models"]), "1"),
                (checked(&["pairing", "spring_jobs", "role_models"]), "0"),
            ],
        ),
        (
            "women_development.bases",
            "基地未分类统计上报的扣2分",
            flag("2"),
        ),
        (
            "women_development.civilised_post",
            "未培育巾帼文明岗的扣2分",
            flag("2"),
        ),
        // 妇女维权
        (
            "rights.activities",
            "全年活动不少于4次…少一次扣1分",
            vec![
                (count("0"), "4"),
                (count("3"), "1"),
                (count("4"), "0"),
                (count("6"), "0"),
            ],
        ),
        (
            "rights.safe_family",
            "有计划、有考核、有表彰、有活动、有总结、有信息报送，少一项酌情扣1分",
            vec![
                (checked(&[]), "6"),
                (checked(&["plan", "summary"]), "4"),
                (
                    checked(&[
                        "plan",
                        "assessment",
                        "commendation",
                        "activities",
                        "summary",
                    ]),
                    "1",
                ),
                (
                    checked(&[
                        "plan",
                        "assessment",
                        "commendation",
                        "activities",
                        "summary",
                        "reporting",
                    ]),
                    "0",
                ),
            ],
        ),
        (
            "rights.mediator",
            "金牌老舅妈至少培育1个，没有酌情扣1分",
            vec![(count("0"), "1"), (count("1"), "0"), (count("2"), "0")],
        ),
        (
            "rights.visit_register",
            "无来访记录簿，未详细记录接处经过和结果的扣1分",
            flag("1"),
        ),
        (
            "rights.assigned_petitions",
            "对上级部门交办的信访案件不认真查处,未及时上报处理情况的扣1分",
            flag("1"),
        ),
        (
            "rights.petition_impact",
            "因信访处理不当造成较大影响的扣2分",
            flag("2"),
        ),
        (
            "rights.council_missing",
            "未建立妇女议事会的扣1分",
            flag("1"),
        ),
        (
            "rights.council_inactive",
            "不发挥作用的酌情扣分 (range 0–1)",
            vec![
                (discretion(""), "0"),
                (discretion("0.5"), "0.5"),
                (discretion("1"), "1"),
            ],
        ),
        // 妇儿工委
        (
            "committee.midterm_review",
            "未做好十三五妇女儿童规划中期评估工作扣2分",
            flag("2"),
        ),
        (
            "committee.single_mothers_data",
            "单亲贫困母亲动态数据不及时更新的扣2分",
            flag("2"),
        ),
        (
            "committee.single_mothers_care",
            "全年自行开展关爱单亲贫困母亲活动1次以上，未开展的扣1分",
            vec![(count("0"), "1"), (count("1"), "0"), (count("3"), "0")],
        ),
        (
            "committee.cancer_aid_records",
            "两癌贫困妇女资料申报不全面、不属实的扣1分",
            flag("1"),
        ),
        (
            "committee.cancer_aid_petitions",
            "因工作不力造成上访的有一例扣2分",
            vec![
                (count(""), "0"),
                (count("0"), "0"),
                (count("1"), "2"),
                (count("3"), "6"),
            ],
        ),
        // 儿童家庭工作
        (
            "children_family.children_data",
            "未及时更新特殊儿童数据扣1分",
            flag("1"),
        ),
        (
            "children_family.statistics",
            "统计上报数据不准确扣1分",
            flag("1"),
        ),
        (
            "children_family.chunlei_class",
            "春蕾班管理不规范，全年未开展活动扣1分",
            flag("1"),
        ),
        (
            "children_family.brand",
            "无儿童工作品牌扣2分，有品牌未开展活动扣1分",
            vec![
                (option("none"), "2"),
                (option("inactive"), "1"),
                (option("active"), "0"),
            ],
        ),
        (
            "children_family.research_society",
            "未建立镇家庭教育研究会的扣1分",
            flag("1"),
        ),
        (
            "children_family.education_activities",
            "未开展镇、社区家庭教育活动扣1分",
            flag("1"),
        ),
        (
            "children_family.family_search",
            "未开展寻访活动的扣1分",
            flag("1"),
        ),
        (
            "children_family.family_stories",
            "上报典型家庭事迹不准确扣1分",
            flag("1"),
        ),
        (
            "children_family.storytelling",
            "全年未举行“雉水百姓故事会”扣1分",
            flag("1"),
        ),
        (
            "children_family.holiday_activities",
            "无妇联主体参与、无图片、无记录的根据情况酌情扣分 (range 0–3)",
            vec![
                (discretion(""), "0"),
                (discretion("1.5"), "1.5"),
                (discretion("3"), "3"),
            ],
        ),
        // 组织工作
        ("organisation.training", "未举办培训班的扣1分", flag("1")),
        (
            "organisation.meetings",
            "未按要求开展例会的扣2分",
            flag("2"),
        ),
        (
            "organisation.cadre_database",
            "无最新镇、村女干部信息库的扣1分",
            flag("1"),
        ),
        (
            "organisation.featured_home",
            "无特色妇女儿童之家的扣1分",
            flag("1"),
        ),
        (
            "organisation.regional",
            "区域化妇联组织建设不到位的扣2-3分",
            vec![
                (discretion(""), "0"),
                (discretion("0"), "0"),
                (discretion("2"), "2"),
                (discretion("2.5"), "2.5"),
                (discretion("3"), "3"),
            ],
        ),
        (
            "organisation.new_womens_org",
            "未新建女性社会组织的扣1分",
            flag("1"),
        ),
        (
            "organisation.womens_org_management",
            "女性社会组织无规范管理、无活动的扣1分",
            flag("1"),
        ),
        // 宣传工作
        (
            "publicity.march8_activities",
            "未开展“三八”活动的扣1分",
            flag("1"),
        ),
        (
            "publicity.march8_meeting",
            "未开展“三八”节总结表彰大会的扣2分",
            flag("2"),
        ),
        (
            "publicity.role_models",
            "无妇女典型上报或媒体刊登的扣1分",
            flag("1"),
        ),
        (
            "publicity.media_campaigns",
            "集中宣传妇女工作不少于4次…未开展集中宣传的少一次扣1分",
            vec![
                (count("0"), "4"),
                (count("2"), "2"),
                (count("4"), "0"),
                (count("5"), "0"),
            ],
        ),
        (
            "publicity.volunteer_project",
            "巾帼志愿无重点特色活动扣1分",
            flag("1"),
        ),
        (
            "publicity.volunteer_models",
            "未培育上报新的志愿服务典型并表彰宣传的扣1分",
            flag("1"),
        ),
        // 妇女儿童活动中心建设工作
        (
            "activity_centre.built",
            "未按标准建成妇女儿童活动中心扣2分",
            flag("2"),
        ),
        (
            "activity_centre.equipment",
            "活动器械不能满足活动需求的扣2分",
            flag("2"),
        ),
        (
            "activity_centre.signature_activities",
            "无特色活动扣1分",
            flag("1"),
        ),
        ("activity_centre.activities", "未开展活动的扣1分", flag("1")),
        // 信息调研工作
        (
            "information.published",
            "全年不少于12条，录用信息少1条扣1分",
            vec![
                (count("0"), "12"),
                (count("11"), "1"),
                (count("12"), "0"),
                (count("15"), "0"),
            ],
        ),
        (
            "information.research_article",
            "未有录用调研文章扣2分",
            flag("2"),
        ),
        // 创新工作
        (
            "innovation.work",
            "未有创新工作申报的不得分，年终根据考评结果予以打分",
            vec![
                (innovation(false, ""), "10"),
                (innovation(false, "9"), "10"),
                (innovation(true, "0"), "10"),
                (innovation(true, "7.5"), "2.5"),
                (innovation(true, "10"), "0"),
            ],
        ),
        // 其他
        (
            "other.city_activities",
            "未按要求组织人员参加市妇联活动的缺一次扣0.5分",
            vec![(count(""), "0"), (count("1"), "0.5"), (count("3"), "1.5")],
        ),
        (
            "other.late_materials",
            "未按时上报材料的一次扣0.5分",
            vec![(count("0"), "0"), (count("1"), "0.5"), (count("4"), "2")],
        ),
        (
            "other.publicity_tasks",
            "未完成的按比例扣分 (of 10 points)",
            vec![
                (tasks("3", "3"), "0"),
                (tasks("2", "4"), "5"),
                (tasks("0", "4"), "10"),
                (tasks("2", "3"), "3.33"),
                (tasks("1", "3"), "6.67"),
                (tasks("0", "0"), "0"),
            ],
        ),
    ]
}

#[test]
fn every_clause_deducts_what_the_seed_says() {
    for (item, clause, cases) in clause_table() {
        for (answer, want) in cases {
            assert_eq!(
                deduction_of(item, answer.clone()),
                s(want),
                "{item} 「{clause}」 {answer:?}"
            );
        }
    }
}

#[test]
fn the_clause_table_covers_every_rubric_item() {
    let tested: HashSet<&str> = clause_table().iter().map(|(id, _, _)| *id).collect();
    let all: HashSet<&str> = rubric().items().map(|(_, i)| i.id.as_str()).collect();
    assert_eq!(tested, all);
}

#[test]
fn the_builtin_rubric_is_ten_categories_of_ten_points_with_unique_ids() {
    let r = rubric();
    assert_eq!(r.year, 2018);
    let names: Vec<&str> = r.categories.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "妇女发展",
            "妇女维权",
            "妇儿工委",
            "儿童家庭工作",
            "组织工作",
            "宣传工作",
            "妇女儿童活动中心建设工作",
            "信息调研工作",
            "创新工作",
            "其他"
        ]
    );
    assert!(r.categories.iter().all(|c| c.points == Score::points(10)));
    assert_eq!(r.full_marks, Score::points(100));
    assert_eq!(r.bonus.cap, Score::points(20));
    let ids: Vec<&str> = r.items().map(|(_, i)| i.id.as_str()).collect();
    let unique: HashSet<&str> = ids.iter().copied().collect();
    assert_eq!(ids.len(), unique.len());
    assert_eq!(ids.len(), 50);
}

#[test]
fn the_builtin_rubric_round_trips_through_json() {
    let json = serde_json::to_string(rubric()).unwrap();
    assert_eq!(&Rubric::from_json(&json).unwrap(), rubric());
    let via_serde: Rubric = serde_json::from_str(&json).unwrap();
    assert_eq!(&via_serde, rubric());
}

#[test]
fn a_perfect_town_scores_one_hundred() {
    let score = perfect().score(rubric()).unwrap();
    assert_eq!(score.raw_total, Score::points(100));
    assert!(score.categories.iter().all(|c| c.deductions.is_empty()));
}

#[test]
fn a_category_never_goes_below_zero() {
    let mut input = perfect();
    input
        .items
        .insert("information.published".into(), count("0"));
    input
        .items
        .insert("information.research_article".into(), holds(true));
    let score = input.score(rubric()).unwrap();
    let info = score
        .categories
        .iter()
        .find(|c| c.id == "information")
        .unwrap();
    assert_eq!(info.deducted, Score::points(14));
    assert_eq!(info.score, Score::ZERO);
    assert_eq!(score.raw_total, Score::points(90));
}

#[test]
fn bonus_counts_each_event_and_is_capped_at_twenty() {
    let mut input = perfect();
    input.bonus = BTreeMap::from([
        ("city_meeting".into(), "2".into()),
        ("nantong_meeting".into(), "1".into()),
        ("chunlei_class".into(), "1".into()),
    ]);
    let score = input.score(rubric()).unwrap();
    assert_eq!(score.bonus_raw, Score::points(5));
    assert_eq!(score.bonus, Score::points(5));
    assert_eq!(score.raw_total, Score::points(105));

    input.bonus.insert("investment".into(), "4".into());
    let score = input.score(rubric()).unwrap();
    assert_eq!(score.bonus_raw, Score::points(25));
    assert_eq!(score.bonus, Score::points(20));
    assert_eq!(score.raw_total, Score::points(120));
}

#[test]
fn bad_fields_are_all_reported_with_their_keys() {
    let mut input = perfect();
    input.town = " ".into();
    // A rubric serves its own year and later ones, never an earlier year.
    input.year = "2017".into();
    input
        .items
        .insert("organisation.regional".into(), discretion("1"));
    input.items.insert(
        "children_family.holiday_activities".into(),
        ItemInput {
            deduction: "2".into(),
            ..Default::default()
        },
    );
    input
        .items
        .insert("women_development.training".into(), count("-1"));
    input
        .items
        .insert("rights.safe_family".into(), ItemInput::default());
    input.items.insert(
        "women_development.pairing".into(),
        checked(&["pairing", "nonsense"]),
    );
    input
        .items
        .insert("children_family.brand".into(), option(""));
    input
        .items
        .insert("other.publicity_tasks".into(), tasks("5", "4"));
    input
        .items
        .insert("innovation.work".into(), innovation(true, "10.5"));
    input
        .items
        .insert("other.city_activities".into(), count("1.5"));
    input.items.insert("no.such_item".into(), holds(true));
    input.bonus.insert("city_meeting".into(), "x".into());
    input.bonus.insert("lottery".into(), "1".into());
    let e = TownAssessment::parse(&input, rubric()).unwrap_err();
    assert_eq!(
        fields(&e),
        [
            "town",
            "year",
            "items.women_development.training.count",
            "items.women_development.pairing.checked",
            "items.rights.safe_family.checked",
            "items.children_family.brand.option",
            "items.children_family.holiday_activities.reason",
            "items.organisation.regional.deduction",
            "items.innovation.work.score",
            "items.other.city_activities.count",
            "items.other.publicity_tasks.done",
            "items.no.such_item",
            "bonus.city_meeting",
            "bonus.lottery",
        ]
    );
    let get = |k: &str| e.get(k).unwrap();
    assert_eq!(get("year").problem, Problem::WrongYear { year: 2018 });
    assert_eq!(
        get("items.organisation.regional.deduction").problem,
        Problem::ZeroOrScoreInRange {
            min: "2.00".into(),
            max: "3.00".into()
        }
    );
    assert_eq!(
        get("items.organisation.regional.deduction").message,
        "组织工作·区域化妇联组织建设·扣分：应为0，或2.00到3.00之间的分数（最多两位小数）"
    );
    assert_eq!(
        get("items.children_family.holiday_activities.reason").message,
        "儿童家庭工作·未成年人活动质量·扣分理由：必填"
    );
    assert_eq!(
        get("items.children_family.holiday_activities.reason").message_en,
        "Children and family work / Quality of children's holiday activities / reason for the deduction is required"
    );
    assert_eq!(
        get("items.women_development.training.count").problem,
        Problem::OutOfRange { min: 0, max: 999 }
    );
    assert_eq!(
        get("items.rights.safe_family.checked").problem,
        Problem::Required
    );
    assert_eq!(
        get("items.women_development.pairing.checked").problem,
        Problem::UnknownChoice
    );
    assert_eq!(
        get("items.children_family.brand.option").problem,
        Problem::Required
    );
    assert_eq!(
        get("items.other.publicity_tasks.done").problem,
        Problem::OutOfRange { min: 0, max: 4 }
    );
    assert_eq!(
        get("items.innovation.work.score").problem,
        Problem::ScoreOutOfRange {
            min: "0.00".into(),
            max: "10.00".into()
        }
    );
    assert_eq!(get("items.no.such_item").problem, Problem::UnknownChoice);
    assert_eq!(get("bonus.lottery").problem, Problem::UnknownChoice);
}

#[test]
fn an_empty_form_asks_for_what_has_no_neutral_answer() {
    let e = TownAssessment::parse(&TownAssessmentInput::default(), rubric()).unwrap_err();
    let required: Vec<&str> =
        e.0.iter()
            .filter(|e| e.problem == Problem::Required)
            .map(|e| e.field.as_str())
            .collect();
    assert_eq!(
        required,
        [
            "id",
            "town",
            "year",
            "items.women_development.training.count",
            "items.women_development.pairing.checked",
            "items.rights.activities.count",
            "items.rights.safe_family.checked",
            "items.rights.mediator.count",
            "items.committee.single_mothers_care.count",
            "items.children_family.brand.option",
            "items.publicity.media_campaigns.count",
            "items.information.published.count",
            "items.other.publicity_tasks.done",
            "items.other.publicity_tasks.total",
        ]
    );
    assert_eq!(required.len(), e.0.len());
}

#[test]
fn a_reason_may_be_kept_without_a_deduction_but_not_be_too_long() {
    let mut input = perfect();
    input.items.insert(
        "rights.council_inactive".into(),
        ItemInput {
            reason: "议事会运转良好".into(),
            ..Default::default()
        },
    );
    let a = TownAssessment::parse(&input, rubric()).unwrap();
    assert!(matches!(
        &a.answers["rights.council_inactive"],
        Answer::Discretionary { deduction, reason: Some(r) }
            if deduction.is_zero() && r.as_str() == "议事会运转良好"
    ));
    input.items.insert(
        "rights.council_inactive".into(),
        ItemInput {
            deduction: "1".into(),
            reason: "说".repeat(501),
            ..Default::default()
        },
    );
    let e = TownAssessment::parse(&input, rubric()).unwrap_err();
    assert_eq!(fields(&e), ["items.rights.council_inactive.reason"]);
    assert_eq!(e.0[0].problem, Problem::TooLong { max: 500 });
}

#[test]
fn an_assessment_scores_only_against_its_own_rubric() {
    let a = TownAssessment::parse(&perfect(), rubric()).unwrap();
    let json = RUBRIC_2018_JSON.replacen("\"year\": 2018", "\"year\": 2019", 1);
    let other = Rubric::from_json(&json).unwrap();
    assert_eq!(
        a.score(&other),
        Err(RubricError::WrongYear {
            assessment: 2018,
            rubric: 2019
        })
    );
    let json = RUBRIC_2018_JSON.replacen(
        "\"kind\": \"shortfall\", \"required\": 2",
        "\"kind\": \"per_occurrence\", \"per_occurrence\": \"1\", \"x\": 2",
        1,
    );
    assert!(matches!(
        Rubric::from_json(&json),
        Err(RubricError::Json(_))
    ));
    let json = RUBRIC_2018_JSON.replacen(
        "{ \"kind\": \"shortfall\", \"required\": 2, \"per_missing\": \"1\" }",
        "{ \"kind\": \"per_occurrence\", \"per_occurrence\": \"1\" }",
        1,
    );
    let other = Rubric::from_json(&json).unwrap();
    assert_eq!(
        a.score(&other),
        Err(RubricError::NotForThisRubric(
            "women_development.training".into()
        ))
    );
}

/// The example town of the README, as the frontend posts it.
const EXAMPLE: &str = r#"{
  "id": "6f1c2a8e-3b7d-4c1e-9a52-0d4e8b7f1a23",
  "town": "白蒲镇",
  "year": "2018",
  "items": {
    "women_development.training": { "count": "3" },
    "women_development.pairing": { "checked": ["pairing", "spring_jobs"] },
    "women_development.civilised_post": { "holds": true },
    "rights.activities": { "count": "4" },
    "rights.safe_family": { "checked": ["plan", "assessment", "commendation", "activities", "summary", "reporting"] },
    "rights.mediator": { "count": "1" },
    "rights.council_inactive": { "deduction": "0.5", "reason": "议事会全年仅开会一次，未形成议事成果" },
    "committee.single_mothers_care": { "count": "2" },
    "committee.cancer_aid_petitions": { "count": "1" },
    "children_family.brand": { "option": "inactive" },
    "organisation.regional": { "deduction": "2", "reason": "辖区内企业妇联组织覆盖率不足50%" },
    "publicity.media_campaigns": { "count": "3" },
    "information.published": { "count": "9" },
    "innovation.work": { "applied": true, "score": "8.5" },
    "other.city_activities": { "count": "1" },
    "other.late_materials": { "count": "2" },
    "other.publicity_tasks": { "done": "2", "total": "3" }
  },
  "bonus": { "city_meeting": "1", "nantong_meeting": "1", "chunlei_class": "2" }
}"#;

#[test]
fn the_readme_example_scores_as_documented() {
    let input: TownAssessmentInput = serde_json::from_str(EXAMPLE).unwrap();
    let score = input.score(rubric()).unwrap();
    let by_id: BTreeMap<&str, Score> = score
        .categories
        .iter()
        .map(|c| (c.id.as_str(), c.score))
        .collect();
    // 妇女发展: one element of three missing (−1), no 巾帼文明岗 (−2).
    assert_eq!(by_id["women_development"], s("7"));
    // 妇女维权: discretionary −0.5.
    assert_eq!(by_id["rights"], s("9.5"));
    // 妇儿工委: one petition (−2).
    assert_eq!(by_id["committee"], s("8"));
    // 儿童家庭工作: brand without activities (−1).
    assert_eq!(by_id["children_family"], s("9"));
    // 组织工作: regional −2.
    assert_eq!(by_id["organisation"], s("8"));
    // 宣传工作: one campaign short (−1).
    assert_eq!(by_id["publicity"], s("9"));
    assert_eq!(by_id["activity_centre"], s("10"));
    // 信息调研工作: three reports short (−3).
    assert_eq!(by_id["information"], s("7"));
    assert_eq!(by_id["innovation"], s("8.5"));
    // 其他: −0.5, −1, −3.33 (one of three tasks unfinished).
    assert_eq!(by_id["other"], s("5.17"));
    assert_eq!(score.base, s("81.17"));
    assert_eq!(score.bonus, s("5"));
    assert_eq!(score.raw_total, s("86.17"));
    let json = serde_json::to_value(&score).unwrap();
    assert_eq!(json["raw_total"], "86.17");
}

#[test]
fn the_preview_of_the_readme_example_is_its_score() {
    let input: TownAssessmentInput = serde_json::from_str(EXAMPLE).unwrap();
    let preview = input.preview(rubric());
    assert_eq!(preview.score, input.score(rubric()).unwrap());
    assert!(preview.pending.is_empty(), "{:?}", preview.pending);
    assert_eq!(preview.score.raw_total.to_string(), "86.17");
    assert_eq!(preview.deduction("other.publicity_tasks"), s("3.33"));
    assert_eq!(preview.deduction("rights.activities"), Score::ZERO);
}

#[test]
fn a_half_filled_form_previews_what_is_there_and_lists_the_rest() {
    // Nothing typed: what has no neutral answer is pending and costs nothing yet; an innovation
    // not applied for already costs its 10 points, as it will on submit.
    let blank = TownAssessmentInput::default();
    let preview = blank.preview(rubric());
    assert_eq!(
        preview.pending,
        [
            "women_development.training",
            "women_development.pairing",
            "rights.activities",
            "rights.safe_family",
            "rights.mediator",
            "committee.single_mothers_care",
            "children_family.brand",
            "publicity.media_campaigns",
            "information.published",
            "other.publicity_tasks",
        ]
    );
    assert_eq!(preview.score.base, s("90"));
    assert_eq!(preview.score.raw_total, s("90"));
    assert_eq!(preview.score.year, 2018);

    // A few answers: each counts at once, even a deduction whose reason is still to come; a
    // count typed wrong is pending, not a guess.
    let mut input = blank.clone();
    input.town = " 白蒲镇 ".into();
    input
        .items
        .insert("women_development.training".into(), count("1"));
    input
        .items
        .insert("women_development.bases".into(), holds(true));
    input
        .items
        .insert("organisation.regional".into(), discretion("2.5"));
    input.items.get_mut("organisation.regional").unwrap().reason = String::new();
    input
        .items
        .insert("rights.activities".into(), count("four"));
    input
        .items
        .insert("other.publicity_tasks".into(), tasks("3", "2"));
    input.bonus.insert("investment".into(), "1".into());
    input.bonus.insert("city_meeting".into(), "x".into());
    let preview = input.preview(rubric());
    assert_eq!(preview.score.town, "白蒲镇");
    let cat = |id: &str| {
        preview
            .score
            .categories
            .iter()
            .find(|c| c.id == id)
            .unwrap()
    };
    assert_eq!(cat("women_development").deducted, s("3"));
    assert_eq!(cat("organisation").score, s("7.5"));
    assert_eq!(preview.deduction("organisation.regional"), s("2.5"));
    assert!(preview.is_pending("rights.activities"));
    assert!(
        preview.is_pending("other.publicity_tasks"),
        "done above total"
    );
    assert!(!preview.is_pending("women_development.training"));
    assert!(preview.is_pending("bonus.city_meeting"));
    assert_eq!(preview.score.bonus_raw, s("5"));
    // The strict parse still refuses it, naming the missing reason.
    let e = TownAssessment::parse(&input, rubric()).unwrap_err();
    assert!(fields(&e).contains(&"items.organisation.regional.reason"));
}

#[test]
fn numbers_may_be_typed_as_json_integers_but_not_as_fractions() {
    let input: TownAssessmentInput = serde_json::from_str(
        r#"{"town":"丁堰镇","year":2018,"items":{"information.published":{"count":12}},"bonus":{"investment":1}}"#,
    )
    .unwrap();
    assert_eq!(input.year, "2018");
    assert_eq!(input.items["information.published"].count, "12");
    assert_eq!(input.bonus["investment"], "1");
    let fraction: Result<TownAssessmentInput, _> =
        serde_json::from_str(r#"{"items":{"innovation.work":{"applied":true,"score":8.5}}}"#);
    assert!(fraction.is_err());
    let typo: Result<TownAssessmentInput, _> =
        serde_json::from_str(r#"{"items":{"innovation.work":{"aplied":true}}}"#);
    assert!(typo.is_err());
}

#[test]
fn scores_read_and_write_two_decimals() {
    let cases = [
        ("10", Ok("10.00")),
        ("0.5", Ok("0.50")),
        (" 2.25 ", Ok("2.25")),
        ("007.10", Ok("7.10")),
        ("-0.5", Ok("-0.50")),
        ("0", Ok("0.00")),
        ("2.555", Err(())),
        ("1.", Err(())),
        (".5", Err(())),
        ("1e2", Err(())),
        ("+1", Err(())),
        ("１", Err(())),
        ("", Err(())),
        ("99999999999999", Err(())),
    ];
    for (raw, want) in cases {
        let got = Score::parse(raw).map(|s| s.to_string()).map_err(|_| ());
        assert_eq!(got, want.map(str::to_owned), "{raw:?}");
    }
    assert_eq!(serde_json::to_string(&s("3.5")).unwrap(), "\"3.50\"");
    assert_eq!(serde_json::from_str::<Score>("7").unwrap(), s("7"));
    assert!(serde_json::from_str::<Score>("0.5").is_err());
}

#[test]
fn rounding_is_half_up_to_the_cent() {
    assert_eq!(Score::points(10).scale(1, 3), s("3.33"));
    assert_eq!(Score::points(10).scale(2, 3), s("6.67"));
    assert_eq!(s("0.01").scale(1, 2), s("0.01"));
    assert_eq!(s("0.03").scale(1, 2), s("0.02"));
    assert_eq!(s("-0.03").scale(1, 2), s("-0.02"));
}

fn town(name: &str, year: u16, raw: &str) -> TownScore {
    TownScore {
        town: name.into(),
        year,
        full_marks: Score::points(100),
        categories: Vec::new(),
        base: s(raw),
        bonus_raw: Score::ZERO,
        bonus: Score::ZERO,
        raw_total: s(raw),
    }
}

#[test]
fn towns_above_one_hundred_are_scaled_and_ties_share_a_rank() {
    let towns = [
        town("如城街道", 2018, "100"),
        town("白蒲镇", 2018, "110"),
        town("丁堰镇", 2018, "90"),
        town("东陈镇", 2018, "100"),
    ];
    let ranked = normalise(&towns).unwrap();
    let got: Vec<(&str, String, u32)> = ranked
        .iter()
        .map(|r| (r.town.as_str(), r.normalised.to_string(), r.rank))
        .collect();
    assert_eq!(
        got,
        [
            ("白蒲镇", "100.00".to_owned(), 1),
            ("东陈镇", "90.91".to_owned(), 2),
            ("如城街道", "90.91".to_owned(), 2),
            ("丁堰镇", "81.82".to_owned(), 4),
        ]
    );
}

#[test]
fn towns_at_or_below_one_hundred_keep_their_raw_scores() {
    let towns = [town("白蒲镇", 2018, "100"), town("丁堰镇", 2018, "87.17")];
    let ranked = normalise(&towns).unwrap();
    assert!(ranked.iter().all(|r| r.raw == r.normalised));
    assert_eq!(normalise(&[]).unwrap(), []);
}

#[test]
fn towns_of_different_years_or_listed_twice_are_refused() {
    let mixed = [town("白蒲镇", 2018, "90"), town("丁堰镇", 2019, "95")];
    assert!(matches!(
        normalise(&mixed),
        Err(NormaliseError::MixedYears { year: 2019, .. })
    ));
    let twice = [town("白蒲镇", 2018, "90"), town("白蒲镇", 2018, "95")];
    assert_eq!(
        normalise(&twice),
        Err(NormaliseError::DuplicateTown("白蒲镇".into()))
    );
}

#[test]
fn broken_rubric_files_are_refused_with_the_reason() {
    let edit = |from: &str, to: &str| {
        assert!(RUBRIC_2018_JSON.contains(from), "{from}");
        Rubric::from_json(&RUBRIC_2018_JSON.replacen(from, to, 1)).unwrap_err()
    };
    assert_eq!(
        edit(
            "\"id\": \"rights.mediator\"",
            "\"id\": \"rights.activities\""
        ),
        RubricError::DuplicateId("rights.activities".into())
    );
    assert_eq!(
        edit(
            "\"id\": \"rights.mediator\"",
            "\"id\": \"committee.mediator\""
        ),
        RubricError::ItemOutsideCategory {
            category: "rights".into(),
            item: "committee.mediator".into()
        }
    );
    assert!(matches!(
        edit("\"points\": \"10\"", "\"points\": \"12\""),
        RubricError::FullMarks { .. }
    ));
    assert!(matches!(
        edit("\"points\": \"10\"", "\"points\": \"0\""),
        RubricError::CategoryPoints { .. }
    ));
    assert!(matches!(
        edit(
            "\"min\": \"2\", \"max\": \"3\"",
            "\"min\": \"3\", \"max\": \"2\""
        ),
        RubricError::BadRule { .. }
    ));
    assert!(matches!(
        edit("\"deduction\": \"2\" }", "\"deduction\": \"11\" }"),
        RubricError::BadRule { .. }
    ));
    assert!(matches!(
        edit("\"deduction\": \"0\" }", "\"deduction\": \"0.5\" }"),
        RubricError::BadRule { .. }
    ));
    assert!(matches!(
        edit("\"required\": 2", "\"required\": 0"),
        RubricError::BadRule { .. }
    ));
    assert!(matches!(
        edit("\"cap\": \"20\"", "\"cap\": \"0\""),
        RubricError::BonusCap(_)
    ));
    assert!(matches!(
        edit(
            "\"id\": \"women_development\"",
            "\"id\": \"Women development\""
        ),
        RubricError::BadId(_)
    ));
    assert!(matches!(
        edit("\"title\":", "\"titel\":"),
        RubricError::Json(_)
    ));
    assert!(matches!(
        edit("\"per_missing\": \"1\"", "\"per_missing\": 0.5"),
        RubricError::Json(_)
    ));
}

/// Random but valid answers: one tuple of raw numbers per item, shaped to its rule.
fn any_input() -> impl Strategy<Value = TownAssessmentInput> {
    let n = rubric().items().count();
    (
        prop::collection::vec(
            (
                0u32..=20,
                any::<bool>(),
                any::<u8>(),
                0usize..4,
                0i64..=1000,
                0u32..=6,
                0u32..=6,
            ),
            n,
        ),
        prop::collection::vec(0u32..=12, 4),
    )
        .prop_map(|(raw, bonus)| {
            let mut input = perfect();
            for ((_, item), (k, b, mask, pick, h, x, y)) in rubric().items().zip(raw) {
                let answer = match &item.rule {
                    Rule::Shortfall { .. } | Rule::PerOccurrence { .. } => count(&k.to_string()),
                    Rule::Flag { .. } => holds(b),
                    Rule::Checklist { elements, .. } => {
                        let ids: Vec<&str> = elements
                            .iter()
                            .enumerate()
                            .filter(|(i, _)| mask & (1 << i) != 0)
                            .map(|(_, e)| e.id.as_str())
                            .collect();
                        checked(&ids)
                    }
                    Rule::Choice { options } => option(&options[pick % options.len()].id),
                    Rule::Discretionary { min, max } => {
                        let d = Score::from_hundredths(h % (max.hundredths() + 1));
                        discretion(&if d < *min {
                            String::new()
                        } else {
                            d.to_string()
                        })
                    }
                    Rule::Proportional { .. } => {
                        tasks(&x.min(y).to_string(), &x.max(y).to_string())
                    }
                    Rule::AssessorScore { max } => innovation(
                        b,
                        &Score::from_hundredths(h % (max.hundredths() + 1)).to_string(),
                    ),
                };
                input.items.insert(item.id.clone(), answer);
            }
            for (b, n) in rubric().bonus.items.iter().zip(bonus) {
                input.bonus.insert(b.id.clone(), n.to_string());
            }
            input
        })
}

prop_compose! {
    /// A valid assessment with everything varied: the answers of [`any_input`], any town and
    /// year the rubric serves, reasons kept with or without a deduction, checklists ticked in
    /// any order, bonus events of 0 left out.
    fn valid_assessment()(
        input in any_input(),
        id in g::id(),
        town in g::text(60),
        year in g::number(2018..=2100),
        // One for each discretionary item (3 in the 2018 rubric).
        reasons in prop::collection::vec(g::opt(g::text(500)), 3),
        (reverse, drop_zero_bonus) in (any::<bool>(), any::<bool>()),
    ) -> TownAssessmentInput {
        let mut input = input;
        input.id = id;
        input.town = town;
        input.year = year;
        let mut reasons = reasons.into_iter().cycle();
        for (_, item) in rubric().items() {
            let a = input.items.get_mut(&item.id).unwrap();
            match &item.rule {
                Rule::Discretionary { .. } => {
                    let reason = reasons.next().unwrap();
                    // A deduction needs its reason; one may be kept without a deduction.
                    if a.deduction.is_empty() || !reason.trim().is_empty() {
                        a.reason = reason;
                    }
                }
                Rule::Checklist { .. } if reverse => a.checked.as_mut().unwrap().reverse(),
                _ => {}
            }
        }
        if drop_zero_bonus {
            input.bonus.retain(|_, n| n != "0");
        }
        input
    }
}

/// Nearly every generated assessment is valid, so the round trip is really checked.
#[test]
fn the_valid_assessment_generator_makes_valid_assessments() {
    g::assert_mostly_valid("town assessment", valid_assessment(), |i| {
        TownAssessment::parse(i, rubric()).is_ok()
    });
}

/// The same answer, a little worse.
fn worsen(rule: &Rule, a: &ItemInput) -> ItemInput {
    let mut a = a.clone();
    let n = |s: &str| s.parse::<u32>().unwrap_or(0);
    match rule {
        Rule::Shortfall { .. } => a.count = n(&a.count).saturating_sub(1).to_string(),
        Rule::PerOccurrence { .. } => a.count = (n(&a.count) + 1).to_string(),
        Rule::Flag { .. } => a.holds = true,
        Rule::Checklist { .. } => {
            if let Some(c) = &mut a.checked {
                c.pop();
            }
        }
        Rule::Choice { options } => {
            let worst = options.iter().max_by_key(|o| o.deduction).unwrap();
            a.option = worst.id.clone();
        }
        Rule::Discretionary { max, .. } => a = discretion(&max.to_string()),
        Rule::Proportional { .. } => {
            let done = n(&a.done);
            a.done = done.saturating_sub(1).to_string();
        }
        Rule::AssessorScore { .. } => a.applied = false,
    }
    a
}

proptest! {
    /// Whatever is entered, a category stays within 0 and its points, the bonus within its cap,
    /// and the total within 120.
    #[test]
    fn scores_stay_in_bounds(input in any_input()) {
        let score = input.score(rubric()).unwrap();
        for c in &score.categories {
            prop_assert!(c.score >= Score::ZERO && c.score <= Score::points(10));
        }
        prop_assert!(score.bonus <= Score::points(20));
        prop_assert!(score.bonus <= score.bonus_raw);
        prop_assert!(score.raw_total <= Score::points(120));
        prop_assert_eq!(score.raw_total, score.categories.iter().map(|c| c.score).sum::<Score>() + score.bonus);
    }

    /// Answering one item worse never raises its category or the total.
    #[test]
    fn a_further_deduction_never_raises_a_score(input in any_input(), pick in any::<prop::sample::Index>()) {
        let before = input.score(rubric()).unwrap();
        let items: Vec<_> = rubric().items().collect();
        let (category, item) = items[pick.index(items.len())];
        let mut worse = input.clone();
        let answer = worsen(&item.rule, &input.items[&item.id]);
        worse.items.insert(item.id.clone(), answer);
        let after = worse.score(rubric()).unwrap();
        let cat = |s: &TownScore| s.categories.iter().find(|c| c.id == category.id).unwrap().score;
        prop_assert!(cat(&after) <= cat(&before));
        prop_assert!(after.raw_total <= before.raw_total);
    }

    /// For every valid form the live preview is exactly the score the server stores.
    #[test]
    fn the_preview_of_a_valid_form_is_its_score(input in any_input()) {
        let preview = input.preview(rubric());
        prop_assert_eq!(preview.score, input.score(rubric()).unwrap());
        prop_assert!(preview.pending.is_empty());
    }

    /// A stored assessment comes back as its form, which parses against the same rubric to
    /// the same assessment.
    #[test]
    fn assessments_come_back_as_their_form(input in valid_assessment()) {
        let a = TownAssessment::parse(&input, rubric())
            .map_err(|e| TestCaseError::fail(format!("generated form refused: {e:?}")))?;
        prop_assert_eq!(TownAssessment::parse(&a.to_input(), rubric()), Ok(a));
    }

    /// Normalising scales the best town to exactly 100 when it is above, and keeps the order.
    #[test]
    fn normalisation_keeps_order_and_tops_at_one_hundred(raws in prop::collection::vec(0i64..=12_000, 1..30)) {
        let towns: Vec<TownScore> = raws
            .iter()
            .enumerate()
            .map(|(i, h)| town(&format!("镇{i:02}"), 2018, &Score::from_hundredths(*h).to_string()))
            .collect();
        let ranked = normalise(&towns).unwrap();
        prop_assert_eq!(ranked.len(), towns.len());
        let best = ranked.iter().map(|r| r.normalised).max().unwrap();
        let best_raw = *raws.iter().max().unwrap();
        if best_raw > 10_000 {
            prop_assert_eq!(best, Score::points(100));
        } else {
            prop_assert!(ranked.iter().all(|r| r.normalised == r.raw));
        }
        for a in &ranked {
            for b in &ranked {
                if a.raw >= b.raw {
                    prop_assert!(a.normalised >= b.normalised);
                    prop_assert!(a.rank <= b.rank);
                }
                if a.normalised == b.normalised {
                    prop_assert_eq!(a.rank, b.rank);
                }
            }
            let above = ranked.iter().filter(|b| b.normalised > a.normalised).count();
            prop_assert_eq!(a.rank as usize, above + 1);
        }
    }

    /// The bonus is capped at 20 however many events are counted.
    #[test]
    fn bonus_never_exceeds_twenty(counts in prop::collection::vec(0u32..=999, 4)) {
        let mut input = perfect();
        for (b, n) in rubric().bonus.items.iter().zip(&counts) {
            input.bonus.insert(b.id.clone(), n.to_string());
        }
        let score = input.score(rubric()).unwrap();
        prop_assert!(score.bonus <= Score::points(20));
        prop_assert_eq!(score.bonus, score.bonus_raw.min(Score::points(20)));
    }

    /// A score written and read back is the same score, as JSON and as text.
    #[test]
    fn scores_round_trip(h in -Score::LIMIT.hundredths()..=Score::LIMIT.hundredths()) {
        let score = Score::from_hundredths(h);
        let json = serde_json::to_string(&score).unwrap();
        prop_assert_eq!(serde_json::from_str::<Score>(&json).unwrap(), score);
        prop_assert_eq!(Score::parse(&score.to_string()).unwrap(), score);
    }

    /// Parsing never panics, and every error names a field with a message in both languages.
    #[test]
    fn every_error_names_its_field(
        input in any_input(),
        raw in "[-0-9. a]{0,6}",
        pick in any::<prop::sample::Index>(),
    ) {
        let items: Vec<_> = rubric().items().collect();
        let (_, item) = items[pick.index(items.len())];
        let mut input = input;
        let a = input.items.get_mut(&item.id).unwrap();
        a.count = raw.clone();
        a.deduction = raw.clone();
        a.score = raw.clone();
        a.done = raw;
        let prefix = format!("items.{}.", item.id);
        if let Err(e) = TownAssessment::parse(&input, rubric()) {
            for fe in &e.0 {
                prop_assert!(fe.field.starts_with(&prefix));
                prop_assert!(fe.message.contains('：'));
                prop_assert!(!fe.message_en.is_empty());
            }
        }
    }
}

#[test]
fn a_broken_rubric_names_the_field_at_fault() {
    let json = RUBRIC_2018_JSON.replacen("\"points\": \"10\"", "\"points\": \"12\"", 1);
    let e = Rubric::parse_json(&json).unwrap_err();
    assert_eq!(e.0[0].field, "full_marks");
    assert!(matches!(e.0[0].problem, Problem::BadRule { .. }));
    assert!(
        e.0[0].message_en.contains("add up to 102"),
        "{}",
        e.0[0].message_en
    );
    let json = RUBRIC_2018_JSON.replacen(
        "\"id\": \"rights.mediator\"",
        "\"id\": \"rights.activities\"",
        1,
    );
    assert_eq!(
        Rubric::parse_json(&json).unwrap_err().0[0].field,
        "rights.activities"
    );
    assert_eq!(Rubric::parse_json("{").unwrap_err().0[0].field, "");
}

/// Issue 18: an assessment is filled against its year's rubric, else the newest before it,
/// else the oldest (which refuses the year).
#[test]
fn the_rubric_in_force_is_the_years_own_else_the_newest_before_else_the_oldest() {
    let years = [2018, 2024, 2026];
    let cases = [
        (2026, 2026),
        (2027, 2026),
        (2025, 2024),
        (2018, 2018),
        (2017, 2018),
    ];
    for (year, chosen) in cases {
        assert_eq!(super::year_in_force(years, year), Some(chosen), "{year}");
    }
    assert_eq!(super::year_in_force([], 2026), None);
}

/// Every answer of the 白蒲镇 example in words, in both languages: the rubric's names for
/// checklist elements and options, the facts typed, what they cost; never an id or a code.
#[test]
fn answers_are_described_in_words() {
    let example: serde_json::Value =
        serde_json::from_str(include_str!("../../../examples/town_assessments.json")).unwrap();
    let input: TownAssessmentInput =
        serde_json::from_value(example["form"]["towns"][0].clone()).unwrap();
    let town = TownAssessment::parse(&input, rubric()).expect("the example is valid");
    let said = |id: &str, lang| {
        let (_, item) = rubric().item(id).unwrap();
        town.answers[id].describe(item, lang)
    };
    use crate::Lang::{En, Zh};
    assert_eq!(
        said("women_development.training", Zh),
        "完成 3 次（要求 2 次）；不扣分"
    );
    assert_eq!(
        said("women_development.training", En),
        "3 done (2 required); nothing off"
    );
    assert_eq!(said("women_development.civilised_post", Zh), "扣 2.00 分");
    assert_eq!(said("activity_centre.activities", Zh), "不扣分");
    assert_eq!(
        said("women_development.pairing", Zh),
        "已有：结对创业、春风送岗；扣 1.00 分"
    );
    assert_eq!(
        said("children_family.brand", En),
        "Brand without activities; 1.00 off"
    );
    assert!(!said("children_family.brand", Zh).contains("inactive"));
    assert_eq!(
        said("rights.council_inactive", Zh),
        "议事会全年仅开会一次，未形成议事成果；扣 0.50 分"
    );
    assert_eq!(
        said("other.publicity_tasks", Zh),
        "完成 2 / 3 项；扣 3.33 分"
    );
    assert_eq!(said("innovation.work", Zh), "已申报，评分 8.50；扣 1.50 分");
    assert_eq!(said("other.late_materials", En), "2 times; 1.00 off");
    for lang in [Zh, En] {
        for (id, answer) in &town.answers {
            let (_, item) = rubric().item(id).unwrap();
            let words = answer.describe(item, lang);
            assert!(!words.contains('_') && !words.is_empty(), "{id}: {words:?}");
        }
    }
}
