//! People through the API and the referral page: a child with access to the suspect recorded by hand (and
//! refused without saying how), corrections attributed, and re-categorising a reported person as a victim, a
//! witness or a child with access stops their identifiers linking, through the real import path.

use crate::harness::App;
use crate::linking::{import, report, subject_of, with_email};
use crate::stories;
use reqwest::StatusCode;
use serde_json::{Value, json};

fn people_of(v: &Value) -> Vec<Value> {
    v["items"].as_array().unwrap().clone()
}

async fn an_investigator_records_a_child_living_with_the_suspect_and_corrects_them_each_change_attributed(
    app: App,
) {
    let r = import(
        &app,
        "PC-1",
        "Camden",
        report(&with_email("pc1@example.com"), ""),
    )
    .await;
    let id = r["id"].as_str().unwrap();
    let base = format!("/api/v1/referrals/{id}/people");
    let inv = app.token("inv.cn").await;
    let (s, e) = app
        .post(
            &inv,
            &base,
            json!({"category": "child_with_access", "given_name": "Sam"}),
        )
        .await;
    assert_eq!(
        (s, e["error"]["location"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("access")),
        "a child with access needs to say how: {e}"
    );
    let (s, e) = app
        .post(
            &inv,
            &base,
            json!({"category": "witness", "given_name": "x".repeat(201)}),
        )
        .await;
    assert_eq!(
        (s, e["error"]["location"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("given_name")),
        "a name is at most 200 characters"
    );
    let (s, e) = app
        .post(
            &inv,
            &base,
            json!({"category": "victim", "date_of_birth": "21/04/2013"}),
        )
        .await;
    assert_eq!(
        (s, e["error"]["location"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("date_of_birth"))
    );
    let (s, people) = app
        .post(
            &inv,
            &base,
            json!({"category": "child_with_access", "given_name": "Sam", "family_name": "Example",
                   "age": 7, "school": "Example Primary", "access": "lives_with"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{people}");
    let child = people_of(&people)
        .into_iter()
        .find(|p| p["category"] == "child_with_access")
        .unwrap();
    assert_eq!(
        (
            child["name"].as_str(),
            child["age"].as_u64(),
            child["access"].as_str()
        ),
        (Some("Sam Example"), Some(7), Some("lives_with"))
    );
    assert_eq!(child["recorded_by"], "Officer inv.cn");
    // The referral's own answer lists them too.
    let (_, referral) = app.get(&inv, &format!("/api/v1/referrals/{id}")).await;
    assert!(
        referral["people"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["category"] == "child_with_access" && p["age"] == 7),
        "{referral}"
    );
    // A correction by the sergeant is attributed to them.
    let sup = app.token("sup.cn").await;
    let person = child["id"].as_str().unwrap();
    let (s, people) = app
        .post(
            &sup,
            &format!("{base}/{person}"),
            json!({"given_name": "Sam", "family_name": "Example", "age": 8, "access": "lives_with"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{people}");
    let child = people_of(&people)
        .into_iter()
        .find(|p| p["id"] == person)
        .unwrap();
    assert_eq!(
        (child["age"].as_u64(), child["changed_by"].as_str()),
        (Some(8), Some("Officer sup.cn"))
    );
    let (_, timeline) = app
        .get(&inv, &format!("/api/v1/referrals/{id}/timeline"))
        .await;
    let said: Vec<&str> = timeline["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["kind"] == "person")
        .map(|t| t["summary"].as_str().unwrap())
        .collect();
    assert_eq!(
        said,
        [
            "Child with access to the suspect recorded: Sam Example",
            "Child with access to the suspect corrected: Sam Example"
        ]
    );
    assert!(
        app.log_for(id)
            .await
            .iter()
            .any(|e| e.detail.contains("person added (child_with_access)")),
        "recording a person is logged"
    );
    // Out of scope: not found; an auditor reads but records nobody.
    let other = app.token("inv.cw").await;
    let (s, _) = app
        .post(&other, &base, json!({"category": "witness"}))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = app.get(&other, &base).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let auditor = app.token("auditor").await;
    let (s, _) = app
        .post(&auditor, &base, json!({"category": "witness"}))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

/// Import a report whose reported person has `email`, re-categorise that person as `to`, then import a
/// second report with the same email written another way: whether the second joins the first's subject.
async fn joins_after_recategorising(app: &App, n: &str, to: Option<&str>) -> bool {
    let email = format!("child.{n}@example.com");
    let first = import(
        app,
        &format!("RC-{n}-1"),
        "Camden",
        report(&with_email(&email), ""),
    )
    .await;
    let id = first["id"].as_str().unwrap();
    if let Some(to) = to {
        let inv = app.token("inv.cn").await;
        let (_, people) = app
            .get(&inv, &format!("/api/v1/referrals/{id}/people"))
            .await;
        let reported = people_of(&people)
            .into_iter()
            .find(|p| p["category"] == "reported")
            .unwrap();
        let body = match to {
            "child_with_access" => {
                json!({"category": to, "access": "online_contact", "reason": "The child shared their own image"})
            }
            _ => json!({"category": to, "reason": "The child shared their own image"}),
        };
        let (s, after) = app
            .post(
                &inv,
                &format!(
                    "/api/v1/referrals/{id}/people/{}/category",
                    reported["id"].as_str().unwrap()
                ),
                body,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{after}");
        assert!(
            people_of(&after)
                .iter()
                .all(|p| p["category"] != "reported")
        );
    }
    let second = import(
        app,
        &format!("RC-{n}-2"),
        "Camden",
        report(&with_email(&email.to_uppercase()), ""),
    )
    .await;
    subject_of(&second) == subject_of(&first)
}

async fn a_reported_child_recategorised_as_a_victim_witness_or_child_with_access_no_longer_links(
    app: App,
) {
    assert!(
        joins_after_recategorising(&app, "kept", None).await,
        "a reported person's email links the next report"
    );
    for to in ["victim", "witness", "child_with_access"] {
        assert!(
            !joins_after_recategorising(&app, to, Some(to)).await,
            "once re-categorised as {to}, their email links nothing"
        );
    }
    // Re-categorising needs a reason and a different category.
    let first = import(
        &app,
        "RC-x-1",
        "Camden",
        report(&with_email("rcx@example.com"), ""),
    )
    .await;
    let id = first["id"].as_str().unwrap();
    let inv = app.token("inv.cn").await;
    let (_, people) = app
        .get(&inv, &format!("/api/v1/referrals/{id}/people"))
        .await;
    let person = people_of(&people)[0]["id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/referrals/{id}/people/{person}/category");
    let (s, e) = app
        .post(&inv, &path, json!({"category": "victim", "reason": " "}))
        .await;
    assert_eq!(
        (s, e["error"]["location"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("reason"))
    );
    let (s, e) = app
        .post(&inv, &path, json!({"category": "reported", "reason": "r"}))
        .await;
    assert_eq!(
        (s, e["error"]["location"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("category"))
    );
}

async fn the_referral_page_shows_people_by_category_and_records_a_child_from_its_form(app: App) {
    let r = import(
        &app,
        "PP-1",
        "Camden",
        report(&with_email("pp1@example.com"), ""),
    )
    .await;
    let id = r["id"].as_str().unwrap();
    let client = app.browser("inv.cn").await;
    let url = app.url(&format!("/referrals/{id}"));
    let page = async |c: &reqwest::Client| -> String {
        c.get(&url).send().await.unwrap().text().await.unwrap()
    };
    let html = page(&client).await;
    let csrf = crate::harness::hidden(&html, "csrf");
    let version = crate::harness::hidden(&html, "version");
    // Refused without saying how the child has access: the form comes back as typed.
    let res = client
        .post(app.url(&format!("/referrals/{id}/person-add")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("version", version.as_str()),
            ("category", "child_with_access"),
            ("given_name", "Alex"),
            ("age", "6"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains(r##"<a href="#add-access">"##), "{html}");
    assert!(
        html.contains(r#"name="given_name" type="text" maxlength="200" value="Alex""#),
        "kept as typed"
    );
    client
        .post(app.url(&format!("/referrals/{id}/person-add")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("version", version.as_str()),
            ("category", "child_with_access"),
            ("given_name", "Alex"),
            ("age", "6"),
            ("access", "visits"),
        ])
        .send()
        .await
        .unwrap();
    let html = page(&client).await;
    let people = &html[html.find(r#"<h2 id="people">"#).unwrap()..];
    assert!(
        people.contains("Children with access to the suspect"),
        "{people}"
    );
    assert!(people.contains("Visits or is visited by the suspect"));
}

stories!(
    an_investigator_records_a_child_living_with_the_suspect_and_corrects_them_each_change_attributed,
    a_reported_child_recategorised_as_a_victim_witness_or_child_with_access_no_longer_links,
    the_referral_page_shows_people_by_category_and_records_a_child_from_its_form,
);
