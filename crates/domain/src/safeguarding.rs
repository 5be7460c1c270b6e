//! Safeguarding the children a suspect can reach: each child with access needs a children's social care
//! referral (a clock of its own, 24 hours from identification by default, that never pauses and never waits for
//! enforcement), and where the access is through the suspect's work, a referral to the Local Authority
//! Designated Officer (LADO) too. The local authorities are reference data with the dates they exist.

use crate::report_details::ChildAccess;
use jiff::civil::{Date, date};

/// Which referral a child needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SafeguardingKind {
    /// A referral to the children's social care of the local authority where the child lives.
    SocialCare,
    /// A referral to the Local Authority Designated Officer (the suspect works with children).
    Lado,
}

impl SafeguardingKind {
    /// As stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            SafeguardingKind::SocialCare => "social_care",
            SafeguardingKind::Lado => "lado",
        }
    }

    /// In words.
    pub fn label(self) -> &'static str {
        match self {
            SafeguardingKind::SocialCare => "Children's social care referral",
            SafeguardingKind::Lado => "Referral to the LADO",
        }
    }

    /// Its clock's kind.
    pub fn clock(self) -> crate::clocks::ClockKind {
        match self {
            SafeguardingKind::SocialCare => crate::clocks::ClockKind::SocialCareReferral,
            SafeguardingKind::Lado => crate::clocks::ClockKind::LadoReferral,
        }
    }
}

impl std::str::FromStr for SafeguardingKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "social_care" => Ok(SafeguardingKind::SocialCare),
            "lado" => Ok(SafeguardingKind::Lado),
            other => Err(format!("'{other}' is not social_care or lado")),
        }
    }
}

/// The referrals a child with access needs: always social care; the LADO too where the suspect reaches the
/// child through work (or the child's school).
pub fn referrals_needed(access: ChildAccess) -> Vec<SafeguardingKind> {
    match access {
        ChildAccess::WorkOrSchool => vec![SafeguardingKind::SocialCare, SafeguardingKind::Lado],
        _ => vec![SafeguardingKind::SocialCare],
    }
}

/// A local authority with children's services, and when it existed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LocalAuthority {
    /// Stable code (`camden`).
    pub code: &'static str,
    /// Its name.
    pub name: &'static str,
    /// The boroughs it serves (as the force's borough table names them).
    pub boroughs: &'static [&'static str],
    /// First day it existed.
    pub from: Date,
    /// Last day, if it no longer exists.
    pub to: Option<Date>,
}

impl LocalAuthority {
    /// Whether it existed on `day`.
    pub fn on(&self, day: Date) -> bool {
        self.from <= day && self.to.is_none_or(|to| day <= to)
    }
}

const LONDON: Date = date(1965, 4, 1);

macro_rules! london {
    ($code:literal, $name:literal, $borough:literal) => {
        LocalAuthority {
            code: $code,
            name: $name,
            boroughs: &[$borough],
            from: LONDON,
            to: None,
        }
    };
}

