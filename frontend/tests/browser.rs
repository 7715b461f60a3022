//! The app's storage, session and pages, in a real browser (headless Chromium).

use std::rc::Rc;

use frontend::app::{App, AuthAction, AuthState};
use frontend::forms::FormKind;
use frontend::pages::login::{LoginAction, LoginPage, LoginPageProps, LoginReason, LoginState};
use frontend::pages::visit::{VisitPage, VisitPageProps, fit_org_unit, village_choices};
use frontend::session::{self, LoginError, OrgUnit, Session};
use frontend::storage::{self, OutboxItem, SendState};
use frontend::{new_id, outbox};
use gloo::storage::{LocalStorage, Storage};
use shared::{Lang, VisitInput};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlInputElement, HtmlSelectElement};
use yew::{Callback, Reducible};

wasm_bindgen_test_configure!(run_in_browser);

/// A clean device with linzi's vault open (in memory).
fn fresh() {
    LocalStorage::clear();
    storage::open_in_memory("linzi");
}

fn draft(summary: &str) -> VisitInput {
    let mut d = VisitInput::blank(new_id(), frontend::today());
    d.summary = summary.into();
    d
}

#[wasm_bindgen_test]
fn a_saved_draft_reads_back_equal() {
    fresh();
    let d = draft("夫妻争吵");
    storage::start_draft(FormKind::Visit, &d).unwrap();
    assert_eq!(
        storage::current_input::<VisitInput>(FormKind::Visit),
        Some(d)
    );
}

#[wasm_bindgen_test]
fn an_unreadable_draft_is_left_where_it_is_not_lost() {
    fresh();
    let id = new_id();
    frontend::device::vault::put(&format!("draft:{id}"), Some("{\"summary\": 42}".into()));
    assert_eq!(storage::load_draft::<VisitInput>(id), None);
    assert!(storage::drafts(FormKind::Visit).is_empty(), "not listed");
    // A later version that reads it still finds it.
    assert_eq!(
        frontend::device::vault::get(&format!("draft:{id}")).as_deref(),
        Some("{\"summary\": 42}")
    );
}

#[wasm_bindgen_test]
fn any_number_of_drafts_are_kept_listed_newest_first_and_discarded_one_by_one() {
    fresh();
    let (a, b) = (draft("王家"), draft("李家"));
    let first = storage::start_draft(FormKind::Visit, &a).unwrap();
    let second = storage::start_draft(FormKind::Visit, &b).unwrap();
    assert_ne!(first, second);
    // The tab's current draft is the last one started; both are kept.
    assert_eq!(
        storage::current_input::<VisitInput>(FormKind::Visit),
        Some(b)
    );
    let listed = storage::drafts(FormKind::Visit);
    assert_eq!(listed.len(), 2);
    assert!(
        listed
            .iter()
            .any(|d| d.id == first && d.line.contains("王家"))
    );
    assert!(storage::drafts(FormKind::Meeting).is_empty());
    storage::discard_draft(second);
    assert_eq!(storage::drafts(FormKind::Visit).len(), 1);
    assert_eq!(storage::load_draft::<VisitInput>(first).unwrap().input, a);
    assert_eq!(
        storage::current_draft(FormKind::Visit),
        None,
        "the discarded one was current"
    );
}

#[wasm_bindgen_test]
fn queuing_the_same_record_twice_keeps_one() {
    fresh();
    let d = draft("一");
    storage::enqueue(d.clone(), 1.0).unwrap();
    storage::enqueue(d.clone(), 2.0).unwrap();
    storage::enqueue(draft("二"), 3.0).unwrap();
    assert_eq!(storage::load_outbox().len(), 2);
    assert_eq!(storage::unsent_count(), 2);
}

#[wasm_bindgen_test]
fn a_refused_or_failed_send_never_leaves_the_outbox() {
    fresh();
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
    outbox::record(
        &item,
        outbox::Outcome::Acknowledged { version: Some(1) },
        3000.0,
    );
    assert_eq!(storage::unsent_count(), 0);
    assert_eq!(
        storage::load_outbox().len(),
        1,
        "a sent record stays as a receipt"
    );
}

