//! Supervision: every allocated, open referral has a sergeant's review falling due the force's
//! `supervision_review` interval after allocation and then after each review; reviews are clocks, which a
//! supervisor may pause and resume with a reason. The decision log lists every supervisory decision on a
//! referral. Reading is part of the referral's logged consultation; every change is logged by the store.

use crate::access::{open_referral, read_referral};
use crate::{Actor, App, Error};
use domain::Action;
use domain::audit::Processing;
use domain::clocks::{Clock, ClockError, ClockKind, ClockState, LateReason};
use domain::{Referral, Status, TimelineEntry};
use jiff::Timestamp;

/// The longest text a review field takes.
pub const MAX_REVIEW_TEXT: usize = 10_000;

/// A clock as a page or the API shows it.
#[derive(Clone, Debug, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClockView {
    /// Its id (what pausing and resuming name).
    pub id: String,
    /// What it measures.
    pub kind: ClockKind,
    /// In words.
    pub label: String,
    /// Where it stands now.
    pub state: ClockState,
    /// When it started (RFC 3339).
    pub started_at: String,
    /// When it falls due, paused time excluded (RFC 3339).
    pub due_at: String,
    /// When it stopped (RFC 3339).
    pub stopped_at: Option<String>,
    /// Time paused so far, in seconds.
    pub paused_seconds: i64,
    /// The reason of the pause now in force.
    pub paused_because: Option<String>,
    /// The reason code it was stopped late with.
    pub late_code: Option<String>,
    /// Whether a supervisor may pause it.
    pub may_pause: bool,
}

fn rfc3339(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn view(id: String, c: &Clock, now: Timestamp, at_risk: u8) -> ClockView {
    ClockView {
        id,
        kind: c.kind,
        label: c.kind.label().to_string(),
        state: c.state(now, at_risk),
        started_at: rfc3339(c.started_at),
        due_at: rfc3339(c.due_at(now)),
        stopped_at: c.stopped_at.map(rfc3339),
        paused_seconds: c.paused_for(now).as_secs(),
        paused_because: c
            .pauses
            .last()
            .filter(|p| p.to.is_none())
            .map(|p| p.reason.clone()),
        late_code: c.late_reason.as_ref().map(|r| r.code.clone()),
        may_pause: c.kind.may_pause() && c.stopped_at.is_none(),
    }
}

/// The referral's clocks (those a closure cancelled are left out), as at now.
pub async fn clocks_of(app: &App, r: &Referral) -> Result<Vec<ClockView>, Error> {
    let now = Timestamp::now();
    let at_risk = app.config().timeliness.at_risk_percent;
    // A plan action's clock is named by its action, a forensic step's by its exhibit and step, a remedial
    // action's by what it asks.
    let plan = app.store().plan(r.id).await?;
    let mut named: Vec<(String, String)> = vec![];
    for e in app.store().exhibits_of(r.id).await? {
        for s in &e.steps {
            let step = s
                .step
                .parse::<domain::exhibits::ForensicStep>()
                .map(|x| x.label())
                .unwrap_or("Forensic step");
            named.push((
                s.clock_id.clone(),
                format!("Exhibit {}: {step}", e.reference),
            ));
        }
    }
    for a in app.store().remedial_of(r.id).await? {
        named.push((a.clock_id, format!("Remedial action: {}", a.action)));
    }
    Ok(app
        .store()
        .clocks(r.id)
        .await?
        .into_iter()
        .filter(|c| !c.cancelled)
        .map(|c| {
            let title = plan
                .iter()
                .find(|a| a.clock_id.as_deref() == Some(c.id.as_str()))
                .map(|a| format!("Plan action: {}", a.title))
                .or_else(|| {
                    named
                        .iter()
                        .find(|(id, _)| *id == c.id)
                        .map(|(_, label)| label.clone())
                });
            let mut v = view(c.id, &c.clock, now, at_risk);
            if let Some(t) = title {
                v.label = t;
            }
            v
        })
        .collect())
}

/// A referral's clocks (a logged consultation).
pub async fn clocks(app: &App, actor: &Actor, id: &str) -> Result<Vec<ClockView>, Error> {
    let r = read_referral(app, actor, id, "read clocks").await?;
    clocks_of(app, &r).await
}

/// A referral's reviews, oldest first (a logged consultation).
pub async fn reviews(app: &App, actor: &Actor, id: &str) -> Result<Vec<store::ReviewRow>, Error> {
    let r = read_referral(app, actor, id, "read reviews").await?;
    Ok(app.store().reviews(r.id).await?)
}

/// The timeline kinds that are a supervisor's decision.
const DECISIONS: [&str; 10] = [
    "allocated",
    "risk_signed_off",
    "risk_overridden",
    "supervision_review",
    "outcome_returned",
    "outcome",
    "reopened",
    "clock_paused",
    "clock_resumed",
    "routed",
];

/// The supervisory decisions on a referral's timeline, oldest first: allocation and reallocation, risk
/// sign-offs and overrides, reviews, outcome approvals and returns, reopenings, pauses.
pub fn decision_log(timeline: &[TimelineEntry]) -> Vec<&TimelineEntry> {
    timeline
        .iter()
        .filter(|t| DECISIONS.contains(&t.kind.as_str()))
        .filter(|t| t.kind != "outcome" || t.summary.contains("approved"))
        .collect()
}

/// A referral's decision log, oldest first (a logged consultation).
pub async fn decisions(app: &App, actor: &Actor, id: &str) -> Result<Vec<TimelineEntry>, Error> {
    let r = read_referral(app, actor, id, "read decision log").await?;
    let timeline = app.store().timeline(r.id).await?;
    Ok(decision_log(&timeline).into_iter().cloned().collect())
}

/// A review as a sergeant records it.
pub struct Review<'a> {
    /// Progress since the last review.
    pub progress: &'a str,
    /// Whether the risk level is still right.
    pub risk_still_right: bool,
    /// Next steps.
    pub next_steps: &'a str,
    /// Any change to the plan.
    pub plan_change: Option<&'a str>,
    /// A reason code (and words) when the review is late.
    pub late: Option<LateReason>,
}

