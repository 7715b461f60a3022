//! 服务器可达: whether the server answered lately — what the header shows, rather than
//! `navigator.onLine`, which says only that some network is there.

use std::cell::Cell;

/// After this long without an answer the server is asked again (`GET /healthz`).
pub const STALE_MS: f64 = 30_000.0;

thread_local! {
    static LAST_ANSWER: Cell<f64> = const { Cell::new(f64::NEG_INFINITY) };
    static LAST_FAILURE: Cell<f64> = const { Cell::new(f64::NEG_INFINITY) };
}

/// The server answered (any status: it is there).
pub fn answered() {
    LAST_ANSWER.with(|c| c.set(js_sys::Date::now()));
}

/// A request got no answer.
pub fn failed() {
    LAST_FAILURE.with(|c| c.set(js_sys::Date::now()));
}

/// What the header says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach {
    /// 在线: the last request was answered.
    Online,
    /// 服务器无法连接: the network is up, the server does not answer.
    Unreachable,
    /// 离线: no network at all.
    Offline,
    /// Not asked yet.
    Unknown,
}

impl Reach {
    pub fn now(network: bool) -> Reach {
        let (ok, bad) = (LAST_ANSWER.with(Cell::get), LAST_FAILURE.with(Cell::get));
        if !network {
            Reach::Offline
        } else if ok == f64::NEG_INFINITY && bad == f64::NEG_INFINITY {
            Reach::Unknown
        } else if ok >= bad {
            Reach::Online
        } else {
            Reach::Unreachable
        }
    }

    /// Whether the server should be asked again: nothing heard for [`STALE_MS`].
    pub fn stale(now_ms: f64) -> bool {
        now_ms
            - LAST_ANSWER
                .with(Cell::get)
                .max(LAST_FAILURE.with(Cell::get))
            > STALE_MS
    }
}

/// Asks the server whether it is there.
pub async fn ping() {
    let signal = web_sys::AbortSignal::timeout_with_u32(10_000);
    match gloo::net::http::Request::get("/healthz")
        .abort_signal(Some(&signal))
        .send()
        .await
    {
        Ok(_) => answered(),
        Err(_) => failed(),
    }
}
