//! The investigation work on the demo's open referrals: reviews on time, late with reasons and overdue; plans
//! part done; clocks paused and resumed; the queue's headline following it all.

use crate::harness::{CREATED_AT, creation_midnight, options, seeded};
use domain::clocks::{Clock, ClockKind, ClockState, headline_due};
use std::collections::HashSet;

#[tokio::test]
async fn open_referrals_have_reviews_plans_part_done_paused_clocks_and_late_stops_with_reasons() {
    let demo = seeded(options(7, 600, CREATED_AT)).await;
    let config = app::Config::default();
    let work = demo::investigate(&demo.store, &config, 7, demo.created_at())
        .await
        .unwrap();
    let cutoff = creation_midnight();
    let codes: HashSet<String> = config
        .timeliness
        .late_reasons
        .iter()
        .map(|c| c.code.clone())
        .collect();
    let open: Vec<_> = demo
        .referrals()
        .await
        .into_iter()
        .filter(|r| r.status.is_open() && r.allocated_to.is_some())
        .collect();
    assert_eq!(
        work.referrals,
        open.len(),
        "every open, allocated referral is worked"
    );

    let (mut reviews, mut late_reviews, mut overdue_reviews) = (0, 0, 0);
    let (mut done, mut late_done, mut set_aside, mut open_actions, mut part_done) = (0, 0, 0, 0, 0);
    let (mut paused_now, mut resumed) = (0, 0);
    for r in &open {
        let clocks = demo.store.clocks(r.id).await.unwrap();
        for c in clocks.iter().filter(|c| !c.cancelled) {
            let state = c.clock.state(cutoff, 80);
            if let Some(stopped) = c.clock.stopped_at {
                assert!(stopped < cutoff, "every step is before the creation day");
            }
            if state == ClockState::Missed {
                let code = &c
                    .clock
                    .late_reason
                    .as_ref()
                    .expect("a late stop has a reason")
                    .code;
                assert!(codes.contains(code), "'{code}' is one of the force's codes");
            }
            if c.clock.kind == ClockKind::SupervisionReview {
                late_reviews += usize::from(state == ClockState::Missed);
                overdue_reviews += usize::from(state == ClockState::Overdue);
            }
            paused_now += usize::from(state == ClockState::Paused);
            resumed += usize::from(c.clock.pauses.iter().any(|p| p.to.is_some()));
            for p in &c.clock.pauses {
                assert!(
                    !p.reason.is_empty() && p.from < cutoff,
                    "a pause has a reason"
                );
            }
        }
        reviews += demo.store.reviews(r.id).await.unwrap().len();
        let timeline = demo.store.timeline(r.id).await.unwrap();
        assert!(
            timeline.iter().all(|t| t.at < cutoff),
            "the work's timeline steps are dated when they happened, before the creation day"
        );
        let plan = demo.store.plan(r.id).await.unwrap();
        assert!(!plan.is_empty(), "an allocated referral has its plan");
        let count = |s: &str| plan.iter().filter(|a| a.status == s).count();
        done += count("done");
        set_aside += count("not_applicable");
        open_actions += count("open");
        part_done += usize::from(count("done") > 0 && count("open") > 0);
        late_done += plan
            .iter()
            .filter(|a| a.status == "done")
            .filter_map(|a| clocks.iter().find(|c| a.clock_id.as_ref() == Some(&c.id)))
            .filter(|c| c.clock.late_reason.is_some())
            .count();
        // The referral's headline is its soonest running, unpaused clock, its own triage or enforcement
        // clock included.
        let mut all: Vec<Clock> = clocks
            .iter()
            .filter(|c| !c.cancelled)
            .map(|c| c.clock.clone())
            .collect();
        if r.clock_running() {
            all.push(Clock::until(
                ClockKind::Enforcement,
                r.received_at,
                r.due_at,
            ));
        }
        assert_eq!(
            r.headline_due,
            headline_due(&all, cutoff),
            "{}",
            r.report_id
        );
    }
    assert_eq!(
        (
            reviews,
            late_reviews,
            done,
            late_done,
            set_aside,
            paused_now
        ),
        (
            work.reviews,
            work.late_reviews,
            work.actions_done,
            work.late_actions,
            work.actions_set_aside,
            work.paused_now
        ),
        "the summary printed counts what is stored"
    );
    assert!(
        reviews > open.len(),
        "most referrals have been reviewed, the older ones several times"
    );
    assert!(
        late_reviews > 0 && late_reviews * 3 < reviews,
        "some reviews were late: {late_reviews} of {reviews}"
    );
    assert!(
        overdue_reviews > 0,
        "some reviews are overdue on the creation day"
    );
    assert!(done > 0 && set_aside > 0 && open_actions > 0 && late_done > 0);
    assert!(
        part_done * 2 > open.len(),
        "most plans are part done: {part_done} of {}",
        open.len()
    );
    assert!(
        paused_now > 0 && resumed > 0,
        "some clocks are paused now, some were resumed"
    );
}

