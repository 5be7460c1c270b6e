//! Sign-in and sign-out for API clients: a bearer token per session.

use crate::AppState;
use crate::api::ApiResult;
use crate::api::model::{ErrorBody, Me, Session, SignedOut};
use crate::auth::{self, ApiCtx};
use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use utoipa::ToSchema;

/// `POST /auth/login` body.
#[derive(Deserialize, ToSchema)]
pub struct Login {
    /// Sign-in name.
    username: String,
    /// Password.
    password: String,
}

/// Exchange a user name and password for a bearer token.
#[utoipa::path(post, operation_id = "signIn", path = "/auth/login", tag = "session", security(()), request_body = Login,
    responses(
        (status = 200, description = "Signed in: a bearer token", body = Session),
        (status = 422, description = "The user name or password is not right (`auth.invalid`), or the body is not a sign-in", body = ErrorBody),
        (status = 429, description = "Too many failed attempts: wait for `Retry-After` seconds", body = ErrorBody),
    ))]
pub async fn login(
    State(state): State<AppState>,
    auth::ClientAddr(client): auth::ClientAddr,
    // Credentials have their own rule (`app::auth`, at most 256 bytes each, inside a 4 KiB body), so the
    // sign-in body is read as it is rather than as typed text.
    b: Result<Json<Login>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<Json<Session>> {
    let Json(b) = b.map_err(|e| {
        if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            crate::api::too_large()
        } else {
            app::Error::invalid_at("request.invalid", e.body_text(), "body")
        }
    })?;
    let user = app::auth::authenticate(&state.app, &b.username, &b.password, &client).await?;
    let (token, session) = app::auth::start_session(&state.app, &user).await?;
    Ok(Json(Session {
        token,
        expires_at: session.expires_at.to_string(),
        user: Me::from(&user),
    }))
}

/// End the session whose token is presented.
#[utoipa::path(post, operation_id = "signOut", path = "/auth/logout", tag = "session",
    responses((status = 200, description = "The session has ended", body = SignedOut)))]
pub async fn logout(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
) -> ApiResult<Json<SignedOut>> {
    app::auth::end_session(&state.app, &ctx.session).await?;
    Ok(Json(SignedOut { signed_out: true }))
}

/// Who am I.
#[utoipa::path(get, operation_id = "me", path = "/me", tag = "session",
    responses((status = 200, description = "The signed-in user", body = Me)))]
pub async fn me(ApiCtx(ctx): ApiCtx) -> Json<Me> {
    Json(Me::from(&ctx.user))
}
