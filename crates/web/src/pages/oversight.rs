//! The figures pages: the oversight board's force and BCU comparison, a BCU lead's BCU, a sergeant's team.
//! One page whose BCU follows the reader (leads and sergeants start on their own), for a period of calendar
//! months chosen at the top; every table drawn as a chart beside it where a chart helps, downloadable as CSV,
//! and defined in the glossary at the foot. Counts only: no names, identifiers or case details.

use crate::AppState;
use crate::auth::PageCtx;
use crate::charts;
use crate::html::frame;
use app::figures::report::{Cell, Kind, Report, ReportQuery, Table};
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Response};
use domain::Role;
use domain::figures::Month;
use maud::{Markup, html};

/// The period and BCU asked for in the address.
#[derive(serde::Deserialize, Default)]
pub struct FiguresParams {
    from: Option<String>,
    to: Option<String>,
    bcu: Option<String>,
}

impl FiguresParams {
    fn query(&self) -> ReportQuery {
        let blank = |s: &Option<String>| s.clone().filter(|v| !v.trim().is_empty());
        ReportQuery {
            from: blank(&self.from),
            to: blank(&self.to),
            bcu: blank(&self.bcu),
        }
    }
}

/// A cell as the page shows it.
fn cell(c: &Cell, kind: Kind) -> Markup {
    match (c, kind) {
        (Cell::Int(m), Kind::Minutes) => html! { (domain::time::describe_duration(m * 60)) },
        (Cell::Int(n), _) => html! { (n) },
        (Cell::Real(x), Kind::Ratio) => html! { (format!("{x:.2}")) },
        (Cell::Real(x), _) => html! { (format!("{:.0}%", x * 100.0)) },
        (Cell::Marker(m), _) => {
            let why = match *m {
                app::figures::report::HIDDEN => {
                    "hidden: fewer than 5, or would let a small count be worked out"
                }
                app::figures::report::LOW => {
                    "not given: computed from too few referrals to be reliable"
                }
                _ => "nothing to compute it from",
            };
            html! { abbr title=(why) { (m) } }
        }
    }
}

fn value(c: &Cell) -> charts::Value {
    match c {
        Cell::Marker(m) => Err(m),
        other => other.number().ok_or("[x]"),
    }
}

fn table_markup(report: &Report, t: &Table, csv: &str) -> Markup {
    let heading = format!("{}-h", t.id);
    let (body, total) = match t.rows.split_last() {
        Some((last, rest))
            if matches!(last.key.as_str(), "force" | "total" | "all") && t.id != "calibration" =>
        {
            (rest, Some(last))
        }
        _ => (t.rows.as_slice(), None),
    };
    html! {
        // A wide table scrolls in its own box, which the keyboard can reach.
        div.table-scroll tabindex="0" role="region" aria-label=(format!("{} (table)", t.title)) {
            table.figures aria-labelledby=(heading) {
                caption.visually-hidden { (t.title) ", " (report.period) }
                thead { tr {
                    th scope="col" { @if t.id == "monthly" { "Month" } @else if t.id == "calibration" { "Risk level" } @else if t.id == "late_reasons" { "Reason" } @else if t.id == "clocks" { "Clock" } @else { "BCU" } }
                    @for c in &t.columns { th scope="col" { (c.label) } }
                } }
                tbody {
                    @for r in body {
                        tr { th scope="row" { (r.label) } @for (c, col) in r.cells.iter().zip(&t.columns) { td { (cell(c, col.kind)) } } }
                    }
                }
                @if let Some(r) = total {
                    tfoot { tr { th scope="row" { (r.label) } @for (c, col) in r.cells.iter().zip(&t.columns) { td { (cell(c, col.kind)) } } } }
                }
            }
        }
        p { a href=(csv) download { "Download “" (t.title) "” as CSV" } }
    }
}

