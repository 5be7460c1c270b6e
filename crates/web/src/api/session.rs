//! Sign-in and sign-out for API clients: a bearer token per session.

use crate::AppState;
use crate::api::{ApiResult, JsonBody, body};
use crate::auth::{self, ApiCtx};
use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use serde_json::{Value, json};

/// `POST /auth/login` body.
#[derive(Deserialize)]
pub struct Login {
    username: String,
    password: String,
}

/// Exchange a user name and password for a bearer token.
pub async fn login(
    State(state): State<AppState>,
    auth::ClientAddr(client): auth::ClientAddr,
    b: JsonBody<Login>,
) -> ApiResult {
    let b = body(b)?;
    let user = app::auth::authenticate(&state.app, &b.username, &b.password, &client).await?;
    let (token, session) = app::auth::start_session(&state.app, &user).await?;
    Ok(Json(json!({
        "token": token,
        "expires_at": session.expires_at.to_string(),
        "user": me_json(&user),
    })))
}

/// End the session whose token is presented.
pub async fn logout(State(state): State<AppState>, ApiCtx(ctx): ApiCtx) -> ApiResult {
    app::auth::end_session(&state.app, &ctx.session).await?;
    Ok(Json(json!({"signed_out": true})))
}

/// Who am I.
pub async fn me(ApiCtx(ctx): ApiCtx) -> Json<Value> {
    Json(me_json(&ctx.user))
}

fn me_json(u: &domain::User) -> Value {
    json!({"id": u.id, "username": u.username, "display_name": u.display_name, "role": u.role})
}
