//! The oversight figures' months, kept by triggers, stay exactly what a direct count of the referrals gives,
//! whatever changes the referrals go through.

use crate::harness::{Force, actor, force, referral};
use crate::stories;
use store::Store;

async fn stopped_clocks_find_their_forensic_step_through_an_index(store: Store) {
    let f = crate::harness::force(&store).await;
    let plan = store.explain_clocks_stopped(f.id).await.unwrap();
    if store.backend_name() == "sqlite" {
        assert!(plan.contains("forensic_steps_by_clock"), "{plan}");
        assert!(
            !plan.contains("SCAN f"),
            "every forensic step read for every clock: {plan}"
        );
    }
}

stories!(
    stopped_clocks_find_their_forensic_step_through_an_index,
    the_months_kept_match_a_direct_count_after_random_changes,
    a_referral_counts_in_the_london_month_of_its_receipt,
    open_referrals_as_at_a_moment_are_counted_by_age_and_overdue,
    clocks_stopped_in_a_period_are_counted_by_kind_late_and_time_taken,
    the_stopped_clocks_kept_by_month_match_a_direct_count_after_random_changes,
    the_decisions_kept_by_month_match_a_direct_count_after_random_changes,
    the_overrides_kept_by_month_match_a_direct_count_after_random_changes,
    a_proposal_awaits_approval_at_each_month_end_until_it_is_approved_or_returned,
    closed_referrals_with_exhibits_are_found_as_exhibits_are_added_moved_and_removed,
    children_referred_to_the_child_house_in_a_period_are_counted_by_bcu_with_their_interviews,
);

async fn children_referred_to_the_child_house_in_a_period_are_counted_by_bcu_with_their_interviews(
    store: Store,
) {
    let f = force(&store).await;
    let day = |d: &str| {
        format!("{d}T10:00:00Z")
            .parse::<jiff::Timestamp>()
            .unwrap()
            .as_millisecond()
    };
    // (BCU, referred, interviews as (day, repeat))
    let children = [
        (
            f.cn,
            "2026-03-02",
            vec![("2026-03-04", false), ("2026-03-20", true)],
        ),
        (f.cn, "2026-03-10", vec![("2026-03-14", false)]),
        (f.cn, "2026-03-12", vec![]),
        (f.cw, "2026-03-31", vec![("2026-04-03", false)]),
        (f.cw, "2026-02-27", vec![("2026-03-02", false)]),
        (f.cw, "2026-04-01", vec![]),
    ];
    for (n, (bcu, referred, interviews)) in children.iter().enumerate() {
        let r = referral(
            f.id,
            Some(*bcu),
            &format!("CH{n}"),
            &format!("{referred}T08:00:00Z"),
        );
        let id = r.referral.id;
        store.insert_referral(&r, &actor(&f.inv_cn)).await.unwrap();
        raw(
            &store,
            format!(
                "INSERT INTO people (id, referral_id, role, details) VALUES ('p{n}-{id}', '{id}', 'victim', '{{}}')"
            ),
        )
        .await;
        raw(
            &store,
            format!(
                "INSERT INTO child_house_referrals (id, force_id, referral_id, person_id, referred_at)
                 VALUES ('h{n}-{id}', '{}', '{id}', 'p{n}-{id}', {})",
                f.id,
                day(referred)
            ),
        )
        .await;
        for (k, (at, repeat)) in interviews.iter().enumerate() {
            raw(
                &store,
                format!(
                    "INSERT INTO abe_interviews (id, child_house_id, at, place, interviewer, intermediary, repeat_of_earlier, recorded_at)
                     VALUES ('i{k}-{n}-{id}', 'h{n}-{id}', {}, 'child_house', 'DC A', FALSE, {}, {})",
                    day(at),
                    if *repeat { "TRUE" } else { "FALSE" },
                    day(at)
                ),
            )
            .await;
        }
    }
    // March in London: the child referred on 31 March counts though interviewed in April; those referred in
    // February and April do not.
    let (counts, mut days) = store
        .child_house_between(
            f.id,
            "2026-03-01T00:00:00Z".parse().unwrap(),
            "2026-03-31T23:00:00Z".parse().unwrap(),
        )
        .await
        .unwrap();
    let got: Vec<(String, i64, i64, i64, i64)> = counts
        .into_iter()
        .map(|c| {
            (
                c.bcu_key,
                c.children,
                c.interviewed,
                c.interviews,
                c.repeats,
            )
        })
        .collect();
    let mut want = vec![
        (f.cn.to_string(), 3, 2, 3, 1),
        (f.cw.to_string(), 1, 1, 1, 0),
    ];
    want.sort();
    assert_eq!(
        got, want,
        "children, interviewed, interviews and repeats by BCU"
    );
    days.sort();
    let mut want = vec![
        (f.cn.to_string(), 2, 1),
        (f.cn.to_string(), 4, 1),
        (f.cw.to_string(), 3, 1),
    ];
    want.sort();
    assert_eq!(
        days, want,
        "days to each interviewed child's first interview"
    );
}

