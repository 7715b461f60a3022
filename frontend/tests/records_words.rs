//! 记录查询 in words: a stored record of each of the 8 kinds (the examples of `examples/`, made
//! into records by `shared`'s own parse, serialised as the server stores them) opened whole and
//! listed, in both languages, in a real browser (headless Chromium). No field name, choice
//! code, sub-item id, rubric answer or amount in fen may reach the screen.

use frontend::forms::FormKind;
use frontend::pages::records::{RecordDetail, RecordDetailProps, StoredRecord, row_view};
use frontend::session::OrgUnit;
use serde_json::Value;
use shared::Lang;
use shared::check::{CheckOutput, check};
use shared::model_home::Level;
use shared::rubric::Rubric;
use shared::standards::Standard;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const EXAMPLES: &[(FormKind, &str)] = &[
    (FormKind::Visit, include_str!("../../examples/visit.json")),
    (
        FormKind::KeyPerson,
        include_str!("../../examples/key_person.json"),
    ),
    (
        FormKind::Meeting,
        include_str!("../../examples/meeting.json"),
    ),
    (
        FormKind::MonthlyReport,
        include_str!("../../examples/monthly_report.json"),
    ),
    (
        FormKind::RightsCase,
        include_str!("../../examples/rights_case.json"),
    ),
    (
        FormKind::RightsCase,
        include_str!("../../examples/rights_case_open.json"),
    ),
    (
        FormKind::SelfAssessment,
        include_str!("../../examples/self_assessment_seven.json"),
    ),
    (
        FormKind::SelfAssessment,
        include_str!("../../examples/self_assessment_five.json"),
    ),
    (
        FormKind::ModelHome,
        include_str!("../../examples/model_home.json"),
    ),
    (
        FormKind::TownAssessment,
        include_str!("../../examples/town_assessments.json"),
    ),
];

/// Codes the tester found on screen, and others of the same sort.
const CODES: &[&str] = &[
    "none_found",
    "activity_records",
    "annual_plan",
    "activity_centre",
    "inactive",
    "holds",
    "flag",
    "160000",
    "approve",
    "marriage_family",
    "ordinary",
    "basically_satisfied",
    "checklist",
    "shortfall",
    "null",
    "true",
    "false",
];

/// The example's records as stored (a year's town assessments are one record per town), with
/// what `shared` computes of them as the assessment.
fn stored(json: &str) -> Vec<StoredRecord> {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
    let CheckOutput::Valid { record, result, .. } = check(json.as_bytes(), today) else {
        panic!("the example is valid: {json}");
    };
    let (records, assessment) = match record {
        Value::Array(towns) => (towns, Value::Null),
        one => (vec![one], result),
    };
    records
        .into_iter()
        .map(|record| StoredRecord {
            record,
            assessment: assessment.clone(),
            version: 2,
            unit: "rugao/baipu/linzi".into(),
            received_at: "2026-11-20T02:30:00Z".into(),
            author: Some("linzi".into()),
        })
        .collect()
}

fn units() -> Vec<OrgUnit> {
    serde_json::from_str(
        r#"[{"id":"rugao/baipu","level":"town","name":"白蒲镇","parent":"rugao"},
            {"id":"rugao/baipu/linzi","level":"village","name":"林梓村","parent":"rugao/baipu"}]"#,
    )
    .unwrap()
}

/// The first `snake_case` word in `text` (letters, an underscore, letters), if any.
fn snake_word(text: &str) -> Option<String> {
    text.split(|c: char| !(c.is_ascii_lowercase() || c == '_'))
        .find(|w| {
            let inner = w.trim_matches('_');
            inner.contains('_') && inner.starts_with(|c: char| c.is_ascii_lowercase())
        })
        .map(str::to_owned)
}

async fn detail(kind: FormKind, stored: StoredRecord, lang: Lang) -> web_sys::Element {
    let doc = gloo::utils::document();
    let root = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&root).unwrap();
    let props = RecordDetailProps {
        lang,
        kind,
        stored,
        units: units(),
    };
    yew::Renderer::<RecordDetail>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    root
}

