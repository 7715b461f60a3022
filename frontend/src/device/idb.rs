//! IndexedDB, the device store: a thin layer over `web-sys`.
//!
//! Two object stores with out-of-line string keys: `accounts` (one vault header per account,
//! keyed by username) and `items` (every sealed item, keyed `account \u{1} id`, so one key range
//! reads an account's items). Values are plain JS objects; nothing here is personal in the
//! clear — the vault seals before it writes and opens after it reads. A deleted item stays as a
//! tombstone (`{id, rev}`, nothing sealed) so that its revision goes on counting: a tab that
//! last saw an older revision cannot write over a later item of the same id.
//!
//! An IndexedDB transaction commits as soon as no request is pending when control returns to the
//! event loop, so nothing here awaits anything but IndexedDB's own requests while a transaction
//! is open; the compare-and-put runs inside the `get` request's success callback.

use std::cell::Cell;
use std::rc::Rc;

use js_sys::{Array, Promise, Reflect};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbKeyRange, IdbOpenDbRequest, IdbRequest, IdbTransaction};
use web_sys::{IdbTransactionMode, IdbVersionChangeEvent};

pub const DB_NAME: &str = "jiajia";
pub const ACCOUNTS: &str = "accounts";
pub const ITEMS: &str = "items";

/// A failed IndexedDB call, with the browser's error name (`QuotaExceededError`, …).
#[derive(Clone, Debug, PartialEq)]
pub struct IdbError(pub String);

impl IdbError {
    pub fn is_quota(&self) -> bool {
        self.0.contains("Quota")
    }

    /// The connection was closed under us (another version of the app upgraded the database):
    /// open it again and retry.
    pub fn is_closed(&self) -> bool {
        self.0.contains("InvalidState")
    }
}

