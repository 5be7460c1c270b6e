//! One referral: what was received, where its clock stands, its timeline, and the forms for the next steps
//! the user is allowed to take. Every form names the version it was based on, so a change made meanwhile
//! by someone else is refused with a clear message rather than overwritten.

use super::layout::frame;
use super::queue::risk_badge;
use crate::auth::PageCtx;
use crate::error::{Error, status};
use crate::input::Form;
use crate::views::clock_phrase;
use crate::{AppState, Ctx};
use app::referrals as ops;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::{EnforcementKind, OutcomeCode, RiskLevel};
use maud::{Markup, html};
use std::collections::HashMap;

mod confirm;
mod evidence;
mod forms;
pub(super) use forms::parse_london;
mod plan;
mod report;
mod sections;
pub mod subject_panel;
mod supervision;
mod typed;

use typed::{Refused, Typed};

/// `GET /referrals/{id}`.
pub async fn page(
    State(state): State<AppState>,
    PageCtx(ctx): PageCtx,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let ctx = ctx.with_justification(q.get("justification"));
    match render(&state, &ctx, &id, None, q.get("done").map(String::as_str)).await {
        Ok(m) => Html(m.into_string()).into_response(),
        Err(Error::Invalid {
            code: "justification.required",
            message,
            ..
        }) => super::layout::justification_page(&ctx, &format!("/referrals/{id}"), &message),
        Err(e) => super::error_page(Some(&ctx), e),
    }
}

