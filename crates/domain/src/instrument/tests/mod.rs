//! The instrument's tests, by area: reading definitions, evaluating answers, supervisors' decisions.

use super::*;

mod definition;
mod evaluation;
mod signoff;

/// The least risky answer to a question: no, its minimum, or its first option.
fn lowest(q: &Question) -> AnswerValue {
    match &q.kind {
        QuestionKind::YesNo { .. } => AnswerValue::YesNo(false),
        QuestionKind::Number { min, .. } => AnswerValue::Number(*min),
        QuestionKind::Choice { options } => AnswerValue::Choice(options[0].id.clone()),
    }
}

/// The default instrument answered "lowest" everywhere, then with `overrides` applied.
fn answered(overrides: &[(&str, AnswerValue)]) -> (Instrument, Answers) {
    let instrument = Instrument::default_instrument();
    let mut answers = instrument.blank();
    for q in instrument.questions() {
        instrument
            .answer(&mut answers, q.id.as_str(), lowest(q))
            .unwrap();
    }
    for (id, value) in overrides {
        instrument.answer(&mut answers, id, value.clone()).unwrap();
    }
    (instrument, answers)
}

fn yes() -> AnswerValue {
    AnswerValue::YesNo(true)
}

fn choice(id: &str) -> AnswerValue {
    AnswerValue::Choice(id.into())
}

fn level_of(overrides: &[(&str, AnswerValue)]) -> RiskLevel {
    let (instrument, answers) = answered(overrides);
    instrument
        .evaluate(&answers)
        .unwrap()
        .level()
        .expect("complete")
}

use crate::RiskLevel;
