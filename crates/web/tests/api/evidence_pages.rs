//! Exhibits and quality reviews in the pages, as their users meet them: digital forensics signs in to the
//! exhibits queue, records a step and uploads a scan report (the form's token checked before the file is read);
//! an auditor signs in to quality reviews, draws a sample, grades a referral on its page (a missing area named
//! and linked) and refers it back; the sergeant completes the remedial action from the referral.

use crate::exhibits::{scan_json, submitted_exhibit};
use crate::harness::{App, hidden};
use crate::stories;
use crate::triage::allocated_referral;
use reqwest::StatusCode;

async fn forensics_works_an_exhibit_in_the_pages_and_a_scan_upload_without_its_token_is_refused_unread(
    app: App,
) {
    let (_, eid) = submitted_exhibit(&app, "EP-1").await;
    let fx = app.browser("forensics").await;
    let res = fx.get(app.url("/")).send().await.unwrap();
    assert_eq!(
        res.url().path(),
        "/exhibits",
        "the exhibits queue is forensics' home"
    );
    let queue = res.text().await.unwrap();
    assert!(
        queue.contains("JD/1") && queue.contains("Examination started"),
        "{queue}"
    );
    let page = fx
        .get(app.url(&format!("/exhibits/{eid}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Is there contact with children?"),
        "the request"
    );
    assert!(
        !page.contains("Narrative"),
        "never the referral's narrative"
    );
    assert!(
        !page.contains("Back to the referral"),
        "no way to the referral"
    );
    let csrf = hidden(&page, "csrf");
    let res = fx
        .post(app.url(&format!("/exhibits/{eid}/step")))
        .form(&[("csrf", csrf.as_str()), ("step", "returned")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = res.text().await.unwrap();
    assert!(
        refused.contains("There is a problem")
            && refused.contains("Examination started has to be recorded first"),
        "{refused}"
    );
    let res = fx
        .post(app.url(&format!("/exhibits/{eid}/step")))
        .form(&[("csrf", csrf.as_str()), ("step", "examination_started")])
        .send()
        .await
        .unwrap();
    assert!(
        res.url().query().unwrap_or("").contains("done="),
        "{}",
        res.url()
    );
    let report = serde_json::to_vec(&scan_json()).unwrap();
    // The file first, the token after: refused before the file is read.
    let form = reqwest::multipart::Form::new()
        .part(
            "report",
            reqwest::multipart::Part::bytes(report.clone()).file_name("scan.json"),
        )
        .text("csrf", csrf.clone());
    let res = fx
        .post(app.url(&format!("/exhibits/{eid}/scan")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let form = reqwest::multipart::Form::new()
        .text("csrf", csrf.clone())
        .part(
            "report",
            reqwest::multipart::Part::bytes(report).file_name("scan.json"),
        );
    let res = fx
        .post(app.url(&format!("/exhibits/{eid}/scan")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let page = res.text().await.unwrap();
    assert!(page.contains("Scan report attached."), "{page}");
    assert!(page.contains("Download as received"));
    let form = reqwest::multipart::Form::new()
        .text("csrf", csrf.clone())
        .part(
            "report",
            reqwest::multipart::Part::bytes(b"not a report".to_vec()).file_name("scan.json"),
        );
    let res = fx
        .post(app.url(&format!("/exhibits/{eid}/scan")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("href=\"#scan-file\""),
        "the error links to the file field"
    );
}

async fn an_auditor_draws_a_sample_grades_a_referral_on_its_page_and_the_sergeant_completes_the_remedial_action(
    app: App,
) {
    let (id, _) = allocated_referral(&app, "QP-1").await;
    let aud = app.browser("auditor").await;
    let res = aud.get(app.url("/")).send().await.unwrap();
    assert_eq!(
        res.url().path(),
        "/quality",
        "quality reviews are the auditor's home"
    );
    let home = res.text().await.unwrap();
    let csrf = hidden(&home, "csrf");
    let today = domain::time::in_london(jiff::Timestamp::now())
        .date()
        .to_string();
    let res = aud
        .post(app.url("/quality/samples"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("seed", "pages"),
            ("as_at", today.as_str()),
            ("per_bcu", "10"),
        ])
        .send()
        .await
        .unwrap();
    assert!(
        res.url().path().starts_with("/quality/samples/"),
        "{}",
        res.url()
    );
    let sample = res.text().await.unwrap();
    assert!(
        sample.contains(&format!("/referrals/{id}#quality")),
        "{sample}"
    );
    let page = aud
        .get(app.url(&format!("/referrals/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Sampled for a quality review"),
        "the grading form"
    );
    let review = hidden(&page, "review");
    let version = hidden(&page, "version");
    let mut grades = vec![
        ("csrf", csrf.clone()),
        ("version", version.clone()),
        ("review", review.clone()),
        ("grade_initial_response", "good".into()),
        ("grade_risk_assessment", "good".into()),
        ("grade_investigation", "good".into()),
        ("grade_decision_making", "good".into()),
        ("grade_supervision", "inadequate".into()),
        ("grade_overall", "requires_improvement".into()),
    ];
    let res = aud
        .post(app.url(&format!("/referrals/{id}/quality-grade")))
        .form(&grades)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = res.text().await.unwrap();
    assert!(
        refused.contains("href=\"#q-grade_safeguarding\"")
            && refused.contains("Safeguarding needs a grade"),
        "{refused}"
    );
    grades.push(("grade_safeguarding", "good".into()));
    let res = aud
        .post(app.url(&format!("/referrals/{id}/quality-grade")))
        .form(&grades)
        .send()
        .await
        .unwrap();
    assert!(
        res.url().query().unwrap_or("").contains("done="),
        "{}",
        res.url()
    );
    let res = aud
        .post(app.url(&format!("/referrals/{id}/quality-refer")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("version", version.as_str()),
            ("review", review.as_str()),
            ("action_1", "Record the sergeant's review of the plan"),
            ("due_1", ""),
        ])
        .send()
        .await
        .unwrap();
    assert!(
        res.url().query().unwrap_or("").contains("done="),
        "{}",
        res.url()
    );
    let sup = app.browser("sup.cn").await;
    let team = sup
        .get(app.url("/team"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        team.contains("Record the sergeant&#39;s review of the plan")
            || team.contains("Record the sergeant's review of the plan")
    );
    let page = sup
        .get(app.url(&format!("/referrals/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let action = hidden(&page[page.find("remedial-done").unwrap()..], "action_id");
    let res = sup
        .post(app.url(&format!("/referrals/{id}/remedial-done")))
        .form(&[
            ("csrf", hidden(&page, "csrf").as_str()),
            ("version", hidden(&page, "version").as_str()),
            ("action_id", action.as_str()),
            ("note", "Reviewed and recorded"),
        ])
        .send()
        .await
        .unwrap();
    assert!(
        res.url().query().unwrap_or("").contains("done="),
        "{}",
        res.url()
    );
    let page = res.text().await.unwrap();
    assert!(page.contains("Reviewed and recorded"));
}

stories!(
    forensics_works_an_exhibit_in_the_pages_and_a_scan_upload_without_its_token_is_refused_unread,
    an_auditor_draws_a_sample_grades_a_referral_on_its_page_and_the_sergeant_completes_the_remedial_action,
);
