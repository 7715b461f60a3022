//! 加密保险箱: each account's data on this device, sealed under a key only its password (or, after
//! a password change, the server) can unwrap.
//!
//! An account's vault is a header in IndexedDB (`accounts`: salt, iterations, the data key
//! wrapped under the password-derived key and under the server's per-account vault secret, the
//! count of unsent records — a number, nothing personal) and its items (`items`: each sealed
//! with the data key, its revision beside it). Unlocking reads and opens every item once into
//! memory; from then on reads are plain memory reads (pages stay synchronous) and every write
//! updates memory at once and is sealed and stored behind it, one at a time, in order. The
//! unwrapped key is an unextractable `CryptoKey` held only here, dropped on lock.
//!
//! Two tabs: each write names the revision it last saw; a write that finds another one stored
//! is a conflict, settled by the [`Resolver`] the layer above gives (a draft keeps both), and
//! every stored write is announced on a `BroadcastChannel`, so the other tabs read it.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use js_sys::{Object, Reflect};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use web_sys::{BroadcastChannel, CryptoKey, IdbDatabase, MessageEvent};

use super::crypto::{self, CryptoError};
use super::idb::{self, Written};

const CHANNEL: &str = "jiajia.vault";

/// Items stored after every other waiting write: the replica's (`crate::replica`), which a
/// first sync makes by the hundred and the server can give again. Among themselves they are
/// stored in id order (`rec:` before `sync:`: a sync cursor never ahead of its records).
const BACKGROUND: [&str; 2] = ["rec:", "sync:"];

/// Why a vault did not open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VaultError {
    /// The password does not unwrap this account's key.
    WrongPassword,
    /// No vault for this account on this device, and no server to make one with.
    NoVault,
    /// No WebCrypto (not HTTPS) or no IndexedDB: nothing can be kept on this device.
    Unavailable(String),
    /// The device's storage is full, and this account has no vault here to open.
    Full,
    Failed(String),
}

impl From<idb::IdbError> for VaultError {
    fn from(e: idb::IdbError) -> Self {
        VaultError::Failed(e.0)
    }
}

impl From<CryptoError> for VaultError {
    fn from(e: CryptoError) -> Self {
        match e {
            CryptoError::Unavailable => VaultError::Unavailable("crypto.subtle".into()),
            CryptoError::Mismatch => VaultError::WrongPassword,
            CryptoError::Failed(s) => VaultError::Failed(s),
        }
    }
}

/// Something wrong with keeping data on this device, shown by the shell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreProblem {
    /// The browser's quota is used up: what was typed is kept in memory and stored when room
    /// is made.
    Full,
    /// Not a secure context (or no IndexedDB): nothing is kept once the page closes.
    MemoryOnly,
    Failed(String),
}

/// One account's vault header, as `accounts` holds it (a JS object, the keys as `Uint8Array`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Header {
    pub username: String,
    #[serde(with = "serde_bytes", default)]
    pub salt: Vec<u8>,
    #[serde(default)]
    pub iterations: u32,
    /// The data key wrapped under the password-derived key.
    #[serde(with = "serde_bytes", default)]
    pub by_password: Vec<u8>,
    /// The data key wrapped under the server's vault secret: a changed password re-wraps with
    /// it at the next online login.
    #[serde(with = "serde_bytes", default)]
    pub by_server: Vec<u8>,
    /// Unsent records in this vault (a count; shown to other accounts without content).
    #[serde(default)]
    pub unsent: u32,
    #[serde(default)]
    pub used_ms: f64,
}

/// One item as `items` holds it: its id, its revision, and its text sealed (none: deleted).
#[derive(Serialize, Deserialize)]
struct Item {
    id: String,
    rev: u32,
    #[serde(with = "serde_bytes", default, skip_serializing_if = "Option::is_none")]
    sealed: Option<Vec<u8>>,
}

impl Item {
    fn from_js(stored: JsValue) -> Option<Item> {
        serde_wasm_bindgen::from_value(stored).ok()
    }
}

/// What a tab says to the account's other tabs: an item it stored, or a lock (a logout).
#[derive(Serialize, Deserialize)]
struct Announcement {
    account: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(default)]
    lock: bool,
}

