//! What happened to each referral before the demo's creation day: triage, allocation within its own BCU,
//! the first enforcement action (usually within target, sometimes late) and an outcome. Every step is checked
//! with the same `domain::referral` rule the product applies, written to the timeline by the person who
//! took it, and only kept if it happened before the creation day began, so recent referrals are still open.

use crate::calendar::{days, hours, plus_minutes};
use crate::force::{Roster, TeamBcu};
use crate::names::weighted;
use crate::referrals::Arrival;
use crate::text;
use domain::referral::{allocate, assess, close, enforce};
use domain::{
    Clock, EnforcementKind, NfaPolicy, OutcomeCode, Referral, RiskLevel, TimelineEntry,
    TimelinessTable, TransitionError, User,
};
use jiff::Timestamp;
use rand::Rng;
use store::NewReferral;

/// Outcome codes after enforcement, with how often each is recorded.
const OUTCOMES: &[(u8, u32)] = &[
    (1, 22),
    (2, 2),
    (3, 6),
    (8, 1),
    (22, 3),
    (9, 2),
    (10, 3),
    (14, 2),
    (15, 4),
    (16, 16),
    (18, 4),
    (20, 10),
    (21, 18),
];

/// Outcome codes for referrals closed without enforcement.
const OUTCOMES_WITHOUT_ENFORCEMENT: &[(u8, u32)] = &[(18, 5), (20, 3), (14, 2)];

/// What the history needs besides the referral.
pub struct Setting<'a> {
    /// The people.
    pub roster: &'a Roster,
    /// Targets.
    pub table: &'a TimelinessTable,
    /// Which outcomes need a supervisor.
    pub nfa: &'a NfaPolicy,
    /// Nothing happens at or after this instant.
    pub cutoff: Timestamp,
}

/// The referral being written, step by step.
struct Story<'a> {
    new: NewReferral,
    set: &'a Setting<'a>,
}

impl Story<'_> {
    fn r(&mut self) -> &mut Referral {
        &mut self.new.referral
    }

    fn step(&mut self, at: Timestamp, by: &User, kind: &str, summary: String) {
        self.new.timeline.push(TimelineEntry {
            at,
            user: Some(by.id),
            actor: by.display_name.clone(),
            kind: kind.into(),
            summary,
        });
    }
}

/// The referral with everything that happened to it before the cutoff.
pub fn history(
    rng: &mut impl Rng,
    a: Arrival,
    set: &Setting<'_>,
) -> Result<NewReferral, TransitionError> {
    let central = &set.roster.central;
    let (by, actor) = match a.received.source.as_str() {
        "NCA" => (None, "NCA referral import"),
        _ => (Some(central.id), central.display_name.as_str()),
    };
    let escalated = a.received.escalation.is_some();
    let mut referral = Referral::new_received(a.received, set.table);
    referral.id = a.id;
    let team = a.team.map(|i| &set.roster.bcus[i]);
    referral.bcu_code = team.map(|t| t.code.to_string());
    let new = NewReferral::fresh(referral, a.report_json, &set.table.version, by, actor);
    let mut s = Story { new, set };
    let received = s.r().received_at;

    let triage = if escalated {
        rng.random_range(20..180)
    } else {
        match weighted(rng, &[(0u8, 70), (1, 22), (2, 8)]) {
            0 => hours(rng, 1, 20),
            1 => days(rng, 1, 5),
            _ => days(rng, 5, 14),
        }
    };
    let assessed_at = plus_minutes(received, triage);
    if assessed_at >= set.cutoff {
        return Ok(s.new);
    }
    let assessor = match team {
        Some(t) if rng.random_bool(0.3) => &t.sergeant,
        _ => central,
    };
    let level = risk_level(rng, escalated);
    let reason = text::risk_reason(rng, level, escalated);
    let r = s.r();
    r.status = assess(r.status, level, &reason)?;
    r.clock = Clock::Enforcement(level);
    r.due_at = set.table.due_at(r.received_at, r.clock, escalated);
    r.risk_level = Some(level);
    r.risk_reason = Some(reason.clone());
    s.new.assessed = Some((assessed_at, assessor.id));
    s.step(
        assessed_at,
        assessor,
        "risk_assessed",
        format!("Risk level {level}: {reason}"),
    );

    match team {
        Some(team) => investigate(rng, &mut s, team, assessed_at, level)?,
        None if rng.random_bool(0.5) => {
            let at = plus_minutes(assessed_at, days(rng, 3, 40));
            finish(rng, &mut s, 20, central, at)?;
        }
        None => {}
    }
    Ok(s.new)
}

/// Very High 5%, High 25%, Medium 45%, Low 25%; an escalated report is at least High.
fn risk_level(rng: &mut impl Rng, escalated: bool) -> RiskLevel {
    if escalated {
        return weighted(rng, &[(RiskLevel::VeryHigh, 35), (RiskLevel::High, 65)]);
    }
    weighted(
        rng,
        &[
            (RiskLevel::VeryHigh, 4),
            (RiskLevel::High, 24),
            (RiskLevel::Medium, 47),
            (RiskLevel::Low, 25),
        ],
    )
}

