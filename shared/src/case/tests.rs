use chrono::NaiveDate;
use proptest::prelude::*;
use uuid::Uuid;

use super::*;
use crate::testgen as g;
use crate::warning::Severity;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn today() -> NaiveDate {
    d(2026, 11, 29)
}

fn cal() -> WorkCalendar {
    WorkCalendar::builtin()
}

fn row(stage: Stage, date: &str) -> StageInput {
    let mut r = StageInput {
        stage: stage.code().into(),
        date: date.into(),
        handler: "林芳".into(),
        ..Default::default()
    };
    match stage {
        Stage::Accepted => r.complexity = "ordinary".into(),
        Stage::Closed => r.result = "双方达成调解协议，丈夫按月给付生活费".into(),
        Stage::Revisited => r.satisfaction = "satisfied".into(),
        _ => {}
    }
    r
}

/// A case applied for and accepted (一般) on Monday 2026-11-02.
fn valid() -> CaseInput {
    CaseInput {
        id: Uuid::from_u128(42),
        org_unit: "鹿城区五马街道妇女维权站".into(),
        channel: "visit".into(),
        area: "marriage_family".into(),
        complainant: ComplainantInput {
            name: "陈丽".into(),
            phone: "13957712345".into(),
        },
        respondent: "丈夫张某".into(),
        facts: "丈夫长期不给付家庭生活费，并以离婚相威胁".into(),
        request: "要求丈夫按月给付生活费".into(),
        stages: vec![
            row(Stage::Applied, "2026-11-02"),
            row(Stage::Accepted, "2026-11-02"),
        ],
        ..Default::default()
    }
}

/// `valid()` with `stages` replaced by the given (stage, date) rows.
fn with_stages(rows: &[(Stage, &str)]) -> CaseInput {
    let mut input = valid();
    input.stages = rows.iter().map(|(s, date)| row(*s, date)).collect();
    input
}

fn all_stages() -> CaseInput {
    with_stages(&[
        (Stage::Applied, "2026-10-08"),
        (Stage::Accepted, "2026-10-08"),
        (Stage::Investigated, "2026-10-09"),
        (Stage::Handled, "2026-10-13"),
        (Stage::Closed, "2026-10-20"),
        (Stage::Revisited, "2026-11-05"),
    ])
}

fn parse(input: &CaseInput) -> RightsCase {
    RightsCase::parse(input, today()).unwrap()
}

fn fields(e: &ValidationErrors) -> Vec<&str> {
    e.0.iter().map(|e| e.field.as_str()).collect()
}

fn codes(case: &RightsCase, on: NaiveDate) -> Vec<&'static str> {
    case_warnings(case, &cal(), on)
        .iter()
        .map(|w| w.code.as_str())
        .collect()
}

#[test]
fn a_complete_form_parses() {
    let case = parse(&valid());
    assert_eq!(case.channel, Channel::Visit);
    assert_eq!(case.area, RightsArea::MarriageFamily);
    assert_eq!(
        case.complainant.phone.as_ref().unwrap().as_str(),
        "13957712345"
    );
    assert_eq!(case.current_stage(), Stage::Accepted);
    assert_eq!(case.next_stage(), Some(Stage::Investigated));
    assert_eq!(case.complexity(), Some(Complexity::Ordinary));
    assert_eq!(case.accepted_on(), Some(d(2026, 11, 2)));
    assert_eq!(case.reply_deadline(&cal()).unwrap().value, d(2026, 11, 11));

    let full = parse(&all_stages());
    assert_eq!(full.next_stage(), None);
    assert_eq!(full.satisfaction(), Some(Satisfaction::Satisfied));
    assert!(full.result().is_some());
    assert_eq!(full.replied_on(), Some(d(2026, 10, 13)));
    // Accepted Thu 10-08 (一般): Oct 9, 10 (Sat, worked), 12–16: due 10-16; handled 10-13.
    assert_eq!(full.replied_late(&cal()), Some(false));
}

#[test]
fn an_empty_form_names_every_required_field() {
    let e = RightsCase::parse(&CaseInput::default(), today()).unwrap_err();
    assert_eq!(
        fields(&e),
        [
            "id",
            "org_unit",
            "channel",
            "area",
            "complainant.name",
            "facts",
            "request",
            "stages"
        ]
    );
    assert_eq!(e.get("channel").unwrap().message, "来源渠道：必填");
    assert_eq!(e.get("channel").unwrap().message_en, "Channel is required");

    // A blank draft only lacks what the user must type.
    let blank = CaseInput::blank(Uuid::nil(), today());
    let e = RightsCase::parse(&blank, today()).unwrap_err();
    assert!(e.get("stages[0].handler").is_some());
    assert!(e.get("stages[0].date").is_none());
}