fn chart_for(report: &Report, t: &Table) -> Option<Markup> {
    let labels = |rows: &[app::figures::report::Row]| -> Vec<String> {
        rows.iter().map(|r| r.label.clone()).collect()
    };
    match t.id {
        "monthly" => {
            let months: Vec<_> = t
                .rows
                .iter()
                .filter(|r| r.key != "total")
                .cloned()
                .collect();
            let received = t.column("received")?;
            let on_time = t.column("share_on_time")?;
            let nfa = t.column("nfa_rate")?;
            let short: Vec<String> = months
                .iter()
                .map(|r| r.label.split(' ').next().unwrap_or("").to_string())
                .collect();
            Some(html! {
                (charts::bars("chart-received", &format!("Referrals received each month, {}", report.scope),
                    "A bar for each month of the period; its height is the referrals received. The same figures are in the table below.",
                    &short, &months.iter().map(|r| value(&r.cells[received])).collect::<Vec<_>>()))
                (charts::lines("chart-rates", &format!("Share of first actions on time and NFA rate each month, {}", report.scope),
                    "Two lines across the months of the period, from 0% to 100%: the share of first enforcement actions on time (solid line, round markers) and the NFA rate (dashed line, square markers). The same figures are in the table below.",
                    &short, &[
                        ("Share on time", months.iter().map(|r| value(&r.cells[on_time])).collect()),
                        ("NFA rate", months.iter().map(|r| value(&r.cells[nfa])).collect()),
                    ]))
            })
        }
        "timeliness" => {
            let share = t.column("share_on_time")?;
            let rows: Vec<_> = t
                .rows
                .iter()
                .filter(|r| r.key != "central")
                .cloned()
                .collect();
            let codes: Vec<String> = rows.iter().map(|r| r.key.to_uppercase()).collect();
            Some(charts::lines(
                "chart-timeliness",
                "Share of first enforcement actions on time, by BCU",
                "A marker for each BCU and the force, from 0% to 100%: the share of first enforcement actions in the period that were within the target for their risk level. The same figures are in the table below.",
                &codes,
                &[(
                    "Share on time",
                    rows.iter().map(|r| value(&r.cells[share])).collect(),
                )],
            ))
        }
        "calibration" => {
            let (s, lo, hi) = (
                t.column("share")?,
                t.column("share_low")?,
                t.column("share_high")?,
            );
            Some(charts::intervals(
                "chart-calibration",
                &format!(
                    "Share charged or cautioned by risk level, with 95% intervals, {}",
                    report.scope
                ),
                "For each risk level, a dot at the share of referrals closed in the period that ended in a charge or caution, and a line across its 95% interval. The same figures are in the table below.",
                &labels(&t.rows),
                &t.rows
                    .iter()
                    .map(|r| {
                        let ci = match (r.cells[lo], r.cells[hi]) {
                            (Cell::Real(a), Cell::Real(b)) => Some((a, b)),
                            _ => None,
                        };
                        (value(&r.cells[s]), ci)
                    })
                    .collect::<Vec<_>>(),
            ))
        }
        _ => None,
    }
}

fn month_options(selected: &str, last: Month) -> Markup {
    let mut m = last;
    let mut months = Vec::new();
    for _ in 0..36 {
        months.push(m);
        m = m.prev();
    }
    html! {
        @for m in months {
            @let v = m.to_string();
            option value=(v) selected[v == selected] { (m.name()) }
        }
    }
}

/// The month of a period's start or end, for the month lists (`2026-11` of `2026-11-10`).
fn month_part(bound: &str) -> &str {
    bound.get(..7).unwrap_or(bound)
}

/// A period's start or end as a day for the days form: the day itself, a month's first (or last) day, or an
/// instant's London day.
fn day_of(bound: &str, last: bool) -> String {
    match bound.parse::<domain::figures::Bound>() {
        Ok(domain::figures::Bound::Day(d)) => d.to_string(),
        Ok(domain::figures::Bound::Month(m)) if last => m
            .next()
            .first_day()
            .yesterday()
            .map_or_else(|_| m.first_day().to_string(), |d| d.to_string()),
        Ok(domain::figures::Bound::Month(m)) => m.first_day().to_string(),
        Ok(domain::figures::Bound::Instant(t)) => domain::time::in_london(t).date().to_string(),
        Err(_) => String::new(),
    }
}

