//! The device vault in a real browser: IndexedDB and WebCrypto as the app uses them.

use frontend::device::{crypto, idb, migrate, vault};
use frontend::forms::FormKind;
use frontend::storage;
use gloo::storage::{LocalStorage, Storage};
use js_sys::{Reflect, Uint8Array};
use shared::VisitInput;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const SECRET: [u8; 32] = [7; 32];
const PASSWORD: &str = "jiajia-demo-2026";

/// An account name no other test uses (the database outlives each test).
fn someone() -> String {
    format!("t{}", frontend::new_id().simple())
}

async fn sealed_of(account: &str, id: &str) -> JsValue {
    let db = idb::open().await.unwrap();
    idb::get(&db, idb::ITEMS, &idb::item_key(account, id))
        .await
        .unwrap()
        .expect("stored")
}

/// Opens `account`'s vault as an online login does (made on first use).
async fn open_online(account: &str) {
    vault::unlock(account, PASSWORD, Some(&SECRET), storage::resolve)
        .await
        .unwrap();
}

/// Opens `account`'s vault with its password alone, as offline.
async fn open_offline(account: &str) {
    vault::unlock(account, PASSWORD, None, storage::resolve)
        .await
        .unwrap();
}

/// Changes one byte of `id`'s stored ciphertext, as damage or tampering would.
async fn alter_one_byte(account: &str, id: &str) {
    let item = sealed_of(account, id).await;
    let mut sealed = Uint8Array::new(&Reflect::get(&item, &"sealed".into()).unwrap()).to_vec();
    sealed[20] ^= 1;
    Reflect::set(&item, &"sealed".into(), &Uint8Array::from(&sealed[..])).unwrap();
    let db = idb::open().await.unwrap();
    idb::put(&db, idb::ITEMS, &idb::item_key(account, id), &item)
        .await
        .unwrap();
}

/// Waits (up to 2 s) until `done`, for what the vault stores behind the caller's back.
async fn wait_until(done: impl Fn() -> bool) {
    for _ in 0..200 {
        if done() {
            return;
        }
        gloo_timers::future::TimeoutFuture::new(10).await;
    }
}

/// Every value the device holds for IndexedDB, as text (bytes as their values).
async fn dump() -> String {
    let db = idb::open().await.unwrap();
    let mut all = Vec::new();
    for store in [idb::ACCOUNTS, idb::ITEMS] {
        for v in idb::all(&db, store).await.unwrap() {
            let keys = js_sys::Object::keys(v.unchecked_ref::<js_sys::Object>());
            for k in keys.iter() {
                let field = Reflect::get(&v, &k).unwrap();
                let text = if field.is_instance_of::<Uint8Array>() {
                    String::from_utf8_lossy(&Uint8Array::new(&field).to_vec()).into_owned()
                } else {
                    format!("{field:?}")
                };
                all.push(text);
            }
        }
    }
    all.join("\n")
}

use wasm_bindgen::JsCast;

#[wasm_bindgen_test]
async fn what_is_stored_opens_again_with_the_password_and_only_with_it() {
    let me = someone();
    open_online(&me).await;
    assert!(vault::put(
        "draft:x",
        Some("王芳 13812341234 丈夫酒后动手".into())
    ));
    vault::flush().await;
    assert!(vault::lock().await);
    assert_eq!(vault::get("draft:x"), None, "locked: nothing in memory");

    // Offline: the password alone opens it.
    open_offline(&me).await;
    assert_eq!(
        vault::get("draft:x").as_deref(),
        Some("王芳 13812341234 丈夫酒后动手")
    );
    vault::lock().await;
    // A wrong password is refused, and says so.
    assert_eq!(
        vault::unlock(&me, "wrong", None, storage::resolve).await,
        Err(vault::VaultError::WrongPassword)
    );
    assert!(!vault::is_open());
    // No vault and no server: nothing to open.
    assert_eq!(
        vault::unlock(&someone(), PASSWORD, None, storage::resolve).await,
        Err(vault::VaultError::NoVault)
    );
}

