//! One referral from intake to outcome through the API and the pages, each step on the timeline, and the
//! rules that stop a wrong step.

use crate::harness::{App, hidden};
use crate::stories;
use reqwest::StatusCode;
use serde_json::{Value, json};

fn package(report_id: &str, borough: &str) -> Value {
    json!({
        "source": "manual",
        "received_at": "2026-11-20T09:30:00Z",
        "borough": borough,
        "reports": [{
            "report_id": report_id,
            "narrative": "Walk-in report by a parent (synthetic).",
            "report": {
                "incidentSummary": {"incidentType": "Online Enticement of Children for Sexual Acts", "incidentDateTime": "2026-11-19T21:00:00+00:00"},
                "personOrUserReported": {"personOrUserReportedPerson": {"firstName": "Alex", "lastName": "Example"}, "screenName": "alex_x", "espService": "PixelShare"}
            }
        }]
    })
}

async fn a_hand_typed_referral_travels_from_intake_to_outcome_with_every_step_on_its_timeline(
    app: App,
) {
    let inv = app.token("inv.cn").await;
    let sup = app.token("sup.cn").await;
    let (status, body) = app
        .post(&inv, "/api/v1/referrals", package("MAN-1", "islington"))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let id = body["imported"][0]["id"].as_str().unwrap().to_string();
    assert_eq!(body["imported"][0]["report_id"], "MAN-1");
    let base = format!("/api/v1/referrals/{id}");
    let (_, r) = app.get(&inv, &base).await;
    assert_eq!(
        (
            r["bcu"].as_str(),
            r["borough"].as_str(),
            r["source"].as_str()
        ),
        (Some("cn"), Some("Islington"), Some("manual"))
    );
    assert_eq!(
        r["due_at"], "2026-11-21T09:30:00Z",
        "triage clock: 24 hours from receipt"
    );

    let (s, r) = app
        .post(
            &inv,
            &format!("{base}/risk"),
            json!({"level": "high", "reason": "Contact with a child", "version": 1}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(
        (r["risk_level"].as_str(), r["due_at"].as_str()),
        (Some("high"), Some("2026-11-27T09:30:00Z"))
    );
    let (s, e) = app
        .post(
            &inv,
            &format!("{base}/allocation"),
            json!({"officer": "inv.cn.2", "version": 2}),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::NOT_FOUND,
        "investigators do not allocate: {e}"
    );
    let (s, e) = app
        .post(
            &sup,
            &format!("{base}/allocation"),
            json!({"officer": "inv.cw", "version": 2}),
        )
        .await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("referral.unknown_officer")
        ),
        "not an officer of this BCU"
    );
    let (s, r) = app
        .post(
            &sup,
            &format!("{base}/allocation"),
            json!({"officer": "inv.cn.2", "version": 2}),
        )
        .await;
    assert_eq!(
        (s, r["status"].as_str()),
        (StatusCode::OK, Some("allocated"))
    );
    let (s, r) = app.post(&inv, &format!("{base}/enforcement"), json!({"kind": "arrest", "at": "2026-11-25T06:00:00Z", "notes": "Devices seized", "version": 3})).await;
    assert_eq!((s, r["target_met"].as_bool()), (StatusCode::OK, Some(true)));
    let (s, r) = app
        .post(
            &inv,
            &format!("{base}/risk"),
            json!({"level": "low", "reason": "Reviewed after arrest", "version": 4}),
        )
        .await;
    assert_eq!(
        (s, r["due_at"].as_str(), r["target_met"].as_bool()),
        (StatusCode::OK, Some("2026-11-27T09:30:00Z"), Some(true)),
        "a later level does not move a stopped clock"
    );
    // A no-further-action outcome waits for a sergeant, who returns it once, then approves it.
    let (s, r) = app
        .post(
            &inv,
            &format!("{base}/outcome"),
            json!({"code": "16", "rationale": "Victim does not support", "version": 5}),
        )
        .await;
    assert_eq!(
        (
            s,
            r["status"].as_str(),
            r["outcome_code"].as_str(),
            r["prior_status"].as_str()
        ),
        (
            StatusCode::OK,
            Some("outcome_proposed"),
            Some("16"),
            Some("enforcement")
        ),
        "{r}"
    );
    assert_eq!(
        r["seconds_left"],
        Value::Null,
        "the stopped clock stays stopped"
    );
    let (s, _) = app
        .post(
            &inv,
            &format!("{base}/outcome/decision"),
            json!({"approve": true, "version": 6}),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "an investigator does not decide");
    let (s, e) = app
        .post(
            &sup,
            &format!("{base}/outcome/decision"),
            json!({"approve": false, "reason": "", "version": 6}),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a return needs a reason: {e}"
    );
    let (s, r) = app
        .post(
            &sup,
            &format!("{base}/outcome/decision"),
            json!({"approve": false, "reason": "Speak to the victim's mother first", "version": 6}),
        )
        .await;
    assert_eq!(
        (s, r["status"].as_str(), r["outcome_code"].as_str()),
        (StatusCode::OK, Some("enforcement"), None),
        "returned to the status it had: {r}"
    );
    let (_, r) = app
        .post(
            &inv,
            &format!("{base}/outcome"),
            json!({"code": "16", "rationale": "Mother confirms the victim does not support", "version": 7}),
        )
        .await;
    assert_eq!(r["status"], "outcome_proposed");
    let (s, r) = app
        .post(
            &sup,
            &format!("{base}/outcome/decision"),
            json!({"approve": true, "version": 8}),
        )
        .await;
    assert_eq!(
        (s, r["status"].as_str(), r["outcome_code"].as_str()),
        (StatusCode::OK, Some("closed"), Some("16"))
    );
    let review = r["retention_review_on"].as_str().unwrap().to_string();
    let closed_year: i32 = r["closed_at"].as_str().unwrap()[..4].parse().unwrap();
    assert_eq!(
        review[..4].parse::<i32>().unwrap(),
        closed_year + 10,
        "reviewed in ten years"
    );
    // A closed referral refuses every change but a sergeant's reopening.
    let (s, e) = app
        .post(
            &sup,
            &format!("{base}/risk"),
            json!({"level": "high", "reason": "x", "version": 9}),
        )
        .await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("referral.closed"))
    );
    let (s, _) = app
        .post(
            &inv,
            &format!("{base}/reopen"),
            json!({"reason": "New images", "version": 9}),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "an investigator does not reopen");
    let (s, r) = app
        .post(
            &sup,
            &format!("{base}/reopen"),
            json!({"reason": "New images found", "version": 9}),
        )
        .await;
    assert_eq!(
        (s, r["status"].as_str(), r["outcome_code"].as_str()),
        (StatusCode::OK, Some("enforcement"), None)
    );

    let (_, t) = app.get(&inv, &format!("{base}/timeline")).await;
    let kinds: Vec<_> = t["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["kind"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        kinds,
        [
            "received",
            "risk_assessed",
            "allocated",
            "plan",
            "enforcement",
            "risk_assessed",
            "outcome_proposed",
            "outcome_returned",
            "outcome_proposed",
            "outcome",
            "reopened"
        ]
    );
    assert_eq!(
        t["items"][2]["actor"], "Officer sup.cn",
        "who did it is recorded"
    );
}

