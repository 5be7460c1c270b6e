//! The risk assessment instrument: a versioned questionnaire, loaded from TOML, whose answers give a level
//! (Very High, High, Medium, Low). Instruments are data, not code: Safeguard ships its own openly documented
//! default (`config/instruments/default.toml`, explained in `docs/risk-instrument.md`) and a force may load its
//! own. Every answer set, evaluation and sign-off carries the instrument id and version it was made with.
//!
//! The flow: [`Instrument::prefill`] fills what the referral already says, [`Instrument::answer`] records the
//! assessor's answers, [`Instrument::evaluate`] gives a level only once all are answered, and a supervisor
//! then calls [`sign_off`] or [`override_level`].

mod answers;
mod error;
mod evaluate;
mod model;
mod parse;
mod signoff;

pub use answers::{Answer, AnswerValue, Answers, PrefillFacts, PrefillSource};
pub use error::{AnswerError, InstrumentError};
pub use evaluate::Evaluation;
pub use model::{Band, ChoiceOption, Condition, Floor, Question, QuestionKind, Step, Thresholds};
pub use signoff::{FinalLevel, SignOff, SignOffError, override_level, sign_off};

use serde::{Deserialize, Serialize};
use std::borrow::Borrow;
use std::fmt;

/// The default instrument's definition, as shipped.
pub const DEFAULT_TOML: &str = include_str!("../../../../config/instruments/default.toml");

/// A question's id (`lives_with_children`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String))]
pub struct QuestionId(String);

impl QuestionId {
    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for QuestionId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for QuestionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Which instrument, and which version of it: stored with every assessment.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InstrumentRef {
    /// The instrument's id (`safeguard-default`).
    pub id: String,
    /// Its version (`1.0.0`).
    pub version: String,
}

impl fmt::Display for InstrumentRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} version {}", self.id, self.version)
    }
}

/// A loaded, checked instrument.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instrument {
    id: String,
    version: String,
    title: String,
    thresholds: Thresholds,
    steps: Vec<Step>,
    floors: Vec<Floor>,
}

impl Instrument {
    /// Reads and checks a definition. Errors name the item at fault.
    pub fn from_toml(text: &str) -> Result<Instrument, InstrumentError> {
        parse::parse(text)
    }

    /// Safeguard's shipped default instrument.
    pub fn default_instrument() -> Instrument {
        Instrument::from_toml(DEFAULT_TOML)
            .expect("the shipped default instrument is valid (a unit test checks it)")
    }

    /// Its id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Its version.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// Its id and version together, as stored with assessments.
    pub fn reference(&self) -> InstrumentRef {
        InstrumentRef {
            id: self.id.clone(),
            version: self.version.clone(),
        }
    }

    /// Its title.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// The score thresholds.
    pub fn thresholds(&self) -> Thresholds {
        self.thresholds
    }

    /// The steps, in order.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// The floors, in order.
    pub fn floors(&self) -> &[Floor] {
        &self.floors
    }

    /// Every question, in the order asked.
    pub fn questions(&self) -> impl Iterator<Item = &Question> {
        self.steps.iter().flat_map(|s| s.questions.iter())
    }

    /// One question by id.
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions().find(|q| q.id.as_str() == id)
    }
}

#[cfg(test)]
mod tests;
