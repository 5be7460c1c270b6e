//! What a force's governance changes add up to: each inspection report with its recommendations, their two
//! status histories (latest by the day each took effect), actions, evidence and comments, and the section 55
//! response (its last saved version, and when it was published). Built by folding the changes in order; a
//! change naming something that does not exist is ignored (the rules refuse such a change before it is stored).

use super::{
    Answer, Change, Event, ForceStatus, InspectorateStatus, TimeBand, Track, s55_days_late,
    s55_last_day,
};
use jiff::civil::Date;
use serde::Serialize;

/// Who recorded something, and when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Stamp {
    /// Its place in the force's sequence of changes.
    pub seq: i64,
    /// When it was recorded.
    pub at: jiff::Timestamp,
    /// Who recorded it.
    pub by: String,
}

/// The tracker.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Tracker {
    /// Reports, oldest publication first.
    pub inspections: Vec<Inspection>,
    /// Training courses, in the order added.
    pub courses: Vec<Course>,
    /// The board's meetings, by day.
    pub meetings: Vec<Meeting>,
    /// The sequence number of the last change folded in (0 for none).
    pub last_seq: i64,
}

/// A meeting of the oversight board.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Meeting {
    /// Its id.
    pub id: String,
    /// Its day.
    pub on: Date,
    /// Who attended.
    pub attendees: Vec<String>,
    /// The minutes.
    pub minutes: String,
    /// The decisions.
    pub decisions: String,
    /// Scheduled.
    pub scheduled: Stamp,
    /// Its last edit, if any.
    pub edited: Option<Stamp>,
}

/// A training course.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Course {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// What it covers.
    pub description: String,
    /// Recorded.
    pub added: Stamp,
    /// Its sessions, by day.
    pub sessions: Vec<SessionItem>,
    /// Who completed it, and when (the first completion of each officer).
    pub completions: Vec<CompletionItem>,
}

/// A session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SessionItem {
    /// Its id.
    pub id: String,
    /// The day.
    pub on: Date,
    /// Where.
    pub place: String,
}

/// A completion.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CompletionItem {
    /// The officer's user id.
    pub user: String,
    /// The day completed.
    pub completed_on: Date,
    /// Recorded (the import).
    pub stamp: Stamp,
}

/// An inspection report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Inspection {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Who published it.
    pub inspectorate: String,
    /// When.
    pub published_on: Date,
    /// Where.
    pub link: Option<String>,
    /// Recorded.
    pub added: Stamp,
    /// Its recommendations, in the order recorded.
    pub recommendations: Vec<Recommendation>,
    /// The section 55 response, once one is saved.
    pub response: Option<Response>,
}

/// A section 55 response: its last saved version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Response {
    /// The covering text.
    pub covering: String,
    /// The chief officer's comments.
    pub chief_officer: String,
    /// The answers, one per recommendation answered.
    pub answers: Vec<Answer>,
    /// The last save.
    pub saved: Stamp,
    /// How many versions were saved.
    pub versions: usize,
    /// The day it was published, and who recorded that.
    pub published: Option<(Date, Stamp)>,
}

/// A recommendation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Recommendation {
    /// Its id.
    pub id: String,
    /// Its number in the report.
    pub number: String,
    /// Its words.
    pub text: String,
    /// Its time band.
    pub time_band: TimeBand,
    /// When due.
    pub due_on: Date,
    /// Whether the words are paraphrased.
    pub paraphrased: bool,
    /// Recorded.
    pub added: Stamp,
    /// The inspectorate's statuses, in the order they took effect.
    pub inspectorate: Vec<StatusEntry>,
    /// The force's statuses, in the order they took effect.
    pub force: Vec<StatusEntry>,
    /// Actions, in the order added.
    pub actions: Vec<ActionItem>,
    /// Evidence, in the order added.
    pub evidence: Vec<EvidenceItem>,
    /// The oversight body's comments, in the order made.
    pub comments: Vec<CommentItem>,
}

/// One status on a history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StatusEntry {
    /// Its name.
    pub status: String,
    /// The day it took effect.
    pub on: Date,
    /// Any comment.
    pub comment: String,
    /// Recorded.
    pub stamp: Stamp,
}

/// An action.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ActionItem {
    /// Its id.
    pub id: String,
    /// What is to be done.
    pub text: String,
    /// Who owns it.
    pub owner: String,
    /// When due.
    pub due_on: Date,
    /// Recorded.
    pub added: Stamp,
    /// When done, with any note, and who recorded it.
    pub done: Option<(Date, String, Stamp)>,
}

/// Evidence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EvidenceItem {
    /// Its id.
    pub id: String,
    /// The action it is evidence of, if one.
    pub action: Option<String>,
    /// What it shows.
    pub note: String,
    /// Where it is.
    pub link: Option<String>,
    /// A document reference.
    pub file_ref: Option<String>,
    /// Recorded.
    pub stamp: Stamp,
}

/// A comment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CommentItem {
    /// The comment.
    pub text: String,
    /// Made.
    pub stamp: Stamp,
}

