use chrono::NaiveDate;
use proptest::prelude::*;
use uuid::Uuid;

use super::*;
use crate::error::Problem;
use crate::testgen as g;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

const TODAY: (i32, u32, u32) = (2026, 11, 29);

fn today() -> NaiveDate {
    d(TODAY.0, TODAY.1, TODAY.2)
}

fn valid() -> VisitInput {
    VisitInput {
        id: Uuid::from_u128(7),
        org_unit: "白蒲镇林梓村".into(),
        parties: vec![PartyInput {
            name: "王芳".into(),
            address: "林梓村3组12号".into(),
            age: "36".into(),
            family_role: "妻子".into(),
            phone: "13812341234".into(),
        }],
        category: "A".into(),
        summary: "夫妻因赡养老人问题多次争吵".into(),
        visitor: "李娟".into(),
        visit_date: "2026-11-20".into(),
        ..Default::default()
    }
}

fn fields(e: &ValidationErrors) -> Vec<&str> {
    e.0.iter().map(|e| e.field.as_str()).collect()
}

#[test]
fn a_complete_form_parses() {
    let r = VisitRecord::parse(&valid(), today()).unwrap();
    assert_eq!(r.category, Category::MarriageDispute);
    assert_eq!(r.parties[0].phone.as_ref().unwrap().as_str(), "13812341234");
    assert_eq!(r.parties[0].age.unwrap().years(), 36);
    assert_eq!(r.assess(today()).level, RiskLevel::Yellow);
}

#[test]
fn an_empty_form_names_every_required_field_in_chinese() {
    let e = VisitRecord::parse(&VisitInput::default(), today()).unwrap_err();
    assert_eq!(
        fields(&e),
        [
            "id",
            "org_unit",
            "category",
            "summary",
            "visitor",
            "visit_date",
            "parties"
        ]
    );
    assert_eq!(e.get("summary").unwrap().message, "情况概述：必填");
    assert_eq!(e.get("summary").unwrap().message_en, "Summary is required");
    assert_eq!(e.get("parties").unwrap().problem, Problem::NoParty);
}

#[test]
fn bad_party_fields_are_named_by_row() {
    let mut input = valid();
    input.parties.push(PartyInput {
        name: "".into(),
        phone: "12345".into(),
        age: "200".into(),
        ..Default::default()
    });
    let e = VisitRecord::parse(&input, today()).unwrap_err();
    assert_eq!(
        fields(&e),
        ["parties[1].name", "parties[1].age", "parties[1].phone"]
    );
    assert_eq!(
        e.get("parties[1].phone").unwrap().message,
        "当事人2联系电话：请填写手机号（1开头11位）或带区号的座机号"
    );
    assert_eq!(
        e.get("parties[1].age").unwrap().message,
        "当事人2年龄：应为0到120之间的整数"
    );
}

#[test]
fn an_unknown_category_is_refused() {
    let mut input = valid();
    input.category = "D".into();
    let e = VisitRecord::parse(&input, today()).unwrap_err();
    assert_eq!(e.get("category").unwrap().problem, Problem::UnknownChoice);
}

#[test]
fn visit_dates_cannot_be_in_the_future() {
    let mut input = valid();
    input.visit_date = "2026-11-30".into();
    let e = VisitRecord::parse(&input, today()).unwrap_err();
    assert_eq!(fields(&e), ["visit_date"]);
    assert_eq!(e.0[0].message, "走访日期：日期不能晚于今天");
}

#[test]
fn later_dates_cannot_precede_the_visit() {
    let mut input = valid();
    input.resolved_on = "2026-11-19".into();
    input.reports.police = "2026-11-01".into();
    input.follow_ups.push(FollowUpInput {
        date: "2026-11-10".into(),
        by: "李娟".into(),
        satisfaction: "satisfied".into(),
        ..Default::default()
    });
    let e = VisitRecord::parse(&input, today()).unwrap_err();
    assert_eq!(
        fields(&e),
        ["follow_ups[0].date", "resolved_on", "reports.police"]
    );
    assert!(
        matches!(e.0[0].problem, Problem::TooEarly { ref earliest } if earliest == "2026-11-20")
    );
}

