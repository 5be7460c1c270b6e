//! Every failure the API can meet before a use case runs answers the documented JSON error
//! (`{"error":{"code","message"}}`): a malformed query string, an unknown route, a wrong method, a body over
//! the limit, an over-long address. Pages answer with a styled page instead.

use crate::harness::App;
use reqwest::{Method, StatusCode};
use serde_json::Value;

/// A request's status and its JSON error's code (panics if the body is not the documented error).
async fn json_error(res: reqwest::Response) -> (StatusCode, String) {
    let status = res.status();
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json"),
        "{status} answered as JSON"
    );
    let body: Value = res.json().await.unwrap();
    let message = body["error"]["message"].as_str().unwrap_or_default();
    assert!(!message.is_empty(), "a message for people: {body}");
    let code = body["error"]["code"].as_str().expect("an error code");
    (status, code.to_string())
}

#[tokio::test]
async fn a_malformed_query_string_is_a_json_error_naming_the_query() {
    let app = crate::harness::spawn(crate::harness::sqlite().await).await;
    let token = app.token("central").await;
    let res = reqwest::Client::new()
        .get(app.url("/api/v1/referrals?limit=abc"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let (status, code) = json_error(res).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "request.invalid")
    );
}

#[tokio::test]
async fn an_unknown_api_route_is_a_json_not_found() {
    let app = crate::harness::spawn(crate::harness::sqlite().await).await;
    for path in [
        "/api/v1/no-such-thing",
        "/api/v1/referrals/x/y/z",
        "/api/v2/referrals",
    ] {
        let res = reqwest::get(app.url(path)).await.unwrap();
        let (status, code) = json_error(res).await;
        assert_eq!(
            (status, code.as_str()),
            (StatusCode::NOT_FOUND, "not_found"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn a_wrong_method_on_an_api_route_is_a_json_error() {
    let app = crate::harness::spawn(crate::harness::sqlite().await).await;
    let res = reqwest::Client::new()
        .request(Method::DELETE, app.url("/api/v1/referrals"))
        .send()
        .await
        .unwrap();
    let (status, code) = json_error(res).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::METHOD_NOT_ALLOWED, "request.method_not_allowed")
    );
}

#[tokio::test]
async fn a_body_over_the_limit_is_a_json_error_and_nothing_is_imported() {
    let app: App = crate::harness::spawn(crate::harness::sqlite().await).await;
    let token = app.token("central").await;
    let body = vec![b' '; web::api::MAX_BODY + 1];
    for ct in ["application/json", "application/xml"] {
        let res = reqwest::Client::new()
            .post(app.url("/api/v1/referrals"))
            .bearer_auth(&token)
            .header("content-type", ct)
            .body(body.clone())
            .send()
            .await
            .unwrap();
        let (status, code) = json_error(res).await;
        assert_eq!(
            (status, code.as_str()),
            (StatusCode::PAYLOAD_TOO_LARGE, "request.too_large"),
            "{ct}"
        );
    }
    let (_, list) = app.get(&token, "/api/v1/referrals?limit=500").await;
    assert_eq!(
        list["items"].as_array().unwrap().len(),
        3,
        "only the fixture's referrals"
    );
}

#[tokio::test]
async fn an_over_long_address_is_a_json_error_for_the_api_and_a_page_otherwise() {
    let app = crate::harness::spawn(crate::harness::sqlite().await).await;
    let long = "a".repeat(web::MAX_URI + 1);
    let res = reqwest::get(app.url(&format!("/api/v1/referrals?x={long}")))
        .await
        .unwrap();
    let (status, code) = json_error(res).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::URI_TOO_LONG, "request.uri_too_long")
    );
    let page = reqwest::get(app.url(&format!("/referrals?x={long}")))
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::URI_TOO_LONG);
    assert!(page.text().await.unwrap().contains("Address too long"));
}

#[tokio::test]
async fn an_unknown_page_is_a_styled_page_not_found() {
    let app = crate::harness::spawn(crate::harness::sqlite().await).await;
    let res = reqwest::get(app.url("/no-such-page")).await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = res.text().await.unwrap();
    assert!(
        html.contains("<h1>Page not found</h1>") && html.contains("/static/app.css"),
        "{html}"
    );
}
