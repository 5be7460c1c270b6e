//! Signing in and out, sessions, throttling, cookies and CSRF.

use crate::harness::{App, PASSWORD, hidden};
use crate::stories;
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn signing_in_gives_a_token_that_opens_the_api_and_signing_out_ends_it(app: App) {
    let token = app.token("inv.cn").await;
    let (status, me) = app.get(&token, "/api/v1/me").await;
    assert_eq!(
        (status, me["username"].as_str()),
        (StatusCode::OK, Some("inv.cn"))
    );
    let (status, _) = app.post(&token, "/api/v1/auth/logout", json!({})).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = app.get(&token, "/api/v1/me").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"]["code"], "auth.required");
}

async fn a_wrong_password_is_refused_without_saying_which_part_was_wrong(app: App) {
    let http = reqwest::Client::new();
    for name in ["inv.cn", "nobody"] {
        let res = http
            .post(app.url("/api/v1/auth/login"))
            .json(&json!({"username": name, "password": "wrong"}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(
            body["error"]["message"],
            "The user name or password is not right."
        );
    }
}

async fn repeated_failed_sign_ins_lock_the_name_for_a_while(app: App) {
    let http = reqwest::Client::new();
    for _ in 0..5 {
        http.post(app.url("/api/v1/auth/login"))
            .json(&json!({"username": "sup.cn", "password": "wrong"}))
            .send()
            .await
            .unwrap();
    }
    let res = http
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"username": "sup.cn", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits out the lock"
    );
    let other = http
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"username": "inv.cn", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), StatusCode::OK, "other names are not locked");
}

