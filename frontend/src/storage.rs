//! What the device keeps for the worker, on her vault ([`crate::device::vault`]): drafts (any
//! number per form kind), the outbox of finished forms, receipts of sent ones, and her session.
//!
//! Reads are memory reads of the open vault; writes change memory at once and are sealed and
//! stored behind it. Nothing is kept without an open vault: a locked device holds only
//! ciphertext. Item ids: `draft:<uuid>`, `outbox:<uuid>`, `session`, `roster:<village>`.

use std::cell::RefCell;
use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use shared::Lang;
use uuid::Uuid;

use crate::device::vault::{self, Resolution};
use crate::forms::FormKind;

/// Sent records kept as receipts; older ones are dropped.
pub const SENT_KEPT: usize = 50;

/// Why something could not be kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreError {
    /// No vault is open (locked, or logged out).
    Locked,
    Serde(String),
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        StoreError::Serde(e.to_string())
    }
}

pub type Result<T = ()> = std::result::Result<T, StoreError>;

fn put<T: Serialize>(id: &str, value: &T) -> Result {
    let text = serde_json::to_string(value)?;
    vault::put(id, Some(text))
        .then_some(())
        .ok_or(StoreError::Locked)
}

fn get<T: DeserializeOwned>(id: &str) -> Option<T> {
    shared::json::read(&vault::get(id)?).ok()
}

/// Settles a write that met another tab's: a draft keeps both (this tab's text as a new
/// draft, which this tab's page then follows — also when the other tab removed it, having
/// submitted it, say); an outbox item keeps the further state.
pub fn resolve(id: &str, mine: &str, theirs: Option<&str>) -> Resolution {
    if let Some(old) = id.strip_prefix("draft:") {
        let copy = crate::new_id();
        if let Ok(old) = old.parse::<Uuid>() {
            MOVED.with(|m| m.borrow_mut().insert(old, copy));
        }
        return Resolution::Both {
            id: format!("draft:{copy}"),
            text: mine.to_owned(),
        };
    }
    if id.starts_with("outbox:") {
        let sent = |t: &str| shared::json::read::<OutboxItem>(t).is_ok_and(|i| !i.is_unsent());
        if theirs.is_some_and(|t| sent(mine) && !sent(t)) {
            return Resolution::Both {
                id: id.to_owned(),
                text: mine.to_owned(),
            };
        }
    }
    Resolution::Theirs
}

// ---------------------------------------------------------------- drafts

thread_local! {
    /// Drafts of this tab moved aside by a conflict with another tab: old id → the copy.
    static MOVED: RefCell<BTreeMap<Uuid, Uuid>> = const { RefCell::new(BTreeMap::new()) };
}

/// 续办: the stored record a draft is a change of: its id, the version the change is based on,
/// and that version as a form (so the page can show what may not change).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Editing<T> {
    pub id: Uuid,
    pub version: i64,
    pub base: T,
}

/// 草稿: a form being typed, as kept in the vault.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Draft<T> {
    pub kind: FormKind,
    pub input: T,
    #[serde(default = "none", skip_serializing_if = "Option::is_none")]
    pub editing: Option<Editing<T>>,
    pub edited_ms: f64,
    /// Typed in: only such drafts are listed. A form opened and left blank is kept too (a
    /// reload comes back to it) but not listed, and the next blank form of its kind reuses it.
    #[serde(default)]
    pub edited: bool,
}

fn none<T>() -> Option<T> {
    None
}

/// A draft as the list shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct DraftSummary {
    pub id: Uuid,
    pub kind: FormKind,
    /// A recognisable first line (the form's own words: the worker's vault is open).
    pub line: String,
    pub edited_ms: f64,
    /// 续办 of this version of a stored record.
    pub editing: Option<i64>,
}

fn draft_key(id: Uuid) -> String {
    format!("draft:{id}")
}

thread_local! {
    /// Each draft's summary as last read, by draft id, with the stamp of the text it was read
    /// from: the list is re-read only where a draft changed (it is shown on every keystroke,
    /// and a device may hold a thousand drafts).
    static SUMMARIES: RefCell<BTreeMap<String, (u64, Option<DraftSummary>)>> =
        const { RefCell::new(BTreeMap::new()) };
}

