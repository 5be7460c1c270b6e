//! The investigation work on the demo's open, allocated referrals before the creation day: the sergeants'
//! reviews (most on time, some late with a reason code, some still overdue), plans part done (actions done on
//! time or late with a reason, set aside, or left open), and clocks a sergeant paused (some resumed, some still
//! paused). Every clock change is checked with the same `domain::clocks` rules the product applies and written
//! through the store at the time it happened, with its timeline step, by the person who took it.

use crate::calendar::{Window, plus_minutes};
use domain::clocks::{Clock, ClockKind, LateReason, LateReasonCode};
use domain::permissions::QueueScope;
use domain::plans::Doer;
use domain::{ForceId, Referral, Role, User};
use jiff::{SignedDuration, Timestamp};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use store::{ActionRef, Actor, Batch, ClockRef, NewReview, ReferralFilter, Store, StoreError};

/// What the work put on the demo's referrals.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkSummary {
    /// Open, allocated referrals worked on.
    pub referrals: usize,
    /// Reviews recorded.
    pub reviews: usize,
    /// Of them, after their due time (each with a reason code).
    pub late_reviews: usize,
    /// Referrals whose review is overdue at creation.
    pub reviews_overdue: usize,
    /// Plan actions done.
    pub actions_done: usize,
    /// Of them, after their due time (each with a reason code).
    pub late_actions: usize,
    /// Plan actions set aside as not applicable.
    pub actions_set_aside: usize,
    /// Clocks paused and resumed again.
    pub pauses_resumed: usize,
    /// Clocks still paused at creation.
    pub paused_now: usize,
    /// Victims recorded by the officer.
    pub victims: usize,
    /// Children with access to the suspect recorded.
    pub children_with_access: usize,
    /// Their social care and LADO referrals made.
    pub safeguarding_made: usize,
    /// Of them, after their due time (each with a reason code).
    pub safeguarding_late: usize,
    /// Victims referred to the Child House.
    pub child_house: usize,
    /// Their Achieving Best Evidence interviews.
    pub interviews: usize,
    /// Of them, repeats.
    pub repeat_interviews: usize,
    /// Exhibits seized.
    pub exhibits: usize,
    /// Of them, waiting for a forensic step at creation.
    pub exhibits_waiting: usize,
    /// Forensic steps recorded.
    pub forensic_steps: usize,
    /// Of them, after their due time (each with a reason code).
    pub forensic_late: usize,
    /// Scan reports attached.
    pub scans: usize,
    /// Referrals graded by the quality review.
    pub quality_graded: usize,
    /// Of them, referred back.
    pub quality_referred_back: usize,
    /// Remedial actions set.
    pub remedial_actions: usize,
    /// Of them, done.
    pub remedial_done: usize,
}

impl std::ops::AddAssign for WorkSummary {
    fn add_assign(&mut self, o: WorkSummary) {
        self.referrals += o.referrals;
        self.reviews += o.reviews;
        self.late_reviews += o.late_reviews;
        self.reviews_overdue += o.reviews_overdue;
        self.actions_done += o.actions_done;
        self.late_actions += o.late_actions;
        self.actions_set_aside += o.actions_set_aside;
        self.pauses_resumed += o.pauses_resumed;
        self.paused_now += o.paused_now;
        self.victims += o.victims;
        self.children_with_access += o.children_with_access;
        self.safeguarding_made += o.safeguarding_made;
        self.safeguarding_late += o.safeguarding_late;
        self.child_house += o.child_house;
        self.interviews += o.interviews;
        self.repeat_interviews += o.repeat_interviews;
        self.exhibits += o.exhibits;
        self.exhibits_waiting += o.exhibits_waiting;
        self.forensic_steps += o.forensic_steps;
        self.forensic_late += o.forensic_late;
        self.scans += o.scans;
        self.quality_graded += o.quality_graded;
        self.quality_referred_back += o.quality_referred_back;
        self.remedial_actions += o.remedial_actions;
        self.remedial_done += o.remedial_done;
    }
}

