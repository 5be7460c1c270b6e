//! Governance: the inspectorate's reports and their recommendations as the force's improvement team tracks
//! them (time bands, due dates, actions, evidence, and two status histories, the inspectorate's and the
//! force's own), and the oversight body's section 55 responses. Every change is one attributed, dated
//! [`Change`], appended and never overwritten; [`tracker::Tracker`] is what the changes add up to. Calendar
//! dates here are London dates, counted with date arithmetic, never with the timeliness clocks.

pub mod rules;
pub mod tracker;
pub mod training;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

pub use tracker::Tracker;

/// When the inspectorate asked for a recommendation to be met, counted from the report's publication.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TimeBand {
    /// Immediately: due when the force's action plan is (six weeks after publication).
    Immediate,
    /// Within three months.
    ThreeMonths,
    /// Within six months.
    SixMonths,
    /// Within twelve months.
    TwelveMonths,
}

impl TimeBand {
    /// Every band, soonest first.
    pub const ALL: [TimeBand; 4] = [
        TimeBand::Immediate,
        TimeBand::ThreeMonths,
        TimeBand::SixMonths,
        TimeBand::TwelveMonths,
    ];

    /// The stable name (`three_months`).
    pub fn as_str(self) -> &'static str {
        match self {
            TimeBand::Immediate => "immediate",
            TimeBand::ThreeMonths => "three_months",
            TimeBand::SixMonths => "six_months",
            TimeBand::TwelveMonths => "twelve_months",
        }
    }

    /// In words, as the inspectorate writes it.
    pub fn label(self) -> &'static str {
        match self {
            TimeBand::Immediate => "Immediately",
            TimeBand::ThreeMonths => "Within three months",
            TimeBand::SixMonths => "Within six months",
            TimeBand::TwelveMonths => "Within twelve months",
        }
    }

    /// The due date a recommendation of this band takes unless another is given: six weeks after publication
    /// for an immediate one (when the force owes its action plan), else the same day of the month three, six
    /// or twelve months on (the month's last day where that day does not exist).
    pub fn due_from(self, published: Date) -> Date {
        let span = match self {
            TimeBand::Immediate => jiff::Span::new().weeks(6),
            TimeBand::ThreeMonths => jiff::Span::new().months(3),
            TimeBand::SixMonths => jiff::Span::new().months(6),
            TimeBand::TwelveMonths => jiff::Span::new().months(12),
        };
        published.checked_add(span).unwrap_or(Date::MAX)
    }
}

impl std::str::FromStr for TimeBand {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        TimeBand::ALL
            .into_iter()
            .find(|b| b.as_str() == s)
            .ok_or_else(|| {
                "Choose immediate, three_months, six_months or twelve_months.".to_string()
            })
    }
}

/// A recommendation's status on the inspectorate's monitoring portal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum InspectorateStatus {
    /// Awaiting the inspectorate's review.
    AwaitingReview,
    /// Being progressed.
    BeingProgressed,
    /// Complete.
    Complete,
}

/// The force's own view of a recommendation's progress.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ForceStatus {
    /// Not started.
    NotStarted,
    /// On track.
    OnTrack,
    /// Off track.
    OffTrack,
    /// Done, waiting for sign-off.
    PendingSignOff,
    /// Closed.
    Closed,
}

/// Which of the two status histories.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Track {
    /// The inspectorate's, as recorded from its monitoring portal.
    Inspectorate,
    /// The force's own.
    Force,
}

macro_rules! named {
    ($t:ty, $err:literal, $( $v:ident => $s:literal, $label:literal ),+ $(,)?) => {
        impl $t {
            /// Every value, in order.
            pub const ALL: &'static [$t] = &[$(<$t>::$v),+];
            /// The stable name.
            pub fn as_str(self) -> &'static str {
                match self { $(<$t>::$v => $s),+ }
            }
            /// In words.
            pub fn label(self) -> &'static str {
                match self { $(<$t>::$v => $label),+ }
            }
        }
        impl std::str::FromStr for $t {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s).ok_or_else(|| $err.to_string())
            }
        }
    };
}

