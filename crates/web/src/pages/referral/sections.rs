//! The referral page's evidence and triage sections: IP capture events with their communications data
//! requests, address checks, the reported files, and the risk instrument with its sign-off.

use super::forms::hidden;
use crate::Ctx;
use crate::views::offset_text;
use app::access;
use app::rows::{AssessmentRow, CdRequest, FileRow, IpEventRow};
use domain::instrument::{AnswerValue, Answers, Instrument, QuestionKind};
use domain::{Action, Referral, RiskLevel};
use maud::{Markup, html};

fn when(ms: Option<i64>) -> String {
    ms.and_then(|m| jiff::Timestamp::from_millisecond(m).ok())
        .map(domain::time::display)
        .unwrap_or_else(|| "Not given".into())
}

/// IP capture events, each with its requests, and a form to raise one from the stored event.
pub fn ip_events(ctx: &Ctx, r: &Referral, events: &[IpEventRow], requests: &[CdRequest]) -> Markup {
    let may = access::may(ctx, Action::IdentifySubject, r);
    html! {
        h2 #ip-events { "IP capture events" }
        @if events.is_empty() {
            p { "The report gave no IP capture events." }
        } @else {
            table.evidence {
                thead { tr { th scope="col" { "Address and port" } th scope="col" { "From" } th scope="col" { "Event" } th scope="col" { "Time (London)" } th scope="col" { "As received" } th scope="col" { "Communications data" } } }
                tbody {
                    @for e in events {
                        tr {
                            td { code { (e.address) @if let Some(p) = e.port { ":" (p) } } @if e.possible_proxy == Some(true) { br; strong.proxy { "Possible proxy" } " – the platform thinks this may not be the person's own connection; an answer for it never corroborates an address" } }
                            td { (crate::views::ip_origin_label(e.origin.as_deref())) }
                            td { (e.event.as_deref().unwrap_or("—")) }
                            td { (when(e.at)) }
                            td { code { (e.raw.as_deref().unwrap_or("—")) } @if let Some(o) = e.offset_seconds { br; span.muted { "offset " (offset_text(o)) } } }
                            td {
                                @for q in requests.iter().filter(|q| q.ip_event_id == e.id) {
                                    p {
                                        "Asked " (q.provider) " on " (when(Some(q.requested_at))) ". "
                                        @match (&q.subscriber, &q.subscriber_address) {
                                            (Some(s), Some(a)) => { "Answer: " (s) ", " (a) }
                                            _ => { "Awaiting answer." }
                                        }
                                    }
                                    @if q.answered_at.is_none() && may {
                                        form.inline-form method="post" action={"/referrals/" (r.id) "/cd-answer"} {
                                            (hidden(ctx, r))
                                            input type="hidden" name="request" value=(q.id);
                                            div.field { label for={"sub-" (q.id)} { "Subscriber" } input id={"sub-" (q.id)} name="subscriber" type="text" required; }
                                            div.field { label for={"addr-" (q.id)} { "Address given" } input id={"addr-" (q.id)} name="address" type="text" required; }
                                            button.secondary type="submit" { "Record answer" }
                                        }
                                    }
                                }
                                @if may && e.at.is_some() {
                                    form.inline-form method="post" action={"/referrals/" (r.id) "/cd-request"} {
                                        (hidden(ctx, r))
                                        input type="hidden" name="ip_event" value=(e.id);
                                        div.field { label for={"prov-" (e.id)} { "Provider to ask" } input id={"prov-" (e.id)} name="provider" type="text" required; }
                                        button.secondary type="submit" { "Raise request for this event" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if may {
            section.step aria-labelledby="check-h" {
                h2 #check-h { "Record an address check" }
                p.hint { "Enforcement at an address needs two independent IP events resolving to it, or a recorded check such as this." }
                form method="post" action={"/referrals/" (r.id) "/corroboration"} {
                    (hidden(ctx, r))
                    div.field { label for="check-address" { "Address" } input #check-address name="address" type="text" required; }
                    div.field { label for="check-method" { "How it was checked" } input #check-method name="method" type="text" required; }
                    div.field { label for="check-detail" { "What was found" } textarea #check-detail name="detail" rows="2" required {} }
                    button type="submit" { "Record check" }
                }
            }
        }
    }
}

/// Where each resolved or checked address stands: enforcement there waits until it is corroborated.
pub fn corroboration(addresses: &[(String, domain::identification::Corroboration)]) -> Markup {
    html! {
        h2 #corroboration { "Addresses and corroboration" }
        @if addresses.is_empty() {
            p { "No address yet: raise a communications data request from an IP event, or record a check." }
        } @else {
            ul.corroboration {
                @for (a, c) in addresses {
                    li class={ @if c.is_corroborated() { "ok" } @else { "not-yet" } } {
                        strong { (a) } ": " (c.describe()) "."
                    }
                }
            }
        }
    }
}

/// The files the platform reported: hashes and the platform's flags, never content.
pub fn files(files: &[FileRow]) -> Markup {
    let flag = |b: Option<bool>| match b {
        Some(true) => "Yes",
        Some(false) => "No",
        None => "Not said",
    };
    html! {
        h2 { "Reported files" }
        @if files.is_empty() {
            p { "The report listed no files." }
        } @else {
            table.evidence {
                thead { tr { th scope="col" { "File" } th scope="col" { "MD5 / SHA-1" } th scope="col" { "Viewed by platform" } th scope="col" { "Public" } th scope="col" { "Platform class" } th scope="col" { "Annotations" } } }
                tbody {
                    @for f in files {
                        tr {
                            td { (f.file_name.as_deref().or(f.original_file_name.as_deref()).unwrap_or("—")) }
                            td { code { (f.md5.as_deref().unwrap_or("—")) } br; code { (f.sha1.as_deref().unwrap_or("—")) } }
                            td { (flag(f.viewed_by_esp)) } td { (flag(f.publicly_available)) }
                            td { (f.industry_classification.as_deref().unwrap_or("—")) }
                            td { (serde_json::from_str::<Vec<String>>(&f.annotations).unwrap_or_default().join(", ")) }
                        }
                    }
                }
            }
        }
    }
}

fn value_text(v: &AnswerValue) -> String {
    match v {
        AnswerValue::YesNo(true) => "yes".into(),
        AnswerValue::YesNo(false) => "no".into(),
        AnswerValue::Number(n) => n.to_string(),
        AnswerValue::Choice(c) => c.clone(),
    }
}

/// The instrument form (pre-filled answers marked), the latest assessment, and the supervisor's decision.
pub fn instrument(
    ctx: &Ctx,
    r: &Referral,
    i: &Instrument,
    answers: &Answers,
    assessments: &[AssessmentRow],
) -> Markup {
    let pending = assessments.iter().find(|a| a.decision.is_none());
    html! {
        h2 #instrument { "Risk instrument" }
        @for a in assessments.iter().take(3) {
            p {
                (a.instrument_id) " " (a.instrument_version) ": " strong { (a.level.replace('_', " ")) }
                " by " (a.assessed_by_name.as_deref().unwrap_or("—")) " on " (when(Some(a.assessed_at))) ". "
                @match a.decision.as_deref() {
                    Some("signed_off") => { "Signed off by " (a.decided_by_name.as_deref().unwrap_or("—")) "." }
                    Some(_) => { "Overridden to " strong { (a.final_level.as_deref().unwrap_or("").replace('_', " ")) } " by " (a.decided_by_name.as_deref().unwrap_or("—")) ": " (a.override_reason.as_deref().unwrap_or("")) }
                    None => { span.badge.risk-none { "Awaiting a supervisor" } }
                }
            }
        }
        @if pending.is_some() && access::may(ctx, Action::SignOffRisk, r) && r.status.is_open() {
            form method="post" action={"/referrals/" (r.id) "/decision"} {
                (hidden(ctx, r))
                fieldset {
                    legend { "Supervisor's decision" }
                    div.radio { input #dec-sign type="radio" name="decision" value="sign_off" required; label for="dec-sign" { "Sign off the instrument's level" } }
                    div.radio { input #dec-over type="radio" name="decision" value="override"; label for="dec-over" { "Override it" } }
                }
                div.field { label for="dec-level" { "New level (for an override)" } select #dec-level name="level" { option value="" { "—" } @for l in RiskLevel::ALL { option value=(l.as_str()) { (l.label()) } } } }
                div.field { label for="dec-reason" { "Reason (required for an override)" } textarea #dec-reason name="reason" rows="2" {} }
                button type="submit" { "Record decision" }
            }
        }
        @if access::may(ctx, Action::AssessRisk, r) && r.status.is_open() {
            details open[assessments.is_empty()] {
                summary { "Complete " (i.title()) " (" (i.id()) " " (i.version()) ")" }
                p.hint { "Answers the referral already gives are filled in and marked. A level is given only when every question is answered." }
                form method="post" action={"/referrals/" (r.id) "/instrument"} {
                    (hidden(ctx, r))
                    @for step in i.steps() {
                        fieldset.instrument-step {
                            legend { (step.title) }
                            @for q in &step.questions {
                                @let given = answers.get(q.id.as_str());
                                @let name = format!("q.{}", q.id.as_str());
                                div.field {
                                    @match &q.kind {
                                        QuestionKind::YesNo { .. } => {
                                            p.question { (q.text) }
                                            @for (v, label) in [("true", "Yes"), ("false", "No")] {
                                                @let checked = given.is_some_and(|a| value_text(&a.value) == if v == "true" { "yes" } else { "no" });
                                                span.radio { input type="radio" id={(name) "-" (v)} name=(name) value=(v) checked[checked]; label for={(name) "-" (v)} { (label) } }
                                            }
                                        }
                                        QuestionKind::Number { min, max, .. } => {
                                            label for=(name) { (q.text) }
                                            input id=(name) name=(name) type="number" min=(min) max=(max) value=[given.map(|a| value_text(&a.value))];
                                        }
                                        QuestionKind::Choice { options } => {
                                            label for=(name) { (q.text) }
                                            select id=(name) name=(name) {
                                                option value="" { "Choose" }
                                                @for o in options { option value=(o.id) selected[given.is_some_and(|a| value_text(&a.value) == o.id)] { (o.label) } }
                                            }
                                        }
                                    }
                                    @if let Some(src) = given.and_then(|a| a.prefilled_from) { span.prefilled { " Pre-filled from the referral (" (src.as_str().replace('_', " ")) ")" } }
                                    p.hint { (q.help) }
                                }
                            }
                        }
                    }
                    button type="submit" { "Give the level" }
                }
            }
        }
    }
}
