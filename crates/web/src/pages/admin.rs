//! User administration for the administrator: who has an account and in which role. No case content.

use super::layout::{error_summary, frame};
use crate::api::users::{NewUserBody, create_user};
use crate::auth::{Ctx, PageCtx};
use crate::error::AppError;
use crate::{AppState, access};
use axum::extract::{Form, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::audit::{AccessOutcome, Processing};
use domain::{Action, Role};
use maud::html;
use std::collections::HashMap;

async fn render(state: &AppState, ctx: &Ctx, errors: &[String]) -> Result<Response, AppError> {
    access::require(
        state,
        ctx,
        Action::ManageUsers,
        Processing::Consultation,
        "list users",
    )
    .await?;
    let bcus = state.store.list_bcus(ctx.user.force).await?;
    let users = state.store.list_users(ctx.user.force, None).await?;
    let bcu_name = |b: Option<domain::BcuId>| {
        b.and_then(|id| bcus.iter().find(|x| x.id == id))
            .map(|x| x.name.clone())
            .unwrap_or_else(|| "Whole force".into())
    };
    let status = if errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    let body = frame(
        Some(ctx),
        "Users",
        html! {
            h1 { "Users" }
            (error_summary(errors))
            section.step aria-labelledby="add-h" {
                h2 #add-h { "Add a user" }
                form method="post" action="/admin/users" {
                    input type="hidden" name="csrf" value=(ctx.session.csrf_token);
                    div.field { label for="username" { "User name" } input #username name="username" type="text" required; }
                    div.field { label for="display_name" { "Name shown to others" } input #display_name name="display_name" type="text" required; }
                    div.field { label for="role" { "Role" } select #role name="role" { @for r in Role::ALL { option value=(r.as_str()) { (r.label()) } } } }
                    div.field { label for="bcu" { "BCU (for investigators, supervisors and BCU leads)" } select #bcu name="bcu" { option value="" { "None" } @for b in &bcus { option value=(b.code) { (b.name) } } } }
                    div.field { label for="password" { "Initial password (at least 12 characters)" } input #password name="password" type="password" autocomplete="new-password" required; }
                    button type="submit" { "Add user" }
                }
            }
            h2 { "Accounts" }
            table {
                thead { tr { th scope="col" { "User name" } th scope="col" { "Name" } th scope="col" { "Role" } th scope="col" { "BCU" } } }
                tbody { @for u in &users { tr { td { (u.username) } td { (u.display_name) } td { (u.role.label()) } td { (bcu_name(u.bcu)) } } } }
            }
        },
    );
    Ok((status, Html(body.into_string())).into_response())
}

/// `GET /admin/users`.
pub async fn page(State(state): State<AppState>, PageCtx(ctx): PageCtx) -> Response {
    render(&state, &ctx, &[])
        .await
        .unwrap_or_else(|e| super::error_page(Some(&ctx), e))
}

/// `POST /admin/users`.
pub async fn create(
    State(state): State<AppState>,
    PageCtx(ctx): PageCtx,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let v = |k: &str| f.get(k).cloned().unwrap_or_default();
    if let Some(r) = super::csrf_rejection(&ctx, &v("csrf")) {
        return r;
    }
    let result = async {
        access::require(
            &state,
            &ctx,
            Action::ManageUsers,
            Processing::Collection,
            "create user",
        )
        .await?;
        let b = NewUserBody {
            username: v("username"),
            display_name: v("display_name"),
            role: v("role"),
            bcu: Some(v("bcu")),
            password: v("password"),
        };
        let u = create_user(&state, ctx.user.force, &b).await?;
        access::log(
            &state,
            &ctx,
            Processing::Collection,
            "user",
            &u.id.to_string(),
            AccessOutcome::Allowed,
            format!("created user {}", u.username),
        )
        .await
    }
    .await;
    match result {
        Ok(()) => Redirect::to("/admin/users").into_response(),
        Err(e @ AppError::Invalid { .. }) => render(&state, &ctx, &[e.message()])
            .await
            .unwrap_or_else(|e| super::error_page(Some(&ctx), e)),
        Err(e) => super::error_page(Some(&ctx), e),
    }
}
