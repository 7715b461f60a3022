//! 议事会“1+3+N”会议记录.

use yew::prelude::*;

use super::FormPageProps;
use crate::i18n::tr;

#[component]
pub fn MeetingPage(p: &FormPageProps) -> Html {
    html! {
        <div class="form-page">
            <h2>{"议事会“1+3+N”会议记录"}</h2>
            <p class="none">{tr(p.lang, "此表单正在建设中。", "This form is being built.")}</p>
        </div>
    }
}
