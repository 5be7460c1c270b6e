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
    // A field left out keeps what is recorded.
    let (_, people) = app
        .post(&sup, &format!("{base}/{person}"), json!({"age": 9}))
        .await;
    let child = people_of(&people)
        .into_iter()
        .find(|p| p["id"] == person)
        .unwrap();
    assert_eq!(
        (
            child["age"].as_u64(),
            child["name"].as_str(),
            child["school"].as_str()
        ),
        (Some(9), Some("Sam Example"), Some("Example Primary"))
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
            "Child with access to the suspect corrected: Sam Example",
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
    // A referral that joined a subject through the person re-categorised leaves it; the other stays.
    let a = import(
        &app,
        "RC-j-1",
        "Camden",
        report(&with_email("joined@example.com"), ""),
    )
    .await;
    let b = import(
        &app,
        "RC-j-2",
        "Camden",
        report(&with_email("JOINED@example.com"), ""),
    )
    .await;
    assert_eq!(subject_of(&a), subject_of(&b), "joined through the email");
    let inv = app.token("inv.cn").await;
    let bid = b["id"].as_str().unwrap();
    let (_, people) = app
        .get(&inv, &format!("/api/v1/referrals/{bid}/people"))
        .await;
    let reported = people_of(&people)
        .into_iter()
        .find(|p| p["category"] == "reported")
        .unwrap();
    app.post(
        &inv,
        &format!(
            "/api/v1/referrals/{bid}/people/{}/category",
            reported["id"].as_str().unwrap()
        ),
        json!({"category": "victim", "reason": "The child shared their own image"}),
    )
    .await;
    let (_, after_b) = app.get(&inv, &format!("/api/v1/referrals/{bid}")).await;
    let (_, after_a) = app
        .get(
            &inv,
            &format!("/api/v1/referrals/{}", a["id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(
        after_a["subject_id"].as_str(),
        Some(subject_of(&a).as_str()),
        "the other referral stays"
    );
    assert_ne!(
        after_b["subject_id"].as_str(),
        Some(subject_of(&a).as_str()),
        "the re-categorised one leaves"
    );
    let (_, timeline) = app
        .get(&inv, &format!("/api/v1/referrals/{bid}/timeline"))
        .await;
    assert!(
        timeline
            .to_string()
            .contains("left the subject it shared through them")
    );
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
    a_child_victim_referred_to_the_child_house_shows_interviews_and_days_to_each_step,
    only_a_child_victim_in_a_served_borough_is_referred_to_the_child_house,
    the_instruments_answer_that_the_suspect_lives_with_children_prompts_recording_them,
    a_child_with_access_starts_a_social_care_clock_that_shows_late_though_enforcement_was_on_time,
    a_child_reached_through_work_needs_the_lado_within_a_working_day_and_not_needed_ends_a_clock,
    an_investigator_records_a_child_living_with_the_suspect_and_corrects_them_each_change_attributed,
    a_reported_child_recategorised_as_a_victim_witness_or_child_with_access_no_longer_links,
    the_referral_page_shows_people_by_category_and_records_a_child_from_its_form,
);

/// A referral received now, assessed, allocated to inv.cn and enforced at once (its target met).
async fn enforced_on_time(app: &App, report_id: &str) -> String {
    let r = import(
        app,
        report_id,
        "Camden",
        report(&with_email(&format!("{report_id}@example.com")), ""),
    )
    .await;
    let id = r["id"].as_str().unwrap().to_string();
    let sup = app.token("sup.cn").await;
    let base = format!("/api/v1/referrals/{id}");
    app.post(
        &sup,
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
    let inv = app.token("inv.cn").await;
    let (s, e) = app
        .post(
            &inv,
            &format!("{base}/enforcement"),
            json!({"kind": "voluntary_interview", "version": 3}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{e}");
    assert_eq!(e["target_met"], true);
    id
}

async fn a_child_with_access_starts_a_social_care_clock_that_shows_late_though_enforcement_was_on_time(
    app: App,
) {
    let id = enforced_on_time(&app, "SC-1").await;
    let inv = app.token("inv.cn").await;
    let base = format!("/api/v1/referrals/{id}");
    // Recorded through the API: a 24-hour social care clock from now, never pausing.
    let (s, people) = app
        .post(&inv, &format!("{base}/people"), json!({"category": "child_with_access", "given_name": "Robin", "age": 9, "access": "lives_with"}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{people}");
    let (_, r) = app.get(&inv, &base).await;
    let clock = r["clocks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["kind"] == "social_care_referral")
        .unwrap()
        .clone();
    assert_eq!(
        (clock["state"].as_str(), clock["may_pause"].as_bool()),
        (Some("on_time"), Some(false))
    );
    let started: jiff::Timestamp = clock["started_at"].as_str().unwrap().parse().unwrap();
    let due: jiff::Timestamp = clock["due_at"].as_str().unwrap().parse().unwrap();
    assert_eq!(due.as_second() - started.as_second(), 24 * 3600);
    assert_eq!(
        r["safeguarding"].as_array().unwrap().len(),
        1,
        "no LADO referral for a child living with the suspect"
    );
    let sup = app.token("sup.cn").await;
    let (s, _) = app
        .post(
            &sup,
            &format!("{base}/clocks/{}/pause", clock["id"].as_str().unwrap()),
            json!({"reason": "x"}),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the social care clock never pauses"
    );

    // A child identified two days ago, whose referral was not made in time.
    let rid: domain::ReferralId = id.parse().unwrap();
    let referral = app.store.referral(rid).await.unwrap().unwrap();
    let by = app.actor("inv.cn").await;
    let two_days_ago = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(48);
    let late_clock = domain::clocks::Clock::start(
        domain::clocks::ClockKind::SocialCareReferral,
        two_days_ago,
        domain::TargetSpan::Hours(24),
    );
    let child = app
        .store
        .add_person(
            referral.force,
            rid,
            &store::PersonChange {
                role: domain::identifiers::PartyRole::ChildWithAccess,
                details: r#"{"person":{"first_name":"Jo","last_name":null,"emails":[],"phones":[],"addresses":[],"age":11,"date_of_birth":null},"esp_identifiers":[],"esp_service":null,"screen_names":[],"display_names":[],"profile_urls":[],"ip_events":[],"device_ids":[],"prior_reports":[],"group_identifiers":[],"estimated_locations":[],"school_name":null,"additional_info":[]}"#,
                access: Some("visits"),
                change: "added",
                summary: "Child with access to the suspect recorded: Jo".into(),
                safeguarding: vec![("social_care", late_clock)],
                at: two_days_ago,
            },
            &by,
        )
        .await
        .unwrap();
    let path = format!("{base}/people/{child}/safeguarding/social_care");
    let (s, e) = app.post(&inv, &path, json!({"authority": "nowhere"})).await;
    assert_eq!(
        (s, e["error"]["location"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("authority"))
    );
    let (s, e) = app
        .post(
            &inv,
            &path,
            json!({"authority": "camden", "strategy_discussion_on": "next week"}),
        )
        .await;
    assert_eq!(
        (s, e["error"]["location"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("strategy_discussion_on")
        )
    );
    let (s, e) = app
        .post(
            &inv,
            &path,
            json!({"authority": "camden", "authority_reference": "CAM-123"}),
        )
        .await;
    assert_eq!(
        (
            s,
            e["error"]["code"].as_str(),
            e["error"]["location"].as_str()
        ),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("clock.late_reason"),
            Some("late_reason")
        ),
        "made late, it needs a reason code: {e}"
    );
    let (s, items) = app
        .post(&inv, &path, json!({"authority": "camden", "authority_reference": "CAM-123", "late_reason": {"code": "awaiting_partner"}}))
        .await;
    assert_eq!(s, StatusCode::OK, "{items}");
    let made = items["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["person_id"] == child)
        .unwrap()
        .clone();
    assert_eq!(
        (
            made["state"].as_str(),
            made["late_code"].as_str(),
            made["authority"].as_str()
        ),
        (
            Some("missed"),
            Some("awaiting_partner"),
            Some("London Borough of Camden")
        )
    );
    let (_, r) = app.get(&inv, &base).await;
    assert_eq!(
        r["target_met"], true,
        "enforcement was on time, and stays so"
    );
    // The sergeant's team list shows it late.
    let team = app.page_as("sup.cn", "/team").await;
    let late = &team[team.find(r#"<h2 id="missed">"#).unwrap()..];
    assert!(
        late.contains("SC-1")
            && late.contains("Children's social care referral")
            && late.contains("Missed"),
        "{late}"
    );
    let (s, _) = app
        .post(
            &inv,
            &path,
            json!({"authority": "camden", "late_reason": {"code": "other"}}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "recorded once");
}

async fn a_child_reached_through_work_needs_the_lado_within_a_working_day_and_not_needed_ends_a_clock(
    app: App,
) {
    let id = enforced_on_time(&app, "SC-2").await;
    let inv = app.token("inv.cn").await;
    let base = format!("/api/v1/referrals/{id}");
    let (_, people) = app
        .post(&inv, &format!("{base}/people"), json!({"category": "child_with_access", "given_name": "Pupil", "access": "work_or_school"}))
        .await;
    let child = people["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["category"] == "child_with_access")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (_, sg) = app.get(&inv, &format!("{base}/safeguarding")).await;
    let kinds: Vec<&str> = sg["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["social_care", "lado"]);
    let lado = sg["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["kind"] == "lado")
        .unwrap();
    let due: jiff::Timestamp = lado["due_at"].as_str().unwrap().parse().unwrap();
    let hours = (due.as_second() - jiff::Timestamp::now().as_second()) / 3600;
    assert!(
        (23..=73).contains(&hours),
        "one working day (a weekend makes it longer): {hours} hours"
    );
    // Not needed, with a reason: the clock ends and counts in no figure.
    let (s, e) = app
        .post(
            &inv,
            &format!("{base}/people/{child}/safeguarding/lado"),
            json!({"not_needed_reason": "The suspect left the school in 2019"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{e}");
    let (_, r) = app.get(&inv, &base).await;
    assert!(
        !r["clocks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["kind"] == "lado_referral"),
        "a referral not needed leaves no running clock: {}",
        r["clocks"]
    );
    let (_, timeline) = app.get(&inv, &format!("{base}/timeline")).await;
    assert!(
        timeline
            .to_string()
            .contains("Referral to the LADO not needed: The suspect left the school in 2019")
    );
}

async fn the_instruments_answer_that_the_suspect_lives_with_children_prompts_recording_them(
    app: App,
) {
    let r = import(
        &app,
        "PR-1",
        "Camden",
        report(&with_email("pr1@example.com"), ""),
    )
    .await;
    let id = r["id"].as_str().unwrap();
    let inv = app.token("inv.cn").await;
    let base = format!("/api/v1/referrals/{id}");
    let (_, inst) = app.get(&inv, &format!("{base}/instrument")).await;
    let mut answers = crate::triage::lowest_answers(&inst);
    answers.insert("lives_with_children".into(), json!(true));
    let (s, e) = app
        .post(
            &inv,
            &format!("{base}/assessment"),
            json!({"answers": answers, "version": 1}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{e}");
    let client = app.browser("inv.cn").await;
    let url = app.url(&format!("/referrals/{id}"));
    let html = client.get(&url).send().await.unwrap().text().await.unwrap();
    assert!(
        html.contains("The risk instrument says the suspect lives with or cares for a child."),
        "{html}"
    );
    app.post(
        &inv,
        &format!("{base}/people"),
        json!({"category": "child_with_access", "given_name": "Kit", "access": "lives_with"}),
    )
    .await;
    let html = client.get(&url).send().await.unwrap().text().await.unwrap();
    assert!(
        !html.contains("The risk instrument says the suspect lives with"),
        "recorded: no prompt"
    );
    assert!(
        html.contains("Children&#39;s social care referral")
            || html.contains("Children's social care referral")
    );
}

/// A referral received now in `borough` whose report names an 11-year-old victim; its id and the victim's.
async fn with_victim(app: &App, report_id: &str, borough: &str) -> (String, String) {
    let central = app.token("central").await;
    let now = jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    let (s, body) = crate::triage::post_xml(
        app,
        &central,
        &crate::triage::report_xml(
            &format!("{report_id}@example.com"),
            "2019-03-31T00:30:00-05:00",
        ),
        &format!("borough={borough}&report_id={report_id}&received_at={now}"),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    let id = body["imported"][0]["id"].as_str().unwrap().to_string();
    let inv = app
        .token(if borough == "Camden" {
            "inv.cn"
        } else {
            "central"
        })
        .await;
    let (_, people) = app
        .get(&inv, &format!("/api/v1/referrals/{id}/people"))
        .await;
    let victim = people_of(&people)
        .into_iter()
        .find(|p| p["category"] == "victim")
        .unwrap();
    assert_eq!(
        victim["age"], 11,
        "the victim's age shows without a download"
    );
    (id, victim["id"].as_str().unwrap().to_string())
}

async fn a_child_victim_referred_to_the_child_house_shows_interviews_and_days_to_each_step(
    app: App,
) {
    let (id, victim) = with_victim(&app, "CH-1", "Camden").await;
    let inv = app.token("inv.cn").await;
    let base = format!("/api/v1/referrals/{id}");
    let (s, e) = app
        .post(
            &inv,
            &format!("{base}/people/{victim}/child-house"),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{e}");
    let (s, _) = app
        .post(
            &inv,
            &format!("{base}/people/{victim}/child-house"),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "referred once");
    let child = e["items"][0]["id"].as_str().unwrap().to_string();
    let path = format!("{base}/child-house/{child}");
    let (s, e) = app
        .post(
            &inv,
            &format!("{path}/interviews"),
            json!({"place": "child_house", "interviewer": " "}),
        )
        .await;
    assert_eq!(
        (s, e["error"]["location"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("interviewer"))
    );
    let (s, _) = app
        .post(
            &inv,
            &format!("{path}/interviews"),
            json!({"place": "child_house", "interviewer": "DC Interviewer", "intermediary": true}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let (_, items) = app.get(&inv, &format!("{base}/child-house")).await;
    let m = &items["items"][0]["measures"];
    assert_eq!(
        (
            m["interviews"].as_u64(),
            m["days_to_first_interview"].as_i64(),
            m["repeat_interview"].as_bool()
        ),
        (Some(1), Some(0), Some(false))
    );
    // A second interview is a repeat; the medical and therapy are recorded once each.
    app.post(
        &inv,
        &format!("{path}/interviews"),
        json!({"place": "video_suite", "interviewer": "DC Second"}),
    )
    .await;
    let (s, _) = app.post(&inv, &format!("{path}/medical"), json!({})).await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = app.post(&inv, &format!("{path}/medical"), json!({})).await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (_, items) = app.get(&inv, &format!("{base}/child-house")).await;
    let c = &items["items"][0];
    assert_eq!(
        (
            c["measures"]["interviews"].as_u64(),
            c["measures"]["repeat_interview"].as_bool(),
            c["measures"]["days_to_medical"].as_i64()
        ),
        (Some(2), Some(true), Some(0))
    );
    assert_eq!(c["interviews"][1]["repeat"], true);
    // The page shows it under the victim.
    let client = app.browser("inv.cn").await;
    let html = client
        .get(app.url(&format!("/referrals/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("<h4>Child House</h4>") && html.contains("(a repeat interview was needed)"),
        "{html}"
    );
}

async fn only_a_child_victim_in_a_served_borough_is_referred_to_the_child_house(app: App) {
    // Westminster is not served by the 2018 pilot.
    let (id, victim) = with_victim(&app, "CH-2", "Westminster").await;
    let central = app.token("central").await;
    let (s, e) = app
        .post(
            &central,
            &format!("/api/v1/referrals/{id}/people/{victim}/child-house"),
            json!({}),
        )
        .await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("child_house.not_eligible")
        ),
        "{e}"
    );
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("does not serve Westminster")
    );
    // A victim aged 19 with no learning disability is not eligible; with one, they are.
    let (id, victim) = with_victim(&app, "CH-3", "Camden").await;
    let inv = app.token("inv.cn").await;
    let base = format!("/api/v1/referrals/{id}");
    app.post(&inv, &format!("{base}/people/{victim}"), json!({"age": 19}))
        .await;
    let (s, e) = app
        .post(
            &inv,
            &format!("{base}/people/{victim}/child-house"),
            json!({}),
        )
        .await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("child_house.not_eligible")
        )
    );
    let (s, _) = app
        .post(
            &inv,
            &format!("{base}/people/{victim}/child-house"),
            json!({"learning_disability": true}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    // The reported person is not a victim.
    let (_, people) = app.get(&inv, &format!("{base}/people")).await;
    let reported = people_of(&people)
        .into_iter()
        .find(|p| p["category"] == "reported")
        .unwrap();
    let (s, _) = app
        .post(
            &inv,
            &format!(
                "{base}/people/{}/child-house",
                reported["id"].as_str().unwrap()
            ),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
}
