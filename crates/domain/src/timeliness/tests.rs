//! Timeliness arithmetic, including both clock changes.

use super::*;

fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn hours_between(a: Timestamp, b: Timestamp) -> i64 {
    (b.as_second() - a.as_second()) / 3600
}

#[test]
fn a_very_high_referral_is_due_24_elapsed_hours_after_receipt() {
    let t = TimelinessTable::default();
    let received = at("2026-03-28T10:00:00Z");
    let due = t.due_at(received, Clock::Enforcement(RiskLevel::VeryHigh), false);
    assert_eq!(
        due,
        at("2026-03-29T10:00:00Z"),
        "elapsed hours ignore the clock change on 29 March"
    );
}

#[test]
fn a_seven_day_target_over_the_spring_change_is_one_hour_shorter_in_elapsed_time() {
    let t = TimelinessTable::default();
    // 10:00 GMT on Friday 27 March 2026; clocks go forward at 01:00 on Sunday 29 March.
    let received = at("2026-03-27T10:00:00Z");
    let due = t.due_at(received, Clock::Enforcement(RiskLevel::High), false);
    assert_eq!(
        crate::time::display(due),
        "3 Apr 2026 10:00 BST",
        "same London wall-clock time"
    );
    assert_eq!(hours_between(received, due), 7 * 24 - 1);
}

#[test]
fn a_seven_day_target_over_the_autumn_change_is_one_hour_longer_in_elapsed_time() {
    let t = TimelinessTable::default();
    // 10:00 BST on Friday 23 October 2026; clocks go back at 02:00 on Sunday 25 October.
    let received = at("2026-10-23T09:00:00Z");
    let due = t.due_at(received, Clock::Enforcement(RiskLevel::High), false);
    assert_eq!(crate::time::display(due), "30 Oct 2026 10:00 GMT");
    assert_eq!(hours_between(received, due), 7 * 24 + 1);
}

#[test]
fn a_target_away_from_clock_changes_is_exactly_whole_days() {
    let t = TimelinessTable::default();
    let received = at("2026-06-01T08:15:00Z");
    for (level, days) in [
        (RiskLevel::High, 7),
        (RiskLevel::Medium, 14),
        (RiskLevel::Low, 30),
    ] {
        let due = t.due_at(received, Clock::Enforcement(level), false);
        assert_eq!(hours_between(received, due), days * 24, "{level:?}");
    }
}

#[test]
fn a_day_target_landing_in_the_spring_gap_moves_forward_to_a_real_time() {
    // Received 01:30 GMT on 22 March 2026; 7 days later, 01:30 on 29 March does not exist in London.
    let due = TargetSpan::Days(7).due_from(at("2026-03-22T01:30:00Z"));
    assert_eq!(crate::time::display(due), "29 Mar 2026 02:30 BST");
}

#[test]
fn an_escalated_referral_must_be_triaged_within_two_hours() {
    let t = TimelinessTable::default();
    let received = at("2026-10-25T00:30:00Z");
    assert_eq!(
        t.due_at(received, Clock::Triage, true),
        at("2026-10-25T02:30:00Z")
    );
    assert_eq!(
        t.due_at(received, Clock::Triage, false),
        at("2026-10-26T00:30:00Z")
    );
}

#[test]
fn a_table_with_a_zero_target_or_no_version_is_refused() {
    let mut t = TimelinessTable::default();
    assert!(t.validate().is_ok());
    t.medium = TargetSpan::Days(0);
    assert_eq!(
        t.validate().unwrap_err(),
        "`medium` must be at least 1 hour or 1 day"
    );
    let t = TimelinessTable {
        version: " ".into(),
        ..TimelinessTable::default()
    };
    assert!(t.validate().is_err());
}

