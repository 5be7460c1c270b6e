//! The governance pages: the inspection reports with their section 55 position (`/governance`), one report with
//! its recommendations, one recommendation with its two status histories, actions, evidence and comments, and
//! the section 55 response (written and published by the oversight body, printed as a letter to the Home
//! Secretary). Forms show only to the role that may use them: the improvement lead keeps the tracker, the
//! oversight body comments and responds; the other readers see it all without forms.

use super::layout::{error_summary, frame};
use crate::auth::PageCtx;
use crate::error::Error;
use crate::input::Form;
use crate::views::long_date as long;
use crate::{AppState, Ctx};
use app::governance::{self as ops, InspectionView, RecommendationView, StatusView};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::governance::{AnswerKind, ForceStatus, InspectorateStatus, TimeBand};
use domain::{Action, Decision, Target};
use maud::{Markup, html};
use std::collections::HashMap;

type Typed = HashMap<String, String>;

fn may(ctx: &Ctx, action: Action) -> bool {
    domain::decide(&ctx.principal(), action, Target::Collection) == Decision::Allow
}

/// Where the section 55 response stands, in words.
pub(crate) fn s55_words(i: &InspectionView) -> String {
    app::governance::board::s55_words(i)
}

fn status_cell(s: &Option<StatusView>) -> Markup {
    html! {
        @match s {
            Some(s) => { (s.label) br; span.muted { "from " (long(&s.on)) } }
            None => { span.muted { "None recorded" } }
        }
    }
}

fn v(typed: &Typed, k: &str, d: &str) -> String {
    typed.get(k).cloned().unwrap_or_else(|| d.to_string())
}

fn csrf(ctx: &Ctx) -> Markup {
    html! { input type="hidden" name="csrf" value=(ctx.session.csrf_token); }
}

fn page(m: Result<Markup, Error>, ctx: &Ctx, status: StatusCode) -> Response {
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
    let items = ops::inspections(&state.app, ctx).await?;
    let keeps = may(ctx, Action::KeepTracker);
    Ok(frame(
        Some(ctx),
        "Inspections",
        html! {
            h1 { "Inspections" }
            (error_summary(errors))
            p.lead { "The inspectorate's reports on the force's child protection work, their recommendations and how each is progressing, and the oversight body's section 55 responses." }
            p { a href="/governance/meetings" { "Oversight board meetings and packs" } " · " a href="/governance/training" { "Training records and coverage" } }
            @if items.is_empty() {
                p { "No inspection report has been recorded yet." }
            } @else {
                div.table-scroll {
                    table {
                        caption.visually-hidden { "Inspection reports, oldest first" }
                        thead { tr {
                            th scope="col" { "Report" } th scope="col" { "Published" } th scope="col" { "Recommendations" }
                            th scope="col" { "Past their due date" } th scope="col" { "Actions overdue" } th scope="col" { "Section 55 response" }
                        } }
                        tbody {
                            @for i in &items {
                                tr {
                                    td { a href={"/governance/inspections/" (i.id)} { (i.title) } br; span.muted { (i.inspectorate) } }
                                    td { (long(&i.published_on)) }
                                    td { (i.recommendations.len()) }
                                    td { (i.recommendations_overdue) }
                                    td { (i.actions_overdue) }
                                    td { (s55_words(i)) }
                                }
                            }
                        }
                    }
                }
            }
            @if keeps {
                h2 #add { "Record an inspection report" }
                form method="post" action="/governance/inspections" {
                    (csrf(ctx))
                    div.field { label for="title" { "Title" } input #title name="title" type="text" required maxlength="200" value=(v(typed, "title", "")); }
                    div.field { label for="inspectorate" { "Inspectorate" } input #inspectorate name="inspectorate" type="text" maxlength="200" value=(v(typed, "inspectorate", "HMICFRS")); }
                    div.field { label for="published_on" { "Published on" } span.hint #published-hint { "Day 1 of the 56 days the oversight body has for its section 55 response." } input #published_on name="published_on" type="date" required aria-describedby="published-hint" value=(v(typed, "published_on", "")); }
                    div.field { label for="link" { "Link (optional)" } input #link name="link" type="url" maxlength="2000" value=(v(typed, "link", "")); }
                    button type="submit" { "Record the report" }
                }
            }
        },
    ))
}

/// `GET /governance`.
pub async fn list(State(state): State<AppState>, PageCtx(ctx): PageCtx) -> Response {
    page(
        list_page(&state, &ctx, &[], &HashMap::new()).await,
        &ctx,
        StatusCode::OK,
    )
}

/// What follows a form: going on to the next page, or the same page again with the refusal.
enum After {
    Go(Response),
    Again(StatusCode, Vec<String>),
}

/// After a form: to `to` when done; the same page again (with what was typed) when it was refused.
fn after(ctx: &Ctx, result: Result<String, Error>) -> After {
    match result {
        Ok(to) => After::Go(Redirect::to(&to).into_response()),
        Err(e @ (Error::Invalid { .. } | Error::Conflict | Error::AlreadyDone { .. })) => {
            After::Again(crate::error::status(&e), vec![e.message()])
        }
        Err(e) => After::Go(super::error_page(Some(ctx), e)),
    }
}

fn get<'a>(f: &'a Typed, k: &str) -> &'a str {
    f.get(k).map(String::as_str).unwrap_or("")
}

fn opt<'a>(f: &'a Typed, k: &str) -> Option<&'a str> {
    f.get(k)
        .map(String::as_str)
        .filter(|v| !v.trim().is_empty())
}

