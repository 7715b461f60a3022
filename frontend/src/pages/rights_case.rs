//! 维权个案.

use yew::prelude::*;

use super::FormPageProps;
use crate::i18n::tr;

#[component]
pub fn RightsCasePage(p: &FormPageProps) -> Html {
    html! {
        <div class="form-page">
            <h2>{"维权个案"}</h2>
            <p class="none">{tr(p.lang, "此表单正在建设中。", "This form is being built.")}</p>
        </div>
    }
}