async fn clocks_stopped_in_a_period_are_counted_by_kind_late_and_time_taken(store: Store) {
    let f = force(&store).await;
    let r = referral(f.id, Some(f.cn), "K1", "2026-03-01T09:00:00Z");
    let id = r.referral.id;
    store.insert_referral(&r, &actor(&f.inv_cn)).await.unwrap();
    let start = "2026-03-02T09:00:00Z"
        .parse::<jiff::Timestamp>()
        .unwrap()
        .as_millisecond();
    // (kind, minutes taken, late, stopped in the period)
    let clocks = [
        ("social_care_referral", 50, false, true),
        ("social_care_referral", 52, false, true),
        ("social_care_referral", 2000, true, true),
        ("plan_action", 30, false, true),
        ("plan_action", 30, false, false),
    ];
    for (n, (kind, minutes, late, inside)) in clocks.iter().enumerate() {
        let started = if *inside {
            start
        } else {
            start - 60 * 86_400_000
        };
        raw(
            &store,
            format!(
                "INSERT INTO clocks (id, force_id, referral_id, kind, started_at, target, base_due, stopped_at, ended, late_code)
                 VALUES ('c{n}-{id}', '{}', '{id}', '{kind}', {started}, NULL, {}, {}, 'stopped', {})",
                f.id,
                started + 86_400_000,
                started + minutes * 60_000,
                if *late { "'awaiting_forensics'" } else { "NULL" }
            ),
        )
        .await;
    }
    let from: jiff::Timestamp = "2026-03-01T00:00:00Z".parse().unwrap();
    let to: jiff::Timestamp = "2026-04-01T00:00:00Z".parse().unwrap();
    let shaped = |counts: Vec<store::ClockCount>| {
        let mut v: Vec<(String, bool, i64, i64)> = counts
            .into_iter()
            .map(|c| {
                assert_eq!(c.bcu_key, f.cn.to_string());
                (c.kind, c.late, c.step, c.n)
            })
            .collect();
        v.sort();
        v
    };
    let (stopped, late) = store
        .clocks_stopped_in(f.id, "2026-03", "2026-03", Some(&f.cn.to_string()))
        .await
        .unwrap();
    assert_eq!(
        late,
        [(f.cn.to_string(), "awaiting_forensics".to_string(), 1)],
        "the late one, by its reason code"
    );
    let got = shaped(stopped);
    let (whole, whole_late) = store
        .clocks_stopped_in(f.id, "2026-03", "2026-03", None)
        .await
        .unwrap();
    let mut whole: Vec<(String, bool, i64, i64)> = whole
        .into_iter()
        .map(|c| {
            assert_eq!(c.bcu_key, store::ALL_BCUS, "the force's clocks together");
            (c.kind, c.late, c.step, c.n)
        })
        .collect();
    whole.sort();
    assert_eq!(whole, got, "the force's clocks are its one BCU's");
    assert_eq!(
        whole_late,
        [(
            store::ALL_BCUS.to_string(),
            "awaiting_forensics".to_string(),
            1
        )]
    );
    assert_eq!(
        got,
        shaped(
            store
                .clocks_stopped_counted_directly(f.id, from, to)
                .await
                .unwrap()
        ),
        "the kept months and a direct count agree"
    );
    assert_eq!(
        got,
        [
            ("plan_action".to_string(), false, 30, 1),
            ("social_care_referral".to_string(), false, 50, 2),
            ("social_care_referral".to_string(), true, 1980, 1),
        ],
        "50 and 52 minutes share the 5-minute step from 50; 2,000 minutes is in the hour from 1,980"
    );
}

/// The narrow months a dashboard reads (migration 0032) are the kept months added up over what it does not
/// read, and have some of each measure.
async fn narrow_months_agree(store: &Store, f: &Force, label: &str) {
    let narrow = store.figure_months_narrow_kept(f.id).await.unwrap();
    let want: Vec<store::MonthCount> =
        store::narrowed(store.figure_months_kept(f.id).await.unwrap())
            .into_iter()
            .filter(|m| m.measure.ends_with("_met") || m.measure.ends_with("_step"))
            .collect();
    assert_eq!(narrow, want, "the narrow months {label}");
    for measure in ["enforced_met", "enforced_step", "triaged_step"] {
        assert!(
            narrow.iter().any(|m| m.measure == measure),
            "{measure} {label}"
        );
    }
}

