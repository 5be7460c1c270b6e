//! Training: the improvement lead's courses and sessions, completions imported from a CSV export of the
//! force's learning system (`staff_number,course,completed_on`; every bad row reported by its line and nothing
//! imported unless all are good), coverage per BCU for everyone who reads governance or the figures, and who
//! completed what by name only within `domain::governance::training::name_reach` (a logged consultation).

use super::{CODE, date, load, may, name, record, today, words};
use crate::access::log;
use crate::{Actor, App, Error};
use domain::audit::{AccessOutcome, Processing};
use domain::governance::Change;
use domain::governance::training::{NameReach, TeamMember, coverage, name_reach, on_a_team};
use domain::{Action, Decision, Target};
use jiff::Timestamp;
use serde::Serialize;

/// The largest CSV file of completions.
pub const MAX_CSV_BYTES: usize = 5 << 20;
/// The most rows one import takes.
pub const MAX_CSV_ROWS: usize = 50_000;
/// The most bad rows one refusal lists.
const MAX_LISTED: usize = 20;

/// A course with its sessions and coverage.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CourseView {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// What it covers.
    pub description: String,
    /// Its sessions.
    pub sessions: Vec<SessionView>,
    /// Per BCU: team members who completed it, and team members.
    pub bcus: Vec<BcuCoverageView>,
    /// The force's teams: completed.
    pub done: usize,
    /// The force's team members.
    pub team: usize,
}

/// A session of a course.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionView {
    /// The day (`YYYY-MM-DD`).
    pub on: String,
    /// Where.
    pub place: String,
}

/// One BCU team's coverage of a course.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BcuCoverageView {
    /// The BCU (code).
    pub bcu: String,
    /// Team members who completed the course.
    pub done: usize,
    /// Team members.
    pub team: usize,
}

/// A completion, by name.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CompletionView {
    /// The officer.
    pub officer: String,
    /// Their BCU (code), if any.
    pub bcu: Option<String>,
    /// The course.
    pub course: String,
    /// The day completed (`YYYY-MM-DD`).
    pub completed_on: String,
}

/// What an import did.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportSummary {
    /// Rows read.
    pub rows: usize,
    /// Completions new to the records.
    pub recorded: usize,
    /// Rows of completions already recorded.
    pub already: usize,
}

/// Add a course (the improvement lead).
pub async fn add_course(
    app: &App,
    actor: &Actor,
    course_name: &str,
    description: &str,
) -> Result<CourseView, Error> {
    may(app, actor, Action::KeepTracker, "add a course").await?;
    let id = uuid::Uuid::now_v7().to_string();
    let change = Change::CourseAdded {
        course: id.clone(),
        name: name(course_name, "name", true)?.unwrap_or_default(),
        description: words(description, "description", false)?.unwrap_or_default(),
    };
    record(app, actor, change, Timestamp::now()).await?;
    courses(app, actor)
        .await?
        .into_iter()
        .find(|c| c.id == id)
        .ok_or(Error::NotFound)
}

/// Add a session of a course on `on` (`YYYY-MM-DD`) at `place` (the improvement lead).
pub async fn add_session(
    app: &App,
    actor: &Actor,
    course: &str,
    on: &str,
    place: &str,
) -> Result<CourseView, Error> {
    may(app, actor, Action::KeepTracker, "add a session").await?;
    let change = Change::SessionAdded {
        session: uuid::Uuid::now_v7().to_string(),
        course: course.to_string(),
        on: date(on, "on")?,
        place: name(place, "place", false)?.unwrap_or_default(),
    };
    record(app, actor, change, Timestamp::now()).await?;
    courses(app, actor)
        .await?
        .into_iter()
        .find(|c| c.id == course)
        .ok_or(Error::NotFound)
}

fn reads_coverage(actor: &Actor) -> bool {
    let p = actor.principal();
    [Action::ReadGovernance, Action::ViewAggregates]
        .into_iter()
        .any(|a| domain::decide(&p, a, Target::Collection) == Decision::Allow)
        || name_reach(&p) != NameReach::Nobody
}

