//! Outcomes and their approval: nobody approves their own proposal or signs off their own assessment,
//! outcome 21 needs a named suspect and the victim told, and a code that disagrees with the suspect is
//! warned about.

use crate::harness::App;
use crate::stories;
use crate::triage::{allocated_referral, lowest_answers, post_xml, report_xml};
use reqwest::StatusCode;
use serde_json::json;

async fn worked_referral(app: &App, report_id: &str) -> String {
    allocated_referral(app, report_id).await.0
}

async fn a_sergeants_own_proposal_is_decided_by_another_supervisor_never_by_themself(app: App) {
    let id = worked_referral(&app, "O-1").await;
    let base = format!("/api/v1/referrals/{id}");
    let sup = app.token("sup.cn").await;
    let (s, r) = app
        .post(
            &sup,
            &format!("{base}/outcome"),
            json!({"code": "18", "rationale": "Investigation complete", "version": 3}),
        )
        .await;
    assert_eq!(
        (s, r["status"].as_str()),
        (StatusCode::OK, Some("outcome_proposed"))
    );
    let (s, e) = app
        .post(
            &sup,
            &format!("{base}/outcome/decision"),
            json!({"approve": true, "version": 4}),
        )
        .await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("referral.own_decision")
        )
    );
    let lead = app.token("lead.cn").await;
    let (s, r) = app
        .post(
            &lead,
            &format!("{base}/outcome/decision"),
            json!({"approve": true, "version": 4}),
        )
        .await;
    assert_eq!(
        (s, r["status"].as_str()),
        (StatusCode::OK, Some("closed")),
        "{r}"
    );
}

async fn outcome_21_needs_a_named_suspect_and_the_victim_or_a_parent_told(app: App) {
    let id = worked_referral(&app, "O-2").await;
    let base = format!("/api/v1/referrals/{id}");
    let inv = app.token("inv.cn").await;
    let (s, e) = app
        .post(
            &inv,
            &format!("{base}/outcome"),
            json!({"code": "21", "rationale": "Not in the public interest", "version": 3}),
        )
        .await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("referral.code_21")),
        "{e}"
    );
    assert!(e["error"]["message"].as_str().unwrap().contains("informed"));
    let (s, r) = app
        .post(
            &inv,
            &format!("{base}/outcome"),
            json!({"code": "21", "rationale": "Not in the public interest", "version": 3,
                   "victim_informed": "parent_or_guardian"}),
        )
        .await;
    assert_eq!(
        (s, r["status"].as_str(), r["victim_informed"].as_str()),
        (
            StatusCode::OK,
            Some("outcome_proposed"),
            Some("parent_or_guardian")
        ),
        "{r}"
    );
    assert_eq!(r["warnings"], json!([]));
}

async fn a_code_meaning_no_suspect_is_warned_about_when_one_is_named(app: App) {
    let id = worked_referral(&app, "O-3").await;
    let inv = app.token("inv.cn").await;
    let (s, r) = app
        .post(
            &inv,
            &format!("/api/v1/referrals/{id}/outcome"),
            json!({"code": "14", "rationale": "Victim does not support", "version": 3}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        r["warnings"][0]
            .as_str()
            .unwrap()
            .contains("no suspect was identified"),
        "{r}"
    );
}

async fn a_supervisor_does_not_sign_off_an_assessment_they_completed(app: App) {
    let central = app.token("central").await;
    let (_, body) = post_xml(
        &app,
        &central,
        &report_xml("own@example.com", "2019-03-31T00:30:00-05:00"),
        "borough=Camden&report_id=O-4",
    )
    .await;
    let base = format!(
        "/api/v1/referrals/{}",
        body["imported"][0]["id"].as_str().unwrap()
    );
    let sup = app.token("sup.cn").await;
    let (_, inst) = app.get(&sup, &format!("{base}/instrument")).await;
    let answers = lowest_answers(&inst);
    let (s, r) = app
        .post(
            &sup,
            &format!("{base}/assessment"),
            json!({"answers": answers, "version": 1}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    let (s, e) = app
        .post(
            &sup,
            &format!("{base}/assessment/decision"),
            json!({"decision": "sign_off", "version": 2}),
        )
        .await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("referral.own_decision")
        )
    );
    let lead = app.token("lead.cn").await;
    let (s, _) = app
        .post(
            &lead,
            &format!("{base}/assessment/decision"),
            json!({"decision": "sign_off", "version": 2}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
}

stories!(
    a_sergeants_own_proposal_is_decided_by_another_supervisor_never_by_themself,
    outcome_21_needs_a_named_suspect_and_the_victim_or_a_parent_told,
    a_code_meaning_no_suspect_is_warned_about_when_one_is_named,
    a_supervisor_does_not_sign_off_an_assessment_they_completed,
);
