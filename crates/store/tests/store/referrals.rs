//! Referrals: storing, duplicates, the queue and concurrent edits.

use crate::harness::{actor, force, referral};
use crate::stories;
use domain::{RiskLevel, Status};
use store::{Inserted, ReferralChange, ReferralFilter, Store, StoreError};

fn assess(level: RiskLevel) -> ReferralChange {
    ReferralChange::Assess {
        level,
        reason: "synthetic reason".into(),
        due_at: "2026-02-01T00:00:00Z".parse().unwrap(),
        clock_version: "default-2019".into(),
        status: Status::Assessed,
        instrument: None,
    }
}

async fn a_referral_is_stored_with_its_receipt_on_the_timeline_and_a_collection_event(
    store: Store,
) {
    let f = force(&store).await;
    let new = referral(f.id, Some(f.cn), "R-1", "2026-01-10T09:00:00Z");
    let Inserted::Created(id) = store
        .insert_referral(&new, &actor(&f.inv_cn))
        .await
        .unwrap()
    else {
        panic!("created")
    };
    let got = store.referral(id).await.unwrap().unwrap();
    assert_eq!(got.bcu_code.as_deref(), Some("cn"));
    assert_eq!(got.status, Status::New);
    assert_eq!(got.reported_person.screen_names, vec!["synthetic_user"]);
    let timeline = store.timeline(id).await.unwrap();
    assert_eq!(timeline.len(), 1);
    assert_eq!(timeline[0].kind, "received");
    let log = store
        .list_audit(&store::AuditQuery {
            record_id: Some(id.to_string()),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].action, "collection");
}

async fn the_same_report_stored_twice_is_one_referral(store: Store) {
    let f = force(&store).await;
    let first = store
        .insert_referral(
            &referral(f.id, Some(f.cn), "R-1", "2026-01-10T09:00:00Z"),
            &actor(&f.inv_cn),
        )
        .await
        .unwrap();
    let again = store
        .insert_referral(
            &referral(f.id, Some(f.cn), "R-1", "2026-01-11T09:00:00Z"),
            &actor(&f.inv_cn),
        )
        .await
        .unwrap();
    let (Inserted::Created(a), Inserted::Duplicate(b)) = (first, again) else {
        panic!("{first:?} {again:?}")
    };
    assert_eq!(a, b);
}

async fn the_queue_lists_soonest_due_first_within_the_bcu_a_page_at_a_time(store: Store) {
    let f = force(&store).await;
    let a = actor(&f.inv_cn);
    for (i, day) in [15, 11, 13, 12, 14].iter().enumerate() {
        let r = referral(
            f.id,
            Some(f.cn),
            &format!("CN-{i}"),
            &format!("2026-01-{day}T09:00:00Z"),
        );
        store.insert_referral(&r, &a).await.unwrap();
    }
    store
        .insert_referral(
            &referral(f.id, Some(f.cw), "CW-1", "2026-01-01T09:00:00Z"),
            &a,
        )
        .await
        .unwrap();
    let mut filter = ReferralFilter {
        scope: domain::permissions::QueueScope::Bcu(f.id, f.cn),
        unrouted_only: false,
        open_only: true,
        status: None,
        limit: 2,
        cursor: None,
        risk_level: None,
        officer: None,
        overdue_at: None,
        escalated: false,
        except_status: None,
        search: None,
    };
    let mut seen = vec![];
    loop {
        let page = store.list_referrals(&filter).await.unwrap();
        seen.extend(page.items.iter().map(|r| r.received_at.to_string()));
        match page.next_cursor {
            Some(c) => filter.cursor = Some(c),
            None => break,
        }
    }
    let days: Vec<_> = seen.iter().map(|s| &s[8..10]).collect();
    assert_eq!(
        days,
        ["11", "12", "13", "14", "15"],
        "Central West's referral is not in Central North's queue"
    );
}

