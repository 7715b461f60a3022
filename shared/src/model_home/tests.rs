use chrono::NaiveDate;
use proptest::prelude::*;

use super::*;
use crate::error::Problem;
use crate::standards::{SelfAssessment, SelfAssessmentInput};
use crate::testgen as g;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn today() -> NaiveDate {
    d(2026, 11, 29)
}

/// The example of the README: approved by the town and the district, waiting for the city.
const EXAMPLE_JSON: &str = r#"{
  "id": "3d5e7f90-1a2b-4c3d-8e4f-5a6b7c8d9e0f",
  "org_unit": "白蒲镇林梓村",
  "year": "2025",
  "applicant_unit": "白蒲镇林梓村妇女之家",
  "head_name": "王芳",
  "head_title": "村妇联主席",
  "full_time_staff": "1",
  "part_time_staff": "6",
  "resident_women": "800",
  "annual_funds": "1,600.00",
  "standardisation": "达到“七有”标准：活动场所与党群服务中心共享，制度上墙，台账齐全。",
  "featured_activities": "“林梓姐妹说”家风宣讲品牌，全年开展12场。",
  "opinions": {
    "town": { "decision": "approve", "text": "同意推荐", "date": "2025-12-05" },
    "district": { "decision": "approve", "text": "同意推荐", "date": "2025-12-16" },
    "city": { "decision": "", "text": "", "date": "" }
  }
}"#;

fn example() -> ModelHomeInput {
    serde_json::from_str(EXAMPLE_JSON).unwrap()
}

fn fields(e: &ValidationErrors) -> Vec<&str> {
    e.0.iter().map(|e| e.field.as_str()).collect()
}

fn opinion(decision: &str, text: &str, date: &str) -> OpinionInput {
    OpinionInput {
        decision: decision.into(),
        text: text.into(),
        date: date.into(),
    }
}

/// A 七有 self-assessment of 林梓村 with every criterion met except those in `untick`.
fn seven_result(org_unit: &str, untick: &[&str]) -> SelfAssessmentResult {
    let mut input: SelfAssessmentInput =
        serde_json::from_str(crate::standards::tests::SEVEN_JSON).unwrap();
    input.org_unit = org_unit.into();
    input.ticked.retain(|t| !untick.contains(&t.as_str()));
    SelfAssessment::parse(&input, today()).unwrap().evaluate()
}

#[test]
fn the_readme_example_parses() {
    let app = ModelHomeApplication::parse(&example(), today()).unwrap();
    assert_eq!(app.year, 2025);
    assert_eq!(app.funds_per_woman().to_string(), "2.00");
    assert!(app.funds_check().ok);
    assert_eq!(app.status(), Status::Pending(Level::City));
    assert_eq!(app.status().label(Lang::Zh), "待市妇联审核");
    assert!(app.warnings().is_empty());
    let e = eligibility(&app, Some(&seven_result("白蒲镇林梓村", &[])));
    assert_eq!(
        e,
        Eligibility {
            funds_ok: true,
            seven_ok: true,
            eligible: true,
            reasons: vec![]
        }
    );
    let back: ModelHomeApplication =
        serde_json::from_str(&serde_json::to_string(&app).unwrap()).unwrap();
    assert_eq!(back, app);
}

/// 附件2 市级“示范妇女之家”申报表（样表）: every box of the form, by the seed's own label.
#[test]
fn an_empty_form_names_every_box_of_the_seed_form() {
    let e = ModelHomeApplication::parse(&ModelHomeInput::default(), today()).unwrap_err();
    let messages: Vec<&str> = e.0.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "编号：必填",
            "所属单位：必填",
            "申报年度：必填",
            "申报单位：必填",
            "负责人姓名：必填",
            "职务：必填",
            "专职人员：必填",
            "兼职人员：必填",
            "常住妇女人口：必填",
            "工作经费（元/年）：必填",
            "规范化建设情况：必填",
            "特色活动和品牌：必填",
        ]
    );
    assert_eq!(
        fields(&e),
        [
            "id",
            "org_unit",
            "year",
            "applicant_unit",
            "head_name",
            "head_title",
            "full_time_staff",
            "part_time_staff",
            "resident_women",
            "annual_funds",
            "standardisation",
            "featured_activities",
        ]
    );
    assert_eq!(
        e.get("head_title").unwrap().message_en,
        "Head's title is required"
    );
}