fn address(path: &str, r: &Report) -> String {
    format!(
        "{path}?from={}&to={}&bcu={}",
        r.from,
        r.to,
        r.bcu.as_deref().unwrap_or("force")
    )
}

/// `GET /oversight`: the figures for the period and BCU asked for.
pub async fn page(
    State(state): State<AppState>,
    PageCtx(ctx): PageCtx,
    Query(params): Query<FiguresParams>,
) -> Response {
    let q = params.query();
    let report = match app::figures::report::report(&state.app, &ctx, &q).await {
        Ok(r) => r,
        Err(app::Error::Invalid { message, .. }) => {
            return crate::html::message_page(
                Some(&ctx),
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                "Figures",
                &format!("{message} Choose the months again from the lists on the figures page."),
            );
        }
        Err(e) => return super::error_page(Some(&ctx), e),
    };
    let bcus = &report.bcus;
    // Training coverage of the BCU teams (no names), where the reader may see it.
    let training = app::governance::courses(&state.app, &ctx)
        .await
        .unwrap_or_default();
    let now = jiff::Timestamp::now();
    let last = if ctx.user.role == Role::Oversight {
        Month::of(now).prev()
    } else {
        Month::of(now)
    };
    let title = match ctx.user.role {
        Role::Oversight => "Figures: the force and its BCUs".to_string(),
        Role::Supervisor | Role::BcuLead => format!("Figures: {}", report.scope),
        _ => "Figures".to_string(),
    };
    let csv = |t: &Table| address(&format!("/oversight/csv/{}", t.id), &report);
    let body = frame(
        Some(&ctx),
        &title,
        html! {
            h1 { (title) }
            p.lead { "Counts only: no names, identifiers or case details." }
            form.filters method="get" action="/oversight" {
                div.field.inline {
                    label for="from" { "From" }
                    select #from name="from" { (month_options(month_part(&report.from), last)) }
                }
                div.field.inline {
                    label for="to" { "To" }
                    select #to name="to" { (month_options(month_part(&report.to), last)) }
                }
                div.field.inline {
                    label for="bcu" { "Month by month, calibration and late reasons for" }
                    select #bcu name="bcu" {
                        option value="force" selected[report.bcu.is_none()] { "The force" }
                        @for b in bcus {
                            option value=(b.code) selected[report.bcu.as_deref() == Some(b.code.as_str())] { (b.name) }
                        }
                    }
                }
                button type="submit" { "Show" }
                @if ctx.user.role == Role::Oversight {
                    p.hint { "The board's figures cover ended calendar months only." }
                }
            }
            @if ctx.user.role != Role::Oversight {
                form.filters method="get" action="/oversight" aria-labelledby="days-h" {
                    h2 #days-h.visually-hidden { "A period of days" }
                    div.field.inline {
                        label for="from-day" { "Or from day" }
                        input #from-day name="from" type="date" required value=(day_of(&report.from, false));
                    }
                    div.field.inline {
                        label for="to-day" { "To day" }
                        input #to-day name="to" type="date" required value=(day_of(&report.to, true));
                    }
                    input type="hidden" name="bcu" value=(report.bcu.as_deref().unwrap_or("force"));
                    button type="submit" { "Show these days" }
                    p.hint { "Both days are counted, midnight to midnight, London time." }
                }
            }
            div.summary {
                p { "Period: " strong { (report.period) } ". Open referrals, backlog and overdue are as at "
                    strong { (domain::time::display(report.as_at)) } ". Figures computed "
                    (domain::time::display(report.computed_at)) "." }
                p { (marker_legend(&report)) }
            }
            nav aria-labelledby="contents-h" {
                h2 #contents-h { "Contents" }
                ul {
                    @for t in &report.tables { li { a href=(format!("#{}-h", t.id)) { (t.title) } } }
                    @if !training.is_empty() { li { a href="#training-h" { "Training coverage" } } }
                    li { a href="#glossary-h" { "Glossary" } }
                }
            }
            @for t in &report.tables {
                section aria-labelledby=(format!("{}-h", t.id)) {
                    h2 id=(format!("{}-h", t.id)) { (t.title) }
                    p { (t.about) }
                    @if let Some(chart) = chart_for(&report, t) { div.charts { (chart) } }
                    (table_markup(&report, t, &csv(t)))
                }
            }
            @if !training.is_empty() {
                section aria-labelledby="training-h" {
                    h2 #training-h { "Training coverage" }
                    p { "The share of each BCU's online abuse team (its investigators, sergeant and lead) who have completed each course, as now (not for the period). " a href="/governance/training" { "Training records" } }
                    div.table-scroll tabindex="0" role="region" aria-label="Training coverage (table)" {
                        table {
                            caption.visually-hidden { "Training coverage by BCU team" }
                            thead { tr { th scope="col" { "BCU" } @for c in &training { th scope="col" { (c.name) } } } }
                            tbody {
                                @for (n, b) in training[0].bcus.iter().enumerate() {
                                    tr { th scope="row" { (b.bcu.to_uppercase()) } @for c in &training { td { (crate::views::coverage(c.bcus[n].done, c.bcus[n].team)) } } }
                                }
                                tr { th scope="row" { "Force" } @for c in &training { td { (crate::views::coverage(c.done, c.team)) } } }
                            }
                        }
                    }
                }
            }
            (glossary(&report))
        },
    );
    Html(body.into_string()).into_response()
}

