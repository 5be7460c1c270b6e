//! The parts of a loaded instrument: steps, questions, how each answer scores, the thresholds that turn a
//! score into a level, and the floors that can only raise it. These values come out of
//! [`Instrument::from_toml`](super::Instrument::from_toml) already checked, so the rest of the module trusts them.

use super::{PrefillSource, QuestionId};
use crate::RiskLevel;
use serde::{Deserialize, Serialize};

/// One step of the questionnaire (`Previous behaviour`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// Stable id (`previous_behaviour`).
    pub id: String,
    /// Title shown to the assessor.
    pub title: String,
    /// Its questions, in the order they are asked.
    pub questions: Vec<Question>,
}

/// One question.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Question {
    /// Stable id, unique in the instrument; answers are keyed on it.
    pub id: QuestionId,
    /// The question as asked.
    pub text: String,
    /// Plain-English help: what counts, where to look.
    pub help: String,
    /// What kind of answer it takes and how that answer scores.
    pub kind: QuestionKind,
    /// The referral fact that pre-fills it, if any.
    pub prefill: Option<PrefillSource>,
}

/// The kind of answer a question takes, with its points. Points only add: an answer can never lower a score.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QuestionKind {
    /// Yes or no.
    YesNo {
        /// Points for *yes*.
        yes_points: u32,
        /// Points for *no* (almost always 0).
        no_points: u32,
    },
    /// A whole number between `min` and `max` inclusive.
    Number {
        /// Smallest accepted answer.
        min: i64,
        /// Largest accepted answer.
        max: i64,
        /// Point bands in ascending `at_least` order; the highest band reached scores.
        bands: Vec<Band>,
    },
    /// One of a fixed list of options.
    Choice {
        /// The options, in the order shown.
        options: Vec<ChoiceOption>,
    },
}

impl QuestionKind {
    /// `yes/no`, `number` or `choice`, for messages.
    pub fn name(&self) -> &'static str {
        match self {
            QuestionKind::YesNo { .. } => "yes/no",
            QuestionKind::Number { .. } => "number",
            QuestionKind::Choice { .. } => "choice",
        }
    }
}

/// Points for a number answer of at least `at_least`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    /// Lowest answer in the band.
    pub at_least: i64,
    /// Points it scores.
    pub points: u32,
}

/// One option of a choice question.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChoiceOption {
    /// Stable id, unique within the question; the stored answer.
    pub id: String,
    /// Label shown to the assessor.
    pub label: String,
    /// Points it scores.
    #[serde(default)]
    pub points: u32,
}

/// The lowest score of each level; a score below `medium` is Low.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    /// Lowest Very High score.
    pub very_high: u32,
    /// Lowest High score.
    pub high: u32,
    /// Lowest Medium score.
    pub medium: u32,
}

impl Thresholds {
    /// The level a score reaches on points alone.
    pub fn level(&self, score: u32) -> RiskLevel {
        if score >= self.very_high {
            RiskLevel::VeryHigh
        } else if score >= self.high {
            RiskLevel::High
        } else if score >= self.medium {
            RiskLevel::Medium
        } else {
            RiskLevel::Low
        }
    }
}

/// A floor: when every condition holds, the level is at least `level`. Floors raise, never lower.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Floor {
    /// Stable id (`escalated`), recorded in every evaluation it applies to.
    pub id: String,
    /// The least level it allows.
    pub level: RiskLevel,
    /// Why the floor exists, in words; quoted in the evaluation's reasons.
    pub why: String,
    /// Conditions, all of which must hold.
    pub when: Vec<Condition>,
}

/// One condition of a floor, on one question's answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Condition {
    /// A yes/no question answered `yes` (true) or `no` (false).
    YesNo {
        /// The question.
        question: QuestionId,
        /// The answer required.
        is: bool,
    },
    /// A choice question answered with this option.
    Choice {
        /// The question.
        question: QuestionId,
        /// The option id required.
        is: String,
    },
    /// A number question answered with at least this value.
    AtLeast {
        /// The question.
        question: QuestionId,
        /// The least value.
        value: i64,
    },
}

impl Condition {
    /// The question the condition reads.
    pub fn question(&self) -> &QuestionId {
        match self {
            Condition::YesNo { question, .. }
            | Condition::Choice { question, .. }
            | Condition::AtLeast { question, .. } => question,
        }
    }
}