/// Run SQL the test builds (an attacker's or a bug's change, made beneath the product's rules).
async fn raw(store: &Store, sql: String) {
    store.execute_raw_for_tests(sql.leak()).await.unwrap();
}

async fn the_months_kept_match_a_direct_count_after_random_changes(store: Store) {
    let f = force(&store).await;
    let mut ids = Vec::new();
    // Received across two years, near the clock changes and month ends.
    let times = [
        "2025-03-30T00:59:59Z",
        "2025-03-30T01:00:00Z",
        "2025-03-31T23:30:00Z",
        "2025-06-30T23:10:00Z",
        "2025-10-26T00:59:00Z",
        "2025-10-31T23:59:59Z",
        "2025-12-31T23:59:59Z",
        "2026-01-15T10:00:00Z",
        "2026-03-29T00:30:00Z",
        "2026-04-30T23:30:00Z",
    ];
    for n in 0..60 {
        let bcu = match n % 3 {
            0 => Some(f.cn),
            1 => Some(f.cw),
            _ => None,
        };
        let at = times[n % times.len()];
        let r = referral(f.id, bcu, &format!("R{n}"), at);
        ids.push(r.referral.id);
        store.insert_referral(&r, &actor(&f.inv_cn)).await.unwrap();
    }
    assert_eq!(
        store.figure_months_kept(f.id).await.unwrap(),
        store.figure_months_counted_directly(f.id).await.unwrap()
    );
    let mut next = xorshift(0x2545_f491_4f6c_dd1du64);
    let levels = ["very_high", "high", "medium", "low"];
    let codes = ["1", "1A", "2", "10", "15", "16", "20", "21"];
    for step in 0..300 {
        let id = ids[next(ids.len() as u64) as usize];
        let shift = next(40 * 86_400_000) as i64;
        let sql = match next(9) {
            0 => format!(
                "UPDATE referrals SET risk_level = '{}', assessed_at = received_at + {} WHERE id = '{id}'",
                levels[next(4) as usize],
                next(3 * 86_400_000)
            ),
            1 => format!(
                "UPDATE referrals SET clock = 'enforcement:high', first_enforcement_at = received_at + {shift},
                                      due_at = received_at + {} WHERE id = '{id}'",
                next(30 * 86_400_000)
            ),
            2 => format!(
                "UPDATE referrals SET status = 'closed', closed_at = received_at + {shift}, outcome_code = '{}'
                 WHERE id = '{id}'",
                codes[next(codes.len() as u64) as usize]
            ),
            3 => format!(
                "UPDATE referrals SET status = 'allocated', closed_at = NULL, outcome_code = NULL WHERE id = '{id}'"
            ),
            4 => move_referral(&f, id, next(3)),
            5 => format!(
                "UPDATE referrals SET received_at = received_at + {} WHERE id = '{id}'",
                shift - 20 * 86_400_000
            ),
            6 => format!(
                "UPDATE referrals SET escalated = {}, source = '{}' WHERE id = '{id}'",
                if next(2) == 0 { "TRUE" } else { "FALSE" },
                if next(2) == 0 { "NCA" } else { "manual" }
            ),
            7 => format!(
                "UPDATE referrals SET first_enforcement_at = NULL, clock = 'triage' WHERE id = '{id}'"
            ),
            // A change that touches none of the figures' columns.
            _ => format!("UPDATE referrals SET version = version + 1 WHERE id = '{id}'"),
        };
        raw(&store, sql).await;
        if step % 50 == 49 {
            assert_eq!(
                store.figure_months_kept(f.id).await.unwrap(),
                store.figure_months_counted_directly(f.id).await.unwrap(),
                "after {} changes",
                step + 1
            );
            narrow_months_agree(&store, &f, &format!("after {} changes", step + 1)).await;
            assert_eq!(
                store.figure_days_kept(f.id).await.unwrap(),
                store.figure_days_counted_directly(f.id).await.unwrap(),
                "the days after {} changes",
                step + 1
            );
        }
    }
    // And a referral taken out altogether.
    let gone = ids[0];
    raw(
        &store,
        format!(
            "DELETE FROM referral_events WHERE referral_id = '{gone}'; DELETE FROM referrals WHERE id = '{gone}'"
        ),
    )
    .await;
    let kept = store.figure_months_kept(f.id).await.unwrap();
    assert_eq!(
        kept,
        store.figure_months_counted_directly(f.id).await.unwrap()
    );
    narrow_months_agree(&store, &f, "at the end").await;
    let days = store.figure_days_kept(f.id).await.unwrap();
    assert_eq!(
        days,
        store.figure_days_counted_directly(f.id).await.unwrap(),
        "the days at the end"
    );
    assert!(days.iter().all(|d| d.month.len() == 10), "{days:?}");
    let received: i64 = kept
        .iter()
        .filter(|c| c.measure == "received")
        .map(|c| c.n)
        .sum();
    assert_eq!(received, 59);
}

