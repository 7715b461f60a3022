//! The standards pages in a real browser (headless Chromium): 阵地自评, 示范妇女之家申报 and
//! 镇年度考核, mounted with a user's units; what the user sees in the live previews.

use frontend::forms::FormKind;
use frontend::pages::FormPageProps;
use frontend::pages::model_home::ModelHomePage;
use frontend::pages::self_assessment::SelfAssessmentPage;
use frontend::pages::town_assessment::TownAssessmentPage;
use frontend::session::Session;
use frontend::storage;
use gloo::storage::{LocalStorage, Storage};
use serde_json::Value;
use shared::Lang;
use shared::model_home::ModelHomeInput;
use shared::rubric::{Rubric, TownAssessmentInput};
use shared::standards::SelfAssessmentInput;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlInputElement};
use yew::{BaseComponent, Callback};

wasm_bindgen_test_configure!(run_in_browser);

const SEVEN: &str = include_str!("../../examples/self_assessment_seven.json");
const MODEL_HOME: &str = include_str!("../../examples/model_home.json");
const TOWNS: &str = include_str!("../../examples/town_assessments.json");

fn linzi() -> Session {
    serde_json::from_str(
        r#"{"units":[{"id":"rugao/baipu/linzi","level":"village","name":"林梓村","parent":"rugao/baipu"}],
            "user":{"display_name":"林梓村 李娟","id":5,"role":"village","unit":"rugao/baipu/linzi","username":"linzi"}}"#,
    )
    .unwrap()
}

fn city() -> Session {
    serde_json::from_str(
        r#"{"user": {"id": 2, "username": "city", "display_name": "市妇联 陈敏", "role": "city", "unit": "rugao"},
            "units": [
              {"id": "rugao", "name": "如皋市", "level": "city", "parent": null},
              {"id": "rugao/baipu", "name": "白蒲镇", "level": "town", "parent": "rugao"},
              {"id": "rugao/baipu/linzi", "name": "林梓村", "level": "village", "parent": "rugao/baipu"},
              {"id": "rugao/changjiang", "name": "长江镇", "level": "town", "parent": "rugao"}
            ]}"#,
    )
    .unwrap()
}

/// The example form of a `backend check` document, as the app posts it.
fn example<T: serde::de::DeserializeOwned>(doc: &str, pointer: &str) -> T {
    let v: Value = serde_json::from_str(doc).unwrap();
    serde_json::from_value(v.pointer(pointer).unwrap().clone()).unwrap()
}

/// The 七有 example (all seven met), in 林梓村 as the app names units.
fn seven_all_met() -> SelfAssessmentInput {
    let mut s: SelfAssessmentInput = example(SEVEN, "/form");
    s.org_unit = "rugao/baipu/linzi".into();
    s
}

fn mount<C>(session: Session) -> web_sys::Element
where
    C: BaseComponent<Properties = FormPageProps>,
{
    let doc = gloo::utils::document();
    let root = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<C>::with_root_and_props(
        root.clone(),
        FormPageProps {
            lang: Lang::Zh,
            units: session.units,
            on_queued: Callback::noop(),
        },
    )
    .render();
    root
}

fn find<T: JsCast>(root: &web_sys::Element, selector: &str) -> T {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
        .dyn_into()
        .unwrap()
}

fn text(root: &web_sys::Element, selector: &str) -> String {
    find::<HtmlElement>(root, selector).text_content().unwrap()
}

fn attr(root: &web_sys::Element, selector: &str, name: &str) -> String {
    find::<HtmlElement>(root, selector)
        .get_attribute(name)
        .unwrap_or_else(|| panic!("{selector} has no {name}"))
}

/// Types `value` into the input named `name`, as a user would.
async fn type_into(root: &web_sys::Element, name: &str, value: &str) {
    let input = find::<HtmlInputElement>(root, &format!("input[name=\"{name}\"]"));
    input.set_value(value);
    input
        .dispatch_event(&web_sys::InputEvent::new("input").unwrap())
        .unwrap();
    yew::scheduler::flush().await;
}

async fn click(root: &web_sys::Element, selector: &str) {
    find::<HtmlElement>(root, selector).click();
    yew::scheduler::flush().await;
}

