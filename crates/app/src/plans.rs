//! The offence and the investigation plan: the offence is confirmed (at risk assessment, or later) with the
//! methods beside it; allocation makes the plan from the template of the referral's offence; each action is a
//! clock once the event it counts from has happened, and is completed (late only with a reason code), set
//! aside with a reason, or added by hand. Until exhibits exist, the investigator completes forensics actions.

use crate::access::open_referral;
use crate::{Actor, App, Error};
use domain::Action;
use domain::audit::Processing;
use domain::clocks::{Clock, ClockKind, ClockState, LateReason};
use domain::offence::Offence;
use domain::plans::{Doer, Events, StartEvent, action_clock};
use domain::{Referral, Status};
use jiff::Timestamp;
use store::{NewPlanAction, PlanActionRow};

/// The longest title, guidance or reason an action takes.
pub const MAX_ACTION_TEXT: usize = 10_000;

/// A plan action as a page or the API shows it.
#[derive(Clone, Debug, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActionView {
    /// Its id.
    pub id: String,
    /// What to do.
    pub title: String,
    /// Who does it.
    pub who: Doer,
    /// Guidance for the officer.
    pub guidance: String,
    /// `open`, `done` or `not_applicable`.
    pub status: String,
    /// The event its due time counts from (none for a fixed date).
    pub from: Option<StartEvent>,
    /// When it falls due (RFC 3339), once its event has happened.
    pub due_at: Option<String>,
    /// Its clock's state, once its event has happened.
    pub state: Option<ClockState>,
    /// Its clock's id (what pausing names).
    pub clock_id: Option<String>,
    /// When it was done or set aside (RFC 3339).
    pub done_at: Option<String>,
    /// Who did it or set it aside.
    pub done_by: Option<String>,
    /// Why it does not apply.
    pub note: Option<String>,
    /// The template it came from (`safeguard-default 1.0.0`), or none when added by hand.
    pub plan_version: Option<String>,
}