/// The local authorities a Metropolitan Police child can live in: the 32 London boroughs and the City, and the
/// authorities around London (with the dates they were created or abolished).
pub const LOCAL_AUTHORITIES: &[LocalAuthority] = &[
    london!(
        "barking_dagenham",
        "London Borough of Barking and Dagenham",
        "Barking and Dagenham"
    ),
    london!("barnet", "London Borough of Barnet", "Barnet"),
    london!("bexley", "London Borough of Bexley", "Bexley"),
    london!("brent", "London Borough of Brent", "Brent"),
    london!("bromley", "London Borough of Bromley", "Bromley"),
    london!("camden", "London Borough of Camden", "Camden"),
    london!("croydon", "London Borough of Croydon", "Croydon"),
    london!("ealing", "London Borough of Ealing", "Ealing"),
    london!("enfield", "London Borough of Enfield", "Enfield"),
    london!("greenwich", "Royal Borough of Greenwich", "Greenwich"),
    london!("hackney", "London Borough of Hackney", "Hackney"),
    london!(
        "hammersmith_fulham",
        "London Borough of Hammersmith and Fulham",
        "Hammersmith and Fulham"
    ),
    london!("haringey", "London Borough of Haringey", "Haringey"),
    london!("harrow", "London Borough of Harrow", "Harrow"),
    london!("havering", "London Borough of Havering", "Havering"),
    london!("hillingdon", "London Borough of Hillingdon", "Hillingdon"),
    london!("hounslow", "London Borough of Hounslow", "Hounslow"),
    london!("islington", "London Borough of Islington", "Islington"),
    london!(
        "kensington_chelsea",
        "Royal Borough of Kensington and Chelsea",
        "Kensington and Chelsea"
    ),
    london!(
        "kingston",
        "Royal Borough of Kingston upon Thames",
        "Kingston"
    ),
    london!("lambeth", "London Borough of Lambeth", "Lambeth"),
    london!("lewisham", "London Borough of Lewisham", "Lewisham"),
    london!("merton", "London Borough of Merton", "Merton"),
    london!("newham", "London Borough of Newham", "Newham"),
    london!("redbridge", "London Borough of Redbridge", "Redbridge"),
    london!(
        "richmond",
        "London Borough of Richmond upon Thames",
        "Richmond"
    ),
    london!("southwark", "London Borough of Southwark", "Southwark"),
    london!("sutton", "London Borough of Sutton", "Sutton"),
    london!(
        "tower_hamlets",
        "London Borough of Tower Hamlets",
        "Tower Hamlets"
    ),
    london!(
        "waltham_forest",
        "London Borough of Waltham Forest",
        "Waltham Forest"
    ),
    london!("wandsworth", "London Borough of Wandsworth", "Wandsworth"),
    london!("westminster", "Westminster City Council", "Westminster"),
    london!(
        "city_of_london",
        "City of London Corporation",
        "City of London"
    ),
    LocalAuthority {
        code: "hertfordshire",
        name: "Hertfordshire County Council",
        boroughs: &[],
        from: date(1974, 4, 1),
        to: None,
    },
    LocalAuthority {
        code: "essex",
        name: "Essex County Council",
        boroughs: &[],
        from: date(1974, 4, 1),
        to: None,
    },
    LocalAuthority {
        code: "thurrock",
        name: "Thurrock Council",
        boroughs: &[],
        from: date(1998, 4, 1),
        to: None,
    },
    LocalAuthority {
        code: "kent",
        name: "Kent County Council",
        boroughs: &[],
        from: date(1974, 4, 1),
        to: None,
    },
    LocalAuthority {
        code: "medway",
        name: "Medway Council",
        boroughs: &[],
        from: date(1998, 4, 1),
        to: None,
    },
    LocalAuthority {
        code: "surrey",
        name: "Surrey County Council",
        boroughs: &[],
        from: date(1974, 4, 1),
        to: None,
    },
    LocalAuthority {
        code: "slough",
        name: "Slough Borough Council",
        boroughs: &[],
        from: date(1998, 4, 1),
        to: None,
    },
    LocalAuthority {
        code: "buckinghamshire_county",
        name: "Buckinghamshire County Council",
        boroughs: &[],
        from: date(1974, 4, 1),
        to: Some(date(2020, 3, 31)),
    },
    LocalAuthority {
        code: "buckinghamshire",
        name: "Buckinghamshire Council",
        boroughs: &[],
        from: date(2020, 4, 1),
        to: None,
    },
];

/// The authorities that exist on `day`, by name.
pub fn authorities_on(day: Date) -> Vec<&'static LocalAuthority> {
    let mut all: Vec<_> = LOCAL_AUTHORITIES.iter().filter(|a| a.on(day)).collect();
    all.sort_by_key(|a| a.name);
    all
}

/// The authority serving `borough` on `day` (any case), the default for a child of a suspect there.
pub fn authority_for_borough(borough: &str, day: Date) -> Option<&'static LocalAuthority> {
    LOCAL_AUTHORITIES.iter().find(|a| {
        a.on(day)
            && a.boroughs
                .iter()
                .any(|b| b.eq_ignore_ascii_case(borough.trim()))
    })
}

/// The authority with `code`, if it existed on `day`.
pub fn authority(code: &str, day: Date) -> Option<&'static LocalAuthority> {
    LOCAL_AUTHORITIES
        .iter()
        .find(|a| a.code == code && a.on(day))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_child_reached_through_work_needs_the_lado_as_well_as_social_care() {
        assert_eq!(
            referrals_needed(ChildAccess::WorkOrSchool),
            [SafeguardingKind::SocialCare, SafeguardingKind::Lado]
        );
        assert_eq!(
            referrals_needed(ChildAccess::LivesWith),
            [SafeguardingKind::SocialCare]
        );
    }

    #[test]
    fn every_borough_of_the_met_has_its_authority_and_authorities_follow_their_dates() {
        let today = date(2026, 12, 5);
        for b in [
            "Camden",
            "kensington and chelsea",
            "Kingston",
            "Westminster",
        ] {
            assert!(authority_for_borough(b, today).is_some(), "{b}");
        }
        assert_eq!(
            authority_for_borough("Camden", today).unwrap().code,
            "camden"
        );
        assert!(authority("buckinghamshire_county", date(2019, 6, 1)).is_some());
        assert!(
            authority("buckinghamshire_county", today).is_none(),
            "abolished in 2020"
        );
        assert!(authority("buckinghamshire", today).is_some());
        let names: Vec<&str> = authorities_on(today).iter().map(|a| a.name).collect();
        assert!(names.windows(2).all(|w| w[0] <= w[1]), "listed by name");
        assert!(!names.contains(&"Buckinghamshire County Council"));
    }

    #[test]
    fn the_safeguarding_clocks_never_pause() {
        for k in [SafeguardingKind::SocialCare, SafeguardingKind::Lado] {
            assert!(!k.clock().may_pause(), "{k:?}");
        }
    }
}
