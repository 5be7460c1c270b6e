//! Governance changes as the store keeps them, on both backends: appended in one sequence per force, refused
//! whole when someone else appended first, never updated or deleted, and a board snapshot frozen once.

use crate::harness::{actor, force};
use crate::stories;
use store::{NewGovernance, Store, StoreError};

fn change(kind: &str, subject: &str) -> NewGovernance {
    NewGovernance {
        kind: kind.into(),
        subject: subject.into(),
        change: format!(r#"{{"kind":"{kind}","subject":"{subject}"}}"#),
    }
}

async fn governance_changes_append_in_sequence_and_a_stale_append_writes_nothing(store: Store) {
    let f = force(&store).await;
    let other = force(&store).await;
    let who = actor(&f.inv_cn);
    let now = jiff::Timestamp::now();
    let last = store
        .append_governance(f.id, 0, &[change("a", "1"), change("b", "2")], now, &who)
        .await
        .unwrap();
    // Another force's sequence does not move this one's.
    store
        .append_governance(other.id, 0, &[change("x", "9")], now, &actor(&other.inv_cn))
        .await
        .unwrap();
    // Someone who read the tracker before the first append is refused, and nothing of theirs is written.
    let stale = store
        .append_governance(f.id, 0, &[change("c", "3"), change("d", "4")], now, &who)
        .await;
    assert!(matches!(stale, Err(StoreError::Conflict)), "{stale:?}");
    let next = store
        .append_governance(f.id, last, &[change("c", "3")], now, &who)
        .await
        .unwrap();
    assert!(next > last);
    let events = store.governance_events(f.id).await.unwrap();
    let kinds: Vec<&str> = events
        .iter()
        .map(|e| e.change.split('"').nth(3).unwrap())
        .collect();
    assert_eq!(kinds, ["a", "b", "c"]);
    assert!(events.iter().all(|e| e.by == f.inv_cn.display_name));
    assert!(events.windows(2).all(|w| w[0].seq < w[1].seq));
}

async fn a_governance_change_and_a_frozen_snapshot_are_never_changed_or_deleted(store: Store) {
    let f = force(&store).await;
    let who = actor(&f.inv_cn);
    let now = jiff::Timestamp::now();
    store
        .append_governance(f.id, 0, &[change("a", "1")], now, &who)
        .await
        .unwrap();
    let id = store
        .freeze_snapshot(f.id, "m1", r#"{"figures":1}"#, "abc", now, &who)
        .await
        .unwrap();
    let again = store
        .freeze_snapshot(f.id, "m1", r#"{"figures":2}"#, "def", now, &who)
        .await;
    assert!(matches!(again, Err(StoreError::Conflict)), "{again:?}");
    for sql in [
        format!(
            "UPDATE governance_events SET change = '{{}}' WHERE force_id = '{}'",
            f.id
        ),
        format!("DELETE FROM governance_events WHERE force_id = '{}'", f.id),
        format!("UPDATE board_snapshots SET content = '{{}}' WHERE id = '{id}'"),
        format!("DELETE FROM board_snapshots WHERE id = '{id}'"),
    ] {
        assert!(
            store
                .execute_raw_for_tests(sql.clone().leak())
                .await
                .is_err(),
            "{sql} was allowed"
        );
    }
    let snaps = store.snapshots(f.id).await.unwrap();
    assert_eq!(snaps.len(), 1);
    assert_eq!(snaps[0].content, r#"{"figures":1}"#);
    assert_eq!(store.governance_events(f.id).await.unwrap().len(), 1);
}

stories!(
    governance_changes_append_in_sequence_and_a_stale_append_writes_nothing,
    a_governance_change_and_a_frozen_snapshot_are_never_changed_or_deleted
);
