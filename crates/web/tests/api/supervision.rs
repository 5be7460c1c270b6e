//! Supervision through the API: allocation starts the review clock, a sergeant's review stops it and starts
//! the next, a late review needs a reason code, a supervisor pauses and resumes a review clock, closing ends
//! the clocks and reopening starts one again.

use crate::harness::App;
use crate::stories;
use crate::triage::allocated_referral;
use domain::clocks::{Clock, ClockKind};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn allocated(app: &App, report_id: &str) -> (String, String) {
    allocated_referral(app, report_id).await
}

fn review_clocks(clocks: &Value) -> Vec<&Value> {
    clocks["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "supervision_review")
        .collect()
}

async fn allocation_starts_a_review_due_28_days_later_and_a_review_starts_the_next(app: App) {
    let (_, base) = allocated(&app, "S-1").await;
    let sup = app.token("sup.cn").await;
    let (_, clocks) = app.get(&sup, &format!("{base}/clocks")).await;
    let first = review_clocks(&clocks);
    assert_eq!(first.len(), 1, "{clocks}");
    assert_eq!(first[0]["state"], "on_time");
    let started: jiff::Timestamp = first[0]["started_at"].as_str().unwrap().parse().unwrap();
    let due: jiff::Timestamp = first[0]["due_at"].as_str().unwrap().parse().unwrap();
    let days = (due.as_second() - started.as_second()) / 3600 / 24;
    assert!((27..=28).contains(&days), "28 London days: {days}");

    let inv = app.token("inv.cn").await;
    let review = json!({"progress": "Devices seized and submitted", "risk_still_right": true,
                        "next_steps": "Chase the forensic return"});
    let (s, _) = app
        .post(&inv, &format!("{base}/reviews"), review.clone())
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "an investigator does not review");
    let (s, e) = app
        .post(
            &sup,
            &format!("{base}/reviews"),
            json!({"progress": " ", "risk_still_right": true, "next_steps": "x"}),
        )
        .await;
    assert_eq!(
        (s, e["error"]["location"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("progress"))
    );
    let long = "x".repeat(app::supervision::MAX_REVIEW_TEXT + 1);
    let (s, e) = app
        .post(
            &sup,
            &format!("{base}/reviews"),
            json!({"progress": long, "risk_still_right": true, "next_steps": "x"}),
        )
        .await;
    assert_eq!(
        (s, e["error"]["location"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("progress")),
        "a review field is at most 10,000 characters"
    );
    let (s, clocks) = app.post(&sup, &format!("{base}/reviews"), review).await;
    assert_eq!(s, StatusCode::CREATED, "{clocks}");
    let both = review_clocks(&clocks);
    assert_eq!(
        (both[0]["state"].as_str(), both[1]["state"].as_str()),
        (Some("met"), Some("on_time")),
        "{clocks}"
    );
    let (_, decisions) = app.get(&inv, &format!("{base}/decisions")).await;
    let kinds: Vec<&str> = decisions["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["allocated", "supervision_review"],
        "the decision log lists the allocation and the review, not the receipt or the risk level recorded"
    );
    let (_, reviews) = app.get(&inv, &format!("{base}/reviews")).await;
    assert_eq!(
        reviews["items"][0]["next_steps"],
        "Chase the forensic return"
    );
    assert_eq!(reviews["items"][0]["by"], "Officer sup.cn");
}

async fn a_late_review_needs_a_reason_code_from_the_forces_list(app: App) {
    let (id, base) = allocated(&app, "S-2").await;
    // A review clock that fell due long ago, as for a referral allocated months back.
    let r = app
        .store
        .referral(id.parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    app.store
        .cancel_clocks(r.id, jiff::Timestamp::now())
        .await
        .unwrap();
    let long_ago: jiff::Timestamp = "2026-01-05T09:00:00Z".parse().unwrap();
    let old = Clock::start(
        ClockKind::SupervisionReview,
        long_ago,
        domain::TargetSpan::Days(28),
    );
    app.store.start_clock(r.force, r.id, &old).await.unwrap();
    let sup = app.token("sup.cn").await;
    let (_, clocks) = app.get(&sup, &format!("{base}/clocks")).await;
    assert_eq!(review_clocks(&clocks)[0]["state"], "overdue");
    let review = json!({"progress": "p", "risk_still_right": false, "next_steps": "n"});
    let (s, e) = app
        .post(&sup, &format!("{base}/reviews"), review.clone())
        .await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("clock.late_reason"))
    );
    let mut with_unknown = review.clone();
    with_unknown["late_reason"] = json!({"code": "too_busy"});
    let (s, _) = app
        .post(&sup, &format!("{base}/reviews"), with_unknown)
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let mut late = review;
    late["late_reason"] = json!({"code": "officer_unavailable", "text": "Sergeant on leave"});
    let (s, clocks) = app.post(&sup, &format!("{base}/reviews"), late).await;
    assert_eq!(s, StatusCode::CREATED, "{clocks}");
    let old = review_clocks(&clocks)[0];
    assert_eq!(
        (old["state"].as_str(), old["late_code"].as_str()),
        (Some("missed"), Some("officer_unavailable"))
    );
}

async fn a_supervisor_pauses_a_review_clock_with_a_reason_and_resumes_it(app: App) {
    let (_, base) = allocated(&app, "S-3").await;
    let sup = app.token("sup.cn").await;
    let (_, clocks) = app.get(&sup, &format!("{base}/clocks")).await;
    let id = review_clocks(&clocks)[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let inv = app.token("inv.cn").await;
    let (s, _) = app
        .post(
            &inv,
            &format!("{base}/clocks/{id}/pause"),
            json!({"reason": "x"}),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = app
        .post(
            &sup,
            &format!("{base}/clocks/{id}/pause"),
            json!({"reason": " "}),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a pause needs a reason"
    );
    let (s, c) = app
        .post(
            &sup,
            &format!("{base}/clocks/{id}/pause"),
            json!({"reason": "Victim in hospital"}),
        )
        .await;
    assert_eq!(
        (s, c["state"].as_str(), c["paused_because"].as_str()),
        (StatusCode::OK, Some("paused"), Some("Victim in hospital"))
    );
    let (s, _) = app
        .post(
            &sup,
            &format!("{base}/clocks/{id}/pause"),
            json!({"reason": "again"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "already paused");
    let (s, c) = app
        .post(&sup, &format!("{base}/clocks/{id}/resume"), json!({}))
        .await;
    assert_eq!(
        (s, c["state"].as_str()),
        (StatusCode::OK, Some("on_time")),
        "{c}"
    );
    let (_, t) = app.get(&sup, &format!("{base}/timeline")).await;
    let kinds: Vec<_> = t["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.ends_with(&["clock_paused", "clock_resumed"]),
        "{kinds:?}"
    );
}

async fn closing_ends_the_review_clocks_and_reopening_starts_one_again(app: App) {
    let (_, base) = allocated(&app, "S-4").await;
    let inv = app.token("inv.cn").await;
    let sup = app.token("sup.cn").await;
    let (s, r) = app
        .post(
            &inv,
            &format!("{base}/outcome"),
            json!({"code": "1", "rationale": "Charged", "version": 3}),
        )
        .await;
    assert_eq!(
        (s, r["status"].as_str()),
        (StatusCode::OK, Some("closed")),
        "{r}"
    );
    let (_, clocks) = app.get(&sup, &format!("{base}/clocks")).await;
    assert!(
        review_clocks(&clocks).is_empty(),
        "a closed referral has no running review: {clocks}"
    );
    let (s, _) = app
        .post(
            &sup,
            &format!("{base}/reopen"),
            json!({"reason": "New images", "version": 4}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (_, clocks) = app.get(&sup, &format!("{base}/clocks")).await;
    assert_eq!(review_clocks(&clocks).len(), 1, "{clocks}");
    assert_eq!(review_clocks(&clocks)[0]["state"], "on_time");
}

async fn a_referral_allocated_before_reviews_existed_gets_its_clock_at_start_up(app: App) {
    // An allocated referral whose review clock is gone, as for one allocated before reviews existed.
    let (id, base) = allocated(&app, "S-6").await;
    let rid: domain::ReferralId = id.parse().unwrap();
    for c in app.store.clocks(rid).await.unwrap() {
        if c.clock.kind == ClockKind::SupervisionReview {
            app.store
                .cancel_clock(&c.id, jiff::Timestamp::now())
                .await
                .unwrap();
        }
    }
    let sup = app.token("sup.cn").await;
    let (_, clocks) = app.get(&sup, &format!("{base}/clocks")).await;
    assert!(review_clocks(&clocks).is_empty(), "{clocks}");
    let a = app::App::new(app.store.clone(), app::Config::default());
    let started = app::supervision::ensure_review_clocks(&a).await.unwrap();
    assert!(started >= 1, "{started}");
    let (_, clocks) = app.get(&sup, &format!("{base}/clocks")).await;
    assert_eq!(review_clocks(&clocks).len(), 1, "{clocks}");
    assert_eq!(
        app::supervision::ensure_review_clocks(&a).await.unwrap(),
        0,
        "only once"
    );
}

async fn a_bail_return_date_is_a_clock_that_stops_when_the_person_returns(app: App) {
    let (_, base) = allocated(&app, "S-5").await;
    let inv = app.token("inv.cn").await;
    let (s, e) = app
        .post(
            &inv,
            &format!("{base}/return-dates"),
            json!({"kind": "bail", "return_on": "2001-01-01T09:00:00Z"}),
        )
        .await;
    assert_eq!(
        (s, e["error"]["location"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("return_on"))
    );
    let (s, c) = app
        .post(
            &inv,
            &format!("{base}/return-dates"),
            json!({"kind": "released_under_investigation", "return_on": "2099-03-01T10:00:00Z"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    assert_eq!(
        (
            c["kind"].as_str(),
            c["state"].as_str(),
            c["due_at"].as_str()
        ),
        (
            Some("bail_return"),
            Some("on_time"),
            Some("2099-03-01T10:00:00Z")
        )
    );
    assert_eq!(c["may_pause"], false, "a return date is not paused");
    let id = c["id"].as_str().unwrap();
    let (s, c) = app
        .post(&inv, &format!("{base}/clocks/{id}/returned"), json!({}))
        .await;
    assert_eq!(
        (s, c["state"].as_str()),
        (StatusCode::OK, Some("met")),
        "{c}"
    );
    let (s, _) = app
        .post(&inv, &format!("{base}/clocks/{id}/returned"), json!({}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "returned once");
    let (_, t) = app.get(&inv, &format!("{base}/timeline")).await;
    let text = t.to_string();
    assert!(
        text.contains("Release under investigation return date recorded")
            && text.contains("Return answered"),
        "{text}"
    );
}

async fn an_overdue_review_puts_its_referral_first_in_the_queue_as_its_headline(app: App) {
    let (first, _) = allocated(&app, "Q-1").await;
    let (second, _) = allocated(&app, "Q-2").await;
    let sup = app.token("sup.cn").await;
    let (_, queue) = app.get(&sup, "/api/v1/referrals").await;
    let item = |q: &Value, id: &str| {
        q["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .cloned()
            .unwrap()
    };
    // Both were received in 2019: their enforcement clocks are their headline, long overdue.
    assert_eq!(
        item(&queue, &second)["headline_clock"],
        "enforcement",
        "{queue}"
    );
    assert_eq!(
        item(&queue, &second)["headline_due_at"],
        item(&queue, &second)["due_at"]
    );
    // A review of the second that fell due before either enforcement target becomes its headline.
    let r = app
        .store
        .referral(second.parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    app.store
        .cancel_clocks(r.id, jiff::Timestamp::now())
        .await
        .unwrap();
    let long_ago: jiff::Timestamp = "2018-01-02T09:00:00Z".parse().unwrap();
    let old = Clock::start(
        ClockKind::SupervisionReview,
        long_ago,
        domain::TargetSpan::Days(28),
    );
    app.store.start_clock(r.force, r.id, &old).await.unwrap();
    let (_, queue) = app.get(&sup, "/api/v1/referrals").await;
    let ids: Vec<&str> = queue["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .filter(|id| *id == first || *id == second)
        .collect();
    assert_eq!(ids, [second.as_str(), first.as_str()], "{queue}");
    let head = item(&queue, &second);
    assert_eq!(
        (
            head["headline_clock"].as_str(),
            head["headline_due_at"].as_str()
        ),
        (Some("supervision_review"), Some("2018-01-30T09:00:00Z"))
    );
    // The queue page says which clock is due.
    let page = app.page_as("sup.cn", "/referrals").await;
    assert!(page.contains("Supervisory review: "), "{page}");
}

async fn late_clocks_are_counted_by_reason_code_for_oversight_small_counts_hidden_and_words_never_shown(
    app: App,
) {
    let (id, _) = allocated(&app, "L-1").await;
    let r = app
        .store
        .referral(id.parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    let by = app.actor("sup.cn").await;
    let codes = domain::clocks::default_late_reasons();
    let start: jiff::Timestamp = "2026-01-05T09:00:00Z".parse().unwrap();
    let due: jiff::Timestamp = "2026-01-06T09:00:00Z".parse().unwrap();
    let late: jiff::Timestamp = "2026-01-09T09:00:00Z".parse().unwrap();
    for (code, n) in [("workload", 6), ("awaiting_forensics", 5), ("other", 1)] {
        for _ in 0..n {
            let mut c = Clock::until(ClockKind::PlanAction, start, due);
            let id = app.store.start_clock(r.force, r.id, &c).await.unwrap();
            let reason = domain::clocks::LateReason {
                code: code.into(),
                text: "DC Example was off sick".into(),
            };
            c.stop(late, Some(reason), &codes).unwrap();
            app.store
                .stop_clock_step(r.force, r.id, &id, &c, "Plan action done late".into(), &by)
                .await
                .unwrap();
        }
    }
    let oversight = app.token("oversight").await;
    let (s, stats) = app.get(&oversight, "/api/v1/stats").await;
    assert_eq!(s, StatusCode::OK, "{stats}");
    let count = |code: &str| {
        stats["late_reasons"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["code"] == code)
            .unwrap()["count"]
            .clone()
    };
    assert_eq!(count("workload"), json!(6));
    assert_eq!(count("other"), Value::Null, "1 is small");
    assert_eq!(
        count("awaiting_forensics"),
        Value::Null,
        "5, the next smallest, hides it from the total"
    );
    assert_eq!(count("officer_unavailable"), json!(0));
    assert_eq!(stats["late_total"], json!(12));
    assert!(
        !stats.to_string().contains("off sick"),
        "the words are never counted"
    );
    let page = app.page_as("oversight", "/oversight").await;
    assert!(
        page.contains("Clocks stopped late, by reason")
            && page.contains("Demand: other urgent work came first")
            && !page.contains("off sick"),
        "{page}"
    );
}

stories!(
    late_clocks_are_counted_by_reason_code_for_oversight_small_counts_hidden_and_words_never_shown,
    an_overdue_review_puts_its_referral_first_in_the_queue_as_its_headline,
    a_bail_return_date_is_a_clock_that_stops_when_the_person_returns,
    allocation_starts_a_review_due_28_days_later_and_a_review_starts_the_next,
    a_late_review_needs_a_reason_code_from_the_forces_list,
    a_supervisor_pauses_a_review_clock_with_a_reason_and_resumes_it,
    closing_ends_the_review_clocks_and_reopening_starts_one_again,
    a_referral_allocated_before_reviews_existed_gets_its_clock_at_start_up,
);
