//! The shell: header (network state, unsent count, user, language), the login page or the form,
//! the outbox; and the loop that sends the outbox whenever the server may be reachable.
//!
//! Offline first: a user who logged in once is remembered, so the app opens with the form even
//! when the server cannot be reached. Only the server's answers end a session: a 401 to
//! `/api/me` at start opens the login page, a 401 to a record shows a banner (the form stays
//! usable, the record waits), and a logout. Drafts and unsent records stay on the device
//! through all of them.

use std::rc::Rc;

use gloo::events::EventListener;
use gloo::timers::callback::Interval;
use gloo::utils::window;
use uuid::Uuid;
use yew::prelude::*;

use crate::components::OutboxList;
use crate::i18n::{Lang, load_lang, save_lang, tr};
use crate::pages::FormPageProps;
use crate::pages::dashboard::DashboardPage;
use crate::pages::key_person::KeyPersonPage;
use crate::pages::login::{LoginPage, LoginReason};
use crate::pages::meeting::MeetingPage;
use crate::pages::model_home::ModelHomePage;
use crate::pages::monthly_report::MonthlyReportPage;
use crate::pages::records::RecordsPage;
use crate::pages::rights_case::RightsCasePage;
use crate::pages::self_assessment::SelfAssessmentPage;
use crate::pages::town_assessment::TownAssessmentPage;
use crate::pages::visit::VisitPage;
use crate::route::{Nav, Route, has_dashboard};
use crate::session::{self, MeAnswer, Session};
use crate::{outbox, storage};
use yew_router::prelude::*;

/// How often waiting records are looked at; each one has its own backoff on top.
const TICK_MS: u32 = 3_000;

/// 登录状态: where the app stands with the server's login.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AuthState {
    /// The remembered session: who uses this device. None: the login page.
    pub session: Option<Session>,
    /// The server answered 401: its session has ended, though the user is remembered here.
    pub expired: bool,
    /// The login page is open although a user is remembered.
    pub login_open: bool,
    /// Why the login page is shown.
    pub reason: LoginReason,
}

pub enum AuthAction {
    /// A login, or `/api/me`, answered with the session.
    LoggedIn(Session),
    /// `/api/me` answered 401 at start: the login page.
    MeLoggedOut,
    /// A record was answered 401 while working: a banner; the form stays.
    Expired,
    /// The server accepted a record: the session is alive after all (another tab logged in).
    Alive,
    OpenLogin,
    CloseLogin,
    /// The user logged out.
    LoggedOut,
    /// The remembered session changed in storage (another tab logged in or out).
    Stored(Option<Session>),
}

impl AuthState {
    pub fn new(session: Option<Session>) -> Self {
        AuthState {
            session,
            ..AuthState::default()
        }
    }

    pub fn shows_login(&self) -> bool {
        self.session.is_none() || self.login_open
    }
}

impl Reducible for AuthState {
    type Action = AuthAction;

    fn reduce(self: Rc<Self>, action: AuthAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            AuthAction::LoggedIn(s) => next = AuthState::new(Some(s)),
            AuthAction::MeLoggedOut => {
                next.expired = true;
                next.login_open = true;
                if next.session.is_some() {
                    next.reason = LoginReason::Expired;
                }
            }
            AuthAction::Expired => {
                next.expired = true;
                if next.session.is_none() {
                    next.reason = LoginReason::Expired;
                }
            }
            AuthAction::Alive => next.expired = false,
            AuthAction::OpenLogin => {
                next.login_open = true;
                next.reason = LoginReason::Expired;
            }
            AuthAction::CloseLogin => next.login_open = false,
            AuthAction::LoggedOut => {
                next = AuthState::new(None);
                next.reason = LoginReason::LoggedOut;
            }
            AuthAction::Stored(stored) if stored == self.session => return self,
            AuthAction::Stored(None) => return self.reduce(AuthAction::LoggedOut),
            AuthAction::Stored(Some(s)) => next = AuthState::new(Some(s)),
        }
        Rc::new(next)
    }
}

