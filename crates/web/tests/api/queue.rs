//! The queue as its users search and filter it: counts by status, filters that each narrow the list, a search
//! by a differently-cased email (logged, and never reaching past the caller's scope), paging forwards and back,
//! referrals waiting only for an outcome decision listed apart, and the CSV export (the page's columns only,
//! formula cells escaped, logged as a disclosure with its recipient and purpose).

use crate::harness::App;
use crate::linking::{import, report, with_email};
use crate::stories;
use crate::triage::{allocated_referral, post_xml};
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

async fn a_search_by_a_differently_cased_email_finds_the_referral_only_within_the_callers_scope_and_is_logged(
    app: App,
) {
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
    let sup = app.token("sup.cn").await;
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
    let _ = first;
}

/// A bare report, escalated by its sender when `escalated`.
fn report_escalated(email: &str, escalated: bool) -> String {
    format!(
        "<report><incidentSummary><incidentType>Child Sex Tourism</incidentType>{}\
         <incidentDateTime>2026-01-01T10:00:00Z</incidentDateTime></incidentSummary>\
         <personOrUserReported>{}</personOrUserReported></report>",
        if escalated {
            "<escalateToHighPriority>Sender escalated</escalateToHighPriority>"
        } else {
            ""
        },
        with_email(email)
    )
}

/// How many of a page's items have each status.
fn histogram(v: &Value) -> std::collections::BTreeMap<String, i64> {
    let mut h = std::collections::BTreeMap::new();
    for r in v["items"].as_array().unwrap() {
        *h.entry(r["status"].as_str().unwrap().to_string())
            .or_insert(0) += 1;
    }
    h
}