fn summary_of(key: &str, text: &str) -> Option<DraftSummary> {
    let id = key.strip_prefix("draft:")?.parse().ok()?;
    let d: Draft<Value> = shared::json::read(text).ok()?;
    d.edited.then(|| DraftSummary {
        id,
        kind: d.kind,
        line: crate::forms::describe(d.kind, &d.input),
        edited_ms: d.edited_ms,
        editing: d.editing.map(|e| e.version),
    })
}

/// Every draft of `kind` something was typed in, the last edited first.
pub fn drafts(kind: FormKind) -> Vec<DraftSummary> {
    let stamps = vault::stamps("draft:");
    let mut list: Vec<DraftSummary> = SUMMARIES.with(|cache| {
        let mut cache = cache.borrow_mut();
        cache.retain(|id, _| stamps.binary_search_by(|(k, _)| k.as_str().cmp(id)).is_ok());
        stamps
            .iter()
            .filter_map(|(id, stamp)| {
                let fresh = cache.get(id).is_some_and(|(s, _)| s == stamp);
                if !fresh {
                    let summary = vault::get(id).and_then(|t| summary_of(id, &t));
                    cache.insert(id.clone(), (*stamp, summary));
                }
                cache[id].1.clone().filter(|d| d.kind == kind)
            })
            .collect()
    });
    crate::sort_by_key(&mut list, |d| -d.edited_ms);
    list
}

/// A draft, its form read as `T`. Read through `Draft<Value>`, so the drafts of every kind
/// share one reader and each form's own is the one the app has anyway (a `Draft<T>` reader per
/// kind was about 12 KB of the app).
pub fn load_draft<T: DeserializeOwned>(id: Uuid) -> Option<Draft<T>> {
    let d: Draft<Value> = get(&draft_key(id))?;
    let editing = match d.editing {
        Some(e) => Some(Editing {
            id: e.id,
            version: e.version,
            base: shared::json::read_value(&e.base).ok()?,
        }),
        None => None,
    };
    Some(Draft {
        kind: d.kind,
        input: shared::json::read_value(&d.input).ok()?,
        editing,
        edited_ms: d.edited_ms,
        edited: d.edited,
    })
}

pub fn has_draft(id: Uuid) -> bool {
    vault::get(&draft_key(id)).is_some()
}

/// Stores a draft (a no-op when nothing changed). `edited`: typed in (once a draft is, it
/// stays listed).
pub fn save_draft<T: Serialize>(
    id: Uuid,
    kind: FormKind,
    input: &T,
    editing: Option<&Editing<T>>,
    edited: bool,
) -> Result {
    let key = draft_key(id);
    let stored = vault::get(&key).and_then(|t| shared::json::read::<Draft<Value>>(&t).ok());
    let input = crate::to_value(input)?;
    let editing = match editing {
        Some(e) => Some(Editing {
            id: e.id,
            version: e.version,
            base: crate::to_value(&e.base)?,
        }),
        None => None,
    };
    // Unchanged input keeps its time, so opening a draft does not reorder the list.
    let edited_ms = match &stored {
        Some(d) if d.input == input => d.edited_ms,
        _ => js_sys::Date::now(),
    };
    put(
        &key,
        &Draft {
            kind,
            input,
            editing,
            edited_ms,
            edited: edited || stored.is_some_and(|d| d.edited),
        },
    )
}

/// A draft of `kind` opened and never typed in, to reuse for the next blank form.
pub fn blank_draft(kind: FormKind) -> Option<Uuid> {
    vault::scan("draft:").into_iter().find_map(|(key, text)| {
        let d: Draft<Value> = shared::json::read(&text).ok()?;
        (d.kind == kind && !d.edited && d.editing.is_none())
            .then(|| key.strip_prefix("draft:")?.parse().ok())
            .flatten()
    })
}

pub fn discard_draft(id: Uuid) {
    vault::put(&draft_key(id), None);
}

/// A draft this tab typed in that a conflict with another tab moved aside, and where.
pub fn moved_to(id: Uuid) -> Option<Uuid> {
    MOVED.with(|m| m.borrow().get(&id).copied())
}

/// As [`moved_to`], and forgotten: the page follows the move once, so reopening the original
/// later never sends its typing to the copy.
pub fn take_moved(id: Uuid) -> Option<Uuid> {
    MOVED.with(|m| m.borrow_mut().remove(&id))
}

