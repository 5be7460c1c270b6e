//! Work lists: an investigator's "My work" (their referrals, what falls due today, what is overdue), a BCU's
//! "Team" for its sergeant and BCU lead (awaiting allocation with each officer's caseload and breaches, sign-offs
//! and outcome decisions waiting, reviews overdue, breaches, paused clocks), and the central desk's unrouted
//! referrals with the escalated ones first. Each is a logged consultation of the referrals it lists.

use crate::access;
use crate::supervision::{ClockView, clocks_of};
use crate::{Actor, App, Error};
use domain::audit::{AccessOutcome, Processing};
use domain::clocks::{ClockKind, ClockState};
use domain::{Action, BcuId, Referral, Role, User};
use jiff::Timestamp;
use store::ListOf;

/// One clock of a listed referral.
#[derive(Clone, Debug)]
pub struct ClockDue {
    /// The referral.
    pub referral: Referral,
    /// The clock (its label names a plan action by its title).
    pub clock: ClockView,
    /// When it falls due.
    pub due_at: Timestamp,
}

/// Log the reading of a work list of `n` referrals.
async fn logged(app: &App, actor: &Actor, what: &str, n: usize) -> Result<(), Error> {
    access::log(
        app,
        actor,
        Processing::Consultation,
        "referral",
        "-",
        AccessOutcome::Allowed,
        format!("{what}: listed {n} referrals"),
    )
    .await
}

/// The running clocks of `r` (its own triage or enforcement clock included) as at `now`.
async fn running(app: &App, r: &Referral, now: Timestamp) -> Result<Vec<ClockDue>, Error> {
    let mut out = vec![];
    if r.clock_running() {
        let (kind, label) = match r.clock {
            domain::Clock::Triage => (ClockKind::Triage, "Risk assessment"),
            domain::Clock::Enforcement(_) => (ClockKind::Enforcement, "First enforcement action"),
        };
        let state = if now > r.due_at {
            ClockState::Overdue
        } else {
            ClockState::OnTime
        };
        out.push(ClockDue {
            referral: r.clone(),
            clock: ClockView {
                id: String::new(),
                kind,
                label: label.into(),
                state,
                started_at: String::new(),
                due_at: r.due_at.to_string(),
                stopped_at: None,
                paused_seconds: 0,
                paused_because: None,
                late_code: None,
                may_pause: false,
            },
            due_at: r.due_at,
        });
    }
    for c in clocks_of(app, r).await? {
        if let Some(stopped) = &c.stopped_at {
            // Kept only when missed in the last 28 days.
            let recent = stopped
                .parse::<Timestamp>()
                .is_ok_and(|t| now.duration_since(t) < jiff::SignedDuration::from_hours(28 * 24));
            if !(c.state == ClockState::Missed && recent) {
                continue;
            }
        }
        let due_at: Timestamp = c
            .due_at
            .parse()
            .map_err(|_| Error::Internal("a clock's due time".into()))?;
        out.push(ClockDue {
            referral: r.clone(),
            clock: c,
            due_at,
        });
    }
    Ok(out)
}

/// An investigator's work.
#[derive(Clone, Debug)]
pub struct MyWork {
    /// Their open referrals, soonest due first.
    pub referrals: Vec<Referral>,
    /// Clocks of theirs past due, oldest first.
    pub overdue: Vec<ClockDue>,
    /// Clocks of theirs due today (London), soonest first.
    pub due_today: Vec<ClockDue>,
    /// Remedial actions from quality reviews on referrals allocated to them (closed ones included), soonest due
    /// first.
    pub remedial: Vec<crate::quality::RemedialView>,
}

