//! Case quality reviews through the API: the same seed and date draw the same referrals, grades must cover every
//! area, a referral is referred back with a remedial action that appears on the sergeant's team list, and
//! completing it leaves a closed referral closed. Only auditors sample and grade.

use crate::harness::App;
use crate::stories;
use crate::triage::allocated_referral;
use reqwest::StatusCode;
use serde_json::{Value, json};

fn referrals_of(sample: &Value) -> Vec<String> {
    let mut ids: Vec<String> = sample["reviews"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["referral_id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

fn all_good() -> Value {
    json!({"initial_response": "good", "risk_assessment": "good", "investigation": "requires_improvement",
           "decision_making": "good", "supervision": "inadequate", "safeguarding": "good"})
}

async fn an_auditor_samples_grades_and_refers_back_and_the_sergeant_completes_the_remedial_action(
    app: App,
) {
    let (id, base) = allocated_referral(&app, "Q-1").await;
    let today = domain::time::in_london(jiff::Timestamp::now())
        .date()
        .to_string();
    let aud = app.token("auditor").await;
    let ask = json!({"seed": "2026 Q4", "as_at": today, "per_bcu": 5});
    let (s, first) = app.post(&aud, "/api/v1/quality/samples", ask.clone()).await;
    assert_eq!(s, StatusCode::CREATED, "{first}");
    let (_, again) = app.post(&aud, "/api/v1/quality/samples", ask).await;
    assert_eq!(referrals_of(&first), referrals_of(&again), "reproducible");
    assert!(referrals_of(&first).contains(&id), "{first}");
    assert!(
        !referrals_of(&first).contains(&app.unrouted.to_string()),
        "unrouted referrals belong to no BCU's sample"
    );
    let (s, e) = app
        .post(
            &aud,
            "/api/v1/quality/samples",
            json!({"seed": "x", "as_at": "2999-01-01", "per_bcu": 5}),
        )
        .await;
    assert_eq!(
        (s, e["error"]["location"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("as_at"))
    );
    let review = first["reviews"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["referral_id"] == id.as_str())
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let grades = format!("/api/v1/quality/reviews/{review}/grades");
    let mut partial = all_good();
    partial.as_object_mut().unwrap().remove("safeguarding");
    let (s, e) = app
        .post(&aud, &grades, json!({"grades": partial, "overall": "good"}))
        .await;
    assert_eq!(
        (s, e["error"]["location"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("grade_safeguarding")),
        "{e}"
    );
    let refer = format!("/api/v1/quality/reviews/{review}/refer-back");
    let (s, e) = app
        .post(
            &aud,
            &refer,
            json!({"actions": [{"action": "Record the rationale"}]}),
        )
        .await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("quality.not_graded"))
    );
    let (s, r) = app
        .post(
            &aud,
            &grades,
            json!({"grades": all_good(), "overall": "requires_improvement", "notes": "No supervisory review"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["grades"][4]["grade"], "inadequate");
    let (s, _) = app
        .post(
            &aud,
            &grades,
            json!({"grades": all_good(), "overall": "good"}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "graded once");
    let sup = app.token("sup.cn").await;
    let (s, _) = app
        .post(
            &sup,
            &grades,
            json!({"grades": all_good(), "overall": "good"}),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "a sergeant does not grade");
    let (s, e) = app
        .post(
            &aud,
            &refer,
            json!({"actions": [{"action": "Record a supervisory review", "due_on": "2001-01-01"}]}),
        )
        .await;
    assert_eq!(
        (s, e["error"]["location"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("due_1"))
    );
    let (s, r) = app
        .post(
            &aud,
            &refer,
            json!({"actions": [{"action": "Record a supervisory review with the rationale", "due_on": today}]}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    let action = r["remedial"][0]["id"].as_str().unwrap().to_string();
    assert!(r["remedial"][0]["due_at"].is_string());

    let team = app.page_as("sup.cn", "/team").await;
    assert!(
        team.contains("Record a supervisory review with the rationale"),
        "the remedial action is on the sergeant's team list"
    );

    // The referral closes; the remedial action is still done without reopening it.
    let (s, _) = app
        .post(
            &sup,
            &format!("{base}/outcome"),
            json!({"code": "1", "rationale": "Charged", "version": 3}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (_, now) = app.get(&sup, &base).await;
    assert_eq!(now["status"], "closed", "{now}");
    let (s, e) = app
        .post(
            &sup,
            &format!("{base}/remedial-actions/{action}/complete"),
            json!({"note": ""}),
        )
        .await;
    assert_eq!(
        (s, e["error"]["location"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("note"))
    );
    let (s, done) = app
        .post(
            &sup,
            &format!("{base}/remedial-actions/{action}/complete"),
            json!({"note": "Review recorded with the rationale"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{done}");
    assert_eq!(done["items"][0]["state"], "met");
    let (_, now) = app.get(&sup, &base).await;
    assert_eq!(now["status"], "closed", "still closed");

    let (s, summary) = app.get(&aud, "/api/v1/quality/summary").await;
    assert_eq!(s, StatusCode::OK);
    let cn = summary["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["bcu"] == "cn")
        .unwrap()
        .clone();
    assert_eq!(cn["overall"]["requires_improvement"], 1, "{cn}");
    assert_eq!(cn["referred_back"], 1);
    assert_eq!(cn["remedial_done"], 1);
    let (s, _) = app.get(&sup, "/api/v1/quality/summary").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let log = app
        .store
        .list_audit(&store::AuditQuery {
            username: Some("auditor".into()),
            limit: 500,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(
        log.iter()
            .any(|e| e.record_type == "quality_sample" && e.action == "consultation"),
        "the auditor's reading of a sample is a logged consultation"
    );
}

stories!(an_auditor_samples_grades_and_refers_back_and_the_sergeant_completes_the_remedial_action);