async fn importing_the_same_report_again_changes_nothing_and_says_duplicate(app: App) {
    let token = app.token("central").await;
    let (s1, first) = app
        .post(&token, "/api/v1/referrals", package("MAN-2", "Camden"))
        .await;
    let (s2, again) = app
        .post(&token, "/api/v1/referrals", package("MAN-2", "Camden"))
        .await;
    assert_eq!((s1, s2), (StatusCode::CREATED, StatusCode::OK));
    assert_eq!(again["duplicates"][0]["id"], first["imported"][0]["id"]);
    assert_eq!(again["imported"].as_array().unwrap().len(), 0);
    // Sent again and again, the package is still stored once, and is still given back as received.
    // (An update of every package row counts them: the same statement on SQLite and PostgreSQL.)
    let once = app
        .store
        .execute_raw_for_tests("UPDATE packages SET size = size")
        .await
        .unwrap();
    for _ in 0..8 {
        let (s, _) = app
            .post(&token, "/api/v1/referrals", package("MAN-2", "Camden"))
            .await;
        assert_eq!(s, StatusCode::OK);
    }
    let before = app
        .store
        .execute_raw_for_tests("UPDATE packages SET size = size")
        .await
        .unwrap();
    assert_eq!(before, once, "ten sends, one package");
    let (s, _) = app
        .post(&token, "/api/v1/referrals", package("MAN-2b", "Camden"))
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let after = app
        .store
        .execute_raw_for_tests("UPDATE packages SET size = size")
        .await
        .unwrap();
    assert_eq!(after, before + 1, "a new package is stored");
    let id = first["imported"][0]["id"].as_str().unwrap();
    let res = reqwest::Client::new()
        .get(app.url(&format!("/api/v1/referrals/{id}/package")))
        .bearer_auth(&token)
        .header("X-Justification", "Checking the package as received")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let received: Value = serde_json::from_slice(&res.bytes().await.unwrap()).unwrap();
    assert_eq!(received, package("MAN-2", "Camden"));
}

