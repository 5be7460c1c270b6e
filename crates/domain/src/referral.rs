//! The life of a referral: its statuses and the steps that move it on. Each step is checked here, so the
//! web page, the API and any future import apply the same rule.

use crate::{OutcomeCode, RiskLevel};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Where a referral is in its flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Received, awaiting risk assessment (the triage clock runs).
    New,
    /// Risk assessed, awaiting allocation to an officer.
    Assessed,
    /// Allocated to an officer.
    Allocated,
    /// First enforcement action taken (the timeliness clock has stopped).
    Enforcement,
    /// A no-further-action outcome awaits a supervisor's approval (still open: no clock stops).
    OutcomeProposed,
    /// An outcome has been recorded.
    Closed,
}

impl Status {
    /// Every status in flow order.
    pub const ALL: [Status; 6] = [
        Status::New,
        Status::Assessed,
        Status::Allocated,
        Status::Enforcement,
        Status::OutcomeProposed,
        Status::Closed,
    ];

    /// Stable machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Assessed => "assessed",
            Status::Allocated => "allocated",
            Status::Enforcement => "enforcement",
            Status::OutcomeProposed => "outcome_proposed",
            Status::Closed => "closed",
        }
    }

    /// Label for people.
    pub fn label(self) -> &'static str {
        match self {
            Status::New => "Awaiting risk assessment",
            Status::Assessed => "Awaiting allocation",
            Status::Allocated => "Allocated",
            Status::Enforcement => "Enforcement taken",
            Status::OutcomeProposed => "Outcome awaiting approval",
            Status::Closed => "Closed",
        }
    }

    /// Whether the referral is still being worked.
    pub fn is_open(self) -> bool {
        self != Status::Closed
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The text was not a status name.
#[derive(Debug, thiserror::Error)]
#[error("unknown status '{0}'")]
pub struct UnknownStatus(pub String);

impl FromStr for Status {
    type Err = UnknownStatus;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Status::ALL
            .into_iter()
            .find(|x| x.as_str() == s)
            .ok_or_else(|| UnknownStatus(s.to_string()))
    }
}

/// The kinds of enforcement action that stop the timeliness clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EnforcementKind {
    /// A search warrant executed.
    Warrant,
    /// An arrest.
    Arrest,
    /// A voluntary interview under caution.
    VoluntaryInterview,
}

impl EnforcementKind {
    /// Every kind.
    pub const ALL: [EnforcementKind; 3] = [
        EnforcementKind::Warrant,
        EnforcementKind::Arrest,
        EnforcementKind::VoluntaryInterview,
    ];

    /// Stable machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            EnforcementKind::Warrant => "warrant",
            EnforcementKind::Arrest => "arrest",
            EnforcementKind::VoluntaryInterview => "voluntary_interview",
        }
    }

    /// Label for people.
    pub fn label(self) -> &'static str {
        match self {
            EnforcementKind::Warrant => "Search warrant executed",
            EnforcementKind::Arrest => "Arrest",
            EnforcementKind::VoluntaryInterview => "Voluntary interview",
        }
    }
}

impl FromStr for EnforcementKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        EnforcementKind::ALL
            .into_iter()
            .find(|x| x.as_str() == s)
            .ok_or_else(|| format!("unknown enforcement kind '{s}' (expected warrant, arrest or voluntary_interview)"))
    }
}

/// Why a step cannot be taken now.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    /// The referral is closed.
    #[error("the referral is closed, so it cannot be changed")]
    Closed,
    /// Allocation before assessment.
    #[error("record a risk level before allocating the referral")]
    NotAssessed,
    /// Allocation while unrouted.
    #[error("route the referral to a BCU before allocating it to an officer")]
    NoBcu,
    /// Enforcement before allocation.
    #[error("allocate the referral to an officer before recording enforcement")]
    NotAllocated,
    /// A reason or rationale is missing.
    #[error("{0} is required")]
    Missing(&'static str),
    /// An NFA outcome recorded without a supervisor.
    #[error("outcome {0} is a no-further-action outcome and needs a supervisor's approval")]
    NeedsSupervisor(OutcomeCode),
    /// A step that would change where the referral is while its outcome awaits a decision.
    #[error(
        "the proposed outcome awaits a supervisor's decision: it must be approved or returned first"
    )]
    AwaitingDecision,
    /// A decision asked for when no outcome is proposed.
    #[error("no outcome is awaiting a decision")]
    NothingToDecide,
    /// Reopening a referral that is not closed.
    #[error("only a closed referral can be reopened")]
    NotClosed,
    /// Deciding on one's own proposal or assessment.
    #[error("a supervisor cannot approve their own proposal: another supervisor must decide")]
    OwnDecision,
    /// Code 21 without a named suspect.
    #[error("outcome 21 needs a named suspect: name one, or choose another outcome")]
    Code21NeedsSuspect,
    /// Code 21 without the victim told.
    #[error(
        "outcome 21 needs a record that the victim, or a child victim's parent or guardian, was informed"
    )]
    Code21NeedsVictimInformed,
}

impl TransitionError {
    /// Stable code: `referral.closed` for any change to a closed referral (answered 409), otherwise
    /// `referral.invalid_step` or a more precise one.
    pub fn code(&self) -> &'static str {
        match self {
            TransitionError::Closed => "referral.closed",
            TransitionError::AwaitingDecision => "referral.awaiting_decision",
            TransitionError::OwnDecision => "referral.own_decision",
            TransitionError::Code21NeedsSuspect | TransitionError::Code21NeedsVictimInformed => {
                "referral.code_21"
            }
            _ => "referral.invalid_step",
        }
    }
}