#[wasm_bindgen_test]
async fn every_kind_opens_in_words() {
    let mut checked = 0;
    for (kind, json) in EXAMPLES {
        for s in stored(json) {
            for lang in [Lang::Zh, Lang::En] {
                let root = detail(*kind, s.clone(), lang).await;
                let body = root.query_selector("#record-body").unwrap().unwrap();
                let text = body.text_content().unwrap_or_default();
                assert!(text.len() > 40, "{kind:?}: {text}");
                let all = root.text_content().unwrap_or_default();
                assert_eq!(snake_word(&all), None, "{kind:?} {lang:?}: {all}");
                let words: Vec<&str> = text
                    .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .collect();
                for code in CODES {
                    assert!(
                        !words.contains(code),
                        "{kind:?} {lang:?} shows {code}: {text}"
                    );
                }
                // Every field has a name of its own, not its key.
                let dts = body.query_selector_all("dt[data-key]").unwrap();
                for i in 0..dts.length() {
                    let dt: web_sys::Element =
                        wasm_bindgen::JsCast::dyn_into(dts.item(i).unwrap()).unwrap();
                    let key = dt.get_attribute("data-key").unwrap();
                    let name = dt.text_content().unwrap_or_default();
                    assert!(
                        name.trim() != key && !name.trim().is_empty(),
                        "{kind:?}: {key}"
                    );
                }
                let row = row_view(*kind, &s, lang);
                let line = format!(
                    "{} {} {} {} {:?}",
                    row.date, row.who, row.phone, row.what, row.badge
                );
                assert_eq!(snake_word(&line), None, "{kind:?} row: {line}");
                root.remove();
                checked += 1;
            }
        }
    }
    assert_eq!(
        checked,
        2 * (EXAMPLES.len() + 2),
        "three towns in one example"
    );
}

async fn text_of(file: &str, kind: FormKind, lang: Lang, pick: usize) -> String {
    let s = stored(file).swap_remove(pick);
    let root = detail(kind, s, lang).await;
    let body = root.query_selector("#record-body").unwrap().unwrap();
    let text = body.text_content().unwrap_or_default();
    root.remove();
    text
}

#[wasm_bindgen_test]
async fn the_words_are_the_domains_own() {
    let seven = include_str!("../../examples/self_assessment_seven.json");
    let text = text_of(seven, FormKind::SelfAssessment, Lang::Zh, 0).await;
    assert!(text.contains("1,600.00 元"), "{text}");
    let (criterion, item) = Standard::Seven.item("activity_records").unwrap();
    assert!(text.contains(criterion.label(Lang::Zh)), "{text}");
    assert!(text.contains(item.label(Lang::Zh)), "{text}");
    let (_, counted) = Standard::Seven.item("work_meetings").unwrap();
    assert!(
        text.contains(&format!("{}12 次", counted.label(Lang::Zh))),
        "{text}"
    );
    let text = text_of(seven, FormKind::SelfAssessment, Lang::En, 0).await;
    assert!(text.contains("1,600.00 yuan"), "{text}");
    assert!(text.contains(item.label(Lang::En)), "{text}");

    let home = include_str!("../../examples/model_home.json");
    let text = text_of(home, FormKind::ModelHome, Lang::Zh, 0).await;
    assert!(text.contains("年度经费1,600.00 元"), "{text}");
    assert!(text.contains(Level::Town.label(Lang::Zh)), "{text}");
    assert!(text.contains("同意推荐"), "{text}");

    let meeting = include_str!("../../examples/meeting.json");
    let text = text_of(meeting, FormKind::Meeting, Lang::Zh, 0).await;
    assert!(text.contains("矛盾纠纷未发现"), "{text}");
    assert!(text.contains("丈夫酒后动手，邻居报告"), "{text}");

    let towns = include_str!("../../examples/town_assessments.json");
    let text = text_of(towns, FormKind::TownAssessment, Lang::Zh, 0).await;
    let rubric = Rubric::builtin();
    assert!(text.contains(&rubric.categories[0].name), "{text}");
    assert!(text.contains("有品牌未开展活动；扣 1.00 分"), "{text}");
    assert!(text.contains("巾帼文明岗扣 2.00 分"), "{text}");
    let bonus = rubric.bonus_item("chunlei_class").unwrap();
    assert!(text.contains(&format!("{}2 次", bonus.name)), "{text}");

    let open = include_str!("../../examples/rights_case_open.json");
    let text = text_of(open, FormKind::RightsCase, Lang::Zh, 0).await;
    assert!(text.contains("集体访"), "{text}");
    assert!(text.contains("劳动和社会保障权益"), "{text}");

    let report = include_str!("../../examples/monthly_report.json");
    let text = text_of(report, FormKind::MonthlyReport, Lang::En, 0).await;
    assert!(text.contains("B Domestic violence 0"), "{text}");
}

/// A conflict names its field as merges do (`parties[0].phone`); the worker reads words.
#[wasm_bindgen_test]
fn a_merged_field_is_named_in_words() {
    use frontend::forms::field_path_label;
    assert_eq!(field_path_label("address", Lang::Zh), "家庭住址");
    let phone = field_path_label("parties[1].phone", Lang::Zh);
    assert!(
        phone.contains("第2项") && !phone.contains("phone") && !phone.contains('['),
        "{phone}"
    );
    let en = field_path_label("parties[0].phone", Lang::En);
    assert!(en.contains("#1") && !en.contains("phone"), "{en}");
}
