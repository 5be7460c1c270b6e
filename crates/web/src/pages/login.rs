//! The sign-in page. The form carries its own CSRF token (a double-submitted cookie), since no session
//! exists yet; a successful sign-in sets an HttpOnly, SameSite=Strict session cookie.

use super::layout::{error_summary, frame};
use crate::AppState;
use crate::auth::{self, PageCtx, SESSION_COOKIE};
use crate::error::{Error, status};
use axum::extract::{Form, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use maud::html;
use serde::Deserialize;

const LOGIN_CSRF: &str = "sg_login_csrf";

fn render(
    state: &AppState,
    errors: &[String],
    username: &str,
    status: axum::http::StatusCode,
) -> Response {
    let token = app::auth::random_token();
    let body = frame(
        None,
        "Sign in",
        html! {
            h1 { "Sign in to Safeguard" }
            (error_summary(errors))
            form.narrow method="post" action="/login" {
                input type="hidden" name="csrf" value=(token);
                div.field {
                    label for="username" { "User name" }
                    input #username name="username" type="text" autocomplete="username" required value=(username);
                }
                div.field {
                    label for="password" { "Password" }
                    input #password name="password" type="password" autocomplete="current-password" required;
                }
                button type="submit" { "Sign in" }
            }
            p.hint { "Safeguard holds police information about children at risk. Use it only for your duties: every access is recorded." }
        },
    );
    let jar = CookieJar::new().add(auth::page_cookie(state, LOGIN_CSRF, token, 3600));
    (status, jar, Html(body.into_string())).into_response()
}

/// `GET /login`.
pub async fn form(State(state): State<AppState>) -> Response {
    render(&state, &[], "", axum::http::StatusCode::OK)
}

/// The sign-in form's fields.
#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
}

/// `POST /login`.
pub async fn submit(
    State(state): State<AppState>,
    auth::ClientAddr(client): auth::ClientAddr,
    jar: CookieJar,
    form: Result<Form<LoginForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let f = match form {
        Ok(Form(f)) => f,
        Err(e) => {
            let too_large = e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE;
            let msg = if too_large {
                format!(
                    "The sign-in form was over {} KiB: a user name and a password are at most {} bytes each.",
                    crate::api::MAX_SIGN_IN_BODY >> 10,
                    app::auth::MAX_CREDENTIAL_BYTES
                )
            } else {
                "The sign-in form could not be read. Please try again.".to_string()
            };
            return render(&state, &[msg], "", e.status());
        }
    };
    let expected = jar
        .get(LOGIN_CSRF)
        .map(|c| c.value().to_string())
        .unwrap_or_default();
    if expected.is_empty() || expected != f.csrf {
        let msg = "The sign-in form had expired. Please try again.".to_string();
        return render(
            &state,
            &[msg],
            &f.username,
            axum::http::StatusCode::FORBIDDEN,
        );
    }
    let user =
        match app::auth::authenticate(&state.app, f.username.trim(), &f.password, &client).await {
            Ok(u) => u,
            Err(e @ (Error::Invalid { .. } | Error::Throttled { .. } | Error::Busy { .. })) => {
                let mut res = render(&state, &[e.message()], &f.username, status(&e));
                if let Some(seconds) = e.retry_after() {
                    res.headers_mut()
                        .insert(axum::http::header::RETRY_AFTER, seconds.into());
                }
                return res;
            }
            Err(e) => return super::error_page(None, e),
        };
    match app::auth::start_session(&state.app, &user).await {
        Ok((token, _)) => {
            let max_age = state.app.config().session_hours * 3600;
            let jar = jar
                .add(auth::page_cookie(&state, SESSION_COOKIE, token, max_age))
                .add(auth::cleared_cookie(&state, LOGIN_CSRF));
            (jar, Redirect::to("/")).into_response()
        }
        Err(e) => super::error_page(None, e),
    }
}

/// Sign-out form.
#[derive(Deserialize)]
pub struct LogoutForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /logout`.
pub async fn logout(
    State(state): State<AppState>,
    PageCtx(ctx): PageCtx,
    Form(f): Form<LogoutForm>,
) -> Response {
    if let Some(r) = super::csrf_rejection(&ctx, &f.csrf) {
        return r;
    }
    if let Err(e) = app::auth::end_session(&state.app, &ctx.session).await {
        return super::error_page(Some(&ctx), e);
    }
    let jar = CookieJar::new().add(auth::cleared_cookie(&state, SESSION_COOKIE));
    (jar, Redirect::to("/login")).into_response()
}
