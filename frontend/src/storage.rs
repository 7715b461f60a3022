//! Browser storage: the draft being typed and the outbox of finished forms.
//!
//! `localStorage` is the source of truth; the UI re-reads it after every change, so a reload,
//! a crash or a second tab sees exactly what is stored.

use gloo::storage::{LocalStorage, Storage};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use shared::{Lang, VisitInput};
use uuid::Uuid;

use crate::forms::FormKind;

/// The visit record's draft (the first form; other kinds use [`draft_key`]).
pub const DRAFT_KEY: &str = "jiajia.v1.draft.visit";
pub const OUTBOX_KEY: &str = "jiajia.v1.outbox";
/// Sent records kept on screen as receipts; older ones are dropped.
pub const SENT_KEPT: usize = 50;

/// Where the draft of a `kind` form is kept.
pub fn draft_key(kind: FormKind) -> String {
    format!("jiajia.v1.draft.{}", kind.name())
}

/// The draft of a `kind` form, if one is stored and still readable. An unreadable one (written
/// by an older version, say) is moved aside rather than overwritten, so nothing typed is lost.
pub fn load_draft_of<T: DeserializeOwned>(kind: FormKind) -> Option<T> {
    let key = draft_key(kind);
    let raw = LocalStorage::raw().get_item(&key).ok().flatten()?;
    match serde_json::from_str(&raw) {
        Ok(draft) => Some(draft),
        Err(_) => {
            let aside = format!("{key}.unreadable.{}", js_sys::Date::now() as u64);
            let _ = LocalStorage::raw().set_item(&aside, &raw);
            LocalStorage::delete(&key);
            None
        }
    }
}

pub fn save_draft_of<T: Serialize>(
    kind: FormKind,
    draft: &T,
) -> Result<(), gloo::storage::errors::StorageError> {
    LocalStorage::set(draft_key(kind), draft)
}

/// The visit record's draft.
pub fn load_draft() -> Option<VisitInput> {
    load_draft_of(FormKind::Visit)
}

pub fn save_draft(draft: &VisitInput) -> Result<(), gloo::storage::errors::StorageError> {
    save_draft_of(FormKind::Visit, draft)
}

/// Where a finished form stands with the server.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum SendState {
    /// 等待发送: not acknowledged yet; retried until it is.
    Waiting {
        /// Why the last try failed, if there was one.
        last_error: Option<String>,
        /// When to try next (ms since the epoch).
        next_try_ms: f64,
    },
    /// 已发送: the server stored it (or already had it).
    Sent { at_ms: f64 },
    /// 被退回: the server refused it; retrying the same body cannot help.
    Rejected {
        status: u16,
        message: String,
        fields: Vec<RefusedField>,
    },
}

/// A field the server refused, as the app shows it: the server's own messages, which name the
/// field. The app never reads the problem's code, so it does not deserialise
/// `shared::FieldError` (whose derived reader of `Problem` alone was 3 % of the app's wasm);
/// items stored with the whole `FieldError` still read, the rest ignored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RefusedField {
    pub field: String,
    pub message: String,
    #[serde(default)]
    pub message_en: String,
}

impl RefusedField {
    pub fn message(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.message,
            Lang::En if self.message_en.is_empty() => &self.message,
            Lang::En => &self.message_en,
        }
    }
}

/// One finished form in the outbox.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutboxItem {
    pub id: Uuid,
    /// Items queued before there were other kinds are visit records.
    #[serde(default)]
    pub kind: FormKind,
    /// The form as typed, posted as it is.
    pub body: Value,
    /// 续办: a change to the stored record `body.id`, based on this version of it: sent as
    /// `PUT /api/{kind}/{id}` with `If-Match`, so the server refuses it (409) if someone else
    /// changed the record since. `None`: a new record, sent as `POST`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edit_of: Option<i64>,
    pub queued_ms: f64,
    pub attempts: u32,
    pub state: SendState,
}

