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
use std::collections::HashMap;

/// Queue filters.
#[derive(Deserialize, Default, Clone)]
pub struct QueueQuery {
    /// `open` (default), `closed`, `all`, or one status.
    #[serde(default)]
    show: Option<String>,
    /// Only unrouted (central queue).
    #[serde(default)]
    unrouted: Option<String>,
    /// Only this risk level.
    #[serde(default)]
    risk: Option<String>,
    /// Only this officer's (a user name).
    #[serde(default)]
    officer: Option<String>,
    /// Only overdue (`1`).
    #[serde(default)]
    overdue: Option<String>,
    /// Only escalated (`1`).
    #[serde(default)]
    escalated: Option<String>,
    /// A search.
    #[serde(default)]
    q: Option<String>,
    /// Paging cursor.
    #[serde(default)]
    cursor: Option<String>,
    /// Justification for the consultation.
    #[serde(default)]
    justification: Option<String>,
}

impl QueueQuery {
    fn flag(v: &Option<String>) -> bool {
        v.as_deref() == Some("1")
    }

    /// The queue request; `apart`: referrals waiting only for an outcome decision left out (listed apart).
    fn request(&self, apart: bool, limit: i64) -> Result<QueueRequest, Error> {
        let show = self.show.as_deref().unwrap_or("open");
        Ok(QueueRequest {
            status: match show {
                "open" => StatusFilter::Open,
                "all" => StatusFilter::All,
                other => StatusFilter::parse(other)?,
            },
            unrouted_only: Self::flag(&self.unrouted),
            limit,
            cursor: self.cursor.clone(),
            risk_level: match self.risk.as_deref().filter(|r| !r.is_empty()) {
                None => None,
                Some(r) => Some(r.parse().map_err(|_| {
                    Error::invalid_at(
                        "request.invalid",
                        format!("unknown risk level '{r}'"),
                        "risk",
                    )
                })?),
            },
            officer: self.officer.clone().filter(|o| !o.is_empty()),
            overdue: Self::flag(&self.overdue),
            escalated: Self::flag(&self.escalated),
            except_outcome_proposed: apart,
            q: self.q.clone(),
        })
    }

    /// The query string of these filters (without the cursor), to carry into paging and count links, with
    /// the justification already given (so that a force requiring one asks once, not on every page).
    fn filters(&self) -> String {
        let mut parts = vec![];
        for (k, v) in [
            ("show", &self.show),
            ("unrouted", &self.unrouted),
            ("risk", &self.risk),
            ("officer", &self.officer),
            ("overdue", &self.overdue),
            ("escalated", &self.escalated),
            ("q", &self.q),
            ("justification", &self.justification),
        ] {
            if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
                parts.push(format!("{k}={}", crate::views::url_component(v)));
            }
        }
        parts.join("&")
    }
}

/// A risk level as a labelled badge (text, not colour alone).
pub fn risk_badge(r: &Referral) -> Markup {
    match r.risk_level {
        Some(l) => html! { span class={"badge risk-" (l.as_str())} { (l.label()) } },
        None => html! { span.badge.risk-none { "Not assessed" } },
    }
}

/// The queue table.
fn table(caption: &str, items: &[Referral], now: jiff::Timestamp) -> Markup {
    html! {
        div.table-scroll {
            table.queue {
                caption.visually-hidden { (caption) }
                thead { tr {
                    th scope="col" { "Due" } th scope="col" { "Risk" } th scope="col" { "Referral" }
                    th scope="col" { "BCU" } th scope="col" { "Status" } th scope="col" { "Allocated to" }
                } }
                tbody {
                    @for r in items {
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
                            td { (r.status_label()) }
                            td { (r.allocated_name.as_deref().unwrap_or("—")) }
                        }
                    }
                }
            }
        }
    }
}

