//! 议事会“1+3+N”会议记录 page in a real browser (headless Chromium): the date, the month's
//! theme, the convener rotation from the roster kept on the device, the "3" rules, votes, and a
//! "3" item handed to the visit form without ever replacing a draft silently.

use std::cell::Cell;
use std::rc::Rc;

use chrono::NaiveDate;
use frontend::forms::FormKind;
use frontend::pages::FormPageProps;
use frontend::pages::meeting::{
    self, MeetingPage, Roster, RosterMember, Subject, default_date, visit_draft_for,
};
use frontend::session::Session;
use frontend::storage;
use gloo::storage::{LocalStorage, Storage};
use shared::council::{self, Meeting, MeetingInput, MemberType, MustTalkInput, MustTalkItemInput};
use shared::{Lang, VisitInput};
use uuid::Uuid;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlInputElement};
use yew::Callback;

wasm_bindgen_test_configure!(run_in_browser);

const LINZI: &str = "rugao/baipu/linzi";

fn linzi() -> Session {
    serde_json::from_str(
        r#"{"units":[{"id":"rugao/baipu/linzi","level":"village","name":"林梓村","parent":"rugao/baipu"}],
            "user":{"display_name":"林梓村 李娟","id":5,"role":"village","unit":"rugao/baipu/linzi","username":"linzi"}}"#,
    )
    .unwrap()
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn mount_with(on_queued: Callback<()>) -> web_sys::Element {
    let doc = gloo::utils::document();
    let root = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<MeetingPage>::with_root_and_props(
        root.clone(),
        FormPageProps {
            lang: Lang::Zh,
            units: linzi().units,
            on_queued,
        },
    )
    .render();
    root
}