/// The signed-in officer's work.
pub async fn my_work(app: &App, actor: &Actor) -> Result<MyWork, Error> {
    access::require(
        app,
        actor,
        Action::ListReferrals,
        Processing::Consultation,
        "read my work",
    )
    .await?;
    let referrals = app
        .store()
        .work_list(ListOf::Officer(actor.user.id))
        .await?;
    let now = Timestamp::now();
    let today = domain::time::in_london(now).date();
    let (mut overdue, mut due_today) = (vec![], vec![]);
    for r in &referrals {
        for c in running(app, r, now).await? {
            match c.clock.state {
                ClockState::Overdue => overdue.push(c),
                ClockState::Paused => {}
                _ if domain::time::in_london(c.due_at).date() == today => due_today.push(c),
                _ => {}
            }
        }
    }
    overdue.sort_by_key(|c| c.due_at);
    due_today.sort_by_key(|c| c.due_at);
    let mut remedial = vec![];
    if let Some(bcu) = actor.user.bcu {
        for a in crate::quality::open_remedial(app, actor.user.force, bcu).await? {
            let mine = app
                .store()
                .referral(a.referral_id)
                .await?
                .is_some_and(|r| r.allocated_to == Some(actor.user.id));
            if mine {
                remedial.push(a);
            }
        }
    }
    let listed: std::collections::HashSet<_> = referrals
        .iter()
        .map(|r| r.id)
        .chain(remedial.iter().map(|a| a.referral_id))
        .collect();
    logged(app, actor, "my work", listed.len()).await?;
    Ok(MyWork {
        referrals,
        overdue,
        due_today,
        remedial,
    })
}

/// An officer of the team with their load.
#[derive(Clone, Debug)]
pub struct Officer {
    /// The officer.
    pub user: User,
    /// Their open referrals.
    pub open: i64,
    /// Their clocks past due now.
    pub breaches: usize,
}

/// A BCU's team view.
#[derive(Clone, Debug)]
pub struct Team {
    /// The BCU (code and name).
    pub bcu: domain::Bcu,
    /// Assessed, routed here, not yet allocated.
    pub awaiting_allocation: Vec<Referral>,
    /// Each officer who may be allocated work, with their caseload and breaches.
    pub officers: Vec<Officer>,
    /// Completed instruments awaiting a supervisor's sign-off.
    pub awaiting_sign_off: Vec<Referral>,
    /// Proposed outcomes awaiting approval.
    pub awaiting_outcome: Vec<Referral>,
    /// Supervisory reviews past due.
    pub reviews_overdue: Vec<ClockDue>,
    /// Supervisory reviews falling due later today (London).
    pub reviews_due_today: Vec<ClockDue>,
    /// Every other clock past due (targets being breached now), of allocated and unallocated referrals alike.
    pub breaches: Vec<ClockDue>,
    /// Clocks a supervisor paused, with why.
    pub paused: Vec<ClockDue>,
    /// Clocks of open referrals stopped late in the last 28 days (a social care referral made late beside an
    /// enforcement on time shows here).
    pub missed: Vec<ClockDue>,
    /// Remedial actions from quality reviews still open (closed referrals included), soonest due first.
    pub remedial: Vec<crate::quality::RemedialView>,
}

