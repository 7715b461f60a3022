//! 工作台: warnings, reporting completeness, statistics and the town ranking at a glance.

use yew::prelude::*;

use crate::i18n::tr;
use crate::session::Session;

#[derive(Properties, PartialEq)]
pub struct DashboardPageProps {
    pub lang: shared::Lang,
    pub session: Session,
}

#[component]
pub fn DashboardPage(p: &DashboardPageProps) -> Html {
    html! {
        <div class="dashboard-page">
            <h2>{tr(p.lang, "工作台", "Dashboard")}</h2>
            <p class="none">{tr(p.lang, "正在建设中。", "Being built.")}</p>
        </div>
    }
}
