//! User administration (admin only): list accounts and create one.

use crate::AppState;
use crate::api::{ApiResult, JsonBody, body};
use crate::auth::ApiCtx;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::json;

/// Every account of the force.
pub async fn list(State(state): State<AppState>, ApiCtx(ctx): ApiCtx) -> ApiResult {
    let accounts = app::users::list(&state.app, &ctx).await?;
    Ok(Json(json!({"items": accounts.iter().map(|a| json!({
        "id": a.user.id, "username": a.user.username, "display_name": a.user.display_name,
        "role": a.user.role, "bcu": a.bcu.as_ref().map(|b| &b.code), "active": a.user.active
    })).collect::<Vec<_>>()})))
}

/// `POST /users` body.
#[derive(Deserialize)]
pub struct NewUserBody {
    /// Sign-in name.
    username: String,
    /// Display name.
    display_name: String,
    /// Role name.
    role: String,
    /// BCU code (BCU roles).
    bcu: Option<String>,
    /// Initial password (at least 12 characters).
    password: String,
}

/// Create an account.
pub async fn create(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    b: JsonBody<NewUserBody>,
) -> ApiResult<(StatusCode, Json<serde_json::Value>)> {
    let b = body(b)?;
    let new = app::users::NewUser {
        username: b.username,
        display_name: b.display_name,
        role: b.role,
        bcu: b.bcu,
        password: b.password,
    };
    let user = app::users::create_as(&state.app, &ctx, &new).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"id": user.id, "username": user.username, "role": user.role})),
    ))
}
