//! Backups taken while the log is being written, and restores that verify before they replace anything.

use app::App;
use domain::audit::{AccessOutcome, Processing};
use store::{AuditDraft, Location, Store};

fn event(n: usize) -> AuditDraft {
    AuditDraft {
        force: None,
        user: None,
        username: format!("writer{n}"),
        action: Processing::Consultation,
        record_type: "referral".into(),
        record_id: format!("r{n}"),
        justification: None,
        outcome: AccessOutcome::Allowed,
        detail: "read while a backup was taken".into(),
    }
}

async fn sqlite_at(path: &std::path::Path) -> Store {
    Store::open(&Location::SqliteFile(path.to_path_buf()), b"k".to_vec())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_writes_run_restores_and_verifies_with_the_restore_logged() {
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join("safeguard.db");
    let store = sqlite_at(&live).await;
    let app = App::new(store.clone(), app::Config::default());
    for n in 0..20 {
        store.append_audit(event(n)).await.unwrap();
    }
    let writer = {
        let store = store.clone();
        tokio::spawn(async move {
            for n in 20..400 {
                store.append_audit(event(n)).await.unwrap();
            }
        })
    };
    let copy = dir.path().join("backup.db");
    let backed = app::backup::backup(&app, &copy).await.unwrap();
    writer.await.unwrap();
    assert!(backed.events >= 21, "{} events", backed.events);
    assert!(
        app::backup::backup(&app, &copy).await.is_err(),
        "a backup never overwrites a file"
    );
    let live_events = store.verify_audit().await.unwrap().events;
    assert!(live_events > backed.events, "writes went on after the copy");
    store.close().await;

    // Restore over the live database: it is kept aside, and the restore is the newest event.
    let anchor = dir.path().join("audit.anchor");
    let restored = app::backup::restore(&live, &copy, b"k".to_vec(), Some(anchor.clone()))
        .await
        .unwrap();
    assert_eq!(restored.events, backed.events);
    assert_eq!(restored.taken_at, backed.taken_at);
    let aside = restored.replaced.expect("the replaced database is kept");
    assert_eq!(
        sqlite_at(&aside).await.verify_audit().await.unwrap().events,
        live_events,
        "nothing of the replaced database is lost"
    );
    let back = sqlite_at(&live).await.with_anchor(anchor.clone());
    let report = back.verify_audit().await.unwrap();
    assert!(report.is_intact(), "{report:?}");
    assert_eq!(report.events, backed.events + 1);
    assert_eq!(
        report.anchor,
        store::AnchorState::Matched {
            seq: backed.events + 1
        },
        "the anchor follows the restored log, so it is not taken for a cut-off one"
    );
    let (_, detail) = back
        .last_logged("database", "restored from a backup taken at ")
        .await
        .unwrap()
        .expect("the restore is logged");
    assert!(detail.contains(&backed.taken_at.to_string()), "{detail}");
}

#[tokio::test]
async fn a_backup_whose_log_was_edited_is_refused_and_nothing_is_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join("safeguard.db");
    let store = sqlite_at(&live).await;
    let app = App::new(store.clone(), app::Config::default());
    for n in 0..5 {
        store.append_audit(event(n)).await.unwrap();
    }
    let copy = dir.path().join("backup.db");
    app::backup::backup(&app, &copy).await.unwrap();
    store.append_audit(event(99)).await.unwrap();
    store.close().await;
    let tampered = sqlite_at(&copy).await;
    tampered
        .execute_raw_for_tests(
            "DROP TRIGGER access_log_no_update; UPDATE access_log SET username = 'someone else' WHERE seq = 3;",
        )
        .await
        .unwrap();
    tampered.close().await;
    let e = app::backup::restore(&live, &copy, b"k".to_vec(), None)
        .await
        .unwrap_err();
    assert_eq!(e.code(), "restore.tampered");
    assert!(e.message().contains("event 3 has been altered"), "{e}");
    let still = sqlite_at(&live).await;
    assert_eq!(
        still.verify_audit().await.unwrap().events,
        7,
        "nothing replaced"
    );
    let missing = app::backup::restore(&live, &dir.path().join("nope.db"), b"k".to_vec(), None)
        .await
        .unwrap_err();
    assert_eq!(missing.code(), "restore.missing");
}
