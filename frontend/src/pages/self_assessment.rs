//! 阵地自评（七有/五有/三有）.

use yew::prelude::*;

use super::FormPageProps;
use crate::i18n::tr;

#[component]
pub fn SelfAssessmentPage(p: &FormPageProps) -> Html {
    html! {
        <div class="form-page">
            <h2>{"阵地自评（七有/五有/三有）"}</h2>
            <p class="none">{tr(p.lang, "此表单正在建设中。", "This form is being built.")}</p>
        </div>
    }
}
