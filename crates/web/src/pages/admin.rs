//! Account administration for the administrator, with separation of duties: the accounts (searchable), the
//! changes waiting for a second administrator, one account's page with each change behind a confirmation, and
//! every user's own password page. No case content.

use super::layout::{error_summary, frame};
use crate::auth::PageCtx;
use crate::error::Error;
use crate::input::Form;
use crate::views::url_component;
use crate::{AppState, Ctx};
use app::accounts::{self as ops, Outcome};
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::Role;
use maud::{Markup, html};
use std::collections::HashMap;

type Fields = HashMap<String, String>;

fn field(f: &Fields, k: &str) -> String {
    f.get(k).cloned().unwrap_or_default()
}

fn status_of(errors: &[String]) -> axum::http::StatusCode {
    if errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    }
}

fn when(t: jiff::Timestamp) -> String {
    domain::time::display(t)
}

fn bcu_options(bcus: &[domain::Bcu], chosen: &str) -> Markup {
    html! {
        option value="" { "None" }
        @for b in bcus {
            option value=(b.code) selected[b.code == chosen] { (b.name) " (" (b.code) ")" }
        }
    }
}

fn confirm_box(id: &str, text: &str) -> Markup {
    html! {
        div.field.confirm {
            input #(id) type="checkbox" name="confirm" value="yes" required;
            label for=(id) { (text) }
        }
    }
}

