//! The demo's governance history: the inspectorate's 2016 national child protection inspection of the force
//! (published 25 November 2016) with its nine recommendations in three time bands, and the 2019
//! post-inspection review (published 28 March 2019) with its two recommendations requiring an immediate
//! response, from `shared/reference/domain.md`. The recommendations' words are paraphrased (the demo says so on
//! each). Actions, evidence and both status histories run from 2017 to 2020, recorded by the improvement lead;
//! the oversight body's comments and its section 55 response to the 2019 review, published on 28 May 2019 (six
//! days after the last day, 22 May), are recorded by the oversight user. Everything goes through
//! `app::governance::record`, on the day it happened, so the demo obeys the same rules as a person would.

use app::governance::record;
use domain::governance::{Answer, AnswerKind, Change, TimeBand, Track};
use jiff::Timestamp;
use jiff::civil::{Date, date};

/// What the demo recorded.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GovernanceSummary {
    /// Inspection reports.
    pub inspections: usize,
    /// Recommendations.
    pub recommendations: usize,
    /// Actions.
    pub actions: usize,
    /// Changes recorded in all.
    pub changes: usize,
    /// Board meetings scheduled.
    pub meetings: usize,
    /// Of them, with a frozen snapshot.
    pub snapshots: usize,
}

/// The 2016 recommendations: number, band, words (paraphrased).
const REC_2016: [(&str, TimeBand, &str); 9] = [
    (
        "1",
        TimeBand::Immediate,
        "Improve the governance and oversight of child protection practice across borough and specialist teams, with a clear standard of good service and a performance framework.",
    ),
    (
        "2",
        TimeBand::Immediate,
        "Improve the response to children who go missing from home.",
    ),
    (
        "3",
        TimeBand::Immediate,
        "Improve officers' and staff's understanding and awareness of the risks to children.",
    ),
    (
        "4",
        TimeBand::Immediate,
        "Improve the management of people who pose a risk to children.",
    ),
    (
        "5",
        TimeBand::ThreeMonths,
        "Improve the planning and initial response to child abuse and child protection matters.",
    ),
    (
        "6",
        TimeBand::ThreeMonths,
        "Improve how the force investigates child protection matters.",
    ),
    (
        "7",
        TimeBand::SixMonths,
        "Improve how resources are managed to meet the demand of child protection work.",
    ),
    (
        "8",
        TimeBand::SixMonths,
        "With children's social care, review the practices used to detain children.",
    ),
    (
        "9",
        TimeBand::SixMonths,
        "Audit the skills and experience of staff who carry out safeguarding investigations.",
    ),
];

const OWNERS: [&str; 5] = [
    "Detective Chief Superintendent, Safeguarding",
    "Head of the child protection improvement team",
    "Detective Superintendent, Public Protection",
    "Chief Inspector, Learning and Development",
    "Superintendent, Performance and Insight",
];

/// 10:00 London on `d`, plus `minutes`.
fn on(d: Date, minutes: i64) -> Timestamp {
    domain::time::london()
        .to_ambiguous_zoned_datetime(d.at(10, 0, 0, 0))
        .later()
        .map(|z| z.timestamp())
        .unwrap_or(Timestamp::UNIX_EPOCH)
        + jiff::SignedDuration::from_mins(minutes)
}

fn days(d: Date, n: i64) -> Date {
    d.checked_add(jiff::Span::new().days(n)).unwrap_or(d)
}

/// One change to record as the improvement lead (`false`) or the oversight body (`true`), at `at`.
struct Step {
    at: Timestamp,
    board: bool,
    change: Change,
}

fn status(rec: &str, track: Track, status: &str, d: Date, comment: &str) -> Step {
    Step {
        at: on(d, 30),
        board: false,
        change: Change::StatusRecorded {
            recommendation: rec.into(),
            track,
            status: status.into(),
            on: d,
            comment: comment.into(),
        },
    }
}

