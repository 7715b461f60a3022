//! The offline replica in a real browser: pages of the change feed applied into the vault,
//! read back by kind, across a lock and an unlock.

use frontend::device::vault;
use frontend::forms::FormKind;
use frontend::replica;
use frontend::storage;
use serde_json::json;
use shared::sync::{SyncPage, SyncRecord, Tombstone};
use uuid::Uuid;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn visit(n: u128, version: u32, period: &str, status: &str) -> SyncRecord {
    SyncRecord {
        kind: "visits".into(),
        id: Uuid::from_u128(n),
        version,
        unit: "rugao/baipu/linzi".into(),
        received_at: "2026-12-01T02:00:00.000Z".into(),
        author: Some("linzi".into()),
        record: json!({ "id": Uuid::from_u128(n), "summary": format!("第{n}条") }),
        assessment: json!({ "level": "yellow" }),
        period: period.into(),
        status: Some(status.into()),
        category: Some("A".into()),
        first_received_at: "2026-12-01T02:00:00.000Z".into(),
    }
}

fn page(changes: Vec<SyncRecord>, removed: Vec<Tombstone>, next: &str, reset: bool) -> SyncPage {
    SyncPage {
        changes,
        removed,
        reference: None,
        next: next.into(),
        more: false,
        reset,
    }
}

#[wasm_bindgen_test]
fn pages_apply_as_upserts_removals_and_resets_newest_first() {
    storage::open_in_memory("linzi");
    assert!(!replica::has_pulled());
    let many: Vec<SyncRecord> = (1..=40)
        .map(|n| visit(n, 1, &format!("2026-11-{:02}", 1 + n % 28), "open"))
        .collect();
    replica::apply(page(many, vec![], "c1", false));
    assert!(replica::has_pulled());
    let all = replica::records(FormKind::Visit);
    assert_eq!(all.len(), 40);
    assert!(
        all.windows(2).all(|w| w[0].period >= w[1].period),
        "newest first"
    );
    // 40 records in at most 16 sealed items: a bucket per first hex digit of the id.
    assert!(vault::stamps("rec:visits:").len() <= 16);
    assert!(replica::records(FormKind::RightsCase).is_empty());

    // A newer version replaces the old; a removed record goes; applying a page twice changes
    // nothing.
    let again = page(
        vec![visit(3, 2, "2026-11-04", "resolved")],
        vec![Tombstone {
            kind: "visits".into(),
            id: Uuid::from_u128(5),
        }],
        "c2",
        false,
    );
    replica::apply(again.clone());
    replica::apply(again);
    let all = replica::records(FormKind::Visit);
    assert_eq!(all.len(), 39);
    let three = replica::record(FormKind::Visit, &Uuid::from_u128(3).to_string()).unwrap();
    assert_eq!(
        (three.version, three.status.as_deref()),
        (2, Some("resolved"))
    );
    assert!(replica::record(FormKind::Visit, &Uuid::from_u128(5).to_string()).is_none());

    // A reset drops everything before the page's own records.
    replica::apply(page(
        vec![visit(99, 1, "2026-12-01", "open")],
        vec![],
        "c3",
        true,
    ));
    let all = replica::records(FormKind::Visit);
    assert_eq!(
        all.iter().map(|r| r.id).collect::<Vec<_>>(),
        [Uuid::from_u128(99)]
    );
}

#[wasm_bindgen_test]
async fn the_replica_is_sealed_in_the_vault_and_back_after_an_unlock() {
    let me = format!("r{}", frontend::new_id().simple());
    vault::unlock(&me, "jiajia-demo-2026", Some(&[3; 32]), storage::resolve)
        .await
        .unwrap();
    replica::apply(page(
        vec![visit(7, 1, "2026-11-20", "open")],
        vec![],
        "c1",
        false,
    ));
    replica::keep(visit(8, 3, "2026-11-21", "open"));
    vault::flush().await;
    assert!(vault::lock().await);
    assert!(
        replica::records(FormKind::Visit).is_empty(),
        "locked: nothing readable"
    );
    vault::unlock(&me, "jiajia-demo-2026", None, storage::resolve)
        .await
        .unwrap();
    let ids: Vec<Uuid> = replica::records(FormKind::Visit)
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(ids, [Uuid::from_u128(8), Uuid::from_u128(7)]);
    vault::lock().await;
}
