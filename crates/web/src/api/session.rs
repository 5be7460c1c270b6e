//! Sign-in and sign-out for API clients: a bearer token per session.

use crate::AppState;
use crate::auth::{self, ApiCtx};
use crate::error::AppError;
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
    body: Result<Json<Login>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<Value>, AppError> {
    let Json(body) = body.map_err(|e| AppError::invalid("request.invalid", e.body_text()))?;
    let user = auth::authenticate(&state, &body.username, &body.password, &client).await?;
    let (token, session) = auth::start_session(&state, &user).await?;
    Ok(Json(json!({
        "token": token,
        "expires_at": session.expires_at.to_string(),
        "user": me_json(&user),
    })))
}

/// End the session whose token is presented.
pub async fn logout(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
) -> Result<Json<Value>, AppError> {
    state.store.delete_session(&ctx.session.token_hash).await?;
    Ok(Json(json!({"signed_out": true})))
}

/// Who am I.
pub async fn me(ApiCtx(ctx): ApiCtx) -> Json<Value> {
    Json(me_json(&ctx.user))
}

fn me_json(u: &domain::User) -> Value {
    json!({"id": u.id, "username": u.username, "display_name": u.display_name, "role": u.role})
}
