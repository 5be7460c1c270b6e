//! The rules a governance change must meet against the tracker as it stands: dates not before the report and
//! not in the future, numbers unique within a report, due dates not before publication, an action done once,
//! and a section 55 response published only once every recommendation of its report has an answer.

use super::tracker::{Inspection, Tracker};
use super::{Answer, ForceStatus, InspectorateStatus, Track};
use jiff::civil::Date;

/// Why a change is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The report, recommendation or action named does not exist.
    NotFound,
    /// It was already done (an action done, a response published).
    AlreadyDone(String),
    /// A field is wrong.
    Invalid {
        /// The field.
        field: &'static str,
        /// For people.
        message: String,
    },
}

fn invalid(field: &'static str, message: impl Into<String>) -> Problem {
    Problem::Invalid {
        field,
        message: message.into(),
    }
}

/// A day something happened: not before `from` (the report's publication), not after `today`.
pub fn check_day(
    on: Date,
    from: Date,
    today: Date,
    field: &'static str,
    what: &str,
) -> Result<(), Problem> {
    if on > today {
        return Err(invalid(
            field,
            format!("The {what} is in the future: give today or an earlier day."),
        ));
    }
    if on < from {
        return Err(invalid(
            field,
            format!("The {what} is before the report was published ({from})."),
        ));
    }
    Ok(())
}

/// A new report: published on or before today, and not before `earliest`.
pub fn check_inspection(published_on: Date, today: Date, earliest: Date) -> Result<(), Problem> {
    if published_on > today {
        return Err(invalid(
            "published_on",
            "The publication date is in the future: record a report once it is published.",
        ));
    }
    if published_on < earliest {
        return Err(invalid(
            "published_on",
            format!(
                "The publication date is before {earliest}, the earliest date this force accepts."
            ),
        ));
    }
    Ok(())
}

/// A new recommendation of `inspection`: its number not already used in the report, due on or after
/// publication.
pub fn check_recommendation<'a>(
    t: &'a Tracker,
    inspection: &str,
    number: &str,
    due_on: Date,
) -> Result<&'a Inspection, Problem> {
    let i = t.inspection(inspection).ok_or(Problem::NotFound)?;
    if i.recommendations
        .iter()
        .any(|r| r.number.eq_ignore_ascii_case(number))
    {
        return Err(invalid(
            "number",
            format!("This report already has a recommendation numbered {number}."),
        ));
    }
    if due_on < i.published_on {
        return Err(invalid(
            "due_on",
            format!(
                "The due date is before the report was published ({}).",
                i.published_on
            ),
        ));
    }
    Ok(i)
}

/// A status on `track` for a recommendation: a status of that history, on a day from publication to today.
pub fn check_status(
    t: &Tracker,
    recommendation: &str,
    track: Track,
    status: &str,
    on: Date,
    today: Date,
) -> Result<(), Problem> {
    let (i, _) = t.recommendation(recommendation).ok_or(Problem::NotFound)?;
    let known = match track {
        Track::Inspectorate => status.parse::<InspectorateStatus>().map(|_| ()),
        Track::Force => status.parse::<ForceStatus>().map(|_| ()),
    };
    known.map_err(|m| invalid("status", m))?;
    check_day(on, i.published_on, today, "on", "status's date")
}

/// A new action: due on or after the report's publication.
pub fn check_action(t: &Tracker, recommendation: &str, due_on: Date) -> Result<(), Problem> {
    let (i, _) = t.recommendation(recommendation).ok_or(Problem::NotFound)?;
    if due_on < i.published_on {
        return Err(invalid(
            "due_on",
            format!(
                "The due date is before the report was published ({}).",
                i.published_on
            ),
        ));
    }
    Ok(())
}

/// An action done: once, on a day from publication to today.
pub fn check_done(t: &Tracker, action: &str, on: Date, today: Date) -> Result<(), Problem> {
    let (i, _, a) = t.action(action).ok_or(Problem::NotFound)?;
    if let Some((day, _, stamp)) = &a.done {
        return Err(Problem::AlreadyDone(format!(
            "This action was already marked done on {day} by {}.",
            stamp.by
        )));
    }
    check_day(on, i.published_on, today, "on", "day it was done")
}

/// Evidence: of the recommendation, and if of an action, an action of that recommendation.
pub fn check_evidence(
    t: &Tracker,
    recommendation: &str,
    action: Option<&str>,
) -> Result<(), Problem> {
    let (_, r) = t.recommendation(recommendation).ok_or(Problem::NotFound)?;
    if let Some(a) = action
        && !r.actions.iter().any(|x| x.id == a)
    {
        return Err(invalid(
            "action",
            "That action is not one of this recommendation's.",
        ));
    }
    Ok(())
}

