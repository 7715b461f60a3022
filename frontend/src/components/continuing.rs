//! 续办: the banner a form shows while it holds a change of a stored record.

use serde_json::Value;
use shared::Lang;
use yew::prelude::*;

use crate::forms::{self, FormKind};
use crate::route::{Route, use_navigator};
use crate::storage;

#[derive(Properties, PartialEq)]
pub struct ContinuingProps {
    pub lang: Lang,
    /// The stored version the change is based on.
    pub version: i64,
    /// What may be changed, in the page's language.
    pub what: AttrValue,
    /// The button that drops the change and starts a new record.
    pub stop_label: AttrValue,
    pub on_stop: Callback<MouseEvent>,
}

#[component]
pub fn Continuing(p: &ContinuingProps) -> Html {
    let head = match p.lang {
        Lang::Zh => format!("续办已提交的记录（第 {} 版）：", p.version),
        Lang::En => format!("Changing a stored record (version {}): ", p.version),
    };
    html! {
        <p class="banner info" id="continuing" data-version={p.version.to_string()}>
            {head}{p.what.clone()}
            <button type="button" class="link" id="stop-continuing" onclick={p.on_stop.clone()}>
                {p.stop_label.clone()}
            </button>
        </p>
    }
}

#[derive(Properties, PartialEq)]
pub struct SaveErrorProps {
    pub lang: Lang,
}

/// A finished form that could not be queued: the vault is locked. What was typed stays on the
/// page.
#[component]
pub fn SaveError(p: &SaveErrorProps) -> Html {
    html! {
        <p class="banner error" role="alert">{crate::i18n::tr(p.lang,
            "未能放入待发送队列：本机加密存储未打开（请重新登录）。已填写的内容仍在本页。",
            "Not queued: the encrypted store on this device is not open (log in again). What you typed is still on this page.")}</p>
    }
}

#[derive(Properties, PartialEq)]
pub struct ContinueRecordProps {
    pub lang: Lang,
    pub kind: FormKind,
    /// The stored record (`record` of `GET /api/<kind>/<id>`, or the replica's copy).
    pub record: Value,
    pub version: i64,
}

/// 续办: opens a stored record on its form as a change of it — a draft of its own, never
/// replacing another — stored as its next version (`PUT` with `If-Match`) once sent. Works
/// offline from the replica; the server checks the change again. A visit record says what is
/// usually added; a case names its next stage and offers nothing once every stage is recorded.
#[component]
pub fn ContinueRecord(p: &ContinueRecordProps) -> Html {
    let navigator = use_navigator();
    let Some((id, input)) = forms::stored_form(p.kind, &p.record) else {
        return html! {};
    };
    let lang = p.lang;
    let (button_id, label, next) = match p.kind {
        FormKind::Visit => (
            "continue-visit",
            lang.pick(
                "续办：更新化解、回访、报告",
                "Update: resolution, follow-ups, reports",
            )
            .to_owned(),
            None,
        ),
        FormKind::RightsCase => {
            let Some(next) = shared::json::read_value::<shared::case::RightsCase>(&p.record)
                .ok()
                .and_then(|c| c.next_stage())
            else {
                return html! {};
            };
            let add = lang.pick("续办：补录", "Continue: add ");
            (
                "continue-case",
                format!("{add}{}", next.label(lang)),
                Some(next.code()),
            )
        }
        _ => (
            "continue-record",
            lang.pick(
                "续办：打开此记录修改，保存为新版本",
                "Continue: change this record, stored as its next version",
            )
            .to_owned(),
            None,
        ),
    };
    let (kind, version) = (p.kind, p.version);
    let onclick = Callback::from(move |_: MouseEvent| {
        match storage::open_for_change(kind, id, version, input.clone()) {
            Ok(_) => {
                if let Some(n) = &navigator {
                    n.push(&Route::form(kind));
                }
            }
            Err(_) => gloo::console::error!("record not opened: the vault is locked"),
        }
    });
    html! {
        <p class="continue">
            <button type="button" class="primary" id={button_id} data-kind={kind.name()}
                data-next={next} {onclick}>
                {label}
            </button>
        </p>
    }
}
