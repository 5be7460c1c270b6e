//! What goes wrong with a package, and what is merely worth saying: an [`IntakeError`] refuses the input and
//! names where it is wrong; a [`Warning`] notes something Safeguard did not read (an element newer than it
//! knows) that stays in the stored original.

use serde::{Deserialize, Serialize};

/// Where the input is wrong, and how.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{location}: {message}")]
pub struct IntakeError {
    /// Element path with line and column for XML
    /// (`report/personOrUserReported/ipCaptureEvent[2]/dateTime (line 14, column 9)`), a JSON path
    /// (`reports[7].report.incidentSummary.incidentType`), or `line L, column C` for malformed JSON.
    pub location: String,
    /// The problem, in plain words.
    pub message: String,
}

impl IntakeError {
    /// An error at `location`.
    pub fn new(location: impl Into<String>, message: impl Into<String>) -> Self {
        IntakeError {
            location: location.into(),
            message: message.into(),
        }
    }

    /// The same error with `prefix: ` in front of its location (`reports[3].cybertip_xml: report/…`).
    pub(crate) fn within(mut self, prefix: &str) -> Self {
        self.location = format!("{prefix}: {}", self.location);
        self
    }
}

/// Something in a report that Safeguard did not read: kept in the original, never a reason to refuse it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// Element path (`report/incidentSummary/newThing`) or JSON path.
    pub path: String,
    /// What was not read.
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}
