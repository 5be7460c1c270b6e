//! Timeliness clocks. The level sets the time allowed from force receipt to the first enforcement action,
//! and until a referral is assessed a triage clock runs. Targets are configuration (a versioned table),
//! never code; this module only does the arithmetic.
//!
//! A target in hours is elapsed time. A target in days ends at the same London wall-clock time that many
//! calendar days later, so a 7-day target spanning a clock change is 7×24 hours ± 1.

use crate::RiskLevel;
use jiff::{Span, Timestamp, ToSpan};
use serde::{Deserialize, Serialize};

/// A length of time allowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetSpan {
    /// Elapsed hours.
    Hours(u32),
    /// Calendar days in London time.
    Days(u32),
    /// Working days (Monday to Friday) in London time: the same wall-clock time that many working days later.
    WorkingDays(u32),
}

impl TargetSpan {
    /// When a clock started at `start` falls due.
    pub fn due_from(self, start: Timestamp) -> Timestamp {
        match self {
            TargetSpan::Hours(h) => start
                .checked_add(Span::new().hours(i64::from(h)))
                .expect("a target in hours stays within the representable range"),
            TargetSpan::Days(d) => crate::time::in_london(start)
                .checked_add(i64::from(d).days())
                .expect("a target in days stays within the representable range")
                .timestamp(),
            TargetSpan::WorkingDays(n) => {
                let mut at = crate::time::in_london(start);
                let mut left = n;
                while left > 0 {
                    at = at
                        .checked_add(1.day())
                        .expect("a target in working days stays within the representable range");
                    if !matches!(
                        at.weekday(),
                        jiff::civil::Weekday::Saturday | jiff::civil::Weekday::Sunday
                    ) {
                        left -= 1;
                    }
                }
                at.timestamp()
            }
        }
    }

    /// `24 hours`, `7 days`.
    pub fn describe(self) -> String {
        match self {
            TargetSpan::Hours(h) => format!("{h} hours"),
            TargetSpan::Days(d) => format!("{d} days"),
            TargetSpan::WorkingDays(1) => "1 working day".into(),
            TargetSpan::WorkingDays(d) => format!("{d} working days"),
        }
    }
}

/// The longest target a table may set, in days (ten years): far longer than any real one, and short enough
/// that no due time can overflow.
pub const MAX_TARGET_DAYS: u32 = 3_650;

/// The versioned table of targets a force works to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimelinessTable {
    /// Version label, stored with every clock computed from the table.
    pub version: String,
    /// Time to first enforcement action, from force receipt, for a Very High referral.
    pub very_high: TargetSpan,
    /// ... for High.
    pub high: TargetSpan,
    /// ... for Medium.
    pub medium: TargetSpan,
    /// ... for Low.
    pub low: TargetSpan,
    /// Time allowed for the risk assessment of an unassessed referral.
    pub triage: TargetSpan,
    /// Time allowed for the risk assessment of an escalated referral.
    pub triage_escalated: TargetSpan,
    /// Time between supervisory reviews of an allocated, open referral (optional; default 28 days).
    #[serde(default = "default_supervision_review")]
    pub supervision_review: TargetSpan,
    /// The share of a target used at which a running clock is "at risk", in percent (optional; default 80).
    #[serde(default = "default_at_risk_percent")]
    pub at_risk_percent: u8,
    /// The reason codes a late clock is stopped with (optional; the defaults are in `docs/timeliness.md`).
    #[serde(default = "crate::clocks::default_late_reasons")]
    pub late_reasons: Vec<crate::clocks::LateReasonCode>,
    /// Time allowed for a children's social care referral, from a child's identification (optional; default
    /// 24 hours). It never pauses and never waits for enforcement.
    #[serde(default = "default_social_care_referral")]
    pub social_care_referral: TargetSpan,
    /// Time allowed for a referral to the Local Authority Designated Officer when a child's access to the
    /// suspect is through the suspect's work (optional; default one working day).
    #[serde(default = "default_lado_referral")]
    pub lado_referral: TargetSpan,
    /// Seizure to submission for examination (optional; default 3 days).
    #[serde(default = "forensic::submitted")]
    pub forensic_submitted: TargetSpan,
    /// Submission to the start of the examination (optional; default 28 days).
    #[serde(default = "forensic::examination_started")]
    pub forensic_examination_started: TargetSpan,
    /// Start of the examination to the return (optional; default 28 days).
    #[serde(default = "forensic::returned")]
    pub forensic_returned: TargetSpan,
    /// Return to the images graded (optional; default 14 days).
    #[serde(default = "forensic::graded")]
    pub forensic_graded: TargetSpan,
    /// Grading to new images sent for victim identification (optional; default 7 days).
    #[serde(default = "forensic::victim_identification")]
    pub forensic_victim_identification: TargetSpan,
    /// Grading to the upload to the national image database (optional; default 14 days).
    #[serde(default = "forensic::national_database")]
    pub forensic_national_database: TargetSpan,
    /// Time allowed for a remedial action a quality review refers back, when the auditor gives no date
    /// (optional; default 28 days).
    #[serde(default = "default_remedial_action")]
    pub remedial_action: TargetSpan,
}

