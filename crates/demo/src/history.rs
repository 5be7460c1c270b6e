//! What happened to each referral before the demo's creation day: triage, allocation within its own BCU,
//! the first enforcement action (usually within target, sometimes late) and an outcome. Every step is checked
//! with the same `domain::referral` rule the product applies, written to the timeline by the person who
//! took it, and only kept if it happened before the creation day began, so recent referrals are still open.

use crate::calendar::{days, plus_minutes};
use crate::force::{Roster, TeamBcu};
use crate::names::weighted;
use crate::referrals::Arrival;
use crate::{odds, text};
use domain::referral::{OutcomeFacts, allocate, assess, decide, enforce, propose, reopen};
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
    /// The force's risk instrument.
    pub instrument: &'a domain::instrument::Instrument,
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

    /// An outcome decision, recorded as the product records one beside its timeline step.
    fn decision(
        &mut self,
        kind: &'static str,
        code: Option<OutcomeCode>,
        text: &str,
        by: &User,
        at: Timestamp,
    ) {
        self.new.decisions.push(store::NewDecision {
            kind,
            code,
            text: (!text.is_empty()).then(|| text.to_string()),
            by: Some(by.id),
            at,
        });
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
    // The instrument's assessment behind the level, signed off (or overridden) by the BCU's sergeant.
    if let Some(team) = team {
        let decided_at = plus_minutes(assessed_at, rng.random_range(20..8 * 60));
        s.new.assessment = crate::assessments::assessment(
            rng,
            set.instrument,
            level,
            assessor,
            assessed_at,
            &team.sergeant,
            decided_at,
            set.cutoff,
        );
    }
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
    let code = odds::outcome(rng, level);
    finish(rng, s, code, officer, closed_at)
}

/// Record an outcome at `at` if it is before the cutoff, as the product does: `by` (the officer, or the
/// central desk for an unrouted referral) proposes it; a no-further-action code waits for the BCU's
/// sergeant, who sometimes returns it first with a reason and may not have decided yet by the creation day.
/// A few closed referrals are later reopened by the sergeant.
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
    let rationale = text::rationale(rng, code.number);
    // Outcome 21 is recorded with the child's parent or guardian told, as its rationale says.
    let informed = (code.number == 21).then_some(domain::referral::InformedWho::ParentOrGuardian);
    let facts = OutcomeFacts {
        named_suspect: true,
        informed,
    };
    s.r().victim_informed = informed;
    let prior = s.r().status;
    let (proposal, _) = propose(prior, code, &rationale, s.set.nfa, facts)?;
    // The sergeant decides; what the sergeant proposed, the BCU lead decides.
    let sergeant = s.team.map(|t| {
        if t.sergeant.id == by.id {
            t.lead.clone()
        } else {
            t.sergeant.clone()
        }
    });
    let Some(sergeant) =
        sergeant.filter(|_| proposal == domain::referral::Proposal::AwaitsApproval)
    else {
        close_at(s, code, &rationale, prior, at, by, false);
        return reopen_later(rng, s, at);
    };
    // Proposed, then the sergeant's decision a few days later: sometimes a return first.
    propose_at(s, code, &rationale, prior, at, by);
    let mut decided_at = plus_minutes(at, days(rng, 1, 6));
    if rng.random_bool(odds::NFA_RETURNED) {
        if decided_at >= s.set.cutoff {
            return Ok(());
        }
        let reason = text::return_reason(rng);
        let r = s.r();
        r.status = decide(
            r.status,
            r.prior_status,
            Some(by.id),
            sergeant.id,
            false,
            &reason,
        )?;
        clear_outcome(r);
        s.step(
            decided_at,
            &sergeant,
            "outcome_returned",
            format!("Proposed outcome {code} returned: {reason}"),
        );
        s.decision("returned", Some(code), &reason, &sergeant, decided_at);
        let again = plus_minutes(decided_at, days(rng, 2, 14));
        if again >= s.set.cutoff {
            return Ok(());
        }
        let rationale = format!("{rationale}. {}", text::after_return(rng));
        propose_at(s, code, &rationale, prior, again, by);
        decided_at = plus_minutes(again, days(rng, 1, 6));
    }
    if decided_at >= s.set.cutoff {
        return Ok(());
    }
    let r = s.r();
    decide(r.status, r.prior_status, Some(by.id), sergeant.id, true, "")?;
    let rationale = r.outcome_rationale.clone().unwrap_or_default();
    close_at(s, code, &rationale, prior, decided_at, &sergeant, true);
    reopen_later(rng, s, decided_at)
}

fn propose_at(
    s: &mut Story<'_>,
    code: OutcomeCode,
    rationale: &str,
    prior: domain::Status,
    at: Timestamp,
    by: &User,
) {
    let r = s.r();
    r.status = domain::Status::OutcomeProposed;
    r.prior_status = Some(prior);
    r.outcome = Some(code);
    r.outcome_rationale = Some(rationale.to_string());
    r.outcome_proposed_by = Some(by.id);
    r.outcome_proposed_at = Some(at);
    let summary = format!(
        "Outcome {code} ({}) proposed, awaiting a supervisor's approval: {rationale}",
        code.label()
    );
    s.step(at, by, "outcome_proposed", summary);
    s.decision("proposed", Some(code), rationale, by, at);
}

fn clear_outcome(r: &mut Referral) {
    r.outcome = None;
    r.outcome_rationale = None;
    r.outcome_proposed_by = None;
    r.outcome_proposed_at = None;
    r.prior_status = None;
    r.closed_at = None;
    r.retention_review_on = None;
}

fn close_at(
    s: &mut Story<'_>,
    code: OutcomeCode,
    rationale: &str,
    prior: domain::Status,
    at: Timestamp,
    by: &User,
    approved: bool,
) {
    let r = s.r();
    r.status = domain::Status::Closed;
    r.prior_status = Some(prior);
    r.outcome = Some(code);
    r.outcome_rationale = Some(rationale.to_string());
    r.closed_at = Some(at);
    r.retention_review_on =
        Some(domain::retention::RetentionTable::default().first_review(None, at));
    let summary = if approved {
        format!("Outcome {code} ({}) approved: {rationale}", code.label())
    } else {
        format!("Outcome {code} ({}): {rationale}", code.label())
    };
    s.step(at, by, "outcome", summary);
    s.decision(
        if approved { "approved" } else { "closed" },
        Some(code),
        rationale,
        by,
        at,
    );
}

/// A few closed referrals are reopened by the BCU's sergeant, with a reason.
fn reopen_later(
    rng: &mut impl Rng,
    s: &mut Story<'_>,
    closed_at: Timestamp,
) -> Result<(), TransitionError> {
    let Some(sergeant) = s.team.map(|t| t.sergeant.clone()) else {
        return Ok(());
    };
    if !rng.random_bool(odds::REOPENED) {
        return Ok(());
    }
    let at = plus_minutes(closed_at, days(rng, 5, 60));
    if at >= s.set.cutoff {
        return Ok(());
    }
    let reason = text::reopen_reason(rng);
    let r = s.r();
    let code = r.outcome;
    r.status = reopen(r.status, r.prior_status, &reason)?;
    clear_outcome(r);
    let summary = match code {
        Some(c) => format!("Reopened, outcome {c} set aside: {reason}"),
        None => format!("Reopened: {reason}"),
    };
    s.step(at, &sergeant, "reopened", summary);
    s.decision("reopened", code, &reason, &sergeant, at);
    Ok(())
}
