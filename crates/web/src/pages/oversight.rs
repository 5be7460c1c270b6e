//! Figures for the oversight board and leaders: counts per BCU, no personal data, with small numbers
//! (1 to 4) suppressed so nobody can be picked out.

use super::layout::frame;
use crate::AppState;
use crate::auth::PageCtx;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use maud::{Markup, html};

fn n(v: Option<i64>) -> Markup {
    match v {
        Some(v) => html! { (v) },
        None => {
            html! { abbr title="suppressed: fewer than 5, or would let a small count be worked out" { "<5" } }
        }
    }
}

/// `GET /oversight`.
pub async fn page(State(state): State<AppState>, PageCtx(ctx): PageCtx) -> Response {
    let shown = match app::figures::by_bcu(&state.app, &ctx).await {
        Ok(f) => f,
        Err(e) => return super::error_page(Some(&ctx), e),
    };
    let late = match app::figures::late_reasons(&state.app, &ctx).await {
        Ok(l) => l,
        Err(e) => return super::error_page(Some(&ctx), e),
    };
    let body = frame(
        Some(&ctx),
        "Figures",
        html! {
            h1 { "Referrals and timeliness by BCU" }
            p.lead { "Counts only: no names, identifiers or case details. Counts from 1 to 4 are shown as <5, and so is any count that would let one of them be worked out from the totals." }
            table.figures {
                thead { tr {
                    th scope="col" { "BCU" } th scope="col" { "Received" } th scope="col" { "Open" } th scope="col" { "Overdue now" }
                    th scope="col" { "Target met" } th scope="col" { "Target missed" } th scope="col" { "Closed" } th scope="col" { "Risk levels overridden" }
                } }
                tbody {
                    @for row in &shown.rows {
                        tr { th scope="row" { (row.name) } @for c in &row.counts { td { (n(*c)) } } }
                    }
                }
                tfoot { tr {
                    th scope="row" { "Force" } @for c in &shown.totals { td { (n(*c)) } }
                } }
            }
            // Only from shown totals: a percentage of a hidden one would give it back.
            @if let (Some(met), Some(missed)) = (shown.totals[3], shown.totals[4]) && met + missed > 0 {
                p { "Across the force, " strong { (met * 100 / (met + missed)) "%" } " of first enforcement actions were within their timeliness target." }
            }
            h2 #late-h { "Clocks stopped late, by reason" }
            p { "Supervisory reviews, plan actions and bail returns done after their due time, counted by the reason code given. The officers' own words about a delay are never counted or shown here." }
            table.figures aria-labelledby="late-h" {
                thead { tr { th scope="col" { "Reason" } th scope="col" { "Clocks" } } }
                tbody {
                    @for (_, label, count) in &late.rows {
                        tr { th scope="row" { (label) } td { (n(*count)) } }
                    }
                }
                tfoot { tr { th scope="row" { "All late clocks" } td { (n(late.total)) } } }
            }
        },
    );
    Html(body.into_string()).into_response()
}
