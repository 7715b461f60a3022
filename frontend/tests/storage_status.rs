//! 持久存储: the browser is asked for persistent storage and its answer is shown (headless
//! Chromium).

use frontend::components::{
    Persistence, StorageStatus, StorageStatusProps, StorageStatusView, StorageStatusViewProps,
    request_persistence,
};
use shared::Lang;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

fn attach() -> Element {
    let doc = gloo::utils::document();
    let root = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&root).unwrap();
    root
}

fn badge(root: &Element) -> (String, String, String) {
    let el: HtmlElement = root
        .query_selector("#storage-status")
        .unwrap()
        .expect("the badge")
        .dyn_into()
        .unwrap();
    (
        el.get_attribute("data-state").unwrap_or_default(),
        el.inner_text(),
        el.title(),
    )
}

async fn view(lang: Lang, state: Persistence) -> (String, String, String) {
    view_used(lang, state, None).await
}

async fn view_used(
    lang: Lang,
    state: Persistence,
    used: Option<(f64, f64)>,
) -> (String, String, String) {
    let root = attach();
    yew::Renderer::<StorageStatusView>::with_root_and_props(
        root.clone(),
        StorageStatusViewProps { lang, state, used },
    )
    .render();
    yew::scheduler::flush().await;
    badge(&root)
}

#[wasm_bindgen_test]
async fn each_answer_is_said_in_words() {
    let (state, text, title) = view(Lang::Zh, Persistence::Granted).await;
    assert_eq!(
        (state.as_str(), text.as_str()),
        ("granted", "已启用持久存储")
    );
    assert!(title.contains("不会被浏览器自动清理"), "{title}");

    let (state, text, title) = view(Lang::Zh, Persistence::Denied).await;
    assert_eq!(
        (state.as_str(), text.as_str()),
        ("denied", "浏览器可能清理本地数据，请尽快联网发送")
    );
    assert!(title.contains("未发送记录可能被清理"), "{title}");

    let (state, text, _) = view(Lang::Zh, Persistence::Unsupported).await;
    assert_eq!(
        (state.as_str(), text.as_str()),
        ("unsupported", "浏览器可能清理本地数据，请尽快联网发送")
    );

    let (_, text, _) = view(Lang::En, Persistence::Granted).await;
    assert_eq!(text, "Storage will not be cleared");

    // How much the device holds, when the browser says.
    let (_, text, title) = view_used(
        Lang::Zh,
        Persistence::Granted,
        Some((1_260_000.0, 2_000_000_000.0)),
    )
    .await;
    assert_eq!(text, "已启用持久存储 · 本机已用 1.3 MB / 可用 2.0 GB");
    assert!(title.ends_with("本机已用 1.3 MB / 可用 2.0 GB"), "{title}");

    // Nothing to read before the browser has answered.
    let (state, text, _) = view(Lang::Zh, Persistence::Pending).await;
    assert_eq!((state.as_str(), text.as_str()), ("pending", ""));
}

/// Waits up to `ms` for `ready`, letting the browser run meanwhile.
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
async fn the_browser_is_asked_and_its_answer_shown() {
    // The test page is served from 127.0.0.1, a secure context: Chromium has the API and
    // answers yes or no.
    let answer = request_persistence().await;
    assert!(
        matches!(answer, Persistence::Granted | Persistence::Denied),
        "{answer:?}"
    );
    let root = attach();
    yew::Renderer::<StorageStatus>::with_root_and_props(
        root.clone(),
        StorageStatusProps { lang: Lang::Zh },
    )
    .render();
    yew::scheduler::flush().await;
    assert!(
        wait_for(5000, || badge(&root).0 != "pending").await,
        "the answer shows"
    );
    let (state, text, _) = badge(&root);
    assert_eq!(
        state,
        answer.as_str(),
        "the badge shows what the browser said"
    );
    assert!(!text.is_empty());
}
