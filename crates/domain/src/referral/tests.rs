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
fn an_nfa_outcome_needs_a_supervisor_and_every_outcome_needs_a_rationale() {
    assert_eq!(
        close(Status::Enforcement, code(1), "", false, false),
        Err(TransitionError::Missing("a rationale for the outcome"))
    );
    assert_eq!(
        close(
            Status::Enforcement,
            code(16),
            "victim does not support",
            true,
            false
        ),
        Err(TransitionError::NeedsSupervisor(code(16)))
    );
    assert_eq!(
        close(
            Status::Enforcement,
            code(16),
            "victim does not support",
            true,
            true
        ),
        Ok(Status::Closed)
    );
    assert_eq!(
        close(
            Status::Allocated,
            code(1),
            "charged with s.1 PoCA",
            false,
            false
        ),
        Ok(Status::Closed)
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
        close(Status::Closed, code(1), "x", false, true),
        Err(TransitionError::Closed)
    );
}
