//! `/governance/training`: each course's coverage of the BCUs' online abuse teams (no names), its sessions,
//! and, for those the names rule reaches, who completed what. The improvement lead adds courses and sessions
//! and imports completions from the learning system's CSV export (the CSRF token first, the role checked
//! before the file is read; every bad row reported by its line, nothing imported unless all are good).

use super::layout::{error_summary, frame};
use crate::auth::PageCtx;
use crate::error::Error;
use crate::input::Form;
use crate::{AppState, Ctx};
use app::governance as ops;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::governance::training::{NameReach, name_reach};
use domain::{Action, Decision, Target};
use maud::{Markup, html};
use std::collections::HashMap;

type Typed = HashMap<String, String>;

async fn render(
    state: &AppState,
    ctx: &Ctx,
    errors: &[String],
    notice: Option<&str>,
    typed: &Typed,
) -> Result<Markup, Error> {
    let courses = ops::courses(&state.app, ctx).await?;
    let keeps = domain::decide(&ctx.principal(), Action::KeepTracker, Target::Collection)
        == Decision::Allow;
    let names = if name_reach(&ctx.principal()) == NameReach::Nobody {
        None
    } else {
        Some(ops::completions(&state.app, ctx).await?)
    };
    let v = |k: &str| typed.get(k).cloned().unwrap_or_default();
    let bcus: Vec<String> = courses
        .first()
        .map(|c| c.bcus.iter().map(|b| b.bcu.clone()).collect())
        .unwrap_or_default();
    Ok(frame(
        Some(ctx),
        "Training",
        html! {
            h1 { "Training" }
            (error_summary(errors))
            @if let Some(n) = notice { div.notice role="status" { p { (n) } } }
            p.lead { "How many of each BCU's online abuse team (its investigators, sergeant and lead) have completed each course." }
            @if courses.is_empty() {
                p { "No course has been recorded yet." }
            } @else {
                div.table-scroll {
                    table {
                        caption { "Coverage by BCU" }
                        thead { tr { th scope="col" { "BCU" } @for c in &courses { th scope="col" { (c.name) } } } }
                        tbody {
                            @for (n, b) in bcus.iter().enumerate() {
                                tr { th scope="row" { (b.to_uppercase()) } @for c in &courses { td { (crate::views::coverage(c.bcus[n].done, c.bcus[n].team)) } } }
                            }
                            tr { th scope="row" { "Force" } @for c in &courses { td { strong { (crate::views::coverage(c.done, c.team)) } } } }
                        }
                    }
                }
                h2 { "Courses and sessions" }
                @for c in &courses {
                    h3 { (c.name) }
                    @if !c.description.is_empty() { p { (c.description) } }
                    @if c.sessions.is_empty() { p.muted { "No session recorded." } } @else {
                        ul { @for s in &c.sessions { li { (s.on.parse::<jiff::civil::Date>().map(|d| d.strftime("%-d %B %Y").to_string()).unwrap_or_else(|_| s.on.clone())) @if !s.place.is_empty() { ", " (s.place) } } } }
                    }
                }
            }
            @if let Some(names) = &names {
                h2 #completions { "Completions by name" }
                @if names.is_empty() { p { "None within your reach." } } @else {
                    div.table-scroll {
                        table {
                            caption.visually-hidden { "Who completed which course" }
                            thead { tr { th scope="col" { "BCU" } th scope="col" { "Officer" } th scope="col" { "Course" } th scope="col" { "Completed" } } }
                            tbody { @for x in names { tr { td { (x.bcu.as_deref().unwrap_or("").to_uppercase()) } td { (x.officer) } td { (x.course) } td { (x.completed_on) } } } }
                        }
                    }
                }
            }
            @if keeps {
                h2 #import { "Import completions" }
                p.hint { "A CSV export of the learning system with a header row naming staff_number, course and completed_on (YYYY-MM-DD); the course by its name here. At most 5 MiB." }
                form method="post" action="/governance/training/completions" enctype="multipart/form-data" {
                    input type="hidden" name="csrf" value=(ctx.session.csrf_token);
                    div.field { label for="file" { "CSV file" } input #file name="file" type="file" accept=".csv,text/csv" required; }
                    button type="submit" { "Import" }
                }
                h2 #add-course { "Add a course" }
                form method="post" action="/governance/training/courses" {
                    input type="hidden" name="csrf" value=(ctx.session.csrf_token);
                    div.field { label for="course-name" { "Name" } input #course-name name="name" type="text" required maxlength="200" value=(v("name")); }
                    div.field { label for="course-description" { "What it covers (optional)" } textarea #course-description name="description" rows="3" maxlength="10000" { (v("description")) } }
                    button type="submit" { "Add the course" }
                }
                @if !courses.is_empty() {
                    h2 #add-session { "Add a session" }
                    form method="post" action="/governance/training/sessions" {
                        input type="hidden" name="csrf" value=(ctx.session.csrf_token);
                        div.field { label for="session-course" { "Course" } select #session-course name="course" { @for c in &courses { option value=(c.id) selected[v("course") == c.id] { (c.name) } } } }
                        div.field { label for="session-on" { "Day" } input #session-on name="on" type="date" required value=(v("on")); }
                        div.field { label for="session-place" { "Place (optional)" } input #session-place name="place" type="text" maxlength="200" value=(v("place")); }
                        button type="submit" { "Add the session" }
                    }
                }
            }
        },
    ))
}

fn answer(m: Result<Markup, Error>, ctx: &Ctx, status: StatusCode) -> Response {
    match m {
        Ok(m) => (status, Html(m.into_string())).into_response(),
        Err(e) => super::error_page(Some(ctx), e),
    }
}

/// `GET /governance/training`.
pub async fn page(State(state): State<AppState>, PageCtx(ctx): PageCtx) -> Response {
    answer(
        render(&state, &ctx, &[], None, &HashMap::new()).await,
        &ctx,
        StatusCode::OK,
    )
}

/// `POST /governance/training/{courses|sessions}`.
pub async fn form(
    State(state): State<AppState>,
    PageCtx(ctx): PageCtx,
    Path(form): Path<String>,
    Form(f): Form<Typed>,
) -> Response {
    let get = |k: &str| f.get(k).map(String::as_str).unwrap_or("");
    if let Some(r) = super::csrf_rejection(&ctx, get("csrf")) {
        return r;
    }
    let result = match form.as_str() {
        "courses" => ops::add_course(&state.app, &ctx, get("name"), get("description"))
            .await
            .map(|_| ()),
        "sessions" => ops::add_session(&state.app, &ctx, get("course"), get("on"), get("place"))
            .await
            .map(|_| ()),
        _ => Err(Error::NotFound),
    };
    match result {
        Ok(()) => Redirect::to("/governance/training").into_response(),
        Err(e @ (Error::Invalid { .. } | Error::Conflict | Error::AlreadyDone { .. })) => {
            let status = crate::error::status(&e);
            answer(
                render(&state, &ctx, &[e.message()], None, &f).await,
                &ctx,
                status,
            )
        }
        Err(e) => super::error_page(Some(&ctx), e),
    }
}

/// `POST /governance/training/completions`: the CSV upload.
pub async fn import(
    State(state): State<AppState>,
    PageCtx(ctx): PageCtx,
    mut multipart: Multipart,
) -> Response {
    if let Err(r) = super::upload_allowed(&ctx, &mut multipart, &[Action::KeepTracker]).await {
        return r;
    }
    let mut file = None;
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("completions.csv").to_string();
            match field.bytes().await {
                Ok(b) => file = Some((name, b)),
                Err(_) => {
                    let e = format!(
                        "The file could not be read (it may be over {} MiB).",
                        ops::MAX_CSV_BYTES >> 20
                    );
                    return answer(
                        render(&state, &ctx, &[e], None, &HashMap::new()).await,
                        &ctx,
                        StatusCode::UNPROCESSABLE_ENTITY,
                    );
                }
            }
        }
    }
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return answer(
            render(
                &state,
                &ctx,
                &["Choose a CSV file to import.".into()],
                None,
                &HashMap::new(),
            )
            .await,
            &ctx,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    };
    match ops::import_completions(&state.app, &ctx, &name, &bytes).await {
        Ok(s) => {
            let n = format!(
                "Imported {name}: {} rows, {} new completions, {} already recorded.",
                s.rows, s.recorded, s.already
            );
            answer(
                render(&state, &ctx, &[], Some(&n), &HashMap::new()).await,
                &ctx,
                StatusCode::OK,
            )
        }
        Err(e @ (Error::Invalid { .. } | Error::Conflict | Error::TooLarge { .. })) => {
            let status = crate::error::status(&e);
            answer(
                render(&state, &ctx, &[e.message()], None, &HashMap::new()).await,
                &ctx,
                status,
            )
        }
        Err(e) => super::error_page(Some(&ctx), e),
    }
}