/// A typed text field, trimmed: blank is refused when `required` (else `None`), and over `max` characters is
/// refused, each naming the field under `code`.
pub(crate) fn text_field(
    value: &str,
    field: &'static str,
    code: &'static str,
    max: usize,
    required: bool,
) -> Result<Option<String>, Error> {
    let v = value.trim();
    let words = field.replace('_', " ");
    if v.is_empty() {
        return if required {
            Err(Error::invalid_at(code, format!("Give the {words}."), field))
        } else {
            Ok(None)
        };
    }
    match domain::text::check_with(v, max) {
        Ok(()) => Ok(Some(v.to_string())),
        Err(domain::text::TextProblem::TooLong { .. }) => Err(Error::invalid_at(
            code,
            format!("The {words} is over {max} characters."),
            field,
        )),
        Err(p @ domain::text::TextProblem::Control(_)) => Err(Error::invalid_at(
            "input.control_character",
            format!("The {words} {p}."),
            field,
        )),
    }
}

fn text(value: &str, field: &'static str, required: bool) -> Result<Option<String>, Error> {
    text_field(value, field, "review.invalid", MAX_REVIEW_TEXT, required)
}

/// A clock refused as asked: `clock.late_reason` for a missing or unknown reason code, else `clock.invalid`.
pub(crate) fn clock_error(e: ClockError) -> Error {
    let code = match e {
        ClockError::LateNeedsReason | ClockError::UnknownReason(_) => "clock.late_reason",
        _ => "clock.invalid",
    };
    Error::invalid(
        code,
        format!("{}.", crate::referrals::capitalise(&e.to_string())),
    )
}

/// Record a sergeant's review: the running review clock stops (a late one needs a reason code from the
/// force's list), the review is kept, and the next review falls due the interval from now.
pub async fn record_review(
    app: &App,
    actor: &Actor,
    id: &str,
    review: Review<'_>,
) -> Result<(), Error> {
    let r = open_referral(
        app,
        actor,
        id,
        Action::SuperviseReferral,
        Processing::Alteration,
        "record supervisory review",
    )
    .await?;
    if r.allocated_to.is_none() || !r.status.is_open() {
        return Err(Error::invalid(
            "review.invalid",
            "Only an allocated, open referral is reviewed.",
        ));
    }
    let new = store::NewReview {
        progress: text(review.progress, "progress", true)?.unwrap_or_default(),
        risk_still_right: review.risk_still_right,
        next_steps: text(review.next_steps, "next_steps", true)?.unwrap_or_default(),
        plan_change: text(review.plan_change.unwrap_or(""), "plan_change", false)?,
    };
    let table = &app.config().timeliness;
    let now = Timestamp::now();
    let running = app
        .store()
        .clocks(r.id)
        .await?
        .into_iter()
        .find(|c| c.clock.kind == ClockKind::SupervisionReview && c.clock.stopped_at.is_none());
    let stopped = match running {
        Some(mut c) => {
            c.clock
                .stop(now, review.late, &table.late_reasons)
                .map_err(clock_error)?;
            Some(c)
        }
        None => None,
    };
    let next = Clock::start(ClockKind::SupervisionReview, now, table.supervision_review);
    app.store()
        .record_review(
            r.force,
            r.id,
            stopped.as_ref().map(|c| (c.id.as_str(), &c.clock)),
            &new,
            Some(&next),
            now,
            &actor.author(),
        )
        .await?;
    Ok(())
}

