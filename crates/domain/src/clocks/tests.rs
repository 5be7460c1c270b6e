//! The clock model: states, the at-risk share, pauses that do not count, stops that need a reason when late.

use super::*;

fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn review() -> Clock {
    Clock::start(
        ClockKind::SupervisionReview,
        at("2026-01-01T09:00:00Z"),
        TargetSpan::Hours(100),
    )
}

#[test]
fn a_running_clock_is_on_time_then_at_risk_at_the_share_then_overdue() {
    let c = review();
    assert_eq!(c.state(at("2026-01-02T09:00:00Z"), 80), ClockState::OnTime);
    // 80 of 100 hours used.
    assert_eq!(c.state(at("2026-01-04T17:00:00Z"), 80), ClockState::AtRisk);
    assert_eq!(c.state(at("2026-01-04T16:59:00Z"), 80), ClockState::OnTime);
    assert_eq!(c.state(at("2026-01-05T13:00:01Z"), 80), ClockState::Overdue);
    assert_eq!(
        c.state(at("2026-01-04T17:00:00Z"), 90),
        ClockState::OnTime,
        "the share is the force's setting"
    );
}

#[test]
fn paused_time_does_not_count_and_pushes_the_due_time_back() {
    let mut c = review();
    c.pause(
        at("2026-01-02T09:00:00Z"),
        "Awaiting the victim's return from abroad",
    )
    .unwrap();
    assert_eq!(c.state(at("2026-01-10T09:00:00Z"), 80), ClockState::Paused);
    c.resume(at("2026-01-03T09:00:00Z")).unwrap();
    assert_eq!(
        c.due_at(at("2026-01-04T00:00:00Z")),
        at("2026-01-06T13:00:00Z")
    );
    // 24 of the 48 hours elapsed were paused: 24 used of 100.
    assert_eq!(c.state(at("2026-01-03T09:00:00Z"), 80), ClockState::OnTime);
    assert_eq!(
        c.state(at("2026-01-06T12:00:00Z"), 80),
        ClockState::AtRisk,
        "without the pause it would be overdue"
    );
}

#[test]
fn an_open_pause_keeps_pushing_the_due_time_back() {
    let mut c = review();
    c.pause(at("2026-01-02T09:00:00Z"), "reason").unwrap();
    assert_eq!(
        c.due_at(at("2026-01-12T09:00:00Z")),
        at("2026-01-15T13:00:00Z")
    );
}

#[test]
fn triage_enforcement_and_social_care_clocks_never_pause() {
    for kind in [
        ClockKind::Triage,
        ClockKind::Enforcement,
        ClockKind::SocialCareReferral,
    ] {
        let mut c = Clock::start(kind, at("2026-01-01T09:00:00Z"), TargetSpan::Hours(24));
        assert!(matches!(
            c.pause(at("2026-01-01T10:00:00Z"), "x"),
            Err(ClockError::NeverPauses(_))
        ));
    }
}

#[test]
fn a_pause_needs_a_reason_and_only_one_at_a_time() {
    let mut c = review();
    assert_eq!(
        c.pause(at("2026-01-02T09:00:00Z"), "  "),
        Err(ClockError::NoReason)
    );
    c.pause(at("2026-01-02T09:00:00Z"), "r").unwrap();
    assert_eq!(
        c.pause(at("2026-01-02T10:00:00Z"), "r"),
        Err(ClockError::AlreadyPaused)
    );
    c.resume(at("2026-01-02T11:00:00Z")).unwrap();
    assert_eq!(
        c.resume(at("2026-01-02T12:00:00Z")),
        Err(ClockError::NotPaused)
    );
    assert_eq!(
        c.pause(at("2026-01-02T10:30:00Z"), "r"),
        Err(ClockError::OutOfOrder)
    );
}

#[test]
fn stopping_on_time_is_met_and_late_needs_a_reason_code_from_the_list() {
    let codes = default_late_reasons();
    let mut on_time = review();
    assert_eq!(
        on_time.stop(at("2026-01-03T09:00:00Z"), None, &codes),
        Ok(ClockState::Met)
    );
    let mut late = review();
    assert_eq!(
        late.stop(at("2026-01-06T09:00:00Z"), None, &codes),
        Err(ClockError::LateNeedsReason)
    );
    let unknown = LateReason {
        code: "busy".into(),
        text: String::new(),
    };
    assert_eq!(
        late.stop(at("2026-01-06T09:00:00Z"), Some(unknown), &codes),
        Err(ClockError::UnknownReason("busy".into()))
    );
    let reason = LateReason {
        code: "awaiting_forensics".into(),
        text: " Phone still at the lab ".into(),
    };
    assert_eq!(
        late.stop(at("2026-01-06T09:00:00Z"), Some(reason), &codes),
        Ok(ClockState::Missed)
    );
    assert_eq!(
        late.late_reason.as_ref().map(|r| r.text.as_str()),
        Some("Phone still at the lab")
    );
    assert_eq!(
        late.stop(at("2026-01-07T09:00:00Z"), None, &codes),
        Err(ClockError::Stopped)
    );
}

#[test]
fn a_paused_clock_stopped_is_resumed_at_the_stop_and_judged_without_the_pause() {
    let codes = default_late_reasons();
    let mut c = review();
    c.pause(at("2026-01-02T09:00:00Z"), "r").unwrap();
    // 200 hours later, but 199 of them paused.
    assert_eq!(
        c.stop(at("2026-01-10T17:00:00Z"), None, &codes),
        Ok(ClockState::Met)
    );
    assert_eq!(c.pauses[0].to, Some(at("2026-01-10T17:00:00Z")));
}

#[test]
fn a_fixed_date_clock_falls_due_on_its_date() {
    let c = Clock::until(
        ClockKind::BailReturn,
        at("2026-01-01T09:00:00Z"),
        at("2026-02-01T10:00:00Z"),
    );
    assert_eq!(c.state(at("2026-02-01T10:00:01Z"), 80), ClockState::Overdue);
}

#[test]
fn the_headline_due_time_is_the_soonest_running_clock() {
    let mut first = review();
    let second = Clock::start(
        ClockKind::PlanAction,
        at("2026-01-01T09:00:00Z"),
        TargetSpan::Hours(10),
    );
    let now = at("2026-01-01T10:00:00Z");
    assert_eq!(
        headline_due([&first, &second], now),
        Some(at("2026-01-01T19:00:00Z"))
    );
    let mut stopped = second.clone();
    stopped
        .stop(at("2026-01-01T11:00:00Z"), None, &default_late_reasons())
        .unwrap();
    assert_eq!(
        headline_due([&first, &stopped], now),
        Some(at("2026-01-05T13:00:00Z"))
    );
    first.pause(now, "r").unwrap();
    assert_eq!(
        headline_due([&first, &stopped], now),
        None,
        "a paused clock is not due"
    );
}

#[test]
fn supervision_reviews_fall_due_the_interval_after_allocation_then_after_each_review() {
    let t = crate::TimelinessTable::default();
    assert_eq!(t.supervision_review, TargetSpan::Days(28));
    let allocated = at("2026-03-02T10:00:00Z");
    let first = Clock::start(
        ClockKind::SupervisionReview,
        allocated,
        t.supervision_review,
    );
    assert_eq!(
        crate::time::display(first.base_due),
        "30 Mar 2026 10:00 BST"
    );
    let reviewed = at("2026-03-20T10:00:00Z");
    let next = Clock::start(ClockKind::SupervisionReview, reviewed, t.supervision_review);
    assert_eq!(crate::time::display(next.base_due), "17 Apr 2026 10:00 BST");
}
