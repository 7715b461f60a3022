//! 服务器: reading from the server — the one place pages get server data through (`get_json`,
//! the `use_fetch*` hooks, and what an answer or a failure is to a page), and the query-string
//! helpers. Pages use it; it uses no page.

use std::rc::Rc;

use gloo::events::EventListener;
use gloo::net::http::Request;
use gloo::utils::window;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use shared::Lang;
use yew::prelude::*;

/// A request that takes longer is abandoned.
const TIMEOUT_MS: u32 = 15_000;

/// Why figures could not be read.
#[derive(Clone, Debug, PartialEq)]
pub enum LoadError {
    /// No answer: offline, or the server is down.
    Offline,
    /// 401: the session has ended.
    LoggedOut,
    /// 404: not there, or outside the user's units.
    NotFound,
    /// Another refusal, in the server's words.
    Refused {
        status: u16,
        message: String,
        message_en: String,
    },
    /// An answer the app cannot read.
    Unreadable(String),
}

impl LoadError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            LoadError::Offline => lang
                .pick(
                    "离线或无法连接服务器：无法读取最新数据，联网后自动重新读取。",
                    "Offline or the server cannot be reached: nothing can be read now; it is read again once back online.",
                )
                .to_owned(),
            LoadError::LoggedOut => lang
                .pick(
                    "登录已过期：请退出后重新登录再查看。",
                    "Your session has ended: log out and in again to see this.",
                )
                .to_owned(),
            LoadError::NotFound => lang
                .pick(
                    "没有找到，或不在您的管辖范围内。",
                    "Not found, or outside your units.",
                )
                .to_owned(),
            LoadError::Refused {
                status,
                message,
                message_en,
            } => format!("{}（HTTP {status}）", lang.pick(message, message_en)),
            LoadError::Unreadable(e) => format!(
                "{} {e}",
                lang.pick("服务器的答复无法读取：", "The server's answer cannot be read:")
            ),
        }
    }
}

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(default)]
    message: String,
    #[serde(default)]
    message_en: String,
    #[serde(default)]
    fields: Vec<crate::storage::RefusedField>,
}

/// A response's JSON body as `T`, read as all of the app's JSON is ([`shared::json::read`]).
pub async fn body<T: DeserializeOwned>(response: &gloo::net::http::Response) -> Result<T, String> {
    let text = response.text().await.map_err(|e| e.to_string())?;
    shared::json::read(&text).map_err(|e| e.to_string())
}

/// `GET url` as JSON, with the session cookie.
pub async fn get_json<T: DeserializeOwned>(url: &str) -> Result<T, LoadError> {
    if !window().navigator().on_line() {
        return Err(LoadError::Offline);
    }
    let signal = web_sys::AbortSignal::timeout_with_u32(TIMEOUT_MS);
    let response = Request::get(url)
        .abort_signal(Some(&signal))
        .send()
        .await
        .map_err(|_| LoadError::Offline)?;
    match response.status() {
        200..=299 => body::<T>(&response).await.map_err(LoadError::Unreadable),
        401 => Err(LoadError::LoggedOut),
        404 => Err(LoadError::NotFound),
        status @ (408 | 429 | 500..=599) if status != 501 => Err(LoadError::Refused {
            status,
            message: "服务器暂时无法答复，请稍后再试".into(),
            message_en: "The server cannot answer now; try again later".into(),
        }),
        status => {
            let body = body::<ErrorBody>(&response).await.ok();
            let (mut zh, mut en) = body
                .as_ref()
                .map(|b| (b.message.clone(), b.message_en.clone()))
                .unwrap_or_default();
            if let Some(b) = &body {
                for f in &b.fields {
                    zh.push_str(&format!("；{}", f.message));
                    en.push_str(&format!("; {}", f.message_en));
                }
            }
            if zh.is_empty() {
                zh = format!("服务器拒绝了请求（HTTP {status}）");
                en = format!("The server refused (HTTP {status})");
            }
            if en.is_empty() {
                en = zh.clone();
            }
            Err(LoadError::Refused {
                status,
                message: zh,
                message_en: en,
            })
        }
    }
}

