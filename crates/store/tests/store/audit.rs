//! The access log's chain: it verifies, and it shows an edited row, a deleted row and a cut-off tail.

use crate::harness::{actor, force, referral};
use crate::stories;
use domain::audit::{AccessOutcome, Processing};
use store::{AuditDraft, ChainBreak, Store};

fn draft(n: usize) -> AuditDraft {
    AuditDraft {
        force: None,
        user: None,
        username: format!("user{n}"),
        action: Processing::Consultation,
        record_type: "referral".into(),
        record_id: format!("r{n}"),
        justification: None,
        outcome: if n.is_multiple_of(2) {
            AccessOutcome::Allowed
        } else {
            AccessOutcome::Denied
        },
        detail: "test".into(),
    }
}

async fn log_five(store: &Store) {
    for n in 1..=5 {
        store.append_audit(draft(n)).await.unwrap();
    }
}

/// Let the test act as an attacker with direct database access: lift the append-only guard.
async fn lift_guard(store: &Store) {
    let sql = match store.backend_name() {
        "sqlite" => "DROP TRIGGER access_log_no_update; DROP TRIGGER access_log_no_delete;",
        _ => "ALTER TABLE access_log DISABLE TRIGGER USER",
    };
    store.execute_raw_for_tests(sql).await.unwrap();
}

async fn an_untouched_log_verifies(store: Store) {
    let f = force(&store).await;
    store
        .insert_referral(
            &referral(f.id, Some(f.cn), "R", "2026-01-01T00:00:00Z"),
            &actor(&f.inv_cn),
        )
        .await
        .unwrap();
    log_five(&store).await;
    let report = store.verify_audit().await.unwrap();
    assert!(report.is_intact(), "{report:?}");
    assert_eq!(report.events, 6);
}

async fn the_product_cannot_change_or_delete_the_log(store: Store) {
    log_five(&store).await;
    assert!(
        store
            .execute_raw_for_tests("UPDATE access_log SET username = 'x' WHERE seq = 2")
            .await
            .is_err()
    );
    assert!(
        store
            .execute_raw_for_tests("DELETE FROM access_log WHERE seq = 5")
            .await
            .is_err()
    );
}

async fn an_edited_row_is_the_first_broken_link(store: Store) {
    log_five(&store).await;
    lift_guard(&store).await;
    store
        .execute_raw_for_tests("UPDATE access_log SET outcome = 'allowed' WHERE seq = 3")
        .await
        .unwrap();
    assert_eq!(
        store.verify_audit().await.unwrap().first_break,
        Some(ChainBreak::Altered { seq: 3 })
    );
}

async fn a_deleted_row_is_reported_missing(store: Store) {
    log_five(&store).await;
    lift_guard(&store).await;
    store
        .execute_raw_for_tests("DELETE FROM access_log WHERE seq = 2")
        .await
        .unwrap();
    assert_eq!(
        store.verify_audit().await.unwrap().first_break,
        Some(ChainBreak::Missing { seq: 2 })
    );
}

async fn a_cut_off_tail_is_caught_by_the_signed_checkpoint(store: Store) {
    log_five(&store).await;
    lift_guard(&store).await;
    store
        .execute_raw_for_tests("DELETE FROM access_log WHERE seq >= 4")
        .await
        .unwrap();
    assert_eq!(
        store.verify_audit().await.unwrap().first_break,
        Some(ChainBreak::Truncated {
            last: 3,
            checkpoint: 5
        })
    );
}

async fn a_forged_checkpoint_is_caught(store: Store) {
    log_five(&store).await;
    lift_guard(&store).await;
    store
        .execute_raw_for_tests("DELETE FROM access_log WHERE seq >= 4")
        .await
        .unwrap();
    store
        .execute_raw_for_tests("UPDATE audit_checkpoint SET seq = 3")
        .await
        .unwrap();
    assert_eq!(
        store.verify_audit().await.unwrap().first_break,
        Some(ChainBreak::CheckpointForged)
    );
}

