//! What happened to each referral before the demo's creation day: triage, allocation within its own BCU,
//! the first enforcement action (usually within target, sometimes late) and an outcome. Every step is checked
//! with the same `domain::referral` rule the product applies, written to the timeline by the person who
//! took it, and only kept if it happened before the creation day began, so recent referrals are still open.

use crate::calendar::{days, plus_minutes};
use crate::force::{Roster, TeamBcu};
use crate::names::weighted;
use crate::referrals::Arrival;
use crate::{odds, text};
use domain::referral::{allocate, assess, close, enforce};
use domain::{
    Clock, NfaPolicy, OutcomeCode, Referral, TimelineEntry, TimelinessTable, TransitionError, User,
};
use jiff::Timestamp;
use rand::Rng;
use store::NewReferral;

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
    team: Option<&'a TeamBcu>,
}

impl Story<'_> {
    fn r(&mut self) -> &mut Referral {
        &mut self.new.referral
    }

    fn step(&mut self, at: Timestamp, by: &User, kind: &str, summary: String) {
        let (user, actor) = (Some(by.id), by.display_name.clone());
        let kind = kind.into();
        self.new.timeline.push(TimelineEntry {
            at,
            user,
            actor,
            kind,
            summary,
        });
    }
}

/// The referral with everything that happened to it before the cutoff.
pub fn history<'a>(
    rng: &mut impl Rng,
    a: Arrival,
    set: &'a Setting<'a>,
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
    let mut s = Story { new, set, team };

    let assessed_at = plus_minutes(s.r().received_at, odds::triage_minutes(rng, escalated));
    if assessed_at >= set.cutoff {
        return Ok(s.new);
    }
    let assessor = match team {
        Some(t) if rng.random_bool(0.3) => &t.sergeant,
        _ => central,
    };
    let level = odds::risk_level(rng, escalated);
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
        Some(team) => investigate(rng, &mut s, team, assessed_at)?,
        // An unroutable package is often another force's: half are transferred from the central queue.
        None if rng.random_bool(0.5) => {
            let at = plus_minutes(assessed_at, days(rng, 3, 40));
            finish(rng, &mut s, 20, central, at)?;
        }
        None => {}
    }
    Ok(s.new)
}

/// Allocation by the BCU's sergeant, enforcement by the officer, and the outcome.
fn investigate(
    rng: &mut impl Rng,
    s: &mut Story<'_>,
    team: &TeamBcu,
    assessed_at: Timestamp,
) -> Result<(), TransitionError> {
    let cutoff = s.set.cutoff;
    let level = s.r().risk_level.expect("assessed before allocation");
    let allocated_at = plus_minutes(assessed_at, odds::allocation_minutes(rng, level));
    if allocated_at >= cutoff {
        return Ok(());
    }
    let officer = match rng.random_bool(0.05) {
        true => &team.sergeant,
        false => &team.officers[rng.random_range(0..team.officers.len())],
    };
    let r = s.r();
    r.status = allocate(r.status, r.bcu.is_some())?;
    r.allocated_to = Some(officer.id);
    r.allocated_name = Some(officer.display_name.clone());
    s.new.allocated_at = Some(allocated_at);
    let summary = format!("Allocated to {}", officer.display_name);
    s.step(allocated_at, &team.sergeant, "allocated", summary);

    if rng.random_bool(odds::CLOSED_WITHOUT_ENFORCEMENT) {
        let at = plus_minutes(allocated_at, days(rng, 10, 90));
        let code = weighted(rng, odds::OUTCOMES_WITHOUT_ENFORCEMENT);
        return finish(rng, s, code, officer, at);
    }
    let enforced_at = odds::enforcement_time(rng, s.r().due_at, allocated_at, level);
    if enforced_at >= cutoff {
        return Ok(());
    }
    let kind = odds::enforcement_kind(rng);
    let notes = text::enforcement_notes(rng, kind);
    let r = s.r();
    r.status = enforce(r.status)?;
    r.first_enforcement_at = Some(enforced_at);
    let when = domain::time::display(enforced_at);
    s.step(
        enforced_at,
        officer,
        "enforcement",
        format!("{} on {when}: {notes}", kind.label()),
    );

    let closed_at = plus_minutes(enforced_at, odds::investigation_minutes(rng));
    let code = weighted(rng, odds::OUTCOMES);
    finish(rng, s, code, officer, closed_at)
}

/// Record an outcome at `at` if it is before the cutoff: an NFA outcome by the BCU's sergeant, any other
/// by `by` (the officer, or the central desk for an unrouted referral).
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
    let closer = match s.team {
        Some(team) if is_nfa => team.sergeant.clone(),
        _ => by.clone(),
    };
    let by_supervisor = closer.role == domain::Role::Supervisor;
    let rationale = text::rationale(rng, code.number);
    let r = s.r();
    r.status = close(r.status, code, &rationale, is_nfa, by_supervisor)?;
    r.outcome = Some(code);
    r.outcome_rationale = Some(rationale.clone());
    r.closed_at = Some(at);
    let summary = format!("Outcome {code} ({}): {rationale}", code.label());
    s.step(at, &closer, "outcome", summary);
    Ok(())
}