#[wasm_bindgen_test]
fn old_receipts_are_dropped_but_unsent_records_never_are() {
    fresh();
    let n = storage::SENT_KEPT + 5;
    for i in 0..n {
        storage::enqueue(draft(&i.to_string()), i as f64).unwrap();
    }
    let items: Vec<OutboxItem> = storage::load_outbox();
    for item in items.iter().skip(1) {
        outbox::record(
            item,
            outbox::Outcome::Acknowledged { version: Some(1) },
            0.0,
        );
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
    use outbox::Verdict;
    assert_eq!(outbox::classify(201), Verdict::Acknowledged);
    assert_eq!(outbox::classify(200), Verdict::Acknowledged);
    assert_eq!(outbox::classify(422), Verdict::Refused);
    assert_eq!(outbox::classify(409), Verdict::Refused);
    assert_eq!(outbox::classify(503), Verdict::TryLater);
    assert_eq!(outbox::classify(429), Verdict::TryLater);
    assert_eq!(outbox::classify(401), Verdict::LoggedOut);
    assert_eq!(outbox::classify(404), Verdict::NotThisAccount);
    assert_eq!(outbox::classify(403), Verdict::NotThisAccount);
}

#[wasm_bindgen_test]
fn a_401_is_no_rejection_the_record_waits_for_a_login() {
    fresh();
    storage::enqueue(draft("一"), 0.0).unwrap();
    let item = storage::load_outbox().remove(0);
    outbox::record(&item, outbox::Outcome::LoggedOut, 1000.0);
    let item = storage::load_outbox().remove(0);
    match &item.state {
        SendState::Waiting {
            last_error,
            next_try_ms,
        } => {
            assert_eq!(last_error.as_deref(), Some("请先登录 / please log in"));
            assert!(*next_try_ms > 1000.0, "backs off like any failed try");
        }
        other => panic!("a 401 must leave the record waiting, not {other:?}"),
    }
    assert_eq!(storage::unsent_count(), 1);
    // After the login, every waiting record is due at once, and goes.
    storage::retry_all_now(5000.0);
    assert!(matches!(
        storage::load_outbox()[0].state,
        SendState::Waiting { next_try_ms, .. } if next_try_ms == 5000.0
    ));
    outbox::record(
        &item,
        outbox::Outcome::Acknowledged { version: Some(1) },
        6000.0,
    );
    assert_eq!(storage::unsent_count(), 0);
}

/// The body of `/api/me` for a city user, as the server sends it.
const ME_CITY: &str = r#"{
  "user": {"id": 2, "username": "city", "display_name": "市妇联 陈敏", "role": "city", "unit": "rugao"},
  "units": [
    {"id": "rugao", "name": "如皋市", "level": "city", "parent": null},
    {"id": "rugao/baipu", "name": "白蒲镇", "level": "town", "parent": "rugao"},
    {"id": "rugao/baipu/linzi", "name": "林梓村", "level": "village", "parent": "rugao/baipu"},
    {"id": "rugao/baipu/xinhe", "name": "新河村", "level": "village", "parent": "rugao/baipu"},
    {"id": "rugao/changjiang", "name": "长江镇", "level": "town", "parent": "rugao"},
    {"id": "rugao/changjiang/gangkou", "name": "港口村", "level": "village", "parent": "rugao/changjiang"}
  ]
}"#;

fn linzi() -> Session {
    serde_json::from_str(
        r#"{"units":[{"id":"rugao/baipu/linzi","level":"village","name":"林梓村","parent":"rugao/baipu"}],
            "user":{"display_name":"林梓村 李娟","id":5,"role":"village","unit":"rugao/baipu/linzi","username":"linzi"}}"#,
    )
    .unwrap()
}

#[wasm_bindgen_test]
fn the_session_body_reads_and_gives_the_villages() {
    let city: Session = serde_json::from_str(ME_CITY).unwrap();
    assert_eq!(city.user.role, "city");
    let ids: Vec<String> = city.villages().into_iter().map(|u| u.id).collect();
    assert_eq!(
        ids,
        [
            "rugao/baipu/linzi",
            "rugao/baipu/xinhe",
            "rugao/changjiang/gangkou"
        ]
    );
    // Villages of several towns are named with their town.
    let choices = village_choices(&city.units);
    let labels: Vec<&str> = choices.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(
        labels,
        ["白蒲镇 · 林梓村", "白蒲镇 · 新河村", "长江镇 · 港口村"]
    );
    // A village worker has one, and it is the answer whatever the draft said.
    let one = village_choices(&linzi().units);
    assert_eq!(one.len(), 1);
    assert_eq!(one[0].label.as_str(), "林梓村");
    assert_eq!(fit_org_unit("林梓村", &one), "rugao/baipu/linzi");
    assert_eq!(fit_org_unit("", &one), "rugao/baipu/linzi");
    assert_eq!(
        fit_org_unit("rugao/baipu/xinhe", &choices),
        "rugao/baipu/xinhe"
    );
    assert_eq!(fit_org_unit("林梓村", &choices), "");
}

