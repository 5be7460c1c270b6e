//! The queue as its users search and filter it: counts by status, filters that each narrow the list, a search
//! by a differently-cased email (logged, and never reaching past the caller's scope), paging forwards and back,
//! referrals waiting only for an outcome decision listed apart, and the CSV export (the page's columns only,
//! formula cells escaped, logged as a disclosure with its recipient and purpose).

use crate::harness::App;
use crate::linking::{import, report, with_email};
use crate::stories;
use crate::triage::allocated_referral;
use reqwest::StatusCode;
use serde_json::{Value, json};

fn ids(v: &Value) -> Vec<String> {
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["report_id"].as_str().unwrap().to_string())
        .collect()
}

async fn the_api_filters_counts_and_searches_the_queue_within_the_callers_scope(app: App) {
    let first = import(
        &app,
        "QS-1",
        "Camden",
        report(&with_email("Found.Me@Example.com"), ""),
    )
    .await;
    import(
        &app,
        "QS-2",
        "Camden",
        report(&with_email("other@example.com"), ""),
    )
    .await;
    let (_, base) = allocated_referral(&app, "QS-3").await;
    let sup = app.token("sup.cn").await;
    let inv = app.token("inv.cn").await;
    // Search: a differently-cased email finds the referral, and the search is logged with its term.
    let (s, found) = app
        .get(&inv, "/api/v1/referrals?q=found.me%40EXAMPLE.COM")
        .await;
    assert_eq!(s, StatusCode::OK, "{found}");
    assert_eq!(ids(&found), ["QS-1"]);
    assert!(
        app.log_for("-")
            .await
            .iter()
            .any(|e| e.detail.contains("searched for \"found.me@EXAMPLE.COM\"")),
        "the search is a logged consultation"
    );
    // By reference, any case.
    let (_, by_ref) = app.get(&inv, "/api/v1/referrals?q=qs-2").await;
    assert_eq!(ids(&by_ref), ["QS-2"]);
    // Another BCU's officer finds nothing, with no hint that it exists.
    let other = app.token("inv.cw").await;
    let (s, none) = app
        .get(&other, "/api/v1/referrals?q=found.me%40example.com")
        .await;
    assert_eq!((s, ids(&none).len()), (StatusCode::OK, 0));
    // Filters: officer, risk level, overdue, escalated; counts by status beside them.
    let (_, mine) = app.get(&sup, "/api/v1/referrals?officer=inv.cn").await;
    assert_eq!(ids(&mine), ["QS-3"]);
    let (_, medium) = app.get(&sup, "/api/v1/referrals?risk_level=medium").await;
    assert!(
        ids(&medium).contains(&"QS-3".to_string()) && !ids(&medium).contains(&"QS-1".to_string())
    );
    let (_, overdue) = app
        .get(&sup, "/api/v1/referrals?overdue=true&status=open")
        .await;
    assert!(
        ids(&overdue).contains(&"QS-3".to_string()),
        "received in 2019: overdue"
    );
    let (_, escalated) = app.get(&sup, "/api/v1/referrals?escalated=true").await;
    assert!(ids(&escalated).is_empty(), "{escalated}");
    let (_, all) = app.get(&sup, "/api/v1/referrals?status=open").await;
    assert!(
        all["counts"]["allocated"].as_i64().unwrap() >= 1,
        "{}",
        all["counts"]
    );
    assert!(all["counts"]["new"].as_i64().unwrap() >= 2);
    let (s, e) = app.get(&sup, "/api/v1/referrals?officer=nobody").await;
    assert_eq!(
        (s, e["error"]["location"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("officer"))
    );
    let (s, e) = app
        .get(&sup, &format!("/api/v1/referrals?q={}", "x".repeat(321)))
        .await;
    assert_eq!(
        (s, e["error"]["location"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("q"))
    );
    let _ = (first, base);
}

async fn paging_forwards_then_back_returns_the_same_pages(app: App) {
    for i in 0..5 {
        import(
            &app,
            &format!("PG-{i}"),
            "Camden",
            report(&with_email(&format!("pg{i}@example.com")), ""),
        )
        .await;
    }
    let sup = app.token("sup.cn").await;
    let mut pages = vec![];
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/referrals?limit=2&cursor={c}"),
            None => "/api/v1/referrals?limit=2".to_string(),
        };
        let (_, page) = app.get(&sup, &path).await;
        pages.push(page.clone());
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    assert!(pages.len() >= 3, "{} pages", pages.len());
    assert!(
        pages[0]["prev_cursor"].is_null(),
        "the first page has no previous one"
    );
    // Back from the last page, one page at a time, to the first.
    for n in (1..pages.len()).rev() {
        let prev = pages[n]["prev_cursor"]
            .as_str()
            .expect("a page after the first has a previous one");
        let (_, back) = app
            .get(&sup, &format!("/api/v1/referrals?limit=2&cursor={prev}"))
            .await;
        assert_eq!(ids(&back), ids(&pages[n - 1]), "page {n} back");
    }
}

async fn the_queue_page_lists_outcomes_awaiting_a_decision_apart_and_exports_its_columns_as_csv(
    app: App,
) {
    let (_, base) = allocated_referral(&app, "QP-1").await;
    let inv = app.token("inv.cn").await;
    app.post(
        &inv,
        &format!("{base}/outcome"),
        json!({"code": "16", "rationale": "r", "version": 3}),
    )
    .await;
    allocated_referral(&app, "QP-2").await;
    let client = app.browser("sup.cn").await;
    let html = client
        .get(app.url("/referrals"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let needing = &html[html.find(r#"<h2 id="needs-action">"#).unwrap()
        ..html.find(r#"<h2 id="waiting">"#).unwrap()];
    let waiting = &html[html.find(r#"<h2 id="waiting">"#).unwrap()..];
    assert!(
        needing.contains("QP-2") && !needing.contains("QP-1"),
        "{needing}"
    );
    assert!(waiting.contains("QP-1"), "{waiting}");
    assert!(
        html.contains("Outcome awaiting approval: <strong>1</strong>"),
        "counts by status"
    );
    // Export: refused without a recipient and purpose; with them, the page's columns and a disclosure.
    let res = client
        .get(app.url("/referrals.csv?show=open"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = client
        .get(app.url("/referrals.csv?show=open&recipient=DS%20Review%20Team&purpose=Weekly%20caseload%20review"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let csv = res.text().await.unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("Due,Clock,Risk,Referral,BCU,Status,Allocated to")
    );
    assert!(
        csv.contains("NCA QP-1") && csv.contains("NCA QP-2"),
        "{csv}"
    );
    assert!(
        !csv.contains("@example.com") && !csv.contains("Narrative"),
        "no identifiers or narrative: {csv}"
    );
    assert!(
        app.log_for("-")
            .await
            .iter()
            .any(|e| e.action == "disclosure"
                && e.detail
                    .contains("to DS Review Team for Weekly caseload review")),
        "the export is a logged disclosure"
    );
}

stories!(
    the_api_filters_counts_and_searches_the_queue_within_the_callers_scope,
    paging_forwards_then_back_returns_the_same_pages,
    the_queue_page_lists_outcomes_awaiting_a_decision_apart_and_exports_its_columns_as_csv,
);