#[test]
fn choices_are_codes_from_the_lists() {
    let mut input = valid();
    input.channel = "fax".into();
    input.area = "婚姻家庭权益".into();
    input.complainant.phone = "12345".into();
    let e = RightsCase::parse(&input, today()).unwrap_err();
    assert_eq!(e.get("channel").unwrap().problem, Problem::UnknownChoice);
    assert_eq!(e.get("area").unwrap().problem, Problem::UnknownChoice);
    assert_eq!(
        e.get("complainant.phone").unwrap().problem,
        Problem::InvalidPhone
    );
    // 001 §3(一)3: 政治权利、文化教育权益、劳动和社会保障权益、财产权益、人身权利、婚姻家庭权益.
    assert_eq!(RightsArea::ALL.len(), 6);
    for area in RightsArea::ALL {
        assert_eq!(RightsArea::parse(area.code()), Ok(*area));
    }
    // Phone and respondent are optional.
    let mut input = valid();
    input.complainant.phone.clear();
    input.respondent.clear();
    assert!(RightsCase::parse(&input, today()).is_ok());
}

/// 001 §3(二): "简单个案即时答复、一般个案7个工作日内答复、复杂个案1个月内答复、
/// 疑难个案及时转报上级主管部门并跟踪协调解决".
#[test]
fn reply_deadlines_table() {
    use Complexity::*;
    let cases = [
        // (accepted on, complexity, due, years guessed)
        (d(2026, 11, 2), Simple, Some(d(2026, 11, 2)), vec![]),
        // 即时答复 holds even on a make-up Saturday or a holiday.
        (d(2026, 10, 3), Simple, Some(d(2026, 10, 3)), vec![]),
        (d(2026, 11, 2), Ordinary, Some(d(2026, 11, 11)), vec![]),
        // National Day: Oct 1–7 off, Sat Oct 10 worked.
        (d(2026, 9, 28), Ordinary, Some(d(2026, 10, 13)), vec![]),
        // Spring Festival: Sat Feb 14 worked, Feb 15–23 off, Sat Feb 28 worked and is day 7.
        (d(2026, 2, 12), Ordinary, Some(d(2026, 2, 28)), vec![]),
        // 2025: Sun Sep 28 worked, Oct 1–8 off, Sat Oct 11 worked.
        (d(2025, 9, 26), Ordinary, Some(d(2025, 10, 13)), vec![]),
        // Into 2027, which has no table yet.
        (d(2026, 12, 28), Ordinary, Some(d(2027, 1, 6)), vec![2027]),
        (d(2026, 3, 15), Complex, Some(d(2026, 4, 15)), vec![]),
        // Month end: the day is clamped.
        (d(2026, 1, 31), Complex, Some(d(2026, 2, 28)), vec![]),
        (d(2028, 1, 31), Complex, Some(d(2028, 2, 29)), vec![]),
        (d(2026, 8, 31), Complex, Some(d(2026, 9, 30)), vec![]),
        // A calendar month is not moved off a holiday ("1个月内").
        (d(2026, 9, 1), Complex, Some(d(2026, 10, 1)), vec![]),
        // 疑难: referred up instead of replied to.
        (d(2026, 11, 2), Difficult, None, vec![]),
    ];
    for (accepted, complexity, due, missing) in cases {
        let got = complexity.reply_deadline(accepted, &cal());
        assert_eq!(
            got.as_ref().map(|c| c.value),
            due,
            "{accepted} {complexity:?}"
        );
        if let Some(got) = got {
            assert_eq!(got.missing_years, missing, "{accepted} {complexity:?}");
        }
    }
}

#[test]
fn the_deadline_counts_from_acceptance_not_application() {
    // Applied on Friday, accepted the next Monday.
    let case = parse(&with_stages(&[
        (Stage::Applied, "2026-10-30"),
        (Stage::Accepted, "2026-11-02"),
    ]));
    assert_eq!(case.reply_deadline(&cal()).unwrap().value, d(2026, 11, 11));
    // Not accepted yet: no deadline.
    let case = parse(&with_stages(&[(Stage::Applied, "2026-10-30")]));
    assert_eq!(case.reply_deadline(&cal()), None);
    assert_eq!(case.next_stage(), Some(Stage::Accepted));
}

/// 001 §3(二): "统一按照“申请→受理→调查→处理→结案→回访”的程序开展工作".
#[test]
fn stages_must_follow_the_workflow() {
    use Stage::*;
    let cases: Vec<(Vec<(Stage, &str)>, &str)> = vec![
        // Must start with 申请.
        (vec![(Accepted, "2026-11-02")], "stages[0].stage"),
        // 调查 without 受理.
        (
            vec![(Applied, "2026-11-02"), (Investigated, "2026-11-03")],
            "stages[1].stage",
        ),
        // 申请 twice.
        (
            vec![(Applied, "2026-11-02"), (Applied, "2026-11-03")],
            "stages[1].stage",
        ),
        // Backwards.
        (
            vec![
                (Applied, "2026-11-02"),
                (Accepted, "2026-11-02"),
                (Applied, "2026-11-03"),
            ],
            "stages[2].stage",
        ),
    ];
    for (rows, field) in cases {
        let e = RightsCase::parse(&with_stages(&rows), today()).unwrap_err();
        assert_eq!(fields(&e), [field], "{rows:?}");
    }

    // Nothing after 回访.
    let mut input = all_stages();
    input.stages.push(row(Revisited, "2026-11-06"));
    let e = RightsCase::parse(&input, today()).unwrap_err();
    assert_eq!(fields(&e), ["stages[6].stage"]);

    // The message names the missing stage.
    let e = RightsCase::parse(
        &with_stages(&[(Applied, "2026-11-02"), (Investigated, "2026-11-03")]),
        today(),
    )
    .unwrap_err();
    assert!(e.0[0].message.contains("应为“受理”"), "{}", e.0[0].message);
    assert!(
        e.0[0].message.starts_with("调查环节："),
        "{}",
        e.0[0].message
    );

    // An unreadable code is reported once; the next row is not judged against it.
    let mut input = valid();
    input.stages[0].stage = "received".into();
    let e = RightsCase::parse(&input, today()).unwrap_err();
    assert_eq!(fields(&e), ["stages[0].stage"]);
    assert_eq!(e.0[0].problem, Problem::UnknownChoice);
}