/// Waits up to `ms` for `ready`, letting the browser run (fetches, timers) meanwhile.
async fn wait_for(ms: i32, ready: impl Fn() -> bool) -> bool {
    for _ in 0..(ms / 20).max(1) {
        if ready() {
            return true;
        }
        let tick = js_sys::Promise::new(&mut |resolve, _| {
            gloo::utils::window()
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 20)
                .unwrap();
        });
        wasm_bindgen_futures::JsFuture::from(tick).await.unwrap();
        yew::scheduler::flush().await;
    }
    ready()
}

#[wasm_bindgen_test]
async fn the_funds_check_follows_the_two_yuan_boundary_as_typed() {
    LocalStorage::clear();
    storage::open_in_memory("linzi");
    let root = mount::<SelfAssessmentPage>(linzi());
    yew::scheduler::flush().await;
    // A new 七有 form in the user's only village; the funds are not entered yet.
    assert_eq!(
        find::<web_sys::HtmlSelectElement>(&root, "select[name=\"org_unit\"]").value(),
        "rugao/baipu/linzi"
    );
    assert_eq!(attr(&root, "#funds-check", "data-ok"), "");

    // Exactly 2 元 per woman is enough.
    type_into(&root, "annual_funds", "1,600").await;
    type_into(&root, "resident_women", "800").await;
    assert_eq!(attr(&root, "#funds-check", "data-ok"), "true");
    assert_eq!(
        text(&root, "#funds-check"),
        "达到 经费 1,600.00 元 ≥ 2 元 × 800 人 = 1,600.00 元（人均 2.00 元）"
    );
    assert_eq!(
        attr(
            &root,
            "#sa-results li[data-criterion=\"funds\"]",
            "data-met"
        ),
        "true"
    );

    // One fen less is not, and the criterion says why.
    type_into(&root, "annual_funds", "1599.99").await;
    assert_eq!(attr(&root, "#funds-check", "data-ok"), "false");
    assert_eq!(
        text(&root, "#funds-check"),
        "不足 经费 1,599.99 元 < 2 元 × 800 人 = 1,600.00 元（人均 1.99 元）"
    );
    assert_eq!(
        attr(
            &root,
            "#sa-results li[data-criterion=\"funds\"]",
            "data-met"
        ),
        "false"
    );
    assert_eq!(
        text(
            &root,
            "#sa-results li[data-criterion=\"funds\"] .sa-failures"
        ),
        "经费 1,599.99 元 < 2 元 × 800 人 = 1,600.00 元"
    );
    assert_eq!(
        text(&root, "section[data-criterion=\"funds\"] .sa-status"),
        "未达标"
    );
    // One more woman with the full 1,600 元 is short too.
    type_into(&root, "annual_funds", "1600").await;
    type_into(&root, "resident_women", "801").await;
    assert_eq!(attr(&root, "#funds-check", "data-ok"), "false");
    // The draft holds what was typed.
    let draft: SelfAssessmentInput = storage::current_input(FormKind::SelfAssessment).unwrap();
    assert_eq!(
        (draft.annual_funds.as_str(), draft.resident_women.as_str()),
        ("1600", "801")
    );
    root.remove();
}

