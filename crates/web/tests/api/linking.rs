//! Linking through the API and the pages: bare CyberTipline reports imported as XML join one subject on a
//! shared email, a display name only suggests a link that a person confirms or rejects with a reason, a
//! widely shared file is flagged as likely viral, and a subject is seen only through referrals in scope.

use crate::harness::{App, hidden};
use crate::stories;
use reqwest::StatusCode;
use serde_json::{Value, json};

pub fn report(reported: &str, extra: &str) -> String {
    format!(
        "<report><incidentSummary><incidentType>Child Sex Tourism</incidentType>\
         <incidentDateTime>2026-01-01T10:00:00Z</incidentDateTime></incidentSummary>\
         <personOrUserReported>{reported}</personOrUserReported>{extra}</report>"
    )
}

pub fn with_email(email: &str) -> String {
    format!("<personOrUserReportedPerson><email>{email}</email></personOrUserReportedPerson>")
}

/// Import one bare report; its entry in the answer's `imported`.
pub async fn import(app: &App, report_id: &str, borough: &str, xml: String) -> Value {
    let token = app.token("central").await;
    let res = reqwest::Client::new()
        .post(app.url(&format!(
            "/api/v1/referrals?borough={borough}&source=NCA&report_id={report_id}"
        )))
        .bearer_auth(token)
        .header("content-type", "application/xml")
        .body(xml)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED, "import of {report_id}");
    let body: Value = res.json().await.unwrap();
    body["imported"][0].clone()
}

pub fn subject_of(entry: &Value) -> String {
    entry["subject_id"].as_str().expect("a subject").to_string()
}

