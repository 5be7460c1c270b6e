//! The tracker as the pages and the API show it: dates as `YYYY-MM-DD`, statuses with their words, what is
//! overdue today, and the section 55 position (days remaining, or days late once published after the last day).

use domain::governance::tracker::{ActionItem, Inspection, Recommendation, StatusEntry};
use domain::governance::{ForceStatus, InspectorateStatus, Track, days_between, rules};
use jiff::civil::Date;
use serde::Serialize;

pub(super) fn rfc3339(t: jiff::Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// An inspection report.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InspectionView {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Who published it.
    pub inspectorate: String,
    /// When (`YYYY-MM-DD`): day 1 of the section 55 period.
    pub published_on: String,
    /// Where it is published.
    pub link: Option<String>,
    /// The last day for the section 55 response (`YYYY-MM-DD`): 56 days beginning with publication day.
    pub s55_last_day: String,
    /// Until the response is published: days from today to the last day (0 on the last day; negative once past).
    pub s55_days_remaining: Option<i64>,
    /// The day the response was published (`YYYY-MM-DD`).
    pub s55_published_on: Option<String>,
    /// Days the published response came after the last day (0 when on time).
    pub s55_days_late: Option<i64>,
    /// Recommendations.
    pub recommendations: Vec<RecommendationView>,
    /// Of them, past their due date and not finished today.
    pub recommendations_overdue: usize,
    /// Actions past their due date and not done today, across its recommendations.
    pub actions_overdue: usize,
    /// The section 55 response, once one is saved.
    pub response: Option<ResponseView>,
    /// Who recorded it.
    pub recorded_by: String,
    /// When (RFC 3339).
    pub recorded_at: String,
}

/// A recommendation.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecommendationView {
    /// Its id.
    pub id: String,
    /// Its number in the report.
    pub number: String,
    /// Its words.
    pub text: String,
    /// Whether the words are a paraphrase rather than the report's own.
    pub paraphrased: bool,
    /// Its time band (`immediate`, `three_months`, `six_months`, `twelve_months`).
    pub time_band: String,
    /// The band in words.
    pub time_band_label: String,
    /// When due (`YYYY-MM-DD`).
    pub due_on: String,
    /// Past its due date today, and neither closed by the force nor complete for the inspectorate.
    pub overdue: bool,
    /// The inspectorate's latest status.
    pub inspectorate_status: Option<StatusView>,
    /// The force's latest status.
    pub force_status: Option<StatusView>,
    /// The inspectorate's statuses, in the order they took effect.
    pub inspectorate_history: Vec<StatusView>,
    /// The force's statuses, in the order they took effect.
    pub force_history: Vec<StatusView>,
    /// Actions.
    pub actions: Vec<ActionView>,
    /// Evidence.
    pub evidence: Vec<EvidenceView>,
    /// The oversight body's comments.
    pub comments: Vec<CommentView>,
}

/// A status.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusView {
    /// Its name.
    pub status: String,
    /// In words.
    pub label: String,
    /// The day it took effect (`YYYY-MM-DD`).
    pub on: String,
    /// Any comment.
    pub comment: String,
    /// Who recorded it.
    pub recorded_by: String,
    /// When (RFC 3339).
    pub recorded_at: String,
}

/// An action.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = TrackerAction))]
pub struct ActionView {
    /// Its id.
    pub id: String,
    /// What is to be done.
    pub text: String,
    /// Who owns it.
    pub owner: String,
    /// When due (`YYYY-MM-DD`).
    pub due_on: String,
    /// Past due and not done today.
    pub overdue: bool,
    /// When done (`YYYY-MM-DD`).
    pub done_on: Option<String>,
    /// The note made when done.
    pub done_note: Option<String>,
    /// Who recorded it.
    pub recorded_by: String,
}

/// Evidence.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EvidenceView {
    /// Its id.
    pub id: String,
    /// The action it is evidence of.
    pub action: Option<String>,
    /// What it shows.
    pub note: String,
    /// Where it is (a web address).
    pub link: Option<String>,
    /// A document reference.
    pub file_ref: Option<String>,
    /// Who added it.
    pub recorded_by: String,
    /// When (RFC 3339).
    pub recorded_at: String,
}

/// A comment of the oversight body.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommentView {
    /// The comment.
    pub text: String,
    /// Who made it.
    pub by: String,
    /// When (RFC 3339).
    pub at: String,
}

/// A section 55 response.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResponseView {
    /// The covering text.
    pub covering: String,
    /// The chief officer's comments, published with the body's own.
    pub chief_officer: String,
    /// The answers, in the report's order.
    pub answers: Vec<AnswerView>,
    /// The numbers of recommendations not yet answered.
    pub unanswered: Vec<String>,
    /// Versions saved.
    pub versions: usize,
    /// Who saved the last version.
    pub saved_by: String,
    /// When (RFC 3339).
    pub saved_at: String,
    /// The day it was published (`YYYY-MM-DD`).
    pub published_on: Option<String>,
}