/// The queue's content.
async fn page_handler(state: &AppState, ctx: &Ctx, q: QueueQuery) -> Result<Markup, Error> {
    let show = q.show.clone().unwrap_or_else(|| "open".into());
    // The working queue lists referrals waiting only for an outcome decision apart, below those that need
    // action now.
    let apart = show == "open";
    let queue = app::referrals::queue(&state.app, ctx, q.request(apart, 50)?).await?;
    let waiting = if apart && q.cursor.is_none() {
        let mut w = q.clone();
        w.show = Some("outcome_proposed".into());
        Some(app::referrals::queue(&state.app, ctx, w.request(false, 50)?).await?)
    } else {
        None
    };
    let page_ = &queue.page;
    let scope_name = app::referrals::scope_name(&state.app, queue.scope).await?;
    let officers = app::forces::officers(&state.app, ctx).await?;
    let now = jiff::Timestamp::now();
    let filters = q.filters();
    let with = |extra: &str| {
        let mut parts: Vec<String> = filters
            .split('&')
            .filter(|p| !p.is_empty() && !p.starts_with("show="))
            .map(str::to_string)
            .collect();
        parts.push(extra.to_string());
        format!("/referrals?{}", parts.join("&"))
    };
    let count = |s: domain::Status| {
        queue
            .counts
            .iter()
            .find(|(x, _)| *x == s)
            .map_or(0, |(_, n)| *n)
    };
    let open_total: i64 = queue
        .counts
        .iter()
        .filter(|(s, _)| s.is_open())
        .map(|(_, n)| n)
        .sum();
    let unrouted = QueueQuery::flag(&q.unrouted);
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    let max_rows = app::export::thousands(state.app.config().export_max_rows);
    Ok(frame(
        Some(ctx),
        "Referral queue",
        html! {
            h1 { "Referral queue" }
            p.lead { "Referrals for " (scope_name) ", soonest due first. Times are London time." }
            ul.counts aria-label="Referrals by status" {
                li { a href=(with("show=open")) { "Open: " strong { (open_total) } } }
                @for s in domain::Status::ALL {
                    li { a href=(with(&format!("show={}", s.as_str()))) { (s.label()) ": " strong { (count(s)) } } }
                }
            }
            form.filters method="get" action="/referrals" {
                div.field.inline {
                    label for="q" { "Search" }
                    input #q name="q" type="search" maxlength="320" value=(v(&q.q)) aria-describedby="q-hint";
                    span.hint #q-hint { "A report reference, or an exact email, phone or screen name" }
                }
                div.field.inline {
                    label for="show" { "Show" }
                    select #show name="show" {
                        @for (val, l) in [("open", "Open referrals"), ("closed", "Closed referrals"), ("all", "All referrals")] {
                            option value=(val) selected[show == val] { (l) }
                        }
                        @for s in domain::Status::ALL.into_iter().filter(|s| *s != domain::Status::Closed) {
                            option value=(s.as_str()) selected[show == s.as_str()] { "Only: " (s.label()) }
                        }
                    }
                }
                div.field.inline {
                    label for="risk" { "Risk level" }
                    select #risk name="risk" {
                        option value="" { "Any" }
                        @for l in domain::RiskLevel::ALL { option value=(l.as_str()) selected[q.risk.as_deref() == Some(l.as_str())] { (l.label()) } }
                    }
                }
                div.field.inline {
                    label for="officer" { "Officer" }
                    select #officer name="officer" {
                        option value="" { "Anyone" }
                        @for u in &officers { option value=(u.username) selected[q.officer.as_deref() == Some(u.username.as_str())] { (u.display_name) } }
                    }
                }
                div.field.inline.check { input #overdue type="checkbox" name="overdue" value="1" checked[QueueQuery::flag(&q.overdue)]; label for="overdue" { "Only overdue" } }
                div.field.inline.check { input #escalated type="checkbox" name="escalated" value="1" checked[QueueQuery::flag(&q.escalated)]; label for="escalated" { "Only escalated" } }
                @if !ctx.user.role.is_bcu_scoped() {
                    div.field.inline.check {
                        input #unrouted type="checkbox" name="unrouted" value="1" checked[unrouted];
                        label for="unrouted" { "Only unrouted (central queue)" }
                    }
                }
                button.secondary type="submit" { "Apply" }
            }
            @if apart { h2 #needs-action { "Needing action" } }
            @if page_.items.is_empty() {
                p { "No referrals to show." }
            } @else {
                (table("Referrals, soonest due first", &page_.items, now))
            }
            @if page_.prev_cursor.is_some() || page_.next_cursor.is_some() {
                nav.paging aria-label="Pages" {
                    @if let Some(c) = &page_.prev_cursor { a href={"/referrals?" (filters) "&cursor=" (crate::views::url_component(c))} { "Previous page" } }
                    @if let Some(c) = &page_.next_cursor { a href={"/referrals?" (filters) "&cursor=" (crate::views::url_component(c))} { "Next page" } }
                }
            }
            @if let Some(w) = &waiting {
                h2 #waiting { "Waiting only for an outcome decision: " (count(domain::Status::OutcomeProposed)) }
                p.hint { "Outcomes proposed and awaiting a supervisor's approval: nothing else is due from the officer." }
                @if !w.page.items.is_empty() { (table("Referrals waiting for an outcome decision", &w.page.items, now)) }
                @if w.page.next_cursor.is_some() {
                    p { a href=(with("show=outcome_proposed")) { "All referrals waiting for an outcome decision, a page at a time" } }
                }
            }
            details.export {
                summary { "Export this list as CSV" }
                p.hint { "Every referral these filters find (not only this page), with this page's columns only (no identifiers or narrative). A list of more than " (max_rows) " referrals is refused: narrow it first. The export is recorded in the access log as a disclosure with its recipient and purpose." }
                form method="get" action="/referrals.csv" {
                    @for (k, val) in [("show", &q.show), ("unrouted", &q.unrouted), ("risk", &q.risk), ("officer", &q.officer), ("overdue", &q.overdue), ("escalated", &q.escalated), ("q", &q.q), ("justification", &q.justification)] {
                        @if let Some(val) = val.as_deref().filter(|x| !x.is_empty()) { input type="hidden" name=(k) value=(val); }
                    }
                    div.field { label for="recipient" { "Who it is for" } input #recipient name="recipient" type="text" required maxlength="200"; }
                    div.field { label for="purpose" { "Why" } input #purpose name="purpose" type="text" required maxlength="1000"; }
                    button.secondary type="submit" { "Download CSV" }
                }
            }
        },
    ))
}

/// `GET /referrals.csv`: every referral the filters match (not one page), with the page's columns only,
/// refused without a recipient and a purpose or above the export limit, logged as a disclosure.
pub async fn export(
    State(state): State<AppState>,
    PageCtx(ctx): PageCtx,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let get = |k: &str| q.get(k).cloned().filter(|v| !v.trim().is_empty());
    let ctx = ctx.with_justification(get("justification").as_ref());
    let qq = QueueQuery {
        show: get("show"),
        unrouted: get("unrouted"),
        risk: get("risk"),
        officer: get("officer"),
        overdue: get("overdue"),
        escalated: get("escalated"),
        q: get("q"),
        cursor: None,
        justification: None,
    };
    let result = async {
        let d =
            app::export::Disclosure::parse(get("recipient").as_deref(), get("purpose").as_deref())?;
        let rows =
            app::referrals::export_queue(&state.app, &ctx, qq.request(false, 500)?, &d).await?;
        Ok::<_, Error>(crate::views::queue_csv(&rows, jiff::Timestamp::now()))
    }
    .await;
    match result {
        Ok(out) => out.download("referrals.csv"),
        Err(e) => super::error_page(Some(&ctx), e),
    }
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