fn mount() -> web_sys::Element {
    mount_with(Callback::noop())
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

fn value(root: &web_sys::Element, name: &str) -> String {
    let el = root
        .query_selector(&format!("[name=\"{name}\"]"))
        .unwrap()
        .unwrap_or_else(|| panic!("no field {name}"));
    match el.dyn_ref::<HtmlInputElement>() {
        Some(i) => i.value(),
        None => el
            .dyn_into::<web_sys::HtmlTextAreaElement>()
            .unwrap()
            .value(),
    }
}

fn errors(root: &web_sys::Element) -> Vec<String> {
    let list = root.query_selector_all(".error").unwrap();
    (0..list.length())
        .map(|i| list.item(i).unwrap().text_content().unwrap())
        .collect()
}

fn draft() -> MeetingInput {
    storage::current_input(FormKind::Meeting).unwrap()
}

fn none_found() -> MustTalkInput {
    MustTalkInput {
        none_found: true,
        items: vec![],
    }
}

/// A meeting that parses, with one 家庭暴力 item.
fn complete() -> MeetingInput {
    MeetingInput {
        id: frontend::new_id(),
        org_unit: LINZI.into(),
        date: "2026-11-08".into(),
        convener: "周丽".into(),
        theme: "普及消防知识，提高全民消防安全意识".into(),
        attendees: vec!["周丽".into(), "李娟".into(), "陈红".into()],
        recorder: "李娟".into(),
        must_discuss: "留守儿童冬季用火用电安全".into(),
        disputes: none_found(),
        violence: MustTalkInput {
            none_found: false,
            items: vec![MustTalkItemInput {
                party: "王芳".into(),
                summary: "丈夫酒后动手，邻居报告".into(),
                visit_id: None,
            }],
        },
        child_abuse: none_found(),
        topics: vec![],
    }
}

fn roster() -> Roster {
    let m = |name: &str, member_type, convener| RosterMember {
        name: name.into(),
        member_type,
        convener,
    };
    Roster {
        members: vec![
            m("周丽", MemberType::GridWorker, true),
            m("李娟", MemberType::ExecutiveMember, false),
            m("陈红", MemberType::Lawyer, true),
        ],
        last_convener: None,
    }
}

#[wasm_bindgen_test]
fn the_meeting_day_is_the_eighth_once_it_has_come() {
    assert_eq!(default_date(date("2026-11-29")), date("2026-11-08"));
    assert_eq!(default_date(date("2026-11-08")), date("2026-11-08"));
    // Before the 8th the date would be in the future: today instead.
    assert_eq!(default_date(date("2026-12-03")), date("2026-12-03"));
    let fresh = meeting::blank(Uuid::from_u128(1), date("2026-11-29"));
    assert_eq!(fresh.date, "2026-11-08");
}

#[wasm_bindgen_test]
async fn a_new_meeting_starts_on_the_eighth_in_the_user_s_village() {
    LocalStorage::clear();
    storage::open_in_memory("linzi");
    let root = mount();
    yew::scheduler::flush().await;
    let expected = default_date(frontend::today())
        .format("%Y-%m-%d")
        .to_string();
    assert_eq!(value(&root, "date"), expected);
    assert_eq!(draft().org_unit, LINZI);
    root.remove();
}

#[wasm_bindgen_test]
async fn one_click_on_the_suggested_theme_fills_the_theme() {
    LocalStorage::clear();
    storage::open_in_memory("linzi");
    // An April meeting; this device already sent one in April 2025 with the first theme.
    let mut earlier = complete();
    earlier.date = "2025-04-08".into();
    earlier.theme = "组织开展全民阅读活动".into();
    storage::enqueue_form(FormKind::Meeting, earlier.id, &earlier, 0.0).unwrap();
    let mut d = meeting::blank(frontend::new_id(), frontend::today());
    d.org_unit = LINZI.into();
    d.date = "2025-04-20".into();
    storage::start_draft(FormKind::Meeting, &d).unwrap();

    let root = mount();
    yew::scheduler::flush().await;
    let chips = root.query_selector_all(".theme-chip").unwrap();
    assert_eq!(chips.length(), 3, "April has three themes (附件1)");
    let suggest = find::<HtmlElement>(&root, "#theme-suggest");
    assert_eq!(
        suggest.get_attribute("data-theme").unwrap(),
        "组织家庭开展爱国卫生运动",
        "the theme already used this year is skipped"
    );
    assert_eq!(value(&root, "theme"), "");
    click(&root, "#theme-suggest").await;
    assert_eq!(value(&root, "theme"), "组织家庭开展爱国卫生运动");
    assert_eq!(draft().theme, "组织家庭开展爱国卫生运动");

    // Another month's date: that month's themes.
    type_into(&root, "date", "2025-12-08").await;
    let chips = root.query_selector_all(".theme-chip").unwrap();
    assert_eq!(chips.length(), 1);
    click(&root, "#theme-suggest").await;
    assert_eq!(value(&root, "theme"), "法治宣传进万家");
    root.remove();
}

#[wasm_bindgen_test]
async fn the_roster_on_the_device_suggests_the_next_convener() {
    LocalStorage::clear();
    storage::open_in_memory("linzi");
    let mut r = roster();
    r.last_convener = Some("周丽".into());
    storage::save_item_as(&meeting::roster_key(LINZI), &r).unwrap();
    assert_eq!(r.next_convener().as_deref(), Some("陈红"));

    let queued = Rc::new(Cell::new(0));
    let root = mount_with({
        let queued = queued.clone();
        Callback::from(move |()| queued.set(queued.get() + 1))
    });
    yew::scheduler::flush().await;
    let suggestion = find::<HtmlElement>(&root, "#convener-suggestion");
    assert_eq!(suggestion.get_attribute("data-name").unwrap(), "陈红");
    assert!(
        suggestion
            .text_content()
            .unwrap()
            .contains("上次召集：周丽")
    );
    click(&root, "#use-convener").await;
    assert_eq!(value(&root, "convener"), "陈红");
    assert!(!exists(&root, "#use-convener"), "the suggestion is taken");

    // The meeting is held and submitted: the rotation moves on to the next convener.
    let mut d = complete();
    d.id = draft().id;
    d.convener = "陈红".into();
    storage::start_draft(FormKind::Meeting, &d).unwrap();
    root.remove();
    let root = mount_with({
        let queued = queued.clone();
        Callback::from(move |()| queued.set(queued.get() + 1))
    });
    yew::scheduler::flush().await;
    click(&root, "button[type=submit]").await;
    assert_eq!(queued.get(), 1, "{:?}", errors(&root));
    yew::scheduler::flush().await;
    let stored: Roster = storage::load_item(&meeting::roster_key(LINZI)).unwrap();
    assert_eq!(stored.last_convener.as_deref(), Some("陈红"));
    assert_eq!(
        find::<HtmlElement>(&root, "#convener-suggestion")
            .get_attribute("data-name")
            .unwrap(),
        "周丽",
        "after 陈红 the rotation starts again"
    );
    root.remove();
}

#[wasm_bindgen_test]
async fn the_roster_is_edited_on_the_page_and_kept_per_village() {
    LocalStorage::clear();
    storage::open_in_memory("linzi");
    let root = mount();
    yew::scheduler::flush().await;
    // No roster yet: the page says how to get a suggestion.
    assert!(!exists(&root, "#use-convener"));
    click(&root, "#add-member").await;
    type_into(&root, "roster[0].name", "周丽").await;
    click(&root, "[name=\"roster[0].convener\"]").await;
    let stored: Roster = storage::load_item(&meeting::roster_key(LINZI)).unwrap();
    assert_eq!(stored.members.len(), 1);
    assert_eq!(stored.members[0].name, "周丽");
    assert!(stored.members[0].convener);
    assert_eq!(
        find::<HtmlElement>(&root, "#convener-suggestion")
            .get_attribute("data-name")
            .unwrap(),
        "周丽"
    );
    // The members can all be added as attendees at once.
    click(&root, "#add-member").await;
    type_into(&root, "roster[1].name", "李娟").await;
    click(&root, "#add-all-members").await;
    assert_eq!(draft().attendees, ["周丽", "李娟"]);
    root.remove();
}

#[wasm_bindgen_test]
async fn each_must_talk_subject_needs_none_found_or_items_and_nothing_is_queued_until_then() {
    LocalStorage::clear();
    storage::open_in_memory("linzi");
    let root = mount();
    yew::scheduler::flush().await;
    click(&root, "button[type=submit]").await;
    let shown = errors(&root);
    for expected in [
        "记录人：必填",
        "“1”必议项：必填",
        "婚姻家事纠纷：请勾选“未发现”或填写至少一项",
        "家庭暴力现象：请勾选“未发现”或填写至少一项",
        "未成年人性侵案件线索：请勾选“未发现”或填写至少一项",
    ] {
        assert!(shown.contains(&expected.to_owned()), "{shown:?}");
    }
    assert!(storage::load_outbox().is_empty());

    click(&root, "[name=\"disputes.none_found\"]").await;
    assert!(!errors(&root).iter().any(|e| e.starts_with("婚姻家事纠纷")));
    let status = find::<HtmlElement>(&root, ".mt-status li[data-subject=\"disputes\"]");
    assert_eq!(status.get_attribute("data-state").unwrap(), "done");
    // An item found: its party and summary are required.
    click(&root, "#add-violence-item").await;
    let shown = errors(&root);
    assert!(
        shown.contains(&"家庭暴力现象1当事人：必填".to_owned()),
        "{shown:?}"
    );
    type_into(&root, "violence.items[0].party", "王芳").await;
    assert!(
        !errors(&root)
            .iter()
            .any(|e| e.starts_with("家庭暴力现象1当事人"))
    );
    root.remove();
}

#[wasm_bindgen_test]
async fn votes_never_exceed_the_attendees() {
    LocalStorage::clear();
    storage::open_in_memory("linzi");
    let root = mount();
    yew::scheduler::flush().await;
    click(&root, "#add-attendee").await;
    click(&root, "#add-attendee").await;
    type_into(&root, "attendees[0]", "周丽").await;
    type_into(&root, "attendees[1]", "李娟").await;
    click(&root, "#add-topic").await;
    type_into(&root, "topics[0].topic", "修订村规民约").await;
    type_into(&root, "topics[0].votes_for", "2").await;
    assert!(errors(&root).is_empty(), "{:?}", errors(&root));
    type_into(&root, "topics[0].abstentions", "1").await;
    assert!(
        errors(&root).contains(&"议题1表决票数：不能超过2".to_owned()),
        "{:?}",
        errors(&root)
    );
    assert_eq!(
        find::<HtmlElement>(&root, ".vote-sum")
            .text_content()
            .unwrap(),
        "已表决 3 票 / 参会 2 人"
    );
    type_into(&root, "topics[0].abstentions", "0").await;
    assert!(errors(&root).is_empty());
    root.remove();
}

#[wasm_bindgen_test]
fn the_visit_draft_of_an_item_is_the_one_shared_makes_from_the_checked_meeting() {
    let input = complete();
    let today = date("2026-11-29");
    let checked = Meeting::parse(&input, today).unwrap();
    let (category, item) = checked.unlinked_items()[0];
    let id = Uuid::from_u128(7);
    let from_shared = council::visit_draft_from_item(&checked, category, item, id);
    let from_typed = visit_draft_for(
        &input,
        Subject::Violence,
        &input.violence.items[0],
        id,
        today,
    );
    assert_eq!(from_typed, from_shared);
    assert_eq!(from_typed.category, "B");
    assert_eq!(from_typed.parties[0].name, "王芳");
    assert_eq!(from_typed.visitor, "李娟");
    assert_eq!(from_typed.visit_date, "2026-11-08");
}

#[wasm_bindgen_test]
async fn a_found_item_opens_as_a_visit_draft_of_its_own_and_never_replaces_another() {
    LocalStorage::clear();
    storage::open_in_memory("linzi");
    let mut other = VisitInput::blank(frontend::new_id(), frontend::today());
    other.org_unit = LINZI.into();
    other.parties[0].name = "赵敏".into();
    other.summary = "另一户的邻里纠纷".into();
    let other_draft = storage::start_draft(FormKind::Visit, &other).unwrap();
    let mut d = complete();
    d.violence.items[0].party = "王芳".into();
    storage::start_draft(FormKind::Meeting, &d).unwrap();

    let root = mount();
    yew::scheduler::flush().await;
    let button = "#f-violence .to-visit[data-index=\"0\"]";
    click(&root, button).await;
    let visit = storage::current_input::<VisitInput>(FormKind::Visit).unwrap();
    assert_ne!(visit.id, other.id);
    assert_eq!(visit.category, "B");
    assert_eq!(visit.parties[0].name, "王芳");
    assert_eq!(visit.summary, "丈夫酒后动手，邻居报告");
    assert_eq!(visit.org_unit, LINZI);
    assert_eq!(visit.visitor, "李娟");
    assert_eq!(visit.visit_date, "2026-11-08");
    // The other draft is kept as it was.
    assert_eq!(
        storage::load_draft::<VisitInput>(other_draft)
            .unwrap()
            .input,
        other
    );
    assert_eq!(storage::drafts(FormKind::Visit).len(), 2);
    // The meeting's item now names the record it became.
    assert_eq!(draft().violence.items[0].visit_id, Some(visit.id));
    assert_eq!(
        find::<HtmlElement>(&root, button)
            .get_attribute("data-state")
            .unwrap(),
        "drafting"
    );

    // Opening it again goes back to that draft, with what was added since.
    let mut more = visit.clone();
    more.parties[0].phone = "13812341234".into();
    let item_draft = storage::draft_of_record(FormKind::Visit, visit.id).unwrap();
    storage::save_draft(item_draft, FormKind::Visit, &more, None, true).unwrap();
    storage::set_current_draft(FormKind::Visit, Some(other_draft));
    click(&root, button).await;
    assert_eq!(
        storage::current_input::<VisitInput>(FormKind::Visit),
        Some(more.clone())
    );
    assert_eq!(storage::drafts(FormKind::Visit).len(), 2, "no third draft");
    root.remove();

    // Submitted on the visit page: the item says so, and cannot be opened again.
    storage::enqueue(more, 1.0).unwrap();
    let root = mount();
    yew::scheduler::flush().await;
    let b = find::<HtmlElement>(&root, button);
    assert_eq!(b.get_attribute("data-state").unwrap(), "queued");
    assert!(b.has_attribute("disabled"));
    assert_eq!(b.text_content().unwrap(), "排查登记表已提交");
    root.remove();
}

#[wasm_bindgen_test]
async fn a_found_item_opens_at_once_even_after_the_meeting_is_submitted() {
    LocalStorage::clear();
    storage::open_in_memory("linzi");
    let mut blank = VisitInput::blank(frontend::new_id(), frontend::today());
    blank.org_unit = LINZI.into();
    storage::start_draft(FormKind::Visit, &blank).unwrap();
    let d = complete();
    storage::start_draft(FormKind::Meeting, &d).unwrap();

    let root = mount();
    yew::scheduler::flush().await;
    click(&root, "button[type=submit]").await;
    assert_eq!(storage::load_outbox().len(), 1, "{:?}", errors(&root));
    yew::scheduler::flush().await;
    // The form is blank again; the submitted meeting's item is offered.
    assert_eq!(value(&root, "must_discuss"), "");
    let button = "#last-meeting .to-visit[data-subject=\"violence\"]";
    assert!(root.text_content().unwrap().contains("王芳"));
    click(&root, button).await;
    let visit = storage::current_input::<VisitInput>(FormKind::Visit).unwrap();
    assert_eq!(visit.parties[0].name, "王芳");
    assert_eq!(visit.category, "B");

    // Once that visit record is queued, the item is done with.
    storage::enqueue(visit, 1.0).unwrap();
    root.remove();
    let root = mount();
    yew::scheduler::flush().await;
    assert!(!exists(&root, "#last-meeting"));
    root.remove();
}