#[test]
fn follow_ups_need_a_date_a_visitor_and_satisfaction() {
    let mut input = valid();
    input.follow_ups.push(FollowUpInput::default());
    let e = VisitRecord::parse(&input, today()).unwrap_err();
    assert_eq!(
        fields(&e),
        [
            "follow_ups[0].date",
            "follow_ups[0].by",
            "follow_ups[0].satisfaction"
        ]
    );
}

#[test]
fn violence_conditions_only_count_for_category_b() {
    let mut input = valid();
    input.severe_violence = true;
    let r = VisitRecord::parse(&input, today()).unwrap();
    assert!(!r.severe_violence);
    assert!(r.assess(today()).warnings.is_empty());
    input.category = "B".into();
    let r = VisitRecord::parse(&input, today()).unwrap();
    assert!(r.severe_violence);
    assert_eq!(
        r.assess(today()).warnings[0].code.as_str(),
        "report.severe_violence"
    );
}

/// A record raised to 二级 while the rules suggested 一级, continued (续办) once it has been
/// open long enough for the rules to suggest 二级 themselves: its form still parses.
#[test]
fn a_raise_the_rules_caught_up_with_still_opens_for_a_change() {
    let mut input = valid();
    input.resolved_on.clear();
    input.tier_raise = TierRaiseInput {
        tier: "two".into(),
        by: "李娟".into(),
    };
    let r = VisitRecord::parse(&input, today()).unwrap();
    assert_eq!(r.assess(today()).suggested_tier, DisputeTier::One);
    let later = (1..2000)
        .map(|n| today() + chrono::Duration::days(n))
        .find(|d| r.assess(*d).suggested_tier >= DisputeTier::Two)
        .expect("an open item's suggestion rises with time");
    assert_eq!(VisitRecord::parse(&r.to_input(), later), Ok(r));
}

/// 002 分级预警处置: the worker may send an item up a tier; the record keeps who did.
#[test]
fn a_tier_can_be_raised_by_someone_never_lowered() {
    let mut input = valid();
    input.tier_raise = TierRaiseInput {
        tier: "three".into(),
        by: "".into(),
    };
    let e = VisitRecord::parse(&input, today()).unwrap_err();
    assert_eq!(fields(&e), ["tier_raise.by"]);
    input.tier_raise.by = "李娟".into();
    let r = VisitRecord::parse(&input, today()).unwrap();
    let a = r.assess(today());
    assert_eq!(
        (a.suggested_tier, a.tier),
        (DisputeTier::One, DisputeTier::Three)
    );
    assert_eq!(r.tier_raise.unwrap().by.as_str(), "李娟");

    // A child-abuse clue is already 三级: nothing to raise it to.
    input.category = "C".into();
    let e = VisitRecord::parse(&input, today()).unwrap_err();
    assert_eq!(
        e.0[0].message,
        "提级处置：应高于建议层级（三级：上报镇“好大姐”工作室），只能提级不能降级"
    );
}

#[test]
fn the_stored_form_reads_back_equal() {
    let r = VisitRecord::parse(&valid(), today()).unwrap();
    let json = serde_json::to_string(&r).unwrap();
    let back: VisitRecord = serde_json::from_str(&json).unwrap();
    assert_eq!(back, r);
}

#[test]
fn posted_json_with_unknown_fields_is_refused() {
    let err = serde_json::from_str::<VisitInput>(r#"{"summery":"typo"}"#).unwrap_err();
    assert!(err.to_string().contains("summery"), "{err}");
}

#[test]
fn the_preview_of_a_half_filled_form_still_shows_the_level() {
    let mut input = VisitInput::blank(Uuid::nil(), today());
    input.escalation.hard_to_control = true;
    assert!(VisitRecord::parse(&input, today()).is_err());
    assert_eq!(input.preview(today()).level, RiskLevel::Red);
}

fn date_string() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        (0i64..2000).prop_map(|back| (today() - chrono::Duration::days(back)).to_string()),
        Just("not a date".to_owned()),
    ]
}