async fn an_unknown_borough_leaves_the_referral_on_the_central_queue(app: App) {
    let token = app.token("central").await;
    let (s, body) = app
        .post(&token, "/api/v1/referrals", package("MAN-3", "Atlantis"))
        .await;
    assert_eq!(s, StatusCode::CREATED);
    assert!(body["warnings"][0].as_str().unwrap().contains("Atlantis"));
    let (_, r) = app
        .get(
            &token,
            &format!(
                "/api/v1/referrals/{}",
                body["imported"][0]["id"].as_str().unwrap()
            ),
        )
        .await;
    assert_eq!(r["bcu"], Value::Null);
}

async fn a_package_with_a_bad_report_stores_nothing_and_names_the_element(app: App) {
    let token = app.token("central").await;
    let mut p = package("MAN-4", "Camden");
    let mut bad = p["reports"][0].clone();
    bad["report_id"] = json!("MAN-5");
    bad["report"]["incidentSummary"]["incidentDateTime"] = json!("2026-11-19 21:00");
    p["reports"].as_array_mut().unwrap().push(bad);
    let (s, e) = app.post(&token, "/api/v1/referrals", p).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        e["error"]["location"],
        "reports[1].report.incidentSummary.incidentDateTime"
    );
    let (_, all) = app.get(&token, "/api/v1/referrals").await;
    assert_eq!(
        all["items"].as_array().unwrap().len(),
        3,
        "the good report was not stored either"
    );
}

async fn an_investigator_cannot_create_a_referral_for_another_bcu(app: App) {
    let token = app.token("inv.cn").await;
    let (s, e) = app
        .post(&token, "/api/v1/referrals", package("MAN-6", "Westminster"))
        .await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("referral.outside_bcu")
        )
    );
}

async fn a_change_based_on_a_stale_version_is_a_conflict_and_the_first_change_stands(app: App) {
    let a = app.token("inv.cn").await;
    let b = app.token("sup.cn").await;
    let path = format!("/api/v1/referrals/{}/risk", app.cn_referral);
    let (s1, _) = app
        .post(
            &a,
            &path,
            json!({"level": "very_high", "reason": "first", "version": 1}),
        )
        .await;
    let (s2, e) = app
        .post(
            &b,
            &path,
            json!({"level": "low", "reason": "second", "version": 1}),
        )
        .await;
    assert_eq!((s1, s2), (StatusCode::OK, StatusCode::CONFLICT));
    assert_eq!(e["error"]["code"], "referral.conflict");
    let (_, r) = app
        .get(&a, &format!("/api/v1/referrals/{}", app.cn_referral))
        .await;
    assert_eq!(r["risk_level"], "very_high");
}

