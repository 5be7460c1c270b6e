//! One subject: the linked referrals the user may read, the reported person's identifiers that link them,
//! and the suggested links waiting for a decision, each with a confirm/reject form. The decision form posts
//! to `/links/{id}/decision` from here and from the referral page's subject panel, and goes back to the
//! page it came from.

use super::layout::{error_summary, frame};
use crate::auth::PageCtx;
use crate::error::Error;
use crate::input::Form;
use crate::{AppState, Ctx};
use app::access::may_on;
use app::rows::LinkRow;
use app::subjects::VisibleSubject;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::Action;
use maud::{Markup, html};
use std::collections::HashMap;

/// `GET /subjects/{id}`.
pub async fn page(
    State(state): State<AppState>,
    PageCtx(ctx): PageCtx,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let ctx = ctx.with_justification(q.get("justification"));
    match app::subjects::open(&state.app, &ctx, &id).await {
        Ok(v) => {
            Html(render(&ctx, &v, q.get("done").map(String::as_str)).into_string()).into_response()
        }
        Err(Error::Invalid {
            code: "justification.required",
            message,
            ..
        }) => super::layout::justification_page(&ctx, &format!("/subjects/{id}"), &message),
        Err(e) => super::error_page(Some(&ctx), e),
    }
}

fn kind_label(kind: &str) -> &str {
    match kind {
        "email" => "Email",
        "phone" => "Phone",
        "esp_user_id" => "Platform user id",
        "screen_name" => "Screen name",
        "display_name" => "Display name",
        other => other,
    }
}

fn render(ctx: &Ctx, v: &VisibleSubject, done: Option<&str>) -> Markup {
    let s = &v.subject;
    let name = |id: &domain::ReferralId| {
        s.referrals
            .iter()
            .find(|r| r.id == *id)
            .map(|r| format!("{} {}", r.source, r.report_id))
            .unwrap_or_default()
    };
    let back = format!("/subjects/{}", s.id);
    let pending: Vec<&LinkRow> = v.links.iter().filter(|l| l.is_pending()).collect();
    let decided: Vec<&LinkRow> = v.links.iter().filter(|l| !l.is_pending()).collect();
    frame(
        Some(ctx),
        "Subject",
        html! {
            p { a href="/referrals" { "Back to the queue" } }
            h1 { "Subject" }
            p.lead { "One person behind the referrals below, linked by the reported person's identifiers. Only referrals you may read are shown." }
            @if let Some(d) = done { div.notice role="status" { (d) } }
            h2 #referrals-h { "Linked referrals" }
            table aria-labelledby="referrals-h" {
                thead { tr {
                    th scope="col" { "Referral" } th scope="col" { "Received" } th scope="col" { "BCU" }
                    th scope="col" { "Status" } th scope="col" { "Incident type" }
                } }
                tbody {
                    @for r in &s.referrals {
                        tr {
                            td { a href={"/referrals/" (r.id)} { (r.source) " " (r.report_id) } }
                            td { (domain::time::display(r.received_at)) }
                            td { (r.bcu_code.as_deref().map(str::to_uppercase).unwrap_or_else(|| "Unrouted".into())) }
                            td { (r.status.label()) @if r.status.is_open() { " " span.badge.open-case { "Open" } } }
                            td { (r.incident_type) }
                        }
                    }
                }
            }
            h2 #identifiers-h { "Identifiers that link them" }
            @if s.identifiers.is_empty() {
                p { "The reports name no identifiers of the reported person." }
            } @else {
                table aria-labelledby="identifiers-h" {
                    thead { tr { th scope="col" { "Kind" } th scope="col" { "Identifier" } th scope="col" { "In referrals" } } }
                    tbody {
                        @for i in &s.identifiers {
                            tr {
                                td { (kind_label(&i.kind)) }
                                td { (i.raw) }
                                td {
                                    @for (n, r) in i.referrals.iter().enumerate() {
                                        @if n > 0 { ", " }
                                        a href={"/referrals/" (r)} { (name(r)) }
                                    }
                                    @if i.referrals.len() > 1 { " " span.badge.shared { "Shared" } }
                                }
                            }
                        }
                    }
                }
            }
            h2 #suggested-h { "Suggested links" }
            @if pending.is_empty() {
                p { "No suggested links wait for a decision." }
            }
            @for l in &pending {
                (suggestion(ctx, l, &s.id, &back))
            }
            @if !decided.is_empty() {
                h2 #decided-h { "Links applied and decided" }
                ul.links {
                    @for l in &decided { li { (link_summary(l)) } }
                }
            }
        },
    )
}

