//! Risk levels produced by triage. The full instrument (questions, rules, floors) arrives with intake;
//! here are the four levels every clock and report is keyed on.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The level a risk assessment gives a referral, most urgent first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RiskLevel {
    /// A child may be at immediate risk.
    VeryHigh,
    /// High risk.
    High,
    /// Medium risk.
    Medium,
    /// Low risk.
    Low,
}

impl RiskLevel {
    /// Every level, most urgent first.
    pub const ALL: [RiskLevel; 4] = [
        RiskLevel::VeryHigh,
        RiskLevel::High,
        RiskLevel::Medium,
        RiskLevel::Low,
    ];

    /// The stable machine name (`very_high`, `high`, `medium`, `low`).
    pub fn as_str(self) -> &'static str {
        match self {
            RiskLevel::VeryHigh => "very_high",
            RiskLevel::High => "high",
            RiskLevel::Medium => "medium",
            RiskLevel::Low => "low",
        }
    }

    /// The label officers use.
    pub fn label(self) -> &'static str {
        match self {
            RiskLevel::VeryHigh => "Very High",
            RiskLevel::High => "High",
            RiskLevel::Medium => "Medium",
            RiskLevel::Low => "Low",
        }
    }
}

impl fmt::Display for RiskLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The text was not a risk level.
#[derive(Debug, thiserror::Error)]
#[error("unknown risk level '{0}' (expected very_high, high, medium or low)")]
pub struct UnknownRiskLevel(pub String);

impl FromStr for RiskLevel {
    type Err = UnknownRiskLevel;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let norm = s.trim().to_ascii_lowercase().replace([' ', '-'], "_");
        RiskLevel::ALL
            .into_iter()
            .find(|l| l.as_str() == norm)
            .ok_or_else(|| UnknownRiskLevel(s.to_string()))
    }
}
