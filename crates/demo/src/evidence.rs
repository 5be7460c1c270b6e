//! Exhibits and a quality review on the demo force, as they would have happened before the creation day. Devices
//! are seized at the first enforcement of most enforced referrals and go down the forensic path step by step,
//! each step's time drawn around its target (a quarter late, with a reason code), so that the force holds
//! exhibits waiting at every step; the forensic return brings a scan report (the JSON `safeguard scan --json`
//! prints, read by the same code as an upload) and grading follows. A quality review sample drawn five weeks
//! before creation is graded in full, and the referrals referred back have remedial actions, some done, some
//! open. Every clock change follows `domain::clocks` and is written through the store as it happened.

use crate::calendar::at_london;
use crate::work::{Ctx as WorkCtx, WorkError, WorkSummary, actor, between, late_reason, rng_for};
use domain::clocks::{Clock, ClockKind};
use domain::exhibits::{ExhibitKind, ForensicStep};
use domain::plans::{Doer, StartEvent};
use domain::quality::{Candidate, Grade, QualityAreas, Stratum};
use domain::{ForceId, Referral, RiskLevel, Role, Status, TimelinessTable, User};
use jiff::{SignedDuration, Timestamp};
use rand::Rng;
use store::{ActionRef, Batch, StepDetails, StepRef, Store};

/// The devices a search finds, with how often.
const KINDS: [(ExhibitKind, &str, u32); 5] = [
    (ExhibitKind::Phone, "Smartphone, black, cracked screen", 50),
    (ExhibitKind::Computer, "Laptop computer", 20),
    (ExhibitKind::StorageMedia, "USB memory stick, 64 GB", 15),
    (ExhibitKind::Tablet, "Tablet computer", 10),
    (
        ExhibitKind::GamesConsole,
        "Games console with hard drive",
        5,
    ),
];

const QUESTIONS: [&str; 4] = [
    "Are there indecent images of children? Grade them. Is there contact with children in chats?",
    "Was the reported account used on this device? Any sharing of images, and with whom?",
    "Any evidence of contact with the named child, or of images being made?",
    "Identify any other children at risk from the suspect's contacts.",
];

const REMEDIAL: [&str; 5] = [
    "Record the sergeant's review of the investigation plan with its rationale.",
    "Make and record the children's social care referral for the child in the household.",
    "Record why the forensic submission was triage only.",
    "Record the rationale for the risk level against the instrument's answers.",
    "Update the victim and record when and how they were told.",
];

/// When a step that started at `from` happened: three in four within its target, the rest up to three weeks
/// late; `None` when that falls on or after the creation day (the step still waits).
fn step_time(
    rng: &mut impl Rng,
    from: Timestamp,
    due: Timestamp,
    cutoff: Timestamp,
) -> Option<Timestamp> {
    let span = (due.as_second() - from.as_second()).max(3600);
    let secs = if rng.random_bool(0.75) {
        rng.random_range(span / 10..=span * 95 / 100)
    } else {
        span + rng.random_range(3600..21 * 24 * 3600)
    };
    let at = crate::work::working(from + SignedDuration::from_secs(secs), from, cutoff);
    (at < cutoff).then_some(at)
}

