//! Every typed input is bounded: over-long text and control characters are refused with a 422 naming the
//! field, through the API and the pages alike, and nothing is stored; newlines and tabs may be typed; a typed
//! body over 1 MiB is refused before it is read.

use crate::harness::{App, hidden};
use crate::stories;
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn typed_text_over_its_limit_or_with_control_characters_is_refused_naming_the_field_and_nothing_is_stored(
    app: App,
) {
    let sup = app.token("sup.cn").await;
    let base = format!("/api/v1/referrals/{}", app.cn_referral);
    let risk = format!("{base}/risk");

    let (s, e) = app
        .post(
            &sup,
            &risk,
            json!({"level": "high", "reason": "a".repeat(10_001), "version": 1}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["code"], "input.too_long");
    assert_eq!(e["error"]["location"], "reason");
    assert_eq!(e["error"]["message"], "Reason is over 10000 characters.");

    let (s, e) = app
        .post(
            &sup,
            &risk,
            json!({"level": "high", "reason": "Lives with\u{0}children", "version": 1}),
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
            Some("input.control_character"),
            Some("reason")
        ),
        "{e}"
    );
    assert!(e["error"]["message"].as_str().unwrap().contains("U+0000"));

    // A body over the typed limit is refused as too large, without being stored.
    let (s, e) = app
        .post(
            &sup,
            &risk,
            json!({"level": "high", "reason": "b".repeat(2 << 20), "version": 1}),
        )
        .await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, Some("request.too_large"))
    );

    let (_, r) = app.get(&sup, &base).await;
    assert_eq!(r["version"], 1, "nothing was stored: {r}");
    assert!(r["risk_level"].is_null());

    // A justification is at most 1,000 characters.
    let res = reqwest::Client::new()
        .get(app.url(&base))
        .bearer_auth(&sup)
        .header("X-Justification", "j".repeat(1_001))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let e: Value = res.json().await.unwrap();
    assert_eq!(e["error"]["location"], "justification");

    // A name is at most 200 characters, checked wherever it is in the body.
    let admin = app.token("admin").await;
    let (s, e) = app
        .post(
            &admin,
            "/api/v1/users",
            json!({"username": "new.user", "display_name": "N".repeat(201), "role": "oversight",
                   "password": "a long enough password"}),
        )
        .await;
    assert_eq!(
        (s, e["error"]["location"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("display_name")),
        "{e}"
    );
    let (s, e) = app
        .post(
            &app.token("auditor").await,
            "/api/v1/quality/samples",
            json!({"seed": "s", "as_at": "2019-01-01", "per_bcu": 1, "extra": [{"note": "x\u{7}"}]}),
        )
        .await;
    assert_eq!(
        (s, e["error"]["location"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("extra[0].note")),
        "a nested value is named by its path: {e}"
    );

    // Newlines and tabs are typed text like any other.
    let (s, r) = app
        .post(
            &sup,
            &risk,
            json!({"level": "high", "reason": "Lives with two children.\r\n\tBoth under 10.", "version": 1}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
}

async fn a_page_form_with_an_over_long_reason_is_refused_with_a_short_page_naming_the_field(
    app: App,
) {
    let client = app.browser("sup.cn").await;
    let path = format!("/referrals/{}", app.cn_referral);
    let page = html_of(&app, &client, &path).await;
    let form = [
        ("csrf", hidden(&page, "csrf")),
        ("version", "1".to_string()),
        ("level", "high".to_string()),
        ("reason", "r".repeat(100_000)),
    ];
    let res = client
        .post(app.url(&format!("{path}/risk")))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(
        body.contains("Reason is over 10000 characters."),
        "the page names the field"
    );
    assert!(
        body.len() < 20_000,
        "the refusal does not echo the text back ({} bytes)",
        body.len()
    );
    let sup = app.token("sup.cn").await;
    let (_, r) = app
        .get(&sup, &format!("/api/v1/referrals/{}", app.cn_referral))
        .await;
    assert_eq!(r["version"], 1, "nothing was stored");
}

async fn an_upload_is_refused_before_its_file_is_read_when_the_token_is_not_first_or_the_role_may_not_upload(
    app: App,
) {
    let big = vec![b'<'; 8 << 20];
    let upload = |client: reqwest::Client, csrf: String, csrf_first: bool| {
        let file = reqwest::multipart::Part::bytes(big.clone()).file_name("big.xml");
        let form = if csrf_first {
            reqwest::multipart::Form::new()
                .text("csrf", csrf)
                .part("file", file)
        } else {
            reqwest::multipart::Form::new()
                .part("file", file)
                .text("csrf", csrf)
        };
        let url = app.url("/referrals/upload");
        async move { client.post(url).multipart(form).send().await.unwrap() }
    };
    // Oversight may never import: refused on its role, the file unread.
    let oversight = app.browser("oversight").await;
    let home = html_of(&app, &oversight, "/").await;
    let res = upload(oversight, hidden(&home, "csrf"), true).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Not available to your role")
    );
    // The central desk may, but only with the token first.
    let central = app.browser("central").await;
    let page = html_of(&app, &central, "/referrals/upload").await;
    let res = upload(central, hidden(&page, "csrf"), false).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(res.text().await.unwrap().contains("Form not accepted"));
}

/// The `name=value` pairs a response sets, for a `Cookie` header.
fn cookies(res: &reqwest::Response) -> Vec<String> {
    res.headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok()?.split(';').next().map(str::to_string))
        .collect()
}

/// Sign `user` in through the page form without a cookie store; the session's `Cookie` header.
async fn session_cookie(app: &App, user: &str) -> String {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let res = client.get(app.url("/login")).send().await.unwrap();
    let login = cookies(&res).join("; ");
    let page = res.text().await.unwrap();
    let res = client
        .post(app.url("/login"))
        .header(reqwest::header::COOKIE, login)
        .form(&[
            ("username", user),
            ("password", crate::harness::PASSWORD),
            ("csrf", &hidden(&page, "csrf")),
        ])
        .send()
        .await
        .unwrap();
    cookies(&res)
        .into_iter()
        .filter(|c| !c.ends_with('='))
        .collect::<Vec<_>>()
        .join("; ")
}

async fn an_upload_whose_file_never_finishes_is_answered_at_once_when_the_role_may_not_upload(
    app: App,
) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let cookie = session_cookie(&app, "oversight").await;
    // The CSRF token of this session: the page it signs in to carries it.
    let page = reqwest::Client::new()
        .get(app.url("/"))
        .header(reqwest::header::COOKIE, &cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = hidden(&page, "csrf");
    let boundary = "XsafeguardX";
    let head = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.xml\"\r\n\r\n<report>"
    );
    // A body said to be 60 MiB, of which only the start is ever sent.
    let addr = app.url("").trim_start_matches("http://").to_string();
    let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let request = format!(
        "POST /referrals/upload HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\n\
         Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {}\r\n\r\n{head}",
        60 << 20
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = vec![0u8; 64];
    let read = tokio::time::timeout(std::time::Duration::from_secs(10), stream.read(&mut answer))
        .await
        .expect("the server answers without waiting for the file")
        .unwrap();
    let status = String::from_utf8_lossy(&answer[..read]).to_string();
    assert!(status.starts_with("HTTP/1.1 403"), "{status}");

    // The API's package import and scan upload answer a role that may not before reading the body.
    let token = app.token("oversight").await;
    for path in [
        "/api/v1/referrals".to_string(),
        "/api/v1/exhibits/00000000-0000-0000-0000-000000000000/scan".to_string(),
    ] {
        let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
        let request = format!(
            "POST {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{{\"reports\": [",
            60 << 20
        );
        stream.write_all(request.as_bytes()).await.unwrap();
        let read =
            tokio::time::timeout(std::time::Duration::from_secs(10), stream.read(&mut answer))
                .await
                .expect("the API answers without waiting for the body")
                .unwrap();
        let status = String::from_utf8_lossy(&answer[..read]).to_string();
        assert!(
            status.starts_with("HTTP/1.1 403") || status.starts_with("HTTP/1.1 404"),
            "{path}: {status}"
        );
    }
}

/// A page's HTML as `client` sees it.
async fn html_of(app: &App, client: &reqwest::Client, path: &str) -> String {
    client
        .get(app.url(path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

fn package_at(report_id: &str, received_at: &str, incident_at: &str) -> Value {
    json!({
        "source": "manual",
        "received_at": received_at,
        "borough": "Camden",
        "reports": [{
            "report_id": report_id,
            "report": {
                "incidentSummary": {"incidentType": "Online Enticement of Children for Sexual Acts", "incidentDateTime": incident_at},
                "personOrUserReported": {"personOrUserReportedPerson": {"firstName": "Alex", "lastName": "Example"}}
            }
        }]
    })
}

async fn receipts_and_incidents_before_2000_in_the_future_or_with_impossible_offsets_are_refused_naming_where(
    app: App,
) {
    let central = app.token("central").await;
    for (received, incident, location, words) in [
        (
            "0001-01-01T00:00:00Z",
            "0001-01-01T00:00:00Z",
            "received_at",
            "before 2000-01-01",
        ),
        (
            "1970-01-01T00:00:00Z",
            "1969-12-31T00:00:00Z",
            "received_at",
            "before 2000-01-01",
        ),
        (
            "2099-01-01T00:00:00Z",
            "2026-01-01T00:00:00Z",
            "received_at",
            "in the future",
        ),
        (
            "2026-11-20T09:30:00Z",
            "2030-01-01T00:00:00Z",
            "report D-1: incidentDateTime",
            "after the report was received",
        ),
        (
            "2026-11-20T09:30:00Z",
            "1999-12-31T23:00:00Z",
            "report D-1: incidentDateTime",
            "before 2000-01-01",
        ),
        (
            "2026-11-20T09:30:00+25:00",
            "2026-11-19T21:00:00Z",
            "received_at",
            "offset",
        ),
        (
            "2026-11-20T09:30:00Z",
            "2026-11-19T21:00:00+25:00",
            "",
            "offset",
        ),
    ] {
        let (s, e) = app
            .post(
                &central,
                "/api/v1/referrals",
                package_at("D-1", received, incident),
            )
            .await;
        assert_eq!(
            s,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{received} / {incident}: {e}"
        );
        let message = e["error"]["message"].as_str().unwrap_or_default();
        let at = e["error"]["location"].as_str().unwrap_or_default();
        assert!(
            message.contains(words) && at.contains(location),
            "{received} / {incident}: {e}"
        );
    }
    let (s, e) = app
        .post(
            &central,
            "/api/v1/referrals",
            package_at("D-1", "2026-11-20T09:30:00Z", "2026-11-19T21:00:00-05:00"),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::CREATED,
        "nothing was half-imported before: {e}"
    );

    // A time typed into a step: an offset no place uses, or a date before 2000.
    let (_, base) = crate::triage::allocated_referral(&app, "D-2").await;
    let inv = app.token("inv.cn").await;
    for at in ["2026-11-25T06:00:00+25:00", "1999-06-01T06:00:00Z"] {
        let (s, e) = app
            .post(
                &inv,
                &format!("{base}/enforcement"),
                json!({"kind": "arrest", "at": at, "version": 3}),
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
                Some("time.invalid"),
                Some("at")
            ),
            "{at}: {e}"
        );
    }
}

async fn a_london_time_skipped_in_spring_is_refused_and_one_that_happens_twice_is_asked_about(
    app: App,
) {
    let (id, base) = crate::triage::allocated_referral(&app, "D-3").await;
    let client = app.browser("inv.cn").await;
    let page = html_of(&app, &client, &format!("/referrals/{id}")).await;
    let csrf = hidden(&page, "csrf");
    let enforce = |at: &str| {
        let form = vec![
            ("csrf".to_string(), csrf.clone()),
            ("version".to_string(), "3".to_string()),
            ("kind".to_string(), "arrest".to_string()),
            ("at".to_string(), at.to_string()),
            ("confirmed".to_string(), "yes".to_string()),
        ];
        client
            .post(app.url(&format!("/referrals/{id}/enforcement")))
            .form(&form)
            .send()
    };
    let res = enforce("2026-03-29T01:30").await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(body.contains("did not happen in London"), "{body}");

    let res = enforce("2026-10-25T01:30").await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let question = res.text().await.unwrap();
    assert!(
        question.contains("Which time is meant?") && question.contains("happens twice in London"),
        "{question}"
    );
    assert!(
        question.contains(r#"name="at_fold" value="second""#),
        "{question}"
    );
    // Answered, the form goes through with the time meant.
    let mut form: Vec<(String, String)> = vec![];
    for name in ["csrf", "version", "kind", "at", "confirmed"] {
        form.push((name.to_string(), hidden(&question, name)));
    }
    form.push(("at_fold".to_string(), "second".to_string()));
    let res = client
        .post(app.url(&format!("/referrals/{id}/enforcement")))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let sup = app.token("sup.cn").await;
    let (_, r) = app.get(&sup, &base).await;
    assert_eq!(r["first_enforcement_at"], "2026-10-25T01:30:00Z", "{r}");

    // The upload page asks too, and takes the answer with the file chosen again.
    let central = app.browser("central").await;
    let page = html_of(&app, &central, "/referrals/upload").await;
    let csrf = hidden(&page, "csrf");
    let xml = crate::triage::report_xml("fold@example.com", "2026-10-24T20:00:00Z");
    let upload = |fold: Option<&'static str>| {
        let mut form = reqwest::multipart::Form::new()
            .text("csrf", csrf.clone())
            .part(
                "file",
                reqwest::multipart::Part::bytes(xml.clone().into_bytes()).file_name("fold.xml"),
            )
            .text("received_at", "2026-10-25T01:30")
            .text("borough", "Camden")
            .text("report_id", "FOLD-1");
        if let Some(f) = fold {
            form = form.text("received_at_fold", f);
        }
        central
            .post(app.url("/referrals/upload"))
            .multipart(form)
            .send()
    };
    let res = upload(None).await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let asked = res.text().await.unwrap();
    assert!(
        asked.contains(r#"name="received_at_fold" value="first""#)
            && asked.contains(r#"value="2026-10-25T01:30""#),
        "{asked}"
    );
    let res = upload(Some("first")).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let c = app.token("central").await;
    let (_, q) = app.get(&c, "/api/v1/referrals?q=FOLD-1").await;
    assert_eq!(q["items"][0]["received_at"], "2026-10-25T00:30:00Z", "{q}");
}

stories!(
    receipts_and_incidents_before_2000_in_the_future_or_with_impossible_offsets_are_refused_naming_where,
    a_london_time_skipped_in_spring_is_refused_and_one_that_happens_twice_is_asked_about,
    an_upload_whose_file_never_finishes_is_answered_at_once_when_the_role_may_not_upload,
    an_upload_is_refused_before_its_file_is_read_when_the_token_is_not_first_or_the_role_may_not_upload,
    typed_text_over_its_limit_or_with_control_characters_is_refused_naming_the_field_and_nothing_is_stored,
    a_page_form_with_an_over_long_reason_is_refused_with_a_short_page_naming_the_field,
);