/// A response saved: not yet published, each answer about a recommendation of the report, at most one each.
pub fn check_response(t: &Tracker, inspection: &str, answers: &[Answer]) -> Result<(), Problem> {
    let i = t.inspection(inspection).ok_or(Problem::NotFound)?;
    if let Some((day, _)) = i.response.as_ref().and_then(|r| r.published.as_ref()) {
        return Err(Problem::AlreadyDone(format!(
            "The response was published on {day}: a published response is not changed."
        )));
    }
    for (n, a) in answers.iter().enumerate() {
        if !i.recommendations.iter().any(|r| r.id == a.recommendation) {
            return Err(invalid(
                "answers",
                format!(
                    "Answer {} is about a recommendation of another report.",
                    n + 1
                ),
            ));
        }
        if answers[..n]
            .iter()
            .any(|b| b.recommendation == a.recommendation)
        {
            return Err(invalid(
                "answers",
                format!("Answer {} answers a recommendation twice.", n + 1),
            ));
        }
    }
    Ok(())
}

/// The recommendations of a report that its saved response does not answer yet, by number.
pub fn unanswered(i: &Inspection) -> Vec<&str> {
    i.recommendations
        .iter()
        .filter(|r| {
            !i.response.as_ref().is_some_and(|resp| {
                resp.answers
                    .iter()
                    .any(|a| a.recommendation == r.id && !a.text.trim().is_empty())
            })
        })
        .map(|r| r.number.as_str())
        .collect()
}

/// Publishing the response on `on`: saved with a covering text and an answer to every recommendation, not
/// published before, on a day from the report's publication to today.
pub fn check_publish(t: &Tracker, inspection: &str, on: Date, today: Date) -> Result<(), Problem> {
    let i = t.inspection(inspection).ok_or(Problem::NotFound)?;
    let Some(r) = &i.response else {
        return Err(invalid(
            "response",
            "There is no response to publish yet: write and save it first.",
        ));
    };
    if let Some((day, _)) = &r.published {
        return Err(Problem::AlreadyDone(format!(
            "The response was already published on {day}."
        )));
    }
    if r.covering.trim().is_empty() {
        return Err(invalid(
            "covering",
            "The response has no covering text yet.",
        ));
    }
    let missing = unanswered(i);
    if !missing.is_empty() {
        return Err(invalid(
            "answers",
            format!(
                "Every recommendation needs an answer before the response is published: {} not yet answered ({}).",
                missing.len(),
                missing.join(", ")
            ),
        ));
    }
    check_day(
        on,
        i.published_on,
        today,
        "published_on",
        "publication date",
    )
}

/// The most meetings one schedule makes (three years of six-weekly meetings and more).
pub const MAX_SCHEDULED: usize = 40;

/// A schedule: 1 to [`MAX_SCHEDULED`] meetings from a first day not before `earliest`.
pub fn check_schedule(count: usize, first: Date, earliest: Date) -> Result<(), Problem> {
    if !(1..=MAX_SCHEDULED).contains(&count) {
        return Err(invalid(
            "count",
            format!("Schedule 1 to {MAX_SCHEDULED} meetings at a time."),
        ));
    }
    if first < earliest {
        return Err(invalid(
            "first",
            format!(
                "The first meeting is before {earliest}, the earliest date this force accepts."
            ),
        ));
    }
    Ok(())
}

/// A meeting's edit: of a meeting that exists, on a day not before `earliest`.
pub fn check_meeting(t: &Tracker, meeting: &str, on: Date, earliest: Date) -> Result<(), Problem> {
    t.meeting(meeting).ok_or(Problem::NotFound)?;
    if on < earliest {
        return Err(invalid(
            "on",
            format!(
                "The meeting's day is before {earliest}, the earliest date this force accepts."
            ),
        ));
    }
    Ok(())
}

/// A meeting's snapshot is frozen on or after the meeting's day.
pub fn check_freeze(t: &Tracker, meeting: &str, today: Date) -> Result<(), Problem> {
    let m = t.meeting(meeting).ok_or(Problem::NotFound)?;
    if today < m.on {
        return Err(invalid(
            "meeting",
            format!(
                "The meeting is on {}: its snapshot is frozen on or after that day.",
                m.on
            ),
        ));
    }
    Ok(())
}

/// A new course: a name no other course of the force has.
pub fn check_course(t: &Tracker, name: &str) -> Result<(), Problem> {
    if t.course(name).is_some() {
        return Err(invalid(
            "name",
            format!("There is already a course named {}.", name.trim()),
        ));
    }
    Ok(())
}

/// A session of a course: on a day not before `earliest` (a session may be planned ahead).
pub fn check_session(t: &Tracker, course: &str, on: Date, earliest: Date) -> Result<(), Problem> {
    if !t.courses.iter().any(|c| c.id == course) {
        return Err(Problem::NotFound);
    }
    if on < earliest {
        return Err(invalid(
            "on",
            format!(
                "The session's day is before {earliest}, the earliest date this force accepts."
            ),
        ));
    }
    Ok(())
}