/// A scan report of the exhibit's media as `safeguard scan --json` prints it.
fn scan_report(rng: &mut impl Rng, root: &str, started: Timestamp) -> Vec<u8> {
    // A phone's camera roll in miniature: every file is listed, so a large demo stays a manageable size.
    let files = rng.random_range(12..120u64);
    let unreadable = rng.random_range(0..4u64);
    let (a, b, c) = (
        rng.random_range(0..6u64),
        rng.random_range(0..10u64),
        rng.random_range(1..30u64),
    );
    let near = rng.random_range(0..4u64);
    let not_indecent = rng.random_range(0..5u64);
    let exact = a + b + c + not_indecent;
    // Every matched file and every unreadable one is among the files listed.
    let files = files.max(exact + near + unreadable);
    let images = ((files - unreadable) * 7 / 10).max(exact + near);
    let unknown = images.saturating_sub(exact + near);
    let mut list = vec![];
    let mut add = |name: String, matches: serde_json::Value| {
        let n = list.len();
        list.push(serde_json::json!({
            "path": format!("{root}/{name}"), "size": 20_000 + n * 37,
            "md5": format!("{:032x}", rng.random::<u128>()), "sha1": format!("{:040x}", rng.random::<u128>()),
            "pdq": null, "quality": null, "error": null, "skipped": null, "matches": matches
        }));
    };
    let m = |category: &str, kind: &str| {
        serde_json::json!([{"set": "national-2026-11", "category": category, "kind": kind,
            "hash": if kind == "exact" { "MD5" } else { "PDQ" }, "distance": if kind == "near" { serde_json::json!(18) } else { serde_json::Value::Null }}])
    };
    for (cat, n) in [("A", a), ("B", b), ("C", c), ("not_indecent", not_indecent)] {
        for i in 0..n {
            add(format!("DCIM/IMG_{cat}{i:04}.jpg"), m(cat, "exact"));
        }
    }
    for i in 0..near {
        add(
            format!("Pictures/edit_{i:03}.jpg"),
            m(if i % 2 == 0 { "A" } else { "C" }, "near"),
        );
    }
    for i in 0..(files - exact - near) {
        add(format!("data/file_{i:05}.bin"), serde_json::json!([]));
    }
    let near_a = near.div_ceil(2);
    let report = serde_json::json!({
        "summary": {"files": files, "bytes": files * 20_000, "images": images,
            "matched": {"A": a + near_a, "B": b, "C": c + near / 2, "not_indecent": not_indecent, "uncategorised": 0, "other": 0, "other_by_number": {}},
            "exact": exact, "near": near, "unknown_images": unknown, "unreadable": unreadable, "seconds": 41.5},
        "files": list,
        "tool": {"name": "safeguard", "version": env!("CARGO_PKG_VERSION")},
        "root": root,
        "started_at": started.as_second(),
        "bytes_per_second": 4.2e8,
        "sets": [{"name": "national-2026-11", "checksum": set_checksum(), "distance": 31,
                  "md5": 120_000, "sha1": 0, "pdq": 80_000, "sha256": 0, "photodna": 0}],
        "resumed_files": 0
    });
    serde_json::to_vec(&report).expect("a report serialises")
}