/// What a decided or applied link says, in a sentence.
fn link_summary(l: &LinkRow) -> Markup {
    html! {
        (l.referral_source) " " (l.referral_report_id) ": " (l.basis) " – "
        @match l.status.as_str() {
            "linked" => "linked on import",
            "confirmed" => "confirmed",
            "rejected" => "rejected",
            other => (other),
        }
        @if let Some(by) = &l.decided_by { " by " (by) }
        @if let Some(at) = l.decided_at { " on " (domain::time::display(at)) }
        @if let Some(r) = &l.reason { ": " (r) }
    }
}

/// One pending suggestion with its decision form (when the user may decide it). `here` is the subject
/// whose page (or panel) shows it, so that the other side of the link can be named.
pub(crate) fn suggestion(ctx: &Ctx, l: &LinkRow, here: &str, back: &str) -> Markup {
    html! {
        section.step.suggestion aria-labelledby={"link-" (l.id) "-h"} {
            h3 #{"link-" (l.id) "-h"} {
                "Referral " (l.referral_source) " " (l.referral_report_id)
                @if l.subject_id == here { " may belong to this subject" }
                @else { " may belong to " a href={"/subjects/" (l.subject_id)} { "another subject" } }
            }
            p { "Suggested because of: " (l.basis) "." }
            @if may_on(ctx, Action::AssessRisk, l.referral_bcu) {
                (decision_form(ctx, l, back, None))
            } @else {
                p.hint { "An investigator, supervisor or the central desk decides this suggestion." }
            }
        }
    }
}

fn decision_form(ctx: &Ctx, l: &LinkRow, back: &str, reason: Option<&str>) -> Markup {
    let id = |s: &str| format!("link-{}-{s}", l.id);
    html! {
        form method="post" action={"/links/" (l.id) "/decision"} {
            input type="hidden" name="csrf" value=(ctx.session.csrf_token);
            input type="hidden" name="back" value=(back);
            fieldset {
                legend { "Is it the same person?" }
                div.radio {
                    input type="radio" name="decision" id=(id("confirm")) value="confirm" required;
                    label for=(id("confirm")) { "Yes: confirm the link and move the referral to that subject" }
                }
                div.radio {
                    input type="radio" name="decision" id=(id("reject")) value="reject" required;
                    label for=(id("reject")) { "No: reject the link" }
                }
            }
            div.field {
                label for=(id("reason")) { "Reason" }
                textarea id=(id("reason")) name="reason" rows="2" required { (reason.unwrap_or("")) }
            }
            div.field {
                label for=(id("justification")) { "Justification (optional)" }
                input id=(id("justification")) name="justification" type="text";
            }
            button type="submit" { "Record decision" }
        }
    }
}

/// Only a page of ours may be gone back to (never another site).
fn safe_back(back: &str) -> Option<&str> {
    let ok = (back.starts_with("/referrals/") || back.starts_with("/subjects/"))
        && back[1..]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '-'));
    ok.then_some(back)
}

/// `POST /links/{id}/decision` (a form): decide, then go back with a notice.
pub async fn decision(
    State(state): State<AppState>,
    PageCtx(ctx): PageCtx,
    Path(id): Path<String>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let field = |k: &str| f.get(k).map(String::as_str).unwrap_or("");
    if let Some(r) = super::csrf_rejection(&ctx, field("csrf")) {
        return r;
    }
    let ctx = ctx.with_justification(f.get("justification"));
    let back = safe_back(field("back")).unwrap_or("/referrals").to_string();
    match app::subjects::decide_link(&state.app, &ctx, &id, field("decision"), field("reason"))
        .await
    {
        Ok(l) => {
            let done = if l.status == "confirmed" {
                "Link confirmed: the referral was moved to the subject."
            } else {
                "Link rejected."
            };
            Redirect::to(&format!(
                "{back}?done={}",
                crate::views::url_component(done)
            ))
            .into_response()
        }
        Err(e @ Error::Invalid { .. }) => {
            match app::subjects::decidable_link(&state.app, &ctx, &id).await {
                Ok(Some(l)) => {
                    let body = frame(
                        Some(&ctx),
                        "Decide a suggested link",
                        html! {
                            p { a href=(back) { "Back" } }
                            h1 { "Decide a suggested link" }
                            (error_summary(&[e.message()]))
                            p { "Referral " (l.referral_source) " " (l.referral_report_id) " may belong to "
                                a href={"/subjects/" (l.subject_id)} { "another subject" } ", because of: " (l.basis) "." }
                            (decision_form(&ctx, &l, &back, Some(field("reason"))))
                        },
                    );
                    (StatusCode::UNPROCESSABLE_ENTITY, Html(body.into_string())).into_response()
                }
                _ => super::error_page(Some(&ctx), Error::NotFound),
            }
        }
        Err(Error::AlreadyDone { .. }) => super::layout::message_page(
            Some(&ctx),
            StatusCode::CONFLICT,
            "Already decided",
            "Someone has already confirmed or rejected this suggested link, so your decision was not recorded. Go back and reload the page to see the decision.",
        ),
        Err(e) => super::error_page(Some(&ctx), e),
    }
}