impl Tracker {
    /// Fold `events` (in sequence order) into the tracker.
    pub fn from_events(events: &[Event]) -> Tracker {
        let mut t = Tracker::default();
        for e in events {
            t.apply(e);
        }
        t.inspections.sort_by_key(|i| (i.published_on, i.added.seq));
        t
    }

    fn apply(&mut self, e: &Event) {
        self.last_seq = self.last_seq.max(e.seq);
        let stamp = Stamp {
            seq: e.seq,
            at: e.at,
            by: e.by.clone(),
        };
        match &e.change {
            Change::InspectionAdded {
                inspection,
                title,
                inspectorate,
                published_on,
                link,
            } => self.inspections.push(Inspection {
                id: inspection.clone(),
                title: title.clone(),
                inspectorate: inspectorate.clone(),
                published_on: *published_on,
                link: link.clone(),
                added: stamp,
                recommendations: vec![],
                response: None,
            }),
            Change::RecommendationAdded {
                recommendation,
                inspection,
                number,
                text,
                time_band,
                due_on,
                paraphrased,
            } => {
                if let Some(i) = self.inspection_mut(inspection) {
                    i.recommendations.push(Recommendation {
                        id: recommendation.clone(),
                        number: number.clone(),
                        text: text.clone(),
                        time_band: *time_band,
                        due_on: *due_on,
                        paraphrased: *paraphrased,
                        added: stamp,
                        inspectorate: vec![],
                        force: vec![],
                        actions: vec![],
                        evidence: vec![],
                        comments: vec![],
                    });
                }
            }
            Change::StatusRecorded {
                recommendation,
                track,
                status,
                on,
                comment,
            } => {
                if let Some(r) = self.recommendation_mut(recommendation) {
                    let list = match track {
                        Track::Inspectorate => &mut r.inspectorate,
                        Track::Force => &mut r.force,
                    };
                    list.push(StatusEntry {
                        status: status.clone(),
                        on: *on,
                        comment: comment.clone(),
                        stamp,
                    });
                    // A status recorded late (copied from the portal after the fact) takes its place by its day.
                    list.sort_by_key(|e| (e.on, e.stamp.seq));
                }
            }
            Change::ActionAdded {
                action,
                recommendation,
                text,
                owner,
                due_on,
            } => {
                if let Some(r) = self.recommendation_mut(recommendation) {
                    r.actions.push(ActionItem {
                        id: action.clone(),
                        text: text.clone(),
                        owner: owner.clone(),
                        due_on: *due_on,
                        added: stamp,
                        done: None,
                    });
                }
            }
            Change::ActionDone { action, on, note } => {
                if let Some(a) = self.action_mut(action)
                    && a.done.is_none()
                {
                    a.done = Some((*on, note.clone(), stamp));
                }
            }
            Change::EvidenceAdded {
                evidence,
                recommendation,
                action,
                note,
                link,
                file_ref,
            } => {
                if let Some(r) = self.recommendation_mut(recommendation) {
                    r.evidence.push(EvidenceItem {
                        id: evidence.clone(),
                        action: action.clone(),
                        note: note.clone(),
                        link: link.clone(),
                        file_ref: file_ref.clone(),
                        stamp,
                    });
                }
            }
            Change::Commented {
                recommendation,
                text,
            } => {
                if let Some(r) = self.recommendation_mut(recommendation) {
                    r.comments.push(CommentItem {
                        text: text.clone(),
                        stamp,
                    });
                }
            }
            Change::ResponseSaved {
                inspection,
                covering,
                chief_officer,
                answers,
            } => {
                if let Some(i) = self.inspection_mut(inspection) {
                    let versions = i.response.as_ref().map_or(0, |r| r.versions) + 1;
                    if i.response.as_ref().is_none_or(|r| r.published.is_none()) {
                        i.response = Some(Response {
                            covering: covering.clone(),
                            chief_officer: chief_officer.clone(),
                            answers: answers.clone(),
                            saved: stamp,
                            versions,
                            published: None,
                        });
                    }
                }
            }
            Change::MeetingsScheduled { first, meetings } => {
                for (i, id) in meetings.iter().enumerate() {
                    let on = first
                        .checked_add(jiff::Span::new().weeks(6 * i as i64))
                        .unwrap_or(*first);
                    self.meetings.push(Meeting {
                        id: id.clone(),
                        on,
                        attendees: vec![],
                        minutes: String::new(),
                        decisions: String::new(),
                        scheduled: stamp.clone(),
                        edited: None,
                    });
                }
                self.meetings.sort_by_key(|m| (m.on, m.scheduled.seq));
            }
            Change::MeetingEdited {
                meeting,
                on,
                attendees,
                minutes,
                decisions,
            } => {
                if let Some(m) = self.meetings.iter_mut().find(|m| &m.id == meeting) {
                    m.on = *on;
                    m.attendees = attendees.clone();
                    m.minutes = minutes.clone();
                    m.decisions = decisions.clone();
                    m.edited = Some(stamp);
                }
                self.meetings.sort_by_key(|m| (m.on, m.scheduled.seq));
            }
            Change::CourseAdded {
                course,
                name,
                description,
            } => self.courses.push(Course {
                id: course.clone(),
                name: name.clone(),
                description: description.clone(),
                added: stamp,
                sessions: vec![],
                completions: vec![],
            }),
            Change::SessionAdded {
                session,
                course,
                on,
                place,
            } => {
                if let Some(c) = self.courses.iter_mut().find(|c| &c.id == course) {
                    c.sessions.push(SessionItem {
                        id: session.clone(),
                        on: *on,
                        place: place.clone(),
                    });
                    c.sessions.sort_by_key(|s| s.on);
                }
            }
            Change::CompletionsImported { rows, .. } => {
                for row in rows {
                    let Some(c) = self.courses.iter_mut().find(|c| c.id == row.course) else {
                        continue;
                    };
                    match c.completions.iter_mut().find(|x| x.user == row.user) {
                        Some(x) if x.completed_on <= row.completed_on => {}
                        Some(x) => x.completed_on = row.completed_on,
                        None => c.completions.push(CompletionItem {
                            user: row.user.clone(),
                            completed_on: row.completed_on,
                            stamp: stamp.clone(),
                        }),
                    }
                }
            }
            Change::ResponsePublished { inspection, on } => {
                if let Some(r) = self
                    .inspection_mut(inspection)
                    .and_then(|i| i.response.as_mut())
                    && r.published.is_none()
                {
                    r.published = Some((*on, stamp));
                }
            }
        }
    }