/// One exhibit seized at `seized` and taken through the forensic steps as far as the creation day allows:
/// returns when it was submitted and graded, if it was.
#[allow(clippy::too_many_arguments)]
fn exhibit(
    rng: &mut impl Rng,
    ctx: &WorkCtx<'_>,
    b: &mut Batch,
    r: &Referral,
    officer: &User,
    forensics: &User,
    n: usize,
    seized: Timestamp,
    sum: &mut WorkSummary,
) -> Result<(Option<Timestamp>, Option<Timestamp>), WorkError> {
    let items: Vec<(usize, u32)> = KINDS.iter().enumerate().map(|(i, k)| (i, k.2)).collect();
    let (kind, description, _) = KINDS[crate::names::weighted(rng, &items)];
    let initials: String = officer
        .display_name
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_ascii_uppercase())
        .collect();
    let reference = format!("{}/{n}", if initials.is_empty() { "EX" } else { &initials });
    let from = r.reported_person.headline();
    let clock = Clock::start(
        ClockKind::Forensic,
        seized,
        ForensicStep::Submitted.target(ctx.table),
    );
    let (x, first) = b.add_exhibit(
        r.id,
        &store::NewExhibit {
            reference: &reference,
            kind: kind.as_str(),
            description,
            seized_at: seized,
            seized_where: "Home address, under a search warrant",
            seized_from_person: None,
            seized_from: &from,
        },
        clock,
        seized,
        format!(
            "Exhibit {reference} seized: {} ({description}) from {from}",
            kind.label().to_lowercase()
        ),
        &actor(officer),
    );
    sum.exhibits += 1;
    // The exhibit's steps so far: (step, its place in the batch, when it was done).
    let mut steps: Vec<(StepRef, Option<Timestamp>)> = vec![(first, None)];
    let (mut submitted_at, mut graded_at) = (None, None);
    let mut new_images = false;
    let mut prev = seized;
    for step in ForensicStep::ALL {
        if step == ForensicStep::VictimIdentification && !new_images {
            continue;
        }
        let Some(i) = steps
            .iter()
            .position(|(s, _)| b.forensic_step(*s).0 == step.as_str())
        else {
            break;
        };
        let (s, _) = steps[i];
        let start = match step.after() {
            Some(before) => steps
                .iter()
                .find(|(x, _)| b.forensic_step(*x).0 == before.as_str())
                .and_then(|(_, done)| *done)
                .unwrap_or(prev),
            None => seized,
        };
        let c = b.forensic_step(s).1;
        let due = b.clock(c).due_at(ctx.cutoff);
        let Some(at) = step_time(rng, start, due, ctx.cutoff) else {
            sum.exhibits_waiting += 1;
            break;
        };
        let late = (at > due).then(|| {
            let mut l = late_reason(rng, ctx.codes);
            if step.by_forensics() && rng.random_bool(0.6) {
                l.code = "awaiting_forensics".into();
                l.text = "Backlog at the digital forensics unit.".into();
            }
            l
        });
        let was_late = late.is_some();
        b.stop_clock(c, at, late, ctx.codes)?;
        let mut details = StepDetails::default();
        if step == ForensicStep::Submitted {
            let triage = r.risk_level == Some(RiskLevel::VeryHigh) || rng.random_bool(0.25);
            details.submission = Some(store::Submission {
                examination: if triage { "triage_only" } else { "full" }.into(),
                reason: if triage {
                    "The risk needs a quick answer: triage first.".into()
                } else {
                    "Full examination for the charging file.".into()
                },
                identifiers: r.reported_person.emails.join(", "),
                from: None,
                to: None,
                questions: QUESTIONS[rng.random_range(0..QUESTIONS.len())].into(),
            });
            submitted_at = Some(at);
        }
        if step == ForensicStep::Graded {
            let count = if rng.random_bool(0.4) {
                rng.random_range(1..25)
            } else {
                0
            };
            new_images = count > 0;
            details.grading = Some(store::Grading {
                a: rng.random_range(0..3),
                b: rng.random_range(0..5),
                c: rng.random_range(0..12),
                new_images: count,
                distribution: rng.random_bool(0.35),
                production: count > 0 && rng.random_bool(0.3),
                note: None,
            });
            graded_at = Some(at);
        }
        let next: Vec<(&str, Clock)> = step
            .next(new_images)
            .into_iter()
            .map(|x| {
                (
                    x.as_str(),
                    Clock::start(ClockKind::Forensic, at, x.target(ctx.table)),
                )
            })
            .collect();
        let by = if step.by_forensics() {
            forensics
        } else {
            officer
        };
        let started = b.record_forensic_step(
            s,
            at,
            next,
            details,
            format!(
                "Exhibit {reference}: {}{}",
                step.label(),
                if was_late { " (late)" } else { "" }
            ),
            &actor(by),
        );
        steps[i].1 = Some(at);
        steps.extend(started.into_iter().map(|s| (s, None)));
        sum.forensic_steps += 1;
        sum.forensic_late += usize::from(was_late);
        if step == ForensicStep::Returned {
            // The examiner's triage scan comes back with the exhibit.
            let bytes = scan_report(
                rng,
                &format!("/mnt/exhibits/{}", reference.replace('/', "-")),
                at,
            );
            let p = app::exhibits::parse_scan(&bytes).map_err(|e| WorkError::Scan(e.message()))?;
            b.attach_scan(
                x,
                &p.to_new(&bytes),
                at,
                p.summary(&reference),
                &actor(forensics),
            );
            sum.scans += 1;
        }
        prev = at;
    }
    Ok((submitted_at, graded_at))
}

/// The plan's actions counted from a device's seizure: their clocks start at the first seizure; the
/// investigator's (submission) is done when the first exhibit was submitted, the grader's when it was graded.
#[allow(clippy::too_many_arguments)]
fn seizure_actions(
    rng: &mut impl Rng,
    ctx: &WorkCtx<'_>,
    b: &mut Batch,
    actions: &[ActionRef],
    officer: &User,
    forensics: &User,
    seized: Timestamp,
    submitted: Option<Timestamp>,
    graded: Option<Timestamp>,
    sum: &mut WorkSummary,
) -> Result<(), WorkError> {
    for &a in actions {
        let (action, clock, status) = b.action(a);
        if status != "open"
            || clock.is_some()
            || action.start_event != Some(StartEvent::DeviceSeizure)
        {
            continue;
        }
        let (Some(target), who) = (action.due_target, action.who) else {
            continue;
        };
        let Some(c) = b.start_action_clock(a, Clock::start(ClockKind::PlanAction, seized, target))
        else {
            continue;
        };
        let (when, who) = match who {
            Doer::Forensics => (graded, forensics),
            _ => (submitted, officer),
        };
        let Some(at) = when else { continue };
        let late = (at > b.clock(c).due_at(at)).then(|| late_reason(rng, ctx.codes));
        crate::work::done(ctx, b, a, c, at, late, who, sum)?;
    }
    Ok(())
}