impl OutboxItem {
    pub fn is_unsent(&self) -> bool {
        !matches!(self.state, SendState::Sent { .. })
    }
}

/// The stored outbox as JSON values, one per item. A stored outbox that is not even a list
/// (damaged) is moved aside whole, like an unreadable draft, rather than overwritten.
fn stored_items() -> Vec<Value> {
    let Some(raw) = LocalStorage::raw().get_item(OUTBOX_KEY).ok().flatten() else {
        return Vec::new();
    };
    match serde_json::from_str::<Vec<Value>>(&raw) {
        Ok(items) => items,
        Err(_) => {
            let aside = format!("{OUTBOX_KEY}.unreadable.{}", js_sys::Date::now() as u64);
            if LocalStorage::raw().set_item(&aside, &raw).is_ok() {
                LocalStorage::delete(OUTBOX_KEY);
            }
            Vec::new()
        }
    }
}

/// Every item this version of the app can read. One it cannot (queued by a newer version with
/// a kind of form this one does not know, say) is left out here but stays stored: before, one
/// such item made the whole outbox read as empty, and the next save overwrote every record in
/// it.
pub fn load_outbox() -> Vec<OutboxItem> {
    stored_items()
        .into_iter()
        .filter_map(|v| crate::from_value(&v).ok())
        .collect()
}

/// Stores `items`, keeping after them the stored items this version cannot read, as they were.
fn save_outbox(items: &[OutboxItem]) -> Result<(), gloo::storage::errors::StorageError> {
    let unreadable = stored_items()
        .into_iter()
        .filter(|v| crate::from_value::<OutboxItem>(v).is_err());
    let mut all = items
        .iter()
        .map(crate::to_value)
        .collect::<Result<Vec<Value>, _>>()
        .map_err(gloo::storage::errors::StorageError::SerdeError)?;
    all.extend(unreadable);
    LocalStorage::set(OUTBOX_KEY, &all)
}

/// Queues a finished visit record.
pub fn enqueue(body: VisitInput, now_ms: f64) -> Result<(), gloo::storage::errors::StorageError> {
    enqueue_form(FormKind::Visit, body.id, &body, now_ms)
}

/// Queues a finished form of any kind. Queuing the same id twice (a double click) keeps the
/// first.
pub fn enqueue_form<T: Serialize>(
    kind: FormKind,
    id: Uuid,
    body: &T,
    now_ms: f64,
) -> Result<(), gloo::storage::errors::StorageError> {
    let body = crate::to_value(body).map_err(gloo::storage::errors::StorageError::SerdeError)?;
    push_waiting(id, kind, body, None, now_ms)
}

/// Queues a change to the stored record `record_id`, based on its version `base`. The item's
/// own id is made from the record, the base and the change itself: queuing the same change
/// twice (a double click) keeps the first, and any other change — a later one, or a second one
/// typed on the same base while the first still waits — is an item of its own (the server then
/// refuses the one that comes second as stale, and it shows as 被退回 with what was typed).
pub fn enqueue_edit<T: Serialize>(
    kind: FormKind,
    record_id: Uuid,
    base: i64,
    body: &T,
    now_ms: f64,
) -> Result<(), gloo::storage::errors::StorageError> {
    let serde = gloo::storage::errors::StorageError::SerdeError;
    let text = serde_json::to_string(body).map_err(serde)?;
    let id = Uuid::new_v5(&record_id, format!("version-{base}:{text}").as_bytes());
    let body: Value = serde_json::from_str(&text).map_err(serde)?;
    push_waiting(id, kind, body, Some(base), now_ms)
}

/// Queues a finished form on the page it was typed on: a change of the stored record when
/// `base` is the version it continues (续办), else a new record. Either way the page's 续办 is
/// over once it is queued.
pub fn enqueue_page<T: Serialize>(
    kind: FormKind,
    id: Uuid,
    base: Option<i64>,
    body: &T,
    now_ms: f64,
) -> Result<(), gloo::storage::errors::StorageError> {
    match base {
        Some(version) => enqueue_edit(kind, id, version, body, now_ms)?,
        None => enqueue_form(kind, id, body, now_ms)?,
    }
    clear_editing(kind);
    Ok(())
}