/// Allocation by the BCU's sergeant, enforcement by the officer, and the outcome.
fn investigate(
    rng: &mut impl Rng,
    s: &mut Story<'_>,
    team: &TeamBcu,
    assessed_at: Timestamp,
    level: RiskLevel,
) -> Result<(), TransitionError> {
    let cutoff = s.set.cutoff;
    let delay = match level {
        RiskLevel::VeryHigh => rng.random_range(30..240),
        RiskLevel::High => hours(rng, 2, 48),
        RiskLevel::Medium => hours(rng, 4, 120),
        RiskLevel::Low => days(rng, 1, 10),
    };
    let allocated_at = plus_minutes(assessed_at, delay);
    if allocated_at >= cutoff {
        return Ok(());
    }
    let officer = if rng.random_bool(0.05) {
        &team.sergeant
    } else {
        &team.officers[rng.random_range(0..team.officers.len())]
    };
    let r = s.r();
    r.status = allocate(r.status, r.bcu.is_some())?;
    r.allocated_to = Some(officer.id);
    r.allocated_name = Some(officer.display_name.clone());
    s.new.allocated_at = Some(allocated_at);
    s.step(
        allocated_at,
        &team.sergeant,
        "allocated",
        format!("Allocated to {}", officer.display_name),
    );

    if rng.random_bool(0.08) {
        let at = plus_minutes(allocated_at, days(rng, 10, 90));
        let code = weighted(rng, OUTCOMES_WITHOUT_ENFORCEMENT);
        return finish(rng, s, code, officer, at).map(|_| ());
    }
    let enforced_at = enforcement_time(rng, s.r().due_at, allocated_at, level);
    if enforced_at >= cutoff {
        return Ok(());
    }
    let kind = weighted(
        rng,
        &[
            (EnforcementKind::Warrant, 45),
            (EnforcementKind::VoluntaryInterview, 35),
            (EnforcementKind::Arrest, 20),
        ],
    );
    let notes = text::enforcement_notes(rng, kind);
    let r = s.r();
    r.status = enforce(r.status)?;
    r.first_enforcement_at = Some(enforced_at);
    let summary = format!(
        "{} on {}: {notes}",
        kind.label(),
        domain::time::display(enforced_at)
    );
    s.step(enforced_at, officer, "enforcement", summary);

    let investigation = days(rng, 14, 300).min(days(rng, 14, 300));
    let code = weighted(rng, OUTCOMES);
    finish(
        rng,
        s,
        code,
        officer,
        plus_minutes(enforced_at, investigation),
    )
}

/// When the first enforcement action happens: within target mostly, late for some (15–25% overall).
fn enforcement_time(
    rng: &mut impl Rng,
    due: Timestamp,
    allocated_at: Timestamp,
    level: RiskLevel,
) -> Timestamp {
    let miss = match level {
        RiskLevel::VeryHigh => 0.12,
        RiskLevel::High => 0.2,
        RiskLevel::Medium => 0.17,
        RiskLevel::Low => 0.14,
    };
    let window = (due.as_second() - allocated_at.as_second()) / 60;
    if window > 10 && !rng.random_bool(miss) {
        return plus_minutes(allocated_at, rng.random_range(window / 10..window));
    }
    let late = match level {
        RiskLevel::VeryHigh => hours(rng, 2, 72),
        RiskLevel::High => days(rng, 1, 10),
        RiskLevel::Medium => days(rng, 1, 21),
        RiskLevel::Low => days(rng, 1, 30),
    };
    plus_minutes(due.max(allocated_at), late)
}

/// Record an outcome at `at` if it is before the cutoff: an NFA outcome by the BCU's sergeant (or the central
/// desk for an unrouted referral), any other by `by`.
fn finish(
    rng: &mut impl Rng,
    s: &mut Story<'_>,
    code: u8,
    by: &User,
    at: Timestamp,
) -> Result<(), TransitionError> {
    if at >= s.set.cutoff {
        return Ok(());
    }
    let code = OutcomeCode::new(code, false).expect("demo outcome codes are valid");
    let is_nfa = s.set.nfa.is_nfa(code);
    let closer = match s.r().bcu {
        Some(_) if is_nfa => sergeant_of(s),
        _ => by.clone(),
    };
    let by_supervisor = closer.role == domain::Role::Supervisor;
    let rationale = text::rationale(rng, code.number);
    let r = s.r();
    r.status = close(r.status, code, &rationale, is_nfa, by_supervisor)?;
    r.outcome = Some(code);
    r.outcome_rationale = Some(rationale.clone());
    r.closed_at = Some(at);
    s.step(
        at,
        &closer,
        "outcome",
        format!("Outcome {code} ({}): {rationale}", code.label()),
    );
    Ok(())
}

fn sergeant_of(s: &Story<'_>) -> User {
    let bcu = s.new.referral.bcu;
    let team = s
        .set
        .roster
        .bcus
        .iter()
        .find(|t| Some(t.id) == bcu)
        .expect("a routed referral's BCU is in the roster");
    team.sergeant.clone()
}
