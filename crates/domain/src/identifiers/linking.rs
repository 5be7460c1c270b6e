//! The linking rule: which subject a new referral joins, and which other subjects are only suggested. It
//! lives here, once, so that the store's import and anything else that links referrals apply the same rule
//! and write the same basis texts; the caller only looks candidates up (from its database, or from the
//! referrals of the same batch) and hands them in. The rule is pure and generic over the subject's id, so
//! it can be tested without a store.

use super::{
    DEFAULT_IP_WINDOW, IdentifierError, IdentifierKind, IpEvent, LinkKey, PartyRole, Strength,
    ip_events_match,
};
use jiff::SignedDuration;
use std::net::IpAddr;
use std::str::FromStr;

impl PartyRole {
    /// Whether this party's identifiers may link referrals to a subject: only the reported person's,
    /// because a victim or a recipient is often shared by unrelated suspects.
    pub fn links_referrals(self) -> bool {
        matches!(self, PartyRole::Reported)
    }

    /// Stable machine name, as stored: `reported`, `victim`, `recipient`, `witness` or `child_with_access`.
    pub fn as_str(self) -> &'static str {
        match self {
            PartyRole::Reported => "reported",
            PartyRole::Victim => "victim",
            PartyRole::Recipient => "recipient",
            PartyRole::Witness => "witness",
            PartyRole::ChildWithAccess => "child_with_access",
        }
    }

    /// Every role, in the order the law keeps them apart on a page.
    pub const ALL: [PartyRole; 5] = [
        PartyRole::Reported,
        PartyRole::Victim,
        PartyRole::Recipient,
        PartyRole::Witness,
        PartyRole::ChildWithAccess,
    ];
}

impl FromStr for PartyRole {
    type Err = IdentifierError;

    /// The role from its machine name (`PartyRole::as_str`); anything else is refused, so a stored role
    /// that is not known never counts as the reported person.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PartyRole::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| IdentifierError::Role(s.to_string()))
    }
}

/// What the rule decided for a new referral.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolution<S> {
    /// The earlier subject a strong identifier shares, which the referral joins; `None` when it starts a
    /// subject of its own.
    pub joined: Option<S>,
    /// Why it joined (`email jane@example.com`), one entry per strong identifier shared with that subject.
    pub basis: Vec<String>,
    /// Every other subject matched, once each, in order of subject (then basis), with the basis of its
    /// first match: for a person to confirm or reject. Never the joined subject.
    pub suggestions: Vec<(S, String)>,
}

/// Decide how a new referral links: it joins the first subject that a **strong** key shares (in the
/// order of `keys`, then of subject), or none (the caller starts a new subject). Every other match becomes
/// a suggestion: another subject a strong key shares, a subject a weak key shares (a screen name, a display
/// name), and a subject seen on the same address and port within [`DEFAULT_IP_WINDOW`] of one of `events`.
///
/// - `keys`: the reported person's link keys (made by [`super::link_key`], so never a victim's or a
///   recipient's), each with its text as received, which the basis quotes.
/// - `events`: the reported person's IP events, each with its address as received; an event without a
///   port matches nothing (behind carrier-grade NAT an address alone says little).
/// - `sharing`: the subjects of earlier referrals whose reported person had the key.
/// - `seen_at`: the events of earlier referrals at a canonical address and port, with their subjects;
///   the rule itself decides which of them are close enough in time.
pub fn resolve_link<'r, S, KS, ES>(
    keys: impl IntoIterator<Item = (&'r LinkKey, &'r str)>,
    events: impl IntoIterator<Item = (IpEvent, &'r str)>,
    sharing: impl Fn(&LinkKey) -> KS,
    seen_at: impl Fn(IpAddr, u16) -> ES,
) -> Resolution<S>
where
    S: Clone + Ord,
    KS: IntoIterator<Item = S>,
    ES: IntoIterator<Item = (IpEvent, S)>,
{
    let mut strong: Vec<(S, String)> = vec![];
    let mut weak: Vec<(S, String)> = vec![];
    for (key, raw) in keys {
        // Subject order is part of the rule (which subject a strong key joins), so it is not left to
        // whatever order the lookup returns.
        let mut subjects: Vec<S> = sharing(key).into_iter().collect();
        subjects.sort();
        subjects.dedup();
        let label = label(key.kind());
        for s in subjects {
            match key.strength() {
                Strength::Strong => strong.push((s, format!("{label} {raw}"))),
                Strength::Weak => weak.push((s, format!("same {label} '{raw}'"))),
            }
        }
    }
    for (event, raw) in events {
        let Some(port) = event.port else { continue };
        for (seen, s) in seen_at(event.address.to_canonical(), port) {
            if ip_events_match(&event, &seen, DEFAULT_IP_WINDOW) {
                let within = window_text(DEFAULT_IP_WINDOW);
                weak.push((s, format!("same IP {raw}:{port} within {within}")));
            }
        }
    }
    let joined = strong.first().map(|(s, _)| s.clone());
    let basis = strong
        .iter()
        .filter(|(s, _)| Some(s) == joined.as_ref())
        .map(|(_, b)| b.clone())
        .collect();
    let mut suggestions: Vec<(S, String)> = strong
        .into_iter()
        .chain(weak)
        .filter(|(s, _)| Some(s) != joined.as_ref())
        .collect();
    suggestions.sort();
    suggestions.dedup_by(|a, b| a.0 == b.0);
    Resolution {
        joined,
        basis,
        suggestions,
    }
}

/// A kind as a basis text names it (`esp user id`).
fn label(kind: IdentifierKind) -> String {
    kind.as_str().replace('_', " ")
}

/// A window as a basis text gives it (`5 minutes`), so the text follows the constant.
pub(super) fn window_text(window: SignedDuration) -> String {
    let secs = window.as_secs().unsigned_abs();
    match (secs / 60, secs % 60) {
        (1, 0) => "1 minute".into(),
        (m, 0) => format!("{m} minutes"),
        _ if secs == 1 => "1 second".into(),
        _ => format!("{secs} seconds"),
    }
}