named!(InspectorateStatus, "Choose awaiting_review, being_progressed or complete.",
    AwaitingReview => "awaiting_review", "Awaiting review",
    BeingProgressed => "being_progressed", "Being progressed",
    Complete => "complete", "Complete");
named!(ForceStatus, "Choose not_started, on_track, off_track, pending_sign_off or closed.",
    NotStarted => "not_started", "Not started",
    OnTrack => "on_track", "On track",
    OffTrack => "off_track", "Off track",
    PendingSignOff => "pending_sign_off", "Pending sign-off",
    Closed => "closed", "Closed");
named!(Track, "Choose inspectorate or force.",
    Inspectorate => "inspectorate", "Inspectorate",
    Force => "force", "Force");
named!(AnswerKind, "Choose action_taken, action_proposed or no_action.",
    ActionTaken => "action_taken", "Action taken",
    ActionProposed => "action_proposed", "Action proposed",
    NoAction => "no_action", "No action, and why");

/// How a section 55 response answers one recommendation (the Act asks for one of the three).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AnswerKind {
    /// The action taken.
    ActionTaken,
    /// The action proposed.
    ActionProposed,
    /// Why no action is taken or proposed.
    NoAction,
}

/// One recommendation's answer in a section 55 response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    /// The recommendation's id.
    pub recommendation: String,
    /// Taken, proposed, or none (and why).
    pub kind: AnswerKind,
    /// The words.
    pub text: String,
}

/// One change to the tracker: appended, attributed and dated by the store, never changed afterwards.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// An inspection report.
    InspectionAdded {
        /// Its id.
        inspection: String,
        /// Its title.
        title: String,
        /// Who published it (HMICFRS).
        inspectorate: String,
        /// The day it was published (day 1 of the section 55 period).
        published_on: Date,
        /// Where it is published.
        link: Option<String>,
    },
    /// A recommendation of a report.
    RecommendationAdded {
        /// Its id.
        recommendation: String,
        /// The report's id.
        inspection: String,
        /// Its number in the report (`1`, `R2`).
        number: String,
        /// Its words.
        text: String,
        /// Its time band.
        time_band: TimeBand,
        /// When it is due.
        due_on: Date,
        /// Whether the words are a paraphrase rather than the report's own.
        paraphrased: bool,
    },
    /// A status on one of the two histories.
    StatusRecorded {
        /// The recommendation's id.
        recommendation: String,
        /// Which history.
        track: Track,
        /// The status (an [`InspectorateStatus`] or a [`ForceStatus`] name, by `track`).
        status: String,
        /// The day it took effect.
        on: Date,
        /// Any comment.
        comment: String,
    },
    /// An action towards a recommendation.
    ActionAdded {
        /// Its id.
        action: String,
        /// The recommendation's id.
        recommendation: String,
        /// What is to be done.
        text: String,
        /// Who owns it (a post or a name).
        owner: String,
        /// When it is due.
        due_on: Date,
    },
    /// An action done.
    ActionDone {
        /// The action's id.
        action: String,
        /// The day it was done.
        on: Date,
        /// Any note.
        note: String,
    },
    /// Evidence towards a recommendation (or one of its actions).
    EvidenceAdded {
        /// Its id.
        evidence: String,
        /// The recommendation's id.
        recommendation: String,
        /// The action's id, if it is evidence of one action.
        action: Option<String>,
        /// What it shows.
        note: String,
        /// Where it is.
        link: Option<String>,
        /// A document reference in the force's records.
        file_ref: Option<String>,
    },
    /// The oversight body's comment on a recommendation.
    Commented {
        /// The recommendation's id.
        recommendation: String,
        /// The comment.
        text: String,
    },
    /// A section 55 response saved (each save a new version; the last one is the response).
    ResponseSaved {
        /// The report's id.
        inspection: String,
        /// The covering text.
        covering: String,
        /// The chief officer's comments, published with the body's own.
        chief_officer: String,
        /// An answer per recommendation given so far.
        answers: Vec<Answer>,
    },
    /// The section 55 response published.
    ResponsePublished {
        /// The report's id.
        inspection: String,
        /// The day it was published.
        on: Date,
    },
    /// The board's meetings scheduled every six weeks from `first`: the i-th meeting (from 0) on
    /// `first` plus 6 × i weeks.
    MeetingsScheduled {
        /// The first meeting's day.
        first: Date,
        /// The meetings' ids, in order.
        meetings: Vec<String>,
    },
    /// A meeting's record as it now stands (each edit a whole new version).
    MeetingEdited {
        /// The meeting's id.
        meeting: String,
        /// Its day.
        on: Date,
        /// Who attended, one per entry, by role (and name if wanted).
        attendees: Vec<String>,
        /// The minutes.
        minutes: String,
        /// The decisions.
        decisions: String,
    },
    /// A training course.
    CourseAdded {
        /// Its id.
        course: String,
        /// Its name (unique in the force).
        name: String,
        /// What it covers.
        description: String,
    },
    /// A session of a course on a day.
    SessionAdded {
        /// Its id.
        session: String,
        /// The course's id.
        course: String,
        /// The day.
        on: Date,
        /// Where.
        place: String,
    },
    /// Completions imported from the force's learning system (officers' personal data: read through
    /// [`training`]'s rule).
    CompletionsImported {
        /// The import's id.
        import: String,
        /// The file they came from.
        source: String,
        /// The completions.
        rows: Vec<Completion>,
    },
}

