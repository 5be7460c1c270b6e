//! The forensic path's order and the charging summary.

use super::*;
use jiff::ToSpan;

fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}

#[test]
fn each_step_waits_for_the_one_before_it_and_is_recorded_once() {
    let seized = t("2026-03-01T10:00:00Z");
    let now = t("2026-06-01T10:00:00Z");
    let done = [(ForensicStep::Submitted, t("2026-03-02T10:00:00Z"))];
    assert_eq!(
        may_record(ForensicStep::Returned, now, now, seized, &done, None),
        Err(StepError::NotYet("Examination started"))
    );
    assert_eq!(
        may_record(ForensicStep::Submitted, now, now, seized, &done, None),
        Err(StepError::AlreadyDone("Submitted for examination"))
    );
    assert!(
        may_record(
            ForensicStep::ExaminationStarted,
            now,
            now,
            seized,
            &done,
            None
        )
        .is_ok()
    );
}

#[test]
fn a_step_before_the_one_it_follows_or_in_the_future_is_refused() {
    let seized = t("2026-03-01T10:00:00Z");
    let now = t("2026-06-01T10:00:00Z");
    assert_eq!(
        may_record(
            ForensicStep::Submitted,
            t("2026-02-28T10:00:00Z"),
            now,
            seized,
            &[],
            None
        ),
        Err(StepError::OutOfOrder("the seizure"))
    );
    assert_eq!(
        may_record(
            ForensicStep::Submitted,
            now + 1.hour(),
            now,
            seized,
            &[],
            None
        ),
        Err(StepError::OutOfOrder("the seizure"))
    );
}

#[test]
fn victim_identification_needs_new_images_from_grading() {
    let seized = t("2026-03-01T10:00:00Z");
    let now = t("2026-06-01T10:00:00Z");
    let done: Vec<_> = [
        ForensicStep::Submitted,
        ForensicStep::ExaminationStarted,
        ForensicStep::Returned,
        ForensicStep::Graded,
    ]
    .into_iter()
    .map(|s| (s, t("2026-04-01T10:00:00Z")))
    .collect();
    assert_eq!(
        may_record(
            ForensicStep::VictimIdentification,
            now,
            now,
            seized,
            &done,
            Some(false)
        ),
        Err(StepError::NoNewImages)
    );
    assert!(
        may_record(
            ForensicStep::VictimIdentification,
            now,
            now,
            seized,
            &done,
            Some(true)
        )
        .is_ok()
    );
    assert_eq!(
        ForensicStep::Graded.next(false),
        vec![ForensicStep::NationalDatabase]
    );
    assert_eq!(ForensicStep::Graded.next(true).len(), 2);
}

#[test]
fn every_step_has_a_timeliness_key_and_a_default_target() {
    let table = TimelinessTable::default();
    for step in ForensicStep::ALL {
        assert!(
            matches!(step.target(&table), TargetSpan::Days(d) if d > 0),
            "{step:?}"
        );
    }
    assert_eq!(table.forensic_examination_started, TargetSpan::Days(28));
}

#[test]
fn the_charging_summary_counts_exact_and_graded_images_and_leaves_near_matches_waiting() {
    let s = charging_summary(&[
        ExhibitFindings {
            exact: CategoryCounts { a: 2, b: 1, c: 5 },
            near: CategoryCounts { a: 3, b: 0, c: 0 },
            graded: Some(CategoryCounts { a: 1, b: 0, c: 4 }),
            distribution: true,
            production: false,
            new_images: 2,
        },
        ExhibitFindings {
            exact: CategoryCounts { a: 0, b: 0, c: 1 },
            ..Default::default()
        },
    ]);
    assert_eq!(s.images, CategoryCounts { a: 3, b: 1, c: 10 });
    assert_eq!(s.near_awaiting_confirmation.a, 3);
    assert_eq!(s.exhibits_not_graded, 1);
    assert!(s.possession.indicated);
    assert!(s.distribution.indicated);
    assert!(!s.production.indicated);
    assert!(
        s.production.basis.contains("2 new images"),
        "{}",
        s.production.basis
    );
}

#[test]
fn near_matches_alone_do_not_indicate_possession() {
    let s = charging_summary(&[ExhibitFindings {
        near: CategoryCounts { a: 1, b: 0, c: 0 },
        ..Default::default()
    }]);
    assert!(!s.possession.indicated);
    assert!(s.possession.basis.contains("await a grader"));
}
