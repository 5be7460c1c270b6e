//! Case quality reviews for auditors (the auditor's home): the grades per BCU across every sample, the form to
//! draw a new sample, the samples drawn, and one sample's referrals with their grades. Each referral is graded
//! and referred back from its own page.

use super::layout::{error_summary, frame};
use crate::auth::PageCtx;
use crate::error::Error;
use crate::input::Form;
use crate::{AppState, Ctx};
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::{Markup, html};
use std::collections::HashMap;

async fn overview(
    state: &AppState,
    ctx: &Ctx,
    errors: &[String],
    typed: &HashMap<String, String>,
) -> Result<Markup, Error> {
    let summary = app::quality::summary(&state.app, ctx).await?;
    let samples = app::quality::samples(&state.app, ctx).await?;
    let areas = &app::quality::areas(&state.app).areas;
    let today = domain::time::in_london(jiff::Timestamp::now())
        .date()
        .to_string();
    let v = |k: &str, d: &str| typed.get(k).cloned().unwrap_or_else(|| d.to_string());
    Ok(frame(
        Some(ctx),
        "Quality reviews",
        html! {
            h1 { "Quality reviews" }
            (error_summary(errors))
            p.lead { "Grade a sample of each BCU's referrals against the inspectorate's areas, and refer them back with remedial actions where needed. This is the force's own case quality review; the access log is the audit." }
            h2 #summary { "Grades by BCU" }
            @if summary.is_empty() {
                p { "No sample has been drawn yet." }
            } @else {
                div.table-scroll {
                    table {
                        caption.visually-hidden { "Overall grades and referrals referred back, per BCU, across every sample" }
                        thead { tr {
                            th scope="col" { "BCU" } th scope="col" { "Sampled" } th scope="col" { "Graded" }
                            th scope="col" { "Good" } th scope="col" { "Requires improvement" } th scope="col" { "Inadequate" }
                            th scope="col" { "Referred back" } th scope="col" { "Remedial actions open" } th scope="col" { "Done" }
                        } }
                        tbody {
                            @for b in &summary {
                                tr {
                                    th scope="row" { (b.bcu.to_uppercase()) }
                                    td { (b.sampled) } td { (b.graded) }
                                    td { (b.overall.good) } td { (b.overall.requires_improvement) } td { (b.overall.inadequate) }
                                    td { (b.referred_back) } td { (b.remedial_open) } td { (b.remedial_done) }
                                }
                            }
                        }
                    }
                }
                h3 { "By area" }
                div.table-scroll {
                    table {
                        caption.visually-hidden { "Grades per area: good / requires improvement / inadequate" }
                        thead { tr { th scope="col" { "BCU" } @for a in areas { th scope="col" { (a.label) } } } }
                        tbody {
                            @for b in &summary {
                                tr {
                                    th scope="row" { (b.bcu.to_uppercase()) }
                                    @for (_, c) in &b.areas { td { (c.good) " / " (c.requires_improvement) " / " (c.inadequate) } }
                                }
                            }
                        }
                    }
                }
                p.hint { "Each cell: good / requires improvement / inadequate." }
            }
            h2 #draw { "Draw a sample" }
            p { "Referrals are drawn from each BCU in proportion to their status (open or closed on the date) and risk level, every group represented where the size allows. The same seed and date always draw the same referrals." }
            form method="post" action="/quality/samples" {
                input type="hidden" name="csrf" value=(ctx.session.csrf_token);
                div.field { label for="seed" { "Seed" } span.hint #seed-hint { "Any words, for example the quarter: note it to draw the same sample again." } input #seed name="seed" type="text" required maxlength="100" aria-describedby="seed-hint" value=(v("seed", "")); }
                div.field { label for="as_at" { "Referrals received by" } input #as_at name="as_at" type="date" required value=(v("as_at", &today)); }
                div.field { label for="per_bcu" { "Referrals per BCU (1 to 50)" } input #per_bcu name="per_bcu" type="number" min="1" max="50" required value=(v("per_bcu", "10")); }
                button type="submit" { "Draw the sample" }
            }
            h2 #samples { "Samples" }
            @if samples.is_empty() {
                p { "None yet." }
            } @else {
                div.table-scroll {
                    table {
                        caption.visually-hidden { "Samples, newest first" }
                        thead { tr { th scope="col" { "Drawn" } th scope="col" { "Seed" } th scope="col" { "Received by" } th scope="col" { "Referrals" } th scope="col" { "Graded" } } }
                        tbody {
                            @for s in &samples {
                                tr {
                                    td { a href={"/quality/samples/" (s.id)} { (crate::views::when(&s.drawn_at)) } @if let Some(by) = &s.drawn_by { br; span.muted { (by) } } }
                                    td { (s.seed) } td { (s.as_at) } td { (s.drawn) } td { (s.graded) }
                                }
                            }
                        }
                    }
                }
            }
        },
    ))
}

/// `GET /quality`.
pub async fn page(State(state): State<AppState>, PageCtx(ctx): PageCtx) -> Response {
    match overview(&state, &ctx, &[], &HashMap::new()).await {
        Ok(m) => Html(m.into_string()).into_response(),
        Err(e) => super::error_page(Some(&ctx), e),
    }
}

/// `POST /quality/samples`: draw a sample, then show it.
pub async fn draw(
    State(state): State<AppState>,
    PageCtx(ctx): PageCtx,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let field = |k: &str| {
        f.get(k)
            .map(String::as_str)
            .unwrap_or("")
            .trim()
            .to_string()
    };
    if let Some(r) = super::csrf_rejection(&ctx, &field("csrf")) {
        return r;
    }
    let result = async {
        let per_bcu: usize = field("per_bcu").parse().map_err(|_| {
            Error::invalid_at(
                "quality.invalid",
                "Give the number of referrals per BCU, 1 to 50.",
                "per_bcu",
            )
        })?;
        app::quality::draw_sample(&state.app, &ctx, &field("seed"), &field("as_at"), per_bcu).await
    }
    .await;
    match result {
        Ok(s) => Redirect::to(&format!("/quality/samples/{}", s.id)).into_response(),
        Err(e @ Error::Invalid { .. }) => {
            let status = crate::error::status(&e);
            match overview(&state, &ctx, &[e.message()], &f).await {
                Ok(m) => (status, Html(m.into_string())).into_response(),
                Err(e) => super::error_page(Some(&ctx), e),
            }
        }
        Err(e) => super::error_page(Some(&ctx), e),
    }
}

/// `GET /quality/samples/{id}`: the sample's referrals by BCU, with their grades.
pub async fn sample(
    State(state): State<AppState>,
    PageCtx(ctx): PageCtx,
    Path(id): Path<String>,
) -> Response {
    let m = async {
        let s = app::quality::sample(&state.app, &ctx, &id).await?;
        Ok::<_, Error>(frame(
            Some(&ctx),
            "Quality review sample",
            html! {
                p { a href="/quality" { "Back to quality reviews" } }
                h1 { "Sample drawn " (crate::views::when(&s.drawn_at)) }
                dl.details {
                    dt { "Seed" } dd { (s.seed) }
                    dt { "Referrals received by" } dd { (s.as_at) }
                    dt { "Per BCU" } dd { (s.per_bcu) }
                    dt { "Graded" } dd { (s.graded) " of " (s.drawn) }
                    dt { "Areas" } dd { (s.areas.iter().map(|a| a.label.as_str()).collect::<Vec<_>>().join(", ")) }
                }
                @if s.reviews.is_empty() {
                    p { "No referral was received by that date." }
                } @else {
                    div.table-scroll {
                        table {
                            caption.visually-hidden { "The sampled referrals by BCU" }
                            thead { tr { th scope="col" { "BCU" } th scope="col" { "Referral" } th scope="col" { "Group" } th scope="col" { "Overall" } th scope="col" { "Remedial actions" } } }
                            tbody {
                                @for r in &s.reviews {
                                    tr {
                                        td { (r.bcu.to_uppercase()) }
                                        td { a href={"/referrals/" (r.referral_id) "#quality"} { (r.reference) } }
                                        td { (r.stratum) }
                                        td { (r.overall.map(|g| g.label()).unwrap_or("Not graded")) }
                                        td { (r.remedial.len()) }
                                    }
                                }
                            }
                        }
                    }
                }
            },
        ))
    }
    .await;
    match m {
        Ok(m) => Html(m.into_string()).into_response(),
        Err(e) => super::error_page(Some(&ctx), e),
    }
}