#[tokio::test]
async fn open_referrals_have_victims_children_with_access_late_social_care_and_child_house_interviews()
 {
    let demo = seeded(options(11, 800, CREATED_AT)).await;
    let config = app::Config::default();
    let work = demo::investigate(&demo.store, &config, 11, demo.created_at())
        .await
        .unwrap();
    let cutoff = creation_midnight();
    assert!(
        work.victims > 50 && work.children_with_access > 20,
        "{work:?}"
    );
    assert!(
        work.safeguarding_late > 0 && work.safeguarding_late * 3 < work.safeguarding_made,
        "{work:?}"
    );
    assert!(
        work.child_house > 0 && work.interviews >= work.child_house / 2,
        "{work:?}"
    );
    let (mut late_beside_met, mut repeats, mut people) = (0, 0, 0);
    for r in demo
        .referrals()
        .await
        .into_iter()
        .filter(|r| r.status.is_open() && r.allocated_to.is_some())
    {
        let rows = demo.store.person_rows(r.id).await.unwrap();
        for p in &rows {
            // Every person the demo records reads back as the application reads it.
            let _: serde_json::Value = serde_json::from_str(&p.details).unwrap();
            assert!(
                p.added_at.is_some_and(|t| t < cutoff),
                "recorded before the creation day"
            );
        }
        people += rows.len();
        let clocks = demo.store.clocks(r.id).await.unwrap();
        let social_care_missed = clocks.iter().any(|c| {
            c.clock.kind == domain::clocks::ClockKind::SocialCareReferral
                && c.clock.state(cutoff, 80) == domain::clocks::ClockState::Missed
        });
        late_beside_met += usize::from(social_care_missed && r.target_met() == Some(true));
        for c in demo.store.child_house_rows(r.id).await.unwrap() {
            repeats += c.interviews.iter().filter(|i| i.repeat).count();
            assert!(
                c.interviews
                    .iter()
                    .all(|i| i.at >= c.referred_at && i.at < cutoff)
            );
        }
    }
    assert_eq!(people, work.victims + work.children_with_access);
    assert!(
        late_beside_met > 0,
        "a late social care referral beside an enforcement on time"
    );
    assert_eq!(repeats, work.repeat_interviews);
}

