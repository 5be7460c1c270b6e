//! The oversight board: meetings every six weeks from a chosen first day, each editable (day, attendees,
//! minutes, decisions), and each meeting's snapshot, frozen on or after its day: the tracker's statuses, the
//! overdue actions, the figures of the twelve months to the last completed month (as the oversight role sees
//! them, small numbers suppressed), training coverage, and when and by whom it was frozen. The snapshot is a
//! [`Pack`] of words and numbers already formatted, stored once with its SHA-256 and never changed; the page and
//! the PDF of a board pack are both drawn from it, so they show the same figures, and later edits to the
//! tracker never reach a past pack.

use super::{CODE, date, load, may, record, views, words};
use crate::figures::report::{self, ReportQuery};
use crate::{Actor, App, Error};
use domain::Action;
use domain::governance::rules;
use domain::governance::{Change, Track};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The board's usual members, by role, offered as a pick-list when a meeting's attendees are recorded (anyone
/// else is written in as well).
pub const BOARD_ROLES: &[&str] = &[
    "Deputy Mayor for Policing and Crime (chair)",
    "Commander, Public Protection",
    "Detective Chief Superintendent, Safeguarding",
    "Head of the child protection improvement team",
    "Director of Children's Services (London, rotating)",
    "BCU commander (rotating)",
    "Local safeguarding children partnership representative",
    "Inspectorate liaison officer",
    "Oversight board secretariat",
];

/// The most attendees a meeting lists.
pub const MAX_ATTENDEES: usize = 100;

/// A board pack: everything a meeting's snapshot holds, as shown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Pack {
    /// The meeting.
    pub meeting: PackMeeting,
    /// When it was frozen (RFC 3339).
    pub frozen_at: String,
    /// Who froze it.
    pub frozen_by: String,
    /// The London day the tracker's overdue items are as at (`YYYY-MM-DD`).
    pub as_at: String,
    /// The inspection reports.
    pub inspections: Vec<PackInspection>,
    /// Actions past their due date and not done on that day.
    pub overdue_actions: Vec<PackAction>,
    /// The figures.
    pub figures: PackFigures,
    /// Training coverage.
    pub training: Vec<PackCourse>,
}

/// The meeting as it stood when frozen.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PackMeeting {
    /// Its id.
    pub id: String,
    /// Its day (`YYYY-MM-DD`).
    pub on: String,
    /// Who attended.
    pub attendees: Vec<String>,
    /// The minutes.
    pub minutes: String,
    /// The decisions.
    pub decisions: String,
}

/// A report in a pack.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PackInspection {
    /// Its title.
    pub title: String,
    /// Published (`YYYY-MM-DD`).
    pub published_on: String,
    /// The section 55 position in words.
    pub s55: String,
    /// Its recommendations.
    pub recommendations: Vec<PackRecommendation>,
}

/// A recommendation in a pack.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PackRecommendation {
    /// Its number.
    pub number: String,
    /// Its words.
    pub text: String,
    /// Due (`YYYY-MM-DD`).
    pub due_on: String,
    /// Past due and not finished.
    pub overdue: bool,
    /// The force's status in words (and since when).
    pub force_status: String,
    /// The inspectorate's status in words (and since when).
    pub inspectorate_status: String,
    /// Actions done, of all.
    pub actions_done: usize,
    /// Actions.
    pub actions: usize,
}

/// An overdue action in a pack.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PackAction {
    /// The report.
    pub report: String,
    /// The recommendation's number.
    pub number: String,
    /// The action.
    pub text: String,
    /// Its owner.
    pub owner: String,
    /// Due (`YYYY-MM-DD`).
    pub due_on: String,
}

/// The figures in a pack.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PackFigures {
    /// `December 2025 to November 2026`.
    pub period: String,
    /// Whether small numbers are suppressed.
    pub suppressed: bool,
    /// The tables, every cell in words.
    pub tables: Vec<PackTable>,
}