/// The default turnaround of each forensic step.
mod forensic {
    use super::TargetSpan;
    pub fn submitted() -> TargetSpan {
        TargetSpan::Days(3)
    }
    pub fn examination_started() -> TargetSpan {
        TargetSpan::Days(28)
    }
    pub fn returned() -> TargetSpan {
        TargetSpan::Days(28)
    }
    pub fn graded() -> TargetSpan {
        TargetSpan::Days(14)
    }
    pub fn victim_identification() -> TargetSpan {
        TargetSpan::Days(7)
    }
    pub fn national_database() -> TargetSpan {
        TargetSpan::Days(14)
    }
}

fn default_remedial_action() -> TargetSpan {
    TargetSpan::Days(28)
}

fn default_social_care_referral() -> TargetSpan {
    TargetSpan::Hours(24)
}

fn default_lado_referral() -> TargetSpan {
    TargetSpan::WorkingDays(1)
}

fn default_supervision_review() -> TargetSpan {
    TargetSpan::Days(28)
}

fn default_at_risk_percent() -> u8 {
    80
}

impl Default for TimelinessTable {
    /// The defaults in reference/domain.md: 24 hours, 7, 14 and 30 days; triage 24 hours (2 if escalated).
    fn default() -> Self {
        Self {
            version: "default-2019".into(),
            very_high: TargetSpan::Hours(24),
            high: TargetSpan::Days(7),
            medium: TargetSpan::Days(14),
            low: TargetSpan::Days(30),
            triage: TargetSpan::Hours(24),
            triage_escalated: TargetSpan::Hours(2),
            supervision_review: default_supervision_review(),
            at_risk_percent: default_at_risk_percent(),
            late_reasons: crate::clocks::default_late_reasons(),
            social_care_referral: default_social_care_referral(),
            lado_referral: default_lado_referral(),
            forensic_submitted: forensic::submitted(),
            forensic_examination_started: forensic::examination_started(),
            forensic_returned: forensic::returned(),
            forensic_graded: forensic::graded(),
            forensic_victim_identification: forensic::victim_identification(),
            forensic_national_database: forensic::national_database(),
            remedial_action: default_remedial_action(),
        }
    }
}

/// Which clock a referral is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Clock {
    /// Awaiting risk assessment.
    Triage,
    /// Assessed: time to first enforcement action.
    Enforcement(RiskLevel),
}