/// A referral's own random numbers, from the demo's seed and its report (so the data do not depend on the
/// order the referrals are worked in).
pub(crate) fn rng_for(seed: u64, r: &Referral) -> ChaCha8Rng {
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    for b in r.source.bytes().chain([b'/']).chain(r.report_id.bytes()) {
        h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    ChaCha8Rng::seed_from_u64(seed ^ h)
}

/// Why the work could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WorkError {
    /// The store refused.
    #[error("failed to store the demo's investigation work: {0}")]
    Store(#[from] StoreError),
    /// A generated clock change broke a clock rule: a bug in the demo.
    #[error("the demo's investigation work broke a clock rule: {0}")]
    Clock(#[from] domain::clocks::ClockError),
    /// A generated scan report was refused: a bug in the demo.
    #[error("the demo's scan report was refused: {0}")]
    Scan(String),
    /// Writing a batch of the work stopped part way.
    #[error("the demo's investigation work was not written: {0}")]
    Write(String),
}

const PROGRESS: [&str; 6] = [
    "Devices seized and submitted for examination.",
    "Suspect interviewed under caution; account recorded.",
    "Communications data returned and reviewed; subscriber confirmed.",
    "Waiting for the forensic return; safeguarding visit completed.",
    "Victim identification enquiries made with the platform.",
    "File prepared for a charging decision.",
];

const NEXT_STEPS: [&str; 6] = [
    "Chase the forensic return.",
    "Arrange the second interview once the device is examined.",
    "Send the file to the CPS for advice.",
    "Complete the victim identification enquiries.",
    "Review bail conditions before the return date.",
    "Confirm the children's social care outcome.",
];

const PAUSES: [&str; 4] = [
    "Waiting for the provider's disclosure under the production order.",
    "Forensic backlog: device queued at the regional hub.",
    "Suspect in hospital; interview deferred on medical advice.",
    "Awaiting the local authority's strategy discussion.",
];

const SET_ASIDE: [&str; 3] = [
    "Covered by the action recorded by the previous officer.",
    "Not needed: agreed with the sergeant at the last review.",
    "Overtaken by the suspect's arrest on another matter; recorded there.",
];

pub(crate) fn actor(u: &User) -> Actor {
    Actor {
        user: Some(u.id),
        username: u.username.clone(),
        display_name: u.display_name.clone(),
        justification: None,
    }
}

/// `t` moved into an officer's working day (08:00 to 19:59 London) by whole hours, where that keeps it
/// between `lo` and `hi`; otherwise `t`.
pub(crate) fn working(t: Timestamp, lo: Timestamp, hi: Timestamp) -> Timestamp {
    let hour = i64::from(domain::time::in_london(t).hour());
    let moved = match hour {
        0..8 => t + SignedDuration::from_hours(9 - hour),
        20.. => t - SignedDuration::from_hours(hour - 17),
        _ => return t,
    };
    if moved >= lo && moved <= hi { moved } else { t }
}

/// A time in working hours between `from` and `to` (`from` when the span is empty).
pub(crate) fn between(rng: &mut impl Rng, from: Timestamp, to: Timestamp) -> Timestamp {
    let span = to.as_second() - from.as_second();
    if span <= 60 {
        return from;
    }
    working(
        from + SignedDuration::from_secs(rng.random_range(60..span)),
        from,
        to,
    )
}

/// A reason code from the force's list: forensic backlogs and demand most often, as in the inspectorate's
/// findings; a code the demo does not know (a force's own list) is drawn as often as "other".
pub(crate) fn late_reason(rng: &mut impl Rng, codes: &[LateReasonCode]) -> LateReason {
    let weight = |code: &str| match code {
        "awaiting_forensics" => 30,
        "workload" => 25,
        "awaiting_provider" => 15,
        "officer_unavailable" => 12,
        "awaiting_partner" => 8,
        "subject_unavailable" => 6,
        _ => 4,
    };
    let items: Vec<(usize, u32)> = codes
        .iter()
        .enumerate()
        .map(|(i, c)| (i, weight(&c.code)))
        .collect();
    let c = &codes[crate::names::weighted(rng, &items)];
    LateReason {
        code: c.code.clone(),
        text: match c.code.as_str() {
            "other" => "Held up by an urgent related enquiry.".into(),
            _ => String::new(),
        },
    }
}

/// The open, allocated referrals of `force`, in the queue's order.
pub(crate) async fn open_allocated(
    store: &Store,
    force: ForceId,
) -> Result<Vec<Referral>, StoreError> {
    let mut filter = ReferralFilter {
        scope: QueueScope::Force(force),
        unrouted_only: false,
        open_only: true,
        status: None,
        limit: 500,
        cursor: None,
        risk_level: None,
        officer: None,
        overdue_at: None,
        escalated: false,
        except_status: None,
        search: None,
    };
    let mut out = vec![];
    loop {
        let page = store.list_referrals(&filter).await?;
        out.extend(page.items.into_iter().filter(|r| r.allocated_to.is_some()));
        match page.next_cursor {
            Some(c) => filter.cursor = Some(c),
            None => break,
        }
    }
    out.sort_by_key(|r| r.id.to_string());
    Ok(out)
}

/// Everything the work needs besides the referral.
pub(crate) struct Ctx<'a> {
    pub(crate) users: &'a [User],
    pub(crate) codes: &'a [LateReasonCode],
    pub(crate) review_interval: domain::TargetSpan,
    pub(crate) cutoff: Timestamp,
    pub(crate) table: &'a domain::TimelinessTable,
    pub(crate) forensics: Option<&'a User>,
}

impl Ctx<'_> {
    fn sergeant(&self, r: &Referral) -> Option<&User> {
        self.users
            .iter()
            .find(|u| u.role == Role::Supervisor && u.bcu == r.bcu)
    }

    fn officer(&self, r: &Referral) -> Option<&User> {
        self.users.iter().find(|u| Some(u.id) == r.allocated_to)
    }
}

