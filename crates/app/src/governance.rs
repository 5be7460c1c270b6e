//! Governance use cases: the improvement team keeps the inspection reports, their recommendations, actions,
//! evidence and both status histories; the oversight body comments on recommendations and writes and publishes
//! the section 55 responses. Every change is checked by `domain::governance::rules` against the tracker as it
//! stands and appended as one attributed, dated change; a change made meanwhile by someone else answers
//! "someone else changed this first" and nothing is written. None of this is personal data about children,
//! but it is still need-to-know: only the roles that read governance see it.

pub mod board;
mod training;
mod views;

use crate::access::require;
use crate::supervision::text_field;
use crate::{Actor, App, Error};
use domain::Action;
use domain::audit::Processing;
use domain::governance::rules::{self, Problem};
use domain::governance::{Answer, AnswerKind, Change, Event, TimeBand, Track, Tracker};
use jiff::Timestamp;
use jiff::civil::Date;

pub use training::{
    BcuCoverageView, CompletionView, CourseView, ImportSummary, MAX_CSV_BYTES, MAX_CSV_ROWS,
    SessionView, add_course, add_session, completions, courses, import_completions,
};
pub use views::{
    ActionView, AnswerView, CommentView, EvidenceView, InspectionView, RecommendationView,
    ResponseView, StatusView,
};

/// The longest link.
pub const MAX_LINK: usize = 2_000;
/// The most recommendations one report holds.
pub const MAX_RECOMMENDATIONS: usize = 200;

pub(crate) const CODE: &str = "governance.invalid";

/// London's date today.
pub fn today() -> Date {
    domain::time::in_london(Timestamp::now()).date()
}

/// The force's tracker as it stands, for a role that reads governance.
pub async fn tracker(app: &App, actor: &Actor) -> Result<Tracker, Error> {
    require(
        app,
        actor,
        Action::ReadGovernance,
        Processing::Consultation,
        "read the inspections tracker",
    )
    .await?;
    load(app, actor).await
}

pub(crate) async fn load(app: &App, actor: &Actor) -> Result<Tracker, Error> {
    let rows = app.store().governance_events(actor.user.force).await?;
    let mut events = Vec::with_capacity(rows.len());
    for r in rows {
        let change: Change = serde_json::from_str(&r.change).map_err(|e| {
            Error::Internal(format!("governance change {} is not readable: {e}", r.seq))
        })?;
        events.push(Event {
            seq: r.seq,
            at: r.at,
            by: r.by,
            change,
        });
    }
    Ok(Tracker::from_events(&events))
}

pub(crate) async fn may(app: &App, actor: &Actor, action: Action, what: &str) -> Result<(), Error> {
    require(app, actor, action, Processing::Alteration, what).await
}

pub(crate) fn problem(p: Problem) -> Error {
    match p {
        Problem::NotFound => Error::NotFound,
        Problem::AlreadyDone(message) => Error::AlreadyDone {
            code: "governance.already_done",
            message,
        },
        Problem::Invalid { field, message } => Error::invalid_at(CODE, message, field),
    }
}

/// Record `change` as `actor` at `at` (the improvement team's changes need [`Action::KeepTracker`], the board's
/// [`Action::KeepBoard`]), checked against the tracker as it stands on `at`'s London day. Gives the tracker
/// with the change. The demo records its history through this too, with the days it happened.
pub async fn record(
    app: &App,
    actor: &Actor,
    change: Change,
    at: Timestamp,
) -> Result<Tracker, Error> {
    let action = if change.by_the_board() {
        Action::KeepBoard
    } else {
        Action::KeepTracker
    };
    require(app, actor, action, Processing::Alteration, change.kind()).await?;
    let t = load(app, actor).await?;
    let today = domain::time::in_london(at).date();
    let checked = match &change {
        Change::InspectionAdded { published_on, .. } => {
            rules::check_inspection(*published_on, today, app.config().earliest)
        }
        Change::RecommendationAdded {
            inspection,
            number,
            due_on,
            ..
        } => rules::check_recommendation(&t, inspection, number, *due_on).map(|_| ()),
        Change::StatusRecorded {
            recommendation,
            track,
            status,
            on,
            ..
        } => rules::check_status(&t, recommendation, *track, status, *on, today),
        Change::ActionAdded {
            recommendation,
            due_on,
            ..
        } => rules::check_action(&t, recommendation, *due_on),
        Change::ActionDone { action, on, .. } => rules::check_done(&t, action, *on, today),
        Change::EvidenceAdded {
            recommendation,
            action,
            ..
        } => rules::check_evidence(&t, recommendation, action.as_deref()),
        Change::Commented { recommendation, .. } => t
            .recommendation(recommendation)
            .map(|_| ())
            .ok_or(Problem::NotFound),
        Change::ResponseSaved {
            inspection,
            answers,
            ..
        } => rules::check_response(&t, inspection, answers),
        Change::ResponsePublished { inspection, on } => {
            rules::check_publish(&t, inspection, *on, today)
        }
        Change::CourseAdded { name, .. } => rules::check_course(&t, name),
        Change::SessionAdded { course, on, .. } => {
            rules::check_session(&t, course, *on, app.config().earliest)
        }
        Change::CompletionsImported { rows, .. } => rules::check_completions(&t, rows, today),
        Change::MeetingsScheduled { first, meetings } => {
            rules::check_schedule(meetings.len(), *first, app.config().earliest)
        }
        Change::MeetingEdited { meeting, on, .. } => {
            rules::check_meeting(&t, meeting, *on, app.config().earliest)
        }
    };
    checked.map_err(problem)?;
    let json = serde_json::to_string(&change)
        .map_err(|e| Error::Internal(format!("a governance change as JSON: {e}")))?;
    let new = store::NewGovernance {
        kind: change.kind().into(),
        subject: change.subject().into(),
        change: json,
    };
    app.store()
        .append_governance(actor.user.force, t.last_seq, &[new], at, &actor.author())
        .await?;
    load(app, actor).await
}

