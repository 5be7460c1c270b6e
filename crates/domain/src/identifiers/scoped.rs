//! Text identifiers: email addresses, services, screen names and user ids scoped to their service, and
//! display names. Case-folding uses Unicode lowercase; whitespace runs collapse to one space where a person
//! typed the value, and nothing else is touched where a machine did (a service's user id is kept exact).

use super::IdentifierError;
use serde::{Deserialize, Serialize};

/// Trims, collapses whitespace runs to one space and lowercases.
fn fold(raw: &str) -> String {
    raw.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn non_empty(value: String, what: &'static str) -> Result<String, IdentifierError> {
    if value.is_empty() {
        Err(IdentifierError::Empty(what))
    } else {
        Ok(value)
    }
}

/// An email address, trimmed and lowercased as a whole.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    /// Normalises `raw`: one `@` with text either side, no inner whitespace.
    pub fn parse(raw: &str) -> Result<Email, IdentifierError> {
        let e = non_empty(raw.trim().to_lowercase(), "email address")?;
        match e.split_once('@') {
            Some((local, domain))
                if !local.is_empty()
                    && !domain.is_empty()
                    && !domain.contains('@')
                    && !e.contains(char::is_whitespace) =>
            {
                Ok(Email(e))
            }
            _ => Err(IdentifierError::Email(raw.trim().into())),
        }
    }

    /// The normalised address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A service (platform) name, folded: `Kik ` and `kik` are one service.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Service(String);

impl Service {
    /// Normalises a service name.
    pub fn parse(raw: &str) -> Result<Service, IdentifierError> {
        non_empty(fold(raw), "service name").map(Service)
    }

    /// The folded name.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The name with `%` and `:` escaped, so that `service:value` splits at the first `:` and two different
    /// services can never produce the same key.
    fn escaped(&self) -> String {
        self.0.replace('%', "%25").replace(':', "%3A")
    }
}

/// A screen name on a service; folded, because services treat names case-insensitively.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ScreenName {
    /// The service.
    pub service: Service,
    /// The folded name.
    pub name: String,
}

impl ScreenName {
    /// Normalises a screen name on `service`.
    pub fn parse(service: &str, name: &str) -> Result<ScreenName, IdentifierError> {
        Ok(ScreenName {
            service: Service::parse(service)?,
            name: non_empty(fold(name), "screen name")?,
        })
    }

    /// `service:name`.
    pub fn scoped(&self) -> String {
        format!("{}:{}", self.service.escaped(), self.name)
    }
}

/// A service's own user id: trimmed and otherwise kept exact, since ids may be case-sensitive.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct EspUserId {
    /// The service.
    pub service: Service,
    /// The id as the service gave it.
    pub id: String,
}

impl EspUserId {
    /// Normalises a user id on `service`.
    pub fn parse(service: &str, id: &str) -> Result<EspUserId, IdentifierError> {
        Ok(EspUserId {
            service: Service::parse(service)?,
            id: non_empty(id.trim().into(), "user id")?,
        })
    }

    /// `service:id`.
    pub fn scoped(&self) -> String {
        format!("{}:{}", self.service.escaped(), self.id)
    }
}

/// A display name folded for weak matching only.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DisplayName(String);

impl DisplayName {
    /// Normalises a display name.
    pub fn parse(raw: &str) -> Result<DisplayName, IdentifierError> {
        non_empty(fold(raw), "display name").map(DisplayName)
    }

    /// The folded name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}
