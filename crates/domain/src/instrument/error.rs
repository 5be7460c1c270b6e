//! What can be wrong with an instrument definition, and with a set of answers to it. Every message names
//! the item at fault (the question, option, floor or field), so a force editing its own file can fix it.

use super::InstrumentRef;

/// An instrument definition was refused.
#[derive(Debug, thiserror::Error)]
pub enum InstrumentError {
    /// Not TOML, a field of the wrong type, or a field the format does not know (the message has the line).
    #[error("instrument definition is not valid: {0}")]
    Toml(#[from] toml::de::Error),
    /// A required top-level field is missing or empty.
    #[error("instrument has no {0}")]
    Missing(&'static str),
    /// An id uses characters other than lowercase letters, digits, `_` and `-`.
    #[error("{what} id '{id}' must be lowercase letters, digits, '_' or '-'")]
    BadId {
        /// `question`, `step`, `option` or `floor`.
        what: &'static str,
        /// The id as written.
        id: String,
    },
    /// Two items share an id.
    #[error("{what} id '{id}' is used more than once")]
    Duplicate {
        /// `question`, `step`, `option` or `floor`.
        what: &'static str,
        /// The repeated id.
        id: String,
    },
    /// A question is malformed (kind-specific fields, ranges, bands, pre-fill source).
    #[error("question '{question}': {problem}")]
    Question {
        /// The question id.
        question: String,
        /// What is wrong.
        problem: String,
    },
    /// A step has no title or no questions.
    #[error("step '{step}': {problem}")]
    Step {
        /// The step id.
        step: String,
        /// What is wrong.
        problem: String,
    },
    /// A floor refers to something that does not exist or does not fit the question.
    #[error("floor '{floor}': {problem}")]
    Floor {
        /// The floor id.
        floor: String,
        /// What is wrong.
        problem: String,
    },
    /// The thresholds are not in strictly descending order.
    #[error(
        "thresholds must satisfy very_high > high > medium > 0 (found very_high = {very_high}, high = {high}, medium = {medium})"
    )]
    Thresholds {
        /// As written.
        very_high: u32,
        /// As written.
        high: u32,
        /// As written.
        medium: u32,
    },
}

/// An answer, or a set of answers, was refused.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    /// The answers were made with another instrument or another version of it.
    #[error("answers were made with instrument {found}, not {expected}")]
    WrongInstrument {
        /// The instrument evaluating.
        expected: InstrumentRef,
        /// The instrument the answers name.
        found: InstrumentRef,
    },
    /// No such question in the instrument.
    #[error("question '{0}' is not in this instrument")]
    UnknownQuestion(String),
    /// The answer is of the wrong kind (a number for a yes/no question).
    #[error("question '{question}' takes a {expected} answer")]
    WrongKind {
        /// The question id.
        question: String,
        /// `yes/no`, `number` or `choice`.
        expected: &'static str,
    },
    /// A number outside the question's range.
    #[error("question '{question}': {value} is outside {min} to {max}")]
    OutOfRange {
        /// The question id.
        question: String,
        /// The answer given.
        value: i64,
        /// Least accepted.
        min: i64,
        /// Greatest accepted.
        max: i64,
    },
    /// A choice that is not one of the question's options.
    #[error("question '{question}': '{option}' is not one of its options ({options})")]
    UnknownOption {
        /// The question id.
        question: String,
        /// The answer given.
        option: String,
        /// The accepted options, comma-separated.
        options: String,
    },
}
