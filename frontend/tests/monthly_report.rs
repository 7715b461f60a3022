//! The 月报（含零上报） page in a real browser (headless Chromium): the zero-report rule as you
//! type, the preview computed by `shared`, drafts and the outbox.

use chrono::NaiveDate;
use frontend::forms::FormKind;
use frontend::pages::FormPageProps;
use frontend::pages::monthly_report::{MonthlyReportPage, last_month, report_preview};
use frontend::session::OrgUnit;
use frontend::storage;
use gloo::storage::{LocalStorage, Storage};
use shared::Lang;
use shared::monthly::{MonthlyReportInput, ReportingRules, YearMonth};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlInputElement, HtmlSelectElement};
use yew::Callback;

wasm_bindgen_test_configure!(run_in_browser);

fn linzi_units() -> Vec<OrgUnit> {
    serde_json::from_str(
        r#"[{"id":"rugao/baipu/linzi","level":"village","name":"林梓村","parent":"rugao/baipu"}]"#,
    )
    .unwrap()
}

fn mount() -> web_sys::Element {
    let doc = gloo::utils::document();
    let root = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<MonthlyReportPage>::with_root_and_props(
        root.clone(),
        FormPageProps {
            lang: Lang::Zh,
            units: linzi_units(),
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

fn input(root: &web_sys::Element, name: &str) -> HtmlInputElement {
    find(root, &format!("[name=\"{name}\"]"))
}

/// Types `value` into the field `name`, as a user would (one `input` event).
async fn type_into(root: &web_sys::Element, name: &str, value: &str) {
    let el = input(root, name);
    el.set_value(value);
    el.dispatch_event(&web_sys::InputEvent::new("input").unwrap())
        .unwrap();
    yew::scheduler::flush().await;
}

async fn click(root: &web_sys::Element, selector: &str) {
    find::<HtmlElement>(root, selector).click();
    yew::scheduler::flush().await;
}

fn text(root: &web_sys::Element, selector: &str) -> String {
    find::<HtmlElement>(root, selector).text_content().unwrap()
}

/// The message under the field `name`, if one shows.
fn message(root: &web_sys::Element, name: &str) -> Option<String> {
    root.query_selector(&format!("#f-{name}-error"))
        .unwrap()
        .map(|e| e.text_content().unwrap())
}

fn draft() -> MonthlyReportInput {
    storage::current_input(FormKind::MonthlyReport).expect("a draft is saved")
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[wasm_bindgen_test]
fn last_month_crosses_the_year_and_short_months() {
    assert_eq!(last_month(d(2026, 1, 15)).to_string(), "2025-12");
    assert_eq!(last_month(d(2026, 3, 31)).to_string(), "2026-02");
    assert_eq!(last_month(d(2026, 11, 1)).to_string(), "2026-10");
}

#[wasm_bindgen_test]
async fn a_new_report_is_for_last_month_in_the_user_s_village() {
    LocalStorage::clear();
    storage::open_in_memory("linzi");
    let root = mount();
    yew::scheduler::flush().await;
    let month = input(&root, "month");
    assert_eq!(month.type_(), "month");
    assert_eq!(month.value(), last_month(frontend::today()).to_string());
    assert_eq!(
        find::<HtmlSelectElement>(&root, "select[name=\"org_unit\"]").value(),
        "rugao/baipu/linzi"
    );
    assert_eq!(draft().org_unit, "rugao/baipu/linzi");
    // The rule is said on the page, before anything is ticked.
    assert_eq!(
        text(&root, "#zero-rule"),
        "没有发现也要零上报；未报不等于零上报。"
    );
    root.remove();
}

#[wasm_bindgen_test]
async fn ticking_zero_report_sets_the_new_items_to_zero_and_locks_them() {
    LocalStorage::clear();
    storage::open_in_memory("linzi");
    let root = mount();
    yew::scheduler::flush().await;
    for name in ["new_a", "new_b", "new_c"] {
        assert!(
            !input(&root, name).disabled(),
            "{name} open before the tick"
        );
    }
    click(&root, "[name=\"zero_report\"]").await;
    for name in ["new_a", "new_b", "new_c"] {
        let el = input(&root, name);
        assert_eq!(el.value(), "0", "{name}");
        assert!(el.disabled(), "{name} is locked");
        assert_eq!(message(&root, name), None);
    }
    assert_eq!(
        find::<HtmlElement>(&root, "#report-kind")
            .get_attribute("data-zero")
            .unwrap(),
        "true"
    );
    assert_eq!(text(&root, "#new-total"), "0");
    let saved = draft();
    assert!(saved.zero_report);
    assert_eq!((saved.new_a.as_str(), saved.new_b.as_str()), ("0", "0"));
    // Unticked: the counts open again.
    click(&root, "[name=\"zero_report\"]").await;
    assert!(!input(&root, "new_b").disabled());
    assert!(!draft().zero_report);
    root.remove();
}

#[wasm_bindgen_test]
async fn a_zero_report_with_a_new_item_is_named_as_you_type() {
    LocalStorage::clear();
    storage::open_in_memory("linzi");
    let root = mount();
    yew::scheduler::flush().await;
    type_into(&root, "new_b", "1").await;
    assert_eq!(
        message(&root, "new_b"),
        None,
        "one B item is fine in a report"
    );
    assert_eq!(text(&root, "#new-total"), "1");

    // Ticked with B = 1: the count is kept, not wiped, and said to be wrong at once.
    click(&root, "[name=\"zero_report\"]").await;
    let b = input(&root, "new_b");
    assert_eq!(b.value(), "1");
    assert!(!b.disabled(), "the wrong count stays editable");
    assert_eq!(
        message(&root, "new_b").as_deref(),
        Some("新发现B类（家庭暴力）：零上报时应为0")
    );
    assert!(input(&root, "new_a").disabled() && input(&root, "new_c").disabled());
    // Nothing is queued while it is wrong.
    click(&root, "button[type=submit]").await;
    assert!(storage::load_outbox().is_empty());

    // Corrected: the message goes and the count locks.
    type_into(&root, "new_b", "0").await;
    assert_eq!(message(&root, "new_b"), None);
    assert!(input(&root, "new_b").disabled());
    root.remove();
}

#[wasm_bindgen_test]
async fn resolving_more_than_was_open_is_named_as_you_type() {
    LocalStorage::clear();
    storage::open_in_memory("linzi");
    let root = mount();
    yew::scheduler::flush().await;
    type_into(&root, "carried_over", "1").await;
    type_into(&root, "new_a", "1").await;
    type_into(&root, "resolved", "3").await;
    assert_eq!(
        message(&root, "resolved").as_deref(),
        Some("本月化解：不能超过2")
    );
    assert_eq!(text(&root, "#open-at-end"), "-1");
    type_into(&root, "resolved", "2").await;
    assert_eq!(message(&root, "resolved"), None);
    assert_eq!(text(&root, "#open-at-end"), "0");
    type_into(&root, "new_c", "2").await;
    assert_eq!(text(&root, "#new-total"), "3");
    assert_eq!(text(&root, "#open-at-end"), "2");
    // Not a number: a message, and the totals wait.
    type_into(&root, "new_a", "一").await;
    assert!(message(&root, "new_a").is_some());
    assert_eq!(text(&root, "#new-total"), "—");
    root.remove();
}

#[wasm_bindgen_test]
async fn the_preview_gives_shared_s_due_date_and_whether_today_is_on_time() {
    LocalStorage::clear();
    storage::open_in_memory("linzi");
    let root = mount();
    yew::scheduler::flush().await;
    let today = frontend::today();
    for (month, expected) in [("2026-10", d(2026, 11, 8)), ("2025-12", d(2026, 1, 8))] {
        type_into(&root, "month", month).await;
        let due = ReportingRules::default().due_date(month.parse::<YearMonth>().unwrap());
        assert_eq!(due, expected);
        let shown = find::<HtmlElement>(&root, "#due-date");
        assert_eq!(shown.text_content().unwrap(), due.to_string());
        let on_time = find::<HtmlElement>(&root, "#on-time");
        assert_eq!(
            on_time.get_attribute("data-on-time").unwrap(),
            (today <= due).to_string()
        );
        let words = on_time.text_content().unwrap();
        if today > due {
            let late = (today - due).num_days();
            assert_eq!(words, format!("迟报（已过应报日期{late}天）"));
        } else {
            assert!(words.starts_with("按时"), "{words}");
        }
    }
    // This month: allowed, on time, not over yet.
    let this_month = YearMonth::of(today).to_string();
    type_into(&root, "month", &this_month).await;
    assert_eq!(text(&root, "#on-time"), "按时（本月尚未结束）");
    assert_eq!(message(&root, "month"), None);
    assert_eq!(
        report_preview(&draft(), today).due,
        Some(ReportingRules::default().due_date(YearMonth::of(today)))
    );
    root.remove();
}

#[wasm_bindgen_test]
async fn a_zero_report_is_queued_and_a_new_one_begins() {
    LocalStorage::clear();
    storage::open_in_memory("linzi");
    let root = mount();
    yew::scheduler::flush().await;
    type_into(&root, "month", "2026-10").await;
    click(&root, "[name=\"zero_report\"]").await;
    type_into(&root, "households_visited", "46").await;
    type_into(&root, "carried_over", "1").await;
    type_into(&root, "resolved", "1").await;
    click(&root, "[name=\"meeting_held\"]").await;
    let sent = draft();
    click(&root, "button[type=submit]").await;

    let outbox = storage::load_outbox();
    assert_eq!(outbox.len(), 1);
    assert_eq!(outbox[0].kind, FormKind::MonthlyReport);
    assert_eq!(outbox[0].id, sent.id);
    let body: MonthlyReportInput = serde_json::from_value(outbox[0].body.clone()).unwrap();
    assert_eq!(body, sent);
    assert!(body.zero_report && body.meeting_held);
    assert_eq!(
        [
            body.new_a.as_str(),
            body.new_b.as_str(),
            body.new_c.as_str()
        ],
        ["0"; 3]
    );

    // A fresh report for the same village.
    let next = draft();
    assert_ne!(next.id, sent.id);
    assert_eq!(next.org_unit, "rugao/baipu/linzi");
    assert!(!next.zero_report);
    assert!(!input(&root, "zero_report").checked());
    assert_eq!(input(&root, "households_visited").value(), "");
    root.remove();
}