async fn a_referral_counts_in_the_london_month_of_its_receipt(store: Store) {
    let f = force(&store).await;
    for (n, at) in [
        // 23:30 UTC on 30 June is 00:30 on 1 July in London (summer time).
        "2026-06-30T23:30:00Z",
        // 23:30 UTC on 31 January is 23:30 in London (winter).
        "2026-01-31T23:30:00Z",
        // Summer time starts at 01:00 UTC on 29 March 2026, ends at 01:00 UTC on 25 October 2026.
        "2026-10-31T23:30:00Z",
        "2026-03-31T23:00:00Z",
        "2026-03-31T22:59:59Z",
    ]
    .iter()
    .enumerate()
    {
        store
            .insert_referral(
                &referral(f.id, Some(f.cn), &format!("L{n}"), at),
                &actor(&f.inv_cn),
            )
            .await
            .unwrap();
    }
    let months: Vec<(String, i64)> = store
        .figure_months(f.id, "2026-01", "2026-12", None)
        .await
        .unwrap()
        .into_iter()
        .filter(|c| c.measure == "received")
        .map(|c| (c.month, c.n))
        .collect();
    assert_eq!(
        months,
        [
            ("2026-01".to_string(), 1),
            ("2026-03".to_string(), 1),
            ("2026-04".to_string(), 1),
            ("2026-07".to_string(), 1),
            ("2026-10".to_string(), 1),
        ]
    );
    let one_bcu = store
        .figure_months(f.id, "2026-07", "2026-07", Some(&f.cw.to_string()))
        .await
        .unwrap();
    assert!(one_bcu.is_empty(), "Central West received none in July");
}

async fn open_referrals_as_at_a_moment_are_counted_by_age_and_overdue(store: Store) {
    let f = force(&store).await;
    let at: jiff::Timestamp = "2026-06-30T23:00:00Z".parse().unwrap();
    for (n, received) in [
        "2026-06-30T20:00:00Z", // 3 hours old
        "2026-06-10T10:00:00Z", // 20 days
        "2026-05-01T10:00:00Z", // 60 days
        "2026-01-01T10:00:00Z", // 180 days
        "2026-07-02T10:00:00Z", // not yet received
    ]
    .iter()
    .enumerate()
    {
        let r = referral(f.id, Some(f.cn), &format!("A{n}"), received);
        store.insert_referral(&r, &actor(&f.inv_cn)).await.unwrap();
    }
    // The 180-day-old one was closed before the moment; the 60-day-old one after it.
    raw(
        &store,
        format!(
            "UPDATE referrals SET status = 'closed', closed_at = {} WHERE report_id = 'A3' AND force_id = '{}'",
            "2026-03-01T00:00:00Z".parse::<jiff::Timestamp>().unwrap().as_millisecond(),
            f.id
        ),
    )
    .await;
    raw(
        &store,
        format!(
            "UPDATE referrals SET status = 'closed', closed_at = {} WHERE report_id = 'A2' AND force_id = '{}'",
            "2026-07-05T00:00:00Z".parse::<jiff::Timestamp>().unwrap().as_millisecond(),
            f.id
        ),
    )
    .await;
    let open = store.open_as_at(f.id, at).await.unwrap();
    assert_eq!(open.len(), 1);
    let cn = &open[0];
    assert_eq!(cn.bcu_key, f.cn.to_string());
    assert_eq!(
        (cn.days_0_7, cn.days_8_30, cn.days_31_90, cn.days_over_90),
        (1, 1, 1, 0)
    );
    assert_eq!(cn.open(), 3);
    // Their triage clocks ran out before the moment, except the 3-hour-old one's.
    assert_eq!(cn.overdue, 2);
}