#[test]
fn a_stopped_clock_keeps_its_target_and_a_running_one_moves_to_the_new_level() {
    let t = TimelinessTable::default();
    let mut r = crate::Referral::new_received(
        crate::Received {
            force: crate::ForceId::new(),
            bcu: None,
            borough: None,
            source: "NCA".into(),
            package_ref: None,
            report_id: "1".into(),
            received_at: at("2026-01-05T09:00:00Z"),
            incident_type: "Child Sex Tourism".into(),
            incident_at: None,
            escalation: None,
            summary: String::new(),
            reported_person: Default::default(),
        },
        &t,
    );
    let high = t.enforcement_due(&r, RiskLevel::High);
    assert_eq!(high, at("2026-01-12T09:00:00Z"));
    r.due_at = high;
    r.first_enforcement_at = Some(at("2026-01-13T09:00:00Z"));
    assert_eq!(
        t.enforcement_due(&r, RiskLevel::Low),
        high,
        "a missed target stays missed"
    );
}

#[test]
fn less_than_24_hours_left_is_due_soon_and_exactly_24_is_not() {
    assert_eq!(urgency(-1), Urgency::Overdue);
    assert_eq!(urgency(0), Urgency::DueSoon);
    assert_eq!(urgency(24 * 3600 - 1), Urgency::DueSoon);
    assert_eq!(urgency(24 * 3600), Urgency::OnTrack);
}

#[test]
fn a_target_longer_than_ten_years_is_refused_rather_than_overflowing_a_due_time() {
    for span in [
        TargetSpan::Days(u32::MAX),
        TargetSpan::Hours(u32::MAX),
        TargetSpan::Days(3_651),
    ] {
        let t = TimelinessTable {
            low: span,
            ..TimelinessTable::default()
        };
        let e = t.validate().unwrap_err();
        assert!(e.starts_with("`low` must be at most 3650 days"), "{e}");
    }
    let longest = TimelinessTable {
        low: TargetSpan::Days(MAX_TARGET_DAYS),
        triage: TargetSpan::Hours(MAX_TARGET_DAYS * 24),
        ..TimelinessTable::default()
    };
    assert_eq!(longest.validate(), Ok(()));
    let late = at("2999-12-31T23:00:00Z");
    assert!(longest.due_at(late, Clock::Enforcement(RiskLevel::Low), false) > late);
}

#[test]
fn a_table_written_before_the_optional_keys_loads_with_their_defaults() {
    let old = r#"
version = "met-2019"
very_high = { hours = 24 }
high = { days = 7 }
medium = { days = 14 }
low = { days = 30 }
triage = { hours = 24 }
triage_escalated = { hours = 2 }
"#;
    let t: TimelinessTable = toml::from_str(old).unwrap();
    assert_eq!(t.supervision_review, TargetSpan::Days(28));
    assert_eq!(t.at_risk_percent, 80);
    assert_eq!(t.late_reasons, crate::clocks::default_late_reasons());
    assert_eq!(t.validate(), Ok(()));
}

#[test]
fn the_example_table_is_the_built_in_default_written_out() {
    let text = include_str!("../../../../config/timeliness.example.toml");
    let t: TimelinessTable = toml::from_str(text).unwrap();
    assert_eq!(t, TimelinessTable::default());
}

#[test]
fn an_at_risk_share_outside_1_to_100_is_refused() {
    let t = TimelinessTable {
        at_risk_percent: 0,
        ..TimelinessTable::default()
    };
    assert!(t.validate().unwrap_err().contains("at_risk_percent"));
}

#[test]
fn a_working_day_target_skips_the_weekend() {
    // Friday 4 December 2026, 15:00 London: one working day later is Monday 15:00.
    let friday: Timestamp = "2026-12-04T15:00:00Z".parse().unwrap();
    assert_eq!(
        TargetSpan::WorkingDays(1).due_from(friday),
        "2026-12-07T15:00:00Z".parse::<Timestamp>().unwrap()
    );
    // A Saturday start counts from the Monday.
    let saturday: Timestamp = "2026-12-05T10:00:00Z".parse().unwrap();
    assert_eq!(
        TargetSpan::WorkingDays(1).due_from(saturday),
        "2026-12-07T10:00:00Z".parse::<Timestamp>().unwrap()
    );
    // Tuesday to Thursday.
    let tuesday: Timestamp = "2026-12-01T09:00:00Z".parse().unwrap();
    assert_eq!(
        TargetSpan::WorkingDays(2).due_from(tuesday),
        "2026-12-03T09:00:00Z".parse::<Timestamp>().unwrap()
    );
    assert_eq!(TargetSpan::WorkingDays(1).describe(), "1 working day");
}
