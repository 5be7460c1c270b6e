//! Exhibits through the API: an investigator seizes and submits a phone, digital forensics works its path from
//! the queue without ever reaching the referral, a scan report fills the counts, grading feeds the charging
//! summary, and the plan's forensics action is completed from the exhibit. Out of reach is *not found*.

use crate::harness::App;
use crate::stories;
use crate::triage::allocated_referral;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// A scan report as `safeguard scan --json` prints it: two exact A matches, one exact B, one near A, one
/// unknown image and one unreadable file.
pub fn scan_json() -> Value {
    let m = |category: &str, kind: &str| {
        json!([{"set": "caid", "category": category, "kind": kind, "hash": if kind == "exact" { "MD5" } else { "PDQ" },
                "distance": if kind == "near" { json!(12) } else { Value::Null }}])
    };
    let file = |path: &str, matches: Value| {
        json!({"path": path, "size": 1000, "md5": "0".repeat(32), "sha1": "0".repeat(40), "pdq": null,
               "quality": null, "error": null, "skipped": null, "matches": matches})
    };
    json!({
        "summary": {"files": 6, "bytes": 6000, "images": 5,
            "matched": {"A": 3, "B": 1, "C": 0, "not_indecent": 0, "uncategorised": 0, "other": 0, "other_by_number": {}},
            "exact": 3, "near": 1, "unknown_images": 1, "unreadable": 1, "seconds": 0.2},
        "files": [
            file("/mnt/JD1/DCIM/a1.jpg", m("A", "exact")),
            file("/mnt/JD1/DCIM/a2.jpg", m("A", "exact")),
            file("/mnt/JD1/DCIM/b1.jpg", m("B", "exact")),
            file("/mnt/JD1/DCIM/n1.jpg", m("A", "near")),
            file("/mnt/JD1/DCIM/new.jpg", json!([])),
            file("/mnt/JD1/DCIM/broken.jpg", json!([])),
        ],
        "tool": {"name": "safeguard", "version": "0.1.0"},
        "root": "/mnt/JD1",
        "started_at": 1_764_000_000u64,
        "bytes_per_second": 1.0e6,
        "sets": [{"name": "caid", "checksum": "ab".repeat(32), "distance": 31, "md5": 3, "sha1": 0, "pdq": 1, "sha256": 0, "photodna": 0}],
        "resumed_files": 0
    })
}