/// Forgets what this layer derived from the vault (drafts' first lines): on a lock, nothing of
/// the account stays readable in memory.
pub fn forget_cached() {
    SUMMARIES.with(|c| c.borrow_mut().clear());
    MOVED.with(|m| m.borrow_mut().clear());
}

fn current_key(kind: FormKind) -> String {
    format!("jiajia.v2.current.{}", kind.name())
}

fn session_storage() -> Option<web_sys::Storage> {
    gloo::utils::window().session_storage().ok().flatten()
}

/// The draft this tab last worked on for `kind` (a reload goes back to it); only its id is
/// kept outside the vault, per tab, so two tabs each type in their own draft.
pub fn current_draft(kind: FormKind) -> Option<Uuid> {
    let id = session_storage()?
        .get_item(&current_key(kind))
        .ok()
        .flatten()?
        .parse()
        .ok()?;
    has_draft(id).then_some(id)
}

pub fn set_current_draft(kind: FormKind, id: Option<Uuid>) {
    if let Some(s) = session_storage() {
        let _ = match id {
            Some(id) => s.set_item(&current_key(kind), &id.to_string()),
            None => s.remove_item(&current_key(kind)),
        };
    }
}

/// Starts a draft of `kind` holding `input` (a visit record drafted from a meeting's item) and
/// makes it this tab's current one.
pub fn start_draft<T: Serialize>(kind: FormKind, input: &T) -> Result<Uuid> {
    let id = crate::new_id();
    save_draft(id, kind, input, None, true)?;
    set_current_draft(kind, Some(id));
    Ok(id)
}

/// 续办: opens a stored record's form as a draft of its own, marked as a change of its
/// `version`, and makes it this tab's current draft. Another draft is never replaced; a
/// draft that already continues this version is opened again.
pub fn open_for_change<T: Serialize + Clone>(
    kind: FormKind,
    id: Uuid,
    version: i64,
    input: T,
) -> Result<Uuid> {
    let existing = vault::scan("draft:").into_iter().find_map(|(key, text)| {
        let d: Draft<Value> = shared::json::read(&text).ok()?;
        let e = d.editing?;
        (d.kind == kind && e.id == id && e.version == version)
            .then(|| key.strip_prefix("draft:")?.parse::<Uuid>().ok())
            .flatten()
    });
    let draft = match existing {
        Some(draft) => draft,
        None => {
            let draft = crate::new_id();
            let editing = Editing {
                id,
                version,
                base: input.clone(),
            };
            save_draft(draft, kind, &input, Some(&editing), true)?;
            draft
        }
    };
    set_current_draft(kind, Some(draft));
    Ok(draft)
}

// ---------------------------------------------------------------- outbox

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
    /// 已发送: the server stored it (or already had it), as `version`.
    Sent {
        at_ms: f64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        version: Option<i64>,
    },
    /// 被退回: the server refused it; retrying the same body cannot help.
    Rejected {
        status: u16,
        message: String,
        fields: Vec<RefusedField>,
        /// 409: another change was stored first, and some fields were changed on both sides:
        /// the merge so far, for the worker to settle.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        conflict: Option<Conflicted>,
    },
}

/// A change that met another one stored first, merged field by field (`shared::merge`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Conflicted {
    /// The version stored now: the merged change goes as the version after it.
    pub current: i64,
    /// The form with every field that merged by itself; conflicting fields hold theirs.
    pub merged: Value,
    /// The fields both sides changed: `(field, base, mine, theirs)`.
    pub fields: Vec<(String, Value, Value, Value)>,
}

impl Conflicted {
    pub fn to_merge(&self) -> shared::merge::Merged {
        shared::merge::Merged {
            value: self.merged.clone(),
            conflicts: self
                .fields
                .iter()
                .map(|(field, base, mine, theirs)| shared::merge::Conflict {
                    field: field.clone(),
                    base: base.clone(),
                    mine: mine.clone(),
                    theirs: theirs.clone(),
                })
                .collect(),
        }
    }
}

/// Sends `body` again as a change of version `base` of its record: a refused item, corrected
/// or merged. It is tried at once.
pub fn send_again(id: Uuid, body: Value, base: Option<i64>) {
    update(id, |i| {
        i.body = body;
        if base.is_some() {
            i.edit_of = base;
        }
        i.state = SendState::Waiting {
            last_error: None,
            next_try_ms: 0.0,
        };
    });
}

