//! A supervisor's decision on an evaluated instrument: sign the level off as it stands, or override it with a
//! written reason. The record keeps both the instrument's level and the final one, so overrides can be counted
//! and read back; who may sign off is a permission question, decided in [`crate::permissions`].

use super::{Evaluation, InstrumentRef};
use crate::{RiskLevel, UserId};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// Where the final level came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "source", rename_all = "snake_case")]
pub enum FinalLevel {
    /// The instrument's level, signed off unchanged.
    Instrument {
        /// The level.
        level: RiskLevel,
    },
    /// A supervisor's different level.
    Override {
        /// What the instrument gave.
        instrument_level: RiskLevel,
        /// What the supervisor decided.
        level: RiskLevel,
        /// Why, in the supervisor's words (never empty).
        reason: String,
    },
}

impl FinalLevel {
    /// The level the referral works to.
    pub fn level(&self) -> RiskLevel {
        match self {
            FinalLevel::Instrument { level } | FinalLevel::Override { level, .. } => *level,
        }
    }

    /// Whether a supervisor replaced the instrument's level (overrides are reported).
    pub fn is_override(&self) -> bool {
        matches!(self, FinalLevel::Override { .. })
    }

    /// Whether an override made the referral less urgent than the instrument said.
    pub fn lowers(&self) -> bool {
        matches!(self, FinalLevel::Override { instrument_level, level, .. } if level > instrument_level)
    }
}

/// A signed-off assessment: what the store keeps beside the answers and the evaluation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignOff {
    /// The instrument and version evaluated.
    pub instrument: InstrumentRef,
    /// The level decided and where it came from.
    pub final_level: FinalLevel,
    /// The supervisor.
    pub by: UserId,
    /// When.
    pub at: Timestamp,
}

/// A sign-off or override was refused.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum SignOffError {
    /// There is no level to sign off yet.
    #[error("the assessment is incomplete: {0} question(s) unanswered")]
    Incomplete(usize),
    /// An override without a written reason.
    #[error("an override needs a written reason")]
    NoReason,
    /// An "override" to the level the instrument already gave: that is a sign-off.
    #[error("the instrument already gives {0}: sign it off instead of overriding")]
    SameLevel(RiskLevel),
}

/// Signs off the instrument's level unchanged.
pub fn sign_off(
    evaluation: &Evaluation,
    by: UserId,
    at: Timestamp,
) -> Result<SignOff, SignOffError> {
    let (instrument, level) = complete(evaluation)?;
    Ok(SignOff {
        instrument,
        final_level: FinalLevel::Instrument { level },
        by,
        at,
    })
}

/// Replaces the instrument's level with `level`, for the written `reason` (trimmed; must not be empty).
pub fn override_level(
    evaluation: &Evaluation,
    level: RiskLevel,
    reason: &str,
    by: UserId,
    at: Timestamp,
) -> Result<SignOff, SignOffError> {
    let (instrument, instrument_level) = complete(evaluation)?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(SignOffError::NoReason);
    }
    if level == instrument_level {
        return Err(SignOffError::SameLevel(level));
    }
    let final_level = FinalLevel::Override {
        instrument_level,
        level,
        reason: reason.into(),
    };
    Ok(SignOff {
        instrument,
        final_level,
        by,
        at,
    })
}

fn complete(evaluation: &Evaluation) -> Result<(InstrumentRef, RiskLevel), SignOffError> {
    match evaluation {
        Evaluation::Complete {
            instrument, level, ..
        } => Ok((instrument.clone(), *level)),
        Evaluation::Incomplete { missing } => Err(SignOffError::Incomplete(missing.len())),
    }
}