#[tokio::test]
async fn enforced_referrals_have_exhibits_waiting_at_every_forensic_step_and_a_sample_is_graded_with_referrals_referred_back()
 {
    use domain::exhibits::ForensicStep;
    let demo = seeded(options(7, 600, CREATED_AT)).await;
    let config = app::Config::default();
    let work = demo::investigate(&demo.store, &config, 7, demo.created_at())
        .await
        .unwrap();
    let cutoff = creation_midnight();
    assert!(work.exhibits > 40, "{work:?}");
    let mut waiting_at = std::collections::BTreeMap::new();
    let (mut exhibits, mut complete, mut scans) = (0, 0, vec![]);
    for r in demo.referrals().await {
        for e in demo.store.exhibits_of(r.id).await.unwrap() {
            exhibits += 1;
            assert!(e.seized_at >= r.received_at && e.seized_at < cutoff);
            for s in &e.steps {
                assert!(s.done_at.is_none_or(|d| d < cutoff && d >= e.seized_at));
            }
            match e.steps.iter().find(|s| s.done_at.is_none()) {
                Some(s) => *waiting_at.entry(s.step.clone()).or_insert(0) += 1,
                None => complete += 1,
            }
            scans.extend(
                demo.store
                    .scans_of(std::slice::from_ref(&e.id))
                    .await
                    .unwrap(),
            );
        }
    }
    assert_eq!(exhibits, work.exhibits);
    assert_eq!(scans.len(), work.scans);
    assert!(complete > 0, "some paths are complete");
    for step in ForensicStep::ALL {
        assert!(
            waiting_at.get(step.as_str()).copied().unwrap_or(0) > 0,
            "an exhibit waits at {step:?}: {waiting_at:?}"
        );
    }
    assert!(
        scans
            .iter()
            .all(|s| s.counts.files > 0 && s.tool == "safeguard"),
        "every scan report has its counts"
    );
    let samples = demo.store.samples(demo.summary.force).await.unwrap();
    assert_eq!(samples.len(), 1);
    let reviews = demo
        .store
        .sample_reviews(demo.summary.force, &samples[0].id)
        .await
        .unwrap();
    assert!(
        reviews.len() >= 12,
        "drawn from every BCU: {}",
        reviews.len()
    );
    assert!(
        reviews.iter().all(|r| r.overall.is_some()),
        "graded in full"
    );
    assert_eq!(work.quality_graded, reviews.len());
    let remedial = demo.store.remedial_all(demo.summary.force).await.unwrap();
    assert_eq!(remedial.len(), work.remedial_actions);
    assert!(work.quality_referred_back > 0 && work.remedial_done > 0);
    assert!(
        remedial.iter().any(|a| a.done_at.is_none()),
        "some remedial actions are still open"
    );
}

#[tokio::test]
async fn the_work_written_in_batches_keeps_the_access_log_whole_and_the_kept_figures_exact() {
    let demo = seeded(options(11, 600, CREATED_AT)).await;
    let config = app::Config::default();
    let work = demo::investigate(&demo.store, &config, 11, demo.created_at())
        .await
        .unwrap();
    assert!(work.reviews > 0 && work.forensic_steps > 0, "{work:?}");
    let report = demo.store.verify_audit().await.unwrap();
    assert!(
        report.first_break.is_none(),
        "the chain is unbroken: {:?}",
        report.first_break
    );
    // One event per step of the work, at least, after the referrals' own.
    assert!(
        report.events as usize > demo.summary.referrals + work.reviews + work.forensic_steps,
        "{} events",
        report.events
    );
    let force = demo.summary.force;
    assert_eq!(
        demo.store.clock_months_kept(force).await.unwrap(),
        demo.store
            .clock_months_counted_directly(force)
            .await
            .unwrap(),
        "the stopped clocks kept by month count the clocks written in bulk"
    );
    // Every timeline step of the work is logged, and nothing of the server's start-up is left to do.
    let app = app::App::new(demo.store.clone(), config.clone());
    assert_eq!(
        app::supervision::ensure_review_clocks(&app).await.unwrap(),
        0
    );
    assert_eq!(app::plans::ensure_plans(&app).await.unwrap(), 0);
    for r in demo
        .referrals()
        .await
        .iter()
        .filter(|r| r.allocated_to.is_some() && r.status.is_open())
    {
        let plan = demo.store.plan(r.id).await.unwrap();
        let seqs: Vec<i64> = plan.iter().map(|a| a.seq).collect();
        assert_eq!(
            seqs,
            (0..plan.len() as i64).collect::<Vec<_>>(),
            "a plan's actions are in order"
        );
    }
}
