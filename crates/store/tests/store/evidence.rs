//! Exhibits and case quality reviews as the store keeps them, on both backends: an exhibit reference once per
//! referral, a scan report kept byte for byte with its counts and a logged collection, the forensics queue
//! taking only submitted exhibits, and quality grades, remedial actions each done once.

use crate::harness::{actor, force, referral};
use crate::stories;
use domain::clocks::{Clock, ClockKind};
use domain::{ReferralId, TimelinessTable};
use jiff::Timestamp;
use store::{Inserted, NewExhibit, NewScan, ScanCounts, StepDetails, Store, StoreError};

fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

async fn stored_referral(store: &Store, f: &crate::harness::Force, report: &str) -> ReferralId {
    let new = referral(f.id, Some(f.cn), report, "2026-01-10T09:00:00Z");
    let Inserted::Created(id) = store
        .insert_referral(&new, &actor(&f.inv_cn))
        .await
        .unwrap()
    else {
        panic!("created")
    };
    id
}

fn phone(reference: &str) -> NewExhibit<'_> {
    NewExhibit {
        reference,
        kind: "phone",
        description: "Black smartphone",
        seized_at: at("2026-01-12T07:00:00Z"),
        seized_where: "Home address",
        seized_from_person: None,
        seized_from: "The reported person",
    }
}