fn history_2016(steps: &mut Vec<Step>, ids: &[String], inspection: &str) {
    let published = date(2016, 11, 25);
    // The oversight body's section 55 response, published on time.
    steps.push(Step {
        at: on(date(2017, 1, 12), 180),
        board: true,
        change: Change::ResponseSaved {
            inspection: inspection.into(),
            covering: "The oversight body welcomes the inspectorate's report and will hold the force to account for every recommendation through a board meeting every six weeks, chaired by the Deputy Mayor.".into(),
            chief_officer: "The Commissioner accepts every recommendation; an improvement plan has been agreed and a dedicated improvement team set up.".into(),
            answers: ids
                .iter()
                .enumerate()
                .map(|(n, id)| Answer {
                    recommendation: id.clone(),
                    kind: AnswerKind::ActionProposed,
                    text: format!("{} The board will track it at every meeting.", ACTIONS[n].0),
                })
                .collect(),
        },
    });
    steps.push(Step {
        at: on(date(2017, 1, 17), 200),
        board: true,
        change: Change::ResponsePublished {
            inspection: inspection.into(),
            on: date(2017, 1, 17),
        },
    });
    for (n, id) in ids.iter().enumerate() {
        let n = n as i64;
        steps.push(status(
            id,
            Track::Force,
            "not_started",
            date(2016, 12, 1),
            "",
        ));
        steps.push(status(
            id,
            Track::Inspectorate,
            "awaiting_review",
            date(2016, 12, 5),
            "Recorded from the monitoring portal.",
        ));
        let started = days(date(2017, 1, 16), n * 9);
        steps.push(status(
            id,
            Track::Force,
            "on_track",
            started,
            "Action plan agreed at the improvement board.",
        ));
        steps.push(status(
            id,
            Track::Inspectorate,
            "being_progressed",
            days(date(2017, 6, 12), n * 5),
            "Progress update accepted by the inspectorate.",
        ));
        // Two actions each: the first done (one of them late), the second done later or still open.
        let a1 = format!("{id}-a1");
        let a2 = format!("{id}-a2");
        let due1 = days(published, 90 + n * 14);
        let due2 = days(date(2018, 3, 30), n * 30);
        steps.push(Step {
            at: on(started, 60),
            board: false,
            change: Change::ActionAdded {
                action: a1.clone(),
                recommendation: id.clone(),
                text: ACTIONS[n as usize].0.into(),
                owner: OWNERS[n as usize % OWNERS.len()].into(),
                due_on: due1,
            },
        });
        steps.push(Step {
            at: on(started, 90),
            board: false,
            change: Change::ActionAdded {
                action: a2.clone(),
                recommendation: id.clone(),
                text: ACTIONS[n as usize].1.into(),
                owner: OWNERS[(n as usize + 2) % OWNERS.len()].into(),
                due_on: due2,
            },
        });
        let done1 = if n % 4 == 1 {
            days(due1, 21)
        } else {
            days(due1, -10)
        };
        steps.push(Step {
            at: on(done1, 120),
            board: false,
            change: Change::ActionDone {
                action: a1.clone(),
                on: done1,
                note: if n % 4 == 1 {
                    "Done late: the rollout waited for the new duty rota.".into()
                } else {
                    String::new()
                },
            },
        });
        steps.push(Step {
            at: on(done1, 150),
            board: false,
            change: Change::EvidenceAdded {
                evidence: format!("{id}-e1"),
                recommendation: id.clone(),
                action: Some(a1),
                note: "Minutes of the improvement board recording the action as done.".into(),
                link: None,
                file_ref: Some(format!("CPIT/2017/{:03}", 14 + n * 3)),
            },
        });
        // Recommendations 7 and 8 went off track for a while in 2018.
        if n == 6 || n == 7 {
            steps.push(status(
                id,
                Track::Force,
                "off_track",
                date(2018, 5, 14),
                "Training places lost to the summer events; recovery plan agreed.",
            ));
            steps.push(status(
                id,
                Track::Force,
                "on_track",
                date(2018, 10, 1),
                "Recovery plan delivered.",
            ));
        }
        // Actions for 4 and 9 are still open (and overdue); the rest done by 2019 or 2020.
        if n != 3 && n != 8 {
            let done2 = days(due2, if n % 3 == 0 { 35 } else { -5 });
            steps.push(Step {
                at: on(done2, 120),
                board: false,
                change: Change::ActionDone {
                    action: a2,
                    on: done2,
                    note: String::new(),
                },
            });
            steps.push(status(
                id,
                Track::Force,
                "pending_sign_off",
                days(done2, 14),
                "Evidence submitted for sign-off.",
            ));
            if n % 2 == 0 {
                let closed = days(done2, 60);
                steps.push(status(
                    id,
                    Track::Force,
                    "closed",
                    closed,
                    "Signed off by the improvement board.",
                ));
                steps.push(status(
                    id,
                    Track::Inspectorate,
                    "complete",
                    days(closed, 45),
                    "Marked complete on the monitoring portal.",
                ));
            }
        }
    }
    // The oversight body's comments at its meetings.
    for (n, text, d) in [
        (
            0,
            "The board asks for the performance framework's first quarter figures at its next meeting.",
            date(2017, 3, 2),
        ),
        (
            2,
            "The board notes the training places lost and asks for the recovery plan's dates.",
            date(2018, 5, 31),
        ),
        (
            3,
            "The board remains concerned at the pace on managing people who pose a risk to children.",
            date(2019, 7, 11),
        ),
    ] {
        steps.push(Step {
            at: on(d, 240),
            board: true,
            change: Change::Commented {
                recommendation: ids[n].clone(),
                text: text.into(),
            },
        });
    }
}

