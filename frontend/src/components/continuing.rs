//! 续办: the banner a form shows while it holds a change of a stored record.

use shared::Lang;
use yew::prelude::*;

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
