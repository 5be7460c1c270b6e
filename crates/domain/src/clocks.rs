//! One clock model for every target: a start, a target, pauses with reasons, a stop, and a state (on time,
//! at risk, overdue, paused, met, missed). The triage and enforcement clocks (measured from receipt, as the
//! inspectorate measures them) and the social care referral clock never pause; supervision reviews, plan
//! actions and forensic steps may be paused and resumed by a supervisor, and paused time does not count.
//! Stopping a clock after its due time needs a reason code from the force's list (free text beside it never
//! appears in figures).

use crate::timeliness::TargetSpan;
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

/// What a clock measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ClockKind {
    /// Risk assessment, from receipt.
    Triage,
    /// First enforcement action, from receipt.
    Enforcement,
    /// A supervisory review, from allocation or the last review.
    SupervisionReview,
    /// An action of the investigation plan.
    PlanAction,
    /// A bail or release-under-investigation return date.
    BailReturn,
    /// A children's social care referral, from the child's identification.
    SocialCareReferral,
    /// A referral to the Local Authority Designated Officer, from the identification of a child the suspect
    /// reaches through work.
    LadoReferral,
    /// A step of a forensic examination.
    Forensic,
    /// A remedial action a quality review referred back.
    RemedialAction,
}

impl ClockKind {
    /// Whether a supervisor may pause it. The inspectorate measures triage and enforcement from receipt, and
    /// a child's social care referral never waits: those never pause.
    pub fn may_pause(self) -> bool {
        matches!(
            self,
            ClockKind::SupervisionReview | ClockKind::PlanAction | ClockKind::Forensic
        )
    }

    /// As stored (`supervision_review`).
    pub fn as_str(self) -> &'static str {
        match self {
            ClockKind::Triage => "triage",
            ClockKind::Enforcement => "enforcement",
            ClockKind::SupervisionReview => "supervision_review",
            ClockKind::PlanAction => "plan_action",
            ClockKind::BailReturn => "bail_return",
            ClockKind::SocialCareReferral => "social_care_referral",
            ClockKind::LadoReferral => "lado_referral",
            ClockKind::Forensic => "forensic",
            ClockKind::RemedialAction => "remedial_action",
        }
    }

    /// In words.
    pub fn label(self) -> &'static str {
        match self {
            ClockKind::Triage => "Risk assessment",
            ClockKind::Enforcement => "First enforcement action",
            ClockKind::SupervisionReview => "Supervisory review",
            ClockKind::PlanAction => "Plan action",
            ClockKind::BailReturn => "Bail or release under investigation return",
            ClockKind::SocialCareReferral => "Children's social care referral",
            ClockKind::LadoReferral => "Referral to the LADO",
            ClockKind::Forensic => "Forensic step",
            ClockKind::RemedialAction => "Remedial action",
        }
    }

    /// Every kind.
    pub const ALL: [ClockKind; 9] = [
        ClockKind::Triage,
        ClockKind::Enforcement,
        ClockKind::SupervisionReview,
        ClockKind::PlanAction,
        ClockKind::BailReturn,
        ClockKind::SocialCareReferral,
        ClockKind::LadoReferral,
        ClockKind::Forensic,
        ClockKind::RemedialAction,
    ];
}

impl std::str::FromStr for ClockKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ClockKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| format!("unknown clock kind '{s}'"))
    }
}

/// A pause: from when, until when (open while paused), and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pause {
    /// Paused at.
    pub from: Timestamp,
    /// Resumed at; none while paused.
    pub to: Option<Timestamp>,
    /// Why.
    pub reason: String,
}

/// Why a clock stopped late: a code from the force's list, and free text that never appears in figures.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LateReason {
    /// The code (`awaiting_forensics`).
    pub code: String,
    /// The officer's words.
    pub text: String,
}

/// Where a clock stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ClockState {
    /// Running, with more than the at-risk share of its target left.
    OnTime,
    /// Running, with at least the at-risk share of its target used.
    AtRisk,
    /// Running, past its due time.
    Overdue,
    /// Paused by a supervisor: paused time does not count.
    Paused,
    /// Stopped on or before its due time.
    Met,
    /// Stopped after its due time.
    Missed,
}

