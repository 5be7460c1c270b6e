//! Home Office crime outcome codes (1 to 22, with the "A" variants for an alternative offence) and the
//! configurable set of codes reported as "no further action".

use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

/// One outcome code, e.g. `1`, `1A`, `16`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct OutcomeCode {
    /// The number, 1 to 22.
    pub number: u8,
    /// The "A" variant (for an alternative offence); only 1, 2 and 3 have one.
    pub alternative: bool,
}

const LABELS: [&str; 22] = [
    "Charged / summonsed",
    "Caution, youth",
    "Caution, adult",
    "Taken into consideration",
    "Offender died",
    "Penalty notice for disorder",
    "Cannabis / khat warning",
    "Community resolution",
    "Prosecution not in the public interest (CPS decision)",
    "Formal action not in the public interest (police decision)",
    "Prosecution prevented: suspect under age",
    "Prosecution prevented: suspect too ill",
    "Prosecution prevented: victim or key witness dead or too ill",
    "Evidential difficulties: suspect not identified; victim does not support action",
    "Evidential difficulties: named suspect identified; victim supports action",
    "Evidential difficulties: named suspect identified; victim does not support action",
    "Prosecution time limit expired",
    "Investigation complete, no suspect identified",
    "Filed by the National Fraud Intelligence Bureau (fraud only)",
    "Further action by another body or agency",
    "Further investigation not in the public interest (police decision)",
    "Diversionary, educational or intervention activity",
];

impl OutcomeCode {
    /// A valid code, or `None`.
    pub fn new(number: u8, alternative: bool) -> Option<Self> {
        let ok = (1..=22).contains(&number) && (!alternative || (1..=3).contains(&number));
        ok.then_some(Self {
            number,
            alternative,
        })
    }

    /// Every code, in order.
    pub fn all() -> impl Iterator<Item = OutcomeCode> {
        (1..=22u8).flat_map(|n| {
            let alt = (1..=3).contains(&n).then_some(OutcomeCode {
                number: n,
                alternative: true,
            });
            std::iter::once(OutcomeCode {
                number: n,
                alternative: false,
            })
            .chain(alt)
        })
    }

    /// The Home Office description.
    pub fn label(self) -> String {
        let base = LABELS[usize::from(self.number) - 1];
        if self.alternative {
            format!("{base} (alternative offence)")
        } else {
            base.to_string()
        }
    }
}

impl fmt::Display for OutcomeCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}{}",
            self.number,
            if self.alternative { "A" } else { "" }
        )
    }
}

/// The text was not an outcome code.
#[derive(Debug, thiserror::Error)]
#[error("'{0}' is not a Home Office outcome code (1 to 22, or 1A, 2A, 3A)")]
pub struct BadOutcomeCode(pub String);

impl FromStr for OutcomeCode {
    type Err = BadOutcomeCode;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let (digits, alt) = match t.strip_suffix(['A', 'a']) {
            Some(d) => (d, true),
            None => (t, false),
        };
        digits
            .parse::<u8>()
            .ok()
            .and_then(|n| OutcomeCode::new(n, alt))
            .ok_or_else(|| BadOutcomeCode(s.to_string()))
    }
}

/// Which outcome numbers count as "no further action". Configuration: the default is reference/domain.md's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NfaPolicy {
    /// Outcome numbers in the NFA set.
    pub nfa: BTreeSet<u8>,
}

impl Default for NfaPolicy {
    fn default() -> Self {
        Self {
            nfa: [9, 10, 12, 13, 14, 15, 16, 17, 18, 21]
                .into_iter()
                .collect(),
        }
    }
}

impl NfaPolicy {
    /// A set from outcome numbers as written (`9`, `10`, …): each 1 to 22, at least one.
    pub fn from_numbers<S: AsRef<str>>(items: &[S]) -> Result<Self, String> {
        let mut nfa = BTreeSet::new();
        for item in items
            .iter()
            .map(|s| s.as_ref().trim())
            .filter(|s| !s.is_empty())
        {
            let n: u8 = item
                .parse()
                .ok()
                .filter(|n| (1..=22).contains(n))
                .ok_or_else(|| format!("'{item}' is not an outcome number from 1 to 22"))?;
            nfa.insert(n);
        }
        if nfa.is_empty() {
            return Err("the no-further-action set needs at least one outcome number".into());
        }
        Ok(NfaPolicy { nfa })
    }

    /// Whether a code is an NFA outcome.
    pub fn is_nfa(&self, code: OutcomeCode) -> bool {
        self.nfa.contains(&code.number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_parse_with_and_without_the_alternative_offence_suffix() {
        assert_eq!("1A".parse::<OutcomeCode>().unwrap().to_string(), "1A");
        assert_eq!(" 16 ".parse::<OutcomeCode>().unwrap().number, 16);
        assert!(
            "16A".parse::<OutcomeCode>().is_err(),
            "only 1, 2 and 3 have an A variant"
        );
        assert!("23".parse::<OutcomeCode>().is_err());
        assert!("0".parse::<OutcomeCode>().is_err());
    }

    #[test]
    fn there_are_twenty_five_codes_including_the_three_alternatives() {
        assert_eq!(OutcomeCode::all().count(), 25);
    }

    #[test]
    fn an_nfa_set_is_read_from_outcome_numbers_and_a_bad_one_is_named() {
        let p = NfaPolicy::from_numbers(&["9", " 10", "21"]).unwrap();
        assert!(p.is_nfa("10".parse().unwrap()) && !p.is_nfa("16".parse().unwrap()));
        assert!(
            NfaPolicy::from_numbers(&["23"])
                .unwrap_err()
                .contains("'23'")
        );
        assert!(NfaPolicy::from_numbers::<&str>(&[]).is_err());
    }

    #[test]
    fn the_default_nfa_set_excludes_transfers_and_charges() {
        let p = NfaPolicy::default();
        assert!(p.is_nfa("16".parse().unwrap()));
        assert!(p.is_nfa("21".parse().unwrap()));
        assert!(
            !p.is_nfa("20".parse().unwrap()),
            "20 is a transfer, not NFA"
        );
        assert!(!p.is_nfa("1".parse().unwrap()));
    }
}
