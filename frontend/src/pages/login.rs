//! 登录 — the login page: username and password, and the server's own words when it refuses
//! (wrong name or password, too many tries).

use std::rc::Rc;

use gloo::timers::callback::Timeout;
use shared::Lang;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::boot;
use crate::i18n::tr;
use crate::session::{self, LoginError, Session};

/// Why the login page is shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LoginReason {
    /// 首次登录: no user is remembered on this device.
    #[default]
    FirstUse,
    /// 登录已过期: the server no longer knows the session.
    Expired,
    /// 已退出: the user just logged out.
    LoggedOut,
    /// 已锁定: the vault locked after the idle time; the password opens it again.
    Locked,
}

/// The page's state: what is typed, and how the last try went.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LoginState {
    pub username: String,
    pub password: String,
    /// A login request is on its way.
    pub busy: bool,
    /// A try to log in with a field left empty.
    pub missing: bool,
    /// Why the last try failed.
    pub error: Option<LoginError>,
    /// Too many tries: no new one before this time (ms since the epoch).
    pub blocked_until_ms: Option<f64>,
}

pub enum LoginAction {
    Username(String),
    Password(String),
    /// The form was submitted: starts a request, or marks the empty fields.
    Submit,
    /// The server refused, or did not answer; `now_ms` is when.
    Failed {
        error: LoginError,
        now_ms: f64,
    },
    /// The wait after too many tries is over.
    Unblock,
    Succeeded,
}

impl LoginState {
    pub fn new(username: String) -> Self {
        LoginState {
            username,
            ..LoginState::default()
        }
    }

    /// Whether a submit now sends a request.
    pub fn ready(&self) -> bool {
        !self.busy
            && self.blocked_until_ms.is_none()
            && !self.username.trim().is_empty()
            && !self.password.is_empty()
    }
}

impl Reducible for LoginState {
    type Action = LoginAction;

    fn reduce(self: Rc<Self>, action: LoginAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            LoginAction::Username(v) => next.username = v,
            LoginAction::Password(v) => next.password = v,
            LoginAction::Submit => {
                if self.username.trim().is_empty() || self.password.is_empty() {
                    next.missing = true;
                } else if self.ready() {
                    next.busy = true;
                    next.missing = false;
                    next.error = None;
                }
            }
            LoginAction::Failed { error, now_ms } => {
                next.busy = false;
                if let LoginError::Refused {
                    retry_after: Some(s),
                    ..
                } = &error
                {
                    next.blocked_until_ms = Some(now_ms + f64::from(*s) * 1000.0);
                }
                // A wrong password is typed again from scratch; a network failure keeps it.
                if matches!(error, LoginError::Refused { status: 401, .. }) {
                    next.password.clear();
                }
                next.error = Some(error);
            }
            LoginAction::Unblock => next.blocked_until_ms = None,
            LoginAction::Succeeded => {
                next.busy = false;
                next.password.clear();
                next.error = None;
            }
        }
        Rc::new(next)
    }
}

#[derive(Properties, PartialEq)]
pub struct LoginPageProps {
    pub lang: Lang,
    /// The remembered user's name, filled in.
    #[prop_or_default]
    pub username: Option<AttrValue>,
    #[prop_or_default]
    pub reason: LoginReason,
    /// Unsent records of the remembered account on this device (sent after its login).
    #[prop_or_default]
    pub unsent: usize,
    /// Unsent records of other accounts on this device: only their number is shown.
    #[prop_or_default]
    pub others_unsent: usize,
    /// Unsent records per account on this device: when given, the page counts "this
    /// account's" and "other accounts'" for the name typed.
    #[prop_or_default]
    pub per_account: Vec<(String, usize)>,
    #[prop_or(true)]
    pub online: bool,
    /// Logged in; the session is already remembered.
    pub on_login: Callback<Session>,
    /// Back to the form without logging in; only offered when a user is remembered.
    #[prop_or_default]
    pub on_cancel: Option<Callback<()>>,
}

