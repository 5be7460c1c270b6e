//! The roles of PRODUCT.md. A user has exactly one role; BCU-scoped roles also name their BCU.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What a user is in the force, which decides what they may see and do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A detective or constable on a BCU online abuse team.
    Investigator,
    /// The Detective Sergeant leading a BCU team.
    Supervisor,
    /// The BCU's Detective Superintendent.
    BcuLead,
    /// The central referrals desk: every referral of the force.
    CentralTriage,
    /// Digital forensics: exhibits and media results, not case narrative.
    Forensics,
    /// The force quality team: reads the force's cases to grade them.
    Auditor,
    /// Oversight board members: aggregates only, never personal data.
    Oversight,
    /// The data protection officer: the access log.
    Dpo,
    /// System administrator: users and reference data, never case content.
    Admin,
    /// The force's child protection improvement team: inspections, recommendations and training records.
    ImprovementLead,
}

impl Role {
    /// Every role, in a stable order.
    pub const ALL: [Role; 10] = [
        Role::Investigator,
        Role::Supervisor,
        Role::BcuLead,
        Role::CentralTriage,
        Role::Forensics,
        Role::Auditor,
        Role::Oversight,
        Role::Dpo,
        Role::Admin,
        Role::ImprovementLead,
    ];

    /// The stable machine name, as stored and as given on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Investigator => "investigator",
            Role::Supervisor => "supervisor",
            Role::BcuLead => "bcu_lead",
            Role::CentralTriage => "central_triage",
            Role::Forensics => "forensics",
            Role::Auditor => "auditor",
            Role::Oversight => "oversight",
            Role::Dpo => "dpo",
            Role::Admin => "admin",
            Role::ImprovementLead => "improvement_lead",
        }
    }

    /// A label for people.
    pub fn label(self) -> &'static str {
        match self {
            Role::Investigator => "Investigator",
            Role::Supervisor => "Supervisor",
            Role::BcuLead => "BCU lead",
            Role::CentralTriage => "Central referrals desk",
            Role::Forensics => "Digital forensics",
            Role::Auditor => "Quality auditor",
            Role::Oversight => "Oversight board",
            Role::Dpo => "Data protection officer",
            Role::Admin => "Administrator",
            Role::ImprovementLead => "Improvement lead",
        }
    }

    /// Whether the role works inside one BCU (and so must name one).
    pub fn is_bcu_scoped(self) -> bool {
        matches!(self, Role::Investigator | Role::Supervisor | Role::BcuLead)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The text was not one of the role names.
#[derive(Debug, thiserror::Error)]
#[error(
    "unknown role '{0}' (expected one of investigator, supervisor, bcu_lead, central_triage, forensics, auditor, oversight, dpo, admin, improvement_lead)"
)]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| UnknownRole(s.to_string()))
    }
}