impl Announcement {
    fn post(&self, channel: &BroadcastChannel) {
        if let Ok(msg) = serde_wasm_bindgen::to_value(self) {
            let _ = channel.post_message(&msg);
        }
    }
}

fn set(o: &Object, k: &str, v: impl Into<JsValue>) {
    let _ = Reflect::set(o, &k.into(), &v.into());
}

impl Header {
    fn to_js(&self) -> Result<JsValue, idb::IdbError> {
        serde_wasm_bindgen::to_value(self).map_err(|e| idb::IdbError(e.to_string()))
    }

    fn from_js(o: &JsValue) -> Option<Header> {
        serde_wasm_bindgen::from_value(o.clone()).ok()
    }
}

/// How a write that met another tab's newer item is settled.
pub enum Resolution {
    /// Keep what is stored; this tab's change is dropped (an outbox state the other tab
    /// already moved on).
    Theirs,
    /// Keep what is stored, and this tab's text under another id (a draft: both kept).
    Both { id: String, text: String },
}

/// Decides a conflict on `id` between this tab's text and the stored one (`None`: another tab
/// removed it).
pub type Resolver = fn(id: &str, mine: &str, theirs: Option<&str>) -> Resolution;

/// The channel other tabs announce their writes on, and its handler.
type TabChannel = (BroadcastChannel, Closure<dyn FnMut(MessageEvent)>);
type Listeners = Vec<(u32, Rc<dyn Fn()>)>;

struct Entry {
    /// `None`: deleted here, the deletion not yet stored.
    text: Option<String>,
    /// Changes whenever `text` does (here or from another tab): lets the layer above keep what
    /// it derived from an item until the item changes.
    stamp: u64,
    /// The revision stored in IndexedDB as far as this tab knows.
    stored_rev: u32,
    /// Bumped on every change here, to tell whether a change came while a write was sealing.
    local: u64,
    dirty: bool,
}

struct Open {
    account: String,
    /// `None`: kept in memory only (no secure context, or a test).
    key: Option<CryptoKey>,
    db: Option<IdbDatabase>,
    entries: BTreeMap<String, Entry>,
    writing: bool,
    /// Why what is typed is not stored (`Full` and `Failed` are cleared by the next stored
    /// write; `MemoryOnly` stays).
    problem: Option<StoreProblem>,
    /// Items that did not open (changed bytes), by id, with their stored revision: kept as
    /// they are and not shown, until a readable copy replaces them (a write of that id here,
    /// or another tab's). Apart from `problem`, so that a full device does not hide them, nor
    /// room again forget them.
    unreadable: BTreeMap<String, u32>,
    resolver: Resolver,
    channel: Option<TabChannel>,
    /// The header as the unlock left it, not stored yet (a full device): a password change's
    /// re-wrap in it is written before any item, once there is room.
    header: Option<Header>,
}

thread_local! {
    static OPEN: RefCell<Option<Open>> = const { RefCell::new(None) };
    /// Memory-only vaults that were locked, by account (see [`lock`]).
    static PARKED: RefCell<BTreeMap<String, BTreeMap<String, Entry>>> =
        const { RefCell::new(BTreeMap::new()) };
    static LISTENERS: RefCell<Listeners> = const { RefCell::new(Vec::new()) };
    static NEXT_LISTENER: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
    static NEXT_STAMP: std::cell::Cell<u64> = const { std::cell::Cell::new(1) };
}

fn next_stamp() -> u64 {
    NEXT_STAMP.with(|n| {
        let s = n.get();
        n.set(s + 1);
        s
    })
}

/// Runs `f` on the open vault, if there is one.
fn with_open<R>(f: impl FnOnce(&mut Open) -> R) -> Option<R> {
    OPEN.with(|o| o.borrow_mut().as_mut().map(f))
}

/// Runs `f` on every listener, after the change that calls it.
pub fn notify() {
    let listeners: Vec<Rc<dyn Fn()>> =
        LISTENERS.with(|l| l.borrow().iter().map(|(_, f)| f.clone()).collect());
    for f in listeners {
        f();
    }
}

/// Calls `f` after every change the UI may show (another tab's write, a lock, a problem);
/// dropping the handle stops it.
pub struct Listener(u32);

