//! A referral's use cases: each step that moves it on (risk level, route, allocation, enforcement,
//! outcome), and, in [`read`], the queue and reading one with everything its page shows. Every one passes the
//! need-to-know check in [`crate::access`], then the state rules in `domain`, then a versioned store change,
//! so the pages, the API and the command line apply exactly the same checks.

use crate::access::open_referral;
use crate::{Actor, App, Error};
use domain::audit::Processing;
use domain::{
    Action, EnforcementKind, OutcomeCode, Referral, RiskLevel, Status, TransitionError,
    referral as rules,
};
use jiff::Timestamp;
use store::ReferralChange;

mod export;
mod read;

pub use export::export_queue;
pub(crate) use read::people_of;

pub use read::{
    Dossier, Queue, QueueRequest, Received, StatusFilter, dossier, people, queue, read, scope_name,
    timeline,
};

fn rule(e: TransitionError) -> Error {
    match e {
        // A closed referral answers 409: the request is not wrong, the referral has moved on.
        TransitionError::Closed => closed(),
        e => match e.field() {
            Some(field) => Error::invalid_at(e.code(), capitalise(&e.to_string()), field),
            None => Error::invalid(e.code(), capitalise(&e.to_string())),
        },
    }
}

/// The answer to any change of a closed referral other than reopening it.
pub fn closed() -> Error {
    Error::AlreadyDone {
        code: "referral.closed",
        message: "This referral is closed: only a supervisor can reopen it, with a reason.".into(),
    }
}

/// The first letter in capitals (domain's messages start lower-case).
pub(crate) fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

async fn apply(
    app: &App,
    actor: &Actor,
    r: &Referral,
    version: i64,
    change: ReferralChange,
) -> Result<Referral, Error> {
    let after = app
        .store()
        .update_referral(r.id, version, &change, &actor.author())
        .await?;
    // Review clocks follow the referral: started once it is allocated, ended when it closes; the plan is
    // made at allocation, and its actions' clocks start with their events.
    crate::supervision::after_step(app, &after).await?;
    crate::plans::after_step(app, &after, actor).await?;
    Ok(after)
}

/// Record a risk level with its reason; the clock moves to the level's target.
pub async fn assess(
    app: &App,
    actor: &Actor,
    id: &str,
    version: i64,
    level: RiskLevel,
    reason: &str,
) -> Result<Referral, Error> {
    let r = open_referral(
        app,
        actor,
        id,
        Action::AssessRisk,
        Processing::Alteration,
        "record risk level",
    )
    .await?;
    let status = rules::assess(r.status, level, reason).map_err(rule)?;
    let due_at = app.config().timeliness.enforcement_due(&r, level);
    let change = ReferralChange::Assess {
        level,
        reason: reason.trim().to_string(),
        due_at,
        clock_version: app.config().timeliness.version.clone(),
        status,
        instrument: None,
    };
    apply(app, actor, &r, version, change).await
}

/// Route an unrouted referral to a BCU (the central desk).
pub async fn route(
    app: &App,
    actor: &Actor,
    id: &str,
    version: i64,
    bcu_code: &str,
) -> Result<Referral, Error> {
    let r = open_referral(
        app,
        actor,
        id,
        Action::Allocate,
        Processing::Alteration,
        "route to BCU",
    )
    .await?;
    rules::check_route(actor.user.role, &r).map_err(|e| match e {
        rules::RouteError::Step(step) => rule(step),
        other => Error::invalid(other.code(), other.to_string()),
    })?;
    let bcu = app
        .store()
        .bcu_by_code(r.force, bcu_code.trim())
        .await?
        .ok_or_else(|| {
            Error::invalid(
                "referral.unknown_bcu",
                format!("There is no BCU with code '{bcu_code}'."),
            )
        })?;
    let rerouted = rules::reroute(&r, bcu.id);
    apply(
        app,
        actor,
        &r,
        version,
        ReferralChange::Route {
            release_officer: rerouted.release_officer,
            status: rerouted.status,
            bcu: bcu.id,
            bcu_name: bcu.name,
        },
    )
    .await
}

/// Allocate to an officer of the referral's own BCU.
pub async fn allocate(
    app: &App,
    actor: &Actor,
    id: &str,
    version: i64,
    officer: &str,
) -> Result<Referral, Error> {
    let r = open_referral(
        app,
        actor,
        id,
        Action::Allocate,
        Processing::Alteration,
        "allocate",
    )
    .await?;
    let status = rules::allocate(r.status, r.bcu.is_some()).map_err(rule)?;
    let officer = app
        .store()
        .user_by_username(officer.trim())
        .await?
        .filter(|u| rules::may_be_allocated(u, &r))
        .ok_or_else(|| {
            Error::invalid(
                "referral.unknown_officer",
                format!("'{officer}' is not an officer of this referral's BCU."),
            )
        })?;
    apply(
        app,
        actor,
        &r,
        version,
        ReferralChange::Allocate {
            officer: officer.id,
            officer_name: officer.display_name,
            status,
        },
    )
    .await
}

/// An enforcement action as recorded by an officer.
pub struct Enforcement<'a> {
    /// Warrant, arrest or voluntary interview.
    pub kind: EnforcementKind,
    /// When it happened.
    pub at: Timestamp,
    /// Where (required for a warrant; must be corroborated).
    pub address: Option<&'a str>,
    /// Notes.
    pub notes: &'a str,
}