impl TimelinessTable {
    /// Check that every target is at least an hour or a day, and that the table has a version.
    pub fn validate(&self) -> Result<(), String> {
        if self.version.trim().is_empty() {
            return Err("the table needs a `version`".into());
        }
        let spans = [
            ("very_high", self.very_high),
            ("high", self.high),
            ("medium", self.medium),
            ("low", self.low),
            ("triage", self.triage),
            ("triage_escalated", self.triage_escalated),
            ("supervision_review", self.supervision_review),
            ("social_care_referral", self.social_care_referral),
            ("lado_referral", self.lado_referral),
            ("forensic_submitted", self.forensic_submitted),
            (
                "forensic_examination_started",
                self.forensic_examination_started,
            ),
            ("forensic_returned", self.forensic_returned),
            ("forensic_graded", self.forensic_graded),
            (
                "forensic_victim_identification",
                self.forensic_victim_identification,
            ),
            (
                "forensic_national_database",
                self.forensic_national_database,
            ),
            ("remedial_action", self.remedial_action),
        ];
        if !(1..=100).contains(&self.at_risk_percent) {
            return Err(format!(
                "`at_risk_percent` must be 1 to 100, not {}",
                self.at_risk_percent
            ));
        }
        if self.late_reasons.is_empty() {
            return Err("`late_reasons` needs at least one reason code".into());
        }
        if let Some((name, _)) = spans.iter().find(|(_, s)| {
            matches!(
                s,
                TargetSpan::Hours(0) | TargetSpan::Days(0) | TargetSpan::WorkingDays(0)
            )
        }) {
            return Err(format!("`{name}` must be at least 1 hour or 1 day"));
        }
        // A target longer than any real one would push a due time past what a date can hold.
        match spans.iter().find(|(_, s)| match s {
            TargetSpan::Hours(h) => *h > MAX_TARGET_DAYS * 24,
            TargetSpan::Days(d) | TargetSpan::WorkingDays(d) => *d > MAX_TARGET_DAYS,
        }) {
            Some((name, _)) => Err(format!(
                "`{name}` must be at most {MAX_TARGET_DAYS} days ({} hours): no target is longer than ten years",
                MAX_TARGET_DAYS * 24
            )),
            None => Ok(()),
        }
    }

    /// The target for a risk level.
    pub fn target(&self, level: RiskLevel) -> TargetSpan {
        match level {
            RiskLevel::VeryHigh => self.very_high,
            RiskLevel::High => self.high,
            RiskLevel::Medium => self.medium,
            RiskLevel::Low => self.low,
        }
    }

    /// The target a referral assessed at `level` is measured against: once the first enforcement has stopped
    /// the clock, the target it was measured against stays (a new level must not turn a missed target into
    /// a met one); otherwise the level's target from receipt.
    pub fn enforcement_due(&self, r: &crate::Referral, level: RiskLevel) -> Timestamp {
        match r.first_enforcement_at {
            Some(_) => r.due_at,
            None => self.due_at(r.received_at, Clock::Enforcement(level), r.escalated),
        }
    }

    /// When a referral received at `received_at` falls due on `clock`.
    pub fn due_at(&self, received_at: Timestamp, clock: Clock, escalated: bool) -> Timestamp {
        let span = match clock {
            Clock::Triage if escalated => self.triage_escalated,
            Clock::Triage => self.triage,
            Clock::Enforcement(level) => self.target(level),
        };
        span.due_from(received_at)
    }
}

/// How close a running clock is to its target, for highlighting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Urgency {
    /// Past its target.
    Overdue,
    /// Less than [`DUE_SOON`] left.
    DueSoon,
    /// More time than that.
    OnTrack,
}

/// Less time left than this is highlighted as due soon.
pub const DUE_SOON: jiff::SignedDuration = jiff::SignedDuration::from_hours(24);

/// The urgency of a clock with `seconds_left` (negative when overdue).
pub fn urgency(seconds_left: i64) -> Urgency {
    if seconds_left < 0 {
        Urgency::Overdue
    } else if seconds_left < DUE_SOON.as_secs() {
        Urgency::DueSoon
    } else {
        Urgency::OnTrack
    }
}

#[cfg(test)]
mod tests;