/// An allocated Central North referral with a phone seized and submitted for a triage; `(referral, exhibit)`.
pub async fn submitted_exhibit(app: &App, report: &str) -> (String, String) {
    let (id, base) = allocated_referral(app, report).await;
    let inv = app.token("inv.cn").await;
    let (s, e) = app
        .post(
            &inv,
            &format!("{base}/exhibits"),
            json!({"reference": "JD/1", "kind": "phone", "description": "Black smartphone",
                   "seized_where": "Home address, bedroom", "seized_from": "The reported person"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{e}");
    let eid = e["id"].as_str().unwrap().to_string();
    let (s, e) = app
        .post(
            &inv,
            &format!("/api/v1/exhibits/{eid}/steps"),
            json!({"step": "submitted", "examination": "triage_only", "reason": "Very high risk: a quick answer first",
                   "identifiers": "named@example.com", "from": "2019-01-01", "to": "2019-04-01",
                   "questions": "Is there contact with children?"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{e}");
    (id, eid)
}

async fn forensics_works_an_exhibit_from_the_queue_and_never_reaches_the_referral(app: App) {
    let (id, eid) = submitted_exhibit(&app, "EX-1").await;
    let fx = app.token("forensics").await;
    let (s, _) = app.get(&fx, &format!("/api/v1/referrals/{id}")).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "the referral itself is not found");
    let (s, _) = app
        .get(&fx, &format!("/api/v1/referrals/{id}/exhibits"))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, q) = app.get(&fx, "/api/v1/exhibits").await;
    assert_eq!(s, StatusCode::OK, "{q}");
    let item = &q["items"][0];
    assert_eq!(item["reference"], "JD/1");
    assert_eq!(item["examination"], "triage_only");
    assert_eq!(item["seized_from"], "The reported person");
    assert_eq!(
        item["request"]["questions"],
        "Is there contact with children?"
    );
    assert_eq!(item["next_step"], "examination_started");
    assert!(item["path"][1]["due_at"].is_string(), "{item}");
    let text = q.to_string();
    assert!(
        !text.contains("Narrative") && !text.contains("summary\""),
        "no narrative: {text}"
    );
    let steps = format!("/api/v1/exhibits/{eid}/steps");
    let (s, e) = app.post(&fx, &steps, json!({"step": "returned"})).await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("exhibit.step")),
        "{e}"
    );
    let inv = app.token("inv.cn").await;
    let (s, _) = app
        .post(&inv, &steps, json!({"step": "examination_started"}))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "an investigator does not examine");
    for step in ["examination_started", "returned"] {
        let (s, e) = app.post(&fx, &steps, json!({"step": step})).await;
        assert_eq!(s, StatusCode::OK, "{step}: {e}");
    }
    let (s, e) = app.post(&fx, &steps, json!({"step": "returned"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "once: {e}");

    let scan = format!("/api/v1/exhibits/{eid}/scan");
    let res = reqwest::Client::new()
        .post(app.url(&scan))
        .bearer_auth(&fx)
        .body("{\"summary\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let e: Value = res.json().await.unwrap();
    assert_eq!(e["error"]["code"], "scan.invalid");
    assert!(
        e["error"]["message"].as_str().unwrap().contains("line 1"),
        "{e}"
    );
    let (s, x) = app.post(&fx, &scan, scan_json()).await;
    assert_eq!(s, StatusCode::CREATED, "{x}");
    assert_eq!(
        x["counts"],
        json!({"a": 3, "b": 1, "c": 0, "not_indecent": 0, "uncategorised": 0})
    );
    assert_eq!(x["scans"][0]["near"], 1);
    assert_eq!(x["scans"][0]["sets"][0]["checksum"], "ab".repeat(32));
    assert_eq!(x["scans"][0]["tool_version"], "0.1.0");
    let scan_id = x["scans"][0]["id"].as_str().unwrap();
    let res = reqwest::Client::new()
        .get(app.url(&format!("/api/v1/exhibits/{eid}/scans/{scan_id}")))
        .bearer_auth(&inv)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let kept: Value = res.json().await.unwrap();
    assert_eq!(kept, scan_json(), "kept as received");

    let (s, x) = app
        .post(
            &fx,
            &steps,
            json!({"step": "graded", "graded_a": 1, "graded_b": 0, "graded_c": 4, "new_images": 1,
                   "distribution": true, "note": "Shared in a chat group"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{x}");
    assert_eq!(x["next_step"], "victim_identification");
    assert!(
        x["path"][5]["due_at"].is_string(),
        "the upload's clock runs"
    );
    let (s, c) = app
        .get(&inv, &format!("/api/v1/referrals/{id}/charging"))
        .await;
    assert_eq!(s, StatusCode::OK, "{c}");
    assert_eq!(c["images"], json!({"a": 3, "b": 1, "c": 4}), "{c}");
    assert_eq!(c["near_awaiting_confirmation"]["a"], 1);
    assert_eq!(c["possession"]["indicated"], true);
    assert_eq!(c["distribution"]["indicated"], true);
    let (s, _) = app
        .get(&fx, &format!("/api/v1/referrals/{id}/charging"))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    let (_, x) = app.get(&fx, &format!("/api/v1/exhibits/{eid}")).await;
    let actions = x["forensic_actions"].as_array().unwrap().clone();
    assert!(!actions.is_empty(), "the plan's forensics actions: {x}");
    assert!(
        actions[0]["due_at"].is_string(),
        "counted from the seizure: {x}"
    );
    let action = actions[0]["id"].as_str().unwrap();
    let (s, x) = app
        .post(
            &fx,
            &format!("/api/v1/exhibits/{eid}/plan-actions/{action}/complete"),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{x}");
    assert!(
        x["forensic_actions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["id"] != action)
    );
    let log = app.log_for(&eid).await;
    assert!(
        log.iter()
            .any(|e| e.record_type == "exhibit" && e.action == "collection"),
        "the scan's upload is a logged collection"
    );
    assert!(log.iter().any(|e| e.username == "forensics"));
}

async fn an_exhibit_out_of_reach_is_not_found_and_a_role_without_exhibits_has_no_queue(app: App) {
    let (_, eid) = submitted_exhibit(&app, "EX-2").await;
    for user in ["inv.cw", "oversight", "dpo", "admin"] {
        let t = app.token(user).await;
        let (s, _) = app.get(&t, &format!("/api/v1/exhibits/{eid}")).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{user}");
    }
    let (s, _) = app
        .get(&app.token("oversight").await, "/api/v1/exhibits")
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, q) = app
        .get(&app.token("inv.cw").await, "/api/v1/exhibits")
        .await;
    assert_eq!(
        (s, q["items"].as_array().map(Vec::len)),
        (StatusCode::OK, Some(0)),
        "another BCU's queue is its own"
    );
    let (s, q) = app
        .get(&app.token("sup.cn").await, "/api/v1/exhibits")
        .await;
    assert_eq!(
        (s, q["items"].as_array().map(Vec::len)),
        (StatusCode::OK, Some(1))
    );
}

async fn an_exhibit_needs_its_fields_a_new_reference_and_a_seizure_after_receipt(app: App) {
    let (_, base) = allocated_referral(&app, "EX-3").await;
    let inv = app.token("inv.cn").await;
    let url = format!("{base}/exhibits");
    let ok = json!({"reference": "AB/1", "kind": "computer", "description": "Laptop", "seized_where": "Home",
                    "seized_from": "Suspect"});
    let (s, _) = app.post(&inv, &url, ok.clone()).await;
    assert_eq!(s, StatusCode::CREATED);
    let (s, e) = app.post(&inv, &url, ok.clone()).await;
    assert_eq!(
        (
            s,
            e["error"]["code"].as_str(),
            e["error"]["location"].as_str()
        ),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("exhibit.duplicate"),
            Some("reference")
        )
    );
    let mut bad = ok.clone();
    bad["reference"] = json!("AB/2");
    bad["kind"] = json!("toaster");
    let (s, e) = app.post(&inv, &url, bad).await;
    assert_eq!(
        (s, e["error"]["location"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("kind"))
    );
    let mut early = ok.clone();
    early["reference"] = json!("AB/3");
    early["seized_at"] = json!("2019-03-01T10:00:00Z");
    let (s, e) = app.post(&inv, &url, early).await;
    assert_eq!(
        (s, e["error"]["location"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("seized_at")),
        "before the referral was received"
    );
    let mut long = ok;
    long["reference"] = json!("AB/4");
    long["description"] = json!("x".repeat(201));
    let (s, e) = app.post(&inv, &url, long).await;
    assert_eq!(
        (s, e["error"]["location"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("description"))
    );
}

stories!(
    forensics_works_an_exhibit_from_the_queue_and_never_reaches_the_referral,
    an_exhibit_out_of_reach_is_not_found_and_a_role_without_exhibits_has_no_queue,
    an_exhibit_needs_its_fields_a_new_reference_and_a_seizure_after_receipt,
);