async fn the_stopped_clocks_kept_by_month_match_a_direct_count_after_random_changes(store: Store) {
    let f = force(&store).await;
    let mut referrals = Vec::new();
    for (n, at) in [
        "2025-03-29T10:00:00Z",
        "2025-10-20T10:00:00Z",
        "2025-12-30T10:00:00Z",
        "2026-02-27T10:00:00Z",
    ]
    .iter()
    .enumerate()
    {
        let r = referral(
            f.id,
            [Some(f.cn), Some(f.cw), None][n % 3],
            &format!("K{n}"),
            at,
        );
        referrals.push(r.referral.id);
        store.insert_referral(&r, &actor(&f.inv_cn)).await.unwrap();
        raw(&store, format!(
            "INSERT INTO exhibits (id, force_id, referral_id, reference, kind, description, seized_at, seized_where, seized_from, created_at)
             VALUES ('e-{n}-{}', '{}', '{}', 'JD/{n}', 'phone', 'A phone', 0, 'Home', 'premises', 0)",
            r.referral.id, f.id, r.referral.id
        ))
        .await;
    }
    let mut next = xorshift(0x9e37_79b9_7f4a_7c15u64);
    let kinds = [
        "social_care_referral",
        "plan_action",
        "supervision_review",
        "forensic",
    ];
    let steps = ["submitted", "examination_started", "returned", "graded"];
    let base = 1_743_000_000_000i64; // late March 2025, near the clock change
    let mut clocks: Vec<String> = Vec::new();
    let mut forensic: Vec<String> = Vec::new();
    let check = |label: String| {
        let store = store.clone();
        async move {
            let kept = store.clock_months_kept(f.id).await.unwrap();
            assert_eq!(
                kept,
                store.clock_months_counted_directly(f.id).await.unwrap(),
                "{label}"
            );
            assert_eq!(
                store.clock_days_kept(f.id).await.unwrap(),
                store.clock_days_counted_directly(f.id).await.unwrap(),
                "the days {label}"
            );
            // The force's months are the BCUs' added up.
            let mut summed: std::collections::BTreeMap<(String, String, String, i64), i64> =
                Default::default();
            for c in kept {
                *summed
                    .entry((c.month, c.kind, c.late_code, c.step))
                    .or_default() += c.n;
            }
            let summed: Vec<store::ClockMonth> = summed
                .into_iter()
                .filter(|(_, n)| *n != 0)
                .map(|((month, kind, late_code, step), n)| store::ClockMonth {
                    month,
                    bcu_key: store::ALL_BCUS.to_string(),
                    kind,
                    late_code,
                    step,
                    n,
                })
                .collect();
            assert_eq!(
                store.clock_force_months_kept(f.id).await.unwrap(),
                summed,
                "the force's months {label}"
            );
        }
    };
    for step in 0..400 {
        let referral = referrals[next(referrals.len() as u64) as usize];
        let started = base + next(400) as i64 * 86_400_000 + next(86_400_000) as i64;
        let taken = next(20 * 86_400_000) as i64;
        let late = match next(3) {
            0 => "NULL".to_string(),
            1 => "'awaiting_forensics'".into(),
            _ => "'victim_unavailable'".into(),
        };
        let sql = match next(10) {
            0 | 1 => {
                let id = format!("k{step}");
                clocks.push(id.clone());
                let ended = if next(3) == 0 { "NULL" } else { "'stopped'" };
                format!(
                    "INSERT INTO clocks (id, force_id, referral_id, kind, started_at, base_due, stopped_at, ended, late_code)
                     VALUES ('{id}', '{}', '{referral}', '{}', {started}, {}, {}, {ended}, {late})",
                    f.id,
                    kinds[next(4) as usize],
                    started + 86_400_000,
                    if ended == "NULL" { "NULL".to_string() } else { (started + taken).to_string() }
                )
            }
            2 => match pick(&clocks, next(1000)) {
                Some(c) => format!(
                    "UPDATE clocks SET ended = 'stopped', stopped_at = started_at + {taken}, late_code = {late} WHERE id = '{c}'"
                ),
                None => continue,
            },
            3 => match pick(&clocks, next(1000)) {
                Some(c) => format!(
                    "UPDATE clocks SET ended = {} WHERE id = '{c}'",
                    if next(2) == 0 { "'cancelled'" } else { "NULL" }
                ),
                None => continue,
            },
            4 => match pick(&clocks, next(1000)) {
                Some(c) => format!(
                    "UPDATE clocks SET started_at = started_at - {taken}, kind = '{}' WHERE id = '{c}'",
                    kinds[next(4) as usize]
                ),
                None => continue,
            },
            5 => move_referral(&f, referral, next(3)),
            6 | 7 => match pick(&clocks, next(1000)) {
                Some(c) => {
                    let id = format!("s{step}");
                    forensic.push(id.clone());
                    // Each step at most once per exhibit: a new exhibit-step pair from the step's number.
                    format!(
                        "INSERT INTO exhibits (id, force_id, referral_id, reference, kind, description, seized_at, seized_where, seized_from, created_at)
                         SELECT 'x{step}', force_id, referral_id, 'X/{step}', 'phone', 'A phone', 0, 'Home', 'premises', 0 FROM clocks WHERE id = '{c}';
                         INSERT INTO forensic_steps (id, exhibit_id, step, clock_id) VALUES ('{id}', 'x{step}', '{}', '{c}')",
                        steps[next(4) as usize]
                    )
                }
                None => continue,
            },
            8 => match pick(&forensic, next(1000)) {
                Some(s) => {
                    forensic.retain(|x| *x != s);
                    format!("DELETE FROM forensic_steps WHERE id = '{s}'")
                }
                None => continue,
            },
            _ => match pick(&clocks, next(1000)) {
                Some(c) => {
                    clocks.retain(|x| *x != c);
                    format!(
                        "DELETE FROM forensic_steps WHERE clock_id = '{c}'; DELETE FROM clocks WHERE id = '{c}'"
                    )
                }
                None => continue,
            },
        };
        raw(&store, sql).await;
        if step % 50 == 49 {
            check(format!("after {} changes", step + 1)).await;
        }
    }
    check("at the end".into()).await;
    // Some of every kind were counted, a forensic clock under its step.
    let kept = store.clock_months_kept(f.id).await.unwrap();
    assert!(
        kept.iter()
            .any(|c| c.kind.starts_with("forensic:") && c.kind.len() > 9),
        "{kept:?}"
    );
    assert!(kept.iter().any(|c| !c.late_code.is_empty()));
    // A forensic step's step and clock never change.
    if let Some(s) = forensic.first() {
        assert!(
            store
                .execute_raw_for_tests(
                    format!("UPDATE forensic_steps SET step = 'returned_x' WHERE id = '{s}'")
                        .leak()
                )
                .await
                .is_err()
        );
    }
}

