//! The app's storage and the visit page, in a real browser (headless Chromium).

use frontend::pages::visit::{VisitPage, VisitPageProps};
use frontend::storage::{self, OutboxItem, SendState};
use frontend::{new_id, outbox};
use gloo::storage::{LocalStorage, Storage};
use shared::{Lang, VisitInput};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlInputElement};
use yew::Callback;

wasm_bindgen_test_configure!(run_in_browser);

fn draft(summary: &str) -> VisitInput {
    let mut d = VisitInput::blank(new_id(), frontend::today());
    d.summary = summary.into();
    d
}

#[wasm_bindgen_test]
fn a_saved_draft_reads_back_equal() {
    LocalStorage::clear();
    let d = draft("夫妻争吵");
    storage::save_draft(&d).unwrap();
    assert_eq!(storage::load_draft(), Some(d));
}

#[wasm_bindgen_test]
fn an_unreadable_draft_is_moved_aside_not_lost() {
    LocalStorage::clear();
    LocalStorage::raw()
        .set_item(storage::DRAFT_KEY, "{\"summary\": 42}")
        .unwrap();
    assert_eq!(storage::load_draft(), None);
    let raw = LocalStorage::raw();
    let kept = (0..raw.length().unwrap())
        .filter_map(|i| raw.key(i).unwrap())
        .find(|k| k.starts_with(&format!("{}.unreadable.", storage::DRAFT_KEY)))
        .expect("the unreadable draft is kept under another key");
    assert_eq!(raw.get_item(&kept).unwrap().unwrap(), "{\"summary\": 42}");
}

#[wasm_bindgen_test]
fn queuing_the_same_record_twice_keeps_one() {
    LocalStorage::clear();
    let d = draft("一");
    storage::enqueue(d.clone(), 1.0).unwrap();
    storage::enqueue(d.clone(), 2.0).unwrap();
    storage::enqueue(draft("二"), 3.0).unwrap();
    assert_eq!(storage::load_outbox().len(), 2);
    assert_eq!(storage::unsent_count(), 2);
}

#[wasm_bindgen_test]
fn a_refused_or_failed_send_never_leaves_the_outbox() {
    LocalStorage::clear();
    let d = draft("一");
    storage::enqueue(d.clone(), 0.0).unwrap();
    let item = storage::load_outbox().remove(0);
    outbox::record(&item, outbox::Outcome::TryLater("down".into()), 1000.0);
    let item = storage::load_outbox().remove(0);
    assert_eq!(item.attempts, 1);
    assert!(matches!(item.state, SendState::Waiting { next_try_ms, .. } if next_try_ms == 3000.0));
    outbox::record(
        &item,
        outbox::Outcome::Refused {
            status: 422,
            message: "x".into(),
            fields: vec![],
        },
        2000.0,
    );
    assert_eq!(storage::unsent_count(), 1);
    outbox::record(&item, outbox::Outcome::Acknowledged, 3000.0);
    assert_eq!(storage::unsent_count(), 0);
    assert_eq!(
        storage::load_outbox().len(),
        1,
        "a sent record stays as a receipt"
    );
}

#[wasm_bindgen_test]
fn old_receipts_are_dropped_but_unsent_records_never_are() {
    LocalStorage::clear();
    let n = storage::SENT_KEPT + 5;
    for i in 0..n {
        storage::enqueue(draft(&i.to_string()), i as f64).unwrap();
    }
    let items: Vec<OutboxItem> = storage::load_outbox();
    for item in items.iter().skip(1) {
        outbox::record(item, outbox::Outcome::Acknowledged, 0.0);
    }
    let left = storage::load_outbox();
    assert_eq!(left.iter().filter(|i| i.is_unsent()).count(), 1);
    assert_eq!(
        left.iter().filter(|i| !i.is_unsent()).count(),
        storage::SENT_KEPT
    );
    assert_eq!(left[0].id, items[0].id, "the unsent record is still there");
}

#[wasm_bindgen_test]
fn retries_back_off_and_only_server_trouble_is_retried() {
    let delays: Vec<f64> = (1..=6).map(outbox::backoff_ms).collect();
    assert_eq!(delays, [2000.0, 4000.0, 8000.0, 16000.0, 30000.0, 30000.0]);
    assert_eq!(outbox::classify(201), Some(true));
    assert_eq!(outbox::classify(200), Some(true));
    assert_eq!(outbox::classify(422), Some(false));
    assert_eq!(outbox::classify(409), Some(false));
    assert_eq!(outbox::classify(503), None);
    assert_eq!(outbox::classify(429), None);
}

fn mount() -> web_sys::Element {
    let doc = gloo::utils::document();
    let root = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<VisitPage>::with_root_and_props(
        root.clone(),
        VisitPageProps {
            lang: Lang::Zh,
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

#[wasm_bindgen_test]
async fn the_preview_follows_the_form_and_every_change_is_saved() {
    LocalStorage::clear();
    let root = mount();
    yew::scheduler::flush().await;
    let level = find::<HtmlElement>(&root, "#risk-level");
    assert_eq!(level.text_content().unwrap(), "黄色预警");

    find::<HtmlInputElement>(&root, "[name=\"escalation.may_turn_criminal\"]").click();
    yew::scheduler::flush().await;
    let level = find::<HtmlElement>(&root, "#risk-level");
    assert_eq!(level.get_attribute("data-level").unwrap(), "red");
    assert_eq!(level.text_content().unwrap(), "红色预警");
    assert!(storage::load_draft().unwrap().escalation.may_turn_criminal);

    let summary = find::<web_sys::HtmlTextAreaElement>(&root, "[name=\"summary\"]");
    summary.set_value("邻里因宅基地争执");
    summary
        .dispatch_event(&web_sys::InputEvent::new("input").unwrap())
        .unwrap();
    yew::scheduler::flush().await;
    assert_eq!(storage::load_draft().unwrap().summary, "邻里因宅基地争执");
    root.remove();
}

#[wasm_bindgen_test]
async fn submitting_an_incomplete_form_names_the_missing_fields_and_queues_nothing() {
    LocalStorage::clear();
    let root = mount();
    yew::scheduler::flush().await;
    find::<HtmlElement>(&root, "button[type=submit]").click();
    yew::scheduler::flush().await;
    let errors: Vec<String> = {
        let list = root.query_selector_all(".error").unwrap();
        (0..list.length())
            .map(|i| list.item(i).unwrap().text_content().unwrap())
            .collect()
    };
    assert!(errors.contains(&"情况概述：必填".to_owned()), "{errors:?}");
    assert!(
        errors.contains(&"当事人1姓名：必填".to_owned()),
        "{errors:?}"
    );
    assert!(storage::load_outbox().is_empty());
    root.remove();
}
