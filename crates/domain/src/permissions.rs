//! Need-to-know: the one rule deciding whether a user may perform an action, on a record or on a collection.
//! A record outside the user's reach is reported as *not found*, exactly like an id that does not exist,
//! so that a refusal never confirms that a record exists.

use crate::{BcuId, ForceId, Role, UserId};

/// The signed-in user, as far as permissions care.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    /// The user's id.
    pub user: UserId,
    /// The user's role.
    pub role: Role,
    /// The force the user belongs to.
    pub force: ForceId,
    /// The user's BCU, for BCU-scoped roles.
    pub bcu: Option<BcuId>,
}

/// Where a record sits: its force and, once routed, its BCU (none while on the central queue).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordScope {
    /// Owning force.
    pub force: ForceId,
    /// Owning BCU, if routed.
    pub bcu: Option<BcuId>,
}

/// Something a user asks to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// List referrals (the queue).
    ListReferrals,
    /// Open one referral and its timeline.
    ReadReferral,
    /// Create a referral (by hand or by import).
    CreateReferral,
    /// Record a risk level.
    AssessRisk,
    /// Allocate to a BCU and officer.
    Allocate,
    /// Record an enforcement action.
    RecordEnforcement,
    /// Record a Home Office outcome.
    RecordOutcome,
    /// Approve or return a no-further-action outcome (a supervisor's decision).
    ApproveNfa,
    /// Reopen a closed referral (a supervisor's decision, with a reason).
    ReopenReferral,
    /// Record a supervisory review, and pause or resume a clock that may pause (a supervisor's step).
    SuperviseReferral,
    /// Work the investigation plan: complete an action, set one aside with a reason, add one.
    WorkPlan,
    /// Sign off or override a risk assessment (a supervisor's decision).
    SignOffRisk,
    /// Raise and answer communications data requests and record address checks.
    IdentifySubject,
    /// Record, correct and re-categorise the people of a referral (victims, witnesses, children with access).
    RecordPeople,
    /// Read a referral's exhibits: their details, continuity, forensic path, examination request, whom each was
    /// seized from, and scan results (not the referral's narrative, other people or identifiers).
    ReadExhibits,
    /// Record an exhibit's seizure and submission for examination, with the examination request.
    RecordExhibits,
    /// Record a forensic examination's steps, attach scan results, record handovers, and complete the plan's
    /// forensics actions (digital forensics).
    ExamineExhibits,
    /// Draw a quality-review sample, grade referrals and refer them back with remedial actions (an auditor).
    QualityReview,
    /// Complete a remedial action a quality review referred back (even on a closed referral).
    CompleteRemedial,
    /// Read the access log.
    ReadAuditLog,
    /// Create and manage user accounts.
    ManageUsers,
    /// See aggregate figures without personal data.
    ViewAggregates,
    /// Read the governance tracker (inspections, recommendations, their histories and section 55 responses) and
    /// the oversight board's meetings and packs.
    ReadGovernance,
    /// Keep the tracker: inspections, recommendations, actions, evidence and both status histories (the
    /// improvement team).
    KeepTracker,
    /// Keep the board's meetings, freeze their snapshots, comment on recommendations and write section 55
    /// responses (the oversight body, which must publish them).
    KeepBoard,
}

/// What the user is asking the action of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// A collection or a function with no single owning record (the queue, the access log, user admin).
    Collection,
    /// One record, with its place in the force.
    Record(RecordScope),
}

/// The answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Go ahead.
    Allow,
    /// The record is outside the user's reach: answer exactly as for a record that does not exist.
    NotFound,
    /// The function is not open to this role (collections only; records always answer `NotFound`).
    Forbidden,
}

/// How far a role reaches.
enum Reach {
    Nothing,
    OwnBcu,
    WholeForce,
}