fn rfc3339(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The referral's plan, with each action's clock as at now.
pub async fn plan_of(app: &App, r: &Referral) -> Result<Vec<ActionView>, Error> {
    plan_of_id(app, r.id).await
}

/// The plan of the referral `id`, as [`plan_of`] gives it.
pub async fn plan_of_id(app: &App, id: domain::ReferralId) -> Result<Vec<ActionView>, Error> {
    let now = Timestamp::now();
    let at_risk = app.config().timeliness.at_risk_percent;
    let clocks = app.store().clocks(id).await?;
    Ok(app
        .store()
        .plan(id)
        .await?
        .into_iter()
        .map(|a| {
            let clock = a
                .clock_id
                .as_ref()
                .and_then(|cid| clocks.iter().find(|c| &c.id == cid))
                .filter(|c| !c.cancelled);
            ActionView {
                id: a.id,
                title: a.title,
                who: a.who,
                guidance: a.guidance,
                status: a.status,
                from: a.start_event,
                due_at: clock.map(|c| rfc3339(c.clock.due_at(now))),
                state: clock.map(|c| c.clock.state(now, at_risk)),
                clock_id: a.clock_id,
                done_at: a.done_at.map(rfc3339),
                done_by: a.done_by,
                note: a.note,
                plan_version: a.plan_version,
            }
        })
        .collect())
}

/// A referral's plan (a logged consultation).
pub async fn plan(app: &App, actor: &Actor, id: &str) -> Result<Vec<ActionView>, Error> {
    let r = crate::access::read_referral(app, actor, id, "read plan").await?;
    plan_of(app, &r).await
}

fn events(r: &Referral, allocated_at: Option<Timestamp>, seizure: Option<Timestamp>) -> Events {
    Events {
        receipt: Some(r.received_at),
        allocation: allocated_at,
        first_enforcement: r.first_enforcement_at,
        device_seizure: seizure,
    }
}

/// The plan of a referral's offence from `config`'s plan set, its actions' clocks started from the events
/// that have happened (its allocation at `allocated_at`, the first device seized at `seizure`), with the
/// summary its timeline step gives.
pub fn new_plan(
    config: &crate::Config,
    r: &Referral,
    allocated_at: Timestamp,
    seizure: Option<Timestamp>,
) -> (Vec<NewPlanAction>, String) {
    let set = &config.plans;
    let offence = r.classification().offence;
    let ev = events(r, Some(allocated_at), seizure);
    let actions: Vec<NewPlanAction> = set
        .template(offence)
        .actions
        .iter()
        .map(|a| NewPlanAction {
            template: Some(a.id.clone()),
            plan_version: Some(format!("{} {}", set.id, set.version)),
            title: a.title.clone(),
            start_event: Some(a.from),
            due_target: Some(a.due),
            due_fixed: None,
            who: a.who,
            guidance: a.guidance.clone(),
            clock: action_clock(a.from, a.due, &ev),
        })
        .collect();
    let summary = format!(
        "Investigation plan for {} made ({} actions, plans {} {})",
        offence.label(),
        actions.len(),
        set.id,
        set.version
    );
    (actions, summary)
}

/// After a step changed the referral: an allocated one without a plan gets its offence's plan, and actions
/// whose start event has now happened get their clocks.
pub async fn after_step(app: &App, r: &Referral, actor: &Actor) -> Result<(), Error> {
    let now = Timestamp::now();
    make_or_advance(app, r, now, now, &actor.author()).await
}

/// Make the plan (its timeline step dated `made_at`) or start the clocks of actions whose event has happened.
async fn make_or_advance(
    app: &App,
    r: &Referral,
    allocated_at: Timestamp,
    made_at: Timestamp,
    author: &store::Actor,
) -> Result<(), Error> {
    if !r.status.is_open() || r.allocated_to.is_none() {
        return Ok(());
    }
    let store = app.store();
    let existing = store.plan(r.id).await?;
    // The first device seized (exhibits are devices and media): the start of the forensic actions.
    let seizure = store
        .exhibits_of(r.id)
        .await?
        .iter()
        .map(|e| e.seized_at)
        .min();
    if existing.is_empty() {
        let (actions, summary) = new_plan(app.config(), r, allocated_at, seizure);
        store
            .add_plan_actions(r.force, r.id, &actions, summary, made_at, author)
            .await?;
        return Ok(());
    }
    // Actions waiting for an event that has now happened.
    let ev = events(r, None, seizure);
    let started: Vec<(String, Clock)> = existing
        .iter()
        .filter(|a| a.status == "open" && a.clock_id.is_none())
        .filter_map(|a| {
            let (from, due) = (a.start_event?, a.due_target?);
            if from == StartEvent::Allocation {
                return None;
            }
            Some((a.id.clone(), action_clock(from, due, &ev)?))
        })
        .collect();
    if !started.is_empty() {
        store.start_action_clocks(r.force, r.id, &started).await?;
    }
    Ok(())
}

/// At start-up: give every allocated, open referral without a plan (allocated before plans existed) the plan
/// of its offence, its actions timed from its allocation. Returns how many plans were made.
pub async fn ensure_plans(app: &App) -> Result<usize, Error> {
    let author = store::Actor {
        user: None,
        username: "system".into(),
        display_name: "Safeguard (plans for referrals allocated before plans existed)".into(),
        justification: None,
    };
    make_missing_plans(app, &author, false).await
}

/// Give every allocated, open referral without a plan the plan of its offence, timed from its allocation, as
/// `author`; the timeline step is dated at the allocation when `as_at_allocation` (a history written after the
/// event, such as the demo's), else now.
pub async fn make_missing_plans(
    app: &App,
    author: &store::Actor,
    as_at_allocation: bool,
) -> Result<usize, Error> {
    let store = app.store();
    use futures_util::TryStreamExt;
    let missing = store.referrals_missing_plan().await?;
    let now = Timestamp::now();
    // Several at once: each referral's plan is its own, and the reads of one overlap the writes of another.
    futures_util::stream::iter(missing.iter().map(Ok::<_, Error>))
        .try_for_each_concurrent(8, |(id, allocated_at)| async move {
            if let Some(r) = store.referral(*id).await? {
                let made_at = if as_at_allocation { *allocated_at } else { now };
                make_or_advance(app, &r, *allocated_at, made_at, author).await?;
            }
            Ok(())
        })
        .await?;
    Ok(missing.len())
}

fn text(value: &str, field: &'static str) -> Result<String, Error> {
    let v = crate::supervision::text_field(value, field, "plan.invalid", MAX_ACTION_TEXT, true)?;
    Ok(v.unwrap_or_default())
}

async fn open_action(
    app: &App,
    actor: &Actor,
    id: &str,
    action_id: &str,
    detail: &str,
) -> Result<(Referral, PlanActionRow), Error> {
    let r = open_referral(
        app,
        actor,
        id,
        Action::WorkPlan,
        Processing::Alteration,
        detail,
    )
    .await?;
    let a = app
        .store()
        .plan(r.id)
        .await?
        .into_iter()
        .find(|a| a.id == action_id)
        .ok_or(Error::NotFound)?;
    if a.status != "open" {
        return Err(Error::AlreadyDone {
            code: "plan.already_done",
            message: "This action is already done or set aside.".into(),
        });
    }
    Ok((r, a))
}

/// Mark an open action done now, stopping its clock (after its due time only with a reason code).
pub(crate) async fn finish_done(
    app: &App,
    r: &Referral,
    a: &PlanActionRow,
    late: Option<LateReason>,
    author: &store::Actor,
) -> Result<(), Error> {
    let mut clock = match &a.clock_id {
        Some(cid) => app
            .store()
            .clocks(r.id)
            .await?
            .into_iter()
            .find(|c| &c.id == cid && !c.cancelled)
            .map(|c| c.clock),
        None => None,
    };
    let now = Timestamp::now();
    if let Some(c) = clock.as_mut() {
        c.stop(now, late, &app.config().timeliness.late_reasons)
            .map_err(crate::supervision::clock_error)?;
    }
    app.store()
        .finish_action(r.force, r.id, a, clock.as_ref(), true, None, now, author)
        .await
        .map_err(|e| match e {
            store::StoreError::Conflict => Error::AlreadyDone {
                code: "plan.already_done",
                message: "This action is already done or set aside.".into(),
            },
            other => other.into(),
        })?;
    Ok(())
}

/// Complete an action; one done after its due time needs a reason code from the force's list.
pub async fn complete(
    app: &App,
    actor: &Actor,
    id: &str,
    action_id: &str,
    late: Option<LateReason>,
) -> Result<Vec<ActionView>, Error> {
    let (r, a) = open_action(app, actor, id, action_id, "complete plan action").await?;
    finish_done(app, &r, &a, late, &actor.author()).await?;
    plan_of(app, &r).await
}

/// Set an action aside as not applicable, with a reason (its clock counts in no figure).
pub async fn not_applicable(
    app: &App,
    actor: &Actor,
    id: &str,
    action_id: &str,
    reason: &str,
) -> Result<Vec<ActionView>, Error> {
    let reason = text(reason, "reason")?;
    let (r, a) = open_action(app, actor, id, action_id, "set plan action aside").await?;
    app.store()
        .finish_action(
            r.force,
            r.id,
            &a,
            None,
            false,
            Some(&reason),
            Timestamp::now(),
            &actor.author(),
        )
        .await?;
    plan_of(app, &r).await
}

/// An action added by hand, due on a date.
pub struct NewAction<'a> {
    /// What to do.
    pub title: &'a str,
    /// Who does it.
    pub who: Doer,
    /// When it is due.
    pub due_at: Timestamp,
    /// Guidance (optional).
    pub guidance: &'a str,
}

