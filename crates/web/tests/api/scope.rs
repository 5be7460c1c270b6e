//! Need-to-know: each user sees their scope, everything else is "not found", and oversight sees no
//! personal data anywhere.

use crate::harness::App;
use crate::stories;
use reqwest::StatusCode;

async fn the_queue_shows_only_the_investigators_own_bcu(app: App) {
    let token = app.token("inv.cn").await;
    let (status, body) = app.get(&token, "/api/v1/referrals").await;
    assert_eq!(status, StatusCode::OK);
    let items = body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["bcu"], "cn");
    assert!(
        items[0]["due_at"].is_string()
            && items[0].get("risk_level").is_some()
            && items[0]["status"] == "new"
    );
    let page = app
        .browser("inv.cn")
        .await
        .get(app.url("/referrals"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    // By the reference as the queue shows it ("NCA 1001"): a bare number could turn up inside a random token.
    assert!(
        page.contains("NCA 1001") && !page.contains("NCA 2001") && !page.contains("NCA 3001"),
        "the page shows Central North only"
    );
}

async fn the_central_desk_sees_every_referral_including_unrouted_ones(app: App) {
    let token = app.token("central").await;
    let (_, body) = app.get(&token, "/api/v1/referrals").await;
    assert_eq!(body["items"].as_array().unwrap().len(), 3);
    let (_, body) = app.get(&token, "/api/v1/referrals?unrouted=true").await;
    let items = body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(
        (items[0]["id"].as_str(), &items[0]["bcu"]),
        (
            Some(app.unrouted.to_string().as_str()),
            &serde_json::Value::Null
        )
    );
}

async fn another_bcus_referral_is_not_found_and_the_attempt_is_logged_as_denied(app: App) {
    let token = app.token("inv.cn").await;
    let (status, body) = app
        .get(&token, &format!("/api/v1/referrals/{}", app.cw_referral))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["code"], "not_found");
    let log = app.log_for(&app.cw_referral.to_string()).await;
    let denied = log
        .iter()
        .find(|e| e.outcome == "denied")
        .expect("a denied event");
    assert_eq!(
        (denied.username.as_str(), denied.action.as_str()),
        ("inv.cn", "consultation")
    );
    let page = app
        .browser("inv.cn")
        .await
        .get(app.url(&format!("/referrals/{}", app.cw_referral)))
        .send()
        .await
        .unwrap();
    assert_eq!(
        page.status(),
        StatusCode::NOT_FOUND,
        "the web page answers the same"
    );
}

async fn an_unknown_id_and_an_out_of_scope_id_answer_identically(app: App) {
    let token = app.token("inv.cn").await;
    let out_of_scope = app
        .get(&token, &format!("/api/v1/referrals/{}", app.cw_referral))
        .await;
    let unknown = app
        .get(
            &token,
            &format!("/api/v1/referrals/{}", domain::ReferralId::new()),
        )
        .await;
    let garbage = app.get(&token, "/api/v1/referrals/not-an-id").await;
    assert_eq!(out_of_scope, unknown);
    assert_eq!(out_of_scope, garbage);
}

async fn the_oversight_board_gets_no_personal_data_anywhere(app: App) {
    let token = app.token("oversight").await;
    let names = [
        "Cnperson",
        "Cwperson",
        "Unrouted",
        "example.com",
        "Narrative",
    ];
    let mut seen = String::new();
    for path in [
        "/api/v1/referrals",
        &format!("/api/v1/referrals/{}", app.cn_referral),
        &format!("/api/v1/referrals/{}/timeline", app.cn_referral),
        "/api/v1/audit",
        "/api/v1/users",
        "/api/v1/stats",
    ] {
        let (status, body) = app.get(&token, path).await;
        if path == "/api/v1/stats" {
            assert_eq!(status, StatusCode::OK, "aggregates are open to oversight");
        } else {
            assert!(
                matches!(status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
                "{path}: {status}"
            );
        }
        seen.push_str(&body.to_string());
    }
    let browser = app.browser("oversight").await;
    for path in [
        "/",
        "/oversight",
        "/referrals",
        &format!("/referrals/{}", app.cn_referral),
        "/audit",
        "/admin/users",
    ] {
        seen.push_str(
            &browser
                .get(app.url(path))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap(),
        );
    }
    for n in names {
        assert!(!seen.contains(n), "oversight saw '{n}'");
    }
    assert!(seen.contains("Central North"), "but does see the figures");
}

async fn the_administrator_manages_users_but_cannot_read_case_content(app: App) {
    let token = app.token("admin").await;
    let (status, _) = app
        .get(&token, &format!("/api/v1/referrals/{}", app.cn_referral))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = app.get(&token, "/api/v1/users").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        body["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|u| u["username"] == "inv.cn")
    );
}

async fn the_oversight_figures_show_no_small_count_and_none_that_could_be_worked_out(app: App) {
    let token = app.token("oversight").await;
    let (status, body) = app.get(&token, "/api/v1/stats").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mut rows: Vec<&serde_json::Value> = body["bcus"].as_array().unwrap().iter().collect();
    assert!(!rows.is_empty());
    rows.push(&body["force"]);
    let measures = [
        "received",
        "open",
        "overdue",
        "target_met",
        "target_missed",
        "closed",
        "risk_overrides",
    ];
    for row in &rows {
        for m in measures {
            let v = &row[m];
            assert!(
                v == "<5" || v.as_i64().is_some_and(|n| n == 0 || n >= 5),
                "{m} of {row}"
            );
        }
        let hidden = ["received", "open", "closed"]
            .iter()
            .filter(|m| row[**m] == "<5")
            .count();
        assert_ne!(hidden, 1, "received = open + closed gives it away: {row}");
    }
    for m in measures {
        let hidden = rows.iter().filter(|r| r[m] == "<5").count();
        assert_ne!(hidden, 1, "the force total gives {m} away: {body}");
    }
}

stories!(
    the_oversight_figures_show_no_small_count_and_none_that_could_be_worked_out,
    the_queue_shows_only_the_investigators_own_bcu,
    the_central_desk_sees_every_referral_including_unrouted_ones,
    another_bcus_referral_is_not_found_and_the_attempt_is_logged_as_denied,
    an_unknown_id_and_an_out_of_scope_id_answer_identically,
    the_oversight_board_gets_no_personal_data_anywhere,
    the_administrator_manages_users_but_cannot_read_case_content,
);