async fn the_page_tells_the_second_writer_their_change_was_not_saved(app: App) {
    let first = app.browser("inv.cn").await;
    let second = app.browser("sup.cn").await;
    let path = format!("/referrals/{}", app.cn_referral);
    let page_a = first
        .get(app.url(&path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let page_b = second
        .get(app.url(&path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let submit = |client: &reqwest::Client, page: &str, level: &str| {
        let form = [
            ("level", level.to_string()),
            ("reason", "seen".to_string()),
            ("version", hidden(page, "version")),
            ("csrf", hidden(page, "csrf")),
        ];
        client
            .post(app.url(&format!("{path}/risk")))
            .form(&form)
            .send()
    };
    assert_eq!(
        submit(&first, &page_a, "high").await.unwrap().status(),
        StatusCode::OK
    );
    let res = submit(&second, &page_b, "low").await.unwrap();
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Someone else changed this referral")
    );
}

async fn a_risk_level_recorded_on_the_page_appears_on_the_timeline(app: App) {
    let browser = app.browser("inv.cn").await;
    let path = format!("/referrals/{}", app.cn_referral);
    let page = browser
        .get(app.url(&path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let form = [
        ("level", "medium"),
        ("reason", "No access to children known"),
        ("version", &hidden(&page, "version")),
        ("csrf", &hidden(&page, "csrf")),
    ];
    let after = browser
        .post(app.url(&format!("{path}/risk")))
        .form(&form)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(after.contains("Risk level recorded."));
    assert!(after.contains("Risk level Medium: No access to children known"));
}

async fn the_openapi_document_is_public_and_describes_every_route(app: App) {
    let res = reqwest::get(app.url("/api/v1/openapi.json")).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let doc: Value = res.json().await.unwrap();
    let paths = doc["paths"].as_object().unwrap();
    for p in [
        "/auth/login",
        "/referrals",
        "/referrals/{id}",
        "/referrals/{id}/risk",
        "/referrals/{id}/allocation",
        "/referrals/{id}/enforcement",
        "/referrals/{id}/outcome",
        "/audit",
        "/stats",
    ] {
        assert!(paths.contains_key(p), "{p} is described");
    }
    assert_eq!(
        reqwest::get(app.url("/healthz")).await.unwrap().status(),
        StatusCode::OK
    );
}

async fn bad_requests_get_a_plain_error_and_never_sql(app: App) {
    let token = app.token("central").await;
    let (s, e) = app.get(&token, "/api/v1/referrals?cursor=zzz").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let text = e.to_string().to_lowercase();
    assert!(
        !text.contains("select") && !text.contains("sqlx") && !text.contains("panicked"),
        "{text}"
    );
    let res = reqwest::Client::new()
        .post(app.url("/api/v1/referrals"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{oops")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["location"], "line 1, column 2");
}

async fn moving_an_allocated_referral_to_another_bcu_releases_its_officer_for_the_new_bcu_to_allocate(
    app: App,
) {
    let central = app.token("central").await;
    let sup = app.token("sup.cn").await;
    let (status, body) = app
        .post(&central, "/api/v1/referrals", package("MOVE-1", "camden"))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let base = format!(
        "/api/v1/referrals/{}",
        body["imported"][0]["id"].as_str().unwrap()
    );
    let (s, r) = app
        .post(
            &sup,
            &format!("{base}/risk"),
            json!({"level": "medium", "reason": "Contact online", "version": 1}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    let (s, r) = app
        .post(
            &sup,
            &format!("{base}/allocation"),
            json!({"officer": "inv.cn.2", "version": 2}),
        )
        .await;
    assert_eq!(
        (s, r["status"].as_str()),
        (StatusCode::OK, Some("allocated")),
        "{r}"
    );
    let (s, r) = app
        .post(
            &central,
            &format!("{base}/route"),
            json!({"bcu": "cw", "version": 3}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(
        (
            r["bcu"].as_str(),
            r["allocated_to"].as_str(),
            r["status"].as_str()
        ),
        (Some("cw"), None, Some("assessed")),
        "no longer with an officer of the old BCU: {r}"
    );
    let inv_cn2 = app.token("inv.cn.2").await;
    let (s, _) = app.get(&inv_cn2, &base).await;
    assert_eq!(
        s,
        StatusCode::NOT_FOUND,
        "the old officer no longer sees it"
    );
}

stories!(
    moving_an_allocated_referral_to_another_bcu_releases_its_officer_for_the_new_bcu_to_allocate,
    a_hand_typed_referral_travels_from_intake_to_outcome_with_every_step_on_its_timeline,
    importing_the_same_report_again_changes_nothing_and_says_duplicate,
    an_unknown_borough_leaves_the_referral_on_the_central_queue,
    a_package_with_a_bad_report_stores_nothing_and_names_the_element,
    an_investigator_cannot_create_a_referral_for_another_bcu,
    a_change_based_on_a_stale_version_is_a_conflict_and_the_first_change_stands,
    the_page_tells_the_second_writer_their_change_was_not_saved,
    a_risk_level_recorded_on_the_page_appears_on_the_timeline,
    the_openapi_document_is_public_and_describes_every_route,
    bad_requests_get_a_plain_error_and_never_sql,
);