/// Add an action to the referral's plan, due on a date.
pub async fn add(
    app: &App,
    actor: &Actor,
    id: &str,
    new: NewAction<'_>,
) -> Result<Vec<ActionView>, Error> {
    let r = open_referral(
        app,
        actor,
        id,
        Action::WorkPlan,
        Processing::Alteration,
        "add plan action",
    )
    .await?;
    let title = text(new.title, "title")?;
    let now = Timestamp::now();
    if new.due_at <= now {
        return Err(Error::invalid_at(
            "plan.invalid",
            "The due time must be in the future.",
            "due_at",
        ));
    }
    let guidance = crate::supervision::text_field(
        new.guidance,
        "guidance",
        "plan.invalid",
        MAX_ACTION_TEXT,
        false,
    )?
    .unwrap_or_default();
    let action = NewPlanAction {
        template: None,
        plan_version: None,
        title: title.clone(),
        start_event: None,
        due_target: None,
        due_fixed: Some(new.due_at),
        who: new.who,
        guidance,
        clock: Some(Clock::until(ClockKind::PlanAction, now, new.due_at)),
    };
    app.store()
        .add_plan_actions(
            r.force,
            r.id,
            std::slice::from_ref(&action),
            format!("Plan action added: {title}"),
            now,
            &actor.author(),
        )
        .await?;
    plan_of(app, &r).await
}

/// Record (confirm) the offence and the methods beside it.
pub async fn classify(
    app: &App,
    actor: &Actor,
    id: &str,
    version: i64,
    offence: Offence,
    sextortion: bool,
    live_streaming: bool,
) -> Result<Referral, Error> {
    let r = open_referral(
        app,
        actor,
        id,
        Action::AssessRisk,
        Processing::Alteration,
        "record offence",
    )
    .await?;
    if r.status == Status::Closed {
        return Err(crate::referrals::closed());
    }
    Ok(app
        .store()
        .update_referral(
            r.id,
            version,
            &store::ReferralChange::Classify {
                offence,
                sextortion,
                live_streaming,
            },
            &actor.author(),
        )
        .await?)
}
