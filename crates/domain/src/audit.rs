//! The vocabulary of the access log (Data Protection Act 2018, section 62): what was done to which record,
//! by whom, with what justification, and whether it was allowed. Storage and the hash chain live in `store`.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The kinds of processing section 62 requires to be logged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Processing {
    /// Personal data collected (a referral created or imported).
    Collection,
    /// A record changed.
    Alteration,
    /// A record read.
    Consultation,
    /// A record disclosed (downloaded, exported, transferred).
    Disclosure,
    /// Records combined (linked).
    Combination,
    /// A record erased.
    Erasure,
}

impl Processing {
    /// Every kind.
    pub const ALL: [Processing; 6] = [
        Processing::Collection,
        Processing::Alteration,
        Processing::Consultation,
        Processing::Disclosure,
        Processing::Combination,
        Processing::Erasure,
    ];

    /// Stable machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            Processing::Collection => "collection",
            Processing::Alteration => "alteration",
            Processing::Consultation => "consultation",
            Processing::Disclosure => "disclosure",
            Processing::Combination => "combination",
            Processing::Erasure => "erasure",
        }
    }
}

impl fmt::Display for Processing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Processing {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Processing::ALL
            .into_iter()
            .find(|x| x.as_str() == s)
            .ok_or_else(|| format!("unknown processing kind '{s}'"))
    }
}

/// Whether the access was allowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccessOutcome {
    /// The access went ahead.
    Allowed,
    /// The access was refused (out of scope, not permitted, or missing a mandatory justification).
    Denied,
}

impl AccessOutcome {
    /// Stable machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            AccessOutcome::Allowed => "allowed",
            AccessOutcome::Denied => "denied",
        }
    }
}

impl FromStr for AccessOutcome {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "allowed" => Ok(AccessOutcome::Allowed),
            "denied" => Ok(AccessOutcome::Denied),
            _ => Err(format!(
                "unknown outcome '{s}' (expected allowed or denied)"
            )),
        }
    }
}

/// Which processing kinds must carry a justification. Off by default (the 2025 amendment removed the
/// requirement); a force can switch it on per kind.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JustificationPolicy {
    /// Kinds for which a request without a justification is refused.
    pub mandatory_for: Vec<Processing>,
}

impl JustificationPolicy {
    /// Whether `kind` needs a justification and `given` lacks one.
    pub fn is_missing(&self, kind: Processing, given: Option<&str>) -> bool {
        self.mandatory_for.contains(&kind) && given.is_none_or(|g| g.trim().is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mandatory_justification_must_be_non_blank() {
        let p = JustificationPolicy {
            mandatory_for: vec![Processing::Consultation],
        };
        assert!(p.is_missing(Processing::Consultation, None));
        assert!(p.is_missing(Processing::Consultation, Some("  ")));
        assert!(!p.is_missing(Processing::Consultation, Some("case review")));
        assert!(
            !p.is_missing(Processing::Alteration, None),
            "only the chosen kinds"
        );
    }

    #[test]
    fn by_default_no_justification_is_mandatory() {
        let p = JustificationPolicy::default();
        assert!(Processing::ALL.iter().all(|k| !p.is_missing(*k, None)));
    }
}
