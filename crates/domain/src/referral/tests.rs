//! State changes of a referral.

use super::*;

fn code(n: u8) -> OutcomeCode {
    OutcomeCode::new(n, false).unwrap()
}

#[test]
fn assessing_a_new_referral_makes_it_await_allocation() {
    assert_eq!(
        assess(Status::New, RiskLevel::High, "prior reports"),
        Ok(Status::Assessed)
    );
}

#[test]
fn reassessing_an_allocated_referral_keeps_it_allocated() {
    assert_eq!(
        assess(Status::Allocated, RiskLevel::Low, "new facts"),
        Ok(Status::Allocated)
    );
}

#[test]
fn a_risk_level_without_a_reason_is_refused() {
    assert_eq!(
        assess(Status::New, RiskLevel::High, "  "),
        Err(TransitionError::Missing("a reason for the risk level"))
    );
}

#[test]
fn a_referral_cannot_be_allocated_before_it_is_assessed_or_routed() {
    assert_eq!(
        allocate(Status::New, true),
        Err(TransitionError::NotAssessed)
    );
    assert_eq!(
        allocate(Status::Assessed, false),
        Err(TransitionError::NoBcu)
    );
    assert_eq!(allocate(Status::Assessed, true), Ok(Status::Allocated));
    assert_eq!(
        allocate(Status::Enforcement, true),
        Ok(Status::Enforcement),
        "reallocation keeps the status"
    );
}

#[test]
fn enforcement_needs_an_allocated_officer() {
    assert_eq!(
        enforce(Status::Assessed),
        Err(TransitionError::NotAllocated)
    );
    assert_eq!(enforce(Status::Allocated), Ok(Status::Enforcement));
    assert_eq!(
        enforce(Status::Enforcement),
        Ok(Status::Enforcement),
        "a second action is recorded too"
    );
}

#[test]
fn enforcement_waits_while_a_proposed_outcome_awaits_its_decision() {
    assert_eq!(
        enforce(Status::OutcomeProposed),
        Err(TransitionError::AwaitingDecision)
    );
    assert!(
        Status::OutcomeProposed.is_open(),
        "a proposal stops no clock"
    );
    assert_eq!(
        TransitionError::Closed.code(),
        "referral.closed",
        "a change to a closed referral is its own code"
    );
}

#[test]
fn nothing_changes_a_closed_referral() {
    assert_eq!(
        assess(Status::Closed, RiskLevel::Low, "x"),
        Err(TransitionError::Closed)
    );
    assert_eq!(allocate(Status::Closed, true), Err(TransitionError::Closed));
    assert_eq!(enforce(Status::Closed), Err(TransitionError::Closed));
    assert_eq!(
        propose(
            Status::Closed,
            code(1),
            "x",
            &crate::NfaPolicy::default(),
            OutcomeFacts::default()
        ),
        Err(TransitionError::Closed)
    );
}

fn referral(bcu: Option<crate::BcuId>, status: Status) -> crate::Referral {
    let mut r = crate::Referral::new_received(
        crate::Received {
            force: crate::ForceId::new(),
            bcu,
            borough: None,
            source: "NCA".into(),
            package_ref: None,
            report_id: "1".into(),
            received_at: "2026-01-01T09:00:00Z".parse().unwrap(),
            incident_type: "Child Sex Tourism".into(),
            incident_at: None,
            escalation: None,
            summary: String::new(),
            reported_person: Default::default(),
        },
        &crate::TimelinessTable::default(),
    );
    r.status = status;
    r
}

fn officer(r: &crate::Referral, role: crate::Role) -> crate::User {
    crate::User {
        id: crate::UserId::new(),
        force: r.force,
        bcu: r.bcu,
        username: "x".into(),
        display_name: "X".into(),
        role,
        active: true,
        must_change_password: false,
    }
}

