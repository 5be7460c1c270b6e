//! Pre-filling and evaluating answers to the default instrument.

use super::*;

#[test]
fn all_unanswered_is_incomplete_and_lists_every_question_in_order() {
    let i = Instrument::default_instrument();
    let Evaluation::Incomplete { missing } = i.evaluate(&i.blank()).unwrap() else {
        panic!("no level yet")
    };
    let all: Vec<_> = i.questions().map(|q| q.id.clone()).collect();
    assert_eq!(missing, all);
}

#[test]
fn one_unanswered_question_still_gives_no_level() {
    let i = Instrument::default_instrument();
    let mut answers = i.blank();
    for q in i.questions().skip(1) {
        i.answer(&mut answers, q.id.as_str(), lowest(q)).unwrap();
    }
    let evaluation = i.evaluate(&answers).unwrap();
    assert_eq!(evaluation.level(), None);
    assert_eq!(
        evaluation,
        Evaluation::Incomplete {
            missing: vec![i.questions().next().unwrap().id.clone()]
        }
    );
}

#[test]
fn the_lowest_answers_everywhere_are_low_with_score_zero() {
    let (i, answers) = answered(&[]);
    let Evaluation::Complete {
        level,
        score,
        floors_applied,
        ..
    } = i.evaluate(&answers).unwrap()
    else {
        panic!("complete")
    };
    assert_eq!((level, score), (RiskLevel::Low, 0));
    assert!(floors_applied.is_empty());
}

#[test]
fn points_reach_the_levels_through_the_thresholds() {
    let cases: &[(&[(&str, AnswerValue)], RiskLevel)] = &[
        (&[("most_serious_category", choice("c"))], RiskLevel::Low),
        (
            &[
                ("most_serious_category", choice("a")),
                ("prior_reports", AnswerValue::Number(1)),
            ],
            RiskLevel::Medium,
        ),
        (
            &[
                ("lives_with_children", yes()),
                ("most_serious_category", choice("a")),
                ("previous_sexual_offending", choice("contact")),
            ],
            RiskLevel::High,
        ),
        (
            &[
                ("lives_with_children", yes()),
                ("access_elsewhere", yes()),
                ("most_serious_category", choice("a")),
                ("contact_with_child", choice("online")),
                ("previous_sexual_offending", choice("online")),
                ("other_intelligence", yes()),
                ("multiple_children", yes()),
            ],
            RiskLevel::VeryHigh,
        ),
    ];
    for (answers, expected) in cases {
        assert_eq!(level_of(answers), *expected, "{answers:?}");
    }
}

#[test]
fn an_escalated_referral_is_at_least_high_whatever_the_answers() {
    assert_eq!(level_of(&[("escalated", yes())]), RiskLevel::High);
    let very_high = [("escalated", yes()), ("child_at_immediate_risk", yes())];
    assert_eq!(
        level_of(&very_high),
        RiskLevel::VeryHigh,
        "a floor never lowers a level"
    );
}

#[test]
fn a_child_at_immediate_risk_is_very_high() {
    let (i, answers) = answered(&[("child_at_immediate_risk", yes())]);
    let Evaluation::Complete {
        level,
        score_level,
        floors_applied,
        reasons,
        ..
    } = i.evaluate(&answers).unwrap()
    else {
        panic!("complete")
    };
    assert_eq!((level, score_level), (RiskLevel::VeryHigh, RiskLevel::Low));
    assert_eq!(floors_applied, ["immediate_risk"]);
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("raised the level from Low to Very High")),
        "{reasons:?}"
    );
}

#[test]
fn combined_floors_need_every_condition() {
    assert_eq!(
        level_of(&[("previous_sexual_offending", choice("contact"))]),
        RiskLevel::Medium
    );
    let both = [
        ("previous_sexual_offending", choice("contact")),
        ("access_elsewhere", yes()),
    ];
    assert_eq!(level_of(&both), RiskLevel::High);
}