fn reach(role: Role, action: Action) -> Reach {
    use Action::*;
    use Role::*;
    match (role, action) {
        (Investigator, ListReferrals | ReadReferral | CreateReferral | AssessRisk)
        | (Investigator, RecordEnforcement | RecordOutcome | IdentifySubject | WorkPlan)
        | (Investigator, RecordPeople | ReadExhibits | RecordExhibits | CompleteRemedial) => {
            Reach::OwnBcu
        }
        (Supervisor | BcuLead, ListReferrals | ReadReferral | CreateReferral | AssessRisk)
        | (Supervisor | BcuLead, Allocate | RecordEnforcement | RecordOutcome | ApproveNfa)
        | (Supervisor | BcuLead, ReopenReferral | SuperviseReferral | WorkPlan)
        | (Supervisor | BcuLead, SignOffRisk | IdentifySubject | RecordPeople)
        | (Supervisor | BcuLead, ReadExhibits | RecordExhibits | CompleteRemedial) => Reach::OwnBcu,
        (CentralTriage, ListReferrals | ReadReferral | CreateReferral | AssessRisk | Allocate)
        | (CentralTriage, IdentifySubject | RecordPeople) => Reach::WholeForce,
        (CentralTriage, ReadExhibits) => Reach::WholeForce,
        // Digital forensics reaches every exhibit of the force, never the referral itself.
        (Forensics, ReadExhibits | ExamineExhibits) => Reach::WholeForce,
        (Auditor, ListReferrals | ReadReferral | ReadExhibits | QualityReview) => Reach::WholeForce,
        (Dpo, ReadAuditLog) => Reach::WholeForce,
        (Admin, ManageUsers) => Reach::WholeForce,
        (Oversight | BcuLead | Supervisor | CentralTriage | Auditor, ViewAggregates) => {
            Reach::WholeForce
        }
        (ImprovementLead | Oversight | BcuLead | CentralTriage | Auditor | Dpo, ReadGovernance) => {
            Reach::WholeForce
        }
        (ImprovementLead, KeepTracker) | (Oversight, KeepBoard) => Reach::WholeForce,
        _ => Reach::Nothing,
    }
}

/// Decide whether `who` may perform `action` on `target`.
pub fn decide(who: &Principal, action: Action, target: Target) -> Decision {
    let reach = if touches_personal_data(action) && !sees_personal_data(who.role) {
        Reach::Nothing
    } else {
        reach(who.role, action)
    };
    match target {
        Target::Collection => match reach {
            Reach::Nothing => Decision::Forbidden,
            Reach::OwnBcu if who.bcu.is_none() => Decision::Forbidden,
            _ => Decision::Allow,
        },
        Target::Record(rec) => {
            let in_scope = rec.force == who.force
                && match reach {
                    Reach::Nothing => false,
                    Reach::WholeForce => true,
                    Reach::OwnBcu => who.bcu.is_some() && rec.bcu == who.bcu,
                };
            if in_scope {
                Decision::Allow
            } else {
                Decision::NotFound
            }
        }
    }
}

/// Whether the role may ever see personal data (names, identifiers, narratives): an allow-list, so that a
/// role added later sees none until it is named here.
pub fn sees_personal_data(role: Role) -> bool {
    match role {
        Role::Investigator
        | Role::Supervisor
        | Role::BcuLead
        | Role::CentralTriage
        | Role::Forensics
        | Role::Auditor => true,
        Role::Oversight | Role::Dpo | Role::Admin | Role::ImprovementLead => false,
    }
}

/// Whether an action reads or changes a referral's personal data (so only a role that
/// [`sees_personal_data`] may ever be allowed it, whatever the reach table says).
fn touches_personal_data(action: Action) -> bool {
    use Action::*;
    match action {
        ListReferrals | ReadReferral | CreateReferral | AssessRisk | Allocate
        | RecordEnforcement | RecordOutcome | ApproveNfa | ReopenReferral | SuperviseReferral
        | WorkPlan | SignOffRisk | IdentifySubject | RecordPeople | ReadExhibits
        | RecordExhibits | ExamineExhibits | QualityReview | CompleteRemedial => true,
        ReadAuditLog | ManageUsers | ViewAggregates | ReadGovernance | KeepTracker | KeepBoard => {
            false
        }
    }
}

/// Which referrals a user's queue lists: a whole force, or one BCU of it. There is no "everything" value,
/// so a store query built from it cannot widen past what this rule allowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueueScope {
    /// Every referral of the force (the central desk, auditors).
    Force(ForceId),
    /// One BCU's referrals (investigators, sergeants, BCU leads).
    Bcu(ForceId, BcuId),
}

impl QueueScope {
    /// The force.
    pub fn force(&self) -> ForceId {
        match self {
            QueueScope::Force(f) | QueueScope::Bcu(f, _) => *f,
        }
    }

    /// The BCU, for a BCU's queue.
    pub fn bcu(&self) -> Option<BcuId> {
        match self {
            QueueScope::Force(_) => None,
            QueueScope::Bcu(_, b) => Some(*b),
        }
    }
}

/// The queue a user may list. Fails closed: a role that may not list referrals, and a BCU role whose
/// account names no BCU, get `Forbidden`, never the whole force.
pub fn queue_scope(p: &Principal) -> Result<QueueScope, Decision> {
    match (reach(p.role, Action::ListReferrals), p.bcu) {
        (_, _) if !sees_personal_data(p.role) => Err(Decision::Forbidden),
        (Reach::WholeForce, _) => Ok(QueueScope::Force(p.force)),
        (Reach::OwnBcu, Some(b)) => Ok(QueueScope::Bcu(p.force, b)),
        (Reach::OwnBcu, None) | (Reach::Nothing, _) => Err(Decision::Forbidden),
    }
}

#[cfg(test)]
mod tests;
