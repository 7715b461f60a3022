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
    vault::unlock(&me, PASSWORD, Some(&SECRET), storage::resolve)
        .await
        .unwrap();
    assert!(vault::put(
        "draft:x",
        Some("王芳 13812341234 丈夫酒后动手".into())
    ));
    vault::flush().await;
    assert!(vault::lock().await);
    assert_eq!(vault::get("draft:x"), None, "locked: nothing in memory");

    // Offline: the password alone opens it.
    vault::unlock(&me, PASSWORD, None, storage::resolve)
        .await
        .unwrap();
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
    vault::unlock(&me, PASSWORD, Some(&SECRET), storage::resolve)
        .await
        .unwrap();
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
    vault::unlock(&a, PASSWORD, Some(&SECRET), storage::resolve)
        .await
        .unwrap();
    vault::put("draft:one", Some("甲的草稿".into()));
    vault::put("draft:two", Some("甲的另一份".into()));
    vault::flush().await;
    vault::lock().await;
    let db = idb::open().await.unwrap();

    // One byte of one ciphertext changed.
    let item = sealed_of(&a, "draft:one").await;
    let mut sealed = Uint8Array::new(&Reflect::get(&item, &"sealed".into()).unwrap()).to_vec();
    sealed[20] ^= 1;
    Reflect::set(&item, &"sealed".into(), &Uint8Array::from(&sealed[..])).unwrap();
    idb::put(&db, idb::ITEMS, &idb::item_key(&a, "draft:one"), &item)
        .await
        .unwrap();
    vault::unlock(&a, PASSWORD, None, storage::resolve)
        .await
        .unwrap();
    assert_eq!(
        vault::get("draft:one"),
        None,
        "the changed item is not shown"
    );
    assert_eq!(vault::get("draft:two").as_deref(), Some("甲的另一份"));
    assert_eq!(vault::problem(), Some(vault::StoreProblem::Unreadable(1)));
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
    assert_eq!(vault::problem(), Some(vault::StoreProblem::Unreadable(1)));
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
async fn a_draft_another_tab_changed_meanwhile_is_kept_twice_never_overwritten() {
    let me = someone();
    vault::unlock(&me, PASSWORD, Some(&SECRET), storage::resolve)
        .await
        .unwrap();
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

    vault::unlock(&me, PASSWORD, Some(&SECRET), storage::resolve)
        .await
        .unwrap();
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
    vault::unlock(&me, PASSWORD, None, storage::resolve)
        .await
        .unwrap();
    assert_eq!(storage::load_outbox().len(), 2);
    assert_eq!(storage::drafts(FormKind::Visit).len(), 1);
    vault::lock().await;
}