#[test]
fn numbers_are_checked() {
    let cases: [(&str, &str, Problem); 7] = [
        (
            "year",
            "2027",
            Problem::OutOfRange {
                min: 2000,
                max: 2026,
            },
        ),
        (
            "year",
            "1999",
            Problem::OutOfRange {
                min: 2000,
                max: 2026,
            },
        ),
        (
            "year",
            "二〇二五",
            Problem::OutOfRange {
                min: 2000,
                max: 2026,
            },
        ),
        (
            "full_time_staff",
            "-1",
            Problem::OutOfRange { min: 0, max: 9999 },
        ),
        (
            "part_time_staff",
            "2.5",
            Problem::OutOfRange { min: 0, max: 9999 },
        ),
        (
            "resident_women",
            "0",
            Problem::OutOfRange {
                min: 1,
                max: 9_999_999,
            },
        ),
        ("annual_funds", "1,6000", Problem::InvalidAmount),
    ];
    for (field, raw, problem) in cases {
        let mut input = example();
        match field {
            "year" => input.year = raw.into(),
            "full_time_staff" => input.full_time_staff = raw.into(),
            "part_time_staff" => input.part_time_staff = raw.into(),
            "resident_women" => input.resident_women = raw.into(),
            "annual_funds" => input.annual_funds = raw.into(),
            _ => unreachable!(),
        }
        let e = ModelHomeApplication::parse(&input, today()).unwrap_err();
        let first = &e.0[0];
        assert_eq!(
            (first.field.as_str(), &first.problem),
            (field, &problem),
            "{raw}"
        );
    }
    // Zero full-time staff is a real answer (many homes are run part-time).
    let mut input = example();
    input.full_time_staff = "0".into();
    assert!(ModelHomeApplication::parse(&input, today()).is_ok());
}

/// 附件2 “经费保障情况：常住妇女人口（人）、工作经费（元/年）” against 003 四（二）3 “人均不低于2元钱”.
#[test]
fn funds_per_resident_woman() {
    let cases = [
        ("1,600.00", "800", "2.00", true),
        ("1,599.99", "800", "1.99", false),
        ("5000", "1200", "4.16", true),
        ("2,000", "1001", "1.99", false),
        ("2", "1", "2.00", true),
    ];
    for (funds, women, per_woman, ok) in cases {
        let mut input = example();
        input.annual_funds = funds.into();
        input.resident_women = women.into();
        let app = ModelHomeApplication::parse(&input, today()).unwrap();
        assert_eq!(
            app.funds_per_woman().to_string(),
            per_woman,
            "{funds}/{women}"
        );
        assert_eq!(app.funds_check().ok, ok, "{funds}/{women}");
        assert_eq!(app.warnings().len(), usize::from(!ok));
        let e = eligibility(&app, Some(&seven_result("白蒲镇林梓村", &[])));
        assert_eq!((e.funds_ok, e.seven_ok, e.eligible), (ok, true, ok));
    }
    let mut input = example();
    input.annual_funds = "1500".into();
    let app = ModelHomeApplication::parse(&input, today()).unwrap();
    let e = eligibility(&app, Some(&seven_result("白蒲镇林梓村", &[])));
    assert_eq!(
        e.reasons[0].message(Lang::Zh),
        "经费低于每名常住妇女2元：经费 1,500.00 元 < 2 元 × 800 人 = 1,600.00 元"
    );
    assert_eq!(app.warnings()[0].code, WarningCode::FundsBelowMinimum);
}

/// 003 四“创建示范妇女之家”2：“示范妇女之家”要在达到“妇女之家”规范化建设“七有”标准的基础上……
/// A unit whose latest self-assessment met 6 of the 7 is not eligible.
#[test]
fn six_of_seven_is_not_eligible() {
    let app = ModelHomeApplication::parse(&example(), today()).unwrap();
    let latest = seven_result("白蒲镇林梓村", &["brand"]);
    assert_eq!((latest.met, latest.total), (6, 7));
    let e = eligibility(&app, Some(&latest));
    assert_eq!((e.funds_ok, e.seven_ok, e.eligible), (true, false, false));
    assert_eq!(
        e.reasons,
        [Ineligible::SevenNotMet {
            assessed_on: d(2025, 11, 20),
            met: 6,
            total: 7,
            unmet: vec!["brand".into()],
        }]
    );
    assert_eq!(
        e.reasons[0].message(Lang::Zh),
        "最近一次“七有”自评（2025-11-20）达标 6/7，未达标：有特色活动"
    );
    assert_eq!(
        e.reasons[0].message(Lang::En),
        "The latest “seven haves” self-assessment (2025-11-20) met 6/7; not met: Has a featured activity"
    );
}

