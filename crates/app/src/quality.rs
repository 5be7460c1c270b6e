//! Case quality reviews (not the access-log audit): an auditor draws a reproducible, stratified sample of each
//! BCU's referrals, grades each against the force's areas and overall, and may refer a referral back with
//! remedial actions, each a clock on the team's work lists, completed without reopening a closed referral.
//! The auditor's reads are logged consultations.

use crate::access::{log, open_referral, read_referral, require};
use crate::supervision::{clock_error, text_field};
use crate::{Actor, App, Error};
use domain::Action;
use domain::audit::{AccessOutcome, Processing};
use domain::clocks::{Clock, ClockKind, ClockState, LateReason};
use domain::quality::{Candidate, Grade, MAX_PER_BCU, QualityAreas, Stratum, check_grades, draw};
use domain::{BcuId, ReferralId, RiskLevel};
use jiff::Timestamp;
use std::collections::BTreeMap;
use store::{QualityReviewRow, RemedialRow};

/// The longest remedial action.
pub const MAX_ACTION_TEXT: usize = 2_000;
/// The most remedial actions one referral back sets.
pub const MAX_ACTIONS: usize = 20;

fn rfc3339(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// A sample.
#[derive(Clone, Debug, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SampleView {
    /// Its id.
    pub id: String,
    /// The seed it was drawn with.
    pub seed: String,
    /// The date it was drawn as at (`YYYY-MM-DD`).
    pub as_at: String,
    /// Referrals drawn per BCU (at most).
    pub per_bcu: u64,
    /// The areas graded against.
    pub areas: Vec<domain::quality::Area>,
    /// Who drew it.
    pub drawn_by: Option<String>,
    /// When (RFC 3339).
    pub drawn_at: String,
    /// Referrals drawn.
    pub drawn: usize,
    /// Of those, graded.
    pub graded: usize,
    /// The sampled referrals (in a listing of samples: empty).
    pub reviews: Vec<ReviewView>,
}

/// One sampled referral and its grades. (Named `QualityReview` in the OpenAPI document, apart from a
/// supervisory review.)
#[derive(Clone, Debug, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = QualityReview))]
pub struct ReviewView {
    /// Its id.
    pub id: String,
    /// The referral.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub referral_id: ReferralId,
    /// The referral's reference (its source and report id).
    pub reference: String,
    /// The referral's BCU (code).
    pub bcu: String,
    /// Its stratum: open or closed as at the date, and its risk level.
    pub stratum: String,
    /// Each area's grade, in the list's order, once graded.
    pub grades: Vec<AreaGrade>,
    /// The overall grade.
    pub overall: Option<Grade>,
    /// The auditor's notes.
    pub notes: Option<String>,
    /// Who graded it.
    pub graded_by: Option<String>,
    /// When (RFC 3339).
    pub graded_at: Option<String>,
    /// The remedial actions it was referred back with.
    pub remedial: Vec<RemedialView>,
}

/// An area's grade.
#[derive(Clone, Debug, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AreaGrade {
    /// The area's key.
    pub area: String,
    /// In words.
    pub label: String,
    /// The grade.
    pub grade: Grade,
}

/// A remedial action.
#[derive(Clone, Debug, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RemedialView {
    /// Its id.
    pub id: String,
    /// The referral.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub referral_id: ReferralId,
    /// The referral's reference (its source and report id).
    pub reference: String,
    /// What to do.
    pub action: String,
    /// Who set it.
    pub set_by: Option<String>,
    /// When (RFC 3339).
    pub set_at: String,
    /// When it falls (or fell) due (RFC 3339).
    pub due_at: Option<String>,
    /// Its clock's state.
    pub state: Option<ClockState>,
    /// When done (RFC 3339).
    pub done_at: Option<String>,
    /// Who did it.
    pub done_by: Option<String>,
    /// What was done.
    pub done_note: Option<String>,
    /// Its clock.
    pub clock_id: String,
}