async fn the_session_cookie_is_http_only_and_same_site(app: App) {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap();
    let form = http
        .get(app.url("/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let res = http
        .post(app.url("/login"))
        .form(&[
            ("username", "inv.cn"),
            ("password", PASSWORD),
            ("csrf", &hidden(&form, "csrf")),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("sg_session="))
        .unwrap();
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=28800"] {
        assert!(cookie.contains(attribute), "{attribute} in {cookie}");
    }
    assert!(
        !cookie.contains("Secure"),
        "plain HTTP by default: {cookie}"
    );
    let cleared = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("sg_login_csrf="))
        .expect("the sign-in form's token is cleared");
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    // Signing out tells the browser to forget the session.
    let home = http
        .get(app.url("/referrals"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let res = http
        .post(app.url("/logout"))
        .form(&[("csrf", hidden(&home, "csrf"))])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let gone = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("sg_session="))
        .expect("sign-out clears the session cookie");
    assert!(
        gone.contains("Max-Age=0") && gone.contains("Path=/"),
        "{gone}"
    );
}

#[tokio::test]
async fn over_https_the_session_cookie_is_marked_secure() {
    let app = crate::harness::spawn_full(
        crate::harness::sqlite().await,
        app::Config::default(),
        web::WebConfig {
            secure_cookies: true,
            ..Default::default()
        },
    )
    .await;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap();
    let res = http.get(app.url("/login")).send().await.unwrap();
    let csrf_cookie = res
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(csrf_cookie.contains("Secure"), "{csrf_cookie}");
}

async fn a_page_form_without_its_csrf_token_is_refused_and_changes_nothing(app: App) {
    let browser = app.browser("inv.cn").await;
    let path = format!("/referrals/{}/risk", app.cn_referral);
    let res = browser
        .post(app.url(&path))
        .form(&[("level", "high"), ("reason", "forged"), ("version", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = browser
        .post(app.url(&path))
        .form(&[
            ("level", "high"),
            ("reason", "forged"),
            ("version", "1"),
            ("csrf", "guess"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let r = app.store.referral(app.cn_referral).await.unwrap().unwrap();
    assert_eq!(r.risk_level, None, "nothing was recorded");
}

async fn the_sign_in_form_refuses_a_post_without_its_own_token(app: App) {
    let http = reqwest::Client::new();
    let res = http
        .post(app.url("/login"))
        .form(&[("username", "inv.cn"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

async fn pages_send_a_visitor_who_is_not_signed_in_to_the_sign_in_page(app: App) {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let res = http.get(app.url("/referrals")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/login");
}

stories!(
    after_an_approved_reset_only_choosing_a_new_password_is_open,
    a_sign_in_body_over_4_kib_is_refused_unread_and_a_lockout_says_when_to_retry,
    signing_in_gives_a_token_that_opens_the_api_and_signing_out_ends_it,
    a_wrong_password_is_refused_without_saying_which_part_was_wrong,
    repeated_failed_sign_ins_lock_the_name_for_a_while,
    the_session_cookie_is_http_only_and_same_site,
    a_page_form_without_its_csrf_token_is_refused_and_changes_nothing,
    the_sign_in_form_refuses_a_post_without_its_own_token,
    pages_send_a_visitor_who_is_not_signed_in_to_the_sign_in_page,
);

/// Sign in through the API as `username` with a wrong password, as if from `forwarded` behind the proxy.
async fn wrong_password_from(app: &App, username: &str, forwarded: &str) -> (StatusCode, Value) {
    let res = reqwest::Client::new()
        .post(app.url("/api/v1/auth/login"))
        .header("x-forwarded-for", forwarded)
        .json(&json!({"username": username, "password": "not the password"}))
        .send()
        .await
        .unwrap();
    let status = res.status();
    (status, res.json().await.unwrap())
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_forwarded_client_has_its_own_address_limit() {
    let config = app::Config {
        max_failed_logins_per_address: 3,
        ..Default::default()
    };
    let app = crate::harness::spawn_full(
        crate::harness::sqlite().await,
        config.clone(),
        web::WebConfig {
            trusted_proxies: vec![web::parse_proxy_range("127.0.0.1").unwrap()],
            ..Default::default()
        },
    )
    .await;
    for i in 0..3 {
        let (s, _) =
            wrong_password_from(&app, &format!("nobody.{i}"), "198.51.100.7, 127.0.0.1").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let (s, e) = wrong_password_from(&app, "nobody.4", "198.51.100.7").await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (StatusCode::TOO_MANY_REQUESTS, Some("auth.throttled"))
    );
    let (s, _) = wrong_password_from(&app, "nobody.5", "198.51.100.8").await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "another user behind the same proxy is not locked out"
    );

    // Without the flag, the header is not believed: every request is the proxy's own address.
    let plain = crate::harness::spawn_with(crate::harness::sqlite().await, config).await;
    for i in 0..3 {
        wrong_password_from(&plain, &format!("nobody.{i}"), &format!("203.0.113.{i}")).await;
    }
    let (s, _) = wrong_password_from(&plain, "nobody.9", "203.0.113.99").await;
    assert_eq!(
        s,
        StatusCode::TOO_MANY_REQUESTS,
        "a client cannot choose its own address"
    );
}

async fn a_sign_in_body_over_4_kib_is_refused_unread_and_a_lockout_says_when_to_retry(app: App) {
    let huge = "x".repeat(32 * 1024 * 1024);
    let res = reqwest::Client::new()
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"username": huge, "password": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let e: Value = res.json().await.unwrap();
    assert_eq!(e["error"]["code"], "request.too_large");
    // The sign-in page refuses it too, with its form and a message.
    let res = reqwest::Client::new()
        .post(app.url("/login"))
        .form(&[
            ("username", huge.as_str()),
            ("password", "x"),
            ("csrf", "x"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("The sign-in form was over 4 KiB")
    );
    // 257 bytes of name fit the body but not the rule.
    let (s, e) = wrong_password_from(&app, &"n".repeat(257), "192.0.2.1").await;
    assert_eq!(
        (
            s,
            e["error"]["code"].as_str(),
            e["error"]["location"].as_str()
        ),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("auth.too_long"),
            Some("username")
        )
    );
    for _ in 0..5 {
        wrong_password_from(&app, "inv.cw", "192.0.2.1").await;
    }
    let res = reqwest::Client::new()
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"username": "inv.cw", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: i64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((800..=900).contains(&wait), "about 15 minutes: {wait}");
}

async fn after_an_approved_reset_only_choosing_a_new_password_is_open(app: App) {
    let admin = app.token("admin").await;
    let admin2 = app.token("admin2").await;
    let (_, users) = app.get(&admin, "/api/v1/users?q=inv.cw").await;
    let id = users["items"][0]["id"].as_str().unwrap().to_string();
    let temporary = "violet tractor ninety harbour";
    let (s, asked) = app
        .post(
            &admin,
            &format!("/api/v1/users/{id}/password"),
            json!({"password": temporary, "confirm": true}),
        )
        .await;
    assert_eq!(s, StatusCode::ACCEPTED, "{asked}");
    let request = asked["request"]["id"].as_str().unwrap();
    let (s, _) = app
        .post(
            &admin2,
            &format!("/api/v1/account-requests/{request}/approve"),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let res = reqwest::Client::new()
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"username": "inv.cw", "password": temporary}))
        .send()
        .await
        .unwrap();
    let token = res.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string();
    let (s, e) = app.get(&token, "/api/v1/referrals").await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("auth.password_change_required"))
    );
    let (s, _) = app.get(&token, "/api/v1/me").await;
    assert_eq!(s, StatusCode::OK);
    let (s, e) = app
        .post(
            &token,
            "/api/v1/auth/password",
            json!({"current": temporary, "password": "password1234"}),
        )
        .await;
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("password.weak"))
    );
    let (s, _) = app
        .post(
            &token,
            "/api/v1/auth/password",
            json!({"current": temporary, "password": "granite ocelot whisper lantern"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = app.get(&token, "/api/v1/referrals").await;
    assert_eq!(s, StatusCode::OK, "open again once changed");
}
