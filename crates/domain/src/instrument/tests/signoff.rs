//! Supervisors' sign-off and override.

use super::*;
use crate::UserId;
use jiff::Timestamp;

fn evaluation(overrides: &[(&str, AnswerValue)]) -> Evaluation {
    let (i, answers) = answered(overrides);
    i.evaluate(&answers).unwrap()
}

#[test]
fn a_sign_off_keeps_the_instruments_level_and_is_not_an_override() {
    let s = sign_off(
        &evaluation(&[("escalated", yes())]),
        UserId::new(),
        Timestamp::UNIX_EPOCH,
    )
    .unwrap();
    assert_eq!(
        s.final_level,
        FinalLevel::Instrument {
            level: RiskLevel::High
        }
    );
    assert!(!s.final_level.is_override());
    assert_eq!(s.instrument.id, "safeguard-default");
}

#[test]
fn an_incomplete_assessment_cannot_be_signed_off_or_overridden() {
    let i = Instrument::default_instrument();
    let incomplete = i.evaluate(&i.blank()).unwrap();
    let n = i.questions().count();
    assert_eq!(
        sign_off(&incomplete, UserId::new(), Timestamp::UNIX_EPOCH),
        Err(SignOffError::Incomplete(n))
    );
    let overridden = override_level(
        &incomplete,
        RiskLevel::High,
        "Reason.",
        UserId::new(),
        Timestamp::UNIX_EPOCH,
    );
    assert_eq!(overridden, Err(SignOffError::Incomplete(n)));
}

#[test]
fn an_override_needs_a_reason() {
    let e = evaluation(&[]);
    for reason in ["", "   \n\t"] {
        let result = override_level(
            &e,
            RiskLevel::High,
            reason,
            UserId::new(),
            Timestamp::UNIX_EPOCH,
        );
        assert_eq!(result, Err(SignOffError::NoReason));
    }
}

#[test]
fn an_override_records_both_levels_and_the_trimmed_reason() {
    let e = evaluation(&[]);
    let s = override_level(
        &e,
        RiskLevel::High,
        "  Teacher at a primary school. ",
        UserId::new(),
        Timestamp::UNIX_EPOCH,
    )
    .unwrap();
    assert!(s.final_level.is_override());
    assert!(!s.final_level.lowers());
    assert_eq!(s.final_level.level(), RiskLevel::High);
    assert_eq!(
        s.final_level,
        FinalLevel::Override {
            instrument_level: RiskLevel::Low,
            level: RiskLevel::High,
            reason: "Teacher at a primary school.".into()
        }
    );
}

#[test]
fn an_override_to_a_lower_level_is_flagged() {
    let e = evaluation(&[("escalated", yes())]);
    let s = override_level(
        &e,
        RiskLevel::Medium,
        "Escalated in error.",
        UserId::new(),
        Timestamp::UNIX_EPOCH,
    )
    .unwrap();
    assert!(s.final_level.lowers());
}

#[test]
fn an_override_to_the_same_level_is_refused_as_a_sign_off() {
    let e = evaluation(&[]);
    let result = override_level(
        &e,
        RiskLevel::Low,
        "Agree.",
        UserId::new(),
        Timestamp::UNIX_EPOCH,
    );
    assert_eq!(result, Err(SignOffError::SameLevel(RiskLevel::Low)));
}
