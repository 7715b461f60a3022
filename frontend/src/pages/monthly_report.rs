//! 月报（含零上报）.

use yew::prelude::*;

use super::FormPageProps;
use crate::i18n::tr;

#[component]
pub fn MonthlyReportPage(p: &FormPageProps) -> Html {
    html! {
        <div class="form-page">
            <h2>{"月报（含零上报）"}</h2>
            <p class="none">{tr(p.lang, "此表单正在建设中。", "This form is being built.")}</p>
        </div>
    }
}
