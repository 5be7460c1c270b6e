//! The access log page for the data protection officer: newest first, filterable by outcome, user, record
//! and time. Reading the log is itself logged.

use super::layout::frame;
use crate::AppState;
use crate::auth::PageCtx;
use app::audit::AuditFilter;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Response};
use maud::html;

/// `GET /audit`.
pub async fn page(
    State(state): State<AppState>,
    PageCtx(ctx): PageCtx,
    Query(f): Query<AuditFilter>,
) -> Response {
    let items = match app::audit::list(&state.app, &ctx, &f).await {
        Ok(page) => page.items,
        Err(e) => return super::error_page(Some(&ctx), e),
    };
    let val = |o: &Option<String>| o.clone().unwrap_or_default();
    let body = frame(
        Some(&ctx),
        "Access log",
        html! {
            h1 { "Access log" }
            p.lead { "Every collection, alteration, consultation, disclosure, combination and erasure of personal data, newest first. Times are London time." }
            form.filters method="get" action="/audit" {
                div.field.inline {
                    label for="outcome" { "Outcome" }
                    select #outcome name="outcome" {
                        option value="" { "Any" }
                        option value="allowed" selected[f.outcome.as_deref() == Some("allowed")] { "Allowed" }
                        option value="denied" selected[f.outcome.as_deref() == Some("denied")] { "Denied" }
                    }
                }
                div.field.inline { label for="user" { "User" } input #user name="user" type="text" value=(val(&f.user)); }
                div.field.inline { label for="record" { "Record id" } input #record name="record" type="text" value=(val(&f.record)); }
                div.field.inline { label for="from" { "From (UTC, RFC 3339)" } input #from name="from" type="text" value=(val(&f.from)); }
                div.field.inline { label for="to" { "To" } input #to name="to" type="text" value=(val(&f.to)); }
                button.secondary type="submit" { "Filter" }
            }
            table.log {
                thead { tr { th scope="col" { "#" } th scope="col" { "When" } th scope="col" { "User" } th scope="col" { "Action" } th scope="col" { "Record" } th scope="col" { "Outcome" } th scope="col" { "Justification" } th scope="col" { "Detail" } } }
                tbody {
                    @for e in &items {
                        tr {
                            td { (e.seq) } td { (domain::time::display(e.at)) } td { (e.username) } td { (e.action) }
                            td { (e.record_type) " " code { (e.record_id) } }
                            td { span class={"badge outcome-" (e.outcome)} { (e.outcome) } }
                            td { (e.justification.as_deref().unwrap_or("—")) } td { (e.detail) }
                        }
                    }
                }
            }
        },
    );
    Html(body.into_string()).into_response()
}
