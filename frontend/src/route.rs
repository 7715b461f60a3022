//! 导航: the app's pages by address, and which of them each role gets.

use std::rc::Rc;

use gloo::events::EventListener;
use gloo::utils::window;
use wasm_bindgen::JsValue;
use yew::prelude::*;

use crate::forms::FormKind;
use crate::i18n::tr;
use crate::session::Session;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    Home,
    Visit,
    KeyPerson,
    Meeting,
    MonthlyReport,
    RightsCase,
    SelfAssessment,
    ModelHome,
    TownAssessment,
    Records,
    /// 待办 (village and town accounts): the unit's open tasks, from the replica.
    Tasks,
    Dashboard,
    /// 年度规则 (city and admin): the working-day calendar, the rubric, the monthly themes.
    RulesCalendar,
    RulesRubric,
    RulesThemes,
    /// Any other address.
    NotFound,
}

/// Each page's address. (Our own router rather than yew-router: −18.6 KB of the app's
/// download, issue 15.)
const PATHS: [(Route, &str); 15] = [
    (Route::Home, "/"),
    (Route::Visit, "/visits/new"),
    (Route::KeyPerson, "/key-persons/new"),
    (Route::Meeting, "/meetings/new"),
    (Route::MonthlyReport, "/monthly-reports/new"),
    (Route::RightsCase, "/rights-cases/new"),
    (Route::SelfAssessment, "/self-assessments/new"),
    (Route::ModelHome, "/model-homes/new"),
    (Route::TownAssessment, "/town-assessments/new"),
    (Route::Records, "/records"),
    (Route::Tasks, "/tasks"),
    (Route::Dashboard, "/dashboard"),
    (Route::RulesCalendar, "/rules/calendar"),
    (Route::RulesRubric, "/rules/rubric"),
    (Route::RulesThemes, "/rules/themes"),
];

impl Route {
    /// The page at `path` (`location.pathname`); one trailing slash is ignored.
    pub fn from_path(path: &str) -> Route {
        let path = match path.strip_suffix('/') {
            Some(p) if !p.is_empty() => p,
            _ => path,
        };
        PATHS
            .iter()
            .find(|(_, p)| *p == path)
            .map_or(Route::NotFound, |(r, _)| *r)
    }

    pub fn to_path(self) -> &'static str {
        PATHS
            .iter()
            .find(|(r, _)| *r == self)
            .map_or("/404", |(_, p)| p)
    }

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

/// 记录查询's address: which tab, and which record is open (pages link to records with it).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RecordsQuery {
    /// A [`crate::forms::FormKind`] name (`visit`, `rights_case` …).
    pub kind: Option<String>,
    pub id: Option<String>,
}

impl RecordsQuery {
    /// From the address's query (`kind=visit&id=…`, form-encoded, without its `?`).
    pub fn parse(query: &str) -> RecordsQuery {
        let Ok(q) = web_sys::UrlSearchParams::new_with_str(query) else {
            return RecordsQuery::default();
        };
        RecordsQuery {
            kind: q.get("kind"),
            id: q.get("id"),
        }
    }

    /// The query for the address, form-encoded, without its `?`.
    pub fn to_query(&self) -> String {
        let Ok(q) = web_sys::UrlSearchParams::new() else {
            return String::new();
        };
        for (name, value) in [("kind", &self.kind), ("id", &self.id)] {
            if let Some(v) = value {
                q.append(name, v);
            }
        }
        q.to_string().into()
    }
}

/// Village and town accounts keep their unit's records on the device and see its tasks.
pub fn has_tasks(role: &str) -> bool {
    crate::replica::replicates(role)
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
    let current = use_route();
    let role = p.session.user.role.as_str();
    let link = |to: Route, label: &'static str| {
        let active = current == to;
        html! {
            <Link {to} classes={classes!("nav-link", active.then_some("active"))}>{label}</Link>
        }
    };
    html! {
        <nav class="nav" aria-label={tr(p.lang, "导航", "Navigation")}>
            if has_dashboard(role) {
                { link(Route::Dashboard, p.lang.pick("工作台", "Dashboard")) }
            }
            if has_tasks(role) {
                { link(Route::Tasks, p.lang.pick("待办", "Tasks")) }
            }
            { for forms_for(role).into_iter().map(|k| link(Route::form(k), k.label(p.lang))) }
            { link(Route::Records, p.lang.pick("记录查询", "Records")) }
            if has_rules(role) {
                { link(Route::RulesCalendar, p.lang.pick("年度规则", "Yearly rules")) }
            }
        </nav>
    }
}