#[wasm_bindgen_test]
async fn nothing_personal_is_stored_in_the_clear_and_the_key_never_leaves_webcrypto() {
    let me = someone();
    open_online(&me).await;
    vault::put("draft:y", Some("赵小红 13900001111 性侵线索".into()));
    vault::flush().await;
    let stored = dump().await;
    for secret in ["赵小红", "13900001111", "性侵线索", PASSWORD] {
        assert!(!stored.contains(secret), "{secret} found in IndexedDB");
    }
    // The key in memory cannot be exported (so cannot be serialised by anyone).
    let key = vault::key_for_test().expect("open");
    assert_eq!(
        Reflect::get(&key, &"extractable".into()).unwrap(),
        JsValue::FALSE
    );
    let subtle = crypto::subtle().unwrap();
    let export = subtle.export_key("raw", &key).unwrap();
    assert!(
        wasm_bindgen_futures::JsFuture::from(export).await.is_err(),
        "exporting the data key fails"
    );
    vault::lock().await;
}

#[wasm_bindgen_test]
async fn a_changed_byte_or_another_account_s_item_does_not_open() {
    let (a, b) = (someone(), someone());
    open_online(&a).await;
    vault::put("draft:one", Some("甲的草稿".into()));
    vault::put("draft:two", Some("甲的另一份".into()));
    vault::flush().await;
    vault::lock().await;
    let db = idb::open().await.unwrap();

    // One byte of one ciphertext changed.
    alter_one_byte(&a, "draft:one").await;
    open_offline(&a).await;
    assert_eq!(
        vault::get("draft:one"),
        None,
        "the changed item is not shown"
    );
    assert_eq!(vault::get("draft:two").as_deref(), Some("甲的另一份"));
    assert_eq!(vault::unreadable(), 1);
    assert_eq!(
        vault::problem(),
        None,
        "nothing keeps what is typed from being stored"
    );
    vault::lock().await;

    // A's sealed item put among B's items (same id) does not open with B's key.
    vault::unlock(&b, "another password", Some(&[9; 32]), storage::resolve)
        .await
        .unwrap();
    vault::lock().await;
    let item = sealed_of(&a, "draft:two").await;
    idb::put(&db, idb::ITEMS, &idb::item_key(&b, "draft:two"), &item)
        .await
        .unwrap();
    vault::unlock(&b, "another password", None, storage::resolve)
        .await
        .unwrap();
    assert_eq!(vault::get("draft:two"), None);
    assert_eq!(vault::unreadable(), 1);
    assert_eq!(
        vault::problem(),
        None,
        "nothing keeps what is typed from being stored"
    );
    vault::lock().await;
}

#[wasm_bindgen_test]
async fn a_password_changed_on_the_server_rewraps_the_vault_at_the_next_online_login() {
    let me = someone();
    vault::unlock(&me, "old password", Some(&SECRET), storage::resolve)
        .await
        .unwrap();
    vault::put("outbox:1", Some("未发送的记录".into()));
    vault::flush().await;
    vault::lock().await;
    // The server accepted the new password and gave the account's secret.
    vault::unlock(&me, "new password", Some(&SECRET), storage::resolve)
        .await
        .unwrap();
    assert_eq!(vault::get("outbox:1").as_deref(), Some("未发送的记录"));
    vault::lock().await;
    // From now on the new password opens it offline, and the old one does not.
    assert_eq!(
        vault::unlock(&me, "old password", None, storage::resolve).await,
        Err(vault::VaultError::WrongPassword)
    );
    vault::unlock(&me, "new password", None, storage::resolve)
        .await
        .unwrap();
    assert_eq!(vault::get("outbox:1").as_deref(), Some("未发送的记录"));
    vault::lock().await;
}

#[wasm_bindgen_test]
async fn a_new_password_s_rewrap_on_a_full_device_is_stored_once_there_is_room() {
    let me = someone();
    vault::unlock(&me, "old password", Some(&SECRET), storage::resolve)
        .await
        .unwrap();
    assert!(vault::lock().await);
    // The password changed on the server, and the device is full when she logs in.
    idb::fail_writes_for_test(Some("QuotaExceededError"));
    let opened = vault::unlock(&me, "new password", Some(&SECRET), storage::resolve).await;
    let problem_then = vault::problem();
    vault::retry();
    gloo_timers::future::TimeoutFuture::new(50).await;
    let still_full = vault::problem();
    // Room again: the re-wrapped header is written on the next try.
    idb::fail_writes_for_test(None);
    vault::retry();
    wait_until(|| vault::problem().is_none()).await;
    let after = vault::problem();
    assert!(vault::lock().await);
    assert_eq!(opened, Ok(()));
    assert_eq!(problem_then, Some(vault::StoreProblem::Full));
    assert_eq!(still_full, Some(vault::StoreProblem::Full));
    assert_eq!(after, None);
    // Offline, the new password opens it (the re-wrap was kept, not lost with the full disk).
    assert_eq!(
        vault::unlock(&me, "new password", None, storage::resolve).await,
        Ok(())
    );
    vault::lock().await;
}