thread_local! {
    /// The error every write reports instead of writing, for the tests of what the layers
    /// above do when storage is full.
    static FAIL_WRITES: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Makes every write fail with `error` (a DOMException name such as `QuotaExceededError`), or
/// work again with `None`. Tests only: a real quota cannot be filled quickly in a test.
#[doc(hidden)]
pub fn fail_writes_for_test(error: Option<&str>) {
    FAIL_WRITES.with(|f| *f.borrow_mut() = error.map(str::to_owned));
}

fn injected() -> Result<()> {
    FAIL_WRITES.with(|f| f.borrow().clone().map_or(Ok(()), |e| Err(IdbError(e))))
}

impl From<JsValue> for IdbError {
    fn from(e: JsValue) -> Self {
        let name = Reflect::get(&e, &"name".into())
            .ok()
            .and_then(|n| n.as_string());
        IdbError(
            name.or_else(|| e.as_string())
                .unwrap_or_else(|| format!("{e:?}")),
        )
    }
}

pub type Result<T> = std::result::Result<T, IdbError>;

/// The `on…` handlers `settle` sets, cleared again when one fires.
const HANDLERS: [&str; 4] = ["onsuccess", "oncomplete", "onerror", "onabort"];

/// A promise settled by the first of success / complete (`ok` reads the result) or error /
/// abort (rejected with the error of the event's target: the failing request's, say) on
/// `target`, a request or a transaction. The handler frees itself once it has run.
fn settle(target: &JsValue, ok: impl FnOnce() -> JsValue + 'static) -> JsFuture {
    let target = target.clone();
    let mut ok = Some(ok);
    let promise = Promise::new(&mut |resolve, reject| {
        let t = target.clone();
        let ok = ok.take();
        let done = Closure::once_into_js(move |e: web_sys::Event| {
            for h in HANDLERS {
                let _ = Reflect::set(&t, &h.into(), &JsValue::NULL);
            }
            if e.type_() == "error" || e.type_() == "abort" {
                let source = e.target().map_or(t.clone(), JsValue::from);
                let err = Reflect::get(&source, &"error".into())
                    .ok()
                    .filter(|e| !e.is_null())
                    .or_else(|| Reflect::get(&t, &"error".into()).ok())
                    .unwrap_or(JsValue::NULL);
                let _ = reject.call1(&JsValue::NULL, &err);
            } else {
                let value = ok.map_or(JsValue::UNDEFINED, |ok| ok());
                let _ = resolve.call1(&JsValue::NULL, &value);
            }
        });
        for h in HANDLERS {
            let _ = Reflect::set(&target, &h.into(), &done);
        }
    });
    JsFuture::from(promise)
}

async fn request(req: &IdbRequest) -> Result<JsValue> {
    let r = req.clone();
    Ok(settle(req.as_ref(), move || {
        r.result().unwrap_or(JsValue::UNDEFINED)
    })
    .await?)
}

async fn finished(tx: &IdbTransaction) -> Result<()> {
    settle(tx.as_ref(), || JsValue::TRUE).await?;
    Ok(())
}

fn factory() -> Result<web_sys::IdbFactory> {
    gloo::utils::window()
        .indexed_db()?
        .ok_or_else(|| IdbError("IndexedDB is not available".into()))
}

/// Opens the database, creating its stores the first time. A database of the name that lacks
/// them (made by another script opening it without a version) is upgraded to have them.
pub async fn open() -> Result<IdbDatabase> {
    // Whatever version is there (a new database is made at 1, with the stores).
    let db = open_at(None).await?;
    let names = db.object_store_names();
    if names.contains(ACCOUNTS) && names.contains(ITEMS) {
        return Ok(db);
    }
    let next = db.version() as u32 + 1;
    db.close();
    open_at(Some(next)).await
}

async fn open_at(version: Option<u32>) -> Result<IdbDatabase> {
    let req: IdbOpenDbRequest = match version {
        Some(v) => factory()?.open_with_u32(DB_NAME, v)?,
        None => factory()?.open(DB_NAME)?,
    };
    let upgrade = Closure::<dyn FnMut(IdbVersionChangeEvent)>::new({
        let req = req.clone();
        move |_| {
            if let Ok(db) = req.result().map(|r| r.unchecked_into::<IdbDatabase>()) {
                let names = db.object_store_names();
                for store in [ACCOUNTS, ITEMS] {
                    if !names.contains(store) {
                        let _ = db.create_object_store(store);
                    }
                }
            }
        }
    });
    req.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    let db: IdbDatabase = request(&req).await?.unchecked_into();
    req.set_onupgradeneeded(None);
    drop(upgrade);
    // Another tab's newer version waits for this connection to close: it is closed at once
    // (the vault opens a new one on its next write), never left blocking the upgrade.
    let on_change = Closure::<dyn FnMut()>::new({
        let db = db.clone();
        move || db.close()
    });
    db.set_onversionchange(Some(on_change.as_ref().unchecked_ref()));
    on_change.forget();
    Ok(db)
}

fn store(
    db: &IdbDatabase,
    name: &str,
    write: bool,
) -> Result<(IdbTransaction, web_sys::IdbObjectStore)> {
    let mode = if write {
        IdbTransactionMode::Readwrite
    } else {
        IdbTransactionMode::Readonly
    };
    let tx = db.transaction_with_str_and_mode(name, mode)?;
    let store = tx.object_store(name)?;
    Ok((tx, store))
}

/// The key of `account`'s item `id`.
pub fn item_key(account: &str, id: &str) -> String {
    format!("{account}\u{1}{id}")
}

fn account_range(account: &str) -> Result<JsValue> {
    Ok(IdbKeyRange::bound(
        &format!("{account}\u{1}").into(),
        &format!("{account}\u{2}").into(),
    )?
    .into())
}

pub async fn get(db: &IdbDatabase, name: &str, key: &str) -> Result<Option<JsValue>> {
    let (_tx, store) = store(db, name, false)?;
    let value = request(&store.get(&key.into())?).await?;
    Ok((!value.is_undefined()).then_some(value))
}

pub async fn put(db: &IdbDatabase, name: &str, key: &str, value: &JsValue) -> Result<()> {
    injected()?;
    let (tx, store) = store(db, name, true)?;
    store.put_with_key(value, &key.into())?;
    finished(&tx).await
}

/// Every value of a store (the account headers).
pub async fn all(db: &IdbDatabase, name: &str) -> Result<Vec<JsValue>> {
    let (_tx, store) = store(db, name, false)?;
    let values = request(&store.get_all()?).await?;
    Ok(values.unchecked_into::<Array>().iter().collect())
}

/// Every item of `account`, sealed.
pub async fn items_of(db: &IdbDatabase, account: &str) -> Result<Vec<JsValue>> {
    let (_tx, store) = store(db, ITEMS, false)?;
    let values = request(&store.get_all_with_key(&account_range(account)?)?).await?;
    Ok(values.unchecked_into::<Array>().iter().collect())
}

/// Removes `account`'s items and its header, in one transaction.
pub async fn remove_account(db: &IdbDatabase, account: &str) -> Result<()> {
    let names = Array::of2(&ACCOUNTS.into(), &ITEMS.into());
    let tx = db.transaction_with_str_sequence_and_mode(&names, IdbTransactionMode::Readwrite)?;
    tx.object_store(ITEMS)?.delete(&account_range(account)?)?;
    tx.object_store(ACCOUNTS)?.delete(&account.into())?;
    finished(&tx).await
}

/// What a conditional write came to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Written {
    Done,
    /// The stored item has another revision than expected: another tab wrote it. Nothing was
    /// written.
    Conflict {
        stored_rev: u32,
    },
}