/// A BCU's quality figures across every sample.
#[derive(Clone, Debug, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BcuQuality {
    /// The BCU (code).
    pub bcu: String,
    /// Referrals sampled.
    pub sampled: usize,
    /// Of those, graded.
    pub graded: usize,
    /// Overall grades: good, requires improvement, inadequate.
    pub overall: GradeCounts,
    /// Each area's grades, in the list's order.
    pub areas: Vec<(String, GradeCounts)>,
    /// Referrals referred back.
    pub referred_back: usize,
    /// Remedial actions still open.
    pub remedial_open: usize,
    /// Remedial actions done.
    pub remedial_done: usize,
}

/// How many of each grade.
#[derive(Clone, Copy, Debug, Default, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GradeCounts {
    /// Good.
    pub good: usize,
    /// Requires improvement.
    pub requires_improvement: usize,
    /// Inadequate.
    pub inadequate: usize,
}

impl GradeCounts {
    fn add(&mut self, g: Grade) {
        match g {
            Grade::Good => self.good += 1,
            Grade::RequiresImprovement => self.requires_improvement += 1,
            Grade::Inadequate => self.inadequate += 1,
        }
    }
}

/// The areas this force grades against.
pub fn areas(app: &App) -> &QualityAreas {
    &app.config().quality_areas
}

/// End of `date` in London (the last instant of the day).
fn end_of(date: jiff::civil::Date) -> Result<Timestamp, Error> {
    domain::time::london()
        .to_ambiguous_zoned_datetime(date.at(23, 59, 59, 0))
        .later()
        .map(|z| z.timestamp())
        .map_err(|e| Error::Internal(format!("a London date: {e}")))
}

/// The same refusal, naming the numbered field of a repeated group (`action_2`).
fn at_field(e: Error, field: String) -> Error {
    match e {
        Error::Invalid { code, message, .. } => Error::Invalid {
            code,
            message,
            location: Some(field),
        },
        other => other,
    }
}

fn parse_date(value: &str, field: &'static str) -> Result<jiff::civil::Date, Error> {
    value
        .trim()
        .parse()
        .map_err(|_| Error::invalid_at("quality.invalid", "Give the date as YYYY-MM-DD.", field))
}

/// Draw a sample of each BCU's referrals received by `as_at` (`YYYY-MM-DD`, not in the future), `per_bcu` from
/// each (1 to 50), stratified by status as at that date and risk level, reproducible from `seed` and the date.
pub async fn draw_sample(
    app: &App,
    actor: &Actor,
    seed: &str,
    as_at: &str,
    per_bcu: usize,
) -> Result<SampleView, Error> {
    require(
        app,
        actor,
        Action::QualityReview,
        Processing::Consultation,
        "draw a quality review sample",
    )
    .await?;
    let seed = text_field(seed, "seed", "quality.invalid", 100, true)?.unwrap_or_default();
    let date = parse_date(as_at, "as_at")?;
    let today = domain::time::in_london(Timestamp::now()).date();
    if date > today {
        return Err(Error::invalid_at(
            "quality.invalid",
            "The sample's date is in the future: draw as at today or earlier.",
            "as_at",
        ));
    }
    if !(1..=MAX_PER_BCU).contains(&per_bcu) {
        return Err(Error::invalid_at(
            "quality.invalid",
            format!("Draw 1 to {MAX_PER_BCU} referrals per BCU."),
            "per_bcu",
        ));
    }
    let force = actor.user.force;
    let candidates: Vec<Candidate> = app
        .store()
        .quality_candidates(force, end_of(date)?)
        .await?
        .into_iter()
        .map(|(id, bcu, closed, level)| Candidate {
            id,
            bcu,
            stratum: Stratum {
                closed,
                level: level.as_deref().and_then(|l| l.parse::<RiskLevel>().ok()),
            },
        })
        .collect();
    let picked = draw(&candidates, &seed, &date.to_string(), per_bcu);
    let drawn: Vec<(ReferralId, BcuId, String)> = picked
        .iter()
        .filter_map(|id| {
            let c = candidates.iter().find(|c| c.id == *id)?;
            Some((c.id, c.bcu, c.stratum.words()))
        })
        .collect();
    let areas_json = serde_json::to_string(&areas(app).areas)
        .map_err(|e| Error::Internal(format!("areas as JSON: {e}")))?;
    let id = app
        .store()
        .add_sample(
            force,
            &seed,
            &date.to_string(),
            i64::try_from(per_bcu).unwrap_or(MAX_PER_BCU as i64),
            &areas_json,
            &drawn,
            Timestamp::now(),
            &actor.author(),
        )
        .await?;
    sample(app, actor, &id).await
}