async fn a_change_based_on_an_old_version_is_refused_as_a_conflict(store: Store) {
    let f = force(&store).await;
    let a = actor(&f.inv_cn);
    let Inserted::Created(id) = store
        .insert_referral(
            &referral(f.id, Some(f.cn), "R-1", "2026-01-10T09:00:00Z"),
            &a,
        )
        .await
        .unwrap()
    else {
        panic!()
    };
    let first = store
        .update_referral(id, 1, &assess(RiskLevel::High), &a)
        .await
        .unwrap();
    assert_eq!(
        (first.version, first.risk_level),
        (2, Some(RiskLevel::High))
    );
    let second = store
        .update_referral(id, 1, &assess(RiskLevel::Low), &a)
        .await;
    assert!(matches!(second, Err(StoreError::Conflict)), "{second:?}");
    let now = store.referral(id).await.unwrap().unwrap();
    assert_eq!(
        now.risk_level,
        Some(RiskLevel::High),
        "the first writer's level stands"
    );
    assert_eq!(
        store.timeline(id).await.unwrap().len(),
        2,
        "the refused change left no timeline step"
    );
}

async fn changing_a_referral_that_does_not_exist_is_not_found(store: Store) {
    let f = force(&store).await;
    let r = store
        .update_referral(
            domain::ReferralId::new(),
            1,
            &assess(RiskLevel::Low),
            &actor(&f.inv_cn),
        )
        .await;
    assert!(matches!(r, Err(StoreError::NotFound)));
}

async fn aggregate_figures_count_per_bcu_without_naming_anyone(store: Store) {
    let f = force(&store).await;
    let a = actor(&f.inv_cn);
    store
        .insert_referral(&referral(f.id, Some(f.cn), "A", "2020-01-10T09:00:00Z"), &a)
        .await
        .unwrap();
    store
        .insert_referral(&referral(f.id, Some(f.cn), "B", "2026-01-10T09:00:00Z"), &a)
        .await
        .unwrap();
    store
        .insert_referral(&referral(f.id, None, "C", "2026-01-10T09:00:00Z"), &a)
        .await
        .unwrap();
    let received = store
        .figure_months(f.id, "2000-01", "2099-12", None)
        .await
        .unwrap()
        .into_iter()
        .filter(|c| c.measure == "received");
    let (mut cn, mut central) = (0, 0);
    for c in received {
        if c.bcu_key == f.cn.to_string() {
            cn += c.n;
        } else if c.bcu_key.is_empty() {
            central += c.n;
        }
    }
    assert_eq!(cn, 2);
    assert_eq!(central, 1, "the unrouted queue is counted too");
    let open = store
        .open_as_at(f.id, "2026-01-10T10:00:00Z".parse().unwrap())
        .await
        .unwrap();
    let cn = open.iter().find(|o| o.bcu_key == f.cn.to_string()).unwrap();
    assert_eq!((cn.open(), cn.overdue), (2, 1));
}

async fn referrals_whose_clock_has_stopped_come_after_the_running_ones_across_pages(store: Store) {
    let f = force(&store).await;
    let a = actor(&f.inv_cn);
    let mut ids = vec![];
    for (i, day) in [10, 11, 12, 13].iter().enumerate() {
        let r = referral(
            f.id,
            Some(f.cn),
            &format!("S-{i}"),
            &format!("2026-01-{day}T09:00:00Z"),
        );
        let Inserted::Created(id) = store.insert_referral(&r, &a).await.unwrap() else {
            panic!()
        };
        ids.push(id);
    }
    let enforce = ReferralChange::Enforce {
        kind: domain::EnforcementKind::Arrest,
        at: "2026-01-10T12:00:00Z".parse().unwrap(),
        notes: String::new(),
        status: Status::Enforcement,
    };
    store
        .update_referral(ids[0], 1, &enforce, &a)
        .await
        .unwrap();
    assert_eq!(
        queue_order(&store, &f).await,
        [ids[1], ids[2], ids[3], ids[0]],
        "the enforced referral, though due first, comes last"
    );
}

/// Every id on the open queue of Central North, a page at a time.
async fn queue_order(store: &Store, f: &crate::harness::Force) -> Vec<domain::ReferralId> {
    let mut filter = ReferralFilter {
        scope: domain::permissions::QueueScope::Bcu(f.id, f.cn),
        unrouted_only: false,
        open_only: true,
        status: None,
        limit: 1,
        cursor: None,
        risk_level: None,
        officer: None,
        overdue_at: None,
        escalated: false,
        except_status: None,
        search: None,
    };
    let mut order = vec![];
    loop {
        let page = store.list_referrals(&filter).await.unwrap();
        order.extend(page.items.iter().map(|r| r.id));
        match page.next_cursor {
            Some(c) => filter.cursor = Some(c),
            None => break,
        }
    }
    order
}