#[wasm_bindgen_test]
async fn a_criterion_turns_unmet_when_one_of_its_sub_items_is_unticked() {
    LocalStorage::clear();
    storage::open_in_memory("linzi");
    storage::start_draft(FormKind::SelfAssessment, &seven_all_met()).unwrap();
    let root = mount::<SelfAssessmentPage>(linzi());
    yew::scheduler::flush().await;
    assert_eq!(attr(&root, "#sa-score", "data-met"), "7");
    assert_eq!(text(&root, "#sa-percent"), "100.00%");
    let facilities = "section[data-criterion=\"facilities\"]";
    assert_eq!(attr(&root, facilities, "data-met"), "true");
    assert_eq!(text(&root, &format!("{facilities} .sa-status")), "达标");

    // The plaque is taken down: 有服务设施 is no longer met, and the preview names the plaque.
    click(&root, "input[name=\"ticked\"][value=\"plaque\"]").await;
    assert_eq!(attr(&root, facilities, "data-met"), "false");
    assert_eq!(text(&root, &format!("{facilities} .sa-status")), "未达标");
    assert_eq!(attr(&root, "#sa-score", "data-met"), "6");
    assert_eq!(text(&root, "#sa-score strong"), "6/7");
    assert_eq!(text(&root, "#sa-percent"), "85.71%");
    assert_eq!(
        text(
            &root,
            "#sa-results li[data-criterion=\"facilities\"] .sa-failures"
        ),
        "缺少 室内活动场所悬挂“妇女之家”牌子"
    );
    assert!(
        !storage::current_input::<SelfAssessmentInput>(FormKind::SelfAssessment)
            .unwrap()
            .ticked
            .contains(&"plaque".to_owned())
    );

    // A 不适用 item stays met either way; a count below its minimum fails its criterion.
    click(
        &root,
        "input[name=\"not_applicable\"][value=\"roster_talent\"]",
    )
    .await;
    assert_eq!(
        attr(&root, "section[data-criterion=\"ledgers\"]", "data-met"),
        "false"
    );
    click(&root, "input[name=\"ticked\"][value=\"roster_talent\"]").await;
    assert_eq!(
        attr(&root, "section[data-criterion=\"ledgers\"]", "data-met"),
        "true"
    );
    type_into(&root, "counts.work_meetings", "11").await;
    assert_eq!(
        text(
            &root,
            "#sa-results li[data-criterion=\"mechanism\"] .sa-failures"
        ),
        "全年召开妇联工作例会（每月一次）：11 次 < 12 次"
    );
    assert_eq!(text(&root, "#sa-score strong"), "5/7");

    // Ticked again: met again.
    click(&root, "input[name=\"ticked\"][value=\"plaque\"]").await;
    assert_eq!(attr(&root, facilities, "data-met"), "true");
    root.remove();
}

#[wasm_bindgen_test]
async fn the_five_haves_are_a_town_s_and_switching_clears_the_answers() {
    LocalStorage::clear();
    storage::open_in_memory("linzi");
    storage::start_draft(FormKind::SelfAssessment, &seven_all_met()).unwrap();
    let root = mount::<SelfAssessmentPage>(city());
    yew::scheduler::flush().await;
    click(&root, "input[name=\"standard\"][value=\"five\"]").await;
    let select = find::<web_sys::HtmlSelectElement>(&root, "select[name=\"org_unit\"]");
    let options: Vec<String> = (0..select.length())
        .map(|i| select.item(i).unwrap().text_content().unwrap())
        .collect();
    assert_eq!(options, ["—", "白蒲镇", "长江镇"]);
    assert_eq!(text(&root, "#sa-score strong"), "0/5");
    assert_eq!(
        root.query_selector_all("#sa-results > li")
            .unwrap()
            .length(),
        5
    );
    assert!(root.query_selector("#funds-check").unwrap().is_none());
    let draft: SelfAssessmentInput = storage::current_input(FormKind::SelfAssessment).unwrap();
    assert!(draft.ticked.is_empty() && draft.annual_funds.is_empty());
    root.remove();
}

#[wasm_bindgen_test]
async fn a_model_home_is_judged_on_the_unit_s_latest_seven_haves() {
    LocalStorage::clear();
    storage::open_in_memory("linzi");
    let mut form: ModelHomeInput = example(MODEL_HOME, "/form");
    form.org_unit = "rugao/baipu/linzi".into();
    storage::start_draft(FormKind::ModelHome, &form).unwrap();
    let root = mount::<ModelHomePage>(linzi());
    yew::scheduler::flush().await;
    // Funds 1,600 元 for 800 women; town and district approved, the city's opinion awaited.
    assert_eq!(attr(&root, ".mh-preview #funds-check", "data-ok"), "true");
    assert!(text(&root, ".mh-preview #funds-check").contains("人均 2.00 元"));
    assert_eq!(text(&root, "#mh-status"), "待市妇联审核");
    // No 七有 self-assessment known (the test server has no API): said plainly.
    assert!(
        wait_for(3000, || attr(&root, "#mh-seven", "data-known") == "false"
            && !text(&root, "#mh-seven").contains("正在向服务器查询"))
        .await
    );
    assert!(text(&root, "#mh-seven").starts_with("未找到该单位的“七有”自评记录"));
    assert_eq!(attr(&root, "#mh-eligibility", "data-eligible"), "false");
    assert!(text(&root, "#mh-reasons").contains("没有“七有”自评记录"));
    root.remove();

    // The village's 七有 submitted on this device, all seven met: eligible.
    storage::enqueue_form(
        FormKind::SelfAssessment,
        seven_all_met().id,
        &seven_all_met(),
        1.0,
    )
    .unwrap();
    let root = mount::<ModelHomePage>(linzi());
    yew::scheduler::flush().await;
    assert_eq!(attr(&root, "#mh-seven", "data-known"), "true");
    assert_eq!(attr(&root, "#mh-seven", "data-assessed-on"), "2025-11-20");
    assert_eq!(attr(&root, "#mh-eligibility", "data-eligible"), "true");
    assert_eq!(text(&root, "#mh-eligibility"), "符合申报条件");

    // Funds a fen short of 2 元 per woman: not eligible, saying why.
    type_into(&root, "annual_funds", "1,599.99").await;
    assert_eq!(attr(&root, ".mh-preview #funds-check", "data-ok"), "false");
    assert_eq!(attr(&root, "#mh-eligibility", "data-eligible"), "false");
    assert_eq!(
        text(&root, "#mh-reasons"),
        "经费低于每名常住妇女2元：经费 1,599.99 元 < 2 元 × 800 人 = 1,600.00 元"
    );
    // The city rejects: the chain ends there.
    click(
        &root,
        "input[name=\"opinions.city.decision\"][value=\"reject\"]",
    )
    .await;
    assert_eq!(text(&root, "#mh-status"), "市妇联不同意");
    root.remove();
}

