//! What happened to the referrals: allocation, timeliness, outcomes and timelines follow the product's rules.

use crate::harness::{CREATED_AT, creation_midnight, options, seeded, share, small};
use domain::{RiskLevel, Role, Status};
use std::collections::{HashMap, HashSet};

#[tokio::test]
async fn every_allocated_referral_is_allocated_to_someone_in_its_own_bcu() {
    let demo = small().await;
    let users: HashMap<_, _> = demo.users().await.into_iter().map(|u| (u.id, u)).collect();
    let all = demo.referrals().await;
    let allocated: Vec<_> = all.iter().filter(|r| r.allocated_to.is_some()).collect();
    assert!(
        allocated.len() > all.len() / 2,
        "{} allocated",
        allocated.len()
    );
    for r in allocated {
        let officer = &users[&r.allocated_to.unwrap()];
        assert_eq!(
            officer.bcu, r.bcu,
            "{} allocated outside its BCU",
            r.report_id
        );
        assert!(matches!(
            officer.role,
            Role::Investigator | Role::Supervisor
        ));
        assert_eq!(r.allocated_name.as_ref(), Some(&officer.display_name));
    }
}

#[tokio::test]
async fn some_targets_were_missed_and_most_were_met() {
    let demo = small().await;
    let all = demo.referrals().await;
    let met = all.iter().filter(|r| r.target_met() == Some(true)).count();
    let missed = all.iter().filter(|r| r.target_met() == Some(false)).count();
    let rate = share(missed, met + missed);
    assert!(
        (0.12..=0.30).contains(&rate),
        "{missed} missed of {}",
        met + missed
    );
    assert_eq!(
        (demo.summary.targets_met, demo.summary.targets_missed),
        (met, missed)
    );
    let now = demo.created_at();
    let overdue = all
        .iter()
        .filter(|r| r.seconds_left(now).is_some_and(|s| s < 0))
        .count();
    assert!(overdue > 0, "some open referrals are overdue right now");
    assert_eq!(demo.summary.overdue_now, overdue);
}

#[tokio::test]
async fn closed_nfa_outcomes_were_approved_by_a_supervisor_or_the_lead_of_the_bcu() {
    let demo = small().await;
    let users: HashMap<_, _> = demo.users().await.into_iter().map(|u| (u.id, u)).collect();
    let nfa = domain::NfaPolicy::default();
    let closed: Vec<_> = demo
        .referrals()
        .await
        .into_iter()
        .filter(|r| r.status == Status::Closed)
        .collect();
    let nfa_closed: Vec<_> = closed
        .iter()
        .filter(|r| nfa.is_nfa(r.outcome.unwrap()))
        .collect();
    assert!(nfa_closed.len() > 10, "{} NFA outcomes", nfa_closed.len());
    for r in nfa_closed {
        let timeline = demo.store.timeline(r.id).await.unwrap();
        let step = timeline
            .iter()
            .find(|t| t.kind == "outcome")
            .expect("an outcome step");
        let closer = &users[&step.user.expect("a person recorded it")];
        assert!(
            matches!(closer.role, Role::Supervisor | Role::BcuLead),
            "{}",
            step.summary
        );
        assert_eq!(closer.bcu, r.bcu);
        assert!(r.outcome_rationale.as_ref().is_some_and(|t| !t.is_empty()));
    }
    let codes: HashSet<_> = closed.iter().map(|r| r.outcome.unwrap().number).collect();
    assert!(
        codes.contains(&1) && codes.contains(&21) && codes.contains(&16),
        "{codes:?}"
    );
}

#[tokio::test]
async fn older_referrals_are_mostly_closed_and_recent_ones_spread_over_the_open_statuses() {
    let demo = seeded(options(42, 1_000, CREATED_AT)).await;
    let all = demo.referrals().await;
    let cutoff = creation_midnight() - jiff::SignedDuration::from_hours(24 * 365);
    let old: Vec<_> = all.iter().filter(|r| r.received_at < cutoff).collect();
    let closed_old = old.iter().filter(|r| r.status == Status::Closed).count();
    assert!(
        share(closed_old, old.len()) > 0.8,
        "{closed_old} of {} older referrals closed",
        old.len()
    );
    let open: HashSet<_> = all
        .iter()
        .filter(|r| r.status.is_open())
        .map(|r| r.status)
        .collect();
    assert_eq!(
        open.len(),
        5,
        "new, assessed, allocated, enforcement and outcome awaiting approval all present: {open:?}"
    );
}

#[tokio::test]
async fn risk_levels_follow_the_usual_mix_and_escalated_referrals_are_at_least_high() {
    let demo = seeded(options(3, 1_000, CREATED_AT)).await;
    let all = demo.referrals().await;
    let assessed: Vec<_> = all
        .iter()
        .filter_map(|r| r.risk_level.map(|l| (l, r.escalated)))
        .collect();
    let level = |l| {
        share(
            assessed.iter().filter(|(x, _)| *x == l).count(),
            assessed.len(),
        )
    };
    assert!((0.02..0.10).contains(&level(RiskLevel::VeryHigh)));
    assert!((0.18..0.34).contains(&level(RiskLevel::High)));
    assert!((0.36..0.54).contains(&level(RiskLevel::Medium)));
    assert!((0.18..0.32).contains(&level(RiskLevel::Low)));
    assert!(
        assessed
            .iter()
            .filter(|(_, e)| *e)
            .all(|(l, _)| *l <= RiskLevel::High)
    );
    assert!(
        all.iter()
            .any(|r| r.escalated && r.escalation_reason.is_some())
    );
}