/// The force's samples, newest first (without their referrals).
pub async fn samples(app: &App, actor: &Actor) -> Result<Vec<SampleView>, Error> {
    require(
        app,
        actor,
        Action::QualityReview,
        Processing::Consultation,
        "list quality review samples",
    )
    .await?;
    let force = actor.user.force;
    let mut out = vec![];
    for s in app.store().samples(force).await? {
        let reviews = app.store().sample_reviews(force, &s.id).await?;
        out.push(sample_view(s, &reviews, vec![]));
    }
    Ok(out)
}

fn sample_view(
    s: store::SampleRow,
    reviews: &[QualityReviewRow],
    views: Vec<ReviewView>,
) -> SampleView {
    SampleView {
        drawn: reviews.len(),
        graded: reviews.iter().filter(|r| r.graded_at.is_some()).count(),
        areas: serde_json::from_str(&s.areas).unwrap_or_default(),
        id: s.id,
        seed: s.seed,
        as_at: s.as_at,
        per_bcu: u64::try_from(s.per_bcu).unwrap_or(0),
        drawn_by: s.drawn_by,
        drawn_at: rfc3339(s.drawn_at),
        reviews: views,
    }
}

/// One sample with its referrals and their grades (a logged consultation naming how many referrals it lists).
pub async fn sample(app: &App, actor: &Actor, id: &str) -> Result<SampleView, Error> {
    require(
        app,
        actor,
        Action::QualityReview,
        Processing::Consultation,
        "read a quality review sample",
    )
    .await?;
    let force = actor.user.force;
    let s = app
        .store()
        .samples(force)
        .await?
        .into_iter()
        .find(|s| s.id == id)
        .ok_or(Error::NotFound)?;
    let reviews = app.store().sample_reviews(force, id).await?;
    let areas: Vec<domain::quality::Area> = serde_json::from_str(&s.areas).unwrap_or_default();
    let mut views = vec![];
    for r in &reviews {
        views.push(review_view(app, r, &areas).await?);
    }
    log(
        app,
        actor,
        Processing::Consultation,
        "quality_sample",
        id,
        AccessOutcome::Allowed,
        format!("quality review sample ({} referrals listed)", reviews.len()),
    )
    .await?;
    Ok(sample_view(s, &reviews, views))
}

async fn review_view(
    app: &App,
    r: &QualityReviewRow,
    areas: &[domain::quality::Area],
) -> Result<ReviewView, Error> {
    let given: BTreeMap<String, Grade> = r
        .grades
        .as_deref()
        .and_then(|g| serde_json::from_str(g).ok())
        .unwrap_or_default();
    let now = Timestamp::now();
    let at_risk = app.config().timeliness.at_risk_percent;
    let clocks = app.store().clocks(r.referral).await?;
    let reference = reference_of(app, r.referral).await?;
    let remedial = app
        .store()
        .remedial_of(r.referral)
        .await?
        .into_iter()
        .filter(|a| a.review_id == r.id)
        .map(|a| remedial_view(a, &reference, &clocks, now, at_risk))
        .collect::<Vec<_>>();
    Ok(ReviewView {
        id: r.id.clone(),
        referral_id: r.referral,
        reference,
        bcu: r.bcu_code.clone(),
        stratum: r.stratum.clone(),
        grades: areas
            .iter()
            .filter_map(|a| {
                Some(AreaGrade {
                    grade: *given.get(&a.key)?,
                    area: a.key.clone(),
                    label: a.label.clone(),
                })
            })
            .collect(),
        overall: r.overall.as_deref().and_then(|g| g.parse().ok()),
        notes: r.notes.clone(),
        graded_by: r.graded_by.clone(),
        graded_at: r.graded_at.map(rfc3339),
        remedial,
    })
}

async fn open_review(
    app: &App,
    actor: &Actor,
    review: &str,
    detail: &str,
) -> Result<
    (
        domain::Referral,
        QualityReviewRow,
        Vec<domain::quality::Area>,
    ),
    Error,
