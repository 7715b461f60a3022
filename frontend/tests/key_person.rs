//! 重点关注妇女儿童 page (000 附件2) in a real browser (headless Chromium): the live 妇女/儿童
//! line, the at-least-one-box rule, field messages, the draft and the outbox.

use std::cell::Cell;
use std::rc::Rc;

use frontend::forms::FormKind;
use frontend::pages::FormPageProps;
use frontend::pages::key_person::{Counts, KeyPersonPage};
use frontend::session::{OrgUnit, Session};
use frontend::storage;
use gloo::storage::{LocalStorage, Storage};
use shared::Lang;
use shared::register::KeyPersonInput;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlInputElement, HtmlSelectElement};
use yew::Callback;

wasm_bindgen_test_configure!(run_in_browser);

fn linzi() -> Session {
    serde_json::from_str(
        r#"{"units":[{"id":"rugao/baipu/linzi","level":"village","name":"林梓村","parent":"rugao/baipu"}],
            "user":{"display_name":"林梓村 李娟","id":5,"role":"village","unit":"rugao/baipu/linzi","username":"linzi"}}"#,
    )
    .unwrap()
}

fn mount_with(units: Vec<OrgUnit>, on_queued: Callback<()>) -> web_sys::Element {
    let doc = gloo::utils::document();
    let root = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<KeyPersonPage>::with_root_and_props(
        root.clone(),
        FormPageProps {
            lang: Lang::Zh,
            units,
            on_queued,
        },
    )
    .render();
    root
}

fn mount() -> web_sys::Element {
    mount_with(linzi().units, Callback::noop())
}

fn find<T: JsCast>(root: &web_sys::Element, selector: &str) -> T {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
        .dyn_into()
        .unwrap()
}

async fn type_into(root: &web_sys::Element, name: &str, value: &str) {
    let selector = format!("[name=\"{name}\"]");
    let el = root.query_selector(&selector).unwrap().expect(&selector);
    if let Some(input) = el.dyn_ref::<HtmlInputElement>() {
        input.set_value(value);
    } else if let Some(area) = el.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        area.set_value(value);
    }
    el.dispatch_event(&web_sys::InputEvent::new("input").unwrap())
        .unwrap();
    yew::scheduler::flush().await;
}

async fn click(root: &web_sys::Element, selector: &str) {
    find::<HtmlElement>(root, selector).click();
    yew::scheduler::flush().await;
}

fn counts(root: &web_sys::Element) -> String {
    find::<HtmlElement>(root, "#kp-counts")
        .get_attribute("data-counts")
        .unwrap()
}

fn errors(root: &web_sys::Element) -> Vec<String> {
    let list = root.query_selector_all(".error").unwrap();
    (0..list.length())
        .map(|i| list.item(i).unwrap().text_content().unwrap())
        .collect()
}

const NOTHING_TICKED: &str = "妇女/儿童类别：请至少勾选一项";

#[wasm_bindgen_test]
async fn the_preview_says_whom_the_row_counts_as_and_the_box_rule_shows() {
    LocalStorage::clear();
    storage::open_in_memory("linzi");
    let root = mount();
    yew::scheduler::flush().await;
    assert_eq!(counts(&root), "none");
    assert!(errors(&root).is_empty(), "nothing typed, nothing shown yet");

    // A box ticked and unticked again: the rule is shown at once.
    click(&root, "[name=\"woman.poor\"]").await;
    assert_eq!(counts(&root), "woman");
    assert!(errors(&root).is_empty());
    click(&root, "[name=\"woman.poor\"]").await;
    assert_eq!(counts(&root), "none");
    assert_eq!(
        find::<HtmlElement>(&root, "#flags-error")
            .text_content()
            .unwrap(),
        NOTHING_TICKED
    );
    assert!(
        find::<HtmlElement>(&root, "#f-flags")
            .get_attribute("class")
            .unwrap()
            .contains("has-error")
    );

    click(&root, "[name=\"child.left_behind\"]").await;
    assert_eq!(counts(&root), "child");
    assert_eq!(
        find::<HtmlElement>(&root, "#kp-counts")
            .text_content()
            .unwrap(),
        "儿童"
    );
    assert!(!errors(&root).contains(&NOTHING_TICKED.to_owned()));

    // 其它 counts once it has words; spaces are not words.
    type_into(&root, "woman.other", "   ").await;
    assert_eq!(counts(&root), "child");
    type_into(&root, "woman.other", "失独").await;
    assert_eq!(counts(&root), "both");
    assert!(root.text_content().unwrap().contains("妇女·其它：失独"));
    let draft: KeyPersonInput = storage::current_input(FormKind::KeyPerson).unwrap();
    assert!(draft.child.left_behind);
    assert_eq!(draft.woman.other, "失独");
    root.remove();
}

#[wasm_bindgen_test]
fn the_counts_follow_shared_s_reading_of_the_boxes() {
    let mut input = KeyPersonInput::default();
    assert_eq!(Counts::of(&input), Counts::Nobody);
    input.child.other = "事实无人抚养".into();
    assert_eq!(Counts::of(&input), Counts::Child);
    input.woman.severe_disability = true;
    assert_eq!(Counts::of(&input), Counts::Both);
    input.child.other.clear();
    assert_eq!(Counts::of(&input), Counts::Woman);
}

