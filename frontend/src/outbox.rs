//! Sends the outbox to the server, one item at a time, with backoff.

use std::cell::Cell;

use gloo::net::http::Request;
use serde::Deserialize;
use shared::FieldError;

use crate::storage::{self, OutboxItem, SendState};

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
    Acknowledged,
    Refused {
        status: u16,
        message: String,
        fields: Vec<FieldError>,
    },
    TryLater(String),
}

#[derive(Deserialize)]
struct ErrorBody {
    message: String,
    #[serde(default)]
    fields: Vec<FieldError>,
}

/// Decides from the status alone whether trying again can help: a server error, a timeout or
/// rate limiting may pass; any other 4xx will not.
pub fn classify(status: u16) -> Option<bool> {
    match status {
        200..=299 => Some(true),
        408 | 429 => None,
        400..=499 => Some(false),
        _ => None,
    }
}

/// Wait before the next try after `attempts` failures: 2 s, 4 s, 8 s … at most 30 s.
pub fn backoff_ms(attempts: u32) -> f64 {
    (FIRST_DELAY_MS * 2f64.powi(attempts.saturating_sub(1).min(16) as i32)).min(MAX_DELAY_MS)
}

pub async fn send(item: &OutboxItem) -> Outcome {
    let signal = web_sys::AbortSignal::timeout_with_u32(TIMEOUT_MS);
    let request = match Request::post("/api/visits")
        .abort_signal(Some(&signal))
        .json(&item.body)
    {
        Ok(r) => r,
        Err(e) => return Outcome::TryLater(e.to_string()),
    };
    let response = match request.send().await {
        Ok(r) => r,
        Err(_) => return Outcome::TryLater("无法连接服务器 / server unreachable".into()),
    };
    let status = response.status();
    match classify(status) {
        Some(true) => Outcome::Acknowledged,
        Some(false) => {
            let body = response.json::<ErrorBody>().await;
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
        None => Outcome::TryLater(format!("服务器错误 / server error {status}")),
    }
}

/// Records what a try came to.
pub fn record(item: &OutboxItem, outcome: Outcome, now_ms: f64) {
    storage::update(item.id, |i| {
        i.attempts += 1;
        i.state = match outcome {
            Outcome::Acknowledged => SendState::Sent { at_ms: now_ms },
            Outcome::Refused {
                status,
                message,
                fields,
            } => SendState::Rejected {
                status,
                message,
                fields,
            },
            Outcome::TryLater(e) => SendState::Waiting {
                last_error: Some(e),
                next_try_ms: now_ms + backoff_ms(i.attempts),
            },
        };
    });
}

/// Sends every item that is due. `on_change` runs before each send (with the id being sent)
/// and after it, so the page can show progress. Only one flush runs at a time.
pub async fn flush(on_change: impl Fn(Option<uuid::Uuid>)) {
    if FLUSHING.with(|f| f.replace(true)) {
        return;
    }
    loop {
        let now = js_sys::Date::now();
        let due = storage::load_outbox().into_iter().find(
            |i| matches!(i.state, SendState::Waiting { next_try_ms, .. } if next_try_ms <= now),
        );
        let Some(item) = due else { break };
        on_change(Some(item.id));
        let outcome = send(&item).await;
        record(&item, outcome, js_sys::Date::now());
        on_change(None);
    }
    FLUSHING.with(|f| f.set(false));
}
