//! Accounts (administrators only), with separation of duties: a change that can open case content answers
//! 202 with a request that a second administrator approves; the rest answer 200 with the account.

use crate::AppState;
use crate::api::model::{
    AccountChangeView, AccountDetail, AccountList, AccountRequestList, AccountRequestView,
    AccountView, AllocationRef, DisabledView, ErrorBody, Me, Unlocked,
};
use crate::api::{ApiQuery, ApiResult, JsonBody, body};
use crate::auth::ApiCtx;
use app::accounts::{self as ops, Outcome};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Query of `GET /users`.
#[derive(Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Search {
    /// Part of a user name, name, role or BCU (any case); every account when absent.
    q: Option<String>,
}

/// The force's accounts, searched.
#[utoipa::path(get, path = "/users", operation_id = "listUsers", tag = "admin", params(Search),
    responses(
        (status = 200, description = "The force's accounts", body = AccountList),
        (status = 403, description = "Only an administrator manages accounts", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    ApiQuery(q): ApiQuery<Search>,
) -> ApiResult<Json<AccountList>> {
    let accounts = ops::search(&state.app, &ctx, q.q.as_deref().unwrap_or("")).await?;
    Ok(Json(AccountList {
        items: accounts.iter().map(AccountView::from).collect(),
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
    /// Initial password (at least 12 characters, not easily guessed); its owner changes it at first sign-in.
    #[schema(min_length = 12)]
    password: String,
}

async fn account_view(state: &AppState, user: domain::User) -> ApiResult<AccountView> {
    Ok(AccountView::from(
        &app::users::with_bcu(&state.app, user).await?,
    ))
}

/// 200 with the account when done, 202 with the request when it waits for a second administrator.
async fn answer(state: &AppState, o: Outcome) -> ApiResult<(StatusCode, Json<AccountChangeView>)> {
    Ok(match o {
        Outcome::Done(user) => (
            StatusCode::OK,
            Json(AccountChangeView {
                status: "done".into(),
                account: Some(account_view(state, user).await?),
                request: None,
            }),
        ),
        Outcome::Pending(r) => (
            StatusCode::ACCEPTED,
            Json(AccountChangeView {
                status: "pending".into(),
                account: None,
                request: Some(AccountRequestView::from(&r)),
            }),
        ),
    })
}

/// Create an account: at once (201) for a role with no case content, otherwise a request (202).
#[utoipa::path(post, path = "/users", operation_id = "createUser", tag = "admin", request_body = NewUserBody,
    responses(
        (status = 201, description = "The account (a role with no case content)", body = AccountChangeView),
        (status = 202, description = "A request that a second administrator must approve", body = AccountChangeView),
        (status = 403, description = "Only an administrator manages accounts", body = ErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    b: JsonBody<NewUserBody>,
) -> ApiResult<(StatusCode, Json<AccountChangeView>)> {
    let b = body(b)?;
    let new = app::users::NewUser {
        username: b.username,
        display_name: b.display_name,
        role: b.role,
        bcu: b.bcu,
        password: b.password,
    };
    let o = ops::create(&state.app, &ctx, &new).await?;
    let (status, view) = answer(&state, o).await?;
    Ok((
        if status == StatusCode::OK {
            StatusCode::CREATED
        } else {
            status
        },
        view,
    ))
}

const ID: &str = "The account's id";

/// One account: its lock, open allocations and pending changes.
#[utoipa::path(get, path = "/users/{id}", operation_id = "getUser", tag = "admin",
    params(("id" = String, Path, description = ID)),
    responses(
        (status = 200, description = "The account", body = AccountDetail),
        (status = 403, description = "Only an administrator manages accounts", body = ErrorBody),
        (status = 404, description = "No such account in the force", body = ErrorBody),
    ))]
pub async fn one(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
) -> ApiResult<Json<AccountDetail>> {
    let v = ops::view(&state.app, &ctx, &id).await?;
    Ok(Json(AccountDetail {
        account: AccountView::from(&v.account),
        locked_until: v.locked_until.map(|t| t.to_string()),
        open_allocations: v
            .open_allocations
            .iter()
            .map(AllocationRef::from_row)
            .collect(),
        pending: v.pending.iter().map(AccountRequestView::from).collect(),
        staff_number: v.staff_number,
    }))
}

/// Body of `POST /users/{id}/staff-number`.
#[derive(Deserialize, ToSchema)]
pub struct StaffNumberBody {
    /// The staff number in the force's learning system (letters, digits, - or /, at most 40); blank clears it.
    staff_number: String,
}

/// The answer: the staff number now held.
#[derive(Serialize, ToSchema)]
pub struct StaffNumber {
    /// The staff number, or null when cleared.
    staff_number: Option<String>,
}

/// Set or clear an account's staff number (used to import training completions).
#[utoipa::path(post, path = "/users/{id}/staff-number", operation_id = "setStaffNumber", tag = "admin",
    params(("id" = String, Path, description = ID)), request_body = StaffNumberBody,
    responses(
        (status = 200, description = "Done", body = StaffNumber),
        (status = 403, description = "Only an administrator manages accounts", body = ErrorBody),
        (status = 404, description = "No such account in the force", body = ErrorBody),
        (status = 422, description = "Not a staff number, or another account's", body = ErrorBody),
    ))]
pub async fn staff_number(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    b: JsonBody<StaffNumberBody>,
) -> ApiResult<Json<StaffNumber>> {
    let b = body(b)?;
    Ok(Json(StaffNumber {
        staff_number: ops::set_staff_number(&state.app, &ctx, &id, &b.staff_number).await?,
    }))
}

/// Body of `POST /users/{id}/role`.
#[derive(Deserialize, ToSchema)]
pub struct RoleBody {
    /// The new role.
    #[schema(value_type = domain::Role)]
    role: String,
    /// The BCU, when the new role needs one.
    bcu: Option<String>,
    /// Must be true: the administrator has checked the change.
    #[serde(default)]
    confirm: bool,
}

/// Change an account's role (a request, unless the new role holds no case content).
#[utoipa::path(post, path = "/users/{id}/role", operation_id = "changeUserRole", tag = "admin",
    params(("id" = String, Path, description = ID)), request_body = RoleBody,
    responses(
        (status = 200, description = "Done", body = AccountChangeView),
        (status = 202, description = "Waiting for a second administrator", body = AccountChangeView),
        (status = 403, description = "Only an administrator manages accounts", body = ErrorBody),
        (status = 404, description = "No such account in the force", body = ErrorBody),
    ))]