async fn importing_two_reports_with_the_same_email_puts_both_in_one_subject_shown_by_the_api_and_page(
    app: App,
) {
    let first = import(
        &app,
        "E-1",
        "Camden",
        report(&with_email("Same.Person@example.com"), ""),
    )
    .await;
    let second = import(
        &app,
        "E-2",
        "Camden",
        report(&with_email("same.person@EXAMPLE.com "), ""),
    )
    .await;
    assert_eq!(second["joined_existing_subject"], json!(true));
    let subject = subject_of(&first);
    assert_eq!(subject_of(&second), subject);
    let token = app.token("inv.cn").await;
    let (s, body) = app
        .get(&token, &format!("/api/v1/subjects/{subject}"))
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let ids: Vec<&str> = body["referrals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        vec![
            first["id"].as_str().unwrap(),
            second["id"].as_str().unwrap()
        ]
    );
    assert_eq!(body["referrals"][0]["bcu"], json!("cn"));
    let email = &body["identifiers"][0];
    assert_eq!(email["kind"], json!("email"));
    assert_eq!(email["referrals"].as_array().unwrap().len(), 2);
    assert_eq!(body["links"][0]["status"], json!("linked"));
    let page = app
        .browser("inv.cn")
        .await
        .get(app.url(&format!("/subjects/{subject}")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    for needle in [
        "NCA E-1",
        "NCA E-2",
        "Same.Person@example.com",
        "Identifiers that link them",
    ] {
        assert!(html.contains(needle), "the subject page shows {needle}");
    }
    let log = app.log_for(&subject).await;
    assert!(log.iter().any(|e| e.action == "consultation"
        && e.record_type == "subject"
        && e.outcome == "allowed"));
}

async fn a_victims_email_shared_with_a_reported_person_never_links(app: App) {
    let shared = "shared.address@example.com";
    let first = import(&app, "V-1", "Camden", report(&with_email(shared), "")).await;
    let victim = format!("<victim><victimPerson><email>{shared}</email></victimPerson></victim>");
    let second = import(
        &app,
        "V-2",
        "Camden",
        report(&with_email("someone.else@example.com"), &victim),
    )
    .await;
    assert_ne!(subject_of(&first), subject_of(&second));
    assert!(second.get("joined_existing_subject").is_none());
    assert!(second.get("suggested_links").is_none(), "{second}");
}

/// Two reports with the same display name and nothing else in common: (first subject, second entry, link).
pub async fn suggested_pair(app: &App) -> (String, Value, String) {
    let named = "<displayName>Synthetic Sam</displayName>";
    let first = import(app, "D-1", "Camden", report(named, "")).await;
    let second = import(app, "D-2", "Camden", report(named, "")).await;
    assert_ne!(
        subject_of(&first),
        subject_of(&second),
        "a display name only suggests"
    );
    assert_eq!(
        second["suggested_links"].as_array().map(Vec::len),
        Some(1),
        "{second}"
    );
    let token = app.token("inv.cn").await;
    let (_, body) = app
        .get(&token, &format!("/api/v1/subjects/{}", subject_of(&first)))
        .await;
    let link = body["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["status"] == json!("suggested"))
        .expect("the suggestion is listed on the subject it points at");
    assert_eq!(link["referral_id"], second["id"]);
    (
        subject_of(&first),
        second,
        link["id"].as_str().unwrap().to_string(),
    )
}

async fn the_same_display_name_only_suggests_and_confirming_with_a_reason_moves_the_referral(
    app: App,
) {
    let (subject, second, link) = suggested_pair(&app).await;
    let path = format!("/api/v1/links/{link}/decision");
    let token = app.token("inv.cn").await;
    let (s, e) = app
        .post(&token, &path, json!({"decision": "confirm", "reason": " "}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(e["error"]["code"], json!("link.reason_required"));
    let auditor = app.token("auditor").await;
    let (s, _) = app
        .post(
            &auditor,
            &path,
            json!({"decision": "confirm", "reason": "looks alike"}),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::NOT_FOUND,
        "deciding needs the right to assess the referral"
    );
    let (s, done) = app
        .post(
            &token,
            &path,
            json!({"decision": "confirm", "reason": "same photo and writing style"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{done}");
    assert_eq!(done["status"], json!("confirmed"));
    assert_eq!(done["decided_by"], json!("Officer inv.cn"));
    let rid = second["id"].as_str().unwrap();
    let (_, referral) = app.get(&token, &format!("/api/v1/referrals/{rid}")).await;
    assert_eq!(referral["subject_id"], json!(subject));
    let (_, body) = app
        .get(&token, &format!("/api/v1/subjects/{subject}"))
        .await;
    assert_eq!(body["referrals"].as_array().unwrap().len(), 2);
    let log = app.log_for(rid).await;
    assert!(
        log.iter()
            .any(|e| e.action == "combination" && e.detail.contains("confirmed")),
        "the decision is logged as a combination"
    );
    let (s, again) = app
        .post(
            &token,
            &path,
            json!({"decision": "reject", "reason": "second thoughts"}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "a link is decided once");
    assert_eq!(again["error"]["code"], json!("link.already_decided"));
    assert!(
        again["error"]["message"]
            .as_str()
            .unwrap()
            .contains("already confirmed or rejected this suggested link"),
        "{again}"
    );
}

async fn rejecting_a_suggested_link_on_the_subject_page_needs_a_reason(app: App) {
    let (subject, second, link) = suggested_pair(&app).await;
    let browser = app.browser("inv.cn").await;
    let page = browser
        .get(app.url(&format!("/subjects/{subject}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains(&format!("action=\"/links/{link}/decision\"")),
        "the page offers the decision"
    );
    let csrf = hidden(&page, "csrf");
    let back = format!("/subjects/{subject}");
    let post = |reason: &'static str| {
        browser
            .post(app.url(&format!("/links/{link}/decision")))
            .form(&[
                ("csrf", csrf.as_str()),
                ("back", back.as_str()),
                ("decision", "reject"),
                ("reason", reason),
            ])
            .send()
    };
    let refused = post("").await.unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("Give the reason for your decision.")
    );
    let done = post("different dates of birth").await.unwrap();
    assert_eq!(done.status(), StatusCode::OK);
    assert_eq!(done.url().path(), back);
    assert!(done.text().await.unwrap().contains("Link rejected."));
    let token = app.token("inv.cn").await;
    let rid = second["id"].as_str().unwrap();
    let (_, referral) = app.get(&token, &format!("/api/v1/referrals/{rid}")).await;
    assert_eq!(
        referral["subject_id"], second["subject_id"],
        "a rejected link moves nothing"
    );
}

async fn a_file_hash_seen_with_five_different_subjects_is_flagged_viral(app: App) {
    let md5 = "00112233445566778899aabbccddeeff";
    let file = format!(
        "<fileDetails><originalFileHash hashType=\"MD5\">{md5}</originalFileHash></fileDetails>"
    );
    let token = app.token("inv.cn").await;
    for n in 1..=5 {
        let entry = import(
            &app,
            &format!("H-{n}"),
            "Camden",
            report(&with_email(&format!("p{n}@example.com")), &file),
        )
        .await;
        let (_, body) = app
            .get(&token, &format!("/api/v1/subjects/{}", subject_of(&entry)))
            .await;
        let flagged = body["likely_viral_files"].as_array().unwrap();
        if n < 5 {
            assert!(flagged.is_empty(), "{n} subjects are not enough: {body}");
        } else {
            assert_eq!(flagged.len(), 1, "{body}");
            assert_eq!(flagged[0]["hash"], json!(md5));
            assert_eq!(flagged[0]["distinct_subjects"], json!(5));
        }
    }
}

async fn a_subject_whose_referrals_are_all_in_another_bcu_is_not_found_for_inv_cn_and_logged(
    app: App,
) {
    let entry = import(
        &app,
        "W-1",
        "Westminster",
        report(&with_email("west@example.com"), ""),
    )
    .await;
    let subject = subject_of(&entry);
    let token = app.token("inv.cn").await;
    let (s, _) = app
        .get(&token, &format!("/api/v1/subjects/{subject}"))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let page = app
        .browser("inv.cn")
        .await
        .get(app.url(&format!("/subjects/{subject}")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::NOT_FOUND);
    let log = app.log_for(&subject).await;
    assert!(
        log.len() >= 2
            && log
                .iter()
                .all(|e| e.outcome == "denied" && e.record_type == "subject"),
        "{log:?}"
    );
    let (s, _) = app
        .get(
            &app.token("inv.cw").await,
            &format!("/api/v1/subjects/{subject}"),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "the owning BCU sees it");
    import(
        &app,
        "C-1",
        "Camden",
        report(&with_email("west@example.com"), ""),
    )
    .await;
    let (s, body) = app
        .get(&token, &format!("/api/v1/subjects/{subject}"))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        body["referrals"].as_array().unwrap().len(),
        1,
        "only the referral in scope: {body}"
    );
    assert_eq!(
        body["identifiers"][0]["referrals"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

/// A report of a package of many, with its own email (or the one given) and, if given, a login from an
/// address and port at a time.
fn numbered(k: usize, email: Option<&str>, login: Option<(&str, &str)>) -> Value {
    let own = format!("person.{k}@example.com");
    let ip = login.map_or(String::new(), |(at, address)| {
        format!(
            "<ipCaptureEvent><ipAddress>{address}</ipAddress><eventName>Login</eventName>\
             <dateTime>{at}</dateTime><port>40000</port></ipCaptureEvent>"
        )
    });
    let reported = format!(
        "<personOrUserReportedPerson><email>{}</email></personOrUserReportedPerson>{ip}",
        email.unwrap_or(&own)
    );
    json!({"report_id": format!("B-{k}"), "cybertip_xml": report(&reported, "")})
}

async fn a_package_larger_than_a_batch_links_and_finds_duplicates_across_batches_as_one_report_at_a_time_would(
    app: App,
) {
    let batch = store::IMPORT_BATCH;
    let n = 2 * batch + 100;
    let mut reports: Vec<Value> = (0..n).map(|k| numbered(k, None, None)).collect();
    // An email shared by the first batch and the third; by the last report of one batch and the first of
    // the next; and by two reports of the same batch.
    for (a, b, email) in [
        (10, 2 * batch + 20, "far.apart@example.com"),
        (batch - 1, batch, "either.side@example.com"),
        (batch + 1, batch + 2, "same.batch@example.com"),
    ] {
        reports[a] = numbered(a, Some(email), None);
        reports[b] = numbered(b, Some(email), None);
    }
    // A login from the same address and port two minutes apart, either side of a batch boundary.
    reports[batch - 2] = numbered(
        batch - 2,
        None,
        Some(("2026-01-01T10:00:00Z", "203.0.113.9")),
    );
    reports[batch + 14] = numbered(
        batch + 14,
        None,
        Some(("2026-01-01T10:02:00Z", "203.0.113.9")),
    );
    let package = |reports: Vec<Value>| json!({"source": "NCA", "received_at": "2026-01-02T09:00:00Z", "borough": "Camden", "reports": reports});
    let token = app.token("central").await;
    // Two of the reports, one in the first batch and one in the second, were imported before.
    let again = format!("B-{}", batch + 4);
    let earlier_package = package(vec![reports[5].clone(), reports[batch + 4].clone()]);
    let (status, before) = app.post(&token, "/api/v1/referrals", earlier_package).await;
    assert_eq!(status, StatusCode::CREATED, "{before}");
    let held = |id: &str| {
        before["imported"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["report_id"] == json!(id))
            .map(|e| e["id"].as_str().unwrap().to_string())
            .unwrap()
    };
    let (status, body) = app
        .post(&token, "/api/v1/referrals", package(reports))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["counts"]["imported"], json!(n - 2));
    assert_eq!(body["counts"]["duplicates"], json!(2));
    assert_eq!(body["counts"]["joined_existing_subject"], json!(3));
    let imported = body["imported"].as_array().unwrap();
    assert_eq!(imported.len(), n - 2, "the API lists every new referral");
    let entry = |id: String| {
        imported
            .iter()
            .find(|e| e["report_id"] == json!(id))
            .unwrap_or_else(|| panic!("{id} imported"))
            .clone()
    };
    for (a, b) in [
        (10, 2 * batch + 20),
        (batch - 1, batch),
        (batch + 1, batch + 2),
    ] {
        let (first, second) = (entry(format!("B-{a}")), entry(format!("B-{b}")));
        assert_eq!(
            subject_of(&first),
            subject_of(&second),
            "B-{a} and B-{b} share an email"
        );
        assert_eq!(second["joined_existing_subject"], json!(true));
    }
    let (earlier, later) = (
        entry(format!("B-{}", batch - 2)),
        entry(format!("B-{}", batch + 14)),
    );
    assert_ne!(subject_of(&earlier), subject_of(&later));
    let suggested = later["suggested_links"].as_array().expect("a suggestion");
    assert_eq!(suggested.len(), 1, "{later}");
    assert!(
        suggested[0].as_str().unwrap().contains(&format!(
            "subject {}: same IP 203.0.113.9:40000",
            subject_of(&earlier)
        )),
        "{later}"
    );
    let duplicates: Vec<(&str, &str)> = body["duplicates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["report_id"].as_str().unwrap(), d["id"].as_str().unwrap()))
        .collect();
    let (five, other) = (held("B-5"), held(&again));
    assert_eq!(
        duplicates,
        vec![("B-5", five.as_str()), (again.as_str(), other.as_str())]
    );
    let check = app.store.verify_audit().await.unwrap();
    assert!(check.is_intact(), "{check:?}");
    assert!(
        check.events >= n as i64,
        "one collection event per referral at least"
    );
}

stories!(
    a_package_larger_than_a_batch_links_and_finds_duplicates_across_batches_as_one_report_at_a_time_would,
    importing_two_reports_with_the_same_email_puts_both_in_one_subject_shown_by_the_api_and_page,
    a_victims_email_shared_with_a_reported_person_never_links,
    the_same_display_name_only_suggests_and_confirming_with_a_reason_moves_the_referral,
    rejecting_a_suggested_link_on_the_subject_page_needs_a_reason,
    a_file_hash_seen_with_five_different_subjects_is_flagged_viral,
    a_subject_whose_referrals_are_all_in_another_bcu_is_not_found_for_inv_cn_and_logged,
);
