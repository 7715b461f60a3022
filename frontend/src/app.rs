//! The shell: header (network state, unsent count, user, language), the login page or the form,
//! the outbox; and the loop that sends the outbox whenever the server may be reachable.
//!
//! Offline first: a worker who logged in once on this device unlocks it with her password, also
//! without a network, and works from her vault. The vault locks after an idle time and on
//! logout (which asks whether to keep her data on the device). Only the server's answers end a
//! server session: a 401 to `/api/me` opens the login page, a 401 to a record shows a banner
//! (the form stays usable, the record waits). Drafts and unsent records stay in the vault
//! through all of them unless she removes them.

use std::rc::Rc;

use gloo::events::EventListener;
use gloo::timers::callback::Interval;
use gloo::utils::window;
use uuid::Uuid;
use yew::prelude::*;

use crate::components::OutboxList;
use crate::device::vault::{self, StoreProblem};
use crate::i18n::{Lang, load_lang, save_lang, tr};
use crate::pages::FormPageProps;
use crate::pages::key_person::KeyPersonPage;
use crate::pages::login::{LoginPage, LoginReason};
use crate::pages::meeting::MeetingPage;
use crate::pages::model_home::ModelHomePage;
use crate::pages::monthly_report::MonthlyReportPage;
use crate::pages::records::RecordsPage;
use crate::pages::rights_case::RightsCasePage;
use crate::pages::self_assessment::SelfAssessmentPage;
use crate::pages::tasks::TasksPage;
use crate::pages::visit::VisitPage;
use crate::reach::{self, Reach};
use crate::replica;
use crate::route::{Nav, Route, Router, Switch, has_dashboard, has_rules, has_tasks};
use crate::session::{self, MeAnswer, Session};
use crate::{outbox, storage};

/// How often waiting records are looked at; each one has its own backoff on top.
const TICK_MS: u32 = 3_000;
/// Minutes without use before the vault locks, unless set on this device.
pub const IDLE_MINUTES: u32 = 15;
const IDLE_KEY: &str = "jiajia.v2.idle_minutes";

/// Minutes without use before the vault locks on this device.
pub fn idle_minutes() -> u32 {
    use gloo::storage::{LocalStorage, Storage};
    LocalStorage::get::<u32>(IDLE_KEY)
        .ok()
        .filter(|m| (1..=240).contains(m))
        .unwrap_or(IDLE_MINUTES)
}

pub fn set_idle_minutes(minutes: u32) {
    use gloo::storage::{LocalStorage, Storage};
    let _ = LocalStorage::set(IDLE_KEY, minutes);
}

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
    /// The vault locked (idle, or another tab logged out): the password opens it again.
    Locked,
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
            AuthAction::Locked if self.session.is_none() => return self,
            AuthAction::Locked => {
                next = AuthState::new(None);
                next.reason = LoginReason::Locked;
            }
        }
        Rc::new(next)
    }
}

/// A page of the staff build (完整版: app_build.rs).
enum StaffPage {
    Dashboard,
    TownAssessment,
    RulesCalendar,
    RulesRubric,
    RulesThemes,
}

#[cfg(feature = "staff")]
fn staff_page(page: StaffPage, f: &FormPageProps, session: &Session) -> Html {
    use crate::pages::dashboard::DashboardPage;
    use crate::pages::rules_calendar::RulesCalendarPage;
    use crate::pages::rules_rubric::RulesRubricPage;
    use crate::pages::rules_themes::RulesThemesPage;
    use crate::pages::town_assessment::TownAssessmentPage;
    match page {
        StaffPage::Dashboard => html! { <DashboardPage lang={f.lang} session={session.clone()} /> },
        StaffPage::TownAssessment => html! { <TownAssessmentPage ..f.clone() /> },
        StaffPage::RulesCalendar => html! { <RulesCalendarPage lang={f.lang} /> },
        StaffPage::RulesRubric => html! { <RulesRubricPage lang={f.lang} /> },
        StaffPage::RulesThemes => html! { <RulesThemesPage lang={f.lang} /> },
    }
}

/// The village build has none of them: each says where it is, and offers the switch.
#[cfg(not(feature = "staff"))]
fn staff_page(_: StaffPage, f: &FormPageProps, _: &Session) -> Html {
    html! { <crate::components::StaffBuild lang={f.lang} /> }
}

