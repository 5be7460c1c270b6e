//! The Child House (the Lighthouse): a child victim — aged under 18, or 18 to 25 with a learning disability —
//! whose borough it serves can be referred there, to be interviewed (Achieving Best Evidence), examined and
//! supported in one place. Which boroughs it serves is reference data with dates (the 2018 pilot: Barnet,
//! Camden, Enfield, Haringey and Islington). Per child: interviews (the target is one), days from referral to the
//! first interview, to a medical examination and to therapy, and whether a repeat interview was needed.

use jiff::Timestamp;
use jiff::civil::{Date, date};

/// A borough the Child House serves, and when.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Served {
    /// The borough, as the force's borough table names it.
    pub borough: &'static str,
    /// First day served.
    pub from: Date,
    /// Last day served, if no longer.
    pub to: Option<Date>,
}

const PILOT: Date = date(2018, 10, 1);

/// The boroughs the Child House serves (the 2018 pilot's five).
pub const SERVED: &[Served] = &[
    Served {
        borough: "Barnet",
        from: PILOT,
        to: None,
    },
    Served {
        borough: "Camden",
        from: PILOT,
        to: None,
    },
    Served {
        borough: "Enfield",
        from: PILOT,
        to: None,
    },
    Served {
        borough: "Haringey",
        from: PILOT,
        to: None,
    },
    Served {
        borough: "Islington",
        from: PILOT,
        to: None,
    },
];

/// Whether the Child House serves `borough` on `day` (any case).
pub fn serves(borough: &str, day: Date) -> bool {
    SERVED.iter().any(|s| {
        s.borough.eq_ignore_ascii_case(borough.trim())
            && s.from <= day
            && s.to.is_none_or(|to| day <= to)
    })
}

/// Why a child cannot be referred.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NotEligible {
    /// Aged 18 to 25 without a learning disability, or over 25.
    #[error(
        "the Child House is for children under 18, or young people up to 25 with a learning disability"
    )]
    Age,
    /// The borough is not served.
    #[error("the Child House does not serve {0}")]
    Borough(String),
    /// Only a victim is referred.
    #[error("only a child victim is referred to the Child House")]
    NotVictim,
}

/// Whether a victim of `age` (unknown: the officer judges) with or without a learning disability may be
/// referred.
pub fn eligible(age: Option<u16>, learning_disability: bool) -> Result<(), NotEligible> {
    match age {
        None => Ok(()),
        Some(a) if a < 18 => Ok(()),
        Some(a) if a <= 25 && learning_disability => Ok(()),
        Some(_) => Err(NotEligible::Age),
    }
}

/// Where an Achieving Best Evidence interview took place.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum InterviewPlace {
    /// The Child House.
    ChildHouse,
    /// A police video interview suite.
    VideoSuite,
    /// Anywhere else.
    Other,
}

impl InterviewPlace {
    /// Every place, in the order a form offers them.
    pub const ALL: [InterviewPlace; 3] = [
        InterviewPlace::ChildHouse,
        InterviewPlace::VideoSuite,
        InterviewPlace::Other,
    ];

    /// As stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            InterviewPlace::ChildHouse => "child_house",
            InterviewPlace::VideoSuite => "video_suite",
            InterviewPlace::Other => "other",
        }
    }

    /// In words.
    pub fn label(self) -> &'static str {
        match self {
            InterviewPlace::ChildHouse => "The Child House",
            InterviewPlace::VideoSuite => "A video interview suite",
            InterviewPlace::Other => "Elsewhere",
        }
    }
}

impl std::str::FromStr for InterviewPlace {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        InterviewPlace::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| format!("'{s}' is not child_house, video_suite or other"))
    }
}

/// One child's measures.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChildMeasures {
    /// Interviews recorded (the target is one).
    pub interviews: u32,
    /// Whole days from referral to the first interview.
    pub days_to_first_interview: Option<i64>,
    /// Whole days from referral to the medical examination.
    pub days_to_medical: Option<i64>,
    /// Whole days from referral to the start of therapy.
    pub days_to_therapy: Option<i64>,
    /// Whether a repeat interview was needed.
    pub repeat_interview: bool,
}

fn days(from: Timestamp, to: Timestamp) -> i64 {
    to.duration_since(from).as_secs().div_euclid(86_400)
}

/// The measures of a child referred at `referred`, with the times of their interviews (and whether each was a
/// repeat), medical examination and therapy.
pub fn measures(
    referred: Timestamp,
    interviews: &[(Timestamp, bool)],
    medical: Option<Timestamp>,
    therapy: Option<Timestamp>,
) -> ChildMeasures {
    ChildMeasures {
        interviews: interviews.len() as u32,
        days_to_first_interview: interviews
            .iter()
            .map(|(t, _)| *t)
            .min()
            .map(|t| days(referred, t)),
        days_to_medical: medical.map(|t| days(referred, t)),
        days_to_therapy: therapy.map(|t| days(referred, t)),
        repeat_interview: interviews.len() > 1 || interviews.iter().any(|(_, repeat)| *repeat),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_child_under_18_or_a_young_person_up_to_25_with_a_learning_disability_is_eligible() {
        assert_eq!(eligible(Some(12), false), Ok(()));
        assert_eq!(eligible(Some(17), false), Ok(()));
        assert_eq!(eligible(Some(18), false), Err(NotEligible::Age));
        assert_eq!(eligible(Some(22), true), Ok(()));
        assert_eq!(eligible(Some(26), true), Err(NotEligible::Age));
        assert_eq!(
            eligible(None, false),
            Ok(()),
            "an unknown age is the officer's judgement"
        );
    }

    #[test]
    fn the_pilot_boroughs_are_served_from_october_2018_and_no_others() {
        assert!(serves("Camden", date(2019, 1, 1)));
        assert!(serves("haringey", date(2026, 12, 5)));
        assert!(
            !serves("Camden", date(2018, 9, 30)),
            "before the pilot opened"
        );
        assert!(!serves("Westminster", date(2026, 12, 5)));
    }

    #[test]
    fn measures_count_days_from_referral_and_a_second_interview_is_a_repeat() {
        let at = |s: &str| s.parse::<Timestamp>().unwrap();
        let referred = at("2026-03-01T10:00:00Z");
        let one = measures(
            referred,
            &[(at("2026-03-04T09:00:00Z"), false)],
            None,
            Some(at("2026-04-01T10:00:00Z")),
        );
        assert_eq!(
            one,
            ChildMeasures {
                interviews: 1,
                days_to_first_interview: Some(2),
                days_to_medical: None,
                days_to_therapy: Some(31),
                repeat_interview: false,
            }
        );
        let two = measures(
            referred,
            &[
                (at("2026-03-10T10:00:00Z"), true),
                (at("2026-03-03T10:00:00Z"), false),
            ],
            Some(at("2026-03-02T10:00:00Z")),
            None,
        );
        assert_eq!(
            (
                two.interviews,
                two.days_to_first_interview,
                two.days_to_medical,
                two.repeat_interview
            ),
            (2, Some(2), Some(1), true)
        );
    }
}