async fn the_log_lists_newest_first_and_filters_by_outcome_and_user(store: Store) {
    log_five(&store).await;
    let all = store
        .list_audit(&store::AuditQuery {
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        all.iter().map(|e| e.seq).collect::<Vec<_>>(),
        [5, 4, 3, 2, 1]
    );
    let denied = store
        .list_audit(&store::AuditQuery {
            outcome: Some(AccessOutcome::Denied),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(denied.iter().map(|e| e.seq).collect::<Vec<_>>(), [5, 3, 1]);
    let one = store
        .list_audit(&store::AuditQuery {
            username: Some("user4".into()),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(one.len(), 1);
}

stories!(
    a_wiped_log_and_checkpoint_are_caught_by_the_anchor_which_never_moves_onto_the_new_chain,
    the_protections_of_the_log_that_are_missing_are_listed,
    an_untouched_log_verifies,
    the_product_cannot_change_or_delete_the_log,
    an_edited_row_is_the_first_broken_link,
    a_deleted_row_is_reported_missing,
    a_cut_off_tail_is_caught_by_the_signed_checkpoint,
    a_forged_checkpoint_is_caught,
    the_log_lists_newest_first_and_filters_by_outcome_and_user,
    accesses_logged_at_the_same_moment_are_each_chained_once_in_the_order_of_their_times,
);

async fn accesses_logged_at_the_same_moment_are_each_chained_once_in_the_order_of_their_times(
    store: Store,
) {
    let dir = tempfile::tempdir().unwrap();
    let store = store.with_anchor(dir.path().join("audit.anchor"));
    let mut readers = tokio::task::JoinSet::new();
    for n in 0..60 {
        let store = store.clone();
        readers.spawn(async move { store.log_access(draft(n)).await });
    }
    while let Some(answer) = readers.join_next().await {
        answer.unwrap().expect("every read's access is logged");
    }
    let report = store.verify_audit().await.unwrap();
    assert!(report.is_intact(), "{report:?}");
    assert_eq!(report.events, 60);
    assert_eq!(report.waiting, 0, "nothing is left in the spool");
    assert_eq!(
        report.anchor,
        store::AnchorState::Matched { seq: 60 },
        "the anchor follows the last batch"
    );
    let page = store
        .list_audit(&store::AuditQuery {
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    let mut names: Vec<&str> = page.iter().map(|e| e.username.as_str()).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), 60, "each access once");
    let mut oldest_first = page.clone();
    oldest_first.reverse();
    assert!(
        oldest_first.windows(2).all(|w| w[0].at <= w[1].at),
        "the chain runs in the order of the accesses' times"
    );
}

async fn a_wiped_log_and_checkpoint_are_caught_by_the_anchor_which_never_moves_onto_the_new_chain(
    store: Store,
) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.anchor");
    let store = store.with_anchor(path.clone());
    log_five(&store).await;
    let anchored = store::read_anchor(&path)
        .unwrap()
        .expect("written after each write");
    assert_eq!(anchored.seq, 5);
    let report = store.verify_audit().await.unwrap();
    assert!(report.is_intact());
    assert_eq!(report.anchor, store::AnchorState::Matched { seq: 5 });
    // An attacker with the database alone wipes the log and its checkpoint, and Safeguard logs on.
    lift_guard(&store).await;
    store
        .execute_raw_for_tests("DELETE FROM access_log; DELETE FROM audit_checkpoint;")
        .await
        .unwrap();
    for n in 1..=7 {
        store.append_audit(draft(n)).await.unwrap();
    }
    assert_eq!(
        store::read_anchor(&path).unwrap().unwrap(),
        anchored,
        "the anchor does not move onto another chain"
    );
    let report = store.verify_audit().await.unwrap();
    assert_eq!(
        report.first_break,
        Some(ChainBreak::AnchorMismatch { seq: 5 }),
        "a new chain as long as the old is still not the anchored one"
    );
    store
        .execute_raw_for_tests("DELETE FROM access_log; DELETE FROM audit_checkpoint;")
        .await
        .unwrap();
    let report = store.verify_audit().await.unwrap();
    assert_eq!(
        report.first_break,
        Some(ChainBreak::BehindAnchor {
            last: 0,
            anchored: 5
        })
    );
}

async fn the_protections_of_the_log_that_are_missing_are_listed(store: Store) {
    log_five(&store).await;
    let before = store.verify_audit().await.unwrap();
    lift_guard(&store).await;
    let after = store.verify_audit().await.unwrap();
    assert!(after.is_intact(), "nothing was changed yet");
    let gone = after
        .missing_protections
        .iter()
        .filter(|p| p.contains("that refuses edits of the log is gone"))
        .count();
    assert!(gone >= 1, "{:?}", after.missing_protections);
    if store.backend_name() == "sqlite" {
        assert!(
            before.missing_protections.is_empty(),
            "{:?}",
            before.missing_protections
        );
    } else {
        // The tests run as a superuser, which can drop the triggers: that is reported.
        assert!(
            before
                .missing_protections
                .iter()
                .any(|p| p.contains("is a superuser")
                    || p.contains("grant it SELECT and INSERT only")),
            "{:?}",
            before.missing_protections
        );
    }
}