/// `POST /governance/inspections`.
pub async fn add_inspection(
    State(state): State<AppState>,
    PageCtx(ctx): PageCtx,
    Form(f): Form<Typed>,
) -> Response {
    if let Some(r) = super::csrf_rejection(&ctx, get(&f, "csrf")) {
        return r;
    }
    let new = ops::NewInspection {
        title: get(&f, "title"),
        inspectorate: opt(&f, "inspectorate"),
        published_on: get(&f, "published_on"),
        link: opt(&f, "link"),
    };
    let result = ops::add_inspection(&state.app, &ctx, &new)
        .await
        .map(|i| format!("/governance/inspections/{}", i.id));
    match after(&ctx, result) {
        After::Go(r) => r,
        After::Again(status, e) => page(list_page(&state, &ctx, &e, &f).await, &ctx, status),
    }
}

async fn inspection_page(
    state: &AppState,
    ctx: &Ctx,
    id: &str,
    errors: &[String],
    typed: &Typed,
) -> Result<Markup, Error> {
    let i = ops::inspection(&state.app, ctx, id).await?;
    let keeps = may(ctx, Action::KeepTracker);
    let today = ops::today();
    Ok(frame(
        Some(ctx),
        &i.title,
        html! {
            p { a href="/governance" { "Back to inspections" } }
            h1 { (i.title) }
            (error_summary(errors))
            dl.details {
                dt { "Inspectorate" } dd { (i.inspectorate) }
                dt { "Published" } dd { (long(&i.published_on)) }
                @if let Some(l) = &i.link { dt { "Link" } dd { a href=(l) rel="noreferrer" { (l) } } }
                dt { "Section 55 response" } dd { (s55_words(&i)) " " a href={"/governance/inspections/" (i.id) "/response"} { "The response" } }
                dt { "Recorded" } dd { (crate::views::when(&i.recorded_at)) " by " (i.recorded_by) }
            }
            h2 #recommendations { "Recommendations" }
            @if i.recommendations.is_empty() {
                p { "None recorded yet." }
            } @else {
                @if i.recommendations.iter().any(|r| r.paraphrased) {
                    p.hint { "Words marked “paraphrased” summarise the recommendation rather than quote the report." }
                }
                div.table-scroll {
                    table {
                        caption.visually-hidden { "The report's recommendations with their statuses" }
                        thead { tr {
                            th scope="col" { "No." } th scope="col" { "Recommendation" } th scope="col" { "Time band" } th scope="col" { "Due" }
                            th scope="col" { "Force status" } th scope="col" { "Inspectorate status" } th scope="col" { "Actions" }
                        } }
                        tbody {
                            @for r in &i.recommendations {
                                tr {
                                    td { (r.number) }
                                    td { a href={"/governance/recommendations/" (r.id)} { (r.text) } @if r.paraphrased { " " span.muted { "(paraphrased)" } } }
                                    td { (r.time_band_label) }
                                    td { (long(&r.due_on)) @if r.overdue { br; strong.tag { "Past due" } } }
                                    td { (status_cell(&r.force_status)) }
                                    td { (status_cell(&r.inspectorate_status)) }
                                    td { (r.actions.iter().filter(|a| a.done_on.is_some()).count()) " of " (r.actions.len()) " done"
                                        @let overdue = r.actions.iter().filter(|a| a.overdue).count();
                                        @if overdue > 0 { br; strong.tag { (overdue) " overdue" } } }
                                }
                            }
                        }
                    }
                }
            }
            @if keeps {
                h2 #add { "Add a recommendation" }
                form method="post" action={"/governance/inspections/" (i.id) "/recommendations"} {
                    (csrf(ctx))
                    div.field { label for="number" { "Number in the report" } input #number name="number" type="text" required maxlength="200" value=(v(typed, "number", "")); }
                    div.field { label for="text" { "Recommendation" } textarea #text name="text" rows="4" required maxlength="10000" { (v(typed, "text", "")) } }
                    fieldset.field {
                        legend { "Time band" }
                        @for b in TimeBand::ALL {
                            div.choice { input type="radio" name="time_band" id={"band-" (b.as_str())} value=(b.as_str()) checked[v(typed, "time_band", "immediate") == b.as_str()]; label for={"band-" (b.as_str())} { (b.label()) " (due " (long(&b.due_from(i.published_on.parse().unwrap_or(today)).to_string())) ")" } }
                        }
                    }
                    div.field { label for="due_on" { "Due on (optional)" } span.hint #due-hint { "Leave blank for the time band's date." } input #due_on name="due_on" type="date" aria-describedby="due-hint" value=(v(typed, "due_on", "")); }
                    div.choice { input #paraphrased name="paraphrased" type="checkbox" value="yes" checked[typed.get("paraphrased").is_some()]; label for="paraphrased" { "The words are a paraphrase, not the report's own" } }
                    button type="submit" { "Add the recommendation" }
                }
            }
        },
    ))
}

/// `GET /governance/inspections/{id}`.
pub async fn inspection(
    State(state): State<AppState>,
    PageCtx(ctx): PageCtx,
    Path(id): Path<String>,
) -> Response {
    page(
        inspection_page(&state, &ctx, &id, &[], &HashMap::new()).await,
        &ctx,
        StatusCode::OK,
    )
}

/// `POST /governance/inspections/{id}/recommendations`.
pub async fn add_recommendation(
    State(state): State<AppState>,
    PageCtx(ctx): PageCtx,
    Path(id): Path<String>,
    Form(f): Form<Typed>,
) -> Response {
    if let Some(r) = super::csrf_rejection(&ctx, get(&f, "csrf")) {
        return r;
    }
    let new = ops::NewRecommendation {
        number: get(&f, "number"),
        text: get(&f, "text"),
        time_band: get(&f, "time_band"),
        due_on: opt(&f, "due_on"),
        paraphrased: f.contains_key("paraphrased"),
    };
    let result = ops::add_recommendation(&state.app, &ctx, &id, &new)
        .await
        .map(|_| format!("/governance/inspections/{id}#recommendations"));
    match after(&ctx, result) {
        After::Go(r) => r,
        After::Again(status, e) => page(
            inspection_page(&state, &ctx, &id, &e, &f).await,
            &ctx,
            status,
        ),
    }
}

fn history(title: &str, id: &str, list: &[StatusView]) -> Markup {
    html! {
        h3 id=(id) { (title) }
        @if list.is_empty() {
            p { "None recorded yet." }
        } @else {
            div.table-scroll {
                table {
                    caption.visually-hidden { (title) ", in the order each took effect" }
                    thead { tr { th scope="col" { "From" } th scope="col" { "Status" } th scope="col" { "Comment" } th scope="col" { "Recorded" } } }
                    tbody {
                        @for s in list {
                            tr { td { (long(&s.on)) } td { (s.label) } td { (s.comment) } td { (crate::views::when(&s.recorded_at)) br; span.muted { (s.recorded_by) } } }
                        }
                    }
                }
            }
        }
    }
}

fn recommendation_forms(ctx: &Ctx, r: &RecommendationView, typed: &Typed) -> Markup {
    let base = format!("/governance/recommendations/{}", r.id);
    html! {
        h2 #record-status { "Record a status" }
        form method="post" action={(base) "/status"} {
            (csrf(ctx))
            fieldset.field {
                legend { "Status" }
                p.hint { "The inspectorate's, as shown on its monitoring portal, or the force's own." }
                @for s in InspectorateStatus::ALL {
                    @let value = format!("inspectorate:{}", s.as_str());
                    div.choice { input type="radio" name="status" id={"st-" (value.replace(':', "-"))} value=(value) checked[v(typed, "status", "") == value]; label for={"st-" (value.replace(':', "-"))} { "Inspectorate: " (s.label()) } }
                }
                @for s in ForceStatus::ALL {
                    @let value = format!("force:{}", s.as_str());
                    div.choice { input type="radio" name="status" id={"st-" (value.replace(':', "-"))} value=(value) checked[v(typed, "status", "") == value]; label for={"st-" (value.replace(':', "-"))} { "Force: " (s.label()) } }
                }
            }
            div.field { label for="status-on" { "From (optional)" } span.hint #status-on-hint { "The day it took effect; today when blank." } input #status-on name="on" type="date" aria-describedby="status-on-hint" value=(v(typed, "on", "")); }
            div.field { label for="status-comment" { "Comment (optional)" } textarea #status-comment name="comment" rows="3" maxlength="10000" { (v(typed, "comment", "")) } }
            button type="submit" { "Record the status" }
        }
        h2 #add-action { "Add an action" }
        form method="post" action={(base) "/actions"} {
            (csrf(ctx))
            div.field { label for="action-text" { "What is to be done" } textarea #action-text name="text" rows="3" required maxlength="10000" { (v(typed, "text", "")) } }
            div.field { label for="owner" { "Owner" } span.hint #owner-hint { "A post or a name." } input #owner name="owner" type="text" required maxlength="200" aria-describedby="owner-hint" value=(v(typed, "owner", "")); }
            div.field { label for="action-due" { "Due on" } input #action-due name="due_on" type="date" required value=(v(typed, "due_on", "")); }
            button type="submit" { "Add the action" }
        }
        h2 #add-evidence { "Add evidence" }
        form method="post" action={(base) "/evidence"} {
            (csrf(ctx))
            div.field { label for="note" { "What it shows" } textarea #note name="note" rows="3" required maxlength="10000" { (v(typed, "note", "")) } }
            @if !r.actions.is_empty() {
                div.field { label for="evidence-action" { "Evidence of an action (optional)" }
                    select #evidence-action name="action" {
                        option value="" { "None in particular" }
                        @for a in &r.actions { option value=(a.id) selected[v(typed, "action", "") == a.id] { (a.text) } }
                    }
                }
            }
            div.field { label for="evidence-link" { "Link (optional)" } input #evidence-link name="link" type="url" maxlength="2000" value=(v(typed, "link", "")); }
            div.field { label for="file_ref" { "Document reference (optional)" } input #file_ref name="file_ref" type="text" maxlength="200" value=(v(typed, "file_ref", "")); }
            button type="submit" { "Add the evidence" }
        }
    }
}

async fn recommendation_page(
    state: &AppState,
    ctx: &Ctx,
    id: &str,
    errors: &[String],
    typed: &Typed,
) -> Result<Markup, Error> {
    let (i, r) = ops::recommendation(&state.app, ctx, id).await?;
    let keeps = may(ctx, Action::KeepTracker);
    let board = may(ctx, Action::KeepBoard);
    let base = format!("/governance/recommendations/{}", r.id);
    Ok(frame(
        Some(ctx),
        &format!("Recommendation {}", r.number),
        html! {
            p { a href={"/governance/inspections/" (i.id)} { "Back to " (i.title) } }
            h1 { "Recommendation " (r.number) }
            (error_summary(errors))
            p.lead { (r.text) @if r.paraphrased { " " span.muted { "(paraphrased)" } } }
            dl.details {
                dt { "Report" } dd { (i.title) ", published " (long(&i.published_on)) }
                dt { "Time band" } dd { (r.time_band_label) }
                dt { "Due" } dd { (long(&r.due_on)) @if r.overdue { " " strong.tag { "Past due" } } }
                dt { "Force status" } dd { (status_cell(&r.force_status)) }
                dt { "Inspectorate status" } dd { (status_cell(&r.inspectorate_status)) }
            }
            h2 #actions { "Actions" }
            @if r.actions.is_empty() { p { "None yet." } } @else {
                div.table-scroll {
                    table {
                        caption.visually-hidden { "Actions towards the recommendation" }
                        thead { tr { th scope="col" { "Action" } th scope="col" { "Owner" } th scope="col" { "Due" } th scope="col" { "Done" } } }
                        tbody {
                            @for a in &r.actions {
                                tr {
                                    td { (a.text) }
                                    td { (a.owner) }
                                    td { (long(&a.due_on)) @if a.overdue { br; strong.tag { "Overdue" } } }
                                    td {
                                        @if let Some(d) = &a.done_on {
                                            (long(d)) @if let Some(n) = a.done_note.as_ref().filter(|n| !n.is_empty()) { br; span.muted { (n) } }
                                        } @else if keeps {
                                            form.inline method="post" action={(base) "/actions/" (a.id) "/done"} {
                                                (csrf(ctx))
                                                label for={"done-" (a.id)} { "Done on" }
                                                input id={"done-" (a.id)} name="on" type="date" value=(ops::today().to_string());
                                                button type="submit" { "Mark done" }
                                            }
                                        } @else { "Not yet" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            h2 #evidence { "Evidence" }
            @if r.evidence.is_empty() { p { "None yet." } } @else {
                ul {
                    @for e in &r.evidence {
                        li {
                            (e.note)
                            @if let Some(f) = &e.file_ref { " (" (f) ")" }
                            @if let Some(l) = &e.link { " " a href=(l) rel="noreferrer" { "Link" } }
                            br; span.muted { "Added " (crate::views::when(&e.recorded_at)) " by " (e.recorded_by) }
                        }
                    }
                }
            }
            h2 #histories { "Status histories" }
            (history("The force's statuses", "force-history", &r.force_history))
            (history("The inspectorate's statuses", "inspectorate-history", &r.inspectorate_history))
            h2 #comments { "The oversight body's comments" }
            @if r.comments.is_empty() { p { "None yet." } } @else {
                ul { @for c in &r.comments { li { (c.text) br; span.muted { (crate::views::when(&c.at)) ", " (c.by) } } } }
            }
            @if board {
                form method="post" action={(base) "/comments"} {
                    (csrf(ctx))
                    div.field { label for="comment-text" { "Comment" } textarea #comment-text name="text" rows="3" required maxlength="10000" { (v(typed, "text", "")) } }
                    button type="submit" { "Add the comment" }
                }
            }
            @if keeps { (recommendation_forms(ctx, &r, typed)) }
        },
    ))
}

/// `GET /governance/recommendations/{id}`.
pub async fn recommendation(
    State(state): State<AppState>,
    PageCtx(ctx): PageCtx,
    Path(id): Path<String>,
) -> Response {
    page(
        recommendation_page(&state, &ctx, &id, &[], &HashMap::new()).await,
        &ctx,
        StatusCode::OK,
    )
}

/// `POST /governance/recommendations/{id}/{form}`: a status, an action, evidence or a comment.
pub async fn recommendation_form(
    State(state): State<AppState>,
    PageCtx(ctx): PageCtx,
    Path((id, form)): Path<(String, String)>,
    Form(f): Form<Typed>,
) -> Response {
    if let Some(r) = super::csrf_rejection(&ctx, get(&f, "csrf")) {
        return r;
    }
    let app = &state.app;
    let result = match form.as_str() {
        "status" => {
            let (track, status) = get(&f, "status").split_once(':').unwrap_or(("", ""));
            if track.is_empty() {
                Err(Error::invalid_at(
                    "governance.invalid",
                    "Choose a status.",
                    "status",
                ))
            } else {
                ops::record_status(
                    app,
                    &ctx,
                    &id,
                    track,
                    status,
                    opt(&f, "on"),
                    get(&f, "comment"),
                )
                .await
                .map(|_| "#histories")
            }
        }
        "actions" => ops::add_action(
            app,
            &ctx,
            &id,
            get(&f, "text"),
            get(&f, "owner"),
            get(&f, "due_on"),
        )
        .await
        .map(|_| "#actions"),
        "evidence" => {
            let new = ops::NewEvidence {
                note: get(&f, "note"),
                link: opt(&f, "link"),
                file_ref: opt(&f, "file_ref"),
                action: opt(&f, "action"),
            };
            ops::add_evidence(app, &ctx, &id, &new)
                .await
                .map(|_| "#evidence")
        }
        "comments" => ops::comment(app, &ctx, &id, get(&f, "text"))
            .await
            .map(|_| "#comments"),
        _ => Err(Error::NotFound),
    };
    let result = result.map(|anchor| format!("/governance/recommendations/{id}{anchor}"));
    match after(&ctx, result) {
        After::Go(r) => r,
        After::Again(status, e) => page(
            recommendation_page(&state, &ctx, &id, &e, &f).await,
            &ctx,
            status,
        ),
    }
}

/// `POST /governance/recommendations/{id}/actions/{action}/done`.
pub async fn action_done(
    State(state): State<AppState>,
    PageCtx(ctx): PageCtx,
    Path((id, action)): Path<(String, String)>,
    Form(f): Form<Typed>,
) -> Response {
    if let Some(r) = super::csrf_rejection(&ctx, get(&f, "csrf")) {
        return r;
    }
    let result = ops::action_done(
        &state.app,
        &ctx,
        &id,
        &action,
        opt(&f, "on"),
        get(&f, "note"),
    )
    .await
    .map(|_| format!("/governance/recommendations/{id}#actions"));
    match after(&ctx, result) {
        After::Go(r) => r,
        After::Again(status, e) => page(
            recommendation_page(&state, &ctx, &id, &e, &HashMap::new()).await,
            &ctx,
            status,
        ),
    }
}

/// `AnswerKind`s with their words, for the response form.
pub(crate) fn answer_kinds() -> &'static [AnswerKind] {
    AnswerKind::ALL
}
