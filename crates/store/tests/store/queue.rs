//! The queue at scale: a page is read by keyset from an index in the queue's order, whatever the caseload,
//! and the counts per status come from a table triggers keep exact under every change.

use crate::harness::{Force, actor, force, referral};
use domain::Status;
use domain::permissions::QueueScope;
use jiff::{Timestamp, ToSpan};
use store::{ReferralFilter, Store};

fn filter(scope: QueueScope, open_only: bool) -> ReferralFilter {
    ReferralFilter {
        scope,
        unrouted_only: false,
        open_only,
        status: None,
        limit: 50,
        cursor: None,
        risk_level: None,
        officer: None,
        overdue_at: None,
        escalated: false,
        except_status: None,
        search: None,
    }
}

/// A deterministic mix (splitmix64), so the data are the same on every run.
fn mix(n: u64) -> u64 {
    let mut z = n.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// `n` referrals from `first` on: in Central North, Central West or unrouted; one in five closed; of the open
/// ones, two in three with a running clock. Written in batches, as the demo writes its history.
async fn fill(store: &Store, f: &Force, first: u64, n: u64) {
    let a = actor(&f.inv_cn);
    let base: Timestamp = "2025-01-01T00:00:00Z".parse().unwrap();
    let mut batch = vec![];
    for i in first..first + n {
        let m = mix(i);
        let bcu = match m % 10 {
            0 => None,
            1..=4 => Some(f.cw),
            _ => Some(f.cn),
        };
        let received = base + (((m >> 8) % 500_000) as i64).minutes();
        let mut r = referral(f.id, bcu, &format!("Q-{i}"), &received.to_string());
        if (m >> 20).is_multiple_of(5) {
            r.referral.status = Status::Closed;
            r.referral.headline_due = None;
        } else if !(m >> 24).is_multiple_of(3) {
            r.referral.headline_due = Some(received + (((m >> 30) % 4_000) as i64).hours());
        } else {
            r.referral.headline_due = None;
        }
        batch.push(r);
        if batch.len() == 1_000 {
            store.insert_referrals_batch(&batch, &a).await.unwrap();
            batch.clear();
        }
    }
    if !batch.is_empty() {
        store.insert_referrals_batch(&batch, &a).await.unwrap();
    }
}

async fn the_queue_is_read_from_its_index_a_page_at_a_time_at_ten_thousand_referrals(store: Store) {
    let f = force(&store).await;
    fill(&store, &f, 0, 10_000).await;
    store.execute_raw_for_tests("ANALYZE").await.unwrap();
    let postgres = store.backend_name() == "postgres";

    let bcu = filter(QueueScope::Bcu(f.id, f.cn), true);
    let first = store.list_referrals(&bcu).await.unwrap();
    let second = ReferralFilter {
        cursor: first.next_cursor.clone(),
        ..bcu.clone()
    };
    let back = ReferralFilter {
        cursor: store.list_referrals(&second).await.unwrap().prev_cursor,
        ..bcu.clone()
    };
    let force_wide = filter(QueueScope::Force(f.id), false);
    for (what, fl, index) in [
        ("a BCU's first page", &bcu, "referrals_bcu_queue"),
        ("a BCU's next page", &second, "referrals_bcu_queue"),
        // Back to the first page, only a page of rows lies before the cursor: PostgreSQL may read them from
        // the force's index as cheaply, so either queue index will do here.
        ("a BCU's previous page", &back, "_queue"),
        (
            "the force's first page",
            &force_wide,
            "referrals_force_queue",
        ),
    ] {
        let plan = store.explain_queue(fl).await.unwrap();
        assert!(
            plan.contains(index)
                && (plan.contains("referrals_bcu_queue") || plan.contains("referrals_force_queue")),
            "{what} is read from {index}:\n{plan}"
        );
        // No sort of the whole scope: the index gives the order.
        let sorts = if postgres {
            plan.lines()
                .any(|l| l.trim_start().starts_with("->  Sort") || l.starts_with("Sort"))
        } else {
            plan.contains("TEMP B-TREE")
        };
        assert!(!sorts, "{what} needs no sort:\n{plan}");
        if fl.cursor.is_some() {
            let keyset = if postgres {
                plan.contains("ROW(queue_group, queue_due, id)")
                    || plan.contains("ROW(r.queue_group")
            } else {
                plan.contains("(queue_group,queue_due,id)")
            };
            assert!(keyset, "{what} starts at the cursor in the index:\n{plan}");
        }
    }

    // And the pages, walked forwards, list every open Central North referral once, in the queue's order.
    let mut walked = vec![];
    let mut f2 = ReferralFilter {
        limit: 500,
        ..bcu.clone()
    };
    loop {
        let page = store.list_referrals(&f2).await.unwrap();
        walked.extend(page.items.iter().map(|r| {
            (
                i64::from(r.headline_due.is_none()),
                r.headline_due.unwrap_or(r.due_at),
                r.id.to_string(),
                r.status,
                r.bcu,
            )
        }));
        match page.next_cursor {
            Some(c) => f2.cursor = Some(c),
            None => break,
        }
    }
    assert!(
        walked
            .iter()
            .all(|w| w.3 != Status::Closed && w.4 == Some(f.cn))
    );
    let mut sorted = walked.clone();
    sorted.sort_by(|a, b| (a.0, a.1, &a.2).cmp(&(b.0, b.1, &b.2)));
    assert_eq!(walked, sorted, "the pages follow the queue's order");
    let counts = store.count_by_status(&bcu).await.unwrap();
    let open: i64 = counts
        .iter()
        .filter(|(s, _)| *s != Status::Closed)
        .map(|(_, n)| n)
        .sum();
    assert_eq!(
        open as usize,
        walked.len(),
        "the counts agree with the pages"
    );
}

async fn the_counts_per_status_stay_exact_under_inserts_moves_and_changes_of_status(store: Store) {
    let f = force(&store).await;
    assert!(store.referral_counts_drift().await.unwrap().is_empty());
    // Changes of every kind, in a fixed but mixed order: batches of new referrals, closing, reopening,
    // routing unrouted ones, moving between BCUs, a package with duplicates.
    let changes: [&'static str; 5] = [
        "UPDATE referrals SET status = 'closed' WHERE id IN (SELECT id FROM referrals WHERE status <> 'closed' ORDER BY report_id LIMIT 37)",
        "UPDATE referrals SET status = 'allocated' WHERE id IN (SELECT id FROM referrals WHERE status = 'closed' ORDER BY report_id DESC LIMIT 11)",
        "UPDATE referrals SET bcu_id = (SELECT id FROM bcus WHERE code = 'cn' AND force_id = referrals.force_id) WHERE id IN (SELECT id FROM referrals WHERE bcu_id IS NULL ORDER BY report_id LIMIT 13)",
        "UPDATE referrals SET bcu_id = (SELECT id FROM bcus WHERE code = 'cw' AND force_id = referrals.force_id) WHERE id IN (SELECT id FROM referrals WHERE status <> 'closed' AND bcu_id IS NOT NULL ORDER BY due_at LIMIT 17)",
        "UPDATE referrals SET status = status, bcu_id = bcu_id WHERE report_id LIKE 'Q-1%'",
    ];
    for round in 0..6u64 {
        fill(&store, &f, round * 400, 400).await;
        for k in 0..3u64 {
            let change = changes[(mix(round * 3 + k) % changes.len() as u64) as usize];
            store.execute_raw_for_tests(change).await.unwrap();
        }
        let again = vec![referral(f.id, Some(f.cn), "Q-0", "2025-01-01T00:00:00Z")];
        store
            .insert_package(&again, &actor(&f.inv_cn))
            .await
            .unwrap();
        let drift = store.referral_counts_drift().await.unwrap();
        assert!(drift.is_empty(), "after round {round}: {drift:?}");
    }
    let unrouted = ReferralFilter {
        unrouted_only: true,
        ..filter(QueueScope::Force(f.id), false)
    };
    let kept: i64 = store
        .count_by_status(&unrouted)
        .await
        .unwrap()
        .iter()
        .map(|(_, n)| n)
        .sum();
    let mut cursor = None;
    let mut listed = 0i64;
    loop {
        let page = store
            .list_referrals(&ReferralFilter {
                cursor: cursor.clone(),
                limit: 500,
                ..unrouted.clone()
            })
            .await
            .unwrap();
        listed += page.items.len() as i64;
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    assert_eq!(kept, listed, "the central queue's count is its length");
}

crate::stories!(
    the_queue_is_read_from_its_index_a_page_at_a_time_at_ten_thousand_referrals,
    the_counts_per_status_stay_exact_under_inserts_moves_and_changes_of_status,
);