/// Reviews from allocation up to the creation day: most on time, a quarter late with a reason, and about one
/// referral in eight left with its review overdue. `clock` is the running review clock.
fn reviews(
    rng: &mut impl Rng,
    ctx: &Ctx<'_>,
    b: &mut Batch,
    r: &Referral,
    mut clock: ClockRef,
    sergeant: &User,
    sum: &mut WorkSummary,
) -> Result<(), WorkError> {
    let leave_overdue = rng.random_bool(0.15);
    loop {
        let c = b.clock(clock);
        let due = c.due_at(ctx.cutoff);
        if due >= ctx.cutoff {
            break;
        }
        let late = rng.random_bool(0.25);
        let at = if late {
            let t = plus_minutes(due, rng.random_range(24 * 60..14 * 24 * 60));
            working(t, due + SignedDuration::from_hours(1), ctx.cutoff)
        } else {
            let earliest = due - SignedDuration::from_hours(6 * 24);
            between(rng, earliest.max(c.started_at), due)
        };
        // A review that would come after the creation day, or the last one due for a referral left behind, is
        // overdue now.
        let last_due = ctx.review_interval.due_from(due) >= ctx.cutoff;
        if at >= ctx.cutoff || (leave_overdue && last_due) {
            sum.reviews_overdue += 1;
            break;
        }
        let reason = (at > due).then(|| late_reason(rng, ctx.codes));
        if reason.is_some() {
            sum.late_reviews += 1;
        }
        b.stop_clock(clock, at, reason, ctx.codes)?;
        let next = Clock::start(ClockKind::SupervisionReview, at, ctx.review_interval);
        let review = NewReview {
            progress: PROGRESS[rng.random_range(0..PROGRESS.len())].into(),
            risk_still_right: rng.random_bool(0.9),
            next_steps: NEXT_STEPS[rng.random_range(0..NEXT_STEPS.len())].into(),
            plan_change: None,
        };
        clock = b
            .review(r.id, Some(clock), &review, Some(next), at, &actor(sergeant))
            .expect("the next review's clock");
        sum.reviews += 1;
    }
    Ok(())
}

