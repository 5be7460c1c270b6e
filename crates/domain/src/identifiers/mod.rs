//! The reported person's identifiers, normalised so that the same person written two ways is matched, and the
//! strength of a match between two referrals. Only the **reported** person's identifiers may link referrals
//! into one subject: a victim's or an intended recipient's email must never join a suspect's subject, so
//! [`link_key`] refuses to make a key for anyone else. Strong keys link automatically; weak ones (a display
//! name, an IP address and port seen within minutes) only ever *suggest* a link for a person to confirm.
//! [`resolve_link`] applies that rule to a new referral, given the candidates its caller looked up.

mod ip;
mod linking;
mod phone;
mod scoped;
mod viral;

pub use ip::{DEFAULT_IP_WINDOW, IpEvent, canonical_ip_text, ip_events_match, parse_ip};
pub use linking::{Resolution, resolve_link};
pub use phone::Phone;
pub use scoped::{DisplayName, Email, EspUserId, ScreenName, Service};
pub use viral::{DEFAULT_VIRAL_THRESHOLD, is_likely_viral};

use serde::{Deserialize, Serialize};
use std::fmt;

/// Whose identifier it is, as the report says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartyRole {
    /// The person or user reported: the only party whose identifiers link referrals.
    Reported,
    /// A child victim.
    Victim,
    /// An intended recipient of the material or messages.
    Recipient,
    /// A witness.
    Witness,
    /// A child with access to the suspect (lives with, visits, through work or school, online contact).
    ChildWithAccess,
}

/// What kind of identifier.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentifierKind {
    /// An email address.
    Email,
    /// A phone number.
    Phone,
    /// A screen name on a service.
    ScreenName,
    /// The service's own user id.
    EspUserId,
    /// A display (profile) name.
    DisplayName,
    /// An IP capture event (address, port, instant), matched by [`ip_events_match`].
    IpEvent,
}

impl IdentifierKind {
    /// Stable machine name, also the prefix of link keys.
    pub fn as_str(self) -> &'static str {
        match self {
            IdentifierKind::Email => "email",
            IdentifierKind::Phone => "phone",
            IdentifierKind::ScreenName => "screen_name",
            IdentifierKind::EspUserId => "esp_user_id",
            IdentifierKind::DisplayName => "display_name",
            IdentifierKind::IpEvent => "ip_event",
        }
    }
}

/// How much a match on an identifier says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strength {
    /// Enough to link referrals to one subject.
    Strong,
    /// Enough only to suggest a link, which a user confirms or rejects.
    Weak,
}

/// The strength of a match on an identifier of this kind. Email, phone and a service's own user id are
/// strong; a screen name is weak because services let names be changed and reused, and display names and
/// IP events are weak because many people share them.
pub fn link_strength(kind: IdentifierKind) -> Strength {
    match kind {
        IdentifierKind::Email | IdentifierKind::Phone | IdentifierKind::EspUserId => {
            Strength::Strong
        }
        IdentifierKind::ScreenName | IdentifierKind::DisplayName | IdentifierKind::IpEvent => {
            Strength::Weak
        }
    }
}

/// A normalised identifier.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Identifier {
    /// An email address.
    Email(Email),
    /// A phone number in E.164.
    Phone(Phone),
    /// A screen name on a service.
    ScreenName(ScreenName),
    /// A service's user id.
    EspUserId(EspUserId),
    /// A display name.
    DisplayName(DisplayName),
}

impl Identifier {
    /// Its kind.
    pub fn kind(&self) -> IdentifierKind {
        match self {
            Identifier::Email(_) => IdentifierKind::Email,
            Identifier::Phone(_) => IdentifierKind::Phone,
            Identifier::ScreenName(_) => IdentifierKind::ScreenName,
            Identifier::EspUserId(_) => IdentifierKind::EspUserId,
            Identifier::DisplayName(_) => IdentifierKind::DisplayName,
        }
    }