fn marker_legend(report: &Report) -> Markup {
    html! {
        "In the tables, " strong { "[c]" } " is a count hidden because it is from 1 to 4 or would let one be worked out from the totals";
        "; " strong { "[low]" } " is a share or time not given because it would be computed from fewer than "
        (report.min_base) " referrals; " strong { "[x]" } " means there was nothing to compute it from."
    }
}

fn glossary(report: &Report) -> Markup {
    html! {
        section aria-labelledby="glossary-h" {
            h2 #glossary-h { "Glossary" }
            dl.glossary {
                dt { "Period" } dd { "Calendar months in London time, both the first and last counted. Counts of events (received, first actions, outcomes, decisions, late clocks) count those that happened in the period; open referrals, backlog and overdue are as at the period's end." }
                dt { "BCU" } dd { "A Basic Command Unit; its online abuse team investigates its referrals. The central queue holds referrals not yet routed to a BCU." }
                @for t in &report.tables {
                    dt { (t.title) } dd { (t.about) }
                }
                dt { "Share" } dd { "A count divided by the count it is part of, shown as a percentage; not given when either count is hidden, or when the count it is part of is below " (report.min_base) "." }
                dt { "Median and 90th percentile" } dd { "Half of the times were shorter than the median; nine in ten were shorter than the 90th percentile." }
                dt { "95% interval (Wilson)" } dd { "The range within which the true share is likely to lie given how many referrals it is computed from: wide when few, narrow when many." }
                dt { "Disclosure control" } dd { "So that nobody can be identified, counts from 1 to 4 are hidden, and so is any other count that would let a hidden one be worked out from the totals. BCU leads and sergeants see their own BCU whole." }
            }
        }
    }
}

/// `GET /oversight/csv/{table}`: one table as CSV, suppressed as on the page.
pub async fn csv(
    State(state): State<AppState>,
    PageCtx(ctx): PageCtx,
    Path(table): Path<String>,
    Query(params): Query<FiguresParams>,
) -> Response {
    let report = match app::figures::report::report(&state.app, &ctx, &params.query()).await {
        Ok(r) => r,
        Err(e) => return super::error_page(Some(&ctx), e),
    };
    match report.table(&table) {
        Some(t) => {
            crate::views::figures_csv(t).download(&app::figures::report::csv_name(&report, t))
        }
        None => super::error_page(Some(&ctx), app::Error::NotFound),
    }
}
