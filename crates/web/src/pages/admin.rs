//! User administration for the administrator: who has an account and in which role. No case content.

use super::layout::{error_summary, frame};
use crate::auth::PageCtx;
use crate::error::Error;
use crate::{AppState, Ctx};
use axum::extract::{Form, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::Role;
use maud::html;
use std::collections::HashMap;

async fn render(state: &AppState, ctx: &Ctx, errors: &[String]) -> Result<Response, Error> {
    let accounts = app::users::list(&state.app, ctx).await?;
    let bcus = app::forces::bcus(&state.app, ctx.user.force).await?;
    let bcu_name = |a: &app::users::Account| {
        a.bcu
            .as_ref()
            .map(|b| b.name.clone())
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
                tbody { @for a in &accounts { tr { td { (a.user.username) } td { (a.user.display_name) } td { (a.user.role.label()) } td { (bcu_name(a)) } } } }
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
    let new = app::users::NewUser {
        username: v("username"),
        display_name: v("display_name"),
        role: v("role"),
        bcu: Some(v("bcu")),
        password: v("password"),
    };
    match app::users::create_as(&state.app, &ctx, &new).await {
        Ok(_) => Redirect::to("/admin/users").into_response(),
        Err(e @ Error::Invalid { .. }) => render(&state, &ctx, &[e.message()])
            .await
            .unwrap_or_else(|e| super::error_page(Some(&ctx), e)),
        Err(e) => super::error_page(Some(&ctx), e),
    }
}