    /// The normalised value; scoped identifiers read `service:value`.
    pub fn value(&self) -> String {
        match self {
            Identifier::Email(e) => e.as_str().into(),
            Identifier::Phone(p) => p.as_str().into(),
            Identifier::ScreenName(s) => s.scoped(),
            Identifier::EspUserId(e) => e.scoped(),
            Identifier::DisplayName(d) => d.as_str().into(),
        }
    }
}

/// The key a reported person's identifier is indexed under (`email:jane@example.com`). Only [`link_key`]
/// makes one, and only for the reported person.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct LinkKey {
    kind: IdentifierKind,
    value: String,
}

impl LinkKey {
    /// The identifier's kind.
    pub fn kind(&self) -> IdentifierKind {
        self.kind
    }

    /// The normalised value.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// How strong a match on this key is.
    pub fn strength(&self) -> Strength {
        link_strength(self.kind)
    }
}

impl fmt::Display for LinkKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.kind.as_str(), self.value)
    }
}

/// The link key for an identifier of `role`; refused for victims and recipients.
pub fn link_key(role: PartyRole, identifier: &Identifier) -> Result<LinkKey, IdentifierError> {
    if role.links_referrals() {
        Ok(LinkKey {
            kind: identifier.kind(),
            value: identifier.value(),
        })
    } else {
        Err(IdentifierError::NotReported(role))
    }
}

/// An identifier could not be normalised, or may not be linked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdentifierError {
    /// Nothing but whitespace.
    #[error("{0} is empty")]
    Empty(&'static str),
    /// An email address that is not `local@domain`.
    #[error("email address '{0}' must have one '@' with text either side and no spaces")]
    Email(String),
    /// A phone number that cannot be put in E.164.
    #[error("phone number '{raw}': {problem}")]
    Phone {
        /// As received.
        raw: String,
        /// What is wrong.
        problem: &'static str,
    },
    /// Not an IP address.
    #[error("'{0}' is not an IPv4 or IPv6 address")]
    Ip(String),
    /// Not the name of a party role.
    #[error("'{0}' is not a party role (reported, victim or recipient)")]
    Role(String),
    /// Only the reported person's identifiers link referrals.
    #[error("a {0:?}'s identifiers never link referrals to a subject")]
    NotReported(PartyRole),
}

#[cfg(test)]
mod tests;

/// A search of the queue by one typed term: a reference (a report id or package reference, any case), and
/// whichever of an email address, a phone number and a screen name (on any service) the term normalises to —
/// each matched exactly, as linking normalises them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchTerm {
    /// The term in lower case, for a report id or package reference.
    pub reference: String,
    /// As a normalised email address.
    pub email: Option<String>,
    /// As a normalised phone number.
    pub phone: Option<String>,
    /// As a folded screen name (without its service).
    pub screen_name: Option<String>,
}

impl SearchTerm {
    /// The search for `q`; none when it is blank.
    pub fn parse(q: &str) -> Option<SearchTerm> {
        let q = q.trim();
        if q.is_empty() {
            return None;
        }
        let email = Email::parse(q)
            .ok()
            .filter(|_| q.contains('@'))
            .map(|e| e.as_str().to_string());
        let phone = Phone::parse(q).ok().map(|p| p.as_str().to_string());
        let screen_name = ScreenName::parse("x", q)
            .ok()
            .and_then(|s| s.scoped().strip_prefix("x:").map(str::to_string));
        Some(SearchTerm {
            reference: q.to_lowercase(),
            email,
            phone,
            screen_name,
        })
    }
}

#[cfg(test)]
mod search_tests {
    use super::*;

    #[test]
    fn a_search_term_is_matched_as_a_reference_and_as_each_identifier_it_normalises_to() {
        let t = SearchTerm::parse("  Jo.Smith@EXAMPLE.com ").unwrap();
        assert_eq!(t.email.as_deref(), Some("jo.smith@example.com"));
        assert_eq!(t.reference, "jo.smith@example.com");
        let t = SearchTerm::parse("07700 900123").unwrap();
        assert!(t.phone.is_some(), "{t:?}");
        assert_eq!(t.email, None);
        assert!(SearchTerm::parse("   ").is_none());
    }
}