pub(crate) fn date(value: &str, field: &'static str) -> Result<Date, Error> {
    value
        .trim()
        .parse()
        .map_err(|_| Error::invalid_at(CODE, "Give the date as YYYY-MM-DD.", field))
}

fn date_or_today(value: Option<&str>, field: &'static str) -> Result<Date, Error> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) => date(v, field),
        None => Ok(today()),
    }
}

pub(crate) fn name(
    value: &str,
    field: &'static str,
    required: bool,
) -> Result<Option<String>, Error> {
    text_field(value, field, CODE, domain::text::MAX_NAME, required)
}

pub(crate) fn words(
    value: &str,
    field: &'static str,
    required: bool,
) -> Result<Option<String>, Error> {
    text_field(value, field, CODE, domain::text::MAX_TEXT, required)
}

/// A web address to show as a link: `http://` or `https://` only, so that a link can never run script.
fn link(value: Option<&str>, field: &'static str) -> Result<Option<String>, Error> {
    let Some(v) = text_field(value.unwrap_or(""), field, CODE, MAX_LINK, false)? else {
        return Ok(None);
    };
    let lower = v.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://"))
        || v.chars().any(char::is_whitespace)
    {
        return Err(Error::invalid_at(
            CODE,
            "Give the link as a web address starting https:// (or http://), without spaces.",
            field,
        ));
    }
    Ok(Some(v))
}

fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// An inspection report as typed.
#[derive(Clone, Debug, Default)]
pub struct NewInspection<'a> {
    /// Its title (required).
    pub title: &'a str,
    /// Who published it (HMICFRS when blank).
    pub inspectorate: Option<&'a str>,
    /// `YYYY-MM-DD` (required).
    pub published_on: &'a str,
    /// Where it is published.
    pub link: Option<&'a str>,
}

/// Record an inspection report (the improvement team).
pub async fn add_inspection(
    app: &App,
    actor: &Actor,
    new: &NewInspection<'_>,
) -> Result<InspectionView, Error> {
    may(
        app,
        actor,
        Action::KeepTracker,
        "record an inspection report",
    )
    .await?;
    let id = new_id();
    let change = Change::InspectionAdded {
        inspection: id.clone(),
        title: name(new.title, "title", true)?.unwrap_or_default(),
        inspectorate: name(new.inspectorate.unwrap_or(""), "inspectorate", false)?
            .unwrap_or_else(|| "HMICFRS".into()),
        published_on: date(new.published_on, "published_on")?,
        link: link(new.link, "link")?,
    };
    let t = record(app, actor, change, Timestamp::now()).await?;
    inspection_view(&t, &id)
}

/// The force's inspection reports, oldest first.
pub async fn inspections(app: &App, actor: &Actor) -> Result<Vec<InspectionView>, Error> {
    let t = tracker(app, actor).await?;
    let today = today();
    Ok(t.inspections
        .iter()
        .map(|i| views::inspection(i, today))
        .collect())
}

/// One inspection report with its recommendations and response.
pub async fn inspection(app: &App, actor: &Actor, id: &str) -> Result<InspectionView, Error> {
    let t = tracker(app, actor).await?;
    inspection_view(&t, id)
}

fn inspection_view(t: &Tracker, id: &str) -> Result<InspectionView, Error> {
    t.inspection(id)
        .map(|i| views::inspection(i, today()))
        .ok_or(Error::NotFound)
}