#[test]
fn only_the_units_own_seven_haves_assessment_counts() {
    let app = ModelHomeApplication::parse(&example(), today()).unwrap();
    let e = eligibility(&app, None);
    assert_eq!(e.reasons, [Ineligible::NoSelfAssessment]);
    assert!(!e.eligible);

    let mut five: SelfAssessmentInput =
        serde_json::from_str(crate::standards::tests::FIVE_JSON).unwrap();
    five.org_unit = "白蒲镇林梓村".into();
    five.ticked
        .extend(["study_training".into(), "assessment_rewards".into()]);
    let five = SelfAssessment::parse(&five, today()).unwrap().evaluate();
    assert!(five.all_met());
    let e = eligibility(&app, Some(&five));
    assert_eq!(
        e.reasons,
        [Ineligible::WrongStandard {
            standard: Standard::Five
        }]
    );

    let e = eligibility(&app, Some(&seven_result("白蒲镇杨庄村", &[])));
    assert_eq!(
        e.reasons,
        [Ineligible::OtherUnit {
            org_unit: "白蒲镇杨庄村".into()
        }]
    );
    assert_eq!(
        e.reasons[0].message(Lang::Zh),
        "所给自评属于其他单位（白蒲镇杨庄村）"
    );
}

/// 附件2: 所在乡镇（街道）党（工）委意见 → 区妇联意见 → 市妇联意见, each （盖章）年 月 日.
#[test]
fn the_opinion_chain() {
    type Case = (
        &'static str,
        [(&'static str, &'static str, &'static str); 3],
        Result<Status, &'static [&'static str]>,
    );
    let none = ("", "", "");
    let ok = |date| ("approve", "同意推荐", date);
    let cases: [Case; 16] = [
        (
            "nothing signed yet",
            [none, none, none],
            Ok(Status::Pending(Level::Town)),
        ),
        (
            "town approved",
            [ok("2025-12-05"), none, none],
            Ok(Status::Pending(Level::District)),
        ),
        (
            "town and district approved",
            [ok("2025-12-05"), ok("2025-12-16"), none],
            Ok(Status::Pending(Level::City)),
        ),
        (
            "all approved",
            [ok("2025-12-05"), ok("2025-12-16"), ok("2026-01-10")],
            Ok(Status::Approved),
        ),
        (
            "same day at every level",
            [ok("2025-12-05"), ok("2025-12-05"), ok("2025-12-05")],
            Ok(Status::Approved),
        ),
        (
            "approval without text",
            [("approve", "", "2025-12-05"), none, none],
            Ok(Status::Pending(Level::District)),
        ),
        (
            "town rejects",
            [("reject", "特色不够鲜明", "2025-12-05"), none, none],
            Ok(Status::Rejected(Level::Town)),
        ),
        (
            "district rejects",
            [ok("2025-12-05"), ("reject", "台账不全", "2025-12-16"), none],
            Ok(Status::Rejected(Level::District)),
        ),
        (
            "a rejection needs its reason",
            [("reject", "", "2025-12-05"), none, none],
            Err(&["opinions.town.text"]),
        ),
        (
            "nothing may follow a rejection",
            [
                ("reject", "特色不够鲜明", "2025-12-05"),
                ok("2025-12-16"),
                none,
            ],
            Err(&["opinions.district.decision"]),
        ),
        (
            "district before town",
            [none, ok("2025-12-16"), none],
            Err(&["opinions.town.decision"]),
        ),
        (
            "city alone",
            [none, none, ok("2026-01-10")],
            Err(&["opinions.town.decision", "opinions.district.decision"]),
        ),
        (
            "district dated before town",
            [ok("2025-12-05"), ok("2025-12-04"), none],
            Err(&["opinions.district.date"]),
        ),
        (
            "dated before the application year",
            [ok("2024-12-31"), none, none],
            Err(&["opinions.town.date"]),
        ),
        (
            "dated in the future",
            [ok("2026-11-30"), none, none],
            Err(&["opinions.town.date"]),
        ),
        (
            "half-filled opinion",
            [("", "同意", ""), none, none],
            Err(&["opinions.town.decision", "opinions.town.date"]),
        ),
    ];
    for (name, [town, district, city], want) in cases {
        let mut input = example();
        input.opinions = OpinionsInput {
            town: opinion(town.0, town.1, town.2),
            district: opinion(district.0, district.1, district.2),
            city: opinion(city.0, city.1, city.2),
        };
        let got = ModelHomeApplication::parse(&input, today());
        match (got, want) {
            (Ok(app), Ok(status)) => assert_eq!(app.status(), status, "{name}"),
            (Err(e), Err(want)) => assert_eq!(fields(&e), want, "{name}"),
            (got, want) => panic!("{name}: got {got:?}, want {want:?}"),
        }
    }
}

#[test]
fn chain_messages_name_the_level() {
    let mut input = example();
    input.opinions.town = opinion("reject", "特色不够鲜明", "2025-12-05");
    input.opinions.district = opinion("approve", "", "2025-12-16");
    input.opinions.city = OpinionInput::default();
    let e = ModelHomeApplication::parse(&input, today()).unwrap_err();
    assert_eq!(
        e.0[0].message,
        "区妇联意见：所在乡镇（街道）党（工）委已不同意，不能再填写意见"
    );

    let mut input = example();
    input.opinions.district.date = "2025-12-01".into();
    let e = ModelHomeApplication::parse(&input, today()).unwrap_err();
    assert_eq!(e.0[0].message, "区妇联意见日期：日期不能早于2025-12-05");
    assert_eq!(
        e.0[0].problem,
        Problem::TooEarly {
            earliest: "2025-12-05".into()
        }
    );

    let mut input = example();
    input.opinions.town.decision = "maybe".into();
    let e = ModelHomeApplication::parse(&input, today()).unwrap_err();
    assert_eq!(fields(&e), ["opinions.town.decision"]);
    assert_eq!(
        e.0[0].message,
        "所在乡镇（街道）党（工）委意见：请从列表中选择"
    );

    let mut input = example();
    input.opinions.town = opinion("reject", "特色不够鲜明", "2025-12-05");
    input.opinions.district = OpinionInput::default();
    let app = ModelHomeApplication::parse(&input, today()).unwrap();
    assert_eq!(
        app.status().label(Lang::Zh),
        "所在乡镇（街道）党（工）委不同意"
    );
    assert_eq!(
        app.status().label(Lang::En),
        "Rejected by Town Party committee"
    );
    assert_eq!(
        serde_json::to_string(&app.status()).unwrap(),
        r#"{"state":"rejected","level":"town"}"#
    );
}

fn any_chain() -> impl Strategy<Value = [OpinionInput; 3]> {
    let one = (
        prop::sample::select(vec!["", "approve", "reject", "x"]),
        prop::sample::select(vec!["", "同意推荐"]),
        prop::sample::select(vec![
            "",
            "2025-12-01",
            "2025-12-10",
            "2026-01-05",
            "2027-01-01",
        ]),
    )
        .prop_map(|(d, t, date)| opinion(d, t, date));
    [one.clone(), one.clone(), one]
}

/// An amount written as people write it: `1,600.00`, `1600.5`, `¥1600`, `1600元`.
fn funds_as_typed() -> impl Strategy<Value = String> {
    (
        prop_oneof![4 => 0i64..1_000_000, 1 => 0i64..=Yuan::MAX.fen()],
        0u8..4,
    )
        .prop_map(|(fen, style)| {
            let (whole, cents) = (fen / 100, fen % 100);
            match style {
                0 => Yuan::from_fen(fen).unwrap().to_string(),
                1 if cents % 10 == 0 => format!("{whole}.{}", cents / 10),
                1 => format!("{whole}.{cents:02}"),
                2 if cents == 0 => format!("¥{whole}"),
                _ => format!("{whole}.{cents:02}元"),
            }
        })
}

prop_compose! {
    /// A valid application: the first `given` levels have signed in order, dated from 1
    /// January of the year to today, each approving but perhaps the last.
    fn valid_application()(
        id in g::id(),
        (org_unit, applicant_unit, head_name, head_title) in (
            g::text(60),
            g::text(60),
            g::name(),
            g::text(30),
        ),
        (year, full_time_staff, part_time_staff, resident_women, annual_funds) in (
            2000i32..=2026,
            g::number(0..=MAX_STAFF),
            g::number(0..=MAX_STAFF),
            prop_oneof![4 => g::number(1..=5_000), 1 => g::number(1..=MAX_RESIDENT_WOMEN)],
            funds_as_typed(),
        ),
        (standardisation, featured_activities) in (g::text(2000), g::text(2000)),
        given in 0usize..=3,
        last_rejects in any::<bool>(),
        opinions in prop::array::uniform3((any::<u32>(), g::opt(g::text(1000)), g::text(1000))),
    ) -> ModelHomeInput {
        let mut from = d(year, 1, 1);
        let mut boxes: [OpinionInput; 3] = Default::default();
        for (i, (seed, text, reason)) in opinions.into_iter().enumerate().take(given) {
            let date = g::date_in(from, today(), seed);
            from = date;
            let reject = last_rejects && i + 1 == given;
            boxes[i] = OpinionInput {
                decision: if reject { "reject" } else { "approve" }.into(),
                text: if reject { reason } else { text },
                date: g::ymd(date),
            };
        }
        let [town, district, city] = boxes;
        ModelHomeInput {
            id,
            org_unit,
            year: year.to_string(),
            applicant_unit,
            head_name,
            head_title,
            full_time_staff,
            part_time_staff,
            resident_women,
            annual_funds,
            standardisation,
            featured_activities,
            opinions: OpinionsInput { town, district, city },
        }
    }
}

/// Nearly every generated application is valid, so the round trip is really checked.
#[test]
fn the_valid_application_generator_makes_valid_applications() {
    g::assert_mostly_valid("model home", valid_application(), |i| {
        ModelHomeApplication::parse(i, today()).is_ok()
    });
}

proptest! {
    /// A stored application comes back as its form, which parses to the same application (续办
    /// adds the next level's opinion).
    #[test]
    fn applications_come_back_as_their_form(input in valid_application()) {
        let app = ModelHomeApplication::parse(&input, today())
            .map_err(|e| TestCaseError::fail(format!("generated application refused: {e:?}")))?;
        prop_assert_eq!(ModelHomeApplication::parse(&app.to_input(), today()), Ok(app));
    }

    /// Whatever is typed into the three boxes, a parsed application's chain is consistent:
    /// opinions come in order, only the last may reject, and dates never go backwards.
    #[test]
    fn a_parsed_chain_is_always_consistent([town, district, city] in any_chain()) {
        let mut input = example();
        input.opinions = OpinionsInput { town, district, city };
        match ModelHomeApplication::parse(&input, today()) {
            Ok(app) => {
                let given: Vec<&Opinion> = Level::ALL.iter().map_while(|&l| app.opinions.get(l)).collect();
                let count = Level::ALL.iter().filter(|&&l| app.opinions.get(l).is_some()).count();
                prop_assert_eq!(given.len(), count, "no gaps");
                for (i, o) in given.iter().enumerate() {
                    prop_assert!(o.decision == Decision::Approve || i + 1 == given.len());
                    prop_assert!(o.decision == Decision::Approve || o.text.is_some());
                    prop_assert!(o.date <= today());
                    if i > 0 {
                        prop_assert!(given[i - 1].date <= o.date);
                    }
                }
                let status = app.status();
                match given.last() {
                    None => prop_assert_eq!(status, Status::Pending(Level::Town)),
                    Some(o) if o.decision == Decision::Reject => {
                        prop_assert_eq!(status, Status::Rejected(Level::ALL[given.len() - 1]))
                    }
                    Some(_) if given.len() == 3 => prop_assert_eq!(status, Status::Approved),
                    Some(_) => prop_assert_eq!(status, Status::Pending(Level::ALL[given.len()])),
                }
            }
            Err(e) => {
                for fe in &e.0 {
                    prop_assert!(fe.field.starts_with("opinions."));
                    prop_assert!(fe.message.contains('：'));
                }
            }
        }
    }

    /// Eligibility is exactly "funds ok and all seven met".
    #[test]
    fn eligible_iff_funds_and_all_seven(fen in 0i64..400_000, women in 1u32..2000, drop in 0usize..3) {
        let mut input = example();
        input.annual_funds = Yuan::from_fen(fen).unwrap().to_string();
        input.resident_women = women.to_string();
        let app = ModelHomeApplication::parse(&input, today()).unwrap();
        let untick = [&[][..], &["brand"][..], &["venue", "plaque"][..]][drop];
        let latest = seven_result("白蒲镇林梓村", untick);
        let e = eligibility(&app, Some(&latest));
        prop_assert_eq!(e.funds_ok, fen >= 200 * i64::from(women));
        prop_assert_eq!(e.seven_ok, drop == 0);
        prop_assert_eq!(e.eligible, e.funds_ok && e.seven_ok);
        prop_assert_eq!(e.reasons.is_empty(), e.eligible);
    }
}