#[wasm_bindgen_test]
fn the_session_is_kept_in_the_vault_and_a_logout_is_sent_when_it_can_be() {
    fresh();
    assert_eq!(storage::load_session(), None);
    storage::save_session(&linzi()).unwrap();
    assert_eq!(storage::load_session(), Some(linzi()));

    session::begin_logout();
    assert!(
        session::logout_pending(),
        "the server is told at the next chance"
    );
    // The session is kept in the vault; a logout locks the vault (see vault.rs).
    assert_eq!(storage::load_session(), Some(linzi()));
}

#[wasm_bindgen_test]
fn the_server_s_refusal_is_shown_in_its_own_words() {
    let bad = session::refusal(
        401,
        r#"{"error":"bad_login","fields":[],"message":"用户名或密码不正确","message_en":"Wrong username or password"}"#,
        None,
    );
    assert_eq!(bad.message(Lang::Zh), "用户名或密码不正确");
    assert_eq!(bad.message(Lang::En), "Wrong username or password");
    let many = session::refusal(
        429,
        r#"{"error":"too_many_attempts","message":"尝试次数过多，请 42 秒后再试","message_en":"Too many attempts; try again in 42 s"}"#,
        Some(42),
    );
    assert_eq!(many.message(Lang::Zh), "尝试次数过多，请 42 秒后再试");
    assert!(matches!(
        many,
        LoginError::Refused {
            retry_after: Some(42),
            ..
        }
    ));
    let proxy = session::refusal(502, "<html>Bad Gateway</html>", None);
    assert_eq!(proxy.message(Lang::Zh), "服务器错误（HTTP 502）");
    assert!(
        LoginError::Unreachable
            .message(Lang::Zh)
            .contains("无法连接服务器")
    );
}

fn login_step(state: Rc<LoginState>, action: LoginAction) -> Rc<LoginState> {
    state.reduce(action)
}

#[wasm_bindgen_test]
fn the_login_form_state_follows_the_server_s_answers() {
    let s = Rc::new(LoginState::new("linzi".into()));
    assert!(!s.ready(), "no password yet");
    let s = login_step(s, LoginAction::Submit);
    assert!(s.missing && !s.busy);
    let s = login_step(s, LoginAction::Password("wrong-password".into()));
    assert!(s.ready());
    let s = login_step(s, LoginAction::Submit);
    assert!(s.busy && !s.missing);
    assert!(!s.ready(), "one request at a time");

    // A wrong password: the message, the password cleared, the name kept.
    let bad = session::refusal(
        401,
        r#"{"error":"bad_login","message":"用户名或密码不正确","message_en":"Wrong username or password"}"#,
        None,
    );
    let s = login_step(
        s,
        LoginAction::Failed {
            error: bad.clone(),
            now_ms: 0.0,
        },
    );
    assert_eq!(s.error, Some(bad));
    assert!(!s.busy);
    assert_eq!(s.password, "");
    assert_eq!(s.username, "linzi");

    // Too many tries: no new try until Retry-After has passed.
    let s = login_step(s, LoginAction::Password("again-wrong".into()));
    let s = login_step(s, LoginAction::Submit);
    let many = session::refusal(
        429,
        r#"{"message":"尝试次数过多，请 30 秒后再试"}"#,
        Some(30),
    );
    let s = login_step(
        s,
        LoginAction::Failed {
            error: many,
            now_ms: 1_000.0,
        },
    );
    assert_eq!(s.blocked_until_ms, Some(31_000.0));
    assert!(!s.ready());
    let s = login_step(s, LoginAction::Submit);
    assert!(!s.busy, "blocked: the submit sends nothing");
    let s = login_step(s, LoginAction::Unblock);
    assert!(s.ready());
    let s = login_step(s, LoginAction::Submit);
    let s = login_step(s, LoginAction::Succeeded);
    assert!(!s.busy && s.error.is_none() && s.password.is_empty());
}