> {
    let row = match app.store().quality_review(review).await? {
        Some(r) => r,
        None => {
            log(
                app,
                actor,
                Processing::Alteration,
                "quality_review",
                review,
                AccessOutcome::Denied,
                format!("{detail}: not found"),
            )
            .await?;
            return Err(Error::NotFound);
        }
    };
    let referral = open_referral(
        app,
        actor,
        &row.referral.to_string(),
        Action::QualityReview,
        Processing::Alteration,
        detail,
    )
    .await?;
    let areas = app
        .store()
        .samples(actor.user.force)
        .await?
        .into_iter()
        .find(|s| s.id == row.sample_id)
        .map(|s| serde_json::from_str(&s.areas).unwrap_or_default())
        .ok_or(Error::NotFound)?;
    Ok((referral, row, areas))
}

/// A referral's quality reviews with the areas of each one's sample, for an auditor (the referral already
/// opened); none for anyone else.
pub async fn reviews_of(
    app: &App,
    actor: &Actor,
    r: &domain::Referral,
) -> Result<Vec<(ReviewView, Vec<domain::quality::Area>)>, Error> {
    if !crate::access::may(actor, Action::QualityReview, r) {
        return Ok(vec![]);
    }
    let samples = app.store().samples(r.force).await?;
    let mut out = vec![];
    for row in app.store().quality_reviews_of(r.id).await? {
        let areas: Vec<domain::quality::Area> = samples
            .iter()
            .find(|s| s.id == row.sample_id)
            .map(|s| serde_json::from_str(&s.areas).unwrap_or_default())
            .unwrap_or_default();
        out.push((review_view(app, &row, &areas).await?, areas));
    }
    Ok(out)
}

/// Grade a sampled referral against every area of its sample and overall, with notes (once).
pub async fn grade(
    app: &App,
    actor: &Actor,
    review: &str,
    grades: &[(String, Grade)],
    overall: Grade,
    notes: &str,
) -> Result<ReviewView, Error> {
    let (r, row, areas) = open_review(app, actor, review, "grade a quality review").await?;
    let list = QualityAreas {
        areas: areas.clone(),
    };
    check_grades(&list, grades).map_err(|e| {
        let field = match &e {
            domain::quality::GradingError::Missing(label) => areas
                .iter()
                .find(|a| &a.label == label)
                .map_or("grades".to_string(), |a| format!("grade_{}", a.key)),
            domain::quality::GradingError::UnknownArea(_) => "grades".to_string(),
        };
        Error::invalid_at(
            "quality.invalid",
            crate::referrals::capitalise(&e.to_string()) + ".",
            field,
        )
    })?;
    let notes = text_field(notes, "notes", "quality.invalid", 10_000, false)?;
    let map: BTreeMap<&str, Grade> = grades.iter().map(|(k, g)| (k.as_str(), *g)).collect();
    let json = serde_json::to_string(&map).map_err(|e| Error::Internal(format!("grades: {e}")))?;
    let summary = format!(
        "Quality review: graded {} overall",
        overall.label().to_lowercase()
    );
    app.store()
        .grade_review(
            r.force,
            &row,
            &json,
            overall.as_str(),
            notes.as_deref(),
            Timestamp::now(),
            summary,
            &actor.author(),
        )
        .await
        .map_err(|e| match e {
            store::StoreError::Conflict => Error::AlreadyDone {
                code: "quality.already_graded",
                message: "This referral is already graded in this sample.".into(),
            },
            other => other.into(),
        })?;
    let row = app
        .store()
        .quality_review(review)
        .await?
        .ok_or(Error::NotFound)?;
    review_view(app, &row, &areas).await
}