impl ClockState {
    /// In words.
    pub fn label(self) -> &'static str {
        match self {
            ClockState::OnTime => "On time",
            ClockState::AtRisk => "At risk",
            ClockState::Overdue => "Overdue",
            ClockState::Paused => "Paused",
            ClockState::Met => "Met",
            ClockState::Missed => "Missed",
        }
    }

    /// Whether the clock still runs (or is paused, to run again).
    pub fn is_running(self) -> bool {
        !matches!(self, ClockState::Met | ClockState::Missed)
    }
}

/// Why a clock cannot be changed as asked.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ClockError {
    /// Pausing a clock that never pauses.
    #[error("the {0} clock never pauses")]
    NeverPauses(&'static str),
    /// Pausing a paused clock.
    #[error("the clock is already paused")]
    AlreadyPaused,
    /// Resuming a running clock.
    #[error("the clock is not paused")]
    NotPaused,
    /// A change to a stopped clock.
    #[error("the clock has stopped")]
    Stopped,
    /// A pause without a reason.
    #[error("a pause needs a reason")]
    NoReason,
    /// Stopping late without a reason code.
    #[error("the clock is overdue: give a reason code for the delay")]
    LateNeedsReason,
    /// A reason code that is not on the force's list.
    #[error("'{0}' is not one of the force's reason codes for a delay")]
    UnknownReason(String),
    /// A time before the clock's start or its last change.
    #[error("the time is before the clock's last change")]
    OutOfOrder,
}

/// One clock.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clock {
    /// What it measures.
    pub kind: ClockKind,
    /// When it started.
    pub started_at: Timestamp,
    /// The time allowed (none: a fixed due time, such as a bail return date).
    pub target: Option<TargetSpan>,
    /// The due time before any pause (from the target, or fixed).
    pub base_due: Timestamp,
    /// Pauses, oldest first.
    pub pauses: Vec<Pause>,
    /// When it stopped.
    pub stopped_at: Option<Timestamp>,
    /// Why it stopped late.
    pub late_reason: Option<LateReason>,
}

impl Clock {
    /// A clock of `kind` started at `start` with `target`.
    pub fn start(kind: ClockKind, start: Timestamp, target: TargetSpan) -> Self {
        Clock {
            kind,
            started_at: start,
            target: Some(target),
            base_due: target.due_from(start),
            pauses: vec![],
            stopped_at: None,
            late_reason: None,
        }
    }

    /// A clock of `kind` started at `start` that falls due at a fixed time (a bail return date).
    pub fn until(kind: ClockKind, start: Timestamp, due: Timestamp) -> Self {
        Clock {
            kind,
            started_at: start,
            target: None,
            base_due: due,
            pauses: vec![],
            stopped_at: None,
            late_reason: None,
        }
    }

    /// Time paused up to `now` (an open pause counts up to `now`).
    pub fn paused_for(&self, now: Timestamp) -> SignedDuration {
        self.pauses
            .iter()
            .map(|p| p.to.unwrap_or(now).duration_since(p.from))
            .fold(SignedDuration::ZERO, |a, b| a + b)
    }

    /// Whether it is paused now.
    pub fn is_paused(&self) -> bool {
        self.pauses.last().is_some_and(|p| p.to.is_none())
    }

    /// When it falls due as at `now`: the base due time pushed back by the time paused (an open pause keeps
    /// pushing it back until resumed).
    pub fn due_at(&self, now: Timestamp) -> Timestamp {
        let until = self.stopped_at.unwrap_or(now);
        self.base_due + self.paused_for(until)
    }

    /// Its state at `now`; `at_risk_percent` is the share of the target used that counts as at risk.
    pub fn state(&self, now: Timestamp, at_risk_percent: u8) -> ClockState {
        if let Some(stopped) = self.stopped_at {
            return if stopped <= self.due_at(stopped) {
                ClockState::Met
            } else {
                ClockState::Missed
            };
        }
        if self.is_paused() {
            return ClockState::Paused;
        }
        let due = self.due_at(now);
        if now > due {
            return ClockState::Overdue;
        }
        // The share of the allowed time used, not counting pauses.
        let allowed = due.duration_since(self.started_at) - self.paused_for(now);
        let used = now.duration_since(self.started_at) - self.paused_for(now);
        let percent = i128::from(at_risk_percent.min(100));
        if allowed.as_secs() > 0
            && i128::from(used.as_secs()) * 100 >= percent * i128::from(allowed.as_secs())
        {
            ClockState::AtRisk
        } else {
            ClockState::OnTime
        }
    }