/// Pause a clock from `from` (resumed at `to`, if any) as the sergeant, checked by the clock rules.
fn pause(
    rng: &mut impl Rng,
    b: &mut Batch,
    c: ClockRef,
    from: Timestamp,
    to: Option<Timestamp>,
    sergeant: &User,
) -> Result<(), WorkError> {
    let reason = PAUSES[rng.random_range(0..PAUSES.len())];
    b.pause(c, from, to, reason, &actor(sergeant))?;
    Ok(())
}

/// Mark a plan action done at `at` as `who`: its clock stops by the domain's rule (after its due time only with
/// `late`).
#[allow(clippy::too_many_arguments)]
pub(crate) fn done(
    ctx: &Ctx<'_>,
    b: &mut Batch,
    a: ActionRef,
    c: ClockRef,
    at: Timestamp,
    late: Option<LateReason>,
    who: &User,
    sum: &mut WorkSummary,
) -> Result<(), WorkError> {
    let was_late = late.is_some();
    b.stop_clock(c, at, late, ctx.codes)?;
    b.finish_action(a, true, None, at, &actor(who));
    sum.actions_done += 1;
    sum.late_actions += usize::from(was_late);
    Ok(())
}

/// The plan part done: of the actions already due, most done (some late, with a reason), a few set aside and
/// some left overdue (few of those due over 30 days ago); of those not yet due, some done early and a few
/// paused.
#[allow(clippy::too_many_arguments)]
fn plan(
    rng: &mut impl Rng,
    ctx: &Ctx<'_>,
    b: &mut Batch,
    actions: &[ActionRef],
    officer: &User,
    sergeant: &User,
    sum: &mut WorkSummary,
) -> Result<(), WorkError> {
    for &a in actions {
        let (action, clock, status) = b.action(a);
        let Some(c) = clock.filter(|c| status == "open" && b.clock(*c).stopped_at.is_none()) else {
            continue;
        };
        let who = match action.who {
            Doer::Supervisor => sergeant,
            Doer::Investigator | Doer::Forensics => officer,
        };
        let (start, due) = (b.clock(c).started_at, b.clock(c).due_at(ctx.cutoff));
        let roll: f64 = rng.random();
        // Of the actions already due, those due long ago are rarely still open; recent ones more often.
        let long_ago = due + SignedDuration::from_hours(30 * 24) < ctx.cutoff;
        let (on_time, late, aside) = if long_ago {
            (0.70, 0.92, 0.97)
        } else {
            (0.55, 0.70, 0.78)
        };
        if due < ctx.cutoff {
            if roll < on_time {
                // Done on time; one in twelve was paused for a while on the way.
                let mut at = between(rng, start, due);
                if rng.random_bool(0.08) && at > start {
                    let from = between(rng, start, at);
                    let to = between(rng, from, at);
                    if to > from {
                        pause(rng, b, c, from, Some(to), sergeant)?;
                        sum.pauses_resumed += 1;
                        at = at.max(to);
                    }
                }
                done(ctx, b, a, c, at, None, who, sum)?;
            } else if roll < late {
                let t = plus_minutes(due, rng.random_range(6 * 60..12 * 24 * 60));
                let at = working(t, due + SignedDuration::from_hours(1), ctx.cutoff);
                if at >= ctx.cutoff {
                    continue;
                }
                let reason = late_reason(rng, ctx.codes);
                done(ctx, b, a, c, at, Some(reason), who, sum)?;
            } else if roll < aside {
                let at = between(rng, start, due);
                let note = SET_ASIDE[rng.random_range(0..SET_ASIDE.len())];
                b.finish_action(a, false, Some(note), at, &actor(who));
                sum.actions_set_aside += 1;
            }
        } else if roll < 0.30 {
            let at = between(rng, start, ctx.cutoff);
            done(ctx, b, a, c, at, None, who, sum)?;
        } else if roll < 0.36 {
            let from = between(rng, start, ctx.cutoff);
            pause(rng, b, c, from, None, sergeant)?;
            sum.paused_now += 1;
        }
    }
    Ok(())
}