/// Opens a refused item on its form to be corrected: a change of its record (of the version
/// stored now, after a conflict) or a new record's draft. The item leaves the outbox: its text
/// is the draft's now.
pub fn reopen(item: &OutboxItem) -> Result<Uuid> {
    let base = match &item.state {
        SendState::Rejected {
            conflict: Some(c), ..
        } => Some(c.current),
        _ => item.edit_of,
    };
    let draft = match (item.record_id, base) {
        (Some(id), Some(base)) => open_for_change(item.kind, id, base, item.body.clone())?,
        _ => {
            let draft = crate::new_id();
            save_draft(draft, item.kind, &item.body, None, true)?;
            set_current_draft(item.kind, Some(draft));
            draft
        }
    };
    discard_item(item.id);
    Ok(draft)
}

/// Drops an item the worker chose to discard (after a confirm).
pub fn discard_item(id: Uuid) {
    vault::put(&outbox_key(id), None);
    vault::set_unsent(unsent_count() as u32);
}

/// A field the server refused, as the app shows it: the server's own messages, which name the
/// field. The app never reads the problem's code, so it does not deserialise
/// `shared::FieldError` (whose derived reader of `Problem` alone was 3 % of the app's wasm).
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

/// One finished form in the outbox; once sent, a receipt.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutboxItem {
    pub id: Uuid,
    #[serde(default)]
    pub kind: FormKind,
    /// The form as typed, posted as it is. A receipt keeps only what
    /// [`crate::forms::receipt_body`] keeps.
    pub body: Value,
    /// 续办: a change to the stored record `record_id`, based on this version of it: sent as
    /// `PUT /api/{kind}/{id}` with `If-Match`. `None`: a new record, sent as `POST`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edit_of: Option<i64>,
    /// The record's id on the server.
    #[serde(default)]
    pub record_id: Option<Uuid>,
    /// What a receipt shows: the kind's masked first line and the record's date.
    #[serde(default)]
    pub line: String,
    pub queued_ms: f64,
    pub attempts: u32,
    pub state: SendState,
}

impl OutboxItem {
    pub fn is_unsent(&self) -> bool {
        !matches!(self.state, SendState::Sent { .. })
    }
}

fn outbox_key(id: Uuid) -> String {
    format!("outbox:{id}")
}

/// Every outbox item and receipt, oldest first.
pub fn load_outbox() -> Vec<OutboxItem> {
    let mut items: Vec<OutboxItem> = vault::scan("outbox:")
        .into_iter()
        .filter_map(|(_, text)| shared::json::read(&text).ok())
        .collect();
    crate::sort_by_key(&mut items, |i| i.queued_ms);
    items
}

fn save_item(item: &OutboxItem) -> Result {
    put(&outbox_key(item.id), item)?;
    vault::set_unsent(unsent_count() as u32);
    Ok(())
}

/// Queues a finished form of any kind. Queuing the same id twice (a double click) keeps the
/// first.
pub fn enqueue_form<T: Serialize>(kind: FormKind, id: Uuid, body: &T, now_ms: f64) -> Result {
    let body = crate::to_value(body)?;
    push_waiting(id, kind, body, None, now_ms)
}

/// Queues a change to the stored record `record_id`, based on its version `base`. The item's
/// own id is made from the record, the base and the change itself: the same change twice (a
/// double click) keeps the first, and any other change is an item of its own.
pub fn enqueue_edit<T: Serialize>(
    kind: FormKind,
    record_id: Uuid,
    base: i64,
    body: &T,
    now_ms: f64,
) -> Result {
    let text = serde_json::to_string(body)?;
    let id = Uuid::new_v5(&record_id, format!("version-{base}:{text}").as_bytes());
    let body: Value = serde_json::from_str(&text)?;
    push_waiting(id, kind, body, Some(base), now_ms)
}

/// Queues a finished form on the page it was typed on: a change of the stored record when
/// `base` is the version it continues (续办), else a new record.
pub fn enqueue_page<T: Serialize>(
    kind: FormKind,
    id: Uuid,
    base: Option<i64>,
    body: &T,
    now_ms: f64,
) -> Result {
    match base {
        Some(version) => enqueue_edit(kind, id, version, body, now_ms),
        None => enqueue_form(kind, id, body, now_ms),
    }
}