/// Pause (`reason` given) or resume (`None`) one of the referral's clocks that may pause.
pub async fn pause_or_resume(
    app: &App,
    actor: &Actor,
    id: &str,
    clock_id: &str,
    reason: Option<&str>,
) -> Result<ClockView, Error> {
    let r = open_referral(
        app,
        actor,
        id,
        Action::SuperviseReferral,
        Processing::Alteration,
        if reason.is_some() {
            "pause clock"
        } else {
            "resume clock"
        },
    )
    .await?;
    let mut c = app
        .store()
        .clocks(r.id)
        .await?
        .into_iter()
        .find(|c| c.id == clock_id && !c.cancelled)
        .ok_or(Error::NotFound)?;
    let now = Timestamp::now();
    match reason {
        Some(why) => {
            text(why, "reason", true)?;
            c.clock.pause(now, why)
        }
        None => c.clock.resume(now),
    }
    .map_err(clock_error)?;
    app.store()
        .pause_or_resume(
            r.force,
            r.id,
            &c.id,
            &c.clock,
            reason.is_some(),
            &actor.author(),
        )
        .await?;
    Ok(view(
        c.id,
        &c.clock,
        now,
        app.config().timeliness.at_risk_percent,
    ))
}

/// After a step changed the referral: an allocated, open referral has a running review clock (started now
/// when it has none); a closed one has none running.
pub async fn after_step(app: &App, r: &Referral) -> Result<(), Error> {
    let store = app.store();
    if r.status == Status::Closed {
        store
            .cancel_clocks(r.id, r.closed_at.unwrap_or_else(Timestamp::now))
            .await?;
        return Ok(());
    }
    if r.allocated_to.is_none() {
        return Ok(());
    }
    let running = store
        .clocks(r.id)
        .await?
        .iter()
        .any(|c| c.clock.kind == ClockKind::SupervisionReview && c.clock.stopped_at.is_none());
    if !running {
        let c = Clock::start(
            ClockKind::SupervisionReview,
            Timestamp::now(),
            app.config().timeliness.supervision_review,
        );
        store.start_clock(r.force, r.id, &c).await?;
    }
    Ok(())
}

/// At start-up: give every allocated, open referral without one a review clock, started at its last
/// review (or its allocation), so a referral allocated before reviews existed is reviewed too. Returns
/// how many were started.
pub async fn ensure_review_clocks(app: &App) -> Result<usize, Error> {
    let store = app.store();
    use futures_util::TryStreamExt;
    let missing = store.referrals_missing_review_clock().await?;
    // Several at once: each clock is its own referral's.
    futures_util::stream::iter(missing.iter().map(Ok::<_, Error>))
        .try_for_each_concurrent(8, |(force, referral, start)| async move {
            let c = Clock::start(
                ClockKind::SupervisionReview,
                *start,
                app.config().timeliness.supervision_review,
            );
            store.start_clock(*force, *referral, &c).await?;
            Ok(())
        })
        .await?;
    Ok(missing.len())
}

/// What a return date is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReturnKind {
    /// Police bail.
    Bail,
    /// Released under investigation.
    ReleasedUnderInvestigation,
}

impl ReturnKind {
    /// In words.
    pub fn label(self) -> &'static str {
        match self {
            ReturnKind::Bail => "Bail",
            ReturnKind::ReleasedUnderInvestigation => "Release under investigation",
        }
    }
}

/// Record a bail or release-under-investigation return date: a clock that falls due on that date.
pub async fn record_return_date(
    app: &App,
    actor: &Actor,
    id: &str,
    kind: ReturnKind,
    return_on: Timestamp,
) -> Result<ClockView, Error> {
    let r = open_referral(
        app,
        actor,
        id,
        Action::WorkPlan,
        Processing::Alteration,
        "record return date",
    )
    .await?;
    let now = Timestamp::now();
    if return_on <= now {
        return Err(Error::invalid_at(
            "clock.invalid",
            "The return date must be in the future.",
            "return_on",
        ));
    }
    let c = Clock::until(ClockKind::BailReturn, now, return_on);
    let summary = format!(
        "{} return date recorded: {}",
        kind.label(),
        domain::time::display(return_on)
    );
    let clock_id = app
        .store()
        .start_clock_step(r.force, r.id, &c, summary, &actor.author())
        .await?;
    Ok(view(
        clock_id,
        &c,
        now,
        app.config().timeliness.at_risk_percent,
    ))
}

/// Record that a bail or release-under-investigation return happened: its clock stops (late only with a
/// reason code from the force's list).
pub async fn record_return(
    app: &App,
    actor: &Actor,
    id: &str,
    clock_id: &str,
    late: Option<LateReason>,
) -> Result<ClockView, Error> {
    let r = open_referral(
        app,
        actor,
        id,
        Action::WorkPlan,
        Processing::Alteration,
        "record return",
    )
    .await?;
    let mut c = app
        .store()
        .clocks(r.id)
        .await?
        .into_iter()
        .find(|c| c.id == clock_id && !c.cancelled && c.clock.kind == ClockKind::BailReturn)
        .ok_or(Error::NotFound)?;
    let now = Timestamp::now();
    c.clock
        .stop(now, late, &app.config().timeliness.late_reasons)
        .map_err(clock_error)?;
    app.store()
        .stop_clock_step(
            r.force,
            r.id,
            &c.id,
            &c.clock,
            "Return answered".to_string(),
            &actor.author(),
        )
        .await?;
    Ok(view(
        c.id,
        &c.clock,
        now,
        app.config().timeliness.at_risk_percent,
    ))
}
