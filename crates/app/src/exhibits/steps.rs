//! Recording the forensic path: the investigator's submission (the examination asked for, why, and the request),
//! then digital forensics' steps to the upload to the national image database. A step stops its clock (late only
//! with a reason code) and starts the clocks of the steps that wait for it; grading records the counts the
//! charging summary needs. The plan's forensics actions are completed from the exhibit too.

use super::{ExhibitView, MAX_LONG_TEXT, open_exhibit, views};
use crate::supervision::{clock_error, text_field};
use crate::{Actor, App, Error};
use domain::Action;
use domain::audit::Processing;
use domain::clocks::{Clock, ClockKind, LateReason};
use domain::exhibits::{Examination, ForensicStep, StepError, may_record};
use domain::plans::Doer;
use jiff::Timestamp;
use store::StepDetails;

/// The most images a grader may record in one category on one exhibit.
pub const MAX_GRADED: u64 = 10_000_000;

/// A step as typed.
#[derive(Clone, Debug)]
pub struct StepInput<'a> {
    /// Which step.
    pub step: ForensicStep,
    /// When it happened (default now).
    pub at: Option<Timestamp>,
    /// A reason code (and words) when it happened after its due time.
    pub late: Option<LateReason>,
    /// Submission: `full` or `triage_only`.
    pub examination: &'a str,
    /// Submission: why that examination.
    pub reason: &'a str,
    /// Submission: identifiers to look for.
    pub identifiers: &'a str,
    /// Submission: from this date (`YYYY-MM-DD`).
    pub from: &'a str,
    /// Submission: to this date.
    pub to: &'a str,
    /// Submission: the investigator's questions.
    pub questions: &'a str,
    /// Grading: images per category beyond the exact matches.
    pub graded: Option<(u64, u64, u64)>,
    /// Grading: new images found indecent.
    pub new_images: Option<u64>,
    /// Grading: sharing found.
    pub distribution: bool,
    /// Grading: images made by the suspect found.
    pub production: bool,
    /// Grading: a note.
    pub note: &'a str,
}

impl<'a> StepInput<'a> {
    /// A step with nothing but its time.
    pub fn at(step: ForensicStep, at: Option<Timestamp>) -> Self {
        StepInput {
            step,
            at,
            late: None,
            examination: "",
            reason: "",
            identifiers: "",
            from: "",
            to: "",
            questions: "",
            graded: None,
            new_images: None,
            distribution: false,
            production: false,
            note: "",
        }
    }
}

const CODE: &str = "exhibit.invalid";

fn date(value: &str, field: &'static str) -> Result<Option<String>, Error> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    v.parse::<jiff::civil::Date>()
        .map(|d| Some(d.to_string()))
        .map_err(|_| Error::invalid_at(CODE, "Give the date as YYYY-MM-DD.", field))
}

fn submission(i: &StepInput<'_>) -> Result<StepDetails, Error> {
    let exam: Examination = i.examination.trim().parse().map_err(|_| {
        Error::invalid_at(
            CODE,
            "Choose a full examination or triage only.",
            "examination",
        )
    })?;
    let reason = text_field(i.reason, "reason", CODE, MAX_LONG_TEXT, true)?.unwrap_or_default();
    let identifiers =
        text_field(i.identifiers, "identifiers", CODE, MAX_LONG_TEXT, false)?.unwrap_or_default();
    let questions =
        text_field(i.questions, "questions", CODE, MAX_LONG_TEXT, true)?.unwrap_or_default();
    let (from, to) = (date(i.from, "from")?, date(i.to, "to")?);
    if let (Some(f), Some(t)) = (&from, &to)
        && f > t
    {
        return Err(Error::invalid_at(CODE, "The dates run backwards.", "to"));
    }
    Ok(StepDetails {
        submission: Some(store::Submission {
            examination: exam.as_str().to_string(),
            reason,
            identifiers,
            from,
            to,
            questions,
        }),
        grading: None,
    })
}

fn grading(i: &StepInput<'_>) -> Result<StepDetails, Error> {
    let (a, b, c) = i.graded.ok_or_else(|| {
        Error::invalid_at(
            CODE,
            "Give the images graded in each category (0 for none).",
            "graded_a",
        )
    })?;
    let new_images = i.new_images.ok_or_else(|| {
        Error::invalid_at(
            CODE,
            "Give the number of new images found (0 for none).",
            "new_images",
        )
    })?;
    for (v, field) in [
        (a, "graded_a"),
        (b, "graded_b"),
        (c, "graded_c"),
        (new_images, "new_images"),
    ] {
        if v > MAX_GRADED {
            return Err(Error::invalid_at(
                CODE,
                format!(
                    "No exhibit holds over {MAX_GRADED} images in a category: check the count."
                ),
                field,
            ));
        }
    }
    let note = text_field(i.note, "note", CODE, MAX_LONG_TEXT, false)?;
    let count = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
    Ok(StepDetails {
        submission: None,
        grading: Some(store::Grading {
            a: count(a),
            b: count(b),
            c: count(c),
            new_images: count(new_images),
            distribution: i.distribution,
            production: i.production,
            note,
        }),
    })
}

