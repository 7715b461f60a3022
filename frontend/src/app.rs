//! The shell: header (network state, unsent count, language), the page, the outbox; and the
//! loop that sends the outbox whenever the server may be reachable.

use gloo::events::EventListener;
use gloo::timers::callback::Interval;
use gloo::utils::window;
use uuid::Uuid;
use yew::prelude::*;

use crate::components::OutboxList;
use crate::i18n::{Lang, load_lang, save_lang, tr};
use crate::pages::visit::VisitPage;
use crate::{outbox, storage};

/// How often waiting records are looked at; each one has its own backoff on top.
const TICK_MS: u32 = 3_000;

#[component]
pub fn App() -> Html {
    let lang = use_state(load_lang);
    let items = use_state(storage::load_outbox);
    let sending = use_state(|| None::<Uuid>);
    let online = use_state(|| window().navigator().on_line());

    // Re-read the outbox from storage, the source of truth.
    let refresh = {
        let (items, sending) = (items.setter(), sending.setter());
        Callback::from(move |now_sending: Option<Uuid>| {
            sending.set(now_sending);
            items.set(storage::load_outbox());
        })
    };
    let send_now = {
        let refresh = refresh.clone();
        Callback::from(move |()| {
            let refresh = refresh.clone();
            wasm_bindgen_futures::spawn_local(async move {
                outbox::flush(move |id| refresh.emit(id)).await;
            });
        })
    };

    {
        let (send_now, refresh, online) = (send_now.clone(), refresh.clone(), online.setter());
        use_effect_with((), move |_| {
            send_now.emit(());
            let tick = Interval::new(TICK_MS, {
                let send_now = send_now.clone();
                move || send_now.emit(())
            });
            let on_online = EventListener::new(&window(), "online", {
                let (online, send_now) = (online.clone(), send_now.clone());
                move |_| {
                    online.set(true);
                    storage::retry_all_now(js_sys::Date::now());
                    send_now.emit(());
                }
            });
            let on_offline = EventListener::new(&window(), "offline", move |_| online.set(false));
            // Another tab queued or sent something.
            let on_storage = EventListener::new(&window(), "storage", move |_| refresh.emit(None));
            move || drop((tick, on_online, on_offline, on_storage))
        });
    }

    let switch_lang = {
        let lang = lang.clone();
        Callback::from(move |_| {
            let next = if *lang == Lang::Zh {
                Lang::En
            } else {
                Lang::Zh
            };
            save_lang(next);
            lang.set(next);
        })
    };
    let on_queued = {
        let (refresh, send_now) = (refresh.clone(), send_now.clone());
        Callback::from(move |()| {
            refresh.emit(None);
            send_now.emit(());
        })
    };

    let l = *lang;
    let unsent = items.iter().filter(|i| i.is_unsent()).count();
    html! {
        <div class="app" lang={l.pick("zh-CN", "en")}>
            <header class="top">
                <h1>{tr(l, "家家", "Jiajia")}<small>{tr(l, "妇联家家访·月月谈", "Women's federation visits")}</small></h1>
                <span class={classes!("net", if *online { "online" } else { "offline" })}>
                    { if *online { tr(l, "在线", "Online") } else { tr(l, "离线", "Offline") } }
                </span>
                <span id="unsent-count" class={classes!("unsent", (unsent > 0).then_some("some"))} data-count={unsent.to_string()}>
                    {tr(l, "未发送 ", "Unsent ")}{unsent}
                </span>
                <button type="button" class="lang" onclick={switch_lang}>{tr(l, "English", "中文")}</button>
            </header>
            <main>
                <VisitPage lang={l} {on_queued} />
                <OutboxList lang={l} items={(*items).clone()} sending={*sending} />
            </main>
        </div>
    }
}