impl TransitionError {
    /// The request field the error is about, when it is about one (`rationale`, `victim_informed`).
    pub fn field(&self) -> Option<&'static str> {
        match self {
            TransitionError::Missing(what) if what.starts_with("a rationale") => Some("rationale"),
            TransitionError::Missing(_) => Some("reason"),
            TransitionError::Code21NeedsVictimInformed => Some("victim_informed"),
            TransitionError::Code21NeedsSuspect => Some("code"),
            _ => None,
        }
    }
}

fn open(status: Status) -> Result<(), TransitionError> {
    if status.is_open() {
        Ok(())
    } else {
        Err(TransitionError::Closed)
    }
}

fn required(text: &str, what: &'static str) -> Result<(), TransitionError> {
    if text.trim().is_empty() {
        Err(TransitionError::Missing(what))
    } else {
        Ok(())
    }
}

/// Recording a risk level: allowed on any open referral (reassessment keeps the later status).
pub fn assess(status: Status, _level: RiskLevel, reason: &str) -> Result<Status, TransitionError> {
    open(status)?;
    required(reason, "a reason for the risk level")?;
    Ok(if status == Status::New {
        Status::Assessed
    } else {
        status
    })
}

/// Allocating to an officer: needs a risk level and a BCU.
pub fn allocate(status: Status, has_bcu: bool) -> Result<Status, TransitionError> {
    open(status)?;
    if status == Status::New {
        return Err(TransitionError::NotAssessed);
    }
    if !has_bcu {
        return Err(TransitionError::NoBcu);
    }
    Ok(if status == Status::Assessed {
        Status::Allocated
    } else {
        status
    })
}

/// Recording enforcement: needs an allocated officer.
pub fn enforce(status: Status) -> Result<Status, TransitionError> {
    open(status)?;
    match status {
        Status::New | Status::Assessed => Err(TransitionError::NotAllocated),
        Status::OutcomeProposed => Err(TransitionError::AwaitingDecision),
        _ => Ok(Status::Enforcement),
    }
}

mod closing;

pub use closing::{InformedWho, OutcomeFacts, Proposal, check_approver, decide, propose, reopen};

#[cfg(test)]
mod tests;

/// Whether an officer can be given a referral: an active investigator or sergeant of the referral's own
/// force and BCU (so a referral must be routed before anyone can be allocated it).
pub fn may_be_allocated(officer: &crate::User, r: &crate::Referral) -> bool {
    officer.active
        && officer.force == r.force
        && r.bcu.is_some()
        && officer.bcu == r.bcu
        && matches!(
            officer.role,
            crate::Role::Investigator | crate::Role::Supervisor
        )
}

/// Why a referral cannot be routed by this user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RouteError {
    /// Closed referrals do not move.
    #[error(transparent)]
    Step(#[from] TransitionError),
    /// A routed referral is moved only by the central desk, which sees every BCU's work.
    #[error(
        "This referral is already routed to a BCU: only the central referrals desk can move it."
    )]
    AlreadyRouted,
}

impl RouteError {
    /// Stable code.
    pub fn code(&self) -> &'static str {
        match self {
            RouteError::Step(_) => "referral.invalid_step",
            RouteError::AlreadyRouted => "referral.already_routed",
        }
    }
}

/// Whether a user of `role` may route this referral: an open one, and, once routed, only the central
/// referrals desk moves it to another BCU.
pub fn check_route(role: crate::Role, r: &crate::Referral) -> Result<(), RouteError> {
    open(r.status)?;
    if r.bcu.is_some() && role != crate::Role::CentralTriage {
        return Err(RouteError::AlreadyRouted);
    }
    Ok(())
}

/// What routing does to the referral's allocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rerouted {
    /// Whether the allocated officer is released (they belong to the BCU it leaves).
    pub release_officer: bool,
    /// The status after routing.
    pub status: Status,
}

/// Routing to `to`: moving from one BCU to another releases the old BCU's officer, and an allocated
/// referral goes back to awaiting allocation, for the new BCU's sergeant to allocate.
pub fn reroute(r: &crate::Referral, to: crate::BcuId) -> Rerouted {
    let moved = r.bcu.is_some_and(|from| from != to);
    Rerouted {
        release_officer: moved,
        status: if moved && r.status == Status::Allocated {
            Status::Assessed
        } else {
            r.status
        },
    }
}

/// Why an enforcement action cannot be recorded as given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnforcementError {
    /// Later than now (allowing for clocks a few minutes apart).
    #[error("The enforcement time is in the future.")]
    FutureTime,
    /// Before the force had the referral.
    #[error("The enforcement time is before the referral was received.")]
    BeforeReceipt,
    /// A warrant is executed somewhere.
    #[error("A warrant is executed at an address: give the address.")]
    AddressRequired,
}

impl EnforcementError {
    /// Stable code.
    pub fn code(&self) -> &'static str {
        match self {
            EnforcementError::FutureTime => "referral.future_time",
            EnforcementError::BeforeReceipt => "referral.time_before_receipt",
            EnforcementError::AddressRequired => "referral.address_required",
        }
    }
}

/// Check an enforcement action's time and address; returns the address trimmed, if one was given.
pub fn check_enforcement(
    kind: EnforcementKind,
    at: jiff::Timestamp,
    address: Option<&str>,
    received_at: jiff::Timestamp,
    now: jiff::Timestamp,
) -> Result<Option<String>, EnforcementError> {
    if at > now + crate::time::CLOCK_SKEW {
        return Err(EnforcementError::FutureTime);
    }
    if at < received_at {
        return Err(EnforcementError::BeforeReceipt);
    }
    let address = address.map(str::trim).filter(|a| !a.is_empty());
    if kind == EnforcementKind::Warrant && address.is_none() {
        return Err(EnforcementError::AddressRequired);
    }
    Ok(address.map(str::to_string))
}