/// A person's details as the store keeps them (a party, as a report would give it).
fn party(given: &str, family: &str, age: u16) -> String {
    serde_json::json!({
        "person": {"first_name": given, "last_name": family, "emails": [], "phones": [], "addresses": [], "age": age},
        "esp_identifiers": [], "screen_names": [], "display_names": [], "profile_urls": [], "ip_events": [],
        "device_ids": [], "prior_reports": [], "group_identifiers": [], "estimated_locations": [],
        "additional_info": []
    })
    .to_string()
}

/// Victims and children with access recorded by the officer after allocation (at `allocated`): each child
/// with access has their social care referral (and the LADO's where the suspect reaches them through work)
/// made on time, late with a reason, not needed, or still waiting; victims in a borough the Child House
/// serves are referred there, interviewed (a few twice), examined and supported.
#[allow(clippy::too_many_arguments)]
fn children(
    rng: &mut impl Rng,
    ctx: &Ctx<'_>,
    b: &mut Batch,
    r: &Referral,
    allocated: Timestamp,
    officer: &User,
    sum: &mut WorkSummary,
) -> Result<(), WorkError> {
    use domain::child_house::{InterviewPlace, serves};
    use domain::identifiers::PartyRole;
    use domain::report_details::ChildAccess;
    use domain::safeguarding::{SafeguardingKind, authority_for_borough, referrals_needed};
    let table = ctx.table;
    let who = actor(officer);
    let before = |t: Timestamp| t < ctx.cutoff;
    if rng.random_bool(0.55) {
        let at = working(
            plus_minutes(allocated, rng.random_range(60..48 * 60)),
            allocated,
            ctx.cutoff,
        );
        if before(at) {
            let (given, family) = crate::names::person(rng);
            let age = rng.random_range(8..=16);
            let details = party(given, family, age);
            let (victim, _) = b.add_person(
                r.id,
                &store::PersonChange {
                    role: PartyRole::Victim,
                    details: &details,
                    access: None,
                    change: "added",
                    summary: format!("Victim recorded: {given} {family}"),
                    safeguarding: vec![],
                    at,
                },
                &who,
            );
            sum.victims += 1;
            let served = r
                .borough
                .as_deref()
                .is_some_and(|b| serves(b, domain::time::in_london(at).date()));
            let referred = plus_minutes(at, rng.random_range(60..5 * 24 * 60));
            if served && rng.random_bool(0.6) && before(referred) {
                let ch = b.refer_to_child_house(
                    victim,
                    referred,
                    false,
                    format!("Referred to the Child House: {given} {family}"),
                    &who,
                );
                sum.child_house += 1;
                let mut last = referred;
                for n in 0..2 {
                    if n == 1 && !rng.random_bool(0.12) {
                        break;
                    }
                    let t = working(
                        plus_minutes(last, rng.random_range(24 * 60..14 * 24 * 60)),
                        last,
                        ctx.cutoff,
                    );
                    if !before(t) {
                        break;
                    }
                    let place = if rng.random_bool(0.85) {
                        InterviewPlace::ChildHouse
                    } else {
                        InterviewPlace::VideoSuite
                    };
                    b.record_interview(
                        ch,
                        &store::NewInterview {
                            at: t,
                            place: place.as_str(),
                            interviewer: &officer.display_name,
                            intermediary: rng.random_bool(0.2),
                            repeat: n == 1,
                        },
                        format!(
                            "Achieving Best Evidence interview at {}{}",
                            place.label().to_lowercase(),
                            if n == 1 { " (a repeat interview)" } else { "" }
                        ),
                        &who,
                    );
                    sum.interviews += 1;
                    sum.repeat_interviews += usize::from(n == 1);
                    last = t;
                }
                for (medical, odds, lo, hi) in [
                    (true, 0.6, 0, 7 * 24 * 60),
                    (false, 0.5, 14 * 24 * 60, 60 * 24 * 60),
                ] {
                    let t = working(
                        plus_minutes(referred, rng.random_range(lo..hi + 60)),
                        referred,
                        ctx.cutoff,
                    );
                    if rng.random_bool(odds) && before(t) {
                        let what = if medical {
                            "Medical examination"
                        } else {
                            "Therapy started"
                        };
                        b.record_child_house_date(
                            ch,
                            medical,
                            t,
                            format!("{what} (Child House)"),
                            &who,
                        );
                    }
                }
            }
        }
    }
    if rng.random_bool(0.3) {
        let at = working(
            plus_minutes(allocated, rng.random_range(120..72 * 60)),
            allocated,
            ctx.cutoff,
        );
        if !before(at) {
            return Ok(());
        }
        let access = crate::names::weighted(
            rng,
            &[
                (ChildAccess::LivesWith, 50),
                (ChildAccess::Visits, 25),
                (ChildAccess::WorkOrSchool, 10),
                (ChildAccess::OnlineContact, 10),
                (ChildAccess::Other, 5),
            ],
        );
        let (given, family) = crate::names::person(rng);
        let details = party(given, family, rng.random_range(2..=15));
        let starts: Vec<(&'static str, Clock)> = referrals_needed(access)
            .into_iter()
            .map(|k| {
                let target = match k {
                    SafeguardingKind::SocialCare => table.social_care_referral,
                    SafeguardingKind::Lado => table.lado_referral,
                };
                (k.as_str(), Clock::start(k.clock(), at, target))
            })
            .collect();
        let (_, needed) = b.add_person(
            r.id,
            &store::PersonChange {
                role: PartyRole::ChildWithAccess,
                details: &details,
                access: Some(access.as_str()),
                change: "added",
                summary: format!("Child with access to the suspect recorded: {given} {family}"),
                safeguarding: starts,
                at,
            },
            &who,
        );
        sum.children_with_access += 1;
        let la = r
            .borough
            .as_deref()
            .and_then(|b| authority_for_borough(b, domain::time::in_london(at).date()));
        for s in needed {
            let (kind, clock) = b.safeguarding(s);
            let mut c = b.clock(clock).clone();
            let due = c.due_at(ctx.cutoff);
            let roll: f64 = rng.random();
            let kind: SafeguardingKind = kind.parse().unwrap_or(SafeguardingKind::SocialCare);
            let decided = working(plus_minutes(at, 120), at, ctx.cutoff);
            let (made, late) = if roll < 0.05 && before(decided) {
                let reason = "The child has moved abroad with the other parent; the local authority there has been told.";
                b.record_safeguarding(
                    s,
                    &store::SafeguardingRecord::not_needed(kind.label(), reason, decided),
                    &who,
                );
                continue;
            } else if roll < 0.80 {
                (between(rng, c.started_at, due), None)
            } else {
                let t = working(
                    plus_minutes(due, rng.random_range(120..72 * 60)),
                    due + SignedDuration::from_hours(1),
                    ctx.cutoff,
                );
                (t, Some(late_reason(rng, ctx.codes)))
            };
            if !before(made) {
                continue;
            }
            let Some(la) = la else { continue };
            let was_late = late.is_some();
            c.stop(made, late, ctx.codes)?;
            let reference = format!(
                "{}-{}",
                la.code.to_uppercase().chars().take(3).collect::<String>(),
                rng.random_range(10_000..99_999)
            );
            let strategy = rng
                .random_bool(0.4)
                .then(|| {
                    domain::time::in_london(made)
                        .date()
                        .checked_add(jiff::Span::new().days(rng.random_range(1..5)))
                        .ok()
                })
                .flatten()
                .map(|d| d.to_string());
            b.record_safeguarding(
                s,
                &store::SafeguardingRecord {
                    authority: Some(la.code),
                    made_at: Some(made),
                    authority_reference: Some(&reference),
                    strategy_discussion_on: strategy.as_deref(),
                    not_needed_reason: None,
                    clock: Some(&c),
                    summary: format!(
                        "{} made to {} (reference {reference}){}",
                        kind.label(),
                        la.name,
                        if was_late { " (late)" } else { "" }
                    ),
                    at: made,
                },
                &who,
            );
            sum.safeguarding_made += 1;
            sum.safeguarding_late += usize::from(was_late);
        }
    }
    Ok(())
}

/// Referrals whose work is written together, in one transaction.
const PER_BATCH: usize = 250;

/// The whole of one referral's work, in `b`: its review clock and plan (dated at its allocation), the
/// sergeant's reviews, the plan part done, the people recorded, then the exhibits seized.
#[allow(clippy::too_many_arguments)]
fn one(
    ctx: &Ctx<'_>,
    config: &app::Config,
    b: &mut Batch,
    r: &Referral,
    allocated: Timestamp,
    seed: u64,
    author: &Actor,
) -> Result<WorkSummary, WorkError> {
    let mut sum = WorkSummary::default();
    let review = b.start_clock(
        r.id,
        Clock::start(ClockKind::SupervisionReview, allocated, ctx.review_interval),
    );
    let (actions, summary) = app::plans::new_plan(config, r, allocated, None);
    let actions = b.plan(r.id, actions, summary, allocated, author);
    let (Some(sergeant), Some(officer)) = (ctx.sergeant(r), ctx.officer(r)) else {
        return Ok(sum);
    };
    let mut rng = rng_for(seed ^ 0x5eed_0f0a_0011, r);
    sum.referrals += 1;
    reviews(&mut rng, ctx, b, r, review, sergeant, &mut sum)?;
    plan(&mut rng, ctx, b, &actions, officer, sergeant, &mut sum)?;
    children(&mut rng, ctx, b, r, allocated, officer, &mut sum)?;
    if let Some(forensics) = ctx.forensics {
        crate::evidence::exhibits_of(
            seed ^ 0x0e1d_e5ce,
            ctx,
            b,
            r,
            &actions,
            officer,
            forensics,
            &mut sum,
        )?;
    }
    Ok(sum)
}

/// Do the investigation work on every open, allocated referral of `force`, as it would have happened before
/// `created_at`'s London day: each referral's review clock and plan, then its work, written a few hundred
/// referrals at a time ([`store::Batch`]).
pub async fn work(
    store: &Store,
    config: &app::Config,
    force: ForceId,
    seed: u64,
    created_at: Timestamp,
) -> Result<WorkSummary, WorkError> {
    let table = &config.timeliness;
    let users = store.list_users(force, None).await?;
    let ctx = Ctx {
        users: &users,
        codes: &table.late_reasons,
        review_interval: table.supervision_review,
        cutoff: Window::before(created_at).cutoff,
        table,
        forensics: users.iter().find(|u| u.role == Role::Forensics),
    };
    let author = Actor {
        user: None,
        username: "system".into(),
        display_name: "Demo data".into(),
        justification: None,
    };
    let mut sum = WorkSummary::default();
    let all = open_allocated(store, force).await?;
    // When each was allocated: the referrals with no plan yet (all of them, before the work) as the store
    // lists them for the server's start-up.
    let allocated: std::collections::HashMap<domain::ReferralId, Timestamp> =
        store.referrals_missing_plan().await?.into_iter().collect();
    // Each batch is made while the one before is written.
    let mut writing: Option<tokio::task::JoinHandle<Result<usize, StoreError>>> = None;
    for (n, chunk) in all.chunks(PER_BATCH).enumerate() {
        // The tables the work writes grow many times over: PostgreSQL's planner is given fresh statistics
        // each time the batches written double (at a million referrals, statistics from the start made each
        // referral's headline refresh read every running clock: 430 clocks a second, against 1,600 after).
        if n.is_power_of_two() && n >= 4 {
            if let Some(w) = writing.take() {
                w.await.map_err(|e| WorkError::Write(e.to_string()))??;
            }
            store.refresh_statistics().await?;
        }
        let mut b = Batch::new(force);
        for r in chunk {
            if let Some(at) = allocated.get(&r.id) {
                sum += one(&ctx, config, &mut b, r, *at, seed, &author)?;
            }
        }
        if let Some(w) = writing.take() {
            w.await.map_err(|e| WorkError::Write(e.to_string()))??;
        }
        let store = store.clone();
        writing = Some(tokio::spawn(async move { store.write_batch(b).await }));
    }
    if let Some(w) = writing.take() {
        w.await.map_err(|e| WorkError::Write(e.to_string()))??;
    }
    Ok(sum)
}