fn refused(e: StepError) -> Error {
    let field = match e {
        StepError::OutOfOrder(_) => "at",
        _ => "step",
    };
    Error::invalid_at(
        "exhibit.step",
        crate::referrals::capitalise(&e.to_string()) + ".",
        field,
    )
}

/// Record a step of an exhibit's forensic path.
pub async fn record_step(
    app: &App,
    actor: &Actor,
    id: &str,
    input: &StepInput<'_>,
) -> Result<ExhibitView, Error> {
    let step = input.step;
    let action = if step.by_forensics() {
        Action::ExamineExhibits
    } else {
        Action::RecordExhibits
    };
    let e = open_exhibit(
        app,
        actor,
        id,
        &[action],
        Processing::Alteration,
        "record a forensic step",
    )
    .await?;
    let now = Timestamp::now();
    let at = input.at.unwrap_or(now);
    let done: Vec<(ForensicStep, Timestamp)> = e
        .steps
        .iter()
        .filter_map(|s| Some((s.step.parse().ok()?, s.done_at?)))
        .collect();
    may_record(
        step,
        at,
        now,
        e.seized_at,
        &done,
        e.new_images.map(|n| n > 0),
    )
    .map_err(refused)?;
    let details = match step {
        ForensicStep::Submitted => submission(input)?,
        ForensicStep::Graded => grading(input)?,
        _ => StepDetails::default(),
    };
    let row = e
        .steps
        .iter()
        .find(|s| s.step == step.as_str())
        .ok_or_else(|| refused(StepError::NotYet(step.label())))?;
    let mut clock = app
        .store()
        .clocks(e.referral)
        .await?
        .into_iter()
        .find(|c| c.id == row.clock_id && !c.cancelled)
        .map(|c| c.clock);
    if let Some(c) = clock.as_mut() {
        c.stop(
            at,
            input.late.clone(),
            &app.config().timeliness.late_reasons,
        )
        .map_err(clock_error)?;
    }
    let new_images = details.grading.as_ref().is_some_and(|g| g.new_images > 0);
    let table = &app.config().timeliness;
    let next: Vec<(&str, Clock)> = step
        .next(new_images)
        .into_iter()
        .map(|s| {
            (
                s.as_str(),
                Clock::start(ClockKind::Forensic, at, s.target(table)),
            )
        })
        .collect();
    let late = clock
        .as_ref()
        .and_then(|c| c.late_reason.as_ref())
        .map(|r| format!(" (late: {})", r.code))
        .unwrap_or_default();
    let what = match (&details.submission, &details.grading) {
        (Some(x), _) => format!(
            " for a {}",
            x.examination
                .parse::<Examination>()
                .map(|x| x.label().to_lowercase())
                .unwrap_or_default()
        ),
        (_, Some(g)) => format!(
            ": {} A, {} B, {} C graded, {} new images",
            g.a, g.b, g.c, g.new_images
        ),
        _ => String::new(),
    };
    let summary = format!("Exhibit {}: {}{what}{late}", e.reference, step.label());
    app.store()
        .record_forensic_step(
            &e,
            step.as_str(),
            at,
            clock.as_ref().map(|c| (row.clock_id.as_str(), c)),
            &next,
            &details,
            summary,
            &actor.author(),
        )
        .await
        .map_err(|err| match err {
            store::StoreError::Conflict => Error::AlreadyDone {
                code: "exhibit.step_done",
                message: format!("{} is already recorded.", step.label()),
            },
            other => other.into(),
        })?;
    let row = app.store().exhibit(&e.id).await?.ok_or(Error::NotFound)?;
    views::view(app, row).await
}

/// Complete one of the investigation plan's forensics actions from the exhibit (digital forensics); one done
/// after its due time needs a reason code.
pub async fn complete_forensic_action(
    app: &App,
    actor: &Actor,
    id: &str,
    action_id: &str,
    late: Option<LateReason>,
) -> Result<ExhibitView, Error> {
    let e = open_exhibit(
        app,
        actor,
        id,
        &[Action::ExamineExhibits],
        Processing::Alteration,
        "complete a forensics plan action",
    )
    .await?;
    let r = app
        .store()
        .referral(e.referral)
        .await?
        .ok_or(Error::NotFound)?;
    let a = app
        .store()
        .plan(r.id)
        .await?
        .into_iter()
        .find(|a| a.id == action_id && a.who == Doer::Forensics)
        .ok_or(Error::NotFound)?;
    if a.status != "open" {
        return Err(Error::AlreadyDone {
            code: "plan.already_done",
            message: "This action is already done or set aside.".into(),
        });
    }
    crate::plans::finish_done(app, &r, &a, late, &actor.author()).await?;
    let row = app.store().exhibit(&e.id).await?.ok_or(Error::NotFound)?;
    views::view(app, row).await
}