fn push_waiting(
    id: Uuid,
    kind: FormKind,
    body: Value,
    edit_of: Option<i64>,
    now_ms: f64,
) -> Result {
    if !vault::is_open() {
        return Err(StoreError::Locked);
    }
    if vault::get(&outbox_key(id)).is_some() {
        return Ok(());
    }
    let record_id = body
        .get("id")
        .and_then(Value::as_str)
        .and_then(|s| s.parse().ok());
    let line = crate::forms::receipt_line(kind, &body);
    save_item(&OutboxItem {
        id,
        kind,
        body,
        edit_of,
        record_id,
        line,
        queued_ms: now_ms,
        attempts: 0,
        state: SendState::Waiting {
            last_error: None,
            next_try_ms: now_ms,
        },
    })
}

/// Changes one item. A sent item keeps no body (a receipt), and receipts beyond
/// [`SENT_KEPT`] are dropped, oldest first; unsent items never are.
pub fn update(id: Uuid, f: impl FnOnce(&mut OutboxItem)) {
    let Some(mut item) = get::<OutboxItem>(&outbox_key(id)) else {
        return;
    };
    f(&mut item);
    if !item.is_unsent() {
        item.body = crate::forms::receipt_body(item.kind, &item.body);
    }
    let _ = save_item(&item);
    let receipts: Vec<OutboxItem> = load_outbox()
        .into_iter()
        .filter(|i| !i.is_unsent())
        .collect();
    for old in receipts
        .iter()
        .take(receipts.len().saturating_sub(SENT_KEPT))
    {
        vault::put(&outbox_key(old.id), None);
    }
}

/// Makes every waiting item due now (the network just came back).
pub fn retry_all_now(now_ms: f64) {
    for mut item in load_outbox() {
        if let SendState::Waiting { next_try_ms, .. } = &mut item.state {
            *next_try_ms = now_ms;
            let _ = put(&outbox_key(item.id), &item);
        }
    }
}

/// Unsent records, counting items this version cannot read (a newer version's kind of form):
/// they are never sent by it, and never dropped.
pub fn unsent_count() -> usize {
    vault::scan("outbox:")
        .iter()
        .filter(|(_, text)| shared::json::read::<OutboxItem>(text).map_or(true, |i| i.is_unsent()))
        .count()
}

// ---------------------------------------------------------------- other items

/// The signed-in worker's session, kept so the app works offline after an unlock.
pub fn load_session() -> Option<crate::session::Session> {
    get("session")
}

pub fn save_session(session: &crate::session::Session) -> Result {
    put("session", session)
}

/// Any other item of the vault (a council's roster): JSON under `id`.
pub fn load_item<T: DeserializeOwned>(id: &str) -> Option<T> {
    get(id)
}

pub fn save_item_as<T: Serialize>(id: &str, value: &T) -> Result {
    put(id, value)
}

/// The draft of `kind` whose form is the record `record_id` (a visit record drafted from a
/// meeting's item, say), if there is one.
pub fn draft_of_record(kind: FormKind, record_id: Uuid) -> Option<Uuid> {
    let id = record_id.to_string();
    vault::scan("draft:").into_iter().find_map(|(key, text)| {
        let d: Draft<Value> = shared::json::read(&text).ok()?;
        (d.kind == kind && d.input.get("id").and_then(Value::as_str) == Some(id.as_str()))
            .then(|| key.strip_prefix("draft:")?.parse().ok())
            .flatten()
    })
}

/// Queues a finished visit record.
pub fn enqueue(body: shared::VisitInput, now_ms: f64) -> Result {
    enqueue_form(FormKind::Visit, body.id, &body, now_ms)
}

/// The input of this tab's current draft of `kind`, if there is one.
pub fn current_input<T: DeserializeOwned>(kind: FormKind) -> Option<T> {
    current_draft(kind)
        .and_then(load_draft::<T>)
        .map(|d| d.input)
}

/// Opens a fresh vault for `account` kept in memory only, forgetting this tab's current
/// drafts: what the app does without WebCrypto (plain HTTP), and how the tests of the layers
/// above start from a clean device.
pub fn open_in_memory(account: &str) {
    for kind in FormKind::ALL {
        set_current_draft(kind, None);
    }
    MOVED.with(|m| m.borrow_mut().clear());
    vault::forget_parked(account);
    vault::open_in_memory(account, resolve);
}