#[test]
fn stage_dates_are_past_and_in_order() {
    use Stage::*;
    let e = RightsCase::parse(
        &with_stages(&[
            (Applied, "2026-11-05"),
            (Accepted, "2026-11-04"),
            (Investigated, "2026-11-30"),
        ]),
        today(),
    )
    .unwrap_err();
    assert_eq!(fields(&e), ["stages[1].date", "stages[2].date"]);
    assert_eq!(
        e.0[0].problem,
        Problem::TooEarly {
            earliest: "2026-11-05".into()
        }
    );
    assert_eq!(e.0[1].problem, Problem::FutureDate);
    // The same day for several stages is fine (accepted and answered on the spot).
    assert!(
        RightsCase::parse(
            &with_stages(&[
                (Applied, "2026-11-05"),
                (Accepted, "2026-11-05"),
                (Investigated, "2026-11-05"),
                (Handled, "2026-11-05"),
            ]),
            today(),
        )
        .is_ok()
    );
    // A bad date does not hide a later one's order: it is compared with the last good date.
    let mut input = with_stages(&[
        (Applied, "2026-11-05"),
        (Accepted, "2026-11-31"),
        (Investigated, "2026-11-04"),
    ]);
    input.stages[1].handler.clear();
    let e = RightsCase::parse(&input, today()).unwrap_err();
    assert_eq!(
        fields(&e),
        ["stages[1].date", "stages[1].handler", "stages[2].date"]
    );
}

#[test]
fn each_stage_needs_its_own_field_and_only_that() {
    let mut input = all_stages();
    input.stages[1].complexity.clear();
    input.stages[4].result = "  ".into();
    input.stages[5].satisfaction.clear();
    let e = RightsCase::parse(&input, today()).unwrap_err();
    assert_eq!(
        fields(&e),
        [
            "stages[1].complexity",
            "stages[4].result",
            "stages[5].satisfaction"
        ]
    );
    assert!(e.0.iter().all(|e| e.problem == Problem::Required));
    assert_eq!(e.0[0].message, "受理个案类别：必填");

    let mut input = all_stages();
    input.stages[1].complexity = "hard".into();
    input.stages[5].satisfaction = "满意".into();
    let e = RightsCase::parse(&input, today()).unwrap_err();
    assert!(e.0.iter().all(|e| e.problem == Problem::UnknownChoice));

    let mut input = all_stages();
    input.stages[0].complexity = "simple".into();
    input.stages[3].result = "已答复".into();
    input.stages[4].satisfaction = "satisfied".into();
    let e = RightsCase::parse(&input, today()).unwrap_err();
    assert_eq!(
        fields(&e),
        [
            "stages[0].complexity",
            "stages[3].result",
            "stages[4].satisfaction"
        ]
    );
    assert!(
        e.0[0].message.contains("仅在“受理”环节填写"),
        "{}",
        e.0[0].message
    );
}

/// 001 §3(二): "由维权站转送综治工作中心（室），由综治工作中心（室）协调并分流交办相关部门予以解决。
/// 相关部门要将处理结果反馈至维权站。"
#[test]
fn forwarding_to_the_governance_centre() {
    let mut input = valid();
    input.forward = ForwardInput {
        date: "2026-11-03".into(),
        department: "五马街道司法所".into(),
        feedback: "已组织双方调解".into(),
        feedback_on: "2026-11-10".into(),
    };
    let case = parse(&input);
    let f = case.forward.as_ref().unwrap();
    assert_eq!(f.feedback_on, Some(d(2026, 11, 10)));

    // Feedback and its date go together; feedback cannot precede the forwarding.
    input.forward.feedback_on.clear();
    let e = RightsCase::parse(&input, today()).unwrap_err();
    assert_eq!(fields(&e), ["forward.feedback_on"]);
    input.forward.feedback.clear();
    input.forward.feedback_on = "2026-11-02".into();
    let e = RightsCase::parse(&input, today()).unwrap_err();
    assert_eq!(fields(&e), ["forward.feedback_on"]);
    assert!(matches!(e.0[0].problem, Problem::TooEarly { .. }));
    input.forward.feedback_on = "2026-11-05".into();
    let e = RightsCase::parse(&input, today()).unwrap_err();
    assert_eq!(fields(&e), ["forward.feedback"]);

    // A department without the forwarding date.
    let mut input = valid();
    input.forward.department = "司法所".into();
    let e = RightsCase::parse(&input, today()).unwrap_err();
    assert_eq!(fields(&e), ["forward.date"]);
    // Not before the complaint.
    input.forward.date = "2026-11-01".into();
    let e = RightsCase::parse(&input, today()).unwrap_err();
    assert_eq!(fields(&e), ["forward.date"]);
}