impl Drop for Listener {
    fn drop(&mut self) {
        let id = self.0;
        LISTENERS.with(|l| l.borrow_mut().retain(|(i, _)| *i != id));
    }
}

pub fn listen(f: impl Fn() + 'static) -> Listener {
    let id = NEXT_LISTENER.with(|n| {
        let id = n.get();
        n.set(id + 1);
        id
    });
    LISTENERS.with(|l| l.borrow_mut().push((id, Rc::new(f))));
    Listener(id)
}

/// What memory keeps of a deleted item: its revision, so a write of the same id later (a
/// session, a roster) is checked against it, not against nothing.
fn tombstone(stored_rev: u32) -> Entry {
    Entry {
        text: None,
        stamp: next_stamp(),
        stored_rev,
        local: 0,
        dirty: false,
    }
}

fn aad(account: &str, id: &str) -> Vec<u8> {
    format!("{account}/{id}").into_bytes()
}

fn wrap_aad(account: &str, by: &str) -> Vec<u8> {
    format!("{by}:{account}").into_bytes()
}

/// Every vault header on this device (for the login page: who has data here, and how many
/// unsent records).
pub async fn headers() -> Vec<Header> {
    let Ok(db) = idb::open().await else {
        return Vec::new();
    };
    idb::all(&db, idb::ACCOUNTS)
        .await
        .unwrap_or_default()
        .iter()
        .filter_map(Header::from_js)
        .collect()
}

