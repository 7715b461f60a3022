//! 我的记录: the user's stored records, names and phones masked until a record is opened.

use yew::prelude::*;

use crate::i18n::tr;
use crate::session::Session;

#[derive(Properties, PartialEq)]
pub struct RecordsPageProps {
    pub lang: shared::Lang,
    pub session: Session,
}

#[component]
pub fn RecordsPage(p: &RecordsPageProps) -> Html {
    html! {
        <div class="records-page">
            <h2>{tr(p.lang, "记录查询", "Records")}</h2>
            <p class="none">{tr(p.lang, "正在建设中。", "Being built.")}</p>
        </div>
    }
}
