//! The offence and the investigation plan through the API: allocation makes the plan of the suggested (or
//! confirmed) offence, actions waiting for the first enforcement get their due time when it happens, and
//! actions are completed, set aside with a reason, added, and paused by a supervisor.

use crate::harness::App;
use crate::stories;
use crate::triage::{post_xml, report_xml};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn received(app: &App, report_id: &str) -> String {
    let central = app.token("central").await;
    let (_, body) = post_xml(
        app,
        &central,
        &report_xml("plan@example.com", "2019-03-31T00:30:00-05:00"),
        &format!("borough=Camden&report_id={report_id}"),
    )
    .await;
    format!(
        "/api/v1/referrals/{}",
        body["imported"][0]["id"].as_str().unwrap()
    )
}

fn action<'a>(plan: &'a Value, title_part: &str) -> &'a Value {
    plan["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"].as_str().unwrap().contains(title_part))
        .unwrap_or_else(|| panic!("no action '{title_part}' in {plan}"))
}

async fn allocation_makes_the_plan_of_the_offence_and_enforcement_starts_the_actions_waiting_for_it(
    app: App,
) {
    let base = received(&app, "P-1").await;
    let sup = app.token("sup.cn").await;
    let inv = app.token("inv.cn").await;
    let (_, r) = app.get(&inv, &base).await;
    assert_eq!(
        (
            r["classification"]["offence"].as_str(),
            r["classification"]["confirmed"].as_bool()
        ),
        (Some("indecent_images"), Some(false)),
        "suggested by the incident type"
    );
    let (_, plan) = app.get(&inv, &format!("{base}/plan")).await;
    assert_eq!(plan["items"], json!([]), "no plan before allocation");
    app.post(
        &sup,
        &format!("{base}/risk"),
        json!({"level": "high", "reason": "r", "version": 1}),
    )
    .await;
    let (s, r) = app
        .post(
            &sup,
            &format!("{base}/offence"),
            json!({"offence": "indecent_images", "sextortion": true, "version": 2}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(
        (
            r["classification"]["confirmed"].as_bool(),
            r["classification"]["sextortion"].as_bool()
        ),
        (Some(true), Some(true))
    );
    app.post(
        &sup,
        &format!("{base}/allocation"),
        json!({"officer": "inv.cn", "version": 3}),
    )
    .await;
    let (_, plan) = app.get(&inv, &format!("{base}/plan")).await;
    let research = action(&plan, "Research the suspect");
    assert_eq!(
        (research["state"].as_str(), research["who"].as_str()),
        (Some("on_time"), Some("investigator"))
    );
    assert!(research["due_at"].is_string());
    let interview = action(&plan, "Interview the suspect");
    assert_eq!(
        interview["due_at"],
        Value::Null,
        "waits for the first enforcement: {interview}"
    );
    assert_eq!(action(&plan, "Grade the images")["who"], "forensics");
    let (s, _) = app
        .post(
            &inv,
            &format!("{base}/enforcement"),
            json!({"kind": "arrest", "notes": "Arrested", "version": 4}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (_, plan) = app.get(&inv, &format!("{base}/plan")).await;
    assert!(
        action(&plan, "Interview the suspect")["due_at"].is_string(),
        "{plan}"
    );
    assert_eq!(
        action(&plan, "Submit the seized devices")["due_at"],
        Value::Null,
        "a device seizure is recorded with exhibits, not yet"
    );
}

async fn an_investigator_completes_sets_aside_and_adds_actions_and_a_sergeant_pauses_one(app: App) {
    let base = received(&app, "P-2").await;
    let sup = app.token("sup.cn").await;
    let inv = app.token("inv.cn").await;
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
    let (_, plan) = app.get(&inv, &format!("{base}/plan")).await;
    let research = action(&plan, "Research the suspect")["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (s, plan) = app
        .post(
            &inv,
            &format!("{base}/plan/actions/{research}/complete"),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{plan}");
    let done = action(&plan, "Research the suspect");
    assert_eq!(
        (done["status"].as_str(), done["state"].as_str()),
        (Some("done"), Some("met"))
    );
    let (s, _) = app
        .post(
            &inv,
            &format!("{base}/plan/actions/{research}/complete"),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "done once");
    let warrant = action(&plan, "Plan the search")["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (s, _) = app
        .post(
            &inv,
            &format!("{base}/plan/actions/{warrant}/not-applicable"),
            json!({"reason": " "}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "a reason is needed");
    let (_, plan) = app
        .post(
            &inv,
            &format!("{base}/plan/actions/{warrant}/not-applicable"),
            json!({"reason": "Suspect attended a voluntary interview instead"}),
        )
        .await;
    assert_eq!(action(&plan, "Plan the search")["status"], "not_applicable");
    let (s, plan) = app
        .post(
            &inv,
            &format!("{base}/plan/actions"),
            json!({"title": "Check the second platform account", "who": "investigator", "due_at": "2099-01-01T09:00:00Z"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{plan}");
    let added = action(&plan, "second platform account");
    assert_eq!(
        (added["state"].as_str(), added["plan_version"].as_str()),
        (Some("on_time"), None)
    );
    let (s, _) = app
        .post(
            &inv,
            &format!("{base}/plan/actions"),
            json!({"title": "Too late", "who": "investigator", "due_at": "2001-01-01T09:00:00Z"}),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a due time in the past"
    );
    let clock = added["clock_id"].as_str().unwrap().to_string();
    let (s, c) = app
        .post(
            &sup,
            &format!("{base}/clocks/{clock}/pause"),
            json!({"reason": "Awaiting the platform"}),
        )
        .await;
    assert_eq!(
        (s, c["state"].as_str()),
        (StatusCode::OK, Some("paused")),
        "{c}"
    );
    let (_, plan) = app.get(&inv, &format!("{base}/plan")).await;
    assert_eq!(action(&plan, "second platform account")["state"], "paused");
    let other = app.token("inv.cw").await;
    let (s, _) = app.get(&other, &format!("{base}/plan")).await;
    assert_eq!(
        s,
        StatusCode::NOT_FOUND,
        "another BCU's officer does not see the plan"
    );
}

stories!(
    allocation_makes_the_plan_of_the_offence_and_enforcement_starts_the_actions_waiting_for_it,
    an_investigator_completes_sets_aside_and_adds_actions_and_a_sergeant_pauses_one,
);
