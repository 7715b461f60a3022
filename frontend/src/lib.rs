//! 家家 app: a Yew single-page app that works from browser storage.
//!
//! Drafts are saved on every change; finished forms wait in an outbox until the server
//! acknowledges their id. Both live in the worker's encrypted vault on the device (`device`). Every preview is computed by `shared`, the same code the
//! server runs.

pub mod api;
pub mod app;
pub mod app_build;
pub mod boot;
pub mod components;
pub mod device;
pub mod forms;
pub mod i18n;
pub mod outbox;
pub mod pages;
pub mod reach;
pub mod replica;
pub mod route;
pub mod session;
pub mod storage;

/// Today in China, from the browser's clock.
pub fn today() -> chrono::NaiveDate {
    shared::time::china_today(chrono::Utc::now())
}

/// A random (version 4) id. `crypto.getRandomValues` works on plain-HTTP village intranets too,
/// where `crypto.randomUUID` does not.
pub fn new_id() -> uuid::Uuid {
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&device::crypto::random(16));
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

/// Writes `value` as a JSON `Value`, through its text rather than `serde_json::to_value`: the
/// app then has one JSON writer per type instead of two, which keeps the wasm smaller (reading
/// goes the other way round, through `Value`: [`shared::json::read`]).
pub fn to_value<T: serde::Serialize>(value: &T) -> Result<serde_json::Value, serde_json::Error> {
    serde_json::from_str(&serde_json::to_string(value)?)
}

/// Sorts `items` by a number, equal keys keeping their order, through the one sort of
/// `shared::order` (each `sort_by` on another type adds ~4 KB of sorting code to the app).
pub fn sort_by_key<T>(items: &mut Vec<T>, key: impl Fn(&T) -> f64) {
    shared::order::sort_by(items, |a, b| key(a).total_cmp(&key(b)));
}

pub fn start() {
    boot::take_over();
    yew::Renderer::<app::App>::new().render();
}