async fn render(
    state: &AppState,
    ctx: &Ctx,
    id: &str,
    refused: Option<&Refused<'_>>,
    done: Option<&str>,
) -> Result<Markup, Error> {
    let d = ops::dossier(&state.app, ctx, id).await?;
    let r = &d.received.referral;
    let t = Typed::from(refused);
    let subject = subject_panel::panel(ctx, r, &d.subject);
    let config = state.app.config();
    let now = jiff::Timestamp::now();
    let (phrase, class) = clock_phrase(r, now);
    let p = &r.reported_person;
    let open = r.status.is_open();
    let may_assess = open && app::access::may(ctx, domain::Action::AssessRisk, r);
    let pending = d.assessments.iter().find(|a| a.decision.is_none());
    let sign_off_now =
        open && pending.is_some() && app::access::may(ctx, domain::Action::SignOffRisk, r);
    // The instrument is the next step until a level is recorded; after that it is kept, collapsed, below.
    let instrument_now = may_assess && r.risk_level.is_none();
    let steps = forms::actions(ctx, r, &d.officers, &d.bcus, &config.nfa, t);
    let children_prompt = children_prompt(ctx, r, &d);
    let waiting = waiting_for(r, pending.is_some());
    Ok(frame(
        Some(ctx),
        &format!("Referral {}", r.report_id),
        html! {
            p { a href="/referrals" { "Back to the queue" } }
            h1 { "Referral " (r.source) " " (r.report_id) }
            (typed::summary(refused))
            @if let Some(d) = done { div.notice role="status" { (d) } }
            div.summary-bar {
                div { span.label { "Risk" } (risk_badge(r)) @if r.escalated { " " span.badge.escalated { "Escalated" } } }
                div { span.label { "Clock" } span class={"clock clock-" (class)} { (phrase) } }
                div { span.label { "Due" } (domain::time::display(r.due_at)) }
                @if let (Some(kind), Some(due)) = (r.headline_kind, r.headline_due)
                    && !matches!(kind, domain::clocks::ClockKind::Triage | domain::clocks::ClockKind::Enforcement) {
                    div { span.label { "Next due" } (kind.label()) ", " (domain::time::display(due)) }
                }
                div { span.label { "Status" } (r.status_label()) }
            }
            section.next-step aria-labelledby="next-h" {
                h2 #next-h { "Next step" }
                @if sign_off_now && let Some(a) = pending {
                    (sections::sign_off(ctx, r, &config.instrument, a, t))
                }
                @if instrument_now {
                    section.step aria-labelledby="inst-h" {
                        h3 #inst-h { "Complete the risk instrument" }
                        (sections::instrument_form(ctx, r, &config.instrument, &d.prefilled, t))
                    }
                }
                @if let Some(prompt) = &children_prompt {
                    div.warning-text { p { (prompt) " " a href="#people" { "Record each child with access" } "." } }
                }
                (steps)
                @if children_prompt.is_none() && !sign_off_now && !instrument_now && steps.0.trim().is_empty() {
                    p.waiting { (waiting.as_deref().unwrap_or("Nothing for you to do on this referral now.")) }
                }
            }
            nav.contents aria-label="On this page" {
                ul {
                    li { a href="#details" { "Details" } }
                    li { a href="#people" { "People" } }
                    li { a href="#plan" { "Offence and plan" } }
                    li { a href="#supervision" { "Clocks and supervision" } }
                    li { a href="#exhibits" { "Exhibits and charging" } }
                    @if !d.remedial.is_empty() || !d.quality_reviews.is_empty() { li { a href="#quality" { "Quality review" } } }
                    li { a href="#timeline" { "Timeline" } }
                    li { a href="#identification" { "Subject, IP events and files" } }
                    li { a href="#instrument" { "Risk instrument" } }
                }
            }
            h2 #details { "Details" }
            p {
                a href={"/referrals/" (r.id) "/original"} { "Download the report as received" }
                " · "
                a href={"/referrals/" (r.id) "/package"} { "Download the whole package as received" }
                span.muted { " (each download is recorded as a disclosure)" }
            }
            dl.details {
                dt { "Received" } dd { (domain::time::display(r.received_at)) }
                dt { "Source and package" } dd { (r.source) @if let Some(p) = &r.package_ref { ", package " (p) } }
                dt { "Incident type" } dd { (r.incident_type) }
                @if let Some(t) = r.incident_at { dt { "Detected by the platform" } dd { (domain::time::display(t)) } }
                @if let Some(e) = &r.escalation_reason { dt { "Escalation" } dd { (e) } }
                @if !r.annotations.is_empty() {
                    dt { "The platform's annotations" }
                    dd { (r.annotations.iter().map(|a| crate::views::annotation_label(a)).collect::<Vec<_>>().join(", ")) }
                }
                dt { "Borough and BCU" } dd { (r.borough.as_deref().unwrap_or("Not given")) ", " (r.bcu_code.as_deref().map(str::to_uppercase).unwrap_or_else(|| "unrouted (central queue)".into())) }
                dt { "Reported person" } dd { (p.headline()) }
                dt { "Narrative" } dd { (if r.summary.is_empty() { "None given" } else { &r.summary }) }
                @if let Some(reason) = &r.risk_reason { dt { "Risk reason" } dd { (reason) } }
                dt { "Allocated to" } dd { (r.allocated_name.as_deref().unwrap_or("Nobody yet")) }
                @if let Some(c) = r.outcome { dt { "Outcome" } dd { (c) " – " (c.label()) @if let Some(x) = &r.outcome_rationale { ": " (x) } } }
            }
            (report::people(&d.received.people, &d.safeguarding, &d.child_house, &config.timeliness.late_reasons, ctx, r, t))
            (plan::section(ctx, r, &d.plan, &config.timeliness.late_reasons, t))
            (supervision::section(ctx, r, &d.clocks, &d.reviews, &d.timeline, &config.timeliness.late_reasons, t))
            (evidence::exhibits(ctx, r, &d.exhibits, &d.charging, &d.received.people, t))
            (evidence::quality(ctx, r, &d.remedial, &d.quality_reviews, &config.timeliness.late_reasons, t))
            h2 #timeline { "Timeline" }
            p.hint { "Times are London time." }
            ol.timeline {
                @for t in &d.timeline {
                    li { span.when { (domain::time::display(t.at)) } " · " span.who { (t.actor) } p { (t.summary) } }
                }
            }
            div #identification {
                (subject)
                (report::further_details(&d.received.details))
                (sections::ip_events(ctx, r, &d.received.ip_events, &d.cd_requests, t))
                (sections::corroboration(&d.addresses))
                (sections::files(&d.received.files))
            }
            h2 #instrument { "Risk instrument" }
            @if d.assessments.is_empty() {
                p { "No instrument has been completed for this referral." }
            } @else {
                (sections::assessments_list(&d.assessments))
            }
            @if may_assess && !instrument_now {
                details open[refused.is_some_and(|x| x.step == "instrument" || x.step == "risk")] {
                    summary { "Reassess: complete " (config.instrument.title()) " again, or record a level by hand" }
                    (sections::instrument_form(ctx, r, &config.instrument, &d.prefilled, t))
                    (forms::risk_form(ctx, r, t))
                }
            }
        },
    ))
}