/// An answer.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnswerView {
    /// The recommendation's id.
    pub recommendation: String,
    /// Its number.
    pub number: String,
    /// `action_taken`, `action_proposed` or `no_action`.
    pub kind: String,
    /// In words.
    pub kind_label: String,
    /// The words.
    pub text: String,
}

fn status(e: &StatusEntry, track: Track) -> StatusView {
    let label = match track {
        Track::Inspectorate => e
            .status
            .parse::<InspectorateStatus>()
            .map(|s| s.label())
            .unwrap_or("Unknown"),
        Track::Force => e
            .status
            .parse::<ForceStatus>()
            .map(|s| s.label())
            .unwrap_or("Unknown"),
    };
    StatusView {
        status: e.status.clone(),
        label: label.into(),
        on: e.on.to_string(),
        comment: e.comment.clone(),
        recorded_by: e.stamp.by.clone(),
        recorded_at: rfc3339(e.stamp.at),
    }
}

fn action(a: &ActionItem, today: Date) -> ActionView {
    ActionView {
        id: a.id.clone(),
        text: a.text.clone(),
        owner: a.owner.clone(),
        due_on: a.due_on.to_string(),
        overdue: a.overdue(today),
        done_on: a.done.as_ref().map(|d| d.0.to_string()),
        done_note: a.done.as_ref().map(|d| d.1.clone()),
        recorded_by: a.added.by.clone(),
    }
}

/// A recommendation as shown on `today`.
pub(super) fn recommendation(r: &Recommendation, today: Date) -> RecommendationView {
    let history = |track: Track| -> Vec<StatusView> {
        let list = match track {
            Track::Inspectorate => &r.inspectorate,
            Track::Force => &r.force,
        };
        list.iter().map(|e| status(e, track)).collect()
    };
    RecommendationView {
        id: r.id.clone(),
        number: r.number.clone(),
        text: r.text.clone(),
        paraphrased: r.paraphrased,
        time_band: r.time_band.as_str().into(),
        time_band_label: r.time_band.label().into(),
        due_on: r.due_on.to_string(),
        overdue: r.overdue(today),
        inspectorate_status: r
            .current(Track::Inspectorate)
            .map(|e| status(e, Track::Inspectorate)),
        force_status: r.current(Track::Force).map(|e| status(e, Track::Force)),
        inspectorate_history: history(Track::Inspectorate),
        force_history: history(Track::Force),
        actions: r.actions.iter().map(|a| action(a, today)).collect(),
        evidence: r
            .evidence
            .iter()
            .map(|e| EvidenceView {
                id: e.id.clone(),
                action: e.action.clone(),
                note: e.note.clone(),
                link: e.link.clone(),
                file_ref: e.file_ref.clone(),
                recorded_by: e.stamp.by.clone(),
                recorded_at: rfc3339(e.stamp.at),
            })
            .collect(),
        comments: r
            .comments
            .iter()
            .map(|c| CommentView {
                text: c.text.clone(),
                by: c.stamp.by.clone(),
                at: rfc3339(c.stamp.at),
            })
            .collect(),
    }
}

/// A report as shown on `today`.
pub(super) fn inspection(i: &Inspection, today: Date) -> InspectionView {
    let recommendations: Vec<RecommendationView> = i
        .recommendations
        .iter()
        .map(|r| recommendation(r, today))
        .collect();
    let published = i.s55_published_on();
    let response = i.response.as_ref().map(|resp| ResponseView {
        covering: resp.covering.clone(),
        chief_officer: resp.chief_officer.clone(),
        answers: i
            .recommendations
            .iter()
            .filter_map(|r| {
                let a = resp.answers.iter().find(|a| a.recommendation == r.id)?;
                Some(AnswerView {
                    recommendation: r.id.clone(),
                    number: r.number.clone(),
                    kind: a.kind.as_str().into(),
                    kind_label: a.kind.label().into(),
                    text: a.text.clone(),
                })
            })
            .collect(),
        unanswered: rules::unanswered(i)
            .into_iter()
            .map(str::to_string)
            .collect(),
        versions: resp.versions,
        saved_by: resp.saved.by.clone(),
        saved_at: rfc3339(resp.saved.at),
        published_on: published.map(|d| d.to_string()),
    });
    InspectionView {
        id: i.id.clone(),
        title: i.title.clone(),
        inspectorate: i.inspectorate.clone(),
        published_on: i.published_on.to_string(),
        link: i.link.clone(),
        s55_last_day: i.s55_last_day().to_string(),
        s55_days_remaining: published
            .is_none()
            .then(|| days_between(today, i.s55_last_day())),
        s55_published_on: published.map(|d| d.to_string()),
        s55_days_late: i.s55_days_late(),
        recommendations_overdue: recommendations.iter().filter(|r| r.overdue).count(),
        actions_overdue: recommendations
            .iter()
            .flat_map(|r| &r.actions)
            .filter(|a| a.overdue)
            .count(),
        recommendations,
        response,
        recorded_by: i.added.by.clone(),
        recorded_at: rfc3339(i.added.at),
    }
}
