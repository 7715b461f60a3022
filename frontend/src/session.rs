//! 登录 — who is using this device, and the server's login API.
//!
//! The server keeps the session in an HttpOnly cookie the app cannot read; the app remembers
//! the user and their units in `localStorage`, so that after one login it opens and works
//! offline (the form needs the units). Whether the server still knows the session is learnt
//! from its answers: `GET /api/me`, and a 401 to any request.

use gloo::net::http::Request;
use gloo::storage::{LocalStorage, Storage};
use serde::{Deserialize, Serialize};

pub const SESSION_KEY: &str = "jiajia.v1.session";
/// Set when a logout could not reach the server: the cookie may still be alive there, so the
/// next start ends it before anything else.
pub const LOGOUT_PENDING_KEY: &str = "jiajia.v1.logout_pending";

/// A request that takes longer is abandoned.
const TIMEOUT_MS: u32 = 15_000;

/// 用户: the logged-in staff member, as `/api/me` gives it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    /// 角色: `village`, `town`, `city` or `admin`.
    pub role: String,
    /// 所属单位: the user's org unit id; they work in it and every unit below it.
    pub unit: String,
}

/// 组织单位: one unit the user works in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgUnit {
    /// Its path, e.g. `rugao/baipu/linzi`.
    pub id: String,
    pub name: String,
    /// 层级: `city`, `town` or `village`.
    pub level: String,
    #[serde(default)]
    pub parent: Option<String>,
}

impl OrgUnit {
    pub fn is_village(&self) -> bool {
        self.level == "village"
    }
}

/// 会话: the body of `POST /api/login` and `GET /api/me`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub user: User,
    pub units: Vec<OrgUnit>,
}

impl Session {
    /// 村（社区）: the units a visit record may belong to.
    pub fn villages(&self) -> Vec<OrgUnit> {
        self.units
            .iter()
            .filter(|u| u.is_village())
            .cloned()
            .collect()
    }
}

/// The remembered session, if one is stored and readable.
pub fn load_session() -> Option<Session> {
    LocalStorage::get(SESSION_KEY).ok()
}

pub fn save_session(session: &Session) {
    if LocalStorage::set(SESSION_KEY, session).is_err() {
        gloo::console::error!("session not remembered: browser storage is full or blocked");
    }
}

/// Forgets the user. Drafts and the outbox stay: they belong to the device until sent.
pub fn forget_session() {
    LocalStorage::delete(SESSION_KEY);
}

pub fn logout_pending() -> bool {
    LocalStorage::raw()
        .get_item(LOGOUT_PENDING_KEY)
        .ok()
        .flatten()
        .is_some()
}

fn set_logout_pending(pending: bool) {
    if pending {
        let _ = LocalStorage::raw().set_item(LOGOUT_PENDING_KEY, "1");
    } else {
        LocalStorage::delete(LOGOUT_PENDING_KEY);
    }
}

/// Why a login did not succeed.
#[derive(Clone, Debug, PartialEq)]
pub enum LoginError {
    /// The server refused: 401 wrong name or password, 429 too many tries, or another error.
    /// Its own words are shown.
    Refused {
        status: u16,
        message: String,
        message_en: String,
        /// Seconds to wait (429's `Retry-After`).
        retry_after: Option<u32>,
    },
    /// No answer: offline, or the server is down.
    Unreachable,
}

impl LoginError {
    pub fn message(&self, lang: shared::Lang) -> String {
        match self {
            LoginError::Refused {
                message,
                message_en,
                ..
            } => lang.pick(message, message_en).to_owned(),
            LoginError::Unreachable => lang
                .pick(
                    "无法连接服务器，请联网后再登录",
                    "Cannot reach the server: connect to the network to log in",
                )
                .to_owned(),
        }
    }
}

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(default)]
    message: String,
    #[serde(default)]
    message_en: String,
}

/// Reads a refusal's JSON body (`{"error", "message", "message_en"}`); a body that is not
/// that (a proxy's error page) gives `HTTP <status>`.
pub fn refusal(status: u16, body: &str, retry_after: Option<u32>) -> LoginError {
    let parsed = serde_json::from_str::<ErrorBody>(body)
        .ok()
        .filter(|b| !b.message.is_empty());
    let (message, message_en) = match parsed {
        Some(b) => {
            let en = if b.message_en.is_empty() {
                b.message.clone()
            } else {
                b.message_en
            };
            (b.message, en)
        }
        None => (
            format!("服务器错误（HTTP {status}）"),
            format!("Server error (HTTP {status})"),
        ),
    };
    LoginError::Refused {
        status,
        message,
        message_en,
        retry_after,
    }
}

/// `POST /api/login`. On success the server has set the session cookie; the session is
/// remembered here too.
pub async fn login(username: &str, password: &str) -> Result<Session, LoginError> {
    #[derive(Serialize)]
    struct Body<'a> {
        username: &'a str,
        password: &'a str,
    }
    let signal = web_sys::AbortSignal::timeout_with_u32(TIMEOUT_MS);
    let request = Request::post("/api/login")
        .abort_signal(Some(&signal))
        .json(&Body { username, password })
        .map_err(|_| LoginError::Unreachable)?;
    let response = request.send().await.map_err(|_| LoginError::Unreachable)?;
    let status = response.status();
    if response.ok() {
        let session = response
            .json::<Session>()
            .await
            .map_err(|_| refusal(status, "", None))?;
        set_logout_pending(false);
        save_session(&session);
        return Ok(session);
    }
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|s| s.trim().parse().ok());
    let body = response.text().await.unwrap_or_default();
    Err(refusal(status, &body, retry_after))
}

/// What the server says of the session.
#[derive(Clone, Debug, PartialEq)]
pub enum MeAnswer {
    /// Logged in: the user and units as they are now.
    LoggedIn(Session),
    /// 401: no session, or it has ended.
    LoggedOut,
    /// No answer, or one that says nothing about the session (offline, server down).
    Unknown,
}

/// `GET /api/me`; a fresh answer replaces the remembered session.
pub async fn me() -> MeAnswer {
    let signal = web_sys::AbortSignal::timeout_with_u32(TIMEOUT_MS);
    let Ok(response) = Request::get("/api/me")
        .abort_signal(Some(&signal))
        .send()
        .await
    else {
        return MeAnswer::Unknown;
    };
    match response.status() {
        200 => match response.json::<Session>().await {
            Ok(session) => {
                save_session(&session);
                MeAnswer::LoggedIn(session)
            }
            Err(_) => MeAnswer::Unknown,
        },
        401 => MeAnswer::LoggedOut,
        _ => MeAnswer::Unknown,
    }
}

/// Logs out on this device at once: the user is forgotten and nothing more is sent as them.
/// [`finish_logout`] then tells the server; until it has, the logout stays pending.
pub fn begin_logout() {
    forget_session();
    set_logout_pending(true);
}

/// Sends a logout that could not reach the server before; true once the server has it.
pub async fn finish_logout() -> bool {
    let signal = web_sys::AbortSignal::timeout_with_u32(TIMEOUT_MS);
    let sent = Request::post("/api/logout")
        .abort_signal(Some(&signal))
        .send()
        .await
        .is_ok_and(|r| r.ok() || r.status() == 401);
    if sent {
        set_logout_pending(false);
    }
    sent
}
