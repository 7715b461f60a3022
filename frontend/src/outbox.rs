//! Sends the outbox to the server, one item at a time, with backoff.
//!
//! Only the server's acknowledgement takes a record out of 等待发送. A 401 is no verdict on the
//! record: the session has ended, so it waits for the next login.

use std::cell::Cell;

use crate::storage::{self, OutboxItem, RefusedField, SendState};
use gloo::net::http::Request;
use serde::Deserialize;

/// A request that takes longer is abandoned and retried later.
const TIMEOUT_MS: u32 = 15_000;
const FIRST_DELAY_MS: f64 = 2_000.0;
const MAX_DELAY_MS: f64 = 30_000.0;

thread_local! {
    static FLUSHING: Cell<bool> = const { Cell::new(false) };
}

/// What one try came to.
#[derive(Debug, PartialEq)]
pub enum Outcome {
    /// Stored as this version (the server's answer says which).
    Acknowledged {
        version: Option<i64>,
    },
    /// 401: the session has ended; the record waits until someone logs in again.
    LoggedOut,
    Refused {
        status: u16,
        message: String,
        fields: Vec<RefusedField>,
    },
    TryLater(String),
}

#[derive(Deserialize)]
struct ErrorBody {
    message: String,
    #[serde(default)]
    fields: Vec<RefusedField>,
}

/// What a status says of a sent record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// 2xx: stored (or already stored).
    Acknowledged,
    /// 401: not logged in; the record itself may be fine.
    LoggedOut,
    /// 403 / 404: this account may not write it (e.g. another village's record, left on the
    /// device by a colleague); someone who may can send it after logging in.
    NotThisAccount,
    /// Other 4xx (409 conflict, 422 field errors …): sending the same body again cannot help.
    Refused,
    /// 5xx, 408, 429: may pass.
    TryLater,
}

/// Decides from the status alone what to do with the record.
pub fn classify(status: u16) -> Verdict {
    match status {
        200..=299 => Verdict::Acknowledged,
        401 => Verdict::LoggedOut,
        403 | 404 => Verdict::NotThisAccount,
        408 | 429 => Verdict::TryLater,
        400..=499 => Verdict::Refused,
        _ => Verdict::TryLater,
    }
}

/// The last error of a record waiting for a login.
pub const PLEASE_LOG_IN: &str = "请先登录 / please log in";
/// The last error of a record this account may not send.
pub const NOT_THIS_ACCOUNT: &str = "当前账号无权提交此村（社区）的记录，请以该村账号登录后发送 / this account may not send this village's record: log in with one that may";

/// Wait before the next try after `attempts` failures: 2 s, 4 s, 8 s … at most 30 s.
pub fn backoff_ms(attempts: u32) -> f64 {
    (FIRST_DELAY_MS * 2f64.powi(attempts.saturating_sub(1).min(16) as i32)).min(MAX_DELAY_MS)
}

pub async fn send(item: &OutboxItem) -> Outcome {
    let signal = web_sys::AbortSignal::timeout_with_u32(TIMEOUT_MS);
    let builder = match item.edit_of {
        None => Request::post(&format!("/api/{}", item.kind.path())),
        Some(base) => {
            let id = item
                .body
                .get("id")
                .and_then(|v| v.as_str())
                .unwrap_or_default();
            Request::put(&format!("/api/{}/{id}", item.kind.path()))
                .header("If-Match", &format!("\"{base}\""))
        }
    };
    let request = match builder.abort_signal(Some(&signal)).json(&item.body) {
        Ok(r) => r,
        Err(e) => return Outcome::TryLater(e.to_string()),
    };
    let response = match request.send().await {
        Ok(r) => r,
        Err(_) => {
            crate::reach::failed();
            return Outcome::TryLater("无法连接服务器 / server unreachable".into());
        }
    };
    crate::reach::answered();
    let status = response.status();
    match classify(status) {
        Verdict::Acknowledged => {
            #[derive(Deserialize)]
            struct Stored {
                version: Option<i64>,
            }
            let version = crate::api::body::<Stored>(&response)
                .await
                .ok()
                .and_then(|s| s.version);
            Outcome::Acknowledged { version }
        }
        Verdict::LoggedOut => Outcome::LoggedOut,
        Verdict::NotThisAccount => Outcome::TryLater(NOT_THIS_ACCOUNT.into()),
        Verdict::Refused => {
            let body = crate::api::body::<ErrorBody>(&response).await;
            let (message, fields) = match body {
                Ok(b) => (b.message, b.fields),
                Err(_) => (format!("HTTP {status}"), Vec::new()),
            };
            Outcome::Refused {
                status,
                message,
                fields,
            }
        }
        Verdict::TryLater => Outcome::TryLater(format!("服务器错误 / server error {status}")),
    }
}