/// Who had a vault on this device, as the login page shows it (no content: names of accounts
/// and counts of unsent records).
#[derive(Clone, Debug, Default, PartialEq)]
struct DeviceAccounts {
    /// The account used last.
    last: Option<String>,
    /// Unsent records per account.
    unsent: Vec<(String, u32)>,
}

impl DeviceAccounts {
    async fn read() -> DeviceAccounts {
        let mut headers = vault::headers().await;
        crate::sort_by_key(&mut headers, |h| -h.used_ms);
        DeviceAccounts {
            last: headers.first().map(|h| h.username.clone()),
            unsent: headers
                .iter()
                .map(|h| (h.username.clone(), h.unsent))
                .collect(),
        }
    }
}

/// The logout question: keep this account's data on the device (encrypted) or remove it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LogoutAsk {
    No,
    KeepOrRemove,
    /// Removing would lose unsent records: asked again with their number.
    ConfirmRemove(usize),
}

#[component]
pub fn App() -> Html {
    let lang = use_state(load_lang);
    let items = use_state(storage::load_outbox);
    let sending = use_state(|| None::<Uuid>);
    let online = use_state(|| window().navigator().on_line());
    let auth = use_reducer(|| AuthState::new(storage::load_session()));
    let accounts = use_state(DeviceAccounts::default);
    let logout_ask = use_state(|| LogoutAsk::No);
    // Bumped on every tick and vault change: the header re-reads reachability and problems.
    let tick = use_state(|| 0u32);
    let last_use = use_mut_ref(js_sys::Date::now);

    // Re-read the outbox from the vault.
    let refresh = {
        let (items, sending) = (items.setter(), sending.setter());
        Callback::from(move |now_sending: Option<Uuid>| {
            sending.set(now_sending);
            items.set(storage::load_outbox());
        })
    };
    // Sends what is due, as the signed-in worker; nothing is sent while the vault is locked.
    let send_now = {
        let refresh = refresh.clone();
        let auth = auth.dispatcher();
        Callback::from(move |()| {
            if !vault::is_open() || storage::load_session().is_none() {
                return;
            }
            let (refresh, auth) = (refresh.clone(), auth.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let sign = outbox::flush(move |id| refresh.emit(id)).await;
                match sign {
                    outbox::SessionSign::Ended => auth.dispatch(AuthAction::Expired),
                    outbox::SessionSign::Alive => auth.dispatch(AuthAction::Alive),
                    outbox::SessionSign::Unknown => {}
                }
                // What was sent comes back in the feed; the replica is pulled every few
                // minutes (and at once after a login or a reconnection).
                if sign != outbox::SessionSign::Ended {
                    replica::pull(false).await;
                }
            });
        })
    };
    // Asks the server about the session (once the vault is open).
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
                if !vault::is_open() {
                    reach::ping().await;
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
    let read_accounts = {
        let accounts = accounts.setter();
        Callback::from(move |()| {
            let accounts = accounts.clone();
            wasm_bindgen_futures::spawn_local(async move {
                accounts.set(DeviceAccounts::read().await);
            });
        })
    };

    {
        let (send_now, refresh, online) = (send_now.clone(), refresh.clone(), online.setter());
        let (check_session, auth) = (check_session.clone(), auth.dispatcher());
        let (tick, last_use, read_accounts) =
            (tick.setter(), last_use.clone(), read_accounts.clone());
        use_effect_with((), move |_| {
            check_session.emit(true);
            read_accounts.emit(());
            let counter = std::rc::Rc::new(std::cell::Cell::new(0u32));
            let bump = {
                let (tick, counter) = (tick.clone(), counter.clone());
                move || {
                    counter.set(counter.get().wrapping_add(1));
                    tick.set(counter.get());
                }
            };
            let timer = Interval::new(TICK_MS, {
                let (send_now, auth, bump) = (send_now.clone(), auth.clone(), bump.clone());
                let last_use = last_use.clone();
                move || {
                    let now = js_sys::Date::now();
                    vault::retry();
                    send_now.emit(());
                    if Reach::stale(now) {
                        wasm_bindgen_futures::spawn_local(reach::ping());
                    }
                    // Idle: the key is dropped and the unlock page shown.
                    let idle_ms = f64::from(idle_minutes()) * 60_000.0;
                    if vault::is_open() && now - *last_use.borrow() > idle_ms {
                        let auth = auth.clone();
                        wasm_bindgen_futures::spawn_local(async move {
                            if vault::lock().await {
                                auth.dispatch(AuthAction::Locked);
                            }
                        });
                    }
                    bump();
                }
            });
            let used = ["pointerdown", "keydown", "input", "scroll"].map(|event| {
                let last_use = last_use.clone();
                EventListener::new(&window(), event, move |_| {
                    *last_use.borrow_mut() = js_sys::Date::now();
                })
            });
            let on_online = EventListener::new(&window(), "online", {
                let online = online.clone();
                move |_| {
                    online.set(true);
                    storage::retry_all_now(js_sys::Date::now());
                    replica::pull_soon();
                    check_session.emit(false);
                }
            });
            let on_offline = EventListener::new(&window(), "offline", move |_| online.set(false));
            // Another tab changed the vault (queued, sent), or it locked or hit a problem.
            let on_vault = vault::listen(move || {
                refresh.emit(None);
                if !vault::is_open() {
                    storage::forget_cached();
                    replica::forget_cached();
                    auth.dispatch(AuthAction::Locked);
                }
                bump();
            });
            move || drop((timer, used, on_online, on_offline, on_vault))
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
        let (auth, send_now, refresh) = (auth.dispatcher(), send_now.clone(), refresh.clone());
        let last_use = last_use.clone();
        Callback::from(move |s: Session| {
            *last_use.borrow_mut() = js_sys::Date::now();
            crate::app_build::logged_in_as(&s.user.role);
            auth.dispatch(AuthAction::LoggedIn(s));
            // What waited for the login goes now, and the replica is brought up to date.
            storage::retry_all_now(js_sys::Date::now());
            replica::pull_soon();
            refresh.emit(None);
            send_now.emit(());
        })
    };
    let open_logout = {
        let logout_ask = logout_ask.setter();
        Callback::from(move |_: MouseEvent| logout_ask.set(LogoutAsk::KeepOrRemove))
    };
    // Logs out, keeping the vault (locked) or removing it.
    let logout = {
        let (auth, logout_ask, read_accounts) = (
            auth.dispatcher(),
            logout_ask.setter(),
            read_accounts.clone(),
        );
        let (items, tick) = (items.setter(), tick.setter());
        Callback::from(move |remove: bool| {
            let (auth, logout_ask, read_accounts) =
                (auth.clone(), logout_ask.clone(), read_accounts.clone());
            let (items, tick) = (items.clone(), tick.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let account = vault::account();
                let done = match (&account, remove) {
                    (Some(a), true) => vault::remove(a).await.is_ok(),
                    _ => vault::lock_everywhere().await,
                };
                if !done {
                    // Storage is full: locking now would lose what is not stored yet.
                    tick.set(u32::MAX);
                    logout_ask.set(LogoutAsk::No);
                    return;
                }
                session::begin_logout();
                logout_ask.set(LogoutAsk::No);
                items.set(Vec::new());
                auth.dispatch(AuthAction::LoggedOut);
                read_accounts.emit(());
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

    let idle = idle_minutes();
    let on_idle = {
        let tick = tick.setter();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            if let Ok(m) = select.value().parse() {
                set_idle_minutes(m);
                tick.set(m);
            }
        })
    };
    let l = *lang;
    let unsent = storage::unsent_count();
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
                let dashboard = staff_page(StaffPage::Dashboard, &f, &session);
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
                    Route::TownAssessment => staff_page(StaffPage::TownAssessment, &f, &session),
                    Route::RulesCalendar if has_rules(&session.user.role) => {
                        staff_page(StaffPage::RulesCalendar, &f, &session)
                    }
                    Route::RulesRubric if has_rules(&session.user.role) => {
                        staff_page(StaffPage::RulesRubric, &f, &session)
                    }
                    Route::RulesThemes if has_rules(&session.user.role) => {
                        staff_page(StaffPage::RulesThemes, &f, &session)
                    }
                    Route::Tasks if has_tasks(&session.user.role) => {
                        html! { <TasksPage lang={f.lang} session={session.clone()} /> }
                    }
                    Route::Records => {
                        html! { <RecordsPage lang={f.lang} session={session.clone()} /> }
                    }
                    Route::NotFound
                    | Route::Tasks
                    | Route::RulesCalendar
                    | Route::RulesRubric
                    | Route::RulesThemes => html! {
                        <p class="none">{tr(f.lang, "没有这个页面。", "No such page.")}</p>
                    },
                }
            };
            html! {
                <>
                    <Nav lang={l} session={s.clone()} />
                    <Switch {render} />
                    <OutboxList lang={l} items={(*items).clone()} sending={*sending} />
                </>
            }
        }
        remembered => {
            let name = remembered
                .as_ref()
                .map(|s| s.user.username.clone())
                .or_else(|| accounts.last.clone());
            // The open vault's own count is live; the others' as their headers last said.
            let open = vault::account();
            let mut per_account: Vec<(String, usize)> = accounts
                .unsent
                .iter()
                .filter(|(u, _)| Some(u) != open.as_ref())
                .map(|(u, n)| (u.clone(), *n as usize))
                .collect();
            per_account.extend(open.map(|u| (u, unsent)));
            html! {
                <LoginPage lang={l} reason={auth.reason} {per_account} online={*online} {on_login}
                    username={name.map(AttrValue::from)}
                    on_cancel={remembered.is_some().then_some(close_login)} />
            }
        }
    };
    let reach_now = Reach::now(*online);
    let (net_class, net_label) = match reach_now {
        Reach::Online => ("online", tr(l, "在线", "Online")),
        Reach::Unreachable => ("unreachable", tr(l, "服务器无法连接", "Server unreachable")),
        Reach::Offline => ("offline", tr(l, "离线", "Offline")),
        Reach::Unknown => ("checking", tr(l, "连接中…", "Connecting…")),
    };
    let problem = vault::problem().map(|p| {
        let text = match (&p, l) {
            (StoreProblem::Full, _) => l.pick(
                "本机存储空间已满：刚填写的内容只保留在本页内存中，请勿关闭或刷新页面；发送记录或删除旧草稿后会自动保存。",
                "This device's storage is full: what you just typed is kept only in this page's memory; do not close or reload it. It is stored once records are sent or old drafts discarded.").to_owned(),
            (StoreProblem::MemoryOnly, _) => l.pick(
                "此连接不是 HTTPS，浏览器不提供加密：本机不保存任何数据，关闭页面前请提交。",
                "This connection is not HTTPS, so the browser offers no encryption: nothing is kept on this device; submit before closing the page.").to_owned(),
            (StoreProblem::Failed(why), Lang::Zh) => format!("本机存储出错：{why}。已填写的内容保留在本页内存中。"),
            (StoreProblem::Failed(why), Lang::En) => format!("Device storage failed: {why}. What you typed is kept in this page's memory."),
        };
        let kind = match p {
            StoreProblem::Full => "full",
            StoreProblem::MemoryOnly => "memory-only",
            StoreProblem::Failed(_) => "failed",
        };
        html! { <div class="banner error store-problem" id="store-problem" data-problem={kind} role="alert">{text}</div> }
    });
    // Said apart from `problem`: a full device must not hide damaged items.
    let unreadable = match vault::unreadable() {
        0 => html! {},
        n => html! {
            <div class="banner error store-problem" id="store-unreadable" role="alert">
                { match l {
                    Lang::Zh => format!("本机有 {n} 条加密数据已损坏或被改动，无法打开（未删除）。"),
                    Lang::En => format!("{n} encrypted items on this device are damaged or were altered and cannot be opened (kept, not deleted)."),
                } }
            </div>
        },
    };
    let memory_only = vault::problem() == Some(StoreProblem::MemoryOnly);
    let logout_dialog = match *logout_ask {
        LogoutAsk::No => html! {},
        ask => {
            let keep = logout.reform(|_: MouseEvent| false);
            let remove = {
                let (logout, logout_ask) = (logout.clone(), logout_ask.setter());
                Callback::from(move |_: MouseEvent| match ask {
                    LogoutAsk::KeepOrRemove if unsent > 0 => {
                        logout_ask.set(LogoutAsk::ConfirmRemove(unsent))
                    }
                    _ => logout.emit(true),
                })
            };
            let cancel = {
                let logout_ask = logout_ask.setter();
                Callback::from(move |_: MouseEvent| logout_ask.set(LogoutAsk::No))
            };
            html! {
                <div class="dialog logout-dialog" id="logout-dialog" role="alertdialog" aria-modal="true">
                    if let LogoutAsk::ConfirmRemove(n) = ask {
                        <p class="banner error" id="logout-remove-warning">{ match l {
                            Lang::Zh => format!("本机还有 {n} 条未发送的记录！删除后将无法恢复，也不会再发送。确定删除吗？"),
                            Lang::En => format!("{n} records on this device are not sent yet! Removing loses them for good. Remove anyway?"),
                        } }</p>
                        <div class="actions">
                            <button type="button" class="danger" id="logout-remove-confirm" onclick={remove}>
                                { match l { Lang::Zh => format!("删除，包括 {n} 条未发送记录"), Lang::En => format!("Remove, with the {n} unsent records") } }
                            </button>
                            <button type="button" class="primary" id="logout-keep" onclick={keep}>{tr(l, "保留在本机（加密）", "Keep on this device (encrypted)")}</button>
                            <button type="button" class="link" onclick={cancel}>{tr(l, "取消", "Cancel")}</button>
                        </div>
                    } else if memory_only {
                        // Nothing is stored on this connection: "keep" holds it in this page only.
                        <p class="banner warn" id="logout-memory-warning">{ match l {
                            Lang::Zh => format!("此连接不是 HTTPS，本机不保存任何数据：退出后，本账号的草稿{}只保留在本页内存中，直到再次登录；关闭或刷新页面就会丢失。",
                                if unsent > 0 { format!("和 {unsent} 条未发送的记录") } else { String::new() }),
                            Lang::En => format!("This connection is not HTTPS, so nothing is stored on this device: after logging out, this account's drafts{} stay only in this page's memory until the next login, and are lost if the page is closed or reloaded.",
                                if unsent > 0 { format!(" and {unsent} unsent records") } else { String::new() }),
                        } }</p>
                        <div class="actions">
                            <button type="button" class="primary" id="logout-keep" onclick={keep}>{tr(l, "退出，保留在本页（关闭页面即丢失）", "Log out, keep in this page (lost on closing it)")}</button>
                            <button type="button" class="danger" id="logout-remove" onclick={remove}>{tr(l, "退出并清除", "Log out and clear")}</button>
                            <button type="button" class="link" onclick={cancel}>{tr(l, "取消", "Cancel")}</button>
                        </div>
                    } else {
                        <p>{tr(l, "退出登录：本账号的草稿和记录要保留在本机吗？保留的数据是加密的，只有用您的密码才能打开。",
                            "Log out: keep this account's drafts and records on this device? They are kept encrypted and open only with your password.")}</p>
                        <div class="actions">
                            <button type="button" class="primary" id="logout-keep" onclick={keep}>{tr(l, "保留在本机（加密）", "Keep on this device (encrypted)")}</button>
                            <button type="button" class="danger" id="logout-remove" onclick={remove}>{tr(l, "从本机删除", "Remove from this device")}</button>
                            <button type="button" class="link" onclick={cancel}>{tr(l, "取消", "Cancel")}</button>
                        </div>
                    }
                </div>
            }
        }
    };
    html! {
        <Router>
        <div class="app" lang={l.pick("zh-CN", "en")} data-tick={tick.to_string()}
            data-build={crate::app_build::Build::CURRENT.name()}>
            <header class="top">
                <h1>{tr(l, "家家", "Jiajia")}<small>{tr(l, "妇联家家访·月月谈", "Women's federation visits")}</small></h1>
                <span id="net-state" class={classes!("net", net_class)} data-reach={net_class}>{net_label}</span>
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
                        <button type="button" class="logout" id="logout" onclick={open_logout}
                            title={tr(l, "退出登录并锁定本机数据", "Log out and lock this device's data")}>
                            {tr(l, "退出登录", "Log out")}
                        </button>
                    }
                    if auth.session.is_some() {
                        <label class="idle-lock" title={tr(l, "多久不操作后锁定本机数据（需输入密码解锁）",
                            "Lock this device's data after this long without use (the password unlocks it)")}>
                            {tr(l, "自动锁定", "Auto-lock")}
                            <select id="idle-minutes" onchange={on_idle}>
                                { for [5u32, 15, 30, 60].into_iter().map(|m| html! {
                                    <option value={m.to_string()} selected={m == idle}>
                                        { match l { Lang::Zh => format!("{m} 分钟"), Lang::En => format!("{m} min") } }
                                    </option>
                                }) }
                            </select>
                        </label>
                    }
                    <button type="button" class="lang" onclick={switch_lang}>{tr(l, "English", "中文")}</button>
                </div>
            </header>
            <main>
                {problem}
                {unreadable}
                {logout_dialog}
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
        </Router>
    }
}