#[test]
fn only_an_active_investigator_or_sergeant_of_the_referrals_own_bcu_can_be_allocated() {
    let r = referral(Some(crate::BcuId::new()), Status::Assessed);
    assert!(may_be_allocated(
        &officer(&r, crate::Role::Investigator),
        &r
    ));
    assert!(may_be_allocated(&officer(&r, crate::Role::Supervisor), &r));
    assert!(!may_be_allocated(&officer(&r, crate::Role::BcuLead), &r));
    let mut elsewhere = officer(&r, crate::Role::Investigator);
    elsewhere.bcu = Some(crate::BcuId::new());
    assert!(!may_be_allocated(&elsewhere, &r));
    let mut gone = officer(&r, crate::Role::Investigator);
    gone.active = false;
    assert!(!may_be_allocated(&gone, &r));
    let unrouted = referral(None, Status::Assessed);
    let mut nobody = officer(&unrouted, crate::Role::Investigator);
    nobody.bcu = None;
    assert!(
        !may_be_allocated(&nobody, &unrouted),
        "an unrouted referral has no officers"
    );
}

#[test]
fn only_the_central_desk_moves_a_routed_referral_and_nobody_routes_a_closed_one() {
    let routed = referral(Some(crate::BcuId::new()), Status::Allocated);
    assert_eq!(
        check_route(crate::Role::Supervisor, &routed),
        Err(RouteError::AlreadyRouted)
    );
    assert_eq!(check_route(crate::Role::CentralTriage, &routed), Ok(()));
    assert_eq!(
        check_route(crate::Role::Supervisor, &referral(None, Status::New)),
        Ok(())
    );
    let closed = referral(None, Status::Closed);
    assert_eq!(
        check_route(crate::Role::CentralTriage, &closed).map_err(|e| e.code()),
        Err("referral.invalid_step")
    );
}

#[test]
fn moving_to_another_bcu_releases_the_officer_and_routing_an_unrouted_one_does_not() {
    let from = crate::BcuId::new();
    let r = referral(Some(from), Status::Allocated);
    let moved = reroute(&r, crate::BcuId::new());
    assert_eq!(
        (moved.release_officer, moved.status),
        (true, Status::Assessed)
    );
    let same = reroute(&r, from);
    assert_eq!(
        (same.release_officer, same.status),
        (false, Status::Allocated)
    );
    let first = reroute(&referral(None, Status::Assessed), from);
    assert_eq!(
        (first.release_officer, first.status),
        (false, Status::Assessed)
    );
    let enforced = reroute(
        &referral(Some(from), Status::Enforcement),
        crate::BcuId::new(),
    );
    assert_eq!(
        (enforced.release_officer, enforced.status),
        (true, Status::Enforcement)
    );
}

#[test]
fn an_enforcement_up_to_five_minutes_ahead_is_taken_and_one_second_more_is_refused() {
    let received: jiff::Timestamp = "2026-01-01T09:00:00Z".parse().unwrap();
    let now: jiff::Timestamp = "2026-01-02T09:00:00Z".parse().unwrap();
    let five = now + jiff::SignedDuration::from_mins(5);
    let arrest = EnforcementKind::Arrest;
    assert_eq!(
        check_enforcement(arrest, five, None, received, now),
        Ok(None)
    );
    let late = five + jiff::SignedDuration::from_secs(1);
    assert_eq!(
        check_enforcement(arrest, late, None, received, now),
        Err(EnforcementError::FutureTime)
    );
    let early = received - jiff::SignedDuration::from_secs(1);
    assert_eq!(
        check_enforcement(arrest, early, None, received, now).map_err(|e| e.code()),
        Err("referral.time_before_receipt")
    );
}

#[test]
fn a_warrant_needs_an_address_and_the_address_is_trimmed() {
    let received: jiff::Timestamp = "2026-01-01T09:00:00Z".parse().unwrap();
    let now: jiff::Timestamp = "2026-01-02T09:00:00Z".parse().unwrap();
    let w = EnforcementKind::Warrant;
    let e = check_enforcement(w, now, Some("  "), received, now).unwrap_err();
    assert_eq!(
        e.to_string(),
        "A warrant is executed at an address: give the address."
    );
    assert_eq!(
        check_enforcement(w, now, Some(" 1 Test Street "), received, now),
        Ok(Some("1 Test Street".into()))
    );
}