#[test]
fn prefilled_answers_are_marked_with_their_source() {
    let i = Instrument::default_instrument();
    let facts = PrefillFacts {
        escalated: Some(true),
        prior_reports: Some(5000),
        ..PrefillFacts::default()
    };
    let answers = i.prefill(&facts);
    let escalated = answers.get("escalated").unwrap();
    assert_eq!(escalated.value, AnswerValue::YesNo(true));
    assert_eq!(escalated.prefilled_from, Some(PrefillSource::Escalated));
    assert_eq!(
        answers.get("prior_reports").unwrap().value,
        AnswerValue::Number(999),
        "clamped to the maximum"
    );
    assert!(
        answers.get("victim_under_13").is_none(),
        "an unknown fact is left for the assessor"
    );
    assert_eq!(answers.len(), 2);
}

#[test]
fn an_assessors_answer_replaces_the_prefilled_one_and_drops_the_mark() {
    let i = Instrument::default_instrument();
    let mut answers = i.prefill(&PrefillFacts {
        escalated: Some(false),
        ..PrefillFacts::default()
    });
    i.answer(&mut answers, "escalated", yes()).unwrap();
    assert_eq!(answers.get("escalated").unwrap().prefilled_from, None);
}

#[test]
fn bad_answers_are_refused_naming_the_question() {
    let i = Instrument::default_instrument();
    let mut answers = i.blank();
    let cases = [
        (
            "prior_reports",
            AnswerValue::Number(-1),
            "question 'prior_reports': -1 is outside 0 to 999",
        ),
        (
            "prior_reports",
            AnswerValue::Number(1000),
            "question 'prior_reports': 1000 is outside 0 to 999",
        ),
        (
            "contact_with_child",
            choice("sometimes"),
            "question 'contact_with_child': 'sometimes' is not one of",
        ),
        (
            "escalated",
            AnswerValue::Number(1),
            "question 'escalated' takes a yes/no answer",
        ),
        (
            "shoe_size",
            yes(),
            "question 'shoe_size' is not in this instrument",
        ),
    ];
    for (question, value, message) in cases {
        let error = i
            .answer(&mut answers, question, value)
            .unwrap_err()
            .to_string();
        assert!(error.starts_with(message), "{error}");
    }
    assert!(answers.is_empty());
}

#[test]
fn stored_answers_round_trip_through_json_and_are_checked_again() {
    let (i, answers) = answered(&[("escalated", yes())]);
    let json = serde_json::to_string(&answers).unwrap();
    assert!(
        json.contains(r#""instrument":{"id":"safeguard-default","version":"1.1.0"}"#),
        "{json}"
    );
    let back: Answers = serde_json::from_str(&json).unwrap();
    assert_eq!(back, answers);
    let tampered: Answers = serde_json::from_str(&json.replace(
        r#""prior_reports":{"value":0}"#,
        r#""prior_reports":{"value":-3}"#,
    ))
    .unwrap();
    assert!(matches!(
        i.evaluate(&tampered),
        Err(AnswerError::OutOfRange { .. })
    ));
}

#[test]
fn answers_made_with_another_version_are_refused() {
    let (i, mut answers) = answered(&[]);
    answers.instrument.version = "0.9".into();
    assert!(matches!(
        i.evaluate(&answers),
        Err(AnswerError::WrongInstrument { .. })
    ));
}

#[test]
fn an_evaluation_serialises_with_its_status_and_instrument() {
    let (i, answers) = answered(&[("escalated", yes())]);
    let json = serde_json::to_value(i.evaluate(&answers).unwrap()).unwrap();
    assert_eq!(json["status"], "complete");
    assert_eq!(json["level"], "high");
    assert_eq!(json["instrument"]["version"], "1.1.0");
    assert_eq!(json["floors_applied"][0], "escalated");
}

#[test]
fn reasons_use_the_questions_and_options_words_never_their_ids() {
    let (i, answers) = answered(&[
        ("child_at_immediate_risk", yes()),
        ("previous_sexual_offending", choice("online")),
    ]);
    let Evaluation::Complete { reasons, .. } = i.evaluate(&answers).unwrap() else {
        panic!("complete")
    };
    let text = reasons.join(" ");
    assert!(
        text.contains("“What previous sexual offending do police or partner records show?” Online offending only"),
        "{text}"
    );
    for id in [
        "previous_sexual_offending",
        "online:",
        "immediate_risk",
        "child_at_immediate_risk",
    ] {
        assert!(!text.contains(id), "'{id}' is an id: {text}");
    }
}
