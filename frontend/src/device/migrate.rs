//! The upgrade from the version that kept drafts, the outbox and the session in plaintext
//! `localStorage` (`jiajia.v1.*`): at the first unlock after it, by the account that was
//! remembered (or by whoever unlocks first when none was), every draft, 续办 mark, outbox item
//! and council roster moves into that account's vault, and leaves `localStorage` only once the
//! vault has stored it.

use gloo::storage::{LocalStorage, Storage};
use serde_json::Value;

use crate::device::vault;
use crate::forms::FormKind;

const PREFIX: &str = "jiajia.v1.";
/// The old keys that held personal data (the language and a pending logout stay).
const PERSONAL: [&str; 5] = [
    "jiajia.v1.draft.",
    "jiajia.v1.editing.",
    "jiajia.v1.outbox",
    "jiajia.v1.council.",
    "jiajia.v1.session",
];

/// The `jiajia.v1.*` keys and their text.
fn v1_items() -> Vec<(String, String)> {
    let raw = LocalStorage::raw();
    let n = raw.length().unwrap_or(0);
    (0..n)
        .filter_map(|i| raw.key(i).ok().flatten())
        .filter(|k| PERSONAL.iter().any(|p| k.starts_with(p)))
        .filter_map(|k| raw.get_item(&k).ok().flatten().map(|v| (k, v)))
        .collect()
}

/// The username of the session today's version remembered, if any.
fn remembered_user(items: &[(String, String)]) -> Option<String> {
    let (_, text) = items.iter().find(|(k, _)| k == "jiajia.v1.session")?;
    let v: Value = serde_json::from_str(text).ok()?;
    Some(v.pointer("/user/username")?.as_str()?.to_owned())
}

/// Moves what the old version kept into the open vault, if it belongs to this account.
/// Returns how many items moved.
pub async fn from_local_storage() -> usize {
    let Some(account) = vault::account() else {
        return 0;
    };
    // A vault in memory only (plain HTTP) would lose what it took at the page's close: the old
    // copies stay where they are.
    if vault::problem() == Some(vault::StoreProblem::MemoryOnly) {
        return 0;
    }
    let items = v1_items();
    if items.is_empty() {
        return 0;
    }
    if remembered_user(&items).is_some_and(|u| u != account) {
        return 0;
    }
    let now = js_sys::Date::now();
    let mut moved = 0;
    let mut moved_ids = Vec::new();
    for kind in FormKind::ALL {
        let key = format!("{PREFIX}draft.{}", kind.name());
        let Some((_, text)) = items.iter().find(|(k, _)| *k == key) else {
            continue;
        };
        let Ok(input) = serde_json::from_str::<Value>(text) else {
            continue;
        };
        let editing = items
            .iter()
            .find(|(k, _)| *k == format!("{PREFIX}editing.{}", kind.name()))
            .and_then(|(_, t)| serde_json::from_str::<Value>(t).ok())
            .filter(|e| e.get("id") == input.get("id"));
        let draft = serde_json::json!({
            "kind": kind, "input": input, "editing": editing, "edited_ms": now, "edited": true,
        });
        // The same old draft always moves to the same id: a second try cannot duplicate it.
        let id = uuid::Uuid::new_v5(
            &uuid::Uuid::NAMESPACE_OID,
            format!("{key}\n{text}").as_bytes(),
        );
        vault::put(&format!("draft:{id}"), Some(draft.to_string()));
        moved_ids.push(format!("draft:{id}"));
        crate::storage::set_current_draft(kind, Some(id));
        moved += 1;
    }
    if let Some((_, text)) = items.iter().find(|(k, _)| k == "jiajia.v1.outbox")
        && let Ok(list) = serde_json::from_str::<Vec<Value>>(text)
    {
        for mut item in list {
            let Some(id) = item.get("id").and_then(Value::as_str).map(str::to_owned) else {
                continue;
            };
            let kind = item
                .get("kind")
                .cloned()
                .and_then(|k| shared::json::read_value::<FormKind>(&k).ok())
                .unwrap_or_default();
            let sent = item.pointer("/state/state").and_then(Value::as_str) == Some("sent");
            if let Some(body) = item.get("body").cloned() {
                item["line"] = Value::String(crate::forms::receipt_line(kind, &body));
                item["record_id"] = body.get("id").cloned().unwrap_or(Value::Null);
                // A receipt keeps no personal text.
                if sent {
                    item["body"] = crate::forms::receipt_body(kind, &body);
                }
            }
            vault::put(&format!("outbox:{id}"), Some(item.to_string()));
            moved_ids.push(format!("outbox:{id}"));
            moved += 1;
        }
    }
    for (key, text) in &items {
        if let Some(village) = key.strip_prefix("jiajia.v1.council.") {
            vault::put(&format!("roster:{village}"), Some(text.clone()));
            moved_ids.push(format!("roster:{village}"));
            moved += 1;
        }
    }
    vault::flush().await;
    if moved_ids.iter().any(|id| vault::is_dirty(id)) {
        // Not all stored yet: the old copies stay until a later unlock moves them (to the same
        // ids again, so nothing is doubled).
        return 0;
    }
    for (key, _) in &items {
        LocalStorage::delete(key);
    }
    moved
}