const ACTIONS: [(&str, &str); 9] = [
    (
        "Publish a child protection standard of service for every borough and specialist team.",
        "Report the child protection performance framework to the improvement board each quarter.",
    ),
    (
        "Issue a missing-children briefing to every response team.",
        "Audit a sample of missing-child reports against the standard.",
    ),
    (
        "Deliver a risk-awareness briefing to every frontline officer.",
        "Build risk to children into the core training programme.",
    ),
    (
        "Review every registered offender's risk management plan.",
        "Reduce the caseload per offender manager to the national guide.",
    ),
    (
        "Agree a joint initial-response checklist with the local authorities.",
        "Audit initial responses against the checklist.",
    ),
    (
        "Introduce supervisory reviews at set intervals in every child abuse investigation.",
        "Dip-sample investigations for the quality of supervision.",
    ),
    (
        "Model child protection demand per borough.",
        "Move posts to match the modelled demand.",
    ),
    (
        "Agree a joint protocol on detaining children with children's social care.",
        "Report detentions of children to the board each quarter.",
    ),
    (
        "Survey the skills and accreditation of safeguarding investigators.",
        "Close the accreditation gaps the survey found.",
    ),
];

fn review_2019(steps: &mut Vec<Step>, ids: &[String], review: &str) {
    let published = date(2019, 3, 28);
    for id in ids {
        steps.push(status(
            id,
            Track::Force,
            "not_started",
            days(published, 4),
            "",
        ));
        steps.push(status(
            id,
            Track::Inspectorate,
            "awaiting_review",
            days(published, 7),
            "Recorded from the monitoring portal.",
        ));
        steps.push(status(
            id,
            Track::Force,
            "on_track",
            date(2019, 6, 3),
            "Delivery plan agreed.",
        ));
        steps.push(status(
            id,
            Track::Inspectorate,
            "being_progressed",
            date(2019, 11, 18),
            "Progress update accepted by the inspectorate.",
        ));
    }
    steps.push(Step {
        at: on(date(2019, 4, 15), 60),
        board: false,
        change: Change::ActionAdded {
            action: "r19-2-a1".into(),
            recommendation: ids[1].clone(),
            text: "Give every BCU online abuse team officer the awareness session, then workshops and the three-week training package.".into(),
            owner: OWNERS[3].into(),
            due_on: date(2019, 9, 30),
        },
    });
    steps.push(Step {
        at: on(date(2019, 4, 15), 90),
        board: false,
        change: Change::ActionAdded {
            action: "r19-2-a2".into(),
            recommendation: ids[1].clone(),
            text: "Bring the online abuse referrals into one tracked system with timeliness targets per risk level.".into(),
            owner: OWNERS[4].into(),
            due_on: date(2020, 3, 31),
        },
    });
    steps.push(Step {
        at: on(date(2019, 6, 20), 120),
        board: false,
        change: Change::EvidenceAdded {
            evidence: "r19-2-e1".into(),
            recommendation: ids[1].clone(),
            action: Some("r19-2-a1".into()),
            note: "Attendance lists: 120 BCU officers attended the awareness session.".into(),
            link: None,
            file_ref: Some("CPIT/2019/031".into()),
        },
    });
    let answers = |final_text: bool| -> Vec<Answer> {
        vec![
            Answer {
                recommendation: ids[0].clone(),
                kind: AnswerKind::ActionTaken,
                text: "The force has continued to implement every 2016 recommendation; the board tracks each at every meeting, and four are closed.".into(),
            },
            Answer {
                recommendation: ids[1].clone(),
                kind: AnswerKind::ActionProposed,
                text: if final_text {
                    "120 BCU officers have had an awareness session; workshops and a three-week training package follow, and the board will monitor the quality and timeliness of online investigations with data.".into()
                } else {
                    "Training for BCU officers is planned.".into()
                },
            },
        ]
    };
    for (d, final_text) in [(date(2019, 5, 10), false), (date(2019, 5, 24), true)] {
        steps.push(Step {
            at: on(d, 180),
            board: true,
            change: Change::ResponseSaved {
                inspection: review.into(),
                covering: "The Mayor's Office for Policing And Crime welcomes the inspectorate's post-inspection review and sets out below, for each recommendation, the action taken or proposed.".into(),
                chief_officer: if final_text { "The Commissioner accepts both recommendations and has made the online child abuse teams a priority for 2019/20.".into() } else { String::new() },
                answers: answers(final_text),
            },
        });
    }
    steps.push(Step {
        at: on(date(2019, 5, 28), 200),
        board: true,
        change: Change::ResponsePublished {
            inspection: review.into(),
            on: date(2019, 5, 28),
        },
    });
}