/// When the latest instrument says the suspect lives with children or reaches them elsewhere and no child
/// with access is recorded yet, a prompt to record them (for those who may).
fn children_prompt(ctx: &Ctx, r: &domain::Referral, d: &app::referrals::Dossier) -> Option<String> {
    use domain::instrument::{AnswerValue, Answers};
    use domain::report_details::PersonCategory;
    if !r.status.is_open() || !app::access::may(ctx, domain::Action::RecordPeople, r) {
        return None;
    }
    if d.received
        .people
        .iter()
        .any(|p| p.category == PersonCategory::ChildWithAccess)
    {
        return None;
    }
    let answers: Answers = serde_json::from_str(&d.assessments.first()?.answers).ok()?;
    let yes = |q: &str| {
        answers
            .get(q)
            .is_some_and(|a| a.value == AnswerValue::YesNo(true))
    };
    match (yes("lives_with_children"), yes("access_elsewhere")) {
        (true, true) => Some("The risk instrument says the suspect lives with or cares for a child, and has access to children elsewhere.".into()),
        (true, false) => Some("The risk instrument says the suspect lives with or cares for a child.".into()),
        (false, true) => Some("The risk instrument says the suspect has access to children elsewhere (work, volunteering, wider family).".into()),
        (false, false) => None,
    }
}

/// What the referral waits for, when the user has nothing to do on it now.
fn waiting_for(r: &domain::Referral, sign_off_pending: bool) -> Option<String> {
    use domain::Status;
    Some(match r.status {
        Status::Closed => return None,
        Status::OutcomeProposed => return None,
        _ if sign_off_pending => "The risk level awaits a supervisor's sign-off.".into(),
        Status::New if r.bcu.is_none() => {
            "Awaiting routing to a BCU by the central referrals desk.".into()
        }
        Status::New => "Awaiting a risk level.".into(),
        Status::Assessed if r.bcu.is_none() => {
            "Awaiting routing to a BCU by the central referrals desk.".into()
        }
        Status::Assessed => "Awaiting allocation to an officer by the BCU's sergeant.".into(),
        Status::Allocated => {
            "Awaiting the first enforcement action by the allocated officer.".into()
        }
        Status::Enforcement => "Awaiting the outcome from the allocated officer.".into(),
    })
}

/// `POST /referrals/{id}/{step}`. A refused step shows the page again with what was typed and the error
/// linked to its field; a step that cannot be undone (closing), or that makes the referral overdue at once,
/// is confirmed first.
pub async fn step(
    State(state): State<AppState>,
    PageCtx(ctx): PageCtx,
    Path((id, step)): Path<(String, String)>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let field = |k: &str| f.get(k).map(String::as_str).unwrap_or("");
    if let Some(r) = super::csrf_rejection(&ctx, field("csrf")) {
        return r;
    }
    let ctx = ctx.with_justification(f.get("justification"));
    // "No, go back" on a confirmation: the page again, with the form as typed.
    if field("back") == "yes" {
        let back = Refused {
            step: &step,
            values: &f,
            message: String::new(),
            field: None,
        };
        return match render(&state, &ctx, &id, Some(&back), None).await {
            Ok(m) => Html(m.into_string()).into_response(),
            Err(e) => super::error_page(Some(&ctx), e),
        };
    }
    let result = match field("confirmed") {
        "yes" => run_step(&state, &ctx, &id, &step, &f).await,
        _ => match confirm::needed(&state, &ctx, &id, &step, &f).await {
            Ok(Some(c)) => return confirm::page(&ctx, &id, &step, &f, c),
            Ok(None) => run_step(&state, &ctx, &id, &step, &f).await,
            Err(e) => Err(e),
        },
    };
    match result {
        Ok(done) => Redirect::to(&format!(
            "/referrals/{id}?done={}",
            crate::views::url_component(&done)
        ))
        .into_response(),
        Err(
            e @ (Error::NotFound | Error::Forbidden | Error::Internal(_) | Error::Unauthenticated),
        ) => super::error_page(Some(&ctx), e),
        Err(e) => {
            let status = status(&e);
            let location = match &e {
                Error::Invalid { location, .. } => location.clone(),
                _ => None,
            };
            let refused = Refused {
                step: &step,
                values: &f,
                message: e.message(),
                field: typed::element_for(&step, location.as_deref(), &f),
            };
            match render(&state, &ctx, &id, Some(&refused), None).await {
                Ok(m) => (status, Html(m.into_string())).into_response(),
                Err(e) => super::error_page(Some(&ctx), e),
            }
        }
    }
}