/// Record an enforcement action (the first stops the timeliness clock).
pub async fn enforce(
    app: &App,
    actor: &Actor,
    id: &str,
    version: i64,
    action: Enforcement<'_>,
) -> Result<Referral, Error> {
    let Enforcement {
        kind,
        at,
        address,
        notes,
    } = action;
    let r = open_referral(
        app,
        actor,
        id,
        Action::RecordEnforcement,
        Processing::Alteration,
        "record enforcement",
    )
    .await?;
    let status = rules::enforce(r.status).map_err(rule)?;
    let address = rules::check_enforcement(kind, at, address, r.received_at, Timestamp::now())
        .map_err(|e| Error::invalid(e.code(), e.to_string()))?;
    if let Some(a) = address.as_deref() {
        // Never act on an address that only one IP event (or none) points to.
        let c = app.store().corroboration_of(r.id, a).await?;
        if !c.is_corroborated() {
            return Err(Error::invalid(
                "referral.uncorroborated",
                format!(
                    "{}. Enforcement at this address cannot be recorded yet.",
                    c.describe()
                ),
            ));
        }
    }
    let notes = match address.as_deref() {
        Some(a) => format!("at {a}. {}", notes.trim())
            .trim_end_matches(". ")
            .to_string(),
        None => notes.trim().to_string(),
    };
    apply(
        app,
        actor,
        &r,
        version,
        ReferralChange::Enforce {
            kind,
            at,
            notes,
            status,
        },
    )
    .await
}

/// A proposed outcome as the officer gives it.
pub struct OutcomeRequest<'a> {
    /// The Home Office code.
    pub code: OutcomeCode,
    /// Why.
    pub rationale: &'a str,
    /// For code 21: who was told of the decision.
    pub informed: Option<domain::referral::InformedWho>,
}

/// What proposing an outcome did: the referral (closed, or awaiting approval) and warnings for the officer.
#[derive(Debug)]
pub struct Proposed {
    /// The referral after the step.
    pub referral: Referral,
    /// A code that disagrees with what is known of the suspect.
    pub warnings: Vec<String>,
}

/// Propose the Home Office outcome with its rationale: a code in the force's no-further-action set waits
/// for a supervisor (`outcome_proposed`); any other closes the referral now.
pub async fn propose_outcome(
    app: &App,
    actor: &Actor,
    id: &str,
    version: i64,
    req: OutcomeRequest<'_>,
) -> Result<Proposed, Error> {
    let r = open_referral(
        app,
        actor,
        id,
        Action::RecordOutcome,
        Processing::Alteration,
        "record outcome",
    )
    .await?;
    let facts = rules::OutcomeFacts {
        named_suspect: named_suspect(app, &r).await?,
        informed: req.informed,
    };
    let (step, warnings) =
        rules::propose(r.status, req.code, req.rationale, &app.config().nfa, facts)
            .map_err(rule)?;
    let rationale = req.rationale.trim().to_string();
    let change = match step {
        rules::Proposal::AwaitsApproval => ReferralChange::ProposeOutcome {
            code: req.code,
            rationale,
            informed: req.informed,
            prior: r.status,
        },
        rules::Proposal::Closes => ReferralChange::Close {
            code: req.code,
            rationale,
            informed: req.informed,
            prior: r.status,
            retention_review_on: app.config().retention.first_review(None, Timestamp::now()),
            approved: false,
        },
    };
    let referral = apply(app, actor, &r, version, change).await?;
    Ok(Proposed { referral, warnings })
}

/// Whether a suspect is named: the reported person has a name, or a provider named the subscriber.
async fn named_suspect(app: &App, r: &Referral) -> Result<bool, Error> {
    let p = &r.reported_person;
    if p.first_name.is_some() || p.last_name.is_some() {
        return Ok(true);
    }
    Ok(app.store().cd_requests(r.id).await?.iter().any(|q| {
        q.subscriber
            .as_deref()
            .is_some_and(|s| !s.trim().is_empty())
    }))
}

/// A supervisor's decision on a proposed outcome: approve (the referral closes) or return it with a reason
/// (back to the status it had). Nobody decides on their own proposal.
pub async fn decide_outcome(
    app: &App,
    actor: &Actor,
    id: &str,
    version: i64,
    approve: bool,
    reason: &str,
) -> Result<Referral, Error> {
    let r = open_referral(
        app,
        actor,
        id,
        Action::ApproveNfa,
        Processing::Alteration,
        "decide outcome",
    )
    .await?;
    let status = rules::decide(
        r.status,
        r.prior_status,
        r.outcome_proposed_by,
        actor.user.id,
        approve,
        reason,
    )
    .map_err(rule)?;
    let code = r.outcome.ok_or_else(|| {
        Error::Internal("a referral awaiting a decision has no proposed outcome".into())
    })?;
    let change = if status == Status::Closed {
        ReferralChange::Close {
            code,
            rationale: r.outcome_rationale.clone().unwrap_or_default(),
            informed: r.victim_informed,
            prior: r.prior_status.unwrap_or(Status::Allocated),
            retention_review_on: app.config().retention.first_review(None, Timestamp::now()),
            approved: true,
        }
    } else {
        ReferralChange::ReturnOutcome {
            code,
            reason: reason.trim().to_string(),
            status,
        }
    };
    apply(app, actor, &r, version, change).await
}

/// A supervisor reopens a closed referral with a reason: it returns to the status it had before closing;
/// the old outcome stays on its timeline.
pub async fn reopen(
    app: &App,
    actor: &Actor,
    id: &str,
    version: i64,
    reason: &str,
) -> Result<Referral, Error> {
    let r = open_referral(
        app,
        actor,
        id,
        Action::ReopenReferral,
        Processing::Alteration,
        "reopen",
    )
    .await?;
    let status = rules::reopen(r.status, r.prior_status, reason).map_err(rule)?;
    apply(
        app,
        actor,
        &r,
        version,
        ReferralChange::Reopen {
            code: r.outcome,
            reason: reason.trim().to_string(),
            status,
        },
    )
    .await
}
