//! Where a new referral goes: the BCU covering the borough its package names at the time it was received,
//! or the central queue when the borough is unknown or missing; and the rule that a user may only create
//! referrals they could then see.

use crate::{Action, BcuId, Decision, ForceId, Principal, RecordScope, Target, decide};

/// Where a package's referrals are placed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Routed {
    /// The BCU covering the borough, if known.
    pub bcu: Option<BcuId>,
    /// The borough: its canonical spelling when known, as given otherwise.
    pub borough: Option<String>,
    /// Said to the importer when the borough is not known.
    pub warning: Option<String>,
}

/// Route by the borough a package names, given what covers it at the receipt time (`covering`: the BCU
/// and the borough's canonical name, as the store found it).
pub fn route_by_borough(named: Option<&str>, covering: Option<(BcuId, String)>) -> Routed {
    match (named, covering) {
        (Some(_), Some((bcu, canonical))) => Routed {
            bcu: Some(bcu),
            borough: Some(canonical),
            warning: None,
        },
        (Some(b), None) => Routed {
            bcu: None,
            borough: Some(b.to_string()),
            warning: Some(format!(
                "borough '{b}' is not known: the referral waits on the central queue"
            )),
        },
        (None, _) => Routed {
            bcu: None,
            borough: None,
            warning: None,
        },
    }
}

/// Whether `p` may create a referral that would belong to `bcu` of `force` (so nobody creates a referral
/// they could not then see; a BCU officer sends others to the central desk).
pub fn may_create_in(p: &Principal, force: ForceId, bcu: Option<BcuId>) -> bool {
    let scope = RecordScope { force, bcu };
    decide(p, Action::CreateReferral, Target::Record(scope)) == Decision::Allow
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Role, UserId};

    #[test]
    fn a_known_borough_routes_to_its_bcu_with_its_canonical_spelling() {
        let cn = BcuId::new();
        let r = route_by_borough(Some("camden "), Some((cn, "Camden".into())));
        assert_eq!(
            (r.bcu, r.borough.as_deref(), r.warning),
            (Some(cn), Some("Camden"), None)
        );
    }

    #[test]
    fn an_unknown_borough_waits_on_the_central_queue_with_a_warning_and_keeps_its_name() {
        let r = route_by_borough(Some("Atlantis"), None);
        assert_eq!((r.bcu, r.borough.as_deref()), (None, Some("Atlantis")));
        assert_eq!(
            r.warning.as_deref(),
            Some("borough 'Atlantis' is not known: the referral waits on the central queue")
        );
    }

    #[test]
    fn no_borough_waits_on_the_central_queue_without_a_warning() {
        assert_eq!(
            route_by_borough(None, None),
            Routed {
                bcu: None,
                borough: None,
                warning: None
            }
        );
    }

    #[test]
    fn an_officer_creates_referrals_only_in_their_own_bcu_and_the_desk_anywhere() {
        let (force, cn, cw) = (ForceId::new(), BcuId::new(), BcuId::new());
        let who = |role, bcu| Principal {
            user: UserId::new(),
            role,
            force,
            bcu,
        };
        let inv = who(Role::Investigator, Some(cn));
        assert!(may_create_in(&inv, force, Some(cn)));
        assert!(!may_create_in(&inv, force, Some(cw)));
        assert!(!may_create_in(&inv, force, None));
        let desk = who(Role::CentralTriage, None);
        assert!(may_create_in(&desk, force, None) && may_create_in(&desk, force, Some(cw)));
        assert!(!may_create_in(&desk, ForceId::new(), None));
    }
}
