//! Intake of CyberTipline XML through the API, subject identification before enforcement, and the risk
//! instrument with a supervisor's sign-off.

use crate::harness::App;
use crate::stories;
use reqwest::StatusCode;
use serde_json::{Value, json};

pub fn report_xml(email: &str, ip_time: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<report>
  <incidentSummary>
    <incidentType>Child Pornography (possession, manufacture, and distribution)</incidentType>
    <incidentDateTime>2019-03-31T00:10:00-05:00</incidentDateTime>
  </incidentSummary>
  <personOrUserReported>
    <personOrUserReportedPerson><firstName>Sam</firstName><email>{email}</email></personOrUserReportedPerson>
    <espService>PixelShare</espService>
    <ipCaptureEvent><ipAddress>192.0.2.44</ipAddress><eventName>Upload</eventName><dateTime>{ip_time}</dateTime><port>40123</port></ipCaptureEvent>
    <ipCaptureEvent><ipAddress>198.51.100.7</ipAddress><eventName>Login</eventName><dateTime>2019-03-30T20:00:00Z</dateTime><port>5100</port></ipCaptureEvent>
  </personOrUserReported>
  <victim><victimPerson><age>11</age></victimPerson></victim>
  <fileDetails>
    <fileName>x.jpg</fileName><fileViewedByEsp>true</fileViewedByEsp>
    <originalFileHash hashType="MD5">0123456789ABCDEF0123456789ABCDEF</originalFileHash>
    <fileAnnotations><possibleSelfProduction/></fileAnnotations>
  </fileDetails>
</report>"#
    )
}

