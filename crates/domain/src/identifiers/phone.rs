//! Phone numbers in E.164 (`+447700900123`), with the United Kingdom as the default country: a number with
//! one leading 0 is a UK national number. A number with neither a leading 0 nor an international prefix is
//! refused rather than guessed, because a wrong guess would link two different people.

use super::IdentifierError;
use serde::{Deserialize, Serialize};

/// A phone number in E.164.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Phone(String);

impl Phone {
    /// Normalises `raw`: spaces, dashes, dots, slashes and brackets go; `00` becomes `+`; a UK trunk `0`
    /// after `+44` (written `+44 (0)…` or `+44 0…`) goes; `07700 900123` becomes `+447700900123`.
    pub fn parse(raw: &str) -> Result<Phone, IdentifierError> {
        let bad = |problem| IdentifierError::Phone {
            raw: raw.trim().into(),
            problem,
        };
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(IdentifierError::Empty("phone number"));
        }
        let international = trimmed.starts_with('+') || trimmed.starts_with("00");
        let trimmed = if international {
            trimmed.replace("(0)", "")
        } else {
            trimmed.to_string()
        };
        let compact: String = trimmed
            .chars()
            .filter(|c| !(c.is_whitespace() || matches!(c, '-' | '.' | '/' | '(' | ')')))
            .collect();
        let digits = if let Some(rest) = compact.strip_prefix('+') {
            rest.to_string()
        } else if let Some(rest) = compact.strip_prefix("00") {
            rest.to_string()
        } else if let Some(rest) = compact.strip_prefix('0') {
            format!("44{rest}")
        } else {
            return Err(bad(
                "has no leading 0 (UK) or international prefix (+ or 00)",
            ));
        };
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad(
                "may contain only digits, spaces, dashes, dots, slashes and brackets",
            ));
        }
        if digits.starts_with('0') {
            return Err(bad("a country code cannot start with 0"));
        }
        // A UK national significant number never starts with 0: any 0 after +44 is a trunk prefix.
        let digits = match digits.strip_prefix("44") {
            Some(national) => format!("44{}", national.trim_start_matches('0')),
            None => digits,
        };
        if let Some(national) = digits.strip_prefix("44")
            && !(9..=10).contains(&national.len())
        {
            return Err(bad("a UK number has 9 or 10 digits after the leading 0"));
        }
        if !(7..=15).contains(&digits.len()) {
            return Err(bad(
                "E.164 allows 7 to 15 digits including the country code",
            ));
        }
        Ok(Phone(format!("+{digits}")))
    }

    /// The number in E.164.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}