async fn the_queue_follows_each_referrals_soonest_running_clock_as_clocks_start_pause_resume_and_end(
    store: Store,
) {
    use domain::clocks::{Clock, ClockKind, Pause, headline_due};
    use domain::timeliness::TargetSpan;
    let f = force(&store).await;
    let a = actor(&f.inv_cn);
    let mut ids = vec![];
    for (i, day) in [10, 11].iter().enumerate() {
        let r = referral(
            f.id,
            Some(f.cn),
            &format!("H-{i}"),
            &format!("2026-01-{day}T09:00:00Z"),
        );
        let Inserted::Created(id) = store.insert_referral(&r, &a).await.unwrap() else {
            panic!()
        };
        ids.push(id);
    }
    let (first, second) = (ids[0], ids[1]);
    // The first is enforced: its own clock stops, so nothing of it runs and it goes to the end.
    let enforce = ReferralChange::Enforce {
        kind: domain::EnforcementKind::Arrest,
        at: "2026-01-10T12:00:00Z".parse().unwrap(),
        notes: String::new(),
        status: Status::Enforcement,
    };
    store.update_referral(first, 1, &enforce, &a).await.unwrap();
    let r = store.referral(first).await.unwrap().unwrap();
    assert_eq!((r.headline_due, r.headline_kind), (None, None));
    assert_eq!(queue_order(&store, &f).await, [second, first]);

    // A review clock due before the second referral's triage clock puts it first again.
    let start: jiff::Timestamp = "2026-01-10T12:00:00Z".parse().unwrap();
    let review = Clock::start(ClockKind::SupervisionReview, start, TargetSpan::Hours(2));
    let clock_id = store.start_clock(f.id, first, &review).await.unwrap();
    let r = store.referral(first).await.unwrap().unwrap();
    assert_eq!(r.headline_kind, Some(ClockKind::SupervisionReview));
    assert_eq!(
        r.headline_due,
        Some("2026-01-10T14:00:00Z".parse().unwrap())
    );
    assert_eq!(queue_order(&store, &f).await, [first, second]);

    // Paused, it is due nowhere: the referral goes back to the end.
    let mut paused = review.clone();
    paused.pauses.push(Pause {
        from: "2026-01-10T13:00:00Z".parse().unwrap(),
        to: None,
        reason: "waiting for the provider".into(),
    });
    store
        .pause_or_resume(f.id, first, &clock_id, &paused, true, &a)
        .await
        .unwrap();
    assert_eq!(
        store.referral(first).await.unwrap().unwrap().headline_due,
        None
    );
    assert_eq!(queue_order(&store, &f).await, [second, first]);

    // Resumed after three days: the paused time pushes its due time back by as much, as domain says.
    let mut resumed = paused.clone();
    resumed.pauses[0].to = Some("2026-01-13T13:00:00Z".parse().unwrap());
    store
        .pause_or_resume(f.id, first, &clock_id, &resumed, false, &a)
        .await
        .unwrap();
    let r = store.referral(first).await.unwrap().unwrap();
    let clocks: Vec<Clock> = store
        .clocks(first)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.clock)
        .collect();
    let now: jiff::Timestamp = "2026-01-13T13:00:00Z".parse().unwrap();
    assert_eq!(
        r.headline_due,
        Some("2026-01-13T14:00:00Z".parse().unwrap())
    );
    assert_eq!(r.headline_due, headline_due(&clocks, now));
    assert_eq!(
        queue_order(&store, &f).await,
        [second, first],
        "the second referral's triage clock now falls due first"
    );

    // Its clocks ended (the referral closed), nothing of it runs.
    store.cancel_clocks(first, now).await.unwrap();
    assert_eq!(
        store.referral(first).await.unwrap().unwrap().headline_due,
        None
    );
}

stories!(
    the_queue_follows_each_referrals_soonest_running_clock_as_clocks_start_pause_resume_and_end,
    referrals_whose_clock_has_stopped_come_after_the_running_ones_across_pages,
    a_referral_is_stored_with_its_receipt_on_the_timeline_and_a_collection_event,
    the_same_report_stored_twice_is_one_referral,
    the_queue_lists_soonest_due_first_within_the_bcu_a_page_at_a_time,
    a_change_based_on_an_old_version_is_refused_as_a_conflict,
    changing_a_referral_that_does_not_exist_is_not_found,
    aggregate_figures_count_per_bcu_without_naming_anyone,
);