    fn inspection_mut(&mut self, id: &str) -> Option<&mut Inspection> {
        self.inspections.iter_mut().find(|i| i.id == id)
    }

    fn recommendation_mut(&mut self, id: &str) -> Option<&mut Recommendation> {
        self.inspections
            .iter_mut()
            .flat_map(|i| i.recommendations.iter_mut())
            .find(|r| r.id == id)
    }

    fn action_mut(&mut self, id: &str) -> Option<&mut ActionItem> {
        self.inspections
            .iter_mut()
            .flat_map(|i| i.recommendations.iter_mut())
            .flat_map(|r| r.actions.iter_mut())
            .find(|a| a.id == id)
    }

    /// A course by id, or by name (ignoring case and surrounding spaces).
    pub fn course(&self, id_or_name: &str) -> Option<&Course> {
        let key = id_or_name.trim();
        self.courses
            .iter()
            .find(|c| c.id == key || c.name.eq_ignore_ascii_case(key))
    }

    /// A meeting by id.
    pub fn meeting(&self, id: &str) -> Option<&Meeting> {
        self.meetings.iter().find(|m| m.id == id)
    }

    /// An inspection by id.
    pub fn inspection(&self, id: &str) -> Option<&Inspection> {
        self.inspections.iter().find(|i| i.id == id)
    }

    /// A recommendation by id, with its report.
    pub fn recommendation(&self, id: &str) -> Option<(&Inspection, &Recommendation)> {
        self.inspections.iter().find_map(|i| {
            i.recommendations
                .iter()
                .find(|r| r.id == id)
                .map(|r| (i, r))
        })
    }

    /// An action by id, with its recommendation and report.
    pub fn action(&self, id: &str) -> Option<(&Inspection, &Recommendation, &ActionItem)> {
        self.inspections.iter().find_map(|i| {
            i.recommendations
                .iter()
                .find_map(|r| r.actions.iter().find(|a| a.id == id).map(|a| (i, r, a)))
        })
    }
}

impl Inspection {
    /// The last day for the section 55 response.
    pub fn s55_last_day(&self) -> Date {
        s55_last_day(self.published_on)
    }

    /// The day the response was published, if it was.
    pub fn s55_published_on(&self) -> Option<Date> {
        self.response
            .as_ref()
            .and_then(|r| r.published.as_ref().map(|p| p.0))
    }

    /// Days the published response came after the last day (0 when on time); none until published.
    pub fn s55_days_late(&self) -> Option<i64> {
        self.s55_published_on()
            .map(|p| s55_days_late(self.s55_last_day(), p))
    }
}

impl Recommendation {
    /// The latest status on a history (by the day it took effect), if any.
    pub fn current(&self, track: Track) -> Option<&StatusEntry> {
        match track {
            Track::Inspectorate => self.inspectorate.last(),
            Track::Force => self.force.last(),
        }
    }

    /// Whether it is finished: the force closed it or the inspectorate marked it complete.
    pub fn finished(&self) -> bool {
        self.current(Track::Force)
            .is_some_and(|s| s.status == ForceStatus::Closed.as_str())
            || self
                .current(Track::Inspectorate)
                .is_some_and(|s| s.status == InspectorateStatus::Complete.as_str())
    }

    /// Past its due date on `today` and not finished.
    pub fn overdue(&self, today: Date) -> bool {
        self.due_on < today && !self.finished()
    }
}

impl ActionItem {
    /// Past its due date on `today` and not done.
    pub fn overdue(&self, today: Date) -> bool {
        self.done.is_none() && self.due_on < today
    }
}