#[wasm_bindgen_test]
async fn a_draft_another_tab_changed_meanwhile_is_kept_twice_never_overwritten() {
    let me = someone();
    open_online(&me).await;
    let mut mine = VisitInput::blank(frontend::new_id(), frontend::today());
    mine.summary = "本窗口写的".into();
    let draft = storage::start_draft(FormKind::Visit, &mine).unwrap();
    vault::flush().await;
    let key = format!("draft:{draft}");
    // Another tab stores its own text of the same draft (revision 2) …
    let theirs = sealed_of(&me, &key).await;
    Reflect::set(&theirs, &"rev".into(), &2.into()).unwrap();
    let db = idb::open().await.unwrap();
    idb::put(&db, idb::ITEMS, &idb::item_key(&me, &key), &theirs)
        .await
        .unwrap();
    // … while this tab types on (based on revision 1).
    mine.summary = "本窗口又改了".into();
    storage::save_draft(draft, FormKind::Visit, &mine, None, true).unwrap();
    vault::flush().await;
    vault::flush().await;
    let drafts = storage::drafts(FormKind::Visit);
    assert_eq!(drafts.len(), 2, "both texts kept: {drafts:?}");
    let moved = storage::moved_to(draft).expect("this tab's text went on as a new draft");
    assert_eq!(
        storage::load_draft::<VisitInput>(moved)
            .unwrap()
            .input
            .summary,
        "本窗口又改了"
    );
    assert_eq!(
        storage::load_draft::<VisitInput>(draft)
            .unwrap()
            .input
            .summary,
        "本窗口写的",
        "the other tab's stored text stays"
    );
    vault::lock().await;
}

/// What the previous version left in `localStorage` for linzi: a visit draft being typed, a
/// 续办 of a rights case, one unsent and one sent record, a council roster, the session.
fn old_version_state(user: &str) {
    let raw = LocalStorage::raw();
    raw.set_item(
        "jiajia.v1.session",
        &format!(r#"{{"user":{{"id":5,"username":"{user}","display_name":"林梓村 李娟","role":"village","unit":"rugao/baipu/linzi"}},"units":[{{"id":"rugao/baipu/linzi","name":"林梓村","level":"village","parent":"rugao/baipu"}}]}}"#),
    )
    .unwrap();
    raw.set_item(
        "jiajia.v1.draft.visit",
        r#"{"id":"6f1c3c5e-2d1b-4b7e-9a51-0c2f1e7d9a10","org_unit":"rugao/baipu/linzi","parties":[{"name":"王芳","phone":"13812341234","age":"36","family_role":"妻子","address":""}],"category":"B","summary":"丈夫酒后多次动手","visitor":"李娟","visit_date":"2026-11-28"}"#,
    )
    .unwrap();
    raw.set_item(
        "jiajia.v1.outbox",
        r#"[{"id":"11111111-1111-4111-8111-111111111111","kind":"visit","body":{"id":"11111111-1111-4111-8111-111111111111","category":"A","parties":[{"name":"张三"}],"summary":"邻里纠纷"},"queued_ms":1.0,"attempts":2,"state":{"state":"waiting","last_error":"server unreachable","next_try_ms":5.0}},
            {"id":"22222222-2222-4222-8222-222222222222","kind":"key_person","body":{"id":"22222222-2222-4222-8222-222222222222","name":"李四"},"queued_ms":2.0,"attempts":1,"state":{"state":"sent","at_ms":3.0}}]"#,
    )
    .unwrap();
    raw.set_item(
        "jiajia.v1.council.rugao/baipu/linzi",
        r#"{"members":[{"name":"周敏","member_type":"other","convener":true}],"last_convener":null}"#,
    )
    .unwrap();
    raw.set_item("jiajia.v1.lang", "\"en\"").unwrap();
}

