//! 重点关注妇女儿童信息登记（附件2）.

use yew::prelude::*;

use super::FormPageProps;
use crate::i18n::tr;

#[component]
pub fn KeyPersonPage(p: &FormPageProps) -> Html {
    html! {
        <div class="form-page">
            <h2>{"重点关注妇女儿童信息登记（附件2）"}</h2>
            <p class="none">{tr(p.lang, "此表单正在建设中。", "This form is being built.")}</p>
        </div>
    }
}