/// What a page knows of some figures.
#[derive(Debug, PartialEq)]
pub enum Load<T> {
    Loading,
    /// Read at `at_ms` (ms since the epoch).
    Ready {
        data: Rc<T>,
        at_ms: f64,
    },
    Failed(LoadError),
}

impl<T> Clone for Load<T> {
    fn clone(&self) -> Self {
        match self {
            Load::Loading => Load::Loading,
            Load::Ready { data, at_ms } => Load::Ready {
                data: data.clone(),
                at_ms: *at_ms,
            },
            Load::Failed(e) => Load::Failed(e.clone()),
        }
    }
}

/// Every url read in turn, as one result; read again whenever `urls` or `retry` change. What
/// was read for other urls is never returned: until the new answers are in, it is `Loading`
/// (so figures of one filter are never shown under another), and an answer to an older set of
/// urls is dropped.
#[hook]
pub fn use_fetch_all<T>(urls: Vec<String>, retry: u32) -> Load<Vec<T>>
where
    T: DeserializeOwned + PartialEq + 'static,
{
    let key = (urls, retry);
    let state = use_state(|| (None::<(Vec<String>, u32)>, Load::Loading));
    let generation = use_mut_ref(|| 0u32);
    {
        let setter = state.setter();
        use_effect_with(key.clone(), move |key| {
            let current = {
                let mut g = generation.borrow_mut();
                *g += 1;
                *g
            };
            let key = key.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let mut out = Vec::with_capacity(key.0.len());
                let mut failed = None;
                for url in &key.0 {
                    match get_json::<T>(url).await {
                        Ok(v) => out.push(v),
                        Err(e) => {
                            failed = Some(e);
                            break;
                        }
                    }
                }
                if *generation.borrow() != current {
                    return;
                }
                let load = match failed {
                    Some(e) => Load::Failed(e),
                    None => Load::Ready {
                        data: Rc::new(out),
                        at_ms: js_sys::Date::now(),
                    },
                };
                setter.set((Some(key), load));
            });
        });
    }
    match &*state {
        (Some(read_for), load) if *read_for == key => load.clone(),
        _ => Load::Loading,
    }
}

/// One url, read again whenever it or `retry` change.
#[hook]
pub fn use_fetch<T>(url: String, retry: u32) -> Load<T>
where
    T: DeserializeOwned + PartialEq + Clone + 'static,
{
    match use_fetch_all::<T>(vec![url], retry) {
        Load::Loading => Load::Loading,
        Load::Failed(e) => Load::Failed(e),
        Load::Ready { data, at_ms } => match data.first() {
            Some(v) => Load::Ready {
                data: Rc::new(v.clone()),
                at_ms,
            },
            None => Load::Loading,
        },
    }
}

/// Whether the browser is online, and how many times it came back online (a change is the
/// signal to read again).
#[hook]
pub fn use_online() -> (bool, u32) {
    let online = use_state(|| window().navigator().on_line());
    let returns = use_state(|| 0u32);
    {
        let (online, returns) = (online.clone(), returns.clone());
        use_effect_with((), move |_| {
            let on = EventListener::new(&window(), "online", {
                let (online, returns) = (online.clone(), returns.clone());
                move |_| {
                    online.set(true);
                    returns.set(*returns + 1);
                }
            });
            let off = EventListener::new(&window(), "offline", move |_| online.set(false));
            move || drop((on, off))
        });
    }
    (*online, *returns)
}

/// `hh:mm` of a time in ms since the epoch, in the browser's time zone.
pub fn clock(at_ms: f64) -> String {
    let d = js_sys::Date::new(&at_ms.into());
    format!("{:02}:{:02}", d.get_hours(), d.get_minutes())
}

/// Percent-encodes a query value.
pub fn enc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `path?k=v&…` with the blank values left out.
pub fn url_with(path: &str, pairs: &[(&str, &str)]) -> String {
    let q: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| format!("{k}={}", enc(v.trim())))
        .collect();
    if q.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", q.join("&"))
    }
}
