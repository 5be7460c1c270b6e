//! Exhibits in the browser: the queue (digital forensics' home: every submitted exhibit of the force, oldest
//! submission first, with its clocks) and one exhibit's page: details, the examination request, continuity,
//! the forensic path with the form for its next step, scan reports with an upload form, and the plan's forensics
//! actions. Never the referral's narrative, other people or identifiers.

use super::layout::frame;
use crate::auth::PageCtx;
use crate::error::Error;
use crate::input::Form;
use crate::{AppState, Ctx};
use app::exhibits::{ExhibitView, StepInput};
use axum::extract::{Multipart, Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::Action;
use domain::clocks::ClockState;
use domain::exhibits::{Examination, ForensicStep};
use maud::{Markup, html};
use std::collections::HashMap;

/// What a refused form sent, and why, to show the page again with it.
struct Refused<'a> {
    form: &'a str,
    values: &'a HashMap<String, String>,
    message: String,
    field: Option<String>,
}

impl Refused<'_> {
    fn value(&self, form: &str, name: &str) -> Option<&str> {
        (self.form == form)
            .then(|| self.values.get(name).map(String::as_str))
            .flatten()
    }
}

fn page_or_error(ctx: &Ctx, m: Result<Markup, Error>) -> Response {
    match m {
        Ok(m) => Html(m.into_string()).into_response(),
        Err(e) => super::error_page(Some(ctx), e),
    }
}