async fn the_decisions_kept_by_month_match_a_direct_count_after_random_changes(store: Store) {
    let f = force(&store).await;
    let mut referrals = Vec::new();
    for n in 0..5 {
        let r = referral(
            f.id,
            [Some(f.cn), Some(f.cw), None][n % 3],
            &format!("D{n}"),
            "2025-10-01T10:00:00Z",
        );
        referrals.push(r.referral.id);
        store.insert_referral(&r, &actor(&f.inv_cn)).await.unwrap();
    }
    let mut next = xorshift(0x51f1_5eed_d00d_beefu64);
    let kinds = ["proposed", "approved", "returned", "closed", "reopened"];
    // Around the autumn clock change and the year's end.
    let base = 1_761_000_000_000i64;
    let mut ids: Vec<String> = Vec::new();
    for step in 0..300 {
        let referral = referrals[next(referrals.len() as u64) as usize];
        let at = base + next(120 * 86_400_000) as i64;
        let sql = match next(6) {
            0 | 1 => {
                let id = format!("d{step}");
                ids.push(id.clone());
                format!(
                    "INSERT INTO outcome_decisions (id, force_id, referral_id, kind, code, text, by_user, at)
                     VALUES ('{id}', '{}', '{referral}', '{}', '10', NULL, NULL, {at})",
                    f.id,
                    kinds[next(5) as usize]
                )
            }
            2 => match pick(&ids, next(1000)) {
                Some(d) => format!(
                    "UPDATE outcome_decisions SET at = {at}, kind = '{}' WHERE id = '{d}'",
                    kinds[next(5) as usize]
                ),
                None => continue,
            },
            3 => match pick(&ids, next(1000)) {
                Some(d) => format!(
                    "UPDATE outcome_decisions SET referral_id = '{referral}' WHERE id = '{d}'"
                ),
                None => continue,
            },
            4 => move_referral(&f, referral, next(3)),
            _ => match pick(&ids, next(1000)) {
                Some(d) => {
                    ids.retain(|x| *x != d);
                    format!("DELETE FROM outcome_decisions WHERE id = '{d}'")
                }
                None => continue,
            },
        };
        raw(&store, sql).await;
        if step % 50 == 49 {
            assert_eq!(
                store.decision_months_kept(f.id).await.unwrap(),
                store.decision_months_counted_directly(f.id).await.unwrap(),
                "after {} changes",
                step + 1
            );
        }
    }
    let kept = store.decision_months_kept(f.id).await.unwrap();
    assert!(kept.iter().any(|k| k.2 == "returned") && !kept.iter().any(|k| k.2 == "closed"));
}

