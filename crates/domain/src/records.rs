//! The records Safeguard keeps, as plain data: what the store returns and the web shows. Rules about them
//! live in the neighbouring modules.

use crate::{
    BcuId, EnforcementKind, ForceId, OutcomeCode, RecordScope, ReferralId, RiskLevel, Role, Status,
    UserId,
};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// A BCU of a force.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bcu {
    /// Its id.
    pub id: BcuId,
    /// Its force.
    pub force: ForceId,
    /// Short code, unique within the force (`cn`).
    pub code: String,
    /// Name (`Central North`).
    pub name: String,
}

/// A user account (never with its password hash).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// Its id.
    pub id: UserId,
    /// Its force.
    pub force: ForceId,
    /// Its BCU, for BCU-scoped roles.
    pub bcu: Option<BcuId>,
    /// Sign-in name.
    pub username: String,
    /// Name shown to others (`DC Amira Shah`).
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Whether the account can sign in.
    pub active: bool,
    /// Whether its owner must choose a new password before anything else (after an administrator's reset).
    #[serde(default)]
    pub must_change_password: bool,
}

impl User {
    /// The permission view of this user.
    pub fn principal(&self) -> crate::Principal {
        crate::Principal {
            user: self.id,
            role: self.role,
            force: self.force,
            bcu: self.bcu,
        }
    }
}

/// The reported person as received (names and identifiers: personal data).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportedPerson {
    /// Given name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Family name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Email addresses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub emails: Vec<String>,
    /// Phone numbers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phones: Vec<String>,
    /// Screen names on the reporting service.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub screen_names: Vec<String>,
    /// The reporting service (platform).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub esp_service: Option<String>,
    /// The platform's user ids (`espIdentifier`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub esp_ids: Vec<String>,
}

impl ReportedPerson {
    /// `Jane Doe` or the first identifier, for lists.
    pub fn headline(&self) -> String {
        let name = [self.first_name.as_deref(), self.last_name.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        if !name.is_empty() {
            return name;
        }
        self.emails
            .first()
            .or(self.screen_names.first())
            .or(self.phones.first())
            .cloned()
            .or_else(|| self.esp_ids.first().map(|id| format!("User id {id}")))
            .unwrap_or_else(|| "Unknown person".into())
    }
}

/// One referral: a report received by the force and everything recorded about it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Referral {
    /// Its id.
    pub id: ReferralId,
    /// Owning force.
    pub force: ForceId,
    /// Owning BCU (none while unrouted).
    pub bcu: Option<BcuId>,
    /// The BCU's code.
    pub bcu_code: Option<String>,
    /// The borough the package named.
    pub borough: Option<String>,
    /// Where it came from (`NCA`, `manual`).
    pub source: String,
    /// The sender's package reference.
    pub package_ref: Option<String>,
    /// The report's id within its source.
    pub report_id: String,
    /// Force receipt: the start of every clock.
    pub received_at: Timestamp,
    /// CyberTipline incident type.
    pub incident_type: String,
    /// When the platform detected the content.
    pub incident_at: Option<Timestamp>,
    /// Whether the report was escalated to high priority.
    pub escalated: bool,
    /// The escalation text.
    pub escalation_reason: Option<String>,
    /// Narrative.
    pub summary: String,
    /// The reported person.
    pub reported_person: ReportedPerson,
    /// Where it is in its flow.
    pub status: Status,
    /// Risk level, once assessed.
    pub risk_level: Option<RiskLevel>,
    /// The assessor's reason.
    pub risk_reason: Option<String>,
    /// When the clock falls due.
    pub due_at: Timestamp,
    /// Which clock.
    pub clock: crate::Clock,
    /// Officer allocated.
    pub allocated_to: Option<UserId>,
    /// Officer's display name.
    pub allocated_name: Option<String>,
    /// The first enforcement action (stops the clock).
    pub first_enforcement_at: Option<Timestamp>,
    /// Outcome, once closed.
    pub outcome: Option<OutcomeCode>,
    /// Outcome rationale.
    pub outcome_rationale: Option<String>,
    /// When closed.
    pub closed_at: Option<Timestamp>,
    /// Optimistic-concurrency version: a change must name the version it was based on.
    pub version: i64,
    /// The subject (person) the referral is linked to, once linked.
    pub subject_id: Option<String>,
    /// How many other open referrals the same subject has (the referral joins an open case when above 0).
    pub linked_open: i64,
    /// The platform's annotations of the report (`sextortion`, `csamSolicitation`, …), as received.
    #[serde(default)]
    pub annotations: Vec<String>,
    /// The status before an outcome was proposed or the referral closed: where a returned outcome or a
    /// reopening takes it back to.
    #[serde(default)]
    pub prior_status: Option<Status>,
    /// Who proposed the outcome awaiting approval (never its approver).
    #[serde(default)]
    pub outcome_proposed_by: Option<UserId>,
    /// When it was proposed.
    #[serde(default)]
    pub outcome_proposed_at: Option<Timestamp>,
    /// For outcome 21: who was told of the decision.
    #[serde(default)]
    pub victim_informed: Option<crate::referral::InformedWho>,
    /// When the record is next reviewed for retention (set on closing, from the retention table).
    #[serde(default)]
    pub retention_review_on: Option<jiff::civil::Date>,
    /// The offence, once confirmed (until then the incident type suggests one:
    /// [`Referral::classification`]).
    #[serde(default)]
    pub offence: Option<crate::offence::Offence>,
    /// Sextortion was the method (recorded with the offence).
    #[serde(default)]
    pub method_sextortion: bool,
    /// Live-streaming was the method (recorded with the offence).
    #[serde(default)]
    pub method_live_streaming: bool,
    /// The headline due time: the soonest due time among its running, unpaused clocks (the queue's order);
    /// none when no clock runs.
    #[serde(default)]
    pub headline_due: Option<Timestamp>,
    /// Which clock the headline due time is.
    #[serde(default)]
    pub headline_kind: Option<crate::clocks::ClockKind>,
}