pub async fn change_role(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    b: JsonBody<RoleBody>,
) -> ApiResult<(StatusCode, Json<AccountChangeView>)> {
    let b = body(b)?;
    let o = ops::change_role(&state.app, &ctx, &id, &b.role, b.bcu.as_deref(), b.confirm).await?;
    answer(&state, o).await
}

/// Body of `POST /users/{id}/bcu`.
#[derive(Deserialize, ToSchema)]
pub struct BcuBody {
    /// The BCU's code.
    bcu: String,
    /// Must be true.
    #[serde(default)]
    confirm: bool,
}

/// Move an officer to another BCU (always a request).
#[utoipa::path(post, path = "/users/{id}/bcu", operation_id = "moveUser", tag = "admin",
    params(("id" = String, Path, description = ID)), request_body = BcuBody,
    responses(
        (status = 202, description = "Waiting for a second administrator", body = AccountChangeView),
        (status = 403, description = "Only an administrator manages accounts", body = ErrorBody),
        (status = 404, description = "No such account in the force", body = ErrorBody),
    ))]
pub async fn move_bcu(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    b: JsonBody<BcuBody>,
) -> ApiResult<(StatusCode, Json<AccountChangeView>)> {
    let b = body(b)?;
    let o = ops::move_bcu(&state.app, &ctx, &id, &b.bcu, b.confirm).await?;
    answer(&state, o).await
}

/// A confirmation.
#[derive(Deserialize, ToSchema)]
pub struct ConfirmBody {
    /// Must be true: the administrator has checked the change.
    #[serde(default)]
    confirm: bool,
}

/// Disable a leaver's account at once: their sessions end; their open allocations are listed.
#[utoipa::path(post, path = "/users/{id}/disable", operation_id = "disableUser", tag = "admin",
    params(("id" = String, Path, description = ID)), request_body = ConfirmBody,
    responses(
        (status = 200, description = "Disabled", body = DisabledView),
        (status = 403, description = "Only an administrator manages accounts", body = ErrorBody),
        (status = 404, description = "No such account in the force", body = ErrorBody),
        (status = 409, description = "Already disabled", body = ErrorBody),
    ))]
pub async fn disable(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    b: JsonBody<ConfirmBody>,
) -> ApiResult<Json<DisabledView>> {
    let b = body(b)?;
    let d = ops::disable(&state.app, &ctx, &id, b.confirm).await?;
    Ok(Json(DisabledView {
        account: account_view(&state, d.user).await?,
        sessions_ended: d.sessions_ended,
        open_allocations: d
            .open_allocations
            .iter()
            .map(AllocationRef::from_row)
            .collect(),
    }))
}

/// Enable a disabled account again (always a request).
#[utoipa::path(post, path = "/users/{id}/enable", operation_id = "enableUser", tag = "admin",
    params(("id" = String, Path, description = ID)), request_body = ConfirmBody,
    responses(
        (status = 202, description = "Waiting for a second administrator", body = AccountChangeView),
        (status = 403, description = "Only an administrator manages accounts", body = ErrorBody),
        (status = 404, description = "No such account in the force", body = ErrorBody),
        (status = 409, description = "Already enabled", body = ErrorBody),
    ))]
pub async fn enable(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    b: JsonBody<ConfirmBody>,
) -> ApiResult<(StatusCode, Json<AccountChangeView>)> {
    let b = body(b)?;
    let o = ops::enable(&state.app, &ctx, &id, b.confirm).await?;
    answer(&state, o).await
}

/// Body of `POST /users/{id}/password`.
#[derive(Deserialize, ToSchema)]
pub struct ResetBody {
    /// The new password; its owner must change it at the next sign-in.
    #[schema(min_length = 12)]
    password: String,
    /// Must be true.
    #[serde(default)]
    confirm: bool,
}