#[wasm_bindgen_test]
async fn the_town_assessment_preview_of_the_readme_example_is_shared_s_score() {
    LocalStorage::clear();
    storage::open_in_memory("linzi");
    let mut input: TownAssessmentInput = example(TOWNS, "/form/towns/0");
    input.town = "rugao/baipu".into();
    let rubric = Rubric::builtin();
    let expected = input.score(rubric).unwrap();
    assert_eq!(expected.raw_total.to_string(), "86.17");
    storage::start_draft(FormKind::TownAssessment, &input).unwrap();
    let root = mount::<TownAssessmentPage>(city());
    yew::scheduler::flush().await;

    assert_eq!(attr(&root, "#ta-raw-total", "data-score"), "86.17");
    assert_eq!(text(&root, "#ta-raw-total strong"), "86.17");
    assert_eq!(attr(&root, "#ta-base", "data-score"), "81.17");
    assert_eq!(attr(&root, "#ta-bonus-raw", "data-score"), "5.00");
    assert_eq!(attr(&root, "#ta-bonus", "data-score"), "5.00");
    assert_eq!(attr(&root, "#ta-pending", "data-count"), "0");
    for c in &expected.categories {
        let row = format!("#ta-categories tr[data-category=\"{}\"]", c.id);
        assert_eq!(
            attr(&root, &row, "data-score"),
            c.score.to_string(),
            "{}",
            c.id
        );
        let head = format!("section[data-category=\"{}\"] .ta-cat-score", c.id);
        assert_eq!(attr(&root, &head, "data-score"), c.score.to_string());
    }
    // Each item shows what it costs, e.g. one of three tasks unfinished: −3.33.
    assert_eq!(
        attr(
            &root,
            "[data-item=\"other.publicity_tasks\"] .ta-cost",
            "data-points"
        ),
        "3.33"
    );

    // Typing moves the preview with shared's score: three more published reports, two more
    // bonus meetings.
    type_into(&root, "items.information.published.count", "12").await;
    type_into(&root, "bonus.nantong_meeting", "3").await;
    let mut changed = input.clone();
    changed
        .items
        .get_mut("information.published")
        .unwrap()
        .count = "12".into();
    changed.bonus.insert("nantong_meeting".into(), "3".into());
    let expected = changed.score(rubric).unwrap();
    assert_eq!(
        attr(&root, "#ta-raw-total", "data-score"),
        expected.raw_total.to_string()
    );
    assert_eq!(expected.raw_total.to_string(), "93.17");

    // A cleared required count is pending, costs nothing yet, and is named on submit.
    type_into(&root, "items.information.published.count", "").await;
    assert_eq!(attr(&root, "#ta-pending", "data-count"), "1");
    assert_eq!(
        attr(
            &root,
            "[data-item=\"information.published\"] .ta-cost",
            "data-pending"
        ),
        "true"
    );
    click(&root, "button[type=submit]").await;
    assert!(
        text(&root, "[data-item=\"information.published\"] .error")
            .starts_with("信息调研工作·录用信息·完成数"),
    );
    assert!(storage::load_outbox().is_empty());
    root.remove();
}