#[component]
pub fn App() -> Html {
    let lang = use_state(load_lang);
    let items = use_state(storage::load_outbox);
    let sending = use_state(|| None::<Uuid>);
    let online = use_state(|| window().navigator().on_line());
    let auth = use_reducer(|| AuthState::new(session::load_session()));

    // Re-read the outbox from storage, the source of truth.
    let refresh = {
        let (items, sending) = (items.setter(), sending.setter());
        Callback::from(move |now_sending: Option<Uuid>| {
            sending.set(now_sending);
            items.set(storage::load_outbox());
        })
    };
    // Sends what is due, as the remembered user; nothing is sent after a logout.
    let send_now = {
        let refresh = refresh.clone();
        let auth = auth.dispatcher();
        Callback::from(move |()| {
            if session::load_session().is_none() {
                return;
            }
            let (refresh, auth) = (refresh.clone(), auth.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match outbox::flush(move |id| refresh.emit(id)).await {
                    outbox::SessionSign::Ended => auth.dispatch(AuthAction::Expired),
                    outbox::SessionSign::Alive => auth.dispatch(AuthAction::Alive),
                    outbox::SessionSign::Unknown => {}
                }
            });
        })
    };
    // Asks the server about the session; `at_start` opens the login page on a 401.
    let check_session = {
        let (auth, send_now) = (auth.dispatcher(), send_now.clone());
        Callback::from(move |at_start: bool| {
            let (auth, send_now) = (auth.clone(), send_now.clone());
            wasm_bindgen_futures::spawn_local(async move {
                if session::logout_pending() {
                    // A logout made offline: end the server's session before anything else.
                    session::finish_logout().await;
                    return;
                }
                match session::me().await {
                    MeAnswer::LoggedIn(s) => auth.dispatch(AuthAction::LoggedIn(s)),
                    MeAnswer::LoggedOut if at_start => auth.dispatch(AuthAction::MeLoggedOut),
                    MeAnswer::LoggedOut => auth.dispatch(AuthAction::Expired),
                    MeAnswer::Unknown => {}
                }
                send_now.emit(());
            });
        })
    };

    {
        let (send_now, refresh, online) = (send_now.clone(), refresh.clone(), online.setter());
        let (check_session, auth) = (check_session.clone(), auth.dispatcher());
        use_effect_with((), move |_| {
            check_session.emit(true);
            let tick = Interval::new(TICK_MS, {
                let send_now = send_now.clone();
                move || send_now.emit(())
            });
            let on_online = EventListener::new(&window(), "online", {
                let online = online.clone();
                move |_| {
                    online.set(true);
                    storage::retry_all_now(js_sys::Date::now());
                    check_session.emit(false);
                }
            });
            let on_offline = EventListener::new(&window(), "offline", move |_| online.set(false));
            // Another tab queued or sent something, or logged in or out.
            let on_storage = EventListener::new(&window(), "storage", move |_| {
                refresh.emit(None);
                auth.dispatch(AuthAction::Stored(session::load_session()));
            });
            move || drop((tick, on_online, on_offline, on_storage))
        });
    }

    let switch_lang = {
        let lang = lang.clone();
        Callback::from(move |_| {
            let next = if *lang == Lang::Zh {
                Lang::En
            } else {
                Lang::Zh
            };
            save_lang(next);
            lang.set(next);
        })
    };
    let on_queued = {
        let (refresh, send_now) = (refresh.clone(), send_now.clone());
        Callback::from(move |()| {
            refresh.emit(None);
            send_now.emit(());
        })
    };
    let on_login = {
        let (auth, send_now) = (auth.dispatcher(), send_now.clone());
        Callback::from(move |s: Session| {
            auth.dispatch(AuthAction::LoggedIn(s));
            // What waited for the login goes now.
            storage::retry_all_now(js_sys::Date::now());
            send_now.emit(());
        })
    };
    let on_logout = {
        let auth = auth.dispatcher();
        Callback::from(move |_: MouseEvent| {
            session::begin_logout();
            auth.dispatch(AuthAction::LoggedOut);
            wasm_bindgen_futures::spawn_local(async {
                session::finish_logout().await;
            });
        })
    };
    let open_login = {
        let auth = auth.dispatcher();
        Callback::from(move |_: MouseEvent| auth.dispatch(AuthAction::OpenLogin))
    };
    let close_login = {
        let auth = auth.dispatcher();
        Callback::from(move |()| auth.dispatch(AuthAction::CloseLogin))
    };

    // 菜单: on a phone the user, logout and language sit behind one button (02-phone.css).
    let menu_open = use_state(|| false);
    let toggle_menu = {
        let menu_open = menu_open.clone();
        Callback::from(move |_: MouseEvent| menu_open.set(!*menu_open))
    };

    let l = *lang;
    let unsent = items.iter().filter(|i| i.is_unsent()).count();
    let page = match &auth.session {
        Some(s) if !auth.login_open => {
            let form = FormPageProps {
                lang: l,
                units: s.units.clone(),
                on_queued,
            };
            let session = s.clone();
            let render = move |route: Route| {
                let f = form.clone();
                let dashboard = html! { <DashboardPage lang={f.lang} session={session.clone()} /> };
                let visit = html! { <VisitPage lang={f.lang} units={f.units.clone()} on_queued={f.on_queued.clone()} /> };
                match route {
                    Route::Home if has_dashboard(&session.user.role) => dashboard,
                    Route::Home | Route::Visit => visit,
                    Route::Dashboard => dashboard,
                    Route::KeyPerson => html! { <KeyPersonPage ..f /> },
                    Route::Meeting => html! { <MeetingPage ..f /> },
                    Route::MonthlyReport => html! { <MonthlyReportPage ..f /> },
                    Route::RightsCase => html! { <RightsCasePage ..f /> },
                    Route::SelfAssessment => html! { <SelfAssessmentPage ..f /> },
                    Route::ModelHome => html! { <ModelHomePage ..f /> },
                    Route::TownAssessment => html! { <TownAssessmentPage ..f /> },
                    Route::Records => {
                        html! { <RecordsPage lang={f.lang} session={session.clone()} /> }
                    }
                    Route::NotFound => html! {
                        <p class="none">{tr(f.lang, "没有这个页面。", "No such page.")}</p>
                    },
                }
            };
            html! {
                <>
                    <Nav lang={l} session={s.clone()} />
                    <Switch<Route> render={render} />
                    <OutboxList lang={l} items={(*items).clone()} sending={*sending} />
                </>
            }
        }
        remembered => html! {
            <LoginPage lang={l} reason={auth.reason} {unsent} online={*online} {on_login}
                username={remembered.as_ref().map(|s| AttrValue::from(s.user.username.clone()))}
                on_cancel={remembered.is_some().then_some(close_login)} />
        },
    };
    html! {
        <BrowserRouter>
        <div class="app" lang={l.pick("zh-CN", "en")}>
            <header class="top">
                <h1>{tr(l, "家家", "Jiajia")}<small>{tr(l, "妇联家家访·月月谈", "Women's federation visits")}</small></h1>
                <span class={classes!("net", if *online { "online" } else { "offline" })}>
                    { if *online { tr(l, "在线", "Online") } else { tr(l, "离线", "Offline") } }
                </span>
                <span id="unsent-count" class={classes!("unsent", (unsent > 0).then_some("some"))} data-count={unsent.to_string()}>
                    {tr(l, "未发送 ", "Unsent ")}{unsent}
                </span>
                if auth.session.is_some() {
                    <crate::components::StorageStatus lang={l} />
                }
                <button type="button" class="menu-toggle" id="menu-toggle" onclick={toggle_menu}
                    aria-controls="top-menu" aria-expanded={menu_open.to_string()}
                    aria-label={tr(l, "菜单", "Menu")}>{"☰"}</button>
                <div id="top-menu" class={classes!("top-menu", menu_open.then_some("open"))}>
                    if let Some(s) = &auth.session {
                        <span class="user" id="current-user" data-username={s.user.username.clone()}>{s.user.display_name.clone()}</span>
                        <button type="button" class="logout" id="logout" onclick={on_logout}
                            title={tr(l, "退出登录：本机的草稿和未发送记录会保留，下次登录后发送",
                                "Log out: drafts and unsent records stay on this device and are sent after the next login")}>
                            {tr(l, "退出登录", "Log out")}
                        </button>
                    }
                    <button type="button" class="lang" onclick={switch_lang}>{tr(l, "English", "中文")}</button>
                </div>
            </header>
            <main>
                if auth.expired && !auth.shows_login() {
                    <div class="banner warn login-banner" id="login-banner" role="alert">
                        <span>{tr(l,
                            "登录已过期：记录仍可填写和提交，会保留在本机，重新登录后自动发送。",
                            "Your session has ended: you can still fill in and submit records; they stay on this device and are sent after you log in again.")}</span>
                        <button type="button" class="primary small" onclick={open_login}>{tr(l, "重新登录", "Log in")}</button>
                    </div>
                }
                {page}
            </main>
        </div>
        </BrowserRouter>
    }
}
