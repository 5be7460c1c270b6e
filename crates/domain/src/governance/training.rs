//! Training records: coverage (the share of each BCU's online abuse team with each course) is an aggregate
//! anyone reading governance or the figures may see; who completed what is officers' personal data, seen by
//! name only by the improvement lead (the whole force), a BCU's sergeant and lead (their BCU's team) and the
//! officer (their own).

use super::tracker::Tracker;
use crate::{BcuId, Principal, Role, UserId};
use serde::Serialize;

/// A member of a BCU's online abuse team: an investigator, the sergeant or the lead of the BCU.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TeamMember {
    /// The user.
    pub user: UserId,
    /// Their BCU.
    pub bcu: BcuId,
}

/// Whether a role counts towards a BCU's online abuse team.
pub fn on_a_team(role: Role) -> bool {
    role.is_bcu_scoped()
}

/// One course's coverage in one BCU.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BcuCoverage {
    /// The BCU.
    pub bcu: BcuId,
    /// Team members who completed the course.
    pub done: usize,
    /// Team members.
    pub team: usize,
}

/// One course's coverage per BCU and across the force.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CourseCoverage {
    /// The course's id.
    pub course: String,
    /// Its name.
    pub name: String,
    /// Per BCU, in the order of `bcus`.
    pub bcus: Vec<BcuCoverage>,
    /// The force's teams together.
    pub done: usize,
    /// The force's team members.
    pub team: usize,
}

/// Each course's coverage of the teams in `bcus`, counting each member once per course.
pub fn coverage(t: &Tracker, team: &[TeamMember], bcus: &[BcuId]) -> Vec<CourseCoverage> {
    t.courses
        .iter()
        .map(|c| {
            let done_by = |m: &TeamMember| {
                let id = m.user.to_string();
                c.completions.iter().any(|x| x.user == id)
            };
            let per: Vec<BcuCoverage> = bcus
                .iter()
                .map(|b| {
                    let members: Vec<&TeamMember> = team.iter().filter(|m| m.bcu == *b).collect();
                    BcuCoverage {
                        bcu: *b,
                        done: members.iter().filter(|m| done_by(m)).count(),
                        team: members.len(),
                    }
                })
                .collect();
            CourseCoverage {
                course: c.id.clone(),
                name: c.name.clone(),
                done: per.iter().map(|b| b.done).sum(),
                team: per.iter().map(|b| b.team).sum(),
                bcus: per,
            }
        })
        .collect()
}

/// Whose completions a reader may see by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameReach {
    /// Every officer of the force (the improvement lead).
    Force,
    /// The officers of one BCU (its sergeant and lead).
    Bcu(BcuId),
    /// Their own only (an investigator).
    Own(UserId),
    /// Nobody's: coverage only.
    Nobody,
}

/// The rule for names in training records.
pub fn name_reach(p: &Principal) -> NameReach {
    match (p.role, p.bcu) {
        (Role::ImprovementLead, _) => NameReach::Force,
        (Role::Supervisor | Role::BcuLead, Some(b)) => NameReach::Bcu(b),
        (Role::Investigator, _) => NameReach::Own(p.user),
        _ => NameReach::Nobody,
    }
}

impl NameReach {
    /// Whether an officer of `bcu` (or none) with id `user` is within reach.
    pub fn reaches(self, user: UserId, bcu: Option<BcuId>) -> bool {
        match self {
            NameReach::Force => true,
            NameReach::Bcu(b) => bcu == Some(b),
            NameReach::Own(u) => u == user,
            NameReach::Nobody => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Change, Completion, Event};
    use super::*;
    use crate::ForceId;

    fn event(seq: i64, change: Change) -> Event {
        Event {
            seq,
            at: jiff::Timestamp::UNIX_EPOCH,
            by: "Improvement lead".into(),
            change,
        }
    }

    #[test]
    fn coverage_counts_each_team_member_once_per_course_in_their_bcu() {
        let (a, b) = (BcuId::new(), BcuId::new());
        let users: Vec<UserId> = (0..5).map(|_| UserId::new()).collect();
        let team: Vec<TeamMember> = users
            .iter()
            .enumerate()
            .map(|(n, u)| TeamMember {
                user: *u,
                bcu: if n < 3 { a } else { b },
            })
            .collect();
        let done = |u: usize, on: &str| Completion {
            user: users[u].to_string(),
            course: "c".into(),
            completed_on: on.parse().unwrap(),
        };
        let t = Tracker::from_events(&[
            event(
                1,
                Change::CourseAdded {
                    course: "c".into(),
                    name: "Awareness".into(),
                    description: String::new(),
                },
            ),
            event(
                2,
                Change::CompletionsImported {
                    import: "i".into(),
                    source: "lms.csv".into(),
                    // Officer 0 twice (the earlier day is kept), officer 3 once, someone off the teams once.
                    rows: vec![
                        done(0, "2019-05-20"),
                        done(0, "2019-05-15"),
                        done(3, "2019-05-16"),
                        Completion {
                            user: UserId::new().to_string(),
                            course: "c".into(),
                            completed_on: "2019-05-16".parse().unwrap(),
                        },
                    ],
                },
            ),
        ]);
        let cov = coverage(&t, &team, &[a, b]);
        assert_eq!(
            cov[0].bcus[0],
            BcuCoverage {
                bcu: a,
                done: 1,
                team: 3
            }
        );
        assert_eq!(
            cov[0].bcus[1],
            BcuCoverage {
                bcu: b,
                done: 1,
                team: 2
            }
        );
        assert_eq!((cov[0].done, cov[0].team), (2, 5));
        assert_eq!(
            t.courses[0].completions[0].completed_on.to_string(),
            "2019-05-15"
        );
        assert_eq!(t.course(" awareness ").unwrap().id, "c");
    }

    #[test]
    fn names_reach_the_improvement_lead_the_officers_sergeant_and_lead_and_the_officer() {
        let (f, b, other) = (ForceId::new(), BcuId::new(), BcuId::new());
        let officer = UserId::new();
        let who = |role, bcu| Principal {
            user: UserId::new(),
            role,
            force: f,
            bcu,
        };
        assert!(name_reach(&who(Role::ImprovementLead, None)).reaches(officer, Some(b)));
        assert!(name_reach(&who(Role::Supervisor, Some(b))).reaches(officer, Some(b)));
        assert!(name_reach(&who(Role::BcuLead, Some(b))).reaches(officer, Some(b)));
        assert!(!name_reach(&who(Role::BcuLead, Some(other))).reaches(officer, Some(b)));
        let me = Principal {
            user: officer,
            role: Role::Investigator,
            force: f,
            bcu: Some(b),
        };
        assert!(name_reach(&me).reaches(officer, Some(b)));
        assert!(!name_reach(&who(Role::Investigator, Some(b))).reaches(officer, Some(b)));
        for role in [
            Role::Oversight,
            Role::Auditor,
            Role::CentralTriage,
            Role::Dpo,
            Role::Admin,
            Role::Forensics,
        ] {
            assert_eq!(name_reach(&who(role, None)), NameReach::Nobody, "{role:?}");
        }
    }
}
