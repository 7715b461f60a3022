//! 持久存储: drafts and unsent records live in this browser's storage, which a browser may clear
//! when the device runs short of space unless the site's storage is persistent. After a login
//! the app asks for it once (`navigator.storage.persist()`) and says what the browser answered.

use js_sys::{Function, Promise, Reflect};
use shared::Lang;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

use crate::i18n::tr;

/// What the browser said about keeping this site's storage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Persistence {
    /// Not answered yet.
    Pending,
    /// Persistent: cleared only by the user.
    Granted,
    /// Best effort: the browser may clear it under storage pressure.
    Denied,
    /// No `navigator.storage` (an old browser, or plain HTTP other than localhost).
    Unsupported,
}

impl Persistence {
    pub fn as_str(self) -> &'static str {
        match self {
            Persistence::Pending => "pending",
            Persistence::Granted => "granted",
            Persistence::Denied => "denied",
            Persistence::Unsupported => "unsupported",
        }
    }
}

/// Calls `target[method]()` and awaits the boolean its promise gives.
async fn ask(target: &JsValue, method: &str) -> Option<bool> {
    let f: Function = Reflect::get(target, &method.into()).ok()?.dyn_into().ok()?;
    let promise: Promise = f.call0(target).ok()?.dyn_into().ok()?;
    JsFuture::from(promise).await.ok()?.as_bool()
}

/// Asks for persistent storage unless it is persistent already, and gives the answer.
pub async fn request_persistence() -> Persistence {
    let navigator = gloo::utils::window().navigator();
    let storage = Reflect::get(&navigator, &"storage".into()).unwrap_or(JsValue::UNDEFINED);
    if storage.is_undefined() || storage.is_null() {
        return Persistence::Unsupported;
    }
    if ask(&storage, "persisted").await == Some(true) {
        return Persistence::Granted;
    }
    match ask(&storage, "persist").await {
        Some(true) => Persistence::Granted,
        Some(false) => Persistence::Denied,
        None => Persistence::Unsupported,
    }
}

#[derive(Properties, PartialEq)]
pub struct StorageStatusProps {
    pub lang: Lang,
}

/// Asks once, when it is first shown (the shell shows it after a login), and shows the answer.
#[component]
pub fn StorageStatus(p: &StorageStatusProps) -> Html {
    let state = use_state(|| Persistence::Pending);
    {
        let state = state.setter();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                state.set(request_persistence().await);
            });
        });
    }
    html! { <StorageStatusView lang={p.lang} state={*state} /> }
}

#[derive(Properties, PartialEq)]
pub struct StorageStatusViewProps {
    pub lang: Lang,
    pub state: Persistence,
}

/// The answer as a small badge: reassuring when persistent, a nudge to send soon otherwise.
#[component]
pub fn StorageStatusView(p: &StorageStatusViewProps) -> Html {
    let l = p.lang;
    let (text, title) = match p.state {
        Persistence::Pending => {
            return html! {
                <span id="storage-status" class="storage-status pending" data-state="pending" hidden=true />
            };
        }
        Persistence::Granted => (
            tr(l, "已启用持久存储", "Storage will not be cleared"),
            tr(
                l,
                "本机的草稿和未发送记录不会被浏览器自动清理。",
                "The browser will not clear drafts and unsent records on this device by itself.",
            ),
        ),
        Persistence::Denied | Persistence::Unsupported => (
            tr(
                l,
                "浏览器可能清理本地数据，请尽快联网发送",
                "The browser may clear local data: go online and send soon",
            ),
            tr(
                l,
                "浏览器没有同意持久存储：设备空间不足时，本机的草稿和未发送记录可能被清理。请尽快联网发送；把本站加入书签或添加到主屏幕有助于获得持久存储。",
                "The browser did not grant persistent storage: when the device runs short of space it may clear drafts and unsent records. Send them soon; bookmarking the site or adding it to the home screen helps.",
            ),
        ),
    };
    html! {
        <span id="storage-status" class={classes!("storage-status", p.state.as_str())}
            data-state={p.state.as_str()} title={title} role="status">
            {text}
        </span>
    }
}