/// Sets field `field` of the value at `key` to `value`, read and written in one transaction (so
/// a header written meanwhile by another tab — a re-wrapped key — is not overwritten with an
/// older copy). Nothing is written when no value is stored.
pub async fn set_field(
    db: &IdbDatabase,
    name: &str,
    key: &str,
    field: &str,
    value: JsValue,
) -> Result<()> {
    injected()?;
    let (tx, store) = store(db, name, true)?;
    let get = store.get(&key.into())?;
    let update = Closure::once_into_js({
        let (get, store, key, field) =
            (get.clone(), store.clone(), key.to_owned(), field.to_owned());
        move || {
            let stored = get.result().unwrap_or(JsValue::UNDEFINED);
            if stored.is_object() && Reflect::set(&stored, &field.into(), &value).is_ok() {
                let _ = store.put_with_key(&stored, &key.into());
            }
        }
    });
    get.set_onsuccess(Some(update.unchecked_ref()));
    finished(&tx).await
}

/// The `rev` field of a stored item (0 when there is none).
pub fn rev_of(value: &JsValue) -> u32 {
    Reflect::get(value, &"rev".into())
        .ok()
        .and_then(|r| r.as_f64())
        .map_or(0, |r| r as u32)
}

/// Writes `value` at `key` if the stored item's revision is still `expected` (0: none stored),
/// in one transaction. (A deletion is written as a tombstone, an item without `sealed`, so that
/// its revision goes on counting.)
pub async fn write_if(
    db: &IdbDatabase,
    key: &str,
    expected: u32,
    value: JsValue,
) -> Result<Written> {
    injected()?;
    let (tx, store) = store(db, ITEMS, true)?;
    let get = store.get(&key.into())?;
    let conflict = Rc::new(Cell::new(None::<u32>));
    let check = Closure::once_into_js({
        let (get, store, conflict, key) =
            (get.clone(), store.clone(), conflict.clone(), key.to_owned());
        move || {
            let stored = get.result().unwrap_or(JsValue::UNDEFINED);
            let stored_rev = if stored.is_undefined() {
                0
            } else {
                rev_of(&stored)
            };
            if stored_rev != expected {
                conflict.set(Some(stored_rev));
                return;
            }
            let _ = store.put_with_key(&value, &key.into());
        }
    });
    get.set_onsuccess(Some(check.unchecked_ref()));
    finished(&tx).await?;
    Ok(match conflict.get() {
        Some(stored_rev) => Written::Conflict { stored_rev },
        None => Written::Done,
    })
}
