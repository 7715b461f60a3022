//! The 维权个案 page in a real browser (headless Chromium): stages added only in order, the reply
//! deadline and warnings computed by `shared` as you type, drafts and the outbox.

use chrono::NaiveDate;
use frontend::forms::FormKind;
use frontend::pages::FormPageProps;
use frontend::pages::rights_case::{RightsCasePage, station_choices};
use frontend::session::{OrgUnit, Session};
use frontend::storage;
use gloo::storage::{LocalStorage, Storage};
use shared::Lang;
use shared::calendar::WorkCalendar;
use shared::case::{CaseInput, Complexity, RightsCase, Stage};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlInputElement, HtmlSelectElement};
use yew::Callback;

wasm_bindgen_test_configure!(run_in_browser);

/// The body of `/api/me` for a city user, as the server sends it.
const ME_CITY: &str = r#"{
  "user": {"id": 2, "username": "city", "display_name": "市妇联 陈敏", "role": "city", "unit": "rugao"},
  "units": [
    {"id": "rugao", "name": "如皋市", "level": "city", "parent": null},
    {"id": "rugao/baipu", "name": "白蒲镇", "level": "town", "parent": "rugao"},
    {"id": "rugao/baipu/linzi", "name": "林梓村", "level": "village", "parent": "rugao/baipu"},
    {"id": "rugao/changjiang", "name": "长江镇", "level": "town", "parent": "rugao"},
    {"id": "rugao/changjiang/gangkou", "name": "港口村", "level": "village", "parent": "rugao/changjiang"}
  ]
}"#;

fn linzi_units() -> Vec<OrgUnit> {
    serde_json::from_str(
        r#"[{"id":"rugao/baipu/linzi","level":"village","name":"林梓村","parent":"rugao/baipu"}]"#,
    )
    .unwrap()
}

fn mount_with(units: Vec<OrgUnit>) -> web_sys::Element {
    let doc = gloo::utils::document();
    let root = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<RightsCasePage>::with_root_and_props(
        root.clone(),
        FormPageProps {
            lang: Lang::Zh,
            units,
            on_queued: Callback::noop(),
        },
    )
    .render();
    root
}

fn mount() -> web_sys::Element {
    mount_with(linzi_units())
}

fn find<T: JsCast>(root: &web_sys::Element, selector: &str) -> T {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
        .dyn_into()
        .unwrap()
}

fn exists(root: &web_sys::Element, selector: &str) -> bool {
    root.query_selector(selector).unwrap().is_some()
}

fn all(root: &web_sys::Element, selector: &str) -> Vec<web_sys::Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .map(|i| list.item(i).unwrap().dyn_into().unwrap())
        .collect()
}

/// Types `value` into the field `name` (an input or a textarea), as a user would.
async fn type_into(root: &web_sys::Element, name: &str, value: &str) {
    let el: HtmlElement = find(root, &format!("[name=\"{name}\"]"));
    if let Some(i) = el.dyn_ref::<HtmlInputElement>() {
        i.set_value(value);
    } else {
        el.dyn_ref::<web_sys::HtmlTextAreaElement>()
            .unwrap()
            .set_value(value);
    }
    el.dispatch_event(&web_sys::InputEvent::new("input").unwrap())
        .unwrap();
    yew::scheduler::flush().await;
}

async fn choose(root: &web_sys::Element, name: &str, value: &str) {
    let select: HtmlSelectElement = find(root, &format!("select[name=\"{name}\"]"));
    select.set_value(value);
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    yew::scheduler::flush().await;
}

async fn click(root: &web_sys::Element, selector: &str) {
    find::<HtmlElement>(root, selector).click();
    yew::scheduler::flush().await;
}

fn attr(root: &web_sys::Element, selector: &str, name: &str) -> String {
    find::<HtmlElement>(root, selector)
        .get_attribute(name)
        .unwrap_or_default()
}

fn stage_rows(root: &web_sys::Element) -> Vec<String> {
    all(root, "fieldset.stage")
        .iter()
        .map(|f| f.get_attribute("data-stage").unwrap())
        .collect()
}

fn warning_codes(root: &web_sys::Element) -> Vec<String> {
    all(root, "#case-warnings li")
        .iter()
        .map(|li| li.get_attribute("data-code").unwrap())
        .collect()
}