/// `performance.now()`.
fn now_ms() -> f64 {
    let perf = Reflect::get(&gloo::utils::window(), &"performance".into()).unwrap_or_default();
    Reflect::get(&perf, &"now".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .and_then(|f| f.call0(&perf).ok())
        .and_then(|v| v.as_f64())
        .unwrap_or_else(js_sys::Date::now)
}

/// A User Timing measure from `start` to now, for `cargo xtask bench vault` (and the browser's
/// performance panel); nothing reads it in the app.
fn measure(name: &str, start: f64) {
    let perf = Reflect::get(&gloo::utils::window(), &"performance".into()).unwrap_or_default();
    if let Some(f) = Reflect::get(&perf, &"measure".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    {
        let options = Object::new();
        set(&options, "start", start);
        let _ = f.call2(&perf, &name.into(), &options);
    }
}

/// Opens `username`'s vault with `password`, making it on first use. `server_secret` is the
/// account's vault secret from an online login: with it a vault whose password has changed
/// is re-wrapped under the new one; without it (offline) only the password opens the vault.
pub async fn unlock(
    username: &str,
    password: &str,
    server_secret: Option<&[u8]>,
    resolver: Resolver,
) -> Result<(), VaultError> {
    // Another account's vault still open here would be replaced with whatever it has not
    // stored yet: the caller locks it first.
    if account().is_some_and(|a| a != username) {
        return Err(VaultError::Failed("another account's vault is open".into()));
    }
    let started = now_ms();
    let db = idb::open()
        .await
        .map_err(|e| VaultError::Unavailable(e.0))?;
    crypto::subtle().ok_or(VaultError::Unavailable("crypto.subtle".into()))?;
    let stored = match idb::get(&db, idb::ACCOUNTS, username).await? {
        // A header that does not read is not a missing one: making a vault anew over it
        // would leave every item of the account unreadable.
        Some(value) => Some(
            Header::from_js(&value)
                .ok_or_else(|| VaultError::Failed("the vault header does not read".into()))?,
        ),
        None => None,
    };
    let existed = stored.is_some();
    let (mut header, key) = match stored {
        None => {
            let secret = server_secret.ok_or(VaultError::NoVault)?;
            create(username, password, secret).await?
        }
        Some(header) => open_header(header, password, server_secret).await?,
    };
    header.used_ms = js_sys::Date::now();
    let mut pending = None;
    if let Err(e) = idb::put(&db, idb::ACCOUNTS, username, &header.to_js()?).await {
        match (e.is_quota(), existed) {
            // A full device still opens the vault it holds: what is in it (unsent records
            // among them) stays at hand, and new writes wait for room, the header first.
            (true, true) => pending = Some(header),
            (true, false) => return Err(VaultError::Full),
            (false, _) => return Err(e.into()),
        }
    }

    measure("jiajia.vault.key", started);
    let mut entries = BTreeMap::new();
    let mut unreadable = BTreeMap::new();
    let mut opening = Vec::new();
    for (n, stored) in idb::items_of(&db, username).await?.into_iter().enumerate() {
        let Some(Item { id, rev, sealed }) = Item::from_js(stored.clone()) else {
            // Not an item as this app writes them: counted under its id (so that a write of
            // it replaces it), never shown.
            let id = Reflect::get(&stored, &"id".into())
                .ok()
                .and_then(|v| v.as_string())
                .unwrap_or_else(|| format!("#{n}"));
            unreadable.insert(id, idb::rev_of(&stored));
            continue;
        };
        match sealed {
            Some(bytes) => {
                let started = crypto::begin_open(&key, &aad(username, &id), &bytes);
                opening.push((id, rev, started));
            }
            None => {
                entries.insert(id, tombstone(rev));
            }
        }
    }
    for (id, rev, started) in opening {
        match started.finish().await {
            Ok(plain) => {
                let text = String::from_utf8(plain).unwrap_or_default();
                entries.insert(
                    id,
                    Entry {
                        text: Some(text),
                        stamp: next_stamp(),
                        stored_rev: rev,
                        local: 0,
                        dirty: false,
                    },
                );
            }
            Err(_) => {
                unreadable.insert(id, rev);
            }
        }
    }
    measure("jiajia.vault.unlock", started);
    let channel = listen_to_tabs(username);
    OPEN.with(|o| {
        *o.borrow_mut() = Some(Open {
            account: username.to_owned(),
            key: Some(key),
            db: Some(db),
            entries,
            writing: false,
            problem: pending.is_some().then_some(StoreProblem::Full),
            unreadable,
            resolver,
            channel,
            header: pending,
        })
    });
    notify();
    Ok(())
}

async fn create(
    username: &str,
    password: &str,
    secret: &[u8],
) -> Result<(Header, CryptoKey), VaultError> {
    let salt = crypto::random(16);
    let data = crypto::new_data_key().await?;
    let by_pw = crypto::password_key(password, &salt, crypto::ITERATIONS).await?;
    let by_password = crypto::wrap(&data, &by_pw, &wrap_aad(username, "password")).await?;
    let by_srv = crypto::secret_key(secret).await?;
    let by_server = crypto::wrap(&data, &by_srv, &wrap_aad(username, "server")).await?;
    // The extractable key is dropped; the one kept cannot leave WebCrypto.
    let key = crypto::unwrap(&by_password, &by_pw, &wrap_aad(username, "password"), false).await?;
    let header = Header {
        username: username.to_owned(),
        salt,
        iterations: crypto::ITERATIONS,
        by_password,
        by_server,
        unsent: 0,
        used_ms: 0.0,
    };
    Ok((header, key))
}

async fn open_header(
    mut header: Header,
    password: &str,
    secret: Option<&[u8]>,
) -> Result<(Header, CryptoKey), VaultError> {
    let user = header.username.clone();
    let (pw_aad, srv_aad) = (wrap_aad(&user, "password"), wrap_aad(&user, "server"));
    let by_pw = crypto::password_key(password, &header.salt, header.iterations).await?;
    let by_srv = match secret {
        Some(s) => Some(crypto::secret_key(s).await?),
        None => None,
    };
    match crypto::unwrap(&header.by_password, &by_pw, &pw_aad, false).await {
        Ok(key) => {
            // A vault made before the server gave secrets, or a rotated secret: wrap it anew.
            if let Some(srv) = &by_srv
                && crypto::unwrap(&header.by_server, srv, &srv_aad, false)
                    .await
                    .is_err()
            {
                let data = crypto::unwrap(&header.by_password, &by_pw, &pw_aad, true).await?;
                header.by_server = crypto::wrap(&data, srv, &srv_aad).await?;
            }
            // Made when fewer iterations were the rule: wrapped anew under today's count (a
            // second derivation, once).
            if header.iterations < crypto::ITERATIONS {
                let data = crypto::unwrap(&header.by_password, &by_pw, &pw_aad, true).await?;
                header.salt = crypto::random(16);
                header.iterations = crypto::ITERATIONS;
                let by_pw = crypto::password_key(password, &header.salt, header.iterations).await?;
                header.by_password = crypto::wrap(&data, &by_pw, &pw_aad).await?;
            }
            Ok((header, key))
        }
        Err(CryptoError::Mismatch) => {
            // The server has just accepted this password: it was changed. Its secret opens
            // the data key, which is wrapped under the new password from now on.
            let srv = by_srv.ok_or(VaultError::WrongPassword)?;
            let data = crypto::unwrap(&header.by_server, &srv, &srv_aad, true)
                .await
                .map_err(|_| VaultError::WrongPassword)?;
            header.salt = crypto::random(16);
            header.iterations = crypto::ITERATIONS;
            let by_pw = crypto::password_key(password, &header.salt, header.iterations).await?;
            header.by_password = crypto::wrap(&data, &by_pw, &pw_aad).await?;
            let key = crypto::unwrap(&header.by_password, &by_pw, &pw_aad, false).await?;
            Ok((header, key))
        }
        Err(e) => Err(e.into()),
    }
}

/// A vault kept in memory only: where the browser gives no WebCrypto (plain HTTP), and in
/// tests of the layers above. What a lock of this account put aside comes back (an online
/// login, which checked the password, opens it).
pub fn open_in_memory(username: &str, resolver: Resolver) {
    let entries = PARKED.with(|p| p.borrow_mut().remove(username).unwrap_or_default());
    OPEN.with(|o| {
        *o.borrow_mut() = Some(Open {
            account: username.to_owned(),
            key: None,
            db: None,
            entries,
            writing: false,
            problem: Some(StoreProblem::MemoryOnly),
            unreadable: BTreeMap::new(),
            resolver,
            channel: None,
            header: None,
        })
    });
    notify();
}

/// Drops what a lock of `username`'s memory-only vault put aside (a fresh start).
pub fn forget_parked(username: &str) {
    PARKED.with(|p| p.borrow_mut().remove(username));
}

/// The open vault's key, for the tests that check it cannot be exported.
#[doc(hidden)]
pub fn key_for_test() -> Option<CryptoKey> {
    with_open(|o| o.key.clone()).flatten()
}

/// Whose vault is open, if any.
pub fn account() -> Option<String> {
    with_open(|o| o.account.clone())
}

/// Why what is typed is not stored now, if it is not.
pub fn problem() -> Option<StoreProblem> {
    with_open(|o| o.problem.clone()).flatten()
}

/// How many of this account's stored items do not open (damaged or altered; kept as they are
/// until a readable copy replaces them).
pub fn unreadable() -> usize {
    with_open(|o| o.unreadable.len()).unwrap_or(0)
}

/// Locks this tab: whatever is not stored yet is stored first (it needs the key), then the key
/// and every opened item are dropped. False, and still open, when something could not be
/// stored (the quota is used up): locking would lose it.
pub async fn lock() -> bool {
    lock_tabs(false).await
}

/// Locks this tab and the account's other tabs (a logout).
pub async fn lock_everywhere() -> bool {
    lock_tabs(true).await
}

async fn lock_tabs(everywhere: bool) -> bool {
    flush().await;
    if with_open(|o| o.key.is_some() && o.entries.values().any(|e| e.dirty)).unwrap_or(false) {
        return false;
    }
    OPEN.with(|o| {
        let Some(mut open) = o.borrow_mut().take() else {
            return;
        };
        if open.key.is_none() {
            // Memory only: nowhere to store it, so a lock (idle, or a logout that keeps the
            // data) puts the items aside, unreadable to the pages, until this account's next
            // online login in this page; only "remove" drops them.
            let entries = std::mem::take(&mut open.entries);
            PARKED.with(|p| p.borrow_mut().insert(open.account.clone(), entries));
        }
        if let Some((channel, _)) = open.channel {
            // A logout leaves no tab of the account open (an idle lock is this tab's alone:
            // another may be in use).
            if everywhere {
                Announcement {
                    account: open.account.clone(),
                    id: None,
                    lock: true,
                }
                .post(&channel);
            }
            channel.close();
        }
    });
    notify();
    true
}

/// Removes `username`'s vault from this device (locking it first if it is open).
pub async fn remove(username: &str) -> Result<(), VaultError> {
    if account().as_deref() == Some(username) {
        // The other tabs lock; what could not be stored goes anyway: the worker chose so.
        let _ = lock_everywhere().await;
        OPEN.with(|o| o.borrow_mut().take());
        notify();
    }
    forget_parked(username);
    let db = idb::open().await?;
    idb::remove_account(&db, username).await?;
    Ok(())
}

/// Sets the unsent count in the account's header.
pub fn set_unsent(count: u32) {
    let Some((db, account)) = with_open(|o| (o.db.clone(), o.account.clone())) else {
        return;
    };
    let Some(db) = db else { return };
    wasm_bindgen_futures::spawn_local(async move {
        let _ = idb::set_field(&db, idb::ACCOUNTS, &account, "unsent", count.into()).await;
    });
}

/// The text of item `id`.
pub fn get(id: &str) -> Option<String> {
    with_open(|o| o.entries.get(id).and_then(|e| e.text.clone())).flatten()
}

/// Every item whose id starts with `prefix`, in id order.
pub fn scan(prefix: &str) -> Vec<(String, String)> {
    with_open(|o| {
        o.entries
            .range(prefix.to_owned()..)
            .take_while(|(id, _)| id.starts_with(prefix))
            .filter_map(|(id, e)| e.text.clone().map(|t| (id.clone(), t)))
            .collect()
    })
    .unwrap_or_default()
}

/// The ids of the items whose id starts with `prefix`, with their stamps (which change
/// whenever the item does), in id order.
pub fn stamps(prefix: &str) -> Vec<(String, u64)> {
    with_open(|o| {
        o.entries
            .range(prefix.to_owned()..)
            .take_while(|(id, _)| id.starts_with(prefix))
            .filter(|(_, e)| e.text.is_some())
            .map(|(id, e)| (id.clone(), e.stamp))
            .collect()
    })
    .unwrap_or_default()
}

/// Whether item `id` has a change here not yet stored.
pub fn is_dirty(id: &str) -> bool {
    with_open(|o| o.entries.get(id).is_some_and(|e| e.dirty)).unwrap_or(false)
}

/// Whether a vault is open: without one nothing can be kept.
pub fn is_open() -> bool {
    with_open(|_| ()).is_some()
}

/// Stores `text` as item `id` (or deletes it, for `None`): in memory at once, on the device
/// right after. False when no vault is open.
pub fn put(id: &str, text: Option<String>) -> bool {
    let mut replaced = false;
    let changed = with_open(|o| {
        let persisted = o.key.is_some();
        // A damaged copy under this id is replaced by what is written now (a session, a
        // replica bucket: ids that come again); its revision keeps the write from conflicting.
        let damaged = o.unreadable.remove(id);
        replaced = damaged.is_some();
        let e = o
            .entries
            .entry(id.to_owned())
            .or_insert_with(|| tombstone(damaged.unwrap_or(0)));
        // (Deleting a damaged copy is a change too: its tombstone replaces it.)
        if e.text == text && !replaced {
            return persisted && e.dirty;
        }
        e.text = text;
        e.stamp = next_stamp();
        e.local += 1;
        e.dirty = persisted;
        persisted
    });
    if replaced {
        notify();
    }
    match changed {
        None => false,
        Some(true) => {
            start_writer();
            true
        }
        Some(false) => true,
    }
}

fn start_writer() {
    let start = with_open(|o| !std::mem::replace(&mut o.writing, true)).unwrap_or(false);
    if start {
        wasm_bindgen_futures::spawn_local(write_all());
    }
}

/// Stores every changed item, one at a time, until none is left (or storage fails: the
/// items stay changed in memory and the next write or [`retry`] tries again).
async fn write_all() {
    let mut reopened = false;
    // A header the unlock could not store goes first (a re-wrap the next offline unlock needs).
    if let Some((account, db, header)) =
        with_open(|o| Some((o.account.clone(), o.db.clone()?, o.header.clone()?))).flatten()
    {
        let stored = match header.to_js() {
            Ok(value) => idb::put(&db, idb::ACCOUNTS, &account, &value).await,
            Err(e) => Err(e),
        };
        match stored {
            Ok(()) => with_open(|o| {
                if o.account == account {
                    o.header = None;
                    stored_again(o);
                }
            })
            .unwrap_or_default(),
            Err(e) => {
                refused(e);
                with_open(|o| o.writing = false);
                return;
            }
        }
        notify();
    }
    loop {
        let next = with_open(|o| {
            // What the worker typed or queued (and the session) first; the replica, which can
            // be pulled again, after it.
            let (id, e) = o
                .entries
                .iter()
                .filter(|(_, e)| e.dirty)
                .min_by_key(|(id, _)| BACKGROUND.iter().any(|p| id.starts_with(p)))?;
            Some((
                o.account.clone(),
                o.key.clone()?,
                o.db.clone()?,
                id.clone(),
                e.text.clone(),
                e.stored_rev,
                e.local,
            ))
        })
        .flatten();
        let Some((account, key, db, id, text, stored_rev, local)) = next else {
            break;
        };
        let started = now_ms();
        let written = write_one(&account, &key, &db, &id, text.as_deref(), stored_rev).await;
        measure("jiajia.vault.write", started);
        match written {
            Ok(Written::Done) => {
                with_open(|o| {
                    if o.account != account {
                        return;
                    }
                    if let Some(e) = o.entries.get_mut(&id) {
                        e.stored_rev = stored_rev + 1;
                        e.dirty = e.local != local;
                    }
                    stored_again(o);
                });
                announce(&account, &id);
            }
            Ok(Written::Conflict { .. }) => {
                if !resolve_conflict(&account, &key, &db, &id).await {
                    break;
                }
            }
            Err(e) if e.is_closed() && !reopened => {
                // Another version of the app upgraded the database and this connection was
                // closed for it: open it again and go on.
                reopened = true;
                if let Ok(db) = idb::open().await {
                    with_open(|o| o.db = Some(db));
                }
            }
            Err(e) => {
                refused(e);
                break;
            }
        }
    }
    with_open(|o| o.writing = false);
}

/// A write went through: storage that was full or failing works again.
fn stored_again(o: &mut Open) {
    if matches!(
        o.problem,
        Some(StoreProblem::Full | StoreProblem::Failed(_))
    ) {
        o.problem = None;
    }
}

/// A write was refused: the problem the shell shows (what waits stays changed in memory).
fn refused(e: idb::IdbError) {
    let problem = if e.is_quota() {
        StoreProblem::Full
    } else {
        StoreProblem::Failed(e.0)
    };
    with_open(|o| o.problem = Some(problem));
    notify();
}

async fn write_one(
    account: &str,
    key: &CryptoKey,
    db: &IdbDatabase,
    id: &str,
    text: Option<&str>,
    stored_rev: u32,
) -> idb::Result<Written> {
    let sealed = match text {
        Some(t) => Some(
            crypto::seal(key, &aad(account, id), t.as_bytes())
                .await
                .map_err(|e| idb::IdbError(format!("{e:?}")))?,
        ),
        None => None,
    };
    let item = Item {
        id: id.to_owned(),
        rev: stored_rev + 1,
        sealed,
    };
    let value = serde_wasm_bindgen::to_value(&item).map_err(|e| idb::IdbError(e.to_string()))?;
    idb::write_if(db, &idb::item_key(account, id), stored_rev, value).await
}

/// Another tab stored `id` first: read what it stored and let the resolver decide. When that
/// cannot be read, nothing is decided: the change stays here, and storage is reported failed
/// (the next write or [`retry`] tries again).
async fn resolve_conflict(account: &str, key: &CryptoKey, db: &IdbDatabase, id: &str) -> bool {
    // A copy stored since the unlock that does not open is not overwritten: it may be sealed
    // under a key this tab does not hold (the vault removed and made anew in another tab).
    let Some((rev, their_text)) = read_stored(account, key, db, id).await else {
        with_open(|o| o.problem = Some(StoreProblem::Failed("conflict unread".into())));
        notify();
        return false;
    };
    let resolution = with_open(|o| {
        if o.account != account {
            return None;
        }
        let e = o.entries.get_mut(id)?;
        let mine = e.text.clone();
        let resolution = mine
            .as_deref()
            .map(|m| (o.resolver)(id, m, their_text.as_deref()));
        e.text = their_text.clone();
        e.stamp = next_stamp();
        e.stored_rev = rev;
        e.dirty = false;
        resolution
    })
    .flatten();
    if let Some(Resolution::Both { id: copy, text }) = resolution {
        put(&copy, Some(text));
    }
    notify();
    true
}

/// The stored revision and text of `id` (`None` text: deleted); `None` when it cannot be
/// read or does not open.
async fn read_stored(
    account: &str,
    key: &CryptoKey,
    db: &IdbDatabase,
    id: &str,
) -> Option<(u32, Option<String>)> {
    let stored = idb::get(db, idb::ITEMS, &idb::item_key(account, id))
        .await
        .ok()?;
    let Some(stored) = stored else {
        return Some((0, None));
    };
    let Item { rev, sealed, .. } = Item::from_js(stored)?;
    let Some(sealed) = sealed else {
        return Some((rev, None));
    };
    let plain = crypto::open(key, &aad(account, id), &sealed).await.ok()?;
    Some((rev, String::from_utf8(plain).ok()))
}

fn announce(account: &str, id: &str) {
    with_open(|o| {
        if let Some((channel, _)) = &o.channel {
            Announcement {
                account: account.to_owned(),
                id: Some(id.to_owned()),
                lock: false,
            }
            .post(channel);
        }
    });
}

/// Another tab stored an item of this account: read it, unless this tab has a change of it
/// on its way (that write will meet the other one and be settled there).
fn listen_to_tabs(account: &str) -> Option<TabChannel> {
    let channel = BroadcastChannel::new(CHANNEL).ok()?;
    let me = account.to_owned();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        let Ok(said) = serde_wasm_bindgen::from_value::<Announcement>(e.data()) else {
            return;
        };
        if said.account != me {
            return;
        }
        // A logout in another tab: this one locks too (a lock message names no item).
        if said.lock {
            wasm_bindgen_futures::spawn_local(async {
                lock().await;
            });
            return;
        }
        let (account, Some(id)) = (said.account, said.id) else {
            return;
        };
        let Some((key, db)) = with_open(|o| {
            let busy = o.entries.get(&id).is_some_and(|e| e.dirty);
            (o.account == account && !busy).then(|| (o.key.clone(), o.db.clone()))
        })
        .flatten() else {
            return;
        };
        let (Some(key), Some(db)) = (key, db) else {
            return;
        };
        wasm_bindgen_futures::spawn_local(async move {
            let Some((rev, text)) = read_stored(&account, &key, &db, &id).await else {
                return;
            };
            let changed = with_open(|o| {
                if o.account != account {
                    return false;
                }
                match o.entries.get_mut(&id) {
                    Some(e) if e.dirty || e.stored_rev >= rev => false,
                    Some(e) => {
                        e.text = text.clone();
                        e.stamp = next_stamp();
                        e.stored_rev = rev;
                        true
                    }
                    None => {
                        // A readable copy from another tab takes a damaged one's place.
                        o.unreadable.remove(&id);
                        let mut e = tombstone(rev);
                        e.text = text.clone();
                        o.entries.insert(id.clone(), e);
                        true
                    }
                }
            })
            .unwrap_or(false);
            if changed {
                notify();
            }
        });
    });
    channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    Some((channel, on_message))
}

/// Tries again to store what is waiting (after the quota was hit, say).
pub fn retry() {
    if with_open(|o| o.header.is_some() || o.entries.values().any(|e| e.dirty)).unwrap_or(false) {
        start_writer();
    }
}

/// Waits until every change is stored (or storage fails).
pub async fn flush() {
    for _ in 0..200 {
        let waiting = with_open(|o| {
            o.key.is_some()
                && o.entries.values().any(|e| e.dirty)
                && !matches!(
                    o.problem,
                    Some(StoreProblem::Full | StoreProblem::Failed(_))
                )
        })
        .unwrap_or(false);
        if !waiting {
            return;
        }
        start_writer();
        gloo::timers::future::TimeoutFuture::new(10).await;
    }
}