/// Imported completions: of courses that exist, none completed after `today`.
pub fn check_completions(
    t: &Tracker,
    rows: &[super::Completion],
    today: Date,
) -> Result<(), Problem> {
    for r in rows {
        if !t.courses.iter().any(|c| c.id == r.course) {
            return Err(invalid(
                "course",
                "A completion names a course that is not recorded.",
            ));
        }
        if r.completed_on > today {
            return Err(invalid(
                "completed_on",
                "A completion is dated in the future.",
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::{AnswerKind, Change, Event, TimeBand};
    use super::*;
    use jiff::civil::date;

    fn tracker(changes: Vec<Change>) -> Tracker {
        let events: Vec<Event> = changes
            .into_iter()
            .enumerate()
            .map(|(n, change)| Event {
                seq: n as i64 + 1,
                at: jiff::Timestamp::UNIX_EPOCH,
                by: "Improvement lead".into(),
                change,
            })
            .collect();
        Tracker::from_events(&events)
    }

    fn review() -> Vec<Change> {
        let published = date(2019, 3, 28);
        let mut c = vec![Change::InspectionAdded {
            inspection: "i".into(),
            title: "Post-inspection review".into(),
            inspectorate: "HMICFRS".into(),
            published_on: published,
            link: None,
        }];
        for n in 1..=2 {
            c.push(Change::RecommendationAdded {
                recommendation: format!("r{n}"),
                inspection: "i".into(),
                number: n.to_string(),
                text: format!("Recommendation {n}"),
                time_band: TimeBand::Immediate,
                due_on: TimeBand::Immediate.due_from(published),
                paraphrased: true,
            });
        }
        c
    }

    fn answer(r: &str) -> Answer {
        Answer {
            recommendation: r.into(),
            kind: AnswerKind::ActionProposed,
            text: "We will.".into(),
        }
    }

    #[test]
    fn a_response_is_not_published_while_a_recommendation_lacks_an_answer() {
        let today = date(2019, 6, 1);
        let mut c = review();
        c.push(Change::ResponseSaved {
            inspection: "i".into(),
            covering: "Covering letter.".into(),
            chief_officer: String::new(),
            answers: vec![answer("r1")],
        });
        let t = tracker(c.clone());
        match check_publish(&t, "i", date(2019, 5, 28), today) {
            Err(Problem::Invalid { field, message }) => {
                assert_eq!(field, "answers");
                assert!(message.contains("1 not yet answered (2)"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        c.push(Change::ResponseSaved {
            inspection: "i".into(),
            covering: "Covering letter.".into(),
            chief_officer: String::new(),
            answers: vec![answer("r1"), answer("r2")],
        });
        let t = tracker(c.clone());
        assert_eq!(check_publish(&t, "i", date(2019, 5, 28), today), Ok(()));
        // Not before the report, not in the future.
        assert!(check_publish(&t, "i", date(2019, 3, 27), today).is_err());
        assert!(check_publish(&t, "i", date(2019, 6, 2), today).is_err());
        c.push(Change::ResponsePublished {
            inspection: "i".into(),
            on: date(2019, 5, 28),
        });
        let t = tracker(c);
        assert!(matches!(
            check_publish(&t, "i", date(2019, 5, 28), today),
            Err(Problem::AlreadyDone(_))
        ));
        assert!(matches!(
            check_response(&t, "i", &[]),
            Err(Problem::AlreadyDone(_))
        ));
        let i = t.inspection("i").unwrap();
        assert_eq!(i.s55_last_day(), date(2019, 5, 22));
        assert_eq!(i.s55_days_late(), Some(6));
    }

    #[test]
    fn a_response_answers_only_its_own_reports_recommendations_once_each() {
        let t = tracker(review());
        assert!(check_response(&t, "i", &[answer("r1"), answer("r2")]).is_ok());
        assert!(check_response(&t, "i", &[answer("r1"), answer("r1")]).is_err());
        assert!(check_response(&t, "i", &[answer("elsewhere")]).is_err());
        assert_eq!(check_response(&t, "other", &[]), Err(Problem::NotFound));
    }

    #[test]
    fn statuses_take_their_place_by_the_day_they_took_effect() {
        let mut c = review();
        for (on, status) in [
            (date(2019, 9, 1), "on_track"),
            (date(2019, 4, 1), "not_started"),
        ] {
            c.push(Change::StatusRecorded {
                recommendation: "r1".into(),
                track: Track::Force,
                status: status.into(),
                on,
                comment: String::new(),
            });
        }
        let t = tracker(c);
        let (_, r) = t.recommendation("r1").unwrap();
        assert_eq!(r.current(Track::Force).unwrap().status, "on_track");
        assert!(r.current(Track::Inspectorate).is_none());
        assert!(r.overdue(date(2019, 12, 1)));
        let today = date(2019, 12, 1);
        assert!(check_status(&t, "r1", Track::Force, "complete", date(2019, 5, 1), today).is_err());
        assert!(
            check_status(
                &t,
                "r1",
                Track::Inspectorate,
                "complete",
                date(2019, 5, 1),
                today
            )
            .is_ok()
        );
        assert!(check_status(&t, "r1", Track::Force, "closed", date(2019, 3, 1), today).is_err());
    }

    #[test]
    fn a_closed_recommendation_is_not_overdue_and_an_action_is_done_once() {
        let mut c = review();
        c.push(Change::StatusRecorded {
            recommendation: "r2".into(),
            track: Track::Force,
            status: "closed".into(),
            on: date(2019, 8, 1),
            comment: String::new(),
        });
        c.push(Change::ActionAdded {
            action: "a".into(),
            recommendation: "r1".into(),
            text: "Publish the framework.".into(),
            owner: "DCI, improvement team".into(),
            due_on: date(2019, 6, 30),
        });
        let today = date(2019, 9, 1);
        let t = tracker(c.clone());
        assert!(!t.recommendation("r2").unwrap().1.overdue(today));
        assert!(t.action("a").unwrap().2.overdue(today));
        assert_eq!(check_done(&t, "a", date(2019, 7, 2), today), Ok(()));
        c.push(Change::ActionDone {
            action: "a".into(),
            on: date(2019, 7, 2),
            note: String::new(),
        });
        let t = tracker(c);
        assert!(!t.action("a").unwrap().2.overdue(today));
        assert!(matches!(
            check_done(&t, "a", date(2019, 7, 3), today),
            Err(Problem::AlreadyDone(_))
        ));
        assert!(check_evidence(&t, "r1", Some("a")).is_ok());
        assert!(check_evidence(&t, "r2", Some("a")).is_err());
    }

    #[test]
    fn a_recommendation_number_is_used_once_per_report_and_due_after_publication() {
        let t = tracker(review());
        assert!(check_recommendation(&t, "i", "3", date(2019, 6, 1)).is_ok());
        assert!(check_recommendation(&t, "i", "2", date(2019, 6, 1)).is_err());
        assert!(check_recommendation(&t, "i", "3", date(2019, 3, 1)).is_err());
        assert!(check_inspection(date(2030, 1, 1), date(2026, 1, 1), date(2000, 1, 1)).is_err());
        assert!(check_inspection(date(1999, 1, 1), date(2026, 1, 1), date(2000, 1, 1)).is_err());
    }

    #[test]
    fn a_schedule_makes_one_to_forty_meetings_from_a_day_not_before_the_earliest() {
        let earliest = date(2000, 1, 1);
        assert!(check_schedule(1, date(2017, 1, 12), earliest).is_ok());
        assert!(check_schedule(40, date(2017, 1, 12), earliest).is_ok());
        assert!(check_schedule(0, date(2017, 1, 12), earliest).is_err());
        assert!(check_schedule(41, date(2017, 1, 12), earliest).is_err());
        assert!(check_schedule(3, date(1999, 12, 31), earliest).is_err());
        let t = tracker(vec![Change::MeetingsScheduled {
            first: date(2017, 1, 12),
            meetings: vec!["m0".into(), "m1".into()],
        }]);
        assert_eq!(
            t.meeting("m1").unwrap().on,
            date(2017, 2, 23),
            "six weeks on"
        );
        assert!(check_meeting(&t, "m1", date(2017, 2, 24), earliest).is_ok());
        assert!(check_meeting(&t, "m1", date(1999, 2, 24), earliest).is_err());
        assert_eq!(
            check_meeting(&t, "m9", date(2017, 2, 24), earliest),
            Err(Problem::NotFound)
        );
        // Frozen on or after the meeting's day only.
        assert!(check_freeze(&t, "m1", date(2017, 2, 22)).is_err());
        assert!(check_freeze(&t, "m1", date(2017, 2, 23)).is_ok());
    }

    #[test]
    fn a_session_is_of_a_recorded_course_on_a_day_not_before_the_earliest() {
        let t = tracker(vec![Change::CourseAdded {
            course: "c".into(),
            name: "Awareness".into(),
            description: String::new(),
        }]);
        let earliest = date(2000, 1, 1);
        assert!(
            check_session(&t, "c", date(2030, 1, 1), earliest).is_ok(),
            "planned ahead"
        );
        assert!(check_session(&t, "c", date(1999, 1, 1), earliest).is_err());
        assert_eq!(
            check_session(&t, "x", date(2019, 1, 1), earliest),
            Err(Problem::NotFound)
        );
        assert!(check_course(&t, "AWARENESS ").is_err());
    }
}
