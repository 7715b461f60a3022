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
    // 40 records in at most 256 sealed items: a bucket per first two hex digits of the id.
    assert!(vault::stamps("rec:visits:").len() <= 256);
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

#[wasm_bindgen_test]
fn a_replica_kept_by_the_previous_version_is_re_bucketed_on_the_device_with_nothing_lost() {
    storage::open_in_memory("linzi");
    // As the previous version kept it: 16 buckets a kind, by the id's first hex digit.
    let old: Vec<SyncRecord> = [0xa1u128, 0xa2, 0xb7]
        .iter()
        .map(|&hi| visit(hi << 120, 1, "2026-11-02", "open"))
        .collect();
    for first in ["a", "b"] {
        let bucket: serde_json::Map<String, serde_json::Value> = old
            .iter()
            .filter(|r| r.id.to_string().starts_with(first))
            .map(|r| (r.id.to_string(), serde_json::to_value(r).unwrap()))
            .collect();
        vault::put(
            &format!("rec:visits:{first}"),
            Some(serde_json::Value::Object(bucket).to_string()),
        );
    }
    vault::put("sync:cursor", Some("c-old".into()));
    assert!(replica::has_pulled());

    // The next page of the feed, as the next pull brings it.
    replica::apply(page(
        vec![visit(0xa3 << 120, 1, "2026-11-03", "open")],
        vec![],
        "c-new",
        false,
    ));
    let all = replica::records(FormKind::Visit);
    assert_eq!(all.len(), 4, "the three kept and the new one");
    for r in &old {
        assert_eq!(
            replica::record(FormKind::Visit, &r.id.to_string()).map(|x| x.id),
            Some(r.id),
            "found in its new bucket"
        );
    }
    let items: Vec<String> = vault::stamps("rec:visits:")
        .into_iter()
        .map(|(i, _)| i)
        .collect();
    assert_eq!(
        items,
        [
            "rec:visits:a1",
            "rec:visits:a2",
            "rec:visits:a3",
            "rec:visits:b7"
        ]
    );
    assert_eq!(vault::get("sync:cursor").as_deref(), Some("c-new"));
}