#[wasm_bindgen_test]
async fn field_messages_show_as_a_field_is_typed_in() {
    LocalStorage::clear();
    storage::open_in_memory("linzi");
    let root = mount();
    yew::scheduler::flush().await;
    type_into(&root, "phone", "12345").await;
    assert!(
        errors(&root)
            .iter()
            .any(|e| e.starts_with("联系电话：请填写手机号")),
        "{:?}",
        errors(&root)
    );
    // Only the field typed in: the name has not been touched.
    assert!(!errors(&root).iter().any(|e| e.starts_with("姓名")));
    type_into(&root, "phone", "0513-87654321").await;
    assert!(errors(&root).is_empty(), "{:?}", errors(&root));

    // A care entry dated after today is refused by name.
    click(&root, "#add-care").await;
    let today = frontend::today();
    assert_eq!(
        find::<HtmlInputElement>(&root, "[name=\"care[0].date\"]").value(),
        today.format("%Y-%m-%d").to_string(),
        "a new entry is dated today"
    );
    let tomorrow = today.succ_opt().unwrap().format("%Y-%m-%d").to_string();
    type_into(&root, "care[0].date", &tomorrow).await;
    assert!(
        errors(&root).contains(&"帮扶1日期：日期不能晚于今天".to_owned()),
        "{:?}",
        errors(&root)
    );
    root.remove();
}

#[wasm_bindgen_test]
async fn submitting_an_empty_row_names_what_is_missing_and_queues_nothing() {
    LocalStorage::clear();
    storage::open_in_memory("linzi");
    let root = mount();
    yew::scheduler::flush().await;
    click(&root, "button[type=submit]").await;
    let shown = errors(&root);
    for expected in ["姓名：必填", "家庭住址：必填", NOTHING_TICKED] {
        assert!(shown.contains(&expected.to_owned()), "{shown:?}");
    }
    assert!(storage::load_outbox().is_empty());
    root.remove();
}

#[wasm_bindgen_test]
async fn a_complete_row_goes_to_the_outbox_and_a_blank_one_follows() {
    LocalStorage::clear();
    storage::open_in_memory("linzi");
    let queued = Rc::new(Cell::new(0));
    let root = mount_with(linzi().units, {
        let queued = queued.clone();
        Callback::from(move |()| queued.set(queued.get() + 1))
    });
    yew::scheduler::flush().await;
    assert_eq!(
        find::<HtmlSelectElement>(&root, "select[name=\"org_unit\"]").value(),
        "rugao/baipu/linzi"
    );
    type_into(&root, "name", "陈小雨").await;
    type_into(&root, "address", "林梓村5组8号").await;
    click(&root, "[name=\"child.in_hardship\"]").await;
    click(&root, "#add-care").await;
    type_into(&root, "care[0].by", "李娟").await;
    type_into(&root, "care[0].content", "送去冬衣和学习用品").await;
    let id = storage::current_input::<KeyPersonInput>(FormKind::KeyPerson)
        .unwrap()
        .id;
    click(&root, "button[type=submit]").await;

    let outbox = storage::load_outbox();
    assert_eq!(outbox.len(), 1, "{:?}", errors(&root));
    assert_eq!(outbox[0].kind, FormKind::KeyPerson);
    assert_eq!(outbox[0].id, id);
    let body: KeyPersonInput = serde_json::from_value(outbox[0].body.clone()).unwrap();
    assert_eq!(body.name, "陈小雨");
    assert!(body.child.in_hardship);
    assert_eq!(body.care[0].content, "送去冬衣和学习用品");
    assert_eq!(queued.get(), 1);

    // The next row: blank, same village, a new id; the submitted draft is gone.
    yew::scheduler::flush().await;
    assert!(
        storage::drafts(FormKind::KeyPerson).is_empty(),
        "none listed: the new one is blank"
    );
    let next: KeyPersonInput = storage::current_input(FormKind::KeyPerson).unwrap();
    assert_ne!(next.id, id);
    assert_eq!(next.name, "");
    assert_eq!(next.org_unit, "rugao/baipu/linzi");
    assert_eq!(
        find::<HtmlInputElement>(&root, "[name=\"name\"]").value(),
        ""
    );
    assert_eq!(counts(&root), "none");
    assert!(errors(&root).is_empty(), "a fresh form shows no messages");
    root.remove();
}

#[wasm_bindgen_test]
async fn the_draft_comes_back_after_a_reload() {
    LocalStorage::clear();
    storage::open_in_memory("linzi");
    let mut draft = KeyPersonInput {
        id: frontend::new_id(),
        name: "王秀英".into(),
        ..Default::default()
    };
    draft.woman.single_parent = true;
    storage::start_draft(FormKind::KeyPerson, &draft).unwrap();
    let root = mount();
    yew::scheduler::flush().await;
    assert_eq!(
        find::<HtmlInputElement>(&root, "[name=\"name\"]").value(),
        "王秀英"
    );
    assert!(find::<HtmlInputElement>(&root, "[name=\"woman.single_parent\"]").checked());
    assert_eq!(counts(&root), "woman");
    root.remove();
}