impl Referral {
    /// Where the referral sits, for permission decisions.
    pub fn scope(&self) -> RecordScope {
        RecordScope {
            force: self.force,
            bcu: self.bcu,
        }
    }

    /// The offence as confirmed, or else as the incident type and annotations suggest it.
    pub fn classification(&self) -> crate::offence::Classification {
        match self.offence {
            Some(offence) => crate::offence::Classification {
                offence,
                sextortion: self.method_sextortion,
                live_streaming: self.method_live_streaming,
                confirmed: true,
            },
            None => {
                crate::offence::Classification::suggested(&self.incident_type, &self.annotations)
            }
        }
    }

    /// Its status in words, as officers read it: an unrouted referral waiting on the central desk is
    /// "Awaiting routing", not "Awaiting allocation".
    pub fn status_label(&self) -> &'static str {
        match self.status {
            Status::New | Status::Assessed if self.bcu.is_none() => "Awaiting routing",
            s => s.label(),
        }
    }

    /// Whether its clock is still running (not yet enforced or closed).
    pub fn clock_running(&self) -> bool {
        self.status.is_open() && self.first_enforcement_at.is_none()
    }

    /// Seconds until due (negative when overdue) at `now`, while the clock runs.
    pub fn seconds_left(&self, now: Timestamp) -> Option<i64> {
        self.clock_running()
            .then(|| self.due_at.as_second() - now.as_second())
    }

    /// Whether the target was met: first enforcement on or before the due time.
    pub fn target_met(&self) -> Option<bool> {
        match (self.clock, self.first_enforcement_at) {
            (crate::Clock::Enforcement(_), Some(at)) => Some(at <= self.due_at),
            _ => None,
        }
    }
}

/// A step on a referral's timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    /// When.
    pub at: Timestamp,
    /// Who (their account, if a person).
    pub user: Option<UserId>,
    /// Who (display name at the time).
    pub actor: String,
    /// What kind of step (`received`, `risk_assessed`, `allocated`, `enforcement`, `outcome`, `routed`).
    pub kind: String,
    /// What happened, in words.
    pub summary: String,
}

/// An enforcement action being recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Enforcement {
    /// Which kind.
    pub kind: EnforcementKind,
    /// When it happened.
    pub at: Timestamp,
    /// Notes.
    pub notes: String,
}

/// What is known about a referral when it arrives.
#[derive(Clone, Debug)]
pub struct Received {
    /// Owning force.
    pub force: ForceId,
    /// The BCU its borough routes to, if any.
    pub bcu: Option<BcuId>,
    /// The borough as named in the package (canonical spelling when known).
    pub borough: Option<String>,
    /// Source (`NCA`, `manual`).
    pub source: String,
    /// Package reference.
    pub package_ref: Option<String>,
    /// Report id within the source.
    pub report_id: String,
    /// Force receipt.
    pub received_at: Timestamp,
    /// CyberTipline incident type.
    pub incident_type: String,
    /// Platform detection time.
    pub incident_at: Option<Timestamp>,
    /// Escalation text, if escalated (any value escalates).
    pub escalation: Option<String>,
    /// Narrative.
    pub summary: String,
    /// The reported person.
    pub reported_person: ReportedPerson,
}

impl Referral {
    /// A newly received referral: status `new`, on the triage clock.
    pub fn new_received(r: Received, table: &crate::TimelinessTable) -> Referral {
        let escalated = r.escalation.is_some();
        Referral {
            id: ReferralId::new(),
            force: r.force,
            bcu: r.bcu,
            bcu_code: None,
            borough: r.borough,
            source: r.source,
            package_ref: r.package_ref,
            report_id: r.report_id,
            received_at: r.received_at,
            incident_type: r.incident_type,
            incident_at: r.incident_at,
            escalated,
            escalation_reason: r.escalation,
            summary: r.summary,
            reported_person: r.reported_person,
            status: Status::New,
            risk_level: None,
            risk_reason: None,
            due_at: table.due_at(r.received_at, crate::Clock::Triage, escalated),
            clock: crate::Clock::Triage,
            allocated_to: None,
            allocated_name: None,
            first_enforcement_at: None,
            outcome: None,
            outcome_rationale: None,
            closed_at: None,
            version: 1,
            subject_id: None,
            linked_open: 0,
            annotations: vec![],
            prior_status: None,
            outcome_proposed_by: None,
            outcome_proposed_at: None,
            victim_informed: None,
            retention_review_on: None,
            offence: None,
            method_sextortion: false,
            method_live_streaming: false,
            headline_due: Some(table.due_at(r.received_at, crate::Clock::Triage, escalated)),
            headline_kind: Some(crate::clocks::ClockKind::Triage),
        }
    }
}
