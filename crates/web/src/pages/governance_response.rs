//! The section 55 response to one inspection report: the oversight body writes it (a covering text, the chief
//! officer's comments, and for each recommendation the action taken, the action proposed, or why none), saves
//! it as often as it likes, and publishes it once every recommendation has an answer. Everyone who reads
//! governance sees it, and the letter to the Home Secretary (copied to the inspectorate) it prints as.

use super::governance::{answer_kinds, s55_words};
use super::layout::{error_summary, frame};
use crate::auth::PageCtx;
use crate::error::Error;
use crate::input::Form;
use crate::views::long_date as long;
use crate::{AppState, Ctx};
use app::governance::{self as ops, InspectionView};
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::{Action, Decision, Target};
use maud::{DOCTYPE, Markup, html};
use std::collections::HashMap;

type Typed = HashMap<String, String>;

fn answer_of<'a>(i: &'a InspectionView, rec: &str) -> Option<&'a app::governance::AnswerView> {
    i.response
        .as_ref()
        .and_then(|r| r.answers.iter().find(|a| a.recommendation == rec))
}

async fn response_page(
    state: &AppState,
    ctx: &Ctx,
    id: &str,
    errors: &[String],
    typed: Option<&Typed>,
) -> Result<Markup, Error> {
    let i = ops::inspection(&state.app, ctx, id).await?;
    let writes =
        domain::decide(&ctx.principal(), Action::KeepBoard, Target::Collection) == Decision::Allow;
    let published = i.s55_published_on.is_some();
    let saved = i.response.as_ref();
    // What the form shows: what was just typed if it was refused, else the last saved version.
    let field = |k: &str, saved_value: &str| -> String {
        typed
            .and_then(|t| t.get(k).cloned())
            .unwrap_or_else(|| saved_value.to_string())
    };
    Ok(frame(
        Some(ctx),
        "Section 55 response",
        html! {
            p { a href={"/governance/inspections/" (i.id)} { "Back to " (i.title) } }
            h1 { "Section 55 response" }
            (error_summary(errors))
            p.lead { (i.title) ", published " (long(&i.published_on)) "." }
            p { strong { (s55_words(&i)) } }
            p.hint { "The local policing body's comments must be published within 56 days beginning with the day the report was published (publication day is day 1), explaining for each recommendation the action taken or proposed, or why none, with the chief officer's comments. Copies go to the Home Secretary and the inspectorate." }
            @if let Some(r) = saved {
                p { "Version " (r.versions) ", saved " (crate::views::when(&r.saved_at)) " by " (r.saved_by) "."
                    " " a href={"/governance/inspections/" (i.id) "/response/letter"} { "The response as a letter" } " · " a href={"/governance/inspections/" (i.id) "/response.pdf"} { "PDF" } }
                @if !r.unanswered.is_empty() && !published {
                    p { "Not yet answered: recommendation " (r.unanswered.join(", ")) "." }
                }
            }
            @if writes && !published {
                form method="post" action={"/governance/inspections/" (i.id) "/response"} {
                    input type="hidden" name="csrf" value=(ctx.session.csrf_token);
                    div.field { label for="covering" { "Covering text" } textarea #covering name="covering" rows="5" maxlength="10000" { (field("covering", saved.map(|r| r.covering.as_str()).unwrap_or(""))) } }
                    @for (n, rec) in i.recommendations.iter().enumerate() {
                        @let a = answer_of(&i, &rec.id);
                        @let kind = field(&format!("kind_{n}"), a.map(|a| a.kind.as_str()).unwrap_or("action_proposed"));
                        fieldset.field {
                            legend { "Recommendation " (rec.number) }
                            p { (rec.text) }
                            input type="hidden" name={"recommendation_" (n)} value=(rec.id);
                            @for k in answer_kinds() {
                                div.choice { input type="radio" name={"kind_" (n)} id={"kind-" (n) "-" (k.as_str())} value=(k.as_str()) checked[kind == k.as_str()]; label for={"kind-" (n) "-" (k.as_str())} { (k.label()) } }
                            }
                            div.field { label for={"text-" (n)} { "Answer" } textarea id={"text-" (n)} name={"text_" (n)} rows="4" maxlength="10000" { (field(&format!("text_{n}"), a.map(|a| a.text.as_str()).unwrap_or(""))) } }
                        }
                    }
                    div.field { label for="chief_officer" { "The chief officer's comments" } textarea #chief_officer name="chief_officer" rows="4" maxlength="10000" { (field("chief_officer", saved.map(|r| r.chief_officer.as_str()).unwrap_or(""))) } }
                    button type="submit" { "Save the response" }
                }
                @if saved.is_some() {
                    h2 #publish { "Publish" }
                    form method="post" action={"/governance/inspections/" (i.id) "/response/publish"} {
                        input type="hidden" name="csrf" value=(ctx.session.csrf_token);
                        div.field { label for="published_on" { "Published on" } span.hint #published-hint { "The day it was published; not before the report, not in the future." }
                            input #published_on name="published_on" type="date" aria-describedby="published-hint" value=(field("published_on", &ops::today().to_string())); }
                        button type="submit" { "Mark the response published" }
                    }
                }
            } @else {
                (letter_body(&i))
            }
        },
    ))
}

/// The response's words as published: covering text, each recommendation with its answer, the chief officer's
/// comments.
fn letter_body(i: &InspectionView) -> Markup {
    let r = i.response.as_ref();
    let covering = r
        .map(|r| r.covering.as_str())
        .filter(|c| !c.trim().is_empty());
    let chief = r
        .map(|r| r.chief_officer.as_str())
        .filter(|c| !c.trim().is_empty());
    html! {
        h2 { "Covering text" }
        @match covering {
            Some(c) => { @for para in c.split("\n\n") { p { (para) } } }
            None => { p { em { "Not yet written." } } }
        }
        h2 { "The recommendations" }
        @for rec in &i.recommendations {
            h3 { "Recommendation " (rec.number) }
            p { (rec.text) @if rec.paraphrased { " " span.muted { "(paraphrased)" } } }
            @match answer_of(i, &rec.id) {
                Some(a) => { p { strong { (a.kind_label) ": " } (a.text) } }
                None => { p { em { "Not yet answered." } } }
            }
        }
        h2 { "The chief officer's comments" }
        @match chief {
            Some(c) => { @for para in c.split("\n\n") { p { (para) } } }
            None => { p { em { "None given." } } }
        }
    }
}

/// `GET /governance/inspections/{id}/response`.
pub async fn response(
    State(state): State<AppState>,
    PageCtx(ctx): PageCtx,
    Path(id): Path<String>,
) -> Response {
    match response_page(&state, &ctx, &id, &[], None).await {
        Ok(m) => Html(m.into_string()).into_response(),
        Err(e) => super::error_page(Some(&ctx), e),
    }
}

async fn refused(state: &AppState, ctx: &Ctx, id: &str, e: Error, typed: &Typed) -> Response {
    match e {
        e @ (Error::Invalid { .. } | Error::Conflict | Error::AlreadyDone { .. }) => {
            let status = crate::error::status(&e);
            match response_page(state, ctx, id, &[e.message()], Some(typed)).await {
                Ok(m) => (status, Html(m.into_string())).into_response(),
                Err(e) => super::error_page(Some(ctx), e),
            }
        }
        e => super::error_page(Some(ctx), e),
    }
}

/// `POST /governance/inspections/{id}/response`: save a version.
pub async fn save_response(
    State(state): State<AppState>,
    PageCtx(ctx): PageCtx,
    Path(id): Path<String>,
    Form(f): Form<Typed>,
) -> Response {
    let get = |k: &str| f.get(k).map(String::as_str).unwrap_or("");
    if let Some(r) = super::csrf_rejection(&ctx, get("csrf")) {
        return r;
    }
    let mut answers = vec![];
    for n in 0..app::governance::MAX_RECOMMENDATIONS {
        let Some(rec) = f.get(&format!("recommendation_{n}")) else {
            break;
        };
        answers.push(ops::TypedAnswer {
            recommendation: rec,
            kind: f
                .get(&format!("kind_{n}"))
                .map(String::as_str)
                .unwrap_or(""),
            text: f
                .get(&format!("text_{n}"))
                .map(String::as_str)
                .unwrap_or(""),
        });
    }
    match ops::save_response(
        &state.app,
        &ctx,
        &id,
        get("covering"),
        get("chief_officer"),
        &answers,
    )
    .await
    {
        Ok(_) => Redirect::to(&format!("/governance/inspections/{id}/response")).into_response(),
        Err(e) => refused(&state, &ctx, &id, e, &f).await,
    }
}

/// `POST /governance/inspections/{id}/response/publish`.
pub async fn publish(
    State(state): State<AppState>,
    PageCtx(ctx): PageCtx,
    Path(id): Path<String>,
    Form(f): Form<Typed>,
) -> Response {
    let get = |k: &str| f.get(k).map(String::as_str).unwrap_or("");
    if let Some(r) = super::csrf_rejection(&ctx, get("csrf")) {
        return r;
    }
    let on = Some(get("published_on")).filter(|v| !v.trim().is_empty());
    match ops::publish_response(&state.app, &ctx, &id, on).await {
        Ok(_) => Redirect::to(&format!("/governance/inspections/{id}/response")).into_response(),
        Err(e) => refused(&state, &ctx, &id, e, &f).await,
    }
}

/// `GET /governance/inspections/{id}/response.pdf`: the letter as a PDF.
pub async fn response_pdf(
    State(state): State<AppState>,
    PageCtx(ctx): PageCtx,
    Path(id): Path<String>,
) -> Response {
    match ops::inspection(&state.app, &ctx, &id).await {
        Ok(i) => crate::print::answer(
            pdf::render(&crate::print::response(&i)),
            "section-55-response.pdf",
        ),
        Err(e) => super::error_page(Some(&ctx), e),
    }
}

/// `GET /governance/inspections/{id}/response/letter`: the response as a printable letter to the Home
/// Secretary, copied to the inspectorate.
pub async fn response_letter(
    State(state): State<AppState>,
    PageCtx(ctx): PageCtx,
    Path(id): Path<String>,
) -> Response {
    let i = match ops::inspection(&state.app, &ctx, &id).await {
        Ok(i) => i,
        Err(e) => return super::error_page(Some(&ctx), e),
    };
    let dated = i
        .s55_published_on
        .as_deref()
        .map(long)
        .unwrap_or_else(|| "Draft: not yet published".into());
    let m = html! {
        (DOCTYPE)
        html lang="en-GB" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "Section 55 response: " (i.title) }
                style { "body{font-family:Arial,Helvetica,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#0b0c0c}h1{font-size:1.6rem}.muted{color:#505a5f}" }
            }
            body {
                main {
                    p { "To: the Home Secretary" br; "Copy: " (i.inspectorate) }
                    p { "Date: " (dated) }
                    h1 { "Response under section 55 of the Police Act 1996 to “" (i.title) "”" }
                    p { "Report published " (long(&i.published_on)) "; comments due by " (long(&i.s55_last_day)) "." }
                    (letter_body(&i))
                }
            }
        }
    };
    Html(m.into_string()).into_response()
}