async fn an_exhibit_reference_is_kept_once_per_referral_and_a_scan_report_byte_for_byte(
    store: Store,
) {
    let f = force(&store).await;
    let id = stored_referral(&store, &f, "EX-1").await;
    let who = actor(&f.inv_cn);
    let table = TimelinessTable::default();
    let clock = Clock::start(
        ClockKind::Forensic,
        at("2026-01-12T07:00:00Z"),
        table.forensic_submitted,
    );
    let now = at("2026-01-12T08:00:00Z");
    let eid = store
        .add_exhibit(f.id, id, &phone("JD/1"), &clock, now, "seized".into(), &who)
        .await
        .unwrap();
    let again = store
        .add_exhibit(f.id, id, &phone("JD/1"), &clock, now, "seized".into(), &who)
        .await;
    assert!(
        matches!(again, Err(StoreError::Conflict)),
        "the same reference twice on one referral: {again:?}"
    );
    let other = stored_referral(&store, &f, "EX-2").await;
    store
        .add_exhibit(
            f.id,
            other,
            &phone("JD/1"),
            &clock,
            now,
            "seized".into(),
            &who,
        )
        .await
        .expect("another referral may use the same reference");
    assert_eq!(store.exhibits_of(id).await.unwrap().len(), 1);

    let e = store.exhibit(&eid).await.unwrap().unwrap();
    assert_eq!(e.steps.len(), 1, "only the submission's clock runs: {e:?}");
    assert!(
        store
            .exhibit_queue(f.id, None, 500)
            .await
            .unwrap()
            .is_empty(),
        "an exhibit not yet submitted is not in the forensics queue"
    );
    let mut stopped = clock.clone();
    stopped
        .stop(at("2026-01-13T07:00:00Z"), None, &table.late_reasons)
        .unwrap();
    let next = Clock::start(
        ClockKind::Forensic,
        at("2026-01-13T07:00:00Z"),
        table.forensic_examination_started,
    );
    store
        .record_forensic_step(
            &e,
            "submitted",
            at("2026-01-13T07:00:00Z"),
            Some((&e.steps[0].clock_id, &stopped)),
            &[("examination_started", next)],
            &StepDetails::default(),
            "submitted".into(),
            &who,
        )
        .await
        .unwrap();
    let queue = store.exhibit_queue(f.id, None, 500).await.unwrap();
    assert_eq!(
        queue.iter().map(|q| q.id.as_str()).collect::<Vec<_>>(),
        [eid.as_str()]
    );
    assert!(
        store
            .exhibit_queue(f.id, Some(f.cw), 500)
            .await
            .unwrap()
            .is_empty(),
        "another BCU's queue does not hold it"
    );

    let bytes = b"{\"summary\": {\"files\": 3}, \"note\": \"kept exactly, spaces and all\"}\n";
    let counts = ScanCounts {
        files: 3,
        images: 2,
        count_a: 1,
        exact: 1,
        unreadable: 1,
        ..Default::default()
    };
    let e = store.exhibit(&eid).await.unwrap().unwrap();
    let scan = store
        .attach_scan(
            &e,
            &NewScan {
                tool: "safeguard",
                tool_version: "0.1.0",
                root: "/mnt/JD1",
                started_at: at("2026-01-20T10:00:00Z"),
                counts,
                sets: "[{\"name\":\"national\",\"checksum\":\"ab\"}]".into(),
                sha256: "c0ffee".into(),
                bytes,
            },
            at("2026-01-20T11:00:00Z"),
            "scan attached".into(),
            &who,
        )
        .await
        .unwrap();
    let scans = store.scans_of(std::slice::from_ref(&eid)).await.unwrap();
    assert_eq!(scans.len(), 1);
    assert_eq!(scans[0].counts, counts);
    assert_eq!(scans[0].size, bytes.len() as i64);
    assert_eq!(scans[0].received_by.as_deref(), Some("DC cn"));
    assert_eq!(
        store.scan_bytes(&scan).await.unwrap(),
        Some((eid.clone(), bytes.to_vec())),
        "the report is kept as received"
    );
    let log = store
        .list_audit(&store::AuditQuery {
            record_id: Some(eid.clone()),
            limit: 50,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(
        log.iter()
            .any(|e| e.action == "collection" && e.detail.contains("scan report attached")),
        "attaching a scan is a logged collection: {log:?}"
    );
    assert!(store.verify_audit().await.unwrap().is_intact());
}

async fn a_quality_review_is_graded_once_and_each_remedial_action_is_done_once(store: Store) {
    let f = force(&store).await;
    let id = stored_referral(&store, &f, "Q-1").await;
    let auditor = actor(&f.inv_cn);
    let now = at("2026-02-01T10:00:00Z");
    let sample = store
        .add_sample(
            f.id,
            "2026 Q1",
            "2026-01-31",
            5,
            "[]",
            &[(id, f.cn, "Open, not assessed".into())],
            now,
            &auditor,
        )
        .await
        .unwrap();
    let reviews = store.sample_reviews(f.id, &sample).await.unwrap();
    assert_eq!(reviews.len(), 1);
    assert_eq!(reviews[0].referral, id);
    assert_eq!(reviews[0].stratum, "Open, not assessed");
    let grades = "[[\"supervision\",\"inadequate\"]]";
    store
        .grade_review(
            f.id,
            &reviews[0],
            grades,
            "requires_improvement",
            Some("No review"),
            now,
            "graded".into(),
            &auditor,
        )
        .await
        .unwrap();
    let twice = store
        .grade_review(
            f.id,
            &reviews[0],
            grades,
            "good",
            None,
            now,
            "graded".into(),
            &auditor,
        )
        .await;
    assert!(matches!(twice, Err(StoreError::Conflict)), "graded once");
    let review = store.quality_review(&reviews[0].id).await.unwrap().unwrap();
    assert_eq!(review.overall.as_deref(), Some("requires_improvement"));

    let table = TimelinessTable::default();
    let clock = Clock::start(ClockKind::RemedialAction, now, table.remedial_action);
    store
        .refer_back(
            f.id,
            &review,
            &[("Record a supervisory review".into(), clock.clone())],
            now,
            "referred back".into(),
            &auditor,
        )
        .await
        .unwrap();
    let open = store.remedial_open(f.id, Some(f.cn)).await.unwrap();
    assert_eq!(open.len(), 1);
    assert!(
        store
            .remedial_open(f.id, Some(f.cw))
            .await
            .unwrap()
            .is_empty()
    );
    let action = &store.remedial_of(id).await.unwrap()[0];
    let mut done = clock.clone();
    let when = at("2026-02-03T10:00:00Z");
    done.stop(when, None, &table.late_reasons).unwrap();
    store
        .complete_remedial(
            f.id,
            action,
            &done,
            "Reviewed",
            when,
            "done".into(),
            &auditor,
        )
        .await
        .unwrap();
    let again = store
        .complete_remedial(f.id, action, &done, "Again", when, "done".into(), &auditor)
        .await;
    assert!(matches!(again, Err(StoreError::Conflict)), "done once");
    assert!(store.remedial_open(f.id, None).await.unwrap().is_empty());
    assert_eq!(store.remedial_of(id).await.unwrap()[0].done_at, Some(when));
    assert!(store.verify_audit().await.unwrap().is_intact());
}

stories!(
    an_exhibit_reference_is_kept_once_per_referral_and_a_scan_report_byte_for_byte,
    a_quality_review_is_graded_once_and_each_remedial_action_is_done_once,
);