/// One officer's completion of a course.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Completion {
    /// The officer's user id.
    pub user: String,
    /// The course's id.
    pub course: String,
    /// The day completed.
    pub completed_on: Date,
}

impl Change {
    /// The id of what it is about (the report, recommendation or action).
    pub fn subject(&self) -> &str {
        match self {
            Change::InspectionAdded { inspection, .. }
            | Change::ResponseSaved { inspection, .. }
            | Change::ResponsePublished { inspection, .. } => inspection,
            Change::RecommendationAdded { recommendation, .. }
            | Change::StatusRecorded { recommendation, .. }
            | Change::EvidenceAdded { recommendation, .. }
            | Change::Commented { recommendation, .. } => recommendation,
            Change::ActionAdded { action, .. } | Change::ActionDone { action, .. } => action,
            Change::CourseAdded { course, .. } | Change::SessionAdded { course, .. } => course,
            Change::CompletionsImported { import, .. } => import,
            Change::MeetingsScheduled { meetings, .. } => {
                meetings.first().map(String::as_str).unwrap_or("")
            }
            Change::MeetingEdited { meeting, .. } => meeting,
        }
    }

    /// Its kind, as stored (`status_recorded`).
    pub fn kind(&self) -> &'static str {
        match self {
            Change::InspectionAdded { .. } => "inspection_added",
            Change::RecommendationAdded { .. } => "recommendation_added",
            Change::StatusRecorded { .. } => "status_recorded",
            Change::ActionAdded { .. } => "action_added",
            Change::ActionDone { .. } => "action_done",
            Change::EvidenceAdded { .. } => "evidence_added",
            Change::Commented { .. } => "commented",
            Change::ResponseSaved { .. } => "response_saved",
            Change::ResponsePublished { .. } => "response_published",
            Change::CourseAdded { .. } => "course_added",
            Change::SessionAdded { .. } => "session_added",
            Change::CompletionsImported { .. } => "completions_imported",
            Change::MeetingsScheduled { .. } => "meetings_scheduled",
            Change::MeetingEdited { .. } => "meeting_edited",
        }
    }

    /// Whether the oversight body makes it (comments and section 55 responses) rather than the improvement team.
    pub fn by_the_board(&self) -> bool {
        matches!(
            self,
            Change::Commented { .. }
                | Change::ResponseSaved { .. }
                | Change::ResponsePublished { .. }
                | Change::MeetingsScheduled { .. }
                | Change::MeetingEdited { .. }
        )
    }
}

/// A change as stored: its place in the force's sequence, when and by whom.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Event {
    /// Its place in the force's sequence (from 1).
    pub seq: i64,
    /// When it was recorded.
    pub at: jiff::Timestamp,
    /// Who recorded it (their name as shown).
    pub by: String,
    /// What changed.
    pub change: Change,
}