async fn each_filter_narrows_the_queue_and_the_counts_by_status_follow_the_filters(app: App) {
    import(
        &app,
        "QF-NEW",
        "Camden",
        report_escalated("qf-new@example.com", false),
    )
    .await;
    import(
        &app,
        "QF-ESC",
        "Camden",
        report_escalated("qf-esc@example.com", true),
    )
    .await;
    allocated_referral(&app, "QF-ALLOC").await;
    let sup = app.token("sup.cn").await;
    // Each filter keeps the referral it is about and leaves out one it is not.
    for (query, kept, left_out) in [
        ("status=allocated", "QF-ALLOC", "QF-NEW"),
        ("status=new", "QF-NEW", "QF-ALLOC"),
        ("risk_level=medium", "QF-ALLOC", "QF-NEW"),
        ("officer=inv.cn", "QF-ALLOC", "QF-NEW"),
        ("overdue=true", "QF-ALLOC", "QF-NEW"),
        ("escalated=true", "QF-ESC", "QF-NEW"),
        ("escalated=true&status=open", "QF-ESC", "QF-ALLOC"),
    ] {
        let (s, page) = app
            .get(&sup, &format!("/api/v1/referrals?limit=500&{query}"))
            .await;
        assert_eq!(s, StatusCode::OK, "{query}: {page}");
        let found = ids(&page);
        assert!(
            found.iter().any(|r| r == kept) && !found.iter().any(|r| r == left_out),
            "{query} keeps {kept} and leaves out {left_out}: {found:?}"
        );
    }
    let (_, everything) = app.get(&sup, "/api/v1/referrals?limit=500").await;
    assert!(
        ids(&everything).len()
            > ids(&app
                .get(&sup, "/api/v1/referrals?limit=500&escalated=true")
                .await
                .1)
            .len(),
        "without filters, more referrals"
    );
    // Counts by status: every referral the other filters match, whatever the status asked for.
    for filters in [
        "",
        "escalated=true",
        "risk_level=medium",
        "officer=inv.cn",
        "q=qf-new",
    ] {
        let (_, all) = app
            .get(&sup, &format!("/api/v1/referrals?limit=500&{filters}"))
            .await;
        let counts: std::collections::BTreeMap<String, i64> =
            serde_json::from_value(all["counts"].clone()).unwrap();
        assert_eq!(counts, histogram(&all), "counts with '{filters}'");
        let (_, only_new) = app
            .get(
                &sup,
                &format!("/api/v1/referrals?limit=500&status=new&{filters}"),
            )
            .await;
        assert_eq!(
            only_new["counts"], all["counts"],
            "the status asked for aside"
        );
    }
    let (_, escalated) = app.get(&sup, "/api/v1/referrals?escalated=true").await;
    assert_eq!(escalated["counts"], json!({"new": 1}));
    // A value that is not one is refused, naming its parameter.
    let (s, e) = app.get(&sup, "/api/v1/referrals?status=pending").await;
    assert_eq!(
        (s, e["error"]["location"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("status"))
    );
    for (query, parameter) in [
        ("risk_level=severe", "risk_level"),
        ("overdue=yes", "overdue"),
        ("escalated=1", "escalated"),
        ("unrouted=maybe", "unrouted"),
    ] {
        let (s, e) = app.get(&sup, &format!("/api/v1/referrals?{query}")).await;
        assert_eq!(
            (s, e["error"]["location"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some(parameter)),
            "{query}: {e}"
        );
    }
    // An officer of another BCU is refused as if there were no such officer.
    let (s1, e1) = app.get(&sup, "/api/v1/referrals?officer=inv.cw").await;
    let (s2, e2) = app.get(&sup, "/api/v1/referrals?officer=nobody").await;
    assert_eq!(s1, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        e1["error"]["message"]
            .as_str()
            .map(|m| m.replace("inv.cw", "nobody")),
        e2["error"]["message"].as_str().map(str::to_string),
        "no hint that inv.cw exists"
    );
    let _ = s2;
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
    // A sender whose name a spreadsheet would run as a formula.
    let central = app.token("central").await;
    let (s, _) = post_xml(
        &app,
        &central,
        &report_escalated("qp-3@example.com", false),
        "borough=Camden&report_id=QP-3&source=%3DHYPERLINK(%22http%3A%2F%2Fx%22)",
    )
    .await;
    assert_eq!(s, StatusCode::CREATED);
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
        .get(app.url("/referrals.csv?show=open&recipient=DS%20Review%20Team&purpose=%20"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a purpose too"
    );
    assert!(
        !app.log_for("-")
            .await
            .iter()
            .any(|e| e.action == "disclosure"),
        "a refused export discloses nothing"
    );
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
        Some("Due,Clock,Due at (London),Risk,Referral,Incident type,BCU,Status,Allocated to")
    );
    assert!(
        csv.contains("\"'=HYPERLINK(\"\"http://x\"\") QP-3\""),
        "the formula is escaped and quoted: {csv}"
    );
    assert!(
        csv.lines()
            .all(|l| !l.starts_with('=') && !l.contains(",=") && !l.contains(",\"=")),
        "no cell starts a formula: {csv}"
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
                    .contains("the referral queue (open) as CSV (4 rows) to DS Review Team for Weekly caseload review")
                && e.justification.as_deref() == Some("Weekly caseload review")),
        "the export is a logged disclosure"
    );
}

/// A server whose exports hold at most two rows, on each backend.
async fn with_exports_of_two(store: store::Store) -> App {
    let config = app::Config {
        export_max_rows: 2,
        ..Default::default()
    };
    crate::harness::spawn_with(store, config).await
}

async fn an_export_larger_than_the_limit_is_refused_until_the_filters_narrow_it(app: App) {
    import(
        &app,
        "QX-1",
        "Camden",
        report_escalated("qx-1@example.com", true),
    )
    .await;
    import(
        &app,
        "QX-2",
        "Camden",
        report_escalated("qx-2@example.com", false),
    )
    .await;
    let sup = app.token("sup.cn").await;
    let (_, all) = app.get(&sup, "/api/v1/referrals").await;
    assert!(ids(&all).len() > 2, "{all}");
    let who = "recipient=Inspection%20team&purpose=Case%20file%20audit";
    let client = app.browser("sup.cn").await;
    let res = client
        .get(app.url(&format!("/referrals.csv?show=all&{who}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("an export holds at most 2: narrow it with the filters"),
        "{page}"
    );
    let res = reqwest::Client::new()
        .get(app.url(&format!("/api/v1/referrals.csv?{who}")))
        .bearer_auth(&sup)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let e: Value = res.json().await.unwrap();
    assert_eq!(e["error"]["code"], "export.too_large", "{e}");
    assert!(
        !app.log_for("-")
            .await
            .iter()
            .any(|e| e.action == "disclosure"),
        "nothing disclosed"
    );
    // Narrowed by the filters, the same export goes.
    let res = reqwest::Client::new()
        .get(app.url(&format!("/api/v1/referrals.csv?escalated=true&{who}")))
        .bearer_auth(&sup)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let csv = res.text().await.unwrap();
    assert_eq!(csv.lines().count(), 2, "a header and QX-1: {csv}");
    assert!(
        csv.contains("\"Not assessed, escalated\",NCA QX-1,") && !csv.contains("QX-2"),
        "{csv}"
    );
    assert!(
        app.log_for("-").await.iter().any(|e| e.action == "disclosure"
            && e.detail.contains("(all statuses, escalated) as CSV (1 rows) to Inspection team for Case file audit")),
        "the API's export is a logged disclosure too"
    );
}

mod limited {
    use super::*;

    #[tokio::test]
    async fn an_export_larger_than_the_limit_is_refused_until_the_filters_narrow_it_sqlite() {
        an_export_larger_than_the_limit_is_refused_until_the_filters_narrow_it(
            with_exports_of_two(crate::harness::sqlite().await).await,
        )
        .await;
    }

    #[tokio::test]
    async fn an_export_larger_than_the_limit_is_refused_until_the_filters_narrow_it_postgres() {
        match crate::harness::postgres().await {
            Some(store) => {
                an_export_larger_than_the_limit_is_refused_until_the_filters_narrow_it(
                    with_exports_of_two(store).await,
                )
                .await
            }
            None => eprintln!("skipped: TEST_POSTGRES_URL is not set"),
        }
    }
}

stories!(
    a_search_by_a_differently_cased_email_finds_the_referral_only_within_the_callers_scope_and_is_logged,
    each_filter_narrows_the_queue_and_the_counts_by_status_follow_the_filters,
    paging_forwards_then_back_returns_the_same_pages,
    the_queue_page_lists_outcomes_awaiting_a_decision_apart_and_exports_its_columns_as_csv,
);
