//! The work lists: "My work" for an investigator, "Team" for a BCU's sergeant and lead (allocating from it,
//! with each officer's caseload and breaches beside the choice), and the central desk's escalated referrals
//! still unrouted, first.

use super::layout::frame;
use super::queue::risk_badge;
use crate::auth::PageCtx;
use crate::error::Error;
use crate::input::Form;
use crate::views::headline_phrase;
use crate::{AppState, Ctx};
use app::worklists::ClockDue;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::Referral;
use maud::{Markup, html};
use std::collections::HashMap;

fn reference(r: &Referral) -> Markup {
    html! { a href={"/referrals/" (r.id)} { (r.source) " " (r.report_id) } }
}

fn due(r: &Referral, now: jiff::Timestamp) -> Markup {
    let (phrase, class, kind) = headline_phrase(r, now);
    html! {
        span class={"clock clock-" (class)} { (phrase) }
        @if let Some(k) = kind { br; span.muted { (k.label()) } }
    }
}

/// A table of referrals.
fn referrals(caption: &str, list: &[Referral], now: jiff::Timestamp) -> Markup {
    html! {
        @if list.is_empty() {
            p { "None." }
        } @else {
            div.table-scroll {
                table {
                    caption.visually-hidden { (caption) }
                    thead { tr { th scope="col" { "Due" } th scope="col" { "Risk" } th scope="col" { "Referral" } th scope="col" { "Status" } th scope="col" { "Allocated to" } } }
                    tbody {
                        @for r in list {
                            tr {
                                td { (due(r, now)) }
                                td { (risk_badge(r)) @if r.escalated { " " span.badge.escalated { "Escalated" } } }
                                td { (reference(r)) br; span.muted { (r.incident_type) } }
                                td { (r.status_label()) }
                                td { (r.allocated_name.as_deref().unwrap_or("—")) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A table of clocks.
fn clocks(caption: &str, list: &[ClockDue]) -> Markup {
    html! {
        @if list.is_empty() {
            p { "None." }
        } @else {
            div.table-scroll {
                table {
                    caption.visually-hidden { (caption) }
                    thead { tr { th scope="col" { "Referral" } th scope="col" { "Clock" } th scope="col" { "Due (London)" } th scope="col" { "State" } th scope="col" { "Allocated to" } } }
                    tbody {
                        @for c in list {
                            tr {
                                td { (reference(&c.referral)) }
                                td { (c.clock.label) @if let Some(why) = &c.clock.paused_because { br; span.muted { "Paused: " (why) } } }
                                td { (domain::time::display(c.due_at)) }
                                td { span class={"clock clock-" (match c.clock.state { domain::clocks::ClockState::Overdue => "overdue", domain::clocks::ClockState::AtRisk | domain::clocks::ClockState::Paused => "soon", _ => "ok" })} { (c.clock.state.label()) } }
                                td { (c.referral.allocated_name.as_deref().unwrap_or("—")) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A table of remedial actions from quality reviews.
fn remedial(caption: &str, list: &[app::quality::RemedialView]) -> Markup {
    html! {
        @if list.is_empty() {
            p { "None." }
        } @else {
            div.table-scroll {
                table {
                    caption.visually-hidden { (caption) }
                    thead { tr { th scope="col" { "Referral" } th scope="col" { "Remedial action" } th scope="col" { "Due (London)" } th scope="col" { "State" } } }
                    tbody {
                        @for a in list {
                            tr {
                                td { a href={"/referrals/" (a.referral_id) "#remedial"} { (a.reference) } }
                                td { (a.action) }
                                td { (a.due_at.as_deref().and_then(|d| d.parse().ok()).map(domain::time::display).unwrap_or_default()) }
                                td { @if let Some(s) = a.state { span class={"clock clock-" (match s { domain::clocks::ClockState::Overdue => "overdue", domain::clocks::ClockState::AtRisk | domain::clocks::ClockState::Paused => "soon", _ => "ok" })} { (s.label()) } } }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn remedial_rows(out: &mut crate::csv::Writer, items: &[app::quality::RemedialView]) {
    for a in items {
        out.row(&[
            "Remedial action".to_string(),
            a.reference.clone(),
            a.action.clone(),
            a.due_at
                .as_deref()
                .and_then(|d| d.parse().ok())
                .map(domain::time::display)
                .unwrap_or_default(),
            String::new(),
            a.state.map(|s| s.label().to_string()).unwrap_or_default(),
            String::new(),
        ]);
    }
}

fn page_or_error(ctx: &Ctx, m: Result<Markup, Error>) -> Response {
    match m {
        Ok(m) => Html(m.into_string()).into_response(),
        Err(e) => super::error_page(Some(ctx), e),
    }
}

/// `GET /work`: the signed-in officer's referrals, what is overdue and what falls due today.
pub async fn my_work(State(state): State<AppState>, PageCtx(ctx): PageCtx) -> Response {
    let m = async {
        let w = app::worklists::my_work(&state.app, &ctx).await?;
        let now = jiff::Timestamp::now();
        Ok(frame(
            Some(&ctx),
            "My work",
            html! {
                h1 { "My work" }
                p.lead { "Your open referrals, and every clock of theirs that is overdue or falls due today. Times are London time." }
                ul.counts {
                    li { a href="#overdue" { "Overdue: " strong { (w.overdue.len()) } } }
                    li { a href="#today" { "Due today: " strong { (w.due_today.len()) } } }
                    li { a href="#mine" { "Allocated to you: " strong { (w.referrals.len()) } } }
                    li { a href="#remedial" { "Remedial actions: " strong { (w.remedial.len()) } } }
                }
                h2 #overdue { "Overdue" }
                (clocks("Overdue clocks", &w.overdue))
                h2 #today { "Due today" }
                (clocks("Clocks due today", &w.due_today))
                h2 #mine { "Allocated to you" }
                (referrals("Referrals allocated to you", &w.referrals, now))
                h2 #remedial { "Remedial actions from quality reviews" }
                (remedial("Remedial actions on your referrals", &w.remedial))
                (export_form("/work.csv", &[]))
            },
        ))
    }
    .await;
    page_or_error(&ctx, m)
}

/// `GET /team`: a BCU's work for its sergeant and lead (the central desk and auditors choose a BCU).
pub async fn team(
    State(state): State<AppState>,
    PageCtx(ctx): PageCtx,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let m = async {
        let code = q.get("bcu").map(String::as_str).filter(|c| !c.trim().is_empty());
        if code.is_none() && ctx.user.bcu.is_none() {
            return team_choice(&state, &ctx).await;
        }
        let t = app::worklists::team(&state.app, &ctx, code).await?;
        let now = jiff::Timestamp::now();
        let may_allocate = t
            .awaiting_allocation
            .first()
            .is_some_and(|r| app::access::may(&ctx, domain::Action::Allocate, r));
        Ok(frame(
            Some(&ctx),
            &format!("Team: {}", t.bcu.name),
            html! {
                h1 { "Team: " (t.bcu.name) }
                @if let Some(done) = q.get("done") { div.notice role="status" { (done) } }
                p.lead { "What waits for a supervisor in " (t.bcu.name) ", and the clocks being breached now. Times are London time." }
                @if ctx.user.bcu.is_none() { p { a href="/team" { "Choose another BCU" } } }
                ul.counts {
                    li { a href="#allocation" { "Awaiting allocation: " strong { (t.awaiting_allocation.len()) } } }
                    li { a href="#sign-off" { "Risk levels awaiting sign-off: " strong { (t.awaiting_sign_off.len()) } } }
                    li { a href="#outcomes" { "Outcomes awaiting approval: " strong { (t.awaiting_outcome.len()) } } }
                    li { a href="#reviews" { "Reviews overdue: " strong { (t.reviews_overdue.len()) } } }
                    li { a href="#reviews-today" { "Reviews due today: " strong { (t.reviews_due_today.len()) } } }
                    li { a href="#breaches" { "Other clocks overdue: " strong { (t.breaches.len()) } } }
                    li { a href="#paused" { "Paused clocks: " strong { (t.paused.len()) } } }
                    li { a href="#missed" { "Late in the last 28 days: " strong { (t.missed.len()) } } }
                    li { a href="#remedial" { "Remedial actions: " strong { (t.remedial.len()) } } }
                }
                h2 #allocation { "Awaiting allocation" }
                @if t.awaiting_allocation.is_empty() {
                    p { "None." }
                } @else {
                    div.table-scroll {
                        table {
                            caption.visually-hidden { "Referrals awaiting allocation" }
                            thead { tr { th scope="col" { "Due" } th scope="col" { "Risk" } th scope="col" { "Referral" } @if may_allocate { th scope="col" { "Allocate to" } } } }
                            tbody {
                                @for r in &t.awaiting_allocation {
                                    tr {
                                        td { (due(r, now)) }
                                        td { (risk_badge(r)) @if r.escalated { " " span.badge.escalated { "Escalated" } } }
                                        td { (reference(r)) br; span.muted { (r.incident_type) } }
                                        @if may_allocate {
                                            td {
                                                form.inline-form method="post" action="/team/allocate" {
                                                    input type="hidden" name="csrf" value=(ctx.session.csrf_token);
                                                    input type="hidden" name="referral" value=(r.id);
                                                    input type="hidden" name="version" value=(r.version);
                                                    @if ctx.user.bcu.is_none() { input type="hidden" name="bcu" value=(t.bcu.code); }
                                                    div.field {
                                                        label for={"alloc-" (r.id)} { "Officer (open referrals, overdue clocks)" }
                                                        select id={"alloc-" (r.id)} name="officer" required {
                                                            option value="" { "Choose an officer" }
                                                            @for o in &t.officers {
                                                                option value=(o.user.username) { (o.user.display_name) " — " (o.open) " open, " (o.breaches) " overdue" }
                                                            }
                                                        }
                                                    }
                                                    button.secondary type="submit" { "Allocate" }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                h2 #officers { "Officers" }
                div.table-scroll {
                    table {
                        caption.visually-hidden { "Each officer's open referrals and overdue clocks" }
                        thead { tr { th scope="col" { "Officer" } th scope="col" { "Open referrals" } th scope="col" { "Overdue clocks" } } }
                        tbody {
                            @for o in &t.officers {
                                tr { td { (o.user.display_name) } td { (o.open) } td { (o.breaches) } }
                            }
                        }
                    }
                }
                h2 #sign-off { "Risk levels awaiting sign-off" }
                (referrals("Referrals whose instrument awaits sign-off", &t.awaiting_sign_off, now))
                h2 #outcomes { "Outcomes awaiting approval" }
                (referrals("Referrals whose proposed outcome awaits approval", &t.awaiting_outcome, now))
                h2 #reviews { "Supervisory reviews overdue" }
                (clocks("Supervisory reviews overdue", &t.reviews_overdue))
                h2 #reviews-today { "Supervisory reviews due today" }
                (clocks("Supervisory reviews due later today", &t.reviews_due_today))
                h2 #breaches { "Other clocks overdue" }
                p.hint { "Targets being breached now: risk assessment, first enforcement, plan actions, return dates, children's social care and LADO referrals (these never wait for enforcement)." }
                (clocks("Other clocks overdue", &t.breaches))
                h2 #paused { "Paused clocks" }
                (clocks("Paused clocks", &t.paused))
                h2 #missed { "Done late in the last 28 days" }
                p.hint { "Clocks of open referrals stopped after their due time: a children's social care referral made late shows here even when enforcement was on time." }
                (clocks("Clocks stopped late in the last 28 days", &t.missed))
                h2 #remedial { "Remedial actions from quality reviews" }
                p.hint { "Referred back by the force's quality auditors, each with its due date. Complete them from the referral: a closed referral stays closed." }
                (remedial("Remedial actions open", &t.remedial))
                (export_form("/team.csv", &[("bcu", t.bcu.code.as_str())]))
            },
        ))
    }
    .await;
    page_or_error(&ctx, m)
}

/// `GET /team` for the central desk and auditors, who have no BCU of their own: the BCUs to choose from.
async fn team_choice(state: &AppState, ctx: &Ctx) -> Result<Markup, Error> {
    let bcus = app::worklists::team_choices(&state.app, ctx).await?;
    Ok(frame(
        Some(ctx),
        "Teams",
        html! {
            h1 { "Teams" }
            p.lead { "Choose a BCU to see what waits for its supervisors and the clocks being breached there." }
            ul {
                @for b in &bcus {
                    li { a href={"/team?bcu=" (crate::views::url_component(&b.code))} { (b.name) } }
                }
            }
        },
    ))
}

/// `POST /team/allocate`: allocate from the Team list, then back to it saying to whom.
pub async fn allocate(
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
    let version: i64 = field("version").parse().unwrap_or(0);
    let officer = field("officer");
    // Back to the same team view (the central desk's names its BCU), saying what happened.
    let back = |notice: &str| {
        let bcu = field("bcu");
        let bcu = if bcu.is_empty() {
            String::new()
        } else {
            format!("bcu={}&", crate::views::url_component(&bcu))
        };
        Redirect::to(&format!(
            "/team?{bcu}done={}",
            crate::views::url_component(notice)
        ))
        .into_response()
    };
    if officer.is_empty() {
        return back("Choose an officer to allocate to.");
    }
    match app::referrals::allocate(&state.app, &ctx, &field("referral"), version, &officer).await {
        Ok(r) => {
            let name = r.allocated_name.unwrap_or(officer);
            back(&format!("Allocated to {name}."))
        }
        Err(
            e @ (Error::NotFound | Error::Forbidden | Error::Internal(_) | Error::Unauthenticated),
        ) => super::error_page(Some(&ctx), e),
        Err(e) => back(&e.message()),
    }
}

/// `GET /central`: the central desk's escalated referrals still unrouted, first; then the way to the rest.
pub async fn central(State(state): State<AppState>, PageCtx(ctx): PageCtx) -> Response {
    let m = async {
        let list = app::worklists::escalated_unrouted_list(&state.app, &ctx).await?;
        let now = jiff::Timestamp::now();
        Ok(frame(
            Some(&ctx),
            "Central desk",
            html! {
                h1 { "Central desk" }
                h2 #escalated { "Escalated and unrouted: " (list.len()) }
                p.lead { "Referrals the sender escalated that no BCU has yet, soonest due first: route each from its page. Times are London time." }
                (referrals("Escalated referrals awaiting routing", &list, now))
                p { a href="/referrals?show=open&unrouted=1" { "Every unrouted referral (the central queue)" } }
                (export_form("/central.csv", &[]))
            },
        ))
    }
    .await;
    page_or_error(&ctx, m)
}

/// The export form under a work list: who it is for and why (the export is a logged disclosure).
fn export_form(action: &str, hidden: &[(&str, &str)]) -> Markup {
    html! {
        details.export {
            summary { "Export this list as CSV" }
            p.hint { "The export has this page's columns only (no identifiers or narrative), at most 10,000 rows, and is recorded in the access log as a disclosure with its recipient and purpose." }
            form method="get" action=(action) {
                @for (k, v) in hidden { input type="hidden" name=(k) value=(v); }
                div.field { label for="recipient" { "Who it is for" } input #recipient name="recipient" type="text" required maxlength="200"; }
                div.field { label for="purpose" { "Why" } input #purpose name="purpose" type="text" required maxlength="1000"; }
                button.secondary type="submit" { "Download CSV" }
            }
        }
    }
}

/// Rows of a work list's CSV: the list each row is on, then the page's columns.
fn referral_rows(
    out: &mut crate::csv::Writer,
    list: &str,
    items: &[Referral],
    now: jiff::Timestamp,
) {
    for r in items {
        let (phrase, _, kind) = headline_phrase(r, now);
        out.row(&[
            list.to_string(),
            format!("{} {}", r.source, r.report_id),
            kind.map(|k| k.label().to_string()).unwrap_or_default(),
            phrase,
            r.risk_level
                .map(|l| l.label().to_string())
                .unwrap_or_else(|| "Not assessed".into()),
            r.status_label().to_string(),
            r.allocated_name.clone().unwrap_or_default(),
        ]);
    }
}

fn clock_rows(out: &mut crate::csv::Writer, list: &str, items: &[ClockDue]) {
    for c in items {
        out.row(&[
            list.to_string(),
            format!("{} {}", c.referral.source, c.referral.report_id),
            c.clock.label.clone(),
            domain::time::display(c.due_at),
            c.referral
                .risk_level
                .map(|l| l.label().to_string())
                .unwrap_or_else(|| "Not assessed".into()),
            c.clock.state.label().to_string(),
            c.referral.allocated_name.clone().unwrap_or_default(),
        ]);
    }
}

const COLUMNS: [&str; 7] = [
    "List",
    "Referral",
    "Clock",
    "Due",
    "Risk",
    "Status or state",
    "Allocated to",
];

/// `GET /work.csv`, `/team.csv`, `/central.csv`: the list as CSV, the page's columns only, logged as a
/// disclosure with its recipient and purpose.
pub async fn export(
    State(state): State<AppState>,
    PageCtx(ctx): PageCtx,
    uri: axum::http::Uri,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let result = async {
        let d = app::export::Disclosure::parse(
            q.get("recipient").map(String::as_str),
            q.get("purpose").map(String::as_str),
        )?;
        let now = jiff::Timestamp::now();
        let mut out = crate::csv::Writer::new(&COLUMNS);
        let (what, n) = match uri.path() {
            "/work.csv" => {
                let w = app::worklists::my_work(&state.app, &ctx).await?;
                clock_rows(&mut out, "Overdue", &w.overdue);
                clock_rows(&mut out, "Due today", &w.due_today);
                referral_rows(&mut out, "Allocated to me", &w.referrals, now);
                remedial_rows(&mut out, &w.remedial);
                (
                    "my work",
                    w.overdue.len() + w.due_today.len() + w.referrals.len() + w.remedial.len(),
                )
            }
            "/team.csv" => {
                let t = app::worklists::team(&state.app, &ctx, q.get("bcu").map(String::as_str))
                    .await?;
                referral_rows(&mut out, "Awaiting allocation", &t.awaiting_allocation, now);
                referral_rows(
                    &mut out,
                    "Risk level awaiting sign-off",
                    &t.awaiting_sign_off,
                    now,
                );
                referral_rows(
                    &mut out,
                    "Outcome awaiting approval",
                    &t.awaiting_outcome,
                    now,
                );
                clock_rows(&mut out, "Review overdue", &t.reviews_overdue);
                clock_rows(&mut out, "Review due today", &t.reviews_due_today);
                clock_rows(&mut out, "Clock overdue", &t.breaches);
                clock_rows(&mut out, "Paused", &t.paused);
                clock_rows(&mut out, "Late in the last 28 days", &t.missed);
                remedial_rows(&mut out, &t.remedial);
                let n = t.remedial.len()
                    + t.awaiting_allocation.len()
                    + t.awaiting_sign_off.len()
                    + t.awaiting_outcome.len()
                    + t.reviews_overdue.len()
                    + t.reviews_due_today.len()
                    + t.breaches.len()
                    + t.paused.len()
                    + t.missed.len();
                ("the team work list", n)
            }
            _ => {
                let list = app::worklists::escalated_unrouted_list(&state.app, &ctx).await?;
                referral_rows(&mut out, "Escalated, unrouted", &list, now);
                ("the escalated unrouted list", list.len())
            }
        };
        app::export::check_size(&state.app, n)?;
        app::export::record(&state.app, &ctx, what, n, &d).await?;
        Ok::<_, Error>(out)
    }
    .await;
    match result {
        Ok(out) => out.download("worklist.csv"),
        Err(e) => super::error_page(Some(&ctx), e),
    }
}