/// The last day for the local policing body's section 55 comments: the period is 56 days beginning with the day
/// of publication, so publication day is day 1 and the last day is 55 days after it.
pub fn s55_last_day(published: Date) -> Date {
    published
        .checked_add(jiff::Span::new().days(55))
        .unwrap_or(Date::MAX)
}

/// Whole calendar days from `from` to `to` (negative when `to` is earlier).
pub fn days_between(from: Date, to: Date) -> i64 {
    from.until((jiff::Unit::Day, to))
        .map(|s| i64::from(s.get_days()))
        .unwrap_or(0)
}

/// Days a response published on `published_on` came after the last day (0 when on time).
pub fn s55_days_late(last_day: Date, published_on: Date) -> i64 {
    days_between(last_day, published_on).max(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn the_section_55_period_counts_publication_day_as_day_one() {
        assert_eq!(s55_last_day(date(2019, 3, 28)), date(2019, 5, 22));
        assert_eq!(s55_last_day(date(2016, 11, 25)), date(2017, 1, 19));
    }

    #[test]
    fn the_section_55_period_crosses_month_ends_and_leap_days() {
        // 2020 is a leap year: 29 February is one of the 56 days.
        assert_eq!(s55_last_day(date(2020, 1, 10)), date(2020, 3, 5));
        assert_eq!(s55_last_day(date(2019, 1, 10)), date(2019, 3, 6));
        assert_eq!(s55_last_day(date(2024, 2, 29)), date(2024, 4, 24));
        assert_eq!(s55_last_day(date(2018, 12, 31)), date(2019, 2, 24));
        // Every day of four years: the last day is always the 56th day counting publication day as the first.
        let mut d = date(2019, 1, 1);
        while d < date(2023, 1, 1) {
            let last = s55_last_day(d);
            assert_eq!(days_between(d, last) + 1, 56, "{d}");
            d = d.tomorrow().unwrap();
        }
    }

    #[test]
    fn a_response_published_after_the_last_day_is_that_many_days_late() {
        let last = s55_last_day(date(2019, 3, 28));
        assert_eq!(s55_days_late(last, date(2019, 5, 28)), 6);
        assert_eq!(s55_days_late(last, date(2019, 5, 22)), 0);
        assert_eq!(s55_days_late(last, date(2019, 4, 1)), 0);
    }

    #[test]
    fn a_time_band_gives_the_due_date_from_publication() {
        let p = date(2016, 11, 25);
        assert_eq!(TimeBand::Immediate.due_from(p), date(2017, 1, 6));
        assert_eq!(TimeBand::ThreeMonths.due_from(p), date(2017, 2, 25));
        assert_eq!(TimeBand::SixMonths.due_from(p), date(2017, 5, 25));
        assert_eq!(TimeBand::TwelveMonths.due_from(p), date(2017, 11, 25));
        // The 31st of a month three months on that has 30 days: its last day.
        assert_eq!(
            TimeBand::ThreeMonths.due_from(date(2019, 3, 31)),
            date(2019, 6, 30)
        );
    }

    #[test]
    fn statuses_and_bands_read_back_from_their_names() {
        for s in InspectorateStatus::ALL {
            assert_eq!(s.as_str().parse::<InspectorateStatus>(), Ok(*s));
        }
        for s in ForceStatus::ALL {
            assert_eq!(s.as_str().parse::<ForceStatus>(), Ok(*s));
        }
        for b in TimeBand::ALL {
            assert_eq!(b.as_str().parse::<TimeBand>(), Ok(b));
        }
        assert!("finished".parse::<ForceStatus>().is_err());
    }

    #[test]
    fn a_change_is_stored_as_tagged_json_and_read_back_the_same() {
        let c = Change::StatusRecorded {
            recommendation: "r1".into(),
            track: Track::Force,
            status: "on_track".into(),
            on: date(2017, 3, 1),
            comment: "Framework agreed.".into(),
        };
        let json = serde_json::to_string(&c).unwrap();
        assert!(json.contains(r#""kind":"status_recorded""#), "{json}");
        assert_eq!(c.kind(), "status_recorded");
        assert_eq!(c.subject(), "r1");
        assert_eq!(serde_json::from_str::<Change>(&json).unwrap(), c);
    }
}