/// Exhibits on most enforced referrals: one to three devices seized soon after the first enforcement, each
/// taken through the forensic steps, and the plan's seizure actions started and done with them.
#[allow(clippy::too_many_arguments)]
pub(crate) fn exhibits_of(
    seed: u64,
    ctx: &WorkCtx<'_>,
    b: &mut Batch,
    r: &Referral,
    actions: &[ActionRef],
    officer: &User,
    forensics: &User,
    sum: &mut WorkSummary,
) -> Result<(), WorkError> {
    let mut rng = rng_for(seed, r);
    let Some(enforced) = r.first_enforcement_at else {
        return Ok(());
    };
    if !matches!(r.status, Status::Enforcement | Status::OutcomeProposed) || !rng.random_bool(0.7) {
        return Ok(());
    }
    let seized = crate::calendar::plus_minutes(enforced, rng.random_range(20..180));
    if seized >= ctx.cutoff {
        return Ok(());
    }
    let count = crate::names::weighted(&mut rng, &[(1usize, 55), (2, 30), (3, 15)]);
    let (mut submitted, mut graded): (Option<Timestamp>, Option<Timestamp>) = (None, None);
    for n in 1..=count {
        let (s, g) = exhibit(&mut rng, ctx, b, r, officer, forensics, n, seized, sum)?;
        submitted = match (submitted, s) {
            (Some(a), Some(x)) => Some(a.min(x)),
            (a, x) => a.or(x),
        };
        graded = graded.or(g);
    }
    seizure_actions(
        &mut rng, ctx, b, actions, officer, forensics, seized, submitted, graded, sum,
    )
}