/// Refer a graded referral back with remedial actions: each a text and a due date (`YYYY-MM-DD`, today or
/// later; blank: the table's `remedial_action` target from now).
pub async fn refer_back(
    app: &App,
    actor: &Actor,
    review: &str,
    actions: &[(String, String)],
) -> Result<ReviewView, Error> {
    let (r, row, areas) =
        open_review(app, actor, review, "refer back from a quality review").await?;
    if row.graded_at.is_none() {
        return Err(Error::invalid_at(
            "quality.not_graded",
            "Grade the referral before referring it back.",
            "actions",
        ));
    }
    let actions: Vec<&(String, String)> = actions
        .iter()
        .filter(|(t, d)| !t.trim().is_empty() || !d.trim().is_empty())
        .collect();
    if actions.is_empty() || actions.len() > MAX_ACTIONS {
        return Err(Error::invalid_at(
            "quality.invalid",
            format!("Give 1 to {MAX_ACTIONS} remedial actions."),
            "action_1",
        ));
    }
    let now = Timestamp::now();
    let today = domain::time::in_london(now).date();
    let mut out = vec![];
    for (i, (text, due)) in actions.iter().enumerate() {
        let n = i + 1;
        let text = text_field(
            text,
            "remedial_action",
            "quality.invalid",
            MAX_ACTION_TEXT,
            true,
        )
        .map_err(|e| at_field(e, format!("action_{n}")))?
        .unwrap_or_default();
        let clock = if due.trim().is_empty() {
            Clock::start(
                ClockKind::RemedialAction,
                now,
                app.config().timeliness.remedial_action,
            )
        } else {
            let due_field = format!("due_{n}");
            let d = parse_date(due, "due").map_err(|e| at_field(e, due_field.clone()))?;
            if d < today {
                return Err(Error::invalid_at(
                    "quality.invalid",
                    "The due date has passed: give today or a later date.",
                    due_field,
                ));
            }
            Clock::until(ClockKind::RemedialAction, now, end_of(d)?)
        };
        out.push((text, clock));
    }
    let summary = format!(
        "Referred back by a quality review with {} remedial action{}",
        out.len(),
        if out.len() == 1 { "" } else { "s" }
    );
    app.store()
        .refer_back(r.force, &row, &out, now, summary, &actor.author())
        .await?;
    review_view(app, &row, &areas).await
}

/// A referral's remedial actions with their clocks (the referral already opened).
pub async fn remedial_views(app: &App, id: ReferralId) -> Result<Vec<RemedialView>, Error> {
    let now = Timestamp::now();
    let at_risk = app.config().timeliness.at_risk_percent;
    let clocks = app.store().clocks(id).await?;
    let reference = reference_of(app, id).await?;
    Ok(app
        .store()
        .remedial_of(id)
        .await?
        .into_iter()
        .map(|a| remedial_view(a, &reference, &clocks, now, at_risk))
        .collect())
}

async fn reference_of(app: &App, id: ReferralId) -> Result<String, Error> {
    Ok(app
        .store()
        .referral(id)
        .await?
        .map(|r| format!("{} {}", r.source, r.report_id))
        .unwrap_or_default())
}

fn remedial_view(
    a: RemedialRow,
    reference: &str,
    clocks: &[store::StoredClock],
    now: Timestamp,
    at_risk: u8,
) -> RemedialView {
    let clock = clocks.iter().find(|c| c.id == a.clock_id && !c.cancelled);
    RemedialView {
        id: a.id,
        reference: reference.to_string(),
        referral_id: a.referral,
        action: a.action,
        set_by: a.set_by,
        set_at: rfc3339(a.set_at),
        due_at: clock.map(|c| rfc3339(c.clock.due_at(now))),
        state: clock.map(|c| c.clock.state(now, at_risk)),
        done_at: a.done_at.map(rfc3339),
        done_by: a.done_by,
        done_note: a.done_note,
        clock_id: a.clock_id,
    }
}

/// The open remedial actions of a BCU, soonest due first (the caller has checked the reader's reach).
pub async fn open_remedial(
    app: &App,
    force: domain::ForceId,
    bcu: BcuId,
) -> Result<Vec<RemedialView>, Error> {
    let now = Timestamp::now();
    let at_risk = app.config().timeliness.at_risk_percent;
    let rows = app.store().remedial_open(force, Some(bcu)).await?;
    let mut out = vec![];
    for a in rows {
        let clocks = app.store().clocks(a.referral).await?;
        let reference = reference_of(app, a.referral).await?;
        out.push(remedial_view(a, &reference, &clocks, now, at_risk));
    }
    out.sort_by(|a, b| a.due_at.cmp(&b.due_at));
    Ok(out)
}