/// Adds an item waiting to be sent, unless one with its id is there already.
fn push_waiting(
    id: Uuid,
    kind: FormKind,
    body: Value,
    edit_of: Option<i64>,
    now_ms: f64,
) -> Result<(), gloo::storage::errors::StorageError> {
    let mut items = load_outbox();
    if items.iter().any(|i| i.id == id) {
        return Ok(());
    }
    items.push(OutboxItem {
        id,
        kind,
        body,
        edit_of,
        queued_ms: now_ms,
        attempts: 0,
        state: SendState::Waiting {
            last_error: None,
            next_try_ms: now_ms,
        },
    });
    save_outbox(&items)
}

/// 续办: the stored record a `kind` form's draft is a change of: its id, the version the change
/// is based on, and that version as a form (so the page can show what may not change). Kept
/// apart from the draft, so a draft of a new record and a change never mix.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Editing<T> {
    pub id: Uuid,
    pub version: i64,
    pub base: T,
}

fn editing_key(kind: FormKind) -> String {
    format!("jiajia.v1.editing.{}", kind.name())
}

pub fn editing<T: DeserializeOwned>(kind: FormKind) -> Option<Editing<T>> {
    LocalStorage::get(editing_key(kind)).ok()
}

pub fn set_editing<T: Serialize>(
    kind: FormKind,
    editing: &Editing<T>,
) -> Result<(), gloo::storage::errors::StorageError> {
    LocalStorage::set(editing_key(kind), editing)
}

pub fn clear_editing(kind: FormKind) {
    LocalStorage::delete(editing_key(kind));
}

/// 续办: puts the form of a stored record in `kind`'s draft, marked as a change of its
/// `version`. A draft of another record with something typed in it (`typed`) is replaced only
/// if `confirm` agrees. `Ok(false)`: left as it was.
pub fn open_for_change<T: Serialize + DeserializeOwned>(
    kind: FormKind,
    id: Uuid,
    version: i64,
    input: T,
    typed: impl Fn(&T) -> bool,
    confirm: impl FnOnce() -> bool,
) -> Result<bool, gloo::storage::errors::StorageError> {
    let other = load_draft_of::<Value>(kind)
        .filter(|d| d.get("id").and_then(Value::as_str) != Some(id.to_string().as_str()));
    if other.is_some() && load_draft_of::<T>(kind).is_some_and(|d| typed(&d)) && !confirm() {
        return Ok(false);
    }
    save_draft_of(kind, &input)?;
    set_editing(
        kind,
        &Editing {
            id,
            version,
            base: input,
        },
    )?;
    Ok(true)
}

/// Changes one item in place. Sent items beyond [`SENT_KEPT`] are dropped, oldest first;
/// unsent ones never are.
pub fn update(id: Uuid, f: impl FnOnce(&mut OutboxItem)) {
    let mut items = load_outbox();
    if let Some(item) = items.iter_mut().find(|i| i.id == id) {
        f(item);
    }
    let sent = items.iter().filter(|i| !i.is_unsent()).count();
    let mut drop = sent.saturating_sub(SENT_KEPT);
    items.retain(|i| {
        if drop > 0 && !i.is_unsent() {
            drop -= 1;
            false
        } else {
            true
        }
    });
    let _ = save_outbox(&items);
}

/// Makes every waiting item due now (the network just came back).
pub fn retry_all_now(now_ms: f64) {
    let mut items = load_outbox();
    for item in &mut items {
        if let SendState::Waiting { next_try_ms, .. } = &mut item.state {
            *next_try_ms = now_ms;
        }
    }
    let _ = save_outbox(&items);
}

pub fn unsent_count() -> usize {
    load_outbox().iter().filter(|i| i.is_unsent()).count()
}