// ---------------------------------------------------------------------------------------------
// The router: the address in a context, `history.pushState` to move, `popstate` for the
// browser's back and forward buttons.

/// Moves the app to another address (a new history entry).
#[derive(Clone, PartialEq)]
pub struct Navigator(Callback<String>);

impl Navigator {
    pub fn push(&self, to: &Route) {
        self.0.emit(to.to_path().to_owned());
    }

    /// To `to` with `query` (`kind=visit&id=…`, without the `?`).
    pub fn push_with_query(&self, to: &Route, query: &str) {
        self.0.emit(href(*to, query));
    }
}

fn href(to: Route, query: &str) -> String {
    match query {
        "" => to.to_path().to_owned(),
        q => format!("{}?{q}", to.to_path()),
    }
}

/// Where the app is: the path and the query (without its `?`).
#[derive(Clone, PartialEq)]
struct Here {
    path: AttrValue,
    query: AttrValue,
    navigator: Navigator,
}

fn address() -> (AttrValue, AttrValue) {
    let l = window().location();
    let search = l.search().unwrap_or_default();
    (
        l.pathname().unwrap_or_default().into(),
        search
            .strip_prefix('?')
            .unwrap_or(&search)
            .to_owned()
            .into(),
    )
}

#[derive(Properties, PartialEq)]
pub struct RouterProps {
    #[prop_or_default]
    pub children: Html,
}

/// Gives its children the address ([`use_route`], [`use_query`]) and a [`Navigator`].
#[component]
pub fn Router(p: &RouterProps) -> Html {
    let here = use_state(address);
    {
        let here = here.setter();
        use_effect_with((), move |_| {
            let listener = EventListener::new(&window(), "popstate", move |_| here.set(address()));
            move || drop(listener)
        });
    }
    let navigator = {
        let here = here.setter();
        use_memo((), move |_| {
            Navigator(Callback::from(move |to: String| {
                if let Ok(history) = window().history() {
                    let _ = history.push_state_with_url(&JsValue::NULL, "", Some(&to));
                }
                here.set(address());
            }))
        })
    };
    let context = Here {
        path: here.0.clone(),
        query: here.1.clone(),
        navigator: (*navigator).clone(),
    };
    html! {
        <ContextProvider<Rc<Here>> context={Rc::new(context)}>
            {p.children.clone()}
        </ContextProvider<Rc<Here>>>
    }
}

/// The page the address names (`Home` outside a [`Router`]).
#[hook]
pub fn use_route() -> Route {
    use_context::<Rc<Here>>().map_or(Route::Home, |h| Route::from_path(&h.path))
}

/// The address's query, without its `?` (empty outside a [`Router`]).
#[hook]
pub fn use_query() -> AttrValue {
    use_context::<Rc<Here>>()
        .map(|h| h.query.clone())
        .unwrap_or_default()
}

/// `None` outside a [`Router`].
#[hook]
pub fn use_navigator() -> Option<Navigator> {
    use_context::<Rc<Here>>().map(|h| h.navigator.clone())
}

#[derive(Properties, PartialEq)]
pub struct SwitchProps {
    pub render: Callback<Route, Html>,
}

/// What `render` makes of the current page.
#[component]
pub fn Switch(p: &SwitchProps) -> Html {
    p.render.emit(use_route())
}

#[derive(Properties, PartialEq)]
pub struct LinkProps {
    pub to: Route,
    /// Without its `?`.
    #[prop_or_default]
    pub query: Option<AttrValue>,
    #[prop_or_default]
    pub classes: Classes,
    #[prop_or_default]
    pub children: Html,
}

/// An `<a>` that moves within the app without reloading it (a click with a modifier key is
/// left to the browser: a new tab or window).
#[component]
pub fn Link(p: &LinkProps) -> Html {
    let navigator = use_navigator();
    let href = href(p.to, p.query.as_deref().unwrap_or(""));
    let onclick = {
        let href = href.clone();
        Callback::from(move |e: MouseEvent| {
            if e.meta_key() || e.ctrl_key() || e.shift_key() || e.alt_key() {
                return;
            }
            if let Some(n) = &navigator {
                e.prevent_default();
                n.0.emit(href.clone());
            }
        })
    };
    html! {
        <a class={p.classes.clone()} {href} {onclick}>{p.children.clone()}</a>
    }
}
