//! 导航: the app's pages by address, and which of them each role gets.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::forms::FormKind;
use crate::i18n::tr;
use crate::session::Session;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Routable)]
pub enum Route {
    #[at("/")]
    Home,
    #[at("/visits/new")]
    Visit,
    #[at("/key-persons/new")]
    KeyPerson,
    #[at("/meetings/new")]
    Meeting,
    #[at("/monthly-reports/new")]
    MonthlyReport,
    #[at("/rights-cases/new")]
    RightsCase,
    #[at("/self-assessments/new")]
    SelfAssessment,
    #[at("/model-homes/new")]
    ModelHome,
    #[at("/town-assessments/new")]
    TownAssessment,
    #[at("/records")]
    Records,
    #[at("/dashboard")]
    Dashboard,
    #[at("/rules/calendar")]
    RulesCalendar,
    #[at("/rules/rubric")]
    RulesRubric,
    #[at("/rules/themes")]
    RulesThemes,
    #[not_found]
    #[at("/404")]
    NotFound,
}

impl Route {
    pub fn form(kind: FormKind) -> Route {
        match kind {
            FormKind::Visit => Route::Visit,
            FormKind::KeyPerson => Route::KeyPerson,
            FormKind::Meeting => Route::Meeting,
            FormKind::MonthlyReport => Route::MonthlyReport,
            FormKind::RightsCase => Route::RightsCase,
            FormKind::SelfAssessment => Route::SelfAssessment,
            FormKind::ModelHome => Route::ModelHome,
            FormKind::TownAssessment => Route::TownAssessment,
        }
    }
}

/// The forms a role fills in: town assessments are the city's; everything else may be entered
/// by anyone for a unit of theirs.
pub fn forms_for(role: &str) -> Vec<FormKind> {
    FormKind::ALL
        .into_iter()
        .filter(|k| *k != FormKind::TownAssessment || matches!(role, "city" | "admin"))
        .collect()
}

/// Town, city and admin staff look at their units' figures; a village worker starts on the form.
pub fn has_dashboard(role: &str) -> bool {
    role != "village"
}

/// City and admin staff publish the yearly rule tables (holidays, rubric, themes).
pub fn has_rules(role: &str) -> bool {
    matches!(role, "city" | "admin")
}

#[derive(Properties, PartialEq)]
pub struct NavProps {
    pub lang: shared::Lang,
    pub session: Session,
}

/// The menu of pages the user's role has.
#[component]
pub fn Nav(p: &NavProps) -> Html {
    let current = use_route::<Route>().unwrap_or(Route::Home);
    let role = p.session.user.role.as_str();
    let link = |to: Route, label: &'static str| {
        let active = current == to;
        html! {
            <Link<Route> to={to} classes={classes!("nav-link", active.then_some("active"))}>{label}</Link<Route>>
        }
    };
    html! {
        <nav class="nav" aria-label={tr(p.lang, "导航", "Navigation")}>
            if has_dashboard(role) {
                { link(Route::Dashboard, p.lang.pick("工作台", "Dashboard")) }
            }
            { for forms_for(role).into_iter().map(|k| link(Route::form(k), k.label(p.lang))) }
            { link(Route::Records, p.lang.pick("记录查询", "Records")) }
            if has_rules(role) {
                { link(Route::RulesCalendar, p.lang.pick("年度规则", "Yearly rules")) }
            }
        </nav>
    }
}
