//! The oversight board's pages: its meetings (`/governance/meetings`), with the form to schedule them every
//! six weeks; one meeting, with its record (day, attendees, minutes, decisions) and the button to freeze its
//! snapshot; and the board pack drawn from the frozen snapshot, as a page and as a PDF.

use super::layout::{error_summary, frame};
use crate::auth::PageCtx;
use crate::error::Error;
use crate::input::Form;
use crate::views::long_date as long;
use crate::{AppState, Ctx};
use app::governance::board::{self as ops, BOARD_ROLES, Pack};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::{Action, Decision, Target};
use maud::{Markup, html};
use std::collections::HashMap;

type Typed = HashMap<String, String>;

fn keeps(ctx: &Ctx) -> bool {
    domain::decide(&ctx.principal(), Action::KeepBoard, Target::Collection) == Decision::Allow
}

fn answer(m: Result<Markup, Error>, ctx: &Ctx, status: StatusCode) -> Response {
    match m {
        Ok(m) => (status, Html(m.into_string())).into_response(),
        Err(e) => super::error_page(Some(ctx), e),
    }
}

async fn list_page(
    state: &AppState,
    ctx: &Ctx,
    errors: &[String],
    typed: &Typed,
) -> Result<Markup, Error> {
    let meetings = ops::meetings(&state.app, ctx).await?;
    let today = app::governance::today().to_string();
    let v = |k: &str, d: &str| typed.get(k).cloned().unwrap_or_else(|| d.to_string());
    Ok(frame(
        Some(ctx),
        "Board meetings",
        html! {
            p { a href="/governance" { "Back to inspections" } }
            h1 { "Oversight board meetings" }
            (error_summary(errors))
            p.lead { "The board meets every six weeks. Each meeting's snapshot is frozen on or after the day: the pack printed from it never changes afterwards." }
            @if meetings.is_empty() { p { "No meeting is scheduled yet." } } @else {
                div.table-scroll {
                    table {
                        caption.visually-hidden { "Meetings by day" }
                        thead { tr { th scope="col" { "Meeting" } th scope="col" { "Attendees" } th scope="col" { "Snapshot" } } }
                        tbody {
                            @for m in meetings.iter().rev() {
                                tr {
                                    td { a href={"/governance/meetings/" (m.id)} { (long(&m.on)) } }
                                    td { (m.attendees.len()) }
                                    td { @if m.frozen_at.is_some() { a href={"/governance/meetings/" (m.id) "/pack"} { "Board pack" } } @else if m.on <= today { "Not frozen" } @else { "Ahead" } }
                                }
                            }
                        }
                    }
                }
            }
            @if keeps(ctx) {
                h2 #schedule { "Schedule meetings" }
                form method="post" action="/governance/meetings" {
                    input type="hidden" name="csrf" value=(ctx.session.csrf_token);
                    div.field { label for="first" { "First meeting" } input #first name="first" type="date" required value=(v("first", "")); }
                    div.field { label for="count" { "How many, every six weeks (1 to 40)" } input #count name="count" type="number" min="1" max="40" required value=(v("count", "9")); }
                    button type="submit" { "Schedule" }
                }
            }
        },
    ))
}

/// `GET /governance/meetings`.
pub async fn list(State(state): State<AppState>, PageCtx(ctx): PageCtx) -> Response {
    answer(
        list_page(&state, &ctx, &[], &HashMap::new()).await,
        &ctx,
        StatusCode::OK,
    )
}

fn refused(e: &Error) -> Option<(StatusCode, Vec<String>)> {
    matches!(
        e,
        Error::Invalid { .. } | Error::Conflict | Error::AlreadyDone { .. }
    )
    .then(|| (crate::error::status(e), vec![e.message()]))
}

/// `POST /governance/meetings`: schedule.
pub async fn schedule(
    State(state): State<AppState>,
    PageCtx(ctx): PageCtx,
    Form(f): Form<Typed>,
) -> Response {
    let get = |k: &str| f.get(k).map(String::as_str).unwrap_or("");
    if let Some(r) = super::csrf_rejection(&ctx, get("csrf")) {
        return r;
    }
    let count = get("count").trim().parse::<usize>().unwrap_or(0);
    match ops::schedule(&state.app, &ctx, get("first"), count).await {
        Ok(_) => Redirect::to("/governance/meetings").into_response(),
        Err(e) => match refused(&e) {
            Some((status, errors)) => {
                answer(list_page(&state, &ctx, &errors, &f).await, &ctx, status)
            }
            None => super::error_page(Some(&ctx), e),
        },
    }
}

async fn meeting_page(
    state: &AppState,
    ctx: &Ctx,
    id: &str,
    errors: &[String],
    typed: &Typed,
) -> Result<Markup, Error> {
    let m = ops::meetings(&state.app, ctx)
        .await?
        .into_iter()
        .find(|m| m.id == id)
        .ok_or(Error::NotFound)?;
    let v = |k: &str, d: &str| typed.get(k).cloned().unwrap_or_else(|| d.to_string());
    let base = format!("/governance/meetings/{}", m.id);
    Ok(frame(
        Some(ctx),
        "Board meeting",
        html! {
            p { a href="/governance/meetings" { "Back to meetings" } }
            h1 { "Board meeting of " (long(&m.on)) }
            (error_summary(errors))
            @if let (Some(at), Some(sha)) = (&m.frozen_at, &m.sha256) {
                p { "Snapshot frozen " (crate::views::when(at)) @if let Some(by) = &m.frozen_by { " by " (by) } ". "
                    a href={(base) "/pack"} { "The board pack" } " · " a href={(base) "/pack.pdf"} { "PDF" } }
                p.hint { "Content hash (SHA-256): " code { (sha) } }
            }
            h2 { "Attendees" }
            @if m.attendees.is_empty() { p { "None recorded." } } @else { ul { @for a in &m.attendees { li { (a) } } } }
            h2 { "Minutes" } p { @if m.minutes.is_empty() { "None recorded." } @else { (m.minutes) } }
            h2 { "Decisions" } p { @if m.decisions.is_empty() { "None recorded." } @else { (m.decisions) } }
            @if keeps(ctx) {
                @if m.frozen_at.is_none() {
                    h2 #freeze { "Freeze the snapshot" }
                    p { "On or after the meeting's day: the tracker's statuses, overdue actions, the figures of the twelve months to the last completed month, and training coverage, as they stand now. It is never changed afterwards." }
                    form method="post" action={(base) "/snapshot"} {
                        input type="hidden" name="csrf" value=(ctx.session.csrf_token);
                        button type="submit" { "Freeze the snapshot" }
                    }
                }
                h2 #edit { "Edit the meeting's record" }
                form method="post" action=(base) {
                    input type="hidden" name="csrf" value=(ctx.session.csrf_token);
                    div.field { label for="on" { "Day" } input #on name="on" type="date" required value=(v("on", &m.on)); }
                    fieldset.field {
                        legend { "Attendees by role" }
                        @for (i, role) in BOARD_ROLES.iter().enumerate() {
                            @let name = format!("role-{i}");
                            @let checked = if typed.is_empty() { m.attendees.iter().any(|a| a == role) } else { typed.contains_key(&name) };
                            div.checkbox { input #(name) type="checkbox" name=(name) value="1" checked[checked]; label for=(name) { (role) } }
                        }
                    }
                    @let others: Vec<&str> = m.attendees.iter().map(String::as_str).filter(|a| !BOARD_ROLES.contains(a)).collect();
                    div.field { label for="attendees" { "Other attendees" } span.hint #attendees-hint { "One per line, by role (and name if wanted)." }
                        textarea #attendees name="attendees" rows="4" aria-describedby="attendees-hint" { (v("attendees", &others.join("\n"))) } }
                    div.field { label for="minutes" { "Minutes" } textarea #minutes name="minutes" rows="6" maxlength="10000" { (v("minutes", &m.minutes)) } }
                    div.field { label for="decisions" { "Decisions" } textarea #decisions name="decisions" rows="4" maxlength="10000" { (v("decisions", &m.decisions)) } }
                    button type="submit" { "Save the record" }
                }
            }
        },
    ))
}

/// `GET /governance/meetings/{id}`.
pub async fn meeting(
    State(state): State<AppState>,
    PageCtx(ctx): PageCtx,
    Path(id): Path<String>,
) -> Response {
    answer(
        meeting_page(&state, &ctx, &id, &[], &HashMap::new()).await,
        &ctx,
        StatusCode::OK,
    )
}

/// `POST /governance/meetings/{id}`: edit the record.
pub async fn edit(
    State(state): State<AppState>,
    PageCtx(ctx): PageCtx,
    Path(id): Path<String>,
    Form(f): Form<Typed>,
) -> Response {
    let get = |k: &str| f.get(k).map(String::as_str).unwrap_or("");
    if let Some(r) = super::csrf_rejection(&ctx, get("csrf")) {
        return r;
    }
    // The roles ticked, in the list's order, then anyone written in.
    let attendees: Vec<String> = BOARD_ROLES
        .iter()
        .enumerate()
        .filter(|(i, _)| f.contains_key(&format!("role-{i}")))
        .map(|(_, r)| r.to_string())
        .chain(
            get("attendees")
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string),
        )
        .collect();
    match ops::edit(
        &state.app,
        &ctx,
        &id,
        get("on"),
        &attendees,
        get("minutes"),
        get("decisions"),
    )
    .await
    {
        Ok(_) => Redirect::to(&format!("/governance/meetings/{id}")).into_response(),
        Err(e) => match refused(&e) {
            Some((status, errors)) => answer(
                meeting_page(&state, &ctx, &id, &errors, &f).await,
                &ctx,
                status,
            ),
            None => super::error_page(Some(&ctx), e),
        },
    }
}

/// `POST /governance/meetings/{id}/snapshot`: freeze.
pub async fn freeze(
    State(state): State<AppState>,
    PageCtx(ctx): PageCtx,
    Path(id): Path<String>,
    Form(f): Form<Typed>,
) -> Response {
    if let Some(r) = super::csrf_rejection(&ctx, f.get("csrf").map(String::as_str).unwrap_or("")) {
        return r;
    }
    match ops::freeze(&state.app, &ctx, &id).await {
        Ok(_) => Redirect::to(&format!("/governance/meetings/{id}/pack")).into_response(),
        Err(e) => match refused(&e) {
            Some((status, errors)) => answer(
                meeting_page(&state, &ctx, &id, &errors, &HashMap::new()).await,
                &ctx,
                status,
            ),
            None => super::error_page(Some(&ctx), e),
        },
    }
}

fn pack_markup(p: &Pack, sha: &str, intact: bool, pdf: &str) -> Markup {
    let m = &p.meeting;
    let charts = crate::print::pack_charts(p);
    html! {
        h1 { "Oversight board pack: meeting of " (long(&m.on)) }
        p { "Frozen " (crate::views::when(&p.frozen_at)) " by " (p.frozen_by) "; the tracker as at " (long(&p.as_at)) ". " a href=(pdf) { "Download the PDF" } }
        p.hint { "Content hash (SHA-256): " code { (sha) } @if intact { " (checked: unchanged since frozen)" } @else { strong { " (does not match the content: report this)" } } }
        @if !m.attendees.is_empty() { h2 { "Attendees" } ul { @for a in &m.attendees { li { (a) } } } }
        @if !m.minutes.is_empty() { h2 { "Minutes" } p { (m.minutes) } }
        @if !m.decisions.is_empty() { h2 { "Decisions" } p { (m.decisions) } }
        h2 { "Recommendations" }
        @for i in &p.inspections {
            h3 { (i.title) " (published " (long(&i.published_on)) ")" }
            p { "Section 55 response: " (i.s55) }
            div.table-scroll tabindex="0" role="region" aria-label=(format!("{} recommendations (table)", i.title)) {
                table {
                    thead { tr { th scope="col" { "No." } th scope="col" { "Recommendation" } th scope="col" { "Due" } th scope="col" { "Force status" } th scope="col" { "Inspectorate status" } th scope="col" { "Actions done" } } }
                    tbody { @for r in &i.recommendations { tr {
                        td { (r.number) } td { (r.text) } td { (long(&r.due_on)) @if r.overdue { " (past due)" } }
                        td { (r.force_status) } td { (r.inspectorate_status) } td { (r.actions_done) " of " (r.actions) }
                    } } }
                }
            }
        }
        @for c in charts.iter().filter(|c| c.after == "tracker") {
            h3 { (c.title) }
            (c.svg())
            div.table-scroll tabindex="0" role="region" aria-label=(format!("{} (table)", c.title)) {
                table {
                    thead { tr { th scope="col" { "Force status" } th scope="col" { "Recommendations" } } }
                    tbody { @for (l, v) in c.labels.iter().zip(&c.series[0].1) { tr { th scope="row" { (l) } td { @match v { Ok(n) => (format!("{n:.0}")), Err(m) => (m) } } } } }
                }
            }
        }
        h2 { "Overdue actions" }
        @if p.overdue_actions.is_empty() { p { "None." } } @else {
            div.table-scroll tabindex="0" role="region" aria-label="Overdue actions (table)" {
                table {
                    thead { tr { th scope="col" { "Report" } th scope="col" { "No." } th scope="col" { "Action" } th scope="col" { "Owner" } th scope="col" { "Due" } } }
                    tbody { @for a in &p.overdue_actions { tr { td { (a.report) } td { (a.number) } td { (a.text) } td { (a.owner) } td { (long(&a.due_on)) } } } }
                }
            }
        }
        h2 { "Training coverage" }
        @if p.training.is_empty() { p { "No course recorded." } } @else {
            div.table-scroll tabindex="0" role="region" aria-label="Training coverage (table)" {
                table {
                    thead { tr { th scope="col" { "Course" } @for b in &p.training[0].bcus { th scope="col" { (b.bcu.to_uppercase()) } } th scope="col" { "Force" } } }
                    tbody { @for c in &p.training { tr { th scope="row" { (c.name) } @for b in &c.bcus { td { (b.done) " of " (b.team) } } td { (c.done) " of " (c.team) } } } }
                }
            }
        }
        h2 { "Figures: " (p.figures.period) }
        @if p.figures.suppressed { p.hint { "Counts of 1 to 4, and any count that would let one be worked out, are shown as [c]; [low] marks a share or time from too few referrals, [x] one with nothing to compute it from." } }
        @for t in &p.figures.tables {
            h3 { (t.title) }
            p { (t.about) }
            @for c in charts.iter().filter(|c| c.after == t.id) { p { strong { (c.title) } } (c.svg()) }
            div.table-scroll tabindex="0" role="region" aria-label=(format!("{} (table)", t.title)) {
                table {
                    thead { tr { th scope="col" { span.visually-hidden { "Row" } } @for c in &t.columns { th scope="col" { (c) } } } }
                    tbody { @for r in &t.rows { tr { th scope="row" { (r.label) } @for c in &r.cells { td { (c) } } } } }
                }
            }
        }
    }
}

/// `GET /governance/meetings/{id}/pack`.
pub async fn pack(
    State(state): State<AppState>,
    PageCtx(ctx): PageCtx,
    Path(id): Path<String>,
) -> Response {
    match ops::snapshot(&state.app, &ctx, &id).await {
        Ok(s) => {
            let pdf = format!("/governance/meetings/{id}/pack.pdf");
            let body = html! { p { a href={"/governance/meetings/" (id)} { "Back to the meeting" } } (pack_markup(&s.pack, &s.sha256, s.intact, &pdf)) };
            Html(frame(Some(&ctx), "Board pack", body).into_string()).into_response()
        }
        Err(e) => super::error_page(Some(&ctx), e),
    }
}

/// `GET /governance/meetings/{id}/pack.pdf`.
pub async fn pack_pdf(
    State(state): State<AppState>,
    PageCtx(ctx): PageCtx,
    Path(id): Path<String>,
) -> Response {
    match ops::snapshot(&state.app, &ctx, &id).await {
        Ok(s) => crate::print::answer(
            pdf::render(&crate::print::pack(&s.pack, &s.sha256)),
            &format!("board-pack-{}.pdf", s.pack.meeting.on),
        ),
        Err(e) => super::error_page(Some(&ctx), e),
    }
}