/// The team view of a BCU: a sergeant's or BCU lead's own; for the central desk and auditors, the BCU with
/// `code`. Investigators have no team view.
pub async fn team(app: &App, actor: &Actor, code: Option<&str>) -> Result<Team, Error> {
    let role = actor.user.role;
    if !matches!(
        role,
        Role::Supervisor | Role::BcuLead | Role::CentralTriage | Role::Auditor
    ) {
        return Err(Error::Forbidden);
    }
    access::require(
        app,
        actor,
        Action::ListReferrals,
        Processing::Consultation,
        "read team work",
    )
    .await?;
    let force = actor.user.force;
    let bcus = app.store().list_bcus(force).await?;
    let bcu = match (actor.user.bcu, code) {
        (Some(own), _) => bcus.into_iter().find(|b| b.id == own),
        (None, Some(c)) => bcus
            .into_iter()
            .find(|b| b.code.eq_ignore_ascii_case(c.trim())),
        (None, None) => None,
    }
    .ok_or(Error::NotFound)?;
    let id: BcuId = bcu.id;
    let store = app.store();
    let now = Timestamp::now();
    let today = domain::time::in_london(now).date();
    let open = store.work_list(ListOf::Open(force, id)).await?;
    let (mut reviews_overdue, mut reviews_today, mut breaches, mut paused, mut missed) =
        (vec![], vec![], vec![], vec![], vec![]);
    let mut breaches_of = std::collections::HashMap::new();
    for r in &open {
        // Remedial actions have their own list (closed referrals' included).
        for c in running(app, r, now)
            .await?
            .into_iter()
            .filter(|c| c.clock.kind != ClockKind::RemedialAction)
        {
            match c.clock.state {
                ClockState::Overdue => {
                    if let Some(u) = r.allocated_to {
                        *breaches_of.entry(u).or_insert(0usize) += 1;
                    }
                    if c.clock.kind == ClockKind::SupervisionReview {
                        reviews_overdue.push(c);
                    } else {
                        breaches.push(c);
                    }
                }
                ClockState::Paused => paused.push(c),
                ClockState::Missed => missed.push(c),
                // Running and not yet due (stopped clocks reach here only when missed, matched above).
                _ if c.clock.kind == ClockKind::SupervisionReview
                    && domain::time::in_london(c.due_at).date() == today =>
                {
                    reviews_today.push(c)
                }
                _ => {}
            }
        }
    }
    for list in [
        &mut reviews_overdue,
        &mut reviews_today,
        &mut breaches,
        &mut paused,
        &mut missed,
    ] {
        list.sort_by_key(|c| c.due_at);
    }
    let users = store.list_users(force, Some(id)).await?;
    let officers = store
        .caseloads(force, id)
        .await?
        .into_iter()
        .filter_map(|(u, n)| {
            let user = users.iter().find(|x| x.id == u)?.clone();
            matches!(user.role, Role::Investigator | Role::Supervisor).then(|| Officer {
                breaches: breaches_of.get(&u).copied().unwrap_or(0),
                open: n,
                user,
            })
        })
        .collect();
    let awaiting_allocation = store
        .work_list(ListOf::AwaitingAllocation(force, id))
        .await?;
    let awaiting_sign_off = store.work_list(ListOf::AwaitingSignOff(force, id)).await?;
    let awaiting_outcome = store
        .work_list(ListOf::AwaitingOutcomeDecision(force, id))
        .await?;
    let remedial = crate::quality::open_remedial(app, force, id).await?;
    // The consultation names every referral the view shows, each once, whichever lists it is on.
    let listed: std::collections::HashSet<_> =
        [&awaiting_allocation, &awaiting_sign_off, &awaiting_outcome]
            .into_iter()
            .flatten()
            .map(|r| r.id)
            .chain(
                [
                    &reviews_overdue,
                    &reviews_today,
                    &breaches,
                    &paused,
                    &missed,
                ]
                .into_iter()
                .flatten()
                .map(|c| c.referral.id),
            )
            .chain(remedial.iter().map(|a| a.referral_id))
            .collect();
    logged(
        app,
        actor,
        &format!("team work of {}", bcu.code),
        listed.len(),
    )
    .await?;
    Ok(Team {
        awaiting_allocation,
        awaiting_sign_off,
        awaiting_outcome,
        officers,
        reviews_overdue,
        reviews_due_today: reviews_today,
        breaches,
        paused,
        missed,
        remedial,
        bcu,
    })
}

/// The BCUs whose team view a user without a BCU of their own may open (the central desk and auditors); an
/// investigator, sergeant or BCU lead has their own BCU's only.
pub async fn team_choices(app: &App, actor: &Actor) -> Result<Vec<domain::Bcu>, Error> {
    if actor.user.bcu.is_some() || !matches!(actor.user.role, Role::CentralTriage | Role::Auditor) {
        return Err(Error::Forbidden);
    }
    Ok(app.store().list_bcus(actor.user.force).await?)
}

/// How many escalated referrals wait unrouted (the central desk's header count); none for other roles.
pub async fn escalated_unrouted(app: &App, actor: &Actor) -> Result<Option<i64>, Error> {
    if actor.user.role != Role::CentralTriage {
        return Ok(None);
    }
    Ok(Some(
        app.store()
            .escalated_unrouted_count(actor.user.force)
            .await?,
    ))
}

/// The central desk's escalated referrals still unrouted, soonest due first (a logged consultation).
pub async fn escalated_unrouted_list(app: &App, actor: &Actor) -> Result<Vec<Referral>, Error> {
    if actor.user.role != Role::CentralTriage {
        return Err(Error::Forbidden);
    }
    access::require(
        app,
        actor,
        Action::ListReferrals,
        Processing::Consultation,
        "read escalated unrouted referrals",
    )
    .await?;
    let list = app
        .store()
        .work_list(ListOf::EscalatedUnrouted(actor.user.force))
        .await?;
    logged(app, actor, "escalated unrouted referrals", list.len()).await?;
    Ok(list)
}
