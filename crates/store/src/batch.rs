//! Investigation work written in bulk: a [`Batch`] holds the rows that the store's one-change-at-a-time
//! methods (`record_review`, `finish_action`, `add_person`, `add_exhibit`, `record_forensic_step`, …) would
//! write, each with the same columns, timeline step and access-log event, and [`Store::write_batch`] writes
//! them with one multi-row INSERT per table in one transaction. A history recorded after the event (the demo's,
//! at a million referrals) then costs a few statements per hundred referrals rather than dozens per referral.
//!
//! Every row in a batch is new: a clock is written once, in the state it ended in (its pauses, stop, late reason
//! or cancellation), so that each figure kept by trigger counts it exactly as it would have counted the
//! separate changes. The caller applies the domain's rules (`domain::clocks`) to each clock before handing it
//! over, as it does before calling the store's single-change methods.

use crate::bulk::{Rows, V, write_rows};
use crate::plans::{doer_str, event_str};
use crate::referrals::row::refresh_headline;
use crate::{
    Actor, AuditDraft, BeginWrite, NewExhibit, NewInterview, NewPlanAction, NewReview, NewScan,
    PersonChange, SafeguardingRecord, StepDetails, Store, StoreError, ms, on_pool,
};
use domain::audit::{AccessOutcome, Processing};
use domain::clocks::{Clock, ClockError, LateReasonCode};
use domain::{ForceId, ReferralId};
use jiff::Timestamp;
use std::collections::BTreeSet;

fn id() -> String {
    uuid::Uuid::now_v7().to_string()
}

fn user(actor: &Actor) -> Option<String> {
    actor.user.map(|u| u.to_string())
}

/// A clock in a batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClockRef(usize);
/// A plan action in a batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ActionRef(usize);
/// A person in a batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PersonRef(usize);
/// A safeguarding referral in a batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SafeguardingRef(usize);
/// A Child House referral in a batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChildHouseRef(usize);
/// An exhibit in a batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExhibitRef(usize);
/// A forensic step in a batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StepRef(usize);

#[derive(Debug)]
struct BClock {
    id: String,
    referral: ReferralId,
    clock: Clock,
    cancelled: bool,
    /// Who paused and who resumed each pause, in order.
    pause_users: Vec<(Option<String>, Option<String>)>,
}

#[derive(Debug)]
struct BAction {
    id: String,
    referral: ReferralId,
    seq: i64,
    new: NewPlanAction,
    clock: Option<ClockRef>,
    status: &'static str,
    done_at: Option<Timestamp>,
    done_by: Option<String>,
    note: Option<String>,
}

#[derive(Debug)]
struct BSafeguarding {
    id: String,
    referral: ReferralId,
    person: PersonRef,
    kind: &'static str,
    clock: ClockRef,
    authority: Option<String>,
    made_at: Option<Timestamp>,
    made_by: Option<String>,
    reference: Option<String>,
    strategy: Option<String>,
    not_needed: Option<String>,
    recorded_at: Option<Timestamp>,
}

#[derive(Debug)]
struct BChildHouse {
    id: String,
    referral: ReferralId,
    person: PersonRef,
    at: Timestamp,
    by: Option<String>,
    learning_disability: bool,
    medical_at: Option<Timestamp>,
    therapy_at: Option<Timestamp>,
}

#[derive(Debug)]
struct BExhibit {
    id: String,
    referral: ReferralId,
    row: [V; 12],
    submission: Option<crate::Submission>,
    grading: Option<crate::Grading>,
}

#[derive(Debug)]
struct BStep {
    id: String,
    exhibit: ExhibitRef,
    step: String,
    clock: ClockRef,
    done_at: Option<Timestamp>,
    done_by: Option<String>,
}

/// Rows to write together: see the module's documentation.
#[derive(Debug)]
pub struct Batch {
    force: ForceId,
    clocks: Vec<BClock>,
    actions: Vec<BAction>,
    reviews: Rows,
    people: Vec<(String, ReferralId)>,
    people_rows: Rows,
    changes: Rows,
    safeguarding: Vec<BSafeguarding>,
    child_house: Vec<BChildHouse>,
    interviews: Vec<(ChildHouseRef, [V; 8])>,
    exhibits: Vec<BExhibit>,
    steps: Vec<BStep>,
    scans: Vec<(ExhibitRef, Vec<V>)>,
    timeline: Rows,
    log: Vec<AuditDraft>,
    touched: BTreeSet<ReferralId>,
}