fn draft() -> CaseInput {
    storage::current_input(FormKind::RightsCase).expect("a draft is saved")
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// Applied on `applied`, accepted on `accepted` as `complexity`: typed into the page.
async fn accept(root: &web_sys::Element, applied: &str, accepted: &str, complexity: &str) {
    type_into(root, "stages[0].date", applied).await;
    type_into(root, "stages[0].handler", "林芳").await;
    if stage_rows(root).len() < 2 {
        click(root, "#add-stage").await;
    }
    type_into(root, "stages[1].date", accepted).await;
    click(
        root,
        &format!("input[name=\"stages[1].complexity\"][value=\"{complexity}\"]"),
    )
    .await;
}

#[wasm_bindgen_test]
async fn only_the_next_stage_can_be_added_and_only_the_last_removed() {
    LocalStorage::clear();
    storage::open_in_memory("linzi");
    let root = mount();
    yew::scheduler::flush().await;
    // A new case: one 申请 row, dated today; 受理 comes next.
    assert_eq!(stage_rows(&root), ["applied"]);
    assert_eq!(
        find::<HtmlInputElement>(&root, "[name=\"stages[0].date\"]").value(),
        frontend::today().to_string()
    );
    assert_eq!(attr(&root, "#current-stage", "data-stage"), "applied");
    assert_eq!(attr(&root, "#next-stage", "data-stage"), "accepted");
    assert_eq!(attr(&root, "#add-stage", "data-stage"), "accepted");
    assert!(!exists(&root, ".remove-stage"), "申请 cannot be removed");
    // One button, for the next stage only: no way to skip to 结案.
    assert_eq!(all(&root, "#add-stage").len(), 1);

    for n in 1..Stage::ALL.len() {
        let next = Stage::ALL[n];
        assert_eq!(attr(&root, "#add-stage", "data-stage"), next.code());
        assert!(
            find::<HtmlElement>(&root, "#add-stage")
                .text_content()
                .unwrap()
                .ends_with(next.label(Lang::Zh))
        );
        click(&root, "#add-stage").await;
        let expected: Vec<&str> = Stage::ALL[..=n].iter().map(|s| s.code()).collect();
        assert_eq!(stage_rows(&root), expected);
        assert_eq!(attr(&root, "#current-stage", "data-stage"), next.code());
        // Only the last row may be removed.
        let removable = all(&root, "fieldset.stage .remove-stage");
        assert_eq!(removable.len(), 1);
        assert_eq!(
            removable[0]
                .closest("fieldset")
                .unwrap()
                .unwrap()
                .get_attribute("data-stage")
                .unwrap(),
            next.code()
        );
    }
    // Each stage's own field sits on its own row.
    assert!(exists(&root, "[name=\"stages[1].complexity\"]"));
    assert!(exists(&root, "[name=\"stages[4].result\"]"));
    assert!(exists(&root, "[name=\"stages[5].satisfaction\"]"));
    assert!(!exists(&root, "[name=\"stages[2].complexity\"]"));
    // All six: nothing more to add.
    assert!(!exists(&root, "#add-stage"));
    assert!(exists(&root, "#all-stages"));
    assert_eq!(attr(&root, "#next-stage", "data-stage"), "");

    click(&root, ".remove-stage").await;
    assert_eq!(stage_rows(&root).len(), 5);
    assert_eq!(attr(&root, "#add-stage", "data-stage"), "revisited");
    assert_eq!(draft().stages.len(), 5);
    root.remove();
}

#[wasm_bindgen_test]
async fn the_deadline_of_an_ordinary_case_accepted_before_national_day_is_shared_s() {
    LocalStorage::clear();
    storage::open_in_memory("linzi");
    let root = mount();
    yew::scheduler::flush().await;
    assert_eq!(attr(&root, "#reply-deadline", "data-date"), "");

    accept(&root, "2026-09-28", "2026-09-29", "ordinary").await;
    let expected = Complexity::Ordinary
        .reply_deadline(d(2026, 9, 29), &WorkCalendar::builtin())
        .unwrap();
    // 09-30, then 国庆 10-01…07 off, 10-08, 10-09, 10-10 (Saturday, worked), 10-12, 10-13, 10-14.
    assert_eq!(expected.value, d(2026, 10, 14));
    assert!(expected.is_exact());
    assert_eq!(attr(&root, "#reply-deadline", "data-date"), "2026-10-14");
    assert_eq!(
        find::<HtmlElement>(&root, "#reply-deadline")
            .text_content()
            .unwrap(),
        "2026-10-14"
    );
    assert!(!exists(&root, "#calendar-note"), "2026 has its table");
    // The warnings are shared's for this draft, as of today.
    let today = frontend::today();
    let shared_codes: Vec<String> = draft()
        .preview(&WorkCalendar::builtin(), today)
        .warnings
        .iter()
        .map(|w| w.code.as_str().to_owned())
        .collect();
    assert_eq!(warning_codes(&root), shared_codes);
    if today > expected.value {
        assert_eq!(shared_codes, ["case.overdue"]);
        let late = (today - expected.value).num_days();
        assert_eq!(
            find::<HtmlElement>(&root, "#due-status")
                .text_content()
                .unwrap(),
            format!("已逾期{late}天，尚未处理")
        );
    }
    // Once the form is complete, the parsed case gives the same deadline.
    type_into(&root, "complainant.name", "陈丽").await;
    type_into(&root, "facts", "丈夫长期不给付家庭生活费").await;
    type_into(&root, "request", "要求按月给付生活费").await;
    click(&root, "input[name=\"channel\"][value=\"visit\"]").await;
    choose(&root, "area", "marriage_family").await;
    let case = RightsCase::parse(&draft(), today).expect("a valid case");
    assert_eq!(
        case.reply_deadline(&WorkCalendar::builtin()).unwrap(),
        expected
    );

    // Handled in time: the deadline stays, the warning goes.
    click(&root, "#add-stage").await;
    type_into(&root, "stages[2].date", "2026-10-09").await;
    click(&root, "#add-stage").await;
    type_into(&root, "stages[3].date", "2026-10-13").await;
    assert_eq!(attr(&root, "#reply-deadline", "data-date"), "2026-10-14");
    assert_eq!(
        find::<HtmlElement>(&root, "#due-status")
            .text_content()
            .unwrap(),
        "已按期处理"
    );
    assert!(warning_codes(&root).is_empty());
    root.remove();
}

#[wasm_bindgen_test]
async fn a_deadline_in_a_year_without_a_holiday_table_says_so() {
    LocalStorage::clear();
    storage::open_in_memory("linzi");
    let root = mount();
    yew::scheduler::flush().await;
    accept(&root, "2026-12-28", "2026-12-28", "ordinary").await;
    let expected = Complexity::Ordinary
        .reply_deadline(d(2026, 12, 28), &WorkCalendar::builtin())
        .unwrap();
    assert_eq!(expected.missing_years, [2027]);
    assert_eq!(
        attr(&root, "#reply-deadline", "data-date"),
        expected.value.to_string()
    );
    assert_eq!(attr(&root, "#calendar-note", "data-years"), "2027");
    assert!(
        find::<HtmlElement>(&root, "#calendar-note")
            .text_content()
            .unwrap()
            .contains("尚无2027年节假日安排")
    );
    root.remove();
}

#[wasm_bindgen_test]
async fn warnings_follow_the_form_as_it_is_typed() {
    LocalStorage::clear();
    storage::open_in_memory("linzi");
    let root = mount();
    yew::scheduler::flush().await;
    assert!(!exists(&root, "section.referral"));
    accept(&root, "2026-09-28", "2026-09-29", "difficult").await;
    // 疑难: no deadline, a referral is owed; its section opens.
    assert_eq!(attr(&root, "#reply-deadline", "data-date"), "");
    assert_eq!(warning_codes(&root), ["case.difficult_not_referred"]);
    assert!(exists(&root, "section.referral"));
    type_into(&root, "referral.date", "2026-09-30").await;
    assert!(warning_codes(&root).is_empty());

    // A group petition must be reported up.
    choose(&root, "petition.kind", "group").await;
    assert_eq!(warning_codes(&root), ["case.petition_not_reported"]);
    type_into(&root, "petition.reported_on", "2026-09-29").await;
    assert!(warning_codes(&root).is_empty());

    // Closed long ago without a revisit.
    for _ in 0..3 {
        click(&root, "#add-stage").await;
    }
    type_into(&root, "stages[4].date", "2026-10-10").await;
    type_into(&root, "stages[4].result", "协调解决").await;
    let today = frontend::today();
    let closed_for = (today - d(2026, 10, 10)).num_days();
    if closed_for > shared::case::REVISIT_WITHIN_DAYS {
        assert_eq!(warning_codes(&root), ["case.closed_without_revisit"]);
    }
    click(&root, "#add-stage").await;
    assert!(warning_codes(&root).is_empty());
    root.remove();
}

#[wasm_bindgen_test]
async fn the_station_is_one_of_the_user_s_towns_or_villages() {
    let city: Session = serde_json::from_str(ME_CITY).unwrap();
    let labels: Vec<String> = station_choices(&city.units, Lang::Zh)
        .iter()
        .map(|c| c.label.to_string())
        .collect();
    assert_eq!(
        labels,
        [
            "白蒲镇（镇维权站）",
            "长江镇（镇维权站）",
            "白蒲镇 · 林梓村（村维权站）",
            "长江镇 · 港口村（村维权站）"
        ]
    );

    // Several: none is chosen for the user.
    LocalStorage::clear();
    storage::open_in_memory("linzi");
    let root = mount_with(city.units.clone());
    yew::scheduler::flush().await;
    let select: HtmlSelectElement = find(&root, "select[name=\"org_unit\"]");
    assert_eq!(select.value(), "");
    assert_eq!(select.length(), 5, "— and four stations");
    choose(&root, "org_unit", "rugao/baipu").await;
    assert_eq!(draft().org_unit, "rugao/baipu");
    root.remove();

    // A village worker's only station is filled in.
    LocalStorage::clear();
    storage::open_in_memory("linzi");
    let root = mount();
    yew::scheduler::flush().await;
    assert_eq!(
        find::<HtmlSelectElement>(&root, "select[name=\"org_unit\"]").value(),
        "rugao/baipu/linzi"
    );
    assert_eq!(draft().org_unit, "rugao/baipu/linzi");
    root.remove();
}

#[wasm_bindgen_test]
async fn submitting_names_what_is_missing_then_queues_the_case() {
    LocalStorage::clear();
    storage::open_in_memory("linzi");
    let root = mount();
    yew::scheduler::flush().await;
    click(&root, "button[type=submit]").await;
    let errors: Vec<String> = all(&root, ".error")
        .iter()
        .map(|e| e.text_content().unwrap())
        .collect();
    for expected in [
        "来源渠道：必填",
        "权益类别：必填",
        "申请人姓名：必填",
        "事实与理由：必填",
        "诉求：必填",
        "申请经办人：必填",
    ] {
        assert!(
            errors.contains(&expected.to_owned()),
            "{expected} in {errors:?}"
        );
    }
    assert!(storage::load_outbox().is_empty());

    click(&root, "input[name=\"channel\"][value=\"phone\"]").await;
    choose(&root, "area", "labour_social_security").await;
    type_into(&root, "complainant.name", "周敏").await;
    type_into(&root, "complainant.phone", "139 5771 2345").await;
    type_into(&root, "facts", "怀孕后被单位辞退").await;
    type_into(&root, "request", "要求恢复劳动关系").await;
    accept(&root, "2026-09-28", "2026-09-29", "ordinary").await;
    assert!(all(&root, ".error").is_empty(), "every message went");
    let sent = draft();
    click(&root, "button[type=submit]").await;

    let outbox = storage::load_outbox();
    assert_eq!(outbox.len(), 1);
    assert_eq!(outbox[0].kind, FormKind::RightsCase);
    assert_eq!(outbox[0].id, sent.id);
    let body: CaseInput = serde_json::from_value(outbox[0].body.clone()).unwrap();
    assert_eq!(body, sent);
    assert_eq!(body.stages[1].complexity, "ordinary");
    // A new case at the same station, one 申请 row.
    let next = draft();
    assert_ne!(next.id, sent.id);
    assert_eq!(next.org_unit, "rugao/baipu/linzi");
    assert_eq!(stage_rows(&root), ["applied"]);
    assert_eq!(
        find::<HtmlInputElement>(&root, "[name=\"complainant.name\"]").value(),
        ""
    );
    root.remove();
}

/// A stored case with 申请 and 受理, as the records page opens it for 续办.
fn stored_case() -> CaseInput {
    let mut input = CaseInput::blank(uuid::Uuid::from_u128(7), d(2026, 11, 2));
    input.org_unit = "rugao/baipu/linzi".into();
    input.channel = "visit".into();
    input.area = "marriage_family".into();
    input.complainant.name = "周敏".into();
    input.facts = "丈夫长期冷暴力".into();
    input.request = "调解".into();
    input.stages[0].handler = "林芳".into();
    frontend::pages::rights_case::add_stage(&mut input, Stage::Accepted, d(2026, 11, 3));
    input.stages[1].complexity = "ordinary".into();
    RightsCase::parse(&input, d(2026, 11, 29)).expect("a valid stored case");
    input
}

#[wasm_bindgen_test]
async fn a_stored_case_is_continued_as_a_change_of_its_version() {
    LocalStorage::clear();
    storage::open_in_memory("linzi");
    let base = stored_case();
    storage::open_for_change(FormKind::RightsCase, base.id, 2, base.clone()).unwrap();
    let root = mount();
    yew::scheduler::flush().await;
    assert_eq!(attr(&root, "#continuing", "data-version"), "2");
    assert_eq!(stage_rows(&root), ["applied", "accepted"]);
    // Stored stages stay: no way to remove 受理, and changing its date is refused on the field.
    assert!(!exists(&root, ".remove-stage"));
    type_into(&root, "stages[1].date", "2026-11-04").await;
    let errors: Vec<String> = all(&root, ".error")
        .iter()
        .map(|e| e.text_content().unwrap())
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with("受理日期"), "{errors:?}");
    click(&root, "button[type=submit]").await;
    assert!(
        storage::load_outbox().is_empty(),
        "a refused change is not queued"
    );
    type_into(&root, "stages[1].date", "2026-11-03").await;
    assert!(all(&root, ".error").is_empty());

    // The next stage is added and can be removed again; then the change is queued.
    click(&root, "#add-stage").await;
    assert_eq!(stage_rows(&root), ["applied", "accepted", "investigated"]);
    assert!(exists(&root, ".remove-stage"));
    click(&root, "button[type=submit]").await;
    let outbox = storage::load_outbox();
    assert_eq!(outbox.len(), 1);
    assert_eq!(
        outbox[0].edit_of,
        Some(2),
        "sent as a PUT based on version 2"
    );
    assert_ne!(
        outbox[0].id, base.id,
        "the item is not the record's first submission"
    );
    let body: CaseInput = serde_json::from_value(outbox[0].body.clone()).unwrap();
    assert_eq!(body.id, base.id);
    assert_eq!(body.stages.len(), 3);
    // The same change again (a double click) is not queued twice; another change on the same
    // base is an item of its own, never dropped.
    storage::enqueue_edit(FormKind::RightsCase, base.id, 2, &body, 0.0).unwrap();
    assert_eq!(storage::load_outbox().len(), 1);
    let mut other = body.clone();
    other.stages[2].note = "又来电".into();
    storage::enqueue_edit(FormKind::RightsCase, base.id, 2, &other, 0.0).unwrap();
    let outbox = storage::load_outbox();
    assert_eq!(outbox.len(), 2);
    assert_ne!(outbox[0].id, outbox[1].id);
    // Done: the change's draft is gone, the page is a new case again.
    assert!(storage::drafts(FormKind::RightsCase).is_empty());
    assert!(!exists(&root, "#continuing"));
    assert_ne!(draft().id, base.id);
    root.remove();
}

#[wasm_bindgen_test]
async fn stopping_a_continuation_starts_a_new_case_and_queues_nothing() {
    LocalStorage::clear();
    storage::open_in_memory("linzi");
    let base = stored_case();
    storage::open_for_change(FormKind::RightsCase, base.id, 1, base.clone()).unwrap();
    let root = mount();
    yew::scheduler::flush().await;
    click(&root, "#stop-continuing").await;
    assert!(!exists(&root, "#continuing"));
    assert_eq!(stage_rows(&root), ["applied"]);
    // The button says the change stays among the drafts: it is kept, untouched, to finish later,
    // and the page now holds another draft.
    let kept: Vec<_> = storage::drafts(FormKind::RightsCase)
        .into_iter()
        .filter(|d| d.editing.is_some())
        .collect();
    assert_eq!(kept.len(), 1, "the change is kept");
    assert_eq!(kept[0].editing, Some(1));
    assert_ne!(draft().id, base.id, "the page is a new case");
    assert!(storage::load_outbox().is_empty());
    root.remove();
}
