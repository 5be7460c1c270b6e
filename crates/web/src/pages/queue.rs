//! The referral queue: the user's scope, soonest due first, with the risk level and the time left (or
//! overdue) visible at a glance.

use super::layout::frame;
use crate::auth::PageCtx;
use crate::error::Error;
use crate::views::headline_phrase;
use crate::{AppState, Ctx};
use app::referrals::{QueueRequest, StatusFilter};
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Response};
use domain::Referral;
use maud::{Markup, html};
use serde::Deserialize;

/// Queue filters.
#[derive(Deserialize, Default)]
pub struct QueueQuery {
    /// `open` (default), `closed` or `all`.
    #[serde(default)]
    show: Option<String>,
    /// Only unrouted (central queue).
    #[serde(default)]
    unrouted: Option<String>,
    /// Paging cursor.
    #[serde(default)]
    cursor: Option<String>,
    /// Justification for the consultation.
    #[serde(default)]
    justification: Option<String>,
}

/// A risk level as a labelled badge (text, not colour alone).
pub fn risk_badge(r: &Referral) -> Markup {
    match r.risk_level {
        Some(l) => html! { span class={"badge risk-" (l.as_str())} { (l.label()) } },
        None => html! { span.badge.risk-none { "Not assessed" } },
    }
}

/// The queue's content.
async fn page_handler(state: &AppState, ctx: &Ctx, q: QueueQuery) -> Result<Markup, Error> {
    let show = q.show.as_deref().unwrap_or("open");
    let unrouted = q.unrouted.as_deref() == Some("1");
    let req = QueueRequest {
        status: match show {
            "closed" => StatusFilter::Only(domain::Status::Closed),
            "open" => StatusFilter::Open,
            _ => StatusFilter::All,
        },
        unrouted_only: unrouted,
        limit: 50,
        cursor: q.cursor.clone(),
    };
    let queue = app::referrals::queue(&state.app, ctx, req).await?;
    let page_ = &queue.page;
    let scope_name = app::referrals::scope_name(&state.app, queue.scope).await?;
    let now = jiff::Timestamp::now();
    Ok(frame(
        Some(ctx),
        "Referral queue",
        html! {
            h1 { "Referral queue" }
            p.lead { "Referrals for " (scope_name) ", soonest due first. Times are London time." }
            form.filters method="get" action="/referrals" {
                div.field.inline {
                    label for="show" { "Show" }
                    select #show name="show" {
                        @for (v, l) in [("open", "Open referrals"), ("closed", "Closed referrals"), ("all", "All referrals")] {
                            option value=(v) selected[show == v] { (l) }
                        }
                    }
                }
                @if !ctx.user.role.is_bcu_scoped() {
                    div.field.inline.check {
                        input #unrouted type="checkbox" name="unrouted" value="1" checked[unrouted];
                        label for="unrouted" { "Only unrouted (central queue)" }
                    }
                }
                button.secondary type="submit" { "Apply" }
            }
            @if page_.items.is_empty() {
                p { "No referrals to show." }
            } @else {
                table.queue {
                    caption.visually-hidden { "Referrals, soonest due first" }
                    thead { tr {
                        th scope="col" { "Due" } th scope="col" { "Risk" } th scope="col" { "Referral" }
                        th scope="col" { "BCU" } th scope="col" { "Status" } th scope="col" { "Allocated to" }
                    } }
                    tbody {
                        @for r in &page_.items {
                            @let (phrase, class, kind) = headline_phrase(r, now);
                            tr {
                                td {
                                    span class={"clock clock-" (class)} { (phrase) } br;
                                    span.muted {
                                        @if let (Some(kind), Some(due)) = (kind, r.headline_due) {
                                            (kind.label()) ": " (domain::time::display(due))
                                        } @else {
                                            (domain::time::display(r.due_at))
                                        }
                                    }
                                }
                                td { (risk_badge(r)) @if r.escalated { " " span.badge.escalated { "Escalated" } } @if r.linked_open > 0 { br; span.badge.joins { "Joins an open case" } } }
                                td { a href={"/referrals/" (r.id)} { (r.source) " " (r.report_id) } br; span.muted { (r.incident_type) } }
                                td { (r.bcu_code.as_deref().map(str::to_uppercase).unwrap_or_else(|| "Unrouted".into())) }
                                td { (r.status.label()) }
                                td { (r.allocated_name.as_deref().unwrap_or("—")) }
                            }
                        }
                    }
                }
                @if let Some(c) = &page_.next_cursor {
                    p { a href={"/referrals?show=" (show) "&unrouted=" (if unrouted { "1" } else { "" }) "&cursor=" (c)} { "Next page" } }
                }
            }
        },
    ))
}

/// `GET /referrals`.
pub async fn page(
    State(state): State<AppState>,
    PageCtx(ctx): PageCtx,
    Query(q): Query<QueueQuery>,
) -> Response {
    let ctx = ctx.with_justification(q.justification.as_ref());
    match page_handler(&state, &ctx, q).await {
        Ok(m) => Html(m.into_string()).into_response(),
        Err(Error::Invalid {
            code: "justification.required",
            message,
            ..
        }) => super::layout::justification_page(&ctx, "/referrals", &message),
        Err(e) => super::error_page(Some(&ctx), e),
    }
}