/// The 2019 awareness session for all 120 BCU officers (the investigators, sergeants and leads of the 12
/// BCUs), then workshops (about three in five) and the three-week package (about one in four).
fn training(steps: &mut Vec<Step>, accounts: &[app::users::Account]) {
    let courses = [
        (
            "course-awareness",
            "Online child abuse awareness session",
            "A half-day session on online child abuse and exploitation for every BCU officer.",
            date(2019, 5, 15),
        ),
        (
            "course-workshops",
            "Online investigation workshops",
            "Workshops on planning, timeliness and risk in online child abuse investigations.",
            date(2019, 7, 8),
        ),
        (
            "course-package",
            "Three-week online child abuse investigation package",
            "The full training package: investigation, digital evidence, victim identification and safeguarding.",
            date(2019, 10, 7),
        ),
    ];
    for (id, name, description, first) in courses {
        steps.push(Step {
            at: on(date(2019, 4, 23), 300),
            board: false,
            change: Change::CourseAdded {
                course: id.into(),
                name: name.into(),
                description: description.into(),
            },
        });
        let sessions: &[i64] = if id == "course-awareness" {
            &[0, 1]
        } else if id == "course-workshops" {
            &[0, 21, 42, 63]
        } else {
            &[0, 91]
        };
        for (k, d) in sessions.iter().enumerate() {
            steps.push(Step {
                at: on(date(2019, 4, 23), 301 + k as i64),
                board: false,
                change: Change::SessionAdded {
                    session: format!("{id}-s{k}"),
                    course: id.into(),
                    on: days(first, *d),
                    place: "Hendon training centre".into(),
                },
            });
        }
    }
    let officers: Vec<&app::users::Account> = accounts
        .iter()
        .filter(|a| a.user.role.is_bcu_scoped())
        .collect();
    let completion =
        |course: &str, a: &app::users::Account, on: Date| domain::governance::Completion {
            user: a.user.id.to_string(),
            course: course.into(),
            completed_on: on,
        };
    let mut imports: Vec<(Date, &str, Vec<domain::governance::Completion>)> = vec![];
    imports.push((
        date(2019, 5, 20),
        "lms-2019-05.csv",
        officers
            .iter()
            .enumerate()
            .map(|(n, a)| {
                completion(
                    "course-awareness",
                    a,
                    days(date(2019, 5, 15), (n % 2) as i64),
                )
            })
            .collect(),
    ));
    imports.push((
        date(2019, 10, 1),
        "lms-2019-09.csv",
        officers
            .iter()
            .enumerate()
            .filter(|(n, _)| n % 5 < 3)
            .map(|(n, a)| {
                completion(
                    "course-workshops",
                    a,
                    days(date(2019, 7, 8), 21 * (n % 4) as i64),
                )
            })
            .collect(),
    ));
    imports.push((
        date(2020, 2, 3),
        "lms-2020-01.csv",
        officers
            .iter()
            .enumerate()
            .filter(|(n, _)| n % 4 == 0)
            .map(|(n, a)| {
                completion(
                    "course-package",
                    a,
                    days(date(2019, 10, 25), if n % 8 == 0 { 0 } else { 91 }),
                )
            })
            .collect(),
    ));
    for (day, source, rows) in imports {
        steps.push(Step {
            at: on(day, 120),
            board: false,
            change: Change::CompletionsImported {
                import: format!("import-{source}"),
                source: source.into(),
                rows,
            },
        });
    }
}

