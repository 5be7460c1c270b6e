//! Turning answers into a level. The rule is the same for every instrument and is meant to be explained in a
//! sentence: each answer adds its points; the total reaches a level through the thresholds; then every floor
//! whose conditions all hold raises the level to at least its own. Floors never lower a level. Until every
//! question is answered there is no level at all, only the list of what is missing.

use super::model::{Condition, QuestionKind};
use super::{Answer, AnswerError, AnswerValue, Answers, Instrument, InstrumentRef, QuestionId};
use crate::RiskLevel;
use serde::{Deserialize, Serialize};

/// The result of evaluating a set of answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Evaluation {
    /// Not every question is answered: no level is given.
    Incomplete {
        /// The unanswered questions, in the order they are asked.
        missing: Vec<QuestionId>,
    },
    /// Every question is answered.
    Complete {
        /// The instrument and version that produced the level.
        instrument: InstrumentRef,
        /// The level, after floors.
        level: RiskLevel,
        /// The total of the answers' points.
        score: u32,
        /// The level the score alone reached, before floors.
        score_level: RiskLevel,
        /// In words: the points, the thresholds, and each floor that applied.
        reasons: Vec<String>,
        /// Ids of the floors whose conditions held (whether or not they raised the level).
        floors_applied: Vec<String>,
    },
}

impl Evaluation {
    /// The level, when complete.
    pub fn level(&self) -> Option<RiskLevel> {
        match self {
            Evaluation::Complete { level, .. } => Some(*level),
            Evaluation::Incomplete { .. } => None,
        }
    }
}

impl Instrument {
    /// Evaluates the answers: incomplete while any question is unanswered, otherwise a level with its reasons.
    /// Answers that do not fit the instrument (another version, unknown question, out-of-range number,
    /// unknown option) are refused with an error naming the question.
    pub fn evaluate(&self, answers: &Answers) -> Result<Evaluation, AnswerError> {
        self.check(answers)?;
        let missing: Vec<QuestionId> = self
            .questions()
            .filter(|q| answers.get(q.id.as_str()).is_none())
            .map(|q| q.id.clone())
            .collect();
        if !missing.is_empty() {
            return Ok(Evaluation::Incomplete { missing });
        }
        let mut score = 0;
        let mut scored = Vec::new();
        for q in self.questions() {
            let answer = answers
                .get(q.id.as_str())
                .expect("every question is answered");
            let points = points(&q.kind, &answer.value);
            if points > 0 {
                scored.push(format!(
                    "“{}” {} (+{points})",
                    q.text,
                    describe(&q.kind, answer)
                ));
            }
            score += points;
        }
        let t = self.thresholds();
        let score_level = t.level(score);
        let mut reasons = vec![format!(
            "The answers score {score} (Medium from {}, High from {}, Very High from {}), which is {score_level}.",
            t.medium, t.high, t.very_high
        )];
        if !scored.is_empty() {
            reasons.push(format!("Points came from: {}.", scored.join("; ")));
        }
        let mut level = score_level;
        let mut floors_applied = Vec::new();
        for floor in self.floors() {
            if !floor.when.iter().all(|c| holds(c, answers)) {
                continue;
            }
            let effect = if floor.level < level {
                let from = level;
                level = floor.level;
                format!("raised the level from {from} to {level}")
            } else {
                format!("the level was already {level}")
            };
            reasons.push(format!(
                "A floor of {} applies: {} It {effect}.",
                floor.level, floor.why
            ));
            floors_applied.push(floor.id.clone());
        }
        Ok(Evaluation::Complete {
            instrument: self.reference(),
            level,
            score,
            score_level,
            reasons,
            floors_applied,
        })
    }
}

fn points(kind: &QuestionKind, value: &AnswerValue) -> u32 {
    match (kind, value) {
        (
            QuestionKind::YesNo {
                yes_points,
                no_points,
            },
            AnswerValue::YesNo(yes),
        ) => {
            if *yes {
                *yes_points
            } else {
                *no_points
            }
        }
        (QuestionKind::Number { bands, .. }, AnswerValue::Number(n)) => bands
            .iter()
            .rev()
            .find(|b| *n >= b.at_least)
            .map_or(0, |b| b.points),
        (QuestionKind::Choice { options }, AnswerValue::Choice(c)) => {
            options.iter().find(|o| &o.id == c).map_or(0, |o| o.points)
        }
        _ => 0,
    }
}

fn holds(condition: &Condition, answers: &Answers) -> bool {
    let value = answers.get(condition.question().as_str()).map(|a| &a.value);
    match (condition, value) {
        (Condition::YesNo { is, .. }, Some(AnswerValue::YesNo(v))) => v == is,
        (Condition::Choice { is, .. }, Some(AnswerValue::Choice(v))) => v == is,
        (Condition::AtLeast { value, .. }, Some(AnswerValue::Number(v))) => v >= value,
        _ => false,
    }
}

/// An answer in the words of the question's options.
fn describe(kind: &QuestionKind, answer: &Answer) -> String {
    match (&answer.value, kind) {
        (AnswerValue::YesNo(true), _) => "yes".into(),
        (AnswerValue::YesNo(false), _) => "no".into(),
        (AnswerValue::Number(n), _) => n.to_string(),
        (AnswerValue::Choice(c), QuestionKind::Choice { options }) => options
            .iter()
            .find(|o| &o.id == c)
            .map_or_else(|| c.clone(), |o| o.label.clone()),
        (AnswerValue::Choice(c), _) => c.clone(),
    }
}