#[wasm_bindgen_test]
fn the_app_state_opens_the_login_page_only_on_the_server_s_word() {
    let auth = |s: AuthState, a: AuthAction| (*Rc::new(s).reduce(a)).clone();
    // Nobody remembered: the login page.
    assert!(AuthState::new(None).shows_login());
    // Remembered, and the server unreachable: the form, no banner.
    let remembered = AuthState::new(Some(linzi()));
    assert!(!remembered.shows_login() && !remembered.expired);
    // `/api/me` says 401 at start: the login page, saying why, with the user filled in.
    let at_start = auth(remembered.clone(), AuthAction::MeLoggedOut);
    assert!(at_start.shows_login());
    assert_eq!(at_start.reason, LoginReason::Expired);
    assert!(at_start.session.is_some());
    // …which may be put aside to go on filling in forms offline.
    let later = auth(at_start, AuthAction::CloseLogin);
    assert!(!later.shows_login() && later.expired);
    // A record answered 401 while working: a banner, the form stays.
    let working = auth(remembered.clone(), AuthAction::Expired);
    assert!(!working.shows_login() && working.expired);
    // A record accepted after all (another tab logged in): no banner.
    assert!(!auth(working.clone(), AuthAction::Alive).expired);
    // Logged in again: as new.
    assert_eq!(auth(working, AuthAction::LoggedIn(linzi())), remembered);
    // The vault locked (idle, or another tab logged out): the unlock page, saying why.
    let locked = auth(remembered.clone(), AuthAction::Locked);
    assert!(locked.shows_login() && locked.session.is_none());
    assert_eq!(locked.reason, LoginReason::Locked);
    // Logged out: the login page, saying so.
    let out = auth(remembered, AuthAction::LoggedOut);
    assert!(out.shows_login() && out.session.is_none());
    assert_eq!(out.reason, LoginReason::LoggedOut);
}

fn attach() -> web_sys::Element {
    let doc = gloo::utils::document();
    let root = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&root).unwrap();
    root
}

fn mount_with(units: Vec<OrgUnit>) -> web_sys::Element {
    let root = attach();
    yew::Renderer::<VisitPage>::with_root_and_props(
        root.clone(),
        VisitPageProps {
            lang: Lang::Zh,
            units,
            on_queued: Callback::noop(),
        },
    )
    .render();
    root
}