/// A table of figures in a pack.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PackTable {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// What it counts.
    pub about: String,
    /// Column headings (after the row label).
    pub columns: Vec<String>,
    /// Rows.
    pub rows: Vec<PackRow>,
}

/// A row of a table in a pack.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PackRow {
    /// Its label.
    pub label: String,
    /// Its cells, in words.
    pub cells: Vec<String>,
}

/// A course's coverage in a pack.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PackCourse {
    /// Its name.
    pub name: String,
    /// Per BCU.
    pub bcus: Vec<super::BcuCoverageView>,
    /// Force: done.
    pub done: usize,
    /// Force: team.
    pub team: usize,
}

/// A meeting with its snapshot, if frozen.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeetingView {
    /// Its id.
    pub id: String,
    /// Its day (`YYYY-MM-DD`).
    pub on: String,
    /// Who attended.
    pub attendees: Vec<String>,
    /// The minutes.
    pub minutes: String,
    /// The decisions.
    pub decisions: String,
    /// When its snapshot was frozen (RFC 3339).
    pub frozen_at: Option<String>,
    /// Who froze it.
    pub frozen_by: Option<String>,
    /// The snapshot's SHA-256 (hex).
    pub sha256: Option<String>,
}

/// A frozen snapshot as read back.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SnapshotView {
    /// The snapshot's id.
    pub id: String,
    /// Its SHA-256 as recorded when it was frozen (hex).
    pub sha256: String,
    /// Whether the stored content still has that hash.
    pub intact: bool,
    /// The pack.
    pub pack: Pack,
}

/// Schedule `count` meetings every six weeks from `first` (`YYYY-MM-DD`) (the oversight body).
pub async fn schedule(
    app: &App,
    actor: &Actor,
    first: &str,
    count: usize,
) -> Result<Vec<MeetingView>, Error> {
    may(app, actor, Action::KeepBoard, "schedule board meetings").await?;
    let first = date(first, "first")?;
    rules::check_schedule(count, first, app.config().earliest).map_err(super::problem)?;
    let ids = (0..count)
        .map(|_| uuid::Uuid::now_v7().to_string())
        .collect();
    record(
        app,
        actor,
        Change::MeetingsScheduled {
            first,
            meetings: ids,
        },
        Timestamp::now(),
    )
    .await?;
    meetings(app, actor).await
}

/// Edit a meeting's record: its day, attendees (one each, by role and name if wanted; blanks left out),
/// minutes and decisions (the oversight body).
pub async fn edit(
    app: &App,
    actor: &Actor,
    meeting: &str,
    on: &str,
    attendees: &[String],
    minutes: &str,
    decisions: &str,
) -> Result<MeetingView, Error> {
    may(app, actor, Action::KeepBoard, "edit a board meeting").await?;
    if attendees.len() > MAX_ATTENDEES {
        return Err(Error::invalid_at(
            CODE,
            format!("List at most {MAX_ATTENDEES} attendees."),
            "attendees",
        ));
    }
    let attendees: Vec<String> = attendees
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .map(|l| super::name(l, "attendees", true).map(Option::unwrap_or_default))
        .collect::<Result<_, _>>()?;
    let change = Change::MeetingEdited {
        meeting: meeting.to_string(),
        on: date(on, "on")?,
        attendees,
        minutes: words(minutes, "minutes", false)?.unwrap_or_default(),
        decisions: words(decisions, "decisions", false)?.unwrap_or_default(),
    };
    record(app, actor, change, Timestamp::now()).await?;
    meetings(app, actor)
        .await?
        .into_iter()
        .find(|m| m.id == meeting)
        .ok_or(Error::NotFound)
}