prop_compose! {
    fn any_input()(
        category in prop::sample::select(vec!["", "A", "B", "C", "X"]),
        visit_date in date_string(),
        resolved_on in date_string(),
        police in date_string(),
        city in date_string(),
        village in date_string(),
        town in date_string(),
        flags in prop::array::uniform6(any::<bool>()),
        follow_up in date_string(),
        raise in prop::sample::select(vec!["", "two", "three", "x"]),
    ) -> VisitInput {
        let mut input = valid();
        input.tier_raise = TierRaiseInput { tier: raise.into(), by: "李娟".into() };
        if !follow_up.is_empty() {
            input.follow_ups.push(FollowUpInput {
                date: follow_up,
                by: "李娟".into(),
                satisfaction: "satisfied".into(),
                ..Default::default()
            });
        }
        input.category = category.into();
        input.visit_date = visit_date;
        input.resolved_on = resolved_on;
        input.reports = ReportsInput {
            police, city_federation: city, village_committee: village, town_federation: town,
        };
        input.escalation = Escalation {
            may_turn_criminal: flags[0], may_intensify: flags[1], hard_to_control: flags[2],
        };
        input.unstable_signs = flags[3];
        input.severe_violence = flags[4];
        input.victim_lacks_capacity = flags[5];
        input
    }
}

fn valid_party() -> impl Strategy<Value = PartyInput> {
    (
        g::name(),
        g::opt(g::text(100)),
        g::opt(g::number(0..=120)),
        g::opt(g::text(20)),
        g::opt(g::phone()),
    )
        .prop_map(|(name, address, age, family_role, phone)| PartyInput {
            name,
            address,
            age,
            family_role,
            phone,
        })
}

/// A follow-up without its date, and the seed that picks the date.
fn valid_follow_up() -> impl Strategy<Value = (u32, FollowUpInput)> {
    (
        any::<u32>(),
        g::name(),
        g::opt(g::text(1000)),
        g::padded(prop::sample::select(Satisfaction::CODES).prop_map(str::to_owned)),
    )
        .prop_map(|(seed, by, outcome, satisfaction)| {
            let f = FollowUpInput {
                by,
                outcome,
                satisfaction,
                ..Default::default()
            };
            (seed, f)
        })
}

prop_compose! {
    /// A valid form, every optional field filled or not: dates between the visit and today,
    /// a raised tier only above the one suggested.
    fn valid_input()(
        id in g::id(),
        (org_unit, summary, handling, remarks, visitor) in (
            g::text(60),
            g::text(2000),
            g::opt(g::text(2000)),
            g::opt(g::text(1000)),
            g::name(),
        ),
        parties in prop::collection::vec(valid_party(), 1..=3),
        category in g::padded(prop::sample::select(Category::CODES).prop_map(str::to_owned)),
        back in 0i64..2500,
        follow_ups in prop::collection::vec(valid_follow_up(), 0..=3),
        flags in prop::array::uniform6(any::<bool>()),
        dates in prop::array::uniform5(prop::option::of(any::<u32>())),
        (raise, raised_by) in (0u8..4, g::name()),
    ) -> VisitInput {
        let visit = today() - chrono::Duration::days(back);
        let date = |seed: Option<u32>| {
            seed.map(|s| g::ymd(g::date_in(visit, today(), s))).unwrap_or_default()
        };
        let mut input = VisitInput {
            id,
            org_unit,
            parties,
            category,
            summary,
            handling,
            follow_ups: follow_ups
                .into_iter()
                .map(|(seed, f)| FollowUpInput { date: date(Some(seed)), ..f })
                .collect(),
            remarks,
            visitor,
            visit_date: g::ymd(visit),
            escalation: Escalation {
                may_turn_criminal: flags[0],
                may_intensify: flags[1],
                hard_to_control: flags[2],
            },
            unstable_signs: flags[3],
            severe_violence: flags[4],
            victim_lacks_capacity: flags[5],
            resolved_on: date(dates[0]),
            reports: ReportsInput {
                police: date(dates[1]),
                city_federation: date(dates[2]),
                village_committee: date(dates[3]),
                town_federation: date(dates[4]),
            },
            tier_raise: TierRaiseInput::default(),
        };
        // 0: not raised; 1–3: raised that many tiers above the suggestion, when there is room.
        let suggested = input.preview_facts(today()).suggested_tier(today());
        let above = DisputeTier::ALL.iter().filter(|t| **t > suggested).copied().collect::<Vec<_>>();
        if let Some(tier) = above.get(usize::from(raise).wrapping_sub(1)) {
            input.tier_raise = TierRaiseInput { tier: tier.code().into(), by: raised_by };
        }
        input
    }
}

