//! The role × route matrix: every documented operation, asked by every role about a Central North referral
//! (allocated, with its plan, clocks, people and an exhibit with a scan report) and a quality review sample,
//! answers within that role's reach and never fails. An officer of another BCU and the roles that never see
//! personal data get exactly the answer a record that does not exist gets, and never a success; digital
//! forensics reaches the exhibit but gets that answer for the referral itself.

use crate::harness::App;
use crate::stories;
use crate::triage::allocated_referral;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// Every role's user, and whether it may see Central North's personal data.
const USERS: [(&str, bool); 11] = [
    ("inv.cn", true),
    ("sup.cn", true),
    ("lead.cn", true),
    ("central", true),
    ("auditor", true),
    ("inv.cw", false),
    ("oversight", false),
    ("dpo", false),
    ("admin", false),
    ("forensics", false),
    ("improve", false),
];

async fn send(app: &App, token: &str, method: Method, path: &str) -> (StatusCode, Value) {
    let mut req = reqwest::Client::new()
        .request(method.clone(), app.url(&format!("/api/v1{path}")))
        .bearer_auth(token);
    if method == Method::POST {
        req = req.json(&json!({}));
    }
    let res = req.send().await.unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn every_operation_answers_each_role_within_its_reach_and_never_fails(app: App) {
    let (id, base) = allocated_referral(&app, "MX-1").await;
    let sup = app.token("sup.cn").await;
    let (_, clocks) = app.get(&sup, &format!("{base}/clocks")).await;
    let clock = clocks["items"][0]["id"].as_str().unwrap().to_string();
    let (_, plan) = app.get(&sup, &format!("{base}/plan")).await;
    let action = plan["items"][0]["id"].as_str().unwrap().to_string();
    let (_, people) = app.get(&sup, &format!("{base}/people")).await;
    let person = people["items"][0]["id"].as_str().unwrap().to_string();
    // An exhibit with a scan report, and a quality review sample, so that their routes reach real records.
    let (s, exhibit) = app
        .post(
            &sup,
            &format!("{base}/exhibits"),
            json!({"reference": "MX/1", "kind": "phone", "description": "Phone", "seized_where": "Home",
                   "seized_from": "Suspect"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{exhibit}");
    let exhibit = exhibit["id"].as_str().unwrap().to_string();
    let (s, scanned) = app
        .post(
            &sup,
            &format!("/api/v1/exhibits/{exhibit}/scan"),
            crate::exhibits::scan_json(),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{scanned}");
    let scan = scanned["scans"][0]["id"].as_str().unwrap().to_string();
    let today = domain::time::in_london(jiff::Timestamp::now())
        .date()
        .to_string();
    let (s, sample) = app
        .post(
            &app.token("auditor").await,
            "/api/v1/quality/samples",
            json!({"seed": "matrix", "as_at": today, "per_bcu": 3}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{sample}");
    let review = sample["reviews"][0]["id"].as_str().unwrap().to_string();
    let sample = sample["id"].as_str().unwrap().to_string();
    // An inspection report with a recommendation and an action, for the governance routes.
    let improve = app.token("improve").await;
    let (s, inspection) = app
        .post(
            &improve,
            "/api/v1/inspections",
            json!({"title": "Matrix", "published_on": "2019-03-28"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{inspection}");
    let inspection = inspection["id"].as_str().unwrap().to_string();
    let (s, rec) = app
        .post(
            &improve,
            &format!("/api/v1/inspections/{inspection}/recommendations"),
            json!({"number": "1", "text": "Improve.", "time_band": "immediate"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{rec}");
    let recommendation = rec["id"].as_str().unwrap().to_string();
    let (s, rec) = app
        .post(
            &improve,
            &format!("/api/v1/recommendations/{recommendation}/actions"),
            json!({"text": "Do it.", "owner": "Someone", "due_on": "2019-06-01"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{rec}");
    let tracker_action = rec["actions"][0]["id"].as_str().unwrap().to_string();
    // A past board meeting and a training course, for the board and training routes.
    let oversight = app.token("oversight").await;
    let (s, meetings) = app
        .post(
            &oversight,
            "/api/v1/meetings",
            json!({"first": "2019-06-20", "count": 1}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{meetings}");
    let meeting = meetings["items"][0]["id"].as_str().unwrap().to_string();
    let (s, course) = app
        .post(
            &improve,
            "/api/v1/training/courses",
            json!({"name": "Matrix course"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{course}");
    let course = course["id"].as_str().unwrap().to_string();
    let doc: Value = reqwest::get(app.url("/api/v1/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut tokens = vec![];
    for (user, sees) in USERS {
        // The forensics role may have no account in the fixture: it is then left out.
        if app.store.user_by_username(user).await.unwrap().is_none() {
            continue;
        }
        tokens.push((user, sees, app.token(user).await));
    }
    let mut asked = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        // Signing out would end the session the rest of the matrix uses.
        if path.starts_with("/auth/") {
            continue;
        }
        // Each kind of record's own id; a path's first `{id}` names its kind.
        let exhibit_path = path.starts_with("/exhibits/");
        let first_id: &str = if exhibit_path {
            &exhibit
        } else if path.starts_with("/quality/samples/") {
            &sample
        } else if path.starts_with("/quality/reviews/") {
            &review
        } else if path.starts_with("/inspections/") {
            &inspection
        } else if path.starts_with("/recommendations/") {
            &recommendation
        } else if path.starts_with("/meetings/") {
            &meeting
        } else if path.starts_with("/training/courses/") {
            &course
        } else {
            &id
        };
        let concrete = path
            .replace("{id}", first_id)
            .replace("{scan}", &scan)
            .replace("{clock}", &clock)
            .replace(
                "{action}",
                if path.starts_with("/recommendations/") {
                    &tracker_action
                } else {
                    &action
                },
            )
            .replace("{person}", &person)
            .replace("{request}", "01a00000-0000-7000-8000-000000000000")
            .replace("{subject}", "01a00000-0000-7000-8000-000000000000")
            .replace("{child}", "01a00000-0000-7000-8000-000000000000")
            .replace("{kind}", "social_care");
        let about_a_record = path.starts_with("/referrals/{id}") || path.starts_with("/exhibits/");
        for method in item.as_object().unwrap().keys() {
            let Ok(m) = method.to_uppercase().parse::<Method>() else {
                continue;
            };
            for (user, sees, token) in &tokens {
                let (status, answer) = send(&app, token, m.clone(), &concrete).await;
                asked += 1;
                assert!(
                    !status.is_server_error(),
                    "{user} {method} {path} failed with {status}: {answer}"
                );
                // Digital forensics reaches every exhibit, never the referral itself.
                let sees = *sees || (exhibit_path && *user == "forensics");
                if about_a_record && !sees {
                    // Exactly what the same request about a record that does not exist answers.
                    let nowhere =
                        concrete.replacen(first_id, "01a00000-0000-7000-8000-0000000000ff", 1);
                    let (s2, a2) = send(&app, token, m.clone(), &nowhere).await;
                    assert!(
                        !status.is_success() && (status, &answer) == (s2, &a2),
                        "{user} {method} {path} told a Central North record apart from none: {status} {answer} / {s2} {a2}"
                    );
                }
            }
        }
    }
    assert!(asked > 200, "{asked} requests");
}

stories!(every_operation_answers_each_role_within_its_reach_and_never_fails);