/// Record the demo's governance history as `improve` (the improvement lead) and `oversight`.
pub async fn seed(
    app: &app::App,
    force: domain::ForceId,
    created_at: Timestamp,
) -> Result<GovernanceSummary, String> {
    let accounts = app::users::accounts(app, force)
        .await
        .map_err(|e| e.message())?;
    let actor = |username: &str| {
        accounts
            .iter()
            .find(|a| a.user.username == username)
            .map(|a| app::Actor::new(a.user.clone(), None))
            .ok_or_else(|| format!("the demo user {username} is missing"))
    };
    let improve = actor("improve")?;
    let oversight = actor("oversight")?;
    let admin = actor("admin")?;
    // Every account has a staff number in the learning system (MP and six digits).
    for (n, a) in accounts.iter().enumerate() {
        app::accounts::set_staff_number(
            app,
            &admin,
            &a.user.id.to_string(),
            &format!("MP{:06}", 104_200 + n),
        )
        .await
        .map_err(|e| e.message())?;
    }
    let mut steps = vec![];
    let mut sum = GovernanceSummary::default();
    for (id, title, published, recs) in [
        (
            "inspection-2016",
            "National child protection inspection of the Metropolitan Police Service",
            date(2016, 11, 25),
            REC_2016.to_vec(),
        ),
        (
            "inspection-2019",
            "National child protection inspection: post-inspection review",
            date(2019, 3, 28),
            vec![
                (
                    "1",
                    TimeBand::Immediate,
                    "Continue to implement all the recommendations of the 2016 inspection.",
                ),
                (
                    "2",
                    TimeBand::Immediate,
                    "Improve the quality and timeliness of investigations of the exploitation and abuse of children via the internet.",
                ),
            ],
        ),
    ] {
        steps.push(Step {
            at: on(published, 0),
            board: false,
            change: Change::InspectionAdded {
                inspection: id.into(),
                title: title.into(),
                inspectorate: if published.year() < 2018 {
                    "HMIC".into()
                } else {
                    "HMICFRS".into()
                },
                published_on: published,
                link: Some("https://www.justiceinspectorates.gov.uk/hmicfrs/".into()),
            },
        });
        sum.inspections += 1;
        let mut ids = vec![];
        for (n, (number, band, text)) in recs.iter().enumerate() {
            let rid = format!("{id}-r{number}");
            steps.push(Step {
                at: on(published, 1 + n as i64),
                board: false,
                change: Change::RecommendationAdded {
                    recommendation: rid.clone(),
                    inspection: id.into(),
                    number: (*number).into(),
                    text: (*text).into(),
                    time_band: *band,
                    due_on: band.due_from(published),
                    paraphrased: true,
                },
            });
            ids.push(rid);
            sum.recommendations += 1;
        }
        if published.year() == 2016 {
            history_2016(&mut steps, &ids, id);
        } else {
            review_2019(&mut steps, &ids, id);
        }
    }
    training(&mut steps, &accounts);
    let mut freezes = board(&mut steps, created_at, &mut sum);
    // In the order they happened (stable, so a day's steps keep their order); each snapshot frozen in its place.
    steps.sort_by_key(|s| s.at);
    freezes.sort_by_key(|f| f.0);
    let mut freezes = freezes.into_iter().peekable();
    for s in steps {
        while let Some((at, meeting)) = freezes.next_if(|f| f.0 <= s.at) {
            app::governance::board::freeze_at(app, &oversight, &meeting, at)
                .await
                .map_err(|e| e.message())?;
            sum.snapshots += 1;
        }
        sum.actions += usize::from(matches!(s.change, Change::ActionAdded { .. }));
        let who = if s.board { &oversight } else { &improve };
        record(app, who, s.change, s.at)
            .await
            .map_err(|e| e.message())?;
        sum.changes += 1;
    }
    for (at, meeting) in freezes {
        app::governance::board::freeze_at(app, &oversight, &meeting, at)
            .await
            .map_err(|e| e.message())?;
        sum.snapshots += 1;
    }
    Ok(sum)
}