#[component]
pub fn LoginPage(p: &LoginPageProps) -> Html {
    let lang = p.lang;
    let t = |zh: &'static str, en: &'static str| tr(lang, zh, en);
    // What was typed into the start screen while the app loaded, on the first login page; its
    // password moves into the page's state, the one place that holds it.
    let typed = use_mut_ref(boot::take_typed);
    let state = use_reducer({
        let name = p
            .username
            .as_ref()
            .map(|n| n.to_string())
            .unwrap_or_default();
        let typed = typed.clone();
        move || match typed.borrow_mut().as_mut() {
            Some(t) => LoginState {
                password: std::mem::take(&mut t.password),
                ..LoginState::new(if t.username.is_empty() {
                    name
                } else {
                    t.username.clone()
                })
            },
            None => LoginState::new(name),
        }
    });

    // The device's last account is learnt after the page shows: filled in unless something
    // was typed meanwhile.
    use_effect_with(p.username.clone(), {
        let state = state.clone();
        move |name: &Option<AttrValue>| {
            if let Some(name) = name
                && state.username.is_empty()
            {
                state.dispatch(LoginAction::Username(name.to_string()));
            }
        }
    });

    // After too many tries, the button comes back by itself.
    use_effect_with(state.blocked_until_ms, {
        let d = state.dispatcher();
        move |until| {
            let timer = until.map(|until| {
                let wait = (until - js_sys::Date::now()).clamp(0.0, 3_600_000.0) as u32;
                Timeout::new(wait, move || d.dispatch(LoginAction::Unblock))
            });
            move || drop(timer)
        }
    });

    let submit = {
        let state = state.clone();
        let on_login = p.on_login.clone();
        Callback::from(move |()| {
            let go = state.ready();
            state.dispatch(LoginAction::Submit);
            if !go {
                return;
            }
            let (username, password) = (state.username.trim().to_owned(), state.password.clone());
            let (d, on_login) = (state.dispatcher(), on_login.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match session::sign_in(&username, &password).await {
                    Ok(s) => {
                        d.dispatch(LoginAction::Succeeded);
                        on_login.emit(s);
                    }
                    Err(error) => d.dispatch(LoginAction::Failed {
                        error,
                        now_ms: js_sys::Date::now(),
                    }),
                }
            });
        })
    };
    let onsubmit = submit.reform(|e: SubmitEvent| e.prevent_default());
    // 登录 pressed on the start screen: logged in now, with what was typed there; or the
    // caret back where it was.
    use_effect_with((), move |_| {
        if let Some(t) = typed.borrow_mut().take() {
            if t.submitted {
                submit.emit(());
            } else if let Some(field) = t.focus {
                boot::refocus(field);
            }
        }
    });
    let on_username = {
        let d = state.dispatcher();
        Callback::from(move |e: InputEvent| {
            d.dispatch(LoginAction::Username(
                e.target_unchecked_into::<HtmlInputElement>().value(),
            ))
        })
    };
    let on_password = {
        let d = state.dispatcher();
        Callback::from(move |e: InputEvent| {
            d.dispatch(LoginAction::Password(
                e.target_unchecked_into::<HtmlInputElement>().value(),
            ))
        })
    };

    let notice = match p.reason {
        LoginReason::FirstUse => t(
            "请使用妇联工作账号登录。登录一次后，本机断网时也能填写和保存表单。",
            "Log in with your federation account. After one login, this device can fill in and keep forms offline.",
        ),
        LoginReason::Expired => t(
            "登录已过期，请重新登录。",
            "Your session has ended: please log in again.",
        ),
        LoginReason::LoggedOut => t("已退出登录。", "You have logged out."),
        LoginReason::Locked => t(
            "长时间未操作，本机数据已锁定：请输入密码解锁（离线也可以）。",
            "Locked after a while without use: enter your password to unlock (works offline too).",
        ),
    };
    let (unsent, others_unsent) = if p.per_account.is_empty() {
        (p.unsent, p.others_unsent)
    } else {
        let typed = state.username.trim().to_ascii_lowercase();
        p.per_account
            .iter()
            .fold((0, 0), |(mine, others), (user, n)| {
                if *user == typed {
                    (mine + n, others)
                } else {
                    (mine, others + n)
                }
            })
    };
    let missing = |v: &str| state.missing && v.trim().is_empty();
    let blocked = state.blocked_until_ms.is_some();
    let button = if state.busy {
        t("登录中…", "Logging in…")
    } else if blocked {
        t("请稍后再试", "Please wait")
    } else {
        t("登录", "Log in")
    };

    html! {
        <div class="login-page">
            <form class="login-form" {onsubmit} novalidate=true>
                <h2>{t("登录", "Log in")}</h2>
                <p class={classes!("notice", format!("reason-{:?}", p.reason).to_ascii_lowercase())}>{notice}</p>
                if !p.online {
                    <p class="banner warn">{t("当前离线：已在本机登录过的账号可用密码离线解锁；首次登录需联网。",
                        "Offline: an account that logged in on this device before unlocks with its password; a first login needs the network.")}</p>
                }
                <div class={classes!("field", missing(&state.username).then_some("has-error"))}>
                    <label for="login-username">{t("用户名", "Username")}</label>
                    <input id="login-username" name="username" type="text" autocomplete="username"
                        autocapitalize="none" spellcheck="false" value={state.username.clone()}
                        oninput={on_username} aria-invalid={missing(&state.username).then_some("true")} />
                </div>
                <div class={classes!("field", missing(&state.password).then_some("has-error"))}>
                    <label for="login-password">{t("密码", "Password")}</label>
                    <input id="login-password" name="password" type="password" autocomplete="current-password"
                        value={state.password.clone()} oninput={on_password}
                        aria-invalid={missing(&state.password).then_some("true")} />
                </div>
                if state.missing {
                    <p class="error" id="login-missing" role="alert">{t("请填写用户名和密码", "Enter your username and password")}</p>
                }
                if let Some(e) = &state.error {
                    <p class="banner error" id="login-error" role="alert"
                        data-status={match e { LoginError::Refused { status, .. } => status.to_string(), _ => "0".into() }}>
                        {e.message(lang)}
                    </p>
                }
                <div class="actions">
                    <button type="submit" class="primary" disabled={state.busy || blocked}>{button}</button>
                    if let Some(cancel) = &p.on_cancel {
                        <button type="button" class="link" onclick={cancel.reform(|_| ())}>
                            {t("先填写表单，稍后登录", "Fill in forms now, log in later")}
                        </button>
                    }
                </div>
                <p class="hint device-note" id="device-note">
                    if unsent > 0 {
                        { match lang {
                            Lang::Zh => format!("本机有此账号 {unsent} 条未发送的记录。"),
                            Lang::En => format!("{unsent} unsent records of this account are on this device. "),
                        } }
                    }
                    {t(
                        "每个账号的草稿和未发送记录都加密保存在本机，只有用该账号的密码才能打开；登录后自动发送，发送成功前一直保留。",
                        "Each account's drafts and unsent records are kept encrypted on this device and open only with that account's password; they are sent after its login and kept until the server has them.",
                    )}
                </p>
                if others_unsent > 0 {
                    <p class="hint" id="others-unsent">{ match lang {
                        Lang::Zh => format!("本机还有其他账号的 {others_unsent} 条未发送记录（加密保存，其账号登录后发送）。"),
                        Lang::En => format!("This device also holds {others_unsent} unsent records of other accounts (encrypted; sent after their login)."),
                    } }</p>
                }
            </form>
        </div>
    }
}