#[wasm_bindgen_test]
async fn the_old_versions_plaintext_moves_into_its_accounts_vault_and_leaves_local_storage() {
    LocalStorage::clear();
    let me = someone();
    old_version_state(&me);
    // Another account unlocking first takes nothing of it.
    vault::unlock(&someone(), PASSWORD, Some(&SECRET), storage::resolve)
        .await
        .unwrap();
    assert_eq!(migrate::from_local_storage().await, 0);
    assert!(
        LocalStorage::raw()
            .get_item("jiajia.v1.outbox")
            .unwrap()
            .is_some()
    );
    vault::lock().await;

    open_online(&me).await;
    assert_eq!(migrate::from_local_storage().await, 4);
    // The draft, with what was typed, is this tab's visit draft.
    let draft = storage::current_input::<VisitInput>(FormKind::Visit).expect("draft moved");
    assert_eq!(draft.summary, "丈夫酒后多次动手");
    assert_eq!(draft.parties[0].phone, "13812341234");
    // The unsent record waits as it did; the sent one is a receipt without its text.
    let outbox = storage::load_outbox();
    assert_eq!(outbox.len(), 2);
    assert!(outbox[0].is_unsent());
    assert_eq!(outbox[0].attempts, 2);
    assert_eq!(outbox[0].body["summary"], "邻里纠纷");
    assert!(!outbox[1].is_unsent());
    assert_eq!(outbox[1].body, serde_json::Value::Null);
    assert_eq!(outbox[1].line, "李*");
    assert!(
        storage::load_item::<serde_json::Value>("roster:rugao/baipu/linzi").is_some(),
        "the council roster moved"
    );
    // localStorage keeps nothing personal now, the language stays.
    let raw = LocalStorage::raw();
    for i in 0..raw.length().unwrap() {
        let k = raw.key(i).unwrap().unwrap();
        assert!(
            k == "jiajia.v1.lang" || !k.starts_with("jiajia.v1."),
            "{k} left in localStorage"
        );
    }
    assert_eq!(
        raw.get_item("jiajia.v1.lang").unwrap().as_deref(),
        Some("\"en\"")
    );
    // And it is really stored: after a lock and an offline unlock it is all there.
    vault::lock().await;
    open_offline(&me).await;
    assert_eq!(storage::load_outbox().len(), 2);
    assert_eq!(storage::drafts(FormKind::Visit).len(), 1);
    vault::lock().await;
}

#[wasm_bindgen_test]
async fn a_deleted_item_keeps_counting_so_a_stale_tab_cannot_overwrite_its_successor() {
    let me = someone();
    open_online(&me).await;
    vault::put("roster:linzi", Some("第一份".into()));
    vault::flush().await;
    vault::put("roster:linzi", None);
    vault::flush().await;
    let gone = sealed_of(&me, "roster:linzi").await;
    assert_eq!(idb::rev_of(&gone), 2, "the deletion is revision 2");
    assert!(
        Reflect::get(&gone, &"sealed".into())
            .unwrap()
            .is_undefined(),
        "a deletion keeps nothing sealed"
    );
    vault::put("roster:linzi", Some("第二份".into()));
    vault::flush().await;
    assert_eq!(idb::rev_of(&sealed_of(&me, "roster:linzi").await), 3);
    // A tab that last saw revision 1 (the first roster) writes: refused, not stored over the
    // second roster.
    let db = idb::open().await.unwrap();
    let stale = sealed_of(&me, "roster:linzi").await;
    Reflect::set(&stale, &"rev".into(), &2.into()).unwrap();
    let written = idb::write_if(&db, &idb::item_key(&me, "roster:linzi"), 1, stale)
        .await
        .unwrap();
    assert_eq!(written, idb::Written::Conflict { stored_rev: 3 });
    vault::lock().await;
    // The deletion is no unreadable item, and the successor opens.
    open_offline(&me).await;
    assert_eq!(vault::get("roster:linzi").as_deref(), Some("第二份"));
    assert_eq!(vault::problem(), None);
    vault::lock().await;
}

