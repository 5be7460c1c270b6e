//! The referrals as received: how many, over what time, repeatability, routing and identifiers.

use crate::harness::{CREATED_AT, creation_midnight, options, seeded, share, small};
use domain::Referral;
use jiff::Timestamp;
use std::collections::HashSet;

#[tokio::test]
async fn about_the_requested_number_of_referrals_span_the_eighteen_months_before_creation() {
    let demo = small().await;
    let all = demo.referrals().await;
    assert_eq!(all.len(), 300);
    assert_eq!(demo.summary.referrals, 300);
    let by_status: usize = demo.summary.by_status.iter().map(|(_, n)| n).sum();
    assert_eq!(by_status, 300, "the summary counts every referral once");
    let first: Timestamp = "2024-12-15T00:00:00Z".parse().unwrap();
    assert!(
        all.iter()
            .all(|r| r.received_at >= first && r.received_at < creation_midnight())
    );
    let half_year = jiff::SignedDuration::from_hours(24 * 183);
    let six_months_ago = creation_midnight() - half_year;
    let recent = all
        .iter()
        .filter(|r| r.received_at >= six_months_ago)
        .count();
    let oldest = all
        .iter()
        .filter(|r| r.received_at < first + half_year)
        .count();
    assert!(
        recent > oldest,
        "later months are busier: {recent} in the last six months, {oldest} in the first six"
    );
    let ids: HashSet<_> = all.iter().map(|r| (&r.source, &r.report_id)).collect();
    assert_eq!(ids.len(), all.len(), "report ids are unique");
    let nca = all.iter().filter(|r| r.source == "NCA").count();
    assert!(share(nca, all.len()) > 0.75, "mostly NCA packages: {nca}");
    assert!(all.iter().filter(|r| r.source == "NCA").all(|r| {
        r.package_ref
            .as_deref()
            .is_some_and(|p| p.starts_with("NCA-"))
            && (8..=9).contains(&r.report_id.len())
    }));
}

/// What must be identical between two runs (ids of people may differ).
fn fingerprint(all: &[Referral]) -> Vec<String> {
    let mut v: Vec<String> = all
        .iter()
        .map(|r| {
            format!(
                "{} {} {} {:?} {:?} {:?} {:?} {:?} {:?} {} {:?} {:?}",
                r.id,
                r.report_id,
                r.received_at,
                r.risk_level,
                r.status,
                r.due_at,
                r.first_enforcement_at,
                r.outcome,
                r.allocated_name,
                r.summary,
                r.borough,
                r.reported_person
            )
        })
        .collect();
    v.sort();
    v
}

#[tokio::test]
async fn the_same_seed_on_the_same_day_gives_the_same_referrals() {
    let morning = seeded(options(7, 120, "2026-06-15T06:05:00Z")).await;
    let evening = seeded(options(7, 120, "2026-06-15T21:40:00Z")).await;
    assert_eq!(
        fingerprint(&morning.referrals().await),
        fingerprint(&evening.referrals().await)
    );
    assert_eq!(
        morning.summary.users, evening.summary.users,
        "the same people with the same names"
    );
    let other_seed = seeded(options(8, 120, "2026-06-15T06:05:00Z")).await;
    assert_ne!(
        fingerprint(&morning.referrals().await),
        fingerprint(&other_seed.referrals().await)
    );
}

#[tokio::test]
async fn some_referrals_are_unrouted_and_sit_on_the_central_queue() {
    let demo = seeded(options(42, 1_000, CREATED_AT)).await;
    let all = demo.referrals().await;
    let unrouted: Vec<_> = all.iter().filter(|r| r.bcu.is_none()).collect();
    assert!(
        (10..=60).contains(&unrouted.len()),
        "{} unrouted",
        unrouted.len()
    );
    assert!(unrouted.iter().all(|r| r.allocated_to.is_none()));
    assert!(
        unrouted.iter().any(|r| r.status.is_open()),
        "some still wait on the central queue"
    );
    assert!(
        unrouted
            .iter()
            .filter(|r| !r.status.is_open())
            .all(|r| r.outcome.map(|c| c.number) == Some(20))
    );
    assert!(
        all.iter()
            .filter(|r| r.bcu.is_some())
            .all(|r| r.bcu_code.is_some() && r.borough.is_some())
    );
}

#[tokio::test]
async fn reported_people_use_only_reserved_identifiers() {
    let demo = small().await;
    for r in demo.referrals().await {
        let p = &r.reported_person;
        assert!(p.emails.iter().all(|e| e.ends_with("@example.com")
            || e.ends_with("@example.org")
            || e.ends_with("@example.net")));
        assert!(
            p.phones
                .iter()
                .all(|n| n.starts_with("+447700900") && n.len() == 13),
            "{:?}",
            p.phones
        );
        assert!(!p.screen_names.is_empty() && p.esp_service.is_some());
    }
}
