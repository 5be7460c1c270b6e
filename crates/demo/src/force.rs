//! The demo force itself: the Metropolitan Police Service, its 12 BCUs with the boroughs each covered in
//! 2019, and its people. Each BCU gets the team PRODUCT.md describes (a Detective Sergeant and eight
//! officers) and its Detective Superintendent; the force-wide roles get one account each.

use crate::{DemoError, DemoLogin, names};
use domain::{BcuId, ForceId, Role, User};
use rand::Rng;
use std::collections::HashSet;
use store::{NewUser, Store};

/// One BCU row of the reference table: code, name, boroughs.
pub type BcuRow = (&'static str, &'static str, &'static [&'static str]);

/// The Met's BCUs as reorganised in 2019 (reference/domain.md).
#[rustfmt::skip]
pub const BCUS: &[BcuRow] = &[
    ("cw", "Central West", &["Hammersmith and Fulham", "Kensington and Chelsea", "Westminster"]),
    ("cn", "Central North", &["Camden", "Islington"]),
    ("ce", "Central East", &["Hackney", "Tower Hamlets"]),
    ("cs", "Central South", &["Lambeth", "Southwark"]),
    ("na", "North", &["Enfield", "Haringey"]),
    ("nw", "North West", &["Barnet", "Brent", "Harrow"]),
    ("ne", "North East", &["Newham", "Waltham Forest"]),
    ("ea", "East", &["Barking and Dagenham", "Havering", "Redbridge"]),
    ("se", "South East", &["Bexley", "Greenwich", "Lewisham"]),
    ("sn", "South", &["Bromley", "Croydon", "Sutton"]),
    ("sw", "South West", &["Kingston", "Merton", "Richmond", "Wandsworth"]),
    ("wa", "West", &["Ealing", "Hillingdon", "Hounslow"]),
];

/// Officers per BCU team besides the sergeant.
pub const OFFICERS_PER_BCU: usize = 8;

/// A BCU as created, with its people.
#[derive(Clone, Debug)]
pub struct TeamBcu {
    /// Its id.
    pub id: BcuId,
    /// Its code (`cn`).
    pub code: &'static str,
    /// Boroughs it covers.
    pub boroughs: &'static [&'static str],
    /// The Detective Sergeant.
    pub sergeant: User,
    /// The BCU lead (Detective Superintendent): decides what the sergeant proposed.
    pub lead: User,
    /// The eight officers.
    pub officers: Vec<User>,
}

/// Everyone the referral history needs to name.
#[derive(Clone, Debug)]
pub struct Roster {
    /// The force.
    pub force: ForceId,
    /// The central referrals desk.
    pub central: User,
    /// The BCUs in reference-table order.
    pub bcus: Vec<TeamBcu>,
    /// Every account, for the summary.
    pub logins: Vec<DemoLogin>,
}

/// Hands out display names with no full name used twice.
struct Namer<'a, R: Rng> {
    rng: &'a mut R,
    used: HashSet<(&'static str, &'static str)>,
}

impl<R: Rng> Namer<'_, R> {
    fn next(&mut self, rank: &str) -> String {
        loop {
            let pair = names::person(self.rng);
            if self.used.insert(pair) {
                let (first, last) = pair;
                return if rank.is_empty() {
                    format!("{first} {last}")
                } else {
                    format!("{rank} {first} {last}")
                };
            }
        }
    }
}

/// Create the force, its BCUs and every demo account.
pub async fn create(
    store: &Store,
    rng: &mut impl Rng,
    password_hash: &str,
) -> Result<Roster, DemoError> {
    let force = store
        .create_force("met", "Metropolitan Police Service")
        .await?;
    let valid_from: jiff::Timestamp = "2019-01-01T00:00:00Z"
        .parse()
        .expect("a fixed, valid instant");
    let mut namer = Namer {
        rng,
        used: HashSet::new(),
    };
    let mut logins = Vec::new();
    let mut add =
        async |username: String, role: Role, bcu: Option<(BcuId, &str)>, display_name: String| {
            let user = store
                .create_user(&NewUser {
                    force,
                    bcu: bcu.map(|(id, _)| id),
                    username: username.clone(),
                    display_name: display_name.clone(),
                    role,
                    password_hash: password_hash.to_string(),
                })
                .await?;
            logins.push(DemoLogin {
                username,
                role,
                bcu: bcu.map(|(_, c)| c.to_string()),
                display_name,
            });
            Ok::<_, DemoError>(user)
        };
    let force_wide = [
        ("admin", Role::Admin, ""),
        ("admin2", Role::Admin, ""),
        ("central", Role::CentralTriage, "DS"),
        ("oversight", Role::Oversight, ""),
        ("dpo", Role::Dpo, ""),
        ("auditor", Role::Auditor, "DI"),
        ("forensics", Role::Forensics, ""),
    ];
    let mut central = None;
    for (username, role, rank) in force_wide {
        let user = add(username.into(), role, None, namer.next(rank)).await?;
        if role == Role::CentralTriage {
            central = Some(user);
        }
    }
    let mut bcus = Vec::with_capacity(BCUS.len());
    for &(code, name, boroughs) in BCUS {
        let id = store
            .create_bcu(force, code, name, boroughs, valid_from)
            .await?;
        let sergeant = add(
            format!("sup.{code}"),
            Role::Supervisor,
            Some((id, code)),
            namer.next("DS"),
        )
        .await?;
        let lead = add(
            format!("lead.{code}"),
            Role::BcuLead,
            Some((id, code)),
            namer.next("Det Supt"),
        )
        .await?;
        let mut officers = Vec::with_capacity(OFFICERS_PER_BCU);
        for n in 1..=OFFICERS_PER_BCU {
            let username = if n == 1 {
                format!("inv.{code}")
            } else {
                format!("inv.{code}.{n}")
            };
            let rank = names::weighted(namer.rng, &[("DC", 6), ("TDC", 2), ("PC", 1)]);
            officers.push(
                add(
                    username,
                    Role::Investigator,
                    Some((id, code)),
                    namer.next(rank),
                )
                .await?,
            );
        }
        bcus.push(TeamBcu {
            id,
            code,
            boroughs,
            sergeant,
            lead,
            officers,
        });
    }
    // Added after the BCUs, so that the names drawn for everyone else do not change with it.
    add(
        "improve".into(),
        Role::ImprovementLead,
        None,
        namer.next("DCI"),
    )
    .await?;
    let central = central.expect("the force-wide list includes the central desk");
    Ok(Roster {
        force,
        central,
        bcus,
        logins,
    })
}
