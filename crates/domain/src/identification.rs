//! Subject identification: an address may be acted on only once it is corroborated — by a second,
//! independent IP event resolving to it, or by a recorded other check. Wrong-address warrants have followed
//! single, mistyped or time-zone-shifted resolutions; this rule is the guard.

use serde::{Deserialize, Serialize};

/// An address normalised for comparison: trimmed, case-folded, inner whitespace and commas collapsed.
pub fn normalise_address(a: &str) -> String {
    a.split(|c: char| c.is_whitespace() || c == ',')
        .filter(|p| !p.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// One answered communications data request: which IP event, and the address it resolved to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolution {
    /// The IP event the request was built from.
    pub ip_event: String,
    /// The address, as the provider gave it.
    pub address: String,
    /// The platform flagged the event's IP address as a possible proxy: its resolution names the proxy's
    /// subscriber as likely as the person's, so it never counts towards corroboration.
    pub possible_proxy: bool,
}

/// How an address stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Corroboration {
    /// Not yet safe to act on: how many IP events resolve to it so far, and how many more resolve to it
    /// through an address the platform flagged as a possible proxy (which do not count).
    Uncorroborated {
        resolutions: usize,
        #[serde(default, skip_serializing_if = "is_zero")]
        through_proxy: usize,
    },
    /// Two or more independent IP events resolve to it.
    ByIpEvents { resolutions: usize },
    /// A recorded check corroborates it.
    ByCheck { method: String },
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Corroboration {
    /// Whether enforcement may be recorded against the address.
    pub fn is_corroborated(&self) -> bool {
        !matches!(self, Corroboration::Uncorroborated { .. })
    }

    /// In words, for the referral page.
    pub fn describe(&self) -> String {
        let proxies = |n: usize| {
            match n {
            0 => String::new(),
            1 => "; 1 more resolves through an address the platform flagged as a possible proxy, which does not count".into(),
            n => format!("; {n} more resolve through addresses the platform flagged as possible proxies, which do not count"),
        }
        };
        match self {
            Corroboration::Uncorroborated {
                resolutions: 0,
                through_proxy,
            } => format!(
                "Not corroborated: no IP event resolves to this address yet{}",
                proxies(*through_proxy)
            ),
            Corroboration::Uncorroborated {
                resolutions,
                through_proxy,
            } => format!(
                "Not corroborated: only {resolutions} IP event resolves to this address; a second independent event or another check is needed{}",
                proxies(*through_proxy)
            ),
            Corroboration::ByIpEvents { resolutions } => {
                format!("Corroborated: {resolutions} independent IP events resolve to this address")
            }
            Corroboration::ByCheck { method } => {
                format!("Corroborated by a recorded check ({method})")
            }
        }
    }
}

/// The corroboration of `address` given the answered requests and recorded checks `(address, method)`.
/// Two resolutions count as independent only when they come from different IP events.
pub fn corroboration(
    address: &str,
    resolutions: &[Resolution],
    checks: &[(String, String)],
) -> Corroboration {
    let target = normalise_address(address);
    let to_target = || {
        resolutions
            .iter()
            .filter(|r| normalise_address(&r.address) == target)
    };
    let distinct = |mut ids: Vec<&str>| {
        ids.sort_unstable();
        ids.dedup();
        ids.len()
    };
    let events = distinct(
        to_target()
            .filter(|r| !r.possible_proxy)
            .map(|r| r.ip_event.as_str())
            .collect(),
    );
    let through_proxy = distinct(
        to_target()
            .filter(|r| r.possible_proxy)
            .map(|r| r.ip_event.as_str())
            .collect(),
    );
    if let Some((_, method)) = checks.iter().find(|(a, _)| normalise_address(a) == target) {
        return Corroboration::ByCheck {
            method: method.clone(),
        };
    }
    match events {
        n if n >= 2 => Corroboration::ByIpEvents { resolutions: n },
        n => Corroboration::Uncorroborated {
            resolutions: n,
            through_proxy,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn res(ev: &str, a: &str) -> Resolution {
        Resolution {
            ip_event: ev.into(),
            address: a.into(),
            possible_proxy: false,
        }
    }

    #[test]
    fn a_resolution_through_a_possible_proxy_does_not_corroborate_an_address() {
        let mut proxied = res("e2", "1 High Street, London N1");
        proxied.possible_proxy = true;
        let c = corroboration(
            "1 High Street, London N1",
            &[res("e1", "1 High Street, London N1"), proxied],
            &[],
        );
        assert_eq!(
            c,
            Corroboration::Uncorroborated {
                resolutions: 1,
                through_proxy: 1
            }
        );
        assert!(
            c.describe()
                .contains("possible proxy, which does not count")
        );
    }

    #[test]
    fn one_resolution_is_not_enough_to_act_on() {
        let c = corroboration(
            "1 High Street, London N1",
            &[res("e1", "1 High Street, London N1")],
            &[],
        );
        assert_eq!(
            c,
            Corroboration::Uncorroborated {
                resolutions: 1,
                through_proxy: 0
            }
        );
        assert!(!c.is_corroborated());
    }

    #[test]
    fn two_independent_ip_events_resolving_to_the_address_corroborate_it_whatever_the_spacing_or_case()
     {
        let c = corroboration(
            "1 HIGH STREET LONDON N1",
            &[
                res("e1", "1 High Street, London N1"),
                res("e2", " 1 high street,  london n1 "),
            ],
            &[],
        );
        assert_eq!(c, Corroboration::ByIpEvents { resolutions: 2 });
    }

    #[test]
    fn the_same_ip_event_asked_twice_is_not_independent() {
        let c = corroboration(
            "1 High Street",
            &[res("e1", "1 High Street"), res("e1", "1 High Street")],
            &[],
        );
        assert_eq!(
            c,
            Corroboration::Uncorroborated {
                resolutions: 1,
                through_proxy: 0
            }
        );
    }

    #[test]
    fn a_resolution_to_another_address_does_not_count() {
        let c = corroboration(
            "1 High Street",
            &[res("e1", "1 High Street"), res("e2", "2 High Street")],
            &[],
        );
        assert!(!c.is_corroborated());
    }

    #[test]
    fn a_recorded_check_corroborates_on_its_own() {
        let c = corroboration(
            "1 High Street",
            &[],
            &[("1 high street".into(), "electoral roll".into())],
        );
        assert_eq!(
            c,
            Corroboration::ByCheck {
                method: "electoral roll".into()
            }
        );
    }
}