#[test]
fn petitions_and_referrals() {
    let mut input = valid();
    input.petition.reported_on = "2026-11-02".into();
    let e = RightsCase::parse(&input, today()).unwrap_err();
    assert_eq!(fields(&e), ["petition.kind"]);
    input.petition.kind = "group".into();
    let case = parse(&input);
    assert_eq!(case.petition.unwrap().kind, PetitionKind::Group);

    let mut input = valid();
    input.referral.to = "温州市妇联".into();
    let e = RightsCase::parse(&input, today()).unwrap_err();
    assert_eq!(fields(&e), ["referral.date"]);
    assert_eq!(e.0[0].problem, Problem::Required);
}

#[test]
fn a_stored_case_reads_back_as_its_form() {
    let mut input = all_stages();
    input.referral = ReferralInput {
        date: "2026-10-09".into(),
        to: "温州市妇联".into(),
    };
    input.forward = ForwardInput {
        date: "2026-10-09".into(),
        department: "司法所".into(),
        feedback: String::new(),
        feedback_on: String::new(),
    };
    input.petition = PetitionInput {
        kind: "abnormal".into(),
        reported_on: "2026-10-08".into(),
        reported_to: String::new(),
    };
    input.stages[2].note = "走访邻居核实".into();
    let case = parse(&input);
    assert_eq!(case.to_input(), input);
    let json = serde_json::to_string(&case).unwrap();
    assert_eq!(serde_json::from_str::<RightsCase>(&json).unwrap(), case);
    let json = serde_json::to_string(&input).unwrap();
    assert_eq!(serde_json::from_str::<CaseInput>(&json).unwrap(), input);
    assert!(serde_json::from_str::<CaseInput>(r#"{"chanel": "visit"}"#).is_err());
}

#[test]
fn edits_may_only_append_stages() {
    use Stage::*;
    let old = parse(&valid());

    // Appending is fine.
    let mut input = valid();
    input.stages.push(row(Investigated, "2026-11-04"));
    let new = parse(&input);
    assert_eq!(RightsCase::check_transition(&old, &new), Ok(()));
    assert_eq!(RightsCase::check_transition(&old, &old), Ok(()));

    // A stored stage's handler or note is as stored too (issue #14: it was rewritable).
    let mut input = valid();
    input.stages[0].note = "来访登记".into();
    input.stages[1].handler = "王敏".into();
    let e = RightsCase::check_transition(&old, &parse(&input)).unwrap_err();
    assert_eq!(fields(&e), ["stages[0].note", "stages[1].handler"]);

    // Removing a stage.
    let shorter = parse(&with_stages(&[(Applied, "2026-11-02")]));
    let e = RightsCase::check_transition(&old, &shorter).unwrap_err();
    assert_eq!(fields(&e), ["stages[1]"]);
    assert!(
        e.0[0].message.starts_with("受理环节："),
        "{}",
        e.0[0].message
    );

    // Re-dating, or changing the complexity to move the deadline.
    let mut input = valid();
    input.stages[1].date = "2026-11-03".into();
    input.stages[1].complexity = "complex".into();
    let e = RightsCase::check_transition(&old, &parse(&input)).unwrap_err();
    assert_eq!(fields(&e), ["stages[1].date", "stages[1].complexity"]);

    // A closed case keeps its result; a revisit keeps its satisfaction.
    let old = parse(&all_stages());
    let mut input = all_stages();
    input.stages[4].result = "另行起诉".into();
    input.stages[5].satisfaction = "dissatisfied".into();
    let e = RightsCase::check_transition(&old, &parse(&input)).unwrap_err();
    assert_eq!(fields(&e), ["stages[4].result", "stages[5].satisfaction"]);

    // A recorded referral or report date stays; adding one is fine.
    let mut input = valid();
    input.referral.date = "2026-11-02".into();
    input.petition.kind = "group".into();
    input.petition.reported_on = "2026-11-02".into();
    let with_dates = parse(&input);
    assert_eq!(
        RightsCase::check_transition(&parse(&valid()), &with_dates),
        Ok(())
    );
    let e = RightsCase::check_transition(&with_dates, &parse(&valid())).unwrap_err();
    assert_eq!(fields(&e), ["referral.date", "petition.reported_on"]);

    // Another case altogether.
    let mut other = valid();
    other.id = Uuid::from_u128(43);
    let e = RightsCase::check_transition(&parse(&valid()), &parse(&other)).unwrap_err();
    assert_eq!(fields(&e), ["id"]);
}

/// SPEC §4: "case due within 2 working days / overdue".
#[test]
fn due_soon_then_overdue_until_handled() {
    // 一般个案, accepted Mon 2026-11-02: "7个工作日内答复", due Wed 2026-11-11.
    let case = parse(&valid());
    assert!(codes(&case, d(2026, 11, 6)).is_empty()); // 3 working days left
    assert_eq!(codes(&case, d(2026, 11, 9)), ["case.due_soon"]);
    let w = case_warnings(&case, &cal(), d(2026, 11, 9));
    assert_eq!(
        w[0].message,
        "一般个案答复期限为2026-11-11，还剩2个工作日，尚未处理"
    );
    assert!(w[0].message_en.contains("2 working day(s) left"));
    let w = case_warnings(&case, &cal(), d(2026, 11, 11));
    assert_eq!(w[0].message, "一般个案今天（2026-11-11）须答复，尚未处理");
    let w = case_warnings(&case, &cal(), d(2026, 11, 13));
    assert_eq!(w[0].code, WarningCode::CaseOverdue);
    assert_eq!(w[0].severity, Severity::High);
    assert_eq!(w[0].message, "一般个案答复期限2026-11-11已过2天，尚未处理");

    // Handled (the reply) ends both, even when late.
    let mut input = valid();
    input.stages.push(row(Stage::Investigated, "2026-11-03"));
    input.stages.push(row(Stage::Handled, "2026-11-12"));
    let handled = parse(&input);
    assert!(codes(&handled, d(2026, 11, 20)).is_empty());
    assert_eq!(handled.replied_late(&cal()), Some(true));

    // 简单个案即时答复: due the day of acceptance, overdue the next.
    let mut input = valid();
    input.stages[1].complexity = "simple".into();
    let simple = parse(&input);
    assert_eq!(codes(&simple, d(2026, 11, 2)), ["case.due_soon"]);
    assert_eq!(codes(&simple, d(2026, 11, 3)), ["case.overdue"]);

    // Over a holiday the working days left are counted from the table: accepted Mon
    // 2026-09-28, due 10-13; on 09-30 the days left are Oct 8, 9, 10 (Sat, worked), 12, 13.
    let case = parse(&with_stages(&[
        (Stage::Applied, "2026-09-28"),
        (Stage::Accepted, "2026-09-28"),
    ]));
    assert!(codes(&case, d(2026, 9, 30)).is_empty());
    assert!(codes(&case, d(2026, 10, 9)).is_empty());
    assert_eq!(codes(&case, d(2026, 10, 10)), ["case.due_soon"]);
}

/// 001 §3(二): "疑难个案及时转报上级主管部门并跟踪协调解决".
#[test]
fn difficult_cases_must_be_referred() {
    let mut input = valid();
    input.stages[1].complexity = "difficult".into();
    let case = parse(&input);
    // No reply deadline of its own, so no due/overdue warnings.
    assert_eq!(
        codes(&case, d(2026, 11, 2)),
        ["case.difficult_not_referred"]
    );
    assert_eq!(codes(&case, d(2027, 3, 1)), ["case.difficult_not_referred"]);
    input.referral.date = "2026-11-03".into();
    assert!(codes(&parse(&input), d(2026, 11, 3)).is_empty());

    // Once closed there is nothing left to refer.
    let mut input = all_stages();
    input.stages[1].complexity = "difficult".into();
    assert!(codes(&parse(&input), d(2026, 11, 20)).is_empty());
}

#[test]
fn closed_cases_need_a_revisit_within_30_days() {
    let mut input = all_stages();
    input.stages.pop();
    let case = parse(&input);
    // Closed 2026-10-20.
    assert!(codes(&case, d(2026, 11, 19)).is_empty());
    assert_eq!(
        codes(&case, d(2026, 11, 20)),
        ["case.closed_without_revisit"]
    );
    let w = case_warnings(&case, &cal(), d(2026, 11, 20));
    assert_eq!(w[0].message, "已结案31天，尚未回访");
    assert!(codes(&parse(&all_stages()), d(2027, 1, 1)).is_empty());
}

/// 001 §6(二)(2): "对涉及妇女儿童权益的重大、紧急信访或集体访、异常访，要及时上报上级妇联组织、
/// 上级维护妇女儿童合法权益协调组织".
#[test]
fn group_and_abnormal_petitions_must_be_reported_up() {
    for kind in PetitionKind::ALL {
        let mut input = all_stages();
        input.petition.kind = kind.code().into();
        let case = parse(&input);
        // Owed whatever the stage.
        assert_eq!(
            codes(&case, d(2026, 11, 20)),
            ["case.petition_not_reported"]
        );
        let w = case_warnings(&case, &cal(), d(2026, 11, 20));
        assert!(
            w[0].message.starts_with(kind.label(Lang::Zh)),
            "{}",
            w[0].message
        );
        input.petition.reported_on = "2026-10-08".into();
        assert!(codes(&parse(&input), d(2026, 11, 20)).is_empty());
    }
}

#[test]
fn a_deadline_in_a_year_without_table_says_so() {
    // Accepted Mon 2026-12-28 (一般): due 2027-01-06, counted Monday–Friday in 2027.
    let input = with_stages(&[
        (Stage::Applied, "2026-12-28"),
        (Stage::Accepted, "2026-12-28"),
    ]);
    let case = RightsCase::parse(&input, d(2026, 12, 28)).unwrap();
    assert_eq!(codes(&case, d(2026, 12, 28)), ["calendar.missing"]);
    let w = case_warnings(&case, &cal(), d(2027, 1, 5));
    let got: Vec<_> = w.iter().map(|w| (w.code, w.subject.clone())).collect();
    assert_eq!(
        got,
        [
            (
                WarningCode::CaseDueSoon,
                crate::Subject::Record { id: case.id }
            ),
            (
                WarningCode::CalendarMissing,
                crate::Subject::Calendar { year: 2027 }
            ),
        ]
    );
    // Loading 2027 removes the guess.
    let table = crate::calendar::YearTable::from_json(
        r#"{"year": 2027, "holidays": [{"name": "元旦", "from": "2027-01-01", "to": "2027-01-03"}]}"#,
    )
    .unwrap();
    let with_2027 = cal().with_year(table).unwrap();
    assert_eq!(
        case.reply_deadline(&with_2027).unwrap().value,
        d(2027, 1, 7)
    );
    assert!(case_warnings(&case, &with_2027, d(2026, 12, 28)).is_empty());
    // A handled case has no open deadline, so nothing to guess.
    let mut input = input;
    input.stages.push(row(Stage::Investigated, "2026-12-29"));
    input.stages.push(row(Stage::Handled, "2026-12-30"));
    let handled = RightsCase::parse(&input, d(2026, 12, 30)).unwrap();
    assert!(codes(&handled, d(2027, 1, 5)).is_empty());
}

#[test]
fn most_severe_warnings_come_first() {
    let mut input = valid();
    input.petition.kind = "group".into();
    let case = parse(&input);
    let w = case_warnings(&case, &cal(), d(2026, 11, 9));
    let codes: Vec<_> = w.iter().map(|w| w.code.as_str()).collect();
    assert_eq!(codes, ["case.petition_not_reported", "case.due_soon"]);
}

/// The live preview reads a half-filled form: what is there counts, what is not yet readable
/// does not, and nothing fails.
#[test]
fn the_preview_reads_a_half_filled_form() {
    let blank = CaseInput::blank(Uuid::from_u128(7), today());
    let p = blank.preview(&cal(), today());
    assert_eq!(p.current_stage, Some(Stage::Applied));
    assert_eq!(p.next_stage, Some(Stage::Accepted));
    assert_eq!((p.reply_deadline, p.replied_late), (None, None));
    assert!(p.warnings.is_empty());

    // 受理 added, complexity not chosen yet: no deadline; chosen: counted from the 受理 date.
    let mut input = blank.clone();
    input.stages[0].date = "2026-09-28".into();
    input.stages.push(StageInput {
        stage: "accepted".into(),
        date: "2026-09-29".into(),
        ..Default::default()
    });
    let p = input.preview(&cal(), today());
    assert_eq!(p.current_stage, Some(Stage::Accepted));
    assert_eq!(p.next_stage, Some(Stage::Investigated));
    assert_eq!(p.reply_deadline, None);
    input.stages[1].complexity = "ordinary".into();
    let p = input.preview(&cal(), today());
    // Tue 09-29: 09-30, then 国庆 10-01…07, 10-08, 10-09, 10-10 (Sat, worked), 10-12, 13, 14.
    assert_eq!(p.reply_deadline.as_ref().unwrap().value, d(2026, 10, 14));
    assert!(p.reply_deadline.as_ref().unwrap().is_exact());
    let codes: Vec<_> = p.warnings.iter().map(|w| w.code.as_str()).collect();
    assert_eq!(codes, ["case.overdue"]);

    // A date typed halfway (the year 0002, then 20260) is no date yet.
    input.stages[1].date = "0002-09-29".into();
    assert_eq!(input.preview(&cal(), today()).reply_deadline, None);
    input.stages[1].date = "20260-09-29".into();
    assert_eq!(input.preview(&cal(), today()).reply_deadline, None);

    // Rows are read while they follow the workflow; a skipped stage ends the reading.
    input.stages[1].date = "2026-09-29".into();
    input.stages.push(StageInput {
        stage: "closed".into(),
        date: "2026-10-20".into(),
        ..Default::default()
    });
    let p = input.preview(&cal(), today());
    assert_eq!(p.current_stage, Some(Stage::Accepted));
    assert_eq!(p.next_stage, Some(Stage::Investigated));

    // 疑难: no deadline, a referral is owed until a referral date reads.
    input.stages.pop();
    input.stages[1].complexity = "difficult".into();
    let codes = |i: &CaseInput| -> Vec<&'static str> {
        i.preview(&cal(), today())
            .warnings
            .iter()
            .map(|w| w.code.as_str())
            .collect()
    };
    assert_eq!(codes(&input), ["case.difficult_not_referred"]);
    input.referral.to = "市妇联".into();
    assert_eq!(codes(&input), ["case.difficult_not_referred"]);
    input.referral.date = "2026-09-30".into();
    assert!(codes(&input).is_empty());

    // A petition is owed a report once its kind is chosen.
    input.petition.reported_to = "市妇联".into();
    assert!(codes(&input).is_empty());
    input.petition.kind = "abnormal".into();
    assert_eq!(codes(&input), ["case.petition_not_reported"]);
    input.petition.reported_on = "2026-09-29".into();
    assert!(codes(&input).is_empty());

    // No rows at all: nothing recorded, 申请 comes first.
    let p = CaseInput::default().preview(&cal(), today());
    assert_eq!(
        (p.current_stage, p.next_stage),
        (None, Some(Stage::Applied))
    );
}

fn any_date() -> impl Strategy<Value = NaiveDate> {
    (0i64..(365 * 4)).prop_map(|k| d(2024, 1, 1) + chrono::Duration::days(k))
}

fn any_complexity() -> impl Strategy<Value = Complexity> {
    prop::sample::select(Complexity::ALL)
}

prop_compose! {
    /// A valid case: the first `n` stages, each `gaps[i]` days after the previous one.
    fn any_case()(
        start in any_date(),
        n in 1usize..=6,
        gaps in prop::array::uniform6(0i64..20),
        complexity in any_complexity(),
        satisfaction in prop::sample::select(Satisfaction::ALL.to_vec()),
    ) -> CaseInput {
        let mut input = valid();
        let mut date = start;
        input.stages = Stage::ALL[..n]
            .iter()
            .zip(gaps)
            .map(|(s, gap)| {
                date += chrono::Duration::days(gap);
                let mut r = row(*s, &date.format("%Y-%m-%d").to_string());
                if *s == Stage::Accepted {
                    r.complexity = complexity.code().into();
                }
                if *s == Stage::Revisited {
                    r.satisfaction = satisfaction.code().into();
                }
                r
            })
            .collect();
        input
    }
}

prop_compose! {
    /// A valid case that may also be referred up and carry a petition, reported or not.
    fn any_full_case()(
        input in any_case(),
        referral in prop::option::of(0i64..30),
        petition in prop::option::of((
            prop::sample::select(PetitionKind::ALL.to_vec()),
            prop::option::of(0i64..30),
        )),
    ) -> CaseInput {
        let mut input = input;
        let applied = crate::value::parse_date(&input.stages[0].date).unwrap();
        let after = |days: i64| (applied + chrono::Duration::days(days)).format("%Y-%m-%d").to_string();
        if let Some(days) = referral {
            input.referral = ReferralInput { date: after(days), to: "市妇联".into() };
        }
        if let Some((kind, reported)) = petition {
            input.petition = PetitionInput {
                kind: kind.code().into(),
                reported_on: reported.map(after).unwrap_or_default(),
                reported_to: String::new(),
            };
        }
        input
    }
}

fn far_future() -> NaiveDate {
    d(2030, 1, 1)
}

/// What a stage row says besides its stage and date: handler, note, and the 结案 result.
fn stage_words() -> impl Strategy<Value = (String, String, String)> {
    (g::name(), g::opt(g::text(1000)), g::text(1000))
}

prop_compose! {
    /// A valid case with every field varied: the stages of [`any_case`], and any of referral,
    /// forward (with or without feedback) and petition, dated between 申请 and today.
    fn valid_case()(
        input in any_case(),
        id in g::id(),
        (org_unit, facts, request, respondent) in (
            g::text(60),
            g::text(2000),
            g::text(1000),
            g::opt(g::text(100)),
        ),
        (channel, area) in (
            prop::sample::select(Channel::CODES),
            prop::sample::select(RightsArea::CODES),
        ),
        (name, phone) in (g::name(), g::opt(g::phone())),
        words in prop::collection::vec(stage_words(), 6),
        referral in prop::option::of((any::<u32>(), g::opt(g::text(60)))),
        forward in prop::option::of((
            any::<u32>(),
            g::opt(g::text(100)),
            prop::option::of((g::text(1000), any::<u32>())),
        )),
        petition in prop::option::of((
            prop::sample::select(PetitionKind::CODES),
            prop::option::of(any::<u32>()),
            g::opt(g::text(60)),
        )),
    ) -> CaseInput {
        let mut input = input;
        let applied = crate::value::parse_date(&input.stages[0].date).unwrap();
        let after = |from: NaiveDate, seed: u32| g::ymd(g::date_in(from, far_future(), seed));
        input.id = id;
        input.org_unit = org_unit;
        input.facts = facts;
        input.request = request;
        input.respondent = respondent;
        input.channel = channel.into();
        input.area = area.into();
        input.complainant = ComplainantInput { name, phone };
        for (row, (handler, note, result)) in input.stages.iter_mut().zip(words) {
            row.handler = handler;
            row.note = note;
            if row.stage == Stage::Closed.code() {
                row.result = result;
            }
        }
        if let Some((seed, to)) = referral {
            input.referral = ReferralInput { date: after(applied, seed), to };
        }
        if let Some((seed, department, feedback)) = forward {
            let date = g::date_in(applied, far_future(), seed);
            let (feedback, feedback_on) = feedback
                .map(|(text, seed)| (text, after(date, seed)))
                .unwrap_or_default();
            input.forward = ForwardInput { date: g::ymd(date), department, feedback, feedback_on };
        }
        if let Some((kind, reported, reported_to)) = petition {
            input.petition = PetitionInput {
                kind: kind.into(),
                reported_on: reported.map(|seed| after(applied, seed)).unwrap_or_default(),
                reported_to,
            };
        }
        input
    }
}

/// Nearly every generated case is valid, so the round trip is really checked.
#[test]
fn the_valid_case_generator_makes_valid_cases() {
    g::assert_mostly_valid("case", valid_case(), |i| {
        RightsCase::parse(i, far_future()).is_ok()
    });
}

proptest! {
    /// The reply is never due before the case was accepted.
    #[test]
    fn the_deadline_is_never_before_acceptance(accepted in any_date(), complexity in any_complexity()) {
        if let Some(due) = complexity.reply_deadline(accepted, &cal()) {
            prop_assert!(due.value >= accepted);
            if complexity != Complexity::Simple {
                prop_assert!(due.value > accepted);
            }
        }
    }

    /// A generated case parses, reads back as its form, and may always grow by its next stage.
    #[test]
    fn cases_round_trip_and_grow(input in any_case()) {
        let case = RightsCase::parse(&input, far_future()).unwrap();
        prop_assert_eq!(&case.to_input(), &input);
        prop_assert_eq!(RightsCase::check_transition(&case, &case), Ok(()));
        if let Some(next) = case.next_stage() {
            let mut longer = input.clone();
            let last = case.stages.last().unwrap().date;
            longer.stages.push(row(next, &last.format("%Y-%m-%d").to_string()));
            let grown = RightsCase::parse(&longer, far_future()).unwrap();
            prop_assert_eq!(RightsCase::check_transition(&case, &grown), Ok(()));
            prop_assert!(RightsCase::check_transition(&grown, &case).is_err());
        }
    }

    /// A stored case comes back as its form, which parses to the same case (续办 starts from
    /// it), whatever optional fields it has.
    #[test]
    fn cases_come_back_as_their_form(input in valid_case()) {
        let case = RightsCase::parse(&input, far_future())
            .map_err(|e| TestCaseError::fail(format!("generated case refused: {e:?}")))?;
        prop_assert_eq!(RightsCase::parse(&case.to_input(), far_future()), Ok(case));
    }

    /// For a valid form, the live preview says exactly what the server computes from the
    /// stored case: stages, deadline, lateness and warnings, on any day.
    #[test]
    fn the_preview_of_a_valid_form_is_the_parsed_case_s_assessment(
        input in any_full_case(),
        ahead in 0i64..400,
    ) {
        let case = RightsCase::parse(&input, far_future()).unwrap();
        prop_assert_eq!(input.preview_facts(), case.facts());
        let on = case.applied_on() + chrono::Duration::days(ahead);
        let preview = input.preview(&cal(), on);
        let stored = case.assess(&cal(), on);
        prop_assert_eq!(&preview, &stored);
        prop_assert_eq!(stored.current_stage, Some(case.current_stage()));
        prop_assert_eq!(stored.next_stage, case.next_stage());
        prop_assert_eq!(&stored.reply_deadline, &case.reply_deadline(&cal()));
        prop_assert_eq!(stored.replied_late, case.replied_late(&cal()));
        prop_assert_eq!(&stored.warnings, &case_warnings(&case, &cal(), on));
    }

    /// Warnings never panic, and an overdue case is never also "due soon".
    #[test]
    fn warnings_are_consistent(input in any_case(), ahead in 0i64..400) {
        let case = RightsCase::parse(&input, far_future()).unwrap();
        let on = case.applied_on() + chrono::Duration::days(ahead);
        let w = case_warnings(&case, &cal(), on);
        let has = |c: WarningCode| w.iter().any(|w| w.code == c);
        prop_assert!(!(has(WarningCode::CaseOverdue) && has(WarningCode::CaseDueSoon)));
        if case.replied_on().is_some() {
            prop_assert!(!has(WarningCode::CaseOverdue) && !has(WarningCode::CaseDueSoon));
        }
    }
}

#[test]
fn a_new_years_table_moves_only_open_deadlines() {
    use crate::calendar::YearTable;
    // A made-up 2027 table (not the real notice): New Year's Day off, Sat Jan 9 worked.
    let t2027 = YearTable::from_json(
        r#"{"year": 2027, "holidays": ["2027-01-01"], "make_up_workdays": ["2027-01-09"]}"#,
    )
    .unwrap();
    let new = cal().with_year(t2027).unwrap();
    let open = with_stages(&[
        (Stage::Applied, "2026-12-28"),
        (Stage::Accepted, "2026-12-28"),
    ]);
    let open = RightsCase::parse(&open, d(2026, 12, 30)).unwrap();
    let change = open.deadline_change(&cal(), &new).unwrap();
    // Seven working days from Mon 2026-12-28: Jan 1 was counted as one, now it is a holiday.
    assert_eq!(change.old.value, d(2027, 1, 6));
    assert_eq!(change.old.missing_years, [2027]);
    assert_eq!(change.new.value, d(2027, 1, 7));
    assert!(change.new.is_exact());
    // The same calendar changes nothing; a replied case is no longer open.
    assert_eq!(open.deadline_change(&new, &new), None);
    assert_eq!(parse(&all_stages()).deadline_change(&cal(), &new), None);
}