async fn the_overrides_kept_by_month_match_a_direct_count_after_random_changes(store: Store) {
    let f = force(&store).await;
    let mut referrals = Vec::new();
    for n in 0..5 {
        let r = referral(
            f.id,
            [Some(f.cn), Some(f.cw), None][n % 3],
            &format!("O{n}"),
            "2025-10-01T10:00:00Z",
        );
        referrals.push(r.referral.id);
        store.insert_referral(&r, &actor(&f.inv_cn)).await.unwrap();
    }
    let mut next = xorshift(0x0fe1_1a5e_5eed_cafeu64);
    let decisions = ["'overridden'", "'signed_off'", "NULL"];
    // Around the autumn clock change and the year's end.
    let base = 1_761_000_000_000i64;
    let mut ids: Vec<String> = Vec::new();
    for step in 0..300 {
        let referral = referrals[next(referrals.len() as u64) as usize];
        let at = base + next(120 * 86_400_000) as i64;
        let decided_at = if next(8) == 0 {
            "NULL".to_string()
        } else {
            at.to_string()
        };
        let decision = decisions[next(3) as usize];
        let sql = match next(6) {
            0 | 1 => {
                let id = format!("a{step}");
                ids.push(id.clone());
                format!(
                    "INSERT INTO assessments (id, referral_id, instrument_id, instrument_version, answers, evaluation, level,
                                              assessed_by, assessed_at, decision, final_level, decided_at)
                     VALUES ('{id}', '{referral}', 'i', '1', '{{}}', '{{}}', 'high', '{}', {at}, {decision}, 'high', {decided_at})",
                    f.inv_cn.id
                )
            }
            2 => match pick(&ids, next(1000)) {
                Some(a) => format!(
                    "UPDATE assessments SET decided_at = {decided_at}, decision = {decision} WHERE id = '{a}'"
                ),
                None => continue,
            },
            3 => match pick(&ids, next(1000)) {
                Some(a) => {
                    format!("UPDATE assessments SET referral_id = '{referral}' WHERE id = '{a}'")
                }
                None => continue,
            },
            4 => move_referral(&f, referral, next(3)),
            _ => match pick(&ids, next(1000)) {
                Some(a) => {
                    ids.retain(|x| *x != a);
                    format!("DELETE FROM assessments WHERE id = '{a}'")
                }
                None => continue,
            },
        };
        raw(&store, sql).await;
        if step % 50 == 49 {
            assert_eq!(
                store.override_months_kept(f.id).await.unwrap(),
                store.override_months_counted_directly(f.id).await.unwrap(),
                "after {} changes",
                step + 1
            );
        }
    }
    let kept = store.override_months_kept(f.id).await.unwrap();
    assert!(kept.len() > 3, "{kept:?}");
    // The period's overrides are the kept months' sum.
    let all: i64 = store
        .overrides_in(f.id, "0000-00", "9999-99")
        .await
        .unwrap()
        .iter()
        .map(|o| o.1)
        .sum();
    assert_eq!(all, kept.iter().map(|k| k.2).sum::<i64>());
}

async fn a_proposal_awaits_approval_at_each_month_end_until_it_is_approved_or_returned(
    store: Store,
) {
    let f = force(&store).await;
    let r = referral(f.id, Some(f.cn), "W1", "2026-01-05T10:00:00Z");
    let id = r.referral.id;
    store.insert_referral(&r, &actor(&f.inv_cn)).await.unwrap();
    let decide = |n: usize, kind: &str, at: &str| {
        let ms = at.parse::<jiff::Timestamp>().unwrap().as_millisecond();
        format!(
            "INSERT INTO outcome_decisions (id, force_id, referral_id, kind, code, text, by_user, at)
             VALUES ('w{n}-{id}', '{}', '{id}', '{kind}', '10', NULL, NULL, {ms})",
            f.id
        )
    };
    // Proposed on 31 January at 23:30 (still January in London), returned in March, proposed again in March and
    // approved on 1 April at 00:30 London time (23:30 UTC on 31 March, British Summer Time).
    raw(&store, decide(1, "proposed", "2026-01-31T23:30:00Z")).await;
    raw(&store, decide(2, "returned", "2026-03-02T10:00:00Z")).await;
    raw(&store, decide(3, "proposed", "2026-03-20T10:00:00Z")).await;
    raw(&store, decide(4, "approved", "2026-03-31T23:30:00Z")).await;
    let at = |m: &'static str| {
        let store = store.clone();
        async move {
            store
                .nfa_awaiting_at(f.id, m)
                .await
                .unwrap()
                .into_iter()
                .map(|(b, n)| {
                    assert_eq!(b, f.cn.to_string());
                    n
                })
                .sum::<i64>()
        }
    };
    assert_eq!(at("2025-12").await, 0);
    assert_eq!(
        at("2026-01").await,
        1,
        "proposed in January, not yet decided"
    );
    assert_eq!(at("2026-02").await, 1);
    assert_eq!(
        at("2026-03").await,
        1,
        "returned, then proposed again in March"
    );
    assert_eq!(at("2026-04").await, 0, "approved in April, London time");
    let counts = store
        .decisions_in(f.id, "2026-03", "2026-03")
        .await
        .unwrap();
    let kinds: Vec<(&str, i64)> = counts.iter().map(|c| (c.1.as_str(), c.2)).collect();
    assert_eq!(kinds, [("proposed", 1), ("returned", 1)]);
}