    fn last_change(&self) -> Timestamp {
        self.pauses
            .last()
            .map(|p| p.to.unwrap_or(p.from))
            .unwrap_or(self.started_at)
    }

    /// Pause it at `at` for `reason` (a supervisor's step; never for a clock that never pauses).
    pub fn pause(&mut self, at: Timestamp, reason: &str) -> Result<(), ClockError> {
        if !self.kind.may_pause() {
            return Err(ClockError::NeverPauses(self.kind.label()));
        }
        if self.stopped_at.is_some() {
            return Err(ClockError::Stopped);
        }
        if self.is_paused() {
            return Err(ClockError::AlreadyPaused);
        }
        if reason.trim().is_empty() {
            return Err(ClockError::NoReason);
        }
        if at < self.last_change() {
            return Err(ClockError::OutOfOrder);
        }
        self.pauses.push(Pause {
            from: at,
            to: None,
            reason: reason.trim().to_string(),
        });
        Ok(())
    }

    /// Resume it at `at`.
    pub fn resume(&mut self, at: Timestamp) -> Result<(), ClockError> {
        if self.stopped_at.is_some() {
            return Err(ClockError::Stopped);
        }
        if at < self.last_change() {
            return Err(ClockError::OutOfOrder);
        }
        match self.pauses.last_mut() {
            Some(p) if p.to.is_none() => {
                p.to = Some(at);
                Ok(())
            }
            _ => Err(ClockError::NotPaused),
        }
    }

    /// Stop it at `at`. After its due time it needs a reason code from `codes`; a paused clock is resumed
    /// at the stop.
    pub fn stop(
        &mut self,
        at: Timestamp,
        late: Option<LateReason>,
        codes: &[LateReasonCode],
    ) -> Result<ClockState, ClockError> {
        if self.stopped_at.is_some() {
            return Err(ClockError::Stopped);
        }
        if at < self.last_change() {
            return Err(ClockError::OutOfOrder);
        }
        if self.is_paused() {
            self.resume(at)?;
        }
        let late_now = at > self.due_at(at);
        let late = match late {
            Some(r) if late_now => {
                if !codes.iter().any(|c| c.code == r.code) {
                    return Err(ClockError::UnknownReason(r.code));
                }
                Some(LateReason {
                    code: r.code,
                    text: r.text.trim().to_string(),
                })
            }
            None if late_now => return Err(ClockError::LateNeedsReason),
            _ => None,
        };
        self.stopped_at = Some(at);
        self.late_reason = late;
        Ok(self.state(at, 100))
    }
}

/// One of the force's reason codes for a late clock.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LateReasonCode {
    /// The code (`awaiting_forensics`).
    pub code: String,
    /// In words.
    pub label: String,
}

/// The default reason codes for a late clock.
pub fn default_late_reasons() -> Vec<LateReasonCode> {
    [
        (
            "awaiting_forensics",
            "Waiting for a forensic examination or grading",
        ),
        (
            "awaiting_provider",
            "Waiting for a communications or platform provider",
        ),
        (
            "awaiting_partner",
            "Waiting for a partner agency (social care, another force)",
        ),
        (
            "officer_unavailable",
            "Officer unavailable (leave, sickness, court)",
        ),
        ("workload", "Demand: other urgent work came first"),
        (
            "subject_unavailable",
            "Suspect, victim or witness unavailable",
        ),
        ("other", "Other (say why in the text)"),
    ]
    .into_iter()
    .map(|(code, label)| LateReasonCode {
        code: code.into(),
        label: label.into(),
    })
    .collect()
}

/// The soonest due time among running clocks at `now`: the referral's headline due time (the queue's order).
pub fn headline_due<'c>(
    clocks: impl IntoIterator<Item = &'c Clock>,
    now: Timestamp,
) -> Option<Timestamp> {
    clocks
        .into_iter()
        .filter(|c| c.stopped_at.is_none() && !c.is_paused())
        .map(|c| c.due_at(now))
        .min()
}

#[cfg(test)]
mod tests;