/// Complete a remedial action, with what was done (after its due date only with a reason code). A closed
/// referral stays closed.
pub async fn complete_remedial(
    app: &App,
    actor: &Actor,
    id: &str,
    action_id: &str,
    note: &str,
    late: Option<LateReason>,
) -> Result<Vec<RemedialView>, Error> {
    let r = open_referral(
        app,
        actor,
        id,
        Action::CompleteRemedial,
        Processing::Alteration,
        "complete a remedial action",
    )
    .await?;
    let a = app
        .store()
        .remedial_of(r.id)
        .await?
        .into_iter()
        .find(|a| a.id == action_id)
        .ok_or(Error::NotFound)?;
    if a.done_at.is_some() {
        return Err(Error::AlreadyDone {
            code: "quality.already_done",
            message: "This remedial action is already done.".into(),
        });
    }
    let note =
        text_field(note, "note", "quality.invalid", MAX_ACTION_TEXT, true)?.unwrap_or_default();
    let mut clock = app
        .store()
        .clocks(r.id)
        .await?
        .into_iter()
        .find(|c| c.id == a.clock_id)
        .map(|c| c.clock)
        .ok_or_else(|| Error::Internal("a remedial action without its clock".into()))?;
    let now = Timestamp::now();
    clock
        .stop(now, late, &app.config().timeliness.late_reasons)
        .map_err(clock_error)?;
    let summary = format!("Remedial action done: {}", a.action);
    app.store()
        .complete_remedial(r.force, &a, &clock, &note, now, summary, &actor.author())
        .await
        .map_err(|e| match e {
            store::StoreError::Conflict => Error::AlreadyDone {
                code: "quality.already_done",
                message: "This remedial action is already done.".into(),
            },
            other => other.into(),
        })?;
    remedial_views(app, r.id).await
}

/// A referral's remedial actions (a logged consultation).
pub async fn remedial(app: &App, actor: &Actor, id: &str) -> Result<Vec<RemedialView>, Error> {
    let r = read_referral(app, actor, id, "read remedial actions").await?;
    remedial_views(app, r.id).await
}

/// The quality figures per BCU across every sample of the force (an auditor's).
pub async fn summary(app: &App, actor: &Actor) -> Result<Vec<BcuQuality>, Error> {
    require(
        app,
        actor,
        Action::QualityReview,
        Processing::Consultation,
        "read the quality review summary",
    )
    .await?;
    let force = actor.user.force;
    let reviews = app.store().all_reviews(force).await?;
    let remedial = app.store().remedial_all(force).await?;
    let areas = areas(app);
    let mut by_bcu: BTreeMap<String, BcuQuality> = BTreeMap::new();
    for r in &reviews {
        let q = by_bcu
            .entry(r.bcu_code.clone())
            .or_insert_with(|| BcuQuality {
                bcu: r.bcu_code.clone(),
                sampled: 0,
                graded: 0,
                overall: GradeCounts::default(),
                areas: areas
                    .areas
                    .iter()
                    .map(|a| (a.label.clone(), GradeCounts::default()))
                    .collect(),
                referred_back: 0,
                remedial_open: 0,
                remedial_done: 0,
            });
        q.sampled += 1;
        if let Some(g) = r.overall.as_deref().and_then(|g| g.parse::<Grade>().ok()) {
            q.graded += 1;
            q.overall.add(g);
        }
        let given: BTreeMap<String, Grade> = r
            .grades
            .as_deref()
            .and_then(|g| serde_json::from_str(g).ok())
            .unwrap_or_default();
        for (a, (_, counts)) in areas.areas.iter().zip(q.areas.iter_mut()) {
            if let Some(g) = given.get(&a.key) {
                counts.add(*g);
            }
        }
        let mine: Vec<&RemedialRow> = remedial.iter().filter(|a| a.review_id == r.id).collect();
        if !mine.is_empty() {
            q.referred_back += 1;
        }
        q.remedial_done += mine.iter().filter(|a| a.done_at.is_some()).count();
        q.remedial_open += mine.iter().filter(|a| a.done_at.is_none()).count();
    }
    Ok(by_bcu.into_values().collect())
}