fn mount() -> web_sys::Element {
    mount_with(linzi().units)
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

fn find<T: JsCast>(root: &web_sys::Element, selector: &str) -> T {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
        .dyn_into()
        .unwrap()
}

#[wasm_bindgen_test]
async fn the_preview_follows_the_form_and_every_change_is_saved() {
    fresh();
    let root = mount();
    yew::scheduler::flush().await;
    let level = find::<HtmlElement>(&root, "#risk-level");
    assert_eq!(level.text_content().unwrap(), "黄色预警");

    find::<HtmlInputElement>(&root, "[name=\"escalation.may_turn_criminal\"]").click();
    yew::scheduler::flush().await;
    let level = find::<HtmlElement>(&root, "#risk-level");
    assert_eq!(level.get_attribute("data-level").unwrap(), "red");
    assert_eq!(level.text_content().unwrap(), "红色预警");
    assert!(
        storage::current_input::<VisitInput>(FormKind::Visit)
            .unwrap()
            .escalation
            .may_turn_criminal
    );

    let summary = find::<web_sys::HtmlTextAreaElement>(&root, "[name=\"summary\"]");
    summary.set_value("邻里因宅基地争执");
    summary
        .dispatch_event(&web_sys::InputEvent::new("input").unwrap())
        .unwrap();
    yew::scheduler::flush().await;
    assert_eq!(
        storage::current_input::<VisitInput>(FormKind::Visit)
            .unwrap()
            .summary,
        "邻里因宅基地争执"
    );
    root.remove();
}

#[wasm_bindgen_test]
async fn submitting_an_incomplete_form_names_the_missing_fields_and_queues_nothing() {
    fresh();
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

#[wasm_bindgen_test]
async fn the_village_is_chosen_from_the_user_s_units() {
    fresh();
    // A draft typed before logins named its village in words: it becomes the only village.
    let mut old = draft("旧草稿");
    old.org_unit = "林梓村".into();
    storage::start_draft(FormKind::Visit, &old).unwrap();
    let root = mount();
    yew::scheduler::flush().await;
    let select = find::<HtmlSelectElement>(&root, "select[name=\"org_unit\"]");
    assert_eq!(select.value(), "rugao/baipu/linzi");
    assert_eq!(select.length(), 2, "— and 林梓村");
    assert_eq!(
        storage::current_input::<VisitInput>(FormKind::Visit)
            .unwrap()
            .org_unit,
        "rugao/baipu/linzi"
    );
    assert_eq!(
        storage::current_input::<VisitInput>(FormKind::Visit)
            .unwrap()
            .summary,
        "旧草稿"
    );
    root.remove();

    // A town worker picks one of several; none is picked for them.
    fresh();
    let city: Session = serde_json::from_str(ME_CITY).unwrap();
    let root = mount_with(city.units);
    yew::scheduler::flush().await;
    let select = find::<HtmlSelectElement>(&root, "select[name=\"org_unit\"]");
    assert_eq!(select.value(), "");
    find::<HtmlElement>(&root, "button[type=submit]").click();
    yew::scheduler::flush().await;
    let field = find::<HtmlElement>(&root, "#f-org_unit-label")
        .parent_element()
        .unwrap();
    assert!(field.get_attribute("class").unwrap().contains("has-error"));
    select.set_value("rugao/changjiang/gangkou");
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    yew::scheduler::flush().await;
    assert_eq!(
        storage::current_input::<VisitInput>(FormKind::Visit)
            .unwrap()
            .org_unit,
        "rugao/changjiang/gangkou"
    );
    root.remove();
}

fn mount_login(props: LoginPageProps) -> web_sys::Element {
    let root = attach();
    yew::Renderer::<LoginPage>::with_root_and_props(root.clone(), props).render();
    root
}

#[wasm_bindgen_test]
async fn the_login_page_is_chinese_first_and_asks_for_both_fields() {
    fresh();
    let root = mount_login(LoginPageProps {
        others_unsent: 0,
        // Counted for the name typed: linzi's own, and the others' as a number.
        per_account: vec![("linzi".into(), 2), ("xinhe".into(), 3)],
        lang: Lang::Zh,
        username: Some("linzi".into()),
        reason: LoginReason::Expired,
        unsent: 0,
        online: true,
        on_login: Callback::noop(),
        on_cancel: Some(Callback::noop()),
    });
    yew::scheduler::flush().await;
    let text = root.text_content().unwrap();
    assert!(text.contains("用户名") && text.contains("密码"), "{text}");
    assert!(text.contains("登录已过期"), "{text}");
    assert!(text.contains("本机有此账号 2 条未发送的记录"), "{text}");
    assert!(text.contains("只有用该账号的密码才能打开"), "{text}");
    // Another account's records: their number, nothing else.
    assert!(text.contains("其他账号的 3 条未发送记录"), "{text}");
    assert!(text.contains("先填写表单，稍后登录"), "{text}");
    assert_eq!(
        find::<HtmlInputElement>(&root, "#login-username").value(),
        "linzi"
    );
    // No password: nothing is sent, and the page says what is missing.
    find::<HtmlElement>(&root, "button[type=submit]").click();
    yew::scheduler::flush().await;
    assert_eq!(
        find::<HtmlElement>(&root, "#login-missing")
            .text_content()
            .unwrap(),
        "请填写用户名和密码"
    );
    assert!(!find::<HtmlElement>(&root, "button[type=submit]").has_attribute("disabled"));
    assert_eq!(storage::load_session(), None);
    root.remove();
}

#[wasm_bindgen_test]
async fn the_app_opens_on_the_unlocked_session_when_the_server_gives_no_word() {
    // The test page's server knows no /api/me (404): as good as offline.
    fresh();
    storage::save_session(&linzi()).unwrap();
    let root = attach();
    let app = yew::Renderer::<App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;
    assert!(
        wait_for(2000, || root
            .query_selector("select[name=\"org_unit\"]")
            .unwrap()
            .is_some())
        .await,
        "the form shows"
    );
    // Give `/api/me` time to answer; the form must stay.
    wait_for(300, || false).await;
    assert!(root.query_selector("#login-username").unwrap().is_none());
    assert_eq!(
        find::<HtmlElement>(&root, "#current-user")
            .text_content()
            .unwrap(),
        "林梓村 李娟"
    );
    assert_eq!(
        find::<HtmlSelectElement>(&root, "select[name=\"org_unit\"]").value(),
        "rugao/baipu/linzi"
    );

    // Logging out asks whether to keep the data; kept, the vault locks and the login page
    // shows nothing of it.
    let summary = find::<web_sys::HtmlTextAreaElement>(&root, "[name=\"summary\"]");
    summary.set_value("退出前的草稿");
    summary
        .dispatch_event(&web_sys::InputEvent::new("input").unwrap())
        .unwrap();
    yew::scheduler::flush().await;
    assert_eq!(
        storage::current_input::<VisitInput>(FormKind::Visit)
            .unwrap()
            .summary,
        "退出前的草稿"
    );
    find::<HtmlElement>(&root, "#logout").click();
    yew::scheduler::flush().await;
    assert!(root.query_selector("#logout-dialog").unwrap().is_some());
    find::<HtmlElement>(&root, "#logout-keep").click();
    assert!(
        wait_for(2000, || root
            .query_selector("#login-username")
            .unwrap()
            .is_some())
        .await,
        "the login page shows"
    );
    assert!(root.query_selector("[name=\"summary\"]").unwrap().is_none());
    assert!(root.text_content().unwrap().contains("已退出登录"));
    assert!(!root.text_content().unwrap().contains("退出前的草稿"));
    assert_eq!(storage::load_session(), None, "locked: nothing readable");
    app.destroy();
    root.remove();
}

#[wasm_bindgen_test]
async fn without_a_remembered_session_the_app_shows_the_login_page() {
    fresh();
    let root = attach();
    let app = yew::Renderer::<App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;
    assert!(
        wait_for(2000, || root
            .query_selector("#login-username")
            .unwrap()
            .is_some())
        .await
    );
    assert!(root.query_selector("[name=\"summary\"]").unwrap().is_none());
    assert!(root.query_selector("#logout").unwrap().is_none());
    assert!(
        root.text_content()
            .unwrap()
            .contains("请使用妇联工作账号登录")
    );
    app.destroy();
    root.remove();
}

/// A stored visit record with one party, open since 1 November.
fn stored_visit() -> VisitInput {
    let mut input = VisitInput::blank(uuid::Uuid::from_u128(9), frontend::today());
    input.org_unit = "rugao/baipu/linzi".into();
    input.category = "A".into();
    input.summary = "邻里因宅基地争执".into();
    input.visitor = "李娟".into();
    input.visit_date = "2026-11-01".into();
    input.parties[0].name = "王芳".into();
    input
}

#[wasm_bindgen_test]
async fn a_stored_visit_record_is_updated_as_a_change_of_its_version() {
    fresh();
    // Something else being typed: the stored record opens as a draft of its own, and that
    // draft stays as it is.
    let other = storage::start_draft(FormKind::Visit, &draft("另一户的草稿")).unwrap();
    let base = stored_visit();
    let opened = storage::open_for_change(FormKind::Visit, base.id, 3, base.clone()).unwrap();
    assert_ne!(opened, other);
    assert_eq!(storage::current_draft(FormKind::Visit), Some(opened));
    assert_eq!(storage::drafts(FormKind::Visit).len(), 2);
    assert_eq!(
        storage::load_draft::<VisitInput>(other)
            .unwrap()
            .input
            .summary,
        "另一户的草稿"
    );
    // Opening the same version again goes back to the same draft.
    let again = storage::open_for_change(FormKind::Visit, base.id, 3, base.clone()).unwrap();
    assert_eq!(again, opened);

    let root = mount();
    yew::scheduler::flush().await;
    assert_eq!(
        find::<HtmlElement>(&root, "#continuing")
            .get_attribute("data-version")
            .unwrap(),
        "3"
    );
    assert_eq!(
        find::<HtmlInputElement>(&root, "[name=\"parties[0].name\"]").value(),
        "王芳"
    );
    let resolved = find::<HtmlInputElement>(&root, "[name=\"resolved_on\"]");
    resolved.set_value(&frontend::today().to_string());
    resolved
        .dispatch_event(&web_sys::InputEvent::new("input").unwrap())
        .unwrap();
    yew::scheduler::flush().await;
    find::<HtmlElement>(&root, "button[type=submit]").click();
    yew::scheduler::flush().await;
    let outbox = storage::load_outbox();
    assert_eq!(outbox.len(), 1);
    assert_eq!(
        outbox[0].edit_of,
        Some(3),
        "sent as a PUT based on version 3"
    );
    let body: VisitInput = serde_json::from_value(outbox[0].body.clone()).unwrap();
    assert_eq!(body.id, base.id);
    assert_eq!(body.resolved_on, frontend::today().to_string());
    // The change's draft is done; the other one stays.
    let left = storage::drafts(FormKind::Visit);
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].id, other);
    assert!(root.query_selector("#continuing").unwrap().is_none());
    root.remove();
}
