//! Figures for the oversight board and leaders: counts per BCU, no personal data, with small numbers
//! (1 to 4) suppressed so nobody can be picked out.

use super::layout::frame;
use crate::AppState;
use crate::access;
use crate::auth::PageCtx;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use domain::Action;
use domain::audit::Processing;
use maud::{Markup, html};

fn n(v: i64) -> Markup {
    if (1..5).contains(&v) {
        html! { abbr title="fewer than 5: suppressed" { "<5" } }
    } else {
        html! { (v) }
    }
}

/// `GET /oversight`.
pub async fn page(State(state): State<AppState>, PageCtx(ctx): PageCtx) -> Response {
    let figs = async {
        access::require(
            &state,
            &ctx,
            Action::ViewAggregates,
            Processing::Consultation,
            "view aggregates",
        )
        .await?;
        Ok::<_, crate::error::AppError>(
            state
                .store
                .figures_by_bcu(ctx.user.force, jiff::Timestamp::now())
                .await?,
        )
    }
    .await;
    let figs = match figs {
        Ok(f) => f,
        Err(e) => return super::error_page(Some(&ctx), e),
    };
    let total = |f: fn(&store::BcuFigures) -> i64| figs.iter().map(f).sum::<i64>();
    let body = frame(
        Some(&ctx),
        "Figures",
        html! {
            h1 { "Referrals and timeliness by BCU" }
            p.lead { "Counts only: no names, identifiers or case details. Counts from 1 to 4 are shown as <5." }
            table.figures {
                thead { tr {
                    th scope="col" { "BCU" } th scope="col" { "Received" } th scope="col" { "Open" } th scope="col" { "Overdue now" }
                    th scope="col" { "Target met" } th scope="col" { "Target missed" } th scope="col" { "Closed" } th scope="col" { "Risk levels overridden" }
                } }
                tbody {
                    @for f in &figs {
                        tr { th scope="row" { (f.bcu_name) } td { (n(f.received)) } td { (n(f.open)) } td { (n(f.overdue)) } td { (n(f.met)) } td { (n(f.missed)) } td { (n(f.closed)) } td { (n(f.overrides)) } }
                    }
                }
                tfoot { tr {
                    th scope="row" { "Force" } td { (n(total(|f| f.received))) } td { (n(total(|f| f.open))) } td { (n(total(|f| f.overdue))) }
                    td { (n(total(|f| f.met))) } td { (n(total(|f| f.missed))) } td { (n(total(|f| f.closed))) } td { (n(total(|f| f.overrides))) }
                } }
            }
            @let (met, missed) = (total(|f| f.met), total(|f| f.missed));
            @if met + missed > 0 {
                p { "Across the force, " strong { (met * 100 / (met + missed)) "%" } " of first enforcement actions were within their timeliness target." }
            }
        },
    );
    Html(body.into_string()).into_response()
}
