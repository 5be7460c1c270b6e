//! The access log through the product: who reads it, what it records, and its chain.

use crate::harness::{App, spawn_with};
use crate::stories;
use domain::audit::Processing;
use reqwest::StatusCode;

async fn only_the_data_protection_officer_reads_the_log_filtered_by_outcome_and_user(app: App) {
    let inv = app.token("inv.cn").await;
    app.get(&inv, &format!("/api/v1/referrals/{}", app.cw_referral))
        .await;
    app.get(&inv, &format!("/api/v1/referrals/{}", app.cn_referral))
        .await;
    let (status, _) = app.get(&inv, "/api/v1/audit").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let dpo = app.token("dpo").await;
    let (status, body) = app
        .get(&dpo, "/api/v1/audit?outcome=denied&user=inv.cn")
        .await;
    assert_eq!(status, StatusCode::OK);
    let items = body["items"].as_array().unwrap();
    assert!(!items.is_empty());
    assert!(
        items
            .iter()
            .all(|e| e["outcome"] == "denied" && e["username"] == "inv.cn")
    );
    let (_, all) = app.get(&dpo, "/api/v1/audit").await;
    let seqs: Vec<i64> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["seq"].as_i64().unwrap())
        .collect();
    assert!(seqs.windows(2).all(|w| w[0] > w[1]), "newest first");
}

async fn reading_a_referral_logs_a_consultation_with_the_justification_given(app: App) {
    let inv = app.token("inv.cn").await;
    reqwest::Client::new()
        .get(app.url(&format!("/api/v1/referrals/{}", app.cn_referral)))
        .bearer_auth(&inv)
        .header("X-Justification", "Preparing the warrant application")
        .send()
        .await
        .unwrap();
    let log = app.log_for(&app.cn_referral.to_string()).await;
    let e = log
        .iter()
        .find(|e| e.action == "consultation" && e.outcome == "allowed")
        .unwrap();
    assert_eq!(
        e.justification.as_deref(),
        Some("Preparing the warrant application")
    );
}

async fn the_log_verifies_after_use_and_shows_an_edited_row(app: App) {
    let inv = app.token("inv.cn").await;
    app.get(&inv, &format!("/api/v1/referrals/{}", app.cn_referral))
        .await;
    assert!(app.store.verify_audit().await.unwrap().is_intact());
    let lift = match app.store.backend_name() {
        "sqlite" => "DROP TRIGGER access_log_no_update",
        _ => "ALTER TABLE access_log DISABLE TRIGGER USER",
    };
    app.store.execute_raw_for_tests(lift).await.unwrap();
    app.store
        .execute_raw_for_tests("UPDATE access_log SET detail = 'nothing to see here' WHERE seq = 2")
        .await
        .unwrap();
    assert!(!app.store.verify_audit().await.unwrap().is_intact());
}

stories!(
    only_the_data_protection_officer_reads_the_log_filtered_by_outcome_and_user,
    reading_a_referral_logs_a_consultation_with_the_justification_given,
    the_log_verifies_after_use_and_shows_an_edited_row,
);

#[tokio::test]
async fn a_mandatory_justification_is_asked_for_and_the_refusal_is_logged() {
    let mut config = app::Config::default();
    config.justification.mandatory_for = vec![Processing::Consultation];
    let app = spawn_with(crate::harness::sqlite().await, config).await;
    let inv = app.token("inv.cn").await;
    let path = format!("/api/v1/referrals/{}", app.cn_referral);
    let (status, body) = app.get(&inv, &path).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("justification.required")
        )
    );
    let res = reqwest::Client::new()
        .get(app.url(&path))
        .bearer_auth(&inv)
        .header("X-Justification", "Case review")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let log = app.log_for(&app.cn_referral.to_string()).await;
    assert!(
        log.iter()
            .any(|e| e.outcome == "denied" && e.detail.contains("no justification"))
    );
    let page = app
        .browser("inv.cn")
        .await
        .get(app.url(&format!("/referrals/{}", app.cn_referral)))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.text()
            .await
            .unwrap()
            .contains("Why are you opening this?")
    );
}