#[tokio::test]
async fn timelines_run_in_order_before_the_creation_day_and_match_the_status() {
    let demo = small().await;
    let table = &demo.opts.table;
    for r in demo.referrals().await.iter().take(120) {
        let t = demo.store.timeline(r.id).await.unwrap();
        assert_eq!(t[0].kind, "received");
        assert!(t.windows(2).all(|w| w[0].at <= w[1].at), "{}", r.report_id);
        assert!(t.last().unwrap().at < creation_midnight());
        let kinds: Vec<_> = t.iter().map(|e| e.kind.as_str()).collect();
        let expected_due = match r.risk_level {
            Some(l) => table.due_at(r.received_at, domain::Clock::Enforcement(l), r.escalated),
            None => table.due_at(r.received_at, domain::Clock::Triage, r.escalated),
        };
        assert_eq!(r.due_at, expected_due);
        let back = matches!(kinds.last(), Some(&"outcome_returned") | Some(&"reopened"));
        match r.status {
            Status::Allocated | Status::Enforcement if back => {
                assert!(kinds.contains(&"outcome_proposed") || kinds.contains(&"outcome"))
            }
            Status::New => assert_eq!(kinds, ["received"]),
            Status::Assessed => assert_eq!(kinds, ["received", "risk_assessed"]),
            Status::Allocated => assert_eq!(kinds, ["received", "risk_assessed", "allocated"]),
            Status::Enforcement => assert_eq!(
                kinds,
                ["received", "risk_assessed", "allocated", "enforcement"]
            ),
            Status::OutcomeProposed => assert_eq!(kinds.last(), Some(&"outcome_proposed")),
            Status::Closed => {
                assert_eq!(kinds.last(), Some(&"outcome"));
                assert!(
                    r.retention_review_on.is_some(),
                    "a closed record has its review date"
                );
            }
        }
    }
}

#[tokio::test]
async fn nfa_outcomes_wait_for_a_sergeant_some_are_returned_and_a_few_closed_referrals_reopen() {
    let demo = seeded(options(5, 1_500, CREATED_AT)).await;
    let all = demo.referrals().await;
    let awaiting = all
        .iter()
        .filter(|r| r.status == Status::OutcomeProposed)
        .count();
    assert!(
        awaiting > 0,
        "outcomes awaiting approval on the creation day"
    );
    let mut returned = 0;
    let mut reopened = 0;
    let mut approved_by_proposer = 0;
    for r in all.iter().filter(|r| r.bcu.is_some()) {
        let t = demo.store.timeline(r.id).await.unwrap();
        returned += usize::from(t.iter().any(|e| e.kind == "outcome_returned"));
        reopened += usize::from(t.iter().any(|e| e.kind == "reopened"));
        let proposer = t
            .iter()
            .rev()
            .find(|e| e.kind == "outcome_proposed")
            .map(|e| e.user);
        let approver = t
            .iter()
            .rev()
            .find(|e| e.kind == "outcome" && e.summary.contains("approved"))
            .map(|e| e.user);
        approved_by_proposer += usize::from(proposer.is_some() && proposer == approver);
    }
    assert!(returned > 0, "some proposals were returned once");
    assert!(reopened > 0, "a few closed referrals were reopened");
    assert_eq!(
        approved_by_proposer, 0,
        "nobody approves their own proposal"
    );
}

#[tokio::test]
async fn each_bcu_referrals_risk_level_comes_from_an_instrument_assessment_its_sergeant_signed_off_or_overrode()
 {
    let demo = seeded(options(42, 1_000, CREATED_AT)).await;
    let instrument = domain::instrument::Instrument::default_instrument();
    let users = demo.users().await;
    let (mut signed, mut overridden, mut awaiting) = (0, 0, 0);
    for r in demo.referrals().await {
        let rows = demo.store.assessments(r.id).await.unwrap();
        let Some(level) = r.risk_level else {
            assert!(
                rows.is_empty(),
                "{} has an assessment and no level",
                r.report_id
            );
            continue;
        };
        if r.bcu.is_none() {
            continue;
        }
        assert!(rows.len() <= 1);
        let Some(a) = rows.first() else { continue };
        // The stored answers give the stored level again.
        let answers: domain::instrument::Answers = serde_json::from_str(&a.answers).unwrap();
        let again = instrument.evaluate(&answers).unwrap().level().unwrap();
        assert_eq!(again.as_str(), a.level);
        match a.decision.as_deref() {
            Some("signed_off") => {
                signed += 1;
                assert_eq!(a.final_level.as_deref(), Some(level.as_str()));
                assert_eq!(a.level, level.as_str());
            }
            Some("overridden") => {
                overridden += 1;
                assert_eq!(a.final_level.as_deref(), Some(level.as_str()));
                assert_ne!(a.level, level.as_str(), "an override moves the level");
                assert!(a.override_reason.as_deref().is_some_and(|t| t.len() > 20));
            }
            None => {
                awaiting += 1;
                assert_eq!(a.level, level.as_str());
            }
            other => panic!("decision {other:?}"),
        }
        if a.decision.is_some() {
            let sergeant = users
                .iter()
                .find(|u| Some(u.display_name.as_str()) == a.decided_by_name.as_deref())
                .expect("decided by a known user");
            assert_eq!(sergeant.role, domain::Role::Supervisor);
            assert_eq!(
                sergeant.bcu, r.bcu,
                "decided by the referral's own BCU's sergeant"
            );
        }
    }
    let decided = signed + overridden;
    assert!(decided > 400, "{decided} decided");
    let share = overridden as f64 / decided as f64;
    assert!(
        (0.02..0.15).contains(&share),
        "overridden {overridden} of {decided}"
    );
    assert!(awaiting < decided / 10, "{awaiting} awaiting");
}
