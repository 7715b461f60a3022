//! 登录 — who is using this device, and the server's login API.
//!
//! The server keeps the session in an HttpOnly cookie the app cannot read; the app keeps the
//! user and their units in the worker's vault, so that after one login the password unlocks
//! the app offline (the form needs the units). Whether the server still knows the session is
//! learnt from its answers: `GET /api/me`, and a 401 to any request.
//!
//! Signing in opens the worker's vault: online, the server's answer carries the account's
//! vault secret (a vault whose password changed is re-wrapped with it); offline, the password
//! alone opens the vault already on the device.

use gloo::net::http::Request;
use gloo::storage::{LocalStorage, Storage};
use serde::{Deserialize, Serialize};

use crate::device::{migrate, vault};
use crate::storage;

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
    /// No answer: offline, or the server is down (and no vault of this account here).
    Unreachable,
    /// Offline, and the password does not open this account's vault on the device.
    WrongOfflinePassword,
    /// The device's storage is full: no vault can be made for a first login here.
    DeviceFull,
    /// The device could not open or make the vault.
    Vault(String),
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
                    "无法连接服务器。本机没有此账号的数据，首次登录请联网",
                    "Cannot reach the server, and this device holds no data of this account: log in online the first time",
                )
                .to_owned(),
            LoginError::WrongOfflinePassword => lang
                .pick(
                    "离线解锁：密码不正确（本机数据只能用此账号的密码打开）",
                    "Offline unlock: wrong password (this account's data on the device opens only with its password)",
                )
                .to_owned(),
            LoginError::DeviceFull => lang
                .pick(
                    "本机存储空间已满，无法为此账号建立加密存储：请先清理手机存储空间（如照片、视频），再登录",
                    "This device's storage is full, so no encrypted store can be made for this account: free some space (photos, videos) and log in again",
                )
                .to_owned(),
            LoginError::Vault(why) => match lang {
                shared::Lang::Zh => format!("无法打开本机加密数据：{why}"),
                shared::Lang::En => format!("Cannot open the encrypted data on this device: {why}"),
            },
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
    let parsed = shared::json::read::<ErrorBody>(body)
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

/// Signs in: online through the server (which also sets the session cookie), else offline
/// with the vault on this device; either way the account's vault is open after it, holding
/// the session, and what the old version left in `localStorage` has moved into it.
pub async fn sign_in(username: &str, password: &str) -> Result<Session, LoginError> {
    // Usernames are ASCII (a-z, 0-9, `.`, `_`), so ASCII lowercase finds every account; the
    // server lowercases what it is sent again. (Unicode's tables cost the app ~1.5 KB.)
    let typed = username.trim().to_ascii_lowercase();
    let session = match login(&typed, password).await {
        Ok((session, secret)) => {
            open_vault(&session.user.username, password, Some(&secret)).await?;
            session
        }
        Err(LoginError::Unreachable) => {
            open_vault(&typed, password, None).await?;
            match storage::load_session() {
                Some(s) => s,
                None => {
                    vault::lock().await;
                    return Err(LoginError::Unreachable);
                }
            }
        }
        Err(e) => return Err(e),
    };
    migrate::from_local_storage().await;
    let _ = storage::save_session(&session);
    Ok(session)
}

async fn open_vault(
    username: &str,
    password: &str,
    secret: Option<&[u8]>,
) -> Result<(), LoginError> {
    if vault::account().as_deref() == Some(username) {
        return Ok(());
    }
    if !vault::lock().await {
        // The open vault holds what storage could not take (full): switching accounts would
        // lose it.
        return Err(LoginError::Vault(
            "本机存储已满，当前账号还有未保存的内容：请先删除旧草稿或发送记录 / storage is full and the open account has unsaved work: discard old drafts or send records first".into(),
        ));
    }
    match vault::unlock(username, password, secret, storage::resolve).await {
        Ok(()) => Ok(()),
        // Plain HTTP: no WebCrypto, so nothing is kept once the page closes (the shell says so).
        Err(vault::VaultError::Unavailable(_)) if secret.is_some() => {
            vault::open_in_memory(username, storage::resolve);
            Ok(())
        }
        Err(vault::VaultError::WrongPassword) if secret.is_none() => {
            Err(LoginError::WrongOfflinePassword)
        }
        Err(vault::VaultError::NoVault | vault::VaultError::Unavailable(_)) => {
            Err(LoginError::Unreachable)
        }
        Err(vault::VaultError::WrongPassword) => Err(LoginError::Vault(
            "本机数据用另一密码加密 / the device's data is sealed under another password".into(),
        )),
        Err(vault::VaultError::Full) => Err(LoginError::DeviceFull),
        Err(vault::VaultError::Failed(why)) => Err(LoginError::Vault(why)),
    }
}

/// The login answer: the session and the account's vault secret.
#[derive(Deserialize)]
struct LoginAnswer {
    #[serde(flatten)]
    session: Session,
    #[serde(default)]
    vault_secret: String,
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    s.len()
        .is_multiple_of(2)
        .then(|| {
            (0..s.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
                .collect()
        })
        .flatten()
}

/// `POST /api/login`. On success the server has set the session cookie.
pub async fn login(username: &str, password: &str) -> Result<(Session, Vec<u8>), LoginError> {
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
        let answer = crate::api::body::<LoginAnswer>(&response)
            .await
            .map_err(|_| refusal(status, "", None))?;
        let secret = unhex(&answer.vault_secret)
            .filter(|s| s.len() == 32)
            .ok_or_else(|| refusal(status, "", None))?;
        set_logout_pending(false);
        crate::reach::answered();
        return Ok((answer.session, secret));
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
        crate::reach::failed();
        return MeAnswer::Unknown;
    };
    crate::reach::answered();
    match response.status() {
        200 => match crate::api::body::<Session>(&response).await {
            Ok(session) => {
                let _ = storage::save_session(&session);
                MeAnswer::LoggedIn(session)
            }
            Err(_) => MeAnswer::Unknown,
        },
        401 => MeAnswer::LoggedOut,
        _ => MeAnswer::Unknown,
    }
}

/// Logs out on this device at once: nothing more is sent as the user. [`finish_logout`] then
/// tells the server; until it has, the logout stays pending.
pub fn begin_logout() {
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
