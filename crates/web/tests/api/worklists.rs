//! The work lists as their users see them: an investigator's "My work", a sergeant's "Team" (waiting sign-offs,
//! approvals, overdue reviews, allocation with each officer's caseload), and the central desk's escalated
//! unrouted referrals first with their count in the header.

use crate::harness::App;
use crate::stories;
use crate::triage::{allocated_referral, lowest_answers, post_xml, report_xml};
use domain::clocks::{Clock, ClockKind};
use reqwest::StatusCode;
use serde_json::json;

async fn page(app: &App, user: &str, path: &str) -> (StatusCode, String) {
    let res = app
        .browser(user)
        .await
        .get(app.url(path))
        .send()
        .await
        .unwrap();
    (res.status(), res.text().await.unwrap())
}

/// The part of a page from the heading with `id` to the next h2.
fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!(r#"<h2 id="{id}">"#))
        .unwrap_or_else(|| panic!("no #{id}: {html}"));
    let rest = &html[start + 5..];
    &html[start..start + 5 + rest.find("<h2").unwrap_or(rest.len())]
}

async fn an_investigators_work_lists_their_referrals_and_what_is_overdue_but_not_a_colleagues(
    app: App,
) {
    let (mine, _) = allocated_referral(&app, "MW-1").await;
    // A colleague's referral of the same BCU.
    let (theirs, base) = allocated_referral(&app, "MW-2").await;
    let sup = app.token("sup.cn").await;
    app.post(
        &sup,
        &format!("{base}/allocation"),
        json!({"officer": "inv.cn.2", "version": 3}),
    )
    .await;
    // A plan action of mine that fell due yesterday.
    let r = app
        .store
        .referral(mine.parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    let yesterday = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(30);
    let action = Clock::until(
        ClockKind::PlanAction,
        yesterday - jiff::SignedDuration::from_hours(1),
        yesterday,
    );
    app.store.start_clock(r.force, r.id, &action).await.unwrap();
    let (s, html) = page(&app, "inv.cn", "/work").await;
    assert_eq!(s, StatusCode::OK);
    let overdue = section(&html, "overdue");
    assert!(
        overdue.contains("MW-1") && overdue.contains("Plan action"),
        "{overdue}"
    );
    assert!(
        overdue.contains("First enforcement action"),
        "received in 2019, its enforcement is overdue"
    );
    let mine_list = section(&html, "mine");
    assert!(
        mine_list.contains("MW-1") && !mine_list.contains("MW-2"),
        "{mine_list}"
    );
    assert!(
        !html.contains(&theirs),
        "a colleague's referral is not on my list"
    );
    assert!(
        app.log_for("-")
            .await
            .iter()
            .any(|e| e.detail.starts_with("my work: listed 1 referrals"))
    );
    // The home page of an investigator is their work.
    let client = app.browser("inv.cn").await;
    let home = client.get(app.url("/")).send().await.unwrap();
    assert_eq!(home.url().path(), "/work");
}

async fn a_sergeants_team_shows_sign_offs_approvals_overdue_reviews_and_each_officers_caseload(
    app: App,
) {
    let central = app.token("central").await;
    let inv = app.token("inv.cn").await;
    let sup = app.token("sup.cn").await;
    // A referral awaiting allocation.
    let (_, body) = post_xml(
        &app,
        &central,
        &report_xml("t1@example.com", "2019-03-31T00:30:00-05:00"),
        "borough=Camden&report_id=T-1",
    )
    .await;
    let waiting = body["imported"][0]["id"].as_str().unwrap().to_string();
    app.post(
        &sup,
        &format!("/api/v1/referrals/{waiting}/risk"),
        json!({"level": "high", "reason": "r", "version": 1}),
    )
    .await;
    // An instrument completed by the investigator, awaiting sign-off.
    let (_, body) = post_xml(
        &app,
        &central,
        &report_xml("t2@example.com", "2019-03-31T00:30:00-05:00"),
        "borough=Camden&report_id=T-2",
    )
    .await;
    let signoff = body["imported"][0]["id"].as_str().unwrap().to_string();
    let (_, inst) = app
        .get(&inv, &format!("/api/v1/referrals/{signoff}/instrument"))
        .await;
    let (s, e) = app
        .post(
            &inv,
            &format!("/api/v1/referrals/{signoff}/assessment"),
            json!({"answers": lowest_answers(&inst), "version": 1}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{e}");
    // An outcome awaiting approval, and an overdue review.
    let (proposed, base) = allocated_referral(&app, "T-3").await;
    let (s, e) = app
        .post(
            &inv,
            &format!("{base}/outcome"),
            json!({"code": "16", "rationale": "Victim does not support", "version": 3}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{e}");
    let (late, _) = allocated_referral(&app, "T-4").await;
    let r = app
        .store
        .referral(late.parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    app.store
        .cancel_clocks(r.id, jiff::Timestamp::now())
        .await
        .unwrap();
    let old = Clock::start(
        ClockKind::SupervisionReview,
        "2026-01-05T09:00:00Z".parse().unwrap(),
        domain::TargetSpan::Days(28),
    );
    app.store.start_clock(r.force, r.id, &old).await.unwrap();

    let (s, html) = page(&app, "sup.cn", "/team").await;
    assert_eq!(s, StatusCode::OK, "{html}");
    assert!(section(&html, "allocation").contains("T-1"));
    assert!(section(&html, "sign-off").contains("T-2"));
    assert!(
        section(&html, "outcomes").contains("T-3"),
        "{}",
        section(&html, "outcomes")
    );
    let reviews = section(&html, "reviews");
    assert!(
        reviews.contains("T-4") && reviews.contains("Supervisory review"),
        "{reviews}"
    );
    // The allocation choice shows each officer's caseload and overdue clocks.
    let alloc = section(&html, "allocation");
    assert!(alloc.contains("Officer inv.cn — 2 open, "), "{alloc}");
    // Allocating from the list says to whom.
    let client = app.browser("sup.cn").await;
    let own = client
        .get(app.url("/team"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = crate::harness::hidden(&own, "csrf");
    let res = client
        .post(app.url("/team/allocate"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("referral", waiting.as_str()),
            ("version", "2"),
            ("officer", "inv.cn.2"),
        ])
        .send()
        .await
        .unwrap();
    let after = res.text().await.unwrap();
    assert!(after.contains("Allocated to Officer inv.cn.2."), "{after}");
    // Reading the team view is a logged consultation naming each referral it showed once: the one awaiting
    // allocation, the sign-off, the outcome and the overdue review (whose enforcement is overdue too).
    assert!(
        app.log_for("-")
            .await
            .iter()
            .any(|e| e.action == "consultation"
                && e.detail.starts_with("team work of cn: listed 4 referrals")),
        "{:?}",
        app.log_for("-").await
    );
    assert!(!section(&after, "allocation").contains("T-1"));
    let _ = proposed;
    // The list exports as CSV with the page's columns, as a logged disclosure with its recipient and purpose.
    let res = client.get(app.url("/team.csv")).send().await.unwrap();
    assert_eq!(
        res.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "who and why are asked"
    );
    let csv = client
        .get(app.url("/team.csv?recipient=DI%20Example&purpose=Team%20meeting"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        csv.starts_with("List,Referral,Clock,Due,Risk,Status or state,Allocated to\r\n"),
        "{csv}"
    );
    assert!(
        csv.contains("Outcome awaiting approval,NCA T-3") && csv.contains("Review overdue,NCA T-4"),
        "{csv}"
    );
    assert!(
        app.log_for("-").await.iter().any(
            |e| e.action == "disclosure" && e.detail.contains("to DI Example for Team meeting")
        ),
        "the export is a logged disclosure"
    );
    // An investigator has no team view; a BCU lead has the same for the BCU.
    let (s, _) = page(&app, "inv.cn", "/team").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, lead) = page(&app, "lead.cn", "/team").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        lead.contains("Outcomes awaiting approval: <strong>1</strong>"),
        "{lead}"
    );
}

async fn the_central_desk_sees_an_escalated_unrouted_referral_first_with_its_count_in_the_header(
    app: App,
) {
    let central = app.token("central").await;
    let xml = report_xml("esc@example.com", "2019-03-31T00:30:00-05:00").replace(
        "<incidentSummary>",
        "<incidentSummary><escalateToHighPriority>Child in immediate danger</escalateToHighPriority>",
    );
    let (s, body) = post_xml(&app, &central, &xml, "report_id=ESC-1").await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    let (s, html) = page(&app, "central", "/central").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("(1 escalated, unrouted)"),
        "the count is in the header: {html}"
    );
    let list = section(&html, "escalated");
    assert!(
        list.contains("ESC-1") && list.contains("Awaiting routing"),
        "{list}"
    );
    // Every page of the central desk carries the count.
    let (_, queue) = page(&app, "central", "/referrals").await;
    assert!(queue.contains("(1 escalated, unrouted)"));
    // Nobody else has the central desk's list.
    let (s, _) = page(&app, "sup.cn", "/central").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

async fn the_central_desk_chooses_a_bcus_team_view_and_allocating_from_it_comes_back_to_that_bcu(
    app: App,
) {
    let central = app.token("central").await;
    let sup = app.token("sup.cn").await;
    let (_, body) = post_xml(
        &app,
        &central,
        &report_xml("c1@example.com", "2019-03-31T00:30:00-05:00"),
        "borough=Camden&report_id=C-1",
    )
    .await;
    let waiting = body["imported"][0]["id"].as_str().unwrap().to_string();
    app.post(
        &sup,
        &format!("/api/v1/referrals/{waiting}/risk"),
        json!({"level": "high", "reason": "r", "version": 1}),
    )
    .await;
    // Without a BCU of their own, the central desk first chooses one.
    let (s, html) = page(&app, "central", "/team").await;
    assert_eq!(s, StatusCode::OK, "{html}");
    assert!(
        html.contains(r#"<a href="/team?bcu=cn">Central North</a>"#)
            && html.contains(r#"<a href="/team?bcu=cw">Central West</a>"#),
        "{html}"
    );
    assert!(
        html.contains(r#"<a href="/team">Teams</a>"#),
        "in the header"
    );
    let client = app.browser("central").await;
    let team = client
        .get(app.url("/team?bcu=cn"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(section(&team, "allocation").contains("C-1"), "{team}");
    let res = client
        .post(app.url("/team/allocate"))
        .form(&[
            ("csrf", crate::harness::hidden(&team, "csrf").as_str()),
            ("referral", waiting.as_str()),
            ("version", "2"),
            ("officer", "inv.cn"),
            ("bcu", crate::harness::hidden(&team, "bcu").as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.url().query().map(|q| q.starts_with("bcu=cn&")),
        Some(true)
    );
    let after = res.text().await.unwrap();
    assert!(
        after.contains("Team: Central North") && after.contains("Allocated to Officer inv.cn."),
        "{after}"
    );
    // An auditor chooses too; roles with neither a BCU nor a team view have no choice to make.
    let (s, html) = page(&app, "auditor", "/team").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains(r#"href="/team?bcu=cn""#));
    let (s, _) = page(&app, "oversight", "/team").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

async fn a_sergeants_team_shows_a_routed_referral_whose_risk_assessment_is_overdue_and_a_review_due_later_today(
    app: App,
) {
    let central = app.token("central").await;
    // Routed to Central North on import and never assessed: received in 2019, its risk assessment is overdue.
    let (s, body) = post_xml(
        &app,
        &central,
        &report_xml("ra@example.com", "2019-03-31T00:30:00-05:00"),
        "borough=Camden&report_id=RA-1&received_at=2019-04-01T09:00:00Z",
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    // An allocated referral whose supervisory review falls due later today (before London's midnight).
    let (today, _) = allocated_referral(&app, "RT-1").await;
    let r = app
        .store
        .referral(today.parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    let now = jiff::Timestamp::now();
    app.store.cancel_clocks(r.id, now).await.unwrap();
    let midnight = domain::time::in_london(now)
        .start_of_day()
        .unwrap()
        .checked_add(jiff::Span::new().days(1))
        .unwrap()
        .timestamp();
    let due = (now + jiff::SignedDuration::from_hours(1))
        .min(midnight - jiff::SignedDuration::from_secs(1));
    let review = Clock::until(
        ClockKind::SupervisionReview,
        now - jiff::SignedDuration::from_hours(24 * 27),
        due,
    );
    app.store.start_clock(r.force, r.id, &review).await.unwrap();

    let (s, html) = page(&app, "sup.cn", "/team").await;
    assert_eq!(s, StatusCode::OK, "{html}");
    let breaches = section(&html, "breaches");
    assert!(
        breaches.contains("RA-1") && breaches.contains("Risk assessment"),
        "an unallocated referral's overdue clock is a breach too: {breaches}"
    );
    let due_today = section(&html, "reviews-today");
    assert!(
        due_today.contains("RT-1") && due_today.contains("Supervisory review"),
        "{due_today}"
    );
    assert!(
        !section(&html, "reviews").contains("RT-1"),
        "not overdue yet"
    );
    assert!(html.contains("Reviews due today: <strong>1</strong>"));
}

stories!(
    an_investigators_work_lists_their_referrals_and_what_is_overdue_but_not_a_colleagues,
    a_sergeants_team_shows_sign_offs_approvals_overdue_reviews_and_each_officers_caseload,
    the_central_desk_sees_an_escalated_unrouted_referral_first_with_its_count_in_the_header,
    the_central_desk_chooses_a_bcus_team_view_and_allocating_from_it_comes_back_to_that_bcu,
    a_sergeants_team_shows_a_routed_referral_whose_risk_assessment_is_overdue_and_a_review_due_later_today,
);
