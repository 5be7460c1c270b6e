//! The governance tracker through the API and the pages: the improvement lead records a report, its
//! recommendations, actions and both status histories; the oversight body writes and publishes the section 55
//! response, which is refused while a recommendation lacks an answer; the readers see it all and the other
//! roles get nothing; a change based on an old view of the tracker never overwrites a newer one.

use crate::harness::{App, hidden};
use crate::stories;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// The 2019 review as the improvement lead records it: two immediate recommendations.
async fn review(app: &App) -> (String, Vec<String>) {
    let improve = app.token("improve").await;
    let (s, i) = app
        .post(
            &improve,
            "/api/v1/inspections",
            json!({"title": "Post-inspection review", "published_on": "2019-03-28"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{i}");
    let id = i["id"].as_str().unwrap().to_string();
    let mut recs = vec![];
    for (n, text) in [
        (1, "Continue to implement."),
        (2, "Improve online investigations."),
    ] {
        let (s, r) = app
            .post(
                &improve,
                &format!("/api/v1/inspections/{id}/recommendations"),
                json!({"number": n.to_string(), "text": text, "time_band": "immediate", "paraphrased": true}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{r}");
        assert_eq!(r["due_on"], "2019-05-09", "six weeks after publication");
        recs.push(r["id"].as_str().unwrap().to_string());
    }
    (id, recs)
}

async fn put(app: &App, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
    let res = reqwest::Client::new()
        .put(app.url(path))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    (res.status(), res.json().await.unwrap_or(Value::Null))
}

async fn a_report_gives_its_section_55_last_day_and_days_late_once_the_response_is_published(
    app: App,
) {
    let (id, recs) = review(&app).await;
    let oversight = app.token("oversight").await;
    let (s, i) = app
        .get(&oversight, &format!("/api/v1/inspections/{id}"))
        .await;
    assert_eq!(s, StatusCode::OK, "{i}");
    assert_eq!(i["published_on"], "2019-03-28");
    assert_eq!(i["s55_last_day"], "2019-05-22");
    assert!(i["s55_published_on"].is_null() && i["s55_days_late"].is_null());
    let (s, list) = app.get(&oversight, "/api/v1/inspections").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(list["items"][0]["id"], id.as_str());
    assert_eq!(list["items"][0]["s55_last_day"], "2019-05-22");
    // One answer of two: saved, but not publishable.
    let path = format!("/api/v1/inspections/{id}/response");
    let (s, saved) = put(
        &app,
        &oversight,
        &path,
        json!({"covering": "We welcome the review.", "answers": [
            {"recommendation": recs[0], "kind": "action_taken", "text": "Every 2016 recommendation is tracked."}]}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{saved}");
    assert_eq!(saved["response"]["unanswered"], json!(["2"]));
    let (s, refused) = app
        .post(
            &oversight,
            &format!("{path}/publish"),
            json!({"published_on": "2019-05-28"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert_eq!(refused["error"]["location"], "answers");
    assert!(
        refused["error"]["message"]
            .as_str()
            .unwrap()
            .contains("(2)"),
        "{refused}"
    );
    let (s, _) = put(
        &app,
        &oversight,
        &path,
        json!({"covering": "We welcome the review.", "chief_officer": "The Commissioner accepts both.", "answers": [
            {"recommendation": recs[0], "kind": "action_taken", "text": "Every 2016 recommendation is tracked."},
            {"recommendation": recs[1], "kind": "action_proposed", "text": "120 officers trained."}]}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    // Not before the report, not in the future.
    for day in ["2019-03-27", "2999-01-01"] {
        let (s, e) = app
            .post(
                &oversight,
                &format!("{path}/publish"),
                json!({"published_on": day}),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{day}: {e}");
        assert_eq!(e["error"]["location"], "published_on");
    }
    let (s, published) = app
        .post(
            &oversight,
            &format!("{path}/publish"),
            json!({"published_on": "2019-05-28"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{published}");
    assert_eq!(published["s55_published_on"], "2019-05-28");
    assert_eq!(published["s55_days_late"], 6);
    let (_, again) = app
        .get(&oversight, &format!("/api/v1/inspections/{id}"))
        .await;
    assert_eq!(again["s55_days_late"], 6);
    assert_eq!(
        again["response"]["chief_officer"],
        "The Commissioner accepts both."
    );
    // An answer list longer than any report's is refused before it is read through.
    let many: Vec<Value> = (0..201)
        .map(|_| json!({"recommendation": recs[0], "kind": "action_taken", "text": "x"}))
        .collect();
    let (s, e) = put(
        &app,
        &oversight,
        &format!("/api/v1/inspections/{}/response", "no-such"),
        json!({"answers": many}),
    )
    .await;
    assert_eq!(
        (s, e["error"]["location"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("answers"))
    );
    // Published is final: neither published again nor changed.
    let (s, _) = app
        .post(&oversight, &format!("{path}/publish"), json!({}))
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (s, _) = put(&app, &oversight, &path, json!({"covering": "Changed."})).await;
    assert_eq!(s, StatusCode::CONFLICT);
    // A response published on the last day is on time.
    let improve = app.token("improve").await;
    let (_, other) = app
        .post(
            &improve,
            "/api/v1/inspections",
            json!({"title": "Another", "published_on": "2020-01-10"}),
        )
        .await;
    let other = other["id"].as_str().unwrap();
    assert_eq!(
        app.get(&oversight, &format!("/api/v1/inspections/{other}"))
            .await
            .1["s55_last_day"],
        "2020-03-05",
        "2020 is a leap year"
    );
    let (s, _) = put(
        &app,
        &oversight,
        &format!("/api/v1/inspections/{other}/response"),
        json!({"covering": "No recommendations were made."}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let (_, on_time) = app
        .post(
            &oversight,
            &format!("/api/v1/inspections/{other}/response/publish"),
            json!({"published_on": "2020-03-05"}),
        )
        .await;
    assert_eq!(on_time["s55_days_late"], 0, "{on_time}");
}

async fn only_the_improvement_lead_keeps_the_tracker_and_only_the_oversight_body_responds(
    app: App,
) {
    let (id, recs) = review(&app).await;
    let rec = &recs[1];
    for user in [
        "oversight",
        "lead.cn",
        "central",
        "auditor",
        "dpo",
        "improve",
    ] {
        let (s, _) = app.get(&app.token(user).await, "/api/v1/inspections").await;
        assert_eq!(s, StatusCode::OK, "{user} reads the tracker");
    }
    for user in ["inv.cn", "sup.cn", "forensics", "admin"] {
        let t = app.token(user).await;
        assert_eq!(
            app.get(&t, "/api/v1/inspections").await.0,
            StatusCode::FORBIDDEN,
            "{user}"
        );
        let (s, _) = app.get(&t, &format!("/api/v1/inspections/{id}")).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{user} reads one report");
    }
    let oversight = app.token("oversight").await;
    let lead = app.token("lead.cn").await;
    let improve = app.token("improve").await;
    for t in [&oversight, &lead] {
        let (s, _) = app
            .post(
                t,
                "/api/v1/inspections",
                json!({"title": "X", "published_on": "2020-01-01"}),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, _) = app
            .post(
                t,
                &format!("/api/v1/recommendations/{rec}/statuses"),
                json!({"track": "force", "status": "closed"}),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
    }
    let (s, _) = app
        .post(
            &improve,
            &format!("/api/v1/recommendations/{rec}/comments"),
            json!({"text": "A comment."}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "comments are the board's");
    let (s, _) = put(
        &app,
        &improve,
        &format!("/api/v1/inspections/{id}/response"),
        json!({}),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "the response is the board's");
    let (s, r) = app
        .post(
            &oversight,
            &format!("/api/v1/recommendations/{rec}/comments"),
            json!({"text": "Pace is a concern."}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    assert_eq!(r["comments"][0]["text"], "Pace is a concern.");
    assert_eq!(r["comments"][0]["by"], "Officer oversight");
    // Records that do not exist answer 404.
    let (s, _) = app
        .get(&lead, "/api/v1/recommendations/no-such-thing")
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

async fn statuses_actions_and_evidence_build_up_history_that_is_never_overwritten(app: App) {
    let (_, recs) = review(&app).await;
    let rec = &recs[1];
    let improve = app.token("improve").await;
    let base = format!("/api/v1/recommendations/{rec}");
    for (track, status, on) in [
        ("force", "not_started", "2019-04-01"),
        ("inspectorate", "awaiting_review", "2019-04-04"),
        ("force", "on_track", "2019-06-03"),
    ] {
        let (s, r) = app
            .post(
                &improve,
                &format!("{base}/statuses"),
                json!({"track": track, "status": status, "on": on}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{r}");
    }
    // A status copied late from the portal takes its place by its day, not by when it was typed.
    let (_, r) = app
        .post(
            &improve,
            &format!("{base}/statuses"),
            json!({"track": "force", "status": "off_track", "on": "2019-05-01", "comment": "Training places lost."}),
        )
        .await;
    let force: Vec<&str> = r["force_history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["status"].as_str().unwrap())
        .collect();
    assert_eq!(force, ["not_started", "off_track", "on_track"]);
    assert_eq!(r["force_status"]["status"], "on_track");
    assert_eq!(r["inspectorate_status"]["label"], "Awaiting review");
    for (body, field) in [
        (json!({"track": "force", "status": "complete"}), "status"),
        (json!({"track": "portal", "status": "complete"}), "track"),
        (
            json!({"track": "force", "status": "closed", "on": "2019-03-01"}),
            "on",
        ),
        (
            json!({"track": "force", "status": "closed", "on": "2999-03-01"}),
            "on",
        ),
    ] {
        let (s, e) = app.post(&improve, &format!("{base}/statuses"), body).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert_eq!(e["error"]["location"], field, "{e}");
    }
    let (s, r) = app
        .post(
            &improve,
            &format!("{base}/actions"),
            json!({"text": "Train every BCU officer.", "owner": "Head of training", "due_on": "2019-09-30"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    let action = r["actions"][0]["id"].as_str().unwrap().to_string();
    assert_eq!(r["actions"][0]["overdue"], true, "due in 2019, not done");
    let (s, r) = app
        .post(
            &improve,
            &format!("{base}/evidence"),
            json!({"note": "Attendance lists.", "file_ref": "CPIT/2019/031", "action": action, "link": "javascript:alert(1)"}),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a link that could run script: {r}"
    );
    assert_eq!(r["error"]["location"], "link");
    let (s, r) = app
        .post(
            &improve,
            &format!("{base}/evidence"),
            json!({"note": "Attendance lists.", "file_ref": "CPIT/2019/031", "action": action, "link": "https://example.org/attendance"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    assert_eq!(r["evidence"][0]["action"], action.as_str());
    let (s, r) = app
        .post(
            &improve,
            &format!("{base}/actions/{action}/done"),
            json!({"on": "2019-09-20"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["actions"][0]["done_on"], "2019-09-20");
    assert_eq!(r["actions"][0]["overdue"], false);
    let (s, _) = app
        .post(
            &improve,
            &format!("{base}/actions/{action}/done"),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "done once");
    // The other recommendation's path does not reach this action.
    let (s, _) = app
        .post(
            &improve,
            &format!("/api/v1/recommendations/{}/actions/{action}/done", recs[0]),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // Too long, and a control character.
    let (s, e) = app
        .post(
            &improve,
            &format!("{base}/actions"),
            json!({"text": "x".repeat(10_001), "owner": "A", "due_on": "2019-09-30"}),
        )
        .await;
    assert_eq!(
        (s, e["error"]["location"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("text"))
    );
    let (s, e) = app
        .post(
            &improve,
            &format!("{base}/actions"),
            json!({"text": "a\u{0}b", "owner": "A", "due_on": "2019-09-30"}),
        )
        .await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("input.control_character")
        )
    );
}

async fn the_improvement_lead_works_the_tracker_and_the_board_responds_through_the_pages(app: App) {
    let (id, recs) = review(&app).await;
    let improve = app.browser("improve").await;
    let page = improve
        .get(app.url(&format!("/governance/recommendations/{}", recs[1])))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Record a status") && page.contains("Add an action"),
        "{page}"
    );
    let csrf = hidden(&page, "csrf");
    let post = |path: String, form: Vec<(&'static str, String)>| {
        let c = improve.clone();
        let url = app.url(&path);
        async move { c.post(url).form(&form).send().await.unwrap() }
    };
    let res = post(
        format!("/governance/recommendations/{}/actions", recs[1]),
        vec![
            ("csrf", csrf.clone()),
            ("text", "Run the workshops.".into()),
            ("owner", "Head of training".into()),
            ("due_on", "".into()),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = res.text().await.unwrap();
    assert!(
        refused.contains("There is a problem") && refused.contains("Run the workshops."),
        "the form keeps what was typed"
    );
    let res = post(
        format!("/governance/recommendations/{}/actions", recs[1]),
        vec![
            ("csrf", csrf.clone()),
            ("text", "Run the workshops.".into()),
            ("owner", "Head of training".into()),
            ("due_on", "2019-10-31".into()),
        ],
    )
    .await;
    assert!(res.url().path().ends_with(&recs[1]), "{}", res.url());
    let res = post(
        format!("/governance/recommendations/{}/status", recs[1]),
        vec![
            ("csrf", csrf.clone()),
            ("status", "force:on_track".into()),
            ("on", "2019-06-03".into()),
            ("comment", "Plan agreed.".into()),
        ],
    )
    .await;
    let shown = res.text().await.unwrap();
    assert!(
        shown.contains("Run the workshops.") && shown.contains("Plan agreed."),
        "{shown}"
    );
    // The oversight body's pages: the last day, the response form, and no tracker forms.
    let board = app
        .page_as(
            "oversight",
            &format!("/governance/inspections/{id}/response"),
        )
        .await;
    assert!(
        board.contains("22 May 2019") && board.contains("Save the response"),
        "{board}"
    );
    let rec = app
        .page_as(
            "oversight",
            &format!("/governance/recommendations/{}", recs[1]),
        )
        .await;
    assert!(rec.contains("Add the comment") && !rec.contains("Record a status"));
    // The board records a meeting's attendees by role, from its pick-list, with anyone else written in.
    let (_, m) = app
        .post(
            &app.token("oversight").await,
            "/api/v1/meetings",
            json!({"first": "2019-06-20", "count": 1}),
        )
        .await;
    let meeting = m["items"][0]["id"].as_str().unwrap().to_string();
    let oversight = app.browser("oversight").await;
    let form = oversight
        .get(app.url(&format!("/governance/meetings/{meeting}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(form.contains("Attendees by role") && form.contains("Commander, Public Protection"));
    let res = oversight
        .post(app.url(&format!("/governance/meetings/{meeting}")))
        .form(&[
            ("csrf", hidden(&form, "csrf")),
            ("on", "2019-06-20".into()),
            ("role-0", "1".into()),
            ("role-2", "1".into()),
            ("attendees", "  \nNSPCC regional lead\n".into()),
            ("minutes", "Reviewed.".into()),
            ("decisions", "".into()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let (_, listed) = app
        .get(&app.token("oversight").await, "/api/v1/meetings")
        .await;
    let kept = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == meeting.as_str())
        .unwrap()["attendees"]
        .clone();
    assert_eq!(
        kept,
        json!([
            "Deputy Mayor for Policing and Crime (chair)",
            "Detective Chief Superintendent, Safeguarding",
            "NSPCC regional lead"
        ])
    );
    // A reader without a keeping role sees the tracker and no form at all.
    let lead = app
        .page_as("lead.cn", &format!("/governance/inspections/{id}"))
        .await;
    assert!(
        lead.contains("Continue to implement.")
            && !lead.contains("<form method=\"post\" action=\"/governance")
    );
    let denied = app
        .browser("inv.cn")
        .await
        .get(app.url("/governance"))
        .send()
        .await
        .unwrap();
    assert_eq!(denied.status(), StatusCode::FORBIDDEN);
}

async fn staff_number(app: &App, user: &str, number: &str) {
    let admin = app.token("admin").await;
    let id = app.store.user_by_username(user).await.unwrap().unwrap().id;
    let (s, r) = app
        .post(
            &admin,
            &format!("/api/v1/users/{id}/staff-number"),
            json!({"staff_number": number}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
}

async fn completions_import_all_or_nothing_and_names_reach_only_the_officer_their_sergeant_lead_and_the_improvement_lead(
    app: App,
) {
    for (user, n) in [
        ("inv.cn", "MP1"),
        ("inv.cn.2", "MP2"),
        ("sup.cn", "MP3"),
        ("inv.cw", "MP4"),
    ] {
        staff_number(&app, user, n).await;
    }
    // A staff number is letters, digits, - or /.
    let admin = app.token("admin").await;
    let inv = app
        .store
        .user_by_username("inv.cn")
        .await
        .unwrap()
        .unwrap()
        .id;
    let (s, e) = app
        .post(
            &admin,
            &format!("/api/v1/users/{inv}/staff-number"),
            json!({"staff_number": "MP 1; DROP"}),
        )
        .await;
    assert_eq!(
        (s, e["error"]["location"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("staff_number"))
    );
    let (s, _) = app
        .post(
            &app.token("improve").await,
            &format!("/api/v1/users/{inv}/staff-number"),
            json!({"staff_number": "MP1"}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "only an administrator sets it");
    // A staff number is one account's.
    let lead = app
        .store
        .user_by_username("lead.cn")
        .await
        .unwrap()
        .unwrap()
        .id;
    let (s, e) = app
        .post(
            &admin,
            &format!("/api/v1/users/{lead}/staff-number"),
            json!({"staff_number": "MP1"}),
        )
        .await;
    assert_eq!(
        (s, e["error"]["location"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("staff_number"))
    );
    let improve = app.token("improve").await;
    let (s, c) = app
        .post(
            &improve,
            "/api/v1/training/courses",
            json!({"name": "Awareness session"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    let (again, _) = app
        .post(
            &improve,
            "/api/v1/training/courses",
            json!({"name": " awareness SESSION "}),
        )
        .await;
    assert_eq!(
        again,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a course name is used once"
    );
    let course = c["id"].as_str().unwrap();
    let (s, c) = app
        .post(
            &improve,
            &format!("/api/v1/training/courses/{course}/sessions"),
            json!({"on": "2019-05-15", "place": "Hendon"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    assert_eq!(
        c["sessions"],
        json!([{"on": "2019-05-15", "place": "Hendon"}])
    );
    // The limits: a file over 5 MiB is refused before a row is read.
    let huge = format!(
        "staff_number,course,completed_on\n{}",
        "MP1,Awareness session,2019-05-15\n".repeat(170_000)
    );
    assert!(huge.len() > 5 << 20);
    let (s, e) = app
        .post(
            &improve,
            "/api/v1/training/completions",
            json!({"source": "big.csv", "csv": huge}),
        )
        .await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{e}");
    let bad = "staff_number,course,completed_on\nMP1,Awareness session,2019-05-15\nMP9,Awareness session,2019-05-15\nMP2,Workshops,2019-05-15\nMP3,Awareness session,15/05/2019\nMP4,Awareness session,2999-01-01\n";
    let (s, e) = app
        .post(
            &improve,
            "/api/v1/training/completions",
            json!({"source": "lms.csv", "csv": bad}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let message = e["error"]["message"].as_str().unwrap();
    for line in ["line 3", "line 4", "line 5", "line 6"] {
        assert!(message.contains(line), "{line} missing: {message}");
    }
    assert!(
        message.contains("nothing was imported") && !message.contains("line 2:"),
        "{message}"
    );
    let (_, courses) = app.get(&improve, "/api/v1/training/courses").await;
    assert_eq!(courses["items"][0]["done"], 0, "nothing half-imported");
    let good = "staff_number,course,completed_on\nMP1,Awareness session,2019-05-15\nMP2,awareness session,2019-05-16\nMP4,Awareness session,2019-05-16\nMP1,Awareness session,2019-05-17\n";
    let (s, r) = app
        .post(
            &improve,
            "/api/v1/training/completions",
            json!({"source": "lms.csv", "csv": good}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    assert_eq!(
        (
            r["rows"].as_u64(),
            r["recorded"].as_u64(),
            r["already"].as_u64()
        ),
        (Some(4), Some(3), Some(1))
    );
    // Coverage: Central North's team is inv.cn, inv.cn.2, sup.cn and lead.cn; two of them done.
    let (s, courses) = app
        .get(&app.token("oversight").await, "/api/v1/training/courses")
        .await;
    assert_eq!(s, StatusCode::OK);
    let cn = courses["items"][0]["bcus"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["bcu"] == "cn")
        .unwrap()
        .clone();
    assert_eq!(cn, json!({"bcu": "cn", "done": 2, "team": 4}));
    // The figures page shows the same coverage, without names.
    let figures = app.page_as("oversight", "/oversight").await;
    assert!(
        figures.contains("Training coverage")
            && figures.contains("2 of 4 (50%)")
            && !figures.contains("Officer inv.cn"),
        "the figures' training coverage"
    );
    // Names: the improvement lead all three; Central North's sergeant and lead their two; an officer their own.
    let names = |v: &Value| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["officer"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        names(&app.get(&improve, "/api/v1/training/completions").await.1).len(),
        3
    );
    for user in ["sup.cn", "lead.cn"] {
        let got = names(
            &app.get(&app.token(user).await, "/api/v1/training/completions")
                .await
                .1,
        );
        assert_eq!(got, ["Officer inv.cn", "Officer inv.cn.2"], "{user}");
    }
    let own = names(
        &app.get(&app.token("inv.cn.2").await, "/api/v1/training/completions")
            .await
            .1,
    );
    assert_eq!(own, ["Officer inv.cn.2"]);
    for user in ["oversight", "auditor", "central", "dpo", "admin"] {
        let (s, _) = app
            .get(&app.token(user).await, "/api/v1/training/completions")
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{user} sees coverage only");
    }
    // Reading names is a logged consultation.
    let logged = app.log_for("-").await;
    assert!(
        logged
            .iter()
            .any(|e| e.record_type == "training" && e.detail.contains("2 listed")),
        "{logged:?}"
    );
}

/// The text of a PDF, by `pdftotext` (poppler-utils); `None` where it is not installed, which CI refuses.
fn pdf_text(bytes: &[u8]) -> Option<String> {
    let dir = std::env::temp_dir().join(format!("sg-pdf-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("doc.pdf");
    std::fs::write(&file, bytes).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg(&file)
        .arg("-")
        .output();
    let _ = std::fs::remove_dir_all(&dir);
    match out {
        Ok(o) if o.status.success() => Some(String::from_utf8_lossy(&o.stdout).into_owned()),
        Ok(o) => panic!(
            "pdftotext refused the PDF: {}",
            String::from_utf8_lossy(&o.stderr)
        ),
        Err(_) => {
            assert_ne!(
                std::env::var("CI").as_deref(),
                Ok("true"),
                "CI=true but pdftotext is missing: .ci/run installs poppler-utils"
            );
            eprintln!(
                "skipped: pdftotext (poppler-utils) is not installed, so the PDF's text is not checked"
            );
            None
        }
    }
}

async fn bytes(app: &App, token: &str, path: &str) -> (StatusCode, String, Vec<u8>) {
    let res = reqwest::Client::new()
        .get(app.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = res.status();
    let kind = res
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, kind, res.bytes().await.unwrap().to_vec())
}

async fn a_past_meetings_pack_never_changes_after_a_later_edit_and_its_pdf_shows_the_same_words(
    app: App,
) {
    let (id, recs) = review(&app).await;
    let improve = app.token("improve").await;
    let oversight = app.token("oversight").await;
    let status = |status: &'static str, on: &'static str| json!({"track": "force", "status": status, "on": on});
    let (s, _) = app
        .post(
            &improve,
            &format!("/api/v1/recommendations/{}/statuses", recs[1]),
            status("on_track", "2019-06-03"),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let (s, _) = app
        .post(
            &improve,
            "/api/v1/meetings",
            json!({"first": "2019-06-20", "count": 2}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "meetings are the board's");
    let (s, m) = app
        .post(
            &oversight,
            "/api/v1/meetings",
            json!({"first": "2019-06-20", "count": 2}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{m}");
    assert_eq!(m["items"][1]["on"], "2019-08-01", "six weeks later");
    let (first, second) = (
        m["items"][0]["id"].as_str().unwrap().to_string(),
        m["items"][1]["id"].as_str().unwrap().to_string(),
    );
    let edit = json!({"on": "2019-06-20", "attendees": ["Deputy Mayor (chair)", "Commander"], "minutes": "Reviewed.", "decisions": "Carry on."});
    let req = reqwest::Client::new()
        .put(app.url(&format!("/api/v1/meetings/{first}")))
        .bearer_auth(&oversight)
        .json(&edit)
        .send()
        .await
        .unwrap();
    assert_eq!(req.status(), StatusCode::OK);
    let crowd: Vec<String> = (0..101).map(|n| format!("Attendee {n}")).collect();
    let req = reqwest::Client::new()
        .put(app.url(&format!("/api/v1/meetings/{first}")))
        .bearer_auth(&oversight)
        .json(&json!({"on": "2019-06-20", "attendees": crowd}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        req.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "at most 100 attendees"
    );
    let (s, frozen) = app
        .post(
            &oversight,
            &format!("/api/v1/meetings/{first}/snapshot"),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{frozen}");
    assert_eq!(frozen["intact"], true);
    let pack = frozen["pack"].clone();
    let sha = frozen["sha256"].as_str().unwrap().to_string();
    assert_eq!(sha.len(), 64);
    let rec = |pack: &Value| pack["inspections"][0]["recommendations"][1].clone();
    assert!(
        rec(&pack)["force_status"]
            .as_str()
            .unwrap()
            .starts_with("On track"),
        "{pack}"
    );
    assert_eq!(
        pack["meeting"]["attendees"],
        json!(["Deputy Mayor (chair)", "Commander"])
    );
    // Later edits: a status, the meeting's record. The frozen pack stays as it was, and its hash still holds.
    let (s, _) = app
        .post(
            &improve,
            &format!("/api/v1/recommendations/{}/statuses", recs[1]),
            status("closed", "2019-07-15"),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let edit = json!({"on": "2019-06-20", "attendees": ["Someone else"], "minutes": "Rewritten.", "decisions": ""});
    reqwest::Client::new()
        .put(app.url(&format!("/api/v1/meetings/{first}")))
        .bearer_auth(&oversight)
        .json(&edit)
        .send()
        .await
        .unwrap();
    let (s, again) = app
        .get(
            &app.token("lead.cn").await,
            &format!("/api/v1/meetings/{first}/snapshot"),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(again["pack"], pack, "a frozen pack never changes");
    assert_eq!(
        (again["sha256"].as_str(), again["intact"].as_bool()),
        (Some(sha.as_str()), Some(true))
    );
    let (s, _) = app
        .post(
            &oversight,
            &format!("/api/v1/meetings/{first}/snapshot"),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "frozen once");
    // The next meeting's pack has the later status.
    let (_, later) = app
        .post(
            &oversight,
            &format!("/api/v1/meetings/{second}/snapshot"),
            json!({}),
        )
        .await;
    assert!(
        rec(&later["pack"])["force_status"]
            .as_str()
            .unwrap()
            .starts_with("Closed"),
        "{later}"
    );
    // A meeting still ahead is not frozen yet.
    let ahead = (jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24 * 20))
        .strftime("%Y-%m-%d")
        .to_string();
    let (_, m) = app
        .post(
            &oversight,
            "/api/v1/meetings",
            json!({"first": ahead, "count": 1}),
        )
        .await;
    let future = m["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["on"] == ahead.as_str())
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (s, e) = app
        .post(
            &oversight,
            &format!("/api/v1/meetings/{future}/snapshot"),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    // The PDFs: the pack with the words of its page, the response with its last day.
    let (s, kind, pdf) = bytes(
        &app,
        &oversight,
        &format!("/api/v1/meetings/{first}/pack.pdf"),
    )
    .await;
    assert_eq!((s, kind.as_str()), (StatusCode::OK, "application/pdf"));
    assert!(pdf.starts_with(b"%PDF-1.7"));
    // Its three charts (the recommendations by status, the referrals each month, the shares each month) are
    // figures with their alternative text, as on the page.
    let raw = String::from_utf8_lossy(&pdf);
    assert_eq!(
        raw.matches("/S /Figure").count(),
        3,
        "charts in the pack's PDF"
    );
    assert!(raw.matches("/Alt <FEFF").count() >= 3);
    let page = app
        .page_as("oversight", &format!("/governance/meetings/{first}/pack"))
        .await;
    for id in ["pack-status", "pack-received", "pack-rates"] {
        assert!(
            page.contains(&format!("aria-labelledby=\"{id}-title {id}-desc\"")),
            "{id} not on the pack's page"
        );
    }
    if let Some(text) = pdf_text(&pdf) {
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for expected in [
            "Oversight board pack: meeting of 20 June 2019",
            "Recommendations by the force's status",
            "Referrals received by month",
            "Share on time",
            "Improve online investigations.",
            "On track (from 2019-06-03)",
            "Deputy Mayor (chair)",
            &sha[..16],
        ] {
            assert!(flat.contains(expected), "{expected} not in the PDF: {flat}");
        }
        assert!(
            !flat.contains("Someone else"),
            "the later edit reached the pack"
        );
    }
    let (s, _, pdf) = bytes(
        &app,
        &oversight,
        &format!("/api/v1/inspections/{id}/response.pdf"),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    if let Some(text) = pdf_text(&pdf) {
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            flat.contains("To: the Home Secretary")
                && flat.contains("22 May 2019")
                && flat.contains("Continue to implement."),
            "{flat}"
        );
    }
    let (s, _, _) = bytes(
        &app,
        &app.token("inv.cn").await,
        &format!("/api/v1/meetings/{first}/pack.pdf"),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

stories!(
    a_report_gives_its_section_55_last_day_and_days_late_once_the_response_is_published,
    only_the_improvement_lead_keeps_the_tracker_and_only_the_oversight_body_responds,
    statuses_actions_and_evidence_build_up_history_that_is_never_overwritten,
    the_improvement_lead_works_the_tracker_and_the_board_responds_through_the_pages,
    completions_import_all_or_nothing_and_names_reach_only_the_officer_their_sergeant_lead_and_the_improvement_lead,
    a_past_meetings_pack_never_changes_after_a_later_edit_and_its_pdf_shows_the_same_words
);