fn recommendation_view(t: &Tracker, id: &str) -> Result<RecommendationView, Error> {
    t.recommendation(id)
        .map(|(_, r)| views::recommendation(r, today()))
        .ok_or(Error::NotFound)
}

/// One recommendation, with its report's id and title.
pub async fn recommendation(
    app: &App,
    actor: &Actor,
    id: &str,
) -> Result<(InspectionView, RecommendationView), Error> {
    let t = tracker(app, actor).await?;
    let (i, _) = t.recommendation(id).ok_or(Error::NotFound)?;
    Ok((inspection_view(&t, &i.id)?, recommendation_view(&t, id)?))
}

/// A recommendation as typed.
#[derive(Clone, Debug, Default)]
pub struct NewRecommendation<'a> {
    /// Its number in the report.
    pub number: &'a str,
    /// Its words.
    pub text: &'a str,
    /// `immediate`, `three_months`, `six_months` or `twelve_months`.
    pub time_band: &'a str,
    /// `YYYY-MM-DD`; blank for the time band's default.
    pub due_on: Option<&'a str>,
    /// Whether the words are a paraphrase.
    pub paraphrased: bool,
}

/// Add a recommendation to a report (the improvement team).
pub async fn add_recommendation(
    app: &App,
    actor: &Actor,
    inspection: &str,
    new: &NewRecommendation<'_>,
) -> Result<RecommendationView, Error> {
    may(app, actor, Action::KeepTracker, "add a recommendation").await?;
    let t = tracker(app, actor).await?;
    let i = t.inspection(inspection).ok_or(Error::NotFound)?;
    if i.recommendations.len() >= MAX_RECOMMENDATIONS {
        return Err(Error::invalid_at(
            CODE,
            format!("A report holds at most {MAX_RECOMMENDATIONS} recommendations."),
            "number",
        ));
    }
    let band: TimeBand = new
        .time_band
        .trim()
        .parse()
        .map_err(|m: String| Error::invalid_at(CODE, m, "time_band"))?;
    let due_on = match new.due_on.map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) => date(v, "due_on")?,
        None => band.due_from(i.published_on),
    };
    let id = new_id();
    let change = Change::RecommendationAdded {
        recommendation: id.clone(),
        inspection: i.id.clone(),
        number: name(new.number, "number", true)?.unwrap_or_default(),
        text: words(new.text, "text", true)?.unwrap_or_default(),
        time_band: band,
        due_on,
        paraphrased: new.paraphrased,
    };
    let t = record(app, actor, change, Timestamp::now()).await?;
    recommendation_view(&t, &id)
}

/// Record a status on one of a recommendation's two histories (the improvement team), on `on` (`YYYY-MM-DD`,
/// today when blank).
pub async fn record_status(
    app: &App,
    actor: &Actor,
    recommendation: &str,
    track: &str,
    status: &str,
    on: Option<&str>,
    comment: &str,
) -> Result<RecommendationView, Error> {
    may(
        app,
        actor,
        Action::KeepTracker,
        "record a recommendation's status",
    )
    .await?;
    let track: Track = track
        .trim()
        .parse()
        .map_err(|m: String| Error::invalid_at(CODE, m, "track"))?;
    let change = Change::StatusRecorded {
        recommendation: recommendation.to_string(),
        track,
        status: status.trim().to_string(),
        on: date_or_today(on, "on")?,
        comment: words(comment, "comment", false)?.unwrap_or_default(),
    };
    let t = record(app, actor, change, Timestamp::now()).await?;
    recommendation_view(&t, recommendation)
}

/// Add an action towards a recommendation (the improvement team).
pub async fn add_action(
    app: &App,
    actor: &Actor,
    recommendation: &str,
    text: &str,
    owner: &str,
    due_on: &str,
) -> Result<RecommendationView, Error> {
    may(app, actor, Action::KeepTracker, "add an action").await?;
    let change = Change::ActionAdded {
        action: new_id(),
        recommendation: recommendation.to_string(),
        text: words(text, "text", true)?.unwrap_or_default(),
        owner: name(owner, "owner", true)?.unwrap_or_default(),
        due_on: date(due_on, "due_on")?,
    };
    let t = record(app, actor, change, Timestamp::now()).await?;
    recommendation_view(&t, recommendation)
}

/// Mark an action done on `on` (today when blank), once (the improvement team).
pub async fn action_done(
    app: &App,
    actor: &Actor,
    recommendation: &str,
    action: &str,
    on: Option<&str>,
    note: &str,
) -> Result<RecommendationView, Error> {
    may(app, actor, Action::KeepTracker, "mark an action done").await?;
    let t = tracker(app, actor).await?;
    match t.action(action) {
        Some((_, r, _)) if r.id == recommendation => {}
        _ => return Err(Error::NotFound),
    }
    let change = Change::ActionDone {
        action: action.to_string(),
        on: date_or_today(on, "on")?,
        note: words(note, "note", false)?.unwrap_or_default(),
    };
    let t = record(app, actor, change, Timestamp::now()).await?;
    recommendation_view(&t, recommendation)
}