async fn closed_referrals_with_exhibits_are_found_as_exhibits_are_added_moved_and_removed(
    store: Store,
) {
    let f = force(&store).await;
    let mut ids = vec![];
    for n in 0..3 {
        let r = referral(f.id, Some(f.cn), &format!("X{n}"), "2026-03-02T10:00:00Z");
        store.insert_referral(&r, &actor(&f.inv_cn)).await.unwrap();
        ids.push(r.referral.id);
    }
    // The first two closed in March, the third still open.
    for id in &ids[..2] {
        raw(
            &store,
            format!("UPDATE referrals SET status = 'closed', closed_at = 1773500000000 WHERE id = '{id}'"),
        )
        .await;
    }
    let exhibit = |n: usize, on: usize, a: i64| {
        format!(
            "INSERT INTO exhibits (id, force_id, referral_id, reference, kind, description, seized_at, seized_where,
                seized_from, created_at, graded_a)
             VALUES ('e{n}', '{}', '{}', 'JD/{n}', 'phone', 'A phone', 0, 'Home', 'premises', 0, {a})",
            f.id, ids[on]
        )
    };
    let (from, to) = (
        "2026-03-01T00:00:00Z".parse().unwrap(),
        "2026-04-01T00:00:00Z".parse().unwrap(),
    );
    let counted = || async {
        store
            .category_a_between(f.id, from, to)
            .await
            .unwrap()
            .iter()
            .map(|c| (c.with_exhibits, c.category_a))
            .fold((0, 0), |t, c| (t.0 + c.0, t.1 + c.1))
    };
    assert_eq!(counted().await, (0, 0), "no exhibits yet");
    raw(&store, exhibit(1, 0, 2)).await;
    raw(&store, exhibit(2, 0, 0)).await;
    raw(&store, exhibit(3, 2, 0)).await;
    assert_eq!(
        counted().await,
        (1, 1),
        "one closed referral with exhibits, graded category A; the open one does not count"
    );
    raw(
        &store,
        format!(
            "UPDATE exhibits SET referral_id = '{}' WHERE id = 'e2'",
            ids[1]
        ),
    )
    .await;
    assert_eq!(
        counted().await,
        (2, 1),
        "an exhibit moved to the second closed referral"
    );
    raw(&store, "DELETE FROM exhibits WHERE id = 'e1'".into()).await;
    assert_eq!(
        counted().await,
        (1, 0),
        "the first referral's only exhibit left, graded category A, removed"
    );
    raw(&store, "DELETE FROM exhibits WHERE id = 'e2'".into()).await;
    raw(
        &store,
        format!(
            "UPDATE exhibits SET referral_id = '{}' WHERE id = 'e3'",
            ids[1]
        ),
    )
    .await;
    assert_eq!(
        counted().await,
        (1, 0),
        "the second has the exhibit moved from the open referral"
    );
    raw(&store, "DELETE FROM exhibits WHERE id = 'e3'".into()).await;
    assert_eq!(counted().await, (0, 0));
}

/// A small deterministic generator for the random changes: each call gives a number below its argument.
fn xorshift(mut state: u64) -> impl FnMut(u64) -> u64 {
    move |m| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % m
    }
}

/// One of `ids`, chosen by `n`; none if there are none.
fn pick(ids: &[String], n: u64) -> Option<String> {
    ids.get(n as usize % ids.len().max(1)).cloned()
}

/// The statement moving `referral` to Central North (0), Central West (1) or the central queue (2).
fn move_referral(f: &Force, referral: impl std::fmt::Display, to: u64) -> String {
    let bcu = match to {
        0 => format!("'{}'", f.cn),
        1 => format!("'{}'", f.cw),
        _ => "NULL".into(),
    };
    format!("UPDATE referrals SET bcu_id = {bcu} WHERE id = '{referral}'")
}