impl Batch {
    /// An empty batch for `force`'s referrals.
    pub fn new(force: ForceId) -> Self {
        Batch {
            force,
            clocks: vec![],
            actions: vec![],
            reviews: Rows::new(
                "INSERT INTO supervision_reviews (id, force_id, referral_id, clock_id, by_user, at, progress,
                    risk_still_right, next_steps, plan_change)",
                10,
            ),
            people: vec![],
            people_rows: Rows::new(
                "INSERT INTO people (id, referral_id, role, details, access, added_by, added_at)",
                7,
            ),
            changes: Rows::new(
                "INSERT INTO person_changes (id, referral_id, person_id, at, by_user, change, summary)",
                7,
            ),
            safeguarding: vec![],
            child_house: vec![],
            interviews: vec![],
            exhibits: vec![],
            steps: vec![],
            scans: vec![],
            timeline: crate::referrals::row::timeline_rows(),
            log: vec![],
            touched: BTreeSet::new(),
        }
    }

    /// Nothing to write.
    pub fn is_empty(&self) -> bool {
        self.log.is_empty() && self.clocks.is_empty() && self.actions.is_empty()
    }

    /// A timeline step dated `at` and its access-log event, as every single change writes them.
    #[allow(clippy::too_many_arguments)]
    fn step_of(
        &mut self,
        referral: ReferralId,
        record: (&str, String),
        at: Timestamp,
        actor: &Actor,
        kind: &str,
        summary: String,
        action: Processing,
        detail: String,
    ) {
        self.timeline.push([
            id().into(),
            referral.to_string().into(),
            ms(at).into(),
            user(actor).into(),
            (&actor.display_name).into(),
            kind.into(),
            summary.into(),
        ]);
        self.log.push(AuditDraft {
            force: Some(self.force),
            user: actor.user,
            username: actor.username.clone(),
            action,
            record_type: record.0.into(),
            record_id: record.1,
            justification: actor.justification.clone(),
            outcome: AccessOutcome::Allowed,
            detail,
        });
        self.touched.insert(referral);
    }

    /// A step on the referral's timeline (as `Store`'s changes to a referral record them).
    #[allow(clippy::too_many_arguments)]
    fn step(
        &mut self,
        referral: ReferralId,
        at: Timestamp,
        actor: &Actor,
        kind: &str,
        summary: String,
        action: Processing,
        detail: String,
    ) {
        self.step_of(
            referral,
            ("referral", referral.to_string()),
            at,
            actor,
            kind,
            summary,
            action,
            detail,
        );
    }

    /// A step about an exhibit: on the referral's timeline, logged against the exhibit.
    #[allow(clippy::too_many_arguments)]
    fn exhibit_step(
        &mut self,
        e: ExhibitRef,
        at: Timestamp,
        actor: &Actor,
        summary: String,
        action: Processing,
        detail: String,
    ) {
        let (referral, record) = (self.exhibits[e.0].referral, self.exhibits[e.0].id.clone());
        self.step_of(
            referral,
            ("exhibit", record),
            at,
            actor,
            "exhibit",
            summary,
            action,
            detail,
        );
    }

    // Clocks.

    /// Start a clock (as [`Store::start_clock`]: no timeline step of its own).
    pub fn start_clock(&mut self, referral: ReferralId, clock: Clock) -> ClockRef {
        self.clocks.push(BClock {
            id: id(),
            referral,
            clock,
            cancelled: false,
            pause_users: vec![],
        });
        self.touched.insert(referral);
        ClockRef(self.clocks.len() - 1)
    }

    /// A clock as it stands in the batch.
    pub fn clock(&self, c: ClockRef) -> &Clock {
        &self.clocks[c.0].clock
    }

    /// Stop a running clock at `at` by the domain's rule (after its due time only with a reason code).
    pub fn stop_clock(
        &mut self,
        c: ClockRef,
        at: Timestamp,
        late: Option<domain::clocks::LateReason>,
        codes: &[LateReasonCode],
    ) -> Result<(), ClockError> {
        self.clocks[c.0].clock.stop(at, late, codes).map(|_| ())
    }

    /// End a clock without a result at `at` (it counts in no figure), ending any pause with it.
    fn cancel_clock(&mut self, c: ClockRef, at: Timestamp) {
        let b = &mut self.clocks[c.0];
        if b.clock.stopped_at.is_none() {
            if let Some(p) = b.clock.pauses.last_mut()
                && p.to.is_none()
            {
                p.to = Some(at);
            }
            b.clock.stopped_at = Some(at);
            b.cancelled = true;
        }
    }

    /// Pause a running clock from `from` (resumed at `to`, if given, by the same person) for `reason`, by the
    /// domain's rules, with the timeline steps and events of [`Store::pause_or_resume`].
    pub fn pause(
        &mut self,
        c: ClockRef,
        from: Timestamp,
        to: Option<Timestamp>,
        reason: &str,
        actor: &Actor,
    ) -> Result<(), ClockError> {
        let referral = self.clocks[c.0].referral;
        self.clocks[c.0].clock.pause(from, reason)?;
        if let Some(to) = to {
            self.clocks[c.0].clock.resume(to)?;
        }
        let who = user(actor);
        let kind = self.clocks[c.0].clock.kind;
        // The reason as the domain kept it (trimmed).
        let reason = self.clocks[c.0]
            .clock
            .pauses
            .last()
            .map(|p| p.reason.clone())
            .unwrap_or_default();
        self.clocks[c.0]
            .pause_users
            .push((who.clone(), to.and(who.clone())));
        self.step(
            referral,
            from,
            actor,
            "clock_paused",
            format!("{} clock paused: {reason}", kind.label()),
            Processing::Alteration,
            format!("{} clock paused", kind.as_str()),
        );
        if let Some(to) = to {
            self.step(
                referral,
                to,
                actor,
                "clock_resumed",
                format!("{} clock resumed", kind.label()),
                Processing::Alteration,
                format!("{} clock resumed", kind.as_str()),
            );
        }
        Ok(())
    }

    // Reviews and plans.

    /// A sergeant's review made at `at` (as [`Store::record_review`]): `stopped` is the review clock the
    /// caller has stopped, `next` the next review's clock, which is returned.
    pub fn review(
        &mut self,
        referral: ReferralId,
        stopped: Option<ClockRef>,
        review: &NewReview,
        next: Option<Clock>,
        at: Timestamp,
        actor: &Actor,
    ) -> Option<ClockRef> {
        self.reviews.push([
            id().into(),
            self.force.to_string().into(),
            referral.to_string().into(),
            stopped.map(|c| self.clocks[c.0].id.clone()).into(),
            user(actor).into(),
            ms(at).into(),
            (&review.progress).into(),
            review.risk_still_right.into(),
            (&review.next_steps).into(),
            (&review.plan_change).into(),
        ]);
        let next = next.map(|c| self.start_clock(referral, c));
        let late = stopped.and_then(|c| self.clocks[c.0].clock.late_reason.as_ref());
        let summary = crate::clocks::review_summary(review, late);
        self.step(
            referral,
            at,
            actor,
            "supervision_review",
            summary,
            Processing::Alteration,
            "supervisory review recorded".into(),
        );
        next
    }

    /// A referral's plan made at `at` (as [`Store::add_plan_actions`] on a referral with no plan yet, in the
    /// database or in this batch: its actions are numbered from 0).
    pub fn plan(
        &mut self,
        referral: ReferralId,
        actions: Vec<NewPlanAction>,
        summary: String,
        at: Timestamp,
        actor: &Actor,
    ) -> Vec<ActionRef> {
        let n = actions.len();
        let mut out = vec![];
        for (seq, mut a) in actions.into_iter().enumerate() {
            let clock = a.clock.take().map(|c| self.start_clock(referral, c));
            self.actions.push(BAction {
                id: id(),
                referral,
                seq: seq as i64,
                new: a,
                clock,
                status: "open",
                done_at: None,
                done_by: None,
                note: None,
            });
            out.push(ActionRef(self.actions.len() - 1));
        }
        self.step(
            referral,
            at,
            actor,
            "plan",
            summary,
            Processing::Alteration,
            format!("{n} plan actions added"),
        );
        out
    }

    /// A plan action as it stands: its template's fields and its clock.
    pub fn action(&self, a: ActionRef) -> (&NewPlanAction, Option<ClockRef>, &str) {
        let b = &self.actions[a.0];
        (&b.new, b.clock, b.status)
    }

    /// Start the clock of an open action whose start event has happened (as [`Store::start_action_clocks`]).
    pub fn start_action_clock(&mut self, a: ActionRef, clock: Clock) -> Option<ClockRef> {
        if self.actions[a.0].clock.is_some() || self.actions[a.0].status != "open" {
            return None;
        }
        let c = self.start_clock(self.actions[a.0].referral, clock);
        self.actions[a.0].clock = Some(c);
        Some(c)
    }

    /// Finish an open action at `at` (as [`Store::finish_action`]): done (its clock stopped by the caller) or
    /// set aside with a note (its clock cancelled).
    pub fn finish_action(
        &mut self,
        a: ActionRef,
        done: bool,
        note: Option<&str>,
        at: Timestamp,
        actor: &Actor,
    ) {
        let referral = self.actions[a.0].referral;
        let clock = self.actions[a.0].clock;
        if let Some(c) = clock
            && (!done || self.clocks[c.0].clock.stopped_at.is_none())
        {
            self.cancel_clock(c, at);
        }
        let b = &mut self.actions[a.0];
        b.status = if done { "done" } else { "not_applicable" };
        b.done_at = Some(at);
        b.done_by = user(actor);
        b.note = note.map(str::to_string);
        let title = b.new.title.clone();
        let summary = if done {
            let late = clock
                .and_then(|c| self.clocks[c.0].clock.late_reason.as_ref())
                .map(|r| format!(" (late: {})", r.code))
                .unwrap_or_default();
            format!("Plan action done: {title}{late}")
        } else {
            format!(
                "Plan action does not apply: {title}: {}",
                note.unwrap_or("")
            )
        };
        self.step(
            referral,
            at,
            actor,
            "plan_action",
            summary,
            Processing::Alteration,
            format!(
                "plan action {}",
                if done { "done" } else { "not applicable" }
            ),
        );
    }

    // People, safeguarding and the Child House.

    /// A person recorded by hand (as [`Store::add_person`]), with the safeguarding referrals their clocks
    /// start, in the order given.
    pub fn add_person(
        &mut self,
        referral: ReferralId,
        person: &PersonChange<'_>,
        actor: &Actor,
    ) -> (PersonRef, Vec<SafeguardingRef>) {
        let pid = id();
        let who = user(actor);
        self.people_rows.push([
            pid.clone().into(),
            referral.to_string().into(),
            person.role.as_str().into(),
            person.details.into(),
            person.access.into(),
            who.clone().into(),
            ms(person.at).into(),
        ]);
        self.changes.push([
            id().into(),
            referral.to_string().into(),
            pid.clone().into(),
            ms(person.at).into(),
            who.into(),
            person.change.into(),
            (&person.summary).into(),
        ]);
        self.people.push((pid, referral));
        let p = PersonRef(self.people.len() - 1);
        let mut refs = vec![];
        for (kind, clock) in &person.safeguarding {
            let c = self.start_clock(referral, clock.clone());
            self.safeguarding.push(BSafeguarding {
                id: id(),
                referral,
                person: p,
                kind,
                clock: c,
                authority: None,
                made_at: None,
                made_by: None,
                reference: None,
                strategy: None,
                not_needed: None,
                recorded_at: None,
            });
            refs.push(SafeguardingRef(self.safeguarding.len() - 1));
        }
        self.step(
            referral,
            person.at,
            actor,
            "person",
            person.summary.clone(),
            Processing::Alteration,
            format!("person {} ({})", person.change, person.role.as_str()),
        );
        (p, refs)
    }

    /// A safeguarding referral's kind and clock.
    pub fn safeguarding(&self, s: SafeguardingRef) -> (&'static str, ClockRef) {
        (self.safeguarding[s.0].kind, self.safeguarding[s.0].clock)
    }

    /// A safeguarding referral made or not needed (as [`Store::record_safeguarding`]): made, its clock is the
    /// one in `record` (stopped by the caller); not needed, its clock is cancelled.
    pub fn record_safeguarding(
        &mut self,
        s: SafeguardingRef,
        record: &SafeguardingRecord<'_>,
        actor: &Actor,
    ) {
        let c = self.safeguarding[s.0].clock;
        match record.clock {
            Some(stopped) => self.clocks[c.0].clock = stopped.clone(),
            None => self.cancel_clock(c, record.at),
        }
        let b = &mut self.safeguarding[s.0];
        b.authority = record.authority.map(str::to_string);
        b.made_at = record.made_at;
        b.made_by = record.made_at.and(user(actor));
        b.reference = record.authority_reference.map(str::to_string);
        b.strategy = record.strategy_discussion_on.map(str::to_string);
        b.not_needed = record.not_needed_reason.map(str::to_string);
        b.recorded_at = Some(record.at);
        let (referral, kind) = (b.referral, b.kind);
        self.step(
            referral,
            record.at,
            actor,
            "safeguarding",
            record.summary.clone(),
            Processing::Alteration,
            format!("{kind} referral recorded"),
        );
    }

    /// A child referred to the Child House (as [`Store::refer_to_child_house`]).
    pub fn refer_to_child_house(
        &mut self,
        person: PersonRef,
        at: Timestamp,
        learning_disability: bool,
        summary: String,
        actor: &Actor,
    ) -> ChildHouseRef {
        let referral = self.people[person.0].1;
        self.child_house.push(BChildHouse {
            id: id(),
            referral,
            person,
            at,
            by: user(actor),
            learning_disability,
            medical_at: None,
            therapy_at: None,
        });
        self.step(
            referral,
            at,
            actor,
            "child_house",
            summary,
            Processing::Alteration,
            "child house referral".into(),
        );
        ChildHouseRef(self.child_house.len() - 1)
    }

    /// An Achieving Best Evidence interview (as [`Store::record_interview`]).
    pub fn record_interview(
        &mut self,
        ch: ChildHouseRef,
        interview: &NewInterview<'_>,
        summary: String,
        actor: &Actor,
    ) {
        let referral = self.child_house[ch.0].referral;
        self.interviews.push((
            ch,
            [
                id().into(),
                V::T(None),
                ms(interview.at).into(),
                interview.place.into(),
                interview.interviewer.into(),
                interview.intermediary.into(),
                interview.repeat.into(),
                user(actor).into(),
            ],
        ));
        self.step(
            referral,
            interview.at,
            actor,
            "child_house",
            summary,
            Processing::Alteration,
            "achieving best evidence interview recorded".into(),
        );
    }

    /// The medical examination (`medical`) or the start of therapy (as [`Store::record_child_house_date`]).
    pub fn record_child_house_date(
        &mut self,
        ch: ChildHouseRef,
        medical: bool,
        at: Timestamp,
        summary: String,
        actor: &Actor,
    ) {
        let b = &mut self.child_house[ch.0];
        let slot = if medical {
            &mut b.medical_at
        } else {
            &mut b.therapy_at
        };
        if slot.is_some() {
            return;
        }
        *slot = Some(at);
        let referral = b.referral;
        self.step(
            referral,
            at,
            actor,
            "child_house",
            summary,
            Processing::Alteration,
            format!(
                "child house {} recorded",
                if medical { "medical" } else { "therapy" }
            ),
        );
    }

    // Exhibits.

    /// A new exhibit recorded at `now` with its submission step's clock (as [`Store::add_exhibit`]).
    #[allow(clippy::too_many_arguments)]
    pub fn add_exhibit(
        &mut self,
        referral: ReferralId,
        e: &NewExhibit<'_>,
        submission_clock: Clock,
        now: Timestamp,
        summary: String,
        actor: &Actor,
    ) -> (ExhibitRef, StepRef) {
        let eid = id();
        self.exhibits.push(BExhibit {
            id: eid.clone(),
            referral,
            row: [
                eid.into(),
                self.force.to_string().into(),
                referral.to_string().into(),
                e.reference.into(),
                e.kind.into(),
                e.description.into(),
                ms(e.seized_at).into(),
                e.seized_where.into(),
                e.seized_from_person.into(),
                e.seized_from.into(),
                user(actor).into(),
                ms(now).into(),
            ],
            submission: None,
            grading: None,
        });
        let x = ExhibitRef(self.exhibits.len() - 1);
        let c = self.start_clock(referral, submission_clock);
        let s = self.new_step(x, "submitted", c);
        self.exhibit_step(
            x,
            e.seized_at,
            actor,
            summary,
            Processing::Collection,
            "exhibit recorded".into(),
        );
        (x, s)
    }

    fn new_step(&mut self, exhibit: ExhibitRef, step: &str, clock: ClockRef) -> StepRef {
        self.steps.push(BStep {
            id: id(),
            exhibit,
            step: step.into(),
            clock,
            done_at: None,
            done_by: None,
        });
        StepRef(self.steps.len() - 1)
    }

    /// A forensic step's name and clock.
    pub fn forensic_step(&self, s: StepRef) -> (&str, ClockRef) {
        (&self.steps[s.0].step, self.steps[s.0].clock)
    }

    /// A forensic step done at `at` (as [`Store::record_forensic_step`]): its clock stopped by the caller, the
    /// next steps' clocks started (returned in the order given), the submission or grading details kept.
    #[allow(clippy::too_many_arguments)]
    pub fn record_forensic_step(
        &mut self,
        s: StepRef,
        at: Timestamp,
        next: Vec<(&str, Clock)>,
        details: StepDetails,
        summary: String,
        actor: &Actor,
    ) -> Vec<StepRef> {
        let x = self.steps[s.0].exhibit;
        let referral = self.exhibits[x.0].referral;
        self.steps[s.0].done_at = Some(at);
        self.steps[s.0].done_by = user(actor);
        let name = self.steps[s.0].step.clone();
        let started = next
            .into_iter()
            .map(|(step, clock)| {
                let c = self.start_clock(referral, clock);
                self.new_step(x, step, c)
            })
            .collect();
        if details.submission.is_some() {
            self.exhibits[x.0].submission = details.submission;
        }
        if details.grading.is_some() {
            self.exhibits[x.0].grading = details.grading;
        }
        self.exhibit_step(
            x,
            at,
            actor,
            summary,
            Processing::Alteration,
            format!("forensic step {name}"),
        );
        started
    }

    /// A scan report received at `now` (as [`Store::attach_scan`]).
    pub fn attach_scan(
        &mut self,
        x: ExhibitRef,
        scan: &NewScan<'_>,
        now: Timestamp,
        summary: String,
        actor: &Actor,
    ) {
        let c = scan.counts;
        self.scans.push((
            x,
            vec![
                id().into(),
                V::T(None),
                ms(now).into(),
                user(actor).into(),
                scan.tool.into(),
                scan.tool_version.into(),
                scan.root.into(),
                ms(scan.started_at).into(),
                c.files.into(),
                c.images.into(),
                c.count_a.into(),
                c.count_b.into(),
                c.count_c.into(),
                c.not_indecent.into(),
                c.uncategorised.into(),
                c.other.into(),
                c.exact.into(),
                c.near.into(),
                c.unknown_images.into(),
                c.unreadable.into(),
                c.exact_a.into(),
                c.exact_b.into(),
                c.exact_c.into(),
                c.near_a.into(),
                c.near_b.into(),
                c.near_c.into(),
                (&scan.sets).into(),
                (&scan.sha256).into(),
                V::Bytes(Some(scan.bytes.to_vec())),
            ],
        ));
        self.exhibit_step(
            x,
            now,
            actor,
            summary,
            Processing::Collection,
            format!(
                "scan report attached ({} bytes, sha256 {})",
                scan.bytes.len(),
                scan.sha256
            ),
        );
    }

    /// The batch as rows, table by table in the order the foreign keys need.
    fn into_rows(self) -> (Vec<Rows>, Vec<AuditDraft>, BTreeSet<ReferralId>) {
        let force = self.force.to_string();
        let mut clocks = Rows::new(
            "INSERT INTO clocks (id, force_id, referral_id, kind, started_at, target, base_due, stopped_at, ended,
                late_code, late_text)",
            11,
        );
        let mut pauses = Rows::new(
            "INSERT INTO clock_pauses (id, clock_id, from_at, to_at, reason, paused_by, resumed_by)",
            7,
        );
        for b in &self.clocks {
            let c = &b.clock;
            clocks.push([
                (&b.id).into(),
                (&force).into(),
                b.referral.to_string().into(),
                c.kind.as_str().into(),
                ms(c.started_at).into(),
                c.target
                    .map(|t| serde_json::to_string(&t).expect("a target serialises"))
                    .into(),
                ms(c.base_due).into(),
                c.stopped_at.map(ms).into(),
                c.stopped_at
                    .map(|_| if b.cancelled { "cancelled" } else { "stopped" })
                    .into(),
                c.late_reason.as_ref().map(|r| r.code.clone()).into(),
                c.late_reason.as_ref().map(|r| r.text.clone()).into(),
            ]);
            for (i, p) in c.pauses.iter().enumerate() {
                let (by, resumed) = b.pause_users.get(i).cloned().unwrap_or_default();
                pauses.push([
                    id().into(),
                    (&b.id).into(),
                    ms(p.from).into(),
                    p.to.map(ms).into(),
                    (&p.reason).into(),
                    by.into(),
                    resumed.into(),
                ]);
            }
        }
        let mut actions = Rows::new(
            "INSERT INTO plan_actions (id, force_id, referral_id, seq, template, plan_version, title, start_event,
                due_target, due_fixed, who, guidance, status, clock_id, done_at, done_by, note)",
            17,
        );
        for a in &self.actions {
            let n = &a.new;
            actions.push([
                (&a.id).into(),
                (&force).into(),
                a.referral.to_string().into(),
                a.seq.into(),
                (&n.template).into(),
                (&n.plan_version).into(),
                (&n.title).into(),
                n.start_event.map(event_str).into(),
                n.due_target
                    .map(|t| serde_json::to_string(&t).expect("a target serialises"))
                    .into(),
                n.due_fixed.map(ms).into(),
                doer_str(n.who).into(),
                (&n.guidance).into(),
                a.status.into(),
                a.clock.map(|c| self.clocks[c.0].id.clone()).into(),
                a.done_at.map(ms).into(),
                (&a.done_by).into(),
                (&a.note).into(),
            ]);
        }
        let mut safeguarding = Rows::new(
            "INSERT INTO safeguarding_referrals (id, force_id, referral_id, person_id, kind, clock_id, authority,
                made_at, made_by, authority_reference, strategy_discussion_on, not_needed_reason, recorded_at)",
            13,
        );
        for s in &self.safeguarding {
            safeguarding.push([
                (&s.id).into(),
                (&force).into(),
                s.referral.to_string().into(),
                (&self.people[s.person.0].0).into(),
                s.kind.into(),
                (&self.clocks[s.clock.0].id).into(),
                (&s.authority).into(),
                s.made_at.map(ms).into(),
                (&s.made_by).into(),
                (&s.reference).into(),
                (&s.strategy).into(),
                (&s.not_needed).into(),
                s.recorded_at.map(ms).into(),
            ]);
        }
        let mut child_house = Rows::new(
            "INSERT INTO child_house_referrals (id, force_id, referral_id, person_id, referred_at, referred_by,
                learning_disability, medical_at, therapy_started_at)",
            9,
        );
        for c in &self.child_house {
            child_house.push([
                (&c.id).into(),
                (&force).into(),
                c.referral.to_string().into(),
                (&self.people[c.person.0].0).into(),
                ms(c.at).into(),
                (&c.by).into(),
                c.learning_disability.into(),
                c.medical_at.map(ms).into(),
                c.therapy_at.map(ms).into(),
            ]);
        }
        let now = ms(Timestamp::now());
        let mut interviews = Rows::new(
            "INSERT INTO abe_interviews (id, child_house_id, at, place, interviewer, intermediary,
                repeat_of_earlier, recorded_by, recorded_at)",
            9,
        );
        for (ch, row) in self.interviews {
            let [a, _, c, d, e, f, g, h] = row;
            interviews.push([
                a,
                (&self.child_house[ch.0].id).into(),
                c,
                d,
                e,
                f,
                g,
                h,
                now.into(),
            ]);
        }
        let mut exhibits = Rows::new(
            "INSERT INTO exhibits (id, force_id, referral_id, reference, kind, description, seized_at, seized_where,
                seized_from_person, seized_from, created_by, created_at, examination, submission_reason,
                request_identifiers, request_from, request_to, request_questions, graded_a, graded_b, graded_c,
                new_images, distribution, production, grading_note)",
            25,
        );
        let exhibit_ids: Vec<String> = self.exhibits.iter().map(|e| e.id.clone()).collect();
        for e in self.exhibits {
            let [a, b, c, d, f, g, h, i, j, k, l, m] = e.row;
            let s = e.submission;
            let gr = e.grading;
            exhibits.push([
                a,
                b,
                c,
                d,
                f,
                g,
                h,
                i,
                j,
                k,
                l,
                m,
                s.as_ref().map(|x| x.examination.clone()).into(),
                s.as_ref().map(|x| x.reason.clone()).into(),
                s.as_ref().map(|x| x.identifiers.clone()).into(),
                s.as_ref().and_then(|x| x.from.clone()).into(),
                s.as_ref().and_then(|x| x.to.clone()).into(),
                s.as_ref().map(|x| x.questions.clone()).into(),
                gr.as_ref().map(|g| g.a).into(),
                gr.as_ref().map(|g| g.b).into(),
                gr.as_ref().map(|g| g.c).into(),
                gr.as_ref().map(|g| g.new_images).into(),
                gr.as_ref().is_some_and(|g| g.distribution).into(),
                gr.as_ref().is_some_and(|g| g.production).into(),
                gr.as_ref().and_then(|g| g.note.clone()).into(),
            ]);
        }
        let mut steps = Rows::new(
            "INSERT INTO forensic_steps (id, exhibit_id, step, clock_id, done_at, done_by)",
            6,
        );
        for s in &self.steps {
            steps.push([
                (&s.id).into(),
                (&exhibit_ids[s.exhibit.0]).into(),
                (&s.step).into(),
                (&self.clocks[s.clock.0].id).into(),
                s.done_at.map(ms).into(),
                (&s.done_by).into(),
            ]);
        }
        let mut scans = Rows::new(
            "INSERT INTO scan_reports (id, exhibit_id, received_at, received_by, tool, tool_version, root,
                started_at, files, images, count_a, count_b, count_c, not_indecent, uncategorised, other, exact,
                near, unknown_images, unreadable, exact_a, exact_b, exact_c, near_a, near_b, near_c, sets,
                sha256, bytes)",
            29,
        );
        for (x, mut row) in self.scans {
            row[1] = (&exhibit_ids[x.0]).into();
            let row: [V; 29] = row.try_into().expect("a scan report's 29 values");
            scans.push(row);
        }
        (
            vec![
                clocks,
                pauses,
                actions,
                self.reviews,
                self.people_rows,
                self.changes,
                safeguarding,
                child_house,
                interviews,
                exhibits,
                steps,
                scans,
                self.timeline,
            ],
            self.log,
            self.touched,
        )
    }
}