/// Reset another account's password (a request, unless the account holds no case content).
#[utoipa::path(post, path = "/users/{id}/password", operation_id = "resetUserPassword", tag = "admin",
    params(("id" = String, Path, description = ID)), request_body = ResetBody,
    responses(
        (status = 200, description = "Done", body = AccountChangeView),
        (status = 202, description = "Waiting for a second administrator", body = AccountChangeView),
        (status = 403, description = "Only an administrator manages accounts", body = ErrorBody),
        (status = 404, description = "No such account in the force", body = ErrorBody),
    ))]
pub async fn reset_password(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    b: JsonBody<ResetBody>,
) -> ApiResult<(StatusCode, Json<AccountChangeView>)> {
    let b = body(b)?;
    let o = ops::reset_password(&state.app, &ctx, &id, &b.password, b.confirm).await?;
    answer(&state, o).await
}

/// Lift an account's sign-in lock at once.
#[utoipa::path(post, path = "/users/{id}/unlock", operation_id = "unlockUser", tag = "admin",
    params(("id" = String, Path, description = ID)), request_body = ConfirmBody,
    responses(
        (status = 200, description = "Unlocked", body = Unlocked),
        (status = 403, description = "Only an administrator manages accounts", body = ErrorBody),
        (status = 404, description = "No such account in the force", body = ErrorBody),
    ))]
pub async fn unlock(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    b: JsonBody<ConfirmBody>,
) -> ApiResult<Json<Unlocked>> {
    let b = body(b)?;
    let was_locked = ops::unlock(&state.app, &ctx, &id, b.confirm).await?;
    Ok(Json(Unlocked { was_locked }))
}

/// The force's account requests: every pending one and the recent decisions.
#[utoipa::path(get, path = "/account-requests", operation_id = "listAccountRequests", tag = "admin",
    responses(
        (status = 200, description = "The requests, newest first", body = AccountRequestList),
        (status = 403, description = "Only an administrator manages accounts", body = ErrorBody),
    ))]
pub async fn requests(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
) -> ApiResult<Json<AccountRequestList>> {
    let items = ops::requests(&state.app, &ctx).await?;
    Ok(Json(AccountRequestList {
        items: items.iter().map(AccountRequestView::from).collect(),
    }))
}

/// A second administrator approves a request; the change takes effect now.
#[utoipa::path(post, path = "/account-requests/{id}/approve", operation_id = "approveAccountRequest", tag = "admin",
    params(("id" = String, Path, description = "The request's id")),
    responses(
        (status = 200, description = "The account after the change", body = AccountView),
        (status = 403, description = "Only an administrator manages accounts", body = ErrorBody),
        (status = 404, description = "No such request in the force", body = ErrorBody),
        (status = 409, description = "Already decided", body = ErrorBody),
        (status = 422, description = "The requester (or the account's owner) cannot approve it", body = ErrorBody),
    ))]
pub async fn approve(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
) -> ApiResult<Json<AccountView>> {
    let user = ops::approve(&state.app, &ctx, &id).await?;
    Ok(Json(account_view(&state, user).await?))
}

/// Body of `POST /account-requests/{id}/reject`.
#[derive(Deserialize, ToSchema)]
pub struct RejectBody {
    /// Why.
    #[serde(default)]
    #[schema(min_length = 1, max_length = 1000)]
    reason: String,
}

/// A second administrator rejects a request, with a reason.
#[utoipa::path(post, path = "/account-requests/{id}/reject", operation_id = "rejectAccountRequest", tag = "admin",
    params(("id" = String, Path, description = "The request's id")), request_body = RejectBody,
    responses(
        (status = 200, description = "The rejected request", body = AccountRequestView),
        (status = 403, description = "Only an administrator manages accounts", body = ErrorBody),
        (status = 404, description = "No such request in the force", body = ErrorBody),
        (status = 409, description = "Already decided", body = ErrorBody),
    ))]
pub async fn reject(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    b: JsonBody<RejectBody>,
) -> ApiResult<Json<AccountRequestView>> {
    let b = body(b)?;
    let r = ops::reject(&state.app, &ctx, &id, &b.reason).await?;
    Ok(Json(AccountRequestView::from(&r)))
}

/// Body of `POST /auth/password`.
#[derive(Deserialize, ToSchema)]
pub struct OwnPasswordBody {
    /// The current password.
    current: String,
    /// The new password (at least 12 characters, not easily guessed).
    #[schema(min_length = 12)]
    password: String,
}

/// Change your own password (the only thing open after an administrator's reset).
#[utoipa::path(post, path = "/auth/password", operation_id = "changeOwnPassword", tag = "session",
    request_body = OwnPasswordBody,
    responses((status = 200, description = "Changed", body = Me)))]
pub async fn change_own_password(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    b: JsonBody<OwnPasswordBody>,
) -> ApiResult<Json<Me>> {
    let b = body(b)?;
    let user = ops::change_own_password(&state.app, &ctx, &b.current, &b.password).await?;
    Ok(Json(Me::from(&user)))
}