/// Nearly every generated form is valid, so the round trip is really checked.
#[test]
fn the_valid_form_generator_makes_valid_forms() {
    g::assert_mostly_valid("visit", valid_input(), |i| {
        VisitRecord::parse(i, today()).is_ok()
    });
}

proptest! {
    /// What the app previews while typing is what the server computes from the stored record.
    #[test]
    fn preview_equals_the_assessment_of_the_parsed_record(input in any_input(), ahead in 0i64..1000) {
        if let Ok(record) = VisitRecord::parse(&input, today()) {
            let as_of = today() + chrono::Duration::days(ahead);
            prop_assert_eq!(input.preview(as_of), record.assess(as_of));
        }
    }

    /// A stored record comes back as its form, which parses to the same record (续办 starts
    /// from it). Every generated form is valid, so every case is checked.
    #[test]
    fn records_come_back_as_their_form(input in valid_input()) {
        let record = VisitRecord::parse(&input, today())
            .map_err(|e| TestCaseError::fail(format!("generated form refused: {e:?}")))?;
        prop_assert_eq!(VisitRecord::parse(&record.to_input(), today()), Ok(record.clone()));
    }

    /// The app reads a form (as a draft holds it) and its record (as the server and the replica
    /// send it) back as written, as serde_json reads them: `json::read` goes through a `Value`
    /// and never by position.
    #[test]
    fn the_app_reads_forms_and_records_back_as_written(input in valid_input()) {
        let record = VisitRecord::parse(&input, today())
            .map_err(|e| TestCaseError::fail(format!("generated form refused: {e:?}")))?;
        let (input_json, record_json) = (
            serde_json::to_string(&input).unwrap(),
            serde_json::to_string(&record).unwrap(),
        );
        let input_back: VisitInput = crate::json::read(&input_json).unwrap();
        let record_back: VisitRecord = crate::json::read(&record_json).unwrap();
        prop_assert_eq!(&input_back, &serde_json::from_str::<VisitInput>(&input_json).unwrap());
        prop_assert_eq!(input_back, input);
        prop_assert_eq!(&record_back, &serde_json::from_str::<VisitRecord>(&record_json).unwrap());
        prop_assert_eq!(record_back, record);
    }

    /// 续办 on a later day (months later, when a follow-up is added) opens the same record: a
    /// raise the rules have caught up with meanwhile is not refused.
    #[test]
    fn records_come_back_as_their_form_on_a_later_day(input in valid_input(), later in 1i64..800) {
        let record = VisitRecord::parse(&input, today())
            .map_err(|e| TestCaseError::fail(format!("generated form refused: {e:?}")))?;
        let day = today() + chrono::Duration::days(later);
        prop_assert_eq!(VisitRecord::parse(&record.to_input(), day), Ok(record));
    }

    /// An open item never becomes less urgent with time.
    #[test]
    fn an_open_item_never_cools_down(input in any_input(), a in 0i64..2000, b in 0i64..2000) {
        let mut input = input;
        input.resolved_on.clear();
        let facts = input.preview_facts(today());
        let (early, late) = (today() + chrono::Duration::days(a.min(b)), today() + chrono::Duration::days(a.max(b)));
        prop_assert!(facts.level(early) <= facts.level(late));
    }

    /// Parsing never panics, and every error names a field with a Chinese message.
    #[test]
    fn every_error_names_its_field(input in any_input(), name in ".{0,40}", phone in "[0-9 -]{0,14}") {
        let mut input = input;
        input.parties[0].name = name;
        input.parties[0].phone = phone;
        if let Err(e) = VisitRecord::parse(&input, today()) {
            prop_assert!(!e.0.is_empty());
            for fe in &e.0 {
                prop_assert!(!fe.field.is_empty());
                prop_assert!(fe.message.contains('：'));
            }
        }
    }
}