async fn render_list(
    state: &AppState,
    ctx: &Ctx,
    query: &str,
    done: Option<&str>,
    errors: &[String],
    typed: &Fields,
) -> Result<Response, Error> {
    let accounts = ops::search(&state.app, ctx, query).await?;
    let requests = ops::requests(&state.app, ctx).await?;
    let bcus = app::forces::bcus(&state.app, ctx.user.force).await?;
    let pending: Vec<_> = requests.iter().filter(|r| r.status == "pending").collect();
    let decided: Vec<_> = requests
        .iter()
        .filter(|r| r.status != "pending")
        .take(20)
        .collect();
    let bcu_name = |a: &app::users::Account| {
        a.bcu
            .as_ref()
            .map(|b| b.name.clone())
            .unwrap_or_else(|| "Whole force".into())
    };
    let body = frame(
        Some(ctx),
        "Users",
        html! {
            h1 { "Users" }
            @if let Some(d) = done { div.notice role="status" { (d) } }
            (error_summary(errors))
            section aria-labelledby="pending-h" {
                h2 #pending-h { "Waiting for a second administrator (" (pending.len()) ")" }
                p.hint { "A change that can open case content takes effect only when another administrator approves it. Nobody approves their own request, or a change to their own account." }
                @if pending.is_empty() {
                    p { "Nothing is waiting." }
                } @else {
                    div.table-wrap {
                        table {
                            thead { tr { th scope="col" { "Change" } th scope="col" { "Account" } th scope="col" { "Role" } th scope="col" { "Asked by" } th scope="col" { "When" } th scope="col" { "Decision" } } }
                            tbody {
                                @for r in &pending {
                                    tr {
                                        td { (r.change.label()) }
                                        td { (r.username) }
                                        td { (r.role.map(|x| x.label()).unwrap_or("")) }
                                        td { (r.requested_by_name) }
                                        td { (when(r.requested_at)) }
                                        td {
                                            @if r.requested_by == ctx.user.id {
                                                "Your request: another administrator decides it."
                                            } @else if r.target == Some(ctx.user.id) {
                                                "A change to your account: another administrator decides it."
                                            } @else {
                                                form.inline method="post" action=(format!("/admin/requests/{}/approve", r.id)) {
                                                    input type="hidden" name="csrf" value=(ctx.session.csrf_token);
                                                    button type="submit" aria-label=(format!("Approve: {} for {}", r.change.label().to_lowercase(), r.username)) { "Approve" }
                                                }
                                                form.inline method="post" action=(format!("/admin/requests/{}/reject", r.id)) {
                                                    input type="hidden" name="csrf" value=(ctx.session.csrf_token);
                                                    label for=(format!("reason-{}", r.id)) { "Reason to reject" }
                                                    input id=(format!("reason-{}", r.id)) name="reason" type="text" maxlength="1000" required;
                                                    button.secondary type="submit" { "Reject" }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            section.step aria-labelledby="accounts-h" {
                h2 #accounts-h { "Accounts" }
                form.search method="get" action="/admin/users" role="search" {
                    label for="q" { "Search by user name, name, role or BCU" }
                    input #q name="q" type="search" value=(query);
                    button.secondary type="submit" { "Search" }
                }
                p { (accounts.len()) " account" @if accounts.len() != 1 { "s" } @if !query.trim().is_empty() { " matching “" (query.trim()) "”" } "." }
                div.table-wrap {
                    table {
                        thead { tr { th scope="col" { "User name" } th scope="col" { "Name" } th scope="col" { "Role" } th scope="col" { "BCU" } th scope="col" { "State" } } }
                        tbody {
                            @for a in &accounts {
                                tr {
                                    td { a href=(format!("/admin/users/{}", a.user.id)) { (a.user.username) } }
                                    td { (a.user.display_name) }
                                    td { (a.user.role.label()) }
                                    td { (bcu_name(a)) }
                                    td { @if a.user.active { "Active" } @else { "Disabled" } @if a.user.must_change_password { " (must change password)" } }
                                }
                            }
                        }
                    }
                }
            }
            section.step aria-labelledby="add-h" {
                h2 #add-h { "Add a user" }
                p.hint { "An oversight account is created at once. Any other role waits for a second administrator. The new user chooses their own password at first sign-in." }
                form method="post" action="/admin/users" {
                    input type="hidden" name="csrf" value=(ctx.session.csrf_token);
                    div.field { label for="username" { "User name" } input #username name="username" type="text" required value=(field(typed, "username")); }
                    div.field { label for="display_name" { "Name shown to others" } input #display_name name="display_name" type="text" required value=(field(typed, "display_name")); }
                    div.field { label for="role" { "Role" } select #role name="role" { @for r in Role::ALL { option value=(r.as_str()) selected[field(typed, "role") == r.as_str()] { (r.label()) } } } }
                    div.field { label for="bcu" { "BCU (for investigators, supervisors and BCU leads)" } select #bcu name="bcu" { (bcu_options(&bcus, &field(typed, "bcu"))) } }
                    div.field { label for="password" { "First password (at least 12 characters, not easily guessed)" } input #password name="password" type="password" autocomplete="new-password" required; }
                    button type="submit" { "Add user" }
                }
            }
            @if !decided.is_empty() {
                section.step aria-labelledby="decided-h" {
                    h2 #decided-h { "Recent decisions" }
                    div.table-wrap {
                        table {
                            thead { tr { th scope="col" { "Change" } th scope="col" { "Account" } th scope="col" { "Asked by" } th scope="col" { "Decision" } th scope="col" { "By" } th scope="col" { "When" } } }
                            tbody {
                                @for r in &decided {
                                    tr {
                                        td { (r.change.label()) }
                                        td { (r.username) }
                                        td { (r.requested_by_name) }
                                        td { (r.status) @if let Some(reason) = &r.reason { ": " (reason) } }
                                        td { (r.decided_by_name.clone().unwrap_or_default()) }
                                        td { (r.decided_at.map(when).unwrap_or_default()) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        },
    );
    Ok((status_of(errors), Html(body.into_string())).into_response())
}

/// `GET /admin/users?q=…`.
pub async fn page(
    State(state): State<AppState>,
    PageCtx(ctx): PageCtx,
    Query(q): Query<Fields>,
) -> Response {
    let query = field(&q, "q");
    let done = q.get("done").map(String::as_str);
    render_list(&state, &ctx, &query, done, &[], &Fields::new())
        .await
        .unwrap_or_else(|e| super::error_page(Some(&ctx), e))
}

fn outcome_notice(o: &Outcome, what: &str) -> String {
    match o {
        Outcome::Done(u) => format!("{what}: done for {}.", u.username),
        Outcome::Pending(r) => format!(
            "{what} for {} is waiting for a second administrator to approve it.",
            r.username
        ),
    }
}

/// `POST /admin/users`.
pub async fn create(
    State(state): State<AppState>,
    PageCtx(ctx): PageCtx,
    Form(f): Form<Fields>,
) -> Response {
    if let Some(r) = super::csrf_rejection(&ctx, &field(&f, "csrf")) {
        return r;
    }
    let new = app::users::NewUser {
        username: field(&f, "username"),
        display_name: field(&f, "display_name"),
        role: field(&f, "role"),
        bcu: Some(field(&f, "bcu")),
        password: field(&f, "password"),
    };
    match ops::create(&state.app, &ctx, &new).await {
        Ok(o) => Redirect::to(&format!(
            "/admin/users?done={}",
            url_component(&outcome_notice(&o, "Create the account"))
        ))
        .into_response(),
        Err(e @ Error::Invalid { .. }) => render_list(&state, &ctx, "", None, &[e.message()], &f)
            .await
            .unwrap_or_else(|e| super::error_page(Some(&ctx), e)),
        Err(e) => super::error_page(Some(&ctx), e),
    }
}

async fn render_account(
    state: &AppState,
    ctx: &Ctx,
    id: &str,
    done: Option<&str>,
    errors: &[String],
) -> Result<Response, Error> {
    let v = ops::view(&state.app, ctx, id).await?;
    let bcus = app::forces::bcus(&state.app, ctx.user.force).await?;
    let u = &v.account.user;
    let own = u.id == ctx.user.id;
    let base = format!("/admin/users/{}", u.id);
    let csrf = html! { input type="hidden" name="csrf" value=(ctx.session.csrf_token); };
    let bcu_code = v
        .account
        .bcu
        .as_ref()
        .map(|b| b.code.clone())
        .unwrap_or_default();
    let body = frame(
        Some(ctx),
        &format!("User {}", u.username),
        html! {
            p { a href="/admin/users" { "All users" } }
            h1 { (u.display_name) " (" (u.username) ")" }
            @if let Some(d) = done { div.notice role="status" { (d) } }
            (error_summary(errors))
            dl.facts {
                dt { "Role" } dd { (u.role.label()) }
                dt { "BCU" } dd { (v.account.bcu.as_ref().map(|b| b.name.clone()).unwrap_or_else(|| "Whole force".into())) }
                dt { "State" } dd { @if u.active { "Active" } @else { "Disabled" } }
                dt { "Sign-in" } dd {
                    @match v.locked_until { Some(t) => { "Locked after failed sign-ins until " (when(t)) }, None => { "Not locked" } }
                    @if u.must_change_password { "; must choose a new password at the next sign-in" }
                }
                dt { "Open allocations" } dd { (v.open_allocations.len()) }
            }
            @if !v.open_allocations.is_empty() {
                h2 { "Open referrals allocated to " (u.display_name) }
                p.hint { "If they leave or move, give this list to their sergeant to allocate again." }
                ul { @for a in &v.open_allocations { li { (a.1) " " (a.2) " (" (a.3) ")" } } }
            }
            @if !v.pending.is_empty() {
                h2 { "Waiting for a second administrator" }
                ul { @for r in &v.pending { li { (r.change.label()) ", asked by " (r.requested_by_name) " on " (when(r.requested_at)) } } }
            }
            @if own {
                p.hint { "This is your own account: another administrator changes it. Change your password from " a href="/account/password" { "your password page" } "." }
            } @else {
                section.step aria-labelledby="role-h" {
                    h2 #role-h { "Change the role" }
                    p.hint { "Any role but oversight waits for a second administrator." }
                    form method="post" action=(format!("{base}/role")) {
                        (csrf)
                        div.field { label for="role" { "New role" } select #role name="role" { @for r in Role::ALL { option value=(r.as_str()) selected[r == u.role] { (r.label()) } } } }
                        div.field { label for="role-bcu" { "BCU (for investigators, supervisors and BCU leads)" } select #role-bcu name="bcu" { (bcu_options(&bcus, &bcu_code)) } }
                        (confirm_box("role-confirm", "I have checked that this person needs this role"))
                        button type="submit" { "Change the role" }
                    }
                }
                @if u.role.is_bcu_scoped() {
                    section.step aria-labelledby="bcu-h" {
                        h2 #bcu-h { "Move to another BCU" }
                        p.hint { "Waits for a second administrator. Their open allocations stay with this BCU's sergeant to allocate again." }
                        form method="post" action=(format!("{base}/bcu")) {
                            (csrf)
                            div.field { label for="bcu" { "New BCU" } select #bcu name="bcu" { (bcu_options(&bcus, &bcu_code)) } }
                            (confirm_box("bcu-confirm", "I have checked the move with their new BCU"))
                            button type="submit" { "Move" }
                        }
                    }
                }
                section.step aria-labelledby="staff-h" {
                    h2 #staff-h { "Staff number" }
                    p.hint { "Their number in the force's learning system: training completions are imported by it. Leave blank to clear." }
                    form method="post" action=(format!("{base}/staff-number")) {
                        (csrf)
                        div.field { label for="staff_number" { "Staff number" } input #staff_number name="staff_number" type="text" maxlength="40" value=(v.staff_number.clone().unwrap_or_default()); }
                        button type="submit" { "Save the staff number" }
                    }
                }
                section.step aria-labelledby="password-h" {
                    h2 #password-h { "Reset the password" }
                    p.hint { "They must choose a new password at the next sign-in. For any role but oversight, the reset waits for a second administrator." }
                    form method="post" action=(format!("{base}/password")) {
                        (csrf)
                        div.field { label for="password" { "Temporary password (at least 12 characters)" } input #password name="password" type="password" autocomplete="new-password" required; }
                        (confirm_box("password-confirm", "I have confirmed who asked for this reset"))
                        button type="submit" { "Reset the password" }
                    }
                }
                @if v.locked_until.is_some() {
                    section.step aria-labelledby="unlock-h" {
                        h2 #unlock-h { "Unlock" }
                        form method="post" action=(format!("{base}/unlock")) {
                            (csrf)
                            (confirm_box("unlock-confirm", "I have checked that the owner, not someone else, is locked out"))
                            button type="submit" { "Unlock the account" }
                        }
                    }
                }
                section.step aria-labelledby="state-h" {
                    @if u.active {
                        h2 #state-h { "Disable (a leaver)" }
                        p.hint { "Takes effect at once: every session of theirs ends." }
                        form method="post" action=(format!("{base}/disable")) {
                            (csrf)
                            (confirm_box("disable-confirm", "I have checked that this person has left or must lose access"))
                            button type="submit" { "Disable the account" }
                        }
                    } @else {
                        h2 #state-h { "Enable again" }
                        p.hint { "Waits for a second administrator." }
                        form method="post" action=(format!("{base}/enable")) {
                            (csrf)
                            (confirm_box("enable-confirm", "I have checked that this person needs access again"))
                            button type="submit" { "Enable the account" }
                        }
                    }
                }
            }
        },
    );
    Ok((status_of(errors), Html(body.into_string())).into_response())
}

/// `GET /admin/users/{id}`.
pub async fn account(
    State(state): State<AppState>,
    PageCtx(ctx): PageCtx,
    Path(id): Path<String>,
    Query(q): Query<Fields>,
) -> Response {
    render_account(&state, &ctx, &id, q.get("done").map(String::as_str), &[])
        .await
        .unwrap_or_else(|e| super::error_page(Some(&ctx), e))
}

/// `POST /admin/users/{id}/{action}`: role, bcu, password, unlock, disable, enable.
pub async fn change(
    State(state): State<AppState>,
    PageCtx(ctx): PageCtx,
    Path((id, action)): Path<(String, String)>,
    Form(f): Form<Fields>,
) -> Response {
    if let Some(r) = super::csrf_rejection(&ctx, &field(&f, "csrf")) {
        return r;
    }
    let confirmed = field(&f, "confirm") == "yes";
    let app = &state.app;
    let notice: Result<String, Error> = match action.as_str() {
        "role" => {
            let bcu = field(&f, "bcu");
            ops::change_role(app, &ctx, &id, &field(&f, "role"), Some(&bcu), confirmed)
                .await
                .map(|o| outcome_notice(&o, "Change the role"))
        }
        "bcu" => ops::move_bcu(app, &ctx, &id, &field(&f, "bcu"), confirmed)
            .await
            .map(|o| outcome_notice(&o, "Move to another BCU")),
        "password" => ops::reset_password(app, &ctx, &id, &field(&f, "password"), confirmed)
            .await
            .map(|o| outcome_notice(&o, "Reset the password")),
        "staff-number" => ops::set_staff_number(app, &ctx, &id, &field(&f, "staff_number"))
            .await
            .map(|n| match n {
                Some(n) => format!("Staff number set to {n}."),
                None => "Staff number cleared.".to_string(),
            }),
        "enable" => ops::enable(app, &ctx, &id, confirmed)
            .await
            .map(|o| outcome_notice(&o, "Enable the account")),
        "unlock" => ops::unlock(app, &ctx, &id, confirmed).await.map(|was| {
            if was {
                "Unlocked: they can sign in again.".to_string()
            } else {
                "The account was not locked.".to_string()
            }
        }),
        "disable" => ops::disable(app, &ctx, &id, confirmed).await.map(|d| {
            format!(
                "Disabled {}: {} session(s) ended; {} open allocation(s) listed below for their sergeant.",
                d.user.username,
                d.sessions_ended,
                d.open_allocations.len()
            )
        }),
        _ => Err(Error::NotFound),
    };
    match notice {
        Ok(n) => Redirect::to(&format!(
            "/admin/users/{}?done={}",
            url_component(&id),
            url_component(&n)
        ))
        .into_response(),
        Err(e @ (Error::Invalid { .. } | Error::AlreadyDone { .. })) => {
            render_account(&state, &ctx, &id, None, &[e.message()])
                .await
                .unwrap_or_else(|e| super::error_page(Some(&ctx), e))
        }
        Err(e) => super::error_page(Some(&ctx), e),
    }
}

/// `POST /admin/requests/{id}/{approve|reject}`.
pub async fn decide(
    State(state): State<AppState>,
    PageCtx(ctx): PageCtx,
    Path((id, decision)): Path<(String, String)>,
    Form(f): Form<Fields>,
) -> Response {
    if let Some(r) = super::csrf_rejection(&ctx, &field(&f, "csrf")) {
        return r;
    }
    let result = match decision.as_str() {
        "approve" => ops::approve(&state.app, &ctx, &id)
            .await
            .map(|u| format!("Approved: the change to {} has taken effect.", u.username)),
        "reject" => ops::reject(&state.app, &ctx, &id, &field(&f, "reason"))
            .await
            .map(|r| format!("Rejected the change to {}.", r.username)),
        _ => Err(Error::NotFound),
    };
    match result {
        Ok(n) => Redirect::to(&format!("/admin/users?done={}", url_component(&n))).into_response(),
        Err(e @ (Error::Invalid { .. } | Error::AlreadyDone { .. })) => {
            render_list(&state, &ctx, "", None, &[e.message()], &Fields::new())
                .await
                .unwrap_or_else(|e| super::error_page(Some(&ctx), e))
        }
        Err(e) => super::error_page(Some(&ctx), e),
    }
}

fn password_page(ctx: &Ctx, errors: &[String], done: Option<&str>) -> Response {
    let body = frame(
        Some(ctx),
        "Your password",
        html! {
            h1 { "Your password" }
            @if let Some(d) = done { div.notice role="status" { (d) } }
            @if ctx.user.must_change_password {
                p { "An administrator has reset your password. Choose a new one to go on." }
            }
            (error_summary(errors))
            form.narrow method="post" action="/account/password" {
                input type="hidden" name="csrf" value=(ctx.session.csrf_token);
                div.field { label for="current" { "Current password" } input #current name="current" type="password" autocomplete="current-password" required; }
                div.field {
                    label for="password" { "New password" }
                    p.hint #password-hint { "At least 12 characters, and not easily guessed: a few unrelated words work well. Any characters; up to 256 bytes." }
                    input #password name="password" type="password" autocomplete="new-password" aria-describedby="password-hint" required;
                }
                button type="submit" { "Change my password" }
            }
        },
    );
    (status_of(errors), Html(body.into_string())).into_response()
}

/// `GET /account/password`.
pub async fn password_form(PageCtx(ctx): PageCtx, Query(q): Query<Fields>) -> Response {
    password_page(&ctx, &[], q.get("done").map(String::as_str))
}

/// `POST /account/password`.
pub async fn password_submit(
    State(state): State<AppState>,
    PageCtx(ctx): PageCtx,
    Form(f): Form<Fields>,
) -> Response {
    if let Some(r) = super::csrf_rejection(&ctx, &field(&f, "csrf")) {
        return r;
    }
    match ops::change_own_password(
        &state.app,
        &ctx,
        &field(&f, "current"),
        &field(&f, "password"),
    )
    .await
    {
        Ok(_) => Redirect::to("/account/password?done=Your%20password%20has%20been%20changed.")
            .into_response(),
        Err(e @ Error::Invalid { .. }) => password_page(&ctx, &[e.message()], None),
        Err(e) => super::error_page(Some(&ctx), e),
    }
}
