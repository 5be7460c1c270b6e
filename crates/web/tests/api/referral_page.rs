//! The referral page as officers use it: the next step first, refused forms kept as typed, steps confirmed
//! before they close a referral or make it overdue at once, the sergeant's sign-off with every answer, and
//! routing that lists each BCU's boroughs.

use crate::harness::{App, hidden};
use crate::stories;
use crate::triage::{lowest_answers, post_xml, report_xml};
use reqwest::StatusCode;
use serde_json::json;

/// A referral received in 2019 (every enforcement target long past), unrouted or in Camden.
async fn received(app: &App, report_id: &str, borough: Option<&str>) -> String {
    let central = app.token("central").await;
    let borough = borough.map(|b| format!("borough={b}&")).unwrap_or_default();
    let (_, body) = post_xml(
        app,
        &central,
        &report_xml(
            &format!("{report_id}@example.com"),
            "2019-03-31T00:30:00-05:00",
        ),
        &format!("{borough}report_id={report_id}&received_at=2019-04-01T09:00:00Z"),
    )
    .await;
    body["imported"][0]["id"].as_str().unwrap().to_string()
}

/// The page's HTML and a client signed in as `user`.
async fn open(app: &App, user: &str, id: &str) -> (reqwest::Client, String) {
    let client = app.browser(user).await;
    let html = client
        .get(app.url(&format!("/referrals/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    (client, html)
}

async fn post(
    app: &App,
    client: &reqwest::Client,
    id: &str,
    step: &str,
    form: &[(&str, &str)],
) -> (StatusCode, String) {
    let res = client
        .post(app.url(&format!("/referrals/{id}/{step}")))
        .form(form)
        .send()
        .await
        .unwrap();
    (res.status(), res.text().await.unwrap())
}

async fn a_refused_step_comes_back_as_typed_with_its_error_linked_to_the_field(app: App) {
    let id = received(&app, "P-1", Some("Camden")).await;
    let (client, html) = open(&app, "sup.cn", &id).await;
    let csrf = hidden(&html, "csrf");
    // A level with no reason: refused, the level still chosen, the error linked to the reason.
    let (s, page) = post(
        &app,
        &client,
        &id,
        "risk",
        &[
            ("csrf", &csrf),
            ("version", "1"),
            ("level", "high"),
            ("reason", " "),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("There is a problem"), "{page}");
    assert!(
        page.contains(r##"<a href="#reason">"##),
        "the error links to the reason: {page}"
    );
    assert!(
        page.contains(r#"id="reason-error""#),
        "and stands beside it"
    );
    assert!(
        page.contains(r#"id="level-high" value="high" required checked"#),
        "the level chosen is still chosen"
    );
}

async fn the_next_step_panel_holds_the_instrument_until_a_level_and_then_the_steps_of_the_role(
    app: App,
) {
    let id = received(&app, "P-2", Some("Camden")).await;
    let (_, html) = open(&app, "inv.cn", &id).await;
    let next = html.find("Next step").unwrap();
    let instrument = html.find("Complete the risk instrument").unwrap();
    let details = html.find(r#"id="details""#).unwrap();
    assert!(
        next < instrument && instrument < details,
        "the instrument is the next step"
    );
    // Yes/no questions are fieldsets whose legend is the question.
    assert!(
        html.contains(r#"<fieldset class="question" id="q.escalated""#),
        "{html}"
    );
    assert!(html.contains("<legend>"));
    // An auditor may do nothing: the panel says what the referral waits for.
    let (_, html) = open(&app, "auditor", &id).await;
    assert!(html.contains("Awaiting a risk level."), "{html}");
}

async fn the_sergeant_signs_off_seeing_every_answer_and_an_override_says_what_the_instrument_gave(
    app: App,
) {
    let id = received(&app, "P-3", Some("Camden")).await;
    let inv = app.token("inv.cn").await;
    let base = format!("/api/v1/referrals/{id}");
    let (_, inst) = app.get(&inv, &format!("{base}/instrument")).await;
    let (s, r) = app
        .post(
            &inv,
            &format!("{base}/assessment"),
            json!({"answers": lowest_answers(&inst), "version": 1}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    let (_, html) = open(&app, "sup.cn", &id).await;
    let panel = &html[html.find("Next step").unwrap()..html.find(r#"id="details""#).unwrap()];
    assert!(panel.contains("Every answer (read-only)"), "{panel}");
    assert!(
        panel.contains("Pre-filled from the sender") || panel.contains("Pre-filled from a victim"),
        "pre-filled answers are marked: {panel}"
    );
    assert!(
        panel.contains("Why the instrument gave this level"),
        "the instrument's reasons are shown"
    );
    assert!(!panel.contains("prior_referrals"), "no ids: {panel}");
}

async fn closing_asks_for_confirmation_and_going_back_keeps_what_was_typed(app: App) {
    let id = received(&app, "P-4", Some("Camden")).await;
    let sup = app.token("sup.cn").await;
    let base = format!("/api/v1/referrals/{id}");
    app.post(
        &sup,
        &format!("{base}/risk"),
        json!({"level": "medium", "reason": "r", "version": 1}),
    )
    .await;
    app.post(
        &sup,
        &format!("{base}/allocation"),
        json!({"officer": "inv.cn", "version": 2}),
    )
    .await;
    let (client, html) = open(&app, "inv.cn", &id).await;
    let csrf = hidden(&html, "csrf");
    let form = [
        ("csrf", csrf.as_str()),
        ("version", "3"),
        ("code", "1"),
        ("rationale", "Charged with three offences"),
    ];
    let (s, page) = post(&app, &client, &id, "outcome", &form).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("<h1>Close the referral</h1>"), "{page}");
    assert!(page.contains("Only a supervisor can reopen"));
    let r = app
        .store
        .referral(id.parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        r.status,
        domain::Status::Allocated,
        "nothing is closed before the confirmation"
    );
    // No, go back: the referral page with the outcome as typed.
    let mut back = form.to_vec();
    back.push(("back", "yes"));
    let (_, page) = post(&app, &client, &id, "outcome", &back).await;
    assert!(
        page.contains("Charged with three offences</textarea>"),
        "{page}"
    );
    // Yes: it closes.
    let mut yes = form.to_vec();
    yes.push(("confirmed", "yes"));
    let res = client
        .post(app.url(&format!("/referrals/{id}/outcome")))
        .form(&yes)
        .send()
        .await
        .unwrap();
    assert!(
        res.url().query().unwrap_or("").contains("done="),
        "{}",
        res.url()
    );
    let r = app
        .store
        .referral(id.parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(r.status, domain::Status::Closed);
}

async fn a_level_whose_target_has_passed_says_by_how_much_and_is_confirmed_first(app: App) {
    let id = received(&app, "P-5", Some("Camden")).await;
    let (client, html) = open(&app, "sup.cn", &id).await;
    let csrf = hidden(&html, "csrf");
    let form = [
        ("csrf", csrf.as_str()),
        ("version", "1"),
        ("level", "high"),
        ("reason", "Suspect has access to children"),
    ];
    let (_, page) = post(&app, &client, &id, "risk", &form).await;
    assert!(
        page.contains("Record High: the referral will be overdue at once"),
        "{page}"
    );
    assert!(
        page.contains("ago, so the referral will show as overdue"),
        "{page}"
    );
    let r = app
        .store
        .referral(id.parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        r.risk_level, None,
        "nothing recorded before the confirmation"
    );
    let mut yes = form.to_vec();
    yes.push(("confirmed", "yes"));
    post(&app, &client, &id, "risk", &yes).await;
    let r = app
        .store
        .referral(id.parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(r.risk_level, Some(domain::RiskLevel::High));
}

async fn the_central_desk_routes_an_unrouted_referral_choosing_from_bcus_with_their_boroughs(
    app: App,
) {
    let id = received(&app, "P-6", None).await;
    let (_, html) = open(&app, "central", &id).await;
    assert!(
        html.contains("Awaiting routing"),
        "an unrouted referral awaits routing"
    );
    assert!(!html.contains("Awaiting allocation"));
    let panel = &html[html.find("Next step").unwrap()..html.find(r#"id="details""#).unwrap()];
    assert!(
        panel.contains("Central North (Camden, Islington)"),
        "each BCU is listed with its boroughs: {panel}"
    );
}

stories!(
    a_refused_step_comes_back_as_typed_with_its_error_linked_to_the_field,
    the_next_step_panel_holds_the_instrument_until_a_level_and_then_the_steps_of_the_role,
    the_sergeant_signs_off_seeing_every_answer_and_an_override_says_what_the_instrument_gave,
    closing_asks_for_confirmation_and_going_back_keeps_what_was_typed,
    a_level_whose_target_has_passed_says_by_how_much_and_is_confirmed_first,
    the_central_desk_routes_an_unrouted_referral_choosing_from_bcus_with_their_boroughs,
);