#[wasm_bindgen_test]
async fn a_full_device_still_opens_a_vault_it_holds_and_refuses_to_make_one_with_a_reason() {
    let me = someone();
    open_online(&me).await;
    assert!(vault::put("draft:kept", Some("李某 13900000000".into())));
    vault::flush().await;
    assert!(vault::lock().await);
    idb::fail_writes_for_test(Some("QuotaExceededError"));
    // Her vault opens though its header cannot be written: what it holds is at hand, and
    // the full storage is said.
    let opened = vault::unlock(&me, PASSWORD, None, storage::resolve).await;
    let unlocked_then = vault::get("draft:kept");
    let problem_then = vault::problem();
    vault::lock_everywhere().await;
    // A first login of another account: no vault can be made, for a reason the login page names.
    let other = vault::unlock(&someone(), PASSWORD, Some(&SECRET), storage::resolve).await;
    idb::fail_writes_for_test(None);
    assert_eq!(opened, Ok(()));
    assert_eq!(unlocked_then.as_deref(), Some("李某 13900000000"));
    assert_eq!(problem_then, Some(vault::StoreProblem::Full));
    assert_eq!(other, Err(vault::VaultError::Full));
}

#[wasm_bindgen_test]
async fn a_full_device_does_not_hide_damaged_items_nor_does_room_again_forget_them() {
    let me = someone();
    open_online(&me).await;
    vault::put("draft:one", Some("甲的草稿".into()));
    vault::put("draft:two", Some("甲的另一份".into()));
    vault::flush().await;
    assert!(vault::lock().await);
    alter_one_byte(&me, "draft:one").await;
    // Full at unlock (the header's write is refused), with one damaged item.
    idb::fail_writes_for_test(Some("QuotaExceededError"));
    let opened = vault::unlock(&me, PASSWORD, None, storage::resolve).await;
    let (problem_then, unreadable_then) = (vault::problem(), vault::unreadable());
    idb::fail_writes_for_test(None);
    vault::retry();
    wait_until(|| vault::problem().is_none()).await;
    let (problem_after, unreadable_after) = (vault::problem(), vault::unreadable());
    assert!(vault::lock().await);
    assert_eq!(opened, Ok(()));
    assert_eq!(problem_then, Some(vault::StoreProblem::Full));
    assert_eq!(unreadable_then, 1, "said while the device is full");
    assert_eq!(problem_after, None);
    assert_eq!(unreadable_after, 1, "still said once there is room");
}

#[wasm_bindgen_test]
async fn headers_and_items_keep_the_layout_earlier_versions_stored() {
    // A header as the versions before this one wrote it, field by field.
    let old = someone();
    let header = js_sys::Object::new();
    let field = |k: &str, v: JsValue| Reflect::set(&header, &k.into(), &v).unwrap();
    field("username", old.as_str().into());
    field("salt", Uint8Array::from(&[1u8; 16][..]).into());
    field("iterations", 600_000u32.into());
    field("by_password", Uint8Array::from(&[2u8; 40][..]).into());
    field("by_server", Uint8Array::from(&[3u8; 40][..]).into());
    field("unsent", 2u32.into());
    field("used_ms", 1.5f64.into());
    let db = idb::open().await.unwrap();
    idb::put(&db, idb::ACCOUNTS, &old, &header).await.unwrap();
    let read = vault::headers()
        .await
        .into_iter()
        .find(|h| h.username == old);
    assert_eq!(
        read,
        Some(vault::Header {
            username: old.clone(),
            salt: vec![1; 16],
            iterations: 600_000,
            by_password: vec![2; 40],
            by_server: vec![3; 40],
            unsent: 2,
            used_ms: 1.5,
        })
    );

    // And this version writes the same layout: keys and sealed text as bytes, a deletion with
    // nothing sealed.
    let me = someone();
    open_online(&me).await;
    vault::put("draft:one", Some("草稿".into()));
    vault::put("draft:gone", Some("将删除".into()));
    vault::flush().await;
    vault::put("draft:gone", None);
    vault::flush().await;
    vault::lock().await;
    let stored = idb::get(&db, idb::ACCOUNTS, &me).await.unwrap().unwrap();
    let field = |k: &str| Reflect::get(&stored, &k.into()).unwrap();
    assert_eq!(field("username").as_string(), Some(me.clone()));
    assert_eq!(Uint8Array::new(&field("salt")).length(), 16);
    for k in ["salt", "by_password", "by_server"] {
        assert!(field(k).is_instance_of::<Uint8Array>(), "{k} as bytes");
    }
    assert_eq!(
        field("iterations").as_f64(),
        Some(crypto::ITERATIONS as f64)
    );
    assert_eq!(field("unsent").as_f64(), Some(0.0));
    assert!(field("used_ms").as_f64().is_some_and(|t| t > 0.0));
    let item = sealed_of(&me, "draft:one").await;
    assert_eq!(
        Reflect::get(&item, &"id".into())
            .unwrap()
            .as_string()
            .as_deref(),
        Some("draft:one")
    );
    assert_eq!(
        Reflect::get(&item, &"rev".into()).unwrap().as_f64(),
        Some(1.0)
    );
    assert!(
        Reflect::get(&item, &"sealed".into())
            .unwrap()
            .is_instance_of::<Uint8Array>()
    );
    let gone = sealed_of(&me, "draft:gone").await;
    assert_eq!(
        Reflect::get(&gone, &"rev".into()).unwrap().as_f64(),
        Some(2.0)
    );
    assert!(
        !Reflect::has(&gone, &"sealed".into()).unwrap(),
        "a deletion has no sealed field at all"
    );
}

