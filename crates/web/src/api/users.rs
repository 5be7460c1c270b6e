//! User administration (admin only): list accounts and create one.

use crate::AppState;
use crate::api::model::{AccountList, AccountView, CreatedAccount, ErrorBody};
use crate::api::{ApiResult, JsonBody, body};
use crate::auth::ApiCtx;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;

/// Every account of the force.
#[utoipa::path(get, operation_id = "listUsers", path = "/users", tag = "admin",
    responses(
        (status = 200, description = "The force's accounts", body = AccountList),
        (status = 403, description = "Only an administrator manages accounts", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
) -> ApiResult<Json<AccountList>> {
    let accounts = app::users::list(&state.app, &ctx).await?;
    Ok(Json(AccountList {
        items: accounts
            .iter()
            .map(|a| AccountView {
                id: a.user.id,
                username: a.user.username.clone(),
                display_name: a.user.display_name.clone(),
                role: a.user.role,
                bcu: a.bcu.as_ref().map(|b| b.code.clone()),
                active: a.user.active,
            })
            .collect(),
    }))
}

/// `POST /users` body.
#[derive(Deserialize, ToSchema)]
pub struct NewUserBody {
    /// Sign-in name.
    username: String,
    /// Display name.
    display_name: String,
    /// Role name.
    #[schema(value_type = domain::Role)]
    role: String,
    /// BCU code (BCU roles).
    bcu: Option<String>,
    /// Initial password (at least 12 characters).
    #[schema(min_length = 12)]
    password: String,
}

/// Create an account.
#[utoipa::path(post, operation_id = "createUser", path = "/users", tag = "admin", request_body = NewUserBody,
    responses(
        (status = 201, description = "The account", body = CreatedAccount),
        (status = 403, description = "Only an administrator manages accounts", body = ErrorBody),
        (status = 409, description = "The user name is taken", body = ErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    b: JsonBody<NewUserBody>,
) -> ApiResult<(StatusCode, Json<CreatedAccount>)> {
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
        Json(CreatedAccount {
            id: user.id,
            username: user.username,
            role: user.role,
        }),
    ))
}
