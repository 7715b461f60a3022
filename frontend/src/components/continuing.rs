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