#[wasm_bindgen_test]
async fn an_item_that_does_not_read_is_replaced_by_a_write_of_its_id_and_a_deletion_is_stored() {
    let me = someone();
    open_online(&me).await;
    vault::put("session", Some("第一次".into()));
    vault::put("rec:visit:0a", Some("旧的一桶".into()));
    vault::flush().await;
    assert!(vault::lock().await);
    // One item's bytes become a plain object (a copy of the database exported and put back);
    // another's ciphertext changes by a byte.
    let item = sealed_of(&me, "session").await;
    Reflect::set(&item, &"sealed".into(), &js_sys::Object::new()).unwrap();
    let db = idb::open().await.unwrap();
    idb::put(&db, idb::ITEMS, &idb::item_key(&me, "session"), &item)
        .await
        .unwrap();
    alter_one_byte(&me, "rec:visit:0a").await;
    open_offline(&me).await;
    let counted_then = vault::unreadable();
    vault::put("session", Some("第二次".into()));
    vault::put("rec:visit:0a", None);
    vault::flush().await;
    let problem = vault::problem();
    assert!(vault::lock().await, "nothing is left unstored");
    open_offline(&me).await;
    assert_eq!(counted_then, 2);
    assert_eq!(problem, None);
    assert_eq!(vault::get("session").as_deref(), Some("第二次"));
    assert_eq!(vault::get("rec:visit:0a"), None);
    assert_eq!(vault::unreadable(), 0, "both replaced, the deletion too");
    vault::lock().await;
    let gone = sealed_of(&me, "rec:visit:0a").await;
    assert!(!Reflect::has(&gone, &"sealed".into()).unwrap());
}

#[wasm_bindgen_test]
async fn a_header_that_does_not_read_is_refused_not_made_anew() {
    let me = someone();
    open_online(&me).await;
    vault::put("draft:one", Some("甲的草稿".into()));
    vault::flush().await;
    assert!(vault::lock().await);
    let db = idb::open().await.unwrap();
    let header = idb::get(&db, idb::ACCOUNTS, &me).await.unwrap().unwrap();
    Reflect::set(&header, &"iterations".into(), &"很多".into()).unwrap();
    idb::put(&db, idb::ACCOUNTS, &me, &header).await.unwrap();
    let opened = vault::unlock(&me, PASSWORD, Some(&SECRET), storage::resolve).await;
    let kept = idb::get(&db, idb::ACCOUNTS, &me).await.unwrap().unwrap();
    assert!(
        matches!(opened, Err(vault::VaultError::Failed(_))),
        "{opened:?}"
    );
    assert_eq!(vault::account(), None);
    assert_eq!(
        Reflect::get(&kept, &"iterations".into())
            .unwrap()
            .as_string()
            .as_deref(),
        Some("很多"),
        "the header is left as it was, not replaced by a new vault's"
    );
}