/// The board's meetings, by day, each with its snapshot's details once frozen.
pub async fn meetings(app: &App, actor: &Actor) -> Result<Vec<MeetingView>, Error> {
    let t = super::tracker(app, actor).await?;
    let frozen = app.store().snapshots(actor.user.force).await?;
    Ok(t.meetings
        .iter()
        .map(|m| {
            let s = frozen.iter().find(|s| s.meeting == m.id);
            MeetingView {
                id: m.id.clone(),
                on: m.on.to_string(),
                attendees: m.attendees.clone(),
                minutes: m.minutes.clone(),
                decisions: m.decisions.clone(),
                frozen_at: s.map(|s| views::rfc3339(s.frozen_at)),
                frozen_by: s.and_then(|s| s.frozen_by.clone()),
                sha256: s.map(|s| s.sha256.clone()),
            }
        })
        .collect())
}

/// Freeze a meeting's snapshot now (the oversight body), once, on or after the meeting's day.
pub async fn freeze(app: &App, actor: &Actor, meeting: &str) -> Result<SnapshotView, Error> {
    freeze_at(app, actor, meeting, Timestamp::now()).await
}

/// Freeze a meeting's snapshot as at `at` (the demo freezes its past meetings on their days).
pub async fn freeze_at(
    app: &App,
    actor: &Actor,
    meeting: &str,
    at: Timestamp,
) -> Result<SnapshotView, Error> {
    may(app, actor, Action::KeepBoard, "freeze a board snapshot").await?;
    let t = load(app, actor).await?;
    let day = domain::time::in_london(at).date();
    rules::check_freeze(&t, meeting, day).map_err(super::problem)?;
    let m = t.meeting(meeting).ok_or(Error::NotFound)?;
    let pack = build(app, actor, &t, m, at, day).await?;
    let content = serde_json::to_string(&pack)
        .map_err(|e| Error::Internal(format!("a board pack as JSON: {e}")))?;
    let sha = hex(&Sha256::digest(content.as_bytes()));
    match app
        .store()
        .freeze_snapshot(
            actor.user.force,
            meeting,
            &content,
            &sha,
            at,
            &actor.author(),
        )
        .await
    {
        Err(store::StoreError::Conflict) => Err(Error::AlreadyDone {
            code: "governance.already_done",
            message:
                "This meeting's snapshot is already frozen: a frozen snapshot is never changed."
                    .into(),
        }),
        other => {
            other?;
            snapshot(app, actor, meeting).await
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A meeting's frozen snapshot, its hash checked again.
pub async fn snapshot(app: &App, actor: &Actor, meeting: &str) -> Result<SnapshotView, Error> {
    super::tracker(app, actor).await?;
    let s = app
        .store()
        .snapshots(actor.user.force)
        .await?
        .into_iter()
        .find(|s| s.meeting == meeting)
        .ok_or(Error::NotFound)?;
    let pack: Pack = serde_json::from_str(&s.content)
        .map_err(|e| Error::Internal(format!("board snapshot {} is not readable: {e}", s.id)))?;
    Ok(SnapshotView {
        intact: hex(&Sha256::digest(s.content.as_bytes())) == s.sha256,
        id: s.id,
        sha256: s.sha256,
        pack,
    })
}

async fn build(
    app: &App,
    actor: &Actor,
    t: &domain::governance::Tracker,
    m: &domain::governance::tracker::Meeting,
    at: Timestamp,
    day: jiff::civil::Date,
) -> Result<Pack, Error> {
    let status = |s: Option<&domain::governance::tracker::StatusEntry>, track: Track| match s {
        None => "None recorded".to_string(),
        Some(e) => {
            let label = match track {
                Track::Force => e
                    .status
                    .parse::<domain::governance::ForceStatus>()
                    .map(|s| s.label()),
                Track::Inspectorate => e
                    .status
                    .parse::<domain::governance::InspectorateStatus>()
                    .map(|s| s.label()),
            };
            format!("{} (from {})", label.unwrap_or("Unknown"), e.on)
        }
    };
    let mut overdue_actions = vec![];
    let inspections = t
        .inspections
        .iter()
        .map(|i| {
            let view = views::inspection(i, day);
            PackInspection {
                title: i.title.clone(),
                published_on: i.published_on.to_string(),
                s55: s55_words(&view),
                recommendations: i
                    .recommendations
                    .iter()
                    .map(|r| {
                        for a in r.actions.iter().filter(|a| a.overdue(day)) {
                            overdue_actions.push(PackAction {
                                report: i.title.clone(),
                                number: r.number.clone(),
                                text: a.text.clone(),
                                owner: a.owner.clone(),
                                due_on: a.due_on.to_string(),
                            });
                        }
                        PackRecommendation {
                            number: r.number.clone(),
                            text: r.text.clone(),
                            due_on: r.due_on.to_string(),
                            overdue: r.overdue(day),
                            force_status: status(r.current(Track::Force), Track::Force),
                            inspectorate_status: status(
                                r.current(Track::Inspectorate),
                                Track::Inspectorate,
                            ),
                            actions_done: r.actions.iter().filter(|a| a.done.is_some()).count(),
                            actions: r.actions.len(),
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    // The twelve months to the last month completed before the freezing day.
    let month = domain::figures::Month::of(at).prev();
    let first = (0..11).fold(month, |m, _| m.prev());
    let query = ReportQuery {
        from: Some(first.to_string()),
        to: Some(month.to_string()),
        bcu: None,
    };
    let figures = match report::report(app, actor, &query).await {
        Ok(r) => PackFigures {
            period: r.period.clone(),
            suppressed: r.suppressed,
            tables: r
                .tables
                .iter()
                .map(|tb| PackTable {
                    id: tb.id.to_string(),
                    title: tb.title.clone(),
                    about: tb.about.clone(),
                    columns: tb.columns.iter().map(|c| c.label.clone()).collect(),
                    rows: tb
                        .rows
                        .iter()
                        .map(|row| {
                            let cells = row
                                .cells
                                .iter()
                                .zip(&tb.columns)
                                .map(|(c, col)| c.text(col.kind))
                                .collect();
                            PackRow {
                                label: row.label.clone(),
                                cells,
                            }
                        })
                        .collect(),
                })
                .collect(),
        },
        Err(e) => return Err(e),
    };
    let training = super::training::courses(app, actor)
        .await?
        .into_iter()
        .map(|c| PackCourse {
            name: c.name,
            bcus: c.bcus,
            done: c.done,
            team: c.team,
        })
        .collect();
    Ok(Pack {
        meeting: PackMeeting {
            id: m.id.clone(),
            on: m.on.to_string(),
            attendees: m.attendees.clone(),
            minutes: m.minutes.clone(),
            decisions: m.decisions.clone(),
        },
        frozen_at: views::rfc3339(at),
        frozen_by: actor.user.display_name.clone(),
        as_at: day.to_string(),
        inspections,
        overdue_actions,
        figures,
        training,
    })
}

/// Where a report's section 55 response stands, in words.
pub fn s55_words(i: &views::InspectionView) -> String {
    let long = |d: &str| {
        d.parse::<jiff::civil::Date>()
            .map(|d| d.strftime("%-d %B %Y").to_string())
            .unwrap_or_else(|_| d.to_string())
    };
    let last = long(&i.s55_last_day);
    match (&i.s55_published_on, i.s55_days_late, i.s55_days_remaining) {
        (Some(p), Some(0), _) => format!("Published on {}, on time (last day {last}).", long(p)),
        (Some(p), Some(late), _) => format!(
            "Published on {}, {late} day{} after the last day ({last}).",
            long(p),
            if late == 1 { "" } else { "s" }
        ),
        (_, _, Some(0)) => format!("Not published yet: today ({last}) is the last day."),
        (_, _, Some(n)) if n > 0 => format!(
            "Not published yet: {n} day{} left (last day {last}).",
            if n == 1 { "" } else { "s" }
        ),
        (_, _, Some(n)) => format!(
            "Not published: the last day was {last}, {} day{} ago.",
            -n,
            if n == -1 { "" } else { "s" }
        ),
        _ => format!("Last day {last}."),
    }
}