pub async fn post_xml(app: &App, token: &str, xml: &str, query: &str) -> (StatusCode, Value) {
    let res = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/referrals?{query}")))
        .bearer_auth(token)
        .header("content-type", "application/xml")
        .body(xml.to_string())
        .send()
        .await
        .unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// A Central North referral with a named suspect, assessed medium and allocated to `inv.cn`: its id and its
/// API path.
pub async fn allocated_referral(app: &App, report_id: &str) -> (String, String) {
    let central = app.token("central").await;
    let (_, body) = post_xml(
        app,
        &central,
        &report_xml("named@example.com", "2019-03-31T00:30:00-05:00"),
        &format!("borough=Camden&report_id={report_id}&received_at=2019-04-01T09:00:00Z"),
    )
    .await;
    let id = body["imported"][0]["id"].as_str().unwrap().to_string();
    let sup = app.token("sup.cn").await;
    let base = format!("/api/v1/referrals/{id}");
    app.post(
        &sup,
        &format!("{base}/risk"),
        json!({"level": "medium", "reason": "r", "version": 1}),
    )
    .await;
    let (s, r) = app
        .post(
            &sup,
            &format!("{base}/allocation"),
            json!({"officer": "inv.cn", "version": 2}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    (id, base)
}

/// The lowest answer to every question of the instrument `inst` that its pre-fill leaves open.
pub fn lowest_answers(inst: &Value) -> serde_json::Map<String, Value> {
    let prefilled = &inst["prefilled"]["answers"];
    let mut answers = serde_json::Map::new();
    for step in inst["instrument"]["steps"].as_array().unwrap() {
        for q in step["questions"].as_array().unwrap() {
            let qid = q["id"].as_str().unwrap();
            if prefilled.get(qid).is_some() {
                continue;
            }
            let lowest = match q["kind"].as_str().unwrap() {
                "yes/no" => json!(false),
                "number" => q["min"].clone(),
                _ => q["options"][0]["id"].clone(),
            };
            answers.insert(qid.to_string(), lowest);
        }
    }
    answers
}

async fn an_ip_event_keeps_its_instant_in_utc_its_offset_and_its_raw_text_and_shows_in_london_time(
    app: App,
) {
    let token = app.token("central").await;
    let xml = report_xml("sam@example.com", "2019-03-31T00:30:00-05:00");
    let (s, body) = post_xml(
        &app,
        &token,
        &xml,
        "borough=Camden&source=NCA&report_id=CT-1&received_at=2019-04-01T09:00:00Z",
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    let id = body["imported"][0]["id"].as_str().unwrap().to_string();
    let (_, r) = app.get(&token, &format!("/api/v1/referrals/{id}")).await;
    assert_eq!(r["report_id"], "CT-1");
    assert_eq!(r["bcu"], "cn");
    let ev = &r["ip_events"][0];
    assert_eq!(
        (
            ev["address"].as_str(),
            ev["port"].as_i64(),
            ev["event"].as_str()
        ),
        (Some("192.0.2.44"), Some(40123), Some("Upload"))
    );
    assert_eq!(ev["at"], "2019-03-31T05:30:00Z");
    assert_eq!(
        (ev["raw"].as_str(), ev["offset"].as_str()),
        (Some("2019-03-31T00:30:00-05:00"), Some("-05:00"))
    );
    assert_eq!(
        (
            r["files"][0]["md5"].as_str(),
            r["files"][0]["viewed_by_esp"].as_bool()
        ),
        (Some("0123456789abcdef0123456789abcdef"), Some(true))
    );
    assert!(r["subject_id"].is_string());
    let page = app
        .browser("central")
        .await
        .get(app.url(&format!("/referrals/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("31 Mar 2019 06:30 BST"),
        "the page shows London time"
    );
    assert!(
        page.contains("2019-03-31T00:30:00-05:00"),
        "and the time exactly as received"
    );
}

async fn a_second_report_with_the_same_email_joins_the_first_ones_subject(app: App) {
    let token = app.token("central").await;
    let (_, a) = post_xml(
        &app,
        &token,
        &report_xml("Sam@Example.com", "2019-03-31T00:30:00-05:00"),
        "borough=Camden&report_id=A",
    )
    .await;
    let (_, b) = post_xml(
        &app,
        &token,
        &report_xml(" sam@example.com ", "2019-04-02T10:00:00Z"),
        "borough=Camden&report_id=B",
    )
    .await;
    assert_eq!(
        a["imported"][0]["subject_id"],
        b["imported"][0]["subject_id"]
    );
    assert_eq!(b["imported"][0]["joined_existing_subject"], true);
    let (_, r) = app
        .get(
            &token,
            &format!(
                "/api/v1/referrals/{}",
                b["imported"][0]["id"].as_str().unwrap()
            ),
        )
        .await;
    assert_eq!(
        r["linked_open_referrals"], 1,
        "the queue can show that it joins an open case"
    );
}

async fn a_doctype_is_refused_and_nothing_is_stored(app: App) {
    let token = app.token("central").await;
    let xxe = r#"<?xml version="1.0"?><!DOCTYPE report [<!ENTITY x SYSTEM "file:///etc/passwd">]><report>&x;</report>"#;
    let (s, e) = post_xml(&app, &token, xxe, "borough=Camden").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let (_, all) = app.get(&token, "/api/v1/referrals").await;
    assert_eq!(all["items"].as_array().unwrap().len(), 3);
}

async fn enforcement_at_an_address_waits_for_a_second_independent_ip_event_or_a_recorded_check(
    app: App,
) {
    let central = app.token("central").await;
    let inv = app.token("inv.cn").await;
    let sup = app.token("sup.cn").await;
    let (_, body) = post_xml(
        &app,
        &central,
        &report_xml("sam@example.com", "2019-03-31T00:30:00-05:00"),
        "borough=Camden&report_id=E-1&received_at=2019-04-01T09:00:00Z",
    )
    .await;
    let id = body["imported"][0]["id"].as_str().unwrap().to_string();
    let base = format!("/api/v1/referrals/{id}");
    let (_, r) = app.get(&inv, &base).await;
    let events: Vec<String> = r["ip_events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect();
    app.post(
        &inv,
        &format!("{base}/risk"),
        json!({"level": "high", "reason": "r", "version": 1}),
    )
    .await;
    app.post(
        &sup,
        &format!("{base}/allocation"),
        json!({"officer": "inv.cn", "version": 2}),
    )
    .await;
    let (s, req) = app
        .post(
            &inv,
            &format!("{base}/cd-requests"),
            json!({"ip_event_id": events[0], "provider": "Example Telecom"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{req}");
    assert_eq!(
        (req["address"].as_str(), req["instant"].as_str()),
        (Some("192.0.2.44"), Some("2019-03-31T05:30:00Z")),
        "built from the stored event, never retyped"
    );
    let address = "Flat 2, 10 Example Road, London N1 9ZZ";
    app.post(
        &inv,
        &format!("{base}/cd-requests/{}/answer", req["id"].as_str().unwrap()),
        json!({"subscriber": "A. Subscriber", "address": address}),
    )
    .await;
    let warrant =
        json!({"kind": "warrant", "at": "2019-04-05T06:00:00Z", "address": address, "version": 3});
    let (s, e) = app
        .post(&inv, &format!("{base}/enforcement"), warrant.clone())
        .await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("referral.uncorroborated")
        ),
        "{e}"
    );
    let (_, second) = app
        .post(
            &inv,
            &format!("{base}/cd-requests"),
            json!({"ip_event_id": events[1], "provider": "Example Telecom"}),
        )
        .await;
    app.post(
        &inv,
        &format!(
            "{base}/cd-requests/{}/answer",
            second["id"].as_str().unwrap()
        ),
        json!({"subscriber": "A. Subscriber", "address": "flat 2 10 example road london n1 9zz"}),
    )
    .await;
    let (_, c) = app.get(&inv, &format!("{base}/corroboration?address=Flat%202%2C%2010%20Example%20Road%2C%20London%20N1%209ZZ")).await;
    assert_eq!(c["corroborated"], true, "{c}");
    let (s, r) = app
        .post(&inv, &format!("{base}/enforcement"), warrant)
        .await;
    assert_eq!(
        (s, r["status"].as_str()),
        (StatusCode::OK, Some("enforcement")),
        "{r}"
    );
    let (s, e) = app
        .post(
            &inv,
            &format!("{base}/enforcement"),
            json!({"kind": "warrant", "version": 4}),
        )
        .await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("referral.address_required")
        )
    );
    let disclosures = app.log_for(&id).await;
    assert!(
        disclosures
            .iter()
            .any(|e| e.action == "disclosure" && e.detail.contains("Example Telecom")),
        "a request is a logged disclosure"
    );
}

async fn a_recorded_check_corroborates_an_address_on_its_own(app: App) {
    let inv = app.token("inv.cn").await;
    let base = format!("/api/v1/referrals/{}", app.cn_referral);
    let (s, _) = app.post(&inv, &format!("{base}/corroborations"), json!({"address": "1 Test Street", "method": "electoral roll", "detail": "Subscriber registered there"})).await;
    assert_eq!(s, StatusCode::CREATED);
    let (_, c) = app
        .get(
            &inv,
            &format!("{base}/corroboration?address=1%20test%20street"),
        )
        .await;
    assert_eq!(c["corroborated"], true);
}

async fn the_instrument_is_prefilled_gives_a_level_only_when_complete_and_a_supervisor_signs_it_off(
    app: App,
) {
    let central = app.token("central").await;
    let inv = app.token("inv.cn").await;
    let sup = app.token("sup.cn").await;
    let (_, body) = post_xml(
        &app,
        &central,
        &report_xml("i@example.com", "2019-03-31T00:30:00-05:00"),
        "borough=Camden&report_id=I-1",
    )
    .await;
    let id = body["imported"][0]["id"].as_str().unwrap().to_string();
    let base = format!("/api/v1/referrals/{id}");
    let (_, inst) = app.get(&inv, &format!("{base}/instrument")).await;
    let prefilled = &inst["prefilled"]["answers"];
    assert_eq!(prefilled["victim_under_13"]["value"], true, "{prefilled}");
    assert_eq!(
        prefilled["victim_under_13"]["prefilled_from"],
        "victim_under_13"
    );
    assert_eq!(prefilled["possible_self_production"]["value"], true);
    let (s, e) = app
        .post(
            &inv,
            &format!("{base}/assessment"),
            json!({"answers": {}, "version": 1}),
        )
        .await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("assessment.incomplete")
        )
    );
    let answers = lowest_answers(&inst);
    let (s, r) = app
        .post(
            &inv,
            &format!("{base}/assessment"),
            json!({"answers": answers, "version": 1}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    let level = r["risk_level"].as_str().unwrap().to_string();
    let (s, e) = app
        .post(
            &inv,
            &format!("{base}/assessment/decision"),
            json!({"decision": "sign_off", "version": 2}),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::NOT_FOUND,
        "investigators do not sign off: {e}"
    );
    let (s, e) = app
        .post(
            &sup,
            &format!("{base}/assessment/decision"),
            json!({"decision": "override", "level": "very_high", "reason": "", "version": 2}),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "an override needs a reason: {e}"
    );
    let (s, r) = app.post(&sup, &format!("{base}/assessment/decision"), json!({"decision": "override", "level": "very_high", "reason": "Child named in chat", "version": 2})).await;
    assert_eq!(
        (s, r["risk_level"].as_str()),
        (StatusCode::OK, Some("very_high")),
        "{r}"
    );
    let reason = r["risk_reason"].as_str().unwrap();
    assert!(
        reason.starts_with("Very High: overridden by Officer sup.cn (the instrument gave ")
            && reason.ends_with("Child named in chat"),
        "the reason says what the instrument gave, what was chosen and why: {reason}"
    );
    let (_, inst) = app.get(&inv, &format!("{base}/instrument")).await;
    let a = &inst["assessments"][0];
    assert_eq!(
        (
            a["level"].as_str(),
            a["decision"].as_str(),
            a["final_level"].as_str()
        ),
        (Some(level.as_str()), Some("overridden"), Some("very_high"))
    );
    assert_eq!(
        (
            a["instrument_id"].as_str(),
            a["instrument_version"].as_str()
        ),
        (Some("safeguard-default"), Some("1.1.0"))
    );
}

async fn a_report_uploaded_on_the_import_page_becomes_a_referral_and_a_bad_one_is_refused_by_name(
    app: App,
) {
    let browser = app.browser("central").await;
    let page = browser
        .get(app.url("/referrals/upload"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = crate::harness::hidden(&page, "csrf");
    // The borough is chosen from the force's list, not typed.
    assert!(
        page.contains(r#"<select id="borough" name="borough">"#)
            && page.contains(r#"<option value="Islington">Islington</option>"#),
        "{page}"
    );
    let upload = |name: &'static str, body: String| {
        let part = reqwest::multipart::Part::text(body).file_name(name);
        let form = reqwest::multipart::Form::new()
            .text("csrf", csrf.clone())
            .text("borough", "Islington")
            .text("source", "NCA")
            .part("file", part);
        browser
            .post(app.url("/referrals/upload"))
            .multipart(form)
            .send()
    };
    let ok = upload(
        "u1.xml",
        report_xml("upload@example.com", "2019-03-31T00:30:00-05:00"),
    )
    .await
    .unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
    let text = ok.text().await.unwrap();
    assert!(text.contains("1 imported"));
    assert!(
        text.contains("— risk assessment due "),
        "the result names each referral's triage due time: {text}"
    );
    let bad = upload("broken.xml", "<report>".into()).await.unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = bad.text().await.unwrap();
    assert!(
        text.contains("broken.xml at report")
            && text.contains("Nothing from this file was imported"),
        "{text}"
    );
}

stories!(
    the_platforms_annotations_show_on_the_referral_page_and_in_the_api,
    an_ip_event_keeps_its_instant_in_utc_its_offset_and_its_raw_text_and_shows_in_london_time,
    a_second_report_with_the_same_email_joins_the_first_ones_subject,
    a_doctype_is_refused_and_nothing_is_stored,
    enforcement_at_an_address_waits_for_a_second_independent_ip_event_or_a_recorded_check,
    a_recorded_check_corroborates_an_address_on_its_own,
    the_instrument_is_prefilled_gives_a_level_only_when_complete_and_a_supervisor_signs_it_off,
    a_report_uploaded_on_the_import_page_becomes_a_referral_and_a_bad_one_is_refused_by_name,
);

mod originals {
    use super::{post_xml, report_xml};
    use reqwest::StatusCode;

    #[tokio::test]
    async fn the_report_and_package_download_byte_for_byte_as_a_logged_disclosure_only_in_scope() {
        let app = crate::harness::spawn(crate::harness::sqlite().await).await;
        let central = app.token("central").await;
        let xml = report_xml("dl@example.com", "2019-03-31T00:30:00-05:00");
        let (_, body) = post_xml(&app, &central, &xml, "borough=Camden&report_id=DL-1").await;
        let id = body["imported"][0]["id"].as_str().unwrap().to_string();
        let http = reqwest::Client::new();
        for which in ["original", "package"] {
            let res = http
                .get(app.url(&format!("/api/v1/referrals/{id}/{which}")))
                .bearer_auth(&central)
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), StatusCode::OK);
            let sha = res.headers()["x-content-sha256"]
                .to_str()
                .unwrap()
                .to_string();
            let bytes = res.bytes().await.unwrap();
            assert_eq!(
                std::str::from_utf8(&bytes).unwrap(),
                if which == "package" {
                    xml.as_str()
                } else {
                    &xml[xml.find("<report>").unwrap()..]
                },
                "the {which} exactly as received"
            );
            let digest: String = {
                use sha2::Digest;
                sha2::Sha256::digest(&bytes)
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect()
            };
            assert_eq!(sha, digest);
        }
        assert!(
            app.log_for(&id)
                .await
                .iter()
                .any(|e| e.action == "disclosure" && e.outcome == "allowed")
        );
        let outsider = app.token("inv.cw").await;
        let res = http
            .get(app.url(&format!("/api/v1/referrals/{id}/original")))
            .bearer_auth(&outsider)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
    }
}

async fn the_platforms_annotations_show_on_the_referral_page_and_in_the_api(app: App) {
    let central = app.token("central").await;
    let xml = "<report><incidentSummary><incidentType>Online Enticement of Children for Sexual Acts</incidentType>\
               <reportAnnotations><sextortion/><minorToMinorInteraction/></reportAnnotations>\
               <incidentDateTime>2026-11-01T10:00:00Z</incidentDateTime></incidentSummary></report>";
    let (s, body) = post_xml(&app, &central, xml, "borough=Camden&report_id=ANN-1").await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    let id = body["imported"][0]["id"].as_str().unwrap().to_string();
    let (_, r) = app.get(&central, &format!("/api/v1/referrals/{id}")).await;
    assert_eq!(
        r["annotations"],
        json!(["sextortion", "minorToMinorInteraction"])
    );
    let page = app
        .browser("central")
        .await
        .get(app.url(&format!("/referrals/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("The platform&#x27;s annotations")
            || page.contains("The platform's annotations"),
        "labelled on the page"
    );
    assert!(page.contains("Sextortion, Interaction between minors"));
}