/// Records what a try came to.
pub fn record(item: &OutboxItem, outcome: Outcome, now_ms: f64) {
    storage::update(item.id, |i| {
        i.attempts += 1;
        i.state = match outcome {
            Outcome::Acknowledged { version } => SendState::Sent {
                at_ms: now_ms,
                version,
            },
            Outcome::Refused {
                status,
                message,
                fields,
            } => SendState::Rejected {
                status,
                message,
                fields,
                conflict: None,
            },
            Outcome::TryLater(e) => SendState::Waiting {
                last_error: Some(e),
                next_try_ms: now_ms + backoff_ms(i.attempts),
            },
            // Tried again after the next login (`storage::retry_all_now`), or with backoff in
            // case another tab logs in.
            Outcome::LoggedOut => SendState::Waiting {
                last_error: Some(PLEASE_LOG_IN.into()),
                next_try_ms: now_ms + backoff_ms(i.attempts),
            },
        };
    });
}

/// A change refused with 409 (another was stored first): the stored versions are read, and the
/// change is merged field by field with the current one against the version it was based on
/// (`shared::merge`). `Ok`: merged by itself (the body, and the version it now changes);
/// `Err`: fields both sides changed. `None`: the versions could not be read (tried again later
/// as a refusal the worker sees).
pub async fn merge_with_stored(
    item: &OutboxItem,
) -> Option<Result<(serde_json::Value, i64), storage::Conflicted>> {
    #[derive(Deserialize)]
    struct Version {
        version: i64,
        record: serde_json::Value,
    }
    let base = item.edit_of?;
    let id = item.body.get("id")?.as_str()?;
    let url = format!("/api/{}/{}/versions", item.kind.path(), crate::api::enc(id));
    let versions: Vec<Version> = crate::api::get_json(&url).await.ok()?;
    let form = |v: &Version| crate::forms::stored_form(item.kind, &v.record).map(|(_, f)| f);
    let base_form = form(versions.iter().find(|v| v.version == base)?)?;
    let current = versions.iter().max_by_key(|v| v.version)?;
    let merged = shared::merge::merge(&base_form, &item.body, &form(current)?);
    Some(if merged.conflicts.is_empty() {
        Ok((merged.value, current.version))
    } else {
        Err(storage::Conflicted {
            current: current.version,
            fields: merged
                .conflicts
                .iter()
                .map(|c| {
                    (
                        c.field.clone(),
                        c.base.clone(),
                        c.mine.clone(),
                        c.theirs.clone(),
                    )
                })
                .collect(),
            merged: merged.value,
        })
    })
}

/// What a flush learnt about the session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionSign {
    /// Nothing was sent, or nothing answered.
    Unknown,
    /// The server accepted a record: the session is alive.
    Alive,
    /// The server answered 401: the session has ended.
    Ended,
}

/// Sends every item that is due. `on_change` runs before each send (with the id being sent)
/// and after it, so the page can show progress. Only one flush runs at a time. A 401 stops the
/// flush: the other items would meet the same.
pub async fn flush(on_change: impl Fn(Option<uuid::Uuid>)) -> SessionSign {
    if FLUSHING.with(|f| f.replace(true)) {
        return SessionSign::Unknown;
    }
    let mut sign = SessionSign::Unknown;
    let mut merged = Vec::new();
    loop {
        let now = js_sys::Date::now();
        let due = storage::load_outbox().into_iter().find(
            |i| matches!(i.state, SendState::Waiting { next_try_ms, .. } if next_try_ms <= now),
        );
        let Some(item) = due else { break };
        on_change(Some(item.id));
        let outcome = send(&item).await;
        // (Once per item and flush: a change that meets yet another one is merged again on
        // the next flush, never in a loop.)
        if let Outcome::Refused { status: 409, .. } = outcome
            && !merged.contains(&item.id)
            && let Some(settled) = merge_with_stored(&item).await
        {
            // Merged by itself: sent at once as the change of the version stored now.
            // Otherwise the worker chooses, field by field.
            match settled {
                Ok((body, current)) => {
                    merged.push(item.id);
                    storage::send_again(item.id, body, Some(current));
                    on_change(None);
                    continue;
                }
                Err(conflict) => {
                    storage::update(item.id, |i| {
                        i.attempts += 1;
                        i.state = SendState::Rejected {
                            status: 409,
                            message: "记录已被他人修改，以下字段两边都改了：请逐项选择 / the record was changed meanwhile; both sides changed the fields below: choose for each".into(),
                            fields: Vec::new(),
                            conflict: Some(conflict),
                        };
                    });
                    sign = SessionSign::Alive;
                    on_change(None);
                    continue;
                }
            }
        }
        let ended = outcome == Outcome::LoggedOut;
        if matches!(
            outcome,
            Outcome::Acknowledged { .. } | Outcome::Refused { .. }
        ) {
            sign = SessionSign::Alive;
        }
        record(&item, outcome, js_sys::Date::now());
        on_change(None);
        if ended {
            sign = SessionSign::Ended;
            break;
        }
    }
    FLUSHING.with(|f| f.set(false));
    sign
}
