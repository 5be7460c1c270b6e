//! User administration (admin only): list accounts and create one.

use crate::AppState;
use crate::access;
use crate::auth::{self, ApiCtx};
use crate::error::AppError;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use domain::audit::Processing;
use domain::{Action, Role};
use serde::Deserialize;
use serde_json::{Value, json};

/// Every account of the force.
pub async fn list(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
) -> Result<Json<Value>, AppError> {
    access::require(
        &state,
        &ctx,
        Action::ManageUsers,
        Processing::Consultation,
        "list users",
    )
    .await?;
    let bcus = state.store.list_bcus(ctx.user.force).await?;
    let users = state.store.list_users(ctx.user.force, None).await?;
    let code = |b: Option<domain::BcuId>| {
        b.and_then(|id| bcus.iter().find(|x| x.id == id))
            .map(|x| x.code.clone())
    };
    Ok(Json(json!({"items": users.iter().map(|u| json!({
        "id": u.id, "username": u.username, "display_name": u.display_name, "role": u.role, "bcu": code(u.bcu), "active": u.active
    })).collect::<Vec<_>>()})))
}

/// `POST /users` body.
#[derive(Deserialize)]
pub struct NewUserBody {
    /// Sign-in name.
    pub username: String,
    /// Display name.
    pub display_name: String,
    /// Role name.
    pub role: String,
    /// BCU code (BCU roles).
    pub bcu: Option<String>,
    /// Initial password (at least 12 characters).
    pub password: String,
}

/// Create an account.
pub async fn create(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    body: Result<Json<NewUserBody>, axum::extract::rejection::JsonRejection>,
) -> Result<(StatusCode, Json<Value>), AppError> {
    let Json(b) = body.map_err(|e| AppError::invalid("request.invalid", e.body_text()))?;
    access::require(
        &state,
        &ctx,
        Action::ManageUsers,
        Processing::Collection,
        "create user",
    )
    .await?;
    let user = create_user(&state, ctx.user.force, &b).await?;
    access::log(
        &state,
        &ctx,
        Processing::Collection,
        "user",
        &user.id.to_string(),
        domain::audit::AccessOutcome::Allowed,
        format!("created user {}", user.username),
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"id": user.id, "username": user.username, "role": user.role})),
    ))
}

/// Validate and create a user (shared by the page and the API).
pub async fn create_user(
    state: &AppState,
    force: domain::ForceId,
    b: &NewUserBody,
) -> Result<domain::User, AppError> {
    let role: Role = b
        .role
        .parse()
        .map_err(|e: domain::role::UnknownRole| AppError::invalid("user.invalid", e.to_string()))?;
    let username = b.username.trim();
    if username.is_empty()
        || username.len() > 64
        || !username
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-_".contains(c))
    {
        return Err(AppError::invalid(
            "user.invalid",
            "A user name is 1 to 64 letters, digits, dots, dashes or underscores.",
        ));
    }
    if b.password.chars().count() < 12 {
        return Err(AppError::invalid(
            "user.invalid",
            "A password needs at least 12 characters.",
        ));
    }
    let bcu = match (
        role.is_bcu_scoped(),
        b.bcu.as_deref().filter(|s| !s.is_empty()),
    ) {
        (true, Some(code)) => Some(
            state
                .store
                .bcu_by_code(force, code)
                .await?
                .ok_or_else(|| {
                    AppError::invalid(
                        "user.invalid",
                        format!("There is no BCU with code '{code}'."),
                    )
                })?
                .id,
        ),
        (true, None) => {
            return Err(AppError::invalid(
                "user.invalid",
                format!("Every {} needs a BCU.", role.label().to_lowercase()),
            ));
        }
        (false, _) => None,
    };
    let password = b.password.clone();
    let hash = tokio::task::spawn_blocking(move || auth::hash_password(&password))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))??;
    Ok(state
        .store
        .create_user(&store::NewUser {
            force,
            bcu,
            username: username.to_string(),
            display_name: b.display_name.trim().to_string(),
            role,
            password_hash: hash,
        })
        .await?)
}