/// The board's meetings: every six weeks from 12 January 2017 (40 meetings, to mid-2021), a few with their
/// record and two with their snapshot frozen on the day; and the current year's, from about ten months before
/// the creation day, each past one recorded and frozen on its day. Gives the freezes, by time.
fn board(
    steps: &mut Vec<Step>,
    created_at: Timestamp,
    sum: &mut GovernanceSummary,
) -> Vec<(Timestamp, String)> {
    let today = domain::time::in_london(created_at).date();
    let mut freezes = vec![];
    let attendees = vec![
        "Deputy Mayor for Policing and Crime (chair)".to_string(),
        "Commander, Public Protection".to_string(),
        "Head of the child protection improvement team".to_string(),
        "Director of Children's Services (London, rotating)".to_string(),
        "Oversight board secretariat".to_string(),
    ];
    for (prefix, first, count, record_every, freeze) in [
        (
            "meeting-a",
            date(2017, 1, 12),
            40usize,
            7usize,
            vec![18usize, 21],
        ),
        ("meeting-b", days(today, -300), 9, 1, (0..9).collect()),
    ] {
        let ids: Vec<String> = (0..count).map(|i| format!("{prefix}-{i:02}")).collect();
        steps.push(Step {
            at: on(days(first, -14), 0),
            board: true,
            change: Change::MeetingsScheduled {
                first,
                meetings: ids.clone(),
            },
        });
        sum.meetings += count;
        for (i, id) in ids.iter().enumerate() {
            let day = days(first, 42 * i as i64);
            if day >= today {
                break;
            }
            if i % record_every == 0 || freeze.contains(&i) {
                steps.push(Step {
                    at: on(day, 360),
                    board: true,
                    change: Change::MeetingEdited {
                        meeting: id.clone(),
                        on: day,
                        attendees: attendees.clone(),
                        minutes: "The board reviewed the tracker's overdue actions and the month's figures with the improvement team.".into(),
                        decisions: "Owners of overdue actions to report their recovery dates to the next meeting.".into(),
                    },
                });
            }
            if freeze.contains(&i) {
                freezes.push((on(day, 420), id.clone()));
            }
        }
    }
    freezes
}