/// Append many events inside an open transaction (the caller holds `write_lock`), chained in order after
/// the log's head, with one multi-row INSERT and one new signed checkpoint.
macro_rules! append_many {
    ($store:expr, $tx:expr, $drafts:expr) => {{
        let head: Option<(i64, String)> = sqlx::query_as($store.head_sql())
            .fetch_optional(&mut *$tx)
            .await?;
        let mut head = head.unwrap_or((0, $crate::audit::GENESIS.to_string()));
        let mut log = $crate::audit::log_rows();
        for d in $drafts {
            $crate::audit::push_chained(&mut log, &mut head, d);
        }
        if log.len() > 0 {
            $crate::bulk::write_rows!($tx, log);
            let (seq, prev) = head;
            let mac = $store.checkpoint_mac_pub(seq, &prev);
            sqlx::query(
                "INSERT INTO audit_checkpoint (id, seq, hash, mac) VALUES (1, $1, $2, $3)
                 ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, mac = excluded.mac",
            )
            .bind(seq)
            .bind(&prev)
            .bind(mac)
            .execute(&mut *$tx)
            .await?;
        }
    }};
}
pub(crate) use append_many;

impl Store {
    /// Write a batch in one transaction: every table with multi-row INSERTs, the access-log events chained
    /// in order after the log's head, and each changed referral's headline due time refreshed. Returns the
    /// referrals changed.
    pub async fn write_batch(&self, batch: Batch) -> Result<usize, StoreError> {
        if batch.is_empty() {
            return Ok(0);
        }
        let (tables, drafts, touched) = batch.into_rows();
        let _guard = self.write_lock.lock().await;
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            for rows in tables {
                write_rows!(tx, rows);
            }
            append_many!(self, tx, drafts);
            for referral in &touched {
                refresh_headline!(tx, referral);
            }
            tx.commit().await?;
            self.advance_anchor().await;
            Ok::<_, StoreError>(touched.len())
        })
    }
}