/// `GET /exhibits`: the queue.
pub async fn queue(State(state): State<AppState>, PageCtx(ctx): PageCtx) -> Response {
    let m = async {
        let list = app::exhibits::queue(&state.app, &ctx).await?;
        let overdue = list
            .iter()
            .filter(|e| {
                e.path
                    .iter()
                    .any(|p| p.done_at.is_none() && p.state == Some(ClockState::Overdue))
            })
            .count();
        Ok(frame(
            Some(&ctx),
            "Exhibits queue",
            html! {
                h1 { "Exhibits queue" }
                p.lead { "Exhibits submitted for examination with a step still to do, oldest submission first. Times are London time." }
                ul.counts {
                    li { "In the queue: " strong { (list.len()) } }
                    li { "With a step overdue: " strong { (overdue) } }
                }
                @if list.is_empty() {
                    p { "No exhibit waits for a forensic step." }
                } @else {
                    div.table-scroll {
                        table {
                            caption.visually-hidden { "Exhibits waiting for a forensic step" }
                            thead { tr {
                                th scope="col" { "Exhibit" } th scope="col" { "BCU" } th scope="col" { "What" }
                                th scope="col" { "Submitted" } th scope="col" { "Examination" } th scope="col" { "Next step" } th scope="col" { "Due" }
                            } }
                            tbody {
                                @for e in &list {
                                    @let submitted = e.path.first().and_then(|p| p.done_at.as_deref()).map(crate::views::when).unwrap_or_default();
                                    @let waiting: Vec<_> = e.path.iter().filter(|p| p.done_at.is_none() && p.clock_id.is_some()).collect();
                                    tr {
                                        td { a href={"/exhibits/" (e.id)} { (e.reference) } }
                                        td { (e.bcu.as_deref().map(str::to_uppercase).unwrap_or_default()) }
                                        td { (e.kind.label()) }
                                        td { (submitted) }
                                        td { (e.examination.map(|x| x.label()).unwrap_or("")) }
                                        td { @for (i, p) in waiting.iter().enumerate() { @if i > 0 { br; } (p.label) } }
                                        td { @for (i, p) in waiting.iter().enumerate() { @if i > 0 { br; } (p.due_at.as_deref().map(crate::views::when).unwrap_or_default()) @if let Some(s) = p.state { " " (crate::views::clock_badge(s)) } } }
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
    page_or_error(&ctx, m)
}

/// `GET /exhibits/{id}`.
pub async fn page(
    State(state): State<AppState>,
    PageCtx(ctx): PageCtx,
    Path(id): Path<String>,
    axum::extract::Query(q): axum::extract::Query<HashMap<String, String>>,
) -> Response {
    let m = async {
        let e = app::exhibits::read(&state.app, &ctx, &id).await?;
        Ok(render(
            &state,
            &ctx,
            &e,
            None,
            q.get("done").map(String::as_str),
        ))
    }
    .await;
    page_or_error(&ctx, m)
}

fn error_summary(r: Option<&Refused>) -> Markup {
    html! {
        @if let Some(r) = r {
            div.error-summary role="alert" aria-labelledby="error-title" tabindex="-1" autofocus {
                h2 #error-title { "There is a problem" }
                ul { li { @match &r.field { Some(id) => a href={"#" (id)} { (r.message) }, None => (r.message) } } }
            }
        }
    }
}

fn line(r: Option<&Refused>, id: &str) -> Markup {
    html! {
        @if let Some(r) = r && r.field.as_deref() == Some(id) {
            p.error-message id={(id) "-error"} { span.visually-hidden { "Error: " } (r.message) }
        }
    }
}

fn render(
    state: &AppState,
    ctx: &Ctx,
    e: &ExhibitView,
    refused: Option<&Refused>,
    done: Option<&str>,
) -> Markup {
    let may_record = app::exhibits::may(ctx, Action::RecordExhibits, e);
    let may_examine = app::exhibits::may(ctx, Action::ExamineExhibits, e);
    let may_see_referral = app::exhibits::may(ctx, Action::ReadReferral, e);
    let late_reasons = &state.app.config().timeliness.late_reasons;
    let v = |form: &str, name: &str| {
        refused
            .and_then(|r| r.value(form, name))
            .map(str::to_string)
    };
    let next = e.next_step.filter(|s| {
        if s.by_forensics() {
            may_examine
        } else {
            may_record
        }
    });
    let next_view = next.and_then(|s| e.path.iter().find(|p| p.step == s));
    frame(
        Some(ctx),
        &format!("Exhibit {}", e.reference),
        html! {
            p { a href="/exhibits" { "Back to the exhibits queue" } @if may_see_referral { " · " a href={"/referrals/" (e.referral_id) "#exhibits"} { "Back to the referral" } } }
            h1 { "Exhibit " (e.reference) }
            (error_summary(refused))
            @if let Some(d) = done { div.notice role="status" { (d) } }
            dl.details {
                dt { "What" } dd { (e.kind.label()) ": " (e.description) }
                dt { "Seized" } dd { (crate::views::when(&e.seized_at)) ", " (e.seized_where) }
                dt { "Seized from" } dd { (e.seized_from) }
                dt { "BCU" } dd { (e.bcu.as_deref().map(str::to_uppercase).unwrap_or_default()) }
                @if let Some(by) = &e.recorded_by { dt { "Recorded by" } dd { (by) } }
                @if let Some(x) = e.examination { dt { "Examination" } dd { (x.label()) @if let Some(r) = &e.submission_reason { ": " (r) } } }
            }
            @if let Some(req) = &e.request {
                h2 #request { "Examination request" }
                dl.details {
                    dt { "Identifiers to look for" } dd { (if req.identifiers.is_empty() { "None given" } else { &req.identifiers }) }
                    dt { "Dates" } dd { (date_range(req.from.as_deref(), req.to.as_deref())) }
                    dt { "Questions" } dd { (req.questions) }
                }
            }
            section.next-step aria-labelledby="next-h" {
                h2 #next-h { "Next step" }
                @match next_view {
                    Some(p) => {
                        p { (p.label) @if let Some(d) = &p.due_at { ", due " (crate::views::when(d)) } @if let Some(s) = p.state { " " (crate::views::clock_badge(s)) } }
                        (step_form(ctx, e, p.step, p.state == Some(ClockState::Overdue), late_reasons, refused))
                    }
                    None if e.next_step.is_some() => { p.waiting { "Waiting for: " (e.path.iter().find(|p| Some(p.step) == e.next_step).map(|p| p.label.as_str()).unwrap_or("")) "." } }
                    None => { p.waiting { "The forensic path is complete." } }
                }
            }
            h2 #path { "Forensic path" }
            div.table-scroll {
                table {
                    caption.visually-hidden { "Each step of the forensic path" }
                    thead { tr { th scope="col" { "Step" } th scope="col" { "Done" } th scope="col" { "Due" } th scope="col" { "State" } } }
                    tbody {
                        @for p in &e.path {
                            tr {
                                th scope="row" { (p.label) }
                                td { @if let Some(d) = &p.done_at { (crate::views::when(d)) @if let Some(by) = &p.done_by { br; span.muted { (by) } } } @else { "—" } }
                                td { (p.due_at.as_deref().map(crate::views::when).unwrap_or_else(|| not_started(e, p.step).into())) }
                                td { @if let Some(s) = p.state { (crate::views::clock_badge(s)) @if let Some(c) = &p.late_code { br; span.muted { "Late: " (late_reasons.iter().find(|l| &l.code == c).map(|l| l.label.as_str()).unwrap_or(c)) } } } }
                            }
                        }
                    }
                }
            }
            @if let Some(g) = &e.graded {
                h2 #grading { "Grading" }
                dl.details {
                    dt { "Graded beyond the exact matches" } dd { (g.a) " A, " (g.b) " B, " (g.c) " C" }
                    dt { "New images" } dd { (e.new_images.unwrap_or(0)) }
                    dt { "Sharing found" } dd { (if e.distribution { "Yes" } else { "No" }) }
                    dt { "Images made by the suspect found" } dd { (if e.production { "Yes" } else { "No" }) }
                    @if let Some(n) = &e.grading_note { dt { "Note" } dd { (n) } }
                }
            }
            h2 #scans { "Scan reports" }
            @if e.scans.is_empty() {
                p { "No scan report is attached." }
            } @else {
                div.table-scroll {
                    table {
                        caption.visually-hidden { "Scan reports, newest first" }
                        thead { tr {
                            th scope="col" { "Attached" } th scope="col" { "A" } th scope="col" { "B" } th scope="col" { "C" }
                            th scope="col" { "Not indecent" } th scope="col" { "Uncategorised" } th scope="col" { "Exact" } th scope="col" { "Near" }
                            th scope="col" { "Unknown images" } th scope="col" { "Unreadable" } th scope="col" { "Tool and sets" } th scope="col" { "Report" }
                        } }
                        tbody {
                            @for s in &e.scans {
                                tr {
                                    td { (crate::views::when(&s.received_at)) @if let Some(by) = &s.received_by { br; span.muted { (by) } } }
                                    td { (s.counts.a) } td { (s.counts.b) } td { (s.counts.c) }
                                    td { (s.counts.not_indecent) } td { (s.counts.uncategorised) }
                                    td { (s.exact) } td { (s.near) } td { (s.unknown_images) } td { (s.unreadable) }
                                    td { (s.tool) " " (s.tool_version) @for set in &s.sets { br; span.muted { (set.name) " " code { (set.checksum.get(..12).unwrap_or(&set.checksum)) } } } }
                                    td { a href={"/api/v1/exhibits/" (e.id) "/scans/" (s.id)} download { "Download as received" } }
                                }
                            }
                        }
                    }
                }
                p.hint { "Near matches are PDQ matches a grader has not confirmed: the charging summary does not count them." }
            }
            @if may_record || may_examine {
                details open[refused.is_some_and(|r| r.form == "scan")] {
                    summary { "Attach a scan report" }
                    form method="post" action={"/exhibits/" (e.id) "/scan"} enctype="multipart/form-data" {
                        input type="hidden" name="csrf" value=(ctx.session.csrf_token);
                        div.field {
                            label for="scan-file" { "The report (the JSON that safeguard scan --json printed, at most 64 MiB)" }
                            (line(refused, "scan-file"))
                            input #scan-file name="report" type="file" accept=".json,application/json" required;
                        }
                        button.secondary type="submit" { "Attach the report" }
                    }
                }
            }
            @if !e.forensic_actions.is_empty() && may_examine {
                h2 #plan { "Forensics actions of the investigation plan" }
                ul.plain {
                    @for a in &e.forensic_actions {
                        li {
                            strong { (a.title) } @if let Some(d) = &a.due_at { " · due " (crate::views::when(d)) } @if let Some(s) = a.state { " " (crate::views::clock_badge(s)) }
                            form.inline-form method="post" action={"/exhibits/" (e.id) "/plan-done"} {
                                input type="hidden" name="csrf" value=(ctx.session.csrf_token);
                                input type="hidden" name="action_id" value=(a.id);
                                @if a.state == Some(ClockState::Overdue) {
                                    @let id = format!("plan-late-{}", a.id);
                                    div.field {
                                        label for=(id) { "Why late?" }
                                        (line(refused, &id))
                                        select id=(id) name="late_code" required {
                                            option value="" { "Choose a reason" }
                                            @for l in late_reasons { option value=(l.code) { (l.label) } }
                                        }
                                    }
                                }
                                button.secondary type="submit" { "Mark as done" }
                            }
                        }
                    }
                }
            }
            h2 #continuity { "Continuity" }
            @if e.handovers.is_empty() {
                p { "No handover is recorded since the seizure." }
            } @else {
                div.table-scroll {
                    table {
                        caption.visually-hidden { "Handovers, oldest first" }
                        thead { tr { th scope="col" { "When" } th scope="col" { "From" } th scope="col" { "To" } th scope="col" { "Recorded by" } } }
                        tbody { @for h in &e.handovers { tr { td { (crate::views::when(&h.at)) } td { (h.from) } td { (h.to) } td { (h.recorded_by.as_deref().unwrap_or("")) } } } }
                    }
                }
            }
            @if may_record || may_examine {
                details open[refused.is_some_and(|r| r.form == "handover")] {
                    summary { "Record a handover" }
                    form method="post" action={"/exhibits/" (e.id) "/handover"} {
                        input type="hidden" name="csrf" value=(ctx.session.csrf_token);
                        div.field { label for="ho-from" { "From" } (line(refused, "ho-from")) input #ho-from name="from" type="text" required maxlength="200" value=[v("handover", "from")]; }
                        div.field { label for="ho-to" { "To" } (line(refused, "ho-to")) input #ho-to name="to" type="text" required maxlength="200" value=[v("handover", "to")]; }
                        div.field { label for="ho-at" { "When (London time; leave empty for now)" } (line(refused, "ho-at")) input #ho-at name="at" type="datetime-local" value=[v("handover", "at")]; }
                        button.secondary type="submit" { "Record the handover" }
                    }
                }
            }
        },
    )
}

fn step_form(
    ctx: &Ctx,
    e: &ExhibitView,
    step: ForensicStep,
    overdue: bool,
    late_reasons: &[domain::clocks::LateReasonCode],
    refused: Option<&Refused>,
) -> Markup {
    let v = |name: &str| {
        refused
            .and_then(|r| r.value("step", name))
            .map(str::to_string)
    };
    let checked = |name: &str| v(name).as_deref() == Some("true");
    html! {
        form method="post" action={"/exhibits/" (e.id) "/step"} {
            input type="hidden" name="csrf" value=(ctx.session.csrf_token);
            input type="hidden" name="step" value=(step.as_str());
            div.field {
                label for="st-at" { "When (London time; leave empty for now)" }
                (line(refused, "st-at"))
                input #st-at name="at" type="datetime-local" value=[v("at")];
            }
            @if step == ForensicStep::Submitted {
                fieldset #st-examination {
                    legend { "Examination asked for" }
                    (line(refused, "st-examination"))
                    @for x in [Examination::Full, Examination::TriageOnly] {
                        div.radio {
                            input type="radio" id={"st-exam-" (x.as_str())} name="examination" value=(x.as_str()) required checked[v("examination").as_deref() == Some(x.as_str())];
                            label for={"st-exam-" (x.as_str())} { (x.label()) }
                        }
                    }
                }
                div.field { label for="st-reason" { "Why this examination" } (line(refused, "st-reason")) textarea #st-reason name="reason" rows="2" maxlength="10000" required { (v("reason").unwrap_or_default()) } }
                div.field { label for="st-identifiers" { "Identifiers to look for (accounts, emails, phone numbers)" } (line(refused, "st-identifiers")) textarea #st-identifiers name="identifiers" rows="2" maxlength="10000" { (v("identifiers").unwrap_or_default()) } }
                div.field { label for="st-from" { "From date (optional)" } (line(refused, "st-from")) input #st-from name="from" type="date" value=[v("from")]; }
                div.field { label for="st-to" { "To date (optional)" } (line(refused, "st-to")) input #st-to name="to" type="date" value=[v("to")]; }
                div.field { label for="st-questions" { "Questions for the examiner" } (line(refused, "st-questions")) textarea #st-questions name="questions" rows="3" maxlength="10000" required { (v("questions").unwrap_or_default()) } }
            }
            @if step == ForensicStep::Graded {
                p.hint { "Count the images you categorised that the scan did not already match exactly (near matches you confirm count here)." }
                @for (name, label) in [("graded_a", "Category A images"), ("graded_b", "Category B images"), ("graded_c", "Category C images"), ("new_images", "New images (in no hash set) found indecent")] {
                    div.field { label for={"st-" (name)} { (label) } (line(refused, &format!("st-{name}"))) input id={"st-" (name)} name=(name) type="number" min="0" max="10000000" required value=[v(name)]; }
                }
                div.checkbox { input #st-distribution type="checkbox" name="distribution" value="true" checked[checked("distribution")]; label for="st-distribution" { "Images were shared or sent (distribution)" } }
                div.checkbox { input #st-production type="checkbox" name="production" value="true" checked[checked("production")]; label for="st-production" { "Images appear to have been made by the suspect (production)" } }
                div.field { label for="st-note" { "Note (optional)" } textarea #st-note name="note" rows="2" maxlength="10000" { (v("note").unwrap_or_default()) } }
            }
            @if overdue {
                div.field {
                    label for="st-late" { "Why late?" }
                    (line(refused, "st-late"))
                    select #st-late name="late_code" required {
                        option value="" { "Choose a reason" }
                        @for l in late_reasons { option value=(l.code) selected[v("late_code").as_deref() == Some(l.code.as_str())] { (l.label) } }
                    }
                }
                div.field { label for="st-late-text" { "In your words (optional; never in figures)" } input #st-late-text name="late_text" type="text" maxlength="1000" value=[v("late_text")]; }
            }
            button type="submit" { "Record: " (step.label().to_lowercase()) }
        }
    }
}

/// The element a refused form's error is about.
fn element(form: &str, location: Option<&str>, values: &HashMap<String, String>) -> Option<String> {
    let loc = location?;
    Some(match (form, loc) {
        ("handover", f) => format!("ho-{f}"),
        ("scan", _) => "scan-file".into(),
        ("plan-done", _) => format!(
            "plan-late-{}",
            values.get("action_id").map(String::as_str).unwrap_or("")
        ),
        ("step", "examination") => "st-examination".into(),
        ("step", "step") => "st-at".into(),
        ("step", "late_code" | "late_reason") => "st-late".into(),
        ("step", f) => format!("st-{f}"),
        _ => return None,
    })
}

async fn answer(
    state: &AppState,
    ctx: &Ctx,
    id: &str,
    form: &str,
    values: &HashMap<String, String>,
    result: Result<&'static str, Error>,
) -> Response {
    match result {
        Ok(done) => Redirect::to(&format!(
            "/exhibits/{id}?done={}",
            crate::views::url_component(done)
        ))
        .into_response(),
        Err(
            e @ (Error::NotFound | Error::Forbidden | Error::Internal(_) | Error::Unauthenticated),
        ) => super::error_page(Some(ctx), e),
        Err(e) => {
            let location = match &e {
                Error::Invalid { location, .. } => location.clone(),
                _ => None,
            };
            let status = crate::error::status(&e);
            let refused = Refused {
                form,
                values,
                message: e.message(),
                field: element(form, location.as_deref(), values),
            };
            match app::exhibits::read(&state.app, ctx, id).await {
                Ok(x) => (
                    status,
                    Html(render(state, ctx, &x, Some(&refused), None).into_string()),
                )
                    .into_response(),
                Err(e) => super::error_page(Some(ctx), e),
            }
        }
    }
}

fn london(v: &str, field: &str) -> Result<Option<jiff::Timestamp>, Error> {
    if v.trim().is_empty() {
        return Ok(None);
    }
    super::referral::parse_london(v)
        .map(Some)
        .map_err(|e| match e {
            Error::Invalid { code, message, .. } => {
                Error::invalid_at(code, message, field.to_string())
            }
            other => other,
        })
}

fn count(v: &str, field: &str) -> Result<Option<u64>, Error> {
    match v.trim() {
        "" => Ok(None),
        n => n.parse().map(Some).map_err(|_| {
            Error::invalid_at(
                "exhibit.invalid",
                "Give a whole number, 0 or more.",
                field.to_string(),
            )
        }),
    }
}

/// `POST /exhibits/{id}/{form}`: a handover, a step, or a forensics plan action done.
pub async fn submit(
    State(state): State<AppState>,
    PageCtx(ctx): PageCtx,
    Path((id, form)): Path<(String, String)>,
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
    let ctx = ctx.with_justification(f.get("justification"));
    let late = || {
        let code = field("late_code");
        (!code.is_empty()).then(|| domain::clocks::LateReason {
            code,
            text: field("late_text"),
        })
    };
    let result: Result<&'static str, Error> = async {
        match form.as_str() {
            "handover" => {
                let at = london(&field("at"), "at")?;
                app::exhibits::handover(&state.app, &ctx, &id, at, &field("from"), &field("to"))
                    .await?;
                Ok("Handover recorded.")
            }
            "step" => {
                let step: ForensicStep = field("step")
                    .parse()
                    .map_err(|e: String| Error::invalid_at("exhibit.invalid", e, "step"))?;
                let graded = match (
                    count(&field("graded_a"), "graded_a")?,
                    count(&field("graded_b"), "graded_b")?,
                    count(&field("graded_c"), "graded_c")?,
                ) {
                    (Some(a), Some(b), Some(c)) => Some((a, b, c)),
                    _ => None,
                };
                let (examination, reason, identifiers, from, to, questions, note) = (
                    field("examination"),
                    field("reason"),
                    field("identifiers"),
                    field("from"),
                    field("to"),
                    field("questions"),
                    field("note"),
                );
                let input = StepInput {
                    step,
                    at: london(&field("at"), "at")?,
                    late: late(),
                    examination: &examination,
                    reason: &reason,
                    identifiers: &identifiers,
                    from: &from,
                    to: &to,
                    questions: &questions,
                    graded,
                    new_images: count(&field("new_images"), "new_images")?,
                    distribution: field("distribution") == "true",
                    production: field("production") == "true",
                    note: &note,
                };
                app::exhibits::record_step(&state.app, &ctx, &id, &input).await?;
                Ok("Step recorded.")
            }
            "plan-done" => {
                app::exhibits::complete_forensic_action(
                    &state.app,
                    &ctx,
                    &id,
                    &field("action_id"),
                    late(),
                )
                .await?;
                Ok("Plan action done.")
            }
            _ => Err(Error::NotFound),
        }
    }
    .await;
    answer(&state, &ctx, &id, &form, &f, result).await
}

/// `POST /exhibits/{id}/scan`: a scan report uploaded as a file. The CSRF token comes first in the form and
/// is checked before the file is read.
pub async fn scan(
    State(state): State<AppState>,
    PageCtx(ctx): PageCtx,
    Path(id): Path<String>,
    mut multipart: Multipart,
) -> Response {
    // The CSRF token comes first and the role is checked before the report is read.
    if let Err(r) = super::upload_allowed(
        &ctx,
        &mut multipart,
        &[Action::RecordExhibits, Action::ExamineExhibits],
    )
    .await
    {
        return r;
    }
    let mut values = HashMap::new();
    values.insert("csrf".to_string(), ctx.session.csrf_token.clone());
    let mut report: Option<Vec<u8>> = None;
    let mut problem: Option<Error> = None;
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() != Some("report") {
            continue;
        }
        match field.bytes().await {
            Ok(b) => report = Some(b.to_vec()),
            Err(e) => {
                problem = Some(if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                    Error::TooLarge {
                        code: "scan.too_large",
                        message: "The scan report is over 64 MiB.".into(),
                    }
                } else {
                    Error::invalid_at("scan.invalid", e.body_text(), "report")
                });
                break;
            }
        }
    }
    let result = match (problem, report) {
        (Some(e), _) => Err(e),
        (None, None) => Err(Error::invalid_at(
            "scan.invalid",
            "Choose the scan report to attach.",
            "report",
        )),
        (None, Some(bytes)) => app::exhibits::attach_scan(&state.app, &ctx, &id, &bytes)
            .await
            .map(|_| "Scan report attached."),
    };
    answer(&state, &ctx, &id, "scan", &values, result).await
}

/// The examination request's dates in words.
fn date_range(from: Option<&str>, to: Option<&str>) -> String {
    match (from, to) {
        (None, None) => "Any dates".into(),
        (Some(f), None) => format!("From {f}"),
        (None, Some(t)) => format!("Up to {t}"),
        (Some(f), Some(t)) => format!("{f} to {t}"),
    }
}

/// Why a step has no clock yet: waiting for the step before it, or not needed at all.
fn not_started(e: &ExhibitView, step: ForensicStep) -> &'static str {
    if step == ForensicStep::VictimIdentification && e.graded.is_some() && e.new_images == Some(0) {
        "Not needed: no new images"
    } else {
        "Not started yet"
    }
}
