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

/// How much this site keeps on the device, and how much it may (`navigator.storage.estimate()`),
/// in bytes.
pub async fn usage() -> Option<(f64, f64)> {
    let navigator = gloo::utils::window().navigator();
    let storage = Reflect::get(&navigator, &"storage".into()).ok()?;
    let f: Function = Reflect::get(&storage, &"estimate".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let promise: Promise = f.call0(&storage).ok()?.dyn_into().ok()?;
    let estimate = JsFuture::from(promise).await.ok()?;
    let get = |k: &str| Reflect::get(&estimate, &k.into()).ok()?.as_f64();
    Some((get("usage")?, get("quota")?))
}

/// "1.2 MB".
pub fn megabytes(bytes: f64) -> String {
    if bytes >= 1e9 {
        format!("{:.1} GB", bytes / 1e9)
    } else {
        format!("{:.1} MB", bytes / 1e6)
    }
}

/// Asks once, when it is first shown (the shell shows it after a login), and shows the answer
/// with what the device holds (asked again every minute).
#[component]
pub fn StorageStatus(p: &StorageStatusProps) -> Html {
    let state = use_state(|| Persistence::Pending);
    let used = use_state(|| None::<(f64, f64)>);
    {
        let (state, used) = (state.setter(), used.setter());
        use_effect_with((), move |_| {
            let ask_usage = move || {
                let used = used.clone();
                wasm_bindgen_futures::spawn_local(async move { used.set(usage().await) });
            };
            ask_usage();
            wasm_bindgen_futures::spawn_local(async move {
                state.set(request_persistence().await);
            });
            let timer = gloo::timers::callback::Interval::new(60_000, ask_usage);
            move || drop(timer)
        });
    }
    html! { <StorageStatusView lang={p.lang} state={*state} used={*used} /> }
}

#[derive(Properties, PartialEq)]
pub struct StorageStatusViewProps {
    pub lang: Lang,
    pub state: Persistence,
    /// Bytes used and the quota, when the browser says.
    #[prop_or_default]
    pub used: Option<(f64, f64)>,
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
    let used = p.used.map(|(used, quota)| match l {
        Lang::Zh => format!("本机已用 {} / 可用 {}", megabytes(used), megabytes(quota)),
        Lang::En => format!("{} used of {}", megabytes(used), megabytes(quota)),
    });
    let title = match &used {
        Some(u) => format!("{title} {u}"),
        None => title.to_string(),
    };
    html! {
        <span id="storage-status" class={classes!("storage-status", p.state.as_str())}
            data-state={p.state.as_str()} title={title} role="status"
            data-used={p.used.map(|(u, _)| u.to_string())}>
            {text}
            if let Some(u) = used {
                <small class="storage-used" id="storage-used">{" · "}{u}</small>
            }
        </span>
    }
}