/// A quality review sample drawn five weeks before creation, graded in full, with referrals referred back.
pub async fn quality(
    rng: &mut impl Rng,
    store: &Store,
    force: ForceId,
    areas: &QualityAreas,
    table: &TimelinessTable,
    cutoff: Timestamp,
    sum: &mut WorkSummary,
) -> Result<(), WorkError> {
    let users = store.list_users(force, None).await?;
    let Some(auditor) = users.iter().find(|u| u.role == Role::Auditor) else {
        return Ok(());
    };
    let as_at = domain::time::in_london(cutoff - SignedDuration::from_hours(35 * 24)).date();
    let end = at_london(as_at, 23, 59);
    let candidates: Vec<Candidate> = store
        .quality_candidates(force, end)
        .await?
        .into_iter()
        .map(|(id, bcu, closed, level)| Candidate {
            id,
            bcu,
            stratum: Stratum {
                closed,
                level: level.as_deref().and_then(|l| l.parse().ok()),
            },
        })
        .collect();
    let seed = "demo quality review";
    let picked = domain::quality::draw(&candidates, seed, &as_at.to_string(), 6);
    let drawn: Vec<_> = picked
        .iter()
        .filter_map(|id| {
            let c = candidates.iter().find(|c| c.id == *id)?;
            let words = format!(
                "{}, {}",
                if c.stratum.closed { "Closed" } else { "Open" },
                c.stratum
                    .level
                    .map_or("not assessed".to_string(), |l| format!(
                        "{} risk",
                        l.label()
                    ))
            );
            Some((c.id, c.bcu, words))
        })
        .collect();
    let drawn_at = at_london(
        as_at
            .checked_add(jiff::Span::new().days(2))
            .expect("a date two days on"),
        10,
        0,
    );
    let areas_json = serde_json::to_string(&areas.areas).expect("areas serialise");
    let sample = store
        .add_sample(
            force,
            seed,
            &as_at.to_string(),
            6,
            &areas_json,
            &drawn,
            drawn_at,
            &actor(auditor),
        )
        .await?;
    for review in store.sample_reviews(force, &sample).await? {
        let graded_at = between(
            rng,
            drawn_at,
            drawn_at + SignedDuration::from_hours(20 * 24),
        );
        let mut grades = std::collections::BTreeMap::new();
        for a in &areas.areas {
            let g = crate::names::weighted(
                rng,
                &[
                    (Grade::Good, 62),
                    (Grade::RequiresImprovement, 29),
                    (Grade::Inadequate, 9),
                ],
            );
            grades.insert(a.key.clone(), g);
        }
        let weak = grades.values().filter(|g| **g != Grade::Good).count();
        let overall = if grades.values().any(|g| *g == Grade::Inadequate) && rng.random_bool(0.6) {
            Grade::Inadequate
        } else if weak >= 2 {
            Grade::RequiresImprovement
        } else {
            Grade::Good
        };
        let json = serde_json::to_string(&grades).expect("grades serialise");
        store
            .grade_review(
                force,
                &review,
                &json,
                overall.as_str(),
                Some(match overall {
                    Grade::Good => "A sound investigation, well supervised.",
                    Grade::RequiresImprovement => {
                        "Supervision and rationale need recording more fully."
                    }
                    Grade::Inadequate => "Safeguarding and supervision fell short: referred back.",
                }),
                graded_at,
                format!(
                    "Quality review: graded {} overall",
                    overall.label().to_lowercase()
                ),
                &actor(auditor),
            )
            .await?;
        sum.quality_graded += 1;
        if overall == Grade::Good {
            continue;
        }
        let n = if overall == Grade::Inadequate { 2 } else { 1 };
        let mut actions = vec![];
        for i in 0..n {
            let due =
                domain::time::in_london(graded_at + SignedDuration::from_hours(28 * 24)).date();
            let text =
                REMEDIAL[(rng.random_range(0..REMEDIAL.len()) + i) % REMEDIAL.len()].to_string();
            actions.push((
                text,
                Clock::until(ClockKind::RemedialAction, graded_at, at_london(due, 23, 59)),
            ));
        }
        store
            .refer_back(
                force,
                &review,
                &actions,
                graded_at,
                format!(
                    "Referred back by a quality review with {n} remedial action{}",
                    if n == 1 { "" } else { "s" }
                ),
                &actor(auditor),
            )
            .await?;
        sum.quality_referred_back += 1;
        let sergeant = users
            .iter()
            .find(|u| u.role == Role::Supervisor && Some(u.bcu) == Some(Some(review.bcu)));
        let clocks = store.clocks(review.referral).await?;
        for a in store.remedial_of(review.referral).await? {
            sum.remedial_actions += 1;
            let (Some(who), Some(mut c)) = (
                sergeant,
                clocks
                    .iter()
                    .find(|c| c.id == a.clock_id)
                    .map(|c| c.clock.clone()),
            ) else {
                continue;
            };
            if !rng.random_bool(0.65) {
                continue;
            }
            let at = between(
                rng,
                graded_at,
                c.base_due + SignedDuration::from_hours(10 * 24),
            );
            if at >= cutoff {
                continue;
            }
            let late = (at > c.due_at(at)).then(|| late_reason(rng, &table.late_reasons));
            c.stop(at, late, &table.late_reasons)?;
            store
                .complete_remedial(
                    force,
                    &a,
                    &c,
                    "Done and recorded on the referral.",
                    at,
                    format!("Remedial action done: {}", a.action),
                    &actor(who),
                )
                .await?;
            sum.remedial_done += 1;
        }
    }
    Ok(())
}

/// The demo hash set's checksum: 64 hex digits that look like the SHA-256 a real set's import records (the demo
/// has no set file to hash).
fn set_checksum() -> String {
    (1..=4u64)
        .map(|i| {
            format!(
                "{:016x}",
                0x9e37_79b9_7f4a_7c15u64.wrapping_mul(i * 0x5afe + 7)
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn every_scan_report_the_demo_draws_lists_as_many_files_as_its_summary_counts() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        for _ in 0..2_000 {
            let report: serde_json::Value =
                serde_json::from_slice(&scan_report(&mut rng, "E1", Timestamp::UNIX_EPOCH))
                    .expect("the report is JSON");
            let files = report["summary"]["files"].as_u64().expect("files");
            let listed = report["files"].as_array().expect("a file list").len() as u64;
            assert_eq!(listed, files);
            let images = report["summary"]["images"].as_u64().expect("images");
            let found = report["summary"]["exact"].as_u64().expect("exact")
                + report["summary"]["near"].as_u64().expect("near");
            assert!(images >= found, "{images} images but {found} matched");
        }
    }
}