/// The same refusal about the form field `field`.
fn at_location(e: Error, field: &str) -> Error {
    match e {
        Error::Invalid { code, message, .. } => Error::invalid_at(code, message, field.to_string()),
        other => other,
    }
}

/// The instrument's answers as a form sends them (`q.<question>` fields; empty ones left out).
pub(super) fn instrument_answers(
    f: &HashMap<String, String>,
) -> Vec<(String, domain::instrument::AnswerValue)> {
    f.iter()
        .filter_map(|(k, v)| Some((k.strip_prefix("q.")?.to_string(), v.trim())))
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| {
            use domain::instrument::AnswerValue as A;
            let value = match v {
                "true" => A::YesNo(true),
                "false" => A::YesNo(false),
                n if n.parse::<i64>().is_ok() => A::Number(n.parse().expect("checked")),
                other => A::Choice(other.to_string()),
            };
            (k, value)
        })
        .collect()
}

async fn run_step(
    state: &AppState,
    ctx: &Ctx,
    id: &str,
    step: &str,
    f: &HashMap<String, String>,
) -> Result<String, Error> {
    let field = |k: &str| {
        f.get(k)
            .map(String::as_str)
            .unwrap_or("")
            .trim()
            .to_string()
    };
    let version: i64 = field("version").parse().map_err(|_| {
        Error::invalid(
            "request.invalid",
            "The form is missing its version: reload the page.",
        )
    })?;
    let need = |k: &str, what: &str| {
        let v = field(k);
        if v.is_empty() {
            Err(Error::invalid_at(
                "request.invalid",
                format!("Choose {what}."),
                k.to_string(),
            ))
        } else {
            Ok(v)
        }
    };
    let done: &'static str = match step {
        "risk" => {
            let level: RiskLevel = need("level", "a risk level")?.parse().map_err(
                |e: domain::risk::UnknownRiskLevel| {
                    Error::invalid("request.invalid", e.to_string())
                },
            )?;
            ops::assess(&state.app, ctx, id, version, level, &field("reason")).await?;
            Ok("Risk level recorded.")
        }
        "route" => {
            ops::route(&state.app, ctx, id, version, &need("bcu", "a BCU")?).await?;
            Ok("Referral routed.")
        }
        "allocation" => {
            ops::allocate(
                &state.app,
                ctx,
                id,
                version,
                &need("officer", "an officer")?,
            )
            .await?;
            Ok("Referral allocated.")
        }
        "enforcement" => {
            let kind: EnforcementKind = need("kind", "the kind of action")?
                .parse()
                .map_err(|e: String| Error::invalid("request.invalid", e))?;
            let at = forms::parse_london(&field("at"))?;
            let address = field("address");
            ops::enforce(
                &state.app,
                ctx,
                id,
                version,
                ops::Enforcement {
                    kind,
                    at,
                    address: Some(address.as_str()),
                    notes: &field("notes"),
                },
            )
            .await?;
            Ok("Enforcement recorded.")
        }
        "outcome" => {
            let code: OutcomeCode = need("code", "an outcome code")?.parse().map_err(
                |e: domain::outcome::BadOutcomeCode| {
                    Error::invalid("request.invalid", e.to_string())
                },
            )?;
            let informed = match field("informed").as_str() {
                "" => None,
                "victim" => Some(domain::referral::InformedWho::Victim),
                "parent_or_guardian" => Some(domain::referral::InformedWho::ParentOrGuardian),
                _ => return Err(Error::invalid("request.invalid", "Choose who was told.")),
            };
            let done = ops::propose_outcome(
                &state.app,
                ctx,
                id,
                version,
                ops::OutcomeRequest {
                    code,
                    rationale: &field("rationale"),
                    informed,
                },
            )
            .await?;
            let said = if done.referral.status == domain::Status::Closed {
                "Outcome recorded: the referral is closed."
            } else {
                "Outcome proposed: it awaits a supervisor's approval."
            };
            let mut text = said.to_string();
            for w in done.warnings {
                text.push(' ');
                text.push_str(&w);
            }
            return Ok(text);
        }
        "outcome-decision" => {
            let approve = match field("approve").as_str() {
                "true" => true,
                "false" => false,
                _ => {
                    return Err(Error::invalid_at(
                        "request.invalid",
                        "Choose approve or return.",
                        "approve",
                    ));
                }
            };
            ops::decide_outcome(&state.app, ctx, id, version, approve, &field("reason")).await?;
            Ok(if approve {
                "Outcome approved: the referral is closed."
            } else {
                "Outcome returned to the investigator."
            })
        }
        "reopen" => {
            ops::reopen(&state.app, ctx, id, version, &field("reason")).await?;
            Ok("Referral reopened.")
        }
        "review" => {
            let risk_still_right = match field("risk_still_right").as_str() {
                "true" => true,
                "false" => false,
                _ => {
                    return Err(Error::invalid_at(
                        "request.invalid",
                        "Say whether the risk level is still right.",
                        "risk_still_right",
                    ));
                }
            };
            let late_code = field("late_code");
            let plan_change = field("plan_change");
            app::supervision::record_review(
                &state.app,
                ctx,
                id,
                app::supervision::Review {
                    progress: &field("progress"),
                    risk_still_right,
                    next_steps: &field("next_steps"),
                    plan_change: Some(plan_change.as_str()),
                    late: (!late_code.is_empty()).then(|| domain::clocks::LateReason {
                        code: late_code,
                        text: field("late_text"),
                    }),
                },
            )
            .await?;
            Ok("Supervisory review recorded; the next one is due in the review interval.")
        }
        "offence" => {
            let offence: domain::offence::Offence = need("offence", "an offence")?
                .parse()
                .map_err(|e: String| Error::invalid("request.invalid", e))?;
            app::plans::classify(
                &state.app,
                ctx,
                id,
                version,
                offence,
                field("sextortion") == "true",
                field("live_streaming") == "true",
            )
            .await?;
            Ok("Offence recorded.")
        }
        "action-done" => {
            let late_code = field("late_code");
            app::plans::complete(
                &state.app,
                ctx,
                id,
                &field("action_id"),
                (!late_code.is_empty()).then(|| domain::clocks::LateReason {
                    code: late_code,
                    text: String::new(),
                }),
            )
            .await?;
            Ok("Plan action done.")
        }
        "action-na" => {
            app::plans::not_applicable(&state.app, ctx, id, &field("action_id"), &field("reason"))
                .await?;
            Ok("Plan action set aside.")
        }
        "action-add" => {
            let who = match field("who").as_str() {
                "supervisor" => domain::plans::Doer::Supervisor,
                "forensics" => domain::plans::Doer::Forensics,
                _ => domain::plans::Doer::Investigator,
            };
            let due_at = forms::parse_london(&need("due_at", "a due time")?)?;
            app::plans::add(
                &state.app,
                ctx,
                id,
                app::plans::NewAction {
                    title: &field("title"),
                    who,
                    due_at,
                    guidance: &field("guidance"),
                },
            )
            .await?;
            Ok("Plan action added.")
        }
        "return-date" => {
            let kind = match field("kind").as_str() {
                "released_under_investigation" => {
                    app::supervision::ReturnKind::ReleasedUnderInvestigation
                }
                _ => app::supervision::ReturnKind::Bail,
            };
            let return_on = forms::parse_london(&need("return_on", "the return date")?)?;
            app::supervision::record_return_date(&state.app, ctx, id, kind, return_on).await?;
            Ok("Return date recorded.")
        }
        "returned" => {
            let late_code = field("late_code");
            app::supervision::record_return(
                &state.app,
                ctx,
                id,
                &field("clock"),
                (!late_code.is_empty()).then(|| domain::clocks::LateReason {
                    code: late_code,
                    text: String::new(),
                }),
            )
            .await?;
            Ok("Return recorded.")
        }
        "pause-clock" => {
            app::supervision::pause_or_resume(
                &state.app,
                ctx,
                id,
                &field("clock"),
                Some(&field("reason")),
            )
            .await?;
            Ok("Clock paused: the time paused does not count.")
        }
        "resume-clock" => {
            app::supervision::pause_or_resume(&state.app, ctx, id, &field("clock"), None).await?;
            Ok("Clock resumed.")
        }
        "person-add" | "person-correct" => {
            let access = match field("access").as_str() {
                "" => None,
                a => Some(
                    a.parse()
                        .map_err(|e: String| Error::invalid_at("person.invalid", e, "access"))?,
                ),
            };
            let typed = |k: &str| f.get(k).map(String::as_str);
            let input = app::people::PersonInput {
                given_name: typed("given_name"),
                family_name: typed("family_name"),
                age: typed("age"),
                date_of_birth: typed("date_of_birth"),
                school: typed("school"),
                emails: typed("emails"),
                phones: typed("phones"),
                screen_names: typed("screen_names"),
                access,
                notes: typed("notes"),
            };
            if step == "person-add" {
                let category = category(&need("category", "a category")?)?;
                app::people::add(&state.app, ctx, id, category, &input).await?;
                Ok("Person recorded.")
            } else {
                app::people::correct(&state.app, ctx, id, &field("person"), &input).await?;
                Ok("Correction saved.")
            }
        }
        "safeguarding" => {
            let kind: domain::safeguarding::SafeguardingKind =
                field("kind").parse().map_err(|_| Error::NotFound)?;
            let made_at = match field("made_at").as_str() {
                "" => None,
                t => Some(forms::parse_london(t)?),
            };
            let late_code = field("late_code");
            let (authority, reference, strategy, not_needed) = (
                field("authority"),
                field("authority_reference"),
                field("strategy_discussion_on"),
                field("not_needed_reason"),
            );
            app::safeguarding::record(
                &state.app,
                ctx,
                id,
                &field("person"),
                kind,
                &app::safeguarding::Made {
                    authority: &authority,
                    made_at,
                    authority_reference: &reference,
                    strategy_discussion_on: &strategy,
                    not_needed_reason: &not_needed,
                    late: (!late_code.is_empty()).then(|| domain::clocks::LateReason {
                        code: late_code,
                        text: field("late_text"),
                    }),
                },
            )
            .await?;
            Ok("Safeguarding referral recorded.")
        }
        "child-house-refer" => {
            let at = match field("referred_at").as_str() {
                "" => None,
                t => Some(forms::parse_london(t)?),
            };
            app::child_house::refer(
                &state.app,
                ctx,
                id,
                &field("person"),
                field("learning_disability") == "true",
                at,
            )
            .await?;
            Ok("Referred to the Child House.")
        }
        "child-house-interview" => {
            let at = match field("at").as_str() {
                "" => None,
                t => Some(forms::parse_london(t)?),
            };
            let place = need("place", "where the interview took place")?
                .parse()
                .map_err(|e: String| Error::invalid_at("child_house.invalid", e, "place"))?;
            let interviewer = field("interviewer");
            app::child_house::interview(
                &state.app,
                ctx,
                id,
                &field("child"),
                &app::child_house::Interview {
                    at,
                    place,
                    interviewer: &interviewer,
                    intermediary: field("intermediary") == "true",
                    repeat: field("repeat") == "true",
                },
            )
            .await?;
            Ok("Interview recorded.")
        }
        "child-house-medical" | "child-house-therapy" => {
            let at = match field("at").as_str() {
                "" => None,
                t => Some(forms::parse_london(t)?),
            };
            let medical = step == "child-house-medical";
            app::child_house::date(&state.app, ctx, id, &field("child"), medical, at).await?;
            Ok(if medical {
                "Medical examination recorded."
            } else {
                "Start of therapy recorded."
            })
        }
        "exhibit-add" => {
            let seized_at = match field("seized_at").as_str() {
                "" => None,
                t => Some(forms::parse_london(t).map_err(|e| at_location(e, "seized_at"))?),
            };
            let (reference, kind, description, seized_where, person, from) = (
                field("reference"),
                field("kind"),
                field("description"),
                field("seized_where"),
                field("seized_from_person"),
                field("seized_from"),
            );
            app::exhibits::create(
                &state.app,
                ctx,
                id,
                &app::exhibits::NewExhibit {
                    reference: &reference,
                    kind: &kind,
                    description: &description,
                    seized_at,
                    seized_where: &seized_where,
                    seized_from_person: &person,
                    seized_from: &from,
                },
            )
            .await?;
            Ok("Exhibit recorded: its submission for examination is now due.")
        }
        "remedial-done" => {
            let late_code = field("late_code");
            app::quality::complete_remedial(
                &state.app,
                ctx,
                id,
                &field("action_id"),
                &field("note"),
                (!late_code.is_empty()).then(|| domain::clocks::LateReason {
                    code: late_code,
                    text: field("late_text"),
                }),
            )
            .await?;
            Ok("Remedial action done.")
        }
        "quality-grade" => {
            let review = field("review");
            let overall: domain::quality::Grade = need("grade_overall", "an overall grade")?
                .parse()
                .map_err(|e: String| Error::invalid_at("quality.invalid", e, "grade_overall"))?;
            let mut grades = vec![];
            for (k, v) in f {
                if let Some(area) = k.strip_prefix("grade_")
                    && area != "overall"
                    && !v.trim().is_empty()
                {
                    let g = v
                        .trim()
                        .parse()
                        .map_err(|e: String| Error::invalid_at("quality.invalid", e, k.clone()))?;
                    grades.push((area.to_string(), g));
                }
            }
            app::quality::grade(&state.app, ctx, &review, &grades, overall, &field("notes"))
                .await?;
            Ok("Quality review graded.")
        }
        "quality-refer" => {
            let actions: Vec<(String, String)> = (1..=3)
                .map(|n| (field(&format!("action_{n}")), field(&format!("due_{n}"))))
                .collect();
            app::quality::refer_back(&state.app, ctx, &field("review"), &actions).await?;
            Ok("Referred back: the remedial actions are on the BCU's work lists.")
        }
        "person-category" => {
            let access = match field("access").as_str() {
                "" => None,
                a => Some(
                    a.parse()
                        .map_err(|e: String| Error::invalid_at("person.invalid", e, "access"))?,
                ),
            };
            let to = category(&need("category", "a category")?)?;
            app::people::recategorise(
                &state.app,
                ctx,
                id,
                &field("person"),
                to,
                access,
                &field("reason"),
            )
            .await?;
            Ok("Person re-categorised.")
        }
        "cd-request" => {
            app::triage::request_cd(&state.app, ctx, id, &field("ip_event"), &field("provider"))
                .await?;
            Ok("Communications data request raised.")
        }
        "cd-answer" => {
            app::triage::answer_cd(
                &state.app,
                ctx,
                id,
                &field("request"),
                &field("subscriber"),
                &field("address"),
            )
            .await?;
            Ok("Answer recorded.")
        }
        "corroboration" => {
            app::triage::corroborate(
                &state.app,
                ctx,
                id,
                &field("address"),
                &field("method"),
                &field("detail"),
            )
            .await?;
            Ok("Address check recorded.")
        }
        "instrument" => {
            let given = instrument_answers(f);
            app::triage::assess_with_instrument(&state.app, ctx, id, version, &given).await?;
            Ok("Risk level given by the instrument.")
        }
        "decision" => {
            let level = match field("decision").as_str() {
                "override" => Some(need("level", "the new level")?.parse().map_err(
                    |e: domain::risk::UnknownRiskLevel| {
                        Error::invalid("request.invalid", e.to_string())
                    },
                )?),
                _ => None,
            };
            app::triage::decide(&state.app, ctx, id, version, level, &field("reason")).await?;
            Ok("Decision recorded.")
        }
        _ => Err(Error::NotFound),
    }?;
    Ok(done.to_string())
}

/// A person's category from its form value (`victim`, `child_with_access`).
fn category(v: &str) -> Result<domain::report_details::PersonCategory, Error> {
    v.parse::<domain::identifiers::PartyRole>()
        .map(domain::report_details::PersonCategory::of)
        .map_err(|_| {
            Error::invalid_at(
                "person.invalid",
                format!("'{v}' is not a category."),
                "category",
            )
        })
}

/// A London wall-clock time from a form field (shared with the new-referral form).
pub(super) fn parse_london_pub(s: &str) -> Result<jiff::Timestamp, Error> {
    forms::parse_london(s)
}