#[wasm_bindgen_test]
async fn a_damaged_item_is_replaced_by_the_next_write_of_it_and_no_longer_counted() {
    let me = someone();
    open_online(&me).await;
    // An id that comes again (the session, a replica bucket), damaged while locked.
    vault::put("session", Some("第一次".into()));
    vault::put("draft:kept", Some("别的草稿".into()));
    vault::flush().await;
    assert!(vault::lock().await);
    alter_one_byte(&me, "session").await;
    open_offline(&me).await;
    let counted_then = vault::unreadable();
    vault::put("session", Some("第二次".into()));
    let counted_after = vault::unreadable();
    vault::put("draft:new", Some("之后写的".into()));
    vault::flush().await;
    let problem = vault::problem();
    assert!(vault::lock().await);
    open_offline(&me).await;
    assert_eq!(counted_then, 1);
    assert_eq!(
        counted_after, 0,
        "what is written now replaces the damaged copy"
    );
    assert_eq!(problem, None, "the write is not stuck on the damaged copy");
    assert_eq!(vault::get("session").as_deref(), Some("第二次"));
    assert_eq!(vault::get("draft:new").as_deref(), Some("之后写的"));
    assert_eq!(vault::get("draft:kept").as_deref(), Some("别的草稿"));
    assert_eq!(vault::unreadable(), 0);
    vault::lock().await;
}

#[wasm_bindgen_test]
async fn a_readable_copy_from_another_tab_takes_a_damaged_items_place() {
    let me = someone();
    open_online(&me).await;
    vault::put("draft:one", Some("甲的草稿".into()));
    vault::flush().await;
    assert!(vault::lock().await);
    let good = sealed_of(&me, "draft:one").await;
    alter_one_byte(&me, "draft:one").await;
    open_offline(&me).await;
    let counted_then = vault::unreadable();
    // Another tab, still holding the draft, stores it again and says so.
    Reflect::set(&good, &"rev".into(), &JsValue::from(2)).unwrap();
    let db = idb::open().await.unwrap();
    idb::put(&db, idb::ITEMS, &idb::item_key(&me, "draft:one"), &good)
        .await
        .unwrap();
    let other_tab = web_sys::BroadcastChannel::new("jiajia.vault").unwrap();
    let msg = js_sys::Object::new();
    Reflect::set(&msg, &"account".into(), &me.as_str().into()).unwrap();
    Reflect::set(&msg, &"id".into(), &"draft:one".into()).unwrap();
    other_tab.post_message(&msg).unwrap();
    wait_until(|| vault::unreadable() == 0).await;
    other_tab.close();
    let (counted_after, text) = (vault::unreadable(), vault::get("draft:one"));
    vault::lock().await;
    assert_eq!(counted_then, 1);
    assert_eq!(counted_after, 0, "no longer counted as damaged");
    assert_eq!(text.as_deref(), Some("甲的草稿"), "and shown");
}

#[wasm_bindgen_test]
async fn a_full_device_keeps_what_was_typed_in_memory_and_stores_it_once_there_is_room() {
    let me = someone();
    open_online(&me).await;
    idb::fail_writes_for_test(Some("QuotaExceededError"));
    assert!(vault::put("draft:full", Some("张某某 13800000000".into())));
    vault::flush().await;
    assert_eq!(vault::problem(), Some(vault::StoreProblem::Full));
    assert!(vault::is_dirty("draft:full"));
    assert_eq!(
        vault::get("draft:full").as_deref(),
        Some("张某某 13800000000")
    );
    // Locking would drop it: refused, the vault stays open.
    assert!(!vault::lock().await);
    assert_eq!(vault::account(), Some(me.clone()));
    idb::fail_writes_for_test(None);
    // Room again (the app retries on its tick): stored.
    vault::retry();
    wait_until(|| !vault::is_dirty("draft:full")).await;
    assert!(!vault::is_dirty("draft:full"));
    assert_eq!(vault::problem(), None);
    assert!(vault::lock().await);
    open_offline(&me).await;
    assert_eq!(
        vault::get("draft:full").as_deref(),
        Some("张某某 13800000000")
    );
    vault::lock().await;
}