/// The courses with their sessions and each BCU team's coverage (no names).
pub async fn courses(app: &App, actor: &Actor) -> Result<Vec<CourseView>, Error> {
    if !reads_coverage(actor) {
        log(
            app,
            actor,
            Processing::Consultation,
            "collection",
            "-",
            AccessOutcome::Denied,
            format!("read training coverage: not open to {}", actor.user.role),
        )
        .await?;
        return Err(Error::Forbidden);
    }
    let t = load(app, actor).await?;
    let force = actor.user.force;
    let bcus = app.store().list_bcus(force).await?;
    let team: Vec<TeamMember> = app
        .store()
        .list_users(force, None)
        .await?
        .into_iter()
        .filter(|u| u.active && on_a_team(u.role))
        .filter_map(|u| u.bcu.map(|bcu| TeamMember { user: u.id, bcu }))
        .collect();
    let ids: Vec<_> = bcus.iter().map(|b| b.id).collect();
    let code = |id| {
        bcus.iter()
            .find(|b| b.id == id)
            .map(|b| b.code.clone())
            .unwrap_or_default()
    };
    Ok(coverage(&t, &team, &ids)
        .into_iter()
        .map(|c| {
            let course = t.course(&c.course);
            CourseView {
                description: course.map(|x| x.description.clone()).unwrap_or_default(),
                sessions: course
                    .map(|x| {
                        x.sessions
                            .iter()
                            .map(|s| SessionView {
                                on: s.on.to_string(),
                                place: s.place.clone(),
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                bcus: c
                    .bcus
                    .iter()
                    .map(|b| BcuCoverageView {
                        bcu: code(b.bcu),
                        done: b.done,
                        team: b.team,
                    })
                    .collect(),
                id: c.course,
                name: c.name,
                done: c.done,
                team: c.team,
            }
        })
        .collect())
}

/// Who completed what, by name, as far as the reader's rule reaches (a logged consultation of officers'
/// personal data).
pub async fn completions(app: &App, actor: &Actor) -> Result<Vec<CompletionView>, Error> {
    let reach = name_reach(&actor.principal());
    if reach == NameReach::Nobody {
        log(
            app,
            actor,
            Processing::Consultation,
            "training",
            "-",
            AccessOutcome::Denied,
            format!("read training completions: not open to {}", actor.user.role),
        )
        .await?;
        return Err(Error::Forbidden);
    }
    let t = load(app, actor).await?;
    let force = actor.user.force;
    let bcus = app.store().list_bcus(force).await?;
    let users = app.store().list_users(force, None).await?;
    let mut out = vec![];
    for c in &t.courses {
        for x in &c.completions {
            let Some(u) = users.iter().find(|u| u.id.to_string() == x.user) else {
                continue;
            };
            if !reach.reaches(u.id, u.bcu) {
                continue;
            }
            out.push(CompletionView {
                officer: u.display_name.clone(),
                bcu: u
                    .bcu
                    .and_then(|b| bcus.iter().find(|x| x.id == b))
                    .map(|b| b.code.clone()),
                course: c.name.clone(),
                completed_on: x.completed_on.to_string(),
            });
        }
    }
    out.sort_by(|a, b| (&a.bcu, &a.officer, &a.course).cmp(&(&b.bcu, &b.officer, &b.course)));
    log(
        app,
        actor,
        Processing::Consultation,
        "training",
        "-",
        AccessOutcome::Allowed,
        format!("training completions: {} listed", out.len()),
    )
    .await?;
    Ok(out)
}

/// Import completions from a CSV export (`staff_number,course,completed_on`, a header row first; the course
/// by its name or id). Every bad row is reported by its line, and nothing is imported unless every row is good.
pub async fn import_completions(
    app: &App,
    actor: &Actor,
    source: &str,
    bytes: &[u8],
) -> Result<ImportSummary, Error> {
    may(
        app,
        actor,
        Action::KeepTracker,
        "import training completions",
    )
    .await?;
    let bad = |m: String| Error::invalid_at(CODE, m, "file");
    if bytes.len() > MAX_CSV_BYTES {
        return Err(Error::TooLarge {
            code: "training.too_large",
            message: format!("The file is over {} MiB.", MAX_CSV_BYTES >> 20),
        });
    }
    let source = name(source, "source", false)?.unwrap_or_else(|| "completions.csv".into());
    let t = load(app, actor).await?;
    let numbers = app.store().staff_numbers(actor.user.force).await?;
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(bytes);
    let header = reader
        .headers()
        .map_err(|e| bad(format!("{source}: the header row could not be read ({e}).")))?
        .clone();
    let col = |want: &str| header.iter().position(|h| h.eq_ignore_ascii_case(want));
    let (Some(staff), Some(course), Some(on)) =
        (col("staff_number"), col("course"), col("completed_on"))
    else {
        return Err(bad(format!(
            "{source}: the first row must name the columns staff_number, course and completed_on."
        )));
    };
    let today = today();
    let (mut rows, mut problems, mut count) = (vec![], vec![], 0usize);
    for (n, record) in reader.records().enumerate() {
        let line = n + 2;
        count += 1;
        if count > MAX_CSV_ROWS {
            return Err(bad(format!(
                "{source}: more than {MAX_CSV_ROWS} rows; split the file."
            )));
        }
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                problems.push(format!("line {line}: not readable as CSV ({e})"));
                continue;
            }
        };
        let cell = |i: usize| record.get(i).unwrap_or("").trim();
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let who = numbers
            .iter()
            .find(|(_, s)| s.eq_ignore_ascii_case(cell(staff)));
        let what = t.course(cell(course));
        let day = cell(on).parse::<jiff::civil::Date>();
        match (who, what, day) {
            (None, _, _) => problems.push(format!(
                "line {line}: no officer has the staff number '{}'",
                cell(staff)
            )),
            (_, None, _) => problems.push(format!(
                "line {line}: no course is named '{}'",
                cell(course)
            )),
            (_, _, Err(_)) => problems.push(format!(
                "line {line}: completed_on '{}' is not a date (YYYY-MM-DD)",
                cell(on)
            )),
            (_, _, Ok(d)) if d > today => {
                problems.push(format!("line {line}: completed_on {d} is in the future"))
            }
            (Some((user, _)), Some(c), Ok(d)) => rows.push(domain::governance::Completion {
                user: user.to_string(),
                course: c.id.clone(),
                completed_on: d,
            }),
        }
    }
    if !problems.is_empty() {
        let more = problems.len().saturating_sub(MAX_LISTED);
        problems.truncate(MAX_LISTED);
        return Err(bad(format!(
            "{source}: nothing was imported; {} row{} to correct: {}{}",
            problems.len() + more,
            if problems.len() + more == 1 { "" } else { "s" },
            problems.join("; "),
            if more > 0 {
                format!("; and {more} more")
            } else {
                String::new()
            }
        )));
    }
    if rows.is_empty() {
        return Err(bad(format!("{source}: the file has no completions.")));
    }
    let already = rows
        .iter()
        .enumerate()
        .filter(|(i, r)| {
            t.course(&r.course)
                .is_some_and(|c| c.completions.iter().any(|x| x.user == r.user))
                || rows[..*i]
                    .iter()
                    .any(|p| p.user == r.user && p.course == r.course)
        })
        .count();
    let total = rows.len();
    let change = Change::CompletionsImported {
        import: uuid::Uuid::now_v7().to_string(),
        source,
        rows,
    };
    record(app, actor, change, Timestamp::now()).await?;
    Ok(ImportSummary {
        rows: total,
        recorded: total - already,
        already,
    })
}