/// Evidence as typed.
#[derive(Clone, Debug, Default)]
pub struct NewEvidence<'a> {
    /// What it shows (required).
    pub note: &'a str,
    /// Where it is.
    pub link: Option<&'a str>,
    /// A document reference.
    pub file_ref: Option<&'a str>,
    /// The action it is evidence of.
    pub action: Option<&'a str>,
}

/// Add evidence towards a recommendation (the improvement team).
pub async fn add_evidence(
    app: &App,
    actor: &Actor,
    recommendation: &str,
    new: &NewEvidence<'_>,
) -> Result<RecommendationView, Error> {
    may(app, actor, Action::KeepTracker, "add evidence").await?;
    let change = Change::EvidenceAdded {
        evidence: new_id(),
        recommendation: recommendation.to_string(),
        action: new
            .action
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(str::to_string),
        note: words(new.note, "note", true)?.unwrap_or_default(),
        link: link(new.link, "link")?,
        file_ref: name(new.file_ref.unwrap_or(""), "file_ref", false)?,
    };
    let t = record(app, actor, change, Timestamp::now()).await?;
    recommendation_view(&t, recommendation)
}

/// The oversight body's comment on a recommendation.
pub async fn comment(
    app: &App,
    actor: &Actor,
    recommendation: &str,
    text: &str,
) -> Result<RecommendationView, Error> {
    may(app, actor, Action::KeepBoard, "comment on a recommendation").await?;
    let change = Change::Commented {
        recommendation: recommendation.to_string(),
        text: words(text, "text", true)?.unwrap_or_default(),
    };
    let t = record(app, actor, change, Timestamp::now()).await?;
    recommendation_view(&t, recommendation)
}

/// One answer as typed: the recommendation's id, the kind and the words.
#[derive(Clone, Debug, Default)]
pub struct TypedAnswer<'a> {
    /// The recommendation's id.
    pub recommendation: &'a str,
    /// `action_taken`, `action_proposed` or `no_action`.
    pub kind: &'a str,
    /// The words (a blank answer is left out).
    pub text: &'a str,
}

/// Save the section 55 response to a report (the oversight body): each save a new version, until published.
pub async fn save_response(
    app: &App,
    actor: &Actor,
    inspection: &str,
    covering: &str,
    chief_officer: &str,
    answers: &[TypedAnswer<'_>],
) -> Result<InspectionView, Error> {
    may(app, actor, Action::KeepBoard, "save a section 55 response").await?;
    if answers.len() > MAX_RECOMMENDATIONS {
        return Err(Error::invalid_at(
            CODE,
            format!("A response answers at most {MAX_RECOMMENDATIONS} recommendations."),
            "answers",
        ));
    }
    let mut kept = vec![];
    for (n, a) in answers.iter().enumerate() {
        let field = format!("answers[{n}]");
        let Some(text) = words(a.text, "text", false).map_err(|e| at(e, &field))? else {
            continue;
        };
        let kind: AnswerKind = a
            .kind
            .trim()
            .parse()
            .map_err(|m: String| Error::invalid_at(CODE, m, format!("{field}.kind")))?;
        kept.push(Answer {
            recommendation: a.recommendation.trim().to_string(),
            kind,
            text,
        });
    }
    let change = Change::ResponseSaved {
        inspection: inspection.to_string(),
        covering: words(covering, "covering", false)?.unwrap_or_default(),
        chief_officer: words(chief_officer, "chief_officer", false)?.unwrap_or_default(),
        answers: kept,
    };
    let t = record(app, actor, change, Timestamp::now()).await?;
    inspection_view(&t, inspection)
}

fn at(e: Error, field: &str) -> Error {
    match e {
        Error::Invalid { code, message, .. } => Error::Invalid {
            code,
            message,
            location: Some(format!("{field}.text")),
        },
        other => other,
    }
}

/// Publish the section 55 response on `on` (today when blank; not before the report, not in the future), once
/// every recommendation has an answer (the oversight body).
pub async fn publish_response(
    app: &App,
    actor: &Actor,
    inspection: &str,
    on: Option<&str>,
) -> Result<InspectionView, Error> {
    may(
        app,
        actor,
        Action::KeepBoard,
        "publish a section 55 response",
    )
    .await?;
    let change = Change::ResponsePublished {
        inspection: inspection.to_string(),
        on: date_or_today(on, "published_on")?,
    };
    let t = record(app, actor, change, Timestamp::now()).await?;
    inspection_view(&t, inspection)
}