#[wasm_bindgen_test]
async fn a_vault_wrapped_with_fewer_iterations_is_wrapped_anew_at_its_next_unlock() {
    let me = someone();
    // A header as an older version would have made it: 1,000 iterations.
    let salt = crypto::random(16);
    let data = crypto::new_data_key().await.unwrap();
    let by_pw = crypto::password_key(PASSWORD, &salt, 1_000).await.unwrap();
    let by_password = crypto::wrap(&data, &by_pw, format!("password:{me}").as_bytes())
        .await
        .unwrap();
    let by_srv = crypto::secret_key(&SECRET).await.unwrap();
    let by_server = crypto::wrap(&data, &by_srv, format!("server:{me}").as_bytes())
        .await
        .unwrap();
    let header = js_sys::Object::new();
    for (k, v) in [
        ("username", JsValue::from(me.as_str())),
        ("salt", Uint8Array::from(&salt[..]).into()),
        ("iterations", 1_000.into()),
        ("by_password", Uint8Array::from(&by_password[..]).into()),
        ("by_server", Uint8Array::from(&by_server[..]).into()),
        ("unsent", 0.into()),
        ("used_ms", 0.into()),
    ] {
        Reflect::set(&header, &k.into(), &v).unwrap();
    }
    let db = idb::open().await.unwrap();
    idb::put(&db, idb::ACCOUNTS, &me, &header).await.unwrap();
    open_offline(&me).await;
    vault::lock().await;
    let stored = vault::headers()
        .await
        .into_iter()
        .find(|h| h.username == me)
        .unwrap();
    assert_eq!(stored.iterations, crypto::ITERATIONS);
    assert_ne!(stored.salt, salt, "a new salt with the new count");
    open_offline(&me).await;
    vault::lock().await;
}

#[wasm_bindgen_test]
async fn the_unsent_count_is_set_without_undoing_a_header_another_tab_wrote() {
    let me = someone();
    open_online(&me).await;
    let db = idb::open().await.unwrap();
    let theirs = idb::get(&db, idb::ACCOUNTS, &me).await.unwrap().unwrap();
    Reflect::set(
        &theirs,
        &"by_password".into(),
        &Uint8Array::from(&[1u8, 2, 3][..]),
    )
    .unwrap();
    // The count's update has begun (its read is on its way) when another tab stores a
    // re-wrapped key: a read here and a write later would put the old key back.
    vault::set_unsent(4);
    wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&JsValue::NULL))
        .await
        .unwrap();
    idb::put(&db, idb::ACCOUNTS, &me, &theirs).await.unwrap();
    gloo::timers::future::TimeoutFuture::new(50).await;
    let header = |all: Vec<vault::Header>| all.into_iter().find(|h| h.username == me).unwrap();
    assert_eq!(header(vault::headers().await).by_password, vec![1, 2, 3]);
    vault::set_unsent(5);
    gloo::timers::future::TimeoutFuture::new(50).await;
    let stored = header(vault::headers().await);
    assert_eq!(stored.unsent, 5);
    assert_eq!(stored.by_password, vec![1, 2, 3]);
    vault::lock().await;
}

#[wasm_bindgen_test]
async fn without_webcrypto_a_lock_puts_the_typing_aside_until_the_next_login_never_drops_it() {
    let me = someone();
    vault::forget_parked(&me);
    vault::open_in_memory(&me, storage::resolve);
    vault::put("draft:m", Some("王某 家暴线索".into()));
    assert!(vault::lock().await);
    assert_eq!(vault::get("draft:m"), None, "locked: nothing readable");
    // The next online login of the same account in this page (the server checked the password).
    vault::open_in_memory(&me, storage::resolve);
    assert_eq!(vault::get("draft:m").as_deref(), Some("王某 家暴线索"));
    assert!(vault::lock().await);
    // Another account opening in memory gets none of it.
    let other = someone();
    vault::open_in_memory(&other, storage::resolve);
    assert_eq!(vault::get("draft:m"), None);
    assert!(vault::lock().await);
    // "Remove from this device" drops it.
    vault::remove(&me).await.unwrap();
    vault::open_in_memory(&me, storage::resolve);
    assert_eq!(vault::get("draft:m"), None);
    assert!(vault::lock().await);
}
